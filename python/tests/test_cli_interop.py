"""Files written by the package and by the `ternzk` command are interchangeable: the
same compiled model, key and proof bytes, and each side verifies the other's proofs."""

import json
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest

import ternzk
from conftest import FIXTURES

SRC = FIXTURES / "digits-mlp.safetensors"
TRAIN = FIXTURES / "digits-train.npz"
TEST = FIXTURES / "digits-test.npz"


def run(cli, *args, ok=True):
    out = subprocess.run([str(cli), *map(str, args)], capture_output=True, text=True)
    if ok:
        assert out.returncode == 0, out.stderr
    return out


def run_json(cli, *args):
    return json.loads(run(cli, *args, "--json").stdout)


@pytest.fixture(scope="module")
def cli_files(cli, tmp_path_factory):
    """The digits model compiled, committed and proven (private input, batch 4) by
    the command."""
    d = tmp_path_factory.mktemp("cli")
    model, vk, proof = d / "m.ternzk.safetensors", d / "m.vk", d / "m.proof"
    rep = run_json(cli, "compile", SRC, "-o", model, "--density", "1/2", "--calib", TRAIN, "--eval", TEST)
    run_json(cli, "commit", model, "-o", vk)
    run_json(cli, "prove", "--model", model, "--vk", vk, "--data", TEST, "--index", 3,
             "--batch", 4, "--private-input", "-o", proof)
    return {"model": model, "vk": vk, "proof": proof, "report": rep}


def safetensors_parts(path):
    """A .safetensors file's header (as a dict: its key order is not fixed) and its
    tensor bytes."""
    b = Path(path).read_bytes()
    n = struct.unpack("<Q", b[:8])[0]
    return json.loads(b[8 : 8 + n]), b[8 + n :]


def test_python_compiles_the_commands_model(cli_files, tmp_path, digits):
    m = ternzk.compile(str(SRC), density="1/2", calib=str(TRAIN), eval=str(TEST))
    p = tmp_path / "py.ternzk.safetensors"
    m.save(p)
    # The same header and tensors (the header's key order varies from run to run).
    assert safetensors_parts(p) == safetensors_parts(cli_files["model"])
    rep = cli_files["report"]
    assert m.accuracy_dense == pytest.approx(rep["accuracy_dense"])
    assert m.accuracy_compiled == pytest.approx(rep["accuracy_compiled"])
    assert m.nnz == rep["nnz"]


def test_the_commands_key_and_proof_verify_in_python(cli_files, digits):
    model = ternzk.load(cli_files["model"])
    key = ternzk.VerifyingKey.load(cli_files["vk"])
    assert model.commit()[0] == key
    v = ternzk.verify(key, ternzk.Proof.load(cli_files["proof"]), model=model)
    assert v.mode == "private-input" and v.batch == 4
    x = digits[2][3:7]
    assert (v.classes == model.predict(x)).all()
    # Python proves the same statement; the zero-knowledge proof is randomized, so its
    # bytes differ from the command's, and it proves the same outputs.
    mine = model.prove(x, key, private_input=True)
    assert mine.to_bytes() != cli_files["proof"].read_bytes()
    v2 = ternzk.verify(key, mine)
    assert v2.mode == "private-input" and (v2.outputs == v.outputs).all()


def test_python_files_verify_with_the_command(cli, tmp_path, digits_model, digits_key, digits):
    model, vk, proof = tmp_path / "m.ternzk.safetensors", tmp_path / "m.vk", tmp_path / "m.proof"
    digits_model.save(model)
    digits_key.save(vk)
    x = digits[2][:3]
    for private in [False, True]:
        p = digits_model.prove(x, digits_key, private_input=private)
        p.save(proof)
        v = run_json(cli, "verify", "--vk", vk, "--proof", proof, "--model", model)
        assert v["verified"] is True
        assert v["input"] == ("committed" if private else "clear")
        assert v["classes"] == p.classes.tolist()
        assert v["output"] == p.outputs.tolist()
        np.testing.assert_allclose(v["logits"], p.logits)
    # The command commits the Python-saved model to the Python key's bytes.
    vk2 = tmp_path / "cli.vk"
    run_json(cli, "commit", model, "-o", vk2)
    assert vk2.read_bytes() == vk.read_bytes()
    # And proves a JSON input into the bytes Python makes for it.
    inp = tmp_path / "x.json"
    inp.write_text(json.dumps(x.astype(float).tolist()))
    out = tmp_path / "cli.proof"
    run_json(cli, "prove", "--model", model, "--vk", vk, "--input", inp, "-o", out)
    assert out.read_bytes() == digits_model.prove(x, digits_key).to_bytes()


def test_the_command_rejects_a_tampered_python_proof(cli, tmp_path, digits_model, digits_key, digits):
    vk, proof = tmp_path / "m.vk", tmp_path / "m.proof"
    digits_key.save(vk)
    data = bytearray(digits_model.prove(digits[2][:2], digits_key).to_bytes())
    data[len(data) // 2] ^= 1
    proof.write_bytes(bytes(data))
    out = run(cli, "verify", "--vk", vk, "--proof", proof, ok=False)
    assert out.returncode != 0 and "REJECT" in out.stderr
    with pytest.raises(ternzk.VerificationError) as e:
        ternzk.verify(digits_key, bytes(data))
    # The same message as the command's (after its "error: REJECT: ").
    assert str(e.value) in out.stderr


def test_hiding_keys_secrets_and_private_model_proofs_interoperate(cli, tmp_path, digits_model, digits):
    """A hiding key and secret from either side prove on the other; each side verifies
    the other's private-model and private-both proofs."""
    model = tmp_path / "m.ternzk.safetensors"
    digits_model.save(model)
    x = digits[2][:2]
    # The command's hiding key and secret (KEY.secret by default) prove in Python.
    cvk = tmp_path / "cli.vk"
    rep = run_json(cli, "commit", model, "--hiding", "-o", cvk)
    key = ternzk.VerifyingKey.load(cvk)
    secret = ternzk.ProverSecret.load(rep["secret"])
    assert key.hiding and key.digest == rep["digest"] == secret.digest
    proof = tmp_path / "py.proof"
    for private in [False, True]:
        p = digits_model.prove(x, key, private_input=private, secret=secret)
        p.save(proof)
        v = run_json(cli, "verify", "--vk", cvk, "--proof", proof)
        assert v["verified"] is True and v["key_kind"] == "hiding"
        assert v["mode"] == p.mode == ("private-both" if private else "private-model")
        assert v["output"] == p.outputs.tolist()
    # Python's hiding key and secret prove with the command; Python verifies.
    pkey, psecret = digits_model.commit(hiding=True)
    pvk = tmp_path / "py.vk"
    pkey.save(pvk)
    psecret.save(tmp_path / "py.secret")
    inp = tmp_path / "x.json"
    inp.write_text(json.dumps(x.astype(float).tolist()))
    out = tmp_path / "cli.proof"
    run_json(cli, "prove", "--model", model, "--vk", pvk, "--secret", tmp_path / "py.secret",
             "--input", inp, "--private-input", "-o", out)
    v = ternzk.verify(pkey, ternzk.Proof.load(out))
    assert v.mode == "private-both" and (v.classes == digits_model.predict(x)).all()
    # The command refuses the other key's secret, as Python does.
    bad = run(cli, "prove", "--model", model, "--vk", pvk, "--secret", rep["secret"],
              "--input", inp, "-o", out, ok=False)
    assert bad.returncode != 0

"""The private-model path: commit(hiding=True) gives a hiding key and its ProverSecret;
proofs against it hide the model (private-model) and the input too (private-both);
verification checks the key's well-formedness proof once, then the proof."""

import os
import stat

import numpy as np
import pytest

import ternzk


@pytest.fixture(scope="module")
def hidden(digits_model):
    """A hiding key of the digits model and its secret."""
    key, secret = digits_model.commit(hiding=True)
    return key, secret


def test_commit_hiding_returns_a_hiding_key_and_its_secret(digits_model, digits_key, hidden):
    key, secret = hidden
    assert isinstance(key, ternzk.VerifyingKey) and isinstance(secret, ternzk.ProverSecret)
    assert key.hiding and not digits_key.hiding
    assert key.shape == digits_model.shape and (key.n_in, key.n_out) == (64, 10)
    assert secret.digest == key.digest and key != digits_key
    assert "hiding" in repr(key) and "keep it private" in repr(secret)
    # The secret is never part of the key.
    assert secret.to_bytes() not in key.to_bytes()
    # Hiding keys are randomized: a second commitment is another key.
    other, other_secret = digits_model.commit(hiding=True)
    assert other != key and other_secret.digest == other.digest
    key.check()  # well formed


@pytest.mark.parametrize("private_input", [False, True])
def test_prove_and_verify_against_a_hiding_key(digits_model, digits_key, digits, hidden, private_input):
    key, secret = hidden
    x = digits[2][:3]
    proof = digits_model.prove(x, key, private_input=private_input, secret=secret)
    mode = "private-both" if private_input else "private-model"
    assert proof.mode == mode and proof.batch == 3
    # The same outputs as the public proof's and the integer engine's.
    public = digits_model.prove(x, digits_key)
    assert (proof.outputs == public.outputs).all()
    assert (proof.classes == digits_model.predict(x)).all()
    np.testing.assert_allclose(proof.logits, digits_model.logits(x))
    assert (proof.inputs is None) == private_input
    v = ternzk.verify(key, proof)
    assert v.mode == mode and v.batch == 3
    assert (v.outputs == public.outputs).all()
    # The hiding key holds the output scales: real logits without the model.
    np.testing.assert_allclose(v.logits, digits_model.logits(x))
    assert ternzk.verify(key, proof.to_bytes(), model=digits_model).mode == mode
    # Zero-knowledge proofs are randomized.
    again = digits_model.prove(x, key, private_input=private_input, secret=secret)
    assert again.to_bytes() != proof.to_bytes()


def test_a_proof_against_another_hiding_key_of_the_same_model_is_rejected(digits_model, digits, hidden):
    key, secret = hidden
    other, _ = digits_model.commit(hiding=True)
    proof = digits_model.prove(digits[2][:2], key, secret=secret)
    with pytest.raises(ternzk.VerificationError):
        ternzk.verify(other, proof)
    with pytest.raises(ternzk.VerificationError):
        ternzk.Proof.from_bytes(proof.to_bytes(), key=other)


def test_proofs_and_keys_of_the_other_kind_are_rejected(digits_model, digits_key, digits, hidden):
    key, secret = hidden
    x = digits[2][:1]
    private = digits_model.prove(x, key, secret=secret)
    with pytest.raises(ternzk.VerificationError, match="hiding key"):
        ternzk.verify(digits_key, private)
    with pytest.raises(ternzk.VerificationError, match="public key"):
        ternzk.verify(key, digits_model.prove(x, digits_key))


def test_tampered_private_model_proofs_are_rejected(digits_model, digits, hidden):
    key, secret = hidden
    data = bytearray(digits_model.prove(digits[2][:2], key, secret=secret).to_bytes())
    for pos in [20, len(data) // 3, len(data) // 2, len(data) - 1]:
        bad = bytearray(data)
        bad[pos] ^= 1
        with pytest.raises(ternzk.VerificationError):
            ternzk.verify(key, bytes(bad))
    with pytest.raises(ternzk.VerificationError):
        ternzk.verify(key, bytes(data[:-7]))


def test_a_missing_or_wrong_secret_is_a_value_error(digits_model, digits_key, digits, hidden):
    key, secret = hidden
    x = digits[2][:1]
    with pytest.raises(ValueError, match="needs its ProverSecret"):
        digits_model.prove(x, key)
    _, other_secret = digits_model.commit(hiding=True)
    with pytest.raises(ValueError, match="another hiding key"):
        digits_model.prove(x, key, secret=other_secret)
    with pytest.raises(ValueError, match="goes with a hiding key"):
        digits_model.prove(x, digits_key, secret=secret)


def test_a_hiding_key_of_another_shape_is_refused(digits, hidden):
    key, secret = hidden
    x_tr = digits[0]
    rng = np.random.default_rng(1)
    sd = {
        "l.0.weight": rng.normal(size=(16, 64)).astype(np.float32),
        "l.0.bias": np.zeros(16, np.float32),
        "l.1.weight": rng.normal(size=(10, 16)).astype(np.float32),
    }
    small = ternzk.compile(sd, density=0.5, calib=x_tr, eval=False)
    with pytest.raises(ValueError, match="do not match the hiding key"):
        small.prove(digits[2][:1], key, secret=secret)


def test_a_model_other_than_the_committed_one_is_refused_before_proving(digits, hidden):
    """Same shapes, other weights (another density): the secret does not open the key to
    them, so prove raises instead of making a proof that would not verify."""
    key, secret = hidden
    from conftest import FIXTURES

    other = ternzk.compile(
        str(FIXTURES / "digits-mlp.safetensors"), density=0.25, calib=digits[0], eval=False
    )
    with pytest.raises(ValueError, match="not the ones the hiding key commits"):
        other.prove(digits[2][:1], key, secret=secret)


def test_a_tampered_hiding_key_fails_its_check(digits_model, digits, hidden):
    key, secret = hidden
    proof = digits_model.prove(digits[2][:1], key, secret=secret)
    data = key.to_bytes()
    checked = 0
    # Flips inside the well-formedness proof (the key's tail): a flip that still
    # decodes must fail the check, and a proof against the key is then rejected.
    for off in [40, 100, 200, 400, 1000]:
        bad = bytearray(data)
        bad[len(bad) - off] ^= 1
        try:
            bad_key = ternzk.VerifyingKey.from_bytes(bytes(bad))
        except ValueError:
            continue  # a point that does not decode: rejected when reading
        checked += 1
        with pytest.raises(ternzk.VerificationError, match="hiding key"):
            bad_key.check()
        # The failed check is kept: verify reports it without a proof check.
        with pytest.raises(ternzk.VerificationError, match="hiding key"):
            ternzk.verify(bad_key, proof)
    assert checked > 0


def test_key_secret_and_proof_round_trip_through_bytes_and_files(digits_model, digits, hidden, tmp_path):
    key, secret = hidden
    back = ternzk.VerifyingKey.from_bytes(key.to_bytes())
    assert back.hiding and back == key and back.to_bytes() == key.to_bytes()
    kp, sp, pp = tmp_path / "m.vk", tmp_path / "m.vk.secret", tmp_path / "m.proof"
    key.save(kp)
    secret.save(sp)
    if os.name == "posix":
        assert stat.S_IMODE(sp.stat().st_mode) == 0o600
    assert kp.read_bytes() == key.to_bytes() and sp.read_bytes() == secret.to_bytes()
    key2 = ternzk.VerifyingKey.load(kp)
    secret2 = ternzk.ProverSecret.load(sp)
    assert key2 == key and secret2.digest == key.digest
    assert ternzk.ProverSecret.from_bytes(secret.to_bytes()).to_bytes() == secret.to_bytes()
    x = digits[2][3:5]
    proof = digits_model.prove(x, key2, private_input=True, secret=secret2)
    proof.save(pp)
    loaded = ternzk.Proof.load(pp, key=key)
    assert loaded.mode == "private-both" and (loaded.outputs == proof.outputs).all()
    np.testing.assert_allclose(loaded.logits, proof.logits)
    assert ternzk.verify(key, ternzk.Proof.load(pp)).mode == "private-both"
    with pytest.raises(ValueError, match="secret file"):
        ternzk.ProverSecret.from_bytes(b"not a secret")
    with pytest.raises(ValueError, match="secret file"):
        ternzk.ProverSecret.load(kp)
    with pytest.raises(OSError):
        ternzk.ProverSecret.load(tmp_path / "missing")

"""Bad inputs end in Python exceptions with the command's messages, never a crash:
wrong shapes, NaN, wrong keys, tampered or truncated proof bytes, bad files."""

import numpy as np
import pytest

import ternzk
from conftest import FIXTURES


def test_wrong_shapes_are_value_errors(digits_model, digits_key):
    with pytest.raises(ValueError, match="input has 63 values, the model takes 64"):
        digits_model.prove(np.zeros(63), digits_key)
    with pytest.raises(ValueError, match="input rows have 65 values, the model takes 64"):
        digits_model.predict(np.zeros((2, 65)))
    with pytest.raises(ValueError, match="1-D .* or 2-D"):
        digits_model.predict(np.zeros((2, 2, 16)))
    with pytest.raises(ValueError, match="empty batch"):
        digits_model.prove(np.zeros((0, 64)), digits_key)
    with pytest.raises(ValueError, match="3 labels for 2 inputs"):
        digits_model.evaluate(np.zeros((2, 64)), [1, 2, 3])
    with pytest.raises((TypeError, ValueError)):
        digits_model.predict("not an array")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, 1e300])
def test_non_finite_inputs_are_value_errors(digits_model, digits_key, bad):
    x = np.zeros((2, 64))
    x[1, 5] = bad
    with pytest.raises(ValueError, match="input 1, value 5: .* is not a finite number"):
        digits_model.prove(x, digits_key)
    with pytest.raises(ValueError, match="not a finite number"):
        digits_model.predict(x)


def test_a_key_for_another_model_is_refused(digits_model, digits):
    other = ternzk.compile(
        str(FIXTURES / "digits-mlp.safetensors"), density=0.25, calib=digits[0], eval=False
    )
    other_key, _ = other.commit()
    with pytest.raises(ValueError, match="was not made for this model"):
        digits_model.prove(digits[2][:1], other_key)


def test_a_proof_checked_against_another_key_is_rejected(digits_model, digits_key, digits):
    other = ternzk.compile(
        str(FIXTURES / "digits-mlp.safetensors"), density=0.25, calib=digits[0], eval=False
    )
    other_key, _ = other.commit()
    proof = other.prove(digits[2][:1], other_key)
    with pytest.raises(ternzk.VerificationError, match="another model"):
        ternzk.verify(digits_key, proof)
    with pytest.raises(ternzk.VerificationError):
        ternzk.Proof.from_bytes(proof.to_bytes(), key=digits_key)


@pytest.mark.parametrize("private", [False, True])
def test_tampered_and_truncated_proofs_are_rejected(digits_model, digits_key, digits, private):
    data = bytearray(digits_model.prove(digits[2][:2], digits_key, private_input=private).to_bytes())
    n = len(data)
    # Positions across the header, statement (input, output) and proof body.
    positions = sorted({12, 40, 45, 50, 45 + 128, n // 4, n // 2, 3 * n // 4, n - 33, n - 1})
    for pos in positions:
        bad = bytearray(data)
        bad[pos] ^= 0x01
        with pytest.raises(ternzk.VerificationError):
            ternzk.verify(digits_key, bytes(bad))
    for cut in [n - 1, n // 2, 44, 13]:
        with pytest.raises(ternzk.VerificationError):
            ternzk.verify(digits_key, bytes(data[:cut]))
    with pytest.raises(ternzk.VerificationError):
        ternzk.verify(digits_key, bytes(data) + b"\0")
    # Not a proof at all: the header check.
    with pytest.raises(ValueError, match="not a ternzk proof file"):
        ternzk.Proof.from_bytes(b"garbage")
    with pytest.raises(ternzk.VerificationError, match="not a ternzk proof file"):
        ternzk.verify(digits_key, b"not a proof at all")
    with pytest.raises(ValueError, match="must be a ternzk.Proof or the bytes"):
        ternzk.verify(digits_key, 42)


def test_bad_keys_and_files(tmp_path, digits_key):
    with pytest.raises(ValueError, match="is not a valid verifying key"):
        ternzk.VerifyingKey.from_bytes(b"TZKVK\0\0\0junk")
    data = digits_key.to_bytes()
    with pytest.raises(ValueError, match="is not a valid verifying key"):
        ternzk.VerifyingKey.from_bytes(data[:-5])
    with pytest.raises(OSError, match="cannot read"):
        ternzk.VerifyingKey.load(tmp_path / "missing.vk")
    with pytest.raises(OSError, match="cannot read"):
        ternzk.Proof.load(tmp_path / "missing.proof")
    with pytest.raises(OSError):
        ternzk.load(tmp_path / "missing.safetensors")
    with pytest.raises(OSError, match="cannot create a file in"):
        digits_key.save(tmp_path / "no" / "such" / "dir" / "k.vk")
    # A dense model where a compiled one is needed: the command's hint.
    with pytest.raises(ValueError, match="is a dense model; compile it first"):
        ternzk.load(FIXTURES / "digits-mlp.safetensors")


def test_bad_compile_arguments(digits):
    src = str(FIXTURES / "digits-mlp.safetensors")
    with pytest.raises(ValueError, match="is not a number, a fraction or a list"):
        ternzk.compile(src, density="half", calib=digits[0])
    with pytest.raises(ValueError):
        ternzk.compile(src, density=0.5, calib=digits[0][:, :10])
    with pytest.raises(ValueError, match="calib: input 0, value 0: NaN"):
        ternzk.compile(src, density=0.5, calib=np.full((4, 64), np.nan))
    with pytest.raises(ValueError, match="src must be a path"):
        ternzk.compile(42)
    with pytest.raises(ValueError, match="neither a `\\*.weight`"):
        ternzk.compile({"running_mean": np.zeros(3)}, calib=digits[0])
    with pytest.raises(ValueError, match="NaN/Inf weights"):
        ternzk.compile({"fc.weight": np.full((10, 64), np.nan)}, calib=digits[0], eval=False)
    with pytest.raises(OSError):
        ternzk.compile("/nonexistent/model.safetensors", calib=digits[0])
    with pytest.raises(ValueError, match="eval must be"):
        ternzk.compile(src, calib=digits[0], eval=[1, 2])


def test_pixel_models_refuse_values_outside_their_range(tmp_path):
    rng = np.random.default_rng(0)
    sd = {"fc1.weight": rng.normal(size=(8, 16)), "fc2.weight": rng.normal(size=(3, 8))}
    m = ternzk.compile(sd, density=0.5, calib="uniform", calib_samples=64)
    assert m.input_quant == "pixel"
    key, _ = m.commit()
    with pytest.raises(ValueError, match="neither a pixel value"):
        m.prove(np.full(16, 1.5), key)
    # Pixels 0..255 and reals in [0, 1] are the same input.
    px = rng.integers(0, 256, size=16)
    assert (m.prove(px, key).outputs == m.prove(px / 255.0, key).outputs).all()

"""The package's API: compile reports, inference, commit, prove, verify, round trips
of models, keys and proofs through bytes and files."""

import threading

import numpy as np
import pytest

import ternzk


def test_compile_reports_shape_density_and_accuracy(digits_model):
    m = digits_model
    assert m.shape == [64, 64, 32, 10]
    assert (m.n_in, m.n_out) == (64, 10)
    assert m.params == 64 * 64 + 64 * 32 + 32 * 10
    assert 0 < m.nnz <= m.params // 2
    assert m.density == pytest.approx(m.nnz / m.params)
    assert m.density_requested == [0.5, 0.5, 0.5]
    assert m.input_quant == "per-feature"
    assert m.eval_samples == 540
    assert m.accuracy_dense > 0.95
    assert m.accuracy_compiled > 0.85
    r = repr(m)
    assert "64-64-32-10" in r and "density" in r and "accuracy" in r


def test_evaluate_and_predict_agree_with_the_report(digits_model, digits):
    _, _, x_te, y_te = digits
    assert digits_model.evaluate(x_te, y_te) == pytest.approx(digits_model.accuracy_compiled)
    pred = digits_model.predict(x_te)
    assert pred.shape == (540,) and pred.dtype == np.int64
    assert np.mean(pred == y_te) == pytest.approx(digits_model.accuracy_compiled)
    logits = digits_model.logits(x_te[:5])
    assert logits.shape == (5, 10) and logits.dtype == np.float64
    assert (logits.argmax(axis=1) == pred[:5]).all()


def test_any_float_dtype_and_memory_order_give_the_same_answer(digits_model, digits):
    x = digits[2][:16]
    ref = digits_model.predict(x)
    for v in [
        x.astype(np.float64),
        x.astype(np.float32),
        x.astype(np.float16),
        np.asfortranarray(x.astype(np.float64)),
        np.ascontiguousarray(np.repeat(x, 2, axis=1)[:, ::2]),  # a strided view's copy
        np.repeat(x, 2, axis=1)[:, ::2],  # a strided view
        x.tolist(),
    ]:
        assert (digits_model.predict(v) == ref).all()
    # One 1-D input is a batch of one.
    assert digits_model.predict(x[3]).tolist() == [ref[3]]


@pytest.mark.parametrize("private", [False, True])
def test_prove_and_verify_a_batch(digits_model, digits_key, digits, private):
    x = digits[2][:5]
    proof = digits_model.prove(x, digits_key, private_input=private)
    mode = "private-input" if private else "public"
    assert proof.batch == 5 and proof.mode == mode
    assert proof.outputs.shape == (5, 10) and proof.outputs.dtype == np.int32
    assert (proof.classes == digits_model.predict(x)).all()
    np.testing.assert_allclose(proof.logits, digits_model.logits(x))
    if private:
        assert proof.inputs is None
    else:
        assert proof.inputs.shape == (5, 64) and proof.inputs.dtype == np.uint8
    assert proof.prove_ms > 0 and proof.nbytes == len(proof.to_bytes())
    v = ternzk.verify(digits_key, proof, model=digits_model)
    assert v.mode == mode and v.batch == 5
    assert (v.outputs == proof.outputs).all()
    assert (v.classes == proof.classes).all()
    np.testing.assert_allclose(v.logits, proof.logits)
    assert "Verified(mode=" in repr(v) and "Proof(batch 5" in repr(proof)
    # bytes verify the same way
    assert ternzk.verify(digits_key, proof.to_bytes()).classes.tolist() == v.classes.tolist()


def test_one_input_proves_as_a_batch_of_one(digits_model, digits_key, digits):
    proof = digits_model.prove(digits[2][7], digits_key)
    assert proof.batch == 1 and proof.outputs.shape == (1, 10)
    assert ternzk.verify(digits_key, proof).classes[0] == digits_model.predict(digits[2][7])[0]


def test_proofs_are_deterministic(digits_model, digits_key, digits):
    x = digits[2][:2]
    assert digits_model.prove(x, digits_key).to_bytes() == digits_model.prove(x, digits_key).to_bytes()


def test_key_round_trips_through_bytes_and_files(digits_key, tmp_path):
    data = digits_key.to_bytes()
    back = ternzk.VerifyingKey.from_bytes(data)
    assert back == digits_key and back.digest == digits_key.digest
    assert back.shape == [64, 64, 32, 10]
    p = tmp_path / "m.vk"
    digits_key.save(p)
    assert p.read_bytes() == data
    assert ternzk.VerifyingKey.load(str(p)) == digits_key
    assert "VerifyingKey(64-64-32-10" in repr(digits_key)


def test_proof_round_trips_through_bytes_and_files(digits_model, digits_key, digits, tmp_path):
    proof = digits_model.prove(digits[2][:3], digits_key, private_input=True)
    data = proof.to_bytes()
    undecoded = ternzk.Proof.from_bytes(data)
    with pytest.raises(ValueError, match="without its key"):
        undecoded.outputs
    assert ternzk.verify(digits_key, undecoded).batch == 3
    decoded = ternzk.Proof.from_bytes(data, key=digits_key)
    assert (decoded.outputs == proof.outputs).all() and decoded.mode == "private-input"
    assert decoded.logits is None  # no model: integer logits only
    p = tmp_path / "p.proof"
    proof.save(p)
    assert p.read_bytes() == data
    loaded = ternzk.Proof.load(p, key=digits_key)
    assert (loaded.classes == proof.classes).all()
    assert ternzk.verify(digits_key, ternzk.Proof.load(p)).mode == "private-input"


def test_model_round_trips_through_a_file(digits_model, digits_key, digits, tmp_path):
    p = tmp_path / "m.ternzk.safetensors"
    assert digits_model.save(p) > 0
    back = ternzk.load(p)
    assert back.shape == digits_model.shape and back.nnz == digits_model.nnz
    assert back.accuracy_compiled is None  # the report is not stored in the file
    x = digits[2][:50]
    assert (back.predict(x) == digits_model.predict(x)).all()
    key, _ = back.commit()
    assert key == digits_key


def test_compile_from_a_state_dict_of_arrays(digits):
    rng = np.random.default_rng(0)
    x_tr, y_tr, x_te, y_te = digits
    sd = {
        "net.0.weight": rng.normal(size=(32, 64)).astype(np.float32),
        "net.0.bias": np.zeros(32, np.float32),
        "net.2.weight": rng.normal(size=(10, 32)),  # float64 is fine
    }
    m = ternzk.compile(sd, density="1/4", calib=x_tr.astype(np.float64), eval=False)
    assert m.shape == [64, 32, 10] and m.accuracy_compiled is None
    assert m.calibration == "numpy-array"
    key, _ = m.commit()
    assert ternzk.verify(key, m.prove(x_te[:2], key)).batch == 2
    # Explicit layer order, per-layer densities.
    m2 = ternzk.compile(sd, density=[0.5, 0.25], layers=["net.0", "net.2"], calib=x_tr, eval=(x_te, y_te))
    assert m2.density_requested == [0.5, 0.25] and m2.eval_samples == 540


def test_from_sklearn(digits):
    sklearn = pytest.importorskip("sklearn.neural_network")
    x_tr, y_tr, x_te, y_te = digits
    clf = sklearn.MLPClassifier(hidden_layer_sizes=(32,), max_iter=300, random_state=0)
    clf.fit(x_tr / 16.0, y_tr)
    sd = ternzk.from_sklearn(clf)
    assert sd["layers.0.weight"].shape == (32, 64)
    m = ternzk.compile(sd, density=0.5, calib=x_tr / 16.0, eval=(x_te / 16.0, y_te))
    assert m.accuracy_dense == pytest.approx(clf.score(x_te / 16.0, y_te), abs=0.01)
    assert m.accuracy_compiled > 0.85
    with pytest.raises(ValueError, match="activation='tanh'"):
        ternzk.from_sklearn(sklearn.MLPClassifier(activation="tanh").fit(x_tr[:50], y_tr[:50]))
    with pytest.raises(ValueError, match="fitted"):
        ternzk.from_sklearn(object())


def test_binary_sklearn_classifier_keeps_its_classes():
    sklearn = pytest.importorskip("sklearn.neural_network")
    rng = np.random.default_rng(1)
    x = rng.normal(size=(400, 6))
    y = (x[:, 0] + x[:, 1] > 0).astype(int)
    clf = sklearn.MLPClassifier(hidden_layer_sizes=(16,), max_iter=500, random_state=0).fit(x, y)
    m = ternzk.compile(ternzk.from_sklearn(clf), density=1.0, calib=x, eval=(x, y))
    assert m.n_out == 1
    assert np.mean(m.predict(x) == clf.predict(x)) > 0.95


def test_the_gil_is_released_while_proving(digits_model, digits_key, digits):
    x = digits[2][:64]
    done = []
    t = threading.Thread(target=lambda: done.append(digits_model.prove(x, digits_key)))
    ticks = 0
    t.start()
    while t.is_alive():
        ticks += 1
    t.join()
    assert done and done[0].batch == 64
    # Holding the GIL, the prover would leave this thread a handful of turns at most.
    assert ticks > 1000, ticks


class TorchLike:
    """Stands in for a torch tensor: what compile calls on one (detach, cpu, numpy)."""

    def __init__(self, a):
        self.a = np.asarray(a, dtype=np.float32)
        self.calls = []

    def detach(self):
        self.calls.append("detach")
        return self

    def cpu(self):
        self.calls.append("cpu")
        return self

    def numpy(self):
        self.calls.append("numpy")
        return self.a


def test_a_torch_state_dict_is_detached_and_converted(digits):
    rng = np.random.default_rng(2)
    w1, w2 = TorchLike(rng.normal(size=(16, 64))), TorchLike(rng.normal(size=(10, 16)))
    m = ternzk.compile({"fc1.weight": w1, "fc2.weight": w2}, density=0.5, calib=digits[0], eval=False)
    assert w1.calls == ["detach", "cpu", "numpy"] and m.shape == [64, 16, 10]
    same = ternzk.compile({"fc1.weight": w1.a, "fc2.weight": w2.a}, density=0.5, calib=digits[0], eval=False)
    assert same.commit()[0] == m.commit()[0]


def test_an_onnx_source_compiles():
    from conftest import REPO

    onnx = REPO / "models" / "fixtures" / "onnx" / "tiny-gemm.onnx"
    m = ternzk.compile(str(onnx), density=0.5, calib="uniform", calib_samples=64)
    key, _ = m.commit()
    x = np.arange(m.n_in) % 256
    assert ternzk.verify(key, m.prove(x, key)).batch == 1

"""ternzk quickstart: train a scikit-learn MLP, compile it to a sparse ternary model,
prove a batch of its predictions and verify the proof.

    pip install ./python scikit-learn
    python python/examples/quickstart.py

Uses scikit-learn's bundled digits data set (8x8 images, 10 classes): no download.
"""

import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

import ternzk


def timed(what, f):
    t0 = time.perf_counter()
    out = f()
    print(f"{what}: {1e3 * (time.perf_counter() - t0):.1f} ms")
    return out


# 1. A dense model, trained the usual way (features scaled to [0, 1]).
x, y = load_digits(return_X_y=True)
x = x / 16.0
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.3, random_state=0)
clf = timed(
    "train scikit-learn MLP 64-64-32-10",
    lambda: MLPClassifier(hidden_layer_sizes=(64, 32), max_iter=600, random_state=0).fit(
        x_train, y_train
    ),
)

# 2. Compile: keep 1/4 of the weights as ternary {-1, 0, +1} with per-row scales,
#    integer requantization calibrated on the training data, accuracy on the test data.
model = timed(
    "compile at density 1/4",
    lambda: ternzk.compile(
        ternzk.from_sklearn(clf), density="1/4", calib=x_train, eval=(x_test, y_test)
    ),
)
print(model)
print(
    f"accuracy: scikit-learn {clf.score(x_test, y_test):.4f}, "
    f"dense reference {model.accuracy_dense:.4f}, compiled {model.accuracy_compiled:.4f} "
    f"(kept {model.accuracy_compiled / model.accuracy_dense:.1%} of it with "
    f"{model.nnz}/{model.params} weights)"
)

# 3. Commit to the model: the verifying key is what a verifier needs.
key, _ = timed("commit", lambda: model.commit())
print(key)

# 4. Prove a batch of 16 test inputs with private_input=True. CAVEAT: this keeps the
#    input out of the proof file (the proof carries a commitment to it) but is NOT
#    zero-knowledge yet: the commitment is not blinded and the proof's messages are
#    linear combinations of the input and activations. See docs/protocol.md.
batch = x_test[:16]
proof = timed("prove 16 inputs (private input)", lambda: model.prove(batch, key, private_input=True))
print(proof)

# 5. Verify: raises ternzk.VerificationError on any rejection.
result = timed("verify", lambda: ternzk.verify(key, proof))
print(result)
assert (result.classes == model.predict(batch)).all()
print(
    f"verified: mode {result.mode}, classes {result.classes.tolist()}, "
    f"labels {y_test[:16].tolist()} ({int((result.classes == y_test[:16]).sum())}/16 right)"
)

# 6. The files are the `ternzk` command's: check the proof there too.
out = Path(tempfile.mkdtemp(prefix="ternzk-quickstart-"))
model.save(out / "digits.ternzk.safetensors")
key.save(out / "digits.vk")
proof.save(out / "digits.proof")
print(f"wrote {out}/digits.{{ternzk.safetensors,vk,proof}}; check with:")
print(f"  ternzk verify --vk {out}/digits.vk --proof {out}/digits.proof")

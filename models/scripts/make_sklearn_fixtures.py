#!/usr/bin/env python3
"""Small scikit-learn MLPs on scikit-learn's bundled data sets, exported for ternzk's
tests and docs:  python3 make_sklearn_fixtures.py [OUT_DIR]   (default: ../fixtures/sklearn)

Deterministic (fixed seeds); the outputs are committed, so the test suite does not need
scikit-learn (see docs/decisions.md). Needs numpy, safetensors and scikit-learn.

For each data set NAME:
  NAME-mlp.safetensors       the trained MLP in PyTorch nn.Linear layout: fc1.weight
                             [out, in], fc1.bias [out], fc2.…  (f32)
  NAME-train.npz             training split: x [N, d], y [N]   (np.savez)
  NAME-train.safetensors     the same as tensors x, y
  NAME-test.npy              test split inputs x [N, d]
  NAME-test-labels.npy       test split labels y [N]
  NAME-test.csv              test split, header row, label column `label` last
  NAME-test.safetensors      test split as tensors x, y
  NAME-test.npz              test split as arrays x, y
  NAME-input.json            the first test row as real numbers (for `ternzk prove --input`)
  expected.json              scikit-learn's test accuracy and shapes per data set

Data sets:
  digits         64 features, integer pixel intensities 0..16 (stored as u8), 10 classes;
                 MLP 64-64-32-10.
  breast-cancer  30 features, standardized with the training split's mean and std (f32),
                 2 classes with ONE output unit (scikit-learn's binary layout: class 1 when
                 the logit is positive); MLP 30-64-1.
"""
import json
import os
import sys

import numpy as np
from safetensors.numpy import save_file
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler


def export_mlp(clf, path):
    """sklearn stores coefs_[i] as [in, out]; PyTorch nn.Linear (and ternzk) use [out, in]."""
    tensors = {}
    for i, (w, b) in enumerate(zip(clf.coefs_, clf.intercepts_)):
        tensors[f"fc{i + 1}.weight"] = np.ascontiguousarray(w.T, dtype=np.float32)
        tensors[f"fc{i + 1}.bias"] = np.ascontiguousarray(b, dtype=np.float32)
    save_file(tensors, path, metadata={"format": "pt"})


def write_csv(path, x, y, integer):
    d = x.shape[1]
    with open(path, "w") as f:
        f.write(",".join([f"f{j}" for j in range(d)] + ["label"]) + "\n")
        for row, label in zip(x, y):
            # %.9g round-trips every f32 exactly; integers are written as such.
            cells = [str(int(v)) for v in row] if integer else [f"{float(v):.9g}" for v in row]
            f.write(",".join(cells + [str(int(label))]) + "\n")


def export_data(out, name, x_tr, y_tr, x_te, y_te, integer):
    y_tr = y_tr.astype(np.int64)
    y_te = y_te.astype(np.int64)
    np.savez(os.path.join(out, f"{name}-train.npz"), x=x_tr, y=y_tr)
    save_file({"x": np.ascontiguousarray(x_tr), "y": y_tr}, os.path.join(out, f"{name}-train.safetensors"))
    np.save(os.path.join(out, f"{name}-test.npy"), x_te)
    np.save(os.path.join(out, f"{name}-test-labels.npy"), y_te)
    np.savez(os.path.join(out, f"{name}-test.npz"), x=x_te, y=y_te)
    save_file({"x": np.ascontiguousarray(x_te), "y": y_te}, os.path.join(out, f"{name}-test.safetensors"))
    write_csv(os.path.join(out, f"{name}-test.csv"), x_te, y_te, integer)
    with open(os.path.join(out, f"{name}-input.json"), "w") as f:
        json.dump([float(v) for v in x_te[0]], f)
        f.write("\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "fixtures", "sklearn")
    os.makedirs(out, exist_ok=True)
    expected = {}

    # digits: 8x8 images, intensities 0..16, 10 classes.
    d = load_digits()
    x_tr, x_te, y_tr, y_te = train_test_split(d.data, d.target, test_size=0.3, random_state=0, stratify=d.target)
    x_tr, x_te = x_tr.astype(np.uint8), x_te.astype(np.uint8)
    clf = MLPClassifier(hidden_layer_sizes=(64, 32), max_iter=400, random_state=0)
    clf.fit(x_tr.astype(np.float64), y_tr)
    export_mlp(clf, os.path.join(out, "digits-mlp.safetensors"))
    export_data(out, "digits", x_tr, y_tr, x_te, y_te, integer=True)
    expected["digits"] = {
        "dims": [64, 64, 32, 10],
        "n_train": int(len(y_tr)),
        "n_test": int(len(y_te)),
        "sklearn_test_accuracy": float(clf.score(x_te.astype(np.float64), y_te)),
    }

    # breast cancer: 30 real features of very different ranges, standardized; binary.
    b = load_breast_cancer()
    x_tr, x_te, y_tr, y_te = train_test_split(b.data, b.target, test_size=0.3, random_state=0, stratify=b.target)
    sc = StandardScaler().fit(x_tr)
    x_tr = sc.transform(x_tr).astype(np.float32)
    x_te = sc.transform(x_te).astype(np.float32)
    clf = MLPClassifier(hidden_layer_sizes=(64,), max_iter=400, random_state=0)
    clf.fit(x_tr.astype(np.float64), y_tr)
    export_mlp(clf, os.path.join(out, "breast-cancer-mlp.safetensors"))
    export_data(out, "breast-cancer", x_tr, y_tr, x_te, y_te, integer=False)
    expected["breast-cancer"] = {
        "dims": [30, 64, 1],
        "n_train": int(len(y_tr)),
        "n_test": int(len(y_te)),
        "sklearn_test_accuracy": float(clf.score(x_te.astype(np.float64), y_te)),
    }

    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps(expected, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()

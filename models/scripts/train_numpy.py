#!/usr/bin/env python3
"""Train a small dense ReLU MLP on Fashion-MNIST with plain numpy (Adam, fixed seed)
and save it in PyTorch nn.Linear layout (`fcN.weight` [out, in], `fcN.bias` [out]) as
f32 .safetensors, with its test accuracy in the file's metadata.

Input preprocessing (the compiler assumes the same): x = pixel / 255, no mean/std.

    python3 models/scripts/train_numpy.py --hidden 256,256 --epochs 8 \
        --out models/mlp-784-256-256-10.safetensors
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
from safetensors.numpy import save_file

DATA = "/usr/share/datasets/fashion-mnist"


def load_idx(name):
    path = os.path.join(DATA, name)
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hidden", default="256,256")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    rng = np.random.default_rng(a.seed)
    xtr = load_idx("train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255.0
    ytr = load_idx("train-labels-idx1-ubyte.gz").astype(np.int64)
    xte = load_idx("t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255.0
    yte = load_idx("t10k-labels-idx1-ubyte.gz").astype(np.int64)

    dims = [784] + [int(h) for h in a.hidden.split(",") if h] + [10]
    params = []
    for i in range(len(dims) - 1):
        bound = np.sqrt(6.0 / dims[i])  # He-uniform for ReLU
        w = rng.uniform(-bound, bound, size=(dims[i + 1], dims[i])).astype(np.float32)
        b = np.zeros(dims[i + 1], dtype=np.float32)
        params += [w, b]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    b1, b2, eps, step = 0.9, 0.999, 1e-8, 0

    def forward(x):
        acts = [x]
        h = x
        n = len(params) // 2
        for l in range(n):
            z = h @ params[2 * l].T + params[2 * l + 1]
            h = np.maximum(z, 0) if l < n - 1 else z
            acts.append(h)
        return acts

    t0 = time.time()
    for ep in range(a.epochs):
        perm = rng.permutation(len(xtr))
        lr = a.lr * (0.5 ** (ep // 3))
        for s in range(0, len(perm), a.batch):
            idx = perm[s:s + a.batch]
            acts = forward(xtr[idx])
            logits = acts[-1]
            p = np.exp(logits - logits.max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            g = p
            g[np.arange(len(idx)), ytr[idx]] -= 1
            g /= len(idx)
            grads = [None] * len(params)
            n = len(params) // 2
            for l in range(n - 1, -1, -1):
                grads[2 * l] = g.T @ acts[l]
                grads[2 * l + 1] = g.sum(0)
                if l > 0:
                    g = (g @ params[2 * l]) * (acts[l] > 0)
            step += 1
            for i, gr in enumerate(grads):
                m[i] = b1 * m[i] + (1 - b1) * gr
                v[i] = b2 * v[i] + (1 - b2) * gr * gr
                mh = m[i] / (1 - b1 ** step)
                vh = v[i] / (1 - b2 ** step)
                params[i] -= (lr * mh / (np.sqrt(vh) + eps)).astype(np.float32)
        acc = float((forward(xte)[-1].argmax(1) == yte).mean())
        print(f"epoch {ep + 1}: test accuracy {acc:.4f} ({time.time() - t0:.0f} s)", flush=True)

    tensors = {}
    for l in range(len(params) // 2):
        tensors[f"fc{l + 1}.weight"] = np.ascontiguousarray(params[2 * l], dtype=np.float32)
        tensors[f"fc{l + 1}.bias"] = np.ascontiguousarray(params[2 * l + 1], dtype=np.float32)
    meta = {
        "dims": json.dumps(dims),
        "test_accuracy": f"{acc:.4f}",
        "preprocess": "x = pixel / 255",
        "trainer": f"models/scripts/train_numpy.py seed={a.seed} epochs={a.epochs} adam lr={a.lr}",
    }
    save_file(tensors, a.out, metadata=meta)
    print(json.dumps({"out": a.out, "dims": dims, "test_accuracy": acc}))


if __name__ == "__main__":
    main()

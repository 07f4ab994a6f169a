#!/usr/bin/env python3
"""Write .safetensors fixtures with the reference `safetensors` package (numpy backend)
for the compiler's interop tests:  python3 make_fixtures.py OUT_DIR

Good models (same weights, PyTorch nn.Linear naming, weight [out, in], bias [out]):
  mlp_f32.safetensors, mlp_f16.safetensors, mlp_bf16.safetensors   fc1, fc2, fc3
  layers_f32.safetensors   layers.0 … layers.10 (natural sort: 10 after 2), no biases
  net_f32.safetensors      net.0, net.2 + classifier (head name sorts last)
  expected.json            input, dims, and float64 logits of the f32 model
Bad models (each must be rejected with an error naming the problem):
  bad_1d_weight, bad_dtype (int64 weight), bad_nan, bad_inf, bad_shapes
  (fc2 does not take fc1's outputs), bad_empty (no tensors), bad_bias_shape.

bf16: numpy has no bfloat16. If `ml_dtypes` is importable its bfloat16 is used;
otherwise the bf16 bytes are built by rounding f32 to nearest-even in the upper 16
bits and written through safetensors' raw `serialize_file` API (dtype "bfloat16"),
with a `TensorSpec` — exactly what `safetensors.numpy.save_file` does underneath.
"""
import json
import os
import sys

import numpy as np
import safetensors
from safetensors.numpy import save_file


def bf16_bits(a):
    """f32 array -> uint16 array of bf16 bit patterns (round to nearest even)."""
    u = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (u + 0x7FFF + ((u >> 16) & 1)) >> 16
    return np.ascontiguousarray(rounded.astype("<u2"))


def save_bf16(tensors, path, metadata):
    try:
        import ml_dtypes  # noqa: F401

        save_file({k: v.astype(ml_dtypes.bfloat16) for k, v in tensors.items()}, path, metadata=metadata)
    except ImportError:
        bits = {k: bf16_bits(v) for k, v in tensors.items()}  # kept alive during the call
        flat = {
            k: safetensors.TensorSpec(dtype="bfloat16", shape=b.shape, data_ptr=b.ctypes.data, data_len=b.nbytes)
            for k, b in bits.items()
        }
        safetensors.serialize_file(flat, path, metadata=metadata)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(7)
    dims = [12, 9, 7, 4]
    t = {}
    for i in range(3):
        t[f"fc{i + 1}.weight"] = rng.normal(0, 0.5, size=(dims[i + 1], dims[i])).astype(np.float32)
        t[f"fc{i + 1}.bias"] = rng.normal(0, 0.1, size=(dims[i + 1],)).astype(np.float32)
    meta = {"origin": "models/scripts/make_fixtures.py"}
    save_file(t, os.path.join(out, "mlp_f32.safetensors"), metadata=meta)
    save_file({k: v.astype(np.float16) for k, v in t.items()}, os.path.join(out, "mlp_f16.safetensors"), metadata=meta)
    save_bf16(t, os.path.join(out, "mlp_bf16.safetensors"), meta)

    x = rng.integers(0, 256, size=dims[0]).astype(np.float64) / 255.0
    h = x
    for i in range(3):
        h = t[f"fc{i + 1}.weight"].astype(np.float64) @ h + t[f"fc{i + 1}.bias"]
        if i < 2:
            h = np.maximum(h, 0)
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump({"dims": dims, "input_u8": [int(round(v * 255)) for v in x], "logits": h.tolist()}, f)

    # layers.0 .. layers.10, widths chained in numeric order; no biases.
    ld = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 3]
    save_file(
        {f"layers.{i}.weight": rng.normal(size=(ld[i + 1], ld[i])).astype(np.float32) for i in range(11)},
        os.path.join(out, "layers_f32.safetensors"),
    )
    save_file(
        {
            "net.0.weight": rng.normal(size=(6, 5)).astype(np.float32),
            "net.0.bias": np.zeros(6, np.float32),
            "net.2.weight": rng.normal(size=(4, 6)).astype(np.float32),
            "classifier.weight": rng.normal(size=(2, 4)).astype(np.float32),
            "classifier.bias": np.zeros(2, np.float32),
        },
        os.path.join(out, "net_f32.safetensors"),
    )

    def bad(name, tensors):
        save_file(tensors, os.path.join(out, f"bad_{name}.safetensors"))

    w1 = t["fc1.weight"]
    bad("1d_weight", {"fc1.weight": w1, "fc2.weight": np.ones(9, np.float32)})
    bad("dtype", {"fc1.weight": w1.astype(np.int64)})
    nan = w1.copy()
    nan[2, 3] = np.nan
    bad("nan", {"fc1.weight": nan})
    inf = w1.copy()
    inf[0, 0] = -np.inf
    bad("inf", {"fc1.weight": inf})
    bad("shapes", {"fc1.weight": w1, "fc2.weight": np.ones((4, 5), np.float32)})
    bad("empty", {})
    bad("bias_shape", {"fc1.weight": w1, "fc1.bias": np.zeros(3, np.float32)})
    print(out)


if __name__ == "__main__":
    main()

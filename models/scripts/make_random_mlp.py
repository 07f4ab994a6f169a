#!/usr/bin/env python3
"""Write a random dense MLP in PyTorch nn.Linear layout (f32) for compiler timing:
    python3 make_random_mlp.py 784,4096,4096,10 OUT.safetensors [seed]
Weights are He-uniform, biases small; the values are meaningless, only the size matters."""
import sys

import numpy as np
from safetensors.numpy import save_file

dims = [int(d) for d in sys.argv[1].split(",")]
rng = np.random.default_rng(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
t = {}
for i in range(len(dims) - 1):
    b = np.sqrt(6.0 / dims[i])
    t[f"fc{i + 1}.weight"] = rng.uniform(-b, b, size=(dims[i + 1], dims[i])).astype(np.float32)
    t[f"fc{i + 1}.bias"] = rng.uniform(-0.01, 0.01, size=dims[i + 1]).astype(np.float32)
save_file(t, sys.argv[2])
print(sys.argv[2], sum(v.size for v in t.values()), "parameters")

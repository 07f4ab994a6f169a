"""The Python call's overhead over the Rust prover (issue 16's acceptance: <= 5% of
prove time for 784-256-256-10 at batch 1).

    python python/examples/overhead.py MODEL.ternzk.safetensors [--reps 51] [--rounds 5] [--cli target/release/ternzk]

Proves Fashion-MNIST test image 0 `reps` times per round in this process and reports
the median wall-clock time of `model.prove(x, key)` (numpy in, quantization, the key
check, the prover, the Proof object out) beside the median time of the prover alone
inside the same calls (`Proof.prove_ms`): their difference is the binding's overhead.
With --cli each round is followed by `ternzk prove --reps 11 --json` on the same model
and input, and the command's per-run prove times are pooled (its first run, which pays
one-time costs, dropped): interleaving spreads a shared machine's load over both.
"""

import argparse
import gzip
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

import ternzk

DATA = Path(os.environ.get("TERNZK_FASHION_MNIST", "/usr/share/datasets/fashion-mnist"))


def fashion_image(i):
    with gzip.open(DATA / "t10k-images-idx3-ubyte.gz") as f:
        raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    return raw.reshape(-1, 784)[i]


def cli_runs(cli, model, key, reps):
    """`ternzk prove --reps N --json` on Fashion-MNIST test image 0: its per-run prove
    times (ms) and the proof's bytes."""
    with tempfile.TemporaryDirectory() as d:
        vk = Path(d) / "m.vk"
        key.save(vk)
        res = subprocess.run(
            [cli, "prove", "--model", model, "--vk", str(vk), "--data", "fashion-mnist",
             "--index", "0", "--reps", str(reps), "-o", str(Path(d) / "p"), "--json"],
            check=True, capture_output=True, text=True,
        )
        return json.loads(res.stdout)["prove_ms_runs"], (Path(d) / "p").read_bytes()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--reps", type=int, default=51, help="Python proofs per round")
    ap.add_argument("--rounds", type=int, default=1,
                    help="rounds of Python proofs, each followed by a `ternzk prove` run (with --cli)")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--cli")
    a = ap.parse_args()
    model = ternzk.load(a.model)
    key, _ = model.commit()
    x = fashion_image(0).astype(np.float64)  # pixel values 0..255, as the command reads them
    for _ in range(a.warmup):
        model.prove(x, key)
    wall, inner, cli, same = [], [], [], True
    for _ in range(a.rounds):
        for _ in range(a.reps):
            t0 = time.perf_counter()
            p = model.prove(x, key)
            wall.append(1e3 * (time.perf_counter() - t0))
            inner.append(p.prove_ms)
        if a.cli:
            # The command's first run pays one-time costs: it is dropped.
            runs, proof = cli_runs(a.cli, a.model, key, 11)
            cli.extend(runs[1:])
            same = same and proof == p.to_bytes()
    med = statistics.median
    out = {
        "model": a.model,
        "simd": ternzk.simd_path(),
        "python_calls": len(wall),
        "python_prove_ms_median": med(wall),
        "python_prove_ms_min": min(wall),
        "rust_prove_ms_median_in_python": med(inner),
        "overhead_ms_median": med(w - i for w, i in zip(wall, inner)),
        "overhead_fraction": med(w - i for w, i in zip(wall, inner)) / med(inner),
    }
    if a.cli:
        out.update({
            "cli_runs": len(cli),
            "cli_prove_ms_median": med(cli),
            "cli_prove_ms_min": min(cli),
            "python_over_cli_median": med(wall) / med(cli) - 1,
            "python_over_cli_min": min(wall) / min(cli) - 1,
            "same_proof_bytes": same,
        })
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generates reports/accuracy.md: for each shipped model and density, the dense float
accuracy, the post-training ternary accuracy (compiler only) and the QAT ternary
accuracy (compiler on the fine-tuned model), all measured now by the `ternzk` binary on
the full 10 000-image Fashion-MNIST test set with the integer engine for the ternary
models. Training times are read from each file's `ternzk_training` header (recorded
when `ternzk train` produced it).

Usage: python3 reports/accuracy.py [path/to/ternzk]   (default target/release/ternzk)
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/ternzk")

# (architecture, dense source of the QAT runs, [(density label, density, QAT file)])
LADDER = [
    ("784-256-256-10", "mlp-784-256-256-10-candle.safetensors",
     [("1/2", "1/2", "mlp-784-256-256-10-qat-d2.safetensors"),
      ("1/4", "1/4", "mlp-784-256-256-10-qat-d4.safetensors"),
      ("1/16", "1/16", "mlp-784-256-256-10-qat-d16.safetensors")]),
    ("784-512-10", "mlp-784-512-10.safetensors",
     [("1/4", "1/4", "mlp-784-512-10-qat-d4.safetensors"),
      ("1/16", "1/16", "mlp-784-512-10-qat-d16.safetensors")]),
    ("784-1024-10", "mlp-784-1024-10.safetensors",
     [("1/4", "1/4", "mlp-784-1024-10-qat-d4.safetensors"),
      ("1/16", "1/16", "mlp-784-1024-10-qat-d16.safetensors")]),
]


def run_json(args):
    out = subprocess.run([BIN] + args, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def training_seconds(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        meta = json.loads(f.read(n)).get("__metadata__", {})
    info = json.loads(meta.get("ternzk_training", "{}"))
    epochs = info.get("epochs", [])
    # `seconds` is the elapsed time since training started, recorded after each epoch.
    return max(e.get("seconds", 0.0) for e in epochs) if epochs else None


# Shipped compiled only: the dense and QAT files (80 MB each, f32) are not in the
# repository. (architecture, density label, compiled file, sidecar with the training
# and post-training summaries recorded when the files were made)
COMPILED_ONLY = [
    ("784-4096-4096-10", "1/16", "mlp-784-4096-4096-10-d16.ternzk.safetensors",
     "mlp-784-4096-4096-10-d16.training.json"),
]


def compiled_only_rows(commands):
    """Lines of the table of models shipped compiled only: the shipped file's accuracy
    is measured now (`ternzk eval`); the dense and QAT figures come from the sidecar,
    recorded by the commands it lists."""
    lines = [
        "| model | density | nnz / params | dense float (recorded) | shipped file (measured now) | shipped − dense | QAT runs, compiled (recorded) | dense training s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for arch, label, compiled, sidecar in COMPILED_ONLY:
        cpath = os.path.join("models", compiled)
        cmd = ["eval", cpath, "--dataset", "fashion-mnist", "--json"]
        commands.append("ternzk " + " ".join(cmd))
        ev = run_json(cmd)
        with open(os.path.join(ROOT, "models", sidecar)) as f:
            side = json.load(f)
        dense = side["dense"]["test_accuracy"]
        qats = ", ".join(
            f"{side[k]['compiled_accuracy']:.4f} ({side[k]['train_seconds']:.0f} s)"
            for k in ("qat", "qat_more", "qat_per_row") if k in side)
        lines.append(
            f"| {arch} | {label} | {ev['nnz']} / {ev['params']} | {dense:.4f} | "
            f"**{ev['accuracy']:.4f}** ({side['shipped'].replace('_', '-')}) | "
            f"{(ev['accuracy'] - dense) * 100:+.2f} pt | {qats} | "
            f"{side['dense']['train_seconds']:.0f} |")
        commands.append(f"# {arch}: dense and QAT figures recorded in models/{sidecar}, made by:")
        commands += ["#   " + c for c in side["commands"]]
    return lines


def main():
    rows, commands = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "c.safetensors")
        for arch, dense, qats in LADDER:
            dpath = os.path.join("models", dense)
            cmd = ["eval", dpath, "--dataset", "fashion-mnist", "--json"]
            commands.append("ternzk " + " ".join(cmd))
            acc_dense = run_json(cmd)["accuracy"]
            for label, d, qat in qats:
                qpath = os.path.join("models", qat)
                ptq_cmd = ["compile", dpath, "-o", out, "--density", d, "--json"]
                qat_cmd = ["compile", qpath, "-o", out, "--density", d, "--json"]
                commands += ["ternzk " + " ".join(ptq_cmd).replace(out, "OUT"),
                             "ternzk " + " ".join(qat_cmd).replace(out, "OUT")]
                ptq = run_json(ptq_cmd)
                q = run_json(qat_cmd)
                secs = training_seconds(os.path.join(ROOT, qpath))
                rows.append((arch, label, q["nnz"], q["params"], acc_dense,
                             ptq["accuracy_compiled"], q["accuracy_compiled"], secs,
                             training_seconds(os.path.join(ROOT, dpath)), ptq["nnz"]))
    lines = [
        "# Accuracy of the shipped models (Fashion-MNIST, 10 000 test images)",
        "",
        "Generated by `python3 reports/accuracy.py` (do not edit by hand). Dense: the float",
        "reference on the dense file. Post-training: `ternzk compile` of the dense file at",
        "that density with the default options (calibration-driven support search, per-row",
        "scales; the density is a maximum the search may undercut, its nnz in the column",
        "beside) (integer engine). QAT: `ternzk compile` of the quantization-aware",
        "fine-tuned file (integer engine). Training times are the elapsed times recorded",
        "in each file's header by `ternzk train` on the 2-core machine, often while other",
        "builds ran (see docs/training.md).",
        "",
        "784-4096-4096-10 is shipped compiled only (its dense and QAT files are 80 MB of",
        "f32 each): the shipped file's accuracy is measured now; its dense and QAT figures",
        "were recorded when the files were made (the sidecar",
        "`models/mlp-784-4096-4096-10-d16.training.json` and the commands below). Its",
        "shipped file is the post-training compile, which scored above every QAT run.",
        "",
        "| model | density | nnz / params | dense float | post-training ternary | post-training nnz | post-training − dense | QAT ternary | QAT − dense | QAT training s | dense training s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    fmt_s = lambda s: "-" if s is None else f"{s:.0f}"
    for arch, label, nnz, params, dn, ptq, qat, secs, dsecs, ptq_nnz in rows:
        lines.append(
            f"| {arch} | {label} | {nnz} / {params} | {dn:.4f} | {ptq:.4f} | {ptq_nnz} | "
            f"{(ptq - dn) * 100:+.2f} pt | **{qat:.4f}** | "
            f"{(qat - dn) * 100:+.2f} pt | {fmt_s(secs)} | {fmt_s(dsecs)} |")
    lines += ["", "Shipped compiled only:", ""] + compiled_only_rows(commands)
    lines += ["", "Commands (run from the repository root):", "", "```"] + commands + ["```", ""]
    with open(os.path.join(ROOT, "reports", "accuracy.md"), "w") as f:
        f.write("\n".join(lines))
    start = lines.index(next(x for x in lines if x.startswith("| model")))
    print("\n".join(lines[start:start + 2 + len(rows)]))


if __name__ == "__main__":
    os.chdir(ROOT)
    main()

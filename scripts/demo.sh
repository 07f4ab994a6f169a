#!/usr/bin/env bash
# The main job, end to end: compile the shipped QAT Fashion-MNIST model to a sparse
# ternary model (reporting the accuracy it kept), then prove and verify the
# 4096×4096 linear-layer statement with every method and print the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release -p ternzk
bin=target/release/ternzk
out="${TMPDIR:-/tmp}/ternzk-demo"
mkdir -p "$out"
echo "== compile models/mlp-784-256-256-10-qat-d16.safetensors (QAT ternary) at density 1/16 =="
"$bin" compile models/mlp-784-256-256-10-qat-d16.safetensors -o "$out/mlp-d16.safetensors" --density 1/16
echo
echo "== prove and verify y = W·x, 4096×4096 ternary at density 1/16, four ways =="
"$bin" bench matvec --rows 4096 --cols 4096 --density 0.0625 "$@"

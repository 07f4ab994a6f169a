#!/usr/bin/env bash
# The main job, end to end: compile the shipped QAT Fashion-MNIST model to a sparse
# ternary model (reporting the accuracy it kept), commit to it, prove its output on a
# test image and on a batch of 16 (zero-knowledge, input hidden), verify both; commit
# to it with a hiding key and prove with the model hidden (private model, private
# both); print the figures; then the
# 4096×4096 linear-layer statement proven four ways.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release -p ternzk
bin=target/release/ternzk
out="${TMPDIR:-/tmp}/ternzk-demo"
mkdir -p "$out"
model="$out/mlp-784-256-256-10-d16.safetensors"
echo "== compile models/mlp-784-256-256-10-qat-d16.safetensors (QAT ternary) at density 1/16 =="
"$bin" compile models/mlp-784-256-256-10-qat-d16.safetensors -o "$model" --density 1/16
echo
echo "== commit: the verifying key =="
"$bin" commit "$model" -o "$out/mlp.vk"
echo
echo "== prove test image 0, then verify =="
"$bin" prove --model "$model" --vk "$out/mlp.vk" --dataset fashion-mnist --index 0 -o "$out/one.proof"
"$bin" verify --vk "$out/mlp.vk" --proof "$out/one.proof"
echo
echo "== prove test images 0..15 in one zero-knowledge proof (private input), then verify =="
"$bin" prove --model "$model" --vk "$out/mlp.vk" --dataset fashion-mnist --index 0 --batch 16 \
    --private-input -o "$out/batch.proof"
"$bin" verify --vk "$out/mlp.vk" --proof "$out/batch.proof" | sed -n 1,3p
echo
echo "== private model: commit --hiding (weights, biases, multipliers hidden), check its ternary-weights proof =="
"$bin" commit --hiding "$model" -o "$out/mlp.hvk"
"$bin" check-key "$out/mlp.hvk"
echo
echo "== private-model proof of test image 0 (model hidden, input public), then verify =="
"$bin" prove --model "$model" --vk "$out/mlp.hvk" --dataset fashion-mnist --index 0 -o "$out/private-model.proof"
"$bin" verify --vk "$out/mlp.hvk" --proof "$out/private-model.proof" | sed -n 1,3p
echo
echo "== private-both proof of test images 0..3 (model and input hidden), then verify =="
"$bin" prove --model "$model" --vk "$out/mlp.hvk" --dataset fashion-mnist --index 0 --batch 4 \
    --private-input -o "$out/private-both.proof"
"$bin" verify --vk "$out/mlp.hvk" --proof "$out/private-both.proof" | sed -n 1,3p
echo
echo "== prove and verify y = W·x, 4096×4096 ternary at density 1/16, four ways =="
"$bin" bench matvec --rows 4096 --cols 4096 --density 0.0625 "$@"

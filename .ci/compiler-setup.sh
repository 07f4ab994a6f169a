#!/usr/bin/env bash
# Installs what the compiler's tests need: the Fashion-MNIST IDX files (Debian
# package dataset-fashion-mnist) and the Python packages the fixture and
# training scripts use (numpy + the reference safetensors implementation).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y dataset-fashion-mnist python3-pip
pip install safetensors numpy 2>/dev/null || pip install --break-system-packages safetensors numpy

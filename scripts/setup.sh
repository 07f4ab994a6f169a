#!/usr/bin/env bash
# Installs what ternzk's tests and demo need beyond the Rust toolchain:
#  - the Fashion-MNIST IDX files (Debian package dataset-fashion-mnist),
#  - numpy and the reference `safetensors` Python package (interop fixtures).
# Idempotent: does nothing when everything is already there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data_dir="${TERNZK_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}"
if [ ! -f "$data_dir/t10k-images-idx3-ubyte.gz" ]; then
    echo "setup: installing dataset-fashion-mnist"
    bash "$here/../.ci/compiler-setup.sh"
elif ! python3 -c 'import numpy, safetensors' 2>/dev/null; then
    echo "setup: installing numpy and safetensors for Python"
    pip install -q safetensors numpy 2>/dev/null || pip install -q --break-system-packages safetensors numpy
fi

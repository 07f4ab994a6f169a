#!/usr/bin/env bash
# The Python package's tests: a fresh virtual environment, `pip install ./python`
# (maturin from PyPI builds the extension in release mode), the pytest suite
# (python/tests; its interop tests run target/release/ternzk) and the quickstart.
# Called by scripts/test.sh. TERNZK_VENV moves the environment (default
# target/python-venv, recreated on every run).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${TERNZK_VENV:-target/python-venv}"
rm -rf "$venv"
py="${PYTHON:-python3}"
if ! "$py" -m venv "$venv"; then
    # Debian's Python keeps `venv` (ensurepip) in a package of its own.
    rm -rf "$venv"
    echo "python-test: installing python3-venv"
    apt-get install -y -q python3-venv >/dev/null
    "$py" -m venv "$venv"
fi
# pip >= 21.3 builds ./python in place, where its path dependencies (../api, …) resolve.
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q maturin pytest numpy scikit-learn
"$venv/bin/pip" install -q ./python
[ -x target/release/ternzk ] || cargo build --release -p ternzk
export TERNZK_BIN="$PWD/target/release/ternzk"
export TERNZK_REQUIRE_PYTHON="${TERNZK_REQUIRE_PYTHON:-1}"
# From the repository root: `import ternzk` is the installed package (python/ternzk
# is not on the path).
"$venv/bin/python" -m pytest -q python/tests
"$venv/bin/python" python/examples/quickstart.py

#!/usr/bin/env bash
# The test command: installs what the tests need, then runs every test of the
# workspace in the optimized profile (field arithmetic crawls in debug builds), then
# the Python package's tests in a fresh virtual environment (scripts/python-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Missing Python interop tools are a failure here, not a skip.
export TERNZK_REQUIRE_PYTHON="${TERNZK_REQUIRE_PYTHON:-1}"
cargo test --release --workspace
bash scripts/python-test.sh

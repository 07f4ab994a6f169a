"""Shared fixtures: the repository's sklearn fixture data, a compiled digits model and
its key, and the `ternzk` command (target/release/ternzk) for interop tests."""

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

import ternzk

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "models" / "fixtures" / "sklearn"


def cli_path():
    """The built `ternzk` command, or None. TERNZK_BIN overrides the default path."""
    p = Path(os.environ.get("TERNZK_BIN", REPO / "target" / "release" / "ternzk"))
    if p.is_file() and os.access(p, os.X_OK):
        return p
    found = shutil.which("ternzk")
    return Path(found) if found else None


@pytest.fixture(scope="session")
def cli():
    p = cli_path()
    if p is None:
        if os.environ.get("TERNZK_REQUIRE_PYTHON") == "1":
            pytest.fail("target/release/ternzk is missing: cargo build --release -p ternzk")
        pytest.skip("the ternzk command is not built")
    return p


@pytest.fixture(scope="session")
def digits():
    """(x_train, y_train, x_test, y_test) of the digits fixture (uint8 features 0..16)."""
    tr = np.load(FIXTURES / "digits-train.npz")
    te = np.load(FIXTURES / "digits-test.npz")
    return tr["x"], tr["y"], te["x"], te["y"]


@pytest.fixture(scope="session")
def digits_model(digits):
    """The shipped digits MLP (64-64-32-10) compiled at density 1/2 on its training
    split, evaluated on its test split."""
    x_tr, _, x_te, y_te = digits
    return ternzk.compile(
        str(FIXTURES / "digits-mlp.safetensors"),
        density=0.5,
        calib=x_tr,
        eval=(x_te, y_te),
    )


@pytest.fixture(scope="session")
def digits_key(digits_model):
    key, secret = digits_model.commit()
    assert secret is None
    return key

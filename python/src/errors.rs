//! Errors as Python exceptions: `ValueError` for bad arguments and values, `OSError`
//! for files, `ternzk.VerificationError` for a rejected proof. The messages are the
//! `ternzk` command's.

use pyo3::exceptions::{PyException, PyOSError, PyValueError};
use pyo3::PyErr;

pyo3::create_exception!(
    ternzk,
    VerificationError,
    PyException,
    "A proof was rejected: its bytes do not decode, it was made for another model, or a \
     verifier check failed (the message names the check)."
);

/// The Python exception for a front-end error. Cost: O(message).
pub fn to_py(e: ternzk_api::Error) -> PyErr {
    if e.is_file() {
        PyOSError::new_err(e.to_string())
    } else if matches!(e, ternzk_api::Error::Rejected(_)) {
        VerificationError::new_err(e.to_string())
    } else {
        PyValueError::new_err(e.to_string())
    }
}

/// [`to_py`] of a compiler error.
pub fn compiler(e: ternzk_compiler::Error) -> PyErr {
    to_py(ternzk_api::Error::Model(e))
}

/// A `ValueError` with `msg`.
pub fn value(msg: impl Into<String>) -> PyErr {
    PyValueError::new_err(msg.into())
}

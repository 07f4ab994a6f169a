//! `ProverSecret`: the blindings that open a hiding key, in the `ternzk commit
//! --hiding` secret file format. Never part of the key.

use crate::errors::to_py;
use crate::model::hex;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ternzk_api::files::{read, write_atomic};
use ternzk_prover::hiding_key::KeySecrets;

/// The prover's secret for a hiding key: every blinding factor of its commitments,
/// bound to the key by its digest. :meth:`CompiledModel.prove` needs it to make a
/// private-model proof; whoever holds it with the key can open the commitments, so
/// keep it private (:meth:`save` writes an owner-readable file, as ``ternzk commit
/// --hiding`` does). It is never part of the :class:`VerifyingKey`.
#[pyclass(module = "ternzk", name = "ProverSecret", frozen)]
pub struct ProverSecret {
    pub(crate) secrets: Arc<KeySecrets>,
}

impl ProverSecret {
    /// Wraps the blindings.
    pub fn new(secrets: KeySecrets) -> Self {
        Self {
            secrets: Arc::new(secrets),
        }
    }

    /// Decodes secret-file bytes; `what` names their origin in the error.
    fn decode(bytes: &[u8], what: &str) -> Result<Self, ternzk_api::Error> {
        KeySecrets::from_bytes(bytes).map(Self::new).map_err(|e| {
            ternzk_api::Error::Usage(format!("{what} is not a hiding key's secret file: {e}"))
        })
    }
}

/// Writes `bytes` atomically, readable and writable by the owner only (Unix), as the
/// command writes the secret file.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), ternzk_api::Error> {
    write_atomic(path, bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| {
            ternzk_api::Error::File(format!("cannot restrict {}: {e}", path.display()))
        })?;
    }
    Ok(())
}

#[pymethods]
impl ProverSecret {
    /// The digest (hex) of the hiding key this secret opens: :attr:`VerifyingKey.digest`.
    #[getter]
    fn digest(&self) -> String {
        hex(&self.secrets.key_digest)
    }

    /// The encoded secret (the bytes of the file ``ternzk commit --hiding`` writes).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.secrets.to_bytes())
    }

    /// Decodes a secret; bytes that are not one raise ``ValueError``.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Self::decode(data, "the bytes").map_err(to_py)
    }

    /// Writes the secret file atomically, readable by its owner only (mode 0600 on
    /// Unix). Raises ``OSError``.
    fn save(&self, path: PathBuf) -> PyResult<()> {
        write_private(&path, &self.secrets.to_bytes()).map_err(to_py)
    }

    /// Reads a secret file (from :meth:`save` or ``ternzk commit --hiding``). Raises
    /// ``OSError`` for an unreadable file, ``ValueError`` for one that is not a secret.
    #[staticmethod]
    fn load(path: PathBuf) -> PyResult<Self> {
        let bytes = read(&path).map_err(to_py)?;
        Self::decode(&bytes, &path.display().to_string()).map_err(to_py)
    }

    fn __repr__(&self) -> String {
        format!(
            "ProverSecret(opens the hiding key with digest {}…; keep it private)",
            hex(&self.secrets.key_digest[..8])
        )
    }
}

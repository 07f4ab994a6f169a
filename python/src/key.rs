//! `VerifyingKey`: a committed model's verifying key, in the `ternzk commit` file
//! format.

use crate::errors::to_py;
use crate::model::hex;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::path::PathBuf;
use std::sync::Arc;
use ternzk_api::files::{decode_vk, load_vk, write_atomic};
use ternzk_api::proving::KeyCache;
use ternzk_prover::mlp::MlpVk;

/// A model's verifying key: everything a verifier needs. It holds the model's shape,
/// biases and requantization parameters in the clear and its ternary weights as Hyrax
/// commitments — binding, not hiding (not blinded; a hiding variant is not implemented
/// yet). Same bytes as ``ternzk commit`` writes.
#[pyclass(module = "ternzk", name = "VerifyingKey", frozen)]
pub struct VerifyingKey {
    pub(crate) vk: Arc<MlpVk>,
    /// Generators by size, derived on first use and kept for later proofs and checks.
    pub(crate) keys: Arc<KeyCache>,
}

impl VerifyingKey {
    /// Wraps a key.
    pub fn new(vk: MlpVk) -> Self {
        Self {
            vk: Arc::new(vk),
            keys: Arc::new(KeyCache::default()),
        }
    }
}

#[pymethods]
impl VerifyingKey {
    /// The key's BLAKE3 digest, hex (a proof names the digest of its key).
    #[getter]
    fn digest(&self) -> String {
        hex(&self.vk.digest)
    }

    /// Input width of the model.
    #[getter]
    fn n_in(&self) -> usize {
        self.vk.n_in()
    }

    /// Outputs of the model.
    #[getter]
    fn n_out(&self) -> usize {
        self.vk.n_out()
    }

    /// Layer widths, input first.
    #[getter]
    fn shape(&self) -> Vec<usize> {
        let mut w = vec![self.vk.n_in()];
        w.extend(self.vk.layers.iter().map(|l| l.n_out));
        w
    }

    /// The encoded key (the ``ternzk commit`` file's bytes).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.vk.to_bytes())
    }

    /// Decodes and validates a key; bytes that are not one raise ``ValueError``.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Self> {
        let vk = py
            .allow_threads(|| decode_vk(data, "the bytes"))
            .map_err(to_py)?;
        Ok(Self::new(vk))
    }

    /// Writes the key file (atomically). Raises ``OSError``.
    fn save(&self, path: PathBuf) -> PyResult<()> {
        write_atomic(&path, &self.vk.to_bytes()).map_err(to_py)
    }

    /// Reads a key file (from :meth:`save` or ``ternzk commit``). Raises ``OSError``
    /// for an unreadable file, ``ValueError`` for one that is not a key.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let vk = py.allow_threads(|| load_vk(&path)).map_err(to_py)?;
        Ok(Self::new(vk))
    }

    fn __eq__(&self, other: PyRef<'_, VerifyingKey>) -> bool {
        self.vk.digest == other.vk.digest
    }

    fn __hash__(&self) -> u64 {
        u64::from_le_bytes(self.vk.digest[..8].try_into().expect("8 bytes"))
    }

    fn __repr__(&self) -> String {
        let shape: Vec<String> = self.shape().iter().map(|w| w.to_string()).collect();
        format!(
            "VerifyingKey({}, {} bytes, digest {}…)",
            shape.join("-"),
            self.vk.to_bytes().len(),
            hex(&self.vk.digest[..8])
        )
    }
}

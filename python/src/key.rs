//! `VerifyingKey`: a committed model's key — public (`ternzk commit`) or hiding
//! (`ternzk commit --hiding`), in the command's file formats.

use crate::errors::to_py;
use crate::model::hex;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use ternzk_api::files::{decode_model_key, load_model_key, write_atomic, ModelKey};
use ternzk_api::proving::KeyCache;
use ternzk_prover::hiding_key::HidingKey;

/// A model's key: everything a verifier needs.
///
/// A *public* key (``commit()``) holds the model's shape, biases and requantization
/// parameters in the clear and its ternary weights as Hyrax commitments: binding, not
/// hiding. A *hiding* key (``commit(hiding=True)``, ``hiding`` is ``True``) holds
/// only the layer widths, the requantization shifts, the input quantizer and the
/// output scales in the clear; weights, biases and multipliers are blinded
/// commitments, with a zero-knowledge proof that every weight is in {-1, 0, 1}. Same
/// bytes as ``ternzk commit`` (``--hiding``) writes; the prover's blindings are never
/// part of the key (see :class:`ProverSecret`).
#[pyclass(module = "ternzk", name = "VerifyingKey", frozen)]
pub struct VerifyingKey {
    pub(crate) key: Arc<ModelKey>,
    /// Generators by size, derived on first use and kept for later proofs and checks.
    pub(crate) keys: Arc<KeyCache>,
    /// A hiding key's well-formedness check, made once (on the first verification).
    checked: OnceLock<Result<(), ternzk_prover::Error>>,
}

impl VerifyingKey {
    /// Wraps a key.
    pub fn new(key: ModelKey) -> Self {
        Self {
            key: Arc::new(key),
            keys: Arc::new(KeyCache::default()),
            checked: OnceLock::new(),
        }
    }

    /// The hiding key, if this is one.
    pub fn hiding_key(&self) -> Option<&HidingKey> {
        match &*self.key {
            ModelKey::Hiding(k) => Some(k),
            ModelKey::Public(_) => None,
        }
    }

    /// Checks a hiding key's well-formedness proof (shapes, padding, digest, every
    /// weight ternary) on the first call and returns the cached result afterwards; a
    /// public key passes (decoding validated it). Call with the GIL released.
    /// Cost: [`HidingKey::check`] once (its generators included), then O(1).
    pub fn check_once(&self) -> Result<(), ternzk_api::Error> {
        let Some(k) = self.hiding_key() else {
            return Ok(());
        };
        self.checked
            .get_or_init(|| k.check(&k.gens()))
            .clone()
            .map_err(ternzk_api::Error::Rejected)
    }

    fn bytes(&self) -> Vec<u8> {
        match &*self.key {
            ModelKey::Public(vk) => vk.to_bytes(),
            ModelKey::Hiding(k) => k.to_bytes(),
        }
    }
}

#[pymethods]
impl VerifyingKey {
    /// The key's BLAKE3 digest, hex (a proof names the digest of its key).
    #[getter]
    fn digest(&self) -> String {
        hex(&self.key.digest())
    }

    /// ``True`` for a hiding (private-model) key, ``False`` for a public one.
    #[getter]
    fn hiding(&self) -> bool {
        self.hiding_key().is_some()
    }

    /// Input width of the model.
    #[getter]
    fn n_in(&self) -> usize {
        self.key.n_in()
    }

    /// Outputs of the model.
    #[getter]
    fn n_out(&self) -> usize {
        self.key.n_out()
    }

    /// Layer widths, input first (public in both kinds of key).
    #[getter]
    fn shape(&self) -> Vec<usize> {
        let mut w = vec![self.key.n_in()];
        match &*self.key {
            ModelKey::Public(vk) => w.extend(vk.layers.iter().map(|l| l.n_out)),
            ModelKey::Hiding(k) => w.extend(k.layers.iter().map(|l| l.n_out)),
        }
        w
    }

    /// The encoded key (the ``ternzk commit`` file's bytes).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.bytes())
    }

    /// Decodes a key of either kind (told apart by the file's magic); bytes that are
    /// not one raise ``ValueError``. A hiding key's well-formedness proof is checked by
    /// :meth:`check` or the first :func:`ternzk.verify`, not here.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Self> {
        let key = py
            .allow_threads(|| decode_model_key(data, "the bytes"))
            .map_err(to_py)?;
        Ok(Self::new(key))
    }

    /// Writes the key file (atomically). Raises ``OSError``.
    fn save(&self, path: PathBuf) -> PyResult<()> {
        write_atomic(&path, &self.bytes()).map_err(to_py)
    }

    /// Reads a key file of either kind (from :meth:`save` or ``ternzk commit``).
    /// Raises ``OSError`` for an unreadable file, ``ValueError`` for one that is not a
    /// key.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let key = py.allow_threads(|| load_model_key(&path)).map_err(to_py)?;
        Ok(Self::new(key))
    }

    /// Checks a hiding key's well-formedness proof (every committed weight in
    /// {-1, 0, 1}, padding, digest); raises ``ternzk.VerificationError`` naming the
    /// failed check. Made once per key object (the result is kept; :func:`ternzk.verify`
    /// uses it too); a public key always passes. The GIL is released while checking.
    fn check(&self, py: Python<'_>) -> PyResult<()> {
        py.allow_threads(|| self.check_once()).map_err(to_py)
    }

    fn __eq__(&self, other: PyRef<'_, VerifyingKey>) -> bool {
        self.key.digest() == other.key.digest()
    }

    fn __hash__(&self) -> u64 {
        u64::from_le_bytes(self.key.digest()[..8].try_into().expect("8 bytes"))
    }

    fn __repr__(&self) -> String {
        let shape: Vec<String> = self.shape().iter().map(|w| w.to_string()).collect();
        format!(
            "VerifyingKey({}{}, {} bytes, digest {}…)",
            if self.hiding() { "hiding, " } else { "" },
            shape.join("-"),
            self.bytes().len(),
            hex(&self.key.digest()[..8])
        )
    }
}

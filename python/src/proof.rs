//! `Proof`, `Verified` and `ternzk.verify`: proofs in the `ternzk prove` file format
//! (every mode: public, private input, private model, private both) and their
//! verification.

use crate::arrays;
use crate::errors::{to_py, value};
use crate::key::VerifyingKey;
use crate::model::{logit_scales, CompiledModel};
use numpy::{PyArray1, PyArray2};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;
use ternzk_api::files::ModelKey;
use ternzk_api::files::{read, write_atomic};
use ternzk_api::outputs::classes;
use ternzk_api::proving::{
    input_mode, verify_bytes, verify_hidden_bytes, AnyProofFile, PublicInput,
};
use ternzk_prover::mlp::{PROOF_MAGIC, PROOF_VERSION};

/// A proof that a committed model maps its inputs to the stated logits: the bytes of a
/// ``ternzk prove`` proof file, with the statement decoded when the key is known.
///
/// A proof from :meth:`CompiledModel.prove` knows its statement and the model's scales
/// (``logits``). One read with :meth:`from_bytes` / :meth:`load` is decoded only when
/// given its key (``key=``, public or hiding: a private-model proof decodes only with
/// its hiding key); its outputs are then the prover's *claims* until
/// :func:`ternzk.verify` accepts them.
#[pyclass(module = "ternzk", name = "Proof", frozen)]
pub struct Proof {
    /// The encoding, made on first use for a proof from the prover (encoding is not
    /// part of proving: the command writes the file after timing the prover).
    bytes: OnceLock<Vec<u8>>,
    file: Option<AnyProofFile>,
    n_out: usize,
    /// Per logit, the real value of one unit (the model's, or a hiding key's).
    scales: Option<Vec<f64>>,
    prove_ms: Option<f64>,
}

impl Proof {
    /// A proof just made by the prover.
    pub fn made(
        file: AnyProofFile,
        n_out: usize,
        scales: Option<Vec<f64>>,
        prove_ms: Option<f64>,
    ) -> Self {
        Self {
            bytes: OnceLock::new(),
            file: Some(file),
            n_out,
            scales,
            prove_ms,
        }
    }

    /// Proof bytes read from Python or a file: header checked; decoded with `key`.
    fn read(py: Python<'_>, bytes: Vec<u8>, key: Option<&VerifyingKey>) -> PyResult<Self> {
        let magic_ok = bytes.len() >= 12 && &bytes[..8] == PROOF_MAGIC;
        if !magic_ok {
            return Err(value("not a ternzk proof file"));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if version != PROOF_VERSION {
            return Err(value(format!(
                "proof format version {version}, this build reads {PROOF_VERSION}"
            )));
        }
        let (file, n_out) = match key {
            Some(k) => {
                let f = py
                    .allow_threads(|| match &*k.key {
                        ModelKey::Public(vk) => AnyProofFile::from_bytes(vk, &bytes),
                        ModelKey::Hiding(hk) => AnyProofFile::from_bytes_hidden(hk, &bytes),
                    })
                    .map_err(|e| to_py(ternzk_api::Error::Rejected(e)))?;
                (Some(f), k.key.n_out())
            }
            None => (None, 0),
        };
        Ok(Self {
            bytes: OnceLock::from(bytes),
            file,
            n_out,
            scales: key.and_then(key_scales),
            prove_ms: None,
        })
    }

    /// The proof file's bytes (encoded now if not yet). Cost: O(proof size) once.
    fn bytes(&self) -> &[u8] {
        self.bytes.get_or_init(|| match &self.file {
            Some(f) => f.to_bytes(),
            None => Vec::new(), // unreachable: a proof without its file has its bytes
        })
    }

    fn decoded(&self) -> PyResult<&AnyProofFile> {
        self.file.as_ref().ok_or_else(|| {
            value(
                "this proof was read without its key: pass key= to Proof.from_bytes or \
                 Proof.load to read its claimed outputs, or check it with ternzk.verify(key, proof)",
            )
        })
    }
}

#[pymethods]
impl Proof {
    /// Number of inputs proven.
    #[getter]
    fn batch(&self) -> PyResult<usize> {
        Ok(self.decoded()?.statement().batch)
    }

    /// ``"public"`` (the quantized input is in the proof), ``"private-input"`` (the
    /// zero-knowledge proof: a hiding commitment to the input is, and the input and
    /// every activation stay hidden), ``"private-model"`` (zero-knowledge against a
    /// hiding key: the model and every activation stay hidden, the input is in the
    /// proof) or ``"private-both"`` (model and input hidden); see
    /// :meth:`CompiledModel.prove`. ``"committed-input"`` for an older non-hiding
    /// committed-input proof file.
    #[getter]
    fn mode(&self) -> PyResult<&'static str> {
        Ok(input_mode(self.decoded()?))
    }

    /// The integer logits, ``[batch, n_out]`` int32 (claimed by the prover; checked by
    /// :func:`ternzk.verify`).
    #[getter]
    fn outputs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<i32>>> {
        let f = self.decoded()?;
        Ok(arrays::matrix(py, f.statement().output.clone(), self.n_out))
    }

    /// The class of each input (argmax of its logits; for one output, 1 when positive).
    #[getter]
    fn classes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<i64>>> {
        let f = self.decoded()?;
        Ok(arrays::classes(
            py,
            &classes(&f.statement().output, self.n_out),
        ))
    }

    /// The real-valued logits, ``[batch, n_out]`` float64 (the integer logits times the
    /// model's scales); ``None`` unless the proof was made by :meth:`CompiledModel.prove`
    /// or read with a hiding key (which holds the output scales).
    #[getter]
    fn logits<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyArray2<f64>>>> {
        let f = self.decoded()?;
        Ok(self
            .scales
            .as_ref()
            .map(|s| arrays::matrix(py, scaled(&f.statement().output, s), self.n_out)))
    }

    /// The quantized inputs (``[batch, n_in]`` uint8) of a proof with its input in the
    /// clear (public, private-model); ``None`` when the input is hidden (private-input,
    /// private-both).
    #[getter]
    fn inputs<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyArray2<u8>>>> {
        let f = self.decoded()?;
        Ok(match &f.statement().input {
            PublicInput::Clear(x) => Some(arrays::matrix(
                py,
                x.clone(),
                x.len() / f.statement().batch.max(1),
            )),
            PublicInput::Committed(_) => None,
        })
    }

    /// Milliseconds proving took (the prover alone: no quantization or key lookup);
    /// ``None`` for a proof read from bytes.
    #[getter]
    fn prove_ms(&self) -> Option<f64> {
        self.prove_ms
    }

    /// Size of the proof file in bytes.
    #[getter]
    fn nbytes(&self) -> usize {
        self.bytes().len()
    }

    /// The proof file's bytes (as ``ternzk prove`` writes them).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.bytes())
    }

    /// A proof from its bytes. With ``key`` (public or hiding) it is decoded (a proof
    /// that does not decode for that key raises ``ternzk.VerificationError``); without,
    /// only its header is checked (``ValueError``). Decoding does not verify: use
    /// :func:`ternzk.verify`.
    #[staticmethod]
    #[pyo3(signature = (data, key = None))]
    fn from_bytes(
        py: Python<'_>,
        data: &[u8],
        key: Option<PyRef<'_, VerifyingKey>>,
    ) -> PyResult<Self> {
        Self::read(py, data.to_vec(), key.as_deref())
    }

    /// Writes the proof file (atomically). Raises ``OSError``.
    fn save(&self, path: PathBuf) -> PyResult<()> {
        write_atomic(&path, self.bytes()).map_err(to_py)
    }

    /// Reads a proof file (from :meth:`save` or ``ternzk prove``); ``key`` as for
    /// :meth:`from_bytes`. Raises ``OSError`` for an unreadable file.
    #[staticmethod]
    #[pyo3(signature = (path, key = None))]
    fn load(py: Python<'_>, path: PathBuf, key: Option<PyRef<'_, VerifyingKey>>) -> PyResult<Self> {
        let bytes = read(&path).map_err(to_py)?;
        Self::read(py, bytes, key.as_deref())
    }

    fn __repr__(&self) -> String {
        match &self.file {
            Some(f) => format!(
                "Proof(batch {}, {}, {} outputs each, {} bytes)",
                f.statement().batch,
                input_mode(f),
                self.n_out,
                self.bytes().len()
            ),
            None => format!(
                "Proof({} bytes, not decoded: no key given)",
                self.bytes().len()
            ),
        }
    }
}

/// What an accepted proof proves: its mode, the verified logits and classes.
#[pyclass(module = "ternzk", name = "Verified", frozen)]
pub struct Verified {
    mode: &'static str,
    batch: usize,
    n_out: usize,
    output: Vec<i32>,
    logits: Option<Vec<f64>>,
    verify_ms: f64,
}

#[pymethods]
impl Verified {
    /// ``"public"``, ``"private-input"``, ``"private-model"`` or ``"private-both"`` (the
    /// last three zero-knowledge), as the proof file says.
    #[getter]
    fn mode(&self) -> &'static str {
        self.mode
    }

    /// Number of inputs proven.
    #[getter]
    fn batch(&self) -> usize {
        self.batch
    }

    /// The verified integer logits, ``[batch, n_out]`` int32.
    #[getter]
    fn outputs<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<i32>> {
        arrays::matrix(py, self.output.clone(), self.n_out)
    }

    /// The class of each input (argmax of its verified logits).
    #[getter]
    fn classes<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        arrays::classes(py, &classes(&self.output, self.n_out))
    }

    /// Real-valued logits when :func:`ternzk.verify` was given the model or a hiding key
    /// (which holds the output scales), else ``None``.
    #[getter]
    fn logits<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyArray2<f64>>> {
        self.logits
            .as_ref()
            .map(|l| arrays::matrix(py, l.clone(), self.n_out))
    }

    /// Milliseconds the check took (decoding included; generators cached per key; a
    /// hiding key's well-formedness check, made once per key object, included on the
    /// first verification).
    #[getter]
    fn verify_ms(&self) -> f64 {
        self.verify_ms
    }

    fn __repr__(&self) -> String {
        let cls = classes(&self.output, self.n_out);
        let shown: Vec<String> = cls.iter().take(16).map(|c| c.to_string()).collect();
        let more = if cls.len() > 16 { ", …" } else { "" };
        format!(
            "Verified(mode='{}', batch {}, classes [{}{more}])",
            self.mode,
            self.batch,
            shown.join(", ")
        )
    }
}

/// The real logits: each integer logit times its output's scale. Cost: O(len).
fn scaled(z: &[i32], scales: &[f64]) -> Vec<f64> {
    let n = scales.len().max(1);
    z.iter()
        .enumerate()
        .map(|(i, &v)| scales.get(i % n).copied().unwrap_or(0.0) * v as f64)
        .collect()
}

/// The output scales a hiding key holds (a public key holds none).
fn key_scales(key: &VerifyingKey) -> Option<Vec<f64>> {
    key.hiding_key().map(|k| k.quant.output_scales.clone())
}

/// Checks ``proof`` (a :class:`Proof` or its bytes) against ``key``. Returns
/// :class:`Verified` on acceptance; raises ``ternzk.VerificationError`` on any
/// rejection — bytes that do not decode, a proof for another key, a failed check
/// (named in the message, as ``ternzk verify`` prints it). With a hiding key, the
/// key's well-formedness proof (every hidden weight in {-1, 0, 1}) is checked first,
/// once per key object (:meth:`VerifyingKey.check`), then the private-model proof. With
/// ``model`` (the compiled model, optional) ``Verified.logits`` holds real-valued
/// logits (a hiding key gives them without it). The GIL is released while verifying.
#[pyfunction]
#[pyo3(signature = (key, proof, model = None))]
pub fn verify(
    py: Python<'_>,
    key: PyRef<'_, VerifyingKey>,
    proof: &Bound<'_, PyAny>,
    model: Option<PyRef<'_, CompiledModel>>,
) -> PyResult<Verified> {
    let bytes: Vec<u8> = match proof.downcast::<Proof>() {
        Ok(p) => p.get().bytes().to_vec(),
        Err(_) => match proof.downcast::<PyBytes>() {
            Ok(b) => b.as_bytes().to_vec(),
            Err(_) => {
                return Err(value(
                    "proof must be a ternzk.Proof or the bytes of a proof file",
                ))
            }
        },
    };
    let key_ref: &VerifyingKey = &key;
    let (n_in, n_out) = (key_ref.key.n_in(), key_ref.key.n_out());
    if let Some(m) = &model {
        if m.model.n_out() != n_out || m.model.n_in() != n_in {
            return Err(value(format!(
                "the model ({} inputs, {} outputs) is not the key's ({n_in} inputs, {n_out} outputs)",
                m.model.n_in(),
                m.model.n_out(),
            )));
        }
    }
    let t0 = Instant::now();
    let file = py
        .allow_threads(|| match &*key_ref.key {
            ModelKey::Public(vk) => verify_bytes(vk, &key_ref.keys, &bytes),
            ModelKey::Hiding(k) => {
                key_ref.check_once()?;
                verify_hidden_bytes(k, &key_ref.keys, &bytes)
            }
        })
        .map_err(to_py)?;
    let verify_ms = t0.elapsed().as_secs_f64() * 1e3;
    let scales = match &model {
        Some(m) => Some(logit_scales(&m.model)),
        None => key_scales(key_ref),
    };
    let logits = scales.map(|s| scaled(&file.statement().output, &s));
    Ok(Verified {
        mode: input_mode(&file),
        batch: file.statement().batch,
        n_out,
        output: file.statement().output.clone(),
        logits,
        verify_ms,
    })
}

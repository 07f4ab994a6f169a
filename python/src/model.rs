//! `ternzk.compile`, `ternzk.load` and `CompiledModel`: a compiled sparse ternary
//! model with its accuracy report, inference, commitment and proving.

use crate::arrays::{self, f32_values, f64_values, input_rows};
use crate::errors::{compiler, to_py, value};
use crate::key::VerifyingKey;
use crate::proof::Proof;
use crate::secret::ProverSecret;
use numpy::{PyArray1, PyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyMapping, PyTuple};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Instant;
use ternzk_api::files::ModelKey;
use ternzk_api::inputs::{as_real, check_rows, quantize};
use ternzk_api::options::{density_of, parse_density};
use ternzk_api::outputs::dequantize_logits;
use ternzk_api::proving::{commit, prove, prove_hidden, KeyCache};
use ternzk_compiler::data::{self, DataSpec, Table, FASHION_MNIST};
use ternzk_compiler::dataset::Split;
use ternzk_compiler::evaluate::{accuracy_compiled_table, accuracy_dense_table};
use ternzk_compiler::pipeline::{compile_table, Source};
use ternzk_compiler::safetensors_io::blake3_hex;
use ternzk_compiler::{
    dense_from_tensors, Calibration, CompileOptions, DenseModel, NamedTensor, ScaleMode,
    SearchOptions, Support,
};
use ternzk_prover::hiding_key::{HidingKey, HidingKeyGens, KeySecrets};
use ternzk_prover::mlp::MlpVk;

/// What compiling reported (absent for a model loaded from a file).
#[derive(Clone, Debug, Default)]
struct Report {
    accuracy_dense: Option<f64>,
    accuracy_compiled: Option<f64>,
    eval_samples: usize,
    eval_data: Option<String>,
    compile_seconds: Option<f64>,
}

/// A compiled sparse ternary MLP (``ternzk.compile`` or ``ternzk.load``).
///
/// Attributes report its shape, density and — when compiled with evaluation data —
/// the accuracy of the dense source and of the compiled integer model.
#[pyclass(module = "ternzk", name = "CompiledModel", frozen)]
pub struct CompiledModel {
    pub(crate) model: Arc<ternzk_compiler::CompiledModel>,
    report: Report,
    /// The digest of this model's verifying key, once known (commit, or the first
    /// proof): a key for another model is then refused before proving.
    digest: OnceLock<[u8; 32]>,
}

impl CompiledModel {
    fn new(model: ternzk_compiler::CompiledModel, report: Report) -> Self {
        Self {
            model: Arc::new(model),
            report,
            digest: OnceLock::new(),
        }
    }

    fn widths(&self) -> Vec<usize> {
        let m = &self.model;
        let mut w = vec![m.n_in()];
        w.extend(m.layers.iter().map(|l| l.n_out()));
        w
    }

    /// Whether the model takes images (one pixel scale) rather than a per-feature
    /// quantizer.
    fn pixel_model(&self) -> bool {
        self.model.input.per_feature.is_none()
    }

    /// Refuses a public key made for another model (its digest is compared with this
    /// model's key's, computed once). Cost: one commitment on the first call.
    fn check_public_key(&self, vk: &MlpVk) -> Result<(), ternzk_api::Error> {
        let own = match self.digest.get() {
            Some(d) => *d,
            None => {
                let d = commit(&self.model)?.digest;
                let _ = self.digest.set(d);
                d
            }
        };
        if own != vk.digest {
            return Err(ternzk_api::Error::Usage(format!(
                "the key (digest {}) was not made for this model (its key's digest is {})",
                hex(&vk.digest[..8]),
                hex(&own[..8])
            )));
        }
        Ok(())
    }

    /// Inputs checked and quantized (GIL released by the caller).
    fn quantized(&self, values: &[f64]) -> Result<Vec<u8>, ternzk_api::Error> {
        check_rows(values, self.model.n_in())?;
        quantize(&self.model, values)
    }
}

#[pymethods]
impl CompiledModel {
    /// Input width.
    #[getter]
    fn n_in(&self) -> usize {
        self.model.n_in()
    }

    /// Number of outputs (logits); one output is a binary classifier.
    #[getter]
    fn n_out(&self) -> usize {
        self.model.n_out()
    }

    /// Layer widths, input first: ``[784, 256, 256, 10]``.
    #[getter]
    fn shape(&self) -> Vec<usize> {
        self.widths()
    }

    /// Nonzero (ternary) weights kept.
    #[getter]
    fn nnz(&self) -> usize {
        self.model.nnz()
    }

    /// Weights of the dense source (``sum(n_in * n_out)``).
    #[getter]
    fn params(&self) -> usize {
        self.model.params()
    }

    /// Fraction of the weights kept: ``nnz / params``.
    #[getter]
    fn density(&self) -> f64 {
        self.model.nnz() as f64 / self.model.params().max(1) as f64
    }

    /// The density asked for, per layer.
    #[getter]
    fn density_requested(&self) -> Vec<f64> {
        self.model.info.density.clone()
    }

    /// ``"pixel"`` (an image model: inputs are pixels 0…255 or reals in [0, 1]) or
    /// ``"per-feature"`` (a quantizer fitted per feature on the calibration data).
    #[getter]
    fn input_quant(&self) -> &'static str {
        if self.pixel_model() {
            "pixel"
        } else {
            "per-feature"
        }
    }

    /// The calibration data's name (``"fashion-mnist"``, a file name, ``"numpy-array"``).
    #[getter]
    fn calibration(&self) -> String {
        self.model.info.calibration.clone()
    }

    /// Accuracy of the dense float source on the evaluation data (``None`` without
    /// evaluation, or for a loaded model).
    #[getter]
    fn accuracy_dense(&self) -> Option<f64> {
        self.report.accuracy_dense
    }

    /// Accuracy of the compiled integer model on the evaluation data (``None`` without
    /// evaluation, or for a loaded model).
    #[getter]
    fn accuracy_compiled(&self) -> Option<f64> {
        self.report.accuracy_compiled
    }

    /// Number of samples the accuracies were measured on (0 without evaluation).
    #[getter]
    fn eval_samples(&self) -> usize {
        self.report.eval_samples
    }

    /// The evaluation data's name (``"fashion-mnist"``, a file, ``"arrays"``), if any.
    #[getter]
    fn eval_data(&self) -> Option<String> {
        self.report.eval_data.clone()
    }

    /// Seconds compiling took (``None`` for a loaded model).
    #[getter]
    fn compile_seconds(&self) -> Option<f64> {
        self.report.compile_seconds
    }

    /// Classes of one input (1-D, ``n_in`` values) or a batch (2-D), as an int64 array
    /// of length ``batch``. Inputs are real values quantized by the model's quantizer;
    /// an image model also takes pixel values 0…255 when all values are such integers.
    fn predict<'py>(
        &self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray1<i64>>> {
        let (values, batch) = input_rows(x, self.model.n_in(), "input")?;
        let model = self.model.clone();
        let classes = py
            .allow_threads(|| {
                let q = self.quantized(&values)?;
                Ok::<_, ternzk_api::Error>(model.predict_batch(&q, batch))
            })
            .map_err(to_py)?;
        Ok(arrays::classes(py, &classes))
    }

    /// Real-valued logits (``[batch, n_out]`` float64) of the integer model: its integer
    /// logits times the last layer's scales. Inputs as for :meth:`predict`.
    fn logits<'py>(
        &self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let (values, batch) = input_rows(x, self.model.n_in(), "input")?;
        let model = self.model.clone();
        let logits = py
            .allow_threads(|| {
                let q = self.quantized(&values)?;
                let z = model.infer_batch_i32(&q, batch);
                Ok::<_, ternzk_api::Error>(dequantize_logits(&model, &z))
            })
            .map_err(to_py)?;
        Ok(arrays::matrix(py, logits, self.model.n_out()))
    }

    /// Top-1 accuracy of the integer model on inputs ``x`` (2-D) and labels ``y``
    /// (1-D class indices). Inputs as for :meth:`predict`.
    fn evaluate(
        &self,
        py: Python<'_>,
        x: &Bound<'_, PyAny>,
        y: &Bound<'_, PyAny>,
    ) -> PyResult<f64> {
        let (values, batch) = input_rows(x, self.model.n_in(), "input")?;
        let labels = arrays::labels(y)?;
        if labels.len() != batch {
            return Err(value(format!("{} labels for {batch} inputs", labels.len())));
        }
        let model = self.model.clone();
        let pred = py
            .allow_threads(|| {
                let q = self.quantized(&values)?;
                Ok::<_, ternzk_api::Error>(model.predict_batch(&q, batch))
            })
            .map_err(to_py)?;
        let right = pred
            .iter()
            .zip(&labels)
            .filter(|(p, l)| **p == **l as usize)
            .count();
        Ok(right as f64 / batch as f64)
    }

    /// Writes the model (the ``ternzk compile`` file format, read by ``ternzk load``
    /// and every ``ternzk`` command). Returns the bytes written. Raises ``OSError``.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<u64> {
        let model = self.model.clone();
        py.allow_threads(|| model.save(&path)).map_err(compiler)
    }

    /// Commits to the model: returns ``(VerifyingKey, secret)``.
    ///
    /// ``hiding=False``: the public key, and ``None``. The key binds the weights (Hyrax
    /// commitments to the ternary rows) and holds the biases and requantization
    /// parameters in the clear; proofs against it reveal the model (docs/protocol.md,
    /// "What is hidden"). Deterministic: the same model gives the same key.
    ///
    /// ``hiding=True``: the hiding (private-model) key, as ``ternzk commit --hiding``
    /// makes it, and its :class:`ProverSecret`. The key reveals only the layer widths,
    /// the requantization shifts, the input quantizer and the output scales; weights,
    /// biases and multipliers are blinded commitments, and the key carries a
    /// zero-knowledge proof that every weight is in {-1, 0, 1}. Randomized: each call
    /// makes a new key. The secret opens the key: :meth:`prove` needs it, so keep it
    /// (:meth:`ProverSecret.save`) and keep it private; it is never part of the key.
    ///
    /// The GIL is released while committing.
    #[pyo3(signature = (hiding = false))]
    fn commit(
        &self,
        py: Python<'_>,
        hiding: bool,
    ) -> PyResult<(VerifyingKey, Option<ProverSecret>)> {
        let model = self.model.clone();
        if hiding {
            let (key, secrets) = py.allow_threads(|| commit_hiding(&model)).map_err(to_py)?;
            return Ok((
                VerifyingKey::new(ModelKey::Hiding(key)),
                Some(ProverSecret::new(secrets)),
            ));
        }
        let vk = py.allow_threads(|| commit(&model)).map_err(to_py)?;
        let _ = self.digest.set(vk.digest);
        Ok((VerifyingKey::new(ModelKey::Public(vk)), None))
    }

    /// Runs the model on ``x`` (one input, 1-D, or a batch, 2-D) and proves its
    /// logits against ``key`` (this model's :meth:`commit`). Inputs as for
    /// :meth:`predict`: real values quantized by the model's quantizer.
    ///
    /// With a public key: ``private_input=False`` makes the public proof (the quantized
    /// input is in the proof); ``private_input=True`` (the command's
    /// ``--private-input``) the zero-knowledge proof: the proof carries a hiding
    /// (blinded) commitment to the input instead of the input, and reveals nothing
    /// about the input or any hidden activation; the model (its key) and the logits are
    /// public. It costs about 11-14x the public proof's time at batch 1 and 3.1-3.6x at
    /// batch 256 (784-256-256-10).
    ///
    /// With a hiding key (``commit(hiding=True)``): the private-model proof, which needs
    /// the key's :class:`ProverSecret` (``secret=``). It reveals nothing about the
    /// weights, biases, multipliers or any activation; the input, the layer widths and
    /// the logits are public (``Proof.mode`` ``"private-model"``). With
    /// ``private_input=True`` the input is hidden too (``"private-both"``).
    ///
    /// Zero-knowledge proofs are randomized (two proofs of one input differ). See
    /// docs/protocol.md, "What is hidden", and docs/decisions.md, "Private-model proof".
    ///
    /// Raises ``ValueError`` for a wrong shape, a non-finite value, a key made for
    /// another model (a public key is checked against this model before proving; a
    /// hiding key too, through its secret: the secret must open the key to this
    /// model's weights, biases and multipliers), a hiding key without its secret
    /// or with another key's, or a secret with a public key. The GIL is released while
    /// proving.
    #[pyo3(signature = (x, key, private_input = false, secret = None))]
    fn prove(
        &self,
        py: Python<'_>,
        x: &Bound<'_, PyAny>,
        key: PyRef<'_, VerifyingKey>,
        private_input: bool,
        secret: Option<PyRef<'_, ProverSecret>>,
    ) -> PyResult<Proof> {
        let (values, batch) = input_rows(x, self.model.n_in(), "input")?;
        let key_ref: &VerifyingKey = &key;
        let secrets = match (key_ref.hiding_key(), &secret) {
            (Some(k), Some(s)) => {
                if s.secrets.key_digest != k.digest {
                    return Err(value(format!(
                        "the secret opens another hiding key (digest {}…), not this one \
                         (digest {}…)",
                        hex(&s.secrets.key_digest[..8]),
                        hex(&k.digest[..8])
                    )));
                }
                Some(s.secrets.clone())
            }
            (Some(_), None) => {
                return Err(value(
                    "a hiding key needs its ProverSecret to prove: pass secret= (the second \
                     value of commit(hiding=True), or ProverSecret.load(path) for the file \
                     `ternzk commit --hiding` wrote)",
                ))
            }
            (None, Some(_)) => {
                return Err(value(
                    "secret= goes with a hiding key (commit(hiding=True)); this key is public",
                ))
            }
            (None, None) => None,
        };
        let (file, prove_ms) = py
            .allow_threads(|| {
                let q = self.quantized(&values)?;
                let keys: &KeyCache = &key_ref.keys;
                match (&*key_ref.key, &secrets) {
                    (ModelKey::Hiding(k), Some(s)) => {
                        ternzk_api::proving::check_opens(&self.model, k, s)?;
                        keys.for_hidden(k, batch);
                        keys.mask_for_hidden(k, batch);
                        let t0 = Instant::now();
                        let (file, _) =
                            prove_hidden(&self.model, k, s, keys, &q, batch, private_input)?;
                        Ok((file, t0.elapsed().as_secs_f64() * 1e3))
                    }
                    (ModelKey::Public(vk), _) => {
                        self.check_public_key(vk)?;
                        keys.for_batch(vk, batch);
                        if private_input {
                            keys.mask_for_batch(vk, batch);
                        }
                        let t0 = Instant::now();
                        let (file, _) = prove(&self.model, vk, keys, &q, batch, private_input)?;
                        Ok((file, t0.elapsed().as_secs_f64() * 1e3))
                    }
                    (ModelKey::Hiding(_), None) => Err(ternzk_api::Error::Usage(
                        "a hiding key needs its secret".into(),
                    )),
                }
            })
            .map_err(to_py)?;
        Ok(Proof::made(
            file,
            self.model.n_out(),
            Some(logit_scales(&self.model)),
            Some(prove_ms),
        ))
    }

    fn __repr__(&self) -> String {
        let shape: Vec<String> = self.widths().iter().map(|w| w.to_string()).collect();
        let acc = match (self.report.accuracy_dense, self.report.accuracy_compiled) {
            (Some(d), Some(c)) => format!(
                ", accuracy {d:.4} dense → {c:.4} compiled on {} samples",
                self.report.eval_samples
            ),
            _ => String::new(),
        };
        format!(
            "CompiledModel({}, density {:.4} ({}/{} weights), {} input{acc})",
            shape.join("-"),
            self.density(),
            self.model.nnz(),
            self.model.params(),
            self.input_quant()
        )
    }
}

/// Per logit, the real value of one integer unit: `α_i · input_scale` of the last
/// layer (what [`ternzk_api::outputs::dequantize_logits`] multiplies by). Cost: O(n_out).
pub fn logit_scales(model: &ternzk_compiler::CompiledModel) -> Vec<f64> {
    ternzk_api::proving::public_quant(model).output_scales
}

/// A hiding key for `model` with fresh blindings, and its secret: `ternzk commit
/// --hiding`'s steps. Cost: the generators, the commitments and the well-formedness
/// proof ([`HidingKey::commit`]).
fn commit_hiding(
    model: &ternzk_compiler::CompiledModel,
) -> Result<(HidingKey, KeySecrets), ternzk_api::Error> {
    let layers = model.mlp_layers();
    let gens = HidingKeyGens::for_shapes(layers.iter().map(|l| (l.weights.n_in, l.weights.n_out)));
    let mut rng = StdRng::from_entropy();
    HidingKey::commit(
        &layers,
        ternzk_api::proving::public_quant(model),
        &gens,
        &mut rng,
    )
    .map_err(ternzk_api::Error::Prove)
}

/// Hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where the dense source comes from.
enum Src {
    File(PathBuf),
    Tensors(Vec<NamedTensor>),
}

/// Calibration or evaluation data as given from Python.
enum Data {
    /// `fashion-mnist`, `uniform` (calibration only) or a data file.
    Named(String),
    /// Rows of real values, with labels for evaluation.
    Rows {
        values: Vec<f64>,
        dim: usize,
        labels: Option<Vec<u32>>,
    },
}

fn src_of(src: &Bound<'_, PyAny>) -> PyResult<Src> {
    if let Ok(path) = src.extract::<PathBuf>() {
        return Ok(Src::File(path));
    }
    let Ok(map) = src.downcast::<PyMapping>() else {
        return Err(value(
            "src must be a path (.safetensors or .onnx) or a mapping of names to arrays \
             (a state_dict with .numpy() values, or ternzk.from_sklearn(clf))",
        ));
    };
    let mut tensors = Vec::new();
    for item in map.items()?.iter() {
        let (name, array): (String, Bound<'_, PyAny>) = item.extract()?;
        // A torch tensor: detach it and take its numpy view.
        let array = if array.hasattr("detach")? {
            array
                .call_method0("detach")?
                .call_method0("cpu")?
                .call_method0("numpy")?
        } else {
            array
        };
        let (values, shape) = f32_values(&array)
            .map_err(|e| value(format!("tensor `{name}` is not a numeric array: {e}")))?;
        tensors.push(NamedTensor {
            name,
            shape,
            values,
        });
    }
    Ok(Src::Tensors(tensors))
}

fn data_of(d: &Bound<'_, PyAny>, what: &str, with_labels: bool) -> PyResult<Data> {
    if let Ok(path) = d.extract::<PathBuf>() {
        return Ok(Data::Named(path.to_string_lossy().into_owned()));
    }
    let (x, y) = if with_labels {
        let t = d.downcast::<PyTuple>().map_err(|_| {
            value(format!(
                "{what} must be a data file's path, \"fashion-mnist\", or a tuple (x, y)"
            ))
        })?;
        if t.len() != 2 {
            return Err(value(format!("{what} must be a tuple (x, y)")));
        }
        (t.get_item(0)?, Some(t.get_item(1)?))
    } else {
        (d.clone(), None)
    };
    let (values, shape) = f64_values(&x)?;
    let dim = match shape.as_slice() {
        [n, d] if *n > 0 && *d > 0 => *d,
        _ => {
            return Err(value(format!(
                "{what}: inputs must be a non-empty 2-D array [n, features]; got shape {shape:?}"
            )))
        }
    };
    let labels = match y {
        Some(y) => {
            let l = arrays::labels(&y)?;
            if l.len() != shape[0] {
                return Err(value(format!(
                    "{what}: {} labels for {} inputs",
                    l.len(),
                    shape[0]
                )));
            }
            Some(l)
        }
        None => None,
    };
    Ok(Data::Rows {
        values,
        dim,
        labels,
    })
}

/// A table of real rows (finite values checked; `pixel_model` turns integer pixel
/// values into `pixel / 255`).
fn rows_table(
    name: &str,
    values: &[f64],
    dim: usize,
    labels: Option<Vec<u32>>,
    pixel_model: bool,
) -> Result<Table, ternzk_api::Error> {
    check_rows(values, dim).map_err(|e| ternzk_api::Error::Usage(format!("{name}: {e}")))?;
    Ok(Table {
        name: name.into(),
        dim,
        x: as_real(pixel_model, values),
        labels,
        pixels: false,
    })
}

fn density_arg(d: Option<&Bound<'_, PyAny>>, global: bool) -> PyResult<ternzk_compiler::Density> {
    let Some(d) = d else {
        return density_of(&[0.25], global).map_err(to_py);
    };
    if let Ok(s) = d.extract::<String>() {
        return parse_density(&s, global).map_err(to_py);
    }
    if let Ok(v) = d.extract::<f64>() {
        return density_of(&[v], global).map_err(to_py);
    }
    if let Ok(v) = d.extract::<Vec<f64>>() {
        return density_of(&v, global).map_err(to_py);
    }
    Err(value(
        "density must be a number, a string such as \"1/16\", or a list with one per layer",
    ))
}

/// Compiles a dense MLP into a sparse ternary model and reports the accuracy kept.
///
/// ``src``: a ``.safetensors`` (PyTorch ``nn.Linear`` layout) or ``.onnx`` path, or a
/// mapping of tensor names to arrays — a PyTorch ``state_dict`` (tensors or their
/// ``.numpy()``), or ``ternzk.from_sklearn(clf)``. Layers are the ``*.weight`` tensors
/// in natural order (``layers=`` names them explicitly); ReLU between layers.
///
/// ``density``: fraction of weights kept (``0.25``, ``"1/16"``, or one per layer).
/// ``calib``: ``"fashion-mnist"`` (default), ``"uniform"``, a data file (``.npz``,
/// ``.npy``, ``.csv``, ``.safetensors``), or an array ``[n, n_in]`` of real inputs
/// (the input quantizer is then fitted per feature); ``calib_samples`` rows are used.
/// ``eval``: ``(x, y)`` arrays or a labelled data file / ``"fashion-mnist"`` (test
/// split); by default Fashion-MNIST when calibrating on it; ``False`` skips it.
/// ``support``: ``"search"`` (default) or ``"magnitude"``; ``per_layer``: one
/// ternary scale per layer; ``fit``: refit scales and biases by least squares.
///
/// Same options and messages as ``ternzk compile``. Raises ``ValueError`` for a bad
/// model or option, ``OSError`` for an unreadable file. The GIL is released while
/// compiling and evaluating.
#[pyfunction]
#[pyo3(signature = (src, *, density = None, calib = None, eval = None, support = "search",
    per_layer = false, global_density = false, calib_samples = 1000, percentile = 99.99,
    fit = true, layers = None, limit = None, label_column = None))]
#[allow(clippy::too_many_arguments)]
pub fn compile(
    py: Python<'_>,
    src: &Bound<'_, PyAny>,
    density: Option<&Bound<'_, PyAny>>,
    calib: Option<&Bound<'_, PyAny>>,
    eval: Option<&Bound<'_, PyAny>>,
    support: &str,
    per_layer: bool,
    global_density: bool,
    calib_samples: usize,
    percentile: f64,
    fit: bool,
    layers: Option<Vec<String>>,
    limit: Option<usize>,
    label_column: Option<String>,
) -> PyResult<CompiledModel> {
    let src = src_of(src)?;
    let density = density_arg(density, global_density)?;
    let calib = match calib {
        None => Data::Named(FASHION_MNIST.into()),
        Some(c) => data_of(c, "calib", false)?,
    };
    let skip_eval = match eval {
        Some(e) => e.extract::<bool>().ok() == Some(false),
        None => false,
    };
    let eval = match eval {
        Some(e) if !skip_eval => Some(data_of(e, "eval", true)?),
        _ => None,
    };
    let opts = CompileOptions {
        density,
        support: Support::parse(support).map_err(compiler)?,
        search: SearchOptions::default(),
        mode: if per_layer {
            ScaleMode::PerLayer
        } else {
            ScaleMode::PerRow
        },
        calibration: match &calib {
            Data::Named(s) => Calibration::parse(s).map_err(compiler)?,
            Data::Rows { .. } => Calibration::File("numpy-array".into()),
        },
        calib_samples,
        percentile,
        layers,
        fit,
    };
    // As the command: evaluate on Fashion-MNIST's test split when calibrating on it.
    let eval = match (eval, skip_eval, &opts.calibration) {
        (Some(e), _, _) => Some(e),
        (None, false, Calibration::FashionMnist) => Some(Data::Named(FASHION_MNIST.into())),
        _ => None,
    };
    let result =
        py.allow_threads(move || compile_inner(src, &opts, calib, eval, limit, label_column));
    let (model, report) = result.map_err(to_py)?;
    Ok(CompiledModel::new(model, report))
}

fn compile_inner(
    src: Src,
    opts: &CompileOptions,
    calib: Data,
    eval: Option<Data>,
    limit: Option<usize>,
    label_column: Option<String>,
) -> Result<(ternzk_compiler::CompiledModel, Report), ternzk_api::Error> {
    let start = Instant::now();
    // The evaluation data first: bad data fails before compiling.
    let pixel_calib = matches!(
        opts.calibration,
        Calibration::FashionMnist | Calibration::Uniform
    );
    let (eval_name, mut test_set) = match eval {
        None => (None, None),
        Some(Data::Named(name)) => {
            let spec = DataSpec {
                data: name.clone(),
                labels: None,
                label_column,
            };
            (Some(name), Some(data::load(&spec, Split::Test)?))
        }
        Some(Data::Rows {
            values,
            dim,
            labels,
        }) => (
            Some("arrays".to_string()),
            Some(rows_table("eval", &values, dim, labels, pixel_calib)?),
        ),
    };
    if let (Some(ds), Some(n)) = (&mut test_set, limit) {
        ds.truncate(n);
    }
    let (dense, source): (DenseModel, Source) = match src {
        Src::File(path) => {
            let file = ternzk_compiler::safetensors_io::MappedFile::open(&path)?;
            let dense =
                ternzk_compiler::safetensors_io::load_dense_mapped(&file, opts.layers.as_deref())?;
            let source = Source {
                file: path
                    .file_name()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                blake3: blake3_hex(&file),
                bytes: file.bytes().len() as u64,
            };
            (dense, source)
        }
        Src::Tensors(tensors) => {
            let (dense, blake3) = dense_from_tensors(&tensors, opts.layers.as_deref())?;
            let bytes = tensors.iter().map(|t| 4 * t.values.len() as u64).sum();
            let source = Source {
                file: "state_dict".into(),
                blake3,
                bytes,
            };
            (dense, source)
        }
    };
    let n = opts.calib_samples.max(1);
    let calib_table = match calib {
        Data::Named(_) => opts.calibration.table(n, dense.n_in())?,
        Data::Rows { values, dim, .. } => {
            let mut t = rows_table("calib", &values, dim, None, false)?;
            t.check_width(dense.n_in())?;
            t.truncate(n);
            t
        }
    };
    let compiled = compile_table(&dense, &source, opts, &calib_table, &|_| {})?;
    let compile_seconds = start.elapsed().as_secs_f64();
    let mut report = Report {
        compile_seconds: Some(compile_seconds),
        eval_data: eval_name,
        ..Report::default()
    };
    if let Some(ds) = &test_set {
        ds.check_width(compiled.n_in())?;
        ds.check_labels(compiled.n_out())?;
        report.eval_samples = ds.len();
        report.accuracy_dense = Some(accuracy_dense_table(&dense, ds, &|_| {})?);
        report.accuracy_compiled = Some(accuracy_compiled_table(&compiled, ds, &|_| {})?);
    }
    Ok((compiled, report))
}

/// Loads a compiled model written by :meth:`CompiledModel.save` or ``ternzk compile``.
/// A dense model is a ``ValueError`` (compile it first); an unreadable file an
/// ``OSError``.
#[pyfunction]
pub fn load(py: Python<'_>, path: PathBuf) -> PyResult<CompiledModel> {
    let model = py
        .allow_threads(|| ternzk_api::files::load_compiled(&path))
        .map_err(to_py)?;
    Ok(CompiledModel::new(model, Report::default()))
}

#[cfg(test)]
mod tests {
    use super::hex;

    #[test]
    fn hex_is_lowercase_pairs() {
        assert_eq!(hex(&[0, 0xab, 0x10]), "00ab10");
    }
}

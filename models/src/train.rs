//! Training with candle on the CPU (feature `train`).
//!
//! * [`train_dense`]: a dense MLP from scratch on Fashion-MNIST-like data (AdamW,
//!   minibatches, cosine learning-rate decay, fixed seeds, inputs `pixel / 255`).
//! * [`train_qat`]: quantization-aware ternary fine-tuning of a dense model. Every step
//!   the latent float weights are pruned and ternarized with the compiler's own rule
//!   ([`crate::ternary::ternary_model`]); the forward pass uses those ternary weights,
//!   and the gradient reaches the latent weights through a straight-through estimator
//!   (`w + stopgrad(α·T − w)`). Hidden activations are rounded to the u8 grid the
//!   integer engine uses, with the scales the compiler would choose
//!   ([`crate::ternary::compile_in_memory`], refreshed periodically), again with a
//!   straight-through gradient. The result is saved as the float ternary model
//!   `α·T` (PyTorch layout), which `ternzk compile` maps to exactly the same support
//!   and signs.

use crate::arch::layer_name;
use crate::ternary::{compile_in_memory, compiler_options, ternary_model};
use anyhow::{ensure, Context, Result};
use candle_core::{DType, Device, Tensor, Var, D};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::time::Instant;
use ternzk_compiler::data::Table;
use ternzk_compiler::dataset::{load_fashion_mnist, Dataset, Split};
use ternzk_compiler::evaluate::{accuracy_compiled_table, accuracy_dense_table};
use ternzk_compiler::input_fit::{self, fold_scales, FeatureQuant};
use ternzk_compiler::{CompileOptions, CompiledModel, DenseLayer, DenseModel, Density, ScaleMode};

/// Images per evaluation batch.
const EVAL_BATCH: usize = 1000;

/// Training and test data as candle tensors, with the real-valued test set for the
/// compiler's integer engine and the calibration rows for the compiler.
///
/// The tensors are what the trained MLP's first layer sees: real inputs as given
/// ([`Data::input`] `None`: images as `pixel / 255`, or any data for dense training),
/// or, for QAT on non-image data, the quantized inputs in integer steps `q − zp` of
/// the per-feature quantizer the compiler fits on the same calibration rows (the
/// first layer then holds `W·diag(s)`, the weights the compiler ternarizes).
pub struct Data {
    /// `[n_train, dim]` f32 inputs.
    pub train_x: Tensor,
    /// `[n_train]` u32 labels.
    pub train_y: Tensor,
    /// `[n_test, dim]` f32 inputs.
    pub test_x: Tensor,
    /// The test split as real values with labels (integer engine, float reference).
    pub test: Table,
    /// Calibration inputs for the compiler: the first `calib_samples` training rows
    /// (what `ternzk compile --calib TRAIN --calib-samples N` uses).
    pub calib: Table,
    /// The input quantizer the tensors are expressed in (see above), if any.
    pub input: Option<FeatureQuant>,
}

fn table_tensor(x: &[f32], n: usize, dim: usize) -> Result<Tensor> {
    Ok(Tensor::from_vec(x.to_vec(), (n, dim), &Device::Cpu)?)
}

fn labels_of(t: &Table) -> Result<&[u32]> {
    t.labels
        .as_deref()
        .with_context(|| format!("{}: training and test data need labels", t.name))
}

impl Data {
    /// Wraps a training and a test set of u8 images (same width), inputs
    /// `pixel / 255`, and keeps the first `calib_samples` training images for
    /// calibration. Cost: O(pixels).
    pub fn new(train: &Dataset, test: Dataset, calib_samples: usize) -> Result<Self> {
        let table = |d: &Dataset, name: &str| Table {
            name: name.into(),
            dim: d.dim,
            x: d.images.iter().map(|&p| p as f32 / 255.0).collect(),
            labels: Some(d.labels.iter().map(|&l| l as u32).collect()),
            pixels: true,
        };
        Self::from_tables(
            &table(train, "train"),
            &table(&test, "test"),
            calib_samples,
            false,
        )
    }

    /// Wraps labelled training and test tables (same width) and keeps the first
    /// `calib_samples` training rows for calibration. With `quantized` and non-image
    /// data the tensors hold `q − zp` of the per-feature quantizer fitted on those
    /// rows (for QAT); otherwise the real values. Cost: O(values).
    pub fn from_tables(
        train: &Table,
        test: &Table,
        calib_samples: usize,
        quantized: bool,
    ) -> Result<Self> {
        ensure!(
            !train.is_empty() && !test.is_empty(),
            "empty training or test set"
        );
        ensure!(
            train.dim == test.dim,
            "training rows have {} features, test rows {}",
            train.dim,
            test.dim
        );
        let train_labels = labels_of(train)?.to_vec();
        labels_of(test)?;
        let mut calib = train.slice(0, calib_samples.clamp(1, train.len()))?;
        calib.labels = None;
        let input = if quantized && !train.pixels {
            Some(input_fit::fit(&calib)?)
        } else {
            None
        };
        let domain = |t: &Table| -> Vec<f32> {
            match &input {
                None => t.x.clone(),
                Some(f) => f
                    .quantize_rows(&t.x)
                    .iter()
                    .enumerate()
                    .map(|(i, &q)| (q as i32 - f.zero_points[i % t.dim]) as f32)
                    .collect(),
            }
        };
        Ok(Self {
            train_x: table_tensor(&domain(train), train.len(), train.dim)?,
            train_y: Tensor::from_vec(train_labels, train.len(), &Device::Cpu)?,
            test_x: table_tensor(&domain(test), test.len(), test.dim)?,
            test: test.clone(),
            calib,
            input,
        })
    }

    /// Fashion-MNIST from [`ternzk_compiler::dataset::fashion_mnist_dir`], optionally
    /// truncated, with the compiler's default 1000 calibration images.
    pub fn fashion_mnist(limit_train: Option<usize>, limit_test: Option<usize>) -> Result<Self> {
        let mut train = load_fashion_mnist(Split::Train)?;
        let mut test = load_fashion_mnist(Split::Test)?;
        if let Some(n) = limit_train {
            train.truncate(n);
        }
        if let Some(n) = limit_test {
            test.truncate(n);
        }
        Self::new(&train, test, CompileOptions::default().calib_samples)
    }

    /// Number of training rows.
    pub fn n_train(&self) -> usize {
        self.train_x.dims()[0]
    }

    /// Input width.
    pub fn dim(&self) -> usize {
        self.train_x.dims()[1]
    }

    /// The test labels.
    pub fn test_labels(&self) -> &[u32] {
        self.test.labels.as_deref().unwrap_or(&[])
    }
}

/// One linear layer's trainable parameters (PyTorch layout: `w` is `[out, in]`).
struct Linear {
    name: String,
    n_in: usize,
    n_out: usize,
    w: Var,
    b: Var,
}

/// A float MLP (ReLU between layers, none after the last) held as candle variables.
pub struct Mlp {
    layers: Vec<Linear>,
}

impl Mlp {
    /// A fresh MLP with widths `dims` (input first) and PyTorch's default
    /// initialisation (`U(−1/√in, 1/√in)` for weights and biases) from `seed`.
    pub fn new(dims: &[usize], seed: u64) -> Result<Self> {
        ensure!(dims.len() >= 2, "an MLP needs at least two widths");
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut layers = Vec::new();
        for (i, w) in dims.windows(2).enumerate() {
            let (n_in, n_out) = (w[0], w[1]);
            let bound = 1.0 / (n_in as f32).sqrt();
            let wv: Vec<f32> = (0..n_in * n_out)
                .map(|_| rng.gen_range(-bound..bound))
                .collect();
            let bv: Vec<f32> = (0..n_out).map(|_| rng.gen_range(-bound..bound)).collect();
            layers.push(Linear {
                name: layer_name(i),
                n_in,
                n_out,
                w: Var::from_tensor(&Tensor::from_vec(wv, (n_out, n_in), &Device::Cpu)?)?,
                b: Var::from_tensor(&Tensor::from_vec(bv, n_out, &Device::Cpu)?)?,
            });
        }
        Ok(Self { layers })
    }

    /// The MLP holding `model`'s weights (layer names kept).
    pub fn from_dense(model: &DenseModel) -> Result<Self> {
        model.validate()?;
        let layers = model
            .layers
            .iter()
            .map(|l| {
                Ok(Linear {
                    name: l.name.clone(),
                    n_in: l.n_in,
                    n_out: l.n_out,
                    w: Var::from_tensor(&Tensor::from_slice(
                        &l.weight,
                        (l.n_out, l.n_in),
                        &Device::Cpu,
                    )?)?,
                    b: Var::from_tensor(&Tensor::from_slice(&l.bias, l.n_out, &Device::Cpu)?)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self { layers })
    }

    /// The current weights as a compiler [`DenseModel`]. Cost: copies all parameters.
    pub fn to_dense(&self) -> Result<DenseModel> {
        let layers = self
            .layers
            .iter()
            .map(|l| {
                Ok(DenseLayer {
                    name: l.name.clone(),
                    n_out: l.n_out,
                    n_in: l.n_in,
                    weight: l.w.as_tensor().flatten_all()?.to_vec1::<f32>()?,
                    bias: l.b.as_tensor().to_vec1::<f32>()?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(DenseModel { layers })
    }

    /// Layer widths, input first.
    pub fn dims(&self) -> Vec<usize> {
        let mut d = vec![self.layers[0].n_in];
        d.extend(self.layers.iter().map(|l| l.n_out));
        d
    }

    /// Number of weights (biases excluded).
    pub fn params(&self) -> usize {
        self.layers.iter().map(|l| l.n_in * l.n_out).sum()
    }

    fn vars(&self) -> Vec<Var> {
        self.layers
            .iter()
            .flat_map(|l| [l.w.clone(), l.b.clone()])
            .collect()
    }

    fn dense_weights(&self) -> Vec<Tensor> {
        self.layers
            .iter()
            .map(|l| l.w.as_tensor().clone())
            .collect()
    }

    /// Logits for the inputs `x` (`[batch, in]`) with weight matrices `weights` (one
    /// `[out, in]` tensor per layer: the variables themselves, or their ternarized
    /// stand-ins) and this MLP's biases. With `act_scales` (one per hidden layer),
    /// each hidden activation is rounded to `s·clamp(round(h/s), 0, 255)` as in the
    /// integer engine, with a straight-through gradient.
    pub fn forward(
        &self,
        x: &Tensor,
        weights: &[Tensor],
        act_scales: Option<&[f64]>,
    ) -> Result<Tensor> {
        let last = self.layers.len() - 1;
        let mut h = x.clone();
        for (i, (l, w)) in self.layers.iter().zip(weights).enumerate() {
            h = h.matmul(&w.t()?)?.broadcast_add(l.b.as_tensor())?;
            if i < last {
                h = h.relu()?;
                if let Some(s) = act_scales {
                    let s = s[i];
                    let hd = h.detach();
                    let q = (((&hd / s)?.round()?.clamp(0f32, 255f32)? * s)? - &hd)?;
                    h = (h + q)?;
                }
            }
        }
        Ok(h)
    }

    /// Predicted classes of `x` (in batches). Cost: one forward pass.
    pub fn predict(
        &self,
        x: &Tensor,
        weights: &[Tensor],
        act_scales: Option<&[f64]>,
    ) -> Result<Vec<u32>> {
        let n = x.dims()[0];
        let mut out = Vec::with_capacity(n);
        let mut start = 0;
        while start < n {
            let len = EVAL_BATCH.min(n - start);
            let logits = self.forward(&x.narrow(0, start, len)?, weights, act_scales)?;
            if logits.dims()[1] == 1 {
                // One output unit: a binary classifier, class 1 when the logit is positive.
                let z = logits.flatten_all()?.to_vec1::<f32>()?;
                out.extend(z.iter().map(|&v| u32::from(v > 0.0)));
            } else {
                out.extend(logits.argmax(D::Minus1)?.to_vec1::<u32>()?);
            }
            start += len;
        }
        Ok(out)
    }
}

fn accuracy(pred: &[u32], labels: &[u32]) -> f64 {
    let ok = pred.iter().zip(labels).filter(|(p, l)| **p == **l).count();
    ok as f64 / labels.len().max(1) as f64
}

/// Optimiser settings shared by dense training and QAT.
#[derive(Clone, Debug, Serialize)]
pub struct TrainConfig {
    /// Passes over the training set.
    pub epochs: usize,
    /// Images per minibatch.
    pub batch_size: usize,
    /// Peak AdamW learning rate (cosine decay to 0 over all steps).
    pub lr: f64,
    /// AdamW decoupled weight decay.
    pub weight_decay: f64,
    /// Seed for initialisation and shuffling.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            epochs: 10,
            batch_size: 128,
            lr: 1e-3,
            weight_decay: 1e-4,
            seed: 0,
        }
    }
}

/// One epoch's outcome.
#[derive(Clone, Debug, Serialize)]
pub struct EpochReport {
    /// 1-based epoch number.
    pub epoch: usize,
    /// Mean training loss over the epoch's minibatches.
    pub train_loss: f64,
    /// Test accuracy of the float forward pass (for QAT: ternary weights and, if
    /// enabled, simulated u8 activations).
    pub test_accuracy: f64,
    /// QAT only: test accuracy of the model compiled by the compiler (integer engine).
    pub compiled_accuracy: Option<f64>,
    /// Seconds since training started.
    pub seconds: f64,
}

/// What a training run reports through its progress callback.
pub enum Progress<'a> {
    /// A minibatch was done.
    Step {
        /// 1-based epoch.
        epoch: usize,
        /// Steps done in this epoch.
        step: usize,
        /// Steps per epoch.
        steps: usize,
        /// This minibatch's loss.
        loss: f32,
    },
    /// An epoch was done and evaluated.
    Epoch(&'a EpochReport),
}

/// Outcome of [`train_dense`].
#[derive(Clone, Debug, Serialize)]
pub struct TrainReport {
    /// Layer widths.
    pub dims: Vec<usize>,
    /// Weights (biases excluded).
    pub params: usize,
    /// Training images.
    pub n_train: usize,
    /// Test images.
    pub n_test: usize,
    /// Settings used.
    pub config: TrainConfig,
    /// Per-epoch results.
    pub epochs: Vec<EpochReport>,
    /// Final float test accuracy.
    pub test_accuracy: f64,
    /// Wall time of training and evaluation.
    pub train_seconds: f64,
}

/// The per-step hook of the shared loop: gives the weight tensors for the forward
/// pass (and may refresh state).
trait StepWeights {
    fn weights(&mut self, mlp: &Mlp, step: usize) -> Result<Vec<Tensor>>;
    fn act_scales(&self) -> Option<&[f64]>;
    fn evaluate(&mut self, mlp: &Mlp, data: &Data) -> Result<(f64, Option<f64>)>;
}

struct DenseStep;

impl StepWeights for DenseStep {
    fn weights(&mut self, mlp: &Mlp, _step: usize) -> Result<Vec<Tensor>> {
        Ok(mlp.dense_weights())
    }
    fn act_scales(&self) -> Option<&[f64]> {
        None
    }
    fn evaluate(&mut self, mlp: &Mlp, data: &Data) -> Result<(f64, Option<f64>)> {
        let pred = mlp.predict(&data.test_x, &mlp.dense_weights(), None)?;
        Ok((accuracy(&pred, data.test_labels()), None))
    }
}

/// The shared minibatch loop: shuffles with `cfg.seed`, AdamW with cosine decay,
/// evaluates after every epoch.
fn run(
    mlp: &Mlp,
    data: &Data,
    cfg: &TrainConfig,
    hook: &mut dyn StepWeights,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Vec<EpochReport>> {
    ensure!(cfg.batch_size > 0, "batch size must be positive");
    ensure!(
        data.dim() == mlp.layers[0].n_in,
        "the model takes {} inputs but the data rows have {}",
        mlp.layers[0].n_in,
        data.dim()
    );
    let start = Instant::now();
    let n = data.n_train();
    let steps = n.div_ceil(cfg.batch_size);
    let total = (steps * cfg.epochs).max(1);
    let mut opt = AdamW::new(
        mlp.vars(),
        ParamsAdamW {
            lr: cfg.lr,
            weight_decay: cfg.weight_decay,
            ..ParamsAdamW::default()
        },
    )?;
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed ^ 0x5eed_0f7e);
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut reports = Vec::with_capacity(cfg.epochs);
    let mut global = 0usize;
    for epoch in 1..=cfg.epochs {
        order.shuffle(&mut rng);
        let mut loss_sum = 0f64;
        for (s, chunk) in order.chunks(cfg.batch_size).enumerate() {
            let lr =
                0.5 * cfg.lr * (1.0 + (std::f64::consts::PI * global as f64 / total as f64).cos());
            opt.set_learning_rate(lr);
            let idx = Tensor::from_slice(chunk, chunk.len(), &Device::Cpu)?;
            let x = data.train_x.index_select(&idx, 0)?;
            let y = data.train_y.index_select(&idx, 0)?;
            let weights = hook.weights(mlp, global)?;
            let logits = mlp.forward(&x, &weights, hook.act_scales())?;
            let loss = if logits.dims()[1] == 1 {
                // One output unit z: binary cross-entropy as the softmax of (0, z),
                // whose class-1 probability is sigmoid(z) (log-softmax: stable).
                let two = Tensor::cat(&[&logits.zeros_like()?, &logits], 1)?;
                candle_nn::loss::cross_entropy(&two, &y)?
            } else {
                candle_nn::loss::cross_entropy(&logits, &y)?
            };
            opt.backward_step(&loss)?;
            let l = loss.to_dtype(DType::F32)?.to_scalar::<f32>()?;
            ensure!(
                l.is_finite(),
                "training diverged (loss {l} at epoch {epoch})"
            );
            loss_sum += l as f64;
            global += 1;
            progress(Progress::Step {
                epoch,
                step: s + 1,
                steps,
                loss: l,
            });
        }
        let (test_accuracy, compiled_accuracy) = hook.evaluate(mlp, data)?;
        let r = EpochReport {
            epoch,
            train_loss: loss_sum / steps as f64,
            test_accuracy,
            compiled_accuracy,
            seconds: start.elapsed().as_secs_f64(),
        };
        progress(Progress::Epoch(&r));
        reports.push(r);
    }
    Ok(reports)
}

/// Trains a dense MLP of widths `dims` from scratch. Returns the model and a report.
/// Cost: `epochs · n_train · 6 · params` flops, plus one test pass per epoch.
pub fn train_dense(
    dims: &[usize],
    data: &Data,
    cfg: &TrainConfig,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(DenseModel, TrainReport)> {
    let start = Instant::now();
    let mlp = Mlp::new(dims, cfg.seed)?;
    let epochs = run(&mlp, data, cfg, &mut DenseStep, progress)?;
    let test_accuracy = match epochs.last() {
        Some(e) => e.test_accuracy,
        None => DenseStep.evaluate(&mlp, data)?.0,
    };
    let report = TrainReport {
        dims: mlp.dims(),
        params: mlp.params(),
        n_train: data.n_train(),
        n_test: data.test.len(),
        config: cfg.clone(),
        epochs,
        test_accuracy,
        train_seconds: start.elapsed().as_secs_f64(),
    };
    Ok((mlp.to_dense()?, report))
}

/// Settings of quantization-aware ternary fine-tuning.
#[derive(Clone, Debug)]
pub struct QatConfig {
    /// Optimiser settings.
    pub train: TrainConfig,
    /// Target density, as for `ternzk compile --density`.
    pub density: Density,
    /// Per-layer or per-row ternary scales, as for `ternzk compile`.
    pub mode: ScaleMode,
    /// Simulate the integer engine's u8 activation rounding in the forward pass.
    pub act_quant: bool,
    /// Recompute the compiler's activation scales every this many steps.
    pub rescale_every: usize,
}

impl Default for QatConfig {
    fn default() -> Self {
        Self {
            train: TrainConfig::default(),
            density: Density::Uniform(0.25),
            mode: ScaleMode::PerLayer,
            act_quant: true,
            rescale_every: 50,
        }
    }
}

/// Outcome of [`train_qat`].
#[derive(Clone, Debug, Serialize)]
pub struct QatReport {
    /// Layer widths.
    pub dims: Vec<usize>,
    /// Weights (biases excluded).
    pub params: usize,
    /// Nonzero ternary weights.
    pub nnz: usize,
    /// Training images.
    pub n_train: usize,
    /// Test images.
    pub n_test: usize,
    /// Settings used.
    pub config: TrainConfig,
    /// Requested density per layer (the global fraction for a global density).
    pub density: Vec<f64>,
    /// Whether the density was one global magnitude threshold.
    pub global_density: bool,
    /// `per_layer` or `per_row`.
    pub scale_mode: ScaleMode,
    /// Whether u8 activations were simulated.
    pub act_quant: bool,
    /// Float test accuracy of the source model.
    pub dense_accuracy: f64,
    /// Test accuracy of the source model compiled directly (post-training ternary,
    /// integer engine).
    pub ptq_accuracy: f64,
    /// Per-epoch results.
    pub epochs: Vec<EpochReport>,
    /// Final test accuracy of the QAT forward pass (ternary weights, simulated u8
    /// activations).
    pub qat_accuracy: f64,
    /// Final test accuracy of the fine-tuned model compiled by the compiler (integer
    /// engine): what `ternzk compile` of the saved model reports.
    pub compiled_accuracy: f64,
    /// Test images on which the QAT forward pass and the integer engine disagree.
    pub disagreements: usize,
    /// Wall time of fine-tuning and evaluation.
    pub train_seconds: f64,
}

struct QatStep {
    density: Density,
    mode: ScaleMode,
    opts: CompileOptions,
    calib: Table,
    /// The quantizer the MLP's inputs are expressed in (its first layer is folded).
    input: Option<FeatureQuant>,
    act_quant: bool,
    rescale_every: usize,
    scales: Vec<f64>,
}

impl QatStep {
    /// The ternary model of the current latent weights, as constant tensors.
    fn ternary(&self, mlp: &Mlp) -> Result<(DenseModel, Vec<Tensor>)> {
        let tm = ternary_model(&mlp.to_dense()?, &self.density, self.mode)?;
        let t = tm
            .model
            .layers
            .iter()
            .map(|l| {
                Ok(Tensor::from_slice(
                    &l.weight,
                    (l.n_out, l.n_in),
                    &Device::Cpu,
                )?)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((tm.model, t))
    }

    /// Compiles the current ternary model as the compiler would and takes its
    /// activation scales.
    fn compile(&mut self, model: &DenseModel) -> Result<CompiledModel> {
        let model = unfold(model, self.input.as_ref());
        let (compiled, scales) = compile_in_memory(&model, &self.opts, &self.calib)?;
        self.scales = scales;
        Ok(compiled)
    }

    /// Float (QAT forward) predictions, integer-engine predictions and accuracies.
    fn eval_both(&mut self, mlp: &Mlp, data: &Data) -> Result<(f64, f64, usize)> {
        let (model, weights) = self.ternary(mlp)?;
        let compiled = self.compile(&model)?;
        let pred = mlp.predict(&data.test_x, &weights, self.act_scales())?;
        let q = compiled.input.quantize_rows(&data.test.x);
        let ipred = compiled.predict_batch(&q, data.test.len());
        let disagree = pred
            .iter()
            .zip(&ipred)
            .filter(|(a, b)| **a as usize != **b)
            .count();
        let acc_c = accuracy_compiled_table(&compiled, &data.test, &|_| {})?;
        Ok((accuracy(&pred, data.test_labels()), acc_c, disagree))
    }
}

impl StepWeights for QatStep {
    fn weights(&mut self, mlp: &Mlp, step: usize) -> Result<Vec<Tensor>> {
        let (model, tern) = self.ternary(mlp)?;
        if self.act_quant && step.is_multiple_of(self.rescale_every.max(1)) {
            self.compile(&model)?;
        }
        // Straight-through estimator: the value is α·T, the gradient goes to w.
        mlp.layers
            .iter()
            .zip(tern)
            .map(|(l, t)| {
                let w = l.w.as_tensor();
                Ok((w + (t - w.detach())?)?)
            })
            .collect()
    }
    fn act_scales(&self) -> Option<&[f64]> {
        self.act_quant.then_some(&self.scales[..])
    }
    fn evaluate(&mut self, mlp: &Mlp, data: &Data) -> Result<(f64, Option<f64>)> {
        let (a, c, _) = self.eval_both(mlp, data)?;
        Ok((a, Some(c)))
    }
}

/// `model` with the input scales folded into its first layer (`W·diag(s)`): the
/// layer the compiler ternarizes, taking inputs `q − zp`. Cost: O(params).
fn fold(model: &DenseModel, input: Option<&FeatureQuant>) -> DenseModel {
    let mut m = model.clone();
    if let (Some(f), Some(l)) = (input, m.layers.first_mut()) {
        *l = fold_scales(l, &f.scales);
    }
    m
}

/// The inverse of [`fold`]: a first layer on `q − zp` back to real inputs.
fn unfold(model: &DenseModel, input: Option<&FeatureQuant>) -> DenseModel {
    let mut m = model.clone();
    if let (Some(f), Some(l)) = (input, m.layers.first_mut()) {
        let inv: Vec<f64> = f.scales.iter().map(|s| 1.0 / s).collect();
        *l = fold_scales(l, &inv);
    }
    m
}

/// Fine-tunes `dense` with ternary weights at `cfg.density` in the loop (see the
/// module documentation). Returns the ternary model as floats (`α·T` weights, to be
/// saved in PyTorch layout and compiled with the same density and scale mode) and a
/// report whose `compiled_accuracy` is the integer engine's accuracy on the test set.
/// Cost: as dense training plus one ternarization (O(params)) per step and one
/// in-memory compile per `rescale_every` steps.
pub fn train_qat(
    dense: &DenseModel,
    data: &Data,
    cfg: &QatConfig,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(DenseModel, QatReport)> {
    let start = Instant::now();
    data.test.check_width(dense.n_in())?;
    data.test.check_labels(dense.n_out())?;
    let mlp = Mlp::from_dense(&fold(dense, data.input.as_ref()))?;
    let mut opts = compiler_options(cfg.density.clone(), cfg.mode);
    opts.calib_samples = data.calib.len();
    let dense_accuracy = accuracy_dense_table(dense, &data.test, &|_| {})?;
    let (ptq, _) = compile_in_memory(dense, &opts, &data.calib)
        .context("compiling the source model (post-training ternarization)")?;
    let ptq_accuracy = accuracy_compiled_table(&ptq, &data.test, &|_| {})?;
    let mut hook = QatStep {
        density: cfg.density.clone(),
        mode: cfg.mode,
        opts,
        calib: data.calib.clone(),
        input: data.input.clone(),
        act_quant: cfg.act_quant,
        rescale_every: cfg.rescale_every,
        scales: Vec::new(),
    };
    let epochs = run(&mlp, data, &cfg.train, &mut hook, progress)?;
    let (qat_accuracy, compiled_accuracy, disagreements) = hook.eval_both(&mlp, data)?;
    let (model, _) = hook.ternary(&mlp)?;
    let model = unfold(&model, data.input.as_ref());
    let nnz = model
        .layers
        .iter()
        .map(|l| l.weight.iter().filter(|w| **w != 0.0).count())
        .sum();
    let report = QatReport {
        dims: mlp.dims(),
        params: mlp.params(),
        nnz,
        n_train: data.n_train(),
        n_test: data.test.len(),
        config: cfg.train.clone(),
        density: (0..dense.layers.len())
            .map(|i| cfg.density.for_layer(i))
            .collect(),
        global_density: matches!(cfg.density, Density::Global(_)),
        scale_mode: cfg.mode,
        act_quant: cfg.act_quant,
        dense_accuracy,
        ptq_accuracy,
        epochs,
        qat_accuracy,
        compiled_accuracy,
        disagreements,
        train_seconds: start.elapsed().as_secs_f64(),
    };
    Ok((model, report))
}

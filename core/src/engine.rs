//! The integer inference engine: the reference every proof must agree with bit for
//! bit. Each layer is `z = T·a + b` on [`TernaryCsr`] (additions/subtractions only,
//! i32), then for hidden layers `y = clamp((z·M_i + 2^(k-1)) >> k, 0, 255)`.

use crate::error::{Error, Result};
pub use crate::feature_quant::FeatureQuant;
use crate::requant::{check_row, requant};
use crate::ternary::TernaryCsr;

/// How real inputs become the u8 the engine consumes. Image models: `q =
/// clamp(round(x/scale) + zero_point, 0, 255)` with one scale (Fashion-MNIST: `x =
/// pixel/255`, `scale = 1/255`, so `q` is the raw pixel). Models compiled on other
/// data: one scale and zero point per feature ([`FeatureQuant`], `per_feature`),
/// which then replaces `scale` and `zero_point`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InputQuant {
    /// Real value of one input step (image models).
    pub scale: f64,
    /// Integer representing real 0 (image models: 0).
    pub zero_point: u8,
    /// Per-feature scales and zero points, fitted on the calibration data; absent in
    /// image models and in files of format version 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_feature: Option<FeatureQuant>,
}

impl InputQuant {
    /// Quantizes one real input value with the shared scale (image models).
    /// Cost: O(1).
    pub fn quantize(&self, x: f32) -> u8 {
        ((x as f64 / self.scale).round() + self.zero_point as f64).clamp(0.0, 255.0) as u8
    }

    /// Quantizes rows of real inputs (back to back) to the u8 the engine consumes,
    /// per feature when the model has a per-feature quantizer. Cost: O(values).
    pub fn quantize_rows(&self, x: &[f32]) -> Vec<u8> {
        match &self.per_feature {
            Some(f) => f.quantize_rows(x),
            None => x.iter().map(|&v| self.quantize(v)).collect(),
        }
    }
}

/// One compiled layer.
#[derive(Clone, Debug, PartialEq)]
pub struct QuantLayer {
    /// Name of the source layer (`fc1`, …).
    pub name: String,
    /// Ternary weights `T`, `n_out × n_in`, split CSR (+1 columns, then −1 columns).
    pub weights: TernaryCsr,
    /// Bias at the accumulator scale, one per output.
    pub bias: Vec<i32>,
    /// Requantization multiplier per output row (`n_out` entries; all equal in
    /// per-layer mode). Empty for the last layer (`relu == false`).
    pub m: Vec<i64>,
    /// Requantization shift, shared by the layer, in 1..=62 (0 for the last layer).
    pub k: u32,
    /// Hidden layer: requantize + ReLU to u8. Last layer: `false`, outputs `z`.
    pub relu: bool,
    /// Real scale of one unit of the layer's u8 input.
    pub input_scale: f64,
    /// Ternary scale `α` per row: `W ≈ diag(α)·T`; row `i` of `z` represents
    /// `α_i · input_scale · z_i`.
    pub alpha: Vec<f64>,
    /// Real scale of one unit of the u8 output (`None` for the last layer).
    pub output_scale: Option<f64>,
}

impl QuantLayer {
    /// Output features.
    pub fn n_out(&self) -> usize {
        self.weights.n_out
    }

    /// Input features.
    pub fn n_in(&self) -> usize {
        self.weights.n_in
    }

    /// `z = T·x + b` for `batch` inputs back to back. Cost: `batch·nnz` adds.
    pub fn accumulate(&self, x: &[i32], batch: usize) -> Vec<i32> {
        let mut z = self.weights.matmul_i32(x, batch);
        for row in z.chunks_mut(self.n_out().max(1)) {
            for (zi, bi) in row.iter_mut().zip(&self.bias) {
                *zi = zi.wrapping_add(*bi);
            }
        }
        z
    }

    /// Checks the CSR structure, lengths, and the static bound check of every row.
    /// Cost: O(nnz + n_out).
    pub fn validate(&self) -> Result<()> {
        self.weights
            .validate()
            .map_err(|e| Error::Model(format!("layer `{}`: {e}", self.name)))?;
        let n = self.n_out();
        if self.bias.len() != n || self.alpha.len() != n {
            return Err(Error::Model(format!(
                "layer `{}`: bias/alpha lengths {}/{} differ from {n} rows",
                self.name,
                self.bias.len(),
                self.alpha.len()
            )));
        }
        if self.relu != self.output_scale.is_some()
            || (self.relu && self.m.len() != n)
            || (!self.relu && !self.m.is_empty())
        {
            return Err(Error::Model(format!(
                "layer `{}`: requantization parameters inconsistent (relu = {}, {} multipliers for {n} rows)",
                self.name,
                self.relu,
                self.m.len()
            )));
        }
        for i in 0..n {
            let nnz = (self.weights.indptr[i + 1] - self.weights.indptr[i]) as usize;
            let mk = self.relu.then(|| (self.m[i], self.k));
            check_row(&self.name, i, nnz, self.bias[i], mk)?;
        }
        Ok(())
    }
}

/// Every intermediate of one layer for one input — the prover's witness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerTrace {
    /// The layer's input (u8 activations; the model input for layer 0).
    pub input: Vec<u8>,
    /// Accumulators `z = T·input + b`.
    pub z: Vec<i32>,
    /// `q = (z·M + 2^(k-1)) >> k` (floor); empty for the last layer.
    pub q: Vec<i64>,
    /// Remainders `r = z·M + 2^(k-1) − q·2^k ∈ [0, 2^k)`; empty for the last layer.
    pub r: Vec<i64>,
    /// `y = clamp(q, 0, 255)`, the next layer's input; empty for the last layer.
    pub y: Vec<u8>,
}

/// A compiled model: what `ternzk compile` writes and the prover proves.
#[derive(Clone, Debug, PartialEq)]
pub struct CompiledModel {
    /// Layers in order; `layers[i+1].n_in() == layers[i].n_out()`.
    pub layers: Vec<QuantLayer>,
    /// How real inputs map to the u8 input vector.
    pub input: InputQuant,
    /// Provenance and compile settings (stored in the file's header).
    pub info: crate::format::ModelInfo,
}

impl CompiledModel {
    /// Reads and fully validates a compiled `.safetensors` model (see
    /// `docs/formats.md`). Cost: O(file size).
    pub fn load(path: &std::path::Path) -> Result<Self> {
        crate::format::load(path)
    }

    /// Writes the model atomically; returns the file size. Cost: O(nnz).
    pub fn save(&self, path: &std::path::Path) -> Result<u64> {
        crate::format::save(self, path)
    }

    /// Input width.
    pub fn n_in(&self) -> usize {
        self.layers.first().map_or(0, |l| l.n_in())
    }

    /// Number of logits.
    pub fn n_out(&self) -> usize {
        self.layers.last().map_or(0, |l| l.n_out())
    }

    /// Total nonzeros over all layers.
    pub fn nnz(&self) -> usize {
        self.layers.iter().map(|l| l.weights.nnz()).sum()
    }

    /// Total weight-matrix entries (dense parameter count, biases excluded).
    pub fn params(&self) -> usize {
        self.layers.iter().map(|l| l.n_in() * l.n_out()).sum()
    }

    /// Checks the layer chain, every layer ([`QuantLayer::validate`]), and that
    /// only the last layer lacks requantization. Cost: O(nnz).
    pub fn validate(&self) -> Result<()> {
        if self.layers.is_empty() {
            return Err(Error::Model("the compiled model has no layers".into()));
        }
        if let Some(f) = &self.input.per_feature {
            f.validate()?;
            if f.n_in() != self.n_in() {
                return Err(Error::Model(format!(
                    "the input quantizer has {} features but the first layer takes {}",
                    f.n_in(),
                    self.n_in()
                )));
            }
        }
        let last = self.layers.len() - 1;
        for (i, l) in self.layers.iter().enumerate() {
            l.validate()?;
            if l.relu != (i != last) {
                return Err(Error::Model(format!(
                    "layer `{}`: only the last layer may skip requantization",
                    l.name
                )));
            }
            if i > 0 && self.layers[i - 1].n_out() != l.n_in() {
                return Err(Error::Model(format!(
                    "inconsistent shapes: layer `{}` outputs {} but `{}` takes {}",
                    self.layers[i - 1].name,
                    self.layers[i - 1].n_out(),
                    l.name,
                    l.n_in()
                )));
            }
        }
        Ok(())
    }

    /// Integer logits for one u8 input of length [`Self::n_in`]. Cost: nnz adds plus
    /// one multiply per hidden unit. Panics if the input length is wrong.
    pub fn infer_i32(&self, input_u8: &[u8]) -> Vec<i32> {
        self.infer_batch_i32(input_u8, 1)
    }

    /// Integer logits for `batch` inputs back to back (`batch·n_in` bytes), returned
    /// back to back (`batch·n_out`). Identical to [`Self::infer_i32`] per input.
    /// Cost: `batch·nnz` adds, samples in parallel. Panics if the length is wrong.
    pub fn infer_batch_i32(&self, inputs_u8: &[u8], batch: usize) -> Vec<i32> {
        assert_eq!(
            inputs_u8.len(),
            batch * self.n_in(),
            "input length must be batch · n_in"
        );
        let mut a: Vec<i32> = inputs_u8.iter().map(|&v| v as i32).collect();
        for l in &self.layers {
            let z = l.accumulate(&a, batch);
            if !l.relu {
                return z;
            }
            let n = l.n_out();
            a = z
                .iter()
                .enumerate()
                .map(|(j, &zj)| requant(zj, l.m[j % n], l.k).2 as i32)
                .collect();
        }
        a
    }

    /// Every intermediate (input, z, q, r, y per layer) for one input, computed by
    /// the same kernel as [`Self::infer_i32`]; the last trace's `z` are the logits.
    /// Cost: as `infer_i32`, plus O(total units) memory.
    pub fn trace(&self, input_u8: &[u8]) -> Vec<LayerTrace> {
        assert_eq!(input_u8.len(), self.n_in(), "input length must be n_in");
        let mut input = input_u8.to_vec();
        let mut out = Vec::with_capacity(self.layers.len());
        for l in &self.layers {
            let a: Vec<i32> = input.iter().map(|&v| v as i32).collect();
            let z = l.accumulate(&a, 1);
            let (mut q, mut r, mut y) = (Vec::new(), Vec::new(), Vec::new());
            if l.relu {
                for (j, &zj) in z.iter().enumerate() {
                    let (qj, rj, yj) = requant(zj, l.m[j], l.k);
                    q.push(qj);
                    r.push(rj);
                    y.push(yj);
                }
            }
            let next = y.clone();
            out.push(LayerTrace { input, z, q, r, y });
            input = next;
        }
        out
    }

    /// The layers as the MLP prover takes them (borrowed; no copy). Cost: O(#layers).
    pub fn mlp_layers(&self) -> Vec<MlpLayer<'_>> {
        self.layers
            .iter()
            .map(|l| MlpLayer {
                weights: &l.weights,
                bias: &l.bias,
                m: &l.m,
                k: l.k,
            })
            .collect()
    }

    /// Predicted class (argmax of the integer logits, first on ties) per input.
    /// Cost: as [`Self::infer_batch_i32`].
    pub fn predict_batch(&self, inputs_u8: &[u8], batch: usize) -> Vec<usize> {
        argmax_rows(&self.infer_batch_i32(inputs_u8, batch), self.n_out())
    }
}

/// One layer of a quantized ternary MLP, as the prover holds it.
#[derive(Clone, Copy, Debug)]
pub struct MlpLayer<'a> {
    /// Ternary weights `T` (`n_out × n_in`).
    pub weights: &'a TernaryCsr,
    /// Bias at the accumulator scale (`n_out`).
    pub bias: &'a [i32],
    /// Requantization multipliers, one per row; empty for the last layer.
    pub m: &'a [i64],
    /// Requantization shift (`1..=62`); 0 for the last layer.
    pub k: u32,
}

/// The predicted class of each row of `width` logits: the index of the largest value
/// (the first on ties), or for one output unit (a binary classifier in scikit-learn's
/// layout) class 1 when the logit is positive, else 0. Cost: O(values.len()).
pub fn argmax_rows<T: PartialOrd + Copy + Default>(values: &[T], width: usize) -> Vec<usize> {
    if width == 1 {
        return values
            .iter()
            .map(|v| (*v > T::default()) as usize)
            .collect();
    }
    values
        .chunks(width.max(1))
        .map(|r| {
            let mut best = 0;
            for (i, v) in r.iter().enumerate() {
                if *v > r[best] {
                    best = i;
                }
            }
            best
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::format::ScaleMode;
    use crate::requant::requant;
    use crate::testutil::{inputs, tiny_compiled};

    #[test]
    fn pixel_quantizer_recovers_every_pixel_and_binary_heads_classify_by_sign() {
        let q = super::InputQuant {
            scale: 1.0 / 255.0,
            zero_point: 0,
            per_feature: None,
        };
        let x: Vec<f32> = (0..=255u32).map(|p| p as f32 / 255.0).collect();
        let back = q.quantize_rows(&x);
        assert!(back.iter().enumerate().all(|(p, &v)| v as usize == p));
        assert_eq!(super::argmax_rows(&[-3, 0, 7], 1), vec![0, 0, 1]);
        assert_eq!(super::argmax_rows(&[1, 5, 5, 0], 2), vec![1, 0]);
    }

    #[test]
    fn trace_batch_and_single_inference_agree() {
        for mode in [ScaleMode::PerLayer, ScaleMode::PerRow] {
            let m = tiny_compiled(mode);
            m.validate().unwrap();
            let xs = inputs(9, m.n_in());
            let batch = m.infer_batch_i32(&xs, 9);
            for (s, x) in xs.chunks(m.n_in()).enumerate() {
                let single = m.infer_i32(x);
                assert_eq!(&batch[s * m.n_out()..(s + 1) * m.n_out()], &single[..]);
                let tr = m.trace(x);
                assert_eq!(tr.len(), m.layers.len());
                assert_eq!(tr.last().unwrap().z, single);
                for (l, t) in m.layers.iter().zip(&tr) {
                    // z = T·input + b, recomputed densely entry by entry.
                    for i in 0..l.n_out() {
                        let dot: i64 = (0..l.n_in())
                            .map(|j| l.weights.get(i, j) as i64 * t.input[j] as i64)
                            .sum();
                        assert_eq!(t.z[i] as i64, dot + l.bias[i] as i64);
                    }
                    if l.relu {
                        for i in 0..l.n_out() {
                            assert_eq!(requant(t.z[i], l.m[i], l.k), (t.q[i], t.r[i], t.y[i]));
                            assert!(t.r[i] >= 0 && t.r[i] < 1 << l.k);
                        }
                    } else {
                        assert!(t.q.is_empty() && t.y.is_empty());
                    }
                }
                for w in tr.windows(2) {
                    assert_eq!(w[0].y, w[1].input);
                }
            }
        }
    }

    #[test]
    fn validate_rejects_inconsistent_layers() {
        let mut m = tiny_compiled(ScaleMode::PerLayer);
        m.layers[0].m.pop();
        assert!(m
            .validate()
            .unwrap_err()
            .to_string()
            .contains("inconsistent"));
        let mut m = tiny_compiled(ScaleMode::PerLayer);
        m.layers[1].bias[0] = i32::MAX;
        assert!(m.validate().unwrap_err().to_string().contains("beyond i32"));
        let mut m = tiny_compiled(ScaleMode::PerLayer);
        m.layers.swap(0, 1);
        assert!(m.validate().is_err());
    }
}

//! Seeded random matrices, inputs and models for tests, benchmarks and fuzzing
//! (cargo feature `random`). Each draw is deterministic in its seed (`rand`'s
//! `StdRng`), so proofs of these models are reproducible byte for byte.

use crate::engine::MlpLayer;
use crate::ternary::TernaryCsr;
use rand::{rngs::StdRng, Rng, SeedableRng};

/// A random ternary `n_out × n_in` matrix: each entry is nonzero with probability
/// `density`, then `+1` or `-1` with equal odds. Deterministic in `seed`. Cost: O(n_out·n_in).
pub fn ternary(n_out: usize, n_in: usize, density: f64, seed: u64) -> TernaryCsr {
    let mut rng = StdRng::seed_from_u64(seed);
    let threshold = (density.clamp(0.0, 1.0) * u32::MAX as f64) as u64;
    let mut indptr = vec![0u32];
    let mut split = Vec::with_capacity(n_out);
    let mut indices = Vec::with_capacity((n_out as f64 * n_in as f64 * density) as usize + 16);
    let mut minus = Vec::new();
    for _ in 0..n_out {
        minus.clear();
        for j in 0..n_in {
            let draw: u32 = rng.gen();
            if (draw as u64) < threshold || density >= 1.0 {
                if rng.gen::<bool>() {
                    indices.push(j as u32);
                } else {
                    minus.push(j as u32);
                }
            }
        }
        split.push(indices.len() as u32);
        indices.extend_from_slice(&minus);
        indptr.push(indices.len() as u32);
    }
    TernaryCsr {
        n_out,
        n_in,
        indptr,
        split,
        indices,
    }
}

/// `batch·n` random activations in `[0, 255]` (what a u8 layer input looks like).
pub fn activations(n: usize, batch: usize, seed: u64) -> Vec<i32> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n * batch).map(|_| rng.gen_range(0..=255)).collect()
}

/// A random quantized MLP (owned), for tests, benchmarks and fuzzing: ternary layers at
/// one density, small biases, and per-row multipliers `M ≈ 2^k / (2…5)` so hidden
/// quotients stay in a few hundred, like a trained model's.
#[derive(Clone, Debug)]
pub struct RandomMlp {
    /// Weights per layer.
    pub weights: Vec<TernaryCsr>,
    /// Biases per layer.
    pub bias: Vec<Vec<i32>>,
    /// Multipliers per layer (empty for the last).
    pub m: Vec<Vec<i64>>,
    /// Shifts per layer (0 for the last).
    pub k: Vec<u32>,
}

impl RandomMlp {
    /// Layers of `widths[l] → widths[l+1]`; hidden layer `l` gets shift
    /// `ks[l % ks.len()]`. Cost: O(Σ n_in·n_out) to draw the weights.
    pub fn new(widths: &[usize], density: f64, ks: &[u32], seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let n_layers = widths.len() - 1;
        let mut model = Self {
            weights: Vec::new(),
            bias: Vec::new(),
            m: Vec::new(),
            k: Vec::new(),
        };
        for l in 0..n_layers {
            let (n_in, n_out) = (widths[l], widths[l + 1]);
            model
                .weights
                .push(ternary(n_out, n_in, density, seed + l as u64));
            model
                .bias
                .push((0..n_out).map(|_| rng.gen_range(-300..300)).collect());
            let hidden = l + 1 < n_layers;
            let k = if hidden { ks[l % ks.len()] } else { 0 };
            model.k.push(k);
            model.m.push(if hidden {
                (0..n_out)
                    .map(|_| ((1i64 << k) / rng.gen_range(2..6)).max(1))
                    .collect()
            } else {
                Vec::new()
            });
        }
        model
    }

    /// The layers as the MLP prover takes them. Cost: O(#layers).
    pub fn layers(&self) -> Vec<MlpLayer<'_>> {
        (0..self.weights.len())
            .map(|l| MlpLayer {
                weights: &self.weights[l],
                bias: &self.bias[l],
                m: &self.m[l],
                k: self.k[l],
            })
            .collect()
    }
}

//! Fixtures the MLP proof's test modules share: the integer reference forward pass,
//! written independently of the prover, and random byte inputs.

use crate::requant::requant;
use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
use ternzk_core::random::RandomMlp;

/// The logits of `m` on one input `x`, by plain integer arithmetic (no prover code).
/// Cost: O(n_in·n_out) a layer.
pub(super) fn reference(m: &RandomMlp, x: &[u8]) -> Vec<i32> {
    let mut a: Vec<i64> = x.iter().map(|&v| v as i64).collect();
    for l in 0..m.weights.len() {
        let w = &m.weights[l];
        let z: Vec<i64> = (0..w.n_out)
            .map(|i| {
                m.bias[l][i] as i64 + (0..w.n_in).map(|j| w.get(i, j) as i64 * a[j]).sum::<i64>()
            })
            .collect();
        a = if l + 1 < m.weights.len() {
            z.iter()
                .enumerate()
                .map(|(i, &zi)| requant(zi as i32, m.m[l][i], m.k[l]).2 as i64)
                .collect()
        } else {
            z
        };
    }
    a.iter().map(|&v| v as i32).collect()
}

/// `batch` random inputs of `n` bytes each, concatenated, from `seed`.
pub(super) fn inputs(n: usize, batch: usize, seed: u64) -> Vec<u8> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n * batch).map(|_| rng.gen()).collect()
}

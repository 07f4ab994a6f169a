//! Seeded random matrices and inputs for tests and benchmarks.

use crate::dense::DenseMatrix;
use crate::sparse::IntCsr;
use crate::ternary::TernaryCsr;
use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};

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

/// The same nonzero pattern as `t`, with random nonzero `i8` values in `[-127, 127]`.
pub fn int8_like(t: &TernaryCsr, seed: u64) -> IntCsr {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut indptr = vec![0u32];
    let mut indices = Vec::with_capacity(t.nnz());
    let mut values = Vec::with_capacity(t.nnz());
    for i in 0..t.n_out {
        let (p, m) = t.row(i);
        for &j in p.iter().chain(m) {
            indices.push(j);
            let mag: i8 = rng.gen_range(1..=127);
            values.push(if rng.gen::<bool>() { mag } else { -mag });
        }
        indptr.push(indices.len() as u32);
    }
    IntCsr::new(t.n_out, t.n_in, indptr, indices, values).expect("well-formed by construction")
}

/// `t` as a dense matrix (the dense baselines prove the very same matrix).
pub fn densify(t: &TernaryCsr) -> DenseMatrix {
    let mut values = vec![0i8; t.n_out * t.n_in];
    for i in 0..t.n_out {
        let (p, m) = t.row(i);
        for &j in p {
            values[i * t.n_in + j as usize] = 1;
        }
        for &j in m {
            values[i * t.n_in + j as usize] = -1;
        }
    }
    DenseMatrix::new(t.n_out, t.n_in, values).expect("sizes match by construction")
}

/// `batch·n` random activations in `[0, 255]` (what a u8 layer input looks like).
pub fn activations(n: usize, batch: usize, seed: u64) -> Vec<i32> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n * batch).map(|_| rng.gen_range(0..=255)).collect()
}

//! Baseline matrices built from a ternary one: the same nonzero pattern with int8
//! values ([`int8_like`]) and the dense form ([`densify`]), so every method of the
//! benchmark proves a matrix of the same shape and sparsity.

use crate::dense::DenseMatrix;
use crate::sparse::IntCsr;
use rand::{rngs::StdRng, Rng, SeedableRng};
use ternzk_core::TernaryCsr;

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

//! The prover's side of ternary CSR matrices: [`TernaryCsr`] (the type and its
//! integer kernel live in `ternzk-core`) as a [`LinearBackend`] — row binding with
//! additions only, and the Hyrax row commitments.

use crate::accumulate::{limbs, LazySums};
use crate::field::{F, G};
use crate::hyrax::{HyraxCommitment, HyraxKey};
use crate::matrix::LinearBackend;
use ark_ff::Zero;
use rayon::prelude::*;
pub use ternzk_core::ternary::{TernaryCsr, BATCH_BLOCK};

impl LinearBackend for TernaryCsr {
    fn n_out(&self) -> usize {
        self.n_out
    }
    fn n_in(&self) -> usize {
        self.n_in
    }
    fn nnz(&self) -> usize {
        self.indices.len()
    }
    fn max_row_abs_sum(&self) -> u64 {
        self.indptr
            .windows(2)
            .map(|w| (w[1] - w[0]) as u64)
            .max()
            .unwrap_or(0)
    }
    fn matmul_i32(&self, xs: &[i32], batch: usize) -> Vec<i32> {
        TernaryCsr::matmul_i32(self, xs, batch)
    }

    /// `u[j] = Σ_i e[i]·W[i][j]` with one addition per nonzero and no multiplication:
    /// sums are kept unreduced ([`LazySums`]) so each addition is a branch-free carry
    /// chain. Rows are split across threads, each with its own accumulator vector;
    /// the partial vectors are merged and reduced once.
    fn bind_rows(&self, e: &[F]) -> Vec<F> {
        let cols = 1usize << LinearBackend::col_vars(self);
        let accumulate = |mut acc: LazySums, i: usize| {
            let plus = limbs(&e[i]);
            let minus = limbs(&-e[i]);
            let (p, m) = self.row(i);
            for &j in p {
                acc.add(j as usize, &plus);
            }
            for &j in m {
                acc.add(j as usize, &minus);
            }
            acc
        };
        let min_rows = (self.n_out / (2 * rayon::current_num_threads())).max(16);
        let sums = (0..self.n_out)
            .into_par_iter()
            .with_min_len(min_rows)
            .fold(|| LazySums::zeros(cols), accumulate)
            .reduce_with(|mut a, b| {
                a.merge(&b);
                a
            })
            .unwrap_or_else(|| LazySums::zeros(cols));
        sums.reduce()
    }

    /// Each row's commitment is `Σ_{+1} G_j − Σ_{−1} G_j`: point additions only.
    fn commit(&self, key: &HyraxKey) -> crate::Result<HyraxCommitment> {
        let col_vars = LinearBackend::col_vars(self);
        let row_vars = LinearBackend::row_vars(self);
        let gens = key.gens_for(col_vars)?;
        let rows: Vec<G> = (0..self.n_out)
            .into_par_iter()
            .map(|i| {
                let (p, m) = self.row(i);
                let mut acc = G::zero();
                for &j in p {
                    acc += gens[j as usize];
                }
                for &j in m {
                    acc -= gens[j as usize];
                }
                acc
            })
            .collect();
        Ok(HyraxCommitment::from_rows(rows, row_vars, col_vars))
    }
}

/// Adds two equal-length vectors (the reduction step of parallel accumulations).
pub fn add_vectors(mut a: Vec<F>, b: Vec<F>) -> Vec<F> {
    for (x, y) in a.iter_mut().zip(&b) {
        *x += y;
    }
    a
}

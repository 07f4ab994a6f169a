//! What the linear-layer prover needs from a weight matrix, independent of how the
//! matrix is stored. The product's implementation is [`crate::ternary::TernaryCsr`]
//! (additions only); the benchmark baselines (crate `ternzk-baselines`) implement it
//! for int8 CSR and dense matrices.
//!
//! The padded matrix is `2^a × 2^b` (`a = ⌈log2 n_out⌉`, `b = ⌈log2 n_in⌉`); its
//! multilinear extension `W̃(row, col)` takes the row variables first.

use crate::field::{log2_ceil, F};
use crate::hyrax::{HyraxCommitment, HyraxKey};

/// A weight matrix the linear-layer protocol can commit to and prove with.
pub trait LinearBackend: Sync {
    /// Number of rows (outputs), unpadded.
    fn n_out(&self) -> usize;
    /// Number of columns (inputs), unpadded.
    fn n_in(&self) -> usize;
    /// Number of stored nonzero entries.
    fn nnz(&self) -> usize;
    /// The largest row sum of absolute values, `max_i Σ_j |W_ij|` (bounds outputs).
    fn max_row_abs_sum(&self) -> u64;
    /// `Y = W·X` over the integers for `batch` inputs stored back to back.
    fn matmul_i32(&self, xs: &[i32], batch: usize) -> Vec<i32>;
    /// `u = Wᵀ·e`: `u[j] = Σ_i e[i]·W[i][j]`, length `2^b`, for `e` of length `2^a`.
    /// This is both the sumcheck's left factor and the Hyrax opening vector.
    fn bind_rows(&self, e: &[F]) -> Vec<F>;
    /// The Hyrax commitment to the padded matrix, one grid row per matrix row.
    fn commit(&self, key: &HyraxKey) -> crate::Result<HyraxCommitment>;

    /// `a`: number of row variables.
    fn row_vars(&self) -> usize {
        log2_ceil(self.n_out())
    }
    /// `b`: number of column variables.
    fn col_vars(&self) -> usize {
        log2_ceil(self.n_in())
    }
}

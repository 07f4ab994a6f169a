//! General sparse integer matrices (CSR with `i8` values): the `sparse` method.
//! Same protocol as the ternary case, but each nonzero costs one field
//! multiplication when binding rows, and commitments use small-scalar MSMs.

use crate::dense::per_input_rows;
use crate::error::Error;
use crate::field::{from_i64, GAffine, F, G};
use crate::hyrax::{HyraxCommitment, HyraxKey};
use crate::matrix::LinearBackend;
use ark_ec::VariableBaseMSM;
use ark_ff::AdditiveGroup;
use rayon::prelude::*;

/// An `n_out × n_in` CSR matrix with nonzero `i8` values.
#[derive(Clone, Debug)]
pub struct IntCsr {
    /// Rows.
    pub n_out: usize,
    /// Columns.
    pub n_in: usize,
    /// Row pointers, length `n_out + 1`.
    pub indptr: Vec<u32>,
    /// Column of each nonzero.
    pub indices: Vec<u32>,
    /// Value of each nonzero.
    pub values: Vec<i8>,
    /// `values` mapped into the field once, at load time.
    values_f: Vec<F>,
}

impl IntCsr {
    /// Builds and validates a CSR matrix. Cost: O(nnz).
    pub fn new(
        n_out: usize,
        n_in: usize,
        indptr: Vec<u32>,
        indices: Vec<u32>,
        values: Vec<i8>,
    ) -> crate::Result<Self> {
        let ok = indptr.len() == n_out + 1
            && indptr.first() == Some(&0)
            && indptr.windows(2).all(|w| w[0] <= w[1])
            && *indptr.last().unwrap_or(&0) as usize == indices.len()
            && values.len() == indices.len()
            && indices.iter().all(|&j| (j as usize) < n_in);
        if !ok {
            return Err(Error::Invalid("malformed CSR matrix".into()));
        }
        let values_f = values.iter().map(|&v| from_i64(v as i64)).collect();
        Ok(Self {
            n_out,
            n_in,
            indptr,
            indices,
            values,
            values_f,
        })
    }

    fn range(&self, i: usize) -> std::ops::Range<usize> {
        self.indptr[i] as usize..self.indptr[i + 1] as usize
    }
}

impl LinearBackend for IntCsr {
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
        (0..self.n_out)
            .map(|i| {
                self.values[self.range(i)]
                    .iter()
                    .map(|v| v.unsigned_abs() as u64)
                    .sum()
            })
            .max()
            .unwrap_or(0)
    }
    fn matmul_i32(&self, xs: &[i32], batch: usize) -> Vec<i32> {
        per_input_rows(xs, batch, self.n_in, self.n_out, |i, x| {
            let r = self.range(i);
            self.indices[r.clone()]
                .iter()
                .zip(&self.values[r])
                .map(|(&j, &v)| v as i32 * x[j as usize])
                .sum()
        })
    }

    /// One field multiplication and addition per nonzero.
    fn bind_rows(&self, e: &[F]) -> Vec<F> {
        let cols = 1usize << self.col_vars();
        let min_rows = (self.n_out / (4 * rayon::current_num_threads())).max(16);
        (0..self.n_out)
            .into_par_iter()
            .with_min_len(min_rows)
            .fold(
                || vec![F::ZERO; cols],
                |mut acc, i| {
                    let l = e[i];
                    let r = self.range(i);
                    for (&j, v) in self.indices[r.clone()].iter().zip(&self.values_f[r]) {
                        acc[j as usize] += l * v;
                    }
                    acc
                },
            )
            .reduce_with(|mut a, b| {
                a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                a
            })
            .unwrap_or_else(|| vec![F::ZERO; cols])
    }

    /// One small-scalar MSM per row over that row's nonzeros.
    fn commit(&self, key: &HyraxKey) -> crate::Result<HyraxCommitment> {
        let (row_vars, col_vars) = (self.row_vars(), self.col_vars());
        let gens = key.gens_for(col_vars)?;
        let rows: Vec<G> = (0..self.n_out)
            .into_par_iter()
            .map(|i| {
                let r = self.range(i);
                let bases: Vec<GAffine> = self.indices[r.clone()]
                    .iter()
                    .map(|&j| gens[j as usize])
                    .collect();
                G::msm_unchecked(&bases, &self.values_f[r])
            })
            .collect();
        Ok(HyraxCommitment::from_rows(rows, row_vars, col_vars))
    }
}

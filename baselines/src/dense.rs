//! Dense matrices: the `dense-sumcheck` baseline. The same protocol, with the matrix
//! held as field elements and every pass touching every entry — `n_out·n_in`
//! multiplications to bind the rows — as a prover unaware of sparsity would.

use crate::error::Error;
use crate::field::{from_i64, F, G};
use crate::hyrax::{HyraxCommitment, HyraxKey};
use crate::matrix::LinearBackend;
use ark_ec::VariableBaseMSM;
use ark_ff::AdditiveGroup;
use rayon::prelude::*;

/// A dense `n_out × n_in` matrix, row-major, with `i8` values and their field images.
#[derive(Clone, Debug)]
pub struct DenseMatrix {
    /// Rows.
    pub n_out: usize,
    /// Columns.
    pub n_in: usize,
    /// Entries, row-major.
    pub values: Vec<i8>,
    values_f: Vec<F>,
}

impl DenseMatrix {
    /// Wraps a row-major matrix. Cost: one field conversion per entry.
    pub fn new(n_out: usize, n_in: usize, values: Vec<i8>) -> crate::Result<Self> {
        if values.len() != n_out * n_in {
            return Err(Error::Invalid(
                "dense matrix has the wrong number of entries".into(),
            ));
        }
        let values_f = values.par_iter().map(|&v| from_i64(v as i64)).collect();
        Ok(Self {
            n_out,
            n_in,
            values,
            values_f,
        })
    }

    /// The entries as field elements, row-major (`n_out·n_in` of them).
    pub fn field_values(&self) -> &[F] {
        &self.values_f
    }
}

impl LinearBackend for DenseMatrix {
    fn n_out(&self) -> usize {
        self.n_out
    }
    fn n_in(&self) -> usize {
        self.n_in
    }
    fn nnz(&self) -> usize {
        self.values.iter().filter(|&&v| v != 0).count()
    }
    fn max_row_abs_sum(&self) -> u64 {
        self.values
            .chunks(self.n_in.max(1))
            .map(|r| r.iter().map(|v| v.unsigned_abs() as u64).sum())
            .max()
            .unwrap_or(0)
    }
    fn matmul_i32(&self, xs: &[i32], batch: usize) -> Vec<i32> {
        let n_in = self.n_in;
        per_input_rows(xs, batch, n_in, self.n_out, |i, x| {
            let row = &self.values[i * n_in..(i + 1) * n_in];
            row.iter().zip(x).map(|(&w, &v)| w as i32 * v).sum()
        })
    }

    /// `n_out·n_in` multiplications; columns are split across threads so each thread
    /// streams its slice of every row.
    fn bind_rows(&self, e: &[F]) -> Vec<F> {
        let cols = 1usize << self.col_vars();
        let mut u = vec![F::ZERO; cols];
        let chunk = self.n_in.div_ceil(4 * rayon::current_num_threads()).max(64);
        u[..self.n_in]
            .par_chunks_mut(chunk)
            .enumerate()
            .for_each(|(c, out)| {
                let start = c * chunk;
                for (i, &l) in e.iter().enumerate().take(self.n_out) {
                    let row = &self.values_f[i * self.n_in + start..][..out.len()];
                    for (o, w) in out.iter_mut().zip(row) {
                        *o += l * w;
                    }
                }
            });
        u
    }

    /// One MSM per row over all `n_in` entries.
    fn commit(&self, key: &HyraxKey) -> crate::Result<HyraxCommitment> {
        let (row_vars, col_vars) = (self.row_vars(), self.col_vars());
        let gens = key.gens_for(col_vars)?;
        let rows: Vec<G> = self
            .values_f
            .par_chunks(self.n_in.max(1))
            .take(self.n_out)
            .map(|row| G::msm_unchecked(&gens[..row.len()], row))
            .collect();
        Ok(HyraxCommitment::from_rows(rows, row_vars, col_vars))
    }
}

/// Runs `row(i, x)` for every output row `i` of every input `x` of a batch stored back
/// to back, in parallel over inputs; returns the outputs back to back. The shared
/// scaffolding of the simple (non-blocked) integer kernels.
pub(crate) fn per_input_rows(
    xs: &[i32],
    batch: usize,
    n_in: usize,
    n_out: usize,
    row: impl Fn(usize, &[i32]) -> i32 + Sync,
) -> Vec<i32> {
    assert_eq!(xs.len(), batch * n_in, "batch input has the wrong length");
    let mut ys = vec![0i32; batch * n_out];
    ys.par_chunks_mut(n_out.max(1))
        .zip(xs.par_chunks(n_in.max(1)))
        .for_each(|(y, x)| {
            for (i, yi) in y.iter_mut().enumerate() {
                *yi = row(i, x);
            }
        });
    ys
}

#[cfg(test)]
mod tests {
    use crate::random::{densify, int8_like};
    use crate::LinearBackend;
    use ternzk_core::random;
    use ternzk_prover::hyrax::HyraxKey;
    use ternzk_prover::linear::{self, LinearProof, LinearVk};

    /// Commits, proves, decodes and verifies `m` with the prover's linear-layer
    /// protocol; a wrong output must be rejected.
    fn round_trip<M: LinearBackend>(m: &M, key: &HyraxKey, xs: &[i32], batch: usize) {
        let vk = LinearVk::commit(m, key).unwrap();
        let (ys, proof) = linear::prove(m, &vk, xs, batch).unwrap();
        assert_eq!(ys, m.matmul_i32(xs, batch));
        let decoded = LinearProof::from_bytes(&vk, &proof.to_bytes()).unwrap();
        linear::verify(key, &vk, xs, &ys, batch, &decoded).unwrap();
        let prepared = vk.prepare(key).unwrap();
        linear::verify_prepared(&prepared, xs, &ys, batch, &decoded).unwrap();
        let mut bad = ys.clone();
        bad[0] += 1;
        assert!(linear::verify(key, &vk, xs, &bad, batch, &decoded).is_err());
    }

    #[test]
    fn int8_and_dense_backends_prove_and_verify_every_shape() {
        let key = HyraxKey::new(8);
        for &(n_out, n_in, density, batch) in &[
            (1, 1, 1.0, 1),
            (5, 3, 0.7, 1),
            (10, 100, 0.25, 3),
            (64, 64, 0.0625, 1),
            (33, 200, 0.1, 8),
            (7, 256, 0.0, 2),
        ] {
            let t = random::ternary(n_out, n_in, density, 1);
            let xs = random::activations(n_in, batch, 2);
            let (s, d) = (int8_like(&t, 3), densify(&t));
            // Same pattern, int8 values; same matrix, dense storage.
            assert_eq!(s.nnz(), t.nnz());
            assert_eq!(d.matmul_i32(&xs, batch), t.matmul_i32(&xs, batch));
            round_trip(&s, &key, &xs, batch);
            round_trip(&d, &key, &xs, batch);
        }
    }
}

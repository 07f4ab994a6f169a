//! Ternary sparse matrices in CSR form and the integer mat-vec they define.
//!
//! Each row stores its `+1` columns first and its `-1` columns after them, so the
//! integer product and every prover pass are branch-free additions/subtractions.
//! This is the integer inference engine's kernel: proofs agree with it bit for bit.

use crate::error::{Error, Result};
use rayon::prelude::*;

/// A matrix with entries in {-1, 0, 1}, `n_out × n_in`, in split CSR form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TernaryCsr {
    /// Number of rows (outputs).
    pub n_out: usize,
    /// Number of columns (inputs).
    pub n_in: usize,
    /// Row `i` occupies `indices[indptr[i]..indptr[i+1]]`; length `n_out + 1`.
    pub indptr: Vec<u32>,
    /// Row `i`'s `+1` columns are `indices[indptr[i]..split[i]]`, its `-1` columns
    /// `indices[split[i]..indptr[i+1]]`; length `n_out`.
    pub split: Vec<u32>,
    /// Column indices, each `< n_in`.
    pub indices: Vec<u32>,
}

/// Rows handed to one rayon task in the integer kernels (amortizes scheduling).
const ROW_CHUNK: usize = 64;

/// Inputs per block in the transposed batch kernel.
pub const BATCH_BLOCK: usize = 16;

impl TernaryCsr {
    /// Builds from a dense row-major `i8` matrix (entries must be -1, 0 or 1). Cost: O(n_out·n_in).
    pub fn from_dense(n_out: usize, n_in: usize, dense: &[i8]) -> Result<Self> {
        if dense.len() != n_out * n_in {
            return Err(Error::Model(format!(
                "dense matrix has {} entries, expected {}×{}",
                dense.len(),
                n_out,
                n_in
            )));
        }
        let mut indptr = Vec::with_capacity(n_out + 1);
        let mut split = Vec::with_capacity(n_out);
        let mut indices = Vec::new();
        indptr.push(0u32);
        for row in dense.chunks(n_in.max(1)).take(n_out) {
            for (j, &v) in row.iter().enumerate() {
                match v {
                    1 => indices.push(j as u32),
                    0 | -1 => {}
                    other => return Err(Error::Model(format!("entry {other} is not ternary"))),
                }
            }
            split.push(indices.len() as u32);
            indices.extend(
                row.iter()
                    .enumerate()
                    .filter(|(_, &v)| v == -1)
                    .map(|(j, _)| j as u32),
            );
            indptr.push(indices.len() as u32);
        }
        let m = Self {
            n_out,
            n_in,
            indptr,
            split,
            indices,
        };
        m.validate()?;
        Ok(m)
    }

    /// Checks the structural invariants (monotone pointers, split inside its row,
    /// column indices in range, no duplicate column within a row). Cost: O(nnz).
    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(Error::Model(m));
        if self.indptr.len() != self.n_out + 1 || self.split.len() != self.n_out {
            return bad("indptr/split lengths do not match the row count".into());
        }
        if self.indptr[0] != 0 || *self.indptr.last().unwrap() as usize != self.indices.len() {
            return bad("indptr must start at 0 and end at nnz".into());
        }
        if self.n_in > u32::MAX as usize || self.indices.len() > u32::MAX as usize {
            return bad("matrix too large for 32-bit indices".into());
        }
        let mut seen = vec![u32::MAX; self.n_in];
        for i in 0..self.n_out {
            let (a, s, b) = (self.indptr[i], self.split[i], self.indptr[i + 1]);
            if !(a <= s && s <= b) {
                return bad(format!("row {i}: pointers out of order"));
            }
            for &j in &self.indices[a as usize..b as usize] {
                if j as usize >= self.n_in {
                    return bad(format!(
                        "row {i}: column {j} out of range (n_in = {})",
                        self.n_in
                    ));
                }
                if seen[j as usize] == i as u32 {
                    return bad(format!("row {i}: column {j} appears twice"));
                }
                seen[j as usize] = i as u32;
            }
        }
        Ok(())
    }

    /// Number of nonzero entries.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// The `+1` and `-1` column lists of row `i`.
    #[inline]
    pub fn row(&self, i: usize) -> (&[u32], &[u32]) {
        let (a, s, b) = (
            self.indptr[i] as usize,
            self.split[i] as usize,
            self.indptr[i + 1] as usize,
        );
        (&self.indices[a..s], &self.indices[s..b])
    }

    /// Entry `(i, j)` (O(row length)); for tests and small tools.
    pub fn get(&self, i: usize, j: usize) -> i8 {
        let (p, m) = self.row(i);
        if p.contains(&(j as u32)) {
            1
        } else if m.contains(&(j as u32)) {
            -1
        } else {
            0
        }
    }

    /// `y = W·x` with `i32` accumulators: one addition or subtraction per nonzero,
    /// rows split across threads. The caller guarantees no accumulator overflows
    /// (the compiler proves this statically for compiled models).
    pub fn matvec_i32(&self, x: &[i32]) -> Vec<i32> {
        assert_eq!(x.len(), self.n_in, "input length must equal n_in");
        let mut y = vec![0i32; self.n_out];
        y.par_chunks_mut(ROW_CHUNK)
            .enumerate()
            .for_each(|(c, out)| {
                for (k, yi) in out.iter_mut().enumerate() {
                    let (p, m) = self.row(c * ROW_CHUNK + k);
                    *yi = sum_gather(x, p) - sum_gather(x, m);
                }
            });
        y
    }

    /// `Y = W·X` for a batch: `xs` holds `batch` inputs of length `n_in` back to back,
    /// the result `batch` outputs of length `n_out`. Cost: `batch·nnz` additions.
    /// Batches of 4 or more are transposed into blocks of [`BATCH_BLOCK`] inputs so
    /// that each nonzero adds a contiguous, vectorizable run of activations.
    pub fn matmul_i32(&self, xs: &[i32], batch: usize) -> Vec<i32> {
        assert_eq!(
            xs.len(),
            batch * self.n_in,
            "batch input has the wrong length"
        );
        if batch == 1 {
            return self.matvec_i32(xs);
        }
        let mut ys = vec![0i32; batch * self.n_out];
        if batch < 4 {
            for (y, x) in ys
                .chunks_mut(self.n_out.max(1))
                .zip(xs.chunks(self.n_in.max(1)))
            {
                y.copy_from_slice(&self.matvec_i32(x));
            }
            return ys;
        }
        for b0 in (0..batch).step_by(BATCH_BLOCK) {
            let nb = BATCH_BLOCK.min(batch - b0);
            // xt[j][k] = x_{b0+k}[j], zero for k >= nb.
            let mut xt = vec![[0i32; BATCH_BLOCK]; self.n_in];
            for k in 0..nb {
                let x = &xs[(b0 + k) * self.n_in..][..self.n_in];
                for (row, &v) in xt.iter_mut().zip(x) {
                    row[k] = v;
                }
            }
            let mut yt = vec![[0i32; BATCH_BLOCK]; self.n_out];
            yt.par_chunks_mut(ROW_CHUNK)
                .enumerate()
                .for_each(|(c, out)| {
                    for (r, dst) in out.iter_mut().enumerate() {
                        let (p, m) = self.row(c * ROW_CHUNK + r);
                        // A local accumulator stays in vector registers.
                        let mut acc = [0i32; BATCH_BLOCK];
                        for &j in p {
                            let v = &xt[j as usize];
                            for k in 0..BATCH_BLOCK {
                                acc[k] = acc[k].wrapping_add(v[k]);
                            }
                        }
                        for &j in m {
                            let v = &xt[j as usize];
                            for k in 0..BATCH_BLOCK {
                                acc[k] = acc[k].wrapping_sub(v[k]);
                            }
                        }
                        *dst = acc;
                    }
                });
            for k in 0..nb {
                let y = &mut ys[(b0 + k) * self.n_out..][..self.n_out];
                for (yi, row) in y.iter_mut().zip(&yt) {
                    *yi = row[k];
                }
            }
        }
        ys
    }
}

/// `Σ x[idx]` over an index list, unrolled four ways to keep several loads in flight.
#[inline]
fn sum_gather(x: &[i32], idx: &[u32]) -> i32 {
    let mut acc = [0i32; 4];
    let mut chunks = idx.chunks_exact(4);
    for c in &mut chunks {
        acc[0] = acc[0].wrapping_add(x[c[0] as usize]);
        acc[1] = acc[1].wrapping_add(x[c[1] as usize]);
        acc[2] = acc[2].wrapping_add(x[c[2] as usize]);
        acc[3] = acc[3].wrapping_add(x[c[3] as usize]);
    }
    let mut s = acc[0]
        .wrapping_add(acc[1])
        .wrapping_add(acc[2])
        .wrapping_add(acc[3]);
    for &j in chunks.remainder() {
        s = s.wrapping_add(x[j as usize]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matvec_matches_dense_reference() {
        let (n_out, n_in) = (7, 5);
        let dense: Vec<i8> = (0..35).map(|k| [(0i8), 1, -1, 0, 1][k % 5]).collect();
        let m = TernaryCsr::from_dense(n_out, n_in, &dense).unwrap();
        let x: Vec<i32> = vec![3, -2, 250, 7, 1];
        let y = m.matvec_i32(&x);
        for i in 0..n_out {
            let want: i32 = (0..n_in).map(|j| dense[i * n_in + j] as i32 * x[j]).sum();
            assert_eq!(y[i], want);
            for j in 0..n_in {
                assert_eq!(m.get(i, j), dense[i * n_in + j]);
            }
        }
        // Small batches and the blocked transposed kernel (partial last block).
        for batch in [2usize, 5, BATCH_BLOCK + 3] {
            let xs: Vec<i32> = (0..batch * n_in)
                .map(|k| (k as i32 * 37) % 256 - 9)
                .collect();
            let ys = m.matmul_i32(&xs, batch);
            for b in 0..batch {
                assert_eq!(
                    ys[b * n_out..][..n_out],
                    m.matvec_i32(&xs[b * n_in..][..n_in])
                );
            }
        }
    }

    #[test]
    fn rejects_bad_structure() {
        assert!(TernaryCsr::from_dense(2, 2, &[1, 2, 0, 0]).is_err());
        assert!(TernaryCsr::from_dense(2, 2, &[1, 0, 0]).is_err());
        let mut m = TernaryCsr::from_dense(2, 2, &[1, -1, 0, 1]).unwrap();
        m.indices[0] = 5;
        assert!(m.validate().is_err());
        let mut m = TernaryCsr::from_dense(2, 2, &[1, -1, 0, 1]).unwrap();
        m.indices[1] = m.indices[0];
        assert!(m.validate().is_err());
        let mut m = TernaryCsr::from_dense(2, 2, &[1, -1, 0, 1]).unwrap();
        m.split[0] = 3;
        assert!(m.validate().is_err());
    }
}

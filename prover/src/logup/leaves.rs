//! The witness side's leaves: each looked-up row's table index, the multiplicities
//! counted from them, and the columns' evaluations at the leaf point.

use super::*;
use crate::error::Error;
use crate::field::{from_i64, F};
use ark_ff::{AdditiveGroup, Zero};
use rayon::prelude::*;

/// For each instance, the table index of every row of its zero-padded witness
/// (`2^k_j` entries; padding rows look up the zero row), or `Err(i)` naming the first
/// row `i` that is not in the table. Cost: O(Σ 2^k_j) integer work, instances in
/// parallel.
pub(super) fn leaf_indices(
    lay: &Layout,
    lookups: &[LookupInstance],
) -> Vec<Result<Vec<u32>, usize>> {
    lookups
        .par_iter()
        .enumerate()
        .map(|(j, l)| {
            let n = l.shape().len;
            let mut idx = vec![l.table.zero_index() as u32; 1 << lay.vars[j]];
            let out = &mut idx[..n];
            // The common tables get a loop of their own (no per-row dispatch).
            match (l.table, &l.columns[..]) {
                (Table::Range { bits }, &[v]) => {
                    let size = 1u64 << bits;
                    for (i, (x, &v)) in out.iter_mut().zip(v).enumerate() {
                        if (v as u64) >= size {
                            return Err(i);
                        }
                        *x = v as u32;
                    }
                }
                (Table::Clamp { in_bits, out_bits }, &[q, y]) => {
                    let half = 1i64 << (in_bits - 1);
                    let top = (1i64 << out_bits) - 1;
                    for (i, ((x, &q), &y)) in out.iter_mut().zip(q).zip(y).enumerate() {
                        if !(-half..half).contains(&q) || y != q.clamp(0, top) {
                            return Err(i);
                        }
                        *x = (q + half) as u32;
                    }
                }
                (Table::Sign { bits }, &[h, c]) => {
                    let half = 1i64 << (bits - 1);
                    for (i, ((x, &h), &c)) in out.iter_mut().zip(h).zip(c).enumerate() {
                        if !(-half..half).contains(&h) || c != h.signum() {
                            return Err(i);
                        }
                        *x = (h + half) as u32;
                    }
                }
                (Table::Requant { in_bits, m, k }, &[u, y]) => {
                    let half = 1i64 << (in_bits - 1);
                    for (i, ((x, &u), &y)) in out.iter_mut().zip(u).zip(y).enumerate() {
                        if !(-half..half).contains(&u) || y != requant_y(u, m, k) {
                            return Err(i);
                        }
                        *x = (u + half) as u32;
                    }
                }
                (t, cols) => {
                    let mut row = [0i64; 3];
                    for (i, x) in out.iter_mut().enumerate() {
                        for (col, r) in cols.iter().zip(row.iter_mut()) {
                            *r = col[i];
                        }
                        *x = t.index_of(&row[..cols.len()]).ok_or(i)? as u32;
                    }
                }
            }
            Ok(idx)
        })
        .collect()
}

/// The multiplicities of each distinct table (padding counted on the zero row) from
/// the instances' leaf indices, or `Error::Invalid` naming the first row not in its
/// table. Cost: O(Σ 2^k_j + Σ |T_k|).
pub(super) fn counts_from_indices(
    lay: &Layout,
    lookups: &[LookupInstance],
    indices: &[Result<Vec<u32>, usize>],
) -> crate::Result<Vec<Vec<u64>>> {
    let mut counts: Vec<Vec<u64>> = lay
        .tables
        .iter()
        .map(|t| vec![0u64; 1 << t.num_vars()])
        .collect();
    for (j, (l, idx)) in lookups.iter().zip(indices).enumerate() {
        let idx = idx.as_ref().map_err(|&i| {
            let row: Vec<i64> = l.columns.iter().map(|c| c[i]).collect();
            Error::Invalid(format!(
                "lookup {j}: row {i} = {row:?} is not in table {:?}",
                l.table
            ))
        })?;
        let c = &mut counts[lay.table_of[j]];
        for &t in idx {
            c[t as usize] += 1;
        }
    }
    Ok(counts)
}

/// The multiplicities of each distinct table (padding counted on the zero row), or
/// `Error::Invalid` naming the first row not in its table. Cost: O(Σ N_j + Σ |T_k|).
#[cfg(test)]
pub(super) fn multiplicities_for(
    lay: &Layout,
    lookups: &[LookupInstance],
) -> crate::Result<Vec<Vec<u64>>> {
    counts_from_indices(lay, lookups, &leaf_indices(lay, lookups))
}

/// The leaves of one instance's fraction tree: leaf `i` is `(1, d[idx[i]])`, where `d`
/// is `β − T(t)` for the instance's table (or, for a witness with rows outside its
/// table, which only the test-only cheating prover proves, the leaves themselves with
/// `idx` the identity).
pub(super) struct Leaves<'a> {
    pub(super) idx: Vec<u32>,
    pub(super) d: &'a [F],
}

impl Leaves<'_> {
    #[inline(always)]
    pub(super) fn get(&self, i: usize) -> F {
        self.d[self.idx[i] as usize]
    }
}

/// `Σ_i v_i·eq[i]` for small integers `v`. Cost: one multiplication per nonzero entry.
pub(super) fn ints_dot(values: &[i64], eq: &[F]) -> F {
    values
        .iter()
        .zip(eq)
        .filter(|(v, _)| **v != 0)
        .fold(F::ZERO, |acc, (&v, e)| acc + from_i64(v) * e)
}

/// The column evaluations `Σ_i eq[i]·col_c[i]` of one instance. With table indices and
/// at least as many rows as the table, `eq` is first summed per table row (one
/// addition per row) and each column is then `Σ_t bucket[t]·T_c(t)`; otherwise
/// [`ints_dot`] per column.
pub(super) fn column_evals(l: &LookupInstance, idx: Option<&[u32]>, eq: &[F]) -> Vec<F> {
    let size = 1usize << l.table.num_vars();
    match idx {
        Some(idx) if idx.len() >= size => {
            let mut buckets = vec![F::ZERO; size];
            for (&t, e) in idx.iter().zip(eq) {
                buckets[t as usize] += e;
            }
            let mut evals = vec![F::ZERO; l.columns.len()];
            for (t, b) in buckets.iter().enumerate() {
                if b.is_zero() {
                    continue;
                }
                for (v, &x) in evals.iter_mut().zip(&l.table.row(t)) {
                    if x != 0 {
                        *v += *b * from_i64(x);
                    }
                }
            }
            evals
        }
        _ => l.columns.iter().map(|c| ints_dot(c, eq)).collect(),
    }
}

/// The leaves `β − fold(row)` of a witness (padding rows: `β`), computed from the
/// columns. Cost: 2 or 3 multiplications per row.
pub(super) fn dense_leaves(l: &LookupInstance, n: usize, gamma: F, beta: F) -> Vec<F> {
    let mut leaves = vec![beta; n];
    for (i, x) in leaves.iter_mut().take(l.shape().len).enumerate() {
        let row: Vec<F> = l.columns.iter().map(|c| from_i64(c[i])).collect();
        *x = beta - fold_columns(&row, gamma);
    }
    leaves
}

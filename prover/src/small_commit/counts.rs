//! Hyrax commitments to and openings of vectors of small counts (the LogUp
//! multiplicities).

use crate::eq::eq_table;
use crate::field::{F, G};
use crate::hyrax::{HyraxCommitment, HyraxKey};
use ark_ec::CurveGroup;
use ark_ff::{AdditiveGroup, Zero};
use rayon::prelude::*;

/// Multiplicity vectors counting at least this many lookups are committed by
/// [`crate::hyrax::commit_ints`] (cached multiples, batch-affine sums); fewer, bit-serially.
/// Measured on 784-256-256-10 (`ternzk prove --reps`): a batch of 256 (65 536 lookups
/// into 2^15 rows) 4.5 → 2.6 ms; a single input (256 lookups) 0.37 → 0.55 ms.
pub(crate) const COUNTS_BY_TABLE_PATH: u64 = 1 << 13;

/// Hyrax commitment to a vector of small counts. Many lookups: by
/// [`crate::hyrax::commit_ints`]. Few: touching only nonzero entries, each row
/// `Σ_g m_g·G_g` computed bit-serially, `acc ← 2·acc + Σ_{g: bit b of m_g} G_g` from
/// the top bit down. Cost per row of the latter: one mixed addition per set bit of the
/// counts plus one doubling per bit of the row's largest count (instead of a scalar
/// multiplication per count); one normalization of `2^row_vars` points.
pub(crate) fn commit_counts(
    key: &HyraxKey,
    counts: &[u64],
    row_vars: usize,
    col_vars: usize,
) -> crate::Result<HyraxCommitment> {
    if counts.iter().sum::<u64>() >= COUNTS_BY_TABLE_PATH {
        let ints: Vec<i64> = counts.iter().map(|&c| c as i64).collect();
        return crate::hyrax::commit_ints(key, &ints, row_vars, col_vars);
    }
    let gens = key.gens_for(col_vars)?;
    debug_assert_eq!(counts.len(), 1 << (row_vars + col_vars));
    let rows: Vec<G> = counts
        .par_chunks(1 << col_vars)
        .map(|row| {
            let top = row.iter().copied().max().unwrap_or(0);
            let mut acc = G::zero();
            for b in (0..u64::BITS - top.leading_zeros()).rev() {
                acc.double_in_place();
                for (g, &m) in gens.iter().zip(row) {
                    if (m >> b) & 1 == 1 {
                        acc += *g;
                    }
                }
            }
            acc
        })
        .collect();
    Ok(HyraxCommitment {
        row_vars,
        col_vars,
        rows: G::normalize_batch(&rows),
    })
}

/// Hyrax opening vector `Σ_g eq(p_row, g)·counts[g, ·]`. Cost: one multiplication
/// per nonzero count plus `2^row_vars` for the eq table.
pub(crate) fn open_counts(counts: &[u64], col_vars: usize, p_row: &[F]) -> Vec<F> {
    let l = eq_table(p_row);
    let mut t = vec![F::ZERO; 1 << col_vars];
    for (row, e) in counts.chunks(1 << col_vars).zip(&l) {
        for (tc, &m) in t.iter_mut().zip(row) {
            if m != 0 {
                *tc += *e * F::from(m);
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hyrax::commit_dense;

    fn key() -> HyraxKey {
        HyraxKey::new(3)
    }

    #[test]
    fn sparse_commitment_and_opening_match_dense() {
        let mut counts = vec![0u64; 1 << 6];
        counts[0] = 77;
        counts[5] = 1;
        counts[63] = 3;
        counts[40] = 1;
        let dense: Vec<F> = counts.iter().map(|&c| F::from(c)).collect();
        assert_eq!(
            commit_counts(&key(), &counts, 3, 3).unwrap(),
            commit_dense(&key(), &dense, 3, 3).unwrap()
        );
        let p: Vec<F> = (0..3).map(|i| F::from(i as u64 + 7)).collect();
        assert_eq!(
            open_counts(&counts, 3, &p),
            crate::hyrax::open_dense(&dense, 3, 3, &p)
        );
    }
}

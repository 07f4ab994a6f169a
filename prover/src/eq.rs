//! The multilinear equality polynomial `eq(r, x) = Π_t (r_t x_t + (1 - r_t)(1 - x_t))`.
//!
//! Convention (shared by every module): coordinate `r[0]` is the **most significant**
//! bit of the index, so `eq_table(r)[i]` pairs `r[0]` with bit `k-1` of `i`.

use crate::field::F;
use ark_ff::{AdditiveGroup, Field};
use rayon::prelude::*;

/// Size above which table builders split work across threads.
pub const PAR_THRESHOLD: usize = 1 << 14;

/// Returns the table `[eq(r, i) for i in 0..2^k]`, `k = r.len()`.
/// Cost: `2^k` multiplications (one per entry, built by repeated doubling).
pub fn eq_table(r: &[F]) -> Vec<F> {
    let mut table = Vec::with_capacity(1 << r.len());
    table.push(F::ONE);
    for &ri in r {
        let len = table.len();
        table.resize(2 * len, F::ZERO);
        // Expanding in place: entry i becomes (i<<1 | 0) and (i<<1 | 1).
        // Walk downward so sources are read before being overwritten.
        if len >= PAR_THRESHOLD {
            let (src, _) = table.split_at(len);
            let src = src.to_vec();
            table
                .par_chunks_mut(2)
                .zip(src.par_iter())
                .for_each(|(pair, &v)| {
                    let hi = v * ri;
                    pair[1] = hi;
                    pair[0] = v - hi;
                });
        } else {
            for i in (0..len).rev() {
                let v = table[i];
                let hi = v * ri;
                table[2 * i + 1] = hi;
                table[2 * i] = v - hi;
            }
        }
    }
    table
}

/// Evaluates `eq(a, b)` for two points of equal length. Cost: `2k` multiplications.
pub fn eq_eval(a: &[F], b: &[F]) -> F {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).fold(F::ONE, |acc, (&x, &y)| {
        acc * (x * y + (F::ONE - x) * (F::ONE - y))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_std::{test_rng, UniformRand};

    fn bits_msb_first(i: usize, k: usize) -> Vec<F> {
        (0..k)
            .map(|t| F::from(((i >> (k - 1 - t)) & 1) as u64))
            .collect()
    }

    #[test]
    fn table_matches_pointwise() {
        let mut rng = test_rng();
        for k in 0..6 {
            let r: Vec<F> = (0..k).map(|_| F::rand(&mut rng)).collect();
            let t = eq_table(&r);
            assert_eq!(t.len(), 1 << k);
            for (i, ti) in t.iter().enumerate() {
                assert_eq!(*ti, eq_eval(&r, &bits_msb_first(i, k)));
            }
            let sum: F = t.iter().sum();
            assert_eq!(sum, F::ONE);
        }
    }

    #[test]
    fn parallel_path_matches_serial() {
        let mut rng = test_rng();
        let r: Vec<F> = (0..16).map(|_| F::rand(&mut rng)).collect();
        let t = eq_table(&r);
        for i in [0usize, 1, 12345, 65535] {
            assert_eq!(t[i], eq_eval(&r, &bits_msb_first(i, 16)));
        }
    }
}

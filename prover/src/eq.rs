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
/// Tables of at least `2^12` entries are built in IFMA lanes when
/// [`crate::simd::Ifma::detect`] gives a token (the same entries either way).
pub fn eq_table(r: &[F]) -> Vec<F> {
    #[cfg(target_arch = "x86_64")]
    if r.len() >= WIDE_VARS {
        if let Some(simd) = crate::simd::Ifma::detect() {
            return eq_table_lanes(simd, r);
        }
    }
    eq_table_scalar(r)
}

/// Tables of at least `2^WIDE_VARS` entries are built in IFMA lanes.
#[cfg(target_arch = "x86_64")]
const WIDE_VARS: usize = 12;

/// `eq_table(r)` as the outer product `eq(r[..k−3]) ⊗ eq(r[k−3..])`: block `x` of
/// eight entries is `eq(r[..k−3], x)` times the eight-entry table of the last three
/// coordinates, one lanes product per block (the same field elements as the scalar
/// construction). Cost: `2^(k−3)` scalar products plus `2^k` lanes products.
#[cfg(target_arch = "x86_64")]
fn eq_table_lanes(simd: crate::simd::Ifma, r: &[F]) -> Vec<F> {
    use crate::ifma::FrLanes;
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn blocks(hi: &[F], lo: FrLanes, out: &mut [F]) {
        for (h, o) in hi.iter().zip(out.chunks_exact_mut(8)) {
            FrLanes::splat(lo.simd(), *h).mul(lo).store(o);
        }
    }
    let k = r.len();
    let hi = eq_table_scalar(&r[..k - 3]);
    let lo = FrLanes::load(simd, &eq_table_scalar(&r[k - 3..]));
    let mut out = vec![F::ZERO; 1 << k];
    const CHUNK: usize = 1 << 10; // blocks per task
    if hi.len() >= 2 * CHUNK {
        out.par_chunks_mut(8 * CHUNK)
            .zip(hi.par_chunks(CHUNK))
            // SAFETY: the `Ifma` token proves the CPU has AVX-512F and AVX-512 IFMA.
            .for_each(|(o, h)| unsafe { blocks(h, lo, o) });
    } else {
        // SAFETY: the `Ifma` token proves the CPU has AVX-512F and AVX-512 IFMA.
        unsafe { blocks(&hi, lo, &mut out) };
    }
    out
}

/// The scalar construction of [`eq_table`], by repeated doubling.
fn eq_table_scalar(r: &[F]) -> Vec<F> {
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

    /// Tables of 12 or more coordinates (built in lanes when there is a token): the
    /// table `eq_table` gives, whichever path built it, holds `eq_eval` entry for entry
    /// at `k = 12` and at sampled entries of the parallel sizes; with a token, the lanes
    /// construction equals the scalar one entry for entry.
    #[test]
    fn lanes_table_matches_scalar() {
        let mut rng = test_rng();
        for k in [12usize, 14, 15] {
            let r: Vec<F> = (0..k).map(|_| F::rand(&mut rng)).collect();
            let t = eq_table(&r);
            let step = if k == 12 { 1 } else { 97 };
            for i in (0..1 << k).step_by(step).chain([(1 << k) - 1]) {
                assert_eq!(t[i], eq_eval(&r, &bits_msb_first(i, k)), "k = {k}, i = {i}");
            }
            #[cfg(target_arch = "x86_64")]
            if let Some(simd) = crate::simd::Ifma::detect() {
                assert_eq!(eq_table_lanes(simd, &r), eq_table_scalar(&r), "k = {k}");
            }
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

//! The scalar field and group used throughout: BN254's `Fr` and its G1.

use ark_ff::{AdditiveGroup, Field, PrimeField};

/// The scalar field of BN254 (a 254-bit prime field).
pub type F = ark_bn254::Fr;
/// BN254 G1 in projective coordinates (used for sums).
pub type G = ark_bn254::G1Projective;
/// BN254 G1 in affine coordinates (used for storage and as MSM bases).
pub type GAffine = ark_bn254::G1Affine;

/// Maps a signed 64-bit integer into the field (negative values wrap to `p - |v|`).
/// Cost: one Montgomery conversion.
#[inline]
pub fn from_i64(v: i64) -> F {
    if v >= 0 {
        F::from(v as u64)
    } else {
        -F::from(v.unsigned_abs())
    }
}

/// Maps a field element back to a signed integer if it lies in `(-2^63, 2^63)`,
/// reading elements above `p/2` as negative. Returns `None` otherwise.
pub fn to_i64(v: F) -> Option<i64> {
    let big = v.into_bigint();
    let limbs = big.0;
    if limbs[1] == 0 && limbs[2] == 0 && limbs[3] == 0 && limbs[0] < (1u64 << 63) {
        return Some(limbs[0] as i64);
    }
    let neg = (-v).into_bigint().0;
    if neg[1] == 0 && neg[2] == 0 && neg[3] == 0 && neg[0] < (1u64 << 63) {
        return Some(-(neg[0] as i64));
    }
    None
}

/// Inner product `Σ a_i b_i`. Cost: `n` multiplications.
pub fn inner_product(a: &[F], b: &[F]) -> F {
    debug_assert_eq!(a.len(), b.len());
    a.iter().zip(b).fold(F::ZERO, |acc, (x, y)| acc + *x * y)
}

/// Smallest `k` with `2^k >= n` (and 0 for `n <= 1`).
pub fn log2_ceil(n: usize) -> usize {
    if n <= 1 {
        0
    } else {
        (usize::BITS - (n - 1).leading_zeros()) as usize
    }
}

/// Evaluates, at `x`, the unique polynomial of degree `< evals.len()` whose
/// values at `0, 1, …, d` are `evals`. For `d ≤ 3` (every sumcheck here) the Lagrange
/// denominators are constants, so this costs about ten multiplications and no
/// inversion; larger `d` falls back to O(d²) operations with inversions.
pub fn interpolate_at(evals: &[F], x: F) -> F {
    static INV: std::sync::OnceLock<(F, F)> = std::sync::OnceLock::new();
    let &(inv2, inv6) = INV.get_or_init(|| {
        let inv6 = F::from(6u64).inverse().expect("6 ≠ 0");
        (inv6 * F::from(3u64), inv6)
    });
    let x1 = x - F::ONE;
    match *evals {
        [] => F::ZERO,
        [e0] => e0,
        [e0, e1] => e0 + (e1 - e0) * x,
        [e0, e1, e2] => {
            let x2 = x - F::from(2u64);
            (e0 * x1 * x2 + e2 * x * x1) * inv2 - e1 * x * x2
        }
        [e0, e1, e2, e3] => {
            let (x2, x3) = (x - F::from(2u64), x - F::from(3u64));
            let (a, b) = (x * x1, x2 * x3);
            (e3 * a * x2 - e0 * x1 * b) * inv6 + (e1 * x * b - e2 * a * x3) * inv2
        }
        _ => interpolate_generic(evals, x),
    }
}

/// Lagrange interpolation on nodes `0..d` with inversions. Cost: O(d²).
fn interpolate_generic(evals: &[F], x: F) -> F {
    let d = evals.len();
    let mut acc = F::ZERO;
    for (i, &yi) in evals.iter().enumerate() {
        let xi = F::from(i as u64);
        let mut num = F::ONE;
        let mut den = F::ONE;
        for j in 0..d {
            if j != i {
                let xj = F::from(j as u64);
                num *= x - xj;
                den *= xi - xj;
            }
        }
        acc += yi * num * den.inverse().expect("distinct nodes");
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_round_trip() {
        for v in [
            0i64,
            1,
            -1,
            255,
            -255,
            i32::MAX as i64,
            i32::MIN as i64,
            i64::MAX,
            -i64::MAX,
        ] {
            assert_eq!(to_i64(from_i64(v)), Some(v));
        }
        assert_eq!(to_i64(F::from(1u64 << 63)), None);
    }

    #[test]
    fn log2_ceil_values() {
        assert_eq!(log2_ceil(0), 0);
        assert_eq!(log2_ceil(1), 0);
        assert_eq!(log2_ceil(2), 1);
        assert_eq!(log2_ceil(3), 2);
        assert_eq!(log2_ceil(784), 10);
        assert_eq!(log2_ceil(4096), 12);
    }

    #[test]
    fn fast_interpolation_matches_generic() {
        let x = F::from(987654321u64);
        for d in 0..6u64 {
            let evals: Vec<F> = (0..=d).map(|i| F::from(i * i * 31 + 7 * d + 1)).collect();
            assert_eq!(
                interpolate_at(&evals, x),
                interpolate_generic(&evals, x),
                "d = {d}"
            );
        }
    }

    #[test]
    fn interpolation_recovers_cubic() {
        // p(x) = 3x^3 - 2x + 7
        let p = |x: F| F::from(3u64) * x * x * x - F::from(2u64) * x + F::from(7u64);
        let evals: Vec<F> = (0..4u64).map(|i| p(F::from(i))).collect();
        let x = F::from(123456789u64);
        assert_eq!(interpolate_at(&evals, x), p(x));
    }
}

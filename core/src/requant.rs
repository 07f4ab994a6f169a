//! Requantization with ReLU (`z ↦ clamp((z·M + 2^(k−1)) >> k, 0, 255)`) and the
//! decomposition of its witness into small pieces that table lookups can check.
//!
//! For an accumulator `z`, multiplier `M` and shift `k ≥ 1`:
//! `t = z·M + 2^(k−1) = q·2^k + r` with `r ∈ [0, 2^k)` (floor division), and the
//! output is `y = clamp(q, 0, 255)`. The MLP proof checks this as:
//! - `(q, y)` is a row of the clamp table `{(t, clamp(t, 0, 255)) : t ∈ [−2^(b−1),
//!   2^(b−1))}`, whose width `b ∈ [9, 16]` the prover names per layer
//!   ([`quotient_bits`]): any `b` gives a correct table, a small one is cheaper;
//! - `r = Σ_i 2^(12·i)·r_i` with limbs `r_i ∈ [0, 2^12)` and the top limb below
//!   `2^(k − 12·(n−1))`, so `r ∈ [0, 2^k)` exactly.

use crate::error::{Error, Result};

/// Width of a remainder limb (the range table has `2^LIMB_BITS` rows).
pub const LIMB_BITS: u32 = 12;
/// Width of the output `y` (and of the input bytes).
pub const LOW_BITS: u32 = 8;
/// Narrowest quotient table: `[−256, 256)`, which holds every unclamped output.
pub const MIN_QUOTIENT_BITS: u32 = LOW_BITS + 1;
/// Widest quotient table (`2^16` rows).
pub const MAX_QUOTIENT_BITS: u32 = 16;
/// Quotients must lie in `[−QUOTIENT_BOUND, QUOTIENT_BOUND)`.
pub const QUOTIENT_BOUND: i64 = 1 << (MAX_QUOTIENT_BITS - 1);
/// Largest supported shift `k`.
pub const MAX_SHIFT: u32 = 62;

/// `|z·M + 2^(k-1)|` must stay below this so that BN254 field arithmetic on the
/// requantization identity equals integer arithmetic (and i64 never overflows).
pub const FIELD_SAFE: i128 = 1 << 62;

/// One requantization step: `(q, r, y)` with `z·M + 2^(k−1) = q·2^k + r`,
/// `r ∈ [0, 2^k)` and `y = clamp(q, 0, 255)`. Computed in 128-bit integers; exact
/// whenever `q` fits an `i64` (always, under the compiler's bound `|z·M| < 2^62`).
/// Cost: O(1).
#[inline]
pub fn requant(z: i32, m: i64, k: u32) -> (i64, i64, u8) {
    debug_assert!((1..=MAX_SHIFT).contains(&k));
    let t = z as i128 * m as i128 + (1i128 << (k - 1));
    let q = t >> k;
    let r = t - (q << k);
    (q as i64, r as i64, q.clamp(0, 255) as u8)
}

/// Number of remainder limbs for shift `k`: `⌈k/12⌉`. Cost: O(1).
pub fn limbs_for(k: u32) -> usize {
    k.div_ceil(LIMB_BITS) as usize
}

/// Bits of the top remainder limb for shift `k` (in `1..=12`). Cost: O(1).
pub fn top_limb_bits(k: u32) -> u32 {
    k - LIMB_BITS * (limbs_for(k) as u32 - 1)
}

/// Width `b` of the smallest quotient table `[−2^(b−1), 2^(b−1))`, `b ≥ 9`, that holds
/// every quotient in `[lo, hi]`, or `None` if that needs more than 16 bits (the values
/// then leave `[−2^15, 2^15)` and no proof exists). Cost: O(1).
pub fn quotient_bits(lo: i64, hi: i64) -> Option<u32> {
    signed_bits(lo, hi, MIN_QUOTIENT_BITS)
}

/// Width `b ≥ min` of the smallest signed range `[−2^(b−1), 2^(b−1))` holding every
/// value in `[lo, hi]`, or `None` if that needs more than 16 bits. Cost: O(1).
pub fn signed_bits(lo: i64, hi: i64, min: u32) -> Option<u32> {
    (min.max(1)..=MAX_QUOTIENT_BITS).find(|b| {
        let half = 1i64 << (b - 1);
        -half <= lo && hi < half
    })
}

/// The limb `i` of a remainder. Cost: O(1).
pub fn limb(r: i64, i: usize) -> i64 {
    (r >> (LIMB_BITS as usize * i)) & ((1 << LIMB_BITS) - 1)
}

/// The largest |z| a row can reach with inputs in 0..=255: `255·nnz + |b|`.
pub fn z_bound(nnz: usize, bias: i32) -> i128 {
    255 * nnz as i128 + (bias as i128).abs()
}

/// The static bound check for one row: the accumulator (every partial sum included)
/// fits an i32, and, for requantized rows, `|z·M| + 2^(k-1) < 2^62`.
pub fn check_row(
    name: &str,
    row: usize,
    nnz: usize,
    bias: i32,
    mk: Option<(i64, u32)>,
) -> Result<()> {
    let zb = z_bound(nnz, bias);
    if zb > i32::MAX as i128 {
        return Err(Error::Bounds(format!(
            "layer `{name}` row {row}: accumulator can reach {zb} (255·{nnz} nonzeros + |bias| {}), beyond i32",
            bias.unsigned_abs()
        )));
    }
    if let Some((m, k)) = mk {
        if !(1..=62).contains(&k) || m < 0 {
            return Err(Error::Bounds(format!(
                "layer `{name}` row {row}: requantization M = {m}, k = {k} out of range (need M ≥ 0, 1 ≤ k ≤ 62)"
            )));
        }
        let t = zb * m as i128 + (1i128 << (k - 1));
        if t >= FIELD_SAFE {
            return Err(Error::Bounds(format!(
                "layer `{name}` row {row}: |z·M| + 2^(k-1) can reach {t} ≥ 2^62 (z bound {zb}, M = {m}, k = {k})"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_check_rejects_overflow() {
        assert!(check_row("l", 0, 1000, 5, Some((1 << 20, 30))).is_ok());
        let e = check_row("l", 3, 9_000_000, 0, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("beyond i32") && e.contains("row 3"), "{e}");
        let e = check_row("l", 0, 1_000_000, 0, Some((1 << 40, 30)))
            .unwrap_err()
            .to_string();
        assert!(e.contains("2^62"), "{e}");
        assert!(check_row("l", 0, 1, 0, Some((1, 0))).is_err());
    }

    #[test]
    fn requant_rounds_half_up_and_clamps() {
        // M/2^k = 1/4: 6/4 = 1.5 → 2, 5/4 → 1, -8/4 → -2 → 0, 2000/4 → 255.
        assert_eq!(requant(6, 1, 2), (2, 0, 2));
        assert_eq!(requant(5, 1, 2), (1, 3, 1));
        assert_eq!(requant(-8, 1, 2).2, 0);
        assert_eq!(requant(-7, 1, 2), (-2, 3, 0));
        assert_eq!(requant(2000, 1, 2).2, 255);
        for z in [-1000i32, -3, 0, 7, 123_456] {
            let (q, r, _) = requant(z, 12345, 20);
            assert!((0..1 << 20).contains(&r));
            assert_eq!(q * (1 << 20) + r, z as i64 * 12345 + (1 << 19));
        }
    }

    #[test]
    fn quotient_tables_are_the_smallest_that_fit() {
        assert_eq!(quotient_bits(0, 255), Some(9));
        assert_eq!(quotient_bits(-256, 255), Some(9));
        assert_eq!(quotient_bits(-257, 0), Some(10));
        assert_eq!(quotient_bits(0, 256), Some(10));
        assert_eq!(quotient_bits(-409, 311), Some(10));
        assert_eq!(quotient_bits(-1546, 404), Some(12));
        assert_eq!(quotient_bits(-32768, 32767), Some(16));
        assert_eq!(quotient_bits(-32769, 0), None);
        assert_eq!(quotient_bits(0, 32768), None);
        assert_eq!(signed_bits(0, 0, 1), Some(1));
        assert_eq!(signed_bits(-1, 0, 1), Some(1));
        assert_eq!(signed_bits(0, 1, 1), Some(2));
        assert_eq!(signed_bits(-2, 1, 1), Some(2));
        assert_eq!(signed_bits(-3000, 1000, 1), Some(13));
        assert_eq!(signed_bits(-32769, 0, 1), None);
    }

    #[test]
    fn limbs_cover_the_remainder_exactly() {
        for k in [1, 5, 11, 12, 13, 24, 26, 29, 62] {
            let n = limbs_for(k);
            assert_eq!(LIMB_BITS * (n as u32 - 1) + top_limb_bits(k), k);
            assert!((1..=LIMB_BITS).contains(&top_limb_bits(k)));
            let r = (1i64 << k) - 1;
            let back: i64 = (0..n).map(|i| limb(r, i) << (LIMB_BITS as usize * i)).sum();
            assert_eq!(back, r);
            assert!(limb(r, n - 1) < 1 << top_limb_bits(k));
        }
    }
}

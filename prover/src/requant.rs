//! Requantization with ReLU (`z ↦ clamp((z·M + 2^(k−1)) >> k, 0, 255)`) and the
//! decomposition of its witness into small pieces that table lookups can check.
//!
//! For an accumulator `z`, multiplier `M` and shift `k ≥ 1`:
//! `t = z·M + 2^(k−1) = q·2^k + r` with `r ∈ [0, 2^k)` (floor division), and the
//! output is `y = clamp(q, 0, 255)`. The MLP proof checks this as:
//! - `q = 2^8·h + l` with `l ∈ [0, 256)` and `h ∈ [−2^7, 2^7)`, so `q ∈ [−2^15, 2^15)`;
//! - `(h, c)` is a row of the sign table (`c = sign h`) and `(c, l, y)` a row of the
//!   saturate table, which together say `y = clamp(q, 0, 255)`;
//! - `r = Σ_i 2^(12·i)·r_i` with limbs `r_i ∈ [0, 2^12)` and the top limb below
//!   `2^(k − 12·(n−1))`, so `r ∈ [0, 2^k)` exactly.

/// Width of a remainder limb (the range table has `2^LIMB_BITS` rows).
pub const LIMB_BITS: u32 = 12;
/// Width of the low part `l` of the quotient and of the output `y`.
pub const LOW_BITS: u32 = 8;
/// Width of the signed high part `h` of the quotient (the sign table's size).
pub const HIGH_BITS: u32 = 8;
/// Quotients must lie in `[−QUOTIENT_BOUND, QUOTIENT_BOUND)`.
pub const QUOTIENT_BOUND: i64 = 1 << (LOW_BITS + HIGH_BITS - 1);
/// Largest supported shift `k`.
pub const MAX_SHIFT: u32 = 62;

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

/// The pieces of one requantized value that the lookups check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pieces {
    /// High part of the quotient, `⌊q / 256⌋ ∈ [−128, 128)`.
    pub h: i64,
    /// Low part of the quotient, `q mod 256`.
    pub l: i64,
    /// `sign(h) ∈ {−1, 0, 1}`.
    pub c: i64,
    /// The output `clamp(q, 0, 255)`.
    pub y: i64,
}

/// Splits a quotient into its checked pieces, or `None` if `q` lies outside
/// `[−2^15, 2^15)` (no proof exists then). Cost: O(1).
pub fn split_quotient(q: i64) -> Option<Pieces> {
    if !(-QUOTIENT_BOUND..QUOTIENT_BOUND).contains(&q) {
        return None;
    }
    let h = q.div_euclid(1 << LOW_BITS);
    Some(Pieces {
        h,
        l: q.rem_euclid(1 << LOW_BITS),
        c: h.signum(),
        y: q.clamp(0, 255),
    })
}

/// The limb `i` of a remainder. Cost: O(1).
pub fn limb(r: i64, i: usize) -> i64 {
    (r >> (LIMB_BITS as usize * i)) & ((1 << LIMB_BITS) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn pieces_reassemble_and_clamp() {
        for q in [
            -32768, -32767, -257, -256, -255, -1, 0, 1, 255, 256, 300, 32767,
        ] {
            let p = split_quotient(q).unwrap();
            assert_eq!(256 * p.h + p.l, q);
            assert!((0..256).contains(&p.l) && (-128..128).contains(&p.h));
            assert_eq!(p.c, p.h.signum());
            let y = match p.c {
                -1 => 0,
                0 => p.l,
                _ => 255,
            };
            assert_eq!(y, p.y);
            assert_eq!(p.y, q.clamp(0, 255));
        }
        assert!(split_quotient(32768).is_none());
        assert!(split_quotient(-32769).is_none());
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

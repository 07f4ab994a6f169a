//! Branch-free accumulation of many field elements into a vector of sums.
//!
//! A field element is stored in Montgomery form `a·R mod p` with four 64-bit limbs.
//! Since that map is additive, the Montgomery forms of many elements can be summed
//! as plain 320-bit integers (five limbs, a carry chain, no comparison with `p`) and
//! reduced once at the end. This removes the unpredictable "subtract p?" branch of
//! each field addition, which dominates sparse accumulation. Subtraction adds the
//! Montgomery form of the negated element.

use crate::field::F;
use ark_ff::{BigInt, PrimeField};

/// Unreduced sums: `sums[j]` is a 320-bit integer congruent to the Montgomery form of
/// the field sum. Exact for up to `2^65` additions per entry.
#[derive(Clone)]
pub struct LazySums {
    sums: Vec<[u64; 5]>,
}

/// The four Montgomery limbs of `f` (no conversion cost).
#[inline(always)]
pub fn limbs(f: &F) -> [u64; 4] {
    f.0 .0
}

impl LazySums {
    /// `n` zero sums.
    pub fn zeros(n: usize) -> Self {
        Self {
            sums: vec![[0u64; 5]; n],
        }
    }

    /// `sums[j] += v` where `v` holds Montgomery limbs. Cost: one 5-limb carry chain.
    #[inline(always)]
    pub fn add(&mut self, j: usize, v: &[u64; 4]) {
        let a = &mut self.sums[j];
        let t = a[0] as u128 + v[0] as u128;
        a[0] = t as u64;
        let t = a[1] as u128 + v[1] as u128 + (t >> 64);
        a[1] = t as u64;
        let t = a[2] as u128 + v[2] as u128 + (t >> 64);
        a[2] = t as u64;
        let t = a[3] as u128 + v[3] as u128 + (t >> 64);
        a[3] = t as u64;
        a[4] = a[4].wrapping_add((t >> 64) as u64);
    }

    /// `sums[j] += s·v` for Montgomery limbs `v` and a small integer `s < 2^32`: four
    /// 64×32-bit products and a carry chain, no modular reduction. Each such term is
    /// below `2^286`, so up to `2^34` of them fit in one sum.
    #[inline(always)]
    pub fn add_scaled(&mut self, j: usize, v: &[u64; 4], s: u32) {
        let s = s as u128;
        let a = &mut self.sums[j];
        let mut carry = 0u128;
        for k in 0..4 {
            let t = a[k] as u128 + v[k] as u128 * s + carry;
            a[k] = t as u64;
            carry = t >> 64;
        }
        a[4] = a[4].wrapping_add(carry as u64);
    }

    /// Adds `other` into `self` entrywise (the merge step of parallel accumulation).
    pub fn merge(&mut self, other: &Self) {
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            let mut carry = 0u128;
            for k in 0..4 {
                let t = a[k] as u128 + b[k] as u128 + carry;
                a[k] = t as u64;
                carry = t >> 64;
            }
            a[4] = a[4].wrapping_add(b[4]).wrapping_add(carry as u64);
        }
    }

    /// Reduces every sum to a field element. Cost: a few subtractions and one small
    /// conversion per entry.
    pub fn reduce(&self) -> Vec<F> {
        self.sums.iter().map(reduce_one).collect()
    }
}

/// `x = hi·2^256 + lo` as Montgomery forms: the element is `hi + mont⁻¹(lo mod p)`,
/// because `2^256 ≡ R (mod p)` and `R·R⁻¹ = 1`.
fn reduce_one(a: &[u64; 5]) -> F {
    let modulus = F::MODULUS.0;
    let mut lo = [a[0], a[1], a[2], a[3]];
    while !less_than(&lo, &modulus) {
        let mut borrow = 0i128;
        for k in 0..4 {
            let t = lo[k] as i128 - modulus[k] as i128 + borrow;
            lo[k] = t as u64;
            borrow = t >> 64;
        }
    }
    F::new_unchecked(BigInt(lo)) + F::from(a[4])
}

fn less_than(a: &[u64; 4], b: &[u64; 4]) -> bool {
    for k in (0..4).rev() {
        if a[k] != b[k] {
            return a[k] < b[k];
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::AdditiveGroup;
    use ark_std::{test_rng, UniformRand};

    #[test]
    fn lazy_sums_equal_field_sums() {
        let mut rng = test_rng();
        let n = 5;
        let mut lazy = LazySums::zeros(n);
        let mut other = LazySums::zeros(n);
        let mut want = vec![F::ZERO; n];
        for k in 0..20_000 {
            let v = F::rand(&mut rng);
            let j = k % n;
            if k % 3 == 0 {
                other.add(j, &limbs(&-v));
                want[j] -= v;
            } else {
                lazy.add(j, &limbs(&v));
                want[j] += v;
            }
        }
        lazy.merge(&other);
        assert_eq!(lazy.reduce(), want);
        // Extremes: p-1 added many times.
        let mut big = LazySums::zeros(1);
        let m1 = -F::from(1u64);
        for _ in 0..100_000 {
            big.add(0, &limbs(&m1));
        }
        assert_eq!(big.reduce()[0], -F::from(100_000u64));
    }

    #[test]
    fn scaled_sums_equal_field_sums() {
        let mut rng = test_rng();
        let mut lazy = LazySums::zeros(2);
        let mut want = [F::ZERO; 2];
        for k in 0..5_000u32 {
            let v = F::rand(&mut rng);
            let s = if k % 7 == 0 {
                u32::MAX
            } else {
                k.wrapping_mul(2654435761)
            };
            lazy.add_scaled((k % 2) as usize, &limbs(&v), s);
            want[(k % 2) as usize] += v * F::from(s as u64);
        }
        assert_eq!(lazy.reduce(), want);
    }
}

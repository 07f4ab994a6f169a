//! Transparent Pedersen generators for BN254 G1, derived by hashing.
//!
//! Generator `i` under label `L` is the first point `(x, y)` on `y² = x³ + 3` with
//! `x = H(L, i, c)` for `c = 0, 1, …` (try-and-increment), with the sign of `y` also
//! taken from the hash. Nobody knows a discrete-log relation between such points, and
//! anyone can recompute them. BN254 G1 has cofactor 1, so every curve point is in the
//! prime-order group. Cost: about one square root in Fq per attempt (two attempts on
//! average), parallel across generators.

use crate::field::GAffine;
use ark_bn254::Fq;
use ark_ff::{Field, PrimeField};
use rayon::prelude::*;

/// Derives `n` generators under `label`. Deterministic; the same label and index
/// always give the same point.
pub fn derive_generators(label: &[u8], n: usize) -> Vec<GAffine> {
    (0..n)
        .into_par_iter()
        .map(|i| derive_one(label, i as u64))
        .collect()
}

fn derive_one(label: &[u8], index: u64) -> GAffine {
    let b = Fq::from(3u64);
    for counter in 0u64.. {
        let mut h = blake3::Hasher::new();
        h.update(b"ternzk-generator");
        h.update(&(label.len() as u64).to_le_bytes());
        h.update(label);
        h.update(&index.to_le_bytes());
        h.update(&counter.to_le_bytes());
        let mut out = [0u8; 65];
        h.finalize_xof().fill(&mut out);
        let x = Fq::from_le_bytes_mod_order(&out[..64]);
        let rhs = x.square() * x + b;
        if let Some(y) = rhs.sqrt() {
            let y = if out[64] & 1 == 1 { -y } else { y };
            let p = GAffine::new_unchecked(x, y);
            debug_assert!(p.is_on_curve());
            return p;
        }
    }
    unreachable!("half of all x have a square right-hand side")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generators_are_valid_distinct_and_deterministic() {
        let g = derive_generators(b"test", 64);
        assert_eq!(g, derive_generators(b"test", 64));
        for p in &g {
            assert!(p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve());
            assert!(!ark_ec::AffineRepr::is_zero(p));
        }
        let mut xs: Vec<_> = g.iter().map(|p| p.x).collect();
        xs.sort();
        xs.dedup();
        assert_eq!(xs.len(), 64);
        assert_ne!(derive_generators(b"other", 1)[0], g[0]);
        // A prefix of a longer derivation equals the shorter one.
        assert_eq!(derive_generators(b"test", 8)[..], g[..8]);
    }
}

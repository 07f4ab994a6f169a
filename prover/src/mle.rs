//! Multilinear polynomials given by their evaluation tables on `{0,1}^k`.
//!
//! Index convention as in [`crate::eq`]: the first variable is the most significant bit,
//! so binding it folds the top half of the table onto the bottom half.

use crate::eq::{eq_table, PAR_THRESHOLD};
use crate::field::{inner_product, F};
use ark_ff::AdditiveGroup;
use rayon::prelude::*;

/// Binds the first (most significant) variable of `table` to `r` in place,
/// halving its length: `t[i] ← t[i] + r·(t[i + h] − t[i])`. Cost: `2^(k-1)` multiplications.
pub fn bind_first(table: &mut Vec<F>, r: F) {
    let half = table.len() / 2;
    let (lo, hi) = table.split_at_mut(half);
    if half >= PAR_THRESHOLD {
        lo.par_iter_mut()
            .zip(hi.par_iter())
            .for_each(|(a, b)| *a += r * (*b - *a));
    } else {
        for (a, b) in lo.iter_mut().zip(hi.iter()) {
            *a += r * (*b - *a);
        }
    }
    table.truncate(half);
}

/// Evaluates the multilinear extension of `table` (length `2^k`) at `point` (length `k`).
/// Cost: about `2^k` multiplications.
pub fn evaluate(table: &[F], point: &[F]) -> F {
    assert_eq!(table.len(), 1 << point.len(), "table length must be 2^k");
    if table.len() <= 64 {
        let mut t = table.to_vec();
        for &r in point {
            bind_first(&mut t, r);
        }
        return t[0];
    }
    inner_product(table, &eq_table(point))
}

/// Zero-pads `values` to the next power of two (at least 1). Cost: O(n).
pub fn pad_to_pow2(mut values: Vec<F>) -> Vec<F> {
    let n = values.len().max(1).next_power_of_two();
    values.resize(n, F::ZERO);
    values
}

/// Evaluates the multilinear extension of a small-integer vector, zero-padded to
/// `2^k` entries, at `point`. Cost: `2^k` multiplications for the eq table plus one
/// multiplication per nonzero entry.
pub fn evaluate_ints(values: &[i64], point: &[F]) -> F {
    assert!(values.len() <= 1 << point.len(), "vector longer than 2^k");
    let eq = eq_table(point);
    values
        .iter()
        .zip(&eq)
        .filter(|(v, _)| **v != 0)
        .fold(F::ZERO, |acc, (&v, &e)| acc + crate::field::from_i64(v) * e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::Field;
    use ark_std::{test_rng, UniformRand};

    #[test]
    fn evaluate_on_boolean_points_returns_entries() {
        let mut rng = test_rng();
        let t: Vec<F> = (0..8).map(|_| F::rand(&mut rng)).collect();
        for (i, ti) in t.iter().enumerate() {
            let p: Vec<F> = (0..3)
                .map(|b| F::from(((i >> (2 - b)) & 1) as u64))
                .collect();
            assert_eq!(evaluate(&t, &p), *ti);
        }
    }

    #[test]
    fn binding_agrees_with_eq_evaluation() {
        let mut rng = test_rng();
        let t: Vec<F> = (0..1024).map(|_| F::rand(&mut rng)).collect();
        let p: Vec<F> = (0..10).map(|_| F::rand(&mut rng)).collect();
        let mut folded = t.clone();
        for &r in &p {
            bind_first(&mut folded, r);
        }
        assert_eq!(folded[0], evaluate(&t, &p));
    }

    #[test]
    fn integer_evaluation_matches_field_evaluation() {
        let mut rng = test_rng();
        let v: Vec<i64> = vec![3, -7, 0, 255, -1];
        let p: Vec<F> = (0..3).map(|_| F::rand(&mut rng)).collect();
        let mut as_field: Vec<F> = v.iter().map(|&x| crate::field::from_i64(x)).collect();
        as_field.resize(8, F::ZERO);
        assert_eq!(evaluate_ints(&v, &p), evaluate(&as_field, &p));
        assert_ne!(evaluate_ints(&v, &p), F::ONE);
    }
}

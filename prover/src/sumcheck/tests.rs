//! Tests of the driver, the batching, the verifier and the term oracle.

use super::*;
use crate::mle::bind_first;
use crate::mle::evaluate;
use ark_ff::Field;
use ark_std::{test_rng, UniformRand};

fn random_table(k: usize, rng: &mut impl ark_std::rand::Rng) -> Vec<F> {
    (0..1 << k).map(|_| F::rand(rng)).collect()
}

fn brute_sum(polys: &[Vec<F>], terms: &[Term]) -> F {
    (0..polys[0].len())
        .map(|i| {
            terms
                .iter()
                .map(|t| t.factors.iter().fold(t.coeff, |acc, &f| acc * polys[f][i]))
                .sum::<F>()
        })
        .sum()
}

fn run(k: usize, terms: Vec<Term>, npolys: usize) {
    let mut rng = test_rng();
    let polys: Vec<Vec<F>> = (0..npolys).map(|_| random_table(k, &mut rng)).collect();
    let claim = brute_sum(&polys, &terms);
    let degree = terms.iter().map(|t| t.factors.len()).max().unwrap();
    let out = prove_terms(polys.clone(), &terms, &mut Transcript::new(b"t"));
    for (p, e) in polys.iter().zip(&out.evals) {
        assert_eq!(evaluate(p, &out.point), *e);
    }
    let (point, final_claim) =
        verify(claim, k, degree, &out.proof, &mut Transcript::new(b"t")).unwrap();
    assert_eq!(point, out.point);
    let expect: F = terms
        .iter()
        .map(|t| t.factors.iter().fold(t.coeff, |a, &f| a * out.evals[f]))
        .sum();
    assert_eq!(final_claim, expect);
    // A wrong claim leads to a final claim that does not match.
    let (_, bad) = verify(
        claim + F::ONE,
        k,
        degree,
        &out.proof,
        &mut Transcript::new(b"t"),
    )
    .unwrap();
    assert_ne!(bad, expect);
    // Every round value, mutated, breaks the final check.
    for i in 0..out.proof.rounds.len() {
        for j in 0..degree {
            let mut p = out.proof.clone();
            p.rounds[i][j] += F::ONE;
            let (_, c) = verify(claim, k, degree, &p, &mut Transcript::new(b"t")).unwrap();
            assert_ne!(c, expect, "mutation of round {i} value {j} went unnoticed");
        }
    }
}

#[test]
fn degree_one_two_three() {
    let t = |coeff: u64, factors: Vec<usize>| Term {
        coeff: F::from(coeff),
        factors,
    };
    run(5, vec![t(1, vec![0])], 1);
    run(6, vec![t(1, vec![0, 1])], 2);
    run(
        4,
        vec![t(3, vec![0, 1, 2]), t(5, vec![1]), t(7, vec![0, 2])],
        3,
    );
    // Parallel path.
    run(16, vec![t(1, vec![0, 1])], 2);
}

#[test]
fn malformed_proofs_are_errors() {
    let p = SumcheckProof {
        rounds: vec![vec![F::ONE; 2]; 3],
    };
    assert!(verify(F::ONE, 4, 2, &p, &mut Transcript::new(b"t")).is_err());
    assert!(verify(F::ONE, 3, 3, &p, &mut Transcript::new(b"t")).is_err());
    assert!(verify(F::ONE, 3, 2, &p, &mut Transcript::new(b"t")).is_ok());
}

/// A minimal oracle written against the trait alone: `Σ_x a(x)·b(x)·c(x)` over plain
/// tables, summed by brute force each round (no caching, no tricks).
struct Product3 {
    t: [Vec<F>; 3],
}

impl RoundOracle for Product3 {
    fn num_vars(&self) -> usize {
        self.t[0].len().trailing_zeros() as usize
    }
    fn degree(&self) -> usize {
        3
    }
    fn round(&mut self, _claim: F) -> Vec<F> {
        let h = self.t[0].len() / 2;
        (0..=3u64)
            .map(|x| {
                let x = F::from(x);
                (0..h)
                    .map(|i| {
                        self.t
                            .iter()
                            .map(|p| p[i] + x * (p[i + h] - p[i]))
                            .product::<F>()
                    })
                    .sum()
            })
            .collect()
    }
    fn bind(&mut self, r: F) {
        for p in self.t.iter_mut() {
            bind_first(p, r);
        }
    }
}

fn product3(k: usize, rng: &mut impl ark_std::rand::Rng) -> (Product3, F) {
    let t: [Vec<F>; 3] = std::array::from_fn(|_| random_table(k, rng));
    let claim = (0..1 << k).map(|i| t[0][i] * t[1][i] * t[2][i]).sum();
    (Product3 { t }, claim)
}

#[test]
fn driver_and_verifier_agree_with_brute_force() {
    let mut rng = test_rng();
    for k in 0..6 {
        let (mut o, claim) = product3(k, &mut rng);
        let tables = o.t.clone();
        let red = prove(&mut o, claim, &mut Transcript::new(b"d"));
        assert_eq!(red.proof.rounds.len(), k);
        assert!(red.proof.rounds.iter().all(|m| m.len() == 3));
        let (point, fin) = verify(claim, k, 3, &red.proof, &mut Transcript::new(b"d")).unwrap();
        assert_eq!(point, red.point);
        assert_eq!(fin, red.claim);
        let expect: F = tables.iter().map(|p| evaluate(p, &point)).product();
        assert_eq!(fin, expect, "final claim is f at the point");
    }
}

#[test]
fn verifier_rejects_tampered_rounds_wrong_claims_and_degrees() {
    let mut rng = test_rng();
    let k = 4;
    let (mut o, claim) = product3(k, &mut rng);
    let tables = o.t.clone();
    let red = prove(&mut o, claim, &mut Transcript::new(b"d"));
    let truth = |p: &[F]| -> F { tables.iter().map(|t| evaluate(t, p)).product() };
    // A tampered value in any round: the final claim no longer matches f.
    for i in 0..k {
        for j in 0..3 {
            let mut p = red.proof.clone();
            p.rounds[i][j] += F::ONE;
            let (pt, fin) = verify(claim, k, 3, &p, &mut Transcript::new(b"d")).unwrap();
            assert_ne!(fin, truth(&pt), "round {i} value {j}");
        }
    }
    // A wrong claim: likewise.
    let (pt, fin) = verify(claim + F::ONE, k, 3, &red.proof, &mut Transcript::new(b"d")).unwrap();
    assert_ne!(fin, truth(&pt));
    // Wrong degree or number of rounds: malformed.
    for (nv, d) in [(k, 2), (k, 4), (k - 1, 3), (k + 1, 3)] {
        assert!(matches!(
            verify(claim, nv, d, &red.proof, &mut Transcript::new(b"d")),
            Err(crate::Error::Malformed(_))
        ));
    }
    let mut short = red.proof.clone();
    short.rounds[2].pop();
    assert!(verify(claim, k, 3, &short, &mut Transcript::new(b"d")).is_err());
}

#[test]
fn batched_instances_reduce_to_the_weighted_claims() {
    let mut rng = test_rng();
    let k = 5;
    for threshold in [usize::MAX, 0] {
        let (members, claims): (Vec<Product3>, Vec<F>) =
            (0..3).map(|_| product3(k, &mut rng)).unzip();
        let tables: Vec<[Vec<F>; 3]> = members.iter().map(|m| m.t.clone()).collect();
        let lambda = F::from(7u64);
        let weights = vec![F::ONE, lambda, lambda.square()];
        let mut b =
            Batched::new(members, weights.clone(), claims.clone()).parallel_above(threshold);
        let claim = b.claim();
        assert_eq!(
            claim,
            claims[0] + lambda * claims[1] + lambda.square() * claims[2]
        );
        let red = prove(&mut b, claim, &mut Transcript::new(b"b"));
        let (point, fin) = verify(claim, k, 3, &red.proof, &mut Transcript::new(b"b")).unwrap();
        let each: Vec<F> = tables
            .iter()
            .map(|t| t.iter().map(|p| evaluate(p, &point)).product())
            .collect();
        assert_eq!(b.member_claims(), &each[..], "member claims are f_j(point)");
        let combined: F = weights.iter().zip(&each).map(|(w, e)| *w * e).sum();
        assert_eq!(fin, combined);
        // One member's claim changed: the combination fails at the end.
        let wrong = claim + weights[1];
        let (pt, fin) = verify(wrong, k, 3, &red.proof, &mut Transcript::new(b"b")).unwrap();
        assert_eq!(pt, point);
        assert_ne!(fin, combined);
    }
}

//! Sumcheck for sums of products of up to three multilinear polynomials:
//! `claim = Σ_{x ∈ {0,1}^k} Σ_t c_t · Π_{j ∈ t} P_j(x)`.
//!
//! Each round the prover sends its univariate round polynomial in compressed form:
//! its values at `0, 2, …, d` (the value at 1 is implied by the running claim).
//! The verifier checks every round and returns the random point and the claim that
//! remains on the polynomials there; the caller checks that claim against openings.

use crate::eq::PAR_THRESHOLD;
use crate::error::Error;
use crate::field::{interpolate_at, F};
use crate::mle::bind_first;
use crate::transcript::Transcript;
use ark_ff::AdditiveGroup;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rayon::prelude::*;

/// Largest supported degree (products of at most three factors).
pub const MAX_DEGREE: usize = 3;

/// One term `coeff · Π factors` of the summand; factors index the polynomial list.
#[derive(Clone, Debug)]
pub struct Term {
    /// The constant multiplying this product.
    pub coeff: F,
    /// Indices (into the prover's polynomial list) of the factors; 1 to 3 of them.
    pub factors: Vec<usize>,
}

/// A sumcheck proof: for each round, the round polynomial at `0, 2, …, degree`.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct SumcheckProof {
    /// `rounds[i]` has `degree` entries: `p_i(0), p_i(2), …, p_i(degree)`.
    pub rounds: Vec<Vec<F>>,
}

/// What a sumcheck reduces to: the random point and the evaluation of each
/// polynomial there (prover side).
pub struct ProverOutput {
    /// The proof to send.
    pub proof: SumcheckProof,
    /// The challenges `r_1, …, r_k` (first variable first).
    pub point: Vec<F>,
    /// `P_j(point)` for every input polynomial, in input order.
    pub evals: Vec<F>,
}

/// Proves `Σ_x Σ_t c_t Π_{j∈t} P_j(x)`; every `polys[j]` has length `2^k`.
/// Cost: O(2^k · (#polys + #terms·degree)) field operations, split across threads
/// when `2^k` exceeds [`PAR_THRESHOLD`]. The claimed sum itself must already be
/// bound to the transcript by the caller.
pub fn prove(mut polys: Vec<Vec<F>>, terms: &[Term], transcript: &mut Transcript) -> ProverOutput {
    let degree = terms.iter().map(|t| t.factors.len()).max().unwrap_or(1);
    assert!((1..=MAX_DEGREE).contains(&degree), "degree must be 1..=3");
    let n = polys[0].len();
    assert!(n.is_power_of_two(), "tables must have power-of-two length");
    assert!(
        polys.iter().all(|p| p.len() == n),
        "tables must share a length"
    );
    let k = n.trailing_zeros() as usize;
    let mut rounds = Vec::with_capacity(k);
    let mut point = Vec::with_capacity(k);
    for _ in 0..k {
        let evals = round_evals(&polys, terms, degree);
        // Send p(0), p(2), ..., p(d); p(1) is implied.
        let msg: Vec<F> = std::iter::once(evals[0])
            .chain(evals[2..=degree].iter().copied())
            .collect();
        transcript.append_fields(b"sumcheck-round", &msg);
        let r = transcript.challenge(b"sumcheck-challenge");
        for p in polys.iter_mut() {
            bind_first(p, r);
        }
        rounds.push(msg);
        point.push(r);
    }
    ProverOutput {
        proof: SumcheckProof { rounds },
        point,
        evals: polys.iter().map(|p| p[0]).collect(),
    }
}

/// Values of the current round polynomial at `0, 1, …, degree`.
fn round_evals(polys: &[Vec<F>], terms: &[Term], degree: usize) -> [F; MAX_DEGREE + 1] {
    let half = polys[0].len() / 2;
    let pair = |i: usize| -> [F; MAX_DEGREE + 1] {
        // vals[j][t] = P_j(t, x_rest) for t = 0..=degree, by repeated addition.
        let mut out = [F::ZERO; MAX_DEGREE + 1];
        let mut vals = [[F::ZERO; MAX_DEGREE + 1]; 8];
        let mut big: Vec<[F; MAX_DEGREE + 1]> = Vec::new();
        let table: &mut [[F; MAX_DEGREE + 1]] = if polys.len() <= 8 {
            &mut vals[..polys.len()]
        } else {
            big.resize(polys.len(), [F::ZERO; MAX_DEGREE + 1]);
            &mut big
        };
        for (v, p) in table.iter_mut().zip(polys) {
            let (lo, hi) = (p[i], p[i + half]);
            let diff = hi - lo;
            v[0] = lo;
            v[1] = hi;
            for t in 2..=degree {
                v[t] = v[t - 1] + diff;
            }
        }
        for term in terms {
            for (t, o) in out.iter_mut().enumerate().take(degree + 1) {
                let mut prod = term.coeff;
                for &f in &term.factors {
                    prod *= table[f][t];
                }
                *o += prod;
            }
        }
        out
    };
    let add = |mut a: [F; MAX_DEGREE + 1], b: [F; MAX_DEGREE + 1]| {
        for (x, y) in a.iter_mut().zip(b) {
            *x += y;
        }
        a
    };
    if half >= PAR_THRESHOLD {
        (0..half)
            .into_par_iter()
            .map(pair)
            .reduce(|| [F::ZERO; MAX_DEGREE + 1], add)
    } else {
        (0..half).map(pair).fold([F::ZERO; MAX_DEGREE + 1], add)
    }
}

/// Verifies a sumcheck proof of `num_vars` rounds of degree `degree` for `claim`.
/// Returns the random point and the claim that remains on the summand at that point.
/// Cost: O(num_vars · degree²) field operations.
pub fn verify(
    claim: F,
    num_vars: usize,
    degree: usize,
    proof: &SumcheckProof,
    transcript: &mut Transcript,
) -> crate::Result<(Vec<F>, F)> {
    if proof.rounds.len() != num_vars {
        return Err(Error::Malformed(format!(
            "sumcheck has {} rounds, expected {num_vars}",
            proof.rounds.len()
        )));
    }
    let mut claim = claim;
    let mut point = Vec::with_capacity(num_vars);
    for msg in &proof.rounds {
        if msg.len() != degree {
            return Err(Error::Malformed(format!(
                "sumcheck round has {} values, expected {degree}",
                msg.len()
            )));
        }
        transcript.append_fields(b"sumcheck-round", msg);
        let r = transcript.challenge(b"sumcheck-challenge");
        // Reconstruct p(0..=d) from p(0), p(2..) and p(0) + p(1) = claim.
        let mut evals = Vec::with_capacity(degree + 1);
        evals.push(msg[0]);
        evals.push(claim - msg[0]);
        evals.extend_from_slice(&msg[1..]);
        claim = interpolate_at(&evals, r);
        point.push(r);
    }
    Ok((point, claim))
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let out = prove(polys.clone(), &terms, &mut Transcript::new(b"t"));
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
}

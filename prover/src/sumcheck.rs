//! The one sumcheck engine: a prover driver over a round oracle ([`RoundOracle`]), its
//! random-linear-combination batching ([`Batched`]) and the one verifier ([`verify`]).
//!
//! A sumcheck proves `claim = Σ_{x ∈ {0,1}^k} f(x)` for a polynomial `f` of degree at
//! most `d` in each variable. Round `i` the prover sends its univariate round polynomial
//! `p_i(t) = Σ_{x'} f(r_1, …, r_{i−1}, t, x')` in compressed form: its values at
//! `0, 2, …, d` (the value at 1 is implied by the running claim, `p_i(0) + p_i(1)`).
//! The verifier checks every round and returns the random point and the claim that
//! remains on `f` there; the caller checks that claim against openings.
//!
//! Every protocol of the crate (the linear layer's product, both sides of LogUp and the
//! dense-GKR baseline's phases) implements [`RoundOracle`] and is driven by [`prove`];
//! all of them are checked by [`verify`]. The transcript labels are
//! [`labels::SUMCHECK_ROUND`] and [`labels::SUMCHECK_CHALLENGE`].

use crate::error::Error;
use crate::field::{interpolate_at, F};
use crate::labels;
use crate::transcript::Transcript;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

mod batched;
mod terms;
#[cfg(test)]
mod tests;

pub use batched::Batched;
pub use terms::{prove_terms, Term, TermOracle, TermsOutput, MAX_DEGREE};

/// The prover's side of one sumcheck instance, in the shape of stwo's
/// `MultivariatePolyOracle`: it knows the polynomial `f` restricted to the challenges
/// bound so far, and produces each round polynomial.
///
/// Implementations do the heavy work (a pass over their tables) in [`RoundOracle::round`]
/// or [`RoundOracle::bind`]; the driver only moves a few field elements per round, so an
/// implementation generic over its tables keeps its inner loops monomorphized.
pub trait RoundOracle {
    /// Number of variables of `f` still unbound (the rounds left). Cost: O(1).
    fn num_vars(&self) -> usize;

    /// Degree `d` of every round polynomial (the message carries `d` values). Cost: O(1).
    fn degree(&self) -> usize;

    /// The current round polynomial at `0, 1, …, d`, given the current claim
    /// `p(0) + p(1)` (an oracle may use it to derive `p(1)` instead of summing it).
    /// Cost: the implementation's pass over its tables.
    fn round(&mut self, claim: F) -> Vec<F>;

    /// Fixes the current first variable to the challenge `r` (folding the tables, or
    /// recording `r` for the next round's pass to fold). Cost: implementation's.
    fn bind(&mut self, r: F);
}

/// A sumcheck proof: for each round, the round polynomial at `0, 2, …, degree`.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct SumcheckProof {
    /// `rounds[i]` has `degree` entries: `p_i(0), p_i(2), …, p_i(degree)`.
    pub rounds: Vec<Vec<F>>,
}

/// What the prover driver returns: the proof, the challenges and the claim left on `f`
/// at them (what the verifier will arrive at).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reduction {
    /// The proof to send.
    pub proof: SumcheckProof,
    /// The challenges `r_1, …, r_k` (first variable first).
    pub point: Vec<F>,
    /// `f(point)` as implied by the rounds.
    pub claim: F,
}

/// The one sumcheck prover: runs `oracle.num_vars()` rounds for `claim` (which the
/// caller has already bound to the transcript). Each round appends the message
/// `p(0), p(2), …, p(d)` under [`labels::SUMCHECK_ROUND`], draws the challenge under
/// [`labels::SUMCHECK_CHALLENGE`], updates the claim to `p(r)` and binds `r`.
/// Cost: the oracle's rounds plus O(d²) field operations per round.
pub fn prove<O: RoundOracle + ?Sized>(
    oracle: &mut O,
    claim: F,
    transcript: &mut Transcript,
) -> Reduction {
    let k = oracle.num_vars();
    let degree = oracle.degree();
    let mut claim = claim;
    let mut rounds = Vec::with_capacity(k);
    let mut point = Vec::with_capacity(k);
    for _ in 0..k {
        let evals = oracle.round(claim);
        debug_assert_eq!(
            evals.len(),
            degree + 1,
            "round polynomial of the wrong degree"
        );
        debug_assert_eq!(
            evals[0] + evals[1],
            claim,
            "round polynomial misses the claim"
        );
        let msg: Vec<F> = std::iter::once(evals[0])
            .chain(evals[2..].iter().copied())
            .collect();
        transcript.append_fields(labels::SUMCHECK_ROUND, &msg);
        let r = transcript.challenge(labels::SUMCHECK_CHALLENGE);
        claim = interpolate_at(&evals, r);
        oracle.bind(r);
        rounds.push(msg);
        point.push(r);
    }
    Reduction {
        proof: SumcheckProof { rounds },
        point,
        claim,
    }
}

/// The one sumcheck verifier: checks a proof of `num_vars` rounds of degree `degree`
/// for `claim` and returns the random point and the claim that remains on the summand
/// there. A proof with the wrong number of rounds or of values per round is
/// `Error::Malformed` (naming the round); the caller names its step with
/// [`Error::in_step`] and checks the returned claim, reporting a mismatch as
/// [`crate::error::Check::SumcheckFinal`]. Cost: O(num_vars · degree²) field operations.
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
    for (i, msg) in proof.rounds.iter().enumerate() {
        if msg.len() != degree {
            return Err(Error::Malformed(format!(
                "sumcheck round {i} has {} values, expected {degree}",
                msg.len()
            )));
        }
        transcript.append_fields(labels::SUMCHECK_ROUND, msg);
        let r = transcript.challenge(labels::SUMCHECK_CHALLENGE);
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

//! Several sumcheck instances over the same variables proven as one: the summand is
//! `Σ_j w_j·f_j` for weights `w_j` drawn by the verifier (typically powers of one
//! challenge), so one message per round serves every instance.

use super::RoundOracle;
use crate::field::{interpolate_at, F};
use ark_ff::AdditiveGroup;
use rayon::prelude::*;

/// A random linear combination `Σ_j w_j·f_j` of round oracles that share their number
/// of variables and degree. It tracks each member's own claim (the member's round
/// polynomial at the challenge), so a member may derive `p(1)` from it.
///
/// Cost per round: the members' rounds (run in parallel once the round has at least
/// the threshold of [`Batched::parallel_above`] pairs summed over members) plus
/// O(#members · d²) to combine and update the claims.
pub struct Batched<O> {
    members: Vec<O>,
    weights: Vec<F>,
    claims: Vec<F>,
    evals: Vec<Vec<F>>,
    num_vars: usize,
    degree: usize,
    par_pairs: usize,
}

impl<O: RoundOracle> Batched<O> {
    /// Combines `members` with `weights`; `claims[j]` is member `j`'s claimed sum.
    ///
    /// # Panics
    /// If the three lists differ in length, the list is empty, or the members differ in
    /// number of variables or degree.
    pub fn new(members: Vec<O>, weights: Vec<F>, claims: Vec<F>) -> Self {
        assert!(!members.is_empty(), "a batch needs a member");
        assert_eq!(members.len(), weights.len(), "one weight per member");
        assert_eq!(members.len(), claims.len(), "one claim per member");
        let (num_vars, degree) = (members[0].num_vars(), members[0].degree());
        assert!(
            members
                .iter()
                .all(|m| m.num_vars() == num_vars && m.degree() == degree),
            "batched instances must share their variables and degree"
        );
        Self {
            members,
            weights,
            claims,
            evals: Vec::new(),
            num_vars,
            degree,
            par_pairs: usize::MAX,
        }
    }

    /// Runs the members' rounds on several threads when a round has at least `pairs`
    /// pairs of table entries summed over the members (default: never).
    pub fn parallel_above(mut self, pairs: usize) -> Self {
        self.par_pairs = pairs;
        self
    }

    /// The combined claim `Σ_j w_j·claim_j`. Cost: one multiplication per member.
    pub fn claim(&self) -> F {
        self.weights
            .iter()
            .zip(&self.claims)
            .map(|(w, c)| *w * c)
            .sum()
    }

    /// The members (in their bound state). Cost: O(1).
    pub fn members(&self) -> &[O] {
        &self.members
    }

    /// Each member's claim at the current point (after all rounds: on `f_j(point)`).
    pub fn member_claims(&self) -> &[F] {
        &self.claims
    }

    /// The members, to read their final values. Cost: O(1).
    pub fn into_members(self) -> Vec<O> {
        self.members
    }
}

impl<O: RoundOracle + Send> RoundOracle for Batched<O> {
    fn num_vars(&self) -> usize {
        self.num_vars
    }

    fn degree(&self) -> usize {
        self.degree
    }

    fn round(&mut self, claim: F) -> Vec<F> {
        debug_assert_eq!(claim, self.claim(), "batched claim out of step");
        let pairs = (1usize << self.num_vars.saturating_sub(1)) * self.members.len();
        let run = |(m, c): (&mut O, &F)| m.round(*c);
        self.evals = if self.members.len() > 1 && pairs >= self.par_pairs {
            self.members
                .par_iter_mut()
                .zip(self.claims.par_iter())
                .map(run)
                .collect()
        } else {
            self.members
                .iter_mut()
                .zip(self.claims.iter())
                .map(run)
                .collect()
        };
        let mut out = vec![F::ZERO; self.degree + 1];
        for (w, e) in self.weights.iter().zip(&self.evals) {
            for (o, x) in out.iter_mut().zip(e) {
                *o += *w * x;
            }
        }
        out
    }

    fn bind(&mut self, r: F) {
        for ((m, c), e) in self
            .members
            .iter_mut()
            .zip(&mut self.claims)
            .zip(&self.evals)
        {
            *c = interpolate_at(e, r);
            m.bind(r);
        }
        self.num_vars -= 1;
    }
}

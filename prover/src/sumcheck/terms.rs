//! Sums of products of up to three multilinear polynomials as a round oracle:
//! `claim = Σ_{x ∈ {0,1}^k} Σ_t c_t · Π_{j ∈ t} P_j(x)` ([`TermOracle`]), and
//! [`prove_terms`], which runs the driver on one and returns the polynomials' values
//! at the random point.

use super::{prove, RoundOracle, SumcheckProof};
use crate::eq::PAR_THRESHOLD;
use crate::field::F;
use crate::mle::bind_first;
use crate::transcript::Transcript;
use ark_ff::AdditiveGroup;
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

/// What [`prove_terms`] returns: the proof, the random point and the evaluation of
/// each polynomial there.
pub struct TermsOutput {
    /// The proof to send.
    pub proof: SumcheckProof,
    /// The challenges `r_1, …, r_k` (first variable first).
    pub point: Vec<F>,
    /// `P_j(point)` for every input polynomial, in input order.
    pub evals: Vec<F>,
}

/// The summand `Σ_t c_t Π_{j∈t} P_j` over tables `P_j` of length `2^k`, as a round
/// oracle. Cost per round: O(2^k · (#polys + #terms·degree)) field operations to sum,
/// `#polys · 2^(k−1)` multiplications to bind; split across threads when `2^k`
/// exceeds [`PAR_THRESHOLD`].
pub struct TermOracle<'a> {
    polys: Vec<Vec<F>>,
    terms: &'a [Term],
    degree: usize,
    /// The current round's values, when [`TermOracle::sum`] computed them already.
    cached: Option<[F; MAX_DEGREE + 1]>,
}

impl<'a> TermOracle<'a> {
    /// An oracle for `terms` over `polys` (all of one power-of-two length).
    ///
    /// # Panics
    /// If the lengths differ or are not a power of two, or a term has no factor or more
    /// than [`MAX_DEGREE`].
    pub fn new(polys: Vec<Vec<F>>, terms: &'a [Term]) -> Self {
        let degree = terms.iter().map(|t| t.factors.len()).max().unwrap_or(1);
        assert!((1..=MAX_DEGREE).contains(&degree), "degree must be 1..=3");
        let n = polys[0].len();
        assert!(n.is_power_of_two(), "tables must have power-of-two length");
        assert!(
            polys.iter().all(|p| p.len() == n),
            "tables must share a length"
        );
        Self {
            polys,
            terms,
            degree,
            cached: None,
        }
    }

    /// The sum over the remaining hypercube (the claim), computed from the current
    /// round's values, which the next [`RoundOracle::round`] then reuses. Cost: one
    /// round's pass.
    pub fn sum(&mut self) -> F {
        if self.polys[0].len() == 1 {
            return self
                .terms
                .iter()
                .map(|t| t.factors.iter().fold(t.coeff, |a, &f| a * self.polys[f][0]))
                .sum();
        }
        let evals = round_evals(&self.polys, self.terms, self.degree);
        self.cached = Some(evals);
        evals[0] + evals[1]
    }

    /// `P_j` at the bound point, for every polynomial (after all rounds). Cost: O(#polys).
    pub fn evals(&self) -> Vec<F> {
        self.polys.iter().map(|p| p[0]).collect()
    }
}

impl RoundOracle for TermOracle<'_> {
    fn num_vars(&self) -> usize {
        self.polys[0].len().trailing_zeros() as usize
    }

    fn degree(&self) -> usize {
        self.degree
    }

    fn round(&mut self, _claim: F) -> Vec<F> {
        let evals = match self.cached.take() {
            Some(e) => e,
            None => round_evals(&self.polys, self.terms, self.degree),
        };
        evals[..=self.degree].to_vec()
    }

    fn bind(&mut self, r: F) {
        for p in self.polys.iter_mut() {
            bind_first(p, r);
        }
    }
}

/// Proves `Σ_x Σ_t c_t Π_{j∈t} P_j(x)` with the sumcheck driver; every `polys[j]` has
/// length `2^k`. The claimed sum itself must already be bound to the transcript by the
/// caller. Cost: that of [`TermOracle`]'s rounds.
pub fn prove_terms(polys: Vec<Vec<F>>, terms: &[Term], transcript: &mut Transcript) -> TermsOutput {
    let mut oracle = TermOracle::new(polys, terms);
    let claim = oracle.sum();
    let red = prove(&mut oracle, claim, transcript);
    TermsOutput {
        proof: red.proof,
        point: red.point,
        evals: oracle.evals(),
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

//! Zero-knowledge sumcheck (the Hyrax paper's construction, Wahby et al. 2018, §4):
//! the claim and every round polynomial stay inside hiding Pedersen commitments.
//!
//! Round `j` of a degree-`d` sumcheck, with the running claim committed as `E_{j−1}`:
//! 1. the prover commits to the round polynomial's coefficients,
//!    `P_j = Σ_k c_k·G_k + ρ·h`, and the transcript absorbs it;
//! 2. the challenge `r_j` is drawn; the prover commits to `e_j = p_j(r_j)` as `E_j`;
//! 3. with two more challenges `w₀, w₁` the two round relations,
//!    `p_j(0) + p_j(1) = e_{j−1}` and `p_j(r_j) = e_j`, become one inner product,
//!    `⟨c, w₀·(2, 1, …, 1) + w₁·(1, r_j, …, r_j^d)⟩ = w₀·e_{j−1} + w₁·e_j`, which the
//!    prover shows with a [`DotProductProof`] against `P_j` and `w₀·E_{j−1} + w₁·E_j`
//!    (the verifier forms both from commitments alone).
//!
//! The output is the point and the commitment to the final claim; the caller proves
//! that claim from commitments to the polynomials' evaluations (a product proof, an
//! equality proof, a zero-knowledge opening). The extra cost over the plain sumcheck
//! is O(rounds·d) fixed-base group operations, independent of the table sizes.

use crate::dot_product::{DotProductProof, DotProductStatement, DotProductWitness};
use crate::error::Error;
use crate::field::{GAffine, F, G};
use crate::generators::derive_generators;
use crate::pedersen::{random_scalar, BlindingKey, Committed};
use crate::transcript::Transcript;
use ark_ec::{CurveGroup, VariableBaseMSM};
use ark_ff::{AdditiveGroup, Field, One, Zero};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ark_std::rand::{CryptoRng, RngCore};

/// Highest round-polynomial degree supported.
pub const MAX_DEGREE: usize = 3;

/// The round polynomials of a sumcheck, as the prover computes them: the source of
/// the sum being proven. Cost is the implementation's (linear in its tables).
pub trait RoundSource {
    /// Number of variables (rounds).
    fn num_vars(&self) -> usize;
    /// Degree of every round polynomial (1 to [`MAX_DEGREE`]).
    fn degree(&self) -> usize;
    /// The current round polynomial's values at `0, 1, …, degree`.
    fn round_evals(&mut self) -> Vec<F>;
    /// Fixes the current first variable to `r`.
    fn bind(&mut self, r: F);
}

/// `Σ_x A(x)·B(x)` over two multilinear tables (the linear layer's sumcheck), as a
/// [`RoundSource`]. Cost: `O(2^k)` per round, halving each round.
pub(crate) struct ProductRounds {
    /// `A`, bound in place.
    pub a: Vec<F>,
    /// `B`, bound in place.
    pub b: Vec<F>,
}

impl RoundSource for ProductRounds {
    fn num_vars(&self) -> usize {
        self.a.len().trailing_zeros() as usize
    }
    fn degree(&self) -> usize {
        2
    }
    fn round_evals(&mut self) -> Vec<F> {
        let h = self.a.len() / 2;
        let mut out = vec![F::zero(); 3];
        for i in 0..h {
            let (a0, a1, b0, b1) = (self.a[i], self.a[i + h], self.b[i], self.b[i + h]);
            out[0] += a0 * b0;
            out[1] += a1 * b1;
            out[2] += (a1.double() - a0) * (b1.double() - b0);
        }
        out
    }
    fn bind(&mut self, r: F) {
        crate::mle::bind_first(&mut self.a, r);
        crate::mle::bind_first(&mut self.b, r);
    }
}

/// Generators for the coefficient commitments (`MAX_DEGREE + 1`, derived by hashing).
pub fn coefficient_generators() -> Vec<GAffine> {
    derive_generators(b"ternzk-zk-sumcheck-coefficients", MAX_DEGREE + 1)
}

/// One round: the coefficient commitment, the next claim's commitment and the proof
/// tying them to the previous claim.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct ZkRound {
    /// `P_j`, the commitment to the round polynomial's coefficients.
    pub poly: GAffine,
    /// `E_j`, the commitment to `p_j(r_j)`.
    pub claim: GAffine,
    /// The inner-product proof of both round relations.
    pub proof: DotProductProof,
}

/// A zero-knowledge sumcheck proof: one [`ZkRound`] per variable.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct ZkSumcheckProof {
    /// The rounds, first variable first.
    pub rounds: Vec<ZkRound>,
}

/// The prover's result: the proof, the point, and the final claim with its opening.
pub struct ZkProverOutput {
    /// The proof to send.
    pub proof: ZkSumcheckProof,
    /// The challenges `r_1 … r_k`.
    pub point: Vec<F>,
    /// The committed final claim `p_k(r_k)` (the polynomial's value at `point`).
    pub final_claim: Committed,
}

/// Coefficients (constant first) of the polynomial of degree `< evals.len()` with
/// values `evals` at `0, 1, …`. Cost: O(d²) with `d` small inversions.
pub fn coefficients(evals: &[F]) -> Vec<F> {
    let n = evals.len();
    let mut out = vec![F::zero(); n];
    for (i, &yi) in evals.iter().enumerate() {
        // Lagrange basis polynomial L_i = Π_{j≠i} (x − j)/(i − j), built in coefficients.
        let mut basis = vec![F::one()];
        let mut denom = F::one();
        for j in (0..n).filter(|&j| j != i) {
            let mut next = vec![F::zero(); basis.len() + 1];
            for (k, b) in basis.iter().enumerate() {
                next[k + 1] += b;
                next[k] -= *b * F::from(j as u64);
            }
            basis = next;
            denom *= F::from(i as u64) - F::from(j as u64);
        }
        let scale = yi * denom.inverse().expect("distinct nodes");
        for (o, b) in out.iter_mut().zip(&basis) {
            *o += scale * b;
        }
    }
    out
}

fn horner(coeffs: &[F], x: F) -> F {
    coeffs.iter().rev().fold(F::zero(), |acc, c| acc * x + c)
}

/// `w₀·(2, 1, …, 1) + w₁·(1, r, …, r^d)`: the public vector of one round's check.
fn round_vector(d: usize, r: F, w0: F, w1: F) -> Vec<F> {
    let mut pow = F::one();
    (0..=d)
        .map(|k| {
            let sum_part = if k == 0 { w0.double() } else { w0 };
            let v = sum_part + w1 * pow;
            pow *= r;
            v
        })
        .collect()
}

const POLY: &[u8] = b"zk-sumcheck-poly";
const POINT: &[u8] = b"zk-sumcheck-challenge";
const CLAIM: &[u8] = b"zk-sumcheck-claim";
const WEIGHTS: &[u8] = b"zk-sumcheck-weights";

/// Proves that the sum of `source` over the hypercube is `claim.value`, where the
/// commitment `claim.point` is already bound to the transcript by the caller.
/// Cost: the source's rounds plus, per round, about `2(d + 2)` fixed-base scalar
/// multiplications.
pub fn prove<S: RoundSource, R: RngCore + CryptoRng>(
    key: &BlindingKey,
    gens: &[GAffine],
    claim: &Committed,
    source: &mut S,
    t: &mut Transcript,
    rng: &mut R,
) -> ZkProverOutput {
    let d = source.degree();
    assert!((1..=MAX_DEGREE).contains(&d) && gens.len() > d);
    let gens = &gens[..=d];
    let mut prev = *claim;
    let mut rounds = Vec::with_capacity(source.num_vars());
    let mut point = Vec::with_capacity(source.num_vars());
    for _ in 0..source.num_vars() {
        let evals = source.round_evals();
        debug_assert_eq!(evals.len(), d + 1);
        debug_assert_eq!(
            evals[0] + evals[1],
            prev.value,
            "round sum differs from claim"
        );
        let coeffs = coefficients(&evals);
        let rho = random_scalar(rng);
        let poly = key.commit_vector(gens, &coeffs, rho).into_affine();
        t.append_points(POLY, &[poly]);
        let r = t.challenge(POINT);
        let next = Committed::new(key, horner(&coeffs, r), rng);
        t.append_points(CLAIM, &[next.point]);
        let w = t.challenges(WEIGHTS, 2);
        let a = round_vector(d, r, w[0], w[1]);
        let c_y = G::msm_unchecked(&[prev.point, next.point], &[w[0], w[1]]).into_affine();
        let statement = DotProductStatement {
            gens,
            a: &a,
            c_x: poly,
            c_y,
        };
        let witness = DotProductWitness {
            x: &coeffs,
            r_x: rho,
            r_y: w[0] * prev.blind + w[1] * next.blind,
        };
        let proof = DotProductProof::prove(key, &statement, &witness, t, rng);
        rounds.push(ZkRound {
            poly,
            claim: next.point,
            proof,
        });
        source.bind(r);
        point.push(r);
        prev = next;
    }
    ZkProverOutput {
        proof: ZkSumcheckProof { rounds },
        point,
        final_claim: prev,
    }
}

/// Checks a zero-knowledge sumcheck of `num_vars` rounds of degree `degree` against
/// the committed claim `claim`; returns the point and the commitment to the final
/// claim, which the caller must check against commitments to the evaluations.
/// Cost: per round one MSM of `d + 3` bases and a few small ones.
pub fn verify(
    key: &BlindingKey,
    gens: &[GAffine],
    claim: GAffine,
    num_vars: usize,
    degree: usize,
    proof: &ZkSumcheckProof,
    t: &mut Transcript,
) -> crate::Result<(Vec<F>, GAffine)> {
    if proof.rounds.len() != num_vars {
        return Err(Error::Malformed(
            "zk sumcheck: wrong number of rounds".into(),
        ));
    }
    if !(1..=MAX_DEGREE).contains(&degree) || gens.len() <= degree {
        return Err(Error::Invalid("zk sumcheck: unsupported degree".into()));
    }
    let gens = &gens[..=degree];
    let mut prev = claim;
    let mut point = Vec::with_capacity(num_vars);
    for (i, round) in proof.rounds.iter().enumerate() {
        t.append_points(POLY, &[round.poly]);
        let r = t.challenge(POINT);
        t.append_points(CLAIM, &[round.claim]);
        let w = t.challenges(WEIGHTS, 2);
        let a = round_vector(degree, r, w[0], w[1]);
        let c_y = G::msm_unchecked(&[prev, round.claim], &[w[0], w[1]]).into_affine();
        let statement = DotProductStatement {
            gens,
            a: &a,
            c_x: round.poly,
            c_y,
        };
        round
            .proof
            .verify(key, &statement, t)
            .map_err(|e| Error::Rejected(format!("zk sumcheck round {i}: {e}")))?;
        point.push(r);
        prev = round.claim;
    }
    Ok((point, prev))
}

/// Simulates a proof of `num_vars` rounds for the committed claim `claim` without any
/// witness, on a programmed transcript (test-only): commitments to random values and
/// simulated inner-product proofs.
#[cfg(test)]
pub(crate) fn simulate<R: RngCore + CryptoRng>(
    key: &BlindingKey,
    gens: &[GAffine],
    claim: GAffine,
    num_vars: usize,
    degree: usize,
    t: &mut Transcript,
    rng: &mut R,
) -> (ZkSumcheckProof, Vec<F>, GAffine) {
    use ark_std::UniformRand;
    let gens = &gens[..=degree];
    let mut prev = claim;
    let mut rounds = Vec::new();
    let mut point = Vec::new();
    for _ in 0..num_vars {
        let poly = key.h * F::rand(rng) + key.g * F::rand(rng);
        let poly = poly.into_affine();
        t.append_points(POLY, &[poly]);
        let r = t.challenge(POINT);
        let next = key.commit(F::rand(rng), F::rand(rng)).into_affine();
        t.append_points(CLAIM, &[next]);
        let w = t.challenges(WEIGHTS, 2);
        let a = round_vector(degree, r, w[0], w[1]);
        let c_y = G::msm_unchecked(&[prev, next], &[w[0], w[1]]).into_affine();
        let statement = DotProductStatement {
            gens,
            a: &a,
            c_x: poly,
            c_y,
        };
        let proof = DotProductProof::simulate(key, &statement, t, rng);
        rounds.push(ZkRound {
            poly,
            claim: next,
            proof,
        });
        point.push(r);
        prev = next;
    }
    (ZkSumcheckProof { rounds }, point, prev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sigma::ProductProof;
    use ark_std::rand::{rngs::StdRng, SeedableRng};
    use ark_std::UniformRand;

    fn product(k: usize, rng: &mut StdRng) -> ProductRounds {
        ProductRounds {
            a: (0..1 << k).map(|_| F::rand(rng)).collect(),
            b: (0..1 << k).map(|_| F::rand(rng)).collect(),
        }
    }

    #[test]
    fn coefficients_interpolate() {
        let mut rng = StdRng::seed_from_u64(1);
        for n in 1..=4 {
            let c: Vec<F> = (0..n).map(|_| F::rand(&mut rng)).collect();
            let evals: Vec<F> = (0..n).map(|x| horner(&c, F::from(x as u64))).collect();
            assert_eq!(coefficients(&evals), c);
        }
    }

    /// Proves `Σ A·B`, then closes the final claim with a product proof against
    /// commitments to `A(r)` and `B(r)`, as a caller would.
    fn prove_product(
        p: &ProductRounds,
        rng: &mut StdRng,
    ) -> (Vec<GAffine>, ZkSumcheckProof, [GAffine; 3], ProductProof) {
        let key = BlindingKey::new();
        let gens = coefficient_generators();
        let sum: F = p.a.iter().zip(&p.b).map(|(x, y)| *x * y).sum();
        let claim = Committed::new(&key, sum, rng);
        let mut t = Transcript::new(b"zk-sc-test");
        t.append_points(b"claim", &[claim.point]);
        let mut src = ProductRounds {
            a: p.a.clone(),
            b: p.b.clone(),
        };
        let out = prove(&key, &gens, &claim, &mut src, &mut t, rng);
        let ea = Committed::new(&key, src.a[0], rng);
        let eb = Committed::new(&key, src.b[0], rng);
        let pp = ProductProof::prove(&key, &ea, &eb, &out.final_claim, &mut t, rng);
        (
            vec![claim.point],
            out.proof,
            [ea.point, eb.point, out.final_claim.point],
            pp,
        )
    }

    fn verify_product(
        k: usize,
        claim: GAffine,
        proof: &ZkSumcheckProof,
        evals: [GAffine; 3],
        pp: &ProductProof,
    ) -> crate::Result<Vec<F>> {
        let key = BlindingKey::new();
        let gens = coefficient_generators();
        let mut t = Transcript::new(b"zk-sc-test");
        t.append_points(b"claim", &[claim]);
        let (point, fin) = verify(&key, &gens, claim, k, 2, proof, &mut t)?;
        if fin != evals[2] {
            return Err(Error::Rejected("final claim commitment".into()));
        }
        pp.verify(&key, evals[0], evals[1], evals[2], &mut t)?;
        Ok(point)
    }

    #[test]
    fn honest_proofs_verify_and_tampering_is_rejected() {
        let mut rng = StdRng::seed_from_u64(2);
        for k in [1, 3, 6] {
            let p = product(k, &mut rng);
            let (claim, proof, evals, pp) = prove_product(&p, &mut rng);
            let point = verify_product(k, claim[0], &proof, evals, &pp).unwrap();
            assert_eq!(point.len(), k);
            for i in 0..k {
                let mut bad = proof.clone();
                bad.rounds[i].proof.z_beta += F::one();
                assert!(verify_product(k, claim[0], &bad, evals, &pp).is_err());
                let mut bad = proof.clone();
                bad.rounds[i].claim =
                    (G::from(bad.rounds[i].claim) + BlindingKey::new().g).into_affine();
                assert!(verify_product(k, claim[0], &bad, evals, &pp).is_err());
                let mut bad = proof.clone();
                bad.rounds[i].poly =
                    (G::from(bad.rounds[i].poly) + BlindingKey::new().h).into_affine();
                assert!(verify_product(k, claim[0], &bad, evals, &pp).is_err());
            }
            let mut short = proof.clone();
            short.rounds.pop();
            assert!(matches!(
                verify_product(k, claim[0], &short, evals, &pp),
                Err(Error::Malformed(_))
            ));
        }
    }

    #[test]
    fn a_wrong_claimed_sum_is_rejected() {
        // The honest algorithm run from a wrong committed sum: its first round cannot
        // satisfy p(0) + p(1) = claim, so the round's inner-product proof fails.
        if cfg!(debug_assertions) {
            return; // the prover's debug assertion stops it first
        }
        let mut rng = StdRng::seed_from_u64(3);
        let p = product(4, &mut rng);
        let key = BlindingKey::new();
        let gens = coefficient_generators();
        let sum: F = p.a.iter().zip(&p.b).map(|(x, y)| *x * y).sum();
        let claim = Committed::new(&key, sum + F::one(), &mut rng);
        let mut t = Transcript::new(b"zk-sc-test");
        t.append_points(b"claim", &[claim.point]);
        let mut src = ProductRounds {
            a: p.a.clone(),
            b: p.b.clone(),
        };
        let out = prove(&key, &gens, &claim, &mut src, &mut t, &mut rng);
        let mut t = Transcript::new(b"zk-sc-test");
        t.append_points(b"claim", &[claim.point]);
        assert!(verify(&key, &gens, claim.point, 4, 2, &out.proof, &mut t).is_err());
    }

    #[test]
    fn simulated_proofs_verify_under_programmed_challenges() {
        let mut rng = StdRng::seed_from_u64(4);
        let key = BlindingKey::new();
        let gens = coefficient_generators();
        let k = 5;
        // Per round: r, w0, w1, and the inner-product challenge.
        let challenges: Vec<F> = (0..4 * k).map(|_| F::rand(&mut rng)).collect();
        let claim = key
            .commit(F::rand(&mut rng), F::rand(&mut rng))
            .into_affine();
        let mut ts = Transcript::programmed(b"sim", challenges.clone());
        let (proof, point, fin) = simulate(&key, &gens, claim, k, 2, &mut ts, &mut rng);
        let mut tv = Transcript::programmed(b"sim", challenges.clone());
        let (vpoint, vfin) = verify(&key, &gens, claim, k, 2, &proof, &mut tv).unwrap();
        assert_eq!((vpoint, vfin), (point, fin));
        // Under other challenges the simulated proof fails.
        let mut other = challenges;
        other[3] += F::one();
        let mut tv = Transcript::programmed(b"sim", other);
        assert!(verify(&key, &gens, claim, k, 2, &proof, &mut tv).is_err());
    }
}

//! Zero-knowledge proof that a committed scalar is a weighted sum of products of
//! committed scalars: for commitments `V_1 … V_n` (values `v_l`) and public terms
//! `(c_k, x_k, Y_k)`, `Z` holds `Σ_k c_k·v_{x_k}·y_k`, where each `y_k = Σ_l a_{k,l}·v_l`
//! is a public linear combination of the same values.
//!
//! It replaces one [`crate::sigma::ProductProof`] per product (and a commitment per
//! product) by one proof for the whole sum, as a GKR layer of the zero-knowledge
//! LogUp needs: only the weighted sum of its products enters the layer's final value.
//!
//! The protocol, a Σ-protocol in the Hyrax paper's style (Wahby et al. 2018, §A):
//!
//! - prover: nonces `α_l, β_l` per value and `τ`; sends `A_l = α_l·g + β_l·h` and
//!   `B = Σ_k c_k·α_{x_k}·Y_k + τ·h` (with `Y_k = Σ_l a_{k,l}·V_l`);
//! - challenge `e`;
//! - prover: `z_l = α_l + e·v_l`, `z'_l = β_l + e·s_l`, `z_τ = τ + e·t` with
//!   `t = s_Z − Σ_k c_k·v_{x_k}·s_{Y_k}` (`s` the blindings);
//! - verifier: `A_l + e·V_l = z_l·g + z'_l·h` for every `l`, and
//!   `B + e·Z = Σ_l (Σ_k c_k·z_{x_k}·a_{k,l})·V_l + z_τ·h`.
//!
//! Special soundness: two answers to one first message under `e ≠ e'` give every
//! opening `(v_l, s_l)` (from the first relations) and `t`, and the second relation
//! then says `Z = Σ_k c_k·v_{x_k}·Y_k + t·h`, i.e. `Z` opens to `Σ_k c_k·v_{x_k}·y_k`.
//! Honest-verifier zero knowledge: for a known `e`, uniform `z_l, z'_l, z_τ` and
//! `A_l`, `B` solved from the two relations ([`SumProductProof::simulate`]) have the
//! real proof's distribution (there the responses are uniform, being shifted by uniform
//! nonces, and the messages are determined by them).
//!
//! Cost: prover `n + 1` commitments (batch-affine, [`BlindingKey::commit_many`]);
//! verifier `n + 1` relations for the caller's [`Deferred`] batch; proof `n + 1`
//! points and `2n + 1` scalars.

use crate::deferred::Deferred;
use crate::error::{Check, Error};
use crate::field::{GAffine, F};
use crate::pedersen::{random_scalar, BlindingKey, Committed};
use crate::transcript::Transcript;
use ark_ec::AffineRepr;
use ark_ff::{One, Zero};
use ark_std::rand::{CryptoRng, RngCore};

/// One product of the sum: `coeff · v_x · (Σ a·v_l over y)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// The public weight `c_k`.
    pub coeff: F,
    /// Index of the left factor among the committed values.
    pub x: usize,
    /// The right factor as `(a_{k,l}, l)` pairs.
    pub y: Vec<(F, usize)>,
}

/// The proof: the first messages `A_l`, `B` and the responses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SumProductProof {
    /// `A_l = α_l·g + β_l·h`, one per committed value.
    pub openings: Vec<GAffine>,
    /// `B = Σ_k c_k·α_{x_k}·Y_k + τ·h`.
    pub relation: GAffine,
    /// `z_l = α_l + e·v_l`.
    pub z: Vec<F>,
    /// `z'_l = β_l + e·s_l`.
    pub z_blind: Vec<F>,
    /// `z_τ = τ + e·t`.
    pub z_tau: F,
}

const MESSAGE: &[u8] = b"zk-sum-product-message";
const CHALLENGE: &[u8] = b"zk-sum-product-challenge";

/// `Σ_k c_k·v_{x_k}·y_k` for openings `values`: the value `Z` must hold. Cost: one
/// multiplication per term and factor entry.
pub fn sum_of_products(values: &[F], terms: &[Term]) -> F {
    terms
        .iter()
        .map(|k| k.coeff * values[k.x] * combination(values, &k.y))
        .sum()
}

fn combination(values: &[F], y: &[(F, usize)]) -> F {
    y.iter().map(|(a, l)| *a * values[*l]).sum()
}

/// `Σ_l (Σ_k c_k·w_{x_k}·a_{k,l})·V_l`'s coefficients: for every term, `c_k·w_{x_k}`
/// spread over its right factor.
fn relation_coefficients(n: usize, terms: &[Term], w: &[F]) -> Vec<F> {
    let mut out = vec![F::zero(); n];
    for k in terms {
        let cw = k.coeff * w[k.x];
        for (a, l) in &k.y {
            out[*l] += cw * a;
        }
    }
    out
}

impl SumProductProof {
    /// A proof of the given length with every element zero (the decoder's skeleton).
    pub fn skeleton(n: usize) -> Self {
        Self {
            openings: vec![GAffine::zero(); n],
            relation: GAffine::zero(),
            z: vec![F::zero(); n],
            z_blind: vec![F::zero(); n],
            z_tau: F::zero(),
        }
    }

    /// Proves that `z` holds the sum of `terms` over `values`. The caller must have
    /// absorbed the commitments of `values` and `z` (the statement). Cost: `n + 1`
    /// fixed-base commitments, batch-affine over the threads, and `O(n + Σ|y_k|)`
    /// field operations.
    pub fn prove<R: RngCore + CryptoRng>(
        key: &BlindingKey,
        values: &[Committed],
        terms: &[Term],
        z: &Committed,
        t: &mut Transcript,
        rng: &mut R,
    ) -> Self {
        let n = values.len();
        let v: Vec<F> = values.iter().map(|c| c.value).collect();
        let s: Vec<F> = values.iter().map(|c| c.blind).collect();
        debug_assert_eq!(z.value, sum_of_products(&v, terms), "false sum of products");
        let alpha: Vec<F> = (0..n).map(|_| random_scalar(rng)).collect();
        let beta: Vec<F> = (0..n).map(|_| random_scalar(rng)).collect();
        let tau = random_scalar(rng);
        // `B` from its opening: `Σ_k c_k·α_{x_k}·(y_k, s_{Y_k})` plus `τ` on `h`.
        let (mut b_value, mut b_blind) = (F::zero(), tau);
        let mut t_blind = z.blind;
        for k in terms {
            let (y, sy) = (combination(&v, &k.y), combination(&s, &k.y));
            let ca = k.coeff * alpha[k.x];
            b_value += ca * y;
            b_blind += ca * sy;
            t_blind -= k.coeff * v[k.x] * sy;
        }
        let mut pairs: Vec<(F, F)> = alpha.iter().copied().zip(beta.iter().copied()).collect();
        pairs.push((b_value, b_blind));
        let mut points = key.commit_many(&pairs);
        t.append_points(MESSAGE, &points);
        let e = t.challenge(CHALLENGE);
        let relation = points.pop().expect("n + 1 points");
        Self {
            openings: points,
            relation,
            z: alpha.iter().zip(&v).map(|(a, x)| *a + e * x).collect(),
            z_blind: beta.iter().zip(&s).map(|(b, x)| *b + e * x).collect(),
            z_tau: tau + e * t_blind,
        }
    }

    /// Absorbs the proof as [`SumProductProof::prove`] does and adds its `n + 1`
    /// relations to `acc`, each reported as `error` if it is the first false one there.
    /// `Error::Malformed` for a proof whose lengths do not match `values` or a term
    /// whose index is out of range. Cost: the transcript update and `O(n + Σ|y_k|)`
    /// field operations.
    pub fn defer(
        &self,
        values: &[GAffine],
        terms: &[Term],
        z: GAffine,
        t: &mut Transcript,
        acc: &mut Deferred<'_>,
        error: &Error,
    ) -> crate::Result<()> {
        let n = values.len();
        if self.openings.len() != n || self.z.len() != n || self.z_blind.len() != n {
            return Err(Error::Malformed(
                "sum-of-products proof has the wrong length".into(),
            ));
        }
        if terms
            .iter()
            .any(|k| k.x >= n || k.y.iter().any(|(_, l)| *l >= n))
        {
            return Err(Error::Malformed("sum-of-products term out of range".into()));
        }
        let mut message = self.openings.clone();
        message.push(self.relation);
        t.append_points(MESSAGE, &message);
        let e = t.challenge(CHALLENGE);
        for (l, (&a, &v)) in self.openings.iter().zip(values).enumerate() {
            // A_l + e·V_l − z_l·g − z'_l·h = 0
            acc.push(
                vec![(F::one(), a), (e, v)],
                (-self.z[l], -self.z_blind[l]),
                None,
                error.clone(),
            );
        }
        // B + e·Z − Σ_l coeff_l·V_l − z_τ·h = 0
        let coeffs = relation_coefficients(n, terms, &self.z);
        let mut points = vec![(F::one(), self.relation), (e, z)];
        points.extend(
            coeffs
                .iter()
                .zip(values)
                .filter(|(c, _)| !c.is_zero())
                .map(|(c, v)| (-*c, *v)),
        );
        acc.push(points, (F::zero(), -self.z_tau), None, error.clone());
        Ok(())
    }

    /// Checks the proof at once (see [`SumProductProof::defer`]); a failure is
    /// `Check::SumProduct`. Cost: one MSM over the proof's and the statement's points.
    pub fn verify(
        &self,
        key: &BlindingKey,
        values: &[GAffine],
        terms: &[Term],
        z: GAffine,
        t: &mut Transcript,
    ) -> crate::Result<()> {
        let mut acc = Deferred::new();
        self.defer(
            values,
            terms,
            z,
            t,
            &mut acc,
            &Error::Rejected(Check::SumProduct),
        )?;
        acc.finish(key, t)
    }

    /// Simulates a proof for the statement without any opening, given the next
    /// challenge of a programmed transcript (test-only: the honest-verifier simulator).
    #[cfg(test)]
    pub(crate) fn simulate<R: RngCore + CryptoRng>(
        key: &BlindingKey,
        values: &[GAffine],
        terms: &[Term],
        z: GAffine,
        t: &mut Transcript,
        rng: &mut R,
    ) -> Self {
        use crate::field::G;
        use crate::msm::msm;
        use ark_ec::CurveGroup;
        let n = values.len();
        let e = t.peek_programmed();
        let zs: Vec<F> = (0..n).map(|_| random_scalar(rng)).collect();
        let zb: Vec<F> = (0..n).map(|_| random_scalar(rng)).collect();
        let z_tau = random_scalar(rng);
        let mut points: Vec<G> = values
            .iter()
            .zip(zs.iter().zip(&zb))
            .map(|(v, (a, b))| key.commit(*a, *b) - *v * e)
            .collect();
        let coeffs = relation_coefficients(n, terms, &zs);
        points.push(msm(values, &coeffs) + key.blind(z_tau) - z * e);
        let mut points = G::normalize_batch(&points);
        t.append_points(MESSAGE, &points);
        let drawn = t.challenge(CHALLENGE);
        debug_assert_eq!(e, drawn);
        let relation = points.pop().expect("n + 1 points");
        Self {
            openings: points,
            relation,
            z: zs,
            z_blind: zb,
            z_tau,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pedersen::combine_points;
    use ark_ec::CurveGroup;
    use ark_std::rand::{rngs::StdRng, SeedableRng};
    use ark_std::UniformRand;

    /// Four values `A, B, C, D` and the LogUp layer's two products `A·D`,
    /// `C·(B + λ·D)` with weights.
    fn instance(rng: &mut StdRng) -> (Vec<F>, Vec<Term>) {
        let v: Vec<F> = (0..4).map(|_| F::rand(rng)).collect();
        let (w, lambda) = (F::rand(rng), F::rand(rng));
        let terms = vec![
            Term {
                coeff: w,
                x: 0,
                y: vec![(F::one(), 3)],
            },
            Term {
                coeff: w,
                x: 2,
                y: vec![(F::one(), 1), (lambda, 3)],
            },
        ];
        (v, terms)
    }

    /// A committed [`instance`] whose `Z` holds the sum plus `lie`.
    struct Case {
        bk: BlindingKey,
        com: Vec<Committed>,
        points: Vec<GAffine>,
        terms: Vec<Term>,
        z: Committed,
    }

    impl Case {
        fn new(lie: F) -> Self {
            let mut rng = StdRng::seed_from_u64(11);
            let bk = BlindingKey::new();
            let (v, terms) = instance(&mut rng);
            let com = Committed::new_many(&bk, &v, &mut rng);
            let points = com.iter().map(|c| c.point).collect();
            let z = Committed::new(&bk, sum_of_products(&v, &terms) + lie, &mut rng);
            Self {
                bk,
                com,
                points,
                terms,
                z,
            }
        }

        fn prove(&self, seed: u64) -> SumProductProof {
            let mut t = Transcript::new(b"sp");
            let mut rng = StdRng::seed_from_u64(seed);
            SumProductProof::prove(&self.bk, &self.com, &self.terms, &self.z, &mut t, &mut rng)
        }
    }

    #[test]
    fn honest_proof_verifies_and_a_false_sum_is_rejected() {
        let case = Case::new(F::zero());
        let proof = case.prove(12);
        let Case {
            bk,
            points,
            terms,
            z,
            ..
        } = &case;
        proof
            .verify(bk, points, terms, z.point, &mut Transcript::new(b"sp"))
            .expect("honest proof");
        // Another Z (off by one), every response, every point and another term list
        // are each rejected.
        let wrong = combine_points(&[(F::one(), z.point), (F::one(), bk.g)]);
        assert!(proof
            .verify(bk, points, terms, wrong, &mut Transcript::new(b"sp"))
            .is_err());
        for i in 0..proof.z.len() * 2 + 1 {
            let mut bad = proof.clone();
            let s = match i {
                i if i < proof.z.len() => &mut bad.z[i],
                i if i < 2 * proof.z.len() => &mut bad.z_blind[i - proof.z.len()],
                _ => &mut bad.z_tau,
            };
            *s += F::one();
            assert!(bad
                .verify(bk, points, terms, z.point, &mut Transcript::new(b"sp"))
                .is_err());
        }
        for i in 0..=proof.openings.len() {
            let mut bad = proof.clone();
            let p = if i < proof.openings.len() {
                &mut bad.openings[i]
            } else {
                &mut bad.relation
            };
            *p = (crate::field::G::from(*p) + bk.h).into_affine();
            assert!(bad
                .verify(bk, points, terms, z.point, &mut Transcript::new(b"sp"))
                .is_err());
        }
        let mut other = terms.clone();
        other[1].y[1].0 += F::one();
        assert!(proof
            .verify(bk, points, &other, z.point, &mut Transcript::new(b"sp"))
            .is_err());
    }

    #[test]
    fn a_prover_with_a_false_sum_is_rejected() {
        // A cheating prover that commits Z to the true sum plus one and proves it with
        // the honest algorithm (its debug assertion off in release tests: the check
        // here is the verifier's).
        let case = Case::new(F::one());
        if let Ok(proof) = std::panic::catch_unwind(|| case.prove(12)) {
            assert!(proof
                .verify(
                    &case.bk,
                    &case.points,
                    &case.terms,
                    case.z.point,
                    &mut Transcript::new(b"sp")
                )
                .is_err());
        }
    }

    #[test]
    fn simulated_proofs_verify_under_their_challenge() {
        let mut rng = StdRng::seed_from_u64(11);
        let bk = BlindingKey::new();
        let (v, terms) = instance(&mut rng);
        // The statement's commitments are random points: the simulator knows no
        // opening, and Z need not hold the sum.
        let points: Vec<GAffine> = v
            .iter()
            .map(|_| {
                bk.commit(F::rand(&mut rng), F::rand(&mut rng))
                    .into_affine()
            })
            .collect();
        let z = bk
            .commit(F::rand(&mut rng), F::rand(&mut rng))
            .into_affine();
        let e = F::rand(&mut rng);
        let mut t = Transcript::programmed(b"sp", vec![e]);
        let proof = SumProductProof::simulate(&bk, &points, &terms, z, &mut t, &mut rng);
        proof
            .verify(
                &bk,
                &points,
                &terms,
                z,
                &mut Transcript::programmed(b"sp", vec![e]),
            )
            .expect("a simulated proof verifies under its challenge");
    }
}

//! Σ-protocols on hiding Pedersen commitments ([`crate::pedersen`]), made
//! non-interactive with the transcript: equality of two committed scalars and a
//! product of committed scalars (the Hyrax paper's proofs of equality and product,
//! Wahby et al. 2018, §A). Each is honest-verifier zero-knowledge: given the
//! challenge, its transcript is simulated without the witness (see the `simulate`
//! functions, test-only), and special-sound, so a prover that answers two challenges
//! knows the openings.
//!
//! Costs are constant: a handful of two- or three-base MSMs per proof and per check.

use crate::deferred::Deferred;
use crate::error::{ensure, Check, ProductCheck};
#[cfg(test)]
use crate::field::G;
use crate::field::{GAffine, F};
use crate::msm::msm;
use crate::pedersen::{random_scalar, BlindingKey, Committed};
use crate::transcript::Transcript;
use ark_ec::CurveGroup;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ark_std::rand::{CryptoRng, RngCore};

/// Proof that two commitments hold the same scalar: knowledge of `d` with
/// `C1 − C2 = d·h` (a Schnorr proof on `h`).
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct EqualityProof {
    /// `k·h` for the prover's nonce `k`.
    pub alpha: GAffine,
    /// `k + c·(s1 − s2)`.
    pub z: F,
}

fn absorb_pair(t: &mut Transcript, label: &[u8], c1: GAffine, c2: GAffine) {
    t.append_points(label, &[c1, c2]);
}

impl EqualityProof {
    /// Proves `c1.value == c2.value`. Cost: one scalar multiplication.
    pub fn prove<R: RngCore + CryptoRng>(
        key: &BlindingKey,
        c1: &Committed,
        c2: &Committed,
        t: &mut Transcript,
        rng: &mut R,
    ) -> Self {
        debug_assert_eq!(c1.value, c2.value, "equality proof of unequal values");
        absorb_pair(t, b"zk-eq-statement", c1.point, c2.point);
        let k = random_scalar(rng);
        let alpha = key.blind(k).into_affine();
        t.append_points(b"zk-eq-alpha", &[alpha]);
        let c = t.challenge(b"zk-eq-challenge");
        Self {
            alpha,
            z: k + c * (c1.blind - c2.blind),
        }
    }

    /// Checks the proof against the two commitments. Cost: a three-base MSM.
    pub fn verify(
        &self,
        key: &BlindingKey,
        c1: GAffine,
        c2: GAffine,
        t: &mut Transcript,
    ) -> crate::Result<()> {
        absorb_pair(t, b"zk-eq-statement", c1, c2);
        t.append_points(b"zk-eq-alpha", &[self.alpha]);
        let c = t.challenge(b"zk-eq-challenge");
        // z·h − α − c·(C₁ − C₂) = 0, one MSM (a verifier builds no fixed-base tables).
        let lhs = msm(
            &[key.h, self.alpha, c1, c2],
            &[self.z, -F::from(1u64), -c, c],
        );
        ensure(ark_ff::Zero::is_zero(&lhs), Check::Equality)
    }

    /// Simulates a proof for `(c1, c2)` without any opening, given the next challenge
    /// of a programmed transcript (test-only: the honest-verifier simulator).
    #[cfg(test)]
    pub(crate) fn simulate<R: RngCore + CryptoRng>(
        key: &BlindingKey,
        c1: GAffine,
        c2: GAffine,
        t: &mut Transcript,
        rng: &mut R,
    ) -> Self {
        absorb_pair(t, b"zk-eq-statement", c1, c2);
        let c = t.peek_programmed();
        let z = random_scalar(rng);
        let alpha = (key.h * z - (G::from(c1) - G::from(c2)) * c).into_affine();
        t.append_points(b"zk-eq-alpha", &[alpha]);
        let c_drawn = t.challenge(b"zk-eq-challenge");
        debug_assert_eq!(c, c_drawn);
        Self { alpha, z }
    }
}

/// Proof that commitments `X, Y, Z` hold `x, y, z` with `z = x·y`.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct ProductProof {
    /// `α = b1·g + b2·h`, `β = b3·g + b4·h`, `δ = b3·X + b5·h`.
    pub points: [GAffine; 3],
    /// `z1 … z5`: `b1 + c·x`, `b2 + c·r_X`, `b3 + c·y`, `b4 + c·r_Y`, `b5 + c·(r_Z − r_X·y)`.
    pub responses: [F; 5],
}

const PRODUCT_STATEMENT: &[u8] = b"zk-product-statement";
const PRODUCT_MESSAGE: &[u8] = b"zk-product-message";
const PRODUCT_CHALLENGE: &[u8] = b"zk-product-challenge";

/// One product statement `(X, Y, Z)` with its openings, as the prover holds it.
pub type ProductTriple<'a> = (&'a Committed, &'a Committed, &'a Committed);

impl ProductProof {
    /// Proves `z.value == x.value · y.value`. Cost: three commitments from the
    /// fixed-base tables (six byte-window lookups of 32 mixed additions each).
    pub fn prove<R: RngCore + CryptoRng>(
        key: &BlindingKey,
        x: &Committed,
        y: &Committed,
        z: &Committed,
        t: &mut Transcript,
        rng: &mut R,
    ) -> Self {
        Self::prove_many(key, &[(x, y, z)], t, rng)
            .pop()
            .expect("one proof")
    }

    /// Proves every triple of `triples` in order, leaving the transcript exactly as
    /// calls of [`ProductProof::prove`] one after another would: the nonces are drawn
    /// first, the first messages of all proofs computed in parallel and normalized
    /// together (one inversion), then each proof absorbs its statement and message and
    /// draws its challenge in turn. Cost: `3n` fixed-base commitments over the threads.
    pub fn prove_many<R: RngCore + CryptoRng>(
        key: &BlindingKey,
        triples: &[ProductTriple<'_>],
        t: &mut Transcript,
        rng: &mut R,
    ) -> Vec<Self> {
        for (x, y, z) in triples {
            debug_assert_eq!(
                z.value,
                x.value * y.value,
                "product proof of a false product"
            );
        }
        let nonces: Vec<[F; 5]> = triples
            .iter()
            .map(|_| std::array::from_fn(|_| random_scalar(rng)))
            .collect();
        let pairs: Vec<(F, F)> = triples
            .iter()
            .zip(&nonces)
            .flat_map(|((x, _, _), b)| {
                // `δ = b₃·X + b₅·h` from X's opening: `(b₃·x)·g + (b₃·s_X + b₅)·h`,
                // fixed-base work instead of a variable-base multiplication (the same
                // point).
                [
                    (b[0], b[1]),
                    (b[2], b[3]),
                    (b[2] * x.value, b[2] * x.blind + b[4]),
                ]
            })
            .collect();
        let messages = key.commit_many(&pairs);
        triples
            .iter()
            .zip(&nonces)
            .zip(messages.chunks_exact(3))
            .map(|(((x, y, z), b), m)| {
                t.append_points(PRODUCT_STATEMENT, &[x.point, y.point, z.point]);
                let points = [m[0], m[1], m[2]];
                t.append_points(PRODUCT_MESSAGE, &points);
                let c = t.challenge(PRODUCT_CHALLENGE);
                Self {
                    points,
                    responses: [
                        b[0] + c * x.value,
                        b[1] + c * x.blind,
                        b[2] + c * y.value,
                        b[3] + c * y.blind,
                        b[4] + c * (z.blind - x.blind * y.value),
                    ],
                }
            })
            .collect()
    }

    /// Checks the proof against `X, Y, Z`. Cost: three small MSMs.
    pub fn verify(
        &self,
        key: &BlindingKey,
        x: GAffine,
        y: GAffine,
        z: GAffine,
        t: &mut Transcript,
    ) -> crate::Result<()> {
        let mut acc = Deferred::new();
        self.defer((x, y, z), t, &mut acc, None);
        acc.finish(key, t)
    }

    /// Absorbs the proof for `(X, Y, Z)` as [`ProductProof::verify`] does and adds its
    /// three relations to `acc`, reported as `on_failure` (or the relation's own
    /// [`Check::Product`]) if one is the first false one there. Cost: the transcript
    /// updates.
    pub fn defer(
        &self,
        (x, y, z): (GAffine, GAffine, GAffine),
        t: &mut Transcript,
        acc: &mut Deferred<'_>,
        on_failure: Option<&crate::Error>,
    ) {
        t.append_points(PRODUCT_STATEMENT, &[x, y, z]);
        t.append_points(PRODUCT_MESSAGE, &self.points);
        let c = t.challenge(PRODUCT_CHALLENGE);
        let [alpha, beta, delta] = self.points;
        let r = &self.responses;
        let one = F::from(1u64);
        let error = |which| {
            on_failure
                .cloned()
                .unwrap_or(crate::Error::Rejected(Check::Product { which }))
        };
        // α + c·X = z₁·g + z₂·h
        acc.push(
            vec![(one, alpha), (c, x)],
            (-r[0], -r[1]),
            None,
            error(ProductCheck::FirstOpening),
        );
        // β + c·Y = z₃·g + z₄·h
        acc.push(
            vec![(one, beta), (c, y)],
            (-r[2], -r[3]),
            None,
            error(ProductCheck::SecondOpening),
        );
        // δ + c·Z = z₃·X + z₅·h
        acc.push(
            vec![(one, delta), (c, z), (-r[2], x)],
            (F::from(0u64), -r[4]),
            None,
            error(ProductCheck::Relation),
        );
    }

    /// Simulates a proof for `(X, Y, Z)` without openings, given the next challenge of a
    /// programmed transcript (test-only).
    #[cfg(test)]
    pub(crate) fn simulate<R: RngCore + CryptoRng>(
        key: &BlindingKey,
        x: GAffine,
        y: GAffine,
        z: GAffine,
        t: &mut Transcript,
        rng: &mut R,
    ) -> Self {
        t.append_points(PRODUCT_STATEMENT, &[x, y, z]);
        let c = t.peek_programmed();
        let r: [F; 5] = std::array::from_fn(|_| random_scalar(rng));
        let alpha = key.commit(r[0], r[1]) - G::from(x) * c;
        let beta = key.commit(r[2], r[3]) - G::from(y) * c;
        let delta = (G::from(x) * r[2] + key.blind(r[4])) - G::from(z) * c;
        let points = affine3([alpha, beta, delta]);
        t.append_points(PRODUCT_MESSAGE, &points);
        t.challenge(PRODUCT_CHALLENGE);
        Self {
            points,
            responses: r,
        }
    }
}

#[cfg(test)]
fn affine3(p: [G; 3]) -> [GAffine; 3] {
    let v = G::normalize_batch(&p);
    [v[0], v[1], v[2]]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::Field;
    use ark_std::rand::{rngs::StdRng, SeedableRng};
    use ark_std::UniformRand;

    fn setup() -> (BlindingKey, StdRng) {
        (BlindingKey::new(), StdRng::seed_from_u64(7))
    }

    #[test]
    fn equality_accepts_equal_and_rejects_unequal_or_tampered() {
        let (key, mut rng) = setup();
        let v = F::rand(&mut rng);
        let a = Committed::new(&key, v, &mut rng);
        let b = Committed::new(&key, v, &mut rng);
        let p = EqualityProof::prove(&key, &a, &b, &mut Transcript::new(b"t"), &mut rng);
        p.verify(&key, a.point, b.point, &mut Transcript::new(b"t"))
            .unwrap();
        // A different transcript (other context) rejects.
        assert!(p
            .verify(&key, a.point, b.point, &mut Transcript::new(b"u"))
            .is_err());
        // Swapped or other commitments reject.
        let other = Committed::new(&key, v + F::ONE, &mut rng);
        assert!(p
            .verify(&key, a.point, other.point, &mut Transcript::new(b"t"))
            .is_err());
        let mut bad = p.clone();
        bad.z += F::ONE;
        assert!(bad
            .verify(&key, a.point, b.point, &mut Transcript::new(b"t"))
            .is_err());
        // A prover holding unequal values cannot make an accepted proof: the honest
        // algorithm on unequal values fails (release builds skip the debug assertion).
        if !cfg!(debug_assertions) {
            let p = EqualityProof::prove(&key, &a, &other, &mut Transcript::new(b"t"), &mut rng);
            assert!(p
                .verify(&key, a.point, other.point, &mut Transcript::new(b"t"))
                .is_err());
        }
    }

    #[test]
    fn batched_products_accept_honest_proofs_and_name_a_tampered_one() {
        let (key, mut rng) = setup();
        let opened: Vec<[Committed; 3]> = (0..6)
            .map(|_| {
                let (x, y) = (F::rand(&mut rng), F::rand(&mut rng));
                [x, y, x * y].map(|v| Committed::new(&key, v, &mut rng))
            })
            .collect();
        let triples: Vec<ProductTriple<'_>> = opened.iter().map(|[x, y, z]| (x, y, z)).collect();
        let proofs = ProductProof::prove_many(&key, &triples, &mut Transcript::new(b"t"), &mut rng);
        // The batch leaves the transcript as single proofs do: each proof verifies on
        // its own after the earlier ones.
        let mut t = Transcript::new(b"t");
        for ((x, y, z), p) in triples.iter().zip(&proofs) {
            p.verify(&key, x.point, y.point, z.point, &mut t).unwrap();
        }
        let statements: Vec<(GAffine, GAffine, GAffine)> = triples
            .iter()
            .map(|(x, y, z)| (x.point, y.point, z.point))
            .collect();
        let check_all = |proofs: &[ProductProof], statements: &[(GAffine, GAffine, GAffine)]| {
            let mut t = Transcript::new(b"t");
            let mut acc = Deferred::new();
            for (p, &s) in proofs.iter().zip(statements) {
                p.defer(s, &mut t, &mut acc, None);
            }
            acc.finish(&key, &t)
        };
        check_all(&proofs, &statements).unwrap();
        // One tampered response, first message or statement anywhere in the batch
        // rejects it, and the one-by-one fallback names the failing relation.
        for (k, which) in [(0usize, 0usize), (3, 2), (5, 4), (2, 5), (4, 7)] {
            let mut bad = proofs.clone();
            if which < 5 {
                bad[k].responses[which] += F::ONE;
            } else {
                bad[k].points[which - 5] =
                    (G::from(bad[k].points[which - 5]) + key.h).into_affine();
            }
            let err = check_all(&bad, &statements).expect_err("tampered batch accepted");
            assert!(
                matches!(err, crate::Error::Rejected(Check::Product { .. })),
                "{err:?}"
            );
        }
        let mut wrong = statements.clone();
        wrong[1].2 = opened[2][2].point;
        assert!(check_all(&proofs, &wrong).is_err());
    }

    #[test]
    fn product_accepts_true_products_and_rejects_false_ones() {
        let (key, mut rng) = setup();
        let (x, y) = (F::rand(&mut rng), F::rand(&mut rng));
        let cx = Committed::new(&key, x, &mut rng);
        let cy = Committed::new(&key, y, &mut rng);
        let cz = Committed::new(&key, x * y, &mut rng);
        let p = ProductProof::prove(&key, &cx, &cy, &cz, &mut Transcript::new(b"t"), &mut rng);
        p.verify(
            &key,
            cx.point,
            cy.point,
            cz.point,
            &mut Transcript::new(b"t"),
        )
        .unwrap();
        for i in 0..8 {
            let mut bad = p.clone();
            if i < 5 {
                bad.responses[i] += F::ONE;
            } else {
                bad.points[i - 5] = (G::from(bad.points[i - 5]) + key.g).into_affine();
            }
            assert!(
                bad.verify(
                    &key,
                    cx.point,
                    cy.point,
                    cz.point,
                    &mut Transcript::new(b"t")
                )
                .is_err(),
                "tampered element {i} accepted"
            );
        }
        let wrong = Committed::new(&key, x * y + F::ONE, &mut rng);
        assert!(p
            .verify(
                &key,
                cx.point,
                cy.point,
                wrong.point,
                &mut Transcript::new(b"t")
            )
            .is_err());
        if !cfg!(debug_assertions) {
            let p =
                ProductProof::prove(&key, &cx, &cy, &wrong, &mut Transcript::new(b"t"), &mut rng);
            assert!(p
                .verify(
                    &key,
                    cx.point,
                    cy.point,
                    wrong.point,
                    &mut Transcript::new(b"t")
                )
                .is_err());
        }
    }

    /// Honest-verifier zero knowledge, executable: with the challenge fixed in advance,
    /// simulated proofs (no openings used) are accepted, and have the same distribution
    /// as real ones: every response is uniform and independent of the witness, and the
    /// first messages are the unique values the checks then force.
    #[test]
    fn simulated_proofs_are_accepted_under_programmed_challenges() {
        let (key, mut rng) = setup();
        let c = F::rand(&mut rng);
        // Statements whose openings the simulator never sees (random points).
        let pts: Vec<GAffine> = (0..3)
            .map(|_| {
                key.commit(F::rand(&mut rng), F::rand(&mut rng))
                    .into_affine()
            })
            .collect();
        let mut ts = Transcript::programmed(b"t", vec![c]);
        let e = EqualityProof::simulate(&key, pts[0], pts[1], &mut ts, &mut rng);
        e.verify(
            &key,
            pts[0],
            pts[1],
            &mut Transcript::programmed(b"t", vec![c]),
        )
        .unwrap();
        let mut ts = Transcript::programmed(b"t", vec![c]);
        let p = ProductProof::simulate(&key, pts[0], pts[1], pts[2], &mut ts, &mut rng);
        p.verify(
            &key,
            pts[0],
            pts[1],
            pts[2],
            &mut Transcript::programmed(b"t", vec![c]),
        )
        .unwrap();
        // The simulator's transcripts are not accepted under another challenge.
        assert!(p
            .verify(
                &key,
                pts[0],
                pts[1],
                pts[2],
                &mut Transcript::programmed(b"t", vec![c + F::ONE]),
            )
            .is_err());
    }

    #[test]
    fn proofs_of_one_statement_share_no_element() {
        let (key, mut rng) = setup();
        let v = F::rand(&mut rng);
        let a = Committed::new(&key, v, &mut rng);
        let b = Committed::new(&key, v.square(), &mut rng);
        let p1 = ProductProof::prove(&key, &a, &a, &b, &mut Transcript::new(b"t"), &mut rng);
        let p2 = ProductProof::prove(&key, &a, &a, &b, &mut Transcript::new(b"t"), &mut rng);
        for r in &p1.responses {
            assert!(!p2.responses.contains(r));
        }
        for q in &p1.points {
            assert!(!p2.points.contains(q));
        }
    }
}

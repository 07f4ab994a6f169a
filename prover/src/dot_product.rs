//! Zero-knowledge proof that a committed vector has a given inner product with a
//! public vector: `C_x = Σ x_i·G_i + r_x·h`, `C_y = y·g + r_y·h`, `y = ⟨x, a⟩`
//! (the Hyrax paper's proof of a dot product, Wahby et al. 2018, §A, in its
//! linear-size form).
//!
//! It replaces the clear opening vector of a Hyrax evaluation (the verifier combines
//! the row commitments into `C_x` itself) and checks each zero-knowledge sumcheck
//! round. The prover masks `x` with a random `d`, so the responses `z = c·x + d` are
//! uniform whatever `x` is. Cost: prover two MSMs of `n + 1` bases; verifier one MSM
//! of `n + 2` and one of 3; proof `2` points and `n + 2` scalars.

use crate::deferred::Deferred;
use crate::error::{Check, DotProductCheck, Error};
use crate::field::{inner_product, GAffine, F, G};
use crate::pedersen::{random_scalar, BlindingKey, Gens};
use crate::transcript::Transcript;
use ark_ec::CurveGroup;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ark_std::rand::{CryptoRng, RngCore};

/// The proof: `δ = Σ d_i·G_i + r_δ·h`, `β = ⟨a, d⟩·g + r_β·h`, and the responses.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct DotProductProof {
    /// `δ` and `β`.
    pub points: [GAffine; 2],
    /// `z = c·x + d` (length `n`).
    pub z: Vec<F>,
    /// `c·r_x + r_δ`.
    pub z_delta: F,
    /// `c·r_y + r_β`.
    pub z_beta: F,
}

/// What the prover knows: the vector and its blinding, the product's blinding.
pub struct DotProductWitness<'a> {
    /// The committed vector `x`.
    pub x: &'a [F],
    /// Blinding of `C_x`.
    pub r_x: F,
    /// Blinding of `C_y` (the product `y` itself is `⟨x, a⟩`).
    pub r_y: F,
}

/// The statement: generators, the public vector and both commitments.
pub struct DotProductStatement<'a> {
    /// Vector generators `G_i` (`len == a.len()`).
    pub gens: Gens<'a>,
    /// The public vector `a`.
    pub a: &'a [F],
    /// `C_x`.
    pub c_x: GAffine,
    /// `C_y`.
    pub c_y: GAffine,
}

const STATEMENT: &[u8] = b"zk-dot-statement";
const MESSAGE: &[u8] = b"zk-dot-message";
const CHALLENGE: &[u8] = b"zk-dot-challenge";

fn absorb_statement(s: &DotProductStatement, t: &mut Transcript) {
    t.append_points(STATEMENT, &[s.c_x, s.c_y]);
    t.append_fields(STATEMENT, s.a);
}

/// The part of a proof's first message that depends on nothing but fresh randomness:
/// the mask `d`, its blinding and `δ = Σ d_i·G_i + r_δ·h`. A prover can make it ahead
/// of the statement (in parallel with other work) and hand it to
/// [`DotProductProof::prove_with`]; the proof is distributed as one from
/// [`DotProductProof::prove`].
pub struct DotNonce {
    d: Vec<F>,
    r_delta: F,
    delta: G,
}

impl DotNonce {
    /// Draws the mask and blinding for a proof of length `n`. Cost: `n + 1` scalars.
    pub fn draw<R: RngCore + CryptoRng>(n: usize, rng: &mut R) -> (Vec<F>, F) {
        let d = (0..n).map(|_| random_scalar(rng)).collect();
        (d, random_scalar(rng))
    }

    /// Commits the drawn mask under `gens`. Cost: one MSM of `n` bases.
    pub fn new(key: &BlindingKey, gens: Gens<'_>, (d, r_delta): (Vec<F>, F)) -> Self {
        let delta = key.commit_vector_in(gens, &d, r_delta);
        Self { d, r_delta, delta }
    }
}

impl DotProductProof {
    /// Proves `⟨w.x, s.a⟩` is the value committed in `s.c_y`. Cost: one MSM of `n`
    /// bases and a scalar commitment.
    pub fn prove<R: RngCore + CryptoRng>(
        key: &BlindingKey,
        s: &DotProductStatement,
        w: &DotProductWitness,
        t: &mut Transcript,
        rng: &mut R,
    ) -> Self {
        let nonce = DotNonce::new(key, s.gens, DotNonce::draw(s.a.len(), rng));
        Self::prove_with(key, s, w, nonce, t, rng)
    }

    /// [`DotProductProof::prove`] with the first message's vector part made ahead
    /// (`nonce`, under `s.gens`, of the statement's length). Cost: a scalar
    /// commitment and `O(n)` field operations.
    pub fn prove_with<R: RngCore + CryptoRng>(
        key: &BlindingKey,
        s: &DotProductStatement,
        w: &DotProductWitness,
        nonce: DotNonce,
        t: &mut Transcript,
        rng: &mut R,
    ) -> Self {
        assert_eq!(
            s.gens.points.len(),
            s.a.len(),
            "dot product: generator count"
        );
        assert_eq!(w.x.len(), s.a.len(), "dot product: vector length");
        assert_eq!(nonce.d.len(), s.a.len(), "dot product: nonce length");
        absorb_statement(s, t);
        let DotNonce { d, r_delta, delta } = nonce;
        let r_beta = random_scalar(rng);
        let beta = key.commit(inner_product(s.a, &d), r_beta);
        let points = pair(delta, beta);
        t.append_points(MESSAGE, &points);
        let c = t.challenge(CHALLENGE);
        Self {
            points,
            z: w.x.iter().zip(&d).map(|(x, d)| c * x + d).collect(),
            z_delta: c * w.r_x + r_delta,
            z_beta: c * w.r_y + r_beta,
        }
    }

    /// Checks the proof. Cost: one MSM of `n + 2` bases and one of 3 bases.
    pub fn verify(
        &self,
        key: &BlindingKey,
        s: &DotProductStatement,
        t: &mut Transcript,
    ) -> crate::Result<()> {
        let mut acc = Deferred::new();
        self.defer(s, s.gens, t, &mut acc, &Error::Rejected)?;
        acc.finish(key, t)
    }

    /// Absorbs the proof as [`DotProductProof::verify`] does and adds its two relations
    /// to `acc`, each reported as `wrap(check)` if it is the first false one there.
    /// `gens` are the statement's generators with the lifetime `acc` needs.
    /// `Error::Malformed` at once for a proof of the wrong length.
    /// Cost: the transcript updates and `O(n)` field operations.
    pub(crate) fn defer<'g>(
        &self,
        s: &DotProductStatement,
        gens: Gens<'g>,
        t: &mut Transcript,
        acc: &mut Deferred<'g>,
        wrap: &dyn Fn(Check) -> Error,
    ) -> crate::Result<()> {
        if s.gens.points.len() != s.a.len()
            || self.z.len() != s.a.len()
            || gens.points.len() != s.a.len()
        {
            return Err(Error::Malformed(
                "dot-product proof has the wrong length".into(),
            ));
        }
        absorb_statement(s, t);
        t.append_points(MESSAGE, &self.points);
        let c = t.challenge(CHALLENGE);
        let one = F::from(1u64);
        // c·C_x + δ − Σ z_i·G_i − z_δ·h = 0
        acc.push(
            vec![(c, s.c_x), (one, self.points[0])],
            (F::from(0u64), -self.z_delta),
            Some((gens, self.z.iter().map(|z| -*z).collect())),
            wrap(Check::DotProduct {
                which: DotProductCheck::Vector,
            }),
        );
        // c·C_y + β − ⟨z, a⟩·g − z_β·h = 0
        acc.push(
            vec![(c, s.c_y), (one, self.points[1])],
            (-inner_product(&self.z, s.a), -self.z_beta),
            None,
            wrap(Check::DotProduct {
                which: DotProductCheck::Result,
            }),
        );
        Ok(())
    }

    /// Simulates a proof for any statement, given the next challenge of a programmed
    /// transcript (test-only).
    #[cfg(test)]
    pub(crate) fn simulate<R: RngCore + CryptoRng>(
        key: &BlindingKey,
        s: &DotProductStatement,
        t: &mut Transcript,
        rng: &mut R,
    ) -> Self {
        absorb_statement(s, t);
        let c = t.peek_programmed();
        let z: Vec<F> = (0..s.a.len()).map(|_| random_scalar(rng)).collect();
        let (z_delta, z_beta) = (random_scalar(rng), random_scalar(rng));
        let delta = key.commit_vector_in(s.gens, &z, z_delta) - G::from(s.c_x) * c;
        let beta = key.commit(inner_product(&z, s.a), z_beta) - G::from(s.c_y) * c;
        let points = pair(delta, beta);
        t.append_points(MESSAGE, &points);
        t.challenge(CHALLENGE);
        Self {
            points,
            z,
            z_delta,
            z_beta,
        }
    }
}

fn pair(a: G, b: G) -> [GAffine; 2] {
    let v = G::normalize_batch(&[a, b]);
    [v[0], v[1]]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generators::derive_generators;
    use ark_ff::Field;
    use ark_std::rand::{rngs::StdRng, SeedableRng};
    use ark_std::UniformRand;

    struct Case {
        key: BlindingKey,
        gens: Vec<GAffine>,
        a: Vec<F>,
        x: Vec<F>,
        r_x: F,
        r_y: F,
        c_x: GAffine,
        c_y: GAffine,
    }

    fn case(n: usize, rng: &mut StdRng) -> Case {
        let key = BlindingKey::new();
        let gens = derive_generators(b"dot-test", n);
        let a: Vec<F> = (0..n).map(|_| F::rand(rng)).collect();
        let x: Vec<F> = (0..n).map(|_| F::rand(rng)).collect();
        let (r_x, r_y) = (F::rand(rng), F::rand(rng));
        let c_x = key.commit_vector(&gens, &x, r_x).into_affine();
        let c_y = key.commit(inner_product(&x, &a), r_y).into_affine();
        Case {
            key,
            gens,
            a,
            x,
            r_x,
            r_y,
            c_x,
            c_y,
        }
    }

    impl Case {
        fn statement(&self) -> DotProductStatement<'_> {
            DotProductStatement {
                gens: Gens::plain(&self.gens),
                a: &self.a,
                c_x: self.c_x,
                c_y: self.c_y,
            }
        }
        fn prove(&self, rng: &mut StdRng) -> DotProductProof {
            let w = DotProductWitness {
                x: &self.x,
                r_x: self.r_x,
                r_y: self.r_y,
            };
            DotProductProof::prove(
                &self.key,
                &self.statement(),
                &w,
                &mut Transcript::new(b"t"),
                rng,
            )
        }
        fn verify(&self, p: &DotProductProof) -> crate::Result<()> {
            p.verify(&self.key, &self.statement(), &mut Transcript::new(b"t"))
        }
    }

    #[test]
    fn honest_proofs_verify_and_every_tampered_element_is_rejected() {
        let mut rng = StdRng::seed_from_u64(3);
        for n in [1, 2, 5, 16] {
            let c = case(n, &mut rng);
            let p = c.prove(&mut rng);
            c.verify(&p).unwrap();
            let mut bytes = Vec::new();
            p.serialize_compressed(&mut bytes).unwrap();
            assert_eq!(
                DotProductProof::deserialize_compressed(&bytes[..]).unwrap(),
                p
            );
            for i in 0..n + 4 {
                let mut bad = p.clone();
                match i {
                    0 | 1 => bad.points[i] = (G::from(bad.points[i]) + c.key.g).into_affine(),
                    2 => bad.z_delta += F::ONE,
                    3 => bad.z_beta += F::ONE,
                    _ => bad.z[i - 4] += F::ONE,
                }
                assert!(
                    c.verify(&bad).is_err(),
                    "n {n}: tampered element {i} accepted"
                );
            }
            let mut short = p.clone();
            short.z.pop();
            assert!(matches!(c.verify(&short), Err(Error::Malformed(_))));
        }
    }

    #[test]
    fn a_false_product_is_rejected() {
        let mut rng = StdRng::seed_from_u64(4);
        let mut c = case(8, &mut rng);
        // Commit to ⟨x, a⟩ + 1 instead.
        c.c_y = c
            .key
            .commit(inner_product(&c.x, &c.a) + F::ONE, c.r_y)
            .into_affine();
        let p = c.prove(&mut rng);
        assert!(c.verify(&p).is_err());
    }

    #[test]
    fn simulated_proofs_verify_under_programmed_challenges() {
        let mut rng = StdRng::seed_from_u64(5);
        let c = case(6, &mut rng);
        // A statement the simulator cannot open: C_y commits to an unrelated value.
        let c_y = c
            .key
            .commit(F::rand(&mut rng), F::rand(&mut rng))
            .into_affine();
        let s = DotProductStatement {
            c_y,
            ..c.statement()
        };
        let ch = F::rand(&mut rng);
        let p = DotProductProof::simulate(
            &c.key,
            &s,
            &mut Transcript::programmed(b"t", vec![ch]),
            &mut rng,
        );
        p.verify(&c.key, &s, &mut Transcript::programmed(b"t", vec![ch]))
            .unwrap();
        assert!(p
            .verify(
                &c.key,
                &s,
                &mut Transcript::programmed(b"t", vec![ch + F::ONE])
            )
            .is_err());
    }

    /// The attack on today's clear openings: the responses of a real proof reveal
    /// nothing of `x` on their own — the same `x` proven twice gives unrelated `z`, and
    /// `z − c·x` is the mask, uniform and fresh.
    #[test]
    fn responses_do_not_repeat_or_reveal_the_vector() {
        let mut rng = StdRng::seed_from_u64(6);
        let c = case(4, &mut rng);
        let p1 = c.prove(&mut rng);
        let p2 = c.prove(&mut rng);
        for z in &p1.z {
            assert!(!p2.z.contains(z));
            assert!(!c.x.contains(z));
        }
    }
}

//! Zero-knowledge sumcheck by masking (Libra, Xie et al. 2019, after
//! Chiesa–Forbes–Spooner): the round polynomials are sent in the clear, but of
//! `f + ρ·g` for a random mask `g(x) = Σ_i g_i(x_i)` (each `g_i` a random univariate of
//! the sumcheck's degree) committed before `ρ` is drawn. The claimed sum `v` and the
//! final value `f(r)` stay inside Pedersen commitments; one inner-product proof
//! ([`DotProductProof`]) against the mask's commitment closes both ends:
//!
//! - start: `c₁ = p₁(0) + p₁(1)` must equal `v + ρ·G`, `G = Σ_x g(x)`;
//! - end: `e_k = p_k(r_k)` must equal `f(r) + ρ·g(r)`;
//!
//! both linear in the mask's coefficients, combined with two fresh challenges.
//!
//! Why it hides `f`: round `j` carries `ρ·2^(k−j−1)·g_j(X)` with `g_j`'s coefficients
//! uniform and used nowhere else in the clear, so each round polynomial is uniform
//! among those consistent with the previous round; `v` and `f(r)` are only ever seen
//! masked (`c₁`, `e_k`) or committed. Cost over the plain sumcheck: one commitment
//! to `k(d+1)` mask coefficients and one inner-product proof of that length (two MSMs
//! of `k(d+1)` bases each side) per instance — no group operation in the round loop.

use crate::deferred::Deferred;
use crate::dot_product::{DotNonce, DotProductProof, DotProductStatement, DotProductWitness};
use crate::error::{Check, Error};
use crate::field::{interpolate_at, GAffine, F};
use crate::generators::derive_generators;
use crate::labels;
use crate::msm::FixedBases;
use crate::pedersen::{random_scalar, BlindingKey, Committed, Gens};
use crate::sumcheck::{self, RoundOracle, SumcheckProof};
use crate::transcript::Transcript;
use ark_ec::CurveGroup;
use ark_ff::{AdditiveGroup, Field, One, Zero};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ark_std::rand::{CryptoRng, RngCore};

/// Highest supported round degree (4: the hiding key's ternary check `eq·(w³ − w)`).
pub const MAX_DEGREE: usize = 4;

/// Generators for mask commitments, enough for `max_vars` variables at
/// [`MAX_DEGREE`], and the scalar/blinding pair.
#[derive(Clone, Debug)]
pub struct MaskKey {
    /// `g`, `h` for scalar commitments and blinding.
    pub blinding: BlindingKey,
    /// Mask coefficient generators, `max_vars·(MAX_DEGREE + 1)` of them.
    pub gens: Vec<GAffine>,
    /// `gens` prepared for repeated MSMs (every mask commitment and closing proof of a
    /// prover), built on the prover's first use: a verifier makes one MSM over them
    /// and never needs them.
    tables: std::sync::OnceLock<FixedBases>,
}

impl MaskKey {
    /// Derives the generators by hashing. Cost: per generator one hash-to-curve; a
    /// prover's first commitment adds about 256 point doublings per generator
    /// ([`FixedBases::new`]).
    pub fn new(max_vars: usize) -> Self {
        let gens = derive_generators(b"ternzk-zk-mask-coefficients", max_vars * (MAX_DEGREE + 1));
        Self {
            blinding: BlindingKey::new(),
            tables: std::sync::OnceLock::new(),
            gens,
        }
    }

    /// The first `k(d+1)` generators: prepared for a prover (`prepared`), plain for a
    /// verifier.
    fn gens_for(&self, k: usize, d: usize, prepared: bool) -> crate::Result<Gens<'_>> {
        let n = k * (d + 1);
        if n > self.gens.len() {
            return Err(Error::Invalid(format!(
                "mask key too small for {k} variables"
            )));
        }
        Ok(if prepared {
            let tables = self.tables.get_or_init(|| FixedBases::new(&self.gens));
            Gens::prepared(&self.gens, tables, n)
        } else {
            Gens::plain(&self.gens[..n])
        })
    }
}

/// A masked sumcheck proof.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct MaskedSumcheckProof {
    /// Commitment to the mask's coefficients (absorbed before `ρ`).
    pub mask: GAffine,
    /// `c₁ = v + ρ·G`, the masked claimed sum.
    pub masked_sum: F,
    /// Per round the values at `0, 2, …, d` (the value at 1 is implied).
    pub rounds: Vec<Vec<F>>,
}

/// What both sides hold after the rounds: the point, `ρ`, `c₁` and `e_k`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaskedClaims {
    /// The challenges `r_1 … r_k`.
    pub point: Vec<F>,
    /// The mask's weight `ρ`.
    pub rho: F,
    /// `c₁ = v + ρ·G`.
    pub masked_sum: F,
    /// `e_k = f(r) + ρ·g(r)`.
    pub masked_final: F,
}

/// The prover's state after the rounds, for [`close`].
pub struct MaskedProverOutput {
    /// The proof so far.
    pub proof: MaskedSumcheckProof,
    /// The public claims.
    pub claims: MaskedClaims,
    /// `f(r)` (the caller commits it and proves it from its factors).
    pub final_value: F,
    mask: Vec<F>,
    mask_blind: F,
    degree: usize,
    /// The closing proof's first-message mask, made during the rounds.
    nonce: Option<DotNonce>,
}

/// `a_G`: `G = Σ_x g(x) = ⟨coefficients, a_G⟩`.
fn sum_vector(k: usize, d: usize) -> Vec<F> {
    let half = F::from(2u64).pow([k as u64 - 1]);
    (0..k)
        .flat_map(|_| (0..=d).map(move |e| if e == 0 { half.double() } else { half }))
        .collect()
}

/// `a_r`: `g(r) = Σ_i g_i(r_i) = ⟨coefficients, a_r⟩`.
fn eval_vector(point: &[F], d: usize) -> Vec<F> {
    point
        .iter()
        .flat_map(|&r| {
            let mut p = F::one();
            (0..=d).map(move |_| {
                let v = p;
                p *= r;
                v
            })
        })
        .collect()
}

fn poly_at(coeffs: &[F], x: F) -> F {
    coeffs.iter().rev().fold(F::zero(), |acc, c| acc * x + c)
}

/// The mask's round-`j` polynomial at `0..=d`, given the earlier challenges.
fn mask_round(mask: &[F], k: usize, d: usize, j: usize, prefix: F) -> Vec<F> {
    let block = |i: usize| &mask[i * (d + 1)..(i + 1) * (d + 1)];
    let m = k - j - 1;
    let scale = F::from(2u64).pow([m as u64]);
    let tail: F = (j + 1..k)
        .map(|i| poly_at(block(i), F::zero()) + poly_at(block(i), F::one()))
        .sum();
    let tail_term = if m >= 1 {
        F::from(2u64).pow([m as u64 - 1]) * tail
    } else {
        F::zero()
    };
    (0..=d)
        .map(|x| scale * (prefix + poly_at(block(j), F::from(x as u64))) + tail_term)
        .collect()
}

/// The summand `f + ρ·g` as a [`RoundOracle`]: the inner oracle's round polynomial plus
/// `ρ` times the mask's, so the one sumcheck driver runs the masked instance.
struct Masked<'a, O: RoundOracle + ?Sized> {
    inner: &'a mut O,
    mask: &'a [F],
    rho: F,
    k: usize,
    d: usize,
    /// Rounds done so far.
    j: usize,
    /// `Σ_{i<j} g_i(r_i)`.
    prefix: F,
    /// The running claim on `f` alone (the inner oracle's own claim).
    inner_claim: F,
    /// The inner oracle's last round polynomial.
    last: Vec<F>,
}

impl<O: RoundOracle + ?Sized> RoundOracle for Masked<'_, O> {
    fn num_vars(&self) -> usize {
        self.k - self.j
    }
    fn degree(&self) -> usize {
        self.d
    }
    fn round(&mut self, _masked_claim: F) -> Vec<F> {
        let f = self.inner.round(self.inner_claim);
        let g = mask_round(self.mask, self.k, self.d, self.j, self.prefix);
        let p = f.iter().zip(&g).map(|(a, b)| *a + self.rho * b).collect();
        self.last = f;
        p
    }
    fn bind(&mut self, r: F) {
        self.inner_claim = interpolate_at(&self.last, r);
        let d = self.d;
        self.prefix += poly_at(&self.mask[self.j * (d + 1)..(self.j + 1) * (d + 1)], r);
        self.j += 1;
        self.inner.bind(r);
    }
}

/// Runs the masked sumcheck over `oracle`, whose sum is `sum` (which the caller has
/// committed and bound to the transcript), through the one sumcheck driver.
/// Cost: the oracle's rounds, `O(k·d)` field operations for the mask, and one MSM of
/// `k(d+1) + 1` bases for its commitment.
pub fn prove<O: RoundOracle + ?Sized, R: RngCore + CryptoRng>(
    key: &MaskKey,
    oracle: &mut O,
    sum: F,
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<MaskedProverOutput> {
    let (k, d) = (oracle.num_vars(), oracle.degree());
    if !(1..=MAX_DEGREE).contains(&d) || k == 0 {
        return Err(Error::Invalid(format!(
            "masked sumcheck: degree 1..={MAX_DEGREE} and k ≥ 1"
        )));
    }
    let gens = key.gens_for(k, d, true)?;
    let mask: Vec<F> = (0..k * (d + 1)).map(|_| random_scalar(rng)).collect();
    let mask_blind = random_scalar(rng);
    let mask_point = key
        .blinding
        .commit_vector_in(gens, &mask, mask_blind)
        .into_affine();
    // The closing proof's mask commitment depends on fresh randomness only: it is made
    // on another thread while this one runs the rounds.
    let drawn = DotNonce::draw(mask.len(), rng);
    t.append_points(labels::ZK_MASK, &[mask_point]);
    let rho = t.challenge(labels::ZK_MASK_RHO);
    let masked_sum = sum + rho * inner(&mask, &sum_vector(k, d));
    t.append_field(labels::ZK_MASKED_SUM, &masked_sum);
    let mut masked = Masked {
        inner: oracle,
        mask: &mask,
        rho,
        k,
        d,
        j: 0,
        prefix: F::zero(),
        inner_claim: sum,
        last: Vec::new(),
    };
    let mut nonce = None;
    let red = rayon::in_place_scope(|s| {
        s.spawn(|_| nonce = Some(DotNonce::new(&key.blinding, gens, drawn)));
        sumcheck::prove(&mut masked, masked_sum, t)
    });
    let final_value = masked.inner_claim;
    Ok(MaskedProverOutput {
        proof: MaskedSumcheckProof {
            mask: mask_point,
            masked_sum,
            rounds: red.proof.rounds,
        },
        claims: MaskedClaims {
            point: red.point,
            rho,
            masked_sum,
            masked_final: red.claim,
        },
        final_value,
        mask,
        mask_blind,
        degree: d,
        nonce,
    })
}

fn inner(a: &[F], b: &[F]) -> F {
    a.iter().zip(b).map(|(x, y)| *x * y).sum()
}

/// Checks the rounds of a masked sumcheck of `num_vars` variables and degree `degree`
/// with the one sumcheck verifier (every round chained to the previous one) and
/// returns the public claims, which [`verify_close`] must then tie to the committed
/// sum and final value. Cost: `O(k·d²)` field operations.
pub fn verify(
    proof: &MaskedSumcheckProof,
    num_vars: usize,
    degree: usize,
    t: &mut Transcript,
) -> crate::Result<MaskedClaims> {
    if !(1..=MAX_DEGREE).contains(&degree) {
        return Err(Error::Invalid("masked sumcheck: unsupported degree".into()));
    }
    t.append_points(labels::ZK_MASK, &[proof.mask]);
    let rho = t.challenge(labels::ZK_MASK_RHO);
    t.append_field(labels::ZK_MASKED_SUM, &proof.masked_sum);
    let rounds = SumcheckProof {
        rounds: proof.rounds.clone(),
    };
    let (point, masked_final) = sumcheck::verify(proof.masked_sum, num_vars, degree, &rounds, t)?;
    Ok(MaskedClaims {
        point,
        rho,
        masked_sum: proof.masked_sum,
        masked_final,
    })
}

/// The closing inner-product statement, after the transcript absorbed both committed
/// ends and drew the two weights `w`: the generators, the public vector `a` and the
/// target commitment `w₀·(c₁·g − V) + w₁·(e_k·g − F)` (a commitment to `ρ·⟨mask, a⟩`
/// when both ends hold).
struct Closing<'a> {
    gens: Gens<'a>,
    a: Vec<F>,
    c_y: GAffine,
    w: Vec<F>,
}

impl<'a> Closing<'a> {
    /// Absorbs `sum` and `final_eval`, draws the weights and builds the statement;
    /// with `opened` (the prover's openings of the two) `C_y` is recommitted from them
    /// (the same point). Cost: `O(k·d)` field operations and a three-base MSM, or one
    /// fixed-base commitment.
    fn new(
        key: &'a MaskKey,
        claims: &MaskedClaims,
        degree: usize,
        (sum, final_eval): (GAffine, GAffine),
        opened: Option<(&Committed, &Committed)>,
        t: &mut Transcript,
    ) -> crate::Result<Self> {
        let k = claims.point.len();
        let gens = key.gens_for(k, degree, opened.is_some())?;
        t.append_points(labels::ZK_MASK_CLOSE, &[sum, final_eval]);
        let w = t.challenges(labels::ZK_MASK_WEIGHTS, 2);
        let a: Vec<F> = sum_vector(k, degree)
            .iter()
            .zip(eval_vector(&claims.point, degree))
            .map(|(s, e)| claims.rho * (w[0] * s + w[1] * e))
            .collect();
        let on_g = w[0] * claims.masked_sum + w[1] * claims.masked_final;
        let c_y = match opened {
            Some((s, f)) => key.blinding.commit(
                on_g - w[0] * s.value - w[1] * f.value,
                -(w[0] * s.blind + w[1] * f.blind),
            ),
            None => crate::msm::msm(&[key.blinding.g, sum, final_eval], &[on_g, -w[0], -w[1]]),
        }
        .into_affine();
        Ok(Self { gens, a, c_y, w })
    }

    fn statement(&self, mask: GAffine) -> DotProductStatement<'_> {
        DotProductStatement {
            gens: self.gens,
            a: &self.a,
            c_x: mask,
            c_y: self.c_y,
        }
    }
}

/// Proves that the committed sum `sum` and the committed final value `final_eval`
/// are the ones the masked rounds carry: `c₁ = v + ρ·G` and `e_k = f(r) + ρ·g(r)`.
/// Both commitments are absorbed here. Cost: one inner-product proof of length
/// `k(d+1)`.
pub fn close<R: RngCore + CryptoRng>(
    key: &MaskKey,
    out: &mut MaskedProverOutput,
    sum: &Committed,
    final_eval: &Committed,
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<DotProductProof> {
    let c = Closing::new(
        key,
        &out.claims,
        out.degree,
        (sum.point, final_eval.point),
        Some((sum, final_eval)),
        t,
    )?;
    let witness = DotProductWitness {
        x: &out.mask,
        r_x: out.mask_blind,
        r_y: -(c.w[0] * sum.blind + c.w[1] * final_eval.blind),
    };
    let statement = c.statement(out.proof.mask);
    // The nonce made during the rounds (a second closing of one output draws afresh).
    let nonce = out.nonce.take().unwrap_or_else(|| {
        DotNonce::new(
            &key.blinding,
            statement.gens,
            DotNonce::draw(statement.a.len(), rng),
        )
    });
    Ok(DotProductProof::prove_with(
        &key.blinding,
        &statement,
        &witness,
        nonce,
        t,
        rng,
    ))
}

/// Checks [`close`]'s proof. Cost: one MSM of `k(d+1) + 2` bases and two small ones.
#[allow(clippy::too_many_arguments)]
pub fn verify_close(
    key: &MaskKey,
    proof: &MaskedSumcheckProof,
    claims: &MaskedClaims,
    degree: usize,
    sum: GAffine,
    final_eval: GAffine,
    closing: &DotProductProof,
    t: &mut Transcript,
) -> crate::Result<()> {
    let mut acc = Deferred::new();
    defer_close(
        key,
        proof,
        claims,
        degree,
        (sum, final_eval),
        closing,
        t,
        &mut acc,
        &|c| Error::Rejected(Check::MaskedClosing(Box::new(c))),
    )?;
    acc.finish(&key.blinding, t)
}

/// [`verify_close`] with the closing proof's relations added to `acc` (reported as
/// `wrap(check)`) instead of checked at once. Cost: the transcript updates, a
/// three-base MSM and `O(k·d)` field operations.
#[allow(clippy::too_many_arguments)]
pub(crate) fn defer_close<'g>(
    key: &'g MaskKey,
    proof: &MaskedSumcheckProof,
    claims: &MaskedClaims,
    degree: usize,
    (sum, final_eval): (GAffine, GAffine),
    closing: &DotProductProof,
    t: &mut Transcript,
    acc: &mut Deferred<'g>,
    wrap: &dyn Fn(Check) -> Error,
) -> crate::Result<()> {
    let c = Closing::new(key, claims, degree, (sum, final_eval), None, t)?;
    closing.defer(&c.statement(proof.mask), c.gens, t, acc, wrap)
}

/// Simulates the rounds of a masked sumcheck without a witness, on a programmed
/// transcript (test-only): a commitment to a random value as the mask and uniform
/// round polynomials chained as the verifier checks them.
#[cfg(test)]
pub(crate) fn simulate_rounds<R: RngCore + CryptoRng>(
    key: &MaskKey,
    num_vars: usize,
    degree: usize,
    t: &mut Transcript,
    rng: &mut R,
) -> (MaskedSumcheckProof, MaskedClaims) {
    let mask = key
        .blinding
        .commit(random_scalar(rng), random_scalar(rng))
        .into_affine();
    t.append_points(labels::ZK_MASK, &[mask]);
    let rho = t.challenge(labels::ZK_MASK_RHO);
    let masked_sum = random_scalar(rng);
    t.append_field(labels::ZK_MASKED_SUM, &masked_sum);
    let mut claim = masked_sum;
    let mut rounds = Vec::new();
    let mut point = Vec::new();
    for _ in 0..num_vars {
        let msg: Vec<F> = (0..degree).map(|_| random_scalar(rng)).collect();
        t.append_fields(labels::SUMCHECK_ROUND, &msg);
        let r = t.challenge(labels::SUMCHECK_CHALLENGE);
        let mut p = vec![msg[0], claim - msg[0]];
        p.extend_from_slice(&msg[1..]);
        claim = interpolate_at(&p, r);
        rounds.push(msg);
        point.push(r);
    }
    (
        MaskedSumcheckProof {
            mask,
            masked_sum,
            rounds,
        },
        MaskedClaims {
            point,
            rho,
            masked_sum,
            masked_final: claim,
        },
    )
}

/// Simulates [`close`]'s proof for any committed `sum` and `final_eval` (test-only).
#[cfg(test)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn simulate_closing<R: RngCore + CryptoRng>(
    key: &MaskKey,
    proof: &MaskedSumcheckProof,
    claims: &MaskedClaims,
    degree: usize,
    sum: GAffine,
    final_eval: GAffine,
    t: &mut Transcript,
    rng: &mut R,
) -> DotProductProof {
    let c =
        Closing::new(key, claims, degree, (sum, final_eval), None, t).expect("key large enough");
    DotProductProof::simulate(&key.blinding, &c.statement(proof.mask), t, rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sumcheck::{Term, TermOracle};

    /// `A·B`: the linear layer's summand.
    fn product_terms() -> Vec<Term> {
        vec![Term {
            coeff: F::ONE,
            factors: vec![0, 1],
        }]
    }
    use ark_std::rand::{rngs::StdRng, SeedableRng};
    use ark_std::UniformRand;

    struct Run {
        proof: MaskedSumcheckProof,
        closing: DotProductProof,
        sum: GAffine,
        final_eval: GAffine,
    }

    fn run(k: usize, lie: F, rng: &mut StdRng) -> (Run, Vec<F>) {
        let key = MaskKey::new(8);
        let a: Vec<F> = (0..1 << k).map(|_| F::rand(rng)).collect();
        let b: Vec<F> = (0..1 << k).map(|_| F::rand(rng)).collect();
        let v: F = a.iter().zip(&b).map(|(x, y)| *x * y).sum();
        let sum = Committed::new(&key.blinding, v + lie, rng);
        let mut t = Transcript::new(b"masked-test");
        t.append_points(b"sum", &[sum.point]);
        let terms = product_terms();
        let mut src = TermOracle::new(vec![a, b], &terms);
        let mut out = prove(&key, &mut src, v + lie, &mut t, rng).unwrap();
        // The caller commits the true f(r) = A(r)·B(r), from the bound tables.
        let e = src.evals();
        if lie.is_zero() {
            assert_eq!(out.final_value, e[0] * e[1]);
        }
        let fin = Committed::new(&key.blinding, e[0] * e[1], rng);
        let closing = close(&key, &mut out, &sum, &fin, &mut t, rng).unwrap();
        (
            Run {
                proof: out.proof,
                closing,
                sum: sum.point,
                final_eval: fin.point,
            },
            out.claims.point,
        )
    }

    fn check(k: usize, r: &Run, t: &mut Transcript) -> crate::Result<MaskedClaims> {
        let key = MaskKey::new(8);
        t.append_points(b"sum", &[r.sum]);
        let claims = verify(&r.proof, k, 2, t)?;
        verify_close(
            &key,
            &r.proof,
            &claims,
            2,
            r.sum,
            r.final_eval,
            &r.closing,
            t,
        )?;
        Ok(claims)
    }

    fn verify_run(k: usize, r: &Run) -> crate::Result<MaskedClaims> {
        check(k, r, &mut Transcript::new(b"masked-test"))
    }

    #[test]
    fn mask_round_polynomials_sum_to_the_mask_total() {
        let mut rng = StdRng::seed_from_u64(1);
        let (k, d) = (4, 2);
        let mask: Vec<F> = (0..k * (d + 1)).map(|_| F::rand(&mut rng)).collect();
        // Brute force Σ_x g(x) and the round polynomials against the closed forms.
        let g_at = |x: &[F]| -> F {
            (0..k)
                .map(|i| poly_at(&mask[i * (d + 1)..(i + 1) * (d + 1)], x[i]))
                .sum()
        };
        let total: F = (0..1usize << k)
            .map(|x| {
                let bits: Vec<F> = (0..k)
                    .map(|i| F::from(((x >> (k - 1 - i)) & 1) as u64))
                    .collect();
                g_at(&bits)
            })
            .sum();
        let a_g = sum_vector(k, d);
        assert_eq!(total, mask.iter().zip(&a_g).map(|(c, a)| *c * a).sum::<F>());
        let r0 = F::rand(&mut rng);
        let prefix = poly_at(&mask[..d + 1], r0);
        let round1 = mask_round(&mask, k, d, 1, prefix);
        for (x, val) in round1.iter().enumerate() {
            let brute: F = (0..1usize << (k - 2))
                .map(|rest| {
                    let mut p = vec![r0, F::from(x as u64)];
                    p.extend((0..k - 2).map(|i| F::from(((rest >> (k - 3 - i)) & 1) as u64)));
                    g_at(&p)
                })
                .sum();
            assert_eq!(*val, brute, "round 1 at {x}");
        }
    }

    #[test]
    fn honest_proofs_verify_and_tampering_is_rejected() {
        let mut rng = StdRng::seed_from_u64(2);
        for k in [1, 2, 5] {
            let (r, point) = run(k, F::zero(), &mut rng);
            assert_eq!(verify_run(k, &r).unwrap().point, point);
            let mut bad = Run {
                proof: r.proof.clone(),
                closing: r.closing.clone(),
                ..r
            };
            bad.proof.masked_sum += F::one();
            assert!(verify_run(k, &bad).is_err(), "masked sum");
            for j in 0..k {
                for i in 0..2 {
                    let mut bad = Run {
                        proof: r.proof.clone(),
                        closing: r.closing.clone(),
                        ..r
                    };
                    bad.proof.rounds[j][i] += F::one();
                    assert!(verify_run(k, &bad).is_err(), "round {j} value {i}");
                }
            }
            let mut bad = Run {
                proof: r.proof.clone(),
                closing: r.closing.clone(),
                ..r
            };
            bad.proof.mask =
                (crate::field::G::from(bad.proof.mask) + BlindingKey::new().g).into_affine();
            assert!(verify_run(k, &bad).is_err(), "mask commitment");
            // Another final value or sum commitment.
            let other = BlindingKey::new().commit(F::one(), F::one()).into_affine();
            let bad = Run {
                proof: r.proof.clone(),
                closing: r.closing.clone(),
                final_eval: other,
                ..r
            };
            assert!(verify_run(k, &bad).is_err(), "final value");
            let bad = Run {
                proof: r.proof.clone(),
                closing: r.closing.clone(),
                sum: other,
                ..r
            };
            assert!(verify_run(k, &bad).is_err(), "sum");
            let mut short = Run {
                proof: r.proof.clone(),
                closing: r.closing.clone(),
                ..r
            };
            short.proof.rounds.pop();
            assert!(matches!(verify_run(k, &short), Err(Error::Malformed(_))));
        }
    }

    #[test]
    fn a_false_sum_is_rejected() {
        if cfg!(debug_assertions) {
            return; // the prover's own consistency assertion stops it first
        }
        let mut rng = StdRng::seed_from_u64(3);
        let (r, _) = run(4, F::one(), &mut rng);
        assert!(verify_run(4, &r).is_err());
    }

    /// Honest-verifier zero knowledge: with programmed challenges, a simulator that
    /// never sees `A`, `B`, `v` or `f(r)` (the commitments are to unrelated values)
    /// produces proofs the verifier accepts. Real proofs have the same distribution:
    /// the mask commitment and `c₁` are uniform (hiding commitment; `c₁` contains
    /// `ρ·2^(k−1)·(g₁(0)+g₁(1))`), each round polynomial is uniform among those the
    /// chain allows (`ρ·2^(k−j−1)·g_j` with fresh uniform coefficients), and the
    /// closing proof's responses are uniform given its challenge.
    #[test]
    fn simulated_proofs_verify_under_programmed_challenges() {
        let mut rng = StdRng::seed_from_u64(4);
        let key = MaskKey::new(8);
        let k = 5;
        // ρ, k round challenges, two weights, the inner-product challenge.
        let challenges: Vec<F> = (0..k + 4).map(|_| F::rand(&mut rng)).collect();
        let sum = key
            .blinding
            .commit(F::rand(&mut rng), F::rand(&mut rng))
            .into_affine();
        let fin = key
            .blinding
            .commit(F::rand(&mut rng), F::rand(&mut rng))
            .into_affine();
        let mut ts = Transcript::programmed(b"masked-test", challenges.clone());
        ts.append_points(b"sum", &[sum]);
        let (proof, claims) = simulate_rounds(&key, k, 2, &mut ts, &mut rng);
        let closing = simulate_closing(&key, &proof, &claims, 2, sum, fin, &mut ts, &mut rng);
        let r = Run {
            proof,
            closing,
            sum,
            final_eval: fin,
        };
        check(
            k,
            &r,
            &mut Transcript::programmed(b"masked-test", challenges.clone()),
        )
        .unwrap();
        let mut other = challenges;
        other[k + 3] += F::one();
        assert!(check(k, &r, &mut Transcript::programmed(b"masked-test", other)).is_err());
    }

    /// Leak test: the same sum proven twice shares no round value, and no round value
    /// equals a partial sum of the unmasked sumcheck.
    #[test]
    fn two_proofs_of_one_statement_share_no_round_value() {
        let mut rng = StdRng::seed_from_u64(5);
        let key = MaskKey::new(8);
        let a: Vec<F> = (0..16).map(|_| F::rand(&mut rng)).collect();
        let b: Vec<F> = (0..16).map(|_| F::rand(&mut rng)).collect();
        let terms = product_terms();
        let v: F = a.iter().zip(&b).map(|(x, y)| *x * y).sum();
        let plain_first = TermOracle::new(vec![a.clone(), b.clone()], &terms).round(v);
        let mut seen = Vec::new();
        for _ in 0..2 {
            let mut src = TermOracle::new(vec![a.clone(), b.clone()], &terms);
            let out = prove(&key, &mut src, v, &mut Transcript::new(b"x"), &mut rng).unwrap();
            let vals: Vec<F> = std::iter::once(out.proof.masked_sum)
                .chain(out.proof.rounds.iter().flatten().copied())
                .collect();
            for v in &vals {
                assert!(!seen.contains(v));
                assert!(!plain_first.contains(v));
            }
            seen.extend(vals);
        }
    }
}

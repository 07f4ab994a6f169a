//! Zero-knowledge proof of one linear layer with a private input: `Y = W·X` for the
//! public, committed matrix of a [`LinearVk`], a public output `Y`, and an input `X`
//! known to the verifier only through a hiding Hyrax commitment (one blinded grid row
//! per batch entry). The verifier learns `Y` and nothing else about `X`.
//!
//! | step | prover | verifier |
//! |---|---|---|
//! | 1 | absorb key digest, `B`, the input commitment, `Y` | same |
//! | 2 | draw `r_b`, `r`; the claim `v = Ỹ(r_b, r)` is public | same |
//! | 3 | masked sumcheck of `Σ_j u(j)·x̂(j)` ([`crate::masked_sumcheck`]) | check the rounds |
//! | 4 | send `u = Wᵀ·eq(r)` (a function of the public model) | Hyrax opening check, `w = ⟨u, eq(r')⟩` |
//! | 5 | commit `x = X̃(r_b, r')` as `C_x` | |
//! | 6 | close the masked sumcheck: sum `v·g`, final value `w·C_x` | inner-product check |
//! | 7 | prove `C_x` opens the input commitment at `(r_b, r')` ([`crate::hiding_hyrax`]) | inner-product check |
//!
//! Cost over the public proof ([`crate::linear`]): a mask of `3b` coefficients, two
//! inner-product proofs (`3b` and `2^b` long) and one fresh commitment; the verifier
//! additionally combines the `2^c` input rows. Nothing grows with `nnz`.
//!
//! Used by `ternzk bench matvec --methods ternary-zk` (the zero-knowledge row beside the
//! public `ternary-sparse` one); the MLP proof ([`crate::mlp::prove_zk`]) runs the same
//! steps per layer inside its own transcript. The proof's bytes: [`wire`].

use crate::eq::eq_table;
use crate::error::Error;
use crate::field::{inner_product, log2_ceil, GAffine, F};
use crate::hiding_hyrax::{commit_ints_hiding, prove_evaluation, verify_evaluation};
use crate::hyrax::{open_ints, verify_opening, HyraxCommitment, HyraxKey};
use crate::linear::{combine_batch, LinearVk};
use crate::masked_sumcheck;
use crate::matrix::LinearBackend;
use crate::pedersen::Committed;
use crate::sumcheck::{Term, TermOracle};
use crate::transcript::Transcript;
use ark_ec::CurveGroup;
use ark_ff::{Field, Zero};
use ark_std::rand::{CryptoRng, RngCore};

pub mod wire;

pub use crate::dot_product::DotProductProof;
pub use crate::hiding_hyrax::HidingCommitment;
pub use crate::masked_sumcheck::{MaskKey, MaskedSumcheckProof};
pub use wire::ZK_LINEAR_VERSION;

/// Domain separator of this protocol.
pub const PROTOCOL: &[u8] = b"ternzk/zk-linear/v1";

/// The proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZkLinearProof {
    /// The masked sumcheck over the `b` column variables.
    pub sumcheck: MaskedSumcheckProof,
    /// `u = Wᵀ·eq(r)`: the opening of the public model's commitment.
    pub opening: Vec<F>,
    /// `C_x`, the commitment to `X̃(r_b, r')`.
    pub input_eval: GAffine,
    /// Closes the masked sumcheck.
    pub closing: DotProductProof,
    /// Shows that `C_x` is the input commitment's value at `(r_b, r')`.
    pub input_proof: DotProductProof,
}

/// Grid of the input commitment: one row per batch entry (`2^c` rows), `2^b` columns.
fn input_grid(vk: &LinearVk, batch: usize) -> (usize, usize) {
    (log2_ceil(batch), log2_ceil(vk.n_in))
}

/// Commits to a batch of inputs (`batch × n_in`, back to back) with blinded rows: the
/// statement's private input. Cost: a small-integer commitment and `2^c` blindings.
pub fn commit_input<R: RngCore + CryptoRng>(
    key: &HyraxKey,
    zk: &MaskKey,
    vk: &LinearVk,
    xs: &[i32],
    batch: usize,
    rng: &mut R,
) -> crate::Result<HidingCommitment> {
    if batch == 0 || xs.len() != batch * vk.n_in {
        return Err(Error::Invalid("input batch has the wrong length".into()));
    }
    let (c, b) = input_grid(vk, batch);
    commit_ints_hiding(key, &zk.blinding, &padded(xs, vk.n_in, batch), c, b, rng)
}

/// The inputs laid out on the `2^c × 2^b` grid, zero-padded.
fn padded(xs: &[i32], n_in: usize, batch: usize) -> Vec<i64> {
    let cols = 1usize << log2_ceil(n_in);
    let mut out = vec![0i64; cols << log2_ceil(batch)];
    for (row, x) in xs.chunks(n_in).enumerate() {
        for (o, &v) in out[row * cols..].iter_mut().zip(x) {
            *o = v as i64;
        }
    }
    out
}

fn statement_transcript(
    vk: &LinearVk,
    input: &HyraxCommitment,
    ys: &[i32],
    batch: usize,
) -> Transcript {
    let mut t = Transcript::new(PROTOCOL);
    t.append_bytes(b"vk-digest", &vk.digest);
    t.append_u64(b"batch", batch as u64);
    input.absorb(&mut t);
    t.append_i32s(b"output", ys);
    t
}

/// The public claim `Ỹ(r_b, r)`, committed with blinding 0.
fn output_claim(zk: &MaskKey, vk: &LinearVk, ys: &[i32], eq_b: &[F], r: &[F]) -> Committed {
    let a = log2_ceil(vk.n_out);
    let v = inner_product(&combine_batch(ys, vk.n_out, 1 << a, eq_b), &eq_table(r));
    Committed {
        value: v,
        blind: F::zero(),
        point: zk.blinding.commit(v, F::zero()).into_affine(),
    }
}

/// Computes `Y = W·X` and proves it in zero knowledge for the committed input `input`
/// (from [`commit_input`] on the same `xs`). Cost: the public proof's, plus the items
/// listed in the module documentation.
#[allow(clippy::too_many_arguments)]
pub fn prove<M: LinearBackend + ?Sized, R: RngCore + CryptoRng>(
    m: &M,
    vk: &LinearVk,
    key: &HyraxKey,
    zk: &MaskKey,
    xs: &[i32],
    batch: usize,
    input: &HidingCommitment,
    rng: &mut R,
) -> crate::Result<(Vec<i32>, ZkLinearProof)> {
    if (m.n_out(), m.n_in()) != (vk.n_out, vk.n_in) || xs.len() != batch * vk.n_in || batch == 0 {
        return Err(Error::Invalid("matrix, key and input shapes differ".into()));
    }
    let ys = m.matmul_i32(xs, batch);
    let (c, b) = input_grid(vk, batch);
    let a = log2_ceil(vk.n_out);
    let mut t = statement_transcript(vk, &input.commitment, &ys, batch);
    let r_b = t.challenges(b"batch-point", c);
    let r = t.challenges(b"row-point", a);
    let eq_b = eq_table(&r_b);
    let claim = output_claim(zk, vk, &ys, &eq_b, &r);
    let u = m.bind_rows(&eq_table(&r));
    let x_hat = combine_batch(xs, vk.n_in, 1 << b, &eq_b);
    let terms = [Term {
        coeff: F::ONE,
        factors: vec![0, 1],
    }];
    let mut rounds = TermOracle::new(vec![u.clone(), x_hat], &terms);
    let mut out = masked_sumcheck::prove(zk, &mut rounds, claim.value, &mut t, rng)?;
    let r_prime = out.claims.point.clone();
    t.append_fields(b"opening", &u);
    let w = inner_product(&u, &eq_table(&r_prime));
    let x_eval = Committed::new(&zk.blinding, rounds.evals()[1], rng);
    t.append_points(b"input-eval", &[x_eval.point]);
    let fin = Committed::combine(&zk.blinding, &[(w, &x_eval)]);
    let closing = masked_sumcheck::close(zk, &mut out, &claim, &fin, &mut t, rng)?;
    let point: Vec<F> = r_b.iter().chain(&r_prime).copied().collect();
    let opening = open_ints(&padded(xs, vk.n_in, batch), c, b, &r_b);
    let input_proof = prove_evaluation(
        key,
        &zk.blinding,
        input,
        &point,
        &opening,
        &x_eval,
        &mut t,
        rng,
    )?;
    Ok((
        ys,
        ZkLinearProof {
            sumcheck: out.proof,
            opening: u,
            input_eval: x_eval.point,
            closing,
            input_proof,
        },
    ))
}

/// Verifies that `ys = W·X` for the matrix of `vk` and the input committed in `input`.
/// Cost: the public verifier's opening MSM, the masked rounds, and two inner-product
/// checks.
pub fn verify(
    key: &HyraxKey,
    zk: &MaskKey,
    vk: &LinearVk,
    input: &HyraxCommitment,
    ys: &[i32],
    batch: usize,
    proof: &ZkLinearProof,
) -> crate::Result<()> {
    if batch == 0 || ys.len() != batch * vk.n_out {
        return Err(Error::Invalid("output batch has the wrong length".into()));
    }
    let (c, b) = input_grid(vk, batch);
    if (input.row_vars, input.col_vars) != (c, b) {
        return Err(Error::Malformed(
            "input commitment has the wrong grid".into(),
        ));
    }
    let a = log2_ceil(vk.n_out);
    let mut t = statement_transcript(vk, input, ys, batch);
    let r_b = t.challenges(b"batch-point", c);
    let r = t.challenges(b"row-point", a);
    let claim = output_claim(zk, vk, ys, &eq_table(&r_b), &r);
    let claims = masked_sumcheck::verify(&proof.sumcheck, b, 2, &mut t)?;
    t.append_fields(b"opening", &proof.opening);
    let w_point: Vec<F> = r.iter().chain(&claims.point).copied().collect();
    let w = verify_opening(key, &vk.commitment, &w_point, &proof.opening)?;
    t.append_points(b"input-eval", &[proof.input_eval]);
    let fin = (proof.input_eval * w).into_affine();
    masked_sumcheck::verify_close(
        zk,
        &proof.sumcheck,
        &claims,
        2,
        claim.point,
        fin,
        &proof.closing,
        &mut t,
    )?;
    let point: Vec<F> = r_b.iter().chain(&claims.point).copied().collect();
    verify_evaluation(
        key,
        &zk.blinding,
        input,
        &point,
        proof.input_eval,
        &proof.input_proof,
        &mut t,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::to_i64;
    use ark_ec::AffineRepr;
    use ark_ff::One;
    use ark_std::rand::{rngs::StdRng, SeedableRng};
    use ark_std::UniformRand;
    use ternzk_core::random;

    struct Setup {
        key: HyraxKey,
        zk: MaskKey,
        w: crate::TernaryCsr,
        vk: LinearVk,
    }

    fn setup(n_out: usize, n_in: usize) -> Setup {
        let key = HyraxKey::new(8);
        let w = random::ternary(n_out, n_in, 0.3, 9);
        let vk = LinearVk::commit(&w, &key).unwrap();
        Setup {
            key,
            zk: MaskKey::new(10),
            w,
            vk,
        }
    }

    fn prove_ok(
        s: &Setup,
        xs: &[i32],
        batch: usize,
        rng: &mut StdRng,
    ) -> (HidingCommitment, Vec<i32>, ZkLinearProof) {
        let input = commit_input(&s.key, &s.zk, &s.vk, xs, batch, rng).unwrap();
        let (ys, proof) = prove(&s.w, &s.vk, &s.key, &s.zk, xs, batch, &input, rng).unwrap();
        verify(&s.key, &s.zk, &s.vk, &input.commitment, &ys, batch, &proof).expect("honest proof");
        (input, ys, proof)
    }

    /// Every field element of a proof but `u`, mutable, for mutation tests.
    fn scalar_refs(p: &mut ZkLinearProof) -> Vec<&mut F> {
        let mut v: Vec<&mut F> = vec![&mut p.sumcheck.masked_sum];
        v.extend(p.sumcheck.rounds.iter_mut().flatten());
        for d in [&mut p.closing, &mut p.input_proof] {
            v.extend(d.z.iter_mut());
            v.push(&mut d.z_delta);
            v.push(&mut d.z_beta);
        }
        v
    }

    /// Every point of a proof, mutable.
    fn point_refs(p: &mut ZkLinearProof) -> Vec<&mut GAffine> {
        let mut v: Vec<&mut GAffine> = vec![&mut p.sumcheck.mask, &mut p.input_eval];
        v.extend(p.closing.points.iter_mut());
        v.extend(p.input_proof.points.iter_mut());
        v
    }

    fn scalars(p: &ZkLinearProof) -> Vec<F> {
        scalar_refs(&mut p.clone())
            .into_iter()
            .map(|v| *v)
            .collect()
    }

    fn points(p: &ZkLinearProof) -> Vec<GAffine> {
        point_refs(&mut p.clone()).into_iter().map(|v| *v).collect()
    }

    #[test]
    fn honest_proofs_verify_for_several_shapes_and_batches() {
        let mut rng = StdRng::seed_from_u64(1);
        for (n_out, n_in, batch) in [(8, 16, 1), (5, 7, 3), (20, 100, 4), (64, 128, 1)] {
            let s = setup(n_out, n_in);
            let xs = random::activations(n_in, batch, 3);
            let (_, ys, _) = prove_ok(&s, &xs, batch, &mut rng);
            assert_eq!(ys, s.w.matmul_i32(&xs, batch));
        }
    }

    #[test]
    fn wrong_output_input_model_or_any_mutation_is_rejected() {
        let mut rng = StdRng::seed_from_u64(2);
        let s = setup(20, 40);
        let batch = 2;
        let xs = random::activations(40, batch, 4);
        let (input, ys, proof) = prove_ok(&s, &xs, batch, &mut rng);
        let ok = |ys: &[i32], input: &HyraxCommitment, p: &ZkLinearProof, vk: &LinearVk| {
            verify(&s.key, &s.zk, vk, input, ys, batch, p).is_ok()
        };
        let mut bad_ys = ys.clone();
        bad_ys[3] += 1;
        assert!(
            !ok(&bad_ys, &input.commitment, &proof, &s.vk),
            "wrong output"
        );
        let other_input = commit_input(
            &s.key,
            &s.zk,
            &s.vk,
            &random::activations(40, batch, 5),
            batch,
            &mut rng,
        )
        .unwrap();
        assert!(
            !ok(&ys, &other_input.commitment, &proof, &s.vk),
            "other input"
        );
        let other_w = random::ternary(20, 40, 0.3, 10);
        let other_vk = LinearVk::commit(&other_w, &s.key).unwrap();
        assert!(
            !ok(&ys, &input.commitment, &proof, &other_vk),
            "other model"
        );
        // Every scalar (`u` included) and every point mutated.
        let n_scalars = scalars(&proof).len();
        for i in 0..n_scalars + proof.opening.len() {
            let mut p = proof.clone();
            if i < n_scalars {
                *scalar_refs(&mut p)[i] += F::one();
            } else {
                p.opening[i - n_scalars] += F::one();
            }
            assert!(!ok(&ys, &input.commitment, &p, &s.vk), "scalar {i} mutated");
        }
        for i in 0..points(&proof).len() {
            let mut p = proof.clone();
            let q = point_refs(&mut p).swap_remove(i);
            *q = (*q + GAffine::generator()).into_affine();
            assert!(!ok(&ys, &input.commitment, &p, &s.vk), "point {i} mutated");
        }
    }

    #[test]
    fn bytes_round_trip_and_malformed_bytes_are_errors() {
        let mut rng = StdRng::seed_from_u64(5);
        for (n_out, n_in, batch) in [(8, 16, 1), (5, 7, 3)] {
            let s = setup(n_out, n_in);
            let xs = random::activations(n_in, batch, 8);
            let (input, ys, proof) = prove_ok(&s, &xs, batch, &mut rng);
            let bytes = proof.to_bytes();
            let b = log2_ceil(n_in);
            // 6 points; 1 + 2b + 2^b + (3b + 2) + (2^b + 2) scalars.
            assert_eq!(bytes.len(), 4 + 32 * (11 + 5 * b + (2 << b)));
            let back = ZkLinearProof::from_bytes(&s.vk, &bytes).unwrap();
            assert_eq!(back, proof);
            for cut in [0, 3, 4, bytes.len() - 1] {
                assert!(
                    ZkLinearProof::from_bytes(&s.vk, &bytes[..cut]).is_err(),
                    "cut {cut}"
                );
            }
            let mut longer = bytes.clone();
            longer.push(0);
            assert!(ZkLinearProof::from_bytes(&s.vk, &longer).is_err());
            let mut version = bytes.clone();
            version[0] ^= 1;
            assert!(ZkLinearProof::from_bytes(&s.vk, &version).is_err());
            // A flipped bit anywhere is malformed or rejected, never accepted.
            for i in (4..bytes.len()).step_by(29) {
                let mut bad = bytes.clone();
                bad[i] ^= 1;
                if let Ok(p) = ZkLinearProof::from_bytes(&s.vk, &bad) {
                    assert!(
                        verify(&s.key, &s.zk, &s.vk, &input.commitment, &ys, batch, &p).is_err(),
                        "byte {i} flipped"
                    );
                }
            }
        }
    }

    /// Leak tests, the attacks on today's `--private-input` repeated here.
    #[test]
    fn the_input_is_not_in_the_proof_and_proofs_do_not_repeat() {
        let mut rng = StdRng::seed_from_u64(3);
        // ≤ 128 inputs, batch 1: a one-row grid, whose public opening vector *is* the input.
        let s = setup(16, 100);
        let xs = random::activations(100, 1, 6);
        let (input, ys, p1) = prove_ok(&s, &xs, 1, &mut rng);
        let (_, p2) = prove(&s.w, &s.vk, &s.key, &s.zk, &xs, 1, &input, &mut rng).unwrap();
        verify(&s.key, &s.zk, &s.vk, &input.commitment, &ys, 1, &p2).unwrap();
        // No field element of the proof (beyond `u`, a function of the public model and
        // the statement-derived `r`) is a small integer: not the input, nor any
        // combination of a few of its entries.
        let small = scalars(&p1)
            .into_iter()
            .filter(|v| to_i64(*v).is_some_and(|x| x.unsigned_abs() < 1 << 40))
            .count();
        assert_eq!(small, 0);
        // The x̂ vector (the old opening) appears nowhere.
        let x_field: Vec<F> = xs.iter().map(|&v| F::from(v as u64)).collect();
        assert!(scalars(&p1).iter().all(|v| !x_field.contains(v)));
        // Two proofs of one statement share no element beyond the statement and `u`.
        let s2 = scalars(&p2);
        assert!(scalars(&p1).iter().all(|v| !s2.contains(v)));
        let q2 = points(&p2);
        assert!(points(&p1).iter().all(|q| !q2.contains(q)));
        assert_eq!(
            p1.opening, p2.opening,
            "u depends only on the public statement"
        );
    }

    /// Honest-verifier zero knowledge: a simulator that knows the statement (public
    /// model, input commitment, output) and the challenges — but not `X` — makes a
    /// proof the verifier accepts under those challenges.
    #[test]
    fn simulated_proofs_verify_under_programmed_challenges() {
        let mut rng = StdRng::seed_from_u64(4);
        let s = setup(12, 30);
        let batch = 2;
        let xs = random::activations(30, batch, 7);
        let input = commit_input(&s.key, &s.zk, &s.vk, &xs, batch, &mut rng).unwrap();
        let ys = s.w.matmul_i32(&xs, batch);
        let (c, b) = input_grid(&s.vk, batch);
        let a = log2_ceil(s.vk.n_out);
        // r_b, r, ρ, b round challenges, 2 weights, closing challenge, opening challenge.
        let n = c + a + 1 + b + 2 + 1 + 1;
        let challenges: Vec<F> = (0..n).map(|_| F::rand(&mut rng)).collect();
        let proof = simulate(
            &s,
            &input.commitment,
            &ys,
            batch,
            challenges.clone(),
            &mut rng,
        );
        let mut tv = programmed_statement(&s.vk, &input.commitment, &ys, batch, challenges.clone());
        verify_on(&s, &input.commitment, &ys, batch, &proof, &mut tv).unwrap();
        let mut other = challenges;
        other[n - 1] += F::one();
        let mut tv = programmed_statement(&s.vk, &input.commitment, &ys, batch, other);
        assert!(verify_on(&s, &input.commitment, &ys, batch, &proof, &mut tv).is_err());
    }

    fn programmed_statement(
        vk: &LinearVk,
        input: &HyraxCommitment,
        ys: &[i32],
        batch: usize,
        ch: Vec<F>,
    ) -> Transcript {
        let mut t = Transcript::programmed(PROTOCOL, ch);
        t.append_bytes(b"vk-digest", &vk.digest);
        t.append_u64(b"batch", batch as u64);
        input.absorb(&mut t);
        t.append_i32s(b"output", ys);
        t
    }

    /// [`verify`]'s steps on a given (programmed) transcript.
    fn verify_on(
        s: &Setup,
        input: &HyraxCommitment,
        ys: &[i32],
        batch: usize,
        proof: &ZkLinearProof,
        t: &mut Transcript,
    ) -> crate::Result<()> {
        let (c, b) = input_grid(&s.vk, batch);
        let a = log2_ceil(s.vk.n_out);
        let r_b = t.challenges(b"batch-point", c);
        let r = t.challenges(b"row-point", a);
        let claim = output_claim(&s.zk, &s.vk, ys, &eq_table(&r_b), &r);
        let claims = masked_sumcheck::verify(&proof.sumcheck, b, 2, t)?;
        t.append_fields(b"opening", &proof.opening);
        let w_point: Vec<F> = r.iter().chain(&claims.point).copied().collect();
        let w = verify_opening(&s.key, &s.vk.commitment, &w_point, &proof.opening)?;
        t.append_points(b"input-eval", &[proof.input_eval]);
        let fin = (proof.input_eval * w).into_affine();
        masked_sumcheck::verify_close(
            &s.zk,
            &proof.sumcheck,
            &claims,
            2,
            claim.point,
            fin,
            &proof.closing,
            t,
        )?;
        let point: Vec<F> = r_b.iter().chain(&claims.point).copied().collect();
        verify_evaluation(
            &s.key,
            &s.zk.blinding,
            input,
            &point,
            proof.input_eval,
            &proof.input_proof,
            t,
        )
    }

    /// The simulator: public pieces computed honestly (`u` from the public model at the
    /// programmed `r`), everything that depends on `X` replaced by simulated messages.
    fn simulate(
        s: &Setup,
        input: &HyraxCommitment,
        ys: &[i32],
        batch: usize,
        ch: Vec<F>,
        rng: &mut StdRng,
    ) -> ZkLinearProof {
        let (c, b) = input_grid(&s.vk, batch);
        let a = log2_ceil(s.vk.n_out);
        let mut t = programmed_statement(&s.vk, input, ys, batch, ch);
        let r_b = t.challenges(b"batch-point", c);
        let r = t.challenges(b"row-point", a);
        let claim = output_claim(&s.zk, &s.vk, ys, &eq_table(&r_b), &r);
        let u = s.w.bind_rows(&eq_table(&r));
        // Everything that depends on `X` is simulated: the masked rounds, a commitment
        // to a random value as `C_x`, and both inner-product proofs.
        let (sumcheck, claims) = masked_sumcheck::simulate_rounds(&s.zk, b, 2, &mut t, rng);
        t.append_fields(b"opening", &u);
        let w = inner_product(&u, &eq_table(&claims.point));
        let x_eval =
            s.zk.blinding
                .commit(F::rand(rng), F::rand(rng))
                .into_affine();
        t.append_points(b"input-eval", &[x_eval]);
        let fin = (x_eval * w).into_affine();
        let closing = masked_sumcheck::simulate_closing(
            &s.zk,
            &sumcheck,
            &claims,
            2,
            claim.point,
            fin,
            &mut t,
            rng,
        );
        let point: Vec<F> = r_b.iter().chain(&claims.point).copied().collect();
        let (l, av) = (eq_table(&point[..c]), eq_table(&point[c..]));
        let statement = crate::dot_product::DotProductStatement {
            gens: crate::pedersen::Gens::plain(s.key.gens_for(b).unwrap()),
            a: &av,
            c_x: crate::msm::msm(&input.rows, &l).into_affine(),
            c_y: x_eval,
        };
        let input_proof = DotProductProof::simulate(&s.zk.blinding, &statement, &mut t, rng);
        ZkLinearProof {
            sumcheck,
            opening: u,
            input_eval: x_eval,
            closing,
            input_proof,
        }
    }
}

//! Hiding Hyrax commitments and zero-knowledge evaluations.
//!
//! Each grid row's Pedersen commitment gets a fresh blinding: `C_g = Σ_c v[g,c]·G_c +
//! ρ_g·h`. To show `ṽ(p_row, p_col) = y` for a committed `y` without sending the
//! opening vector `t = Σ_g eq(p_row, g)·v[g, ·]` (which is the vector itself for a
//! one-row grid), the verifier forms `C_t = Σ_g eq(p_row, g)·C_g` — a commitment to `t`
//! with blinding `Σ_g eq(p_row, g)·ρ_g` — and the prover gives a
//! [`DotProductProof`] that `⟨t, eq(p_col)⟩` is the committed `y`.
//! Cost: committing adds one scalar multiplication of `h` per row; an evaluation is one
//! inner-product proof of length `2^n` (prover and verifier each about two MSMs of
//! `2^n` bases) plus the verifier's MSM of `2^m` row commitments.

use crate::deferred::Deferred;
use crate::dot_product::{DotProductProof, DotProductStatement, DotProductWitness};
use crate::eq::eq_table;
use crate::error::{Check, Error};
use crate::field::{inner_product, GAffine, F};
use crate::hyrax::{commit_ints, HyraxCommitment, HyraxKey};
use crate::msm::msm;
use crate::pedersen::{random_scalar, BlindingKey, Committed, Gens};
use crate::transcript::Transcript;
use ark_ec::CurveGroup;
use ark_std::rand::{CryptoRng, RngCore};

/// A hiding commitment with the prover's row blindings.
#[derive(Clone, Debug)]
pub struct HidingCommitment {
    /// The blinded row commitments (public).
    pub commitment: HyraxCommitment,
    /// `ρ_g` for each row (prover-only secret).
    pub blinds: Vec<F>,
}

/// Commits to `2^(m+n)` small integers with blinded rows. Cost: [`commit_ints`] plus
/// `2^m` scalar multiplications of `h`.
pub fn commit_ints_hiding<R: RngCore + CryptoRng>(
    key: &HyraxKey,
    bk: &BlindingKey,
    values: &[i64],
    row_vars: usize,
    col_vars: usize,
    rng: &mut R,
) -> crate::Result<HidingCommitment> {
    Ok(hide(commit_ints(key, values, row_vars, col_vars)?, bk, rng))
}

/// Blinds a plain Hyrax commitment: row `g` becomes `C_g + ρ_g·h` with fresh `ρ_g`.
/// Cost: `2^m` fixed-base multiplications of `h` (32 mixed additions each), over the
/// threads.
pub fn hide<R: RngCore + CryptoRng>(
    plain: HyraxCommitment,
    bk: &BlindingKey,
    rng: &mut R,
) -> HidingCommitment {
    let blinds: Vec<F> = (0..plain.rows.len()).map(|_| random_scalar(rng)).collect();
    let pairs: Vec<(GAffine, F)> = plain
        .rows
        .iter()
        .copied()
        .zip(blinds.iter().copied())
        .collect();
    HidingCommitment {
        commitment: HyraxCommitment {
            row_vars: plain.row_vars,
            col_vars: plain.col_vars,
            rows: bk.blind_many(&pairs),
        },
        blinds,
    }
}

/// `eq(p_row)` and the first `width` entries of `eq(p_col)`, after shape checks.
fn split_point(
    com: &HyraxCommitment,
    width: usize,
    point: &[F],
) -> crate::Result<(Vec<F>, Vec<F>)> {
    if point.len() != com.row_vars + com.col_vars
        || com.rows.len() != 1 << com.row_vars
        || width == 0
        || width > 1 << com.col_vars
    {
        return Err(Error::Malformed(
            "evaluation point, width or commitment has the wrong size".into(),
        ));
    }
    let mut a = eq_table(&point[com.row_vars..]);
    a.truncate(width);
    Ok((eq_table(&point[..com.row_vars]), a))
}

/// Proves that the committed vector's multilinear extension at `point` is
/// `eval.value`. `opening` is `t = Σ_g eq(p_row, g)·v[g, ·]` (e.g.
/// [`crate::hyrax::open_ints`]). Cost: one inner-product proof of length `2^n`.
#[allow(clippy::too_many_arguments)]
pub fn prove_evaluation<R: RngCore + CryptoRng>(
    key: &HyraxKey,
    bk: &BlindingKey,
    com: &HidingCommitment,
    point: &[F],
    opening: &[F],
    eval: &Committed,
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<DotProductProof> {
    let width = 1 << com.commitment.col_vars;
    prove_evaluation_width(key, bk, com, width, point, opening, eval, t, rng)
}

/// [`prove_evaluation`] for a grid whose rows were committed over their first `width`
/// generators only, so columns `width..2^n` are zero by construction (binding: an
/// accepted proof opens every row over those generators alone). The inner-product
/// proof then has length `width`. Used by the hiding model key, whose weight rows have
/// `n_in` entries. Cost: one inner-product proof of length `width`.
#[allow(clippy::too_many_arguments)]
pub fn prove_evaluation_width<R: RngCore + CryptoRng>(
    key: &HyraxKey,
    bk: &BlindingKey,
    com: &HidingCommitment,
    width: usize,
    point: &[F],
    opening: &[F],
    eval: &Committed,
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<DotProductProof> {
    let c = &com.commitment;
    let (l, a) = split_point(c, width, point)?;
    let x = opening
        .get(..width)
        .ok_or_else(|| Error::Invalid("opening vector shorter than the width".into()))?;
    let gens = key.prepared_gens(c.col_vars, width)?;
    let r_x = inner_product(&l, &com.blinds);
    let statement = DotProductStatement {
        gens,
        a: &a,
        // `Σ_i l_i·C_i` from its opening (the same point, as the rows hold `x`'s
        // parts): a prepared MSM over `width` instead of a plain one over the rows.
        c_x: bk.commit_vector_in(gens, x, r_x).into_affine(),
        c_y: eval.point,
    };
    let witness = DotProductWitness {
        x,
        r_x,
        r_y: eval.blind,
    };
    Ok(DotProductProof::prove(bk, &statement, &witness, t, rng))
}

/// Checks [`prove_evaluation`]'s proof that `com` evaluates at `point` to the value
/// committed in `eval`. Cost: an MSM of `2^m` row commitments and the inner-product
/// check (an MSM of `2^n + 1` bases).
pub fn verify_evaluation(
    key: &HyraxKey,
    bk: &BlindingKey,
    com: &HyraxCommitment,
    point: &[F],
    eval: ark_bn254::G1Affine,
    proof: &DotProductProof,
    t: &mut Transcript,
) -> crate::Result<()> {
    verify_evaluation_width(key, bk, com, 1 << com.col_vars, point, eval, proof, t)
}

/// Checks [`prove_evaluation_width`]'s proof (rows over their first `width`
/// generators). Cost: an MSM of `2^m` row commitments and one of `width + 1` bases.
#[allow(clippy::too_many_arguments)]
pub fn verify_evaluation_width(
    key: &HyraxKey,
    bk: &BlindingKey,
    com: &HyraxCommitment,
    width: usize,
    point: &[F],
    eval: ark_bn254::G1Affine,
    proof: &DotProductProof,
    t: &mut Transcript,
) -> crate::Result<()> {
    check_now(bk, t, |t, acc, wrap| {
        defer_evaluation_width(key, com, width, point, eval, proof, t, acc, wrap)
    })
}

/// Runs a deferring check on a fresh collection and finishes it at once, failures
/// reported as [`Check::HidingEvaluation`]. Cost: the check's.
fn check_now<'g>(
    bk: &BlindingKey,
    t: &mut Transcript,
    defer: impl FnOnce(&mut Transcript, &mut Deferred<'g>, &dyn Fn(Check) -> Error) -> crate::Result<()>,
) -> crate::Result<()> {
    let mut acc = Deferred::new();
    defer(t, &mut acc, &|c| {
        Error::Rejected(Check::HidingEvaluation(Box::new(c)))
    })?;
    acc.finish(bk, t)
}

/// [`verify_evaluation_width`] with the inner-product proof's relations added to
/// `acc` (reported as `wrap(check)`) instead of checked at once. Cost: an MSM of `2^m`
/// row commitments and `O(2^m + 2^n)` field operations.
#[allow(clippy::too_many_arguments)]
pub(crate) fn defer_evaluation_width<'g>(
    key: &'g HyraxKey,
    com: &HyraxCommitment,
    width: usize,
    point: &[F],
    eval: ark_bn254::G1Affine,
    proof: &DotProductProof,
    t: &mut Transcript,
    acc: &mut Deferred<'g>,
    wrap: &dyn Fn(Check) -> Error,
) -> crate::Result<()> {
    let statement = evaluation_statement(key, com, width, point, eval)?;
    proof.defer(
        &statement.borrow(),
        Gens::plain(statement.gens),
        t,
        acc,
        wrap,
    )
}

/// The inner-product statement of an evaluation, owned (for simulators and callers
/// that need it beside the proof).
pub(crate) struct EvaluationStatement<'a> {
    gens: &'a [ark_bn254::G1Affine],
    a: Vec<F>,
    c_x: ark_bn254::G1Affine,
    c_y: ark_bn254::G1Affine,
}

impl EvaluationStatement<'_> {
    pub(crate) fn borrow(&self) -> DotProductStatement<'_> {
        DotProductStatement {
            gens: Gens::plain(self.gens),
            a: &self.a,
            c_x: self.c_x,
            c_y: self.c_y,
        }
    }
}

/// Builds the statement the verifier checks for an evaluation of `com` at `point`
/// (rows over their first `width` generators) against the committed value `eval`.
/// Cost: an MSM of `2^m` row commitments and `O(2^m + 2^n)` field operations.
pub(crate) fn evaluation_statement<'a>(
    key: &'a HyraxKey,
    com: &HyraxCommitment,
    width: usize,
    point: &[F],
    eval: ark_bn254::G1Affine,
) -> crate::Result<EvaluationStatement<'a>> {
    let (l, a) = split_point(com, width, point)?;
    Ok(EvaluationStatement {
        gens: &key.gens_for(com.col_vars)?[..width],
        a,
        c_x: msm(&com.rows, &l).into_affine(),
        c_y: eval,
    })
}

/// The row weights of `Σ_k λ_k·C_k` opened at `p_row`: every part's rows with
/// `λ_k·eq(p_row, ·)`, as one list of bases and scalars.
fn combined_rows<'a>(
    parts: impl Iterator<Item = (&'a HyraxCommitment, F)>,
    l: &[F],
) -> (Vec<ark_bn254::G1Affine>, Vec<F>) {
    let (mut bases, mut scalars) = (Vec::new(), Vec::new());
    for (c, w) in parts {
        bases.extend_from_slice(&c.rows);
        scalars.extend(l.iter().map(|x| w * x));
    }
    (bases, scalars)
}

/// Proves that `Σ_k λ_k·ṽ_k(point)` is `eval.value` for hiding commitments `C_k` of one
/// grid (one evaluation proof for several vectors at one point). `opening` is
/// `Σ_k λ_k·t_k`. Cost: one MSM of `Σ_k 2^m` row commitments and one inner-product
/// proof of length `2^n`.
#[allow(clippy::too_many_arguments)]
pub fn prove_evaluation_many<R: RngCore + CryptoRng>(
    key: &HyraxKey,
    bk: &BlindingKey,
    parts: &[(&HidingCommitment, F)],
    point: &[F],
    opening: &[F],
    eval: &Committed,
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<DotProductProof> {
    let first = &parts
        .first()
        .ok_or_else(|| Error::Invalid("no commitment to open".into()))?
        .0
        .commitment;
    let (l, a) = split_point(first, 1 << first.col_vars, point)?;
    debug_assert_eq!(inner_product(opening, &a), eval.value, "false evaluation");
    let gens = key.prepared_gens(first.col_vars, 1 << first.col_vars)?;
    let r_x = parts
        .iter()
        .map(|(c, w)| *w * inner_product(&l, &c.blinds))
        .sum();
    let statement = DotProductStatement {
        gens,
        a: &a,
        // `Σ_k λ_k·Σ_i l_i·C_{k,i}` from its opening (the same point): a prepared MSM
        // over the row width instead of a plain one over every part's rows.
        c_x: bk.commit_vector_in(gens, opening, r_x).into_affine(),
        c_y: eval.point,
    };
    let witness = DotProductWitness {
        x: opening,
        r_x,
        r_y: eval.blind,
    };
    Ok(DotProductProof::prove(bk, &statement, &witness, t, rng))
}

/// Checks [`prove_evaluation_many`]'s proof. Every part must have the grid of `point`
/// (else `Error::Malformed`). Cost: one MSM of `Σ_k 2^m` row commitments and the
/// inner-product check.
pub fn verify_evaluation_many(
    key: &HyraxKey,
    bk: &BlindingKey,
    parts: &[(&HyraxCommitment, F)],
    point: &[F],
    eval: ark_bn254::G1Affine,
    proof: &DotProductProof,
    t: &mut Transcript,
) -> crate::Result<()> {
    check_now(bk, t, |t, acc, wrap| {
        defer_evaluation_many(key, parts, point, eval, proof, t, acc, wrap)
    })
}

/// [`verify_evaluation_many`] with the inner-product proof's relations added to `acc`
/// (reported as `wrap(check)`) instead of checked at once. Cost: one MSM of
/// `Σ_k 2^m` row commitments and `O(2^m + 2^n)` field operations.
#[allow(clippy::too_many_arguments)]
pub(crate) fn defer_evaluation_many<'g>(
    key: &'g HyraxKey,
    parts: &[(&HyraxCommitment, F)],
    point: &[F],
    eval: ark_bn254::G1Affine,
    proof: &DotProductProof,
    t: &mut Transcript,
    acc: &mut Deferred<'g>,
    wrap: &dyn Fn(Check) -> Error,
) -> crate::Result<()> {
    let first = parts
        .first()
        .ok_or_else(|| Error::Malformed("no commitment to open".into()))?
        .0;
    let (l, a) = split_point(first, 1 << first.col_vars, point)?;
    if parts
        .iter()
        .any(|(c, _)| (c.row_vars, c.col_vars) != (first.row_vars, first.col_vars))
    {
        return Err(Error::Malformed("commitments of different grids".into()));
    }
    let gens = Gens::plain(key.gens_for(first.col_vars)?);
    let (bases, scalars) = combined_rows(parts.iter().copied(), &l);
    let statement = DotProductStatement {
        gens,
        a: &a,
        c_x: msm(&bases, &scalars).into_affine(),
        c_y: eval,
    };
    proof.defer(&statement, gens, t, acc, wrap)
}

/// Simulates [`prove_evaluation_many`]'s proof without the vectors (test-only).
#[cfg(test)]
pub(crate) fn simulate_evaluation_many<R: RngCore + CryptoRng>(
    key: &HyraxKey,
    bk: &BlindingKey,
    parts: &[(&HyraxCommitment, F)],
    point: &[F],
    eval: ark_bn254::G1Affine,
    t: &mut Transcript,
    rng: &mut R,
) -> DotProductProof {
    let first = parts[0].0;
    let (l, a) = split_point(first, 1 << first.col_vars, point).expect("simulated point fits");
    let (bases, scalars) = combined_rows(parts.iter().copied(), &l);
    let statement = DotProductStatement {
        gens: Gens::plain(key.gens_for(first.col_vars).expect("key large enough")),
        a: &a,
        c_x: msm(&bases, &scalars).into_affine(),
        c_y: eval,
    };
    DotProductProof::simulate(bk, &statement, t, rng)
}

/// Simulates [`prove_evaluation`]'s proof for any committed `eval` without the
/// vector, given the programmed challenges (test-only).
#[cfg(test)]
pub(crate) fn simulate_evaluation<R: RngCore + CryptoRng>(
    key: &HyraxKey,
    bk: &BlindingKey,
    com: &HyraxCommitment,
    point: &[F],
    eval: ark_bn254::G1Affine,
    t: &mut Transcript,
    rng: &mut R,
) -> DotProductProof {
    let (l, a) = split_point(com, 1 << com.col_vars, point).expect("simulated point fits");
    let statement = DotProductStatement {
        gens: Gens::plain(key.gens_for(com.col_vars).expect("key large enough")),
        a: &a,
        c_x: msm(&com.rows, &l).into_affine(),
        c_y: eval,
    };
    DotProductProof::simulate(bk, &statement, t, rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hyrax::open_ints;
    use crate::mle::evaluate_ints;
    use ark_ff::One;
    use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
    use ark_std::UniformRand;

    #[test]
    fn evaluations_verify_and_false_ones_are_rejected() {
        let mut rng = StdRng::seed_from_u64(1);
        let key = HyraxKey::new(4);
        let bk = BlindingKey::new();
        for (m, n) in [(0, 3), (2, 2), (3, 4)] {
            let values: Vec<i64> = (0..1 << (m + n))
                .map(|_| rng.gen_range(-300..300))
                .collect();
            let com = commit_ints_hiding(&key, &bk, &values, m, n, &mut rng).unwrap();
            // Blinded rows differ from the plain commitment (and between two commits).
            let plain = commit_ints(&key, &values, m, n).unwrap();
            assert!(com
                .commitment
                .rows
                .iter()
                .zip(&plain.rows)
                .all(|(a, b)| a != b));
            let point: Vec<F> = (0..m + n).map(|_| F::rand(&mut rng)).collect();
            let y = evaluate_ints(&values, &point);
            let eval = Committed::new(&bk, y, &mut rng);
            let t_vec = open_ints(&values, m, n, &point[..m]);
            let proof = prove_evaluation(
                &key,
                &bk,
                &com,
                &point,
                &t_vec,
                &eval,
                &mut Transcript::new(b"t"),
                &mut rng,
            )
            .unwrap();
            verify_evaluation(
                &key,
                &bk,
                &com.commitment,
                &point,
                eval.point,
                &proof,
                &mut Transcript::new(b"t"),
            )
            .unwrap();
            // Another claimed value, another point or another commitment: rejected.
            let wrong = Committed::new(&bk, y + F::one(), &mut rng);
            assert!(verify_evaluation(
                &key,
                &bk,
                &com.commitment,
                &point,
                wrong.point,
                &proof,
                &mut Transcript::new(b"t")
            )
            .is_err());
            let mut other_point = point.clone();
            other_point[0] += F::one();
            assert!(verify_evaluation(
                &key,
                &bk,
                &com.commitment,
                &other_point,
                eval.point,
                &proof,
                &mut Transcript::new(b"t")
            )
            .is_err());
            let mut other = com.commitment.clone();
            other.rows[0] = (crate::field::G::from(other.rows[0]) + bk.g).into_affine();
            assert!(verify_evaluation(
                &key,
                &bk,
                &other,
                &point,
                eval.point,
                &proof,
                &mut Transcript::new(b"t")
            )
            .is_err());
            assert!(matches!(
                verify_evaluation(
                    &key,
                    &bk,
                    &com.commitment,
                    &point[1..],
                    eval.point,
                    &proof,
                    &mut Transcript::new(b"t")
                ),
                Err(Error::Malformed(_))
            ));
        }
    }
}

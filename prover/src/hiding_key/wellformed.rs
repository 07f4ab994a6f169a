//! The hiding key's one-time proof that every committed weight is in `{−1, 0, 1}`, in
//! zero knowledge.
//!
//! Per layer, with `w` the padded weight table of `n` variables (padding zero by the
//! layout, see [`super`]): `w(x) ∈ {−1, 0, 1}` for every `x` iff `w³ − w` vanishes on
//! the cube iff (except with probability `n/|F|` over `r`) its multilinear extension
//! vanishes at a random `r`: `Σ_x eq(r, x)·(w(x)³ − w(x)) = 0`. The transcript:
//!
//! 1. absorb the key digest, then per layer its index and draw `r` (`n` challenges);
//! 2. a masked degree-4 sumcheck ([`crate::masked_sumcheck`]) of that sum, whose
//!    claimed value 0 is public (its commitment is the identity), ending at the point
//!    `ρ` (index bits least significant first; `p = reverse(ρ)` in the crate's order);
//! 3. commitments `Y, Y₂, Y₃` to `y = w̃(p)`, `y²`, `y³` and two Σ-proofs of product
//!    (`Y₂ = Y·Y`, `Y₃ = Y₂·Y`);
//! 4. the final value's commitment is derived, not sent: `F = eq(r, ρ)·(Y₃ − Y)`; the
//!    masked sumcheck's closing proof ties it (and the sum 0) to the rounds;
//! 5. a zero-knowledge evaluation of the weight commitment at `p` against `Y`
//!    ([`crate::hiding_hyrax::prove_evaluation_width`], rows over `n_in` generators).
//!
//! Zero knowledge: every message is a hiding commitment, a masked round polynomial or a
//! Σ-protocol response; a simulator with programmed challenges produces accepted
//! proofs without the weights (tests). Cost per layer: the sparse sumcheck
//! ([`super::zerocheck`]), `O(nnz)` additions for the opening vector, and group work
//! independent of nnz: an MSM of `5n` bases (mask), two of `n_in` (evaluation), one
//! of `2^rv` rows (verifier), a few small ones.

use super::zerocheck::TernaryZerocheck;
use super::{HidingKeyGens, HidingLayer, SparseWeights};
use crate::dot_product::DotProductProof;
use crate::error::{Check, Error};
use crate::field::{GAffine, F, G};
use crate::hiding_hyrax::{self, HidingCommitment};
use crate::labels;
use crate::masked_sumcheck::{self, MaskedSumcheckProof};
#[cfg(test)]
use crate::pedersen::random_scalar;
use crate::pedersen::Committed;
use crate::sigma::ProductProof;
use crate::transcript::Transcript;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, Field, One};
use ark_std::rand::{CryptoRng, RngCore};

/// Degree of the zero-check's rounds (`eq` times a cubic).
pub(super) const DEGREE: usize = 4;

/// One layer's part of the proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerProof {
    pub(super) sumcheck: MaskedSumcheckProof,
    /// `Y, Y₂, Y₃`.
    pub(super) powers: [GAffine; 3],
    pub(super) square: ProductProof,
    pub(super) cube: ProductProof,
    pub(super) closing: DotProductProof,
    pub(super) opening: DotProductProof,
}

/// The well-formedness proof of a hiding key: one [`LayerProof`] per layer. Its size
/// depends only on the widths: per layer about `(4 + 5)·n + n_in` field elements and
/// a dozen points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WellFormedProof {
    pub(super) layers: Vec<LayerProof>,
}

/// `eq(r, ρ)` with both in the same variable order.
fn eq_at(r: &[F], rho: &[F]) -> F {
    r.iter()
        .zip(rho)
        .map(|(a, b)| F::one() - a - b + (*a * b).double())
        .product()
}

/// The transcript's start: protocol name and key digest.
pub(super) fn transcript(digest: &[u8; 32]) -> Transcript {
    let mut t = Transcript::new(labels::HIDING_KEY_PROTOCOL);
    t.append_bytes(labels::HIDING_KEY_DIGEST, digest);
    t
}

/// The public zero sum's commitment (the identity, blinding 0).
fn zero_sum() -> Committed {
    Committed {
        value: F::ZERO,
        blind: F::ZERO,
        point: GAffine::zero(),
    }
}

/// Proves every layer's weights ternary. `weights[i]` is committed in `coms[i]`.
pub(super) fn prove<R: RngCore + CryptoRng>(
    gens: &HidingKeyGens,
    digest: &[u8; 32],
    layers: &[HidingLayer],
    weights: &[SparseWeights],
    coms: &[HidingCommitment],
    rng: &mut R,
) -> crate::Result<WellFormedProof> {
    let mut t = transcript(digest);
    let proofs = (0..layers.len())
        .map(|i| prove_layer(gens, i, &weights[i], &coms[i], false, &mut t, rng))
        .collect::<crate::Result<_>>()?;
    Ok(WellFormedProof { layers: proofs })
}

/// One layer. The honest prover claims the zero-check sum 0; with `true_sum` (tests) it
/// claims the table's true sum instead — for a non-ternary table a cheating prover
/// whose rounds are all consistent, leaving only the public zero to catch it.
pub(super) fn prove_layer<R: RngCore + CryptoRng>(
    gens: &HidingKeyGens,
    index: usize,
    w: &SparseWeights,
    com: &HidingCommitment,
    true_sum: bool,
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<LayerProof> {
    let bk = &gens.mask.blinding;
    let n = w.vars();
    t.append_u64(labels::HIDING_KEY_LAYER, index as u64);
    let r = t.challenges(labels::HIDING_KEY_ZEROCHECK, n);
    let mut oracle = TernaryZerocheck::new(r.clone(), w.indices.clone(), &w.values);
    let sum = if true_sum {
        true_zerocheck_sum(&r, w)
    } else {
        F::ZERO
    };
    let mut out = masked_sumcheck::prove(&gens.mask, &mut oracle, sum, t, rng)?;
    let y = oracle.final_weight();
    let rho = out.claims.point.clone();
    let e = eq_at(&r, &rho);
    debug_assert_eq!(out.final_value, e * (y.square() * y - y));
    let c1 = Committed::new(bk, y, rng);
    let c2 = Committed::new(bk, y.square(), rng);
    let c3 = Committed::new(bk, y.square() * y, rng);
    let powers = [c1.point, c2.point, c3.point];
    t.append_points(labels::HIDING_KEY_POWERS, &powers);
    let square = ProductProof::prove(bk, &c1, &c1, &c2, t, rng);
    let cube = ProductProof::prove(bk, &c2, &c1, &c3, t, rng);
    let fin = Committed {
        value: e * (c3.value - c1.value),
        blind: e * (c3.blind - c1.blind),
        point: final_commitment(e, &powers),
    };
    let closing = masked_sumcheck::close(&gens.mask, &mut out, &zero_sum(), &fin, t, rng)?;
    let p: Vec<F> = rho.iter().rev().copied().collect();
    let opening_vec = w.opening(&p[..w.row_vars]);
    let opening = hiding_hyrax::prove_evaluation_width(
        &gens.hyrax,
        bk,
        com,
        w.n_in,
        &p,
        &opening_vec,
        &c1,
        t,
        rng,
    )?;
    Ok(LayerProof {
        sumcheck: out.proof,
        powers,
        square,
        cube,
        closing,
        opening,
    })
}

/// `Σ_x eq(r, x)·(w(x)³ − w(x))` entry by entry (a cheating prover's claim, in tests;
/// `r[j]` against index bit `j`). Cost: `n` multiplications per nonzero.
fn true_zerocheck_sum(r: &[F], w: &SparseWeights) -> F {
    w.indices
        .iter()
        .zip(&w.values)
        .map(|(&i, &v)| {
            let bits: Vec<F> = (0..r.len()).map(|j| F::from((i >> j) & 1)).collect();
            let v = crate::field::from_i64(v as i64);
            eq_at(r, &bits) * (v.square() * v - v)
        })
        .sum()
}

/// `F = e·(Y₃ − Y)`.
fn final_commitment(e: F, powers: &[GAffine; 3]) -> GAffine {
    ((G::from(powers[2]) - G::from(powers[0])) * e).into_affine()
}

/// Checks every layer's proof; a rejection is [`Check::KeyTernary`] naming the layer.
pub(super) fn verify(
    gens: &HidingKeyGens,
    digest: &[u8; 32],
    layers: &[HidingLayer],
    proof: &WellFormedProof,
) -> crate::Result<()> {
    if proof.layers.len() != layers.len() {
        return Err(Error::Malformed(
            "one well-formedness proof per layer".into(),
        ));
    }
    let mut t = transcript(digest);
    for (i, (l, p)) in layers.iter().zip(&proof.layers).enumerate() {
        verify_layer(gens, i, l, p, &mut t).map_err(|e| match e {
            Error::Rejected(c) => Error::Rejected(Check::KeyTernary {
                layer: i,
                cause: Box::new(c),
            }),
            e => e,
        })?;
    }
    Ok(())
}

/// One layer's checks, in the prover's transcript order.
pub(super) fn verify_layer(
    gens: &HidingKeyGens,
    index: usize,
    layer: &HidingLayer,
    p: &LayerProof,
    t: &mut Transcript,
) -> crate::Result<()> {
    let bk = &gens.mask.blinding;
    let com = &layer.weights;
    let n = com.row_vars + com.col_vars;
    t.append_u64(labels::HIDING_KEY_LAYER, index as u64);
    let r = t.challenges(labels::HIDING_KEY_ZEROCHECK, n);
    let claims = masked_sumcheck::verify(&p.sumcheck, n, DEGREE, t)?;
    t.append_points(labels::HIDING_KEY_POWERS, &p.powers);
    let [y1, y2, y3] = p.powers;
    p.square.verify(bk, y1, y1, y2, t)?;
    p.cube.verify(bk, y2, y1, y3, t)?;
    let fin = final_commitment(eq_at(&r, &claims.point), &p.powers);
    masked_sumcheck::verify_close(
        &gens.mask,
        &p.sumcheck,
        &claims,
        DEGREE,
        GAffine::zero(),
        fin,
        &p.closing,
        t,
    )?;
    let point: Vec<F> = claims.point.iter().rev().copied().collect();
    hiding_hyrax::verify_evaluation_width(
        &gens.hyrax,
        bk,
        com,
        layer.n_in,
        &point,
        y1,
        &p.opening,
        t,
    )
}

/// The honest-verifier simulator (test-only): a proof for `layer` made without its
/// weights or blindings, on a transcript whose challenges are programmed.
#[cfg(test)]
pub(super) fn simulate_layer<R: RngCore + CryptoRng>(
    gens: &HidingKeyGens,
    index: usize,
    layer: &HidingLayer,
    t: &mut Transcript,
    rng: &mut R,
) -> LayerProof {
    let bk = &gens.mask.blinding;
    let com = &layer.weights;
    let n = com.row_vars + com.col_vars;
    t.append_u64(labels::HIDING_KEY_LAYER, index as u64);
    let r = t.challenges(labels::HIDING_KEY_ZEROCHECK, n);
    let (sumcheck, claims) = masked_sumcheck::simulate_rounds(&gens.mask, n, DEGREE, t, rng);
    let powers: [GAffine; 3] = std::array::from_fn(|_| {
        bk.commit(random_scalar(rng), random_scalar(rng))
            .into_affine()
    });
    t.append_points(labels::HIDING_KEY_POWERS, &powers);
    let [y1, y2, y3] = powers;
    let square = ProductProof::simulate(bk, y1, y1, y2, t, rng);
    let cube = ProductProof::simulate(bk, y2, y1, y3, t, rng);
    let fin = final_commitment(eq_at(&r, &claims.point), &powers);
    let closing = masked_sumcheck::simulate_closing(
        &gens.mask,
        &sumcheck,
        &claims,
        DEGREE,
        GAffine::zero(),
        fin,
        t,
        rng,
    );
    let point: Vec<F> = claims.point.iter().rev().copied().collect();
    let statement = hiding_hyrax::evaluation_statement(&gens.hyrax, com, layer.n_in, &point, y1)
        .expect("honest shapes");
    let opening = DotProductProof::simulate(bk, &statement.borrow(), t, rng);
    LayerProof {
        sumcheck,
        powers,
        square,
        cube,
        closing,
        opening,
    }
}

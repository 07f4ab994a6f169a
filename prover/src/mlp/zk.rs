//! The zero-knowledge MLP proof for a private input and a public model (issue 14):
//! the verifier learns the model (its key), the batch size and the logits; the input
//! and every activation stay hidden.
//!
//! It is the public protocol ([`super::prove`], `docs/protocol.md`) with each
//! witness-dependent message replaced by its hiding form:
//!
//! - the input and every hidden layer's vectors (`y`, `q`, limbs) are committed with
//!   blinded Hyrax rows ([`crate::hiding_hyrax`]);
//! - the requantization widths come from the model ([`super::model_checks`]), not the
//!   witness;
//! - the lookups are proven by the zero-knowledge LogUp ([`crate::logup::zk`]), which
//!   leaves *committed* evaluations; the claim on `M∘z` is their homomorphic
//!   combination, and the shifted top limb's relation an equality proof;
//! - every linear layer runs the masked sumcheck from its committed claim; `u = Tᵀ·e`
//!   is still sent (a function of the public model and the challenges), the input's
//!   evaluation is committed and the final check `W̃·x̂` closed homomorphically;
//! - every opening is a zero-knowledge evaluation proof (no opening vector).
//!
//! Extra cost over the public proof: the row blindings, the masks and closing proofs of
//! the sumchecks, the product proofs of the LogUp layers and one inner-product proof per
//! opening group — all independent of `nnz`; see `docs/decisions.md` for figures.

use super::model_checks::model_checks;
use super::prove::{check_layers, lookup_instances, pad_input};
use super::witness::{forward, Fault, ModePolicy};
use super::{
    batch_weight, key_vars_for, on_zk_grid, row_weights, statement_transcript, zk_grid, LayerShape,
    Layout, MlpLayer, MlpVk, PublicInput, RequantCheck, Statement,
};
use crate::deferred::Deferred;
use crate::dot_product::DotProductProof;
use crate::eq::eq_table;
use crate::error::{ensure, Check, Committed as What, Error, Step};
use crate::field::{from_i64, inner_product, log2_ceil, GAffine, F};
use crate::hiding_hyrax::{defer_evaluation_many, hide, prove_evaluation_many, HidingCommitment};
use crate::hyrax::{commit_ints_many, open_ints, verify_combination, HyraxCommitment, HyraxKey};
use crate::labels;
use crate::linear::step_tables;
use crate::logup::zk::{
    self as zk_logup, verify_zk_close, verify_zk_rounds, zk_close, zk_rounds, ZkLogupProof,
    ZkLookupClaim, ZkSumcheck,
};
use crate::logup::LookupInstance;
use crate::masked_sumcheck::MaskKey;
use crate::pedersen::{combine_points, BlindingKey, Committed};
use crate::requant::LIMB_BITS;
use crate::sigma::EqualityProof;
use crate::sumcheck::{Term, TermOracle};
use crate::transcript::Transcript;
use ark_ec::CurveGroup;
use ark_ff::{AdditiveGroup, Field};
use ark_std::rand::{CryptoRng, RngCore};
use rayon::prelude::*;

#[cfg(test)]
mod simulate;
#[cfg(test)]
pub(super) use simulate::{
    random_point, simulate, simulate_front, simulate_openings, simulator_transcript,
    verify_programmed,
};

/// One linear layer in zero knowledge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZkStep {
    /// The masked degree-2 sumcheck and its closing proof.
    pub sumcheck: ZkSumcheck,
    /// `u = Tᵀ·e`, the opening of the weight commitment for the public row weights `e`.
    pub opening: Vec<F>,
    /// Commitment to the layer input's evaluation at the sumcheck point.
    pub input_eval: GAffine,
}

/// A zero-knowledge proof for a [`Statement`]: with a public model ([`ZkStep`] per
/// linear layer; the input committed) or a hidden one
/// ([`super::zk_model::HiddenStep`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZkMlpProof<S = ZkStep> {
    /// Per hidden layer, its requantization check (widths from the model).
    pub checks: Vec<RequantCheck>,
    /// Per hidden layer, hiding commitments to its vectors (as in the public proof).
    pub witness: Vec<Vec<HyraxCommitment>>,
    /// The zero-knowledge lookup argument.
    pub logup: ZkLogupProof,
    /// Per quotient-mode hidden layer whose top limb is shifted, in layer order: the
    /// shifted limb's committed evaluation equals the top limb's plus the shift.
    pub shifted: Vec<EqualityProof>,
    /// Per layer, in layer order.
    pub steps: Vec<S>,
    /// One evaluation proof per opening group (the order of the public proof's).
    pub openings: Vec<DotProductProof>,
}

/// The keys of a zero-knowledge proof: the Hyrax generators and the mask key (which
/// holds the Pedersen pair `g`, `h`).
pub struct ZkKeys<'a> {
    /// Hyrax generators (as for a public proof).
    pub hyrax: &'a HyraxKey,
    /// Mask generators and the blinding pair.
    pub mask: &'a MaskKey,
}

/// The mask variables a proof for `vk` with `batch` inputs needs: the longest sumcheck.
/// Cost: O(#layers).
pub fn mask_vars(vk: &MlpVk, batch: usize) -> usize {
    mask_vars_for(&vk.shapes(), batch)
}

/// [`mask_vars`] from the layers' shapes. Cost: O(#layers).
pub(crate) fn mask_vars_for(shapes: &[LayerShape], batch: usize) -> usize {
    let c = log2_ceil(batch.max(1));
    let mut need = c + log2_ceil(shapes[0].n_in);
    for l in shapes {
        need = need.max(log2_ceil(l.n_in)).max(c + log2_ceil(l.n_out));
    }
    need.max(crate::logup::MAX_TABLE_BITS as usize)
}

/// The statement transcript of a zero-knowledge proof: the public one plus a mode tag,
/// so a public proof and a zero-knowledge proof never share a transcript.
fn zk_transcript(vk: &MlpVk, st: &Statement, checks: &[RequantCheck]) -> Transcript {
    let mut t = statement_transcript(vk, st, checks);
    t.append_bytes(labels::ZK_MLP, &[]);
    t
}

/// [`zk_transcript`] with programmed challenges (test-only: the simulator's random
/// oracle).
#[cfg(test)]
fn programmed_transcript(
    vk: &MlpVk,
    st: &Statement,
    checks: &[RequantCheck],
    challenges: Vec<F>,
) -> Transcript {
    let mut t = Transcript::programmed(super::PROTOCOL, challenges);
    super::absorb_statement(&mut t, labels::VK_DIGEST, &vk.digest, st, checks);
    t.append_bytes(labels::ZK_MLP, &[]);
    t
}

/// Runs the model on `batch` private inputs and proves the logits in zero knowledge.
/// Returns the statement (a hiding commitment to the input and the logits) and the
/// proof. Errors as [`super::prove`], and `Error::Invalid` if the model's worst-case
/// widths do not fit 16 bits ([`super::model_checks`]) or the mask key is smaller
/// than [`mask_vars`]. Proofs are randomized: two proofs of one statement differ.
/// Cost: the public prover's, plus the group work of the module docs — measured on
/// 784-256-256-10 at density 1/16 about 11–14× the public prover at batch 1 and 3.1–3.6×
/// at batch 256; 784-4096-4096-10 4.2–4.9× at batch 1 (`docs/decisions.md`).
pub fn prove<R: RngCore + CryptoRng>(
    layers: &[MlpLayer],
    vk: &MlpVk,
    keys: &ZkKeys,
    input: &[u8],
    batch: usize,
    rng: &mut R,
) -> crate::Result<(Statement, ZkMlpProof)> {
    prove_inner(layers, vk, keys, input, batch, Fault::None, rng)
}

/// One hidden layer's claims after the lookups: the committed claim on `M∘z` (or `z`)
/// and the committed evaluations of its vectors at the lookup point.
pub(super) struct LayerClaims<C> {
    pub w: C,
    pub evals: Vec<C>,
}

/// The commitments the prover needs for one hidden layer's claims.
fn layer_claims_prover<R: RngCore + CryptoRng>(
    bk: &BlindingKey,
    lay: &Layout,
    batch: usize,
    shapes: &[LayerShape],
    claims: &[ZkLookupClaim<Committed>],
    t: &mut Transcript,
    rng: &mut R,
) -> (Vec<LayerClaims<Committed>>, Vec<EqualityProof>) {
    let one = Committed::constant(bk, F::ONE);
    let mut out = Vec::new();
    let mut shifted = Vec::new();
    for (h, lv) in lay.hidden.iter().zip(shapes) {
        let j = h.first_instance;
        if h.direct() {
            out.push(LayerClaims {
                w: claims[j].evals[0],
                evals: vec![claims[j].evals[1]],
            });
            continue;
        }
        let (q, y) = (claims[j].evals[0], claims[j].evals[1]);
        let limbs: Vec<Committed> = (0..h.limbs).map(|i| claims[j + 1 + i].evals[0]).collect();
        if h.shifted() {
            let s = claims[j + 1 + h.limbs].evals[0];
            let top = Committed::combine(
                bk,
                &[(F::ONE, &limbs[h.limbs - 1]), (from_i64(h.shift()), &one)],
            );
            shifted.push(EqualityProof::prove(bk, &s, &top, t, rng));
        }
        let coeffs = w_coefficients(lay, batch, lv.k, h.limbs, &claims[j].point, lv.n_out);
        let mut terms = vec![(coeffs.q, &q)];
        terms.extend(coeffs.limbs.iter().copied().zip(&limbs));
        terms.push((coeffs.constant, &one));
        let mut evals = vec![y, q];
        evals.extend(&limbs[..h.limbs - 1]);
        out.push(LayerClaims {
            w: Committed::combine(bk, &terms),
            evals,
        });
    }
    (out, shifted)
}

/// `w̃(P) = 2^k·q̃ + Σ 2^(12 i)·r̃_i − 2^(k−1)·ind(P)` as coefficients of `q̃`, each limb
/// and the constant 1.
struct WCoefficients {
    q: F,
    limbs: Vec<F>,
    constant: F,
}

fn w_coefficients(
    lay: &Layout,
    batch: usize,
    k: u32,
    limbs: usize,
    point: &[F],
    n_out: usize,
) -> WCoefficients {
    let c = lay.batch_vars;
    let two = F::from(2u64);
    let (rho_b, rho) = point.split_at(c);
    let rows: F = eq_table(rho)[..n_out].iter().sum();
    WCoefficients {
        q: two.pow([k as u64]),
        limbs: (0..limbs)
            .map(|i| two.pow([(LIMB_BITS as usize * i) as u64]))
            .collect(),
        constant: -(two.pow([k as u64 - 1]) * batch_weight(rho_b, batch) * rows),
    }
}

/// What the shared part of a zero-knowledge MLP proof needs to know of the model and
/// the statement's form: the layers' shapes, each hidden layer's check, whether the
/// input is committed (private) and the transcript's start.
pub(super) struct FrontSpec<'a> {
    /// The layers' shapes.
    pub shapes: &'a [LayerShape],
    /// Each hidden layer's requantization check (from the model, never the witness).
    pub checks: Vec<RequantCheck>,
    /// The input is committed with hiding rows (private) rather than stated in the clear.
    pub private_input: bool,
    /// Starts the transcript for a statement (it absorbs the model's identity).
    pub transcript: &'a dyn Fn(&Statement, &[RequantCheck]) -> Transcript,
}

/// The prover's state after the lookups, shared by the public-model and the
/// hidden-model proofs: the witness, its hiding commitments, the statement, the
/// zero-knowledge lookups and each hidden layer's committed claims.
pub(super) struct ProverFront {
    pub lay: Layout,
    pub wit: super::witness::Witness,
    /// The zero-padded input with its hiding commitment (private input only).
    pub input: Option<(Vec<i64>, HidingCommitment)>,
    pub witness: Vec<Vec<HidingCommitment>>,
    pub statement: Statement,
    pub logup: ZkLogupProof,
    pub claims: Vec<ZkLookupClaim<Committed>>,
    pub layer_claims: Vec<LayerClaims<Committed>>,
    pub shifted: Vec<EqualityProof>,
}

impl ProverFront {
    /// The statement and the proof from this front, the checks it was made with, one
    /// step per layer (every one set) and the opening proofs. Cost: O(proof size).
    pub(super) fn finish<S>(
        self,
        checks: Vec<RequantCheck>,
        steps: Vec<Option<S>>,
        openings: Vec<DotProductProof>,
    ) -> (Statement, ZkMlpProof<S>) {
        let proof = ZkMlpProof {
            checks,
            witness: self
                .witness
                .iter()
                .map(|w| w.iter().map(|c| c.commitment.clone()).collect())
                .collect(),
            logup: self.logup,
            shifted: self.shifted,
            steps: steps.into_iter().map(|s| s.expect("every layer")).collect(),
            openings,
        };
        (self.statement, proof)
    }
}

/// Runs the model and proves everything before the linear layers: hiding commitments
/// to the input (when private) and every hidden vector, the statement's transcript,
/// the zero-knowledge lookups and the committed claims on each layer's `M∘z` (or
/// `z`). Errors as [`prove`]. Cost: the witness, its commitments and the lookups.
pub(super) fn prove_front<R: RngCore + CryptoRng>(
    layers: &[MlpLayer],
    spec: &FrontSpec,
    keys: &ZkKeys,
    input: &[u8],
    batch: usize,
    fault: Fault,
    rng: &mut R,
) -> crate::Result<(ProverFront, Transcript)> {
    let (key, zk) = (keys.hyrax, keys.mask);
    let bk = &zk.blinding;
    let checks = &spec.checks;
    let lay = Layout::from_shapes(spec.shapes, batch, spec.private_input, checks)?;
    let need = key_vars_for(spec.shapes, batch);
    if key.max_col_vars() < need {
        return Err(Error::Invalid(format!(
            "the generator set has 2^{} generators, this proof needs 2^{need}",
            key.max_col_vars(),
        )));
    }
    if zk.gens.len() < mask_vars_for(spec.shapes, batch) * (crate::masked_sumcheck::MAX_DEGREE + 1)
    {
        return Err(Error::Invalid(
            "the mask key is too small for this proof".into(),
        ));
    }
    // The witness, each layer in the mode the model's bounds chose, with those widths.
    let direct = checks
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, RequantCheck::Direct { .. }))
        .fold(0u64, |m, (l, _)| m | 1 << l);
    let mut wit = forward(
        layers,
        &lay,
        input,
        batch,
        fault,
        ModePolicy::Direct(direct),
    )?;
    for (l, (w, c)) in wit.hidden.iter_mut().zip(checks).enumerate() {
        if w.check.mode() != c.mode() || w.check.bits() > c.bits() {
            return Err(Error::Invalid(format!(
                "layer {l}: the witness exceeds the model's worst-case bound"
            )));
        }
        w.check = *c;
    }
    let x = lay
        .input_vars
        .map(|vars| pad_input(spec.shapes[0].n_in, vars, input));

    // Hiding commitments: the input (when private), then every hidden layer's vectors.
    let mut items: Vec<(&[i64], usize, usize)> = Vec::new();
    if let (Some(x), Some(vars)) = (&x, lay.input_vars) {
        let (rv, cv) = zk_grid(vars);
        items.push((x, rv, cv));
    }
    for (w, h) in wit.hidden.iter().zip(&lay.hidden) {
        let (rv, cv) = zk_grid(h.vars);
        items.extend(w.vectors.iter().map(|v| (&v[..], rv, cv)));
    }
    let mut coms = commit_ints_many(key, &items)?
        .into_iter()
        .map(|c| hide(c, bk, rng));
    let input_com = x.as_ref().map(|_| coms.next().expect("input commitment"));
    let witness: Vec<Vec<HidingCommitment>> = wit
        .hidden
        .iter()
        .map(|w| coms.by_ref().take(w.vectors.len()).collect())
        .collect();
    let statement = Statement {
        batch,
        input: match &input_com {
            Some(c) => PublicInput::Committed(c.commitment.clone()),
            None => PublicInput::Clear(input.to_vec()),
        },
        output: wit.output.clone(),
    };
    let mut t = (spec.transcript)(&statement, checks);
    for com in witness.iter().flatten() {
        com.commitment.absorb(&mut t);
    }

    // The lookups, in zero knowledge.
    let lookups = lookup_instances(&wit, &lay, x.as_deref());
    let (logup, claims) = if lookups.is_empty() {
        (ZkLogupProof::empty(), Vec::new())
    } else {
        zk_lookups(&lookups, keys, fault, &mut t, rng)?
    };
    let (layer_claims, shifted) =
        layer_claims_prover(bk, &lay, batch, spec.shapes, &claims, &mut t, rng);
    drop(lookups);
    Ok((
        ProverFront {
            lay,
            wit,
            input: x.zip(input_com),
            witness,
            statement,
            logup,
            claims,
            layer_claims,
            shifted,
        },
        t,
    ))
}

/// Proves every opening group of a zero-knowledge MLP proof, in the order of
/// [`Layout::groups`]: the private input at its lookup point and at layer 0's
/// sumcheck point (`input_evals[0]`), then each hidden layer's vectors at its lookup
/// point and its output at the next layer's sumcheck point. Cost: one inner-product
/// proof per group.
pub(super) fn prove_openings<R: RngCore + CryptoRng>(
    key: &HyraxKey,
    bk: &BlindingKey,
    front: &ProverFront,
    input_points: &[Vec<F>],
    input_evals: &[Option<Committed>],
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<Vec<DotProductProof>> {
    let (lay, claims) = (&front.lay, &front.claims);
    let mut openings = Vec::new();
    let mut open = |t: &mut Transcript,
                    point: &[F],
                    parts: &[(&HidingCommitment, &[i64], &Committed)]|
     -> crate::Result<()> {
        openings.push(open_group(key, bk, t, point, parts, rng)?);
        Ok(())
    };
    if let Some((x, input_com)) = &front.input {
        let first = input_evals[0]
            .as_ref()
            .expect("a private input's evaluation");
        open(t, &claims[0].point, &[(input_com, x, &claims[0].evals[0])])?;
        open(t, &input_points[0], &[(input_com, x, first)])?;
    }
    for (l, ((w, h), coms)) in front
        .wit
        .hidden
        .iter()
        .zip(&lay.hidden)
        .zip(&front.witness)
        .enumerate()
    {
        let p = &claims[h.first_instance].point;
        let parts: Vec<(&HidingCommitment, &[i64], &Committed)> = coms
            .iter()
            .zip(&w.vectors)
            .zip(&front.layer_claims[l].evals)
            .map(|((c, v), e)| (c, &v[..], e))
            .collect();
        open(t, p, &parts)?;
        let next = input_evals[l + 1]
            .as_ref()
            .expect("a hidden input's evaluation");
        open(t, &input_points[l + 1], &[(&coms[0], &w.vectors[0], next)])?;
    }
    Ok(openings)
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn prove_inner<R: RngCore + CryptoRng>(
    layers: &[MlpLayer],
    vk: &MlpVk,
    keys: &ZkKeys,
    input: &[u8],
    batch: usize,
    fault: Fault,
    rng: &mut R,
) -> crate::Result<(Statement, ZkMlpProof)> {
    let (key, zk) = (keys.hyrax, keys.mask);
    let bk = &zk.blinding;
    check_layers(layers, vk)?;
    let shapes = vk.shapes();
    let spec = FrontSpec {
        shapes: &shapes,
        checks: model_checks(layers, batch)?,
        private_input: true,
        transcript: &|st, checks| zk_transcript(vk, st, checks),
    };
    let (front, mut t) = prove_front(layers, &spec, keys, input, batch, fault, rng)?;
    let (lay, claims, wit) = (&front.lay, &front.claims, &front.wit);

    // Linear layers, last to first.
    let one = Committed::constant(bk, F::ONE);
    let n_layers = layers.len();
    let c = lay.batch_vars;
    let mut steps = vec![None; n_layers];
    let mut input_points: Vec<Vec<F>> = vec![Vec::new(); n_layers];
    let mut input_evals: Vec<Option<Committed>> = vec![None; n_layers];
    let terms = [Term {
        coeff: F::ONE,
        factors: vec![0, 1],
    }];
    for l in (0..n_layers).rev() {
        let layer = &layers[l];
        let (rho_b, e, target) = if l + 1 == n_layers {
            let r_b = t.challenges(labels::BATCH_POINT, c);
            let r = t.challenges(labels::ROW_POINT, log2_ceil(layer.weights.n_out));
            let e = eq_table(&r);
            let out = output_claim(&front.statement.output, layer.weights.n_out, &r_b, &e);
            (r_b, e, Committed::constant(bk, out))
        } else {
            let h = &lay.hidden[l];
            let p = &claims[h.first_instance].point;
            let e = row_weights(&p[c..], layer.m, h.direct());
            (p[..c].to_vec(), e, front.layer_claims[l].w)
        };
        let bias = bias_term(&e, layer.bias, &rho_b, batch);
        let claim = Committed::combine(bk, &[(F::ONE, &target), (-bias, &one)]);
        let (u, x_hat) = step_tables(layer.weights, &e, &wit.inputs[l], &rho_b);
        let mut oracle = TermOracle::new(vec![u.clone(), x_hat], &terms);
        let (out, r1) = zk_rounds(zk, &mut oracle, claim.value, &mut t, rng)?;
        t.append_fields(labels::WEIGHT_OPENING, &u);
        let x_eval = Committed::new(bk, oracle.evals()[1], rng);
        t.append_points(labels::INPUT_EVAL, &[x_eval.point]);
        let fin = Committed::combine(bk, &[(inner_product(&u, &eq_table(&r1)), &x_eval)]);
        let sumcheck = zk_close(zk, out, &claim, &fin, &mut t, rng)?;
        input_points[l] = rho_b.iter().chain(&r1).copied().collect();
        input_evals[l] = Some(x_eval);
        steps[l] = Some(ZkStep {
            sumcheck,
            opening: u,
            input_eval: x_eval.point,
        });
    }

    let openings = prove_openings(key, bk, &front, &input_points, &input_evals, &mut t, rng)?;
    Ok(front.finish(spec.checks, steps, openings))
}

/// The zero-knowledge lookups (the test-only faults as in the public prover).
#[allow(clippy::type_complexity)]
fn zk_lookups<R: RngCore + CryptoRng>(
    lookups: &[LookupInstance],
    keys: &ZkKeys,
    fault: Fault,
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<(ZkLogupProof, Vec<ZkLookupClaim<Committed>>)> {
    #[cfg(test)]
    {
        let mut lookups = lookups.to_vec();
        if fault == Fault::WideRangeTable {
            for l in lookups.iter_mut() {
                if l.table == (crate::logup::Table::Range { bits: LIMB_BITS }) {
                    l.table = crate::logup::Table::Range { bits: 16 };
                }
            }
        }
        if !matches!(fault, Fault::None | Fault::WideRangeTable) {
            let repaired = super::prove::repaired_columns(&lookups);
            let counted = super::prove::as_instances(&lookups, &repaired);
            return zk_logup::prove_with_counts_of(
                &lookups, &counted, keys.hyrax, keys.mask, t, rng,
            );
        }
        zk_logup::prove(&lookups, keys.hyrax, keys.mask, t, rng)
    }
    #[cfg(not(test))]
    {
        let _ = fault;
        zk_logup::prove(lookups, keys.hyrax, keys.mask, t, rng)
    }
}

/// `Σ_b eq(r_b, b)·Σ_i e_i·Y_{b,i}` for the public logits.
fn output_claim(output: &[i32], n_out: usize, r_b: &[F], e: &[F]) -> F {
    inner_product(
        &crate::linear::combine_batch(output, n_out, e.len(), &eq_table(r_b)),
        e,
    )
}

/// The bias part of a layer's claim: `Σ_b eq(ρ_b, b)·Σ_i e_i·b_i` over the real batch.
fn bias_term(e: &[F], bias: &[i32], rho_b: &[F], batch: usize) -> F {
    let b: F = e
        .iter()
        .zip(bias)
        .map(|(x, &b)| *x * from_i64(b as i64))
        .sum();
    batch_weight(rho_b, batch) * b
}

/// Proves one opening group: `λ` drawn, `Σ λ^k·ṽ_k(point) = Σ λ^k·E_k`, by one
/// zero-knowledge evaluation proof. Cost: `|v_k|` short products per vector and one
/// inner-product proof.
fn open_group<R: RngCore + CryptoRng>(
    key: &HyraxKey,
    bk: &BlindingKey,
    t: &mut Transcript,
    point: &[F],
    parts: &[(&HidingCommitment, &[i64], &Committed)],
    rng: &mut R,
) -> crate::Result<DotProductProof> {
    let lambda = t.challenge(labels::OPENING_LAMBDA);
    let (rv, cv) = zk_grid(point.len());
    let opened: Vec<Vec<F>> = parts
        .par_iter()
        .map(|(_, v, _)| open_ints(v, rv, cv, &point[..rv]))
        .collect();
    let weights: Vec<F> = std::iter::successors(Some(F::ONE), |w| Some(*w * lambda))
        .take(parts.len())
        .collect();
    let mut acc = vec![F::ZERO; 1 << cv];
    for (p, w) in opened.iter().zip(&weights) {
        for (a, x) in acc.iter_mut().zip(p) {
            *a += *w * x;
        }
    }
    let evals: Vec<(F, &Committed)> = weights
        .iter()
        .copied()
        .zip(parts.iter().map(|p| p.2))
        .collect();
    let eval = Committed::combine(bk, &evals);
    let coms: Vec<(&HidingCommitment, F)> = parts.iter().map(|p| p.0).zip(weights).collect();
    prove_evaluation_many(key, bk, &coms, point, &acc, &eval, t, rng)
}

/// Checks one opening group (see [`open_group`]).
fn check_group<'g>(
    key: &'g HyraxKey,
    t: &mut Transcript,
    point: &[F],
    parts: &[(&HyraxCommitment, GAffine)],
    proof: &DotProductProof,
    acc: &mut Deferred<'g>,
) -> crate::Result<()> {
    let lambda = t.challenge(labels::OPENING_LAMBDA);
    let weights: Vec<F> = std::iter::successors(Some(F::ONE), |w| Some(*w * lambda))
        .take(parts.len())
        .collect();
    let eval = combine_points(
        &weights
            .iter()
            .zip(parts)
            .map(|(w, p)| (*w, p.1))
            .collect::<Vec<_>>(),
    );
    let coms: Vec<(&HyraxCommitment, F)> = parts.iter().map(|p| p.0).zip(weights).collect();
    if coms
        .iter()
        .any(|(c, _)| (c.row_vars, c.col_vars) != zk_grid(point.len()))
    {
        return Err(Error::Malformed("witness commitment shape".into()));
    }
    defer_evaluation_many(key, &coms, point, eval, proof, t, acc, &|c| {
        Error::Rejected(Check::HidingEvaluation(Box::new(c))).opening_of(What::Witness)
    })
    .map_err(|e| e.opening_of(What::Witness))
}

/// Verifies a zero-knowledge proof for `statement` (whose input must be committed)
/// against the model committed in `vk`. `Error::Malformed` for a proof of the wrong
/// shape, `Error::Rejected` naming the failed check, never a panic.
/// Cost: the public verifier's field work plus the group work of the module docs
/// (784-256-256-10 at 1/16: about 6× the public verifier, `docs/decisions.md`).
pub fn verify(
    vk: &MlpVk,
    keys: &ZkKeys,
    statement: &Statement,
    proof: &ZkMlpProof,
) -> crate::Result<()> {
    let input_com = match &statement.input {
        PublicInput::Committed(c) => c,
        PublicInput::Clear(_) => {
            return Err(Error::Malformed(
                "a zero-knowledge proof needs a committed input".into(),
            ))
        }
    };
    let lay = Layout::new(vk, statement.batch, true, &proof.checks)?;
    check_shapes(vk, &lay, statement, proof)?;
    let mut t = zk_transcript(vk, statement, &proof.checks);
    verify_on(vk, keys, &lay, statement, input_com, proof, &mut t)
}

/// The verifier's lookup claims and each hidden layer's committed claims.
pub(super) type VerifierClaims = (Vec<ZkLookupClaim<GAffine>>, Vec<LayerClaims<GAffine>>);

/// The verifier's part before the linear layers: absorbs the witness commitments,
/// checks the zero-knowledge lookups (their relations deferred to `acc`) and the
/// shifted-limb proofs, and returns the lookup claims and each hidden layer's
/// committed claims. Cost: the lookups' verification.
#[allow(clippy::too_many_arguments)]
pub(super) fn verify_front<'g, S>(
    keys: &ZkKeys<'g>,
    lay: &Layout,
    shapes: &[LayerShape],
    batch: usize,
    proof: &ZkMlpProof<S>,
    t: &mut Transcript,
    acc: &mut Deferred<'g>,
) -> crate::Result<VerifierClaims> {
    let (witness, logup, shifted) = (&proof.witness, &proof.logup, &proof.shifted);
    let (key, zk) = (keys.hyrax, keys.mask);
    let bk = &zk.blinding;
    for com in witness.iter().flatten() {
        com.absorb(t);
    }
    let claims = if lay.shapes.is_empty() {
        if *logup != ZkLogupProof::empty() {
            return Err(Error::Malformed("a lookup proof without lookups".into()));
        }
        Vec::new()
    } else {
        zk_logup::verify_into(&lay.shapes, key, zk, logup, t, acc)?
    };
    let mut shifted = shifted.iter();
    let layer_claims =
        layer_claims_verifier(bk, lay, shapes, batch, &claims, t, |layer, s, top, t| {
            shifted
                .next()
                .ok_or_else(|| Error::Malformed("missing shifted-limb proof".into()))?
                .verify(bk, s, top, t)
                .map_err(|e| match e {
                    Error::Rejected(_) => Error::Rejected(Check::ShiftedLimb { layer }),
                    e => e,
                })
        })?;
    if shifted.next().is_some() {
        return Err(Error::Malformed("extra shifted-limb proofs".into()));
    }
    Ok((claims, layer_claims))
}

/// Checks every opening group (the order of [`prove_openings`]); `input_evals[l]` is
/// the committed evaluation of layer `l`'s input at its sumcheck point (`None` for a
/// public input). Relations go to `acc`. Cost: one MSM over each group's rows plus the
/// deferred inner-product relations.
#[allow(clippy::too_many_arguments)]
pub(super) fn verify_openings<'g>(
    key: &'g HyraxKey,
    lay: &Layout,
    input_com: Option<&HyraxCommitment>,
    claims: &[ZkLookupClaim<GAffine>],
    layer_claims: &[LayerClaims<GAffine>],
    witness: &[Vec<HyraxCommitment>],
    input_points: &[Vec<F>],
    input_evals: &[Option<GAffine>],
    openings: &[DotProductProof],
    t: &mut Transcript,
    acc: &mut Deferred<'g>,
) -> crate::Result<()> {
    let mut groups = openings.iter();
    let mut next = || {
        groups
            .next()
            .ok_or_else(|| Error::Malformed("missing opening proofs".into()))
    };
    let eval = |l: usize| {
        input_evals[l].ok_or_else(|| Error::Malformed("missing input evaluation".into()))
    };
    if let Some(input_com) = input_com {
        check_group(
            key,
            t,
            &claims[0].point,
            &[(input_com, claims[0].evals[0])],
            next()?,
            acc,
        )?;
        check_group(
            key,
            t,
            &input_points[0],
            &[(input_com, eval(0)?)],
            next()?,
            acc,
        )?;
    }
    for (l, (coms, lc)) in witness.iter().zip(layer_claims).enumerate() {
        let p = &claims[lay.hidden[l].first_instance].point;
        let parts: Vec<(&HyraxCommitment, GAffine)> =
            coms.iter().zip(lc.evals.iter().copied()).collect();
        check_group(key, t, p, &parts, next()?, acc)?;
        check_group(
            key,
            t,
            &input_points[l + 1],
            &[(&coms[0], eval(l + 1)?)],
            next()?,
            acc,
        )?;
    }
    if groups.next().is_some() {
        return Err(Error::Malformed("extra opening proofs".into()));
    }
    Ok(())
}

/// [`verify`]'s checks after the shapes, on a transcript holding the statement.
fn verify_on(
    vk: &MlpVk,
    keys: &ZkKeys,
    lay: &Layout,
    statement: &Statement,
    input_com: &HyraxCommitment,
    proof: &ZkMlpProof,
    t: &mut Transcript,
) -> crate::Result<()> {
    let (key, zk) = (keys.hyrax, keys.mask);
    let bk = &zk.blinding;
    let c = lay.batch_vars;
    let batch = statement.batch;
    let shapes = vk.shapes();
    // The inner-product relations of every closing and opening are checked together
    // at the end (`Deferred`), each reported with its step's error if false.
    let mut acc = Deferred::new();
    let (claims, layer_claims) = verify_front(keys, lay, &shapes, batch, proof, t, &mut acc)?;

    // Linear layers, last to first.
    let n_layers = vk.layers.len();
    let mut input_points: Vec<Vec<F>> = vec![Vec::new(); n_layers];
    for l in (0..n_layers).rev() {
        let lv = &vk.layers[l];
        let step_name = Step::Linear { layer: l };
        let (rho_b, e, target) = if l + 1 == n_layers {
            let r_b = t.challenges(labels::BATCH_POINT, c);
            let r = t.challenges(labels::ROW_POINT, log2_ceil(lv.n_out));
            let e = eq_table(&r);
            let out = output_claim(&statement.output, lv.n_out, &r_b, &e);
            (r_b, e, (bk.g * out).into_affine())
        } else {
            let h = &lay.hidden[l];
            let p = &claims[h.first_instance].point;
            let e = row_weights(&p[c..], &lv.m, h.direct());
            (p[..c].to_vec(), e, layer_claims[l].w)
        };
        let bias = bias_term(&e, &lv.bias, &rho_b, batch);
        let claim = combine_points(&[(F::ONE, target), (-bias, bk.g)]);
        let step = &proof.steps[l];
        let b = log2_ceil(lv.n_in);
        let (masked, r1) = verify_zk_rounds(&step.sumcheck, b, 2, step_name, t)?;
        t.append_fields(labels::WEIGHT_OPENING, &step.opening);
        t.append_points(labels::INPUT_EVAL, &[step.input_eval]);
        verify_combination(key, &[(&lv.commitment, &e)], &step.opening)
            .map_err(|e| e.opening_of(What::Weights { layer: l }))
            .map_err(|e| e.in_step(step_name))?;
        let w = inner_product(&step.opening, &eq_table(&r1));
        let fin = combine_points(&[(w, step.input_eval)]);
        verify_zk_close(
            zk,
            &step.sumcheck,
            masked.as_ref(),
            2,
            claim,
            fin,
            step_name,
            t,
            &mut acc,
        )?;
        input_points[l] = rho_b.iter().chain(&r1).copied().collect();
    }

    let input_evals: Vec<Option<GAffine>> =
        proof.steps.iter().map(|s| Some(s.input_eval)).collect();
    verify_openings(
        key,
        lay,
        Some(input_com),
        &claims,
        &layer_claims,
        &proof.witness,
        &input_points,
        &input_evals,
        &proof.openings,
        t,
        &mut acc,
    )?;
    acc.finish(bk, t)
}

/// The verifier's per-hidden-layer claims from the committed lookup claims: the claim
/// on `M∘z` (or `z`) and the evaluations to open; `shifted(layer, S, T, t)` checks
/// (or, in the simulator, makes) the proof that the shifted limb's commitment `S`
/// holds the value of `T` (the top limb's plus the shift).
#[allow(clippy::too_many_arguments)]
pub(super) fn layer_claims_verifier(
    bk: &BlindingKey,
    lay: &Layout,
    shapes: &[LayerShape],
    batch: usize,
    claims: &[ZkLookupClaim<GAffine>],
    t: &mut Transcript,
    mut shifted: impl FnMut(usize, GAffine, GAffine, &mut Transcript) -> crate::Result<()>,
) -> crate::Result<Vec<LayerClaims<GAffine>>> {
    let mut layer_claims = Vec::new();
    for (layer, (h, lv)) in lay.hidden.iter().zip(shapes).enumerate() {
        let j = h.first_instance;
        let point = &claims[j].point;
        for k in 1..h.instances() {
            ensure(claims[j + k].point == *point, Check::LookupPoints { layer })?;
        }
        if h.direct() {
            layer_claims.push(LayerClaims {
                w: claims[j].evals[0],
                evals: vec![claims[j].evals[1]],
            });
            continue;
        }
        let (q, y) = (claims[j].evals[0], claims[j].evals[1]);
        let limbs: Vec<GAffine> = (0..h.limbs).map(|i| claims[j + 1 + i].evals[0]).collect();
        if h.shifted() {
            let s = claims[j + 1 + h.limbs].evals[0];
            let top = combine_points(&[(F::ONE, limbs[h.limbs - 1]), (from_i64(h.shift()), bk.g)]);
            shifted(layer, s, top, t)?;
        }
        let coeffs = w_coefficients(lay, batch, lv.k, h.limbs, point, lv.n_out);
        let mut terms = vec![(coeffs.q, q)];
        terms.extend(coeffs.limbs.iter().copied().zip(limbs.iter().copied()));
        terms.push((coeffs.constant, bk.g));
        let mut evals = vec![y, q];
        evals.extend(&limbs[..h.limbs - 1]);
        layer_claims.push(LayerClaims {
            w: combine_points(&terms),
            evals,
        });
    }
    Ok(layer_claims)
}

/// Every dimension of the statement and proof against the layout.
fn check_shapes(vk: &MlpVk, lay: &Layout, st: &Statement, proof: &ZkMlpProof) -> crate::Result<()> {
    let bad = |what: &str| {
        Err(Error::Malformed(format!(
            "zero-knowledge proof shape: {what}"
        )))
    };
    if st.output.len() != st.batch * vk.n_out() {
        return bad("output length");
    }
    match (&st.input, lay.input_vars) {
        (PublicInput::Committed(c), Some(v)) if on_zk_grid(c, v) => {}
        _ => return bad("input"),
    }
    if proof.witness.len() != lay.hidden.len()
        || proof
            .witness
            .iter()
            .zip(&lay.hidden)
            .any(|(w, h)| w.len() != h.vectors() || w.iter().any(|c| !on_zk_grid(c, h.vars)))
    {
        return bad("witness commitments");
    }
    if proof.steps.len() != vk.layers.len()
        || proof
            .steps
            .iter()
            .zip(&vk.layers)
            .any(|(s, l)| s.opening.len() != 1 << log2_ceil(l.n_in))
    {
        return bad("linear steps");
    }
    let shifted = lay
        .hidden
        .iter()
        .filter(|h| !h.direct() && h.shifted())
        .count();
    if proof.shifted.len() != shifted {
        return bad("shifted-limb proofs");
    }
    if proof.openings.len() != lay.groups().len() {
        return bad("openings");
    }
    Ok(())
}

//! The zero-knowledge MLP proof for a hidden model (issue 14: the *private-model* mode,
//! and *private-both* with a private input): the verifier holds a hiding model key
//! ([`HidingKey`]) and learns the layer widths, the shifts, the quotient-table widths,
//! the input and output quantization, the batch size and the logits — plus the input
//! when it is stated in the clear. Weights (values, pattern, count), biases,
//! multipliers and every activation stay hidden.
//!
//! Everything before and after the linear layers is the private-input proof's
//! ([`super::zk`]): hiding witness commitments, the zero-knowledge lookups (quotient
//! mode only — direct mode's table would need the multiplier), the committed claims on
//! each hidden layer's `M∘z`, and one evaluation proof per opening group. Each linear
//! layer is proven by a [`HiddenStep`] instead of sending `u = Tᵀ·e`:
//!
//! 1. *Rows* (hidden layers): the claim on `w̃(ρ_b, ρ) = Σ_i eq(ρ, i)·M_i·z̄_i`, with
//!    `z̄_i = Σ_b eq(ρ_b, b)·z_{b,i}`, is a masked degree-3 sumcheck over the row index,
//!    ending at `ρ''` with committed `M̃(ρ'')`, `z̄̃(ρ'')` and their product (a product
//!    proof). The last layer starts from the public logits at `(r_b, r)`, `ρ'' = r`.
//! 2. *Bias*: `z̄̃(ρ'') − bw·b̃(ρ'')` (`bw` the real batch's weight) with `b̃(ρ'')`
//!    committed, homomorphically.
//! 3. *Columns*: a masked degree-2 sumcheck of `Σ_j u_j·x̂_j` with the hidden
//!    `u = Tᵀ·eq(ρ'')` (built from the nonzeros by additions), ending at `r'` with
//!    committed `T̃(ρ'', r')` and `x̂(r')` and their product; for a public input at
//!    layer 0 the verifier computes `x̂(r')` itself and scales `T̃`'s commitment.
//! 4. *Key evaluations*: `T̃(ρ'', r')`, `b̃(ρ'')`, `M̃(ρ'')` are proven against the
//!    key's blinded rows by zero-knowledge evaluation proofs (`hiding_hyrax`), the
//!    weights over their first `n_in` generators (padding columns are zero).
//!
//! Extra cost over the private-input proof per layer: one degree-3 sumcheck over
//! `n_out` (hidden layers), up to two product proofs and three evaluation proofs, all
//! independent of `nnz` and the batch except `z̄` (`B·n_out`) and the weight
//! evaluation's inner-product proof (`n_in` responses).

use super::model_checks::quotient_widths;
use super::witness::Fault;
use super::zk::{
    prove_front, prove_openings, verify_front, verify_openings, FrontSpec, ZkKeys, ZkMlpProof,
};
use super::{batch_weight, LayerShape, Layout, MlpLayer, PublicInput, RequantCheck, Statement};
use crate::deferred::Deferred;
use crate::dot_product::DotProductProof;
use crate::eq::{eq_eval, eq_table};
use crate::error::{Check, Committed as What, Error, Step};
use crate::field::{from_i64, inner_product, log2_ceil, GAffine, F};
use crate::hiding_hyrax::{defer_evaluation_width, prove_evaluation_width, HidingCommitment};
use crate::hiding_key::{vector_grid, HidingKey, HidingLayer, KeySecrets, LayerSecrets};
use crate::hyrax::{open_ints, HyraxCommitment, HyraxKey};
use crate::labels;
use crate::linear::combine_batch;
use crate::logup::zk::{verify_zk_close, verify_zk_rounds, zk_close, zk_rounds, ZkSumcheck};
use crate::matrix::LinearBackend;
use crate::pedersen::{combine_points, BlindingKey, Committed};
use crate::sigma::ProductProof;
use crate::sumcheck::{Term, TermOracle};
use crate::transcript::Transcript;
use crate::wire::Skeleton;
use ark_ff::{AdditiveGroup, Field};
use ark_std::rand::{CryptoRng, RngCore};
use rayon::prelude::*;

mod shape;
#[cfg(test)]
mod simulate;

use shape::check_shapes;
#[cfg(test)]
pub(super) use simulate::{simulate, simulator_transcript, verify_programmed};

/// The row part of a hidden layer's step: `Σ_i eq(ρ, i)·M_i·z̄_i` reduced to `ρ''`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowStep {
    /// The masked degree-3 sumcheck and its closing proof.
    pub sumcheck: ZkSumcheck,
    /// Commitments to `M̃(ρ'')`, `z̄̃(ρ'')` and their product.
    pub evals: [GAffine; 3],
    /// Proof that the third commitment holds the product of the first two.
    pub product: ProductProof,
}

/// One linear layer of a hidden-model proof (module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HiddenStep {
    /// The row reduction (hidden layers only).
    pub rows: Option<RowStep>,
    /// Commitment to `b̃(ρ'')`.
    pub bias_eval: GAffine,
    /// The masked degree-2 column sumcheck and its closing proof.
    pub sumcheck: ZkSumcheck,
    /// Commitment to `T̃(ρ'', r')`.
    pub weight_eval: GAffine,
    /// Commitments to `x̂(r')` and to `T̃(ρ'', r')·x̂(r')`, and the product proof; absent
    /// when the layer's input is public (layer 0 with a clear input).
    pub input: Option<([GAffine; 2], ProductProof)>,
    /// Evaluation proofs against the key: weights, bias, then multipliers (hidden
    /// layers).
    pub key_openings: Vec<DotProductProof>,
}

/// A zero-knowledge proof for a hidden model.
pub type PrivateModelProof = ZkMlpProof<HiddenStep>;

impl Skeleton for HiddenStep {
    fn points_mut(&mut self) -> Vec<&mut GAffine> {
        let mut v: Vec<&mut GAffine> = Vec::new();
        if let Some(r) = &mut self.rows {
            v.extend(r.sumcheck.all_points_mut());
            v.extend(r.evals.iter_mut());
            v.extend(r.product.points.iter_mut());
        }
        v.push(&mut self.bias_eval);
        v.extend(self.sumcheck.all_points_mut());
        v.push(&mut self.weight_eval);
        if let Some((evals, product)) = &mut self.input {
            v.extend(evals.iter_mut());
            v.extend(product.points.iter_mut());
        }
        for d in &mut self.key_openings {
            v.extend(d.points.iter_mut());
        }
        v
    }

    fn scalars_mut(&mut self) -> Vec<&mut F> {
        let mut v: Vec<&mut F> = Vec::new();
        if let Some(r) = &mut self.rows {
            v.extend(r.sumcheck.all_scalars_mut());
            v.extend(r.product.responses.iter_mut());
        }
        v.extend(self.sumcheck.all_scalars_mut());
        if let Some((_, product)) = &mut self.input {
            v.extend(product.responses.iter_mut());
        }
        for d in &mut self.key_openings {
            v.extend(d.z.iter_mut());
            v.push(&mut d.z_delta);
            v.push(&mut d.z_beta);
        }
        v
    }
}

/// The layers' shapes as a hiding key reveals them (no multiplier).
pub(crate) fn hidden_shapes(key: &HidingKey) -> Vec<LayerShape> {
    key.layers
        .iter()
        .map(|l| LayerShape {
            n_in: l.n_in,
            n_out: l.n_out,
            k: l.k,
            uniform_m: None,
        })
        .collect()
}

/// `log2` of the Hyrax generators a hidden-model proof with `batch` inputs needs.
/// Cost: O(#layers).
pub fn key_vars_hidden(key: &HidingKey, batch: usize) -> usize {
    super::key_vars_for(&hidden_shapes(key), batch)
}

/// The mask variables a hidden-model proof with `batch` inputs needs. Cost:
/// O(#layers).
pub fn mask_vars_hidden(key: &HidingKey, batch: usize) -> usize {
    super::zk::mask_vars_for(&hidden_shapes(key), batch)
}

/// The statement transcript of a hidden-model proof: the key's digest under its own
/// label, the statement, the checks, and the mode tag.
fn transcript(key: &HidingKey, st: &Statement, checks: &[RequantCheck]) -> Transcript {
    let mut t = Transcript::new(super::PROTOCOL);
    absorb(&mut t, key, st, checks);
    t
}

fn absorb(t: &mut Transcript, key: &HidingKey, st: &Statement, checks: &[RequantCheck]) {
    super::absorb_statement(t, labels::HIDING_KEY_DIGEST, &key.digest, st, checks);
    t.append_bytes(labels::ZK_MLP_PRIVATE_MODEL, &[]);
}

/// Runs the hidden model on `batch` inputs and proves the logits in zero knowledge
/// against the hiding key `key`, whose blindings are `secrets`. With `private_input`
/// the statement holds a hiding commitment to the input (private-both mode), else the
/// input bytes (private-model mode). Errors: `Error::Invalid` if the layers are not the
/// key's (shapes, shifts or quotient widths), the secrets belong to another key, an
/// input has the wrong length, a quotient exceeds the key's width, or the generator
/// or mask key is too small. Proofs are randomized.
/// Cost: the private-input proof's, plus per layer the work of the module docs.
#[allow(clippy::too_many_arguments)]
pub fn prove<R: RngCore + CryptoRng>(
    layers: &[MlpLayer],
    key: &HidingKey,
    secrets: &KeySecrets,
    keys: &ZkKeys,
    input: &[u8],
    batch: usize,
    private_input: bool,
    rng: &mut R,
) -> crate::Result<(Statement, PrivateModelProof)> {
    prove_inner(
        layers,
        key,
        secrets,
        keys,
        input,
        batch,
        private_input,
        Fault::None,
        rng,
    )
}

/// Checks that the prover's layers and secrets are the key's.
fn check_model(layers: &[MlpLayer], key: &HidingKey, secrets: &KeySecrets) -> crate::Result<()> {
    if secrets.key_digest != key.digest || secrets.layers.len() != key.layers.len() {
        return Err(Error::Invalid(
            "the secret file belongs to another hiding key".into(),
        ));
    }
    let same = layers.len() == key.layers.len()
        && layers.iter().zip(&key.layers).all(|(l, k)| {
            (l.weights.n_out, l.weights.n_in, l.k) == (k.n_out, k.n_in, k.k)
                && l.bias.len() == k.n_out
                && (k.m.is_none() || l.m.len() == k.n_out)
        });
    if !same {
        return Err(Error::Invalid(
            "the model's layers do not match the hiding key".into(),
        ));
    }
    let widths = quotient_widths(layers)?;
    if widths != key.checks().iter().map(|c| c.bits()).collect::<Vec<_>>() {
        return Err(Error::Invalid(
            "the model's quotient widths are not the hiding key's".into(),
        ));
    }
    Ok(())
}

/// [`prove`] with a test-only fault.
#[allow(clippy::too_many_arguments)]
pub(crate) fn prove_inner<R: RngCore + CryptoRng>(
    layers: &[MlpLayer],
    key: &HidingKey,
    secrets: &KeySecrets,
    keys: &ZkKeys,
    input: &[u8],
    batch: usize,
    private_input: bool,
    fault: Fault,
    rng: &mut R,
) -> crate::Result<(Statement, PrivateModelProof)> {
    check_model(layers, key, secrets)?;
    let shapes = hidden_shapes(key);
    let spec = FrontSpec {
        shapes: &shapes,
        checks: key.checks(),
        private_input,
        transcript: &|st, checks| transcript(key, st, checks),
    };
    let (front, mut t) = prove_front(layers, &spec, keys, input, batch, fault, rng)?;
    let (lay, claims) = (&front.lay, &front.claims);
    let bk = &keys.mask.blinding;
    let n_layers = layers.len();
    let c = lay.batch_vars;
    let mut steps = vec![None; n_layers];
    let mut input_points: Vec<Vec<F>> = vec![Vec::new(); n_layers];
    let mut input_evals: Vec<Option<Committed>> = vec![None; n_layers];
    for l in (0..n_layers).rev() {
        let layer = &layers[l];
        let a = log2_ceil(layer.weights.n_out);
        let (rho_b, row_claim) = if l + 1 == n_layers {
            let r_b = t.challenges(labels::BATCH_POINT, c);
            let r = t.challenges(labels::ROW_POINT, a);
            let out = output_claim(&front.statement.output, layer.weights.n_out, &r_b, &r);
            (r_b, RowClaim::Public(r, Committed::constant(bk, out)))
        } else {
            let p = &claims[lay.hidden[l].first_instance].point;
            (
                p[..c].to_vec(),
                RowClaim::Hidden(p[c..].to_vec(), front.layer_claims[l].w),
            )
        };
        let x_hat = combine_batch(
            &front.wit.inputs[l],
            layer.weights.n_in,
            1 << log2_ceil(layer.weights.n_in),
            &eq_table(&rho_b),
        );
        let ctx = StepProver {
            keys,
            layer,
            key_layer: &key.layers[l],
            secrets: &secrets.layers[l],
            batch,
            input_committed: l > 0 || private_input,
        };
        let (step, r1, x_eval) = ctx.prove(&rho_b, row_claim, x_hat, &mut t, rng)?;
        input_points[l] = rho_b.iter().chain(&r1).copied().collect();
        input_evals[l] = x_eval;
        steps[l] = Some(step);
    }
    let openings = prove_openings(
        keys.hyrax,
        bk,
        &front,
        &input_points,
        &input_evals,
        &mut t,
        rng,
    )?;
    Ok(front.finish(spec.checks, steps, openings))
}

/// Where a layer's row part starts: the last layer's public logits claim at `r`, or a
/// hidden layer's committed claim on `M∘z` at `ρ`.
enum RowClaim<C> {
    Public(Vec<F>, C),
    Hidden(Vec<F>, C),
}

/// `Σ_b eq(r_b, b)·Ỹ_b(r)` for the public logits.
fn output_claim(output: &[i32], n_out: usize, r_b: &[F], r: &[F]) -> F {
    let e = eq_table(r);
    inner_product(&combine_batch(output, n_out, e.len(), &eq_table(r_b)), &e)
}

/// A per-row vector (bias, multipliers) as field elements padded to `2^a`.
fn padded_field(values: impl Iterator<Item = i64>, a: usize) -> Vec<F> {
    let mut v: Vec<F> = values.map(from_i64).collect();
    v.resize(1 << a, F::ZERO);
    v
}

/// `z̄ = T·x̂ + bw·b` over the field: one addition per nonzero, parallel over rows.
fn z_bar(layer: &MlpLayer, x_hat: &[F], bw: F, a: usize) -> Vec<F> {
    let w = layer.weights;
    let mut z: Vec<F> = (0..w.n_out)
        .into_par_iter()
        .with_min_len(64)
        .map(|i| {
            let (s, m, e) = (
                w.indptr[i] as usize,
                w.split[i] as usize,
                w.indptr[i + 1] as usize,
            );
            let pos: F = w.indices[s..m].iter().map(|&j| x_hat[j as usize]).sum();
            let neg: F = w.indices[m..e].iter().map(|&j| x_hat[j as usize]).sum();
            pos - neg + bw * from_i64(layer.bias[i] as i64)
        })
        .collect();
    z.resize(1 << a, F::ZERO);
    z
}

/// What the prover needs for one layer's [`HiddenStep`].
struct StepProver<'a> {
    keys: &'a ZkKeys<'a>,
    layer: &'a MlpLayer<'a>,
    key_layer: &'a HidingLayer,
    secrets: &'a LayerSecrets,
    batch: usize,
    input_committed: bool,
}

impl StepProver<'_> {
    /// Proves the layer's step from its row claim; returns the step, the column point
    /// `r'` and the committed input evaluation (when the input is committed).
    fn prove<R: RngCore + CryptoRng>(
        &self,
        rho_b: &[F],
        row_claim: RowClaim<Committed>,
        x_hat: Vec<F>,
        t: &mut Transcript,
        rng: &mut R,
    ) -> crate::Result<(HiddenStep, Vec<F>, Option<Committed>)> {
        let (zk, bk) = (self.keys.mask, &self.keys.mask.blinding);
        let w = self.layer.weights;
        let a = log2_ceil(w.n_out);
        let bw = batch_weight(rho_b, self.batch);
        let z = z_bar(self.layer, &x_hat, bw, a);

        // 1. Rows.
        let (rows, rho2, z_eval, m_eval) = match row_claim {
            RowClaim::Public(r, out) => (None, r, out, None),
            RowClaim::Hidden(rho, target) => {
                let m = padded_field(self.layer.m.iter().copied(), a);
                let terms = [Term {
                    coeff: F::ONE,
                    factors: vec![0, 1, 2],
                }];
                let mut oracle = TermOracle::new(vec![eq_table(&rho), m, z], &terms);
                let (out, rho2) = zk_rounds(zk, &mut oracle, target.value, t, rng)?;
                let ev = oracle.evals();
                let mv = Committed::new(bk, ev[1], rng);
                let zv = Committed::new(bk, ev[2], rng);
                let pv = Committed::new(bk, ev[1] * ev[2], rng);
                t.append_points(
                    labels::PRIVATE_MODEL_ROW_EVALS,
                    &[mv.point, zv.point, pv.point],
                );
                let product = ProductProof::prove(bk, &mv, &zv, &pv, t, rng);
                let fin = Committed::combine(bk, &[(eq_eval(&rho, &rho2), &pv)]);
                let sumcheck = zk_close(zk, out, &target, &fin, t, rng)?;
                let row = RowStep {
                    sumcheck,
                    evals: [mv.point, zv.point, pv.point],
                    product,
                };
                (Some(row), rho2, zv, Some(mv))
            }
        };

        // 2. Bias.
        let bias = padded_field(self.layer.bias.iter().map(|&b| b as i64), a);
        let bv = Committed::new(bk, inner_product(&bias, &eq_table(&rho2)), rng);
        t.append_points(labels::PRIVATE_MODEL_BIAS_EVAL, &[bv.point]);
        let claim = Committed::combine(bk, &[(F::ONE, &z_eval), (-bw, &bv)]);

        // 3. Columns.
        let u = w.bind_rows(&eq_table(&rho2));
        let terms = [Term {
            coeff: F::ONE,
            factors: vec![0, 1],
        }];
        let mut oracle = TermOracle::new(vec![u.clone(), x_hat], &terms);
        let (out, r1) = zk_rounds(zk, &mut oracle, claim.value, t, rng)?;
        let ev = oracle.evals();
        let tv = Committed::new(bk, ev[0], rng);
        t.append_points(labels::PRIVATE_MODEL_WEIGHT_EVAL, &[tv.point]);
        let (input, fin, x_eval) = if self.input_committed {
            let xv = Committed::new(bk, ev[1], rng);
            let pv = Committed::new(bk, ev[0] * ev[1], rng);
            t.append_points(labels::INPUT_EVAL, &[xv.point, pv.point]);
            let product = ProductProof::prove(bk, &tv, &xv, &pv, t, rng);
            (Some(([xv.point, pv.point], product)), pv, Some(xv))
        } else {
            (None, Committed::combine(bk, &[(ev[1], &tv)]), None)
        };
        let sumcheck = zk_close(zk, out, &claim, &fin, t, rng)?;

        // 4. The key's evaluations.
        let hyrax = self.keys.hyrax;
        let point: Vec<F> = rho2.iter().chain(&r1).copied().collect();
        let weights = HidingCommitment {
            commitment: self.key_layer.weights.clone(),
            blinds: self.secrets.weights.clone(),
        };
        let mut key_openings = vec![prove_evaluation_width(
            hyrax, bk, &weights, w.n_in, &point, &u, &tv, t, rng,
        )?];
        let bias_ints: Vec<i64> = self.layer.bias.iter().map(|&b| b as i64).collect();
        key_openings.push(prove_vector_eval(
            hyrax,
            bk,
            &self.key_layer.bias,
            &self.secrets.bias,
            &bias_ints,
            &rho2,
            &bv,
            t,
            rng,
        )?);
        if let (Some(mv), Some(m_com)) = (m_eval, &self.key_layer.m) {
            key_openings.push(prove_vector_eval(
                hyrax,
                bk,
                m_com,
                &self.secrets.m,
                self.layer.m,
                &rho2,
                &mv,
                t,
                rng,
            )?);
        }
        let step = HiddenStep {
            rows,
            bias_eval: bv.point,
            sumcheck,
            weight_eval: tv.point,
            input,
            key_openings,
        };
        Ok((step, r1, x_eval))
    }
}

/// Proves a per-row vector's evaluation at `point` against its blinded key rows.
#[allow(clippy::too_many_arguments)]
fn prove_vector_eval<R: RngCore + CryptoRng>(
    hyrax: &HyraxKey,
    bk: &BlindingKey,
    com: &HyraxCommitment,
    blinds: &[F],
    values: &[i64],
    point: &[F],
    eval: &Committed,
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<DotProductProof> {
    let (rv, cv) = (com.row_vars, com.col_vars);
    let mut padded = values.to_vec();
    padded.resize(1 << (rv + cv), 0);
    let opening = open_ints(&padded, rv, cv, &point[..rv]);
    let hc = HidingCommitment {
        commitment: com.clone(),
        blinds: blinds.to_vec(),
    };
    prove_evaluation_width(hyrax, bk, &hc, 1 << cv, point, &opening, eval, t, rng)
}

/// Verifies a hidden-model proof for `statement` against the hiding key `key` (whose
/// well-formedness proof the caller checks once, [`HidingKey::check`]).
/// `Error::Malformed` for a proof of the wrong shape, `Error::Rejected` naming the
/// failed check, never a panic. Cost: the private-input verifier's group work plus,
/// per layer, MSMs over the key's rows (`n_out` points for the weights) and `n_in`
/// generators.
pub fn verify(
    key: &HidingKey,
    keys: &ZkKeys,
    statement: &Statement,
    proof: &PrivateModelProof,
) -> crate::Result<()> {
    let mut t = transcript(key, statement, &proof.checks);
    verify_on(key, keys, statement, proof, &mut t)
}

fn verify_on(
    key: &HidingKey,
    keys: &ZkKeys,
    statement: &Statement,
    proof: &PrivateModelProof,
    t: &mut Transcript,
) -> crate::Result<()> {
    let (hyrax, zk) = (keys.hyrax, keys.mask);
    let bk = &zk.blinding;
    let shapes = hidden_shapes(key);
    if proof.checks != key.checks() {
        return Err(Error::Malformed(
            "the proof's requantization checks are not the hiding key's".into(),
        ));
    }
    let input_com = match &statement.input {
        PublicInput::Committed(c) => Some(c),
        PublicInput::Clear(_) => None,
    };
    let lay = Layout::from_shapes(&shapes, statement.batch, input_com.is_some(), &proof.checks)?;
    check_shapes(key, &lay, statement, proof)?;
    let c = lay.batch_vars;
    let batch = statement.batch;
    let mut acc = Deferred::new();
    let (claims, layer_claims) = verify_front(keys, &lay, &shapes, batch, proof, t, &mut acc)?;
    let n_layers = key.layers.len();
    let mut input_points: Vec<Vec<F>> = vec![Vec::new(); n_layers];
    let mut input_evals: Vec<Option<GAffine>> = vec![None; n_layers];
    for l in (0..n_layers).rev() {
        let kl = &key.layers[l];
        let step_name = Step::Linear { layer: l };
        let step = &proof.steps[l];
        let a = log2_ceil(kl.n_out);

        // 1. Rows.
        let (rho_b, rho2, z_eval, m_eval) = if l + 1 == n_layers {
            let r_b = t.challenges(labels::BATCH_POINT, c);
            let r = t.challenges(labels::ROW_POINT, a);
            let out = output_claim(&statement.output, kl.n_out, &r_b, &r);
            (r_b, r, combine_points(&[(out, bk.g)]), None)
        } else {
            let p = &claims[lay.hidden[l].first_instance].point;
            let (rho_b, rho) = p.split_at(c);
            let row = step.rows.as_ref().expect("shape-checked");
            let (masked, rho2) = verify_zk_rounds(&row.sumcheck, a, 3, step_name, t)?;
            t.append_points(labels::PRIVATE_MODEL_ROW_EVALS, &row.evals);
            let [mv, zv, pv] = row.evals;
            row.product.defer((mv, zv, pv), t, &mut acc, None);
            let fin = combine_points(&[(eq_eval(rho, &rho2), pv)]);
            verify_zk_close(
                zk,
                &row.sumcheck,
                masked.as_ref(),
                3,
                layer_claims[l].w,
                fin,
                step_name,
                t,
                &mut acc,
            )?;
            (rho_b.to_vec(), rho2, zv, Some(mv))
        };

        // 2. Bias.
        t.append_points(labels::PRIVATE_MODEL_BIAS_EVAL, &[step.bias_eval]);
        let bw = batch_weight(&rho_b, batch);
        let claim = combine_points(&[(F::ONE, z_eval), (-bw, step.bias_eval)]);

        // 3. Columns.
        let b = log2_ceil(kl.n_in);
        let (masked, r1) = verify_zk_rounds(&step.sumcheck, b, 2, step_name, t)?;
        t.append_points(labels::PRIVATE_MODEL_WEIGHT_EVAL, &[step.weight_eval]);
        let fin = match (&step.input, l, &statement.input) {
            (Some(([xv, pv], product)), _, _) => {
                t.append_points(labels::INPUT_EVAL, &[*xv, *pv]);
                product.defer((step.weight_eval, *xv, *pv), t, &mut acc, None);
                input_evals[l] = Some(*xv);
                *pv
            }
            (None, 0, PublicInput::Clear(x)) => {
                let xs: Vec<i32> = x.iter().map(|&v| v as i32).collect();
                let x_hat = combine_batch(&xs, kl.n_in, 1 << b, &eq_table(&rho_b));
                let xv = inner_product(&x_hat, &eq_table(&r1));
                combine_points(&[(xv, step.weight_eval)])
            }
            _ => return Err(Error::Malformed("hidden step input".into())),
        };
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

        // 4. The key's evaluations.
        let point: Vec<F> = rho2.iter().chain(&r1).copied().collect();
        // A failed evaluation names the key's vector (as the public proof's weight
        // opening does).
        let wrap = |what: What| move |_: Check| Error::Rejected(Check::Opening { what });
        let mut opens = step.key_openings.iter();
        let mut next = || opens.next().expect("shape-checked");
        defer_evaluation_width(
            hyrax,
            &kl.weights,
            kl.n_in,
            &point,
            step.weight_eval,
            next(),
            t,
            &mut acc,
            &wrap(What::Weights { layer: l }),
        )?;
        defer_evaluation_width(
            hyrax,
            &kl.bias,
            1 << kl.bias.col_vars,
            &rho2,
            step.bias_eval,
            next(),
            t,
            &mut acc,
            &wrap(What::Bias { layer: l }),
        )?;
        if let (Some(m), Some(mv)) = (&kl.m, m_eval) {
            defer_evaluation_width(
                hyrax,
                m,
                1 << m.col_vars,
                &rho2,
                mv,
                next(),
                t,
                &mut acc,
                &wrap(What::Multipliers { layer: l }),
            )?;
        }
        input_points[l] = rho_b.iter().chain(&r1).copied().collect();
    }
    verify_openings(
        hyrax,
        &lay,
        input_com,
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

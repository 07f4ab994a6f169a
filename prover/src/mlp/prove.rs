//! The MLP prover (the protocol is described in the parent module and `docs/protocol.md`).

use super::witness::{forward, Fault, ModePolicy, Witness};
use super::{
    grid, row_weights, statement_transcript, Layout, LinearStep, MlpLayer, MlpProof, MlpVk,
    PublicInput, RequantCheck, Statement,
};
use crate::eq::eq_table;
use crate::error::Error;
use crate::field::{log2_ceil, F};
use crate::hyrax::{commit_ints_many, open_ints, HyraxCommitment, HyraxKey};
use crate::labels;
use crate::linear::prove_step;
use crate::logup::{self, LookupClaims, LookupInstance, Table};
use crate::requant::{LIMB_BITS, LOW_BITS, MIN_QUOTIENT_BITS};
use crate::transcript::Transcript;
use ark_ff::{AdditiveGroup, Field};
use rayon::prelude::*;
use std::time::Instant;

/// Runs the model on `batch` inputs (`batch × n_in` bytes back to back) and proves the
/// result. With `private_input` the statement carries a commitment to the input
/// instead of the input. Returns the statement (with the computed logits) and the
/// proof.
///
/// Errors: inputs of the wrong length, layers that do not match `vk`'s shapes and
/// parameters, a generator set smaller than [`super::key_vars`], or a requantized
/// value outside `[−2^15, 2^15)` (the model then has no proof for this input).
///
/// Each hidden layer is proven in quotient or direct mode ([`RequantCheck`]; the rule
/// is `witness::prefer_direct`).
///
/// Cost: the integer forward pass (`B·nnz` additions); per layer `nnz` field
/// additions for `u = Tᵀ·e`, `O(B·n_in)` for the batched input and `O(n_in)` for the
/// sumcheck. Per hidden layer in quotient mode: commitments to `(1 + limbs)·B·n` small
/// integers (`y`, `q`, the 12-bit remainder limbs but the top one), the LogUp
/// argument over `(1 + limbs)·B·n` entries, a quotient table of `2^9…2^16` rows (the
/// smallest holding its quotients) and the `2^12`-row limb table. In direct mode:
/// commitments to the `B·n` outputs, a LogUp over `B·n` pairs and a requant table of
/// `2^Z` rows (`Z ≤ 16` the accumulators' width).
pub fn prove(
    layers: &[MlpLayer],
    vk: &MlpVk,
    key: &HyraxKey,
    input: &[u8],
    batch: usize,
    private_input: bool,
) -> crate::Result<(Statement, MlpProof)> {
    prove_timed(layers, vk, key, input, batch, private_input).map(|(s, p, _)| (s, p))
}

/// Where the prover's time went (milliseconds, wall clock).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ProveTimings {
    /// Integer forward pass and witness decomposition.
    pub forward_ms: f64,
    /// Hyrax commitments to the witness (and the private input).
    pub commit_ms: f64,
    /// The batched LogUp argument (multiplicity commitments included).
    pub lookup_ms: f64,
    /// Linear layers: `u = Tᵀ·e`, the batched input, the sumchecks.
    pub linear_ms: f64,
    /// Hyrax opening vectors of the witness.
    pub opening_ms: f64,
}

/// [`prove`], also returning where the time went.
pub fn prove_timed(
    layers: &[MlpLayer],
    vk: &MlpVk,
    key: &HyraxKey,
    input: &[u8],
    batch: usize,
    private_input: bool,
) -> crate::Result<(Statement, MlpProof, ProveTimings)> {
    prove_inner(
        layers,
        vk,
        key,
        input,
        batch,
        private_input,
        Fault::None,
        ModePolicy::Auto,
    )
}

/// Whether every layer has the shape and public parameters of the key.
pub(super) fn check_layers(layers: &[MlpLayer], vk: &MlpVk) -> crate::Result<()> {
    let same = layers.len() == vk.layers.len()
        && layers.iter().zip(&vk.layers).all(|(l, v)| {
            (l.weights.n_out, l.weights.n_in) == (v.n_out, v.n_in)
                && l.bias == &v.bias[..]
                && l.m == &v.m[..]
                && l.k == v.k
        });
    if same {
        Ok(())
    } else {
        Err(Error::Invalid(
            "the model's shapes or quantization parameters differ from the verifying key".into(),
        ))
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn prove_inner(
    layers: &[MlpLayer],
    vk: &MlpVk,
    key: &HyraxKey,
    input: &[u8],
    batch: usize,
    private_input: bool,
    fault: Fault,
    policy: ModePolicy,
) -> crate::Result<(Statement, MlpProof, ProveTimings)> {
    let mut times = ProveTimings::default();
    let mut clock = Instant::now();
    let mut lap = || {
        let now = Instant::now();
        let ms = (now - clock).as_secs_f64() * 1e3;
        clock = now;
        ms
    };
    check_layers(layers, vk)?;
    // Lengths and limb counts do not depend on the checks: the forward pass runs on a
    // provisional layout and picks them.
    let provisional = vec![
        RequantCheck::Quotient {
            bits: MIN_QUOTIENT_BITS
        };
        vk.layers.len() - 1
    ];
    let lay = Layout::new(vk, batch, private_input, &provisional)?;
    if key.max_col_vars() < super::key_vars(vk, batch) {
        return Err(Error::Invalid(format!(
            "the generator set has 2^{} generators, this proof needs 2^{}",
            key.max_col_vars(),
            super::key_vars(vk, batch)
        )));
    }
    let wit = forward(layers, &lay, input, batch, fault, policy)?;
    let checks: Vec<RequantCheck> = wit.hidden.iter().map(|h| h.check).collect();
    let lay = Layout::new(vk, batch, private_input, &checks)?;
    let c = lay.batch_vars;
    times.forward_ms = lap();

    // The input, padded, and its commitment when private.
    let padded_input = lay.input_vars.map(|vars| pad_input(vk.n_in(), vars, input));
    // The private input's and the hidden layers' witness commitments, computed in one
    // batch so that vectors of one column width share the multiples table.
    let mut items: Vec<(&[i64], usize, usize)> = Vec::new();
    if let (Some(x), Some(vars)) = (&padded_input, lay.input_vars) {
        let (rv, cv) = grid(vars);
        items.push((x, rv, cv));
    }
    for (w, h) in wit.hidden.iter().zip(&lay.hidden) {
        let (rv, cv) = grid(h.vars);
        items.extend(w.vectors.iter().map(|v| (&v[..], rv, cv)));
    }
    let mut commitments = commit_ints_many(key, &items)?.into_iter();
    let input_commitment = lay
        .input_vars
        .and(padded_input.as_ref())
        .map(|_| commitments.next().expect("input commitment"));
    let statement = Statement {
        batch,
        input: match &input_commitment {
            Some(com) => PublicInput::Committed(com.clone()),
            None => PublicInput::Clear(input.to_vec()),
        },
        output: wit.output.clone(),
    };
    let mut t = statement_transcript(vk, &statement, &checks);

    // 1. The hidden layers' witness commitments (computed above).
    let witness: Vec<Vec<HyraxCommitment>> = wit
        .hidden
        .iter()
        .map(|w| commitments.by_ref().take(w.vectors.len()).collect())
        .collect();
    for com in witness.iter().flatten() {
        com.absorb(&mut t);
    }
    times.commit_ms = lap();

    // 2. One LogUp argument for every lookup of every layer.
    let mut lookups = lookup_instances(&wit, &lay, padded_input.as_deref());
    if fault_hook!(fault, fault == Fault::WideRangeTable) {
        for l in lookups.iter_mut() {
            if l.table == (Table::Range { bits: LIMB_BITS }) {
                l.table = Table::Range { bits: 16 };
            }
        }
    }
    let (logup_proof, claims) = if lookups.is_empty() {
        (None, LookupClaims { instances: vec![] })
    } else if fault_hook!(fault, !matches!(fault, Fault::None | Fault::WideRangeTable)) {
        let (p, c) = cheating_logup(&lookups, key, &mut t)?;
        (Some(p), c)
    } else {
        let (p, c) = logup::prove(&lookups, key, &mut t)?;
        (Some(p), c)
    };
    times.lookup_ms = lap();

    // 3. Linear layers, last to first.
    let n_layers = layers.len();
    let mut steps = vec![None; n_layers];
    let mut input_points: Vec<Vec<F>> = vec![Vec::new(); n_layers];
    for l in (0..n_layers).rev() {
        let layer = &layers[l];
        let a = log2_ceil(layer.weights.n_out);
        let (rho_b, e) = if l + 1 == n_layers {
            let r_b = t.challenges(labels::BATCH_POINT, c);
            let r = t.challenges(labels::ROW_POINT, a);
            (r_b, eq_table(&r))
        } else {
            let h = &lay.hidden[l];
            let p = &claims.instances[h.first_instance].point;
            (p[..c].to_vec(), row_weights(&p[c..], layer.m, h.direct()))
        };
        let step = prove_step(layer.weights, &e, &wit.inputs[l], &rho_b, &mut t);
        t.append_field(labels::INPUT_EVAL, &step.input_eval);
        t.append_fields(labels::WEIGHT_OPENING, &step.opening);
        input_points[l] = rho_b.iter().chain(&step.point).copied().collect();
        steps[l] = Some(LinearStep {
            sumcheck: step.sumcheck,
            input_eval: step.input_eval,
            opening: step.opening,
        });
    }

    times.linear_ms = lap();

    // 4. Openings, one per point.
    let mut openings = Vec::new();
    if let Some(x) = &padded_input {
        openings.push(open_group(&mut t, &claims.instances[0].point, &[x]));
        openings.push(open_group(&mut t, &input_points[0], &[x]));
    }
    for (l, (w, h)) in wit.hidden.iter().zip(&lay.hidden).enumerate() {
        let p = &claims.instances[h.first_instance].point;
        let all: Vec<&[i64]> = w.vectors.iter().map(|v| &v[..]).collect();
        openings.push(open_group(&mut t, p, &all));
        openings.push(open_group(&mut t, &input_points[l + 1], &[&w.vectors[0]]));
    }

    let proof = MlpProof {
        checks,
        witness,
        logup: logup_proof,
        steps: steps.into_iter().map(|s| s.expect("every layer")).collect(),
        openings,
    };
    times.opening_ms = lap();
    Ok((statement, proof, times))
}

/// The input bytes (`n_in` per input) zero-padded to `2^vars` entries, input `b` at
/// `b·2^⌈log n_in⌉`. Cost: O(2^vars).
pub(super) fn pad_input(n_in: usize, vars: usize, input: &[u8]) -> Vec<i64> {
    let stride = 1 << log2_ceil(n_in);
    let mut x = vec![0i64; 1 << vars];
    for (b, row) in input.chunks(n_in).enumerate() {
        for (j, &v) in row.iter().enumerate() {
            x[b * stride + j] = v as i64;
        }
    }
    x
}

/// The lookup instances in the order of [`Layout::shapes`].
pub(super) fn lookup_instances<'a>(
    wit: &'a Witness,
    lay: &Layout,
    input: Option<&'a [i64]>,
) -> Vec<LookupInstance<'a>> {
    let mut out = Vec::new();
    if let Some(x) = input {
        out.push(LookupInstance::range(LOW_BITS, x));
    }
    for (w, h) in wit.hidden.iter().zip(&lay.hidden) {
        let v = &w.vectors;
        if h.direct() {
            out.push(LookupInstance::clamp(h.first_table(), &w.top, &v[0]));
            continue;
        }
        out.push(LookupInstance::clamp(h.first_table(), &v[1], &v[0]));
        for r in v[2..].iter().chain([&w.top]) {
            out.push(LookupInstance::range(LIMB_BITS, r));
        }
        if let Some(s) = &w.shifted {
            out.push(LookupInstance::range(LIMB_BITS, s));
        }
    }
    out
}

/// A cheating prover's LogUp: multiplicities counted as if every row outside its
/// table were the table's zero row (the most a cheater can make consistent).
fn cheating_logup(
    lookups: &[LookupInstance],
    key: &HyraxKey,
    t: &mut Transcript,
) -> crate::Result<(logup::LogupProof, LookupClaims)> {
    #[cfg(test)]
    {
        let repaired = repaired_columns(lookups);
        let counted = as_instances(lookups, &repaired);
        logup::prove_with_counts_of(lookups, &counted, key, t)
    }
    #[cfg(not(test))]
    {
        let _ = (lookups, key, t);
        Err(Error::Invalid("faults are for tests only".into()))
    }
}

/// Each instance's columns with every row outside its table replaced by the table's
/// zero row: the witness whose multiplicities a cheating prover commits (test-only).
#[cfg(test)]
pub(super) fn repaired_columns(lookups: &[LookupInstance]) -> Vec<Vec<Vec<i64>>> {
    lookups
        .iter()
        .map(|l| {
            let n = l.columns[0].len();
            let zero = l.table.row(l.table.zero_index());
            let mut cols: Vec<Vec<i64>> = l.columns.iter().map(|c| c.to_vec()).collect();
            for i in 0..n {
                let row: Vec<i64> = cols.iter().map(|c| c[i]).collect();
                if l.table.index_of(&row).is_none() {
                    for (k, col) in cols.iter_mut().enumerate() {
                        col[i] = zero[k];
                    }
                }
            }
            cols
        })
        .collect()
}

/// `lookups` with the columns `cols` (test-only).
#[cfg(test)]
pub(super) fn as_instances<'a>(
    lookups: &[LookupInstance],
    cols: &'a [Vec<Vec<i64>>],
) -> Vec<LookupInstance<'a>> {
    lookups
        .iter()
        .zip(cols)
        .map(|(l, cols)| LookupInstance {
            table: l.table,
            columns: cols.iter().map(|c| &c[..]).collect(),
        })
        .collect()
}

/// Opens `Σ_k λ^k·v_k` at `point` (one Hyrax opening for several vectors of one
/// shape); `λ` is drawn here. Cost: `|v_k|` short products per vector.
fn open_group(t: &mut Transcript, point: &[F], vectors: &[&[i64]]) -> Vec<F> {
    let lambda = t.challenge(labels::OPENING_LAMBDA);
    let (rv, cv) = grid(point.len());
    let parts: Vec<Vec<F>> = vectors
        .par_iter()
        .map(|v| open_ints(v, rv, cv, &point[..rv]))
        .collect();
    let mut acc = vec![F::ZERO; 1 << cv];
    let mut w = F::ONE;
    for p in &parts {
        for (a, x) in acc.iter_mut().zip(p) {
            *a += w * x;
        }
        w *= lambda;
    }
    t.append_fields(labels::OPENING, &acc);
    acc
}

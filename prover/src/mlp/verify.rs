//! The MLP verifier: every check the soundness argument in `docs/protocol.md` relies on.

use super::{
    batch_weight, grid, row_weights, statement_transcript, Layout, MlpProof, MlpVk, PublicInput,
    Statement,
};
use crate::eq::eq_table;
use crate::error::{ensure, Check, Committed, Error, Step};
use crate::field::{from_i64, inner_product, log2_ceil, F};
use crate::hyrax::{verify_combination, HyraxCommitment, HyraxKey};
use crate::labels;
use crate::linear::{combine_batch, verify_step};
use crate::logup;
use crate::requant::LIMB_BITS;
use crate::transcript::Transcript;
use ark_ff::{AdditiveGroup, Field};

/// Verifies `proof` for `statement` against the model committed in `vk`.
/// Returns `Ok(())` only if every check passes; `Error::Malformed` for proofs of the
/// wrong shape, `Error::Rejected` for a failed check, never a panic.
///
/// Checks, in transcript order: the shapes; the LogUp argument (tables are the
/// verifier's own); per layer, that the lookup claims agree where they name the same
/// vector, the linear sumcheck from the claim on `M∘z` (hidden layers) or on the public
/// logits (last layer), and the weight opening against the row commitments; the input
/// claim against the public input; every witness claim by a Hyrax opening.
///
/// Cost: `O(B·(n_in + n_out))` to evaluate the public input and output, `O(n)` per
/// layer for eq tables, `O(2^12)` for the tables, and one MSM per layer of size
/// `n_out + 2^⌈log n_in⌉` plus one small MSM per opening point.
pub fn verify(
    vk: &MlpVk,
    key: &HyraxKey,
    statement: &Statement,
    proof: &MlpProof,
) -> crate::Result<()> {
    let committed = matches!(statement.input, PublicInput::Committed(_));
    let lay = Layout::new(vk, statement.batch, committed, &proof.checks)?;
    check_shapes(vk, &lay, statement, proof)?;
    let c = lay.batch_vars;
    let batch = statement.batch;
    let mut t = statement_transcript(vk, statement, &proof.checks);
    for com in proof.witness.iter().flatten() {
        com.absorb(&mut t);
    }
    let claims = match &proof.logup {
        Some(p) => logup::verify(&lay.shapes, key, p, &mut t)?.instances,
        None => Vec::new(),
    };
    let inst = &claims;

    // Per hidden layer: the claim on w = M∘z (quotient mode) or on z (direct mode) at
    // the layer's lookup point, and the evaluations of the committed vectors there.
    let mut layer_evals: Vec<Vec<F>> = Vec::with_capacity(lay.hidden.len());
    let mut w_claims: Vec<F> = Vec::with_capacity(lay.hidden.len());
    for (layer, (h, lv)) in lay.hidden.iter().zip(&vk.layers).enumerate() {
        let j = h.first_instance;
        let point = &inst[j].point;
        for k in 1..h.instances() {
            ensure(inst[j + k].point == *point, Check::LookupPoints { layer })?;
        }
        if h.direct() {
            // (z, y) was looked up: z is not committed, its claim z̃(P) goes to the
            // linear sumcheck (row weights eq(ρ)); y is opened.
            let (z, y) = (inst[j].evals[0], inst[j].evals[1]);
            w_claims.push(z);
            layer_evals.push(vec![y]);
            continue;
        }
        let (q, y) = (inst[j].evals[0], inst[j].evals[1]);
        let limbs: Vec<F> = (0..h.limbs).map(|i| inst[j + 1 + i].evals[0]).collect();
        if h.shifted() {
            let s = inst[j + 1 + h.limbs].evals[0];
            ensure(
                s == limbs[h.limbs - 1] + from_i64(h.shift()),
                Check::ShiftedLimb { layer },
            )?;
        }
        // w̃(P) = 2^k·q̃ + Σ 2^(12 i)·r̃_i − 2^(k−1)·ind(P).
        let two = F::from(2u64);
        let mut w = two.pow([lv.k as u64]) * q;
        for (i, r) in limbs.iter().enumerate() {
            w += two.pow([(LIMB_BITS as usize * i) as u64]) * r;
        }
        let (rho_b, rho) = point.split_at(c);
        let rows: F = eq_table(rho)[..lv.n_out].iter().sum();
        w -= two.pow([lv.k as u64 - 1]) * batch_weight(rho_b, batch) * rows;
        w_claims.push(w);
        // Openings: y, q and the committed limbs. The top limb's claim is not opened: it
        // entered w̃(P), which the linear sumcheck checks against the layer's input.
        let mut evals = vec![y, q];
        evals.extend(&limbs[..h.limbs - 1]);
        layer_evals.push(evals);
    }

    // Linear layers, last to first.
    let n_layers = vk.layers.len();
    let mut input_points: Vec<Vec<F>> = vec![Vec::new(); n_layers];
    for l in (0..n_layers).rev() {
        let lv = &vk.layers[l];
        let a = log2_ceil(lv.n_out);
        let (rho_b, target, e) = if l + 1 == n_layers {
            let r_b = t.challenges(labels::BATCH_POINT, c);
            let r = t.challenges(labels::ROW_POINT, a);
            let er = eq_table(&r);
            let out = inner_product(
                &combine_batch(&statement.output, lv.n_out, 1 << a, &eq_table(&r_b)),
                &er,
            );
            (r_b, out, er)
        } else {
            let h = &lay.hidden[l];
            let p = &inst[h.first_instance].point;
            let e = row_weights(&p[c..], &lv.m, h.direct());
            (p[..c].to_vec(), w_claims[l], e)
        };
        // Claim on T·a: subtract the bias term Σ_b eq(ρ_b,b)·Σ_i e_i·b_i.
        let bias: F = e
            .iter()
            .zip(&lv.bias)
            .map(|(x, &b)| *x * from_i64(b as i64))
            .sum();
        let claim = target - batch_weight(&rho_b, batch) * bias;
        let step = &proof.steps[l];
        let b = log2_ceil(lv.n_in);
        let r1 = verify_step(
            claim,
            b,
            &step.sumcheck,
            &mut t,
            |t| {
                t.append_field(labels::INPUT_EVAL, &step.input_eval);
                t.append_fields(labels::WEIGHT_OPENING, &step.opening);
            },
            |r1| {
                verify_combination(key, &[(&lv.commitment, &e)], &step.opening)
                    .map_err(|e| e.opening_of(Committed::Weights { layer: l }))?;
                Ok(inner_product(&step.opening, &eq_table(r1)))
            },
            |_| Ok(step.input_eval),
        )
        .map_err(|e| e.in_step(Step::Linear { layer: l }))?;
        input_points[l] = rho_b.iter().chain(&r1).copied().collect();
    }

    // The input: evaluated here, or opened with the hidden vectors below.
    let mut groups = proof.openings.iter();
    match &statement.input {
        PublicInput::Clear(x) => {
            let xs: Vec<i32> = x.iter().map(|&v| v as i32).collect();
            let b = log2_ceil(vk.n_in());
            let p = &input_points[0];
            let v = inner_product(
                &combine_batch(&xs, vk.n_in(), 1 << b, &eq_table(&p[..c])),
                &eq_table(&p[c..]),
            );
            ensure(v == proof.steps[0].input_eval, Check::InputClaim)?;
        }
        PublicInput::Committed(com) => {
            check_group(
                &mut t,
                key,
                &inst[0].point,
                &[(com, inst[0].evals[0])],
                groups.next().expect("shape-checked"),
            )?;
            check_group(
                &mut t,
                key,
                &input_points[0],
                &[(com, proof.steps[0].input_eval)],
                groups.next().expect("shape-checked"),
            )?;
        }
    }
    for (l, (coms, evals)) in proof.witness.iter().zip(&layer_evals).enumerate() {
        let p = &inst[lay.hidden[l].first_instance].point;
        let parts: Vec<(&HyraxCommitment, F)> = coms.iter().zip(evals.iter().copied()).collect();
        check_group(
            &mut t,
            key,
            p,
            &parts,
            groups.next().expect("shape-checked"),
        )?;
        check_group(
            &mut t,
            key,
            &input_points[l + 1],
            &[(&coms[0], proof.steps[l + 1].input_eval)],
            groups.next().expect("shape-checked"),
        )?;
    }
    Ok(())
}

/// Checks one batched opening: `λ` drawn, `opening` opens `Σ λ^k·C_k` at `point`, and
/// its value equals `Σ λ^k·eval_k`.
fn check_group(
    t: &mut Transcript,
    key: &HyraxKey,
    point: &[F],
    claims: &[(&HyraxCommitment, F)],
    opening: &[F],
) -> crate::Result<()> {
    let lambda = t.challenge(labels::OPENING_LAMBDA);
    t.append_fields(labels::OPENING, opening);
    let (rv, cv) = grid(point.len());
    let e = eq_table(&point[..rv]);
    let mut weights = Vec::with_capacity(claims.len());
    let (mut w, mut expect) = (F::ONE, F::ZERO);
    for (com, eval) in claims {
        if (com.row_vars, com.col_vars) != (rv, cv) {
            return Err(Error::Malformed("witness commitment shape".into()));
        }
        weights.push(e.iter().map(|x| w * x).collect::<Vec<F>>());
        expect += w * eval;
        w *= lambda;
    }
    let parts: Vec<(&HyraxCommitment, &[F])> = claims
        .iter()
        .zip(&weights)
        .map(|((c, _), w)| (*c, &w[..]))
        .collect();
    verify_combination(key, &parts, opening).map_err(|e| e.opening_of(Committed::Witness))?;
    ensure(
        inner_product(opening, &eq_table(&point[rv..])) == expect,
        Check::OpenedValue,
    )
}

/// Every dimension of the statement and proof against the layout (decoded proofs
/// already have them; this guards proofs built in memory).
fn check_shapes(vk: &MlpVk, lay: &Layout, st: &Statement, proof: &MlpProof) -> crate::Result<()> {
    let bad = |what: &str| Err(Error::Malformed(format!("proof shape: {what}")));
    if st.output.len() != st.batch * vk.n_out() {
        return bad("output length");
    }
    match (&st.input, lay.input_vars) {
        (PublicInput::Clear(x), None) if x.len() == st.batch * vk.n_in() => {}
        (PublicInput::Committed(c), Some(v))
            if (c.row_vars, c.col_vars) == grid(v) && c.rows.len() == 1 << grid(v).0 => {}
        _ => return bad("input"),
    }
    if proof.witness.len() != lay.hidden.len()
        || proof.witness.iter().zip(&lay.hidden).any(|(w, h)| {
            w.len() != h.vectors()
                || w.iter().any(|c| {
                    (c.row_vars, c.col_vars) != grid(h.vars) || c.rows.len() != 1 << grid(h.vars).0
                })
        })
    {
        return bad("witness commitments");
    }
    if proof.steps.len() != vk.layers.len()
        || proof.steps.iter().zip(&vk.layers).any(|(s, l)| {
            let b = log2_ceil(l.n_in);
            s.opening.len() != 1 << b
                || s.sumcheck.rounds.len() != b
                || s.sumcheck.rounds.iter().any(|r| r.len() != 2)
        })
    {
        return bad("linear steps");
    }
    if proof.logup.is_some() == lay.shapes.is_empty() {
        return bad("lookup argument present iff there is something to look up");
    }
    let groups = lay.groups();
    if proof.openings.len() != groups.len()
        || proof
            .openings
            .iter()
            .zip(&groups)
            .any(|(o, &v)| o.len() != 1 << grid(v).1)
    {
        return bad("openings");
    }
    Ok(())
}

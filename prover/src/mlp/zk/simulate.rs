//! The zero-knowledge MLP proof's honest-verifier simulator (test-only; docs/protocol.md,
//! "Why simulated and real proofs are identically distributed"): the shared front and
//! openings (also used by the hidden-model simulator) and the public-model proof.

use super::*;

/// A commitment to a random value (the simulator's stand-in for every commitment).
pub(in crate::mlp) fn random_point<R: RngCore + CryptoRng>(
    bk: &BlindingKey,
    rng: &mut R,
) -> GAffine {
    use crate::pedersen::random_scalar;
    bk.commit(random_scalar(rng), random_scalar(rng))
        .into_affine()
}

/// The simulator's part before the linear layers (test-only): random witness
/// commitments, simulated lookups and shifted-limb proofs, on the programmed
/// transcript `t`. Returns the layout, the witness commitments, the lookup proof, the
/// shifted-limb proofs, the lookup claims and the hidden layers' claims.
#[allow(clippy::type_complexity)]
pub(in crate::mlp) fn simulate_front<R: RngCore + CryptoRng>(
    keys: &ZkKeys,
    shapes: &[LayerShape],
    statement: &Statement,
    checks: &[RequantCheck],
    t: &mut Transcript,
    rng: &mut R,
) -> (
    Layout,
    Vec<Vec<HyraxCommitment>>,
    ZkLogupProof,
    Vec<EqualityProof>,
    Vec<ZkLookupClaim<GAffine>>,
    Vec<LayerClaims<GAffine>>,
) {
    let (key, zk) = (keys.hyrax, keys.mask);
    let bk = &zk.blinding;
    let committed = matches!(statement.input, PublicInput::Committed(_));
    let lay =
        Layout::from_shapes(shapes, statement.batch, committed, checks).expect("valid statement");
    let witness: Vec<Vec<HyraxCommitment>> = lay
        .hidden
        .iter()
        .map(|h| {
            let (rv, cv) = zk_grid(h.vars);
            (0..h.vectors())
                .map(|_| {
                    let rows = (0..1usize << rv)
                        .map(|_| random_point(bk, rng).into())
                        .collect();
                    HyraxCommitment::from_rows(rows, rv, cv)
                })
                .collect()
        })
        .collect();
    for com in witness.iter().flatten() {
        com.absorb(t);
    }
    let (logup, claims) = if lay.shapes.is_empty() {
        (ZkLogupProof::empty(), Vec::new())
    } else {
        zk_logup::simulate(&lay.shapes, key, zk, t, rng)
    };
    let mut shifted = Vec::new();
    let layer_claims = layer_claims_verifier(
        bk,
        &lay,
        shapes,
        statement.batch,
        &claims,
        t,
        |_, s, top, t| {
            shifted.push(EqualityProof::simulate(bk, s, top, t, rng));
            Ok(())
        },
    )
    .expect("the simulated lookup claims share each layer's point");
    (lay, witness, logup, shifted, claims, layer_claims)
}

/// Simulates every opening group (test-only), in [`prove_openings`]'s order.
#[allow(clippy::too_many_arguments)]
pub(in crate::mlp) fn simulate_openings<R: RngCore + CryptoRng>(
    key: &HyraxKey,
    bk: &BlindingKey,
    lay: &Layout,
    input_com: Option<&HyraxCommitment>,
    claims: &[ZkLookupClaim<GAffine>],
    layer_claims: &[LayerClaims<GAffine>],
    witness: &[Vec<HyraxCommitment>],
    input_points: &[Vec<F>],
    input_evals: &[Option<GAffine>],
    t: &mut Transcript,
    rng: &mut R,
) -> Vec<DotProductProof> {
    use crate::hiding_hyrax::simulate_evaluation_many;
    let mut openings = Vec::new();
    let mut open = |t: &mut Transcript, point: &[F], parts: &[(&HyraxCommitment, GAffine)]| {
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
        openings.push(simulate_evaluation_many(
            key, bk, &coms, point, eval, t, rng,
        ));
    };
    if let Some(input_com) = input_com {
        open(t, &claims[0].point, &[(input_com, claims[0].evals[0])]);
        open(
            t,
            &input_points[0],
            &[(input_com, input_evals[0].expect("committed"))],
        );
    }
    for (l, (coms, lc)) in witness.iter().zip(layer_claims).enumerate() {
        let p = &claims[lay.hidden[l].first_instance].point;
        let parts: Vec<(&HyraxCommitment, GAffine)> =
            coms.iter().zip(lc.evals.iter().copied()).collect();
        open(t, p, &parts);
        open(
            t,
            &input_points[l + 1],
            &[(&coms[0], input_evals[l + 1].expect("committed"))],
        );
    }
    openings
}

/// The honest-verifier simulator (test-only): a proof for `statement` (its committed
/// input and logits) made from the public model and the programmed challenges of `t`
/// alone, never the input or an activation. Witness commitments and committed
/// evaluations are commitments to random values, the lookups are simulated
/// ([`zk_logup::simulate`]), the masked rounds are uniform and every Σ-proof and
/// inner-product proof is simulated from its known challenge; `u = Tᵀ·e` is computed
/// from the public weights, as the verifier could.
pub(in crate::mlp) fn simulate<R: RngCore + CryptoRng>(
    layers: &[MlpLayer],
    vk: &MlpVk,
    keys: &ZkKeys,
    statement: &Statement,
    checks: &[RequantCheck],
    t: &mut Transcript,
    rng: &mut R,
) -> ZkMlpProof {
    use crate::masked_sumcheck::{simulate_closing, simulate_rounds};
    let (key, zk) = (keys.hyrax, keys.mask);
    let bk = &zk.blinding;
    let input_com = match &statement.input {
        PublicInput::Committed(c) => c,
        PublicInput::Clear(_) => panic!("the simulator proves committed inputs"),
    };
    let shapes = vk.shapes();
    let (lay, witness, logup, shifted, claims, layer_claims) =
        simulate_front(keys, &shapes, statement, checks, t, rng);
    let (c, batch) = (lay.batch_vars, statement.batch);

    let n_layers = vk.layers.len();
    let mut steps = vec![None; n_layers];
    let mut input_points: Vec<Vec<F>> = vec![Vec::new(); n_layers];
    for l in (0..n_layers).rev() {
        let lv = &vk.layers[l];
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
        let b = log2_ceil(lv.n_in);
        let rounds = (b > 0).then(|| simulate_rounds(zk, b, 2, t, rng));
        let r1 = rounds
            .as_ref()
            .map(|(_, cl)| cl.point.clone())
            .unwrap_or_default();
        use crate::matrix::LinearBackend;
        let u = layers[l].weights.bind_rows(&e);
        t.append_fields(labels::WEIGHT_OPENING, &u);
        let input_eval = random_point(bk, rng);
        t.append_points(labels::INPUT_EVAL, &[input_eval]);
        let fin = combine_points(&[(inner_product(&u, &eq_table(&r1)), input_eval)]);
        let sumcheck = match rounds {
            Some((rounds, cl)) => {
                let closing = simulate_closing(zk, &rounds, &cl, 2, claim, fin, t, rng);
                ZkSumcheck::Masked { rounds, closing }
            }
            None => ZkSumcheck::Empty(EqualityProof::simulate(bk, claim, fin, t, rng)),
        };
        input_points[l] = rho_b.iter().chain(&r1).copied().collect();
        steps[l] = Some(ZkStep {
            sumcheck,
            opening: u,
            input_eval,
        });
    }
    let steps: Vec<ZkStep> = steps.into_iter().map(|s| s.expect("every layer")).collect();
    let input_evals: Vec<Option<GAffine>> = steps.iter().map(|s| Some(s.input_eval)).collect();
    let openings = simulate_openings(
        key,
        bk,
        &lay,
        Some(input_com),
        &claims,
        &layer_claims,
        &witness,
        &input_points,
        &input_evals,
        t,
        rng,
    );
    ZkMlpProof {
        checks: checks.to_vec(),
        witness,
        logup,
        shifted,
        steps,
        openings,
    }
}

/// [`verify`] on a programmed transcript (test-only): the verifier's checks under the
/// simulator's challenges.
pub(in crate::mlp) fn verify_programmed(
    vk: &MlpVk,
    keys: &ZkKeys,
    statement: &Statement,
    proof: &ZkMlpProof,
    challenges: Vec<F>,
) -> crate::Result<()> {
    let PublicInput::Committed(input_com) = &statement.input else {
        return Err(Error::Malformed("a committed input".into()));
    };
    let lay = Layout::new(vk, statement.batch, true, &proof.checks)?;
    check_shapes(vk, &lay, statement, proof)?;
    let mut t = programmed_transcript(vk, statement, &proof.checks, challenges);
    verify_on(vk, keys, &lay, statement, input_com, proof, &mut t)
}

/// The programmed transcript the simulator starts from (test-only).
pub(in crate::mlp) fn simulator_transcript(
    vk: &MlpVk,
    statement: &Statement,
    checks: &[RequantCheck],
    challenges: Vec<F>,
) -> Transcript {
    programmed_transcript(vk, statement, checks, challenges)
}

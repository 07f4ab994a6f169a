//! The hidden-model proof's honest-verifier simulator (test-only; docs/protocol.md,
//! "Zero-knowledge proof, hidden model"): proofs from the key, the statement and
//! programmed challenges alone.

use super::*;
use crate::mlp::zk::{random_point, simulate_front, simulate_openings};

/// The honest-verifier simulator for a hidden model (test-only): a proof for
/// `statement` made from the hiding key and the programmed challenges of `t` alone —
/// never a weight, bias, multiplier, blinding, input or activation. Every commitment
/// is to a random value, every masked sumcheck's rounds uniform, every Σ-proof and
/// inner-product proof simulated from its known challenge.
pub(in crate::mlp) fn simulate<R: RngCore + CryptoRng>(
    key: &HidingKey,
    keys: &ZkKeys,
    statement: &Statement,
    t: &mut Transcript,
    rng: &mut R,
) -> PrivateModelProof {
    use crate::hiding_hyrax::evaluation_statement;
    use crate::masked_sumcheck::{simulate_closing, simulate_rounds};
    use crate::sigma::EqualityProof;
    let (hyrax, zk) = (keys.hyrax, keys.mask);
    let bk = &zk.blinding;
    let shapes = hidden_shapes(key);
    let checks = key.checks();
    let (lay, witness, logup, shifted, claims, layer_claims) =
        simulate_front(keys, &shapes, statement, &checks, t, rng);
    let (c, batch) = (lay.batch_vars, statement.batch);
    let input_com = match &statement.input {
        PublicInput::Committed(c) => Some(c),
        PublicInput::Clear(_) => None,
    };
    let sumcheck = |k: usize,
                    d: usize,
                    sum: GAffine,
                    fin: &dyn Fn(&[F], &mut Transcript, &mut R) -> GAffine,
                    t: &mut Transcript,
                    rng: &mut R| {
        if k == 0 {
            let f = fin(&[], t, rng);
            return (
                ZkSumcheck::Empty(EqualityProof::simulate(bk, sum, f, t, rng)),
                vec![],
            );
        }
        let (rounds, cl) = simulate_rounds(zk, k, d, t, rng);
        let f = fin(&cl.point, t, rng);
        let closing = simulate_closing(zk, &rounds, &cl, d, sum, f, t, rng);
        let point = cl.point.clone();
        (ZkSumcheck::Masked { rounds, closing }, point)
    };
    let n_layers = key.layers.len();
    let mut steps = vec![None; n_layers];
    let mut input_points: Vec<Vec<F>> = vec![Vec::new(); n_layers];
    let mut input_evals: Vec<Option<GAffine>> = vec![None; n_layers];
    for l in (0..n_layers).rev() {
        let kl = &key.layers[l];
        let a = log2_ceil(kl.n_out);
        let (rho_b, rho2, z_eval, rows) = if l + 1 == n_layers {
            let r_b = t.challenges(labels::BATCH_POINT, c);
            let r = t.challenges(labels::ROW_POINT, a);
            let out = output_claim(&statement.output, kl.n_out, &r_b, &r);
            (r_b, r, combine_points(&[(out, bk.g)]), None)
        } else {
            let p = &claims[lay.hidden[l].first_instance].point;
            let (rho_b, rho) = p.split_at(c);
            let evals = [
                random_point(bk, rng),
                random_point(bk, rng),
                random_point(bk, rng),
            ];
            let product = std::cell::RefCell::new(None);
            let (sc, rho2) = sumcheck(
                a,
                3,
                layer_claims[l].w,
                &|rho2, t, rng| {
                    t.append_points(labels::PRIVATE_MODEL_ROW_EVALS, &evals);
                    let [mv, zv, pv] = evals;
                    *product.borrow_mut() = Some(ProductProof::simulate(bk, mv, zv, pv, t, rng));
                    combine_points(&[(eq_eval(rho, rho2), pv)])
                },
                t,
                rng,
            );
            let row = RowStep {
                sumcheck: sc,
                evals,
                product: product.into_inner().expect("simulated"),
            };
            (rho_b.to_vec(), rho2, evals[1], Some(row))
        };
        let bias_eval = random_point(bk, rng);
        t.append_points(labels::PRIVATE_MODEL_BIAS_EVAL, &[bias_eval]);
        let bw = batch_weight(&rho_b, batch);
        let claim = combine_points(&[(F::ONE, z_eval), (-bw, bias_eval)]);
        let weight_eval = random_point(bk, rng);
        let committed = l > 0 || input_com.is_some();
        let input = std::cell::RefCell::new(None);
        let b = log2_ceil(kl.n_in);
        let (sc, r1) = sumcheck(
            b,
            2,
            claim,
            &|r1, t, rng| {
                t.append_points(labels::PRIVATE_MODEL_WEIGHT_EVAL, &[weight_eval]);
                if committed {
                    let (xv, pv) = (random_point(bk, rng), random_point(bk, rng));
                    t.append_points(labels::INPUT_EVAL, &[xv, pv]);
                    let product = ProductProof::simulate(bk, weight_eval, xv, pv, t, rng);
                    *input.borrow_mut() = Some(([xv, pv], product));
                    pv
                } else {
                    let PublicInput::Clear(x) = &statement.input else {
                        unreachable!("a clear input")
                    };
                    let xs: Vec<i32> = x.iter().map(|&v| v as i32).collect();
                    let x_hat = combine_batch(&xs, kl.n_in, 1 << b, &eq_table(&rho_b));
                    combine_points(&[(inner_product(&x_hat, &eq_table(r1)), weight_eval)])
                }
            },
            t,
            rng,
        );
        let input = input.into_inner();
        input_evals[l] = input.as_ref().map(|(e, _)| e[0]);
        let point: Vec<F> = rho2.iter().chain(&r1).copied().collect();
        let mut key_openings = Vec::new();
        let mut opens: Vec<(&HyraxCommitment, usize, &[F], GAffine)> = vec![
            (&kl.weights, kl.n_in, &point, weight_eval),
            (&kl.bias, 1 << kl.bias.col_vars, &rho2, bias_eval),
        ];
        if let (Some(m), Some(r)) = (&kl.m, &rows) {
            opens.push((m, 1 << m.col_vars, &rho2, r.evals[0]));
        }
        for (com, width, p, eval) in opens {
            let st = evaluation_statement(hyrax, com, width, p, eval).expect("fits");
            key_openings.push(DotProductProof::simulate(bk, &st.borrow(), t, rng));
        }
        input_points[l] = rho_b.iter().chain(&r1).copied().collect();
        steps[l] = Some(HiddenStep {
            rows,
            bias_eval,
            sumcheck: sc,
            weight_eval,
            input,
            key_openings,
        });
    }
    let openings = simulate_openings(
        hyrax,
        bk,
        &lay,
        input_com,
        &claims,
        &layer_claims,
        &witness,
        &input_points,
        &input_evals,
        t,
        rng,
    );
    ZkMlpProof {
        checks,
        witness,
        logup,
        shifted,
        steps: steps.into_iter().map(|s| s.expect("every layer")).collect(),
        openings,
    }
}

/// [`verify`] on a programmed transcript (test-only).
pub(in crate::mlp) fn verify_programmed(
    key: &HidingKey,
    keys: &ZkKeys,
    statement: &Statement,
    proof: &PrivateModelProof,
    challenges: Vec<F>,
) -> crate::Result<()> {
    let mut t = simulator_transcript(key, statement, challenges);
    verify_on(key, keys, statement, proof, &mut t)
}

/// The programmed transcript the simulator starts from (test-only).
pub(in crate::mlp) fn simulator_transcript(
    key: &HidingKey,
    statement: &Statement,
    challenges: Vec<F>,
) -> Transcript {
    let mut t = Transcript::programmed(crate::mlp::PROTOCOL, challenges);
    absorb(&mut t, key, statement, &key.checks());
    t
}

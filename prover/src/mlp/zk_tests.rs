//! Tests of the zero-knowledge MLP proof ([`super::zk`]): completeness against the
//! integer reference, every mutated element and every cheating prover of the public
//! tests rejected, wrong statements rejected, and the leak tests of issue 14.

use super::witness::Fault;
use super::zk::{self, prove_inner, ZkKeys, ZkMlpProof};
use super::*;
use crate::error::{Check, Committed, Error, Step};
use crate::field::{to_i64, GAffine};
use crate::hyrax::HyraxKey;
use crate::masked_sumcheck::MaskKey;
use crate::requant::requant;
use crate::ternary::TernaryCsr;
use crate::wire::Skeleton;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::Field;
use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
use ark_std::UniformRand;
use std::sync::OnceLock;
use ternzk_core::random;

type Model = random::RandomMlp;

fn key() -> &'static HyraxKey {
    static KEY: OnceLock<HyraxKey> = OnceLock::new();
    KEY.get_or_init(|| HyraxKey::new(8))
}

fn mask_key() -> &'static MaskKey {
    static KEY: OnceLock<MaskKey> = OnceLock::new();
    KEY.get_or_init(|| MaskKey::new(18))
}

fn keys() -> ZkKeys<'static> {
    ZkKeys {
        hyrax: key(),
        mask: mask_key(),
    }
}

/// The integer reference forward pass, written independently of the prover.
fn reference(m: &Model, x: &[u8]) -> Vec<i32> {
    let mut a: Vec<i64> = x.iter().map(|&v| v as i64).collect();
    for l in 0..m.weights.len() {
        let w = &m.weights[l];
        let z: Vec<i64> = (0..w.n_out)
            .map(|i| {
                m.bias[l][i] as i64 + (0..w.n_in).map(|j| w.get(i, j) as i64 * a[j]).sum::<i64>()
            })
            .collect();
        a = if l + 1 < m.weights.len() {
            z.iter()
                .enumerate()
                .map(|(i, &zi)| requant(zi as i32, m.m[l][i], m.k[l]).2 as i64)
                .collect()
        } else {
            z
        };
    }
    a.iter().map(|&v| v as i32).collect()
}

fn inputs(n: usize, batch: usize, seed: u64) -> Vec<u8> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n * batch).map(|_| rng.gen()).collect()
}

/// The public tests' small model: three hidden layers (k = 7, 12, 29).
fn small() -> &'static (Model, MlpVk) {
    static M: OnceLock<(Model, MlpVk)> = OnceLock::new();
    M.get_or_init(|| {
        let model = Model::new(&[20, 12, 9, 16, 5], 0.4, &[7, 12, 29], 1);
        let vk = MlpVk::commit(&model.layers(), key()).unwrap();
        (model, vk)
    })
}

fn prove_ok(
    model: &Model,
    vk: &MlpVk,
    x: &[u8],
    batch: usize,
    seed: u64,
) -> (Statement, ZkMlpProof) {
    let mut rng = StdRng::seed_from_u64(seed);
    let (st, proof) = zk::prove(&model.layers(), vk, &keys(), x, batch, &mut rng).unwrap();
    zk::verify(vk, &keys(), &st, &proof).expect("honest proof accepted");
    (st, proof)
}

#[test]
fn honest_proofs_verify_and_outputs_match_the_reference() {
    let (model, vk) = small();
    for (batch, seed) in [(1, 1), (3, 2)] {
        let x = inputs(20, batch, seed);
        let (st, proof) = prove_ok(model, vk, &x, batch, seed);
        let want: Vec<i32> = x.chunks(20).flat_map(|xi| reference(model, xi)).collect();
        assert_eq!(st.output, want);
        assert!(matches!(st.input, PublicInput::Committed(_)));
        // The widths come from the model: the same for any input.
        let (_, other) = prove_ok(model, vk, &inputs(20, batch, seed + 10), batch, seed);
        assert_eq!(proof.checks, other.checks);
    }
    // One layer only (no hidden layer: the input's range lookup alone).
    let one = Model::new(&[30, 7], 0.5, &[], 3);
    let one_vk = MlpVk::commit(&one.layers(), key()).unwrap();
    prove_ok(&one, &one_vk, &inputs(30, 2, 4), 2, 4);
}

#[test]
fn direct_mode_layers_verify() {
    // Equal multipliers and a batch large enough for direct mode by the model's bound.
    let mut model = Model::new(&[8, 4, 3], 0.5, &[9], 5);
    model.m[0] = vec![(1i64 << 9) / 5; 4];
    let vk = MlpVk::commit(&model.layers(), key()).unwrap();
    let batch = 1024;
    let checks = super::model_checks::model_checks(&model.layers(), batch).unwrap();
    assert!(
        matches!(checks[0], RequantCheck::Direct { .. }),
        "{checks:?}"
    );
    let x = inputs(8, batch, 6);
    let (st, _) = prove_ok(&model, &vk, &x, batch, 6);
    let want: Vec<i32> = x.chunks(8).flat_map(|xi| reference(&model, xi)).collect();
    assert_eq!(st.output, want);
}

fn scalars_mut(p: &mut ZkMlpProof) -> Vec<&mut F> {
    p.scalars_mut()
}

fn points_mut(p: &mut ZkMlpProof) -> Vec<&mut GAffine> {
    p.points_mut()
}

#[test]
fn every_mutated_proof_element_is_rejected() {
    let model = Model::new(&[10, 6, 4], 0.5, &[13], 7);
    let vk = MlpVk::commit(&model.layers(), key()).unwrap();
    let (st, proof) = prove_ok(&model, &vk, &inputs(10, 2, 8), 2, 8);
    let n_scalars = scalars_mut(&mut proof.clone()).len();
    let n_points = points_mut(&mut proof.clone()).len();
    assert!(n_scalars > 100 && n_points > 100);
    for i in 0..n_scalars {
        let mut p = proof.clone();
        *scalars_mut(&mut p).swap_remove(i) += F::ONE;
        let e = zk::verify(&vk, &keys(), &st, &p);
        assert!(
            matches!(e, Err(Error::Rejected(_) | Error::Malformed(_))),
            "scalar {i}: {e:?}"
        );
    }
    for i in 0..n_points {
        let mut p = proof.clone();
        let q = points_mut(&mut p).swap_remove(i);
        *q = (*q + GAffine::generator()).into_affine();
        let e = zk::verify(&vk, &keys(), &st, &p);
        assert!(
            matches!(e, Err(Error::Rejected(_) | Error::Malformed(_))),
            "point {i}: {e:?}"
        );
    }
}

#[test]
fn wrong_statements_and_keys_are_rejected() {
    let (model, vk) = small();
    let x = inputs(20, 2, 9);
    let (st, proof) = prove_ok(model, vk, &x, 2, 9);
    let mut bad = st.clone();
    bad.output[3] += 1;
    assert!(zk::verify(vk, &keys(), &bad, &proof).is_err());
    // Another input's commitment.
    let (other, _) = prove_ok(model, vk, &inputs(20, 2, 10), 2, 10);
    let mut bad = st.clone();
    bad.input = other.input.clone();
    assert!(zk::verify(vk, &keys(), &bad, &proof).is_err());
    // The input in the clear is not a zero-knowledge statement.
    let mut bad = st.clone();
    bad.input = PublicInput::Clear(x.clone());
    assert!(matches!(
        zk::verify(vk, &keys(), &bad, &proof),
        Err(Error::Malformed(_))
    ));
    // Another batch size, another model.
    let mut bad = st.clone();
    bad.batch = 1;
    assert!(zk::verify(vk, &keys(), &bad, &proof).is_err());
    let other_model = Model::new(&[20, 12, 9, 16, 5], 0.4, &[7, 12, 29], 2);
    let other_vk = MlpVk::commit(&other_model.layers(), key()).unwrap();
    assert!(zk::verify(&other_vk, &keys(), &st, &proof).is_err());
}

fn faulty(model: &Model, vk: &MlpVk, x: &[u8], batch: usize, fault: Fault) -> crate::Result<()> {
    let mut rng = StdRng::seed_from_u64(11);
    let (st, proof) = prove_inner(&model.layers(), vk, &keys(), x, batch, fault, &mut rng)?;
    zk::verify(vk, &keys(), &st, &proof)
}

/// The public tests' cheating provers, in zero-knowledge mode. (The honest prover's
/// debug assertions catch the false relations first, so this runs in release builds.)
/// The narrow-quotient-table cheat has no counterpart: the widths are the model's.
#[test]
#[cfg_attr(debug_assertions, ignore = "cheating provers trip debug assertions")]
fn cheating_provers_are_rejected() {
    let (model, vk) = small();
    let x = inputs(20, 3, 13);
    assert!(faulty(model, vk, &x, 3, Fault::None).is_ok());
    for layer in 0..3 {
        for index in [0, 11] {
            let e = faulty(model, vk, &x, 3, Fault::ReluOutput { layer, index });
            assert!(
                matches!(e, Err(Error::Rejected(Check::LogupRoot { .. }))),
                "ReLU output fault in layer {layer}: {e:?}"
            );
            let e = faulty(
                model,
                vk,
                &x,
                3,
                Fault::RemainderOutOfRange { layer, index },
            );
            assert!(
                matches!(e, Err(Error::Rejected(Check::LogupRoot { .. }))),
                "remainder fault in layer {layer}: {e:?}"
            );
        }
    }
    assert!(matches!(
        faulty(model, vk, &x, 3, Fault::WideRangeTable),
        Err(Error::Malformed(_))
    ));
    for layer in 0..3 {
        let e = faulty(model, vk, &x, 3, Fault::TopLimbZeroed { layer });
        assert_eq!(
            e,
            Err(Error::Rejected(Check::SumcheckFinal {
                step: Step::Linear { layer }
            })),
            "zeroed top limb in layer {layer}"
        );
    }
    // A prover computing with one weight changed (the key commits the original).
    for l in 0..4 {
        let mut bad = model.clone();
        let w = &bad.weights[l];
        let mut dense: Vec<i8> = (0..w.n_out * w.n_in)
            .map(|t| w.get(t / w.n_in, t % w.n_in))
            .collect();
        let at = w.n_in + 2;
        dense[at] = if dense[at] == 1 { -1 } else { 1 };
        bad.weights[l] = TernaryCsr::from_dense(w.n_out, w.n_in, &dense).unwrap();
        let e = faulty(&bad, vk, &x, 3, Fault::None);
        assert!(
            matches!(
                e,
                Err(Error::Rejected(Check::Opening {
                    what: Committed::Weights { .. }
                })) | Err(Error::Invalid(_))
            ),
            "weight in layer {l}: {e:?}"
        );
    }
}

/// Every scalar of a proof but the weight openings `u` (public functions of the model
/// and the challenges).
fn witness_scalars(p: &ZkMlpProof) -> Vec<F> {
    let mut p = p.clone();
    for s in &mut p.steps {
        s.opening.clear();
    }
    scalars_mut(&mut p).into_iter().map(|x| *x).collect()
}

/// The attacks of issue 14 fail: a model with at most 128 inputs (a one-row grid, whose
/// public opening vector used to be the input) has neither its input nor any small
/// integer in the proof, and two proofs of one statement share no element.
#[test]
fn the_input_is_not_in_the_proof_and_proofs_do_not_repeat() {
    let model = Model::new(&[100, 16, 10], 0.3, &[10], 12);
    let vk = MlpVk::commit(&model.layers(), key()).unwrap();
    let x = inputs(100, 1, 13);
    let (st, p1) = prove_ok(&model, &vk, &x, 1, 14);
    // The same input, committed afresh and proven again.
    let (st2, p2) = prove_ok(&model, &vk, &x, 1, 15);
    assert_eq!(st.output, st2.output);
    assert_ne!(st.input, st2.input, "the input commitment is randomized");
    let is_small = |v: &F| to_i64(*v).is_some_and(|x| x.unsigned_abs() < 1 << 40);
    let small = witness_scalars(&p1).iter().filter(|v| is_small(v)).count();
    assert_eq!(
        small, 0,
        "no small integer (the outputs are in the statement only)"
    );
    // In the weight openings `u = Tᵀ·e` the only small integers are the zeros of the
    // padding columns (public: the model has 100 inputs, padded to 128).
    for (s, lv) in p1.steps.iter().zip(&vk.layers) {
        let small: Vec<usize> = (0..s.opening.len())
            .filter(|&j| is_small(&s.opening[j]))
            .collect();
        assert!(small
            .iter()
            .all(|&j| j >= lv.n_in && s.opening[j] == F::ZERO));
    }
    let x_field: Vec<F> = x.iter().map(|&v| F::from(v as u64)).collect();
    assert!(witness_scalars(&p1).iter().all(|v| !x_field.contains(v)));
    let (s1, s2) = (witness_scalars(&p1), witness_scalars(&p2));
    assert!(s1.iter().all(|v| !s2.contains(v)));
    let q2: Vec<GAffine> = points_mut(&mut p2.clone())
        .into_iter()
        .map(|q| *q)
        .collect();
    assert!(points_mut(&mut p1.clone())
        .into_iter()
        .all(|q| !q2.contains(q)));
    // The public proof of the same input, for contrast, shows small integers.
    let (_, public) = super::prove(&model.layers(), &vk, key(), &x, 1, true).unwrap();
    let public_small = public
        .openings
        .iter()
        .flatten()
        .filter(|v| to_i64(**v).is_some_and(|x| x.unsigned_abs() < 1 << 40))
        .count();
    assert!(public_small > 0);
}

/// Honest-verifier zero knowledge for the whole MLP: a simulator that gets the
/// statement (the public model, a commitment to an input it never sees, the logits)
/// and the programmed challenges makes proofs the verifier accepts under them.
#[test]
fn simulated_proofs_verify_under_programmed_challenges() {
    let (model, vk) = small();
    let batch = 2;
    let mut rng = StdRng::seed_from_u64(20);
    // The statement: an honest prover's commitment and logits (the simulator gets
    // only these, not the input).
    let (st, honest) = prove_ok(model, vk, &inputs(20, batch, 21), batch, 21);
    let challenges: Vec<F> = (0..20_000).map(|_| F::rand(&mut rng)).collect();
    let mut t = zk::simulator_transcript(vk, &st, &honest.checks, challenges.clone());
    let sim = zk::simulate(
        &model.layers(),
        vk,
        &keys(),
        &st,
        &honest.checks,
        &mut t,
        &mut rng,
    );
    zk::verify_programmed(vk, &keys(), &st, &sim, challenges.clone())
        .expect("simulated proof accepted");
    // Under other challenges it fails (the simulator needed them), and the ordinary
    // verifier (challenges from the hash) rejects it.
    let mut other = challenges;
    other[5] += F::ONE;
    assert!(zk::verify_programmed(vk, &keys(), &st, &sim, other).is_err());
    assert!(zk::verify(vk, &keys(), &st, &sim).is_err());
}

fn zk_proof_bytes(p: &ZkMlpProof) -> usize {
    p.to_bytes().len()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Cost of the zero-knowledge proof against the public ones on a compiled model:
/// `TERNZK_ZK_MODEL=M.ternzk.safetensors TERNZK_ZK_BATCH=1 cargo test --release -p
/// ternzk-prover --lib zk_cost -- --ignored --nocapture`. Medians of 11 runs of each
/// prover and verifier in this process (random byte inputs); prints one JSON line.
#[test]
#[ignore = "a measurement on a compiled model named by TERNZK_ZK_MODEL"]
fn zk_cost_on_a_compiled_model() {
    use std::time::Instant;
    let path = std::env::var("TERNZK_ZK_MODEL").expect("TERNZK_ZK_MODEL");
    let batch: usize = std::env::var("TERNZK_ZK_BATCH")
        .map(|b| b.parse().expect("a batch size"))
        .unwrap_or(1);
    let reps = 11;
    let model = ternzk_core::engine::CompiledModel::load(std::path::Path::new(&path)).unwrap();
    let layers = model.mlp_layers();
    let key = HyraxKey::new(12);
    let vk = MlpVk::commit(&layers, &key).unwrap();
    let mask = MaskKey::new(zk::mask_vars(&vk, batch));
    let keys = ZkKeys {
        hyrax: &key,
        mask: &mask,
    };
    let x = inputs(vk.n_in(), batch, 99);
    let mut rng = StdRng::seed_from_u64(1);
    let time = |f: &mut dyn FnMut()| {
        f(); // warm-up: one-time tables
        median(
            (0..reps)
                .map(|_| {
                    let t0 = Instant::now();
                    f();
                    t0.elapsed().as_secs_f64() * 1e3
                })
                .collect(),
        )
    };
    let mut public = None;
    let mut committed = None;
    let mut zkp = None;
    let prove_clear =
        time(&mut || public = Some(prove(&layers, &vk, &key, &x, batch, false).unwrap()));
    let prove_committed =
        time(&mut || committed = Some(prove(&layers, &vk, &key, &x, batch, true).unwrap()));
    let prove_zk =
        time(&mut || zkp = Some(zk::prove(&layers, &vk, &keys, &x, batch, &mut rng).unwrap()));
    let (ps, pp) = public.unwrap();
    let (cs, cp) = committed.unwrap();
    let (zs, zp) = zkp.unwrap();
    let verify_clear = time(&mut || verify(&vk, &key, &ps, &pp).unwrap());
    let verify_committed = time(&mut || verify(&vk, &key, &cs, &cp).unwrap());
    let verify_zk = time(&mut || zk::verify(&vk, &keys, &zs, &zp).unwrap());
    let bytes = |s: &Statement, p: &MlpProof| {
        ProofFile {
            vk_digest: vk.digest,
            statement: s.clone(),
            proof: p.clone(),
        }
        .to_bytes()
        .len()
    };
    let (b_clear, b_committed, b_zk) = (bytes(&ps, &pp), bytes(&cs, &cp), zk_proof_bytes(&zp));
    println!(
        "{{\"model\": \"{path}\", \"batch\": {batch}, \"reps\": {reps}, \
         \"prove_ms\": {{\"public\": {prove_clear:.2}, \"committed_input\": {prove_committed:.2}, \"zk\": {prove_zk:.2}}}, \
         \"verify_ms\": {{\"public\": {verify_clear:.2}, \"committed_input\": {verify_committed:.2}, \"zk\": {verify_zk:.2}}}, \
         \"proof_bytes\": {{\"public\": {b_clear}, \"committed_input\": {b_committed}, \"zk\": {b_zk}}}, \
         \"zk_over_public\": {{\"prove\": {:.2}, \"verify\": {:.2}, \"bytes\": {:.2}}}, \
         \"checks\": {{\"public\": \"{:?}\", \"zk\": \"{:?}\"}}}}",
        prove_zk / prove_clear,
        verify_zk / verify_clear,
        b_zk as f64 / b_clear as f64,
        pp.checks,
        zp.checks,
    );
}

/// The public tests' impossible statements, refused by the zero-knowledge prover too.
#[test]
fn provers_refuse_impossible_statements() {
    let (model, vk) = small();
    let mut rng = StdRng::seed_from_u64(30);
    let run =
        |layers: &[MlpLayer], vk: &MlpVk, keys: &ZkKeys, x: &[u8], b: usize, rng: &mut StdRng| {
            zk::prove(layers, vk, keys, x, b, rng)
        };
    // Wrong input length, empty batch.
    assert!(run(&model.layers(), vk, &keys(), &[0; 19], 1, &mut rng).is_err());
    assert!(run(&model.layers(), vk, &keys(), &[0; 20], 0, &mut rng).is_err());
    // Keys too small for the proof.
    let tiny = HyraxKey::new(2);
    let small_keys = ZkKeys {
        hyrax: &tiny,
        mask: mask_key(),
    };
    assert!(run(&model.layers(), vk, &small_keys, &[0; 20], 1, &mut rng).is_err());
    let tiny_mask = MaskKey::new(3);
    let small_mask = ZkKeys {
        hyrax: key(),
        mask: &tiny_mask,
    };
    assert!(run(&model.layers(), vk, &small_mask, &[0; 20], 1, &mut rng).is_err());
    // Layers that differ from the key.
    let mut layers = model.layers();
    layers.pop();
    assert!(run(&layers, vk, &keys(), &[0; 20], 1, &mut rng).is_err());
    // A worst case past 16 bits: refused even for an input whose quotients are small
    // (the width may not come from the input).
    let mut big = Model::new(&[8, 4, 2], 1.0, &[3], 3);
    big.m[0] = vec![1 << 20; 4];
    let vk_big = MlpVk::commit(&big.layers(), key()).unwrap();
    let e = run(&big.layers(), &vk_big, &keys(), &[0; 8], 1, &mut rng).unwrap_err();
    assert!(matches!(e, Error::Invalid(_)), "{e}");
}

/// The public direct-mode cheaters, in zero-knowledge mode (release builds, as
/// [`cheating_provers_are_rejected`]).
#[test]
#[cfg_attr(debug_assertions, ignore = "cheating provers trip debug assertions")]
fn direct_mode_cheaters_are_rejected() {
    let mut model = Model::new(&[8, 4, 3], 0.5, &[9], 5);
    model.m[0] = vec![(1i64 << 9) / 5; 4];
    let vk = MlpVk::commit(&model.layers(), key()).unwrap();
    let batch = 1024;
    let x = inputs(8, batch, 61);
    assert!(faulty(&model, &vk, &x, batch, Fault::None).is_ok());
    for index in [0, 5, 1000] {
        let e = faulty(
            &model,
            &vk,
            &x,
            batch,
            Fault::ReluOutput { layer: 0, index },
        );
        assert!(
            matches!(e, Err(Error::Rejected(Check::LogupRoot { .. }))),
            "{e:?}"
        );
        let e = faulty(
            &model,
            &vk,
            &x,
            batch,
            Fault::DirectZShifted { layer: 0, index },
        );
        assert!(
            matches!(
                e,
                Err(Error::Rejected(Check::SumcheckFinal {
                    step: Step::Linear { .. }
                }))
            ),
            "{e:?}"
        );
    }
}

#[test]
fn proofs_round_trip_through_bytes_and_garbage_is_an_error() {
    let (model, vk) = small();
    for batch in [1, 3] {
        let (st, proof) = prove_ok(model, vk, &inputs(20, batch, 40), batch, 40);
        let bytes = proof.to_bytes();
        let decoded = <ZkMlpProof>::from_bytes(vk, batch, &bytes).unwrap();
        assert_eq!(decoded, proof);
        zk::verify(vk, &keys(), &st, &decoded).unwrap();
        for cut in [0, 1, 5, bytes.len() / 2, bytes.len() - 1] {
            assert!(<ZkMlpProof>::from_bytes(vk, batch, &bytes[..cut]).is_err());
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(<ZkMlpProof>::from_bytes(vk, batch, &longer).is_err());
        let mut other_version = bytes.clone();
        other_version[0] ^= 1;
        assert!(<ZkMlpProof>::from_bytes(vk, batch, &other_version).is_err());
        // Flipped bytes: an error or a rejected proof, never a panic.
        let mut state = 7u64;
        for _ in 0..40 {
            let mut b = bytes.clone();
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            let at = (state >> 33) as usize % b.len();
            b[at] ^= 1 + (state >> 13) as u8 % 255;
            if let Ok(p) = <ZkMlpProof>::from_bytes(vk, batch, &b) {
                assert!(zk::verify(vk, &keys(), &st, &p).is_err());
            }
        }
    }
}

//! Tests of the zero-knowledge MLP proof ([`super::zk`]) that only this mode has:
//! completeness against the integer reference, the simulator, the leak tests of issue
//! 14, its own refusals and the cost measurement. The soundness tests (mutations,
//! wrong statements and keys, cheating provers, bad bytes) run in every mode in
//! `modes.rs`.

use super::test_support::{inputs, reference};
use super::zk::{self, ZkKeys, ZkMlpProof};
use super::*;
use crate::error::Error;
use crate::field::{to_i64, GAffine};
use crate::hyrax::HyraxKey;
use crate::masked_sumcheck::MaskKey;
use crate::wire::Skeleton;
use ark_ff::Field;
use ark_std::rand::{rngs::StdRng, SeedableRng};
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

/// The mask coefficients of a proof's masked sumchecks (linear steps, LogUp layers,
/// table sides): `(committed, least)` — it commits `d + 1` a round of degree `d`; a
/// round polynomial has `d` coefficients free once its sum is fixed, so a mask needs at
/// least `d` uniform ones a round to hide it.
fn mask_coefficients(p: &ZkMlpProof) -> (usize, usize) {
    use crate::logup::zk::ZkSumcheck;
    let count = |s: &ZkSumcheck| match s {
        ZkSumcheck::Masked { rounds, .. } => rounds
            .rounds
            .iter()
            .fold((0, 0), |(c, l), r| (c + r.len() + 1, l + r.len())),
        ZkSumcheck::Empty(_) => (0, 0),
    };
    let add = |a: (usize, usize), b: (usize, usize)| (a.0 + b.0, a.1 + b.1);
    let logup = &p.logup;
    let layers = logup.layers.iter().map(|l| &l.sumcheck);
    let steps = p.steps.iter().map(|s| &s.sumcheck);
    layers
        .chain(&logup.table_sumchecks)
        .chain(steps)
        .map(count)
        .fold((0, 0), add)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Cost of the zero-knowledge proof against the public ones on a compiled model:
/// `TERNZK_ZK_MODEL=M.ternzk.safetensors TERNZK_ZK_BATCH=1 cargo test --release -p
/// ternzk-prover --lib zk_cost -- --ignored --nocapture`. Medians of 11 runs of each
/// prover and verifier in this process (random byte inputs); prints one JSON line.
///
/// It also times the *mask floor*: two prepared MSMs over the least number of mask
/// coefficients these sumchecks need (a commitment and a closing proof's nonce),
/// which any design masking them under Pedersen commitments makes even with every
/// mask in one vector; `floor_over_public` adds it to the committed-input proof (the
/// public proof plus the input's commitment and range check, which hiding the input
/// needs) — a lower bound for a private-input proof of this statement with these
/// sumchecks (docs/decisions.md). `TERNZK_ZK_REPS` sets the runs (default 11).
#[test]
#[ignore = "a measurement on a compiled model named by TERNZK_ZK_MODEL"]
fn zk_cost_on_a_compiled_model() {
    use std::time::Instant;
    let path = std::env::var("TERNZK_ZK_MODEL").expect("TERNZK_ZK_MODEL");
    let batch: usize = std::env::var("TERNZK_ZK_BATCH")
        .map(|b| b.parse().expect("a batch size"))
        .unwrap_or(1);
    let reps = std::env::var("TERNZK_ZK_REPS").map_or(11, |r| r.parse().expect("a count"));
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
    let (committed_mask, n_mask) = mask_coefficients(&zp);
    let bases = crate::msm::FixedBases::new(&crate::generators::derive_generators(
        b"ternzk-zk-mask-floor",
        n_mask,
    ));
    let mask: Vec<F> = (0..2 * n_mask).map(|_| F::rand(&mut rng)).collect();
    let floor = time(&mut || {
        let points = (bases.msm(&mask[..n_mask]), bases.msm(&mask[n_mask..]));
        let _ = std::hint::black_box(points);
    });
    println!(
        "{{\"model\": \"{path}\", \"batch\": {batch}, \"reps\": {reps}, \
         \"prove_ms\": {{\"public\": {prove_clear:.2}, \"committed_input\": {prove_committed:.2}, \"zk\": {prove_zk:.2}}}, \
         \"verify_ms\": {{\"public\": {verify_clear:.2}, \"committed_input\": {verify_committed:.2}, \"zk\": {verify_zk:.2}}}, \
         \"proof_bytes\": {{\"public\": {b_clear}, \"committed_input\": {b_committed}, \"zk\": {b_zk}}}, \
         \"zk_over_public\": {{\"prove\": {:.2}, \"verify\": {:.2}, \"bytes\": {:.2}}}, \
         \"mask_coefficients\": {{\"committed\": {committed_mask}, \"least\": {n_mask}}}, \"mask_floor_ms\": {floor:.2}, \"floor_over_public\": {:.2}, \
         \"checks\": {{\"public\": \"{:?}\", \"zk\": \"{:?}\"}}}}",
        prove_zk / prove_clear,
        verify_zk / verify_clear,
        b_zk as f64 / b_clear as f64,
        (prove_committed + floor) / prove_clear,
        pp.checks,
        zp.checks,
    );
}

/// Statements only the zero-knowledge prover refuses (the refusals common to every mode
/// are in `modes.rs`): a mask key too small, and a model whose worst case is past 16
/// bits even for an input whose quotients are small (the width may not come from the
/// input).
#[test]
fn the_zero_knowledge_prover_refuses_a_small_mask_key_and_a_too_wide_model() {
    let (model, vk) = small();
    let mut rng = StdRng::seed_from_u64(30);
    let tiny_mask = MaskKey::new(3);
    let small_mask = ZkKeys {
        hyrax: key(),
        mask: &tiny_mask,
    };
    let e = zk::prove(&model.layers(), vk, &small_mask, &[0; 20], 1, &mut rng);
    assert!(matches!(e, Err(Error::Invalid(_))), "{e:?}");
    let mut big = Model::new(&[8, 4, 2], 1.0, &[3], 3);
    big.m[0] = vec![1 << 20; 4];
    let vk_big = MlpVk::commit(&big.layers(), key()).unwrap();
    let e = zk::prove(&big.layers(), &vk_big, &keys(), &[0; 8], 1, &mut rng).unwrap_err();
    assert!(matches!(e, Error::Invalid(_)), "{e}");
}

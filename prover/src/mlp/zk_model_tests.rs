//! Tests of the hidden-model proof ([`super::zk_model`]) in both of its modes —
//! private model (clear input) and private both (committed input): completeness
//! against the integer reference, provers computing with other parameters than the
//! key's, mismatched keys refused, the simulator, leak tests and the proof file. Every
//! mutation, wrong statement and key and every `Fault` cheater runs in these modes with
//! all the others in `modes.rs`.

use super::test_support::{inputs, reference};
use super::witness::Fault;
use super::zk::ZkKeys;
use super::zk_model::{self, prove_inner, PrivateModelProof};
use super::*;
use crate::error::{Check, Committed, Error};
use crate::field::{to_i64, GAffine};
use crate::hiding_key::{HidingKey, HidingKeyGens, KeySecrets, PublicQuant};
use crate::hyrax::HyraxKey;
use crate::masked_sumcheck::MaskKey;
use crate::ternary::TernaryCsr;
use crate::wire::Skeleton;
use ark_ff::Field;
use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
use ark_std::UniformRand;
use std::sync::OnceLock;
use ternzk_core::engine::InputQuant;
use ternzk_core::random;

type Model = random::RandomMlp;

fn keys() -> ZkKeys<'static> {
    static HYRAX: OnceLock<HyraxKey> = OnceLock::new();
    static MASK: OnceLock<MaskKey> = OnceLock::new();
    ZkKeys {
        hyrax: HYRAX.get_or_init(|| HyraxKey::new(8)),
        mask: MASK.get_or_init(|| MaskKey::new(18)),
    }
}

fn commit(model: &Model, seed: u64) -> (HidingKey, KeySecrets) {
    let layers = model.layers();
    let gens = HidingKeyGens::for_shapes(layers.iter().map(|l| (l.weights.n_in, l.weights.n_out)));
    let n_out = layers.last().unwrap().weights.n_out;
    let quant = PublicQuant {
        input: InputQuant {
            scale: 1.0 / 255.0,
            zero_point: 0,
            per_feature: None,
        },
        output_scales: vec![0.5; n_out],
    };
    HidingKey::commit(&layers, quant, &gens, &mut StdRng::seed_from_u64(seed)).unwrap()
}

/// A model of three hidden layers (k = 7, 12, 29), its hiding key and secrets.
fn small() -> &'static (Model, HidingKey, KeySecrets) {
    static M: OnceLock<(Model, HidingKey, KeySecrets)> = OnceLock::new();
    M.get_or_init(|| {
        let model = Model::new(&[20, 12, 9, 16, 5], 0.4, &[7, 12, 29], 1);
        let (key, secrets) = commit(&model, 2);
        (model, key, secrets)
    })
}

/// The two hidden-model modes: the input in the clear (private model) or committed
/// (private both).
const MODES: [bool; 2] = [false, true];

fn mode_name(private_input: bool) -> &'static str {
    if private_input {
        "private-both"
    } else {
        "private-model"
    }
}

fn prove_ok(
    model: &Model,
    key: &HidingKey,
    secrets: &KeySecrets,
    x: &[u8],
    batch: usize,
    private_input: bool,
    seed: u64,
) -> (Statement, PrivateModelProof) {
    let mut rng = StdRng::seed_from_u64(seed);
    let (st, proof) = zk_model::prove(
        &model.layers(),
        key,
        secrets,
        &keys(),
        x,
        batch,
        private_input,
        &mut rng,
    )
    .unwrap();
    zk_model::verify(key, &keys(), &st, &proof)
        .unwrap_or_else(|e| panic!("{}: honest proof rejected: {e}", mode_name(private_input)));
    (st, proof)
}

#[test]
fn honest_proofs_verify_and_outputs_match_the_reference() {
    let (model, key, secrets) = small();
    for private_input in MODES {
        for batch in [1, 3] {
            let x = inputs(20, batch, 3 + batch as u64);
            let (st, _) = prove_ok(model, key, secrets, &x, batch, private_input, 4);
            let want: Vec<i32> = x.chunks(20).flat_map(|xi| reference(model, xi)).collect();
            assert_eq!(
                st.output,
                want,
                "{} batch {batch}",
                mode_name(private_input)
            );
            assert_eq!(matches!(st.input, PublicInput::Committed(_)), private_input);
        }
    }
    // A single-layer model (no hidden layer, no lookups) in both modes.
    let one = Model::new(&[9, 4], 0.5, &[], 5);
    let (k1, s1) = commit(&one, 6);
    for private_input in MODES {
        let x = inputs(9, 2, 7);
        let (st, _) = prove_ok(&one, &k1, &s1, &x, 2, private_input, 8);
        let want: Vec<i32> = x.chunks(9).flat_map(|xi| reference(&one, xi)).collect();
        assert_eq!(st.output, want);
    }
}

fn faulty(
    model: &Model,
    key: &HidingKey,
    secrets: &KeySecrets,
    x: &[u8],
    private_input: bool,
    fault: Fault,
) -> crate::Result<()> {
    let mut rng = StdRng::seed_from_u64(11);
    let (st, proof) = prove_inner(
        &model.layers(),
        key,
        secrets,
        &keys(),
        x,
        3,
        private_input,
        fault,
        &mut rng,
    )?;
    zk_model::verify(key, &keys(), &st, &proof)
}

/// A model equal to `model` but for one entry of layer `l`'s weights, bias or
/// multipliers (`what` 0, 1, 2).
fn changed(model: &Model, l: usize, what: usize) -> Model {
    let mut bad = model.clone();
    match what {
        0 => {
            let w = &bad.weights[l];
            let mut dense: Vec<i8> = (0..w.n_out * w.n_in)
                .map(|t| w.get(t / w.n_in, t % w.n_in))
                .collect();
            let at = w.n_in + 2;
            dense[at] = if dense[at] == 1 { -1 } else { 1 };
            bad.weights[l] = TernaryCsr::from_dense(w.n_out, w.n_in, &dense).unwrap();
        }
        1 => bad.bias[l][1] += 1,
        _ => bad.m[l][1] += 1,
    }
    bad
}

/// A prover computing with one weight, bias or multiplier other than the hiding key's
/// (the hidden-model counterpart of the public key's bias and multipliers, which the
/// public verifier reads itself): rejected in both modes, the failed check naming the
/// key's vector. (The parametrized soundness tests, `modes.rs`, cover the rest: every
/// mutation, wrong statements and keys, every `Fault`.) Release builds only: the
/// prover's debug assertions catch the false relations first.
#[test]
#[cfg_attr(debug_assertions, ignore = "cheating provers trip debug assertions")]
fn provers_with_other_parameters_are_rejected() {
    let (model, key, secrets) = small();
    let x = inputs(20, 3, 13);
    for private_input in MODES {
        let name = mode_name(private_input);
        let run = |m: &Model, fault| faulty(m, key, secrets, &x, private_input, fault);
        assert!(run(model, Fault::None).is_ok());
        for l in 0..4 {
            for what in 0..if l < 3 { 3 } else { 2 } {
                let bad = changed(model, l, what);
                let e = run(&bad, Fault::None);
                let vector = [
                    Committed::Weights { layer: l },
                    Committed::Bias { layer: l },
                    Committed::Multipliers { layer: l },
                ][what];
                assert!(
                    e == Err(Error::Rejected(Check::Opening { what: vector }))
                        || matches!(e, Err(Error::Invalid(_))),
                    "{name}: layer {l}, {} changed: {e:?}",
                    ["weight", "bias", "multiplier"][what]
                );
            }
        }
    }
}

/// The secrets of another key, or a model of another shape, are refused by the
/// prover with an error (never a proof that cannot verify).
#[test]
fn provers_refuse_mismatched_keys() {
    let (model, key, _) = small();
    let (_, other_secrets) = commit(model, 40);
    let mut rng = StdRng::seed_from_u64(1);
    let x = inputs(20, 1, 1);
    let e = zk_model::prove(
        &model.layers(),
        key,
        &other_secrets,
        &keys(),
        &x,
        1,
        true,
        &mut rng,
    );
    assert!(matches!(e, Err(Error::Invalid(_))));
    let other = Model::new(&[20, 12, 5], 0.4, &[7], 1);
    let (_, _, secrets) = small();
    let e = zk_model::prove(
        &other.layers(),
        key,
        secrets,
        &keys(),
        &x,
        1,
        true,
        &mut rng,
    );
    assert!(matches!(e, Err(Error::Invalid(_))));
    let e = zk_model::prove(
        &model.layers(),
        key,
        secrets,
        &keys(),
        &x[..19],
        1,
        true,
        &mut rng,
    );
    assert!(matches!(e, Err(Error::Invalid(_))));
}

/// Every scalar of a proof, as field elements.
fn scalars(p: &PrivateModelProof) -> Vec<F> {
    p.clone().scalars_mut().into_iter().map(|x| *x).collect()
}

/// The model is not in the proof: no scalar is a small integer (weights, biases,
/// multipliers and activations are all small), and two proofs of one statement share
/// no element. In private-both mode the input is not in the proof either.
#[test]
fn the_model_is_not_in_the_proof_and_proofs_do_not_repeat() {
    let model = Model::new(&[100, 16, 10], 0.3, &[10], 12);
    let (key, secrets) = commit(&model, 13);
    for private_input in MODES {
        let name = mode_name(private_input);
        let x = inputs(100, 1, 13);
        let (st, p1) = prove_ok(&model, &key, &secrets, &x, 1, private_input, 14);
        let (st2, p2) = prove_ok(&model, &key, &secrets, &x, 1, private_input, 15);
        assert_eq!(st.output, st2.output);
        let is_small = |v: &F| to_i64(*v).is_some_and(|x| x.unsigned_abs() < 1 << 40);
        let small = scalars(&p1).iter().filter(|v| is_small(v)).count();
        assert_eq!(small, 0, "{name}: no small integer in the proof");
        let (s1, s2) = (scalars(&p1), scalars(&p2));
        assert!(s1.iter().all(|v| !s2.contains(v)), "{name}: scalars repeat");
        let q2: Vec<GAffine> = p2.clone().points_mut().into_iter().map(|q| *q).collect();
        assert!(
            p1.clone().points_mut().into_iter().all(|q| !q2.contains(q)),
            "{name}: points repeat"
        );
        // An attacker's try at the first layer's weights: the public proof's weight
        // opening `u = Tᵀ·e` would hold them; here no scalar is any ±1-combination the
        // verifier could form from a row of `T` and the public challenges — in
        // particular no scalar equals a weight, a bias or a multiplier.
        let params: Vec<F> = model
            .bias
            .iter()
            .flatten()
            .map(|&b| F::from(b as i64))
            .chain(model.m.iter().flatten().map(|&m| F::from(m)))
            .chain([F::ONE, -F::ONE])
            .collect();
        assert!(
            s1.iter().all(|v| !params.contains(v)),
            "{name}: a parameter in the proof"
        );
    }
}

/// Honest-verifier zero knowledge for a hidden model, in both modes: a simulator that
/// gets the hiding key, the statement (logits; the input or its commitment) and the
/// programmed challenges — never a weight, bias, multiplier, blinding or activation —
/// makes proofs the verifier accepts under those challenges.
#[test]
fn simulated_proofs_verify_under_programmed_challenges() {
    let (model, key, secrets) = small();
    for private_input in MODES {
        let name = mode_name(private_input);
        let batch = 2;
        let mut rng = StdRng::seed_from_u64(20);
        let (st, _) = prove_ok(
            model,
            key,
            secrets,
            &inputs(20, batch, 21),
            batch,
            private_input,
            21,
        );
        let challenges: Vec<F> = (0..20_000).map(|_| F::rand(&mut rng)).collect();
        let mut t = zk_model::simulator_transcript(key, &st, challenges.clone());
        let sim = zk_model::simulate(key, &keys(), &st, &mut t, &mut rng);
        zk_model::verify_programmed(key, &keys(), &st, &sim, challenges.clone())
            .unwrap_or_else(|e| panic!("{name}: simulated proof rejected: {e}"));
        let mut other = challenges;
        other[5] += F::ONE;
        assert!(zk_model::verify_programmed(key, &keys(), &st, &sim, other).is_err());
        assert!(zk_model::verify(key, &keys(), &st, &sim).is_err());
    }
}

/// The proof file round-trips in both modes; truncated, extended, flipped and
/// other-key files are errors, never panics.
#[test]
fn proof_files_round_trip_and_garbage_is_an_error() {
    let (model, key, secrets) = small();
    let (other_key, _) = commit(model, 50);
    for private_input in MODES {
        let name = mode_name(private_input);
        let (st, proof) = prove_ok(
            model,
            key,
            secrets,
            &inputs(20, 2, 51),
            2,
            private_input,
            51,
        );
        let file = PrivateModelProofFile {
            key_digest: key.digest,
            statement: st,
            proof,
        };
        let bytes = file.to_bytes();
        assert!(PrivateModelProofFile::detect(&bytes));
        let back = PrivateModelProofFile::from_bytes(key, &bytes).unwrap();
        assert_eq!(back, file, "{name}");
        assert_eq!(back.mode(), name);
        zk_model::verify(key, &keys(), &back.statement, &back.proof).unwrap();
        assert!(matches!(
            PrivateModelProofFile::from_bytes(&other_key, &bytes),
            Err(Error::Rejected(Check::ModelDigest))
        ));
        for cut in [0, 10, 60, bytes.len() / 2, bytes.len() - 1] {
            assert!(PrivateModelProofFile::from_bytes(key, &bytes[..cut]).is_err());
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(PrivateModelProofFile::from_bytes(key, &longer).is_err());
        let mut rng = StdRng::seed_from_u64(52);
        for _ in 0..40 {
            let mut b = bytes.clone();
            let i = rng.gen_range(0..b.len());
            b[i] ^= 1 << rng.gen_range(0..8);
            if let Ok(f) = PrivateModelProofFile::from_bytes(key, &b) {
                assert!(
                    f == file || zk_model::verify(key, &keys(), &f.statement, &f.proof).is_err(),
                    "{name}: flipped byte {i} accepted"
                );
            }
        }
    }
}

/// `HidingKey::opens`, the prover's check before proving: the key's own model and
/// secrets pass; a model with one weight, bias or multiplier changed, and another
/// key's secrets, are refused naming what differs.
#[test]
fn the_secret_opens_the_key_to_its_model_only() {
    let (model, key, secrets) = small();
    let gens = key.gens();
    let mut rng = StdRng::seed_from_u64(60);
    key.opens(&gens, &model.layers(), secrets, &mut rng)
        .expect("the committed model");
    for l in 0..4 {
        for what in 0..if l < 3 { 3 } else { 2 } {
            let bad = changed(model, l, what);
            let e = key.opens(&gens, &bad.layers(), secrets, &mut rng);
            let name = ["weights", "biases", "multipliers"][what];
            assert!(
                matches!(&e, Err(Error::Invalid(m)) if m.contains(name) && m.contains(&format!("layer {l}"))),
                "layer {l}, {name}: {e:?}"
            );
        }
    }
    let (_, other_secrets) = commit(model, 61);
    assert!(matches!(
        key.opens(&gens, &model.layers(), &other_secrets, &mut rng),
        Err(Error::Invalid(_))
    ));
}

//! Tests of the public MLP proof that only it has: completeness against the integer
//! reference, the key encoding, the prover's choice of direct or quotient mode (forced
//! per layer through `ModePolicy`) and the direct-mode checks. The soundness tests
//! (mutations, wrong statements and keys, cheating provers, bad bytes) run in every
//! mode in `modes.rs`.

use super::prove::prove_inner;
use super::test_support::{inputs, reference};
use super::witness::{prefer_direct, Fault, ModePolicy};
use super::*;
use crate::error::{Check, Error, Step};
use crate::hyrax::HyraxKey;
use ark_ff::AdditiveGroup;
use std::sync::OnceLock;
use ternzk_core::random;

/// The shared random model.
type Model = random::RandomMlp;

fn key() -> &'static HyraxKey {
    static KEY: OnceLock<HyraxKey> = OnceLock::new();
    KEY.get_or_init(|| HyraxKey::new(8))
}

/// A small model with three hidden layers of different widths and shifts
/// (k = 7: one short limb; k = 12: one full limb; k = 29: three limbs, short top).
fn small() -> &'static (Model, MlpVk) {
    static M: OnceLock<(Model, MlpVk)> = OnceLock::new();
    M.get_or_init(|| {
        let model = Model::new(&[20, 12, 9, 16, 5], 0.4, &[7, 12, 29], 1);
        let vk = MlpVk::commit(&model.layers(), key()).unwrap();
        (model, vk)
    })
}

fn prove_ok(model: &Model, vk: &MlpVk, x: &[u8], batch: usize, private: bool) -> ProofFile {
    prove_policy(model, vk, x, batch, private, ModePolicy::Auto)
}

/// [`prove_ok`] with the prover's mode rule overridden.
fn prove_policy(
    model: &Model,
    vk: &MlpVk,
    x: &[u8],
    batch: usize,
    private: bool,
    policy: ModePolicy,
) -> ProofFile {
    let (statement, proof, _) = prove_inner(
        &model.layers(),
        vk,
        key(),
        x,
        batch,
        private,
        Fault::None,
        policy,
    )
    .unwrap();
    let file = ProofFile {
        vk_digest: vk.digest,
        statement,
        proof,
    };
    let bytes = file.to_bytes();
    let decoded = ProofFile::from_bytes(vk, &bytes).unwrap();
    assert_eq!(decoded, file);
    verify(vk, key(), &decoded.statement, &decoded.proof).expect("honest proof accepted");
    file
}

#[test]
fn honest_proofs_verify_and_outputs_match_the_reference() {
    let (model, vk) = small();
    for (batch, private) in [(1, false), (3, false), (4, true), (1, true), (5, false)] {
        let x = inputs(20, batch, batch as u64);
        let file = prove_ok(model, vk, &x, batch, private);
        let expected: Vec<i32> = x.chunks(20).flat_map(|xi| reference(model, xi)).collect();
        assert_eq!(file.statement.output, expected, "batch {batch}");
        assert_eq!(
            matches!(file.statement.input, PublicInput::Committed(_)),
            private
        );
    }
}

#[test]
fn single_layer_and_wide_models_verify() {
    let one = Model::new(&[33, 7], 0.5, &[], 2);
    let vk = MlpVk::commit(&one.layers(), key()).unwrap();
    let x = inputs(33, 2, 3);
    let f = prove_ok(&one, &vk, &x, 2, false);
    assert_eq!(&f.statement.output[..7], &reference(&one, &x[..33])[..]);
    let two = Model::new(&[64, 100, 3], 0.1, &[20], 4);
    let vk = MlpVk::commit(&two.layers(), key()).unwrap();
    prove_ok(&two, &vk, &inputs(64, 1, 5), 1, true);
}

#[test]
fn vk_round_trips_and_rejects_bad_bytes() {
    let (_, vk) = small();
    let bytes = vk.to_bytes();
    assert_eq!(MlpVk::from_bytes(&bytes).unwrap(), *vk);
    for cut in [0, 7, 8, 12, 40, bytes.len() - 1] {
        assert!(MlpVk::from_bytes(&bytes[..cut]).is_err(), "cut {cut}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(MlpVk::from_bytes(&longer).is_err());
    let mut bad_k = bytes.clone();
    bad_k[8 + 4 + 4 + 8] = 63; // first layer's k
    assert!(MlpVk::from_bytes(&bad_k).is_err());
    let mut other = bytes.clone();
    let last = other.len() - 5;
    other[last] ^= 1; // a point byte: invalid point or a different key
    if let Ok(v) = MlpVk::from_bytes(&other) {
        assert_ne!(v.digest, vk.digest);
    }
}

/// A model like [`small`] whose hidden layers each have one common multiplier (the
/// compiler's per-layer scale mode), so that direct mode is possible everywhere.
fn uniform() -> &'static (Model, MlpVk) {
    static M: OnceLock<(Model, MlpVk)> = OnceLock::new();
    M.get_or_init(|| {
        let mut model = Model::new(&[20, 12, 9, 16, 5], 0.4, &[7, 12, 29], 31);
        for l in 0..3 {
            let n = model.m[l].len();
            model.m[l] = vec![((1i64 << model.k[l]) / 3).max(1); n];
        }
        let vk = MlpVk::commit(&model.layers(), key()).unwrap();
        (model, vk)
    })
}

fn is_direct(c: &RequantCheck) -> bool {
    matches!(c, RequantCheck::Direct { .. })
}

/// A cheating prover with the prover's mode rule overridden: its proof's verdict.
fn faulty_policy(
    model: &Model,
    vk: &MlpVk,
    x: &[u8],
    batch: usize,
    fault: Fault,
    policy: ModePolicy,
) -> crate::Result<()> {
    let (st, proof, _) = prove_inner(&model.layers(), vk, key(), x, batch, false, fault, policy)?;
    verify(vk, key(), &st, &proof)
}

/// Quotients just inside the provable range `[−2^15, 2^15)` (near ±20000) need the
/// widest (2^16) table, and the public prover reaches it (the refusals of impossible
/// statements, in every mode, are in `modes.rs`).
#[test]
fn the_widest_quotient_table_is_reachable() {
    let mut big = Model::new(&[8, 4, 2], 1.0, &[3], 3);
    let x = [255u8; 8];
    let w = &big.weights[0];
    big.k[0] = 1;
    big.m[0] = (0..w.n_out)
        .map(|i| {
            let z = big.bias[0][i] as i64 + (0..8).map(|j| 255 * w.get(i, j) as i64).sum::<i64>();
            if z == 0 {
                0
            } else {
                40_000 / z.abs()
            }
        })
        .collect();
    assert!(big.m[0].iter().any(|&m| m > 0));
    let vk_big = MlpVk::commit(&big.layers(), key()).unwrap();
    let f = prove_ok(&big, &vk_big, &x, 1, false);
    assert_eq!(f.statement.output, reference(&big, &x));
    assert_eq!(
        f.proof.checks,
        vec![RequantCheck::Quotient {
            bits: crate::requant::MAX_QUOTIENT_BITS
        }]
    );
}

#[test]
fn zero_commitment_points_are_handled() {
    // An all-zero input gives identity row commitments; still a valid proof.
    let (model, vk) = small();
    let f = prove_ok(model, vk, &[0; 20], 1, true);
    assert_eq!(f.statement.output, reference(model, &[0; 20]));
    let _ = crate::G::ZERO;
}

#[test]
fn direct_mode_proofs_verify_and_match_the_reference() {
    let (model, vk) = uniform();
    for (batch, private) in [(1, false), (3, false), (4, true), (2, true)] {
        let x = inputs(20, batch, 40 + batch as u64);
        let expected: Vec<i32> = x.chunks(20).flat_map(|xi| reference(model, xi)).collect();
        let f = prove_policy(model, vk, &x, batch, private, ModePolicy::Direct(0b111));
        assert!(f.proof.checks.iter().all(is_direct), "{:?}", f.proof.checks);
        assert_eq!(f.statement.output, expected, "batch {batch}");
        // One committed vector per hidden layer.
        assert!(f.proof.witness.iter().all(|w| w.len() == 1));
        // The same statement in quotient mode (the output is the same).
        let g = prove_policy(model, vk, &x, batch, private, ModePolicy::Direct(0));
        assert!(!g.proof.checks.iter().any(is_direct));
        assert_eq!(g.statement.output, expected);
    }
}

#[test]
fn mixed_modes_across_layers_verify() {
    let (model, vk) = uniform();
    let x = inputs(20, 3, 50);
    let expected: Vec<i32> = x.chunks(20).flat_map(|xi| reference(model, xi)).collect();
    for mask in [0b001u64, 0b010, 0b101, 0b110] {
        for private in [false, true] {
            let f = prove_policy(model, vk, &x, 3, private, ModePolicy::Direct(mask));
            for (l, c) in f.proof.checks.iter().enumerate() {
                assert_eq!(is_direct(c), mask >> l & 1 == 1, "mask {mask:b}");
            }
            assert_eq!(f.statement.output, expected);
        }
    }
}

#[test]
fn the_mode_rule_prefers_direct_for_large_batches() {
    // Possible and paying: B·n ≥ 2^Z.
    assert!(prefer_direct(true, Some(12), 256, 16));
    assert!(prefer_direct(true, Some(16), 256, 256));
    assert!(!prefer_direct(true, Some(16), 255, 256));
    assert!(!prefer_direct(true, Some(12), 1, 256));
    // Impossible: unequal multipliers or accumulators wider than 16 bits.
    assert!(!prefer_direct(false, Some(8), 1 << 16, 256));
    assert!(!prefer_direct(true, None, 1 << 16, 256));
    // The honest prover follows the rule: a narrow, wide-batch layer goes direct.
    let mut model = Model::new(&[4, 64, 3], 0.3, &[9], 8);
    model.m[0] = vec![100; 64];
    model.bias[0] = vec![0; 64];
    let vk = MlpVk::commit(&model.layers(), key()).unwrap();
    let x: Vec<u8> = inputs(4, 16, 9).iter().map(|v| v % 4).collect();
    // |z| ≤ 4·3 = 12 < 2^4, so Z ≤ 5 and B·n = 1024 ≥ 2^Z.
    let f = prove_ok(&model, &vk, &x, 16, false);
    assert!(is_direct(&f.proof.checks[0]), "{:?}", f.proof.checks);
    let expected: Vec<i32> = x.chunks(4).flat_map(|xi| reference(&model, xi)).collect();
    assert_eq!(f.statement.output, expected);
    // Batch 1: B·n = 64 < 2^Z only if Z ≥ 7; here z is small, so check both ways.
    let g = prove_ok(&model, &vk, &x[..4], 1, false);
    let z_bits = match g.proof.checks[0] {
        RequantCheck::Direct { bits } => bits,
        RequantCheck::Quotient { .. } => 0,
    };
    assert!(z_bits == 0 || 64 >= 1 << z_bits);
}

#[test]
fn direct_mode_cheaters_are_rejected() {
    let (model, vk) = uniform();
    let x = inputs(20, 3, 60);
    let all = ModePolicy::Direct(0b111);
    assert!(faulty_policy(model, vk, &x, 3, Fault::None, all).is_ok());
    // The verifier (not the prover) must refuse: a `Rejected`, never a prover error.
    let rejected = |fault, policy, why: fn(&Check) -> bool| {
        let e = faulty_policy(model, vk, &x, 3, fault, policy);
        assert!(
            matches!(&e, Err(Error::Rejected(c)) if why(c)),
            "{fault:?} under {policy:?}: {e:?}"
        );
    };
    for layer in 0..3 {
        for index in [0, 5, 11, 20] {
            for policy in [all, ModePolicy::Direct(1 << layer)] {
                // One ReLU output off: (z, y') is not a table row.
                // LogUp catches it: the witness-side roots no longer match the table.
                rejected(Fault::ReluOutput { layer, index }, policy, |c| {
                    matches!(c, Check::LogupRoot { .. })
                });
                // Another in-range z looked up (with y = f(z + 1) committed): the lookup
                // holds, the linear sumcheck catches the wrong z̃(P).
                rejected(Fault::DirectZShifted { layer, index }, policy, |c| {
                    matches!(
                        c,
                        Check::SumcheckFinal {
                            step: Step::Linear { .. }
                        }
                    )
                });
            }
        }
    }
}

#[test]
fn direct_mode_needs_equal_multipliers_and_a_valid_mode_byte() {
    // The prover does not pick direct mode for unequal multipliers, even when asked.
    let (model, vk) = small();
    let x = inputs(20, 2, 70);
    let f = prove_policy(model, vk, &x, 2, false, ModePolicy::Direct(0b111));
    assert!(!f.proof.checks.iter().any(is_direct));
    // Claiming it is rejected by the verifier (before any other check).
    for l in 0..3 {
        for bits in [1, 9, 12, 16] {
            let mut p = f.proof.clone();
            p.checks[l] = RequantCheck::Direct { bits };
            let e = verify(vk, key(), &f.statement, &p).unwrap_err();
            assert!(e.to_string().contains("multipliers"), "{e}");
        }
    }
    // A key with one multiplier changed makes a direct layer invalid.
    let (umodel, uvk) = uniform();
    let g = prove_policy(umodel, uvk, &x, 2, false, ModePolicy::Direct(0b111));
    let mut layers = uvk.layers.clone();
    layers[1].m[3] += 1;
    let bad_vk = MlpVk::from_layers(layers).unwrap();
    let e = verify(&bad_vk, key(), &g.statement, &g.proof).unwrap_err();
    assert!(e.to_string().contains("multipliers"), "{e}");
    // The mode byte in the file: flipped (direct ↔ quotient) or unknown.
    for file in [&f, &g] {
        let bytes = file.to_bytes();
        let body = bytes.len() - file.proof.to_bytes().len();
        for l in 0..3 {
            for mode in [0u8, 1, 2, 255] {
                let mut b = bytes.clone();
                if b[body + 2 * l] == mode {
                    continue;
                }
                b[body + 2 * l] = mode;
                if let Ok(h) = ProofFile::from_bytes(vk, &b) {
                    assert!(verify(vk, key(), &h.statement, &h.proof).is_err());
                }
                if let Ok(h) = ProofFile::from_bytes(uvk, &b) {
                    assert!(verify(uvk, key(), &h.statement, &h.proof).is_err());
                }
            }
        }
    }
}

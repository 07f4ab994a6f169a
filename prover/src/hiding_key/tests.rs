use super::wellformed::{self, LayerProof, WellFormedProof};
use super::*;
use crate::error::Check;
use crate::field::GAffine;
use crate::labels;
use crate::mlp::MlpVk;
use crate::transcript::Transcript;
use ark_ec::CurveGroup;
use ark_ff::{BigInteger, One, PrimeField};
use ark_std::rand::{rngs::StdRng, SeedableRng};
use ark_std::UniformRand;
use ternzk_core::random::RandomMlp;

/// Two hidden layers with widths that are not powers of two (padding rows and
/// columns), then the logits.
const WIDTHS: [usize; 4] = [12, 7, 6, 3];
const SHIFTS: [u32; 2] = [9, 7];

fn model() -> RandomMlp {
    RandomMlp::new(&WIDTHS, 0.5, &SHIFTS, 7)
}

fn quant() -> PublicQuant {
    PublicQuant {
        input: InputQuant {
            scale: 1.0 / 255.0,
            zero_point: 0,
            per_feature: None,
        },
        output_scales: vec![0.5, 0.25, 0.125],
    }
}

fn gens() -> HidingKeyGens {
    HidingKeyGens::for_shapes(WIDTHS.windows(2).map(|w| (w[0], w[1])))
}

fn honest(seed: u64) -> (HidingKey, KeySecrets) {
    let m = model();
    HidingKey::commit(
        &m.layers(),
        quant(),
        &gens(),
        &mut StdRng::seed_from_u64(seed),
    )
    .unwrap()
}

fn sparse(m: &RandomMlp) -> Vec<SparseWeights> {
    m.layers()
        .iter()
        .map(|l| SparseWeights::from_csr(l.weights))
        .collect()
}

/// Commits `weights` (possibly not ternary or with padding entries) and proves with
/// the honest algorithm, or claiming the true zero-check sum (`true_sum`).
fn commit_with(weights: &[SparseWeights], true_sum: bool) -> HidingKey {
    let m = model();
    let layers = m.layers();
    let params = LayerParams::of(&layers).unwrap();
    let g = gens();
    let mut rng = StdRng::seed_from_u64(3);
    let parts = Committing::new(weights, &params, quant(), &g, &mut rng).unwrap();
    let mut t = wellformed::transcript(&parts.digest);
    let proofs = (0..weights.len())
        .map(|i| {
            wellformed::prove_layer(
                &g,
                i,
                &weights[i],
                &parts.weight_coms[i],
                true_sum,
                &mut t,
                &mut rng,
            )
            .unwrap()
        })
        .collect();
    parts.finish(WellFormedProof { layers: proofs }).0
}

fn insert(w: &mut SparseWeights, index: u64, value: i8) {
    match w.indices.binary_search(&index) {
        Ok(k) => w.values[k] = value,
        Err(k) => {
            w.indices.insert(k, index);
            w.values.insert(k, value);
        }
    }
}

fn ternary_rejection(key: &HidingKey) -> (usize, Check) {
    match key.check(&gens()) {
        Err(Error::Rejected(Check::KeyTernary { layer, cause })) => (layer, *cause),
        other => panic!("expected a KeyTernary rejection, got {other:?}"),
    }
}

#[test]
fn honest_keys_check_and_round_trip() {
    let (key, secrets) = honest(1);
    key.check(&gens()).unwrap();
    let bytes = key.to_bytes();
    let back = HidingKey::from_bytes(&bytes).unwrap();
    assert_eq!(back, key);
    assert_eq!(back.to_bytes(), bytes);
    back.check(&back.gens()).unwrap();
    assert_eq!(secrets.key_digest, key.digest);
    assert_eq!(
        KeySecrets::from_bytes(&secrets.to_bytes()).unwrap(),
        secrets
    );
    // The secret file is not a key and the key is not a secret file.
    assert!(HidingKey::from_bytes(&secrets.to_bytes()).is_err());
    assert!(KeySecrets::from_bytes(&bytes).is_err());
    // The blindings open the commitments: rows of layer 0 minus ρ_g·h are the
    // public (unblinded) rows.
    let m = model();
    let public = MlpVk::commit(&m.layers(), &gens().hyrax).unwrap();
    let h = gens().mask.blinding.h;
    for (l, (hl, pl)) in key.layers.iter().zip(&public.layers).enumerate() {
        for (g, (a, b)) in hl.weights.rows.iter().zip(&pl.commitment.rows).enumerate() {
            let unblinded = (G::from(*a) - h * secrets.layers[l].weights[g]).into_affine();
            assert_eq!(unblinded, *b, "layer {l} row {g}");
            if g < hl.n_out {
                assert_ne!(a, b, "a used row must be blinded");
            }
        }
    }
    // A per-feature quantizer round-trips too.
    let mut q = quant();
    q.input.per_feature = Some(ternzk_core::engine::FeatureQuant {
        scales: vec![0.5; 12],
        zero_points: vec![-3; 12],
    });
    let (key, _) =
        HidingKey::commit(&m.layers(), q, &gens(), &mut StdRng::seed_from_u64(2)).unwrap();
    assert_eq!(HidingKey::from_bytes(&key.to_bytes()).unwrap(), key);
}

/// Where each layer's quotient-table width sits in the key file (the default
/// quantizer: no per-feature block).
fn width_offsets(key: &HidingKey) -> Vec<usize> {
    let mut at = 8 + 4 + 8 + 1 + 4 + 4;
    key.layers
        .iter()
        .map(|l| {
            let here = at + 12;
            let rows =
                l.weights.rows.len() + l.bias.rows.len() + l.m.as_ref().map_or(0, |m| m.rows.len());
            at += 16 + 32 * rows;
            here
        })
        .collect()
}

/// The key records each hidden layer's worst-case quotient width (0 for the last
/// layer), names them as quotient-mode checks, and round-trips them.
#[test]
fn keys_carry_the_model_quotient_widths() {
    let m = model();
    let widths = crate::mlp::model_checks::quotient_widths(&m.layers()).unwrap();
    let (key, _) = honest(12);
    let bits: Vec<u32> = key.layers.iter().map(|l| l.bits).collect();
    assert_eq!(bits, [widths.clone(), vec![0]].concat());
    assert!(widths.iter().all(|b| (9..=16).contains(b)));
    assert_eq!(
        key.checks(),
        widths
            .iter()
            .map(|&bits| RequantCheck::Quotient { bits })
            .collect::<Vec<_>>()
    );
    let bytes = key.to_bytes();
    for (l, at) in width_offsets(&key).into_iter().enumerate() {
        assert_eq!(
            bytes[at..at + 4],
            key.layers[l].bits.to_le_bytes(),
            "layer {l}"
        );
    }
    let back = HidingKey::from_bytes(&bytes).unwrap();
    assert_eq!(back.checks(), key.checks());
    assert_eq!(back.layers[2].bits, 0);
}

/// A changed width: in range, the file decodes to a key whose digest differs, and
/// the well-formedness proof (bound to the digest) fails (`KeyTernary`); out of range
/// (or nonzero for the last layer) the decoder refuses it; on a decoded key whose
/// digest was kept, the recomputed digest differs (`ModelDigest`).
#[test]
fn changed_widths_are_rejected() {
    let (key, _) = honest(13);
    let g = gens();
    let bytes = key.to_bytes();
    let offsets = width_offsets(&key);
    for (l, &at) in offsets.iter().enumerate().take(2) {
        let mut b = bytes.clone();
        b[at] = if key.layers[l].bits == 16 {
            15
        } else {
            b[at] + 1
        };
        let k = HidingKey::from_bytes(&b).unwrap();
        assert_ne!(k.digest, key.digest);
        assert!(
            matches!(
                k.check(&g),
                Err(Error::Rejected(Check::KeyTernary { layer: 0, .. }))
            ),
            "layer {l}: {:?}",
            k.check(&g)
        );
        for v in [0u8, 8, 17, 255] {
            let mut b = bytes.clone();
            b[at] = v;
            let err = HidingKey::from_bytes(&b).unwrap_err();
            assert!(
                matches!(&err, Error::Malformed(e) if e.contains("quotient-table width")),
                "layer {l}, width {v}: {err:?}"
            );
        }
    }
    let mut b = bytes.clone();
    b[offsets[2]] = 9;
    assert!(matches!(
        HidingKey::from_bytes(&b),
        Err(Error::Malformed(_))
    ));
    let mut bad = key.clone();
    bad.layers[0].bits ^= 1;
    assert_eq!(bad.check(&g), Err(Error::Rejected(Check::ModelDigest)));
}

/// A version-1 key (no widths) is refused with a message saying to recreate it.
#[test]
fn version_one_keys_are_refused_clearly() {
    let (key, _) = honest(14);
    let mut bytes = key.to_bytes();
    assert_eq!(bytes[8..12], HIDING_KEY_VERSION.to_le_bytes());
    bytes[8..12].copy_from_slice(&1u32.to_le_bytes());
    match HidingKey::from_bytes(&bytes) {
        Err(Error::Malformed(e)) => {
            assert!(e.contains("predates private-model proofs"), "{e}");
            assert!(e.contains("ternzk commit --hiding"), "{e}");
        }
        other => panic!("expected a Malformed error, got {other:?}"),
    }
    bytes[8..12].copy_from_slice(&3u32.to_le_bytes());
    assert!(matches!(
        HidingKey::from_bytes(&bytes),
        Err(Error::Malformed(_))
    ));
}

#[test]
fn vector_grids_have_whole_padding_rows() {
    assert_eq!(vector_grid(4096), (6, 6));
    assert_eq!(vector_grid(10), (3, 1));
    assert_eq!(vector_grid(7), (3, 0));
    assert_eq!(vector_grid(1), (0, 0));
    for n in 1..300usize {
        let (r, c) = vector_grid(n);
        assert_eq!(n % (1 << c), 0);
        assert!(n <= 1 << (r + c) && (1 << (r + c)) < 2 * n.max(1) + 1);
    }
}

#[test]
fn a_weight_of_two_is_rejected() {
    let m = model();
    for layer in 0..3 {
        let mut w = sparse(&m);
        insert(&mut w[layer], 1, 2);
        // Honest rounds for the claimed sum 0 (release builds: debug builds stop the
        // prover at its own consistency assertion).
        if !cfg!(debug_assertions) {
            let key = commit_with(&w, false);
            assert_eq!(ternary_rejection(&key).0, layer);
        }
        // Consistent rounds for the true (nonzero) sum: the public zero catches it.
        let key = commit_with(&w, true);
        let (l, cause) = ternary_rejection(&key);
        assert_eq!(l, layer);
        assert!(matches!(cause, Check::MaskedClosing(_)), "{cause:?}");
    }
}

#[test]
fn nonzero_padding_is_rejected() {
    let m = model();
    // A padding column (n_in = 7 of 8 columns in layer 1): no generator for it.
    let mut w = sparse(&m);
    insert(&mut w[1], 7, 1);
    let key = commit_with(&w, false);
    let (l, cause) = ternary_rejection(&key);
    assert_eq!(l, 1);
    assert!(matches!(cause, Check::HidingEvaluation(_)), "{cause:?}");
    // A padding row (n_out = 7 of 8 rows in layer 0).
    let mut w = sparse(&m);
    let cv = w[0].col_vars;
    insert(&mut w[0], 7 << cv, -1);
    let key = commit_with(&w, false);
    assert_eq!(
        key.check(&gens()),
        Err(Error::Rejected(Check::KeyPadding {
            layer: 0,
            what: KeyPart::Weights
        }))
    );
    // A bias or multiplier padding row (layer 1 has 6 outputs: a 3×2 grid in 4 rows).
    let (key, _) = honest(4);
    for what in [KeyPart::Bias, KeyPart::Multipliers] {
        let mut bad = key.clone();
        let c = match what {
            KeyPart::Bias => &mut bad.layers[1].bias,
            _ => bad.layers[1].m.as_mut().unwrap(),
        };
        assert_eq!((c.row_vars, c.col_vars), (2, 1));
        c.rows[3] = gens().mask.blinding.g;
        assert_eq!(
            bad.check(&gens()),
            Err(Error::Rejected(Check::KeyPadding { layer: 1, what }))
        );
    }
}

/// One change to a layer's proof.
type Edit<'a> = Box<dyn Fn(&mut LayerProof) + 'a>;

/// Every element of every layer's proof, changed, is rejected.
#[test]
fn tampered_proofs_are_rejected() {
    let (key, _) = honest(5);
    let g = gens();
    let bump_point = |p: &mut GAffine| *p = (G::from(*p) + g.mask.blinding.g).into_affine();
    for layer in 0..key.layers.len() {
        let edits: Vec<Edit> = vec![
            Box::new(|p| bump_point(&mut p.sumcheck.mask)),
            Box::new(|p| p.sumcheck.masked_sum += F::one()),
            Box::new(|p| p.sumcheck.rounds[0][0] += F::one()),
            Box::new(|p| *p.sumcheck.rounds.last_mut().unwrap().last_mut().unwrap() += F::one()),
            Box::new(|p| bump_point(&mut p.powers[0])),
            Box::new(|p| bump_point(&mut p.powers[1])),
            Box::new(|p| bump_point(&mut p.powers[2])),
            Box::new(|p| p.square.responses[0] += F::one()),
            Box::new(|p| bump_point(&mut p.cube.points[2])),
            Box::new(|p| p.closing.z[3] += F::one()),
            Box::new(|p| p.closing.z_beta += F::one()),
            Box::new(|p| p.opening.z[0] += F::one()),
            Box::new(|p| bump_point(&mut p.opening.points[0])),
            Box::new(|p| p.opening.z_delta += F::one()),
        ];
        for (i, edit) in edits.iter().enumerate() {
            let mut bad = key.clone();
            edit(&mut bad.proof.layers[layer]);
            assert!(
                matches!(bad.check(&g), Err(Error::Rejected(Check::KeyTernary { layer: l, .. })) if l == layer),
                "layer {layer}, edit {i} accepted or misnamed"
            );
        }
    }
    // Another key's layers under this key's digest and proof: the digest is recomputed.
    let (other, _) = honest(6);
    let mut bad = key.clone();
    bad.layers = other.layers.clone();
    assert_eq!(bad.check(&g), Err(Error::Rejected(Check::ModelDigest)));
    // Another key's proof (same model, other blindings) does not fit this key.
    let mut bad = key.clone();
    bad.proof = other.proof.clone();
    assert!(bad.check(&g).is_err());
}

/// Byte-level tampering: every flipped byte of the key file is refused by the decoder
/// or by the check.
#[test]
fn tampered_key_bytes_are_rejected() {
    let (key, _) = honest(7);
    let bytes = key.to_bytes();
    let g = gens();
    let mut decoded_then_rejected = 0;
    for i in (0..bytes.len()).step_by(7) {
        let mut b = bytes.clone();
        b[i] ^= 1 << (i % 8);
        match HidingKey::from_bytes(&b) {
            Err(_) => {}
            Ok(k) => {
                assert!(k.check(&g).is_err(), "byte {i} flipped and accepted");
                decoded_then_rejected += 1;
            }
        }
    }
    assert!(decoded_then_rejected > 0);
    // Truncated or extended files.
    assert!(HidingKey::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    let mut long = bytes.clone();
    long.push(0);
    assert!(HidingKey::from_bytes(&long).is_err());
    assert!(HidingKey::from_bytes(&[]).is_err());
}

/// Honest-verifier zero knowledge: with programmed challenges, a simulator that never
/// sees the weights produces a proof the verifier accepts — here for a key whose
/// committed weights are not even ternary (a statement the simulator cannot prove).
#[test]
fn simulated_proofs_are_accepted_under_programmed_challenges() {
    let m = model();
    let mut w = sparse(&m);
    insert(&mut w[0], 1, 2);
    let key = commit_with(&w, true);
    let g = gens();
    let mut rng = StdRng::seed_from_u64(9);
    let per_layer = |l: &HidingLayer| 2 * (l.weights.row_vars + l.weights.col_vars) + 7;
    let count: usize = key.layers.iter().map(per_layer).sum();
    let challenges: Vec<F> = (0..count).map(|_| F::rand(&mut rng)).collect();
    let start = |c: Vec<F>| {
        let mut t = Transcript::programmed(labels::HIDING_KEY_PROTOCOL, c);
        t.append_bytes(labels::HIDING_KEY_DIGEST, &key.digest);
        t
    };
    let mut ts = start(challenges.clone());
    let proofs: Vec<LayerProof> = key
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| wellformed::simulate_layer(&g, i, l, &mut ts, &mut rng))
        .collect();
    let mut tv = start(challenges.clone());
    for (i, (l, p)) in key.layers.iter().zip(&proofs).enumerate() {
        wellformed::verify_layer(&g, i, l, p, &mut tv).unwrap();
    }
    // Under other challenges the simulated proof fails.
    let mut other = challenges;
    let last = other.len() - 1;
    other[last] += F::one();
    let mut tv = start(other);
    let all_ok = key
        .layers
        .iter()
        .zip(&proofs)
        .enumerate()
        .all(|(i, (l, p))| wellformed::verify_layer(&g, i, l, p, &mut tv).is_ok());
    assert!(!all_ok);
}

/// Every scalar and point of a key and its proof, for the leak tests.
fn elements(key: &HidingKey) -> (Vec<GAffine>, Vec<F>) {
    let mut points = Vec::new();
    let mut fields = Vec::new();
    for l in &key.layers {
        points.extend(&l.weights.rows);
        points.extend(&l.bias.rows);
        if let Some(m) = &l.m {
            points.extend(&m.rows);
        }
    }
    for p in &key.proof.layers {
        points.push(p.sumcheck.mask);
        fields.push(p.sumcheck.masked_sum);
        fields.extend(p.sumcheck.rounds.iter().flatten());
        points.extend(p.powers);
        for q in [&p.square, &p.cube] {
            points.extend(q.points);
            fields.extend(q.responses);
        }
        for d in [&p.closing, &p.opening] {
            points.extend(d.points);
            fields.extend(&d.z);
            fields.extend([d.z_delta, d.z_beta]);
        }
    }
    (points, fields)
}

/// Leak tests: no small integer (a weight, bias or multiplier in the clear) among the
/// key's scalars, and two keys of one model share no point or scalar except the
/// identity rows of the padding, which the widths fix.
#[test]
fn keys_hold_no_small_integers_and_two_keys_share_nothing() {
    let (a, _) = honest(10);
    let (b, _) = honest(11);
    assert_eq!(a.layers.len(), b.layers.len());
    assert_ne!(a.digest, b.digest);
    let small = |f: &F| {
        let v = f.into_bigint();
        let neg = (-*f).into_bigint();
        v.num_bits() <= 40 || neg.num_bits() <= 40
    };
    let (pa, fa) = elements(&a);
    let (pb, fb) = elements(&b);
    assert!(!fa.iter().any(small), "a small integer in the key");
    let identity = GAffine::zero();
    let shared_points = pa
        .iter()
        .filter(|p| **p != identity && pb.contains(p))
        .count();
    assert_eq!(shared_points, 0);
    assert!(fa.iter().all(|f| !fb.contains(f)));
    // The identity rows are exactly the padding the widths imply.
    let padding: usize = a
        .layers
        .iter()
        .map(|l| {
            let vec_pad = (1 << l.bias.row_vars) - (l.n_out >> l.bias.col_vars);
            (l.weights.rows.len() - l.n_out) + vec_pad * (1 + l.m.is_some() as usize)
        })
        .sum();
    assert_eq!(pa.iter().filter(|p| **p == identity).count(), padding);
}

use super::prove::prove_inner;
use super::witness::Fault;
use super::*;
use crate::hyrax::HyraxKey;
use crate::random;
use crate::requant::requant;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, Field};
use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
use std::sync::OnceLock;

/// The shared random model, plus an integer reference written independently of the
/// prover.
type Model = random::RandomMlp;

trait Reference {
    fn reference(&self, x: &[u8]) -> Vec<i32>;
}

impl Reference for Model {
    /// The integer reference forward pass, written independently of the prover.
    fn reference(&self, x: &[u8]) -> Vec<i32> {
        let mut a: Vec<i64> = x.iter().map(|&v| v as i64).collect();
        for l in 0..self.weights.len() {
            let w = &self.weights[l];
            let mut z = vec![0i64; w.n_out];
            for (i, zi) in z.iter_mut().enumerate() {
                *zi = self.bias[l][i] as i64
                    + (0..w.n_in).map(|j| w.get(i, j) as i64 * a[j]).sum::<i64>();
            }
            a = if l + 1 < self.weights.len() {
                z.iter()
                    .enumerate()
                    .map(|(i, &zi)| requant(zi as i32, self.m[l][i], self.k[l]).2 as i64)
                    .collect()
            } else {
                z
            };
        }
        a.iter().map(|&v| v as i32).collect()
    }
}

fn key() -> &'static HyraxKey {
    static KEY: OnceLock<HyraxKey> = OnceLock::new();
    KEY.get_or_init(|| HyraxKey::new(8))
}

fn inputs(n: usize, batch: usize, seed: u64) -> Vec<u8> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n * batch).map(|_| rng.gen()).collect()
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
    let (statement, proof) = prove(&model.layers(), vk, key(), x, batch, private).unwrap();
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
        let expected: Vec<i32> = x.chunks(20).flat_map(|xi| model.reference(xi)).collect();
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
    assert_eq!(&f.statement.output[..7], &one.reference(&x[..33])[..]);
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

/// Every field element of a proof, mutably, in encoding order.
fn field_refs(p: &mut MlpProof) -> Vec<&mut F> {
    let mut v: Vec<&mut F> = Vec::new();
    if let Some(lp) = p.logup.as_mut() {
        for r in lp.roots.iter_mut() {
            v.extend(r.iter_mut());
        }
        v.extend(lp.table_sums.iter_mut());
        for layer in lp.layers.iter_mut() {
            for round in layer.sumcheck.rounds.iter_mut() {
                v.extend(round.iter_mut());
            }
            for ch in layer.children.iter_mut() {
                v.extend(ch.iter_mut());
            }
        }
        for e in lp.column_evals.iter_mut() {
            v.extend(e.iter_mut());
        }
        for s in lp.table_sumchecks.iter_mut() {
            for round in s.rounds.iter_mut() {
                v.extend(round.iter_mut());
            }
        }
        for o in lp.multiplicity_openings.iter_mut() {
            v.extend(o.iter_mut());
        }
    }
    for s in p.steps.iter_mut() {
        for round in s.sumcheck.rounds.iter_mut() {
            v.extend(round.iter_mut());
        }
        v.push(&mut s.input_eval);
        v.extend(s.opening.iter_mut());
    }
    for o in p.openings.iter_mut() {
        v.extend(o.iter_mut());
    }
    v
}

fn point_refs(p: &mut MlpProof) -> Vec<&mut crate::GAffine> {
    let mut v = Vec::new();
    for c in p.witness.iter_mut().flatten() {
        v.extend(c.rows.iter_mut());
    }
    if let Some(lp) = p.logup.as_mut() {
        for c in lp.multiplicity_commitments.iter_mut() {
            v.extend(c.rows.iter_mut());
        }
    }
    v
}

#[test]
fn every_mutated_proof_element_is_rejected() {
    let model = Model::new(&[10, 6, 4], 0.5, &[13], 7);
    let vk = MlpVk::commit(&model.layers(), key()).unwrap();
    for private in [false, true] {
        let f = prove_ok(&model, &vk, &inputs(10, 2, 8), 2, private);
        let n_fields = field_refs(&mut f.proof.clone()).len();
        let n_points = point_refs(&mut f.proof.clone()).len();
        assert!(n_fields > 100 && n_points > 10);
        for i in 0..n_fields {
            let mut p = f.proof.clone();
            *field_refs(&mut p)[i] += F::ONE;
            assert!(
                verify(&vk, key(), &f.statement, &p).is_err(),
                "field {i} of {n_fields} mutated and accepted"
            );
        }
        for i in 0..n_points {
            let mut p = f.proof.clone();
            let mut refs = point_refs(&mut p);
            *refs[i] = (*refs[i] + crate::GAffine::generator()).into_affine();
            assert!(
                verify(&vk, key(), &f.statement, &p).is_err(),
                "point {i} mutated and accepted"
            );
        }
        // The quotient-table widths: any other (valid) width is rejected.
        for l in 0..f.proof.quotient_bits.len() {
            for other in [9u32, 10, 12, 16] {
                if other == f.proof.quotient_bits[l] {
                    continue;
                }
                let mut p = f.proof.clone();
                p.quotient_bits[l] = other;
                assert!(
                    verify(&vk, key(), &f.statement, &p).is_err(),
                    "quotient width of layer {l} set to {other} and accepted"
                );
            }
            let mut p = f.proof.clone();
            p.quotient_bits[l] = 17;
            assert!(verify(&vk, key(), &f.statement, &p).is_err());
        }
        if let PublicInput::Committed(c) = &f.statement.input {
            for i in 0..c.rows.len() {
                let mut st = f.statement.clone();
                if let PublicInput::Committed(c) = &mut st.input {
                    c.rows[i] = (c.rows[i] + crate::GAffine::generator()).into_affine();
                }
                assert!(verify(&vk, key(), &st, &f.proof).is_err());
            }
        }
    }
}

#[test]
fn wrong_statements_and_keys_are_rejected() {
    let (model, vk) = small();
    let x = inputs(20, 2, 11);
    let f = prove_ok(model, vk, &x, 2, false);
    // Output changed (each entry in turn).
    for i in 0..f.statement.output.len() {
        let mut st = f.statement.clone();
        st.output[i] += 1;
        assert!(verify(vk, key(), &st, &f.proof).is_err(), "output {i}");
    }
    // Input changed (a few entries, both batch members).
    for i in [0, 7, 19, 20, 39] {
        let mut st = f.statement.clone();
        if let PublicInput::Clear(x) = &mut st.input {
            x[i] ^= 1;
        }
        assert!(verify(vk, key(), &st, &f.proof).is_err(), "input {i}");
    }
    // Batch size changed.
    let mut st = f.statement.clone();
    st.batch = 1;
    assert!(verify(vk, key(), &st, &f.proof).is_err());
    // Another model's key (same shapes, other weights), and a key differing only
    // in one bias or one multiplier.
    let other = Model::new(&[20, 12, 9, 16, 5], 0.4, &[7, 12, 29], 99);
    let other_vk = MlpVk::commit(&other.layers(), key()).unwrap();
    assert!(verify(&other_vk, key(), &f.statement, &f.proof).is_err());
    assert!(ProofFile::from_bytes(&other_vk, &f.to_bytes()).is_err());
    let mut layers = vk.layers.clone();
    layers[1].bias[3] += 1;
    let vk_b = MlpVk::from_layers(layers).unwrap();
    assert!(verify(&vk_b, key(), &f.statement, &f.proof).is_err());
    let mut layers = vk.layers.clone();
    layers[0].m[2] += 1;
    let vk_m = MlpVk::from_layers(layers).unwrap();
    assert!(verify(&vk_m, key(), &f.statement, &f.proof).is_err());
    // The proof of one input presented for another.
    let g = prove_ok(model, vk, &inputs(20, 2, 12), 2, false);
    assert!(verify(vk, key(), &g.statement, &f.proof).is_err());
}

/// A cheater that proves with its own faulty witness must be rejected.
fn faulty(model: &Model, vk: &MlpVk, x: &[u8], batch: usize, fault: Fault) -> crate::Result<()> {
    let (st, proof, _) = prove_inner(&model.layers(), vk, key(), x, batch, false, fault)?;
    verify(vk, key(), &st, &proof)
}

#[test]
fn cheating_provers_are_rejected() {
    let (model, vk) = small();
    let x = inputs(20, 3, 13);
    assert!(faulty(model, vk, &x, 3, Fault::None).is_ok());
    for layer in 0..3 {
        for index in [0, 5, 11] {
            let e = faulty(model, vk, &x, 3, Fault::ReluOutput { layer, index });
            assert!(e.is_err(), "ReLU output fault in layer {layer} accepted");
            let e = faulty(
                model,
                vk,
                &x,
                3,
                Fault::RemainderOutOfRange { layer, index },
            );
            assert!(e.is_err(), "remainder fault in layer {layer} accepted");
        }
    }
    assert!(faulty(model, vk, &x, 3, Fault::WideRangeTable).is_err());
    // The top remainder limb is not committed: looking up another (in-range) vector
    // in its place must be caught by the linear sumcheck.
    for layer in 0..3 {
        let e = faulty(model, vk, &x, 3, Fault::TopLimbZeroed { layer });
        assert!(e.is_err(), "zeroed top limb in layer {layer} accepted");
    }
    // A quotient table narrower than the quotients (wide quotients: large multipliers).
    let mut wide = Model::new(&[20, 12, 6, 5], 0.4, &[7, 7], 17);
    wide.m[0] = vec![3 << 7; 12];
    let wide_vk = MlpVk::commit(&wide.layers(), key()).unwrap();
    let (_, honest) = prove(&wide.layers(), &wide_vk, key(), &x, 3, false).unwrap();
    assert!(honest.quotient_bits[0] > crate::requant::MIN_QUOTIENT_BITS);
    let e = faulty(
        &wide,
        &wide_vk,
        &x,
        3,
        Fault::NarrowQuotientTable { layer: 0 },
    );
    assert!(e.is_err(), "a too narrow quotient table was accepted");
    // A prover computing with one weight changed (the key commits the original).
    for l in 0..4 {
        let mut bad = model.clone();
        let w = &bad.weights[l];
        let (i, j) = (1, 2);
        let mut dense: Vec<i8> = (0..w.n_out * w.n_in)
            .map(|t| w.get(t / w.n_in, t % w.n_in))
            .collect();
        dense[i * w.n_in + j] = if dense[i * w.n_in + j] == 1 { -1 } else { 1 };
        bad.weights[l] = TernaryCsr::from_dense(w.n_out, w.n_in, &dense).unwrap();
        let (st, proof) = prove(&bad.layers(), vk, key(), &x, 3, false).unwrap();
        assert!(
            verify(vk, key(), &st, &proof).is_err(),
            "weight in layer {l}"
        );
    }
}

#[test]
fn provers_refuse_impossible_statements() {
    let (model, vk) = small();
    // Wrong input length.
    assert!(prove(&model.layers(), vk, key(), &[0; 19], 1, false).is_err());
    assert!(prove(&model.layers(), vk, key(), &[0; 20], 0, false).is_err());
    // A key too small for the proof.
    let tiny = HyraxKey::new(2);
    assert!(prove(&model.layers(), vk, &tiny, &[0; 20], 1, false).is_err());
    // Layers that differ from the key.
    let mut layers = model.layers();
    layers.pop();
    assert!(prove(&layers, vk, key(), &[0; 20], 1, false).is_err());
    // Quotients outside [−2^15, 2^15): a huge multiplier.
    let mut big = Model::new(&[8, 4, 2], 1.0, &[3], 3);
    big.m[0] = vec![1 << 20; 4];
    let vk_big = MlpVk::commit(&big.layers(), key()).unwrap();
    let e = prove(&big.layers(), &vk_big, key(), &[255; 8], 1, false).unwrap_err();
    assert!(e.to_string().contains("provable range"), "{e}");
    // Just inside the range: quotients near ±20000 need the widest (2^16) table.
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
    assert_eq!(f.statement.output, big.reference(&x));
    assert_eq!(
        f.proof.quotient_bits,
        vec![crate::requant::MAX_QUOTIENT_BITS]
    );
}

#[test]
fn truncated_and_garbage_files_are_errors() {
    let (model, vk) = small();
    let f = prove_ok(model, vk, &inputs(20, 1, 21), 1, true);
    let bytes = f.to_bytes();
    for cut in (0..bytes.len()).step_by(97).chain([bytes.len() - 1]) {
        assert!(
            ProofFile::from_bytes(vk, &bytes[..cut]).is_err(),
            "cut {cut}"
        );
    }
    let mut longer = bytes.clone();
    longer.extend_from_slice(&[0; 32]);
    assert!(ProofFile::from_bytes(vk, &longer).is_err());
    let mut rng = StdRng::seed_from_u64(5);
    for _ in 0..50 {
        let n = rng.gen_range(0..bytes.len() + 10);
        let mut junk: Vec<u8> = (0..n).map(|_| rng.gen()).collect();
        if junk.len() >= 44 && rng.gen_bool(0.5) {
            junk[..44].copy_from_slice(&bytes[..44]);
        }
        let _ = ProofFile::from_bytes(vk, &junk);
    }
    // Flipped bytes anywhere: an error when decoding or verifying, never an accept.
    for i in (0..bytes.len()).step_by(131) {
        let mut b = bytes.clone();
        b[i] ^= 0x10;
        if let Ok(g) = ProofFile::from_bytes(vk, &b) {
            assert!(
                verify(vk, key(), &g.statement, &g.proof).is_err(),
                "byte {i}"
            );
        }
    }
}

#[test]
fn zero_commitment_points_are_handled() {
    // An all-zero input gives identity row commitments; still a valid proof.
    let (model, vk) = small();
    let f = prove_ok(model, vk, &[0; 20], 1, true);
    assert_eq!(f.statement.output, model.reference(&[0; 20]));
    let _ = crate::G::ZERO;
}

use super::circuit::{ScatterMode, SCATTER_CHUNK};
use super::*;
use crate::error::{Check, Error};
use crate::field::F;
use crate::transcript::Transcript;
use ark_ff::{AdditiveGroup, Field};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ark_std::rand::{Rng, RngCore};
use ark_std::{test_rng, UniformRand};

#[derive(Clone, Copy)]
enum Mix {
    Mixed,
    AllAdd,
    AllMul,
}

/// A random circuit: `widths[0]` is the output layer, reading toward an input of
/// `input_len` wires; gates uniformly random wires of the layer below.
fn random_circuit(
    rng: &mut impl Rng,
    widths: &[usize],
    input_len: usize,
    mix: Mix,
    chunk: usize,
) -> Circuit {
    let mut layers = Vec::new();
    for (i, &w) in widths.iter().enumerate() {
        let below = widths.get(i + 1).copied().unwrap_or(input_len) as u32;
        let gates = (0..w)
            .map(|_| {
                let (l, r) = (rng.gen_range(0..below), rng.gen_range(0..below));
                let mul = match mix {
                    Mix::Mixed => rng.gen_bool(0.5),
                    Mix::AllAdd => false,
                    Mix::AllMul => true,
                };
                if mul {
                    Gate::mul(l, r)
                } else {
                    Gate::add(l, r)
                }
            })
            .collect();
        layers.push(Layer::with_chunk(gates, chunk));
    }
    Circuit::new(layers, input_len).unwrap()
}

fn random_input(rng: &mut impl Rng, n: usize) -> Vec<F> {
    (0..n).map(|_| F::rand(rng)).collect()
}

/// Proves, verifies, and checks the returned input claims against the input.
fn roundtrip(c: &Circuit, input: &[F]) -> (GkrProof, Vec<Vec<F>>) {
    let values = c.evaluate(input);
    let (proof, claims) = prove_with_claims(c, &values, &mut Transcript::new(b"gkr-test"));
    let got = verify(c, &values[0], &proof, &mut Transcript::new(b"gkr-test"))
        .expect("honest proof verifies");
    assert_eq!(got, claims, "prover and verifier agree on the input claims");
    got.check(input).expect("input claims hold");
    let expect_two = c.layers().last().unwrap().has_mul();
    assert_eq!(got.claims.len(), if expect_two { 2 } else { 1 });
    (proof, values)
}

#[test]
fn gkr_evaluate_matches_definition() {
    // out = ((a+b)·c, c·c + ... ) hand-checked.
    let c = Circuit::new(
        vec![
            Layer::new(vec![Gate::mul(0, 1), Gate::add(1, 1), Gate::mul(1, 1)]),
            Layer::new(vec![Gate::add(0, 1), Gate::mul(2, 2)]),
        ],
        3,
    )
    .unwrap();
    let (a, b, x) = (F::from(2u64), F::from(3u64), F::from(5u64));
    let v = c.evaluate(&[a, b, x]);
    assert_eq!(v[2], vec![a, b, x]);
    assert_eq!(v[1], vec![a + b, x * x]);
    assert_eq!(v[0], vec![(a + b) * x * x, x * x + x * x, x * x * x * x]);
}

#[test]
fn gkr_completeness_random_small_circuits() {
    let mut rng = test_rng();
    for trial in 0..60 {
        let depth = rng.gen_range(1..=4);
        let widths: Vec<usize> = (0..depth).map(|_| rng.gen_range(1..=13)).collect();
        let input_len = rng.gen_range(1..=13);
        let mix = [Mix::Mixed, Mix::AllAdd, Mix::AllMul][trial % 3];
        let c = random_circuit(&mut rng, &widths, input_len, mix, SCATTER_CHUNK);
        let input = random_input(&mut rng, input_len);
        roundtrip(&c, &input);
    }
}

#[test]
fn gkr_completeness_edge_shapes() {
    let mut rng = test_rng();
    // Width-1 layers and a one-wire input (zero sumcheck rounds).
    for widths in [vec![1], vec![1, 1], vec![2, 1], vec![1, 2, 1]] {
        for mix in [Mix::Mixed, Mix::AllAdd, Mix::AllMul] {
            let c = random_circuit(&mut rng, &widths, 1, mix, SCATTER_CHUNK);
            roundtrip(&c, &random_input(&mut rng, 1));
        }
    }
    // Exact powers of two and zeros in the input.
    let c = random_circuit(&mut rng, &[8, 16, 32], 64, Mix::Mixed, SCATTER_CHUNK);
    let mut input = random_input(&mut rng, 64);
    input[..32].iter_mut().for_each(|v| *v = F::ZERO);
    roundtrip(&c, &input);
}

#[test]
fn gkr_scatter_modes_agree() {
    let mut rng = test_rng();
    let input = random_input(&mut rng, 300);
    let c0 = random_circuit(&mut rng, &[37, 200, 150], 300, Mix::Mixed, SCATTER_CHUNK);
    let reference = roundtrip(&c0, &input).0;
    let mut seen = std::collections::HashSet::new();
    for chunk in [1, 2, 3, 7, 64] {
        let layers: Vec<Layer> = c0
            .layers()
            .iter()
            .map(|l| Layer::with_chunk(l.gates().to_vec(), chunk))
            .collect();
        for l in &layers {
            seen.insert(format!("{:?}", l.plan_x.mode));
            seen.insert(format!("{:?}", l.plan_y.mode));
        }
        let c = Circuit::new(layers, 300).unwrap();
        assert_eq!(
            c.digest(),
            c0.digest(),
            "chunking is not part of the circuit"
        );
        assert_eq!(roundtrip(&c, &input).0, reference, "chunk {chunk}");
    }
    // Structured wiring: sorted (disjoint) and narrow overlapping (private) ranges.
    let sorted = Layer::with_chunk((0..64).map(|g| Gate::add(2 * g, 2 * g + 1)).collect(), 4);
    assert_eq!(sorted.plan_x.mode, ScatterMode::Disjoint);
    let narrow = Layer::with_chunk((0..64).map(|g| Gate::mul(g, 64 + g % 4)).collect(), 8);
    assert_eq!(narrow.plan_y.mode, ScatterMode::Private);
    let c = Circuit::new(
        vec![
            Layer::new((0..32).map(|g| Gate::add(2 * g, 2 * g + 1)).collect()),
            narrow,
        ],
        68,
    )
    .unwrap();
    roundtrip(&c, &random_input(&mut rng, 68));
    for m in ["Disjoint", "Private", "Serial"] {
        assert!(seen.contains(m), "mode {m} not exercised");
    }
}

#[test]
fn gkr_completeness_parallel_sizes() {
    // Big enough for the parallel round, bind and scatter paths.
    let mut rng = test_rng();
    let n = (1 << 17) + 3;
    let input = random_input(&mut rng, n);
    for chunk in [SCATTER_CHUNK, 1 << 10] {
        let c = random_circuit(&mut rng, &[(1 << 14) + 1, 1 << 17], n, Mix::Mixed, chunk);
        roundtrip(&c, &input);
    }
}

fn fields_mut(p: &mut GkrProof) -> Vec<&mut F> {
    let mut out = Vec::new();
    for l in &mut p.layers {
        out.extend(l.phase1.rounds.iter_mut().flatten());
        out.push(&mut l.v_x);
        if let Some(m) = &mut l.mul {
            out.push(&mut m.claim);
            out.extend(m.rounds.rounds.iter_mut().flatten());
            out.push(&mut m.v_y);
        }
    }
    out
}

/// Every field element of a valid proof, changed, makes `verify` return `Err`
/// (the strict criterion: the returned input claims are never even reached).
#[test]
fn gkr_every_mutation_rejected() {
    let mut rng = test_rng();
    for (widths, input_len, mix) in [
        (vec![3, 5, 6], 7, Mix::Mixed),
        (vec![4, 8], 5, Mix::AllAdd),
        (vec![2, 3], 9, Mix::AllMul),
    ] {
        let c = random_circuit(&mut rng, &widths, input_len, mix, SCATTER_CHUNK);
        let input = random_input(&mut rng, input_len);
        let (proof, values) = roundtrip(&c, &input);
        let n = fields_mut(&mut proof.clone()).len();
        assert!(n > 0);
        for idx in 0..n {
            let mut bad = proof.clone();
            *fields_mut(&mut bad)[idx] += F::ONE;
            let r = verify(&c, &values[0], &bad, &mut Transcript::new(b"gkr-test"));
            assert!(
                matches!(r, Err(Error::Rejected(_))),
                "mutating field {idx} of {n} was not rejected"
            );
        }
        // Wrong output (each position) is rejected.
        for i in 0..values[0].len() {
            let mut out = values[0].clone();
            out[i] += F::ONE;
            assert!(verify(&c, &out, &proof, &mut Transcript::new(b"gkr-test")).is_err());
        }
        // Different transcript domain: rejected.
        assert!(verify(&c, &values[0], &proof, &mut Transcript::new(b"other")).is_err());
    }
}

/// A prover that evaluates one gate wrongly (and the layers above consistently with
/// it) is caught: either `verify` rejects or the input claims are false.
#[test]
fn gkr_cheating_prover_rejected() {
    let mut rng = test_rng();
    let c = random_circuit(&mut rng, &[4, 6, 8], 8, Mix::Mixed, SCATTER_CHUNK);
    let input = random_input(&mut rng, 8);
    let honest = c.evaluate(&input);
    for layer in 0..c.layers().len() {
        for g in 0..c.width(layer) {
            let mut v = honest.clone();
            v[layer][g] += F::ONE;
            for i in (0..layer).rev() {
                let below = v[i + 1].clone();
                for (o, gate) in v[i].iter_mut().zip(c.layers()[i].gates()) {
                    *o = gate.apply(below[gate.left() as usize], below[gate.right() as usize]);
                }
            }
            let proof = prove(&c, &v, &mut Transcript::new(b"gkr-test"));
            match verify(&c, &v[0], &proof, &mut Transcript::new(b"gkr-test")) {
                Err(e) => assert!(matches!(e, Error::Rejected(_)), "{e:?}"),
                Ok(claims) => assert_eq!(
                    claims.check(&input),
                    Err(Error::Rejected(Check::InputClaim)),
                    "cheat at {layer}/{g}"
                ),
            }
        }
    }
    // Lying about the input: the claims do not hold on the true input.
    let mut other = input.clone();
    other[3] += F::ONE;
    let v = c.evaluate(&other);
    let proof = prove(&c, &v, &mut Transcript::new(b"gkr-test"));
    let claims = verify(&c, &v[0], &proof, &mut Transcript::new(b"gkr-test")).unwrap();
    assert_eq!(
        claims.check(&input),
        Err(Error::Rejected(Check::InputClaim))
    );
}

#[test]
fn gkr_malformed_proofs_are_errors() {
    let mut rng = test_rng();
    let c = random_circuit(&mut rng, &[3, 5], 6, Mix::Mixed, SCATTER_CHUNK);
    let c_add = random_circuit(&mut rng, &[3, 5], 6, Mix::AllAdd, SCATTER_CHUNK);
    let input = random_input(&mut rng, 6);
    let (proof, values) = roundtrip(&c, &input);
    let out = &values[0];
    let check = |p: &GkrProof| verify(&c, out, p, &mut Transcript::new(b"gkr-test"));
    let mut p = proof.clone();
    p.layers.pop();
    assert!(matches!(check(&p), Err(Error::Malformed(_))));
    let mut p = proof.clone();
    p.layers.push(proof.layers[0].clone());
    assert!(matches!(check(&p), Err(Error::Malformed(_))));
    let mut p = proof.clone();
    p.layers[1].phase1.rounds.pop();
    assert!(matches!(check(&p), Err(Error::Malformed(_))));
    let mut p = proof.clone();
    p.layers[0].phase1.rounds.push(vec![F::ONE, F::ONE]);
    assert!(matches!(check(&p), Err(Error::Malformed(_))));
    let mut p = proof.clone();
    if let Some(m) = p.layers.iter_mut().find_map(|l| l.mul.as_mut()) {
        m.rounds.rounds.pop();
        assert!(matches!(check(&p), Err(Error::Malformed(_))));
    }
    let mut p = proof.clone();
    p.layers.iter_mut().for_each(|l| l.mul = None);
    assert!(check(&p).is_err());
    let mut p = proof.clone();
    p.layers.clear();
    assert!(check(&p).is_err());
    // Output of the wrong length.
    assert!(verify(&c, &out[1..], &proof, &mut Transcript::new(b"gkr-test")).is_err());
    let mut longer = out.clone();
    longer.push(F::ZERO);
    assert!(verify(&c, &longer, &proof, &mut Transcript::new(b"gkr-test")).is_err());
    // A proof for one circuit checked against another of the same shape.
    let v_add = c_add.evaluate(&input);
    assert!(verify(&c_add, &v_add[0], &proof, &mut Transcript::new(b"gkr-test")).is_err());
}

#[test]
fn gkr_bytes_truncated_flipped_or_garbage_are_errors() {
    let mut rng = test_rng();
    let c = random_circuit(&mut rng, &[3, 4], 5, Mix::Mixed, SCATTER_CHUNK);
    let input = random_input(&mut rng, 5);
    let (proof, values) = roundtrip(&c, &input);
    let mut bytes = Vec::new();
    proof.serialize_compressed(&mut bytes).unwrap();
    let decoded = GkrProof::deserialize_compressed(&bytes[..]).unwrap();
    assert_eq!(decoded, proof);
    let accepts = |b: &[u8]| -> bool {
        match GkrProof::deserialize_compressed(b) {
            Err(_) => false,
            Ok(p) => verify(&c, &values[0], &p, &mut Transcript::new(b"gkr-test")).is_ok(),
        }
    };
    assert!(accepts(&bytes));
    for len in 0..bytes.len() {
        assert!(
            GkrProof::deserialize_compressed(&bytes[..len]).is_err(),
            "truncated to {len}"
        );
    }
    for i in 0..bytes.len() {
        for bit in [0u8, 3, 7] {
            let mut b = bytes.clone();
            b[i] ^= 1 << bit;
            assert!(!accepts(&b), "flipping bit {bit} of byte {i} was accepted");
        }
    }
    for len in [0usize, 1, 7, 8, 9, 31, 64, 200, bytes.len(), 4096] {
        for _ in 0..20 {
            let mut b = vec![0u8; len];
            rng.fill_bytes(&mut b);
            assert!(!accepts(&b));
        }
    }
    // A huge length prefix must not allocate or panic.
    let mut b = u64::MAX.to_le_bytes().to_vec();
    b.extend_from_slice(&[0u8; 64]);
    assert!(!accepts(&b));
}

#[test]
fn gkr_invalid_circuits_are_errors() {
    assert!(Circuit::new(vec![], 3).is_err());
    assert!(Circuit::new(vec![Layer::new(vec![Gate::add(0, 1)])], 0).is_err());
    assert!(Circuit::new(vec![Layer::new(vec![Gate::add(0, 3)])], 3).is_err());
    assert!(Circuit::new(vec![Layer::new(vec![])], 3).is_err());
    assert!(Circuit::new(
        vec![
            Layer::new(vec![Gate::add(0, 2)]),
            Layer::new(vec![Gate::mul(0, 0); 2])
        ],
        1
    )
    .is_err());
}

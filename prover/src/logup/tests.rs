use super::*;
use crate::error::{Check, Error, Step};
use crate::field::from_i64;
use crate::field::{log2_ceil, F};
use crate::hyrax::HyraxKey;
use crate::mle::evaluate_ints;
use crate::transcript::Transcript;
use crate::wire::{FIELD_BYTES, POINT_BYTES};
use ark_ec::AffineRepr;
use ark_ec::CurveGroup;
use ark_ff::{AdditiveGroup, Field};
use ark_std::rand::{Rng, SeedableRng};
use proptest::prelude::*;
use std::sync::OnceLock;

fn key() -> &'static HyraxKey {
    static KEY: OnceLock<HyraxKey> = OnceLock::new();
    KEY.get_or_init(|| HyraxKey::new(8))
}

fn transcript() -> Transcript {
    let mut t = Transcript::new(b"logup-test");
    // Stands in for the caller's witness commitments.
    t.append_bytes(b"witness-commitments", b"test");
    t
}

fn shapes(ls: &[LookupInstance]) -> Vec<LookupShape> {
    ls.iter().map(|l| l.shape()).collect()
}

/// Proves, round-trips through bytes, verifies, and checks the claims against the
/// columns themselves (what the caller does with commitments).
fn prove_and_verify(ls: &[LookupInstance]) -> (LogupProof, LookupClaims) {
    let (proof, claims) = prove(ls, key(), &mut transcript()).expect("honest prover");
    let sh = shapes(ls);
    let bytes = proof.to_bytes();
    assert_eq!(bytes.len(), proof_size(&sh).unwrap());
    let decoded = LogupProof::from_bytes(&sh, &bytes).unwrap();
    assert_eq!(decoded, proof);
    let vclaims = verify(&sh, key(), &decoded, &mut transcript()).expect("verifier accepts");
    assert_eq!(vclaims, claims);
    for (l, c) in ls.iter().zip(&claims.instances) {
        assert_eq!(c.point.len(), log2_ceil(l.shape().len));
        for (col, e) in l.columns.iter().zip(&c.evals) {
            assert_eq!(evaluate_ints(col, &c.point), *e);
        }
    }
    (proof, claims)
}

fn rng(seed: u64) -> ark_std::rand::rngs::StdRng {
    ark_std::rand::rngs::StdRng::seed_from_u64(seed)
}

fn range_values(bits: u32, n: usize, seed: u64) -> Vec<i64> {
    let mut r = rng(seed);
    (0..n).map(|_| r.gen_range(0..1i64 << bits)).collect()
}

fn clamp_pairs(table: Table, n: usize, seed: u64) -> (Vec<i64>, Vec<i64>) {
    let mut r = rng(seed);
    let len = 1usize << table.num_vars();
    (0..n)
        .map(|_| {
            let [t, y, _] = table.row(r.gen_range(0..len));
            (t, y)
        })
        .unzip()
}

/// Every field element of a proof, mutably, in encoding order (points excluded).
fn field_refs(p: &mut LogupProof) -> Vec<&mut F> {
    let mut v: Vec<&mut F> = Vec::new();
    for r in p.roots.iter_mut() {
        v.extend(r.iter_mut());
    }
    v.extend(p.table_sums.iter_mut());
    for layer in p.layers.iter_mut() {
        for round in layer.sumcheck.rounds.iter_mut() {
            v.extend(round.iter_mut());
        }
        for ch in layer.children.iter_mut() {
            v.extend(ch.iter_mut());
        }
    }
    for e in p.column_evals.iter_mut() {
        v.extend(e.iter_mut());
    }
    for s in p.table_sumchecks.iter_mut() {
        for round in s.rounds.iter_mut() {
            v.extend(round.iter_mut());
        }
    }
    for o in p.multiplicity_openings.iter_mut() {
        v.extend(o.iter_mut());
    }
    v
}

#[test]
fn table_rows_fold_and_index() {
    let gamma = F::from(1_000_003u64);
    for t in [
        Table::Range { bits: 0 },
        Table::Range { bits: 5 },
        Table::Clamp {
            in_bits: 1,
            out_bits: 0,
        },
        Table::Clamp {
            in_bits: 6,
            out_bits: 3,
        },
        Table::RELU8,
        Table::Sign { bits: 1 },
        Table::Sign { bits: 8 },
        Table::Saturate { bits: 1 },
        Table::Saturate { bits: 8 },
        Table::Requant {
            in_bits: 1,
            m: 5,
            k: 1,
        },
        Table::Requant {
            in_bits: 10,
            m: 3,
            k: 2,
        },
        Table::Requant {
            in_bits: 16,
            m: 12345,
            k: 20,
        },
        Table::Requant {
            in_bits: 4,
            m: 0,
            k: 62,
        },
    ] {
        t.validate().unwrap();
        let vals = t.folded_values(gamma);
        assert_eq!(vals.len(), 1 << t.num_vars());
        for (i, v) in vals.iter().enumerate() {
            let row = t.row(i);
            assert_eq!(
                *v,
                from_i64(row[0]) + gamma * from_i64(row[1]) + gamma * gamma * from_i64(row[2])
            );
            let first = t.index_of(&row[..t.columns()]).unwrap();
            assert!(first == i || (first < i && t.row(first) == row));
        }
        assert_eq!(t.row(t.zero_index()), [0, 0, 0]);
    }
    assert_eq!(Table::RELU8.row(0), [-32768, 0, 0]);
    assert_eq!(Table::RELU8.row(65535), [32767, 255, 0]);
    assert_eq!(Table::RELU8.index_of(&[300, 255]), Some(32768 + 300));
    assert_eq!(Table::RELU8.index_of(&[300, 44]), None);
    assert_eq!(Table::RELU8.index_of(&[32768, 255]), None);
    assert_eq!(Table::Range { bits: 8 }.index_of(&[256]), None);
    assert_eq!(Table::Range { bits: 8 }.index_of(&[-1]), None);
    assert_eq!(Table::Range { bits: 8 }.index_of(&[1, 1]), None);
    let sign = Table::Sign { bits: 8 };
    assert_eq!(sign.index_of(&[-128, -1]), Some(0));
    assert_eq!(sign.index_of(&[5, 1]), Some(133));
    assert_eq!(sign.index_of(&[5, 0]), None);
    assert_eq!(sign.index_of(&[128, 1]), None);
    assert_eq!(sign.index_of(&[0, 0]), Some(sign.zero_index()));
    let sat = Table::Saturate { bits: 8 };
    assert_eq!(sat.num_vars(), 10);
    assert_eq!(sat.index_of(&[0, 17, 17]), Some(17));
    assert_eq!(sat.index_of(&[-1, 17, 0]), Some(256 + 17));
    assert_eq!(sat.index_of(&[1, 17, 255]), Some(512 + 17));
    assert_eq!(sat.index_of(&[1, 17, 17]), None);
    assert_eq!(sat.index_of(&[0, 256, 256]), None);
    assert_eq!(sat.index_of(&[2, 0, 255]), None);
    for bad in [
        Table::Range { bits: 17 },
        Table::Clamp {
            in_bits: 0,
            out_bits: 0,
        },
        Table::Clamp {
            in_bits: 8,
            out_bits: 8,
        },
        Table::Clamp {
            in_bits: 17,
            out_bits: 8,
        },
        Table::Requant {
            in_bits: 0,
            m: 1,
            k: 1,
        },
        Table::Requant {
            in_bits: 17,
            m: 1,
            k: 1,
        },
        Table::Requant {
            in_bits: 8,
            m: -1,
            k: 1,
        },
        Table::Requant {
            in_bits: 8,
            m: 1,
            k: 0,
        },
        Table::Requant {
            in_bits: 8,
            m: 1,
            k: 63,
        },
    ] {
        assert!(bad.validate().is_err());
    }
    // Requant rows agree with the integer engine; the zero row is (0, 0).
    let rq = Table::Requant {
        in_bits: 10,
        m: 3,
        k: 2,
    };
    assert_eq!(rq.row(0), [-512, 0, 0]);
    assert_eq!(rq.row(512), [0, 0, 0]);
    assert_eq!(rq.row(512 + 6), [6, 5, 0]); // (18 + 2) >> 2
    assert_eq!(rq.row(1023), [511, 255, 0]);
    assert_eq!(rq.index_of(&[6, 5]), Some(518));
    assert_eq!(rq.index_of(&[6, 4]), None);
    assert_eq!(rq.index_of(&[512, 255]), None);
    assert_eq!(rq.index_of(&[-3, 0]), Some(509));
    // Tables differing only in m or k are distinct (and bind differently).
    let other_m = Table::Requant {
        in_bits: 10,
        m: 4,
        k: 2,
    };
    let other_k = Table::Requant {
        in_bits: 10,
        m: 3,
        k: 3,
    };
    assert_ne!(rq.code(), other_m.code());
    assert_ne!(rq.code(), other_k.code());
}

#[test]
fn requant_lookups_accept_honest_rows_and_reject_a_wrong_output() {
    let t = Table::Requant {
        in_bits: 12,
        m: 7,
        k: 5,
    };
    for n in [1, 3, 100, 700] {
        let (u, y) = clamp_pairs(t, n, n as u64);
        prove_and_verify(&[LookupInstance::clamp(t, &u, &y)]);
    }
    // Together with other tables, and with the integer engine's own outputs.
    let u: Vec<i64> = (-2048..2048).step_by(7).collect();
    let y: Vec<i64> = u
        .iter()
        .map(|&v| crate::requant::requant(v as i32, 7, 5).2 as i64)
        .collect();
    let r = range_values(8, 33, 4);
    prove_and_verify(&[
        LookupInstance::clamp(t, &u, &y),
        LookupInstance::range(8, &r),
    ]);
    // A wrong y: the honest prover refuses, a cheating prover is rejected.
    let mut y_bad = y.clone();
    y_bad[300] = (y_bad[300] + 1) % 256;
    assert!(prove(
        &[LookupInstance::clamp(t, &u, &y_bad)],
        key(),
        &mut transcript()
    )
    .is_err());
    for how in [Cheat::None, Cheat::TableSumFromWitness] {
        assert!(cheat(
            &[LookupInstance::clamp(t, &u, &y_bad)],
            &[LookupInstance::clamp(t, &u, &y)],
            how
        )
        .is_err());
    }
    // An input outside the table's range.
    let mut u_bad = u.clone();
    u_bad[0] = 2048;
    let mut y_out = y.clone();
    y_out[0] = 255;
    assert!(cheat(
        &[LookupInstance::clamp(t, &u_bad, &y_out)],
        &[LookupInstance::clamp(t, &u, &y)],
        Cheat::None
    )
    .is_err());
    // A proof for the same rows against a table with another multiplier is rejected.
    let (proof, _) = prove(
        &[LookupInstance::clamp(t, &u, &y)],
        key(),
        &mut transcript(),
    )
    .unwrap();
    let other = Table::Requant {
        in_bits: 12,
        m: 8,
        k: 5,
    };
    let sh = [LookupShape {
        table: other,
        len: u.len(),
    }];
    assert!(verify(&sh, key(), &proof, &mut transcript()).is_err());
}

#[test]
fn table_sumcheck_matches_the_generic_verifier() {
    let mut r = rng(3);
    // The table sumcheck verifies under the generic verifier and ends at m̃(r)·g̃(r).
    let mut counts = vec![0u64; 1 << 10];
    for i in [0usize, 3, 700, 701, 1023] {
        counts[i] = i as u64 % 5 + 1;
    }
    let g: Vec<F> = (0..1 << 10).map(|_| F::from(r.gen::<u64>())).collect();
    let m: Vec<F> = counts.iter().map(|&c| F::from(c)).collect();
    let claim: F = m.iter().zip(&g).map(|(a, b)| *a * b).sum();
    let (proof, point) = prove_table_sumcheck(
        counts_as_fields(&counts),
        g.clone(),
        claim,
        &mut transcript(),
    );
    let (p2, fin) = crate::sumcheck::verify(claim, 10, 2, &proof, &mut transcript()).unwrap();
    assert_eq!(point, p2);
    let mle = |v: &[F]| crate::mle::evaluate(v, &point);
    assert_eq!(fin, mle(&m) * mle(&g));
    // The verifier's blockwise g̃ equals the direct evaluation.
    for t in [
        Table::Range { bits: 7 },
        Table::RELU8,
        Table::Range { bits: 0 },
    ] {
        let b = t.num_vars();
        let rr: Vec<F> = (0..b).map(|_| F::from(r.gen::<u64>())).collect();
        let (gamma, beta) = (F::from(r.gen::<u64>()), F::from(r.gen::<u64>()));
        let g = inverse_differences(&t.folded_values(gamma), beta).unwrap();
        assert_eq!(
            table_g_eval(&t, gamma, beta, &rr).unwrap(),
            crate::mle::evaluate(&g, &rr)
        );
    }
}

#[test]
fn range_lookups_of_several_sizes() {
    for (bits, n) in [
        (0, 1),
        (0, 5),
        (1, 1),
        (4, 3),
        (8, 100),
        (8, 257),
        (10, 1000),
        (16, 300),
    ] {
        let v = range_values(bits, n, n as u64);
        prove_and_verify(&[LookupInstance::range(bits, &v)]);
    }
}

#[test]
fn clamp_lookups_of_several_sizes() {
    let small = Table::Clamp {
        in_bits: 6,
        out_bits: 3,
    };
    for (t, n) in [(small, 1), (small, 2), (small, 45), (Table::RELU8, 513)] {
        let (a, b) = clamp_pairs(t, n, n as u64);
        prove_and_verify(&[LookupInstance::clamp(t, &a, &b)]);
    }
    // Boundary rows, including every saturated and negative case.
    let a: Vec<i64> = vec![-32768, -1, 0, 1, 254, 255, 256, 32767];
    let b: Vec<i64> = a.iter().map(|&t| t.clamp(0, 255)).collect();
    prove_and_verify(&[LookupInstance::clamp(Table::RELU8, &a, &b)]);
}

/// The requantization decomposition the MLP proof uses: `q = 2^8·h + l`,
/// `(h, sign h)` in the sign table, `(sign h, l, clamp(q, 0, 255))` in the saturate table.
#[test]
fn sign_and_saturate_lookups_prove_a_clamp() {
    let qs: Vec<i64> = vec![
        -32768, -300, -256, -255, -1, 0, 1, 200, 255, 256, 511, 32767,
    ];
    let h: Vec<i64> = qs.iter().map(|q| q.div_euclid(256)).collect();
    let l: Vec<i64> = qs.iter().map(|q| q.rem_euclid(256)).collect();
    let c: Vec<i64> = h.iter().map(|&h| h.signum()).collect();
    let y: Vec<i64> = qs.iter().map(|&q| q.clamp(0, 255)).collect();
    let sign = Table::Sign { bits: 8 };
    let sat = Table::Saturate { bits: 8 };
    let ls = [
        LookupInstance {
            table: sign,
            columns: vec![&h, &c],
        },
        LookupInstance {
            table: sat,
            columns: vec![&c, &l, &y],
        },
    ];
    prove_and_verify(&ls);
    // A wrong clamp output is not in the table: the honest prover refuses, and a
    // prover committing the multiplicities of the true rows is rejected.
    let mut bad_y = y.clone();
    bad_y[7] = 201;
    let bad = [
        ls[0].clone(),
        LookupInstance {
            table: sat,
            columns: vec![&c, &l, &bad_y],
        },
    ];
    assert!(prove(&bad, key(), &mut transcript()).is_err());
    assert!(cheat(&bad, &ls, Cheat::None).is_err());
    assert!(cheat(&bad, &ls, Cheat::TableSumFromWitness).is_err());
}

#[test]
fn batched_instances_share_points_by_length() {
    let t6 = Table::Clamp {
        in_bits: 6,
        out_bits: 3,
    };
    let r1 = range_values(8, 200, 1);
    let r2 = range_values(8, 129, 2);
    let r3 = range_values(3, 7, 3);
    let r4 = range_values(8, 1, 4);
    let (a1, b1) = clamp_pairs(t6, 250, 5);
    let (a2, b2) = clamp_pairs(t6, 3, 6);
    let ls = [
        LookupInstance::range(8, &r1),
        LookupInstance::clamp(t6, &a1, &b1),
        LookupInstance::range(8, &r2),
        LookupInstance::range(3, &r3),
        LookupInstance::clamp(t6, &a2, &b2),
        LookupInstance::range(8, &r4),
    ];
    let (_, claims) = prove_and_verify(&ls);
    // Lengths 200, 250 and 129 all pad to 256: one shared point.
    assert_eq!(claims.instances[0].point, claims.instances[1].point);
    assert_eq!(claims.instances[0].point, claims.instances[2].point);
    assert_ne!(claims.instances[3].point, claims.instances[4].point);
}

/// The lanes passes (`wide.rs`) and the scalar passes make the same proof, byte for
/// byte: instances of 2^10 to 2^14 rows (wide), mixed with small ones (scalar only),
/// lengths that are not powers of two, shared and separate points, and a witness with
/// rows outside its table (dense leaves, the cheating prover's path).
#[test]
fn lanes_and_scalar_passes_make_identical_proofs() {
    let t10 = Table::Clamp {
        in_bits: 10,
        out_bits: 8,
    };
    let r1 = range_values(12, 1 << 14, 11);
    let r2 = range_values(12, 3000, 12);
    let r3 = range_values(4, 5, 13);
    let (a1, b1) = clamp_pairs(t10, 1 << 10, 14);
    let (a2, b2) = clamp_pairs(t10, 777, 15);
    let ls = [
        LookupInstance::range(12, &r1),
        LookupInstance::range(12, &r2),
        LookupInstance::clamp(t10, &a1, &b1),
        LookupInstance::range(4, &r3),
        LookupInstance::clamp(t10, &a2, &b2),
    ];
    let (wide_proof, _) = prove_and_verify(&ls);
    let (scalar_proof, _) =
        super::wide::scalar_only(|| prove(&ls, key(), &mut transcript())).expect("honest prover");
    assert_eq!(wide_proof.to_bytes(), scalar_proof.to_bytes());

    // Rows outside the table go through the dense leaves on both paths.
    let mut bad = range_values(12, 1 << 11, 16);
    bad[5] = 1 << 12;
    let good = range_values(12, 1 << 11, 16);
    let (bl, gl) = (
        [LookupInstance::range(12, &bad)],
        [LookupInstance::range(12, &good)],
    );
    let run =
        || prove_with_counts_of(&bl, &gl, key(), &mut transcript()).map(|(p, _)| p.to_bytes());
    let wide_bytes = run().expect("the cheating prover makes a proof");
    assert_eq!(wide_bytes, super::wide::scalar_only(run).unwrap());
    let decoded = LogupProof::from_bytes(&shapes(&bl), &wide_bytes).unwrap();
    assert!(verify(&shapes(&bl), key(), &decoded, &mut transcript()).is_err());
}

#[test]
fn out_of_table_rows_are_refused_by_the_honest_prover() {
    let mut v = range_values(8, 50, 9);
    v[17] = 256;
    assert!(matches!(
        prove(&[LookupInstance::range(8, &v)], key(), &mut transcript()),
        Err(Error::Invalid(_))
    ));
    v[17] = -1;
    assert!(prove(&[LookupInstance::range(8, &v)], key(), &mut transcript()).is_err());
    let (a, mut b) = clamp_pairs(Table::RELU8, 20, 3);
    b[4] = (a[4].clamp(0, 255) + 1) % 256;
    assert!(prove(
        &[LookupInstance::clamp(Table::RELU8, &a, &b)],
        key(),
        &mut transcript()
    )
    .is_err());
    // Wrong column count.
    assert!(prove(
        &[LookupInstance {
            table: Table::RELU8,
            columns: vec![&a]
        }],
        key(),
        &mut transcript()
    )
    .is_err());
}

/// A cheating prover: the witness has one row outside its table and the prover commits
/// multiplicities of its choosing (computed on a "repaired" copy of the witness).
fn cheat(ls: &[LookupInstance], repaired: &[LookupInstance], how: Cheat) -> crate::Result<()> {
    let lay = check_instances(ls).unwrap();
    let counts = multiplicities_for(&lay, repaired).unwrap();
    let indices = leaf_indices(&lay, ls);
    let (proof, _) = prove_inner(&lay, ls, indices, counts, key(), &mut transcript(), how).unwrap();
    let sh = shapes(ls);
    let proof = LogupProof::from_bytes(&sh, &proof.to_bytes()).unwrap();
    verify(&sh, key(), &proof, &mut transcript()).map(|_| ())
}

#[test]
fn cheating_provers_are_rejected() {
    let good = range_values(8, 60, 11);
    for (bad_value, repair) in [(256, 255), (300, 0), (-1, 0), (1 << 40, 7)] {
        let mut bad = good.clone();
        bad[33] = bad_value;
        let mut fixed = good.clone();
        fixed[33] = repair;
        let ls = [LookupInstance::range(8, &bad)];
        let rep = [LookupInstance::range(8, &fixed)];
        // Multiplicities that count the bad row as some table row: the witness-side
        // roots no longer sum to the table's sum.
        assert_eq!(
            cheat(&ls, &rep, Cheat::None),
            Err(Error::Rejected(Check::LogupRoot { table: 0 }))
        );
        // ... and also lying about the table sum so that the identity holds: the
        // table-side sumcheck's final check catches the false sum.
        assert_eq!(
            cheat(&ls, &rep, Cheat::TableSumFromWitness),
            Err(Error::Rejected(Check::SumcheckFinal {
                step: Step::LogupTable { table: 0 }
            }))
        );
    }
    // Multiplicities that omit the bad row (the padding row absorbs the count).
    let mut bad = good.clone();
    bad[0] = 1000;
    let mut fixed = good.clone();
    fixed[0] = 0;
    assert!(cheat(
        &[LookupInstance::range(8, &bad)],
        &[LookupInstance::range(8, &fixed)],
        Cheat::None
    )
    .is_err());
    // A clamp row with the wrong output (a ReLU that lets a negative value through).
    let (a, b) = clamp_pairs(Table::RELU8, 40, 12);
    let mut a_bad = a.clone();
    let mut b_bad = b.clone();
    a_bad[5] = -3;
    b_bad[5] = 3;
    let mut a_fix = a.clone();
    let mut b_fix = b.clone();
    a_fix[5] = 3;
    b_fix[5] = 3;
    for how in [Cheat::None, Cheat::TableSumFromWitness] {
        assert!(cheat(
            &[LookupInstance::clamp(Table::RELU8, &a_bad, &b_bad)],
            &[LookupInstance::clamp(Table::RELU8, &a_fix, &b_fix)],
            how
        )
        .is_err());
    }
    // Lying about one witness value: a valid proof for a different (in-range) vector
    // yields claims that do not match the committed vector.
    let mut other = good.clone();
    other[20] = (other[20] + 1) % 256;
    let sh = [LookupInstance::range(8, &good).shape()];
    let (proof, _) = prove(
        &[LookupInstance::range(8, &other)],
        key(),
        &mut transcript(),
    )
    .unwrap();
    let claims = verify(&sh, key(), &proof, &mut transcript()).unwrap();
    let c = &claims.instances[0];
    assert_ne!(evaluate_ints(&good, &c.point), c.evals[0]);
}

#[test]
fn every_mutated_proof_element_is_rejected() {
    let t6 = Table::Clamp {
        in_bits: 6,
        out_bits: 3,
    };
    let r1 = range_values(5, 13, 21);
    let r2 = range_values(5, 3, 22);
    let (a, b) = clamp_pairs(t6, 6, 23);
    let ls = [
        LookupInstance::range(5, &r1),
        LookupInstance::clamp(t6, &a, &b),
        LookupInstance::range(5, &r2),
    ];
    let (proof, _) = prove_and_verify(&ls);
    let sh = shapes(&ls);
    let n = field_refs(&mut proof.clone()).len();
    assert_eq!(
        n * FIELD_BYTES
            + proof
                .multiplicity_commitments
                .iter()
                .map(|c| c.rows.len() * POINT_BYTES)
                .sum::<usize>(),
        proof_size(&sh).unwrap()
    );
    for i in 0..n {
        let mut p = proof.clone();
        *field_refs(&mut p).swap_remove(i) += F::ONE;
        let p = LogupProof::from_bytes(&sh, &p.to_bytes()).unwrap();
        assert!(
            verify(&sh, key(), &p, &mut transcript()).is_err(),
            "mutating field element {i} went unnoticed"
        );
    }
    for k in 0..proof.multiplicity_commitments.len() {
        for g in 0..proof.multiplicity_commitments[k].rows.len() {
            let mut p = proof.clone();
            let row = &mut p.multiplicity_commitments[k].rows[g];
            *row = (*row + crate::field::GAffine::generator()).into_affine();
            assert!(verify(&sh, key(), &p, &mut transcript()).is_err());
        }
    }
    // A zero root denominator is rejected outright.
    let mut p = proof.clone();
    p.roots[0] = [F::ZERO, F::ZERO];
    assert!(verify(&sh, key(), &p, &mut transcript()).is_err());
    // A different transcript history (other witness commitments) is rejected.
    let mut t = Transcript::new(b"logup-test");
    t.append_bytes(b"witness-commitments", b"other");
    assert!(verify(&sh, key(), &proof, &mut t).is_err());
}

#[test]
fn wrong_table_is_rejected() {
    let t4 = Table::Clamp {
        in_bits: 8,
        out_bits: 4,
    };
    let t5 = Table::Clamp {
        in_bits: 8,
        out_bits: 5,
    };
    // Rows valid in both tables (t ≤ 15): same sizes, different table — still rejected.
    let a: Vec<i64> = (-40..16).collect();
    let b: Vec<i64> = a.iter().map(|&t| t.clamp(0, 15)).collect();
    let (proof, _) = prove(
        &[LookupInstance::clamp(t4, &a, &b)],
        key(),
        &mut transcript(),
    )
    .unwrap();
    let sh5 = [LookupShape {
        table: t5,
        len: a.len(),
    }];
    assert_eq!(proof_size(&sh5).unwrap(), proof.to_bytes().len());
    assert!(verify(&sh5, key(), &proof, &mut transcript()).is_err());
    // A range proof over a larger table than the verifier's: refused.
    let v = range_values(9, 30, 1);
    let (proof, _) = prove(&[LookupInstance::range(9, &v)], key(), &mut transcript()).unwrap();
    let sh8 = [LookupShape {
        table: Table::Range { bits: 8 },
        len: 30,
    }];
    assert!(LogupProof::from_bytes(&sh8, &proof.to_bytes()).is_err());
    assert!(verify(&sh8, key(), &proof, &mut transcript()).is_err());
    // Wrong length.
    let sh9 = [LookupShape {
        table: Table::Range { bits: 9 },
        len: 31,
    }];
    assert!(verify(&sh9, key(), &proof, &mut transcript()).is_err());
}

#[test]
fn truncated_and_garbage_bytes_are_errors() {
    let v = range_values(4, 9, 5);
    let ls = [LookupInstance::range(4, &v)];
    let (proof, _) = prove_and_verify(&ls);
    let sh = shapes(&ls);
    let bytes = proof.to_bytes();
    for cut in [0, 1, 31, 32, bytes.len() / 2, bytes.len() - 1] {
        assert!(LogupProof::from_bytes(&sh, &bytes[..cut]).is_err());
    }
    let mut long = bytes.clone();
    long.push(0);
    assert!(LogupProof::from_bytes(&sh, &long).is_err());
    let mut r = rng(77);
    for _ in 0..50 {
        let junk: Vec<u8> = (0..bytes.len()).map(|_| r.gen()).collect();
        if let Ok(p) = LogupProof::from_bytes(&sh, &junk) {
            assert!(verify(&sh, key(), &p, &mut transcript()).is_err());
        }
    }
    // Structurally wrong proofs built in memory are errors, not panics.
    let mut p = proof.clone();
    p.layers.pop();
    assert!(verify(&sh, key(), &p, &mut transcript()).is_err());
    let mut p = proof.clone();
    p.column_evals[0].push(F::ONE);
    assert!(verify(&sh, key(), &p, &mut transcript()).is_err());
    let mut p = proof.clone();
    p.multiplicity_openings[0].pop();
    assert!(verify(&sh, key(), &p, &mut transcript()).is_err());
    let mut p = proof.clone();
    p.multiplicity_commitments[0].row_vars += 1;
    assert!(verify(&sh, key(), &p, &mut transcript()).is_err());
    // Invalid shapes.
    assert!(verify(&[], key(), &proof, &mut transcript()).is_err());
    let zero = [LookupShape {
        table: Table::Range { bits: 4 },
        len: 0,
    }];
    assert!(verify(&zero, key(), &proof, &mut transcript()).is_err());
    assert!(LogupProof::from_bytes(&zero, &bytes).is_err());
}

#[test]
fn beta_on_a_table_value_is_a_rejection() {
    let t = Table::Range { bits: 3 };
    let r = [F::from(3u64), F::from(5u64), F::from(9u64)];
    assert!(table_g_eval(&t, F::ONE, F::from(5u64), &r).is_err());
    assert!(table_g_eval(&t, F::ONE, F::from(8u64), &r).is_ok());
    assert!(inverse_differences(&t.folded_values(F::ONE), F::from(2u64)).is_none());
}

#[test]
fn key_too_small_is_an_error() {
    let small = HyraxKey::new(2);
    let v = range_values(8, 10, 1);
    assert!(prove(&[LookupInstance::range(8, &v)], &small, &mut transcript()).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn prop_complete(
        bits in 0u32..=9,
        lens in proptest::collection::vec(1usize..150, 1..4),
        seed in any::<u64>(),
    ) {
        let vs: Vec<Vec<i64>> = lens
            .iter()
            .enumerate()
            .map(|(i, &n)| range_values(bits, n, seed.wrapping_add(i as u64)))
            .collect();
        let ls: Vec<LookupInstance> = vs.iter().map(|v| LookupInstance::range(bits, v)).collect();
        prove_and_verify(&ls);
    }

    #[test]
    fn prop_one_bad_row_is_rejected(
        n in 1usize..100,
        pos in any::<prop::sample::Index>(),
        bad in prop_oneof![256i64..100_000, -100_000i64..0],
        seed in any::<u64>(),
    ) {
        let good = range_values(8, n, seed);
        let mut v = good.clone();
        let i = pos.index(n);
        v[i] = bad;
        prop_assert!(prove(&[LookupInstance::range(8, &v)], key(), &mut transcript()).is_err());
        let mut fixed = v.clone();
        fixed[i] = bad.clamp(0, 255);
        prop_assert!(cheat(
            &[LookupInstance::range(8, &v)],
            &[LookupInstance::range(8, &fixed)],
            Cheat::None
        )
        .is_err());
    }

    #[test]
    fn prop_random_bytes_never_panic(seed in any::<u64>(), len_delta in 0usize..3) {
        let sh = [
            LookupShape { table: Table::Range { bits: 3 }, len: 5 },
            LookupShape { table: Table::Clamp { in_bits: 4, out_bits: 2 }, len: 2 },
        ];
        let size = proof_size(&sh).unwrap();
        let mut r = rng(seed);
        let mut bytes: Vec<u8> = (0..size + len_delta).map(|_| r.gen()).collect();
        // Make field elements canonical often enough to reach the verifier.
        for chunk in bytes.chunks_mut(32) {
            if let Some(last) = chunk.last_mut() {
                *last &= 0x0f;
            }
        }
        if let Ok(p) = LogupProof::from_bytes(&sh, &bytes) {
            prop_assert!(verify(&sh, key(), &p, &mut transcript()).is_err());
        }
    }
}

/// Timing: witness of 4096 rows against a 2^16 range table and against RELU8.
/// `cargo test --release -p ternzk-prover logup::tests::timing -- --ignored --nocapture`
#[test]
#[ignore]
fn timing() {
    let v = range_values(16, 4096, 1);
    let (a, b) = clamp_pairs(Table::RELU8, 4096, 2);
    for (name, ls) in [
        ("range 2^16", vec![LookupInstance::range(16, &v)]),
        ("relu8", vec![LookupInstance::clamp(Table::RELU8, &a, &b)]),
    ] {
        for _ in 0..3 {
            let t0 = std::time::Instant::now();
            let (proof, _) = prove(&ls, key(), &mut transcript()).unwrap();
            let t1 = std::time::Instant::now();
            verify(&shapes(&ls), key(), &proof, &mut transcript()).unwrap();
            let t2 = std::time::Instant::now();
            println!(
                "{name}: prove {:.2} ms, verify {:.2} ms, {} bytes",
                (t1 - t0).as_secs_f64() * 1e3,
                (t2 - t1).as_secs_f64() * 1e3,
                proof.to_bytes().len()
            );
        }
    }
}

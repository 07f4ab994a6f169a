//! Tests of the zero-knowledge LogUp ([`super::zk`]): completeness over the table
//! kinds, rejection of every mutated element and of cheating witnesses, the
//! honest-verifier simulator, and leak tests (no small integers, nothing repeated).

use super::zk::{self, ZkLogupProof, ZkLookupClaim};
use super::*;
use crate::dot_product::DotProductProof;
use crate::field::{to_i64, GAffine, F};
use crate::hiding_hyrax::{
    commit_ints_hiding, prove_evaluation, verify_evaluation, HidingCommitment,
};
use crate::hyrax::{open_ints, HyraxCommitment, HyraxKey};
use crate::masked_sumcheck::MaskKey;
use crate::pedersen::Committed;
use crate::transcript::Transcript;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::One;
use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
use ark_std::UniformRand;
use std::sync::OnceLock;

fn key() -> &'static HyraxKey {
    static KEY: OnceLock<HyraxKey> = OnceLock::new();
    KEY.get_or_init(|| HyraxKey::new(8))
}

fn mask_key() -> &'static MaskKey {
    static KEY: OnceLock<MaskKey> = OnceLock::new();
    KEY.get_or_init(|| MaskKey::new(16))
}

/// The Hyrax grid of an instance's columns (`k` variables).
fn grid(k: usize) -> (usize, usize) {
    (k / 2, k - k / 2)
}

/// A whole zero-knowledge lookup instance, as a caller runs it: hiding commitments to
/// the columns (the statement), the argument, and an evaluation proof per column.
struct Proof {
    logup: ZkLogupProof,
    evals: Vec<Vec<DotProductProof>>,
}

fn padded(col: &[i64], k: usize) -> Vec<i64> {
    let mut v = col.to_vec();
    v.resize(1 << k, 0);
    v
}

fn commit_columns(ls: &[LookupInstance], rng: &mut StdRng) -> Vec<Vec<HidingCommitment>> {
    ls.iter()
        .map(|l| {
            let k = crate::field::log2_ceil(l.shape().len);
            let (rv, cv) = grid(k);
            l.columns
                .iter()
                .map(|c| {
                    commit_ints_hiding(key(), &mask_key().blinding, &padded(c, k), rv, cv, rng)
                        .unwrap()
                })
                .collect()
        })
        .collect()
}

fn public(cols: &[Vec<HidingCommitment>]) -> Vec<Vec<HyraxCommitment>> {
    cols.iter()
        .map(|c| c.iter().map(|h| h.commitment.clone()).collect())
        .collect()
}

fn statement(cols: &[Vec<HyraxCommitment>], t: &mut Transcript) {
    for c in cols.iter().flatten() {
        c.absorb(t);
    }
}

fn prove_instance(
    ls: &[LookupInstance],
    cols: &[Vec<HidingCommitment>],
    cheat_counts: Option<&[LookupInstance]>,
    t: &mut Transcript,
    rng: &mut StdRng,
) -> crate::Result<Proof> {
    statement(&public(cols), t);
    let (logup, claims) = match cheat_counts {
        None => zk::prove(ls, key(), mask_key(), t, rng)?,
        Some(c) => zk::prove_with_counts_of(ls, c, key(), mask_key(), t, rng)?,
    };
    let evals = prove_evals(ls, cols, &claims, t, rng)?;
    Ok(Proof { logup, evals })
}

fn prove_evals(
    ls: &[LookupInstance],
    cols: &[Vec<HidingCommitment>],
    claims: &[ZkLookupClaim<Committed>],
    t: &mut Transcript,
    rng: &mut StdRng,
) -> crate::Result<Vec<Vec<DotProductProof>>> {
    ls.iter()
        .zip(cols)
        .zip(claims)
        .map(|((l, cs), c)| {
            let k = c.point.len();
            let (rv, cv) = grid(k);
            l.columns
                .iter()
                .zip(cs)
                .zip(&c.evals)
                .map(|((col, com), e)| {
                    let opening = open_ints(&padded(col, k), rv, cv, &c.point[..rv]);
                    prove_evaluation(
                        key(),
                        &mask_key().blinding,
                        com,
                        &c.point,
                        &opening,
                        e,
                        t,
                        rng,
                    )
                })
                .collect()
        })
        .collect()
}

fn verify_instance(
    shapes: &[LookupShape],
    cols: &[Vec<HyraxCommitment>],
    proof: &Proof,
    t: &mut Transcript,
) -> crate::Result<()> {
    statement(cols, t);
    let claims = zk::verify(shapes, key(), mask_key(), &proof.logup, t)?;
    if proof.evals.len() != claims.len() {
        return Err(crate::error::Error::Malformed("evaluation proofs".into()));
    }
    for ((cs, c), ps) in cols.iter().zip(&claims).zip(&proof.evals) {
        if ps.len() != cs.len() {
            return Err(crate::error::Error::Malformed("evaluation proofs".into()));
        }
        for ((com, e), p) in cs.iter().zip(&c.evals).zip(ps) {
            verify_evaluation(key(), &mask_key().blinding, com, &c.point, *e, p, t)?;
        }
    }
    Ok(())
}

fn transcript() -> Transcript {
    Transcript::new(b"zk-logup-test")
}

fn shapes(ls: &[LookupInstance]) -> Vec<LookupShape> {
    ls.iter().map(|l| l.shape()).collect()
}

fn range_values(bits: u32, n: usize, seed: u64) -> Vec<i64> {
    let mut r = StdRng::seed_from_u64(seed);
    (0..n).map(|_| r.gen_range(0..1i64 << bits)).collect()
}

/// Instances over every table kind, several lengths (1, odd, power of two) and two
/// instances sharing a table.
struct Fixture {
    range_a: Vec<i64>,
    range_b: Vec<i64>,
    one: Vec<i64>,
    clamp: (Vec<i64>, Vec<i64>),
    sign: (Vec<i64>, Vec<i64>),
    sat: (Vec<i64>, Vec<i64>, Vec<i64>),
    requant: (Vec<i64>, Vec<i64>),
}

const REQ: Table = Table::Requant {
    in_bits: 10,
    m: 77,
    k: 9,
};

impl Fixture {
    fn new() -> Self {
        let mut r = StdRng::seed_from_u64(7);
        let q: Vec<i64> = (0..13).map(|_| r.gen_range(-300..300)).collect();
        let y = q.iter().map(|&t| t.clamp(0, 255)).collect();
        let h: Vec<i64> = (0..9).map(|_| r.gen_range(-8..8)).collect();
        let c = h.iter().map(|v: &i64| v.signum()).collect();
        let sc: Vec<i64> = (0..6).map(|_| r.gen_range(-1..=1)).collect();
        let sl: Vec<i64> = (0..6).map(|_| r.gen_range(0..16)).collect();
        let sy = sc
            .iter()
            .zip(&sl)
            .map(|(&c, &l)| super::table::saturate(c, l, 4))
            .collect();
        let u: Vec<i64> = (0..20).map(|_| r.gen_range(-512..512)).collect();
        let uy = u
            .iter()
            .map(|&u| super::table::requant_y(u, 77, 9))
            .collect();
        Self {
            range_a: range_values(8, 37, 1),
            range_b: range_values(8, 64, 2),
            one: vec![5],
            clamp: (q, y),
            sign: (h, c),
            sat: (sc, sl, sy),
            requant: (u, uy),
        }
    }

    fn instances(&self) -> Vec<LookupInstance<'_>> {
        vec![
            LookupInstance::range(8, &self.range_a),
            LookupInstance::clamp(Table::RELU8, &self.clamp.0, &self.clamp.1),
            LookupInstance::range(8, &self.range_b),
            LookupInstance::range(8, &self.one),
            LookupInstance {
                table: Table::Sign { bits: 4 },
                columns: vec![&self.sign.0, &self.sign.1],
            },
            LookupInstance {
                table: Table::Saturate { bits: 4 },
                columns: vec![&self.sat.0, &self.sat.1, &self.sat.2],
            },
            LookupInstance::clamp(REQ, &self.requant.0, &self.requant.1),
        ]
    }
}

fn prove_ok(ls: &[LookupInstance], rng: &mut StdRng) -> (Vec<Vec<HyraxCommitment>>, Proof) {
    let cols = commit_columns(ls, rng);
    let proof = prove_instance(ls, &cols, None, &mut transcript(), rng).expect("honest prover");
    let pubc = public(&cols);
    verify_instance(&shapes(ls), &pubc, &proof, &mut transcript()).expect("verifier accepts");
    (pubc, proof)
}

#[test]
fn honest_proofs_verify_for_every_table_kind() {
    let mut rng = StdRng::seed_from_u64(1);
    let f = Fixture::new();
    prove_ok(&f.instances(), &mut rng);
    // One instance alone, and one of a single entry alone (no GKR layer at all).
    prove_ok(&f.instances()[..1], &mut rng);
    prove_ok(&f.instances()[3..4], &mut rng);
}

/// Every scalar of a proof, mutable (for mutation tests).
fn scalars_mut(p: &mut Proof) -> Vec<&mut F> {
    let mut v = p.logup.scalars_mut();
    for d in p.evals.iter_mut().flatten() {
        v.extend(d.z.iter_mut());
        v.push(&mut d.z_delta);
        v.push(&mut d.z_beta);
    }
    v
}

/// Every point of a proof, mutable.
fn points_mut(p: &mut Proof) -> Vec<&mut GAffine> {
    let mut v = p.logup.points_mut();
    for d in p.evals.iter_mut().flatten() {
        v.extend(d.points.iter_mut());
    }
    v
}

fn clone(p: &Proof) -> Proof {
    Proof {
        logup: p.logup.clone(),
        evals: p.evals.clone(),
    }
}

#[test]
fn every_mutated_scalar_or_point_is_rejected() {
    let mut rng = StdRng::seed_from_u64(2);
    let f = Fixture::new();
    let ls = f.instances();
    // Small tables only (the verifier's `g̃` is linear in the table), every shape of
    // GKR layer: a range, a one-entry instance, sign and saturate.
    let ls = [ls[0].clone(), ls[3].clone(), ls[4].clone(), ls[5].clone()];
    let (cols, proof) = prove_ok(&ls, &mut rng);
    let sh = shapes(&ls);
    let n_scalars = scalars_mut(&mut clone(&proof)).len();
    let n_points = points_mut(&mut clone(&proof)).len();
    assert!(n_scalars > 100 && n_points > 100);
    for i in 0..n_scalars {
        let mut p = clone(&proof);
        *scalars_mut(&mut p).swap_remove(i) += F::one();
        assert!(
            verify_instance(&sh, &cols, &p, &mut transcript()).is_err(),
            "scalar {i} mutated"
        );
    }
    for i in 0..n_points {
        let mut p = clone(&proof);
        let q = points_mut(&mut p).swap_remove(i);
        *q = (*q + GAffine::generator()).into_affine();
        assert!(
            verify_instance(&sh, &cols, &p, &mut transcript()).is_err(),
            "point {i} mutated"
        );
    }
    // Another statement (other column commitments) and other shapes.
    let other = public(&commit_columns(&ls, &mut rng));
    assert!(verify_instance(&sh, &other, &proof, &mut transcript()).is_err());
    let mut sh2 = sh.clone();
    sh2[0].len += 1;
    assert!(verify_instance(&sh2, &cols, &proof, &mut transcript()).is_err());
}

#[test]
fn a_witness_outside_its_table_has_no_proof() {
    let mut rng = StdRng::seed_from_u64(3);
    let mut vals = range_values(8, 40, 4);
    vals[17] = 256;
    let ls = [LookupInstance::range(8, &vals)];
    let cols = commit_columns(&ls, &mut rng);
    assert!(matches!(
        prove_instance(&ls, &cols, None, &mut transcript(), &mut rng),
        Err(crate::error::Error::Invalid(_))
    ));
}

/// A cheating prover: a row outside its table proven with the multiplicities of a
/// repaired copy; the committed LogUp identity fails. (The honest prover's debug
/// assertions catch the false product first, so this runs in release builds.)
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "the cheating prover trips debug assertions"
)]
fn a_cheating_witness_is_rejected() {
    let mut rng = StdRng::seed_from_u64(4);
    for (bad, seed) in [(256i64, 5u64), (-1, 6), (1 << 20, 7)] {
        let mut vals = range_values(8, 40, seed);
        let repaired = vals.clone();
        vals[11] = bad;
        let ls = [LookupInstance::range(8, &vals)];
        let counted = [LookupInstance::range(8, &repaired)];
        let cols = commit_columns(&ls, &mut rng);
        let proof = prove_instance(&ls, &cols, Some(&counted), &mut transcript(), &mut rng)
            .expect("the cheating prover makes a proof");
        let err = verify_instance(&shapes(&ls), &public(&cols), &proof, &mut transcript())
            .expect_err("cheat rejected");
        assert!(
            matches!(
                err,
                crate::error::Error::Rejected(crate::error::Check::LogupRoot { table: 0 })
            ),
            "{err:?}"
        );
    }
}

/// Honest-verifier zero knowledge, made executable: a simulator that gets the
/// statement (shapes and column commitments) and the programmed challenges, never the
/// witness, makes proofs the verifier accepts under those challenges.
#[test]
fn simulated_proofs_verify_under_programmed_challenges() {
    let mut rng = StdRng::seed_from_u64(5);
    let f = Fixture::new();
    let ls = f.instances();
    let sh = shapes(&ls);
    let cols = public(&commit_columns(&ls, &mut rng));
    let challenges: Vec<F> = (0..4000).map(|_| F::rand(&mut rng)).collect();
    let mut t = Transcript::programmed(b"zk-logup-test", challenges.clone());
    statement(&cols, &mut t);
    let (logup, claims) = zk::simulate(&sh, key(), mask_key(), &mut t, &mut rng);
    let evals = claims
        .iter()
        .zip(&cols)
        .map(|(c, cs)| {
            cs.iter()
                .zip(&c.evals)
                .map(|(com, e)| {
                    crate::hiding_hyrax::simulate_evaluation(
                        key(),
                        &mask_key().blinding,
                        com,
                        &c.point,
                        *e,
                        &mut t,
                        &mut rng,
                    )
                })
                .collect()
        })
        .collect();
    let proof = Proof { logup, evals };
    let mut tv = Transcript::programmed(b"zk-logup-test", challenges.clone());
    verify_instance(&sh, &cols, &proof, &mut tv).expect("simulated proof accepted");
    // Under other challenges the simulated proof fails: the simulator needed them.
    let mut other = challenges;
    other[2] += F::one();
    let mut tv = Transcript::programmed(b"zk-logup-test", other);
    assert!(verify_instance(&sh, &cols, &proof, &mut tv).is_err());
}

/// Every field element of a proof, for the leak tests.
fn all_scalars(p: &Proof) -> Vec<F> {
    scalars_mut(&mut clone(p)).into_iter().map(|x| *x).collect()
}

fn all_points(p: &Proof) -> Vec<GAffine> {
    points_mut(&mut clone(p)).into_iter().map(|x| *x).collect()
}

/// The attacks on the public argument fail: no scalar is a small integer (the
/// multiplicity opening and column evaluations are gone), and two proofs of one
/// statement share no element.
#[test]
fn proofs_hold_no_small_integers_and_do_not_repeat() {
    let mut rng = StdRng::seed_from_u64(6);
    let f = Fixture::new();
    let ls = f.instances();
    let cols = commit_columns(&ls, &mut rng);
    let p1 = prove_instance(&ls, &cols, None, &mut transcript(), &mut rng).unwrap();
    let p2 = prove_instance(&ls, &cols, None, &mut transcript(), &mut rng).unwrap();
    let (s1, s2) = (all_scalars(&p1), all_scalars(&p2));
    let small = s1
        .iter()
        .filter(|v| to_i64(**v).is_some_and(|x| x.unsigned_abs() < 1 << 40))
        .count();
    assert_eq!(small, 0);
    assert!(s1.iter().all(|v| !s2.contains(v)));
    let q2 = all_points(&p2);
    // Points beyond the statement: the constant `g` (root numerator of the
    // one-entry instance) is public and shared by design.
    let g = mask_key().blinding.g;
    assert!(all_points(&p1).iter().all(|q| *q == g || !q2.contains(q)));
}

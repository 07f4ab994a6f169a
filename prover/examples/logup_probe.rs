//! Times the LogUp argument: a witness of 4096 rows against a 2^16 range table and
//! against the ReLU/clamp table `(t, clamp(t, 0, 255))`, `t ∈ [−2^15, 2^15)`; also a
//! layer-like batch (quotient/output pairs plus a remainder range check).
//! `cargo run --release -p ternzk-prover --example logup_probe [N]`
use ark_ff::Field;
use ark_std::rand::{Rng, SeedableRng};
use std::time::Instant;
use ternzk_prover::hyrax::HyraxKey;
use ternzk_prover::logup::{prove, verify, LookupInstance, LookupShape, Table};
use ternzk_prover::transcript::Transcript;
use ternzk_prover::F;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn run(name: &str, ls: &[LookupInstance], key: &HyraxKey) {
    let shapes: Vec<LookupShape> = ls.iter().map(|l| l.shape()).collect();
    let (mut tp, mut tv) = (Vec::new(), Vec::new());
    let mut size = 0;
    for _ in 0..9 {
        let t0 = Instant::now();
        let (proof, _) = prove(ls, key, &mut Transcript::new(b"probe")).expect("prove");
        let t1 = Instant::now();
        verify(&shapes, key, &proof, &mut Transcript::new(b"probe")).expect("verify");
        let t2 = Instant::now();
        tp.push((t1 - t0).as_secs_f64() * 1e3);
        tv.push((t2 - t1).as_secs_f64() * 1e3);
        size = proof.to_bytes().len();
    }
    println!(
        "{name:<40} prove {:7.2} ms  verify {:7.2} ms  proof {size} bytes  (median of 9)",
        median(tp),
        median(tv)
    );
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().expect("N"))
        .unwrap_or(4096);
    let key = HyraxKey::new(8);
    let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(1);
    // Reference: the cost of one field multiplication on this machine right now.
    let mut x = F::from(3u64);
    let y = F::from(7u64).inverse().unwrap();
    let t = Instant::now();
    for _ in 0..1_000_000 {
        x *= y;
    }
    println!(
        "field multiplication: {:.1} ns ({x:?})",
        t.elapsed().as_secs_f64() * 1e3
    );
    let v: Vec<i64> = (0..n).map(|_| rng.gen_range(0..1 << 16)).collect();
    run(
        &format!("range 2^16, N = {n}"),
        &[LookupInstance::range(16, &v)],
        &key,
    );
    let q: Vec<i64> = (0..n).map(|_| rng.gen_range(-2000..2000)).collect();
    let y: Vec<i64> = q.iter().map(|&t| t.clamp(0, 255)).collect();
    run(
        &format!("clamp (RELU8, 2^16 rows), N = {n}"),
        &[LookupInstance::clamp(Table::RELU8, &q, &y)],
        &key,
    );
    let rem: Vec<i64> = (0..n).map(|_| rng.gen_range(0..1 << 8)).collect();
    run(
        &format!("layer: RELU8 pairs + range 2^8, N = {n}"),
        &[
            LookupInstance::clamp(Table::RELU8, &q, &y),
            LookupInstance::range(8, &rem),
        ],
        &key,
    );
    let small: Vec<i64> = (0..n).map(|_| rng.gen_range(0..1 << 8)).collect();
    run(
        &format!("range 2^8, N = {n}"),
        &[LookupInstance::range(8, &small)],
        &key,
    );
}

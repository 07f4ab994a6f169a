//! Criterion benchmark: the LogUp argument of a batch-256 proof of 784-256-256-10 in
//! direct requantization mode — two instances of 2^16 `(z, y)` pairs, looked up in
//! requant tables of 2^15 and 2^12 rows — beside a baseline of one field
//! multiplication per looked-up pair (the ratio is the argument's cost in
//! multiplications per lookup, the figure a cheaper witness side must lower; see
//! docs/decisions.md, "Batch goal"). Run with `cargo bench -p ternzk-bench --bench logup`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use ternzk_prover::field::F;
use ternzk_prover::hyrax::HyraxKey;
use ternzk_prover::logup::{self, LookupInstance, Table};
use ternzk_prover::transcript::Transcript;

/// Lookups per instance (256 inputs × 256 activations).
const N: usize = 1 << 16;

/// `N` rows of `table` (`z` roughly normal around 0, as accumulators are), as columns.
fn rows(table: Table, seed: u64) -> (Vec<i64>, Vec<i64>) {
    let Table::Requant { in_bits, .. } = table else {
        unreachable!("requant tables only")
    };
    let half = 1i64 << (in_bits - 1);
    let mut s = seed;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let (mut z, mut y) = (Vec::with_capacity(N), Vec::with_capacity(N));
    for _ in 0..N {
        // A sum of four uniforms: concentrated near 0 like a real accumulator.
        let u: i64 = (0..4).map(|_| (next() % (half as u64)) as i64).sum::<i64>() / 2 - half;
        let row = table.row((u + half) as usize);
        z.push(row[0]);
        y.push(row[1]);
    }
    (z, y)
}

fn bench(c: &mut Criterion) {
    let t0 = Table::Requant {
        in_bits: 15,
        m: 111,
        k: 12,
    };
    let t1 = Table::Requant {
        in_bits: 12,
        m: 900,
        k: 12,
    };
    let (z0, y0) = rows(t0, 1);
    let (z1, y1) = rows(t1, 2);
    let key = HyraxKey::new(9);
    let lookups = [
        LookupInstance::clamp(t0, &z0, &y0),
        LookupInstance::clamp(t1, &z1, &y1),
    ];
    let mut g = c.benchmark_group("logup-batch256-direct");
    g.sample_size(20);
    let mut x: Vec<F> = (1..=2 * N as u64).map(F::from).collect();
    let r = F::from(0x1234_5678_9abc_def1u64);
    g.bench_function("baseline-one-mul-per-lookup", |b| {
        b.iter(|| {
            x.iter_mut().for_each(|v| *v *= r);
            black_box(&x);
        })
    });
    g.bench_function("prove", |b| {
        b.iter(|| {
            let mut t = Transcript::new(b"bench");
            black_box(logup::prove(&lookups, &key, &mut t).unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

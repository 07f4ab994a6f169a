//! Criterion benchmark: proving `y = W·x` for a 1024×1024 ternary matrix at density
//! 1/16 with each sumcheck method, beside the plain integer mat-vec.
//! Run with `cargo bench -p ternzk-bench`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use ternzk_baselines::random::{densify, int8_like};
use ternzk_core::random;
use ternzk_prover::hyrax::HyraxKey;
use ternzk_prover::linear::{prove, LinearVk};
use ternzk_prover::matrix::LinearBackend;

fn bench(c: &mut Criterion) {
    let (n, density) = (1024, 1.0 / 16.0);
    let t = random::ternary(n, n, density, 42);
    let x = random::activations(n, 1, 7);
    let key = HyraxKey::new(t.col_vars());
    let mut g = c.benchmark_group("matvec-1024-d16");
    g.sample_size(20);
    g.bench_function("plain-integer", |b| b.iter(|| black_box(t.matvec_i32(&x))));
    let vk = LinearVk::commit(&t, &key).unwrap();
    g.bench_function("ternary-sparse", |b| {
        b.iter(|| black_box(prove(&t, &vk, &x, 1).unwrap()))
    });
    let s = int8_like(&t, 3);
    let vk = LinearVk::commit(&s, &key).unwrap();
    g.bench_function("sparse", |b| {
        b.iter(|| black_box(prove(&s, &vk, &x, 1).unwrap()))
    });
    let d = densify(&t);
    let vk = LinearVk::commit(&d, &key).unwrap();
    g.bench_function("dense-sumcheck", |b| {
        b.iter(|| black_box(prove(&d, &vk, &x, 1).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

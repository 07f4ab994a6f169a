//! Criterion benchmark: proving and verifying one inference of a 784-256-256-10
//! ternary MLP at density 1/16 (random weights, requantization scaled like a trained
//! model's), beside its plain integer inference. Run with `cargo bench -p ternzk-bench`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use ternzk_core::random::{self, RandomMlp};
use ternzk_prover::hyrax::HyraxKey;
use ternzk_prover::mlp::{key_vars, prove, verify, MlpVk};
use ternzk_prover::requant::requant;

/// A random 784-256-256-10 at density 1/16 with `M/2^k ≈ 1/40` (k = 12), as the
/// compiled Fashion-MNIST models have.
fn model() -> RandomMlp {
    let mut m = RandomMlp::new(&[784, 256, 256, 10], 1.0 / 16.0, &[12], 42);
    for row in m.m.iter_mut() {
        row.iter_mut().for_each(|x| *x = (1i64 << 12) / 40);
    }
    m
}

/// The integer inference the proof is about (the floor no prover can beat).
fn infer(model: &RandomMlp, x: &[u8]) -> Vec<i32> {
    let mut a: Vec<i32> = x.iter().map(|&v| v as i32).collect();
    for l in 0..model.weights.len() {
        let mut z = model.weights[l].matvec_i32(&a);
        for (zi, b) in z.iter_mut().zip(&model.bias[l]) {
            *zi += b;
        }
        a = if model.m[l].is_empty() {
            z
        } else {
            z.iter()
                .zip(&model.m[l])
                .map(|(&zi, &m)| requant(zi, m, model.k[l]).2 as i32)
                .collect()
        };
    }
    a
}

fn bench(c: &mut Criterion) {
    let model = model();
    let x: Vec<u8> = random::activations(784, 1, 7)
        .iter()
        .map(|&v| v as u8)
        .collect();
    let vk = MlpVk::commit(&model.layers(), &HyraxKey::new(10)).unwrap();
    let key = HyraxKey::new(key_vars(&vk, 1));
    let (statement, proof) = prove(&model.layers(), &vk, &key, &x, 1, false).unwrap();
    assert_eq!(statement.output, infer(&model, &x));
    let mut g = c.benchmark_group("mlp-784-256-256-10-d16");
    g.sample_size(20);
    g.bench_function("integer-inference", |b| {
        b.iter(|| black_box(infer(&model, &x)))
    });
    g.bench_function("prove", |b| {
        b.iter(|| black_box(prove(&model.layers(), &vk, &key, &x, 1, false).unwrap()))
    });
    g.bench_function("verify", |b| {
        b.iter(|| verify(&vk, &key, &statement, &proof).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

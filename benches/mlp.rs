//! Criterion benchmark: proving and verifying one inference of a 784-256-256-10
//! ternary MLP at density 1/16 (random weights, requantization scaled like a trained
//! model's), beside its plain integer inference. Run with `cargo bench -p ternzk-bench`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use ternzk_prover::hyrax::HyraxKey;
use ternzk_prover::mlp::{key_vars, prove, verify, MlpLayer, MlpVk};
use ternzk_prover::random;
use ternzk_prover::requant::requant;
use ternzk_prover::TernaryCsr;

struct Model {
    weights: Vec<TernaryCsr>,
    bias: Vec<Vec<i32>>,
    m: Vec<Vec<i64>>,
    k: Vec<u32>,
}

impl Model {
    fn new(widths: &[usize], density: f64) -> Self {
        let n = widths.len() - 1;
        let mut model = Model {
            weights: Vec::new(),
            bias: Vec::new(),
            m: Vec::new(),
            k: Vec::new(),
        };
        for l in 0..n {
            let (n_in, n_out) = (widths[l], widths[l + 1]);
            model
                .weights
                .push(random::ternary(n_out, n_in, density, 42 + l as u64));
            model
                .bias
                .push((0..n_out).map(|i| (i as i32 % 64) - 32).collect());
            // M/2^k ≈ 1/40, as the compiled Fashion-MNIST models have (k = 29).
            let hidden = l + 1 < n;
            model.k.push(if hidden { 29 } else { 0 });
            model.m.push(if hidden {
                vec![(1i64 << 29) / 40; n_out]
            } else {
                Vec::new()
            });
        }
        model
    }

    fn layers(&self) -> Vec<MlpLayer<'_>> {
        (0..self.weights.len())
            .map(|l| MlpLayer {
                weights: &self.weights[l],
                bias: &self.bias[l],
                m: &self.m[l],
                k: self.k[l],
            })
            .collect()
    }

    /// The integer inference the proof is about (the floor no prover can beat).
    fn infer(&self, x: &[u8]) -> Vec<i32> {
        let mut a: Vec<i32> = x.iter().map(|&v| v as i32).collect();
        for l in 0..self.weights.len() {
            let mut z = self.weights[l].matvec_i32(&a);
            for (zi, b) in z.iter_mut().zip(&self.bias[l]) {
                *zi += b;
            }
            a = if self.m[l].is_empty() {
                z
            } else {
                z.iter()
                    .zip(&self.m[l])
                    .map(|(&zi, &m)| requant(zi, m, self.k[l]).2 as i32)
                    .collect()
            };
        }
        a
    }
}

fn bench(c: &mut Criterion) {
    let model = Model::new(&[784, 256, 256, 10], 1.0 / 16.0);
    let x: Vec<u8> = random::activations(784, 1, 7)
        .iter()
        .map(|&v| v.clamp(0, 255) as u8)
        .collect();
    let commit_key = HyraxKey::new(10);
    let vk = MlpVk::commit(&model.layers(), &commit_key).unwrap();
    let key = HyraxKey::new(key_vars(&vk, 1));
    let (statement, proof) = prove(&model.layers(), &vk, &key, &x, 1, false).unwrap();
    assert_eq!(statement.output, model.infer(&x));
    let mut g = c.benchmark_group("mlp-784-256-256-10-d16");
    g.sample_size(20);
    g.bench_function("integer-inference", |b| {
        b.iter(|| black_box(model.infer(&x)))
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

//! Training tests (feature `train`): a tiny model on synthetic data, and QAT's
//! forward pass against the compiler's ternarization and integer engine.
#![cfg(feature = "train")]

use std::collections::HashMap;
use ternzk_compiler::data::Table;
use ternzk_compiler::dataset::Dataset;
use ternzk_compiler::{load_dense, DenseModel, Density, ScaleMode};
use ternzk_models::save_dense;
use ternzk_models::ternary::{compile_in_memory, compiler_options, ternary_model};
use ternzk_models::train::{train_dense, train_qat, Data, Mlp, Progress, QatConfig, TrainConfig};

const DIM: usize = 64;

/// A 10-class synthetic data set: a random prototype per class plus noise.
fn synthetic(n: usize, seed: u64) -> Dataset {
    let mut s = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 33) as u32
    };
    let protos: Vec<u8> = {
        let mut p = 0x2545F4914F6CDD1Du64;
        (0..10 * DIM)
            .map(|_| {
                p ^= p << 13;
                p ^= p >> 7;
                p ^= p << 17;
                if p.is_multiple_of(3) {
                    200
                } else {
                    20
                }
            })
            .collect()
    };
    let mut images = Vec::with_capacity(n * DIM);
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let c = i % 10;
        labels.push(c as u8);
        for j in 0..DIM {
            let noise = (next() % 121) as i32 - 60;
            images.push((protos[c * DIM + j] as i32 + noise).clamp(0, 255) as u8);
        }
    }
    Dataset {
        dim: DIM,
        images,
        labels,
    }
}

fn data() -> Data {
    Data::new(&synthetic(2000, 1), synthetic(500, 2), 256).unwrap()
}

#[test]
fn tiny_dense_model_learns_and_compiles() {
    let data = data();
    let cfg = TrainConfig {
        epochs: 2,
        batch_size: 32,
        lr: 3e-3,
        ..TrainConfig::default()
    };
    let mut losses = Vec::new();
    let (model, report) = train_dense(&[DIM, 32, 16, 10], &data, &cfg, &mut |p| {
        if let Progress::Step { loss, .. } = p {
            losses.push(loss);
        }
    })
    .unwrap();
    assert_eq!(losses.len(), 2 * 2000usize.div_ceil(32));
    let first: f32 = losses[..10].iter().sum::<f32>() / 10.0;
    let last: f32 = losses[losses.len() - 10..].iter().sum::<f32>() / 10.0;
    assert!(
        last < 0.5 * first,
        "loss did not decrease: {first} -> {last}"
    );
    assert!(report.test_accuracy > 0.9, "{report:?}");

    // The file loads with the compiler and compiles.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("tiny.safetensors");
    save_dense(&model, &p, HashMap::new()).unwrap();
    let loaded = load_dense(&p, None).unwrap();
    assert_eq!(loaded, model);
    assert_eq!(
        loaded
            .layers
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>(),
        ["fc1", "fc2", "fc3"]
    );
    let opts = compiler_options(Density::Uniform(0.5), ScaleMode::PerLayer);
    let (compiled, _) = compile_in_memory(&loaded, &opts, &data.calib).unwrap();
    assert_eq!(compiled.layers.len(), 3);
}

fn random_dense(dims: &[usize]) -> DenseModel {
    Mlp::new(dims, 7).unwrap().to_dense().unwrap()
}

/// The QAT forward pass (ternary weights, simulated u8 activations) against the
/// compiler: same support and signs, and the integer engine's logits times the
/// accumulator scale equal the float logits up to rounding.
#[test]
fn qat_forward_matches_the_compiler() {
    let data = data();
    let dense = random_dense(&[DIM, 48, 32, 10]);
    for (density, mode) in [
        (Density::Uniform(0.25), ScaleMode::PerLayer),
        (Density::Uniform(0.0625), ScaleMode::PerLayer),
        (Density::Uniform(0.25), ScaleMode::PerRow),
        (Density::Global(0.125), ScaleMode::PerLayer),
    ] {
        let tm = ternary_model(&dense, &density, mode).unwrap();
        let opts = compiler_options(density.clone(), mode);
        // Compile the *ternary* float model, as `ternzk compile` does with a QAT output.
        let (compiled, scales) = compile_in_memory(&tm.model, &opts, &data.calib).unwrap();
        assert_eq!(scales.len(), 2);
        for (li, (cl, t)) in compiled.layers.iter().zip(&tm.t).enumerate() {
            let n_in = cl.n_in();
            for (idx, &v) in t.iter().enumerate() {
                assert_eq!(
                    cl.weights.get(idx / n_in, idx % n_in),
                    v,
                    "layer {li} {idx}"
                );
            }
        }
        // The same support as compiling the dense model directly.
        let (direct, _) = compile_in_memory(&dense, &opts, &data.calib).unwrap();
        for (a, b) in direct.layers.iter().zip(&compiled.layers) {
            assert_eq!(a.weights, b.weights);
        }

        let mlp = Mlp::from_dense(&dense).unwrap();
        let weights: Vec<_> = tm
            .model
            .layers
            .iter()
            .map(|l| {
                candle_core::Tensor::from_slice(
                    &l.weight,
                    (l.n_out, l.n_in),
                    &candle_core::Device::Cpu,
                )
                .unwrap()
            })
            .collect();
        let logits = mlp
            .forward(&data.test_x, &weights, Some(&scales))
            .unwrap()
            .to_vec2::<f32>()
            .unwrap();
        let q = compiled.input.quantize_rows(&data.test.x);
        let z = compiled.infer_batch_i32(&q, data.test.len());
        let last = compiled.layers.last().unwrap();
        let unit = last.alpha[0] * last.input_scale;
        let (mut agree, mut close) = (0, 0);
        let span = logits
            .iter()
            .flatten()
            .fold(0f32, |m, v| m.max(v.abs()))
            .max(1e-6);
        for (i, row) in logits.iter().enumerate() {
            let zi = &z[i * 10..(i + 1) * 10];
            let real: Vec<f64> = zi.iter().map(|&v| v as f64 * unit).collect();
            let am = |v: &[f64]| (0..v.len()).max_by(|&a, &b| v[a].total_cmp(&v[b])).unwrap();
            let rowf: Vec<f64> = row.iter().map(|&v| v as f64).collect();
            agree += usize::from(am(&rowf) == am(&real));
            let err = rowf
                .iter()
                .zip(&real)
                .map(|(a, b)| (a - b).abs())
                .fold(0f64, f64::max);
            close += usize::from(err < 0.05 * span as f64);
        }
        let n = logits.len();
        assert!(
            agree * 100 >= 97 * n,
            "{density:?} {mode:?}: argmax agrees on {agree}/{n}"
        );
        assert!(
            close * 100 >= 95 * n,
            "{density:?} {mode:?}: logits close on {close}/{n}"
        );
    }
}

/// QAT end to end on the tiny task: the saved model compiles to an integer model
/// whose accuracy is the one QAT reported, and QAT beats post-training ternarization.
#[test]
fn qat_output_compiles_to_the_reported_accuracy() {
    let data = data();
    let cfg = TrainConfig {
        epochs: 2,
        batch_size: 32,
        lr: 3e-3,
        ..TrainConfig::default()
    };
    let (dense, _) = train_dense(&[DIM, 32, 16, 10], &data, &cfg, &mut |_| {}).unwrap();
    let density = Density::Uniform(0.0625);
    let qcfg = QatConfig {
        train: TrainConfig { lr: 1e-3, ..cfg },
        density: density.clone(),
        rescale_every: 10,
        ..QatConfig::default()
    };
    let (model, report) = train_qat(&dense, &data, &qcfg, &mut |_| {}).unwrap();
    assert!(report.disagreements <= 5, "{report:?}");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("qat.safetensors");
    save_dense(&model, &p, HashMap::new()).unwrap();
    let loaded = load_dense(&p, None).unwrap();
    let opts = compiler_options(density, ScaleMode::PerLayer);
    let (compiled, _) = compile_in_memory(&loaded, &opts, &data.calib).unwrap();
    let acc =
        ternzk_compiler::evaluate::accuracy_compiled_table(&compiled, &data.test, &|_| {}).unwrap();
    assert_eq!(acc, report.compiled_accuracy);
    assert!((acc - report.qat_accuracy).abs() <= 0.01, "{report:?}");
    assert!(acc >= report.ptq_accuracy, "{report:?}");
    assert_eq!(report.nnz, compiled.nnz());
}

/// Real-valued features of very different ranges, two classes, one output unit:
/// class 1 when `x0/10 − x1 + 0.1·x2 > 1.2`.
fn tabular(n: usize, seed: u64) -> Table {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut u = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f32 / (1u64 << 53) as f32
    };
    let mut x = Vec::with_capacity(n * 4);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let row = [u() * 20.0, u() * 2.0 - 1.0, u() * 10.0 - 5.0, u()];
        y.push(u32::from(row[0] / 10.0 - row[1] + 0.1 * row[2] > 1.2));
        x.extend(row);
    }
    Table {
        name: "tabular".into(),
        dim: 4,
        x,
        labels: Some(y),
        pixels: false,
    }
}

/// QAT on real-valued data with a binary head: trains on the quantized inputs, saves a
/// model on real inputs, and that model compiles (same calibration rows) to the
/// accuracy QAT reported.
#[test]
fn qat_on_tabular_data_with_one_output_unit() {
    let (train, test) = (tabular(1500, 1), tabular(400, 2));
    let dense_data = Data::from_tables(&train, &test, 256, false).unwrap();
    let cfg = TrainConfig {
        epochs: 3,
        batch_size: 32,
        lr: 1e-2,
        ..TrainConfig::default()
    };
    let (dense, report) = train_dense(&[4, 16, 1], &dense_data, &cfg, &mut |_| {}).unwrap();
    assert!(report.test_accuracy > 0.8, "{report:?}");
    let data = Data::from_tables(&train, &test, 256, true).unwrap();
    assert!(data.input.is_some());
    let density = Density::Uniform(0.5);
    let qcfg = QatConfig {
        train: TrainConfig { lr: 3e-3, ..cfg },
        density: density.clone(),
        rescale_every: 10,
        ..QatConfig::default()
    };
    let (model, report) = train_qat(&dense, &data, &qcfg, &mut |_| {}).unwrap();
    assert_eq!(model.layers[0].name, "fc1");
    let opts = compiler_options(density, ScaleMode::PerLayer);
    let (compiled, _) = compile_in_memory(&model, &opts, &data.calib).unwrap();
    assert!(compiled.input.per_feature.is_some());
    let acc =
        ternzk_compiler::evaluate::accuracy_compiled_table(&compiled, &data.test, &|_| {}).unwrap();
    assert_eq!(acc, report.compiled_accuracy, "{report:?}");
    assert!(acc > 0.75, "{report:?}");
    assert_eq!(report.nnz, compiled.nnz());
}

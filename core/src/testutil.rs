//! Small hand-built compiled models and inputs for unit tests (no compiler needed).

use crate::engine::{CompiledModel, InputQuant, QuantLayer};
use crate::format::{ModelInfo, ScaleMode};
use crate::ternary::TernaryCsr;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A 16-12-8-5 model with density-1/2 ternary weights, small biases and shift 12;
/// multipliers shared per layer or distinct per row as `mode` says.
pub fn tiny_compiled(mode: ScaleMode) -> CompiledModel {
    let dims = [16usize, 12, 8, 5];
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let last = dims.len() - 2;
    let layers = dims
        .windows(2)
        .enumerate()
        .map(|(li, w)| {
            let (n_in, n_out) = (w[0], w[1]);
            let dense: Vec<i8> = (0..n_out * n_in)
                .map(|_| [0i8, 0, 1, -1][rng.gen_range(0..4)])
                .collect();
            let relu = li != last;
            let shared = rng.gen_range(100..400);
            let m = match (relu, mode) {
                (false, _) => Vec::new(),
                (true, ScaleMode::PerLayer) => vec![shared; n_out],
                (true, ScaleMode::PerRow) => (0..n_out).map(|_| rng.gen_range(100..400)).collect(),
            };
            QuantLayer {
                name: format!("fc{}", li + 1),
                weights: TernaryCsr::from_dense(n_out, n_in, &dense).unwrap(),
                bias: (0..n_out).map(|_| rng.gen_range(-50..50)).collect(),
                m,
                k: if relu { 12 } else { 0 },
                relu,
                input_scale: 1.0 / 255.0,
                alpha: vec![0.5; n_out],
                output_scale: relu.then_some(0.02),
            }
        })
        .collect();
    CompiledModel {
        layers,
        input: InputQuant {
            scale: 1.0 / 255.0,
            zero_point: 0,
            per_feature: None,
        },
        info: ModelInfo {
            source_file: "tiny.safetensors".into(),
            source_blake3: "00".repeat(32),
            source_bytes: 0,
            density: vec![0.5; 3],
            global_density: false,
            scale_mode: mode,
            calibration: "uniform".into(),
            calib_samples: 0,
            calib_percentile: 99.9,
            fit: false,
        },
    }
}

/// `n` pseudo-random u8 inputs of width `n_in`, back to back.
pub fn inputs(n: usize, n_in: usize) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    (0..n * n_in).map(|_| rng.gen()).collect()
}

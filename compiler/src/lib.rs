//! ternzk compiler: dense `.safetensors` or ONNX MLP → pruned, ternarized, quantized CSR model.
//!
//! Pipeline: [`safetensors_io`] (or [`onnx_io`]) reads the dense model,
//! [`support_search`] (default) or [`prune`] (magnitude) chooses each layer's ternary
//! support and scales, [`pipeline`] quantizes biases and chooses the requantization ([`quantize`]) from calibration data ([`calibrate`]), [`format`]
//! writes/reads the compiled `.safetensors` file, and [`engine`] runs the integer
//! model on the [`ternzk_core::TernaryCsr`] kernel. [`float_ref`] is the dense float
//! reference, [`dataset`] the Fashion-MNIST loader, [`evaluate`] accuracy.
//!
//! The compiled-model types, the file format, the engine and the error type are
//! `ternzk-core`'s ([`engine`], [`format`], [`error`] are its modules, re-exported),
//! so that the prover and the CLI share them without depending on the compiler.

pub mod calibrate;
pub mod data;
pub mod dataset;
pub use ternzk_core::engine;
pub use ternzk_core::error;
pub mod evaluate;
pub mod float_ref;
pub use ternzk_core::format;
pub mod input_fit;
pub mod onnx_io;
pub mod pipeline;
pub mod prune;
pub mod quantize;
pub mod safetensors_io;
pub mod support_search;

pub use calibrate::Calibration;
pub use engine::{CompiledModel, InputQuant, LayerTrace, QuantLayer};
pub use error::{Error, Result};
pub use pipeline::{compile_dense, compile_file, CompileOptions};
pub use prune::{Density, ScaleMode};
pub use safetensors_io::{dense_from_tensors, load_dense, DenseLayer, DenseModel, NamedTensor};
pub use support_search::{SearchOptions, Support};

#[cfg(test)]
pub(crate) mod testutil {
    //! Small random models for unit tests.
    use crate::pipeline::{compile_dense, CompileOptions, Source};
    use crate::{Calibration, CompiledModel, DenseLayer, DenseModel, ScaleMode};
    use rand::{Rng, SeedableRng};

    /// A random dense MLP with the given widths and N(0, 0.5)-ish weights.
    pub fn random_dense(dims: &[usize], seed: u64) -> DenseModel {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let layers = dims
            .windows(2)
            .enumerate()
            .map(|(i, w)| DenseLayer {
                name: format!("fc{}", i + 1),
                n_out: w[1],
                n_in: w[0],
                weight: (0..w[0] * w[1])
                    .map(|_| rng.gen_range(-1.0f32..1.0))
                    .collect(),
                bias: (0..w[1]).map(|_| rng.gen_range(-0.1f32..0.1)).collect(),
            })
            .collect();
        DenseModel { layers }
    }

    /// `random_dense` compiled at density 1/2 with uniform calibration.
    pub fn tiny_compiled(mode: ScaleMode) -> CompiledModel {
        let dense = random_dense(&[16, 12, 8, 5], 1);
        let opts = CompileOptions {
            mode,
            calibration: Calibration::Uniform,
            calib_samples: 64,
            density: crate::Density::Uniform(0.5),
            ..CompileOptions::default()
        };
        let calib = Calibration::Uniform.inputs(64, 16).unwrap();
        let src = Source {
            file: "tiny.safetensors".into(),
            blake3: "00".repeat(32),
            bytes: 0,
        };
        compile_dense(&dense, &src, &opts, &calib, &|_| {}).unwrap()
    }
}

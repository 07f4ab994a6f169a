//! ternzk compiler: dense `.safetensors` MLP → pruned, ternarized, quantized CSR model.
//!
//! Pipeline: [`safetensors_io`] reads the dense model, [`prune`] keeps the largest
//! weights and ternarizes them, [`pipeline`] quantizes biases and chooses the
//! requantization ([`quantize`]) from calibration data ([`calibrate`]), [`format`]
//! writes/reads the compiled `.safetensors` file, and [`engine`] runs the integer
//! model on the prover's [`ternzk_prover::TernaryCsr`] kernel. [`float_ref`] is the
//! dense float reference, [`dataset`] the Fashion-MNIST loader, [`evaluate`] accuracy.

pub mod calibrate;
pub mod dataset;
pub mod engine;
pub mod error;
pub mod evaluate;
pub mod float_ref;
pub mod format;
pub mod pipeline;
pub mod prune;
pub mod quantize;
pub mod safetensors_io;

pub use calibrate::Calibration;
pub use engine::{CompiledModel, InputQuant, LayerTrace, QuantLayer};
pub use error::{Error, Result};
pub use pipeline::{compile_dense, compile_file, CompileOptions};
pub use prune::{Density, ScaleMode};
pub use safetensors_io::{load_dense, DenseLayer, DenseModel};

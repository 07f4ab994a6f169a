//! ternzk core: the integer model that the compiler produces, the engine runs and the
//! prover proves — with no field arithmetic, no hashing and no proof system.
//!
//! - [`ternary`]: ternary matrices in split CSR form and their integer mat-vec kernel;
//! - [`requant`]: the requantization rule `y = clamp((z·M + 2^(k−1)) >> k, 0, 255)`,
//!   its witness decomposition and the static bound check that keeps it exact;
//! - [`engine`]: the compiled-model types and the integer inference engine, the
//!   reference every proof agrees with bit for bit;
//! - [`format`]: the compiled `.safetensors` file (see `docs/formats.md`), read and
//!   written through [`safetensors_io`];
//! - [`error`]: the error type of all of the above;
//! - `random` (cargo feature `random`): seeded random ternary matrices, activations
//!   and MLPs for tests, benchmarks and fuzzing.

pub mod engine;
pub mod error;
pub mod feature_quant;
pub mod format;
#[cfg(feature = "random")]
pub mod random;
pub mod requant;
pub mod safetensors_io;
pub mod ternary;

pub use engine::{CompiledModel, InputQuant, LayerTrace, MlpLayer, QuantLayer};
pub use error::{Error, Result};
pub use feature_quant::FeatureQuant;
pub use format::{ModelInfo, ScaleMode};
pub use ternary::TernaryCsr;

#[cfg(test)]
pub(crate) mod testutil;

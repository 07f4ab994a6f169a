//! ternzk models: training dense MLPs and quantization-aware ternary fine-tuning.
//!
//! The default build holds only what needs no machine-learning framework: parsing
//! architectures ([`arch`]), writing models in PyTorch `nn.Linear` layout
//! ([`export`]) and the compiler's ternarization applied to float models
//! ([`ternary`]). The `train` feature adds [`train`], which trains with candle on the
//! CPU. Keeping candle behind the feature means the prover's and compiler's builds
//! never compile it. See `docs/training.md`.

pub mod arch;
pub mod export;
pub mod ternary;
#[cfg(feature = "train")]
pub mod train;

pub use arch::parse_arch;
pub use export::save_dense;
pub use ternary::{compiler_options, ternary_model, TernaryModel};

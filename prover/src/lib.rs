//! ternzk prover: sumcheck/GKR proofs over BN254 for sparse ternary linear layers,
//! against a Hyrax commitment to the model.
//!
//! One concept per module; see `docs/protocol.md` for the protocol these implement.

pub mod accumulate;
#[cfg(target_arch = "x86_64")]
mod affine_lanes;
pub mod dense;
pub mod eq;
pub mod error;
pub mod field;
pub mod generators;
pub mod gkr;
#[cfg(test)]
mod golden_tests;
pub mod hyrax;
#[cfg(target_arch = "x86_64")]
mod ifma;
pub mod linear;
pub mod logup;
pub mod matrix;
pub mod matvec_circuit;
pub mod mle;
pub mod mlp;
pub mod msm;
pub mod random;
pub mod requant;
pub mod simd;
pub mod small_commit;
pub mod sparse;
pub mod sumcheck;
pub mod ternary;
pub mod transcript;
pub mod wire;

pub use error::{Error, Result};
pub use field::{GAffine, F, G};
pub use simd::simd_path;
pub use ternary::TernaryCsr;

//! ternzk prover: sumcheck/GKR proofs over BN254 for sparse ternary linear layers,
//! against a Hyrax commitment to the model.
//!
//! One concept per module; see `docs/protocol.md` for the protocol these implement.
//!
//! The public surface:
//! - the product: [`mlp`] (commit a model to a verifying key, prove, verify, the proof
//!   file) and [`linear`] (one linear layer, the benchmark's subject), with the
//!   commitment key and commitments of [`hyrax`], the field and curve types of
//!   [`field`], and [`Error`];
//! - the building blocks other crates assemble proofs from — the benchmark baselines
//!   (crate `ternzk-baselines`), the benchmarks and the fuzz targets: [`matrix`] (the
//!   [`matrix::LinearBackend`] trait), [`sumcheck`] (the one driver and verifier),
//!   [`transcript`] and its [`labels`], [`eq`], [`mle`], [`wire`], [`logup`], [`msm`],
//!   [`generators`], and [`zk_linear`] (one linear layer in zero knowledge, the
//!   benchmark's `ternary-zk` method).
//!
//! Everything else (the zero-knowledge pieces not yet wired into a proof, the
//! small-integer commitments, the lazy accumulators, the SIMD lanes) is crate-private.

#[macro_use]
mod fault;
pub(crate) mod accumulate;
#[cfg(target_arch = "x86_64")]
mod affine_lanes;
pub(crate) mod deferred;
#[allow(dead_code)] // zero-knowledge groundwork, not yet wired (issue 14)
pub(crate) mod dot_product;
pub mod eq;
pub mod error;
pub mod field;
pub mod generators;
#[cfg(test)]
mod golden_tests;
#[allow(dead_code)] // zero-knowledge groundwork, not yet wired (issue 14)
pub(crate) mod hiding_hyrax;
pub mod hiding_key;
pub mod hyrax;
#[cfg(target_arch = "x86_64")]
mod ifma;
pub mod labels;
pub mod linear;
pub mod logup;
#[allow(dead_code)] // zero-knowledge groundwork, not yet wired (issue 14)
pub(crate) mod masked_sumcheck;
pub mod matrix;
pub mod mle;
pub mod mlp;
pub mod msm;
#[allow(dead_code)] // zero-knowledge groundwork, not yet wired (issue 14)
pub(crate) mod pedersen;
/// The requantization rule (integer side), from `ternzk-core`.
pub use ternzk_core::requant;
#[allow(dead_code)] // zero-knowledge groundwork, not yet wired (issue 14)
pub(crate) mod sigma;
pub mod simd;
pub(crate) mod small_commit;
pub(crate) mod sum_product;
pub mod sumcheck;
pub(crate) mod ternary;
pub mod transcript;
pub mod wire;
pub mod zk_linear;

pub use error::{Check, Committed, Error, KeyPart, Result, Step};
pub use field::{GAffine, F, G};
pub use simd::simd_path;
pub use ternary::TernaryCsr;

//! Benchmark baselines for ternzk: other ways to prove the statement `Y = W·X` that
//! `ternzk bench matvec` and `ternzk report` time beside the ternary prover. None of
//! this is part of the product; the production protocols live in `ternzk-prover`.
//!
//! - [`sparse`]: int8 CSR matrices, one field multiplication per nonzero (`sparse`);
//! - [`dense`]: dense matrices, one multiplication per entry (`dense-sumcheck`);
//! - [`gkr`]: a generic Libra-style GKR for layered circuits, run by the prover's
//!   sumcheck driver and checked by its one sumcheck verifier;
//! - [`matvec_circuit`]: `y = W·x` as a layered circuit for [`gkr`];
//! - [`matvec_gkr`]: the `dense-gkr` method, that circuit's GKR proof bound to a Hyrax
//!   commitment to `W` under Fiat–Shamir;
//! - [`random`]: int8 and dense matrices built from a random ternary one (the ternary
//!   matrices themselves come from `ternzk_core::random`).
//!
//! The first three implement the prover's [`LinearBackend`] trait, so the prover's
//! linear-layer protocol (`ternzk_prover::linear`) proves them unchanged.

pub mod dense;
pub mod gkr;
pub mod matvec_circuit;
pub mod matvec_gkr;
pub mod random;
pub mod sparse;

// The prover's building blocks the baselines are made of, in scope at the crate
// root: `crate::field::F` here names `ternzk_prover::field::F`, as it does in the
// prover the baseline modules came from.
#[cfg(test)]
use ternzk_prover::mle;
use ternzk_prover::{eq, error, field, hyrax, labels, matrix, sumcheck, transcript};

pub use ternzk_prover::matrix::LinearBackend;
pub use ternzk_prover::{Error, Result};

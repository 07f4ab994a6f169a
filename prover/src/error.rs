//! Errors returned by provers and verifiers. Verifiers never panic on bad input: every
//! malformed or false statement ends in one of these.

use thiserror::Error;

/// Why a proof was rejected or could not be produced.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// The proof or key bytes are not well formed (wrong length, bad encoding, trailing data).
    #[error("malformed input: {0}")]
    Malformed(String),
    /// The proof is well formed but a verifier check failed; the string names the check.
    #[error("proof rejected: {0}")]
    Rejected(String),
    /// The inputs to the prover are inconsistent (shapes, values out of range).
    #[error("invalid statement: {0}")]
    Invalid(String),
}

/// Shorthand used across the crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Returns `Err(Error::Rejected(what))` unless `cond` holds.
pub fn ensure(cond: bool, what: &str) -> Result<()> {
    if cond {
        Ok(())
    } else {
        Err(Error::Rejected(what.to_string()))
    }
}

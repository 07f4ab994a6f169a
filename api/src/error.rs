//! The error type of the shared front-end layer. Its messages are the `ternzk`
//! command's (the command prints them after `error: `); its variants say which kind
//! of failure it is, so that the Python package can raise `ValueError`, `OSError` or
//! `ternzk.VerificationError` accordingly.

/// Why a front-end operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A bad argument or input value (wrong width, NaN, a dense model where a compiled
    /// one is needed, …).
    #[error("{0}")]
    Usage(String),
    /// A file could not be read or written; the message names it and the cause.
    #[error("{0}")]
    File(String),
    /// The compiler or model loader failed (its own message names the file, tensor or
    /// layer at fault).
    #[error(transparent)]
    Model(#[from] ternzk_compiler::Error),
    /// A verifying key's bytes do not decode; `what` names the file or buffer.
    #[error("{what} is not a valid verifying key: {cause}")]
    Key {
        /// The file (path) or `"the bytes"`.
        what: String,
        /// The decoder's error.
        cause: ternzk_prover::Error,
    },
    /// The prover could not prove the statement (shapes, values out of range).
    #[error(transparent)]
    Prove(ternzk_prover::Error),
    /// The proof was rejected: malformed bytes, another model's proof, or a failed
    /// check (the [`ternzk_prover::Check`] is named in the message).
    #[error(transparent)]
    Rejected(ternzk_prover::Error),
}

impl Error {
    /// Whether the failure is about a file (the compiler's I/O errors included):
    /// Python raises `OSError` for these.
    pub fn is_file(&self) -> bool {
        matches!(
            self,
            Error::File(_) | Error::Model(ternzk_compiler::Error::Io { .. })
        )
    }
}

/// Result with the front end's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

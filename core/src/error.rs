//! The compiler's error type: every failure on user input is one of these, with a
//! message naming the file, tensor or layer at fault.

use std::path::PathBuf;

/// Errors from reading, compiling, writing or running models.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened, mapped, read or written.
    // The cause is printed inline and deliberately not exposed as `source()`, so that
    // error-chain printers (`anyhow`'s `{:#}`) do not print it twice.
    #[error("{path}: {cause}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        cause: std::io::Error,
    },
    /// The file is not a readable `.safetensors` file (truncated, corrupt header, …).
    #[error("{path}: not a valid .safetensors file: {reason}")]
    Format {
        /// The file concerned.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The tensors do not describe a supported MLP (shapes, dtypes, names, values).
    #[error("invalid model: {0}")]
    Model(String),
    /// The model cannot be quantized without leaving the exact-integer range.
    #[error("model rejected by the static bound check: {0}")]
    Bounds(String),
    /// A data set is missing or malformed.
    #[error("data set: {0}")]
    Dataset(String),
    /// Invalid options or arguments.
    #[error("{0}")]
    Usage(String),
}

/// Result with the compiler's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An [`Error::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            cause: source,
        }
    }
}

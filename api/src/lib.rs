//! ternzk-api: the one implementation of what every front end of ternzk does around
//! the compiler and the prover — the `ternzk` command (crate `ternzk`) and the Python
//! package (`python/`) both call it, so that their files are interchangeable and their
//! error messages the same.
//!
//! - [`files`]: atomic writes, loading compiled models, verifying keys and proofs;
//! - [`inputs`]: real-valued inputs checked and quantized by a model's quantizer;
//! - [`options`]: densities and fractions as the command line and Python give them;
//! - [`outputs`]: classes and dequantized logits of proven integer logits;
//! - [`proving`]: the commitment key, commit, prove and verify of a compiled model;
//! - [`Error`]: what went wrong, sorted by whose fault it is (a bad argument, a file,
//!   a rejected proof).

pub mod error;
pub mod files;
pub mod inputs;
pub mod options;
pub mod outputs;
pub mod proving;

pub use error::{Error, Result};

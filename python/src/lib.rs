//! `ternzk._ternzk`: the extension module of the `ternzk` Python package.
//!
//! A binding layer only: it converts numpy arrays, paths and bytes to the types of
//! the Rust crates and back, releases the GIL around compiling, proving and
//! verifying, and turns errors into Python exceptions. The work — compiling, the
//! files, input quantization, proving and verifying — is `ternzk-compiler`'s,
//! `ternzk-prover`'s and `ternzk-api`'s (the last shared with the `ternzk` command,
//! so files and error messages are the command's).
//!
//! Modules: [`arrays`] (numpy in and out), [`errors`] (exception mapping), [`model`]
//! (`compile`, `load`, `CompiledModel`), [`key`] (`VerifyingKey`, public or hiding),
//! [`secret`] (`ProverSecret`, a hiding key's blindings), [`proof`] (`Proof`,
//! `Verified`, `verify`).

use pyo3::prelude::*;

mod arrays;
mod errors;
mod key;
mod model;
mod proof;
mod secret;

/// The prover allocates and drops many multi-megabyte tables; mimalloc keeps freed
/// memory for reuse, as in the `ternzk` command (its prove times are the reference the
/// Python overhead is measured against).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The module `ternzk._ternzk` (re-exported by the `ternzk` package).
#[pymodule]
fn _ternzk(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "VerificationError",
        m.py().get_type::<errors::VerificationError>(),
    )?;
    m.add_class::<model::CompiledModel>()?;
    m.add_class::<key::VerifyingKey>()?;
    m.add_class::<secret::ProverSecret>()?;
    m.add_class::<proof::Proof>()?;
    m.add_class::<proof::Verified>()?;
    m.add_function(wrap_pyfunction!(model::compile, m)?)?;
    m.add_function(wrap_pyfunction!(model::load, m)?)?;
    m.add_function(wrap_pyfunction!(proof::verify, m)?)?;
    m.add_function(wrap_pyfunction!(simd_path, m)?)?;
    Ok(())
}

/// The field-arithmetic path this machine's prover uses (``"ifma"`` or ``"scalar"``).
#[pyfunction]
fn simd_path() -> &'static str {
    ternzk_prover::simd_path()
}

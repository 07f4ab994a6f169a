//! Files: atomic writes, and loading the compiled models, verifying keys and proofs
//! that `ternzk compile`, `commit` and `prove` (or the Python package) write.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;
use ternzk_compiler::format::file_is_compiled;
use ternzk_compiler::CompiledModel;
use ternzk_prover::mlp::MlpVk;

/// Writes `bytes` to `path` atomically (a temporary file in the same directory,
/// renamed into place), so a failed run never leaves a partial file. Cost: one write
/// and one fsync of `bytes`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| Error::File(format!("cannot create a file in {}: {e}", dir.display())))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| Error::File(e.to_string()))?;
    tmp.persist(path)
        .map_err(|e| Error::File(format!("cannot write {}: {e}", path.display())))?;
    Ok(())
}

/// Reads a whole file; the error names it. Cost: O(file size).
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::File(format!("cannot read {}: {e}", path.display())))
}

/// Loads a compiled model (a dense one gets a hint to compile it first).
/// Cost: reading and validating the file.
pub fn load_compiled(path: &Path) -> Result<CompiledModel> {
    if !file_is_compiled(path)? {
        return Err(Error::Usage(format!(
            "{} is a dense model; compile it first: ternzk compile {} -o MODEL.ternzk.safetensors",
            path.display(),
            path.display()
        )));
    }
    Ok(CompiledModel::load(path)?)
}

/// Decodes and validates verifying-key bytes; `what` names their origin in the error.
/// Cost: one point decompression and subgroup check per row commitment.
pub fn decode_vk(bytes: &[u8], what: &str) -> Result<MlpVk> {
    if bytes.starts_with(ternzk_prover::hiding_key::HIDING_KEY_MAGIC) {
        return Err(Error::Usage(format!(
            "{what} is a hiding (private-model) key: private-model proving and verifying are not implemented yet; `ternzk prove` and `ternzk verify` take a public key (`ternzk commit` without --hiding), and `ternzk check-key` checks a hiding key's well-formedness proof"
        )));
    }
    MlpVk::from_bytes(bytes).map_err(|cause| Error::Key {
        what: what.to_string(),
        cause,
    })
}

/// Reads and validates a verifying key file. Cost: as [`decode_vk`] plus the read.
pub fn load_vk(path: &Path) -> Result<MlpVk> {
    decode_vk(&read(path)?, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_bad_files_are_named_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.vk");
        let e = load_vk(&missing).unwrap_err();
        assert!(e.is_file(), "{e}");
        assert!(e.to_string().starts_with("cannot read "), "{e}");
        let junk = dir.path().join("junk.vk");
        write_atomic(&junk, b"not a key").unwrap();
        let e = load_vk(&junk).unwrap_err();
        assert!(!e.is_file());
        assert!(
            e.to_string().contains("is not a valid verifying key"),
            "{e}"
        );
        let e = write_atomic(&dir.path().join("no/such/dir/x"), b"x").unwrap_err();
        assert!(e.is_file() && e.to_string().starts_with("cannot create a file in"));
    }

    #[test]
    fn atomic_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(read(&p).unwrap(), b"two");
    }
}

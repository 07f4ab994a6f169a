//! Files: atomic writes, and loading the compiled models, verifying keys and proofs
//! that `ternzk compile`, `commit` and `prove` (or the Python package) write.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use ternzk_compiler::format::file_is_compiled;
use ternzk_compiler::CompiledModel;
use ternzk_prover::hiding_key::{HidingKey, KeySecrets};
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
            "{what} is a hiding (private-model) key: this step needs a public key (`ternzk commit` without --hiding); `ternzk prove` and `ternzk verify` take either kind"
        )));
    }
    MlpVk::from_bytes(bytes).map_err(|cause| Error::Key {
        what: what.to_string(),
        cause,
    })
}

/// A model key: a public verifying key (`ternzk commit`) or a hiding key (`ternzk
/// commit --hiding`, private-model mode).
pub enum ModelKey {
    /// The public verifying key: the weights are committed, not hidden.
    Public(MlpVk),
    /// The hiding key: weights, biases and multipliers hidden.
    Hiding(HidingKey),
}

impl ModelKey {
    /// Inputs of the model. Cost: O(1).
    pub fn n_in(&self) -> usize {
        match self {
            Self::Public(vk) => vk.n_in(),
            Self::Hiding(k) => k.n_in(),
        }
    }

    /// Outputs (logits per input) of the model. Cost: O(1).
    pub fn n_out(&self) -> usize {
        match self {
            Self::Public(vk) => vk.n_out(),
            Self::Hiding(k) => k.n_out(),
        }
    }

    /// The key's digest (what proofs name). Cost: O(1).
    pub fn digest(&self) -> [u8; 32] {
        match self {
            Self::Public(vk) => vk.digest,
            Self::Hiding(k) => k.digest,
        }
    }
}

/// Decodes a key file of either kind (by its magic). Cost: as [`decode_vk`], or the
/// hiding key's decoding (its well-formedness proof is not checked here:
/// [`HidingKey::check`]).
pub fn decode_model_key(bytes: &[u8], what: &str) -> Result<ModelKey> {
    if bytes.starts_with(ternzk_prover::hiding_key::HIDING_KEY_MAGIC) {
        return HidingKey::from_bytes(bytes)
            .map(ModelKey::Hiding)
            .map_err(|cause| Error::Key {
                what: what.to_string(),
                cause,
            });
    }
    decode_vk(bytes, what).map(ModelKey::Public)
}

/// Reads a key file of either kind. Cost: as [`decode_model_key`] plus the read.
pub fn load_model_key(path: &Path) -> Result<ModelKey> {
    decode_model_key(&read(path)?, &path.display().to_string())
}

/// Where `ternzk commit --hiding KEY` puts the prover's secret blindings by default:
/// the key's path with `.secret` appended.
pub fn default_secret_path(key: &Path) -> PathBuf {
    let mut s = key.as_os_str().to_owned();
    s.push(".secret");
    PathBuf::from(s)
}

/// Reads a hiding key's secret file and checks that it belongs to `key`.
/// Cost: O(size).
pub fn load_secrets(path: &Path, key: &HidingKey) -> Result<KeySecrets> {
    let bytes = read(path)?;
    let secrets = KeySecrets::from_bytes(&bytes).map_err(|cause| Error::Key {
        what: path.display().to_string(),
        cause,
    })?;
    if secrets.key_digest != key.digest {
        return Err(Error::Usage(format!(
            "{} holds the blindings of another hiding key",
            path.display()
        )));
    }
    Ok(secrets)
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

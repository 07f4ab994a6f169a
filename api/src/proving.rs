//! Commit, prove and verify a compiled model: the steps of `ternzk commit`, `prove`
//! and `verify`, without their printing.

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use ternzk_compiler::CompiledModel;
use ternzk_prover::field::log2_ceil;
use ternzk_prover::hyrax::HyraxKey;
use ternzk_prover::mlp::{key_vars, prove_timed, verify, MlpVk, ProofFile, ProveTimings};
pub use ternzk_prover::mlp::{PublicInput, Statement};

/// The generators for committing to `model`'s weights: `2^⌈log n_in⌉` of the widest
/// layer input. Cost: one hash-to-curve per generator.
pub fn commit_key(model: &CompiledModel) -> HyraxKey {
    let vars = model
        .layers
        .iter()
        .map(|l| log2_ceil(l.n_in()))
        .max()
        .unwrap_or(0);
    HyraxKey::new(vars)
}

/// Commits to a compiled model with the generators of [`commit_key`]: its verifying
/// key. Cost: the generators plus one point addition per nonzero weight.
pub fn commit(model: &CompiledModel) -> Result<MlpVk> {
    MlpVk::commit(&model.mlp_layers(), &commit_key(model)).map_err(Error::Prove)
}

/// Generator sets by size (`log2` of their number), derived once and shared: a
/// proof or verification for a batch needs [`key_vars`] of them, and deriving them
/// (hash to curve) costs about as much as proving a small model. Thread-safe.
#[derive(Default)]
pub struct KeyCache {
    keys: Mutex<HashMap<usize, Arc<HyraxKey>>>,
}

impl KeyCache {
    /// The generators for proofs about `vk` with `batch` inputs, derived on first use.
    /// Cost: O(1) when cached, otherwise one hash-to-curve per generator.
    pub fn for_batch(&self, vk: &MlpVk, batch: usize) -> Arc<HyraxKey> {
        let vars = key_vars(vk, batch);
        let mut keys = match self.keys.lock() {
            Ok(k) => k,
            Err(poisoned) => poisoned.into_inner(),
        };
        keys.entry(vars)
            .or_insert_with(|| Arc::new(HyraxKey::new(vars)))
            .clone()
    }
}

/// Proves that `model` (committed in `vk`) maps `batch` quantized inputs (`batch ×
/// n_in` bytes back to back) to its logits, with the input in the clear or committed
/// (`private_input`, see docs/protocol.md for what that hides). `key` holds at least
/// [`key_vars`] generators. Cost: one proof ([`ternzk_prover::mlp::prove`]).
pub fn prove(
    model: &CompiledModel,
    vk: &MlpVk,
    key: &HyraxKey,
    inputs: &[u8],
    batch: usize,
    private_input: bool,
) -> Result<(ProofFile, ProveTimings)> {
    let (statement, proof, times) =
        prove_timed(&model.mlp_layers(), vk, key, inputs, batch, private_input)
            .map_err(Error::Prove)?;
    Ok((
        ProofFile {
            vk_digest: vk.digest,
            statement,
            proof,
        },
        times,
    ))
}

/// Decodes a proof file for `vk` and checks it with the generators from `keys`;
/// returns the decoded file when it is accepted. Every failure — bytes that do not
/// decode, a proof for another model, a failed check — is [`Error::Rejected`].
/// Cost: decoding plus [`ternzk_prover::mlp::verify`].
pub fn verify_bytes(vk: &MlpVk, keys: &KeyCache, bytes: &[u8]) -> Result<ProofFile> {
    let file = ProofFile::from_bytes(vk, bytes).map_err(Error::Rejected)?;
    let key = keys.for_batch(vk, file.statement.batch);
    verify(vk, &key, &file.statement, &file.proof).map_err(Error::Rejected)?;
    Ok(file)
}

/// The statement's input mode: `"public"` (the input is in the proof) or
/// `"private-input"` (a commitment to it is). Cost: O(1).
pub fn input_mode(statement: &Statement) -> &'static str {
    match statement.input {
        PublicInput::Clear(_) => "public",
        PublicInput::Committed(_) => "private-input",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ternzk_compiler::pipeline::Source;
    use ternzk_compiler::{compile_dense, Calibration, CompileOptions, DenseLayer, DenseModel};

    /// A 12-8-4 dense model with fixed pseudo-random weights, compiled at density 1/2
    /// on uniform calibration inputs.
    fn tiny_compiled_model() -> CompiledModel {
        let layer = |name: &str, n_out: usize, n_in: usize, seed: usize| DenseLayer {
            name: name.into(),
            n_out,
            n_in,
            weight: (0..n_out * n_in)
                .map(|i| (((i * 7919 + seed) % 201) as f32 - 100.0) / 100.0)
                .collect(),
            bias: (0..n_out).map(|i| (i as f32 - 2.0) / 50.0).collect(),
        };
        let dense = DenseModel {
            layers: vec![layer("fc1", 8, 12, 1), layer("fc2", 4, 8, 2)],
        };
        let opts = CompileOptions {
            calibration: Calibration::Uniform,
            calib_samples: 64,
            density: ternzk_compiler::Density::Uniform(0.5),
            ..CompileOptions::default()
        };
        let calib = Calibration::Uniform.inputs(64, 12).unwrap();
        let src = Source {
            file: "tiny".into(),
            blake3: "00".repeat(32),
            bytes: 0,
        };
        compile_dense(&dense, &src, &opts, &calib, &|_| {}).unwrap()
    }

    #[test]
    fn a_proof_verifies_and_a_changed_one_is_rejected() {
        let model = tiny_compiled_model();
        let vk = commit(&model).unwrap();
        let keys = KeyCache::default();
        let inputs: Vec<u8> = (0..2 * model.n_in())
            .map(|i| (i * 37 % 256) as u8)
            .collect();
        for private in [false, true] {
            let key = keys.for_batch(&vk, 2);
            let (file, _) = prove(&model, &vk, &key, &inputs, 2, private).unwrap();
            assert_eq!(file.statement.output, model.infer_batch_i32(&inputs, 2));
            let bytes = file.to_bytes();
            let back = verify_bytes(&vk, &keys, &bytes).unwrap();
            assert_eq!(back, file);
            let mode = if private { "private-input" } else { "public" };
            assert_eq!(input_mode(&back.statement), mode);
            let mut bad = bytes.clone();
            let last = bad.len() - 1;
            bad[last] ^= 1;
            assert!(matches!(
                verify_bytes(&vk, &keys, &bad),
                Err(Error::Rejected(_))
            ));
        }
    }
}

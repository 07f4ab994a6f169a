//! Commit, prove and verify a compiled model: the steps of `ternzk commit`, `prove`
//! and `verify`, without their printing.

use crate::error::{Error, Result};
use rand::{rngs::StdRng, SeedableRng};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use ternzk_compiler::CompiledModel;
use ternzk_prover::field::log2_ceil;
use ternzk_prover::hiding_key::{HidingKey, KeySecrets, PublicQuant};
use ternzk_prover::hyrax::HyraxKey;
use ternzk_prover::mlp::{
    key_vars, key_vars_hidden, mask_vars, mask_vars_hidden, prove_private_model, prove_timed,
    prove_zk, verify, verify_private_model, verify_zk, MaskKey, MlpVk, PrivateModelProofFile,
    ProofFile, ProveTimings, ZkKeys, ZkProofFile,
};
pub use ternzk_prover::mlp::{AnyProofFile, PublicInput, Statement};

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

/// What a hiding key reveals of `model` besides its widths: the input quantizer and, per
/// logit, the real value of one integer unit (`α_i · input_scale` of the last layer).
/// Cost: O(n_out).
pub fn public_quant(model: &CompiledModel) -> PublicQuant {
    PublicQuant {
        input: model.input.clone(),
        output_scales: model
            .layers
            .last()
            .map(|l| l.alpha.iter().map(|a| a * l.input_scale).collect())
            .unwrap_or_default(),
    }
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
    masks: Mutex<HashMap<usize, Arc<MaskKey>>>,
}

impl KeyCache {
    /// The generators for proofs about `vk` with `batch` inputs, derived on first use.
    /// Cost: O(1) when cached, otherwise one hash-to-curve per generator.
    pub fn for_batch(&self, vk: &MlpVk, batch: usize) -> Arc<HyraxKey> {
        self.for_vars(key_vars(vk, batch))
    }

    /// The generators for hidden-model proofs about `key` with `batch` inputs.
    /// Cost: as [`KeyCache::for_batch`].
    pub fn for_hidden(&self, key: &HidingKey, batch: usize) -> Arc<HyraxKey> {
        self.for_vars(key_vars_hidden(key, batch))
    }

    /// The mask generators for hidden-model proofs about `key` with `batch` inputs.
    /// Cost: as [`KeyCache::mask_for_batch`].
    pub fn mask_for_hidden(&self, key: &HidingKey, batch: usize) -> Arc<MaskKey> {
        self.mask_for_vars(mask_vars_hidden(key, batch))
    }

    /// `2^vars` Hyrax generators, derived on first use.
    fn for_vars(&self, vars: usize) -> Arc<HyraxKey> {
        let mut keys = match self.keys.lock() {
            Ok(k) => k,
            Err(poisoned) => poisoned.into_inner(),
        };
        keys.entry(vars)
            .or_insert_with(|| Arc::new(HyraxKey::new(vars)))
            .clone()
    }

    /// The mask generators for zero-knowledge proofs about `vk` with `batch` inputs
    /// ([`mask_vars`] variables), derived on first use. Cost: O(1) when cached,
    /// otherwise 5 hash-to-curve per variable.
    pub fn mask_for_batch(&self, vk: &MlpVk, batch: usize) -> Arc<MaskKey> {
        self.mask_for_vars(mask_vars(vk, batch))
    }

    /// Mask generators for `vars` variables, derived on first use.
    fn mask_for_vars(&self, vars: usize) -> Arc<MaskKey> {
        let mut masks = match self.masks.lock() {
            Ok(k) => k,
            Err(poisoned) => poisoned.into_inner(),
        };
        masks
            .entry(vars)
            .or_insert_with(|| Arc::new(MaskKey::new(vars)))
            .clone()
    }
}

/// Proves that `model` (committed in `vk`) maps `batch` quantized inputs (`batch ×
/// n_in` bytes back to back) to its logits. Public mode (`private_input` false): the
/// input is in the proof file. Private-input mode: the zero-knowledge proof
/// ([`ternzk_prover::mlp::prove_zk`]), which hides the input and every activation (the
/// model and the logits are public; docs/protocol.md, "What is hidden"); its proofs are
/// randomized, and it costs about 11–14× the public proof at batch 1 and 3.1–3.6× at
/// batch 256 on 784-256-256-10 (docs/decisions.md). `keys` supplies the generators. The timings break down a
/// public proof; a zero-knowledge proof reports its whole time as `linear_ms`.
/// Cost: one proof.
pub fn prove(
    model: &CompiledModel,
    vk: &MlpVk,
    keys: &KeyCache,
    inputs: &[u8],
    batch: usize,
    private_input: bool,
) -> Result<(AnyProofFile, ProveTimings)> {
    let layers = model.mlp_layers();
    let hyrax = keys.for_batch(vk, batch);
    if !private_input {
        let (statement, proof, times) =
            prove_timed(&layers, vk, &hyrax, inputs, batch, false).map_err(Error::Prove)?;
        let file = ProofFile {
            vk_digest: vk.digest,
            statement,
            proof,
        };
        return Ok((AnyProofFile::Public(file), times));
    }
    let mask = keys.mask_for_batch(vk, batch);
    let zk = ZkKeys {
        hyrax: &hyrax,
        mask: &mask,
    };
    let t0 = Instant::now();
    let (statement, proof) = prove_zk(&layers, vk, &zk, inputs, batch, &mut StdRng::from_entropy())
        .map_err(Error::Prove)?;
    let times = whole_time(t0);
    let file = ZkProofFile {
        vk_digest: vk.digest,
        statement,
        proof,
    };
    Ok((AnyProofFile::Zk(file), times))
}

/// The timings of a proof whose steps are not timed separately (the zero-knowledge
/// proofs): the whole time since `t0`, reported as `linear_ms`. Cost: O(1).
fn whole_time(t0: Instant) -> ProveTimings {
    ProveTimings {
        forward_ms: 0.0,
        commit_ms: 0.0,
        lookup_ms: 0.0,
        linear_ms: t0.elapsed().as_secs_f64() * 1e3,
        opening_ms: 0.0,
    }
}

/// Decodes a proof file of either kind for `vk` and checks it with the generators from
/// `keys`; returns the decoded file when it is accepted. Every failure — bytes that do
/// not decode, a proof for another model, a failed check — is [`Error::Rejected`].
/// Cost: decoding plus [`ternzk_prover::mlp::verify`] or
/// [`ternzk_prover::mlp::verify_zk`].
pub fn verify_bytes(vk: &MlpVk, keys: &KeyCache, bytes: &[u8]) -> Result<AnyProofFile> {
    let file = AnyProofFile::from_bytes(vk, bytes).map_err(Error::Rejected)?;
    let batch = file.statement().batch;
    let hyrax = keys.for_batch(vk, batch);
    match &file {
        AnyProofFile::Public(f) => verify(vk, &hyrax, &f.statement, &f.proof),
        AnyProofFile::PrivateModel(_) => Err(ternzk_prover::Error::Malformed(
            "a private-model proof needs its hiding key".into(),
        )),
        AnyProofFile::Zk(f) => {
            let mask = keys.mask_for_batch(vk, batch);
            let zk = ZkKeys {
                hyrax: &hyrax,
                mask: &mask,
            };
            verify_zk(vk, &zk, &f.statement, &f.proof)
        }
    }
    .map_err(Error::Rejected)?;
    Ok(file)
}

/// Proves that the hidden model committed in the hiding key `key` (whose blindings are
/// `secrets`) maps `batch` quantized inputs to its logits, in zero knowledge: the
/// weights, biases, multipliers and every activation stay hidden, and with
/// `private_input` the input too (private-both; else private-model, the input in the
/// file). Proofs are randomized. The timings report the whole time as `linear_ms`.
/// Cost: one proof ([`ternzk_prover::mlp::prove_private_model`]).
pub fn prove_hidden(
    model: &CompiledModel,
    key: &HidingKey,
    secrets: &KeySecrets,
    keys: &KeyCache,
    inputs: &[u8],
    batch: usize,
    private_input: bool,
) -> Result<(AnyProofFile, ProveTimings)> {
    let layers = model.mlp_layers();
    let hyrax = keys.for_hidden(key, batch);
    let mask = keys.mask_for_hidden(key, batch);
    let zk = ZkKeys {
        hyrax: &hyrax,
        mask: &mask,
    };
    let t0 = Instant::now();
    let (statement, proof) = prove_private_model(
        &layers,
        key,
        secrets,
        &zk,
        inputs,
        batch,
        private_input,
        &mut StdRng::from_entropy(),
    )
    .map_err(Error::Prove)?;
    let times = whole_time(t0);
    let file = PrivateModelProofFile {
        key_digest: key.digest,
        statement,
        proof,
    };
    Ok((AnyProofFile::PrivateModel(file), times))
}

/// Checks that `secrets` open the hiding key `key` to `model`'s weights, biases and
/// multipliers ([`HidingKey::opens`]), so that proving a model other than the committed
/// one is an error, not a proof that fails to verify. Run it once per (model, key)
/// before proving. Cost: per layer two MSMs (the key's rows and `n_in` generators) and
/// `nnz` field additions (not timed separately).
pub fn check_opens(model: &CompiledModel, key: &HidingKey, secrets: &KeySecrets) -> Result<()> {
    key.opens(
        &key.gens(),
        &model.mlp_layers(),
        secrets,
        &mut StdRng::from_entropy(),
    )
    .map_err(|e| Error::Usage(e.to_string()))
}

/// Decodes a hidden-model proof file for the hiding key `key` and checks it; returns
/// the decoded file when it is accepted. Every failure is [`Error::Rejected`]. The
/// key's own well-formedness proof is the caller's to check once
/// ([`HidingKey::check`]). Cost: decoding plus
/// [`ternzk_prover::mlp::verify_private_model`].
pub fn verify_hidden_bytes(key: &HidingKey, keys: &KeyCache, bytes: &[u8]) -> Result<AnyProofFile> {
    let file = AnyProofFile::from_bytes_hidden(key, bytes).map_err(Error::Rejected)?;
    let batch = file.statement().batch;
    let hyrax = keys.for_hidden(key, batch);
    let mask = keys.mask_for_hidden(key, batch);
    let zk = ZkKeys {
        hyrax: &hyrax,
        mask: &mask,
    };
    if let AnyProofFile::PrivateModel(f) = &file {
        verify_private_model(key, &zk, &f.statement, &f.proof).map_err(Error::Rejected)?;
    }
    Ok(file)
}

/// The proof file's mode: `"public"` (the input is in the proof), `"private-input"`
/// (zero-knowledge: a hiding commitment to the input is) or `"committed-input"` (an
/// older, non-hiding committed-input proof). Cost: O(1).
pub fn input_mode(file: &AnyProofFile) -> &'static str {
    file.mode()
}

/// What a proof of `file`'s mode hides from its verifier, as one sentence. Cost: O(1).
pub fn hidden_description(file: &AnyProofFile) -> &'static str {
    match file.mode() {
        "private-input" => "zero-knowledge: the input and every activation are hidden; the model and the outputs are public",
        "private-model" => "zero-knowledge: the model (weights, biases, multipliers) and every activation are hidden; the input, the layer widths and the outputs are public",
        "private-both" => "zero-knowledge: the model (weights, biases, multipliers), the input and every activation are hidden; the layer widths and the outputs are public",
        "committed-input" => "not zero-knowledge: the input is committed but not hidden (the commitment is unblinded); the model and the outputs are public",
        _ => "nothing is hidden: the input, the model and the outputs are public",
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
            let (file, _) = prove(&model, &vk, &keys, &inputs, 2, private).unwrap();
            assert_eq!(file.statement().output, model.infer_batch_i32(&inputs, 2));
            let bytes = file.to_bytes();
            let back = verify_bytes(&vk, &keys, &bytes).unwrap();
            assert_eq!(back, file);
            let mode = if private { "private-input" } else { "public" };
            assert_eq!(input_mode(&back), mode);
            assert_eq!(back.zero_knowledge(), private);
            if private {
                let (again, _) = prove(&model, &vk, &keys, &inputs, 2, true).unwrap();
                assert_ne!(
                    again.to_bytes(),
                    bytes,
                    "zero-knowledge proofs are randomized"
                );
            }
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

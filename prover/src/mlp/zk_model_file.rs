//! The hidden-model proof's encoding and its proof file.
//!
//! Proof body ([`PrivateModelProof::to_bytes`]): a version `u32`, then every point and
//! every scalar in the fixed order of [`Skeleton`] (32 bytes each, arkworks' compressed
//! form, canonical only). Every length — and the requantization checks — is implied by
//! the hiding key, the batch size and the input's form, so nothing else is written.
//!
//! Proof file: the public proof file's header (`"TZKPROOF"` · version · the *hiding
//! key's* digest · batch `u32`) · input kind `3` (private model: the input bytes
//! follow, `B·n_in`) or `4` (private both: the hiding input commitment, `2^m` points)
//! · the logits (`B·n_out` × `i32`) · the proof body.

use super::wire::{
    read_commitment, read_header_for, read_outputs, write_header, write_outputs, write_points,
};
use super::zk_model::PrivateModelProof;
use super::{PublicInput, Statement, PROOF_MAGIC};
use crate::error::Error;
use crate::field::log2_ceil;
use crate::hiding_key::HidingKey;
use crate::wire::{Reader, Writer};

/// Version of the hidden-model proof body.
pub const PRIVATE_MODEL_PROOF_VERSION: u32 = 2;
/// Input-kind byte of a private-model proof file (input in the clear).
pub const PRIVATE_MODEL_KIND: u8 = 3;
/// Input-kind byte of a private-both proof file (hiding input commitment).
pub const PRIVATE_BOTH_KIND: u8 = 4;

/// Offset of the input-kind byte in a proof file (magic, version, digest, batch).
const KIND_OFFSET: usize = 8 + 4 + 32 + 4;

impl PrivateModelProof {
    /// Encodes the proof body (module docs). Cost: O(size).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u32(PRIVATE_MODEL_PROOF_VERSION);
        w.skeleton(self);
        w.bytes
    }

    /// Decodes a proof body for `key`, `batch` inputs and the input's form; another
    /// version, a short or long body or a non-canonical element is an error.
    /// Cost: O(size) plus one decompression per point.
    pub fn from_bytes(
        key: &HidingKey,
        batch: usize,
        input: &PublicInput,
        bytes: &[u8],
    ) -> crate::Result<Self> {
        let mut r = Reader::new(bytes);
        let version = r.u32("private-model proof version")?;
        if version != PRIVATE_MODEL_PROOF_VERSION {
            return Err(Error::Malformed(format!(
                "private-model proof version {version}, expected {PRIVATE_MODEL_PROOF_VERSION}"
            )));
        }
        let mut proof = Self::skeleton_hidden(key, batch, input)?;
        r.fill(&mut proof, "private-model proof")?;
        Ok(proof)
    }
}

/// A statement about a hidden model and its proof, as stored in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivateModelProofFile {
    /// Digest of the hiding key the proof was made for.
    pub key_digest: [u8; 32],
    /// What is proven: the input in the clear (private model) or committed (both).
    pub statement: Statement,
    /// The proof.
    pub proof: PrivateModelProof,
}

impl PrivateModelProofFile {
    /// Whether `bytes` look like a hidden-model proof file (magic and input kind).
    /// Cost: O(1).
    pub fn detect(bytes: &[u8]) -> bool {
        bytes.starts_with(PROOF_MAGIC)
            && matches!(
                bytes.get(KIND_OFFSET),
                Some(&PRIVATE_MODEL_KIND) | Some(&PRIVATE_BOTH_KIND)
            )
    }

    /// `"private-model"` or `"private-both"`. Cost: O(1).
    pub fn mode(&self) -> &'static str {
        match self.statement.input {
            PublicInput::Clear(_) => "private-model",
            PublicInput::Committed(_) => "private-both",
        }
    }

    /// Encodes the file (module docs). Cost: O(size).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        write_header(&mut w, &self.key_digest, self.statement.batch);
        match &self.statement.input {
            PublicInput::Clear(x) => {
                w.bytes.push(PRIVATE_MODEL_KIND);
                w.bytes.extend_from_slice(x);
            }
            PublicInput::Committed(c) => {
                w.bytes.push(PRIVATE_BOTH_KIND);
                write_points(&mut w, c);
            }
        }
        write_outputs(&mut w, &self.statement.output);
        w.bytes.extend_from_slice(&self.proof.to_bytes());
        w.bytes
    }

    /// Decodes a proof file made for the hiding key `key`. A file for another key is
    /// `Error::Rejected(ModelDigest)`; anything malformed (another kind included)
    /// `Error::Malformed`. Cost: O(size) plus one decompression per point.
    pub fn from_bytes(key: &HidingKey, bytes: &[u8]) -> crate::Result<Self> {
        let mut r = Reader::new(bytes);
        let (digest, batch) = read_header_for(&mut r, &key.digest)?;
        let (n_in, n_out) = (key.n_in(), key.n_out());
        let kind = r.take(1, "input kind")?[0];
        let vars = log2_ceil(batch) + log2_ceil(n_in);
        let after_kind = &bytes[bytes.len() - r.remaining()..];
        let body = |mut r: Reader| -> crate::Result<_> {
            let input = match kind {
                PRIVATE_MODEL_KIND => PublicInput::Clear(r.take(batch * n_in, "input")?.to_vec()),
                PRIVATE_BOTH_KIND => PublicInput::Committed(read_commitment(
                    &mut r,
                    super::zk_grid(vars),
                    "input commitment",
                )?),
                k => {
                    return Err(Error::Malformed(format!(
                        "input kind {k}: a private-model proof file has {PRIVATE_MODEL_KIND} \
                         or {PRIVATE_BOTH_KIND}"
                    )))
                }
            };
            let output = read_outputs(&mut r, batch * n_out)?;
            let rest = r.take(r.remaining(), "proof")?;
            let proof = PrivateModelProof::from_bytes(key, batch, &input, rest)?;
            Ok((input, output, proof))
        };
        let (input, output, proof) = body(r).map_err(|e| match kind {
            PRIVATE_BOTH_KIND => {
                super::zk_file::older_layout(after_kind, vars, batch * n_out, "private-model proof")
                    .unwrap_or(e)
            }
            _ => e,
        })?;
        Ok(Self {
            key_digest: digest,
            statement: Statement {
                batch,
                input,
                output,
            },
            proof,
        })
    }
}

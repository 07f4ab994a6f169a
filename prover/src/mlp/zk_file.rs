//! The zero-knowledge proof file, and reading a proof file of either kind.
//!
//! A zero-knowledge proof file has the public proof file's header with input kind 2
//! (`docs/protocol.md`, "What is hidden"): `"TZKPROOF"` · version `u32` (the public
//! format's, unchanged) · key digest · batch `u32` · input kind `2` · hiding
//! commitment to the input (`2^m` points) · output (`B·n_out` × `i32`) · the
//! zero-knowledge proof ([`ZkMlpProof::to_bytes`], which starts with its own version).
//! Kinds 0 and 1 are the public proof's ([`ProofFile`]), whose bytes are unchanged, so a
//! reader knows from one byte which proof it holds.

use super::wire::{
    read_commitment, read_header, read_outputs, write_header, write_outputs, write_points,
};
use super::zk::ZkMlpProof;
use super::zk_model_file::PrivateModelProofFile;
use super::{MlpVk, ProofFile, PublicInput, Statement, PROOF_MAGIC};
use crate::error::Error;
use crate::field::log2_ceil;
use crate::wire::{Reader, Writer};

/// The input-kind byte of a zero-knowledge proof file.
pub const ZK_INPUT_KIND: u8 = 2;

/// Offset of the input-kind byte in a proof file (magic, version, digest, batch).
const KIND_OFFSET: usize = 8 + 4 + 32 + 4;

/// A statement with a hiding input commitment and its zero-knowledge proof, as stored
/// in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZkProofFile {
    /// Digest of the key the proof was made for.
    pub vk_digest: [u8; 32],
    /// What is proven: the input is a hiding commitment.
    pub statement: Statement,
    /// The zero-knowledge proof.
    pub proof: ZkMlpProof,
}

impl ZkProofFile {
    /// Encodes the file (module docs). Cost: O(size).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        write_header(&mut w, &self.vk_digest, self.statement.batch);
        w.bytes.push(ZK_INPUT_KIND);
        if let PublicInput::Committed(c) = &self.statement.input {
            write_points(&mut w, c);
        }
        write_outputs(&mut w, &self.statement.output);
        w.bytes.extend_from_slice(&self.proof.to_bytes());
        w.bytes
    }

    /// Decodes a zero-knowledge proof file made for `vk`. A file for another key is an
    /// `Error::Rejected`; anything malformed (another kind included) an
    /// `Error::Malformed`. Cost: O(size) plus one point decompression per point.
    pub fn from_bytes(vk: &MlpVk, bytes: &[u8]) -> crate::Result<Self> {
        let mut r = Reader::new(bytes);
        let (digest, batch) = read_header(&mut r, vk)?;
        let kind = r.take(1, "input kind")?[0];
        if kind != ZK_INPUT_KIND {
            return Err(Error::Malformed(format!(
                "input kind {kind}, a zero-knowledge proof file has {ZK_INPUT_KIND}"
            )));
        }
        let vars = log2_ceil(batch) + log2_ceil(vk.n_in());
        let after_kind = &bytes[bytes.len() - r.remaining()..];
        let body = |mut r: Reader| -> crate::Result<_> {
            let input = read_commitment(&mut r, super::zk_grid(vars), "input commitment")?;
            let output = read_outputs(&mut r, batch * vk.n_out())?;
            let rest = r.take(r.remaining(), "proof")?;
            Ok((input, output, <ZkMlpProof>::from_bytes(vk, batch, rest)?))
        };
        let (input, output, proof) = body(r).map_err(|e| {
            older_layout(after_kind, vars, batch * vk.n_out(), "zero-knowledge proof").unwrap_or(e)
        })?;
        let input = PublicInput::Committed(input);
        Ok(Self {
            vk_digest: digest,
            statement: Statement {
                batch,
                input,
                output,
            },
            proof,
        })
    }
}

/// The error for a zero-knowledge file (after its kind byte, `after_kind`) that does
/// not decode today but does as version 1 wrote it — the input commitment on the
/// public proof's grid (`super::grid`), the logits, then a body of version 1 — so the
/// user learns to prove again rather than that a point is invalid. `None` otherwise.
/// Cost: O(size of the commitment).
pub(super) fn older_layout(
    after_kind: &[u8],
    vars: usize,
    outputs: usize,
    what: &str,
) -> Option<Error> {
    let mut r = Reader::new(after_kind);
    read_commitment(&mut r, super::grid(vars), "input commitment").ok()?;
    read_outputs(&mut r, outputs).ok()?;
    (r.u32("version").ok()? == 1).then(|| {
        Error::Malformed(format!(
            "{what} version 1, made by an older ternzk (its hiding commitments used \
             another grid); this one reads version 2: prove again"
        ))
    })
}

/// A proof file of either kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnyProofFile {
    /// The public proof (input in the clear, or committed without hiding).
    Public(ProofFile),
    /// The zero-knowledge private-input proof.
    Zk(ZkProofFile),
    /// The zero-knowledge proof for a hidden model (private model or private both).
    PrivateModel(PrivateModelProofFile),
}

impl AnyProofFile {
    /// Decodes a proof file for `vk`, choosing the kind by its input-kind byte (a file
    /// too short to hold one is decoded as public, whose error names what is missing).
    /// Errors as [`ProofFile::from_bytes`]. Cost: that of the kind's decoder.
    pub fn from_bytes(vk: &MlpVk, bytes: &[u8]) -> crate::Result<Self> {
        if PrivateModelProofFile::detect(bytes) {
            return Err(Error::Malformed(
                "a private-model proof file: it is checked against a hiding key (`ternzk \
                 commit --hiding`), not a public one"
                    .into(),
            ));
        }
        if bytes.get(KIND_OFFSET) == Some(&ZK_INPUT_KIND) && bytes.starts_with(PROOF_MAGIC) {
            ZkProofFile::from_bytes(vk, bytes).map(Self::Zk)
        } else {
            ProofFile::from_bytes(vk, bytes).map(Self::Public)
        }
    }

    /// Decodes a proof file made for the hiding key `key` (a private-model or
    /// private-both file; anything else is `Error::Malformed`). Cost: as
    /// [`PrivateModelProofFile::from_bytes`].
    pub fn from_bytes_hidden(
        key: &crate::hiding_key::HidingKey,
        bytes: &[u8],
    ) -> crate::Result<Self> {
        if !PrivateModelProofFile::detect(bytes) && bytes.starts_with(PROOF_MAGIC) {
            return Err(Error::Malformed(
                "a proof made for a public key, not for this hiding key".into(),
            ));
        }
        PrivateModelProofFile::from_bytes(key, bytes).map(Self::PrivateModel)
    }

    /// Encodes the file. Cost: O(size).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Self::Public(f) => f.to_bytes(),
            Self::Zk(f) => f.to_bytes(),
            Self::PrivateModel(f) => f.to_bytes(),
        }
    }

    /// What is proven. Cost: O(1).
    pub fn statement(&self) -> &Statement {
        match self {
            Self::Public(f) => &f.statement,
            Self::Zk(f) => &f.statement,
            Self::PrivateModel(f) => &f.statement,
        }
    }

    /// Per hidden layer, its requantization check. Cost: O(1).
    pub fn checks(&self) -> &[super::RequantCheck] {
        match self {
            Self::Public(f) => &f.proof.checks,
            Self::Zk(f) => &f.proof.checks,
            Self::PrivateModel(f) => &f.proof.checks,
        }
    }

    /// Whether the proof is zero-knowledge (hides the input and every activation).
    /// Cost: O(1).
    pub fn zero_knowledge(&self) -> bool {
        matches!(self, Self::Zk(_) | Self::PrivateModel(_))
    }

    /// The statement mode: `"public"` (input in the clear), `"committed-input"` (the
    /// public proof with an unblinded input commitment, not hiding; older files) or
    /// `"private-input"` (zero-knowledge), or `"private-model"` / `"private-both"`
    /// (zero-knowledge, hidden model). Cost: O(1).
    pub fn mode(&self) -> &'static str {
        match self {
            Self::Zk(_) => "private-input",
            Self::PrivateModel(f) => f.mode(),
            Self::Public(f) => match f.statement.input {
                PublicInput::Clear(_) => "public",
                PublicInput::Committed(_) => "committed-input",
            },
        }
    }
}

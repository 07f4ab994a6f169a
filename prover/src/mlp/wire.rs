//! Byte encodings: the proof body (sizes implied by the key and the statement's
//! shape) and the self-describing proof file.
//!
//! Proof file layout (all integers little-endian, field elements and points in
//! arkworks' compressed form, 32 bytes each):
//! `"TZKPROOF"` · version `u32` · key digest (32 bytes) · batch `u32` · input kind `u8`
//! (0 clear, 1 committed) · input (`B·n_in` bytes, or `2^m` points) · output
//! (`B·n_out` × `i32`) · proof body. The body starts with two bytes per hidden layer,
//! its requantization check (mode: 0 quotient, 1 direct; table width), which fix the
//! sizes of the rest.

use super::{
    grid, Layout, LinearStep, MlpProof, MlpVk, PublicInput, RequantCheck, Statement, MAX_BATCH,
};
use crate::error::Error;
use crate::field::log2_ceil;
use crate::hyrax::HyraxCommitment;
use crate::logup::{self, LogupProof};
use crate::sumcheck::SumcheckProof;
use crate::wire::{Reader, Writer, FIELD_BYTES};

/// Magic bytes at the start of a proof file.
pub const PROOF_MAGIC: &[u8; 8] = b"TZKPROOF";
/// Version of the proof file format.
pub const PROOF_VERSION: u32 = 3;

/// A statement and its proof, as stored in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProofFile {
    /// Digest of the key the proof was made for.
    pub vk_digest: [u8; 32],
    /// What is proven.
    pub statement: Statement,
    /// The proof.
    pub proof: MlpProof,
}

/// Writes the header every proof file starts with: magic, format version, key digest
/// and batch size (the input-kind byte follows). Cost: 48 bytes.
pub(super) fn write_header(w: &mut Writer, digest: &[u8; 32], batch: usize) {
    w.bytes.extend_from_slice(PROOF_MAGIC);
    w.u32(PROOF_VERSION);
    w.bytes.extend_from_slice(digest);
    w.u32(batch as u32);
}

/// Reads [`write_header`]'s header and checks it against `vk`: returns the digest and
/// the batch size. Another key's file is `Error::Rejected(ModelDigest)`; a bad magic,
/// version or batch is `Error::Malformed`. Cost: O(1).
pub(super) fn read_header(r: &mut Reader<'_>, vk: &MlpVk) -> crate::Result<([u8; 32], usize)> {
    read_header_for(r, &vk.digest)
}

/// [`read_header`] against a key digest (a public or a hiding key's). Cost: O(1).
pub(super) fn read_header_for(
    r: &mut Reader<'_>,
    key_digest: &[u8; 32],
) -> crate::Result<([u8; 32], usize)> {
    if r.take(8, "magic")? != PROOF_MAGIC {
        return Err(Error::Malformed("not a ternzk proof file".into()));
    }
    let version = r.u32("version")?;
    if version != PROOF_VERSION {
        return Err(Error::Malformed(format!(
            "proof format version {version}, this build reads {PROOF_VERSION}"
        )));
    }
    let digest: [u8; 32] = r.take(32, "key digest")?.try_into().expect("32 bytes");
    if digest != *key_digest {
        return Err(Error::Rejected(crate::error::Check::ModelDigest));
    }
    let batch = r.u32("batch")? as usize;
    if batch == 0 || batch > MAX_BATCH {
        return Err(Error::Malformed(format!("batch {batch}")));
    }
    Ok((digest, batch))
}

/// Writes the statement's logits, little-endian `i32`s. Cost: O(len).
pub(super) fn write_outputs(w: &mut Writer, output: &[i32]) {
    for v in output {
        w.bytes.extend_from_slice(&v.to_le_bytes());
    }
}

/// Reads `n` logits written by [`write_outputs`]. Cost: O(n).
pub(super) fn read_outputs(r: &mut Reader<'_>, n: usize) -> crate::Result<Vec<i32>> {
    Ok(r.take(4 * n, "output")?
        .chunks_exact(4)
        .map(|c| i32::from_le_bytes(c.try_into().expect("4 bytes")))
        .collect())
}

pub(super) fn write_points(w: &mut Writer, c: &HyraxCommitment) {
    for p in &c.rows {
        w.point(p);
    }
}

/// Reads a Hyrax commitment of the grid `(rv, cv)` ([`grid`] for a public proof,
/// [`super::zk_grid`] for a zero-knowledge one).
pub(super) fn read_commitment(
    r: &mut Reader,
    (rv, cv): (usize, usize),
    what: &str,
) -> crate::Result<HyraxCommitment> {
    if r.remaining() < 32 << rv {
        return Err(Error::Malformed(format!("truncated while reading {what}")));
    }
    let rows = (0..1usize << rv)
        .map(|_| r.point(what))
        .collect::<crate::Result<Vec<_>>>()?;
    Ok(HyraxCommitment {
        row_vars: rv,
        col_vars: cv,
        rows,
    })
}

impl MlpProof {
    /// Encodes the proof body. Cost: O(size).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        for c in &self.checks {
            w.bytes.extend_from_slice(&c.to_bytes());
        }
        for c in self.witness.iter().flatten() {
            write_points(&mut w, c);
        }
        if let Some(l) = &self.logup {
            w.bytes.extend_from_slice(&l.to_bytes());
        }
        for s in &self.steps {
            for round in &s.sumcheck.rounds {
                w.fields(round);
            }
            w.field(&s.input_eval);
            w.fields(&s.opening);
        }
        for o in &self.openings {
            w.fields(o);
        }
        w.bytes
    }

    /// Decodes a proof body for `vk`, `batch` inputs and the given input kind;
    /// anything else (short, long, non-canonical) is an error.
    pub fn from_bytes(
        vk: &MlpVk,
        batch: usize,
        committed_input: bool,
        bytes: &[u8],
    ) -> crate::Result<Self> {
        let mut r = Reader::new(bytes);
        let checks: Vec<RequantCheck> = r
            .take(2 * (vk.layers.len() - 1), "requantization checks")?
            .chunks_exact(2)
            .map(|b| RequantCheck::from_bytes([b[0], b[1]]))
            .collect::<crate::Result<_>>()?;
        let lay = Layout::new(vk, batch, committed_input, &checks)?;
        let mut witness = Vec::with_capacity(lay.hidden.len());
        for h in &lay.hidden {
            witness.push(
                (0..h.vectors())
                    .map(|_| read_commitment(&mut r, grid(h.vars), "witness commitment"))
                    .collect::<crate::Result<Vec<_>>>()?,
            );
        }
        let logup = if lay.shapes.is_empty() {
            None
        } else {
            let len = logup::proof_size(&lay.shapes)?;
            Some(LogupProof::from_bytes(
                &lay.shapes,
                r.take(len, "LogUp proof")?,
            )?)
        };
        let mut steps = Vec::with_capacity(vk.layers.len());
        for l in &vk.layers {
            let b = log2_ceil(l.n_in);
            if r.remaining() < FIELD_BYTES * (2 * b + 1 + (1 << b)) {
                return Err(Error::Malformed("truncated linear step".into()));
            }
            let rounds = (0..b)
                .map(|_| r.fields(2, "linear sumcheck round"))
                .collect::<crate::Result<Vec<_>>>()?;
            steps.push(LinearStep {
                sumcheck: SumcheckProof { rounds },
                input_eval: r.field("input evaluation")?,
                opening: r.fields(1 << b, "weight opening")?,
            });
        }
        let openings = lay
            .groups()
            .iter()
            .map(|&v| r.fields(1 << grid(v).1, "opening vector"))
            .collect::<crate::Result<Vec<_>>>()?;
        r.finish()?;
        Ok(Self {
            checks,
            witness,
            logup,
            steps,
            openings,
        })
    }
}

impl ProofFile {
    /// Encodes the file. Cost: O(size).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        write_header(&mut w, &self.vk_digest, self.statement.batch);
        match &self.statement.input {
            PublicInput::Clear(x) => {
                w.bytes.push(0);
                w.bytes.extend_from_slice(x);
            }
            PublicInput::Committed(c) => {
                w.bytes.push(1);
                write_points(&mut w, c);
            }
        }
        write_outputs(&mut w, &self.statement.output);
        w.bytes.extend_from_slice(&self.proof.to_bytes());
        w.bytes
    }

    /// Decodes a proof file made for `vk`. A file for another key is a
    /// `Error::Rejected`; any malformed byte string is an `Error::Malformed`.
    pub fn from_bytes(vk: &MlpVk, bytes: &[u8]) -> crate::Result<Self> {
        let mut r = Reader::new(bytes);
        let (digest, batch) = read_header(&mut r, vk)?;
        let kind = r.take(1, "input kind")?[0];
        let input = match kind {
            0 => PublicInput::Clear(r.take(batch * vk.n_in(), "input")?.to_vec()),
            1 => PublicInput::Committed(read_commitment(
                &mut r,
                grid(log2_ceil(batch) + log2_ceil(vk.n_in())),
                "input commitment",
            )?),
            k => return Err(Error::Malformed(format!("unknown input kind {k}"))),
        };
        let output = read_outputs(&mut r, batch * vk.n_out())?;
        let committed = kind == 1;
        let rest = r.take(r.remaining(), "proof")?;
        let proof = MlpProof::from_bytes(vk, batch, committed, rest)?;
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

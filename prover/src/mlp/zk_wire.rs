//! The zero-knowledge proof's byte encoding: a version, the requantization checks,
//! then every point and every scalar of the proof in one fixed order
//! ([`ZkMlpProof::points_mut`], [`ZkMlpProof::scalars_mut`]), 32 bytes each
//! (arkworks' compressed form, canonical encodings only). Every length is implied by
//! the key, the batch size and the checks, so nothing else is written; decoding fills a
//! [`ZkMlpProof::skeleton`] of those dimensions. Not yet part of the proof file (the
//! CLI does not make zero-knowledge proofs yet).

use super::zk::{ZkMlpProof, ZkStep};
use super::{zk_grid, Layout, MlpVk, RequantCheck};
use crate::dot_product::DotProductProof;
use crate::error::Error;
use crate::field::{log2_ceil, GAffine, F};
use crate::hyrax::HyraxCommitment;
use crate::logup::zk::{ZkLogupProof, ZkSumcheck};
use crate::sigma::EqualityProof;
use crate::wire::{Reader, Skeleton, Writer};
use ark_ec::AffineRepr;
use ark_ff::Zero;

/// Version of the zero-knowledge proof encoding.
pub const ZK_PROOF_VERSION: u32 = 2;

impl Skeleton for ZkStep {
    fn points_mut(&mut self) -> Vec<&mut GAffine> {
        let mut v = self.sumcheck.all_points_mut();
        v.push(&mut self.input_eval);
        v
    }

    fn scalars_mut(&mut self) -> Vec<&mut F> {
        let mut v = self.sumcheck.all_scalars_mut();
        v.extend(self.opening.iter_mut());
        v
    }
}

impl<S: Skeleton> Skeleton for ZkMlpProof<S> {
    /// Every point, mutable, in encoding order.
    fn points_mut(&mut self) -> Vec<&mut GAffine> {
        let mut v: Vec<&mut GAffine> = Vec::new();
        for c in self.witness.iter_mut().flatten() {
            v.extend(c.rows.iter_mut());
        }
        v.extend(self.logup.points_mut());
        for s in &mut self.shifted {
            v.push(&mut s.alpha);
        }
        for s in &mut self.steps {
            v.extend(s.points_mut());
        }
        for d in &mut self.openings {
            v.extend(d.points.iter_mut());
        }
        v
    }

    /// Every scalar, mutable, in encoding order.
    fn scalars_mut(&mut self) -> Vec<&mut F> {
        let mut v = self.logup.scalars_mut();
        for s in &mut self.shifted {
            v.push(&mut s.z);
        }
        for s in &mut self.steps {
            v.extend(s.scalars_mut());
        }
        for d in &mut self.openings {
            v.extend(d.z.iter_mut());
            v.push(&mut d.z_delta);
            v.push(&mut d.z_beta);
        }
        v
    }
}

impl<S> ZkMlpProof<S> {
    /// A placeholder proof with the layout's witness commitments, lookups, shifted-limb
    /// proofs and opening groups, and the given steps. Cost: O(proof size).
    pub(super) fn front_skeleton(
        lay: &Layout,
        checks: Vec<RequantCheck>,
        steps: Vec<S>,
    ) -> crate::Result<Self> {
        let commitment = |vars: usize| {
            let (rv, cv) = zk_grid(vars);
            HyraxCommitment {
                row_vars: rv,
                col_vars: cv,
                rows: vec![GAffine::zero(); 1 << rv],
            }
        };
        let dot = |n: usize| DotProductProof {
            points: [GAffine::zero(); 2],
            z: vec![F::zero(); n],
            z_delta: F::zero(),
            z_beta: F::zero(),
        };
        let shifted = lay
            .hidden
            .iter()
            .filter(|h| !h.direct() && h.shifted())
            .count();
        Ok(Self {
            checks,
            witness: lay
                .hidden
                .iter()
                .map(|h| (0..h.vectors()).map(|_| commitment(h.vars)).collect())
                .collect(),
            logup: ZkLogupProof::skeleton(&lay.shapes)?,
            shifted: (0..shifted)
                .map(|_| EqualityProof {
                    alpha: GAffine::zero(),
                    z: F::zero(),
                })
                .collect(),
            steps,
            openings: lay
                .groups()
                .iter()
                .map(|&v| dot(1 << zk_grid(v).1))
                .collect(),
        })
    }
}

impl ZkMlpProof {
    /// A placeholder proof of the dimensions `vk`, `batch` and `checks` imply.
    /// Cost: O(proof size).
    pub(crate) fn skeleton(
        vk: &MlpVk,
        batch: usize,
        checks: &[RequantCheck],
    ) -> crate::Result<Self> {
        let lay = Layout::new(vk, batch, true, checks)?;
        let steps = vk
            .layers
            .iter()
            .map(|l| {
                let b = log2_ceil(l.n_in);
                ZkStep {
                    sumcheck: ZkSumcheck::skeleton(b, 2),
                    opening: vec![F::zero(); 1 << b],
                    input_eval: GAffine::zero(),
                }
            })
            .collect();
        Self::front_skeleton(&lay, checks.to_vec(), steps)
    }

    /// Encodes the proof (module docs). Cost: O(size).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u32(ZK_PROOF_VERSION);
        for c in &self.checks {
            w.bytes.extend_from_slice(&c.to_bytes());
        }
        w.skeleton(self);
        w.bytes
    }

    /// Decodes a proof for `vk` and `batch` inputs; anything else (another version,
    /// short, long, non-canonical, invalid checks) is an error.
    pub fn from_bytes(vk: &MlpVk, batch: usize, bytes: &[u8]) -> crate::Result<Self> {
        let mut r = Reader::new(bytes);
        let version = r.u32("zero-knowledge proof version")?;
        if version != ZK_PROOF_VERSION {
            return Err(Error::Malformed(format!(
                "zero-knowledge proof version {version}, expected {ZK_PROOF_VERSION}"
            )));
        }
        let checks: Vec<RequantCheck> = r
            .take(2 * (vk.layers.len() - 1), "requantization checks")?
            .chunks_exact(2)
            .map(|b| RequantCheck::from_bytes([b[0], b[1]]))
            .collect::<crate::Result<_>>()?;
        let mut proof = Self::skeleton(vk, batch, &checks)?;
        r.fill(&mut proof, "zero-knowledge proof")?;
        Ok(proof)
    }
}

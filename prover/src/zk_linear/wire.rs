//! The byte encoding of a [`ZkLinearProof`]: a version, then its points and its scalars
//! in one fixed order ([`ZkLinearProof::points_mut`], [`ZkLinearProof::scalars_mut`]),
//! 32 bytes each (arkworks' compressed form; only canonical encodings decode). Every
//! length follows from the key's `n_in`, so nothing else is written; decoding fills a
//! [`ZkLinearProof::skeleton`] of those dimensions.

use super::ZkLinearProof;
use crate::dot_product::DotProductProof;
use crate::error::Error;
use crate::field::{log2_ceil, GAffine, F};
use crate::linear::LinearVk;
use crate::masked_sumcheck::MaskedSumcheckProof;
use crate::wire::{Reader, Skeleton, Writer};
use ark_ec::AffineRepr;
use ark_ff::Zero;

/// Version of the encoding.
pub const ZK_LINEAR_VERSION: u32 = 1;

/// Degree of the linear layer's sumcheck (`u(j)·x̂(j)`).
const DEGREE: usize = 2;

impl Skeleton for ZkLinearProof {
    /// Every point, mutable, in encoding order.
    fn points_mut(&mut self) -> Vec<&mut GAffine> {
        let mut v: Vec<&mut GAffine> = vec![&mut self.sumcheck.mask, &mut self.input_eval];
        v.extend(self.closing.points.iter_mut());
        v.extend(self.input_proof.points.iter_mut());
        v
    }

    /// Every scalar, mutable, in encoding order (`u` included).
    fn scalars_mut(&mut self) -> Vec<&mut F> {
        let mut v: Vec<&mut F> = vec![&mut self.sumcheck.masked_sum];
        v.extend(self.sumcheck.rounds.iter_mut().flatten());
        v.extend(self.opening.iter_mut());
        for d in [&mut self.closing, &mut self.input_proof] {
            v.extend(d.z.iter_mut());
            v.push(&mut d.z_delta);
            v.push(&mut d.z_beta);
        }
        v
    }
}

impl ZkLinearProof {
    /// A placeholder proof of the dimensions a proof for `vk` has (any batch: the batch
    /// only changes the statement). Cost: O(`2^b`), `b = ⌈log₂ n_in⌉`.
    pub(crate) fn skeleton(vk: &LinearVk) -> Self {
        let b = log2_ceil(vk.n_in);
        let dot = |n: usize| DotProductProof {
            points: [GAffine::zero(); 2],
            z: vec![F::zero(); n],
            z_delta: F::zero(),
            z_beta: F::zero(),
        };
        ZkLinearProof {
            sumcheck: MaskedSumcheckProof {
                mask: GAffine::zero(),
                masked_sum: F::zero(),
                rounds: vec![vec![F::zero(); DEGREE]; b],
            },
            opening: vec![F::zero(); 1 << b],
            input_eval: GAffine::zero(),
            closing: dot(b * (DEGREE + 1)),
            input_proof: dot(1 << b),
        }
    }

    /// Encodes the proof (module docs): `4 + 32·(11 + 5b + 2^(b+1))` bytes (6 points;
    /// `u` and the input's inner-product proof are `2^b` scalars each). Cost: O(size).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u32(ZK_LINEAR_VERSION);
        w.skeleton(self);
        w.bytes
    }

    /// Decodes a proof for `vk`; another version, a wrong length or a non-canonical
    /// element is an `Error::Malformed`. Cost: O(size) plus one point decompression per
    /// point.
    pub fn from_bytes(vk: &LinearVk, bytes: &[u8]) -> crate::Result<Self> {
        let mut r = Reader::new(bytes);
        let version = r.u32("zero-knowledge linear proof version")?;
        if version != ZK_LINEAR_VERSION {
            return Err(Error::Malformed(format!(
                "zero-knowledge linear proof version {version}, expected {ZK_LINEAR_VERSION}"
            )));
        }
        let mut proof = Self::skeleton(vk);
        r.fill(&mut proof, "zero-knowledge linear proof")?;
        Ok(proof)
    }
}

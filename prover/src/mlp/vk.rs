//! The verifying key of an MLP: per layer its shape, weight commitment, bias and
//! requantization parameters, and a digest of all of it.

use super::MlpLayer;
use crate::error::Error;
use crate::field::log2_ceil;
use crate::hyrax::{HyraxCommitment, HyraxKey};
use crate::matrix::LinearBackend;
use crate::requant::MAX_SHIFT;
use crate::wire::{Reader, Writer};
use rayon::prelude::*;

/// Magic bytes at the start of an encoded key.
pub const VK_MAGIC: &[u8; 8] = b"TZKVK\0\0\0";
/// Version of the key encoding.
pub const VK_VERSION: u32 = 1;
/// Largest layer width (`2^24`).
const MAX_WIDTH: usize = 1 << 24;
/// Largest number of layers.
const MAX_LAYERS: usize = 64;

/// One layer of the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerVk {
    /// Inputs of the layer.
    pub n_in: usize,
    /// Outputs of the layer.
    pub n_out: usize,
    /// Bias (`n_out`), public.
    pub bias: Vec<i32>,
    /// Requantization multipliers (`n_out`), empty for the last layer.
    pub m: Vec<i64>,
    /// Requantization shift, 0 for the last layer.
    pub k: u32,
    /// Hyrax commitment to the padded ternary weights, one grid row per matrix row.
    pub commitment: HyraxCommitment,
}

/// The verifying key of an MLP. Everything a verifier needs besides the generators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MlpVk {
    /// Layers in evaluation order.
    pub layers: Vec<LayerVk>,
    /// BLAKE3 digest of the encoding; the first thing both transcripts absorb.
    pub digest: [u8; 32],
}

impl MlpVk {
    /// Commits to a model. Cost: one point addition per nonzero weight (ternary rows
    /// are sums of generators) plus the checks of [`Self::from_layers`].
    pub fn commit(layers: &[MlpLayer], key: &HyraxKey) -> crate::Result<Self> {
        let vks = layers
            .par_iter()
            .map(|l| {
                Ok(LayerVk {
                    n_in: l.weights.n_in,
                    n_out: l.weights.n_out,
                    bias: l.bias.to_vec(),
                    m: l.m.to_vec(),
                    k: l.k,
                    commitment: l.weights.commit(key)?,
                })
            })
            .collect::<crate::Result<Vec<_>>>()?;
        Self::from_layers(vks)
    }

    /// Builds a key from its layers after checking that they chain and carry
    /// consistent parameters; computes the digest. Cost: O(Σ n_out + #row commitments).
    pub fn from_layers(layers: Vec<LayerVk>) -> crate::Result<Self> {
        validate(&layers)?;
        let mut vk = Self {
            layers,
            digest: [0; 32],
        };
        vk.digest = *blake3::hash(&vk.encode_body()).as_bytes();
        Ok(vk)
    }

    /// Inputs of the model.
    pub fn n_in(&self) -> usize {
        self.layers[0].n_in
    }

    /// Outputs of the model (logits).
    pub fn n_out(&self) -> usize {
        self.layers[self.layers.len() - 1].n_out
    }

    fn encode_body(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes.extend_from_slice(VK_MAGIC);
        w.u32(VK_VERSION);
        w.u32(self.layers.len() as u32);
        for l in &self.layers {
            w.u32(l.n_in as u32);
            w.u32(l.n_out as u32);
            w.u32(l.k);
            for b in &l.bias {
                w.bytes.extend_from_slice(&b.to_le_bytes());
            }
            for m in &l.m {
                w.bytes.extend_from_slice(&m.to_le_bytes());
            }
            for p in &l.commitment.rows {
                w.point(p);
            }
        }
        w.bytes
    }

    /// The encoding (magic, version, layers; the digest is recomputed on reading).
    /// Size: about `12 + 4·n_out + 8·n_out + 32·2^⌈log n_out⌉` bytes per layer.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.encode_body()
    }

    /// Decodes and validates a key; any malformed byte string is an error.
    /// Cost: one point decompression and subgroup check per row commitment.
    pub fn from_bytes(bytes: &[u8]) -> crate::Result<Self> {
        let mut r = Reader::new(bytes);
        if r.take(8, "magic")? != VK_MAGIC {
            return Err(Error::Malformed("not a ternzk verifying key".into()));
        }
        let version = r.u32("version")?;
        if version != VK_VERSION {
            return Err(Error::Malformed(format!(
                "verifying key version {version}, this build reads {VK_VERSION}"
            )));
        }
        let n = r.u32("layer count")? as usize;
        if n == 0 || n > MAX_LAYERS {
            return Err(Error::Malformed(format!("{n} layers")));
        }
        let mut layers = Vec::with_capacity(n);
        for i in 0..n {
            let n_in = r.u32("n_in")? as usize;
            let n_out = r.u32("n_out")? as usize;
            let k = r.u32("k")?;
            if n_in == 0 || n_out == 0 || n_in > MAX_WIDTH || n_out > MAX_WIDTH {
                return Err(Error::Malformed(format!("layer {i}: bad shape")));
            }
            if r.remaining() < 4 * n_out {
                return Err(Error::Malformed("truncated bias".into()));
            }
            let bias = (0..n_out)
                .map(|_| Ok(i32::from_le_bytes(r.take(4, "bias")?.try_into().unwrap())))
                .collect::<crate::Result<Vec<_>>>()?;
            let hidden = i + 1 < n;
            let m = if hidden {
                if r.remaining() < 8 * n_out {
                    return Err(Error::Malformed("truncated multipliers".into()));
                }
                (0..n_out)
                    .map(|_| Ok(i64::from_le_bytes(r.take(8, "M")?.try_into().unwrap())))
                    .collect::<crate::Result<Vec<_>>>()?
            } else {
                Vec::new()
            };
            let (rv, cv) = (log2_ceil(n_out), log2_ceil(n_in));
            if r.remaining() < 32 << rv {
                return Err(Error::Malformed("truncated weight commitment".into()));
            }
            let rows = (0..1usize << rv)
                .map(|_| r.point("weight commitment"))
                .collect::<crate::Result<Vec<_>>>()?;
            layers.push(LayerVk {
                n_in,
                n_out,
                bias,
                m,
                k,
                commitment: HyraxCommitment {
                    row_vars: rv,
                    col_vars: cv,
                    rows,
                },
            });
        }
        r.finish()?;
        Self::from_layers(layers)
            .map_err(|e| Error::Malformed(format!("invalid verifying key: {e}")))
    }
}

fn validate(layers: &[LayerVk]) -> crate::Result<()> {
    let bad = |i: usize, what: String| Err(Error::Invalid(format!("layer {i}: {what}")));
    if layers.is_empty() || layers.len() > MAX_LAYERS {
        return Err(Error::Invalid(format!("{} layers", layers.len())));
    }
    for (i, l) in layers.iter().enumerate() {
        if l.n_in == 0 || l.n_out == 0 || l.n_in > MAX_WIDTH || l.n_out > MAX_WIDTH {
            return bad(i, format!("shape {}×{}", l.n_out, l.n_in));
        }
        if i > 0 && layers[i - 1].n_out != l.n_in {
            return bad(
                i,
                "input width differs from the previous layer's output".into(),
            );
        }
        if l.bias.len() != l.n_out {
            return bad(i, "bias length".into());
        }
        let hidden = i + 1 < layers.len();
        if hidden && (l.m.len() != l.n_out || !(1..=MAX_SHIFT).contains(&l.k)) {
            return bad(
                i,
                "hidden layers need one multiplier per row and 1 ≤ k ≤ 62".into(),
            );
        }
        if !hidden && (!l.m.is_empty() || l.k != 0) {
            return bad(i, "the last layer has no requantization".into());
        }
        let c = &l.commitment;
        if (c.row_vars, c.col_vars) != (log2_ceil(l.n_out), log2_ceil(l.n_in))
            || c.rows.len() != 1 << c.row_vars
        {
            return bad(i, "weight commitment shape".into());
        }
    }
    Ok(())
}

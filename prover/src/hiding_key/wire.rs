//! Byte encodings of the hiding key (body, then its well-formedness proof) and of the
//! prover's secret file. Lengths follow from the widths; decoding checks canonical
//! encodings, the layout and refuses trailing bytes, so any byte string decodes to an
//! error or a key that re-encodes to the same bytes — never a panic.
//!
//! Key: magic, version, input quantizer (scale as f64 bits, zero point, the per-feature
//! count — 0 for none — and that many scales and zero points), layer count; per layer `n_in`,
//! `n_out`, `k`, the quotient-table width `bits` (version 2), the weight rows, bias rows and (hidden layers) multiplier rows; the
//! last layer's `n_out` output scales. The digest is BLAKE3 of these bytes. Then the
//! proof, per layer: mask commitment, masked sum, `n` rounds of 4 values, the three
//! power commitments, two product proofs (3 points, 5 scalars each), the closing
//! inner-product proof (2 points, `5n + 2` scalars) and the evaluation's (2 points,
//! `n_in + 2` scalars).

use super::wellformed::{LayerProof, WellFormedProof, DEGREE};
use super::{
    validate, vector_grid, HidingKey, HidingLayer, KeySecrets, LayerSecrets, PublicQuant,
    MAX_LAYERS, MAX_WIDTH,
};
use crate::dot_product::DotProductProof;
use crate::error::Error;
use crate::field::{log2_ceil, F};
use crate::hyrax::HyraxCommitment;
use crate::masked_sumcheck::MaskedSumcheckProof;
use crate::sigma::ProductProof;
use crate::wire::{Reader, Writer, FIELD_BYTES, POINT_BYTES};
use ternzk_core::engine::{FeatureQuant, InputQuant};

/// Magic bytes at the start of an encoded hiding key.
pub const HIDING_KEY_MAGIC: &[u8; 8] = b"TZKHK\0\0\0";
/// Version of the hiding-key encoding. Version 2 added each layer's quotient-table
/// width; version-1 keys predate private-model proofs and are refused.
pub const HIDING_KEY_VERSION: u32 = 2;
/// Magic bytes at the start of a hiding key's secret file.
pub const SECRETS_MAGIC: &[u8; 8] = b"TZKHS\0\0\0";
const SECRETS_VERSION: u32 = 1;

fn f64_bits(w: &mut Writer, v: f64) {
    w.u64(v.to_bits());
}

fn read_f64(r: &mut Reader, what: &str) -> crate::Result<f64> {
    let v = f64::from_bits(r.u64(what)?);
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Error::Malformed(format!("{what}: not a finite number")))
    }
}

fn write_rows(w: &mut Writer, c: &HyraxCommitment) {
    for p in &c.rows {
        w.point(p);
    }
}

fn read_rows(
    r: &mut Reader,
    (row_vars, col_vars): (usize, usize),
    what: &str,
) -> crate::Result<HyraxCommitment> {
    if r.remaining() / POINT_BYTES < 1 << row_vars {
        return Err(Error::Malformed(format!("truncated {what}")));
    }
    let rows = (0..1usize << row_vars)
        .map(|_| r.point(what))
        .collect::<crate::Result<_>>()?;
    Ok(HyraxCommitment {
        row_vars,
        col_vars,
        rows,
    })
}

/// The key's body (what the digest covers).
fn encode_body(quant: &PublicQuant, layers: &[HidingLayer]) -> Vec<u8> {
    let mut w = Writer::default();
    w.bytes.extend_from_slice(HIDING_KEY_MAGIC);
    w.u32(HIDING_KEY_VERSION);
    let q = &quant.input;
    f64_bits(&mut w, q.scale);
    w.bytes.push(q.zero_point);
    match &q.per_feature {
        None => w.u32(0),
        Some(f) => {
            w.u32(f.scales.len() as u32);
            for s in &f.scales {
                f64_bits(&mut w, *s);
            }
            for z in &f.zero_points {
                w.bytes.extend_from_slice(&z.to_le_bytes());
            }
        }
    }
    w.u32(layers.len() as u32);
    for l in layers {
        w.u32(l.n_in as u32);
        w.u32(l.n_out as u32);
        w.u32(l.k);
        w.u32(l.bits);
        write_rows(&mut w, &l.weights);
        write_rows(&mut w, &l.bias);
        if let Some(m) = &l.m {
            write_rows(&mut w, m);
        }
    }
    for s in &quant.output_scales {
        f64_bits(&mut w, *s);
    }
    w.bytes
}

/// The key digest: BLAKE3 of the body. Cost: one hash of `≈ 32·(rows)` bytes.
pub(super) fn digest(quant: &PublicQuant, layers: &[HidingLayer]) -> [u8; 32] {
    *blake3::hash(&encode_body(quant, layers)).as_bytes()
}

fn write_dot(w: &mut Writer, p: &DotProductProof) {
    w.point(&p.points[0]);
    w.point(&p.points[1]);
    w.fields(&p.z);
    w.field(&p.z_delta);
    w.field(&p.z_beta);
}

fn read_dot(r: &mut Reader, n: usize, what: &str) -> crate::Result<DotProductProof> {
    let points = [r.point(what)?, r.point(what)?];
    let z = r.fields(n, what)?;
    Ok(DotProductProof {
        points,
        z,
        z_delta: r.field(what)?,
        z_beta: r.field(what)?,
    })
}

fn write_product(w: &mut Writer, p: &ProductProof) {
    for q in &p.points {
        w.point(q);
    }
    w.fields(&p.responses);
}

fn read_product(r: &mut Reader) -> crate::Result<ProductProof> {
    let points = [
        r.point("product proof")?,
        r.point("product proof")?,
        r.point("product proof")?,
    ];
    let f = r.fields(5, "product proof")?;
    Ok(ProductProof {
        points,
        responses: [f[0], f[1], f[2], f[3], f[4]],
    })
}

fn write_layer_proof(w: &mut Writer, p: &LayerProof) {
    w.point(&p.sumcheck.mask);
    w.field(&p.sumcheck.masked_sum);
    for round in &p.sumcheck.rounds {
        w.fields(round);
    }
    for q in &p.powers {
        w.point(q);
    }
    write_product(w, &p.square);
    write_product(w, &p.cube);
    write_dot(w, &p.closing);
    write_dot(w, &p.opening);
}

fn read_layer_proof(r: &mut Reader, l: &HidingLayer) -> crate::Result<LayerProof> {
    let n = l.weights.row_vars + l.weights.col_vars;
    let mask = r.point("mask commitment")?;
    let masked_sum = r.field("masked sum")?;
    if r.remaining() / FIELD_BYTES < n * DEGREE {
        return Err(Error::Malformed("truncated sumcheck".into()));
    }
    let rounds = (0..n)
        .map(|_| r.fields(DEGREE, "sumcheck round"))
        .collect::<crate::Result<_>>()?;
    let powers = [
        r.point("power commitment")?,
        r.point("power commitment")?,
        r.point("power commitment")?,
    ];
    let square = read_product(r)?;
    let cube = read_product(r)?;
    let closing = read_dot(r, n * (DEGREE + 1), "closing proof")?;
    let opening = read_dot(r, l.n_in, "evaluation proof")?;
    Ok(LayerProof {
        sumcheck: MaskedSumcheckProof {
            mask,
            masked_sum,
            rounds,
        },
        powers,
        square,
        cube,
        closing,
        opening,
    })
}

impl HidingKey {
    /// The encoding: body, then the well-formedness proof. Size: 32 bytes per
    /// committed row plus the proof (dominated by `Σ n_in` scalars).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer {
            bytes: encode_body(&self.quant, &self.layers),
        };
        for p in &self.proof.layers {
            write_layer_proof(&mut w, p);
        }
        w.bytes
    }

    /// Decodes a key: any malformed byte string is an error. The proof is not checked
    /// here ([`HidingKey::check`]). Cost: one point decompression and subgroup check
    /// per row and proof point.
    pub fn from_bytes(bytes: &[u8]) -> crate::Result<Self> {
        let mut r = Reader::new(bytes);
        if r.take(8, "magic")? != HIDING_KEY_MAGIC {
            return Err(Error::Malformed("not a ternzk hiding key".into()));
        }
        let version = r.u32("version")?;
        if version == 1 {
            return Err(Error::Malformed(
                "hiding key version 1 predates private-model proofs (it does not record the \
                 layers' quotient-table widths): recreate it with `ternzk commit --hiding`"
                    .into(),
            ));
        }
        if version != HIDING_KEY_VERSION {
            return Err(Error::Malformed(format!(
                "hiding key version {version}, this build reads {HIDING_KEY_VERSION}"
            )));
        }
        let scale = read_f64(&mut r, "input scale")?;
        let zero_point = r.take(1, "input zero point")?[0];
        let features = r.u32("per-feature count")? as usize;
        let per_feature = if features == 0 {
            None
        } else {
            if features > MAX_WIDTH || r.remaining() / 12 < features {
                return Err(Error::Malformed("truncated per-feature quantizer".into()));
            }
            let scales = (0..features)
                .map(|_| read_f64(&mut r, "feature scale"))
                .collect::<crate::Result<Vec<_>>>()?;
            let zero_points = (0..features)
                .map(|_| {
                    Ok(i32::from_le_bytes(
                        r.take(4, "feature zero point")?
                            .try_into()
                            .expect("4 bytes"),
                    ))
                })
                .collect::<crate::Result<Vec<_>>>()?;
            Some(FeatureQuant {
                scales,
                zero_points,
            })
        };
        let count = r.u32("layer count")? as usize;
        if count == 0 || count > MAX_LAYERS {
            return Err(Error::Malformed(format!("{count} layers")));
        }
        let mut layers = Vec::with_capacity(count);
        for i in 0..count {
            let n_in = r.u32("n_in")? as usize;
            let n_out = r.u32("n_out")? as usize;
            let k = r.u32("k")?;
            let bits = r.u32("quotient-table width")?;
            if n_in == 0 || n_out == 0 || n_in > MAX_WIDTH || n_out > MAX_WIDTH {
                return Err(Error::Malformed(format!("layer {i}: bad shape")));
            }
            let weights = read_rows(
                &mut r,
                (log2_ceil(n_out), log2_ceil(n_in)),
                "weight commitment",
            )?;
            let grid = vector_grid(n_out);
            let bias = read_rows(&mut r, grid, "bias commitment")?;
            let m = if i + 1 < count {
                Some(read_rows(&mut r, grid, "multiplier commitment")?)
            } else {
                None
            };
            layers.push(HidingLayer {
                n_in,
                n_out,
                k,
                bits,
                weights,
                bias,
                m,
            });
        }
        let n_out = layers[count - 1].n_out;
        if r.remaining() / 8 < n_out {
            return Err(Error::Malformed("truncated output scales".into()));
        }
        let output_scales = (0..n_out)
            .map(|_| read_f64(&mut r, "output scale"))
            .collect::<crate::Result<_>>()?;
        let quant = PublicQuant {
            input: InputQuant {
                scale,
                zero_point,
                per_feature,
            },
            output_scales,
        };
        validate(&layers, &quant)
            .map_err(|e| Error::Malformed(format!("invalid hiding key: {e}")))?;
        let proof_layers = layers
            .iter()
            .map(|l| read_layer_proof(&mut r, l))
            .collect::<crate::Result<_>>()?;
        r.finish()?;
        Ok(Self {
            digest: digest(&quant, &layers),
            quant,
            layers,
            proof: WellFormedProof {
                layers: proof_layers,
            },
        })
    }
}

impl KeySecrets {
    /// The secret file: magic, version, key digest, layer count, per layer the three
    /// blinding lists (each a `u32` length and scalars).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes.extend_from_slice(SECRETS_MAGIC);
        w.u32(SECRETS_VERSION);
        w.bytes.extend_from_slice(&self.key_digest);
        w.u32(self.layers.len() as u32);
        for l in &self.layers {
            for v in [&l.weights, &l.bias, &l.m] {
                w.u32(v.len() as u32);
                w.fields(v);
            }
        }
        w.bytes
    }

    /// Decodes a secret file; any malformed byte string is an error.
    pub fn from_bytes(bytes: &[u8]) -> crate::Result<Self> {
        let mut r = Reader::new(bytes);
        if r.take(8, "magic")? != SECRETS_MAGIC {
            return Err(Error::Malformed(
                "not a ternzk hiding-key secret file".into(),
            ));
        }
        if r.u32("version")? != SECRETS_VERSION {
            return Err(Error::Malformed("unsupported secret file version".into()));
        }
        let key_digest: [u8; 32] = r.take(32, "key digest")?.try_into().expect("32 bytes");
        let n = r.u32("layer count")? as usize;
        if n == 0 || n > MAX_LAYERS {
            return Err(Error::Malformed(format!("{n} layers")));
        }
        let mut list = || -> crate::Result<Vec<F>> {
            let len = r.u32("length")? as usize;
            r.fields(len, "blinding")
        };
        let layers = (0..n)
            .map(|_| {
                Ok(LayerSecrets {
                    weights: list()?,
                    bias: list()?,
                    m: list()?,
                })
            })
            .collect::<crate::Result<_>>()?;
        r.finish()?;
        Ok(Self { key_digest, layers })
    }
}

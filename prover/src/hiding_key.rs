//! The hiding model key (private-model mode, issue 14): a commitment to an MLP that
//! reveals only its layer widths, each hidden layer's requantization shift and
//! quotient-table width (a worst case over all inputs, fixed at commit time), the
//! input/output quantization, and a one-time proof that the committed weights are
//! ternary and the padding zero.
//!
//! Layout (docs/protocol.md, "Private-model key"):
//! - weights of layer `ℓ` (`n_out × n_in`): the matrix as a dense padded table of
//!   `2^rv × 2^cv` entries (`rv = ⌈log n_out⌉`, `cv = ⌈log n_in⌉`), one Hyrax row per
//!   matrix row — the public key's grid — each row committed over the first `n_in`
//!   column generators and blinded: `C_g = Σ_{c<n_in} w[g,c]·G_c + ρ_g·h`. Rows
//!   `g ≥ n_out` are the identity (checked), and padding columns have no generator, so
//!   padding is zero by construction. Zeros cost nothing: a row is the sum of its
//!   nonzeros' generators plus one fixed-base multiple of `h`.
//! - bias and multipliers (`n_out` each): a grid of `2^(rv − c) × 2^c` with
//!   `c = min(trailing zeros of n_out, ⌈rv/2⌉)`, so whole rows are padding (identity,
//!   checked) and every other row is blinded.
//!
//! The blindings are the prover's secret ([`KeySecrets`], a separate file); the key
//! never holds them. The well-formedness proof is [`wellformed`]'s.

#[cfg(test)]
mod tests;
mod wellformed;
mod wire;
mod zerocheck;

pub use wellformed::WellFormedProof;
pub use wire::{HIDING_KEY_MAGIC, HIDING_KEY_VERSION, SECRETS_MAGIC};

use crate::error::{Check, Error};
use crate::field::{log2_ceil, F, G};
use crate::hiding_hyrax::HidingCommitment;
use crate::hyrax::{commit_ints, HyraxCommitment, HyraxKey};
use crate::masked_sumcheck::MaskKey;
use crate::mlp::RequantCheck;
use crate::pedersen::{random_scalar, BlindingKey};
use crate::requant::{MAX_QUOTIENT_BITS, MAX_SHIFT, MIN_QUOTIENT_BITS};
use crate::TernaryCsr;
use ark_ec::scalar_mul::ScalarMul;
use ark_ec::AffineRepr;
use ark_ff::Zero;
use ark_std::rand::{CryptoRng, RngCore};
use rayon::prelude::*;
use ternzk_core::engine::{InputQuant, MlpLayer};

/// Largest layer width (`2^24`), as for the public key.
pub const MAX_WIDTH: usize = 1 << 24;
/// Largest number of layers.
pub const MAX_LAYERS: usize = 64;

/// What the key reveals besides the widths: how real inputs become bytes, and the real
/// value of one unit of each logit.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicQuant {
    /// The input quantizer (the compiled model's).
    pub input: InputQuant,
    /// Per logit, the real value of one integer unit (`α_i · input_scale` of the last
    /// layer); `n_out` entries.
    pub output_scales: Vec<f64>,
}

/// One layer of the hiding key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HidingLayer {
    /// Inputs of the layer.
    pub n_in: usize,
    /// Outputs of the layer.
    pub n_out: usize,
    /// Requantization shift (revealed: it fixes the remainder's range table), 0 for the
    /// last layer.
    pub k: u32,
    /// Width of the quotient table a private-model proof looks this hidden layer's
    /// `(q, y)` pairs up in (`Clamp { bits, 8 }`, `bits` in `9..=16`), 0 for the last
    /// layer. The worst case over every byte input, computed from the model when the
    /// key is made (`mlp::model_checks::quotient_widths`), so a proof's table
    /// says nothing about its witness (issue 14, item 4).
    pub bits: u32,
    /// The blinded weight rows (grid `⌈log n_out⌉ × ⌈log n_in⌉`, rows over `n_in`
    /// generators).
    pub weights: HyraxCommitment,
    /// The blinded bias rows ([`vector_grid`]).
    pub bias: HyraxCommitment,
    /// The blinded multiplier rows (hidden layers only).
    pub m: Option<HyraxCommitment>,
}

/// The hiding model key: the public part of a private model.
#[derive(Clone, Debug, PartialEq)]
pub struct HidingKey {
    /// Input and output quantization.
    pub quant: PublicQuant,
    /// Layers in evaluation order.
    pub layers: Vec<HidingLayer>,
    /// BLAKE3 digest of the key's body (everything but the proof); what a proof's
    /// transcript will absorb as the model's identity.
    pub digest: [u8; 32],
    /// The one-time proof that every committed weight is in `{−1, 0, 1}`.
    pub proof: WellFormedProof,
}

/// The prover's blinding factors for one layer (secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerSecrets {
    /// `ρ_g` for each weight grid row (0 for padding rows).
    pub weights: Vec<F>,
    /// Blindings of the bias grid rows (0 for padding rows).
    pub bias: Vec<F>,
    /// Blindings of the multiplier grid rows (empty for the last layer).
    pub m: Vec<F>,
}

/// The prover-side secret of a hiding key: every blinding factor, bound to the key by
/// its digest. Never part of the key. Size: 32 bytes per committed grid row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySecrets {
    /// Digest of the key these blindings open.
    pub key_digest: [u8; 32],
    /// Per layer.
    pub layers: Vec<LayerSecrets>,
}

/// The generators a hiding key is made and checked with: the Hyrax column generators
/// (as many as the widest layer input), the scalar and blinding pair `g, h`, and the
/// mask generators of the well-formedness sumchecks.
#[derive(Clone, Debug)]
pub struct HidingKeyGens {
    /// Column generators.
    pub hyrax: HyraxKey,
    /// Mask generators and `g, h`.
    pub(crate) mask: MaskKey,
}

impl HidingKeyGens {
    /// Generators for layers up to `2^max_col_vars` inputs and weight tables of up to
    /// `max_vars` variables. Cost: `2^max_col_vars + 5·max_vars` hash-to-curve, parallel.
    pub fn new(max_col_vars: usize, max_vars: usize) -> Self {
        Self {
            hyrax: HyraxKey::new(max_col_vars),
            mask: MaskKey::new(max_vars),
        }
    }

    /// Generators for layers of the given `(n_in, n_out)` shapes.
    pub fn for_shapes(shapes: impl IntoIterator<Item = (usize, usize)>) -> Self {
        let (mut cv, mut vars) = (0, 1);
        for (n_in, n_out) in shapes {
            cv = cv.max(log2_ceil(n_in));
            vars = vars.max(log2_ceil(n_in) + log2_ceil(n_out));
        }
        Self::new(cv, vars)
    }

    fn blinding(&self) -> &BlindingKey {
        &self.mask.blinding
    }
}

/// The grid `(row_vars, col_vars)` of a hidden per-row vector (bias, multipliers) of
/// `n` entries: `2^c` columns with `c = min(trailing zeros of n, ⌈⌈log n⌉/2⌉)`, so `n`
/// fills whole rows and the padding rows are identities. Cost: O(1).
pub fn vector_grid(n: usize) -> (usize, usize) {
    let vars = log2_ceil(n);
    let c = (n.trailing_zeros() as usize).min(vars.div_ceil(2));
    (vars - c, c)
}

/// A weight matrix as the sorted nonzero entries of its padded table (index
/// `row·2^cv + col`). The prover's form for committing and the zero-check; values
/// other than ±1 occur only in tests (a cheating prover).
#[derive(Clone, Debug)]
pub(crate) struct SparseWeights {
    pub n_out: usize,
    pub n_in: usize,
    pub row_vars: usize,
    pub col_vars: usize,
    /// Strictly increasing.
    pub indices: Vec<u64>,
    pub values: Vec<i8>,
}

impl SparseWeights {
    /// From a ternary CSR matrix. Cost: O(nnz log(row nnz)), parallel over rows.
    pub fn from_csr(w: &TernaryCsr) -> Self {
        let cv = log2_ceil(w.n_in);
        let rows: Vec<Vec<(u64, i8)>> = (0..w.n_out)
            .into_par_iter()
            .with_min_len(64)
            .map(|i| {
                let (s, mid, e) = (
                    w.indptr[i] as usize,
                    w.split[i] as usize,
                    w.indptr[i + 1] as usize,
                );
                let base = (i as u64) << cv;
                let mut row: Vec<(u64, i8)> = w.indices[s..mid]
                    .iter()
                    .map(|&c| (base + c as u64, 1))
                    .chain(w.indices[mid..e].iter().map(|&c| (base + c as u64, -1)))
                    .collect();
                row.sort_unstable_by_key(|x| x.0);
                row
            })
            .collect();
        let nnz = rows.iter().map(Vec::len).sum();
        let (mut indices, mut values) = (Vec::with_capacity(nnz), Vec::with_capacity(nnz));
        for row in rows {
            for (i, v) in row {
                indices.push(i);
                values.push(v);
            }
        }
        Self {
            n_out: w.n_out,
            n_in: w.n_in,
            row_vars: log2_ceil(w.n_out),
            col_vars: cv,
            indices,
            values,
        }
    }

    /// Number of variables of the padded table.
    pub fn vars(&self) -> usize {
        self.row_vars + self.col_vars
    }

    /// Where each grid row's entries start (`2^rv + 1` offsets). Cost: O(2^rv log nnz).
    fn row_starts(&self) -> Vec<usize> {
        (0..=1u64 << self.row_vars)
            .map(|g| self.indices.partition_point(|&i| i < g << self.col_vars))
            .collect()
    }

    /// The blinded row commitments: each row the sum of its nonzeros' generators
    /// (`±G_c`; a scalar multiplication only for a non-ternary value), rows `< n_out`
    /// plus a fresh `ρ_g·h` (fixed-base). The sums are batch-affine additions (pairs
    /// of neighbours added level by level, one inversion per level shared by a block
    /// of rows: `small_commit::reduce_lists`, in IFMA lanes where available). Cost:
    /// about 6 multiplications per nonzero plus `n_out` fixed-base multiplications.
    fn commit<R: RngCore + CryptoRng>(
        &self,
        hyrax: &HyraxKey,
        bk: &BlindingKey,
        rng: &mut R,
    ) -> crate::Result<HidingCommitment> {
        let gens = hyrax.gens_for(self.col_vars)?;
        let starts = self.row_starts();
        let mask = (1u64 << self.col_vars) - 1;
        let n_rows = 1usize << self.row_vars;
        let block = (n_rows / (4 * rayon::current_num_threads())).clamp(1, 256);
        let row_blocks: Vec<std::ops::Range<usize>> = (0..n_rows)
            .step_by(block)
            .map(|g| g..(g + block).min(n_rows))
            .collect();
        let mut rows: Vec<G> = row_blocks
            .into_par_iter()
            .flat_map_iter(|range| {
                let first = starts[range.start];
                let mut pts = Vec::with_capacity(starts[range.end] - first);
                let mut lists = Vec::with_capacity(range.len());
                let mut extra = vec![G::zero(); range.len()];
                for (b, g) in range.clone().enumerate() {
                    let s = pts.len();
                    for k in starts[g]..starts[g + 1] {
                        let p = gens[(self.indices[k] & mask) as usize];
                        match self.values[k] {
                            1 => pts.push((p.x, p.y)),
                            -1 => pts.push((p.x, -p.y)),
                            v => extra[b] += p * crate::field::from_i64(v as i64),
                        }
                    }
                    lists.push((s, pts.len() - s));
                }
                crate::small_commit::sum_lists(&mut pts, &mut lists, extra)
            })
            .collect();
        let mut blinds: Vec<F> = (0..self.n_out).map(|_| random_scalar(rng)).collect();
        for (row, b) in rows.iter_mut().zip(bk.h.into_group().batch_mul(&blinds)) {
            *row += b;
        }
        blinds.resize(1 << self.row_vars, F::zero());
        Ok(HidingCommitment {
            commitment: HyraxCommitment::from_rows(rows, self.row_vars, self.col_vars),
            blinds,
        })
    }

    /// `t = Σ_g eq(p_row, g)·w[g, ·]` (length `2^cv`): one addition per nonzero.
    fn opening(&self, p_row: &[F]) -> Vec<F> {
        let l = crate::eq::eq_table(p_row);
        let mut t = vec![F::zero(); 1 << self.col_vars];
        let mask = (1u64 << self.col_vars) - 1;
        for (&i, &v) in self.indices.iter().zip(&self.values) {
            let (g, c) = ((i >> self.col_vars) as usize, (i & mask) as usize);
            match v {
                1 => t[c] += l[g],
                -1 => t[c] -= l[g],
                v => t[c] += l[g] * crate::field::from_i64(v as i64),
            }
        }
        t
    }
}

/// Commits a per-row vector with blinded rows on its [`vector_grid`].
/// Cost: [`commit_ints`] plus one fixed-base multiplication per row.
fn commit_vector<R: RngCore + CryptoRng>(
    hyrax: &HyraxKey,
    bk: &BlindingKey,
    values: &[i64],
    rng: &mut R,
) -> crate::Result<HidingCommitment> {
    let n = values.len();
    let (rv, cv) = vector_grid(n);
    let mut padded = values.to_vec();
    padded.resize(1 << (rv + cv), 0);
    let plain = commit_ints(hyrax, &padded, rv, cv)?;
    let used = n >> cv;
    let mut blinds: Vec<F> = (0..used).map(|_| random_scalar(rng)).collect();
    let masks = bk.h.into_group().batch_mul(&blinds);
    let rows: Vec<G> = plain
        .rows
        .iter()
        .enumerate()
        .map(|(g, p)| p.into_group() + masks.get(g).map_or(G::zero(), |m| m.into_group()))
        .collect();
    blinds.resize(1 << rv, F::zero());
    Ok(HidingCommitment {
        commitment: HyraxCommitment::from_rows(rows, rv, cv),
        blinds,
    })
}

/// A key whose commitments are made and digest computed, before its proof.
pub(crate) struct Committing {
    pub quant: PublicQuant,
    pub layers: Vec<HidingLayer>,
    pub secrets: Vec<LayerSecrets>,
    pub weight_coms: Vec<HidingCommitment>,
    pub digest: [u8; 32],
}

impl Committing {
    /// Commits every layer with fresh blindings and computes the digest.
    pub fn new<R: RngCore + CryptoRng>(
        weights: &[SparseWeights],
        params: &[LayerParams],
        quant: PublicQuant,
        gens: &HidingKeyGens,
        rng: &mut R,
    ) -> crate::Result<Self> {
        let bk = gens.blinding();
        if weights.len() != params.len() {
            return Err(Error::Invalid("one parameter set per layer".into()));
        }
        let mut layers = Vec::with_capacity(weights.len());
        let mut secrets = Vec::with_capacity(weights.len());
        let mut weight_coms = Vec::with_capacity(weights.len());
        for (w, p) in weights.iter().zip(params) {
            if w.vars() == 0 {
                return Err(Error::Invalid(
                    "a 1×1 layer cannot be committed hiding".into(),
                ));
            }
            let wc = w.commit(&gens.hyrax, bk, rng)?;
            let bias: Vec<i64> = p.bias.iter().map(|&b| b as i64).collect();
            if bias.len() != w.n_out {
                return Err(Error::Invalid("bias length differs from n_out".into()));
            }
            let bc = commit_vector(&gens.hyrax, bk, &bias, rng)?;
            let mc = if p.m.is_empty() {
                None
            } else {
                Some(commit_vector(&gens.hyrax, bk, p.m, rng)?)
            };
            layers.push(HidingLayer {
                n_in: w.n_in,
                n_out: w.n_out,
                k: p.k,
                bits: p.bits,
                weights: wc.commitment.clone(),
                bias: bc.commitment,
                m: mc.as_ref().map(|c| c.commitment.clone()),
            });
            secrets.push(LayerSecrets {
                weights: wc.blinds.clone(),
                bias: bc.blinds,
                m: mc.map(|c| c.blinds).unwrap_or_default(),
            });
            weight_coms.push(wc);
        }
        validate(&layers, &quant)?;
        let digest = wire::digest(&quant, &layers);
        Ok(Self {
            quant,
            layers,
            secrets,
            weight_coms,
            digest,
        })
    }

    /// The key with its proof, and the secrets.
    pub fn finish(self, proof: WellFormedProof) -> (HidingKey, KeySecrets) {
        (
            HidingKey {
                quant: self.quant,
                layers: self.layers,
                digest: self.digest,
                proof,
            },
            KeySecrets {
                key_digest: self.digest,
                layers: self.secrets,
            },
        )
    }
}

/// What [`HidingKey::commit`] needs per layer besides the weights.
pub(crate) struct LayerParams<'a> {
    pub bias: &'a [i32],
    pub m: &'a [i64],
    pub k: u32,
    /// The quotient-table width ([`HidingLayer::bits`]).
    pub bits: u32,
}

impl<'a> LayerParams<'a> {
    /// Each layer's parameters, with the hidden layers' quotient-table widths from
    /// the model's worst case ([`crate::mlp::model_checks::quotient_widths`]; an error
    /// when one does not fit 16 bits). Cost: O(Σ n_out).
    pub fn of(layers: &[MlpLayer<'a>]) -> crate::Result<Vec<Self>> {
        let widths = crate::mlp::model_checks::quotient_widths(layers)?;
        Ok(layers
            .iter()
            .enumerate()
            .map(|(i, l)| LayerParams {
                bias: l.bias,
                m: l.m,
                k: l.k,
                bits: widths.get(i).copied().unwrap_or(0),
            })
            .collect())
    }
}

impl HidingKey {
    /// Commits to a model with fresh blindings from `rng` and proves its weights
    /// ternary. Returns the key and the prover's secrets. `Error::Invalid` when a hidden
    /// layer's worst-case quotient does not fit 16 bits (such a model has no
    /// private-model proof). Cost: one point addition per
    /// nonzero weight, one fixed-base multiplication per committed row, and the
    /// well-formedness proof (a sparse sumcheck over each layer's nonzeros and
    /// `O(n_in + log n)` group operations per layer).
    pub fn commit<R: RngCore + CryptoRng>(
        layers: &[MlpLayer],
        quant: PublicQuant,
        gens: &HidingKeyGens,
        rng: &mut R,
    ) -> crate::Result<(Self, KeySecrets)> {
        let weights: Vec<SparseWeights> = layers
            .iter()
            .map(|l| SparseWeights::from_csr(l.weights))
            .collect();
        let params = LayerParams::of(layers)?;
        Self::commit_sparse(&weights, &params, quant, gens, rng)
    }

    /// [`Self::commit`] from sparse weight tables (tests give non-ternary ones).
    pub(crate) fn commit_sparse<R: RngCore + CryptoRng>(
        weights: &[SparseWeights],
        params: &[LayerParams],
        quant: PublicQuant,
        gens: &HidingKeyGens,
        rng: &mut R,
    ) -> crate::Result<(Self, KeySecrets)> {
        let parts = Committing::new(weights, params, quant, gens, rng)?;
        let proof = wellformed::prove(
            gens,
            &parts.digest,
            &parts.layers,
            weights,
            &parts.weight_coms,
            rng,
        )?;
        Ok(parts.finish(proof))
    }

    /// Checks the key: its shapes, that padding rows are identities, that the digest is
    /// the body's, and the well-formedness proof (every committed weight in
    /// `{−1, 0, 1}`). A rejection names the layer and the failed check
    /// ([`Check::KeyPadding`], [`Check::KeyTernary`]; [`Check::ModelDigest`] for a
    /// digest that is not the body's). Cost: a hash of the body, and per layer an MSM of
    /// `2^rv` rows and one of about `n_in` generators, `O(log)` more.
    pub fn check(&self, gens: &HidingKeyGens) -> crate::Result<()> {
        validate(&self.layers, &self.quant)
            .map_err(|e| Error::Malformed(format!("invalid hiding key: {e}")))?;
        for (i, l) in self.layers.iter().enumerate() {
            let pads = |c: &HyraxCommitment, used: usize, what: KeyPart| {
                if c.rows[used..].iter().all(|p| p.is_zero()) {
                    Ok(())
                } else {
                    Err(Error::Rejected(Check::KeyPadding { layer: i, what }))
                }
            };
            pads(&l.weights, l.n_out, KeyPart::Weights)?;
            pads(&l.bias, l.n_out >> l.bias.col_vars, KeyPart::Bias)?;
            if let Some(m) = &l.m {
                pads(m, l.n_out >> m.col_vars, KeyPart::Multipliers)?;
            }
        }
        // The proof's transcript binds the commitments through the digest: recompute it.
        if wire::digest(&self.quant, &self.layers) != self.digest {
            return Err(Error::Rejected(Check::ModelDigest));
        }
        wellformed::verify(gens, &self.digest, &self.layers, &self.proof)
    }

    /// Whether `secrets` open this key to `layers`' weights, biases and multipliers:
    /// per committed vector, a random combination `Σ_g r_g·C_g` of the key's rows equals
    /// the commitment to `Σ_g r_g·row_g` with blinding `Σ_g r_g·ρ_g` (a false opening
    /// passes with probability `1/|F|`). The prover runs it once before proving, so a
    /// model other than the committed one is refused with an error instead of giving
    /// proofs that do not verify. `Error::Invalid` naming the layer and the vector.
    /// Cost: per layer an MSM over the key's `n_out` rows and one over `n_in`
    /// generators (bias and multipliers: their grids), plus `nnz` field additions.
    pub fn opens<R: RngCore + CryptoRng>(
        &self,
        gens: &HidingKeyGens,
        layers: &[MlpLayer],
        secrets: &KeySecrets,
        rng: &mut R,
    ) -> crate::Result<()> {
        let bad = |l: usize, what: &str| {
            Error::Invalid(format!(
                "the model's {what} of layer {l} are not the ones the hiding key commits \
                 (another model, or another key's secret file)"
            ))
        };
        if secrets.key_digest != self.digest || secrets.layers.len() != self.layers.len() {
            return Err(Error::Invalid(
                "the secret file belongs to another hiding key".into(),
            ));
        }
        if layers.len() != self.layers.len() {
            return Err(Error::Invalid(format!(
                "the model's layers do not match the hiding key ({} layers, the key has {})",
                layers.len(),
                self.layers.len()
            )));
        }
        let bk = gens.blinding();
        // Σ_g r_g·C_g against the commitment to Σ_g r_g·row_g (row `g` of `values`,
        // `2^cv` wide) with blinding Σ_g r_g·ρ_g.
        let same = |com: &HyraxCommitment,
                    blinds: &[F],
                    combined: &dyn Fn(&[F]) -> Vec<F>,
                    rng: &mut R| {
            let r: Vec<F> = (0..com.rows.len()).map(|_| random_scalar(rng)).collect();
            let lhs = crate::msm::msm(&com.rows, &r);
            let row = combined(&r);
            let g = match gens.hyrax.gens_for(com.col_vars) {
                Ok(g) => g,
                Err(_) => return false,
            };
            let blind: F = r.iter().zip(blinds).map(|(a, b)| *a * b).sum();
            lhs == bk.commit_vector(&g[..row.len()], &row, blind)
        };
        for (l, ((kl, sl), layer)) in self
            .layers
            .iter()
            .zip(&secrets.layers)
            .zip(layers)
            .enumerate()
        {
            let w = layer.weights;
            if (w.n_out, w.n_in) != (kl.n_out, kl.n_in) || layer.bias.len() != kl.n_out {
                return Err(Error::Invalid(format!(
                    "the model's layers do not match the hiding key (layer {l}: {}×{}, the \
                     key's {}×{})",
                    w.n_out, w.n_in, kl.n_out, kl.n_in
                )));
            }
            let weights = |r: &[F]| {
                let mut row = vec![F::zero(); kl.n_in];
                for (i, ri) in r.iter().enumerate().take(w.n_out) {
                    let (s, m, e) = (
                        w.indptr[i] as usize,
                        w.split[i] as usize,
                        w.indptr[i + 1] as usize,
                    );
                    for &j in &w.indices[s..m] {
                        row[j as usize] += ri;
                    }
                    for &j in &w.indices[m..e] {
                        row[j as usize] -= ri;
                    }
                }
                row
            };
            if !same(&kl.weights, &sl.weights, &weights, rng) {
                return Err(bad(l, "weights"));
            }
            // Row `g` of a per-row vector's grid is `values[g·width .. (g+1)·width]`.
            let vector = |values: &[i64], width: usize, r: &[F]| {
                let mut row = vec![F::zero(); width];
                for (k, v) in values.iter().enumerate() {
                    row[k % width] += r[k / width] * crate::field::from_i64(*v);
                }
                row
            };
            let bias: Vec<i64> = layer.bias.iter().map(|&b| b as i64).collect();
            let width = 1usize << kl.bias.col_vars;
            if !same(&kl.bias, &sl.bias, &|r| vector(&bias, width, r), rng) {
                return Err(bad(l, "biases"));
            }
            if let Some(m) = &kl.m {
                let width = 1usize << m.col_vars;
                if layer.m.len() != kl.n_out || !same(m, &sl.m, &|r| vector(layer.m, width, r), rng)
                {
                    return Err(bad(l, "multipliers"));
                }
            }
        }
        Ok(())
    }

    /// The generators this key needs ([`HidingKeyGens::for_shapes`]).
    pub fn gens(&self) -> HidingKeyGens {
        HidingKeyGens::for_shapes(self.layers.iter().map(|l| (l.n_in, l.n_out)))
    }

    /// The requantization check of each hidden layer in a private-model proof:
    /// quotient mode with the key's width ([`HidingLayer::bits`]). Cost: O(layers).
    pub fn checks(&self) -> Vec<RequantCheck> {
        let hidden = &self.layers[..self.layers.len() - 1];
        hidden
            .iter()
            .map(|l| RequantCheck::Quotient { bits: l.bits })
            .collect()
    }

    /// Inputs of the model.
    pub fn n_in(&self) -> usize {
        self.layers[0].n_in
    }

    /// Outputs of the model (logits).
    pub fn n_out(&self) -> usize {
        self.layers[self.layers.len() - 1].n_out
    }
}

use crate::error::KeyPart;

/// Checks that layers chain, shifts and quotient-table widths are in range (0 for the
/// last layer), the output scales match, and every grid has the layout's shape.
/// Cost: O(layers).
fn validate(layers: &[HidingLayer], quant: &PublicQuant) -> crate::Result<()> {
    let bad = |i: usize, what: &str| Err(Error::Invalid(format!("layer {i}: {what}")));
    if layers.is_empty() || layers.len() > MAX_LAYERS {
        return Err(Error::Invalid(format!("{} layers", layers.len())));
    }
    for (i, l) in layers.iter().enumerate() {
        if l.n_in == 0 || l.n_out == 0 || l.n_in > MAX_WIDTH || l.n_out > MAX_WIDTH {
            return bad(i, "shape");
        }
        if log2_ceil(l.n_in) + log2_ceil(l.n_out) == 0 {
            return bad(i, "a 1×1 layer");
        }
        if i > 0 && layers[i - 1].n_out != l.n_in {
            return bad(i, "input width differs from the previous layer's output");
        }
        let hidden = i + 1 < layers.len();
        if hidden != l.m.is_some()
            || (hidden && !(1..=MAX_SHIFT).contains(&l.k))
            || (!hidden && l.k != 0)
        {
            return bad(i, "requantization parameters");
        }
        let widths = MIN_QUOTIENT_BITS..=MAX_QUOTIENT_BITS;
        if (hidden && !widths.contains(&l.bits)) || (!hidden && l.bits != 0) {
            return bad(
                i,
                &format!(
                    "quotient-table width {} (hidden layers {MIN_QUOTIENT_BITS}..={MAX_QUOTIENT_BITS}, the last 0)",
                    l.bits
                ),
            );
        }
        let w = &l.weights;
        if (w.row_vars, w.col_vars) != (log2_ceil(l.n_out), log2_ceil(l.n_in))
            || w.rows.len() != 1 << w.row_vars
        {
            return bad(i, "weight grid");
        }
        let grid = vector_grid(l.n_out);
        for c in std::iter::once(&l.bias).chain(&l.m) {
            if (c.row_vars, c.col_vars) != grid || c.rows.len() != 1 << c.row_vars {
                return bad(i, "bias or multiplier grid");
            }
        }
    }
    let last = &layers[layers.len() - 1];
    if quant.output_scales.len() != last.n_out || !quant.output_scales.iter().all(|s| s.is_finite())
    {
        return Err(Error::Invalid("output scales".into()));
    }
    let q = &quant.input;
    if !(q.scale.is_finite() && q.scale > 0.0) {
        return Err(Error::Invalid("input scale".into()));
    }
    if let Some(f) = &q.per_feature {
        if f.scales.len() != layers[0].n_in || f.validate().is_err() {
            return Err(Error::Invalid("per-feature input quantizer".into()));
        }
    }
    Ok(())
}

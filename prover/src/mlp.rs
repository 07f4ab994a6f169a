//! Proof that a committed ternary MLP maps a batch of inputs to the claimed outputs.
//!
//! The model: layers `z = T·a + b` with ternary `T`; every layer but the last is
//! followed by requantization and ReLU to bytes (see [`crate::requant`]); the last
//! layer's `z` (the logits) is the public output.
//!
//! Protocol (full description and soundness argument in `docs/protocol.md`):
//! 1. One transcript absorbs the verifying-key digest, the batch size, the public input
//!    (or its commitment) and the claimed output.
//! 2. The prover names, per hidden layer, how its requantization is checked
//!    ([`RequantCheck`], absorbed with the statement) and commits every hidden layer's
//!    witness vectors with Hyrax: output `y`, quotient `q`, remainder limbs `r_i`
//!    (quotient mode), or `y` alone (direct mode).
//! 3. One batched LogUp argument ([`crate::logup`]) checks, for all layers at once,
//!    `(q, y)` ∈ the clamp table of width `b` and every limb in range (quotient mode),
//!    or `(z, y)` ∈ the requant table of width `Z` (direct mode, `z` not committed); it
//!    leaves claims on the looked-up vectors at one random point per layer.
//! 4. From each hidden layer's point the verifier assembles the claim on
//!    `w = M∘z = 2^k·q + Σ 2^(12i)·r_i − 2^(k−1)` (quotient mode) or takes the claim
//!    on `z` itself (direct mode); the last layer's claim comes from the public output.
//!    Each claim is reduced by a degree-2 sumcheck over the layer's input to a claim on
//!    the layer's input vector and a check of the committed weights: the prover sends
//!    `u = Tᵀ·e` with `e = eq∘M` or `e = eq` (additions only), checked against the
//!    row commitments of `T`.
//! 5. All claims on committed vectors are checked by Hyrax openings, one per point
//!    (claims at one point are combined with random powers); claims on the public
//!    input are evaluated by the verifier.

pub(crate) mod model_checks;
#[cfg(test)]
mod modes;
mod prove;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
mod verify;
mod vk;
mod wire;
mod witness;
pub(crate) mod zk;
mod zk_file;
pub(crate) mod zk_model;
mod zk_model_file;
#[cfg(test)]
mod zk_model_tests;
#[cfg(test)]
mod zk_tests;
mod zk_wire;

/// Generators of the zero-knowledge proof's masks and blinding (see [`ZkKeys`]).
pub use crate::masked_sumcheck::MaskKey;
pub use prove::{prove, prove_timed, ProveTimings};
pub use verify::verify;
pub use vk::{LayerVk, MlpVk};
pub use vk::{VK_MAGIC, VK_VERSION};
pub use wire::{ProofFile, PROOF_MAGIC, PROOF_VERSION};
pub use zk::{mask_vars, prove as prove_zk, verify as verify_zk, ZkKeys, ZkMlpProof, ZkStep};
pub use zk_file::{AnyProofFile, ZkProofFile, ZK_INPUT_KIND};
pub use zk_model::{
    key_vars_hidden, mask_vars_hidden, prove as prove_private_model,
    verify as verify_private_model, HiddenStep, PrivateModelProof, RowStep,
};
pub use zk_model_file::{
    PrivateModelProofFile, PRIVATE_BOTH_KIND, PRIVATE_MODEL_KIND, PRIVATE_MODEL_PROOF_VERSION,
};
pub use zk_wire::ZK_PROOF_VERSION;

use crate::eq::eq_table;
use crate::error::Error;
use crate::field::{log2_ceil, F};
use crate::hyrax::HyraxCommitment;
use crate::labels;
use crate::logup::{LogupProof, LookupShape, Table};
use crate::requant::{
    limbs_for, top_limb_bits, LIMB_BITS, LOW_BITS, MAX_QUOTIENT_BITS, MIN_QUOTIENT_BITS,
};
use crate::sumcheck::SumcheckProof;
use crate::transcript::Transcript;
use ark_ff::AdditiveGroup;

/// Domain separator of the MLP proof's transcript.
pub const PROTOCOL: &[u8] = b"ternzk/mlp/v3";
/// Largest batch a proof may cover.
pub const MAX_BATCH: usize = 1 << 16;

/// One layer of a quantized ternary MLP, as the prover holds it (borrowed from a
/// compiled model by `CompiledModel::mlp_layers`).
pub use ternzk_core::engine::MlpLayer;

/// How the statement names the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicInput {
    /// The input bytes themselves (`batch × n_in`, back to back).
    Clear(Vec<u8>),
    /// A Hyrax commitment to the zero-padded input (`2^⌈log B⌉ × 2^⌈log n_in⌉`
    /// entries); the input itself stays with the prover.
    Committed(HyraxCommitment),
}

/// What a proof proves: for the model of the key, `batch` inputs give `output`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// Number of inputs proven together.
    pub batch: usize,
    /// The input, in the clear or committed.
    pub input: PublicInput,
    /// The logits, `batch × n_out` back to back.
    pub output: Vec<i32>,
}

/// One linear layer's part of the proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinearStep {
    /// Degree-2 sumcheck over the layer's input index.
    pub sumcheck: SumcheckProof,
    /// The claimed value of the layer input's extension at the sumcheck point.
    pub input_eval: F,
    /// `u = Tᵀ·e`, the opening of the weight commitment for row weights `e`.
    pub opening: Vec<F>,
}

/// How one hidden layer's requantization `y = clamp((z·M_i + 2^(k−1)) >> k, 0, 255)`
/// is checked; chosen by the prover, stated in the proof and absorbed with the
/// statement. Encoded as two bytes: the mode (0 quotient, 1 direct) and the width.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequantCheck {
    /// Commit `y`, the quotient `q` and the remainder limbs but the top one;
    /// `(q, y)` in the clamp table `[−2^(bits−1), 2^(bits−1))` (`bits` in `9..=16`),
    /// the limbs in the 12-bit range table.
    Quotient {
        /// Width of the quotient table.
        bits: u32,
    },
    /// Commit `y` only; `(z, y)` in the requant table of the layer's multiplier and
    /// shift over `z ∈ [−2^(bits−1), 2^(bits−1))` (`bits` in `1..=16`). Only for a
    /// layer whose multipliers are all equal (and non-negative); `z` itself is not
    /// committed, its lookup claim is checked by the linear sumcheck.
    Direct {
        /// Width of the accumulator range.
        bits: u32,
    },
}

impl RequantCheck {
    /// The mode's name, `"quotient"` or `"direct"` (for reports). Cost: O(1).
    pub fn mode(self) -> &'static str {
        match self {
            RequantCheck::Quotient { .. } => "quotient",
            RequantCheck::Direct { .. } => "direct",
        }
    }

    /// The table width: the quotient table's (quotient mode) or the accumulator
    /// range's (direct mode). Cost: O(1).
    pub fn bits(self) -> u32 {
        match self {
            RequantCheck::Quotient { bits } | RequantCheck::Direct { bits } => bits,
        }
    }

    /// The two-byte encoding (mode, width).
    pub fn to_bytes(self) -> [u8; 2] {
        match self {
            RequantCheck::Quotient { bits } => [0, bits as u8],
            RequantCheck::Direct { bits } => [1, bits as u8],
        }
    }

    /// Decodes [`Self::to_bytes`]; an unknown mode is an error (widths are checked by
    /// the layout).
    pub fn from_bytes(b: [u8; 2]) -> crate::Result<Self> {
        let bits = b[1] as u32;
        match b[0] {
            0 => Ok(RequantCheck::Quotient { bits }),
            1 => Ok(RequantCheck::Direct { bits }),
            m => Err(Error::Malformed(format!(
                "unknown requantization check mode {m}"
            ))),
        }
    }
}

/// The common multiplier of a hidden layer, if all are equal and non-negative (the
/// condition for [`RequantCheck::Direct`]). Cost: O(n_out).
pub(crate) fn uniform_multiplier(m: &[i64]) -> Option<i64> {
    let first = *m.first()?;
    (first >= 0 && m.iter().all(|&x| x == first)).then_some(first)
}

/// A proof for a [`Statement`]. All sizes follow from the key, the batch size and
/// whether the input is committed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MlpProof {
    /// Per hidden layer: how its requantization is checked, with the table width (the
    /// prover picks the smallest that holds its values).
    pub checks: Vec<RequantCheck>,
    /// Per hidden layer: commitments to `y, q, r_0, …, r_{n−2}` (quotient mode) or to
    /// `y` (direct mode). The top remainder limb is not committed: it is a linear
    /// function of `M∘z`, `q` and the lower limbs, so its lookup claim is checked by the
    /// linear sumcheck through `w̃`; in direct mode the same holds for `z`.
    pub witness: Vec<Vec<HyraxCommitment>>,
    /// The batched lookup argument (absent for a model without hidden layers and a
    /// public input: nothing to look up).
    pub logup: Option<LogupProof>,
    /// Per layer, in layer order.
    pub steps: Vec<LinearStep>,
    /// One Hyrax opening vector per opening point, in the order of [`Layout::groups`].
    pub openings: Vec<Vec<F>>,
}

/// Number of committed vectors per hidden layer besides the limbs: `y, q`.
const FIXED_VECTORS: usize = 2;

/// Public layout of one hidden layer's witness.
#[derive(Clone, Debug)]
struct HiddenLayout {
    /// `log2` of the padded witness length (`c + ⌈log n_out⌉`).
    vars: usize,
    /// Remainder limbs.
    limbs: usize,
    /// Bits of the top limb; below 12 a shifted copy is range-checked too.
    top_bits: u32,
    /// How the requantization is checked.
    check: RequantCheck,
    /// The layer's common multiplier (direct mode only; 0 otherwise).
    m: i64,
    /// The layer's shift.
    k: u32,
    /// Index of this layer's first lookup instance.
    first_instance: usize,
}

impl HiddenLayout {
    fn direct(&self) -> bool {
        matches!(self.check, RequantCheck::Direct { .. })
    }
    /// Committed vectors: `y, q` and every limb but the top one (quotient mode), or
    /// `y` (direct mode).
    fn vectors(&self) -> usize {
        if self.direct() {
            1
        } else {
            FIXED_VECTORS + self.limbs - 1
        }
    }
    /// Lookup instances: the quotient (or requant) lookup, then the limbs and the
    /// shifted top limb (quotient mode only).
    fn instances(&self) -> usize {
        if self.direct() {
            1
        } else {
            1 + self.limbs + self.shifted() as usize
        }
    }
    fn shifted(&self) -> bool {
        self.top_bits < LIMB_BITS
    }
    /// `2^12 − 2^top_bits`: added to the top limb for the shifted range check.
    fn shift(&self) -> i64 {
        (1i64 << LIMB_BITS) - (1i64 << self.top_bits)
    }
    /// The `(q, clamp(q, 0, 255))` table (quotient mode) or the `(z, requant(z))`
    /// table (direct mode) of this layer.
    fn first_table(&self) -> Table {
        match self.check {
            RequantCheck::Quotient { bits } => Table::Clamp {
                in_bits: bits,
                out_bits: LOW_BITS,
            },
            RequantCheck::Direct { bits } => Table::Requant {
                in_bits: bits,
                m: self.m,
                k: self.k,
            },
        }
    }
}

/// The public layout both sides derive from the key and the statement's shape.
#[derive(Clone, Debug)]
struct Layout {
    /// `⌈log2 B⌉`.
    batch_vars: usize,
    /// `log2` of the padded input vector length, when the input is committed.
    input_vars: Option<usize>,
    hidden: Vec<HiddenLayout>,
    shapes: Vec<LookupShape>,
}

/// Columns of a witness commitment grid are at least `2^MIN_COL_VARS` wide (when
/// the vector is that long): longer rows make the small-integer commitments cheaper
/// per entry, at the price of longer opening vectors.
const MIN_COL_VARS: usize = 7;

/// The Hyrax grid `(row_vars, col_vars)` of a committed vector of `2^vars` entries.
fn grid(vars: usize) -> (usize, usize) {
    let cols = (vars - vars / 2).max(MIN_COL_VARS.min(vars));
    (vars - cols, cols)
}

/// The Hyrax grid of a *hiding* commitment in a zero-knowledge proof: as square as
/// possible (`⌊vars/2⌋` row variables). There a row costs one fixed-base blinding and
/// a column two MSM bases of the evaluation proof (its masked opening vector and the
/// recommitted combination), so the long rows of [`grid`], which make the clear
/// commitments cheap, would make every zero-knowledge opening 2^7 bases wide however
/// short the vector.
pub(crate) fn zk_grid(vars: usize) -> (usize, usize) {
    (vars / 2, vars - vars / 2)
}

/// Whether `c` is a hiding commitment of `vars` variables as a zero-knowledge proof
/// lays it out: the [`zk_grid`] and one row point per grid row.
pub(crate) fn on_zk_grid(c: &HyraxCommitment, vars: usize) -> bool {
    let (rv, cv) = zk_grid(vars);
    (c.row_vars, c.col_vars) == (rv, cv) && c.rows.len() == 1 << rv
}

/// What the proof's layout needs to know of one layer: its widths, its shift and its
/// common multiplier when all are equal (direct mode only; a hidden model never names
/// one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LayerShape {
    pub n_in: usize,
    pub n_out: usize,
    pub k: u32,
    pub uniform_m: Option<i64>,
}

impl MlpVk {
    /// Every layer's [`LayerShape`]. Cost: O(Σ n_out).
    pub(crate) fn shapes(&self) -> Vec<LayerShape> {
        self.layers
            .iter()
            .map(|l| LayerShape {
                n_in: l.n_in,
                n_out: l.n_out,
                k: l.k,
                uniform_m: uniform_multiplier(&l.m),
            })
            .collect()
    }
}

impl Layout {
    /// The layout for `vk`, `batch` inputs, the input kind and the requantization
    /// check of each hidden layer (errors if a width is outside `9..=16` for quotient
    /// mode or `1..=16` for direct mode, or direct mode is named for a layer whose
    /// multipliers are not all equal).
    fn new(
        vk: &MlpVk,
        batch: usize,
        committed_input: bool,
        checks: &[RequantCheck],
    ) -> crate::Result<Self> {
        Self::from_shapes(&vk.shapes(), batch, committed_input, checks)
    }

    /// [`Layout::new`] from the layers' shapes alone.
    fn from_shapes(
        layers: &[LayerShape],
        batch: usize,
        committed_input: bool,
        checks: &[RequantCheck],
    ) -> crate::Result<Self> {
        if batch == 0 || batch > MAX_BATCH {
            return Err(Error::Invalid(format!(
                "batch {batch} outside 1..={MAX_BATCH}"
            )));
        }
        if checks.len() + 1 != layers.len() {
            return Err(Error::Malformed(format!(
                "requantization checks {checks:?}: need one per hidden layer"
            )));
        }
        for (l, (check, lv)) in checks.iter().zip(layers).enumerate() {
            let ok = match *check {
                RequantCheck::Quotient { bits } => {
                    (MIN_QUOTIENT_BITS..=MAX_QUOTIENT_BITS).contains(&bits)
                }
                RequantCheck::Direct { bits } => {
                    if lv.uniform_m.is_none() {
                        return Err(Error::Malformed(format!(
                            "layer {l}: direct requantization check for a layer whose \
                             multipliers are not all equal"
                        )));
                    }
                    (1..=MAX_QUOTIENT_BITS).contains(&bits)
                }
            };
            if !ok {
                return Err(Error::Malformed(format!(
                    "layer {l}: requantization check {check:?} has a width outside the \
                     allowed range"
                )));
            }
        }
        let c = log2_ceil(batch);
        let mut shapes = Vec::new();
        let input_vars = committed_input.then(|| {
            let vars = c + log2_ceil(layers[0].n_in);
            shapes.push(LookupShape {
                table: Table::Range { bits: LOW_BITS },
                len: 1 << vars,
            });
            vars
        });
        let mut hidden = Vec::new();
        for (l, &check) in layers[..layers.len() - 1].iter().zip(checks) {
            let vars = c + log2_ceil(l.n_out);
            let h = HiddenLayout {
                vars,
                limbs: limbs_for(l.k),
                top_bits: top_limb_bits(l.k),
                check,
                m: match check {
                    RequantCheck::Direct { .. } => l.uniform_m.expect("checked"),
                    RequantCheck::Quotient { .. } => 0,
                },
                k: l.k,
                first_instance: shapes.len(),
            };
            let len = 1 << vars;
            shapes.push(LookupShape {
                table: h.first_table(),
                len,
            });
            for _ in 1..h.instances() {
                shapes.push(LookupShape {
                    table: Table::Range { bits: LIMB_BITS },
                    len,
                });
            }
            hidden.push(h);
        }
        Ok(Self {
            batch_vars: c,
            input_vars,
            hidden,
            shapes,
        })
    }

    /// The opening groups in proof order: for a committed input, (its lookup point,
    /// layer 0's sumcheck point); then for each hidden layer, (its lookup point, the
    /// next layer's sumcheck point). Returned as `log2` lengths of the vectors.
    fn groups(&self) -> Vec<usize> {
        let mut g = Vec::new();
        if let Some(v) = self.input_vars {
            g.extend([v, v]);
        }
        for h in &self.hidden {
            g.extend([h.vars, h.vars]);
        }
        g
    }
}

/// The generators a proof for `vk` with `batch` inputs needs: `log2` of their number.
/// Cost: O(#layers).
pub fn key_vars(vk: &MlpVk, batch: usize) -> usize {
    key_vars_for(&vk.shapes(), batch)
}

/// [`key_vars`] from the layers' shapes. Cost: O(#layers).
pub(crate) fn key_vars_for(layers: &[LayerShape], batch: usize) -> usize {
    let c = log2_ceil(batch.max(1));
    let mut need = grid(c + log2_ceil(layers[0].n_in)).1;
    for l in layers {
        need = need
            .max(log2_ceil(l.n_in))
            .max(grid(c + log2_ceil(l.n_out)).1);
    }
    // Tables: the widest quotient table has the widest multiplicity grid.
    need.max((MAX_QUOTIENT_BITS.max(LIMB_BITS) as usize).div_ceil(2))
}

/// Starts the transcript both sides share: protocol, key digest, batch, input, output
/// and the requantization checks.
fn statement_transcript(vk: &MlpVk, st: &Statement, checks: &[RequantCheck]) -> Transcript {
    let mut t = Transcript::new(PROTOCOL);
    absorb_statement(&mut t, labels::VK_DIGEST, &vk.digest, st, checks);
    t
}

/// Absorbs the statement into `t` (see [`statement_transcript`]): the model's digest
/// under `key_label` (a public key's or a hiding key's), then the rest.
fn absorb_statement(
    t: &mut Transcript,
    key_label: &'static [u8],
    digest: &[u8; 32],
    st: &Statement,
    checks: &[RequantCheck],
) {
    t.append_bytes(key_label, digest);
    t.append_u64(labels::BATCH, st.batch as u64);
    match &st.input {
        PublicInput::Clear(x) => t.append_bytes(labels::INPUT_CLEAR, x),
        PublicInput::Committed(c) => {
            t.append_bytes(labels::INPUT_COMMITTED, &[]);
            c.absorb(t);
        }
    }
    t.append_i32s(labels::OUTPUT, &st.output);
    for c in checks {
        t.append_bytes(labels::REQUANT_CHECK, &c.to_bytes());
    }
}

/// `Σ_{b<B} eq(r_b, b)`: the weight of the real batch entries. Cost: O(2^c).
fn batch_weight(r_b: &[F], batch: usize) -> F {
    crate::eq::eq_table(r_b)[..batch].iter().sum()
}

/// The row weights of a hidden layer's linear step, zero on padding rows:
/// `e_i = eq(ρ, i)·M_i` (quotient mode, the claim is on `M∘z`) or `e_i = eq(ρ, i)`
/// (direct mode, the claim is on `z`). Cost: `2^a` multiplications.
pub(crate) fn row_weights(rho: &[F], m: &[i64], direct: bool) -> Vec<F> {
    let mut e = eq_table(rho);
    for (i, x) in e.iter_mut().enumerate() {
        *x = match m.get(i) {
            Some(_) if direct => *x,
            Some(&mi) => *x * crate::field::from_i64(mi),
            None => F::ZERO,
        };
    }
    e
}

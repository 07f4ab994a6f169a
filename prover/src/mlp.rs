//! Proof that a committed ternary MLP maps a batch of inputs to the claimed outputs.
//!
//! The model: layers `z = T·a + b` with ternary `T`; every layer but the last is
//! followed by requantization and ReLU to bytes (see [`crate::requant`]); the last
//! layer's `z` (the logits) is the public output.
//!
//! Protocol (full description and soundness argument in `docs/protocol.md`):
//! 1. One transcript absorbs the verifying-key digest, the batch size, the public input
//!    (or its commitment) and the claimed output.
//! 2. The prover names, per hidden layer, the width `b` of its quotient table (absorbed
//!    with the statement) and commits every hidden layer's witness vectors — output
//!    `y`, quotient `q`, remainder limbs `r_i` — with Hyrax.
//! 3. One batched LogUp argument ([`crate::logup`]) checks, for all layers at once,
//!    `(q, y)` ∈ the clamp table of width `b` and every limb in range; it leaves
//!    claims on the witness vectors at one random point per layer.
//! 4. From each hidden layer's point the verifier assembles the claim on
//!    `w = M∘z = 2^k·q + Σ 2^(12i)·r_i − 2^(k−1)`; the last layer's claim comes
//!    from the public output. Each claim is reduced by a degree-2 sumcheck over the
//!    layer's input to a claim on the layer's input vector and a check of the
//!    committed weights: the prover sends `u = Tᵀ·(eq∘M)` (additions only), checked
//!    against the row commitments of `T`.
//! 5. All claims on committed vectors are checked by Hyrax openings, one per point
//!    (claims at one point are combined with random powers); claims on the public
//!    input are evaluated by the verifier.

mod prove;
#[cfg(test)]
mod tests;
mod verify;
mod vk;
mod wire;
mod witness;

pub use prove::{prove, prove_timed, ProveTimings};
pub use verify::verify;
pub use vk::{LayerVk, MlpVk};
pub use vk::{VK_MAGIC, VK_VERSION};
pub use wire::{ProofFile, PROOF_MAGIC, PROOF_VERSION};

use crate::error::Error;
use crate::field::{log2_ceil, F};
use crate::hyrax::HyraxCommitment;
use crate::logup::{LogupProof, LookupShape, Table};
use crate::requant::{
    limbs_for, top_limb_bits, LIMB_BITS, LOW_BITS, MAX_QUOTIENT_BITS, MIN_QUOTIENT_BITS,
};
use crate::sumcheck::SumcheckProof;
use crate::ternary::TernaryCsr;
use crate::transcript::Transcript;

/// Domain separator of the MLP proof's transcript.
pub const PROTOCOL: &[u8] = b"ternzk/mlp/v2";
/// Largest batch a proof may cover.
pub const MAX_BATCH: usize = 1 << 16;

/// One layer of a quantized ternary MLP, as the prover holds it.
#[derive(Clone, Copy, Debug)]
pub struct MlpLayer<'a> {
    /// Ternary weights `T` (`n_out × n_in`).
    pub weights: &'a TernaryCsr,
    /// Bias at the accumulator scale (`n_out`).
    pub bias: &'a [i32],
    /// Requantization multipliers, one per row; empty for the last layer.
    pub m: &'a [i64],
    /// Requantization shift (`1..=62`); 0 for the last layer.
    pub k: u32,
}

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

/// A proof for a [`Statement`]. All sizes follow from the key, the batch size and
/// whether the input is committed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MlpProof {
    /// Per hidden layer: the width `b` of its quotient table `[−2^(b−1), 2^(b−1))`
    /// (in `9..=16`; the prover picks the smallest that holds its quotients).
    pub quotient_bits: Vec<u32>,
    /// Per hidden layer: commitments to `y, q, r_0, …, r_{n−2}`. The top remainder
    /// limb is not committed: it is a linear function of `M∘z`, `q` and the lower limbs,
    /// so its lookup claim is checked by the linear sumcheck through `w̃`.
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
    /// Width of the quotient table.
    quotient_bits: u32,
    /// Index of this layer's first lookup instance.
    first_instance: usize,
}

impl HiddenLayout {
    /// Committed vectors: `y, q` and every limb but the top one.
    fn vectors(&self) -> usize {
        FIXED_VECTORS + self.limbs - 1
    }
    fn shifted(&self) -> bool {
        self.top_bits < LIMB_BITS
    }
    /// `2^12 − 2^top_bits`: added to the top limb for the shifted range check.
    fn shift(&self) -> i64 {
        (1i64 << LIMB_BITS) - (1i64 << self.top_bits)
    }
    /// The `(q, clamp(q, 0, 255))` table of this layer.
    fn quotient_table(&self) -> Table {
        Table::Clamp {
            in_bits: self.quotient_bits,
            out_bits: LOW_BITS,
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

impl Layout {
    /// The layout for `vk`, `batch` inputs, the input kind and the quotient-table
    /// width of each hidden layer (errors if any is outside `9..=16`).
    fn new(
        vk: &MlpVk,
        batch: usize,
        committed_input: bool,
        quotient_bits: &[u32],
    ) -> crate::Result<Self> {
        if batch == 0 || batch > MAX_BATCH {
            return Err(Error::Invalid(format!(
                "batch {batch} outside 1..={MAX_BATCH}"
            )));
        }
        if quotient_bits.len() + 1 != vk.layers.len()
            || quotient_bits
                .iter()
                .any(|b| !(MIN_QUOTIENT_BITS..=MAX_QUOTIENT_BITS).contains(b))
        {
            return Err(Error::Malformed(format!(
                "quotient table widths {quotient_bits:?}: need one per hidden layer, each in \
                 {MIN_QUOTIENT_BITS}..={MAX_QUOTIENT_BITS}"
            )));
        }
        let c = log2_ceil(batch);
        let mut shapes = Vec::new();
        let input_vars = committed_input.then(|| {
            let vars = c + log2_ceil(vk.n_in());
            shapes.push(LookupShape {
                table: Table::Range { bits: LOW_BITS },
                len: 1 << vars,
            });
            vars
        });
        let mut hidden = Vec::new();
        for (l, &qb) in vk.layers[..vk.layers.len() - 1].iter().zip(quotient_bits) {
            let vars = c + log2_ceil(l.n_out);
            let h = HiddenLayout {
                vars,
                limbs: limbs_for(l.k),
                top_bits: top_limb_bits(l.k),
                quotient_bits: qb,
                first_instance: shapes.len(),
            };
            let len = 1 << vars;
            shapes.push(LookupShape {
                table: h.quotient_table(),
                len,
            });
            for _ in 0..h.limbs + h.shifted() as usize {
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
    let c = log2_ceil(batch.max(1));
    let mut need = grid(c + log2_ceil(vk.n_in())).1;
    for l in &vk.layers {
        need = need
            .max(log2_ceil(l.n_in))
            .max(grid(c + log2_ceil(l.n_out)).1);
    }
    // Tables: the widest quotient table has the widest multiplicity grid.
    need.max((MAX_QUOTIENT_BITS.max(LIMB_BITS) as usize).div_ceil(2))
}

/// Starts the transcript both sides share: protocol, key digest, batch, input, output
/// and the quotient-table widths.
fn statement_transcript(vk: &MlpVk, st: &Statement, quotient_bits: &[u32]) -> Transcript {
    let mut t = Transcript::new(PROTOCOL);
    t.append_bytes(b"vk-digest", &vk.digest);
    t.append_u64(b"batch", st.batch as u64);
    match &st.input {
        PublicInput::Clear(x) => t.append_bytes(b"input-clear", x),
        PublicInput::Committed(c) => {
            t.append_bytes(b"input-committed", &[]);
            c.absorb(&mut t);
        }
    }
    t.append_i32s(b"output", &st.output);
    for &b in quotient_bits {
        t.append_u64(b"quotient-bits", b as u64);
    }
    t
}

/// `Σ_{b<B} eq(r_b, b)`: the weight of the real batch entries. Cost: O(2^c).
fn batch_weight(r_b: &[F], batch: usize) -> F {
    crate::eq::eq_table(r_b)[..batch].iter().sum()
}

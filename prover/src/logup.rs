//! LogUp (logarithmic-derivative) lookups against verifier-defined tables, batched.
//!
//! Statement: for every lookup instance `j` (a vector of `N_j` small integers, or of
//! `N_j` integer pairs for a two-column table) every entry lies in the instance's table
//! `T_j`, which is fixed by the verifier ([`Table`]) and never sent by the prover.
//!
//! Protocol (details, costs and the soundness argument in `docs/logup.md`):
//! 1. Both sides absorb the shapes. For each distinct table the prover commits the
//!    multiplicities `m_t` (how often each table row is looked up, counting padding)
//!    with Hyrax and absorbs the commitments; only then are the fold challenge `γ`
//!    and the LogUp challenge `β` drawn. Rows are folded to `a + γ·b`.
//! 2. Witness side: for each instance, a binary tree of projective fractions
//!    `(p, q)` over the zero-padded witness (leaves `(1, β − w_i)`, parents
//!    `(p₀q₁ + p₁q₀, q₀q₁)`), proven layer by layer from the root with a batched
//!    degree-3 sumcheck (GKR over fractional sums, Papini–Haböck). All instances share
//!    each layer's random point; an instance whose tree ends at layer `k` leaves a claim
//!    on its columns' multilinear extensions at the layer-`k` point.
//! 3. Table side: for each distinct table, a degree-2 sumcheck proves
//!    `S = Σ_t m_t·g(t)` with `g(t) = 1/(β − T(t))`; the verifier evaluates the
//!    multilinear extension of `g` itself (`O(|T|)`) and `m̃` through a Hyrax opening.
//! 4. The verifier checks, cross-multiplied, that the witness-side fractions of all
//!    instances on a table add up to that table's `S`, after checking that every root
//!    denominator is nonzero (so `β` equals no witness value).
//!
//! **Caller's duties.** The witness vectors must be committed and their commitments
//! absorbed into the transcript *before* [`prove`] / [`verify`] is called (so that
//! `β` and `γ` are drawn after the witness is fixed), and the returned
//! [`LookupClaims`] must be checked against those commitments (openings of the
//! zero-padded vectors at the returned points). Without both, nothing is proven.

use crate::eq::{eq_eval, eq_table, PAR_THRESHOLD};
use crate::error::{ensure, Error};
use crate::field::{from_i64, log2_ceil, F, G};
use crate::hyrax::{verify_opening, HyraxCommitment, HyraxKey};
use crate::mle::bind_first;
use crate::sumcheck::SumcheckProof;
use crate::transcript::Transcript;
use crate::wire::{Reader, Writer, FIELD_BYTES, POINT_BYTES};
use ark_ec::CurveGroup;
use ark_ff::{AdditiveGroup, Field, Zero};
use rayon::prelude::*;

#[cfg(test)]
mod tests;
#[cfg(target_arch = "x86_64")]
mod wide;
#[cfg(not(target_arch = "x86_64"))]
#[path = "logup/wide_none.rs"]
mod wide;

/// Domain separator absorbed at the start of every lookup argument.
pub const PROTOCOL: &[u8] = b"ternzk/logup/v2";
/// Largest table: `2^16` rows.
pub const MAX_TABLE_BITS: u32 = 16;
/// Largest witness vector: `2^28` entries (a guard against absurd shapes).
pub const MAX_WITNESS_VARS: usize = 28;

/// A lookup table fixed by the verifier. Both tables contain the all-zero row, which
/// is what padding entries look up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Table {
    /// One column: the values `0, 1, …, 2^bits − 1` (`bits ≤ 16`). Row `i` is `i`.
    Range {
        /// Table size is `2^bits`.
        bits: u32,
    },
    /// Two columns: the pairs `(t, clamp(t, 0, 2^out_bits − 1))` for every
    /// `t ∈ [−2^(in_bits−1), 2^(in_bits−1))` (`1 ≤ in_bits ≤ 16`, `out_bits < in_bits`).
    /// Row `i` has `t = i − 2^(in_bits−1)`. With `in_bits = 16, out_bits = 8` this is
    /// ReLU followed by saturation to `u8` ([`Table::RELU8`]); the requantization
    /// quotient must lie in `[−2^15, 2^15)`.
    Clamp {
        /// Inputs range over `[−2^(in_bits−1), 2^(in_bits−1))`; table size `2^in_bits`.
        in_bits: u32,
        /// Outputs are clamped to `[0, 2^out_bits − 1]`.
        out_bits: u32,
    },
    /// Two columns: the pairs `(h, sign(h))` for every `h ∈ [−2^(bits−1), 2^(bits−1))`
    /// (`1 ≤ bits ≤ 16`). Row `i` has `h = i − 2^(bits−1)`. Used for the high part of
    /// a requantization quotient `q = 2^8·h + l`.
    Sign {
        /// Table size `2^bits`.
        bits: u32,
    },
    /// Three columns `(c, l, y)` with `c ∈ {−1, 0, 1}`, `l ∈ [0, 2^bits)` and
    /// `y = 0, l, 2^bits − 1` for `c = −1, 0, 1`: saturation of `q = 2^bits·h + l` to
    /// `[0, 2^bits − 1]` given `c = sign(h)` (`1 ≤ bits ≤ 14`). Rows come in four blocks
    /// of `2^bits` for `c = 0, −1, 1, 0` (the last block repeats the first so the size
    /// is a power of two, `2^(bits+2)`); row `i` has `l = i mod 2^bits`.
    Saturate {
        /// Width of `l` and `y`.
        bits: u32,
    },
    /// Two columns: the pairs `(u, clamp((u·m + 2^(k−1)) >> k, 0, 255))` for every
    /// `u ∈ [−2^(in_bits−1), 2^(in_bits−1))` (`1 ≤ in_bits ≤ 16`, `1 ≤ k ≤ 62`,
    /// `m ≥ 0`): requantization with ReLU of an accumulator `u` by one multiplier, as
    /// [`crate::requant::requant`] computes it. Row `i` has `u = i − 2^(in_bits−1)`;
    /// the row `u = 0` is `(0, 0)`.
    Requant {
        /// Inputs range over `[−2^(in_bits−1), 2^(in_bits−1))`; table size `2^in_bits`.
        in_bits: u32,
        /// The multiplier `M`.
        m: i64,
        /// The shift `k`.
        k: u32,
    },
}

/// `y` of the requant-table row for input `u`.
#[inline]
fn requant_y(u: i64, m: i64, k: u32) -> i64 {
    crate::requant::requant(u as i32, m, k).2 as i64
}

/// The value of `c` in each block of [`Table::Saturate`].
const SATURATE_BLOCKS: [i64; 4] = [0, -1, 1, 0];

/// `y` of the saturate-table row `(c, l, ·)`.
fn saturate(c: i64, l: i64, bits: u32) -> i64 {
    match c {
        0 => l,
        1 => (1 << bits) - 1,
        _ => 0,
    }
}

impl Table {
    /// `(t, clamp(t, 0, 255))` for `t ∈ [−2^15, 2^15)`.
    pub const RELU8: Table = Table::Clamp {
        in_bits: 16,
        out_bits: 8,
    };

    /// Checks the parameters (sizes up to `2^16`). Cost: O(1).
    pub fn validate(&self) -> crate::Result<()> {
        let ok = match *self {
            Table::Range { bits } => bits <= MAX_TABLE_BITS,
            Table::Clamp { in_bits, out_bits } => {
                (1..=MAX_TABLE_BITS).contains(&in_bits) && out_bits < in_bits
            }
            Table::Sign { bits } => (1..=MAX_TABLE_BITS).contains(&bits),
            Table::Saturate { bits } => (1..=MAX_TABLE_BITS - 2).contains(&bits),
            Table::Requant { in_bits, m, k } => {
                (1..=MAX_TABLE_BITS).contains(&in_bits)
                    && (1..=crate::requant::MAX_SHIFT).contains(&k)
                    && m >= 0
            }
        };
        if ok {
            Ok(())
        } else {
            Err(Error::Invalid(format!("unsupported lookup table {self:?}")))
        }
    }

    /// `log2` of the number of rows. Cost: O(1).
    pub fn num_vars(&self) -> usize {
        match *self {
            Table::Range { bits } => bits as usize,
            Table::Clamp { in_bits, .. } => in_bits as usize,
            Table::Sign { bits } => bits as usize,
            Table::Saturate { bits } => bits as usize + 2,
            Table::Requant { in_bits, .. } => in_bits as usize,
        }
    }

    /// Number of columns of a row (1, 2 or 3). Cost: O(1).
    pub fn columns(&self) -> usize {
        match self {
            Table::Range { .. } => 1,
            Table::Clamp { .. } | Table::Sign { .. } | Table::Requant { .. } => 2,
            Table::Saturate { .. } => 3,
        }
    }

    /// Row `i` as integers (unused trailing entries are 0). Cost: O(1).
    pub fn row(&self, i: usize) -> [i64; 3] {
        match *self {
            Table::Range { .. } => [i as i64, 0, 0],
            Table::Clamp { in_bits, out_bits } => {
                let t = i as i64 - (1i64 << (in_bits - 1));
                [t, t.clamp(0, (1i64 << out_bits) - 1), 0]
            }
            Table::Sign { bits } => {
                let h = i as i64 - (1i64 << (bits - 1));
                [h, h.signum(), 0]
            }
            Table::Saturate { bits } => {
                let c = SATURATE_BLOCKS[i >> bits];
                let l = (i & ((1 << bits) - 1)) as i64;
                [c, l, saturate(c, l, bits)]
            }
            Table::Requant { in_bits, m, k } => {
                let u = i as i64 - (1i64 << (in_bits - 1));
                [u, requant_y(u, m, k), 0]
            }
        }
    }

    /// The index of `row` in the table, or `None` if it is not a table row. Cost: O(1).
    pub fn index_of(&self, row: &[i64]) -> Option<usize> {
        match (*self, row) {
            (Table::Range { bits }, &[v]) => (0..1i64 << bits).contains(&v).then_some(v as usize),
            (Table::Clamp { in_bits, out_bits }, &[t, y]) => {
                let half = 1i64 << (in_bits - 1);
                ((-half..half).contains(&t) && y == t.clamp(0, (1i64 << out_bits) - 1))
                    .then_some((t + half) as usize)
            }
            (Table::Sign { bits }, &[h, c]) => {
                let half = 1i64 << (bits - 1);
                ((-half..half).contains(&h) && c == h.signum()).then_some((h + half) as usize)
            }
            (Table::Saturate { bits }, &[c, l, y]) => {
                let block = SATURATE_BLOCKS.iter().position(|&b| b == c)?;
                ((0..1i64 << bits).contains(&l) && y == saturate(c, l, bits))
                    .then_some((block << bits) + l as usize)
            }
            (Table::Requant { in_bits, m, k }, &[u, y]) => {
                let half = 1i64 << (in_bits - 1);
                ((-half..half).contains(&u) && y == requant_y(u, m, k))
                    .then_some((u + half) as usize)
            }
            _ => None,
        }
    }

    /// Index of the all-zero row (the row padding entries look up). Cost: O(1).
    pub fn zero_index(&self) -> usize {
        match *self {
            Table::Range { .. } => 0,
            Table::Clamp { in_bits, .. } => 1 << (in_bits - 1),
            Table::Sign { bits } => 1 << (bits - 1),
            Table::Saturate { .. } => 0,
            Table::Requant { in_bits, .. } => 1 << (in_bits - 1),
        }
    }

    /// The folded rows `c₀ + γ·c₁ + γ²·c₂` for every row, in index order.
    /// Cost: `2^bits` field additions for range, clamp and requant tables (consecutive
    /// rows differ by `1 + γ·Δy`, and `y` changes at most 256 times), two
    /// multiplications per row for the others.
    pub fn folded_values(&self, gamma: F) -> Vec<F> {
        let n = 1usize << self.num_vars();
        if matches!(self, Table::Sign { .. } | Table::Saturate { .. }) {
            let gamma2 = gamma.square();
            return (0..n)
                .map(|i| {
                    let [a, b, c] = self.row(i);
                    from_i64(a) + gamma * from_i64(b) + gamma2 * from_i64(c)
                })
                .collect();
        }
        let mut out = Vec::with_capacity(n);
        let [t0, y0, _] = self.row(0);
        let mut v = from_i64(t0) + gamma * from_i64(y0);
        let one_gamma = F::ONE + gamma;
        let mut prev_y = y0;
        out.push(v);
        for i in 1..n {
            let [_, y, _] = self.row(i);
            v += match y - prev_y {
                0 => F::ONE,
                1 => one_gamma,
                d => F::ONE + gamma * from_i64(d),
            };
            prev_y = y;
            out.push(v);
        }
        out
    }

    /// The table's identity as absorbed into the transcript: a kind tag and every
    /// parameter (for requant tables, `m` and `k` too).
    fn code(&self) -> [u64; 4] {
        match *self {
            Table::Range { bits } => [1, bits as u64, 0, 0],
            Table::Clamp { in_bits, out_bits } => [2, in_bits as u64, out_bits as u64, 0],
            Table::Sign { bits } => [3, bits as u64, 0, 0],
            Table::Saturate { bits } => [4, bits as u64, 0, 0],
            Table::Requant { in_bits, m, k } => [5, in_bits as u64, m as u64, k as u64],
        }
    }

    /// Hyrax grid of this table's multiplicity vector: `(row_vars, col_vars)`.
    fn grid(&self) -> (usize, usize) {
        let b = self.num_vars();
        (b / 2, b - b / 2)
    }
}

/// The public shape of one lookup: its table and the length of its witness vector(s).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LookupShape {
    /// The verifier's table.
    pub table: Table,
    /// Number of looked-up rows (`≥ 1`); padded with all-zero rows to a power of two.
    pub len: usize,
}

/// One lookup as the prover holds it: a table and one column vector per table column.
#[derive(Clone, Debug)]
pub struct LookupInstance<'a> {
    /// The verifier's table.
    pub table: Table,
    /// `columns[c][i]` is column `c` of looked-up row `i`; all of length `len ≥ 1`.
    pub columns: Vec<&'a [i64]>,
}

impl<'a> LookupInstance<'a> {
    /// Every entry of `values` lies in `[0, 2^bits)`.
    pub fn range(bits: u32, values: &'a [i64]) -> Self {
        Self {
            table: Table::Range { bits },
            columns: vec![values],
        }
    }

    /// Every pair `(inputs[i], outputs[i])` is a row of the clamp table `table`.
    pub fn clamp(table: Table, inputs: &'a [i64], outputs: &'a [i64]) -> Self {
        Self {
            table,
            columns: vec![inputs, outputs],
        }
    }

    /// The public shape (table and length). Cost: O(1).
    pub fn shape(&self) -> LookupShape {
        LookupShape {
            table: self.table,
            len: self.columns.first().map_or(0, |c| c.len()),
        }
    }
}

/// What a lookup argument leaves to the caller for one instance: the multilinear
/// extension of each zero-padded column at `point`. The caller must check these
/// against the columns' commitments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupClaim {
    /// The point (MSB-first, `log2_ceil(len)` coordinates). Instances with equal
    /// padded length share it.
    pub point: Vec<F>,
    /// `col̃_c(point)` for each column `c`, columns zero-padded to `2^point.len()`.
    pub evals: Vec<F>,
}

/// The claims of all instances of one lookup argument, in instance order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupClaims {
    /// One claim per instance.
    pub instances: Vec<LookupClaim>,
}

/// One layer of the witness-side GKR: the batched sumcheck and, for every instance
/// still active, the four child values `p(0,r'), p(1,r'), q(0,r'), q(1,r')`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerProof {
    /// Degree-3 sumcheck over the layer's variables (`ℓ` rounds at layer `ℓ`).
    pub sumcheck: SumcheckProof,
    /// `[p₀, p₁, q₀, q₁]` at the sumcheck point, per active instance.
    pub children: Vec<[F; 4]>,
}

/// A batched LogUp proof. All sizes are implied by the shapes ([`proof_size`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogupProof {
    /// Hyrax commitment to each distinct table's multiplicities.
    pub multiplicity_commitments: Vec<HyraxCommitment>,
    /// Root `(p, q)` of each instance's fraction tree: `p/q = Σ_i 1/(β − w_i)`.
    pub roots: Vec<[F; 2]>,
    /// `S_k = Σ_t m_t/(β − T_k(t))` for each distinct table.
    pub table_sums: Vec<F>,
    /// Witness-side GKR layers `0 … max_vars − 1`.
    pub layers: Vec<LayerProof>,
    /// Each instance's column evaluations at its leaf point.
    pub column_evals: Vec<Vec<F>>,
    /// Table-side degree-2 sumchecks, one per distinct table.
    pub table_sumchecks: Vec<SumcheckProof>,
    /// Hyrax opening vector of each table's multiplicities at its sumcheck point.
    pub multiplicity_openings: Vec<Vec<F>>,
}

/// The public layout derived from the shapes (identical on both sides).
struct Layout {
    shapes: Vec<LookupShape>,
    /// Distinct tables in order of first appearance.
    tables: Vec<Table>,
    /// For each instance, the index of its table in `tables`.
    table_of: Vec<usize>,
    /// For each instance, `log2_ceil(len)`.
    vars: Vec<usize>,
    /// `max(vars)`.
    max_vars: usize,
}

impl Layout {
    fn new(shapes: &[LookupShape]) -> crate::Result<Self> {
        if shapes.is_empty() {
            return Err(Error::Invalid("no lookups".into()));
        }
        let mut tables: Vec<Table> = Vec::new();
        let mut table_of = Vec::with_capacity(shapes.len());
        let mut vars = Vec::with_capacity(shapes.len());
        for s in shapes {
            s.table.validate()?;
            if s.len == 0 || s.len > 1 << MAX_WITNESS_VARS {
                return Err(Error::Invalid(format!(
                    "lookup length {} outside 1..=2^{MAX_WITNESS_VARS}",
                    s.len
                )));
            }
            let k = match tables.iter().position(|t| *t == s.table) {
                Some(k) => k,
                None => {
                    tables.push(s.table);
                    tables.len() - 1
                }
            };
            table_of.push(k);
            vars.push(log2_ceil(s.len));
        }
        let max_vars = vars.iter().copied().max().unwrap_or(0);
        Ok(Self {
            shapes: shapes.to_vec(),
            tables,
            table_of,
            vars,
            max_vars,
        })
    }

    /// Instances still active at GKR layer `l` (trees deeper than `l`).
    fn active(&self, l: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.vars.len()).filter(move |&j| self.vars[j] > l)
    }

    fn absorb(&self, t: &mut Transcript) {
        t.append_bytes(b"logup-protocol", PROTOCOL);
        let mut bytes = Vec::with_capacity(40 * self.shapes.len());
        for s in &self.shapes {
            for c in s.table.code() {
                bytes.extend_from_slice(&c.to_le_bytes());
            }
            bytes.extend_from_slice(&(s.len as u64).to_le_bytes());
        }
        t.append_bytes(b"logup-shapes", &bytes);
    }
}

/// The exact encoded size in bytes of a proof for `shapes` (or an error for invalid
/// shapes). Cost: O(#instances · max log length).
pub fn proof_size(shapes: &[LookupShape]) -> crate::Result<usize> {
    let lay = Layout::new(shapes)?;
    let mut fields = 2 * shapes.len() + lay.tables.len();
    let mut points = 0;
    for l in 0..lay.max_vars {
        fields += 3 * l + 4 * lay.active(l).count();
    }
    fields += shapes.iter().map(|s| s.table.columns()).sum::<usize>();
    for t in &lay.tables {
        let (rv, cv) = t.grid();
        points += 1 << rv;
        fields += 2 * t.num_vars() + (1 << cv);
    }
    Ok(fields * FIELD_BYTES + points * POINT_BYTES)
}

/// A cheating prover for other modules' soundness tests: proves `lookups` (which may
/// hold rows outside their tables) with the multiplicities of `counted` (a repaired
/// copy), so the only thing wrong is the witness itself.
#[cfg(test)]
pub(crate) fn prove_with_counts_of(
    lookups: &[LookupInstance],
    counted: &[LookupInstance],
    key: &HyraxKey,
    transcript: &mut Transcript,
) -> crate::Result<(LogupProof, LookupClaims)> {
    let lay = check_instances(lookups)?;
    let counts = multiplicities_for(&lay, counted)?;
    let indices = leaf_indices(&lay, lookups);
    prove_inner(&lay, lookups, indices, counts, key, transcript, Cheat::None)
}

/// Options for the test-only cheating provers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cheat {
    None,
    /// Send the witness-side sum as the table sum (so the identity holds) and run the
    /// table sumcheck on the true polynomials.
    TableSumFromWitness,
}

/// Proves that every row of every instance lies in its table, batched.
///
/// The caller must have absorbed commitments to the columns into `transcript` before
/// this call, and must check the returned claims against those commitments.
/// Returns `Error::Invalid` if a row is not in its table (no proof exists), if shapes
/// are inconsistent, if `key` has fewer than `2^ceil(b/2)` generators for a `2^b`
/// table, or (probability `≈ 2^-238`) if `β` hits a table value.
///
/// Cost: O(Σ_j N_j) field operations for the witness side (about 11 multiplications
/// per padded entry, plus one per entry for the eq table of each distinct leaf
/// point; leaves are table lookups, no per-entry conversions), O(|T|) for each
/// distinct table (a batch inversion and a degree-2 sumcheck that binds `g` densely
/// and skips pairs where `m` is zero: about 4 multiplications per row), plus a sparse
/// Hyrax commitment of the multiplicities (one mixed point addition per set bit of
/// each nonzero count).
pub fn prove(
    lookups: &[LookupInstance],
    key: &HyraxKey,
    transcript: &mut Transcript,
) -> crate::Result<(LogupProof, LookupClaims)> {
    let lay = check_instances(lookups)?;
    let indices = leaf_indices(&lay, lookups);
    let counts = counts_from_indices(&lay, lookups, &indices)?;
    prove_inner(&lay, lookups, indices, counts, key, transcript, Cheat::None)
}

/// Checks that every instance has one column per table column, all of its length.
fn check_instances(lookups: &[LookupInstance]) -> crate::Result<Layout> {
    for (j, l) in lookups.iter().enumerate() {
        let n = l.shape().len;
        if l.columns.len() != l.table.columns() || l.columns.iter().any(|c| c.len() != n) {
            return Err(Error::Invalid(format!(
                "lookup {j}: expected {} columns of equal length",
                l.table.columns()
            )));
        }
    }
    let shapes: Vec<LookupShape> = lookups.iter().map(|l| l.shape()).collect();
    Layout::new(&shapes)
}

/// For each instance, the table index of every row of its zero-padded witness
/// (`2^k_j` entries; padding rows look up the zero row), or `Err(i)` naming the first
/// row `i` that is not in the table. Cost: O(Σ 2^k_j) integer work, instances in
/// parallel.
fn leaf_indices(lay: &Layout, lookups: &[LookupInstance]) -> Vec<Result<Vec<u32>, usize>> {
    lookups
        .par_iter()
        .enumerate()
        .map(|(j, l)| {
            let n = l.shape().len;
            let mut idx = vec![l.table.zero_index() as u32; 1 << lay.vars[j]];
            let out = &mut idx[..n];
            // The common tables get a loop of their own (no per-row dispatch).
            match (l.table, &l.columns[..]) {
                (Table::Range { bits }, &[v]) => {
                    let size = 1u64 << bits;
                    for (i, (x, &v)) in out.iter_mut().zip(v).enumerate() {
                        if (v as u64) >= size {
                            return Err(i);
                        }
                        *x = v as u32;
                    }
                }
                (Table::Clamp { in_bits, out_bits }, &[q, y]) => {
                    let half = 1i64 << (in_bits - 1);
                    let top = (1i64 << out_bits) - 1;
                    for (i, ((x, &q), &y)) in out.iter_mut().zip(q).zip(y).enumerate() {
                        if !(-half..half).contains(&q) || y != q.clamp(0, top) {
                            return Err(i);
                        }
                        *x = (q + half) as u32;
                    }
                }
                (Table::Sign { bits }, &[h, c]) => {
                    let half = 1i64 << (bits - 1);
                    for (i, ((x, &h), &c)) in out.iter_mut().zip(h).zip(c).enumerate() {
                        if !(-half..half).contains(&h) || c != h.signum() {
                            return Err(i);
                        }
                        *x = (h + half) as u32;
                    }
                }
                (Table::Requant { in_bits, m, k }, &[u, y]) => {
                    let half = 1i64 << (in_bits - 1);
                    for (i, ((x, &u), &y)) in out.iter_mut().zip(u).zip(y).enumerate() {
                        if !(-half..half).contains(&u) || y != requant_y(u, m, k) {
                            return Err(i);
                        }
                        *x = (u + half) as u32;
                    }
                }
                (t, cols) => {
                    let mut row = [0i64; 3];
                    for (i, x) in out.iter_mut().enumerate() {
                        for (col, r) in cols.iter().zip(row.iter_mut()) {
                            *r = col[i];
                        }
                        *x = t.index_of(&row[..cols.len()]).ok_or(i)? as u32;
                    }
                }
            }
            Ok(idx)
        })
        .collect()
}

/// The multiplicities of each distinct table (padding counted on the zero row) from
/// the instances' leaf indices, or `Error::Invalid` naming the first row not in its
/// table. Cost: O(Σ 2^k_j + Σ |T_k|).
fn counts_from_indices(
    lay: &Layout,
    lookups: &[LookupInstance],
    indices: &[Result<Vec<u32>, usize>],
) -> crate::Result<Vec<Vec<u64>>> {
    let mut counts: Vec<Vec<u64>> = lay
        .tables
        .iter()
        .map(|t| vec![0u64; 1 << t.num_vars()])
        .collect();
    for (j, (l, idx)) in lookups.iter().zip(indices).enumerate() {
        let idx = idx.as_ref().map_err(|&i| {
            let row: Vec<i64> = l.columns.iter().map(|c| c[i]).collect();
            Error::Invalid(format!(
                "lookup {j}: row {i} = {row:?} is not in table {:?}",
                l.table
            ))
        })?;
        let c = &mut counts[lay.table_of[j]];
        for &t in idx {
            c[t as usize] += 1;
        }
    }
    Ok(counts)
}

/// The multiplicities of each distinct table (padding counted on the zero row), or
/// `Error::Invalid` naming the first row not in its table. Cost: O(Σ N_j + Σ |T_k|).
#[cfg(test)]
fn multiplicities_for(lay: &Layout, lookups: &[LookupInstance]) -> crate::Result<Vec<Vec<u64>>> {
    counts_from_indices(lay, lookups, &leaf_indices(lay, lookups))
}

/// Multiplicity vectors counting at least this many lookups are committed by
/// [`crate::hyrax::commit_ints`] (cached multiples, batch-affine sums); fewer, bit-serially.
/// Measured on 784-256-256-10 (`ternzk prove --reps`): a batch of 256 (65 536 lookups
/// into 2^15 rows) 4.5 → 2.6 ms; a single input (256 lookups) 0.37 → 0.55 ms.
const COUNTS_BY_TABLE_PATH: u64 = 1 << 13;

/// Hyrax commitment to a vector of small counts. Many lookups: by
/// [`crate::hyrax::commit_ints`]. Few: touching only nonzero entries, each row
/// `Σ_g m_g·G_g` computed bit-serially, `acc ← 2·acc + Σ_{g: bit b of m_g} G_g` from
/// the top bit down. Cost per row of the latter: one mixed addition per set bit of the
/// counts plus one doubling per bit of the row's largest count (instead of a scalar
/// multiplication per count); one normalization of `2^row_vars` points.
fn commit_counts(
    key: &HyraxKey,
    counts: &[u64],
    row_vars: usize,
    col_vars: usize,
) -> crate::Result<HyraxCommitment> {
    if counts.iter().sum::<u64>() >= COUNTS_BY_TABLE_PATH {
        let ints: Vec<i64> = counts.iter().map(|&c| c as i64).collect();
        return crate::hyrax::commit_ints(key, &ints, row_vars, col_vars);
    }
    let gens = key.gens_for(col_vars)?;
    debug_assert_eq!(counts.len(), 1 << (row_vars + col_vars));
    let rows: Vec<G> = counts
        .par_chunks(1 << col_vars)
        .map(|row| {
            let top = row.iter().copied().max().unwrap_or(0);
            let mut acc = G::zero();
            for b in (0..u64::BITS - top.leading_zeros()).rev() {
                acc.double_in_place();
                for (g, &m) in gens.iter().zip(row) {
                    if (m >> b) & 1 == 1 {
                        acc += *g;
                    }
                }
            }
            acc
        })
        .collect();
    Ok(HyraxCommitment {
        row_vars,
        col_vars,
        rows: G::normalize_batch(&rows),
    })
}

/// Hyrax opening vector `Σ_g eq(p_row, g)·counts[g, ·]`. Cost: one multiplication
/// per nonzero count plus `2^row_vars` for the eq table.
fn open_counts(counts: &[u64], col_vars: usize, p_row: &[F]) -> Vec<F> {
    let l = eq_table(p_row);
    let mut t = vec![F::ZERO; 1 << col_vars];
    for (row, e) in counts.chunks(1 << col_vars).zip(&l) {
        for (tc, &m) in t.iter_mut().zip(row) {
            if m != 0 {
                *tc += *e * F::from(m);
            }
        }
    }
    t
}

/// `1/(β − v)` for every folded table value, or `None` if `β` equals one of them.
/// Cost: `|T|` subtractions and one (parallel) batch inversion (≈ 3 multiplications each).
fn inverse_differences(values: &[F], beta: F) -> Option<Vec<F>> {
    let mut d: Vec<F> = values.par_iter().map(|v| beta - v).collect();
    if d.par_iter().any(|x| x.is_zero()) {
        return None;
    }
    // Table sizes are powers of two ≥ 8, as the lanes need.
    #[cfg(target_arch = "x86_64")]
    if let Some(simd) = wide::enabled().filter(|_| d.len() >= 1 << WIDE_MIN_VARS) {
        if crate::ifma::batch_invert(simd, &mut d) {
            return Some(d);
        }
    }
    ark_ff::batch_inversion(&mut d);
    Some(d)
}

/// The verifier's own evaluation of `g̃(r) = Σ_t eq(r, t)/(β − T(t))`, or a rejection
/// if `β` equals a table value. The table is cut into blocks of `2^⌊b/2⌋` rows; each
/// block's `Σ_lo eq(r_lo, lo)/(β − T(hi, lo))` is accumulated as one projective
/// fraction, and the `2^⌈b/2⌉` block fractions are combined with `eq(r_hi, ·)`.
/// Cost: about 3 multiplications per table row (no `2^b` eq table), split over threads.
fn table_g_eval(table: &Table, gamma: F, beta: F, r: &[F]) -> crate::Result<F> {
    let b = table.num_vars();
    debug_assert_eq!(r.len(), b);
    let lo_bits = b / 2;
    let e_hi = eq_table(&r[..b - lo_bits]);
    let e_lo = eq_table(&r[b - lo_bits..]);
    let values = table.folded_values(gamma);
    let mut blocks: Vec<(F, F)> = values
        .par_chunks(1 << lo_bits)
        .map(|vals| {
            let (mut num, mut den) = (F::ZERO, F::ONE);
            for (v, e) in vals.iter().zip(&e_lo) {
                let d = beta - v;
                num = num * d + *e * den;
                den *= d;
            }
            (num, den)
        })
        .collect();
    if blocks.iter().any(|(_, d)| d.is_zero()) {
        return Err(Error::Rejected("β equals a table value".into()));
    }
    let mut dens: Vec<F> = blocks.iter().map(|(_, d)| *d).collect();
    ark_ff::batch_inversion(&mut dens);
    for ((n, _), d) in blocks.iter_mut().zip(&dens) {
        *n *= d;
    }
    Ok(blocks.iter().zip(&e_hi).map(|((n, _), e)| *n * e).sum())
}

/// The multiplicities as field elements (zero stays zero, without a conversion).
fn counts_as_fields(counts: &[u64]) -> Vec<F> {
    counts
        .iter()
        .map(|&c| if c == 0 { F::ZERO } else { F::from(c) })
        .collect()
}

/// Proves `Σ_t m_t·g_t` (the claim is already in the transcript) by a degree-2
/// sumcheck in the format of [`crate::sumcheck::prove`] (messages `p(0), p(2)`, first
/// variable = most significant bit). Pairs where `m` is zero on both sides are skipped
/// (multiplicities are sparse while `N ≪ |T|`); `g` is bound densely.
/// Cost: `|T|` multiplications to bind `g`, about 4 per pair with nonzero `m`.
fn prove_table_sumcheck(
    mut m: Vec<F>,
    mut g: Vec<F>,
    transcript: &mut Transcript,
) -> (SumcheckProof, Vec<F>) {
    let b = m.len().trailing_zeros() as usize;
    let mut rounds = Vec::with_capacity(b);
    let mut point = Vec::with_capacity(b);
    if let Some(simd) = wide::enabled().filter(|_| b >= WIDE_MIN_VARS) {
        (m, g) = wide::table_rounds(simd, &m, &g, transcript, &mut rounds, &mut point);
    }
    for _ in point.len()..b {
        let h = m.len() / 2;
        let sums = |lo: usize, hi: usize| {
            let (mut s0, mut s2) = (F::ZERO, F::ZERO);
            for i in lo..hi {
                let (m0, m1) = (m[i], m[i + h]);
                if m0.is_zero() && m1.is_zero() {
                    continue;
                }
                let (g0, g1) = (g[i], g[i + h]);
                s0 += m0 * g0;
                s2 += (m1.double() - m0) * (g1.double() - g0);
            }
            (s0, s2)
        };
        const CHUNK: usize = 1 << 12;
        let (s0, s2) = if h >= PAR_THRESHOLD {
            (0..h.div_ceil(CHUNK))
                .into_par_iter()
                .map(|c| sums(c * CHUNK, ((c + 1) * CHUNK).min(h)))
                .reduce(|| (F::ZERO, F::ZERO), |x, y| (x.0 + y.0, x.1 + y.1))
        } else {
            sums(0, h)
        };
        let msg = vec![s0, s2];
        transcript.append_fields(b"sumcheck-round", &msg);
        let r = transcript.challenge(b"sumcheck-challenge");
        bind_first(&mut g, r);
        let (lo, hi) = m.split_at_mut(h);
        let bind = |(a, b): (&mut F, &F)| {
            if !(a.is_zero() && b.is_zero()) {
                *a += r * (*b - *a);
            }
        };
        if h >= PAR_THRESHOLD {
            lo.par_iter_mut().zip(hi.par_iter()).for_each(bind);
        } else {
            lo.iter_mut().zip(hi.iter()).for_each(bind);
        }
        m.truncate(h);
        rounds.push(msg);
        point.push(r);
    }
    (SumcheckProof { rounds }, point)
}

/// `Σ_c γ^c·col_c` for evaluations (or values) of the columns.
fn fold_columns(cols: &[F], gamma: F) -> F {
    cols.iter().rev().fold(F::ZERO, |acc, c| acc * gamma + c)
}

/// Pairs per parallel task in the witness-side passes.
const PASS_CHUNK: usize = 1 << 11;
/// A pass over fewer pairs than this (summed over instances) runs on one thread.
const PASS_PAR_THRESHOLD: usize = 1 << 10;

/// The leaves of one instance's fraction tree: leaf `i` is `(1, d[idx[i]])`, where `d`
/// is `β − T(t)` for the instance's table (or, for a witness with rows outside its
/// table, which only the test-only cheating prover proves, the leaves themselves with
/// `idx` the identity).
struct Leaves<'a> {
    idx: Vec<u32>,
    d: &'a [F],
}

impl Leaves<'_> {
    #[inline(always)]
    fn get(&self, i: usize) -> F {
        self.d[self.idx[i] as usize]
    }
}

/// Runs `f(lo, hi, out_lo, out_hi)` over the pair range `0..h` in chunks of `chunk`
/// (in parallel if `par`), where `out_lo`, `out_hi` are the matching chunks of
/// `dst[..h]` and `dst[h..2h]` (absent without `dst`), and adds the results.
fn chunked<T: Send, R>(h: usize, dst: Option<&mut [T]>, par: bool, chunk: usize, f: R) -> [F; 3]
where
    R: Fn(usize, usize, Option<&mut [T]>, Option<&mut [T]>) -> [F; 3] + Sync,
{
    let add = |x: [F; 3], y: [F; 3]| [x[0] + y[0], x[1] + y[1], x[2] + y[2]];
    let par = par && h > chunk;
    match dst {
        Some(dst) => {
            let (lo, hi) = dst.split_at_mut(h);
            if par {
                lo.par_chunks_mut(chunk)
                    .zip(hi[..h].par_chunks_mut(chunk))
                    .enumerate()
                    .map(|(c, (a, b))| {
                        let y0 = c * chunk;
                        f(y0, y0 + a.len(), Some(a), Some(b))
                    })
                    .reduce(|| [F::ZERO; 3], add)
            } else {
                f(0, h, Some(lo), Some(&mut hi[..h]))
            }
        }
        None => {
            if par {
                (0..h.div_ceil(chunk))
                    .into_par_iter()
                    .map(|c| f(c * chunk, ((c + 1) * chunk).min(h), None, None))
                    .reduce(|| [F::ZERO; 3], add)
            } else {
                f(0, h, None, None)
            }
        }
    }
}

/// `[1, 2]`-weighted extrapolation of a pair of bound values to `t = 2`.
#[inline(always)]
fn at_two<const N: usize>(v0: &[F; N], v1: &[F; N]) -> [F; N] {
    let mut out = *v1;
    for (o, a) in out.iter_mut().zip(v0) {
        o.double_in_place();
        *o -= a;
    }
    out
}

/// The layer summand at one point for an inner layer, `v = [A, B, C, D]`:
/// `A·D + C·(B + λ·D)`; for the leaf layer, `v = [C, D]` (`A = B = 1`): `C + D + λ·C·D`.
#[inline(always)]
fn summand<const N: usize>(v: &[F; N], lambda: F) -> F {
    if N == 4 {
        v[0] * v[3] + v[2] * (v[1] + lambda * v[3])
    } else {
        v[0] + v[1] + lambda * (v[0] * v[1])
    }
}

/// One pass of a layer sumcheck over one instance's tables (`N = 4`: `A, B, C, D`;
/// `N = 2`: the leaf layer's `C, D`). `get(y)` reads the tables before binding, of
/// logical length `m`; with `bind = Some(r)` the previous round's challenge is bound
/// first (`X'(y) = X(y) + r·(X(y + m/2) − X(y))`, length `m/2`), and the bound tables
/// are written to `dst`. Then, over the pairs `(y, y + h)` of the bound tables
/// (`h = e.len()`), returns `Σ_y e[y]·F(t, y)` at `t = 0, 1, 2` (`t = 1` only if
/// `want_t1`, else zero). At a layer's first round `t0` holds the layer's own tree
/// values `(p, q)`, which give `F(0, y) = p + λ·q` directly.
/// Cost per pair: `2N` multiplications to bind, 2 or 1 (with `t0`) at `t = 0`, and
/// 4 (`N = 4`) or 3 (`N = 2`) at each other point.
#[allow(clippy::too_many_arguments)]
fn layer_pass<const N: usize, G>(
    get: G,
    bind: Option<F>,
    dst: Option<&mut [[F; N]]>,
    e: &[F],
    t0: Option<&[[F; 2]]>,
    lambda: F,
    want_t1: bool,
    par: bool,
) -> [F; 3]
where
    G: Fn(usize) -> [F; N] + Sync,
{
    let h = e.len();
    let m = 2 * h; // bound length
    let bound = |y: usize| -> [F; N] {
        match bind {
            None => get(y),
            Some(r) => {
                let (mut a, b) = (get(y), get(y + m));
                for (x, z) in a.iter_mut().zip(&b) {
                    *x += r * (*z - *x);
                }
                a
            }
        }
    };
    chunked(h, dst, par, PASS_CHUNK, |lo, hi, mut out_lo, mut out_hi| {
        let mut s = [F::ZERO; 3];
        for y in lo..hi {
            let v0 = bound(y);
            let v1 = bound(y + h);
            if let (Some(a), Some(b)) = (out_lo.as_deref_mut(), out_hi.as_deref_mut()) {
                a[y - lo] = v0;
                b[y - lo] = v1;
            }
            let ey = e[y];
            s[0] += ey
                * match t0 {
                    Some(t) => t[y][0] + lambda * t[y][1],
                    None => summand(&v0, lambda),
                };
            if want_t1 {
                s[1] += ey * summand(&v1, lambda);
            }
            s[2] += ey * summand(&at_two(&v0, &v1), lambda);
        }
        s
    })
}

/// The witness-side fraction tree of one instance with `k ≥ 1` variables:
/// `levels[l]` holds the `2^l` nodes `(p, q)` of layer `l < k`; the leaves stay in
/// [`Leaves`]. Node `x` of layer `l` has children `x` and `x + 2^l` in layer `l + 1`.
/// Cost: 1 multiplication per node of layer `k − 1`, 3 per node above.
fn build_tree(leaves: &Leaves, k: usize) -> Vec<Vec<[F; 2]>> {
    let mut levels: Vec<Vec<[F; 2]>> = vec![Vec::new(); k];
    let h = 1usize << (k - 1);
    levels[k - 1] = build_level(h, |i| {
        let (c, d) = (leaves.get(i), leaves.get(i + h));
        [c + d, c * d]
    });
    complete_tree(&mut levels, k - 1);
    levels
}

/// Fills `levels[..from]` from `levels[from]` (3 multiplications per node).
fn complete_tree(levels: &mut [Vec<[F; 2]>], from: usize) {
    for l in (0..from).rev() {
        let h = 1usize << l;
        let src = &levels[l + 1];
        levels[l] = build_level(h, |i| {
            let ([a, c], [b, d]) = (src[i], src[i + h]);
            [a * d + b * c, c * d]
        });
    }
}

/// The `h` nodes `node(i)` of a tree level, in parallel for large levels.
fn build_level(h: usize, node: impl Fn(usize) -> [F; 2] + Sync + Send) -> Vec<[F; 2]> {
    if h >= 2 * PASS_CHUNK {
        (0..h)
            .into_par_iter()
            .with_min_len(PASS_CHUNK)
            .map(node)
            .collect()
    } else {
        (0..h).map(node).collect()
    }
}

/// Instances (and tables) with at least this many variables run their large passes in
/// lanes (`wide`) when the CPU allows; smaller ones have too few rounds of eight or more
/// pairs to gain, and copying their table into gatherable rows would cost more.
const WIDE_MIN_VARS: usize = 10;

/// One instance's fraction tree: scalar levels (`levels[l]`, empty where only the
/// lanes form is needed: `l > WIDE_LEVEL + 1`) and, for wide instances, the levels
/// `l ≥ WIDE_LEVEL` in lanes (`wide[l − WIDE_LEVEL]`).
struct Tree {
    levels: Vec<Vec<[F; 2]>>,
    wide: Vec<wide::Level>,
}

impl Tree {
    /// Builds the tree of `leaves` (`k` variables), in lanes if `wl` is given.
    fn new(leaves: &Leaves, wl: Option<&wide::WideLeaves>, k: usize) -> Tree {
        match (k, wl) {
            (0, _) => Tree {
                levels: vec![vec![[F::ONE, leaves.get(0)]]],
                wide: Vec::new(),
            },
            (k, Some(wl)) => {
                let wide = wide::build_levels(wl, k);
                let mut levels: Vec<Vec<[F; 2]>> = vec![Vec::new(); k];
                // The scalar rounds of wide layers read levels up to WIDE_LEVEL + 1.
                for l in wide::WIDE_LEVEL..k.min(wide::WIDE_LEVEL + 2) {
                    levels[l] = wide::to_scalar(&wide[l - wide::WIDE_LEVEL]);
                }
                complete_tree(&mut levels, wide::WIDE_LEVEL);
                Tree { levels, wide }
            }
            (k, None) => Tree {
                levels: build_tree(leaves, k),
                wide: Vec::new(),
            },
        }
    }

    /// Level `l` in lanes, if this tree has it.
    fn wide_level(&self, l: usize) -> Option<&wide::Level> {
        l.checked_sub(wide::WIDE_LEVEL)
            .and_then(|i| self.wide.get(i))
    }
}

/// One active instance's state during a GKR layer: where its tables come from before
/// the first binding, two scratch buffers for the bound tables, and, for wide
/// instances, the lanes state that runs the rounds with at least eight pairs.
enum LayerTables<'a> {
    /// Inner layer `l`: `A, B, C, D` are the halves of the tree's layer `l + 1`.
    Inner {
        children: &'a [[F; 2]],
        bufs: [Vec<[F; 4]>; 2],
        wide: Option<wide::WideInner<'a>>,
    },
    /// Leaf layer: `C, D` are the halves of the leaves (`A = B = 1`).
    Leaf {
        leaves: &'a Leaves<'a>,
        bufs: [Vec<[F; 2]>; 2],
        wide: Option<wide::WideLeaf<'a>>,
    },
}

impl LayerTables<'_> {
    /// Round `i` of the layer (`i ≥ 1` binds `r_prev` first). Round 1 reads the tree
    /// and writes `bufs[1]`; later rounds read `bufs[0]` and write `bufs[1]`; the
    /// buffers are swapped afterwards so `bufs[0]` holds the current tables. A wide
    /// instance runs the round in lanes while it has at least eight pairs, and hands
    /// its bound tables to the scalar buffers for the last rounds.
    #[allow(clippy::too_many_arguments)]
    fn round(
        &mut self,
        i: usize,
        r_prev: F,
        e: &[F],
        t0: &[[F; 2]],
        lambda: F,
        want_t1: bool,
        par: bool,
    ) -> [F; 3] {
        match self {
            LayerTables::Inner {
                children,
                bufs,
                wide,
            } => {
                if let Some(w) = wide {
                    if let Some(s) = w.round(i, r_prev, e, lambda, want_t1, par) {
                        return s;
                    }
                    if let Some(cur) = w.take_current() {
                        bufs[0] = cur;
                    }
                }
                let half = children.len() / 2;
                let tree = |y: usize| {
                    let ([a, c], [b, d]) = (children[y], children[y + half]);
                    [a, b, c, d]
                };
                round_on(tree, bufs, i, r_prev, e, t0, lambda, want_t1, par)
            }
            LayerTables::Leaf { leaves, bufs, wide } => {
                if let Some(w) = wide {
                    if let Some(s) = w.round(i, r_prev, e, lambda, want_t1, par) {
                        return s;
                    }
                    if let Some(cur) = w.take_current() {
                        bufs[0] = cur;
                    }
                }
                let half = leaves.idx.len() / 2;
                let tree = |y: usize| [leaves.get(y), leaves.get(y + half)];
                round_on(tree, bufs, i, r_prev, e, t0, lambda, want_t1, par)
            }
        }
    }

    /// The children `[A, B, C, D]` after the layer's `rounds` rounds, binding the last
    /// challenge `r_last` (unused when `rounds = 0`).
    fn children(&self, rounds: usize, r_last: F) -> [F; 4] {
        let lerp = |a: F, b: F| a + r_last * (b - a);
        match self {
            LayerTables::Inner { children, bufs, .. } => match rounds {
                0 => [
                    children[0][0],
                    children[1][0],
                    children[0][1],
                    children[1][1],
                ],
                1 => {
                    let ([a0, c0], [b0, d0]) = (children[0], children[2]);
                    let ([a1, c1], [b1, d1]) = (children[1], children[3]);
                    [lerp(a0, a1), lerp(b0, b1), lerp(c0, c1), lerp(d0, d1)]
                }
                _ => std::array::from_fn(|i| lerp(bufs[0][0][i], bufs[0][1][i])),
            },
            LayerTables::Leaf { leaves, bufs, .. } => {
                let [c, d] = match rounds {
                    0 => [leaves.get(0), leaves.get(1)],
                    1 => [
                        lerp(leaves.get(0), leaves.get(1)),
                        lerp(leaves.get(2), leaves.get(3)),
                    ],
                    _ => std::array::from_fn(|i| lerp(bufs[0][0][i], bufs[0][1][i])),
                };
                [F::ONE, F::ONE, c, d]
            }
        }
    }
}

/// One round of [`LayerTables::round`] for a layer whose round-0 tables are read from
/// the tree by `tree` (`N = 4` inner, `N = 2` leaf): round 0 sums from the tree, round 1
/// binds the tree into `bufs[1]`, later rounds bind `bufs[0]` into `bufs[1]`; the
/// buffers are then swapped.
#[allow(clippy::too_many_arguments)]
fn round_on<const N: usize, T>(
    tree: T,
    bufs: &mut [Vec<[F; N]>; 2],
    i: usize,
    r_prev: F,
    e: &[F],
    t0: &[[F; 2]],
    lambda: F,
    want_t1: bool,
    par: bool,
) -> [F; 3]
where
    T: Fn(usize) -> [F; N] + Sync,
{
    let h = e.len();
    if i == 0 {
        return layer_pass(tree, None, None, e, Some(&t0[..h]), lambda, want_t1, par);
    }
    let [cur, next] = bufs;
    let out = Some(&mut next[..2 * h]);
    let s = if i == 1 {
        layer_pass(tree, Some(r_prev), out, e, None, lambda, want_t1, par)
    } else {
        let cur = &cur[..];
        layer_pass(|y| cur[y], Some(r_prev), out, e, None, lambda, want_t1, par)
    };
    bufs.swap(0, 1);
    s
}

/// Proves one GKR layer step `l → l + 1` for the active instances (`tabs`, with `t0s`
/// their tree layer `l`); returns the layer proof and the new point. `claims[j]` are
/// the `(p, q)` claims at `point` of active instance `j` and are replaced by the
/// claims at the new point.
///
/// Round `i` sends `scale·eq₁(t)·h(t)` at `t = 0, 2, 3`, where `h(t) = Σ_y e[y]·F(t, y)`
/// (degree 2) and `scale·eq₁` is the eq factor of the variables fixed so far. `h(1)`
/// is not summed: it follows from the previous round, `(1 − r_i)·h(0) + r_i·h(1) =
/// h_prev(r_prev)` (the layer claim at round 0), unless `r_i = 0`.
fn prove_layer(
    tabs: &mut [LayerTables],
    t0s: &[&[[F; 2]]],
    l: usize,
    point: &[F],
    claims: &mut [[F; 2]],
    transcript: &mut Transcript,
) -> (LayerProof, Vec<F>) {
    let lambda = transcript.challenge(b"logup-layer-lambda");
    // Weights: instance j's summand is scaled by λ^(2j) (its q part by λ^(2j+1)).
    let mut weights = Vec::with_capacity(tabs.len());
    let mut w = F::ONE;
    let lambda2 = lambda.square();
    let mut claim = F::ZERO;
    for c in claims.iter() {
        weights.push(w);
        claim += w * (c[0] + lambda * c[1]);
        w *= lambda2;
    }
    debug_assert_eq!(point.len(), l);
    let mut rounds = Vec::with_capacity(l);
    let mut rs = Vec::with_capacity(l);
    // e = eq(point[i+1..], ·); the next one is obtained by summing its halves.
    let mut e = if l > 0 {
        eq_table(&point[1..])
    } else {
        Vec::new()
    };
    let mut inv = point.to_vec();
    ark_ff::batch_inversion(&mut inv);
    let mut scale = F::ONE; // Π_{u<i} eq(point[u], r_u)
    let mut prev = claim; // h_prev(r_prev), the claim without the eq factors
    let mut r_prev = F::ZERO;
    let (two, three) = (F::from(2u64), F::from(3u64));
    for (i, &ri) in point.iter().enumerate() {
        let want_t1 = ri.is_zero() || cfg!(debug_assertions);
        let par = e.len() * tabs.len() >= PASS_PAR_THRESHOLD;
        let e_ref = &e;
        let run = |(t, t0): (&mut LayerTables, &&[[F; 2]])| {
            t.round(i, r_prev, e_ref, t0, lambda, want_t1, par)
        };
        let sums: Vec<[F; 3]> = if par {
            tabs.par_iter_mut().zip(t0s.par_iter()).map(run).collect()
        } else {
            tabs.iter_mut().zip(t0s.iter()).map(run).collect()
        };
        let mut h = [F::ZERO; 3];
        for (w, s) in weights.iter().zip(&sums) {
            for (x, y) in h.iter_mut().zip(s) {
                *x += *w * y;
            }
        }
        let derived = (prev - (F::ONE - ri) * h[0]) * inv[i];
        if ri.is_zero() {
            debug_assert_eq!((F::ONE - ri) * h[0] + ri * h[1], prev);
        } else {
            debug_assert_eq!(derived, h[1]);
            h[1] = derived;
        }
        let h3 = h[0] - (h[1] - h[2]).double() - (h[1] - h[2]);
        let eq1 = |t: F| (F::ONE - ri) + t * (ri.double() - F::ONE);
        let msg = vec![
            scale * eq1(F::ZERO) * h[0],
            scale * eq1(two) * h[2],
            scale * eq1(three) * h3,
        ];
        transcript.append_fields(b"sumcheck-round", &msg);
        let r = transcript.challenge(b"sumcheck-challenge");
        prev = crate::field::interpolate_at(&h, r);
        scale *= eq1(r);
        let half = e.len() / 2;
        if half > 0 {
            let (lo, hi) = e.split_at_mut(half);
            for (x, y) in lo.iter_mut().zip(hi.iter()) {
                *x += y;
            }
            e.truncate(half);
        }
        rounds.push(msg);
        rs.push(r);
        r_prev = r;
    }
    let children: Vec<[F; 4]> = tabs.iter().map(|t| t.children(l, r_prev)).collect();
    let flat: Vec<F> = children.iter().flatten().copied().collect();
    transcript.append_fields(b"logup-layer-children", &flat);
    let mu = transcript.challenge(b"logup-layer-mu");
    for (c, ch) in claims.iter_mut().zip(&children) {
        *c = [ch[0] + mu * (ch[1] - ch[0]), ch[2] + mu * (ch[3] - ch[2])];
    }
    let mut new_point = Vec::with_capacity(l + 1);
    new_point.push(mu);
    new_point.extend_from_slice(&rs);
    (
        LayerProof {
            sumcheck: SumcheckProof { rounds },
            children,
        },
        new_point,
    )
}

/// `Σ_i v_i·eq[i]` for small integers `v`. Cost: one multiplication per nonzero entry.
fn ints_dot(values: &[i64], eq: &[F]) -> F {
    values
        .iter()
        .zip(eq)
        .filter(|(v, _)| **v != 0)
        .fold(F::ZERO, |acc, (&v, e)| acc + from_i64(v) * e)
}

/// The column evaluations `Σ_i eq[i]·col_c[i]` of one instance. With table indices and
/// at least as many rows as the table, `eq` is first summed per table row (one
/// addition per row) and each column is then `Σ_t bucket[t]·T_c(t)`; otherwise
/// [`ints_dot`] per column.
fn column_evals(l: &LookupInstance, idx: Option<&[u32]>, eq: &[F]) -> Vec<F> {
    let size = 1usize << l.table.num_vars();
    match idx {
        Some(idx) if idx.len() >= size => {
            let mut buckets = vec![F::ZERO; size];
            for (&t, e) in idx.iter().zip(eq) {
                buckets[t as usize] += e;
            }
            let mut evals = vec![F::ZERO; l.columns.len()];
            for (t, b) in buckets.iter().enumerate() {
                if b.is_zero() {
                    continue;
                }
                for (v, &x) in evals.iter_mut().zip(&l.table.row(t)) {
                    if x != 0 {
                        *v += *b * from_i64(x);
                    }
                }
            }
            evals
        }
        _ => l.columns.iter().map(|c| ints_dot(c, eq)).collect(),
    }
}

/// The leaves `β − fold(row)` of a witness (padding rows: `β`), computed from the
/// columns. Cost: 2 or 3 multiplications per row.
fn dense_leaves(l: &LookupInstance, n: usize, gamma: F, beta: F) -> Vec<F> {
    let mut leaves = vec![beta; n];
    for (i, x) in leaves.iter_mut().take(l.shape().len).enumerate() {
        let row: Vec<F> = l.columns.iter().map(|c| from_i64(c[i])).collect();
        *x = beta - fold_columns(&row, gamma);
    }
    leaves
}

fn prove_inner(
    lay: &Layout,
    lookups: &[LookupInstance],
    indices: Vec<Result<Vec<u32>, usize>>,
    counts: Vec<Vec<u64>>,
    key: &HyraxKey,
    transcript: &mut Transcript,
    cheat: Cheat,
) -> crate::Result<(LogupProof, LookupClaims)> {
    lay.absorb(transcript);
    // 1. Commit the multiplicities, then draw γ and β.
    let commitments = lay
        .tables
        .iter()
        .zip(&counts)
        .map(|(t, c)| {
            let (rv, cv) = t.grid();
            commit_counts(key, c, rv, cv)
        })
        .collect::<crate::Result<Vec<_>>>()?;
    for c in &commitments {
        c.absorb(transcript);
    }
    let gamma = transcript.challenge(b"logup-gamma");
    let beta = transcript.challenge(b"logup-beta");
    let values: Vec<Vec<F>> = lay.tables.iter().map(|t| t.folded_values(gamma)).collect();

    // 2. Witness leaves (1, β − fold(row)) and fraction trees. A row in its table
    //    folds to the table's value, so leaf i is `d[idx_i]` with `d = β − T`; padding
    //    rows look up the zero row (leaf `β`).
    let dtabs: Vec<Vec<F>> = values
        .iter()
        .map(|v| v.iter().map(|x| beta - x).collect())
        .collect();
    // Rows outside the table (only the test-only cheating prover gets here with them):
    // the leaves themselves, computed from the columns.
    let dense: Vec<Option<Vec<F>>> = indices
        .iter()
        .enumerate()
        .map(|(j, ix)| {
            ix.is_err()
                .then(|| dense_leaves(&lookups[j], 1 << lay.vars[j], gamma, beta))
        })
        .collect();
    let leaves: Vec<Leaves> = indices
        .into_iter()
        .enumerate()
        .map(|(j, ix)| match (ix, &dense[j]) {
            (Ok(idx), _) => Leaves {
                idx,
                d: &dtabs[lay.table_of[j]],
            },
            (Err(_), Some(d)) => Leaves {
                idx: (0..d.len() as u32).collect(),
                d,
            },
            (Err(_), None) => unreachable!("dense leaves exist for every unindexed instance"),
        })
        .collect();
    let simd = wide::enabled();
    let wide_leaves: Vec<Option<wide::WideLeaves>> = leaves
        .iter()
        .enumerate()
        .map(|(j, lv)| {
            let k = lay.vars[j];
            simd.filter(|_| k >= WIDE_MIN_VARS)
                .filter(|_| k > wide::WIDE_LEVEL)
                .map(|simd| wide::WideLeaves::new(simd, lv))
        })
        .collect();
    let trees: Vec<Tree> = leaves
        .par_iter()
        .zip(&wide_leaves)
        .enumerate()
        .map(|(j, (lv, wl))| Tree::new(lv, wl.as_ref(), lay.vars[j]))
        .collect();
    let roots: Vec<[F; 2]> = trees.iter().map(|t| t.levels[0][0]).collect();

    // 3. Table side: g(t) = 1/(β − T(t)) and S = Σ m_t g(t).
    let gs = values
        .iter()
        .map(|v| inverse_differences(v, beta))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| Error::Invalid("β equals a table value; retry".into()))?;
    let ms: Vec<Vec<F>> = counts.iter().map(|c| counts_as_fields(c)).collect();
    let mut table_sums: Vec<F> = ms
        .iter()
        .zip(&gs)
        .map(|(m, g)| {
            m.iter()
                .zip(g)
                .filter(|(m, _)| !m.is_zero())
                .map(|(m, g)| *m * g)
                .sum()
        })
        .collect();
    if cheat == Cheat::TableSumFromWitness {
        for (k, s) in table_sums.iter_mut().enumerate() {
            *s = (0..lookups.len())
                .filter(|&j| lay.table_of[j] == k)
                .map(|j| roots[j][0] * roots[j][1].inverse().unwrap_or(F::ZERO))
                .sum();
        }
    }
    let flat_roots: Vec<F> = roots.iter().flatten().copied().collect();
    transcript.append_fields(b"logup-roots", &flat_roots);
    transcript.append_fields(b"logup-table-sums", &table_sums);

    // 4. Witness-side GKR, layer by layer from the roots.
    let mut claims_all: Vec<[F; 2]> = roots.clone();
    let mut point: Vec<F> = Vec::new();
    let mut points: Vec<Vec<F>> = vec![Vec::new()];
    let mut layers = Vec::with_capacity(lay.max_vars);
    // Scratch for the bound tables of each instance's inner layers, reused.
    let mut scratch: Vec<[Vec<[F; 4]>; 2]> = lookups.iter().map(|_| Default::default()).collect();
    let mut wide_scratch: Vec<[Vec<wide::Block4>; 2]> =
        lookups.iter().map(|_| Default::default()).collect();
    for l in 0..lay.max_vars {
        let active: Vec<usize> = lay.active(l).collect();
        let mut claims: Vec<[F; 2]> = active.iter().map(|&j| claims_all[j]).collect();
        let tabs: Vec<LayerTables> = active
            .iter()
            .map(|&j| {
                let tree = &trees[j];
                let own = tree.wide_level(l);
                // Scalar rounds of a wide layer have at most 4 pairs (8 bound entries).
                let full = if l >= 2 { 1usize << (l - 1) } else { 0 };
                let need = if own.is_some() { full.min(8) } else { full };
                if lay.vars[j] == l + 1 {
                    let wide = match (own, &wide_leaves[j]) {
                        (Some(t0), Some(wl)) => Some(wide::WideLeaf::leaf(wl, t0)),
                        _ => None,
                    };
                    LayerTables::Leaf {
                        leaves: &leaves[j],
                        bufs: std::array::from_fn(|_| vec![[F::ZERO; 2]; need]),
                        wide,
                    }
                } else {
                    let mut bufs = std::mem::take(&mut scratch[j]);
                    for b in bufs.iter_mut() {
                        if b.len() < need {
                            b.resize(need, [F::ZERO; 4]);
                        }
                    }
                    let wide = match (simd, own, tree.wide_level(l + 1)) {
                        (Some(simd), Some(t0), Some(children)) => Some(wide::WideInner::inner(
                            simd,
                            children,
                            t0,
                            std::mem::take(&mut wide_scratch[j]),
                        )),
                        _ => None,
                    };
                    LayerTables::Inner {
                        children: &tree.levels[l + 1],
                        bufs,
                        wide,
                    }
                }
            })
            .collect();
        let mut tabs = tabs;
        let t0s: Vec<&[[F; 2]]> = active.iter().map(|&j| &trees[j].levels[l][..]).collect();
        let (proof, new_point) = prove_layer(&mut tabs, &t0s, l, &point, &mut claims, transcript);
        for (&j, t) in active.iter().zip(tabs) {
            if let LayerTables::Inner { bufs, wide, .. } = t {
                scratch[j] = bufs;
                if let Some(w) = wide {
                    wide_scratch[j] = w.into_bufs();
                }
            }
        }
        for (&j, c) in active.iter().zip(claims) {
            claims_all[j] = c;
        }
        layers.push(proof);
        point = new_point;
        points.push(point.clone());
    }
    drop(scratch);
    drop(wide_scratch);

    // 5. Column evaluations at each instance's leaf point.
    let mut eqs: Vec<Option<Vec<F>>> = vec![None; lay.max_vars + 1];
    for &k in &lay.vars {
        if eqs[k].is_none() {
            eqs[k] = Some(eq_table(&points[k]));
        }
    }
    let column_evals: Vec<Vec<F>> = lookups
        .par_iter()
        .enumerate()
        .map(|(j, l)| {
            let eq = eqs[lay.vars[j]].as_deref().expect("eq table built above");
            let idx = dense[j].is_none().then_some(&leaves[j].idx[..]);
            column_evals(l, idx, eq)
        })
        .collect();
    let flat: Vec<F> = column_evals.iter().flatten().copied().collect();
    transcript.append_fields(b"logup-column-evals", &flat);
    // 6. Table-side sumchecks and multiplicity openings.
    let mut table_sumchecks = Vec::with_capacity(lay.tables.len());
    let mut openings = Vec::with_capacity(lay.tables.len());
    for (((t, c), m), g) in lay.tables.iter().zip(&counts).zip(ms).zip(gs) {
        let (proof, point) = prove_table_sumcheck(m, g, transcript);
        let (rv, cv) = t.grid();
        let opening = open_counts(c, cv, &point[..rv]);
        transcript.append_fields(b"logup-multiplicity-opening", &opening);
        table_sumchecks.push(proof);
        openings.push(opening);
    }

    let claims = LookupClaims {
        instances: (0..lookups.len())
            .map(|j| LookupClaim {
                point: points[lay.vars[j]].clone(),
                evals: column_evals[j].clone(),
            })
            .collect(),
    };
    Ok((
        LogupProof {
            multiplicity_commitments: commitments,
            roots,
            table_sums,
            layers,
            column_evals,
            table_sumchecks,
            multiplicity_openings: openings,
        },
        claims,
    ))
}

/// Verifies a batched LogUp proof for `shapes` and returns the claims on the
/// instances' columns, which the caller must check against the columns' commitments
/// (absorbed into `transcript` before this call).
///
/// Checks: proof dimensions match the shapes; every GKR layer sumcheck and its final
/// evaluation; leaf numerators are 1 and leaf denominators are `β − fold(columns)`;
/// every root denominator is nonzero; per table, `Σ_j p_j/q_j = S` (cross-multiplied);
/// the table sumcheck's final claim `m̃(r)·g̃(r)` with `g̃` computed here and `m̃`
/// from a Hyrax opening of the multiplicity commitment (`β` equal to a table value
/// is a rejection).
///
/// Cost: O(max log² N) field operations for the GKR, O(|T|) per distinct table
/// (about 3 multiplications per row: `g̃`), one MSM of size `2^⌊b/2⌋ + 2^⌈b/2⌉` per table.
pub fn verify(
    shapes: &[LookupShape],
    key: &HyraxKey,
    proof: &LogupProof,
    transcript: &mut Transcript,
) -> crate::Result<LookupClaims> {
    let lay = Layout::new(shapes)?;
    check_dimensions(&lay, proof)?;
    lay.absorb(transcript);
    for (c, t) in proof.multiplicity_commitments.iter().zip(&lay.tables) {
        ensure(
            (c.row_vars, c.col_vars) == t.grid(),
            "multiplicity commitment grid",
        )?;
        c.absorb(transcript);
    }
    let gamma = transcript.challenge(b"logup-gamma");
    let beta = transcript.challenge(b"logup-beta");
    let flat_roots: Vec<F> = proof.roots.iter().flatten().copied().collect();
    transcript.append_fields(b"logup-roots", &flat_roots);
    transcript.append_fields(b"logup-table-sums", &proof.table_sums);

    // The LogUp identity per table, cross-multiplied.
    for (k, &s) in proof.table_sums.iter().enumerate() {
        let (mut num, mut den) = (F::ZERO, F::ONE);
        for j in (0..shapes.len()).filter(|&j| lay.table_of[j] == k) {
            let [p, q] = proof.roots[j];
            ensure(
                !q.is_zero(),
                "β equals a looked-up value (zero denominator)",
            )?;
            num = num * q + p * den;
            den *= q;
        }
        ensure(num == s * den, "LogUp identity: witness sum ≠ table sum")?;
    }

    // Witness-side GKR.
    let mut claims_all: Vec<[F; 2]> = proof.roots.clone();
    let mut point: Vec<F> = Vec::new();
    let mut points: Vec<Vec<F>> = vec![Vec::new()];
    for (l, layer) in proof.layers.iter().enumerate() {
        let lambda = transcript.challenge(b"logup-layer-lambda");
        let active: Vec<usize> = lay.active(l).collect();
        let lambda2 = lambda.square();
        let (mut claim, mut w) = (F::ZERO, F::ONE);
        let mut expect = F::ZERO;
        for (&j, ch) in active.iter().zip(&layer.children) {
            let c = claims_all[j];
            claim += w * (c[0] + lambda * c[1]);
            let [a, b, c0, d] = *ch;
            expect += w * (a * d + b * c0 + lambda * c0 * d);
            w *= lambda2;
        }
        let (rs, fin) = crate::sumcheck::verify(claim, l, 3, &layer.sumcheck, transcript)?;
        ensure(
            fin == eq_eval(&point, &rs) * expect,
            "LogUp layer sumcheck final check",
        )?;
        let flat: Vec<F> = layer.children.iter().flatten().copied().collect();
        transcript.append_fields(b"logup-layer-children", &flat);
        let mu = transcript.challenge(b"logup-layer-mu");
        for (&j, ch) in active.iter().zip(&layer.children) {
            claims_all[j] = [ch[0] + mu * (ch[1] - ch[0]), ch[2] + mu * (ch[3] - ch[2])];
        }
        point = std::iter::once(mu).chain(rs).collect();
        points.push(point.clone());
    }
    let flat: Vec<F> = proof.column_evals.iter().flatten().copied().collect();
    transcript.append_fields(b"logup-column-evals", &flat);
    for (j, evals) in proof.column_evals.iter().enumerate() {
        let [p, q] = claims_all[j];
        ensure(p == F::ONE, "LogUp leaf numerators are not all 1")?;
        ensure(
            q == beta - fold_columns(evals, gamma),
            "LogUp leaf denominators do not match the column claims",
        )?;
    }

    // Table side.
    for (k, t) in lay.tables.iter().enumerate() {
        let (r, fin) = crate::sumcheck::verify(
            proof.table_sums[k],
            t.num_vars(),
            2,
            &proof.table_sumchecks[k],
            transcript,
        )?;
        let opening = &proof.multiplicity_openings[k];
        transcript.append_fields(b"logup-multiplicity-opening", opening);
        let m = verify_opening(key, &proof.multiplicity_commitments[k], &r, opening)?;
        let g = table_g_eval(t, gamma, beta, &r)?;
        ensure(fin == m * g, "LogUp table sumcheck final check")?;
    }

    Ok(LookupClaims {
        instances: (0..shapes.len())
            .map(|j| LookupClaim {
                point: points[lay.vars[j]].clone(),
                evals: proof.column_evals[j].clone(),
            })
            .collect(),
    })
}

/// Every vector in `proof` has the length the shapes imply.
fn check_dimensions(lay: &Layout, proof: &LogupProof) -> crate::Result<()> {
    let bad = |what: &str| Err(Error::Malformed(format!("LogUp proof: wrong {what}")));
    let nt = lay.tables.len();
    let nj = lay.shapes.len();
    if proof.multiplicity_commitments.len() != nt
        || proof.table_sums.len() != nt
        || proof.table_sumchecks.len() != nt
        || proof.multiplicity_openings.len() != nt
    {
        return bad("number of tables");
    }
    for (k, t) in lay.tables.iter().enumerate() {
        let (rv, cv) = t.grid();
        if proof.multiplicity_commitments[k].rows.len() != 1 << rv
            || proof.multiplicity_openings[k].len() != 1 << cv
        {
            return bad("multiplicity commitment or opening size");
        }
    }
    if proof.roots.len() != nj || proof.column_evals.len() != nj {
        return bad("number of instances");
    }
    if proof
        .column_evals
        .iter()
        .zip(&lay.shapes)
        .any(|(e, s)| e.len() != s.table.columns())
    {
        return bad("number of column evaluations");
    }
    if proof.layers.len() != lay.max_vars {
        return bad("number of GKR layers");
    }
    for (l, layer) in proof.layers.iter().enumerate() {
        if layer.children.len() != lay.active(l).count() {
            return bad("number of GKR children");
        }
    }
    Ok(())
}

impl LogupProof {
    /// Encodes the proof; every length is implied by the shapes, so nothing but field
    /// elements and points is written. Size: [`proof_size`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        for c in &self.multiplicity_commitments {
            for p in &c.rows {
                w.point(p);
            }
        }
        for r in &self.roots {
            w.fields(r);
        }
        w.fields(&self.table_sums);
        for layer in &self.layers {
            for round in &layer.sumcheck.rounds {
                w.fields(round);
            }
            for ch in &layer.children {
                w.fields(ch);
            }
        }
        for e in &self.column_evals {
            w.fields(e);
        }
        for s in &self.table_sumchecks {
            for round in &s.rounds {
                w.fields(round);
            }
        }
        for o in &self.multiplicity_openings {
            w.fields(o);
        }
        w.bytes
    }

    /// Decodes a proof for `shapes`. Any byte string that is not exactly such an
    /// encoding (wrong length, non-canonical field element, invalid point) is an error.
    /// Cost: linear in the proof size (one subgroup check per point).
    pub fn from_bytes(shapes: &[LookupShape], bytes: &[u8]) -> crate::Result<Self> {
        let lay = Layout::new(shapes)?;
        if bytes.len() != proof_size(shapes)? {
            return Err(Error::Malformed(format!(
                "LogUp proof has {} bytes, expected {}",
                bytes.len(),
                proof_size(shapes)?
            )));
        }
        let mut r = Reader::new(bytes);
        let read4 = |r: &mut Reader, what: &str| -> crate::Result<[F; 4]> {
            let v = r.fields(4, what)?;
            Ok([v[0], v[1], v[2], v[3]])
        };
        let mut multiplicity_commitments = Vec::with_capacity(lay.tables.len());
        for t in &lay.tables {
            let (row_vars, col_vars) = t.grid();
            let rows = (0..1usize << row_vars)
                .map(|_| r.point("multiplicity commitment"))
                .collect::<crate::Result<_>>()?;
            multiplicity_commitments.push(HyraxCommitment {
                row_vars,
                col_vars,
                rows,
            });
        }
        let roots = (0..shapes.len())
            .map(|_| {
                let v = r.fields(2, "LogUp root")?;
                Ok([v[0], v[1]])
            })
            .collect::<crate::Result<Vec<_>>>()?;
        let table_sums = r.fields(lay.tables.len(), "LogUp table sum")?;
        let mut layers = Vec::with_capacity(lay.max_vars);
        for l in 0..lay.max_vars {
            let rounds = (0..l)
                .map(|_| r.fields(3, "LogUp layer round"))
                .collect::<crate::Result<_>>()?;
            let children = lay
                .active(l)
                .map(|_| read4(&mut r, "LogUp layer children"))
                .collect::<crate::Result<_>>()?;
            layers.push(LayerProof {
                sumcheck: SumcheckProof { rounds },
                children,
            });
        }
        let column_evals = shapes
            .iter()
            .map(|s| r.fields(s.table.columns(), "LogUp column evaluation"))
            .collect::<crate::Result<_>>()?;
        let table_sumchecks = lay
            .tables
            .iter()
            .map(|t| {
                let rounds = (0..t.num_vars())
                    .map(|_| r.fields(2, "LogUp table round"))
                    .collect::<crate::Result<_>>()?;
                Ok(SumcheckProof { rounds })
            })
            .collect::<crate::Result<_>>()?;
        let multiplicity_openings = lay
            .tables
            .iter()
            .map(|t| r.fields(1 << t.grid().1, "multiplicity opening"))
            .collect::<crate::Result<_>>()?;
        r.finish()?;
        Ok(Self {
            multiplicity_commitments,
            roots,
            table_sums,
            layers,
            column_evals,
            table_sumchecks,
            multiplicity_openings,
        })
    }
}

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
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, Field, Zero};
use rayon::prelude::*;

#[cfg(test)]
mod tests;

/// Domain separator absorbed at the start of every lookup argument.
pub const PROTOCOL: &[u8] = b"ternzk/logup/v1";
/// Largest table: `2^16` rows.
pub const MAX_TABLE_BITS: u32 = 16;
/// Witness-GKR rounds over at least this many entries per instance run the instances
/// in parallel (below it, thread hand-offs cost more than they save).
const INSTANCE_PAR_THRESHOLD: usize = 1 << 9;
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
        }
    }

    /// Number of columns of a row (1, 2 or 3). Cost: O(1).
    pub fn columns(&self) -> usize {
        match self {
            Table::Range { .. } => 1,
            Table::Clamp { .. } | Table::Sign { .. } => 2,
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
        }
    }

    /// The folded rows `c₀ + γ·c₁ + γ²·c₂` for every row, in index order.
    /// Cost: `2^bits` field additions for range and clamp tables (consecutive rows
    /// differ by `1` or `1 + γ`), two multiplications per row for the others.
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
            v += if y != prev_y { one_gamma } else { F::ONE };
            prev_y = y;
            out.push(v);
        }
        out
    }

    fn code(&self) -> [u32; 3] {
        match *self {
            Table::Range { bits } => [1, bits, 0],
            Table::Clamp { in_bits, out_bits } => [2, in_bits, out_bits],
            Table::Sign { bits } => [3, bits, 0],
            Table::Saturate { bits } => [4, bits, 0],
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
        let mut bytes = Vec::with_capacity(20 * self.shapes.len());
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
    prove_inner(&lay, lookups, counts, key, transcript, Cheat::None)
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
/// Cost: O(Σ_j N_j) field operations for the witness side (about 16 multiplications
/// per padded entry), O(|T|) for each distinct table (a batch inversion and a
/// degree-2 sumcheck that binds `g` densely and skips pairs where `m` is zero:
/// about 4 multiplications per row), plus a sparse Hyrax commitment
/// of the multiplicities (about one point addition per distinct looked-up row).
pub fn prove(
    lookups: &[LookupInstance],
    key: &HyraxKey,
    transcript: &mut Transcript,
) -> crate::Result<(LogupProof, LookupClaims)> {
    let lay = check_instances(lookups)?;
    let counts = multiplicities_for(&lay, lookups)?;
    prove_inner(&lay, lookups, counts, key, transcript, Cheat::None)
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

/// The multiplicities of each distinct table (padding counted on the zero row), or
/// `Error::Invalid` naming the first row not in its table. Cost: O(Σ N_j + Σ |T_k|).
fn multiplicities_for(lay: &Layout, lookups: &[LookupInstance]) -> crate::Result<Vec<Vec<u64>>> {
    let mut counts: Vec<Vec<u64>> = lay
        .tables
        .iter()
        .map(|t| vec![0u64; 1 << t.num_vars()])
        .collect();
    for (j, l) in lookups.iter().enumerate() {
        let c = &mut counts[lay.table_of[j]];
        let n = l.shape().len;
        let mut row = [0i64; 3];
        for i in 0..n {
            for (col, r) in l.columns.iter().zip(row.iter_mut()) {
                *r = col[i];
            }
            let idx = l.table.index_of(&row[..l.columns.len()]).ok_or_else(|| {
                Error::Invalid(format!(
                    "lookup {j}: row {i} = {:?} is not in table {:?}",
                    &row[..l.columns.len()],
                    l.table
                ))
            })?;
            c[idx] += 1;
        }
        c[l.table.zero_index()] += ((1usize << lay.vars[j]) - n) as u64;
    }
    Ok(counts)
}

/// Hyrax commitment to a vector of small counts, touching only nonzero entries.
/// Cost: one mixed addition per entry equal to 1, a short scalar multiplication per
/// larger entry, one normalization of `2^row_vars` points.
fn commit_counts(
    key: &HyraxKey,
    counts: &[u64],
    row_vars: usize,
    col_vars: usize,
) -> crate::Result<HyraxCommitment> {
    let gens = key.gens_for(col_vars)?;
    debug_assert_eq!(counts.len(), 1 << (row_vars + col_vars));
    let rows: Vec<G> = counts
        .par_chunks(1 << col_vars)
        .map(|row| {
            let mut acc = G::zero();
            for (g, &m) in gens.iter().zip(row) {
                match m {
                    0 => {}
                    1 => acc += *g,
                    _ => acc += g.mul_bigint([m]),
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

/// Proves `Σ_t m_t·g_t` (the claim is already in the transcript) by a degree-2
/// sumcheck in the format of [`crate::sumcheck::prove`] (messages `p(0), p(2)`, first
/// variable = most significant bit). Pairs where `m` is zero on both sides are skipped
/// (multiplicities are sparse while `N ≪ |T|`); `g` is bound densely.
/// Cost: `|T|` multiplications to bind `g`, about 4 per pair with nonzero `m`.
fn prove_table_sumcheck(
    counts: &[u64],
    mut g: Vec<F>,
    transcript: &mut Transcript,
) -> (SumcheckProof, Vec<F>) {
    let mut m: Vec<F> = counts
        .iter()
        .map(|&c| if c == 0 { F::ZERO } else { F::from(c) })
        .collect();
    let b = m.len().trailing_zeros() as usize;
    let mut rounds = Vec::with_capacity(b);
    let mut point = Vec::with_capacity(b);
    for _ in 0..b {
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

/// The witness-side fraction tree of one instance: `p[l]`, `q[l]` have `2^l` entries.
struct Tree {
    p: Vec<Vec<F>>,
    q: Vec<Vec<F>>,
}

/// Builds the tree over leaves `(1, q_i)`. Cost: 3 multiplications per inner node
/// (1 in the layer above the leaves).
fn build_tree(leaves: Vec<F>) -> Tree {
    let k = leaves.len().trailing_zeros() as usize;
    let mut p = vec![Vec::new(); k + 1];
    let mut q = vec![Vec::new(); k + 1];
    // Leaf numerators are all 1; they are only materialized for a one-leaf tree (the root).
    p[k] = if k == 0 { vec![F::ONE] } else { Vec::new() };
    q[k] = leaves;
    for l in (0..k).rev() {
        let h = 1usize << l;
        let (q0, q1) = q[l + 1].split_at(h);
        let (p0, p1) = p[l + 1].split_at(h.min(p[l + 1].len()));
        let node = |i: usize| {
            if l + 1 == k {
                (q0[i] + q1[i], q0[i] * q1[i])
            } else {
                (p0[i] * q1[i] + p1[i] * q0[i], q0[i] * q1[i])
            }
        };
        let (np, nq): (Vec<F>, Vec<F>) = if h >= PAR_THRESHOLD {
            (0..h).into_par_iter().map(node).unzip()
        } else {
            (0..h).map(node).unzip()
        };
        p[l] = np;
        q[l] = nq;
    }
    Tree { p, q }
}

/// `Σ_y e[y]·F(t, y)` at `t = 0, 1, 2` for `F = A·D + C·(B + λ·D)`, with pair
/// `(y, y + h)` giving the values at `t = 0, 1`. Empty `a`, `b` stand for the all-ones
/// numerators of the leaf layer. Cost: 12 multiplications per pair (9 at the leaves).
fn layer_round_sums(a: &[F], b: &[F], c: &[F], d: &[F], e: &[F], lambda: F) -> [F; 3] {
    let h = e.len();
    let chunk = |lo: usize, hi: usize| {
        let mut s = [F::ZERO; 3];
        if a.is_empty() {
            // Leaf layer: A = B = 1, so F = C + D·(1 + λ·C).
            for y in lo..hi {
                let (c0, c1) = (c[y], c[y + h]);
                let (d0, d1) = (d[y], d[y + h]);
                let (c2, d2) = (c1.double() - c0, d1.double() - d0);
                let ey = e[y];
                s[0] += ey * (c0 + d0 * (F::ONE + lambda * c0));
                s[1] += ey * (c1 + d1 * (F::ONE + lambda * c1));
                s[2] += ey * (c2 + d2 * (F::ONE + lambda * c2));
            }
            return s;
        }
        for y in lo..hi {
            let (a0, a1) = (a[y], a[y + h]);
            let (b0, b1) = (b[y], b[y + h]);
            let (c0, c1) = (c[y], c[y + h]);
            let (d0, d1) = (d[y], d[y + h]);
            let (a2, b2, c2, d2) = (
                a1.double() - a0,
                b1.double() - b0,
                c1.double() - c0,
                d1.double() - d0,
            );
            let ey = e[y];
            s[0] += ey * (a0 * d0 + c0 * (b0 + lambda * d0));
            s[1] += ey * (a1 * d1 + c1 * (b1 + lambda * d1));
            s[2] += ey * (a2 * d2 + c2 * (b2 + lambda * d2));
        }
        s
    };
    const CHUNK: usize = 1 << 12;
    if h >= PAR_THRESHOLD {
        (0..h.div_ceil(CHUNK))
            .into_par_iter()
            .map(|i| chunk(i * CHUNK, ((i + 1) * CHUNK).min(h)))
            .reduce(
                || [F::ZERO; 3],
                |x, y| [x[0] + y[0], x[1] + y[1], x[2] + y[2]],
            )
    } else {
        chunk(0, h)
    }
}

/// Proves one GKR layer step `l → l + 1` for the active trees; returns the layer proof
/// and the new point. `claims[j]` are the `(p, q)` claims at `point` of active tree `j`
/// and are replaced by the claims at the new point.
fn prove_layer(
    trees: &mut [&mut Tree],
    l: usize,
    point: &[F],
    claims: &mut [[F; 2]],
    transcript: &mut Transcript,
) -> (LayerProof, Vec<F>) {
    let lambda = transcript.challenge(b"logup-layer-lambda");
    // The four children tables of each active tree (layer l + 1 split at its MSB).
    // At the leaf layer the numerators are all 1: A and B are left empty (never bound).
    let mut polys: Vec<[Vec<F>; 4]> = trees
        .iter_mut()
        .map(|t| {
            let leaf = t.p.len() == l + 2;
            let mut p = std::mem::take(&mut t.p[l + 1]);
            let mut q = std::mem::take(&mut t.q[l + 1]);
            let q1 = q.split_off(1 << l);
            if leaf {
                return [Vec::new(), Vec::new(), q, q1];
            }
            let p1 = p.split_off(1 << l);
            [p, p1, q, q1]
        })
        .collect();
    // Weights: tree j's summand is scaled by λ^(2j) (its q part by λ^(2j+1)).
    let mut weights = Vec::with_capacity(polys.len());
    let mut w = F::ONE;
    let lambda2 = lambda.square();
    let mut claim = F::ZERO;
    for c in claims.iter() {
        weights.push(w);
        claim += w * (c[0] + lambda * c[1]);
        w *= lambda2;
    }
    let mut rounds = Vec::with_capacity(l);
    let mut rs = Vec::with_capacity(l);
    // e = eq(point[i+1..], ·); the next one is obtained by summing its halves.
    let mut e = if l > 0 {
        eq_table(&point[1..])
    } else {
        Vec::new()
    };
    let mut scale = F::ONE; // Π_{u<i} eq(point[u], r_u)
    debug_assert_eq!(point.len(), l);
    for &ri in point {
        // Instances in parallel once they are long enough to pay for it (each is also
        // split internally when very long).
        let parallel = e.len() >= INSTANCE_PAR_THRESHOLD;
        let sums = |(ps, w): (&[Vec<F>; 4], &F)| {
            let s = layer_round_sums(&ps[0], &ps[1], &ps[2], &ps[3], &e, lambda);
            [*w * s[0], *w * s[1], *w * s[2]]
        };
        let add = |x: [F; 3], y: [F; 3]| [x[0] + y[0], x[1] + y[1], x[2] + y[2]];
        let h = if parallel {
            polys
                .par_iter()
                .zip(weights.par_iter())
                .map(sums)
                .reduce(|| [F::ZERO; 3], add)
        } else {
            polys.iter().zip(&weights).map(sums).fold([F::ZERO; 3], add)
        };
        let h3 = h[0] - (h[1] - h[2]).double() - (h[1] - h[2]);
        let eq1 = |t: F| (F::ONE - ri) + t * (ri.double() - F::ONE);
        let two = F::from(2u64);
        let three = F::from(3u64);
        let msg = vec![
            scale * eq1(F::ZERO) * h[0],
            scale * eq1(two) * h[2],
            scale * eq1(three) * h3,
        ];
        debug_assert_eq!(msg[0] + scale * eq1(F::ONE) * h[1], claim);
        transcript.append_fields(b"sumcheck-round", &msg);
        let r = transcript.challenge(b"sumcheck-challenge");
        claim = {
            let evals = [msg[0], claim - msg[0], msg[1], msg[2]];
            crate::field::interpolate_at(&evals, r)
        };
        let bind = |ps: &mut [Vec<F>; 4]| {
            for poly in ps.iter_mut() {
                bind_first(poly, r);
            }
        };
        if parallel {
            polys.par_iter_mut().for_each(bind);
        } else {
            polys.iter_mut().for_each(bind);
        }
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
    }
    let children: Vec<[F; 4]> = polys
        .iter()
        .map(|ps| {
            let one = |v: &Vec<F>| v.first().copied().unwrap_or(F::ONE);
            [one(&ps[0]), one(&ps[1]), ps[2][0], ps[3][0]]
        })
        .collect();
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

fn prove_inner(
    lay: &Layout,
    lookups: &[LookupInstance],
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

    // 2. Witness leaves (1, β − (a + γ·b)) and fraction trees; padding rows are (0, 0).
    let mut trees: Vec<Tree> = lookups
        .par_iter()
        .enumerate()
        .map(|(j, l)| {
            let n = 1usize << lay.vars[j];
            let mut leaves = vec![beta; n];
            match l.columns[..] {
                [col] => {
                    for (x, &v) in leaves.iter_mut().zip(col) {
                        *x = beta - from_i64(v);
                    }
                }
                [a, b] => {
                    for ((x, &u), &v) in leaves.iter_mut().zip(a).zip(b) {
                        *x = beta - (from_i64(u) + gamma * from_i64(v));
                    }
                }
                [a, b, c] => {
                    let gamma2 = gamma.square();
                    for (((x, &u), &v), &w) in leaves.iter_mut().zip(a).zip(b).zip(c) {
                        *x = beta - (from_i64(u) + gamma * from_i64(v) + gamma2 * from_i64(w));
                    }
                }
                _ => unreachable!("tables have one to three columns"),
            }
            build_tree(leaves)
        })
        .collect();
    let roots: Vec<[F; 2]> = trees.iter().map(|t| [t.p[0][0], t.q[0][0]]).collect();

    // 3. Table side: g(t) = 1/(β − T(t)) and S = Σ m_t g(t).
    let gs = values
        .iter()
        .map(|v| inverse_differences(v, beta))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| Error::Invalid("β equals a table value; retry".into()))?;
    let mut table_sums: Vec<F> = counts
        .iter()
        .zip(&gs)
        .map(|(c, g)| {
            c.iter()
                .zip(g)
                .filter(|(m, _)| **m != 0)
                .map(|(&m, g)| F::from(m) * g)
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
    for l in 0..lay.max_vars {
        let active: Vec<usize> = lay.active(l).collect();
        let mut claims: Vec<[F; 2]> = active.iter().map(|&j| claims_all[j]).collect();
        let mut act_trees: Vec<&mut Tree> = trees
            .iter_mut()
            .enumerate()
            .filter(|(j, _)| lay.vars[*j] > l)
            .map(|(_, t)| t)
            .collect();
        let (proof, new_point) = prove_layer(&mut act_trees, l, &point, &mut claims, transcript);
        for (&j, c) in active.iter().zip(claims) {
            claims_all[j] = c;
        }
        layers.push(proof);
        point = new_point;
        points.push(point.clone());
    }

    // 5. Column evaluations at each instance's leaf point.
    let mut eq_cache: Vec<Option<Vec<F>>> = vec![None; lay.max_vars + 1];
    let mut column_evals = Vec::with_capacity(lookups.len());
    for (j, l) in lookups.iter().enumerate() {
        let k = lay.vars[j];
        let eq = eq_cache[k].get_or_insert_with(|| eq_table(&points[k]));
        column_evals.push(
            l.columns
                .iter()
                .map(|c| ints_dot(c, eq))
                .collect::<Vec<F>>(),
        );
    }
    let flat: Vec<F> = column_evals.iter().flatten().copied().collect();
    transcript.append_fields(b"logup-column-evals", &flat);

    // 6. Table-side sumchecks and multiplicity openings.
    let mut table_sumchecks = Vec::with_capacity(lay.tables.len());
    let mut openings = Vec::with_capacity(lay.tables.len());
    for ((t, c), g) in lay.tables.iter().zip(&counts).zip(gs) {
        let (proof, point) = prove_table_sumcheck(c, g, transcript);
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

//! The verifier's lookup tables ([`Table`]): their rows, the index of a row, and the
//! rows folded by the challenge `γ`.

use super::*;
use crate::error::Error;
use crate::field::{from_i64, F};
use ark_ff::{AdditiveGroup, Field};

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
pub(super) fn requant_y(u: i64, m: i64, k: u32) -> i64 {
    crate::requant::requant(u as i32, m, k).2 as i64
}

/// The value of `c` in each block of [`Table::Saturate`].
pub(super) const SATURATE_BLOCKS: [i64; 4] = [0, -1, 1, 0];

/// `y` of the saturate-table row `(c, l, ·)`.
pub(super) fn saturate(c: i64, l: i64, bits: u32) -> i64 {
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
    pub(super) fn code(&self) -> [u64; 4] {
        match *self {
            Table::Range { bits } => [1, bits as u64, 0, 0],
            Table::Clamp { in_bits, out_bits } => [2, in_bits as u64, out_bits as u64, 0],
            Table::Sign { bits } => [3, bits as u64, 0, 0],
            Table::Saturate { bits } => [4, bits as u64, 0, 0],
            Table::Requant { in_bits, m, k } => [5, in_bits as u64, m as u64, k as u64],
        }
    }

    /// Hyrax grid of this table's multiplicity vector: `(row_vars, col_vars)`.
    pub(super) fn grid(&self) -> (usize, usize) {
        let b = self.num_vars();
        (b / 2, b - b / 2)
    }
}

/// `Σ_c γ^c·col_c` for evaluations (or values) of the columns.
pub(super) fn fold_columns(cols: &[F], gamma: F) -> F {
    cols.iter().rev().fold(F::ZERO, |acc, c| acc * gamma + c)
}

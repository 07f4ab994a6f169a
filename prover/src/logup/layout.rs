//! The public shape of a batch of lookups ([`LookupShape`], [`Layout`]), the prover's
//! instances ([`LookupInstance`]) and the claims a lookup argument leaves to its caller.

use super::*;
use crate::error::Error;
use crate::field::{log2_ceil, F};
use crate::labels;
use crate::transcript::Transcript;

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

/// The public layout derived from the shapes (identical on both sides).
pub(super) struct Layout {
    pub(super) shapes: Vec<LookupShape>,
    /// Distinct tables in order of first appearance.
    pub(super) tables: Vec<Table>,
    /// For each instance, the index of its table in `tables`.
    pub(super) table_of: Vec<usize>,
    /// For each instance, `log2_ceil(len)`.
    pub(super) vars: Vec<usize>,
    /// `max(vars)`.
    pub(super) max_vars: usize,
}

impl Layout {
    pub(super) fn new(shapes: &[LookupShape]) -> crate::Result<Self> {
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
    pub(super) fn active(&self, l: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.vars.len()).filter(move |&j| self.vars[j] > l)
    }

    pub(super) fn absorb(&self, t: &mut Transcript) {
        t.append_bytes(labels::LOGUP_PROTOCOL, PROTOCOL);
        let mut bytes = Vec::with_capacity(40 * self.shapes.len());
        for s in &self.shapes {
            for c in s.table.code() {
                bytes.extend_from_slice(&c.to_le_bytes());
            }
            bytes.extend_from_slice(&(s.len as u64).to_le_bytes());
        }
        t.append_bytes(labels::LOGUP_SHAPES, &bytes);
    }
}

/// Checks that every instance has one column per table column, all of its length.
pub(super) fn check_instances(lookups: &[LookupInstance]) -> crate::Result<Layout> {
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

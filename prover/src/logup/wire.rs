//! The LogUp proof ([`LogupProof`]), its exact size and its byte encoding.

use super::*;
use crate::error::Error;
use crate::field::F;
use crate::hyrax::HyraxCommitment;
use crate::sumcheck::SumcheckProof;
use crate::wire::{Reader, Writer, FIELD_BYTES, POINT_BYTES};

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

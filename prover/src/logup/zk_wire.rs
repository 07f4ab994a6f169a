//! The zero-knowledge LogUp proof's shape and element order: a proof of the right
//! dimensions for given shapes, filled with placeholders ([`ZkLogupProof::skeleton`]),
//! and every point and scalar in one fixed order ([`ZkLogupProof::points_mut`],
//! [`ZkLogupProof::scalars_mut`]). The MLP proof's byte encoding writes the elements in
//! that order and decodes by filling a skeleton, so every length is implied by the
//! shapes and nothing else is written.

use super::zk::{ZkLayerProof, ZkLogupProof, ZkRootProof, ZkSumcheck};
use super::*;
use crate::dot_product::DotProductProof;
use crate::field::{GAffine, F};
use crate::hyrax::HyraxCommitment;
use crate::masked_sumcheck::MaskedSumcheckProof;
use crate::sigma::{EqualityProof, ProductProof};
use crate::sum_product::SumProductProof;
use ark_ec::AffineRepr;
use ark_ff::Zero;

fn dot(n: usize) -> DotProductProof {
    DotProductProof {
        points: [GAffine::zero(); 2],
        z: vec![F::zero(); n],
        z_delta: F::zero(),
        z_beta: F::zero(),
    }
}

fn product() -> ProductProof {
    ProductProof {
        points: [GAffine::zero(); 3],
        responses: [F::zero(); 5],
    }
}

impl ZkSumcheck {
    /// A placeholder sumcheck of `k` variables and degree `d`. Cost: O(k·d).
    pub(crate) fn skeleton(k: usize, d: usize) -> Self {
        if k == 0 {
            return ZkSumcheck::Empty(EqualityProof {
                alpha: GAffine::zero(),
                z: F::zero(),
            });
        }
        ZkSumcheck::Masked {
            rounds: MaskedSumcheckProof {
                mask: GAffine::zero(),
                masked_sum: F::zero(),
                rounds: vec![vec![F::zero(); d]; k],
            },
            closing: dot(k * (d + 1)),
        }
    }
}

impl ZkLogupProof {
    /// The proof of no lookups at all (every part empty): what a caller with nothing
    /// to look up (an MLP of one layer with a clear input) states. Cost: O(1).
    pub(crate) fn empty() -> Self {
        Self {
            multiplicity_commitments: Vec::new(),
            roots: Vec::new(),
            table_sums: Vec::new(),
            root_proofs: Vec::new(),
            layers: Vec::new(),
            column_evals: Vec::new(),
            table_sumchecks: Vec::new(),
            multiplicity_evals: Vec::new(),
            multiplicity_proofs: Vec::new(),
        }
    }

    /// A placeholder proof with the dimensions `shapes` imply (what the verifier
    /// checks; [`ZkLogupProof::empty`] for no shapes). Cost: O(proof size).
    pub(crate) fn skeleton(shapes: &[LookupShape]) -> crate::Result<Self> {
        if shapes.is_empty() {
            return Ok(Self::empty());
        }
        let lay = Layout::new(shapes)?;
        let members = (0..lay.tables.len())
            .map(|k| (0..shapes.len()).filter(|&j| lay.table_of[j] == k).count());
        Ok(Self {
            multiplicity_commitments: lay
                .tables
                .iter()
                .map(|t| {
                    let (rv, cv) = t.grid();
                    HyraxCommitment {
                        row_vars: rv,
                        col_vars: cv,
                        rows: vec![GAffine::zero(); 1 << rv],
                    }
                })
                .collect(),
            roots: vec![[GAffine::zero(); 2]; shapes.len()],
            table_sums: vec![GAffine::zero(); lay.tables.len()],
            root_proofs: members
                .map(|n| ZkRootProof {
                    steps: vec![[GAffine::zero(); 3]; n - 1],
                    step_proofs: (1..n).map(|_| [product(), product(), product()]).collect(),
                    inverse: GAffine::zero(),
                    nonzero: product(),
                    identity: product(),
                })
                .collect(),
            layers: (0..lay.max_vars)
                .map(|l| {
                    let sizes: Vec<usize> = lay
                        .active(l)
                        .map(|j| if lay.vars[j] == l + 1 { 2 } else { 4 })
                        .collect();
                    ZkLayerProof {
                        sumcheck: ZkSumcheck::skeleton(l, 3),
                        children: sizes.iter().map(|&c| vec![GAffine::zero(); c]).collect(),
                        product: GAffine::zero(),
                        product_proof: SumProductProof::skeleton(sizes.iter().sum()),
                    }
                })
                .collect(),
            column_evals: shapes
                .iter()
                .map(|s| vec![GAffine::zero(); s.table.columns() - 1])
                .collect(),
            table_sumchecks: lay
                .tables
                .iter()
                .map(|t| ZkSumcheck::skeleton(t.num_vars(), 2))
                .collect(),
            multiplicity_evals: vec![GAffine::zero(); lay.tables.len()],
            multiplicity_proofs: lay.tables.iter().map(|t| dot(1 << t.grid().1)).collect(),
        })
    }
}

impl ZkSumcheck {
    fn scalars_mut<'a>(&'a mut self, v: &mut Vec<&'a mut F>) {
        match self {
            ZkSumcheck::Masked { rounds, closing } => {
                v.push(&mut rounds.masked_sum);
                v.extend(rounds.rounds.iter_mut().flatten());
                v.extend(closing.z.iter_mut());
                v.push(&mut closing.z_delta);
                v.push(&mut closing.z_beta);
            }
            ZkSumcheck::Empty(e) => v.push(&mut e.z),
        }
    }

    fn points_mut<'a>(&'a mut self, v: &mut Vec<&'a mut GAffine>) {
        match self {
            ZkSumcheck::Masked { rounds, closing } => {
                v.push(&mut rounds.mask);
                v.extend(closing.points.iter_mut());
            }
            ZkSumcheck::Empty(e) => v.push(&mut e.alpha),
        }
    }

    /// Every scalar, mutable, in encoding order.
    pub(crate) fn all_scalars_mut(&mut self) -> Vec<&mut F> {
        let mut v = Vec::new();
        self.scalars_mut(&mut v);
        v
    }

    /// Every point, mutable, in encoding order.
    pub(crate) fn all_points_mut(&mut self) -> Vec<&mut GAffine> {
        let mut v = Vec::new();
        self.points_mut(&mut v);
        v
    }
}

impl ZkLogupProof {
    /// Every scalar of the proof, mutable, in encoding order (the byte encoding and
    /// the mutation tests walk it).
    pub(crate) fn scalars_mut(&mut self) -> Vec<&mut F> {
        let mut v: Vec<&mut F> = Vec::new();
        for rp in &mut self.root_proofs {
            for pr in rp.step_proofs.iter_mut().flatten() {
                v.extend(pr.responses.iter_mut());
            }
            v.extend(rp.nonzero.responses.iter_mut());
            v.extend(rp.identity.responses.iter_mut());
        }
        for layer in &mut self.layers {
            layer.sumcheck.scalars_mut(&mut v);
            let p = &mut layer.product_proof;
            v.extend(p.z.iter_mut());
            v.extend(p.z_blind.iter_mut());
            v.push(&mut p.z_tau);
        }
        for s in &mut self.table_sumchecks {
            s.scalars_mut(&mut v);
        }
        for d in &mut self.multiplicity_proofs {
            v.extend(d.z.iter_mut());
            v.push(&mut d.z_delta);
            v.push(&mut d.z_beta);
        }
        v
    }

    /// Every point of the proof, mutable, in encoding order.
    pub(crate) fn points_mut(&mut self) -> Vec<&mut GAffine> {
        let mut v: Vec<&mut GAffine> = Vec::new();
        for c in &mut self.multiplicity_commitments {
            v.extend(c.rows.iter_mut());
        }
        v.extend(self.roots.iter_mut().flatten());
        v.extend(self.table_sums.iter_mut());
        for rp in &mut self.root_proofs {
            v.extend(rp.steps.iter_mut().flatten());
            for pr in rp.step_proofs.iter_mut().flatten() {
                v.extend(pr.points.iter_mut());
            }
            v.push(&mut rp.inverse);
            v.extend(rp.nonzero.points.iter_mut());
            v.extend(rp.identity.points.iter_mut());
        }
        for layer in &mut self.layers {
            layer.sumcheck.points_mut(&mut v);
            v.extend(layer.children.iter_mut().flatten());
            v.push(&mut layer.product);
            v.extend(layer.product_proof.openings.iter_mut());
            v.push(&mut layer.product_proof.relation);
        }
        v.extend(self.column_evals.iter_mut().flatten());
        for s in &mut self.table_sumchecks {
            s.points_mut(&mut v);
        }
        v.extend(self.multiplicity_evals.iter_mut());
        for d in &mut self.multiplicity_proofs {
            v.extend(d.points.iter_mut());
        }
        v
    }
}

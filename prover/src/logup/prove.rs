//! The LogUp prover ([`prove`]).

use super::*;
use crate::eq::eq_table;
use crate::error::Error;
use crate::field::F;
use crate::hyrax::HyraxKey;
use crate::labels;
use crate::small_commit::{commit_counts, open_counts};
use crate::transcript::Transcript;
use ark_ff::{AdditiveGroup, Field, Zero};
use rayon::prelude::*;

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

/// What production builds pass for the cheat: the honest prover only (the hook is
/// compiled out, see [`crate::fault`]).
#[cfg(not(test))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cheat {
    /// Honest.
    None,
}

/// Options for the test-only cheating provers.
#[cfg(test)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cheat {
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

pub(super) fn prove_inner(
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
    let gamma = transcript.challenge(labels::LOGUP_GAMMA);
    let beta = transcript.challenge(labels::LOGUP_BETA);
    let values: Vec<Vec<F>> = lay.tables.iter().map(|t| t.folded_values(gamma)).collect();

    // 2. Witness leaves (1, β − fold(row)) and fraction trees.
    let data = LeafData::new(lay, lookups, &indices, &values, gamma, beta);
    let leaves = data.leaves(indices);
    let wit = Witness::new(lay, &leaves);
    let roots: Vec<[F; 2]> = wit.roots();

    // 3. Table side: g(t) = 1/(β − T(t)) and S = Σ m_t g(t).
    let (gs, ms, mut table_sums) = table_side_values(&values, &counts, beta)?;
    if fault_hook!(cheat, cheat == Cheat::TableSumFromWitness) {
        for (k, s) in table_sums.iter_mut().enumerate() {
            *s = (0..lookups.len())
                .filter(|&j| lay.table_of[j] == k)
                .map(|j| roots[j][0] * roots[j][1].inverse().unwrap_or(F::ZERO))
                .sum();
        }
    }
    let flat_roots: Vec<F> = roots.iter().flatten().copied().collect();
    transcript.append_fields(labels::LOGUP_ROOTS, &flat_roots);
    transcript.append_fields(labels::LOGUP_TABLE_SUMS, &table_sums);

    // 4. Witness-side GKR, layer by layer from the roots.
    let mut claims_all: Vec<[F; 2]> = roots.clone();
    let mut point: Vec<F> = Vec::new();
    let mut points: Vec<Vec<F>> = vec![Vec::new()];
    let mut layers = Vec::with_capacity(lay.max_vars);
    wit.run_layers(lay, &leaves, |l, active, tabs, t0s| {
        let mut claims: Vec<[F; 2]> = active.iter().map(|&j| claims_all[j]).collect();
        let (proof, new_point, tabs) = prove_layer(tabs, t0s, l, &point, &mut claims, transcript);
        for (&j, c) in active.iter().zip(claims) {
            claims_all[j] = c;
        }
        layers.push(proof);
        point = new_point;
        points.push(point.clone());
        tabs
    });

    // 5. Column evaluations at each instance's leaf point.
    let column_evals = all_column_evals(lay, lookups, &points, &leaves, &data);
    let flat: Vec<F> = column_evals.iter().flatten().copied().collect();
    transcript.append_fields(labels::LOGUP_COLUMN_EVALS, &flat);
    // 6. Table-side sumchecks and multiplicity openings.
    let mut table_sumchecks = Vec::with_capacity(lay.tables.len());
    let mut openings = Vec::with_capacity(lay.tables.len());
    for ((((t, c), m), g), &s) in lay
        .tables
        .iter()
        .zip(&counts)
        .zip(ms)
        .zip(gs)
        .zip(&table_sums)
    {
        let (proof, point) = prove_table_sumcheck(m, g, s, transcript);
        let (rv, cv) = t.grid();
        let opening = open_counts(c, cv, &point[..rv]);
        transcript.append_fields(labels::LOGUP_MULTIPLICITY_OPENING, &opening);
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

/// The owned data the leaves point into: per table `d = β − T` and, per instance
/// whose rows are not all in its table (test-only cheating provers), its dense leaves.
pub(super) struct LeafData {
    dtabs: Vec<Vec<F>>,
    dense: Vec<Option<Vec<F>>>,
    table_of: Vec<usize>,
}

impl LeafData {
    /// Builds `β − T` for every table (one subtraction per row) and the dense leaves
    /// of unindexed instances.
    pub(super) fn new(
        lay: &Layout,
        lookups: &[LookupInstance],
        indices: &[Result<Vec<u32>, usize>],
        values: &[Vec<F>],
        gamma: F,
        beta: F,
    ) -> Self {
        // A row in its table folds to the table's value, so leaf i is `d[idx_i]` with
        // `d = β − T`; padding rows look up the zero row (leaf `β`).
        let dtabs = values
            .iter()
            .map(|v| v.iter().map(|x| beta - x).collect())
            .collect();
        // Rows outside the table (only the test-only cheating prover gets here with
        // them): the leaves themselves, computed from the columns.
        let dense = indices
            .iter()
            .enumerate()
            .map(|(j, ix)| {
                ix.is_err()
                    .then(|| dense_leaves(&lookups[j], 1 << lay.vars[j], gamma, beta))
            })
            .collect();
        Self {
            dtabs,
            dense,
            table_of: lay.table_of.clone(),
        }
    }

    /// The leaves of every instance, consuming the indices.
    pub(super) fn leaves(&self, indices: Vec<Result<Vec<u32>, usize>>) -> Vec<Leaves<'_>> {
        indices
            .into_iter()
            .enumerate()
            .map(|(j, ix)| match (ix, &self.dense[j]) {
                (Ok(idx), _) => Leaves {
                    idx,
                    d: &self.dtabs[self.table_of[j]],
                },
                (Err(_), Some(d)) => Leaves {
                    idx: (0..d.len() as u32).collect(),
                    d,
                },
                (Err(_), None) => {
                    unreachable!("dense leaves exist for every unindexed instance")
                }
            })
            .collect()
    }
}

/// The fraction trees of every instance (with their lanes forms where wide).
pub(super) struct Witness<'a> {
    simd: Option<crate::simd::Ifma>,
    wide_leaves: Vec<Option<wide::WideLeaves<'a>>>,
    trees: Vec<Tree>,
}

impl<'a> Witness<'a> {
    /// Builds every instance's fraction tree (in lanes for wide instances when the CPU
    /// allows). Cost: [`Tree::new`] per instance, instances in parallel.
    pub(super) fn new(lay: &Layout, leaves: &'a [Leaves<'a>]) -> Self {
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
        Self {
            simd,
            wide_leaves,
            trees,
        }
    }

    /// The root `(p, q)` of every instance's tree.
    pub(super) fn roots(&self) -> Vec<[F; 2]> {
        self.trees.iter().map(|t| t.levels[0][0]).collect()
    }

    /// Runs the witness-side GKR's layers `l = 0 … max_vars − 1`: for each, builds the
    /// active instances' layer tables (reusing scratch buffers across layers) and hands
    /// them, with the instances' tree layer `l`, to `layer(l, active, tabs, t0s)`, which
    /// proves the layer and returns the tables (for their buffers). Cost: the buffers;
    /// the work is `layer`'s.
    pub(super) fn run_layers<'w, L>(&'w self, lay: &Layout, leaves: &'w [Leaves<'a>], mut layer: L)
    where
        L: FnMut(usize, &[usize], Vec<LayerTables<'w>>, &[&'w [[F; 2]]]) -> Vec<LayerTables<'w>>,
    {
        let n = self.trees.len();
        // Scratch for the bound tables of each instance's inner layers, reused.
        let mut scratch: Vec<[Vec<[F; 4]>; 2]> = (0..n).map(|_| Default::default()).collect();
        let mut wide_scratch: Vec<[Vec<wide::Block4>; 2]> =
            (0..n).map(|_| Default::default()).collect();
        for l in 0..lay.max_vars {
            let active: Vec<usize> = lay.active(l).collect();
            let tabs: Vec<LayerTables> = active
                .iter()
                .map(|&j| {
                    let tree = &self.trees[j];
                    let own = tree.wide_level(l);
                    // Scalar rounds of a wide layer have at most 4 pairs (8 bound entries).
                    let full = if l >= 2 { 1usize << (l - 1) } else { 0 };
                    let need = if own.is_some() { full.min(8) } else { full };
                    if lay.vars[j] == l + 1 {
                        let wide = match (own, &self.wide_leaves[j]) {
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
                        let wide = match (self.simd, own, tree.wide_level(l + 1)) {
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
            let t0s: Vec<&[[F; 2]]> = active
                .iter()
                .map(|&j| &self.trees[j].levels[l][..])
                .collect();
            let tabs = layer(l, &active, tabs, &t0s);
            for (&j, t) in active.iter().zip(tabs) {
                if let LayerTables::Inner { bufs, wide, .. } = t {
                    scratch[j] = bufs;
                    if let Some(w) = wide {
                        wide_scratch[j] = w.into_bufs();
                    }
                }
            }
        }
    }
}

/// The column evaluations of every instance at its leaf point (`points[k]` is the
/// point of layer `k`). Cost: one eq table per distinct leaf point and
/// [`column_evals`] per instance, in parallel.
pub(super) fn all_column_evals(
    lay: &Layout,
    lookups: &[LookupInstance],
    points: &[Vec<F>],
    leaves: &[Leaves],
    data: &LeafData,
) -> Vec<Vec<F>> {
    let mut eqs: Vec<Option<Vec<F>>> = vec![None; lay.max_vars + 1];
    for &k in &lay.vars {
        if eqs[k].is_none() {
            eqs[k] = Some(eq_table(&points[k]));
        }
    }
    lookups
        .par_iter()
        .enumerate()
        .map(|(j, l)| {
            let eq = eqs[lay.vars[j]].as_deref().expect("eq table built above");
            let idx = data.dense[j].is_none().then_some(&leaves[j].idx[..]);
            column_evals(l, idx, eq)
        })
        .collect()
}

/// Per table, `g(t) = 1/(β − T(t))`, the multiplicities as field elements and the
/// sum `S = Σ_t m_t·g(t)`; `Error::Invalid` if `β` hits a table value.
/// Cost: one batch inversion per table and a multiplication per nonzero count.
#[allow(clippy::type_complexity)]
pub(super) fn table_side_values(
    values: &[Vec<F>],
    counts: &[Vec<u64>],
    beta: F,
) -> crate::Result<(Vec<Vec<F>>, Vec<Vec<F>>, Vec<F>)> {
    let gs = values
        .iter()
        .map(|v| inverse_differences(v, beta))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| Error::Invalid("β equals a table value; retry".into()))?;
    let ms: Vec<Vec<F>> = counts.iter().map(|c| counts_as_fields(c)).collect();
    let sums: Vec<F> = ms
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
    Ok((gs, ms, sums))
}

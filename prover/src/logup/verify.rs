//! The LogUp verifier ([`verify`]).

use super::*;
use crate::eq::eq_eval;
use crate::error::{ensure, Check, Committed, Error, Step};
use crate::field::F;
use crate::hyrax::{verify_opening, HyraxKey};
use crate::labels;
use crate::transcript::Transcript;
use ark_ff::{AdditiveGroup, Field, Zero};

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
    absorb_multiplicities(&lay, &proof.multiplicity_commitments, transcript)?;
    let gamma = transcript.challenge(labels::LOGUP_GAMMA);
    let beta = transcript.challenge(labels::LOGUP_BETA);
    let flat_roots: Vec<F> = proof.roots.iter().flatten().copied().collect();
    transcript.append_fields(labels::LOGUP_ROOTS, &flat_roots);
    transcript.append_fields(labels::LOGUP_TABLE_SUMS, &proof.table_sums);

    // The LogUp identity per table, cross-multiplied.
    for (k, &s) in proof.table_sums.iter().enumerate() {
        let (mut num, mut den) = (F::ZERO, F::ONE);
        for j in (0..shapes.len()).filter(|&j| lay.table_of[j] == k) {
            let [p, q] = proof.roots[j];
            ensure(!q.is_zero(), Check::LogupZeroDenominator { instance: j })?;
            num = num * q + p * den;
            den *= q;
        }
        ensure(num == s * den, Check::LogupRoot { table: k })?;
    }

    // Witness-side GKR.
    let mut claims_all: Vec<[F; 2]> = proof.roots.clone();
    let mut point: Vec<F> = Vec::new();
    let mut points: Vec<Vec<F>> = vec![Vec::new()];
    for (l, layer) in proof.layers.iter().enumerate() {
        let lambda = transcript.challenge(labels::LOGUP_LAYER_LAMBDA);
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
        let step = Step::LogupLayer { layer: l };
        let (rs, fin) = crate::sumcheck::verify(claim, l, 3, &layer.sumcheck, transcript)
            .map_err(|e| e.in_step(step))?;
        ensure(
            fin == eq_eval(&point, &rs) * expect,
            Check::SumcheckFinal { step },
        )?;
        let flat: Vec<F> = layer.children.iter().flatten().copied().collect();
        transcript.append_fields(labels::LOGUP_LAYER_CHILDREN, &flat);
        let mu = transcript.challenge(labels::LOGUP_LAYER_MU);
        for (&j, ch) in active.iter().zip(&layer.children) {
            claims_all[j] = [ch[0] + mu * (ch[1] - ch[0]), ch[2] + mu * (ch[3] - ch[2])];
        }
        point = std::iter::once(mu).chain(rs).collect();
        points.push(point.clone());
    }
    let flat: Vec<F> = proof.column_evals.iter().flatten().copied().collect();
    transcript.append_fields(labels::LOGUP_COLUMN_EVALS, &flat);
    for (j, evals) in proof.column_evals.iter().enumerate() {
        let [p, q] = claims_all[j];
        ensure(p == F::ONE, Check::LogupLeafNumerator { instance: j })?;
        ensure(
            q == beta - fold_columns(evals, gamma),
            Check::LogupLeafDenominator { instance: j },
        )?;
    }

    // Table side.
    for (k, t) in lay.tables.iter().enumerate() {
        let step = Step::LogupTable { table: k };
        let (r, fin) = crate::sumcheck::verify(
            proof.table_sums[k],
            t.num_vars(),
            2,
            &proof.table_sumchecks[k],
            transcript,
        )
        .map_err(|e| e.in_step(step))?;
        let opening = &proof.multiplicity_openings[k];
        transcript.append_fields(labels::LOGUP_MULTIPLICITY_OPENING, opening);
        let m = verify_opening(key, &proof.multiplicity_commitments[k], &r, opening)
            .map_err(|e| e.opening_of(Committed::Multiplicities { table: k }))?;
        let g = table_g_eval(t, gamma, beta, &r)?;
        ensure(fin == m * g, Check::SumcheckFinal { step })?;
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
pub(super) fn check_dimensions(lay: &Layout, proof: &LogupProof) -> crate::Result<()> {
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

/// Checks that each table's multiplicity commitment has the table's grid and absorbs
/// them in order: the step both verifiers (public and zero-knowledge) take before
/// drawing `γ, β`. Cost: one point absorption per row commitment.
pub(super) fn absorb_multiplicities(
    lay: &Layout,
    commitments: &[crate::hyrax::HyraxCommitment],
    transcript: &mut Transcript,
) -> crate::Result<()> {
    for (k, (c, t)) in commitments.iter().zip(&lay.tables).enumerate() {
        ensure(
            (c.row_vars, c.col_vars) == t.grid(),
            Check::CommitmentShape {
                what: Committed::Multiplicities { table: k },
            },
        )?;
        c.absorb(transcript);
    }
    Ok(())
}

//! The linear-layer reduction step, written once for the single-layer proof
//! ([`crate::linear`]) and every layer of the MLP proof ([`crate::mlp`]).
//!
//! Statement: `claim = Σ_i e_i·Σ_b eq(r_b, b)·(W·X_b)_i` for public row weights `e`
//! (e.g. `eq(r, ·)`) and batch point `r_b`. Since that equals `Σ_j u(j)·x̂(j)` with
//! `u = Wᵀ·e` and `x̂ = Σ_b eq(r_b, b)·X_b`, a degree-2 sumcheck reduces it to
//! `u`'s and `x̂`'s values at a point `r'`. The prover sends `u` itself as the Hyrax
//! opening of the weight commitment combined with `e` (the grid rows are the matrix
//! rows), so the verifier reads `W̃(e, r') = ⟨u, eq(r')⟩` after checking `u` against
//! the commitment, and needs only `x̂(r')` (computed or claimed) to check the end.

use crate::accumulate::{limbs, LazySums};
use crate::eq::eq_table;
use crate::error::{ensure, Check, Step};
use crate::field::{from_i64, log2_ceil, F};
use crate::matrix::LinearBackend;
use crate::sumcheck::{self, prove_terms, SumcheckProof, Term};
use crate::transcript::Transcript;
use ark_ff::{AdditiveGroup, Field};
use rayon::prelude::*;

/// What the prover's step sends and leaves: the sumcheck, the opening vector `u`, the
/// point `r'` and `x̂(r')`.
#[derive(Clone, Debug)]
pub struct StepOutput {
    /// Degree-2 sumcheck over the `log2_ceil(n_in)` column variables.
    pub sumcheck: SumcheckProof,
    /// `u = Wᵀ·e`, the Hyrax opening vector (length `2^⌈log n_in⌉`).
    pub opening: Vec<F>,
    /// The sumcheck point `r'`.
    pub point: Vec<F>,
    /// `x̂(r') = X̃(r_b, r')`, the claim left on the input.
    pub input_eval: F,
}

/// Proves one linear step for matrix `m`, row weights `e` (length `2^⌈log n_out⌉`),
/// the `batch` inputs `xs` (back to back) and batch point `r_b`; the claim must already
/// be bound to `t`. Cost: `nnz` field additions for `u` (ternary), `O(B·n_in)`
/// short multiply-adds for `x̂` (in parallel with `u`) and `O(n_in)` multiplications
/// for the sumcheck.
pub fn prove_step<M: LinearBackend + ?Sized>(
    m: &M,
    e: &[F],
    xs: &[i32],
    r_b: &[F],
    t: &mut Transcript,
) -> StepOutput {
    let (u, x_hat) = step_tables(m, e, xs, r_b);
    let out = prove_terms(
        vec![u.clone(), x_hat],
        &[Term {
            coeff: F::ONE,
            factors: vec![0, 1],
        }],
        t,
    );
    StepOutput {
        sumcheck: out.proof,
        opening: u,
        point: out.point,
        input_eval: out.evals[1],
    }
}

/// The step's two tables: `u = Wᵀ·e` and `x̂ = Σ_b eq(r_b, b)·X_b` (zero-padded to
/// `2^⌈log n_in⌉`), built in parallel. Cost: `nnz` field additions (ternary) and
/// `O(B·n_in)` short multiply-adds.
pub fn step_tables<M: LinearBackend + ?Sized>(
    m: &M,
    e: &[F],
    xs: &[i32],
    r_b: &[F],
) -> (Vec<F>, Vec<F>) {
    let padded = 1 << log2_ceil(m.n_in());
    rayon::join(
        || m.bind_rows(e),
        || combine_batch(xs, m.n_in(), padded, &eq_table(r_b)),
    )
}

/// Verifies one linear step for `claim` over `col_vars` column variables: the sumcheck,
/// then `absorb` (the caller's messages after it, e.g. the opening), then checks the
/// final claim against `weight_eval(r')` (which must check the opening against the
/// commitment and return `W̃(e, r')`) times `input_eval(r')` (`X̃(r_b, r')`, computed
/// or claimed). Returns `r'`. Cost: O(col_vars) plus the two callbacks.
pub fn verify_step(
    claim: F,
    col_vars: usize,
    proof: &SumcheckProof,
    t: &mut Transcript,
    absorb: impl FnOnce(&mut Transcript),
    weight_eval: impl FnOnce(&[F]) -> crate::Result<F>,
    input_eval: impl FnOnce(&[F]) -> crate::Result<F>,
) -> crate::Result<Vec<F>> {
    let (r1, fin) = sumcheck::verify(claim, col_vars, 2, proof, t)?;
    absorb(t);
    let w = weight_eval(&r1)?;
    let x = input_eval(&r1)?;
    ensure(
        fin == w * x,
        Check::SumcheckFinal {
            step: Step::Unnamed,
        },
    )?;
    Ok(r1)
}

/// `Σ_b eq_b[b]·V_b` for `batch` vectors of length `len` stored back to back,
/// zero-padded to `padded`. Cost: `batch·len` small-integer multiply-adds into
/// unreduced sums (no Montgomery multiplication), one reduction per entry.
pub fn combine_batch(vs: &[i32], len: usize, padded: usize, eq_b: &[F]) -> Vec<F> {
    let mut out = vec![F::ZERO; padded];
    if eq_b.len() == 1 {
        out[..len]
            .par_iter_mut()
            .zip(vs.par_iter())
            .for_each(|(o, &v)| *o = from_i64(v as i64));
        return out;
    }
    let batch = vs.len() / len;
    let pos: Vec<[u64; 4]> = eq_b.iter().map(limbs).collect();
    let neg: Vec<[u64; 4]> = eq_b.iter().map(|e| limbs(&-*e)).collect();
    const CHUNK: usize = 512;
    out[..len]
        .par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(c, chunk)| {
            let mut acc = LazySums::zeros(chunk.len());
            for b in 0..batch {
                let row = &vs[b * len + c * CHUNK..][..chunk.len()];
                for (k, &v) in row.iter().enumerate() {
                    if v > 0 {
                        acc.add_scaled(k, &pos[b], v as u32);
                    } else if v < 0 {
                        acc.add_scaled(k, &neg[b], v.unsigned_abs());
                    }
                }
            }
            chunk.copy_from_slice(&acc.reduce());
        });
    out
}

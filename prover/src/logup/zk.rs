//! Zero-knowledge LogUp (issue 14): the batched lookup argument of [`super::prove`]
//! with nothing about the witness in the clear.
//!
//! The protocol is the public one (fraction trees proven layer by layer, a table-side
//! sumcheck per table, the LogUp identity at the roots) with every witness-dependent
//! value kept inside a hiding Pedersen commitment ([`crate::pedersen`]):
//!
//! - the multiplicities: a hiding Hyrax commitment (fresh row blindings), opened only
//!   by a zero-knowledge evaluation proof ([`crate::hiding_hyrax`]);
//! - the roots `(P_j, Q_j)` and the table sums `S_k`: committed; the identity
//!   `Σ_j P_j/Q_j = S_k` is proven cross-multiplied along a chain
//!   (`N ← N·Q + P·D`, `D ← D·Q`) with product proofs ([`ProductProof`]), ending in
//!   `N = S·D`, and `D ≠ 0` by a committed inverse (`D·D⁻¹ = 1`);
//! - each GKR layer: a masked sumcheck ([`crate::masked_sumcheck`], round polynomials
//!   of `f + ρ·g` in the clear) whose sum is the homomorphic combination of the
//!   committed claims; the children `A, B, C, D` are committed, their weighted sum of
//!   products `Z = eq·Σ w_j(A·D + C·(B + λ·D))` committed once and proven by one
//!   [`SumProductProof`] over the children, and the final value (`Z`, plus the leaf
//!   instances' linear part) tied to the rounds by the masked closing proof. The next
//!   claims `A + μ(B − A)`, `C + μ(D − C)` are again homomorphic. At a leaf layer
//!   `A = B = 1` are public, so the leaf numerators are 1 by construction;
//! - the column evaluations: columns `1, 2` committed, column 0 *derived*
//!   (`E₀ = β·g − Q − γ·E₁ − γ²·E₂`), which is the leaf-denominator check at no cost;
//! - the table side: a masked sumcheck for `S = Σ_t m_t·g(t)`, closed by
//!   `g̃(r)·Com(m̃(r))` with `m̃(r)` proven against the multiplicity commitment.
//!
//! The returned claims are commitments to the columns' evaluations; the caller proves
//! them against its (hiding) column commitments. Extra cost over the public argument:
//! per sumcheck one mask commitment and one closing inner-product proof (length
//! `(d+1)·rounds`), per active instance and layer four children and their four
//! opening messages, per layer `Z` and one relation message, per table a few product
//! proofs and a Hyrax evaluation proof — a number of
//! group operations independent of the witness length (besides the multiplicity
//! commitment's row blindings, one per grid row).

use super::*;
use crate::deferred::Deferred;
use crate::dot_product::DotProductProof;
use crate::eq::{eq_eval, eq_table};
use crate::error::{Check, Committed as What, Error, Step};
use crate::field::{inner_product, GAffine, F};
use crate::hiding_hyrax::{defer_evaluation_width, hide, prove_evaluation, HidingCommitment};
use crate::hyrax::{HyraxCommitment, HyraxKey};
use crate::labels;
use crate::masked_sumcheck::{
    self, MaskKey, MaskedClaims, MaskedProverOutput, MaskedSumcheckProof,
};
use crate::pedersen::{combine_points, BlindingKey, Committed};
use crate::sigma::{EqualityProof, ProductProof};
use crate::small_commit::{commit_counts, open_counts};
use crate::sum_product::{sum_of_products, SumProductProof, Term};
use crate::sumcheck::RoundOracle;
use crate::transcript::Transcript;
use ark_ff::{Field, One};
use ark_std::rand::{CryptoRng, RngCore};

/// One zero-knowledge sumcheck: masked rounds and their closing proof, or, for a
/// sumcheck of no variables, a proof that the committed sum and final value are equal.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // the masked variant is the common one
pub enum ZkSumcheck {
    /// At least one variable: masked rounds ([`masked_sumcheck::prove`]) and the
    /// closing inner-product proof ([`masked_sumcheck::close`]).
    Masked {
        /// The mask commitment, masked sum and round polynomials.
        rounds: MaskedSumcheckProof,
        /// The proof tying the committed sum and final value to the rounds.
        closing: DotProductProof,
    },
    /// No variables: the sum is the final value.
    Empty(EqualityProof),
}

/// The committed LogUp identity of one table: `Σ_j P_j/Q_j = S`, cross-multiplied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZkRootProof {
    /// For each instance after the first: commitments to `N·Q`, `P·D` and `D·Q`.
    pub steps: Vec<[GAffine; 3]>,
    /// Their product proofs.
    pub step_proofs: Vec<[ProductProof; 3]>,
    /// Commitment to `1/D`.
    pub inverse: GAffine,
    /// `D·(1/D) = 1`: no root denominator is zero.
    pub nonzero: ProductProof,
    /// `N = S·D`.
    pub identity: ProductProof,
}

/// One witness-side GKR layer in zero knowledge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZkLayerProof {
    /// The layer's sumcheck.
    pub sumcheck: ZkSumcheck,
    /// Per active instance, its committed children `A, B, C, D` (leaf layer: `C, D`).
    pub children: Vec<Vec<GAffine>>,
    /// Committed `Z = e·Σ_j w_j·(A·D + C·(B + λ·D))` over the inner instances plus
    /// `e·Σ_j w_j·λ·C·D` over the leaf ones ([`layer_terms`]).
    pub product: GAffine,
    /// Its proof over the children ([`SumProductProof`]).
    pub product_proof: SumProductProof,
}

/// A zero-knowledge batched LogUp proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZkLogupProof {
    /// Hiding Hyrax commitment to each distinct table's multiplicities.
    pub multiplicity_commitments: Vec<HyraxCommitment>,
    /// Committed root `(P, Q)` of each instance (`P = g`, the constant 1, for an
    /// instance of one entry).
    pub roots: Vec<[GAffine; 2]>,
    /// Committed `S_k` of each distinct table.
    pub table_sums: Vec<GAffine>,
    /// The LogUp identity of each distinct table.
    pub root_proofs: Vec<ZkRootProof>,
    /// Witness-side GKR layers `0 … max_vars − 1`.
    pub layers: Vec<ZkLayerProof>,
    /// Each instance's committed evaluations of its columns `1, 2` (column 0 derived).
    pub column_evals: Vec<Vec<GAffine>>,
    /// Table-side sumchecks, one per distinct table.
    pub table_sumchecks: Vec<ZkSumcheck>,
    /// Committed `m̃(r)` of each table at its sumcheck point.
    pub multiplicity_evals: Vec<GAffine>,
    /// Zero-knowledge evaluation proofs of those against the multiplicity commitments.
    pub multiplicity_proofs: Vec<DotProductProof>,
}

/// What the zero-knowledge argument leaves on one instance: its leaf point and its
/// columns' evaluations there, committed (`C = Committed` for the prover, who holds
/// the openings; `C = GAffine` for the verifier).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZkLookupClaim<C> {
    /// The instance's leaf point.
    pub point: Vec<F>,
    /// Commitments to the columns' multilinear extensions at `point`.
    pub evals: Vec<C>,
}

/// Proves that every row of every instance lies in its table, in zero knowledge.
/// As with [`super::prove`], the caller must have absorbed (hiding) commitments to the
/// columns before, and must prove the returned committed evaluations against them.
/// `Error::Invalid` if a row is not in its table, if the keys are too small, or (with
/// negligible probability) if `β` hits a table or witness value.
/// Cost: the public prover's passes plus the group work listed in the module docs.
pub fn prove<R: RngCore + CryptoRng>(
    lookups: &[LookupInstance],
    key: &HyraxKey,
    zk: &MaskKey,
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<(ZkLogupProof, Vec<ZkLookupClaim<Committed>>)> {
    let lay = check_instances(lookups)?;
    let indices = leaf_indices(&lay, lookups);
    let counts = counts_from_indices(&lay, lookups, &indices)?;
    prove_inner(&lay, lookups, indices, counts, key, zk, t, rng)
}

/// A cheating prover for soundness tests: proves `lookups` (which may hold rows outside
/// their tables) with the multiplicities of the repaired copy `counted`.
#[cfg(test)]
pub(crate) fn prove_with_counts_of<R: RngCore + CryptoRng>(
    lookups: &[LookupInstance],
    counted: &[LookupInstance],
    key: &HyraxKey,
    zk: &MaskKey,
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<(ZkLogupProof, Vec<ZkLookupClaim<Committed>>)> {
    let lay = check_instances(lookups)?;
    let counts = multiplicities_for(&lay, counted)?;
    let indices = leaf_indices(&lay, lookups);
    prove_inner(&lay, lookups, indices, counts, key, zk, t, rng)
}

/// The weights `1, λ², λ⁴, …` of the active instances of a layer.
fn layer_weights(lambda: F, n: usize) -> Vec<F> {
    let l2 = lambda.square();
    std::iter::successors(Some(F::one()), |w| Some(*w * l2))
        .take(n)
        .collect()
}

/// A commitment the verifier has not formed yet: a linear combination of points of
/// the proof (a claim `X + μ·(Y − X)` is only ever needed inside the next layer's
/// combined claim, so forming it alone would cost a small MSM for nothing).
type Lazy = Vec<(F, GAffine)>;

/// The point `p` itself, as a [`Lazy`] combination.
fn lazy(p: GAffine) -> Lazy {
    vec![(F::one(), p)]
}

/// The committed claim a layer's sumcheck starts from: `Σ_k w_k·(P_j + λ·Q_j)` over the
/// active instances `j` (weights `w_k = λ^{2k}`), formed homomorphically from their
/// committed `(P_j, Q_j)`. Returns the weights and the combined commitment. Cost: one
/// MSM over the claims' terms.
fn layer_claim(lambda: F, active: &[usize], claims: &[[Lazy; 2]]) -> (Vec<F>, GAffine) {
    let weights = layer_weights(lambda, active.len());
    let terms: Vec<(F, GAffine)> = active
        .iter()
        .zip(&weights)
        .flat_map(|(&j, &w)| {
            let p = claims[j][0].iter().map(move |(c, x)| (w * c, *x));
            let q = claims[j][1].iter().map(move |(c, x)| (w * lambda * c, *x));
            p.chain(q)
        })
        .collect();
    (weights, combine_points(&terms))
}

/// The next claims of an instance after a layer: `A + μ·(B − A)`, `C + μ·(D − C)`
/// (at its leaf layer `P = 1`, the point `g`).
fn next_claims(children: &[GAffine], mu: F, g: GAffine) -> [Lazy; 2] {
    let lerp = |x: GAffine, y: GAffine| vec![(F::one() - mu, x), (mu, y)];
    match children {
        [a, b, cc, d] => [lerp(*a, *b), lerp(*cc, *d)],
        [cc, d] => [lazy(g), lerp(*cc, *d)],
        _ => unreachable!("dimensions checked"),
    }
}

/// The column-0 evaluation `β·g − Q − γ·E₁ − γ²·E₂` of an instance whose final
/// denominator claim is `q` and committed columns `rest`.
fn column_zero(beta: F, g: GAffine, q: &Lazy, rest: &[GAffine], gamma: F) -> GAffine {
    let gp = gamma_powers(gamma);
    let mut terms = vec![(beta, g)];
    terms.extend(q.iter().map(|(c, x)| (-*c, *x)));
    terms.extend(rest.iter().zip(&gp[1..]).map(|(e, g)| (-*g, *e)));
    combine_points(&terms)
}

/// The masked rounds of a sumcheck over `oracle` with sum `sum` (none for an oracle of
/// no variables). Returns the prover's output and the challenges.
pub(crate) fn zk_rounds<O: RoundOracle + ?Sized, R: RngCore + CryptoRng>(
    zk: &MaskKey,
    oracle: &mut O,
    sum: F,
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<(Option<MaskedProverOutput>, Vec<F>)> {
    if oracle.num_vars() == 0 {
        return Ok((None, Vec::new()));
    }
    let out = masked_sumcheck::prove(zk, oracle, sum, t, rng)?;
    let point = out.claims.point.clone();
    Ok((Some(out), point))
}

/// Closes a sumcheck run by [`zk_rounds`] against the committed sum and final value.
pub(crate) fn zk_close<R: RngCore + CryptoRng>(
    zk: &MaskKey,
    out: Option<MaskedProverOutput>,
    sum: &Committed,
    fin: &Committed,
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<ZkSumcheck> {
    Ok(match out {
        None => ZkSumcheck::Empty(EqualityProof::prove(&zk.blinding, sum, fin, t, rng)),
        Some(mut out) => {
            let closing = masked_sumcheck::close(zk, &mut out, sum, fin, t, rng)?;
            ZkSumcheck::Masked {
                rounds: out.proof,
                closing,
            }
        }
    })
}

/// The verifier's side of [`zk_rounds`]: checks the rounds of a sumcheck of `k`
/// variables and degree `d`; returns the public claims and the point.
pub(crate) fn verify_zk_rounds(
    proof: &ZkSumcheck,
    k: usize,
    d: usize,
    step: Step,
    t: &mut Transcript,
) -> crate::Result<(Option<MaskedClaims>, Vec<F>)> {
    match (proof, k) {
        (ZkSumcheck::Empty(_), 0) => Ok((None, Vec::new())),
        (ZkSumcheck::Masked { rounds, .. }, k) if k > 0 => {
            let claims = masked_sumcheck::verify(rounds, k, d, t).map_err(|e| e.in_step(step))?;
            let point = claims.point.clone();
            Ok((Some(claims), point))
        }
        _ => Err(Error::Malformed(format!(
            "{step}: zero-knowledge sumcheck of the wrong kind"
        ))),
    }
}

/// The verifier's side of [`zk_close`]: an equality proof is checked at once, a masked
/// closing's relations go to `acc`. A failure is the step's final check.
#[allow(clippy::too_many_arguments)]
pub(crate) fn verify_zk_close<'g>(
    zk: &'g MaskKey,
    proof: &ZkSumcheck,
    claims: Option<&MaskedClaims>,
    d: usize,
    sum: GAffine,
    fin: GAffine,
    step: Step,
    t: &mut Transcript,
    acc: &mut Deferred<'g>,
) -> crate::Result<()> {
    let final_check = Error::Rejected(Check::SumcheckFinal { step });
    match (proof, claims) {
        (ZkSumcheck::Empty(eq), None) => {
            eq.verify(&zk.blinding, sum, fin, t).map_err(|e| match e {
                Error::Rejected(_) => final_check,
                e => e,
            })
        }
        (ZkSumcheck::Masked { rounds, closing }, Some(c)) => {
            masked_sumcheck::defer_close(zk, rounds, c, d, (sum, fin), closing, t, acc, &|_| {
                final_check.clone()
            })
        }
        _ => unreachable!("kinds matched by verify_zk_rounds"),
    }
}

/// Proves one table's identity `Σ_j P_j/Q_j = S` over its instances' committed roots.
fn prove_roots<R: RngCore + CryptoRng>(
    bk: &BlindingKey,
    roots: &[&[Committed; 2]],
    s: &Committed,
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<ZkRootProof> {
    let [mut n, mut d] = *roots[0];
    let (mut steps, mut step_proofs) = (Vec::new(), Vec::new());
    for r in &roots[1..] {
        let [p, q] = **r;
        let nq = Committed::new(bk, n.value * q.value, rng);
        let pd = Committed::new(bk, p.value * d.value, rng);
        let dq = Committed::new(bk, d.value * q.value, rng);
        t.append_points(labels::ZK_LOGUP_ROOT_CHAIN, &[nq.point, pd.point, dq.point]);
        step_proofs.push([
            ProductProof::prove(bk, &n, &q, &nq, t, rng),
            ProductProof::prove(bk, &p, &d, &pd, t, rng),
            ProductProof::prove(bk, &d, &q, &dq, t, rng),
        ]);
        steps.push([nq.point, pd.point, dq.point]);
        n = Committed::combine(bk, &[(F::one(), &nq), (F::one(), &pd)]);
        d = dq;
    }
    let inv = d
        .value
        .inverse()
        .ok_or_else(|| Error::Invalid("a LogUp root denominator is zero; retry".into()))?;
    let inv = Committed::new(bk, inv, rng);
    t.append_points(labels::ZK_LOGUP_INVERSE, &[inv.point]);
    let one = Committed::constant(bk, F::one());
    let nonzero = ProductProof::prove(bk, &d, &inv, &one, t, rng);
    let identity = ProductProof::prove(bk, s, &d, &n, t, rng);
    Ok(ZkRootProof {
        steps,
        step_proofs,
        inverse: inv.point,
        nonzero,
        identity,
    })
}

/// Checks [`prove_roots`]'s proof for table `k` whose instances are `members`.
#[allow(clippy::too_many_arguments)]
fn verify_roots(
    bk: &BlindingKey,
    roots: &[[GAffine; 2]],
    members: &[usize],
    s: GAffine,
    proof: &ZkRootProof,
    k: usize,
    acc: &mut Deferred<'_>,
    t: &mut Transcript,
) -> crate::Result<()> {
    let root_err = |e: Error| match e {
        Error::Rejected(_) => Error::Rejected(Check::LogupRoot { table: k }),
        e => e,
    };
    let [mut n, mut d] = roots[members[0]];
    // The chain's product proofs go to the batch, checked at the end of the LogUp proof.
    for ((&j, step), step_proofs) in members[1..]
        .iter()
        .zip(&proof.steps)
        .zip(&proof.step_proofs)
    {
        let [p, q] = roots[j];
        let [nq, pd, dq] = *step;
        t.append_points(labels::ZK_LOGUP_ROOT_CHAIN, step);
        for (s, pr) in [(n, q, nq), (p, d, pd), (d, q, dq)]
            .into_iter()
            .zip(step_proofs)
        {
            pr.defer(
                s,
                t,
                acc,
                Some(&Error::Rejected(Check::LogupRoot { table: k })),
            );
        }
        n = combine_points(&[(F::one(), nq), (F::one(), pd)]);
        d = dq;
    }
    t.append_points(labels::ZK_LOGUP_INVERSE, &[proof.inverse]);
    proof
        .nonzero
        .verify(bk, d, proof.inverse, bk.g, t)
        .map_err(|e| match e {
            Error::Rejected(_) => Error::Rejected(Check::LogupZeroDenominator {
                instance: members[0],
            }),
            e => e,
        })?;
    proof.identity.verify(bk, s, d, n, t).map_err(root_err)
}

/// The instances of each distinct table, in order.
fn members_of(lay: &Layout) -> Vec<Vec<usize>> {
    (0..lay.tables.len())
        .map(|k| {
            (0..lay.shapes.len())
                .filter(|&j| lay.table_of[j] == k)
                .collect()
        })
        .collect()
}

/// `γ^c` for `c = 0, 1, 2`.
fn gamma_powers(gamma: F) -> [F; 3] {
    [F::one(), gamma, gamma.square()]
}

#[allow(clippy::too_many_arguments)]
fn prove_inner<R: RngCore + CryptoRng>(
    lay: &Layout,
    lookups: &[LookupInstance],
    indices: Vec<Result<Vec<u32>, usize>>,
    counts: Vec<Vec<u64>>,
    key: &HyraxKey,
    zk: &MaskKey,
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<(ZkLogupProof, Vec<ZkLookupClaim<Committed>>)> {
    let bk = &zk.blinding;
    lay.absorb(t);
    t.append_bytes(labels::ZK_LOGUP, b"hiding");
    // 1. Hiding commitments to the multiplicities, then γ and β.
    let mults: Vec<HidingCommitment> = lay
        .tables
        .iter()
        .zip(&counts)
        .map(|(tb, c)| {
            let (rv, cv) = tb.grid();
            Ok(hide(commit_counts(key, c, rv, cv)?, bk, rng))
        })
        .collect::<crate::Result<_>>()?;
    for m in &mults {
        m.commitment.absorb(t);
    }
    let gamma = t.challenge(labels::LOGUP_GAMMA);
    let beta = t.challenge(labels::LOGUP_BETA);
    let values: Vec<Vec<F>> = lay
        .tables
        .iter()
        .map(|tb| tb.folded_values(gamma))
        .collect();

    // 2. Leaves, trees, table-side values (as the public prover).
    let data = LeafData::new(lay, lookups, &indices, &values, gamma, beta);
    let leaves = data.leaves(indices);
    let wit = Witness::new(lay, &leaves);
    let (gs, ms, sums) = table_side_values(&values, &counts, beta)?;

    // 3. Committed roots and table sums; the LogUp identity per table.
    let one = Committed::constant(bk, F::one());
    let roots: Vec<[Committed; 2]> = wit
        .roots()
        .iter()
        .enumerate()
        .map(|(j, r)| {
            let p = if lay.vars[j] == 0 {
                one
            } else {
                Committed::new(bk, r[0], rng)
            };
            [p, Committed::new(bk, r[1], rng)]
        })
        .collect();
    let sum_c: Vec<Committed> = sums.iter().map(|&s| Committed::new(bk, s, rng)).collect();
    let flat: Vec<GAffine> = roots.iter().flatten().map(|c| c.point).collect();
    t.append_points(labels::ZK_LOGUP_ROOTS, &flat);
    let sum_points: Vec<GAffine> = sum_c.iter().map(|c| c.point).collect();
    t.append_points(labels::ZK_LOGUP_TABLE_SUMS, &sum_points);
    let root_proofs = members_of(lay)
        .iter()
        .zip(&sum_c)
        .map(|(m, s)| {
            let rs: Vec<&[Committed; 2]> = m.iter().map(|&j| &roots[j]).collect();
            prove_roots(bk, &rs, s, t, rng)
        })
        .collect::<crate::Result<Vec<_>>>()?;

    // 4. Witness-side GKR with masked sumchecks and committed children.
    let mut claims_all = roots.clone();
    let mut point: Vec<F> = Vec::new();
    let mut points: Vec<Vec<F>> = vec![Vec::new()];
    let mut layers = Vec::with_capacity(lay.max_vars);
    let mut failed: Option<Error> = None;
    wit.run_layers(lay, &leaves, |l, active, tabs, t0s| {
        if failed.is_some() {
            return tabs;
        }
        let lambda = t.challenge(labels::LOGUP_LAYER_LAMBDA);
        let weights = layer_weights(lambda, active.len());
        let terms: Vec<(F, &Committed)> = active
            .iter()
            .zip(&weights)
            .flat_map(|(&j, &w)| [(w, &claims_all[j][0]), (w * lambda, &claims_all[j][1])])
            .collect();
        let sum = Committed::combine(bk, &terms);
        let claims: Vec<[F; 2]> = active
            .iter()
            .map(|&j| [claims_all[j][0].value, claims_all[j][1].value])
            .collect();
        let (rounds, children, tabs) =
            run_layer(
                tabs,
                t0s,
                l,
                &point,
                &claims,
                lambda,
                |o, c| match zk_rounds(zk, o, c, t, rng) {
                    Ok((out, rs)) => (Ok(out), rs),
                    Err(e) => (Err(e), Vec::new()),
                },
            );
        let out = match rounds {
            Ok(out) => out,
            Err(e) => {
                failed = Some(e);
                return tabs;
            }
        };
        let rs = out
            .as_ref()
            .map(|o| o.claims.point.clone())
            .unwrap_or_default();
        match prove_layer_rest(
            zk, lay, l, active, &children, &weights, lambda, &point, &rs, out, &sum, t, rng,
        ) {
            Ok((proof, next)) => {
                let mu = t.challenge(labels::LOGUP_LAYER_MU);
                // The next claims `X + μ·(Y − X)`, recommitted together.
                let lerps: Vec<Vec<(F, &Committed)>> = next
                    .iter()
                    .flat_map(|(ab, [c, d])| {
                        let ab = ab.as_ref().map(|[a, b]| vec![(F::one() - mu, a), (mu, b)]);
                        ab.into_iter().chain([vec![(F::one() - mu, c), (mu, d)]])
                    })
                    .collect();
                let mut lerped = Committed::combine_many(bk, &lerps).into_iter();
                for (&j, (ab, _)) in active.iter().zip(&next) {
                    let p = match ab {
                        Some(_) => lerped.next().expect("one per pair"),
                        None => one,
                    };
                    claims_all[j] = [p, lerped.next().expect("one per pair")];
                }
                layers.push(proof);
                point = std::iter::once(mu).chain(rs).collect();
                points.push(point.clone());
            }
            Err(e) => failed = Some(e),
        }
        tabs
    });
    if let Some(e) = failed {
        return Err(e);
    }

    // 5. Column evaluations: columns 1, 2 committed, column 0 derived from the leaf
    //    denominator `Q = β − Σ_c γ^c·E_c`.
    let column_evals = all_column_evals(lay, lookups, &points, &leaves, &data);
    let gp = gamma_powers(gamma);
    let mut evals: Vec<Vec<Committed>> = Vec::with_capacity(lookups.len());
    for (j, ev) in column_evals.iter().enumerate() {
        let rest: Vec<Committed> = ev[1..]
            .iter()
            .map(|&v| Committed::new(bk, v, rng))
            .collect();
        let beta_c = Committed::constant(bk, beta);
        let mut terms = vec![(F::one(), &beta_c), (-F::one(), &claims_all[j][1])];
        terms.extend(rest.iter().zip(&gp[1..]).map(|(e, g)| (-*g, e)));
        let e0 = Committed::combine(bk, &terms);
        debug_assert_eq!(e0.value, ev[0], "leaf denominator and columns disagree");
        evals.push(std::iter::once(e0).chain(rest).collect());
    }
    let flat: Vec<GAffine> = evals
        .iter()
        .flat_map(|e| &e[1..])
        .map(|c| c.point)
        .collect();
    t.append_points(labels::ZK_LOGUP_COLUMN_EVALS, &flat);

    // 6. Table side: masked sumcheck, committed m̃(r) proven against its commitment.
    let mut table_sumchecks = Vec::with_capacity(lay.tables.len());
    let (mut m_evals, mut m_proofs) = (Vec::new(), Vec::new());
    for (k, (m, g)) in ms.into_iter().zip(gs).enumerate() {
        let tb = &lay.tables[k];
        let mut oracle = TableOracle::new(m, g);
        let (out, r) = zk_rounds(zk, &mut oracle, sums[k], t, rng)?;
        let (rv, cv) = tb.grid();
        let opening = open_counts(&counts[k], cv, &r[..rv]);
        let m_eval = Committed::new(bk, inner_product(&opening, &eq_table(&r[rv..])), rng);
        t.append_points(labels::ZK_LOGUP_MULTIPLICITY_EVAL, &[m_eval.point]);
        m_proofs.push(prove_evaluation(
            key, bk, &mults[k], &r, &opening, &m_eval, t, rng,
        )?);
        let g_r = table_g_eval(tb, gamma, beta, &r)?;
        let fin = Committed::combine(bk, &[(g_r, &m_eval)]);
        table_sumchecks.push(zk_close(zk, out, &sum_c[k], &fin, t, rng)?);
        m_evals.push(m_eval.point);
    }

    let claims = evals
        .iter()
        .enumerate()
        .map(|(j, e)| ZkLookupClaim {
            point: points[lay.vars[j]].clone(),
            evals: e.clone(),
        })
        .collect();
    Ok((
        ZkLogupProof {
            multiplicity_commitments: mults.into_iter().map(|m| m.commitment).collect(),
            roots: roots.iter().map(|r| [r[0].point, r[1].point]).collect(),
            table_sums: sum_points,
            root_proofs,
            layers,
            column_evals: evals
                .iter()
                .map(|e| e[1..].iter().map(|c| c.point).collect())
                .collect(),
            table_sumchecks,
            multiplicity_evals: m_evals,
            multiplicity_proofs: m_proofs,
        },
        claims,
    ))
}

/// The committed children of one active instance after a layer: `A, B` (absent at a
/// leaf layer, where both are the public 1) and `C, D`.
type Children = (Option<[Committed; 2]>, [Committed; 2]);

/// After a layer's rounds: commits the children, proves their products, forms the final
/// value homomorphically and closes the sumcheck. Returns the layer proof and, per
/// active instance, `[A, B, C, D]` (`A, B` as `None` at a leaf layer).
#[allow(clippy::too_many_arguments)]
fn prove_layer_rest<R: RngCore + CryptoRng>(
    zk: &MaskKey,
    lay: &Layout,
    l: usize,
    active: &[usize],
    children: &[[F; 4]],
    weights: &[F],
    lambda: F,
    point: &[F],
    rs: &[F],
    out: Option<MaskedProverOutput>,
    sum: &Committed,
    t: &mut Transcript,
    rng: &mut R,
) -> crate::Result<(ZkLayerProof, Vec<Children>)> {
    let bk = &zk.blinding;
    let values: Vec<&[F]> = active
        .iter()
        .zip(children)
        .map(|(&j, ch)| &ch[if lay.vars[j] == l + 1 { 2 } else { 0 }..])
        .collect();
    let com = regroup(
        Committed::new_many(bk, &values.concat(), rng),
        values.iter().map(|v| v.len()),
    );
    let flat: Vec<Committed> = com.iter().flatten().copied().collect();
    let points: Vec<GAffine> = flat.iter().map(|c| c.point).collect();
    t.append_points(labels::ZK_LOGUP_CHILDREN, &points);
    // The final value `e·Σ_j w_j·(A·D + B·C + λ·C·D)`: its products in one committed
    // sum `Z` with one proof, plus the leaf layers' linear part `C + D`.
    let e = eq_eval(point, rs);
    let sizes: Vec<usize> = com.iter().map(Vec::len).collect();
    let terms = layer_terms(&sizes, weights, e, lambda);
    let values: Vec<F> = flat.iter().map(|c| c.value).collect();
    let z = Committed::new(bk, sum_of_products(&values, &terms), rng);
    t.append_points(labels::ZK_LOGUP_PRODUCTS, &[z.point]);
    let product_proof = SumProductProof::prove(bk, &flat, &terms, &z, t, rng);
    let fin = Committed::combine(bk, &final_terms(&z, &com, weights, e));
    let sumcheck = zk_close(zk, out, sum, &fin, t, rng)?;
    let next = com
        .iter()
        .map(|c| match &c[..] {
            [a, b, cc, d] => (Some([*a, *b]), [*cc, *d]),
            [cc, d] => (None, [*cc, *d]),
            _ => unreachable!("two or four children"),
        })
        .collect();
    let proof = ZkLayerProof {
        sumcheck,
        children: com
            .iter()
            .map(|c| c.iter().map(|x| x.point).collect())
            .collect(),
        product: z.point,
        product_proof,
    };
    Ok((proof, next))
}

/// The products of a layer's final value over its children, flattened in order
/// (`sizes[i]` children for active instance `i`: four `A, B, C, D` inside the tree,
/// two `C, D` at its leaf layer): `e·w·A·D` and `e·w·C·(B + λ·D)` inside, `e·w·λ·C·D`
/// at a leaf (whose `A = B = 1` make the rest linear). Cost: O(#children).
fn layer_terms(sizes: &[usize], weights: &[F], e: F, lambda: F) -> Vec<Term> {
    let mut terms = Vec::with_capacity(2 * sizes.len());
    let mut o = 0;
    for (&n, &w) in sizes.iter().zip(weights) {
        let ew = e * w;
        if n == 4 {
            terms.push(Term {
                coeff: ew,
                x: o,
                y: vec![(F::one(), o + 3)],
            });
            terms.push(Term {
                coeff: ew,
                x: o + 2,
                y: vec![(F::one(), o + 1), (lambda, o + 3)],
            });
        } else {
            terms.push(Term {
                coeff: ew * lambda,
                x: o,
                y: vec![(F::one(), o + 1)],
            });
        }
        o += n;
    }
    terms
}

/// A layer's final value as a combination: `Z` (the committed sum of products,
/// [`layer_terms`]) plus, per leaf instance (children `C, D`, whose `A = B = 1` make
/// `A·D + B·C` linear), `e·w·(C + D)`. For the prover's openings and, through
/// [`final_point`], the verifier's and simulator's points. Cost: O(#instances).
fn final_terms<'a, T>(z: &'a T, children: &'a [Vec<T>], weights: &[F], e: F) -> Vec<(F, &'a T)> {
    let mut terms = vec![(F::one(), z)];
    for (c, &w) in children.iter().zip(weights) {
        if let [cc, d] = &c[..] {
            terms.extend([(e * w, cc), (e * w, d)]);
        }
    }
    terms
}

/// [`final_terms`] formed from the proof's points. Cost: one MSM over them.
fn final_point(z: GAffine, children: &[Vec<GAffine>], weights: &[F], e: F) -> GAffine {
    let terms: Vec<(F, GAffine)> = final_terms(&z, children, weights, e)
        .into_iter()
        .map(|(c, p)| (c, *p))
        .collect();
    combine_points(&terms)
}

/// Splits `flat` into consecutive groups of the given lengths (which sum to its length).
fn regroup<T>(flat: Vec<T>, lens: impl Iterator<Item = usize>) -> Vec<Vec<T>> {
    let mut it = flat.into_iter();
    lens.map(|n| it.by_ref().take(n).collect()).collect()
}

/// Verifies a zero-knowledge LogUp proof for `shapes` and returns the committed claims
/// on the instances' columns, which the caller must check against the columns'
/// commitments (absorbed into `t` before this call) with zero-knowledge evaluation
/// proofs. Checks: dimensions; the identity per table (product proofs); every layer's
/// masked rounds, product proofs and closing; the table side's masked rounds, the
/// multiplicity evaluation proof and closing. Cost: the public verifier's field work
/// (`O(|T|)` per table for `g̃`) plus the group work of the module docs.
pub fn verify(
    shapes: &[LookupShape],
    key: &HyraxKey,
    zk: &MaskKey,
    proof: &ZkLogupProof,
    t: &mut Transcript,
) -> crate::Result<Vec<ZkLookupClaim<GAffine>>> {
    let mut acc = Deferred::new();
    let claims = verify_into(shapes, key, zk, proof, t, &mut acc)?;
    acc.finish(&zk.blinding, t)?;
    Ok(claims)
}

/// [`verify`] with the relations of the product proofs, the closings and the
/// multiplicity evaluations added to `acc` instead of checked at once (the caller
/// finishes it).
pub(crate) fn verify_into<'g>(
    shapes: &[LookupShape],
    key: &'g HyraxKey,
    zk: &'g MaskKey,
    proof: &ZkLogupProof,
    t: &mut Transcript,
    acc: &mut Deferred<'g>,
) -> crate::Result<Vec<ZkLookupClaim<GAffine>>> {
    let bk = &zk.blinding;
    let lay = Layout::new(shapes)?;
    check_zk_dimensions(&lay, proof)?;
    lay.absorb(t);
    t.append_bytes(labels::ZK_LOGUP, b"hiding");
    super::verify::absorb_multiplicities(&lay, &proof.multiplicity_commitments, t)?;
    let gamma = t.challenge(labels::LOGUP_GAMMA);
    let beta = t.challenge(labels::LOGUP_BETA);
    for (j, r) in proof.roots.iter().enumerate() {
        if lay.vars[j] == 0 && r[0] != bk.g {
            return Err(Error::Malformed(format!(
                "zero-knowledge LogUp: instance {j} of one entry has a root numerator other than 1"
            )));
        }
    }
    let flat: Vec<GAffine> = proof.roots.iter().flatten().copied().collect();
    t.append_points(labels::ZK_LOGUP_ROOTS, &flat);
    t.append_points(labels::ZK_LOGUP_TABLE_SUMS, &proof.table_sums);
    // Every product proof's relations go to `acc` (checked by the caller at the end),
    // each with the error its step reports.
    for (k, (m, rp)) in members_of(&lay).iter().zip(&proof.root_proofs).enumerate() {
        verify_roots(bk, &proof.roots, m, proof.table_sums[k], rp, k, acc, t)?;
    }

    // Witness-side GKR.
    let mut claims_all: Vec<[Lazy; 2]> = proof.roots.iter().map(|r| r.map(lazy)).collect();
    let mut point: Vec<F> = Vec::new();
    let mut points: Vec<Vec<F>> = vec![Vec::new()];
    for (l, layer) in proof.layers.iter().enumerate() {
        let step = Step::LogupLayer { layer: l };
        let lambda = t.challenge(labels::LOGUP_LAYER_LAMBDA);
        let active: Vec<usize> = lay.active(l).collect();
        let (weights, sum) = layer_claim(lambda, &active, &claims_all);
        let (claims, rs) = verify_zk_rounds(&layer.sumcheck, l, 3, step, t)?;
        let flat: Vec<GAffine> = layer.children.iter().flatten().copied().collect();
        t.append_points(labels::ZK_LOGUP_CHILDREN, &flat);
        t.append_points(labels::ZK_LOGUP_PRODUCTS, &[layer.product]);
        let e = eq_eval(&point, &rs);
        let sizes: Vec<usize> = layer.children.iter().map(Vec::len).collect();
        let terms = layer_terms(&sizes, &weights, e, lambda);
        layer.product_proof.defer(
            &flat,
            &terms,
            layer.product,
            t,
            acc,
            &Error::Rejected(Check::SumcheckFinal { step }),
        )?;
        let fin = final_point(layer.product, &layer.children, &weights, e);
        verify_zk_close(
            zk,
            &layer.sumcheck,
            claims.as_ref(),
            3,
            sum,
            fin,
            step,
            t,
            acc,
        )?;
        let mu = t.challenge(labels::LOGUP_LAYER_MU);
        for (&j, c) in active.iter().zip(&layer.children) {
            claims_all[j] = next_claims(c, mu, bk.g);
        }
        point = std::iter::once(mu).chain(rs).collect();
        points.push(point.clone());
    }

    // Column evaluations: column 0 derived from the leaf denominator.
    let flat: Vec<GAffine> = proof.column_evals.iter().flatten().copied().collect();
    t.append_points(labels::ZK_LOGUP_COLUMN_EVALS, &flat);
    let evals: Vec<Vec<GAffine>> = proof
        .column_evals
        .iter()
        .enumerate()
        .map(|(j, rest)| {
            std::iter::once(column_zero(beta, bk.g, &claims_all[j][1], rest, gamma))
                .chain(rest.iter().copied())
                .collect()
        })
        .collect();

    // Table side.
    for (k, tb) in lay.tables.iter().enumerate() {
        let step = Step::LogupTable { table: k };
        let (claims, r) = verify_zk_rounds(&proof.table_sumchecks[k], tb.num_vars(), 2, step, t)?;
        let m_eval = proof.multiplicity_evals[k];
        t.append_points(labels::ZK_LOGUP_MULTIPLICITY_EVAL, &[m_eval]);
        let com = &proof.multiplicity_commitments[k];
        defer_evaluation_width(
            key,
            com,
            1 << com.col_vars,
            &r,
            m_eval,
            &proof.multiplicity_proofs[k],
            t,
            acc,
            &|c| {
                Error::Rejected(Check::HidingEvaluation(Box::new(c)))
                    .opening_of(What::Multiplicities { table: k })
            },
        )
        .map_err(|e| e.opening_of(What::Multiplicities { table: k }))?;
        let g_r = table_g_eval(tb, gamma, beta, &r)?;
        let fin = combine_points(&[(g_r, m_eval)]);
        verify_zk_close(
            zk,
            &proof.table_sumchecks[k],
            claims.as_ref(),
            2,
            proof.table_sums[k],
            fin,
            step,
            t,
            acc,
        )?;
    }

    Ok(evals
        .into_iter()
        .enumerate()
        .map(|(j, e)| ZkLookupClaim {
            point: points[lay.vars[j]].clone(),
            evals: e,
        })
        .collect())
}

/// Every vector of a zero-knowledge proof has the length the shapes imply.
fn check_zk_dimensions(lay: &Layout, proof: &ZkLogupProof) -> crate::Result<()> {
    let bad = |what: &str| {
        Err(Error::Malformed(format!(
            "zero-knowledge LogUp proof: wrong {what}"
        )))
    };
    let nt = lay.tables.len();
    let nj = lay.shapes.len();
    if proof.multiplicity_commitments.len() != nt
        || proof.table_sums.len() != nt
        || proof.root_proofs.len() != nt
        || proof.table_sumchecks.len() != nt
        || proof.multiplicity_evals.len() != nt
        || proof.multiplicity_proofs.len() != nt
    {
        return bad("number of tables");
    }
    for (k, m) in members_of(lay).iter().enumerate() {
        let rp = &proof.root_proofs[k];
        if rp.steps.len() + 1 != m.len() || rp.step_proofs.len() + 1 != m.len() {
            return bad("root chain length");
        }
        if proof.multiplicity_commitments[k].rows.len() != 1 << lay.tables[k].grid().0 {
            return bad("multiplicity commitment size");
        }
    }
    if proof.roots.len() != nj || proof.column_evals.len() != nj {
        return bad("number of instances");
    }
    if proof
        .column_evals
        .iter()
        .zip(&lay.shapes)
        .any(|(e, s)| e.len() + 1 != s.table.columns())
    {
        return bad("number of column evaluations");
    }
    if proof.layers.len() != lay.max_vars {
        return bad("number of GKR layers");
    }
    for (l, layer) in proof.layers.iter().enumerate() {
        let active: Vec<usize> = lay.active(l).collect();
        if layer.children.len() != active.len() {
            return bad("number of GKR children");
        }
        for (i, &j) in active.iter().enumerate() {
            let nc = if lay.vars[j] == l + 1 { 2 } else { 4 };
            if layer.children[i].len() != nc {
                return bad("number of children");
            }
        }
        let n: usize = layer.children.iter().map(Vec::len).sum();
        let p = &layer.product_proof;
        if p.openings.len() != n || p.z.len() != n || p.z_blind.len() != n {
            return bad("sum-of-products proof length");
        }
    }
    Ok(())
}

/// The honest-verifier simulator (test-only): a proof for `shapes` made without any
/// witness, on a programmed transcript (the caller has absorbed the statement).
/// Every commitment is to a random value, the masked rounds are uniform, and every
/// Σ-proof is simulated from its (known) challenge; what the verifier derives
/// homomorphically is derived here the same way. Returns the proof and the committed
/// claims it leaves.
#[cfg(test)]
pub(crate) fn simulate<R: RngCore + CryptoRng>(
    shapes: &[LookupShape],
    key: &HyraxKey,
    zk: &MaskKey,
    t: &mut Transcript,
    rng: &mut R,
) -> (ZkLogupProof, Vec<ZkLookupClaim<GAffine>>) {
    use crate::pedersen::random_scalar;
    use ark_ec::CurveGroup;
    let bk = &zk.blinding;
    let rand_point = |rng: &mut R| {
        bk.commit(random_scalar(rng), random_scalar(rng))
            .into_affine()
    };
    let lay = Layout::new(shapes).expect("valid shapes");
    lay.absorb(t);
    t.append_bytes(labels::ZK_LOGUP, b"hiding");
    let mults: Vec<HyraxCommitment> = lay
        .tables
        .iter()
        .map(|tb| {
            let (rv, cv) = tb.grid();
            let rows = (0..1usize << rv).map(|_| rand_point(rng).into()).collect();
            HyraxCommitment::from_rows(rows, rv, cv)
        })
        .collect();
    for m in &mults {
        m.absorb(t);
    }
    let gamma = t.challenge(labels::LOGUP_GAMMA);
    let beta = t.challenge(labels::LOGUP_BETA);
    let roots: Vec<[GAffine; 2]> = (0..shapes.len())
        .map(|j| {
            let p = if lay.vars[j] == 0 {
                bk.g
            } else {
                rand_point(rng)
            };
            [p, rand_point(rng)]
        })
        .collect();
    let table_sums: Vec<GAffine> = lay.tables.iter().map(|_| rand_point(rng)).collect();
    let flat: Vec<GAffine> = roots.iter().flatten().copied().collect();
    t.append_points(labels::ZK_LOGUP_ROOTS, &flat);
    t.append_points(labels::ZK_LOGUP_TABLE_SUMS, &table_sums);
    let mut root_proofs = Vec::new();
    for (k, m) in members_of(&lay).iter().enumerate() {
        let [mut n, mut d] = roots[m[0]];
        let (mut steps, mut step_proofs) = (Vec::new(), Vec::new());
        for &j in &m[1..] {
            let [p, q] = roots[j];
            let step = [rand_point(rng), rand_point(rng), rand_point(rng)];
            t.append_points(labels::ZK_LOGUP_ROOT_CHAIN, &step);
            step_proofs.push([
                ProductProof::simulate(bk, n, q, step[0], t, rng),
                ProductProof::simulate(bk, p, d, step[1], t, rng),
                ProductProof::simulate(bk, d, q, step[2], t, rng),
            ]);
            n = combine_points(&[(F::one(), step[0]), (F::one(), step[1])]);
            d = step[2];
            steps.push(step);
        }
        let inverse = rand_point(rng);
        t.append_points(labels::ZK_LOGUP_INVERSE, &[inverse]);
        let nonzero = ProductProof::simulate(bk, d, inverse, bk.g, t, rng);
        let identity = ProductProof::simulate(bk, table_sums[k], d, n, t, rng);
        root_proofs.push(ZkRootProof {
            steps,
            step_proofs,
            inverse,
            nonzero,
            identity,
        });
    }
    // Rounds (uniform, chained) or nothing; then the closing, simulated.
    let sim_rounds = |k: usize, d: usize, t: &mut Transcript, rng: &mut R| {
        if k == 0 {
            (None, Vec::new())
        } else {
            let (p, c) = masked_sumcheck::simulate_rounds(zk, k, d, t, rng);
            let point = c.point.clone();
            (Some((p, c)), point)
        }
    };
    #[allow(clippy::type_complexity)]
    let sim_close = |r: Option<(MaskedSumcheckProof, MaskedClaims)>,
                     d: usize,
                     sum: GAffine,
                     fin: GAffine,
                     t: &mut Transcript,
                     rng: &mut R| match r {
        None => ZkSumcheck::Empty(EqualityProof::simulate(bk, sum, fin, t, rng)),
        Some((rounds, claims)) => {
            let closing =
                masked_sumcheck::simulate_closing(zk, &rounds, &claims, d, sum, fin, t, rng);
            ZkSumcheck::Masked { rounds, closing }
        }
    };
    let mut claims_all: Vec<[Lazy; 2]> = roots.iter().map(|r| r.map(lazy)).collect();
    let mut point: Vec<F> = Vec::new();
    let mut points: Vec<Vec<F>> = vec![Vec::new()];
    let mut layers = Vec::new();
    for l in 0..lay.max_vars {
        let lambda = t.challenge(labels::LOGUP_LAYER_LAMBDA);
        let active: Vec<usize> = lay.active(l).collect();
        let (weights, sum) = layer_claim(lambda, &active, &claims_all);
        let (rounds, rs) = sim_rounds(l, 3, t, rng);
        let children: Vec<Vec<GAffine>> = active
            .iter()
            .map(|&j| {
                let n = if lay.vars[j] == l + 1 { 2 } else { 4 };
                (0..n).map(|_| rand_point(rng)).collect()
            })
            .collect();
        let product = rand_point(rng);
        let flat = children.concat();
        t.append_points(labels::ZK_LOGUP_CHILDREN, &flat);
        t.append_points(labels::ZK_LOGUP_PRODUCTS, &[product]);
        let e = eq_eval(&point, &rs);
        let sizes: Vec<usize> = children.iter().map(Vec::len).collect();
        let terms = layer_terms(&sizes, &weights, e, lambda);
        let product_proof = SumProductProof::simulate(bk, &flat, &terms, product, t, rng);
        let fin = final_point(product, &children, &weights, e);
        let sumcheck = sim_close(rounds, 3, sum, fin, t, rng);
        let mu = t.challenge(labels::LOGUP_LAYER_MU);
        for (&j, c) in active.iter().zip(&children) {
            claims_all[j] = next_claims(c, mu, bk.g);
        }
        layers.push(ZkLayerProof {
            sumcheck,
            children,
            product,
            product_proof,
        });
        point = std::iter::once(mu).chain(rs).collect();
        points.push(point.clone());
    }
    let column_evals: Vec<Vec<GAffine>> = shapes
        .iter()
        .map(|s| (1..s.table.columns()).map(|_| rand_point(rng)).collect())
        .collect();
    t.append_points(labels::ZK_LOGUP_COLUMN_EVALS, &column_evals.concat());
    let claims = column_evals
        .iter()
        .enumerate()
        .map(|(j, rest)| ZkLookupClaim {
            point: points[lay.vars[j]].clone(),
            evals: std::iter::once(column_zero(beta, bk.g, &claims_all[j][1], rest, gamma))
                .chain(rest.iter().copied())
                .collect(),
        })
        .collect();
    let (mut table_sumchecks, mut m_evals, mut m_proofs) = (Vec::new(), Vec::new(), Vec::new());
    for (k, tb) in lay.tables.iter().enumerate() {
        let (rounds, r) = sim_rounds(tb.num_vars(), 2, t, rng);
        let m_eval = rand_point(rng);
        t.append_points(labels::ZK_LOGUP_MULTIPLICITY_EVAL, &[m_eval]);
        m_proofs.push(crate::hiding_hyrax::simulate_evaluation(
            key, bk, &mults[k], &r, m_eval, t, rng,
        ));
        let g_r = table_g_eval(tb, gamma, beta, &r).expect("β is no table value");
        let fin = combine_points(&[(g_r, m_eval)]);
        table_sumchecks.push(sim_close(rounds, 2, table_sums[k], fin, t, rng));
        m_evals.push(m_eval);
    }
    (
        ZkLogupProof {
            multiplicity_commitments: mults,
            roots,
            table_sums,
            root_proofs,
            layers,
            column_evals,
            table_sumchecks,
            multiplicity_evals: m_evals,
            multiplicity_proofs: m_proofs,
        },
        claims,
    )
}

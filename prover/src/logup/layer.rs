//! One layer of the witness-side GKR: the batched degree-3 sumcheck over the active
//! instances' fraction-tree layers.

use super::*;
use crate::eq::eq_table;
use crate::field::F;
use crate::labels;
use crate::sumcheck::{Batched, RoundOracle};
use crate::transcript::Transcript;
use ark_ff::{AdditiveGroup, Field, Zero};
use rayon::prelude::*;

/// Pairs per parallel task in the witness-side passes.
pub(super) const PASS_CHUNK: usize = 1 << 11;
/// A pass over fewer pairs than this (summed over instances) runs on one thread.
pub(super) const PASS_PAR_THRESHOLD: usize = 1 << 10;

/// Runs `f(lo, hi, out_lo, out_hi)` over the pair range `0..h` in chunks of `chunk`
/// (in parallel if `par`), where `out_lo`, `out_hi` are the matching chunks of
/// `dst[..h]` and `dst[h..2h]` (absent without `dst`), and adds the results.
pub(super) fn chunked<T: Send, R>(
    h: usize,
    dst: Option<&mut [T]>,
    par: bool,
    chunk: usize,
    f: R,
) -> [F; 3]
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
pub(super) fn at_two<const N: usize>(v0: &[F; N], v1: &[F; N]) -> [F; N] {
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
pub(super) fn summand<const N: usize>(v: &[F; N], lambda: F) -> F {
    if N == 4 {
        v[0] * v[3] + v[2] * (v[1] + lambda * v[3])
    } else {
        v[0] + v[1] + lambda * (v[0] * v[1])
    }
}

/// What one round's pass needs besides the tables: the eq table `e` of the remaining
/// variables (one entry per pair), `λ`, whether to sum `t = 1` and whether to split the
/// pass over threads.
#[derive(Clone, Copy)]
pub(super) struct Pass<'e> {
    pub(super) e: &'e [F],
    pub(super) lambda: F,
    pub(super) want_t1: bool,
    pub(super) par: bool,
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
pub(super) fn layer_pass<const N: usize, G>(
    get: G,
    bind: Option<F>,
    dst: Option<&mut [[F; N]]>,
    t0: Option<&[[F; 2]]>,
    pass: Pass,
) -> [F; 3]
where
    G: Fn(usize) -> [F; N] + Sync,
{
    let Pass {
        e,
        lambda,
        want_t1,
        par,
    } = pass;
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

/// One active instance's state during a GKR layer: where its tables come from before
/// the first binding, two scratch buffers for the bound tables, and, for wide
/// instances, the lanes state that runs the rounds with at least eight pairs.
pub(super) enum LayerTables<'a> {
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
    pub(super) fn round(&mut self, i: usize, r_prev: F, t0: &[[F; 2]], pass: Pass) -> [F; 3] {
        match self {
            LayerTables::Inner {
                children,
                bufs,
                wide,
            } => {
                if let Some(w) = wide {
                    if let Some(s) = w.round(i, r_prev, pass.e, pass.lambda, pass.want_t1, pass.par)
                    {
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
                round_on(tree, bufs, i, r_prev, t0, pass)
            }
            LayerTables::Leaf { leaves, bufs, wide } => {
                if let Some(w) = wide {
                    if let Some(s) = w.round(i, r_prev, pass.e, pass.lambda, pass.want_t1, pass.par)
                    {
                        return s;
                    }
                    if let Some(cur) = w.take_current() {
                        bufs[0] = cur;
                    }
                }
                let half = leaves.idx.len() / 2;
                let tree = |y: usize| [leaves.get(y), leaves.get(y + half)];
                round_on(tree, bufs, i, r_prev, t0, pass)
            }
        }
    }

    /// The children `[A, B, C, D]` after the layer's `rounds` rounds, binding the last
    /// challenge `r_last` (unused when `rounds = 0`).
    pub(super) fn children(&self, rounds: usize, r_last: F) -> [F; 4] {
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
pub(super) fn round_on<const N: usize, T>(
    tree: T,
    bufs: &mut [Vec<[F; N]>; 2],
    i: usize,
    r_prev: F,
    t0: &[[F; 2]],
    pass: Pass,
) -> [F; 3]
where
    T: Fn(usize) -> [F; N] + Sync,
{
    let h = pass.e.len();
    if i == 0 {
        return layer_pass(tree, None, None, Some(&t0[..h]), pass);
    }
    let [cur, next] = bufs;
    let out = Some(&mut next[..2 * h]);
    let s = if i == 1 {
        layer_pass(tree, Some(r_prev), out, None, pass)
    } else {
        let cur = &cur[..];
        layer_pass(|y| cur[y], Some(r_prev), out, None, pass)
    };
    bufs.swap(0, 1);
    s
}

/// What every active instance's oracle of one layer shares: the layer's point, the eq
/// tables of each round and the inverses of the point's coordinates.
struct LayerShared<'p> {
    point: &'p [F],
    /// `es[i] = eq(point[i+1..], ·)`, each the previous one with its halves summed.
    es: Vec<Vec<F>>,
    inv: Vec<F>,
    lambda: F,
    /// Number of active instances (for the parallel threshold).
    active: usize,
}

/// One active instance's layer-`l` sumcheck as a round oracle (degree 3):
/// `Σ_y eq(point, y)·F(y)` with `F = A·D + C·(B + λ·D)` (inner) or `C + D + λ·C·D`
/// (leaf) over its tables. Round `i` computes `h(t) = Σ_y e[y]·F(t, y)` (degree 2) in
/// one pass of [`LayerTables::round`] (which also folds the previous challenge) and
/// returns `scale·eq₁(t)·h(t)`, `scale·eq₁` being the eq factor of the variables fixed
/// so far. `h(1)` is not summed: it follows from the previous round,
/// `(1 − r_i)·h(0) + r_i·h(1) = h_prev(r_prev)`, unless `r_i = 0`.
struct InstanceLayer<'a, 's> {
    tabs: LayerTables<'a>,
    t0: &'a [[F; 2]],
    shared: &'s LayerShared<'s>,
    /// Round index.
    i: usize,
    /// `Π_{u<i} eq(point[u], r_u)`.
    scale: F,
    /// `h_prev(r_prev)`, the claim without the eq factors.
    prev: F,
    r_prev: F,
    /// This round's `h(0), h(1), h(2)`.
    h: [F; 3],
}

impl InstanceLayer<'_, '_> {
    fn eq1(&self, t: F) -> F {
        let ri = self.shared.point[self.i];
        (F::ONE - ri) + t * (ri.double() - F::ONE)
    }
}

impl RoundOracle for InstanceLayer<'_, '_> {
    fn num_vars(&self) -> usize {
        self.shared.point.len() - self.i
    }

    fn degree(&self) -> usize {
        3
    }

    fn round(&mut self, _claim: F) -> Vec<F> {
        let sh = self.shared;
        let (i, ri) = (self.i, sh.point[self.i]);
        let e = &sh.es[i];
        let want_t1 = ri.is_zero() || cfg!(debug_assertions);
        let par = e.len() * sh.active >= PASS_PAR_THRESHOLD;
        let pass = Pass {
            e,
            lambda: sh.lambda,
            want_t1,
            par,
        };
        let mut h = self.tabs.round(i, self.r_prev, self.t0, pass);
        let derived = (self.prev - (F::ONE - ri) * h[0]) * sh.inv[i];
        if ri.is_zero() {
            debug_assert_eq!((F::ONE - ri) * h[0] + ri * h[1], self.prev);
        } else {
            debug_assert_eq!(derived, h[1]);
            h[1] = derived;
        }
        let h3 = h[0] - (h[1] - h[2]).double() - (h[1] - h[2]);
        self.h = h;
        let (two, three) = (F::from(2u64), F::from(3u64));
        vec![
            self.scale * self.eq1(F::ZERO) * h[0],
            self.scale * self.eq1(F::ONE) * h[1],
            self.scale * self.eq1(two) * h[2],
            self.scale * self.eq1(three) * h3,
        ]
    }

    fn bind(&mut self, r: F) {
        self.prev = crate::field::interpolate_at(&self.h, r);
        self.scale *= self.eq1(r);
        self.r_prev = r;
        self.i += 1;
    }
}

/// Proves one GKR layer step `l → l + 1` for the active instances (`tabs`, with `t0s`
/// their tree layer `l`) with the plain sumcheck ([`run_layer`] and the sumcheck
/// driver), sends the children and draws `μ`. Returns the layer proof, the new
/// point and the tables (for their buffers). `claims[j]` are the `(p, q)` claims at
/// `point` of active instance `j` and are replaced by the claims at the new point.
pub(super) fn prove_layer<'a>(
    tabs: Vec<LayerTables<'a>>,
    t0s: &[&'a [[F; 2]]],
    l: usize,
    point: &[F],
    claims: &mut [[F; 2]],
    transcript: &mut Transcript,
) -> (LayerProof, Vec<F>, Vec<LayerTables<'a>>) {
    let lambda = transcript.challenge(labels::LOGUP_LAYER_LAMBDA);
    let (red, children, tabs) = run_layer(tabs, t0s, l, point, claims, lambda, |o, c| {
        let red = crate::sumcheck::prove(o, c, transcript);
        let rs = red.point.clone();
        (red, rs)
    });
    let flat: Vec<F> = children.iter().flatten().copied().collect();
    transcript.append_fields(labels::LOGUP_LAYER_CHILDREN, &flat);
    let mu = transcript.challenge(labels::LOGUP_LAYER_MU);
    for (c, ch) in claims.iter_mut().zip(&children) {
        *c = [ch[0] + mu * (ch[1] - ch[0]), ch[2] + mu * (ch[3] - ch[2])];
    }
    let mut new_point = Vec::with_capacity(l + 1);
    new_point.push(mu);
    new_point.extend_from_slice(&red.point);
    (
        LayerProof {
            sumcheck: red.proof,
            children,
        },
        new_point,
        tabs,
    )
}

/// One GKR layer's sumcheck for the active instances, by `run`: builds each instance's
/// [`InstanceLayer`] oracle (claims `claims[j]` at `point`, weights `λ^(2j)`), batches
/// them and hands the batch and its claim to `run`, which runs a sumcheck driver on it
/// and returns its output and the challenges. Returns that output, each instance's
/// children `[A, B, C, D]` at the challenges, and the tables (for their buffers).
/// Cost: the layer's passes (the work of every round).
pub(super) fn run_layer<'a, R>(
    tabs: Vec<LayerTables<'a>>,
    t0s: &[&'a [[F; 2]]],
    l: usize,
    point: &[F],
    claims: &[[F; 2]],
    lambda: F,
    run: impl FnOnce(&mut dyn RoundOracle, F) -> (R, Vec<F>),
) -> (R, Vec<[F; 4]>, Vec<LayerTables<'a>>) {
    debug_assert_eq!(point.len(), l);
    let mut es = Vec::with_capacity(l);
    if l > 0 {
        es.push(eq_table(&point[1..]));
        for _ in 1..l {
            let e = es.last().expect("pushed above");
            let half = e.len() / 2;
            es.push((0..half).map(|y| e[y] + e[y + half]).collect());
        }
    }
    let mut inv = point.to_vec();
    ark_ff::batch_inversion(&mut inv);
    let shared = LayerShared {
        point,
        es,
        inv,
        lambda,
        active: tabs.len(),
    };
    // Weights: instance j's summand is scaled by λ^(2j) (its q part by λ^(2j+1)).
    let lambda2 = lambda.square();
    let mut weights = Vec::with_capacity(tabs.len());
    let mut w = F::ONE;
    let mut member_claims = Vec::with_capacity(tabs.len());
    let members: Vec<InstanceLayer> = tabs
        .into_iter()
        .zip(t0s)
        .zip(claims.iter())
        .map(|((tabs, &t0), c)| {
            weights.push(w);
            w *= lambda2;
            let claim = c[0] + lambda * c[1];
            member_claims.push(claim);
            InstanceLayer {
                tabs,
                t0,
                shared: &shared,
                i: 0,
                scale: F::ONE,
                prev: claim,
                r_prev: F::ZERO,
                h: [F::ZERO; 3],
            }
        })
        .collect();
    let mut batch =
        Batched::new(members, weights, member_claims).parallel_above(PASS_PAR_THRESHOLD);
    let claim = batch.claim();
    let (out, rs) = run(&mut batch, claim);
    let r_last = rs.last().copied().unwrap_or(F::ZERO);
    let tabs: Vec<LayerTables> = batch.into_members().into_iter().map(|m| m.tabs).collect();
    let children: Vec<[F; 4]> = tabs.iter().map(|t| t.children(l, r_last)).collect();
    (out, children, tabs)
}

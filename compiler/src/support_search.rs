//! Calibration-driven search over the ternary support of one layer.
//!
//! Magnitude pruning keeps the largest |W|, but once every kept weight becomes `±α`
//! what matters is how well `α·T` reproduces the layer's pre-activations on real
//! inputs. This module minimises that error directly. Per output row `r`, with the
//! layer's calibration inputs `X_c` (the activations the *already compiled* earlier
//! layers produce, dequantized) and `X_d` (the dense model's own activations, the
//! target), both centred per column (the bias is refitted afterwards, so constant
//! offsets cost nothing):
//!
//! ```text
//! e_r(t, α) = ‖X_c·α·t − X_d·w_r‖²/N + λ‖α·t − w_r‖²
//!           = α²·tᵀHt − 2α·tᵀg_r + const,   H = X_cᵀX_c/N + λI,  g_r = X_cᵀX_d·w_r/N + λw_r
//! ```
//!
//! (with `X_c = X_d` this is `(w − αt)ᵀH(w − αt)`). `λ` is `damping` times the mean
//! diagonal of `X_cᵀX_c/N`. The search starts from the magnitude support with the
//! layer's nonzero budget and applies greedy moves that never add nonzeros: flip a
//! sign, drop one nonzero and add another in the same row (the pair's exact cross
//! term included), drop one in one row and add one in another row, or drop a
//! nonzero whose removal lowers the error (so the budget is a maximum). Between
//! rounds the scales are refitted in closed form, `α = tᵀg / tᵀHt` per row (or one
//! `α = Σtᵀg / ΣtᵀHt` for the layer). Every accepted move and every refit lowers the
//! objective, so the result is never worse than the magnitude support with its best
//! scales. Everything is deterministic (fixed iteration order, ties by index).
//!
//! Cost: `O(N·n_in²)` for `H`, `O(N·n_in·n_out)` twice for `g` and `T·H`, then
//! `O(n_in)` per move (a scan of the row and one row of `H`); memory three
//! `n_out × n_in` f32 arrays plus `H`.

use crate::error::{Error, Result};
use crate::prune::TernaryLayer;
use crate::safetensors_io::DenseLayer;
use ndarray::{Array2, ArrayView2};
use rayon::prelude::*;

/// How the compiler chooses the ternary support of each layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    /// The largest magnitudes at exactly the requested density ([`crate::prune`]).
    Magnitude,
    /// Calibration-driven search from the magnitude support ([`search_support`]);
    /// the density is a maximum.
    Search,
}

impl Support {
    /// `magnitude` or `search` (the CLI's spelling).
    pub fn name(self) -> &'static str {
        match self {
            Support::Magnitude => "magnitude",
            Support::Search => "search",
        }
    }

    /// Parses `magnitude` or `search`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "magnitude" => Ok(Support::Magnitude),
            "search" => Ok(Support::Search),
            other => Err(Error::Usage(format!(
                "unknown support method `{other}` (expected `search` or `magnitude`)"
            ))),
        }
    }
}

/// Tuning of [`search_support`].
#[derive(Clone, Debug, PartialEq)]
pub struct SearchOptions {
    /// Ridge term `λ` relative to the mean diagonal of `X_cᵀX_c/N` (keeps `H`
    /// positive definite; inputs that never vary still cost `λ·α²` per nonzero).
    pub damping: f64,
    /// Most rounds of moves, each followed by a refit of the scales.
    pub rounds: usize,
    /// The search stops after a round that lowered the objective by less than this
    /// fraction.
    pub min_gain: f64,
    /// Most accepted moves per row and round in the within-row phase.
    pub moves_per_row: usize,
    /// Most passes of cross-row moves (one move per row and pass) per round.
    pub cross_passes: usize,
    /// Drop and add candidates per row whose pairs are scored exactly.
    pub candidates: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            damping: 0.01,
            rounds: 8,
            min_gain: 1e-4,
            moves_per_row: 2000,
            cross_passes: 200,
            candidates: 8,
        }
    }
}

/// The calibration data of one layer: `x` the compiled model's inputs to the layer
/// (dequantized), `x_target` the dense model's inputs to it, both `batch × n_in`,
/// row-major.
#[derive(Clone, Copy, Debug)]
pub struct LayerCalib<'a> {
    /// Inputs as the compiled earlier layers produce them (real values).
    pub x: &'a [f32],
    /// Inputs as the dense model produces them (the target side).
    pub x_target: &'a [f32],
    /// Number of calibration inputs.
    pub batch: usize,
}

/// Searches a ternary support of at most `budget` nonzeros for `layer` (see the
/// module documentation) and returns `T` with its scales `α` (one per row, or one
/// shared value when `shared_alpha`). A layer that is already ternary within the
/// budget (every nonzero of a row — of the layer when `shared_alpha` — of one
/// magnitude, as quantization-aware training writes them) is returned as it is.
/// Errors if the inputs have the wrong size or no weight survives.
/// Cost: see the module documentation.
pub fn search_support(
    layer: &DenseLayer,
    calib: LayerCalib<'_>,
    budget: usize,
    shared_alpha: bool,
    opts: &SearchOptions,
) -> Result<TernaryLayer> {
    let (n_out, n_in, batch) = (layer.n_out, layer.n_in, calib.batch);
    if batch == 0 || calib.x.len() != batch * n_in || calib.x_target.len() != batch * n_in {
        return Err(Error::Usage(format!(
            "layer `{}`: support search needs {batch} calibration inputs of width {n_in}",
            layer.name
        )));
    }
    if let Some(t) = already_ternary(layer, budget, shared_alpha) {
        return Ok(t);
    }
    let init = magnitude_start(layer, budget)?;
    let stats = Stats::new(layer, calib, &init, opts.damping);
    let mut st = State {
        n_in,
        t: init.t,
        alpha: init.alpha,
        v: stats.v0,
        g: stats.g,
    };
    let h = &stats.h;
    let hdiag: Vec<f32> = (0..n_in).map(|j| h[j * n_in + j]).collect();
    let hbar = hdiag.iter().map(|&d| d as f64).sum::<f64>() / n_in as f64;
    st.refit(shared_alpha);
    let mut prev = st.objective();
    for _ in 0..opts.rounds {
        let tol: Vec<f64> = st.alpha.iter().map(|a| 1e-7 * a * a * hbar).collect();
        let scales = st.scales(shared_alpha);
        st.t.par_chunks_mut(n_in)
            .zip(st.v.par_chunks_mut(n_in))
            .zip(st.g.par_chunks(n_in))
            .enumerate()
            .for_each(|(r, ((t, v), g))| {
                let mut row = Row {
                    t,
                    v,
                    g,
                    scale: scales[r],
                };
                row.improve(h, &hdiag, opts.candidates, opts.moves_per_row, tol[r]);
            });
        st.cross_phase(h, &hdiag, &tol, shared_alpha, opts.cross_passes);
        st.refit(shared_alpha);
        let now = st.objective();
        let done = prev - now <= opts.min_gain * now.abs().max(prev.abs());
        prev = now;
        if done {
            break;
        }
    }
    let nnz = st.t.iter().filter(|&&v| v != 0).count();
    if nnz == 0 {
        return Err(Error::Model(format!(
            "layer `{}`: the support search kept no weight (the layer's weights do not correlate with its calibration inputs)",
            layer.name
        )));
    }
    Ok(TernaryLayer {
        n_out,
        n_in,
        t: st.t,
        alpha: st.alpha,
    })
}

/// The calibration objective `Σ_r e_r(t_r, α_r)` of the module documentation,
/// computed directly from the data in f64 (independently of the search's
/// incremental bookkeeping; for tests and reports). Cost: `O(batch·n_in·n_out)`.
pub fn calibration_error(
    layer: &DenseLayer,
    calib: LayerCalib<'_>,
    t: &TernaryLayer,
    damping: f64,
) -> f64 {
    let (n_in, batch) = (layer.n_in, calib.batch);
    let xc = centred(calib.x, batch, n_in);
    let xd = centred(calib.x_target, batch, n_in);
    let mean_sq = xc.iter().map(|v| (*v as f64).powi(2)).sum::<f64>() / (batch * n_in) as f64;
    let lambda = damping * mean_sq;
    let mut err = 0.0;
    for r in 0..layer.n_out {
        let w = &layer.weight[r * n_in..(r + 1) * n_in];
        let tr = &t.t[r * n_in..(r + 1) * n_in];
        let a = t.alpha[r];
        for s in 0..batch {
            let (c, d) = (&xc[s * n_in..(s + 1) * n_in], &xd[s * n_in..(s + 1) * n_in]);
            let mut e = 0.0;
            for j in 0..n_in {
                e += a * tr[j] as f64 * c[j] as f64 - w[j] as f64 * d[j] as f64;
            }
            err += e * e / batch as f64;
        }
        for j in 0..n_in {
            err += lambda * (a * tr[j] as f64 - w[j] as f64).powi(2);
        }
    }
    err
}

/// The magnitude support the search starts from: the layer's `budget` largest |W|
/// (ties by position), signs, and `α` = mean |W| of each row's kept weights (the
/// layer's mean for empty rows).
fn magnitude_start(layer: &DenseLayer, budget: usize) -> Result<TernaryLayer> {
    let keep = crate::prune::top_k_mask(&layer.weight, budget);
    let mut t = TernaryLayer {
        n_out: layer.n_out,
        n_in: layer.n_in,
        t: layer
            .weight
            .iter()
            .zip(keep)
            .map(|(&w, k)| {
                if k {
                    (w > 0.0) as i8 - (w < 0.0) as i8
                } else {
                    0
                }
            })
            .collect(),
        alpha: Vec::new(),
    };
    let n_in = layer.n_in;
    let (sum, cnt) = layer
        .weight
        .iter()
        .zip(&t.t)
        .filter(|(_, &k)| k != 0)
        .fold((0f64, 0usize), |(s, c), (w, _)| (s + w.abs() as f64, c + 1));
    if cnt == 0 {
        return Err(Error::Model(format!(
            "layer `{}` keeps no nonzero weight (all its weights are zero or pruned)",
            layer.name
        )));
    }
    let layer_alpha = sum / cnt as f64;
    t.alpha = layer
        .weight
        .chunks(n_in)
        .zip(t.t.chunks(n_in))
        .map(|(w, tr)| {
            let (s, c) = w
                .iter()
                .zip(tr)
                .filter(|(_, &k)| k != 0)
                .fold((0f64, 0usize), |(s, c), (w, _)| (s + w.abs() as f64, c + 1));
            if c == 0 {
                layer_alpha
            } else {
                s / c as f64
            }
        })
        .collect();
    Ok(t)
}

/// `Some(layer as T, α)` when every row's (or, with `shared`, the layer's) nonzero
/// weights have one magnitude and there are at most `budget` of them.
fn already_ternary(layer: &DenseLayer, budget: usize, shared: bool) -> Option<TernaryLayer> {
    let nnz = layer.weight.iter().filter(|v| **v != 0.0).count();
    if nnz == 0 || nnz > budget {
        return None;
    }
    let first = layer.weight.iter().find(|v| **v != 0.0)?.abs();
    let mut alpha = Vec::with_capacity(layer.n_out);
    for row in layer.weight.chunks(layer.n_in) {
        let m = if shared {
            first
        } else {
            row.iter().find(|v| **v != 0.0).map_or(first, |v| v.abs())
        };
        if row.iter().any(|v| *v != 0.0 && v.abs() != m) {
            return None;
        }
        alpha.push(m as f64);
    }
    Some(TernaryLayer {
        n_out: layer.n_out,
        n_in: layer.n_in,
        t: layer
            .weight
            .iter()
            .map(|&v| (v > 0.0) as i8 - (v < 0.0) as i8)
            .collect(),
        alpha,
    })
}

/// `x` (`batch × n`) with each column's mean subtracted.
fn centred(x: &[f32], batch: usize, n: usize) -> Vec<f32> {
    let mut mean = vec![0f64; n];
    for row in x.chunks(n) {
        for (m, v) in mean.iter_mut().zip(row) {
            *m += *v as f64;
        }
    }
    let inv = 1.0 / batch as f64;
    let mean: Vec<f32> = mean.iter().map(|m| (m * inv) as f32).collect();
    let mut out = x.to_vec();
    for row in out.chunks_mut(n) {
        for (v, m) in row.iter_mut().zip(&mean) {
            *v -= m;
        }
    }
    out
}

/// `a·b` with the rows of `a` split over threads (ndarray's GEMM per block).
fn par_dot(a: ArrayView2<'_, f32>, b: ArrayView2<'_, f32>) -> Array2<f32> {
    let (m, n) = (a.nrows(), b.ncols());
    let mut out = vec![0f32; m * n];
    if n == 0 {
        return Array2::zeros((m, 0));
    }
    let block = m.div_ceil(4 * rayon::current_num_threads()).max(16);
    out.par_chunks_mut(block * n)
        .enumerate()
        .for_each(|(i, o)| {
            let rows = o.len() / n;
            let ab = a.slice(ndarray::s![i * block..i * block + rows, ..]);
            let mut ov = ndarray::ArrayViewMut2::from_shape((rows, n), o).expect("block shape");
            ndarray::linalg::general_mat_mul(1.0, &ab, &b, 0.0, &mut ov);
        });
    Array2::from_shape_vec((m, n), out).expect("m·n elements")
}

/// The search's fixed data: `H` (row-major `n_in × n_in`), `g` per row and the
/// initial `v = H·t` per row.
struct Stats {
    h: Vec<f32>,
    g: Vec<f32>,
    v0: Vec<f32>,
}

impl Stats {
    fn new(layer: &DenseLayer, calib: LayerCalib<'_>, init: &TernaryLayer, damping: f64) -> Self {
        let (n_in, n_out, batch) = (layer.n_in, layer.n_out, calib.batch);
        let inv = 1.0 / batch as f32;
        let xc = centred(calib.x, batch, n_in);
        let xd = centred(calib.x_target, batch, n_in);
        let xc = ArrayView2::from_shape((batch, n_in), &xc[..]).expect("checked length");
        let xd = ArrayView2::from_shape((batch, n_in), &xd[..]).expect("checked length");
        let w = ArrayView2::from_shape((n_out, n_in), &layer.weight[..]).expect("validated");
        let mut h = par_dot(xc.t(), xc);
        h *= inv;
        let mean_diag = h.diag().iter().map(|&d| d as f64).sum::<f64>() / n_in as f64;
        // A floor keeps H positive definite even for all-constant inputs.
        let lambda = (damping * mean_diag).max(1e-12) as f32;
        h.diag_mut().map_inplace(|d| *d += lambda);
        // g = (X_cᵀ X_d W ᵀ)ᵀ/N + λW = (X_d Wᵀ)ᵀ X_c / N + λW.
        let p = par_dot(xd, w.t());
        let mut g = par_dot(p.t(), xc);
        g.zip_mut_with(&w, |gv, &wv| *gv = *gv * inv + lambda * wv);
        let tf = Array2::from_shape_fn((n_out, n_in), |(r, j)| init.t[r * n_in + j] as f32);
        let u = par_dot(xc, tf.t());
        let mut v = par_dot(u.t(), xc);
        v.zip_mut_with(&tf, |vv, &tv| *vv = *vv * inv + lambda * tv);
        Self {
            h: h.into_raw_vec_and_offset().0,
            g: g.into_raw_vec_and_offset().0,
            v0: v.into_raw_vec_and_offset().0,
        }
    }
}

/// The search state: `t`, `α`, and per row `v = H·t` and `g`.
struct State {
    n_in: usize,
    t: Vec<i8>,
    alpha: Vec<f64>,
    v: Vec<f32>,
    g: Vec<f32>,
}

/// Per row `(tᵀg, tᵀHt)`.
fn row_products(t: &[i8], v: &[f32], g: &[f32], n_in: usize) -> Vec<(f64, f64)> {
    t.par_chunks(n_in)
        .zip(v.par_chunks(n_in))
        .zip(g.par_chunks(n_in))
        .map(|((t, v), g)| products(t, v, g))
        .collect()
}

impl State {
    /// Closed-form optimal scales for the current support (a non-positive or
    /// undefined scale keeps its previous value).
    fn refit(&mut self, shared: bool) {
        let p = row_products(&self.t, &self.v, &self.g, self.n_in);
        if shared {
            let (tg, tv) = p.iter().fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
            let a = tg / tv;
            if a.is_finite() && a > 0.0 {
                self.alpha.iter_mut().for_each(|x| *x = a);
            }
        } else {
            for (al, (tg, tv)) in self.alpha.iter_mut().zip(p) {
                let a = tg / tv;
                if tv > 0.0 && a.is_finite() && a > 0.0 {
                    *al = a;
                }
            }
        }
    }

    /// Each row's [`Scale`]: its own `(P, Q)`, or the shared fixed `α`.
    fn scales(&self, shared: bool) -> Vec<Scale> {
        if shared {
            return self.alpha.iter().map(|&a| Scale::Fixed(a)).collect();
        }
        row_products(&self.t, &self.v, &self.g, self.n_in)
            .into_iter()
            .map(|(p, q)| Scale::Own { p, q })
            .collect()
    }

    /// `Σ_r α_r²·tᵀHt − 2α_r·tᵀg` (the objective up to a constant).
    fn objective(&self) -> f64 {
        row_products(&self.t, &self.v, &self.g, self.n_in)
            .iter()
            .zip(&self.alpha)
            .map(|((tg, tv), a)| a * a * tv - 2.0 * a * tg)
            .sum()
    }

    /// Cross-row moves, up to `passes` passes: each row offers its best drop and its
    /// best add (scored exactly, see [`best_single`]); the cheapest drops are paired
    /// with the best adds of other rows while a pair lowers the error, and every
    /// paired row makes its move. Only rows that moved are rescanned for the next
    /// pass. Cost: O(n_out·n_in) for the first pass, O(moved rows·n_in) after.
    fn cross_phase(&mut self, h: &[f32], hdiag: &[f32], tol: &[f64], shared: bool, passes: usize) {
        let n_in = self.n_in;
        let n_out = self.alpha.len();
        let alpha = &self.alpha;
        let offer = |r: usize, t: &[i8], v: &[f32], g: &[f32]| {
            let sc = if shared {
                Scale::Fixed(alpha[r])
            } else {
                let (p, q) = products(t, v, g);
                Scale::Own { p, q }
            };
            best_single(t, v, g, &sc, hdiag)
        };
        let mut offers: Vec<(Option<Cand>, Option<Cand>)> = self
            .t
            .par_chunks(n_in)
            .zip(self.v.par_chunks(n_in))
            .zip(self.g.par_chunks(n_in))
            .enumerate()
            .map(|(r, ((t, v), g))| offer(r, t, v, g))
            .collect();
        for _ in 0..passes {
            let mut drops: Vec<(f64, usize, usize, i8)> = offers
                .iter()
                .enumerate()
                .filter_map(|(r, (d, _))| d.map(|c| (c.delta, r, c.j, c.d)))
                .collect();
            let mut adds: Vec<(f64, usize, usize, i8)> = offers
                .iter()
                .enumerate()
                .filter_map(|(r, (_, a))| a.map(|c| (c.delta, r, c.j, c.d)))
                .collect();
            drops.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            adds.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut used = vec![false; n_out];
            let mut change: Vec<Option<(usize, i8)>> = vec![None; n_out];
            let mut di = 0;
            for &(da, ra, ja, sa) in &adds {
                if used[ra] {
                    continue;
                }
                while di < drops.len() && (used[drops[di].1] || drops[di].1 == ra) {
                    di += 1;
                }
                let Some(&(dd, rd, jd, sd)) = drops.get(di) else {
                    break;
                };
                if da + dd >= -(tol[ra] + tol[rd]) {
                    break;
                }
                used[ra] = true;
                used[rd] = true;
                change[ra] = Some((ja, sa));
                change[rd] = Some((jd, sd));
                di += 1;
            }
            if change.iter().all(Option::is_none) {
                break;
            }
            self.t
                .par_chunks_mut(n_in)
                .zip(self.v.par_chunks_mut(n_in))
                .zip(self.g.par_chunks(n_in))
                .zip(change.par_iter().zip(offers.par_iter_mut()))
                .enumerate()
                .for_each(|(r, (((t, v), g), (c, o)))| {
                    if let Some((j, d)) = *c {
                        t[j] += d;
                        axpy(v, d as f32, &h[j * n_in..(j + 1) * n_in]);
                        *o = offer(r, t, v, g);
                    }
                });
        }
    }
}

/// `(tᵀg, tᵀv)` of one row.
fn products(t: &[i8], v: &[f32], g: &[f32]) -> (f64, f64) {
    t.iter()
        .zip(v.iter().zip(g))
        .filter(|(t, _)| **t != 0)
        .fold((0f64, 0f64), |(tg, tv), (&t, (&v, &g))| {
            (tg + t as f64 * g as f64, tv + t as f64 * v as f64)
        })
}

/// `y += a·x`.
fn axpy(y: &mut [f32], a: f32, x: &[f32]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

/// How a change `(ΔP, ΔQ)` of a row's `P = tᵀg`, `Q = tᵀHt` changes its error.
#[derive(Clone, Copy, Debug)]
enum Scale {
    /// The row's own scale, re-optimised after the move: the row's error is
    /// `−P²/Q` (0 when `P ≤ 0`: the best scale is then 0).
    Own { p: f64, q: f64 },
    /// A scale held fixed (shared by the layer): `α²·ΔQ − 2α·ΔP`.
    Fixed(f64),
}

impl Scale {
    fn value(p: f64, q: f64) -> f64 {
        if p > 0.0 && q > 0.0 {
            -p * p / q
        } else {
            0.0
        }
    }

    /// `Δ` of the row's error for the change `(dp, dq)`.
    fn delta(&self, dp: f64, dq: f64) -> f64 {
        match *self {
            Scale::Own { p, q } => Self::value(p + dp, q + dq) - Self::value(p, q),
            Scale::Fixed(a) => a * a * dq - 2.0 * a * dp,
        }
    }

    fn apply(&mut self, dp: f64, dq: f64) {
        if let Scale::Own { p, q } = self {
            *p += dp;
            *q += dq;
        }
    }
}

/// A single-coordinate change `t_j += d` with its `(ΔP, ΔQ)` and `Δ`.
#[derive(Clone, Copy, Debug)]
struct Cand {
    delta: f64,
    j: usize,
    d: i8,
    dp: f64,
    dq: f64,
}

/// The single-coordinate changes of coordinate `j` worth considering: for a nonzero
/// the drop and the flip, for a zero the add with the better sign.
fn changes(t: i8, v: f64, g: f64, hjj: f64, sc: &Scale, j: usize) -> [Option<Cand>; 2] {
    let mk = |d: i8| {
        let df = d as f64;
        let (dp, dq) = (df * g, 2.0 * df * v + df * df * hjj);
        Cand {
            delta: sc.delta(dp, dq),
            j,
            d,
            dp,
            dq,
        }
    };
    if t != 0 {
        [Some(mk(-t)), Some(mk(-2 * t))]
    } else {
        let (p, m) = (mk(1), mk(-1));
        [Some(if p.delta <= m.delta { p } else { m }), None]
    }
}

/// One O(n_in) scan of a row: the `k` nonzeros whose drop and the `k` zeros whose
/// add (better sign) leave the row's error lowest, each scored alone and exactly.
/// Returns their indices, best first.
fn scan(
    t: &[i8],
    v: &[f32],
    g: &[f32],
    sc: &Scale,
    hdiag: &[f32],
    k: usize,
) -> (Vec<usize>, Vec<usize>) {
    let mut drops: Vec<(f64, usize)> = Vec::with_capacity(k + 1);
    let mut adds: Vec<(f64, usize)> = Vec::with_capacity(k + 1);
    let push = |list: &mut Vec<(f64, usize)>, d: f64, j: usize| {
        let pos = list.partition_point(|l| l.0 <= d);
        list.insert(pos, (d, j));
        list.truncate(k);
    };
    let mut dmax = f64::INFINITY;
    let mut amax = f64::INFINITY;
    // Scores to minimise: the row's error after the change (up to a constant).
    let (own, p, q, a) = match *sc {
        Scale::Own { p, q } => (true, p, q, 0.0),
        Scale::Fixed(a) => (false, 0.0, 0.0, a),
    };
    let score = |dp: f64, dq: f64| {
        if own {
            let (p2, q2) = (p + dp, q + dq);
            if p2 > 0.0 && q2 > 0.0 {
                -p2 * p2 / q2
            } else {
                0.0
            }
        } else {
            a * a * dq - 2.0 * a * dp
        }
    };
    for j in 0..t.len() {
        let (vj, gj, hj) = (v[j] as f64, g[j] as f64, hdiag[j] as f64);
        if t[j] != 0 {
            let tf = t[j] as f64;
            let d = score(-tf * gj, -2.0 * tf * vj + hj);
            if d < dmax {
                push(&mut drops, d, j);
                if drops.len() == k {
                    dmax = drops[k - 1].0;
                }
            }
        } else {
            let d = score(gj, 2.0 * vj + hj).min(score(-gj, -2.0 * vj + hj));
            if d < amax {
                push(&mut adds, d, j);
                if adds.len() == k {
                    amax = adds[k - 1].0;
                }
            }
        }
    }
    (
        drops.into_iter().map(|x| x.1).collect(),
        adds.into_iter().map(|x| x.1).collect(),
    )
}

/// The row's best drop and best add, scored exactly (scale re-optimised), among the
/// few best of a first-order scan. Cost: O(n_in).
fn best_single(
    t: &[i8],
    v: &[f32],
    g: &[f32],
    sc: &Scale,
    hdiag: &[f32],
) -> (Option<Cand>, Option<Cand>) {
    let (drops, adds) = scan(t, v, g, sc, hdiag, 4);
    let exact = |j: usize| changes(t[j], v[j] as f64, g[j] as f64, hdiag[j] as f64, sc, j)[0];
    let best = |idx: Vec<usize>| {
        idx.into_iter()
            .filter_map(exact)
            .min_by(|a, b| a.delta.total_cmp(&b.delta).then(a.j.cmp(&b.j)))
    };
    (best(drops), best(adds))
}

/// A move within one row: up to two coordinate changes and its exact `Δ`.
#[derive(Clone, Copy, Debug)]
struct Move {
    delta: f64,
    changes: [(usize, i8); 2],
    len: usize,
    dp: f64,
    dq: f64,
}

/// One row under search.
struct Row<'a> {
    t: &'a mut [i8],
    v: &'a mut [f32],
    g: &'a [f32],
    scale: Scale,
}

impl Row<'_> {
    /// Greedy moves until none of the candidates improves or `max_moves` were made:
    /// a first-order scan picks the `k` most promising drops and adds; then, with
    /// each candidate rescored exactly against the current state, the best of
    /// flipping a sign, dropping a nonzero, or swapping a nonzero for a zero (pairs
    /// scored with their cross term `H_jk`) is applied while it lowers the error by
    /// more than `tol`; candidates it touched are retired, and the row is rescanned
    /// once none is left that helps. Cost: O(n_in) per scan and per applied move.
    fn improve(&mut self, h: &[f32], hdiag: &[f32], k: usize, max_moves: usize, tol: f64) {
        let mut moves = 0;
        while moves < max_moves {
            let (mut drops, mut adds) = scan(self.t, self.v, self.g, &self.scale, hdiag, k);
            let mut applied = 0;
            while moves < max_moves {
                let Some(m) = self.best_of(h, hdiag, &drops, &adds) else {
                    break;
                };
                // A pure drop is final (nothing re-adds a weight): take it only
                // when a fresh scan offers nothing better.
                let pure_drop = m.len == 1 && self.t[m.changes[0].0] + m.changes[0].1 == 0;
                if m.delta >= -tol || (pure_drop && applied > 0) {
                    break;
                }
                self.apply(&m, h);
                moves += 1;
                applied += 1;
                for &(j, _) in &m.changes[..m.len] {
                    drops.retain(|&x| x != j);
                    adds.retain(|&x| x != j);
                }
            }
            if applied == 0 {
                break;
            }
        }
    }

    /// The best move among the candidates, each scored exactly now.
    fn best_of(&self, h: &[f32], hdiag: &[f32], drops: &[usize], adds: &[usize]) -> Option<Move> {
        let n = self.t.len();
        let mut best: Option<Move> = None;
        let mut consider = |m: Move| {
            if best.is_none_or(|b| m.delta < b.delta) {
                best = Some(m);
            }
        };
        let single = |c: &Cand| Move {
            delta: c.delta,
            changes: [(c.j, c.d), (0, 0)],
            len: 1,
            dp: c.dp,
            dq: c.dq,
        };
        let cand = |j: usize| {
            changes(
                self.t[j],
                self.v[j] as f64,
                self.g[j] as f64,
                hdiag[j] as f64,
                &self.scale,
                j,
            )
        };
        for &j in drops {
            let [Some(d), f] = cand(j) else { continue };
            consider(single(&d));
            if let Some(f) = f {
                consider(single(&f));
            }
            let hrow = &h[j * n..(j + 1) * n];
            for &kk in adds {
                for s in [1i8, -1] {
                    let sf = s as f64;
                    let dp = d.dp + sf * self.g[kk] as f64;
                    let dq = d.dq
                        + 2.0 * sf * self.v[kk] as f64
                        + hdiag[kk] as f64
                        + 2.0 * d.d as f64 * sf * hrow[kk] as f64;
                    consider(Move {
                        delta: self.scale.delta(dp, dq),
                        changes: [(j, d.d), (kk, s)],
                        len: 2,
                        dp,
                        dq,
                    });
                }
            }
        }
        best
    }

    /// Applies `m`: updates `t`, `v = H·t` and the row's `P`, `Q`. Cost: O(n_in) per
    /// change.
    fn apply(&mut self, m: &Move, h: &[f32]) {
        let n = self.t.len();
        for &(j, d) in &m.changes[..m.len] {
            self.t[j] += d;
            axpy(self.v, d as f32, &h[j * n..(j + 1) * n]);
        }
        self.scale.apply(m.dp, m.dq);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn layer(n_out: usize, n_in: usize, rng: &mut impl Rng) -> DenseLayer {
        DenseLayer {
            name: "l".into(),
            n_out,
            n_in,
            weight: (0..n_out * n_in)
                .map(|_| rng.gen_range(-1.0..1.0))
                .collect(),
            bias: vec![0.0; n_out],
        }
    }

    /// Inputs with very different, correlated column scales (like pixels).
    fn inputs(batch: usize, n_in: usize, rng: &mut impl Rng) -> Vec<f32> {
        let scale: Vec<f32> = (0..n_in).map(|j| [0.05, 1.0, 3.0][j % 3]).collect();
        (0..batch)
            .flat_map(|_| {
                let common: f32 = rng.gen_range(-1.0..1.0);
                scale
                    .iter()
                    .map(|s| s * (rng.gen_range(-1.0f32..1.0) + 0.5 * common))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The best objective over every support of at most `budget` nonzeros in a
    /// single-row layer, each with its optimal scale.
    fn brute_force(l: &DenseLayer, calib: LayerCalib<'_>, budget: usize, damping: f64) -> f64 {
        let n = l.n_in;
        let mut best = f64::INFINITY;
        for code in 0..3usize.pow(n as u32) {
            let t: Vec<i8> = (0..n)
                .map(|j| ((code / 3usize.pow(j as u32)) % 3) as i8 - 1)
                .collect();
            let nnz = t.iter().filter(|v| **v != 0).count();
            if nnz == 0 || nnz > budget {
                continue;
            }
            // Optimal α by a fine scan around the least-squares value.
            let mut tl = TernaryLayer {
                n_out: 1,
                n_in: n,
                t,
                alpha: vec![1.0],
            };
            let e0 = calibration_error(l, calib, &tl, damping);
            tl.alpha = vec![2.0];
            let e2 = calibration_error(l, calib, &tl, damping);
            tl.alpha = vec![0.0];
            let ez = calibration_error(l, calib, &tl, damping);
            // e(α) = A α² + B α + C through α = 0, 1, 2.
            let c = ez;
            let a = (e2 - 2.0 * e0 + c) / 2.0;
            let b = e0 - a - c;
            let am = (-b / (2.0 * a)).max(0.0);
            tl.alpha = vec![am];
            best = best.min(calibration_error(l, calib, &tl, damping));
        }
        best
    }

    fn magnitude_error(l: &DenseLayer, calib: LayerCalib<'_>, budget: usize, shared: bool) -> f64 {
        let mut st = magnitude_start(l, budget).unwrap();
        // The magnitude support with its own optimal scales (closed form).
        let opts = SearchOptions {
            rounds: 0,
            ..SearchOptions::default()
        };
        let stats = Stats::new(l, calib, &st, opts.damping);
        let mut s = State {
            n_in: l.n_in,
            t: st.t.clone(),
            alpha: st.alpha.clone(),
            v: stats.v0,
            g: stats.g,
        };
        s.refit(shared);
        st.alpha = s.alpha;
        calibration_error(l, calib, &st, opts.damping)
    }

    #[test]
    fn never_worse_than_magnitude_and_within_budget() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for case in 0..12 {
            let (n_out, n_in, batch) = (5, 12, 40);
            let l = layer(n_out, n_in, &mut rng);
            let x = inputs(batch, n_in, &mut rng);
            // Half the cases: the target inputs differ (earlier layers' error).
            let xt: Vec<f32> = if case % 2 == 0 {
                x.clone()
            } else {
                x.iter().map(|v| v + rng.gen_range(-0.05..0.05)).collect()
            };
            let calib = LayerCalib {
                x: &x,
                x_target: &xt,
                batch,
            };
            let budget = [6, 15, 30, 60][case % 4];
            let shared = case % 3 == 0;
            let opts = SearchOptions::default();
            let s = search_support(&l, calib, budget, shared, &opts).unwrap();
            assert!(s.nnz() <= budget && s.nnz() > 0);
            assert!(s.t.iter().all(|v| (-1..=1).contains(v)));
            if shared {
                assert!(s.alpha.iter().all(|a| *a == s.alpha[0]));
            }
            let es = calibration_error(&l, calib, &s, opts.damping);
            let em = magnitude_error(&l, calib, budget, shared);
            assert!(
                es <= em * (1.0 + 1e-5),
                "case {case}: search {es} > magnitude {em}"
            );
            // Deterministic.
            assert_eq!(search_support(&l, calib, budget, shared, &opts).unwrap(), s);
        }
    }

    #[test]
    fn matches_brute_force_on_small_rows() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let mut hits = 0;
        let cases = 10;
        for _ in 0..cases {
            let (n_in, batch) = (7, 30);
            let l = layer(1, n_in, &mut rng);
            let x = inputs(batch, n_in, &mut rng);
            let calib = LayerCalib {
                x: &x,
                x_target: &x,
                batch,
            };
            let budget = 3;
            let s = search_support(&l, calib, budget, false, &SearchOptions::default()).unwrap();
            let es = calibration_error(&l, calib, &s, 0.01);
            let eb = brute_force(&l, calib, budget, 0.01);
            let em = magnitude_error(&l, calib, budget, false);
            assert!(
                es >= eb * (1.0 - 1e-4),
                "search {es} below the optimum {eb}?"
            );
            assert!(es <= em * (1.0 + 1e-5));
            if es <= eb * (1.0 + 1e-3) {
                hits += 1;
            }
        }
        // A local search: it reaches the global optimum on most small rows.
        assert!(hits >= cases * 7 / 10, "optimum reached on {hits}/{cases}");
    }

    #[test]
    fn moves_weight_off_an_input_that_never_varies() {
        // Input 0 is constant, so its large weight is useless; input 2 matters.
        let l = DenseLayer {
            name: "l".into(),
            n_out: 1,
            n_in: 3,
            weight: vec![1.0, 0.1, 0.5],
            bias: vec![0.0],
        };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let x: Vec<f32> = (0..50)
            .flat_map(|_| [1.0, rng.gen_range(-1.0..1.0), rng.gen_range(-1.0..1.0)])
            .collect();
        let calib = LayerCalib {
            x: &x,
            x_target: &x,
            batch: 50,
        };
        let s = search_support(&l, calib, 1, false, &SearchOptions::default()).unwrap();
        assert_eq!(s.t, vec![0, 0, 1]);
        assert!((s.alpha[0] - 0.5).abs() < 0.05, "{:?}", s.alpha);
    }

    #[test]
    fn drops_weights_when_the_full_budget_hurts() {
        // Density 1: keeping every weight at ±α is worse than dropping the small ones.
        let l = DenseLayer {
            name: "l".into(),
            n_out: 1,
            n_in: 4,
            weight: vec![1.0, -1.0, 0.01, 0.02],
            bias: vec![0.0],
        };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
        let x: Vec<f32> = (0..64).map(|_| rng.gen_range(-1.0..1.0)).collect();
        let calib = LayerCalib {
            x: &x,
            x_target: &x,
            batch: 16,
        };
        let s = search_support(&l, calib, 4, false, &SearchOptions::default()).unwrap();
        assert_eq!(s.t, vec![1, -1, 0, 0]);
    }

    #[test]
    fn an_already_ternary_layer_is_kept() {
        let l = DenseLayer {
            name: "l".into(),
            n_out: 2,
            n_in: 3,
            weight: vec![0.5, 0.0, -0.5, 0.0, 0.25, 0.0],
            bias: vec![0.0; 2],
        };
        let x = vec![1.0f32; 6];
        let calib = LayerCalib {
            x: &x,
            x_target: &x,
            batch: 2,
        };
        let o = SearchOptions::default();
        let s = search_support(&l, calib, 3, false, &o).unwrap();
        assert_eq!(s.t, vec![1, 0, -1, 0, 1, 0]);
        assert_eq!(s.alpha, vec![0.5, 0.25]);
        // Shared scales: the two rows differ, so the search runs.
        assert!(already_ternary(&l, 3, true).is_none());
        assert!(search_support(&l, calib, 3, false, &o).is_ok());
        let bad = LayerCalib {
            x: &x[..5],
            x_target: &x,
            batch: 2,
        };
        assert!(search_support(&l, bad, 3, false, &o).is_err());
    }
}

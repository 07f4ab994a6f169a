//! Prover/verifier kernels: split equality tables, sparse scaled sumcheck tables with
//! their degree-2 round and binding steps, and the parallel gate-to-wire scatter.

use super::circuit::{Gate, ScatterMode, ScatterPlan};
use crate::eq::{eq_table, PAR_THRESHOLD};
use crate::field::F;
use ark_ff::{AdditiveGroup, Field};
use rayon::prelude::*;
use std::borrow::Cow;

/// `z ↦ coeff · eq(point, z)` for `z ∈ [0, 2^k)`, stored as two tables of size about
/// `2^(k/2)`: `eq(point, z) = eq(point_hi, z >> lo_bits) · eq(point_lo, z & mask)`.
/// Build cost: ~`2^(k/2+1)` multiplications; each lookup: one multiplication.
pub(crate) struct SplitEq {
    hi: Vec<F>,
    lo: Vec<F>,
    lo_bits: u32,
    mask: usize,
}

impl SplitEq {
    pub fn new(point: &[F], coeff: F) -> Self {
        let k = point.len();
        let lo_bits = k / 2;
        let (ph, pl) = point.split_at(k - lo_bits);
        let mut hi = eq_table(ph);
        if coeff != F::ONE {
            hi.iter_mut().for_each(|h| *h *= coeff);
        }
        SplitEq {
            hi,
            lo: eq_table(pl),
            lo_bits: lo_bits as u32,
            mask: (1usize << lo_bits) - 1,
        }
    }

    /// `coeff · eq(point, z)`.
    #[inline(always)]
    pub fn at(&self, z: usize) -> F {
        self.hi[z >> self.lo_bits] * self.lo[z & self.mask]
    }
}

/// `g ↦ Σ_c coeff_c · eq(point_c, g)`: the weight of gate `g` in a layer's (combined)
/// claim. One or two terms; one multiplication per term per lookup.
pub(crate) struct Weights(Vec<SplitEq>);

impl Weights {
    pub fn new(claims: &[(Vec<F>, F)]) -> Self {
        Weights(claims.iter().map(|(p, c)| SplitEq::new(p, *c)).collect())
    }

    #[inline(always)]
    pub fn at(&self, g: usize) -> F {
        match self.0.as_slice() {
            [a] => a.at(g),
            [a, b] => a.at(g) + b.at(g),
            all => all.iter().map(|e| e.at(g)).sum(),
        }
    }
}

/// Recycles the prover's large table buffers across phases and layers, so the big
/// tables reuse already-touched memory instead of faulting in fresh pages. Keeps at
/// most [`Pool::KEEP`] buffers (the largest), bounding the extra memory held.
#[derive(Default)]
pub(crate) struct Pool(Vec<Vec<F>>);

impl Pool {
    const KEEP: usize = 3;

    /// A vector of length `len` with entries `f(i)`, written in parallel into the
    /// smallest recycled buffer that fits (or a new one). Cost: `len` calls of `f`.
    pub fn fill(&mut self, len: usize, f: impl Fn(usize) -> F + Sync + Send) -> Vec<F> {
        let best = (0..self.0.len())
            .filter(|&i| self.0[i].capacity() >= len)
            .min_by_key(|&i| self.0[i].capacity());
        let mut v = match best {
            Some(i) => {
                let mut v = self.0.swap_remove(i);
                v.clear();
                v
            }
            None => Vec::with_capacity(len),
        };
        if len >= PAR_THRESHOLD {
            v.par_extend((0..len).into_par_iter().with_min_len(1 << 12).map(f));
        } else {
            v.extend((0..len).map(f));
        }
        v
    }

    /// Returns a buffer for reuse.
    pub fn give(&mut self, v: Vec<F>) {
        if v.capacity() < PAR_THRESHOLD {
            return;
        }
        self.0.push(v);
        if self.0.len() > Self::KEEP {
            let smallest = (0..self.0.len())
                .min_by_key(|&i| self.0[i].capacity())
                .expect("nonempty");
            self.0.swap_remove(smallest);
        }
    }

    /// Returns a table's buffer (if it owns one) for reuse.
    pub fn give_table(&mut self, t: SparseTable) {
        if let Cow::Owned(v) = t.data {
            self.give(v);
        }
    }
}

/// A table over a logical domain `[0, 2^k)` whose entry `z` is `scale · data[z − off]`
/// for `off ≤ z < off + data.len()` and zero elsewhere. Binding a variable when the
/// support lies in one half only rescales in O(1), so sparse tables stay cheap.
pub(crate) struct SparseTable<'a> {
    pub off: usize,
    pub data: Cow<'a, [F]>,
    pub scale: F,
}

impl<'a> SparseTable<'a> {
    pub fn borrowed(data: &'a [F]) -> Self {
        SparseTable {
            off: 0,
            data: Cow::Borrowed(data),
            scale: F::ONE,
        }
    }

    fn end(&self) -> usize {
        self.off + self.data.len()
    }

    /// Raw (unscaled) entry at logical index `z`, zero outside the support.
    #[inline(always)]
    fn raw(&self, z: usize) -> F {
        raw_at(&self.data, self.off, z)
    }

    /// The value after all variables are bound (logical size 1).
    pub fn final_value(&self) -> F {
        self.scale * self.raw(0)
    }

    /// Binds the first (most significant) variable to `r`; `half` is half the current
    /// logical size. Cost: O(1) if the support lies in one half, else one
    /// multiplication per entry of the new support (in place when owned).
    pub fn bind(&mut self, half: usize, r: F, pool: &mut Pool) {
        let (off, end) = (self.off, self.end());
        if self.data.is_empty() {
            self.off = 0;
        } else if end <= half {
            self.scale *= F::ONE - r;
        } else if off >= half {
            self.scale *= r;
            self.off -= half;
        } else if off == 0 && 4 * (end - half) <= half && r != F::ONE {
            // Short upper part: new = (1−r)·(lo + r/(1−r)·hi), and hi is zero beyond
            // `end − half`, so only that prefix needs a multiplication.
            let upper = end - half;
            let one_minus = F::ONE - r;
            let rr = r * one_minus.inverse().expect("r != 1");
            self.scale *= one_minus;
            let mut v = match std::mem::take(&mut self.data) {
                Cow::Owned(v) => v,
                Cow::Borrowed(d) => pool.fill(end, |i| d[i]),
            };
            let (lo, hi) = v.split_at_mut(half);
            let f = |(a, h): (&mut F, &F)| *a += rr * h;
            if upper >= PAR_THRESHOLD {
                lo[..upper].par_iter_mut().zip(hi.par_iter()).for_each(f);
            } else {
                lo[..upper].iter_mut().zip(hi.iter()).for_each(f);
            }
            v.truncate(half);
            self.data = Cow::Owned(v);
        } else if off == 0 {
            match &mut self.data {
                Cow::Owned(v) => {
                    let (lo, hi) = v.split_at_mut(half);
                    let f = |(i, a): (usize, &mut F)| {
                        let h = hi.get(i).copied().unwrap_or(F::ZERO);
                        *a += r * (h - *a);
                    };
                    if half >= PAR_THRESHOLD {
                        lo.par_iter_mut().enumerate().for_each(f);
                    } else {
                        lo.iter_mut().enumerate().for_each(f);
                    }
                    v.truncate(half);
                }
                Cow::Borrowed(d) => {
                    let d: &[F] = d;
                    let f = |i: usize| {
                        let a = d[i];
                        let h = d.get(i + half).copied().unwrap_or(F::ZERO);
                        a + r * (h - a)
                    };
                    self.data = Cow::Owned(pool.fill(half, f));
                }
            }
        } else {
            // Support straddles the middle away from 0: rebuild over [0, half).
            let this = &*self;
            let f = |i: usize| {
                let (a, h) = (this.raw(i), this.raw(i + half));
                a + r * (h - a)
            };
            let v = pool.fill(half, f);
            if let Cow::Owned(old) = std::mem::replace(&mut self.data, Cow::Owned(v)) {
                pool.give(old);
            }
            self.off = 0;
        }
    }
}

/// Raw entry `z` of a table stored as `data` from offset `off` (zero outside).
#[inline(always)]
fn raw_at(data: &[F], off: usize, z: usize) -> F {
    data.get(z.wrapping_sub(off)).copied().unwrap_or(F::ZERO)
}

/// Round-polynomial terms `[a0·h0, (2a1 − a0)(2h1 − h0)]` of one index pair.
#[inline(always)]
fn pair_terms(a0: F, a1: F, h0: F, h1: F) -> [F; 2] {
    [a0 * h0, (a1.double() - a0) * (h1.double() - h0)]
}

#[inline(always)]
fn add2(x: [F; 2], y: [F; 2]) -> [F; 2] {
    [x[0] + y[0], x[1] + y[1]]
}

/// Sums `term(i)` over `range`: blocks of 4096 indices, in parallel when the range is
/// large, each block a plain loop with `N` running sums.
fn sum_range<const N: usize>(
    range: std::ops::Range<usize>,
    term: impl Fn(usize) -> [F; N] + Sync,
) -> [F; N] {
    const BLOCK: usize = 1 << 12;
    let block = |r: std::ops::Range<usize>| {
        let mut acc = [F::ZERO; N];
        for i in r {
            let t = term(i);
            for (a, x) in acc.iter_mut().zip(t) {
                *a += x;
            }
        }
        acc
    };
    if range.len() >= PAR_THRESHOLD {
        let (start, end) = (range.start, range.end);
        (0..range.len().div_ceil(BLOCK))
            .into_par_iter()
            .map(|b| block(start + b * BLOCK..(start + (b + 1) * BLOCK).min(end)))
            .reduce(
                || [F::ZERO; N],
                |mut x, y| {
                    for (a, b) in x.iter_mut().zip(y) {
                        *a += b;
                    }
                    x
                },
            )
    } else {
        block(range)
    }
}

/// One degree-2 sumcheck round of `Σ_z A(z)·H(z)` over a logical domain of size
/// `2·half`, first variable free: returns the round polynomial at 0 and 2.
/// Cost: two multiplications per index `i < half` where `H(i)` or `H(i + half)` can be
/// nonzero (the support of `H` bounds the work).
pub(crate) fn round_evals(a: &SparseTable, h: &SparseTable, half: usize) -> [F; 2] {
    let (hs, he) = (h.off, h.end());
    if hs >= he {
        return [F::ZERO; 2];
    }
    let c = a.scale * h.scale;
    let (ad, hd): (&[F], &[F]) = (&a.data, &h.data);
    if a.off == 0 && hs == 0 && ad.len() >= 2 * half && hd.len() >= 2 * half {
        // Dense fast path.
        let (a_lo, a_hi) = ad[..2 * half].split_at(half);
        let (h_lo, h_hi) = hd[..2 * half].split_at(half);
        let s = sum_range(0..half, |i| pair_terms(a_lo[i], a_hi[i], h_lo[i], h_hi[i]));
        return [s[0] * c, s[1] * c];
    }
    // Indices i < half with H(i) or H(i + half) in the support.
    let (mut lo, mut hi) = (usize::MAX, 0usize);
    if hs < half {
        lo = lo.min(hs);
        hi = hi.max(he.min(half));
    }
    if he > half {
        lo = lo.min(hs.saturating_sub(half));
        hi = hi.max(he - half);
    }
    if lo >= hi {
        return [F::ZERO; 2];
    }
    let (ao, ho) = (a.off, h.off);
    if he <= half {
        // H lives in the lower half (h1 = 0): p(0) = Σ a0·h0 and
        // p(2) = Σ (2a1 − a0)(−h0) = p(0) − 2·Σ a1·h0, the last sum over the indices
        // where A's upper half is nonzero.
        let p0 = sum_range(hs..he, |i| [raw_at(ad, ao, i) * hd[i - ho]])[0];
        let (us, ue) = (ao.max(half) - half, a.end().saturating_sub(half));
        let cross = sum_range(us.max(hs)..ue.min(he), |i| [ad[i + half - ao] * hd[i - ho]])[0];
        return [p0 * c, (p0 - cross.double()) * c];
    }
    if hs >= half {
        // H lives in the upper half (h0 = 0): p(0) = 0, p(2) = Σ (2a1 − a0)·2h1.
        let p2 = sum_range(hs - half..he - half, |i| {
            let a2 = raw_at(ad, ao, i + half).double() - raw_at(ad, ao, i);
            [a2 * hd[i + half - ho]]
        })[0];
        return [F::ZERO, p2.double() * c];
    }
    let s = sum_range(lo..hi, |i| {
        pair_terms(
            raw_at(ad, ao, i),
            raw_at(ad, ao, i + half),
            raw_at(hd, ho, i),
            raw_at(hd, ho, i + half),
        )
    });
    [s[0] * c, s[1] * c]
}

/// Whether both tables are owned, dense from 0 and exactly `2·half` long, so the next
/// round can use [`bind_and_round`].
pub(crate) fn both_dense(a: &SparseTable, h: &SparseTable, half: usize) -> bool {
    let dense =
        |t: &SparseTable| matches!(t.data, Cow::Owned(_)) && t.off == 0 && t.data.len() == 2 * half;
    dense(a) && dense(h)
}

/// Fused round for dense owned tables (see [`both_dense`]): binds the first variable
/// of `A` and `H` to `r` in place (length `2·half → half`) and returns the next
/// round's evaluations at 0 and 2 (over `half/2` pairs), in one pass.
/// Cost: four multiplications per pair of the next round (two binds, two products).
pub(crate) fn bind_and_round(
    a: &mut SparseTable,
    h: &mut SparseTable,
    half: usize,
    r: F,
) -> [F; 2] {
    debug_assert!(half >= 2 && both_dense(a, h, half));
    let q = half / 2;
    let c = a.scale * h.scale;
    let (Cow::Owned(av), Cow::Owned(hv)) = (&mut a.data, &mut h.data) else {
        unreachable!("checked by both_dense")
    };
    let s = {
        let (a_lo, a_hi) = av.split_at_mut(half);
        let (a0, a1) = a_lo.split_at_mut(q);
        let (a2, a3) = a_hi.split_at(q);
        let (h_lo, h_hi) = hv.split_at_mut(half);
        let (h0, h1) = h_lo.split_at_mut(q);
        let (h2, h3) = h_hi.split_at(q);
        #[allow(clippy::type_complexity)]
        let kernel = |((((((x0, x1), x2), x3), g0), g1), g2, g3): (
            (((((&mut [F], &mut [F]), &[F]), &[F]), &mut [F]), &mut [F]),
            &[F],
            &[F],
        )| {
            let mut acc = [F::ZERO; 2];
            for i in 0..x0.len() {
                let n0 = x0[i] + r * (x2[i] - x0[i]);
                let n1 = x1[i] + r * (x3[i] - x1[i]);
                let m0 = g0[i] + r * (g2[i] - g0[i]);
                let m1 = g1[i] + r * (g3[i] - g1[i]);
                x0[i] = n0;
                x1[i] = n1;
                g0[i] = m0;
                g1[i] = m1;
                acc = add2(acc, pair_terms(n0, n1, m0, m1));
            }
            acc
        };
        const C: usize = 1 << 11;
        if q >= PAR_THRESHOLD {
            a0.par_chunks_mut(C)
                .zip(a1.par_chunks_mut(C))
                .zip(a2.par_chunks(C))
                .zip(a3.par_chunks(C))
                .zip(h0.par_chunks_mut(C))
                .zip(h1.par_chunks_mut(C))
                .zip(h2.par_chunks(C).zip(h3.par_chunks(C)))
                .map(|(x, (g2, g3))| kernel((x, g2, g3)))
                .reduce(|| [F::ZERO; 2], add2)
        } else {
            kernel(((((((a0, a1), a2), a3), h0), h1), h2, h3))
        }
    };
    av.truncate(half);
    hv.truncate(half);
    [s[0] * c, s[1] * c]
}

/// Accumulator over a window `[base, base + buf.len())` of a scatter target.
pub(crate) struct Acc<'a> {
    base: usize,
    buf: &'a mut [F],
}

impl Acc<'_> {
    /// `target[key] += v`.
    #[inline(always)]
    pub fn add(&mut self, key: u32, v: F) {
        self.buf[key as usize - self.base] += v;
    }
}

/// Builds the table `T[key] = Σ` of everything `emit(g, gate, acc)` adds for every gate,
/// as a [`SparseTable`] over the plan's key span. `emit` must only add keys the plan
/// was built from. Cost: O(#gates) plus the span (and, in `Private` mode, the sum of
/// the chunks' key ranges); parallel except in `Serial` mode.
pub(crate) fn scatter<E>(
    gates: &[Gate],
    plan: &ScatterPlan,
    pool: &mut Pool,
    emit: E,
) -> SparseTable<'static>
where
    E: Fn(usize, &Gate, &mut Acc) + Sync,
{
    let Some((min, max)) = plan.span else {
        return SparseTable {
            off: 0,
            data: Cow::Owned(Vec::new()),
            scale: F::ONE,
        };
    };
    let (min, max) = (min as usize, max as usize);
    let mut out = pool.fill(max - min + 1, |_| F::ZERO);
    let chunk = plan.chunk;
    let run = |c: usize, acc: &mut Acc| {
        let start = c * chunk;
        let end = (start + chunk).min(gates.len());
        for (g, gate) in gates[start..end].iter().enumerate() {
            emit(start + g, gate, acc);
        }
    };
    match plan.mode {
        ScatterMode::Serial => {
            let mut acc = Acc {
                base: min,
                buf: &mut out,
            };
            for c in 0..gates.len().div_ceil(chunk) {
                run(c, &mut acc);
            }
        }
        ScatterMode::Disjoint => {
            // Chunk j owns [min_j, min_{j+1}) of the output.
            let mut segments = Vec::with_capacity(plan.ranges.len());
            let mut rest: &mut [F] = &mut out;
            for (j, &(c, lo, _)) in plan.ranges.iter().enumerate() {
                let next = plan
                    .ranges
                    .get(j + 1)
                    .map_or(max + 1, |&(_, l, _)| l as usize);
                let (seg, tail) = rest.split_at_mut(next - lo as usize);
                segments.push((c, lo as usize, seg));
                rest = tail;
            }
            segments.into_par_iter().for_each(|(c, base, buf)| {
                run(c, &mut Acc { base, buf });
            });
        }
        ScatterMode::Private => {
            let privates: Vec<(usize, Vec<F>)> = plan
                .ranges
                .par_iter()
                .map(|&(c, lo, hi)| {
                    let mut buf = vec![F::ZERO; (hi - lo) as usize + 1];
                    run(
                        c,
                        &mut Acc {
                            base: lo as usize,
                            buf: &mut buf,
                        },
                    );
                    (lo as usize, buf)
                })
                .collect();
            // Sum the private buffers into the output, split into parallel segments.
            let seg = out
                .len()
                .div_ceil(4 * rayon::current_num_threads())
                .max(1 << 12);
            out.par_chunks_mut(seg).enumerate().for_each(|(s, dst)| {
                let d0 = min + s * seg;
                let d1 = d0 + dst.len();
                for (p0, buf) in &privates {
                    let p1 = p0 + buf.len();
                    let (a, b) = ((*p0).max(d0), p1.min(d1));
                    if a < b {
                        for (x, y) in dst[a - d0..b - d0].iter_mut().zip(&buf[a - p0..b - p0]) {
                            *x += y;
                        }
                    }
                }
            });
        }
    }
    SparseTable {
        off: min,
        data: Cow::Owned(out),
        scale: F::ONE,
    }
}

/// Inner product `Σ_z T(z)·V[z]` of a sparse table with a dense vector (zero beyond its
/// length). Cost: one multiplication per entry of the table's support.
pub(crate) fn sparse_dot(t: &SparseTable, v: &[F]) -> F {
    let end = t.end().min(v.len());
    if t.off >= end {
        return F::ZERO;
    }
    let d = &t.data[..end - t.off];
    let w = &v[t.off..end];
    let s: F = if d.len() >= PAR_THRESHOLD {
        d.par_iter().zip(w).map(|(a, b)| *a * b).sum()
    } else {
        d.iter().zip(w).map(|(a, b)| *a * b).sum()
    };
    s * t.scale
}

/// Evaluates the MLE of `values`, zero-padded to `2^k` (`k = point.len()`), at `point`.
/// Cost: one multiplication per entry plus `O(2^{k/2})`, parallel.
///
/// # Panics
/// If `values.len() > 2^k`.
pub(crate) fn mle_eval(values: &[F], point: &[F]) -> F {
    assert!(
        values.len() <= 1usize << point.len(),
        "more values than 2^k"
    );
    let e = SplitEq::new(point, F::ONE);
    let row = 1usize << e.lo_bits;
    let dot = |(h, chunk): (usize, &[F])| -> F {
        let s: F = chunk.iter().zip(&e.lo).map(|(v, l)| *v * l).sum();
        s * e.hi[h]
    };
    if values.len() >= PAR_THRESHOLD {
        values.par_chunks(row).enumerate().map(dot).sum()
    } else {
        values.chunks(row).enumerate().map(dot).sum()
    }
}

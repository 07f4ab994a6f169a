//! The witness-side GKR prover's heavy passes on eight lanes at once (AVX-512 IFMA,
//! [`crate::ifma`]): building the fraction tree's large levels and every layer-sumcheck
//! round that still has at least eight pairs. They compute the very values of the
//! scalar passes in `logup.rs` (field arithmetic is exact), so a proof is byte-for-byte
//! the same whichever path made it; the tests check that.
//!
//! Layout: a block holds eight consecutive indices of a table, one [`Lanes`] per
//! table (`[p, q]` for a tree level, `[A, B, C, D]` or `[C, D]` for a layer's
//! tables). Pairs `(y, y + h)` with `h ≥ 8` are pairs of blocks.
//!
//! Cost: the scalar passes' multiplication counts, each product about a third of a
//! scalar one; moving values between arkworks and lanes moves bits only.

use super::{chunked, Leaves, PASS_CHUNK};
use crate::field::F;
use crate::ifma::{self, FrLanes as Lanes};
use crate::simd::Ifma;
use ark_ff::AdditiveGroup;
use rayon::prelude::*;
use std::cell::Cell;

/// Blocks per parallel task (the scalar passes' [`PASS_CHUNK`] pairs).
const BLOCK_CHUNK: usize = PASS_CHUNK / 8;
/// Tree levels of at least `2^WIDE_LEVEL` nodes are built in lanes.
pub(super) const WIDE_LEVEL: usize = 4;

thread_local! {
    static FORCE_SCALAR: Cell<bool> = const { Cell::new(false) };
}

/// The IFMA token if the prover on this thread uses the lanes (the CPU has IFMA,
/// `TERNZK_NO_SIMD` is off and no test asked for the scalar path).
pub(super) fn enabled() -> Option<Ifma> {
    Ifma::detect().filter(|_| !FORCE_SCALAR.with(|c| c.get()))
}

/// Runs `f` with the lanes turned off on this thread (tests compare both paths).
#[cfg(test)]
pub(super) fn scalar_only<R>(f: impl FnOnce() -> R) -> R {
    FORCE_SCALAR.with(|c| c.set(true));
    let out = f();
    FORCE_SCALAR.with(|c| c.set(false));
    out
}

/// One tree level in lanes: block `b` holds `[p, q]` of nodes `8b..8b + 8`.
pub(super) type Level = Vec<[Lanes; 2]>;

/// The leaves of one instance in gatherable form: `table[idx[i]]` is leaf `i`'s
/// denominator (`β − T(t)` in lanes' form).
pub(super) struct WideLeaves<'a> {
    pub idx: &'a [u32],
    pub table: Vec<[u64; 8]>,
    pub simd: Ifma,
}

impl<'a> WideLeaves<'a> {
    /// Prepares `leaves` for gathers. Cost: moving the table's bits.
    pub fn new(simd: Ifma, leaves: &'a Leaves<'a>) -> Self {
        WideLeaves {
            idx: &leaves.idx,
            table: ifma::gather_table(leaves.d),
            simd,
        }
    }
}

/// Where a pass reads block `b` of its (unbound) tables.
pub(super) trait Source<const N: usize>: Sync {
    /// Block `b` (in range) of the tables.
    fn get(&self, b: usize) -> [Lanes; N];
}

/// An inner layer's tables `A, B, C, D` from the children level.
pub(super) struct TreeSource<'a> {
    level: &'a [[Lanes; 2]],
    half: usize, // blocks
}

impl Source<4> for TreeSource<'_> {
    #[inline(always)]
    fn get(&self, b: usize) -> [Lanes; 4] {
        let ([a, c], [bb, d]) = (self.level[b], self.level[b + self.half]);
        [a, bb, c, d]
    }
}

/// The leaf layer's tables `C, D` from the leaves.
pub(super) struct LeafSource<'a> {
    leaves: &'a WideLeaves<'a>,
    half: usize, // entries
}

impl Source<2> for LeafSource<'_> {
    #[inline(always)]
    fn get(&self, b: usize) -> [Lanes; 2] {
        let idx = self.leaves.idx;
        [
            Lanes::gather(self.leaves.simd, &self.leaves.table, &idx[8 * b..]),
            Lanes::gather(
                self.leaves.simd,
                &self.leaves.table,
                &idx[self.half + 8 * b..],
            ),
        ]
    }
}

/// Tables bound by earlier rounds.
struct BufSource<'a, const N: usize>(&'a [[Lanes; N]]);

impl<const N: usize> Source<N> for BufSource<'_, N> {
    #[inline(always)]
    fn get(&self, b: usize) -> [Lanes; N] {
        self.0[b]
    }
}

/// The layer summand (see `logup::summand`): `A·D + C·(B + λ·D)`, or for the leaf layer
/// `C + D + λ·C·D`.
#[inline(always)]
fn summand<const N: usize>(v: &[Lanes; N], lambda: Lanes) -> Lanes {
    if N == 4 {
        v[0].mul(v[3]).add(v[2].mul(v[1].add(lambda.mul(v[3]))))
    } else {
        v[0].add(v[1]).add(lambda.mul(v[0].mul(v[1])))
    }
}

/// The two halves a pass writes its bound tables to.
type OutHalves<'a, const N: usize> = (&'a mut [[Lanes; N]], &'a mut [[Lanes; N]]);

/// The pass worker over pair blocks `lo..hi` (see `logup::layer_pass`): binds `r` if
/// given (bound length `m` blocks), writes the bound tables to `out`, and returns the
/// eq-weighted sums at `t = 0, 1, 2` (`t = 1` only if `want_t1`).
#[allow(clippy::too_many_arguments)]
#[target_feature(enable = "avx512f,avx512ifma")]
unsafe fn pass_blocks<const N: usize, S: Source<N>>(
    src: &S,
    bind: Option<Lanes>,
    mut out: Option<OutHalves<N>>,
    e: &[Lanes],
    t0: Option<&[[Lanes; 2]]>,
    lambda: Lanes,
    want_t1: bool,
    (lo, hi): (usize, usize),
    (h, m): (usize, usize),
) -> [F; 3] {
    let bound = |b: usize| -> [Lanes; N] {
        match bind {
            None => src.get(b),
            Some(r) => {
                let (mut x, z) = (src.get(b), src.get(b + m));
                for (a, c) in x.iter_mut().zip(&z) {
                    *a = a.lerp(*c, r);
                }
                x
            }
        }
    };
    let mut s = [Lanes::zero(lambda.simd()); 3];
    for b in lo..hi {
        let v0 = bound(b);
        let v1 = bound(b + h);
        if let Some((ol, oh)) = out.as_mut() {
            ol[b - lo] = v0;
            oh[b - lo] = v1;
        }
        let eb = e[b];
        let f0 = match t0 {
            Some(t) => t[b][0].add(lambda.mul(t[b][1])),
            None => summand(&v0, lambda),
        };
        s[0] = s[0].add(eb.mul(f0));
        if want_t1 {
            s[1] = s[1].add(eb.mul(summand(&v1, lambda)));
        }
        let two: [Lanes; N] = std::array::from_fn(|i| v1[i].double().sub(v0[i]));
        s[2] = s[2].add(eb.mul(summand(&two, lambda)));
    }
    [s[0].total(), s[1].total(), s[2].total()]
}

/// A round `≥ 1` over `h = out.len() / 2` pair blocks: binds `r` in `src` (bound
/// length `2h` blocks) into `out` and sums (see [`pass_blocks`]).
fn bind_round<const N: usize, S: Source<N>>(
    src: &S,
    out: &mut [[Lanes; N]],
    r: Lanes,
    ew: &[Lanes],
    lw: Lanes,
    want_t1: bool,
    par: bool,
) -> [F; 3] {
    let h = out.len() / 2;
    // SAFETY: lanes exist only with an `Ifma` token, so the CPU has AVX-512F and
    // AVX-512 IFMA, the features `pass_blocks` is compiled for.
    chunked(h, Some(out), par, BLOCK_CHUNK, |lo, hi, a, b| unsafe {
        pass_blocks(
            src,
            Some(r),
            a.zip(b),
            ew,
            None,
            lw,
            want_t1,
            (lo, hi),
            (h, 2 * h),
        )
    })
}

/// One round of a layer in lanes (see `logup::round_on`): round 0 sums from `src`
/// with the layer's own level `t0`; round 1 binds `src` into `bufs[1]`; later rounds
/// bind `bufs[0]` into `bufs[1]`; the buffers are then swapped. Needs `e.len() ≥ 8`.
#[allow(clippy::too_many_arguments)]
fn round<const N: usize, S: Source<N>>(
    simd: Ifma,
    src: &S,
    bufs: &mut [Vec<[Lanes; N]>; 2],
    i: usize,
    r_prev: F,
    e: &[F],
    t0: Option<&[[Lanes; 2]]>,
    lambda: F,
    want_t1: bool,
    par: bool,
) -> [F; 3] {
    let h = e.len() / 8;
    let (ew, lw) = (ifma::load_all(simd, e), Lanes::splat(simd, lambda));
    let (ew, lw) = (&ew[..], lw);
    if i == 0 {
        return chunked(
            h,
            None::<&mut [[Lanes; N]]>,
            par,
            BLOCK_CHUNK,
            // SAFETY: the `Ifma` token proves the CPU has AVX-512F and AVX-512 IFMA.
            |lo, hi, _, _| unsafe {
                pass_blocks(src, None, None, ew, t0, lw, want_t1, (lo, hi), (h, 0))
            },
        );
    }
    let r = Lanes::splat(simd, r_prev);
    let [cur, next] = bufs;
    if next.len() < 2 * h {
        next.resize(2 * h, [Lanes::zero(simd); N]);
    }
    let out = &mut next[..2 * h];
    let sums = if i == 1 {
        bind_round(src, out, r, ew, lw, want_t1, par)
    } else {
        bind_round(&BufSource(&cur[..]), out, r, ew, lw, want_t1, par)
    };
    bufs.swap(0, 1);
    sums
}

/// Bound tables in lanes as scalar entries (to hand the last rounds, with fewer than
/// eight pairs, to the scalar passes).
pub(super) fn to_scalar<const N: usize>(tables: &[[Lanes; N]]) -> Vec<[F; N]> {
    let mut out = vec![[F::ZERO; N]; 8 * tables.len()];
    let mut lane = [F::ZERO; 8];
    for (blk, o) in tables.iter().zip(out.chunks_exact_mut(8)) {
        for (t, v) in blk.iter().enumerate() {
            v.store(&mut lane);
            for (entry, x) in o.iter_mut().zip(&lane) {
                entry[t] = *x;
            }
        }
    }
    out
}

/// Tree levels `WIDE_LEVEL..k` in lanes (`k − 1 ≥ WIDE_LEVEL`): `out[l − WIDE_LEVEL]`
/// is level `l`. Level `k − 1` from the leaves (1 product per node), the others from
/// the level below (3 per node).
pub(super) fn build_levels(leaves: &WideLeaves, k: usize) -> Vec<Level> {
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn leaf_nodes(leaves: &WideLeaves, h: usize, b0: usize, out: &mut [[Lanes; 2]]) {
        for (i, o) in out.iter_mut().enumerate() {
            let b = b0 + i;
            let c = Lanes::gather(leaves.simd, &leaves.table, &leaves.idx[8 * b..]);
            let d = Lanes::gather(leaves.simd, &leaves.table, &leaves.idx[h + 8 * b..]);
            *o = [c.add(d), c.mul(d)];
        }
    }
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn inner_nodes(src: &[[Lanes; 2]], h: usize, b0: usize, out: &mut [[Lanes; 2]]) {
        for (i, o) in out.iter_mut().enumerate() {
            let ([a, c], [b, d]) = (src[b0 + i], src[b0 + i + h]);
            *o = [a.mul(d).add(b.mul(c)), c.mul(d)];
        }
    }
    fn fill(simd: Ifma, blocks: usize, f: impl Fn(usize, &mut [[Lanes; 2]]) + Sync) -> Level {
        let mut out = vec![[Lanes::zero(simd); 2]; blocks];
        if blocks > 2 * BLOCK_CHUNK {
            out.par_chunks_mut(BLOCK_CHUNK)
                .enumerate()
                .for_each(|(c, o)| f(c * BLOCK_CHUNK, o));
        } else {
            f(0, &mut out);
        }
        out
    }
    let mut levels: Vec<Level> = Vec::with_capacity(k - WIDE_LEVEL);
    let h = 1usize << (k - 1);
    let simd = leaves.simd;
    // SAFETY: the `Ifma` token proves the CPU has AVX-512F and AVX-512 IFMA.
    levels.push(fill(simd, h / 8, |b0, o| unsafe {
        leaf_nodes(leaves, h, b0, o)
    }));
    for l in (WIDE_LEVEL..k - 1).rev() {
        let src = levels.last().expect("pushed above");
        let hb = (1usize << l) / 8;
        // SAFETY: the `Ifma` token proves the CPU has AVX-512F and AVX-512 IFMA.
        let next = fill(simd, hb, |b0, o| unsafe { inner_nodes(src, hb, b0, o) });
        levels.push(next);
    }
    levels.reverse();
    levels
}

/// One active instance's lanes state during a GKR layer: its tables' source, its own
/// tree level (for round 0), bound-table buffers and whether they hold the current
/// tables (their length in blocks).
pub(super) struct WideLayer<'a, const N: usize, S: Source<N>> {
    simd: Ifma,
    src: S,
    t0: &'a [[Lanes; 2]],
    bufs: [Vec<[Lanes; N]>; 2],
    current: Option<usize>,
}

/// An inner layer in lanes (tables `A, B, C, D`).
pub(super) type WideInner<'a> = WideLayer<'a, 4, TreeSource<'a>>;
/// The leaf layer in lanes (tables `C, D`).
pub(super) type WideLeaf<'a> = WideLayer<'a, 2, LeafSource<'a>>;

impl<'a> WideInner<'a> {
    /// An inner layer whose children level is `children` and own level `t0`.
    pub fn inner(
        simd: Ifma,
        children: &'a [[Lanes; 2]],
        t0: &'a [[Lanes; 2]],
        bufs: [Vec<[Lanes; 4]>; 2],
    ) -> Self {
        let half = children.len() / 2;
        WideLayer {
            simd,
            src: TreeSource {
                level: children,
                half,
            },
            t0,
            bufs,
            current: None,
        }
    }
}

impl<'a> WideLeaf<'a> {
    /// The leaf layer over `leaves`, with own level `t0`.
    pub fn leaf(leaves: &'a WideLeaves<'a>, t0: &'a [[Lanes; 2]]) -> Self {
        let half = leaves.idx.len() / 2;
        WideLayer {
            simd: leaves.simd,
            src: LeafSource { leaves, half },
            t0,
            bufs: Default::default(),
            current: None,
        }
    }
}

impl<const N: usize, S: Source<N>> WideLayer<'_, N, S> {
    /// Round `i` in lanes if it has at least eight pairs (`e.len() ≥ 8`), else `None`
    /// (the caller runs it on scalar tables, after [`WideLayer::take_current`]).
    pub fn round(
        &mut self,
        i: usize,
        r_prev: F,
        e: &[F],
        lambda: F,
        want_t1: bool,
        par: bool,
    ) -> Option<[F; 3]> {
        if e.len() < 8 {
            return None;
        }
        let t0 = (i == 0).then_some(self.t0);
        let s = round(
            self.simd,
            &self.src,
            &mut self.bufs,
            i,
            r_prev,
            e,
            t0,
            lambda,
            want_t1,
            par,
        );
        self.current = (i > 0).then_some(e.len() / 4);
        Some(s)
    }

    /// The current bound tables as scalar entries, once, if a lanes round made them.
    pub fn take_current(&mut self) -> Option<Vec<[F; N]>> {
        let blocks = self.current.take()?;
        Some(to_scalar(&self.bufs[0][..blocks]))
    }

    /// The buffers, for reuse by the next layer.
    pub fn into_bufs(self) -> [Vec<[Lanes; N]>; 2] {
        self.bufs
    }
}

/// A block of an inner layer's four tables.
pub(super) type Block4 = [Lanes; 4];

/// The table-side sumcheck's tables (`logup::table_side::TableOracle`: `Σ_t m(t)·g(t)`,
/// degree 2) in lanes, used while a round has at least eight pairs: the same sums and
/// bindings as the scalar rounds. Blocks whose sixteen `m` values are all zero are
/// skipped, as the scalar rounds skip such pairs. Cost: about 4 lanes products per pair.
pub(super) struct WideTable {
    simd: Ifma,
    m: Vec<Lanes>,
    g: Vec<Lanes>,
}

#[target_feature(enable = "avx512f,avx512ifma")]
unsafe fn table_sums(
    simd: Ifma,
    m: &[Lanes],
    g: &[Lanes],
    h: usize,
    lo: usize,
    hi: usize,
) -> [F; 3] {
    let (mut s0, mut s2) = (Lanes::zero(simd), Lanes::zero(simd));
    for b in lo..hi {
        let (m0, m1) = (m[b], m[b + h]);
        if m0.is_zero() && m1.is_zero() {
            continue;
        }
        let (g0, g1) = (g[b], g[b + h]);
        s0 = s0.add(m0.mul(g0));
        s2 = s2.add(m1.double().sub(m0).mul(g1.double().sub(g0)));
    }
    [s0.total(), F::ZERO, s2.total()]
}

#[target_feature(enable = "avx512f,avx512ifma")]
unsafe fn table_bind(lo: &mut [Lanes], hi: &[Lanes], r: Lanes, skip_zero: bool) {
    for (a, b) in lo.iter_mut().zip(hi) {
        if skip_zero && a.is_zero() && b.is_zero() {
            continue;
        }
        *a = a.lerp(*b, r);
    }
}

fn table_bind_par(t: &mut Vec<Lanes>, r: Lanes, skip_zero: bool) {
    let h = t.len() / 2;
    let (lo, hi) = t.split_at_mut(h);
    if h > 2 * BLOCK_CHUNK {
        lo.par_chunks_mut(BLOCK_CHUNK)
            .zip(hi.par_chunks(BLOCK_CHUNK))
            // SAFETY: lanes exist only with an `Ifma` token, so the CPU has
            // AVX-512F and AVX-512 IFMA.
            .for_each(|(a, b)| unsafe { table_bind(a, b, r, skip_zero) });
    } else {
        // SAFETY: as in the parallel branch.
        unsafe { table_bind(lo, hi, r, skip_zero) };
    }
    t.truncate(h);
}

impl WideTable {
    /// `m` and `g` (one length, a multiple of 8) in lanes.
    pub fn new(simd: Ifma, m: &[F], g: &[F]) -> Self {
        let (m, g) = (ifma::load_all(simd, m), ifma::load_all(simd, g));
        WideTable { simd, m, g }
    }

    /// Variables left.
    pub fn num_vars(&self) -> usize {
        (8 * self.m.len()).trailing_zeros() as usize
    }

    /// `(p(0), p(2))` of the current round, or `None` below eight pairs (then the
    /// scalar rounds take over, see [`WideTable::into_scalar`]).
    pub fn sums(&self) -> Option<(F, F)> {
        if self.m.len() < 2 {
            return None;
        }
        let h = self.m.len() / 2;
        let (simd, mr, gr) = (self.simd, &self.m[..], &self.g[..]);
        let s = chunked(
            h,
            None::<&mut [Lanes]>,
            h > 2 * BLOCK_CHUNK,
            BLOCK_CHUNK,
            // SAFETY: the `Ifma` token proves the CPU has AVX-512F and AVX-512 IFMA.
            |lo, hi, _, _| unsafe { table_sums(simd, mr, gr, h, lo, hi) },
        );
        Some((s[0], s[2]))
    }

    /// Binds the first variable to `r`.
    pub fn bind(&mut self, r: F) {
        let rw = Lanes::splat(self.simd, r);
        table_bind_par(&mut self.g, rw, false);
        table_bind_par(&mut self.m, rw, true);
    }

    /// The bound `m` and `g` as scalars.
    pub fn into_scalar(self) -> (Vec<F>, Vec<F>) {
        (ifma::store_all(&self.m), ifma::store_all(&self.g))
    }
}

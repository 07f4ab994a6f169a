//! Fast Pedersen row commitments `C_g = Σ_c v[g, c]·G_c` of many small signed integers
//! over one set of column generators (the Hyrax witness commitments of the MLP proof).
//!
//! **Method.** For a window width `w` (half `h = 2^(w-1)`) the generators' signed-digit
//! multiples `j·2^(w·i)·G_c`, `j ∈ 1..=h`, are precomputed as affine points ("slab" `i`
//! holds window `i` of every column). A value `v` is written in signed base-`2^w` digits
//! `d_i ∈ [-(h-1), h]`, so `v·G_c` is the sum of one table point (negated when needed) per
//! nonzero digit. Every row's points are then summed by a **batch-affine pairwise tree**
//! shared by all rows of all vectors in a chunk: each tree level costs one field
//! inversion for the whole chunk (Montgomery's trick), so an addition costs about 6
//! field multiplications instead of the ≈ 35 per entry of a per-row Pippenger
//! ([`crate::msm::msm_small`]) on 8-bit values. Pairs with equal `x` (doubling or
//! cancellation, which the affine formula cannot take) are added projectively.
//!
//! **Cost model.** Building one slab costs about `2^n·h` batch-affine additions; the
//! commitment costs one addition per nonzero digit. [`plan`] compares, in field
//! multiplications, the Pippenger path against every `(w, slabs)` choice (slabs already
//! cached cost nothing) and picks the cheapest, so small commitments keep the old path.
//!
//! **Cache.** Slabs are kept in [`MultiplesCache`] (inside [`crate::hyrax::HyraxKey`],
//! shared by clones of the key), built lazily by the first commitment that wants them:
//! their cost is paid inside the prover's timed work. Building never holds a lock
//! (no deadlock under rayon's work stealing); a commitment that finds a slab being
//! built by another thread plans without it.

use crate::field::{GAffine, G};
use crate::msm::{batch_invert, msm_small, reduce_buckets};
use ark_bn254::Fq;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, Field, Zero};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// An affine point as its coordinates (never the identity).
type Xy = (Fq, Fq);

/// Smallest and largest window widths considered.
const MIN_WINDOW: usize = 2;
const MAX_WINDOW: usize = 10;
/// Largest table (points over all slabs of one window width) a plan may build.
const MAX_TABLE_POINTS: usize = 1 << 19;

/// Cost-model constants, in field multiplications (calibrated on BN254 G1 with the
/// `asm` backend; see `bench_commit` in the tests).
const OLD_ADD: f64 = 11.0; // one bucket (mixed or projective) addition of msm_small
const NEW_ADD: f64 = 9.0; // one batch-affine tree addition, digit and gather included
const BUILD_POINT: f64 = 10.0; // one table point (batch-affine addition)
const ROW_OVERHEAD: f64 = 60.0; // per-row aggregation and normalization on the new path
const SLAB_OVERHEAD: f64 = 5000.0; // per slab built: inversions, allocation, scheduling
const PLAN_OVERHEAD: f64 = 5000.0; // per table-path call: tree inversions, allocation

/// How to compute small-integer commitments (see [`crate::hyrax::commit_ints_many_with`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommitStrategy {
    /// Choose by the cost model (the default everywhere).
    Auto,
    /// Per-row Pippenger ([`crate::msm::msm_small`]), never touches the cache.
    Pippenger,
    /// The multiples table with window width `w` (`2..=16`), built if missing.
    Table {
        /// Window width in bits.
        window: usize,
    },
}

enum SlabState {
    Building,
    Ready(Arc<Vec<Xy>>),
}

/// Lazily built multiples tables, keyed by `(col_vars, window, slab)`. Thread-safe;
/// the lock is held only to look up or insert, never while building.
#[derive(Default)]
pub struct MultiplesCache {
    slabs: Mutex<HashMap<(usize, usize, usize), SlabState>>,
    builds: AtomicUsize,
}

impl std::fmt::Debug for MultiplesCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.slabs.lock().map(|m| m.len()).unwrap_or(0);
        write!(f, "MultiplesCache {{ {n} slabs }}")
    }
}

impl MultiplesCache {
    /// Number of slabs built so far (for tests and diagnostics).
    pub fn ready_slabs(&self) -> usize {
        self.lock()
            .values()
            .filter(|s| matches!(s, SlabState::Ready(_)))
            .count()
    }

    /// Number of slab builds so far (each slab is built at most once).
    pub fn builds(&self) -> usize {
        self.builds.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(usize, usize, usize), SlabState>> {
        self.slabs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `Some(Some(count))`: ready with `count` multiples per column; `Some(None)`:
    /// being built elsewhere; `None`: absent.
    fn state(&self, key: (usize, usize, usize)) -> Option<Option<usize>> {
        self.lock().get(&key).map(|s| match s {
            SlabState::Ready(v) => Some(v.len() >> key.0),
            SlabState::Building => None,
        })
    }

    /// Returns slab `i` of window `w` over `gens` with at least `counts[i]` multiples
    /// per column, for every `i`, building (or rebuilding larger) the missing ones; or
    /// `None` if another thread is building one of them.
    fn get_or_build(
        &self,
        gens: &[GAffine],
        w: usize,
        counts: &[usize],
    ) -> Option<Vec<Arc<Vec<Xy>>>> {
        let cols = gens.len().trailing_zeros() as usize;
        let mut out = Vec::with_capacity(counts.len());
        for (i, &count) in counts.iter().enumerate() {
            let key = (cols, w, i);
            let ready = {
                let mut map = self.lock();
                match map.get(&key) {
                    Some(SlabState::Ready(s)) if s.len() >> cols >= count => Some(s.clone()),
                    Some(SlabState::Building) => return None,
                    _ => {
                        map.insert(key, SlabState::Building);
                        None
                    }
                }
            };
            let slab = match ready {
                Some(s) => s,
                None => {
                    // Built with no lock held; a panic leaves the marker (the slab is
                    // then never used, the Pippenger path still is).
                    let s = Arc::new(build_slab(gens, w, i, count));
                    self.builds.fetch_add(1, Ordering::Relaxed);
                    self.lock().insert(key, SlabState::Ready(s.clone()));
                    s
                }
            };
            out.push(slab);
        }
        // The cache is keyed by shape, not content: refuse tables built from other
        // generators (a caller who replaced `HyraxKey::gens`).
        let stride = out.first().map_or(1, |s| s.len() >> cols);
        let consistent = out.is_empty()
            || gens
                .iter()
                .enumerate()
                .all(|(c, g)| out[0][c * stride] == (g.x, g.y));
        consistent.then_some(out)
    }
}

/// Slab `i` of window `w` with `h` multiples per column:
/// `slab[c·h + j - 1] = j·2^(w·i)·G_c` for `j ∈ 1..=h`. Cost: `w·i` doublings per
/// column, then `h - 2` batch-affine additions per column (one inversion per step per
/// chunk of columns).
fn build_slab(gens: &[GAffine], w: usize, i: usize, h: usize) -> Vec<Xy> {
    assert!(h >= 1);
    let n = gens.len();
    let threads = rayon::current_num_threads().max(1);
    let chunk = n.div_ceil(2 * threads).max(16);
    let mut slab = vec![(Fq::ZERO, Fq::ZERO); n * h];
    slab.par_chunks_mut(chunk * h)
        .zip(gens.par_chunks(chunk))
        .for_each(|(out, gs)| {
            let m = gs.len();
            // Bases P_c = 2^(w·i)·G_c.
            let bases: Vec<GAffine> = if i == 0 {
                gs.to_vec()
            } else {
                let proj: Vec<G> = gs
                    .iter()
                    .map(|g| {
                        let mut p = g.into_group();
                        for _ in 0..w * i {
                            p.double_in_place();
                        }
                        p
                    })
                    .collect();
                G::normalize_batch(&proj)
            };
            for (c, p) in bases.iter().enumerate() {
                out[c * h] = (p.x, p.y);
            }
            if h == 1 {
                return;
            }
            let doubled: Vec<G> = bases.iter().map(|p| p.into_group().double()).collect();
            for (c, p) in G::normalize_batch(&doubled).iter().enumerate() {
                out[c * h + 1] = (p.x, p.y);
            }
            // j·P = (j-1)·P + P, all columns of the chunk sharing one inversion.
            let mut denoms = vec![Fq::ZERO; m];
            for j in 3..=h {
                for c in 0..m {
                    let d = out[c * h].0 - out[c * h + j - 2].0;
                    denoms[c] = if d.is_zero() { Fq::ONE } else { d };
                }
                batch_invert(&mut denoms);
                for c in 0..m {
                    let (p, q) = (out[c * h], out[c * h + j - 2]);
                    out[c * h + j - 1] = if p.0 == q.0 {
                        // Impossible for a point of prime order > j; kept correct anyway.
                        let r = (GAffine::new_unchecked(p.0, p.1)
                            + GAffine::new_unchecked(q.0, q.1))
                        .into_affine();
                        (r.x, r.y)
                    } else {
                        affine_add(p, q, denoms[c])
                    };
                }
            }
        });
    slab
}

/// `p + q` for `p ≠ ±q`, given `inv = 1/(p.x − q.x)`. Cost: 2 multiplications and
/// 1 squaring.
#[inline]
fn affine_add(p: Xy, q: Xy, inv: Fq) -> Xy {
    let lambda = (q.1 - p.1) * -inv;
    let x3 = lambda.square() - p.0 - q.0;
    let y3 = lambda * (p.0 - x3) - p.1;
    (x3, y3)
}

/// Per-vector statistics for the cost model.
struct Stats {
    rows: usize,
    /// `hist[b]`: entries of bit length `b` (`|v| ∈ [2^(b-1), 2^b)`), `hist[0]` zeros.
    hist: [usize; 65],
    max_bits: usize,
    max_abs: u64,
}

fn stats(values: &[i64], cols: usize) -> Stats {
    let (hist, max_abs) = values
        .par_chunks(1 << 14)
        .map(|ch| {
            let mut h = [0usize; 65];
            let mut m = 0u64;
            for v in ch {
                let a = v.unsigned_abs();
                h[64 - a.leading_zeros() as usize] += 1;
                m = m.max(a);
            }
            (h, m)
        })
        .reduce(
            || ([0usize; 65], 0),
            |(mut a, m), (b, n)| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                (a, m.max(n))
            },
        );
    Stats {
        rows: values.len() >> cols,
        hist,
        max_bits: 64 - max_abs.leading_zeros() as usize,
        max_abs,
    }
}

/// Slabs needed for `bits`-bit magnitudes with window `w` (digits in `[-(h-1), h]`
/// never carry out of a top window holding at most `w - 1` bits).
fn slabs_for(bits: usize, w: usize) -> usize {
    (bits + 1).div_ceil(w)
}

/// Multiples per column needed in each slab for magnitudes up to `max_abs`: `2^(w-1)`
/// below the top slab, and in the top slab (`i = k - 1`) only up to its largest digit,
/// `⌊max_abs / 2^(w·i)⌋ + 1` (the `+1` for a carry).
fn slab_counts(max_abs: u64, w: usize) -> Vec<usize> {
    let k = slabs_for(64 - max_abs.leading_zeros() as usize, w);
    let h = 1usize << (w - 1);
    (0..k)
        .map(|i| {
            if i + 1 < k {
                h
            } else {
                let top = (max_abs as u128 >> (w * i)) as usize + 1;
                top.min(h)
            }
        })
        .collect()
}

/// Modelled cost of [`msm_small`] on the rows of a vector.
fn old_cost(s: &Stats, cols: usize) -> f64 {
    if s.max_bits == 0 {
        return 0.0;
    }
    let n = 1usize << cols;
    let per_row = (2..=10)
        .map(|c| (s.max_bits.div_ceil(c) + 1) * (n + (1 << c)))
        .min()
        .unwrap_or(0);
    (s.rows * per_row) as f64 * OLD_ADD
}

/// Modelled cost of the table path on a vector (tree additions only): digits of a
/// `b`-bit magnitude, one per window, except that a top digit is absent when `b` is a
/// multiple of `w` (half the values of a `b`-bit range need the carry digit).
fn new_cost(s: &Stats, w: usize) -> f64 {
    let digits: f64 = (1..65)
        .map(|b: usize| {
            let k = b.div_ceil(w) as f64 + if b.is_multiple_of(w) { 0.5 } else { 0.0 };
            s.hist[b] as f64 * k
        })
        .sum();
    digits * NEW_ADD + s.rows as f64 * ROW_OVERHEAD
}

/// A plan for one batch of vectors sharing `col_vars`.
#[derive(Debug, PartialEq)]
struct Plan {
    /// `Some((w, counts))` (multiples per column of each slab) when some vector takes
    /// the table path.
    table: Option<(usize, Vec<usize>)>,
    /// Per vector: whether it takes the table path.
    use_table: Vec<bool>,
}

/// Chooses the cheapest strategy: Pippenger for every vector, or a window `w` whose
/// table serves the vectors that are cheaper with it (the others keep Pippenger).
/// Vectors are admitted in increasing order of magnitude, so every prefix is a
/// candidate (large values need more, or fuller, slabs).
fn plan(stats: &[Stats], cols: usize, cache: &MultiplesCache) -> Plan {
    let old: Vec<f64> = stats.iter().map(|s| old_cost(s, cols)).collect();
    let mut best = (old.iter().sum::<f64>(), None, vec![false; stats.len()]);
    let mut order: Vec<usize> = (0..stats.len()).filter(|&i| stats[i].max_abs > 0).collect();
    order.sort_by_key(|&i| stats[i].max_abs);
    for w in MIN_WINDOW..=MAX_WINDOW {
        let new: Vec<f64> = stats.iter().map(|s| new_cost(s, w)).collect();
        for p in 1..=order.len() {
            let admitted = &order[..p];
            let counts = slab_counts(stats[order[p - 1]].max_abs, w);
            if counts.iter().sum::<usize>() << cols > MAX_TABLE_POINTS {
                break;
            }
            let mut total = PLAN_OVERHEAD;
            let mut blocked = false;
            for (i, &c) in counts.iter().enumerate() {
                match cache.state((cols, w, i)) {
                    Some(Some(have)) if have >= c => {}
                    Some(None) => blocked = true, // being built elsewhere
                    _ => total += (c << cols) as f64 * BUILD_POINT + SLAB_OVERHEAD,
                }
            }
            if blocked {
                break;
            }
            let mut use_table = vec![false; stats.len()];
            for (i, &o) in old.iter().enumerate() {
                let take = admitted.contains(&i) && new[i] < o;
                total += if take { new[i] } else { o };
                use_table[i] = take;
            }
            if total < best.0 && use_table.iter().any(|&t| t) {
                best = (total, Some((w, counts)), use_table);
            }
        }
    }
    Plan {
        table: best.1,
        use_table: best.2,
    }
}

/// Row commitments `Σ_c v[g, c]·G_c` of every vector (each of length a multiple of
/// `gens.len()`, a power of two), by `strategy`. Cost: see the module docs; the
/// Pippenger path costs about `⌈(b+1)/c⌉·(2^n + 2^c)` additions per row.
pub fn commit_rows(
    gens: &[GAffine],
    vectors: &[&[i64]],
    cache: &MultiplesCache,
    strategy: CommitStrategy,
) -> Vec<Vec<G>> {
    let n = gens.len();
    assert!(
        n.is_power_of_two(),
        "commit_rows: generator count not a power of two"
    );
    assert!(
        vectors.iter().all(|v| v.len() % n == 0),
        "commit_rows: ragged vector"
    );
    let cols = n.trailing_zeros() as usize;
    let pippenger = |v: &[i64]| -> Vec<G> { v.par_chunks(n).map(|r| msm_small(gens, r)).collect() };
    let all_old = || vectors.iter().map(|v| pippenger(v)).collect();
    if gens.iter().any(|g| g.is_zero()) {
        return all_old();
    }
    let (w, counts, use_table) = match strategy {
        CommitStrategy::Pippenger => return all_old(),
        CommitStrategy::Table { window } => {
            assert!((2..=16).contains(&window), "window width outside 2..=16");
            let st: Vec<Stats> = vectors.iter().map(|v| stats(v, cols)).collect();
            let m = st.iter().map(|s| s.max_abs).max().unwrap_or(0);
            (window, slab_counts(m, window), vec![true; vectors.len()])
        }
        CommitStrategy::Auto => {
            let st: Vec<Stats> = vectors.iter().map(|v| stats(v, cols)).collect();
            let p = plan(&st, cols, cache);
            match p.table {
                None => return all_old(),
                Some((w, counts)) => (w, counts, p.use_table),
            }
        }
    };
    let Some(table) = cache.get_or_build(gens, w, &counts) else {
        return all_old();
    };
    let table: Vec<(&[Xy], usize)> = table
        .iter()
        .map(|s| (s.as_slice(), s.len() >> cols))
        .collect();
    // All rows of the table-path vectors, summed together in chunks.
    let rows: Vec<&[i64]> = vectors
        .iter()
        .zip(&use_table)
        .filter(|(_, &t)| t)
        .flat_map(|(v, _)| v.chunks(n))
        .collect();
    let threads = rayon::current_num_threads().max(1);
    // Chunks share inversions: large enough to amortize them (≈ 100 multiplications per
    // tree level), at least one per thread.
    let per = rows
        .len()
        .div_ceil(4 * threads)
        .max((1usize << 12) >> cols)
        .min(rows.len().div_ceil(threads))
        .max(1);
    let sums: Vec<G> = rows
        .par_chunks(per)
        .flat_map_iter(|chunk| sum_rows(&table, w, chunk))
        .collect();
    let mut sums = sums.into_iter();
    vectors
        .iter()
        .zip(&use_table)
        .map(|(v, &t)| {
            if t {
                sums.by_ref().take(v.len() / n).collect()
            } else {
                pippenger(v)
            }
        })
        .collect()
}

/// `Σ_c row[c]·G_c` for each row, from the table slabs `(points, multiples per
/// column)` of window `w`, all rows sharing each tree level's inversion.
fn sum_rows(table: &[(&[Xy], usize)], w: usize, rows: &[&[i64]]) -> Vec<G> {
    let h = 1u64 << (w - 1);
    let mask = (1u64 << w) - 1;
    let mut pts: Vec<Xy> = Vec::with_capacity(rows.iter().map(|r| r.len()).sum());
    let mut lists = Vec::with_capacity(rows.len());
    for row in rows {
        let start = pts.len();
        for (c, &v) in row.iter().enumerate() {
            let mut a = v.unsigned_abs();
            let neg = v < 0;
            let mut i = 0;
            while a != 0 {
                let d = a & mask;
                a >>= w;
                // Signed digit in [-(h-1), h]; a negative one carries into the next window.
                let (mag, dneg) = if d > h {
                    a += 1;
                    ((1 << w) - d, true)
                } else {
                    (d, false)
                };
                if mag != 0 {
                    let (slab, stride) = table[i];
                    let (x, y) = slab[c * stride + mag as usize - 1];
                    pts.push(if dneg != neg { (x, -y) } else { (x, y) });
                }
                i += 1;
            }
        }
        lists.push((start, pts.len() - start));
    }
    sum_lists(&mut pts, &mut lists, vec![G::zero(); rows.len()])
}

/// `extra[i]` plus the sum of list `i` of `pts` (`lists[i] = (start, len)`) for every
/// list, all lists added together by [`reduce_lists`] (one inversion per tree level for
/// the batch; IFMA lanes where available). `pts` and `lists` are consumed as scratch.
/// Cost: about one batch-affine addition per point.
pub(crate) fn sum_lists(pts: &mut [Xy], lists: &mut [(usize, usize)], mut extra: Vec<G>) -> Vec<G> {
    reduce_lists(pts, lists, &mut extra);
    lists
        .iter()
        .zip(extra)
        .map(|(&(s, len), e)| {
            if len == 1 {
                e + GAffine::new_unchecked(pts[s].0, pts[s].1)
            } else {
                e
            }
        })
        .collect()
}

/// [`reduce_buckets`] in IFMA lanes when [`crate::simd::Ifma::detect`] gives a token,
/// else scalar (the same points and extras either way).
pub(crate) fn reduce_lists(pts: &mut [Xy], lists: &mut [(usize, usize)], extra: &mut [G]) {
    #[cfg(target_arch = "x86_64")]
    if let Some(simd) = crate::simd::Ifma::detect() {
        return crate::affine_lanes::reduce_buckets(simd, pts, lists, extra);
    }
    reduce_buckets(pts, lists, extra);
}

#[cfg(test)]
mod tests;

mod counts;
pub(crate) use counts::{commit_counts, open_counts};

//! Multi-scalar multiplication `Σ s_i·P_i` over BN254 G1 for the verifier's Hyrax check.
//!
//! Pippenger's bucket method with signed window digits (`2^(c-1)` buckets per window)
//! and **batch-affine** bucket sums: points are sorted into buckets, then every
//! bucket's list is summed by a pairwise tree in which all the additions of one
//! level share a single field inversion (Montgomery's trick). An affine addition then
//! costs about 6 field multiplications instead of the 11 of a mixed addition.
//! Windows run in parallel. Cost: about `⌈255/c⌉·(6N + 2^c·11)` field multiplications.

use crate::field::{GAffine, F, G};
use ark_bn254::Fq;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField, Zero};
use rayon::prelude::*;

/// Window width for `n` points (chosen to minimize the cost model above).
fn window_bits(n: usize) -> usize {
    match n {
        0..=31 => 3,
        32..=255 => 5,
        256..=2047 => 8,
        2048..=16383 => 10,
        _ => 12,
    }
}

/// Computes `Σ scalars[i]·bases[i]` (the slices must have equal length).
pub fn msm(bases: &[GAffine], scalars: &[F]) -> G {
    assert_eq!(bases.len(), scalars.len(), "msm: length mismatch");
    if bases.len() <= STRAUS_UP_TO {
        return straus(bases, scalars);
    }
    let c = window_bits(bases.len());
    let windows = 256usize.div_ceil(c) + 1;
    let n = bases.len();
    let digits = window_major_digits(scalars, c, windows);
    let window_sums: Vec<G> = if n < SHARED_BELOW {
        shared_window_sums(bases, &digits, c, windows)
    } else {
        (0..windows)
            .into_par_iter()
            .map(|k| {
                let d = &digits[k * n..(k + 1) * n];
                bucket_sum(bases.iter().zip(d.iter().copied()), c)
            })
            .collect()
    };
    let mut acc = G::zero();
    for w in window_sums.iter().rev() {
        for _ in 0..c {
            acc.double_in_place();
        }
        acc += w;
    }
    acc
}

/// Computes `Σ values[i]·bases[i]` for small signed integers (the witness vectors of
/// the MLP proof: activations, quotients, remainder limbs). Signed windows over `|v|`
/// only up to the largest value's bit length, with projective buckets (no inversions,
/// which dominate the batch-affine method on short rows). Sequential: callers
/// parallelize over rows.
/// Cost: `⌈(bits+1)/c⌉·(N + 2^c)` mixed or projective additions, `c` chosen to
/// minimize it, for `N` values of `bits` bits.
pub fn msm_small(bases: &[GAffine], values: &[i64]) -> G {
    assert_eq!(bases.len(), values.len(), "msm_small: length mismatch");
    let max = values.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0);
    if max == 0 {
        return G::zero();
    }
    let bits = 64 - max.leading_zeros() as usize;
    let n = values.len();
    let windows_for = |c: usize| bits.div_ceil(c) + 1;
    let c = (2..=10)
        .min_by_key(|&c| windows_for(c) * (n + (1 << c)))
        .expect("non-empty range");
    let windows = windows_for(c);
    let digits: Vec<i32> = values
        .iter()
        .flat_map(|v| {
            let d = signed_digits(&[v.unsigned_abs(), 0, 0, 0], c, windows);
            let neg = *v < 0;
            d.into_iter().map(move |x| if neg { -x } else { x })
        })
        .collect();
    let half = 1usize << (c - 1);
    let mut buckets = vec![G::zero(); half];
    let mut acc = G::zero();
    for k in (0..windows).rev() {
        for _ in 0..c {
            acc.double_in_place();
        }
        buckets.iter_mut().for_each(|b| *b = G::zero());
        for (p, d) in bases.iter().zip(digits[k..].iter().step_by(windows)) {
            match d.cmp(&0) {
                std::cmp::Ordering::Greater => buckets[*d as usize - 1] += p,
                std::cmp::Ordering::Less => buckets[d.unsigned_abs() as usize - 1] -= p,
                std::cmp::Ordering::Equal => {}
            }
        }
        let (mut running, mut sum) = (G::zero(), G::zero());
        for b in buckets.iter().rev() {
            running += b;
            sum += running;
        }
        acc += sum;
    }
    acc
}

/// Up to this many bases, [`msm`] uses [`straus`]: one shared chain of 256 doublings
/// beats Pippenger's per-window bucket aggregation on a handful of points (measured:
/// about 2× at 2–4 bases, 1.2× at 16, even near 24).
const STRAUS_UP_TO: usize = 16;

/// Width of the signed digits in [`straus`]: `2^(w-2)` precomputed odd multiples a base.
const STRAUS_W: usize = 5;

/// `Σ s_i·P_i` by interleaved window-NAF (Straus): odd multiples `P, 3P, …, 15P` of
/// every base (normalized together with one inversion), then one pass from the top
/// bit doubling a single accumulator and adding the table entry of each nonzero digit.
/// Sequential. Cost: 256 doublings, about `n·256/(w+1)` mixed additions and `8n`
/// additions for the tables.
pub fn straus(bases: &[GAffine], scalars: &[F]) -> G {
    assert_eq!(bases.len(), scalars.len(), "straus: length mismatch");
    let half = 1usize << (STRAUS_W - 2);
    let mut table: Vec<G> = Vec::with_capacity(bases.len() * half);
    for p in bases {
        let p = p.into_group();
        let twice = p.double();
        let mut cur = p;
        for _ in 0..half {
            table.push(cur);
            cur += twice;
        }
    }
    let table = G::normalize_batch(&table);
    let digits: Vec<Vec<i64>> = scalars
        .iter()
        .map(|s| {
            s.into_bigint()
                .find_wnaf(STRAUS_W)
                .expect("window width in range")
        })
        .collect();
    let top = digits.iter().map(Vec::len).max().unwrap_or(0);
    let mut acc = G::zero();
    for bit in (0..top).rev() {
        acc.double_in_place();
        for (i, d) in digits.iter().enumerate() {
            let Some(&d) = d.get(bit) else { continue };
            if d > 0 {
                acc += table[i * half + (d as usize) / 2];
            } else if d < 0 {
                acc -= table[i * half + (d.unsigned_abs() as usize) / 2];
            }
        }
    }
    acc
}

/// Below this many bases, [`msm`] sums all windows in one sequential pass
/// ([`shared_window_sums`]): a window then holds too few points for its own batch
/// inversions (about two per window) and thread hand-offs to pay off.
const SHARED_BELOW: usize = 1024;

/// Every window's `Σ_i d_{k,i}·P_i` for window-major signed `digits`, with the buckets
/// of all windows reduced together, so each level of the pairwise trees costs one
/// field inversion for the whole MSM instead of one per window. Sequential.
/// Cost: about `6·n·windows` field multiplications, `log n` inversions, and
/// `2·2^(c-1)` projective additions per window for the aggregation.
fn shared_window_sums(bases: &[GAffine], digits: &[i32], c: usize, windows: usize) -> Vec<G> {
    let n = bases.len();
    let nb = 1usize << (c - 1);
    // List `k·nb + |d| - 1` holds window k's points with digit ±|d|.
    let mut counts = vec![0usize; windows * nb];
    for k in 0..windows {
        for (p, &d) in bases.iter().zip(&digits[k * n..(k + 1) * n]) {
            if d != 0 && !p.is_zero() {
                counts[k * nb + d.unsigned_abs() as usize - 1] += 1;
            }
        }
    }
    let mut lists = Vec::with_capacity(windows * nb);
    let mut start = 0;
    for &len in &counts {
        lists.push((start, len));
        start += len;
    }
    let mut pts = vec![(Fq::ZERO, Fq::ZERO); start];
    let mut fill: Vec<usize> = lists.iter().map(|l| l.0).collect();
    for k in 0..windows {
        for (p, &d) in bases.iter().zip(&digits[k * n..(k + 1) * n]) {
            if d != 0 && !p.is_zero() {
                let l = k * nb + d.unsigned_abs() as usize - 1;
                pts[fill[l]] = if d > 0 { (p.x, p.y) } else { (p.x, -p.y) };
                fill[l] += 1;
            }
        }
    }
    let mut extra = vec![G::zero(); windows * nb];
    reduce_buckets(&mut pts, &mut lists, &mut extra);
    (0..windows)
        .map(|k| {
            let r = k * nb..(k + 1) * nb;
            aggregate(&pts, &lists[r.clone()], &extra[r])
        })
        .collect()
}

/// Signed digits of every scalar, window-major: `digits[k·n + i]` is scalar `i`'s
/// digit in window `k`.
fn window_major_digits(scalars: &[F], c: usize, windows: usize) -> Vec<i32> {
    let n = scalars.len();
    let digits_of = |s: &F| signed_digits(&s.into_bigint().0, c, windows);
    let per_scalar: Vec<Vec<i32>> = if n < SHARED_BELOW {
        scalars.iter().map(digits_of).collect()
    } else {
        scalars.par_iter().map(digits_of).collect()
    };
    let mut digits = vec![0i32; windows * n];
    for (i, d) in per_scalar.iter().enumerate() {
        for (k, &dk) in d.iter().enumerate() {
            digits[k * n + i] = dk;
        }
    }
    digits
}

/// Bases prepared for repeated MSMs (a verifier's fixed generators and commitments):
/// every base is stored shifted by every window, `2^(c·k)·P_i`, so an MSM is a single
/// bucket pass over all (window, base) pairs with one bucket aggregation instead of one
/// per window. Preparation: `256` doublings per base; memory: `⌈256/c⌉+1` affine points
/// per base (about 1.5 KiB).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedBases {
    c: usize,
    windows: usize,
    n: usize,
    /// `shifted[k·n + i] = 2^(c·k)·P_i`.
    shifted: Vec<GAffine>,
}

impl FixedBases {
    /// Prepares `bases`. Cost: about 256 point doublings per base, parallel.
    pub fn new(bases: &[GAffine]) -> Self {
        let n = bases.len();
        let c = if n < 1024 { 8 } else { 12 };
        let windows = 256usize.div_ceil(c) + 1;
        let columns: Vec<Vec<G>> = bases
            .par_iter()
            .map(|p| {
                let mut cur = p.into_group();
                let mut col = Vec::with_capacity(windows);
                for _ in 0..windows {
                    col.push(cur);
                    for _ in 0..c {
                        cur.double_in_place();
                    }
                }
                col
            })
            .collect();
        let mut flat = vec![G::zero(); windows * n];
        for (i, col) in columns.iter().enumerate() {
            for (k, p) in col.iter().enumerate() {
                flat[k * n + i] = *p;
            }
        }
        Self {
            c,
            windows,
            n,
            shifted: G::normalize_batch(&flat),
        }
    }

    /// Number of bases.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether there are no bases.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// `Σ scalars[i]·P_i`. Cost: about `6·n·(⌈256/c⌉+1)` field multiplications plus
    /// one aggregation of `2^(c-1)` buckets per thread.
    pub fn msm(&self, scalars: &[F]) -> G {
        assert_eq!(scalars.len(), self.n, "msm: length mismatch");
        self.msm_prefix(scalars)
    }

    /// `Σ scalars[i]·P_i` over the first `scalars.len() ≤ n` bases (a commitment under
    /// a prefix of the prepared generators). Cost: as [`FixedBases::msm`] for
    /// `scalars.len()` bases.
    pub fn msm_prefix(&self, scalars: &[F]) -> G {
        assert!(
            scalars.len() <= self.n,
            "msm_prefix: more scalars than bases"
        );
        let (n, m, c) = (self.n, scalars.len(), self.c);
        let digits = window_major_digits(scalars, c, self.windows);
        let digits = digits.as_slice();
        let shifted = self.shifted.as_slice();
        let threads = rayon::current_num_threads().max(1);
        let per = m.div_ceil(threads).max(1);
        (0..m.div_ceil(per))
            .into_par_iter()
            .map(|t| {
                let (lo, hi) = (t * per, ((t + 1) * per).min(m));
                let entries = (0..self.windows).flat_map(move |k| {
                    let r = k * n + lo..k * n + hi;
                    let d = k * m + lo..k * m + hi;
                    shifted[r].iter().zip(digits[d].iter().copied())
                });
                bucket_sum(entries, c)
            })
            .reduce(G::zero, |a, b| a + b)
    }
}

/// The `c`-bit window `k` of a 256-bit little-endian limb array.
#[inline]
fn window(limbs: &[u64; 4], k: usize, c: usize) -> i32 {
    let start = k * c;
    if start >= 256 {
        return 0;
    }
    let (limb, shift) = (start / 64, start % 64);
    let mut v = limbs[limb] >> shift;
    if shift + c > 64 && limb + 1 < 4 {
        v |= limbs[limb + 1] << (64 - shift);
    }
    (v & ((1u64 << c) - 1)) as i32
}

pub(crate) fn signed_digits(limbs: &[u64; 4], c: usize, windows: usize) -> Vec<i32> {
    let half = 1i32 << (c - 1);
    let mut out = Vec::with_capacity(windows);
    let mut carry = 0i32;
    for k in 0..windows {
        let d = window(limbs, k, c) + carry;
        if d >= half {
            out.push(d - (1 << c));
            carry = 1;
        } else {
            out.push(d);
            carry = 0;
        }
    }
    debug_assert_eq!(carry, 0, "top window absorbs the last carry");
    out
}

/// `Σ d·P` over `(P, d)` pairs with signed digits `|d| ≤ 2^(c-1)` (the iterator is
/// walked twice: once to count, once to fill the buckets).
fn bucket_sum<'a, I>(entries: I, c: usize) -> G
where
    I: Iterator<Item = (&'a GAffine, i32)> + Clone,
{
    let nb = 1usize << (c - 1);
    // Counting sort of the points into buckets |d| - 1.
    let mut counts = vec![0u32; nb + 1];
    for (p, d) in entries.clone() {
        if d != 0 && !p.is_zero() {
            counts[d.unsigned_abs() as usize] += 1;
        }
    }
    let mut starts = vec![0usize; nb + 2];
    for b in 1..=nb {
        starts[b + 1] = starts[b] + counts[b] as usize;
    }
    let total = starts[nb + 1];
    let mut pts: Vec<(Fq, Fq)> = vec![(Fq::ZERO, Fq::ZERO); total];
    let mut fill = starts.clone();
    for (p, dk) in entries {
        if dk != 0 && !p.is_zero() {
            let b = dk.unsigned_abs() as usize;
            pts[fill[b]] = if dk > 0 { (p.x, p.y) } else { (p.x, -p.y) };
            fill[b] += 1;
        }
    }
    // Bucket lists as (start, len); sum each by pairwise levels.
    let mut lists: Vec<(usize, usize)> =
        (1..=nb).map(|b| (starts[b], counts[b] as usize)).collect();
    let mut extra = vec![G::zero(); nb]; // results of rare exceptional additions
    reduce_buckets(&mut pts, &mut lists, &mut extra);
    aggregate(&pts, &lists, &extra)
}

/// `Σ_b (b+1)·S_b` over one window's reduced buckets (`lists[b]` holds at most one
/// affine point of `pts`, `extra[b]` the exceptional sums), by running sums from the
/// top bucket down. Cost: `2·lists.len()` additions.
fn aggregate(pts: &[(Fq, Fq)], lists: &[(usize, usize)], extra: &[G]) -> G {
    let (mut running, mut sum) = (G::zero(), G::zero());
    for ((s, len), e) in lists.iter().zip(extra).rev() {
        if *len == 1 {
            running += GAffine::new_unchecked(pts[*s].0, pts[*s].1);
        }
        running += e;
        sum += running;
    }
    sum
}

/// Repeatedly adds neighbouring points within each bucket until each bucket holds at
/// most one affine point. Equal or opposite pairs (which the affine formula cannot
/// take) are added projectively into `extra`.
pub(crate) fn reduce_buckets(pts: &mut [(Fq, Fq)], lists: &mut [(usize, usize)], extra: &mut [G]) {
    let mut denoms: Vec<Fq> = Vec::new();
    loop {
        denoms.clear();
        let mut any = false;
        for &(s, len) in lists.iter() {
            for j in 0..len / 2 {
                let (a, b) = (pts[s + 2 * j], pts[s + 2 * j + 1]);
                let d = b.0 - a.0;
                denoms.push(if d.is_zero() { Fq::ONE } else { d });
                any = true;
            }
        }
        if !any {
            return;
        }
        batch_invert(&mut denoms);
        let mut idx = 0;
        for (b, list) in lists.iter_mut().enumerate() {
            let (s, len) = *list;
            let mut out = s;
            for j in 0..len / 2 {
                let (p, q) = (pts[s + 2 * j], pts[s + 2 * j + 1]);
                let inv = denoms[idx];
                idx += 1;
                if p.0 == q.0 {
                    // Doubling or cancellation: leave the affine path.
                    let pp = GAffine::new_unchecked(p.0, p.1);
                    let qq = GAffine::new_unchecked(q.0, q.1);
                    extra[b] += pp;
                    extra[b] += qq;
                    continue;
                }
                let lambda = (q.1 - p.1) * inv;
                let x3 = lambda.square() - p.0 - q.0;
                let y3 = lambda * (p.0 - x3) - p.1;
                pts[out] = (x3, y3);
                out += 1;
            }
            if len % 2 == 1 {
                pts[out] = pts[s + len - 1];
                out += 1;
            }
            *list = (s, out - s);
        }
    }
}

/// In-place inversion of nonzero elements with one field inversion (Montgomery's trick).
pub(crate) fn batch_invert(v: &mut [Fq]) {
    if v.is_empty() {
        return;
    }
    let mut prefix = Vec::with_capacity(v.len());
    let mut acc = Fq::ONE;
    for x in v.iter() {
        prefix.push(acc);
        acc *= x;
    }
    let mut inv = acc.inverse().expect("denominators are nonzero");
    for (x, p) in v.iter_mut().zip(prefix).rev() {
        let xi = inv * p;
        inv *= *x;
        *x = xi;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::{CurveGroup, VariableBaseMSM};
    use ark_std::{rand::Rng, test_rng, UniformRand};

    fn reference(bases: &[GAffine], scalars: &[F]) -> G {
        G::msm_unchecked(bases, scalars)
    }

    #[test]
    fn matches_arkworks_on_random_inputs() {
        let mut rng = test_rng();
        for n in [0usize, 1, 2, 7, 16, 17, 33, 300, 1023, 1024, 3000] {
            let bases = G::normalize_batch(&(0..n).map(|_| G::rand(&mut rng)).collect::<Vec<_>>());
            let scalars: Vec<F> = (0..n).map(|_| F::rand(&mut rng)).collect();
            assert_eq!(
                msm(&bases, &scalars),
                reference(&bases, &scalars),
                "n = {n}"
            );
        }
    }

    #[test]
    fn handles_repeated_opposite_and_zero_bases_and_edge_scalars() {
        let mut rng = test_rng();
        let p = G::rand(&mut rng).into_affine();
        let q = G::rand(&mut rng).into_affine();
        let bases = vec![p, p, -p, q, GAffine::zero(), p, q, -q, p];
        for scalars in [
            vec![F::from(5u64); 9],
            vec![
                F::ONE,
                F::ONE,
                F::ONE,
                -F::ONE,
                F::from(9u64),
                F::ZERO,
                F::ONE,
                F::ONE,
                -F::ONE,
            ],
            (0..9).map(|_| F::rand(&mut rng)).collect(),
            vec![-F::ONE; 9],
            vec![F::ZERO; 9],
        ] {
            assert_eq!(msm(&bases, &scalars), reference(&bases, &scalars));
            assert_eq!(
                FixedBases::new(&bases).msm(&scalars),
                reference(&bases, &scalars)
            );
        }
        // Many copies of one point with one scalar (forces doublings in the tree).
        let bases = vec![p; 64];
        let scalars = vec![F::from(3u64); 64];
        assert_eq!(msm(&bases, &scalars), reference(&bases, &scalars));
    }

    #[test]
    fn fixed_bases_prefix_msm_matches_arkworks() {
        let mut rng = test_rng();
        let bases = G::normalize_batch(&(0..40).map(|_| G::rand(&mut rng)).collect::<Vec<_>>());
        let fixed = FixedBases::new(&bases);
        for m in [0usize, 1, 5, 39, 40] {
            let scalars: Vec<F> = (0..m).map(|_| F::rand(&mut rng)).collect();
            assert_eq!(
                fixed.msm_prefix(&scalars),
                reference(&bases[..m], &scalars),
                "m = {m}"
            );
        }
    }

    #[test]
    fn small_integer_msm_matches_arkworks() {
        let mut rng = test_rng();
        let p = G::rand(&mut rng).into_affine();
        for (n, max) in [
            (0usize, 1i64),
            (1, 1),
            (5, 255),
            (16, 1),
            (64, 32767),
            (300, 4095),
            (40, 1 << 40),
        ] {
            let mut bases =
                G::normalize_batch(&(0..n).map(|_| G::rand(&mut rng)).collect::<Vec<_>>());
            if n > 3 {
                bases[1] = p;
                bases[2] = -p;
                bases[3] = p;
            }
            let values: Vec<i64> = (0..n).map(|_| rng.gen_range(-max..=max)).collect();
            let scalars: Vec<F> = values.iter().map(|&v| crate::field::from_i64(v)).collect();
            assert_eq!(
                msm_small(&bases, &values),
                reference(&bases, &scalars),
                "n = {n}"
            );
        }
        let bases = G::normalize_batch(&(0..8).map(|_| G::rand(&mut rng)).collect::<Vec<_>>());
        assert!(msm_small(&bases, &[0; 8]).is_zero());
        let extremes = [i64::MAX, -i64::MAX, 1, -1, 0, 2, -2, 3];
        let scalars: Vec<F> = extremes
            .iter()
            .map(|&v| crate::field::from_i64(v))
            .collect();
        assert_eq!(msm_small(&bases, &extremes), reference(&bases, &scalars));
    }
}

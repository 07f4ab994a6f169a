//! Sums of many short lists of affine G1 points by batch-affine pairwise trees, with
//! the base field `Fq` in AVX-512 IFMA lanes ([`crate::ifma`]): the inner loop of the
//! small-integer commitments (`small_commit`), the same result as
//! [`crate::msm::reduce_buckets`].
//!
//! Each tree level adds every list's points in pairs. A pair `(P, Q)` with
//! `P.x ≠ Q.x` costs, in lanes, one product in the forward pass of Montgomery's
//! batch inversion (shared by all pairs of the level), two in the backward pass and
//! three for the affine sum (`λ = (y_Q − y_P)/(x_Q − x_P)`, `x = λ² − x_P − x_Q`,
//! `y = λ(x_P − x) − y_P`): six products at about a third of a scalar one. Pairs with
//! `P.x = Q.x` (a doubling or a cancellation, which the affine formula cannot take)
//! are added projectively into the list's `extra` sum, as the scalar code does.
//! Field arithmetic is exact, so the sums are the scalar code's, point for point.

use crate::field::{GAffine, G};
use crate::ifma::FqLanes;
use crate::simd::Ifma;
use ark_bn254::Fq;
use ark_ff::{AdditiveGroup, Field};

type Xy = (Fq, Fq);

/// Reduces every list `(start, len)` of `pts` to at most one point (its new length in
/// `lists`, the point at `pts[start]`), adding the pairs the affine formula cannot take
/// to `extra[list]`. Same contract and result as [`crate::msm::reduce_buckets`].
pub(crate) fn reduce_buckets(
    simd: Ifma,
    pts: &mut [Xy],
    lists: &mut [(usize, usize)],
    extra: &mut [G],
) {
    // Levels alternate between `pts` and one scratch buffer (no copy of the input).
    let mut scratch = vec![(Fq::ZERO, Fq::ZERO); pts.len()];
    let (mut cur, mut next): (&mut [Xy], &mut [Xy]) = (pts, &mut scratch);
    let mut in_pts = true; // whether `cur` is `pts`
                           // (index of the pair's first point in `cur`, index of the sum in `next`).
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut work: Vec<[FqLanes; 4]> = Vec::new();
    let mut prefix: Vec<FqLanes> = Vec::new();
    loop {
        pairs.clear();
        let mut any = false;
        for (b, list) in lists.iter_mut().enumerate() {
            let (s, len) = *list;
            let mut out = s;
            for j in 0..len / 2 {
                any = true;
                let (p, q) = (cur[s + 2 * j], cur[s + 2 * j + 1]);
                if p.0 == q.0 {
                    extra[b] += GAffine::new_unchecked(p.0, p.1);
                    extra[b] += GAffine::new_unchecked(q.0, q.1);
                } else {
                    pairs.push((s + 2 * j, out));
                    out += 1;
                }
            }
            if len % 2 == 1 {
                next[out] = cur[s + len - 1];
                out += 1;
            }
            *list = (s, out - s);
        }
        if !any {
            break;
        }
        if !pairs.is_empty() {
            // SAFETY: the `Ifma` token proves the CPU has AVX-512F and AVX-512 IFMA,
            // the features `level` is compiled for.
            unsafe { level(simd, cur, next, &pairs, &mut work, &mut prefix) };
        }
        std::mem::swap(&mut cur, &mut next);
        in_pts = !in_pts;
    }
    if !in_pts {
        // The sums are in the scratch buffer; `next` is `pts`.
        for &(s, len) in lists.iter() {
            if len == 1 {
                next[s] = cur[s];
            }
        }
    }
}

/// The affine sums of `pairs` (at least one), written to `next`.
#[target_feature(enable = "avx512f,avx512ifma")]
unsafe fn level(
    simd: Ifma,
    cur: &[Xy],
    next: &mut [Xy],
    pairs: &[(usize, usize)],
    work: &mut Vec<[FqLanes; 4]>,
    prefix: &mut Vec<FqLanes>,
) {
    let groups = pairs.len().div_ceil(8);
    // Lane i of group g is pair 8g + i; the last group is padded with pair 0 (its sum
    // is written twice, the same value).
    let pair = |g: usize, i: usize| pairs.get(8 * g + i).copied().unwrap_or(pairs[0]);
    work.clear();
    prefix.clear();
    let mut acc = FqLanes::splat(simd, Fq::ONE);
    let mut buf = [[Fq::ZERO; 8]; 4];
    for g in 0..groups {
        for i in 0..8 {
            let (a, _) = pair(g, i);
            let (p, q) = (cur[a], cur[a + 1]);
            for (col, v) in buf.iter_mut().zip([p.0, p.1, q.0, q.1]) {
                col[i] = v;
            }
        }
        let v = [
            FqLanes::load(simd, &buf[0]),
            FqLanes::load(simd, &buf[1]),
            FqLanes::load(simd, &buf[2]),
            FqLanes::load(simd, &buf[3]),
        ];
        prefix.push(acc);
        acc = acc.mul(v[2].sub(v[0]));
        work.push(v);
    }
    let mut totals = [Fq::ZERO; 8];
    acc.store(&mut totals);
    crate::msm::batch_invert(&mut totals);
    let mut inv = FqLanes::load(simd, &totals);
    let mut xs = [Fq::ZERO; 8];
    let mut ys = [Fq::ZERO; 8];
    for g in (0..groups).rev() {
        let [xp, yp, xq, yq] = work[g];
        let d = xq.sub(xp);
        let inv_g = inv.mul(prefix[g]);
        inv = inv.mul(d);
        let lambda = yq.sub(yp).mul(inv_g);
        let x3 = lambda.mul(lambda).sub(xp).sub(xq);
        let y3 = lambda.mul(xp.sub(x3)).sub(yp);
        x3.store(&mut xs);
        y3.store(&mut ys);
        for i in 0..8 {
            next[pair(g, i).1] = (xs[i], ys[i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::{AffineRepr, CurveGroup};
    use ark_ff::Zero;
    use ark_std::UniformRand;

    type Reduced = (Vec<Xy>, Vec<(usize, usize)>, Vec<G>);

    /// Reduces the lists with the lanes given a token, else with the scalar code.
    fn reduce(simd: Option<Ifma>, pts: &[Xy], lists: &[(usize, usize)]) -> Reduced {
        let (mut p, mut l, mut e) = (pts.to_vec(), lists.to_vec(), vec![G::zero(); lists.len()]);
        match simd {
            Some(simd) => reduce_buckets(simd, &mut p, &mut l, &mut e),
            None => crate::msm::reduce_buckets(&mut p, &mut l, &mut e),
        }
        (p, l, e)
    }

    /// The sum of each reduced list: its extra plus its remaining point, if any.
    fn sums((p, l, e): &Reduced) -> Vec<G> {
        l.iter()
            .zip(e)
            .map(|(&(s, len), e)| match len {
                0 => *e,
                1 => *e + GAffine::new_unchecked(p[s].0, p[s].1),
                _ => panic!("a list of {len} points was left"),
            })
            .collect()
    }

    /// Lists of random points with repeats and negations mixed in (doublings and
    /// cancellations), reduced on every path this process has (the scalar code always,
    /// the lanes with a token): each list's plain sum, and with both paths the same
    /// points and extras.
    #[test]
    fn lanes_reduce_like_the_scalar_code() {
        let mut rng = ark_std::test_rng();
        let base: Vec<GAffine> = (0..40).map(|_| G::rand(&mut rng).into_affine()).collect();
        let mut pts: Vec<Xy> = Vec::new();
        let mut lists = Vec::new();
        for (l, len) in [0usize, 1, 2, 3, 7, 8, 9, 16, 33, 64, 5, 2]
            .into_iter()
            .enumerate()
        {
            let s = pts.len();
            for k in 0..len {
                let p = base[(l * 7 + k * 3) % base.len()];
                let p = match (l + k) % 9 {
                    0 => -p,
                    _ => p,
                };
                pts.push((p.x, p.y));
            }
            lists.push((s, len));
        }
        // A doubling and a cancellation side by side.
        let q = base[3];
        let s = pts.len();
        pts.extend([(q.x, q.y), (q.x, q.y), (q.x, q.y), (q.x, -q.y)]);
        lists.push((s, 4));
        let want: Vec<G> = lists
            .iter()
            .map(|&(s0, n0)| {
                pts[s0..s0 + n0]
                    .iter()
                    .map(|&(x, y)| GAffine::new_unchecked(x, y).into_group())
                    .sum()
            })
            .collect();

        let scalar = reduce(None, &pts, &lists);
        assert_eq!(sums(&scalar), want);
        match Ifma::detect() {
            Some(simd) => {
                let lanes = reduce(Some(simd), &pts, &lists);
                assert_eq!(lanes.1, scalar.1);
                assert_eq!(lanes.2, scalar.2);
                for &(s, len) in &scalar.1 {
                    if len == 1 {
                        assert_eq!(lanes.0[s], scalar.0[s]);
                    }
                }
                assert_eq!(sums(&lanes), want);
            }
            None => eprintln!("no IFMA token (CPU or TERNZK_NO_SIMD): scalar path checked"),
        }

        // An odd number of levels (lists of at most 8 points: three) leaves the lanes'
        // sums in the scratch buffer, to be copied back; the longer lists above take even.
        for n in [2usize, 8] {
            let p: Vec<Xy> = base[..n].iter().map(|q| (q.x, q.y)).collect();
            let want: G = base[..n].iter().map(|q| q.into_group()).sum();
            for simd in [None, Ifma::detect()] {
                let r = reduce(simd, &p, &[(0, n)]);
                assert_eq!(r.1, vec![(0, 1)]);
                assert_eq!(sums(&r), vec![want], "n = {n}, lanes: {}", simd.is_some());
            }
        }
    }
}

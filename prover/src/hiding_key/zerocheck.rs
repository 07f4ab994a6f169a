//! The prover's side of the ternary zero-check `Σ_x eq(r, x)·(w(x)³ − w(x)) = 0` over a
//! sparse table `w` (a weight matrix as a padded multilinear table), as a
//! [`RoundOracle`] for the one sumcheck driver (wrapped in the mask by
//! [`crate::masked_sumcheck`]).
//!
//! Sparsity: `w³ − w` vanishes wherever `w` does, and binding a variable merges pairs
//! of entries, so every round walks only the entries still nonzero (at most `nnz`, fewer
//! as rounds merge them) — never the `2^n` dense cube. The variables are bound from the
//! least significant index bit up (`x = row·2^cv + col`: column bits first), so a pair
//! is two neighbours of the sorted entry list; the caller reverses the point to read it
//! in the crate's most-significant-first convention. `eq(r, ·)` over the unbound
//! variables is a product of two tables of about `2^(n/2)` entries each (one
//! multiplication per pair), and the bound prefix is one scalar.
//!
//! The first rounds are cheaper still: entries start in `{−1, 0, 1}` and after `j`
//! rounds take one of `3^(2^j)` values, so while that alphabet is small (rounds 0–2)
//! each pair only adds its `eq` weight to the bucket of its value pair, and binding is a
//! table lookup. Cost: about `nnz` multiplications and additions for each of rounds
//! 0–2, then about 13 multiplications per remaining pair per round (the pairs shrink
//! as entries merge: about `2·nnz` in total at density 1/16).

use crate::field::F;
use crate::sumcheck::RoundOracle;
use ark_ff::{AdditiveGroup, Field, One, Zero};
use rayon::prelude::*;

/// Largest number of value-pair buckets a symbol round may use.
const MAX_BUCKETS: usize = 1 << 16;

/// Entries per parallel task (smaller lists run on one thread).
const CHUNK: usize = 1 << 14;

/// A sparse table: strictly increasing indices and their values.
enum Entries {
    /// Values as indices into `alphabet` (`alphabet[0] = 0`).
    Symbols {
        ys: Vec<u64>,
        syms: Vec<u16>,
        alphabet: Vec<F>,
    },
    /// Values as field elements.
    Values { ys: Vec<u64>, vals: Vec<F> },
}

/// The zero-check's round oracle. See the module documentation.
pub(crate) struct TernaryZerocheck {
    /// `r`, `r[j]` for index bit `j`.
    r: Vec<F>,
    /// Rounds done.
    j: usize,
    /// `Π_{i<j} eq(r_i, ρ_i)`.
    scale: F,
    entries: Entries,
}

/// `eq(r, x)` for one variable: `(1 − r)(1 − x) + r·x`.
fn eq1(r: F, x: F) -> F {
    F::one() - r - x + (r * x).double()
}

/// `eq(rs, y)` for every `y < 2^len`, bit `t` of `y` against `rs[t]`.
fn eq_lsb(rs: &[F]) -> Vec<F> {
    let mut t = Vec::with_capacity(1 << rs.len());
    t.push(F::one());
    for &r in rs {
        let n = t.len();
        for i in 0..n {
            let e = t[i];
            t.push(e * r);
            t[i] = e - t[n + i];
        }
    }
    t
}

/// `w³ − w`.
fn cube_minus(v: F) -> F {
    v * (v.square() - F::one())
}

/// Chunk boundaries of `ys` for parallel passes, never between the two entries of a
/// pair (indices `2y'` and `2y' + 1`).
fn boundaries(ys: &[u64]) -> Vec<usize> {
    let mut b = vec![0];
    let mut at = CHUNK;
    while at < ys.len() {
        if ys[at] >> 1 == ys[at - 1] >> 1 {
            at += 1;
        }
        if at < ys.len() {
            b.push(at);
        }
        at += CHUNK;
    }
    b.push(ys.len());
    b
}

/// Calls `f(y', even, odd)` for each pair of `ys[range]` (positions of the entries at
/// `2y'` and `2y' + 1`, either may be absent), in order.
fn for_pairs(
    ys: &[u64],
    range: std::ops::Range<usize>,
    mut f: impl FnMut(u64, Option<usize>, Option<usize>),
) {
    let mut i = range.start;
    while i < range.end {
        let y = ys[i];
        if y & 1 == 0 {
            if i + 1 < range.end && ys[i + 1] == y + 1 {
                f(y >> 1, Some(i), Some(i + 1));
                i += 2;
            } else {
                f(y >> 1, Some(i), None);
                i += 1;
            }
        } else {
            f(y >> 1, None, Some(i));
            i += 1;
        }
    }
}

/// `eq(r_rest, y')` as `lo[y' mod 2^bits]·hi[y' >> bits]`.
struct SplitEq {
    lo: Vec<F>,
    hi: Vec<F>,
    bits: u32,
}

impl SplitEq {
    fn new(rest: &[F]) -> Self {
        let b = rest.len() / 2;
        Self {
            lo: eq_lsb(&rest[..b]),
            hi: eq_lsb(&rest[b..]),
            bits: b as u32,
        }
    }
    fn at(&self, y: u64) -> F {
        self.lo[(y & ((1 << self.bits) - 1)) as usize] * self.hi[(y >> self.bits) as usize]
    }
}

fn add4(mut x: [F; 4], y: [F; 4]) -> [F; 4] {
    x.iter_mut().zip(&y).for_each(|(p, q)| *p += q);
    x
}

impl TernaryZerocheck {
    /// The oracle for `w` given by its nonzero entries (`indices` strictly increasing,
    /// each `< 2^r.len()`), at the zero-check point `r`. Ternary values start in the
    /// symbol representation; any other value (a cheating prover's, in tests) starts
    /// with field values. Cost: O(nnz).
    pub(crate) fn new(r: Vec<F>, indices: Vec<u64>, values: &[i8]) -> Self {
        debug_assert!(indices.windows(2).all(|w| w[0] < w[1]));
        let entries = if values.iter().all(|v| (-1..=1).contains(v)) {
            Entries::Symbols {
                ys: indices,
                syms: values
                    .iter()
                    .map(|&v| if v == -1 { 2 } else { v as u16 })
                    .collect(),
                alphabet: vec![F::ZERO, F::ONE, -F::ONE],
            }
        } else {
            Entries::Values {
                ys: indices,
                vals: values
                    .iter()
                    .map(|&v| crate::field::from_i64(v as i64))
                    .collect(),
            }
        };
        Self {
            r,
            j: 0,
            scale: F::one(),
            entries,
        }
    }

    /// `w` at the bound point once every variable is bound (0 if no entry is left).
    pub(crate) fn final_weight(&self) -> F {
        match &self.entries {
            Entries::Symbols { syms, alphabet, .. } => {
                syms.first().map_or(F::ZERO, |&s| alphabet[s as usize])
            }
            Entries::Values { vals, .. } => vals.first().copied().unwrap_or(F::ZERO),
        }
    }

    /// Symbol rounds: `q(X) = Σ_{y'} eq(r_rest, y')·h(w(X, y'))` at `X = 0..=3`, by
    /// buckets of value pairs (one multiplication and one addition per pair).
    fn q_symbols(ys: &[u64], syms: &[u16], alphabet: &[F], eq: &SplitEq) -> [F; 4] {
        let a = alphabet.len();
        let buckets = boundaries(ys)
            .par_windows(2)
            .map(|w| {
                let mut s = vec![F::ZERO; a * a];
                for_pairs(ys, w[0]..w[1], |y, lo, hi| {
                    let c0 = lo.map_or(0, |i| syms[i] as usize);
                    let c1 = hi.map_or(0, |i| syms[i] as usize);
                    s[c0 * a + c1] += eq.at(y);
                });
                s
            })
            .reduce_with(|mut x, y| {
                x.iter_mut().zip(&y).for_each(|(p, q)| *p += q);
                x
            })
            .unwrap_or_default();
        let mut q = [F::ZERO; 4];
        for (c, s) in buckets.iter().enumerate() {
            if s.is_zero() {
                continue;
            }
            let (v0, v1) = (alphabet[c / a], alphabet[c % a]);
            for (x, qx) in q.iter_mut().enumerate() {
                *qx += *s * cube_minus(v0 + F::from(x as u64) * (v1 - v0));
            }
        }
        q
    }

    /// Value rounds: the coefficients `C_0 … C_3` of `q(X) = Σ_{y'} eq(r_rest, y')·
    /// h(v_0 + X·d)` (`h(v_0 + X d) = (v_0³ − v_0) + (3v_0²d − d)X + 3v_0d²X² + d³X³`).
    /// The `eq` weight is applied per block of equal high bits (`lo` per pair, `hi`
    /// per block), and `C_3` is left out when `cubic` is false (the caller derives it
    /// from the running claim). Cost: at most 8 multiplications per pair, 5 for a
    /// lone entry.
    fn q_values(ys: &[u64], vals: &[F], eq: &SplitEq, cubic: bool) -> [F; 4] {
        let mask = (1u64 << eq.bits) - 1;
        let three = F::from(3u64);
        boundaries(ys)
            .par_windows(2)
            .map(|w| {
                let mut acc = [F::ZERO; 4];
                let mut blk = [F::ZERO; 4];
                let mut cur = None;
                for_pairs(ys, w[0]..w[1], |y, lo, hi| {
                    let block = y >> eq.bits;
                    if cur != Some(block) {
                        if let Some(c) = cur {
                            let h: F = eq.hi[c as usize];
                            for k in 0..4 {
                                acc[k] += h * blk[k];
                            }
                        }
                        blk = [F::ZERO; 4];
                        cur = Some(block);
                    }
                    let l = eq.lo[(y & mask) as usize];
                    match (lo, hi) {
                        (None, Some(i)) => {
                            // v_0 = 0: h = X·(−v_1) + X³·v_1³.
                            let v1 = vals[i];
                            blk[1] -= l * v1;
                            if cubic {
                                blk[3] += l * v1.square() * v1;
                            }
                        }
                        (Some(i), None) => {
                            // d = −v_0: h = (t − v_0) + (v_0 − 3t)X + 3tX² − tX³, t = v_0³.
                            let v0 = vals[i];
                            let t = v0.square() * v0;
                            let lt = l * t;
                            let lv = l * v0;
                            blk[0] += lt - lv;
                            blk[1] += lv - lt * three;
                            blk[2] += lt * three;
                            if cubic {
                                blk[3] -= lt;
                            }
                        }
                        (Some(i), Some(k)) => {
                            let (v0, v1) = (vals[i], vals[k]);
                            let d = v1 - v0;
                            let sq = v0.square();
                            let d2 = d.square();
                            blk[0] += l * (sq * v0 - v0);
                            blk[1] += l * (sq * d * three - d);
                            blk[2] += l * (v0 * d2 * three);
                            if cubic {
                                blk[3] += l * d2 * d;
                            }
                        }
                        (None, None) => {}
                    }
                });
                if let Some(c) = cur {
                    let h = eq.hi[c as usize];
                    for k in 0..4 {
                        acc[k] += h * blk[k];
                    }
                }
                acc
            })
            .reduce(|| [F::ZERO; 4], add4)
    }
}

impl RoundOracle for TernaryZerocheck {
    fn num_vars(&self) -> usize {
        self.r.len() - self.j
    }

    fn degree(&self) -> usize {
        4
    }

    /// `p(X) = scale·eq(r_j, X)·q(X)` at `X = 0..=4`. Symbol rounds evaluate the cubic
    /// `q` at `0..=3` and extrapolate `q(4)`; value rounds sum its coefficients and
    /// derive `C_3` from `claim = scale·(C_0 + r_j·(C_1 + C_2 + C_3))` (summed
    /// directly when `r_j` or the scale is 0).
    fn round(&mut self, claim: F) -> Vec<F> {
        let rj = self.r[self.j];
        let eq = SplitEq::new(&self.r[self.j + 1..]);
        let q: [F; 5] = match &self.entries {
            Entries::Symbols { ys, syms, alphabet } => {
                let q = Self::q_symbols(ys, syms, alphabet, &eq);
                let q4 = q[3] * F::from(4u64) - q[2] * F::from(6u64) + q[1] * F::from(4u64) - q[0];
                [q[0], q[1], q[2], q[3], q4]
            }
            Entries::Values { ys, vals } => {
                let derive = !rj.is_zero() && !self.scale.is_zero();
                let mut c = Self::q_values(ys, vals, &eq, !derive);
                if derive {
                    let inv = (self.scale * rj).inverse().expect("nonzero");
                    c[3] = (claim - self.scale * c[0]) * inv - c[1] - c[2];
                }
                std::array::from_fn(|x| {
                    let x = F::from(x as u64);
                    ((c[3] * x + c[2]) * x + c[1]) * x + c[0]
                })
            }
        };
        q.iter()
            .enumerate()
            .map(|(x, qx)| self.scale * eq1(rj, F::from(x as u64)) * qx)
            .collect()
    }

    fn bind(&mut self, rho: F) {
        self.scale *= eq1(self.r[self.j], rho);
        self.j += 1;
        let switch = match &mut self.entries {
            Entries::Symbols { ys, syms, alphabet } => {
                let a = alphabet.len();
                let mut next: Vec<F> = Vec::with_capacity(a * a);
                for v0 in alphabet.iter() {
                    for v1 in alphabet.iter() {
                        next.push(*v0 + rho * (*v1 - v0));
                    }
                }
                fold_in_place(ys, syms, |lo, hi| {
                    (lo.unwrap_or(0) as usize * a + hi.unwrap_or(0) as usize) as u16
                });
                *alphabet = next;
                if alphabet.len() * alphabet.len() > MAX_BUCKETS {
                    let vals: Vec<F> = syms.par_iter().map(|&s| alphabet[s as usize]).collect();
                    Some((std::mem::take(ys), vals))
                } else {
                    None
                }
            }
            Entries::Values { ys, vals } => {
                fold_in_place(ys, vals, |lo, hi| {
                    let v0 = lo.unwrap_or(F::ZERO);
                    v0 + rho * (hi.unwrap_or(F::ZERO) - v0)
                });
                None
            }
        };
        if let Some((ys, vals)) = switch {
            self.entries = Entries::Values { ys, vals };
        }
    }
}

/// Merges each pair in place into one entry at `y'`, its value `f(even, odd)`; the
/// list stays sorted. Chunks fold in parallel, each writing from its own start (a
/// pair's output never overtakes its input), then the chunks are closed up. Cost: one
/// call of `f` per pair and one copy per remaining entry, no allocation but the
/// chunk list.
fn fold_in_place<T: Copy + Send + Sync>(
    ys: &mut Vec<u64>,
    vals: &mut Vec<T>,
    f: impl Fn(Option<T>, Option<T>) -> T + Sync,
) {
    let b = boundaries(ys);
    let mut parts = Vec::with_capacity(b.len());
    let (mut yr, mut vr) = (&mut ys[..], &mut vals[..]);
    for w in b.windows(2) {
        let len = w[1] - w[0];
        let (ya, yrest) = std::mem::take(&mut yr).split_at_mut(len);
        let (va, vrest) = std::mem::take(&mut vr).split_at_mut(len);
        parts.push((ya, va));
        yr = yrest;
        vr = vrest;
    }
    let counts: Vec<usize> = parts
        .into_par_iter()
        .map(|(yc, vc)| {
            let mut out = 0;
            let mut i = 0;
            while i < yc.len() {
                let y = yc[i];
                let (lo, hi, step) = if y & 1 == 0 {
                    if i + 1 < yc.len() && yc[i + 1] == y + 1 {
                        (Some(vc[i]), Some(vc[i + 1]), 2)
                    } else {
                        (Some(vc[i]), None, 1)
                    }
                } else {
                    (None, Some(vc[i]), 1)
                };
                yc[out] = y >> 1;
                vc[out] = f(lo, hi);
                out += 1;
                i += step;
            }
            out
        })
        .collect();
    let mut dst = 0;
    for (w, &c) in b.windows(2).zip(&counts) {
        ys.copy_within(w[0]..w[0] + c, dst);
        vals.copy_within(w[0]..w[0] + c, dst);
        dst += c;
    }
    ys.truncate(dst);
    vals.truncate(dst);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sumcheck;
    use crate::transcript::Transcript;
    use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
    use ark_std::UniformRand;

    /// The dense summand `eq(r, x)·(w(x)³ − w(x))` summed by brute force after binding
    /// the low `rho.len()` bits, for `X` in the next bit.
    fn brute_round(r: &[F], rho: &[F], w: &[i8], x: F) -> F {
        let n = r.len();
        let j = rho.len();
        // Bind bits 0..j to rho, bit j to x: the multilinear extension in those
        // variables, summed over the boolean rest.
        let mut total = F::ZERO;
        for rest in 0..1u64 << (n - j - 1) {
            let mut point: Vec<F> = rho.to_vec();
            point.push(x);
            for t in 0..n - j - 1 {
                point.push(F::from((rest >> t) & 1));
            }
            // w̃(point) and eq(r, point), bit t against point[t].
            let mut wv = F::ZERO;
            for (idx, &v) in w.iter().enumerate() {
                if v == 0 {
                    continue;
                }
                let mut e = F::one();
                for (t, p) in point.iter().enumerate() {
                    e *= eq1(*p, F::from((idx as u64 >> t) & 1));
                }
                wv += e * crate::field::from_i64(v as i64);
            }
            let mut e = F::one();
            for (t, p) in point.iter().enumerate() {
                e *= eq1(r[t], *p);
            }
            total += e * cube_minus(wv);
        }
        total
    }

    #[test]
    fn rounds_match_the_dense_summand_and_the_final_weight() {
        let mut rng = StdRng::seed_from_u64(1);
        for (n, cheat) in [(1, false), (3, false), (6, false), (6, true), (7, true)] {
            let mut w: Vec<i8> = (0..1 << n)
                .map(|_| match rng.gen_range(0..4) {
                    0 => 1,
                    1 => -1,
                    _ => 0,
                })
                .collect();
            if cheat {
                w[5] = 2;
            }
            let r: Vec<F> = (0..n).map(|_| F::rand(&mut rng)).collect();
            let (idx, vals): (Vec<u64>, Vec<i8>) = w
                .iter()
                .enumerate()
                .filter(|(_, v)| **v != 0)
                .map(|(i, v)| (i as u64, *v))
                .unzip();
            let mut o = TernaryZerocheck::new(r.clone(), idx, &vals);
            let mut rho = Vec::new();
            let mut claim = brute_round(&r, &[], &w, F::ZERO) + brute_round(&r, &[], &w, F::ONE);
            for _ in 0..n {
                let p = o.round(claim);
                for (x, px) in p.iter().enumerate() {
                    assert_eq!(*px, brute_round(&r, &rho, &w, F::from(x as u64)), "n {n}");
                }
                let c = F::rand(&mut rng);
                claim = crate::field::interpolate_at(&p, c);
                o.bind(c);
                rho.push(c);
            }
            let mut wv = F::ZERO;
            for (idx, &v) in w.iter().enumerate() {
                let mut b = F::one();
                for (t, p) in rho.iter().enumerate() {
                    b *= eq1(*p, F::from((idx as u64 >> t) & 1));
                }
                wv += b * crate::field::from_i64(v as i64);
            }
            assert_eq!(o.final_weight(), wv);
            // The driver's chained claim ends at eq(r, ρ)·(w³ − w).
            let sum: F = if cheat {
                brute_round(&r, &[], &w, F::ZERO) + brute_round(&r, &[], &w, F::ONE)
            } else {
                F::ZERO
            };
            let (idx, vals): (Vec<u64>, Vec<i8>) = w
                .iter()
                .enumerate()
                .filter(|(_, v)| **v != 0)
                .map(|(i, v)| (i as u64, *v))
                .unzip();
            let mut o = TernaryZerocheck::new(r.clone(), idx, &vals);
            let red = sumcheck::prove(&mut o, sum, &mut Transcript::new(b"z"));
            let mut e = F::one();
            for (a, b) in r.iter().zip(&red.point) {
                e *= eq1(*a, *b);
            }
            assert_eq!(red.claim, e * cube_minus(o.final_weight()));
            if cheat {
                assert!(!sum.is_zero(), "a weight of 2 leaves a nonzero sum");
            }
        }
    }

    #[test]
    fn chunked_passes_agree_with_one_chunk() {
        // More entries than one chunk, with pairs straddling the chunk size.
        let mut rng = StdRng::seed_from_u64(2);
        let n = 17;
        let idx: Vec<u64> = (0..1u64 << n)
            .filter(|_| rng.gen_range(0..3) == 0)
            .collect();
        let vals: Vec<i8> = idx
            .iter()
            .map(|_| if rng.gen::<bool>() { 1 } else { -1 })
            .collect();
        let r: Vec<F> = (0..n).map(|_| F::rand(&mut rng)).collect();
        let mut o = TernaryZerocheck::new(r.clone(), idx.clone(), &vals);
        let red = sumcheck::prove(&mut o, F::ZERO, &mut Transcript::new(b"z"));
        let mut e = F::one();
        for (a, b) in r.iter().zip(&red.point) {
            e *= eq1(*a, *b);
        }
        assert_eq!(red.claim, e * cube_minus(o.final_weight()));
        // The final weight is the extension at the reversed point.
        let dense: Vec<F> = {
            let mut d = vec![F::ZERO; 1 << n];
            for (i, v) in idx.iter().zip(&vals) {
                d[*i as usize] = crate::field::from_i64(*v as i64);
            }
            d
        };
        let mut p = red.point.clone();
        p.reverse();
        assert_eq!(o.final_weight(), crate::mle::evaluate(&dense, &p));
    }

    #[test]
    fn an_all_zero_table_runs_every_round() {
        let mut rng = StdRng::seed_from_u64(3);
        let r: Vec<F> = (0..5).map(|_| F::rand(&mut rng)).collect();
        let mut o = TernaryZerocheck::new(r, Vec::new(), &[]);
        let red = sumcheck::prove(&mut o, F::ZERO, &mut Transcript::new(b"z"));
        assert_eq!(red.proof.rounds.len(), 5);
        assert!(red.proof.rounds.iter().flatten().all(|v| v.is_zero()));
        assert_eq!(o.final_weight(), F::ZERO);
    }
}

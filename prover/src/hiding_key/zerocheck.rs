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

/// The pairs of a chunk: `(y', position of the even entry, position of the odd one)`.
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

/// The weight of pair `y'` in `eq(r_rest, ·)`: `lo[y' mod 2^b]·hi[y' >> b]`.
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

impl TernaryZerocheck {
    /// The oracle for `w` given by its nonzero entries (`indices` strictly increasing,
    /// each `< 2^r.len()`), at the zero-check point `r`. Ternary values start in the
    /// symbol representation; any other value (a cheating prover's, in tests) starts
    /// with field values. Cost: O(nnz).
    pub(crate) fn new(r: Vec<F>, indices: Vec<u64>, values: &[i64]) -> Self {
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
                vals: values.iter().map(|&v| crate::field::from_i64(v)).collect(),
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

    /// `q(X) = Σ_{y'} eq(r_rest, y')·h(w(X, y'))` at `X = 0, 1, 2, 3`.
    fn q_values(&self) -> [F; 4] {
        let eq = SplitEq::new(&self.r[self.j + 1..]);
        match &self.entries {
            Entries::Symbols { ys, syms, alphabet } => {
                let a = alphabet.len();
                let b = boundaries(ys);
                let buckets = b
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
            Entries::Values { ys, vals } => {
                let b = boundaries(ys);
                b.par_windows(2)
                    .map(|w| {
                        let mut q = [F::ZERO; 4];
                        for_pairs(ys, w[0]..w[1], |y, lo, hi| {
                            let v0 = lo.map_or(F::ZERO, |i| vals[i]);
                            let v1 = hi.map_or(F::ZERO, |i| vals[i]);
                            let e = eq.at(y);
                            let d = v1 - v0;
                            let mut v = v0;
                            for qx in q.iter_mut() {
                                *qx += e * cube_minus(v);
                                v += d;
                            }
                        });
                        q
                    })
                    .reduce(
                        || [F::ZERO; 4],
                        |mut x, y| {
                            x.iter_mut().zip(&y).for_each(|(p, q)| *p += q);
                            x
                        },
                    )
            }
        }
    }
}

impl RoundOracle for TernaryZerocheck {
    fn num_vars(&self) -> usize {
        self.r.len() - self.j
    }

    fn degree(&self) -> usize {
        4
    }

    /// `p(X) = scale·eq(r_j, X)·q(X)` at `X = 0..=4`, with `q(4)` extrapolated from the
    /// cubic's values at `0..=3`.
    fn round(&mut self, _claim: F) -> Vec<F> {
        let q = self.q_values();
        let q4 = q[3] * F::from(4u64) - q[2] * F::from(6u64) + q[1] * F::from(4u64) - q[0];
        let rj = self.r[self.j];
        q.iter()
            .chain(std::iter::once(&q4))
            .enumerate()
            .map(|(x, qx)| self.scale * eq1(rj, F::from(x as u64)) * qx)
            .collect()
    }

    fn bind(&mut self, rho: F) {
        self.scale *= eq1(self.r[self.j], rho);
        self.j += 1;
        self.entries = match std::mem::replace(
            &mut self.entries,
            Entries::Values {
                ys: Vec::new(),
                vals: Vec::new(),
            },
        ) {
            Entries::Symbols { ys, syms, alphabet } => {
                let a = alphabet.len();
                let mut next: Vec<F> = Vec::with_capacity(a * a);
                for v0 in &alphabet {
                    for v1 in &alphabet {
                        next.push(*v0 + rho * (*v1 - v0));
                    }
                }
                let (new_ys, new_syms) = fold(&ys, |lo, hi| {
                    let c0 = lo.map_or(0, |i| syms[i] as usize);
                    let c1 = hi.map_or(0, |i| syms[i] as usize);
                    (c0 * a + c1) as u16
                });
                if next.len() * next.len() <= MAX_BUCKETS {
                    Entries::Symbols {
                        ys: new_ys,
                        syms: new_syms,
                        alphabet: next,
                    }
                } else {
                    Entries::Values {
                        ys: new_ys,
                        vals: new_syms.par_iter().map(|&s| next[s as usize]).collect(),
                    }
                }
            }
            Entries::Values { ys, vals } => {
                let (new_ys, new_vals) = fold(&ys, |lo, hi| {
                    let v0 = lo.map_or(F::ZERO, |i| vals[i]);
                    let v1 = hi.map_or(F::ZERO, |i| vals[i]);
                    v0 + rho * (v1 - v0)
                });
                Entries::Values {
                    ys: new_ys,
                    vals: new_vals,
                }
            }
        };
    }
}

/// Merges each pair into one entry at `y'`, its value `f(even, odd)`; the result is
/// again sorted. Cost: one call of `f` per pair, parallel over chunks.
fn fold<T: Send>(
    ys: &[u64],
    f: impl Fn(Option<usize>, Option<usize>) -> T + Sync,
) -> (Vec<u64>, Vec<T>) {
    let b = boundaries(ys);
    let parts: Vec<(Vec<u64>, Vec<T>)> = b
        .par_windows(2)
        .map(|w| {
            let mut out_y = Vec::with_capacity((w[1] - w[0]) / 2 + 1);
            let mut out_v = Vec::with_capacity((w[1] - w[0]) / 2 + 1);
            for_pairs(ys, w[0]..w[1], |y, lo, hi| {
                out_y.push(y);
                out_v.push(f(lo, hi));
            });
            (out_y, out_v)
        })
        .collect();
    let n: usize = parts.iter().map(|p| p.0.len()).sum();
    let (mut all_y, mut all_v) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for (y, v) in parts {
        all_y.extend(y);
        all_v.extend(v);
    }
    (all_y, all_v)
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
    fn brute_round(r: &[F], rho: &[F], w: &[i64], x: F) -> F {
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
                wv += e * crate::field::from_i64(v);
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
            let mut w: Vec<i64> = (0..1 << n)
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
            let (idx, vals): (Vec<u64>, Vec<i64>) = w
                .iter()
                .enumerate()
                .filter(|(_, v)| **v != 0)
                .map(|(i, v)| (i as u64, *v))
                .unzip();
            let mut o = TernaryZerocheck::new(r.clone(), idx, &vals);
            let mut rho = Vec::new();
            for _ in 0..n {
                let p = o.round(F::ZERO);
                for (x, px) in p.iter().enumerate() {
                    assert_eq!(*px, brute_round(&r, &rho, &w, F::from(x as u64)), "n {n}");
                }
                let c = F::rand(&mut rng);
                o.bind(c);
                rho.push(c);
            }
            let mut e = F::one();
            let mut wv = F::ZERO;
            for (idx, &v) in w.iter().enumerate() {
                let mut b = F::one();
                for (t, p) in rho.iter().enumerate() {
                    b *= eq1(*p, F::from((idx as u64 >> t) & 1));
                }
                wv += b * crate::field::from_i64(v);
            }
            for (a, b) in r.iter().zip(&rho) {
                e *= eq1(*a, *b);
            }
            assert_eq!(o.final_weight(), wv);
            // The driver's chained claim ends at eq(r, ρ)·(w³ − w).
            let sum: F = if cheat {
                brute_round(&r, &[], &w, F::ZERO) + brute_round(&r, &[], &w, F::ONE)
            } else {
                F::ZERO
            };
            let (idx, vals): (Vec<u64>, Vec<i64>) = w
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
        let vals: Vec<i64> = idx
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
                d[*i as usize] = crate::field::from_i64(*v);
            }
            d
        };
        let mut p = red.point.clone();
        p.reverse();
        assert_eq!(o.final_weight(), crate::mle::evaluate(&dense, &p));
    }
}

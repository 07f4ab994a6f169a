//! Hiding Pedersen commitments over BN254 G1, the building block of the
//! zero-knowledge mode.
//!
//! A scalar `v` is committed as `v·g + s·h`, a vector `v` as `Σ v_i·G_i + s·h`, with a
//! fresh uniformly random blinding `s`. The generators `g`, `h` and the vector
//! generators `G_i` are derived by hashing ([`crate::generators`]) under distinct
//! labels, so nobody knows a discrete-log relation between any two of them: the
//! commitment is perfectly hiding and computationally binding.

use crate::field::{GAffine, F, G};
use crate::generators::derive_generators;
use crate::msm::{msm, signed_digits, FixedBases};
use crate::small_commit::sum_lists;
use ark_bn254::Fq;
use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup};
use ark_ff::{PrimeField, Zero};
use ark_std::rand::{CryptoRng, RngCore};
use ark_std::UniformRand;

/// The two scalar-commitment generators: `g` carries the value, `h` the blinding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlindingKey {
    /// Generator for committed scalars.
    pub g: GAffine,
    /// Generator for blinding factors (also blinds vector commitments).
    pub h: GAffine,
}

impl BlindingKey {
    /// Derives `g` and `h` by hashing. Cost: two hash-to-curve attempts on average each.
    pub fn new() -> Self {
        let gh = derive_generators(b"ternzk-pedersen-scalar-and-blinding", 2);
        Self { g: gh[0], h: gh[1] }
    }

    /// `v·g + s·h`. Cost: 52 mixed additions from the fixed-base tables of `g`, `h`
    /// (built once per process), or one two-base MSM for other generators.
    pub fn commit(&self, v: F, s: F) -> G {
        let t = tables();
        if (self.g, self.h) == (t.g, t.h) {
            t.tg.mul(&v) + t.th.mul(&s)
        } else {
            msm(&[self.g, self.h], &[v, s])
        }
    }

    /// `v_i·g + s_i·h` for every pair, affine. Cost: at most 52 table points each,
    /// added batch-affine over the threads ([`affine_sums`]), about half the cost of
    /// as many [`BlindingKey::commit`] calls and their normalization; other generators:
    /// one two-base MSM each.
    pub fn commit_many(&self, pairs: &[(F, F)]) -> Vec<GAffine> {
        let t = tables();
        if (self.g, self.h) != (t.g, t.h) || pairs.len() < AFFINE_BATCH {
            let points: Vec<G> = pairs.iter().map(|&(v, s)| self.commit(v, s)).collect();
            return G::normalize_batch(&points);
        }
        chunked(pairs, |c| {
            affine_sums(c.iter().map(|(v, s)| t.tg.terms(v).chain(t.th.terms(s))))
        })
    }

    /// `P_i + s_i·h` for every pair (blinding points), affine. Cost: as
    /// [`BlindingKey::commit_many`] with one table instead of two.
    pub fn blind_many(&self, pairs: &[(GAffine, F)]) -> Vec<GAffine> {
        let t = tables();
        if self.h != t.h || pairs.len() < AFFINE_BATCH {
            let points: Vec<G> = pairs.iter().map(|&(p, s)| p + self.blind(s)).collect();
            return G::normalize_batch(&points);
        }
        chunked(pairs, |c| {
            affine_sums(
                c.iter()
                    .map(|(p, s)| std::iter::once(*p).chain(t.th.terms(s))),
            )
        })
    }

    /// `s·h`. Cost: 26 mixed additions (fixed-base table), or one scalar
    /// multiplication for other generators.
    pub fn blind(&self, s: F) -> G {
        let t = tables();
        if self.h == t.h {
            t.th.mul(&s)
        } else {
            self.h * s
        }
    }

    /// `Σ v_i·gens_i + s·h` (`gens.len() == v.len()`). Cost: one MSM of `n + 1` bases.
    pub fn commit_vector(&self, gens: &[GAffine], v: &[F], s: F) -> G {
        assert_eq!(gens.len(), v.len(), "commit_vector: length mismatch");
        msm(gens, v) + self.blind(s)
    }

    /// [`BlindingKey::commit_vector`] under `gens`, using `tables` when given: prepared
    /// bases whose first `gens.len()` are `gens` (checked by the caller's construction,
    /// see [`Gens`]). Cost: one prepared MSM (about half a plain one) or one plain MSM.
    pub fn commit_vector_in(&self, gens: Gens<'_>, v: &[F], s: F) -> G {
        assert_eq!(gens.points.len(), v.len(), "commit_vector: length mismatch");
        gens.msm(v) + self.blind(s)
    }
}

/// Vector-commitment generators, optionally with their prepared tables
/// ([`FixedBases`], the first `points.len()` of whose bases are `points`), so that
/// repeated commitments under one generator list skip Pippenger's per-window bucket
/// aggregation.
#[derive(Clone, Copy, Debug)]
pub struct Gens<'a> {
    /// The generators.
    pub points: &'a [GAffine],
    /// Their prepared tables (a prefix of them), if any.
    tables: Option<&'a FixedBases>,
}

impl<'a> Gens<'a> {
    /// Plain generators (every MSM a plain one).
    pub fn plain(points: &'a [GAffine]) -> Self {
        Self {
            points,
            tables: None,
        }
    }

    /// The first `n` bases of `tables`, prepared over `all` (the list the tables were
    /// built from, whose prefix `points` is). Cost: none; `n ≤ all.len()` is asserted.
    pub fn prepared(all: &'a [GAffine], tables: &'a FixedBases, n: usize) -> Self {
        assert!(
            n <= all.len() && all.len() == tables.len(),
            "prepared generators: tables and list differ"
        );
        Self {
            points: &all[..n],
            tables: Some(tables),
        }
    }

    /// `Σ scalars_i·points_i`. Cost: one prepared or plain MSM of `n` bases.
    pub fn msm(&self, scalars: &[F]) -> G {
        assert_eq!(self.points.len(), scalars.len(), "gens: length mismatch");
        match self.tables {
            Some(t) => t.msm_prefix(scalars),
            None => msm(self.points, scalars),
        }
    }
}

impl Default for BlindingKey {
    fn default() -> Self {
        Self::new()
    }
}

/// Bits of one signed window of the fixed-base tables. 10 rather than 11: a process
/// that proves once pays the tables' building (twice the points at 11 bits, measured
/// ~10% slower for a one-shot `ternzk prove --private-input`), a process that proves
/// many times saves two additions a multiplication (within the noise of a run).
const WINDOW_BITS: usize = 10;
/// Windows per scalar: `26·10 = 260` bits hold a 254-bit scalar and the last carry.
const WINDOWS: usize = 26;

/// Signed-window tables of one base: `windows[k][j − 1] = j·2^(10k)·P` for
/// `1 ≤ j ≤ 2^9`, so `s·P` is the sum of at most 26 table points (one per nonzero
/// signed digit of `s`, negated for a negative digit). Memory: `26·512` affine points
/// (about 0.9 MiB); building: as many projective additions and one batch normalization
/// per window.
struct FixedBase {
    windows: Vec<Vec<GAffine>>,
}

impl FixedBase {
    fn new(p: GAffine) -> Self {
        let half = 1usize << (WINDOW_BITS - 1);
        let mut base = G::from(p);
        let windows = (0..WINDOWS)
            .map(|_| {
                let mut row = Vec::with_capacity(half);
                let mut acc = base;
                for _ in 0..half {
                    row.push(acc);
                    acc += base;
                }
                // The next window's base: 2^10·base = 2·(2^9·base).
                base = row[half - 1].double();
                G::normalize_batch(&row)
            })
            .collect();
        Self { windows }
    }

    /// The table points whose sum is `s·P`, one per nonzero signed digit.
    fn terms(&self, s: &F) -> impl Iterator<Item = GAffine> + '_ {
        let digits = signed_digits(&s.into_bigint().0, WINDOW_BITS, WINDOWS);
        digits
            .into_iter()
            .enumerate()
            .filter(|&(_, d)| d != 0)
            .map(move |(k, d)| {
                let p = self.windows[k][d.unsigned_abs() as usize - 1];
                if d > 0 {
                    p
                } else {
                    -p
                }
            })
    }

    /// `s·P`: at most 26 mixed additions.
    fn mul(&self, s: &F) -> G {
        self.terms(s).fold(G::zero(), |acc, p| acc + p)
    }
}

/// The sum of each item's points, all items added together by batch-affine
/// additions ([`sum_lists`]: one field inversion per level for the whole batch, about
/// six multiplications an addition against eleven for a mixed projective one) and
/// normalized together. Points at infinity are skipped.
fn affine_sums<I: Iterator<Item = GAffine>>(items: impl Iterator<Item = I>) -> Vec<GAffine> {
    let mut pts: Vec<(Fq, Fq)> = Vec::new();
    let mut lists: Vec<(usize, usize)> = Vec::new();
    for item in items {
        let start = pts.len();
        pts.extend(item.filter(|p| !p.is_zero()).map(|p| (p.x, p.y)));
        lists.push((start, pts.len() - start));
    }
    let extra = vec![G::zero(); lists.len()];
    G::normalize_batch(&sum_lists(&mut pts, &mut lists, extra))
}

/// Below this many sums, batch-affine addition loses to mixed additions: each of its
/// levels pays a field inversion (about 250 multiplications) and saves about five
/// multiplications per addition.
const AFFINE_BATCH: usize = 8;

/// Runs `f` over consecutive chunks of `items` on the threads (chunks of at least
/// 16) and concatenates the results in order.
fn chunked<T: Sync, U: Send>(items: &[T], f: impl Fn(&[T]) -> Vec<U> + Sync + Send) -> Vec<U> {
    use rayon::prelude::*;
    let per = items
        .len()
        .div_ceil(rayon::current_num_threads().max(1))
        .max(16);
    items.par_chunks(per).flat_map_iter(f).collect()
}

/// The tables of the standard `g`, `h` ([`BlindingKey::new`]).
struct Tables {
    g: GAffine,
    h: GAffine,
    tg: FixedBase,
    th: FixedBase,
}

fn tables() -> &'static Tables {
    static T: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let gh = derive_generators(b"ternzk-pedersen-scalar-and-blinding", 2);
        let (tg, th) = rayon::join(|| FixedBase::new(gh[0]), || FixedBase::new(gh[1]));
        Tables {
            g: gh[0],
            h: gh[1],
            tg,
            th,
        }
    })
}

/// A committed scalar together with its opening, held by the prover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Committed {
    /// The value.
    pub value: F,
    /// The blinding factor.
    pub blind: F,
    /// `value·g + blind·h`.
    pub point: GAffine,
}

impl Committed {
    /// Commits to `value` with a fresh blinding drawn from `rng`. Cost: one two-base MSM.
    pub fn new<R: RngCore + CryptoRng>(key: &BlindingKey, value: F, rng: &mut R) -> Self {
        let blind = F::rand(rng);
        Self {
            value,
            blind,
            point: key.commit(value, blind).into_affine(),
        }
    }
}

impl Committed {
    /// Commits to every value of `values` with fresh blindings drawn from `rng` in
    /// order (as repeated [`Committed::new`] would), the points computed in parallel
    /// and normalized together. Cost: `n` commitments over the threads, one inversion.
    pub fn new_many<R: RngCore + CryptoRng>(
        key: &BlindingKey,
        values: &[F],
        rng: &mut R,
    ) -> Vec<Self> {
        let blinds: Vec<F> = values.iter().map(|_| F::rand(rng)).collect();
        let pairs: Vec<(F, F)> = values.iter().copied().zip(blinds.iter().copied()).collect();
        key.commit_many(&pairs)
            .into_iter()
            .zip(values.iter().zip(blinds))
            .map(|(point, (&value, blind))| Self {
                value,
                blind,
                point,
            })
            .collect()
    }

    /// The public constant `v` as a commitment with blinding 0 (`v·g`), for homomorphic
    /// combinations with committed values. Cost: one scalar multiplication.
    pub fn constant(key: &BlindingKey, value: F) -> Self {
        Self {
            value,
            blind: F::from(0u64),
            point: key.commit(value, F::from(0u64)).into_affine(),
        }
    }

    /// [`Committed::combine`] of every list, the points recommitted together
    /// ([`BlindingKey::commit_many`]). Cost: as many commitments, batch-affine.
    pub fn combine_many(key: &BlindingKey, lists: &[Vec<(F, &Committed)>]) -> Vec<Self> {
        let openings: Vec<(F, F)> = lists
            .iter()
            .map(|terms| {
                terms.iter().fold((F::zero(), F::zero()), |(v, s), (c, x)| {
                    (v + *c * x.value, s + *c * x.blind)
                })
            })
            .collect();
        key.commit_many(&openings)
            .into_iter()
            .zip(openings)
            .map(|(point, (value, blind))| Self {
                value,
                blind,
                point,
            })
            .collect()
    }

    /// `Σ c_i·X_i`: the values, the blindings and the points combined alike (what the
    /// verifier forms from the points alone with [`combine_points`]). The point is
    /// recommitted from the combined opening, `(Σ c_i·v_i)·g + (Σ c_i·s_i)·h` — the same
    /// point as `Σ c_i·X_i`, since every `X_i = v_i·g + s_i·h` under `key`.
    /// Cost: `2n` field multiplications and one commitment (64 mixed additions).
    pub fn combine(key: &BlindingKey, terms: &[(F, &Committed)]) -> Self {
        let (mut value, mut blind) = (F::from(0u64), F::from(0u64));
        for (c, x) in terms {
            value += *c * x.value;
            blind += *c * x.blind;
        }
        Self {
            value,
            blind,
            point: key.commit(value, blind).into_affine(),
        }
    }
}

/// `Σ c_i·P_i` of commitments: a commitment to the same combination of their values.
/// Cost: one MSM of `n` bases.
pub fn combine_points(terms: &[(F, GAffine)]) -> GAffine {
    let (scalars, bases): (Vec<F>, Vec<GAffine>) = terms.iter().copied().unzip();
    msm(&bases, &scalars).into_affine()
}

/// Draws one uniformly random scalar (a blinding or a Σ-protocol nonce).
pub fn random_scalar<R: RngCore + CryptoRng>(rng: &mut R) -> F {
    F::rand(rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_std::rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn commitments_are_homomorphic_and_hiding_generators_differ() {
        let key = BlindingKey::new();
        assert_ne!(key.g, key.h);
        let mut rng = StdRng::seed_from_u64(1);
        let (a, b, sa, sb) = (
            F::rand(&mut rng),
            F::rand(&mut rng),
            F::rand(&mut rng),
            F::rand(&mut rng),
        );
        assert_eq!(
            key.commit(a, sa) + key.commit(b, sb),
            key.commit(a + b, sa + sb)
        );
        let gens = derive_generators(b"pedersen-test", 4);
        let v = [a, b, a, b];
        let w = [b, b, a, a];
        assert_eq!(
            key.commit_vector(&gens, &v, sa) + key.commit_vector(&gens, &w, sb),
            key.commit_vector(&gens, &[a + b, b + b, a + a, b + a], sa + sb)
        );
        // The same value under two blindings gives two different points.
        let c1 = Committed::new(&key, a, &mut rng);
        let c2 = Committed::new(&key, a, &mut rng);
        assert_ne!(c1.point, c2.point);
        assert_eq!(c1.point, key.commit(a, c1.blind).into_affine());
        // The fixed-base tables agree with plain scalar multiplication.
        for v in [F::from(0u64), F::from(1u64), -F::from(1u64), a, sa] {
            assert_eq!(key.commit(v, sb), key.g * v + key.h * sb);
            assert_eq!(key.blind(v), key.h * v);
        }
    }

    /// Scalars that exercise the signed windows: zero, one, −1 (every digit at its
    /// largest), carries across windows (`2^9`, `2^10 − 1`, `2^(10k)`), random ones.
    fn edge_scalars(rng: &mut StdRng) -> Vec<F> {
        let two = F::from(2u64);
        let mut v = vec![
            F::from(0u64),
            F::from(1u64),
            -F::from(1u64),
            F::from(512u64),
            F::from(1023u64),
            -F::from(512u64),
        ];
        v.extend((0..26u64).map(|k| ark_ff::Field::pow(&two, [10 * k])));
        v.extend((0..12).map(|_| F::rand(rng)));
        v
    }

    #[test]
    fn batched_commitments_match_plain_scalar_multiplication() {
        let key = BlindingKey::new();
        let mut rng = StdRng::seed_from_u64(2);
        let s = edge_scalars(&mut rng);
        // Pairs with repeats and opposites (the batch-affine path's exceptional sums),
        // `(0, 0)` (the point at infinity), in batches below and above AFFINE_BATCH.
        let mut pairs: Vec<(F, F)> = s
            .iter()
            .zip(s.iter().rev())
            .map(|(a, b)| (*a, *b))
            .collect();
        pairs.extend([(s[9], s[9]), (s[9], -s[9]), (F::from(0u64), F::from(0u64))]);
        for n in [1, 3, AFFINE_BATCH, pairs.len()] {
            let got = key.commit_many(&pairs[..n]);
            for ((v, b), p) in pairs[..n].iter().zip(&got) {
                assert_eq!(G::from(*p), key.g * v + key.h * b, "commit_many, n = {n}");
            }
            let bases: Vec<(GAffine, F)> = pairs[..n]
                .iter()
                .map(|(v, b)| ((key.g * v).into_affine(), *b))
                .collect();
            for ((p0, b), p) in bases.iter().zip(key.blind_many(&bases)) {
                assert_eq!(G::from(p), G::from(*p0) + key.h * b, "blind_many, n = {n}");
            }
        }
        let com = Committed::new_many(&key, &s, &mut rng);
        let lists: Vec<Vec<(F, &Committed)>> = com
            .windows(2)
            .map(|w| vec![(s[3], &w[0]), (-F::from(1u64), &w[1])])
            .collect();
        for (c, terms) in Committed::combine_many(&key, &lists).iter().zip(&lists) {
            assert_eq!(c, &Committed::combine(&key, terms));
            assert_eq!(G::from(c.point), key.g * c.value + key.h * c.blind);
        }
    }
}

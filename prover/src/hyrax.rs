//! Hyrax-style vector commitment over BN254 G1 (transparent, no trusted setup).
//!
//! A vector of `2^(m+n)` entries is laid out as a grid of `2^m` rows × `2^n` columns
//! (row = the high `m` bits of the index, MSB-first as everywhere). Each row gets a
//! Pedersen commitment `C_g = Σ_c v[g, c]·G_c`. To open the multilinear extension at
//! `(p_row, p_col)` the prover sends `t = Σ_g eq(p_row, g)·v[g, ·]`; the verifier checks
//! `Σ_c t_c G_c = Σ_g eq(p_row, g) C_g` (one MSM of size `2^m + 2^n`) and reads the value
//! as `⟨t, eq(p_col, ·)⟩`. Binding follows from the discrete-log hardness of G1.
//!
//! This module holds the generic pieces; weight matrices compute their commitment
//! and `t` from their nonzeros (see [`crate::matrix`]).

use crate::accumulate::{limbs, LazySums};
use crate::eq::eq_table;
use crate::error::Error;
use crate::field::{from_i64, inner_product, log2_ceil, GAffine, F, G};
use crate::generators::derive_generators;
use crate::labels;
use crate::msm::FixedBases;
use crate::pedersen::Gens;
use crate::small_commit::{commit_rows, CommitStrategy, MultiplesCache};
use crate::transcript::Transcript;
use crate::wire::{Reader, Writer};
use ark_ec::{CurveGroup, VariableBaseMSM};
use ark_ff::{AdditiveGroup, Zero};
use rayon::prelude::*;
use std::sync::{Arc, OnceLock};

/// Label under which the column generators are derived.
pub const GENERATOR_LABEL: &[u8] = b"ternzk/hyrax/v1";

/// Public parameters: the column generators `G_0 … G_{2^n - 1}`, plus a lazily filled
/// cache of their small multiples for fast small-integer commitments
/// (`small_commit`; shared by clones of the key).
#[derive(Clone, Debug)]
pub struct HyraxKey {
    /// Generators, derived by hashing (see [`crate::generators`]). Cached tables are
    /// checked against them, so replacing them is safe (it only disables the cache).
    pub gens: Vec<GAffine>,
    multiples: Arc<MultiplesCache>,
    prepared: Arc<PreparedPrefixes>,
}

/// Lazily prepared tables ([`FixedBases`]) of the first `2^k` generators, one slot per
/// `k`, for the zero-knowledge evaluation proofs (shared by clones of the key).
#[derive(Default)]
struct PreparedPrefixes {
    slots: [OnceLock<FixedBases>; 32],
}

impl std::fmt::Debug for PreparedPrefixes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let built: Vec<usize> = (0..32).filter(|&k| self.slots[k].get().is_some()).collect();
        write!(f, "PreparedPrefixes {{ built: {built:?} }}")
    }
}

impl HyraxKey {
    /// Derives generators for grids up to `2^max_col_vars` columns. Cost: `2^max_col_vars`
    /// hash-to-curve attempts (parallel); done once and reused for every commitment.
    pub fn new(max_col_vars: usize) -> Self {
        Self::from_generators(derive_generators(GENERATOR_LABEL, 1 << max_col_vars))
    }

    /// A key over the given generators (a power-of-two count), with an empty cache.
    pub fn from_generators(gens: Vec<GAffine>) -> Self {
        Self {
            gens,
            multiples: Arc::default(),
            prepared: Arc::default(),
        }
    }

    /// The first `width ≤ 2^col_vars` generators with the prepared tables of the first
    /// `2^col_vars` (built on the first call for `col_vars` and kept: about 256 point
    /// doublings a generator, once per key), for repeated vector commitments.
    pub fn prepared_gens(&self, col_vars: usize, width: usize) -> crate::Result<Gens<'_>> {
        if col_vars >= self.prepared.slots.len() {
            return Err(Error::Invalid(format!("a 2^{col_vars}-column grid")));
        }
        let all = self.gens_for(col_vars)?;
        if width > all.len() {
            return Err(Error::Invalid(format!(
                "{width} generators asked of a 2^{col_vars}-column grid"
            )));
        }
        let tables = self.prepared.slots[col_vars].get_or_init(|| FixedBases::new(all));
        Ok(Gens::prepared(all, tables, width))
    }

    /// The cache of generator multiples used by [`commit_ints`] (filled lazily).
    pub fn multiples_cache(&self) -> &MultiplesCache {
        &self.multiples
    }

    /// Number of column variables this key supports.
    pub fn max_col_vars(&self) -> usize {
        self.gens.len().trailing_zeros() as usize
    }

    /// The first `2^col_vars` generators, or an error if the key is too small.
    pub fn gens_for(&self, col_vars: usize) -> crate::Result<&[GAffine]> {
        self.gens.get(..1usize << col_vars).ok_or_else(|| {
            Error::Invalid(format!(
                "key has {} generators, grid needs 2^{col_vars}",
                self.gens.len()
            ))
        })
    }
}

/// A commitment: one G1 point per grid row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HyraxCommitment {
    /// `m`: the grid has `2^m` rows.
    pub row_vars: usize,
    /// `n`: the grid has `2^n` columns.
    pub col_vars: usize,
    /// `C_g` for each grid row `g`.
    pub rows: Vec<GAffine>,
}

impl HyraxCommitment {
    /// Builds a commitment from the row commitments `C_g` of the first grid rows,
    /// padding with identity rows to `2^row_vars`. Cost: one batched normalization.
    pub fn from_rows(mut rows: Vec<G>, row_vars: usize, col_vars: usize) -> Self {
        rows.resize(1 << row_vars, G::zero());
        Self {
            row_vars,
            col_vars,
            rows: G::normalize_batch(&rows),
        }
    }

    /// Absorbs the commitment (shape and points) into a transcript.
    pub fn absorb(&self, t: &mut Transcript) {
        t.append_u64(labels::HYRAX_ROW_VARS, self.row_vars as u64);
        t.append_u64(labels::HYRAX_COL_VARS, self.col_vars as u64);
        t.append_points(labels::HYRAX_ROWS, &self.rows);
    }

    /// Encodes as `u32 m, u32 n, 2^m compressed points`.
    pub fn write(&self, w: &mut Writer) {
        w.u32(self.row_vars as u32);
        w.u32(self.col_vars as u32);
        for p in &self.rows {
            w.point(p);
        }
    }

    /// Decodes what [`Self::write`] wrote; refuses grids larger than `2^max_vars` rows.
    pub fn read(r: &mut Reader, max_vars: usize) -> crate::Result<Self> {
        let row_vars = r.u32("commitment row count")? as usize;
        let col_vars = r.u32("commitment column count")? as usize;
        if row_vars > max_vars || col_vars > max_vars {
            return Err(Error::Malformed("commitment grid too large".into()));
        }
        let rows = (0..1usize << row_vars)
            .map(|_| r.point("commitment row"))
            .collect::<crate::Result<_>>()?;
        Ok(Self {
            row_vars,
            col_vars,
            rows,
        })
    }
}

/// Commits to a dense vector of `2^(m+n)` field elements (one MSM per row).
/// Cost: `2^m` MSMs of size `2^n` (small scalars are detected and cheap).
pub fn commit_dense(
    key: &HyraxKey,
    values: &[F],
    row_vars: usize,
    col_vars: usize,
) -> crate::Result<HyraxCommitment> {
    let gens = key.gens_for(col_vars)?;
    if values.len() != 1 << (row_vars + col_vars) {
        return Err(Error::Invalid("vector length does not match grid".into()));
    }
    let rows: Vec<G> = values
        .par_chunks(1 << col_vars)
        .map(|row| G::msm_unchecked(gens, row))
        .collect();
    Ok(HyraxCommitment::from_rows(rows, row_vars, col_vars))
}

/// Commits to a vector of `2^(m+n)` small signed integers (witness vectors).
/// Same result as one [`crate::msm::msm_small`] per row; the method (per-row Pippenger
/// or the cached multiples table of `small_commit`) is chosen by a cost model.
/// To commit several vectors, [`commit_ints_many`] shares the table's cost among them.
pub fn commit_ints(
    key: &HyraxKey,
    values: &[i64],
    row_vars: usize,
    col_vars: usize,
) -> crate::Result<HyraxCommitment> {
    let mut out = commit_ints_many(key, &[(values, row_vars, col_vars)])?;
    Ok(out.pop().expect("one commitment"))
}

/// Commits to several small-integer vectors, each given as `(values, row_vars,
/// col_vars)` with `values.len() = 2^(row_vars + col_vars)`; returns the commitments in
/// order, each equal to [`commit_ints`] of its vector. Vectors with the same `col_vars`
/// are committed together, so the multiples table (built once per key, `col_vars` and
/// window width) is chosen for their total size. Cost: with `b`-bit entries, about
/// `⌈(b+1)/w⌉` batch-affine additions (≈ 6 field multiplications each) per nonzero entry
/// plus `2^(col_vars + w - 1)` per table slab not yet cached, or the per-row Pippenger
/// cost when that is cheaper.
pub fn commit_ints_many(
    key: &HyraxKey,
    vectors: &[(&[i64], usize, usize)],
) -> crate::Result<Vec<HyraxCommitment>> {
    commit_ints_many_with(key, vectors, CommitStrategy::Auto)
}

/// [`commit_ints_many`] with an explicit `CommitStrategy` (for tests and benchmarks:
/// every strategy yields the same commitments).
pub fn commit_ints_many_with(
    key: &HyraxKey,
    vectors: &[(&[i64], usize, usize)],
    strategy: CommitStrategy,
) -> crate::Result<Vec<HyraxCommitment>> {
    for &(values, row_vars, col_vars) in vectors {
        key.gens_for(col_vars)?;
        if row_vars + col_vars >= usize::BITS as usize || values.len() != 1 << (row_vars + col_vars)
        {
            return Err(Error::Invalid("vector length does not match grid".into()));
        }
    }
    let mut out: Vec<Option<HyraxCommitment>> = vec![None; vectors.len()];
    let mut col_sizes: Vec<usize> = vectors.iter().map(|v| v.2).collect();
    col_sizes.sort_unstable();
    col_sizes.dedup();
    for cv in col_sizes {
        let idx: Vec<usize> = (0..vectors.len()).filter(|&i| vectors[i].2 == cv).collect();
        let vals: Vec<&[i64]> = idx.iter().map(|&i| vectors[i].0).collect();
        let rows = commit_rows(key.gens_for(cv)?, &vals, &key.multiples, strategy);
        for (i, r) in idx.into_iter().zip(rows) {
            out[i] = Some(HyraxCommitment::from_rows(r, vectors[i].1, cv));
        }
    }
    Ok(out
        .into_iter()
        .map(|c| c.expect("every vector committed"))
        .collect())
}

/// The opening vector `t = Σ_g eq(p_row, g)·v[g, ·]` of a small-integer vector,
/// accumulated without modular reductions (`LazySums`); entries of magnitude
/// `≥ 2^32` fall back to a multiplication. Cost: `2^(m+n)` short products.
pub fn open_ints(values: &[i64], row_vars: usize, col_vars: usize, p_row: &[F]) -> Vec<F> {
    assert_eq!(p_row.len(), row_vars);
    assert_eq!(values.len(), 1 << (row_vars + col_vars));
    let l = eq_table(p_row);
    let cols = 1 << col_vars;
    let mut acc = LazySums::zeros(cols);
    for (g, row) in values.chunks(cols).enumerate() {
        let (pos, neg) = (limbs(&l[g]), limbs(&-l[g]));
        for (c, &v) in row.iter().enumerate() {
            match v.unsigned_abs() {
                0 => {}
                a if a < 1 << 32 => acc.add_scaled(c, if v > 0 { &pos } else { &neg }, a as u32),
                _ => acc.add(c, &limbs(&(from_i64(v) * l[g]))),
            }
        }
    }
    acc.reduce()
}

/// Checks a linear combination of committed rows against an opening vector:
/// `Σ_k Σ_g weights_k[g]·C_k[g] = Σ_c t[c]·G_c` for commitments `C_k` sharing one
/// column width. With `weights = λ^k·eq(p_row)` this checks one opening of the
/// combination `Σ λ^k v_k` (batched openings at one point); with `weights = eq(r)∘M`
/// it checks the opening of a row-scaled matrix. Cost: one MSM of size
/// `2^n + Σ_k 2^(m_k)`.
pub fn verify_combination(
    key: &HyraxKey,
    parts: &[(&HyraxCommitment, &[F])],
    t: &[F],
) -> crate::Result<()> {
    let col_vars = log2_ceil(t.len());
    if t.len() != 1 << col_vars || parts.is_empty() {
        return Err(Error::Malformed("opening vector has the wrong size".into()));
    }
    let gens = key.gens_for(col_vars)?;
    let mut bases: Vec<GAffine> = gens.to_vec();
    let mut scalars: Vec<F> = t.to_vec();
    for (com, w) in parts {
        if com.col_vars != col_vars || com.rows.len() != w.len() {
            return Err(Error::Malformed(
                "commitment and opening shapes differ".into(),
            ));
        }
        bases.extend_from_slice(&com.rows);
        scalars.extend(w.iter().map(|x| -*x));
    }
    check_zero(crate::msm::msm(&bases, &scalars))
}

/// Computes the opening vector `t = Σ_g eq(p_row, g)·v[g, ·]` of a dense vector.
/// Cost: `2^(m+n)` multiplications.
pub fn open_dense(values: &[F], row_vars: usize, col_vars: usize, p_row: &[F]) -> Vec<F> {
    assert_eq!(p_row.len(), row_vars);
    let l = eq_table(p_row);
    let cols = 1 << col_vars;
    let mut t = vec![F::ZERO; cols];
    for (g, row) in values.chunks(cols).enumerate() {
        for (tc, v) in t.iter_mut().zip(row) {
            *tc += l[g] * v;
        }
    }
    t
}

/// Checks that `t` opens `com` at `point = (p_row, p_col)` and returns the value
/// `ṽ(point) = ⟨t, eq(p_col)⟩`. Cost: one MSM of size `2^m + 2^n` and `O(2^m + 2^n)`
/// field operations.
pub fn verify_opening(
    key: &HyraxKey,
    com: &HyraxCommitment,
    point: &[F],
    t: &[F],
) -> crate::Result<F> {
    let scalars = opening_scalars(com, point, t)?;
    let gens = key.gens_for(com.col_vars)?;
    let bases: Vec<GAffine> = gens.iter().chain(&com.rows).copied().collect();
    check_zero(crate::msm::msm(&bases, &scalars))?;
    Ok(inner_product(t, &eq_table(&point[com.row_vars..])))
}

/// A commitment prepared for repeated opening checks: fixed-base tables over its
/// generators and row commitments (see [`FixedBases`]). Preparing costs about 256
/// point doublings per base, once; each check is then about 1.35× cheaper.
#[derive(Clone, Debug)]
pub struct PreparedCommitment {
    /// The commitment itself.
    pub commitment: HyraxCommitment,
    bases: FixedBases,
}

impl PreparedCommitment {
    /// Prepares `com` for checks under `key`.
    pub fn new(key: &HyraxKey, com: &HyraxCommitment) -> crate::Result<Self> {
        let gens = key.gens_for(com.col_vars)?;
        let bases: Vec<GAffine> = gens.iter().chain(&com.rows).copied().collect();
        Ok(Self {
            commitment: com.clone(),
            bases: FixedBases::new(&bases),
        })
    }

    /// Same as [`verify_opening`], with the prepared tables.
    pub fn verify_opening(&self, point: &[F], t: &[F]) -> crate::Result<F> {
        let com = &self.commitment;
        let scalars = opening_scalars(com, point, t)?;
        check_zero(self.bases.msm(&scalars))?;
        Ok(inner_product(t, &eq_table(&point[com.row_vars..])))
    }
}

/// The scalars `(t, −eq(p_row))` of the opening check, after shape checks.
fn opening_scalars(com: &HyraxCommitment, point: &[F], t: &[F]) -> crate::Result<Vec<F>> {
    let (m, n) = (com.row_vars, com.col_vars);
    if point.len() != m + n {
        return Err(Error::Malformed(
            "opening point has the wrong length".into(),
        ));
    }
    if t.len() != 1 << n || com.rows.len() != 1 << m {
        return Err(Error::Malformed(
            "opening vector or commitment has the wrong size".into(),
        ));
    }
    let l = eq_table(&point[..m]);
    Ok(t.iter().copied().chain(l.iter().map(|x| -*x)).collect())
}

fn check_zero(sum: G) -> crate::Result<()> {
    if sum.is_zero() {
        Ok(())
    } else {
        Err(Error::Rejected(crate::error::Check::Opening {
            what: crate::error::Committed::Unnamed,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mle::evaluate;
    use ark_ff::Field;
    use ark_std::{test_rng, UniformRand};

    #[test]
    fn open_and_verify_dense() {
        let mut rng = test_rng();
        let key = HyraxKey::new(4);
        for (m, n) in [(0, 0), (2, 3), (3, 2), (4, 4)] {
            let v: Vec<F> = (0..1 << (m + n)).map(|_| F::rand(&mut rng)).collect();
            let com = commit_dense(&key, &v, m, n).unwrap();
            let point: Vec<F> = (0..m + n).map(|_| F::rand(&mut rng)).collect();
            let t = open_dense(&v, m, n, &point[..m]);
            assert_eq!(
                verify_opening(&key, &com, &point, &t).unwrap(),
                evaluate(&v, &point)
            );
            let prepared = PreparedCommitment::new(&key, &com).unwrap();
            assert_eq!(
                prepared.verify_opening(&point, &t).unwrap(),
                evaluate(&v, &point)
            );
            if n > 0 {
                let mut bad = t.clone();
                bad[0] += F::ONE;
                assert!(verify_opening(&key, &com, &point, &bad).is_err());
                assert!(prepared.verify_opening(&point, &bad).is_err());
            }
            if m > 0 {
                let mut other = point.clone();
                other[0] += F::ONE;
                assert!(verify_opening(&key, &com, &other, &t).is_err());
            }
            if m + n > 0 {
                assert!(verify_opening(&key, &com, &point[1..], &t).is_err());
            }
        }
    }

    #[test]
    fn integer_commitments_openings_and_combinations() {
        let mut rng = test_rng();
        let key = HyraxKey::new(4);
        let (m, n) = (3, 4);
        let a: Vec<i64> = (0..1 << (m + n)).map(|i| (i * 37 % 511) - 255).collect();
        let mut b: Vec<i64> = (0..1 << (m + n)).map(|i| i % 7).collect();
        b[5] = 1 << 40;
        b[6] = -(1 << 35);
        let fa: Vec<F> = a.iter().map(|&v| from_i64(v)).collect();
        let fb: Vec<F> = b.iter().map(|&v| from_i64(v)).collect();
        let ca = commit_ints(&key, &a, m, n).unwrap();
        let cb = commit_ints(&key, &b, m, n).unwrap();
        assert_eq!(ca, commit_dense(&key, &fa, m, n).unwrap());
        assert_eq!(cb, commit_dense(&key, &fb, m, n).unwrap());
        let point: Vec<F> = (0..m + n).map(|_| F::rand(&mut rng)).collect();
        let ta = open_ints(&a, m, n, &point[..m]);
        assert_eq!(ta, open_dense(&fa, m, n, &point[..m]));
        assert_eq!(
            verify_opening(&key, &ca, &point, &ta).unwrap(),
            evaluate(&fa, &point)
        );
        // One opening of a + λ·b at the point.
        let lambda = F::rand(&mut rng);
        let tb = open_ints(&b, m, n, &point[..m]);
        let t: Vec<F> = ta.iter().zip(&tb).map(|(x, y)| *x + lambda * y).collect();
        let e = eq_table(&point[..m]);
        let le: Vec<F> = e.iter().map(|x| lambda * x).collect();
        verify_combination(&key, &[(&ca, &e), (&cb, &le)], &t).unwrap();
        let swapped = [(&cb, &e[..]), (&ca, &le[..])];
        assert!(verify_combination(&key, &swapped, &t).is_err());
        let mut bad = t.clone();
        bad[3] += F::ONE;
        assert!(verify_combination(&key, &[(&ca, &e), (&cb, &le)], &bad).is_err());
        assert!(verify_combination(&key, &[(&ca, &e[1..])], &ta).is_err());
        assert!(verify_combination(&key, &[], &ta).is_err());
        assert!(verify_combination(&key, &[(&ca, &e)], &ta[1..]).is_err());
        assert!(commit_ints(&key, &a[1..], m, n).is_err());
    }

    #[test]
    fn commitment_bytes_round_trip() {
        let key = HyraxKey::new(2);
        let v: Vec<F> = (0..8u64).map(F::from).collect();
        let com = commit_dense(&key, &v, 1, 2).unwrap();
        let mut w = Writer::default();
        com.write(&mut w);
        let mut r = Reader::new(&w.bytes);
        assert_eq!(HyraxCommitment::read(&mut r, 30).unwrap(), com);
        r.finish().unwrap();
        assert!(HyraxCommitment::read(&mut Reader::new(&w.bytes[..40]), 30).is_err());
    }
}

//! Eight BN254 scalars at once: field arithmetic on AVX-512 IFMA registers.
//!
//! A [`Lanes`] holds eight elements of `F`, limb-sliced: limb `j` of all eight lanes
//! sits in one 512-bit register, five limbs of 52 bits each (radix `2^52`, 260 bits).
//! Lane values are arkworks' own Montgomery form (element `a` is stored as
//! `a·2^256 mod p`), lazily reduced: every value lies in `[0, 2p)` and every limb
//! below `2^52`, so loading and storing move bits and multiply nothing.
//! Multiplication is Montgomery's with the `vpmadd52{lo,hi}uq` instructions (CIOS, one
//! 52-bit limb per step, 5 steps of 21 multiply-adds for all eight lanes), which
//! divides by `2^260`; one operand is shifted left by 4 bits first, so the product is
//! `a·b/2^256` as arkworks'. On the development machine that is about 6–7 ns per
//! product against about 19 ns for arkworks' scalar `mulx` path. Addition and
//! subtraction cost a few instructions per lane. Results are bit-exact:
//! [`Lanes::store`] returns canonical arkworks elements.
//!
//! Safety by construction: every way to make a [`Lanes`] takes an [`Ifma`] token
//! (which exists only if the CPU has AVX-512F and AVX-512 IFMA) and the value keeps it,
//! so the operations on lanes are safe functions; their intrinsics run in `unsafe`
//! blocks that cite the token. The operations are `#[inline(always)]` without a
//! `target_feature` attribute of their own, so they inline into the
//! `#[target_feature]` worker that calls them (see `logup::wide`); called elsewhere
//! they are still correct, only slower.

use crate::field::F;
use crate::simd::Ifma;
use ark_bn254::Fq;
use ark_ff::{AdditiveGroup, BigInt, Field, PrimeField, Zero};
use std::arch::x86_64::*;
use std::marker::PhantomData;

const MASK: u64 = (1 << 52) - 1;

/// Radix-`2^52` limbs of a 256-bit integer (the top limb takes the last 48 bits).
const fn to52(x: [u64; 4]) -> [u64; 5] {
    [
        x[0] & MASK,
        ((x[0] >> 52) | (x[1] << 12)) & MASK,
        ((x[1] >> 40) | (x[2] << 24)) & MASK,
        ((x[2] >> 28) | (x[3] << 36)) & MASK,
        x[3] >> 16,
    ]
}

/// The 256-bit integer of normalized radix-`2^52` limbs whose value is below `2^256`.
const fn from52(l: [u64; 5]) -> [u64; 4] {
    [
        l[0] | (l[1] << 52),
        (l[1] >> 12) | (l[2] << 40),
        (l[2] >> 24) | (l[3] << 28),
        (l[3] >> 36) | (l[4] << 16),
    ]
}

/// `2x` for `x < 2^255`.
const fn shl1(x: [u64; 4]) -> [u64; 4] {
    let mut t = [0u64; 4];
    let mut i = 0;
    while i < 4 {
        t[i] = (x[i] << 1) | if i > 0 { x[i - 1] >> 63 } else { 0 };
        i += 1;
    }
    t
}

/// `−p0^(−1) mod 2^52` for odd `p0` (Newton's iteration).
const fn neg_inv52(p0: u64) -> u64 {
    let mut inv: u64 = 1;
    let mut i = 0;
    while i < 7 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(p0.wrapping_mul(inv)));
        i += 1;
    }
    inv.wrapping_neg() & MASK
}

/// A prime field in arkworks' 4-limb Montgomery form whose elements lanes can hold:
/// BN254's scalar field ([`FrPrime`]) and base field ([`FqPrime`]). The bounds in
/// [`Lanes::mul`] need `p < 2^254`.
pub trait Prime: Copy + Send + Sync + 'static {
    /// The arkworks field.
    type Field: PrimeField;
    /// The modulus, little-endian 64-bit limbs.
    const P: [u64; 4];
    /// The modulus in radix `2^52`.
    const P52: [u64; 5] = to52(Self::P);
    /// `2p` in radix `2^52`.
    const P2_52: [u64; 5] = to52(shl1(Self::P));
    /// `−p^(−1) mod 2^52`.
    const PINV: u64 = neg_inv52(Self::P[0]);
    /// The Montgomery-form limbs of `x`.
    fn limbs(x: &Self::Field) -> [u64; 4];
    /// The element whose Montgomery-form limbs are `l` (`l` below `p`).
    fn from_limbs(l: [u64; 4]) -> Self::Field;
}

/// BN254's scalar field `Fr` (the prover's field).
#[derive(Clone, Copy, Debug)]
pub struct FrPrime;

impl Prime for FrPrime {
    type Field = F;
    const P: [u64; 4] = <F as PrimeField>::MODULUS.0;
    #[inline(always)]
    fn limbs(x: &F) -> [u64; 4] {
        x.0 .0
    }
    #[inline(always)]
    fn from_limbs(l: [u64; 4]) -> F {
        F::new_unchecked(BigInt(l))
    }
}

/// BN254's base field `Fq` (coordinates of G1 points).
#[derive(Clone, Copy, Debug)]
pub struct FqPrime;

impl Prime for FqPrime {
    type Field = Fq;
    const P: [u64; 4] = <Fq as PrimeField>::MODULUS.0;
    #[inline(always)]
    fn limbs(x: &Fq) -> [u64; 4] {
        x.0 .0
    }
    #[inline(always)]
    fn from_limbs(l: [u64; 4]) -> Fq {
        Fq::new_unchecked(BigInt(l))
    }
}

/// Eight field elements, limb-sliced (see the module documentation). Holds the
/// [`Ifma`] token it was made with (zero-sized), so having a `Lanes` proves the CPU
/// runs the instructions its operations use.
#[derive(Clone, Copy)]
pub struct Lanes<M: Prime = FrPrime> {
    limbs: [__m512i; 5],
    simd: Ifma,
    field: PhantomData<M>,
}

/// Lanes of the scalar field.
pub type FrLanes = Lanes<FrPrime>;
/// Lanes of the base field.
pub type FqLanes = Lanes<FqPrime>;

/// `l` in all eight lanes.
#[inline(always)]
fn splat_limbs(_: Ifma, l: &[u64; 5]) -> [__m512i; 5] {
    // SAFETY: the `Ifma` token proves the CPU has AVX-512F.
    std::array::from_fn(|j| unsafe { _mm512_set1_epi64(l[j] as i64) })
}

/// Carry propagation (the top limb keeps the rest): of unsigned limbs, or with
/// `SIGNED` of signed limbs whose total is nonnegative (arithmetic shifts).
#[inline(always)]
fn carry_limbs<const SIGNED: bool>(_: Ifma, t: [__m512i; 5]) -> [__m512i; 5] {
    // SAFETY: the `Ifma` token proves the CPU has AVX-512F.
    unsafe {
        let mask = _mm512_set1_epi64(MASK as i64);
        let mut out = t;
        for j in 0..4 {
            let c = if SIGNED {
                _mm512_srai_epi64(out[j], 52)
            } else {
                _mm512_srli_epi64(out[j], 52)
            };
            out[j] = _mm512_and_si512(out[j], mask);
            out[j + 1] = _mm512_add_epi64(out[j + 1], c);
        }
        out
    }
}

/// Carry propagation of unsigned limbs.
#[inline(always)]
fn carry(simd: Ifma, t: [__m512i; 5]) -> [__m512i; 5] {
    carry_limbs::<false>(simd, t)
}

/// Carry propagation of signed limbs whose total is nonnegative.
#[inline(always)]
fn carry_signed(simd: Ifma, t: [__m512i; 5]) -> [__m512i; 5] {
    carry_limbs::<true>(simd, t)
}

/// `16·x` for normalized `x < 2^256`: every limb shifted left by 4, the top bits
/// carried into the next limb (the result stays below `2^260`, normalized).
#[inline(always)]
fn shl4(_: Ifma, x: [__m512i; 5]) -> [__m512i; 5] {
    // SAFETY: the `Ifma` token proves the CPU has AVX-512F.
    unsafe {
        let mask = _mm512_set1_epi64(MASK as i64);
        std::array::from_fn(|j| {
            let up = _mm512_slli_epi64(x[j], 4);
            let v = if j == 0 {
                up
            } else {
                _mm512_or_si512(up, _mm512_srli_epi64(x[j - 1], 48))
            };
            if j < 4 {
                _mm512_and_si512(v, mask)
            } else {
                v
            }
        })
    }
}

/// `x − m` where that is nonnegative, else `x`, lane by lane (`x`, `m` normalized).
#[inline(always)]
fn sub_if_ge(simd: Ifma, x: [__m512i; 5], m: &[u64; 5]) -> [__m512i; 5] {
    // SAFETY: the `Ifma` token proves the CPU has AVX-512F.
    unsafe {
        let mut u: [__m512i; 5] =
            std::array::from_fn(|j| _mm512_sub_epi64(x[j], _mm512_set1_epi64(m[j] as i64)));
        u = carry_signed(simd, u);
        let negative = _mm512_cmplt_epi64_mask(u[4], _mm512_setzero_si512());
        std::array::from_fn(|j| _mm512_mask_blend_epi64(negative, u[j], x[j]))
    }
}

impl<M: Prime> Lanes<M> {
    #[inline(always)]
    fn from_limbs(simd: Ifma, limbs: [__m512i; 5]) -> Self {
        Lanes {
            limbs,
            simd,
            field: PhantomData,
        }
    }

    /// The token this value was made with (for building more lanes beside it).
    #[inline(always)]
    pub fn simd(self) -> Ifma {
        self.simd
    }

    /// All lanes zero.
    #[inline(always)]
    pub fn zero(simd: Ifma) -> Self {
        // SAFETY: the `Ifma` token proves the CPU has AVX-512F.
        Self::from_limbs(simd, [unsafe { _mm512_setzero_si512() }; 5])
    }

    /// Whether every lane holds the integer 0 (a lane may hold a zero value as `p`,
    /// which reads as nonzero here).
    #[inline(always)]
    pub fn is_zero(self) -> bool {
        // SAFETY: `self` holds an `Ifma` token, so the CPU has AVX-512F.
        unsafe {
            let any = self
                .limbs
                .iter()
                .fold(_mm512_setzero_si512(), |a, l| _mm512_or_si512(a, *l));
            _mm512_test_epi64_mask(any, any) == 0
        }
    }

    /// The product `a·b` (Montgomery: `a·b/2^256 mod p` on the stored values), in
    /// `[0, 2p)` for inputs in `[0, 2p)`: with `b' = 16·b < 32p`, the 260-bit reduction
    /// gives `a·b'/2^260 + (< p) < 64p²/2^260 + p < 2p`.
    #[inline(always)]
    pub fn mul(self, b: Self) -> Self {
        let simd = self.simd;
        let p = splat_limbs(simd, &M::P52);
        let a = self.limbs;
        let b = shl4(simd, b.limbs);
        // SAFETY: `self` holds an `Ifma` token, so the CPU has AVX-512F and AVX-512 IFMA.
        let t = unsafe {
            let z = _mm512_setzero_si512();
            let pinv = _mm512_set1_epi64(M::PINV as i64);
            let mut t = [z; 5];
            for bi in b {
                let mut hi = [z; 5];
                for j in 0..5 {
                    t[j] = _mm512_madd52lo_epu64(t[j], a[j], bi);
                    hi[j] = _mm512_madd52hi_epu64(z, a[j], bi);
                }
                let m = _mm512_madd52lo_epu64(z, t[0], pinv);
                for j in 0..5 {
                    t[j] = _mm512_madd52lo_epu64(t[j], m, p[j]);
                    hi[j] = _mm512_madd52hi_epu64(hi[j], m, p[j]);
                }
                // t[0] is now a multiple of 2^52: shift the whole sum down one limb.
                let c = _mm512_srli_epi64(t[0], 52);
                t[0] = _mm512_add_epi64(_mm512_add_epi64(t[1], c), hi[0]);
                t[1] = _mm512_add_epi64(t[2], hi[1]);
                t[2] = _mm512_add_epi64(t[3], hi[2]);
                t[3] = _mm512_add_epi64(t[4], hi[3]);
                t[4] = hi[4];
            }
            t
        };
        Self::from_limbs(simd, carry(simd, t))
    }

    /// `a + b`, reduced to `[0, 2p)`.
    #[inline(always)]
    pub fn add(self, b: Self) -> Self {
        let simd = self.simd;
        // SAFETY: `self` holds an `Ifma` token, so the CPU has AVX-512F.
        let t = std::array::from_fn(|j| unsafe { _mm512_add_epi64(self.limbs[j], b.limbs[j]) });
        Self::from_limbs(simd, sub_if_ge(simd, carry(simd, t), &M::P2_52))
    }

    /// `a − b`, reduced to `[0, 2p)`.
    #[inline(always)]
    pub fn sub(self, b: Self) -> Self {
        let simd = self.simd;
        // SAFETY: `self` holds an `Ifma` token, so the CPU has AVX-512F.
        let t = std::array::from_fn(|j| unsafe {
            _mm512_sub_epi64(
                _mm512_add_epi64(self.limbs[j], _mm512_set1_epi64(M::P2_52[j] as i64)),
                b.limbs[j],
            )
        });
        Self::from_limbs(simd, sub_if_ge(simd, carry_signed(simd, t), &M::P2_52))
    }

    /// `2a`, reduced to `[0, 2p)`.
    #[inline(always)]
    pub fn double(self) -> Self {
        self.add(self)
    }

    /// `a + r·(b − a)`: the multilinear interpolation used to bind a variable.
    #[inline(always)]
    pub fn lerp(self, b: Self, r: Self) -> Self {
        self.add(r.mul(b.sub(self)))
    }

    /// Eight arkworks elements (`xs.len() ≥ 8`; the first eight are read) as lanes.
    #[inline(always)]
    pub fn load(simd: Ifma, xs: &[M::Field]) -> Self {
        let mut cols = [[0u64; 8]; 5];
        for (i, x) in xs[..8].iter().enumerate() {
            let l = to52(M::limbs(x));
            for j in 0..5 {
                cols[j][i] = l[j];
            }
        }
        // SAFETY: the `Ifma` token proves the CPU has AVX-512F; each column is 64
        // readable bytes, which the unaligned load reads.
        let limbs =
            std::array::from_fn(|j| unsafe { _mm512_loadu_si512(cols[j].as_ptr() as *const _) });
        Self::from_limbs(simd, limbs)
    }

    /// One arkworks element in all eight lanes.
    #[inline(always)]
    pub fn splat(simd: Ifma, x: M::Field) -> Self {
        Lanes::load(simd, &[x; 8])
    }

    /// The eight lanes as canonical arkworks elements, written to `out[..8]`.
    #[inline(always)]
    pub fn store(self, out: &mut [M::Field]) {
        let canon = sub_if_ge(self.simd, self.limbs, &M::P52);
        let mut cols = [[0u64; 8]; 5];
        for (j, c) in cols.iter_mut().enumerate() {
            // SAFETY: `self` holds an `Ifma` token, so the CPU has AVX-512F; `c` is 64
            // writable bytes, which the unaligned store writes.
            unsafe { _mm512_storeu_si512(c.as_mut_ptr() as *mut _, canon[j]) };
        }
        for (i, o) in out[..8].iter_mut().enumerate() {
            *o = M::from_limbs(from52(std::array::from_fn(|j| cols[j][i])));
        }
    }

    /// The sum of the eight lanes.
    #[inline(always)]
    pub fn total(self) -> M::Field {
        let mut out = [M::Field::ZERO; 8];
        self.store(&mut out);
        out.iter().sum()
    }

    /// Lanes `table[idx[i]]` of a table written by [`gather_table`].
    #[inline(always)]
    pub fn gather(simd: Ifma, table: &[[u64; 8]], idx: &[u32]) -> Self {
        let mut cols = [[0u64; 8]; 5];
        for (i, &k) in idx[..8].iter().enumerate() {
            let row = &table[k as usize];
            for j in 0..5 {
                cols[j][i] = row[j];
            }
        }
        // SAFETY: the `Ifma` token proves the CPU has AVX-512F; each column is 64
        // readable bytes, which the unaligned load reads.
        let limbs =
            std::array::from_fn(|j| unsafe { _mm512_loadu_si512(cols[j].as_ptr() as *const _) });
        Self::from_limbs(simd, limbs)
    }
}

/// A table of field elements in lanes' form, one 64-byte row per element (its five
/// radix-`2^52` limbs and padding), for [`Lanes::gather`]. Cost: moving bits, no
/// products.
pub fn gather_table(xs: &[F]) -> Vec<[u64; 8]> {
    xs.iter()
        .map(|x| {
            let l = to52(FrPrime::limbs(x));
            [l[0], l[1], l[2], l[3], l[4], 0, 0, 0]
        })
        .collect()
}

/// Arkworks elements `xs` (length a multiple of 8) as lanes. Cost: moving bits.
pub fn load_all(simd: Ifma, xs: &[F]) -> Vec<FrLanes> {
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn run(simd: Ifma, xs: &[F]) -> Vec<FrLanes> {
        xs.chunks_exact(8).map(|c| FrLanes::load(simd, c)).collect()
    }
    // SAFETY: the `Ifma` token proves the CPU has AVX-512F and AVX-512 IFMA.
    unsafe { run(simd, xs) }
}

/// Lanes back to arkworks elements (empty for no lanes). Cost: one conditional
/// subtraction per element.
pub fn store_all(xs: &[FrLanes]) -> Vec<F> {
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn run(_: Ifma, xs: &[FrLanes]) -> Vec<F> {
        let mut out = vec![F::ZERO; 8 * xs.len()];
        for (x, o) in xs.iter().zip(out.chunks_exact_mut(8)) {
            x.store(o);
        }
        out
    }
    // An empty slice proves nothing: without lanes there may be no token.
    let Some(first) = xs.first() else {
        return Vec::new();
    };
    // SAFETY: `first` holds an `Ifma` token, so the CPU has AVX-512F and AVX-512 IFMA.
    unsafe { run(first.simd(), xs) }
}

/// Inverts every element of `v` (length a multiple of 8, all nonzero) in place by
/// Montgomery's trick on eight interleaved chains (lane `i` takes `v[8b + i]`), with
/// one scalar inversion per lane. Returns false, leaving `v` unchanged, if an element
/// is zero. Cost: about 3 lanes products per element.
pub fn batch_invert(simd: Ifma, v: &mut [F]) -> bool {
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn run(simd: Ifma, v: &mut [F]) {
        let blocks = load_all(simd, v);
        let mut prefix = Vec::with_capacity(blocks.len());
        let mut acc = FrLanes::splat(simd, F::ONE);
        for x in &blocks {
            prefix.push(acc);
            acc = acc.mul(*x);
        }
        let mut totals = [F::ZERO; 8];
        acc.store(&mut totals);
        ark_ff::batch_inversion(&mut totals);
        let mut inv = FrLanes::load(simd, &totals);
        for (b, x) in blocks.iter().enumerate().rev() {
            inv.mul(prefix[b]).store(&mut v[8 * b..]);
            inv = inv.mul(*x);
        }
    }
    assert!(v.len().is_multiple_of(8));
    if v.iter().any(|x| x.is_zero()) {
        return false;
    }
    // SAFETY: the `Ifma` token proves the CPU has AVX-512F and AVX-512 IFMA.
    unsafe { run(simd, v) };
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::{Field, One};
    use ark_std::UniformRand;

    /// Values that stress the reductions: 0, 1, p − 1, p − 2, small and random ones.
    fn samples(seed: u64) -> Vec<F> {
        let mut rng = ark_std::test_rng();
        for _ in 0..seed {
            let _ = F::rand(&mut rng);
        }
        let mut v = vec![F::ZERO, F::one(), -F::one(), -F::from(2u64), F::from(7u64)];
        v.extend((0..59).map(|_| F::rand(&mut rng)));
        v
    }

    /// Every lanes operation against arkworks on the same elements.
    fn check_ops(simd: Ifma, a: &[F], b: &[F]) {
        for (ca, cb) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
            let (x, y) = (FrLanes::load(simd, ca), FrLanes::load(simd, cb));
            let mut out = [F::ZERO; 8];
            type Case = (FrLanes, fn(F, F) -> F);
            let cases: [Case; 5] = [
                (x.mul(y), |p, q| p * q),
                (x.add(y), |p, q| p + q),
                (x.sub(y), |p, q| p - q),
                (x.double(), |p, _| p.double()),
                // A long chain keeps the bound: ((x·y − x)·y + y)·x.
                (x.mul(y).sub(x).mul(y).add(y).mul(x), |p, q| {
                    ((p * q - p) * q + q) * p
                }),
            ];
            for (got, want) in cases {
                got.store(&mut out);
                for i in 0..8 {
                    assert_eq!(out[i], want(ca[i], cb[i]));
                }
            }
            x.lerp(y, FrLanes::splat(simd, ca[3])).store(&mut out);
            for i in 0..8 {
                assert_eq!(out[i], ca[i] + ca[3] * (cb[i] - ca[i]));
            }
            assert_eq!(x.total(), ca.iter().sum::<F>());
            assert!(FrLanes::zero(simd).is_zero());
            assert_eq!(x.is_zero(), ca.iter().all(|v| v.is_zero()));
        }
        let table = gather_table(a);
        let idx: Vec<u32> = (0..8).map(|i| (i * 7 + 3) % a.len() as u32).collect();
        let mut out = [F::ZERO; 8];
        FrLanes::gather(simd, &table, &idx).store(&mut out);
        for i in 0..8 {
            assert_eq!(out[i], a[idx[i] as usize]);
        }
        assert_eq!(store_all(&load_all(simd, a)), a);
        let mut inv: Vec<F> = a.iter().map(|x| *x + F::from(11u64)).collect();
        let want: Vec<F> = inv.iter().map(|x| x.inverse().unwrap()).collect();
        assert!(batch_invert(simd, &mut inv));
        assert_eq!(inv, want);
        let mut with_zero = a.to_vec();
        assert!(
            !batch_invert(simd, &mut with_zero),
            "a zero element is refused"
        );
        assert_eq!(with_zero, a);
    }

    /// The scalar side of the lanes, which runs on every CPU: radix-`2^52` limbs round
    /// trip, the gather table holds them, and the derived constants are right.
    fn check_scalar_side<M: Prime>(xs: &[M::Field]) {
        for x in xs {
            let l = to52(M::limbs(x));
            assert!(l.iter().all(|&v| v <= MASK));
            assert_eq!(from52(l), M::limbs(x));
            assert_eq!(M::from_limbs(from52(l)), *x);
        }
        assert_eq!(from52(M::P52), M::P);
        assert_eq!(
            M::P52[0].wrapping_mul(M::PINV) & MASK,
            MASK,
            "p·(−p⁻¹) ≡ −1 mod 2^52"
        );
        let two_p = from52(M::P2_52);
        assert_eq!(two_p, shl1(M::P));
    }

    #[test]
    fn base_field_lanes_match_arkworks() {
        let mut rng = ark_std::test_rng();
        let mut a: Vec<Fq> = vec![Fq::ZERO, Fq::one(), -Fq::one(), -Fq::from(2u64)];
        a.extend((0..60).map(|_| Fq::rand(&mut rng)));
        check_scalar_side::<FqPrime>(&a);
        let Some(simd) = Ifma::detect() else {
            eprintln!("no IFMA token (CPU or TERNZK_NO_SIMD): scalar side checked only");
            return;
        };
        let b: Vec<Fq> = a
            .iter()
            .rev()
            .map(|x| x.square() + Fq::from(3u64))
            .collect();
        for (ca, cb) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
            let (x, y) = (FqLanes::load(simd, ca), FqLanes::load(simd, cb));
            let mut out = [Fq::ZERO; 8];
            x.mul(y).sub(x).mul(y).add(y).double().store(&mut out);
            for i in 0..8 {
                assert_eq!(out[i], (((ca[i] * cb[i] - ca[i]) * cb[i]) + cb[i]).double());
            }
        }
    }

    #[test]
    fn lanes_match_arkworks() {
        let (a, b) = (samples(0), samples(1));
        check_scalar_side::<FrPrime>(&a);
        let table = gather_table(&a);
        for (row, x) in table.iter().zip(&a) {
            assert_eq!(row[..5], to52(FrPrime::limbs(x)));
            assert_eq!(row[5..], [0, 0, 0]);
        }
        assert!(store_all(&[]).is_empty(), "no lanes, no token needed");
        let Some(simd) = Ifma::detect() else {
            eprintln!("no IFMA token (CPU or TERNZK_NO_SIMD): scalar side checked only");
            return;
        };
        let mut rev = a.clone();
        rev.reverse();
        check_ops(simd, &a, &b);
        check_ops(simd, &b, &a);
        check_ops(simd, &a, &a);
        check_ops(simd, &a, &rev);
    }
}

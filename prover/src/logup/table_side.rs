//! The table side of LogUp: `g(t) = 1/(β − T(t))`, the verifier's own `g̃(r)`, and the
//! degree-2 sumcheck of `Σ_t m(t)·g(t)`.

use super::*;
use crate::eq::{eq_table, PAR_THRESHOLD};
use crate::error::Error;
use crate::field::F;
use crate::mle::bind_first;
use crate::sumcheck::{RoundOracle, SumcheckProof};
use crate::transcript::Transcript;
use ark_ff::{AdditiveGroup, Field, Zero};
use rayon::prelude::*;

/// `1/(β − v)` for every folded table value, or `None` if `β` equals one of them.
/// Cost: `|T|` subtractions and one (parallel) batch inversion (≈ 3 multiplications each).
pub(super) fn inverse_differences(values: &[F], beta: F) -> Option<Vec<F>> {
    let mut d: Vec<F> = values.par_iter().map(|v| beta - v).collect();
    if d.par_iter().any(|x| x.is_zero()) {
        return None;
    }
    // Table sizes are powers of two ≥ 8, as the lanes need.
    #[cfg(target_arch = "x86_64")]
    if let Some(simd) = wide::enabled().filter(|_| d.len() >= 1 << WIDE_MIN_VARS) {
        if crate::ifma::batch_invert(simd, &mut d) {
            return Some(d);
        }
    }
    ark_ff::batch_inversion(&mut d);
    Some(d)
}

/// The verifier's own evaluation of `g̃(r) = Σ_t eq(r, t)/(β − T(t))`, or a rejection
/// if `β` equals a table value. The table is cut into blocks of `2^⌊b/2⌋` rows; each
/// block's `Σ_lo eq(r_lo, lo)/(β − T(hi, lo))` is accumulated as one projective
/// fraction, and the `2^⌈b/2⌉` block fractions are combined with `eq(r_hi, ·)`.
/// Cost: about 3 multiplications per table row (no `2^b` eq table), split over threads.
pub(super) fn table_g_eval(table: &Table, gamma: F, beta: F, r: &[F]) -> crate::Result<F> {
    let b = table.num_vars();
    debug_assert_eq!(r.len(), b);
    let lo_bits = b / 2;
    let e_hi = eq_table(&r[..b - lo_bits]);
    let e_lo = eq_table(&r[b - lo_bits..]);
    let values = table.folded_values(gamma);
    let mut blocks: Vec<(F, F)> = values
        .par_chunks(1 << lo_bits)
        .map(|vals| {
            let (mut num, mut den) = (F::ZERO, F::ONE);
            for (v, e) in vals.iter().zip(&e_lo) {
                let d = beta - v;
                num = num * d + *e * den;
                den *= d;
            }
            (num, den)
        })
        .collect();
    if blocks.iter().any(|(_, d)| d.is_zero()) {
        return Err(Error::Rejected(crate::error::Check::LogupTableSide));
    }
    let mut dens: Vec<F> = blocks.iter().map(|(_, d)| *d).collect();
    ark_ff::batch_inversion(&mut dens);
    for ((n, _), d) in blocks.iter_mut().zip(&dens) {
        *n *= d;
    }
    Ok(blocks.iter().zip(&e_hi).map(|((n, _), e)| *n * e).sum())
}

/// The multiplicities as field elements (zero stays zero, without a conversion).
pub(super) fn counts_as_fields(counts: &[u64]) -> Vec<F> {
    counts
        .iter()
        .map(|&c| if c == 0 { F::ZERO } else { F::from(c) })
        .collect()
}

/// The table side's sumcheck `Σ_t m(t)·g(t)` (degree 2, first variable = most
/// significant bit) as a round oracle. Pairs where `m` is zero on both sides are skipped
/// (multiplicities are sparse while `N ≪ |T|`); `g` is bound densely. Tables of at
/// least `2^WIDE_MIN_VARS` rows run their rounds with at least eight pairs in lanes
/// (`wide`, the same values) and the last three rounds on scalars.
/// Cost: `|T|` multiplications to bind `g`, about 4 per pair with nonzero `m`.
pub(super) struct TableOracle {
    m: Vec<F>,
    g: Vec<F>,
    /// The lanes form of `m` and `g` while it is in use (then `m`, `g` are empty).
    wide: Option<wide::WideTable>,
}

impl TableOracle {
    /// The oracle for multiplicities `m` and `g(t) = 1/(β − T(t))`, of one length `2^b`.
    pub(super) fn new(m: Vec<F>, g: Vec<F>) -> Self {
        let b = m.len().trailing_zeros() as usize;
        if let Some(simd) = wide::enabled().filter(|_| b >= WIDE_MIN_VARS) {
            let wide = Some(wide::WideTable::new(simd, &m, &g));
            return Self {
                m: Vec::new(),
                g: Vec::new(),
                wide,
            };
        }
        Self { m, g, wide: None }
    }

    /// `(p(0), p(2))` of the current round on the scalar tables.
    fn scalar_sums(&self) -> (F, F) {
        let (m, g) = (&self.m, &self.g);
        let h = m.len() / 2;
        let sums = |lo: usize, hi: usize| {
            let (mut s0, mut s2) = (F::ZERO, F::ZERO);
            for i in lo..hi {
                let (m0, m1) = (m[i], m[i + h]);
                if m0.is_zero() && m1.is_zero() {
                    continue;
                }
                let (g0, g1) = (g[i], g[i + h]);
                s0 += m0 * g0;
                s2 += (m1.double() - m0) * (g1.double() - g0);
            }
            (s0, s2)
        };
        const CHUNK: usize = 1 << 12;
        if h >= PAR_THRESHOLD {
            (0..h.div_ceil(CHUNK))
                .into_par_iter()
                .map(|c| sums(c * CHUNK, ((c + 1) * CHUNK).min(h)))
                .reduce(|| (F::ZERO, F::ZERO), |x, y| (x.0 + y.0, x.1 + y.1))
        } else {
            sums(0, h)
        }
    }
}

impl RoundOracle for TableOracle {
    fn num_vars(&self) -> usize {
        match &self.wide {
            Some(w) => w.num_vars(),
            None => self.m.len().trailing_zeros() as usize,
        }
    }

    fn degree(&self) -> usize {
        2
    }

    fn round(&mut self, claim: F) -> Vec<F> {
        if let Some(w) = &self.wide {
            if let Some((s0, s2)) = w.sums() {
                return vec![s0, claim - s0, s2];
            }
            let w = self.wide.take().expect("checked above");
            (self.m, self.g) = w.into_scalar();
        }
        let (s0, s2) = self.scalar_sums();
        vec![s0, claim - s0, s2]
    }

    fn bind(&mut self, r: F) {
        if let Some(w) = &mut self.wide {
            w.bind(r);
            return;
        }
        let h = self.m.len() / 2;
        bind_first(&mut self.g, r);
        let (lo, hi) = self.m.split_at_mut(h);
        let bind = |(a, b): (&mut F, &F)| {
            if !(a.is_zero() && b.is_zero()) {
                *a += r * (*b - *a);
            }
        };
        if h >= PAR_THRESHOLD {
            lo.par_iter_mut().zip(hi.par_iter()).for_each(bind);
        } else {
            lo.iter_mut().zip(hi.iter()).for_each(bind);
        }
        self.m.truncate(h);
    }
}

/// Proves `Σ_t m_t·g_t = claim` (the claim is already in the transcript) with the
/// sumcheck driver on a [`TableOracle`]; returns the proof and the point.
pub(super) fn prove_table_sumcheck(
    m: Vec<F>,
    g: Vec<F>,
    claim: F,
    transcript: &mut Transcript,
) -> (SumcheckProof, Vec<F>) {
    let red = crate::sumcheck::prove(&mut TableOracle::new(m, g), claim, transcript);
    (red.proof, red.point)
}

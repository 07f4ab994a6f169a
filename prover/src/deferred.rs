//! Group equations a verifier collects and checks at the end, together.
//!
//! Each equation says that `Σ s_j·P_j + a·g + b·h + Σ_i z_i·G_i` is the identity, for
//! points `P_j` of the proof (or formed from it), the scalar generators `g`, `h` and a
//! prefix of one generator list `G` ([`Gens`]). [`Deferred::finish`] checks all of
//! them as one random combination `Σ_k ρ^k·E_k = 0`: terms on `g`, `h` and on the same
//! generator list add up, so a proof's many inner-product checks cost one MSM over the
//! other points, one (prepared) MSM per generator list and two fixed-base
//! multiplications. `ρ` is drawn from the transcript extended by every scalar and point
//! of every equation, so it exists only after the prover has fixed all of them; a
//! false equation survives with probability at most `n/|F|` (`n` equations). Only if
//! the combination fails are the equations checked one by one, and the first false
//! one's error is returned — the error its caller would have reported at once.

use crate::error::Error;
use crate::field::{GAffine, F, G};
use crate::msm::msm;
use crate::pedersen::{BlindingKey, Gens};
use crate::transcript::Transcript;
use ark_ff::Zero;

const WEIGHTS: &[u8] = b"ternzk-deferred-weights";

/// One equation: `Σ terms + g_coeff·g + h_coeff·h + Σ gens_coeffs_i·G_i = 0`.
struct Equation<'a> {
    terms: Vec<(F, GAffine)>,
    g_coeff: F,
    h_coeff: F,
    gens: Option<(Gens<'a>, Vec<F>)>,
    error: Error,
}

/// Equations collected during a verification (see the module documentation).
#[derive(Default)]
pub struct Deferred<'a> {
    equations: Vec<Equation<'a>>,
}

impl<'a> Deferred<'a> {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `Σ terms + g_coeff·g + h_coeff·h + Σ_i coeffs_i·gens_i = 0` (`coeffs` as
    /// long as `gens`), to be reported as `error` if it is the first false one.
    /// Cost: storing the terms.
    pub fn push(
        &mut self,
        terms: Vec<(F, GAffine)>,
        (g_coeff, h_coeff): (F, F),
        gens: Option<(Gens<'a>, Vec<F>)>,
        error: Error,
    ) {
        if let Some((g, c)) = &gens {
            assert_eq!(g.points.len(), c.len(), "one coefficient a generator");
        }
        self.equations.push(Equation {
            terms,
            g_coeff,
            h_coeff,
            gens,
            error,
        });
    }

    /// Checks every equation (see the module documentation); `t` is the transcript
    /// after the last one was collected, or later. Cost: one MSM over every equation's
    /// own points, one MSM per generator list, two fixed-base multiplications; on
    /// failure, one small MSM per equation.
    pub fn finish(self, key: &BlindingKey, t: &Transcript) -> crate::Result<()> {
        if self.equations.is_empty() {
            return Ok(());
        }
        if self.combination(key, t).is_zero() {
            return Ok(());
        }
        for e in self.equations {
            if !Self::value(key, &e).is_zero() {
                return Err(e.error);
            }
        }
        // Unreachable but for a combination that is nonzero while every equation holds,
        // which the arithmetic rules out; reject rather than accept.
        Err(Error::Malformed("deferred checks disagree".into()))
    }

    /// `Σ_k ρ^k·E_k` for `ρ` drawn as the module documentation says.
    fn combination(&self, key: &BlindingKey, t: &Transcript) -> G {
        let mut side = t.clone();
        let mut scalars: Vec<F> = Vec::new();
        let mut points: Vec<GAffine> = Vec::new();
        for e in &self.equations {
            scalars.extend(e.terms.iter().map(|(s, _)| *s));
            scalars.extend([e.g_coeff, e.h_coeff]);
            if let Some((_, c)) = &e.gens {
                scalars.extend(c.iter().copied());
            }
            points.extend(e.terms.iter().map(|(_, p)| *p));
        }
        side.append_points(WEIGHTS, &points);
        let rho = side.side_challenge(WEIGHTS, &scalars);
        let (mut bases, mut coeffs) = (Vec::new(), Vec::new());
        let (mut on_g, mut on_h) = (F::zero(), F::zero());
        // Generator lists by their first point's address: prefixes of one list share it.
        let mut lists: Vec<(Gens<'a>, Vec<F>)> = Vec::new();
        let mut w = F::from(1u64);
        for e in &self.equations {
            w *= rho;
            for (s, p) in &e.terms {
                bases.push(*p);
                coeffs.push(w * s);
            }
            on_g += w * e.g_coeff;
            on_h += w * e.h_coeff;
            if let Some((g, c)) = &e.gens {
                let at = lists
                    .iter()
                    .position(|(l, _)| l.points.as_ptr() == g.points.as_ptr());
                let i = at.unwrap_or_else(|| {
                    lists.push((*g, Vec::new()));
                    lists.len() - 1
                });
                let (longest, sum) = &mut lists[i];
                if g.points.len() > longest.points.len() {
                    *longest = *g;
                }
                if sum.len() < c.len() {
                    sum.resize(c.len(), F::zero());
                }
                for (acc, x) in sum.iter_mut().zip(c) {
                    *acc += w * x;
                }
            }
        }
        // `g`, `h` join the MSM: a verifier needs no fixed-base tables for two terms.
        bases.extend([key.g, key.h]);
        coeffs.extend([on_g, on_h]);
        let mut total = msm(&bases, &coeffs);
        for (g, mut sum) in lists {
            sum.resize(g.points.len(), F::zero());
            total += g.msm(&sum);
        }
        total
    }

    /// One equation's left-hand side.
    fn value(key: &BlindingKey, e: &Equation<'_>) -> G {
        let (bases, scalars): (Vec<GAffine>, Vec<F>) = e
            .terms
            .iter()
            .map(|(s, p)| (*p, *s))
            .chain([(key.g, e.g_coeff), (key.h, e.h_coeff)])
            .unzip();
        let mut v = msm(&bases, &scalars);
        if let Some((g, c)) = &e.gens {
            v += g.msm(c);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Check;
    use crate::generators::derive_generators;
    use ark_ec::CurveGroup;
    use ark_std::rand::{rngs::StdRng, SeedableRng};
    use ark_std::UniformRand;

    /// Equations `x·P − x·P = 0` style: true ones made from random openings.
    #[test]
    fn true_equations_pass_and_the_first_false_one_is_named() {
        let key = BlindingKey::new();
        let gens = derive_generators(b"deferred-test", 8);
        let mut rng = StdRng::seed_from_u64(3);
        let make = |rng: &mut StdRng, n: usize, bad: bool, k: usize| {
            // C = Σ v_i·G_i + s·h + u·g, checked as C − Σ v_i·G_i − u·g − s·h = 0.
            let v: Vec<F> = (0..n).map(|_| F::rand(rng)).collect();
            let (s, u) = (F::rand(rng), F::rand(rng));
            let c = (key.commit_vector(&gens[..n], &v, s) + key.g * u).into_affine();
            let mut neg: Vec<F> = v.iter().map(|x| -*x).collect();
            if bad {
                neg[0] += F::from(1u64);
            }
            (
                vec![(F::from(1u64), c)],
                (-u, -s),
                Some((Gens::plain(&gens[..n]), neg)),
                Error::Rejected(Check::LogupRoot { table: k }),
            )
        };
        let t = Transcript::new(b"deferred");
        let mut ok = Deferred::new();
        for (k, n) in [3usize, 8, 5].into_iter().enumerate() {
            let (a, b, c, d) = make(&mut rng, n, false, k);
            ok.push(a, b, c, d);
        }
        ok.finish(&key, &t).unwrap();
        for bad_at in 0..3 {
            let mut d = Deferred::new();
            for (k, n) in [3usize, 8, 5].into_iter().enumerate() {
                let (a, b, c, e) = make(&mut rng, n, k >= bad_at, k);
                d.push(a, b, c, e);
            }
            assert_eq!(
                d.finish(&key, &t),
                Err(Error::Rejected(Check::LogupRoot { table: bad_at })),
                "first false equation {bad_at}"
            );
        }
        Deferred::new().finish(&key, &t).unwrap();
    }
}

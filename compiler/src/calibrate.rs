//! Calibration data and the choice of activation scales.
//!
//! A hidden layer's output scale is `s_out = c / 255`, where `c` is the given
//! percentile of the real post-ReLU activations `relu(α_i·s_in·z_i)` over all units
//! and calibration inputs. The `z` come from the already-quantized earlier layers, so
//! each scale sees the ternarization and rounding error of what precedes it.

use crate::data::{self, DataSpec, Table};
use crate::dataset::{load_fashion_mnist, Split};
use crate::error::{Error, Result};
use rand::{Rng, SeedableRng};

/// Where calibration inputs come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Calibration {
    /// The first images of the Fashion-MNIST training split (never the test split).
    FashionMnist,
    /// Uniformly random u8 vectors from a fixed seed — for models without data.
    Uniform,
    /// The first rows of a data file (`.safetensors`, `.npz`, `.npy`, `.csv`; see
    /// [`crate::data`]); labels, if any, are ignored.
    File(String),
}

impl Calibration {
    /// Parses `fashion-mnist`, `uniform`, or a data file's path.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "fashion-mnist" => Ok(Calibration::FashionMnist),
            "uniform" => Ok(Calibration::Uniform),
            "" => Err(Error::Usage(
                "empty calibration data (expected `fashion-mnist`, `uniform` or a data file)"
                    .into(),
            )),
            path => Ok(Calibration::File(path.to_string())),
        }
    }

    /// The name stored in the compiled model's header (a file's name without its
    /// directory).
    pub fn name(&self) -> String {
        match self {
            Calibration::FashionMnist => "fashion-mnist".into(),
            Calibration::Uniform => "uniform".into(),
            Calibration::File(p) => std::path::Path::new(p)
                .file_name()
                .map_or_else(|| p.clone(), |f| f.to_string_lossy().into_owned()),
        }
    }

    /// `n` calibration inputs of width `n_in` as real values (the first `n` rows of
    /// a file; Fashion-MNIST and uniform data as `pixel / 255`, marked as pixels).
    /// Errors if the data's width is not `n_in`. Cost: loading the data.
    pub fn table(&self, n: usize, n_in: usize) -> Result<Table> {
        let mut t = match self {
            Calibration::File(p) => {
                let mut t = data::load(&DataSpec::new(p.clone()), Split::Train)?;
                t.labels = None;
                t
            }
            _ => {
                let x = self.inputs(n, n_in)?;
                Table {
                    name: self.name(),
                    dim: n_in,
                    x: x.iter().map(|&v| v as f32 / 255.0).collect(),
                    labels: None,
                    pixels: true,
                }
            }
        };
        t.check_width(n_in)?;
        t.truncate(n);
        Ok(t)
    }

    /// `n` calibration images of width `n_in` as u8, back to back (Fashion-MNIST or
    /// uniform; a data file is an error: use [`Self::table`]). Cost: loading the
    /// training split (Fashion-MNIST) or O(n·n_in) (uniform).
    pub fn inputs(&self, n: usize, n_in: usize) -> Result<Vec<u8>> {
        match self {
            Calibration::File(p) => Err(Error::Usage(format!(
                "calibration file {p} holds real values, not u8 images"
            ))),
            Calibration::FashionMnist => {
                let mut d = load_fashion_mnist(Split::Train)?;
                if d.dim != n_in {
                    return Err(Error::Usage(format!(
                        "the model takes {n_in} inputs but Fashion-MNIST images have {}",
                        d.dim
                    )));
                }
                d.truncate(n);
                Ok(d.images)
            }
            Calibration::Uniform => {
                let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x007e_272c);
                Ok((0..n * n_in).map(|_| rng.gen::<u8>()).collect())
            }
        }
    }
}

/// The `p`-th percentile (0 < p ≤ 100) of `values` (nearest rank). Cost: O(n).
pub fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    let idx = rank.clamp(1, values.len()) - 1;
    *values.select_nth_unstable_by(idx, |a, b| a.total_cmp(b)).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_nearest_rank() {
        let mut v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&mut v, 100.0), 100.0);
        assert_eq!(percentile(&mut v, 99.0), 99.0);
        assert_eq!(percentile(&mut v, 50.0), 50.0);
        assert_eq!(percentile(&mut [], 50.0), 0.0);
    }

    #[test]
    fn uniform_inputs_are_deterministic() {
        let a = Calibration::Uniform.inputs(3, 5).unwrap();
        assert_eq!(a, Calibration::Uniform.inputs(3, 5).unwrap());
        assert_eq!(a.len(), 15);
        assert!(Calibration::parse("").is_err());
        assert_eq!(
            Calibration::parse("dir/train.csv").unwrap().name(),
            "train.csv"
        );
    }
}

/// Least-squares refit of one layer's ternary scale and bias on calibration data.
///
/// `u` (`batch × n_out`, row-major) holds `s_in·(T·q)` — the ternary layer applied to
/// the *quantized* calibration activations — and `target` the dense float model's
/// pre-activations `W·x + b` on the same inputs. Per row `i` it solves
/// `min Σ_s (α_i·u_si + b_i − target_si)²`; with `shared_alpha` one `α` for all rows
/// (`Σ cov / Σ var`) and per-row `b_i`. An `α` that is not positive and finite (dead
/// row, anti-correlated fit) falls back to `fallback_alpha[i]`, with `b_i` refitted.
/// Returns `(α, b)`. Cost: O(batch · n_out).
pub fn fit_scale_bias(
    u: &[f64],
    target: &[f32],
    n_out: usize,
    shared_alpha: bool,
    fallback_alpha: &[f64],
) -> (Vec<f64>, Vec<f64>) {
    let batch = u.len() / n_out.max(1);
    let inv = 1.0 / batch.max(1) as f64;
    let mut mu = vec![0f64; n_out];
    let mut mt = vec![0f64; n_out];
    for (ur, tr) in u.chunks(n_out).zip(target.chunks(n_out)) {
        for i in 0..n_out {
            mu[i] += ur[i] * inv;
            mt[i] += tr[i] as f64 * inv;
        }
    }
    let mut cov = vec![0f64; n_out];
    let mut var = vec![0f64; n_out];
    for (ur, tr) in u.chunks(n_out).zip(target.chunks(n_out)) {
        for i in 0..n_out {
            let du = ur[i] - mu[i];
            cov[i] += du * (tr[i] as f64 - mt[i]);
            var[i] += du * du;
        }
    }
    let ok = |a: f64| a.is_finite() && a > 0.0;
    let alpha: Vec<f64> = if shared_alpha {
        let a = cov.iter().sum::<f64>() / var.iter().sum::<f64>();
        (0..n_out)
            .map(|i| if ok(a) { a } else { fallback_alpha[i] })
            .collect()
    } else {
        (0..n_out)
            .map(|i| {
                let a = cov[i] / var[i];
                if var[i] > 0.0 && ok(a) {
                    a
                } else {
                    fallback_alpha[i]
                }
            })
            .collect()
    };
    let bias = (0..n_out).map(|i| mt[i] - alpha[i] * mu[i]).collect();
    (alpha, bias)
}

#[cfg(test)]
mod fit_tests {
    use super::*;

    #[test]
    fn recovers_an_exact_affine_relation() {
        // Row 0: target = 2u + 1; row 1: target = 0.5u − 3.
        let u = [1.0, 2.0, 3.0, 4.0, -1.0, 0.0];
        let t: Vec<f32> = u
            .chunks(2)
            .flat_map(|r| [(2.0 * r[0] + 1.0) as f32, (0.5 * r[1] - 3.0) as f32])
            .collect();
        let (a, b) = fit_scale_bias(&u, &t, 2, false, &[9.0, 9.0]);
        assert!((a[0] - 2.0).abs() < 1e-9 && (b[0] - 1.0).abs() < 1e-9);
        assert!((a[1] - 0.5).abs() < 1e-9 && (b[1] + 3.0).abs() < 1e-9);
        // Anti-correlated rows fall back to the given alpha.
        let t2: Vec<f32> = u.iter().map(|v| -*v as f32).collect();
        let (a, _) = fit_scale_bias(&u, &t2, 2, true, &[7.0, 7.0]);
        assert_eq!(a, vec![7.0, 7.0]);
    }
}

//! Calibration data and the choice of activation scales.
//!
//! A hidden layer's output scale is `s_out = c / 255`, where `c` is the given
//! percentile of the real post-ReLU activations `relu(α_i·s_in·z_i)` over all units
//! and calibration inputs. The `z` come from the already-quantized earlier layers, so
//! each scale sees the ternarization and rounding error of what precedes it.

use crate::dataset::{load_fashion_mnist, Split};
use crate::error::{Error, Result};
use rand::{Rng, SeedableRng};

/// Where calibration inputs come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Calibration {
    /// The first images of the Fashion-MNIST training split (never the test split).
    FashionMnist,
    /// Uniformly random u8 vectors from a fixed seed — for models without data.
    Uniform,
}

impl Calibration {
    /// Parses `fashion-mnist` or `uniform`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "fashion-mnist" => Ok(Calibration::FashionMnist),
            "uniform" => Ok(Calibration::Uniform),
            other => Err(Error::Usage(format!(
                "unknown calibration data `{other}` (expected `fashion-mnist` or `uniform`)"
            ))),
        }
    }

    /// The name stored in the compiled model's header.
    pub fn name(self) -> &'static str {
        match self {
            Calibration::FashionMnist => "fashion-mnist",
            Calibration::Uniform => "uniform",
        }
    }

    /// `n` calibration inputs of width `n_in`, back to back. Cost: loading the
    /// training split (Fashion-MNIST) or O(n·n_in) (uniform).
    pub fn inputs(self, n: usize, n_in: usize) -> Result<Vec<u8>> {
        match self {
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
                let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x7e27_2c);
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
        assert!(Calibration::parse("imagenet").is_err());
    }
}

//! Magnitude pruning and ternarization.
//!
//! Rule (see `docs/compiler.md`): at density `D` a layer of `n` weights keeps its
//! `round(D·n)` largest-magnitude nonzero weights (per row in per-row mode: each row
//! keeps `round(D·n_in)`; globally: one magnitude threshold over all layers). Ties at
//! the threshold are broken by position (row-major order). A kept weight becomes its
//! sign (±1), a dropped one 0, and the scale `α` is the mean |W| of the kept weights —
//! of the whole layer (per-layer mode) or of each row (per-row mode), which is the
//! least-squares-optimal scale for that support: `W ≈ α·T`.

use crate::error::{Error, Result};
use crate::safetensors_io::DenseLayer;
use rayon::prelude::*;

/// Whether the ternary scale `α` is shared by a layer or chosen per output row (the
/// compiled-model header records it, so the type lives with the file format).
pub use ternzk_core::format::ScaleMode;

/// Which weights survive pruning.
#[derive(Clone, Debug, PartialEq)]
pub enum Density {
    /// The same fraction for every layer.
    Uniform(f64),
    /// One fraction per layer, in layer order.
    PerLayer(Vec<f64>),
    /// One magnitude threshold over all weights of the model, keeping this fraction
    /// of all weights in total.
    Global(f64),
}

impl Density {
    /// The density requested for layer `i` (the global fraction for [`Density::Global`]).
    pub fn for_layer(&self, i: usize) -> f64 {
        match self {
            Density::Uniform(d) | Density::Global(d) => *d,
            Density::PerLayer(v) => v.get(i).copied().unwrap_or(1.0),
        }
    }

    /// Checks every fraction is in (0, 1] and a per-layer list has one per layer.
    pub fn validate(&self, n_layers: usize) -> Result<()> {
        let vals: Vec<f64> = match self {
            Density::Uniform(d) | Density::Global(d) => vec![*d],
            Density::PerLayer(v) => {
                if v.len() != n_layers {
                    return Err(Error::Usage(format!(
                        "--density lists {} values but the model has {n_layers} layers",
                        v.len()
                    )));
                }
                v.clone()
            }
        };
        for d in vals {
            if !(d > 0.0 && d <= 1.0) {
                return Err(Error::Usage(format!("density {d} is not in (0, 1]")));
            }
        }
        Ok(())
    }
}

/// A layer after pruning and ternarization: `W ≈ diag(α)·T`.
#[derive(Clone, Debug, PartialEq)]
pub struct TernaryLayer {
    /// Output features.
    pub n_out: usize,
    /// Input features.
    pub n_in: usize,
    /// Row-major ternary matrix, entries in {-1, 0, 1}.
    pub t: Vec<i8>,
    /// `α` of each row (all equal in per-layer mode), > 0.
    pub alpha: Vec<f64>,
}

impl TernaryLayer {
    /// Number of nonzero entries of `t`.
    pub fn nnz(&self) -> usize {
        self.t.iter().filter(|&&v| v != 0).count()
    }
}

/// Marks the `keep` largest |values| (nonzero only) of `w`, ties by position.
/// Returns the threshold magnitude as well. Cost: O(n) expected (quickselect).
fn top_k_mask(w: &[f32], keep: usize) -> Vec<bool> {
    let nonzero = w.iter().filter(|v| **v != 0.0).count();
    let keep = keep.min(nonzero);
    if keep == 0 {
        return vec![false; w.len()];
    }
    let mut mags: Vec<f32> = w.iter().map(|v| v.abs()).collect();
    let idx = mags.len() - keep;
    let (_, thr, _) = mags.select_nth_unstable_by(idx, |a, b| a.total_cmp(b));
    let thr = *thr;
    let above = w.iter().filter(|v| v.abs() > thr).count();
    let mut ties = keep - above;
    w.iter()
        .map(|v| {
            let a = v.abs();
            if a > thr {
                true
            } else if a == thr && ties > 0 {
                ties -= 1;
                true
            } else {
                false
            }
        })
        .collect()
}

/// Global magnitude threshold keeping `round(d · total)` weights of all layers;
/// returns how many weights each layer keeps. Cost: O(params).
fn global_keep_counts(layers: &[&DenseLayer], d: f64) -> Vec<usize> {
    let mut mags: Vec<f32> = layers
        .iter()
        .flat_map(|l| l.weight.iter().map(|v| v.abs()))
        .collect();
    let total = mags.len();
    let keep = ((d * total as f64).round() as usize).clamp(1, total);
    let idx = total - keep;
    let (_, thr, _) = mags.select_nth_unstable_by(idx, |a, b| a.total_cmp(b));
    let thr = *thr;
    drop(mags);
    let mut ties = keep
        - layers
            .iter()
            .map(|l| l.weight.iter().filter(|v| v.abs() > thr).count())
            .sum::<usize>();
    layers
        .iter()
        .map(|l| {
            let above = l.weight.iter().filter(|v| v.abs() > thr).count();
            let eq = l.weight.iter().filter(|v| v.abs() == thr).count();
            let t = eq.min(ties);
            ties -= t;
            above + t
        })
        .collect()
}

/// Prunes and ternarizes every layer. `mode` applies to hidden layers; the last
/// layer is always per-layer. Cost: O(params) time, O(params) bytes extra.
pub fn ternarize(
    layers: &[&DenseLayer],
    density: &Density,
    mode: ScaleMode,
) -> Result<Vec<TernaryLayer>> {
    density.validate(layers.len())?;
    let global = match density {
        Density::Global(d) => Some(global_keep_counts(layers, *d)),
        _ => None,
    };
    let last = layers.len().saturating_sub(1);
    let mut out = Vec::with_capacity(layers.len());
    for (li, l) in layers.iter().enumerate() {
        let d = density.for_layer(li);
        let per_row = mode == ScaleMode::PerRow && li != last;
        let keep_mask: Vec<bool> = if per_row && global.is_none() {
            let keep = ((d * l.n_in as f64).round() as usize).max(1);
            l.weight
                .par_chunks(l.n_in)
                .flat_map_iter(|row| top_k_mask(row, keep))
                .collect()
        } else {
            let keep = match &global {
                Some(g) => g[li],
                None => ((d * l.weight.len() as f64).round() as usize).max(1),
            };
            top_k_mask(&l.weight, keep)
        };
        let t: Vec<i8> = l
            .weight
            .iter()
            .zip(&keep_mask)
            .map(|(&w, &k)| {
                if !k {
                    0
                } else if w > 0.0 {
                    1
                } else {
                    -1
                }
            })
            .collect();
        let (sum, cnt) = l
            .weight
            .iter()
            .zip(&keep_mask)
            .filter(|(_, &k)| k)
            .fold((0f64, 0usize), |(s, c), (w, _)| (s + w.abs() as f64, c + 1));
        if cnt == 0 {
            return Err(Error::Model(format!(
                "layer `{}` keeps no nonzero weight at density {d} (all its weights are zero or pruned)",
                l.name
            )));
        }
        let layer_alpha = sum / cnt as f64;
        let alpha: Vec<f64> = if per_row {
            l.weight
                .chunks(l.n_in)
                .zip(keep_mask.chunks(l.n_in))
                .map(|(w, k)| {
                    let (s, c) = w
                        .iter()
                        .zip(k)
                        .filter(|(_, &k)| k)
                        .fold((0f64, 0usize), |(s, c), (w, _)| (s + w.abs() as f64, c + 1));
                    if c == 0 {
                        layer_alpha
                    } else {
                        s / c as f64
                    }
                })
                .collect()
        } else {
            vec![layer_alpha; l.n_out]
        };
        out.push(TernaryLayer {
            n_out: l.n_out,
            n_in: l.n_in,
            t,
            alpha,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(n_out: usize, n_in: usize, w: Vec<f32>) -> DenseLayer {
        DenseLayer {
            name: "l".into(),
            n_out,
            n_in,
            weight: w,
            bias: vec![0.0; n_out],
        }
    }

    #[test]
    fn keeps_largest_magnitudes_and_mean_scale() {
        let l = layer(2, 4, vec![0.1, -0.9, 0.3, 0.0, -0.5, 0.2, 0.7, 0.05]);
        let t = ternarize(&[&l], &Density::Uniform(0.5), ScaleMode::PerLayer).unwrap();
        assert_eq!(t[0].t, vec![0, -1, 1, 0, -1, 0, 1, 0]);
        let want = (0.9 + 0.3 + 0.5 + 0.7) / 4.0;
        assert!((t[0].alpha[0] - want).abs() < 1e-6);
    }

    #[test]
    fn per_row_mode_balances_rows() {
        let a = layer(2, 4, vec![0.1, -0.9, 0.3, 0.0, -0.5, 0.2, 0.7, 0.05]);
        let b = layer(1, 2, vec![1.0, 1.0]);
        let t = ternarize(&[&a, &b], &Density::Uniform(0.5), ScaleMode::PerRow).unwrap();
        assert_eq!(t[0].t, vec![0, -1, 1, 0, -1, 0, 1, 0]);
        assert!((t[0].alpha[0] - 0.6).abs() < 1e-6);
        assert!((t[0].alpha[1] - 0.6).abs() < 1e-6);
        let a = layer(2, 2, vec![0.1, 0.2, 0.9, 0.8]);
        let t = ternarize(&[&a, &b], &Density::Uniform(0.5), ScaleMode::PerRow).unwrap();
        assert_eq!(t[0].t, vec![0, 1, 1, 0]);
        assert!((t[0].alpha[0] - 0.2).abs() < 1e-6 && (t[0].alpha[1] - 0.9).abs() < 1e-6);
    }

    #[test]
    fn global_density_and_ties() {
        let a = layer(1, 4, vec![1.0, 1.0, 1.0, 1.0]);
        let b = layer(1, 4, vec![0.1, 0.1, 2.0, 0.1]);
        let t = ternarize(&[&a, &b], &Density::Global(0.5), ScaleMode::PerLayer).unwrap();
        assert_eq!(t[0].nnz() + t[1].nnz(), 4);
        assert_eq!(t[0].t, vec![1, 1, 1, 0]);
        assert_eq!(t[1].t, vec![0, 0, 1, 0]);
    }

    #[test]
    fn rejects_bad_density_and_dead_layers() {
        let a = layer(1, 2, vec![0.0, 0.0]);
        assert!(ternarize(&[&a], &Density::Uniform(0.0), ScaleMode::PerLayer).is_err());
        assert!(ternarize(&[&a], &Density::Uniform(1.5), ScaleMode::PerLayer).is_err());
        assert!(ternarize(
            &[&a],
            &Density::PerLayer(vec![0.5, 0.5]),
            ScaleMode::PerLayer
        )
        .is_err());
        let e = ternarize(&[&a], &Density::Uniform(1.0), ScaleMode::PerLayer).unwrap_err();
        assert!(e.to_string().contains("keeps no nonzero"), "{e}");
    }
}

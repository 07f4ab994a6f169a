//! The input quantizer fitted on calibration data, and its folding into the first
//! layer.
//!
//! Real inputs become the u8 vector the integer model consumes feature by feature:
//! `q_j = clamp(round(x_j / s_j) + zp_j, 0, 255)`, so that `x_j ≈ s_j·(q_j − zp_j)`.
//! Each feature's range `[min_j, max_j]` on the calibration data maps onto 0…255
//! (`s_j = (max_j − min_j)/255`, `zp_j = −round(min_j / s_j)`; `zp_j` is any integer,
//! so a feature far from zero keeps all 256 steps for its own range). The first layer
//! then computes `Σ_j W_ij·x_j ≈ Σ_j (W_ij·s_j)·q_j − Σ_j (W_ij·s_j)·zp_j`: the scales
//! fold into the weights (`W' = W·diag(s)`, ternarized instead of `W`) and the zero
//! points into the bias, exactly in integers (`b_i −= Σ_j T_ij·zp_j` after
//! ternarization).

use crate::data::Table;
use crate::error::{Error, Result};
use crate::safetensors_io::DenseLayer;
use rayon::prelude::*;
pub use ternzk_core::engine::FeatureQuant;

/// Fits one scale and zero point per feature to the calibration inputs' range.
/// A constant feature `c` gets `s = |c|` (or 1 for 0) and `zp = 128`, which
/// represents it exactly. Cost: O(len · dim).
pub fn fit(calib: &Table) -> Result<FeatureQuant> {
    if calib.is_empty() {
        return Err(Error::Usage(
            "need at least one calibration input to fit the input quantizer".into(),
        ));
    }
    let d = calib.dim;
    let mut lo = vec![f64::INFINITY; d];
    let mut hi = vec![f64::NEG_INFINITY; d];
    for row in calib.x.chunks(d) {
        for (j, &v) in row.iter().enumerate() {
            lo[j] = lo[j].min(v as f64);
            hi[j] = hi[j].max(v as f64);
        }
    }
    let mut scales = Vec::with_capacity(d);
    let mut zero_points = Vec::with_capacity(d);
    for j in 0..d {
        let range = hi[j] - lo[j];
        if range > 0.0 && (range / 255.0).is_normal() {
            let s = range / 255.0;
            scales.push(s);
            zero_points.push((-lo[j] / s).round() as i32);
        } else {
            let c = lo[j].abs();
            scales.push(if c > 0.0 { c } else { 1.0 });
            zero_points.push(128);
        }
    }
    Ok(FeatureQuant {
        scales,
        zero_points,
    })
}

/// The first layer with the input scales folded in: `W'_ij = W_ij·s_j` (bias
/// unchanged). Its input is `q − zp` in integer steps. Cost: O(n_out · n_in).
pub fn fold_scales(l: &DenseLayer, scales: &[f64]) -> DenseLayer {
    let weight = l
        .weight
        .par_chunks(l.n_in)
        .flat_map_iter(|row| row.iter().zip(scales).map(|(&w, &s)| (w as f64 * s) as f32))
        .collect();
    DenseLayer {
        weight,
        ..l.clone()
    }
}

/// Root mean square of each feature's centered integer input `q_j − zp_j` over the
/// calibration rows (`q` back to back, width `zp.len()`). Cost: O(values).
pub fn centered_rms(q: &[u8], zero_points: &[i32]) -> Vec<f64> {
    let d = zero_points.len().max(1);
    let n = (q.len() / d).max(1) as f64;
    let mut acc = vec![0f64; d];
    for row in q.chunks(d) {
        for (j, &v) in row.iter().enumerate() {
            let c = v as f64 - zero_points[j] as f64;
            acc[j] += c * c;
        }
    }
    acc.into_iter().map(|s| (s / n).sqrt()).collect()
}

/// The magnitudes the first layer's support is ranked by: `|W'_ij|·rms_j` (the typical
/// size of weight `ij`'s contribution on the calibration data), signs kept. A plain
/// `|W'|` ranking would favour features of wide range. Cost: O(n_out · n_in).
pub fn ranking_layer(folded: &DenseLayer, rms: &[f64]) -> DenseLayer {
    fold_scales(folded, rms)
}

/// `α = mean |W'|` over the kept entries of `t` (per row when `per_row`, rows without
/// a kept entry taking the layer's mean): the ternary scale of the folded layer when
/// the support was ranked on other magnitudes. Cost: O(n_out · n_in).
pub fn mean_abs_alpha(folded: &DenseLayer, t: &[i8], per_row: bool) -> Vec<f64> {
    let sum_cnt = |w: &[f32], t: &[i8]| {
        w.iter()
            .zip(t)
            .filter(|(_, &t)| t != 0)
            .fold((0f64, 0usize), |(s, c), (w, _)| (s + w.abs() as f64, c + 1))
    };
    let (s, c) = sum_cnt(&folded.weight, t);
    let layer = if c == 0 { 1.0 } else { s / c as f64 };
    if !per_row {
        return vec![layer; folded.n_out];
    }
    folded
        .weight
        .chunks(folded.n_in)
        .zip(t.chunks(folded.n_in))
        .map(|(w, t)| match sum_cnt(w, t) {
            (_, 0) => layer,
            (s, c) => s / c as f64,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(dim: usize, x: Vec<f32>) -> Table {
        Table {
            name: "t".into(),
            dim,
            x,
            labels: None,
            pixels: false,
        }
    }

    #[test]
    fn fit_maps_each_range_onto_0_255() {
        // Feature 0 in [-2, 3]; feature 1 far from zero (1000…1255); feature 2 constant.
        let t = table(
            3,
            vec![-2.0, 1000.0, 7.0, 3.0, 1255.0, 7.0, 0.5, 1100.0, 7.0],
        );
        let f = fit(&t).unwrap();
        f.validate().unwrap();
        assert!((f.scales[0] - 5.0 / 255.0).abs() < 1e-12);
        assert_eq!(f.scales[1], 1.0);
        assert_eq!(f.zero_points[1], -1000);
        let q = f.quantize_rows(&t.x);
        assert_eq!(&q[..6], &[0, 0, 129, 255, 255, 129]);
        let back = f.dequantize_rows(&q);
        for (a, b) in back.iter().zip(&t.x) {
            assert!((a - b).abs() <= 0.5 * 5.0 / 255.0 + 1e-6, "{a} vs {b}");
        }
        // Out-of-range values clamp.
        assert_eq!(f.quantize_rows(&[-100.0, 5000.0, 7.0]), vec![0, 255, 129]);
        assert!(fit(&table(2, vec![])).is_err());
    }

    #[test]
    fn folding_is_exact_up_to_float_rounding() {
        let l = DenseLayer {
            name: "fc1".into(),
            n_out: 2,
            n_in: 3,
            weight: vec![1.0, -2.0, 0.5, 0.0, 3.0, -1.0],
            bias: vec![0.1, -0.2],
        };
        let f = FeatureQuant {
            scales: vec![0.5, 2.0, 0.25],
            zero_points: vec![3, -1, 0],
        };
        let folded = fold_scales(&l, &f.scales);
        let q = [7u8, 2, 9];
        let x = f.dequantize_rows(&q);
        for i in 0..2 {
            let direct: f64 = (0..3)
                .map(|j| l.weight[i * 3 + j] as f64 * x[j] as f64)
                .sum();
            let via: f64 = (0..3)
                .map(|j| folded.weight[i * 3 + j] as f64 * (q[j] as f64 - f.zero_points[j] as f64))
                .sum();
            assert!((direct - via).abs() < 1e-5);
        }
        let rms = centered_rms(&q, &f.zero_points);
        assert_eq!(rms, vec![4.0, 3.0, 9.0]);
        let r = ranking_layer(&folded, &rms);
        assert_eq!(r.weight[1], -2.0 * 2.0 * 3.0);
        let t = [1i8, -1, 0, 0, 1, 0];
        assert_eq!(mean_abs_alpha(&folded, &t, true), vec![2.25, 6.0]);
        assert_eq!(mean_abs_alpha(&folded, &t, false), vec![3.5, 3.5]);
    }
}

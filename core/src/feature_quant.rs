//! Per-feature affine 8-bit quantization of real inputs:
//! `q_j = clamp(round(x_j / s_j) + zp_j, 0, 255)`, so that `x_j ≈ s_j·(q_j − zp_j)`. The compiler fits it on
//! calibration data (`ternzk_compiler::input_fit`) and folds it into the first layer;
//! the compiled model stores it (format version 2) so that real inputs can be
//! quantized exactly as at compile time.

use crate::error::{Error, Result};

/// Per-feature affine 8-bit quantization of real inputs.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FeatureQuant {
    /// `s_j > 0`: the real value of one step of feature `j`.
    pub scales: Vec<f64>,
    /// `zp_j`: the integer that represents real 0 for feature `j` (may lie outside
    /// 0…255 when the feature's range excludes 0).
    pub zero_points: Vec<i32>,
}

impl FeatureQuant {
    /// Input width.
    pub fn n_in(&self) -> usize {
        self.scales.len()
    }

    /// Checks lengths and that every scale is positive and finite.
    pub fn validate(&self) -> Result<()> {
        if self.scales.len() != self.zero_points.len() {
            return Err(Error::Model(format!(
                "input quantizer: {} scales but {} zero points",
                self.scales.len(),
                self.zero_points.len()
            )));
        }
        if let Some(j) = self
            .scales
            .iter()
            .position(|s| !(s.is_finite() && *s > 0.0))
        {
            return Err(Error::Model(format!(
                "input quantizer: scale of feature {j} is {} (must be positive and finite)",
                self.scales[j]
            )));
        }
        Ok(())
    }

    /// Quantizes rows of real inputs (width [`Self::n_in`], back to back) to u8.
    /// Cost: O(values).
    pub fn quantize_rows(&self, x: &[f32]) -> Vec<u8> {
        let d = self.n_in().max(1);
        x.iter()
            .enumerate()
            .map(|(i, &v)| {
                let j = i % d;
                ((v as f64 / self.scales[j]).round() + self.zero_points[j] as f64).clamp(0.0, 255.0)
                    as u8
            })
            .collect()
    }

    /// The real values the u8 rows represent: `s_j·(q_j − zp_j)`. Cost: O(values).
    pub fn dequantize_rows(&self, q: &[u8]) -> Vec<f32> {
        let d = self.n_in().max(1);
        q.iter()
            .enumerate()
            .map(|(i, &v)| {
                let j = i % d;
                (self.scales[j] * (v as i64 - self.zero_points[j] as i64) as f64) as f32
            })
            .collect()
    }
}

//! Real-valued inputs: checked (width, finiteness) and quantized to the bytes the
//! integer engine and the prover consume, by the model's own input quantizer.

use crate::error::{Error, Result};
use ternzk_compiler::CompiledModel;

/// Checks that `values` are whole rows of `n_in` finite numbers (finite also as
/// `f32`, the precision the quantizer works in) and returns the number of rows.
/// Errors name the first bad row and value. Cost: O(values).
pub fn check_rows(values: &[f64], n_in: usize) -> Result<usize> {
    let n = n_in.max(1);
    if values.is_empty() {
        return Err(Error::Usage("no inputs given".into()));
    }
    if !values.len().is_multiple_of(n) {
        return Err(Error::Usage(format!(
            "{} input values are not whole rows: the model takes {n_in} per input",
            values.len()
        )));
    }
    if let Some((i, v)) = values
        .iter()
        .enumerate()
        .find(|(_, v)| !(**v as f32).is_finite())
    {
        return Err(Error::Usage(format!(
            "input {}, value {}: {v} is not a finite number",
            i / n,
            i % n
        )));
    }
    Ok(values.len() / n)
}

/// The u8 vector the integer model consumes for real-valued inputs (rows back to
/// back). A model with a per-feature quantizer (compiled on a data file) quantizes
/// them per feature. A pixel model (Fashion-MNIST, uniform calibration) takes u8
/// pixel values 0…255 as they are when every value is such an integer, and otherwise
/// real values in `[0, 1]` (`pixel / 255`); anything else is an error.
/// Cost: O(values).
pub fn quantize(model: &CompiledModel, values: &[f64]) -> Result<Vec<u8>> {
    let is_u8 = |v: &f64| v.fract() == 0.0 && (0.0..=255.0).contains(v);
    if model.input.per_feature.is_none() {
        if values.iter().all(is_u8) {
            return Ok(values.iter().map(|&v| v as u8).collect());
        }
        if let Some((i, v)) = values
            .iter()
            .enumerate()
            .find(|(_, v)| !(0.0..=1.0).contains(*v))
        {
            let n = model.n_in().max(1);
            return Err(Error::Usage(format!(
                "input {}, value {}: {v} is neither a pixel value (an integer in 0..=255) nor a real input in [0, 1] (this model takes images)",
                i / n,
                i % n
            )));
        }
    }
    let x: Vec<f32> = values.iter().map(|&v| v as f32).collect();
    Ok(model.input.quantize_rows(&x))
}

/// Real values for inputs given as [`quantize`] takes them: for an image model
/// (`pixel_model`) whose values are all integers in 0…255, `pixel / 255`; otherwise the
/// values themselves. Lets a float reference see what the integer engine sees.
/// Cost: O(values).
pub fn as_real(pixel_model: bool, values: &[f64]) -> Vec<f32> {
    let pixels = pixel_model
        && values
            .iter()
            .all(|v| v.fract() == 0.0 && (0.0..=255.0).contains(v));
    let s = if pixels { 1.0 / 255.0 } else { 1.0 };
    values.iter().map(|&v| (v * s) as f32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixels_become_real_values_for_image_models_only() {
        assert_eq!(as_real(true, &[0.0, 255.0]), vec![0.0, 1.0]);
        assert_eq!(as_real(true, &[0.0, 0.5]), vec![0.0, 0.5]);
        assert_eq!(as_real(false, &[0.0, 255.0]), vec![0.0, 255.0]);
    }

    #[test]
    fn rows_are_checked() {
        assert_eq!(check_rows(&[1.0, 2.0, 3.0, 4.0], 2).unwrap(), 2);
        for (bad, what) in [
            (vec![], "no inputs"),
            (vec![1.0, 2.0, 3.0], "whole rows"),
            (vec![1.0, f64::NAN], "input 0, value 1: NaN"),
            (vec![0.0, 0.0, 1e300, 0.0], "input 1, value 0"),
            (vec![f64::INFINITY, 0.0], "not a finite number"),
        ] {
            let e = check_rows(&bad, 2).unwrap_err().to_string();
            assert!(e.contains(what), "{e}");
        }
    }
}

//! numpy in and out. Inputs of any real dtype and memory order (C or Fortran, strided
//! views) are read in logical row-major order; outputs are new C-ordered arrays.

use crate::errors::value;
use numpy::ndarray::Array2;
use numpy::{AllowTypeChange, IntoPyArray, PyArray1, PyArray2, PyArrayLikeDyn};
use pyo3::prelude::*;

/// An array-like as f64 values in row-major order with its shape. Integer and float
/// dtypes convert; anything numpy cannot make a float array of is a `TypeError` or
/// `ValueError` from numpy. Cost: one pass over the values.
pub fn f64_values(x: &Bound<'_, PyAny>) -> PyResult<(Vec<f64>, Vec<usize>)> {
    let a: PyArrayLikeDyn<'_, f64, AllowTypeChange> = x.extract()?;
    let v = a.as_array();
    Ok((v.iter().copied().collect(), v.shape().to_vec()))
}

/// [`f64_values`] as f32 (model weights).
pub fn f32_values(x: &Bound<'_, PyAny>) -> PyResult<(Vec<f32>, Vec<usize>)> {
    let a: PyArrayLikeDyn<'_, f32, AllowTypeChange> = x.extract()?;
    let v = a.as_array();
    Ok((v.iter().copied().collect(), v.shape().to_vec()))
}

/// Model inputs: one input (1-D, `n_in` values) or a batch (2-D, `[batch, n_in]`).
/// Returns the values back to back and the batch size; a wrong shape is a
/// `ValueError` naming the expected width. Finiteness is checked later
/// ([`ternzk_api::inputs::check_rows`]). Cost: one pass over the values.
pub fn input_rows(x: &Bound<'_, PyAny>, n_in: usize, what: &str) -> PyResult<(Vec<f64>, usize)> {
    let (values, shape) = f64_values(x)?;
    match shape.as_slice() {
        [n] if *n == n_in => Ok((values, 1)),
        [n] => Err(value(format!(
            "{what} has {n} values, the model takes {n_in}"
        ))),
        [0, _] => Err(value(format!("no {what} given (an empty batch)"))),
        [b, n] if *n == n_in => Ok((values, *b)),
        [_, n] => Err(value(format!(
            "{what} rows have {n} values, the model takes {n_in}"
        ))),
        other => Err(value(format!(
            "{what} must be 1-D (one input of {n_in} values) or 2-D (a batch, [n, {n_in}]); got shape {other:?}"
        ))),
    }
}

/// Class labels: a 1-D array of non-negative integers (any numeric dtype holding
/// integer values). Cost: one pass.
pub fn labels(y: &Bound<'_, PyAny>) -> PyResult<Vec<u32>> {
    let (values, shape) = f64_values(y)?;
    if shape.len() != 1 {
        return Err(value(format!(
            "labels must be 1-D (one class per input); got shape {shape:?}"
        )));
    }
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if v.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&v) {
                Ok(v as u32)
            } else {
                Err(value(format!(
                    "label {i} is {v}; labels are class indices (integers ≥ 0)"
                )))
            }
        })
        .collect()
}

/// A `[rows, cols]` array from row-major values.
pub fn matrix<'py, T: numpy::Element>(
    py: Python<'py>,
    values: Vec<T>,
    cols: usize,
) -> Bound<'py, PyArray2<T>> {
    let cols = cols.max(1);
    let rows = values.len() / cols;
    match Array2::from_shape_vec((rows, cols), values) {
        Ok(a) => a.into_pyarray(py),
        // Unreachable: callers pass whole rows. An empty array rather than a panic.
        Err(_) => Array2::from_shape_vec((0, cols), Vec::new())
            .expect("an empty array has a valid shape")
            .into_pyarray(py),
    }
}

/// A 1-D int64 array of classes.
pub fn classes<'py>(py: Python<'py>, classes: &[usize]) -> Bound<'py, PyArray1<i64>> {
    PyArray1::from_vec(py, classes.iter().map(|&c| c as i64).collect())
}

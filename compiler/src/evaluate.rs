//! Accuracy of the float reference and of the integer engine on a labelled data set.

use crate::data::Table;
use crate::dataset::Dataset;
use crate::engine::CompiledModel;
use crate::error::{Error, Result};
use crate::float_ref::{argmax_rows, forward_f32, forward_u8};
use crate::safetensors_io::DenseModel;
use rayon::prelude::*;

/// Images per evaluation step (progress granularity).
pub const EVAL_CHUNK: usize = 500;

fn check_width(model_in: usize, ds: &Dataset) -> Result<()> {
    if model_in != ds.dim {
        return Err(Error::Usage(format!(
            "the model takes {model_in} inputs but the data set's images have {}",
            ds.dim
        )));
    }
    Ok(())
}

fn accuracy(pred: &[usize], labels: &[u8]) -> f64 {
    let ok = pred
        .par_iter()
        .zip(labels)
        .filter(|(p, l)| **p == **l as usize)
        .count();
    ok as f64 / labels.len().max(1) as f64
}

/// Top-1 accuracy of the dense float model (`x = pixel/255`). `progress` gets the
/// number of images done per step. Cost: `len · params` multiply-adds.
pub fn accuracy_dense(
    model: &DenseModel,
    ds: &Dataset,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<f64> {
    accuracy_by(model.n_in(), ds, progress, |chunk, b| {
        Ok(argmax_rows(&forward_u8(model, chunk, b)?, model.n_out()))
    })
}

/// Top-1 accuracy of the integer engine (argmax of i32 logits). Cost: `len · nnz` adds.
pub fn accuracy_compiled(
    model: &CompiledModel,
    ds: &Dataset,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<f64> {
    accuracy_by(model.n_in(), ds, progress, |chunk, b| {
        Ok(model.predict_batch(chunk, b))
    })
}

/// Runs `predict(images, count)` over the data set in steps of [`EVAL_CHUNK`] images,
/// reporting progress after each, and scores the predicted classes.
fn accuracy_by(
    n_in: usize,
    ds: &Dataset,
    progress: &(dyn Fn(u64) + Sync),
    mut predict: impl FnMut(&[u8], usize) -> Result<Vec<usize>>,
) -> Result<f64> {
    check_width(n_in, ds)?;
    let mut pred = Vec::with_capacity(ds.len());
    for chunk in ds.images.chunks(EVAL_CHUNK * ds.dim) {
        let b = chunk.len() / ds.dim;
        pred.extend(predict(chunk, b)?);
        progress(b as u64);
    }
    Ok(accuracy(&pred, &ds.labels))
}

/// Top-1 accuracy of the dense float model on a data table (real inputs as given).
/// Checks the width and that every label is a class of the model. `progress` gets
/// the number of samples done per step. Cost: `len · params` multiply-adds.
pub fn accuracy_dense_table(
    model: &DenseModel,
    data: &Table,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<f64> {
    table_accuracy(data, model.n_in(), model.n_out(), progress, |chunk, b| {
        Ok(argmax_rows(&forward_f32(model, chunk, b)?, model.n_out()))
    })
}

/// Top-1 accuracy of the integer engine on a data table: every row quantized with
/// the model's input quantizer, then the integer logits' class. Cost: `len · nnz`
/// adds plus `len · n_in` quantizations.
pub fn accuracy_compiled_table(
    model: &CompiledModel,
    data: &Table,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<f64> {
    table_accuracy(data, model.n_in(), model.n_out(), progress, |chunk, b| {
        let q = quantize_inputs(model, chunk);
        Ok(argmax_rows(&model.infer_batch_i32(&q, b), model.n_out()))
    })
}

/// The shared evaluation loop: checks the width and labels, then predicts the
/// classes of `EVAL_CHUNK` rows at a time with `classes(rows, count)`.
fn table_accuracy(
    data: &Table,
    n_in: usize,
    n_out: usize,
    progress: &(dyn Fn(u64) + Sync),
    classes: impl Fn(&[f32], usize) -> Result<Vec<usize>>,
) -> Result<f64> {
    data.check_width(n_in)?;
    let labels = data.check_labels(n_out)?;
    let mut pred = Vec::with_capacity(data.len());
    for chunk in data.x.chunks(EVAL_CHUNK * data.dim) {
        let b = chunk.len() / data.dim;
        pred.extend(classes(chunk, b)?);
        progress(b as u64);
    }
    Ok(score(&pred, labels))
}

/// Real inputs (rows of width `model.n_in()`, back to back) as the u8 the engine
/// consumes, by the model's input quantizer. Cost: O(values).
pub fn quantize_inputs(model: &CompiledModel, x: &[f32]) -> Vec<u8> {
    model.input.quantize_rows(x)
}

fn score(pred: &[usize], labels: &[u32]) -> f64 {
    let ok = pred
        .iter()
        .zip(labels)
        .filter(|(p, l)| **p == **l as usize)
        .count();
    ok as f64 / labels.len().max(1) as f64
}

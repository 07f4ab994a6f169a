//! The float reference: the dense source model evaluated in f32, `x = pixel / 255`,
//! ReLU between layers, raw logits after the last.

use crate::error::{Error, Result};
use crate::safetensors_io::DenseModel;
use ndarray::{Array2, ArrayView2, Axis};
use rayon::prelude::*;

/// Samples per rayon task (one GEMM per layer per chunk).
const CHUNK: usize = 256;

/// Logits for `batch` inputs of width `model.n_in()` stored back to back in `x`
/// (f32). Errors if the model is inconsistent ([`DenseModel::validate`]) or `x` has
/// the wrong length. Cost: O(batch · params) multiply-adds, GEMM-blocked, chunks of
/// inputs in parallel.
pub fn forward_f32(model: &DenseModel, x: &[f32], batch: usize) -> Result<Vec<f32>> {
    model.validate()?;
    let n_in = model.n_in();
    let n_out = model.n_out();
    if x.len() != batch * n_in {
        return Err(Error::Usage(format!(
            "float reference: {} input values for a batch of {batch} × {n_in}",
            x.len()
        )));
    }
    let mut out = vec![0f32; batch * n_out];
    let last = model.layers.len() - 1;
    out.par_chunks_mut(CHUNK * n_out)
        .zip(x.par_chunks(CHUNK * n_in))
        .for_each(|(o, xc)| {
            let mut h: Array2<f32> = Array2::from_shape_vec((xc.len() / n_in, n_in), xc.to_vec())
                .unwrap_or_else(|_| Array2::zeros((0, n_in)));
            for (li, l) in model.layers.iter().enumerate() {
                let Ok(w) = ArrayView2::from_shape((l.n_out, l.n_in), &l.weight[..]) else {
                    return; // unreachable: validate() checked every weight length
                };
                let mut z = h.dot(&w.t());
                let b = ndarray::ArrayView1::from(&l.bias[..]);
                for mut row in z.axis_iter_mut(Axis(0)) {
                    row += &b;
                    if li < last {
                        row.mapv_inplace(|v| v.max(0.0));
                    }
                }
                h = z;
            }
            for (dst, src) in o.iter_mut().zip(h.iter()) {
                *dst = *src;
            }
        });
    Ok(out)
}

/// Logits for u8 images (`pixel / 255`). Cost: as [`forward_f32`].
pub fn forward_u8(model: &DenseModel, images: &[u8], batch: usize) -> Result<Vec<f32>> {
    let x: Vec<f32> = images.iter().map(|&p| p as f32 / 255.0).collect();
    forward_f32(model, &x, batch)
}

/// The class of each row of logits (argmax, first on ties; one output unit: logit > 0); shared with the engine.
pub use ternzk_core::engine::argmax_rows;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::safetensors_io::DenseLayer;

    #[test]
    fn matches_hand_computation() {
        let m = DenseModel {
            layers: vec![
                DenseLayer {
                    name: "a".into(),
                    n_out: 2,
                    n_in: 2,
                    weight: vec![1.0, -1.0, 0.5, 0.5],
                    bias: vec![0.0, -1.0],
                },
                DenseLayer {
                    name: "b".into(),
                    n_out: 1,
                    n_in: 2,
                    weight: vec![2.0, 3.0],
                    bias: vec![0.25],
                },
            ],
        };
        // x = (1, 3): h = relu(-2, 1) = (0, 1); y = 3 + 0.25.
        let y = forward_f32(&m, &[1.0, 3.0, 3.0, 1.0], 2).unwrap();
        // x = (3, 1): h = relu(2, 1) = (2, 1); y = 4 + 3 + 0.25.
        assert_eq!(y, vec![3.25, 7.25]);
        assert_eq!(argmax_rows(&[1, 5, 5, 0], 2), vec![1, 0]);
        assert_eq!(argmax_rows(&[-0.5f32, 0.0, 2.0], 1), vec![0, 0, 1]);
        assert!(forward_f32(&m, &[1.0], 1).is_err());
    }
}

//! The compile pipeline: dense model → pruned ternary layers → calibrated integer
//! requantization → checked [`CompiledModel`].

use crate::calibrate::{fit_scale_bias, percentile, Calibration};
use crate::engine::{CompiledModel, InputQuant, QuantLayer};
use crate::error::{Error, Result};
use crate::format::ModelInfo;
use crate::prune::{ternarize, Density, ScaleMode};
use crate::quantize::{choose_multipliers, quantize_bias, requant};
use crate::safetensors_io::{blake3_hex, load_dense_mapped, DenseModel, MappedFile};
use ndarray::ArrayView2;
use std::path::Path;
use ternzk_core::TernaryCsr;

/// Compile settings.
#[derive(Clone, Debug)]
pub struct CompileOptions {
    /// Which weights survive.
    pub density: Density,
    /// Per-layer or per-row ternary scales.
    pub mode: ScaleMode,
    /// Calibration data source.
    pub calibration: Calibration,
    /// Number of calibration inputs.
    pub calib_samples: usize,
    /// Percentile of post-ReLU activations mapped to 255.
    pub percentile: f64,
    /// Explicit layer order (tensor prefixes), or `None` to infer it.
    pub layers: Option<Vec<String>>,
    /// Refit each layer's ternary scale and bias by least squares on the
    /// calibration data ([`fit_scale_bias`]); `false` keeps `α = mean|W|` of the kept
    /// weights and the source bias.
    pub fit: bool,
}

impl Default for CompileOptions {
    fn default() -> Self {
        Self {
            density: Density::Uniform(0.25),
            mode: ScaleMode::PerLayer,
            calibration: Calibration::FashionMnist,
            calib_samples: 1000,
            percentile: 99.99,
            layers: None,
            fit: true,
        }
    }
}

/// Where a compiled model came from (recorded in its header).
#[derive(Clone, Debug)]
pub struct Source {
    /// File name.
    pub file: String,
    /// blake3 of the bytes, hex.
    pub blake3: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// Compiles an in-memory dense model with calibration inputs `calib` (u8, back to
/// back, `calib.len() / n_in` of them). `progress` is called with the number of
/// calibration inputs pushed through each layer. Cost: O(params) for pruning plus
/// `samples · nnz` adds for calibration.
pub fn compile_dense(
    dense: &DenseModel,
    source: &Source,
    opts: &CompileOptions,
    calib: &[u8],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<CompiledModel> {
    dense.validate()?;
    if !(opts.percentile > 0.0 && opts.percentile <= 100.0) {
        return Err(Error::Usage(format!(
            "calibration percentile {} is not in (0, 100]",
            opts.percentile
        )));
    }
    let n_in = dense.n_in();
    let batch = calib.len() / n_in;
    if batch == 0 || calib.len() != batch * n_in {
        return Err(Error::Usage(format!(
            "need at least one calibration input of width {n_in} (got {} bytes)",
            calib.len()
        )));
    }
    let refs: Vec<_> = dense.layers.iter().collect();
    let tern = ternarize(&refs, &opts.density, opts.mode)?;
    let last = dense.layers.len() - 1;
    let input = InputQuant {
        scale: 1.0 / 255.0,
        zero_point: 0,
    };
    let mut s_in = input.scale;
    let mut a: Vec<i32> = calib.iter().map(|&v| v as i32).collect();
    // The dense float model's activations on the calibration inputs (fit targets).
    let mut hf: Vec<f32> = calib.iter().map(|&v| v as f32 / 255.0).collect();
    let mut layers = Vec::with_capacity(tern.len());
    for (li, (dl, tl)) in dense.layers.iter().zip(tern).enumerate() {
        let weights = TernaryCsr::from_dense(tl.n_out, tl.n_in, &tl.t)
            .map_err(|e| Error::Model(format!("layer `{}`: {e}", dl.name)))?;
        drop(tl.t);
        let n = dl.n_out;
        // T·a on the calibration inputs (bias added below, once it is known).
        let raw = weights.matmul_i32(&a, batch);
        let (alpha, bias_f): (Vec<f64>, Vec<f64>) = if opts.fit {
            let target = dense_layer_f32(dl, &hf, batch);
            let u: Vec<f64> = raw.iter().map(|&v| v as f64 * s_in).collect();
            let shared = opts.mode == ScaleMode::PerLayer || li == last;
            let fit = fit_scale_bias(&u, &target, n, shared, &tl.alpha);
            hf = target.into_iter().map(|v| v.max(0.0)).collect();
            fit
        } else {
            (tl.alpha, dl.bias.iter().map(|&b| b as f64).collect())
        };
        let acc: Vec<f64> = alpha.iter().map(|al| al * s_in).collect();
        let bias = bias_f
            .iter()
            .zip(&acc)
            .enumerate()
            .map(|(i, (&b, &s))| quantize_bias(&dl.name, i, b, s))
            .collect::<Result<Vec<i32>>>()?;
        let mut layer = QuantLayer {
            name: dl.name.clone(),
            weights,
            bias,
            m: Vec::new(),
            k: 0,
            relu: false,
            input_scale: s_in,
            alpha,
            output_scale: None,
        };
        if li == last {
            layer.validate()?;
            layers.push(layer);
            break;
        }
        let z: Vec<i32> = raw
            .iter()
            .enumerate()
            .map(|(j, &r)| r.wrapping_add(layer.bias[j % n]))
            .collect();
        progress(batch as u64);
        let mut h: Vec<f64> = z
            .iter()
            .enumerate()
            .map(|(j, &zj)| (acc[j % n] * zj as f64).max(0.0))
            .collect();
        let mut c = percentile(&mut h, opts.percentile);
        drop(h);
        if c <= 0.0 {
            // Dead on all calibration data: any scale works; pick the one that maps
            // the accumulator unit of the largest row to one output step.
            c = 255.0 * acc.iter().cloned().fold(0.0, f64::max);
        }
        let s_out = c / 255.0;
        let ratios: Vec<f64> = acc.iter().map(|s| s / s_out).collect();
        let (m, k) = choose_multipliers(&ratios);
        layer.m = m;
        layer.k = k;
        layer.relu = true;
        layer.output_scale = Some(s_out);
        layer.validate()?;
        a = z
            .iter()
            .enumerate()
            .map(|(j, &zj)| requant(zj, layer.m[j % n], k).2 as i32)
            .collect();
        s_in = s_out;
        layers.push(layer);
    }
    let model = CompiledModel {
        layers,
        input,
        info: ModelInfo {
            source_file: source.file.clone(),
            source_blake3: source.blake3.clone(),
            source_bytes: source.bytes,
            density: (0..dense.layers.len())
                .map(|i| opts.density.for_layer(i))
                .collect(),
            global_density: matches!(opts.density, Density::Global(_)),
            scale_mode: opts.mode,
            calibration: opts.calibration.name().into(),
            calib_samples: batch,
            calib_percentile: opts.percentile,
            fit: opts.fit,
        },
    };
    model.validate()?;
    Ok(model)
}

/// `W·x + b` of one dense layer for `batch` inputs (f32 GEMM, chunks of inputs in
/// parallel). Cost: batch·n_in·n_out multiply-adds.
fn dense_layer_f32(l: &crate::safetensors_io::DenseLayer, x: &[f32], batch: usize) -> Vec<f32> {
    use rayon::prelude::*;
    const CHUNK: usize = 64;
    let mut out = vec![0f32; batch * l.n_out];
    let Ok(wv) = ArrayView2::from_shape((l.n_out, l.n_in), &l.weight[..]) else {
        return out; // unreachable: DenseModel::validate checked the length
    };
    let b = ndarray::ArrayView1::from(&l.bias[..]);
    out.par_chunks_mut(CHUNK * l.n_out)
        .zip(x.par_chunks(CHUNK * l.n_in))
        .for_each(|(o, xc)| {
            let rows = xc.len() / l.n_in;
            if let Ok(xv) = ArrayView2::from_shape((rows, l.n_in), xc) {
                let mut z = xv.dot(&wv.t());
                for mut row in z.rows_mut() {
                    row += &b;
                }
                for (d, v) in o.iter_mut().zip(z.iter()) {
                    *d = *v;
                }
            }
        });
    out
}

/// Reads a dense `.safetensors` model, loads calibration data and compiles it.
/// Returns the dense model too (for the float reference). Cost: as
/// [`compile_dense`] plus reading the file.
pub fn compile_file(
    src: &Path,
    opts: &CompileOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(DenseModel, CompiledModel)> {
    let file = MappedFile::open(src)?;
    let dense = load_dense_mapped(&file, opts.layers.as_deref())?;
    let source = Source {
        file: src
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        blake3: blake3_hex(&file),
        bytes: file.bytes().len() as u64,
    };
    let calib = opts
        .calibration
        .inputs(opts.calib_samples.max(1), dense.n_in())?;
    let compiled = compile_dense(&dense, &source, opts, &calib, progress)?;
    Ok((dense, compiled))
}

#[cfg(test)]
mod tests {
    use crate::testutil::tiny_compiled;
    use crate::ScaleMode;

    #[test]
    fn per_row_mode_has_distinct_multipliers() {
        let m = tiny_compiled(ScaleMode::PerRow);
        let l0 = &m.layers[0];
        assert!(l0.m.iter().any(|&v| v != l0.m[0]), "{:?}", l0.m);
        let m = tiny_compiled(ScaleMode::PerLayer);
        assert!(m.layers[0].m.iter().all(|&v| v == m.layers[0].m[0]));
    }
}

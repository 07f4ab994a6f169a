//! The compile pipeline: dense model → pruned ternary layers → calibrated integer
//! requantization → checked [`CompiledModel`].

use crate::calibrate::{fit_scale_bias, percentile, Calibration};
use crate::data::Table;
use crate::engine::{CompiledModel, InputQuant, QuantLayer};
use crate::error::{Error, Result};
use crate::format::ModelInfo;
use crate::input_fit::{
    centered_rms, fit as fit_features, fold_scales, mean_abs_alpha, ranking_layer,
};
use crate::prune::{keep_counts, ternarize, Density, ScaleMode};
use crate::quantize::{choose_multipliers, quantize_bias, requant};
use crate::safetensors_io::{blake3_hex, load_dense_mapped, DenseLayer, DenseModel, MappedFile};
use crate::support_search::{search_support, LayerCalib, SearchOptions, Support};
use ndarray::ArrayView2;
use std::path::Path;
use ternzk_core::TernaryCsr;

/// Compile settings.
#[derive(Clone, Debug)]
pub struct CompileOptions {
    /// Which weights survive: the exact count for [`Support::Magnitude`], a maximum
    /// for [`Support::Search`].
    pub density: Density,
    /// How each layer's ternary support is chosen.
    pub support: Support,
    /// Tuning of the support search.
    pub search: SearchOptions,
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
            support: Support::Search,
            search: SearchOptions::default(),
            mode: ScaleMode::PerRow,
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

/// Compiles an in-memory dense model with u8 image calibration inputs `calib` (back
/// to back, `calib.len() / n_in` of them, real value `pixel / 255`): the exact pixel
/// input path of [`compile_table`]. Cost: as [`compile_table`].
pub fn compile_dense(
    dense: &DenseModel,
    source: &Source,
    opts: &CompileOptions,
    calib: &[u8],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<CompiledModel> {
    let n_in = dense.n_in().max(1);
    let table = Table {
        name: opts.calibration.name(),
        dim: n_in,
        x: calib.iter().map(|&v| v as f32 / 255.0).collect(),
        labels: None,
        pixels: true,
    };
    if !calib.len().is_multiple_of(n_in) {
        return Err(Error::Usage(format!(
            "need calibration inputs of width {n_in} (got {} bytes)",
            calib.len()
        )));
    }
    compile_table(dense, source, opts, &table, progress)
}

/// Compiles an in-memory dense model with calibration inputs `calib` (real values).
///
/// Input quantization: image data (`calib.pixels`) keeps the exact pixel path (one
/// scale 1/255, zero point 0). Any other data gets a per-feature quantizer fitted on
/// `calib` ([`crate::input_fit::fit`]) whose scales are folded into the first layer's
/// weights before ternarization and whose zero points are folded into its integer
/// bias; the first layer's support is ranked by `|W'_ij|·rms(q_j − zp_j)`.
/// `progress` is called with the number of calibration inputs pushed through each
/// layer. Cost: O(params) for pruning plus `samples · nnz` adds for calibration; the
/// support search adds `O(samples · n_in · (n_in + n_out))` per layer (see
/// [`crate::support_search`]).
pub fn compile_table(
    dense: &DenseModel,
    source: &Source,
    opts: &CompileOptions,
    calib: &Table,
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
    calib.check_width(n_in)?;
    let batch = calib.len();
    if batch == 0 {
        return Err(Error::Usage(format!(
            "need at least one calibration input of width {n_in}"
        )));
    }
    // The input quantizer and the u8 calibration inputs the engine sees.
    let features = if calib.pixels {
        None
    } else {
        Some(fit_features(calib)?)
    };
    let input = InputQuant {
        scale: 1.0 / 255.0,
        zero_point: 0,
        per_feature: features.clone(),
    };
    let q0 = input.quantize_rows(&calib.x);
    // The layers the ternarizer sees: the first one with the input scales folded in
    // and, for its ranking, weighted by the data.
    let mut folded_first = None;
    let mut for_ranking: Vec<DenseLayer> = Vec::new();
    if let Some(f) = &features {
        let folded = fold_scales(&dense.layers[0], &f.scales);
        let rms = centered_rms(&q0, &f.zero_points);
        for_ranking.push(ranking_layer(&folded, &rms));
        folded_first = Some(folded);
    }
    let refs: Vec<&DenseLayer> = for_ranking
        .iter()
        .chain(dense.layers.iter().skip(for_ranking.len()))
        .collect();
    let budgets = keep_counts(&refs, &opts.density)?;
    let mut magnitude = match opts.support {
        Support::Magnitude => ternarize(&refs, &opts.density, opts.mode)?,
        Support::Search => Vec::new(),
    }
    .into_iter();
    let search = opts.support == Support::Search;
    let last = dense.layers.len() - 1;
    // Layer 0's input: q − zp (centered integer steps, scale 1) for folded data,
    // raw pixels at scale 1/255 otherwise.
    let zp: Vec<i32> = features
        .as_ref()
        .map_or_else(|| vec![0; n_in], |f| f.zero_points.clone());
    let mut s_in = if features.is_some() { 1.0 } else { input.scale };
    let mut a: Vec<i32> = q0
        .iter()
        .enumerate()
        .map(|(i, &v)| v as i32 - zp[i % n_in])
        .collect();
    drop(q0);
    // The dense float model's activations on the calibration inputs (fit targets).
    let mut hf: Vec<f32> = calib.x.clone();
    let mut layers = Vec::with_capacity(dense.layers.len());
    for (li, dl) in dense.layers.iter().enumerate() {
        let shared = opts.mode == ScaleMode::PerLayer || li == last;
        let mut tl = match magnitude.next() {
            Some(tl) => tl,
            None => {
                // The compiled model's inputs to this layer, dequantized. A folded first
                // layer is searched in the quantized input's own steps (`q − zp`).
                let xc: Vec<f32> = a.iter().map(|&v| (v as f64 * s_in) as f32).collect();
                let (layer, x_target) = match (li, &folded_first) {
                    (0, Some(folded)) => (folded, &xc),
                    _ => (dl, &hf),
                };
                let calib = LayerCalib {
                    x: &xc,
                    x_target,
                    batch,
                };
                search_support(layer, calib, budgets[li], shared, &opts.search)?
            }
        };
        let weights = TernaryCsr::from_dense(tl.n_out, tl.n_in, &tl.t)
            .map_err(|e| Error::Model(format!("layer `{}`: {e}", dl.name)))?;
        // Σ_j T_ij·zp_j: the zero points folded into the first layer's bias.
        let zp_offset: Vec<i64> = if li == 0 && features.is_some() {
            tl.t.chunks(tl.n_in)
                .map(|row| {
                    row.iter()
                        .zip(&zp)
                        .map(|(&t, &z)| t as i64 * z as i64)
                        .sum()
                })
                .collect()
        } else {
            vec![0; tl.n_out]
        };
        if li == 0 && !search {
            if let Some(folded) = &folded_first {
                let per_row = opts.mode == ScaleMode::PerRow && li != last;
                tl.alpha = mean_abs_alpha(folded, &tl.t, per_row);
            }
        }
        drop(tl.t);
        let n = dl.n_out;
        // T·a on the calibration inputs (bias added below, once it is known).
        let raw = weights.matmul_i32(&a, batch);
        let (alpha, bias_f): (Vec<f64>, Vec<f64>) = if opts.fit {
            let target = dense_layer_f32(dl, &hf, batch);
            let u: Vec<f64> = raw.iter().map(|&v| v as f64 * s_in).collect();
            let fit = fit_scale_bias(&u, &target, n, shared, &tl.alpha);
            hf = target.into_iter().map(|v| v.max(0.0)).collect();
            fit
        } else {
            if search && li != last {
                hf = dense_layer_f32(dl, &hf, batch)
                    .into_iter()
                    .map(|v| v.max(0.0))
                    .collect();
            }
            (tl.alpha, dl.bias.iter().map(|&b| b as f64).collect())
        };
        let acc: Vec<f64> = alpha.iter().map(|al| al * s_in).collect();
        // The bias for the centered input, then the one the engine adds to T·q.
        let bias_c = bias_f
            .iter()
            .zip(&acc)
            .enumerate()
            .map(|(i, (&b, &s))| quantize_bias(&dl.name, i, b, s))
            .collect::<Result<Vec<i32>>>()?;
        let bias = bias_c
            .iter()
            .zip(&zp_offset)
            .enumerate()
            .map(|(i, (&b, &off))| {
                i32::try_from(b as i64 - off).map_err(|_| {
                    Error::Bounds(format!(
                        "layer `{}` row {i}: bias {b} minus the input zero points' sum {off} does not fit an i32",
                        dl.name
                    ))
                })
            })
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
            .map(|(j, &r)| r.wrapping_add(bias_c[j % n]))
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
            calibration: opts.calibration.name(),
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
        .table(opts.calib_samples.max(1), dense.n_in())?;
    let compiled = compile_table(&dense, &source, opts, &calib, progress)?;
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

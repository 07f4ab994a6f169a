//! The compiled-model file: a standard `.safetensors` file (see `docs/formats.md`).
//!
//! Tensors per layer `i`: `layers.{i}.indptr` (U32 `[n_out+1]`), `layers.{i}.split`
//! (U32 `[n_out]`), `layers.{i}.indices` (U32 `[nnz]`), `layers.{i}.bias` (I32
//! `[n_out]`) — exactly the arrays of [`TernaryCsr`]. Header `__metadata__`:
//! `format = "ternzk-compiled"`, `format_version = "1"`, and `ternzk` = a JSON
//! document ([`Header`]) with shapes, scales, `M`, `k`, input quantization and the
//! source file's digest.

use crate::engine::{CompiledModel, InputQuant, QuantLayer};
use crate::error::{Error, Result};
use crate::safetensors_io::{write_atomic, MappedFile};
use crate::ternary::TernaryCsr;
use safetensors::tensor::Dtype;
use safetensors::SafeTensors;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// Value of the `format` metadata key of a compiled model.
pub const FORMAT_NAME: &str = "ternzk-compiled";
/// Current format version (metadata key `format_version`): 2 for models with a
/// per-feature input quantizer. Models without one are still written as version 1,
/// byte for byte as before, so older readers keep reading them.
pub const FORMAT_VERSION: u32 = 2;

/// The format version `model` is written with: 1 unless it needs version 2's
/// per-feature input quantizer.
pub fn version_of(model: &CompiledModel) -> u32 {
    if model.input.per_feature.is_some() {
        2
    } else {
        1
    }
}

/// Largest layer width accepted when loading (guards allocations against a forged header).
pub const MAX_DIM: usize = 1 << 26;

/// Whether the ternary scale `α` is shared by a layer or chosen per output row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleMode {
    /// One `α` per layer (the default).
    PerLayer,
    /// One `α` per output row of hidden layers (the last layer stays per-layer so that
    /// the raw integer logits keep the float model's argmax).
    PerRow,
}

/// Provenance and the settings a model was compiled with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// File name of the dense source model.
    pub source_file: String,
    /// blake3 of the source file's bytes, lowercase hex.
    pub source_blake3: String,
    /// Size of the source file.
    pub source_bytes: u64,
    /// Requested density of each layer (the global fraction if `global_density`).
    pub density: Vec<f64>,
    /// Whether one magnitude threshold was used for all layers.
    pub global_density: bool,
    /// Per-layer or per-row ternary scales.
    pub scale_mode: ScaleMode,
    /// Calibration data (`fashion-mnist`, `uniform`).
    pub calibration: String,
    /// Number of calibration inputs.
    pub calib_samples: usize,
    /// Percentile of post-ReLU activations mapped to 255.
    pub calib_percentile: f64,
    /// Whether scales and biases were refit by least squares on calibration data.
    pub fit: bool,
}

/// The input description in the header.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputHeader {
    /// Input width.
    pub n: usize,
    /// Always `"u8"`.
    pub dtype: String,
    /// Quantization of the input.
    #[serde(flatten)]
    pub quant: InputQuant,
    /// How a data set's raw values become real inputs (informative).
    pub preprocess: String,
}

/// One layer's description in the header.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerHeader {
    /// Source layer name.
    pub name: String,
    /// Input features.
    pub n_in: usize,
    /// Output features.
    pub n_out: usize,
    /// Nonzeros of `T`.
    pub nnz: usize,
    /// Whether the layer requantizes (+ReLU) to u8 (all but the last).
    pub relu: bool,
    /// Requantization shift (0 for the last layer).
    pub k: u32,
    /// Requantization multiplier per row (empty for the last layer).
    pub m: Vec<i64>,
    /// Real scale of one input unit.
    pub input_scale: f64,
    /// Ternary scale per row.
    pub alpha: Vec<f64>,
    /// Real scale of one output unit (`null` for the last layer).
    pub output_scale: Option<f64>,
}

/// The JSON document stored under the `ternzk` metadata key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// Input description.
    pub input: InputHeader,
    /// Layers in order.
    pub layers: Vec<LayerHeader>,
    /// Provenance and settings.
    pub info: ModelInfo,
}

fn u32_bytes(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn i32_bytes(v: &[i32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// The header document of `model`.
pub fn header(model: &CompiledModel) -> Header {
    Header {
        format_version: version_of(model),
        input: InputHeader {
            n: model.n_in(),
            dtype: "u8".into(),
            quant: model.input.clone(),
            preprocess: if model.input.per_feature.is_some() {
                "per feature j: q_j = clamp(round(x_j / s_j) + zp_j, 0, 255)".into()
            } else {
                "fashion-mnist: x = pixel / 255, so q = pixel".into()
            },
        },
        layers: model
            .layers
            .iter()
            .map(|l| LayerHeader {
                name: l.name.clone(),
                n_in: l.n_in(),
                n_out: l.n_out(),
                nnz: l.weights.nnz(),
                relu: l.relu,
                k: l.k,
                m: l.m.clone(),
                input_scale: l.input_scale,
                alpha: l.alpha.clone(),
                output_scale: l.output_scale,
            })
            .collect(),
        info: model.info.clone(),
    }
}

/// Writes `model` atomically to `path` (validated first); returns the file size.
/// Cost: O(nnz).
pub fn save(model: &CompiledModel, path: &Path) -> Result<u64> {
    model.validate()?;
    let json = serde_json::to_string(&header(model))
        .map_err(|e| Error::Model(format!("cannot encode the header: {e}")))?;
    let mut meta = HashMap::new();
    meta.insert("format".to_string(), FORMAT_NAME.to_string());
    meta.insert("format_version".to_string(), version_of(model).to_string());
    meta.insert("ternzk".to_string(), json);
    let mut tensors = Vec::new();
    for (i, l) in model.layers.iter().enumerate() {
        let w = &l.weights;
        tensors.push((
            format!("layers.{i}.indptr"),
            Dtype::U32,
            vec![w.indptr.len()],
            u32_bytes(&w.indptr),
        ));
        tensors.push((
            format!("layers.{i}.split"),
            Dtype::U32,
            vec![w.split.len()],
            u32_bytes(&w.split),
        ));
        tensors.push((
            format!("layers.{i}.indices"),
            Dtype::U32,
            vec![w.indices.len()],
            u32_bytes(&w.indices),
        ));
        tensors.push((
            format!("layers.{i}.bias"),
            Dtype::I32,
            vec![l.bias.len()],
            i32_bytes(&l.bias),
        ));
    }
    write_atomic(path, tensors, meta)?;
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| Error::io(path, e))
}

/// Whether a `.safetensors` header's metadata marks a compiled model.
pub fn is_compiled(metadata: &HashMap<String, String>) -> bool {
    metadata.get("format").map(String::as_str) == Some(FORMAT_NAME)
}

/// Whether the file at `path` is a compiled model (reads only the header).
pub fn file_is_compiled(path: &Path) -> Result<bool> {
    Ok(is_compiled(&MappedFile::open(path)?.metadata()?))
}

fn read_ints<T>(
    st: &SafeTensors<'_>,
    name: &str,
    dtype: Dtype,
    len: usize,
    conv: fn([u8; 4]) -> T,
) -> Result<Vec<T>> {
    let t = st
        .tensor(name)
        .map_err(|_| Error::Model(format!("compiled model lacks tensor `{name}`")))?;
    if t.dtype() != dtype {
        return Err(Error::Model(format!(
            "tensor `{name}` has dtype {:?}, expected {dtype:?}",
            t.dtype()
        )));
    }
    if t.shape() != [len] {
        return Err(Error::Model(format!(
            "tensor `{name}` has shape {:?}, expected [{len}]",
            t.shape()
        )));
    }
    Ok(t.data()
        .chunks_exact(4)
        .map(|c| conv([c[0], c[1], c[2], c[3]]))
        .collect())
}

/// Reads and validates a compiled model (structure, shapes, the static bound check).
/// Cost: O(file size).
pub fn load(path: &Path) -> Result<CompiledModel> {
    let file = MappedFile::open(path)?;
    let meta = file.metadata()?;
    if !is_compiled(&meta) {
        return Err(Error::Model(format!(
            "{}: not a compiled ternzk model (metadata `format` is not \"{FORMAT_NAME}\")",
            path.display()
        )));
    }
    let version = meta.get("format_version").map(String::as_str).unwrap_or("");
    let Some(version) = (1..=FORMAT_VERSION).find(|v| v.to_string() == version) else {
        return Err(Error::Model(format!(
            "{}: compiled-model format version {version:?} is not supported (this build reads 1..={FORMAT_VERSION})",
            path.display()
        )));
    };
    let json = meta.get("ternzk").ok_or_else(|| {
        Error::Model(format!(
            "{}: metadata lacks the `ternzk` header",
            path.display()
        ))
    })?;
    let h: Header = serde_json::from_str(json)
        .map_err(|e| Error::Model(format!("{}: bad `ternzk` header: {e}", path.display())))?;
    if h.format_version != version {
        return Err(Error::Model(format!(
            "header format_version {} is not the file's {version}",
            h.format_version
        )));
    }
    if version < 2 && h.input.quant.per_feature.is_some() {
        return Err(Error::Model(
            "a per-feature input quantizer needs format version 2".into(),
        ));
    }
    let st = file.safetensors()?;
    let mut layers = Vec::with_capacity(h.layers.len());
    for (i, lh) in h.layers.iter().enumerate() {
        if lh.n_in == 0 || lh.n_out == 0 || lh.n_in > MAX_DIM || lh.n_out > MAX_DIM {
            return Err(Error::Model(format!(
                "layer `{}`: shape [{}, {}] outside 1..={MAX_DIM}",
                lh.name, lh.n_out, lh.n_in
            )));
        }
        let indptr = read_ints(
            &st,
            &format!("layers.{i}.indptr"),
            Dtype::U32,
            lh.n_out + 1,
            u32::from_le_bytes,
        )?;
        let split = read_ints(
            &st,
            &format!("layers.{i}.split"),
            Dtype::U32,
            lh.n_out,
            u32::from_le_bytes,
        )?;
        let indices = read_ints(
            &st,
            &format!("layers.{i}.indices"),
            Dtype::U32,
            lh.nnz,
            u32::from_le_bytes,
        )?;
        let bias = read_ints(
            &st,
            &format!("layers.{i}.bias"),
            Dtype::I32,
            lh.n_out,
            i32::from_le_bytes,
        )?;
        layers.push(QuantLayer {
            name: lh.name.clone(),
            weights: TernaryCsr {
                n_out: lh.n_out,
                n_in: lh.n_in,
                indptr,
                split,
                indices,
            },
            bias,
            m: lh.m.clone(),
            k: lh.k,
            relu: lh.relu,
            input_scale: lh.input_scale,
            alpha: lh.alpha.clone(),
            output_scale: lh.output_scale,
        });
    }
    let model = CompiledModel {
        layers,
        input: h.input.quant.clone(),
        info: h.info,
    };
    model.validate()?;
    if h.input.n != model.n_in() {
        return Err(Error::Model(format!(
            "header input width {} differs from the first layer's {}",
            h.input.n,
            model.n_in()
        )));
    }
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::tiny_compiled;

    type Tensors = Vec<(String, Dtype, Vec<usize>, Vec<u8>)>;
    type Edit = Box<dyn FnOnce(&mut Header, &mut Tensors)>;

    fn rewrite(path: &Path, edit: impl FnOnce(&mut Header, &mut Tensors)) {
        let file = MappedFile::open(path).unwrap();
        let meta = file.metadata().unwrap();
        let mut h: Header = serde_json::from_str(&meta["ternzk"]).unwrap();
        let st = file.safetensors().unwrap();
        let mut tensors: Vec<_> = st
            .tensors()
            .into_iter()
            .map(|(n, t)| (n, t.dtype(), t.shape().to_vec(), t.data().to_vec()))
            .collect();
        edit(&mut h, &mut tensors);
        let mut meta = meta.clone();
        meta.insert("ternzk".into(), serde_json::to_string(&h).unwrap());
        drop(st);
        drop(file);
        write_atomic(path, tensors, meta).unwrap();
    }

    #[test]
    fn round_trips_and_is_readable_as_plain_safetensors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.safetensors");
        for mode in [ScaleMode::PerLayer, ScaleMode::PerRow] {
            let m = tiny_compiled(mode);
            let bytes = m.save(&p).unwrap();
            assert_eq!(bytes, std::fs::metadata(&p).unwrap().len());
            assert_eq!(CompiledModel::load(&p).unwrap(), m);
            assert!(file_is_compiled(&p).unwrap());
            let f = MappedFile::open(&p).unwrap();
            let st = f.safetensors().unwrap();
            assert_eq!(st.tensor("layers.0.indptr").unwrap().dtype(), Dtype::U32);
            assert_eq!(st.tensor("layers.2.bias").unwrap().shape(), [5]);
        }
        // Only the final file is left in the directory (no temporaries).
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn tampered_files_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.safetensors");
        let m = tiny_compiled(ScaleMode::PerLayer);
        let cases: Vec<(&str, Edit)> = vec![
            ("2^62", Box::new(|h, _| h.layers[0].m[0] = 1 << 60)),
            (
                "out of range",
                Box::new(|_, t| {
                    let ix = t.iter_mut().find(|x| x.0 == "layers.1.indices").unwrap();
                    ix.3[..4].copy_from_slice(&1000u32.to_le_bytes());
                }),
            ),
            (
                "expected U32",
                Box::new(|_, t| {
                    t.iter_mut().find(|x| x.0 == "layers.0.split").unwrap().1 = Dtype::I32;
                }),
            ),
            (
                "lacks tensor",
                Box::new(|_, t| t.retain(|x| x.0 != "layers.2.bias")),
            ),
            ("outside", Box::new(|h, _| h.layers[0].n_in = usize::MAX)),
            ("no layers", Box::new(|h, _| h.layers.clear())),
        ];
        for (want, edit) in cases {
            m.save(&p).unwrap();
            rewrite(&p, edit);
            let e = CompiledModel::load(&p).unwrap_err().to_string();
            assert!(e.contains(want), "expected {want:?} in {e:?}");
        }
        let dense = dir.path().join("d.safetensors");
        let meta = HashMap::from([("origin".to_string(), "test".to_string())]);
        let w = vec![(
            "fc1.weight".to_string(),
            Dtype::F32,
            vec![1, 1],
            vec![0, 0, 128, 63],
        )];
        write_atomic(&dense, w, meta).unwrap();
        let e = CompiledModel::load(&dense).unwrap_err().to_string();
        assert!(e.contains("not a compiled"), "{e}");
    }

    #[test]
    fn per_feature_models_are_version_2_and_pixel_models_stay_version_1() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.safetensors");
        let version =
            |p: &Path| MappedFile::open(p).unwrap().metadata().unwrap()["format_version"].clone();
        let m = tiny_compiled(ScaleMode::PerLayer);
        m.save(&p).unwrap();
        assert_eq!(version(&p), "1");
        let json = &MappedFile::open(&p).unwrap().metadata().unwrap()["ternzk"];
        assert!(!json.contains("per_feature"), "{json}");

        let mut v2 = m.clone();
        v2.input.per_feature = Some(crate::FeatureQuant {
            scales: (0..m.n_in()).map(|j| 0.5 + j as f64).collect(),
            zero_points: (0..m.n_in()).map(|j| j as i32 - 3).collect(),
        });
        v2.save(&p).unwrap();
        assert_eq!(version(&p), "2");
        assert_eq!(CompiledModel::load(&p).unwrap(), v2);

        // A quantizer of the wrong width, a bad scale, or one declared as version 1.
        let cases: Vec<(&str, Edit)> = vec![
            (
                "features",
                Box::new(|h, _| {
                    let f = h.input.quant.per_feature.as_mut().unwrap();
                    f.scales.pop();
                    f.zero_points.pop();
                }),
            ),
            (
                "positive and finite",
                Box::new(|h, _| h.input.quant.per_feature.as_mut().unwrap().scales[0] = 0.0),
            ),
            (
                "needs format version 2",
                Box::new(|h, _| h.format_version = 1),
            ),
        ];
        for (want, edit) in cases {
            v2.save(&p).unwrap();
            rewrite(&p, |h, t| {
                edit(h, t);
            });
            if want == "needs format version 2" {
                // The metadata key says 2, the header 1: rejected as inconsistent.
                let e = CompiledModel::load(&p).unwrap_err().to_string();
                assert!(e.contains("not the file's 2"), "{e}");
                continue;
            }
            let e = CompiledModel::load(&p).unwrap_err().to_string();
            assert!(e.contains(want), "expected {want:?} in {e:?}");
        }
    }
}

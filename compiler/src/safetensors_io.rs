//! Reading `.safetensors` files (memory-mapped) and turning PyTorch `nn.Linear`
//! tensors into a dense float MLP. The file reader and atomic writer ([`MappedFile`],
//! [`write_atomic`]) are `ternzk-core`'s, re-exported here.
//!
//! Layer order: every `<prefix>.weight` is a layer, its optional `<prefix>.bias` the
//! bias. Prefixes are sorted naturally (numeric parts compared as numbers:
//! `fc2 < fc10`, `layers.2 < layers.10`), except that the conventional names of a
//! final layer (`classifier`, `head`, `lm_head`, `out`, `output`) go last. An explicit
//! `--layers` list overrides the inference.

use crate::error::{Error, Result};
use safetensors::tensor::{Dtype, TensorView};
use std::cmp::Ordering;
use std::path::Path;
/// The memory-mapped reader and the atomic writer live with the compiled-model format.
pub use ternzk_core::safetensors_io::{write_atomic, MappedFile};

/// blake3 digest of a mapped file's bytes, lowercase hex (the compiled model's
/// provenance). Cost: O(file size).
pub fn blake3_hex(file: &MappedFile) -> String {
    blake3::hash(file.bytes()).to_hex().to_string()
}

/// One dense `nn.Linear` layer: `y = W·x + b` with `W` row-major `[n_out, n_in]`.
#[derive(Clone, Debug, PartialEq)]
pub struct DenseLayer {
    /// The tensor prefix (`fc1`, `layers.0`, …).
    pub name: String,
    /// Output features.
    pub n_out: usize,
    /// Input features.
    pub n_in: usize,
    /// Weights, row-major `[n_out, n_in]`, converted to f32.
    pub weight: Vec<f32>,
    /// Bias of length `n_out` (zeros when the file has none).
    pub bias: Vec<f32>,
}

/// A dense float MLP: ReLU between layers, none after the last.
#[derive(Clone, Debug, PartialEq)]
pub struct DenseModel {
    /// Layers in evaluation order; `layers[i+1].n_in == layers[i].n_out`.
    pub layers: Vec<DenseLayer>,
}

impl DenseModel {
    /// Checks the model is a non-empty chain of consistent, finite layers. Cost: O(params).
    pub fn validate(&self) -> Result<()> {
        if self.layers.is_empty() {
            return Err(Error::Model("the model has no layers".into()));
        }
        for (i, l) in self.layers.iter().enumerate() {
            if l.n_out == 0 || l.n_in == 0 {
                return Err(Error::Model(format!(
                    "layer `{}` has an empty weight [{}, {}]",
                    l.name, l.n_out, l.n_in
                )));
            }
            if l.weight.len() != l.n_out * l.n_in || l.bias.len() != l.n_out {
                return Err(Error::Model(format!(
                    "layer `{}`: weight/bias lengths do not match [{}, {}]",
                    l.name, l.n_out, l.n_in
                )));
            }
            if let Some(p) = l.weight.iter().position(|v| !v.is_finite()) {
                return Err(Error::Model(format!(
                    "layer `{}`: weight[{}, {}] is {} (NaN/Inf weights cannot be compiled)",
                    l.name,
                    p / l.n_in,
                    p % l.n_in,
                    l.weight[p]
                )));
            }
            if let Some(p) = l.bias.iter().position(|v| !v.is_finite()) {
                return Err(Error::Model(format!(
                    "layer `{}`: bias[{p}] is {} (NaN/Inf biases cannot be compiled)",
                    l.name, l.bias[p]
                )));
            }
            if i > 0 {
                let prev = &self.layers[i - 1];
                if prev.n_out != l.n_in {
                    return Err(Error::Model(format!(
                        "inconsistent shapes: layer `{}` outputs {} features but the next layer `{}` takes {} (weight [{}, {}]); pass --layers to fix the order",
                        prev.name, prev.n_out, l.name, l.n_in, l.n_out, l.n_in
                    )));
                }
            }
        }
        Ok(())
    }

    /// Input width of the first layer.
    pub fn n_in(&self) -> usize {
        self.layers.first().map_or(0, |l| l.n_in)
    }

    /// Output width of the last layer.
    pub fn n_out(&self) -> usize {
        self.layers.last().map_or(0, |l| l.n_out)
    }

    /// Total number of weights (biases excluded).
    pub fn params(&self) -> usize {
        self.layers.iter().map(|l| l.n_out * l.n_in).sum()
    }
}

/// Converts one tensor's little-endian bytes to f32. Supported dtypes: f32, f16,
/// bf16, f64, i8. Cost: O(elements).
pub fn tensor_to_f32(name: &str, t: &TensorView<'_>) -> Result<Vec<f32>> {
    let d = t.data();
    let v = match t.dtype() {
        Dtype::F32 => d
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
        Dtype::F16 => d
            .chunks_exact(2)
            .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
        Dtype::BF16 => d
            .chunks_exact(2)
            .map(|c| half::bf16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
        Dtype::F64 => d
            .chunks_exact(8)
            .map(|c| {
                let mut b = [0u8; 8];
                b.copy_from_slice(c);
                f64::from_le_bytes(b) as f32
            })
            .collect(),
        Dtype::I8 => d.iter().map(|&b| b as i8 as f32).collect(),
        other => {
            return Err(Error::Model(format!(
                "tensor `{name}` has dtype {other:?}; supported weight dtypes are F32, F16, BF16, F64 and I8"
            )))
        }
    };
    Ok(v)
}

/// Natural-order comparison: runs of digits compare as numbers, the rest bytewise.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(cb.iter()) {
        let ord = match (x, y) {
            ((true, p), (true, q)) => {
                let (p, q) = (p.trim_start_matches('0'), q.trim_start_matches('0'));
                p.len().cmp(&q.len()).then_with(|| p.cmp(q))
            }
            ((_, p), (_, q)) => p.cmp(q),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    ca.len().cmp(&cb.len())
}

/// Whether a layer prefix is a conventional name for the final layer.
fn is_head(prefix: &str) -> bool {
    let last = prefix.rsplit('.').next().unwrap_or(prefix);
    matches!(
        last,
        "classifier" | "head" | "lm_head" | "out" | "output" | "fc_out"
    )
}

/// Orders layer prefixes: natural sort, conventional head names last.
pub fn order_prefixes(prefixes: &mut [String]) {
    prefixes.sort_by(|a, b| is_head(a).cmp(&is_head(b)).then_with(|| natural_cmp(a, b)));
}

/// Loads a dense MLP from a PyTorch-layout `.safetensors` file. `layers` optionally
/// names the layers in order (prefixes like `fc1`, or full `fc1.weight` names); then
/// other tensors are ignored. Without it every tensor must be a `*.weight` or
/// `*.bias`. Cost: O(file size) time and O(params) f32 memory.
pub fn load_dense(path: &Path, layers: Option<&[String]>) -> Result<DenseModel> {
    let file = MappedFile::open(path)?;
    load_dense_mapped(&file, layers)
}

/// [`load_dense`] on an already-mapped file. A file named `*.onnx` is read as an
/// ONNX graph ([`crate::onnx_io`]; `layers` must then be `None`).
pub fn load_dense_mapped(file: &MappedFile, layers: Option<&[String]>) -> Result<DenseModel> {
    if crate::onnx_io::is_onnx_path(&file.path) {
        if layers.is_some() {
            return Err(Error::Usage(
                "--layers applies to .safetensors models; an ONNX graph fixes its own layer order"
                    .into(),
            ));
        }
        return crate::onnx_io::dense_from_onnx(file.bytes(), &file.path);
    }
    let st = file.safetensors()?;
    let names: Vec<String> = st.names().into_iter().map(str::to_string).collect();
    if names.is_empty() {
        return Err(Error::Model(format!(
            "{}: the file holds no tensors (empty model)",
            file.path.display()
        )));
    }
    assemble(&names, layers, |name| match st.tensor(name) {
        Ok(t) => Ok(Some((t.shape().to_vec(), tensor_to_f32(name, &t)?))),
        Err(_) => Ok(None),
    })
}

/// One named tensor held in memory: its shape and its values as f32, row-major
/// (PyTorch's `nn.Linear` layout: a weight is `[out, in]`, a bias `[out]`).
#[derive(Clone, Debug, PartialEq)]
pub struct NamedTensor {
    /// The tensor's name (`fc1.weight`, `0.bias`, …).
    pub name: String,
    /// Its shape.
    pub shape: Vec<usize>,
    /// Its values, row-major.
    pub values: Vec<f32>,
}

/// A dense MLP from named in-memory tensors (a PyTorch `state_dict`'s arrays), with
/// the layer inference and checks of [`load_dense`]: every `<prefix>.weight` is a
/// layer unless `layers` names them. Also returns the blake3 (hex) of a canonical
/// encoding of the tensors (names, shapes, f32 values) for the model's provenance.
/// Cost: O(params).
pub fn dense_from_tensors(
    tensors: &[NamedTensor],
    layers: Option<&[String]>,
) -> Result<(DenseModel, String)> {
    if tensors.is_empty() {
        return Err(Error::Model("no tensors given (empty model)".into()));
    }
    for t in tensors {
        if t.shape.iter().product::<usize>() != t.values.len() {
            return Err(Error::Model(format!(
                "tensor `{}`: shape {:?} does not match its {} values",
                t.name,
                t.shape,
                t.values.len()
            )));
        }
    }
    let names: Vec<String> = tensors.iter().map(|t| t.name.clone()).collect();
    let model = assemble(&names, layers, |name| {
        Ok(tensors
            .iter()
            .find(|t| t.name == name)
            .map(|t| (t.shape.clone(), t.values.clone())))
    })?;
    let mut h = blake3::Hasher::new();
    for t in tensors {
        h.update(&(t.name.len() as u64).to_le_bytes());
        h.update(t.name.as_bytes());
        h.update(&(t.shape.len() as u64).to_le_bytes());
        for d in &t.shape {
            h.update(&(*d as u64).to_le_bytes());
        }
        for v in &t.values {
            h.update(&v.to_le_bytes());
        }
    }
    Ok((model, h.finalize().to_hex().to_string()))
}

/// The layer inference and checks shared by files and in-memory tensors: `names` are
/// all tensor names, `get` returns a tensor's shape and f32 values (`None` if absent).
fn assemble(
    names: &[String],
    layers: Option<&[String]>,
    get: impl Fn(&str) -> Result<Option<(Vec<usize>, Vec<f32>)>>,
) -> Result<DenseModel> {
    let prefixes: Vec<String> = match layers {
        Some(list) => {
            if list.is_empty() {
                return Err(Error::Usage("--layers is empty".into()));
            }
            list.iter()
                .map(|s| s.strip_suffix(".weight").unwrap_or(s).to_string())
                .collect()
        }
        None => {
            let mut p = Vec::new();
            for n in names {
                if let Some(pre) = n.strip_suffix(".weight") {
                    p.push(pre.to_string());
                } else if let Some(pre) = n.strip_suffix(".bias") {
                    if !names.iter().any(|m| m == &format!("{pre}.weight")) {
                        return Err(Error::Model(format!(
                            "bias `{n}` has no matching `{pre}.weight`"
                        )));
                    }
                } else {
                    return Err(Error::Model(format!(
                        "tensor `{n}` is neither a `*.weight` nor a `*.bias` of an nn.Linear layer; pass --layers to choose the layers"
                    )));
                }
            }
            order_prefixes(&mut p);
            p
        }
    };
    let mut out = Vec::with_capacity(prefixes.len());
    for pre in &prefixes {
        let wname = format!("{pre}.weight");
        let (shape, weight) = get(&wname)?
            .ok_or_else(|| Error::Model(format!("layer `{pre}`: tensor `{wname}` not found")))?;
        if shape.len() != 2 {
            return Err(Error::Model(format!(
                "`{wname}` has shape {shape:?}; an nn.Linear weight must be 2-D [out, in]"
            )));
        }
        let (n_out, n_in) = (shape[0], shape[1]);
        let bname = format!("{pre}.bias");
        let bias = match get(&bname)? {
            Some((b_shape, b)) => {
                if b_shape != [n_out] {
                    return Err(Error::Model(format!(
                        "`{bname}` has shape {b_shape:?}; expected [{n_out}] to match `{wname}` {shape:?}"
                    )));
                }
                b
            }
            None => vec![0.0; n_out],
        };
        out.push(DenseLayer {
            name: pre.clone(),
            n_out,
            n_in,
            weight,
            bias,
        });
    }
    let model = DenseModel { layers: out };
    model.validate()?;
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid two-layer model (4→3→2) serialized by the safetensors crate.
    fn model_bytes(w1: &[f32], dtype: Dtype) -> Vec<u8> {
        let f32b = |v: &[f32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
        let (b1, w2) = (f32b(w1), f32b(&[0.5; 6]));
        let tensors = vec![
            (
                "fc1.weight",
                TensorView::new(dtype, vec![3, 4], &b1).unwrap(),
            ),
            (
                "fc2.weight",
                TensorView::new(Dtype::F32, vec![2, 3], &w2).unwrap(),
            ),
        ];
        safetensors::serialize(tensors, None).unwrap()
    }

    fn load_bytes(bytes: &[u8]) -> Result<DenseModel> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.safetensors");
        std::fs::write(&p, bytes).unwrap();
        load_dense(&p, None)
    }

    fn err(bytes: &[u8]) -> String {
        load_bytes(bytes).unwrap_err().to_string()
    }

    #[test]
    fn in_memory_tensors_give_the_files_model() {
        let w: Vec<f32> = (0..12).map(|i| i as f32 - 6.0).collect();
        let from_file = load_bytes(&model_bytes(&w, Dtype::F32)).unwrap();
        let t = |name: &str, shape: Vec<usize>, values: Vec<f32>| NamedTensor {
            name: name.into(),
            shape,
            values,
        };
        let tensors = vec![
            t("fc2.weight", vec![2, 3], vec![0.5; 6]),
            t("fc1.weight", vec![3, 4], w.clone()),
        ];
        let (m, digest) = dense_from_tensors(&tensors, None).unwrap();
        assert_eq!(m, from_file);
        assert_eq!(digest.len(), 64);
        let bad = |tensors: Vec<NamedTensor>, what: &str| {
            let e = dense_from_tensors(&tensors, None).unwrap_err().to_string();
            assert!(e.contains(what), "{e}");
        };
        bad(vec![], "no tensors");
        bad(
            vec![t("fc1.weight", vec![3, 4], vec![0.0; 5])],
            "does not match its 5",
        );
        bad(vec![t("fc1.weight", vec![12], w.clone())], "must be 2-D");
        bad(
            vec![
                t("fc1.weight", vec![3, 4], w.clone()),
                t("fc1.bias", vec![2], vec![0.0; 2]),
            ],
            "expected [3]",
        );
        bad(
            vec![t("running_mean", vec![3], vec![0.0; 3])],
            "neither a `*.weight`",
        );
    }

    #[test]
    fn reads_a_valid_model() {
        let w: Vec<f32> = (0..12).map(|i| i as f32 - 6.0).collect();
        let m = load_bytes(&model_bytes(&w, Dtype::F32)).unwrap();
        assert_eq!(m.layers.len(), 2);
        assert_eq!((m.layers[0].n_out, m.layers[0].n_in), (3, 4));
        assert_eq!(m.layers[0].weight, w);
        assert_eq!(m.layers[1].bias, vec![0.0, 0.0]);
    }

    #[test]
    fn bad_files_get_named_errors() {
        let good = model_bytes(&[0.25; 12], Dtype::F32);
        assert!(err(&good[..good.len() - 5]).contains("truncated"));
        assert!(err(&good[..5]).contains("too short"));
        assert!(err(&good[..20]).contains("truncated or corrupt header"));
        let mut big = good.clone();
        big[..8].copy_from_slice(&(200_000_000u64).to_le_bytes());
        assert!(err(&big).contains("oversized header"));
        let mut corrupt = good.clone();
        corrupt[9] = b'#';
        assert!(err(&corrupt).contains("corrupt header"));
        let nan = model_bytes(&[f32::NAN; 12], Dtype::F32);
        assert!(err(&nan).contains("NaN"));
        let i32s = model_bytes(&[0.0; 12], Dtype::I32);
        assert!(err(&i32s).contains("dtype I32"));
        let empty = safetensors::serialize(Vec::<(&str, TensorView<'_>)>::new(), None).unwrap();
        assert!(err(&empty).contains("empty model"));
        let missing = load_dense(Path::new("/nonexistent/x.safetensors"), None).unwrap_err();
        assert!(missing.to_string().contains("/nonexistent/x.safetensors"));
    }

    #[test]
    fn explicit_layer_list() {
        let good = model_bytes(&[0.25; 12], Dtype::F32);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.safetensors");
        std::fs::write(&p, &good).unwrap();
        let names = ["fc1.weight".to_string(), "fc2".to_string()];
        assert_eq!(load_dense(&p, Some(&names)).unwrap().layers.len(), 2);
        let rev = ["fc2".to_string(), "fc1".to_string()];
        assert!(load_dense(&p, Some(&rev))
            .unwrap_err()
            .to_string()
            .contains("inconsistent shapes"));
        let bad = ["fc9".to_string()];
        assert!(load_dense(&p, Some(&bad))
            .unwrap_err()
            .to_string()
            .contains("not found"));
    }

    #[test]
    fn natural_order_of_layer_names() {
        let mut p: Vec<String> = ["fc10", "fc2", "classifier", "fc1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        order_prefixes(&mut p);
        assert_eq!(p, ["fc1", "fc2", "fc10", "classifier"]);
        let mut p: Vec<String> = ["net.10", "net.2", "net.0"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        order_prefixes(&mut p);
        assert_eq!(p, ["net.0", "net.2", "net.10"]);
        assert_eq!(natural_cmp("layers.02", "layers.2"), Ordering::Equal);
        assert_eq!(natural_cmp("a", "a.1"), Ordering::Less);
    }
}

//! Reading MLPs from ONNX files (`torch.onnx.export` and `onnx.helper` graphs).
//!
//! A supported graph is one data input flowing through a chain of nodes:
//! `Flatten`, `Reshape` (before the first layer only), `Identity` and `Dropout`
//! (inference: pass-through), `Gemm` (`transA = 0`, `transB` 0 or 1, `alpha`/`beta`
//! folded into the weights and bias), `MatMul` optionally followed by an `Add` of a
//! bias, and `Relu` after every layer but the last. Weights come from initializers or
//! `Constant` nodes, as f32, f64, f16 or bf16 tensors. The result is the same
//! [`DenseModel`] the `.safetensors` reader produces (`W` row-major `[out, in]`).
//! Any other operator is an error naming the node and the operator; a graph that is
//! not such a chain (two data inputs, a node reading something other than the
//! previous step's output, a missing `Relu`, …) is an error saying why.
//!
//! The protobuf messages are declared here with `prost` derives, with only the
//! fields this reader needs and the field numbers of the ONNX schema (`onnx.proto`,
//! IR version 3 and later); unknown fields are skipped by the decoder.

use crate::error::{Error, Result};
use crate::safetensors_io::{DenseLayer, DenseModel};
use std::collections::HashMap;
use std::path::Path;

/// The ONNX protobuf messages (the subset this reader uses; field numbers from the
/// ONNX schema).
pub mod proto {
    /// `onnx.ModelProto`: the file's top-level message.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ModelProto {
        /// IR version of the file.
        #[prost(int64, optional, tag = "1")]
        pub ir_version: Option<i64>,
        /// The operator sets the graph uses.
        #[prost(message, repeated, tag = "8")]
        pub opset_import: Vec<OperatorSetIdProto>,
        /// The computation graph.
        #[prost(message, optional, tag = "7")]
        pub graph: Option<GraphProto>,
    }

    /// `onnx.OperatorSetIdProto`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct OperatorSetIdProto {
        /// Operator domain (empty: the default `ai.onnx`).
        #[prost(string, optional, tag = "1")]
        pub domain: Option<String>,
        /// Operator set version.
        #[prost(int64, optional, tag = "2")]
        pub version: Option<i64>,
    }

    /// `onnx.GraphProto`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct GraphProto {
        /// Nodes in topological order.
        #[prost(message, repeated, tag = "1")]
        pub node: Vec<NodeProto>,
        /// Graph name.
        #[prost(string, optional, tag = "2")]
        pub name: Option<String>,
        /// Constant tensors (weights).
        #[prost(message, repeated, tag = "5")]
        pub initializer: Vec<TensorProto>,
        /// Graph inputs (may list initializers too, in older IR versions).
        #[prost(message, repeated, tag = "11")]
        pub input: Vec<ValueInfoProto>,
        /// Graph outputs.
        #[prost(message, repeated, tag = "12")]
        pub output: Vec<ValueInfoProto>,
    }

    /// `onnx.NodeProto`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct NodeProto {
        /// Names of the input values.
        #[prost(string, repeated, tag = "1")]
        pub input: Vec<String>,
        /// Names of the output values.
        #[prost(string, repeated, tag = "2")]
        pub output: Vec<String>,
        /// Node name (optional in ONNX).
        #[prost(string, optional, tag = "3")]
        pub name: Option<String>,
        /// Operator (`Gemm`, `Relu`, …).
        #[prost(string, optional, tag = "4")]
        pub op_type: Option<String>,
        /// Attributes.
        #[prost(message, repeated, tag = "5")]
        pub attribute: Vec<AttributeProto>,
        /// Operator domain (empty: `ai.onnx`).
        #[prost(string, optional, tag = "7")]
        pub domain: Option<String>,
    }

    /// `onnx.AttributeProto`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct AttributeProto {
        /// Attribute name.
        #[prost(string, optional, tag = "1")]
        pub name: Option<String>,
        /// A float value.
        #[prost(float, optional, tag = "2")]
        pub f: Option<f32>,
        /// An integer value.
        #[prost(int64, optional, tag = "3")]
        pub i: Option<i64>,
        /// A tensor value (`Constant`'s `value`).
        #[prost(message, optional, tag = "5")]
        pub t: Option<TensorProto>,
        /// Integer list values.
        #[prost(int64, repeated, packed = "false", tag = "8")]
        pub ints: Vec<i64>,
        /// Attribute type (`AttributeProto.AttributeType`).
        #[prost(int32, optional, tag = "20")]
        pub r#type: Option<i32>,
    }

    /// `onnx.TensorProto`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct TensorProto {
        /// Shape.
        #[prost(int64, repeated, packed = "false", tag = "1")]
        pub dims: Vec<i64>,
        /// Element type (`TensorProto.DataType`: 1 float, 10 float16, 11 double, 16 bfloat16, …).
        #[prost(int32, optional, tag = "2")]
        pub data_type: Option<i32>,
        /// Float elements (when not in `raw_data`).
        #[prost(float, repeated, tag = "4")]
        pub float_data: Vec<f32>,
        /// Int32 elements; float16/bfloat16 bit patterns are stored here too.
        #[prost(int32, repeated, tag = "5")]
        pub int32_data: Vec<i32>,
        /// Int64 elements (shapes of `Reshape`).
        #[prost(int64, repeated, tag = "7")]
        pub int64_data: Vec<i64>,
        /// Tensor name.
        #[prost(string, optional, tag = "8")]
        pub name: Option<String>,
        /// Little-endian element bytes.
        #[prost(bytes = "vec", optional, tag = "9")]
        pub raw_data: Option<Vec<u8>>,
        /// Double elements (when not in `raw_data`).
        #[prost(double, repeated, tag = "10")]
        pub double_data: Vec<f64>,
        /// 1 when the data lives in an external file.
        #[prost(int32, optional, tag = "14")]
        pub data_location: Option<i32>,
    }

    /// `onnx.ValueInfoProto` (name only).
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ValueInfoProto {
        /// Value name.
        #[prost(string, optional, tag = "1")]
        pub name: Option<String>,
    }
}

use proto::{GraphProto, ModelProto, NodeProto, TensorProto};

/// ONNX `TensorProto.DataType` codes this reader converts.
const FLOAT: i32 = 1;
const FLOAT16: i32 = 10;
const DOUBLE: i32 = 11;
const BFLOAT16: i32 = 16;

/// The operators a supported graph may contain (for error messages).
const SUPPORTED: &str =
    "Gemm, MatMul, Add (bias), Relu, Flatten, Reshape (before the first layer), Identity, Dropout, Constant";

/// Whether `path` names an ONNX file (extension `.onnx`, any case).
pub fn is_onnx_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("onnx"))
}

/// Decodes an ONNX file's bytes into a dense MLP. `path` is for messages only.
/// Cost: O(file size).
pub fn dense_from_onnx(bytes: &[u8], path: &Path) -> Result<DenseModel> {
    let bad = |reason: String| Error::Model(format!("{}: {reason}", path.display()));
    let model = <ModelProto as prost::Message>::decode(bytes)
        .map_err(|e| bad(format!("not a valid ONNX file: {e}")))?;
    let graph = model
        .graph
        .as_ref()
        .ok_or_else(|| bad("not a valid ONNX file: it has no graph".into()))?;
    graph_to_dense(graph).map_err(|e| match e {
        Error::Model(m) => bad(m),
        other => other,
    })
}

/// Reads an ONNX file into a dense MLP. Cost: O(file size).
pub fn load_onnx(path: &Path) -> Result<DenseModel> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    dense_from_onnx(&bytes, path)
}

/// A node's name for messages: its name, or its first output.
fn node_label(n: &NodeProto) -> String {
    match n.name.as_deref() {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => n.output.first().cloned().unwrap_or_else(|| "?".into()),
    }
}

fn attr_i(n: &NodeProto, name: &str, default: i64) -> i64 {
    n.attribute
        .iter()
        .find(|a| a.name.as_deref() == Some(name))
        .and_then(|a| a.i)
        .unwrap_or(default)
}

fn attr_f(n: &NodeProto, name: &str, default: f32) -> f32 {
    n.attribute
        .iter()
        .find(|a| a.name.as_deref() == Some(name))
        .and_then(|a| a.f)
        .unwrap_or(default)
}

/// A tensor's elements as f32, with its shape. Cost: O(elements).
fn tensor_f32(t: &TensorProto, what: &str) -> Result<(Vec<usize>, Vec<f32>)> {
    if t.data_location == Some(1) {
        return Err(Error::Model(format!(
            "{what} is stored in an external data file, which is not supported (export with the weights inside the .onnx file)"
        )));
    }
    let dims: Vec<usize> = t
        .dims
        .iter()
        .map(|&d| usize::try_from(d))
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| Error::Model(format!("{what} has a negative dimension {:?}", t.dims)))?;
    let n: usize = dims.iter().product();
    let raw = t.raw_data.as_deref().filter(|r| !r.is_empty());
    let dt = t.data_type.unwrap_or(0);
    let v: Vec<f32> = match (dt, raw) {
        (FLOAT, Some(r)) => r
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
        (FLOAT, None) => t.float_data.clone(),
        (DOUBLE, Some(r)) => r
            .chunks_exact(8)
            .map(|c| {
                let mut b = [0u8; 8];
                b.copy_from_slice(c);
                f64::from_le_bytes(b) as f32
            })
            .collect(),
        (DOUBLE, None) => t.double_data.iter().map(|&x| x as f32).collect(),
        (FLOAT16, Some(r)) => r
            .chunks_exact(2)
            .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
        (FLOAT16, None) => t
            .int32_data
            .iter()
            .map(|&x| half::f16::from_bits(x as u16).to_f32())
            .collect(),
        (BFLOAT16, Some(r)) => r
            .chunks_exact(2)
            .map(|c| half::bf16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
        (BFLOAT16, None) => t
            .int32_data
            .iter()
            .map(|&x| half::bf16::from_bits(x as u16).to_f32())
            .collect(),
        (other, _) => {
            return Err(Error::Model(format!(
                "{what} has ONNX data type {other}; supported weight types are float (1), float16 (10), double (11) and bfloat16 (16)"
            )))
        }
    };
    if v.len() != n {
        return Err(Error::Model(format!(
            "{what} has {} elements but its shape {dims:?} needs {n} (truncated tensor?)",
            v.len()
        )));
    }
    Ok((dims, v))
}

/// A layer being assembled from `Gemm` or `MatMul` (+ `Add`).
struct Pending {
    layer: DenseLayer,
    /// Whether a bias was already attached (a second `Add` is not a bias).
    has_bias: bool,
    relu: bool,
}

/// Walks the chain of nodes from the single data input. Cost: O(params).
fn graph_to_dense(g: &GraphProto) -> Result<DenseModel> {
    let mut consts: HashMap<&str, &TensorProto> = g
        .initializer
        .iter()
        .filter_map(|t| t.name.as_deref().map(|n| (n, t)))
        .collect();
    for n in &g.node {
        if n.op_type.as_deref() == Some("Constant") {
            let value = n
                .attribute
                .iter()
                .find(|a| a.name.as_deref() == Some("value"))
                .and_then(|a| a.t.as_ref());
            match (value, n.output.first()) {
                (Some(t), Some(out)) => {
                    consts.insert(out.as_str(), t);
                }
                _ => {
                    return Err(Error::Model(format!(
                        "node `{}` (Constant) has no tensor `value` (only tensor constants are supported)",
                        node_label(n)
                    )))
                }
            }
        }
    }
    let data_inputs: Vec<&str> = g
        .input
        .iter()
        .filter_map(|v| v.name.as_deref())
        .filter(|n| !consts.contains_key(n))
        .collect();
    let [input] = data_inputs[..] else {
        return Err(Error::Model(format!(
            "the graph is not an MLP: it has {} data inputs ({}), an MLP has one",
            data_inputs.len(),
            data_inputs.join(", ")
        )));
    };
    let mut cur = input.to_string();
    let mut done: Vec<Pending> = Vec::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    for n in &g.node {
        let op = n.op_type.as_deref().unwrap_or("");
        let label = node_label(n);
        if op == "Constant" {
            continue;
        }
        if !n.domain.as_deref().unwrap_or("").is_empty() && n.domain.as_deref() != Some("ai.onnx") {
            return Err(Error::Model(format!(
                "node `{label}` ({op}, domain `{}`) is not supported: only standard ONNX operators are ({SUPPORTED})",
                n.domain.as_deref().unwrap_or("")
            )));
        }
        let out = n.output.first().cloned().unwrap_or_default();
        // The node's data input: the value flowing down the chain.
        let reads = |i: usize| n.input.get(i).map(String::as_str);
        let not_chain = |x: &str| {
            Error::Model(format!(
                "the graph is not an MLP: node `{label}` ({op}) reads `{x}`, not the output `{cur}` of the previous step"
            ))
        };
        match op {
            "Identity" | "Dropout" | "Flatten" | "Reshape" | "Relu" => {
                let x = reads(0).unwrap_or("");
                if x != cur {
                    return Err(not_chain(x));
                }
                if op == "Flatten" && attr_i(n, "axis", 1) != 1 {
                    return Err(Error::Model(format!(
                        "node `{label}` (Flatten) has axis {}; only axis 1 (keep the batch dimension) is supported",
                        attr_i(n, "axis", 1)
                    )));
                }
                if op == "Reshape" && !done.is_empty() {
                    return Err(Error::Model(format!(
                        "node `{label}` (Reshape) after the first layer is not supported (only a flattening Reshape of the input)"
                    )));
                }
                if op == "Relu" {
                    match done.last_mut() {
                        Some(p) if !p.relu => p.relu = true,
                        Some(_) => {
                            return Err(Error::Model(format!(
                                "the graph is not an MLP: node `{label}` (Relu) follows another Relu"
                            )))
                        }
                        None => {
                            return Err(Error::Model(format!(
                                "the graph is not an MLP: node `{label}` (Relu) comes before the first layer"
                            )))
                        }
                    }
                }
                cur = out;
            }
            "Gemm" | "MatMul" => {
                let x = reads(0).unwrap_or("");
                if x != cur {
                    return Err(not_chain(x));
                }
                if let Some(p) = done.last() {
                    if !p.relu {
                        return Err(Error::Model(format!(
                            "the graph is not an MLP: layer `{}` is followed by node `{label}` ({op}) without a Relu in between",
                            p.layer.name
                        )));
                    }
                }
                let wname = reads(1).unwrap_or("");
                let wt = consts.get(wname).ok_or_else(|| {
                    Error::Model(format!(
                        "node `{label}` ({op}): its weight `{wname}` is not a constant (initializer or Constant node)"
                    ))
                })?;
                let (dims, w) = tensor_f32(wt, &format!("weight `{wname}` of node `{label}`"))?;
                let [d0, d1] = dims[..] else {
                    return Err(Error::Model(format!(
                        "node `{label}` ({op}): weight `{wname}` has shape {dims:?}, expected 2-D"
                    )));
                };
                let trans_b = op == "Gemm" && attr_i(n, "transB", 0) != 0;
                if op == "Gemm" && attr_i(n, "transA", 0) != 0 {
                    return Err(Error::Model(format!(
                        "node `{label}` (Gemm) has transA = 1, which is not an MLP layer on a batch of row vectors"
                    )));
                }
                let alpha = if op == "Gemm" { attr_f(n, "alpha", 1.0) } else { 1.0 };
                // ternzk layout: W row-major [out, in].
                let (n_out, n_in, weight) = if trans_b {
                    (d0, d1, w.iter().map(|v| v * alpha).collect::<Vec<f32>>())
                } else {
                    let mut t = vec![0f32; w.len()];
                    for i in 0..d0 {
                        for o in 0..d1 {
                            t[o * d0 + i] = w[i * d1 + o] * alpha;
                        }
                    }
                    (d1, d0, t)
                };
                let mut bias = vec![0f32; n_out];
                let mut has_bias = false;
                if op == "Gemm" {
                    if let Some(cname) = reads(2).filter(|c| !c.is_empty()) {
                        let beta = attr_f(n, "beta", 1.0);
                        bias = bias_vector(&consts, cname, n_out, &label)?
                            .into_iter()
                            .map(|b| b * beta)
                            .collect();
                        has_bias = true;
                    }
                }
                let base = wname
                    .strip_suffix(".weight")
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("layer{}", done.len() + 1));
                let count = names.entry(base.clone()).or_insert(0);
                *count += 1;
                let name = if *count == 1 { base } else { format!("{base}_{count}") };
                done.push(Pending {
                    layer: DenseLayer {
                        name,
                        n_out,
                        n_in,
                        weight,
                        bias,
                    },
                    has_bias,
                    relu: false,
                });
                cur = out;
            }
            "Add" => {
                let (a, b) = (reads(0).unwrap_or(""), reads(1).unwrap_or(""));
                let other = if a == cur {
                    b
                } else if b == cur {
                    a
                } else {
                    return Err(not_chain(a));
                };
                let p = match done.last_mut() {
                    Some(p) if !p.relu && !p.has_bias => p,
                    _ => {
                        return Err(Error::Model(format!(
                            "the graph is not an MLP: node `{label}` (Add) is not the bias of a MatMul layer"
                        )))
                    }
                };
                p.layer.bias = bias_vector(&consts, other, p.layer.n_out, &label)?;
                p.has_bias = true;
                cur = out;
            }
            "" => {
                return Err(Error::Model(format!("node `{label}` has no operator type")));
            }
            other => {
                return Err(Error::Model(format!(
                    "node `{label}` ({other}) is not supported: ternzk compiles MLPs built from {SUPPORTED}"
                )))
            }
        }
    }
    let outputs: Vec<&str> = g.output.iter().filter_map(|v| v.name.as_deref()).collect();
    if outputs != [cur.as_str()] {
        return Err(Error::Model(format!(
            "the graph is not an MLP: its outputs ({}) are not the single output `{cur}` of the last layer",
            outputs.join(", ")
        )));
    }
    let Some(last) = done.last() else {
        return Err(Error::Model(
            "the graph is not an MLP: it has no Gemm or MatMul layer".into(),
        ));
    };
    if last.relu {
        return Err(Error::Model(format!(
            "the last layer `{}` is followed by Relu; ternzk's models output the last layer's raw values (drop the final Relu)",
            last.layer.name
        )));
    }
    let model = DenseModel {
        layers: done.into_iter().map(|p| p.layer).collect(),
    };
    model.validate()?;
    Ok(model)
}

/// A bias constant of `n_out` elements (shape `[n_out]` or `[1, n_out]`).
fn bias_vector(
    consts: &HashMap<&str, &TensorProto>,
    name: &str,
    n_out: usize,
    label: &str,
) -> Result<Vec<f32>> {
    let t = consts.get(name).ok_or_else(|| {
        Error::Model(format!(
            "node `{label}`: its bias `{name}` is not a constant (initializer or Constant node)"
        ))
    })?;
    let (dims, b) = tensor_f32(t, &format!("bias `{name}` of node `{label}`"))?;
    if b.len() != n_out || dims.iter().filter(|&&d| d != 1).count() > 1 {
        return Err(Error::Model(format!(
            "node `{label}`: bias `{name}` has shape {dims:?}, expected [{n_out}]"
        )));
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::proto::*;
    use super::*;
    use prost::Message;

    fn tensor(name: &str, dims: &[i64], v: &[f32]) -> TensorProto {
        TensorProto {
            dims: dims.to_vec(),
            data_type: Some(FLOAT),
            raw_data: Some(v.iter().flat_map(|x| x.to_le_bytes()).collect()),
            name: Some(name.into()),
            ..Default::default()
        }
    }

    fn node(op: &str, name: &str, inputs: &[&str], output: &str) -> NodeProto {
        NodeProto {
            input: inputs.iter().map(|s| s.to_string()).collect(),
            output: vec![output.into()],
            name: Some(name.into()),
            op_type: Some(op.into()),
            ..Default::default()
        }
    }

    fn int_attr(name: &str, i: i64) -> AttributeProto {
        AttributeProto {
            name: Some(name.into()),
            i: Some(i),
            r#type: Some(2),
            ..Default::default()
        }
    }

    fn vi(name: &str) -> ValueInfoProto {
        ValueInfoProto {
            name: Some(name.into()),
        }
    }

    /// 3 → 2 (Gemm, transB) → Relu → 2 → 1 (MatMul + Add).
    fn graph(extra: Option<NodeProto>) -> ModelProto {
        let mut gemm = node("Gemm", "/fc1/Gemm", &["x", "fc1.weight", "fc1.bias"], "h");
        gemm.attribute.push(int_attr("transB", 1));
        let mut nodes = vec![
            node("Flatten", "/Flatten", &["input"], "x"),
            gemm,
            node("Relu", "/Relu", &["h"], "r"),
            node("MatMul", "/fc2/MatMul", &["r", "w2t"], "m"),
            node("Add", "/fc2/Add", &["fc2.bias", "m"], "y"),
        ];
        let mut out = "y".to_string();
        if let Some(e) = extra {
            out = e.output[0].clone();
            nodes.push(e);
        }
        ModelProto {
            ir_version: Some(8),
            opset_import: vec![],
            graph: Some(GraphProto {
                node: nodes,
                name: Some("g".into()),
                initializer: vec![
                    tensor("fc1.weight", &[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
                    tensor("fc1.bias", &[2], &[0.5, -0.5]),
                    tensor("w2t", &[2, 1], &[7.0, 8.0]),
                    tensor("fc2.bias", &[1], &[0.25]),
                ],
                input: vec![vi("input")],
                output: vec![vi(&out)],
            }),
        }
    }

    fn load(m: &ModelProto) -> Result<DenseModel> {
        dense_from_onnx(&m.encode_to_vec(), Path::new("t.onnx"))
    }

    #[test]
    fn reads_gemm_and_matmul_add_layers() {
        let d = load(&graph(None)).unwrap();
        assert_eq!(d.layers.len(), 2);
        assert_eq!(d.layers[0].name, "fc1");
        assert_eq!(d.layers[0].weight, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(d.layers[0].bias, vec![0.5, -0.5]);
        assert_eq!((d.layers[1].n_out, d.layers[1].n_in), (1, 2));
        assert_eq!(d.layers[1].weight, vec![7.0, 8.0]);
        assert_eq!(d.layers[1].bias, vec![0.25]);
        // Identity and Dropout after the last layer pass through.
        let d2 = load(&graph(Some(node("Dropout", "/drop", &["y"], "z")))).unwrap();
        assert_eq!(d2, d);
    }

    #[test]
    fn unsupported_and_non_mlp_graphs_are_named_errors() {
        let e = load(&graph(Some(node("Sigmoid", "/act/Sigmoid", &["y"], "s"))))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/act/Sigmoid") && e.contains("Sigmoid") && e.contains("not supported"),
            "{e}"
        );
        let e = load(&graph(Some(node("Conv", "/conv", &["y", "w2t"], "c"))))
            .unwrap_err()
            .to_string();
        assert!(e.contains("/conv") && e.contains("(Conv)"), "{e}");
        // A final Relu.
        let e = load(&graph(Some(node("Relu", "/r2", &["y"], "z"))))
            .unwrap_err()
            .to_string();
        assert!(e.contains("followed by Relu"), "{e}");
        // A branch: the node reads the graph input again.
        let e = load(&graph(Some(node("Add", "/skip", &["y", "input"], "z"))))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not an MLP"), "{e}");
        // Two layers without a Relu in between.
        let mut m = graph(None);
        m.graph.as_mut().unwrap().node.remove(2);
        m.graph.as_mut().unwrap().node[2].input[0] = "h".into();
        let e = load(&m).unwrap_err().to_string();
        assert!(e.contains("without a Relu"), "{e}");
        // Two data inputs.
        let mut m = graph(None);
        m.graph.as_mut().unwrap().input.push(vi("other"));
        assert!(load(&m).unwrap_err().to_string().contains("2 data inputs"));
        // Not protobuf at all.
        let e = dense_from_onnx(b"\xff\xff\xff", Path::new("x.onnx"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a valid ONNX file"), "{e}");
        // A truncated weight.
        let mut m = graph(None);
        m.graph.as_mut().unwrap().initializer[0]
            .raw_data
            .as_mut()
            .unwrap()
            .pop();
        assert!(load(&m).is_err());
    }
}

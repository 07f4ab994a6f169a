//! ONNX import against fixtures written by the reference `onnx` package
//! (`models/scripts/export_onnx.py --fixtures models/fixtures/onnx`): the same MLP
//! read from `.safetensors` and from ONNX (Gemm with transB, and MatMul + Add, with
//! Identity/Dropout nodes) is the same dense model and compiles to the same integer
//! model; unsupported operators and non-MLP graphs are errors naming the node.

use std::path::{Path, PathBuf};
use ternzk_compiler::pipeline::{compile_dense, Source};
use ternzk_compiler::{load_dense, Calibration, CompileOptions, Density};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../models/fixtures/onnx")
        .join(name)
}

#[test]
fn onnx_and_safetensors_give_the_same_model() {
    let st = load_dense(&fixture("tiny.safetensors"), None).unwrap();
    let opts = CompileOptions {
        density: Density::Uniform(0.5),
        calibration: Calibration::Uniform,
        calib_samples: 64,
        ..CompileOptions::default()
    };
    let calib = Calibration::Uniform.inputs(64, st.n_in()).unwrap();
    let src = Source {
        file: "x".into(),
        blake3: "00".repeat(32),
        bytes: 0,
    };
    let want = compile_dense(&st, &src, &opts, &calib, &|_| {}).unwrap();
    for f in ["tiny-gemm.onnx", "tiny-matmul.onnx"] {
        let m = load_dense(&fixture(f), None).unwrap();
        assert_eq!(m.layers.len(), 3, "{f}");
        for (a, b) in m.layers.iter().zip(&st.layers) {
            assert_eq!((a.n_out, a.n_in), (b.n_out, b.n_in), "{f}");
            assert_eq!(a.weight, b.weight, "{f} {}", a.name);
            assert_eq!(a.bias, b.bias, "{f} {}", a.name);
        }
        let got = compile_dense(&m, &src, &opts, &calib, &|_| {}).unwrap();
        for (a, b) in got.layers.iter().zip(&want.layers) {
            assert_eq!(
                (&a.weights, &a.bias, &a.m, a.k),
                (&b.weights, &b.bias, &b.m, b.k),
                "{f}"
            );
        }
    }
    // Torch-style Gemm initializers keep their layer names.
    let names: Vec<String> = load_dense(&fixture("tiny-gemm.onnx"), None)
        .unwrap()
        .layers
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert_eq!(names, ["fc1", "fc2", "fc3"]);
    // --layers is a .safetensors option.
    assert!(load_dense(&fixture("tiny-gemm.onnx"), Some(&["fc1".to_string()])).is_err());
}

#[test]
fn unsupported_graphs_are_named_errors() {
    for (f, want) in [
        (
            "bad-sigmoid.onnx",
            "node `/act/Sigmoid` (Sigmoid) is not supported",
        ),
        ("bad-conv.onnx", "node `/conv/Conv` (Conv) is not supported"),
        ("bad-branch.onnx", "not an MLP"),
        ("bad-final-relu.onnx", "followed by Relu"),
    ] {
        let e = load_dense(&fixture(f), None).unwrap_err().to_string();
        assert!(e.contains(want) && e.contains(f), "{f}: {e}");
    }
    // A .safetensors file renamed to .onnx is not protobuf.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("renamed.onnx");
    std::fs::copy(fixture("tiny.safetensors"), &p).unwrap();
    let e = load_dense(&p, None).unwrap_err().to_string();
    assert!(e.contains("ONNX"), "{e}");
}

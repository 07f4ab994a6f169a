//! `ternzk compile model.onnx` end to end: the shipped 784-256-256-10 model exported
//! to ONNX (`models/scripts/export_onnx.py`, committed under models/fixtures/onnx/)
//! compiles to the same model, hence the same accuracy, as its `.safetensors`
//! original; an unsupported operator fails with exit code 1, names the node and the
//! operator, and writes nothing.

mod common;

use common::{ternzk, TempDir};
use std::path::{Path, PathBuf};
use ternzk_compiler::dataset::fashion_mnist_available;
use ternzk_compiler::CompiledModel;

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(p)
}

#[test]
fn onnx_compiles_like_safetensors() {
    let dir = TempDir::new("onnx_cli");
    let data = fashion_mnist_available();
    let mut reports = Vec::new();
    let mut models = Vec::new();
    for (src, out) in [
        (
            "models/mlp-784-256-256-10-candle.safetensors",
            "st.safetensors",
        ),
        (
            "models/fixtures/onnx/mlp-784-256-256-10-candle.onnx",
            "onnx.safetensors",
        ),
    ] {
        let out = dir.path().join(out);
        let src = repo(src);
        let mut args = vec![
            "compile",
            src.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--density",
            "1/4",
            "--json",
        ];
        if data {
            args.extend(["--limit", "1000"]);
        } else {
            eprintln!("Fashion-MNIST absent: calibrating on uniform data, no accuracy");
            args.extend(["--calib", "uniform"]);
        }
        let o = ternzk(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        reports.push(r);
        models.push(CompiledModel::load(&out).unwrap());
    }
    assert_eq!(
        reports[0]["accuracy_compiled"],
        reports[1]["accuracy_compiled"]
    );
    assert_eq!(reports[0]["accuracy_dense"], reports[1]["accuracy_dense"]);
    assert_eq!(reports[0]["nnz"], reports[1]["nnz"]);
    for (a, b) in models[0].layers.iter().zip(&models[1].layers) {
        assert_eq!(
            (&a.weights, &a.bias, &a.m, a.k),
            (&b.weights, &b.bias, &b.m, b.k)
        );
    }
    println!(
        "compiled accuracy: safetensors {}, ONNX {}",
        reports[0]["accuracy_compiled"], reports[1]["accuracy_compiled"]
    );
}

#[test]
fn unsupported_operator_fails_without_output() {
    let dir = TempDir::new("onnx_cli-bad");
    let out = dir.path().join("out.safetensors");
    let src = repo("models/fixtures/onnx/bad-sigmoid.onnx");
    let o = ternzk(&[
        "compile",
        src.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--calib",
        "uniform",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("/act/Sigmoid") && err.contains("(Sigmoid) is not supported"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

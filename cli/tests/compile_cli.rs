//! `ternzk compile` / `ternzk eval` end to end on the built binary: the JSON report,
//! dense/compiled detection, and bad inputs (exit code 1, a message naming the
//! problem, no panic, no output or temporary file left behind).

mod common;

use common::{ternzk, TempDir};
use std::path::{Path, PathBuf};
use ternzk_compiler::dataset::fashion_mnist_available;
use ternzk_compiler::CompiledModel;

fn trained_model() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/mlp-784-256-256-10.safetensors")
}

/// A `.safetensors` file built by hand: `(name, dtype, shape, little-endian bytes)`.
fn st_file(path: &Path, tensors: &[(&str, &str, Vec<usize>, Vec<u8>)]) {
    let mut header = serde_json::Map::new();
    let mut data = Vec::new();
    for (name, dtype, shape, bytes) in tensors {
        header.insert(
            name.to_string(),
            serde_json::json!({"dtype": dtype, "shape": shape, "data_offsets": [data.len(), data.len() + bytes.len()]}),
        );
        data.extend_from_slice(bytes);
    }
    let h = serde_json::to_vec(&header).unwrap();
    let mut out = (h.len() as u64).to_le_bytes().to_vec();
    out.extend(h);
    out.extend(data);
    std::fs::write(path, out).unwrap();
}

fn f32s(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

#[test]
fn compile_json_report_and_eval_both_kinds() {
    let dir = TempDir::new("compile_cli-report");
    let out = dir.path().join("c.safetensors");
    let src = trained_model();
    let data = fashion_mnist_available();
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
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    assert_eq!(r["params"], 784 * 256 + 256 * 256 + 2560);
    // The support search (default) may keep fewer weights than the budget.
    let budget = 784 * 64 + 256 * 64 + 640;
    let nnz = r["nnz"].as_u64().unwrap();
    assert!(nnz <= budget && nnz > budget * 9 / 10, "{r}");
    assert!(r["density"].as_f64().unwrap() <= 0.25);
    assert_eq!(r["support"], "search");
    assert_eq!(r["bytes_out"], std::fs::metadata(&out).unwrap().len());
    assert_eq!(r["bytes_in"], std::fs::metadata(&src).unwrap().len());
    let m = CompiledModel::load(&out).unwrap();
    assert_eq!(m.nnz(), r["nnz"].as_u64().unwrap() as usize);
    if !data {
        return;
    }
    let (acc_d, acc_c) = (
        r["accuracy_dense"].as_f64().unwrap(),
        r["accuracy_compiled"].as_f64().unwrap(),
    );
    println!("1000 test images: dense {acc_d}, compiled {acc_c}");
    assert!(acc_d > 0.8 && acc_c > 0.6, "{r}");
    for (model, kind, acc) in [(&out, "compiled", acc_c), (&src, "dense", acc_d)] {
        let o = ternzk(&[
            "eval",
            model.to_str().unwrap(),
            "--dataset",
            "fashion-mnist",
            "--limit",
            "1000",
            "--json",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let e: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(e["kind"], kind);
        assert_eq!(e["images"], 1000);
        assert_eq!(e["accuracy"].as_f64().unwrap(), acc);
    }
}

#[test]
fn bad_inputs_fail_cleanly_without_output() {
    let dir = TempDir::new("compile_cli-bad");
    let d = dir.path();
    let good = std::fs::read(trained_model()).unwrap();
    std::fs::write(d.join("truncated.safetensors"), &good[..good.len() / 2]).unwrap();
    let mut huge = good.clone();
    huge[..8].copy_from_slice(&u64::MAX.to_le_bytes());
    std::fs::write(d.join("oversized.safetensors"), &huge).unwrap();
    let mut corrupt = good.clone();
    corrupt[8] = b'[';
    std::fs::write(d.join("corrupt.safetensors"), &corrupt).unwrap();
    let w = f32s(&[0.5; 6]);
    st_file(
        &d.join("nan.safetensors"),
        &[(
            "fc1.weight",
            "F32",
            vec![2, 3],
            f32s(&[0.1, f32::NAN, 0.2, 0.3, 0.4, 0.5]),
        )],
    );
    st_file(
        &d.join("dtype.safetensors"),
        &[("fc1.weight", "I32", vec![2, 3], w.clone())],
    );
    st_file(
        &d.join("notmatrix.safetensors"),
        &[("fc1.weight", "F32", vec![6], w.clone())],
    );
    st_file(
        &d.join("shapes.safetensors"),
        &[
            ("fc1.weight", "F32", vec![2, 3], w.clone()),
            ("fc2.weight", "F32", vec![2, 3], w.clone()),
        ],
    );
    st_file(&d.join("empty.safetensors"), &[]);
    // Tiny weights and a huge bias: the bias cannot be represented at the accumulator scale.
    st_file(
        &d.join("bounds.safetensors"),
        &[
            ("fc1.weight", "F32", vec![2, 3], f32s(&[1e-30; 6])),
            ("fc1.bias", "F32", vec![2], f32s(&[1e10, 1e10])),
            ("fc2.weight", "F32", vec![2, 2], f32s(&[1.0; 4])),
        ],
    );
    for (file, want) in [
        ("truncated", "truncated"),
        ("oversized", "oversized header"),
        ("corrupt", "corrupt header"),
        ("nan", "NaN"),
        ("dtype", "dtype I32"),
        ("notmatrix", "must be 2-D"),
        ("shapes", "inconsistent shapes"),
        ("empty", "empty model"),
        ("bounds", "static bound check"),
        ("missing", "No such file"),
    ] {
        let src = d.join(format!("{file}.safetensors"));
        let out = d.join(format!("{file}.out.safetensors"));
        let o = ternzk(&[
            "compile",
            src.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--calib",
            "uniform",
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{file}: {err}");
        assert!(err.contains(want), "{file}: expected {want:?} in {err:?}");
        assert!(!err.contains("panicked"), "{file}: {err}");
        assert!(!out.exists(), "{file}: partial output left behind");
    }
    let o = ternzk(&["eval", d.join("truncated.safetensors").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("truncated"));
    let o = ternzk(&[
        "compile",
        trained_model().to_str().unwrap(),
        "-o",
        "/nonexistent-dir/x.safetensors",
        "--calib",
        "uniform",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = ternzk(&[
        "compile",
        trained_model().to_str().unwrap(),
        "-o",
        d.join("x").to_str().unwrap(),
        "--density",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not in (0, 1]"));
    // No temporary files are left anywhere in the directory.
    let leftovers: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp") || n.contains(".out."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn support_flag_selects_the_method() {
    let dir = TempDir::new("compile_cli-support");
    let out = dir.path().join("m.safetensors");
    let src = trained_model();
    let run = |support: &str| {
        ternzk(&[
            "compile",
            src.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--density",
            "1/4",
            "--calib",
            "uniform",
            "--calib-samples",
            "200",
            "--support",
            support,
            "--per-layer",
            "--json",
        ])
    };
    // Magnitude keeps exactly the budget.
    let o = run("magnitude");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["nnz"], 784 * 64 + 256 * 64 + 640);
    assert_eq!(r["support"], "magnitude");
    assert_eq!(r["scale_mode"], "per_layer");
    // An unknown method is a usage error and writes nothing.
    std::fs::remove_file(&out).unwrap();
    let o = run("random");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown support method `random`"));
    assert!(!out.exists());
}

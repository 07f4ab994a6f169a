//! Interop: fixtures written by the reference Python `safetensors` package (numpy
//! backend) are read, evaluated and compiled. Needs `python3` with `numpy` and
//! `safetensors` (installed by `.ci/compiler-setup.sh`); without them the test is
//! skipped with a printed reason unless `TERNZK_REQUIRE_PYTHON=1`.

use std::path::{Path, PathBuf};
use std::process::Command;
use ternzk_compiler::float_ref::forward_u8;
use ternzk_compiler::pipeline::{compile_dense, Source};
use ternzk_compiler::{load_dense, Calibration, CompileOptions, CompiledModel, Density, ScaleMode};

fn fixtures() -> Option<(tempfile::TempDir, PathBuf)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/scripts/make_fixtures.py");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new("python3")
        .arg(&script)
        .arg(dir.path())
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let p = dir.path().to_path_buf();
            Some((dir, p))
        }
        other => {
            let why = match other {
                Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
                Err(e) => e.to_string(),
            };
            if std::env::var("TERNZK_REQUIRE_PYTHON").as_deref() == Ok("1") {
                panic!("make_fixtures.py failed: {why}");
            }
            eprintln!("SKIPPED: python3 with numpy+safetensors unavailable ({why})");
            None
        }
    }
}

#[test]
fn python_fixtures_read_compile_and_fail_as_expected() {
    let Some((_guard, dir)) = fixtures() else {
        return;
    };
    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
    let input: Vec<u8> = expected["input_u8"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u8)
        .collect();
    let want: Vec<f64> = expected["logits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();

    let f32m = load_dense(&dir.join("mlp_f32.safetensors"), None).unwrap();
    assert_eq!(
        f32m.layers
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>(),
        ["fc1", "fc2", "fc3"]
    );
    // Float reference against numpy's float64 forward pass.
    let got = forward_u8(&f32m, &input, 1).unwrap();
    for (g, w) in got.iter().zip(&want) {
        assert!((*g as f64 - w).abs() < 1e-4, "{got:?} vs {want:?}");
    }
    // Half-precision files hold the same weights up to their rounding.
    for (file, tol) in [
        ("mlp_f16.safetensors", 1e-3f32),
        ("mlp_bf16.safetensors", 8e-3),
    ] {
        let m = load_dense(&dir.join(file), None).unwrap();
        for (a, b) in m.layers.iter().zip(&f32m.layers) {
            assert_eq!((a.n_out, a.n_in), (b.n_out, b.n_in));
            for (x, y) in a
                .weight
                .iter()
                .chain(&a.bias)
                .zip(b.weight.iter().chain(&b.bias))
            {
                assert!(
                    (x - y).abs() <= tol * y.abs().max(1.0),
                    "{file}: {x} vs {y}"
                );
            }
        }
    }
    // Natural sort and head naming.
    let layers = load_dense(&dir.join("layers_f32.safetensors"), None).unwrap();
    let names: Vec<_> = layers.layers.iter().map(|l| l.name.clone()).collect();
    assert_eq!(names.first().map(String::as_str), Some("layers.0"));
    assert_eq!(names.last().map(String::as_str), Some("layers.10"));
    assert_eq!(names[2], "layers.2");
    let net = load_dense(&dir.join("net_f32.safetensors"), None).unwrap();
    assert_eq!(
        net.layers
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>(),
        ["net.0", "net.2", "classifier"]
    );

    // Compile every good fixture, write, reload, run.
    for file in ["mlp_f32", "mlp_f16", "mlp_bf16", "layers_f32", "net_f32"] {
        let dense = load_dense(&dir.join(format!("{file}.safetensors")), None).unwrap();
        for mode in [ScaleMode::PerLayer, ScaleMode::PerRow] {
            let opts = CompileOptions {
                density: Density::Uniform(0.5),
                mode,
                calibration: Calibration::Uniform,
                calib_samples: 50,
                ..CompileOptions::default()
            };
            let calib = Calibration::Uniform.inputs(50, dense.n_in()).unwrap();
            let src = Source {
                file: format!("{file}.safetensors"),
                blake3: String::new(),
                bytes: 0,
            };
            let c = compile_dense(&dense, &src, &opts, &calib, &|_| {}).unwrap();
            let out = dir.join(format!("{file}.compiled.safetensors"));
            c.save(&out).unwrap();
            let back = CompiledModel::load(&out).unwrap();
            assert_eq!(back, c);
            let x = &calib[..dense.n_in()];
            assert_eq!(back.infer_i32(x), c.trace(x).last().unwrap().z);
        }
    }

    // The reference Python package reads our compiled file too.
    let out = dir.join("mlp_f32.compiled.safetensors");
    let py = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, json; from safetensors.numpy import load_file; from safetensors import safe_open\n\
             t = load_file(sys.argv[1]); m = safe_open(sys.argv[1], 'numpy').metadata()\n\
             h = json.loads(m['ternzk']); assert m['format'] == 'ternzk-compiled'\n\
             assert t['layers.0.indptr'].dtype.name == 'uint32' and t['layers.0.bias'].dtype.name == 'int32'\n\
             print(len(h['layers']), int(t['layers.0.indptr'][-1]) == h['layers'][0]['nnz'])",
        )
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&py.stdout).trim(), "3 True");

    // Bad files: each error names the problem.
    for (file, want) in [
        ("bad_1d_weight", "must be 2-D"),
        ("bad_dtype", "dtype I64"),
        ("bad_nan", "NaN"),
        ("bad_inf", "inf"),
        ("bad_shapes", "inconsistent shapes"),
        ("bad_empty", "empty model"),
        ("bad_bias_shape", "fc1.bias"),
    ] {
        let e = load_dense(&dir.join(format!("{file}.safetensors")), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains(want), "{file}: expected {want:?} in {e:?}");
    }
}

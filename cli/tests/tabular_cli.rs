//! Tabular models end to end on the scikit-learn fixtures (`models/fixtures/sklearn`,
//! made by `models/scripts/make_sklearn_fixtures.py`): compile with a data file for
//! calibration and evaluation, `eval` on every data format, commit, prove real-valued
//! inputs and data-file rows, verify; and every kind of bad data file refused with a
//! named error, exit code 1 and no output file.

mod common;

use common::{ternzk, TempDir};
use std::path::{Path, PathBuf};
use std::process::Output;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../models/fixtures/sklearn")
        .join(name)
        .display()
        .to_string()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "ternzk failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn expected(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(fixture("expected.json")).unwrap();
    serde_json::from_str::<serde_json::Value>(&text).unwrap()[name].clone()
}

/// Compiles fixture `name` at `density` calibrated on its training split and
/// evaluated on its CSV test split; returns the compile report and the model path.
fn compile(dir: &Path, name: &str, density: &str) -> (serde_json::Value, PathBuf) {
    let out = dir.join(format!("{name}.ternzk.safetensors"));
    let r = json(&ternzk(&[
        "compile",
        &fixture(&format!("{name}-mlp.safetensors")),
        "-o",
        s(&out),
        "--density",
        density,
        "--calib",
        &fixture(&format!("{name}-train.npz")),
        "--eval",
        &fixture(&format!("{name}-test.csv")),
        "--json",
    ]));
    (r, out)
}

/// `eval --json` of `model` on each copy of `name`'s test split: the accuracies.
fn eval_all_formats(model: &str, name: &str) -> Vec<f64> {
    let npy = fixture(&format!("{name}-test.npy"));
    let labels = fixture(&format!("{name}-test-labels.npy"));
    let csv = fixture(&format!("{name}-test.csv"));
    let st = fixture(&format!("{name}-test.safetensors"));
    let npz = fixture(&format!("{name}-test.npz"));
    [
        vec!["--data", &npy, "--labels", &labels],
        vec!["--data", &csv],
        vec!["--data", &st],
        vec!["--data", &npz],
    ]
    .iter()
    .map(|extra| {
        let r = json(&ternzk(&[&["eval", model, "--json"][..], extra].concat()));
        r["accuracy"].as_f64().unwrap()
    })
    .collect()
}

#[test]
fn dense_accuracy_matches_scikit_learn_on_every_format() {
    for name in ["digits", "breast-cancer"] {
        let want = expected(name)["sklearn_test_accuracy"].as_f64().unwrap();
        let acc = eval_all_formats(&fixture(&format!("{name}-mlp.safetensors")), name);
        assert!(acc.iter().all(|&a| a == want), "{name}: {acc:?} vs {want}");
    }
}

#[test]
fn compiled_tabular_models_end_to_end() {
    let dir = TempDir::new("tabular_cli-e2e");
    for (name, n_out) in [("digits", 10usize), ("breast-cancer", 1)] {
        let (r, model) = compile(dir.path(), name, "1/2");
        assert_eq!(r["input_quant"], "per-feature");
        let dense = r["accuracy_dense"].as_f64().unwrap();
        let compiled = r["accuracy_compiled"].as_f64().unwrap();
        assert_eq!(
            dense,
            expected(name)["sklearn_test_accuracy"].as_f64().unwrap()
        );
        // Far above chance; how close to dense is the support search's business.
        assert!(compiled > 0.5, "{name}: compiled {compiled}, dense {dense}");
        // The same compiled accuracy from every copy of the test split.
        let acc = eval_all_formats(s(&model), name);
        assert!(
            acc.iter().all(|&a| a == compiled),
            "{name}: {acc:?} vs {compiled}"
        );

        let vk = dir.path().join(format!("{name}.vk"));
        json(&ternzk(&["commit", s(&model), "-o", s(&vk), "--json"]));
        // Real-valued input from JSON, then three rows of the test file.
        let proof = dir.path().join(format!("{name}.proof"));
        let p = json(&ternzk(&[
            "prove",
            "--model",
            s(&model),
            "--vk",
            s(&vk),
            "--input",
            &fixture(&format!("{name}-input.json")),
            "-o",
            s(&proof),
            "--json",
        ]));
        assert_eq!(p["output"][0].as_array().unwrap().len(), n_out);
        assert_eq!(p["logits"][0].as_array().unwrap().len(), n_out);
        let z = p["output"][0][0].as_i64().unwrap() as f64;
        let l = p["logits"][0][0].as_f64().unwrap();
        assert!(
            z == 0.0 || l / z > 0.0,
            "dequantized logit {l} has the sign of {z}"
        );
        let v = json(&ternzk(&[
            "verify",
            "--vk",
            s(&vk),
            "--proof",
            s(&proof),
            "--model",
            s(&model),
            "--json",
        ]));
        assert_eq!(v["verified"], true);
        assert_eq!(v["output"], p["output"]);
        assert_eq!(v["class"], p["class"]);
        assert_eq!(v["logits"], p["logits"]);

        let proof3 = dir.path().join(format!("{name}-3.proof"));
        let p3 = json(&ternzk(&[
            "prove",
            "--model",
            s(&model),
            "--vk",
            s(&vk),
            "--data",
            &fixture(&format!("{name}-test.csv")),
            "--index",
            "0",
            "--batch",
            "3",
            "-o",
            s(&proof3),
            "--json",
        ]));
        assert_eq!(p3["batch"], 3);
        // Row 0 of the CSV is the JSON input: same quantized input, same output.
        assert_eq!(p3["output"][0], p["output"][0]);
        assert_eq!(p3["input_quantized"][0], p["input_quantized"][0]);
        assert_eq!(p3["labels"].as_array().unwrap().len(), 3);
        let v = json(&ternzk(&[
            "verify",
            "--vk",
            s(&vk),
            "--proof",
            s(&proof3),
            "--json",
        ]));
        assert_eq!(v["verified"], true);
        assert_eq!(v["classes"], p3["classes"]);
    }
}

/// Each bad data file: exit code 1, an error naming the problem, no output file.
#[test]
fn bad_data_files_are_refused_without_output() {
    let dir = TempDir::new("tabular_cli-bad");
    let d = |n: &str| dir.path().join(n);
    std::fs::write(d("wide.csv"), "a,b,c,label\n1,2,3,0\n").unwrap();
    std::fs::write(d("nan.csv"), "f0,f1\n1,nan\n").unwrap();
    std::fs::write(d("empty.csv"), "").unwrap();
    let header: Vec<String> = (0..30).map(|j| format!("f{j}")).collect();
    let row = vec!["0.5"; 30].join(",");
    std::fs::write(
        d("labels.csv"),
        format!("{},label\n{row},0\n{row},2\n", header.join(",")),
    )
    .unwrap();
    let mut bad_cell = vec!["0.5"; 30];
    bad_cell[4] = "n/a";
    std::fs::write(
        d("cell.csv"),
        format!(
            "{},label\n{row},0\n{},1\n",
            header.join(","),
            bad_cell.join(",")
        ),
    )
    .unwrap();
    let out = d("never.safetensors");
    let src = fixture("breast-cancer-mlp.safetensors");
    let train = fixture("breast-cancer-train.safetensors");
    let path = |n: &str| d(n).display().to_string();
    let cases: [(&str, String, &str); 7] = [
        (
            "calib",
            path("wide.csv"),
            "rows have 3 features but the model takes 30",
        ),
        (
            "calib",
            path("nan.csv"),
            "non-finite value NaN at row 0, column 1",
        ),
        ("calib", path("empty.csv"), "empty data set"),
        (
            "eval",
            path("labels.csv"),
            "label 2 at row 1 is out of range for a model with 2 classes",
        ),
        (
            "eval",
            path("cell.csv"),
            "row 3, column `f4`: `n/a` is not a number",
        ),
        (
            "eval",
            path("wide.csv"),
            "rows have 3 features but the model takes 30",
        ),
        ("calib", "missing.npy".to_string(), "missing.npy"),
    ];
    for (which, file, msg) in &cases {
        let file = file.as_str();
        let (calib, eval) = if *which == "calib" {
            (file, "none")
        } else {
            (train.as_str(), file)
        };
        let mut args = vec!["compile", &src, "-o", s(&out), "--calib", calib];
        if eval == "none" {
            args.push("--no-eval");
        } else {
            args.extend(["--eval", eval]);
        }
        let r = ternzk(&args);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(1), "{file}: {err}");
        assert!(err.contains(msg), "{file}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out.exists(), "{file}");
    }
    // The same errors from eval and prove (no proof written).
    let r = ternzk(&["eval", &src, "--data", s(&d("cell.csv"))]);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("`n/a` is not a number"));
    let (_, model) = compile(dir.path(), "breast-cancer", "1/2");
    let proof = d("never.proof");
    for (file, msg) in [
        (d("wide.csv"), "rows have 3 features"),
        (d("labels.csv"), "label 2 at row 1 is out of range"),
        (d("nan.csv"), "non-finite"),
    ] {
        let r = ternzk(&[
            "prove",
            "--model",
            s(&model),
            "--data",
            s(&file),
            "--batch",
            "2",
            "-o",
            s(&proof),
        ]);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(1), "{err}");
        assert!(err.contains(msg), "{err}");
        assert!(!proof.exists());
    }
    // A JSON input of the wrong width.
    let short = d("short.json");
    std::fs::write(&short, "[0.1, 0.2]").unwrap();
    let r = ternzk(&[
        "prove",
        "--model",
        s(&model),
        "--input",
        s(&short),
        "-o",
        s(&proof),
    ]);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("the model takes 30"));
    assert!(!proof.exists());
}

/// `ternzk train --qat` on a data file (feature `train`): the output keeps the source's
/// tensor names and compiles, with the printed command's calibration, to the accuracy
/// QAT reported.
#[cfg(feature = "train")]
#[test]
fn qat_on_a_data_file_compiles_to_the_reported_accuracy() {
    let dir = TempDir::new("tabular_cli-qat");
    let out = dir.path().join("digits-qat.safetensors");
    let r = json(&ternzk(&[
        "train",
        "--qat",
        "--from",
        &fixture("digits-mlp.safetensors"),
        "--data",
        &fixture("digits-train.npz"),
        "--eval",
        &fixture("digits-test.csv"),
        "--density",
        "1/4",
        "--epochs",
        "2",
        "--batch-size",
        "32",
        "-o",
        s(&out),
        "--json",
    ]));
    let qat = r["compiled_accuracy"].as_f64().unwrap();
    assert!(qat > r["ptq_accuracy"].as_f64().unwrap(), "{r}");
    let names = ternzk_compiler::load_dense(&out, None).unwrap();
    let names: Vec<&str> = names.layers.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["fc1", "fc2", "fc3"]);
    let compiled = dir.path().join("digits-qat.ternzk.safetensors");
    let c = json(&ternzk(&[
        "compile",
        s(&out),
        "-o",
        s(&compiled),
        "--density",
        "1/4",
        "--calib",
        &fixture("digits-train.npz"),
        "--eval",
        &fixture("digits-test.safetensors"),
        "--json",
    ]));
    assert_eq!(c["accuracy_compiled"].as_f64().unwrap(), qat, "{c}");
    // Training on a data file without test data is refused.
    let r = ternzk(&[
        "train",
        "--qat",
        "--from",
        &fixture("digits-mlp.safetensors"),
        "--data",
        &fixture("digits-train.npz"),
        "-o",
        s(&dir.path().join("never.safetensors")),
    ]);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("--eval"));
}

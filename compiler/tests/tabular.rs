//! Tabular data on the scikit-learn fixtures (`models/fixtures/sklearn`): the
//! per-feature input quantizer costs the dense model almost nothing, and compiled
//! models evaluate identically from every data format.

use std::path::{Path, PathBuf};
use ternzk_compiler::data::{load, DataSpec};
use ternzk_compiler::dataset::Split;
use ternzk_compiler::evaluate::{accuracy_compiled_table, accuracy_dense_table};
use ternzk_compiler::input_fit;
use ternzk_compiler::{compile_file, load_dense, Calibration, CompileOptions, Density};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../models/fixtures/sklearn")
        .join(name)
}

fn table(name: &str) -> ternzk_compiler::data::Table {
    load(
        &DataSpec::new(fixture(name).display().to_string()),
        Split::Test,
    )
    .unwrap()
}

/// Dense float weights on 8-bit per-feature quantized inputs (fitted on the training
/// split) stay within 0.5 points of the float inputs' accuracy.
#[test]
fn quantized_inputs_cost_the_dense_model_under_half_a_point() {
    for name in ["digits", "breast-cancer"] {
        let dense = load_dense(&fixture(&format!("{name}-mlp.safetensors")), None).unwrap();
        let train = table(&format!("{name}-train.npz"));
        let test = table(&format!("{name}-test.safetensors"));
        let f = input_fit::fit(&train).unwrap();
        let mut deq = test.clone();
        deq.x = f.dequantize_rows(&f.quantize_rows(&test.x));
        let float = accuracy_dense_table(&dense, &test, &|_| {}).unwrap();
        let quant = accuracy_dense_table(&dense, &deq, &|_| {}).unwrap();
        assert!(
            (float - quant).abs() <= 0.005,
            "{name}: float {float}, quantized {quant}"
        );
    }
}

/// A compiled tabular model stores its quantizer (format version 2), reloads to the
/// same model, and scores the same on every copy of the test split.
#[test]
fn compiled_model_round_trips_and_scores_alike_on_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let opts = CompileOptions {
        density: Density::Uniform(0.5),
        calibration: Calibration::parse(fixture("breast-cancer-train.npz").to_str().unwrap())
            .unwrap(),
        ..CompileOptions::default()
    };
    let (_, m) = compile_file(&fixture("breast-cancer-mlp.safetensors"), &opts, &|_| {}).unwrap();
    let f = m.input.per_feature.as_ref().expect("per-feature quantizer");
    assert_eq!(f.n_in(), 30);
    let p = dir.path().join("bc.safetensors");
    m.save(&p).unwrap();
    let back = ternzk_compiler::CompiledModel::load(&p).unwrap();
    assert_eq!(back, m);
    let meta = safetensors::SafeTensors::read_metadata(&std::fs::read(&p).unwrap())
        .unwrap()
        .1;
    assert_eq!(meta.metadata().as_ref().unwrap()["format_version"], "2");
    let accs: Vec<f64> = [
        "breast-cancer-test.csv",
        "breast-cancer-test.safetensors",
        "breast-cancer-test.npz",
    ]
    .iter()
    .map(|n| accuracy_compiled_table(&m, &table(n), &|_| {}).unwrap())
    .collect();
    assert!(accs.iter().all(|&a| a == accs[0]), "{accs:?}");
    assert!(accs[0] > 0.9, "{accs:?}");
    // Evaluation quantizes per feature, exactly as `prove` does.
    let t = table("breast-cancer-test.csv");
    let q = m.input.quantize_rows(&t.x);
    assert_eq!(q[..30], f.quantize_rows(&t.x[..30])[..]);
    let pred = m.predict_batch(&q, t.len());
    let labels = t.labels.as_ref().unwrap();
    let ok = pred
        .iter()
        .zip(labels)
        .filter(|(p, l)| **p == **l as usize)
        .count();
    assert_eq!(accs[0], ok as f64 / t.len() as f64);
}

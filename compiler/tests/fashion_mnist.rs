//! Acceptance: the trained 784-256-256-10 model compiled at density 1/4 and 1/16
//! round-trips through the file format and the integer engine's accuracy on the
//! 10 000 Fashion-MNIST test images is printed next to the dense model's. Skipped
//! (with a printed reason) only when the data set is not installed.

use std::path::Path;
use ternzk_compiler::dataset::{
    fashion_mnist_available, fashion_mnist_dir, load_fashion_mnist, Split,
};
use ternzk_compiler::evaluate::{accuracy_compiled, accuracy_dense};
use ternzk_compiler::{compile_file, CompileOptions, CompiledModel, Density, ScaleMode, Support};

#[test]
fn trained_mlp_round_trips_at_density_quarter_and_sixteenth() {
    if !fashion_mnist_available() {
        eprintln!(
            "SKIPPED: Fashion-MNIST not found in {} (apt-get install dataset-fashion-mnist)",
            fashion_mnist_dir().display()
        );
        return;
    }
    let src =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/mlp-784-256-256-10.safetensors");
    let test = load_fashion_mnist(Split::Test).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // (density, support, scale mode, accuracy floor a little below what the
    // compiler reaches).
    for (d, support, mode, floor) in [
        (0.25, Support::Magnitude, ScaleMode::PerLayer, 0.70),
        (0.25, Support::Magnitude, ScaleMode::PerRow, 0.70),
        (0.0625, Support::Magnitude, ScaleMode::PerLayer, 0.45),
        (0.25, Support::Search, ScaleMode::PerRow, 0.87),
        (0.0625, Support::Search, ScaleMode::PerRow, 0.78),
    ] {
        let opts = CompileOptions {
            density: Density::Uniform(d),
            support,
            mode,
            ..CompileOptions::default()
        };
        let (dense, compiled) = compile_file(&src, &opts, &|_| {}).unwrap();
        let out = dir.path().join(format!("c-{d}.safetensors"));
        compiled.save(&out).unwrap();
        let back = CompiledModel::load(&out).unwrap();
        assert_eq!(back, compiled);
        let acc_d = accuracy_dense(&dense, &test, &|_| {}).unwrap();
        let acc_c = accuracy_compiled(&back, &test, &|_| {}).unwrap();
        println!(
            "density {d} {support:?} {mode:?}: nnz {} / {}; accuracy on 10k test images: dense {acc_d:.4}, compiled (integer) {acc_c:.4}",
            back.nnz(),
            back.params()
        );
        assert!(
            (acc_d - 0.8884).abs() < 1e-3,
            "dense accuracy {acc_d} differs from the recorded 0.8884"
        );
        assert!(acc_c > floor, "compiled accuracy {acc_c} below {floor}");
        let budget =
            (d * 784.0 * 256.0) as usize + (d * 256.0 * 256.0) as usize + (d * 2560.0) as usize;
        match support {
            Support::Magnitude => assert_eq!(back.nnz(), budget),
            Support::Search => assert!(back.nnz() <= budget),
        }
    }
}

//! `ternzk eval`: accuracy of a dense source model (float reference) or a compiled
//! model (integer engine, inputs quantized by the model's input quantizer) on a
//! labelled data set: Fashion-MNIST's test split or a data file.

use crate::compile::progress_bar;
use crate::data_args::{load_table, LabelArgs};
use std::path::PathBuf;
use ternzk_compiler::dataset::Split;
use ternzk_compiler::evaluate::{accuracy_compiled_table, accuracy_dense_table};
use ternzk_compiler::format::file_is_compiled;
use ternzk_compiler::{load_dense, CompiledModel};

/// Arguments of `ternzk eval`.
#[derive(clap::Args)]
pub struct Args {
    /// A dense `.safetensors` MLP or a compiled model (detected from its metadata).
    pub model: PathBuf,
    /// Data set: `fashion-mnist` (test split) or a `.safetensors` (x, y), `.npz` (x,
    /// y), `.npy` (with --labels) or `.csv` (header row, label column) file.
    #[arg(long, alias = "dataset", default_value = "fashion-mnist")]
    pub data: String,
    /// Label options for data files.
    #[command(flatten)]
    pub label: LabelArgs,
    /// Evaluate on the first N samples only.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Explicit layer order of a dense model (comma-separated tensor prefixes).
    #[arg(long, value_delimiter = ',')]
    pub layers: Option<Vec<String>>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `ternzk eval`.
pub fn run(args: Args) -> anyhow::Result<()> {
    // An ONNX graph is always a dense source model; only `.safetensors` can be compiled.
    let onnx = args
        .model
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("onnx"));
    let compiled = !onnx && file_is_compiled(&args.model)?;
    let mut ds = load_table(&args.data, &args.label, Split::Test)?;
    if let Some(n) = args.limit {
        ds.truncate(n);
    }
    let pb = progress_bar(ds.len() as u64, "evaluating");
    let (kind, acc, nnz, params) = if compiled {
        let m = CompiledModel::load(&args.model)?;
        let acc = accuracy_compiled_table(&m, &ds, &|n| pb.inc(n))?;
        ("compiled", acc, m.nnz(), m.params())
    } else {
        let m = load_dense(&args.model, args.layers.as_deref())?;
        let acc = accuracy_dense_table(&m, &ds, &|n| pb.inc(n))?;
        ("dense", acc, m.params(), m.params())
    };
    pb.finish_and_clear();
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "model": args.model.display().to_string(), "kind": kind, "dataset": args.data,
                "samples": ds.len(), "images": ds.len(), "accuracy": acc, "nnz": nnz, "params": params,
            })
        );
    } else {
        println!(
            "{} ({kind}, {nnz}/{params} weights): accuracy {acc:.4} on {} samples of {}",
            args.model.display(),
            ds.len(),
            args.data
        );
    }
    Ok(())
}

//! `ternzk eval`: accuracy of a dense source model (float reference) or a compiled
//! model (integer engine) on the Fashion-MNIST test split.

use crate::compile::progress_bar;
use std::path::PathBuf;
use ternzk_compiler::dataset::{load_fashion_mnist, Split};
use ternzk_compiler::evaluate::{accuracy_compiled, accuracy_dense};
use ternzk_compiler::format::file_is_compiled;
use ternzk_compiler::{load_dense, CompiledModel};

/// Arguments of `ternzk eval`.
#[derive(clap::Args)]
pub struct Args {
    /// A dense `.safetensors` MLP or a compiled model (detected from its metadata).
    pub model: PathBuf,
    /// Data set (test split).
    #[arg(long, default_value = "fashion-mnist")]
    pub dataset: String,
    /// Evaluate on the first N test images only.
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
    anyhow::ensure!(
        args.dataset == "fashion-mnist",
        "unknown data set `{}` (expected fashion-mnist)",
        args.dataset
    );
    let compiled = file_is_compiled(&args.model)?;
    let mut ds = load_fashion_mnist(Split::Test)?;
    if let Some(n) = args.limit {
        ds.truncate(n);
    }
    let pb = progress_bar(ds.len() as u64, "evaluating");
    let (kind, acc, nnz, params) = if compiled {
        let m = CompiledModel::load(&args.model)?;
        let acc = accuracy_compiled(&m, &ds, &|n| pb.inc(n))?;
        ("compiled", acc, m.nnz(), m.params())
    } else {
        let m = load_dense(&args.model, args.layers.as_deref())?;
        let acc = accuracy_dense(&m, &ds, &|n| pb.inc(n))?;
        ("dense", acc, m.params(), m.params())
    };
    pb.finish_and_clear();
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "model": args.model.display().to_string(), "kind": kind, "dataset": args.dataset,
                "images": ds.len(), "accuracy": acc, "nnz": nnz, "params": params,
            })
        );
    } else {
        println!(
            "{} ({kind}, {nnz}/{params} weights): accuracy {acc:.4} on {} {} test images",
            args.model.display(),
            ds.len(),
            args.dataset
        );
    }
    Ok(())
}

//! `ternzk compile`: dense `.safetensors` MLP → compiled ternary model, with the
//! accuracy it kept.

use crate::data_args::{load_table, LabelArgs};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;
use ternzk_compiler::data::FASHION_MNIST;
use ternzk_compiler::dataset::Split;
use ternzk_compiler::evaluate::{accuracy_compiled_table, accuracy_dense_table};
use ternzk_compiler::{
    compile_file, Calibration, CompileOptions, ScaleMode, SearchOptions, Support,
};

/// Arguments of `ternzk compile`.
#[derive(clap::Args)]
pub struct Args {
    /// Dense source model (PyTorch nn.Linear layout, f32/f16/bf16/f64).
    pub src: PathBuf,
    /// Where to write the compiled model (written atomically).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Fraction of weights kept: one value (`0.25`, `1/16`) for every layer, or a
    /// comma-separated list with one per layer. A maximum with `--support search`
    /// (the search drops weights whose removal lowers the error), exact with
    /// `--support magnitude`.
    #[arg(long, default_value = "0.25")]
    pub density: String,
    /// How each layer's ternary support is chosen: `search` (calibration-driven
    /// search from the magnitude support, the default) or `magnitude` (the largest
    /// |W| only).
    #[arg(long, default_value = "search")]
    pub support: String,
    /// Use one magnitude threshold over all layers (keeps DENSITY of all weights).
    #[arg(long)]
    pub global_density: bool,
    /// One ternary scale per output row of hidden layers (the default).
    #[arg(long, conflicts_with = "per_layer")]
    pub per_row: bool,
    /// One ternary scale per layer.
    #[arg(long)]
    pub per_layer: bool,
    /// Calibration data: `fashion-mnist` (training split), `uniform` (random u8
    /// images), or a data file (`.safetensors`, `.npz`, `.npy`, `.csv`; real values,
    /// labels ignored): the input quantizer is fitted on it, per feature.
    #[arg(long, default_value = "fashion-mnist")]
    pub calib: String,
    /// Number of calibration inputs.
    #[arg(long, default_value_t = 1000)]
    pub calib_samples: usize,
    /// Percentile of post-ReLU activations mapped to 255.
    #[arg(long, default_value_t = 99.99)]
    pub percentile: f64,
    /// Keep `α = mean|W|` of the kept weights and the source biases instead of
    /// refitting them by least squares on the calibration data.
    #[arg(long)]
    pub no_fit: bool,
    /// Explicit layer order: comma-separated tensor prefixes (`fc1,fc2,head`).
    #[arg(long, value_delimiter = ',')]
    pub layers: Option<Vec<String>>,
    /// Evaluate dense and compiled accuracy on this data set: `fashion-mnist` (test
    /// split; the default when calibrating on it) or a labelled data file.
    #[arg(long)]
    pub eval: Option<String>,
    /// Label options for the --eval data file.
    #[command(flatten)]
    pub label: LabelArgs,
    /// Skip the evaluation.
    #[arg(long, conflicts_with = "eval")]
    pub no_eval: bool,
    /// Evaluate on the first N samples only.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

pub use ternzk_api::options::parse_density;

/// A progress bar on stderr, shown only when stdout is a terminal.
pub fn progress_bar(len: u64, what: &str) -> ProgressBar {
    if !std::io::stdout().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} ({eta})") {
        pb.set_style(style);
    }
    pb.set_message(what.to_string());
    pb
}

/// Runs `ternzk compile`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let start = Instant::now();
    let density = parse_density(&args.density, args.global_density)?;
    let calibration = Calibration::parse(&args.calib)?;
    let opts = CompileOptions {
        density,
        support: Support::parse(&args.support)?,
        search: SearchOptions::default(),
        mode: if args.per_layer {
            ScaleMode::PerLayer
        } else {
            ScaleMode::PerRow
        },
        calibration,
        calib_samples: args.calib_samples,
        percentile: args.percentile,
        layers: args.layers.clone(),
        fit: !args.no_fit,
    };
    let eval = match (&args.eval, args.no_eval, &opts.calibration) {
        (_, true, _) => None,
        (Some(d), _, _) => Some(d.clone()),
        (None, _, Calibration::FashionMnist) => Some(FASHION_MNIST.to_string()),
        (None, _, _) => None,
    };
    // Load the evaluation data first: a bad data set fails before anything is written.
    let test_set = match &eval {
        Some(d) => {
            let mut ds = load_table(d, &args.label, Split::Test)?;
            if let Some(n) = args.limit {
                ds.truncate(n);
            }
            Some(ds)
        }
        None => None,
    };

    let pb = progress_bar(0, "calibrating");
    let (dense, compiled) = compile_file(&args.src, &opts, &|n| {
        pb.inc_length(n);
        pb.inc(n)
    })?;
    pb.finish_and_clear();
    let compile_seconds = start.elapsed().as_secs_f64();
    // Width and label range are checked before anything is written.
    if let Some(ds) = &test_set {
        ds.check_width(compiled.n_in())?;
        ds.check_labels(compiled.n_out())?;
    }
    let bytes_out = compiled.save(&args.output)?;
    let bytes_in = compiled.info.source_bytes;

    let (mut acc_dense, mut acc_compiled, mut n_eval) = (None, None, 0);
    if let Some(ds) = &test_set {
        n_eval = ds.len();
        let pb = progress_bar(2 * ds.len() as u64, "evaluating");
        acc_dense = Some(accuracy_dense_table(&dense, ds, &|n| pb.inc(n))?);
        acc_compiled = Some(accuracy_compiled_table(&compiled, ds, &|n| pb.inc(n))?);
        pb.finish_and_clear();
    }

    let nnz = compiled.nnz();
    let params = compiled.params();
    let layers: Vec<serde_json::Value> = compiled
        .layers
        .iter()
        .map(|l| {
            serde_json::json!({
                "name": l.name, "n_in": l.n_in(), "n_out": l.n_out(), "nnz": l.weights.nnz(),
                "k": l.k, "relu": l.relu,
            })
        })
        .collect();
    let report = serde_json::json!({
        "source": args.src.display().to_string(),
        "output": args.output.display().to_string(),
        "source_blake3": compiled.info.source_blake3,
        "density": nnz as f64 / params.max(1) as f64,
        "density_requested": compiled.info.density,
        "scale_mode": compiled.info.scale_mode,
        "support": opts.support.name(),
        "nnz": nnz,
        "params": params,
        "layers": layers,
        "calibration": compiled.info.calibration,
        "calib_samples": compiled.info.calib_samples,
        "eval_dataset": eval,
        "eval_images": n_eval,
        "eval_samples": n_eval,
        "input_quant": if compiled.input.per_feature.is_some() { "per-feature" } else { "pixel" },
        "accuracy_dense": acc_dense,
        "accuracy_compiled": acc_compiled,
        "bytes_in": bytes_in,
        "bytes_out": bytes_out,
        "compile_seconds": compile_seconds,
    });
    if args.json {
        println!("{report}");
    } else {
        println!(
            "compiled {} → {} ({} layers, {nnz} / {params} weights kept, density {:.4}, {bytes_in} → {bytes_out} bytes, {compile_seconds:.2} s)",
            args.src.display(),
            args.output.display(),
            compiled.layers.len(),
            nnz as f64 / params.max(1) as f64,
        );
        if let (Some(d), Some(c)) = (acc_dense, acc_compiled) {
            println!(
                "accuracy on {n_eval} samples of {}: dense {d:.4}, compiled (integer engine) {c:.4}",
                eval.as_deref().unwrap_or("?")
            );
        }
    }
    Ok(())
}

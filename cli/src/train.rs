//! `ternzk train` (feature `train`): dense MLP training on Fashion-MNIST or a data
//! file, and quantization-aware ternary fine-tuning (`--qat`) whose output `ternzk
//! compile` turns into an integer model with the same accuracy. See
//! `docs/training.md`.

use crate::compile::{parse_density, progress_bar};
use crate::data_args::{load_table, LabelArgs};
use anyhow::Context;
use std::collections::HashMap;
use std::path::PathBuf;
use ternzk_compiler::data::FASHION_MNIST;
use ternzk_compiler::dataset::Split;
use ternzk_compiler::{load_dense, ScaleMode};
use ternzk_models::train::{train_dense, train_qat, Data, Progress, QatConfig, TrainConfig};
use ternzk_models::{parse_arch, save_dense};

/// Arguments of `ternzk train`.
#[derive(clap::Args)]
pub struct Args {
    /// Training data: `fashion-mnist` (training split) or a labelled data file
    /// (`.safetensors`, `.npz`, `.npy` with --labels, `.csv`).
    #[arg(long, default_value = FASHION_MNIST)]
    pub data: String,
    /// Label options for the --data file.
    #[command(flatten)]
    pub label: LabelArgs,
    /// Test data (required with a --data file): `fashion-mnist` (test split) or a
    /// labelled data file.
    #[arg(long)]
    pub eval: Option<String>,
    /// Labels for a `.npy` --eval file.
    #[arg(long)]
    pub eval_labels: Option<PathBuf>,
    /// Calibration rows (the first N training rows), as `ternzk compile
    /// --calib-samples`; compile the QAT output with the same --calib and number.
    #[arg(long, default_value_t = 1000)]
    pub calib_samples: usize,
    /// Layer widths of a new dense model, input first (ignored with --qat).
    #[arg(long, default_value = "784-256-256-10")]
    pub arch: String,
    /// Passes over the 60 000 training images.
    #[arg(long, default_value_t = 10)]
    pub epochs: usize,
    /// Where to write the model (.safetensors, PyTorch nn.Linear layout, f32).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Quantization-aware ternary fine-tuning of the dense model given by --from.
    #[arg(long, requires = "from")]
    pub qat: bool,
    /// Dense source model for --qat.
    #[arg(long)]
    pub from: Option<PathBuf>,
    /// QAT target density, as for `ternzk compile --density` (`0.0625`, `1/16`, or one
    /// value per layer).
    #[arg(long, default_value = "1/4")]
    pub density: String,
    /// QAT: one magnitude threshold over all layers (as `ternzk compile --global-density`).
    #[arg(long)]
    pub global_density: bool,
    /// QAT: one ternary scale per output row of hidden layers (compile with --per-row).
    #[arg(long)]
    pub per_row: bool,
    /// QAT: do not simulate the integer engine's u8 activations.
    #[arg(long)]
    pub no_act_quant: bool,
    /// Images per minibatch.
    #[arg(long, default_value_t = 128)]
    pub batch_size: usize,
    /// Peak AdamW learning rate (cosine decay to 0).
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
    /// AdamW weight decay.
    #[arg(long, default_value_t = 1e-4)]
    pub weight_decay: f64,
    /// Seed for initialisation and shuffling.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Train on the first N training images only.
    #[arg(long)]
    pub limit_train: Option<usize>,
    /// Evaluate on the first N test images only.
    #[arg(long)]
    pub limit_test: Option<usize>,
    /// Print one JSON object instead of text (per-epoch lines go to stderr).
    #[arg(long)]
    pub json: bool,
}

/// The training and test data of `args` (one loader for every format), limited as
/// asked. A data file needs --eval; QAT on non-image data trains on quantized inputs.
fn load_data(args: &Args) -> anyhow::Result<Data> {
    let eval_is_builtin = matches!(args.eval.as_deref(), None | Some(FASHION_MNIST));
    if args.data == FASHION_MNIST && eval_is_builtin {
        return Data::fashion_mnist(args.limit_train, args.limit_test);
    }
    let eval = args
        .eval
        .as_deref()
        .context("training on a data file needs test data: --eval FILE")?;
    let mut train = load_table(&args.data, &args.label, Split::Train)?;
    let eval_labels = LabelArgs {
        labels: args.eval_labels.clone(),
        label_column: args.label.label_column.clone(),
    };
    let mut test = load_table(eval, &eval_labels, Split::Test)?;
    if let Some(n) = args.limit_train {
        train.truncate(n);
    }
    if let Some(n) = args.limit_test {
        test.truncate(n);
    }
    Data::from_tables(&train, &test, args.calib_samples, args.qat)
}

/// Runs `ternzk train`.
pub fn run(args: Args) -> anyhow::Result<()> {
    // Check the arguments before loading the data set.
    let dims = if args.qat {
        Vec::new()
    } else {
        parse_arch(&args.arch)?
    };
    let density = parse_density(&args.density, args.global_density)?;
    let source = match (&args.from, args.qat) {
        (Some(src), true) => Some(load_dense(src, None)?),
        _ => None,
    };
    let data = load_data(&args)?;
    let cfg = TrainConfig {
        epochs: args.epochs,
        batch_size: args.batch_size,
        lr: args.lr,
        weight_decay: args.weight_decay,
        seed: args.seed,
    };
    let steps = data.n_train().div_ceil(args.batch_size.max(1)) as u64;
    let pb = progress_bar(steps * args.epochs as u64, "training");
    let json = args.json;
    let mut progress = |p: Progress<'_>| match p {
        Progress::Step { loss, .. } => {
            pb.inc(1);
            pb.set_message(format!("loss {loss:.3}"));
        }
        Progress::Epoch(e) => {
            let line = match e.compiled_accuracy {
                Some(c) => format!(
                    "epoch {:>3}: loss {:.4}, test accuracy {:.4} (QAT forward), {:.4} (compiled, integer engine), {:.1} s",
                    e.epoch, e.train_loss, e.test_accuracy, c, e.seconds
                ),
                None => format!(
                    "epoch {:>3}: loss {:.4}, test accuracy {:.4}, {:.1} s",
                    e.epoch, e.train_loss, e.test_accuracy, e.seconds
                ),
            };
            pb.suspend(|| {
                if json {
                    eprintln!("{line}");
                } else {
                    println!("{line}");
                }
            });
        }
    };

    let mut meta = HashMap::new();
    meta.insert("format".to_string(), "pt".to_string());
    if args.qat {
        let src = args.from.as_ref().context("--qat needs --from")?;
        let dense = source.context("--qat needs --from")?;
        density.validate(dense.layers.len())?;
        let mode = if args.per_row {
            ScaleMode::PerRow
        } else {
            ScaleMode::PerLayer
        };
        let qcfg = QatConfig {
            train: cfg,
            density,
            mode,
            act_quant: !args.no_act_quant,
            ..QatConfig::default()
        };
        let (model, report) = train_qat(&dense, &data, &qcfg, &mut progress)?;
        pb.finish_and_clear();
        let mut compile_cmd = format!(
            "ternzk compile {} -o OUT.safetensors --density {}",
            args.output.display(),
            args.density
        );
        if args.data != FASHION_MNIST {
            compile_cmd.push_str(&format!(
                " --calib {} --calib-samples {}",
                args.data, args.calib_samples
            ));
        }
        if args.global_density {
            compile_cmd.push_str(" --global-density");
        }
        if args.per_row {
            compile_cmd.push_str(" --per-row");
        }
        let mut summary = serde_json::to_value(&report)?;
        summary["source"] = src.display().to_string().into();
        summary["output"] = args.output.display().to_string().into();
        summary["compile_command"] = compile_cmd.clone().into();
        meta.insert("ternzk_training".to_string(), summary.to_string());
        let bytes = save_dense(&model, &args.output, meta)?;
        summary["bytes_out"] = bytes.into();
        if json {
            println!("{summary}");
        } else {
            println!(
                "QAT {} → {} ({} / {} weights nonzero, {:.1} s)",
                src.display(),
                args.output.display(),
                report.nnz,
                report.params,
                report.train_seconds
            );
            println!(
                "test accuracy ({} samples): dense {:.4}, post-training ternary {:.4}, QAT forward {:.4}, compiled QAT model (integer engine) {:.4} ({} predictions differ)",
                report.n_test,
                report.dense_accuracy,
                report.ptq_accuracy,
                report.qat_accuracy,
                report.compiled_accuracy,
                report.disagreements
            );
            println!("compile it with: {compile_cmd}");
        }
    } else {
        let (model, report) = train_dense(&dims, &data, &cfg, &mut progress)?;
        pb.finish_and_clear();
        let mut summary = serde_json::to_value(&report)?;
        summary["output"] = args.output.display().to_string().into();
        meta.insert("ternzk_training".to_string(), summary.to_string());
        let bytes = save_dense(&model, &args.output, meta)?;
        summary["bytes_out"] = bytes.into();
        if json {
            println!("{summary}");
        } else {
            println!(
                "trained {} → {} ({} weights, {:.1} s): test accuracy {:.4} on {} images",
                args.arch,
                args.output.display(),
                report.params,
                report.train_seconds,
                report.test_accuracy,
                report.n_test
            );
        }
    }
    Ok(())
}

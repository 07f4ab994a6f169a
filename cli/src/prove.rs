//! `ternzk prove`: runs a compiled model on inputs and proves the output.

use crate::compile::progress_bar;
use crate::data_args::{load_table, LabelArgs};
use crate::proofio::{
    classes, dequantize_logits, load_compiled, parse_input_rows, quantize_json_inputs, write_atomic,
};
use anyhow::{ensure, Context};
use std::path::PathBuf;
use std::time::Instant;
use ternzk_api::files::ModelKey;
use ternzk_api::proving::KeyCache;
use ternzk_compiler::dataset::Split;
use ternzk_prover::mlp::MlpVk;

/// Arguments of `ternzk prove`.
#[derive(clap::Args)]
pub struct Args {
    /// A compiled model (output of `ternzk compile`).
    #[arg(long)]
    pub model: PathBuf,
    /// Its verifying key (from `ternzk commit`); without it the model is committed here.
    /// A hiding key (`ternzk commit --hiding`) makes the private-model proof: the
    /// weights, biases, multipliers and every activation stay hidden (with
    /// --private-input the input too); it needs the key's secret file (--secret).
    #[arg(long)]
    pub vk: Option<PathBuf>,
    /// The hiding key's secret blindings (default: the key's path with `.secret`
    /// appended, where `ternzk commit --hiding` writes them).
    #[arg(long, requires = "vk")]
    pub secret: Option<PathBuf>,
    /// Inputs as JSON: one array of real numbers, or an array of them (a batch),
    /// quantized with the model's input quantizer (a pixel model also takes u8 pixel
    /// values 0..=255 as they are).
    #[arg(long, conflicts_with = "data")]
    pub input: Option<PathBuf>,
    /// Take the inputs from a data set instead: `fashion-mnist` (test split) or a
    /// `.safetensors`, `.npz`, `.npy` or `.csv` file.
    #[arg(long, alias = "dataset")]
    pub data: Option<String>,
    /// Label options for the --data file (labels are reported beside the classes).
    #[command(flatten)]
    pub label: LabelArgs,
    /// First row (with --data).
    #[arg(long, default_value_t = 0)]
    pub index: usize,
    /// Number of consecutive rows proven together (with --data).
    #[arg(long, default_value_t = 1)]
    pub batch: usize,
    /// Make the zero-knowledge proof: the proof file holds a hiding commitment to the
    /// input instead of the input, and reveals nothing about the input or any
    /// activation; the model (its key) and the outputs stay public (with a hiding key,
    /// only the widths and the outputs are public: private-both mode). Proofs are
    /// randomized; proving costs about 11–14× the public proof at batch 1 and 3.1–3.6× at
    /// batch 256 for 784-256-256-10, 4.2–4.9× for 784-4096-4096-10 at batch 1
    /// (docs/protocol.md, "What is hidden"; docs/decisions.md).
    #[arg(long)]
    pub private_input: bool,
    /// Where to write the proof.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Prove this many times in this process and report the median run (1..=1000;
    /// the first run pays one-time costs, see docs/decisions.md).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub reps: u32,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `ternzk prove`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let model = load_compiled(&args.model)?;
    let n_in = model.n_in();
    let (inputs, batch, labels) = match (&args.input, &args.data) {
        (Some(path), _) => {
            ensure!(
                args.batch == 1 && args.index == 0,
                "--batch and --index go with --data; a JSON input file carries its own batch"
            );
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let (x, b) = parse_input_rows(&text, n_in)?;
            (quantize_json_inputs(&model, &x)?, b, None)
        }
        (None, Some(name)) => {
            ensure!(args.batch >= 1, "--batch must be at least 1");
            let ds = load_table(name, &args.label, Split::Test)?;
            ds.check_width(n_in)?;
            let rows = ds.slice(args.index, args.batch)?;
            let labels = match &rows.labels {
                Some(_) => Some(rows.check_labels(model.n_out())?.to_vec()),
                None => None,
            };
            (model.input.quantize_rows(&rows.x), args.batch, labels)
        }
        (None, None) => {
            anyhow::bail!("give the inputs: --input FILE.json or --data FILE (or fashion-mnist)")
        }
    };

    let pb = progress_bar(4, "proving");
    // The integer engine's answer and its time (median of 5 runs): the floor.
    let mut times = Vec::new();
    let mut expected = Vec::new();
    for _ in 0..5 {
        let t0 = Instant::now();
        expected = model.infer_batch_i32(&inputs, batch);
        times.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let infer_ms = times[2];
    pb.inc(1);

    let (key, commit_ms) = match &args.vk {
        Some(p) => (ternzk_api::files::load_model_key(p)?, None),
        None => {
            let key = crate::proofio::commit_key(&model);
            let t0 = Instant::now();
            let vk = MlpVk::commit(&model.mlp_layers(), &key)?;
            (ModelKey::Public(vk), Some(t0.elapsed().as_secs_f64() * 1e3))
        }
    };
    let secrets = match (&key, &args.vk) {
        (ModelKey::Hiding(k), Some(p)) => {
            let path = args
                .secret
                .clone()
                .unwrap_or_else(|| ternzk_api::files::default_secret_path(p));
            Some(ternzk_api::files::load_secrets(&path, k).with_context(|| {
                format!(
                    "a private-model proof needs the hiding key's secret file ({}; --secret)",
                    path.display()
                )
            })?)
        }
        _ => {
            ensure!(
                args.secret.is_none(),
                "--secret goes with a hiding key (`ternzk commit --hiding`)"
            );
            None
        }
    };
    // A model other than the committed one is refused here, before any proof.
    if let (ModelKey::Hiding(k), Some(s)) = (&key, &secrets) {
        ternzk_api::proving::check_opens(&model, k, s)?;
    }
    pb.inc(1);
    let t0 = Instant::now();
    let keys = KeyCache::default();
    match &key {
        ModelKey::Public(vk) => {
            keys.for_batch(vk, batch);
            if args.private_input {
                keys.mask_for_batch(vk, batch);
            }
        }
        ModelKey::Hiding(k) => {
            keys.for_hidden(k, batch);
            keys.mask_for_hidden(k, batch);
        }
    }
    let setup_ms = t0.elapsed().as_secs_f64() * 1e3;
    pb.inc(1);

    // Each repetition proves the same statement from scratch in this process; the
    // figures are the median run's (the first run also pays one-time costs: building
    // the generators' multiples tables, faulting in fresh memory).
    let mut runs = Vec::with_capacity(args.reps as usize);
    let mut last = None;
    for _ in 0..args.reps {
        let t0 = Instant::now();
        let (file, times) = match (&key, &secrets) {
            (ModelKey::Hiding(k), Some(s)) => ternzk_api::proving::prove_hidden(
                &model,
                k,
                s,
                &keys,
                &inputs,
                batch,
                args.private_input,
            )?,
            _ => {
                let ModelKey::Public(vk) = &key else {
                    anyhow::bail!("a hiding key needs its secret file (--secret)");
                };
                ternzk_api::proving::prove(&model, vk, &keys, &inputs, batch, args.private_input)?
            }
        };
        runs.push((t0.elapsed().as_secs_f64() * 1e3, times));
        // A zero-knowledge proof is randomized; a public one is deterministic.
        if let Some(f) = last.as_ref().filter(|_| !file.zero_knowledge()) {
            ensure!(
                f == &file,
                "internal error: two runs of the prover made different proofs"
            );
        }
        last = Some(file);
    }
    let file = last.expect("--reps is at least 1");
    let prove_ms_runs: Vec<f64> = runs.iter().map(|r| r.0).collect();
    let prove_ms_first = prove_ms_runs[0];
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (prove_ms, times) = runs.swap_remove(runs.len() / 2);
    pb.finish_and_clear();
    ensure!(
        file.statement().output == expected,
        "internal error: the proven output differs from the integer engine's"
    );
    let bytes = file.to_bytes();
    write_atomic(&args.output, &bytes)?;

    let n_out = model.n_out();
    let cls = classes(&expected, n_out);
    let output: Vec<Vec<i32>> = expected.chunks(n_out).map(|c| c.to_vec()).collect();
    let logits: Vec<Vec<f64>> = dequantize_logits(&model, &expected)
        .chunks(n_out)
        .map(|c| c.to_vec())
        .collect();
    let input_q: Vec<&[u8]> = inputs.chunks(n_in.max(1)).collect();
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "model": args.model.display().to_string(), "proof": args.output.display().to_string(),
                "batch": batch, "private_input": args.private_input,
                "mode": file.mode(), "zero_knowledge": file.zero_knowledge(),
                "simd": ternzk_prover::simd_path(),
                "prove_ms": prove_ms, "infer_ms": infer_ms, "prove_over_infer": prove_ms / infer_ms,
                "reps": args.reps, "prove_ms_first": prove_ms_first, "prove_ms_runs": prove_ms_runs,
                "commit_ms": commit_ms, "setup_ms": setup_ms, "proof_bytes": bytes.len(),
                "output": output, "logits": logits, "class": cls, "classes": cls, "labels": labels,
                "input_quantized": if args.private_input { None } else { Some(input_q) },
                "hidden": ternzk_api::proving::hidden_description(&file),
                "matches_engine": true, "peak_rss_mb": crate::proofio::peak_rss_mb(),
                "requant_checks": crate::proofio::checks_json(file.checks()),
                "breakdown_ms": if file.zero_knowledge() { serde_json::Value::Null } else { serde_json::json!({
                    "forward": times.forward_ms, "commit": times.commit_ms,
                    "lookup": times.lookup_ms, "linear": times.linear_ms,
                    "opening": times.opening_ms,
                }) },
            })
        );
    } else {
        let reps = if args.reps > 1 {
            format!(
                " (median of {} runs in this process; the first took {prove_ms_first:.1} ms)",
                args.reps
            )
        } else {
            String::new()
        };
        println!(
            "proved {batch} input(s) in {prove_ms:.1} ms{reps} (integer inference {infer_ms:.3} ms, SIMD {}); wrote {} ({} bytes)",
            ternzk_prover::simd_path(),
            args.output.display(),
            bytes.len()
        );
        println!("  {}", ternzk_api::proving::hidden_description(&file));
        let modes: Vec<String> = file
            .checks()
            .iter()
            .enumerate()
            .map(|(l, c)| format!("layer {l} {} (2^{} table)", c.mode(), c.bits()))
            .collect();
        println!("  requantization checks: {}", modes.join(", "));
        for (i, ((o, c), r)) in output.iter().zip(&cls).zip(&logits).enumerate().take(16) {
            let label = labels
                .as_ref()
                .map(|l| format!(", label {}", l[i]))
                .unwrap_or_default();
            let real: Vec<String> = r.iter().map(|v| format!("{v:.4}")).collect();
            println!(
                "  input {i}: class {c}{label}, logits {o:?} (real [{}])",
                real.join(", ")
            );
        }
        if batch > 16 {
            println!("  … {} more (use --json for all)", batch - 16);
        }
    }
    Ok(())
}

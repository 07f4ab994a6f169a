//! `ternzk commit`: the verifying key of a compiled model.

use crate::compile::progress_bar;
use crate::proofio::{commit_key, hex, load_compiled, write_atomic};
use std::path::PathBuf;
use std::time::Instant;
use ternzk_prover::mlp::MlpVk;

/// Arguments of `ternzk commit`.
#[derive(clap::Args)]
pub struct Args {
    /// A compiled model (output of `ternzk compile`).
    pub model: PathBuf,
    /// Where to write the key (default: the model's path with extension `.vk`).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `ternzk commit`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let model = load_compiled(&args.model)?;
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| args.model.with_extension("vk"));
    let pb = progress_bar(2, "committing");
    let t0 = Instant::now();
    let key = commit_key(&model);
    let setup_ms = t0.elapsed().as_secs_f64() * 1e3;
    pb.inc(1);
    let t0 = Instant::now();
    let vk = MlpVk::commit(&model.mlp_layers(), &key)?;
    let commit_ms = t0.elapsed().as_secs_f64() * 1e3;
    pb.finish_and_clear();
    let bytes = vk.to_bytes();
    write_atomic(&out, &bytes)?;
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "model": args.model.display().to_string(), "vk": out.display().to_string(),
                "vk_bytes": bytes.len(), "digest": hex(&vk.digest), "layers": vk.layers.len(),
                "nnz": model.nnz(), "setup_ms": setup_ms, "commit_ms": commit_ms, "peak_rss_mb": crate::proofio::peak_rss_mb(),
            })
        );
    } else {
        println!(
            "wrote {} ({} bytes, digest {}): {} layers, {} nonzero weights committed in {commit_ms:.1} ms (+{setup_ms:.1} ms generators)",
            out.display(),
            bytes.len(),
            hex(&vk.digest),
            vk.layers.len(),
            model.nnz()
        );
    }
    Ok(())
}

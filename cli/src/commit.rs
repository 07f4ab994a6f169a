//! `ternzk commit`: the verifying key of a compiled model — public, or hiding
//! (`--hiding`: a private-model key with its well-formedness proof, and the prover's
//! secret blindings in a separate file).

use crate::compile::progress_bar;
use crate::proofio::{commit_key, hex, load_compiled, write_atomic};
use anyhow::ensure;
use rand::SeedableRng;
use std::path::{Path, PathBuf};
use std::time::Instant;
use ternzk_compiler::CompiledModel;
use ternzk_prover::hiding_key::{HidingKey, HidingKeyGens};
use ternzk_prover::mlp::MlpVk;

/// Arguments of `ternzk commit`.
#[derive(clap::Args)]
pub struct Args {
    /// A compiled model (output of `ternzk compile`).
    pub model: PathBuf,
    /// Where to write the key (default: the model's path with extension `.vk`).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Write a hiding (private-model) key: it reveals only the layer widths, the
    /// requantization shifts and the input/output quantization, and carries a
    /// zero-knowledge proof that every committed weight is in {-1, 0, 1}. The
    /// blindings go to a separate secret file the prover keeps (see --secret).
    #[arg(long)]
    pub hiding: bool,
    /// Where to write the hiding key's secret blindings (default: the key's path with
    /// `.secret` appended). Keep it private; it is never part of the key.
    #[arg(long, requires = "hiding")]
    pub secret: Option<PathBuf>,
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
    if args.hiding {
        return run_hiding(&args, &model, &out);
    }
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

/// `ternzk commit --hiding`.
fn run_hiding(args: &Args, model: &CompiledModel, out: &Path) -> anyhow::Result<()> {
    let secret_path = args
        .secret
        .clone()
        .unwrap_or_else(|| ternzk_api::files::default_secret_path(out));
    ensure!(
        secret_path != out,
        "the secret file must not be the key file"
    );
    let pb = progress_bar(2, "committing (hiding)");
    let t_all = Instant::now();
    let layers = model.mlp_layers();
    let gens = HidingKeyGens::for_shapes(layers.iter().map(|l| (l.weights.n_in, l.weights.n_out)));
    let setup_ms = t_all.elapsed().as_secs_f64() * 1e3;
    pb.inc(1);
    let t0 = Instant::now();
    let mut rng = rand::rngs::StdRng::from_entropy();
    let (key, secrets) = HidingKey::commit(
        &layers,
        ternzk_api::proving::public_quant(model),
        &gens,
        &mut rng,
    )?;
    let commit_ms = t0.elapsed().as_secs_f64() * 1e3;
    let bytes = key.to_bytes();
    let secret_bytes = secrets.to_bytes();
    write_secret(&secret_path, &secret_bytes)?;
    write_atomic(out, &bytes)?;
    let total_ms = t_all.elapsed().as_secs_f64() * 1e3;
    pb.finish_and_clear();
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "model": args.model.display().to_string(), "vk": out.display().to_string(),
                "secret": secret_path.display().to_string(), "hiding": true,
                "vk_bytes": bytes.len(), "secret_bytes": secret_bytes.len(),
                "digest": hex(&key.digest), "layers": key.layers.len(),
                "widths": widths(&key), "quotient_bits": quotient_bits(&key),
                "nnz": model.nnz(),
                "setup_ms": setup_ms, "commit_ms": commit_ms, "total_ms": total_ms,
                "peak_rss_mb": crate::proofio::peak_rss_mb(),
            })
        );
    } else {
        println!(
            "wrote hiding key {} ({} bytes, digest {}): {} layers {:?}; weights, their pattern and count, biases and multipliers hidden; ternary-weights proof made; {commit_ms:.1} ms (+{setup_ms:.1} ms generators)",
            out.display(),
            bytes.len(),
            hex(&key.digest),
            key.layers.len(),
            widths(&key),
        );
        println!(
            "wrote the prover's secret blindings to {} ({} bytes): keep it private: it opens the key (`ternzk prove --vk KEY` finds it there, or give --secret)",
            secret_path.display(),
            secret_bytes.len()
        );
    }
    Ok(())
}

/// Layer widths, input first.
pub fn widths(key: &HidingKey) -> Vec<usize> {
    std::iter::once(key.n_in())
        .chain(key.layers.iter().map(|l| l.n_out))
        .collect()
}

/// Each hidden layer's quotient-table width (what a private-model proof looks up;
/// recorded in the key).
pub fn quotient_bits(key: &HidingKey) -> Vec<u32> {
    key.checks().iter().map(|c| c.bits()).collect()
}

/// Writes the secret file atomically, readable by its owner only (Unix).
fn write_secret(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_atomic(path, bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

//! `ternzk verify`: checks a proof file against a verifying key.

use crate::proofio::{classes, dequantize_logits, load_compiled, load_vk};
use anyhow::Context;
use std::path::PathBuf;
use std::time::Instant;
use ternzk_api::proving::hidden_description;
use ternzk_prover::hyrax::HyraxKey;
use ternzk_prover::mlp::{
    key_vars, mask_vars, verify, verify_zk, AnyProofFile, MaskKey, PublicInput, ZkKeys,
};

/// Arguments of `ternzk verify`.
#[derive(clap::Args)]
pub struct Args {
    /// The verifying key (output of `ternzk commit`).
    #[arg(long)]
    pub vk: PathBuf,
    /// The proof file (output of `ternzk prove`).
    #[arg(long)]
    pub proof: PathBuf,
    /// The compiled model (optional): its scales turn the proven integer logits into
    /// real-valued ones (`logits` in the JSON). The proof itself is checked against
    /// the verifying key only.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `ternzk verify`. Exit code 0 only if the proof is accepted.
pub fn run(args: Args) -> anyhow::Result<()> {
    let vk = load_vk(&args.vk)?;
    let model = args.model.as_deref().map(load_compiled).transpose()?;
    let bytes = std::fs::read(&args.proof)
        .with_context(|| format!("cannot read {}", args.proof.display()))?;
    let t0 = Instant::now();
    let decoded = AnyProofFile::from_bytes(&vk, &bytes);
    let decode_ms = t0.elapsed().as_secs_f64() * 1e3;
    let (result, setup_ms, verify_ms, file) = match decoded {
        Err(e) => (Err(e), 0.0, decode_ms, None),
        Ok(f) => {
            let t0 = Instant::now();
            let batch = f.statement().batch;
            let key = HyraxKey::new(key_vars(&vk, batch));
            let (r, setup_ms, t1) = match &f {
                AnyProofFile::Zk(z) => {
                    let mask = MaskKey::new(mask_vars(&vk, batch));
                    let setup_ms = t0.elapsed().as_secs_f64() * 1e3;
                    let t1 = Instant::now();
                    let keys = ZkKeys {
                        hyrax: &key,
                        mask: &mask,
                    };
                    (verify_zk(&vk, &keys, &z.statement, &z.proof), setup_ms, t1)
                }
                AnyProofFile::Public(p) => {
                    let setup_ms = t0.elapsed().as_secs_f64() * 1e3;
                    let t1 = Instant::now();
                    (verify(&vk, &key, &p.statement, &p.proof), setup_ms, t1)
                }
            };
            let t0 = t1;
            let verify_ms = decode_ms + t0.elapsed().as_secs_f64() * 1e3;
            (r, setup_ms, verify_ms, Some(f))
        }
    };
    let verified = result.is_ok();
    let n_out = vk.n_out();
    let output: Option<Vec<Vec<i32>>> = file.as_ref().filter(|_| verified).map(|f| {
        f.statement()
            .output
            .chunks(n_out)
            .map(|c| c.to_vec())
            .collect()
    });
    let cls = file
        .as_ref()
        .filter(|_| verified)
        .map(|f| classes(&f.statement().output, n_out));
    let logits: Option<Vec<Vec<f64>>> = match (&model, file.as_ref().filter(|_| verified)) {
        (Some(m), Some(f)) => Some(
            dequantize_logits(m, &f.statement().output)
                .chunks(n_out.max(1))
                .map(|c| c.to_vec())
                .collect(),
        ),
        _ => None,
    };
    let mode = file.as_ref().map(|f| f.mode());
    let zero_knowledge = file.as_ref().map(|f| f.zero_knowledge());
    let hidden = file.as_ref().map(hidden_description);
    let input_kind = file.as_ref().map(|f| match f.statement().input {
        PublicInput::Clear(_) => "clear",
        PublicInput::Committed(_) => "committed",
    });
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "verified": verified, "verify_ms": verify_ms, "setup_ms": setup_ms, "peak_rss_mb": crate::proofio::peak_rss_mb(),
                "proof_bytes": bytes.len(), "batch": file.as_ref().map(|f| f.statement().batch),
                "mode": mode, "zero_knowledge": zero_knowledge, "hidden": hidden,
                "input": input_kind, "output": output, "logits": logits, "class": cls, "classes": cls,
                "requant_checks": file.as_ref().map(|f| crate::proofio::checks_json(f.checks())),
                "error": result.as_ref().err().map(|e| e.to_string()),
                "check": result.as_ref().err().and_then(|e| e.check()).map(|c| c.name()),
            })
        );
    } else if let (Some(out), Some(cls)) = (&output, &cls) {
        println!(
            "ACCEPT: {} proves {} input(s) ({} mode), verified in {verify_ms:.1} ms (+{setup_ms:.1} ms generators)",
            args.proof.display(),
            out.len(),
            mode.unwrap_or("?")
        );
        println!("  {}", hidden.unwrap_or("?"));
        for (i, (o, c)) in out.iter().zip(cls).enumerate() {
            println!("  input {i}: class {c}, logits {o:?}");
        }
    }
    result.map_err(|e| anyhow::anyhow!("REJECT: {e}"))
}

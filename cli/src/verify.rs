//! `ternzk verify`: checks a proof file against a verifying key.

use crate::proofio::{classes, dequantize_logits, load_compiled};
use anyhow::Context;
use std::path::PathBuf;
use std::time::Instant;
use ternzk_api::files::{load_model_key, ModelKey};
use ternzk_api::proving::hidden_description;
use ternzk_prover::hyrax::HyraxKey;
use ternzk_prover::mlp::{
    key_vars, key_vars_hidden, mask_vars, mask_vars_hidden, verify, verify_private_model,
    verify_zk, AnyProofFile, MaskKey, PublicInput, ZkKeys,
};
use ternzk_prover::Error;

/// Arguments of `ternzk verify`.
#[derive(clap::Args)]
pub struct Args {
    /// The verifying key (output of `ternzk commit`), or a hiding key (`ternzk commit
    /// --hiding`) for a private-model proof — its well-formedness proof (every hidden
    /// weight in {-1, 0, 1}) is checked first, and the time reported as `key_check_ms`.
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
    let key = load_model_key(&args.vk)?;
    let model = args.model.as_deref().map(load_compiled).transpose()?;
    let bytes = std::fs::read(&args.proof)
        .with_context(|| format!("cannot read {}", args.proof.display()))?;
    // A hiding key is only as good as its well-formedness proof: check it first.
    let t0 = Instant::now();
    let key_check = match &key {
        ModelKey::Hiding(k) => Some(k.check(&k.gens())),
        ModelKey::Public(_) => None,
    };
    let key_check_ms = key_check.as_ref().map(|_| t0.elapsed().as_secs_f64() * 1e3);
    let t0 = Instant::now();
    let decoded = match (&key, &key_check) {
        (_, Some(Err(e))) => Err(e.clone()),
        (ModelKey::Public(vk), _) => AnyProofFile::from_bytes(vk, &bytes),
        (ModelKey::Hiding(k), _) => AnyProofFile::from_bytes_hidden(k, &bytes),
    };
    let decode_ms = t0.elapsed().as_secs_f64() * 1e3;
    let (result, setup_ms, verify_ms, file) = match decoded {
        Err(e) => (Err(e), 0.0, decode_ms, None),
        Ok(f) => {
            let t0 = Instant::now();
            let batch = f.statement().batch;
            let (r, setup_ms, t1) = match (&key, &f) {
                (ModelKey::Public(vk), AnyProofFile::Zk(z)) => {
                    let hyrax = HyraxKey::new(key_vars(vk, batch));
                    let mask = MaskKey::new(mask_vars(vk, batch));
                    let setup_ms = t0.elapsed().as_secs_f64() * 1e3;
                    let t1 = Instant::now();
                    let keys = ZkKeys {
                        hyrax: &hyrax,
                        mask: &mask,
                    };
                    (verify_zk(vk, &keys, &z.statement, &z.proof), setup_ms, t1)
                }
                (ModelKey::Public(vk), AnyProofFile::Public(p)) => {
                    let hyrax = HyraxKey::new(key_vars(vk, batch));
                    let setup_ms = t0.elapsed().as_secs_f64() * 1e3;
                    let t1 = Instant::now();
                    (verify(vk, &hyrax, &p.statement, &p.proof), setup_ms, t1)
                }
                (ModelKey::Hiding(k), AnyProofFile::PrivateModel(p)) => {
                    let hyrax = HyraxKey::new(key_vars_hidden(k, batch));
                    let mask = MaskKey::new(mask_vars_hidden(k, batch));
                    let setup_ms = t0.elapsed().as_secs_f64() * 1e3;
                    let t1 = Instant::now();
                    let keys = ZkKeys {
                        hyrax: &hyrax,
                        mask: &mask,
                    };
                    let r = verify_private_model(k, &keys, &p.statement, &p.proof);
                    (r, setup_ms, t1)
                }
                _ => (
                    Err(Error::Malformed(
                        "the proof file's kind does not match the key's".into(),
                    )),
                    0.0,
                    Instant::now(),
                ),
            };
            let t0 = t1;
            let verify_ms = decode_ms + t0.elapsed().as_secs_f64() * 1e3;
            (r, setup_ms, verify_ms, Some(f))
        }
    };
    let verified = result.is_ok();
    let n_out = key.n_out();
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
                "key_kind": match key { ModelKey::Public(_) => "public", ModelKey::Hiding(_) => "hiding" },
                "key_check_ms": key_check_ms,
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
        if let Some(ms) = key_check_ms {
            println!(
                "  the hiding key's well-formedness proof (every hidden weight in {{-1, 0, 1}}) checked in {ms:.1} ms"
            );
        }
        for (i, (o, c)) in out.iter().zip(cls).enumerate() {
            println!("  input {i}: class {c}, logits {o:?}");
        }
    }
    result.map_err(|e| anyhow::anyhow!("REJECT: {e}"))
}

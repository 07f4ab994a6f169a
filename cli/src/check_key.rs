//! `ternzk check-key`: checks a hiding (private-model) key's well-formedness proof —
//! every committed weight in {-1, 0, 1}, padding zero. Exit code 0 only on accept.

use crate::commit::{quotient_bits, widths};
use crate::proofio::hex;
use anyhow::{bail, Context};
use std::path::PathBuf;
use std::time::Instant;
use ternzk_prover::hiding_key::HidingKey;
use ternzk_prover::mlp::VK_MAGIC;

/// Arguments of `ternzk check-key`.
#[derive(clap::Args)]
pub struct Args {
    /// A hiding key (output of `ternzk commit --hiding`).
    pub key: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `ternzk check-key`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(&args.key).with_context(|| format!("cannot read {}", args.key.display()))?;
    if bytes.starts_with(VK_MAGIC) {
        bail!(
            "{} is a public verifying key: its weights are not hidden and it carries no well-formedness proof (check-key takes `ternzk commit --hiding` keys)",
            args.key.display()
        );
    }
    let t0 = Instant::now();
    let decoded = HidingKey::from_bytes(&bytes);
    let (result, key) = match decoded {
        Err(e) => (Err(e), None),
        Ok(k) => {
            let gens = k.gens();
            (k.check(&gens), Some(k))
        }
    };
    let check_ms = t0.elapsed().as_secs_f64() * 1e3;
    let accepted = result.is_ok();
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "key": args.key.display().to_string(), "accepted": accepted,
                "check_ms": check_ms, "key_bytes": bytes.len(),
                "digest": key.as_ref().map(|k| hex(&k.digest)),
                "widths": key.as_ref().map(widths),
                "quotient_bits": key.as_ref().map(quotient_bits),
                "error": result.as_ref().err().map(|e| e.to_string()),
                "check": result.as_ref().err().and_then(|e| e.check()).map(|c| c.name()),
            })
        );
    } else if let (true, Some(k)) = (accepted, &key) {
        println!(
            "ACCEPT: {} (digest {}) commits to a {}-layer model {:?} whose weights are all in {{-1, 0, 1}} with zero padding; checked in {check_ms:.1} ms",
            args.key.display(),
            hex(&k.digest),
            k.layers.len(),
            widths(k)
        );
    }
    result.map_err(|e| anyhow::anyhow!("REJECT: {e}"))
}

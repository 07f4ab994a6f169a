//! What the MLP commands print with `--json`, as typed records (only the fields
//! the report uses; others are ignored). The raw objects are kept too, in
//! [`super::runner::Step`].

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `ternzk compile --json`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Compiled {
    /// Nonzero weights kept.
    pub nnz: u64,
    /// Weights of the dense source.
    pub params: u64,
    /// Accuracy of the integer engine on the Fashion-MNIST test split (10k images).
    pub accuracy_compiled: Option<f64>,
    /// Wall time of the whole command, in seconds.
    pub compile_seconds: f64,
}

/// `ternzk eval --json`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Evaluated {
    /// Accuracy on `images` test images.
    pub accuracy: f64,
    /// Test images evaluated.
    pub images: u64,
    /// Nonzero weights.
    pub nnz: u64,
    /// Weights of the dense shape.
    pub params: u64,
}

/// `ternzk commit --json`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Committed {
    /// Committing the weights, in ms.
    pub commit_ms: f64,
    /// Deriving the generators, in ms.
    pub setup_ms: f64,
    /// Size of the verifying key.
    pub vk_bytes: u64,
    /// Peak resident memory of the process, MiB.
    pub peak_rss_mb: Option<f64>,
}

/// `ternzk prove --json`'s `breakdown_ms`: where the prover's time went.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct Breakdown {
    /// Integer forward pass and witness decomposition.
    pub forward: f64,
    /// Hyrax commitments to the witness.
    pub commit: f64,
    /// The batched LogUp argument.
    pub lookup: f64,
    /// Linear layers (`u = Tᵀ·e`, the sumchecks).
    pub linear: f64,
    /// Hyrax opening vectors.
    pub opening: f64,
}

impl Breakdown {
    /// The parts as `(key, label, ms)`, in prover order. Cost: O(1).
    pub fn parts(&self) -> [(&'static str, &'static str, f64); 5] {
        [
            ("forward", "forward pass and witness", self.forward),
            ("commit", "witness commitments", self.commit),
            ("lookup", "lookups (LogUp)", self.lookup),
            ("linear", "linear layers (sumchecks)", self.linear),
            ("opening", "openings", self.opening),
        ]
    }

    /// Sum of the parts, in ms. Cost: O(1).
    pub fn total(&self) -> f64 {
        self.parts().iter().map(|p| p.2).sum()
    }
}

/// `ternzk prove --json`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Proved {
    /// Inputs proven.
    pub batch: usize,
    /// Proving (generators excluded), in ms: with `--reps`, the median run's.
    pub prove_ms: f64,
    /// With `--reps`, the process's first run (which also pays one-time costs), in ms.
    #[serde(default)]
    pub prove_ms_first: Option<f64>,
    /// The integer engine on the same inputs (median of 5), in ms.
    pub infer_ms: f64,
    /// Deriving the generators, in ms.
    pub setup_ms: f64,
    /// Size of the proof file.
    pub proof_bytes: u64,
    /// Peak resident memory of the process, MiB.
    pub peak_rss_mb: Option<f64>,
    /// Where the time went (`null` for a zero-knowledge proof, which reports no
    /// breakdown: read as all zeros).
    #[serde(deserialize_with = "null_as_default")]
    pub breakdown_ms: Breakdown,
    /// Whether the proof is zero-knowledge (`--private-input`, or a hiding key).
    #[serde(default)]
    pub zero_knowledge: bool,
    /// The proof's mode (`public`, `private-input`, `private-model`,
    /// `private-both`), when the command prints it.
    #[serde(default)]
    pub mode: Option<String>,
}

/// Reads `null` as the type's default.
fn null_as_default<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// `ternzk verify --json`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Verified {
    /// Whether the proof was accepted.
    pub verified: bool,
    /// Decoding and verifying (generators excluded), in ms.
    pub verify_ms: f64,
    /// Deriving the generators, in ms.
    pub setup_ms: f64,
    /// Size of the proof file.
    pub proof_bytes: u64,
    /// Peak resident memory of the process, MiB.
    pub peak_rss_mb: Option<f64>,
    /// Whether the proof was zero-knowledge.
    #[serde(default)]
    pub zero_knowledge: bool,
    /// The proof's mode, when the command prints it.
    #[serde(default)]
    pub mode: Option<String>,
    /// Checking a hiding key's well-formedness proof (outside `verify_ms`), in ms;
    /// `None` for a public key.
    #[serde(default)]
    pub key_check_ms: Option<f64>,
}

/// Reads one record from a command's JSON object; `what` names it in errors.
/// Cost: O(size of the object).
pub fn parse<T: DeserializeOwned>(v: &Value, what: &str) -> Result<T> {
    T::deserialize(v).with_context(|| format!("unexpected JSON from {what}: {v}"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A `ternzk prove --json` object with the given timings.
    pub fn prove_json(batch: usize, prove_ms: f64, infer_ms: f64) -> Value {
        serde_json::json!({
            "model": "m.safetensors", "proof": "m.proof", "batch": batch,
            "private_input": false, "prove_ms": prove_ms, "infer_ms": infer_ms,
            "prove_over_infer": prove_ms / infer_ms, "commit_ms": null, "setup_ms": 20.0,
            "proof_bytes": 60_000 + 100 * batch, "output": [[1, 2]], "classes": [1],
            "labels": [9], "matches_engine": true, "peak_rss_mb": 50.0 + batch as f64,
            "breakdown_ms": {"forward": 0.1 * prove_ms, "commit": 0.2 * prove_ms,
                "lookup": 0.3 * prove_ms, "linear": 0.25 * prove_ms, "opening": 0.1 * prove_ms},
        })
    }

    /// A `ternzk verify --json` object.
    pub fn verify_json(verify_ms: f64) -> Value {
        serde_json::json!({
            "verified": true, "verify_ms": verify_ms, "setup_ms": 20.0, "peak_rss_mb": 30.0,
            "proof_bytes": 60_100, "batch": 1, "input": "clear", "output": [[1, 2]],
            "classes": [1], "error": null,
        })
    }

    #[test]
    fn parses_what_the_commands_print() {
        let p: Proved = parse(&prove_json(16, 100.0, 0.5), "prove").unwrap();
        assert_eq!(p.batch, 16);
        assert_eq!(p.proof_bytes, 61_600);
        assert!((p.breakdown_ms.total() - 95.0).abs() < 1e-9);
        let v: Verified = parse(&verify_json(12.0), "verify").unwrap();
        assert!(v.verified);
        let c: Compiled = parse(
            &serde_json::json!({"nnz": 16800, "params": 268800, "accuracy_compiled": 0.8862,
                "accuracy_dense": 0.9, "compile_seconds": 3.5, "layers": []}),
            "compile",
        )
        .unwrap();
        assert_eq!(c.accuracy_compiled, Some(0.8862));
        // A zero-knowledge proof prints no breakdown.
        let mut zk = prove_json(1, 300.0, 0.5);
        zk["breakdown_ms"] = Value::Null;
        zk["zero_knowledge"] = true.into();
        let p: Proved = parse(&zk, "prove").unwrap();
        assert!(p.zero_knowledge);
        assert_eq!(p.breakdown_ms, Breakdown::default());
        assert!(
            !parse::<Proved>(&prove_json(1, 3.0, 0.5), "prove")
                .unwrap()
                .zero_knowledge
        );
        let e = parse::<Evaluated>(&serde_json::json!({"accuracy": 0.5}), "eval").unwrap_err();
        assert!(format!("{e:#}").contains("unexpected JSON from eval"));
    }
}

//! The zero-knowledge rows of the MLP sections: the batch model's
//! `ternzk prove --private-input` proof (input and activations hidden) beside its
//! public proof, both measured in the same run on the same committed model — a table
//! in the ladder section ([`add_to_ladder`]), and the figures the EZKL comparison sets
//! beside EZKL ([`ZkSummary`]).

use super::super::markdown::{num, ratio};
use super::super::section::{Repro, Section, Table};
use super::ladder::metric;
use super::measure::{
    summarize_proves, summarize_verifies, ModelResult, ProveSummary, VerifySummary, ZkResult,
};
use super::plan::command_line;

/// The zero-knowledge proof's medians and the public proof's, of one model.
#[derive(Clone, Debug, PartialEq)]
pub struct ZkSummary {
    /// The zero-knowledge proofs.
    pub prove: ProveSummary,
    /// Their verifications.
    pub verify: VerifySummary,
    /// The public proofs of the same model (its ladder row).
    pub public_prove: ProveSummary,
    /// Their verifications.
    pub public_verify: VerifySummary,
}

impl ZkSummary {
    /// Summarizes `zk` beside `public`, the same model's ladder row. Cost: O(runs log runs).
    pub fn new(zk: &ZkResult, public: &ModelResult) -> Self {
        ZkSummary {
            prove: summarize_proves(&zk.proves),
            verify: summarize_verifies(&zk.verifies),
            public_prove: summarize_proves(&public.proves),
            public_verify: summarize_verifies(&public.verifies),
        }
    }

    /// Zero-knowledge prove ms ÷ public prove ms. Cost: O(1).
    pub fn prove_over_public(&self) -> f64 {
        self.prove.prove_ms / self.public_prove.prove_ms
    }

    /// Zero-knowledge verify ms ÷ public verify ms. Cost: O(1).
    pub fn verify_over_public(&self) -> f64 {
        self.verify.verify_ms / self.public_verify.verify_ms
    }

    /// Zero-knowledge proof bytes ÷ public proof bytes. Cost: O(1).
    pub fn bytes_over_public(&self) -> f64 {
        self.prove.proof_bytes as f64 / self.public_prove.proof_bytes as f64
    }
}

/// Appends to the ladder section the table "public vs zero-knowledge" of `public`'s
/// model, with its text, metrics (`<model>_zk_prove_ms`, `…_zk_verify_ms`,
/// `…_zk_proof_bytes` and the three `…_over_public` ratios) and commands. `runs`
/// says how the figures were taken. Cost: O(runs log runs).
pub fn add_to_ladder(s: &mut Section, public: &ModelResult, zk: &ZkResult, runs: &str) {
    let z = ZkSummary::new(zk, public);
    let spec = &public.spec;
    let name = spec.name();
    s.text.push_str(&format!(
        "\n\n**Zero-knowledge proof** of {} at density {} (second table): the same committed \
         model and test image 0 proven with `ternzk prove --private-input`, which hides the \
         input and every activation (the model and the logits stay public), and verified; \
         {runs}, in this same run, right after the ladder. Its ratios are to the public \
         row of the same model. Prove and verify ms exclude deriving the generators, as \
         above; proof bytes are the proof file's (the statement with the input's hiding \
         commitment in place of the input).",
        spec.arch,
        spec.density()
    ));
    let mut t = Table::new(&[
        "proof",
        "prove ms",
        "verify ms",
        "proof bytes",
        "prove peak MiB",
        "verify peak MiB",
        "prove ÷ public",
        "verify ÷ public",
        "bytes ÷ public",
    ]);
    t.caption = Some(format!(
        "{} at density {}: public and zero-knowledge proofs",
        spec.arch,
        spec.density()
    ));
    let opt = |v: Option<f64>| v.map_or("-".into(), num);
    let row = |label: &str, p: &ProveSummary, v: &VerifySummary, ratios: [String; 3]| {
        let [a, b, c] = ratios;
        vec![
            label.to_string(),
            num(p.prove_ms),
            num(v.verify_ms),
            p.proof_bytes.to_string(),
            opt(p.peak_rss_mb),
            opt(v.peak_rss_mb),
            a,
            b,
            c,
        ]
    };
    t.push(row(
        "public (input in the proof)",
        &z.public_prove,
        &z.public_verify,
        ["-".into(), "-".into(), "-".into()],
    ));
    t.push(row(
        "zero-knowledge (`--private-input`: input hidden)",
        &z.prove,
        &z.verify,
        [
            ratio(z.prove_over_public()),
            ratio(z.verify_over_public()),
            ratio(z.bytes_over_public()),
        ],
    ));
    s.tables.push(t);
    for (k, x) in [
        ("zk_prove_ms", z.prove.prove_ms),
        ("zk_verify_ms", z.verify.verify_ms),
        ("zk_proof_bytes", z.prove.proof_bytes as f64),
        ("zk_prove_over_public", z.prove_over_public()),
        ("zk_verify_over_public", z.verify_over_public()),
        ("zk_proof_bytes_over_public", z.bytes_over_public()),
    ] {
        s.metrics.insert(metric(&name, k), x);
    }
    let what = format!("{} at {}", spec.arch, spec.density());
    s.commands.push(Repro {
        what: format!("{what}: zero-knowledge prove ms, proof size, prove peak"),
        command: command_line(&spec.prove_zk_args(1)),
    });
    s.commands.push(Repro {
        what: format!("{what}: zero-knowledge verify ms, verify peak"),
        command: command_line(&spec.verify_zk_args(1)),
    });
}

#[cfg(test)]
mod tests {
    use super::super::ladder;
    use super::super::measure::tests::fake_results;

    #[test]
    fn the_ladder_gains_the_zero_knowledge_table() {
        let r = fake_results();
        let s = ladder::section(&r);
        assert_eq!(s.tables.len(), 2);
        let t = &s.tables[1];
        assert!(t
            .caption
            .as_deref()
            .unwrap()
            .starts_with("784-256-256-10 at density 1/16"));
        // Public: prove 20 ms (median of 30, 10, 20), verify 6 ms, 60,100 bytes.
        assert_eq!(t.rows[0][1], "20.0");
        assert_eq!(t.rows[0][3], "60100");
        // Zero-knowledge: prove 600 ms, verify 300 ms, 145,953 bytes.
        assert_eq!(t.rows[1][1], "600");
        assert_eq!(t.rows[1][2], "300");
        assert_eq!(t.rows[1][3], "145953");
        assert_eq!(t.rows[1][6], "30×");
        assert_eq!(t.rows[1][7], "50×");
        assert_eq!(t.rows[1][8], "2.4×");
        let m = &s.metrics;
        assert_eq!(m["mlp_784_256_256_10_d16_zk_prove_ms"], 600.0);
        assert_eq!(m["mlp_784_256_256_10_d16_zk_verify_ms"], 300.0);
        assert_eq!(m["mlp_784_256_256_10_d16_zk_prove_over_public"], 30.0);
        assert!(s
            .text
            .contains("**Zero-knowledge proof** of 784-256-256-10"));
        let last = &s.commands[s.commands.len() - 2..];
        assert!(last[0].command.ends_with("--private-input"));
        assert!(last[1].command.contains("-zk.proof"));
    }

    #[test]
    fn without_a_zero_knowledge_run_the_ladder_has_one_table() {
        let mut r = fake_results();
        r.zk = None;
        assert_eq!(ladder::section(&r).tables.len(), 1);
    }
}

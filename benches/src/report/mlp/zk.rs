//! The zero-knowledge rows of the MLP sections: the batch model's
//! `ternzk prove --private-input` proof (input and activations hidden), and its
//! private-model and private-both proofs against a hiding key (model hidden; model
//! and input hidden), beside its public proof, all measured in the same run on the
//! same model — a table
//! in the ladder section ([`add_to_ladder`]), and the figures the EZKL comparison sets
//! beside EZKL ([`ZkSummary`]).

use super::super::markdown::{num, ratio};
use super::super::section::{Repro, Section, Table};
use super::ladder::metric;
use super::measure::{
    summarize_proves, summarize_verifies, HiddenResult, ModelResult, ProveSummary, VerifySummary,
    ZkResult,
};
use super::plan::{command_line, ZkMode};

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
/// `…_zk_proof_bytes` and the three `…_over_public` ratios; the same with `pm` and
/// `pb` for the private-model and private-both rows of `hidden`, plus their
/// `…_key_check_ms` and `…_hiding_commit_ms`) and commands. `runs` says how the
/// figures were taken. Cost: O(runs log runs).
pub fn add_to_ladder(
    s: &mut Section,
    public: &ModelResult,
    zk: &ZkResult,
    hidden: Option<&HiddenResult>,
    runs: &str,
) {
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
    t.push(row(
        "public (input in the proof)",
        &z.public_prove,
        &z.public_verify,
        None,
    ));
    t.push(row(
        "zero-knowledge (`--private-input`: input hidden)",
        &z.prove,
        &z.verify,
        Some(&z),
    ));
    let mut rows = vec![("zk", z)];
    if let Some(h) = hidden {
        let pm = ZkSummary::new(&h.private_model, public);
        let pb = ZkSummary::new(&h.private_both, public);
        s.text.push_str(&format!(
            " The **private-model** row is proven against a hiding key (`ternzk commit \
             --hiding`, {} ms, {} bytes): it hides the weights, biases, multipliers and \
             every activation, while the input, the layer widths and the logits stay \
             public. The **private-both** row adds `--private-input` to it and hides the \
             input as well; only the layer widths and the logits stay public. Both are \
             measured like the private-input row (same model, same image, same runs, \
             right after it). Their verify ms exclude the check of the hiding key's \
             well-formedness proof, which `ternzk verify` runs first on every \
             verification: {} ms (private-model) and {} ms (private-both), median.",
            num(h.commit.commit_ms),
            h.commit.vk_bytes,
            pm.verify.key_check_ms.map_or("-".into(), num),
            pb.verify.key_check_ms.map_or("-".into(), num),
        ));
        t.push(row(
            "private-model (hiding key: model hidden)",
            &pm.prove,
            &pm.verify,
            Some(&pm),
        ));
        t.push(row(
            "private-both (hiding key + `--private-input`: model and input hidden)",
            &pb.prove,
            &pb.verify,
            Some(&pb),
        ));
        s.metrics
            .insert(metric(&name, "hiding_commit_ms"), h.commit.commit_ms);
        s.metrics
            .insert(metric(&name, "hiding_vk_bytes"), h.commit.vk_bytes as f64);
        rows.push(("pm", pm));
        rows.push(("pb", pb));
    }
    s.tables.push(t);
    for (key, z) in &rows {
        for (k, x) in [
            ("prove_ms", Some(z.prove.prove_ms)),
            ("verify_ms", Some(z.verify.verify_ms)),
            ("proof_bytes", Some(z.prove.proof_bytes as f64)),
            ("prove_over_public", Some(z.prove_over_public())),
            ("verify_over_public", Some(z.verify_over_public())),
            ("proof_bytes_over_public", Some(z.bytes_over_public())),
            ("key_check_ms", z.verify.key_check_ms),
        ] {
            if let Some(x) = x {
                s.metrics.insert(metric(&name, &format!("{key}_{k}")), x);
            }
        }
    }
    let what = format!("{} at {}", spec.arch, spec.density());
    let mut push = |step: &str, args: Vec<String>| {
        s.commands.push(Repro {
            what: format!("{what}: {step}"),
            command: command_line(&args),
        })
    };
    push(
        "zero-knowledge prove ms, proof size, prove peak",
        spec.prove_zk_args(1),
    );
    push(
        "zero-knowledge verify ms, verify peak",
        spec.verify_zk_args(1),
    );
    if hidden.is_some() {
        push("hiding key, commit ms", spec.commit_hiding_args());
        for mode in [ZkMode::PrivateModel, ZkMode::PrivateBoth] {
            let m = mode.name();
            push(
                &format!("{m} prove ms, proof size, prove peak"),
                spec.prove_mode_args(mode, 1),
            );
            push(
                &format!("{m} verify ms, key check ms, verify peak"),
                spec.verify_mode_args(mode, 1),
            );
        }
    }
}

/// One row of the table: `label`, the medians, and the ratios to the public row
/// (`-` for the public row itself, `ratios` `None`). Cost: O(1).
fn row(
    label: &str,
    p: &ProveSummary,
    v: &VerifySummary,
    ratios: Option<&ZkSummary>,
) -> Vec<String> {
    let opt = |v: Option<f64>| v.map_or("-".into(), num);
    let [a, b, c] = ratios.map_or(["-".into(), "-".into(), "-".into()], |z| {
        [
            ratio(z.prove_over_public()),
            ratio(z.verify_over_public()),
            ratio(z.bytes_over_public()),
        ]
    });
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
        // Private-model: prove 90 ms, verify 50 ms, 120,200 bytes.
        assert_eq!(t.rows.len(), 4);
        assert!(t.rows[2][0].starts_with("private-model"));
        assert_eq!(t.rows[2][1], "90.0");
        assert_eq!(t.rows[2][2], "50.0");
        assert_eq!(t.rows[2][3], "120200");
        assert_eq!(t.rows[2][6], "4.5×");
        // Private-both: prove 900 ms, verify 60 ms, 180,300 bytes.
        assert!(t.rows[3][0].starts_with("private-both"));
        assert_eq!(t.rows[3][1], "900");
        assert_eq!(t.rows[3][3], "180300");
        assert_eq!(t.rows[3][6], "45×");
        assert_eq!(t.rows[3][7], "10×");
        let m = &s.metrics;
        assert_eq!(m["mlp_784_256_256_10_d16_zk_prove_ms"], 600.0);
        assert_eq!(m["mlp_784_256_256_10_d16_zk_verify_ms"], 300.0);
        assert_eq!(m["mlp_784_256_256_10_d16_zk_prove_over_public"], 30.0);
        assert_eq!(m["mlp_784_256_256_10_d16_pm_prove_ms"], 90.0);
        assert_eq!(m["mlp_784_256_256_10_d16_pm_prove_over_public"], 4.5);
        assert_eq!(m["mlp_784_256_256_10_d16_pm_key_check_ms"], 57.0);
        assert_eq!(m["mlp_784_256_256_10_d16_pb_verify_ms"], 60.0);
        assert_eq!(m["mlp_784_256_256_10_d16_pb_verify_over_public"], 10.0);
        assert_eq!(m["mlp_784_256_256_10_d16_pb_key_check_ms"], 59.0);
        assert_eq!(m["mlp_784_256_256_10_d16_hiding_commit_ms"], 250.0);
        assert!(!m.contains_key("mlp_784_256_256_10_d16_zk_key_check_ms"));
        assert!(s
            .text
            .contains("**Zero-knowledge proof** of 784-256-256-10"));
        assert!(s.text.contains("**private-model** row"));
        assert!(s
            .text
            .contains("57.0 ms (private-model) and 59.0 ms (private-both)"));
        let last = &s.commands[s.commands.len() - 7..];
        assert!(last[0].command.ends_with("--private-input"));
        assert!(last[1].command.contains("-zk.proof"));
        assert!(last[2].command.starts_with("ternzk commit --hiding"));
        assert!(last[3].command.contains("-hiding.vk"));
        assert!(!last[3].command.contains("--private-input"));
        assert!(last[4].command.contains("-pm.proof"));
        assert!(last[5].command.ends_with("--private-input"));
        assert!(last[6].command.contains("-pb.proof"));
    }

    #[test]
    fn without_the_hidden_model_run_the_table_has_two_rows() {
        let mut r = fake_results();
        r.hidden = None;
        let s = ladder::section(&r);
        assert_eq!(s.tables[1].rows.len(), 2);
        assert!(!s.metrics.keys().any(|k| k.contains("_pm_")));
        assert!(s.commands.last().unwrap().command.contains("-zk.proof"));
    }

    #[test]
    fn without_a_zero_knowledge_run_the_ladder_has_one_table() {
        let mut r = fake_results();
        r.zk = None;
        assert_eq!(ladder::section(&r).tables.len(), 1);
    }
}

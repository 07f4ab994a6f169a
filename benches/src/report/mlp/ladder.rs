//! Section "MLP ladder": whole networks of growing size proven end to end —
//! accuracy, commit, prove (batch 1), verify, proof size, peak memory and the
//! prover's cost against the integer engine, one row per model and density.

use super::super::markdown::{num, ratio};
use super::super::section::{Plot, Repro, Section, Series, Table};
use super::measure::{summarize_proves, summarize_verifies, Results};
use super::plan::command_line;

/// Title of the section.
pub const TITLE: &str = "MLP ladder: proving whole networks";

/// A metric key made from a model name: `mlp_784_256_256_10_d16_<what>`.
/// Cost: O(length).
pub fn metric(name: &str, what: &str) -> String {
    format!("{}_{what}", name.replace('-', "_"))
}

/// Builds the section from the ladder's results. Cost: O(models).
pub fn section(r: &Results) -> Section {
    let mut text = format!(
        "Each model is compiled from its QAT source at its density (accuracy: the integer \
         engine on the 10,000 Fashion-MNIST test images), committed, then test image 0 is \
         proven (batch 1) and the proof verified. Every step is its own `ternzk` process, so \
         peak memory (VmHWM) is that step's alone. Prove and verify ms are {} of the \
         command listed below; commit is one run. Prove and verify ms exclude deriving the \
         Hyrax generators (`setup_ms` in the JSON). Inference is the integer engine on the \
         same input (median of 5, inside `ternzk prove`): the floor no prover can beat.",
        r.plan.runs()
    );
    if r.plan.reps == 1 {
        text.push_str(" Quick mode measures one model; the full report has the whole ladder.");
    }
    for (spec, why) in &r.skipped {
        text.push_str(&format!(
            "\n\n**Not measured:** {} at density {}: {why} (this row is skipped, not failed).",
            spec.arch,
            spec.density()
        ));
    }
    let mut s = Section {
        title: TITLE.into(),
        text,
        ..Default::default()
    };
    let mut t = Table::new(&[
        "model",
        "density",
        "nnz",
        "accuracy",
        "commit ms",
        "prove ms",
        "verify ms",
        "proof KiB",
        "prove peak MiB",
        "verify peak MiB",
        "inference ms",
        "prove ÷ inference",
    ]);
    let (mut prove_pts, mut verify_pts) = (Vec::new(), Vec::new());
    let opt = |v: Option<f64>| v.map_or("-".into(), num);
    for m in &r.models {
        let p = summarize_proves(&m.proves);
        let v = summarize_verifies(&m.verifies);
        let name = m.spec.name();
        t.push(vec![
            m.spec.arch.clone(),
            m.spec.density(),
            m.nnz.to_string(),
            m.accuracy.map_or("-".into(), |a| format!("{a:.4}")),
            num(m.commit.commit_ms),
            num(p.prove_ms),
            num(v.verify_ms),
            num(p.proof_bytes as f64 / 1024.0),
            opt(p.peak_rss_mb),
            opt(v.peak_rss_mb),
            num(p.infer_ms),
            ratio(p.prove_ms / p.infer_ms),
        ]);
        prove_pts.push((m.nnz as f64, p.prove_ms));
        verify_pts.push((m.nnz as f64, v.verify_ms));
        for (k, x) in [
            ("nnz", m.nnz as f64),
            ("commit_ms", m.commit.commit_ms),
            ("prove_ms", p.prove_ms),
            ("verify_ms", v.verify_ms),
            ("proof_bytes", p.proof_bytes as f64),
            ("infer_ms", p.infer_ms),
        ] {
            s.metrics.insert(metric(&name, k), x);
        }
        if let Some(a) = m.accuracy {
            s.metrics.insert(metric(&name, "accuracy"), a);
        }
        let what = format!("{} at {}", m.spec.arch, m.spec.density());
        for (step, args) in [
            ("nnz and accuracy", m.spec.prepare_args()),
            ("commit ms", m.spec.commit_args()),
            (
                "prove ms, proof size, prove peak, inference",
                m.spec.prove_args(1),
            ),
            ("verify ms, verify peak", m.spec.verify_args(1)),
        ] {
            s.commands.push(Repro {
                what: format!("{what}: {step}"),
                command: command_line(&args),
            });
        }
    }
    s.tables.push(t);
    if let (Some(zk), Some(m)) = (&r.zk, r.batch_model()) {
        super::zk::add_to_ladder(&mut s, m, zk, r.hidden.as_ref(), &r.plan.runs());
    }
    prove_pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    verify_pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    s.plots.push(Plot {
        file: "mlp-ladder.svg".into(),
        title: "MLP prove and verify time against nonzero weights (batch 1)".into(),
        x_label: "nonzero weights (nnz)".into(),
        y_label: "ms".into(),
        log_x: true,
        log_y: true,
        series: vec![
            Series::line("prove", prove_pts),
            Series::line("verify", verify_pts),
        ],
    });
    s
}

#[cfg(test)]
mod tests {
    use super::super::measure::tests::fake_results;
    use super::*;

    #[test]
    fn one_row_per_model_with_medians_and_commands() {
        let r = fake_results();
        let s = section(&r);
        let rows = &s.tables[0].rows;
        assert_eq!(rows.len(), 2);
        // 784-256-256-10 at 1/16: prove runs 30, 10, 20 ms → median 20; inference 0.5.
        let row = &rows[1];
        assert_eq!(row[0], "784-256-256-10");
        assert_eq!(row[1], "1/16");
        assert_eq!(row[2], "16800");
        assert_eq!(row[3], "0.8862");
        assert_eq!(row[5], "20.0");
        assert_eq!(row[6], "6.00");
        assert_eq!(row[11], "40×");
        assert_eq!(s.metrics["mlp_784_256_256_10_d16_prove_ms"], 20.0);
        assert_eq!(
            s.commands.len(),
            15,
            "two models × 4, then the private-input pair, the hiding commit and the \
             private-model and private-both pairs"
        );
        assert!(s.commands[4].command.starts_with("ternzk compile models/"));
        assert!(s
            .text
            .contains("**Not measured:** 784-4096-4096-10 at density 1/16"));
        let prove = &s.plots[0].series[0].points;
        assert!(prove[0].0 < prove[1].0, "points in nnz order");
    }
}

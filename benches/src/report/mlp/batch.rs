//! Section "Batch throughput (MLP)": one proof for B test images of the batch
//! model, for growing B, and the goal for batch 256: cost per input at most
//! 1/20 of the single-input proof.

use super::super::markdown::num;
use super::super::section::{Plot, Repro, Section, Series, Style, Table};
use super::measure::{summarize_proves, summarize_verifies, Results};
use super::outputs::Proved;
use super::plan::command_line;

/// The batch the goal is stated for.
pub const GOAL_BATCH: usize = 256;

/// The goal: per-input cost at [`GOAL_BATCH`] at most this fraction of batch 1's.
pub const GOAL_FRACTION: f64 = 1.0 / 20.0;

/// `1/x` for a fraction `f` of batch 1's cost: `1/37`, `1/2.5`. Cost: O(1).
pub fn fraction(f: f64) -> String {
    let x = 1.0 / f;
    if x >= 10.0 {
        format!("1/{x:.0}")
    } else {
        format!("1/{x:.1}")
    }
}

/// The sentence on the goal, given `(batch, per-input ÷ single-input)` of the
/// largest batch measured. Cost: O(1).
pub fn verdict(largest: Option<(usize, f64)>) -> String {
    let goal = format!(
        "Goal (issue 4): a batch of {GOAL_BATCH} costs at most {} of the single-input proof \
         per input",
        fraction(GOAL_FRACTION)
    );
    match largest {
        Some((b, f)) if b == GOAL_BATCH => {
            if f <= GOAL_FRACTION {
                format!("{goal}: **met** (measured {}).", fraction(f))
            } else {
                format!(
                    "{goal}: **not met** (measured {}, {:.1}× over).",
                    fraction(f),
                    f / GOAL_FRACTION
                )
            }
        }
        Some((b, f)) => format!(
            "{goal}: not measured in this run (largest batch {b}: {} per input).",
            fraction(f)
        ),
        None => format!("{goal}: not measured in this run."),
    }
}

/// The median of the processes' first-proof times, if the commands reported them.
fn first_proof_ms(proves: &[Proved]) -> Option<f64> {
    let mut v: Vec<f64> = proves.iter().filter_map(|p| p.prove_ms_first).collect();
    (!v.is_empty()).then(|| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    })
}

/// Builds the section. Cost: O(batches).
pub fn section(r: &Results) -> Section {
    let spec = &r.plan.batch_model;
    let mut s = Section {
        title: format!(
            "Batch throughput (MLP {} at density {})",
            spec.arch,
            spec.density()
        ),
        ..Default::default()
    };
    let mut t = Table::new(&[
        "batch",
        "prove ms",
        "ms per input",
        "proofs/s",
        "inputs/s",
        "per input ÷ batch 1",
        "first proof ms",
        "proof bytes",
        "verify ms",
        "prove peak MiB",
    ]);
    let mut per_input = Vec::new();
    let mut single = None;
    let mut largest = None;
    for b in &r.batches {
        let p = summarize_proves(&b.proves);
        let v = summarize_verifies(&b.verifies);
        let per = p.prove_ms / b.batch as f64;
        let base = *single.get_or_insert(p.prove_ms);
        let f = per / base;
        t.push(vec![
            b.batch.to_string(),
            num(p.prove_ms),
            num(per),
            num(1e3 / p.prove_ms),
            num(1e3 * b.batch as f64 / p.prove_ms),
            fraction(f),
            first_proof_ms(&b.proves).map_or("-".into(), num),
            p.proof_bytes.to_string(),
            num(v.verify_ms),
            p.peak_rss_mb.map_or("-".into(), num),
        ]);
        per_input.push((b.batch as f64, per));
        largest = Some((b.batch, f));
        s.metrics
            .insert(format!("mlp_batch{}_prove_ms", b.batch), p.prove_ms);
        s.metrics
            .insert(format!("mlp_batch{}_ms_per_input", b.batch), per);
        s.commands.push(Repro {
            what: format!("batch {}: prove", b.batch),
            command: command_line(&spec.prove_args_reps(b.batch, r.plan.in_process)),
        });
        s.commands.push(Repro {
            what: format!("batch {}: verify", b.batch),
            command: command_line(&spec.verify_args(b.batch)),
        });
    }
    if let Some((b, f)) = largest.filter(|&(b, _)| b == GOAL_BATCH) {
        s.metrics
            .insert(format!("mlp_batch{b}_per_input_over_single"), f);
    }
    s.text = format!(
        "One `ternzk prove --reps {reps}` for test images 0..B of {} (compiled and committed \
         as in the ladder: first two commands below), {} of each command. Each command \
         proves the same batch {reps} times in one process and reports its median run, so \
         every batch size, batch 1 included, is measured the same way: as a prover that \
         proves batch after batch. A process's first proof also builds the generators' \
         multiples tables (public data, like the generators) and faults in fresh memory; \
         its time is the \"first proof ms\" column (median over the commands), not used for \
         the ratios. Proofs per second = 1000 / prove ms; inputs per second = B × \
         that.\n\n{}",
        spec.name(),
        r.plan.runs(),
        verdict(largest),
        reps = r.plan.in_process,
    );
    s.commands.splice(
        0..0,
        [
            Repro {
                what: "the compiled model".into(),
                command: command_line(&spec.prepare_args()),
            },
            Repro {
                what: "its verifying key".into(),
                command: command_line(&spec.commit_args()),
            },
        ],
    );
    s.tables.push(t);
    let goal_line = single.map(|base| {
        let xs = per_input.iter().map(|p| p.0);
        let (lo, hi) = (
            xs.clone().fold(f64::INFINITY, f64::min),
            xs.fold(0.0, f64::max),
        );
        Series {
            name: format!("goal: {} of batch 1", fraction(GOAL_FRACTION)),
            points: vec![(lo, base * GOAL_FRACTION), (hi, base * GOAL_FRACTION)],
            style: Style::Dashed,
        }
    });
    s.plots.push(Plot {
        file: "mlp-batch-per-input.svg".into(),
        title: format!("MLP {}: prove ms per input against batch size", spec.arch),
        x_label: "inputs per proof (batch)".into(),
        y_label: "prove ms per input".into(),
        log_x: true,
        log_y: false,
        series: std::iter::once(Series::line("prove per input", per_input))
            .chain(goal_line)
            .collect(),
    });
    s
}

#[cfg(test)]
mod tests {
    use super::super::measure::tests::fake_results;
    use super::*;

    #[test]
    fn per_input_cost_and_the_goal() {
        let s = section(&fake_results());
        let rows = &s.tables[0].rows;
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0][1], "20.0");
        // Batch 256: 20 + 128 = 148 ms, 0.578 ms per input, 1/34.6 of 20 ms.
        assert_eq!(rows[3][1], "148");
        assert_eq!(rows[3][2], "0.578");
        assert_eq!(rows[3][5], "1/35");
        assert!(s.text.contains("**met** (measured 1/35)"), "{}", s.text);
        assert!((s.metrics["mlp_batch256_per_input_over_single"] - 0.578125 / 20.0).abs() < 1e-12);
        assert!(s.commands[0].command.starts_with("ternzk compile"));
        assert!(s.commands.last().unwrap().command.contains("-b256.proof"));
        assert_eq!(s.plots[0].series.len(), 2);
        // The fake commands report no first run; the batch commands carry --reps.
        assert_eq!(rows[3][6], "-");
        assert!(
            s.commands[2].command.ends_with("--reps 11"),
            "{}",
            s.commands[2].command
        );
        assert!(s.text.contains("`ternzk prove --reps 11`"));
    }

    #[test]
    fn first_proofs_are_shown_by_their_median() {
        let mut r = fake_results();
        let one = r.batches[3].proves[0].clone();
        r.batches[3].proves = [300.0, 100.0, 200.0]
            .map(|t| Proved {
                prove_ms_first: Some(t),
                ..one.clone()
            })
            .to_vec();
        let s = section(&r);
        assert_eq!(s.tables[0].rows[3][6], "200");
        assert_eq!(first_proof_ms(&r.batches[0].proves), None);
    }

    #[test]
    fn verdicts() {
        assert!(verdict(Some((256, 0.1))).contains("**not met** (measured 1/10, 2.0× over)"));
        assert!(verdict(Some((256, 0.04))).contains("**met** (measured 1/25)"));
        assert!(verdict(Some((16, 0.2)))
            .contains("not measured in this run (largest batch 16: 1/5.0 per input)"));
        assert!(verdict(None).ends_with("not measured in this run."));
    }
}

//! Section "Where the prover's time goes": the prover's own timing of its phases
//! (`breakdown_ms` of `ternzk prove --json`) for the batch model at batch 1 and at
//! the largest batch measured, as ms and shares of the prove time.

use super::super::markdown::num;
use super::super::section::{Repro, Section, Table};
use super::measure::{summarize_proves, ProveSummary, Results};
use super::plan::command_line;

/// The rows: `(label, ms)` per phase, then the remainder outside the timed phases,
/// then the total (the prove time). Cost: O(1).
pub fn rows(p: &ProveSummary) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = p
        .breakdown
        .parts()
        .iter()
        .map(|&(_, label, ms)| (label.to_string(), ms))
        .collect();
    out.push((
        "other (outside the timed phases)".into(),
        (p.prove_ms - p.breakdown.total()).max(0.0),
    ));
    out.push(("total prove".into(), p.prove_ms));
    out
}

/// A share of `total` as a percentage with one decimal (`42.1%`). Cost: O(1).
pub fn percent(part: f64, total: f64) -> String {
    format!("{:.1}%", 100.0 * part / total)
}

/// Builds the section. Cost: O(batches).
pub fn section(r: &Results) -> Section {
    let spec = &r.plan.batch_model;
    let mut s = Section {
        title: format!(
            "Where the prover's time goes (MLP {} at density {})",
            spec.arch,
            spec.density()
        ),
        ..Default::default()
    };
    let first = r.batches.first();
    let last = r.batches.last().filter(|b| b.batch > 1);
    let measured: Vec<_> = first.into_iter().chain(last).collect();
    let mut headers = vec!["phase".to_string()];
    let mut columns = Vec::new();
    for b in &measured {
        let p = summarize_proves(&b.proves);
        headers.push(format!("batch {} ms", b.batch));
        headers.push(format!("batch {} share", b.batch));
        for (key, _, ms) in p.breakdown.parts() {
            s.metrics
                .insert(format!("mlp_batch{}_{key}_ms", b.batch), ms);
        }
        s.commands.push(Repro {
            what: format!("batch {} (`breakdown_ms` in its JSON)", b.batch),
            command: command_line(&spec.prove_args_reps(b.batch, r.plan.in_process)),
        });
        columns.push(p);
    }
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut t = Table::new(&headers);
    let tables: Vec<Vec<(String, f64)>> = columns.iter().map(rows).collect();
    if let Some(labels) = tables.first() {
        for (i, (label, _)) in labels.iter().enumerate() {
            let mut row = vec![label.clone()];
            for (p, col) in columns.iter().zip(&tables) {
                row.push(num(col[i].1));
                row.push(percent(col[i].1, p.prove_ms));
            }
            t.push(row);
        }
    }
    s.tables.push(t);
    let dominant = |p: &ProveSummary| {
        p.breakdown
            .parts()
            .into_iter()
            .max_by(|a, b| a.2.total_cmp(&b.2))
            .map(|(_, label, ms)| format!("{label} ({})", percent(ms, p.prove_ms)))
            .unwrap_or_default()
    };
    let summary: Vec<String> = measured
        .iter()
        .zip(&columns)
        .map(|(b, p)| format!("at batch {} the largest phase is {}", b.batch, dominant(p)))
        .collect();
    s.text = format!(
        "The prover's own timing of its phases (`breakdown_ms` in `ternzk prove --json`), \
         for the run with the median prove time of each command below. Phases: the integer \
         forward pass and witness decomposition; Hyrax commitments to the witness; the \
         batched LogUp lookups (range and ReLU-clamp tables, multiplicity commitments \
         included); the linear layers (`u = Tᵀ·e` and the sumchecks); the Hyrax openings. \
         Shares are of the total prove time{}. In short, {}.",
        if last.is_none() {
            " (only batch 1 was measured)"
        } else {
            ""
        },
        summary.join("; ")
    );
    s
}

#[cfg(test)]
mod tests {
    use super::super::measure::tests::fake_results;
    use super::*;

    #[test]
    fn phases_with_shares_at_batch_1_and_256() {
        let s = section(&fake_results());
        let t = &s.tables[0];
        assert_eq!(
            t.headers,
            [
                "phase",
                "batch 1 ms",
                "batch 1 share",
                "batch 256 ms",
                "batch 256 share"
            ]
        );
        // Median batch-1 run: 20 ms, lookups 30% of it; 5% outside the phases.
        assert_eq!(
            t.rows[2],
            ["lookups (LogUp)", "6.00", "30.0%", "44.4", "30.0%"]
        );
        assert_eq!(t.rows[5][0], "other (outside the timed phases)");
        assert_eq!(t.rows[5][2], "5.0%");
        assert_eq!(
            t.rows[6],
            ["total prove", "20.0", "100.0%", "148", "100.0%"]
        );
        assert!(s
            .text
            .contains("at batch 256 the largest phase is lookups (LogUp) (30.0%)"));
        assert_eq!(s.metrics["mlp_batch1_lookup_ms"], 6.0);
        assert_eq!(s.commands.len(), 2);
    }
}

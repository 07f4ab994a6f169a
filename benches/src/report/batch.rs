//! Section "batch throughput": one `ternary-sparse` proof for a batch of inputs
//! (`Y = W·X`), for growing batches. The weight work (`u = Wᵀ·eq(r)`) is shared by
//! the batch, so the cost per input falls as the batch grows.

use super::markdown::{num, ratio};
use super::measure::Measurement;
use super::section::{Plot, Repro, Section, Series, Table};
use crate::matvec::{Config, Method};
use anyhow::{ensure, Result};
use std::time::Duration;

/// What the section measures.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The matrix is `size × size`.
    pub size: usize,
    /// Its density.
    pub density: f64,
    /// Batch sizes (inputs per proof).
    pub batches: Vec<usize>,
    /// Repetitions per timed step.
    pub reps: usize,
    /// Time budget per timed step.
    pub budget: Duration,
    /// Seed of the matrix and inputs.
    pub seed: u64,
}

impl Plan {
    /// Batches 1, 4, 16, 64, 256 at `size × size`, density 1/16. Cost: O(1).
    pub fn new(size: usize, reps: usize, budget: Duration, seed: u64) -> Self {
        Plan {
            size,
            density: 1.0 / 16.0,
            batches: vec![1, 4, 16, 64, 256],
            reps,
            budget,
            seed,
        }
    }

    /// One `ternary-sparse` measurement per batch size. Cost: O(batches).
    pub fn configs(&self) -> Vec<Config> {
        self.batches
            .iter()
            .map(|&b| Config {
                rows: self.size,
                cols: self.size,
                density: self.density,
                batch: b,
                methods: vec![Method::TernarySparse],
                reps: self.reps,
                budget: self.budget,
                seed: self.seed,
            })
            .collect()
    }
}

/// Builds the section from the measurements of [`Plan::configs`], in that order.
/// Cost: O(batches).
pub fn section(plan: &Plan, runs: &[Measurement]) -> Result<Section> {
    ensure!(
        runs.len() == plan.batches.len(),
        "batch section: expected {} measurements, got {}",
        plan.batches.len(),
        runs.len()
    );
    let n = plan.size;
    let mut s = Section {
        title: format!(
            "Batch throughput: {n}×{n} ternary mat-vec, density {}",
            plan.density
        ),
        text: format!(
            "One `ternary-sparse` proof for a batch of B inputs (`Y = W·X`, seed {}, medians of \
             up to {} repetitions). Proofs per second = 1000 / prove ms; inputs per second = B × \
             that. The plain column is the integer product of the whole batch (the floor).",
            plan.seed, plan.reps
        ),
        ..Default::default()
    };
    let mut t = Table::new(&[
        "batch",
        "prove ms",
        "proofs/s",
        "inputs/s",
        "prove ms per input",
        "per input ÷ batch 1",
        "plain ms per input",
        "×plain",
        "verify ms",
    ]);
    let mut per_input = Vec::new();
    let mut plain_per_input = Vec::new();
    let mut throughput = Vec::new();
    let mut single = None;
    for (m, &b) in runs.iter().zip(&plan.batches) {
        let Some(ts) = m.method("ternary-sparse") else {
            continue;
        };
        let per = ts.prove_ms / b as f64;
        let base = *single.get_or_insert(per);
        let plain = m.report.plain_matvec_ms;
        t.push(vec![
            b.to_string(),
            num(ts.prove_ms),
            num(1e3 / ts.prove_ms),
            num(1e3 * b as f64 / ts.prove_ms),
            num(per),
            format!("1/{}", num(base / per)),
            num(plain / b as f64),
            ratio(ts.prove_ms / plain),
            num(ts.verify_ms),
        ]);
        per_input.push((b as f64, per));
        plain_per_input.push((b as f64, plain / b as f64));
        throughput.push((b as f64, 1e3 * b as f64 / ts.prove_ms));
        s.metrics.insert(format!("batch{b}_prove_ms"), ts.prove_ms);
        s.metrics.insert(format!("batch{b}_ms_per_input"), per);
        s.commands.push(Repro {
            what: format!("batch {b}"),
            command: m.command.clone(),
        });
    }
    s.tables.push(t);
    s.plots.push(Plot {
        file: "batch-per-input.svg".into(),
        title: format!("Cost per input against batch size, {n}×{n}"),
        x_label: "inputs per proof (batch)".into(),
        y_label: "ms per input".into(),
        log_x: true,
        log_y: true,
        series: vec![
            Series::line("ternary-sparse prove", per_input),
            Series::line("plain integer mat-vec", plain_per_input),
        ],
    });
    s.plots.push(Plot {
        file: "batch-throughput.svg".into(),
        title: format!("Inputs proven per second against batch size, {n}×{n}"),
        x_label: "inputs per proof (batch)".into(),
        y_label: "inputs proven per second".into(),
        log_x: true,
        log_y: true,
        series: vec![Series::line("ternary-sparse", throughput)],
    });
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::fake_measurement;

    #[test]
    fn per_input_cost_and_throughput() {
        let p = Plan::new(64, 3, Duration::from_secs(1), 42);
        assert_eq!(p.configs()[4].batch, 256);
        // prove = 4 ms + 0.01 ms per input.
        let runs: Vec<Measurement> = p
            .configs()
            .iter()
            .map(|c| fake_measurement(c, |_| 4.0 + 0.01 * c.batch as f64))
            .collect();
        let s = section(&p, &runs).unwrap();
        let rows = &s.tables[0].rows;
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[0][1], "4.01");
        assert_eq!(rows[4][3], "39024"); // 1000·256 / 6.56
        assert_eq!(rows[4][5], "1/156"); // 4.01 / (6.56 / 256)
        assert_eq!(s.plots.len(), 2);
        assert!(s.commands[2].command.contains("--batch 16"));
    }
}

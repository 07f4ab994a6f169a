//! Section "mat-vec prove time against density": one `n×n` ternary matrix per
//! density, proven by every method beside the plain integer mat-vec.
//!
//! `dense-gkr` runs in its own measurement with one repetition: at 4096² a run
//! takes about 10 s and 3.5 GiB and its cost does not depend on density (it proves
//! the densified circuit). It is still measured at every density rather than
//! copied, so its column also shows the run-to-run spread.

use super::markdown::{num, ratio};
use super::measure::Measurement;
use super::section::{Plot, Repro, Section, Series, Table};
use crate::matvec::{Config, Method};
use anyhow::{ensure, Context, Result};
use std::time::Duration;

/// What the section measures.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The matrix is `size × size`.
    pub size: usize,
    /// Densities as `(label, value)`, e.g. `("1/16", 0.0625)`.
    pub densities: Vec<(String, f64)>,
    /// Repetitions of every method but `dense-gkr` (which gets one).
    pub reps: usize,
    /// Time budget per timed step.
    pub budget: Duration,
    /// Seed of the matrices and inputs.
    pub seed: u64,
}

/// The density at which the ratio table is computed.
pub const RATIO_DENSITY: f64 = 1.0 / 16.0;

const METHODS: [Method; 3] = [Method::TernarySparse, Method::Sparse, Method::DenseSumcheck];

impl Plan {
    /// 1, 1/2, 1/4, 1/8, 1/16, 1/64 at `size × size`. Cost: O(1).
    pub fn new(size: usize, reps: usize, budget: Duration, seed: u64) -> Self {
        let densities = [1u32, 2, 4, 8, 16, 64]
            .iter()
            .map(|&d| {
                let label = if d == 1 { "1".into() } else { format!("1/{d}") };
                (label, 1.0 / d as f64)
            })
            .collect();
        Plan {
            size,
            densities,
            reps,
            budget,
            seed,
        }
    }

    /// The measurements, two per density: every method but `dense-gkr` with
    /// `reps` repetitions, then `dense-gkr` alone with one. Cost: O(densities).
    pub fn configs(&self) -> Vec<Config> {
        let mut out = Vec::new();
        for &(_, density) in &self.densities {
            let base = Config {
                rows: self.size,
                cols: self.size,
                density,
                batch: 1,
                methods: METHODS.to_vec(),
                reps: self.reps,
                budget: self.budget,
                seed: self.seed,
            };
            out.push(Config {
                methods: vec![Method::DenseGkr],
                reps: 1,
                ..base.clone()
            });
            out.insert(out.len() - 1, base);
        }
        out
    }
}

/// Builds the section from the measurements of [`Plan::configs`], in that order.
/// Cost: O(densities).
pub fn section(plan: &Plan, runs: &[Measurement]) -> Result<Section> {
    ensure!(
        runs.len() == 2 * plan.densities.len(),
        "density section: expected {} measurements, got {}",
        2 * plan.densities.len(),
        runs.len()
    );
    let n = plan.size;
    let mut s = Section {
        title: format!("Mat-vec {n}×{n}: prove time against density"),
        text: format!(
            "The statement `y = W·x` for one random ternary {n}×{n} matrix per density (seed {}), \
             proven by each method in one process beside the plain integer mat-vec — the floor, \
             the CSR kernel the integer inference engine runs. Prove times include computing `y` \
             and are medians of up to {} repetitions (a step stops repeating after {} s); \
             `dense-sumcheck` and `dense-gkr` prove the densified matrix, so their cost does not \
             follow the density. **`dense-gkr` is measured once per density (reps = 1)**: a run \
             at 4096² takes about 10 s and 3.5 GiB, and its cost does not depend on density; it \
             is measured at every density anyway, so its column also shows the run-to-run \
             spread. Column definitions: `docs/decisions.md`.",
            plan.seed,
            plan.reps,
            plan.budget.as_secs_f64()
        ),
        ..Default::default()
    };
    let mut t = Table::new(&[
        "density",
        "nnz",
        "plain ms",
        "ternary-sparse ms",
        "sparse ms",
        "dense-sumcheck ms",
        "dense-gkr ms",
        "ternary ×plain",
        "ternary verify ms",
        "proof KiB",
    ]);
    let mut series: Vec<Series> = Method::PUBLIC
        .iter()
        .map(|m| Series::line(m.name(), Vec::new()))
        .collect();
    series.push(Series::line("plain integer mat-vec", Vec::new()));
    for ((label, density), pair) in plan.densities.iter().zip(runs.chunks(2)) {
        let (main, gkr) = (&pair[0], &pair[1]);
        let r = &main.report;
        let ternary = main
            .method("ternary-sparse")
            .context("density section: ternary-sparse missing")?;
        let prove = |m: Method| {
            if m == Method::DenseGkr {
                gkr.prove_ms(m.name())
            } else {
                main.prove_ms(m.name())
            }
        };
        let cell = |m: Method| prove(m).map_or("-".into(), num);
        t.push(vec![
            label.clone(),
            r.nnz.to_string(),
            num(r.plain_matvec_ms),
            cell(Method::TernarySparse),
            cell(Method::Sparse),
            cell(Method::DenseSumcheck),
            cell(Method::DenseGkr),
            ratio(ternary.prove_ms / r.plain_matvec_ms),
            num(ternary.verify_ms),
            num(ternary.proof_bytes as f64 / 1024.0),
        ]);
        for (i, m) in Method::PUBLIC.iter().enumerate() {
            if let Some(ms) = prove(*m) {
                series[i].points.push((*density, ms));
            }
        }
        series[4].points.push((*density, r.plain_matvec_ms));
        s.commands.push(Repro {
            what: format!("density {label}, all methods but dense-gkr, plain mat-vec"),
            command: main.command.clone(),
        });
        s.commands.push(Repro {
            what: format!("density {label}, dense-gkr"),
            command: gkr.command.clone(),
        });
        if (*density - RATIO_DENSITY).abs() < 1e-12 {
            ratio_table(&mut s, main, gkr)?;
        }
    }
    s.tables.insert(0, t);
    s.plots.push(Plot {
        file: "matvec-density.svg".into(),
        title: format!("Prove time against density, {n}×{n} ternary mat-vec"),
        x_label: "density (fraction of nonzero weights)".into(),
        y_label: "prove time (ms)".into(),
        log_x: true,
        log_y: true,
        series,
    });
    Ok(s)
}

/// The ratio table at density 1/16, with the targets of `reports/matvec-4096.md`.
fn ratio_table(s: &mut Section, main: &Measurement, gkr: &Measurement) -> Result<()> {
    let ts = main
        .prove_ms("ternary-sparse")
        .context("ternary-sparse missing")?;
    let plain = main.report.plain_matvec_ms;
    let mut t = Table::new(&["comparison at density 1/16", "ratio", "target", "met"]);
    t.caption = Some("Ratios at density 1/16 (prove times of the same matrix)".into());
    let mut row =
        |s: &mut Section, what: &str, key: &str, v: Option<f64>, target: Option<(bool, f64)>| {
            let Some(v) = v else { return };
            let (target_cell, met) = match target {
                Some((at_least, goal)) => {
                    let met = if at_least { v >= goal } else { v <= goal };
                    let sign = if at_least { "≥" } else { "≤" };
                    (
                        format!("{sign} {}", ratio(goal)),
                        if met { "yes" } else { "no" },
                    )
                }
                None => ("-".into(), "-"),
            };
            t.push(vec![what.into(), ratio(v), target_cell, met.into()]);
            s.metrics.insert(key.into(), v);
        };
    let over = |other: Option<f64>| other.map(|o| o / ts);
    row(
        s,
        "dense-gkr prove ÷ ternary-sparse prove",
        "d16_dense_gkr_over_ternary",
        over(gkr.prove_ms("dense-gkr")),
        Some((true, 500.0)),
    );
    row(
        s,
        "dense-sumcheck prove ÷ ternary-sparse prove",
        "d16_dense_sumcheck_over_ternary",
        over(main.prove_ms("dense-sumcheck")),
        Some((true, 20.0)),
    );
    row(
        s,
        "sparse prove ÷ ternary-sparse prove",
        "d16_sparse_over_ternary",
        over(main.prove_ms("sparse")),
        None,
    );
    row(
        s,
        "ternary-sparse prove ÷ plain integer mat-vec",
        "d16_ternary_over_plain",
        Some(ts / plain),
        Some((false, 20.0)),
    );
    s.metrics.insert("d16_ternary_prove_ms".into(), ts);
    s.tables.push(t);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::fake_measurement;

    #[test]
    fn plans_two_measurements_per_density() {
        let p = Plan::new(512, 3, Duration::from_secs(2), 42);
        let c = p.configs();
        assert_eq!(c.len(), 12);
        assert_eq!(c[0].methods.len(), 3);
        assert_eq!(c[1].methods, vec![Method::DenseGkr]);
        assert_eq!((c[1].reps, c[0].reps), (1, 3));
        assert_eq!(c[9].density, 1.0 / 16.0);
        assert_eq!(p.densities[5].0, "1/64");
    }

    #[test]
    fn builds_tables_ratios_and_plot() {
        let p = Plan::new(64, 3, Duration::from_secs(2), 42);
        let runs: Vec<Measurement> = p
            .configs()
            .iter()
            .map(|c| {
                fake_measurement(c, |m| match m {
                    Method::TernarySparse => 2.0,
                    Method::TernaryZk => 40.0,
                    Method::Sparse => 10.0,
                    Method::DenseSumcheck => 100.0,
                    Method::DenseGkr => 2000.0,
                })
            })
            .collect();
        let s = section(&p, &runs).unwrap();
        assert_eq!(s.tables.len(), 2);
        assert_eq!(s.tables[0].rows.len(), 6);
        assert_eq!(s.tables[0].rows[4][0], "1/16");
        assert_eq!(s.tables[0].rows[4][6], "2000");
        assert_eq!(s.metrics["d16_dense_gkr_over_ternary"], 1000.0);
        assert_eq!(s.tables[1].rows[0][1], "1000×");
        assert_eq!(s.tables[1].rows[0][3], "yes");
        assert_eq!(
            s.tables[1].rows[3][0],
            "ternary-sparse prove ÷ plain integer mat-vec"
        );
        assert_eq!(s.commands.len(), 12);
        assert!(s.commands[1]
            .command
            .contains("--methods dense-gkr --reps 1"));
        assert_eq!(s.plots[0].series.len(), 5);
        assert!(s.plots[0].series.iter().all(|x| x.points.len() == 6));
    }
}

//! Section "prove time against nnz": `n×n` ternary matrices at one density for a
//! range of `n`, proven by `ternary-sparse`, and the exponent `e` of the
//! least-squares fit `ln(prove_ms) = a + e·ln(nnz)` over the points at or above a
//! minimum prove time (below it, fixed costs dominate and say nothing about
//! scaling). Linear-time proving means `e ≈ 1`; the goal is `e ≤ 1.1`.

use super::fit::{power_law, PowerFit};
use super::markdown::{num, ratio};
use super::measure::Measurement;
use super::section::{Plot, Repro, Section, Series, Style, Table};
use crate::matvec::{Config, Method};
use anyhow::{ensure, Result};
use std::time::Duration;

/// What the section measures.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Matrix sizes `n` (each matrix is `n×n`).
    pub sizes: Vec<usize>,
    /// Density of every matrix.
    pub density: f64,
    /// Repetitions per timed step.
    pub reps: usize,
    /// Time budget per timed step.
    pub budget: Duration,
    /// Seed of the matrices and inputs.
    pub seed: u64,
    /// Points proving faster than this (ms) are shown but not fitted.
    pub min_fit_ms: f64,
    /// The exponent goal (`e ≤ goal`).
    pub goal: f64,
}

impl Plan {
    /// `n = 2^lo … 2^hi` at density 1/16, fitted over points ≥ 1 ms against the
    /// goal `e ≤ 1.1`. Cost: O(hi - lo).
    pub fn new(lo: u32, hi: u32, reps: usize, budget: Duration, seed: u64) -> Self {
        Plan {
            sizes: (lo..=hi).map(|k| 1usize << k).collect(),
            density: 1.0 / 16.0,
            reps,
            budget,
            seed,
            min_fit_ms: 1.0,
            goal: 1.1,
        }
    }

    /// One `ternary-sparse` measurement per size. Cost: O(sizes).
    pub fn configs(&self) -> Vec<Config> {
        self.sizes
            .iter()
            .map(|&n| Config {
                rows: n,
                cols: n,
                density: self.density,
                batch: 1,
                methods: vec![Method::TernarySparse],
                reps: self.reps,
                budget: self.budget,
                seed: self.seed,
            })
            .collect()
    }
}

/// The fit over the `(nnz, prove_ms)` points with `prove_ms ≥ min_ms`.
/// Cost: O(points).
pub fn fit_exponent(points: &[(f64, f64)], min_ms: f64) -> Option<PowerFit> {
    let kept: Vec<(f64, f64)> = points.iter().copied().filter(|p| p.1 >= min_ms).collect();
    power_law(&kept)
}

/// One sentence on the fit and the goal, e.g. "… e = 1.03 … goal e ≤ 1.1: **met**
/// (margin 0.07)". Cost: O(1).
pub fn verdict(fit: Option<&PowerFit>, goal: f64, min_ms: f64) -> String {
    match fit {
        Some(f) => {
            let gap = f.exponent - goal;
            let outcome = if gap <= 0.0 {
                format!("**met** (margin {:.2})", -gap)
            } else {
                format!("**not met** (over by {gap:.2})")
            };
            format!(
                "Fitted exponent: **e = {:.3}** (`ln(prove_ms) = a + e·ln(nnz)`, least squares \
                 over the {} points with prove time ≥ {min_ms} ms, a = {:.3}, r² = {:.4}). \
                 Goal e ≤ {goal}: {outcome}.",
                f.exponent, f.points, f.intercept, f.r2
            )
        }
        None => format!(
            "Fitted exponent: none — fewer than two points with prove time ≥ {min_ms} ms \
             (goal e ≤ {goal} not evaluated)."
        ),
    }
}

/// Builds the section from the measurements of [`Plan::configs`], in that order.
/// Cost: O(sizes).
pub fn section(plan: &Plan, runs: &[Measurement]) -> Result<Section> {
    ensure!(
        runs.len() == plan.sizes.len(),
        "scaling section: expected {} measurements, got {}",
        plan.sizes.len(),
        runs.len()
    );
    let points: Vec<(f64, f64)> = runs
        .iter()
        .filter_map(|m| Some((m.report.nnz as f64, m.prove_ms("ternary-sparse")?)))
        .collect();
    let fit = fit_exponent(&points, plan.min_fit_ms);
    let (lo, hi) = (plan.sizes[0], plan.sizes[plan.sizes.len() - 1]);
    let mut s = Section {
        title: "Prove time against nnz (ternary-sparse)".into(),
        text: format!(
            "`ternary-sparse` proving `y = W·x` for random ternary n×n matrices, n = {lo} … {hi}, \
             density {} (seed {}; medians of up to {} repetitions). Points below {} ms are \
             dominated by fixed costs and are plotted but not fitted.\n\n{}",
            plan.density,
            plan.seed,
            plan.reps,
            plan.min_fit_ms,
            verdict(fit.as_ref(), plan.goal, plan.min_fit_ms)
        ),
        ..Default::default()
    };
    let mut t = Table::new(&[
        "n",
        "nnz",
        "prove ms",
        "verify ms",
        "commit ms",
        "plain ms",
        "×plain",
        "fitted",
    ]);
    for (m, &n) in runs.iter().zip(&plan.sizes) {
        let r = &m.report;
        let Some(ts) = m.method("ternary-sparse") else {
            continue;
        };
        t.push(vec![
            n.to_string(),
            r.nnz.to_string(),
            num(ts.prove_ms),
            num(ts.verify_ms),
            num(ts.commit_ms),
            num(r.plain_matvec_ms),
            ratio(ts.prove_ms / r.plain_matvec_ms),
            if ts.prove_ms >= plan.min_fit_ms {
                "yes"
            } else {
                "no"
            }
            .into(),
        ]);
        s.commands.push(Repro {
            what: format!("n = {n}"),
            command: m.command.clone(),
        });
    }
    s.tables.push(t);
    let (fitted, unfitted): (Vec<_>, Vec<_>) = points.iter().partition(|p| p.1 >= plan.min_fit_ms);
    let mut series = vec![
        Series {
            name: "ternary-sparse prove (fitted)".into(),
            points: fitted.clone(),
            style: Style::Markers,
        },
        Series {
            name: format!("prove < {} ms (not fitted)", plan.min_fit_ms),
            points: unfitted,
            style: Style::Markers,
        },
    ];
    if let Some(f) = &fit {
        s.metrics.insert("nnz_exponent".into(), f.exponent);
        s.metrics.insert("nnz_exponent_r2".into(), f.r2);
        s.metrics.insert("nnz_fit_points".into(), f.points as f64);
        s.metrics.insert("nnz_exponent_goal".into(), plan.goal);
        // The line spans the fitted points only: below them fixed costs dominate.
        let xs = fitted.iter().map(|p| p.0);
        let (x0, x1) = (
            xs.clone().fold(f64::INFINITY, f64::min),
            xs.fold(0.0, f64::max),
        );
        series.push(Series {
            name: format!("fit: e = {:.3}", f.exponent),
            points: vec![(x0, f.predict(x0)), (x1, f.predict(x1))],
            style: Style::Dashed,
        });
    }
    series.push(Series::line(
        "plain integer mat-vec",
        runs.iter()
            .map(|m| (m.report.nnz as f64, m.report.plain_matvec_ms))
            .collect(),
    ));
    s.plots.push(Plot {
        file: "nnz-scaling.svg".into(),
        title: "ternary-sparse prove time against nnz (log-log)".into(),
        x_label: "nonzero weights (nnz)".into(),
        y_label: "time (ms)".into(),
        log_x: true,
        log_y: true,
        series,
    });
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::fake_measurement;

    #[test]
    fn fits_only_points_above_the_threshold() {
        // Linear above 1 ms, flat below: the flat points must not bend the fit.
        let pts = [
            (1e3, 0.5),
            (1e4, 0.5),
            (1e5, 1.0),
            (1e6, 10.0),
            (1e7, 100.0),
        ];
        let f = fit_exponent(&pts, 1.0).unwrap();
        assert!((f.exponent - 1.0).abs() < 1e-12);
        assert_eq!(f.points, 3);
        assert!(fit_exponent(&pts[..3], 1.0).is_none());
    }

    #[test]
    fn verdicts_state_the_gap() {
        let f = |e| PowerFit {
            intercept: 0.0,
            exponent: e,
            r2: 1.0,
            points: 3,
        };
        assert!(verdict(Some(&f(1.03)), 1.1, 1.0).contains("**met** (margin 0.07)"));
        assert!(verdict(Some(&f(1.25)), 1.1, 1.0).contains("**not met** (over by 0.15)"));
        assert!(verdict(None, 1.1, 1.0).contains("none"));
    }

    #[test]
    fn builds_table_fit_and_plot() {
        let p = Plan::new(6, 10, 3, Duration::from_secs(1), 42);
        // prove_ms = nnz / 10^4: 64² / 16 = 256 → 0.0256 ms … 1024²/16 → 6.55 ms.
        let runs: Vec<Measurement> = p
            .configs()
            .iter()
            .map(|c| fake_measurement(c, |_| (c.rows * c.cols / 16) as f64 / 1e4))
            .collect();
        let s = section(&p, &runs).unwrap();
        assert_eq!(s.tables[0].rows.len(), 5);
        assert_eq!(s.tables[0].rows[4][7], "yes");
        assert_eq!(s.tables[0].rows[0][7], "no");
        assert!((s.metrics["nnz_exponent"] - 1.0).abs() < 1e-9);
        assert!(s.text.contains("**e = 1.000**"));
        assert_eq!(s.plots[0].series.len(), 4);
        assert_eq!(s.commands.len(), 5);
    }
}

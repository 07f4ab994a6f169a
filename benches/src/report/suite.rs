//! The benchmark suite behind `ternzk report`: which measurements each section
//! needs (full or `--quick` sizes), running them with progress, and turning them
//! into [`Section`]s — plus [`mlp_sections`], the MLP proof work's sections.

use super::ezkl;
use super::machine::Machine;
use super::measure::{measure, Measurement};
use super::mlp::{self, ezkl_run, runner::Step};
use super::section::{Repro, Section};
use super::{batch, density, scaling};
use crate::matvec::Config;
use anyhow::Result;
use serde::Serialize;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What to run and where its inputs come from.
#[derive(Clone, Debug)]
pub struct SuiteConfig {
    /// Small sizes and few repetitions (a smoke test, under two minutes on two cores).
    pub quick: bool,
    /// Seed of every matrix and input (42, as `ternzk bench matvec`, by default).
    pub seed: u64,
    /// The `ternzk report …` command line, shown beside every figure.
    pub command_line: String,
    /// The recorded EZKL results (`reports/ezkl/results.json` or
    /// `--ezkl-results`), read before any benchmark runs: shown when EZKL does not
    /// run in this report run.
    pub ezkl: ezkl::Input,
    /// Whether this report run runs EZKL itself (decided before any benchmark).
    pub ezkl_mode: ezkl_run::Mode,
    /// The repository whose git commit the report records.
    pub repo: PathBuf,
}

/// The measurements of every section.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Prove time against density (all methods).
    pub density: density::Plan,
    /// Prove time against nnz (ternary-sparse) and its fitted exponent.
    pub scaling: scaling::Plan,
    /// Batch throughput (ternary-sparse).
    pub batch: batch::Plan,
}

impl Plan {
    /// The full suite: 4096² for density and batch, n = 2^8 … 2^14 for scaling, up to
    /// 7 repetitions with a 20 s budget (the `ternzk bench matvec` defaults).
    /// Takes roughly 10 minutes and up to ~4 GiB (dense-gkr at 4096²) on two cores.
    pub fn full(seed: u64) -> Self {
        let (reps, budget) = (7, Duration::from_secs(20));
        Plan {
            density: density::Plan::new(4096, reps, budget, seed),
            scaling: scaling::Plan::new(8, 14, reps, budget, seed),
            batch: batch::Plan::new(4096, reps, budget, seed),
        }
    }

    /// The quick suite: 512² for density and batch, n = 2^7 … 2^13 for scaling (so
    /// that a few points reach the 1 ms fitting threshold), 5 repetitions with a 2 s
    /// budget. Well under two minutes on two cores.
    pub fn quick(seed: u64) -> Self {
        let (reps, budget) = (5, Duration::from_secs(2));
        Plan {
            density: density::Plan::new(512, reps, budget, seed),
            scaling: scaling::Plan::new(7, 13, reps, budget, seed),
            batch: batch::Plan::new(512, reps, budget, seed),
        }
    }

    /// Number of `ternzk bench matvec` measurements the plan runs. Cost: O(1).
    pub fn measurements(&self) -> usize {
        self.density.configs().len() + self.scaling.configs().len() + self.batch.configs().len()
    }
}

/// A progress update: `done` of `total` measurements finished, and what runs now.
#[derive(Clone, Copy, Debug)]
pub struct Progress<'a> {
    /// Measurements finished.
    pub done: usize,
    /// Measurements in the plan.
    pub total: usize,
    /// What is running now.
    pub message: &'a str,
}

/// A measurement with the section it belongs to.
#[derive(Clone, Debug, Serialize)]
pub struct Record {
    /// Title of the section.
    pub section: String,
    /// The measurement and its command.
    #[serde(flatten)]
    pub measurement: Measurement,
}

/// Everything the report shows (printed as JSON with `--json`, and written beside
/// the README as `report.json`).
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    /// `quick` or `full`.
    pub mode: String,
    /// The `ternzk report …` command that produced it.
    pub command: String,
    /// Where it ran.
    pub machine: Machine,
    /// Wall-clock time of the whole suite, in seconds.
    pub elapsed_s: f64,
    /// The sections, in report order.
    pub sections: Vec<Section>,
    /// Every measurement behind the sections, with its command.
    pub measurements: Vec<Record>,
    /// Every `ternzk` command the MLP sections ran, with the JSON it printed.
    pub mlp_steps: Vec<Step>,
    /// The EZKL results the report shows and where they come from (this run, or
    /// the recorded file and why EZKL was not run), with the raw results.
    pub ezkl: ezkl::Data,
}

/// Runs the suite. Cost: that of every measurement of the plan (see [`Plan::full`]
/// and [`Plan::quick`]); fails if any proof does not verify.
pub fn run(cfg: &SuiteConfig, progress: &mut dyn FnMut(Progress)) -> Result<Outcome> {
    let start = Instant::now();
    let machine = Machine::detect(&cfg.repo);
    let plan = if cfg.quick {
        Plan::quick(cfg.seed)
    } else {
        Plan::full(cfg.seed)
    };
    let total = plan.measurements();
    let mut done = 0;
    let mut records = Vec::new();
    let mut run_all = |name: &str, configs: Vec<Config>| -> Result<Vec<Measurement>> {
        let mut out = Vec::new();
        for c in configs {
            let label = format!(
                "{name}: {}×{} d={} batch {} [{}]",
                c.rows,
                c.cols,
                c.density,
                c.batch,
                c.methods
                    .iter()
                    .map(|m| m.name())
                    .collect::<Vec<_>>()
                    .join(",")
            );
            let m = measure(&c, &mut |step| {
                progress(Progress {
                    done,
                    total,
                    message: &format!("{label}: {step}"),
                })
            })?;
            done += 1;
            out.push(m);
        }
        Ok(out)
    };
    let d = run_all("density", plan.density.configs())?;
    let s = run_all("nnz scaling", plan.scaling.configs())?;
    let b = run_all("batch", plan.batch.configs())?;
    let mut sections = vec![
        density::section(&plan.density, &d)?,
        scaling::section(&plan.scaling, &s)?,
        batch::section(&plan.batch, &b)?,
    ];
    for (section, ms) in sections.iter().zip([d, s, b]) {
        records.extend(ms.into_iter().map(|measurement| Record {
            section: section.title.clone(),
            measurement,
        }));
    }
    let mlp = mlp_sections(cfg, &mut |msg| {
        progress(Progress {
            done: total,
            total,
            message: msg,
        })
    })?;
    sections.extend(mlp.sections);
    // Every measured section's numbers come first of all from this command.
    for s in &mut sections {
        s.commands.insert(
            0,
            Repro {
                what: "everything in this section (this report)".into(),
                command: cfg.command_line.clone(),
            },
        );
    }
    let mut ezkl_section = ezkl::section(&mlp.ezkl);
    if mlp.ezkl.run.is_some() {
        ezkl_section.commands.insert(
            0,
            Repro {
                what: "everything in this section (this report)".into(),
                command: cfg.command_line.clone(),
            },
        );
    }
    sections.push(ezkl_section);
    Ok(Outcome {
        mode: if cfg.quick { "quick" } else { "full" }.into(),
        command: cfg.command_line.clone(),
        machine,
        elapsed_s: start.elapsed().as_secs_f64(),
        sections,
        measurements: records,
        mlp_steps: mlp.steps,
        ezkl: mlp.ezkl,
    })
}

/// The report's sections on proving whole networks ([`mlp`]): the MLP ladder,
/// batch throughput, the prover's time breakdown and the comparison with EZKL,
/// with every `ternzk` command that ran. They come after the mat-vec sections and
/// before the EZKL section. Cost: see [`mlp::run`] (quick: a few seconds); without
/// Fashion-MNIST or `models/` the sections only say they were skipped.
pub fn mlp_sections(cfg: &SuiteConfig, progress: &mut dyn FnMut(&str)) -> Result<mlp::Measured> {
    mlp::run(cfg, progress)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_have_the_documented_sizes() {
        let full = Plan::full(42);
        assert_eq!(full.density.size, 4096);
        assert_eq!(full.scaling.sizes.first(), Some(&256));
        assert_eq!(full.scaling.sizes.last(), Some(&16384));
        assert_eq!(full.batch.batches, vec![1, 4, 16, 64, 256]);
        let quick = Plan::quick(42);
        assert_eq!(quick.density.size, 512);
        assert_eq!(quick.measurements(), 12 + 7 + 5);
    }

    #[test]
    fn the_mlp_sections_are_skipped_without_models() {
        let cfg = SuiteConfig {
            quick: true,
            seed: 42,
            command_line: "ternzk report --quick".into(),
            ezkl: ezkl::Input::missing("none".as_ref()),
            ezkl_mode: ezkl_run::Mode::Skip("`--quick` never runs EZKL".into()),
            repo: "/nonexistent".into(),
        };
        let m = mlp_sections(&cfg, &mut |_| {}).unwrap();
        assert_eq!(m.sections.len(), 4);
        assert!(m.steps.is_empty(), "nothing ran");
        assert_eq!(m.ezkl.not_run.as_deref(), Some("`--quick` never runs EZKL"));
        for s in &m.sections {
            assert!(s.text.starts_with("skipped: "), "{}", s.text);
            assert!(s.tables.is_empty());
        }
    }
}

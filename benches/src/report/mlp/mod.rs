//! The report's MLP sections: whole networks compiled, committed, proven and
//! verified by the `ternzk` commands themselves, each run as a child process of
//! the running binary (so every figure is what that command prints, and each
//! step's peak memory is its own).
//!
//! - [`plan`]: the models, batches and repetitions (full or `--quick`), and the
//!   exact command lines;
//! - [`runner`]: child processes in a temporary directory, JSON out;
//! - [`outputs`]: the commands' JSON as typed records;
//! - [`measure`]: runs a plan, and the medians;
//! - [`ezkl_run`]: EZKL on the same networks, after the MLP measurements (full
//!   mode), through `reports/ezkl/ezkl_bench.py`;
//! - one module per section: [`ladder`], [`batch`], [`breakdown`], [`vs_ezkl`];
//!   [`zk`]: the batch model's zero-knowledge proof beside its public one (ladder
//!   table, EZKL comparison).

pub mod batch;
pub mod breakdown;
pub mod ezkl_run;
pub mod ladder;
pub mod measure;
pub mod outputs;
pub mod plan;
pub mod runner;
pub mod vs_ezkl;
pub mod zk;

use super::ezkl::Data;
use super::section::Section;
use super::suite::SuiteConfig;
use anyhow::{Context, Result};
use plan::Plan;
use runner::{Runner, Step};
use serde::Serialize;

/// The MLP sections and every command behind them.
#[derive(Clone, Debug, Serialize)]
pub struct Measured {
    /// Ladder, batch, breakdown and EZKL comparison, in report order.
    pub sections: Vec<Section>,
    /// Every command that ran, with the JSON it printed.
    pub steps: Vec<Step>,
    /// The EZKL results the comparison used: this run's, or the recorded ones
    /// with the reason EZKL was not run.
    pub ezkl: Data,
}

/// Titles of the four sections when they are not measured. Cost: O(1).
fn titles(plan: &Plan) -> [String; 4] {
    let m = &plan.batch_model;
    [
        ladder::TITLE.to_string(),
        format!(
            "Batch throughput (MLP {} at density {})",
            m.arch,
            m.density()
        ),
        format!(
            "Where the prover's time goes (MLP {} at density {})",
            m.arch,
            m.density()
        ),
        format!("ternzk vs EZKL on {}", m.arch),
    ]
}

/// The four sections, each only saying `skipped: {why}`. Cost: O(1).
pub fn skipped(plan: &Plan, why: &str) -> Vec<Section> {
    titles(plan)
        .into_iter()
        .map(|title| Section {
            title,
            text: format!("skipped: {why}"),
            ..Default::default()
        })
        .collect()
}

/// Why the MLP sections cannot run here, if they cannot: no Fashion-MNIST, or no
/// `models/` in the repository. Cost: a few `stat` calls.
pub fn unavailable(cfg: &SuiteConfig) -> Option<String> {
    if !ternzk_compiler::dataset::fashion_mnist_available() {
        return Some(format!(
            "Fashion-MNIST not installed (looked in {}; `bash scripts/setup.sh` installs it)",
            ternzk_compiler::dataset::fashion_mnist_dir().display()
        ));
    }
    let models = cfg.repo.join("models");
    if !models.is_dir() {
        return Some(format!("no models directory at {}", models.display()));
    }
    None
}

/// Runs the MLP plan (full, or quick with `cfg.quick`) with the running binary,
/// then EZKL if `cfg.ezkl_mode` says so ([`ezkl_run`]), and builds the sections;
/// if the data set or the models are missing, returns the sections saying so
/// instead (and EZKL does not run). Cost: full, a few minutes (seven models,
/// three runs of every prove and verify, batches to 256) plus EZKL's ~14 minutes;
/// quick, a few seconds.
pub fn run(cfg: &SuiteConfig, progress: &mut dyn FnMut(&str)) -> Result<Measured> {
    let plan = if cfg.quick {
        Plan::quick()
    } else {
        Plan::full()
    };
    if let Some(why) = unavailable(cfg) {
        let ezkl_why = match &cfg.ezkl_mode {
            ezkl_run::Mode::Skip(w) => w.clone(),
            ezkl_run::Mode::Run(_) => {
                format!("it runs after the MLP sections, which were skipped: {why}")
            }
        };
        return Ok(Measured {
            sections: skipped(&plan, &why),
            steps: Vec::new(),
            ezkl: Data::recorded(cfg.ezkl.clone(), ezkl_why),
        });
    }
    let exe = std::env::current_exe().context("locating the ternzk binary")?;
    let models = cfg.repo.join("models");
    let runner = Runner::new(exe, &models)?;
    let r = measure::run(&plan, &runner, &models, progress)?;
    let mut steps = r.steps.clone();
    let ezkl = match &cfg.ezkl_mode {
        ezkl_run::Mode::Run(rc) => ezkl_run::run(
            rc,
            &plan.batch_model,
            &runner,
            &cfg.repo,
            &cfg.ezkl,
            &mut steps,
            progress,
        ),
        ezkl_run::Mode::Skip(why) => Data::recorded(cfg.ezkl.clone(), why.clone()),
    };
    Ok(Measured {
        sections: vec![
            ladder::section(&r),
            batch::section(&r),
            breakdown::section(&r),
            vs_ezkl::section(
                &plan.batch_model,
                &plan.runs(),
                r.batch_model(),
                r.zk.as_ref(),
                &ezkl,
            ),
        ],
        steps,
        ezkl,
    })
}

#[cfg(test)]
mod tests {
    use super::measure::tests::fake_results;
    use super::*;

    #[test]
    fn skipped_sections_keep_the_measured_titles() {
        let r = fake_results();
        let measured = [
            ladder::section(&r).title,
            batch::section(&r).title,
            breakdown::section(&r).title,
            vs_ezkl::section(
                &r.plan.batch_model,
                &r.plan.runs(),
                r.batch_model(),
                r.zk.as_ref(),
                &Data::recorded(
                    crate::report::ezkl::Input::missing("none".as_ref()),
                    "`--no-ezkl` was given",
                ),
            )
            .title,
        ];
        let s = skipped(&r.plan, "Fashion-MNIST not installed");
        assert_eq!(
            s.iter().map(|s| s.title.clone()).collect::<Vec<_>>(),
            measured
        );
        assert!(s
            .iter()
            .all(|s| s.text == "skipped: Fashion-MNIST not installed"));
    }
}

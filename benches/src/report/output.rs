//! Writing a report: `README.md` (markdown), one SVG per plot, `report.json`
//! (the [`Outcome`]) and, when this run measured EZKL, `ezkl-results.json` into
//! the output directory.

use super::markdown;
use super::mlp::ezkl_run::RESULTS_FILE;
use super::plot::render_svg;
use super::suite::Outcome;
use anyhow::{bail, Context, Result};
use serde::Serialize;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// First line of a full report's README; a quick report refuses to overwrite it.
pub const FULL_MARKER: &str = "<!-- ternzk report: full -->";

/// First line of a quick report's README.
pub const QUICK_MARKER: &str = "<!-- ternzk report: quick -->";

/// The files a report wrote.
#[derive(Clone, Debug, Serialize)]
pub struct Files {
    /// The markdown report.
    pub readme: PathBuf,
    /// The SVG plots.
    pub plots: Vec<PathBuf>,
    /// The machine-readable outcome.
    pub json: PathBuf,
    /// The EZKL results this run measured, if it ran EZKL.
    pub ezkl_results: Option<PathBuf>,
}

/// Fails if a quick report would overwrite a full one in `dir` (whose README starts
/// with [`FULL_MARKER`]). Cost: reads one file.
pub fn check_target(dir: &Path, quick: bool) -> Result<()> {
    let readme = dir.join("README.md");
    if quick {
        if let Ok(text) = std::fs::read_to_string(&readme) {
            if text.starts_with(FULL_MARKER) {
                bail!(
                    "{} holds a full report; a --quick run never overwrites it (choose another --out)",
                    readme.display()
                );
            }
        }
    }
    Ok(())
}

/// The README text of `outcome`. Cost: O(size of the report).
pub fn readme(outcome: &Outcome) -> String {
    let quick = outcome.mode == "quick";
    let mut out = String::new();
    let _ = writeln!(out, "{}", if quick { QUICK_MARKER } else { FULL_MARKER });
    let _ = writeln!(out, "# ternzk benchmark report\n");
    let _ = writeln!(
        out,
        "Every number in this report was produced by\n\n```\n{}\n```\n\n\
         in {:.0} s. Each section also lists, next to its numbers, the `ternzk bench …` \
         command that measures the same figures on its own (same seed, hence the same \
         matrix and inputs), or for the MLP sections the exact `ternzk compile/commit/\
         prove/verify` commands that ran (as child processes, from a directory where \
         `models/` is the repository's). The mat-vec measurements run in this one \
         process, and everything runs one step after another; \
         absolute times vary by about ±30% between runs on a shared machine, so read \
         ratios within one measurement. The raw measurements (the `--json` object of every \
         run, with its command) are in [report.json](report.json).\n",
        outcome.command, outcome.elapsed_s
    );
    if quick {
        let _ = writeln!(
            out,
            "**Quick mode** (`--quick`): small sizes and few repetitions, a smoke test of \
             the suite. These are not the figures to quote; run `ternzk report` (full) on a \
             quiet machine for those.\n"
        );
    } else {
        let _ = writeln!(
            out,
            "Regenerate with `ternzk report` from the repository root (writes `reports/`; \
             `ternzk report --quick` is a smoke test that writes to a temporary directory).\n"
        );
    }
    let _ = writeln!(out, "{}\n", ezkl_line(outcome));
    let _ = writeln!(out, "## Machine\n");
    let _ = writeln!(out, "{}", markdown::table(&outcome.machine.table()));
    let _ = writeln!(out, "Contents:\n");
    for s in &outcome.sections {
        let _ = writeln!(out, "- {}", s.title);
    }
    out.push('\n');
    for s in &outcome.sections {
        out.push_str(&markdown::section(s));
    }
    out
}

/// The README's sentence on EZKL: measured in this run, or not (prominently, with
/// why). Cost: O(1).
pub fn ezkl_line(outcome: &Outcome) -> String {
    match (&outcome.ezkl.run, &outcome.ezkl.not_run) {
        (Some(run), _) => format!(
            "EZKL was measured in this run: `reports/ezkl/ezkl_bench.py` ran after the MLP \
             sections ({} s of the total), on the same networks; see the last two sections.",
            markdown::num(run.elapsed_s)
        ),
        (None, why) => format!(
            "**EZKL was not run in this report run** ({}); the two EZKL sections show the \
             results recorded by a separate run, and say so.",
            why.as_deref().unwrap_or("no reason recorded")
        ),
    }
}

/// Writes README.md, the plots, report.json and this run's EZKL results (else
/// removes a stale `ezkl-results.json`) into `dir` (created if needed).
/// Cost: O(size of the report).
pub fn write(dir: &Path, outcome: &Outcome) -> Result<Files> {
    check_target(dir, outcome.mode == "quick")?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut plots = Vec::new();
    for p in outcome.sections.iter().flat_map(|s| &s.plots) {
        let path = dir.join(&p.file);
        let svg = render_svg(p).with_context(|| format!("plot {}", p.file))?;
        std::fs::write(&path, svg).with_context(|| format!("writing {}", path.display()))?;
        plots.push(path);
    }
    let json = dir.join("report.json");
    std::fs::write(&json, serde_json::to_string_pretty(outcome)? + "\n")
        .with_context(|| format!("writing {}", json.display()))?;
    let ezkl_path = dir.join(RESULTS_FILE);
    let ezkl_results = match outcome
        .ezkl
        .run
        .as_ref()
        .and_then(|r| r.results.raw.as_ref())
    {
        Some(raw) => {
            std::fs::write(&ezkl_path, serde_json::to_string_pretty(raw)? + "\n")
                .with_context(|| format!("writing {}", ezkl_path.display()))?;
            Some(ezkl_path)
        }
        None => {
            // Another run's results beside a README that does not show them would mislead.
            if ezkl_path.is_file() {
                std::fs::remove_file(&ezkl_path)
                    .with_context(|| format!("removing {}", ezkl_path.display()))?;
            }
            None
        }
    };
    let readme_path = dir.join("README.md");
    std::fs::write(&readme_path, readme(outcome))
        .with_context(|| format!("writing {}", readme_path.display()))?;
    Ok(Files {
        readme: readme_path,
        plots,
        json,
        ezkl_results,
    })
}

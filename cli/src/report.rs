//! `ternzk report`: runs the benchmark suite of `ternzk_bench::report` and writes
//! README.md, SVG plots and report.json into the output directory.

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::time::Duration;
use ternzk_bench::report::command::shell_join;
use ternzk_bench::report::mlp::ezkl_run;
use ternzk_bench::report::{ezkl, output, suite};

/// Arguments of `ternzk report`.
#[derive(clap::Args)]
pub struct Args {
    /// Small sizes and few repetitions (a smoke test, under two minutes). Without
    /// --out it writes to a new temporary directory, never to reports/.
    #[arg(long)]
    quick: bool,
    /// Output directory [default: reports/, or a temporary directory with --quick].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Recorded EZKL results, shown when this run does not run EZKL [default:
    /// reports/ezkl/results.json in the git repository holding the output
    /// directory; skipped if absent].
    #[arg(long)]
    ezkl_results: Option<PathBuf>,
    /// Python interpreter that runs reports/ezkl/ezkl_bench.py (full mode); it
    /// must import ezkl, onnx, numpy and safetensors (reports/ezkl/README.md),
    /// else the report shows the recorded EZKL results and says why.
    #[arg(long, default_value = "python3")]
    ezkl_python: String,
    /// Do not run EZKL: show the recorded results (and say so).
    #[arg(long)]
    no_ezkl: bool,
    /// Where EZKL's SRS files are kept between runs (the script's --srs-cache)
    /// [default: ternzk-ezkl-srs in the temporary directory].
    #[arg(long)]
    ezkl_srs_cache: Option<PathBuf>,
    /// Debug: run EZKL only on these models (comma-separated, e.g.
    /// mlp-784-56-10), also in --quick mode, which otherwise never runs it.
    #[arg(long, value_delimiter = ',', hide = true)]
    ezkl_models: Option<Vec<String>>,
    /// Seed of every matrix and input.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Print a JSON summary (the report's numbers, files and commands) on stdout.
    #[arg(long)]
    json: bool,
}

/// Runs `ternzk report`.
pub fn run(a: Args) -> Result<()> {
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let out = match (&a.out, a.quick) {
        (Some(dir), _) => dir.clone(),
        (None, false) => PathBuf::from("reports"),
        (None, true) => std::env::temp_dir().join(format!(
            "ternzk-report-quick-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        )),
    };
    // Everything that can fail on bad input fails before the benchmarks start.
    output::check_target(&out, a.quick)?;
    // Absolute, so that the report can show it relative to its repository.
    let ezkl_path = a
        .ezkl_results
        .as_ref()
        .map(|p| cwd.join(p))
        .unwrap_or_else(|| ezkl::default_path(&out, &cwd));
    let ezkl = ezkl::load(&ezkl_path, a.ezkl_results.is_some())?;
    // The repository root, so that `models/` is found from any subdirectory.
    let repo = ezkl::repo_root(&cwd).unwrap_or_else(|| cwd.clone());
    let srs_cache = a
        .ezkl_srs_cache
        .as_ref()
        .map(|p| cwd.join(p))
        .unwrap_or_else(|| std::env::temp_dir().join("ternzk-ezkl-srs"));
    let ezkl_mode = ezkl_run::mode(
        a.quick,
        a.no_ezkl,
        &a.ezkl_python,
        a.ezkl_models.as_deref(),
        srs_cache,
        &repo,
    )?;
    if let ezkl_run::Mode::Skip(why) = &ezkl_mode {
        if !a.quick {
            eprintln!("EZKL will not run in this report ({why}); the recorded results are shown");
        }
    }
    let mut argv: Vec<String> = std::env::args().collect();
    argv[0] = "ternzk".into();
    let cfg = suite::SuiteConfig {
        quick: a.quick,
        seed: a.seed,
        command_line: shell_join(&argv),
        ezkl,
        ezkl_mode,
        repo,
    };
    let bar = ProgressBar::new(0);
    bar.set_style(ProgressStyle::with_template(
        "{spinner} {elapsed} [{bar:20}] {pos}/{len} {wide_msg}",
    )?);
    bar.enable_steady_tick(Duration::from_millis(120));
    let outcome = suite::run(&cfg, &mut |p| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
        bar.set_message(p.message.to_string());
    });
    bar.finish_and_clear();
    let outcome = outcome?;
    let files = output::write(&out, &outcome)?;
    eprintln!(
        "report written to {} ({:.0} s)",
        files.readme.display(),
        outcome.elapsed_s
    );
    if a.json {
        let summary = serde_json::json!({
            "out_dir": out,
            "files": files,
            "outcome": outcome,
        });
        println!("{}", serde_json::to_string(&summary)?);
    }
    Ok(())
}

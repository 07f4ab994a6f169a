//! EZKL measured by the report itself: a full `ternzk report` runs
//! `reports/ezkl/ezkl_bench.py` as a child process, after the MLP sections (whose
//! compiled 784-256-256-10 model it proves as EZKL's ternary variant), on
//! 784-56-10 and 784-256-256-10, dense and ternary, and renders what it wrote.
//!
//! [`mode`] decides before any benchmark starts whether EZKL runs (`--no-ezkl`,
//! `--quick` and a Python that cannot import EZKL fall back to the recorded
//! results, saying why); [`run`] runs it in the MLP runner's directory and never
//! fails the report: a failed run also falls back, with the reason.

use super::super::command::shell_join;
use super::super::ezkl::{self, Data, Input, Run, RunCommand};
use super::plan::{ModelSpec, Plan, Source};
use super::runner::{Runner, Step};
use anyhow::{bail, Context, Result};
use std::collections::VecDeque;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::Instant;

/// The benchmark script, relative to the repository root.
pub const SCRIPT: &str = "reports/ezkl/ezkl_bench.py";

/// What the script writes, in the runner's directory and then in the report's.
pub const RESULTS_FILE: &str = "ezkl-results.json";

/// The script's steps per variant (`import` … `verify`), for the progress count.
pub const STEPS_PER_VARIANT: usize = 9;

/// The Python modules the script needs (`reports/ezkl/requirements.txt`).
pub const MODULES: &str = "ezkl, onnx, numpy, safetensors";

/// Whether the report runs EZKL, decided before any benchmark.
#[derive(Clone, Debug)]
pub enum Mode {
    /// Run the script.
    Run(RunConfig),
    /// Do not: render the recorded results, for this reason.
    Skip(String),
}

/// How to run the script.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// The Python interpreter (`--ezkl-python`).
    pub python: String,
    /// The script's `--srs-cache`: SRS files kept between report runs.
    pub srs_cache: PathBuf,
    /// Names of the models to run (`mlp-784-56-10`, …), a subset of [`models`].
    pub models: Vec<String>,
}

/// A model EZKL proves, dense and ternary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EzklModel {
    /// Its name in the results (`mlp-784-56-10`).
    pub name: String,
    /// The dense `.safetensors`, relative to the repository root.
    pub dense: String,
    /// The ternary model: the compiled file of this spec.
    pub ternary: ModelSpec,
}

/// The models EZKL runs on, in order: 784-56-10 (dense
/// `reports/ezkl/mlp-784-56-10.safetensors`, ternary: that model compiled at 1/16
/// by the report) and the MLP batch model's network (784-256-256-10: dense
/// `models/mlp-<arch>-candle.safetensors`, ternary: the batch model itself, as the
/// ladder compiled it). Cost: O(1).
pub fn models(batch_model: &ModelSpec) -> Vec<EzklModel> {
    let small = "reports/ezkl/mlp-784-56-10.safetensors";
    vec![
        EzklModel {
            name: "mlp-784-56-10".into(),
            dense: small.into(),
            ternary: ModelSpec {
                arch: "784-56-10".into(),
                denominator: 16,
                source: Source::Dense(small.into()),
            },
        },
        EzklModel {
            name: format!("mlp-{}", batch_model.arch),
            dense: format!("models/mlp-{}-candle.safetensors", batch_model.arch),
            ternary: batch_model.clone(),
        },
    ]
}

/// Names of the models a full report runs EZKL on. Cost: O(1).
pub fn default_models() -> Vec<String> {
    models(&Plan::full().batch_model)
        .into_iter()
        .map(|m| m.name)
        .collect()
}

/// The script's arguments for `m` (after the interpreter): both variants, results
/// merged into [`RESULTS_FILE`], SRS files reused from `srs_cache`. Cost: O(1).
pub fn script_args(m: &EzklModel, srs_cache: &Path) -> Vec<String> {
    [
        SCRIPT,
        "--model",
        &m.dense,
        "--ternary-compiled",
        &m.ternary.model_file(),
        "--name",
        &m.name,
        "--out",
        RESULTS_FILE,
        "--merge",
        "--srs-cache",
        &srs_cache.display().to_string(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Checks that `python` can import the script's modules (`python -c "import ezkl,
/// …"`): `Err` says why not. Cost: starting Python once (about a second).
pub fn check_python(python: &str) -> std::result::Result<(), String> {
    let check = format!("`{python} -c \"import {MODULES}\"`");
    match Command::new(python)
        .args(["-c", &format!("import {MODULES}")])
        .stdin(Stdio::null())
        .output()
    {
        Err(e) => Err(format!("{check} could not start: {e}")),
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => {
            let err = String::from_utf8_lossy(&o.stderr);
            let last = err.lines().rev().find(|l| !l.trim().is_empty());
            Err(format!(
                "{check} failed: {}",
                last.map_or_else(|| o.status.to_string(), |l| l.trim().to_string())
            ))
        }
    }
}

/// Decides whether the report runs EZKL: not with `no_ezkl`, not in quick mode
/// unless `only` names models (a debug aid), not without the script in `repo`,
/// not if `python` cannot import EZKL. Fails on an unknown name in `only`.
/// Cost: [`check_python`] when it gets that far.
pub fn mode(
    quick: bool,
    no_ezkl: bool,
    python: &str,
    only: Option<&[String]>,
    srs_cache: PathBuf,
    repo: &Path,
) -> Result<Mode> {
    let known = default_models();
    if let Some(only) = only {
        for m in only {
            if !known.contains(m) {
                bail!(
                    "--ezkl-models: unknown model `{m}` (known: {})",
                    known.join(", ")
                );
            }
        }
    }
    if no_ezkl {
        return Ok(Mode::Skip("`--no-ezkl` was given".into()));
    }
    if quick && only.is_none() {
        return Ok(Mode::Skip("`--quick` never runs EZKL".into()));
    }
    if !repo.join(SCRIPT).is_file() {
        return Ok(Mode::Skip(format!("no `{SCRIPT}` in {}", repo.display())));
    }
    if let Err(why) = check_python(python) {
        return Ok(Mode::Skip(why));
    }
    Ok(Mode::Run(RunConfig {
        python: python.into(),
        srs_cache,
        models: only.map_or(known, <[String]>::to_vec),
    }))
}

/// A progress line of the script: `[model/variant] step ...` when a step starts,
/// `[model/variant] gen_srs: reusing …` when the cached SRS is reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event<'a> {
    /// `step` of `label` (`model/variant`) started.
    Step {
        /// `model/variant`.
        label: &'a str,
        /// The step's name.
        step: &'a str,
    },
    /// `label` reused the cached SRS (its `gen_srs` step, skipped).
    Cached {
        /// `model/variant`.
        label: &'a str,
    },
}

/// Reads one line of the script's stderr. Cost: O(length).
pub fn parse_event(line: &str) -> Option<Event<'_>> {
    let rest = line.strip_prefix('[')?;
    let (label, rest) = rest.split_once("] ")?;
    if let Some(step) = rest.strip_suffix(" ...") {
        return Some(Event::Step { label, step });
    }
    rest.starts_with("gen_srs: reusing ")
        .then_some(Event::Cached { label })
}

/// Runs EZKL as `cfg` says in `runner`'s directory (linking `reports/ezkl` of
/// `repo` there): compiles each ternary model not compiled yet (the ladder's is),
/// then runs the script once per model, showing its steps through `progress`.
/// Returns this run's results, or — if nothing could be run or the script wrote
/// no results — the `recorded` ones with the reason. Commands that ran are added
/// to `steps`. Cost: about 2 minutes for 784-56-10 and 12 for 784-256-256-10 on
/// two cores (plus 17 s and 200 s for SRS files not in the cache); up to ~3 GB
/// of memory and ~3 GB of proving keys in a temporary directory.
pub fn run(
    cfg: &RunConfig,
    batch_model: &ModelSpec,
    runner: &Runner,
    repo: &Path,
    recorded: &Input,
    steps: &mut Vec<Step>,
    progress: &mut dyn FnMut(&str),
) -> Data {
    match try_run(cfg, batch_model, runner, repo, steps, progress) {
        Ok(run) => Data::ran(recorded.clone(), run),
        Err(e) => Data::recorded(
            recorded.clone(),
            format!("it was started but failed: {e:#}"),
        ),
    }
}

fn try_run(
    cfg: &RunConfig,
    batch_model: &ModelSpec,
    runner: &Runner,
    repo: &Path,
    steps: &mut Vec<Step>,
    progress: &mut dyn FnMut(&str),
) -> Result<Run> {
    let start = Instant::now();
    runner.link("reports/ezkl", &repo.join("reports/ezkl"))?;
    let dir = runner.dir();
    let out = dir.join(RESULTS_FILE);
    let _ = std::fs::remove_file(&out);
    let chosen: Vec<EzklModel> = models(batch_model)
        .into_iter()
        .filter(|m| cfg.models.contains(&m.name))
        .collect();
    let mut run = Run {
        python: cfg.python.clone(),
        srs_cache: cfg.srs_cache.display().to_string(),
        models: Vec::new(),
        commands: Vec::new(),
        elapsed_s: 0.0,
        notes: Vec::new(),
        results: Input::missing(Path::new(RESULTS_FILE)),
    };
    let total = chosen.len() * 2 * STEPS_PER_VARIANT;
    let mut done = 0;
    for m in &chosen {
        if !dir.join(&m.dense).is_file() {
            run.notes.push(format!(
                "`{}` was not run: `{}` not found.",
                m.name, m.dense
            ));
            continue;
        }
        if !dir.join(m.ternary.model_file()).is_file() {
            progress(&format!("EZKL {}: compile the ternary model", m.name));
            let s = runner.run(&m.ternary.prepare_args())?;
            run.commands.push(RunCommand {
                model: m.name.clone(),
                what: format!("EZKL's ternary {} (this run)", m.name),
                command: s.command.clone(),
            });
            steps.push(s);
        }
        let args = script_args(m, &cfg.srs_cache);
        let mut argv = vec![cfg.python.clone()];
        argv.extend(args.iter().cloned());
        let command = shell_join(&argv);
        let (status, tail) = run_script(&cfg.python, &args, dir, &mut |line| {
            let (label, what) = match parse_event(line) {
                Some(Event::Step { label, step }) => (label, step.to_string()),
                Some(Event::Cached { label }) => (label, "gen_srs: reusing the cached SRS".into()),
                None => return,
            };
            done += 1;
            progress(&format!("EZKL {}/{total} {label}: {what}", done.min(total)));
        })
        .with_context(|| format!("running `{command}`"))?;
        run.models.push(m.name.clone());
        run.commands.push(RunCommand {
            model: m.name.clone(),
            what: format!("EZKL {} dense and ternary (this run)", m.name),
            command,
        });
        let last = last_line(&tail).map_or(String::new(), |l| format!(": `{l}`"));
        if !out.is_file() {
            bail!(
                "`{}` wrote no {RESULTS_FILE} ({status}){last}",
                run.commands.last().unwrap().command,
            );
        }
        let rows = ezkl::load(&out, true)?.rows.unwrap_or_default();
        if !rows
            .iter()
            .any(|r| r.model.as_deref() == Some(m.name.as_str()))
        {
            run.notes.push(format!(
                "The script wrote no row for `{}` ({status}){last}.",
                m.name
            ));
        } else if !status.success() {
            run.notes.push(format!(
                "No variant of `{}` verified (the script exited with {status}): see the \
                 `error` column.",
                m.name
            ));
        }
    }
    if run.models.is_empty() {
        bail!("no model could be run: {}", run.notes.join(" "));
    }
    let mut results = ezkl::load(&out, true)?;
    results.shown = RESULTS_FILE.into();
    run.results = results;
    run.elapsed_s = start.elapsed().as_secs_f64();
    Ok(run)
}

/// The last non-empty line of `lines`, trimmed.
fn last_line(lines: &VecDeque<String>) -> Option<&str> {
    lines.iter().rev().map(|l| l.trim()).find(|l| !l.is_empty())
}

/// Runs `python args…` in `dir`, passing each line of its stderr to `on_line`;
/// returns its exit status and the last 20 lines of stderr. Cost: that of the
/// script.
fn run_script(
    python: &str,
    args: &[String],
    dir: &Path,
    on_line: &mut dyn FnMut(&str),
) -> Result<(ExitStatus, VecDeque<String>)> {
    let mut child = Command::new(python)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {python}"))?;
    let mut tail = VecDeque::new();
    let mut reader = std::io::BufReader::new(child.stderr.take().context("no stderr")?);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        let line = String::from_utf8_lossy(&buf).trim_end().to_string();
        on_line(&line);
        tail.push_back(line);
        if tail.len() > 20 {
            tail.pop_front();
        }
    }
    Ok((child.wait()?, tail))
}

#[cfg(test)]
mod tests {
    use super::super::plan::command_line;
    use super::*;

    #[test]
    fn the_models_and_their_commands() {
        let ms = models(&Plan::full().batch_model);
        assert_eq!(default_models(), ["mlp-784-56-10", "mlp-784-256-256-10"]);
        assert_eq!(
            command_line(&ms[0].ternary.prepare_args()),
            "ternzk compile reports/ezkl/mlp-784-56-10.safetensors \
             -o mlp-784-56-10-d16.safetensors --density 1/16 --json"
        );
        assert_eq!(ms[1].ternary, Plan::full().batch_model, "the ladder's file");
        assert_eq!(
            shell_join(&script_args(&ms[1], Path::new("/tmp/srs"))),
            "reports/ezkl/ezkl_bench.py --model models/mlp-784-256-256-10-candle.safetensors \
             --ternary-compiled mlp-784-256-256-10-d16.safetensors --name mlp-784-256-256-10 \
             --out ezkl-results.json --merge --srs-cache /tmp/srs"
        );
    }

    #[test]
    fn reads_the_scripts_progress() {
        assert_eq!(
            parse_event("[mlp-784-56-10/dense] setup ..."),
            Some(Event::Step {
                label: "mlp-784-56-10/dense",
                step: "setup"
            })
        );
        assert_eq!(
            parse_event("[m/ternary] gen_srs: reusing /tmp/srs/kzg15.srs"),
            Some(Event::Cached { label: "m/ternary" })
        );
        assert_eq!(
            parse_event("[m/dense] setup: 7.3 s, 900 MB, load 1.2"),
            None
        );
        assert_eq!(parse_event("Traceback (most recent call last):"), None);
    }

    #[test]
    fn when_ezkl_does_not_run() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let srs = PathBuf::from("/tmp/srs");
        let skip = |m: Mode| match m {
            Mode::Skip(why) => why,
            Mode::Run(_) => panic!("runs"),
        };
        let m = |quick, no, py: &str, only: Option<&[String]>| {
            mode(quick, no, py, only, srs.clone(), repo).unwrap()
        };
        assert_eq!(
            skip(m(false, true, "python3", None)),
            "`--no-ezkl` was given"
        );
        assert_eq!(
            skip(m(true, false, "python3", None)),
            "`--quick` never runs EZKL"
        );
        let why = skip(m(false, false, "/nonexistent/python", None));
        assert!(
            why.starts_with("`/nonexistent/python -c \"import ezkl, onnx, numpy, safetensors\"` could not start"),
            "{why}"
        );
        // A Python without EZKL: `false` stands in (it starts, and fails).
        let why = skip(m(false, false, "false", None));
        assert!(why.contains("failed"), "{why}");
        let why = skip(mode(false, false, "python3", None, srs.clone(), Path::new("/")).unwrap());
        assert!(why.starts_with("no `reports/ezkl/ezkl_bench.py`"), "{why}");
        let bad = ["mlp-1-2".to_string()];
        assert!(mode(false, false, "python3", Some(&bad), srs.clone(), repo).is_err());
    }
}

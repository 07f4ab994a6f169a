//! Runs `ternzk` subcommands as child processes of the running binary, in a
//! temporary working directory where `models/` links to the repository's models,
//! and reads the JSON object each prints. A child process per step means each
//! step's peak memory (`peak_rss_mb`) is its own.

use super::plan::command_line;
use anyhow::{bail, Context, Result};
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// One command that ran: what it was, its output and its wall time.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    /// The command line as a user types it from the repository root.
    pub command: String,
    /// The JSON object it printed, less the bulky per-input arrays the command line
    /// already determines ([`OMITTED`]).
    pub output: Value,
    /// Wall time of the child process (start-up and loading included), in ms.
    pub wall_ms: f64,
}

/// Fields of a command's JSON that the report does not keep: `input_quantized` (the
/// quantized inputs, fixed by the data set and index on the command line; a batch-256
/// proof prints 200,704 of them) and `logits` (the real-valued copy of `output`).
/// Kept, they made `report.json` 14 MB.
pub const OMITTED: &[&str] = &["input_quantized", "logits"];

/// Removes the [`OMITTED`] fields from a command's JSON object. Cost: O(fields).
fn strip_bulky(output: &mut Value) {
    if let Some(obj) = output.as_object_mut() {
        for key in OMITTED {
            obj.remove(*key);
        }
    }
}

/// A working directory and the `ternzk` binary to run in it.
pub struct Runner {
    exe: PathBuf,
    dir: tempfile::TempDir,
}

impl Runner {
    /// A runner of `exe` in a new temporary directory holding a link `models` →
    /// `models_dir`. Cost: creating a directory and a symlink.
    pub fn new(exe: PathBuf, models_dir: &Path) -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("ternzk-report-mlp-")
            .tempdir()
            .context("creating the MLP working directory")?;
        let models = models_dir
            .canonicalize()
            .with_context(|| format!("models directory {}", models_dir.display()))?;
        link(&models, &dir.path().join("models"))?;
        Ok(Runner { exe, dir })
    }

    /// Links `name` (a relative path, parent directories created) in the working
    /// directory to `target`, unless it exists already. Cost: a few system calls.
    pub fn link(&self, name: &str, target: &Path) -> Result<()> {
        let at = self.dir.path().join(name);
        if at.exists() {
            return Ok(());
        }
        if let Some(parent) = at.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        let target = target
            .canonicalize()
            .with_context(|| format!("linking {}", target.display()))?;
        link(&target, &at)
    }

    /// The working directory (removed when the runner is dropped).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `ternzk args…` and returns the JSON it printed. Fails, with the
    /// command and its stderr, if it exits non-zero or prints no JSON object.
    /// Cost: that of the command.
    pub fn run(&self, args: &[String]) -> Result<Step> {
        let command = command_line(args);
        let t0 = Instant::now();
        let out = Command::new(&self.exe)
            .args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("starting `{command}`"))?;
        let wall_ms = t0.elapsed().as_secs_f64() * 1e3;
        if !out.status.success() {
            bail!(
                "`{command}` failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        let mut output = last_json_object(&String::from_utf8_lossy(&out.stdout))
            .with_context(|| format!("reading the output of `{command}`"))?;
        strip_bulky(&mut output);
        Ok(Step {
            command,
            output,
            wall_ms,
        })
    }
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) -> Result<()> {
    std::os::unix::fs::symlink(target, at)
        .with_context(|| format!("linking {} to {}", at.display(), target.display()))
}

#[cfg(not(unix))]
fn link(_target: &Path, _at: &Path) -> Result<()> {
    bail!("the MLP report sections need symbolic links (Unix)")
}

/// The last line of `stdout` that parses as a JSON object. Cost: O(length).
pub fn last_json_object(stdout: &str) -> Result<Value> {
    stdout
        .lines()
        .rev()
        .filter(|l| l.trim_start().starts_with('{'))
        .find_map(|l| {
            serde_json::from_str::<Value>(l)
                .ok()
                .filter(Value::is_object)
        })
        .context("no JSON object on stdout")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulky_input_arrays_are_not_kept() {
        let mut v: Value = serde_json::from_str(
            r#"{"prove_ms": 3.5, "input_quantized": [[1, 2]], "logits": [[0.5]], "output": [[7]]}"#,
        )
        .unwrap();
        strip_bulky(&mut v);
        assert_eq!(v["prove_ms"], 3.5);
        assert_eq!(v["output"][0][0], 7);
        assert!(v.get("input_quantized").is_none() && v.get("logits").is_none());
    }

    #[test]
    fn finds_the_json_line() {
        let v = last_json_object("note\n{\"a\": 1}\n\n").unwrap();
        assert_eq!(v["a"], 1);
        assert!(last_json_object("plain text\n[1]\n").is_err());
        assert!(last_json_object("{broken\n").is_err());
    }

    #[test]
    fn links_models_and_reports_failures() {
        let models = tempfile::tempdir().unwrap();
        std::fs::write(models.path().join("m.txt"), "x").unwrap();
        // `sh -c` stands in for ternzk: the runner only needs a program.
        let r = Runner::new("/bin/sh".into(), models.path()).unwrap();
        assert!(r.dir().join("models/m.txt").is_file());
        r.link("a/b", models.path()).unwrap();
        assert!(r.dir().join("a/b/m.txt").is_file());
        r.link("a/b", models.path()).unwrap();
        assert!(r.link("c", Path::new("/nonexistent")).is_err());
        let ok = r
            .run(&[
                "-c".into(),
                "cat models/m.txt >&2; echo '{\"x\": 2}'".into(),
            ])
            .unwrap();
        assert_eq!(ok.output["x"], 2);
        assert!(ok.command.starts_with("ternzk -c "));
        let err = r.run(&["-c".into(), "echo boom >&2; exit 3".into()]);
        let msg = format!("{:#}", err.unwrap_err());
        assert!(msg.contains("boom") && msg.contains("failed"), "{msg}");
    }
}

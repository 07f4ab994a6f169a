//! One benchmark measurement of the report: a `matvec::run` of one [`Config`],
//! kept with the `ternzk bench matvec` command that reproduces it.

use super::command::bench_matvec;
use crate::matvec::{self, Config, MethodResult, Report};
use anyhow::{bail, Result};
use serde::Serialize;

/// A measured configuration and the command that measures it on its own.
#[derive(Clone, Debug, Serialize)]
pub struct Measurement {
    /// The equivalent `ternzk bench matvec …` command line.
    pub command: String,
    /// What `ternzk bench matvec --json` prints for it.
    pub report: Report,
}

impl Measurement {
    /// The result of `method` (by its command-line name), if it was measured.
    /// Cost: O(methods).
    pub fn method(&self, method: &str) -> Option<&MethodResult> {
        self.report.results.iter().find(|r| r.method == method)
    }

    /// Median prove time of `method` in ms, if measured. Cost: O(methods).
    pub fn prove_ms(&self, method: &str) -> Option<f64> {
        self.method(method).map(|r| r.prove_ms)
    }
}

/// Runs `cfg` (cost: that of `ternzk bench matvec` with the same flags) and fails
/// if any proof did not verify: a report never shows figures of a broken proof.
pub fn measure(cfg: &Config, progress: &mut dyn FnMut(&str)) -> Result<Measurement> {
    let command = bench_matvec(cfg);
    let report = matvec::run(cfg, progress)?;
    if let Some(bad) = report.results.iter().find(|r| !r.verified) {
        bail!("{}: proof did not verify (`{command}`)", bad.method);
    }
    Ok(Measurement { command, report })
}

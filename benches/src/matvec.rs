//! `ternzk bench matvec`: one random ternary matrix, the statement `Y = W·X` proven
//! by every requested method, each timed (median of repetitions) in the same process.

use crate::timing::median_ms;
use anyhow::{anyhow, bail, ensure, Context, Result};
use serde::Serialize;
use std::time::{Duration, Instant};
use ternzk_baselines::matvec_circuit::MatVecCircuit;
use ternzk_baselines::matvec_gkr;
use ternzk_baselines::random::{densify, int8_like};
use ternzk_core::random;
use ternzk_core::TernaryCsr;
use ternzk_prover::hyrax::HyraxKey;
use ternzk_prover::linear::{self, LinearProof, LinearVk};
use ternzk_prover::matrix::LinearBackend;

/// The ways the same statement can be proven.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Ternary CSR: additions and subtractions only.
    TernarySparse,
    /// Int8 values on the same nonzero pattern: one multiplication per nonzero.
    Sparse,
    /// The dense matrix: one multiplication per entry.
    DenseSumcheck,
    /// A layered arithmetic circuit proven by a generic linear-time GKR.
    DenseGkr,
}

impl Method {
    /// Every method, in report order.
    pub const ALL: [Method; 4] = [
        Method::TernarySparse,
        Method::Sparse,
        Method::DenseSumcheck,
        Method::DenseGkr,
    ];

    /// The method's name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Method::TernarySparse => "ternary-sparse",
            Method::Sparse => "sparse",
            Method::DenseSumcheck => "dense-sumcheck",
            Method::DenseGkr => "dense-gkr",
        }
    }

    /// Parses a comma-separated list of method names.
    pub fn parse_list(s: &str) -> Result<Vec<Method>> {
        s.split(',')
            .map(|name| {
                let name = name.trim();
                Method::ALL
                    .into_iter()
                    .find(|m| m.name() == name)
                    .ok_or_else(|| {
                        let all: Vec<_> = Method::ALL.iter().map(|m| m.name()).collect();
                        anyhow!("unknown method `{name}` (choose from {})", all.join(", "))
                    })
            })
            .collect()
    }
}

/// What to benchmark.
#[derive(Clone, Debug)]
pub struct Config {
    /// Rows of `W` (outputs).
    pub rows: usize,
    /// Columns of `W` (inputs).
    pub cols: usize,
    /// Fraction of nonzero entries.
    pub density: f64,
    /// Inputs proven together.
    pub batch: usize,
    /// Methods to run, in order.
    pub methods: Vec<Method>,
    /// Repetitions per timed step (the median is reported).
    pub reps: usize,
    /// Time budget per timed step; repetitions stop early once it is spent.
    pub budget: Duration,
    /// Seed of the random matrix and inputs.
    pub seed: u64,
}

impl Config {
    /// Rejects shapes and parameters the benchmark cannot run.
    pub fn validate(&self) -> Result<()> {
        ensure!(
            self.rows >= 1 && self.cols >= 1,
            "--rows and --cols must be at least 1"
        );
        ensure!(
            self.rows <= 1 << 20 && self.cols <= 1 << 20,
            "--rows and --cols must be at most 2^20"
        );
        ensure!(
            (0.0..=1.0).contains(&self.density),
            "--density must lie in [0, 1], got {}",
            self.density
        );
        ensure!(
            self.batch >= 1 && self.batch <= 4096,
            "--batch must lie in 1..=4096"
        );
        ensure!(self.reps >= 1, "--reps must be at least 1");
        ensure!(!self.methods.is_empty(), "no methods selected");
        Ok(())
    }
}

/// One method's measurements.
#[derive(Clone, Debug, Serialize)]
pub struct MethodResult {
    /// Method name.
    pub method: String,
    /// Time to commit to the matrix (one run).
    pub commit_ms: f64,
    /// Median proving time (includes computing `Y`).
    pub prove_ms: f64,
    /// Median verification time (includes decoding the proof bytes), with the
    /// verifying key prepared once (fixed-base tables) where the method supports it.
    pub verify_ms: f64,
    /// Preparing the verifying key (once per model; `null` where not used).
    pub prepare_ms: Option<f64>,
    /// Median verification time with an unprepared key (`null` where not different).
    pub verify_cold_ms: Option<f64>,
    /// Size of the encoded proof.
    pub proof_bytes: usize,
    /// Whether the verifier accepted, and the proven output equals the integer engine's.
    pub verified: bool,
    /// Repetitions behind the prove median.
    pub prove_reps: usize,
}

/// The whole benchmark's output (printed as JSON with `--json`).
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Rows of `W`.
    pub rows: usize,
    /// Columns of `W`.
    pub cols: usize,
    /// Requested density.
    pub density: f64,
    /// Actual nonzeros of the ternary matrix.
    pub nnz: usize,
    /// Inputs per proof.
    pub batch: usize,
    /// Worker threads.
    pub threads: usize,
    /// The prover's arithmetic path, `"ifma"` or `"scalar"` ([`ternzk_prover::simd_path`]).
    pub simd: &'static str,
    /// Deriving the public generators (once per process, shared by all methods).
    pub setup_ms: f64,
    /// Median time of the plain integer product of the whole batch (CSR, i32).
    pub plain_matvec_ms: f64,
    /// One entry per method.
    pub results: Vec<MethodResult>,
}

/// Runs the benchmark; `progress` receives a line before each step.
pub fn run(cfg: &Config, progress: &mut dyn FnMut(&str)) -> Result<Report> {
    cfg.validate()?;
    progress("generating matrix and inputs");
    let t = random::ternary(cfg.rows, cfg.cols, cfg.density, cfg.seed);
    let xs = random::activations(cfg.cols, cfg.batch, cfg.seed ^ 0x5eed);
    progress("deriving generators");
    let t0 = Instant::now();
    let key = HyraxKey::new(t.col_vars());
    let setup_ms = t0.elapsed().as_secs_f64() * 1e3;

    progress("timing the plain integer mat-vec");
    let (plain_matvec_ms, expected) = median_ms(cfg.reps.max(21), Duration::from_secs(3), || {
        LinearBackend::matmul_i32(&t, &xs, cfg.batch)
    });

    let mut results = Vec::new();
    for &m in &cfg.methods {
        progress(&format!("{}: commit, prove, verify", m.name()));
        let r = match m {
            Method::TernarySparse => bench_linear(m, &t, &key, &xs, &expected, cfg)?,
            Method::Sparse => {
                let s = int8_like(&t, cfg.seed ^ 0x1a7);
                let expected = s.matmul_i32(&xs, cfg.batch);
                bench_linear(m, &s, &key, &xs, &expected, cfg)?
            }
            Method::DenseSumcheck => bench_linear(m, &densify(&t), &key, &xs, &expected, cfg)?,
            Method::DenseGkr => bench_gkr(&t, &key, &xs, &expected, cfg)?,
        };
        results.push(r);
    }
    Ok(Report {
        rows: cfg.rows,
        cols: cfg.cols,
        density: cfg.density,
        nnz: t.nnz(),
        batch: cfg.batch,
        threads: rayon::current_num_threads(),
        simd: ternzk_prover::simd_path(),
        setup_ms,
        plain_matvec_ms,
        results,
    })
}

fn bench_linear<M: LinearBackend>(
    method: Method,
    m: &M,
    key: &HyraxKey,
    xs: &[i32],
    expected: &[i32],
    cfg: &Config,
) -> Result<MethodResult> {
    let t0 = Instant::now();
    let vk = LinearVk::commit(m, key)?;
    let commit_ms = t0.elapsed().as_secs_f64() * 1e3;
    let mut prove_reps = 0;
    let (prove_ms, proved) = median_ms(cfg.reps, cfg.budget, || {
        prove_reps += 1;
        linear::prove(m, &vk, xs, cfg.batch)
    });
    let (ys, proof) = proved?;
    if ys != expected {
        bail!(
            "{}: proven output differs from the integer engine",
            method.name()
        );
    }
    let bytes = proof.to_bytes();
    let t0 = Instant::now();
    let prepared = vk.prepare(key)?;
    let prepare_ms = t0.elapsed().as_secs_f64() * 1e3;
    let (verify_ms, accepted) = median_ms(cfg.reps, cfg.budget, || {
        LinearProof::from_bytes(&vk, &bytes)
            .and_then(|p| linear::verify_prepared(&prepared, xs, &ys, cfg.batch, &p))
    });
    let (verify_cold_ms, accepted_cold) = median_ms(cfg.reps, cfg.budget, || {
        LinearProof::from_bytes(&vk, &bytes)
            .and_then(|p| linear::verify(key, &vk, xs, &ys, cfg.batch, &p))
    });
    Ok(MethodResult {
        method: method.name().into(),
        commit_ms,
        prove_ms,
        verify_ms,
        prepare_ms: Some(prepare_ms),
        verify_cold_ms: Some(verify_cold_ms),
        proof_bytes: bytes.len(),
        verified: accepted.is_ok() && accepted_cold.is_ok(),
        prove_reps,
    })
}

/// Benchmarks `dense-gkr` on the dense form of `t` (batch 1 only: the circuit proves
/// one input).
fn bench_gkr(
    t: &TernaryCsr,
    key: &HyraxKey,
    xs: &[i32],
    expected: &[i32],
    cfg: &Config,
) -> Result<MethodResult> {
    if cfg.batch != 1 {
        bail!("dense-gkr proves one input per proof; run it with --batch 1");
    }
    let w = densify(t);
    let c = MatVecCircuit::new(t.n_out, t.n_in).context("building the circuit")?;
    let t0 = Instant::now();
    let vk = LinearVk::commit(&w, key)?;
    let commit_ms = t0.elapsed().as_secs_f64() * 1e3;
    let mut prove_reps = 0;
    let (prove_ms, proved) = median_ms(cfg.reps, cfg.budget, || {
        prove_reps += 1;
        matvec_gkr::prove(&c, &w, &vk, xs)
    });
    let (y, bytes) = proved?;
    if y != expected {
        bail!("dense-gkr: proven output differs from the integer engine");
    }
    let (verify_ms, accepted) = median_ms(cfg.reps, cfg.budget, || {
        matvec_gkr::verify(&c, key, &vk, xs, &y, &bytes)
    });
    Ok(MethodResult {
        method: Method::DenseGkr.name().into(),
        commit_ms,
        prove_ms,
        verify_ms,
        prepare_ms: None,
        verify_cold_ms: None,
        proof_bytes: bytes.len(),
        verified: accepted.is_ok(),
        prove_reps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_method_lists() {
        assert_eq!(
            Method::parse_list("ternary-sparse, dense-gkr").unwrap(),
            vec![Method::TernarySparse, Method::DenseGkr]
        );
        assert!(Method::parse_list("ternary,foo").is_err());
    }

    #[test]
    fn small_run_verifies_every_method() {
        let cfg = Config {
            rows: 50,
            cols: 70,
            density: 0.2,
            batch: 1,
            methods: Method::ALL.to_vec(),
            reps: 2,
            budget: Duration::from_secs(5),
            seed: 1,
        };
        let r = run(&cfg, &mut |_| {}).unwrap();
        assert_eq!(r.results.len(), 4);
        for m in &r.results {
            assert!(m.verified, "{} did not verify", m.method);
            assert!(m.proof_bytes > 0);
        }
        let batched = Config {
            batch: 3,
            methods: vec![Method::TernarySparse, Method::Sparse, Method::DenseSumcheck],
            ..cfg.clone()
        };
        assert!(run(&batched, &mut |_| {})
            .unwrap()
            .results
            .iter()
            .all(|m| m.verified));
        assert!(Config {
            density: 1.5,
            ..cfg.clone()
        }
        .validate()
        .is_err());
        assert!(Config { batch: 0, ..cfg }.validate().is_err());
    }
}

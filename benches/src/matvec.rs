//! `ternzk bench matvec`: one random ternary matrix, the statement `Y = W·X` proven
//! by every requested method, each timed (median of repetitions) in the same process.
//! `ternary-zk` proves it in zero knowledge (the input hidden behind a commitment,
//! [`ternzk_prover::zk_linear`]) and is set beside the public `ternary-sparse` row of
//! the same run.

use crate::timing::median_ms;
use anyhow::{anyhow, bail, ensure, Context, Result};
use rand::SeedableRng;
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
use ternzk_prover::zk_linear::{self, MaskKey, ZkLinearProof};

/// The ways the same statement can be proven.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Ternary CSR: additions and subtractions only.
    TernarySparse,
    /// Ternary CSR in zero knowledge: the input is a hiding commitment, the proof
    /// reveals nothing else about it ([`ternzk_prover::zk_linear`]).
    TernaryZk,
    /// Int8 values on the same nonzero pattern: one multiplication per nonzero.
    Sparse,
    /// The dense matrix: one multiplication per entry.
    DenseSumcheck,
    /// A layered arithmetic circuit proven by a generic linear-time GKR.
    DenseGkr,
}

impl Method {
    /// Every method, in report order.
    pub const ALL: [Method; 5] = [
        Method::TernarySparse,
        Method::TernaryZk,
        Method::Sparse,
        Method::DenseSumcheck,
        Method::DenseGkr,
    ];

    /// The public-input methods (every method but [`Method::TernaryZk`]), in report
    /// order.
    pub const PUBLIC: [Method; 4] = [
        Method::TernarySparse,
        Method::Sparse,
        Method::DenseSumcheck,
        Method::DenseGkr,
    ];

    /// The method's name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Method::TernarySparse => "ternary-sparse",
            Method::TernaryZk => "ternary-zk",
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
    /// Whether the proof is zero-knowledge (the input hidden; `ternary-zk`).
    pub zero_knowledge: bool,
    /// `ternary-zk`: the input commitment the verifier holds instead of the input
    /// (32 bytes per batch row, rounded up to a power of two), not in `proof_bytes`.
    pub input_commitment_bytes: Option<usize>,
    /// `ternary-zk`: its prove, verify and proof-size ratios to the public
    /// `ternary-sparse` row of the same run (`null` for the other methods).
    pub over_public: Option<OverPublic>,
}

/// A zero-knowledge row's cost as multiples of the public ternary row's, measured in
/// the same run on the same matrix and inputs.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct OverPublic {
    /// Prove ms ÷ the public prove ms.
    pub prove: f64,
    /// Verify ms ÷ the public verify ms (prepared key).
    pub verify: f64,
    /// Proof bytes ÷ the public proof bytes.
    pub proof_bytes: f64,
}

impl OverPublic {
    /// The ratios of `zk` to `public`. Cost: O(1).
    pub fn of(zk: &MethodResult, public: &MethodResult) -> Self {
        OverPublic {
            prove: zk.prove_ms / public.prove_ms,
            verify: zk.verify_ms / public.verify_ms,
            proof_bytes: zk.proof_bytes as f64 / public.proof_bytes as f64,
        }
    }
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

    let mut results: Vec<MethodResult> = Vec::new();
    for m in with_baseline(&cfg.methods) {
        progress(&format!("{}: commit, prove, verify", m.name()));
        let r = match m {
            Method::TernarySparse => bench_linear(m, &t, &key, &xs, &expected, cfg)?,
            Method::TernaryZk => {
                let mut r = bench_zk(&t, &key, &xs, &expected, cfg)?;
                let public = results
                    .iter()
                    .find(|p| p.method == Method::TernarySparse.name());
                r.over_public = public.map(|p| OverPublic::of(&r, p));
                r
            }
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

/// `methods` with `ternary-sparse` put before `ternary-zk` when it is missing: the
/// zero-knowledge row's ratios need the public row of the same run. Cost: O(methods).
pub fn with_baseline(methods: &[Method]) -> Vec<Method> {
    let mut out = Vec::with_capacity(methods.len() + 1);
    for &m in methods {
        if m == Method::TernaryZk && !methods.contains(&Method::TernarySparse) {
            out.push(Method::TernarySparse);
        }
        out.push(m);
    }
    out
}

/// Commits `m` under `key`; returns the key and the time it took in ms.
/// Cost: one commitment.
fn timed_commit<M: LinearBackend + ?Sized>(m: &M, key: &HyraxKey) -> Result<(LinearVk, f64)> {
    let t0 = Instant::now();
    let vk = LinearVk::commit(m, key)?;
    Ok((vk, t0.elapsed().as_secs_f64() * 1e3))
}

/// Fails, naming `method`, unless its proven output is the integer engine's.
/// Cost: O(output length).
fn check_output(method: Method, proven: &[i32], expected: &[i32]) -> Result<()> {
    if proven != expected {
        bail!(
            "{}: proven output differs from the integer engine",
            method.name()
        );
    }
    Ok(())
}

fn bench_linear<M: LinearBackend>(
    method: Method,
    m: &M,
    key: &HyraxKey,
    xs: &[i32],
    expected: &[i32],
    cfg: &Config,
) -> Result<MethodResult> {
    let (vk, commit_ms) = timed_commit(m, key)?;
    let mut prove_reps = 0;
    let (prove_ms, proved) = median_ms(cfg.reps, cfg.budget, || {
        prove_reps += 1;
        linear::prove(m, &vk, xs, cfg.batch)
    });
    let (ys, proof) = proved?;
    check_output(method, &ys, expected)?;
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
        zero_knowledge: false,
        input_commitment_bytes: None,
        over_public: None,
    })
}

/// Decodes a `ternary-zk` proof and verifies it against the input commitment and the
/// output: what the verifier of the zero-knowledge row runs. Cost: decoding plus
/// [`zk_linear::verify`].
pub fn verify_zk_bytes(
    key: &HyraxKey,
    mask: &MaskKey,
    vk: &LinearVk,
    input: &ternzk_prover::hyrax::HyraxCommitment,
    ys: &[i32],
    batch: usize,
    bytes: &[u8],
) -> ternzk_prover::Result<()> {
    ZkLinearProof::from_bytes(vk, bytes)
        .and_then(|p| zk_linear::verify(key, mask, vk, input, ys, batch, &p))
}

/// Benchmarks `ternary-zk`: per repetition the prover commits to the inputs (blinded
/// rows) and proves `Y = W·X` in zero knowledge (both in `prove_ms`); the verifier
/// decodes the proof and checks it against the commitment (the unprepared key: the
/// zero-knowledge verifier has no prepared form). The mask generators are derived once,
/// outside the timings, like the Hyrax ones.
fn bench_zk(
    t: &TernaryCsr,
    key: &HyraxKey,
    xs: &[i32],
    expected: &[i32],
    cfg: &Config,
) -> Result<MethodResult> {
    let (vk, commit_ms) = timed_commit(t, key)?;
    let mask = MaskKey::new(t.col_vars().max(1));
    let mut rng = rand::rngs::StdRng::from_entropy();
    let mut prove_reps = 0;
    let (prove_ms, proved) = median_ms(cfg.reps, cfg.budget, || {
        prove_reps += 1;
        zk_linear::commit_input(key, &mask, &vk, xs, cfg.batch, &mut rng).and_then(|input| {
            zk_linear::prove(t, &vk, key, &mask, xs, cfg.batch, &input, &mut rng)
                .map(|(ys, proof)| (input, ys, proof))
        })
    });
    let (input, ys, proof) = proved?;
    check_output(Method::TernaryZk, &ys, expected)?;
    let bytes = proof.to_bytes();
    let (verify_ms, accepted) = median_ms(cfg.reps, cfg.budget, || {
        verify_zk_bytes(key, &mask, &vk, &input.commitment, &ys, cfg.batch, &bytes)
    });
    Ok(MethodResult {
        method: Method::TernaryZk.name().into(),
        commit_ms,
        prove_ms,
        verify_ms,
        prepare_ms: None,
        verify_cold_ms: None,
        proof_bytes: bytes.len(),
        verified: accepted.is_ok(),
        prove_reps,
        zero_knowledge: true,
        input_commitment_bytes: Some(32 * input.commitment.rows.len()),
        over_public: None,
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
    let (vk, commit_ms) = timed_commit(&w, key)?;
    let mut prove_reps = 0;
    let (prove_ms, proved) = median_ms(cfg.reps, cfg.budget, || {
        prove_reps += 1;
        matvec_gkr::prove(&c, &w, &vk, xs)
    });
    let (y, bytes) = proved?;
    check_output(Method::DenseGkr, &y, expected)?;
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
        zero_knowledge: false,
        input_commitment_bytes: None,
        over_public: None,
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
        assert_eq!(
            Method::parse_list("ternary-zk").unwrap(),
            vec![Method::TernaryZk]
        );
        assert_eq!(
            with_baseline(&[Method::Sparse, Method::TernaryZk]),
            vec![Method::Sparse, Method::TernarySparse, Method::TernaryZk]
        );
        assert_eq!(
            with_baseline(&[Method::TernaryZk, Method::TernarySparse]),
            vec![Method::TernaryZk, Method::TernarySparse]
        );
    }

    #[test]
    fn the_zero_knowledge_row_verifies_and_is_set_beside_the_public_one() {
        for batch in [1, 3] {
            let cfg = Config {
                rows: 40,
                cols: 60,
                density: 0.25,
                batch,
                methods: vec![Method::TernaryZk],
                reps: 2,
                budget: Duration::from_secs(5),
                seed: 3,
            };
            let r = run(&cfg, &mut |_| {}).unwrap();
            let names: Vec<&str> = r.results.iter().map(|m| m.method.as_str()).collect();
            assert_eq!(names, ["ternary-sparse", "ternary-zk"], "baseline added");
            let (public, zk) = (&r.results[0], &r.results[1]);
            assert!(zk.verified && zk.zero_knowledge && !public.zero_knowledge);
            assert_eq!(
                zk.input_commitment_bytes,
                Some(32 * batch.next_power_of_two())
            );
            // 4 + 32·(11 + 5b + 2^(b+1)) with b = 6.
            assert_eq!(zk.proof_bytes, 4 + 32 * (11 + 30 + 128));
            let over = zk.over_public.expect("ratios to the public row");
            assert_eq!(over, OverPublic::of(zk, public));
            assert!(over.prove > 0.0 && over.verify > 0.0);
            assert!(public.over_public.is_none());
        }
    }

    /// The verifier the zero-knowledge row times accepts the honest proof and rejects
    /// a tampered one, another output and another input commitment.
    #[test]
    fn the_zero_knowledge_verifier_rejects_tampering() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let t = random::ternary(30, 50, 0.3, 11);
        let key = HyraxKey::new(t.col_vars());
        let mask = MaskKey::new(t.col_vars());
        let vk = LinearVk::commit(&t, &key).unwrap();
        let xs = random::activations(50, 2, 12);
        let input = zk_linear::commit_input(&key, &mask, &vk, &xs, 2, &mut rng).unwrap();
        let (ys, proof) = zk_linear::prove(&t, &vk, &key, &mask, &xs, 2, &input, &mut rng).unwrap();
        let bytes = proof.to_bytes();
        let check = |c: &ternzk_prover::hyrax::HyraxCommitment, ys: &[i32], b: &[u8]| {
            verify_zk_bytes(&key, &mask, &vk, c, ys, 2, b)
        };
        check(&input.commitment, &ys, &bytes).expect("honest proof");
        for i in [4, 40, bytes.len() / 2, bytes.len() - 1] {
            let mut bad = bytes.clone();
            bad[i] ^= 1;
            assert!(check(&input.commitment, &ys, &bad).is_err(), "byte {i}");
        }
        let mut wrong = ys.clone();
        wrong[0] += 1;
        assert!(check(&input.commitment, &wrong, &bytes).is_err());
        let other = zk_linear::commit_input(&key, &mask, &vk, &xs, 2, &mut rng).unwrap();
        assert!(
            check(&other.commitment, &ys, &bytes).is_err(),
            "a fresh commitment to the same input has other blindings"
        );
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
        assert_eq!(r.results.len(), 5);
        for m in &r.results {
            assert!(m.verified, "{} did not verify", m.method);
            assert!(m.proof_bytes > 0);
        }
        let batched = Config {
            batch: 3,
            methods: vec![
                Method::TernarySparse,
                Method::TernaryZk,
                Method::Sparse,
                Method::DenseSumcheck,
            ],
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

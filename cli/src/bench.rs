//! `ternzk bench …`: benchmarks whose ratios are measured within one run.

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use std::time::Duration;
use ternzk_bench::matvec::{self, Config, Method, Report};

/// Benchmark subcommands.
#[derive(clap::Subcommand)]
pub enum BenchCommand {
    /// Prove `y = W·x` for a random ternary matrix with each method, beside the plain
    /// integer mat-vec.
    Matvec(MatvecArgs),
}

/// Arguments of `ternzk bench matvec`.
#[derive(clap::Args)]
pub struct MatvecArgs {
    /// Rows of W (outputs).
    #[arg(long, default_value_t = 4096)]
    rows: usize,
    /// Columns of W (inputs).
    #[arg(long, default_value_t = 4096)]
    cols: usize,
    /// Fraction of nonzero weights.
    #[arg(long, default_value_t = 0.0625)]
    density: f64,
    /// Inputs proven together in one proof.
    #[arg(long, default_value_t = 1)]
    batch: usize,
    /// Comma-separated methods: ternary-sparse, ternary-zk, sparse, dense-sumcheck,
    /// dense-gkr. ternary-zk is the zero-knowledge proof (hidden input) and brings
    /// ternary-sparse along, its public baseline. Default: all five for --batch 1;
    /// without dense-gkr (one input per proof) otherwise.
    #[arg(long)]
    methods: Option<String>,
    /// Repetitions per timed step (medians are reported).
    #[arg(long, default_value_t = 7)]
    reps: usize,
    /// Seconds after which a step stops repeating (slow baselines run fewer times).
    #[arg(long, default_value_t = 20.0)]
    budget_secs: f64,
    /// Seed of the random matrix and inputs.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs a benchmark subcommand.
pub fn run(c: BenchCommand) -> Result<()> {
    match c {
        BenchCommand::Matvec(a) => run_matvec(a),
    }
}

fn run_matvec(a: MatvecArgs) -> Result<()> {
    anyhow::ensure!(
        a.budget_secs.is_finite() && a.budget_secs >= 0.0,
        "--budget-secs must be a non-negative number"
    );
    let cfg = Config {
        rows: a.rows,
        cols: a.cols,
        density: a.density,
        batch: a.batch,
        methods: match &a.methods {
            Some(list) => Method::parse_list(list)?,
            None if a.batch == 1 => Method::ALL.to_vec(),
            None => Method::ALL
                .into_iter()
                .filter(|m| *m != Method::DenseGkr)
                .collect(),
        },
        reps: a.reps,
        budget: Duration::from_secs_f64(a.budget_secs),
        seed: a.seed,
    };
    cfg.validate()?;
    // A spinner on stderr; indicatif hides it when stderr is not a terminal.
    let bar = ProgressBar::new_spinner();
    bar.set_style(ProgressStyle::with_template("{spinner} {elapsed} {msg}")?);
    bar.enable_steady_tick(Duration::from_millis(120));
    let report = matvec::run(&cfg, &mut |msg| bar.set_message(msg.to_string()));
    bar.finish_and_clear();
    let report = report?;
    if a.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_table(&report);
    }
    if report.results.iter().any(|r| !r.verified) {
        anyhow::bail!("a proof did not verify");
    }
    Ok(())
}

fn print_table(r: &Report) {
    println!(
        "mat-vec {}×{}, density {}, nnz {}, batch {}, {} threads, SIMD {}",
        r.rows, r.cols, r.density, r.nnz, r.batch, r.threads, r.simd
    );
    println!(
        "generators: {:.1} ms (once)   plain integer mat-vec: {:.3} ms",
        r.setup_ms, r.plain_matvec_ms
    );
    println!(
        "{:<16} {:>10} {:>11} {:>10} {:>10} {:>10} {:>10} {:>9} {:>9}",
        "method",
        "commit ms",
        "prove ms",
        "verify ms",
        "cold ms",
        "prep ms",
        "proof KiB",
        "×plain",
        "verified"
    );
    let opt = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.1}"));
    for m in &r.results {
        println!(
            "{:<16} {:>10.1} {:>11.3} {:>10.3} {:>10} {:>10} {:>10.1} {:>9.1} {:>9}",
            m.method,
            m.commit_ms,
            m.prove_ms,
            m.verify_ms,
            opt(m.verify_cold_ms),
            opt(m.prepare_ms),
            m.proof_bytes as f64 / 1024.0,
            m.prove_ms / r.plain_matvec_ms,
            m.verified
        );
    }
    println!("(verify: prepared key; cold: unprepared key; prep: preparing the key, once)");
    for m in &r.results {
        if let Some(o) = m.over_public {
            println!(
                "{} (zero-knowledge, input hidden): prove {:.1}×, verify {:.1}×, proof {:.1}× \
                 the public ternary-sparse; the verifier also holds a {}-byte input commitment",
                m.method,
                o.prove,
                o.verify,
                o.proof_bytes,
                m.input_commitment_bytes.unwrap_or(0)
            );
        }
    }
    if let Some(base) = r.results.iter().find(|m| m.method == "ternary-sparse") {
        for m in r
            .results
            .iter()
            .filter(|m| m.method != "ternary-sparse" && !m.zero_knowledge)
        {
            println!(
                "ternary-sparse proves {:.0}× faster than {}",
                m.prove_ms / base.prove_ms,
                m.method
            );
        }
    }
}

//! `ternzk`: the command-line front end. Each subcommand lives in its own module.

use clap::{Parser, Subcommand};

mod bench;
mod compile;
mod eval;

/// Prove that a committed sparse ternary MLP produced an output, fast.
#[derive(Parser)]
#[command(name = "ternzk", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Benchmarks (prover methods against each other and the plain integer floor).
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Compile a dense .safetensors MLP into a pruned, ternarized, quantized CSR model.
    Compile(compile::Args),
    /// Evaluate a dense or compiled model's accuracy on a data set.
    Eval(eval::Args),
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Bench(c) => bench::run(c),
        Command::Compile(a) => compile::run(a),
        Command::Eval(a) => eval::run(a),
    };
    if let Err(e) = result {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

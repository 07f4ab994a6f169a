//! `ternzk`: the command-line front end. Each subcommand lives in its own module.

use clap::{Parser, Subcommand};

/// mimalloc keeps freed memory for reuse: the prover allocates and drops many
/// multi-megabyte tables, which glibc returns to the kernel and faults in again
/// (page faults were about a tenth of a proof's time).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod check_key;
mod commit;
mod compile;
mod data_args;
mod eval;
mod proofio;
mod prove;
mod report;
#[cfg(feature = "train")]
mod train;
mod verify;

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
    /// Commit to a compiled model: write its verifying key (--hiding: a private-model key).
    Commit(commit::Args),
    /// Check a hiding key's proof that its committed weights are ternary (exit code 0
    /// only on accept).
    CheckKey(check_key::Args),
    /// Run a compiled model on inputs and prove the output.
    Prove(prove::Args),
    /// Check a proof against a verifying key (exit code 0 only on accept).
    Verify(verify::Args),
    /// Run the benchmark suite and write a markdown report with SVG plots.
    Report(report::Args),
    /// Train a dense MLP on Fashion-MNIST, or fine-tune one into a ternary model (--qat).
    #[cfg(feature = "train")]
    Train(train::Args),
}

fn main() {
    // A closed stdout (`ternzk verify … | head -1`) ends the process quietly, as it
    // does other Unix tools, instead of a panic inside `println!`.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal, before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Bench(c) => bench::run(c),
        Command::Compile(a) => compile::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Commit(a) => commit::run(a),
        Command::CheckKey(a) => check_key::run(a),
        Command::Prove(a) => prove::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Report(a) => report::run(a),
        #[cfg(feature = "train")]
        Command::Train(a) => train::run(a),
    };
    if let Err(e) = result {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

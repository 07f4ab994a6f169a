//! `ternzk bench …`.

/// Benchmark subcommands.
#[derive(clap::Subcommand)]
pub enum BenchCommand {}

/// Runs a benchmark subcommand.
pub fn run(c: BenchCommand) -> anyhow::Result<()> {
    match c {}
}

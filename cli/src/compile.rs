//! `ternzk compile` (owned by the compiler work; placeholder wiring only).

/// Arguments of `ternzk compile`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `ternzk compile`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`ternzk compile` is not implemented yet")
}

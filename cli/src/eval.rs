//! `ternzk eval` (owned by the compiler work; placeholder wiring only).

/// Arguments of `ternzk eval`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `ternzk eval`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`ternzk eval` is not implemented yet")
}

//! The `dense-gkr` method (being wired to the GKR prover).
use crate::matvec::{Config, MethodResult};
use ternzk_prover::{hyrax::HyraxKey, TernaryCsr};

/// Benchmarks the dense GKR baseline.
pub fn bench(
    _t: &TernaryCsr,
    _key: &HyraxKey,
    _xs: &[i32],
    _expected: &[i32],
    _cfg: &Config,
) -> anyhow::Result<MethodResult> {
    anyhow::bail!("dense-gkr is not wired yet")
}

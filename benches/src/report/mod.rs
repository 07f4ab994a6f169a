//! `ternzk report`: a benchmark suite written out as a markdown report with SVG
//! plots, every number next to the command that produced it.
//!
//! - [`suite`] plans and runs the measurements and builds the sections
//!   ([`density`], [`scaling`], [`batch`], [`ezkl`], and the MLP sections of
//!   [`mlp`], which run the `ternzk` commands themselves);
//! - [`section`] is the generic section type, [`markdown`] renders it,
//!   [`plot`] draws its plots, [`output`] writes the files;
//! - [`measure`] runs one `ternzk bench matvec` configuration, [`command`] spells
//!   out its command line, [`fit`] fits power laws, [`machine`] describes the host.

pub mod batch;
pub mod command;
pub mod density;
pub mod ezkl;
pub mod fit;
pub mod machine;
pub mod markdown;
pub mod measure;
pub mod mlp;
pub mod output;
pub mod plot;
pub mod scaling;
pub mod section;
pub mod suite;

#[cfg(test)]
pub(crate) mod tests {
    use super::command::bench_matvec;
    use super::measure::Measurement;
    use crate::matvec::{Config, Method, MethodResult, Report};

    /// A measurement of `cfg` with made-up timings: `prove(method)` ms per method,
    /// verify 30 ms, plain mat-vec 1 ms, nnz = rows·cols·density.
    pub fn fake_measurement(cfg: &Config, prove: impl Fn(Method) -> f64) -> Measurement {
        let results = cfg
            .methods
            .iter()
            .map(|&m| MethodResult {
                method: m.name().into(),
                commit_ms: 100.0,
                prove_ms: prove(m),
                verify_ms: 30.0,
                prepare_ms: None,
                verify_cold_ms: None,
                proof_bytes: 131_840,
                verified: true,
                prove_reps: cfg.reps,
                zero_knowledge: m == Method::TernaryZk,
                input_commitment_bytes: None,
                over_public: None,
            })
            .collect();
        Measurement {
            command: bench_matvec(cfg),
            report: Report {
                rows: cfg.rows,
                cols: cfg.cols,
                density: cfg.density,
                nnz: (cfg.rows as f64 * cfg.cols as f64 * cfg.density).round() as usize,
                batch: cfg.batch,
                threads: 2,
                simd: "scalar",
                setup_ms: 1.0,
                plain_matvec_ms: 1.0,
                results,
            },
        }
    }
}

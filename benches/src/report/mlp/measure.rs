//! Runs a [`Plan`] through a [`Runner`]: per ladder model, compile (or evaluate),
//! commit, prove batch 1 and verify, `reps` times each; the batch model's
//! zero-knowledge proofs (`--private-input`; then, against a hiding key, private-model
//! and private-both; batch 1) the same way; then the larger
//! batches of the batch model. Also the medians the sections show ([`ProveSummary`],
//! [`VerifySummary`]).

use super::outputs::{parse, Breakdown, Committed, Compiled, Evaluated, Proved, Verified};
use super::plan::{ModelSpec, Plan, Source, ZkMode};
use super::runner::{Runner, Step};
use crate::timing::median;
use anyhow::{bail, ensure, Result};
use std::path::Path;

/// A ladder model, measured.
#[derive(Clone, Debug)]
pub struct ModelResult {
    /// The model.
    pub spec: ModelSpec,
    /// Test accuracy of the integer engine (10k Fashion-MNIST test images).
    pub accuracy: Option<f64>,
    /// Nonzero weights.
    pub nnz: u64,
    /// Its commitment.
    pub commit: Committed,
    /// The batch-1 proofs, one per repetition.
    pub proves: Vec<Proved>,
    /// Verifications of the batch-1 proof, one per repetition.
    pub verifies: Vec<Verified>,
}

/// One batch size of the batch model, measured.
#[derive(Clone, Debug)]
pub struct BatchResult {
    /// Inputs per proof.
    pub batch: usize,
    /// The proofs, one per repetition.
    pub proves: Vec<Proved>,
    /// Verifications, one per repetition.
    pub verifies: Vec<Verified>,
}

/// The batch model's zero-knowledge proof (`ternzk prove --private-input`, batch 1,
/// test image 0), measured like its ladder row: one proof per process.
#[derive(Clone, Debug)]
pub struct ZkResult {
    /// The proofs, one per repetition.
    pub proves: Vec<Proved>,
    /// Verifications of the proof, one per repetition.
    pub verifies: Vec<Verified>,
}

/// The batch model's hidden-model proofs: its hiding key (`ternzk commit --hiding`)
/// and the private-model and private-both proofs made against it, measured like the
/// private-input proof (batch 1, test image 0, one proof per process).
#[derive(Clone, Debug)]
pub struct HiddenResult {
    /// The hiding key's commitment.
    pub commit: Committed,
    /// Private-model proofs (model hidden, input public) and their verifications.
    pub private_model: ZkResult,
    /// Private-both proofs (model and input hidden) and their verifications.
    pub private_both: ZkResult,
}

/// Everything the MLP sections are built from.
#[derive(Clone, Debug)]
pub struct Results {
    /// What ran.
    pub plan: Plan,
    /// Ladder models in plan order (those whose file was missing left out).
    pub models: Vec<ModelResult>,
    /// Ladder models that were skipped, with the reason.
    pub skipped: Vec<(ModelSpec, String)>,
    /// The batch model's zero-knowledge proof at batch 1 (measured right after the
    /// ladder, in the same run).
    pub zk: Option<ZkResult>,
    /// The batch model's private-model and private-both proofs (measured right
    /// after its private-input proof, in the same run).
    pub hidden: Option<HiddenResult>,
    /// The batch model at every batch size of the plan, in order.
    pub batches: Vec<BatchResult>,
    /// Every command that ran, in order, with its JSON.
    pub steps: Vec<Step>,
}

impl Results {
    /// The batch model's ladder row. Cost: O(models).
    pub fn batch_model(&self) -> Option<&ModelResult> {
        self.models.iter().find(|m| m.spec == self.plan.batch_model)
    }
}

/// Medians over a step's repeated proofs.
#[derive(Clone, Debug, PartialEq)]
pub struct ProveSummary {
    /// Number of proofs.
    pub runs: usize,
    /// Median prove time, ms.
    pub prove_ms: f64,
    /// Median integer-inference time, ms.
    pub infer_ms: f64,
    /// Median time deriving the Hyrax generators (outside `prove_ms`), ms.
    pub setup_ms: f64,
    /// Proof size (the largest seen; all runs prove the same statement).
    pub proof_bytes: u64,
    /// Largest peak resident memory, MiB.
    pub peak_rss_mb: Option<f64>,
    /// The breakdown of the run whose prove time is the median.
    pub breakdown: Breakdown,
}

/// Summarizes non-empty `proves`. Cost: O(n log n).
pub fn summarize_proves(proves: &[Proved]) -> ProveSummary {
    let mut order: Vec<&Proved> = proves.iter().collect();
    order.sort_by(|a, b| a.prove_ms.total_cmp(&b.prove_ms));
    ProveSummary {
        runs: proves.len(),
        prove_ms: median(&mut proves.iter().map(|p| p.prove_ms).collect::<Vec<_>>()),
        infer_ms: median(&mut proves.iter().map(|p| p.infer_ms).collect::<Vec<_>>()),
        setup_ms: median(&mut proves.iter().map(|p| p.setup_ms).collect::<Vec<_>>()),
        proof_bytes: proves.iter().map(|p| p.proof_bytes).max().unwrap_or(0),
        peak_rss_mb: max_peak(proves.iter().map(|p| p.peak_rss_mb)),
        breakdown: order[order.len() / 2].breakdown_ms,
    }
}

/// Medians over repeated verifications.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifySummary {
    /// Number of verifications.
    pub runs: usize,
    /// Median verify time, ms.
    pub verify_ms: f64,
    /// Largest peak resident memory, MiB.
    pub peak_rss_mb: Option<f64>,
    /// Median hiding-key check (outside `verify_ms`), ms; `None` for a public key.
    pub key_check_ms: Option<f64>,
}

/// Summarizes non-empty `verifies`. Cost: O(n log n).
pub fn summarize_verifies(verifies: &[Verified]) -> VerifySummary {
    let mut checks: Vec<f64> = verifies.iter().filter_map(|v| v.key_check_ms).collect();
    VerifySummary {
        runs: verifies.len(),
        verify_ms: median(&mut verifies.iter().map(|v| v.verify_ms).collect::<Vec<_>>()),
        peak_rss_mb: max_peak(verifies.iter().map(|v| v.peak_rss_mb)),
        key_check_ms: (!checks.is_empty()).then(|| median(&mut checks)),
    }
}

fn max_peak(it: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    it.flatten().reduce(f64::max)
}

/// Runs `plan` in `runner`, whose `models/` is `models_dir`. A ladder model whose
/// source file is missing is skipped (with the reason); the batch model must exist.
/// Fails if a command fails or a proof is rejected. Cost: that of the commands.
pub fn run(
    plan: &Plan,
    runner: &Runner,
    models_dir: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<Results> {
    let mut r = Results {
        plan: plan.clone(),
        models: Vec::new(),
        skipped: Vec::new(),
        zk: None,
        hidden: None,
        batches: Vec::new(),
        steps: Vec::new(),
    };
    for spec in &plan.ladder {
        let rel = spec.source_path();
        let file = models_dir.join(rel.strip_prefix("models/").unwrap_or(rel));
        if !file.is_file() {
            ensure!(
                *spec != plan.batch_model,
                "{rel} is missing: the batch sections need it"
            );
            r.skipped.push((spec.clone(), format!("`{rel}` not found")));
            continue;
        }
        let m = measure_model(spec, plan.reps, runner, &mut r.steps, progress)?;
        r.models.push(m);
    }
    // The batch model was committed by the ladder (it must exist, checked above).
    if r.models.iter().any(|m| m.spec == plan.batch_model) {
        let spec = &plan.batch_model;
        let steps = &mut r.steps;
        r.zk = Some(measure_zk(
            spec,
            ZkMode::PrivateInput,
            plan.reps,
            runner,
            steps,
            progress,
        )?);
        progress(&format!("MLP {}: commit (hiding key)", spec.name()));
        let s = runner.run(&spec.commit_hiding_args())?;
        let commit: Committed = parse(&s.output, &s.command)?;
        steps.push(s);
        let private_model = measure_zk(
            spec,
            ZkMode::PrivateModel,
            plan.reps,
            runner,
            steps,
            progress,
        )?;
        let private_both = measure_zk(
            spec,
            ZkMode::PrivateBoth,
            plan.reps,
            runner,
            steps,
            progress,
        )?;
        r.hidden = Some(HiddenResult {
            commit,
            private_model,
            private_both,
        });
    }
    // Every batch size, batch 1 included, is measured the same way: in-process
    // medians of `plan.in_process` proofs (the ladder's batch-1 row is one proof per
    // process, so it is not reused here).
    let spec = &plan.batch_model;
    for &b in &plan.batches {
        let (proves, verifies) = prove_and_verify(
            spec,
            b,
            plan.reps,
            plan.in_process,
            runner,
            &mut r.steps,
            progress,
        )?;
        r.batches.push(BatchResult {
            batch: b,
            proves,
            verifies,
        });
    }
    Ok(r)
}

fn measure_model(
    spec: &ModelSpec,
    reps: usize,
    runner: &Runner,
    steps: &mut Vec<Step>,
    progress: &mut dyn FnMut(&str),
) -> Result<ModelResult> {
    let name = spec.name();
    let (accuracy, nnz) = match &spec.source {
        Source::Dense(_) => {
            progress(&format!("MLP {name}: compile and evaluate"));
            let s = runner.run(&spec.prepare_args())?;
            let c: Compiled = parse(&s.output, &s.command)?;
            steps.push(s);
            (c.accuracy_compiled, c.nnz)
        }
        Source::Compiled(_) => {
            progress(&format!("MLP {name}: evaluate"));
            let s = runner.run(&spec.prepare_args())?;
            let e: Evaluated = parse(&s.output, &s.command)?;
            steps.push(s);
            (Some(e.accuracy), e.nnz)
        }
    };
    progress(&format!("MLP {name}: commit"));
    let s = runner.run(&spec.commit_args())?;
    let commit: Committed = parse(&s.output, &s.command)?;
    steps.push(s);
    let (proves, verifies) = prove_and_verify(spec, 1, reps, 1, runner, steps, progress)?;
    Ok(ModelResult {
        spec: spec.clone(),
        accuracy,
        nnz,
        commit,
        proves,
        verifies,
    })
}

/// Proves test image 0 of `spec` in `mode` `reps` times (one proof per process),
/// then verifies the proof `reps` times; fails if a command does not say the proof
/// is zero-knowledge and of `mode`, or the proof is rejected. Cost: `2·reps`
/// commands, about 0.6 s each for 784-256-256-10 at 1/16.
fn measure_zk(
    spec: &ModelSpec,
    mode: ZkMode,
    reps: usize,
    runner: &Runner,
    steps: &mut Vec<Step>,
    progress: &mut dyn FnMut(&str),
) -> Result<ZkResult> {
    let name = spec.name();
    let what = mode.name();
    let reps = reps.max(1);
    let of_mode = |m: &Option<String>| m.as_deref().is_none_or(|m| m == what);
    let mut proves = Vec::new();
    for i in 1..=reps {
        progress(&format!("MLP {name}: {what} prove ({i}/{reps})"));
        let s = runner.run(&spec.prove_mode_args(mode, 1))?;
        let p: Proved = parse(&s.output, &s.command)?;
        ensure!(
            p.zero_knowledge && of_mode(&p.mode),
            "`{}`: the proof is not a zero-knowledge {what} proof",
            s.command
        );
        proves.push(p);
        steps.push(s);
    }
    let mut verifies = Vec::new();
    for i in 1..=reps {
        progress(&format!("MLP {name}: {what} verify ({i}/{reps})"));
        let s = runner.run(&spec.verify_mode_args(mode, 1))?;
        let v: Verified = parse(&s.output, &s.command)?;
        if !v.verified || !v.zero_knowledge || !of_mode(&v.mode) {
            bail!(
                "`{}`: the {what} proof was rejected or not zero-knowledge",
                s.command
            );
        }
        verifies.push(v);
        steps.push(s);
    }
    Ok(ZkResult { proves, verifies })
}

/// Proves batch `batch` `reps` times (each process proving `in_process` times,
/// reporting its median), then verifies the proof `reps` times.
fn prove_and_verify(
    spec: &ModelSpec,
    batch: usize,
    reps: usize,
    in_process: usize,
    runner: &Runner,
    steps: &mut Vec<Step>,
    progress: &mut dyn FnMut(&str),
) -> Result<(Vec<Proved>, Vec<Verified>)> {
    let name = spec.name();
    let reps = reps.max(1);
    let mut proves = Vec::new();
    for i in 1..=reps {
        progress(&format!("MLP {name}: prove batch {batch} ({i}/{reps})"));
        let s = runner.run(&spec.prove_args_reps(batch, in_process))?;
        proves.push(parse::<Proved>(&s.output, &s.command)?);
        steps.push(s);
    }
    let mut verifies = Vec::new();
    for i in 1..=reps {
        progress(&format!("MLP {name}: verify batch {batch} ({i}/{reps})"));
        let s = runner.run(&spec.verify_args(batch))?;
        let v: Verified = parse(&s.output, &s.command)?;
        if !v.verified {
            bail!("`{}`: the proof was rejected", s.command);
        }
        verifies.push(v);
        steps.push(s);
    }
    Ok((proves, verifies))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::outputs::tests::{prove_json, verify_json};
    use super::*;

    /// Proofs with the given prove times (inference 0.5 ms each).
    pub fn proves(batch: usize, times: &[f64]) -> Vec<Proved> {
        times
            .iter()
            .map(|&t| parse(&prove_json(batch, t, 0.5), "prove").unwrap())
            .collect()
    }

    /// Zero-knowledge proofs (batch 1) with the given prove times, 145,953 bytes each.
    pub fn zk_proves(times: &[f64]) -> Vec<Proved> {
        mode_proves("private-input", times, 145_953)
    }

    /// Zero-knowledge proofs of `mode` (batch 1) with the given prove times and size.
    pub fn mode_proves(mode: &str, times: &[f64], bytes: u64) -> Vec<Proved> {
        times
            .iter()
            .map(|&t| {
                let mut j = prove_json(1, t, 0.5);
                j["breakdown_ms"] = serde_json::Value::Null;
                j["zero_knowledge"] = true.into();
                j["mode"] = mode.into();
                j["proof_bytes"] = bytes.into();
                parse(&j, "prove").unwrap()
            })
            .collect()
    }

    /// Verifications of zero-knowledge proofs with the given times.
    pub fn zk_verifies(times: &[f64]) -> Vec<Verified> {
        verifies(times)
            .into_iter()
            .map(|v| Verified {
                zero_knowledge: true,
                ..v
            })
            .collect()
    }

    /// Verifications of hidden-model proofs with the given times, each with a
    /// key check of `check` ms.
    pub fn hidden_verifies(times: &[f64], check: f64) -> Vec<Verified> {
        zk_verifies(times)
            .into_iter()
            .map(|v| Verified {
                key_check_ms: Some(check),
                ..v
            })
            .collect()
    }

    /// Verifications with the given times.
    pub fn verifies(times: &[f64]) -> Vec<Verified> {
        times
            .iter()
            .map(|&t| parse(&verify_json(t), "verify").unwrap())
            .collect()
    }

    /// Results of a full plan with two ladder models measured (784-512-10 at 1/4,
    /// 784-256-256-10 at 1/16: prove 30, 10, 20 ms; verify 5, 6, 7 ms), the big model
    /// skipped, its zero-knowledge proof in 600, 620, 580 ms (verify 300, 310, 290 ms,
    /// 145,953 bytes), its hiding key committed in 250 ms, its private-model proof in
    /// 100, 80, 90 ms (verify 60, 50, 40 ms + a 57 ms key check, 120,200 bytes), its
    /// private-both proof in 800, 900, 1000 ms (verify 60 ms + 59 ms, 180,300 bytes),
    /// and batches 1, 16, 64, 256 proven in `20 + 0.5·B` ms.
    pub fn fake_results() -> Results {
        let plan = Plan::full();
        let model = |spec: ModelSpec, nnz, accuracy, times: &[f64]| ModelResult {
            spec,
            accuracy: Some(accuracy),
            nnz,
            commit: parse(
                &serde_json::json!({"commit_ms": 150.0, "setup_ms": 10.0, "vk_bytes": 5000,
                    "peak_rss_mb": 40.0}),
                "commit",
            )
            .unwrap(),
            proves: proves(1, times),
            verifies: verifies(&[5.0, 7.0, 6.0]),
        };
        let models = vec![
            model(
                ModelSpec::qat("784-512-10", 4),
                101_632,
                0.8751,
                &[40.0, 41.0, 39.0],
            ),
            model(
                plan.batch_model.clone(),
                16_800,
                0.8862,
                &[30.0, 10.0, 20.0],
            ),
        ];
        let mut batches = Vec::new();
        for &b in &plan.batches {
            let (p, v) = if b == 1 {
                (models[1].proves.clone(), models[1].verifies.clone())
            } else {
                (proves(b, &[20.0 + 0.5 * b as f64]), verifies(&[8.0]))
            };
            batches.push(BatchResult {
                batch: b,
                proves: p,
                verifies: v,
            });
        }
        Results {
            skipped: vec![(plan.ladder[6].clone(), "`models/x` not found".into())],
            plan,
            models,
            zk: Some(ZkResult {
                proves: zk_proves(&[600.0, 620.0, 580.0]),
                verifies: zk_verifies(&[300.0, 310.0, 290.0]),
            }),
            hidden: Some(HiddenResult {
                commit: parse(
                    &serde_json::json!({"commit_ms": 250.0, "setup_ms": 10.0,
                        "vk_bytes": 9000, "peak_rss_mb": 45.0}),
                    "commit --hiding",
                )
                .unwrap(),
                private_model: ZkResult {
                    proves: mode_proves("private-model", &[100.0, 80.0, 90.0], 120_200),
                    verifies: hidden_verifies(&[60.0, 50.0, 40.0], 57.0),
                },
                private_both: ZkResult {
                    proves: mode_proves("private-both", &[800.0, 900.0, 1000.0], 180_300),
                    verifies: hidden_verifies(&[60.0, 60.0, 60.0], 59.0),
                },
            }),
            batches,
            steps: Vec::new(),
        }
    }

    #[test]
    fn medians_and_the_median_runs_breakdown() {
        let mut ps = proves(1, &[30.0, 10.0, 20.0]);
        ps[0].peak_rss_mb = Some(99.0);
        let s = summarize_proves(&ps);
        assert_eq!(s.runs, 3);
        assert_eq!(s.prove_ms, 20.0);
        assert_eq!(s.infer_ms, 0.5);
        assert_eq!(s.peak_rss_mb, Some(99.0));
        assert!((s.breakdown.forward - 2.0).abs() < 1e-12);
        let v = summarize_verifies(&verifies(&[5.0, 7.0]));
        assert_eq!(v.verify_ms, 6.0);
        assert_eq!(v.peak_rss_mb, Some(30.0));
    }
}

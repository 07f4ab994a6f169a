//! Section "ternzk vs EZKL": the batch model's measured ternzk rows — the public proof
//! and the zero-knowledge one (`--private-input`) — beside the EZKL rows for the same
//! network — measured by this report run when it ran EZKL ([`super::ezkl_run`]), else
//! the recorded ones of `reports/ezkl/results.json`, said so prominently — the EZKL ÷
//! ternzk ratios against both (EZKL's proofs are zero-knowledge, so the zero-knowledge
//! row is the like-for-like one; what each side hides is stated, from EZKL's recorded
//! visibility settings), and the issue's goal: at least 1000× faster proving than EZKL.

use super::super::ezkl::Row;
use super::super::ezkl::{dates, not_run_note, Data};
use super::super::markdown::num;
use super::super::section::{Repro, Section, Table};
use super::measure::{summarize_proves, summarize_verifies, ModelResult, ZkResult};
use super::plan::{command_line, ModelSpec};
use super::zk::ZkSummary;

/// The goal: EZKL's prove time ÷ ternzk's at least this.
pub const GOAL_SPEEDUP: f64 = 1000.0;

/// How the EZKL rows of 784-256-256-10 are produced (reports/ezkl/README.md has
/// the virtual environment, the SRS cache and the tiny model's command).
pub fn ezkl_command(spec: &ModelSpec) -> String {
    format!(
        "python3 reports/ezkl/ezkl_bench.py --model models/mlp-{arch}-candle.safetensors \
         --ternary-compiled {} --name mlp-{arch} --out reports/ezkl/results.json --merge",
        spec.model_file(),
        arch = spec.arch
    )
}

/// A ratio `a ÷ b` as `2500×`, `12.5×` or `0.038×` (three significant digits
/// below 1). Cost: O(1).
pub fn times(v: f64) -> String {
    if !v.is_finite() {
        "-".into()
    } else if v >= 10.0 {
        format!("{v:.0}×")
    } else if v >= 1.0 {
        format!("{v:.1}×")
    } else {
        format!("{}×", num(v))
    }
}

/// The sentence on the goal, from ternzk's prove ms and the fastest EZKL row
/// `(variant, prove seconds)`. Cost: O(1).
pub fn verdict(ternzk_ms: f64, fastest: Option<(&str, f64)>) -> String {
    let goal = format!(
        "Goal (issue 4): proving at least {}× faster than EZKL on this network",
        GOAL_SPEEDUP
    );
    match fastest {
        None => format!("{goal}: cannot be judged (no EZKL prove time for it)."),
        Some((variant, s)) => {
            let x = s * 1e3 / ternzk_ms;
            let against = format!(
                "EZKL's fastest run ({variant}, {} s) ÷ ternzk's {} ms = {}",
                num(s),
                num(ternzk_ms),
                times(x)
            );
            if x >= GOAL_SPEEDUP {
                format!("{goal}: **met** ({against}).")
            } else {
                format!(
                    "{goal}: **not met** ({against}, {:.1}× short of {}×).",
                    GOAL_SPEEDUP / x,
                    GOAL_SPEEDUP
                )
            }
        }
    }
}

/// EZKL's `input/output/params` visibilities as its settings summary records them
/// (`public/public/fixed (input/output/params), …`), if it does. Cost: O(length).
pub fn visibility(row: &Row) -> Option<[String; 3]> {
    let s = row.settings.as_deref()?;
    let (vis, _) = s.split_once(" (input/output/params)")?;
    let v: Vec<&str> = vis.split('/').collect();
    (v.len() == 3).then(|| [v[0].into(), v[1].into(), v[2].into()])
}

/// The note on what each side's proof hides, from the EZKL rows' visibilities: the
/// like-for-like comparison is between two zero-knowledge proofs, and whether EZKL's
/// statement hides the input as ternzk's zero-knowledge proof does. Cost: O(rows).
pub fn hiding_note(rows: &[&Row]) -> String {
    let ours = "Like for like: EZKL's Halo2 proofs are zero-knowledge (blinded witness \
                columns), so the zero-knowledge ternzk row (`ternzk prove --private-input`, \
                which hides the input and every activation; the model and the logits are \
                public) is the one to set beside them: the \"ZK\" ratio columns. The public \
                row is kept for reference.";
    let mut seen: Vec<[String; 3]> = rows.iter().filter_map(|r| visibility(r)).collect();
    seen.dedup();
    match seen.as_slice() {
        [] => format!(
            "{ours} EZKL's visibility settings are not recorded in these rows, so whether its \
             proofs hide the input is not known here."
        ),
        [[input, output, params]] => {
            let setting = format!(
                "EZKL's runs here use input/output/params visibility \
                 `{input}`/`{output}`/`{params}` (set by `reports/ezkl/ezkl_bench.py`)"
            );
            let model = if params == "fixed" {
                "the weights are fixed columns of its circuit, public through its verifying \
                 key (as ternzk's model is public through its key)"
                    .to_string()
            } else {
                format!("the weights are `{params}`, unlike ternzk's public model")
            };
            if input == "public" {
                format!(
                    "{ours} **The statements differ:** {setting}. The input is a public \
                     instance and {model}, so EZKL's zero knowledge hides only intermediate \
                     values that the public input and weights determine (in effect nothing), \
                     while ternzk's zero-knowledge proof hides the input. Both sides pay for \
                     zero knowledge; only ternzk's statement keeps the input private (EZKL \
                     with a private input was not measured)."
                )
            } else {
                format!(
                    "{ours} {setting}: the input is `{input}` (hidden from the verifier, as in \
                     ternzk's zero-knowledge proof) and {model}."
                )
            }
        }
        _ => format!(
            "{ours} EZKL's rows use different visibility settings (see the EZKL section), so \
             what they hide differs from row to row."
        ),
    }
}

/// Builds the section from the measured batch model (`None` if it was not
/// measured), its zero-knowledge proof (`None` if not measured) and the EZKL data
/// (this run's rows of the same network, else the recorded ones). Cost: O(EZKL rows).
pub fn section(
    spec: &ModelSpec,
    runs: &str,
    ternzk: Option<&ModelResult>,
    zk: Option<&ZkResult>,
    ezkl: &Data,
) -> Section {
    let model = format!("mlp-{}", spec.arch);
    let mut s = Section {
        title: format!("ternzk vs EZKL on {}", spec.arch),
        ..Default::default()
    };
    let Some(m) = ternzk else {
        s.text = format!("Not measured: ternzk's {model} row is missing.");
        return s;
    };
    let p = summarize_proves(&m.proves);
    let v = summarize_verifies(&m.verifies);
    let z = zk.map(|zk| ZkSummary::new(zk, m));
    let view = ezkl.view(Some(&model));
    let rows = &view.rows;
    let mut t = Table::new(&[
        "system",
        "variant",
        "nnz",
        "prove ms",
        "verify ms",
        "proof bytes",
        "prove peak MiB",
        "prove: EZKL ÷ ternzk",
        "verify: EZKL ÷ ternzk",
        "proof size: EZKL ÷ ternzk",
        "prove: EZKL ÷ ternzk ZK",
        "verify: EZKL ÷ ternzk ZK",
        "proof size: EZKL ÷ ternzk ZK",
    ]);
    let dash = || vec!["-".to_string(); 6];
    t.push(
        [
            vec![
                "ternzk".into(),
                format!("ternary, density {}, public", spec.density()),
                m.nnz.to_string(),
                num(p.prove_ms),
                num(v.verify_ms),
                p.proof_bytes.to_string(),
                p.peak_rss_mb.map_or("-".into(), num),
            ],
            dash(),
        ]
        .concat(),
    );
    s.metrics.insert("ternzk_prove_ms".into(), p.prove_ms);
    if let Some(z) = &z {
        t.push(
            [
                vec![
                    "ternzk ZK".into(),
                    format!(
                        "ternary, density {}, zero-knowledge (input hidden)",
                        spec.density()
                    ),
                    m.nnz.to_string(),
                    num(z.prove.prove_ms),
                    num(z.verify.verify_ms),
                    z.prove.proof_bytes.to_string(),
                    z.prove.peak_rss_mb.map_or("-".into(), num),
                ],
                dash(),
            ]
            .concat(),
        );
        s.metrics
            .insert("ternzk_zk_prove_ms".into(), z.prove.prove_ms);
        s.metrics
            .insert("ternzk_zk_verify_ms".into(), z.verify.verify_ms);
        s.metrics
            .insert("ternzk_zk_proof_bytes".into(), z.prove.proof_bytes as f64);
    }
    let text = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".into());
    let mut fastest: Option<(&str, f64)> = None;
    for r in rows {
        let ok = r.error.is_none();
        let bytes = r.proof_raw_bytes.or(r.proof_bytes);
        let ratio =
            |e: Option<f64>, ours: f64| e.filter(|_| ok).map_or("-".into(), |e| times(e / ours));
        let zk_ratios = match &z {
            Some(z) => vec![
                ratio(r.prove_s.map(|x| x * 1e3), z.prove.prove_ms),
                ratio(r.verify_s.map(|x| x * 1e3), z.verify.verify_ms),
                ratio(bytes.map(|b| b as f64), z.prove.proof_bytes as f64),
            ],
            None => vec!["-".into(); 3],
        };
        let mut row = vec![
            format!("EZKL {}", text(&r.version)),
            text(&r.variant),
            r.nnz.map_or("-".into(), |n| n.to_string()),
            r.prove_s.map_or("-".into(), |x| num(x * 1e3)),
            r.verify_s.map_or("-".into(), |x| num(x * 1e3)),
            bytes.map_or("-".into(), |b| b.to_string()),
            r.prove_peak_rss_mb.map_or("-".into(), num),
            ratio(r.prove_s.map(|x| x * 1e3), p.prove_ms),
            ratio(r.verify_s.map(|x| x * 1e3), v.verify_ms),
            ratio(bytes.map(|b| b as f64), p.proof_bytes as f64),
        ];
        row.extend(zk_ratios);
        t.push(row);
        if let (true, Some(ps), Some(variant)) = (ok, r.prove_s, r.variant.as_deref()) {
            s.metrics.insert(
                format!("ezkl_{variant}_prove_over_ternzk"),
                ps * 1e3 / p.prove_ms,
            );
            if let Some(z) = &z {
                s.metrics.insert(
                    format!("ezkl_{variant}_prove_over_ternzk_zk"),
                    ps * 1e3 / z.prove.prove_ms,
                );
                if let Some(vs) = r.verify_s {
                    s.metrics.insert(
                        format!("ezkl_{variant}_verify_over_ternzk_zk"),
                        vs * 1e3 / z.verify.verify_ms,
                    );
                }
            }
            if !matches!(fastest, Some((_, f)) if f <= ps) {
                fastest = Some((variant, ps));
            }
        }
    }
    s.tables.push(t);
    let dates = dates(rows).map_or(String::new(), |d| format!(", measured {d}"));
    let cpu: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            r.prove_cpu_s
                .map(|c| format!("{} {} s", text(&r.variant), num(c)))
        })
        .collect();
    let ours = format!(
        "ternzk: the ladder's {} row at density {} (batch 1, test image 0, {}, measured \
         by this report){}.",
        spec.arch,
        spec.density(),
        runs,
        if z.is_some() {
            ", and its zero-knowledge proof from the ladder section's second table (same \
             model, same image, same run)"
        } else {
            ""
        }
    );
    let about = format!(
        "EZKL is Halo2/KZG with the weights fixed in the circuit; its ternary variant is \
         the same ternary network exported as a float ONNX graph, which EZKL proves as a \
         dense one. Proof bytes: ternzk's proof file (with the statement); EZKL's raw proof \
         (`proof_raw_bytes`, without the JSON wrapping and public inputs) where recorded. \
         EZKL's peak memory includes about 70 MiB of Python{}. Ratios are EZKL ÷ ternzk: \
         above 1, ternzk is faster or smaller.",
        if cpu.is_empty() {
            String::new()
        } else {
            format!(
                "; EZKL's prove CPU time (user + system): {}",
                cpu.join(", ")
            )
        }
    );
    s.text = match &view.not_run {
        None if rows.is_empty() => format!(
            "This report run ran EZKL, but `{}` has no row for `{model}`: only ternzk's \
             row is shown.",
            view.input.shown
        ),
        None => format!(
            "**Both sides were measured in this report run.** {ours} EZKL: the `{model}` \
             rows of [{shown}]({shown}){dates}, written by `reports/ezkl/ezkl_bench.py`, which \
             `ternzk report` ran after the MLP sections on the same machine (commands below), \
             one after the other and never concurrently, proving the same test image 0; its \
             ternary variant is the very compiled file the ladder proved \
             (`{file}`). {about}",
            shown = view.input.shown,
            file = spec.model_file()
        ),
        Some(why) => {
            let note = not_run_note(why, view.input, rows);
            if rows.is_empty() {
                format!("{note} Only ternzk's row is shown.")
            } else {
                format!(
                    "{note}\n\n{ours} EZKL: the `{model}` rows of `{}`{dates}, produced by \
                     `python3 reports/ezkl/ezkl_bench.py …` (command below; \
                     reports/ezkl/README.md gives its environment, settings, machine and \
                     load at the time). {about}",
                    view.input.shown
                )
            }
        }
    };
    if z.is_some() {
        s.text.push_str("\n\n");
        s.text.push_str(&hiding_note(rows));
    }
    s.text.push_str("\n\n");
    s.text.push_str(&verdict(p.prove_ms, fastest));
    if let Some((variant, secs)) = fastest {
        s.text.push_str(&format!(
            " ternzk's prove ms leaves out deriving the Hyrax generators ({} ms here; a \
             `ternzk prove` process does it once, and a long-running prover once per model \
             size); counting them, EZKL {variant} ÷ ternzk is {}.",
            num(p.setup_ms),
            times(secs * 1e3 / (p.prove_ms + p.setup_ms))
        ));
        if let Some(z) = &z {
            s.text.push_str(&format!(
                " Like for like, against ternzk's zero-knowledge proof ({} ms, {} the public \
                 one): EZKL {variant} ÷ ternzk ZK is {}, {} the goal's {}×.",
                num(z.prove.prove_ms),
                times(z.prove_over_public()),
                times(secs * 1e3 / z.prove.prove_ms),
                if secs * 1e3 / z.prove.prove_ms >= GOAL_SPEEDUP {
                    "at or above"
                } else {
                    "below"
                },
                GOAL_SPEEDUP
            ));
        }
    }
    s.commands.push(Repro {
        what: "ternzk: prove".into(),
        command: command_line(&spec.prove_args(1)),
    });
    s.commands.push(Repro {
        what: "ternzk: verify".into(),
        command: command_line(&spec.verify_args(1)),
    });
    if z.is_some() {
        s.commands.push(Repro {
            what: "ternzk ZK: prove".into(),
            command: command_line(&spec.prove_zk_args(1)),
        });
        s.commands.push(Repro {
            what: "ternzk ZK: verify".into(),
            command: command_line(&spec.verify_zk_args(1)),
        });
    }
    match (&ezkl.run, &view.not_run) {
        (Some(run), None) => {
            for c in run.commands.iter().filter(|c| c.model == model) {
                s.commands.push(Repro {
                    what: c.what.clone(),
                    command: c.command.clone(),
                });
            }
        }
        _ => {
            let recorded: Vec<&String> = rows.iter().filter_map(|r| r.command.as_ref()).collect();
            if recorded.is_empty() {
                s.commands.push(Repro {
                    what: "EZKL rows (separately, in the venv of reports/ezkl/README.md)".into(),
                    command: ezkl_command(spec),
                });
            }
            for c in recorded {
                s.commands.push(Repro {
                    what: "EZKL rows (as recorded in the results)".into(),
                    command: c.clone(),
                });
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::super::ezkl::{parse, Input, Run, RunCommand};
    use super::super::measure::tests::fake_results;
    use super::*;

    const EZKL: &str = r#"[
      {"ezkl_version":"23.0.5","model":"mlp-784-256-256-10","variant":"dense",
       "prove_seconds":112.8,"verify_seconds":0.525,"proof_bytes":131854,"proof_raw_bytes":3072,
       "settings":{"timestamp":1795314930128},
       "steps":{"prove":{"peak_rss_mb":2456.0,"user_cpu_seconds":81.5,"sys_cpu_seconds":7.0}}},
      {"ezkl_version":"23.0.5","model":"mlp-784-256-256-10","variant":"ternary","nnz":[12544,4096,160],
       "prove_seconds":120.7,"verify_seconds":0.739,"proof_bytes":131980},
      {"model":"mlp-784-56-10","variant":"dense","prove_seconds":10.6}
    ]"#;

    fn input(text: Option<&str>, path: &str) -> Input {
        Input {
            rows: text.map(|t| parse(t).unwrap()),
            ..Input::missing(path.as_ref())
        }
    }

    fn recorded(text: Option<&str>, why: &str) -> Data {
        Data::recorded(input(text, "reports/ezkl/results.json"), why)
    }

    /// `EZKL` as this report run's results, for both models.
    fn this_run() -> Data {
        let command = |model: &str| RunCommand {
            model: model.into(),
            what: format!("EZKL {model} dense and ternary (this run)"),
            command: format!("python3 reports/ezkl/ezkl_bench.py --name {model} …"),
        };
        Data::ran(
            input(None, "reports/ezkl/results.json"),
            Run {
                python: "python3".into(),
                srs_cache: "/tmp/srs".into(),
                models: vec!["mlp-784-56-10".into(), "mlp-784-256-256-10".into()],
                commands: vec![command("mlp-784-56-10"), command("mlp-784-256-256-10")],
                elapsed_s: 840.0,
                notes: Vec::new(),
                results: input(Some(EZKL), "ezkl-results.json"),
            },
        )
    }

    #[test]
    fn joins_the_rows_of_this_run_and_judges_the_goal() {
        let r = fake_results();
        let s = section(
            &r.plan.batch_model,
            &r.plan.runs(),
            r.batch_model(),
            r.zk.as_ref(),
            &this_run(),
        );
        let rows = &s.tables[0].rows;
        assert_eq!(rows.len(), 4, "the 784-56-10 row is not this network");
        assert_eq!(rows[0][3], "20.0");
        assert_eq!(rows[0][1], "ternary, density 1/16, public");
        // The zero-knowledge row: prove 600 ms, verify 300 ms, 145,953 bytes.
        assert_eq!(rows[1][0], "ternzk ZK");
        assert_eq!(
            rows[1][3..6],
            ["600".to_string(), "300".into(), "145953".into()]
        );
        assert_eq!(rows[2][3], "112800");
        // 112.8 s ÷ 20 ms; 0.525 s ÷ 6 ms; raw 3072 B ÷ 60,100 B.
        assert_eq!(rows[2][7], "5640×");
        assert_eq!(rows[2][8], "88×");
        assert_eq!(rows[2][5], "3072");
        assert_eq!(rows[2][9], "0.051×");
        // Like for like: 112.8 s ÷ 600 ms; 0.525 s ÷ 300 ms; 3072 B ÷ 145,953 B.
        assert_eq!(rows[2][10], "188×");
        assert_eq!(rows[2][11], "1.8×");
        assert_eq!(rows[2][12], "0.021×");
        assert_eq!(rows[3][2], "16800");
        assert_eq!(rows[3][5], "131980", "no raw size: the JSON size");
        assert_eq!(s.metrics["ezkl_dense_prove_over_ternzk_zk"], 188.0);
        assert_eq!(s.metrics["ternzk_zk_prove_ms"], 600.0);
        assert!(
            s.text.contains(
                "Like for like, against ternzk's zero-knowledge proof (600 ms, 30× the public \
                 one): EZKL dense ÷ ternzk ZK is 188×, below the goal's 1000×."
            ),
            "{}",
            s.text
        );
        // The rows record no visibility: the note says so.
        assert!(s.text.contains("visibility settings are not recorded"));
        assert!(
            s.text.starts_with(
                "**Both sides were measured in this report run.** ternzk: the ladder's"
            ),
            "{}",
            s.text
        );
        assert!(s.text.contains(
            "rows of [ezkl-results.json](ezkl-results.json), measured on 2026-11-22, written by"
        ));
        assert!(s.text.contains("(`mlp-784-256-256-10-d16.safetensors`)"));
        assert!(!s.text.contains("not run"), "{}", s.text);
        assert!(s.text.contains("dense 88.5 s"));
        assert!(s
            .text
            .contains("**met** (EZKL's fastest run (dense, 113 s) ÷ ternzk's 20.0 ms = 5640×)"));
        // Generators: 20 ms; 112.8 s ÷ 40 ms.
        assert!(
            s.text.contains("(20.0 ms here;") && s.text.contains("is 2820×."),
            "{}",
            s.text
        );
        // ternzk's prove and verify (public, then zero-knowledge), then the command that
        // ran for this model only.
        assert_eq!(s.commands.len(), 5);
        assert!(s.commands[2].command.ends_with("--private-input"));
        assert_eq!(
            s.commands[4].command,
            "python3 reports/ezkl/ezkl_bench.py --name mlp-784-256-256-10 …"
        );
    }

    #[test]
    fn recorded_rows_are_said_to_be_from_a_separate_run() {
        let r = fake_results();
        let s = section(
            &r.plan.batch_model,
            &r.plan.runs(),
            r.batch_model(),
            r.zk.as_ref(),
            &recorded(Some(EZKL), "`--no-ezkl` was given"),
        );
        assert_eq!(s.tables[0].rows.len(), 4);
        assert!(s
            .text
            .starts_with("**EZKL was not run in this report run** (`--no-ezkl` was given; to run it, install EZKL"));
        assert!(s.text.contains(
            "the EZKL rows below were recorded by a separate run on 2026-11-22 (`reports/ezkl/results.json`)"
        ));
        assert!(s.text.contains("EZKL: the `mlp-784-256-256-10` rows of `reports/ezkl/results.json`, measured on 2026-11-22"));
        assert!(!s.text.contains("Both sides were measured"));
        // The goal is still judged, on the recorded rows.
        assert!(s
            .text
            .contains("**met** (EZKL's fastest run (dense, 113 s)"));
        assert!(s.commands[4]
            .command
            .starts_with("python3 reports/ezkl/ezkl_bench.py"));
        assert!(s.commands[4]
            .command
            .contains("--ternary-compiled mlp-784-256-256-10-d16.safetensors"));
    }

    #[test]
    fn without_ezkl_results_the_goal_is_not_judged() {
        let r = fake_results();
        let s = section(
            &r.plan.batch_model,
            &r.plan.runs(),
            r.batch_model(),
            r.zk.as_ref(),
            &recorded(None, "`--quick` never runs EZKL"),
        );
        assert_eq!(s.tables[0].rows.len(), 2, "ternzk public and ZK");
        assert!(s
            .text
            .starts_with("**EZKL was not run in this report run** (`--quick`"));
        assert!(s.text.contains("no recorded EZKL results at `reports/ezkl/results.json` to show instead. Only ternzk's row is shown."));
        assert!(s.text.contains("cannot be judged"));
        assert!(section(
            &r.plan.batch_model,
            "one run",
            None,
            None,
            &recorded(None, "x")
        )
        .text
        .starts_with("Not measured"));
    }

    #[test]
    fn the_hiding_note_reads_ezkls_visibility() {
        let row = |settings: &str| Row {
            settings: Some(settings.into()),
            ..Row::default()
        };
        let public = row("public/public/fixed (input/output/params), scales 13/13 (input/params)");
        assert_eq!(
            visibility(&public),
            Some(["public".into(), "public".into(), "fixed".into()])
        );
        let n = hiding_note(&[&public, &public]);
        assert!(n.contains("**The statements differ:**"), "{n}");
        assert!(n.contains("`public`/`public`/`fixed`"), "{n}");
        assert!(n.contains("only ternzk's statement keeps the input private"));
        let private = row("private/public/fixed (input/output/params)");
        let n = hiding_note(&[&private]);
        assert!(
            n.contains("the input is `private` (hidden from the verifier"),
            "{n}"
        );
        assert!(!n.contains("differ"));
        assert!(hiding_note(&[&public, &private]).contains("different visibility settings"));
        assert!(hiding_note(&[&Row::default()]).contains("not recorded"));
        assert_eq!(visibility(&row("scales 7/7 (input/params)")), None);
    }

    #[test]
    fn verdicts() {
        assert!(verdict(200.0, Some(("dense", 100.0))).contains("**not met**"));
        assert!(verdict(200.0, Some(("dense", 100.0))).contains("500×, 2.0× short of 1000×"));
        assert!(verdict(50.0, Some(("ternary", 100.0))).contains("**met**"));
        assert_eq!(times(0.0381), "0.038×");
        assert_eq!(times(2500.4), "2500×");
    }
}

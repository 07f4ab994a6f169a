//! `ternzk report` end to end on the built binary: a `--quick` run writes
//! README.md (every section, tables whose numbers parse, the fitted exponent, the
//! EZKL rows of a fixture, shown as not run in this report run, the MLP sections
//! measured by the `ternzk` commands), the SVG plots and report.json, and prints a
//! JSON summary; bad input fails before any benchmark runs.

mod common;

use common::{ternzk, TempDir};
use ternzk_compiler::dataset::fashion_mnist_available;

const EZKL_FIXTURE: &str = r#"[
  {"tool":"ezkl","ezkl_version":"23.0.3","model":"mlp-784-256-256-10","variant":"dense",
   "settings":{"input_scale":7,"param_scale":7},
   "steps":{"setup":{"seconds":40.0,"peak_rss_mb":3100.0},"prove":{"seconds":95.5,"peak_rss_mb":5200.0}},
   "prove_seconds":95.5,"verify_seconds":0.42,"proof_bytes":41234,"verified":true,"logrows":20},
  {"tool":"ezkl","model":"mlp-784-256-256-10","variant":"ternary","prove_seconds":31.0}
]"#;

/// The rows of the first markdown table after the line starting with `heading`.
fn table_after(md: &str, heading: &str) -> Vec<Vec<String>> {
    let start = md.find(heading).unwrap_or_else(|| panic!("no `{heading}`"));
    md[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

fn number(cell: &str) -> f64 {
    let c = cell.trim_end_matches(['×', '%']).trim_start_matches("1/");
    c.parse()
        .unwrap_or_else(|_| panic!("`{cell}` is not a number"))
}

#[test]
fn quick_report_writes_readme_plots_and_json() {
    let tmp = TempDir::new("report_cli-quick");
    let ezkl = tmp.path().join("ezkl.json");
    std::fs::write(&ezkl, EZKL_FIXTURE).unwrap();
    let out = tmp.path().join("out");
    let o = ternzk(&[
        "report",
        "--quick",
        "--out",
        out.to_str().unwrap(),
        "--ezkl-results",
        ezkl.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let md = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(md.starts_with("<!-- ternzk report: quick -->"));
    for heading in [
        "## Machine",
        "## Mat-vec 512×512: prove time against density",
        "## Prove time against nnz (ternary-sparse)",
        "## Batch throughput",
        "## EZKL",
        "ternzk report --quick --out",
        "ternzk bench matvec --rows 512 --cols 512 --density 0.0625 --batch 1 --methods dense-gkr --reps 1",
    ] {
        assert!(md.contains(heading), "README lacks `{heading}`");
    }

    // Density table: six densities, every measured cell a number.
    let density = table_after(&md, "## Mat-vec 512×512");
    assert_eq!(density.len(), 6);
    assert_eq!(density[4][0], "1/16");
    for row in &density {
        for cell in &row[1..] {
            assert!(number(cell) > 0.0, "{row:?}");
        }
    }
    let ratios = table_after(&md, "**Ratios at density 1/16");
    assert_eq!(ratios.len(), 4);
    assert!(
        number(&ratios[0][1]) > 1.0,
        "dense-gkr should be slower: {ratios:?}"
    );

    // Scaling: a fitted exponent that parses, and the table of sizes.
    let e_at = md.find("**e = ").expect("a fitted exponent");
    let e: f64 = md[e_at + 6..].split("**").next().unwrap().parse().unwrap();
    assert!(e > 0.3 && e < 3.0, "exponent {e}");
    assert!(md.contains("Goal e ≤ 1.1: **"));
    assert_eq!(table_after(&md, "## Prove time against nnz").len(), 7);

    // Batch: five batch sizes, per-input cost parses.
    let batch = table_after(&md, "## Batch throughput");
    assert_eq!(batch.len(), 5);
    assert_eq!(batch[4][0], "256");
    assert!(number(&batch[4][4]) < number(&batch[0][4]));

    // EZKL: the fixture's rows, missing fields as `-`, and the dense/ternary ratio.
    let ezkl_rows = table_after(&md, "## EZKL");
    assert_eq!(ezkl_rows.len(), 2);
    assert_eq!(ezkl_rows[0][1], "23.0.3");
    assert_eq!(ezkl_rows[0][7], "5200");
    assert_eq!(ezkl_rows[1][5], "-");
    assert_eq!(ezkl_rows[0][10], "scales 7/7 (input/params)", "a summary");
    assert!(md.contains("| mlp-784-256-256-10 | 95.5 | 31.0 | 3.1× |"));
    // Quick mode never runs EZKL, and says so prominently (top and EZKL sections).
    let not_run = "**EZKL was not run in this report run** (`--quick` never runs EZKL";
    let expected = if fashion_mnist_available() { 3 } else { 2 };
    assert_eq!(
        md.matches(not_run).count(),
        expected,
        "intro, vs EZKL (unless skipped) and EZKL"
    );
    // Paths inside the repository are shown relative to its root (Cargo's temp dir is
    // inside it when the target dir is, as on a clean clone).
    let shown = ternzk_bench::report::ezkl::shown_path(&ezkl);
    assert!(md.contains(&format!(
        "the EZKL rows below were recorded by a separate run at a date the file does not record (`{}`)",
        shown
    )));
    assert!(!out.join("ezkl-results.json").exists());

    // Plots: each written, linked from the README, with axis labels as text.
    for svg in [
        "matvec-density.svg",
        "nnz-scaling.svg",
        "batch-per-input.svg",
        "batch-throughput.svg",
    ] {
        let text = std::fs::read_to_string(out.join(svg)).unwrap();
        assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"));
        assert!(text.contains("<text"), "{svg} has no text");
        assert!(
            md.contains(&format!("]({svg})")),
            "README does not link {svg}"
        );
    }
    assert!(std::fs::read_to_string(out.join("matvec-density.svg"))
        .unwrap()
        .contains("\ndense-gkr\n</text>"));

    // The JSON summary on stdout and report.json agree with the README.
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let outcome = &summary["outcome"];
    assert_eq!(outcome["mode"], "quick");
    let scaling = outcome["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == "Prove time against nnz (ternary-sparse)")
        .unwrap();
    let e_json = scaling["metrics"]["nnz_exponent"].as_f64().unwrap();
    assert!((e_json - e).abs() < 5e-4, "{e_json} vs {e}");
    assert_eq!(
        outcome["measurements"].as_array().unwrap().len(),
        12 + 7 + 5
    );
    assert!(outcome["measurements"][0]["command"]
        .as_str()
        .unwrap()
        .starts_with("ternzk bench matvec"));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(written["command"], outcome["command"]);
    // The EZKL data: not run, why, and the recorded file whole (settings included).
    assert_eq!(written["ezkl"]["not_run"], "`--quick` never runs EZKL");
    assert!(written["ezkl"]["run"].is_null());
    assert_eq!(
        written["ezkl"]["recorded"]["results"][0]["settings"]["input_scale"],
        7
    );

    check_mlp_sections(&md, outcome, &out);
}

const MLP_HEADINGS: [&str; 4] = [
    "## MLP ladder: proving whole networks",
    "## Batch throughput (MLP 784-256-256-10 at density 1/16)",
    "## Where the prover's time goes (MLP 784-256-256-10 at density 1/16)",
    "## ternzk vs EZKL on 784-256-256-10",
];

/// The quick report's MLP sections: measured (784-256-256-10 at 1/16, batches 1
/// and 16) with numbers that parse and the commands that ran, or, without
/// Fashion-MNIST, each saying it was skipped.
fn check_mlp_sections(md: &str, outcome: &serde_json::Value, out: &std::path::Path) {
    for h in MLP_HEADINGS {
        assert!(md.contains(h), "README lacks `{h}`");
    }
    // Report order: mat-vec sections, the MLP sections, then EZKL.
    let at = |h: &str| md.find(h).unwrap();
    assert!(at("## Batch throughput: ") < at(MLP_HEADINGS[0]));
    assert!(at(MLP_HEADINGS[3]) < at("## EZKL"));
    let steps = outcome["mlp_steps"].as_array().unwrap();
    if !fashion_mnist_available() {
        assert!(md.contains("skipped: Fashion-MNIST not installed"));
        assert!(steps.is_empty());
        eprintln!("MLP sections skipped: Fashion-MNIST not installed");
        return;
    }

    // Ladder: one row, every measured cell a number.
    let ladder = table_after(md, MLP_HEADINGS[0]);
    assert_eq!(ladder.len(), 1);
    assert_eq!(ladder[0][..3], ["784-256-256-10", "1/16", "16800"]);
    let accuracy = number(&ladder[0][3]);
    assert!(accuracy > 0.8 && accuracy < 1.0, "accuracy {accuracy}");
    for cell in &ladder[0][4..] {
        assert!(number(cell) > 0.0, "{:?}", ladder[0]);
    }
    assert!(md.contains(
        "`ternzk compile models/mlp-784-256-256-10-qat-d16.safetensors \
         -o mlp-784-256-256-10-d16.safetensors --density 1/16 --json`"
    ));
    assert!(md.contains(
        "`ternzk verify --vk mlp-784-256-256-10-d16.vk --proof mlp-784-256-256-10-d16.proof --json`"
    ));
    // The zero-knowledge proof of the same model, beside the public one.
    let zk = table_after(
        md,
        "**784-256-256-10 at density 1/16: public and zero-knowledge proofs**",
    );
    // Its rows: public, private-input, private-model, private-both.
    assert_eq!(zk.len(), 4);
    assert_eq!(zk[0][1], ladder[0][5], "the ladder's public prove ms");
    assert!(zk[1][0].starts_with("zero-knowledge"));
    assert!(zk[2][0].starts_with("private-model"));
    assert!(zk[3][0].starts_with("private-both"));
    for row in &zk[1..] {
        for cell in &row[1..] {
            assert!(number(cell) > 0.0, "{row:?}");
        }
    }
    assert!(md.contains("-o mlp-784-256-256-10-d16-zk.proof --json --private-input`"));
    assert!(md.contains(
        "`ternzk commit --hiding mlp-784-256-256-10-d16.safetensors \
         -o mlp-784-256-256-10-d16-hiding.vk --json`"
    ));
    assert!(md.contains("-o mlp-784-256-256-10-d16-pb.proof --json --private-input`"));
    let section = |title: &str| {
        outcome["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["title"] == title)
            .unwrap()
            .clone()
    };
    let ladder_metrics = &section("MLP ladder: proving whole networks")["metrics"];
    for k in [
        "zk_prove_ms",
        "zk_verify_ms",
        "zk_proof_bytes",
        "zk_prove_over_public",
        "pm_prove_ms",
        "pm_verify_over_public",
        "pm_key_check_ms",
        "pb_prove_ms",
        "pb_proof_bytes_over_public",
        "pb_key_check_ms",
        "hiding_commit_ms",
    ] {
        let v = ladder_metrics[format!("mlp_784_256_256_10_d16_{k}")].as_f64();
        assert!(v.is_some_and(|v| v > 0.0), "{k}: {ladder_metrics}");
    }

    // Batch: 1 and 16; the goal is stated (batch 256 is not run in quick mode).
    let batch = table_after(md, MLP_HEADINGS[1]);
    assert_eq!(batch.len(), 2);
    assert_eq!((batch[0][0].as_str(), batch[1][0].as_str()), ("1", "16"));
    for row in &batch {
        for cell in &row[1..] {
            assert!(number(cell) > 0.0, "{row:?}");
        }
    }
    assert!(md.contains("Goal (issue 4): a batch of 256 costs at most 1/20"));

    // Breakdown: five phases, the remainder and the total, at batch 1 and 16.
    let phases = table_after(md, MLP_HEADINGS[2]);
    assert_eq!(phases.len(), 7);
    assert_eq!(phases[6][0], "total prove");
    assert_eq!(
        (phases[6][2].as_str(), phases[6][4].as_str()),
        ("100.0%", "100.0%")
    );
    let shares: f64 = phases[..6].iter().map(|r| number(&r[2])).sum();
    assert!((shares - 100.0).abs() < 0.5, "shares add to {shares}");
    // The breakdown shows the batch section's runs (in-process medians, `--reps`).
    assert_eq!(
        number(&phases[6][1]),
        number(&batch[0][1]),
        "same run as the batch section"
    );
    assert!(md.contains("`ternzk prove --reps 3`"));

    // ternzk vs EZKL: ternzk's public and zero-knowledge rows and the fixture's two,
    // ratios to both that parse.
    let vs = table_after(md, MLP_HEADINGS[3]);
    assert_eq!(vs.len(), 4);
    assert_eq!(
        (vs[0][0].as_str(), vs[1][0].as_str()),
        ("ternzk", "ternzk ZK")
    );
    assert_eq!(vs[1][3], zk[1][1], "the ladder's zero-knowledge prove ms");
    assert_eq!((vs[2][3].as_str(), vs[3][3].as_str()), ("95500", "31000"));
    for row in &vs[2..] {
        assert!(number(&row[7]) > 1.0, "EZKL proves slower: {row:?}");
        assert!(number(&row[10]) > 0.0, "EZKL ÷ ternzk ZK: {row:?}");
        assert!(
            number(&row[7]) > number(&row[10]),
            "ZK proves slower: {row:?}"
        );
    }
    assert!(md.contains("EZKL ternary ÷ ternzk ZK is "));
    // The fixture records no visibility: the note says so.
    assert!(md.contains("EZKL's visibility settings are not recorded in these rows"));
    let vs_metrics = &section("ternzk vs EZKL on 784-256-256-10")["metrics"];
    assert!(
        vs_metrics["ezkl_ternary_prove_over_ternzk_zk"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert!(vs_metrics["ternzk_zk_prove_ms"].as_f64().unwrap() > 0.0);
    assert!(
        md.contains("Goal (issue 4): proving at least 1000× faster than EZKL on this network: **")
    );
    assert!(md.contains("EZKL's fastest run (ternary, 31.0 s)"));

    for svg in ["mlp-ladder.svg", "mlp-batch-per-input.svg"] {
        let text = std::fs::read_to_string(out.join(svg)).unwrap();
        assert!(text.starts_with("<svg") && text.contains("<text"), "{svg}");
        assert!(
            md.contains(&format!("]({svg})")),
            "README does not link {svg}"
        );
    }

    // report.json keeps every command that ran with its JSON.
    let commands: Vec<&str> = steps
        .iter()
        .map(|s| s["command"].as_str().unwrap())
        .collect();
    // compile, commit, the ladder's prove and verify, the zero-knowledge prove and
    // verify, the hiding commit, the private-model and private-both prove and verify,
    // then the batch section's batch 1 and 16 (in-process medians) with their
    // verifications.
    assert_eq!(commands.len(), 15, "{commands:?}");
    assert!(commands[0].starts_with("ternzk compile models/"));
    assert!(!commands[2].contains("--reps"));
    assert!(commands[4].ends_with("--private-input"));
    assert_eq!(steps[4]["output"]["zero_knowledge"], true);
    assert_eq!(steps[5]["output"]["verified"], true);
    assert_eq!(steps[5]["output"]["zero_knowledge"], true);
    assert!(commands[6].starts_with("ternzk commit --hiding"));
    assert_eq!(steps[6]["output"]["hiding"], true);
    for (prove, mode) in [(7, "private-model"), (9, "private-both")] {
        assert_eq!(steps[prove]["output"]["mode"], mode);
        let v = &steps[prove + 1]["output"];
        assert_eq!(v["verified"], true);
        assert_eq!(v["mode"], mode);
        assert!(v["key_check_ms"].as_f64().unwrap() > 0.0);
    }
    assert!(commands[11].contains("--batch 1 ") && commands[11].ends_with("--reps 3"));
    assert!(commands[13].contains("--batch 16") && commands[13].ends_with("--reps 3"));
    assert_eq!(steps[13]["output"]["reps"], 3);
    assert!(steps[13]["output"]["prove_ms_first"].as_f64().unwrap() > 0.0);
    assert_eq!(steps[14]["output"]["verified"], true);
}

#[test]
fn quick_report_never_overwrites_a_full_report() {
    let tmp = TempDir::new("report_cli-full");
    let readme = tmp.path().join("README.md");
    let full = "<!-- ternzk report: full -->\n# committed figures\n";
    std::fs::write(&readme, full).unwrap();
    let o = ternzk(&["report", "--quick", "--out", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("full report"));
    assert_eq!(std::fs::read_to_string(&readme).unwrap(), full);
}

#[test]
fn bad_ezkl_results_fail_before_benchmarking() {
    let tmp = TempDir::new("report_cli-ezkl");
    let out = tmp.path().join("out");
    let missing = tmp.path().join("missing.json");
    let o = ternzk(&[
        "report",
        "--quick",
        "--out",
        out.to_str().unwrap(),
        "--ezkl-results",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("do not exist"));
    let bad = tmp.path().join("bad.json");
    std::fs::write(&bad, "{not json").unwrap();
    let o = ternzk(&[
        "report",
        "--quick",
        "--out",
        out.to_str().unwrap(),
        "--ezkl-results",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not valid JSON"));
    let o = ternzk(&[
        "report",
        "--quick",
        "--out",
        out.to_str().unwrap(),
        "--ezkl-models",
        "mlp-1-2-3",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown model `mlp-1-2-3`"));
    assert!(!out.exists(), "nothing is written on bad input");
}

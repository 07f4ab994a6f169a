//! `ternzk bench matvec` on the built binary: the JSON names the prover's SIMD path,
//! `TERNZK_NO_SIMD=1` forces the scalar one, and the proofs verify either way; the
//! zero-knowledge `ternary-zk` row verifies and is set beside the public one.

mod common;

use common::{ternzk, ternzk_env};

fn bench(no_simd: &str) -> serde_json::Value {
    let out = ternzk_env(
        &[
            "bench",
            "matvec",
            "--rows",
            "256",
            "--cols",
            "256",
            "--density",
            "0.0625",
            "--reps",
            "1",
            "--methods",
            "ternary-sparse,sparse",
            "--json",
        ],
        &[("TERNZK_NO_SIMD", no_simd)],
    );
    assert!(
        out.status.success(),
        "ternzk failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn bench_reports_the_simd_path_and_verifies_on_both() {
    let scalar = bench("1");
    assert_eq!(scalar["simd"], "scalar");
    let native = bench("0");
    let want = if ternzk_prover::simd::cpu_has_ifma() {
        "ifma"
    } else {
        "scalar"
    };
    assert_eq!(native["simd"], want);
    for r in [&scalar, &native] {
        let results = r["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        assert!(results.iter().all(|m| m["verified"] == true), "{r}");
    }
    // Both paths compute the same proofs.
    for (a, b) in scalar["results"]
        .as_array()
        .unwrap()
        .iter()
        .zip(native["results"].as_array().unwrap())
    {
        assert_eq!(a["proof_bytes"], b["proof_bytes"]);
    }
}

#[test]
fn the_zero_knowledge_row_verifies_beside_its_public_baseline() {
    let args = [
        "bench",
        "matvec",
        "--rows",
        "128",
        "--cols",
        "200",
        "--batch",
        "2",
        "--reps",
        "1",
        "--methods",
        "ternary-zk",
    ];
    let out = ternzk(&[&args[..], &["--json"]].concat());
    assert!(
        out.status.success(),
        "ternzk failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let results = r["results"].as_array().unwrap();
    let names: Vec<&str> = results
        .iter()
        .map(|m| m["method"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ternary-sparse", "ternary-zk"], "{r}");
    let (public, zk) = (&results[0], &results[1]);
    assert_eq!(zk["verified"], true, "{r}");
    assert_eq!(zk["zero_knowledge"], true);
    assert_eq!(public["zero_knowledge"], false);
    assert_eq!(zk["input_commitment_bytes"], 64, "two blinded rows");
    let over = &zk["over_public"];
    let prove = zk["prove_ms"].as_f64().unwrap() / public["prove_ms"].as_f64().unwrap();
    assert!((over["prove"].as_f64().unwrap() - prove).abs() < 1e-9 * prove);
    let bytes = zk["proof_bytes"].as_f64().unwrap() / public["proof_bytes"].as_f64().unwrap();
    assert_eq!(over["proof_bytes"].as_f64().unwrap(), bytes);
    assert!(public["over_public"].is_null());
    // The table names the zero-knowledge row and its ratios.
    let out = ternzk(&args);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ternary-zk (zero-knowledge, input hidden): prove "),
        "{text}"
    );
    assert!(text.contains("64-byte input commitment"), "{text}");
    // An unknown method is an error that lists ternary-zk among the choices.
    let out = ternzk(&["bench", "matvec", "--methods", "zk"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ternary-zk"));
}

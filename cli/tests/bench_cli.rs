//! `ternzk bench matvec` on the built binary: the JSON names the prover's SIMD path,
//! `TERNZK_NO_SIMD=1` forces the scalar one, and the proofs verify either way.

mod common;

use common::ternzk_env;

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

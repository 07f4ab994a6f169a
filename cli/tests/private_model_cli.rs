//! Private-model and private-both proofs on the built binary (`ternzk commit --hiding`,
//! `prove --vk HIDING_KEY [--private-input]`, `verify --vk HIDING_KEY`), on the
//! 64-64-32-10 scikit-learn digits model: honest proofs accepted with the right mode and
//! the prover's outputs; a flipped byte, another hiding key of the same model and the
//! public key rejected with named errors (exit code ≠ 0, no panic); a missing secret
//! file and `--secret` with a public key refused; and proof files of one size for two
//! models of the same shapes but different nonzero counts (the key hides the count).

mod common;

use common::{ternzk, TempDir};
use std::path::{Path, PathBuf};
use std::process::Output;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../models/fixtures/sklearn")
        .join(name)
        .display()
        .to_string()
}

fn json_of(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON on stdout ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn ok_json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "ternzk failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_of(out)
}

/// The stderr of a run that must fail (exit code ≠ 0) without a panic.
fn failed(out: &Output) -> String {
    assert!(!out.status.success(), "ternzk succeeded where it must fail");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "ternzk panicked: {err}");
    err
}

/// Compiles the digits model (64-64-32-10) at `density` (calibrated on its training
/// split, no evaluation) into `dir/name.safetensors`.
fn compiled(dir: &Path, density: &str, name: &str) -> PathBuf {
    let model = dir.join(format!("{name}.safetensors"));
    ok_json(&ternzk(&[
        "compile",
        &fixture("digits-mlp.safetensors"),
        "-o",
        s(&model),
        "--density",
        density,
        "--calib",
        &fixture("digits-train.npz"),
        "--no-eval",
        "--json",
    ]));
    model
}

/// `ternzk commit --hiding MODEL -o KEY --json` (secret at `KEY.secret`).
fn commit_hiding(model: &Path, key: &Path) -> serde_json::Value {
    ok_json(&ternzk(&[
        "commit",
        "--hiding",
        s(model),
        "-o",
        s(key),
        "--json",
    ]))
}

/// `ternzk prove --model MODEL --vk KEY --input digits-input.json -o PROOF [extra]`.
fn prove(model: &Path, key: &Path, proof: &Path, extra: &[&str]) -> Output {
    let input = fixture("digits-input.json");
    let base = [
        "prove",
        "--model",
        s(model),
        "--vk",
        s(key),
        "--input",
        &input,
        "-o",
        s(proof),
        "--json",
    ];
    ternzk(&[&base[..], extra].concat())
}

fn verify(key: &Path, proof: &Path) -> Output {
    ternzk(&["verify", "--vk", s(key), "--proof", s(proof), "--json"])
}

#[test]
fn private_model_and_private_both_end_to_end() {
    let dir = TempDir::new("private_model_cli");
    let d = |n: &str| dir.path().join(n);
    let model = compiled(dir.path(), "1/4", "m");
    let key = d("m.hvk");
    let c = commit_hiding(&model, &key);
    assert_eq!(c["hiding"], true);
    assert_eq!(c["widths"], serde_json::json!([64, 64, 32, 10]));

    // Honest proofs in both modes: accepted, with the prover's outputs.
    let mut proofs = Vec::new();
    for (mode, extra) in [
        ("private-model", &[][..]),
        ("private-both", &["--private-input"][..]),
    ] {
        let proof = d(&format!("{mode}.proof"));
        let p = ok_json(&prove(&model, &key, &proof, extra));
        assert_eq!(p["mode"], mode);
        assert_eq!(p["zero_knowledge"], true);
        assert_eq!(
            p["proof_bytes"].as_u64().unwrap(),
            proof.metadata().unwrap().len()
        );
        let v = ok_json(&verify(&key, &proof));
        assert_eq!(v["verified"], true);
        assert_eq!(v["mode"], mode);
        assert_eq!(v["zero_knowledge"], true);
        assert_eq!(v["key_kind"], "hiding");
        assert!(v["key_check_ms"].as_f64().unwrap() > 0.0);
        assert_eq!(
            v["input"],
            if extra.is_empty() {
                "clear"
            } else {
                "committed"
            }
        );
        assert_eq!(v["output"], p["output"]);
        assert_eq!(v["classes"], p["classes"]);
        assert_eq!(v["hidden"], p["hidden"]);
        proofs.push(proof);
    }
    let pm = &proofs[0];
    let pm_bytes = std::fs::read(pm).unwrap();

    // One byte flipped in the body: the low byte of the last scalar (still canonical,
    // so the file decodes and a verifier check must catch it).
    let bad = d("bad.proof");
    let mut b = pm_bytes.clone();
    let at = b.len() - 32;
    b[at] ^= 1;
    std::fs::write(&bad, &b).unwrap();
    let out = verify(&key, &bad);
    let err = failed(&out);
    assert!(err.contains("REJECT"), "{err}");
    let v = json_of(&out);
    assert_eq!(v["verified"], false);
    assert!(v["error"].is_string());
    assert!(v["output"].is_null());
    // A byte in the middle of the body (a point or a scalar; may fail to decode).
    let mut b = pm_bytes.clone();
    let at = b.len() - b.len() / 3;
    b[at] ^= 0x20;
    std::fs::write(&bad, &b).unwrap();
    let out = verify(&key, &bad);
    failed(&out);
    assert_eq!(json_of(&out)["verified"], false);

    // Not a proof file at all (the input JSON): a decoding error.
    let out = verify(&key, Path::new(&fixture("digits-input.json")));
    failed(&out);
    assert_eq!(json_of(&out)["verified"], false);

    // Another hiding key of the same model (fresh blindings): another digest.
    let key2 = d("m2.hvk");
    let c2 = commit_hiding(&model, &key2);
    assert_ne!(c2["digest"], c["digest"]);
    for proof in &proofs {
        let out = verify(&key2, proof);
        let err = failed(&out);
        assert!(err.contains("another model"), "{err}");
        let v = json_of(&out);
        assert_eq!(v["verified"], false);
        assert_eq!(v["check"], "ModelDigest");
    }
    // The public key of the same model refuses a private-model file by its kind.
    let vk = d("m.vk");
    ok_json(&ternzk(&["commit", s(&model), "-o", s(&vk), "--json"]));
    for proof in &proofs {
        let out = verify(&vk, proof);
        let err = failed(&out);
        assert!(err.contains("hiding key"), "{err}");
        assert_eq!(json_of(&out)["verified"], false);
    }
    // A secret file from the other key is refused too.
    let out = prove(
        &model,
        &key,
        &d("x.proof"),
        &["--secret", s(&d("m2.hvk.secret"))],
    );
    let err = failed(&out);
    assert!(err.contains("another hiding key"), "{err}");

    // Without the secret file (moved away) proving fails, naming the file.
    let secret = d("m.hvk.secret");
    let moved = d("elsewhere.secret");
    std::fs::rename(&secret, &moved).unwrap();
    let never = d("never.proof");
    let err = failed(&prove(&model, &key, &never, &[]));
    assert!(err.contains(s(&secret)), "{err}");
    assert!(err.contains("secret file"), "{err}");
    assert!(!never.exists());
    // --secret names where it is now.
    let p = ok_json(&prove(&model, &key, &never, &["--secret", s(&moved)]));
    assert_eq!(p["mode"], "private-model");
    assert_eq!(ok_json(&verify(&key, &never))["verified"], true);
    // --secret with a public key is an error.
    let out = prove(&model, &vk, &d("y.proof"), &["--secret", s(&moved)]);
    let err = failed(&out);
    assert!(err.contains("--secret goes with a hiding key"), "{err}");
    assert!(!d("y.proof").exists());
}

/// The proof of a hidden model depends on its shapes (and the key's public widths),
/// never on the weights: two models of the same shapes with different nonzero counts
/// give proof files of one size.
#[test]
fn private_model_proof_size_does_not_depend_on_the_nonzero_count() {
    let dir = TempDir::new("private_model_cli-size");
    let d = |n: &str| dir.path().join(n);
    let mut sizes = Vec::new();
    for (density, name) in [("1/2", "half"), ("1/8", "eighth")] {
        let model = compiled(dir.path(), density, name);
        let key = d(&format!("{name}.hvk"));
        let c = commit_hiding(&model, &key);
        for extra in [&[][..], &["--private-input"][..]] {
            let proof = d(&format!("{name}-{}.proof", extra.len()));
            let p = ok_json(&prove(&model, &key, &proof, extra));
            sizes.push((
                name,
                extra.len(),
                c["nnz"].clone(),
                c["quotient_bits"].clone(),
                c["vk_bytes"].as_u64().unwrap(),
                p["proof_bytes"].as_u64().unwrap(),
            ));
        }
    }
    eprintln!("(model, private input, nnz, quotient bits, key bytes, proof bytes): {sizes:?}");
    // The models do differ in their nonzero count.
    assert_ne!(
        sizes[0].2, sizes[2].2,
        "the densities give one nonzero count"
    );
    for mode in 0..2 {
        let (a, b) = (&sizes[mode], &sizes[2 + mode]);
        assert_eq!(a.4, b.4, "hiding key sizes differ: {a:?} vs {b:?}");
        assert_eq!(a.5, b.5, "proof sizes differ: {a:?} vs {b:?}");
    }
    // A model of the same shapes but other weights, proven against the first model's
    // key and secret: refused before proving (its secret does not open the key to
    // them), no proof written.
    let proof = d("mismatch.proof");
    let out = prove(&d("eighth.safetensors"), &d("half.hvk"), &proof, &[]);
    let err = failed(&out);
    assert!(err.contains("not the ones the hiding key commits"), "{err}");
    assert!(!proof.exists(), "a proof was written for another model");
}

//! `ternzk commit --hiding` and `ternzk check-key` on the built binary: the key and
//! its separate secret file, acceptance of an honest key, rejection (exit code ≠ 0,
//! a named check) of a tampered one (proof element or quotient-table width) and a clear
//! refusal of version-1 keys. Proving with the key: `private_model_cli.rs`.

mod common;

use common::{ternzk, TempDir};
use std::path::Path;
use std::process::Output;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn json_of(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn ok_json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "ternzk failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_of(out)
}

/// Compiles the shipped 784-256-256-10 QAT model at density 1/16 (uniform
/// calibration, no evaluation) into `dir`.
fn compiled(dir: &Path) -> std::path::PathBuf {
    let model = dir.join("m.safetensors");
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../models/mlp-784-256-256-10-qat-d16.safetensors");
    ok_json(&ternzk(&[
        "compile",
        s(&src),
        "-o",
        s(&model),
        "--density",
        "1/16",
        "--calib",
        "uniform",
        "--no-eval",
        "--json",
    ]));
    model
}

#[test]
fn hiding_commit_check_key_and_refusals() {
    let dir = TempDir::new("hiding_key_cli");
    let model = compiled(dir.path());
    let key = dir.path().join("m.hvk");
    let c = ok_json(&ternzk(&[
        "commit",
        "--hiding",
        s(&model),
        "-o",
        s(&key),
        "--json",
    ]));
    let secret = dir.path().join("m.hvk.secret");
    assert_eq!(c["hiding"], true);
    assert_eq!(c["secret"], s(&secret));
    assert_eq!(c["widths"], serde_json::json!([784, 256, 256, 10]));
    let key_bytes = std::fs::read(&key).unwrap();
    let secret_bytes = std::fs::read(&secret).unwrap();
    assert_eq!(c["vk_bytes"].as_u64().unwrap() as usize, key_bytes.len());
    assert_eq!(
        c["secret_bytes"].as_u64().unwrap() as usize,
        secret_bytes.len()
    );
    // No blinding of the secret file appears in the key (past its header: magic,
    // version, digest, layer count, first length).
    for w in secret_bytes[52..].chunks_exact(32).take(64) {
        assert!(!key_bytes.windows(32).any(|k| k == w));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "secret file readable by others");
    }
    // Two commits of one model give unrelated keys; --secret names the secret file.
    let key2 = dir.path().join("m2.hvk");
    let custom = dir.path().join("blinds.bin");
    let c2 = ok_json(&ternzk(&[
        "commit",
        "--hiding",
        s(&model),
        "-o",
        s(&key2),
        "--secret",
        s(&custom),
        "--json",
    ]));
    assert_eq!(c2["secret"], s(&custom));
    assert!(custom.exists());
    assert_ne!(c2["digest"], c["digest"]);

    let v = ok_json(&ternzk(&["check-key", s(&key), "--json"]));
    assert_eq!(v["accepted"], true);
    assert_eq!(v["digest"], c["digest"]);
    assert_eq!(v["quotient_bits"], c["quotient_bits"]);
    let text = ternzk(&["check-key", s(&key2)]);
    assert!(text.status.success());
    assert!(String::from_utf8_lossy(&text.stdout).starts_with("ACCEPT"));

    // The low byte of the last scalar (the evaluation proof's last response): still a
    // canonical field element, so the key decodes and the check names the failure.
    let mut bad = key_bytes.clone();
    let at = bad.len() - 32;
    bad[at] ^= 1;
    let bad_key = dir.path().join("bad.hvk");
    std::fs::write(&bad_key, &bad).unwrap();
    let out = ternzk(&["check-key", s(&bad_key), "--json"]);
    assert!(!out.status.success());
    let v = json_of(&out);
    assert_eq!(v["accepted"], false);
    assert_eq!(v["check"], "KeyTernary");
    let out = ternzk(&["check-key", s(&bad_key)]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("REJECT"));
    // A hidden layer's quotient-table width changed (within 9..=16): the key decodes
    // to another digest, so the well-formedness proof (bound to it) fails.
    let bits = c["quotient_bits"].as_array().unwrap();
    assert_eq!(bits.len(), 2);
    let b0 = bits[0].as_u64().unwrap() as u8;
    assert!((9..=16).contains(&b0));
    let width_at = 8 + 4 + 8 + 1 + 4 + 4 + 12;
    assert_eq!(key_bytes[width_at], b0);
    let mut bad = key_bytes.clone();
    bad[width_at] = if b0 == 16 { 15 } else { b0 + 1 };
    std::fs::write(&bad_key, &bad).unwrap();
    let out = ternzk(&["check-key", s(&bad_key), "--json"]);
    assert!(!out.status.success());
    assert_eq!(json_of(&out)["check"], "KeyTernary");
    // A version-1 key (before the widths): refused, saying how to recreate it.
    let mut old = key_bytes.clone();
    old[8..12].copy_from_slice(&1u32.to_le_bytes());
    std::fs::write(&bad_key, &old).unwrap();
    let out = ternzk(&["check-key", s(&bad_key)]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("predates private-model proofs"), "{err}");
    assert!(err.contains("ternzk commit --hiding"), "{err}");
    // Truncated: a decoding error, also exit ≠ 0.
    std::fs::write(&bad_key, &key_bytes[..key_bytes.len() - 5]).unwrap();
    assert!(!ternzk(&["check-key", s(&bad_key)]).status.success());

    // check-key takes hiding keys only.
    let vk = dir.path().join("m.vk");
    ok_json(&ternzk(&["commit", s(&model), "-o", s(&vk), "--json"]));
    let out = ternzk(&["check-key", s(&vk)]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("public verifying key"));
}

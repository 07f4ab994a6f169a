//! Golden digests: BLAKE3 of the proof bytes for fixed seeds. A refactor must leave
//! every proof byte-identical; a deliberate wire-format change updates these digests
//! in a commit of its own that says why.

use crate::hyrax::HyraxKey;
use crate::linear::{self, LinearVk};
use crate::logup::{self, LookupInstance, Table};
use crate::mlp::{key_vars, prove, MlpVk, ProofFile};
use crate::transcript::Transcript;
use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
use ternzk_core::random;

fn digest(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

#[test]
fn matvec_1024_proof_bytes_are_unchanged() {
    let w = random::ternary(1024, 1024, 0.0625, 11);
    let key = HyraxKey::new(10);
    let vk = LinearVk::commit(&w, &key).unwrap();
    let xs = random::activations(1024, 1, 12);
    let (_, proof) = linear::prove(&w, &vk, &xs, 1).unwrap();
    linear::verify(&key, &vk, &xs, &w.matmul_i32(&xs, 1), 1, &proof).unwrap();
    assert_eq!(
        digest(&proof.to_bytes()),
        "c85dc1085947b2359054bf19513f275564c82ce2df6959848495b1ca4f7a95d9",
        "1024x1024 mat-vec proof bytes changed"
    );
}

#[test]
fn logup_proof_bytes_are_unchanged() {
    let mut rng = StdRng::seed_from_u64(21);
    let range: Vec<i64> = (0..3000).map(|_| rng.gen_range(0..1 << 12)).collect();
    let table = Table::Clamp {
        in_bits: 10,
        out_bits: 8,
    };
    let ins: Vec<i64> = (0..700).map(|_| rng.gen_range(-512..512)).collect();
    let outs: Vec<i64> = ins.iter().map(|&v| v.clamp(0, 255)).collect();
    let ls = [
        LookupInstance::range(12, &range),
        LookupInstance::clamp(table, &ins, &outs),
    ];
    let key = HyraxKey::new(8);
    let mut t = Transcript::new(b"golden-logup");
    let (proof, _) = logup::prove(&ls, &key, &mut t).unwrap();
    assert_eq!(
        digest(&proof.to_bytes()),
        "fc62f837065b98ed0079d9637e51d9e928210f6d0b4b4c1c1c27399113aa9977",
        "LogUp proof bytes changed"
    );
}

fn mlp_digest(batch: usize, private_input: bool) -> String {
    let model = random::RandomMlp::new(&[784, 256, 256, 10], 0.0625, &[14, 16], 31);
    let layers = model.layers();
    let key = HyraxKey::new(10);
    let vk = MlpVk::commit(&layers, &key).unwrap();
    assert!(key_vars(&vk, batch) <= 10);
    let mut rng = StdRng::seed_from_u64(32 + batch as u64);
    let x: Vec<u8> = (0..784 * batch).map(|_| rng.gen()).collect();
    let (statement, proof) = prove(&layers, &vk, &key, &x, batch, private_input).unwrap();
    let file = ProofFile {
        vk_digest: vk.digest,
        statement,
        proof,
    };
    digest(&file.to_bytes())
}

#[test]
fn mlp_proof_bytes_are_unchanged() {
    assert_eq!(
        mlp_digest(1, false),
        "2f3cc71e532f5172dae9fec2482185f28fddeb13d7eab51266f83a8d00dbc0a0",
        "batch 1 proof changed"
    );
    assert_eq!(
        mlp_digest(16, false),
        "61db203d92fa97d4bef4e27bf815d119859d1d16f3c483a3d93a6d595f46a4f9",
        "batch 16 proof changed"
    );
    assert_eq!(
        mlp_digest(16, true),
        "d5bc7b66e26b6908527ddfeeb02e9d8a0cbb58eb0c36edc99922473d43014197",
        "batch 16 private-input proof changed"
    );
}

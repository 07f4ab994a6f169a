//! Shared set-up of the fuzz targets: one tiny fixed model, its verifying key, the
//! Hyrax generators, one honest proof file per input mode, the byte-level mutator
//! that turns honest files into near-misses, and the oracle every decoded file is
//! held to.
//!
//! Everything is deterministic (fixed seeds), built once per process.

use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, Field};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::path::Path;
use std::sync::OnceLock;
use ternzk_core::engine::InputQuant;
use ternzk_core::random;
use ternzk_prover::hiding_key::{HidingKey, HidingKeyGens, KeySecrets, PublicQuant};
use ternzk_prover::hyrax::HyraxKey;
use ternzk_prover::mlp::{
    key_vars, key_vars_hidden, mask_vars, mask_vars_hidden, prove, prove_private_model, prove_zk,
    verify, verify_private_model, verify_zk, AnyProofFile, MaskKey, MlpVk, PrivateModelProofFile,
    ProofFile, PublicInput, ZkKeys, ZkProofFile, MAX_BATCH,
};
use ternzk_prover::{GAffine, F};

/// Widths of the fixed model: two hidden layers, then the logits.
pub const WIDTHS: [usize; 4] = [12, 8, 6, 4];
/// Requantization shifts of the hidden layers: k = 13 needs two limbs with a 1-bit
/// (shifted) top limb, k = 7 one short limb.
pub const SHIFTS: [u32; 2] = [13, 7];
const DENSITY: f64 = 0.5;
const SEED: u64 = 0x7e27;

/// Bytes of the proof-file header before the input: magic, version, digest, batch,
/// input kind.
pub const HEADER_BYTES: usize = 8 + 4 + 32 + 4 + 1;

/// An honest proof file and where its 32-byte elements (points and field elements)
/// start, for the element-wise mutations.
pub struct Honest {
    /// What it is, for messages and seed file names.
    pub name: &'static str,
    /// The encoded file.
    pub bytes: Vec<u8>,
    /// Offsets of every 32-byte element: the input commitment's points (committed
    /// input) and everything in the proof body.
    pub elements: Vec<usize>,
}

/// The fixed model's key, generators and honest proofs.
pub struct Fixture {
    /// Verifying key of the fixed model.
    pub vk: MlpVk,
    /// Generators for any batch up to `MAX_BATCH` (as a verifier would derive them).
    pub key: HyraxKey,
    /// Clear input with batch 2, committed input with batch 1.
    pub honest: Vec<Honest>,
}

/// The fixture, built on first use (a few hundred milliseconds).
pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(build)
}

fn build() -> Fixture {
    let model = random::RandomMlp::new(&WIDTHS, DENSITY, &SHIFTS, SEED);
    // Weight commitments need only `log2 n_in` column generators; the verifier's key
    // is then derived from the key as the CLI does (generators are a deterministic
    // prefix-stable sequence, so the commitments agree).
    let widest = WIDTHS
        .iter()
        .map(|w| w.next_power_of_two().trailing_zeros());
    let commit_key = HyraxKey::new(widest.max().unwrap() as usize);
    let vk = MlpVk::commit(&model.layers(), &commit_key).expect("fixed model commits");
    let key = HyraxKey::new(key_vars(&vk, MAX_BATCH));
    let mut rng = StdRng::seed_from_u64(SEED + 100);
    let mut honest = Vec::new();
    for (name, batch, private) in [("clear-b2", 2, false), ("committed-b1", 1, true)] {
        let x: Vec<u8> = (0..batch * WIDTHS[0]).map(|_| rng.gen()).collect();
        let (statement, proof) =
            prove(&model.layers(), &vk, &key, &x, batch, private).expect("honest proof");
        let body = proof.to_bytes().len();
        let file = ProofFile {
            vk_digest: vk.digest,
            statement,
            proof,
        };
        let bytes = file.to_bytes();
        let mut elements = Vec::new();
        if let PublicInput::Committed(c) = &file.statement.input {
            elements.extend((0..c.rows.len()).map(|i| HEADER_BYTES + 32 * i));
        }
        // The body opens with the requantization checks (two bytes per hidden layer:
        // mode and table width); the rest is 32-byte elements.
        let checks = 2 * (WIDTHS.len() - 2);
        let body_start = bytes.len() - body + checks;
        assert_eq!(
            (body - checks) % 32,
            0,
            "after the check bytes the proof body is made of 32-byte elements"
        );
        elements.extend((body_start..bytes.len()).step_by(32));
        let decoded = ProofFile::from_bytes(&vk, &bytes).expect("honest file decodes");
        assert_eq!(decoded, file);
        verify(&vk, &key, &decoded.statement, &decoded.proof).expect("honest proof verifies");
        honest.push(Honest {
            name,
            bytes,
            elements,
        });
    }
    Fixture { vk, key, honest }
}

/// Bytes per mutation operation in a fuzz input: kind, 24-bit position, value.
pub const OP_BYTES: usize = 5;
/// At most this many operations are applied per input.
pub const MAX_OPS: usize = 32;

/// A small nonzero field element from a byte (as `i8`; 0 counts as 1).
fn small(v: u8) -> F {
    match v as i8 {
        0 => F::ONE,
        s if s < 0 => -F::from((-(s as i16)) as u64),
        s => F::from(s as u64),
    }
}

fn encode<T: CanonicalSerialize>(x: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(32);
    x.serialize_compressed(&mut out)
        .expect("writing to a Vec cannot fail");
    out
}

/// Applies the operations in `ops` (each [`OP_BYTES`] long) to a copy of `h`:
///
/// | kind (`op[0] % 8`) | effect |
/// | --- | --- |
/// | 0 | XOR the byte at `pos` with `v` (0 counts as 1) |
/// | 1 | set the byte at `pos` to `v` |
/// | 2 | truncate the file at `pos` |
/// | 3 | insert `v` at `pos` |
/// | 4 | element `pos`: add the small field element `v` (if it decodes as one) |
/// | 5 | element `pos`: overwrite with a copy of element `pos + v + 1` |
/// | 6 | element `pos`: set to the field element `v as i8` |
/// | 7 | element `pos`: add `v·G` (if it decodes as a point) |
///
/// Positions are taken modulo the current length (bytes) or the number of elements;
/// element offsets are those of the honest file, so element operations after an
/// insert or truncation act on shifted or missing bytes (skipped when out of range).
/// Operations 4, 6 and 7 produce canonical encodings, so the file usually still
/// decodes and the verifier's checks, not the decoder's, have to catch the change.
pub fn mutate(h: &Honest, ops: &[u8]) -> Vec<u8> {
    let mut b = h.bytes.clone();
    for op in ops.chunks_exact(OP_BYTES).take(MAX_OPS) {
        let kind = op[0] % 8;
        let pos = u32::from_le_bytes([op[1], op[2], op[3], 0]) as usize;
        let v = op[4];
        match kind {
            0 | 1 if !b.is_empty() => {
                let i = pos % b.len();
                b[i] = if kind == 0 { b[i] ^ v.max(1) } else { v };
            }
            2 => b.truncate(pos % (b.len() + 1)),
            3 => b.insert(pos % (b.len() + 1), v),
            4..=7 => {
                let n = h.elements.len();
                let off = h.elements[pos % n];
                if off + 32 > b.len() {
                    continue;
                }
                let chunk = &b[off..off + 32];
                let new = match kind {
                    4 => match F::deserialize_compressed(chunk) {
                        Ok(f) => encode(&(f + small(v))),
                        Err(_) => continue,
                    },
                    5 => {
                        let src = h.elements[(pos + v as usize + 1) % n];
                        if src + 32 > b.len() {
                            continue;
                        }
                        b[src..src + 32].to_vec()
                    }
                    6 => encode(&(small(v) - if v == 0 { F::ONE } else { F::ZERO })),
                    _ => match GAffine::deserialize_compressed(chunk) {
                        Ok(p) => encode(&(p + GAffine::generator() * small(v)).into_affine()),
                        Err(_) => continue,
                    },
                };
                b[off..off + 32].copy_from_slice(&new);
            }
            _ => {}
        }
    }
    b
}

/// The oracle for one candidate proof file. Never panics except to report a bug:
/// - a file that decodes re-encodes to exactly the same bytes (encodings are
///   canonical: fixed sizes, canonical field elements and points, no trailing bytes);
/// - the verifier accepts only byte-for-byte honest files. An accepted file that
///   differs from every honest one is either a second encoding of an honest proof
///   (ruled out by the previous check) or a different statement or proof that
///   passed verification without being produced by the prover: a soundness failure.
pub fn check_proof_file(fx: &Fixture, bytes: &[u8]) {
    if fx.honest.iter().any(|h| h.bytes == bytes) {
        // Unchanged (the mutations cancelled out): decoded and verified at set-up.
        stats::count(stats::Outcome::Honest, "");
        return;
    }
    let file = match ProofFile::from_bytes(&fx.vk, bytes) {
        Ok(file) => file,
        Err(e) => return stats::count(stats::Outcome::Malformed, &e.to_string()),
    };
    assert!(
        file.to_bytes() == bytes,
        "a proof file decoded but does not re-encode to the same bytes (non-canonical decoding)"
    );
    match verify(&fx.vk, &fx.key, &file.statement, &file.proof) {
        Ok(()) => panic!(
            "SOUNDNESS: the verifier accepted a proof file that differs from every honest one"
        ),
        Err(e) => stats::count(stats::Outcome::Rejected, &e.to_string()),
    }
}

/// With `TERNZK_FUZZ_STATS` set, `proof_file` prints every 5000 inputs how many were
/// unchanged honest files, malformed (decoding failed) or rejected by the verifier,
/// and which errors were seen how often: how often and where the fuzzer gets past
/// the decoder.
pub mod stats {
    use std::collections::BTreeMap;
    use std::sync::{Mutex, OnceLock};

    /// What became of one candidate file.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub enum Outcome {
        /// Byte-identical to an honest file.
        Honest,
        /// `ProofFile::from_bytes` failed.
        Malformed,
        /// Decoded; `verify` failed.
        Rejected,
    }

    type Counts = BTreeMap<(Outcome, String), u64>;

    /// Counts one outcome with its error message (and prints, when enabled).
    pub fn count(o: Outcome, msg: &str) {
        static ON: OnceLock<bool> = OnceLock::new();
        static COUNTS: Mutex<(u64, Counts)> = Mutex::new((0, BTreeMap::new()));
        if !*ON.get_or_init(|| std::env::var_os("TERNZK_FUZZ_STATS").is_some()) {
            return;
        }
        // Messages without their numbers (sizes, indices), cut short.
        let key: String = msg
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .take(70)
            .collect();
        let mut g = COUNTS.lock().unwrap();
        g.0 += 1;
        *g.1.entry((o, key)).or_default() += 1;
        if g.0.is_multiple_of(5000) {
            let mut per: BTreeMap<Outcome, u64> = BTreeMap::new();
            for ((o, _), n) in &g.1 {
                *per.entry(*o).or_default() += n;
            }
            eprintln!("ternzk-fuzz stats after {} inputs: {per:?}", g.0);
            for ((o, m), n) in &g.1 {
                eprintln!("  {n:>8} {o:?}: {m}");
            }
        }
    }
}

/// Runs one `proof_file` fuzz input. The first byte selects the strategy:
/// `sel % 4 == 0` decodes the rest of the input as a proof file; otherwise honest
/// file `(sel >> 2) % 2` is mutated by the operations in the rest (see [`mutate`]).
pub fn run_proof_file(data: &[u8]) {
    let fx = fixture();
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    if sel % 4 == 0 {
        check_proof_file(fx, rest);
    } else {
        let h = &fx.honest[(sel as usize >> 2) % fx.honest.len()];
        check_proof_file(fx, &mutate(h, rest));
    }
}

/// Runs one `vk_file` fuzz input: `MlpVk::from_bytes` on arbitrary bytes must not
/// panic; a key that decodes re-encodes to the same bytes, and its derived layouts
/// (generator count, proof-body decoding for a few batch sizes) do not panic either.
pub fn run_vk_file(data: &[u8]) {
    let Ok(vk) = MlpVk::from_bytes(data) else {
        return;
    };
    assert!(
        vk.to_bytes() == data,
        "a verifying key decoded but does not re-encode to the same bytes"
    );
    assert_eq!(
        MlpVk::from_layers(vk.layers.clone()).unwrap().digest,
        vk.digest
    );
    for batch in [0, 1, 3, MAX_BATCH, MAX_BATCH + 1] {
        let _ = key_vars(&vk, batch);
        for committed in [false, true] {
            for body in [&[][..], &[0u8; 64][..], &[1u8; 96][..]] {
                let _ = ternzk_prover::mlp::MlpProof::from_bytes(&vk, batch, committed, body);
            }
        }
    }
}

/// The hiding key of the fixed model (seeded blindings) and the offsets of its
/// 32-byte elements: the first layer's weight rows and every element of the
/// well-formedness proof (the file's tail).
pub struct HidingFixture {
    /// The honest key file.
    pub key: Honest,
}

/// Commits the fixed model with a hiding key (blindings from a fixed seed, so every
/// call gives the same key) and checks the key's well-formedness proof. Cost: one
/// hiding commitment and one key check (tens of milliseconds).
pub fn commit_hiding() -> (HidingKey, KeySecrets) {
    let model = random::RandomMlp::new(&WIDTHS, DENSITY, &SHIFTS, SEED);
    let quant = PublicQuant {
        input: InputQuant {
            scale: 1.0 / 255.0,
            zero_point: 0,
            per_feature: None,
        },
        output_scales: vec![0.25; WIDTHS[WIDTHS.len() - 1]],
    };
    let gens = HidingKeyGens::for_shapes(WIDTHS.windows(2).map(|w| (w[0], w[1])));
    let mut rng = StdRng::seed_from_u64(SEED + 200);
    let (key, secrets) =
        HidingKey::commit(&model.layers(), quant, &gens, &mut rng).expect("fixed model commits");
    key.check(&gens).expect("honest hiding key checks");
    (key, secrets)
}

/// The hiding-key fixture, built on first use.
pub fn hiding_fixture() -> &'static HidingFixture {
    static FIXTURE: OnceLock<HidingFixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let (key, _) = commit_hiding();
        let bytes = key.to_bytes();
        // Header: magic, version, scale, zero point, feature count, layer count; then
        // layer 0's n_in, n_out, k, quotient-table width and its weight rows.
        let rows_at = 8 + 4 + 8 + 1 + 4 + 4 + 16;
        let mut elements: Vec<usize> = (0..key.layers[0].weights.rows.len())
            .map(|i| rows_at + 32 * i)
            .collect();
        // Per layer the proof holds 29 + 9n + n_in elements (n = the table's variables).
        let proof_elements: usize = key
            .layers
            .iter()
            .map(|l| 29 + 9 * (l.weights.row_vars + l.weights.col_vars) + l.n_in)
            .sum();
        elements.extend((bytes.len() - 32 * proof_elements..bytes.len()).step_by(32));
        HidingFixture {
            key: Honest {
                name: "hiding-key",
                bytes,
                elements,
            },
        }
    })
}

/// Runs one `hiding_key_file` fuzz input. The first byte selects the strategy:
/// `sel % 2 == 0` decodes the rest as a hiding key; otherwise the honest key is edited
/// by the operations in the rest ([`mutate`]). Oracle: no panic; a key that decodes
/// re-encodes to the same bytes; its well-formedness check (generators derived from
/// its own widths, as `ternzk check-key` does) accepts only the honest key's bytes.
pub fn run_hiding_key_file(data: &[u8]) {
    let fx = hiding_fixture();
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let mutated;
    let bytes = if sel % 2 == 0 {
        rest
    } else {
        mutated = mutate(&fx.key, rest);
        &mutated[..]
    };
    let Ok(key) = HidingKey::from_bytes(bytes) else {
        return;
    };
    assert!(
        key.to_bytes() == bytes,
        "a hiding key decoded but does not re-encode to the same bytes"
    );
    if key.check(&key.gens()).is_ok() {
        assert!(
            bytes == fx.key.bytes,
            "SOUNDNESS: a hiding key that differs from the honest one passed its check"
        );
    }
}

/// The zero-knowledge proof fixture: the fixed model's honest zero-knowledge proof
/// file (batch 1, seeded randomness) and the mask generators for any batch.
pub struct ZkFixture {
    /// Mask generators for any batch up to `MAX_BATCH`.
    pub mask: MaskKey,
    /// The honest zero-knowledge proof file.
    pub honest: Honest,
}

/// The zero-knowledge fixture, built on first use.
pub fn zk_fixture() -> &'static ZkFixture {
    static FIXTURE: OnceLock<ZkFixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let fx = fixture();
        let model = random::RandomMlp::new(&WIDTHS, DENSITY, &SHIFTS, SEED);
        let mask = MaskKey::new(mask_vars(&fx.vk, MAX_BATCH));
        let keys = ZkKeys {
            hyrax: &fx.key,
            mask: &mask,
        };
        let mut rng = StdRng::seed_from_u64(SEED + 300);
        let x: Vec<u8> = (0..WIDTHS[0]).map(|_| rng.gen()).collect();
        let (statement, proof) =
            prove_zk(&model.layers(), &fx.vk, &keys, &x, 1, &mut rng).expect("honest ZK proof");
        let body = proof.to_bytes().len();
        let file = ZkProofFile {
            vk_digest: fx.vk.digest,
            statement,
            proof,
        };
        let bytes = file.to_bytes();
        let mut elements = Vec::new();
        if let PublicInput::Committed(c) = &file.statement.input {
            elements.extend((0..c.rows.len()).map(|i| HEADER_BYTES + 32 * i));
        }
        // The body opens with its version (4 bytes) and the requantization checks (two
        // bytes per hidden layer); the rest is 32-byte points and scalars.
        let head = 4 + 2 * (WIDTHS.len() - 2);
        assert_eq!(
            (body - head) % 32,
            0,
            "the ZK body after its head is 32-byte elements"
        );
        elements.extend((bytes.len() - body + head..bytes.len()).step_by(32));
        let decoded = ZkProofFile::from_bytes(&fx.vk, &bytes).expect("honest ZK file decodes");
        assert_eq!(decoded, file);
        verify_zk(&fx.vk, &keys, &decoded.statement, &decoded.proof)
            .expect("honest ZK proof verifies");
        ZkFixture {
            mask,
            honest: Honest {
                name: "zk-b1",
                bytes,
                elements,
            },
        }
    })
}

/// Runs one `zk_proof_file` fuzz input. The first byte selects the strategy:
/// `sel % 4 == 0` decodes the rest as a proof file; otherwise the honest
/// zero-knowledge file is edited by the operations in the rest ([`mutate`]). Oracle:
/// no panic; a file that decodes (either kind, chosen by its input-kind byte as
/// `ternzk verify` does) re-encodes to the same bytes; the verifier accepts only the
/// honest file's bytes.
pub fn run_zk_proof_file(data: &[u8]) {
    let fx = fixture();
    let zfx = zk_fixture();
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let mutated;
    let bytes = if sel % 4 == 0 {
        rest
    } else {
        mutated = mutate(&zfx.honest, rest);
        &mutated[..]
    };
    if bytes == zfx.honest.bytes {
        return;
    }
    let Ok(file) = AnyProofFile::from_bytes(&fx.vk, bytes) else {
        return;
    };
    assert!(
        file.to_bytes() == bytes,
        "a proof file decoded but does not re-encode to the same bytes (non-canonical decoding)"
    );
    let keys = ZkKeys {
        hyrax: &fx.key,
        mask: &zfx.mask,
    };
    let accepted = match &file {
        AnyProofFile::Zk(f) => verify_zk(&fx.vk, &keys, &f.statement, &f.proof).is_ok(),
        // A public key never decodes a private-model file.
        AnyProofFile::PrivateModel(_) => false,
        AnyProofFile::Public(f) => {
            verify(&fx.vk, &fx.key, &f.statement, &f.proof).is_ok()
                && !fx.honest.iter().any(|h| h.bytes == bytes)
        }
    };
    assert!(
        !accepted,
        "SOUNDNESS: the verifier accepted a proof file that differs from every honest one"
    );
}

/// The hidden-model proof fixture: the fixed model's hiding key (seeded blindings), the
/// generators and mask key for any batch, and two honest proof files (batch 1, seeded
/// randomness): private model (clear input) and private both (hiding input
/// commitment).
pub struct PrivateModelFixture {
    /// The hiding key the proofs were made for (its check passed at set-up).
    pub key: HidingKey,
    /// Hyrax generators for any batch up to `MAX_BATCH`.
    pub hyrax: HyraxKey,
    /// Mask generators for any batch up to `MAX_BATCH`.
    pub mask: MaskKey,
    /// Private model, then private both.
    pub honest: Vec<Honest>,
}

/// The hidden-model fixture, built on first use (two proofs, well under a second).
pub fn private_model_fixture() -> &'static PrivateModelFixture {
    static FIXTURE: OnceLock<PrivateModelFixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let model = random::RandomMlp::new(&WIDTHS, DENSITY, &SHIFTS, SEED);
        let (key, secrets) = commit_hiding();
        let hyrax = HyraxKey::new(key_vars_hidden(&key, MAX_BATCH));
        let mask = MaskKey::new(mask_vars_hidden(&key, MAX_BATCH));
        let keys = ZkKeys {
            hyrax: &hyrax,
            mask: &mask,
        };
        let mut rng = StdRng::seed_from_u64(SEED + 400);
        let mut honest = Vec::new();
        for (name, private_input) in [("private-model-b1", false), ("private-both-b1", true)] {
            let x: Vec<u8> = (0..WIDTHS[0]).map(|_| rng.gen()).collect();
            let (statement, proof) = prove_private_model(
                &model.layers(),
                &key,
                &secrets,
                &keys,
                &x,
                1,
                private_input,
                &mut rng,
            )
            .expect("honest private-model proof");
            let body = proof.to_bytes().len();
            let file = PrivateModelProofFile {
                key_digest: key.digest,
                statement,
                proof,
            };
            let bytes = file.to_bytes();
            let mut elements = Vec::new();
            if let PublicInput::Committed(c) = &file.statement.input {
                elements.extend((0..c.rows.len()).map(|i| HEADER_BYTES + 32 * i));
            }
            // The body opens with its version (4 bytes); the requantization checks are
            // the key's, not written. The rest is 32-byte points and scalars.
            assert_eq!(
                (body - 4) % 32,
                0,
                "the private-model body after its version is 32-byte elements"
            );
            elements.extend((bytes.len() - body + 4..bytes.len()).step_by(32));
            let decoded = match AnyProofFile::from_bytes_hidden(&key, &bytes) {
                Ok(AnyProofFile::PrivateModel(f)) => f,
                other => panic!("honest private-model file decodes as {other:?}"),
            };
            assert_eq!(decoded, file);
            assert_eq!(decoded.mode(), &name[..name.len() - 3]);
            verify_private_model(&key, &keys, &decoded.statement, &decoded.proof)
                .expect("honest private-model proof verifies");
            honest.push(Honest {
                name,
                bytes,
                elements,
            });
        }
        PrivateModelFixture {
            key,
            hyrax,
            mask,
            honest,
        }
    })
}

/// Runs one `private_model_file` fuzz input. The first byte selects the strategy:
/// `sel % 4 == 0` decodes the rest as a proof file for the hiding key; otherwise
/// honest file `(sel >> 2) % 2` (private model, private both) is edited by the
/// operations in the rest ([`mutate`]). Oracle: no panic; a file that decodes with
/// `AnyProofFile::from_bytes_hidden` (as `ternzk verify` does for a hiding key)
/// re-encodes to the same bytes; `verify_private_model` accepts only an honest file's
/// bytes.
pub fn run_private_model_file(data: &[u8]) {
    let fx = private_model_fixture();
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let mutated;
    let bytes = if sel % 4 == 0 {
        rest
    } else {
        mutated = mutate(&fx.honest[(sel as usize >> 2) % fx.honest.len()], rest);
        &mutated[..]
    };
    if fx.honest.iter().any(|h| h.bytes == bytes) {
        // Unchanged: decoded and verified at set-up.
        return stats::count(stats::Outcome::Honest, "");
    }
    let file = match AnyProofFile::from_bytes_hidden(&fx.key, bytes) {
        Ok(file) => file,
        Err(e) => return stats::count(stats::Outcome::Malformed, &e.to_string()),
    };
    assert!(
        file.to_bytes() == bytes,
        "a private-model proof file decoded but does not re-encode to the same bytes \
         (non-canonical decoding)"
    );
    let keys = ZkKeys {
        hyrax: &fx.hyrax,
        mask: &fx.mask,
    };
    let result = match &file {
        AnyProofFile::PrivateModel(f) => {
            verify_private_model(&fx.key, &keys, &f.statement, &f.proof)
        }
        // `from_bytes_hidden` decodes private-model files only.
        other => panic!("a hiding key decoded a {} proof file", other.mode()),
    };
    match result {
        Ok(()) => panic!(
            "SOUNDNESS: the verifier accepted a private-model proof file that differs from \
             every honest one"
        ),
        Err(e) => stats::count(stats::Outcome::Rejected, &e.to_string()),
    }
}

/// Writes the seed corpus of `target` (`proof_file`, `vk_file`, `hiding_key_file`,
/// `zk_proof_file` or `private_model_file`) into `dir`: the honest files for direct
/// decoding and a few one-operation mutations of each.
pub fn write_seeds(target: &str, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let fx = fixture();
    match target {
        "proof_file" => {
            for (i, h) in fx.honest.iter().enumerate() {
                let mut direct = vec![0u8];
                direct.extend_from_slice(&h.bytes);
                std::fs::write(dir.join(format!("direct-{}", h.name)), direct)?;
                let sel = 1 | (i as u8) << 2;
                for kind in 0..8u8 {
                    std::fs::write(
                        dir.join(format!("mutate-{}-op{kind}", h.name)),
                        [sel, kind, 0x40 + kind, 0, 0, 1],
                    )?;
                }
            }
        }
        "vk_file" => std::fs::write(dir.join("fixed-model.vk"), fx.vk.to_bytes())?,
        "zk_proof_file" => {
            let h = &zk_fixture().honest;
            let mut direct = vec![0u8];
            direct.extend_from_slice(&h.bytes);
            std::fs::write(dir.join("direct-zk-b1"), direct)?;
            for kind in 0..8u8 {
                std::fs::write(
                    dir.join(format!("mutate-zk-b1-op{kind}")),
                    [1, kind, 0x40 + kind, 0, 0, 1],
                )?;
            }
        }
        "private_model_file" => {
            for (i, h) in private_model_fixture().honest.iter().enumerate() {
                let mut direct = vec![0u8];
                direct.extend_from_slice(&h.bytes);
                std::fs::write(dir.join(format!("direct-{}", h.name)), direct)?;
                let sel = 1 | (i as u8) << 2;
                for kind in 0..8u8 {
                    std::fs::write(
                        dir.join(format!("mutate-{}-op{kind}", h.name)),
                        [sel, kind, 0x40 + kind, 0, 0, 1],
                    )?;
                }
            }
        }
        "hiding_key_file" => {
            let h = &hiding_fixture().key;
            let mut direct = vec![0u8];
            direct.extend_from_slice(&h.bytes);
            std::fs::write(dir.join("direct-hiding-key"), direct)?;
            for kind in 0..8u8 {
                std::fs::write(
                    dir.join(format!("mutate-hiding-key-op{kind}")),
                    [1, kind, 0x40 + kind, 0, 0, 1],
                )?;
            }
        }
        other => panic!("no seeds for target {other}"),
    }
    Ok(())
}

/// Called from each target's init: writes that target's seeds when the environment
/// variable `TERNZK_FUZZ_SEED_DIR` names a directory (used by `.ci/fuzz.sh`).
pub fn seeds_from_env(target: &str) {
    if let Some(dir) = std::env::var_os("TERNZK_FUZZ_SEED_DIR") {
        write_seeds(target, Path::new(&dir)).expect("writing the seed corpus");
    }
}

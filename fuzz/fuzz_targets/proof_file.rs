//! Proof-file parsing and verification for a fixed tiny model: never a panic, decoded
//! files re-encode identically, and only byte-identical honest files are accepted.
//! Input format: see `ternzk_fuzz::run_proof_file`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        ternzk_fuzz::fixture();
        ternzk_fuzz::seeds_from_env("proof_file");
    },
    |data: &[u8]| ternzk_fuzz::run_proof_file(data)
);

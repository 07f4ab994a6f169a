//! Zero-knowledge proof-file parsing and verification for a fixed tiny model: never a
//! panic, decoded files re-encode identically, and only the byte-identical honest file
//! is accepted. Input format: see `ternzk_fuzz::run_zk_proof_file`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        ternzk_fuzz::zk_fixture();
        ternzk_fuzz::seeds_from_env("zk_proof_file");
    },
    |data: &[u8]| ternzk_fuzz::run_zk_proof_file(data)
);

//! Hidden-model proof-file parsing and verification for a fixed tiny model and its
//! hiding key: never a panic, decoded files re-encode identically, and only the
//! byte-identical honest files (private model, private both) are accepted. Input
//! format: see `ternzk_fuzz::run_private_model_file`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        ternzk_fuzz::private_model_fixture();
        ternzk_fuzz::seeds_from_env("private_model_file");
    },
    |data: &[u8]| ternzk_fuzz::run_private_model_file(data)
);

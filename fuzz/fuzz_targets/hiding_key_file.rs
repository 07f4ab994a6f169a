//! Hiding-key parsing and checking: `HidingKey::from_bytes` on arbitrary bytes (or on
//! edits of an honest key) never panics, a key that decodes re-encodes to the same
//! bytes, and only the honest key passes `HidingKey::check`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        ternzk_fuzz::seeds_from_env("hiding_key_file");
    },
    |data: &[u8]| ternzk_fuzz::run_hiding_key_file(data)
);

//! Verifying-key parsing: `MlpVk::from_bytes` on arbitrary bytes never panics, and a
//! key that decodes re-encodes to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        ternzk_fuzz::seeds_from_env("vk_file");
    },
    |data: &[u8]| ternzk_fuzz::run_vk_file(data)
);

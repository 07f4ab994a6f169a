#!/usr/bin/env bash
# Fuzzing smoke run (see docs/fuzzing.md): builds the cargo-fuzz targets in fuzz/,
# writes fresh seed corpora from the current prover, and runs each target for a
# short time. Fails (non-zero exit) if libFuzzer finds a crash: a panic, a failed
# oracle assertion (non-canonical decoding, or an accepted proof file that differs
# from every honest one), a timeout or running out of memory. The crashing input
# is kept in fuzz/artifacts/<target>/ and printed (base64) in the log.
#
#   FUZZ_SECONDS   seconds of fuzzing per target (default: 60 for proof_file,
#                  20 for zk_proof_file and private_model_file (each run verifies a
#                  zero-knowledge proof), 30 for vk_file, which runs thousands of
#                  times faster, and 30 for hiding_key_file)
#
# Toolchain: cargo fuzz passes nightly-only rustc flags (-Z...), and this project's
# machines have one stable toolchain and can fetch no other. RUSTC_BOOTSTRAP=1 lets
# the stable compiler accept them (it is how rustc itself is bootstrapped); this is
# checked to work with rustc 1.95. Harmless on a nightly toolchain.
#
# Sanitizer: none (-s none). The prover's only `unsafe` is the IFMA lanes code
# (docs/fuzzing.md); AddressSanitizer made the
# field arithmetic about 10× slower (15 vs 140 proofs/s), leaving too few runs for a
# CI smoke test. Debug assertions and overflow checks are on (-a), so integer
# overflow in size computations panics instead of wrapping. Longer campaigns can
# add ASan: see docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

export RUSTC_BOOTSTRAP=1
# Verification uses rayon; one thread keeps runs reproducible and the other core free.
export RAYON_NUM_THREADS=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz missing: installing it from crates.io"
    cargo install cargo-fuzz --locked
fi
cargo fuzz --version

flags=(-s none -a)
cargo fuzz build "${flags[@]}"

declare -A seconds=([proof_file]=60 [vk_file]=30 [hiding_key_file]=30 [zk_proof_file]=20
    [private_model_file]=20)
for t in proof_file vk_file hiding_key_file zk_proof_file private_model_file; do
    corpus="fuzz/corpus/$t"
    secs="${FUZZ_SECONDS:-${seconds[$t]}}"
    echo
    echo "--- fuzz target $t: ${secs}s"
    # The targets' init writes the seeds (honest proof files, the key) when asked.
    seedlog=$(mktemp)
    if ! TERNZK_FUZZ_SEED_DIR="$corpus" cargo fuzz run "${flags[@]}" "$t" "$corpus" -- -runs=0 \
        >"$seedlog" 2>&1; then
        echo "writing the seed corpus of $t failed:"
        grep -A8 "panicked" "$seedlog" || tail -40 "$seedlog"
        exit 1
    fi
    log=$(mktemp)
    if ! cargo fuzz run "${flags[@]}" "$t" "$corpus" -- \
        -max_total_time="$secs" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
        >"$log" 2>&1; then
        tail -n 60 "$log"
        echo
        echo "FUZZ FAILURE in target $t; crashing inputs:"
        sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | while read -r f; do
            [ -f "$f" ] || continue
            echo "$f ($(wc -c <"$f") bytes), base64:"
            base64 -w 0 "$f"
            echo
        done
        echo "Reproduce: RUSTC_BOOTSTRAP=1 cargo fuzz run ${flags[*]} $t <file>"
        echo "Minimize:  RUSTC_BOOTSTRAP=1 cargo fuzz tmin ${flags[*]} $t <file>"
        exit 1
    fi
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
    grep -E 'DONE' "$log" | tail -n 1 || true
    rm -f "$log"
done
echo
echo "fuzz: no crash in proof_file, vk_file, hiding_key_file, zk_proof_file or private_model_file"

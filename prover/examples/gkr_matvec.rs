//! Timing of the `dense-gkr` baseline: `y = W·x` as a layered circuit proven by the
//! generic GKR. Usage: `cargo run --release -p ternzk-prover --example gkr_matvec -- [N ...]`
//! (square `N×N`, default 1024). Run one size per process for a meaningful peak RSS.

use ark_serialize::CanonicalSerialize;
use std::time::Instant;
use ternzk_prover::field::{from_i64, F};
use ternzk_prover::gkr::{prove_with_claims, verify};
use ternzk_prover::matvec_circuit::MatVecCircuit;
use ternzk_prover::transcript::Transcript;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("sizes are integers"))
        .collect();
    let sizes = if sizes.is_empty() { vec![1024] } else { sizes };
    println!("threads: {}", rayon::current_num_threads());
    {
        // Calibration: one field multiplication, single thread.
        let mut a = F::from(3u64);
        let b = F::from(0x1234_5678_9abc_def1u64);
        let n = 10_000_000;
        let t = Instant::now();
        for _ in 0..n {
            a *= b;
        }
        let ns = t.elapsed().as_nanos() as f64 / n as f64;
        println!(
            "field mul: {ns:.1} ns (single thread, dependent chain) [{}]",
            a.0 .0[0] & 1
        );
    }
    for n in sizes {
        let t = Instant::now();
        let mc = MatVecCircuit::new(n, n).expect("shape");
        let t_build = t.elapsed();
        // int8-like weights and uint8-like activations, as field elements.
        let mut s = 0x9e37_79b9_7f4a_7c15u64 ^ n as u64;
        let w: Vec<i8> = (0..n * n).map(|_| (xorshift(&mut s) % 255) as i8).collect();
        let x: Vec<F> = (0..n).map(|_| F::from(xorshift(&mut s) % 256)).collect();
        let t = Instant::now();
        let input = mc
            .input_with(|i, j| from_i64(w[i * n + j] as i64), &x)
            .expect("input");
        drop(w);
        let t_input = t.elapsed();
        let t = Instant::now();
        let values = mc.circuit.evaluate_owned(input);
        let t_eval = t.elapsed();
        let t = Instant::now();
        let (proof, _claims) =
            prove_with_claims(&mc.circuit, &values, &mut Transcript::new(b"bench"));
        let t_prove = t.elapsed();
        let rss_prove = peak_rss_mib();
        let t = Instant::now();
        let claims = verify(
            &mc.circuit,
            &values[0],
            &proof,
            &mut Transcript::new(b"bench"),
        )
        .expect("verifies");
        let t_verify = t.elapsed();
        // The caller's final step, done here against the known input (not timed as
        // verification: a real verifier opens a commitment instead).
        let t = Instant::now();
        claims
            .check(values.last().unwrap())
            .expect("input claims hold");
        let t_check = t.elapsed();
        println!(
            "{n}x{n}: gates {} | build {:.2}s input {:.2}s eval {:.2}s | prove {:.2}s | verify {:.2}s | \
             (input check {:.2}s) | proof {} B | peak RSS {:.0} MiB (after prove {:.0} MiB)",
            mc.circuit.num_gates(),
            t_build.as_secs_f64(),
            t_input.as_secs_f64(),
            t_eval.as_secs_f64(),
            t_prove.as_secs_f64(),
            t_verify.as_secs_f64(),
            t_check.as_secs_f64(),
            proof.compressed_size(),
            peak_rss_mib(),
            rss_prove,
        );
    }
}

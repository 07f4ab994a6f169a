//! Timing of the `dense-gkr` baseline: `y = W·x` as a layered circuit proven by the
//! generic GKR. Usage: `cargo run --release -p ternzk-baselines --example gkr_matvec -- [N ...]`
//! (square `N×N`, default 1024). Run one size per process for a meaningful peak RSS.

use ark_serialize::CanonicalSerialize;
use std::time::Instant;
use ternzk_baselines::gkr::{prove_with_claims, verify};
use ternzk_baselines::matvec_circuit::MatVecCircuit;
use ternzk_prover::field::{from_i64, F};
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

/// User + system CPU seconds of this process so far (all threads).
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        f.get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    (ticks(11) + ticks(12)) / 100.0
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
        // (wall seconds, CPU seconds) of a closure.
        let timed = |f: &mut dyn FnMut()| {
            let (t, c) = (Instant::now(), cpu_secs());
            f();
            (t.elapsed().as_secs_f64(), cpu_secs() - c)
        };
        let mut mc = None;
        let t_build = timed(&mut || mc = Some(MatVecCircuit::new(n, n).expect("shape")));
        let mc = mc.expect("built");
        // int8-like weights and uint8-like activations, as field elements.
        let mut s = 0x9e37_79b9_7f4a_7c15u64 ^ n as u64;
        let w: Vec<i8> = (0..n * n).map(|_| (xorshift(&mut s) % 255) as i8).collect();
        let x: Vec<F> = (0..n).map(|_| F::from(xorshift(&mut s) % 256)).collect();
        let input = mc
            .input_with(|i, j| from_i64(w[i * n + j] as i64), &x)
            .expect("input");
        drop(w);
        let mut values = Vec::new();
        let t_eval = timed(&mut || values = mc.circuit.evaluate_owned(input.clone()));
        drop(input);
        let mut proof = None;
        let t_prove = timed(&mut || {
            proof = Some(prove_with_claims(&mc.circuit, &values, &mut Transcript::new(b"bench")).0)
        });
        let proof = proof.expect("proved");
        let rss_prove = peak_rss_mib();
        let mut claims = None;
        let t_verify = timed(&mut || {
            claims = Some(
                verify(
                    &mc.circuit,
                    &values[0],
                    &proof,
                    &mut Transcript::new(b"bench"),
                )
                .expect("verifies"),
            )
        });
        // The caller's final step, here against the known input (a real verifier opens
        // a commitment to W instead); not part of the verify time.
        claims
            .expect("claims")
            .check(values.last().expect("input"))
            .expect("input claims hold");
        println!(
            "{n}x{n}: {} gates | circuit build {:.2}s | evaluate {:.2}s (cpu {:.2}s) | \
             prove {:.2}s (cpu {:.2}s) | verify {:.2}s (cpu {:.2}s) | proof {} B | \
             peak RSS after prove {:.0} MiB, overall {:.0} MiB",
            mc.circuit.num_gates(),
            t_build.0,
            t_eval.0,
            t_eval.1,
            t_prove.0,
            t_prove.1,
            t_verify.0,
            t_verify.1,
            proof.compressed_size(),
            rss_prove,
            peak_rss_mib(),
        );
    }
}

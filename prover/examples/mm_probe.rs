//! Times the blocked batch kernel against one mat-vec per input (4096×4096, batch 64).
//! `cargo run --release -p ternzk-prover --example mm_probe`
use std::time::Instant;
use ternzk_core::random;
fn main() {
    let t = random::ternary(4096, 4096, 0.0625, 42);
    let xs = random::activations(4096, 64, 1);
    for _ in 0..3 {
        let s = Instant::now();
        let a = t.matmul_i32(&xs, 64);
        let ta = s.elapsed().as_secs_f64() * 1e3;
        let s = Instant::now();
        let b: Vec<i32> = xs.chunks(4096).flat_map(|x| t.matvec_i32(x)).collect();
        let tb = s.elapsed().as_secs_f64() * 1e3;
        assert_eq!(a, b);
        println!("blocked {ta:.2} ms, per-input {tb:.2} ms");
    }
}

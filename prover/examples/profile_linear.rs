//! Times the pieces of one ternary linear-layer proof and its verification.
//! `cargo run --release -p ternzk-prover --example profile_linear [n] [density]`
use std::time::Instant;
use ternzk_core::random;
use ternzk_prover::eq::eq_table;
use ternzk_prover::hyrax::{verify_opening, HyraxKey};
use ternzk_prover::linear::{prove, verify, LinearVk};
use ternzk_prover::matrix::LinearBackend;
use ternzk_prover::transcript::Transcript;
use ternzk_prover::F;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(4096);
    let d: f64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(0.0625);
    let t = random::ternary(n, n, d, 42);
    let x = random::activations(n, 1, 7);
    let key = HyraxKey::new(t.col_vars());
    let vk = LinearVk::commit(&t, &key).unwrap();
    for _ in 0..3 {
        let s = Instant::now();
        let y = t.matvec_i32(&x);
        let a = ms(s);
        let s = Instant::now();
        let mut tr = Transcript::new(b"p");
        tr.append_i32s(b"x", &x);
        tr.append_i32s(b"y", &y);
        let r = tr.challenges(b"r", t.row_vars());
        let b = ms(s);
        let s = Instant::now();
        let e = eq_table(&r);
        let c = ms(s);
        let s = Instant::now();
        let u = t.bind_rows(&e);
        let dd = ms(s);
        let s = Instant::now();
        tr.append_fields(b"u", &u);
        let ee = ms(s);
        let point: Vec<F> = r.iter().chain(&r).copied().collect();
        let s = Instant::now();
        verify_opening(&key, &vk.commitment, &point, &u).unwrap();
        let ff = ms(s);
        let s = Instant::now();
        let (y2, p) = prove(&t, &vk, &x, 1).unwrap();
        let g = ms(s);
        let s = Instant::now();
        verify(&key, &vk, &x, &y2, 1, &p).unwrap();
        let h = ms(s);
        println!("matvec {a:.3} transcript {b:.3} eq {c:.3} bind_rows {dd:.3} absorb_u {ee:.3} opening_verify {ff:.3} | prove {g:.3} verify {h:.3}");
    }
}

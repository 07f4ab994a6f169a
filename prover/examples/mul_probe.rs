//! Counts field-multiplication cost: `valgrind --tool=callgrind` on this binary.
use ark_std::UniformRand;
fn main() {
    let mut rng = ark_std::test_rng();
    let a = ternzk_prover::F::rand(&mut rng);
    let mut b = ternzk_prover::F::rand(&mut rng);
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let s = std::time::Instant::now();
    for _ in 0..n {
        b *= a;
    }
    println!(
        "{:.2} ns/mul {b}",
        s.elapsed().as_secs_f64() * 1e9 / n as f64
    );
}

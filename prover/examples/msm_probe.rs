//! Compares the verifier MSM with arkworks' on random inputs.
//! `cargo run --release -p ternzk-prover --example msm_probe`
use ark_ec::{CurveGroup, VariableBaseMSM};
use ark_std::{UniformRand, Zero};
use std::time::Instant;
use ternzk_prover::msm::{msm, FixedBases};
use ternzk_prover::{GAffine, F, G};

fn main() {
    let mut rng = ark_std::test_rng();
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 {
        // One implementation, once: for instruction counting under callgrind.
        let n: usize = args[2].parse().expect("n");
        let pts: Vec<GAffine> =
            G::normalize_batch(&(0..n).map(|_| G::rand(&mut rng)).collect::<Vec<_>>());
        let sc: Vec<F> = (0..n).map(|_| F::rand(&mut rng)).collect();
        let r = match args[1].as_str() {
            "ark" => G::msm_unchecked(&pts, &sc),
            "ours" => msm(&pts, &sc),
            "prep" => {
                std::hint::black_box(FixedBases::new(&pts));
                G::zero()
            }
            "fixed" => FixedBases::new(&pts).msm(&sc),
            _ => G::zero(),
        };
        println!("{}", r.into_affine());
        return;
    }
    for n in [1024usize, 4096, 8192] {
        let pts: Vec<GAffine> =
            G::normalize_batch(&(0..n).map(|_| G::rand(&mut rng)).collect::<Vec<_>>());
        let sc: Vec<F> = (0..n).map(|_| F::rand(&mut rng)).collect();
        for _ in 0..3 {
            let s = Instant::now();
            let a = G::msm_unchecked(&pts, &sc);
            let ta = s.elapsed().as_secs_f64() * 1e3;
            let s = Instant::now();
            let b = msm(&pts, &sc);
            let tb = s.elapsed().as_secs_f64() * 1e3;
            assert_eq!(a, b);
            println!("n={n} arkworks {ta:.2} ms  ternzk {tb:.2} ms");
        }
    }
}

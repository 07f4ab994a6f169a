//! Benchmark harness for ternzk: the statement `Y = W·X` for one random ternary
//! matrix, proven by each method in the same process, with the plain integer
//! mat-vec (the floor no prover can beat) timed beside them.

pub mod matvec;
pub mod matvec_gkr;
pub mod timing;

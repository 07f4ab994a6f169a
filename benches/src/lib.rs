//! Benchmark harness for ternzk: the statement `Y = W·X` for one random ternary
//! matrix, proven by each method in the same process, with the plain integer
//! mat-vec (the floor no prover can beat) timed beside them; and the suite behind
//! `ternzk report` ([`report`]), which writes those measurements up as markdown and
//! SVG plots.

pub mod matvec;
pub mod report;
pub mod timing;

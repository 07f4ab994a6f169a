//! Benchmark harness for ternzk.

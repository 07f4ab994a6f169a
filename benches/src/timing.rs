//! Repeated timing with medians, bounded by a repetition count and a time budget.

use std::time::{Duration, Instant};

/// Runs `f` up to `reps` times (at least once), stopping early once `budget` has
/// been spent, and returns the median duration in milliseconds with the last result.
pub fn median_ms<T>(reps: usize, budget: Duration, mut f: impl FnMut() -> T) -> (f64, T) {
    let start = Instant::now();
    let mut times = Vec::with_capacity(reps.max(1));
    let mut last;
    loop {
        let t0 = Instant::now();
        last = f();
        times.push(t0.elapsed().as_secs_f64() * 1e3);
        if times.len() >= reps.max(1) || start.elapsed() >= budget {
            break;
        }
    }
    (median(&mut times), last)
}

/// The median of a non-empty list (mean of the middle two for even lengths).
pub fn median(v: &mut [f64]) -> f64 {
    assert!(!v.is_empty(), "median of nothing");
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn respects_reps_and_budget() {
        let mut n = 0;
        median_ms(4, Duration::from_secs(60), || n += 1);
        assert_eq!(n, 4);
        let mut m = 0;
        median_ms(1000, Duration::from_millis(0), || m += 1);
        assert_eq!(m, 1);
    }
}

//! Power-law fits: `y = exp(a)·x^e`, fitted as the least-squares line
//! `ln y = a + e·ln x`. Used for the exponent of prove time in the number of
//! nonzeros (linear time means `e ≈ 1`).

use serde::Serialize;

/// A fitted power law `y = exp(intercept)·x^exponent`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PowerFit {
    /// `a` in `ln y = a + e·ln x`.
    pub intercept: f64,
    /// `e` in `ln y = a + e·ln x`.
    pub exponent: f64,
    /// Coefficient of determination of the log-log line (1 = a perfect line).
    pub r2: f64,
    /// Points the fit used.
    pub points: usize,
}

impl PowerFit {
    /// The fitted `y` at `x`. Cost: O(1).
    pub fn predict(&self, x: f64) -> f64 {
        (self.intercept + self.exponent * x.ln()).exp()
    }
}

/// Least-squares fit of `ln y = a + e·ln x` over the points with `x, y > 0`.
/// `None` with fewer than two such points or when all `x` are equal. Cost: O(points).
pub fn power_law(points: &[(f64, f64)]) -> Option<PowerFit> {
    let logs: Vec<(f64, f64)> = points
        .iter()
        .filter(|(x, y)| *x > 0.0 && *y > 0.0 && x.is_finite() && y.is_finite())
        .map(|(x, y)| (x.ln(), y.ln()))
        .collect();
    let n = logs.len() as f64;
    if logs.len() < 2 {
        return None;
    }
    let mx = logs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = logs.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = logs.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = logs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let syy: f64 = logs.iter().map(|p| (p.1 - my).powi(2)).sum();
    if sxx <= f64::EPSILON * n {
        return None;
    }
    let exponent = sxy / sxx;
    let intercept = my - exponent * mx;
    let ss_res: f64 = logs
        .iter()
        .map(|p| (p.1 - intercept - exponent * p.0).powi(2))
        .sum();
    let r2 = if syy > 0.0 { 1.0 - ss_res / syy } else { 1.0 };
    Some(PowerFit {
        intercept,
        exponent,
        r2,
        points: logs.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 * (1.0 + b.abs())
    }

    #[test]
    fn recovers_a_known_exponent_exactly() {
        // y = 3·x^1.25 on powers of two.
        let pts: Vec<(f64, f64)> = (8..=20)
            .map(|k| {
                let x = (1u64 << k) as f64;
                (x, 3.0 * x.powf(1.25))
            })
            .collect();
        let f = power_law(&pts).unwrap();
        assert!(close(f.exponent, 1.25), "{f:?}");
        assert!(close(f.intercept, 3f64.ln()), "{f:?}");
        assert!(close(f.r2, 1.0));
        assert_eq!(f.points, 13);
        assert!(close(f.predict(1024.0), 3.0 * 1024f64.powf(1.25)));
    }

    #[test]
    fn least_squares_through_noisy_points() {
        // ln y = 1 + x' ± 0.1 alternately (x' = ln x).
        let pts: Vec<(f64, f64)> = (0..6)
            .map(|i| {
                let lx = i as f64;
                let noise = if i % 2 == 0 { 0.1 } else { -0.1 };
                (lx.exp(), (1.0 + lx + noise).exp())
            })
            .collect();
        let f = power_law(&pts).unwrap();
        // The alternating noise is not orthogonal to ln x: with x' = 0..5,
        // Σ(x'-2.5)·noise = -0.3 and Σ(x'-2.5)² = 17.5, so the slope is 1 - 0.3/17.5.
        assert!(close(f.exponent, 1.0 - 0.3 / 17.5), "{f:?}");
        assert!(f.r2 < 1.0 && f.r2 > 0.99);
    }

    #[test]
    fn skips_non_positive_points_and_rejects_degenerate_input() {
        assert!(power_law(&[]).is_none());
        assert!(power_law(&[(1.0, 1.0)]).is_none());
        assert!(power_law(&[(2.0, 1.0), (2.0, 5.0)]).is_none());
        let f = power_law(&[(0.0, 1.0), (2.0, 4.0), (4.0, 16.0), (8.0, -1.0)]).unwrap();
        assert_eq!(f.points, 2);
        assert!(close(f.exponent, 2.0));
    }
}

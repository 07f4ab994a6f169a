//! Option values the front ends parse the same way.

use crate::error::{Error, Result};
use ternzk_compiler::Density;

/// Parses a density (one value like `0.25` or `1/16`, or a comma-separated list, one
/// per layer) together with the global flag into a [`Density`]. Cost: O(len).
pub fn parse_density(s: &str, global: bool) -> Result<Density> {
    let values = s
        .split(',')
        .map(parse_fraction)
        .collect::<std::result::Result<Vec<f64>, String>>()
        .map_err(|cause| {
            Error::Usage(format!(
                "--density {s:?} is not a number, a fraction or a list: {cause}"
            ))
        })?;
    density_of(&values, global)
}

/// The [`Density`] of per-layer values (one value: every layer); `global` asks for one
/// magnitude threshold over all layers and takes a single value. Cost: O(len).
pub fn density_of(values: &[f64], global: bool) -> Result<Density> {
    Ok(match (values, global) {
        ([d], true) => Density::Global(*d),
        (_, true) => {
            return Err(Error::Usage(
                "--global-density takes a single --density value".into(),
            ))
        }
        ([], false) => return Err(Error::Usage("the density list is empty".into())),
        ([d], false) => Density::Uniform(*d),
        (v, false) => Density::PerLayer(v.to_vec()),
    })
}

/// Parses a number or a fraction such as `1/16`; the error is the number parser's.
pub fn parse_fraction(s: &str) -> std::result::Result<f64, String> {
    let num = |t: &str| t.trim().parse::<f64>().map_err(|e| e.to_string());
    match s.trim().split_once('/') {
        Some((a, b)) => Ok(num(a)? / num(b)?),
        None => num(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn densities_parse() {
        assert_eq!(parse_fraction("1/16"), Ok(0.0625));
        assert_eq!(parse_fraction(" 0.5 "), Ok(0.5));
        assert!(parse_fraction("half").is_err());
        assert!(matches!(parse_density("1/4", false), Ok(Density::Uniform(d)) if d == 0.25));
        assert!(
            matches!(parse_density("0.5,1/4", false), Ok(Density::PerLayer(v)) if v == [0.5, 0.25])
        );
        assert!(matches!(parse_density("0.5", true), Ok(Density::Global(_))));
        let e = parse_density("0.5,x", false).unwrap_err().to_string();
        assert_eq!(
            e,
            "--density \"0.5,x\" is not a number, a fraction or a list: invalid float literal"
        );
        assert!(parse_density("0.5,0.5", true).is_err());
    }
}

//! MLP architectures written as layer widths: `784-256-256-10`.

use anyhow::{bail, Context, Result};

/// Parses `784-256-256-10` (or with `,`/`x` separators) into layer widths: the input
/// width first, the number of classes last. At least two widths, all positive.
pub fn parse_arch(s: &str) -> Result<Vec<usize>> {
    let dims = s
        .split(['-', ',', 'x'])
        .map(|p| {
            p.trim()
                .parse::<usize>()
                .with_context(|| format!("architecture `{s}`: `{p}` is not a width"))
        })
        .collect::<Result<Vec<usize>>>()?;
    if dims.len() < 2 {
        bail!("architecture `{s}` needs at least an input and an output width (e.g. 784-256-10)");
    }
    if dims.contains(&0) {
        bail!("architecture `{s}` has a zero width");
    }
    Ok(dims)
}

/// The conventional name of layer `i` (0-based): `fc1`, `fc2`, ….
pub fn layer_name(i: usize) -> String {
    format!("fc{}", i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            parse_arch("784-256-256-10").unwrap(),
            vec![784, 256, 256, 10]
        );
        assert_eq!(parse_arch("784,10").unwrap(), vec![784, 10]);
        assert!(parse_arch("784").is_err());
        assert!(parse_arch("784-0-10").is_err());
        assert!(parse_arch("784-a-10").is_err());
        assert_eq!(layer_name(0), "fc1");
    }
}

//! The shell commands printed next to the report's numbers: the `ternzk bench
//! matvec` invocation equivalent to each measurement, and shell quoting for the
//! report's own command line.

use crate::matvec::Config;

/// The `ternzk bench matvec` command that measures exactly `cfg` (every flag
/// spelled out, so defaults changing later cannot change its meaning). Cost: O(1).
pub fn bench_matvec(cfg: &Config) -> String {
    let methods: Vec<&str> = cfg.methods.iter().map(|m| m.name()).collect();
    format!(
        "ternzk bench matvec --rows {} --cols {} --density {} --batch {} --methods {} --reps {} --budget-secs {} --seed {}",
        cfg.rows,
        cfg.cols,
        cfg.density,
        cfg.batch,
        methods.join(","),
        cfg.reps,
        cfg.budget.as_secs_f64(),
        cfg.seed
    )
}

/// Joins arguments into one shell command line, single-quoting those that need it.
/// Cost: O(total length).
pub fn shell_join<S: AsRef<str>>(args: &[S]) -> String {
    args.iter()
        .map(|a| quote(a.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn quote(a: &str) -> String {
    let safe = !a.is_empty()
        && a.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if safe {
        a.to_string()
    } else {
        format!("'{}'", a.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matvec::Method;
    use std::time::Duration;

    #[test]
    fn spells_out_every_flag() {
        let cfg = Config {
            rows: 4096,
            cols: 2048,
            density: 1.0 / 64.0,
            batch: 16,
            methods: vec![Method::TernarySparse, Method::DenseGkr],
            reps: 7,
            budget: Duration::from_secs(20),
            seed: 42,
        };
        assert_eq!(
            bench_matvec(&cfg),
            "ternzk bench matvec --rows 4096 --cols 2048 --density 0.015625 --batch 16 \
             --methods ternary-sparse,dense-gkr --reps 7 --budget-secs 20 --seed 42"
        );
    }

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(
            shell_join(&["ternzk", "report", "--out", "my dir", "it's", ""]),
            r"ternzk report --out 'my dir' 'it'\''s' ''"
        );
    }
}

//! What `ternzk commit`, `prove` and `verify` share: reading JSON inputs and printing
//! outputs. Generator derivation, atomic file writes, loading keys and models, input
//! quantization and output decoding are `ternzk-api`'s (shared with the Python
//! package), re-exported here.

use anyhow::{bail, ensure, Context};
use ternzk_prover::mlp::RequantCheck;

pub use ternzk_api::files::{load_compiled, write_atomic};
pub use ternzk_api::inputs::quantize as quantize_json_inputs;
pub use ternzk_api::outputs::{classes, dequantize_logits};
pub use ternzk_api::proving::commit_key;

/// Parses inputs from JSON: one input as an array of numbers, a batch as an array of
/// such arrays, or either under the key `"input"` / `"inputs"` of an object. Returns
/// the values back to back and the batch size. Cost: O(text).
pub fn parse_input_rows(text: &str, n_in: usize) -> anyhow::Result<(Vec<f64>, usize)> {
    let v: serde_json::Value = serde_json::from_str(text).context("input is not valid JSON")?;
    let v = match v {
        serde_json::Value::Object(mut o) => {
            match o.remove("inputs").or_else(|| o.remove("input")) {
                Some(x) => x,
                None => bail!("input JSON object needs an \"input\" or \"inputs\" field"),
            }
        }
        other => other,
    };
    let arr = v.as_array().context("input must be a JSON array")?;
    let rows: Vec<&serde_json::Value> = if arr.first().is_some_and(|x| x.is_array()) {
        arr.iter().collect()
    } else {
        vec![&v]
    };
    ensure!(!rows.is_empty(), "no inputs given");
    let mut out = Vec::with_capacity(rows.len() * n_in);
    for (b, row) in rows.iter().enumerate() {
        let row = row.as_array().context("every input must be an array")?;
        ensure!(
            row.len() == n_in,
            "input {b} has {} values, the model takes {n_in}",
            row.len()
        );
        for (j, x) in row.iter().enumerate() {
            match x.as_f64() {
                Some(p) if (p as f32).is_finite() => out.push(p),
                _ => bail!("input {b}, value {j}: {x} is not a finite number"),
            }
        }
    }
    Ok((out, rows.len()))
}

/// This process's peak resident memory in MiB (Linux `VmHWM`), if known.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// How each hidden layer's requantization was checked, for `--json`:
/// `[{"layer": 0, "mode": "quotient", "table_bits": 10}, …]` (`table_bits` is the
/// quotient table's width in quotient mode, the accumulator range's in direct mode).
/// Cost: O(layers).
pub fn checks_json(checks: &[RequantCheck]) -> serde_json::Value {
    checks
        .iter()
        .enumerate()
        .map(|(layer, c)| {
            serde_json::json!({"layer": layer, "mode": c.mode(), "table_bits": c.bits()})
        })
        .collect()
}

/// Hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_parse_in_every_accepted_form() {
        assert_eq!(
            parse_input_rows("[1,2,3]", 3).unwrap(),
            (vec![1., 2., 3.], 1)
        );
        assert_eq!(
            parse_input_rows("[[1,2],[-3.5,255]]", 2).unwrap(),
            (vec![1., 2., -3.5, 255.], 2)
        );
        assert_eq!(parse_input_rows("{\"input\": [0, 9]}", 2).unwrap().1, 1);
        assert_eq!(parse_input_rows("{\"inputs\": [[0, 9]]}", 2).unwrap().1, 1);
        for bad in [
            "[1,2]",
            "[1,\"a\",3]",
            "[1,2,1e300]",
            "{}",
            "[]",
            "nope",
            "[[1,2,3],[1]]",
        ] {
            assert!(parse_input_rows(bad, 3).is_err(), "{bad}");
        }
    }
}

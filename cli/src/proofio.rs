//! What `ternzk commit`, `prove` and `verify` share: generator derivation, atomic file
//! writes, loading keys and models, reading inputs, and printing outputs.

use anyhow::{bail, ensure, Context};
use std::io::Write;
use std::path::Path;
use ternzk_compiler::format::file_is_compiled;
use ternzk_compiler::CompiledModel;
use ternzk_prover::field::log2_ceil;
use ternzk_prover::hyrax::HyraxKey;
use ternzk_prover::mlp::{MlpVk, RequantCheck};

/// The generators for committing to `model`'s weights: `2^⌈log n_in⌉` of the widest
/// layer input. Cost: one hash-to-curve per generator.
pub fn commit_key(model: &CompiledModel) -> HyraxKey {
    let vars = model
        .layers
        .iter()
        .map(|l| log2_ceil(l.n_in()))
        .max()
        .unwrap_or(0);
    HyraxKey::new(vars)
}

/// Writes `bytes` to `path` atomically (a temporary file in the same directory,
/// renamed into place), so a failed run never leaves a partial file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Loads a compiled model (a dense one gets a hint to compile it first).
pub fn load_compiled(path: &Path) -> anyhow::Result<CompiledModel> {
    if !file_is_compiled(path)? {
        bail!(
            "{} is a dense model; compile it first: ternzk compile {} -o MODEL.ternzk.safetensors",
            path.display(),
            path.display()
        );
    }
    Ok(CompiledModel::load(path)?)
}

/// Reads and validates a verifying key file.
pub fn load_vk(path: &Path) -> anyhow::Result<MlpVk> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.starts_with(ternzk_prover::hiding_key::HIDING_KEY_MAGIC) {
        bail!(
            "{} is a hiding (private-model) key: private-model proving and verifying are not implemented yet; `ternzk prove` and `ternzk verify` take a public key (`ternzk commit` without --hiding), and `ternzk check-key` checks a hiding key's well-formedness proof",
            path.display()
        );
    }
    MlpVk::from_bytes(&bytes)
        .with_context(|| format!("{} is not a valid verifying key", path.display()))
}

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

/// The u8 vector the integer model consumes for JSON inputs. A model with a
/// per-feature quantizer (compiled on a data file) takes real values and quantizes
/// them. A pixel model (Fashion-MNIST, uniform calibration) takes u8 pixel values
/// 0…255 as before when every value is such an integer, and otherwise real values in
/// `[0, 1]` (`pixel / 255`). Cost: O(values).
pub fn quantize_json_inputs(model: &CompiledModel, values: &[f64]) -> anyhow::Result<Vec<u8>> {
    let is_u8 = |v: &f64| v.fract() == 0.0 && (0.0..=255.0).contains(v);
    if model.input.per_feature.is_none() {
        if values.iter().all(is_u8) {
            return Ok(values.iter().map(|&v| v as u8).collect());
        }
        if let Some((i, v)) = values
            .iter()
            .enumerate()
            .find(|(_, v)| !(0.0..=1.0).contains(*v))
        {
            let n = model.n_in().max(1);
            bail!(
                "input {}, value {}: {v} is neither a pixel value (an integer in 0..=255) nor a real input in [0, 1] (this model takes images)",
                i / n,
                i % n
            );
        }
    }
    let x: Vec<f32> = values.iter().map(|&v| v as f32).collect();
    Ok(model.input.quantize_rows(&x))
}

/// The real-valued logits the integer logits `z` of the last layer stand for
/// (`α_i · input_scale · z_i`, row `i` of each input). Cost: O(len).
pub fn dequantize_logits(model: &CompiledModel, z: &[i32]) -> Vec<f64> {
    let Some(l) = model.layers.last() else {
        return Vec::new();
    };
    let n = l.n_out().max(1);
    z.iter()
        .enumerate()
        .map(|(i, &v)| l.alpha[i % n] * l.input_scale * v as f64)
        .collect()
}

/// The class of each row of logits: argmax (first on ties), or for one output unit
/// (a binary classifier) 1 when the logit is positive.
pub fn classes(logits: &[i32], n_out: usize) -> Vec<usize> {
    ternzk_compiler::float_ref::argmax_rows(logits, n_out)
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

    #[test]
    fn classes_take_the_first_maximum() {
        assert_eq!(classes(&[1, 5, 5, -3, -1, -2], 3), vec![1, 1]);
        assert_eq!(classes(&[-3, 0, 7], 1), vec![0, 0, 1]);
    }
}

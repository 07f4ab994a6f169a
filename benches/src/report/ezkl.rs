//! Section "EZKL": renders the results another script wrote to
//! `reports/ezkl/results.json` (`ternzk report` never runs EZKL). The file is a
//! JSON list of objects
//! `{"tool", "ezkl_version", "model", "variant", "settings": {…, "timestamp"},
//! "steps": {step: {"seconds", "peak_rss_mb", "user_cpu_seconds",
//! "sys_cpu_seconds"}}, "prove_seconds", "verify_seconds", "proof_bytes",
//! "proof_raw_bytes", "prove_peak_rss_mb", "nnz", "verified", "logrows", "date"?,
//! "error"?, "command"?}`; every field may be missing.

use super::markdown::{num, ratio};
use super::section::{Repro, Section, Table};
use anyhow::{bail, Context, Result};
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Where the results are looked for unless `--ezkl-results` says otherwise.
pub const DEFAULT_RELATIVE: &str = "reports/ezkl/results.json";

/// One row of the results, with absent fields as `None`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// `tool` (normally "ezkl").
    pub tool: Option<String>,
    /// `ezkl_version`.
    pub version: Option<String>,
    /// `model`.
    pub model: Option<String>,
    /// `variant`: "dense" or "ternary".
    pub variant: Option<String>,
    /// `prove_seconds`.
    pub prove_s: Option<f64>,
    /// `verify_seconds`.
    pub verify_s: Option<f64>,
    /// `proof_bytes`.
    pub proof_bytes: Option<u64>,
    /// The largest `peak_rss_mb` over `steps`.
    pub peak_rss_mb: Option<f64>,
    /// `logrows`.
    pub logrows: Option<u64>,
    /// `verified`.
    pub verified: Option<bool>,
    /// A short summary of `settings` ([`settings_summary`]); the whole settings
    /// stay in the raw results ([`Input::raw`], kept in report.json).
    pub settings: Option<String>,
    /// `error`, if the run failed.
    pub error: Option<String>,
    /// `command`, if the script recorded how it ran.
    pub command: Option<String>,
    /// `proof_raw_bytes`: the proof's bytes alone, without the JSON wrapping.
    pub proof_raw_bytes: Option<u64>,
    /// `prove_peak_rss_mb`, else the `prove` step's `peak_rss_mb`.
    pub prove_peak_rss_mb: Option<f64>,
    /// CPU seconds (user + system) of the `prove` step.
    pub prove_cpu_s: Option<f64>,
    /// `nnz`: nonzero weights of the model (summed if given per layer).
    pub nnz: Option<u64>,
    /// When the row was measured, `YYYY-MM-DD` (UTC): `date`, else EZKL's
    /// `settings.timestamp` (milliseconds since the epoch).
    pub date: Option<String>,
}

/// The results file and what it held.
#[derive(Clone, Debug, Serialize)]
pub struct Input {
    /// Where the results were looked for.
    #[serde(skip)]
    pub path: PathBuf,
    /// The path as the report shows it: relative to the root of the git
    /// repository holding it, else as given ([`shown_path`]).
    #[serde(rename = "path")]
    pub shown: String,
    /// The rows, or `None` when the file does not exist.
    #[serde(skip)]
    pub rows: Option<Vec<Row>>,
    /// The file's JSON as read (every field, EZKL's whole settings included), for
    /// report.json.
    #[serde(rename = "results")]
    pub raw: Option<Value>,
}

impl Input {
    /// No results, looked for at `path`. Cost: a few `stat` calls.
    pub fn missing(path: &Path) -> Self {
        Input {
            path: path.to_path_buf(),
            shown: shown_path(path),
            rows: None,
            raw: None,
        }
    }
}

/// `path` as the report shows it: relative to the root of the git repository
/// holding it (`reports/ezkl/results.json`), else unchanged. Cost: one `stat`
/// per ancestor.
pub fn shown_path(path: &Path) -> String {
    path.parent()
        .and_then(repo_root)
        .and_then(|root| path.strip_prefix(root).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

/// The default results path: `reports/ezkl/results.json` in the git repository
/// holding `out_dir` (or else the one holding `cwd`, or else `cwd`).
/// Cost: a few `stat` calls per ancestor directory.
pub fn default_path(out_dir: &Path, cwd: &Path) -> PathBuf {
    let abs = if out_dir.is_absolute() {
        out_dir.to_path_buf()
    } else {
        cwd.join(out_dir)
    };
    let root = repo_root(&abs)
        .or_else(|| repo_root(cwd))
        .unwrap_or_else(|| cwd.to_path_buf());
    root.join(DEFAULT_RELATIVE)
}

/// The nearest directory at or above `start` holding `.git` (a git repository or
/// worktree root). Cost: one `stat` per ancestor.
pub fn repo_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Reads the results at `path`. A missing file is `rows: None` unless `required`
/// (the user named it), which is an error; an unreadable or malformed file is an
/// error. Cost: O(file size).
pub fn load(path: &Path, required: bool) -> Result<Input> {
    if !path.exists() {
        if required {
            bail!("EZKL results {} do not exist", path.display());
        }
        return Ok(Input::missing(path));
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading EZKL results {}", path.display()))?;
    let rows = parse(&text).with_context(|| format!("EZKL results {}", path.display()))?;
    Ok(Input {
        rows: Some(rows),
        raw: serde_json::from_str(&text).ok(),
        ..Input::missing(path)
    })
}

/// Parses the results: a JSON list of objects (or a single object). Fields of the
/// wrong type count as missing. Cost: O(text length).
pub fn parse(text: &str) -> Result<Vec<Row>> {
    let v: Value = serde_json::from_str(text).context("not valid JSON")?;
    let items = match v {
        Value::Array(items) => items,
        obj @ Value::Object(_) => vec![obj],
        _ => bail!("expected a JSON list of result objects"),
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.as_object()
                .map(|_| row(item))
                .with_context(|| format!("entry {i} is not an object"))
        })
        .collect()
}

fn row(v: &Value) -> Row {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let f = |k: &str| v.get(k).and_then(Value::as_f64);
    let u = |k: &str| v.get(k).and_then(Value::as_u64);
    let prove_step = |k: &str| {
        v.pointer(&format!("/steps/prove/{k}"))
            .and_then(Value::as_f64)
    };
    let peak = v.get("steps").and_then(Value::as_object).and_then(|steps| {
        steps
            .values()
            .filter_map(|st| st.get("peak_rss_mb").and_then(Value::as_f64))
            .reduce(f64::max)
    });
    Row {
        tool: s("tool"),
        version: s("ezkl_version"),
        model: s("model"),
        variant: s("variant"),
        prove_s: f("prove_seconds"),
        verify_s: f("verify_seconds"),
        proof_bytes: u("proof_bytes"),
        peak_rss_mb: peak,
        logrows: u("logrows"),
        verified: v.get("verified").and_then(Value::as_bool),
        settings: v.get("settings").and_then(settings_summary),
        error: s("error"),
        command: s("command"),
        proof_raw_bytes: u("proof_raw_bytes"),
        prove_peak_rss_mb: f("prove_peak_rss_mb").or_else(|| prove_step("peak_rss_mb")),
        prove_cpu_s: prove_step("user_cpu_seconds")
            .zip(prove_step("sys_cpu_seconds"))
            .map(|(u, s)| u + s),
        nnz: match v.get("nnz") {
            Some(Value::Array(a)) => a.iter().map(Value::as_u64).sum(),
            Some(x) => x.as_u64(),
            None => None,
        },
        date: s("date").or_else(|| {
            v.pointer("/settings/timestamp")
                .and_then(Value::as_u64)
                .map(|ms| utc_date(ms / 1000))
        }),
    }
}

/// A one-line summary of EZKL's calibrated `settings`: the visibilities of
/// input, output and parameters, the input and parameter scales, `logrows`,
/// `check_mode` and `num_rows`, e.g. `public/public/fixed (input/output/params),
/// scales 13/13 (input/params), logrows 15, check_mode UNSAFE, num_rows 28256`.
/// Each is read from `settings.run_args` (where EZKL puts them), else from
/// `settings` itself; absent ones are left out (`?` inside the two groups).
/// `None` if none is present. Cost: O(1).
pub fn settings_summary(settings: &Value) -> Option<String> {
    let get = |k: &str| {
        settings
            .pointer(&format!("/run_args/{k}"))
            .or_else(|| settings.get(k))
            .filter(|v| !v.is_null())
    };
    // EZKL writes visibilities as "Public" / "Fixed", or an object such as
    // {"Hashed": {…}}: its single key.
    let visibility = |k: &str| {
        get(k).map(|v| match v {
            Value::String(s) => s.to_lowercase(),
            Value::Object(o) if o.len() == 1 => o.keys().next().unwrap().to_lowercase(),
            other => other.to_string(),
        })
    };
    let plain = |k: &str| {
        get(k).map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    };
    let group = |parts: Vec<Option<String>>, what: &str| {
        parts.iter().any(Option::is_some).then(|| {
            let vals: Vec<String> = parts
                .into_iter()
                .map(|p| p.unwrap_or_else(|| "?".into()))
                .collect();
            format!("{} ({what})", vals.join("/"))
        })
    };
    let vis = group(
        vec![
            visibility("input_visibility"),
            visibility("output_visibility"),
            visibility("param_visibility"),
        ],
        "input/output/params",
    );
    let scales = group(
        vec![plain("input_scale"), plain("param_scale")],
        "input/params",
    )
    .map(|s| format!("scales {s}"));
    let parts: Vec<String> = [
        vis,
        scales,
        plain("logrows").map(|v| format!("logrows {v}")),
        plain("check_mode").map(|v| format!("check_mode {v}")),
        plain("num_rows").map(|v| format!("num_rows {v}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The UTC calendar date `YYYY-MM-DD` of `secs` seconds after the Unix epoch
/// (proleptic Gregorian calendar). Cost: O(1).
pub fn utc_date(secs: u64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Builds the section: the results table, dense-against-ternary prove ratios per
/// model where both ran, or a note when there are no results. Cost: O(rows²).
pub fn section(input: &Input) -> Section {
    let shown = &input.shown;
    let mut s = Section {
        title: "EZKL".into(),
        ..Default::default()
    };
    let Some(rows) = &input.rows else {
        s.text = format!(
            "No EZKL results at `{shown}`. They are produced by the EZKL benchmark script \
             (`ternzk report` never runs EZKL); point `--ezkl-results PATH` at another file."
        );
        return s;
    };
    s.text = format!(
        "Rows of `{shown}`, written by the EZKL benchmark script; `ternzk report` only renders \
         them (it does not run EZKL). Peak memory is the largest `peak_rss_mb` over the \
         script's steps; `-` marks a field the file does not have."
    );
    let text = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".into());
    let opt = |o: Option<f64>| o.map_or("-".into(), num);
    let mut t = Table::new(&[
        "tool",
        "version",
        "model",
        "variant",
        "prove s",
        "verify s",
        "proof bytes",
        "peak RSS MB",
        "logrows",
        "verified",
        "settings",
        "error",
    ]);
    for r in rows {
        t.push(vec![
            text(&r.tool),
            text(&r.version),
            text(&r.model),
            text(&r.variant),
            opt(r.prove_s),
            opt(r.verify_s),
            r.proof_bytes.map_or("-".into(), |b| b.to_string()),
            opt(r.peak_rss_mb),
            r.logrows.map_or("-".into(), |l| l.to_string()),
            r.verified.map_or("-".into(), |v| v.to_string()),
            r.settings
                .as_deref()
                .map_or("-".into(), |x| format!("`{x}`")),
            text(&r.error),
        ]);
        if let Some(c) = &r.command {
            s.commands.push(Repro {
                what: format!("{} {}", text(&r.model), text(&r.variant)),
                command: c.clone(),
            });
        }
    }
    s.tables.push(t);
    let mut ratios = Table::new(&[
        "model",
        "dense prove s",
        "ternary prove s",
        "dense ÷ ternary",
    ]);
    ratios.caption = Some("EZKL on the same model, dense against ternary weights".into());
    let prove_of = |model: &str, variant: &str| {
        rows.iter()
            .filter(|r| r.model.as_deref() == Some(model) && r.variant.as_deref() == Some(variant))
            .find_map(|r| r.prove_s.filter(|_| r.error.is_none()))
    };
    let mut models: Vec<&str> = Vec::new();
    for m in rows.iter().filter_map(|r| r.model.as_deref()) {
        if !models.contains(&m) {
            models.push(m);
        }
    }
    for m in models {
        if let (Some(d), Some(tr)) = (prove_of(m, "dense"), prove_of(m, "ternary")) {
            ratios.push(vec![m.into(), num(d), num(tr), ratio(d / tr)]);
            s.metrics
                .insert(format!("ezkl_{m}_dense_over_ternary"), d / tr);
        }
    }
    if !ratios.rows.is_empty() {
        s.tables.push(ratios);
    }
    s.commands.push(Repro {
        what: "these rows".into(),
        command: format!("the EZKL benchmark script's output, read from {shown}"),
    });
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"[
      {"tool":"ezkl","ezkl_version":"22.0.1","model":"mlp","variant":"dense",
       "settings":{"scale":7,"logrows":17},
       "steps":{"setup":{"seconds":3.0,"peak_rss_mb":900.5},"prove":{"seconds":12.5,"peak_rss_mb":2048.0}},
       "prove_seconds":12.5,"verify_seconds":0.05,"proof_bytes":30000,"verified":true,"logrows":17},
      {"tool":"ezkl","model":"mlp","variant":"ternary","prove_seconds":2.5},
      {"model":"big","variant":"dense","error":"out of memory | killed"}
    ]"#;

    #[test]
    fn parses_rows_tolerating_missing_fields() {
        let rows = parse(SAMPLE).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].peak_rss_mb, Some(2048.0));
        assert_eq!(rows[0].settings.as_deref(), Some("logrows 17"));
        assert_eq!(rows[1].version, None);
        assert_eq!(rows[1].verified, None);
        assert_eq!(rows[2].error.as_deref(), Some("out of memory | killed"));
        assert!(parse("{\"model\":\"x\"}").unwrap()[0].model.is_some());
        assert!(parse("[1]").is_err());
        assert!(parse("nope").is_err());
    }

    #[test]
    fn renders_table_and_ratio() {
        let input = Input {
            rows: Some(parse(SAMPLE).unwrap()),
            ..Input::missing(Path::new("r.json"))
        };
        let s = section(&input);
        assert_eq!(s.tables[0].rows.len(), 3);
        assert_eq!(s.tables[0].rows[0][7], "2048");
        assert_eq!(s.tables[0].rows[1][1], "-");
        assert_eq!(s.tables[1].rows, vec![vec!["mlp", "12.5", "2.50", "5.0×"]]);
        assert_eq!(s.metrics["ezkl_mlp_dense_over_ternary"], 5.0);
        let md = crate::report::markdown::table(&s.tables[0]);
        assert!(md.contains("out of memory \\| killed"));
    }

    #[test]
    fn reads_the_comparison_fields() {
        let rows = parse(
            r#"[{"proof_raw_bytes": 3616, "nnz": [12544, 4096, 160],
                 "settings": {"timestamp": 1795315363928},
                 "steps": {"prove": {"peak_rss_mb": 2912.8, "user_cpu_seconds": 94.25,
                                     "sys_cpu_seconds": 7.25}}},
                {"date": "2026-01-02", "nnz": 7, "prove_peak_rss_mb": 5.0}]"#,
        )
        .unwrap();
        assert_eq!(rows[0].proof_raw_bytes, Some(3616));
        assert_eq!(rows[0].nnz, Some(16800));
        assert_eq!(rows[0].date.as_deref(), Some("2026-11-22"));
        assert_eq!(rows[0].prove_peak_rss_mb, Some(2912.8));
        assert_eq!(rows[0].prove_cpu_s, Some(101.5));
        assert_eq!(rows[1].date.as_deref(), Some("2026-01-02"));
        assert_eq!(rows[1].nnz, Some(7));
        assert_eq!(rows[1].prove_peak_rss_mb, Some(5.0));
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
    }

    #[test]
    fn summarizes_the_settings() {
        // As EZKL 23 writes them (abridged): the run args nested, num_rows beside.
        let full = serde_json::json!({
            "run_args": {"input_scale": 13, "param_scale": 13, "logrows": 15,
                         "input_visibility": "Public", "output_visibility": "Public",
                         "param_visibility": "Fixed", "check_mode": "UNSAFE",
                         "decomp_base": 16384},
            "num_rows": 28256, "check_mode": "UNSAFE",
            "einsum_params": {"equations": [["mk,kn->n", {"k": 784}]]},
            "timestamp": 1795314846886u64});
        assert_eq!(
            settings_summary(&full).unwrap(),
            "public/public/fixed (input/output/params), scales 13/13 (input/params), \
             logrows 15, check_mode UNSAFE, num_rows 28256"
        );
        // Top-level fields, a hashed visibility, missing ones.
        let partial = serde_json::json!({"input_scale": 7, "param_scale": 7,
            "input_visibility": {"Hashed": {"hash_is_public": true}}});
        assert_eq!(
            settings_summary(&partial).unwrap(),
            "hashed/?/? (input/output/params), scales 7/7 (input/params)"
        );
        assert_eq!(settings_summary(&serde_json::json!({"timestamp": 1})), None);
        // The table shows the summary, never the whole JSON.
        let rows = parse(&format!("[{{\"settings\": {full}}}]")).unwrap();
        let s = section(&Input {
            rows: Some(rows),
            ..Input::missing(Path::new("r.json"))
        });
        let cell = &s.tables[0].rows[0][10];
        assert!(
            cell.contains("logrows 15") && !cell.contains("einsum"),
            "{cell}"
        );
    }

    #[test]
    fn paths_are_shown_relative_to_the_repository() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        assert_eq!(
            shown_path(&root.join(DEFAULT_RELATIVE)),
            "reports/ezkl/results.json"
        );
        assert_eq!(
            shown_path(Path::new("/nonexistent/r.json")),
            "/nonexistent/r.json"
        );
        let input = load(&root.join(DEFAULT_RELATIVE), false).unwrap();
        assert_eq!(input.shown, "reports/ezkl/results.json");
        let s = section(&input);
        assert!(!s.text.contains(&root.display().to_string()), "{}", s.text);
    }

    #[test]
    fn missing_files_are_a_note_unless_required() {
        let p = Path::new("/nonexistent/results.json");
        let input = load(p, false).unwrap();
        assert!(input.rows.is_none());
        assert!(section(&input).text.starts_with("No EZKL results"));
        assert!(load(p, true).is_err());
    }

    #[test]
    fn default_path_is_in_the_repository() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let p = default_path(Path::new("reports"), here.parent().unwrap());
        assert!(p.ends_with(DEFAULT_RELATIVE));
        assert!(p
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .join(".git")
            .exists());
    }
}

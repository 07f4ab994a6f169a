//! Markdown rendering of [`Section`]s and [`Table`]s, and the number formats the
//! report uses. Pure string functions: no I/O.

use super::section::{Section, Table};
use std::fmt::Write;

/// A measurement with about three significant digits (`1234`, `56.7`, `8.90`,
/// `0.123`); non-finite values render as `-`. Cost: O(1).
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "-".into();
    }
    let a = v.abs();
    if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

/// A ratio such as `47×` or `5.2×` (one decimal below 10). Cost: O(1).
pub fn ratio(v: f64) -> String {
    if !v.is_finite() {
        "-".into()
    } else if v.abs() >= 10.0 {
        format!("{v:.0}×")
    } else {
        format!("{v:.1}×")
    }
}

/// A table cell made safe for a markdown table: `|` escaped, newlines as spaces.
/// Cost: O(len).
pub fn escape_cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Whether a cell reads as a number (so its column is right-aligned): optional
/// sign, then a digit; `-` alone (a missing value) counts too. Cost: O(1).
fn numeric(cell: &str) -> bool {
    let c = cell.trim_start_matches(['-', '+']);
    cell == "-" || c.starts_with(|ch: char| ch.is_ascii_digit())
}

/// Renders a table as GitHub-flavoured markdown, right-aligning the columns whose
/// cells are all numbers. Short rows are padded with empty cells. Cost:
/// O(total cell length).
pub fn table(t: &Table) -> String {
    let cols = t.headers.len();
    let cell = |row: &[String], j: usize| row.get(j).map(|c| escape_cell(c)).unwrap_or_default();
    let mut out = String::new();
    if let Some(c) = &t.caption {
        let _ = writeln!(out, "**{c}**\n");
    }
    let header: Vec<String> = t.headers.iter().map(|h| escape_cell(h)).collect();
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let align: Vec<&str> = (0..cols)
        .map(|j| {
            let all_numeric =
                !t.rows.is_empty() && t.rows.iter().all(|r| numeric(r.get(j).map_or("", |c| c)));
            if all_numeric {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    let _ = writeln!(out, "|{}|", align.join("|"));
    for r in &t.rows {
        let cells: Vec<String> = (0..cols).map(|j| cell(r, j)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out
}

/// Renders a section: heading, text, tables, plot images (linked by file name) and
/// a "Reproduce" list of commands. Cost: O(size of the section).
pub fn section(s: &Section) -> String {
    let mut out = format!("## {}\n\n", s.title);
    if !s.text.trim().is_empty() {
        let _ = writeln!(out, "{}\n", s.text.trim_end());
    }
    for t in &s.tables {
        let _ = writeln!(out, "{}", table(t));
    }
    for p in &s.plots {
        let _ = writeln!(out, "![{}]({})\n", escape_cell(&p.title), p.file);
    }
    if !s.commands.is_empty() {
        out.push_str("Reproduce:\n\n");
        for c in &s.commands {
            let _ = writeln!(out, "- {}: `{}`", c.what, c.command);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::section::Repro;

    #[test]
    fn formats_numbers_and_ratios() {
        assert_eq!(num(1234.56), "1235");
        assert_eq!(num(56.78), "56.8");
        assert_eq!(num(8.9), "8.90");
        assert_eq!(num(0.1234), "0.123");
        assert_eq!(num(f64::NAN), "-");
        assert_eq!(ratio(1996.4), "1996×");
        assert_eq!(ratio(5.24), "5.2×");
    }

    #[test]
    fn renders_a_table_with_alignment_escaping_and_padding() {
        let mut t = Table::new(&["method", "prove ms", "note"]);
        t.caption = Some("At density 1/16".into());
        t.push(vec!["ternary-sparse".into(), "5.14".into(), "a|b".into()]);
        t.push(vec!["dense-gkr".into(), "-".into()]);
        let md = table(&t);
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(lines[0], "**At density 1/16**");
        assert_eq!(lines[1], "");
        assert_eq!(lines[2], "| method | prove ms | note |");
        assert_eq!(lines[3], "|---|---:|---|");
        assert_eq!(lines[4], "| ternary-sparse | 5.14 | a\\|b |");
        assert_eq!(lines[5], "| dense-gkr | - |  |");
        assert_eq!(lines.len(), 6);
    }

    #[test]
    fn an_empty_table_still_has_its_header() {
        let md = table(&Table::new(&["a", "b"]));
        assert_eq!(md, "| a | b |\n|---|---|\n");
    }

    #[test]
    fn renders_a_section_with_plots_and_commands() {
        let mut s = Section {
            title: "Scaling".into(),
            text: "Prove time grows linearly.".into(),
            ..Default::default()
        };
        s.tables.push(Table::new(&["n"]));
        s.commands.push(Repro {
            what: "n = 256".into(),
            command: "ternzk bench matvec --rows 256".into(),
        });
        let md = section(&s);
        assert!(md.starts_with("## Scaling\n\nProve time grows linearly.\n\n| n |"));
        assert!(md.contains("- n = 256: `ternzk bench matvec --rows 256`"));
    }
}

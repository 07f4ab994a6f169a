//! Data sets as CSV (the `csv` crate): a header row naming the columns, one sample
//! per line; the label column (`label` unless named) holds the class, every other
//! column is a feature, in file order.

use super::{Array, DataError};
use crate::error::{Error, Result};
use std::path::Path;

/// The default label column.
pub const DEFAULT_LABEL_COLUMN: &str = "label";

/// Reads features and labels. A named `label_column` must exist; the default one is
/// optional (no such column: no labels). Cost: O(file size).
pub fn read(path: &Path, label_column: Option<&str>) -> Result<(Array, Option<Array>)> {
    let file = path.display().to_string();
    let malformed = |reason: String| -> Error {
        DataError::Malformed {
            file: file.clone(),
            reason,
        }
        .into()
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| match e.into_kind() {
            csv::ErrorKind::Io(io) => Error::io(path, io),
            other => malformed(format!("{other:?}")),
        })?;
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| malformed(format!("cannot read the header row: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    if headers.is_empty() || headers.iter().all(String::is_empty) {
        return Err(DataError::Empty { file: file.clone() }.into());
    }
    let wanted = label_column.unwrap_or(DEFAULT_LABEL_COLUMN);
    let label_idx = headers.iter().position(|h| h == wanted);
    if label_column.is_some() && label_idx.is_none() {
        return Err(malformed(format!(
            "no column `{wanted}` (columns: {})",
            headers.join(", ")
        )));
    }
    let mut x = Vec::new();
    let mut y = Vec::new();
    let mut n = 0usize;
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            malformed(format!("line {line}: {e}"))
        })?;
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(n + 2);
        for (c, cell) in rec.iter().enumerate() {
            let v: f64 = cell.parse().map_err(|_| DataError::NotNumeric {
                file: file.clone(),
                row: line,
                column: headers[c].clone(),
                cell: cell.to_string(),
            })?;
            if Some(c) == label_idx {
                y.push(v);
            } else {
                x.push(v);
            }
        }
        n += 1;
    }
    let dim = headers.len() - label_idx.is_some() as usize;
    let x = Array {
        shape: vec![n, dim],
        values: x,
    };
    let y = label_idx.map(|_| Array {
        shape: vec![n],
        values: y,
    });
    Ok((x, y))
}

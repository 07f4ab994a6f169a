//! User data sets: a float matrix of inputs, one row per sample, with optional
//! integer labels — read from `.safetensors`, `.npz`, `.npy` or `.csv` files, or the
//! built-in Fashion-MNIST. Every subcommand that takes data (`compile --calib/--eval`,
//! `eval`, `train`, `prove`) goes through [`load`].
//!
//! | format | inputs | labels |
//! |---|---|---|
//! | `.safetensors` | tensor `x` `[N, d]` (any float or integer dtype) | optional tensor `y` `[N]` (integer) |
//! | `.npz` | array `x` | optional array `y` |
//! | `.npy` | the array | `--labels FILE.npy` |
//! | `.csv` | every column but the label column (header row) | column `label` (or `--label-column`) |
//!
//! Every reader checks what it returns: at least one row, every value finite, labels
//! non-negative integers. Widths and label ranges are checked against a model by
//! [`Table::check_width`] and [`Table::check_labels`].

mod array;
mod csv_file;
mod npy;
mod safetensors_file;

use crate::dataset::{load_fashion_mnist, Split};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

pub use array::Array;

/// The name of the built-in data set.
pub const FASHION_MNIST: &str = "fashion-mnist";

/// Why a data set was rejected. Each variant names the file and where in it.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file holds no samples.
    #[error("{file}: empty data set (no rows)")]
    Empty {
        /// The file.
        file: String,
    },
    /// A value is NaN or infinite.
    #[error("{file}: non-finite value {value} at row {row}, column {column}")]
    NonFinite {
        /// The file.
        file: String,
        /// 0-based sample index.
        row: usize,
        /// 0-based feature index (or CSV column name).
        column: String,
        /// The value as read.
        value: f64,
    },
    /// The samples do not have the model's input width.
    #[error("{file}: rows have {got} features but the model takes {expected}")]
    WrongWidth {
        /// The file.
        file: String,
        /// Features per row in the file.
        got: usize,
        /// The model's input width.
        expected: usize,
    },
    /// A label is not an integer class of the model.
    #[error(
        "{file}: label {label} at row {row} is out of range for a model with {classes} classes"
    )]
    LabelOutOfRange {
        /// The file.
        file: String,
        /// 0-based sample index.
        row: usize,
        /// The label as read.
        label: f64,
        /// The number of classes (2 for one output unit).
        classes: usize,
    },
    /// A label is not a non-negative integer.
    #[error("{file}: label {label} at row {row} is not a non-negative integer class")]
    BadLabel {
        /// The file.
        file: String,
        /// 0-based sample index.
        row: usize,
        /// The label as read.
        label: f64,
    },
    /// A CSV cell is not a number.
    #[error("{file}: row {row}, column `{column}`: `{cell}` is not a number")]
    NotNumeric {
        /// The file.
        file: String,
        /// 1-based line number in the file (the header is line 1).
        row: usize,
        /// The column's header name.
        column: String,
        /// The cell's text.
        cell: String,
    },
    /// Anything else about the file's structure (missing tensor, bad shape, dtype…).
    #[error("{file}: {reason}")]
    Malformed {
        /// The file.
        file: String,
        /// What is wrong.
        reason: String,
    },
}

impl From<DataError> for Error {
    /// A rejected data file is the shared error type's `Dataset` variant, with the
    /// [`DataError`]'s message (which names the file and the place in it).
    fn from(e: DataError) -> Self {
        Error::Dataset(e.to_string())
    }
}

/// Where a data set comes from, as the CLI's `--data`, `--labels` and
/// `--label-column` give it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataSpec {
    /// A file (`.safetensors`, `.npz`, `.npy`, `.csv`) or `fashion-mnist`.
    pub data: String,
    /// Labels for a `.npy` input file (a `.npy` of N integers).
    pub labels: Option<PathBuf>,
    /// The CSV label column (default `label`).
    pub label_column: Option<String>,
}

impl DataSpec {
    /// A spec for `data` with no label options.
    pub fn new(data: impl Into<String>) -> Self {
        Self {
            data: data.into(),
            labels: None,
            label_column: None,
        }
    }

    /// Whether this names the built-in Fashion-MNIST.
    pub fn is_fashion_mnist(&self) -> bool {
        self.data == FASHION_MNIST
    }
}

/// Samples as real numbers, row-major, with optional labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Where the data came from (file name or `fashion-mnist`), for messages.
    pub name: String,
    /// Features per sample.
    pub dim: usize,
    /// `len · dim` finite values.
    pub x: Vec<f32>,
    /// One non-negative class per sample, if the data carries labels.
    pub labels: Option<Vec<u32>>,
    /// Whether the inputs are u8 image pixels scaled by 1/255 (Fashion-MNIST): the
    /// compiler then keeps the exact pixel quantization (scale 1/255, zero point 0).
    pub pixels: bool,
}

impl Table {
    /// Number of samples.
    pub fn len(&self) -> usize {
        self.x.len() / self.dim.max(1)
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sample `i`'s features.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.x[i * self.dim..(i + 1) * self.dim]
    }

    /// Keeps only the first `n` samples. Cost: O(1).
    pub fn truncate(&mut self, n: usize) {
        if n < self.len() {
            self.x.truncate(n * self.dim);
            if let Some(l) = &mut self.labels {
                l.truncate(n);
            }
        }
    }

    /// Samples `start..start + count` as a new table. Errors if out of range.
    /// Cost: O(count · dim).
    pub fn slice(&self, start: usize, count: usize) -> Result<Table> {
        let end = start.checked_add(count).filter(|&e| e <= self.len());
        let Some(end) = end else {
            return Err(Error::Usage(format!(
                "{}: rows {start}..{} requested, the data set has {}",
                self.name,
                start.saturating_add(count),
                self.len()
            )));
        };
        Ok(Table {
            name: self.name.clone(),
            dim: self.dim,
            x: self.x[start * self.dim..end * self.dim].to_vec(),
            labels: self.labels.as_ref().map(|l| l[start..end].to_vec()),
            pixels: self.pixels,
        })
    }

    /// Errors ([`DataError::WrongWidth`]) unless rows have `n_in` features.
    pub fn check_width(&self, n_in: usize) -> Result<()> {
        if self.dim != n_in {
            return Err(DataError::WrongWidth {
                file: self.name.clone(),
                got: self.dim,
                expected: n_in,
            }
            .into());
        }
        Ok(())
    }

    /// The labels, checked to be classes of a model with `n_out` outputs (one output
    /// unit is a binary classifier: classes 0 and 1). Errors if there are none or one
    /// is out of range. Cost: O(len).
    pub fn check_labels(&self, n_out: usize) -> Result<&[u32]> {
        let Some(labels) = &self.labels else {
            return Err(DataError::Malformed {
                file: self.name.clone(),
                reason: "the data set has no labels (safetensors/npz: tensor `y`; .npy: --labels FILE.npy; CSV: a `label` column or --label-column)".into(),
            }
            .into());
        };
        let classes = n_classes(n_out);
        if let Some((row, &l)) = labels
            .iter()
            .enumerate()
            .find(|(_, &l)| l as usize >= classes)
        {
            return Err(DataError::LabelOutOfRange {
                file: self.name.clone(),
                row,
                label: l as f64,
                classes,
            }
            .into());
        }
        Ok(labels)
    }
}

/// The number of classes of a model with `n_out` outputs: `n_out`, or 2 for a binary
/// classifier with one output unit (class 1 when its logit is positive).
pub fn n_classes(n_out: usize) -> usize {
    if n_out == 1 {
        2
    } else {
        n_out
    }
}

/// Loads the data set `spec` names. For the built-in Fashion-MNIST `split` picks the
/// half (calibration and training use [`Split::Train`], evaluation [`Split::Test`]);
/// a file is used whole whatever `split` says. Cost: reading and parsing the file,
/// O(values).
pub fn load(spec: &DataSpec, split: Split) -> Result<Table> {
    if spec.is_fashion_mnist() {
        if spec.labels.is_some() || spec.label_column.is_some() {
            return Err(Error::Usage(
                "--labels and --label-column apply to data files, not fashion-mnist".into(),
            ));
        }
        let ds = load_fashion_mnist(split)?;
        return Ok(Table {
            name: FASHION_MNIST.into(),
            dim: ds.dim,
            x: ds.images.iter().map(|&p| p as f32 / 255.0).collect(),
            labels: Some(ds.labels.iter().map(|&l| l as u32).collect()),
            pixels: true,
        });
    }
    let path = Path::new(&spec.data);
    let name = path.display().to_string();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if spec.labels.is_some() && ext != "npy" {
        return Err(Error::Usage(format!(
            "--labels goes with a .npy input file; {name} carries its own labels"
        )));
    }
    if spec.label_column.is_some() && ext != "csv" {
        return Err(Error::Usage(format!(
            "--label-column goes with a .csv file, not {name}"
        )));
    }
    let (x, y) = match ext.as_str() {
        "safetensors" => safetensors_file::read(path)?,
        "npz" => npy::read_npz(path)?,
        "npy" => {
            let x = npy::read_npy(path)?;
            let y = match &spec.labels {
                Some(l) => Some(npy::read_npy(l)?),
                None => None,
            };
            (x, y)
        }
        "csv" => csv_file::read(path, spec.label_column.as_deref())?,
        _ => {
            return Err(Error::Usage(format!(
                "unknown data set `{name}`: expected fashion-mnist or a .safetensors, .npz, .npy or .csv file"
            )))
        }
    };
    table_from_arrays(&name, x, y)
}

/// Checks and assembles inputs `x` (`[N, d…]`, flattened to `[N, d]`) and labels `y`
/// (`[N]`). Cost: O(values).
fn table_from_arrays(name: &str, x: Array, y: Option<Array>) -> Result<Table> {
    let bad = |reason: String| DataError::Malformed {
        file: name.to_string(),
        reason,
    };
    if x.shape.is_empty() {
        return Err(bad("the inputs are a scalar, not a matrix [N, d]".into()).into());
    }
    let n = x.shape[0];
    let dim: usize = if x.shape.len() == 1 {
        1
    } else {
        x.shape[1..].iter().product()
    };
    if n == 0 || dim == 0 {
        return Err(DataError::Empty {
            file: name.to_string(),
        }
        .into());
    }
    if let Some((i, &v)) = x
        .values
        .iter()
        .enumerate()
        .find(|(_, &v)| !(v as f32).is_finite())
    {
        return Err(DataError::NonFinite {
            file: name.to_string(),
            row: i / dim,
            column: (i % dim).to_string(),
            value: v,
        }
        .into());
    }
    let labels = match y {
        None => None,
        Some(y) => {
            if y.values.len() != n || y.shape.len() > 2 || y.shape.iter().skip(1).any(|&d| d != 1) {
                return Err(bad(format!(
                    "labels have shape {:?}; expected [{n}] (one per row)",
                    y.shape
                ))
                .into());
            }
            let mut out = Vec::with_capacity(n);
            for (row, &v) in y.values.iter().enumerate() {
                if !(v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64) {
                    return Err(DataError::BadLabel {
                        file: name.to_string(),
                        row,
                        label: v,
                    }
                    .into());
                }
                out.push(v as u32);
            }
            Some(out)
        }
    };
    Ok(Table {
        name: name.to_string(),
        dim,
        x: x.values.iter().map(|&v| v as f32).collect(),
        labels,
        pixels: false,
    })
}

#[cfg(test)]
mod tests;

//! The data-set arguments every subcommand shares (`--labels`, `--label-column`) and
//! the one function that loads a data set from them.

use std::path::PathBuf;
use ternzk_compiler::data::{self, DataSpec, Table};
use ternzk_compiler::dataset::Split;

/// Label options for data files (flattened into each subcommand that takes data).
#[derive(clap::Args, Clone, Debug, Default)]
pub struct LabelArgs {
    /// Labels for a `.npy` data file: a `.npy` of N integers.
    #[arg(long)]
    pub labels: Option<PathBuf>,
    /// The CSV column holding the labels (default `label`).
    #[arg(long)]
    pub label_column: Option<String>,
}

/// Loads `data` (`fashion-mnist` or a `.safetensors`, `.npz`, `.npy` or `.csv` file)
/// with the label options; `split` picks Fashion-MNIST's half. Cost: reading the file.
pub fn load_table(data: &str, labels: &LabelArgs, split: Split) -> anyhow::Result<Table> {
    let spec = DataSpec {
        data: data.to_string(),
        labels: labels.labels.clone(),
        label_column: labels.label_column.clone(),
    };
    Ok(data::load(&spec, split)?)
}

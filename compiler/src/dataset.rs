//! Fashion-MNIST (IDX files, gzip-compressed) as installed by the Debian package
//! `dataset-fashion-mnist` under `/usr/share/datasets/fashion-mnist/`.
//!
//! Images are 28×28 u8 pixels flattened row-major to 784 bytes; the float models see
//! `pixel / 255` and the integer engine the raw pixel (input scale 1/255).

use crate::error::{Error, Result};
use flate2::read::GzDecoder;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where the Debian package installs the files; overridden by `TERNZK_FASHION_MNIST`.
pub const DEFAULT_DIR: &str = "/usr/share/datasets/fashion-mnist";

/// Which half of the data set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// 60 000 training images (used for calibration).
    Train,
    /// 10 000 test images (used for reported accuracy).
    Test,
}

/// Labelled u8 images, back to back.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// Pixels per image (784).
    pub dim: usize,
    /// `len · dim` pixels.
    pub images: Vec<u8>,
    /// One label in 0..10 per image.
    pub labels: Vec<u8>,
}

impl Dataset {
    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Image `i`'s pixels.
    pub fn image(&self, i: usize) -> &[u8] {
        &self.images[i * self.dim..(i + 1) * self.dim]
    }

    /// Keeps only the first `n` images. Cost: O(1).
    pub fn truncate(&mut self, n: usize) {
        if n < self.len() {
            self.labels.truncate(n);
            self.images.truncate(n * self.dim);
        }
    }
}

/// The data set directory: `$TERNZK_FASHION_MNIST` if set, else [`DEFAULT_DIR`].
pub fn fashion_mnist_dir() -> PathBuf {
    std::env::var_os("TERNZK_FASHION_MNIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DIR))
}

/// Whether all four Fashion-MNIST files are present in [`fashion_mnist_dir`].
pub fn fashion_mnist_available() -> bool {
    let d = fashion_mnist_dir();
    FILES.iter().all(|f| d.join(f).is_file())
}

const FILES: [&str; 4] = [
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
];

/// Loads one split of Fashion-MNIST from [`fashion_mnist_dir`]. Cost: decompressing
/// ≈ 47 MB (train) or ≈ 8 MB (test).
pub fn load_fashion_mnist(split: Split) -> Result<Dataset> {
    load_fashion_mnist_from(&fashion_mnist_dir(), split)
}

/// [`load_fashion_mnist`] from an explicit directory.
pub fn load_fashion_mnist_from(dir: &Path, split: Split) -> Result<Dataset> {
    let (img, lab) = match split {
        Split::Train => (FILES[0], FILES[1]),
        Split::Test => (FILES[2], FILES[3]),
    };
    let (idims, images) = read_idx(&dir.join(img), 3)?;
    let (ldims, labels) = read_idx(&dir.join(lab), 1)?;
    if idims[0] != ldims[0] {
        return Err(Error::Dataset(format!(
            "{img} has {} images but {lab} has {} labels",
            idims[0], ldims[0]
        )));
    }
    if let Some(&bad) = labels.iter().find(|&&l| l > 9) {
        return Err(Error::Dataset(format!(
            "{lab}: label {bad} is not in 0..10"
        )));
    }
    Ok(Dataset {
        dim: idims[1] * idims[2],
        images,
        labels,
    })
}

/// Reads a gzip-compressed IDX file of unsigned bytes with `ndim` dimensions.
fn read_idx(path: &Path, ndim: usize) -> Result<(Vec<usize>, Vec<u8>)> {
    let file = std::fs::File::open(path).map_err(|e| {
        Error::Dataset(format!(
            "cannot open {}: {e} (install the Debian package `dataset-fashion-mnist`, or set TERNZK_FASHION_MNIST to a directory holding the IDX .gz files)",
            path.display()
        ))
    })?;
    let mut raw = Vec::new();
    GzDecoder::new(std::io::BufReader::new(file))
        .read_to_end(&mut raw)
        .map_err(|e| Error::Dataset(format!("{}: bad gzip data: {e}", path.display())))?;
    let bad = |m: String| Error::Dataset(format!("{}: {m}", path.display()));
    if raw.len() < 4 + 4 * ndim || raw[0] != 0 || raw[1] != 0 {
        return Err(bad("not an IDX file".into()));
    }
    if raw[2] != 0x08 || raw[3] as usize != ndim {
        return Err(bad(format!(
            "expected unsigned-byte IDX with {ndim} dimensions, found type 0x{:02x} with {}",
            raw[2], raw[3]
        )));
    }
    let dims: Vec<usize> = (0..ndim)
        .map(|i| {
            let o = 4 + 4 * i;
            u32::from_be_bytes([raw[o], raw[o + 1], raw[o + 2], raw[o + 3]]) as usize
        })
        .collect();
    let n: usize = dims.iter().product();
    let body = &raw[4 + 4 * ndim..];
    if body.len() != n {
        return Err(bad(format!(
            "dimensions {dims:?} need {n} bytes, file holds {}",
            body.len()
        )));
    }
    Ok((dims, body.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_directory_is_a_clear_error() {
        let err = load_fashion_mnist_from(Path::new("/nonexistent/ternzk"), Split::Test)
            .unwrap_err()
            .to_string();
        assert!(err.contains("dataset-fashion-mnist"), "{err}");
    }

    #[test]
    fn loads_test_split_when_installed() {
        if !fashion_mnist_available() {
            eprintln!(
                "SKIPPED: Fashion-MNIST not found in {}",
                fashion_mnist_dir().display()
            );
            return;
        }
        let d = load_fashion_mnist(Split::Test).unwrap();
        assert_eq!((d.len(), d.dim), (10_000, 784));
        let mut counts = [0usize; 10];
        for &l in &d.labels {
            counts[l as usize] += 1;
        }
        assert_eq!(counts, [1000; 10]);
    }
}

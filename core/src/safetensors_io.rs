//! Memory-mapped `.safetensors` reading with errors that say what is wrong with the
//! file, and atomic `.safetensors` writing (temporary file, then rename).

use crate::error::{Error, Result};
use memmap2::Mmap;
use safetensors::tensor::{Dtype, Metadata, SafeTensorError, SafeTensors, TensorView};
use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

/// A read-only memory map of a whole file, with its path for error messages.
pub struct MappedFile {
    /// The file's path.
    pub path: PathBuf,
    map: Mmap,
}

impl MappedFile {
    /// Maps `path` read-only. Cost: O(1) (pages are faulted in on use).
    pub fn open(path: &Path) -> Result<Self> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        // SAFETY: the map is read-only and private to this process; like every
        // mmap-based reader we assume the file is not truncated while mapped.
        let map = unsafe { Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
        Ok(Self {
            path: path.to_path_buf(),
            map,
        })
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.map
    }

    /// Parses the safetensors header and validates every tensor's offsets against the
    /// file length. Cost: O(header size).
    pub fn safetensors(&self) -> Result<SafeTensors<'_>> {
        SafeTensors::deserialize(&self.map)
            .map_err(|e| self.format_error(describe(e, self.map.len())))
    }

    /// The `__metadata__` string map of the header (empty when absent). Cost: O(header).
    pub fn metadata(&self) -> Result<HashMap<String, String>> {
        let (_, meta): (usize, Metadata) = SafeTensors::read_metadata(&self.map)
            .map_err(|e| self.format_error(describe(e, self.map.len())))?;
        Ok(meta.metadata().clone().unwrap_or_default())
    }

    fn format_error(&self, reason: String) -> Error {
        Error::Format {
            path: self.path.clone(),
            reason,
        }
    }
}

/// Explains a safetensors parse error in terms of what is wrong with the file.
fn describe(e: SafeTensorError, file_len: usize) -> String {
    match e {
        SafeTensorError::HeaderTooSmall => format!(
            "file is {file_len} bytes, too short to hold the 8-byte header length (truncated?)"
        ),
        SafeTensorError::InvalidHeaderLength => format!(
            "header length field points past the end of the {file_len}-byte file (truncated or corrupt header)"
        ),
        SafeTensorError::HeaderTooLarge => {
            "oversized header: its length field exceeds the 100 MB limit (corrupt file?)".into()
        }
        SafeTensorError::MetadataIncompleteBuffer => format!(
            "tensor data does not match the file size of {file_len} bytes (truncated file or trailing bytes)"
        ),
        SafeTensorError::InvalidHeader(_) | SafeTensorError::InvalidHeaderDeserialization(_) => {
            format!("corrupt header: {e}")
        }
        other => format!("corrupt header: {other}"),
    }
}

/// Writes `tensors` (name → dtype, shape, little-endian bytes) and `metadata` as a
/// `.safetensors` file, atomically: the data goes to a temporary file in the same
/// directory, renamed over `path` only once complete. Cost: O(total bytes).
pub fn write_atomic(
    path: &Path,
    tensors: Vec<(String, Dtype, Vec<usize>, Vec<u8>)>,
    metadata: HashMap<String, String>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut views = Vec::with_capacity(tensors.len());
    for (name, dtype, shape, bytes) in &tensors {
        let v = TensorView::new(*dtype, shape.clone(), bytes)
            .map_err(|e| Error::Model(format!("tensor `{name}`: {e}")))?;
        views.push((name.clone(), v));
    }
    let tmp = tempfile::Builder::new()
        .prefix(".ternzk-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| Error::io(&dir, e))?;
    safetensors::serialize_to_file(views, Some(metadata), tmp.path()).map_err(|e| {
        Error::Format {
            path: path.to_path_buf(),
            reason: format!("writing failed: {e}"),
        }
    })?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

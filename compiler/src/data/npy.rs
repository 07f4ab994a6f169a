//! NumPy `.npy` arrays and `.npz` archives (a zip of `.npy` members), through the
//! `npyz` and `zip` crates. Supported dtypes: bool, signed and unsigned integers of
//! 1–8 bytes, f16, f32, f64, either byte order, C or Fortran order.

use super::{Array, DataError};
use crate::error::{Error, Result};
use npyz::{DType, NpyFile, Order, TypeChar};
use std::io::Read;
use std::path::Path;

fn malformed(path: &Path, reason: impl Into<String>) -> Error {
    DataError::Malformed {
        file: path.display().to_string(),
        reason: reason.into(),
    }
    .into()
}

/// Reads one `.npy` file. Cost: O(file size).
pub fn read_npy(path: &Path) -> Result<Array> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    parse(path, std::io::BufReader::new(file))
}

/// Reads arrays `x` and (if present) `y` of a `.npz` archive (`np.savez` or
/// `np.savez_compressed`). Cost: O(file size).
pub fn read_npz(path: &Path) -> Result<(Array, Option<Array>)> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| malformed(path, format!("not a .npz (zip) archive: {e}")))?;
    let mut member = |name: &str| -> Result<Option<Array>> {
        let entry = match zip.by_name(&format!("{name}.npy")) {
            Ok(e) => e,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(malformed(path, format!("array `{name}`: {e}"))),
        };
        let inner = path.join(format!("{name}.npy"));
        parse(&inner, entry).map(Some)
    };
    let x = member("x")?
        .ok_or_else(|| malformed(path, "no array `x` (save it with np.savez(path, x=…, y=…))"))?;
    let y = member("y")?;
    Ok((x, y))
}

/// Parses `.npy` bytes from `r` (`path` names it in errors).
fn parse(path: &Path, r: impl Read) -> Result<Array> {
    let npy = NpyFile::new(r).map_err(|e| malformed(path, format!("not a .npy array: {e}")))?;
    let shape: Vec<usize> = npy.shape().iter().map(|&d| d as usize).collect();
    let order = npy.order();
    let DType::Plain(ts) = npy.dtype() else {
        return Err(malformed(
            path,
            "structured or sub-array dtypes are not supported",
        ));
    };
    let io = |e: std::io::Error| malformed(path, format!("reading the data: {e}"));
    macro_rules! widen {
        ($t:ty) => {
            npy.into_vec::<$t>()
                .map_err(io)?
                .into_iter()
                .map(|v| v as f64)
                .collect::<Vec<f64>>()
        };
    }
    let values: Vec<f64> = match (ts.type_char(), ts.size_field()) {
        (TypeChar::Bool, 1) => npy
            .into_vec::<bool>()
            .map_err(io)?
            .into_iter()
            .map(|b| b as u8 as f64)
            .collect(),
        (TypeChar::Int, 1) => widen!(i8),
        (TypeChar::Int, 2) => widen!(i16),
        (TypeChar::Int, 4) => widen!(i32),
        (TypeChar::Int, 8) => widen!(i64),
        (TypeChar::Uint, 1) => widen!(u8),
        (TypeChar::Uint, 2) => widen!(u16),
        (TypeChar::Uint, 4) => widen!(u32),
        (TypeChar::Uint, 8) => widen!(u64),
        (TypeChar::Float, 2) => npy
            .into_vec::<half::f16>()
            .map_err(io)?
            .into_iter()
            .map(|v| v.to_f64())
            .collect(),
        (TypeChar::Float, 4) => widen!(f32),
        (TypeChar::Float, 8) => widen!(f64),
        _ => {
            return Err(malformed(
                path,
                format!("dtype `{ts}` is not supported (use a float, integer or bool array)"),
            ))
        }
    };
    Ok(match order {
        Order::C => Array { shape, values },
        Order::Fortran => Array::from_column_major(shape, values),
    })
}

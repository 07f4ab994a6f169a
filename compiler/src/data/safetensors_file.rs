//! Data sets as `.safetensors`: tensor `x` `[N, d…]` of any float or integer dtype,
//! optional tensor `y` `[N]` of integer labels.

use super::{Array, DataError};
use crate::error::{Error, Result};
use crate::safetensors_io::MappedFile;
use safetensors::tensor::{Dtype, TensorView};
use std::path::Path;

/// Reads tensors `x` and (if present) `y`. Cost: O(file size).
pub fn read(path: &Path) -> Result<(Array, Option<Array>)> {
    let file = MappedFile::open(path)?;
    let st = file.safetensors()?;
    let name = path.display().to_string();
    let x = st.tensor("x").map_err(|_| DataError::Malformed {
        file: name.clone(),
        reason: format!("no tensor `x` (found: {})", st.names().join(", ")),
    })?;
    let x = to_array(&name, "x", &x)?;
    let y = match st.tensor("y") {
        Ok(t) => Some(to_array(&name, "y", &t)?),
        Err(_) => None,
    };
    Ok((x, y))
}

/// One tensor's values widened to f64.
fn to_array(file: &str, tensor: &str, t: &TensorView<'_>) -> Result<Array> {
    let d = t.data();
    macro_rules! le {
        ($t:ty, $n:expr) => {
            d.chunks_exact($n)
                .map(|c| {
                    let mut b = [0u8; $n];
                    b.copy_from_slice(c);
                    <$t>::from_le_bytes(b) as f64
                })
                .collect()
        };
    }
    let values: Vec<f64> = match t.dtype() {
        Dtype::F64 => le!(f64, 8),
        Dtype::F32 => le!(f32, 4),
        Dtype::F16 => d
            .chunks_exact(2)
            .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f64())
            .collect(),
        Dtype::BF16 => d
            .chunks_exact(2)
            .map(|c| half::bf16::from_le_bytes([c[0], c[1]]).to_f64())
            .collect(),
        Dtype::I64 => le!(i64, 8),
        Dtype::I32 => le!(i32, 4),
        Dtype::I16 => le!(i16, 2),
        Dtype::I8 => le!(i8, 1),
        Dtype::U64 => le!(u64, 8),
        Dtype::U32 => le!(u32, 4),
        Dtype::U16 => le!(u16, 2),
        Dtype::U8 => le!(u8, 1),
        Dtype::BOOL => d.iter().map(|&b| (b != 0) as u8 as f64).collect(),
        other => {
            return Err(Error::from(DataError::Malformed {
                file: file.to_string(),
                reason: format!("tensor `{tensor}` has unsupported dtype {other:?}"),
            }))
        }
    };
    Ok(Array {
        shape: t.shape().to_vec(),
        values,
    })
}

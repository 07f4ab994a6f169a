//! Writing float MLPs as `.safetensors` in PyTorch `nn.Linear` layout.

use anyhow::Result;
use safetensors::tensor::Dtype;
use std::collections::HashMap;
use std::path::Path;
use ternzk_compiler::safetensors_io::write_atomic;
use ternzk_compiler::DenseModel;

/// Writes `model` as f32 `<name>.weight` `[out, in]` and `<name>.bias` `[out]`
/// tensors (the layout `ternzk compile` and PyTorch read), with `metadata` in the
/// header. The file is written atomically (temporary file + rename). Returns the
/// size in bytes. Cost: O(params).
pub fn save_dense(
    model: &DenseModel,
    path: &Path,
    metadata: HashMap<String, String>,
) -> Result<u64> {
    model.validate()?;
    let f32_bytes = |v: &[f32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
    let mut tensors = Vec::with_capacity(2 * model.layers.len());
    for l in &model.layers {
        tensors.push((
            format!("{}.weight", l.name),
            Dtype::F32,
            vec![l.n_out, l.n_in],
            f32_bytes(&l.weight),
        ));
        tensors.push((
            format!("{}.bias", l.name),
            Dtype::F32,
            vec![l.n_out],
            f32_bytes(&l.bias),
        ));
    }
    write_atomic(path, tensors, metadata)?;
    Ok(std::fs::metadata(path)?.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ternzk_compiler::{load_dense, DenseLayer};

    #[test]
    fn round_trips_through_the_compiler_reader() {
        let layers = (0..11)
            .map(|i| DenseLayer {
                name: format!("fc{}", i + 1),
                n_out: 3,
                n_in: 3,
                weight: (0..9).map(|j| (i * 9 + j) as f32 * 0.5 - 2.0).collect(),
                bias: vec![i as f32, 1.0, -1.0],
            })
            .collect();
        let m = DenseModel { layers };
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.safetensors");
        let mut meta = HashMap::new();
        meta.insert("k".to_string(), "v".to_string());
        save_dense(&m, &p, meta).unwrap();
        // fc10 and fc11 sort after fc9: the natural order survives the round trip.
        assert_eq!(load_dense(&p, None).unwrap(), m);
    }
}

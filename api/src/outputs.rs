//! What proven integer logits stand for: classes, and real-valued logits through the
//! compiled model's scales.

use ternzk_compiler::CompiledModel;

/// The real-valued logits the integer logits `z` of the last layer stand for
/// (`α_i · input_scale · z_i`, row `i` of each input). Cost: O(len).
pub fn dequantize_logits(model: &CompiledModel, z: &[i32]) -> Vec<f64> {
    let Some(l) = model.layers.last() else {
        return Vec::new();
    };
    let n = l.n_out().max(1);
    z.iter()
        .enumerate()
        .map(|(i, &v)| l.alpha[i % n] * l.input_scale * v as f64)
        .collect()
}

/// The class of each row of logits: argmax (first on ties), or for one output unit
/// (a binary classifier) 1 when the logit is positive. Cost: O(len).
pub fn classes(logits: &[i32], n_out: usize) -> Vec<usize> {
    ternzk_compiler::float_ref::argmax_rows(logits, n_out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_take_the_first_maximum() {
        assert_eq!(classes(&[1, 5, 5, -3, -1, -2], 3), vec![1, 1]);
        assert_eq!(classes(&[-3, 0, 7], 1), vec![0, 0, 1]);
    }
}

//! The compiler's pruning and ternarization applied to a float model, and the
//! compiler's activation scales for it: the pieces quantization-aware training must
//! share with `ternzk compile` so that compiling a fine-tuned model reproduces its
//! accuracy.
//!
//! Both call the compiler's own code ([`ternzk_compiler::prune::ternarize`] and
//! [`ternzk_compiler::pipeline::compile_table`]) instead of re-implementing its rules.

use anyhow::Result;
use ternzk_compiler::data::Table;
use ternzk_compiler::pipeline::{compile_table, Source};
use ternzk_compiler::prune::ternarize;
use ternzk_compiler::{CompileOptions, CompiledModel, DenseModel, Density, ScaleMode};

/// A float model whose weights are exactly `α·T` (`T ∈ {-1,0,1}`), as the compiler's
/// pruning and ternarization produce them.
#[derive(Clone, Debug)]
pub struct TernaryModel {
    /// The ternary weights as floats (`weight = α_row · T`) with the source biases.
    pub model: DenseModel,
    /// Per layer, the ternary matrix `T` (row-major, entries in {-1, 0, 1}).
    pub t: Vec<Vec<i8>>,
    /// Per layer, `α` of each row (all equal in per-layer mode).
    pub alpha: Vec<Vec<f64>>,
}

/// Prunes and ternarizes `dense` with the compiler's rule (magnitude support at
/// `density`, sign, `α` = mean |W| of the kept weights per layer or per row).
/// Saved as a `.safetensors` file, the result compiles (with the same `density` and
/// `mode`) to exactly the support and signs of `T`: each layer holds exactly the
/// number of nonzeros the compiler keeps, all of one magnitude per layer/row.
/// Cost: O(params).
pub fn ternary_model(
    dense: &DenseModel,
    density: &Density,
    mode: ScaleMode,
) -> Result<TernaryModel> {
    let refs: Vec<_> = dense.layers.iter().collect();
    let tern = ternarize(&refs, density, mode)?;
    let mut model = dense.clone();
    let mut t = Vec::with_capacity(tern.len());
    let mut alpha = Vec::with_capacity(tern.len());
    for (l, tl) in model.layers.iter_mut().zip(tern) {
        for (r, (row, trow)) in l
            .weight
            .chunks_mut(l.n_in)
            .zip(tl.t.chunks(l.n_in))
            .enumerate()
        {
            let a = tl.alpha[r] as f32;
            for (w, &s) in row.iter_mut().zip(trow) {
                *w = a * s as f32;
            }
        }
        t.push(tl.t);
        alpha.push(tl.alpha);
    }
    Ok(TernaryModel { model, t, alpha })
}

/// The compile options for a model fine-tuned at `density` with `mode`: magnitude
/// support (QAT's own starting point), everything else at the compiler's defaults
/// (least-squares refit, 1000 calibration inputs, percentile 99.99). On a QAT output,
/// whose layers are exactly ternary, `ternzk compile`'s default support search keeps
/// the same support.
pub fn compiler_options(density: Density, mode: ScaleMode) -> CompileOptions {
    CompileOptions {
        density,
        mode,
        // QAT starts from the magnitude ternarization (`ternary_model`), so its
        // post-training baseline and per-epoch compiles use the same support; its
        // output is exactly ternary, which the default support search keeps as is.
        support: ternzk_compiler::Support::Magnitude,
        ..CompileOptions::default()
    }
}

/// Compiles `model` in memory exactly as `ternzk compile` would with `opts` and the
/// calibration inputs `calib` (real values; images marked as pixels), and returns the
/// compiled model with its hidden layers' output scales (the real value of one u8
/// activation step: what the integer engine rounds activations to).
/// Cost: as [`compile_table`].
pub fn compile_in_memory(
    model: &DenseModel,
    opts: &CompileOptions,
    calib: &Table,
) -> Result<(CompiledModel, Vec<f64>)> {
    let source = Source {
        file: "in-memory".into(),
        blake3: "00".repeat(32),
        bytes: 0,
    };
    let compiled = compile_table(model, &source, opts, calib, &|_| {})?;
    let scales = compiled
        .layers
        .iter()
        .filter_map(|l| l.output_scale)
        .collect();
    Ok((compiled, scales))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ternzk_compiler::DenseLayer;

    fn model() -> DenseModel {
        let mk = |name: &str, n_out: usize, n_in: usize, seed: u32| DenseLayer {
            name: name.into(),
            n_out,
            n_in,
            weight: (0..n_out * n_in)
                .map(|i| {
                    (((i as u32).wrapping_mul(2654435761u32) ^ seed) % 1000) as f32 / 500.0 - 1.0
                })
                .collect(),
            bias: (0..n_out).map(|i| i as f32 * 0.01).collect(),
        };
        DenseModel {
            layers: vec![mk("fc1", 8, 16, 1), mk("fc2", 4, 8, 2)],
        }
    }

    #[test]
    fn ternarized_model_is_a_fixed_point_of_the_compiler_rule() {
        let m = model();
        for mode in [ScaleMode::PerLayer, ScaleMode::PerRow] {
            let d = Density::Uniform(0.25);
            let t = ternary_model(&m, &d, mode).unwrap();
            assert_eq!(t.t[0].iter().filter(|v| **v != 0).count(), 32);
            // Ternarizing the ternary model again gives the same support, signs, α.
            let again = ternary_model(&t.model, &d, mode).unwrap();
            assert_eq!(again.t, t.t);
            for (a, b) in again.alpha.iter().flatten().zip(t.alpha.iter().flatten()) {
                assert!((a - b).abs() < 1e-6 * b.abs());
            }
        }
    }
}

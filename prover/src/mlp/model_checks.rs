//! Requantization checks chosen from the public model alone (private-input mode).
//!
//! In public mode the prover names, per hidden layer, the narrowest table that holds its
//! witness ([`super::RequantCheck`]); the width is part of the statement, so it says
//! something about the activations (how large the quotients or accumulators were).
//! With a private input that is a leak. Here the width is the *worst case over every
//! input*: with inputs in `[0, 255]` (bytes, and every hidden output is a byte), row `i`
//! of `z = T·a + b` lies in `[b_i − 255·neg_i, b_i + 255·pos_i]` (`pos_i`, `neg_i` the
//! row's `+1` and `−1` counts), and the quotient `(z·M_i + 2^(k−1)) >> k` is monotone
//! in `z`, so its range is the image of the endpoints. The mode rule is the public one
//! ([`super::witness::prefer_direct`]) on these bounds. The widths then depend only on
//! the model and the batch size, both public.

use super::witness::prefer_direct;
use super::{uniform_multiplier, MlpLayer, RequantCheck};
use crate::error::Error;
use crate::requant::{quotient_bits, requant, signed_bits};

/// The largest value of a layer input (bytes).
const INPUT_MAX: i64 = 255;

/// The worst-case range `[lo, hi]` of each row's accumulator `z_i` over all byte
/// inputs. Cost: O(n_out).
fn accumulator_ranges(layer: &MlpLayer) -> Vec<(i64, i64)> {
    let w = layer.weights;
    (0..w.n_out)
        .map(|i| {
            let (s, m, e) = (w.indptr[i], w.split[i], w.indptr[i + 1]);
            let (pos, neg) = ((m - s) as i64, (e - m) as i64);
            let b = layer.bias[i] as i64;
            (b - INPUT_MAX * neg, b + INPUT_MAX * pos)
        })
        .collect()
}

/// Each hidden layer's check from the model's worst case (module docs), for `batch`
/// inputs. `Error::Invalid` when a worst-case quotient (or accumulator) does not fit
/// 16 signed bits: such a model has no private-input proof (its width would have to
/// come from the witness). Cost: O(Σ n_out).
pub(crate) fn model_checks(layers: &[MlpLayer], batch: usize) -> crate::Result<Vec<RequantCheck>> {
    let hidden = &layers[..layers.len().saturating_sub(1)];
    hidden
        .iter()
        .enumerate()
        .map(|(l, layer)| {
            let ranges = accumulator_ranges(layer);
            let (z_lo, z_hi) = ranges
                .iter()
                .fold((0i64, 0i64), |(a, b), &(lo, hi)| (a.min(lo), b.max(hi)));
            let z_bits = signed_bits(z_lo, z_hi, 1);
            let uniform = uniform_multiplier(layer.m);
            if prefer_direct(uniform.is_some(), z_bits, batch, layer.weights.n_out) {
                let bits = z_bits.expect("prefer_direct needs a width");
                return Ok(RequantCheck::Direct { bits });
            }
            let (mut q_lo, mut q_hi) = (0i64, 0i64);
            for (&(lo, hi), &m) in ranges.iter().zip(layer.m) {
                for z in [lo, hi] {
                    let z = i32::try_from(z).map_err(|_| too_wide(l))?;
                    let q = requant(z, m, layer.k).0;
                    q_lo = q_lo.min(q);
                    q_hi = q_hi.max(q);
                }
            }
            quotient_bits(q_lo, q_hi)
                .map(|bits| RequantCheck::Quotient { bits })
                .ok_or_else(|| too_wide(l))
        })
        .collect()
}

fn too_wide(l: usize) -> Error {
    Error::Invalid(format!(
        "layer {l}: the model's worst-case requantized value does not fit 16 bits, so a \
         private-input proof would have to take its table width from the input"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ternary::TernaryCsr;

    #[test]
    fn widths_cover_every_input_and_ignore_the_witness() {
        // Row 0: +1 +1 −1; row 1: −1 −1 (bias 100).
        let w = TernaryCsr::from_dense(2, 3, &[1, 1, -1, -1, -1, 0]).unwrap();
        let bias = [3, 100];
        let m = [1i64 << 10, 1i64 << 10];
        let layer = MlpLayer {
            weights: &w,
            bias: &bias,
            m: &m,
            k: 10,
        };
        assert_eq!(
            accumulator_ranges(&layer),
            vec![(3 - 255, 3 + 510), (100 - 510, 100)]
        );
        let out_w = TernaryCsr::from_dense(1, 2, &[1, 1]).unwrap();
        let last = MlpLayer {
            weights: &out_w,
            bias: &[0],
            m: &[],
            k: 0,
        };
        // Multiplier 1 (M = 2^k): q = z, range [−410, 513] → 11 bits; batch 1 is too
        // small for direct mode (2 rows < 2^11).
        let checks = model_checks(&[layer, last], 1).unwrap();
        assert_eq!(checks, vec![RequantCheck::Quotient { bits: 11 }]);
        // A large batch pays for direct mode, width from the accumulator bound.
        let checks = model_checks(&[layer, last], 4096).unwrap();
        assert_eq!(checks, vec![RequantCheck::Direct { bits: 11 }]);
        // A multiplier that blows the quotient past 16 bits has no private-input proof.
        let big = [1i64 << 20, 1i64 << 20];
        let wide = MlpLayer { m: &big, ..layer };
        assert!(matches!(
            model_checks(&[wide, last], 1),
            Err(Error::Invalid(_))
        ));
    }
}

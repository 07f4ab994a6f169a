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
//! the model and the batch size, both public. [`quotient_widths`] forces quotient mode
//! (the private-model case: direct mode needs the public multiplier) and so depends on
//! the model alone; the hiding key records its widths at commit time.

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
    hidden(layers)
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
            quotient_width(l, layer, &ranges).map(|bits| RequantCheck::Quotient { bits })
        })
        .collect()
}

/// Each hidden layer's quotient-table width with quotient mode forced: the width a
/// private-model proof uses (it cannot use direct mode, whose table needs the public
/// multiplier), and what the hiding key records. The worst case over every byte input
/// (module docs), independent of any input and of the batch size; where
/// [`model_checks`] picks quotient mode it picks this width. `Error::Invalid` when a
/// worst-case quotient does not fit 16 signed bits. Cost: O(Σ n_out).
pub(crate) fn quotient_widths(layers: &[MlpLayer]) -> crate::Result<Vec<u32>> {
    hidden(layers)
        .iter()
        .enumerate()
        .map(|(l, layer)| quotient_width(l, layer, &accumulator_ranges(layer)))
        .collect()
}

/// The hidden layers (all but the last).
fn hidden<'a, 'b>(layers: &'b [MlpLayer<'a>]) -> &'b [MlpLayer<'a>] {
    &layers[..layers.len().saturating_sub(1)]
}

/// The quotient-table width of hidden layer `l` from its rows' accumulator `ranges`
/// ([`accumulator_ranges`]): the quotient is monotone in `z`, so its range over each
/// row's interval is the image of the endpoints. Cost: O(n_out).
fn quotient_width(l: usize, layer: &MlpLayer, ranges: &[(i64, i64)]) -> crate::Result<u32> {
    let (mut q_lo, mut q_hi) = (0i64, 0i64);
    for (&(lo, hi), &m) in ranges.iter().zip(layer.m) {
        for z in [lo, hi] {
            let z = i32::try_from(z).map_err(|_| too_wide(l))?;
            let q = requant(z, m, layer.k).0;
            q_lo = q_lo.min(q);
            q_hi = q_hi.max(q);
        }
    }
    quotient_bits(q_lo, q_hi).ok_or_else(|| too_wide(l))
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

    /// Where `model_checks` picks quotient mode it picks `quotient_widths`'s width;
    /// where it picks direct mode, quotient mode is still forced for the key.
    #[test]
    fn quotient_widths_match_model_checks_and_ignore_the_batch() {
        let m = ternzk_core::random::RandomMlp::new(&[12, 7, 6, 3], 0.5, &[9, 7], 7);
        let layers = m.layers();
        let widths = quotient_widths(&layers).unwrap();
        assert_eq!(widths.len(), 2);
        let mut quotient_seen = false;
        for batch in [1, 16, 1 << 16] {
            for (c, &b) in model_checks(&layers, batch).unwrap().iter().zip(&widths) {
                if let RequantCheck::Quotient { bits } = *c {
                    assert_eq!(bits, b, "batch {batch}");
                    quotient_seen = true;
                }
            }
        }
        assert!(quotient_seen);
        // A one-layer model has no hidden layer.
        assert_eq!(quotient_widths(&layers[2..]).unwrap(), Vec::<u32>::new());
    }

    /// Brute force on a two-input layer: every quotient over all 256² byte inputs fits
    /// the width, and the width is the narrowest that does (the row extremes are
    /// reached, so the worst case is tight).
    #[test]
    fn quotient_widths_hold_every_input_exactly() {
        let w = TernaryCsr::from_dense(4, 2, &[1, 1, -1, -1, 1, -1, 0, 1]).unwrap();
        let out_w = TernaryCsr::from_dense(1, 4, &[1, 1, 1, 1]).unwrap();
        let last = MlpLayer {
            weights: &out_w,
            bias: &[0],
            m: &[],
            k: 0,
        };
        let cases: [([i32; 4], [i64; 4], u32); 4] = [
            ([3, -7, 0, 11], [300, 513, 77, 1024], 10),
            ([-200, 90, 5, 0], [4096, 1, 3000, 2500], 12),
            ([0, 0, 0, 0], [1, 1, 1, 1], 1),
            ([1000, -1000, 17, -3], [-700, 900, 65_000, 12], 14),
        ];
        for (bias, m, k) in cases {
            let layer = MlpLayer {
                weights: &w,
                bias: &bias,
                m: &m,
                k,
            };
            let bits = quotient_widths(&[layer, last]).unwrap()[0];
            let half = 1i64 << (bits - 1);
            let (mut lo, mut hi) = (0i64, 0i64);
            for x0 in 0..=255i32 {
                for x1 in 0..=255i32 {
                    for (i, t) in w.matvec_i32(&[x0, x1]).into_iter().enumerate() {
                        let q = requant(t + bias[i], m[i], k).0;
                        assert!(-half <= q && q < half, "q = {q} outside {bits} bits");
                        lo = lo.min(q);
                        hi = hi.max(q);
                    }
                }
            }
            assert_eq!(quotient_bits(lo, hi), Some(bits));
        }
        // Too wide for 16 bits: the same error as model_checks.
        let big = [1i64 << 30; 4];
        let wide = MlpLayer {
            weights: &w,
            bias: &[0; 4],
            m: &big,
            k: 2,
        };
        assert!(matches!(
            quotient_widths(&[wide, last]),
            Err(Error::Invalid(_))
        ));
    }
}

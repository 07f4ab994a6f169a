//! Integer quantization arithmetic: bias rounding to the accumulator scale, the
//! requantization multiplier/shift, and the static bound check.
//!
//! Scales: a layer's input `a ≈ s_in·q` (q ∈ 0..=255) and weights `W ≈ diag(α)·T`,
//! so the exact integer `z = T·q + b_q` represents `α_i·s_in·z_i` (row `i`). Hidden
//! layers requantize `y = clamp((z·M_i + 2^(k-1)) >> k, 0, 255)` with
//! `M_i / 2^k ≈ α_i·s_in / s_out`, i.e. `y ≈ round(relu(h) / s_out)`.

use crate::error::{Error, Result};

/// Bits of precision the largest multiplier `M_i` of a layer gets at least
/// (a relative scale error of at most `2^-7`, below one output step at 255).
pub const M_MIN_BITS: u32 = 7;

/// The shift `k` is rounded up to a multiple of this (the prover's remainder limb
/// width), so every remainder limb is full: a partial top limb costs the prover one
/// more committed vector and lookup per activation (see `docs/decisions.md`).
pub const K_STEP: u32 = ternzk_core::requant::LIMB_BITS;

/// Multipliers are kept below `2^M_MAX_BITS`.
pub const M_MAX_BITS: u32 = 40;

/// Rounds a float bias to the accumulator scale `acc_scale = α_i·s_in` of its row.
/// Errors if it does not fit an i32.
pub fn quantize_bias(name: &str, row: usize, bias: f64, acc_scale: f64) -> Result<i32> {
    let q = (bias / acc_scale).round();
    if q.is_nan() || q.abs() > i32::MAX as f64 {
        return Err(Error::Bounds(format!(
            "layer `{name}` row {row}: bias {bias} is {q:e} at the accumulator scale {acc_scale:e}, which does not fit an i32"
        )));
    }
    Ok(q as i32)
}

/// Chooses one shift `k` for the layer and a multiplier per row with
/// `M_i ≈ ratio_i·2^k`: the smallest `k` giving the largest ratio at least
/// [`M_MIN_BITS`] bits, rounded up to a multiple of [`K_STEP`] (which only adds
/// precision). When rounding up would push a multiplier to `2^M_MAX_BITS` or `k`
/// past 60, the unrounded `k` (clamped to 1..=62) is kept. Cost: O(rows).
pub fn choose_multipliers(ratios: &[f64]) -> (Vec<i64>, u32) {
    let max = ratios.iter().cloned().fold(0f64, f64::max);
    let k = if max > 0.0 {
        let k0 = (M_MIN_BITS as f64 - 1.0 - max.log2().floor()).clamp(1.0, 62.0) as u32;
        let up = k0.div_ceil(K_STEP) * K_STEP;
        let fits = up <= 60 && max * (2f64).powi(up as i32) < (1u64 << M_MAX_BITS) as f64;
        if fits {
            up
        } else {
            k0
        }
    } else {
        K_STEP
    };
    let scale = (2f64).powi(k as i32);
    let m = ratios
        .iter()
        .map(|r| (r * scale).round().clamp(0.0, (1u64 << M_MAX_BITS) as f64) as i64)
        .collect();
    (m, k)
}

/// One requantization step (shared with the prover, which proves exactly this), and
/// the static bound check that keeps it exact in the field.
pub use ternzk_core::requant::{check_row, requant, z_bound, FIELD_SAFE};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipliers_have_the_requested_precision() {
        // 0.01 needs k ≥ 13 for 7 bits; rounded up to 24.
        let (m, k) = choose_multipliers(&[0.01, 0.005]);
        assert_eq!(k, 24);
        assert!(m[0] >= 1 << (M_MIN_BITS - 1));
        for (mi, r) in m.iter().zip([0.01, 0.005]) {
            let err = (*mi as f64 / (1u64 << k) as f64 - r).abs() / r;
            assert!(err <= 1.0 / (1u64 << M_MIN_BITS) as f64, "{err}");
        }
        // A ratio near 1/40 (trained layers) gets one full limb.
        let (m, k) = choose_multipliers(&[1.0 / 40.0]);
        assert_eq!(k, 12);
        assert_eq!(m[0], 102);
        // Rounding up would overflow the multiplier: the unrounded k is kept.
        let (m, k) = choose_multipliers(&[1e9]);
        assert_eq!(k, 1);
        assert_eq!(m[0], 2_000_000_000);
        // A dead layer: any k works.
        assert_eq!(choose_multipliers(&[0.0, 0.0]), (vec![0, 0], K_STEP));
    }

    #[test]
    fn bias_that_leaves_i32_is_rejected() {
        assert!(quantize_bias("l", 0, 1e30, 1e-3).is_err());
        assert_eq!(quantize_bias("l", 0, 0.5, 0.25).unwrap(), 2);
    }
}

//! The prover's forward pass: every layer's input, the logits, and each hidden layer's
//! committed witness vectors, zero-padded to the proof's layout.

use super::{uniform_multiplier, HiddenLayout, Layout, MlpLayer, RequantCheck};
use crate::error::Error;
use crate::field::log2_ceil;
use crate::requant::{
    limb, quotient_bits, requant, signed_bits, LIMB_BITS, MAX_QUOTIENT_BITS, MIN_QUOTIENT_BITS,
};

/// The prover's rule for a hidden layer: [`RequantCheck::Direct`] iff it is possible —
/// every multiplier equal (`uniform`) and the accumulators `z` of the batch fit
/// `Z = z_bits ≤ 16` signed bits — and it pays: `B·n_out ≥ 2^Z`. The LogUp table side
/// costs `O(2^Z)` per distinct table, while direct mode halves the per-activation work
/// (one committed vector and one lookup instead of `y, q`, the limbs and their
/// lookups); below that batch the quotient tables (`2^9…` rows, shared with the
/// `2^12`-row limb table) are cheaper. Cost: O(1).
pub(crate) fn prefer_direct(
    uniform: bool,
    z_bits: Option<u32>,
    batch: usize,
    n_out: usize,
) -> bool {
    match z_bits {
        Some(z) if uniform && z <= MAX_QUOTIENT_BITS => batch.saturating_mul(n_out) >= 1usize << z,
        _ => false,
    }
}

/// How the prover picks each hidden layer's check (tests override the rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ModePolicy {
    /// The rule of [`prefer_direct`].
    Auto,
    /// Direct mode for the hidden layers whose bit is set (where possible), quotient
    /// mode for the others.
    #[allow(dead_code)]
    Direct(u64),
}

/// What production builds pass for [`forward`]'s fault: the honest prover only (the
/// fault hooks are compiled out, see [`crate::fault`]).
#[cfg(not(test))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Honest.
    None,
}

/// Deliberate faults for the soundness tests (a cheating prover; test builds only).
#[cfg(test)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Honest.
    None,
    /// Hidden layer `layer`, entry `index`: output `y + 1` (mod 256) instead of `y`.
    ReluOutput { layer: usize, index: usize },
    /// Hidden layer `layer`, entry `index`: quotient `q − 1` and remainder `r + 2^k`,
    /// so `z·M + 2^(k−1) = q·2^k + r` still holds but `r ≥ 2^k`.
    RemainderOutOfRange { layer: usize, index: usize },
    /// Range-check the remainder limbs against a `2^16` table instead of the
    /// verifier's `2^12` one.
    WideRangeTable,
    /// Hidden layer `layer`: name the narrowest quotient table (`2^9` rows) whatever
    /// the quotients are.
    NarrowQuotientTable { layer: usize },
    /// Hidden layer `layer`: look up an all-zero top remainder limb (every entry in
    /// range) instead of the real one, which is not committed.
    TopLimbZeroed { layer: usize },
    /// Hidden layer `layer` in direct mode, entry `index`: look up `z + 1` instead of
    /// the true `z` (not committed), with the committed output `y = f(z + 1)`.
    DirectZShifted { layer: usize, index: usize },
}

/// One hidden layer's committed vectors, each of length `2^vars`.
pub(crate) struct HiddenWitness {
    /// The committed vectors `y, q, r_0, …, r_{n−2}` (quotient mode) or `y` (direct
    /// mode) (see [`super::MlpProof::witness`]).
    pub vectors: Vec<Vec<i64>>,
    /// The looked-up vector that is not committed: the top remainder limb (quotient
    /// mode) or the accumulators `z` (direct mode).
    pub top: Vec<i64>,
    /// How the layer is checked (with the smallest table width that holds it).
    pub check: RequantCheck,
    /// The top limb plus `2^12 − 2^top_bits` (range-checked, not committed).
    pub shifted: Option<Vec<i64>>,
}

/// The whole forward pass.
pub(crate) struct Witness {
    /// Input of each layer, `batch × n_in` back to back (layer 0: the model input).
    pub inputs: Vec<Vec<i32>>,
    /// Logits, `batch × n_out`.
    pub output: Vec<i32>,
    /// Hidden layers' witness.
    pub hidden: Vec<HiddenWitness>,
}

/// Runs the model on `batch` inputs, picks each hidden layer's check (`policy`) and
/// decomposes every requantization (`lay` is only used for the lengths and limb
/// counts, which do not depend on the checks). Errors if an input has the wrong
/// length or a quotient leaves `[−2^15, 2^15)`.
/// Cost: `batch·nnz` integer additions plus O(1) per hidden activation.
pub(crate) fn forward(
    layers: &[MlpLayer],
    lay: &Layout,
    input: &[u8],
    batch: usize,
    fault: Fault,
    policy: ModePolicy,
) -> crate::Result<Witness> {
    let n_in = layers[0].weights.n_in;
    if input.len() != batch * n_in {
        return Err(Error::Invalid(format!(
            "expected {batch} inputs of {n_in} bytes, got {} bytes",
            input.len()
        )));
    }
    let mut a: Vec<i32> = input.iter().map(|&v| v as i32).collect();
    let mut inputs = Vec::with_capacity(layers.len());
    let mut hidden = Vec::new();
    for (li, layer) in layers.iter().enumerate() {
        let n = layer.weights.n_out;
        let mut z = layer.weights.matmul_i32(&a, batch);
        for row in z.chunks_mut(n) {
            for (zi, bi) in row.iter_mut().zip(layer.bias) {
                *zi = zi.wrapping_add(*bi);
            }
        }
        inputs.push(std::mem::take(&mut a));
        if li + 1 == layers.len() {
            return Ok(Witness {
                inputs,
                output: z,
                hidden,
            });
        }
        let uniform = uniform_multiplier(layer.m);
        let z_bits = {
            let lo = z.iter().copied().min().unwrap_or(0) as i64;
            let hi = z.iter().copied().max().unwrap_or(0) as i64;
            signed_bits(lo, hi, 1)
        };
        let direct = match policy {
            ModePolicy::Auto => prefer_direct(uniform.is_some(), z_bits, batch, n),
            ModePolicy::Direct(mask) => {
                uniform.is_some() && z_bits.is_some() && mask >> li & 1 == 1
            }
        };
        let (w, y) = match (direct, uniform, z_bits) {
            (true, Some(m), Some(bits)) => {
                requantize_direct(layer, li, &lay.hidden[li], &z, m, bits, batch, fault)
            }
            _ => requantize(layer, li, &lay.hidden[li], &z, batch, fault)?,
        };
        hidden.push(w);
        a = y;
    }
    unreachable!("the last layer returns")
}

/// Requantizes one hidden layer; returns its witness and its output (the next input).
fn requantize(
    layer: &MlpLayer,
    li: usize,
    h: &HiddenLayout,
    z: &[i32],
    batch: usize,
    fault: Fault,
) -> crate::Result<(HiddenWitness, Vec<i32>)> {
    let n = layer.weights.n_out;
    let stride = 1usize << log2_ceil(n);
    let mut vectors = vec![vec![0i64; 1usize << h.vars]; h.vectors() + 1];
    let mut out = vec![0i32; batch * n];
    let top = h.limbs - 1;
    let (mut q_lo, mut q_hi) = (0i64, 0i64);
    for b in 0..batch {
        for i in 0..n {
            let idx = b * n + i;
            let (mut q, mut r, _) = requant(z[idx], layer.m[i], layer.k);
            if fault_hook!(
                fault,
                fault
                    == Fault::RemainderOutOfRange {
                        layer: li,
                        index: idx,
                    }
            ) {
                q -= 1;
                r += 1 << layer.k;
            }
            if quotient_bits(q, q).is_none() {
                return Err(Error::Invalid(format!(
                    "layer {li}, input {b}, row {i}: requantized value {q} is outside the \
                     provable range [-32768, 32768)"
                )));
            }
            q_lo = q_lo.min(q);
            q_hi = q_hi.max(q);
            let mut y = q.clamp(0, 255);
            if fault_hook!(
                fault,
                fault
                    == Fault::ReluOutput {
                        layer: li,
                        index: idx,
                    }
            ) {
                y = (y + 1) % 256;
            }
            let pos = b * stride + i;
            vectors[0][pos] = y;
            vectors[1][pos] = q;
            for j in 0..top {
                vectors[2 + j][pos] = limb(r, j);
            }
            // The top limb keeps every higher bit (only a faulty r has any).
            vectors[2 + top][pos] = r >> (LIMB_BITS as usize * top);
            out[idx] = y as i32;
        }
    }
    let bits = if fault_hook!(fault, fault == Fault::NarrowQuotientTable { layer: li }) {
        MIN_QUOTIENT_BITS
    } else {
        quotient_bits(q_lo, q_hi).expect("every quotient was checked")
    };
    let mut top = vectors.pop().expect("the top limb");
    if fault_hook!(fault, fault == Fault::TopLimbZeroed { layer: li }) {
        top.iter_mut().for_each(|v| *v = 0);
    }
    let shifted = h
        .shifted()
        .then(|| top.iter().map(|v| v + h.shift()).collect::<Vec<i64>>());
    Ok((
        HiddenWitness {
            vectors,
            top,
            check: RequantCheck::Quotient { bits },
            shifted,
        },
        out,
    ))
}

/// Requantizes one hidden layer in direct mode (common multiplier `m`, accumulators
/// in `bits` signed bits); returns its witness (`y` committed, `z` looked up) and its
/// output.
#[allow(clippy::too_many_arguments)]
fn requantize_direct(
    layer: &MlpLayer,
    #[cfg_attr(not(test), allow(unused_variables))] li: usize,
    h: &HiddenLayout,
    z: &[i32],
    m: i64,
    bits: u32,
    batch: usize,
    fault: Fault,
) -> (HiddenWitness, Vec<i32>) {
    let n = layer.weights.n_out;
    let stride = 1usize << log2_ceil(n);
    let mut y_vec = vec![0i64; 1usize << h.vars];
    let mut z_vec = vec![0i64; 1usize << h.vars];
    let mut out = vec![0i32; batch * n];
    for b in 0..batch {
        for i in 0..n {
            let idx = b * n + i;
            let mut zi = z[idx];
            if fault_hook!(
                fault,
                fault
                    == Fault::DirectZShifted {
                        layer: li,
                        index: idx,
                    }
            ) {
                zi += 1;
            }
            let mut y = requant(zi, m, layer.k).2 as i64;
            if fault_hook!(
                fault,
                fault
                    == Fault::ReluOutput {
                        layer: li,
                        index: idx,
                    }
            ) {
                y = (y + 1) % 256;
            }
            let pos = b * stride + i;
            y_vec[pos] = y;
            z_vec[pos] = zi as i64;
            out[idx] = y as i32;
        }
    }
    (
        HiddenWitness {
            vectors: vec![y_vec],
            top: z_vec,
            check: RequantCheck::Direct { bits },
            shifted: None,
        },
        out,
    )
}

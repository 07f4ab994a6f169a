//! The prover's forward pass: every layer's input, the logits, and each hidden layer's
//! committed witness vectors, zero-padded to the proof's layout.

use super::{HiddenLayout, Layout, MlpLayer};
use crate::error::Error;
use crate::field::log2_ceil;
use crate::requant::{limb, quotient_bits, requant, LIMB_BITS, MIN_QUOTIENT_BITS};

/// Deliberate faults for the soundness tests (a cheating prover).
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
}

/// One hidden layer's committed vectors, each of length `2^vars`.
pub(crate) struct HiddenWitness {
    /// The committed vectors `y, q, r_0, …, r_{n−2}` (see [`super::MlpProof::witness`]).
    pub vectors: Vec<Vec<i64>>,
    /// The top remainder limb (range-checked, not committed).
    pub top: Vec<i64>,
    /// Width of the quotient table the layer's quotients fit.
    pub quotient_bits: u32,
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

/// Runs the model on `batch` inputs and decomposes every requantization (`lay` is
/// only used for the lengths and limb counts, which do not depend on the quotient
/// tables). Errors if an input has the wrong length or a quotient leaves
/// `[−2^15, 2^15)`.
/// Cost: `batch·nnz` integer additions plus O(1) per hidden activation.
pub(crate) fn forward(
    layers: &[MlpLayer],
    lay: &Layout,
    input: &[u8],
    batch: usize,
    fault: Fault,
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
        let (w, y) = requantize(layer, li, &lay.hidden[li], &z, batch, fault)?;
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
            if fault
                == (Fault::RemainderOutOfRange {
                    layer: li,
                    index: idx,
                })
            {
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
            if fault
                == (Fault::ReluOutput {
                    layer: li,
                    index: idx,
                })
            {
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
    let quotient_bits = if fault == (Fault::NarrowQuotientTable { layer: li }) {
        MIN_QUOTIENT_BITS
    } else {
        quotient_bits(q_lo, q_hi).expect("every quotient was checked")
    };
    let mut top = vectors.pop().expect("the top limb");
    if fault == (Fault::TopLimbZeroed { layer: li }) {
        top.iter_mut().for_each(|v| *v = 0);
    }
    let shifted = h
        .shifted()
        .then(|| top.iter().map(|v| v + h.shift()).collect::<Vec<i64>>());
    Ok((
        HiddenWitness {
            vectors,
            top,
            quotient_bits,
            shifted,
        },
        out,
    ))
}

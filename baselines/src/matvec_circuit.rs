//! The `dense-gkr` baseline's circuit: `y = W·x` for a dense `n_out × n_in` matrix as a
//! layered arithmetic circuit (one multiplication gate per weight, then a binary
//! addition tree per row), proven by the generic [`crate::gkr`].
//!
//! # Layout
//!
//! Let `a = ⌈log2 n_out⌉`, `b = ⌈log2 n_in⌉` (the matrix is padded to `2^a × 2^b`
//! with zeros, `x` to `2^b`). The **input layer** has `2^{a+b} + 2^b` wires:
//!
//! * wire `i·2^b + j` (`i < 2^a`, `j < 2^b`) holds `W[i][j]` (row-major, padded; rows
//!   `≥ n_out` and columns `≥ n_in` are zero),
//! * wire `2^{a+b} + j` holds `x[j]` (zero for `j ≥ n_in`),
//!
//! and its MLE has `a + b + 1` variables (zero-padded to `2^{a+b+1}`). The **mul layer**
//! has `n_out·2^b` gates, gate `i·2^b + j = W[i][j] · x[j]` (left wire `i·2^b + j`,
//! right wire `2^{a+b} + j`). Then `b` **add layers**: the layer of width
//! `n_out·2^{t}` has gates `g = wire 2g + wire 2g+1` of the layer below, down to the
//! output layer of width `n_out` holding `y`.
//!
//! An input-layer claim `Ṽ_in(p) = v` (`p = (p_0, p_1, …, p_{a+b})`, MSB first) splits
//! as `Ṽ_in(p) = (1 − p_0)·W̃(p_1..p_{a+b}) + p_0·Π_{t=1..a}(1 − p_t)·x̃(p_{a+1}..p_{a+b})`,
//! where `W̃(row bits, column bits)` is the MLE of the padded `2^a × 2^b` matrix (row
//! variables first, MSB first) and `x̃` that of the padded `x`; see [`split_input_claim`].

use crate::error::Error;
use crate::field::{log2_ceil, F};
use crate::gkr::{Circuit, Gate, Layer};
use ark_ff::{AdditiveGroup, Field};
use rayon::prelude::*;

/// A mat-vec circuit together with its shape.
#[derive(Clone, Debug)]
pub struct MatVecCircuit {
    /// The layered circuit (output layer first).
    pub circuit: Circuit,
    /// Rows of `W` (outputs), unpadded.
    pub n_out: usize,
    /// Columns of `W` (inputs), unpadded.
    pub n_in: usize,
    /// `a = ⌈log2 n_out⌉`.
    pub row_vars: usize,
    /// `b = ⌈log2 n_in⌉`.
    pub col_vars: usize,
}

/// An input-layer claim split into claims on the matrix and on the vector:
/// `Ṽ_in(point) = w_coeff·W̃(w_point) + x_coeff·x̃(x_point)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputSplit {
    /// `a + b` coordinates: row bits then column bits, MSB first.
    pub w_point: Vec<F>,
    /// Coefficient of `W̃(w_point)`.
    pub w_coeff: F,
    /// `b` coordinates (a suffix of `w_point`).
    pub x_point: Vec<F>,
    /// Coefficient of `x̃(x_point)`.
    pub x_coeff: F,
}

impl MatVecCircuit {
    /// Builds the circuit for an `n_out × n_in` matrix. Cost: O(n_out·2^b) time and
    /// 8 bytes per gate (about `2·n_out·2^b` gates), parallel.
    pub fn new(n_out: usize, n_in: usize) -> crate::Result<Self> {
        if n_out == 0 || n_in == 0 {
            return Err(Error::Invalid("mat-vec shape must be nonzero".into()));
        }
        let a = log2_ceil(n_out);
        let b = log2_ceil(n_in);
        let input_len = (1usize << (a + b)) + (1 << b);
        if a + b + 1 > 31 {
            return Err(Error::Invalid(
                "mat-vec circuit too large for 31-bit wires".into(),
            ));
        }
        let x_base = 1u32 << (a + b);
        let cols_mask = (1u32 << b) - 1;
        let mul: Vec<Gate> = (0..(n_out << b) as u32)
            .into_par_iter()
            .map(|g| Gate::mul(g, x_base + (g & cols_mask)))
            .collect();
        let mut layers = vec![Layer::new(mul)];
        for t in (0..b).rev() {
            let tree: Vec<Gate> = (0..(n_out << t) as u32)
                .into_par_iter()
                .map(|g| Gate::add(2 * g, 2 * g + 1))
                .collect();
            layers.push(Layer::new(tree));
        }
        layers.reverse();
        Ok(MatVecCircuit {
            circuit: Circuit::new(layers, input_len)?,
            n_out,
            n_in,
            row_vars: a,
            col_vars: b,
        })
    }

    /// Lays out the input wires from a row-major `n_out × n_in` matrix (given by an
    /// entry function, so callers can convert from any storage) and `x` (length `n_in`).
    /// Cost: O(2^{a+b}) writes, parallel.
    pub fn input_with(
        &self,
        w: impl Fn(usize, usize) -> F + Sync,
        x: &[F],
    ) -> crate::Result<Vec<F>> {
        if x.len() != self.n_in {
            return Err(Error::Invalid("x has the wrong length".into()));
        }
        let (a, b) = (self.row_vars, self.col_vars);
        let mut input = vec![F::ZERO; (1 << (a + b)) + (1 << b)];
        let (wpart, xpart) = input.split_at_mut(1 << (a + b));
        wpart
            .par_chunks_mut(1 << b)
            .take(self.n_out)
            .enumerate()
            .for_each(|(i, row)| {
                for (j, e) in row.iter_mut().take(self.n_in).enumerate() {
                    *e = w(i, j);
                }
            });
        xpart[..self.n_in].copy_from_slice(x);
        Ok(input)
    }

    /// [`MatVecCircuit::input_with`] for a row-major slice of `n_out·n_in` entries.
    pub fn input(&self, w: &[F], x: &[F]) -> crate::Result<Vec<F>> {
        if w.len() != self.n_out * self.n_in {
            return Err(Error::Invalid("W has the wrong number of entries".into()));
        }
        self.input_with(|i, j| w[i * self.n_in + j], x)
    }

    /// Splits an input-layer claim point; see [`split_input_claim`].
    pub fn split_input_claim(&self, point: &[F]) -> crate::Result<InputSplit> {
        split_input_claim(point, self.n_out, self.n_in)
    }
}

/// Splits a point `p` of the input layer's MLE (`a + b + 1` coordinates) so that
/// `Ṽ_in(p) = w_coeff·W̃(w_point) + x_coeff·x̃(x_point)` with `w_point = p[1..]` (row
/// bits then column bits) and `x_point = p[a+1..]`. The verifier evaluates `x̃` itself
/// and gets `W̃(w_point)` from a commitment opening. Cost: O(a + b).
/// Errors if `p` has the wrong length.
pub fn split_input_claim(point: &[F], n_out: usize, n_in: usize) -> crate::Result<InputSplit> {
    let a = log2_ceil(n_out);
    let b = log2_ceil(n_in);
    if point.len() != a + b + 1 {
        return Err(Error::Malformed(format!(
            "input claim point has {} coordinates, expected {}",
            point.len(),
            a + b + 1
        )));
    }
    let p0 = point[0];
    let x_coeff = point[1..=a].iter().fold(p0, |acc, &p| acc * (F::ONE - p));
    Ok(InputSplit {
        w_point: point[1..].to_vec(),
        w_coeff: F::ONE - p0,
        x_point: point[a + 1..].to_vec(),
        x_coeff,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gkr::{prove_with_claims, verify};
    use crate::mle::evaluate;
    use crate::transcript::Transcript;
    use ark_std::{test_rng, UniformRand};

    fn padded_w(w: &[F], n_out: usize, n_in: usize) -> Vec<F> {
        let (a, b) = (log2_ceil(n_out), log2_ceil(n_in));
        let mut t = vec![F::ZERO; 1 << (a + b)];
        for i in 0..n_out {
            for j in 0..n_in {
                t[(i << b) + j] = w[i * n_in + j];
            }
        }
        t
    }

    #[test]
    fn gkr_matvec_shapes_complete_and_claims_split() {
        let mut rng = test_rng();
        for &(n_out, n_in) in &[
            (1, 1),
            (1, 2),
            (2, 1),
            (3, 5),
            (4, 4),
            (7, 1),
            (1, 9),
            (5, 16),
            (16, 33),
        ] {
            let mc = MatVecCircuit::new(n_out, n_in).unwrap();
            let w: Vec<F> = (0..n_out * n_in).map(|_| F::rand(&mut rng)).collect();
            let x: Vec<F> = (0..n_in).map(|_| F::rand(&mut rng)).collect();
            let input = mc.input(&w, &x).unwrap();
            let values = mc.circuit.evaluate(&input);
            let y: Vec<F> = (0..n_out)
                .map(|i| (0..n_in).map(|j| w[i * n_in + j] * x[j]).sum())
                .collect();
            assert_eq!(values[0], y, "{n_out}x{n_in}: circuit computes W·x");

            let (proof, claims) =
                prove_with_claims(&mc.circuit, &values, &mut Transcript::new(b"mv"));
            let got = verify(&mc.circuit, &y, &proof, &mut Transcript::new(b"mv")).unwrap();
            assert_eq!(got, claims);
            assert_eq!(
                got.claims.len(),
                2,
                "the input layer is read by a mul layer"
            );
            got.check(&input).unwrap();

            let wt = padded_w(&w, n_out, n_in);
            let mut xt = x.clone();
            xt.resize(1 << mc.col_vars, F::ZERO);
            for c in &got.claims {
                let s = mc.split_input_claim(&c.point).unwrap();
                let v =
                    s.w_coeff * evaluate(&wt, &s.w_point) + s.x_coeff * evaluate(&xt, &s.x_point);
                assert_eq!(v, c.value, "{n_out}x{n_in}: split claim");
                // The split is not vacuous: a wrong x changes it.
                let mut xb = xt.clone();
                xb[0] += F::ONE;
                let vb =
                    s.w_coeff * evaluate(&wt, &s.w_point) + s.x_coeff * evaluate(&xb, &s.x_point);
                assert_ne!(vb, c.value);
            }

            // A wrong output is rejected.
            let mut bad = y.clone();
            bad[n_out - 1] += F::ONE;
            assert!(verify(&mc.circuit, &bad, &proof, &mut Transcript::new(b"mv")).is_err());
        }
    }

    #[test]
    fn gkr_matvec_split_rejects_wrong_length() {
        assert!(split_input_claim(&[F::ONE; 3], 4, 4).is_err());
        assert!(split_input_claim(&[F::ONE; 5], 4, 4).is_ok());
        assert!(MatVecCircuit::new(0, 3).is_err());
    }
}

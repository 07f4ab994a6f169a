//! Proof that `Y = W·X` for a committed weight matrix `W` and public `X`, `Y`
//! (a batch of `B ≥ 1` inputs), in time linear in the nonzeros of `W`.
//!
//! Protocol (details and costs in `docs/protocol.md`):
//! 1. Both sides absorb the key digest, the shapes, `X` and `Y`, then draw
//!    `r_b` (batch variables) and `r` (row variables); the claim is `Ỹ(r_b, r)`.
//! 2. The prover builds `u = Wᵀ·eq(r)` from the nonzeros ([`LinearBackend::bind_rows`])
//!    and `x̂ = Σ_b eq(r_b, b)·X_b`, and runs a degree-2 sumcheck for
//!    `Σ_j u(j)·x̂(j) = Ỹ(r_b, r)`, ending at a point `r'`.
//! 3. The prover sends `u` itself as the Hyrax opening of `W̃` at `(r, r')` (the grid
//!    rows are the matrix rows, so the opening vector is exactly `u`); the verifier
//!    checks it against the commitment, reads `W̃(r, r') = ⟨u, eq(r')⟩`, computes
//!    `X̃(r_b, r')` from the public input and checks the sumcheck's final claim.

use crate::eq::eq_table;
use crate::error::{Committed, Error, Step};
use crate::field::{log2_ceil, F};
use crate::hyrax::{verify_opening, HyraxCommitment, HyraxKey, PreparedCommitment};
use crate::labels;
use crate::matrix::LinearBackend;
use crate::sumcheck::SumcheckProof;
use crate::transcript::Transcript;
use crate::wire::{Reader, Writer};

mod step;
pub use step::{combine_batch, prove_step, step_tables, verify_step, StepOutput};

/// Domain separator of this protocol's transcript.
pub const PROTOCOL: &[u8] = b"ternzk/linear/v1";

/// The verifying key of one weight matrix: its shape and commitment, and a digest of both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinearVk {
    /// Rows of `W`.
    pub n_out: usize,
    /// Columns of `W`.
    pub n_in: usize,
    /// Hyrax commitment to the padded `W` (one point per row).
    pub commitment: HyraxCommitment,
    /// BLAKE3 digest of the encoded shape and commitment; absorbed first by both sides.
    pub digest: [u8; 32],
}

impl LinearVk {
    /// Builds the key from a shape and a commitment (computes the digest).
    pub fn new(n_out: usize, n_in: usize, commitment: HyraxCommitment) -> Self {
        let mut w = Writer::default();
        w.u32(n_out as u32);
        w.u32(n_in as u32);
        commitment.write(&mut w);
        let digest = *blake3::hash(&w.bytes).as_bytes();
        Self {
            n_out,
            n_in,
            commitment,
            digest,
        }
    }

    /// Commits to `m` and returns its key. Cost: the backend's commitment cost
    /// (for ternary matrices, one point addition per nonzero).
    pub fn commit<M: LinearBackend + ?Sized>(m: &M, key: &HyraxKey) -> crate::Result<Self> {
        Ok(Self::new(m.n_out(), m.n_in(), m.commit(key)?))
    }

    fn row_vars(&self) -> usize {
        log2_ceil(self.n_out)
    }
    fn col_vars(&self) -> usize {
        log2_ceil(self.n_in)
    }
}

/// A linear-layer proof: the sumcheck rounds and the opening vector `u`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinearProof {
    /// Degree-2 sumcheck over the `b` column variables.
    pub sumcheck: SumcheckProof,
    /// `u = Wᵀ·eq(r)`, the Hyrax opening vector (length `2^b`).
    pub opening: Vec<F>,
}

impl LinearProof {
    /// Encodes the proof (sizes are implied by the key). Size: `32·(2b + 2^b)` bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        for round in &self.sumcheck.rounds {
            w.fields(round);
        }
        w.fields(&self.opening);
        w.bytes
    }

    /// Decodes a proof for `vk`; any other byte string is an error.
    pub fn from_bytes(vk: &LinearVk, bytes: &[u8]) -> crate::Result<Self> {
        let b = vk.col_vars();
        let mut r = Reader::new(bytes);
        let rounds = (0..b)
            .map(|_| r.fields(2, "sumcheck round"))
            .collect::<crate::Result<Vec<_>>>()?;
        let opening = r.fields(1 << b, "opening vector")?;
        r.finish()?;
        Ok(Self {
            sumcheck: SumcheckProof { rounds },
            opening,
        })
    }
}

/// Checks the statement's shapes; returns `c`, the number of batch variables.
fn check_shapes(vk: &LinearVk, xs: &[i32], ys: &[i32], batch: usize) -> crate::Result<usize> {
    if batch == 0 || xs.len() != batch * vk.n_in || ys.len() != batch * vk.n_out {
        return Err(Error::Invalid(format!(
            "expected {batch} inputs of {} and outputs of {}, got {} and {} values",
            vk.n_in,
            vk.n_out,
            xs.len(),
            ys.len()
        )));
    }
    Ok(log2_ceil(batch))
}

/// Starts the transcript shared by prover and verifier: key digest, shapes, `X`, `Y`.
fn statement_transcript(vk: &LinearVk, xs: &[i32], ys: &[i32], batch: usize) -> Transcript {
    let mut t = Transcript::new(PROTOCOL);
    t.append_bytes(labels::VK_DIGEST, &vk.digest);
    t.append_u64(labels::BATCH, batch as u64);
    t.append_i32s(labels::INPUT, xs);
    t.append_i32s(labels::OUTPUT, ys);
    t
}

/// Computes `Y = W·X` and proves it. `xs` holds `batch` inputs back to back.
/// Cost: the integer product, `nnz` field additions (ternary) to build `u`,
/// `O(B·n_in)` multiplications for `x̂` and `O(n_in)` for the sumcheck.
pub fn prove<M: LinearBackend + ?Sized>(
    m: &M,
    vk: &LinearVk,
    xs: &[i32],
    batch: usize,
) -> crate::Result<(Vec<i32>, LinearProof)> {
    if (m.n_out(), m.n_in()) != (vk.n_out, vk.n_in) {
        return Err(Error::Invalid("matrix shape differs from the key".into()));
    }
    if xs.len() != batch * vk.n_in {
        return Err(Error::Invalid("input batch has the wrong length".into()));
    }
    let max_x = xs
        .iter()
        .map(|v| v.unsigned_abs() as u64)
        .max()
        .unwrap_or(0);
    if max_x.saturating_mul(m.max_row_abs_sum()) >= 1 << 31 {
        return Err(Error::Invalid(
            "inputs too large: the integer product could overflow i32".into(),
        ));
    }
    let ys = m.matmul_i32(xs, batch);
    let c = check_shapes(vk, xs, &ys, batch)?;
    let mut t = statement_transcript(vk, xs, &ys, batch);
    let r_b = t.challenges(labels::BATCH_POINT, c);
    let r = t.challenges(labels::ROW_POINT, vk.row_vars());
    let step = prove_step(m, &eq_table(&r), xs, &r_b, &mut t);
    t.append_fields(labels::OPENING, &step.opening);
    Ok((
        ys,
        LinearProof {
            sumcheck: step.sumcheck,
            opening: step.opening,
        },
    ))
}

/// Verifies that `Y = W·X` for the matrix committed in `vk`.
/// Cost: `O(B·(n_in + n_out))` field operations to evaluate the public input and
/// output, and one MSM of size `2^a + 2^b` for the opening.
pub fn verify(
    key: &HyraxKey,
    vk: &LinearVk,
    xs: &[i32],
    ys: &[i32],
    batch: usize,
    proof: &LinearProof,
) -> crate::Result<()> {
    verify_with(vk, xs, ys, batch, proof, |point, t| {
        verify_opening(key, &vk.commitment, point, t)
    })
}

/// A verifying key with fixed-base tables for its opening check, for a verifier that
/// checks many proofs against one model (like a prepared Groth16 key).
#[derive(Clone, Debug)]
pub struct PreparedVk {
    /// The key.
    pub vk: LinearVk,
    opening: PreparedCommitment,
}

impl LinearVk {
    /// Prepares the key for repeated verification. Cost: about 256 point doublings per
    /// generator and per row commitment, once.
    pub fn prepare(&self, key: &HyraxKey) -> crate::Result<PreparedVk> {
        Ok(PreparedVk {
            vk: self.clone(),
            opening: PreparedCommitment::new(key, &self.commitment)?,
        })
    }
}

/// [`verify`] with a prepared key: the same checks, a cheaper opening MSM.
pub fn verify_prepared(
    prepared: &PreparedVk,
    xs: &[i32],
    ys: &[i32],
    batch: usize,
    proof: &LinearProof,
) -> crate::Result<()> {
    verify_with(&prepared.vk, xs, ys, batch, proof, |point, t| {
        prepared.opening.verify_opening(point, t)
    })
}

/// The verifier, with the Hyrax opening check supplied by the caller.
fn verify_with(
    vk: &LinearVk,
    xs: &[i32],
    ys: &[i32],
    batch: usize,
    proof: &LinearProof,
    open: impl Fn(&[F], &[F]) -> crate::Result<F>,
) -> crate::Result<()> {
    let c = check_shapes(vk, xs, ys, batch)?;
    let (a, b) = (vk.row_vars(), vk.col_vars());
    if vk.commitment.row_vars != a || vk.commitment.col_vars != b {
        return Err(Error::Malformed(
            "commitment shape differs from the key".into(),
        ));
    }
    let mut t = statement_transcript(vk, xs, ys, batch);
    let r_b = t.challenges(labels::BATCH_POINT, c);
    let r = t.challenges(labels::ROW_POINT, a);
    let eq_b = eq_table(&r_b);
    let claim =
        crate::field::inner_product(&combine_batch(ys, vk.n_out, 1 << a, &eq_b), &eq_table(&r));
    verify_step(
        claim,
        b,
        &proof.sumcheck,
        &mut t,
        |t| t.append_fields(labels::OPENING, &proof.opening),
        |r_prime| {
            let point: Vec<F> = r.iter().chain(r_prime).copied().collect();
            open(&point, &proof.opening).map_err(|e| e.opening_of(Committed::Weights { layer: 0 }))
        },
        |r_prime| {
            Ok(crate::field::inner_product(
                &combine_batch(xs, vk.n_in, 1 << b, &eq_b),
                &eq_table(r_prime),
            ))
        },
    )
    .map_err(|e| e.in_step(Step::Linear { layer: 0 }))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::LinearBackend;
    use ark_ff::Field;
    use proptest::prelude::*;
    use std::sync::OnceLock;
    use ternzk_core::random;

    fn key() -> &'static HyraxKey {
        static KEY: OnceLock<HyraxKey> = OnceLock::new();
        KEY.get_or_init(|| HyraxKey::new(8))
    }

    fn round_trip<M: LinearBackend>(
        m: &M,
        xs: &[i32],
        batch: usize,
    ) -> (LinearVk, Vec<i32>, LinearProof) {
        let vk = LinearVk::commit(m, key()).unwrap();
        let (ys, proof) = prove(m, &vk, xs, batch).unwrap();
        assert_eq!(ys, m.matmul_i32(xs, batch));
        let bytes = proof.to_bytes();
        let decoded = LinearProof::from_bytes(&vk, &bytes).unwrap();
        assert_eq!(decoded, proof);
        verify(key(), &vk, xs, &ys, batch, &decoded).unwrap();
        verify_prepared(&vk.prepare(key()).unwrap(), xs, &ys, batch, &decoded).unwrap();
        (vk, ys, proof)
    }

    #[test]
    fn ternary_completeness_for_every_shape() {
        for &(n_out, n_in, density, batch) in &[
            (1, 1, 1.0, 1),
            (5, 3, 0.7, 1),
            (10, 100, 0.25, 3),
            (64, 64, 0.0625, 1),
            (33, 200, 0.1, 8),
            (7, 256, 0.0, 2),
        ] {
            let t = random::ternary(n_out, n_in, density, 1);
            let xs = random::activations(n_in, batch, 2);
            round_trip(&t, &xs, batch);
        }
    }

    #[test]
    fn every_mutated_proof_element_is_rejected() {
        let t = random::ternary(12, 20, 0.3, 5);
        let xs = random::activations(20, 1, 6);
        let (vk, ys, proof) = round_trip(&t, &xs, 1);
        let bytes = proof.to_bytes();
        let prepared = vk.prepare(key()).unwrap();
        let n_fields = bytes.len() / 32;
        for k in 0..n_fields {
            let mut p = LinearProof::from_bytes(&vk, &bytes).unwrap();
            let rounds = p.sumcheck.rounds.len() * 2;
            if k < rounds {
                p.sumcheck.rounds[k / 2][k % 2] += F::ONE;
            } else {
                p.opening[k - rounds] += F::ONE;
            }
            assert!(
                verify(key(), &vk, &xs, &ys, 1, &p).is_err(),
                "mutating field element {k} was not detected"
            );
            assert!(verify_prepared(&prepared, &xs, &ys, 1, &p).is_err());
        }
    }

    #[test]
    fn wrong_output_input_or_matrix_is_rejected() {
        let t = random::ternary(16, 32, 0.25, 7);
        let xs = random::activations(32, 2, 8);
        let (vk, ys, proof) = round_trip(&t, &xs, 2);
        for i in [0, 5, ys.len() - 1] {
            let mut bad = ys.clone();
            bad[i] += 1;
            assert!(verify(key(), &vk, &xs, &bad, 2, &proof).is_err());
        }
        let mut bad_x = xs.clone();
        bad_x[3] += 1;
        assert!(verify(key(), &vk, &bad_x, &ys, 2, &proof).is_err());
        // Another matrix's key (same shape) must not accept this proof.
        let other = random::ternary(16, 32, 0.25, 9);
        let other_vk = LinearVk::commit(&other, key()).unwrap();
        assert!(verify(key(), &other_vk, &xs, &ys, 2, &proof).is_err());
        let other_prepared = other_vk.prepare(key()).unwrap();
        assert!(verify_prepared(&other_prepared, &xs, &ys, 2, &proof).is_err());
        // A matrix differing in a single weight has a different commitment.
        let mut dense: Vec<i8> = (0..16 * 32).map(|k| t.get(k / 32, k % 32)).collect();
        dense[40] = if dense[40] == 1 { 0 } else { 1 };
        let tweaked = crate::ternary::TernaryCsr::from_dense(16, 32, &dense).unwrap();
        let tweaked_vk = LinearVk::commit(&tweaked, key()).unwrap();
        assert_ne!(tweaked_vk.commitment, vk.commitment);
        assert!(verify(key(), &tweaked_vk, &xs, &ys, 2, &proof).is_err());
        // A prover who computes with the tweaked matrix cannot pass as the committed one.
        let (ys2, proof2) = prove(&tweaked, &tweaked_vk, &xs, 2).unwrap();
        assert!(verify(key(), &vk, &xs, &ys2, 2, &proof2).is_err());
        // Batch size is part of the statement.
        assert!(verify(key(), &vk, &xs, &ys, 1, &proof).is_err());
    }

    #[test]
    fn garbage_and_truncated_bytes_are_errors() {
        let t = random::ternary(8, 16, 0.5, 10);
        let xs = random::activations(16, 1, 11);
        let (vk, ys, proof) = round_trip(&t, &xs, 1);
        let bytes = proof.to_bytes();
        for cut in [0, 1, 31, 32, bytes.len() - 1] {
            assert!(LinearProof::from_bytes(&vk, &bytes[..cut]).is_err());
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(LinearProof::from_bytes(&vk, &longer).is_err());
        let mut rng_state = 12345u64;
        for _ in 0..200 {
            let junk: Vec<u8> = (0..bytes.len())
                .map(|_| {
                    rng_state = rng_state.wrapping_mul(6364136223846793005).wrapping_add(1);
                    (rng_state >> 33) as u8
                })
                .collect();
            if let Ok(p) = LinearProof::from_bytes(&vk, &junk) {
                assert!(verify(key(), &vk, &xs, &ys, 1, &p).is_err());
            }
        }
    }

    #[test]
    fn oversized_inputs_are_refused_not_wrapped() {
        let t = random::ternary(4, 4, 1.0, 12);
        let vk = LinearVk::commit(&t, key()).unwrap();
        assert!(prove(&t, &vk, &[i32::MAX / 2; 4], 1).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn prop_complete_and_output_bound(
            n_out in 1usize..40, n_in in 1usize..70, density in 0.0f64..1.0,
            batch in 1usize..5, seed in any::<u64>(), flip in any::<prop::sample::Index>(),
        ) {
            let t = random::ternary(n_out, n_in, density, seed);
            let xs = random::activations(n_in, batch, seed ^ 1);
            let vk = LinearVk::commit(&t, key()).unwrap();
            let (ys, proof) = prove(&t, &vk, &xs, batch).unwrap();
            prop_assert!(verify(key(), &vk, &xs, &ys, batch, &proof).is_ok());
            let mut bad = ys.clone();
            let i = flip.index(bad.len());
            bad[i] = bad[i].wrapping_add(1);
            prop_assert!(verify(key(), &vk, &xs, &bad, batch, &proof).is_err());
        }
    }
}

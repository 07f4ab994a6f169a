//! The `dense-gkr` method: `y = W·x` as a layered arithmetic circuit (one
//! multiplication gate per weight, an addition tree per row) proven by the generic
//! Libra-style GKR of [`crate::gkr`], bound to the same kind of Hyrax commitment
//! to `W` as the other methods.
//!
//! The GKR proof leaves claims on the circuit's input layer `[W | x]`; each is split
//! into a claim on `W̃` — opened against the commitment (the opening vector is
//! computed densely, as a dense prover would) — and one on `x̃`, which the verifier
//! evaluates itself. Proof bytes: `u32` length + the GKR proof (arkworks compressed),
//! then one opening vector of `2^b` field elements per input claim.

use crate::dense::DenseMatrix;
use crate::gkr::{self, GkrProof};
use crate::matvec_circuit::MatVecCircuit;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ternzk_prover::eq::eq_table;
use ternzk_prover::field::from_i64;
use ternzk_prover::hyrax::{verify_opening, HyraxKey};
use ternzk_prover::linear::LinearVk;
use ternzk_prover::matrix::LinearBackend;
use ternzk_prover::wire::{Reader, Writer};
use ternzk_prover::{mle, Error, Result, F};

const PROTOCOL: &[u8] = b"ternzk/matvec-gkr/v1";

fn statement(vk: &LinearVk, x: &[i32], y: &[i32]) -> ternzk_prover::transcript::Transcript {
    let mut t = ternzk_prover::transcript::Transcript::new(PROTOCOL);
    t.append_bytes(b"vk-digest", &vk.digest);
    t.append_i32s(b"input", x);
    t.append_i32s(b"output", y);
    t
}

/// Proves `y = W·x` with the circuit; returns `y` and the proof bytes.
/// Cost: evaluating the circuit (`n_out·2^b` multiplications) plus the GKR prover
/// (linear in the number of gates) plus one dense opening per input claim.
pub fn prove(
    c: &MatVecCircuit,
    w: &DenseMatrix,
    vk: &LinearVk,
    x: &[i32],
) -> Result<(Vec<i32>, Vec<u8>)> {
    let xf: Vec<F> = x.iter().map(|&v| from_i64(v as i64)).collect();
    let input = c.input(w.field_values(), &xf)?;
    let values = c.circuit.evaluate_owned(input);
    let y = w.matmul_i32(x, 1);
    let mut t = statement(vk, x, &y);
    let (proof, claims) = gkr::prove_with_claims(&c.circuit, &values, &mut t);
    drop(values);
    let mut bytes = Vec::new();
    proof
        .serialize_compressed(&mut bytes)
        .map_err(|e| Error::Invalid(format!("encoding the GKR proof: {e}")))?;
    let mut w_out = Writer::default();
    w_out.u32(bytes.len() as u32);
    w_out.bytes.extend_from_slice(&bytes);
    for claim in &claims.claims {
        let split = c.split_input_claim(&claim.point)?;
        let opening = w.bind_rows(&eq_table(&split.w_point[..c.row_vars]));
        t.append_fields(b"opening", &opening);
        w_out.fields(&opening);
    }
    Ok((y, w_out.bytes))
}

/// Verifies a `dense-gkr` proof of `y = W·x` against the commitment in `vk`.
/// Cost: the GKR verifier (which evaluates the wiring predicates, `O(#gates)`) and
/// one MSM of `2^a + 2^b` points per input claim.
pub fn verify(
    c: &MatVecCircuit,
    key: &HyraxKey,
    vk: &LinearVk,
    x: &[i32],
    y: &[i32],
    bytes: &[u8],
) -> Result<()> {
    if x.len() != vk.n_in || y.len() != vk.n_out || (c.n_out, c.n_in) != (vk.n_out, vk.n_in) {
        return Err(Error::Invalid(
            "statement shape differs from the key".into(),
        ));
    }
    let mut r = Reader::new(bytes);
    let len = r.u32("GKR proof length")? as usize;
    if len > bytes.len() - 4 {
        return Err(Error::Malformed(
            "GKR proof length exceeds the proof".into(),
        ));
    }
    let proof = GkrProof::deserialize_compressed(&bytes[4..4 + len])
        .map_err(|e| Error::Malformed(format!("GKR proof: {e}")))?;
    let mut r = Reader::new(&bytes[4 + len..]);
    let mut t = statement(vk, x, y);
    let output: Vec<F> = y.iter().map(|&v| from_i64(v as i64)).collect();
    let claims = gkr::verify(&c.circuit, &output, &proof, &mut t)?;
    let xs_padded = mle::pad_to_pow2(x.iter().map(|&v| from_i64(v as i64)).collect());
    for claim in &claims.claims {
        let split = c.split_input_claim(&claim.point)?;
        let opening = r.fields(1 << c.col_vars, "opening vector")?;
        t.append_fields(b"opening", &opening);
        let w_eval = verify_opening(key, &vk.commitment, &split.w_point, &opening)?;
        let mut xp = xs_padded.clone();
        xp.resize(1 << c.col_vars, F::from(0u64));
        let x_eval = mle::evaluate(&xp, &split.x_point);
        if claim.value != split.w_coeff * w_eval + split.x_coeff * x_eval {
            return Err(Error::Rejected(ternzk_prover::Check::InputClaim));
        }
    }
    r.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::densify;
    use ternzk_core::random;

    #[test]
    fn accepts_honest_and_rejects_tampered_proofs() {
        let t = random::ternary(12, 20, 0.3, 3);
        let key = HyraxKey::new(t.col_vars());
        let w = densify(&t);
        let c = MatVecCircuit::new(12, 20).unwrap();
        let vk = LinearVk::commit(&w, &key).unwrap();
        let x = random::activations(20, 1, 4);
        let (y, bytes) = prove(&c, &w, &vk, &x).unwrap();
        assert_eq!(y, t.matvec_i32(&x));
        verify(&c, &key, &vk, &x, &y, &bytes).unwrap();
        // Wrong output, wrong input, another matrix's key.
        let mut bad = y.clone();
        bad[3] += 1;
        assert!(verify(&c, &key, &vk, &x, &bad, &bytes).is_err());
        let mut bad_x = x.clone();
        bad_x[0] += 1;
        assert!(verify(&c, &key, &vk, &bad_x, &y, &bytes).is_err());
        let other = LinearVk::commit(&densify(&random::ternary(12, 20, 0.3, 9)), &key).unwrap();
        assert!(verify(&c, &key, &other, &x, &y, &bytes).is_err());
        // Every 32-byte word of the openings flipped; truncation and trailing bytes.
        let gkr_len = 4 + u32::from_le_bytes(bytes[..4].try_into().unwrap()) as usize;
        for k in (gkr_len..bytes.len()).step_by(32) {
            let mut b = bytes.clone();
            b[k] ^= 1;
            assert!(
                verify(&c, &key, &vk, &x, &y, &b).is_err(),
                "opening byte {k}"
            );
        }
        for cut in [0, 3, 4, 9, gkr_len - 1, gkr_len, bytes.len() - 1] {
            assert!(verify(&c, &key, &vk, &x, &y, &bytes[..cut]).is_err());
        }
        // A length prefix pointing past the end is an error, not a panic.
        let mut lying = bytes.clone();
        lying[..4].copy_from_slice(&((bytes.len() - 2) as u32).to_le_bytes());
        assert!(verify(&c, &key, &vk, &x, &y, &lying).is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(verify(&c, &key, &vk, &x, &y, &longer).is_err());
    }
}

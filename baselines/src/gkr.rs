//! Generic linear-time GKR for layered circuits of fan-in-2 `Add`/`Mul` gates
//! (Libra-style two-phase sumcheck: Xie, Zhang, Zhang, Papamanthou, Song, "Libra:
//! Succinct Zero-Knowledge Proofs with Optimal Prover Computation", CRYPTO 2019).
//! This is the `dense-gkr` benchmark baseline; it knows nothing about mat-vecs.
//!
//! # Protocol
//!
//! Layer `i` has `m_i` gates; `Ṽ_i` is the MLE of its values zero-padded to `2^{k_i}`
//! (MSB-first indices, as in [`crate::eq`]). The transcript absorbs the circuit digest
//! and the claimed output, then draws `r_0` and the verifier computes `Ṽ_0(r_0)`.
//! For each layer the verifier holds claims `Ṽ_i(u_c) = v_c` with coefficients `α_c`
//! (one claim on the output layer and after an add-only layer, two after a layer with
//! multiplications, combined with fresh challenges α, β). With gate weights
//! `w(g) = Σ_c α_c·eq(u_c, g)`:
//!
//! ```text
//! Σ_c α_c v_c = Σ_g w(g)·gate_g(V(l_g), V(r_g))
//!             = Σ_x V(x)·H(x),   H(x) = Σ_{add g} w(g)([l_g = x] + [r_g = x])
//!                                     + Σ_{mul g, l_g = x} w(g)·V(r_g)
//! ```
//!
//! **Phase 1** is a degree-2 sumcheck over `x ∈ {0,1}^{k_{i+1}}` of `V(x)·H(x)`,
//! ending at `r_x`. The prover sends `Ṽ(r_x)` and, if the layer has multiplications,
//! `h_m = Σ_{mul g} w(g)·eq(r_x, l_g)·Ṽ(r_g)`; the verifier checks the phase-1 final
//! claim against `Ṽ(r_x)·(C(r_x) + h_m)` with `C(r_x) = Σ_{add g} w(g)(eq(r_x,l_g) +
//! eq(r_x,r_g))` computed from the gate list. (Add gates are linear, so both of their
//! inputs are handled in phase 1 — this is Libra's `h_add`/`h_const` split with the
//! constant term folded in, which saves the second phase on add-only layers.)
//! **Phase 2** (only if the layer multiplies) is a degree-2 sumcheck of
//! `Σ_y M(y)·V(y) = h_m` with `M(y) = Σ_{mul g, r_g = y} w(g)·eq(r_x, l_g)`, ending at
//! `r_y`; the prover sends `Ṽ(r_y)` and the verifier checks `M̃(r_x, r_y)·Ṽ(r_y)`.
//! The claims `Ṽ_{i+1}(r_x)`, `Ṽ_{i+1}(r_y)` go to the next layer; on the input layer
//! they are returned to the caller ([`InputClaims`]).
//!
//! Both phases are round oracles of the crate's one sumcheck engine ([`crate::sumcheck`]):
//! each round message is the round polynomial at 0 and 2 (the value at 1 is implied),
//! under the engine's transcript labels, and [`crate::sumcheck::verify`] checks them.
//!
//! # Cost
//!
//! Prover, per layer with `m` gates over a next layer of `n` wires: the tables `H` and
//! `M` are built from the gate list in O(m) (gate weights from split eq tables of size
//! `2^{k/2}`, never a `2^k` eq table; one to three multiplications per gate), in
//! parallel via per-layer scatter plans (disjoint slices, narrow private buffers, or
//! a serial pass for arbitrary wiring). Sumcheck rounds cost about four
//! multiplications per wire (two products, two binds, fused into one pass once the
//! tables are dense); tables with one-sided or short-tailed support (the `x` part of
//! a mat-vec input, the columns `M` reads) are bound with a lazy scale and cost only
//! their support. Large buffers are recycled across phases and layers. Overall
//! O(#gates + Σ_i 2^{k_i}) field operations; memory: the layer values plus about two
//! tables of the widest layer's size. Verifier: O(#gates) for the wiring predicates
//! (generic circuit, about five multiplications per gate, parallel), O(Σ k_i) for the
//! rounds. Proof: `2·Σ_i k_{i+1}·(1 + [layer i multiplies])` field elements plus two
//! or three per layer.

mod circuit;
mod protocol;
mod tables;
#[cfg(test)]
mod tests;

pub use circuit::{Circuit, Gate, GateKind, Layer};
pub use protocol::{
    prove, prove_with_claims, verify, EvalClaim, GkrProof, InputClaims, LayerProof, MulPhaseProof,
};

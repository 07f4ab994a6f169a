//! LogUp (logarithmic-derivative) lookups against verifier-defined tables, batched.
//!
//! Statement: for every lookup instance `j` (a vector of `N_j` small integers, or of
//! `N_j` integer pairs for a two-column table) every entry lies in the instance's table
//! `T_j`, which is fixed by the verifier ([`Table`]) and never sent by the prover.
//!
//! Protocol (details, costs and the soundness argument in `docs/logup.md`):
//! 1. Both sides absorb the shapes. For each distinct table the prover commits the
//!    multiplicities `m_t` (how often each table row is looked up, counting padding)
//!    with Hyrax and absorbs the commitments; only then are the fold challenge `γ`
//!    and the LogUp challenge `β` drawn. Rows are folded to `a + γ·b`.
//! 2. Witness side: for each instance, a binary tree of projective fractions
//!    `(p, q)` over the zero-padded witness (leaves `(1, β − w_i)`, parents
//!    `(p₀q₁ + p₁q₀, q₀q₁)`), proven layer by layer from the root with a batched
//!    degree-3 sumcheck (GKR over fractional sums, Papini–Haböck). All instances share
//!    each layer's random point; an instance whose tree ends at layer `k` leaves a claim
//!    on its columns' multilinear extensions at the layer-`k` point.
//! 3. Table side: for each distinct table, a degree-2 sumcheck proves
//!    `S = Σ_t m_t·g(t)` with `g(t) = 1/(β − T(t))`; the verifier evaluates the
//!    multilinear extension of `g` itself (`O(|T|)`) and `m̃` through a Hyrax opening.
//! 4. The verifier checks, cross-multiplied, that the witness-side fractions of all
//!    instances on a table add up to that table's `S`, after checking that every root
//!    denominator is nonzero (so `β` equals no witness value).
//!
//! **Caller's duties.** The witness vectors must be committed and their commitments
//! absorbed into the transcript *before* [`prove`] / [`verify`] is called (so that
//! `β` and `γ` are drawn after the witness is fixed), and the returned
//! [`LookupClaims`] must be checked against those commitments (openings of the
//! zero-padded vectors at the returned points). Without both, nothing is proven.

mod fraction_tree;
mod layer;
mod layout;
mod leaves;
mod prove;
mod table;
mod table_side;
#[cfg(test)]
mod tests;
mod verify;
#[cfg(target_arch = "x86_64")]
mod wide;
#[cfg(not(target_arch = "x86_64"))]
#[path = "logup/wide_none.rs"]
mod wide;
mod wire;
// The zero-knowledge variant (issue 14), used by the private-input MLP proof.
#[allow(dead_code)] // not yet wired into the MLP proof (issue 14)
pub(crate) mod zk;
#[cfg(test)]
mod zk_tests;
#[allow(dead_code)] // not yet wired into the MLP proof file (issue 14)
mod zk_wire;

#[allow(unused_imports)]
use {
    fraction_tree::*, layer::*, layout::*, leaves::*, prove::*, table::*, table_side::*, verify::*,
    wire::*,
};

pub use layout::{LookupClaim, LookupClaims, LookupInstance, LookupShape};
pub use prove::prove;
#[cfg(test)]
pub(crate) use prove::prove_with_counts_of;
pub use table::Table;
pub use verify::verify;
pub use wire::{proof_size, LayerProof, LogupProof};

/// Domain separator absorbed at the start of every lookup argument.
pub const PROTOCOL: &[u8] = b"ternzk/logup/v2";
/// Largest table: `2^16` rows.
pub const MAX_TABLE_BITS: u32 = 16;
/// Largest witness vector: `2^28` entries (a guard against absurd shapes).
pub const MAX_WITNESS_VARS: usize = 28;

/// Instances (and tables) with at least this many variables run their large passes in
/// lanes (`wide`) when the CPU allows; smaller ones have too few rounds of eight or more
/// pairs to gain, and copying their table into gatherable rows would cost more.
const WIDE_MIN_VARS: usize = 10;

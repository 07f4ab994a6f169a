//! Every transcript label of the crate's protocols, in one place. The byte values are
//! part of the proof system (they feed every challenge): changing one changes every
//! proof.

/// A sumcheck round message (the round polynomial at `0, 2, …, d`).
pub const SUMCHECK_ROUND: &[u8] = b"sumcheck-round";
/// A sumcheck round's challenge.
pub const SUMCHECK_CHALLENGE: &[u8] = b"sumcheck-challenge";

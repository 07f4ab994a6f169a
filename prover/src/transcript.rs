//! Fiat–Shamir transcript built on BLAKE3 (see `docs/protocol.md` for the choice).
//!
//! Every message is absorbed with a kind tag, its label and its length, so two
//! different message sequences can never hash to the same state by concatenation.
//! Challenges are squeezed from a copy of the state (64 bytes of XOF output reduced
//! mod p, so the bias is below 2^-250) and then absorbed back, so that every later
//! challenge depends on every earlier one.

use crate::field::{GAffine, F};
use crate::labels;
use ark_ff::{BigInteger, PrimeField};
use ark_serialize::CanonicalSerialize;

/// A running Fiat–Shamir transcript. Cost: one BLAKE3 update per byte absorbed.
#[derive(Clone)]
pub struct Transcript {
    hasher: blake3::Hasher,
    /// Test-only programmed challenges (the random oracle as a simulator programs it):
    /// when set, each challenge is taken from the front of this queue instead of the
    /// hash, and absorbed back as usual.
    #[cfg(test)]
    programmed: Option<std::collections::VecDeque<F>>,
}

const TAG_BYTES: u8 = 1;
const TAG_FIELD: u8 = 2;
const TAG_POINT: u8 = 3;
const TAG_INTS: u8 = 4;
const TAG_CHALLENGE: u8 = 5;
const TAG_I32S: u8 = 6;

impl Transcript {
    /// Starts a transcript bound to a protocol name (domain separation between protocols).
    pub fn new(protocol: &[u8]) -> Self {
        let mut t = Self {
            hasher: blake3::Hasher::new(),
            #[cfg(test)]
            programmed: None,
        };
        t.append_bytes(labels::TERNZK_PROTOCOL, protocol);
        t
    }

    fn header(&mut self, tag: u8, label: &[u8], len: usize) {
        self.hasher.update(&[tag]);
        self.hasher.update(&(label.len() as u32).to_le_bytes());
        self.hasher.update(label);
        self.hasher.update(&(len as u64).to_le_bytes());
    }

    /// Absorbs raw bytes under `label`.
    pub fn append_bytes(&mut self, label: &[u8], bytes: &[u8]) {
        self.header(TAG_BYTES, label, bytes.len());
        self.hasher.update(bytes);
    }

    /// Absorbs a `u64` under `label`.
    pub fn append_u64(&mut self, label: &[u8], v: u64) {
        self.append_bytes(label, &v.to_le_bytes());
    }

    /// Absorbs one field element (32 canonical little-endian bytes).
    pub fn append_field(&mut self, label: &[u8], f: &F) {
        self.append_fields(label, std::slice::from_ref(f));
    }

    /// Absorbs a vector of field elements. Cost: 32 bytes hashed per element.
    pub fn append_fields(&mut self, label: &[u8], fs: &[F]) {
        self.header(TAG_FIELD, label, fs.len());
        let mut buf = Vec::with_capacity(32 * fs.len());
        for f in fs {
            buf.extend_from_slice(&f.into_bigint().to_bytes_le());
        }
        self.hasher.update(&buf);
    }

    /// Absorbs a vector of small signed integers (8 little-endian bytes each); used for
    /// public inputs and outputs, which are integers by construction.
    pub fn append_ints(&mut self, label: &[u8], vs: &[i64]) {
        self.header(TAG_INTS, label, vs.len());
        let mut buf = Vec::with_capacity(8 * vs.len());
        for v in vs {
            buf.extend_from_slice(&v.to_le_bytes());
        }
        self.hasher.update(&buf);
    }

    /// Absorbs a vector of `i32` (4 little-endian bytes each) under its own tag.
    pub fn append_i32s(&mut self, label: &[u8], vs: &[i32]) {
        self.header(TAG_I32S, label, vs.len());
        let mut buf = Vec::with_capacity(4 * vs.len());
        for v in vs {
            buf.extend_from_slice(&v.to_le_bytes());
        }
        if buf.len() >= 1 << 17 {
            self.hasher.update_rayon(&buf);
        } else {
            self.hasher.update(&buf);
        }
    }

    /// Absorbs group elements in compressed form (32 bytes each).
    pub fn append_points(&mut self, label: &[u8], ps: &[GAffine]) {
        self.header(TAG_POINT, label, ps.len());
        let mut buf = Vec::with_capacity(32 * ps.len());
        for p in ps {
            p.serialize_compressed(&mut buf)
                .expect("writing to a Vec cannot fail");
        }
        self.hasher.update(&buf);
    }

    /// Squeezes one challenge and absorbs it back.
    pub fn challenge(&mut self, label: &[u8]) -> F {
        let mut fork = self.hasher.clone();
        fork.update(&[TAG_CHALLENGE]);
        fork.update(&(label.len() as u32).to_le_bytes());
        fork.update(label);
        let mut out = [0u8; 64];
        fork.finalize_xof().fill(&mut out);
        #[allow(unused_mut)]
        let mut c = F::from_le_bytes_mod_order(&out);
        #[cfg(test)]
        if let Some(queue) = self.programmed.as_mut() {
            c = queue
                .pop_front()
                .expect("programmed transcript ran out of challenges");
        }
        self.append_field(labels::CHALLENGE_OUT, &c);
        c
    }

    /// A challenge from the current state extended by `fs`, leaving the transcript
    /// unchanged (never a programmed value): the verifier's own weights for a random
    /// combination of checks, which must depend on everything the prover sent —
    /// including what the transcript does not absorb, passed in `fs`.
    /// Cost: one BLAKE3 update per byte of `fs`.
    pub fn side_challenge(&self, label: &[u8], fs: &[F]) -> F {
        let mut fork = Self {
            hasher: self.hasher.clone(),
            #[cfg(test)]
            programmed: None,
        };
        fork.append_fields(label, fs);
        fork.challenge(label)
    }

    /// Squeezes `n` challenges, one after another.
    pub fn challenges(&mut self, label: &[u8], n: usize) -> Vec<F> {
        (0..n).map(|_| self.challenge(label)).collect()
    }

    /// A transcript whose challenges are `challenges`, in order, whatever is absorbed:
    /// the random oracle programmed by a simulator (test-only). Both the simulator and
    /// the verifier run on such a transcript in the zero-knowledge tests.
    #[cfg(test)]
    pub(crate) fn programmed(protocol: &[u8], challenges: Vec<F>) -> Self {
        let mut t = Self::new(protocol);
        t.programmed = Some(challenges.into());
        t
    }

    /// The next programmed challenge, without consuming it (test-only; a simulator
    /// needs the challenge before it writes the message that precedes it).
    #[cfg(test)]
    pub(crate) fn peek_programmed(&self) -> F {
        self.peek_programmed_at(0)
    }

    /// The `i`-th next programmed challenge (0 = next), without consuming anything.
    #[cfg(test)]
    pub(crate) fn peek_programmed_at(&self, i: usize) -> F {
        *self
            .programmed
            .as_ref()
            .and_then(|q| q.get(i))
            .expect("transcript is not programmed or ran out of challenges")
    }

    /// The 32-byte digest of everything absorbed so far (does not change the state).
    pub fn digest(&self) -> [u8; 32] {
        *self.hasher.finalize().as_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_sensitive_to_every_input() {
        let run = |label: &[u8], data: &[u8]| {
            let mut t = Transcript::new(b"test");
            t.append_bytes(label, data);
            t.challenge(b"c")
        };
        assert_eq!(run(b"a", b"xyz"), run(b"a", b"xyz"));
        assert_ne!(run(b"a", b"xyz"), run(b"a", b"xy"));
        assert_ne!(run(b"a", b"xyz"), run(b"b", b"xyz"));
        // No concatenation ambiguity: ("ab","c") differs from ("a","bc").
        let mut t1 = Transcript::new(b"test");
        t1.append_bytes(b"l", b"ab");
        t1.append_bytes(b"l", b"c");
        let mut t2 = Transcript::new(b"test");
        t2.append_bytes(b"l", b"a");
        t2.append_bytes(b"l", b"bc");
        assert_ne!(t1.challenge(b"c"), t2.challenge(b"c"));
    }

    #[test]
    fn successive_challenges_differ() {
        let mut t = Transcript::new(b"test");
        let a = t.challenge(b"c");
        let b = t.challenge(b"c");
        assert_ne!(a, b);
        let v = t.challenges(b"c", 4);
        assert!(v.windows(2).all(|w| w[0] != w[1]));
    }

    #[test]
    fn ints_and_fields_are_domain_separated() {
        let mut t1 = Transcript::new(b"test");
        t1.append_ints(b"x", &[1]);
        let mut t2 = Transcript::new(b"test");
        t2.append_fields(b"x", &[F::from(1u64)]);
        assert_ne!(t1.digest(), t2.digest());
    }
}

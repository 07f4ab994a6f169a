//! Byte encoding of proofs: fixed-size field elements and points, lengths implied by
//! the verifying key's shapes. Decoding checks canonical encodings, refuses trailing
//! bytes, and never allocates more than the input could hold, so any byte string
//! decodes to an error or a well-formed value — never a panic.

use crate::error::Error;
use crate::field::{GAffine, F};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};

/// Bytes of one encoded field element.
pub const FIELD_BYTES: usize = 32;
/// Bytes of one compressed G1 point.
pub const POINT_BYTES: usize = 32;

/// Appends encodings to a byte vector.
#[derive(Default)]
pub struct Writer {
    /// The bytes written so far.
    pub bytes: Vec<u8>,
}

impl Writer {
    /// Appends one field element (32 bytes, canonical little-endian).
    pub fn field(&mut self, f: &F) {
        f.serialize_compressed(&mut self.bytes)
            .expect("writing to a Vec cannot fail");
    }
    /// Appends field elements back to back (no length prefix).
    pub fn fields(&mut self, fs: &[F]) {
        self.bytes.reserve(fs.len() * FIELD_BYTES);
        for f in fs {
            self.field(f);
        }
    }
    /// Appends one compressed point.
    pub fn point(&mut self, p: &GAffine) {
        p.serialize_compressed(&mut self.bytes)
            .expect("writing to a Vec cannot fail");
    }
    /// Appends a `u32` (little-endian).
    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    /// Appends a `u64` (little-endian).
    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    /// Appends a proof's points, then its scalars, in [`Skeleton`] order (what
    /// [`Reader::fill`] reads back). Cost: a copy of the proof and O(size).
    pub fn skeleton<S: Skeleton + Clone>(&mut self, proof: &S) {
        let mut p = proof.clone();
        for q in p.points_mut() {
            self.point(q);
        }
        for s in p.scalars_mut() {
            self.field(s);
        }
    }
}

/// Reads encodings from a byte slice, failing cleanly on anything malformed.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

/// A proof whose shape is fixed before reading (a skeleton of the right dimensions):
/// its points and scalars in encoding order, for [`Reader::fill`].
pub trait Skeleton {
    /// Every point, in encoding order.
    fn points_mut(&mut self) -> Vec<&mut GAffine>;
    /// Every scalar, in encoding order.
    fn scalars_mut(&mut self) -> Vec<&mut F>;
}

impl<'a> Reader<'a> {
    /// Starts reading `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    /// Reads exactly `n` raw bytes.
    pub fn take(&mut self, n: usize, what: &str) -> crate::Result<&'a [u8]> {
        if self.bytes.len() < n {
            return Err(Error::Malformed(format!("truncated while reading {what}")));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    /// Reads one canonical field element (values ≥ p are rejected).
    pub fn field(&mut self, what: &str) -> crate::Result<F> {
        let b = self.take(FIELD_BYTES, what)?;
        F::deserialize_with_mode(b, Compress::Yes, Validate::Yes)
            .map_err(|_| Error::Malformed(format!("{what}: not a canonical field element")))
    }

    /// Reads exactly `n` field elements.
    pub fn fields(&mut self, n: usize, what: &str) -> crate::Result<Vec<F>> {
        if self.bytes.len() / FIELD_BYTES < n {
            return Err(Error::Malformed(format!("truncated while reading {what}")));
        }
        (0..n).map(|_| self.field(what)).collect()
    }

    /// Reads one compressed point, checking it is on the curve and in the group.
    /// Encodings other than the canonical one (e.g. the point at infinity with stray
    /// bits) are rejected too, so every accepted proof has exactly one encoding.
    pub fn point(&mut self, what: &str) -> crate::Result<GAffine> {
        let b = self.take(POINT_BYTES, what)?;
        let p = GAffine::deserialize_with_mode(b, Compress::Yes, Validate::Yes)
            .map_err(|_| Error::Malformed(format!("{what}: not a valid G1 point")))?;
        let mut canonical = Vec::with_capacity(POINT_BYTES);
        p.serialize_compressed(&mut canonical)
            .expect("writing to a Vec cannot fail");
        if canonical != b {
            return Err(Error::Malformed(format!(
                "{what}: non-canonical point encoding"
            )));
        }
        Ok(p)
    }

    /// Reads a little-endian `u32`.
    pub fn u32(&mut self, what: &str) -> crate::Result<u32> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Reads a little-endian `u64`.
    pub fn u64(&mut self, what: &str) -> crate::Result<u64> {
        let b = self.take(8, what)?;
        Ok(u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }

    /// Number of bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.bytes.len()
    }

    /// Fills `proof`'s points, then its scalars ([`Skeleton`]), from the rest of the
    /// bytes, which must be exactly that many 32-byte encodings (`what` names the proof
    /// in errors), and checks nothing is left. Cost: one point decompression a point.
    pub fn fill<S: Skeleton>(mut self, proof: &mut S, what: &str) -> crate::Result<()> {
        let (n_points, n_scalars) = (proof.points_mut().len(), proof.scalars_mut().len());
        if self.remaining() != 32 * (n_points + n_scalars) {
            return Err(Error::Malformed(format!("{what} of the wrong length")));
        }
        for q in proof.points_mut() {
            *q = self.point(what)?;
        }
        for s in proof.scalars_mut() {
            *s = self.field(what)?;
        }
        self.finish()
    }

    /// Fails unless every byte has been consumed.
    pub fn finish(self) -> crate::Result<()> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(Error::Malformed(format!(
                "{} trailing bytes after the proof",
                self.bytes.len()
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::AffineRepr;
    use ark_ff::PrimeField;

    #[test]
    fn round_trip_and_rejections() {
        let mut w = Writer::default();
        w.field(&F::from(7u64));
        w.point(&GAffine::generator());
        w.u32(9);
        let mut r = Reader::new(&w.bytes);
        assert_eq!(r.field("f").unwrap(), F::from(7u64));
        assert_eq!(r.point("p").unwrap(), GAffine::generator());
        assert_eq!(r.u32("u").unwrap(), 9);
        r.finish().unwrap();
        // Truncation, trailing bytes, non-canonical field element, off-curve point.
        assert!(Reader::new(&w.bytes[..31]).field("f").is_err());
        let mut r = Reader::new(&w.bytes);
        r.field("f").unwrap();
        assert!(r.finish().is_err());
        let modulus_bytes = {
            let mut v = Vec::new();
            F::MODULUS.serialize_compressed(&mut v).unwrap();
            v
        };
        assert!(Reader::new(&modulus_bytes).field("f").is_err());
        assert!(Reader::new(&[0xffu8; 32]).point("p").is_err());
        // The point at infinity with a stray bit decodes, but is not canonical.
        let mut inf = Vec::new();
        GAffine::zero().serialize_compressed(&mut inf).unwrap();
        assert!(Reader::new(&inf).point("p").is_ok());
        inf[3] ^= 1;
        assert!(Reader::new(&inf).point("p").is_err());
        assert!(Reader::new(&[0u8; 64]).fields(3, "v").is_err());
    }
}

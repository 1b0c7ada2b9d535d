//! Hash functions and HMAC, chosen at run time. Every tag comparison goes through
//! [`KeyedMac::verify`], which is constant-time (`Mac::verify_slice`).

use std::fmt;
use std::str::FromStr;

use hmac::{Hmac, KeyInit as _, Mac as _};
use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A hash function of the SHA family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Digest {
    /// SHA-1 (itsdangerous' and Flask's default; 20 bytes).
    Sha1,
    /// SHA-224 (28 bytes).
    Sha224,
    /// SHA-256 (32 bytes).
    Sha256,
    /// SHA-384 (48 bytes).
    Sha384,
    /// SHA-512 (64 bytes).
    Sha512,
}

impl Digest {
    /// Every digest, shortest first.
    pub const ALL: [Digest; 5] = [
        Digest::Sha1,
        Digest::Sha224,
        Digest::Sha256,
        Digest::Sha384,
        Digest::Sha512,
    ];

    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Digest::Sha1 => 20,
            Digest::Sha224 => 28,
            Digest::Sha256 => 32,
            Digest::Sha384 => 48,
            Digest::Sha512 => 64,
        }
    }

    /// The digest whose output has exactly `len` bytes.
    pub fn from_len(len: usize) -> Option<Digest> {
        Digest::ALL.into_iter().find(|d| d.output_len() == len)
    }

    /// The digest whose output, base64-encoded without padding, has `chars` characters.
    pub fn from_b64_len(chars: usize) -> Option<Digest> {
        Digest::ALL
            .into_iter()
            .find(|d| (d.output_len() * 4).div_ceil(3) == chars)
    }

    /// The name used on the command line and by hashlib (`sha256`).
    pub fn name(self) -> &'static str {
        match self {
            Digest::Sha1 => "sha1",
            Digest::Sha224 => "sha224",
            Digest::Sha256 => "sha256",
            Digest::Sha384 => "sha384",
            Digest::Sha512 => "sha512",
        }
    }

    /// `H(parts[0] || parts[1] || ...)` on the stack (no allocation).
    pub fn hash_tag(self, parts: &[&[u8]]) -> Tag {
        fn run<D: sha2::Digest>(parts: &[&[u8]]) -> Tag {
            let mut h = D::new();
            for p in parts {
                h.update(p);
            }
            Tag::new(&h.finalize())
        }
        match self {
            Digest::Sha1 => run::<Sha1>(parts),
            Digest::Sha224 => run::<Sha224>(parts),
            Digest::Sha256 => run::<Sha256>(parts),
            Digest::Sha384 => run::<Sha384>(parts),
            Digest::Sha512 => run::<Sha512>(parts),
        }
    }

    /// `H(parts[0] || parts[1] || ...)`.
    pub fn hash(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: sha2::Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut h = D::new();
            for p in parts {
                h.update(p);
            }
            h.finalize().to_vec()
        }
        match self {
            Digest::Sha1 => run::<Sha1>(parts),
            Digest::Sha224 => run::<Sha224>(parts),
            Digest::Sha256 => run::<Sha256>(parts),
            Digest::Sha384 => run::<Sha384>(parts),
            Digest::Sha512 => run::<Sha512>(parts),
        }
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Digest {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.to_ascii_lowercase().replace('-', "");
        Digest::ALL
            .into_iter()
            .find(|d| d.name() == lower)
            .ok_or_else(|| {
                format!("unknown digest {s:?} (expected sha1, sha224, sha256, sha384 or sha512)")
            })
    }
}

/// An HMAC already keyed: keying (hashing long keys, the inner and outer pads) happens once, and
/// each message only clones the prepared state.
#[derive(Clone)]
pub enum KeyedMac {
    /// HMAC-SHA1.
    Sha1(Hmac<Sha1>),
    /// HMAC-SHA224.
    Sha224(Hmac<Sha224>),
    /// HMAC-SHA256.
    Sha256(Hmac<Sha256>),
    /// HMAC-SHA384.
    Sha384(Hmac<Sha384>),
    /// HMAC-SHA512.
    Sha512(Hmac<Sha512>),
}

impl fmt::Debug for KeyedMac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyedMac({}, <redacted>)", self.digest())
    }
}

/// A MAC tag of at most 64 bytes, kept on the stack.
#[derive(Clone, Copy)]
pub struct Tag {
    bytes: [u8; 64],
    len: usize,
}

impl Tag {
    fn new(src: &[u8]) -> Self {
        let mut bytes = [0u8; 64];
        let len = src.len().min(64);
        bytes[..len].copy_from_slice(&src[..len]);
        Self { bytes, len }
    }

    /// The tag bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Overwrites the bytes with zeros (for tags used as derived keys).
    pub fn wipe(&mut self) {
        Zeroize::zeroize(&mut self.bytes);
    }
}

macro_rules! each_mac {
    ($self:expr, $m:ident => $body:expr) => {
        match $self {
            KeyedMac::Sha1($m) => $body,
            KeyedMac::Sha224($m) => $body,
            KeyedMac::Sha256($m) => $body,
            KeyedMac::Sha384($m) => $body,
            KeyedMac::Sha512($m) => $body,
        }
    };
}

impl KeyedMac {
    /// HMAC keyed with `key` (any length: HMAC hashes long keys).
    pub fn new(digest: Digest, key: &[u8]) -> Self {
        // `new_from_slice` accepts keys of every length for HMAC; the error arm cannot happen.
        match digest {
            Digest::Sha1 => {
                KeyedMac::Sha1(Hmac::new_from_slice(key).unwrap_or_else(|_| unreachable!()))
            }
            Digest::Sha224 => {
                KeyedMac::Sha224(Hmac::new_from_slice(key).unwrap_or_else(|_| unreachable!()))
            }
            Digest::Sha256 => {
                KeyedMac::Sha256(Hmac::new_from_slice(key).unwrap_or_else(|_| unreachable!()))
            }
            Digest::Sha384 => {
                KeyedMac::Sha384(Hmac::new_from_slice(key).unwrap_or_else(|_| unreachable!()))
            }
            Digest::Sha512 => {
                KeyedMac::Sha512(Hmac::new_from_slice(key).unwrap_or_else(|_| unreachable!()))
            }
        }
    }

    /// Which hash this MAC uses.
    pub fn digest(&self) -> Digest {
        match self {
            KeyedMac::Sha1(_) => Digest::Sha1,
            KeyedMac::Sha224(_) => Digest::Sha224,
            KeyedMac::Sha256(_) => Digest::Sha256,
            KeyedMac::Sha384(_) => Digest::Sha384,
            KeyedMac::Sha512(_) => Digest::Sha512,
        }
    }

    /// The tag of `parts` concatenated.
    pub fn tag(&self, parts: &[&[u8]]) -> Tag {
        each_mac!(self, m => {
            let mut m = m.clone();
            for p in parts {
                m.update(p);
            }
            Tag::new(&m.finalize().into_bytes())
        })
    }

    /// Whether `tag` is the MAC of `parts`, compared in constant time.
    pub fn verify(&self, parts: &[&[u8]], tag: &[u8]) -> bool {
        each_mac!(self, m => {
            let mut m = m.clone();
            for p in parts {
                m.update(p);
            }
            m.verify_slice(tag).is_ok()
        })
    }
}

/// One-shot HMAC.
pub fn hmac(digest: Digest, key: &[u8], parts: &[&[u8]]) -> Tag {
    KeyedMac::new(digest, key).tag(parts)
}

/// HMAC-SHA1 over a message fixed in advance, for trying many keys: the message is padded once
/// (as the tail of the inner hash, after the 64-byte key block) and each key costs exactly its
/// compressions — two pad blocks, the message blocks and one outer block — with no allocation
/// and no buffering, straight on `sha1`'s compression function (SHA extensions when the CPU
/// has them). The key audit's scalar chain: its multi-buffer backends ([`crate::core::sha1x2`])
/// start from the same padded blocks.
pub struct PreparedSha1 {
    blocks: Vec<[u8; 64]>,
}

/// SHA-1's initial state.
pub(crate) const SHA1_H0: [u32; 5] = [
    0x6745_2301,
    0xEFCD_AB89,
    0x98BA_DCFE,
    0x1032_5476,
    0xC3D2_E1F0,
];

impl PreparedSha1 {
    /// Prepares `message`.
    pub fn new(message: &[u8]) -> Self {
        let bits = ((64 + message.len()) as u64).wrapping_mul(8);
        let mut bytes = message.to_vec();
        bytes.push(0x80);
        while bytes.len() % 64 != 56 {
            bytes.push(0);
        }
        bytes.extend_from_slice(&bits.to_be_bytes());
        let blocks = bytes
            .chunks_exact(64)
            .map(|c| {
                let mut b = [0u8; 64];
                b.copy_from_slice(c);
                b
            })
            .collect();
        Self { blocks }
    }

    /// The padded message blocks (multi-buffer SHA-1 precomputes their schedules).
    #[cfg(target_arch = "x86_64")]
    pub(crate) fn blocks(&self) -> &[[u8; 64]] {
        &self.blocks
    }
}

/// Working buffers of [`PreparedSha1::hmac_with`]: reused from one candidate key to the next (each
/// call overwrites all of them), wiped when dropped. The audit keeps one per worker thread (in
/// its [`crate::core::sha1x2::Sha1Lanes`]), so its inner loop neither allocates nor pays for
/// wiping every candidate.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Sha1Scratch {
    pad: [u8; 64],
    last: [u8; 64],
    /// The last HMAC's output.
    pub out: [u8; 20],
    /// A derived key (the first HMAC's output, keying the second).
    pub key: [u8; 20],
}

impl Default for Sha1Scratch {
    fn default() -> Self {
        Self {
            pad: [0; 64],
            last: [0; 64],
            out: [0; 20],
            key: [0; 20],
        }
    }
}

impl PreparedSha1 {
    /// `HMAC-SHA1(key, message)` into `scratch.out`, for keys up to 64 bytes (HMAC hashes longer
    /// keys first: hash them, then use [`PreparedSha1::hmac_with_derived`]). Returns false,
    /// computing nothing, for a longer key.
    pub fn hmac_with(&self, key: &[u8], scratch: &mut Sha1Scratch) -> bool {
        if key.len() > 64 {
            return false;
        }
        scratch.pad = [0x36; 64];
        for (p, k) in scratch.pad.iter_mut().zip(key) {
            *p ^= k;
        }
        self.finish(scratch);
        true
    }

    /// `HMAC-SHA1(scratch.key, message)` into `scratch.out`: the second step of a derivation.
    pub fn hmac_with_derived(&self, scratch: &mut Sha1Scratch) {
        scratch.pad = [0x36; 64];
        for (p, k) in scratch.pad.iter_mut().zip(scratch.key) {
            *p ^= k;
        }
        self.finish(scratch);
    }

    /// Both compressions chains of the HMAC, from the ipad block in `scratch.pad`.
    fn finish(&self, scratch: &mut Sha1Scratch) {
        use sha1::block_api::compress;
        let mut inner = SHA1_H0;
        compress(&mut inner, std::slice::from_ref(&scratch.pad));
        compress(&mut inner, &self.blocks);
        for b in scratch.pad.iter_mut() {
            *b ^= 0x36 ^ 0x5c;
        }
        let mut outer = SHA1_H0;
        compress(&mut outer, std::slice::from_ref(&scratch.pad));
        let last = &mut scratch.last;
        for (i, w) in inner.iter().enumerate() {
            last[4 * i..4 * i + 4].copy_from_slice(&w.to_be_bytes());
        }
        last[20] = 0x80;
        last[21..56].fill(0);
        last[56..].copy_from_slice(&((64u64 + 20) * 8).to_be_bytes());
        compress(&mut outer, std::slice::from_ref(last));
        for (i, w) in outer.iter().enumerate() {
            scratch.out[4 * i..4 * i + 4].copy_from_slice(&w.to_be_bytes());
        }
    }
}

/// Constant-time equality of two byte strings (lengths are not secret).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq as _;
    bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encoding::b64url_nopad;

    #[test]
    fn prepared_sha1_matches_the_hmac_crate_for_every_key_and_message_length() {
        let bytes: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        for msg_len in [0, 1, 19, 54, 55, 56, 63, 64, 65, 119, 120, 200, 300] {
            let message = &bytes[..msg_len];
            let prepared = PreparedSha1::new(message);
            for key_len in [0, 1, 20, 63, 64, 65, 100, 200] {
                let key = &bytes[300 - key_len..];
                let expected = hmac(Digest::Sha1, key, &[message]);
                // Scratch reused after another key gives the same bytes.
                let mut scratch = Sha1Scratch::default();
                assert!(prepared.hmac_with(&[0xff; 64], &mut scratch));
                if key_len <= 64 {
                    assert!(prepared.hmac_with(key, &mut scratch));
                    assert_eq!(
                        &scratch.out[..],
                        expected.as_bytes(),
                        "message {msg_len} bytes, key {key_len} bytes"
                    );
                } else {
                    assert!(!prepared.hmac_with(key, &mut scratch));
                }
                // The second step of a derivation: a 20-byte key in `scratch.key`.
                let derived: [u8; 20] = std::array::from_fn(|i| i as u8 ^ key_len as u8);
                scratch.key = derived;
                prepared.hmac_with_derived(&mut scratch);
                assert_eq!(
                    &scratch.out[..],
                    hmac(Digest::Sha1, &derived, &[message]).as_bytes()
                );
            }
        }
    }

    #[test]
    fn hmac_matches_python() {
        // hmac.new(b"secret", b"value", hashlib.sha1), base64url without padding.
        let tag = hmac(Digest::Sha1, b"secret", &[b"val", b"ue"]);
        assert_eq!(b64url_nopad(tag.as_bytes()), "Mwty04TfQa30QOHYrrVDq3Puy4o");
        let m = KeyedMac::new(Digest::Sha1, b"secret");
        assert!(m.verify(&[b"value"], tag.as_bytes()));
        assert!(!m.verify(&[b"value!"], tag.as_bytes()));
        assert!(!m.verify(&[b"value"], &tag.as_bytes()[..19]));
    }

    #[test]
    fn lengths_and_names() {
        for d in Digest::ALL {
            assert_eq!(d.hash(&[b"x"]).len(), d.output_len());
            assert_eq!(hmac(d, b"k", &[b"x"]).as_bytes().len(), d.output_len());
            assert_eq!(d.name().parse::<Digest>(), Ok(d));
            assert_eq!(Digest::from_len(d.output_len()), Some(d));
            let chars = b64url_nopad(&vec![0; d.output_len()]).len();
            assert_eq!(Digest::from_b64_len(chars), Some(d));
        }
        assert!("md5".parse::<Digest>().is_err());
    }
}

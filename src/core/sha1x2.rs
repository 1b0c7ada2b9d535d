//! Multi-buffer SHA-1: for the key audit, many candidate keys of one SHA-1 signature hashed at
//! once ([`Sha1Search`]); for the rotation preview, one key over many cookies
//! ([`Sha1KeyBatch`]).
//!
//! Testing a candidate against an itsdangerous SHA-1 cookie is a short chain of compressions,
//! each needing the one before (Flask: 9, `HMAC(candidate, salt)` then `HMAC(that, cookie)`). One
//! chain at a time leaves the CPU waiting on each instruction's latency; independent candidates
//! side by side keep its units busy. Three backends, the fastest the CPU has chosen at run time:
//!
//! * [`Backend::Avx512`]: 16 candidates, one per 32-bit lane of 512-bit vectors. SHA-1's rotations
//!   and round functions are one instruction each (`vprold`, `vpternlogd`), so a compression costs
//!   about 800 vector instructions for 16 candidates: on a Sapphire Rapids core, 3.5 times the
//!   candidates per second of the SHA extensions below (`benches/audit.rs`, `flask_search`).
//! * [`Backend::ShaNi`]: the SHA extensions (`sha1rnds4`, `sha1nexte`, `sha1msg1/2`), two
//!   candidates' compressions interleaved so that one fills the other's latency: 1.7 times the
//!   portable backend there. More lanes do not help: `sha1msg2`'s throughput, not latency, is
//!   then the limit, and four lanes' registers no longer fit the 16 that SHA instructions reach.
//! * [`Backend::Portable`]: the `sha1` crate's compression, one candidate after the other (every
//!   CPU and architecture).
//!
//! Blocks that do not depend on the candidate (the salt, the signed cookie) have their message
//! schedule computed once per cookie, so their compressions are rounds only.
//!
//! # Safety
//!
//! This is the crate's one module with `unsafe` code, of two kinds:
//!
//! * Calls of the `#[target_feature]` functions of the `avx512` and `ni` submodules. Each call is
//!   made only right after [`Backend::is_available`] returned true for that backend, that is after
//!   the standard library's run-time CPU detection (`is_x86_feature_detected!`, cached by std)
//!   confirmed every feature the function enables; CPU features do not disappear while a process
//!   runs.
//! * Raw-pointer vector loads, gathers and stores (`_mm_loadu_si128`, `_mm512_i32gather_epi32`,
//!   ...) into fixed-size arrays. Each site states why every byte it touches lies inside the array
//!   its pointer comes from; all of them are unaligned accesses, so alignment is never assumed.
//!
//! The working buffers that hold candidates ([`Sha1Lanes`]) are wiped when dropped; like the
//! `sha1` crate's own compression, the vector registers and their stack spills are not.

#![allow(unsafe_code)]

use std::sync::OnceLock;

use sha1::{Digest as _, Sha1};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::core::mac::{PreparedSha1, Sha1Scratch, ct_eq};

/// Candidates one round of [`Sha1Search::check`] hashes together: the AVX-512 width (the other
/// backends go through them two at a time or one at a time).
pub const LANES: usize = 16;

// What the vector backends share (x86-64 only).

/// SHA-1's round constants, one per 20 rounds.
#[cfg(target_arch = "x86_64")]
const K: [u32; 4] = [0x5A82_7999, 0x6ED9_EBA1, 0x8F1B_BCDC, 0xCA62_C1D6];
/// HMAC's inner and outer pads, as 32-bit words.
#[cfg(target_arch = "x86_64")]
const IPAD: u32 = 0x3636_3636;
#[cfg(target_arch = "x86_64")]
const OPAD: u32 = 0x5c5c_5c5c;
/// Words 5 and 15 of an HMAC's last outer block, after the 20-byte inner digest (words 0 to 4):
/// the padding's `0x80` byte and the message length, (64 + 20) bytes, in bits.
#[cfg(target_arch = "x86_64")]
const LAST_W5: u32 = 0x8000_0000;
#[cfg(target_arch = "x86_64")]
const LAST_W15: u32 = (64 + 20) * 8;

/// A way of running many SHA-1 compressions at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// 16 lanes of AVX-512 (F and BW).
    Avx512,
    /// The SHA extensions, two compressions interleaved.
    ShaNi,
    /// One compression after the other, on the `sha1` crate.
    Portable,
}

impl Backend {
    /// Every backend, fastest first.
    pub const ALL: [Backend; 3] = [Backend::Avx512, Backend::ShaNi, Backend::Portable];

    /// The fastest backend this CPU runs (detected on first use, then remembered).
    pub fn detect() -> Backend {
        static BEST: OnceLock<Backend> = OnceLock::new();
        *BEST.get_or_init(|| {
            Backend::ALL
                .into_iter()
                .find(|b| b.is_available())
                .unwrap_or(Backend::Portable)
        })
    }

    /// Whether this CPU has every instruction the backend uses.
    pub fn is_available(self) -> bool {
        match self {
            #[cfg(target_arch = "x86_64")]
            Backend::Avx512 => {
                std::is_x86_feature_detected!("avx512f")
                    && std::is_x86_feature_detected!("avx512bw")
            }
            #[cfg(target_arch = "x86_64")]
            Backend::ShaNi => {
                std::is_x86_feature_detected!("sha")
                    && std::is_x86_feature_detected!("sse2")
                    && std::is_x86_feature_detected!("ssse3")
                    && std::is_x86_feature_detected!("sse4.1")
            }
            #[cfg(not(target_arch = "x86_64"))]
            Backend::Avx512 | Backend::ShaNi => false,
            Backend::Portable => true,
        }
    }

    /// A short name (`avx512`, `sha-ni`, `portable`) for benchmarks and reports.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Avx512 => "avx512",
            Backend::ShaNi => "sha-ni",
            Backend::Portable => "portable",
        }
    }

    /// [`LANES`] independent SHA-1 compressions: `states[i]` absorbs `blocks[i]`, exactly as
    /// `sha1::block_api::compress` would one by one. A backend this CPU lacks runs as
    /// [`Backend::Portable`].
    pub fn compress(self, states: &mut [[u32; 5]; LANES], blocks: &[[u8; 64]; LANES]) {
        match self {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: the CPU has AVX-512 F and BW (checked just now), all `avx512` enables.
            Backend::Avx512 if self.is_available() => unsafe {
                avx512::compress_lanes(states, blocks)
            },
            #[cfg(target_arch = "x86_64")]
            Backend::ShaNi if self.is_available() => {
                for (s, b) in states.chunks_exact_mut(2).zip(blocks.chunks_exact(2)) {
                    // SAFETY: the CPU has SHA, SSE2, SSSE3 and SSE4.1 (checked just now), all
                    // `ni` enables.
                    unsafe { ni::compress_pair(s, b) }
                }
            }
            _ => {
                for (s, b) in states.iter_mut().zip(blocks) {
                    sha1::block_api::compress(s, std::slice::from_ref(b));
                }
            }
        }
    }
}

/// The message schedule of a block every candidate shares, computed once, in each vector
/// backend's layout.
#[cfg(target_arch = "x86_64")]
struct Schedule {
    /// `W[t] + K[t / 20]` for the 80 rounds, broadcast to every lane by the AVX-512 rounds.
    kw: [u32; 80],
    /// `W[t]` by groups of four rounds as `sha1rnds4` takes them: group `g` holds `W[4g+3]`,
    /// `W[4g+2]`, `W[4g+1]`, `W[4g]` from lane 0 up.
    ni: [[u32; 4]; 20],
}

#[cfg(target_arch = "x86_64")]
impl Schedule {
    fn new(block: &[u8; 64]) -> Self {
        let mut w = [0u32; 80];
        for (word, bytes) in w.iter_mut().zip(block.chunks_exact(4)) {
            *word = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        for t in 16..80 {
            w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
        }
        Self {
            kw: std::array::from_fn(|t| w[t].wrapping_add(K[t / 20])),
            ni: std::array::from_fn(|g| [w[4 * g + 3], w[4 * g + 2], w[4 * g + 1], w[4 * g]]),
        }
    }
}

/// A message that many keys authenticate: its blocks padded as the tail of an HMAC's inner hash
/// (after the 64-byte key block), and their schedules.
struct Fixed {
    prepared: PreparedSha1,
    #[cfg(target_arch = "x86_64")]
    schedules: Vec<Schedule>,
}

impl Fixed {
    fn new(message: &[u8]) -> Self {
        let prepared = PreparedSha1::new(message);
        Self {
            #[cfg(target_arch = "x86_64")]
            schedules: prepared.blocks().iter().map(Schedule::new).collect(),
            prepared,
        }
    }
}

/// How a candidate becomes the key of the HMAC that signs the message (itsdangerous'
/// `key_derivation`).
#[derive(Debug, Clone, Copy)]
pub enum Derivation<'a> {
    /// The candidate itself (`none`).
    None,
    /// `HMAC-SHA1(candidate, salt)` (`hmac`: Flask).
    Hmac {
        /// The salt.
        salt: &'a [u8],
    },
    /// `SHA-1(prefix || candidate)` (`concat` with the salt as the prefix, `django-concat` with
    /// the salt and `signer`).
    Hash {
        /// The bytes hashed before the candidate.
        prefix: &'a [u8],
    },
}

enum Derive {
    None,
    Hmac(Fixed),
    /// A hasher that has absorbed the prefix.
    Hash(Sha1),
}

/// One HMAC-SHA1 signature, ready to test candidate keys many at a time: each candidate is
/// derived into an HMAC key ([`Derivation`]) that signs the message, and matches when the tag
/// equals the signature. Only the hashing depends on the candidate; everything else is prepared
/// here once.
pub struct Sha1Search {
    derive: Derive,
    message: Fixed,
    signature: [u8; 20],
    /// The signature as SHA-1 state words (for the vector backends' comparisons).
    #[cfg(target_arch = "x86_64")]
    expected: [u32; 5],
    backend: Backend,
}

impl Sha1Search {
    /// The search for the key that made `signature` over `message`, on this CPU's fastest backend.
    pub fn new(derivation: Derivation<'_>, message: &[u8], signature: &[u8; 20]) -> Self {
        let derive = match derivation {
            Derivation::None => Derive::None,
            Derivation::Hmac { salt } => Derive::Hmac(Fixed::new(salt)),
            Derivation::Hash { prefix } => Derive::Hash(Sha1::new_with_prefix(prefix)),
        };
        Self {
            derive,
            message: Fixed::new(message),
            signature: *signature,
            #[cfg(target_arch = "x86_64")]
            expected: std::array::from_fn(|i| {
                let [a, b, c, d] = [0, 1, 2, 3].map(|j| signature[4 * i + j]);
                u32::from_be_bytes([a, b, c, d])
            }),
            backend: Backend::detect(),
        }
    }

    /// The same search on `backend` (benchmarks and tests); `None` when this CPU lacks it.
    pub fn with_backend(mut self, backend: Backend) -> Option<Self> {
        backend.is_available().then(|| {
            self.backend = backend;
            self
        })
    }

    /// The backend it runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Which of `candidates` are the key: bit `i` of the result is set when `candidates[i]` is.
    /// Any number of candidates of any length; only the first 64 are looked at (a bit each),
    /// callers hand over [`LANES`] at a time.
    pub fn check(&self, candidates: &[&[u8]], lanes: &mut Sha1Lanes) -> u64 {
        debug_assert!(candidates.len() <= 64, "a bit per candidate in a u64");
        let mut hits = 0u64;
        for (round, chunk) in candidates.chunks(LANES).take(64 / LANES).enumerate() {
            for (slot, candidate) in lanes.keys.iter_mut().zip(chunk) {
                self.key_block(slot, candidate);
            }
            // Lanes past the chunk hold stale keys: their bits are dropped.
            let mask = (1u64 << chunk.len()) - 1;
            hits |= (self.check_lanes(lanes, chunk.len()) & mask) << (round * LANES);
        }
        hits
    }

    /// Whether `candidate` is the key, on its own (no vector backend: one candidate is one chain).
    pub fn check_one(&self, candidate: &[u8], lanes: &mut Sha1Lanes) -> bool {
        let Sha1Lanes { keys, single } = lanes;
        self.key_block(&mut keys[0], candidate);
        self.check_portable(&keys[0], single)
    }

    /// The HMAC key block of `candidate`: the key the message's HMAC takes (the candidate, or its
    /// SHA-1 when longer than a block as HMAC does, or its `Hash` derivation), zero-padded to 64
    /// bytes. Zero padding is what HMAC does to short keys, so every backend takes 64-byte keys.
    fn key_block(&self, slot: &mut [u8; 64], candidate: &[u8]) {
        let digest = match &self.derive {
            Derive::Hash(absorbed) => {
                let mut h = absorbed.clone();
                h.update(candidate);
                h.finalize()
            }
            Derive::None | Derive::Hmac(_) if candidate.len() > 64 => Sha1::digest(candidate),
            Derive::None | Derive::Hmac(_) => {
                slot[..candidate.len()].copy_from_slice(candidate);
                slot[candidate.len()..].fill(0);
                return;
            }
        };
        slot[..20].copy_from_slice(&digest);
        slot[20..].fill(0);
    }

    /// The hit mask of the first `n` key blocks in `lanes`. AVX-512 computes all [`LANES`], SHA-NI
    /// whole pairs: bits past `n` are meaningless.
    fn check_lanes(&self, lanes: &mut Sha1Lanes, n: usize) -> u64 {
        match self.backend {
            #[cfg(target_arch = "x86_64")]
            Backend::Avx512 if Backend::Avx512.is_available() => {
                // SAFETY: the CPU has AVX-512 F and BW (checked just now), all `avx512` enables.
                u64::from(unsafe { avx512::search(self, &lanes.keys) })
            }
            #[cfg(target_arch = "x86_64")]
            Backend::ShaNi if Backend::ShaNi.is_available() => {
                let mut hits = 0u64;
                for (i, pair) in lanes.keys.chunks_exact(2).take(n.div_ceil(2)).enumerate() {
                    // SAFETY: the CPU has SHA, SSE2, SSSE3 and SSE4.1 (checked just now), all
                    // `ni` enables.
                    let pair_hits = unsafe { ni::search_pair(self, [&pair[0], &pair[1]]) };
                    hits |= u64::from(pair_hits) << (2 * i);
                }
                hits
            }
            _ => {
                let Sha1Lanes { keys, single } = lanes;
                keys.iter().take(n).enumerate().fold(0, |hits, (i, key)| {
                    hits | (u64::from(self.check_portable(key, single)) << i)
                })
            }
        }
    }

    /// One key block through `PreparedSha1`'s scalar chain.
    fn check_portable(&self, key: &[u8; 64], s: &mut Sha1Scratch) -> bool {
        // A 64-byte key always fits `hmac_with`.
        let fits = match &self.derive {
            Derive::Hmac(salt) => {
                let fits = salt.prepared.hmac_with(key, s);
                s.key = s.out;
                self.message.prepared.hmac_with_derived(s);
                fits
            }
            Derive::None | Derive::Hash(_) => self.message.prepared.hmac_with(key, s),
        };
        fits && ct_eq(&s.out, &self.signature)
    }
}

/// Working buffers of [`Sha1Search`]: the candidates' key blocks, one per lane, and the scalar
/// chain's buffers. Reused from one batch to the next (each overwrites what it uses), wiped when
/// dropped: the audit keeps one per worker thread.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Sha1Lanes {
    keys: [[u8; 64]; LANES],
    single: Sha1Scratch,
}

impl Default for Sha1Lanes {
    fn default() -> Self {
        Self {
            keys: [[0; 64]; LANES],
            single: Sha1Scratch::default(),
        }
    }
}

/// HMAC-SHA1 under one key over many messages: the rotation preview's side of this module (one
/// key set, a batch of cookies). The key's inner and outer pad blocks are compressed once; then,
/// with AVX-512, 16 messages go through their compressions side by side (messages of a like
/// number of blocks together); the other backends take one message after the other, from the same
/// prepared states.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Sha1KeyBatch {
    /// The state after the key block XOR ipad, and after the key block XOR opad.
    inner: [u32; 5],
    outer: [u32; 5],
    #[zeroize(skip)]
    backend: Backend,
}

/// Blocks of `len` message bytes after HMAC's 64-byte key block, padding included.
fn inner_blocks(len: usize) -> usize {
    (len + 8) / 64 + 1
}

/// Block `i` of `message` padded as the tail of an HMAC's inner hash (after the key block).
fn inner_block(message: &[u8], i: usize, block: &mut [u8; 64]) {
    let start = 64 * i;
    let rest = message.get(start..).unwrap_or_default();
    let take = rest.len().min(64);
    block[..take].copy_from_slice(&rest[..take]);
    block[take..].fill(0);
    if take < 64 && start + take == message.len() {
        block[take] = 0x80;
    }
    if i + 1 == inner_blocks(message.len()) {
        let bits = ((64 + message.len()) as u64).wrapping_mul(8);
        block[56..].copy_from_slice(&bits.to_be_bytes());
    }
}

impl Sha1KeyBatch {
    /// The HMAC keyed by `key_block`: the key as HMAC takes it, zero-padded to 64 bytes (hashed
    /// first when longer than a block). On this CPU's fastest backend.
    pub fn new(key_block: &[u8; 64]) -> Self {
        Self::with_backend(key_block, Backend::detect())
    }

    /// The same on `backend` (tests and benchmarks); one the CPU lacks runs as portable.
    pub fn with_backend(key_block: &[u8; 64], backend: Backend) -> Self {
        let mut pad = Zeroizing::new([0u8; 64]);
        let mut state = |byte: u8| {
            for (p, k) in pad.iter_mut().zip(key_block) {
                *p = k ^ byte;
            }
            let mut state = crate::core::mac::SHA1_H0;
            sha1::block_api::compress(&mut state, std::slice::from_ref(&*pad));
            state
        };
        let (inner, outer) = (state(0x36), state(0x5c));
        Self {
            inner,
            outer,
            backend,
        }
    }

    /// `tags[i] = HMAC-SHA1(key, messages[i])` for every message (`tags` as long as `messages`).
    pub fn tags(&self, messages: &[&[u8]], tags: &mut [[u8; 20]]) {
        assert_eq!(messages.len(), tags.len(), "a tag per message");
        if self.backend == Backend::Avx512 && self.backend.is_available() && messages.len() >= 4 {
            self.tags_in_lanes(messages, tags);
        } else {
            for (m, t) in messages.iter().zip(tags.iter_mut()) {
                *t = self.tag_one(m);
            }
        }
    }

    /// [`Sha1KeyBatch::tags`] through [`Backend::compress`], [`LANES`] messages at a time: what
    /// AVX-512 runs (the other backends compute the same, without gaining from it; the tests
    /// run it on each).
    fn tags_in_lanes(&self, messages: &[&[u8]], tags: &mut [[u8; 20]]) {
        // Messages of a like length side by side, so that few lanes idle.
        let mut order: Vec<usize> = (0..messages.len()).collect();
        order.sort_unstable_by_key(|&i| messages[i].len());
        for group in order.chunks(LANES) {
            let mut states = [self.inner; LANES];
            let mut done = [[0u32; 5]; LANES];
            let mut blocks = [[0u8; 64]; LANES];
            let counts: Vec<usize> = group
                .iter()
                .map(|&i| inner_blocks(messages[i].len()))
                .collect();
            let most = counts.iter().copied().max().unwrap_or(0);
            for b in 0..most {
                for (lane, &i) in group.iter().enumerate() {
                    // A lane whose message has ended hashes its last block again: its result
                    // was kept in `done`.
                    if b < counts[lane] {
                        inner_block(messages[i], b, &mut blocks[lane]);
                    }
                }
                self.backend.compress(&mut states, &blocks);
                for lane in 0..group.len() {
                    if b + 1 == counts[lane] {
                        done[lane] = states[lane];
                    }
                }
            }
            let mut outer = [self.outer; LANES];
            for (lane, block) in blocks.iter_mut().enumerate() {
                outer_block(&done[lane], block);
            }
            self.backend.compress(&mut outer, &blocks);
            for (lane, &i) in group.iter().enumerate() {
                tags[i] = state_bytes(&outer[lane]);
            }
            // States that started from the key's: as good as the key for extending a message.
            states.zeroize();
            done.zeroize();
            outer.zeroize();
            blocks.zeroize();
        }
    }

    /// One message through the scalar compression (SHA extensions when the CPU has them).
    fn tag_one(&self, message: &[u8]) -> [u8; 20] {
        let mut state = self.inner;
        let mut block = [0u8; 64];
        for b in 0..inner_blocks(message.len()) {
            inner_block(message, b, &mut block);
            sha1::block_api::compress(&mut state, std::slice::from_ref(&block));
        }
        outer_block(&state, &mut block);
        let mut outer = self.outer;
        sha1::block_api::compress(&mut outer, std::slice::from_ref(&block));
        let tag = state_bytes(&outer);
        state.zeroize();
        outer.zeroize();
        block.zeroize();
        tag
    }
}

/// HMAC's last outer block: the inner digest, then its padding ((64 + 20) bytes, in bits).
fn outer_block(inner: &[u32; 5], block: &mut [u8; 64]) {
    block[..20].copy_from_slice(&state_bytes(inner));
    block[20] = 0x80;
    block[21..56].fill(0);
    block[56..].copy_from_slice(&((64u64 + 20) * 8).to_be_bytes());
}

fn state_bytes(state: &[u32; 5]) -> [u8; 20] {
    let mut out = [0u8; 20];
    for (o, w) in out.chunks_exact_mut(4).zip(state) {
        o.copy_from_slice(&w.to_be_bytes());
    }
    out
}

/// 16 candidates in the 32-bit lanes of 512-bit vectors: `V[i]` holds word `i` of every lane.
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::*;

    use super::{IPAD, K, LANES, LAST_W5, LAST_W15, OPAD, Sha1Search};
    use crate::core::mac::SHA1_H0;

    type V = __m512i;

    #[target_feature(enable = "avx512f,avx512bw")]
    fn splat(x: u32) -> V {
        _mm512_set1_epi32(x as i32)
    }

    #[target_feature(enable = "avx512f,avx512bw")]
    fn add(a: V, b: V) -> V {
        _mm512_add_epi32(a, b)
    }

    #[target_feature(enable = "avx512f,avx512bw")]
    fn initial() -> [V; 5] {
        [
            splat(SHA1_H0[0]),
            splat(SHA1_H0[1]),
            splat(SHA1_H0[2]),
            splat(SHA1_H0[3]),
            splat(SHA1_H0[4]),
        ]
    }

    /// Round `$t` of a compression of the state array `$s`, with the message words either in the
    /// ring `$w` of 16 (`schedule`: `W[t]` computed first for t >= 16) or precomputed as
    /// `W[t] + K[t / 20]` in `$kw` (`fixed`). `$f`: the round function as a ternary-logic truth
    /// table (Ch 0xCA, Parity 0x96, Maj 0xE8).
    macro_rules! round {
        (schedule $w:ident, $t:expr, $f:literal, $s:ident) => {{
            const T: usize = $t;
            if T >= 16 {
                // W[t] = rol1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]), in a ring of 16.
                let x = _mm512_ternarylogic_epi32::<0x96>(
                    $w[(T + 13) % 16],
                    $w[(T + 8) % 16],
                    $w[(T + 2) % 16],
                );
                $w[T % 16] = _mm512_rol_epi32::<1>(_mm512_xor_si512(x, $w[T % 16]));
            }
            round!(@step add($w[T % 16], splat(K[T / 20])), $f, $s);
        }};
        (fixed $kw:ident, $t:expr, $f:literal, $s:ident) => {{
            const T: usize = $t;
            round!(@step splat($kw[T]), $f, $s);
        }};
        (@step $kw:expr, $f:literal, $s:ident) => {{
            let [a, b, c, d, e] = $s;
            let f = _mm512_ternarylogic_epi32::<$f>(b, c, d);
            let t = add(add(add(e, $kw), f), _mm512_rol_epi32::<5>(a));
            $s = [t, a, _mm512_rol_epi32::<30>(b), c, d];
        }};
    }

    /// Rounds `$base` to `$base + 19`.
    macro_rules! twenty {
        ($mode:ident $src:ident, $base:expr, $f:literal, $s:ident) => {
            round!($mode $src, $base, $f, $s);
            round!($mode $src, $base + 1, $f, $s);
            round!($mode $src, $base + 2, $f, $s);
            round!($mode $src, $base + 3, $f, $s);
            round!($mode $src, $base + 4, $f, $s);
            round!($mode $src, $base + 5, $f, $s);
            round!($mode $src, $base + 6, $f, $s);
            round!($mode $src, $base + 7, $f, $s);
            round!($mode $src, $base + 8, $f, $s);
            round!($mode $src, $base + 9, $f, $s);
            round!($mode $src, $base + 10, $f, $s);
            round!($mode $src, $base + 11, $f, $s);
            round!($mode $src, $base + 12, $f, $s);
            round!($mode $src, $base + 13, $f, $s);
            round!($mode $src, $base + 14, $f, $s);
            round!($mode $src, $base + 15, $f, $s);
            round!($mode $src, $base + 16, $f, $s);
            round!($mode $src, $base + 17, $f, $s);
            round!($mode $src, $base + 18, $f, $s);
            round!($mode $src, $base + 19, $f, $s);
        };
    }

    /// The 80 rounds on `state`, then the feed-forward.
    macro_rules! compression {
        ($mode:ident $src:ident, $state:ident) => {{
            let mut s = *$state;
            twenty!($mode $src, 0, 0xCA, s);
            twenty!($mode $src, 20, 0x96, s);
            twenty!($mode $src, 40, 0xE8, s);
            twenty!($mode $src, 60, 0x96, s);
            for (h, x) in $state.iter_mut().zip(s) {
                *h = add(*h, x);
            }
        }};
    }

    /// One compression per lane of the block words in `w` (overwritten by the schedule).
    #[target_feature(enable = "avx512f,avx512bw")]
    fn compress(state: &mut [V; 5], w: &mut [V; 16]) {
        compression!(schedule w, state);
    }

    /// One compression per lane of the same block, whose schedule is precomputed.
    #[target_feature(enable = "avx512f,avx512bw")]
    fn compress_fixed(state: &mut [V; 5], kw: &[u32; 80]) {
        compression!(fixed kw, state);
    }

    /// HMAC-SHA1 of the message under each lane's 64-byte key block.
    #[target_feature(enable = "avx512f,avx512bw")]
    fn hmac(key: &[V; 16], message: &super::Fixed) -> [V; 5] {
        let mut block = [_mm512_setzero_si512(); 16];
        for (b, k) in block.iter_mut().zip(key) {
            *b = _mm512_xor_si512(*k, splat(IPAD));
        }
        let mut inner = initial();
        compress(&mut inner, &mut block);
        for s in &message.schedules {
            compress_fixed(&mut inner, &s.kw);
        }
        for (b, k) in block.iter_mut().zip(key) {
            *b = _mm512_xor_si512(*k, splat(OPAD));
        }
        let mut outer = initial();
        compress(&mut outer, &mut block);
        let mut last = [_mm512_setzero_si512(); 16];
        last[..5].copy_from_slice(&inner);
        last[5] = splat(LAST_W5);
        last[15] = splat(LAST_W15);
        compress(&mut outer, &mut last);
        outer
    }

    /// Word `i` of each of 16 consecutive records of `stride` bytes starting at `base`, read as
    /// a big-endian (`swap`) or native word.
    ///
    /// # Safety
    ///
    /// Bytes `base .. base + 15 * stride + 4 * i + 4` must be readable.
    #[target_feature(enable = "avx512f,avx512bw")]
    unsafe fn gather(base: *const u8, stride: i32, i: usize, swap: bool) -> V {
        let offsets = _mm512_mullo_epi32(
            _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
            _mm512_set1_epi32(stride),
        );
        // SAFETY: the caller vouches for every lane's 4 bytes at base + lane * stride + 4 * i.
        let words = unsafe { _mm512_i32gather_epi32::<1>(offsets, base.add(4 * i).cast()) };
        if swap {
            let order = _mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
            _mm512_shuffle_epi8(words, _mm512_broadcast_i32x4(order))
        } else {
            words
        }
    }

    /// The 16 key blocks as block words.
    #[target_feature(enable = "avx512f,avx512bw")]
    fn load_blocks(blocks: &[[u8; 64]; LANES]) -> [V; 16] {
        let mut w = [_mm512_setzero_si512(); 16];
        for (i, word) in w.iter_mut().enumerate() {
            // SAFETY: `blocks` is 16 contiguous 64-byte arrays; lane l reads bytes
            // 64 l + 4 i .. 64 l + 4 i + 4 <= 64 * 16 for i < 16.
            *word = unsafe { gather(blocks.as_ptr().cast(), 64, i, true) };
        }
        w
    }

    /// The hit mask of [`Sha1Search`] over 16 key blocks.
    #[target_feature(enable = "avx512f,avx512bw")]
    pub(super) fn search(search: &Sha1Search, keys: &[[u8; 64]; LANES]) -> u16 {
        let mut key = load_blocks(keys);
        if let super::Derive::Hmac(salt) = &search.derive {
            let derived = hmac(&key, salt);
            key = [_mm512_setzero_si512(); 16];
            key[..5].copy_from_slice(&derived);
        }
        let tag = hmac(&key, &search.message);
        let mut hits = u16::MAX;
        for (t, want) in tag.iter().zip(search.expected) {
            hits &= _mm512_cmpeq_epi32_mask(*t, splat(want));
        }
        hits
    }

    /// [`super::Backend::compress`] for 16 lanes.
    #[target_feature(enable = "avx512f,avx512bw")]
    pub(super) fn compress_lanes(states: &mut [[u32; 5]; LANES], blocks: &[[u8; 64]; LANES]) {
        let mut state = [_mm512_setzero_si512(); 5];
        for (i, word) in state.iter_mut().enumerate() {
            // SAFETY: `states` is 16 contiguous 20-byte arrays; lane l reads bytes
            // 20 l + 4 i .. 20 l + 4 i + 4 <= 20 * 16 for i < 5.
            *word = unsafe { gather(states.as_ptr().cast(), 20, i, false) };
        }
        let mut w = load_blocks(blocks);
        compress(&mut state, &mut w);
        for (i, word) in state.iter().enumerate() {
            let mut lanes = [0u32; 16];
            // SAFETY: `lanes` is 64 writable bytes, the size of one vector.
            unsafe { _mm512_storeu_si512(lanes.as_mut_ptr().cast(), *word) };
            for (s, v) in states.iter_mut().zip(lanes) {
                s[i] = v;
            }
        }
    }
}

/// SHA extensions, two lanes at a time. A state is two registers as `sha1rnds4` wants them:
/// `abcd` (A in the top lane) and `e` (E in the top lane, zeros below: `sha1nexte` keeps them).
#[cfg(target_arch = "x86_64")]
mod ni {
    use std::arch::x86_64::*;

    use super::{IPAD, LAST_W5, LAST_W15, OPAD, Sha1Search};
    use crate::core::mac::SHA1_H0;

    type X = __m128i;

    /// Two lanes' message words, four registers each (`W[4g..4g+4]`, `W[4g]` on top).
    type Words = [[X; 4]; 2];

    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn initial() -> ([X; 2], [X; 2]) {
        let abcd = _mm_set_epi32(
            SHA1_H0[0] as i32,
            SHA1_H0[1] as i32,
            SHA1_H0[2] as i32,
            SHA1_H0[3] as i32,
        );
        let e = _mm_set_epi32(SHA1_H0[4] as i32, 0, 0, 0);
        ([abcd; 2], [e; 2])
    }

    /// Group `$g` of four rounds on both lanes' `$h0`/`$h1` (`$e`: the lanes' E registers, read
    /// by group 0), with the message words either in each lane's ring `$w` of 4 (`schedule`:
    /// computed first for groups 4 to 19) or precomputed in `$w`, shared by the lanes (`fixed`).
    macro_rules! group {
        (schedule $w:ident, $g:expr, $h0:ident, $h1:ident, $e:ident) => {{
            const G: usize = $g;
            if G >= 4 {
                // W[4g..4g+4] from the four groups before it, in a ring of 4.
                for l in 0..2 {
                    let m1 = _mm_sha1msg1_epu32($w[l][G % 4], $w[l][(G + 1) % 4]);
                    let x = _mm_xor_si128(m1, $w[l][(G + 2) % 4]);
                    $w[l][G % 4] = _mm_sha1msg2_epu32(x, $w[l][(G + 3) % 4]);
                }
            }
            group!(@step G, $h0, $h1, $e, l => $w[l][G % 4]);
        }};
        (fixed $w:ident, $g:expr, $h0:ident, $h1:ident, $e:ident) => {{
            const G: usize = $g;
            group!(@step G, $h0, $h1, $e, l => $w[G]);
        }};
        (@step $g:ident, $h0:ident, $h1:ident, $e:ident, $l:ident => $word:expr) => {
            for $l in 0..2 {
                if $g == 0 {
                    $h1[$l] = _mm_sha1rnds4_epu32::<0>($h0[$l], _mm_add_epi32($e[$l], $word));
                } else if $g % 2 == 0 {
                    let x = _mm_sha1nexte_epu32($h1[$l], $word);
                    $h1[$l] = _mm_sha1rnds4_epu32::<{ ($g / 5) as i32 }>($h0[$l], x);
                } else {
                    let x = _mm_sha1nexte_epu32($h0[$l], $word);
                    $h0[$l] = _mm_sha1rnds4_epu32::<{ ($g / 5) as i32 }>($h1[$l], x);
                }
            }
        };
    }

    /// The 80 rounds on both lanes, then the feed-forward.
    macro_rules! compression {
        ($mode:ident $w:ident, $abcd:ident, $e:ident) => {{
            let mut h0 = *$abcd;
            let mut h1 = [_mm_setzero_si128(); 2];
            group!($mode $w, 0, h0, h1, $e);
            group!($mode $w, 1, h0, h1, $e);
            group!($mode $w, 2, h0, h1, $e);
            group!($mode $w, 3, h0, h1, $e);
            group!($mode $w, 4, h0, h1, $e);
            group!($mode $w, 5, h0, h1, $e);
            group!($mode $w, 6, h0, h1, $e);
            group!($mode $w, 7, h0, h1, $e);
            group!($mode $w, 8, h0, h1, $e);
            group!($mode $w, 9, h0, h1, $e);
            group!($mode $w, 10, h0, h1, $e);
            group!($mode $w, 11, h0, h1, $e);
            group!($mode $w, 12, h0, h1, $e);
            group!($mode $w, 13, h0, h1, $e);
            group!($mode $w, 14, h0, h1, $e);
            group!($mode $w, 15, h0, h1, $e);
            group!($mode $w, 16, h0, h1, $e);
            group!($mode $w, 17, h0, h1, $e);
            group!($mode $w, 18, h0, h1, $e);
            group!($mode $w, 19, h0, h1, $e);
            for l in 0..2 {
                $abcd[l] = _mm_add_epi32($abcd[l], h0[l]);
                $e[l] = _mm_sha1nexte_epu32(h1[l], $e[l]);
            }
        }};
    }

    /// One compression per lane of its own block (`w` is overwritten by the schedule).
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn compress(abcd: &mut [X; 2], e: &mut [X; 2], w: &mut Words) {
        compression!(schedule w, abcd, e);
    }

    /// One compression per lane of the same block, whose schedule is precomputed.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn compress_fixed(abcd: &mut [X; 2], e: &mut [X; 2], schedule: &[[u32; 4]; 20]) {
        let mut w = [_mm_setzero_si128(); 20];
        for (v, g) in w.iter_mut().zip(schedule) {
            // SAFETY: `g` is 16 readable bytes, the size of one vector.
            *v = unsafe { _mm_loadu_si128(g.as_ptr().cast()) };
        }
        compression!(fixed w, abcd, e);
    }

    /// HMAC-SHA1 of the message under each lane's key block words.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn hmac(key: &Words, message: &super::Fixed) -> ([X; 2], [X; 2]) {
        let mut block = *key;
        for w in block.iter_mut().flatten() {
            *w = _mm_xor_si128(*w, _mm_set1_epi32(IPAD as i32));
        }
        let (mut inner, mut inner_e) = initial();
        compress(&mut inner, &mut inner_e, &mut block);
        for s in &message.schedules {
            compress_fixed(&mut inner, &mut inner_e, &s.ni);
        }
        let mut block = *key;
        for w in block.iter_mut().flatten() {
            *w = _mm_xor_si128(*w, _mm_set1_epi32(OPAD as i32));
        }
        let (mut outer, mut outer_e) = initial();
        compress(&mut outer, &mut outer_e, &mut block);
        let w5 = _mm_set_epi32(0, LAST_W5 as i32, 0, 0);
        let w15 = _mm_set_epi32(0, 0, 0, LAST_W15 as i32);
        let mut last = [[_mm_setzero_si128(); 4]; 2];
        for l in 0..2 {
            last[l] = [
                inner[l],
                _mm_or_si128(inner_e[l], w5),
                _mm_setzero_si128(),
                w15,
            ];
        }
        compress(&mut outer, &mut outer_e, &mut last);
        (outer, outer_e)
    }

    /// Block words of a 64-byte block, big-endian, `W[4g]` on top of register `g`.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn load_block(block: &[u8; 64]) -> [X; 4] {
        let order = _mm_set_epi64x(0x0001_0203_0405_0607, 0x0809_0A0B_0C0D_0E0F);
        let mut w = [_mm_setzero_si128(); 4];
        for (g, v) in w.iter_mut().enumerate() {
            // SAFETY: bytes 16 g .. 16 g + 16 <= 64 of the 64-byte block.
            let raw = unsafe { _mm_loadu_si128(block.as_ptr().add(16 * g).cast()) };
            *v = _mm_shuffle_epi8(raw, order);
        }
        w
    }

    /// The hit mask (2 bits) of [`Sha1Search`] over two key blocks.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub(super) fn search_pair(search: &Sha1Search, keys: [&[u8; 64]; 2]) -> u8 {
        let mut key = [load_block(keys[0]), load_block(keys[1])];
        if let super::Derive::Hmac(salt) = &search.derive {
            let (abcd, e) = hmac(&key, salt);
            for l in 0..2 {
                key[l] = [abcd[l], e[l], _mm_setzero_si128(), _mm_setzero_si128()];
            }
        }
        let (abcd, e) = hmac(&key, &search.message);
        let [a, b, c, d, e0] = search.expected;
        let want = _mm_set_epi32(a as i32, b as i32, c as i32, d as i32);
        let want_e = _mm_set_epi32(e0 as i32, 0, 0, 0);
        let mut hits = 0;
        for l in 0..2 {
            let diff = _mm_or_si128(_mm_xor_si128(abcd[l], want), _mm_xor_si128(e[l], want_e));
            hits |= u8::from(_mm_testz_si128(diff, diff) == 1) << l;
        }
        hits
    }

    /// [`super::Backend::compress`] for two lanes.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub(super) fn compress_pair(states: &mut [[u32; 5]], blocks: &[[u8; 64]]) {
        let mut abcd = [_mm_setzero_si128(); 2];
        let mut e = [_mm_setzero_si128(); 2];
        let mut w = [[_mm_setzero_si128(); 4]; 2];
        for l in 0..2 {
            let [s0, s1, s2, s3, s4] = states[l];
            abcd[l] = _mm_set_epi32(s0 as i32, s1 as i32, s2 as i32, s3 as i32);
            e[l] = _mm_set_epi32(s4 as i32, 0, 0, 0);
            w[l] = load_block(&blocks[l]);
        }
        compress(&mut abcd, &mut e, &mut w);
        for l in 0..2 {
            let mut words = [0u32; 4];
            // SAFETY: `words` is 16 writable bytes, the size of one vector.
            unsafe { _mm_storeu_si128(words.as_mut_ptr().cast(), abcd[l]) };
            states[l] = [
                words[3],
                words[2],
                words[1],
                words[0],
                _mm_extract_epi32::<3>(e[l]) as u32,
            ];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::mac::{Digest, hmac};

    /// SplitMix64: reproducible pseudo-random bytes.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn bytes(&mut self, len: usize) -> Vec<u8> {
            (0..len).map(|_| self.next() as u8).collect()
        }
    }

    fn available() -> Vec<Backend> {
        let backends: Vec<Backend> = Backend::ALL
            .into_iter()
            .filter(|b| b.is_available())
            .collect();
        if backends.len() < Backend::ALL.len() {
            eprintln!("NOTE: this CPU lacks some SHA-1 backends; tested only {backends:?}");
        }
        backends
    }

    #[test]
    fn key_batches_sign_like_the_hmac_crate_on_every_backend() {
        let mut rng = Rng(0x5ead_2026_1129_0001);
        for backend in available() {
            for key_len in [0, 1, 20, 64, 65, 130] {
                let key = rng.bytes(key_len);
                let mut block = [0u8; 64];
                if key_len > 64 {
                    block[..20].copy_from_slice(&Sha1::digest(&key));
                } else {
                    block[..key_len].copy_from_slice(&key);
                }
                let batch = Sha1KeyBatch::with_backend(&block, backend);
                let in_lanes = |messages: &[&[u8]], tags: &mut [[u8; 20]]| {
                    batch.tags_in_lanes(messages, tags);
                };
                // Batches of every size around the lane count, of messages of every length
                // around the block boundaries (55/56 and 119/120 bytes change the block count),
                // shuffled so that each group mixes lengths.
                for n in [0, 1, 3, 4, 15, 16, 17, 33, 40] {
                    let messages: Vec<Vec<u8>> = (0..n)
                        .map(|i| {
                            let len = [0, 1, 55, 56, 63, 64, 119, 120, 200, 300][(i * 7 + n) % 10];
                            rng.bytes(len)
                        })
                        .collect();
                    let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
                    // What `tags` chooses, and the lanes on every backend.
                    let mut tags = vec![[0u8; 20]; n];
                    batch.tags(&refs, &mut tags);
                    let mut lane_tags = vec![[0u8; 20]; n];
                    in_lanes(&refs, &mut lane_tags);
                    for ((m, t), l) in messages.iter().zip(&tags).zip(&lane_tags) {
                        let expected = hmac(Digest::Sha1, &key, &[m]);
                        let what = format!(
                            "{backend:?}, key {key_len} bytes, message {} bytes, batch of {n}",
                            m.len()
                        );
                        assert_eq!(&t[..], expected.as_bytes(), "{what}");
                        assert_eq!(&l[..], expected.as_bytes(), "{what}, in lanes");
                    }
                }
            }
        }
    }

    #[test]
    fn every_backend_compresses_like_the_sha1_crate() {
        let mut rng = Rng(1);
        for backend in available() {
            for _ in 0..200 {
                let mut states = [[0u32; 5]; LANES];
                let mut blocks = [[0u8; 64]; LANES];
                for (s, b) in states.iter_mut().zip(blocks.iter_mut()) {
                    *s = std::array::from_fn(|_| rng.next() as u32);
                    b.copy_from_slice(&rng.bytes(64));
                }
                let mut expected = states;
                for (s, b) in expected.iter_mut().zip(&blocks) {
                    sha1::block_api::compress(s, std::slice::from_ref(b));
                }
                backend.compress(&mut states, &blocks);
                assert_eq!(states, expected, "{backend:?}");
            }
        }
    }

    /// The tag the slow path computes for `key`, the reference every backend must meet.
    fn reference(derivation: Derivation<'_>, key: &[u8], message: &[u8]) -> [u8; 20] {
        let derived = match derivation {
            Derivation::None => key.to_vec(),
            Derivation::Hmac { salt } => hmac(Digest::Sha1, key, &[salt]).as_bytes().to_vec(),
            Derivation::Hash { prefix } => Digest::Sha1.hash(&[prefix, key]),
        };
        let mut tag = [0u8; 20];
        tag.copy_from_slice(hmac(Digest::Sha1, &derived, &[message]).as_bytes());
        tag
    }

    #[test]
    fn every_backend_finds_the_key_for_every_key_and_message_length() {
        let mut rng = Rng(2);
        let backends = available();
        let mut lanes = Sha1Lanes::default();
        let mut checked = 0;
        for message_len in 0..=300 {
            let message = rng.bytes(message_len);
            let extra = rng.bytes(message_len % 131);
            let derivations = [
                Derivation::None,
                Derivation::Hmac { salt: &extra },
                Derivation::Hash { prefix: &extra },
            ];
            // Keys of every length from 0 to 200, 16 per batch; the signing key's lane moves. No
            // zero bytes: HMAC pads keys with zeros, so "k" and "k\0" are the same key.
            let keys: Vec<Vec<u8>> = (0..=200)
                .map(|len| rng.bytes(len).into_iter().map(|b| b.max(1)).collect())
                .collect();
            for (round, batch) in keys.chunks(LANES).enumerate() {
                let signer = (message_len + round) % batch.len();
                let candidates: Vec<&[u8]> = batch.iter().map(Vec::as_slice).collect();
                for derivation in derivations {
                    let tag = reference(derivation, candidates[signer], &message);
                    let search = Sha1Search::new(derivation, &message, &tag);
                    assert!(search.check_one(candidates[signer], &mut lanes));
                    for &backend in &backends {
                        let search = Sha1Search::new(derivation, &message, &tag)
                            .with_backend(backend)
                            .expect("available");
                        assert_eq!(
                            search.check(&candidates, &mut lanes),
                            1 << signer,
                            "{backend:?} {derivation:?}, message {message_len} bytes, key {} bytes",
                            candidates[signer].len()
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 301 * 13 * 3 * backends.len());
    }

    #[test]
    fn partial_batches_report_only_their_own_candidates() {
        let message = b"eyJ1IjoxfQ.aVW2qA";
        let salt = b"cookie-session";
        let derivation = Derivation::Hmac { salt };
        let key = b"the key".to_vec();
        let tag = reference(derivation, &key, message);
        let wrong: Vec<Vec<u8>> = (0..40).map(|i| format!("wrong {i}").into_bytes()).collect();
        for backend in available() {
            let search = Sha1Search::new(derivation, message, &tag)
                .with_backend(backend)
                .expect("available");
            let mut lanes = Sha1Lanes::default();
            for n in 1..=40 {
                // The key last: for odd n, a lone candidate in its pair or vector.
                let mut candidates: Vec<&[u8]> = wrong[..n - 1].iter().map(Vec::as_slice).collect();
                candidates.push(&key);
                assert_eq!(
                    search.check(&candidates, &mut lanes),
                    1 << (n - 1),
                    "{backend:?}, {n} candidates"
                );
                // The key is still in a lane from the batch before: a shorter batch must not
                // report it.
                let fewer: Vec<&[u8]> =
                    wrong[..(n - 1) % LANES].iter().map(Vec::as_slice).collect();
                assert_eq!(search.check(&fewer, &mut lanes), 0, "{backend:?}, {n}");
            }
            assert_eq!(search.check(&[], &mut lanes), 0);
        }
    }
}

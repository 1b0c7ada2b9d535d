//! Signet: inspect, verify, re-sign and rotate signed session cookies.
//!
//! [`core`] is the pure signing core; [`cli`] the `signet` command line over it.

pub mod cli;
pub mod core;
#[cfg(feature = "gui")]
pub mod gui;
pub mod hardening;
pub mod jobs;
pub mod keys;

/// Every heap block is wiped when it is freed (1Password's `zeroizing-alloc`): a copy of a secret
/// in a buffer nobody thought to zeroize (a `String` that egui or a formatter made, a `Vec` that
/// grew and moved) does not survive its deallocation. Declared here, so the binary, the tests and
/// the benchmarks all run on it. Memory that C libraries allocate (zlib, libdbus) is not covered.
#[global_allocator]
static ALLOC: zeroizing_alloc::ZeroAlloc<std::alloc::System> =
    zeroizing_alloc::ZeroAlloc(std::alloc::System);

//! Signet: inspect, verify, re-sign and rotate signed session cookies.
//!
//! [`core`] is the pure signing core; [`cli`] the `signet` command line over it.

pub mod cli;
pub mod core;
pub mod gui;
pub mod hardening;
pub mod jobs;
pub mod keys;

//! What every target shares: the 100 ms CPU budget per input, and input as text.
// Each target uses only part of it.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// An input that costs more CPU than this is a finding (the "no unit over 100 ms").
const BUDGET: Duration = Duration::from_millis(100);

static SLOWEST_NS: AtomicU64 = AtomicU64::new(0);

fn thread_cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Runs `f` and fails (a libFuzzer crash, with the input saved) when it uses more than [`BUDGET`]
/// of this thread's CPU time. CPU time, not wall time, so a busy machine does not make findings;
/// and an input over the budget is run twice more and judged by its fastest run, because on a
/// shared 2-core machine one run's CPU time can still be inflated (seen: 151 ms once for an input
/// that takes 2–9 ms on every re-run). Each new slowest input is printed as
/// `signet-fuzz: slowest unit N.NN ms` (the campaign script reports the last one).
pub fn timed<T>(f: impl Fn() -> T) -> T {
    let run = || {
        let start = thread_cpu();
        let out = f();
        (out, thread_cpu().saturating_sub(start))
    };
    let (out, mut spent) = run();
    if spent > BUDGET {
        for _ in 0..2 {
            spent = spent.min(run().1);
        }
    }
    let ns = spent.as_nanos() as u64;
    if ns > SLOWEST_NS.fetch_max(ns, Ordering::Relaxed) && spent >= Duration::from_millis(1) {
        eprintln!(
            "signet-fuzz: slowest unit {:.2} ms",
            spent.as_secs_f64() * 1e3
        );
    }
    assert!(
        spent <= BUDGET,
        "slow unit: {:.1} ms of CPU at best of 3 runs (budget {} ms)",
        spent.as_secs_f64() * 1e3,
        BUDGET.as_millis()
    );
    out
}

/// The input as text the way a paste reaches the core: valid UTF-8 as it is, anything else
/// through the lossy conversion the CLI and the window use.
pub fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// A cookie value on the first line, and on a second line, if any, the cookie name to bind.
pub fn value_and_name(text: &str) -> (&str, signet::core::FormatParams) {
    let (value, name) = match text.split_once('\n') {
        Some((v, n)) => (v, Some(n.to_owned())),
        None => (text, None),
    };
    let params = signet::core::FormatParams {
        cookie_name: name,
        ..signet::core::FormatParams::default()
    };
    (value, params)
}

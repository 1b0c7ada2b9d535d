//! Process hardening applied before anything else runs: a Signet process holds secrets in
//! memory, so it must never write them into a core dump.
//!
//! On Linux: `RLIMIT_CORE` is set to 0 (no core file, soft and hard limit) and the process is
//! marked not dumpable (`PR_SET_DUMPABLE` 0), which also keeps `systemd-coredump` from
//! collecting it and other processes of the same user from attaching with ptrace or reading
//! `/proc/PID/mem`. Elsewhere this does nothing (documented in SECURITY.md).

/// Forbids core dumps of this process. Errors are returned, not fatal: the caller reports them.
#[cfg(target_os = "linux")]
pub fn forbid_core_dumps() -> std::io::Result<()> {
    use rustix::process::{DumpableBehavior, Resource, Rlimit, set_dumpable_behavior, setrlimit};
    setrlimit(
        Resource::Core,
        Rlimit {
            current: Some(0),
            maximum: Some(0),
        },
    )?;
    set_dumpable_behavior(DumpableBehavior::NotDumpable)?;
    Ok(())
}

/// Forbids core dumps of this process (nothing to do on this platform).
#[cfg(not(target_os = "linux"))]
pub fn forbid_core_dumps() -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn the_process_is_not_dumpable_and_has_no_core_limit_after_it() {
        use rustix::process::{DumpableBehavior, Resource, dumpable_behavior, getrlimit};
        super::forbid_core_dumps().expect("hardened");
        assert_eq!(
            dumpable_behavior().expect("read"),
            DumpableBehavior::NotDumpable
        );
        let limit = getrlimit(Resource::Core);
        assert_eq!((limit.current, limit.maximum), (Some(0), Some(0)));
    }
}

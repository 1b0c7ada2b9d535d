//! Signet makes no network connections: a whole keys / inspect / sign / rotate / audit cycle runs
//! under `strace -f`, against a real Secret Service, and every socket any of its processes
//! opens must be a Unix socket, connected to nothing but the session bus of the keyring.
//!
//! Needs strace (skipped with a loud notice without it, unless `SIGNET_REQUIRE_STRACE=1`, which
//! .ci/run sets) and dbus + gnome-keyring (see tests/common/secret_service.rs).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::secret_service::SecretService;

fn strace() -> Option<&'static str> {
    let found = Command::new("strace")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return Some("strace");
    }
    assert!(
        std::env::var("SIGNET_REQUIRE_STRACE").as_deref() != Ok("1"),
        "SIGNET_REQUIRE_STRACE=1 but strace is not installed (apt-get install strace)"
    );
    eprintln!(
        "\n*** NOTICE: strace is not installed: the no-network test is SKIPPED \
         (apt-get install strace) ***\n"
    );
    None
}

/// One socket-related call from the trace.
#[derive(Debug)]
struct Call {
    line: String,
}

/// Runs `signet ARGS` under strace; returns its exit code and the socket calls of all its
/// processes and threads.
fn traced(
    strace: &str,
    service: &SecretService,
    home: &Path,
    args: &[&str],
    stdin: &str,
) -> (i32, String, Vec<Call>) {
    use std::io::Write as _;
    let log = home.join(format!("trace-{}.log", args.join("-").replace('/', "_")));
    let mut child = Command::new(strace)
        .args(["-f", "-qq", "-e", "trace=%network", "-o"])
        .arg(&log)
        .arg(common::bin())
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("TMPDIR", home)
        .env("SIGNET_CONFIG_DIR", home.join("config"))
        .env("DBUS_SESSION_BUS_ADDRESS", &service.address)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("strace runs");
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    let out = child.wait_with_output().expect("strace finishes");
    let trace = std::fs::read_to_string(&log).expect("trace written");
    let calls = trace
        .lines()
        .filter(|l| !l.contains("+++ exited") && !l.contains("--- SIG"))
        .map(|l| Call {
            line: l.to_string(),
        })
        .collect();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        calls,
    )
}

#[test]
fn a_whole_cycle_opens_no_socket_but_the_keyring_bus() {
    let Some(strace) = strace() else {
        return;
    };
    let Some(service) = SecretService::start() else {
        return;
    };
    let home = tempfile::tempdir().expect("home");
    let bus_path = service
        .address
        .strip_prefix("unix:path=")
        .and_then(|a| a.split(',').next())
        .expect("a unix:path= bus address")
        .to_string();
    let cycle: Vec<(Vec<&str>, String, i32)> = vec![
        (
            vec!["keys", "generate", "net-2026", "--style", "flask"],
            String::new(),
            0,
        ),
        (
            vec!["keys", "generate", "net-2025", "--style", "flask"],
            String::new(),
            0,
        ),
        (vec!["keys", "list", "--json"], String::new(), 0),
        (
            vec![
                "sign",
                "--format",
                "flask",
                "--key",
                "net-2025",
                "--timestamp",
                "1767225000",
            ],
            r#"{"user": "ada"}"#.to_string(),
            0,
        ),
    ];
    let mut all = Vec::new();
    let mut cookie = String::new();
    for (args, stdin, code) in &cycle {
        let (got, stdout, calls) = traced(strace, &service, home.path(), args, stdin);
        assert_eq!(got, *code, "signet {args:?}: {stdout}");
        if args[0] == "sign" {
            cookie = stdout.trim().to_string();
        }
        all.extend(calls);
    }
    assert!(cookie.starts_with("ey"), "{cookie}");
    let cookies = format!("{cookie}\n{cookie}\nnot-a-cookie\n");
    let more: Vec<(Vec<&str>, &str, i32)> = vec![
        (
            vec!["inspect", "--now", "1767225100", "-"],
            cookie.as_str(),
            0,
        ),
        (
            vec![
                "rotate",
                "--format",
                "flask",
                "--now",
                "1767225100",
                "--from-key",
                "net-2025",
                "--to-key",
                "net-2026",
                "--to-key",
                "net-2025",
                "-",
            ],
            cookies.as_str(),
            0,
        ),
        (vec!["audit", "-"], cookie.as_str(), 0),
        (vec!["audit", "--stored"], "", 0),
        (vec!["keys", "remove", "net-2025", "--yes"], "", 0),
    ];
    for (args, stdin, code) in &more {
        let (got, stdout, calls) = traced(strace, &service, home.path(), args, stdin);
        assert_eq!(got, *code, "signet {args:?}: {stdout}");
        all.extend(calls);
    }
    // Every socket is a Unix socket; every connection goes to the session bus.
    let sockets: Vec<&Call> = all
        .iter()
        .filter(|c| c.line.contains(" socket(") || c.line.contains(" socketpair("))
        .collect();
    let connects: Vec<&Call> = all
        .iter()
        .filter(|c| c.line.contains(" connect("))
        .collect();
    assert!(
        !connects.is_empty(),
        "the keyring commands must have connected to the bus: is the trace empty?\n{all:#?}"
    );
    for s in &sockets {
        assert!(s.line.contains("AF_UNIX"), "a non-Unix socket: {}", s.line);
    }
    for c in &connects {
        assert!(
            c.line.contains("AF_UNIX") && c.line.contains(&bus_path),
            "a connection to something else than the keyring's bus: {}",
            c.line
        );
    }
    for c in &all {
        for family in ["AF_INET", "AF_INET6", "AF_NETLINK", "AF_PACKET"] {
            assert!(!c.line.contains(family), "{family} used: {}", c.line);
        }
    }
    eprintln!(
        "no-network: {} commands traced, {} sockets (all AF_UNIX), {} connects (all to the bus {bus_path})",
        cycle.len() + more.len(),
        sockets.len(),
        connects.len()
    );
}

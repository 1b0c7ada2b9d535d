//! A private, real Secret Service for tests: a `dbus-daemon` with no service activation and a
//! `gnome-keyring-daemon` unlocked non-interactively, both torn down on drop. Skipped with a loud
//! notice when the programs are missing, unless `SIGNET_REQUIRE_KEYRING=1` (set by .ci/run).

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The keyring password of the test collection.
const PASSWORD: &str = "signet-test-keyring";

/// A running private Secret Service.
pub struct SecretService {
    /// Scratch space: bus socket, the daemon's HOME and runtime dir.
    pub dir: tempfile::TempDir,
    /// `DBUS_SESSION_BUS_ADDRESS` for processes that should use it.
    pub address: String,
    dbus: Child,
    keyring: Option<Child>,
}

fn have(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|p| p.join(program).is_file()))
}

impl SecretService {
    /// Starts one, or returns `None` (after a loud notice) when the programs are not installed.
    pub fn start() -> Option<Self> {
        let required = std::env::var("SIGNET_REQUIRE_KEYRING").is_ok_and(|v| v == "1");
        let missing: Vec<&str> = ["dbus-daemon", "gnome-keyring-daemon", "dbus-send"]
            .into_iter()
            .filter(|p| !have(p))
            .collect();
        if !missing.is_empty() {
            assert!(
                !required,
                "SIGNET_REQUIRE_KEYRING=1 but {} not installed (apt-get install dbus gnome-keyring)",
                missing.join(", ")
            );
            eprintln!(
                "\n**********************************************************************\n\
                 SKIPPED: real-keyring test: {} not installed.\n\
                 Install dbus and gnome-keyring to run it (.ci/run does).\n\
                 **********************************************************************\n",
                missing.join(", ")
            );
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("daemon-home")).expect("mkdir");
        let runtime = dir.path().join("run");
        std::fs::create_dir_all(&runtime).expect("mkdir");
        let socket = dir.path().join("bus");
        let config = dir.path().join("bus.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                socket.display()
            ),
        )
        .expect("bus config");
        let mut dbus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon starts");
        let mut line = String::new();
        BufReader::new(dbus.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("bus address");
        let address = line.trim().to_string();
        assert!(
            address.starts_with("unix:"),
            "dbus-daemon printed {address:?}"
        );
        let mut service = Self {
            dir,
            address,
            dbus,
            keyring: None,
        };
        service.start_keyring();
        Some(service)
    }

    /// The keyring daemon's HOME (where its encrypted keyring files live).
    pub fn daemon_home(&self) -> PathBuf {
        self.dir.path().join("daemon-home")
    }

    /// (Re)starts gnome-keyring-daemon, unlocking (or creating) the login collection.
    pub fn start_keyring(&mut self) {
        let mut child = Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets", "--foreground"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.daemon_home())
            .env("XDG_RUNTIME_DIR", self.dir.path().join("run"))
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon starts");
        {
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(PASSWORD.as_bytes()).expect("password");
        }
        self.keyring = Some(child);
        // Wait until it owns org.freedesktop.secrets.
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.dbus_send(
                &[
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.GetNameOwner",
                    "string:org.freedesktop.secrets",
                ],
                "org.freedesktop.DBus",
            ) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("gnome-keyring-daemon did not come up on the private bus");
    }

    /// Kills the keyring daemon (the bus stays).
    pub fn kill_keyring(&mut self) {
        if let Some(mut child) = self.keyring.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline
            && self.dbus_send(
                &[
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.GetNameOwner",
                    "string:org.freedesktop.secrets",
                ],
                "org.freedesktop.DBus",
            )
        {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Locks the login collection, as a screen lock or a fresh boot does.
    pub fn lock(&self) {
        assert!(
            self.dbus_send(
                &[
                    "/org/freedesktop/secrets",
                    "org.freedesktop.Secret.Service.Lock",
                    "array:objpath:/org/freedesktop/secrets/collection/login"
                ],
                "org.freedesktop.secrets"
            ),
            "locking the collection"
        );
    }

    fn dbus_send(&self, args: &[&str], dest: &str) -> bool {
        Command::new("dbus-send")
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .args([
                "--session",
                "--print-reply",
                "--type=method_call",
                &format!("--dest={dest}"),
            ])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        self.kill_keyring();
        let _ = self.dbus.kill();
        let _ = self.dbus.wait();
    }
}

/// Every regular file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else if p.is_file() {
            out.push(p);
        }
    }
    out
}

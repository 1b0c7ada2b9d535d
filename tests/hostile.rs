//! The hostile-input corpus: every input gets a clear answer (a verdict or an error, exit 0, 1 or
//! 2), never a crash, a hang or unbounded memory. Each case runs the real binary with a 1 GiB
//! address-space limit (`ulimit -v`) and a watchdog; the small inputs are committed in
//! tests/hostile/ (written by make_corpus.py), the large ones are generated here.

mod common;

use std::io::{Read as _, Write as _};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use flate2::Compression;
use flate2::write::ZlibEncoder;

/// Address space a run may use (KiB): far below what the large inputs would need if read or
/// inflated whole.
const MEMORY_KIB: u64 = 1024 * 1024;
/// A run that takes longer than this is a hang.
const WATCHDOG: Duration = Duration::from_secs(180);

struct Run {
    code: i32,
    out: String,
    secs: f64,
}

/// `signet ARGS` with `input` on standard input, under the memory limit and the watchdog.
fn run(args: &[&str], input: Vec<u8>) -> Run {
    let started = Instant::now();
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB}; exec \"$0\" \"$@\""))
        .arg(common::bin())
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("signet runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        // A command may answer before reading all of a huge input.
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > WATCHDOG {
            let _ = child.kill();
            panic!("signet {args:?} still running after {WATCHDOG:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = writer.join();
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    Run {
        code: status.code().unwrap_or(-1),
        out: format!(
            "{}{}",
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(&err)
        ),
        secs: started.elapsed().as_secs_f64(),
    }
}

/// A clear answer: exit 0/1/2, no panic, something said.
fn clear(case: &str, r: &Run) {
    assert!(
        matches!(r.code, 0..=2),
        "{case}: exit {} (a crash, or over the memory limit):\n{}",
        r.code,
        r.out
    );
    assert!(!r.out.contains("panicked"), "{case}: panicked:\n{}", r.out);
    assert!(!r.out.trim().is_empty(), "{case}: said nothing");
    let first = r
        .out
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(90)
        .collect::<String>();
    eprintln!("{case:<34} exit {}  {:>6.2} s  {first}", r.code, r.secs);
}

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(common::root().join("tests/hostile").join(name)).expect("corpus file")
}

fn inspect(case: &str, input: Vec<u8>) -> Run {
    let r = run(
        &[
            "inspect",
            "--secret",
            "hostile-key",
            "--now",
            "1767225100",
            "-",
        ],
        input,
    );
    clear(case, &r);
    r
}

fn b64url(bytes: &[u8]) -> String {
    signet::core::encoding::b64url_nopad(bytes)
}

/// A Flask cookie (signed with `hostile-key`) whose payload is `json`, zlib-compressed.
fn flask_compressed(json: &[u8]) -> String {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    z.write_all(json).expect("compress");
    flask_signed(&z.finish().expect("compress"))
}

/// A Flask cookie (signed with `hostile-key`) carrying these compressed payload bytes.
fn flask_signed(compressed: &[u8]) -> String {
    let value = format!(".{}.aVW2qA", b64url(compressed));
    let derived = signet::core::mac::hmac(
        signet::core::mac::Digest::Sha1,
        b"hostile-key",
        &[b"cookie-session"],
    );
    let sig = signet::core::mac::hmac(
        signet::core::mac::Digest::Sha1,
        derived.as_bytes(),
        &[value.as_bytes()],
    );
    format!("{value}.{}", b64url(sig.as_bytes()))
}

#[test]
fn committed_corpus_gets_clear_answers() {
    for line in String::from_utf8(corpus("timestamps.txt"))
        .expect("text")
        .lines()
    {
        let r = inspect("timestamp at a limit", line.as_bytes().to_vec());
        assert_ne!(
            r.code, 0,
            "an out-of-range timestamp is not valid: {}",
            r.out
        );
    }
    let oddities = String::from_utf8(corpus("json-oddities.txt")).expect("text");
    for (i, line) in oddities.lines().enumerate() {
        let r = inspect("JSON Python accepts", line.as_bytes().to_vec());
        // Python's json.loads takes all of them, so they are genuine, valid cookies.
        assert_eq!(r.code, 0, "case {i}: {}", r.out);
        // Lone surrogates and NaN/Infinity (the first three) cannot be reproduced: a note says so.
        assert_eq!(
            r.out.contains("JSON only Python reads"),
            i < 3,
            "case {i}: {}",
            r.out
        );
    }
    for name in ["base64-every-byte.bin", "nul-bytes.bin", "invalid-utf8.bin"] {
        let r = inspect(name, corpus(name));
        assert_ne!(r.code, 0, "{name}: {}", r.out);
    }
    for line in String::from_utf8(corpus("marshal-cycle.txt"))
        .expect("text")
        .lines()
    {
        let r = run(
            &["inspect", "--format", "rails-signed", "--secret", "x", "-"],
            line.as_bytes().to_vec(),
        );
        clear("Marshal cycle / depth", &r);
    }
}

#[test]
fn large_generated_inputs_get_clear_answers_in_bounded_memory() {
    // A 10 MB paste of cookie-looking text.
    let paste: Vec<u8> = "eyJ1c2VyIjoiYWRhIn0.aVW2qA.x"
        .bytes()
        .cycle()
        .take(10 * 1024 * 1024)
        .collect();
    let r = inspect("10 MB paste", paste);
    assert_ne!(r.code, 0);

    // A zlib bomb: 1 GiB of zeros in about 1 MB, correctly signed. Inflating stops at 8 MiB.
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    let zeros = vec![b' '; 1024 * 1024];
    z.write_all(b"{\"a\":\"").expect("compress");
    for _ in 0..1024 {
        z.write_all(&zeros).expect("compress");
    }
    z.write_all(b"\"}").expect("compress");
    let compressed = z.finish().expect("compress");
    assert!(compressed.len() < 2 * 1024 * 1024, "{}", compressed.len());
    let value = flask_signed(&compressed);
    let r = inspect("zlib bomb (1 KB-per-MB, 1 GiB)", value.into_bytes());
    assert_ne!(r.code, 0, "a bomb is not a valid cookie: {}", r.out);
    assert!(
        r.out.contains("MiB"),
        "the error names the limit: {}",
        r.out
    );

    // JSON nested 100,000 levels deep, compressed and signed, and the same as a JWT payload.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let r = inspect(
        "JSON 100,000 levels (Flask)",
        flask_compressed(deep.as_bytes()).into_bytes(),
    );
    assert_ne!(r.code, 0);
    let jwt = format!(
        "{}.{}.{}",
        b64url(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64url(deep.as_bytes()),
        b64url(&[0; 32])
    );
    inspect("JSON 100,000 levels (JWT)", jwt.into_bytes());

    // 10,000 cookies in one Cookie: header.
    let header = format!(
        "Cookie: {}",
        (0..10_000)
            .map(|i| format!("c{i}=eyJ1Ijo{i}fQ.aVW2qA.sig{i}"))
            .collect::<Vec<_>>()
            .join("; ")
    );
    inspect("10,000 cookies in one header", header.into_bytes());

    // A 100 MB HAR file: `rotate` streams it (inspect refuses inputs over 16 MiB).
    let cookie = flask_compressed(br#"{"user":"ada"}"#);
    let entry = format!(
        r#"{{"request":{{"method":"GET","url":"https://shop.example/","headers":[{{"name":"Cookie","value":"session={cookie}"}}],"cookies":[]}},"response":{{"status":200,"headers":[],"cookies":[]}},"comment":"{}"}}"#,
        "x".repeat(2000)
    );
    let mut har = String::from(r#"{"log":{"version":"1.2","entries":["#);
    while har.len() < 100 * 1024 * 1024 {
        har.push_str(&entry);
        har.push(',');
    }
    har.pop();
    har.push_str("]}}");
    let r = inspect("100 MB HAR (inspect)", har.clone().into_bytes());
    assert_ne!(r.code, 0);
    let r = run(
        &[
            "rotate",
            "--format",
            "flask",
            "--now",
            "1767225100",
            "--from-secret",
            "hostile-key",
            "--to-secret",
            "new-key",
            "-",
        ],
        har.into_bytes(),
    );
    clear("100 MB HAR (rotate, streamed)", &r);
    assert!(
        r.out.contains("invalidated"),
        "{}",
        r.out.lines().last().unwrap_or("")
    );
}

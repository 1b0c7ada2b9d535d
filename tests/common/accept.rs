//! Asking the real frameworks: the `accept` scripts under tests/interop/ answer JSON lines
//! `{"format", "cookie", "keys", "params", "now", "max_age"}` with the library's verdict.

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use signet::core::Secret;

/// The interpreter named by `var` (SIGNET_PYTHON, SIGNET_NODE), or `None` after a loud notice.
pub fn tool(var: &str, what: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(p) if !p.is_empty() => Some(p),
        _ => {
            let required = std::env::var("SIGNET_REQUIRE_INTEROP").is_ok_and(|v| v == "1");
            assert!(!required, "SIGNET_REQUIRE_INTEROP=1 but {var} is not set");
            eprintln!(
                "\n**********************************************************************\n\
                 SKIPPED: a test that asks the real frameworks ({what}). Set {var}\n\
                 (.ci/run does this; see README.md).\n\
                 **********************************************************************\n"
            );
            None
        }
    }
}

/// A Python with tests/interop/requirements.txt installed.
pub fn python() -> Option<String> {
    tool(
        "SIGNET_PYTHON",
        "a Python with tests/interop/requirements.txt",
    )
}

/// Node, after `npm ci --prefix tests/interop/node`.
pub fn node() -> Option<String> {
    tool(
        "SIGNET_NODE",
        "node, after npm ci --prefix tests/interop/node",
    )
}

/// Sends JSON-line requests to an accept script and collects one answer per request.
pub fn ask(program: &str, script: &str, requests: &[Value]) -> Vec<Value> {
    let script = super::root().join(script);
    ask_program(program, &[script.to_str().expect("UTF-8 path")], requests)
}

/// Like [`ask`], for a program that takes its own arguments.
pub fn ask_program(program: &str, args: &[&str], requests: &[Value]) -> Vec<Value> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {program}: {e}"));
    let mut stdin = child.stdin.take().expect("stdin");
    let lines: Vec<String> = requests.iter().map(Value::to_string).collect();
    let writer = std::thread::spawn(move || {
        for line in lines {
            writeln!(stdin, "{line}").expect("write request");
        }
    });
    let answers: Vec<Value> = BufReader::new(child.stdout.take().expect("stdout"))
        .lines()
        .map(|l| serde_json::from_str(&l.expect("line")).expect("answer is JSON"))
        .collect();
    writer.join().expect("writer");
    assert!(child.wait().expect("accept program exits").success());
    assert_eq!(answers.len(), requests.len(), "one answer per cookie");
    answers
}

/// A key as the accept scripts take it.
pub fn key_json(k: &Secret) -> Value {
    match k.expose_text() {
        Some(t) => json!({"text": t}),
        None => json!({"hex": k.expose().iter().map(|b| format!("{b:02x}")).collect::<String>()}),
    }
}

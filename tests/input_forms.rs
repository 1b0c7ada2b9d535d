//! Input forms end to end: genuine Flask, Express and keygrip cookies pasted as a curl command
//! (bash and cmd), a raw HTTP request or response, a HAR file and a devtools row are found,
//! detected (no format given) and verified by `inspect`, with where they came from. And no input
//! makes the parser panic.

mod common;

use proptest::prelude::*;
use signet::core::input::{self, InputForm};
use signet::core::{self, InspectRequest, Inspection, Secret, VerifyOptions};

const NOW: i64 = 1_767_225_600;
const FLASK: &str = "eyJuIjoxLCJ1c2VyIjoiYWRhIn0.aVW2qA.H7WfhH34N2Z8hWVtCml6DQW40TE";
const FLASK_KEY: &str = "contract-check-key";
const EXPRESS: &str = "s%3Aabc123.D7wygo5ZH1W6JLgj6nvEj%2FLJMWaDUGS%2F7079zeVMzXA";
const EXPRESS_KEY: &str = "contract-express";
const KEYGRIP: &str = "eyJrIjogMX0=";
const KEYGRIP_SIG: &str = "97aoVRURYxen0tQMPOEJ90LL4RY";
const KEYGRIP_KEY: &str = "contract-keygrip";

/// A Flask app's cookies, and a Node app's (Express and cookie-session side by side).
fn flask_cookies() -> Vec<(&'static str, &'static str)> {
    vec![("theme", "dark"), ("session", FLASK)]
}

fn node_cookies() -> Vec<(&'static str, &'static str)> {
    vec![
        ("connect.sid", EXPRESS),
        ("session", KEYGRIP),
        ("session.sig", KEYGRIP_SIG),
    ]
}

fn inspect(text: &str, key: &str) -> Inspection {
    let keys = [Secret::from_text(key)];
    let req = InspectRequest {
        format: None,
        keys: &keys,
        params: Default::default(),
    };
    core::inspect(text, &req, &VerifyOptions::at(NOW)).expect("inspects")
}

/// Inspects `text` with each app's key and checks the format, the verdict, the form of the
/// cookie chosen and its source.
fn check(text: &str, apps: &[(&str, &str, InputForm)], source: Option<&str>) {
    for &(key, format, form) in apps {
        let got = inspect(text, key);
        let candidate = got.candidate.as_ref().expect("a candidate");
        assert_eq!(got.format, Some(format), "{text}\n{got:#?}");
        assert_eq!(
            got.verification.verdict.status(),
            "valid",
            "{text}\n{got:#?}"
        );
        assert_eq!(candidate.form, form, "{text}");
        assert_eq!(candidate.source.as_deref(), source, "{text}");
    }
}

fn check_flask(text: &str, form: InputForm, source: Option<&str>) {
    check(text, &[(FLASK_KEY, "flask", form)], source);
}

fn check_node(text: &str, form: InputForm, source: Option<&str>) {
    check(
        text,
        &[
            (EXPRESS_KEY, "express", form),
            (KEYGRIP_KEY, "keygrip", InputForm::SignaturePair),
        ],
        source,
    );
}

fn cookie_list(cookies: &[(&str, &str)]) -> String {
    cookies
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Chrome's "Copy as cURL (bash)".
fn curl_bash(url: &str, cookies: &[(&str, &str)]) -> String {
    format!(
        "curl '{url}' \\\n  -H 'accept: text/html,application/xhtml+xml' \\\n  \
         -H 'accept-language: en-US,en;q=0.9' \\\n  -b '{}' \\\n  \
         -H 'user-agent: Mozilla/5.0 (X11; Linux x86_64)' \\\n  --compressed",
        cookie_list(cookies)
    )
}

/// Firefox's "Copy as cURL (POSIX)": the cookies as a header, `$'…'` where Firefox would use it.
fn curl_firefox(url: &str, cookies: &[(&str, &str)]) -> String {
    format!(
        "curl '{url}' --compressed -H 'User-Agent: Mozilla/5.0' -H 'Accept: */*' \
         -H $'Cookie: {}' -H 'Sec-Fetch-Mode: cors'",
        cookie_list(cookies).replace('=', "\\x3d")
    )
}

/// Chrome's escaping for cmd.exe (`escapeStringWin`).
fn cmd_quote(text: &str) -> String {
    let allowed =
        |c: char| c.is_ascii_alphanumeric() || c.is_whitespace() || "_-:=+~'/.,?;()*`".contains(c);
    let text = text.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = String::from("^\"");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if !allowed(c) {
            out.push('^');
        }
        out.push(c);
        if c == '%'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '_')
        {
            out.push('^');
        }
    }
    out.push_str("^\"");
    out
}

/// Chrome's "Copy as cURL (cmd)".
fn curl_cmd(url: &str, cookies: &[(&str, &str)]) -> String {
    format!(
        "curl {} ^\r\n  -H {} ^\r\n  -b {} ^\r\n  --compressed",
        cmd_quote(url),
        cmd_quote("accept: text/html"),
        cmd_quote(&cookie_list(cookies))
    )
}

#[test]
fn curl_commands() {
    let url = "https://shop.example/cart?ref=home&x=%20";
    let src = Some(url);
    check_flask(&curl_bash(url, &flask_cookies()), InputForm::Curl, src);
    check_flask(&curl_firefox(url, &flask_cookies()), InputForm::Curl, src);
    check_flask(&curl_cmd(url, &flask_cookies()), InputForm::Curl, src);
    check_node(&curl_bash(url, &node_cookies()), InputForm::Curl, src);
    check_node(&curl_firefox(url, &node_cookies()), InputForm::Curl, src);
    check_node(&curl_cmd(url, &node_cookies()), InputForm::Curl, src);
}

#[test]
fn raw_http_messages() {
    let request = |cookies: &[(&str, &str)]| {
        format!(
            "GET /cart?ref=home HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: Mozilla/5.0\r\n\
             Accept: text/html\r\nCookie: {}\r\nConnection: keep-alive\r\n\r\n",
            cookie_list(cookies)
        )
    };
    let src = Some("GET https://shop.example/cart?ref=home");
    check_flask(&request(&flask_cookies()), InputForm::HttpMessage, src);
    check_node(&request(&node_cookies()), InputForm::HttpMessage, src);

    let response = |cookies: &[(&str, &str)]| {
        let mut text = "HTTP/1.1 302 Found\r\nLocation: /home\r\n".to_string();
        for (n, v) in cookies {
            text.push_str(&format!("Set-Cookie: {n}={v}; Path=/; HttpOnly\r\n"));
        }
        text + "Content-Length: 0\r\n\r\n"
    };
    check_flask(&response(&flask_cookies()), InputForm::HttpMessage, None);
    check_node(&response(&node_cookies()), InputForm::HttpMessage, None);
}

#[test]
fn har_files() {
    let read = |name: &str| {
        std::fs::read_to_string(common::root().join("tests/inputs").join(name)).expect("fixture")
    };
    let flask = read("flask.har");
    check_flask(
        &flask,
        InputForm::Har,
        Some("GET https://shop.example/cart"),
    );
    let node = read("node.har");
    check_node(
        &node,
        InputForm::Har,
        Some("POST https://app.example/login"),
    );

    // Every cookie once, with the first request that carried or set it.
    let got = input::parse(&flask);
    let names: Vec<_> = got
        .iter()
        .map(|c| c.name.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(names, ["theme", "session"]);
    let got = input::parse(&node);
    assert_eq!(got.len(), 4, "{got:#?}");
    assert!(
        got.iter()
            .all(|c| c.source.as_deref() == Some("POST https://app.example/login"))
    );
}

#[test]
fn devtools_rows() {
    // Chrome's Application panel: name, value, domain, path, expires, size, flags.
    let chrome = |cookies: &[(&str, &str)]| {
        cookies
            .iter()
            .map(|(n, v)| {
                format!(
                    "{n}\t{v}\tshop.example\t/\tSession\t{}\t✓\t✓\tLax\t\tMedium",
                    n.len() + v.len()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    check_flask(&chrome(&flask_cookies()), InputForm::DevtoolsRow, None);
    check_node(&chrome(&node_cookies()), InputForm::DevtoolsRow, None);
    // A single Chrome row.
    check_flask(&chrome(&[("session", FLASK)]), InputForm::DevtoolsRow, None);
    // Firefox's storage inspector: `name:"value"`.
    let firefox = |cookies: &[(&str, &str)]| {
        cookies
            .iter()
            .map(|(n, v)| format!("{n}:\"{v}\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    check_flask(&firefox(&flask_cookies()), InputForm::DevtoolsRow, None);
    check_node(&firefox(&node_cookies()), InputForm::DevtoolsRow, None);
}

#[test]
fn header_lines_do_not_hide_the_cookie() {
    // Request headers copied from devtools without the request line.
    let text = format!(
        "accept: text/html\nreferer: https://shop.example/\ncookie: {}\nuser-agent: Mozilla/5.0",
        cookie_list(&flask_cookies())
    );
    check_flask(&text, InputForm::CookieHeader, None);
    // A bare value between header lines.
    check_flask(
        &format!("Accept: */*\n{FLASK}\nX-Trace: 1"),
        InputForm::Bare,
        None,
    );
}

proptest! {
    #[test]
    fn parse_never_panics_on_strings(text in "\\PC{0,200}") {
        let got = input::parse(&text);
        prop_assert!(got.len() <= input::MAX_CANDIDATES);
    }

    #[test]
    fn parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        input::parse(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn parse_never_panics_on_form_fragments(
        parts in prop::collection::vec(
            prop_oneof![
                Just("curl ".to_string()),
                Just("curl ^\"".to_string()),
                Just("{\"log\": {\"entries\": [".to_string()),
                Just("{\"request\": {\"cookies\": [{\"name\": \"a\", \"value\": \"1\"}".to_string()),
                Just("GET / HTTP/1.1\n".to_string()),
                Just("HTTP/2 200\n".to_string()),
                Just(":authority: x\n".to_string()),
                Just("Cookie: a=1; a.sig=2".to_string()),
                Just("Set-Cookie: b=2; Path=/".to_string()),
                Just(" -b ".to_string()),
                Just(" -H ".to_string()),
                Just("$'".to_string()),
                Just("\\u".to_string()),
                Just("\\x".to_string()),
                Just("^".to_string()),
                Just("\\".to_string()),
                Just("'".to_string()),
                Just("\"".to_string()),
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                Just("\t".to_string()),
                Just("]}},".to_string()),
                "[ -~]{0,12}",
                "\\PC{0,6}",
            ],
            0..24,
        )
    ) {
        let text = parts.concat();
        for c in input::parse(&text) {
            prop_assert!(c.source.as_ref().is_none_or(|s| s.len() <= input::MAX_SOURCE + 3));
        }
    }
}

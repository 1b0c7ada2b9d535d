#!/usr/bin/env python3
"""Signet vs Python's itsdangerous: bulk verification of the same Flask cookies, same run.

Run with the pinned interop venv (tests/interop/requirements.txt: Flask 3.1.3, itsdangerous 2.2.0):

    /tmp/signet-py/bin/python benches/compare_python.py            # full run
    /tmp/signet-py/bin/python benches/compare_python.py --quick    # shorter criterion run
    /tmp/signet-py/bin/python benches/compare_python.py --parts    # also Signet's sub-benchmarks

What it does:

1. Generates the cookie set with the REAL Flask serializer
   (app.session_interface.get_signing_serializer(app) inside app.app_context()): 40% signed by
   SECRET_KEY, 20% by each of the two SECRET_KEY_FALLBACKS, 20% bad (half signed by an unknown
   key, half with an altered signature), realistic payloads (Flask-Login sessions, small dicts,
   tagged values such as tuples/bytes/UUID/datetime, large carts that Flask compresses), signed
   at fixed offsets before "now". Writes target/bench/flask-cookies.txt (the
   SIGNET_BENCH_COOKIES format documented in benches/verify.rs).
2. Times Python verifying all of them as Flask's open_session does:
   serializer.loads(cookie, max_age=PERMANENT_SESSION_LIFETIME) with SECRET_KEY +
   SECRET_KEY_FALLBACKS, catching BadSignature; best of --rounds rounds (time.perf_counter).
3. Runs `cargo bench --bench verify -- '^flask_bulk/'` with SIGNET_BENCH_COOKIES set, reads
   target/criterion/flask_bulk/<bench>/new/estimates.json (mean point estimate, ns per iteration
   = the whole set) and divides by the cookie count.
4. Checks that both sides agree on the verdict counts and prints a table with the ratio.

Nothing here passes or fails on speed; the script exits non-zero only when something did not run
or the two sides disagree on which cookies are valid.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "target" / "bench"
CRITERION = ROOT / "target" / "criterion"
GROUP = "flask_bulk"
BENCH_1CORE = "decode_verify_1core"
BENCH_ALL = "decode_verify_all_cores"
PARTS_GROUP = "flask_parts"

# Signet order: primary first, then the fallbacks as the app lists them.
KEYS = [
    "signet-bench-primary-2026-7f3a9c",
    "signet-bench-fallback-a-2024-1b6e",
    "signet-bench-fallback-b-2025-d42c",
]
UNKNOWN_KEY = "signet-bench-revoked-2023-0000"


def flask_app(secret_key: str, fallbacks: list[str] | None = None):
    from flask import Flask

    app = Flask("signet_bench")
    app.config["SECRET_KEY"] = secret_key
    app.config["SECRET_KEY_FALLBACKS"] = list(fallbacks or [])
    return app


def make_payload(rng: random.Random) -> dict:
    """A realistic session dict (Flask tags the tuples, bytes, UUID and datetime itself)."""
    user_id = rng.randint(1, 250_000)
    kind = rng.randrange(20)
    if kind < 8:  # Flask-Login + Flask-WTF
        return {
            "_fresh": rng.random() < 0.5,
            "_id": "%0128x" % rng.getrandbits(512),
            "_user_id": str(user_id),
            "csrf_token": "%040x" % rng.getrandbits(160),
        }
    if kind < 14:  # a few small fields
        return {
            "cart_count": rng.randrange(6),
            "lang": rng.choice(["en", "de", "fr", "es", "pt-BR", "ja"]),
            "theme": rng.choice(["dark", "light", "system"]),
            "user_id": user_id,
        }
    if kind < 17:  # tagged values
        return {
            "_flashes": [
                ("message", rng.choice(["Profile saved.", "Welcome back!", "Password changed."])),
                ("warning", "Your trial ends in 3 days."),
            ],
            "last_login": dt.datetime(
                2025, 12, rng.randint(1, 28), rng.randrange(24), rng.randrange(60),
                tzinfo=dt.timezone.utc,
            ),
            "nonce": rng.randbytes(8),
            "recent": (rng.randrange(1000), rng.randrange(1000), rng.randrange(1000)),
            "session_uuid": uuid.UUID(int=rng.getrandbits(128)),
            "user_id": user_id,
        }
    cart = []
    for _ in range(rng.randint(10, 30)):  # a large cart: Flask compresses it
        sku = rng.randrange(5000)
        cart.append({
            "name": f"Widget {sku}",
            "price": rng.randint(100, 9999) / 100,
            "qty": rng.randint(1, 4),
            "sku": f"SKU-{sku:05d}",
        })
    return {"cart": cart, "currency": "EUR", "user_id": user_id}


def alter_signature(cookie: str) -> str:
    """Changes one signature character well inside it (the last may carry only padding bits)."""
    at = len(cookie) - 5
    return cookie[:at] + ("B" if cookie[at] == "A" else "A") + cookie[at + 1:]


def generate(count: int, seed: int, now: int) -> tuple[list[str], dict]:
    """The cookie set, signed by Flask's own session serializer at frozen times."""
    rng = random.Random(seed)
    # 0 = primary, 1 = fallback-a, 2 = fallback-b, 3 = unknown key, 4 = altered signature:
    # 40 / 20 / 20 / 10 / 10 %, shuffled.
    deciles = (0, 0, 0, 0, 1, 1, 2, 2, 3, 4)
    categories = [deciles[i * 10 // count] for i in range(count)]
    rng.shuffle(categories)
    # A Flask app per signing key (the altered ones are signed by the primary).
    apps = [flask_app(k) for k in (KEYS[0], KEYS[1], KEYS[2], UNKNOWN_KEY)]
    serializers = [app.session_interface.get_signing_serializer(app) for app in apps]
    clock = [float(now)]
    cookies = []
    # TimestampSigner.get_timestamp is int(time.time()): frozen per cookie.
    with mock.patch("time.time", lambda: clock[0]):
        for category in categories:
            clock[0] = float(now - 60 - rng.randrange(20 * 86_400))
            payload = make_payload(rng)
            signer = (0, 1, 2, 3, 0)[category]
            # dumps inside the app context: Flask's JSON provider sorts keys, ensure_ascii.
            with apps[signer].app_context():
                cookie = serializers[signer].dumps(payload)
            if category == 4:
                cookie = alter_signature(cookie)
            cookies.append(cookie)
    expect = {
        "valid": sum(1 for c in categories if c < 3),
        "bad_signature": sum(1 for c in categories if c >= 3),
        "by_key": [sum(1 for c in categories if c == k) for k in range(3)],
    }
    return cookies, expect


def python_verify(cookies: list[str], rounds: int) -> tuple[float, int, list[float]]:
    """Best-of-rounds seconds for loading every cookie as Flask's open_session does."""
    from itsdangerous import BadSignature

    app = flask_app(KEYS[0], KEYS[1:])
    with app.app_context():
        serializer = app.session_interface.get_signing_serializer(app)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        loads = serializer.loads

        def run() -> int:
            valid = 0
            for cookie in cookies:
                try:
                    loads(cookie, max_age=max_age)
                    valid += 1
                except BadSignature:
                    pass
            return valid

        run()  # warm-up
        times = []
        valid = 0
        for _ in range(rounds):
            t0 = time.perf_counter()
            valid = run()
            times.append(time.perf_counter() - t0)
    return min(times), valid, times


def python_unsign(cookies: list[str], rounds: int) -> tuple[float, int]:
    """Best-of-rounds seconds for the signature and age check alone (no payload decoding):
    the TimestampSigner that Flask's serializer unsigns with, keys in Flask's order."""
    from itsdangerous import BadSignature

    app = flask_app(KEYS[0], KEYS[1:])
    with app.app_context():
        serializer = app.session_interface.get_signing_serializer(app)
        signer = serializer.make_signer(serializer.salt)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        unsign = signer.unsign

        def run() -> int:
            valid = 0
            for cookie in cookies:
                try:
                    unsign(cookie, max_age=max_age)
                    valid += 1
                except BadSignature:
                    pass
            return valid

        run()
        best, valid = float("inf"), 0
        for _ in range(rounds):
            t0 = time.perf_counter()
            valid = run()
            best = min(best, time.perf_counter() - t0)
    return best, valid


def machine_facts() -> dict:
    facts = {"cpu": platform.processor() or "?", "sha_ni": False}
    try:
        info = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.+)$", info, re.M)
        if m:
            facts["cpu"] = m.group(1).strip()
        m = re.search(r"^cpu MHz\s*:\s*(.+)$", info, re.M)
        if m:
            facts["mhz"] = m.group(1).strip()
        m = re.search(r"^flags\s*:\s*(.+)$", info, re.M)
        facts["sha_ni"] = bool(m and "sha_ni" in m.group(1).split())
    except OSError:
        pass
    try:
        facts["nproc"] = subprocess.run(["nproc"], capture_output=True, text=True,
                                        check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        facts["nproc"] = str(os.cpu_count())
    for tool in ("rustc", "cargo"):
        try:
            facts[tool] = subprocess.run([tool, "--version"], capture_output=True, text=True,
                                         check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            facts[tool] = "?"
    facts["python"] = platform.python_version()
    return facts


def read_estimate(group: str, bench: str, since: float) -> dict | None:
    path = CRITERION / group / bench / "new" / "estimates.json"
    if not path.exists() or path.stat().st_mtime < since:
        return None
    return json.loads(path.read_text())


def run_cargo(cookie_file: Path, args: argparse.Namespace) -> tuple[str | None, float]:
    """Runs the criterion bench; returns its `signet-bench:` line and the wall time."""
    filt = f"^({GROUP}|{PARTS_GROUP})/" if args.parts else f"^{GROUP}/"
    timing = (["--quick"] if args.quick else
              ["--warm-up-time", str(args.warm_up_time),
               "--measurement-time", str(args.measurement_time)])
    cmd = ["cargo", "bench", "--bench", "verify", "--", *timing, "--noplot", filt]
    env = dict(os.environ, SIGNET_BENCH_COOKIES=str(cookie_file))
    print(f"$ SIGNET_BENCH_COOKIES={cookie_file} {' '.join(cmd)}", flush=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    summary = None
    assert proc.stdout is not None
    for line in proc.stdout:
        # (criterion's "change since the last run" lines are the ones with a %)
        if args.verbose or line.startswith(("signet-bench:", "flask_")) or (
                ("time:" in line or "thrpt:" in line) and "%" not in line):
            print("  | " + line.rstrip(), flush=True)
        if line.startswith("signet-bench:"):
            summary = line.strip()
    rc = proc.wait()
    if rc != 0:
        sys.exit(f"cargo bench failed with exit code {rc}")
    return summary, time.perf_counter() - t0


def parse_summary(line: str) -> dict:
    out = {}
    for key in ("cookies", "valid", "expired", "bad_signature", "malformed", "other", "threads"):
        m = re.search(rf"\b{key}=(\d+)", line)
        if m:
            out[key] = int(m.group(1))
    m = re.search(r"\bby_key=\[([\d, ]*)\]", line)
    if m:
        out["by_key"] = [int(x) for x in m.group(1).split(",") if x.strip()]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=10_000, help="cookies (default 10000)")
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--rounds", type=int, default=5, help="Python timing rounds (best of)")
    ap.add_argument("--quick", action="store_true", help="criterion --quick")
    ap.add_argument("--warm-up-time", type=float, default=2.0)
    ap.add_argument("--measurement-time", type=float, default=5.0)
    ap.add_argument("--parts", action="store_true",
                    help="also run and print Signet's flask_parts sub-benchmarks")
    ap.add_argument("--no-cargo", action="store_true", help="generate and time Python only")
    ap.add_argument("-v", "--verbose", action="store_true", help="show all of cargo's output")
    args = ap.parse_args()

    started = time.perf_counter()
    load_start = os.getloadavg()
    from importlib.metadata import version

    versions = f"Flask {version('flask')}, itsdangerous {version('itsdangerous')}"
    # Signed relative to the real clock so that Python can verify at the real time (no clock
    # patch in the timed loop); Signet verifies at the same "now", recorded in the header.
    now = int(time.time())
    t0 = time.perf_counter()
    cookies, expect = generate(args.count, args.seed, now)
    gen_s = time.perf_counter() - t0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    cookie_file = OUT_DIR / "flask-cookies.txt"
    max_age = int(flask_app("x").permanent_session_lifetime.total_seconds())
    header = {
        "signet_bench": 1,
        "format": "flask",
        "generator": versions,
        "keys": KEYS,
        "now": now,
        "max_age": max_age,
        "expect": expect,
    }
    cookie_file.write_text(json.dumps(header) + "\n" + "\n".join(cookies) + "\n")
    compressed = sum(1 for c in cookies if c.startswith("."))
    mean_len = sum(map(len, cookies)) / len(cookies)
    print(f"generated {len(cookies)} cookies with {versions} in {gen_s:.1f} s -> {cookie_file}")
    print(f"  mix: {expect}; {compressed} compressed; mean length {mean_len:.0f} chars")

    print(f"timing Python ({args.rounds} rounds + 1 warm-up) ...", flush=True)
    best, py_valid, times = python_verify(cookies, args.rounds)
    py_ns = best / len(cookies) * 1e9
    print(f"  rounds (s): {', '.join(f'{t:.3f}' for t in times)}; valid={py_valid}")

    problems = []
    if py_valid != expect["valid"]:
        problems.append(f"Python found {py_valid} valid cookies, the generator expected "
                        f"{expect['valid']}")

    signet = {}
    summary = None
    cargo_s = 0.0
    if not args.no_cargo:
        bench_start = time.time()
        summary, cargo_s = run_cargo(cookie_file, args)
        if summary is None:
            problems.append("the bench printed no signet-bench: line")
        else:
            counts = parse_summary(summary)
            if counts.get("cookies") != len(cookies):
                problems.append(f"Signet read {counts.get('cookies')} cookies, not {len(cookies)}")
            if counts.get("valid") != py_valid:
                problems.append(f"Signet found {counts.get('valid')} valid, Python {py_valid}")
            if counts.get("by_key") != expect["by_key"]:
                problems.append(f"Signet's matches per key {counts.get('by_key')} differ from "
                                f"the signing keys {expect['by_key']}")
            signet["counts"] = counts
        names = [BENCH_1CORE, BENCH_ALL]
        for bench in names:
            est = read_estimate(GROUP, bench, bench_start)
            if est is None:
                problems.append(f"no fresh criterion estimate for {GROUP}/{bench}")
                continue
            signet[bench] = est["mean"]["point_estimate"] / len(cookies)
        if args.parts:
            parts_dir = CRITERION / PARTS_GROUP
            signet["parts"] = {}
            for d in sorted(parts_dir.iterdir()) if parts_dir.exists() else []:
                est = read_estimate(PARTS_GROUP, d.name, bench_start)
                if est is not None:
                    signet["parts"][d.name] = est["mean"]["point_estimate"] / len(cookies)

    facts = machine_facts()
    print()
    print("=" * 78)
    print(f"Flask cookie bulk verification, {len(cookies)} cookies, 3-key list "
          f"(40% primary / 20% / 20% fallbacks / 20% bad), {compressed} compressed, "
          f"mean {mean_len:.0f} chars")
    print(f"machine: {facts['cpu']} ({facts.get('mhz', '?')} MHz), nproc={facts['nproc']}, "
          f"SHA-NI={'yes' if facts['sha_ni'] else 'no'}")
    print(f"         {facts['rustc']}; Python {facts['python']}; {versions}")
    # Only the load before the run says something about other work: the bench itself keeps
    # every core busy.
    busy = load_start[0] > 0.5 * (os.cpu_count() or 1)
    print(f"         load average (1 min) before the run {load_start[0]:.2f}"
          + ("  <- other work was running: the figures (all cores most) are pessimistic"
             if busy else ""))
    print("-" * 78)
    rows = [("Python itsdangerous, 1 core (best of %d)" % args.rounds, py_ns,
             f"{1e9 / py_ns:,.0f}/s", "1.0x")]
    for bench, label in ((BENCH_1CORE, "Signet, 1 core"),
                         (BENCH_ALL, f"Signet, all cores ({facts['nproc']})")):
        if bench in signet:
            ns = signet[bench]
            rows.append((label, ns, f"{1e9 / ns:,.0f}/s", f"{py_ns / ns:,.1f}x"))
    print(f"{'':44} {'per cookie':>12} {'cookies/s':>12} {'vs Python 1 core':>17}")
    for label, ns, rate, ratio in rows:
        per = f"{ns / 1000:.2f} us" if ns >= 1000 else f"{ns:.0f} ns"
        print(f"{label:44} {per:>12} {rate:>12} {ratio:>17}")
    if BENCH_1CORE in signet:
        ratio = py_ns / signet[BENCH_1CORE]
        print("-" * 78)
        print(f"per-core ratio Signet/Python: {ratio:.1f}x (target >= 100x: "
              f"{'met' if ratio >= 100 else 'NOT met'})")
    if signet.get("parts", {}).get("verify_only"):
        un_s, un_valid = python_unsign(cookies, args.rounds)
        un_ns = un_s * 1e9 / len(cookies)
        ours = signet["parts"]["verify_only"]
        print("-" * 78)
        print("signature + age check only (no payload decoding), 1 core:")
        print(f"  Python TimestampSigner.unsign  {un_ns / 1000:8.2f} us   (valid {un_valid})")
        print(f"  Signet Verifier::verify        {ours:8.0f} ns   ratio {un_ns / ours:,.1f}x")
    if signet.get("parts"):
        print("-" * 78)
        print("Signet sub-benchmarks, 1 core, ns per cookie of the whole set:")
        for name, ns in signet["parts"].items():
            print(f"  {name:40} {ns:10.0f} ns")
    if summary:
        counts = signet.get("counts", {})
        print("-" * 78)
        print(f"agreement: Python valid={py_valid}, Signet valid={counts.get('valid')} "
              f"by key={counts.get('by_key')}, bad={counts.get('bad_signature')}, "
              f"expected {expect}")
    print(f"script wall time: {time.perf_counter() - started:.0f} s (generation {gen_s:.0f} s, "
          f"Python timing {sum(times):.0f} s, cargo bench {cargo_s:.0f} s incl. build)")
    print("=" * 78)
    if problems:
        for p in problems:
            print("PROBLEM: " + p, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Key audit speed: flask-unsign and `signet audit` on the same Flask session cookie and the same
wordlist (N random lines, the real key last), in the same run; then Signet's fraction of the
machine's SHA-1 limit.

    target/interop-venv/bin/pip install flask-unsign==1.2.1
    target/interop-venv/bin/python benches/compare_audit.py [--lines 1000000]

* The cookie is made by Flask itself (`SecureCookieSessionInterface`), the wordlist is random
  16-hex-digit lines with the key on the last line: both tools must try every line.
* flask-unsign runs as its users run it (`--unsign --no-literal-eval`, its default threads);
  Signet as `signet audit --wordlist` (release build, every core, and once on one core).
* The SHA-1 limit comes from `cargo bench --bench audit`: `sha1/compress_block` (one compression
  with the `sha1` crate's fastest backend, SHA extensions when present) and
  `sha1/compress_lanes/<backend>` (16 independent compressions at once on each multi-buffer
  backend the CPU has, src/core/sha1x2.rs); the limit is the fastest per compression. A Flask
  candidate costs a fixed number of compressions (the script counts them for this cookie), so
  candidates/s x compressions / (compressions/s x cores) is the fraction of the limit reached.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = "audit-bench-the-real-key-7f3a"


def flask_cookie() -> str:
    from flask import Flask

    app = Flask(__name__)
    app.secret_key = KEY
    with app.app_context():
        s = app.session_interface.get_signing_serializer(app)
        return s.dumps({"_user_id": "42", "_fresh": True, "role": "admin"})


def compressions(cookie: str, salt: bytes = b"cookie-session") -> int:
    """SHA-1 compressions per candidate: HMAC(candidate, salt) then HMAC(derived, value)."""
    signed = cookie.rsplit(".", 1)[0].encode()

    def hmac_blocks(message_len: int) -> int:
        # ipad block + padded message after it + opad block + one outer block (20-byte digest).
        return 1 + (message_len + 9 + 63) // 64 + 1 + 1

    return hmac_blocks(len(salt)) + hmac_blocks(len(signed))


def sha1_ns_per_block() -> tuple[float, str]:
    """The fastest SHA-1 compression on this CPU, in ns, and how it was run."""
    subprocess.run(
        ["cargo", "bench", "--bench", "audit", "--", "--warm-up-time", "2",
         "--measurement-time", "8", "sha1/"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )
    found = {}
    for estimates in (ROOT / "target/criterion/sha1").glob("**/new/estimates.json"):
        bench = estimates.parent.parent.relative_to(ROOT / "target/criterion/sha1").as_posix()
        ns = json.loads(estimates.read_text())["mean"]["point_estimate"]
        # compress_lanes/<backend> runs 16 compressions per iteration.
        found[bench] = ns / 16 if bench.startswith("compress_lanes") else ns
    for bench, ns in sorted(found.items()):
        print(f"  sha1/{bench:24} {ns:6.1f} ns per compression")
    bench = min(found, key=found.get)
    return found[bench], bench


def run_flask_unsign(cookie: str, wordlist: Path, lines: int) -> float:
    exe = Path(sys.executable).with_name("flask-unsign")
    if not exe.exists():
        sys.exit(f"flask-unsign is not installed beside {sys.executable} (pip install flask-unsign==1.2.1)")
    t = time.perf_counter()
    out = subprocess.run(
        [str(exe), "--unsign", "--cookie", cookie, "--wordlist", str(wordlist), "--no-literal-eval"],
        capture_output=True, text=True,
    )
    secs = time.perf_counter() - t
    if KEY not in out.stdout:
        sys.exit(f"flask-unsign did not find the key:\n{out.stdout}\n{out.stderr}")
    return secs


def run_signet(signet: str, cookie: str, wordlist: Path, threads: int | None) -> tuple[float, int]:
    cmd = [signet, "audit", cookie, "--format", "flask", "--wordlist", str(wordlist), "--json"]
    if threads:
        cmd += ["--threads", str(threads)]
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True)
    secs = time.perf_counter() - t
    result = json.loads(out.stdout)
    if not result.get("found"):
        sys.exit(f"signet audit did not find the key: {out.stdout} {out.stderr}")
    return secs, result["tried"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--signet", default=str(ROOT / "target/release/signet"))
    args = ap.parse_args()
    if args.signet == str(ROOT / "target/release/signet"):
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "signet"], cwd=ROOT, check=True)
    cores = os.cpu_count() or 1
    cookie = flask_cookie()
    per_candidate = compressions(cookie)
    tmp = Path(tempfile.mkdtemp(prefix="signet-audit-bench-"))
    try:
        wordlist = tmp / "wordlist.txt"
        with wordlist.open("w") as f:
            for _ in range(args.lines - 1):
                f.write(secrets.token_hex(8) + "\n")
            f.write(KEY + "\n")
        print(f"cookie {cookie}")
        print(f"wordlist {args.lines:,} lines, key last; {cores} cores; {per_candidate} SHA-1 compressions per candidate")

        fu = run_flask_unsign(cookie, wordlist, args.lines)
        fu_rate = args.lines / fu
        print(f"flask-unsign 1.2.1        {fu:8.2f} s  {fu_rate:12,.0f} candidates/s")

        s1, _ = run_signet(args.signet, cookie, wordlist, 1)
        s1_rate = args.lines / s1
        print(f"signet audit, 1 thread    {s1:8.2f} s  {s1_rate:12,.0f} candidates/s")
        sn, tried = run_signet(args.signet, cookie, wordlist, None)
        sn_rate = args.lines / sn
        print(f"signet audit, {cores} threads   {sn:8.2f} s  {sn_rate:12,.0f} candidates/s  ({tried:,} tried)")
        print(f"ratio (all cores)         {sn_rate / fu_rate:8.0f} x flask-unsign")

        ns, how = sha1_ns_per_block()
        limit_core = 1e9 / ns
        limit_all = limit_core * cores
        print(f"SHA-1 limit               {ns:8.1f} ns per compression ({how}): {limit_core:,.0f}/s per core, {limit_all:,.0f}/s on {cores}")
        print(f"  = {limit_core / per_candidate:,.0f} candidates/s per core, {limit_all / per_candidate:,.0f} on {cores}")
        print(f"signet, 1 thread:         {s1_rate * per_candidate / limit_core:6.0%} of one core's limit (wall time, process start and file reading included)")
        print(f"signet, all cores:        {sn_rate * per_candidate / limit_all:6.0%} of the machine's limit")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

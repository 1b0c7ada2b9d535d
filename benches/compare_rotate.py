#!/usr/bin/env python3
"""Rotation preview at scale: classify N Flask cookies under a current and a proposed key set with
Signet (`signet rotate`, release build, every core) and with a Python loop over itsdangerous on the
same file, in the same run; report wall time, peak memory and the ratio.

    target/interop-venv/bin/python benches/compare_rotate.py [--cookies 1000000] [--python-sample 100000]

Python classifies a sample (by default 100,000 cookies: a million takes it minutes) and its time is
scaled to the whole file; Signet classifies every cookie. Both must agree on the counts of the sample.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
CURRENT = ["rot-2025-primary-9c1e", "rot-2024-fallback-77a0"]
PROPOSED = ["rot-2026-primary-3b5d", "rot-2025-primary-9c1e"]
SIGNERS = CURRENT + PROPOSED[:1] + ["rot-unknown-key"]
NOW = 1_767_225_600


def generate(path: Path, n: int) -> None:
    from flask import Flask

    apps = {}
    for key in SIGNERS:
        app = Flask(__name__)
        app.secret_key = key
        apps[key] = app
    with path.open("w") as out:
        for key in SIGNERS:
            with apps[key].app_context():
                pass
        serializers = {}
        for key, app in apps.items():
            ctx = app.app_context()
            ctx.push()
            serializers[key] = app.session_interface.get_signing_serializer(app)
        for i in range(n):
            key = SIGNERS[i % len(SIGNERS)]
            age = (i * 7_919) % (40 * 86_400)
            payload = {"_user_id": str(i), "_fresh": i % 3 == 0, "csrf_token": f"{i:040x}",
                       "cart": [{"sku": f"sku-{i % 97}", "qty": i % 5}] * (i % 4)}
            with mock.patch("time.time", return_value=NOW - age):
                out.write(serializers[key].dumps(payload) + "\n")


def python_classify(lines: list[str]) -> tuple[float, dict]:
    from flask import Flask
    from itsdangerous import BadSignature, SignatureExpired

    def serializer(keys):
        app = Flask(__name__)
        app.secret_key = keys[0]
        app.config["SECRET_KEY_FALLBACKS"] = keys[1:]
        app.app_context().push()
        return app.session_interface.get_signing_serializer(app), int(app.permanent_session_lifetime.total_seconds())

    cur, max_age = serializer(CURRENT)
    new, _ = serializer(PROPOSED)
    counts: dict = {}
    t0 = time.perf_counter()
    with mock.patch("time.time", return_value=NOW):
        for line in lines:
            try:
                new.loads(line, max_age=max_age)
                outcome = "valid"
            except SignatureExpired:
                outcome = "expired"
            except BadSignature:
                try:
                    cur.loads(line, max_age=max_age)
                    outcome = "invalidated"
                except SignatureExpired:
                    outcome = "invalidated"
                except BadSignature:
                    outcome = "already-invalid"
            counts[outcome] = counts.get(outcome, 0) + 1
    return time.perf_counter() - t0, counts


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cookies", type=int, default=1_000_000)
    ap.add_argument("--python-sample", type=int, default=100_000)
    args = ap.parse_args()
    out_dir = ROOT / "target" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"rotate-{args.cookies}.txt"
    if not path.exists():
        t0 = time.perf_counter()
        generate(path, args.cookies)
        print(f"generated {args.cookies} cookies in {time.perf_counter() - t0:.0f} s -> {path}")
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "signet"], cwd=ROOT, check=True)
    binary = ROOT / "target" / "release" / "signet"
    cmd = [str(binary), "rotate", "--json", "--format", "flask", "--now", str(NOW)]
    for k in CURRENT:
        cmd += ["--from-secret", k]
    for k in PROPOSED:
        cmd += ["--to-secret", k]
    cmd.append(str(path))
    t0 = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    wall = time.perf_counter() - t0
    peak_kb = int(proc.stderr.decode().strip().splitlines()[-1])
    signet_counts: dict = {}
    sample_counts: dict = {}
    for i, line in enumerate(proc.stdout.decode().splitlines()):
        outcome = json.loads(line)["outcome"]
        outcome = "valid" if outcome.startswith("valid") else outcome
        signet_counts[outcome] = signet_counts.get(outcome, 0) + 1
        if i < args.python_sample:
            sample_counts[outcome] = sample_counts.get(outcome, 0) + 1
    lines = path.read_text().splitlines()[: args.python_sample]
    py_s, py_counts = python_classify(lines)
    py_per = py_s / len(lines)
    n = args.cookies
    cores = os.cpu_count() or 1
    print("=" * 78)
    print(f"rotation preview of {n} Flask cookies, current {len(CURRENT)} keys, proposed {len(PROPOSED)} keys, {cores} cores")
    print(f"Signet (signet rotate, release, all cores): {wall:.2f} s wall, {n / wall:,.0f} cookies/s, peak RSS {peak_kb / 1024:.0f} MB")
    print(f"Python itsdangerous loop (1 core, {len(lines)} sampled): {py_per * 1e6:.1f} us/cookie -> {py_per * n:.0f} s for all")
    print(f"ratio (Python 1 core / Signet all cores): {py_per * n / wall:.0f}x; per core: {py_per * n / (wall * cores):.0f}x")
    print(f"counts: signet {signet_counts}; python sample {py_counts}; signet sample {sample_counts}")
    print("=" * 78)
    return 0 if py_counts == sample_counts else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Rotation preview at scale: classify N Flask cookies under a current and a proposed key set with
Signet (`signet rotate --json`, release build) and with a Python loop over itsdangerous on the
same file, in the same run; report wall time, peak memory and the ratios.

    /tmp/signet-py/bin/python benches/compare_rotate.py [--cookies 1000000] [--python-sample 100000]
                                                        [--runs 3]

(any Python with Flask installed). The file is made once by the real Flask serializer and kept in
target/bench/. Python classifies a sample (by default 100,000 cookies: a million takes it about
a minute) on one core and its time is scaled to the whole file; Signet classifies every cookie,
on every core (`--threads N`) and on one (`--threads 1`), each `--runs` times (the best run is
reported, with the others beside it: the machine may be shared). Its rows go to a file, so that
nothing else competes for the cores while it runs; wall time, CPU time and peak RSS come from
/usr/bin/time. Both must agree on the outcome counts of the sample.

Per-core ratios: Python's time per cookie on one core over Signet's, both classifying the same
sample held in memory (`cargo bench --bench rotate -- rotate/file_1core`); and over the CPU time
per cookie of the whole `signet rotate` process (reading the file and writing a JSON row per
cookie included). `--payloads small` makes a file of cookies too small for Flask to compress.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
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


def generate(path: Path, n: int, payloads: str) -> None:
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
            if payloads == "small":
                # Too small for Flask to compress: the cookie carries its JSON as is.
                payload = {"user_id": i, "lang": ("en", "de", "fr")[i % 3], "theme": "dark"}
            else:
                # Flask-Login's fields and a cart: Flask compresses these.
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


def run_signet(cmd: list[str], threads: int, out_path: Path) -> dict:
    """One `signet rotate` run on `threads` threads, rows to `out_path`."""
    with out_path.open("wb") as out:
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M"] + cmd + ["--threads", str(threads)],
                              stdout=out, stderr=subprocess.PIPE, check=True)
    wall, user, sys_, peak_kb = proc.stderr.decode().strip().splitlines()[-1].split()
    return {"wall": float(wall), "cpu": float(user) + float(sys_), "rss_mb": int(peak_kb) / 1024}


def signet_in_memory(sample: Path) -> dict[str, float]:
    """Seconds per iteration (median) of the criterion benchmarks `rotate/file_1core`
    (`Rotation::classify_many` over the lines of `sample`, held in memory, one core) and
    `rotate/file_inflate_1core` (inflating their zlib payloads alone), by name."""
    proc = subprocess.run(["cargo", "bench", "--locked", "--quiet", "--bench", "rotate", "--", "rotate/file"],
                          cwd=ROOT, env={**os.environ, "SIGNET_ROTATE_FILE": str(sample)},
                          capture_output=True, text=True, check=True)
    times: dict[str, float] = {}
    name = None
    for line in proc.stdout.splitlines():
        if line.startswith("rotate/"):
            name = line.split()[0]
        if "time:" in line and name and name not in times:
            value, unit = line.split("[")[1].split()[2:4]
            scale = {"s": 1.0, "ms": 1e-3, "µs": 1e-6, "us": 1e-6}[unit]
            times[name] = float(value) * scale
    if "rotate/file_1core" not in times:
        raise RuntimeError("no time in the benchmark's output:\n" + proc.stdout)
    return times


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cookies", type=int, default=1_000_000)
    ap.add_argument("--python-sample", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--payloads", choices=["cart", "small"], default="cart",
                    help="cart: Flask-Login fields and a cart, compressed by Flask (the default); "
                         "small: three fields, too small to compress")
    args = ap.parse_args()
    out_dir = ROOT / "target" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"rotate-{args.cookies}" + ("" if args.payloads == "cart" else f"-{args.payloads}")
    path = out_dir / f"{stem}.txt"
    if not path.exists():
        t0 = time.perf_counter()
        generate(path, args.cookies, args.payloads)
        print(f"generated {args.cookies} cookies in {time.perf_counter() - t0:.0f} s -> {path}")
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "--bin", "signet"], cwd=ROOT, check=True)
    binary = ROOT / "target" / "release" / "signet"
    cmd = [str(binary), "rotate", "--json", "--format", "flask", "--now", str(NOW)]
    for k in CURRENT:
        cmd += ["--from-secret", k]
    for k in PROPOSED:
        cmd += ["--to-secret", k]
    cmd.append(str(path))
    cores = os.cpu_count() or 1
    runs: dict[int, list[dict]] = {}
    outputs: dict[int, Path] = {}
    for threads in sorted({cores, 1}, reverse=True):
        outputs[threads] = out_dir / f"{stem}-{threads}t.jsonl"
        runs[threads] = [run_signet(cmd, threads, outputs[threads]) for _ in range(args.runs)]
    rows = outputs[1]
    same = all(filecmp.cmp(rows, other, shallow=False) for other in outputs.values())

    signet_counts: dict = {}
    sample_counts: dict = {}
    with rows.open() as f:
        for i, line in enumerate(f):
            outcome = json.loads(line)["outcome"]
            outcome = "valid" if outcome.startswith("valid") else outcome
            signet_counts[outcome] = signet_counts.get(outcome, 0) + 1
            if i < args.python_sample:
                sample_counts[outcome] = sample_counts.get(outcome, 0) + 1
    with path.open() as f:
        lines = [line.rstrip("\n") for _, line in zip(range(args.python_sample), f)]
    py_s, py_counts = python_classify(lines)
    py_per = py_s / len(lines)
    sample = out_dir / f"{stem}-sample.txt"
    sample.write_text("".join(line + "\n" for line in lines))
    mem = signet_in_memory(sample)
    mem_per = mem["rotate/file_1core"] / len(lines)
    streams = sum(1 for line in lines if line.startswith("."))
    n = args.cookies
    print("=" * 78)
    print(f"rotation preview of {n} Flask cookies, current {len(CURRENT)} keys, proposed {len(PROPOSED)} keys, {cores} cores")
    print(f"Python itsdangerous loop (1 core, {len(lines)} sampled): {py_per * 1e6:.1f} us/cookie -> {py_per * n:.0f} s for all")
    print(f"Signet classifying the same {len(lines)} lines in memory (1 core, criterion rotate/file_1core): "
          f"{mem_per * 1e6:.2f} us/cookie -> {py_per / mem_per:.0f}x Python per core")
    if streams and "rotate/file_inflate_1core" in mem:
        # A payload is inflated when a key verifies it in time under either set.
        loaded = (py_counts.get("valid", 0) + py_counts.get("invalidated", 0)) / len(lines)
        inflate = mem["rotate/file_inflate_1core"] / streams
        print(f"  of which zlib inflate: {inflate * 1e6:.2f} us per compressed payload (C zlib, as CPython), "
              f"for {loaded:.0%} of the cookies: {inflate * loaded * 1e6:.2f} us/cookie, so at most "
              f"{py_per / (inflate * loaded):.0f}x Python per core were all else free")
    for threads, results in runs.items():
        best = min(results, key=lambda r: r["wall"])
        # Core time per cookie: the CPU the whole process used (its reading thread and the
        # thread writing rows included), per cookie.
        core_per = best["cpu"] / n
        walls = ", ".join(f"{r['wall']:.2f}" for r in results)
        print(f"Signet, {threads} thread{'s' if threads > 1 else ''}: {best['wall']:.2f} s wall (runs: {walls}), "
              f"{n / best['wall']:,.0f} cookies/s, {best['cpu']:.2f} s CPU, peak RSS {best['rss_mb']:.0f} MB; "
              f"{core_per * 1e6:.2f} us CPU per cookie (reading and writing rows included) -> {py_per / core_per:.0f}x Python per core, "
              f"{py_per * n / best['wall']:.0f}x overall")
    print(f"counts: signet {signet_counts}; python sample {py_counts}; signet sample {sample_counts}")
    print(f"rows on {' and '.join(str(t) for t in outputs)} thread(s): {'identical' if same else 'DIFFERENT'}")
    print("=" * 78)
    return 0 if py_counts == sample_counts and same else 1


if __name__ == "__main__":
    sys.exit(main())

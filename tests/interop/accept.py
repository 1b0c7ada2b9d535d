#!/usr/bin/env python3
"""Ask the real libraries whether they accept a cookie (the direction Signet -> framework).

    /tmp/signet-py/bin/python tests/interop/accept.py < requests.jsonl

Each input line is a JSON object
    {"format", "cookie", "keys", "params", "now", "max_age"}
(max_age missing or null = the framework's default, "none" = no age check, or an integer;
params missing = {}; now missing = the current clock). Each output line (flushed at once) is
    {"status", "payload", "signed_at", "key_index"}
computed exactly as gen_itsdangerous.py computes a vector's expectation (itsd_common.evaluate),
plus "library_result" (ok or the exception class name). A BadSignature/BadTimeSignature is
reported as "malformed" instead of "bad-signature" when the cookie is structurally malformed
(itsd_common.structurally_malformed: empty, missing separator/timestamp, undecodable timestamp,
signature decoding to nothing). A line that cannot be processed yields {"error": "..."}.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import itsd_common as C  # noqa: E402


def answer(req: dict) -> dict:
    fmt = req["format"]
    if fmt not in C.FORMATS:
        raise ValueError(f"unsupported format {fmt!r}")
    now = req.get("now")
    if now is None:
        now = int(time.time())
    ev = C.evaluate(fmt, req["cookie"], req["keys"], req.get("params") or {}, now,
                    req.get("max_age"))
    return {
        "status": ev["status"],
        "payload": ev["payload"],
        "signed_at": ev["signed_at"],
        "key_index": ev["key_index"],
        "library_result": ev["library_result"],
    }


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            out = answer(json.loads(line))
        except Exception as e:  # noqa: BLE001 - report and keep serving
            out = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

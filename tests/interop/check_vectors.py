#!/usr/bin/env python3
"""Sanity-check tests/vectors/itsdangerous.json against the real libraries.

    /tmp/signet-py/bin/python tests/interop/check_vectors.py [tests/vectors/itsdangerous.json]

For every vector, starting from the file alone:
  1. the cookie re-loads with the library (at `now`, with `max_age`) to its `library_result`,
     and status/payload/signed_at/key_index/compressed match `expect`;
  2. accept.py (run as a subprocess, one JSON line per vector) gives the same answer;
  3. when `resign` is true, signing expect.payload with keys[key_index], params and time
     signed_at through the library gives back `cookie` byte for byte;
  4. `input` contains `cookie`; names are unique.
Exit status 1 on any mismatch.
"""

from __future__ import annotations

import json
import subprocess
import sys
from base64 import b64encode
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import itsd_common as C  # noqa: E402


def resign(v) -> str:
    fmt, e, params = v["format"], v["expect"], v["params"]
    key = v["keys"][e["key_index"]]
    t = e["signed_at"] if e["signed_at"] is not None else 0
    with C.frozen(t):
        if fmt == "flask":
            app = C.flask_app([key])
            with app.app_context():
                si = app.session_interface
                value = si.serializer.loads(json.dumps(e["payload"]))  # untag
                return si.get_signing_serializer(app).dumps(value)
        if fmt == "starlette":
            body = b64encode(json.dumps(e["payload"]).encode("utf-8"))
            return C.make_obj(fmt, [key], {}).sign(body).decode()
        obj = C.make_obj(fmt, [key], params)
        if fmt in ("itsdangerous-signer", "itsdangerous-timestamp-signer"):
            return obj.sign(e["payload"]).decode()
        return obj.dumps(e["payload"])


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "vectors/itsdangerous.json"
    doc = json.loads(path.read_text())
    vectors = doc["vectors"]
    bad = 0
    names = set()
    reqs = []
    for v in vectors:
        name = v["name"]
        if name in names:
            print(f"DUPLICATE {name}")
            bad += 1
        names.add(name)
        if v["cookie"] not in v["input"]:
            print(f"INPUT {name}: cookie not inside input")
            bad += 1
        ma = v.get("max_age")
        lr, _ = C.library_load(v["format"], v["cookie"], v["keys"], v["params"], v["now"], ma)
        if lr != v["library_result"]:
            print(f"RELOAD {name}: {lr} != {v['library_result']}")
            bad += 1
        req = {k: v[k] for k in ("format", "cookie", "keys", "params", "now") if k in v}
        if "max_age" in v:
            req["max_age"] = v["max_age"]
        reqs.append(json.dumps(req))
        if v["resign"]:
            got = resign(v)
            if got != v["cookie"]:
                print(f"RESIGN {name}: {got} != {v['cookie']}")
                bad += 1
    proc = subprocess.run([sys.executable, str(HERE / "accept.py")], input="\n".join(reqs) + "\n",
                          capture_output=True, text=True, check=True)
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(answers) == len(vectors), (len(answers), len(vectors))
    for v, a in zip(vectors, answers):
        e = v["expect"]
        for k in ("status", "payload", "signed_at", "key_index"):
            if json.dumps(a.get(k)) != json.dumps(e[k]):
                print(f"ACCEPT {v['name']}: {k}: {a.get(k)!r} != {e[k]!r}")
                bad += 1
        if a.get("library_result") != v["library_result"]:
            print(f"ACCEPT {v['name']}: library_result {a.get('library_result')}")
            bad += 1
    print(f"{len(vectors)} vectors checked, {bad} problems", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

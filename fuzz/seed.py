#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/) from what the repository
already holds: the fixtures the real frameworks generated (tests/vectors), the sample HAR files
(tests/inputs) and the hostile-input corpus (tests/hostile). Run by fuzz/campaign.sh; the corpus
directories are not committed (libFuzzer grows them)."""

import base64
import binascii
import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus")


def put(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def b64_any(text):
    """The bytes of a base64/base64url text, or None."""
    t = text.strip()
    for fn in (base64.urlsafe_b64decode, base64.b64decode):
        try:
            return fn(t + "=" * (-len(t) % 4))
        except (binascii.Error, ValueError):
            pass
    return None


def main():
    vectors = []
    vdir = os.path.join(ROOT, "tests", "vectors")
    for name in sorted(os.listdir(vdir)):
        if name.endswith(".json"):
            with open(os.path.join(vdir, name), encoding="utf-8") as f:
                vectors += json.load(f)["vectors"]
    hostile = []
    hdir = os.path.join(ROOT, "tests", "hostile")
    for name in sorted(os.listdir(hdir)):
        if name != "make_corpus.py":
            with open(os.path.join(hdir, name), "rb") as f:
                hostile.append(f.read())
    hars = []
    idir = os.path.join(ROOT, "tests", "inputs")
    for name in sorted(os.listdir(idir)):
        with open(os.path.join(idir, name), "rb") as f:
            hars.append(f.read())

    for v in vectors:
        cookie, paste = v["cookie"], v["input"]
        named = cookie + ("\n" + v["name"].split("/")[0] if "=" in paste else "")
        cookie_name = paste.split("=", 1)[0] if "=" in paste and not paste.startswith(cookie) else None
        for t in ("input", "detect"):
            put(t, paste)
        if v["format"] == "flask" or v["format"].startswith(("starlette", "itsdangerous")):
            put("rotate", paste)
        for t in ("decode", "verify"):
            put(t, cookie)
            if cookie_name:
                put(t, cookie + "\n" + cookie_name)
        for part in cookie.replace("--", ".").split("."):
            put("base64", part)
            raw = b64_any(part)
            if raw is None:
                continue
            if raw[:2] == b"\x04\x08":
                put("marshal", raw)
            elif raw[:1] in (b"{", b"["):
                put("json", raw)
        payload = (v.get("expect") or {}).get("payload")
        if payload is not None:
            put("json", json.dumps(payload))
            put("json", json.dumps(payload, separators=(",", ":"), sort_keys=True))
    for data in hostile:
        for t in ("input", "detect", "decode", "verify", "json", "base64", "wordlist"):
            put(t, data[:65536])
        for line in data.splitlines()[:200]:
            for t in ("decode", "verify", "json"):
                put(t, line)
            if b"BAh" in line:
                raw = b64_any(line.split(b"=", 1)[-1].split(b"--")[0].decode("latin-1"))
                if raw:
                    put("marshal", raw)
    for data in hars:
        for t in ("input", "har", "detect"):
            put(t, data)
    for w in (b"secret\nchangeme\r\n\r\nkeyboard cat\n", b"\xef\xbb\xbfdev\nprod", b"\xffa\r\n",
              b"\xffsecret-key-line\n", b"only-line"):
        put("wordlist", w)
    index = {"version": 1,
             "keys": [{"id": "k1", "name": "shop-2026", "style": "flask", "created": 1767225600,
                       "fingerprint": "sha256:ab12", "notes": "primary"},
                      {"id": "k2", "name": "shop-2025", "style": "flask", "created": 1735689600,
                       "fingerprint": "sha256:cd34"}],
             "sets": [{"name": "shop-prod", "keys": ["k1", "k2"]}]}
    put("index", json.dumps(index, indent=2))
    put("index", json.dumps({"version": 1}))
    for t in sorted(os.listdir(OUT)):
        print(f"{t}: {len(os.listdir(os.path.join(OUT, t)))} seeds", file=sys.stderr)


if __name__ == "__main__":
    main()

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

Django formats (django-signer, django-timestamp-signer, django-signing, django-session,
django-cookie): the same request shape; params as in django_common.py (salt, separator, digest,
compress, cookie_name -- required for django-cookie -- and the django-cookie salt argument).
The answer is django_common.evaluate, exactly as gen_django.py computes a vector: SECRET_KEY =
keys[0], SECRET_KEY_FALLBACKS = keys[1:], time frozen at `now`; django-session is loaded with
the signing.loads call SessionStore.load() makes (load() itself would swallow every error);
django-cookie goes through request.get_signed_cookie (v2 salt, then the legacy salt). A
BadSignature is reported as "malformed" when django_common.structurally_malformed says so.

jwt (PyJWT): the same shape plus an optional top-level "leeway" (seconds, default 0); params may
hold "header" (ignored: the token carries its header) and "algorithms" (the pinned list, default
["HS256", "HS384", "HS512"]). max_age is ignored. The answer is pyjwt_common.evaluate, exactly as
gen_pyjwt.py computes a vector (jwt.decode per key in order, options={"verify_aud": False}).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import itsd_common as C  # noqa: E402

DJANGO_FORMATS = (
    "django-signer",
    "django-timestamp-signer",
    "django-signing",
    "django-session",
    "django-cookie",
)
JWT_FORMATS = ("jwt",)


def answer(req: dict) -> dict:
    fmt = req["format"]
    if fmt not in C.FORMATS and fmt not in DJANGO_FORMATS and fmt not in JWT_FORMATS:
        raise ValueError(f"unsupported format {fmt!r}")
    now = req.get("now")
    if now is None:
        now = int(time.time())
    params = req.get("params") or {}
    if fmt in DJANGO_FORMATS:
        import django_common as D  # imported on demand: configures Django settings

        ev = D.evaluate(fmt, req["cookie"], req["keys"], params, now, req.get("max_age"))
    elif fmt in JWT_FORMATS:
        import pyjwt_common as J

        ev = J.evaluate(req["cookie"], req["keys"], params, now, req.get("leeway") or 0)
    else:
        ev = C.evaluate(fmt, req["cookie"], req["keys"], params, now, req.get("max_age"))
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

#!/usr/bin/env python3
"""Generate tests/vectors/itsdangerous.json with the REAL libraries.

    /tmp/signet-py/bin/python tests/interop/gen_itsdangerous.py > tests/vectors/itsdangerous.json

Formats: flask, itsdangerous-signer, itsdangerous-timestamp-signer, itsdangerous-serializer,
itsdangerous-urlsafe, itsdangerous-timed, starlette (Signet format ids, shared/contract.md).

Rules (see tests/vectors/README.md):
  * every cookie is produced by the library (Flask app / test client, itsdangerous classes,
    Starlette app + TestClient) at a time frozen with unittest.mock.patch("time.time");
    "tampered" cookies are library output edited afterwards; a few deliberately odd cookies are
    built by signing a hand-made body with the library's own signer (marked SIGNED-BY-HAND);
  * every expectation comes from calling the library's loader at the frozen `now`
    (itsd_common.evaluate): library_result is "ok" or the exception class name; status is
    derived from it (ok->valid, SignatureExpired->expired, BadPayload->malformed,
    BadSignature/BadTimeSignature->bad-signature) EXCEPT for the cases marked
    `malformed=True` below (STRUCTURALLY MALFORMED: empty input, no separator, no timestamp,
    undecodable timestamp, garbage), which become "malformed";
  * key_index: each single key alone, in the framework's order (primary, then fallbacks from the
    last to the first), signature check only; first success wins;
  * no randomness except random.Random with fixed seeds; output is deterministic.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import json
import random
import sys
import uuid
import zlib
from importlib.metadata import version
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

import warnings  # noqa: E402

# starlette 1.10.0's TestClient prefers the new "httpx2" package and warns when it falls back to
# httpx (which we pin, see requirements.txt); the behaviour under test does not depend on it.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

import flask  # noqa: E402
from markupsafe import Markup  # noqa: E402
from itsdangerous import Signer  # noqa: E402
from itsdangerous.encoding import base64_decode, base64_encode, int_to_bytes  # noqa: E402

import itsd_common as C  # noqa: E402

T0 = 1767225000  # 2025-12-31T23:50:00Z, the usual signing time
NOW = T0 + 600  # 2026-01-01T00:00:00Z, the usual verification time
FLASK_MAX = C.FLASK_DEFAULT_MAX_AGE
STAR_MAX = C.STARLETTE_DEFAULT_MAX_AGE
MISSING = object()  # vector has no max_age member (= framework default)

VECTORS: list[dict] = []
NAMES: set[str] = set()

B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def K(text):
    return {"text": text}


def H(hexstr):
    return {"hex": hexstr}


# ---------------------------------------------------------------------------------------------
# input forms


def as_input(form: str, cookie: str, name: str = "session") -> str:
    if form == "bare":
        return cookie
    if form == "name":
        return f"{name}={cookie}"
    if form == "cookie-header":
        return f"Cookie: a=1; {name}={cookie}; b=2"
    if form == "set-cookie":
        return f"Set-Cookie: {name}={cookie}; HttpOnly; Path=/"
    if form == "quoted":
        return f'"{cookie}"'
    raise ValueError(form)


# ---------------------------------------------------------------------------------------------
# the vector recorder


def add(name, fmt, cookie, keys, *, note, params=None, now=NOW, max_age=MISSING, inp="bare",
        signed_by=None, tampered=False, malformed=False, lenient=False, resign=None,
        request_check=True):
    """Evaluate `cookie` with the real library and record a vector.

    signed_by: the Signet key dict that signed the cookie (None if unknown/hand-made);
    tampered: the cookie was edited after the library produced it;
    malformed: STRUCTURALLY MALFORMED case (status malformed instead of bad-signature);
    lenient: only itsdangerous's lenient base64 makes it verify;
    resign: force resign (only to force False, with the reason in the note)."""
    params = params or {}
    full = f"{fmt}/{name}"
    assert full not in NAMES, full
    NAMES.add(full)
    ma = None if max_age is MISSING else max_age
    ev = C.evaluate(fmt, cookie, keys, params, now, ma, malformed=malformed)
    lr = ev["library_result"]
    # The accept.py heuristic must agree with the explicit marking.
    if lr in ("BadSignature", "BadTimeSignature"):
        h = C.structurally_malformed(fmt, cookie, params)
        assert h == malformed, (full, "heuristic", h, "marked", malformed)
    else:
        assert not malformed, (full, "marked malformed but library said", lr)
    # lenient flag must agree with the canonical-form check.
    auto_lenient = ev["key_index"] is not None and C.non_canonical_base64(fmt, cookie, params)
    assert auto_lenient == lenient, (full, "lenient", auto_lenient)
    # The loader's value must agree with the decoded payload / timestamp.
    if lr == "ok":
        check_ok_value(fmt, ev, cookie, keys, params, now, ma, full)
    can_resign = (
        not tampered
        and signed_by is not None
        and ev["payload"] is not None
        and ev["key_index"] is not None
        and C.key_bytes(keys[ev["key_index"]]) == C.key_bytes(signed_by)
    )
    if resign is not None:
        assert resign is False and can_resign, (full, "resign override")
        can_resign = False
    if request_check and fmt == "flask":
        flask_request_check(full, cookie, keys, now, ma, ev)
    if request_check and fmt == "starlette":
        starlette_request_check(full, cookie, keys, now, ma, ev)
    v = {
        "name": full,
        "format": fmt,
        "input": inp if inp not in ("bare", "name", "cookie-header", "set-cookie", "quoted")
        else as_input(inp, cookie),
        "cookie": cookie,
        "keys": keys,
        "params": params,
        "now": now,
    }
    if max_age is not MISSING:
        v["max_age"] = max_age
    v["library_result"] = lr
    v["expect"] = {
        "status": ev["status"],
        "payload": ev["payload"],
        "signed_at": ev["signed_at"],
        "key_index": ev["key_index"],
        "compressed": ev["compressed"],
        "lenient_base64": lenient,
    }
    v["resign"] = can_resign
    v["note"] = note
    VECTORS.append(v)
    return v


def check_ok_value(fmt, ev, cookie, keys, params, now, ma, full):
    val = ev["library_value"]
    payload = ev["payload"]
    if fmt == "flask":
        app = C.flask_app(keys)
        with app.app_context():
            tagged = app.session_interface.serializer
            assert tagged.loads(json.dumps(payload)) == val, full
    elif fmt in ("itsdangerous-signer", "itsdangerous-timestamp-signer"):
        assert val.decode("utf-8") == payload, full
    else:
        assert val == payload and json.dumps(val) == json.dumps(payload), full
    if fmt in C.TIMED and fmt != "starlette":
        # signed_at as the library reports it (return_timestamp=True)
        with C.frozen(now):
            if fmt == "flask":
                app = C.flask_app(keys)
                with app.app_context():
                    s = app.session_interface.get_signing_serializer(app)
                    _, dt = s.loads(cookie, max_age=C.max_age_value(fmt, ma),
                                    return_timestamp=True)
            elif fmt == "itsdangerous-timed":
                _, dt = C.make_obj(fmt, keys, params).loads(
                    cookie, max_age=C.max_age_value(fmt, ma), return_timestamp=True)
            else:
                _, dt = C.make_obj(fmt, keys, params).unsign(
                    cookie, max_age=C.max_age_value(fmt, ma), return_timestamp=True)
        assert int(dt.timestamp()) == ev["signed_at"], full


# ---------------------------------------------------------------------------------------------
# Flask: producing cookies


def flask_dumps(obj, key, t):
    """SecureCookieSessionInterface's serializer .dumps(dict(session)) inside the app context
    (DefaultJSONProvider: sort_keys=True, ensure_ascii=True)."""
    with C.frozen(t):
        app = C.flask_app([key])
        with app.app_context():
            return app.session_interface.get_signing_serializer(app).dumps(dict(obj))


def flask_sign_body(body: bytes, key, t):
    """SIGNED-BY-HAND: a hand-made body signed by the Flask session signer (TimestampSigner,
    salt cookie-session, hmac, sha1) at time t."""
    with C.frozen(t):
        app = C.flask_app([key])
        s = app.session_interface.get_signing_serializer(app)
        return s.make_signer().sign(body).decode()


def flask_sign_value(value: bytes, key):
    """SIGNED-BY-HAND: body.ts (already containing the timestamp text) signed by the plain Signer
    part of the Flask session signer, so the timestamp text can be anything."""
    app = C.flask_app([key])
    signer = app.session_interface.get_signing_serializer(app).make_signer()
    return Signer.sign(signer, value).decode()


class HtmlThing:
    """Not Markup, but has __html__: Flask tags it ' m' like Markup."""

    def __html__(self):
        return "<em>thing</em>"


@dataclasses.dataclass
class Point:
    x: int
    y: int


FLASK_SCENARIOS = {
    "login": {"user_id": 42, "username": "ada", "_fresh": True},
    "cart": {"cart": [("sku-1", 2), ("sku-2", 1)], "csrf_token": "a" * 40},
    "flash": {"_flashes": [("message", "Welcome back, Ada!"), ("error", "<b>oops</b>")]},
    "unicode": {"name": "Zoë 日本 😀", "city": "Kraków"},
    "permanent": {"user_id": 7},
    "big": {"history": ["page-%d" % i for i in range(60)]},
    "tags": {"when": datetime.datetime(2026, 1, 1, 0, 0, 0), "id": uuid.UUID(int=1),
             "raw": b"\x00\xff", "html": Markup("<p>hi</p>"), "pair": (1, 2)},
}


def flask_request(scenario, key, t):
    """A real request through app.test_client(): the view sets session values; returns the
    Set-Cookie header line and the cookie value."""
    app = C.flask_app([key])

    @app.route("/set/<name>")
    def set_view(name):
        for k, v in FLASK_SCENARIOS[name].items():
            flask.session[k] = v
        if name == "permanent":
            flask.session.permanent = True
        return "ok"

    class FrozenDatetime(datetime.datetime):
        """flask.sessions computes Expires with datetime.now(timezone.utc), not time.time."""

        @classmethod
        def now(cls, tz=None):
            return datetime.datetime.fromtimestamp(t, tz)

    with C.frozen(t), mock.patch("flask.sessions.datetime", FrozenDatetime):
        resp = app.test_client().get(f"/set/{scenario}")
    headers = resp.headers.getlist("Set-Cookie")
    assert len(headers) == 1, headers
    line = "Set-Cookie: " + headers[0]
    cookie = headers[0].split(";", 1)[0].split("=", 1)[1]
    return line, cookie


_FLASK_SEEN = {}


def flask_request_check(full, cookie, keys, now, ma, ev):
    """Cross-check: load the cookie through a real Flask request (open_session) when the vector's
    max_age is one Flask can express (PERMANENT_SESSION_LIFETIME) and the cookie is a plain
    header-safe value. ok -> session == loaded value; BadSignature/Expired -> empty session;
    BadPayload -> the request raises."""
    if ma == "none" or not cookie or any(ord(c) > 126 or c in ' ";,\\' for c in cookie):
        return
    app = C.flask_app(keys, max_age=ma if isinstance(ma, int) else None)
    seen = {}

    @app.route("/get")
    def get_view():
        seen["session"] = dict(flask.session)
        return "ok"

    lr = ev["library_result"]
    with C.frozen(now):
        client = app.test_client(use_cookies=False)
        try:
            client.get("/get", headers={"Cookie": f"session={cookie}"})
            raised = None
        except Exception as e:  # noqa: BLE001
            raised = e
    if lr == "ok":
        assert raised is None and seen["session"] == ev["library_value"], (full, seen, raised)
    elif lr == "BadPayload":
        assert raised is not None, full
    else:
        assert raised is None and seen["session"] == {}, (full, seen)
    _FLASK_SEEN[full] = True


# ---------------------------------------------------------------------------------------------
# Starlette: producing cookies through the real middleware


STAR_SCENARIOS = {
    "simple": {"user": "alice"},
    "login": {"user_id": 42, "roles": ["admin", "dev"], "active": True, "score": None},
    "unicode": {"name": "Zoë 日本 😀", "sep": "\u2028", "ctl": "\x00\x1f\x7f"},
    "order": {"zeta": 1, "alpha": 2, "Mid": 3, "é": 4},
    "numbers": {"i": -12, "big": 2**70, "f": 0.1, "e": 1e-07, "g": 1e16, "h": 1.5e300,
                "z": -0.0, "w": 100.0},
    "escape": {"s": "quote\" back\\slash </script> <!-- & ' \t\n"},
    "nested": {"a": {"b": {"c": [1, [2, [3, {}]], []]}}, "empty": ""},
    "large": {"items": ["item-%03d" % i for i in range(120)]},
    "flash": {"messages": [{"level": "info", "text": "Saved!"}]},
    "oauth": {"state": "xyz", "next": "/dashboard?tab=2&x=%20"},
}


def starlette_app(secret, max_age=STAR_MAX):
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.sessions import SessionMiddleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    seen = {}

    async def set_view(request):
        for k, v in STAR_SCENARIOS[request.path_params["name"]].items():
            request.session[k] = v
        return PlainTextResponse("ok")

    async def get_view(request):
        seen["session"] = dict(request.session)
        return PlainTextResponse("ok")

    app = Starlette(
        routes=[Route("/set/{name}", set_view), Route("/get", get_view)],
        middleware=[Middleware(SessionMiddleware, secret_key=secret, max_age=max_age)],
    )
    return app, seen


def starlette_request(scenario, secret, t, max_age=STAR_MAX):
    from starlette.testclient import TestClient

    app, _ = starlette_app(secret, max_age)
    with C.frozen(t):
        with TestClient(app) as client:
            resp = client.get(f"/set/{scenario}")
    headers = resp.headers.get_list("set-cookie")
    assert len(headers) == 1, headers
    line = "Set-Cookie: " + headers[0]
    cookie = headers[0].split(";", 1)[0].split("=", 1)[1]
    return line, cookie


def starlette_sign_body(body: bytes, secret, t):
    """SIGNED-BY-HAND: a hand-made body signed exactly as the middleware signs
    (itsdangerous.TimestampSigner(str(secret_key)).sign(...)) at time t."""
    with C.frozen(t):
        return C.make_obj("starlette", [K(secret)], {}).sign(body).decode()


def starlette_request_check(full, cookie, keys, now, ma, ev):
    """Cross-check through the real SessionMiddleware: ok -> request.session == value;
    BadSignature family -> empty session; other exceptions -> the request raises."""
    from starlette.testclient import TestClient

    if not cookie or any(ord(c) > 126 or c in ' ";,\\' for c in cookie):
        return
    lib_ma = C.max_age_value("starlette", ma)
    app, seen = starlette_app(keys[0]["text"], lib_ma)
    lr = ev["library_result"]
    with C.frozen(now):
        try:
            with TestClient(app) as client:
                client.get("/get", headers={"Cookie": f"session={cookie}"})
            raised = None
        except Exception as e:  # noqa: BLE001
            raised = e
    if lr == "ok":
        assert raised is None and seen["session"] == ev["library_value"], (full, seen, raised)
    elif C.STATUS_OF[lr] == "malformed" and lr not in ("BadSignature", "BadTimeSignature"):
        assert raised is not None, full
    else:
        assert raised is None and seen["session"] == {}, (full, seen, raised)


# ---------------------------------------------------------------------------------------------
# itsdangerous: producing cookies


def itsd_dumps(fmt, obj, keys, params=None, t=T0):
    """Sign with the library object built from Signet's key list (signs with keys[0])."""
    o = C.make_obj(fmt, keys, params or {})
    with C.frozen(t):
        if fmt in ("itsdangerous-signer", "itsdangerous-timestamp-signer"):
            return o.sign(obj).decode()
        return o.dumps(obj)


def itsd_sign_body(fmt, body: bytes, key, params=None, t=T0):
    """SIGNED-BY-HAND: a hand-made body signed by the format's real signer at time t."""
    o = C.make_obj(fmt, [key], params or {})
    s = o.make_signer() if hasattr(o, "make_signer") else o
    with C.frozen(t):
        return s.sign(body).decode()


def itsd_sign_value(fmt, value: bytes, key, params=None):
    """SIGNED-BY-HAND: value (already containing a timestamp text) signed by the plain Signer
    part of the format's signer."""
    o = C.make_obj(fmt, [key], params or {})
    s = o.make_signer() if hasattr(o, "make_signer") else o
    return Signer.sign(s, value).decode()


# ---------------------------------------------------------------------------------------------
# tampering helpers (operate on library output)


def parts(cookie, sep="."):
    value, sig = cookie.rsplit(sep, 1)
    return value, sig


def flip_char(s, i):
    c = s[i]
    j = B64URL.index(c) if c in B64URL else 0
    return s[:i] + B64URL[(j + 1) % 64] + s[i + 1:]


def tamper_sig_first(cookie, sep="."):
    v, s = parts(cookie, sep)
    return v + sep + flip_char(s, 0)


def truncate_sig(cookie, n=1, sep="."):
    v, s = parts(cookie, sep)
    return v + sep + s[:-n]


def sig_low_bits(cookie, sep="."):
    """Change only the unused low bits of the signature's last char (lenient base64)."""
    v, s = parts(cookie, sep)
    unused = (len(s) * 6) % 8
    assert unused, "no unused bits"
    j = B64URL.index(s[-1])
    return v + sep + s[:-1] + B64URL[j ^ 1]


def sig_std_alphabet(cookie, sep="."):
    v, s = parts(cookie, sep)
    assert "-" in s or "_" in s
    return v + sep + s.replace("-", "+").replace("_", "/")


def tamper_body_keep_json(fmt, cookie, sep="."):
    """Change one char of the body so that the payload still decodes (to a different value)."""
    value, sig = parts(cookie, sep)
    if fmt in C.TIMED:
        body, ts = value.rsplit(sep, 1)
        tail = sep + ts
    else:
        body, tail = value, ""
    orig = C.decode_payload(fmt, body.encode())
    for i in range(len(body) - 1, 0, -1):
        if body[i] not in B64URL:
            continue
        cand = flip_char(body, i)
        got = C.decode_payload(fmt, cand.encode())
        if got is not None and got != orig:
            return cand + tail + sep + sig
    raise AssertionError("no json-preserving tamper found")


def tamper_body_break(fmt, cookie, sep="."):
    """Change the first body char so that the payload no longer decodes."""
    value, sig = parts(cookie, sep)
    body, rest = value.split(sep, 1) if fmt in C.TIMED else (value, None)
    for i in range(0, len(body)):
        cand = body[:i] + "!" + body[i + 1:]
        if C.decode_payload(fmt, cand.encode()) is None:
            return cand + (sep + rest if rest is not None else "") + sep + sig
    raise AssertionError


def retime(cookie, new_ts, sep="."):
    """Replace the timestamp text (canonical encoding of new_ts), keep the old signature."""
    value, sig = parts(cookie, sep)
    body, _ = value.rsplit(sep, 1)
    return body + sep + base64_encode(int_to_bytes(new_ts)).decode() + sep + sig


def ts_of(t):
    return base64_encode(int_to_bytes(t)).decode()


# =============================================================================================
# FLASK
# =============================================================================================

FK = K("flask-dev-secret-🔑-key")  # a Flask SECRET_KEY (non-ASCII on purpose)
FK2 = K("correct horse battery staple")


def gen_flask():
    fmt = "flask"

    def fl(name, obj, *, note, key=FK, t=T0, keys=None, **kw):
        cookie = flask_dumps(obj, key, t)
        return add(name, fmt, cookie, keys or [key], note=note, signed_by=key, **kw)

    # --- tags ---------------------------------------------------------------------------------
    n = ("Flask TaggedJSONSerializer tag; payload is the tagged JSON exactly as sent "
         "(sort_keys, ensure_ascii, compact). ")
    fl("tags/tuple", {"t": (1, "two", 3.0)}, note=n + "' t' tuple -> list")
    fl("tags/tuple-empty", {"t": ()}, note=n + "empty tuple -> {' t': []}")
    fl("tags/tuple-nested", {"t": ((1, 2), [3, (4,)], {"k": (5,)})},
       note=n + "tuples inside tuples, lists and dicts")
    fl("tags/bytes", {"b": b"\x00\x01\xfe\xffbinary data"},
       note=n + "' b' bytes -> STANDARD base64 with padding")
    fl("tags/bytes-empty", {"b": b""}, note=n + "' b' empty bytes -> ''")
    fl("tags/bytes-plus-slash", {"b": b"\xfb\xff\xbf\xfe"},
       note=n + "' b' uses '+' and '/' (standard alphabet), not -_")
    fl("tags/markup", {"m": Markup("<b>bold</b> &amp; <i>it</i>")},
       note=n + "' m' Markup -> str(__html__())")
    fl("tags/html-object", {"m": HtmlThing()},
       note=n + "' m' any object with __html__ (not only Markup)")
    fl("tags/uuid", {"u": uuid.UUID("12345678-1234-5678-1234-567812345678")},
       note=n + "' u' UUID -> 32 hex chars, no dashes")
    fl("tags/datetime-naive", {"d": datetime.datetime(2026, 1, 1, 12, 30, 45, 123456)},
       note=n + "' d' naive datetime -> HTTP date, treated as UTC, microseconds dropped")
    fl("tags/datetime-aware", {"d": datetime.datetime(
        2025, 6, 1, 14, 30, 45, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))},
       note=n + "' d' aware +02:00 datetime -> converted to GMT")
    fl("tags/di-nested", {"x": {" t": 1}},
       note=n + "' di' a dict whose single key is a tag name -> key suffixed '__'")
    fl("tags/di-top-level", {" t": [1, 2]},
       note=n + "the whole session is a 1-key dict named like a tag -> top-level ' di'")
    fl("tags/di-tagged-value", {"x": {" b": b"hi"}},
       note=n + "' di' whose value is itself tagged bytes")
    fl("tags/di-of-di", {"x": {" di": (1,)}},
       note=n + "' di' wrapping the ' di' key itself, with a tuple value")
    fl("tags/di-every-tag", {"t": {" t": 0}, "b": {" b": 0}, "m": {" m": 0}, "u": {" u": 0},
                             "d": {" d": 0}, "di": {" di": 0}},
       note=n + "every registered tag name as a single dict key")
    fl("tags/passdict-tag-key-plus-other", {"x": {" t": 1, "y": 2}},
       note=n + "a dict with a tag-named key AND another key is NOT tagged (PassDict)")
    fl("tags/not-a-tag-key", {"x": {" t__": 1}, "y": {" x": 2}},
       note=n + "keys ' t__' and ' x' are not tag names: passed through untagged")
    fl("tags/list-of-tagged", {"l": [(1, 2), b"x", Markup("<i>"), uuid.UUID(int=2**128 - 1),
                                     datetime.datetime(2000, 2, 29, 23, 59, 59)]},
       note=n + "a list mixing every tag")
    fl("tags/deep-mix", {"a": [{"b": (b"\x01", {"c": (uuid.UUID(int=0),)})}],
                         "z": {" m": Markup("&")}},
       note=n + "nested combination of tags inside lists/dicts/tuples")
    fl("tags/date-not-datetime", {"day": datetime.date(2026, 1, 1)},
       note=n + "datetime.date is NOT tagged: the JSON provider's default() turns it into a "
               "plain HTTP-date string (loads back as str)")
    fl("tags/decimal", {"price": decimal.Decimal("19.90")},
       note=n + "Decimal is not tagged: provider default() -> plain string '19.90'")
    fl("tags/dataclass", {"p": Point(1, 2)},
       note=n + "dataclass is not tagged: provider default() -> plain dict")

    # --- unicode / escaping ---------------------------------------------------------------------
    n = "Flask JSON is ensure_ascii=True: non-ASCII as \\uXXXX, astral as surrogate pairs. "
    fl("unicode/accents", {"name": "Zoë Ångström façade"}, note=n + "Latin-1 accents")
    fl("unicode/cjk", {"msg": "日本語のテキスト 中文 한국어"}, note=n + "CJK")
    fl("unicode/emoji", {"e": "😀👍🏽🇫🇷", "zwj": "👩‍💻"}, note=n + "astral + ZWJ sequences")
    fl("unicode/line-separators", {"s": "a\u2028b\u2029c"}, note=n + "U+2028/U+2029")
    fl("unicode/control", {"c": "\x00\x01\x08\t\n\x0c\r\x1b\x1f"},
       note=n + "control chars: \\u0000, \\b, \\t, \\n, \\f, \\r, \\u001b...")
    fl("unicode/del-and-c1", {"c": "\x7f\x80\x9f\xa0\xad"},
       note=n + "DEL is ASCII so written raw; C1 controls / NBSP / soft hyphen escaped")
    fl("unicode/bom-combining", {"s": "\ufeffe\u0301 noncharacter\ufffe"},
       note=n + "BOM, combining accent, U+FFFE")
    fl("escaping/quotes-backslashes", {"s": "say \"hi\" \\ back\\\\slash / slash 'single'"},
       note="JSON escaping of quotes and backslashes; '/' is not escaped")
    fl("escaping/script", {"s": "</script><script>alert(1)</script><!-- & >"},
       note="no HTML escaping in Flask's session JSON: '<', '>', '&' raw")
    fl("unicode/keys", {"ключ": 1, "é": 2, "z": 3, "日本": 4},
       note=n + "non-ASCII keys, sorted by code point before escaping")
    fl("order/astral-vs-bmp", {"\uff21": "fullwidth A", "😀": "emoji", "\ue000": "pua"},
       note="sort_keys sorts by CODE POINT: U+E000 < U+FF21 < U+1F600 (UTF-16 order would put "
            "the emoji first)")

    # --- numbers --------------------------------------------------------------------------------
    n = "numbers as Python's json writes them (repr floats). "
    fl("numbers/ints", {"zero": 0, "neg": -1, "max53": 2**53 + 1, "u64": 2**64,
                        "huge": 2**70, "neghuge": -(2**70)},
       note=n + "ints incl. > 2**64 and negative big ints (exact)")
    fl("numbers/floats", {"a": 0.1, "b": 1e-07, "c": 1e16, "d": 1.5e300, "e": -0.0,
                          "f": 100.0, "g": 5e-324, "h": 1.7976931348623157e308,
                          "i": 123456789.125, "j": 1.2345678901234568e+17},
       note=n + "0.1, 1e-07, 1e+16, 1.5e+300, -0.0, 100.0, subnormal, max")
    fl("numbers/bool-null", {"t": True, "f": False, "n": None}, note=n + "literals")

    # --- key order ------------------------------------------------------------------------------
    n = "Flask sorts keys (sort_keys=True) at every level. "
    fl("order/sorted", {"b": 1, "a": 2, "B": 3, "_": 4, "aa": 5, "A": 6, " ": 7, "": 8},
       note=n + "insertion order is not kept")
    fl("order/nested", {"z": {"y": 1, "x": {"w": 2, "v": 3}}, "a": [{"d": 1, "c": 2}]},
       note=n + "nested dicts and dicts in lists are sorted too")
    fl("order/int-keys", {"m": {2: "two", 10: "ten"}}, resign=False,
       note=n + "int keys are sorted as INTS (2 before 10) then converted to strings, so the "
                "payload {'2','10'} is not in string order: re-signing the JSON with string-sorted "
                "keys would give a different cookie (resign false)")

    # --- empty ----------------------------------------------------------------------------------
    n = "empty values (Flask never writes an empty session, but its serializer can). "
    fl("empty/dict", {}, note=n + "empty session dict")
    fl("empty/strings", {"": "", "l": [], "d": {}, "s": ""}, note=n + "empty key/list/dict/str")

    # --- compression ----------------------------------------------------------------------------
    n = ("zlib (default level) is used only if len(compressed) < len(json) - 1; compressed "
         "cookies start with '.'. ")
    fl("compress/repetitive", {"history": ["/page/%d" % (i % 5) for i in range(200)]},
       note=n + "large repetitive payload")
    fl("compress/csrf", {"csrf_token": "f" * 64, "user_id": 1},
       note=n + "medium payload with a run")
    for label, obj, diff in flask_threshold_cases():
        fl(f"compress/threshold-{label}", obj,
           note=n + f"threshold case: len(zlib)-len(json) = {diff} "
                    f"({'compressed' if diff <= -2 else 'not compressed'})")

    # --- keys / fallbacks -----------------------------------------------------------------------
    n = ("SECRET_KEY = keys[0], SECRET_KEY_FALLBACKS = keys[1:]; Flask tries the primary, then the "
         "fallbacks from the LAST to the first. ")
    new, old1, old2 = K("new-key-2026"), K("old-key-2024"), K("old-key-2025")
    ks = [new, old1, old2]
    fl("keys/primary", {"u": 1}, key=new, keys=ks, note=n + "signed by SECRET_KEY")
    fl("keys/fallback-first", {"u": 1}, key=old1, keys=ks,
       note=n + "signed by SECRET_KEY_FALLBACKS[0] -> key_index 1")
    fl("keys/fallback-last", {"u": 1}, key=old2, keys=ks,
       note=n + "signed by SECRET_KEY_FALLBACKS[1] -> key_index 2")
    fl("keys/fallback-duplicate", {"u": 1}, key=old1, keys=[new, old1, old1],
       note=n + "the same key listed twice: the LAST listed copy is tried first -> key_index 2")
    fl("keys/primary-also-fallback", {"u": 1}, key=new, keys=[new, old1, new],
       note=n + "primary repeated as fallback: primary wins -> key_index 0")
    fl("keys/wrong-key", {"u": 1}, key=K("attacker-key"), keys=ks,
       note=n + "signed by a key that is not configured -> bad-signature, payload still shown")
    fl("keys/bytes-key", {"u": 1}, key=H("00ff10fe8081c3"), keys=[H("00ff10fe8081c3")],
       note="SECRET_KEY given as bytes that are not UTF-8")
    fl("keys/bytes-key-vs-text", {"u": 1}, key=H("6b6579"), keys=[K("key")],
       note="bytes b'key' and text 'key' are the same secret (str is UTF-8 encoded)")
    fl("keys/empty-fallbacks-short-key", {"u": 1}, key=K("x"), keys=[K("x")],
       note="a one-character SECRET_KEY")
    fl("keys/long-key", {"u": 1}, key=K("L" * 200), keys=[K("L" * 200)],
       note="a key longer than the HMAC block size (hashed first by HMAC)")

    # --- tampering ------------------------------------------------------------------------------
    n = "library output edited afterwards (tampered) -> BadTimeSignature -> bad-signature. "
    base = flask_dumps({"user_id": 42, "role": "user"}, FK, T0)
    add("tamper/payload-char", fmt, tamper_body_keep_json(fmt, base), [FK], tampered=True,
        note=n + "one payload char changed; still decodes, to a different value")
    add("tamper/payload-undecodable", fmt, tamper_body_break(fmt, base), [FK], tampered=True,
        note=n + "payload char replaced by '!' so it no longer decodes: payload null")
    add("tamper/timestamp", fmt, retime(base, T0 - 3600), [FK], tampered=True,
        note=n + "timestamp replaced by another valid one (signed_at shows the new value)")
    add("tamper/signature-char", fmt, tamper_sig_first(base), [FK], tampered=True,
        note=n + "first signature char changed")
    add("tamper/signature-truncated", fmt, truncate_sig(base, 1), [FK], tampered=True,
        note=n + "last signature char removed")
    add("tamper/signature-half", fmt, truncate_sig(base, 14), [FK], tampered=True,
        note=n + "signature cut in half")
    add("tamper/compressed-flag-removed", fmt,
        flask_dumps({"history": ["/p"] * 50}, FK, T0)[1:], [FK], tampered=True,
        note=n + "leading '.' of a compressed cookie removed: body then decodes to zlib bytes, "
                 "not JSON (payload null)")

    # --- expiry ---------------------------------------------------------------------------------
    n = ("Flask loads with max_age = PERMANENT_SESSION_LIFETIME (default 2678400). "
         "age > max_age or age < 0 -> SignatureExpired. ")
    c = flask_dumps({"u": 1}, FK, T0)
    add("expiry/boundary-valid", fmt, c, [FK], now=T0 + FLASK_MAX, signed_by=FK,
        note=n + "now - signed_at == max_age -> still valid")
    add("expiry/boundary-expired", fmt, c, [FK], now=T0 + FLASK_MAX + 1, signed_by=FK,
        note=n + "now - signed_at == max_age + 1 -> expired")
    add("expiry/explicit-default", fmt, c, [FK], now=T0 + 86400, max_age=FLASK_MAX,
        signed_by=FK, note=n + "max_age given explicitly = the default")
    add("expiry/custom-lifetime-expired", fmt, c, [FK], now=T0 + 3601, max_age=3600,
        signed_by=FK, note=n + "PERMANENT_SESSION_LIFETIME = 1 hour, 3601 s old")
    add("expiry/future", fmt, c, [FK], now=T0 - 1, signed_by=FK,
        note=n + "signed 1 s in the future (age -1) -> expired")
    add("expiry/future-no-max-age", fmt, c, [FK], now=T0 - 86400, max_age="none",
        signed_by=FK, note=n + "future timestamp but max_age none (serializer.loads(max_age=None))"
                              " -> valid")
    add("expiry/old-no-max-age", fmt, c, [FK], now=T0 + 10 * 365 * 86400, max_age="none",
        signed_by=FK, note=n + "10 years old, max_age none -> valid")
    add("expiry/expired-wrong-key", fmt, c, [FK2], now=T0 + FLASK_MAX + 1,
        signed_by=FK, note=n + "old AND wrong key: the signature is checked first -> bad-signature")

    # --- timestamps -----------------------------------------------------------------------------
    n = ("timestamp = b64url(big-endian int with leading zero bytes stripped). ")
    for label, t in (("2023", 1700000000), ("2100", 4102444800), ("5-bytes", 5000000000),
                     ("one", 1), ("zero", 0)):
        c = flask_dumps({"u": 1}, FK, t)
        add(f"timestamps/{label}", fmt, c, [FK], now=t + 10, signed_by=FK,
            note=n + f"signed at {t} ({len(int_to_bytes(t))} bytes, ts text {ts_of(t)!r})"
                     + ("; ts 0 is the EMPTY string -> 'body..sig'" if t == 0 else ""))
    c = flask_dumps({"u": 1}, FK, T0 + 0.999)
    add("timestamps/fractional-time", fmt, c, [FK], signed_by=FK,
        note=n + "signed with time.time() = T0 + 0.999: int() truncates -> signed_at T0")

    # --- lenient base64 -------------------------------------------------------------------------
    n = ("itsdangerous's base64_decode is lenient (adds padding, drops non-ASCII, accepts the "
         "standard alphabet, ignores unused bits): still ok. ")
    c = flask_dumps({"user_id": 42}, FK, T0)
    add("lenient/sig-padding", fmt, c + "=", [FK], tampered=True, lenient=True,
        note=n + "signature with an appended '='")
    add("lenient/sig-double-padding", fmt, c + "==", [FK], tampered=True, lenient=True,
        note=n + "signature with '==' appended (excess padding ignored)")
    add("lenient/sig-unused-bits", fmt, sig_low_bits(c), [FK], tampered=True, lenient=True,
        note=n + "last signature char changed only in its 2 unused low bits")
    c2 = next(cc for cc in (flask_dumps({"n": i}, FK, T0) for i in range(500))
              if "-" in parts(cc)[1] or "_" in parts(cc)[1])
    add("lenient/sig-std-alphabet", fmt, sig_std_alphabet(c2), [FK], tampered=True,
        lenient=True, note=n + "signature written with '+'/'/' instead of '-'/'_'")
    v, s = parts(c)
    add("lenient/sig-non-ascii", fmt, v + "." + s[:10] + "é" + s[10:], [FK], tampered=True,
        lenient=True,
        note=n + "a 2-byte non-ASCII char inside the signature: unsign passes BYTES to "
                 "base64_decode, so nothing is dropped up front; padding is computed on the raw "
                 "byte length (27+2 -> '==='), then binascii skips the non-alphabet bytes -> ok")
    add("lenient/sig-non-ascii-3-bytes", fmt, v + "." + s[:10] + "€" + s[10:], [FK],
        tampered=True, lenient=True,
        note=n + "the same with a 3-byte char: 27+3 = 30 bytes -> '==' added -> ok")
    add("lenient/sig-non-ascii-5-bytes", fmt, v + "." + s[:10] + "é€" + s[10:], [FK],
        tampered=True,
        note="2+3 junk bytes: 27+5 = 32 -> no padding added -> 'Incorrect padding' -> "
             "bad-signature")
    add("lenient/sig-ascii-junk-2", fmt, v + "." + s[:10] + "!!" + s[10:], [FK], tampered=True,
        lenient=True,
        note=n + "two ASCII non-alphabet chars ('!!') inside the signature: 29 bytes -> padded, "
                 "binascii skips '!' -> ok")
    add("lenient/sig-trailing-bang", fmt, c + "!", [FK], tampered=True,
        note="but an ASCII non-alphabet char ('!') counts for the padding -> decode error -> "
             "bad-signature")
    body, ts = v.rsplit(".", 1)
    odd_ts = ts[:-1] + B64URL[B64URL.index(ts[-1]) ^ 1]
    add("lenient/timestamp-unused-bits-signed", fmt,
        flask_sign_value((body + "." + odd_ts).encode(), FK), [FK], lenient=True,
        note=n + "SIGNED-BY-HAND: timestamp text with unused low bits set, signed validly -> "
                 "decodes to the same time")
    add("lenient/timestamp-leading-zero-signed", fmt,
        flask_sign_value((body + "." + base64_encode(b"\x00" + int_to_bytes(T0)).decode())
                         .encode(), FK), [FK], lenient=True,
        note=n + "SIGNED-BY-HAND: timestamp with a leading zero byte (5 bytes), signed validly")

    # --- malformed ------------------------------------------------------------------------------
    n = "STRUCTURALLY MALFORMED (status forced to malformed): "
    add("malformed/empty", fmt, "", [FK], malformed=True, note=n + "empty input")
    add("malformed/no-separator", fmt, "eyJ1IjoxfQ", [FK], malformed=True,
        note=n + "no '.' at all -> BadSignature('No . found')")
    add("malformed/garbage-non-ascii", fmt, "日本.語", [FK], malformed=True,
        note=n + "non-ASCII garbage with a separator: signature decodes to nothing")
    add("malformed/garbage-words", fmt, "héllo wörld", [FK], malformed=True,
        note=n + "non-ASCII text without separator")
    add("malformed/only-dots", fmt, "..", [FK], malformed=True,
        note=n + "separators only")
    nots = flask_sign_body(b"eyJ1IjoxfQ", FK, T0).rsplit(".", 2)
    add("malformed/no-timestamp-signed", fmt, nots[0] + "." + flask_sign_value(
        nots[0].encode(), FK).rsplit(".", 1)[1], [FK], malformed=True,
        note=n + "SIGNED-BY-HAND: body.sig validly signed but without timestamp -> "
                 "BadTimeSignature('timestamp missing')")
    add("malformed/timestamp-bad-chars-signed", fmt,
        flask_sign_value(b"eyJ1IjoxfQ.aV!W2qA", FK), [FK], malformed=True,
        note=n + "SIGNED-BY-HAND: timestamp with '!' (not base64), valid signature -> "
                 "BadTimeSignature('Malformed timestamp')")
    add("malformed/timestamp-9-bytes-signed", fmt,
        flask_sign_value(b"eyJ1IjoxfQ." + base64_encode(b"\x01" * 9), FK), [FK], malformed=True,
        note=n + "SIGNED-BY-HAND: 9-byte timestamp (more than 64 bits) -> Malformed timestamp")
    add("malformed/timestamp-bad-chars-tampered", fmt,
        base.rsplit(".", 2)[0] + ".aV!W2qA." + base.rsplit(".", 1)[1], [FK], malformed=True,
        tampered=True, note=n + "tampered timestamp with '!' and the old signature")
    n = "BadPayload (valid signature, payload does not load) -> malformed. "
    add("malformed/payload-not-json", fmt,
        flask_sign_body(base64_encode(b"not json at all"), FK, T0), [FK],
        note=n + "SIGNED-BY-HAND: valid base64 of non-JSON")
    add("malformed/payload-not-utf8", fmt,
        flask_sign_body(base64_encode(b'{"a":"\xff"}'), FK, T0), [FK],
        note=n + "SIGNED-BY-HAND: JSON bytes that are not UTF-8")
    add("malformed/payload-bad-base64", fmt, flask_sign_body(b"eyJ1IjoxfQ" + b"A", FK, T0), [FK],
        note=n + "SIGNED-BY-HAND: body of 4n+1 base64 chars cannot decode")
    add("malformed/compressed-not-zlib", fmt,
        flask_sign_body(b"." + base64_encode(b'{"u":1}'), FK, T0), [FK],
        note=n + "SIGNED-BY-HAND: '.' compressed flag but the data is plain JSON, not zlib")
    add("malformed/payload-truncated-zlib", fmt,
        flask_sign_body(b"." + base64_encode(zlib.compress(b'{"u":' + b"1" * 100 + b"}")[:-4]),
                        FK, T0), [FK],
        note=n + "SIGNED-BY-HAND: zlib stream missing its adler32 trailer")
    add("malformed/payload-json-trailing-garbage", fmt,
        flask_sign_body(base64_encode(b'{"u":1} x'), FK, T0), [FK],
        note=n + "SIGNED-BY-HAND: JSON followed by junk")
    add("signed-by-hand/json-array-top-level", fmt,
        flask_sign_body(base64_encode(b"[1,2]"), FK, T0), [FK],
        note="SIGNED-BY-HAND: a top-level JSON array loads fine in the serializer (Flask's "
             "session class would then fail on dict(...))", request_check=False)
    add("signed-by-hand/non-sorted-json", fmt,
        flask_sign_body(base64_encode(b'{"b":1,"a":2}'), FK, T0), [FK],
        note="SIGNED-BY-HAND: unsorted keys / JSON Flask would not write still load (payload "
             "keeps the order as sent)")
    add("signed-by-hand/json-with-spaces", fmt,
        flask_sign_body(base64_encode(b'{ "a" : [1, 2] }'), FK, T0), [FK],
        note="SIGNED-BY-HAND: non-compact JSON loads fine")

    # --- input forms ----------------------------------------------------------------------------
    n = "input forms: what a person pastes. "
    c = flask_dumps({"user_id": 42}, FK, T0)
    add("input/name-value", fmt, c, [FK], inp="name", signed_by=FK, note=n + "session=<cookie>")
    add("input/cookie-header", fmt, c, [FK], inp="cookie-header", signed_by=FK,
        note=n + "a Cookie request header with other cookies around")
    add("input/quoted", fmt, c, [FK], inp="quoted", signed_by=FK,
        note=n + "double-quoted cookie value")
    cc = flask_dumps({"history": ["/p"] * 50}, FK, T0)
    add("input/compressed-cookie-header", fmt, cc, [FK], inp="cookie-header", signed_by=FK,
        note=n + "compressed cookie (leading '.') inside a Cookie header")

    # --- real requests through app.test_client() ------------------------------------------------
    n = ("produced by a real request through app.test_client() (view sets session values); "
         "input is the Set-Cookie line exactly as Flask emitted it. ")
    for scen in FLASK_SCENARIOS:
        key = FK2 if scen in ("cart", "big") else FK
        line, cookie = flask_request(scen, key, T0)
        add(f"request/{scen}", fmt, cookie, [key], inp=line, signed_by=key,
            note=n + f"scenario {scen!r}" + (
                "; permanent session -> Expires attribute" if scen == "permanent" else ""))


def flask_threshold_cases():
    """Deterministically search payloads whose compressed length is right around the threshold."""
    app = C.flask_app([FK])
    found = {}
    rng = random.Random(2026)
    with app.app_context():
        ser = app.session_interface.serializer
        for n in range(20, 400):
            for _ in range(40):
                s = "".join(rng.choice("abcab ") for _ in range(n))
                obj = {"k": s}
                j = ser.dumps(obj).encode()
                diff = len(zlib.compress(j)) - len(j)
                if diff in (-3, -2, -1, 0) and diff not in found:
                    found[diff] = obj
            if len(found) == 4:
                break
    assert len(found) == 4, found
    return [(f"{'m' if d < 0 else 'p'}{abs(d)}", found[d], d) for d in sorted(found)]


# =============================================================================================
# ITSDANGEROUS
# =============================================================================================

IK = K("itsdangerous-secret")

KD = ("concat", "django-concat", "hmac", "none")
DIGESTS = ("sha1", "sha224", "sha256", "sha384", "sha512")


def gen_signer():
    fmt = "itsdangerous-signer"

    def sg(name, value, *, note, keys=(IK,), params=None, key=None, **kw):
        keys = list(keys)
        cookie = itsd_dumps(fmt, value, [key] if key else keys, params)
        return add(name, fmt, cookie, keys, note=note, params=params or {},
                   signed_by=key or keys[0], **kw)

    n = "Signer defaults: salt 'itsdangerous.Signer', sep '.', django-concat, sha1. "
    sg("defaults/simple", "hello world", note=n + "value.sig")
    sg("defaults/user-id", "user-42", note=n + "an id")
    sg("defaults/empty-value", "", note=n + "empty value -> '.sig'")
    sg("defaults/value-with-dots", "a.b.c", note=n + "value containing the separator: rsplit on "
                                                   "the LAST separator")
    sg("defaults/unicode", "Zoë 日本 😀 \u2028", note=n + "UTF-8 value")
    sg("defaults/json-looking", '{"a": 1}', note=n + "the value is opaque text")
    n = "Signer params override. "
    sg("params/salt", "hello", params={"salt": "my-salt"}, note=n + "custom salt")
    sg("params/salt-empty", "hello", params={"salt": ""}, note=n + "empty salt (b'', not the "
                                                                   "default)")
    sg("params/salt-unicode", "hello", params={"salt": "sël"}, note=n + "non-ASCII salt (UTF-8)")
    for sep in ("~", ":", "|"):
        sg(f"params/sep-{ {'~': 'tilde', ':': 'colon', '|': 'pipe'}[sep]}", "a.b" + sep + "c",
           params={"separator": sep}, note=n + f"separator {sep!r} (value contains it too)")
    for kd in KD:
        sg(f"params/kd-{kd}", "hello", params={"key_derivation": kd},
           note=n + f"key_derivation {kd!r}")
    for d in DIGESTS:
        sg(f"params/digest-{d}", "hello", params={"digest": d}, note=n + f"digest {d}")
    sg("params/all", "hello", params={"salt": "s", "separator": "|", "digest": "sha512",
                                      "key_derivation": "hmac"},
       note=n + "every override at once")
    sg("params/kd-none-sha256-hex-key", "hello",
       keys=[H("8f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8")],
       params={"key_derivation": "none", "digest": "sha256"},
       note=n + "key_derivation none: the raw 32-byte key is the HMAC key")
    n = "keys: "
    sg("keys/hex-non-utf8", "hello", keys=[H("fffe00c380")], note=n + "non-UTF-8 key bytes")
    sg("keys/empty-key", "hello", keys=[K("")], note=n + "an empty secret is allowed")
    kl = [K("key-c-newest"), K("key-a-oldest"), K("key-b")]
    sg("keys/list-newest", "hello", keys=kl,
       note=n + "secret_key=[a, b, c]: Signet order [c, a, b]; signed by c (newest)")
    sg("keys/list-oldest", "hello", keys=kl, key=kl[1],
       note=n + "signed by a (oldest) -> key_index 1")
    sg("keys/list-middle", "hello", keys=kl, key=kl[2], note=n + "signed by b -> key_index 2")
    sg("keys/wrong", "hello", keys=kl, key=K("nope"), note=n + "no key matches -> bad-signature")
    n = "tampering / lenient: "
    c = itsd_dumps(fmt, "hello", [IK])
    add("tamper/value", fmt, "jello" + c[5:], [IK], tampered=True, note=n + "value changed")
    add("tamper/sig", fmt, tamper_sig_first(c), [IK], tampered=True, note=n + "signature char")
    add("tamper/sig-truncated", fmt, truncate_sig(c), [IK], tampered=True,
        note=n + "signature truncated by one char")
    add("tamper/sig-empty", fmt, c.rsplit(".", 1)[0] + ".", [IK], tampered=True,
        malformed=True, note="STRUCTURALLY MALFORMED: empty signature after the separator")
    add("lenient/sig-padding", fmt, c + "=", [IK], tampered=True, lenient=True,
        note=n + "appended '=' still verifies (lenient base64)")
    add("lenient/sig-unused-bits", fmt, sig_low_bits(c), [IK], tampered=True, lenient=True,
        note=n + "last char changed only in unused low bits still verifies")
    c512 = itsd_dumps(fmt, "hello", [IK], {"digest": "sha512"})
    add("lenient/sig-unused-bits-sha512", fmt, sig_low_bits(c512), [IK],
        params={"digest": "sha512"}, tampered=True, lenient=True,
        note=n + "sha512: 86 chars, 4 unused bits in the last char")
    c224 = itsd_dumps(fmt, "hello", [IK], {"digest": "sha224"})
    add("lenient/sig-unused-bits-sha224", fmt, sig_low_bits(c224), [IK],
        params={"digest": "sha224"}, tampered=True, lenient=True,
        note=n + "sha224: 38 chars, 4 unused bits in the last char")
    c384 = itsd_dumps(fmt, "hello", [IK], {"digest": "sha384"})
    add("lenient/sig-padding-sha384", fmt, c384 + "=", [IK], params={"digest": "sha384"},
        tampered=True, lenient=True,
        note=n + "sha384: 64 chars (no unused bits); an appended '=' is still accepted")
    add("lenient/sig-non-ascii", fmt, c + "ü", [IK], tampered=True, lenient=True,
        note=n + "non-ASCII junk after the signature is dropped")
    n = "STRUCTURALLY MALFORMED: "
    add("malformed/no-separator", fmt, "hello", [IK], malformed=True, note=n + "no separator")
    add("malformed/empty", fmt, "", [IK], malformed=True, note=n + "empty input")
    add("malformed/wrong-separator", fmt, c.replace(".", "~"), [IK], malformed=True,
        note=n + "the default '.' signer given a '~' separated value")
    add("input/name-value", fmt, c, [IK], inp="name", signed_by=IK, note="input name=value")


def gen_timestamp_signer():
    fmt = "itsdangerous-timestamp-signer"

    def ts(name, value, *, note, keys=(IK,), params=None, key=None, t=T0, **kw):
        keys = list(keys)
        cookie = itsd_dumps(fmt, value, [key] if key else keys, params, t)
        return add(name, fmt, cookie, keys, note=note, params=params or {},
                   signed_by=key or keys[0], **kw)

    n = ("TimestampSigner: value.TS.SIG, salt 'itsdangerous.Signer', django-concat, sha1; "
         "default max_age none. ")
    ts("defaults/simple", "hello", note=n + "simple value")
    ts("defaults/value-with-dots", "a.b.c", note=n + "value with separators")
    ts("defaults/empty-value", "", note=n + "empty value -> '.TS.SIG'")
    ts("defaults/unicode", "日本 😀", note=n + "UTF-8 value")
    ts("max-age/within", "hello", max_age=3600, now=T0 + 3600,
       note=n + "age == max_age -> valid")
    ts("max-age/expired", "hello", max_age=3600, now=T0 + 3601,
       note=n + "age == max_age + 1 -> SignatureExpired")
    ts("max-age/future", "hello", max_age=3600, now=T0 - 5,
       note=n + "future timestamp with max_age -> SignatureExpired")
    ts("max-age/future-none", "hello", max_age="none", now=T0 - 5,
       note=n + "future timestamp with max_age none -> valid")
    ts("max-age/default-ancient", "hello", now=T0 + 50 * 365 * 86400,
       note=n + "no max_age member: the bare signer has no age check")
    ts("max-age/zero", "hello", max_age=0, now=T0, note=n + "max_age 0 at age 0 -> valid")
    ts("timestamps/zero", "v", t=0, now=5, note=n + "signed at 0: EMPTY timestamp 'v..SIG'")
    ts("timestamps/one", "v", t=1, now=5, note=n + "signed at 1: 1-byte timestamp 'AQ'")
    ts("timestamps/2100", "v", t=4102444800, now=4102444800, note=n + "year 2100")
    ts("timestamps/5-bytes", "v", t=5000000000, now=5000000000, max_age=10,
       note=n + "5-byte timestamp")
    n = "TimestampSigner params override. "
    ts("params/sep-colon", "a:b", params={"separator": ":"}, note=n + "':' separator")
    ts("params/salt-kd-digest", "hello", params={"salt": "ts-salt", "key_derivation": "concat",
                                                 "digest": "sha256"},
       note=n + "salt + concat + sha256")
    ts("params/hmac-sha384", "hello", params={"key_derivation": "hmac", "digest": "sha384"},
       note=n + "hmac + sha384")
    kl = [K("ts-new"), K("ts-old")]
    ts("keys/list-old", "hello", keys=kl, key=kl[1], note=n + "key list, signed by the old key")
    ts("keys/wrong", "hello", keys=kl, key=K("other"), note=n + "wrong key -> BadTimeSignature")
    c = itsd_dumps(fmt, "hello", [IK])
    add("tamper/timestamp", fmt, retime(c, T0 + 1), [IK], tampered=True,
        note="tampered timestamp -> bad-signature, signed_at = the tampered value")
    add("tamper/wrong-key-expired", fmt, c, [K("nope")], now=T0 + 10**6, max_age=10,
        signed_by=IK, note="wrong key and too old: signature first -> bad-signature")
    add("lenient/sig-padding", fmt, c + "=", [IK], tampered=True, lenient=True,
        note="appended '=' still verifies")
    add("lenient/timestamp-padded-signed", fmt,
        itsd_sign_value(fmt, b"hello." + ts_of(T0).encode() + b"==", IK), [IK], lenient=True,
        note="SIGNED-BY-HAND: timestamp text with '==' padding, validly signed -> decodes")
    add("lenient/timestamp-non-ascii-signed", fmt,
        itsd_sign_value(fmt, b"hello." + "é".encode(), IK), [IK], lenient=True,
        note="SIGNED-BY-HAND: timestamp 'é' (non-ASCII dropped -> empty -> 0), validly signed")
    n = "STRUCTURALLY MALFORMED: "
    add("malformed/no-timestamp", fmt, itsd_dumps("itsdangerous-signer", "hello", [IK]), [IK],
        malformed=True, note=n + "a Signer cookie (value.sig, validly signed) has no timestamp "
                                 "-> BadTimeSignature('timestamp missing')")
    add("malformed/timestamp-bad-b64", fmt, itsd_sign_value(fmt, b"hello.aVW2q", IK), [IK],
        malformed=True, note=n + "SIGNED-BY-HAND: 5-char timestamp (4n+1) cannot decode")
    add("malformed/empty", fmt, "", [IK], malformed=True, note=n + "empty")
    add("malformed/one-separator-garbage", fmt, "abc.d", [IK], malformed=True,
        note=n + "one separator, 'd' is not a decodable signature")
    add("input/set-cookie", fmt, c, [IK], inp="set-cookie", signed_by=IK,
        note="input: Set-Cookie line")


def gen_serializer():
    fmt = "itsdangerous-serializer"

    def sz(name, obj, *, note, keys=(IK,), params=None, key=None, **kw):
        keys = list(keys)
        cookie = itsd_dumps(fmt, obj, [key] if key else keys, params)
        return add(name, fmt, cookie, keys, note=note, params=params or {},
                   signed_by=key or keys[0], **kw)

    n = ("Serializer: stdlib json (', ' / ': ' separators, ensure_ascii=True, insertion order), NOT "
         "base64; salt 'itsdangerous'. ")
    sz("defaults/dict", {"user": "ada", "id": 42}, note=n + "plain JSON + '.' + sig")
    sz("defaults/list", [1, 2, [3, {"a": None}]], note=n + "top-level list")
    sz("defaults/string", "just a string", note=n + "top-level string")
    sz("defaults/number", 3.5, note=n + "top-level number (contains the separator '.')")
    sz("defaults/order", {"z": 1, "a": 2, "m": {"y": 1, "b": 2}}, note=n + "insertion order kept")
    sz("defaults/unicode", {"n": "Zoë 日本 😀\u2028\x7f"}, note=n + "ensure_ascii escapes")
    sz("defaults/escaping", {"s": "\"q\" \\ </script> \x00\n"}, note=n + "escaping")
    sz("defaults/numbers", {"big": 2**70, "neg": -(2**65), "f": [0.1, 1e-07, 1e16, 1.5e300,
                                                                  -0.0, 100.0]},
       note=n + "numbers")
    sz("defaults/empty", {}, note=n + "empty dict '{}'")
    n = "Serializer params. "
    sz("params/sep-tilde", {"a": "x.y~z"}, params={"separator": "~"},
       note=n + "'~' separator; the JSON itself contains '~'")
    sz("params/salt-sha256", {"a": 1}, params={"salt": "other", "digest": "sha256"},
       note=n + "custom salt + sha256")
    sz("params/kd-hmac", {"a": 1}, params={"key_derivation": "hmac"}, note=n + "hmac")
    sz("params/kd-concat-sha224", {"a": 1}, params={"key_derivation": "concat",
                                                     "digest": "sha224"},
       note=n + "concat + sha224")
    kl = [K("ser-new"), K("ser-old")]
    sz("keys/list-old", {"a": 1}, keys=kl, key=kl[1], note=n + "signed by the older key")
    sz("keys/wrong", {"a": 1}, keys=kl, key=K("x"), note=n + "wrong key")
    c = itsd_dumps(fmt, {"role": "user"}, [IK])
    add("tamper/payload", fmt, c.replace('"user"', '"admin"'), [IK], tampered=True,
        note="JSON edited (role user->admin): payload decodes, bad-signature")
    add("lenient/sig-unused-bits", fmt, sig_low_bits(c), [IK], tampered=True, lenient=True,
        note="unused low bits of the signature changed: still ok")
    add("malformed/not-json-signed", fmt, itsd_sign_body(fmt, b"{not json}", IK), [IK],
        note="SIGNED-BY-HAND: valid signature over non-JSON -> BadPayload -> malformed")
    add("malformed/no-separator", fmt, '{"a": 1}', [IK], malformed=True,
        note="STRUCTURALLY MALFORMED: JSON without signature")


def gen_urlsafe():
    fmt = "itsdangerous-urlsafe"

    def us(name, obj, *, note, keys=(IK,), params=None, key=None, **kw):
        keys = list(keys)
        cookie = itsd_dumps(fmt, obj, [key] if key else keys, params)
        return add(name, fmt, cookie, keys, note=note, params=params or {},
                   signed_by=key or keys[0], **kw)

    n = ("URLSafeSerializer: compact JSON (ensure_ascii=False: raw UTF-8, insertion order), "
         "zlib if it saves >= 2 bytes ('.' prefix), b64url nopad; salt 'itsdangerous'. ")
    us("defaults/dict", {"user": "ada", "id": 42}, note=n + "simple")
    us("defaults/order", {"z": 1, "a": 2, "m": [{"y": 1, "b": 2}]}, note=n + "insertion order")
    us("defaults/unicode", {"n": "Zoë 日本 😀", "ls": "\u2028\u2029"},
       note=n + "raw UTF-8 in the JSON (not \\u escapes)")
    us("defaults/control", {"c": "\x00\x1f\x7f\t"}, note=n + "control chars escaped, DEL raw")
    us("defaults/escaping", {"s": "\"q\" \\ </script>"}, note=n + "escaping")
    us("defaults/numbers", {"big": 2**70, "f": [0.1, 1e-07, 1e16, 1.5e300, -0.0, 100.0]},
       note=n + "numbers")
    us("defaults/empty-list", [], note=n + "top-level []")
    us("defaults/empty-string", "", note=n + "top-level ''")
    us("compress/repetitive", {"data": ["x" * 10] * 50}, note=n + "compressed")
    us("compress/unicode", {"t": "日本語" * 40}, note=n + "compressed raw UTF-8")
    for label, obj, diff in urlsafe_threshold_cases():
        us(f"compress/threshold-{label}", obj,
           note=n + f"threshold: len(zlib)-len(json) = {diff} "
                    f"({'compressed' if diff <= -2 else 'not compressed'})")
    n = "URLSafeSerializer params. "
    us("params/sep-colon-compressed", {"data": "ab" * 100}, params={"separator": ":"},
       note=n + "':' separator with a compressed payload: body starts with '.'")
    us("params/sep-pipe", {"a": 1}, params={"separator": "|"}, note=n + "'|' separator")
    us("params/salt-sha512", {"a": 1}, params={"salt": "activate", "digest": "sha512"},
       note=n + "salt + sha512")
    us("params/kd-none", {"a": 1}, keys=[K("raw-hmac-key")], params={"key_derivation": "none"},
       note=n + "key_derivation none")
    us("params/kd-concat", {"a": 1}, params={"key_derivation": "concat"}, note=n + "concat")
    kl = [K("u-c"), K("u-a"), K("u-b")]
    us("keys/list-newest", {"a": 1}, keys=kl, note=n + "key list, signed by the newest")
    us("keys/list-b", {"a": 1}, keys=kl, key=kl[2], note=n + "signed by b -> key_index 2")
    us("keys/hex", {"a": 1}, keys=[H("c0ffee00ff")], note=n + "bytes key")
    c = itsd_dumps(fmt, {"user": "ada"}, [IK])
    add("tamper/payload", fmt, tamper_body_keep_json(fmt, c), [IK], tampered=True,
        note="payload char changed -> bad-signature, payload decodes")
    add("tamper/sig-truncated", fmt, truncate_sig(c, 5), [IK], tampered=True,
        note="signature truncated")
    add("lenient/sig-padding", fmt, c + "=", [IK], tampered=True, lenient=True,
        note="appended '='")
    n = "BadPayload -> malformed: "
    add("malformed/not-json-signed", fmt, itsd_sign_body(fmt, base64_encode(b"nope"), IK), [IK],
        note=n + "SIGNED-BY-HAND: base64 of non-JSON")
    add("malformed/compressed-not-zlib", fmt,
        itsd_sign_body(fmt, b"." + base64_encode(b"[1,2,3]"), IK), [IK],
        note=n + "SIGNED-BY-HAND: '.' flag but not zlib data")
    add("malformed/bad-base64-signed", fmt, itsd_sign_body(fmt, b"abcde", IK), [IK],
        note=n + "SIGNED-BY-HAND: 5 base64 chars cannot decode")
    add("lenient/payload-padded-signed", fmt,
        itsd_sign_body(fmt, base64_encode(b'{"a":1}') + b"=", IK), [IK], lenient=True,
        note="SIGNED-BY-HAND: body with '=' padding, validly signed: loads (lenient)")
    add("malformed/no-separator", fmt, "eyJhIjoxfQ", [IK], malformed=True,
        note="STRUCTURALLY MALFORMED: no separator")
    add("input/quoted", fmt, c, [IK], inp="quoted", signed_by=IK, note="quoted input")


def urlsafe_threshold_cases():
    rng = random.Random(7)
    found = {}
    for n in range(20, 400):
        for _ in range(40):
            s = "".join(rng.choice("xyzx-") for _ in range(n))
            j = json.dumps({"k": s}, separators=(",", ":"), ensure_ascii=False).encode()
            diff = len(zlib.compress(j)) - len(j)
            if diff in (-2, -1) and diff not in found:
                found[diff] = {"k": s}
        if len(found) == 2:
            break
    return [(f"m{abs(d)}", found[d], d) for d in sorted(found)]


def gen_timed():
    fmt = "itsdangerous-timed"

    def tm(name, obj, *, note, keys=(IK,), params=None, key=None, t=T0, **kw):
        keys = list(keys)
        cookie = itsd_dumps(fmt, obj, [key] if key else keys, params, t)
        return add(name, fmt, cookie, keys, note=note, params=params or {},
                   signed_by=key or keys[0], **kw)

    n = ("URLSafeTimedSerializer: body.TS.SIG, compact JSON (raw UTF-8, insertion order), zlib; "
         "salt 'itsdangerous'; default max_age none. ")
    tm("defaults/dict", {"user": "ada", "id": 42}, note=n + "simple")
    tm("defaults/order", {"b": 1, "a": 2}, note=n + "insertion order (unlike Flask)")
    tm("defaults/unicode", {"n": "Zoë 日本 😀"}, note=n + "raw UTF-8")
    tm("defaults/compressed", {"l": list(range(10)) * 30}, note=n + "compressed")
    tm("defaults/string", "reset-password:42", note=n + "top-level string")
    tm("defaults/tuple-is-list", {"t": (1, 2)}, note=n + "a tuple is written as a JSON list")
    tm("max-age/boundary-valid", {"a": 1}, max_age=600, now=T0 + 600,
       note=n + "age == max_age -> valid")
    tm("max-age/boundary-expired", {"a": 1}, max_age=600, now=T0 + 601,
       note=n + "age == max_age + 1 -> expired")
    tm("max-age/future", {"a": 1}, max_age=600, now=T0 - 1, note=n + "future -> expired")
    tm("max-age/future-none", {"a": 1}, max_age="none", now=T0 - 1000,
       note=n + "future, max_age none -> valid")
    tm("max-age/missing-old", {"a": 1}, now=T0 + 10**8, note=n + "no max_age: no age check")
    tm("timestamps/2023", {"a": 1}, t=1700000000, now=1700000000 + 60, max_age=3600,
       note=n + "2023 timestamp")
    tm("timestamps/zero", {"a": 1}, t=0, now=100, max_age=100,
       note=n + "signed at 0: empty timestamp 'body..SIG'; age 100 == max_age")
    tm("timestamps/one-compressed", {"l": [0] * 100}, t=1, now=1,
       note=n + "signed at 1 with a compressed body: '.body.AQ.SIG'")
    n = "URLSafeTimedSerializer params. "
    for kd in KD:
        tm(f"params/kd-{kd}", {"a": 1}, params={"key_derivation": kd},
           note=n + f"key_derivation {kd!r}")
    for d in DIGESTS:
        tm(f"params/digest-{d}", {"a": 1}, params={"digest": d}, note=n + f"digest {d}")
    tm("params/sep-tilde", {"a": 1}, params={"separator": "~"}, note=n + "'~' separator")
    tm("params/sep-colon-compressed", {"data": "abc" * 100}, params={"separator": ":"},
       note=n + "':' separator, compressed body starting with '.'")
    tm("params/salt", {"email": "a@b.c"}, params={"salt": "email-confirm"},
       note=n + "typical salt for an email confirmation token")
    tm("params/all-hex-key", {"a": 1}, keys=[H("ff00ff00aa55")],
       params={"salt": "x", "separator": "|", "digest": "sha384", "key_derivation": "hmac"},
       note=n + "every override with a non-UTF-8 key")
    kl = [K("t-c"), K("t-a"), K("t-b")]
    tm("keys/list-newest", {"a": 1}, keys=kl, note=n + "key list [a,b,c] -> Signet [c,a,b]")
    tm("keys/list-oldest", {"a": 1}, keys=kl, key=kl[1], note=n + "signed by a -> key_index 1")
    tm("keys/list-expired-old-key", {"a": 1}, keys=kl, key=kl[1], max_age=10, now=T0 + 11,
       note=n + "old key, expired: SignatureExpired is raised at once (no other key tried)")
    tm("keys/wrong", {"a": 1}, keys=kl, key=K("t-x"), note=n + "wrong key -> BadTimeSignature")
    c = itsd_dumps(fmt, {"user": "ada"}, [IK])
    add("tamper/timestamp", fmt, retime(c, T0 - 1), [IK], tampered=True,
        note="timestamp changed -> bad-signature")
    add("tamper/payload", fmt, tamper_body_keep_json(fmt, c), [IK], tampered=True,
        note="payload changed -> bad-signature")
    add("tamper/sig", fmt, tamper_sig_first(c), [IK], tampered=True, note="signature changed")
    add("lenient/sig-unused-bits", fmt, sig_low_bits(c), [IK], tampered=True, lenient=True,
        note="unused bits of the signature's last char changed")
    add("lenient/sig-padding-expired", fmt, c + "=", [IK], now=T0 + 100, max_age=10,
        tampered=True, lenient=True, note="appended '=' verifies, then expired")
    n = "STRUCTURALLY MALFORMED: "
    add("malformed/no-timestamp", fmt, itsd_dumps("itsdangerous-urlsafe", {"a": 1}, [IK]), [IK],
        malformed=True, note=n + "an untimed URLSafeSerializer cookie (validly signed) -> "
                                 "BadTimeSignature('timestamp missing')")
    add("malformed/timestamp-bad-signed", fmt,
        itsd_sign_value(fmt, b"eyJhIjoxfQ.a", IK), [IK], malformed=True,
        note=n + "SIGNED-BY-HAND: 1-char timestamp 'a' cannot decode -> Malformed timestamp")
    add("lenient/timestamp-all-junk-signed", fmt,
        itsd_sign_value(fmt, b"eyJhIjoxfQ.@@@@", IK), [IK], lenient=True,
        note="SIGNED-BY-HAND: timestamp '@@@@': binascii skips every char -> b'' -> timestamp 0; "
             "with no max_age this LOADS (signed_at 0)")
    add("malformed/empty", fmt, "", [IK], malformed=True, note=n + "empty")
    add("malformed/payload-not-json-signed", fmt,
        itsd_sign_body(fmt, base64_encode(b"\xff\xfe"), IK), [IK],
        note="SIGNED-BY-HAND: valid signature, payload bytes not UTF-8/JSON -> BadPayload")
    add("input/cookie-header", fmt, c, [IK], inp="cookie-header", signed_by=IK,
        note="input: Cookie header")


# =============================================================================================
# STARLETTE
# =============================================================================================

SK = "starlette-secret-key"


def gen_starlette():
    fmt = "starlette"
    n = ("produced through a real Starlette app + SessionMiddleware + TestClient; input is the "
         "Set-Cookie line it emitted. TimestampSigner(str(secret_key)) (salt itsdangerous.Signer, "
         "django-concat, sha1) over STANDARD base64 WITH padding of json.dumps(session) (', ' / "
         "': ', ensure_ascii=True, insertion order); default max_age 1209600. ")
    for scen in STAR_SCENARIOS:
        line, cookie = starlette_request(scen, SK, T0)
        add(f"request/{scen}", fmt, cookie, [K(SK)], inp=line, signed_by=K(SK),
            note=n + f"scenario {scen!r}")
    line, cookie = starlette_request("simple", "another-😀-key", T0)
    add("request/unicode-key", fmt, cookie, [K("another-😀-key")], inp=line,
        signed_by=K("another-😀-key"), note=n + "non-ASCII secret_key")
    line, cookie = starlette_request("login", SK, T0, max_age=None)
    add("request/max-age-none", fmt, cookie, [K(SK)], inp=line, max_age="none",
        now=T0 + 10**8, signed_by=K(SK),
        note=n + "SessionMiddleware(max_age=None): no Max-Age attribute and no age check")
    line, c = starlette_request("simple", SK, T0)
    n = "Starlette loads: signer.unsign(data, max_age) then json.loads(b64decode(data)). "
    add("expiry/boundary-valid", fmt, c, [K(SK)], now=T0 + STAR_MAX, signed_by=K(SK),
        note=n + "age == 1209600 -> valid")
    add("expiry/boundary-expired", fmt, c, [K(SK)], now=T0 + STAR_MAX + 1, signed_by=K(SK),
        note=n + "age == 1209601 -> SignatureExpired (empty session)")
    add("expiry/future", fmt, c, [K(SK)], now=T0 - 1, signed_by=K(SK),
        note=n + "future timestamp -> SignatureExpired")
    add("expiry/custom", fmt, c, [K(SK)], now=T0 + 3600, max_age=3600, signed_by=K(SK),
        note=n + "max_age=3600, age 3600 -> valid")
    add("keys/wrong", fmt, c, [K("not-the-key")], signed_by=K(SK),
        note=n + "wrong key -> bad-signature (middleware: empty session), payload decodes")
    add("tamper/payload", fmt, tamper_body_keep_json(fmt, c), [K(SK)], tampered=True,
        note=n + "payload char changed")
    add("tamper/timestamp", fmt, retime(c, T0 + 5), [K(SK)], tampered=True,
        note=n + "timestamp changed")
    add("tamper/sig-truncated", fmt, truncate_sig(c), [K(SK)], tampered=True,
        note=n + "signature truncated")
    add("lenient/sig-padding", fmt, c + "=", [K(SK)], tampered=True, lenient=True,
        note=n + "appended '=' to the signature still verifies")
    add("lenient/sig-unused-bits", fmt, sig_low_bits(c), [K(SK)], tampered=True, lenient=True,
        note=n + "signature unused low bits changed")
    n = ("SIGNED-BY-HAND, the decode step fails after a valid signature; Starlette does not catch "
         "it (HTTP 500) -> malformed. ")
    add("malformed/not-base64-padding", fmt, starlette_sign_body(b"eyJhIjogMX0", SK, T0), [K(SK)],
        note=n + "standard base64 WITHOUT its '=' padding -> binascii.Error")
    add("malformed/not-json", fmt, starlette_sign_body(b"bm90IGpzb24=", SK, T0), [K(SK)],
        note=n + "base64 of 'not json' -> JSONDecodeError")
    add("malformed/not-utf8", fmt, starlette_sign_body(b"/w==", SK, T0), [K(SK)],
        note=n + "base64 of b'\\xff' -> UnicodeDecodeError")
    add("malformed/urlsafe-alphabet", fmt, starlette_sign_body(b"eyJhIjogIn4_In0=", SK, T0),
        [K(SK)],
        note=n + "body in the URL-safe alphabet ('_' for '/'): b64decode is non-validating and "
                 "SKIPS '_' -> 'Incorrect padding' (binascii.Error)")
    add("signed-by-hand/body-junk-skipped", fmt, starlette_sign_body(b"eyJh!IjogMX0=", SK, T0),
        [K(SK)], lenient=True,
        note="SIGNED-BY-HAND: b64decode (validate=False) skips the '!' in the body -> {'a': 1} "
             "loads (lenient)")
    add("signed-by-hand/empty-session", fmt, starlette_sign_body(b"e30=", SK, T0), [K(SK)],
        note="SIGNED-BY-HAND: '{}' (the middleware never writes an empty session, but loads it)")
    add("malformed/no-timestamp", fmt, "eyJhIjogMX0=.sig", [K(SK)], malformed=True,
        note="STRUCTURALLY MALFORMED: one separator only")
    add("malformed/null-cookie", fmt, "null", [K(SK)], malformed=True,
        note="STRUCTURALLY MALFORMED: the literal 'null' the middleware writes when it clears a "
             "session")
    add("input/cookie-header", fmt, c, [K(SK)], inp="cookie-header", signed_by=K(SK),
        note="input: Cookie header (value contains '=' padding)")
    add("input/name-value", fmt, c, [K(SK)], inp="name", signed_by=K(SK),
        note="input: name=value")


def main():
    gen_flask()
    gen_signer()
    gen_timestamp_signer()
    gen_serializer()
    gen_urlsafe()
    gen_timed()
    gen_starlette()
    doc = {
        "generator": "tests/interop/gen_itsdangerous.py",
        "versions": {
            "flask": version("flask"),
            "itsdangerous": version("itsdangerous"),
            "werkzeug": version("werkzeug"),
            "starlette": version("starlette"),
            "python": "%d.%d" % sys.version_info[:2],
        },
        "vectors": VECTORS,
    }
    sys.stdout.write(json.dumps(doc, indent=1, sort_keys=False) + "\n")


if __name__ == "__main__":
    main()

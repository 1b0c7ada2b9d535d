#!/usr/bin/env python3
"""Generate tests/vectors/django.json with the REAL Django (5.2.19, see requirements.txt).

    /tmp/signet-py/bin/python tests/interop/gen_django.py > tests/vectors/django.json
    /tmp/signet-py/bin/python tests/interop/gen_django.py --check tests/vectors/django.json

Formats: django-signer, django-timestamp-signer, django-signing, django-session, django-cookie
(Signet format ids, shared/contract.md).

Rules (see tests/vectors/README.md):
  * every cookie is produced by Django at a time frozen with unittest.mock.patch("time.time"):
    signing.Signer / TimestampSigner / dumps, the signed_cookies SessionStore (save() ->
    session_key), requests through the test Client with SessionMiddleware, and
    HttpResponse.set_signed_cookie (the cookie is the value as the Set-Cookie header carries it:
    SimpleCookie quoting kept). "Tampered" cookies are library output edited afterwards; a few
    deliberately odd cookies are built by signing a hand-made string with Django's own signer
    (marked SIGNED-BY-HAND);
  * keys are applied with override_settings(SECRET_KEY=keys[0], SECRET_KEY_FALLBACKS=keys[1:]),
    the way a project configures them (django_common.configured);
  * every expectation comes from calling Django's loader at the frozen `now`
    (django_common.evaluate): library_result is "ok" or the exception class name; status:
    ok->valid, SignatureExpired->expired, BadSignature->bad-signature, and ValueError /
    IndexError / binascii.Error / zlib.error / JSONDecodeError raised AFTER a valid signature
    (bad timestamp text, bad base64, bad zlib, bad JSON) -> malformed; the cases marked
    `malformed=True` (STRUCTURALLY MALFORMED: empty, no separator, no timestamp, undecodable
    timestamp, a session key SessionBase refuses) turn a BadSignature into "malformed";
  * django-session: SessionStore.load() swallows EVERY exception and returns {} (a new empty
    session). library_result is computed with the very signing.loads(...) call load() makes
    (django_common._session_load), and every session vector is cross-checked: load() returns the
    value when ok and {} otherwise, and so does request.session behind SessionMiddleware;
  * key_index: each single key alone, in Django's order (SECRET_KEY, then SECRET_KEY_FALLBACKS in
    list order), signature check only (Signer.unsign); first success wins;
  * resign: true only when signing expect.payload with keys[key_index], params and time
    signed_at through Django gives back `cookie` byte for byte -- checked here for every such
    vector;
  * no randomness; output is deterministic.
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import django_common as D  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core import signing  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402

T0 = 1767225000  # 2025-12-31T23:50:00Z, the usual signing time
NOW = T0 + 600  # 2026-01-01T00:00:00Z, the usual verification time
SESS_MAX = D.SESSION_DEFAULT_MAX_AGE
MISSING = object()  # vector has no max_age member (= the framework default)

VECTORS: list[dict] = []
NAMES: set[str] = set()

B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def K(text):
    return {"text": text}


def H(hexstr):
    return {"hex": hexstr}


# Keys. get_random_secret_key() style (startproject writes 'django-insecure-' + 50 chars of
# 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)'), fixed here for determinism.
DK = K("django-insecure-8c#x!q$k^w@t7v+3m9z&f2r%h1y0p(s)u_l=e*j-n4b6d5g")
PK = K("prod-secret-key-😀-Zürich-ключ")  # non-ASCII
HK = H("00ff10fe80817f7e9c")  # not UTF-8
NEW, OLD1, OLD2 = K("rotated-new-key-2026"), K("old-key-2025"), K("older-key-2024")
ROT = [NEW, OLD1, OLD2]
WRONG = K("not-the-right-key")


# ---------------------------------------------------------------------------------------------
# input forms


def as_input(form: str, cookie: str, name: str) -> str:
    if form == "bare":
        return cookie
    if form == "name":
        return f"{name}={cookie}"
    if form == "cookie-header":
        return f"Cookie: csrftoken=abc; {name}={cookie}; other=1"
    if form == "set-cookie":
        return f"Set-Cookie: {name}={cookie}; Path=/"
    raise ValueError(form)


FORMS = ("bare", "name", "cookie-header", "set-cookie")
DEFAULT_NAME = {"django-session": "sessionid"}


# ---------------------------------------------------------------------------------------------
# the vector recorder


def add(name, fmt, cookie, keys, *, note, params=None, now=NOW, max_age=MISSING, inp="bare",
        signed_by=None, tampered=False, malformed=False, lenient=False, resign=None):
    """Evaluate `cookie` with Django and record a vector.

    signed_by: the Signet key dict that signed the cookie (None if unknown/hand-made);
    tampered: the cookie was edited after Django produced it;
    malformed: STRUCTURALLY MALFORMED case (status malformed instead of bad-signature);
    lenient: the body only decodes thanks to Django's non-validating base64 (SIGNED-BY-HAND);
    resign: False to declare that re-signing cannot give this cookie (reason in the note)."""
    params = dict(params or {})
    full = f"{fmt}/{name}"
    assert full not in NAMES, full
    NAMES.add(full)
    ma = None if max_age is MISSING else max_age
    ev = D.evaluate(fmt, cookie, keys, params, now, ma, malformed=malformed)
    lr = ev["library_result"]
    if lr == "BadSignature":
        h = D.structurally_malformed(fmt, cookie, params)
        assert h == malformed, (full, "heuristic", h, "marked", malformed)
    elif lr != "InvalidSessionKey":
        assert not malformed, (full, "marked malformed but library said", lr)
    if lr == "ok":
        check_ok_value(fmt, ev, full)
    # lenient flag must agree with the canonical-form check of the body
    body, _ = D.split_parts(fmt, cookie, params)
    auto_lenient = ev["payload_decoded"] and D.non_canonical_body(fmt, body)
    assert auto_lenient == lenient, (full, "lenient", auto_lenient)
    if fmt == "django-session":
        session_cross_check(full, cookie, keys, params, now, ma, ev)
    can_resign = (
        not tampered
        and signed_by is not None
        and ev["payload_decoded"]
        and ev["key_index"] is not None
        and D.key_bytes(keys[ev["key_index"]]) == D.key_bytes(signed_by)
    )
    if resign is not None:
        assert resign is False and can_resign, (full, "resign override")
        can_resign = False
        t = ev["signed_at"] if ev["signed_at"] is not None else 0
        got = D.sign(fmt, ev["payload"], keys[ev["key_index"]], params, t)
        assert got != cookie, (full, "resign declared impossible but it reproduces")
    if can_resign:
        t = ev["signed_at"] if ev["signed_at"] is not None else 0
        got = D.sign(fmt, ev["payload"], keys[ev["key_index"]], params, t)
        assert got == cookie, (full, "resign", got, cookie)
    cname = params.get("cookie_name", DEFAULT_NAME.get(fmt, "signed"))
    v = {
        "name": full,
        "format": fmt,
        "input": as_input(inp, cookie, cname) if inp in FORMS else inp,
        "cookie": cookie,
        "keys": keys,
        "params": params,
        "now": now,
    }
    assert cookie in v["input"], full
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


def check_ok_value(fmt, ev, full):
    """The loader's return value must be the decoded payload."""
    val, payload = ev["library_value"], ev["payload"]
    assert val == payload and D.json_equal(val, payload), (full, val, payload)


# ---------------------------------------------------------------------------------------------
# django-session cross-checks: SessionStore.load() and a real request through SessionMiddleware


SEEN = {}


def _echo_session(request):
    SEEN["session"] = dict(request.session.items())
    return HttpResponse("ok")


D.VIEWS["echo-session"] = _echo_session


def session_cross_check(full, cookie, keys, params, now, ma, ev):
    if "digest" in params:
        return  # DEFAULT_HASHING_ALGORITHM no longer exists: not expressible as settings
    age = {} if ma is None else {"SESSION_COOKIE_AGE": D.max_age_value("django-session", ma)}
    lr = ev["library_result"]
    with D.configured(keys, **age), D.frozen(now):
        loaded = D.SessionStore(session_key=cookie).load()
        if lr == "ok":
            assert loaded == ev["library_value"], (full, loaded)
        else:
            assert loaded == {}, (full, loaded)
        if not cookie or any(ord(c) > 126 or c in ' ";,\\' for c in cookie):
            return
        SEEN.clear()
        Client().get("/run/echo-session", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={cookie}")
        want = ev["library_value"] if lr == "ok" else {}
        assert SEEN["session"] == want, (full, SEEN)


# ---------------------------------------------------------------------------------------------
# tampering helpers (operate on library output)


def flip_char(s, i):
    c = s[i]
    j = B64URL.index(c) if c in B64URL else 0
    return s[:i] + B64URL[(j + 1) % 64] + s[i + 1:]


def tamper_sig(cookie, sep=":"):
    v, s = cookie.rsplit(sep, 1)
    return v + sep + flip_char(s, 0)


def truncate_sig(cookie, sep=":"):
    v, s = cookie.rsplit(sep, 1)
    return v + sep + s[:-1]


def retime(cookie, new_ts, sep=":"):
    value, sig = cookie.rsplit(sep, 1)
    body, _ = value.rsplit(sep, 1)
    return body + sep + signing.b62_encode(new_ts) + sep + sig


def tamper_body_keep_json(fmt, cookie):
    """Change one body char so that the payload still decodes (to a different value)."""
    body, ts = D.split_parts(fmt, cookie, {})
    rest = cookie[len(body):]
    orig = D.decode_payload(fmt, body)
    for i in range(len(body) - 1, 0, -1):
        if body[i] not in B64URL:
            continue
        cand = flip_char(body, i)
        got = D.decode_payload(fmt, cand)
        if got is not None and got != orig:
            return cand + rest
    raise AssertionError("no json-preserving tamper found")


# ---------------------------------------------------------------------------------------------
# producing cookies


def dj_sign(fmt, payload, key, params=None, t=T0):
    return D.sign(fmt, payload, key, params or {}, t)


def sign_value_by_hand(fmt, value: str, key, params=None):
    """SIGNED-BY-HAND: the plain Signer part of the format's signer (same key derivation, salt,
    separator and digest) signs `value` as is (value already containing whatever timestamp text
    is wanted)."""
    params = params or {}
    with D.configured([key]):
        if fmt == "django-signer":
            obj = signing.Signer(**D.signer_kwargs(params))
        elif fmt == "django-timestamp-signer":
            obj = signing.TimestampSigner(**D.signer_kwargs(params))
        elif fmt == "django-signing":
            obj = signing.TimestampSigner(salt=params.get("salt", "django.core.signing"))
        elif fmt == "django-session":
            obj = signing.TimestampSigner(salt=D.SESSION_SALT)
        else:
            raise ValueError(fmt)
        return signing.Signer.sign(obj, value)


def sign_body_by_hand(fmt, body: str, key, params=None, t=T0):
    """SIGNED-BY-HAND: a hand-made body signed by the format's TimestampSigner at time t
    (signing: salt from params or django.core.signing; session: the backend's salt)."""
    params = params or {}
    salt = D.SESSION_SALT if fmt == "django-session" else params.get("salt",
                                                                      "django.core.signing")
    with D.configured([key]), D.frozen(t):
        return signing.TimestampSigner(salt=salt).sign(body)


def set_signed_cookie(name, value, key, *, salt=None, t=T0, fallbacks=(), **kwargs):
    """HttpResponse.set_signed_cookie at time t; returns (Set-Cookie line as the WSGI handler
    writes it, the cookie value as the header carries it)."""
    with D.configured([key, *fallbacks]), D.frozen(t):
        r = HttpResponse()
        if salt is None:
            r.set_signed_cookie(name, value, **kwargs)
        else:
            r.set_signed_cookie(name, value, salt=salt, **kwargs)
        m = r.cookies[name]
        return "Set-Cookie:" + m.output(header=""), m.coded_value


def legacy_cookie(name, value, key, salt="", t=T0, algorithm=None):
    """A cookie as Django before the v2 salt signed it: get_cookie_signer(salt=name + salt)
    (exactly the old set_signed_cookie); with algorithm='sha1' as Django < 3.1 did (the old
    Signer default), through the same cookie-key derivation. Quoted by HttpResponse.set_cookie."""
    with D.configured([key]), D.frozen(t):
        if algorithm is None:
            signed = signing.get_cookie_signer(salt=name + salt).sign(value)
        else:
            signed = signing.TimestampSigner(
                key=signing._cookie_signer_key(settings.SECRET_KEY), salt=name + salt,
                algorithm=algorithm, fallback_keys=[]).sign(value)
        return D.cookie_header_value(name, signed)


# =============================================================================================
# django-signer
# =============================================================================================


def gen_signer():
    fmt = "django-signer"
    DSK = K("signer-secret-key-0123456789abcdef")

    def sg(name, value, *, note, keys=(DSK,), key=None, params=None, **kw):
        keys = list(keys)
        key = key or keys[0]
        cookie = dj_sign(fmt, value, key, params)
        return add(name, fmt, cookie, keys, note=note, params=params, signed_by=key, **kw)

    n = ("signing.Signer().sign(value) = value + ':' + b64url_nopad(HMAC-SHA256(key=SHA256(salt + "
         "'signer' + SECRET_KEY), value)); default salt 'django.core.signing.Signer'. ")
    sg("defaults/simple", "hello", note=n + "simple value")
    sg("defaults/empty-value", "", note=n + "empty value -> ':SIG'")
    sg("defaults/value-with-separators", "a:b:c", note=n + "value containing ':' (rsplit)")
    sg("defaults/unicode", "Zoë 日本 😀", note=n + "non-ASCII value, HMAC over its UTF-8")
    sg("defaults/email", "ada@example.com", note=n + "typical value")
    sg("defaults/long", "x" * 300, note=n + "300-char value")
    n = "Signer params. "
    sg("params/salt", "42", params={"salt": "myapp.unsubscribe"}, note=n + "custom salt")
    v = sg("params/salt-empty", "hello", params={"salt": ""},
           note=n + "DJANGO QUIRK: Signer(salt='') uses the DEFAULT salt "
                    "'django.core.signing.Signer' (self.salt = salt or '<module>.<Class>'), so "
                    "this is byte-identical to defaults/simple")
    assert v["cookie"] == dj_sign(fmt, "hello", DSK), "salt '' == default salt"
    sg("params/sep-tilde", "a:b", params={"separator": "~"}, note=n + "sep '~'")
    sg("params/sep-slash", "hello", params={"separator": "/"}, note=n + "sep '/'")
    sg("params/sep-multi-char", "a:b", params={"separator": "::"},
       note=n + "two-character separator '::' (allowed: only ^[A-z0-9-_=]*$ is refused)")
    sg("params/sep-dot", "v1.2", params={"separator": "."}, note=n + "sep '.'")
    sg("params/digest-sha1", "hello", params={"digest": "sha1"},
       note=n + "algorithm='sha1' (the Django < 3.1 default): 27-char signature")
    sg("params/digest-sha384", "hello", params={"digest": "sha384"}, note=n + "sha384: 64 chars")
    sg("params/digest-sha512", "hello", params={"digest": "sha512"}, note=n + "sha512: 86 chars")
    sg("params/all-overrides-hex-key", "a|b", keys=[HK],
       params={"salt": "s", "separator": "|", "digest": "sha1"},
       note=n + "salt, '|' separator, sha1 and a non-UTF-8 key")
    c = dj_sign(fmt, "hello", DSK, {"digest": "sha1"})
    add("legacy/sha1-under-default-params", fmt, c, [DSK], signed_by=DSK,
        note="a sha1 (Django < 3.1) signature checked with today's default sha256 Signer -> "
             "BadSignature (Django 5.2 has no sha1 fallback)")
    n = "SECRET_KEY / SECRET_KEY_FALLBACKS. "
    sg("keys/insecure-startproject-key", "hello", keys=[DK],
       note=n + "a 'django-insecure-' key as startproject writes it")
    sg("keys/non-ascii", "hello", keys=[PK], note=n + "non-ASCII SECRET_KEY (UTF-8)")
    sg("keys/hex", "hello", keys=[HK], note=n + "bytes SECRET_KEY, not UTF-8")
    sg("keys/fallback-first", "hello", keys=ROT, key=OLD1,
       note=n + "signed with SECRET_KEY_FALLBACKS[0] -> key_index 1")
    sg("keys/fallback-second", "hello", keys=ROT, key=OLD2,
       note=n + "signed with SECRET_KEY_FALLBACKS[1] -> key_index 2 (list order)")
    sg("keys/primary-of-three", "hello", keys=ROT, note=n + "signed with SECRET_KEY")
    sg("keys/duplicate", "hello", keys=[DSK, DSK], note=n + "same key twice: key_index 0")
    sg("keys/wrong", "hello", keys=[WRONG], key=DSK, note=n + "wrong key -> BadSignature")
    c = dj_sign(fmt, "hello", DSK)
    n = "tampered Signer output. "
    add("tamper/value", fmt, "hellp" + c[5:], [DSK], tampered=True, note=n + "value changed")
    add("tamper/sig", fmt, tamper_sig(c), [DSK], tampered=True, note=n + "signature changed")
    add("tamper/sig-truncated", fmt, truncate_sig(c), [DSK], tampered=True,
        note=n + "signature truncated")
    add("tamper/sig-padding", fmt, c + "=", [DSK], tampered=True,
        note=n + "'=' appended: Django compares the signature TEXT (constant_time_compare), so "
                 "unlike itsdangerous this is a bad signature")
    c2 = dj_sign(fmt, "hello!", DSK)
    assert "-" in c2.rsplit(":", 1)[1] or "_" in c2.rsplit(":", 1)[1]
    add("tamper/sig-std-alphabet", fmt,
        c2.rsplit(":", 1)[0] + ":" + c2.rsplit(":", 1)[1].replace("-", "+").replace("_", "/"),
        [DSK], tampered=True, note=n + "signature rewritten in the standard alphabet -> bad")
    add("tamper/value-case", fmt, "Hello" + c[5:], [DSK], tampered=True, note=n + "case changed")
    n = "STRUCTURALLY MALFORMED: "
    add("malformed/no-separator", fmt, "hello", [DSK], malformed=True,
        note=n + "no ':' -> BadSignature('No \":\" found in value')")
    add("malformed/empty", fmt, "", [DSK], malformed=True, note=n + "empty")
    add("malformed/separator-param-mismatch", fmt, c, [DSK], params={"separator": "~"},
        malformed=True, note=n + "a ':' cookie read with separator '~' -> no '~' found")
    add("input/name-value", fmt, c, [DSK], inp="name", signed_by=DSK, note="input: name=value")
    add("input/cookie-header", fmt, c, [DSK], inp="cookie-header", signed_by=DSK,
        note="input: Cookie header")
    ts_cookie = dj_sign("django-timestamp-signer", "hello", DSK)
    add("cross/timestamp-signer-cookie", fmt, ts_cookie, [DSK], signed_by=DSK,
        params={"salt": "django.core.signing.TimestampSigner"},
        note="a TimestampSigner cookie read as a plain Signer WITH the TimestampSigner salt: the "
             "signature covers 'value:TS', so it verifies and the value is 'hello:1vb5x2'")
    add("cross/timestamp-signer-cookie-default-salt", fmt, ts_cookie, [DSK], signed_by=DSK,
        note="the same TimestampSigner cookie read with the plain Signer default salt -> "
             "BadSignature; the value shown is 'hello:1vb5x2'")


# =============================================================================================
# django-timestamp-signer
# =============================================================================================


def gen_timestamp_signer():
    fmt = "django-timestamp-signer"
    TK = K("timestamp-signer-key-fedcba9876543210")

    def ts(name, value, *, note, keys=(TK,), key=None, params=None, t=T0, **kw):
        keys = list(keys)
        key = key or keys[0]
        cookie = dj_sign(fmt, value, key, params, t)
        return add(name, fmt, cookie, keys, note=note, params=params, signed_by=key, **kw)

    n = ("signing.TimestampSigner().sign(value) = Signer.sign(value + ':' + b62(int(time.time())));"
         " default salt 'django.core.signing.TimestampSigner'; default max_age none. ")
    ts("defaults/simple", "hello", note=n + "simple")
    ts("defaults/no-max-age-ancient", "hello", now=T0 + 10**8,
       note=n + "no max_age given to unsign(): never expires")
    ts("defaults/value-with-colons", "a:b", note=n + "value containing ':'")
    ts("defaults/unicode", "Zoë 日本 😀", note=n + "non-ASCII value")
    ts("defaults/empty-value", "", note=n + "empty value -> ':TS:SIG'")
    n = "unsign(max_age): age = time.time() - ts; expired iff age > max_age. "
    ts("max-age/boundary-valid", "hello", max_age=600, now=T0 + 600, note=n + "age == max_age")
    ts("max-age/boundary-expired", "hello", max_age=600, now=T0 + 601,
       note=n + "age == max_age + 1 -> SignatureExpired")
    ts("max-age/future-valid", "hello", max_age=600, now=T0 - 3600,
       note=n + "timestamp 1 h in the FUTURE: Django has no future check -> valid")
    ts("max-age/none", "hello", max_age="none", now=T0 + 10**8, note=n + "max_age none")
    ts("max-age/zero-same-second", "hello", max_age=0, now=T0, note=n + "max_age 0, age 0")
    n = "timestamps. "
    ts("timestamps/zero", "hello", t=0, now=10, note=n + "signed at 0 -> b62 '0'")
    ts("timestamps/negative", "hello", t=-86400, now=0,
       note=n + "signed at -86400 (1969): b62 '-' prefix")
    ts("timestamps/year-3000", "hello", t=32503680000, now=NOW, max_age=600,
       note=n + "signed in year 3000 (future): valid")
    ts("timestamps/2001", "hello", t=1000000000, now=1000000100, max_age=100,
       note=n + "2001, age == max_age")
    b62 = signing.b62_encode(T0)
    add("signed-by-hand/ts-leading-zero", fmt, sign_value_by_hand(fmt, f"hello:0{b62}", TK), [TK],
        note="SIGNED-BY-HAND: timestamp text '0' + canonical: b62_decode accepts leading zeros "
             "-> valid, signed_at T0 (Django never writes it: not re-signable)")
    add("signed-by-hand/ts-beyond-i64", fmt,
        sign_value_by_hand(fmt, "hello:" + signing.b62_encode(2**64), TK), [TK], max_age=600,
        note="SIGNED-BY-HAND: timestamp 2**64 (beyond i64): Python ints are unbounded; age is "
             "negative -> valid with max_age 600; signed_at 18446744073709551616")
    add("signed-by-hand/ts-minus-only", fmt, sign_value_by_hand(fmt, "hello:-", TK), [TK],
        note="SIGNED-BY-HAND: timestamp '-': b62_decode strips the sign and decodes '' to 0 -> "
             "valid, signed_at 0 (not re-signable)")
    n = "SIGNED-BY-HAND, valid signature, then TimestampSigner.unsign fails outside BadSignature: "
    add("malformed/ts-bad-char-signed", fmt, sign_value_by_hand(fmt, "hello:1vb5!2", TK), [TK],
        note=n + "'!' not in the base62 alphabet -> ValueError (str.index) -> malformed")
    add("malformed/ts-empty-signed", fmt, sign_value_by_hand(fmt, "hello:", TK), [TK],
        note=n + "empty timestamp -> b62_decode('') IndexError -> malformed")
    with D.configured([TK]):
        no_ts = signing.Signer.sign(signing.TimestampSigner(), "hello")
    add("malformed/no-timestamp-signed", fmt, no_ts, [TK],
        note=n + "signed by the TimestampSigner's Signer part without a timestamp: 'hello:SIG' "
                 "-> rsplit needs two parts -> ValueError -> malformed")
    n = "STRUCTURALLY MALFORMED: "
    add("malformed/plain-signer-cookie", fmt, dj_sign("django-signer", "hello", TK), [TK],
        malformed=True, note=n + "a plain Signer cookie (one ':'; other salt) -> BadSignature")
    add("malformed/empty", fmt, "", [TK], malformed=True, note=n + "empty")
    add("malformed/ts-bad-char-unsigned", fmt, "hello:!!:" + "A" * 43, [TK], malformed=True,
        note=n + "timestamp '!!' and a garbage signature -> BadSignature")
    n = "TimestampSigner params. "
    ts("params/salt", "hello", params={"salt": "password-reset"}, note=n + "custom salt")
    ts("params/sep-tilde", "a:b", params={"separator": "~"},
       note=n + "sep '~' (also between value and timestamp)")
    ts("params/digest-sha1", "hello", params={"digest": "sha1"}, note=n + "sha1")
    ts("params/digest-sha512", "hello", params={"digest": "sha512"}, note=n + "sha512")
    n = "keys. "
    ts("keys/fallback", "hello", keys=ROT, key=OLD1, note=n + "SECRET_KEY_FALLBACKS[0] -> 1")
    ts("keys/fallback-expired", "hello", keys=ROT, key=OLD2, max_age=60, now=T0 + 61,
       note=n + "fallback key verifies (key_index 2), then expired")
    ts("keys/wrong", "hello", keys=[WRONG], key=TK, note=n + "wrong key")
    ts("keys/hex", "hello", keys=[HK], note=n + "non-UTF-8 key")
    ts("keys/non-ascii", "hello", keys=[PK], note=n + "non-ASCII key")
    ts("keys/insecure", "hello", keys=[DK], note=n + "django-insecure- key")
    c = dj_sign(fmt, "hello", TK)
    n = "tampered. "
    add("tamper/timestamp", fmt, retime(c, T0 + 1), [TK], tampered=True,
        note=n + "timestamp changed (signature covers it)")
    add("tamper/value", fmt, "hellp" + c[5:], [TK], tampered=True, note=n + "value changed")
    add("tamper/sig", fmt, tamper_sig(c), [TK], tampered=True, note=n + "signature changed")
    add("legacy/sha1-under-default-params", fmt, dj_sign(fmt, "hello", TK, {"digest": "sha1"}),
        [TK], signed_by=TK, note="sha1 (Django < 3.1) cookie, default sha256 -> BadSignature")
    add("input/set-cookie", fmt, c, [TK], inp="set-cookie", signed_by=TK,
        note="input: Set-Cookie line")


# =============================================================================================
# django-signing
# =============================================================================================


def gen_signing():
    fmt = "django-signing"
    SK = K("signing-dumps-secret-key-000111222333")

    def sn(name, obj, *, note, keys=(SK,), key=None, params=None, t=T0, **kw):
        keys = list(keys)
        key = key or keys[0]
        cookie = dj_sign(fmt, obj, key, params, t)
        return add(name, fmt, cookie, keys, note=note, params=params, signed_by=key, **kw)

    n = ("signing.dumps(obj): compact JSON (ensure_ascii, insertion order) encoded latin-1, "
         "b64url_nopad, TimestampSigner(salt='django.core.signing').sign -> BODY:TS:SIG. ")
    sn("defaults/dict", {"user": "ada", "id": 42}, note=n + "dict")
    sn("defaults/order", {"b": 1, "a": 2, "C": 3}, note=n + "insertion order kept (no sorting)")
    sn("defaults/string", "hello", note=n + "top-level string")
    sn("defaults/int", 42, note=n + "top-level int")
    sn("defaults/list", [1, "two", None, True, False], note=n + "list with null/bools")
    sn("defaults/null", None, note=n + "top-level null")
    sn("defaults/unicode", {"n": "Zoë 日本 😀"},
       note=n + "non-ASCII escaped \\u00eb, surrogate pair for the emoji (ensure_ascii)")
    sn("defaults/latin1", {"s": "café ÿ"}, note=n + "latin-1 range, still \\u escaped")
    sn("defaults/numbers", {"big": 2**70, "neg": -2**64, "f": 0.1, "e": 1e-07, "g": 1e16,
                            "h": 1.5e300, "z": -0.0, "w": 100.0},
       note=n + "big ints and floats as Python's repr writes them (1e-07, 1e+16, -0.0, 100.0)")
    sn("defaults/escapes", {"s": "q\" b\\ </script> \t\n\x00\x1f\x7f \u2028"},
       note=n + "JSON escapes: \\\", \\\\, \\t, \\n, \\u0000, \\u001f, raw DEL, \\u2028")
    sn("defaults/nested", {"a": {"b": [1, [2, {}]], "e": []}, "empty": ""}, note=n + "nested")
    sn("defaults/tuple-is-list", {"t": (1, 2)}, note=n + "a tuple is written as a JSON list")
    sn("defaults/int-keys", {1: "a", 2: "b"}, note=n + "int dict keys become strings")
    sn("defaults/empty-dict", {}, note=n + "{}")
    n = "dumps(compress=True): compressed iff len(zlib.compress(d)) < len(d) - 1, then '.' prefix. "
    sn("compress/compressible", {"l": list(range(10)) * 20}, params={"compress": True},
       note=n + "compressible")
    sn("compress/incompressible", {"a": 1}, params={"compress": True},
       note=n + "compress=True but zlib does not help -> plain body (compressed false)")
    d11 = json.dumps("a" * 11, separators=(",", ":")).encode()
    assert len(__import__("zlib").compress(d11)) == len(d11) - 1
    sn("compress/boundary-not-compressed", "a" * 11, params={"compress": True},
       note=n + "'\"aaaaaaaaaaa\"': 13 bytes, zlib 12 == 13 - 1 -> NOT compressed (strict <)")
    sn("compress/boundary-compressed", "a" * 12, params={"compress": True},
       note=n + "'\"aaaaaaaaaaaa\"': 14 bytes, zlib 12 < 13 -> compressed")
    sn("compress/unicode", {"t": "Zoë 日本 😀 " * 20}, params={"compress": True},
       note=n + "compressible escaped unicode")
    sn("compress/fallback-key", {"l": [0] * 50}, keys=ROT, key=OLD1, params={"compress": True},
       note=n + "compressed, signed by a fallback key")
    n = "salt. "
    sn("params/salt", {"email": "a@b.c"}, params={"salt": "activation"}, note=n + "custom salt")
    v = sn("params/salt-empty", {"a": 1}, params={"salt": ""},
           note=n + "DJANGO QUIRK: dumps(salt='') -> TimestampSigner(salt='') falls back to the "
                    "class default 'django.core.signing.TimestampSigner' (NOT "
                    "'django.core.signing')")
    with D.configured([SK]), D.frozen(T0):
        assert v["cookie"] == signing.TimestampSigner().sign_object({"a": 1})
    n = "loads(max_age): expired iff now - ts > max_age; no future check. "
    sn("max-age/boundary-valid", {"a": 1}, max_age=3600, now=T0 + 3600, note=n + "age == max")
    sn("max-age/boundary-expired", {"a": 1}, max_age=3600, now=T0 + 3601, note=n + "age == max+1")
    sn("max-age/future-valid", {"a": 1}, max_age=60, now=T0 - 86400,
       note=n + "signed a day in the FUTURE -> valid")
    sn("max-age/none", {"a": 1}, max_age="none", now=T0 + 10**9, note=n + "max_age none")
    sn("max-age/missing-ancient", {"a": 1}, now=T0 + 10**9, note=n + "default: no age check")
    n = "keys (loads(fallback_keys=None) -> SECRET_KEY_FALLBACKS). "
    sn("keys/fallback-second", {"a": 1}, keys=ROT, key=OLD2, note=n + "key_index 2")
    sn("keys/wrong", {"a": 1}, keys=[WRONG], key=SK, note=n + "wrong key; payload still shown")
    sn("keys/insecure", {"a": 1}, keys=[DK], note=n + "django-insecure- key")
    sn("keys/non-ascii", {"a": 1}, keys=[PK], note=n + "non-ASCII key")
    sn("keys/hex", {"a": 1}, keys=[HK], note=n + "non-UTF-8 key")
    sn("keys/fallback-expired", {"a": 1}, keys=ROT, key=OLD1, max_age=10, now=T0 + 11,
       note=n + "fallback verifies, then expired")
    c1 = dj_sign(fmt, {"a": 1}, SK, {"digest": "sha1"})
    add("legacy/sha1-under-default", fmt, c1, [SK], signed_by=SK,
        note="dumps() output of Django < 3.1 (sha1; made with TimestampSigner(algorithm='sha1')"
             ".sign_object) read by Django 5.2 loads() -> BadSignature")
    add("legacy/sha1-digest-param", fmt, c1, [SK], params={"digest": "sha1"}, signed_by=SK,
        note="the same cookie with params.digest 'sha1' = TimestampSigner(salt="
             "'django.core.signing', algorithm='sha1').unsign_object() -> valid")
    c = dj_sign(fmt, {"user": "ada"}, SK)
    n = "tampered. "
    add("tamper/payload", fmt, tamper_body_keep_json(fmt, c), [SK], tampered=True,
        note=n + "body changed, still decodes")
    add("tamper/timestamp", fmt, retime(c, T0 - 1), [SK], tampered=True, note=n + "ts changed")
    add("tamper/sig", fmt, tamper_sig(c), [SK], tampered=True, note=n + "signature changed")
    n = "SIGNED-BY-HAND body with a valid signature; decoding fails after the signature: "
    add("malformed/base64-length-signed", fmt, sign_body_by_hand(fmt, "eyJhI", SK), [SK],
        note=n + "5 chars (4n+1) -> binascii.Error")
    add("malformed/bad-zlib-signed", fmt, sign_body_by_hand(fmt, ".eyJhIjoxfQ", SK), [SK],
        note=n + "'.' prefix but the bytes are not zlib -> zlib.error")
    add("malformed/not-json-signed", fmt, sign_body_by_hand(fmt, "bm90IGpzb24", SK), [SK],
        note=n + "base64 of 'not json' -> JSONDecodeError")
    add("signed-by-hand/raw-utf8-json", fmt,
        sign_body_by_hand(fmt, signing.b64_encode('{"n":"é"}'.encode()).decode(), SK), [SK],
        note="SIGNED-BY-HAND: raw UTF-8 JSON (Django writes ensure_ascii): JSONSerializer.loads "
             "decodes LATIN-1 -> the value is the mojibake 'Ã©' -> valid with that payload")
    add("signed-by-hand/body-padded", fmt, sign_body_by_hand(fmt, "eyJhIjoxfQ==", SK), [SK],
        lenient=True,
        note="SIGNED-BY-HAND: body with '==' padding: b64_decode adds none and urlsafe_b64decode "
             "accepts it -> {'a': 1} (Django never writes padding)")
    add("signed-by-hand/body-junk-skipped", fmt, sign_body_by_hand(fmt, "eyJh!!!!IjoxfQ", SK),
        [SK], lenient=True,
        note="SIGNED-BY-HAND: '!!!!' inside the body: pad computed on the raw length (14 -> 2 "
             "'='), then non-alphabet chars are DISCARDED (validate=False) -> {'a': 1}")
    add("malformed/ts-bad-char-signed", fmt, sign_value_by_hand(fmt, "eyJhIjoxfQ:1vb5!2", SK),
        [SK], note="SIGNED-BY-HAND: timestamp with '!' -> ValueError -> malformed")
    n = "STRUCTURALLY MALFORMED: "
    add("malformed/no-timestamp", fmt, "eyJhIjoxfQ:" + "A" * 43, [SK], malformed=True,
        note=n + "one ':' only -> BadSignature")
    add("malformed/empty", fmt, "", [SK], malformed=True, note=n + "empty")
    add("malformed/no-separator", fmt, "eyJhIjoxfQ", [SK], malformed=True,
        note=n + "no ':' at all")
    add("cross/session-cookie", fmt, dj_sign("django-session", {"a": 1}, SK), [SK], signed_by=SK,
        note="a signed_cookies session value read with the dumps() default salt -> BadSignature")
    add("input/name-value", fmt, c, [SK], inp="name", signed_by=SK, note="input: name=value")


# =============================================================================================
# django-session
# =============================================================================================

SSK = K("session-secret-key-a1b2c3d4e5f6g7h8i9j0")
AUTH = {
    "_auth_user_id": "42",
    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
    "_auth_user_hash": "5f1c6a2e0e6d3b7c9a8f4e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b",
}
SESSION_SCENARIOS = {
    "login": AUTH,
    "cart": {"cart": [{"sku": "sku-%d" % i, "qty": i % 3 + 1} for i in range(12)],
             "currency": "EUR"},
    "unicode": {"name": "Zoë 日本 😀", "city": "Kraków"},
    "small": {"a": 1},
    "flash": {"_messages": '[["__json_message",0,20,"Profile saved."]]'},
}


def store_cookie(data, key, t=T0, expiry=None):
    """SessionStore(): set values, optionally set_expiry, save(); the session_key IS the cookie."""
    with D.configured([key]), D.frozen(t):
        s = D.SessionStore()
        for k, v in data.items():
            s[k] = v
        if expiry is not None:
            s.set_expiry(expiry)
        s.save()
        return s.session_key


def _set_session_view(request):
    name = request.GET["s"]
    for k, v in SESSION_SCENARIOS[name].items():
        request.session[k] = v
    if "expiry" in request.GET:
        request.session.set_expiry(int(request.GET["expiry"]))
    return HttpResponse("ok")


D.VIEWS["set-session"] = _set_session_view


def session_request(scenario, keys, t=T0, expiry=None, **settings_):
    """A real request through the test Client (SessionMiddleware + signed_cookies, SECRET_KEY =
    keys[0], SECRET_KEY_FALLBACKS = keys[1:]): returns the Set-Cookie line as the WSGI handler
    writes it, the cookie value and the cookie name."""
    q = f"?s={scenario}" + (f"&expiry={expiry}" if expiry is not None else "")
    with D.configured(keys, **settings_), D.frozen(t):
        resp = Client().get("/run/set-session" + q)
        name = settings.SESSION_COOKIE_NAME
    m = resp.cookies[name]
    return "Set-Cookie:" + m.output(header=""), m.value, name


def gen_session():
    fmt = "django-session"

    def st(name, data, *, note, keys=(SSK,), key=None, t=T0, expiry=None, **kw):
        keys = list(keys)
        key = key or keys[0]
        cookie = store_cookie(data, key, t, expiry)
        return add(name, fmt, cookie, keys, note=note, signed_by=key, **kw)

    n = ("signed_cookies.SessionStore: save() -> session_key = signing.dumps(session, "
         "compress=True, salt='django.contrib.sessions.backends.signed_cookies'); load() = "
         "signing.loads(..., max_age=SESSION_COOKIE_AGE (default 1209600)). ")
    for scen, data in SESSION_SCENARIOS.items():
        st(f"store/{scen}", data, note=n + f"scenario {scen!r}")
    st("store/empty", {}, note=n + "an empty session ('e30' = {}); the middleware would not "
                                    "send it, the store writes it")
    st("store/numbers", {"big": 2**70, "f": 0.1, "g": 1e16}, note=n + "big int and floats")
    st("store/set-expiry-int", {"a": 1}, expiry=60, now=T0 + 3600,
       note=n + "set_expiry(60) stores '_session_expiry': 60 in the data, but load() only "
                "checks SESSION_COOKIE_AGE (Django ticket #19201) -> still valid an hour later")
    st("store/set-expiry-datetime", {"a": 1},
       expiry=datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc),
       note=n + "set_expiry(datetime) stores its isoformat() string")
    n = "expiry: max_age = SESSION_COOKIE_AGE; expired iff age > max_age; no future check. "
    st("expiry/boundary-valid", {"a": 1}, now=T0 + SESS_MAX, note=n + "age == 1209600")
    st("expiry/boundary-expired", {"a": 1}, now=T0 + SESS_MAX + 1, note=n + "age == 1209601")
    st("expiry/future-valid", {"a": 1}, now=T0 - 86400, note=n + "signed a day in the future")
    st("expiry/custom-age-expired", {"a": 1}, max_age=3600, now=T0 + 3601,
       note=n + "SESSION_COOKIE_AGE = 3600, age 3601")
    st("expiry/custom-age-valid", {"a": 1}, max_age=3600, now=T0 + 3600,
       note=n + "SESSION_COOKIE_AGE = 3600, age 3600")
    st("expiry/none", {"a": 1}, max_age="none", now=T0 + 10**9,
       note=n + "max_age none (SESSION_COOKIE_AGE = None -> loads(max_age=None))")
    n = "keys. "
    st("keys/rotation-fallback", AUTH, keys=ROT, key=OLD1,
       note=n + "SECRET_KEY rotated, the old one in SECRET_KEY_FALLBACKS -> key_index 1")
    st("keys/rotation-fallback-expired", AUTH, keys=ROT, key=OLD2, now=T0 + SESS_MAX + 1,
       note=n + "fallback key verifies, then expired")
    st("keys/wrong", AUTH, keys=[WRONG], key=SSK, note=n + "wrong key (load() -> {})")
    st("keys/non-ascii", {"a": 1}, keys=[PK], note=n + "non-ASCII key")
    st("keys/hex", {"a": 1}, keys=[HK], note=n + "non-UTF-8 key")
    st("keys/insecure", {"a": 1}, keys=[DK], note=n + "django-insecure- key")
    c1 = dj_sign(fmt, AUTH, SSK, {"digest": "sha1"})
    add("legacy/sha1-under-default", fmt, c1, [SSK], signed_by=SSK,
        note="a session cookie from Django 3.1/3.2 with DEFAULT_HASHING_ALGORITHM='sha1' (or "
             "< 3.1) -> BadSignature in 5.2 (everyone logged out)")
    add("legacy/sha1-digest-param", fmt, c1, [SSK], params={"digest": "sha1"}, signed_by=SSK,
        note="the same cookie with params.digest 'sha1' -> valid")
    c = store_cookie(AUTH, SSK)
    n = "tampered. "
    add("tamper/payload", fmt, tamper_body_keep_json(fmt, store_cookie({"user": "ada"}, SSK)),
        [SSK], tampered=True, note=n + "body changed (uncompressed session), still decodes")
    add("tamper/compressed-body", fmt, flip_char(c, 5), [SSK], tampered=True,
        note=n + "one char of a compressed body changed: no longer inflates -> payload null")
    add("tamper/timestamp", fmt, retime(c, T0 + 5), [SSK], tampered=True, note=n + "ts changed")
    add("tamper/sig", fmt, tamper_sig(c), [SSK], tampered=True, note=n + "signature changed")
    n = "STRUCTURALLY MALFORMED: "
    add("malformed/short", fmt, "abc:1:x", [SSK], malformed=True,
        note=n + "7 chars: SessionBase._validate_session_key (len < 8) drops it before load(); "
                 "library_result 'InvalidSessionKey' (no exception: just an empty session)")
    add("malformed/empty", fmt, "", [SSK], malformed=True,
        note=n + "empty -> no session key ('InvalidSessionKey')")
    add("malformed/no-separator", fmt, "eyJhIjoxfQeyJhIjoxfQ", [SSK], malformed=True,
        note=n + "no ':' -> BadSignature")
    add("malformed/one-separator", fmt, "eyJhIjoxfQ:" + "A" * 43, [SSK], malformed=True,
        note=n + "no timestamp -> BadSignature")
    add("malformed/not-json-signed", fmt, sign_body_by_hand(fmt, "bm90IGpzb24", SSK), [SSK],
        note="SIGNED-BY-HAND: valid signature, body 'not json' -> JSONDecodeError (load() -> {})")
    add("malformed/bad-zlib-signed", fmt, sign_body_by_hand(fmt, ".bm90IHpsaWI", SSK), [SSK],
        note="SIGNED-BY-HAND: '.' prefix, not zlib -> zlib.error (load() -> {})")
    add("cross/signing-dumps-cookie", fmt, dj_sign("django-signing", {"a": 1}, SSK), [SSK],
        signed_by=SSK, note="signing.dumps() default salt presented as a session -> BadSignature")
    n = ("a real request through django.test.Client (SessionMiddleware, signed_cookies engine); "
         "input is the Set-Cookie line the response carries. ")
    for scen in ("login", "cart", "unicode", "flash"):
        line, cookie, _ = session_request(scen, [SSK])
        add(f"request/{scen}", fmt, cookie, [SSK], inp=line, signed_by=SSK,
            note=n + f"scenario {scen!r}")
    line, cookie, _ = session_request("small", [SSK], expiry=0)
    add("request/expire-at-browser-close", fmt, cookie, [SSK], inp=line, signed_by=SSK,
        note=n + "set_expiry(0): no Max-Age/expires attributes; '_session_expiry': 0 in data")
    line, cookie, name = session_request("login", [SSK], SESSION_COOKIE_NAME="myapp_sid",
                                         SESSION_COOKIE_SECURE=True, SESSION_COOKIE_AGE=3600,
                                         SESSION_COOKIE_SAMESITE="Strict")
    assert name == "myapp_sid"
    add("request/custom-settings", fmt, cookie, [SSK], inp=line, signed_by=SSK, max_age=3600,
        now=T0 + 3000,
        note=n + "SESSION_COOKIE_NAME='myapp_sid', Secure, SameSite=Strict, "
                 "SESSION_COOKIE_AGE=3600 (so max_age 3600)")
    line, cookie, _ = session_request("login", ROT)
    add("request/with-fallbacks-configured", fmt, cookie, ROT, inp=line, signed_by=NEW,
        note=n + "signed with SECRET_KEY while fallbacks are configured -> key_index 0")
    add("input/cookie-header", fmt, c, [SSK], inp="cookie-header", signed_by=SSK,
        note="input: Cookie header")


# =============================================================================================
# django-cookie
# =============================================================================================


def gen_cookie():
    fmt = "django-cookie"
    CK = K("cookie-secret-key-zyxwvutsrqponmlkjihg")

    def ck(name, value, *, note, cookie_name="theme", salt=None, keys=(CK,), key=None, t=T0,
           inp="set-cookie-line", set_kwargs=None, **kw):
        keys = list(keys)
        key = key or keys[0]
        line, cookie = set_signed_cookie(cookie_name, value, key, salt=salt, t=t,
                                         **(set_kwargs or {}))
        params = {"cookie_name": cookie_name}
        if salt is not None:
            params["salt"] = salt
        return add(name, fmt, cookie, keys, note=note, params=params, signed_by=key,
                   inp=line if inp == "set-cookie-line" else inp, **kw)

    n = ("HttpResponse.set_signed_cookie(name, value, salt) -> TimestampSigner(key="
         "b'django.http.cookies' + SECRET_KEY, salt=f'django.http.cookies.v2:{len(salt)}:"
         "{salt}{name}').sign(value), then SimpleCookie quoting; `cookie` is the value as the "
         "Set-Cookie header carries it; read with request.get_signed_cookie(name, salt, "
         "max_age). ")
    ck("set/simple", "dark", note=n + "plain value, no quoting")
    ck("set/salt", "dark", salt="prefs", note=n + "salt 'prefs'")
    ck("set/space", "hello world", note=n + "space -> the whole value is double-quoted")
    ck("set/comma", "a,b", note=n + "',' -> quoted, written as \\054")
    ck("set/semicolon", "a;b", note=n + "';' -> quoted, written as \\073")
    ck("set/latin1", "café", note=n + "'é' (U+00E9) -> quoted, octal escape \\351; the "
                                       "browser sends the escape back and parse_cookie unquotes")
    ck("set/double-quote", 'say "hi"', note=n + "'\"' -> quoted, written as \\\"")
    ck("set/backslash", "C:\\dir", note=n + "'\\' -> quoted, written as \\\\")
    ck("set/tab", "a\tb", note=n + "tab -> \\011")
    ck("set/non-latin1", "日本", note=n + "chars above U+00FF are NOT escaped by SimpleCookie: "
                                          "quoted, raw. (A WSGI server cannot send this header: "
                                          "headers are latin-1.) Request side: UTF-8 bytes")
    ck("set/emoji", "😀 ok", note=n + "emoji: quoted, raw (as non-latin1)")
    ck("set/empty-value", "", note=n + "empty value -> ':TS:SIG'")
    ck("set/colon", "a:b", note=n + "':' is a legal cookie char: unquoted")
    ck("set/json-text", '{"a":1,"b":[2]}', note=n + "a JSON text value (still a string): quoted")
    ck("set/legal-specials", "!#$%&'*+-.^_`|~", note=n + "all SimpleCookie legal specials: "
                                                          "unquoted")
    ck("set/attributes", "dark", cookie_name="ui_theme",
       set_kwargs={"max_age": 3600, "path": "/app", "httponly": True, "samesite": "Lax"},
       note=n + "with max_age/path/httponly/samesite: input is the full Set-Cookie line")
    ck("input/cookie-header", "hello world", inp="cookie-header", note=n + "input: Cookie header")
    ck("input/name-value", "hello world", inp="name", note=n + "input: name=value")
    ck("input/bare-quoted", "hello world", inp="bare",
       note=n + "input: the bare value with its quotes (needs params.cookie_name)")
    n = "get_signed_cookie(max_age=...): expired iff age > max_age; no future check. "
    ck("max-age/boundary-valid", "dark", max_age=600, now=T0 + 600, note=n + "age == max_age")
    ck("max-age/boundary-expired", "dark", max_age=600, now=T0 + 601, note=n + "age == max+1")
    ck("max-age/future-valid", "dark", max_age=600, now=T0 - 3600, note=n + "future -> valid")
    ck("max-age/default-none", "dark", now=T0 + 10**9, note=n + "default: no age check")
    n = ("LEGACY SALT: get_signed_cookie tries the v2 salt, then (SIGNED_COOKIE_LEGACY_SALT_"
         "FALLBACK = True by default, and only if the error is not SignatureExpired) the salt "
         "older Django used: name + salt. Made with signing.get_cookie_signer(salt=name + salt)"
         ".sign(value) exactly as old set_signed_cookie did. Valid via the legacy path; not "
         "re-signable (Signet signs the v2 form). ")
    P = {"cookie_name": "theme"}
    c = legacy_cookie("theme", "dark", CK)
    add("legacy/salt-fallback", fmt, c, [CK], params=P, inp="name", signed_by=CK, resign=False,
        note=n + "no salt")
    c = legacy_cookie("theme", "dark", CK, salt="prefs")
    add("legacy/salt-fallback-with-salt", fmt, c, [CK], params={**P, "salt": "prefs"},
        inp="name", signed_by=CK, resign=False, note=n + "salt 'prefs' -> legacy salt "
                                                        "'themeprefs'")
    c = legacy_cookie("theme", "hello world", CK)
    add("legacy/salt-fallback-quoted", fmt, c, [CK], params=P, inp="name", signed_by=CK,
        resign=False, note=n + "quoted value")
    c = legacy_cookie("theme", "dark", CK)
    add("legacy/salt-fallback-expired", fmt, c, [CK], params=P, max_age=60, now=T0 + 61,
        signed_by=CK, inp="name", resign=False,
        note=n + "the v2 salt gives BadSignature, the legacy path "
                                          "verifies and raises SignatureExpired -> expired")
    c = legacy_cookie("ab", "dark", CK, salt="c")
    add("legacy/salt-collision", fmt, c, [CK], params={"cookie_name": "a", "salt": "bc"},
        signed_by=CK, inp="name", resign=False,
        note=n + "COLLISION the v2 salt exists to prevent: legacy cookie for name 'ab' + salt "
                 "'c' is read as name 'a', salt 'bc' (legacy salt 'abc' both times) -> valid")
    _, c = set_signed_cookie("ab", "dark", CK, salt="c")
    add("legacy/v2-no-collision", fmt, c, [CK], params={"cookie_name": "a", "salt": "bc"},
        signed_by=CK, inp="name",
        note="the v2 cookie for (name 'ab', salt 'c') read as (name 'a', salt 'bc'): the v2 "
             "salts differ ('v2:1:cab' vs 'v2:2:bca') -> BadSignature")
    c = legacy_cookie("theme", "dark", CK, algorithm="sha1")
    add("legacy/sha1-django30", fmt, c, [CK], params=P, signed_by=CK, inp="name",
        note="a Django < 3.1 signed cookie (legacy salt AND sha1) -> BadSignature in 5.2")
    c = legacy_cookie("theme", "dark", OLD1)
    add("legacy/salt-fallback-old-key", fmt, c, ROT, params=P, signed_by=OLD1, inp="name",
        resign=False, note=n + "legacy salt AND a SECRET_KEY_FALLBACKS key -> key_index 1")
    n = "name/salt binding. "
    _, c = set_signed_cookie("theme", "dark", CK)
    add("binding/wrong-cookie-name", fmt, c, [CK], params={"cookie_name": "color"},
        signed_by=CK, inp="name",
        note=n + "signed for 'theme', presented as 'color' -> BadSignature (both salts)")
    _, c = set_signed_cookie("theme", "dark", CK, salt="prefs")
    add("binding/wrong-salt", fmt, c, [CK], params={"cookie_name": "theme", "salt": "other"},
        signed_by=CK, inp="name", note=n + "salt 'prefs' read with 'other' -> BadSignature")
    add("binding/missing-salt", fmt, c, [CK], params={"cookie_name": "theme"}, signed_by=CK,
        inp="name", note=n + "salt 'prefs' read with the default '' -> BadSignature")
    with D.configured([CK]), D.frozen(T0):
        plain = D.cookie_header_value("theme", signing.get_cookie_signer().sign("dark"))
    add("binding/get-cookie-signer-default-salt", fmt, plain, [CK], params=P, signed_by=CK,
        inp="name", note=n + "get_cookie_signer() default salt -> BadSignature")
    n = "keys: b'django.http.cookies' + each of [SECRET_KEY, *SECRET_KEY_FALLBACKS]. "
    ck("keys/fallback", "dark", keys=ROT, key=OLD2, note=n + "key_index 2")
    ck("keys/wrong", "dark", keys=[WRONG], key=CK, note=n + "wrong key")
    ck("keys/hex", "dark", keys=[HK], note=n + "non-UTF-8 key")
    ck("keys/non-ascii", "café", keys=[PK], note=n + "non-ASCII key, quoted value")
    ck("keys/insecure", "dark", keys=[DK], note=n + "django-insecure- key")
    _, c = set_signed_cookie("theme", "hello world", CK)
    n = "tampered. "
    add("tamper/value-inside-quotes", fmt, c.replace("hello", "hellp"), [CK], params=P,
        tampered=True, inp="name", note=n + "value changed inside the quotes")
    add("tamper/sig", fmt, c[:-2] + ("A" if c[-2] != "A" else "B") + '"', [CK], params=P,
        tampered=True, inp="name", note=n + "last signature char changed")
    add("tamper/quotes-stripped", fmt, c[1:-1], [CK], params=P, tampered=True, inp="name",
        note=n + "the surrounding quotes removed: parse_cookie only unquotes a value that "
                 "starts AND ends with '\"' -> Django sees 'hello world:...' -> valid anyway "
                 "(space needs no escape)")
    _, c = set_signed_cookie("theme", "café", CK)
    add("tamper/escape-stripped-quotes", fmt, c[1:-1], [CK], params=P, tampered=True, inp="name",
        note=n + "quotes removed from 'caf\\351:...': the octal escape stays literal -> "
                 "BadSignature; payload shown 'caf\\351'")
    n = "STRUCTURALLY MALFORMED: "
    add("malformed/empty", fmt, "", [CK], params=P, malformed=True, inp="name",
        note=n + "empty value")
    add("malformed/no-separator", fmt, "dark", [CK], params=P, malformed=True, inp="name",
        note=n + "unsigned value")
    add("malformed/one-separator", fmt, "dark:" + "A" * 43, [CK], params=P, malformed=True,
        inp="name", note=n + "no timestamp")
    with D.configured([CK]):
        bad_ts = D.cookie_header_value("theme", signing.Signer.sign(signing.get_cookie_signer(
            salt=signing._cookie_signer_salt("theme", "")), "dark:1vb5!2"))
    add("malformed/ts-bad-char-signed", fmt, bad_ts, [CK], params=P, inp="name",
        note="SIGNED-BY-HAND (v2 salt): timestamp with '!' -> ValueError, which "
             "get_signed_cookie does NOT catch (not a BadSignature: HTTP 500) -> malformed")
    n = "a real request through django.test.Client: a view calls set_signed_cookie. "
    line, c = view_cookie("session_hint", "Zoë & co", CK, "v1")
    add("request/view", fmt, c, [CK], params={"cookie_name": "session_hint", "salt": "v1"},
        inp=line, signed_by=CK, note=n + "quoted, escaped value, salt 'v1'")


def _set_cookie_view(request):
    r = HttpResponse("ok")
    r.set_signed_cookie(request.GET["n"], request.GET["v"], salt=request.GET["s"],
                        max_age=86400, httponly=True)
    return r


D.VIEWS["set-cookie"] = _set_cookie_view


def view_cookie(name, value, key, salt, t=T0):
    with D.configured([key]), D.frozen(t):
        resp = Client().get("/run/set-cookie", {"n": name, "v": value, "s": salt})
    m = resp.cookies[name]
    return "Set-Cookie:" + m.output(header=""), m.coded_value


# =============================================================================================
# check mode: re-load a written file
# =============================================================================================


def check(path: Path) -> int:
    """Starting from the file alone: every vector re-loads to its library_result and expectation;
    resign reproduces the cookie; accept.py answers the same."""
    doc = json.loads(path.read_text())
    bad = 0
    reqs = []
    for v in doc["vectors"]:
        e = v["expect"]
        ev = D.evaluate(v["format"], v["cookie"], v["keys"], v["params"], v["now"],
                        v.get("max_age"))
        if ev["library_result"] != v["library_result"]:
            print(f"RELOAD {v['name']}: {ev['library_result']}")
            bad += 1
        for k in ("payload", "signed_at", "key_index", "compressed"):
            if json.dumps(ev[k]) != json.dumps(e[k]):
                print(f"RELOAD {v['name']}: {k} {ev[k]!r} != {e[k]!r}")
                bad += 1
        if v["resign"]:
            got = D.sign(v["format"], e["payload"], v["keys"][e["key_index"]], v["params"],
                         e["signed_at"] or 0)
            if got != v["cookie"]:
                print(f"RESIGN {v['name']}: {got}")
                bad += 1
        if v["cookie"] not in v["input"]:
            print(f"INPUT {v['name']}")
            bad += 1
        req = {k: v[k] for k in ("format", "cookie", "keys", "params", "now") if k in v}
        if "max_age" in v:
            req["max_age"] = v["max_age"]
        reqs.append(json.dumps(req))
    proc = subprocess.run([sys.executable, str(HERE / "accept.py")], input="\n".join(reqs) + "\n",
                          capture_output=True, text=True, check=True)
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(answers) == len(doc["vectors"])
    for v, a in zip(doc["vectors"], answers):
        for k in ("status", "payload", "signed_at", "key_index"):
            if json.dumps(a.get(k)) != json.dumps(v["expect"][k]):
                print(f"ACCEPT {v['name']}: {k}: {a.get(k)!r} != {v['expect'][k]!r}")
                bad += 1
        if a.get("library_result") != v["library_result"]:
            print(f"ACCEPT {v['name']}: library_result {a.get('library_result')}")
            bad += 1
    print(f"{len(doc['vectors'])} vectors checked, {bad} problems", file=sys.stderr)
    return 1 if bad else 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        sys.exit(check(Path(sys.argv[2]) if len(sys.argv) > 2
                       else HERE.parent / "vectors/django.json"))
    gen_signer()
    gen_timestamp_signer()
    gen_signing()
    gen_session()
    gen_cookie()
    doc = {
        "generator": "tests/interop/gen_django.py",
        "versions": {
            "django": version("django"),
            "asgiref": version("asgiref"),
            "sqlparse": version("sqlparse"),
            "python": "%d.%d" % sys.version_info[:2],
        },
        "vectors": VECTORS,
    }
    sys.stdout.write(json.dumps(doc, indent=1, sort_keys=False) + "\n")


if __name__ == "__main__":
    main()

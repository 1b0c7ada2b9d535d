"""Shared helpers for gen_itsdangerous.py and accept.py.

Everything that decides an outcome calls the real libraries (itsdangerous 2.2.0, Flask 3.1.3,
Starlette 1.10.0; see requirements.txt). The helpers only convert between Signet's vocabulary
(format ids, ordered key lists, params, max_age) and the libraries' constructors.

Signet key order: keys[0] is the primary (signing) key, keys[1:] the older/fallback keys in the
order the application lists them:
  * Flask: SECRET_KEY = keys[0], SECRET_KEY_FALLBACKS = keys[1:].
  * itsdangerous: secret_key list (oldest .. newest) = keys[1:] + [keys[0]].
Both frameworks try the primary first, then the fallbacks from the LAST to the first.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import zlib
from base64 import b64decode
from unittest import mock

import itsdangerous
from itsdangerous import (
    BadData,
    BadPayload,
    BadSignature,
    BadTimeSignature,
    Serializer,
    SignatureExpired,
    Signer,
    TimestampSigner,
    URLSafeSerializer,
    URLSafeTimedSerializer,
)
from itsdangerous.encoding import base64_decode, bytes_to_int, want_bytes

FORMATS = (
    "flask",
    "itsdangerous-signer",
    "itsdangerous-timestamp-signer",
    "itsdangerous-serializer",
    "itsdangerous-urlsafe",
    "itsdangerous-timed",
    "starlette",
)

# The framework's own default max_age when the caller gives none.
FLASK_DEFAULT_MAX_AGE = 2678400  # PERMANENT_SESSION_LIFETIME, 31 days
STARLETTE_DEFAULT_MAX_AGE = 14 * 24 * 60 * 60  # SessionMiddleware(max_age=...) default
DEFAULT_MAX_AGE = {"flask": FLASK_DEFAULT_MAX_AGE, "starlette": STARLETTE_DEFAULT_MAX_AGE}

TIMED = {"flask", "itsdangerous-timestamp-signer", "itsdangerous-timed", "starlette"}
URLSAFE = {"flask", "itsdangerous-urlsafe", "itsdangerous-timed"}

STATUS_OF = {
    "ok": "valid",
    "SignatureExpired": "expired",
    "BadPayload": "malformed",
    "BadSignature": "bad-signature",
    "BadTimeSignature": "bad-signature",
    # Starlette decodes the payload itself (b64decode + json.loads) and does not catch these:
    # they propagate out of the middleware (HTTP 500). Signet calls them malformed.
    "binascii.Error": "malformed",
    "JSONDecodeError": "malformed",
    "UnicodeDecodeError": "malformed",
}


# --------------------------------------------------------------------------------------------
# keys, params, time


def key_value(k: dict):
    """A Signet key ({"text": ...} or {"hex": ...}) as the library wants it (str or bytes)."""
    if "text" in k:
        return k["text"]
    return bytes.fromhex(k["hex"])


def key_bytes(k: dict) -> bytes:
    return want_bytes(key_value(k))


def library_key_list(keys: list[dict]) -> list:
    """Signet order [primary, fb1, fb2] -> itsdangerous secret_key list [fb1, fb2, primary]."""
    vals = [key_value(k) for k in keys]
    return vals[1:] + vals[:1]


def framework_order(n: int) -> list[int]:
    """Indices (into Signet's key list) in the order itsdangerous/Flask try them."""
    return [0] + list(range(n - 1, 0, -1))


def max_age_value(fmt: str, max_age):
    """Signet/vector max_age (missing=None -> default, "none", int) -> library max_age."""
    if max_age is None:
        return DEFAULT_MAX_AGE.get(fmt)
    if max_age == "none":
        return None
    return int(max_age)


@contextlib.contextmanager
def frozen(now):
    """Freeze time.time (TimestampSigner.get_timestamp is int(time.time()))."""
    with mock.patch("time.time", return_value=now):
        yield


def _digest(params: dict):
    name = params.get("digest")
    return getattr(hashlib, name) if name else None


def signer_kwargs(params: dict) -> dict:
    kw = {}
    if "separator" in params:
        kw["sep"] = params["separator"]
    if "key_derivation" in params:
        kw["key_derivation"] = params["key_derivation"]
    if params.get("digest"):
        kw["digest_method"] = _digest(params)
    return kw


# --------------------------------------------------------------------------------------------
# library objects per format


def flask_app(keys: list[dict], max_age=None):
    """A real Flask app configured with Signet's key list."""
    import flask

    app = flask.Flask("signet_interop")
    app.secret_key = key_value(keys[0])
    app.config["SECRET_KEY_FALLBACKS"] = [key_value(k) for k in keys[1:]]
    app.config["TESTING"] = True
    if isinstance(max_age, int):
        import datetime

        app.config["PERMANENT_SESSION_LIFETIME"] = datetime.timedelta(seconds=max_age)
    return app


def make_obj(fmt: str, keys: list[dict], params: dict):
    """The library object that signs/loads this format with Signet's key list and params.

    For flask the caller must be inside app.app_context() of the returned app's serializer:
    use flask_serializer() instead.
    """
    params = params or {}
    lib_keys = library_key_list(keys)
    kw = signer_kwargs(params)
    if fmt == "itsdangerous-signer":
        salt = params.get("salt", b"itsdangerous.Signer")
        return Signer(lib_keys, salt=salt, **kw)
    if fmt == "itsdangerous-timestamp-signer":
        salt = params.get("salt", b"itsdangerous.Signer")
        return TimestampSigner(lib_keys, salt=salt, **kw)
    if fmt == "itsdangerous-serializer":
        salt = params.get("salt", b"itsdangerous")
        return Serializer(lib_keys, salt=salt, signer_kwargs=kw)
    if fmt == "itsdangerous-urlsafe":
        salt = params.get("salt", b"itsdangerous")
        return URLSafeSerializer(lib_keys, salt=salt, signer_kwargs=kw)
    if fmt == "itsdangerous-timed":
        salt = params.get("salt", b"itsdangerous")
        return URLSafeTimedSerializer(lib_keys, salt=salt, signer_kwargs=kw)
    if fmt == "starlette":
        if len(keys) != 1 or "text" not in keys[0]:
            raise ValueError("starlette takes exactly one text secret_key")
        # starlette/middleware/sessions.py: itsdangerous.TimestampSigner(str(secret_key))
        return TimestampSigner(str(keys[0]["text"]))
    raise ValueError(f"unknown format {fmt}")


def sep_of(fmt: str, params: dict) -> bytes:
    if fmt in ("flask", "starlette"):
        return b"."
    return want_bytes((params or {}).get("separator", "."))


def signature_signer(fmt: str, key: dict, params: dict) -> Signer:
    """A signer holding exactly one key, configured like the format's real signer (used to find
    which single key verifies the signature)."""
    if fmt == "flask":
        app = flask_app([key])
        return app.session_interface.get_signing_serializer(app).make_signer()
    obj = make_obj(fmt, [key], params)
    if isinstance(obj, Serializer):
        return obj.make_signer()
    return obj


# --------------------------------------------------------------------------------------------
# loading


def starlette_load(signer: TimestampSigner, cookie: str, max_age):
    """Mirror of starlette/middleware/sessions.py SessionMiddleware.__call__ (1.10.0):

        data = connection.cookies[self.session_cookie].encode("utf-8")
        data = self.signer.unsign(data, max_age=self.max_age)
        scope["session"] = Session(json.loads(b64decode(data)))

    (BadSignature -> empty session; every other exception propagates.)"""
    data = cookie.encode("utf-8")
    data = signer.unsign(data, max_age=max_age)
    return json.loads(b64decode(data))


def library_load(fmt: str, cookie: str, keys: list[dict], params: dict, now: int, max_age):
    """Run the real loader at the frozen time `now`. Returns ("ok", value) or (exc name, exc)."""
    ma = max_age_value(fmt, max_age)
    try:
        with frozen(now):
            if fmt == "flask":
                app = flask_app(keys)
                with app.app_context():
                    s = app.session_interface.get_signing_serializer(app)
                    value = s.loads(cookie, max_age=ma)
            elif fmt == "starlette":
                value = starlette_load(make_obj(fmt, keys, params), cookie, ma)
            else:
                obj = make_obj(fmt, keys, params)
                if fmt == "itsdangerous-signer":
                    value = obj.unsign(cookie)
                elif fmt == "itsdangerous-timestamp-signer":
                    value = obj.unsign(cookie, max_age=ma)
                elif fmt == "itsdangerous-timed":
                    value = obj.loads(cookie, max_age=ma)
                else:
                    value = obj.loads(cookie)
        return "ok", value
    except Exception as e:  # noqa: BLE001 - the class name is the result
        return exc_name(e), e


def exc_name(e: BaseException) -> str:
    import binascii

    if isinstance(e, binascii.Error):
        return "binascii.Error"
    return type(e).__name__


def find_key_index(fmt: str, cookie: str, keys: list[dict], params: dict):
    """Try each single key alone, in the framework's order; the first whose signature verifies
    (Signer.unsign: signature only, no timestamp/payload checks) wins."""
    for i in framework_order(len(keys)):
        try:
            signer = signature_signer(fmt, keys[i], params)
        except Exception:  # e.g. starlette with a hex key
            continue
        try:
            Signer.unsign(signer, cookie)
            return i
        except BadSignature:
            pass
    return None


def split_parts(fmt: str, cookie: str, params: dict):
    """(body, ts_text) exactly as the library's rsplit does it; None where absent."""
    sep = sep_of(fmt, params)
    raw = want_bytes(cookie)
    if sep not in raw:
        return None, None
    value = raw.rsplit(sep, 1)[0]
    if fmt not in TIMED:
        return value, None
    if sep not in value:
        return None, None
    body, ts = value.rsplit(sep, 1)
    return body, ts


def decode_timestamp(ts: bytes | None):
    """As TimestampSigner.unsign: bytes_to_int(base64_decode(ts)), and it must convert to a
    datetime (timestamp_to_datetime), else 'Malformed timestamp'."""
    if ts is None:
        return None
    try:
        n = bytes_to_int(base64_decode(ts))
        TimestampSigner(b"x").timestamp_to_datetime(n)
        return n
    except Exception:
        return None


def decode_payload(fmt: str, body: bytes | None):
    """The payload as the contract defines it (Flask: tagged JSON as sent), decoded with the
    library's own decoders; None when it cannot be decoded."""
    if body is None:
        return None
    try:
        if fmt in URLSAFE:
            # URLSafeSerializerMixin.load_payload: '.' prefix -> zlib; lenient base64; then
            # _CompactJSON.loads (= json.loads). For flask this is the TAGGED JSON (no untag).
            return URLSafeSerializer(b"x").load_payload(body)
        if fmt == "itsdangerous-serializer":
            return Serializer(b"x").load_payload(body)
        if fmt == "starlette":
            return json.loads(b64decode(body))
        return body.decode("utf-8")
    except Exception:
        return None


def structurally_malformed(fmt: str, cookie: str, params: dict) -> bool:
    """Heuristic used by accept.py (the generator marks its malformed cases explicitly and checks
    that this function agrees): empty input, missing separator(s), a signature that decodes to
    zero bytes (garbage), or a timestamp that does not decode."""
    sep = sep_of(fmt, params)
    raw = want_bytes(cookie)
    if not raw or sep not in raw:
        return True
    value, sig = raw.rsplit(sep, 1)
    if fmt in TIMED:
        if sep not in value:
            return True
        if decode_timestamp(value.rsplit(sep, 1)[1]) is None:
            return True
    try:
        return len(base64_decode(sig)) == 0
    except BadData:
        return False  # undecodable signature text: a (tampered) bad signature


def evaluate(fmt: str, cookie: str, keys: list[dict], params: dict, now: int, max_age,
             malformed=None) -> dict:
    """Everything a vector's expectation needs, computed with the real library.

    malformed: True/False to force the 'structurally malformed' classification of a
    BadSignature/BadTimeSignature result; None to use structurally_malformed()."""
    params = params or {}
    result, value = library_load(fmt, cookie, keys, params, now, max_age)
    if result not in STATUS_OF:
        raise RuntimeError(f"unexpected library result {result}: {value!r}")
    status = STATUS_OF[result]
    if malformed is None:
        malformed = structurally_malformed(fmt, cookie, params)
    if status == "bad-signature" and malformed:
        status = "malformed"
    body, ts = split_parts(fmt, cookie, params)
    payload = decode_payload(fmt, body)
    signed_at = decode_timestamp(ts) if fmt in TIMED else None
    key_index = find_key_index(fmt, cookie, keys, params)
    compressed = fmt in URLSAFE and body is not None and body.startswith(b".")
    return {
        "library_result": result,
        "library_value": value,
        "status": status,
        "payload": payload,
        "signed_at": signed_at,
        "key_index": key_index,
        "compressed": compressed,
    }


def non_canonical_base64(fmt: str, cookie: str, params: dict) -> bool:
    """True when a part the signature check or the timestamp/payload decoding reads is not in the
    canonical form the library itself writes (extra '=', unused low bits set, standard-alphabet
    '+'/'/', stray non-ASCII, leading zero timestamp bytes...). Used to cross-check the generator's
    lenient_base64 flags."""
    from base64 import b64encode

    from itsdangerous.encoding import base64_encode, int_to_bytes

    sep = sep_of(fmt, params)
    raw = want_bytes(cookie)
    if sep not in raw:
        return False
    value, sig = raw.rsplit(sep, 1)
    try:
        if base64_encode(base64_decode(sig)) != sig:
            return True
    except BadData:
        return False
    body, ts = split_parts(fmt, cookie, params)
    if ts is not None:
        n = decode_timestamp(ts)
        if n is not None and base64_encode(int_to_bytes(n)) != ts:
            return True
    if body is not None and fmt in URLSAFE:
        b = body[1:] if body.startswith(b".") else body
        try:
            if base64_encode(base64_decode(b)) != b:
                return True
        except BadData:
            pass
    if body is not None and fmt == "starlette":
        try:
            if b64encode(b64decode(body)) != body:
                return True
        except Exception:
            pass
    return False

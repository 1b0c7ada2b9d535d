"""Shared helpers for gen_django.py and accept.py (Django 5.2.19, see requirements.txt).

Everything that decides an outcome calls the real Django code: django.core.signing (Signer,
TimestampSigner, dumps/loads, get_cookie_signer, _unsign_cookie through
HttpRequest.get_signed_cookie), the signed_cookies SessionStore and SessionMiddleware, and
http.cookies.SimpleCookie (via HttpResponse.set_cookie / parse_cookie) for cookie quoting. The
helpers only translate between Signet's vocabulary (format ids, ordered key lists, params, max_age)
and Django's settings and call signatures.

Signet key order = Django's: keys[0] is SECRET_KEY, keys[1:] is SECRET_KEY_FALLBACKS as listed.
Django tries [SECRET_KEY, *SECRET_KEY_FALLBACKS] in list order (Signer.unsign). Keys are applied
with django.test.utils.override_settings, exactly as a project's settings.py would set them, and
the library objects are built without key= so that they read the settings like real code does.

Params per format (missing member = Django's default):
  django-signer            salt ("django.core.signing.Signer"), separator (":"), digest ("sha256")
  django-timestamp-signer  salt ("django.core.signing.TimestampSigner"), separator, digest
  django-signing           salt ("django.core.signing"), compress (false; only matters for
                           signing), digest (only for legacy sha1 data: loads() has no algorithm
                           argument, so a digest param means TimestampSigner(salt=...,
                           algorithm=digest).unsign_object(), which is what loads() did before
                           Django 3.1 with sha1)
  django-session           digest (as above, the DEFAULT_HASHING_ALGORITHM="sha1" transition of
                           Django 3.1/3.2); salt and compression are fixed by the backend
  django-cookie            cookie_name (required), salt (the salt argument, default "")
Note Django's own quirk: Signer(salt="") means the DEFAULT salt ("salt or <module>.<Class>"), so
params {"salt": ""} for django-signing is TimestampSigner's default
"django.core.signing.TimestampSigner", not "django.core.signing".
"""

from __future__ import annotations

import binascii
import contextlib
import json
import zlib
from unittest import mock

import django
from django.conf import settings

if not settings.configured:
    settings.configure(
        # Replaced per call with override_settings(SECRET_KEY=..., SECRET_KEY_FALLBACKS=...).
        SECRET_KEY="django-common-bootstrap-key-never-used-for-a-vector",
        SECRET_KEY_FALLBACKS=[],
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware"],
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        USE_TZ=True,
    )
    django.setup()

from django.contrib.sessions.backends.signed_cookies import SessionStore  # noqa: E402
from django.core import signing  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.http.cookie import parse_cookie  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import path  # noqa: E402

FORMATS = (
    "django-signer",
    "django-timestamp-signer",
    "django-signing",
    "django-session",
    "django-cookie",
)
TIMED = {"django-timestamp-signer", "django-signing", "django-session", "django-cookie"}
OBJECT = {"django-signing", "django-session"}  # base64 (zlib) JSON bodies

SESSION_SALT = "django.contrib.sessions.backends.signed_cookies"
SESSION_DEFAULT_MAX_AGE = 1209600  # global_settings.SESSION_COOKIE_AGE
DEFAULT_MAX_AGE = {"django-session": SESSION_DEFAULT_MAX_AGE}

STATUS_OF = {
    "ok": "valid",
    "SignatureExpired": "expired",
    "BadSignature": "bad-signature",
    # after a valid signature, the timestamp or body does not decode (Django does not catch
    # these: get_signed_cookie / loads raise them; SessionStore.load() swallows them):
    "ValueError": "malformed",  # b62_decode: char not in alphabet; rsplit: no timestamp
    "IndexError": "malformed",  # b62_decode(""): empty timestamp
    "binascii.Error": "malformed",
    "zlib.error": "malformed",
    "JSONDecodeError": "malformed",
    "UnicodeDecodeError": "malformed",
    # not an exception: SessionBase._validate_session_key (len < 8) drops the cookie before
    # load() is called, the session is simply empty.
    "InvalidSessionKey": "malformed",
}


# --------------------------------------------------------------------------------------------
# keys, settings, time


def key_value(k: dict):
    """A Signet key ({"text": ...} or {"hex": ...}) as a settings value (str or bytes)."""
    if "text" in k:
        return k["text"]
    return bytes.fromhex(k["hex"])


def key_bytes(k: dict) -> bytes:
    v = key_value(k)
    return v.encode("utf-8") if isinstance(v, str) else v


def configured(keys: list[dict], **more):
    """settings.SECRET_KEY = keys[0], SECRET_KEY_FALLBACKS = keys[1:] (plus any other setting)."""
    return override_settings(
        SECRET_KEY=key_value(keys[0]),
        SECRET_KEY_FALLBACKS=[key_value(k) for k in keys[1:]],
        **more,
    )


@contextlib.contextmanager
def frozen(now):
    """Freeze time.time: TimestampSigner.timestamp() is b62_encode(int(time.time())), unsign()
    computes age = time.time() - ts, SessionMiddleware computes Expires from time.time()."""
    with mock.patch("time.time", return_value=now):
        yield


def max_age_value(fmt: str, max_age):
    """Vector max_age (missing/None -> the format's default, "none", int) -> library max_age."""
    if max_age is None:
        return DEFAULT_MAX_AGE.get(fmt)
    if max_age == "none":
        return None
    return int(max_age)


def sep_of(fmt: str, params: dict) -> str:
    if fmt in ("django-signer", "django-timestamp-signer"):
        return (params or {}).get("separator", ":")
    return ":"


def check_params(fmt: str, params: dict):
    allowed = {
        "django-signer": {"salt", "separator", "digest"},
        "django-timestamp-signer": {"salt", "separator", "digest"},
        "django-signing": {"salt", "compress", "digest"},
        "django-session": {"digest"},
        "django-cookie": {"cookie_name", "salt"},
    }[fmt]
    extra = set(params or {}) - allowed
    if extra:
        raise ValueError(f"{fmt}: unsupported params {sorted(extra)}")
    if fmt == "django-cookie" and "cookie_name" not in params:
        raise ValueError("django-cookie needs params.cookie_name")


def signer_kwargs(params: dict) -> dict:
    """Signer/TimestampSigner keyword arguments for the overrides present (no key=: the signer
    reads SECRET_KEY / SECRET_KEY_FALLBACKS from the settings)."""
    kw = {}
    if "salt" in params:
        kw["salt"] = params["salt"]
    if "separator" in params:
        kw["sep"] = params["separator"]
    if "digest" in params:
        kw["algorithm"] = params["digest"]
    return kw


# --------------------------------------------------------------------------------------------
# django-cookie: the header value <-> the value Django signs


def cookie_header_value(name: str, signed: str) -> str:
    """What HttpResponse.set_cookie puts in the Set-Cookie header for this signed string
    (SimpleCookie quoting: '"..."' with \\ooo octal escapes for specials < 256)."""
    r = HttpResponse()
    r.set_cookie(name, signed)
    return r.cookies[name].coded_value


def cookie_request(name: str, cookie: str):
    """A request carrying `Cookie: name=cookie` as a WSGI server hands it to Django (the header
    bytes, UTF-8 from the browser, as a latin-1 str in environ)."""
    header = f"{name}={cookie}".encode("utf-8").decode("latin-1")
    return RequestFactory().get("/", HTTP_COOKIE=header)


def cookie_signed_value(name: str, cookie: str):
    """The string Django hands to the signer: request.COOKIES[name] (parse_cookie: split on ';',
    http.cookies._unquote). None when the cookie does not survive parsing under that name."""
    return parse_cookie(f"{name}={cookie}").get(name)


# --------------------------------------------------------------------------------------------
# signing (used by the generator and by the resign check)


def sign(fmt: str, payload, key: dict, params: dict, t: int) -> str:
    """The cookie the library produces for payload with the single key at time t."""
    params = params or {}
    with configured([key]), frozen(t):
        if fmt == "django-signer":
            return signing.Signer(**signer_kwargs(params)).sign(payload)
        if fmt == "django-timestamp-signer":
            return signing.TimestampSigner(**signer_kwargs(params)).sign(payload)
        if fmt == "django-signing":
            compress = bool(params.get("compress", False))
            if "digest" in params:
                kw = {"salt": params.get("salt", "django.core.signing"),
                      "algorithm": params["digest"]}
                return signing.TimestampSigner(**kw).sign_object(payload, compress=compress)
            if "salt" in params:
                return signing.dumps(payload, salt=params["salt"], compress=compress)
            return signing.dumps(payload, compress=compress)
        if fmt == "django-session":
            if "digest" in params:
                return signing.TimestampSigner(
                    salt=SESSION_SALT, algorithm=params["digest"]
                ).sign_object(payload, serializer=SessionStore().serializer, compress=True)
            store = SessionStore()
            store.update(payload)
            store.save()
            return store.session_key
        if fmt == "django-cookie":
            name = params["cookie_name"]
            r = HttpResponse()
            r.set_signed_cookie(name, payload, salt=params.get("salt", ""))
            return r.cookies[name].coded_value
    raise ValueError(fmt)


# --------------------------------------------------------------------------------------------
# loading


def exc_name(e: BaseException) -> str:
    if isinstance(e, binascii.Error):
        return "binascii.Error"
    if isinstance(e, zlib.error):
        return "zlib.error"
    return type(e).__name__


def _session_load(cookie: str, params: dict, ma_setting, use_default_age: bool):
    """Mirror of signed_cookies.SessionStore.load() (5.2.19) WITHOUT its blanket
    `except Exception: self.create(); return {}`, so valid / expired / bad signature / malformed
    can be told apart:

        return signing.loads(self.session_key, serializer=self.serializer,
                             max_age=self.get_session_cookie_age(),
                             salt="django.contrib.sessions.backends.signed_cookies")

    (load() itself maps every failure to an empty session.)"""
    ctx = contextlib.nullcontext() if use_default_age else override_settings(
        SESSION_COOKIE_AGE=ma_setting)
    with ctx:
        store = SessionStore(session_key=cookie)
        if store.session_key is None:
            # _validate_session_key: falsy or shorter than 8 chars -> never loaded
            return "InvalidSessionKey", None
        if "digest" in params:
            value = signing.TimestampSigner(
                salt=SESSION_SALT, algorithm=params["digest"]
            ).unsign_object(store.session_key, serializer=store.serializer,
                            max_age=store.get_session_cookie_age())
        else:
            value = signing.loads(
                store.session_key,
                serializer=store.serializer,
                max_age=store.get_session_cookie_age(),
                salt=SESSION_SALT,
            )
        return "ok", value


def library_load(fmt: str, cookie: str, keys: list[dict], params: dict, now: int, max_age):
    """Run the real loader at the frozen time `now`. Returns ("ok", value) or (exc name, exc)."""
    params = params or {}
    check_params(fmt, params)
    ma = max_age_value(fmt, max_age)
    try:
        with configured(keys), frozen(now):
            if fmt == "django-signer":
                value = signing.Signer(**signer_kwargs(params)).unsign(cookie)
            elif fmt == "django-timestamp-signer":
                value = signing.TimestampSigner(**signer_kwargs(params)).unsign(cookie,
                                                                                max_age=ma)
            elif fmt == "django-signing":
                if "digest" in params:
                    value = signing.TimestampSigner(
                        salt=params.get("salt", "django.core.signing"),
                        algorithm=params["digest"],
                    ).unsign_object(cookie, max_age=ma)
                elif "salt" in params:
                    value = signing.loads(cookie, salt=params["salt"], max_age=ma)
                else:
                    value = signing.loads(cookie, max_age=ma)
            elif fmt == "django-session":
                r, value = _session_load(cookie, params, ma, max_age is None)
                if r != "ok":
                    return r, value
            elif fmt == "django-cookie":
                name = params["cookie_name"]
                request = cookie_request(name, cookie)
                if "salt" in params:
                    value = request.get_signed_cookie(name, salt=params["salt"], max_age=ma)
                else:
                    value = request.get_signed_cookie(name, max_age=ma)
            else:
                raise ValueError(f"unknown format {fmt}")
        return "ok", value
    except Exception as e:  # noqa: BLE001 - the class name is the result
        return exc_name(e), e


def _signature_ok(fmt: str, cookie: str, key: dict, params: dict) -> bool:
    """Does this single key verify the signature (Signer.unsign only: no timestamp, age or body
    checks), configured like the format's real signer?"""
    with configured([key]):
        try:
            if fmt in ("django-signer", "django-timestamp-signer"):
                cls = signing.Signer if fmt == "django-signer" else signing.TimestampSigner
                signing.Signer.unsign(cls(**signer_kwargs(params)), cookie)
            elif fmt in ("django-signing", "django-session"):
                salt = SESSION_SALT if fmt == "django-session" else params.get(
                    "salt", "django.core.signing")
                kw = {"salt": salt}
                if "digest" in params:
                    kw["algorithm"] = params["digest"]
                signing.Signer.unsign(signing.TimestampSigner(**kw), cookie)
            elif fmt == "django-cookie":
                name, salt = params["cookie_name"], params.get("salt", "")
                value = cookie_signed_value(name, cookie)
                if value is None:
                    return False
                # _unsign_cookie: the v2 salt, then (SIGNED_COOKIE_LEGACY_SALT_FALLBACK) the
                # legacy salt cookie_name + salt
                for s in (signing._cookie_signer_salt(name, salt),
                          signing._cookie_signer_legacy_salt(name, salt)):
                    try:
                        signing.Signer.unsign(signing.get_cookie_signer(salt=s), value)
                        return True
                    except signing.BadSignature:
                        pass
                return False
            return True
        except signing.BadSignature:
            return False


def find_key_index(fmt: str, cookie: str, keys: list[dict], params: dict):
    """Each single key alone, in Django's order (SECRET_KEY, then SECRET_KEY_FALLBACKS in list
    order = Signet order); the first whose signature verifies wins."""
    for i, k in enumerate(keys):
        if _signature_ok(fmt, cookie, k, params):
            return i
    return None


def cookie_legacy_salt_used(cookie: str, keys: list[dict], params: dict) -> bool:
    """django-cookie: True when only the legacy salt (cookie_name + salt) verifies it."""
    name, salt = params["cookie_name"], params.get("salt", "")
    value = cookie_signed_value(name, cookie)
    if value is None:
        return False
    with configured(keys):
        for s, legacy in ((signing._cookie_signer_salt(name, salt), False),
                          (signing._cookie_signer_legacy_salt(name, salt), True)):
            try:
                signing.Signer.unsign(signing.get_cookie_signer(salt=s), value)
                return legacy
            except signing.BadSignature:
                pass
    return False


def signed_string(fmt: str, cookie: str, params: dict):
    """The string the signer sees (django-cookie: after Cookie-header parsing and unquoting)."""
    if fmt == "django-cookie":
        return cookie_signed_value(params["cookie_name"], cookie)
    return cookie


def split_parts(fmt: str, cookie: str, params: dict):
    """(value, ts_text) exactly as Signer/TimestampSigner.unsign rsplit them; None where absent."""
    raw = signed_string(fmt, cookie, params)
    sep = sep_of(fmt, params)
    if raw is None or sep not in raw:
        return None, None
    value = raw.rsplit(sep, 1)[0]
    if fmt not in TIMED:
        return value, None
    if sep not in value:
        return None, None
    body, ts = value.rsplit(sep, 1)
    return body, ts


def decode_timestamp(ts):
    """signing.b62_decode as TimestampSigner.unsign calls it; None when it raises."""
    if ts is None:
        return None
    try:
        return signing.b62_decode(ts)
    except Exception:
        return None


class _NoCheckSigner(signing.Signer):
    """Signer whose unsign() returns its input: unsign_object() then runs exactly Django's body
    decoding ('.' -> zlib, b64_decode, serializer.loads) without any signature check."""

    def unsign(self, value):
        return value


UNDECODABLE = object()


def decode_payload_ex(fmt: str, body):
    """The payload as the contract defines it, decoded with Django's own code; UNDECODABLE when
    it cannot be decoded (a JSON null decodes to None)."""
    if body is None:
        return UNDECODABLE
    if fmt not in OBJECT:
        return body
    try:
        with override_settings(SECRET_KEY="x", SECRET_KEY_FALLBACKS=[]):
            return _NoCheckSigner(key="x").unsign_object(body)
    except Exception:
        return UNDECODABLE


def decode_payload(fmt: str, body):
    """decode_payload_ex with None for 'cannot be decoded' (the vector's `payload: null`)."""
    v = decode_payload_ex(fmt, body)
    return None if v is UNDECODABLE else v


def non_canonical_body(fmt: str, body) -> bool:
    """django-signing/session: the body decodes but is not what b64_encode writes (padding,
    characters Django's non-validating base64 skips, ...)."""
    if fmt not in OBJECT or body is None:
        return False
    b = body[1:] if body.startswith(".") else body
    try:
        return signing.b64_encode(signing.b64_decode(b.encode())).decode() != b
    except Exception:
        return False


def structurally_malformed(fmt: str, cookie: str, params: dict) -> bool:
    """Heuristic used by accept.py (the generator marks its malformed cases explicitly and checks
    that this function agrees): empty, no separator, no timestamp part (timed formats), a
    timestamp that b62_decode rejects, or (django-cookie) no cookie of that name after parsing;
    (django-session) a cookie SessionBase rejects as a key (shorter than 8 chars)."""
    raw = signed_string(fmt, cookie, params)
    sep = sep_of(fmt, params)
    if not raw or sep not in raw:
        return True
    if fmt == "django-session" and len(cookie) < 8:
        return True
    value = raw.rsplit(sep, 1)[0]
    if fmt in TIMED:
        if sep not in value:
            return True
        if decode_timestamp(value.rsplit(sep, 1)[1]) is None:
            return True
    return False


def evaluate(fmt: str, cookie: str, keys: list[dict], params: dict, now: int, max_age,
             malformed=None) -> dict:
    """Everything a vector's expectation needs, computed with the real library.

    malformed: True/False to force the 'structurally malformed' classification of a BadSignature
    result; None to use structurally_malformed()."""
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
    payload = decode_payload_ex(fmt, body)
    decoded = payload is not UNDECODABLE
    if not decoded:
        payload = None
    signed_at = decode_timestamp(ts) if fmt in TIMED else None
    key_index = find_key_index(fmt, cookie, keys, params)
    compressed = fmt in OBJECT and body is not None and body.startswith(".")
    return {
        "library_result": result,
        "library_value": value,
        "status": status,
        "payload": payload,
        "payload_decoded": decoded,
        "signed_at": signed_at,
        "key_index": key_index,
        "compressed": compressed,
    }


def json_equal(a, b) -> bool:
    return json.dumps(a) == json.dumps(b)


# --------------------------------------------------------------------------------------------
# tiny project for real requests through the test Client (ROOT_URLCONF = this module)

# name -> callable(request) -> HttpResponse; gen_django.py registers its views here.
VIEWS: dict = {}


def _run_view(request, name):
    return VIEWS[name](request)


urlpatterns = [path("run/<str:name>", _run_view)]

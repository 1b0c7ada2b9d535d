"""Shared helpers for gen_pyjwt.py and accept.py (PyJWT 2.15.1, see requirements.txt).

Signet format id `jwt`: compact JWS with HS256 / HS384 / HS512. Everything that decides an outcome
calls PyJWT: jwt.encode / jwt.decode (api_jwt.PyJWT), api_jws.PyJWS for the signature-only check
and PyJWT's own segment/JSON decoders for showing the header and claims.

How a vector is verified (library_load):
  jwt.decode(token, key, algorithms=ALGORITHMS, leeway=leeway, options={"verify_aud": False})
at a frozen clock (PyJWT reads `datetime.now(tz=timezone.utc).timestamp()` in
api_jwt._validate_claims; we patch jwt.api_jwt.datetime). Everything else is PyJWT's default:
signature, exp, nbf, iat, iss/sub/jti type checks, no required claims.
  * algorithms: ["HS256", "HS384", "HS512"] unless params.algorithms pins a list (an application
    must pass algorithms=; Signet's jwt format is "the HMAC family");
  * options={"verify_aud": False}: Signet has no audience to check. With PyJWT's defaults and no
    audience= argument, a token that carries a non-empty "aud" raises InvalidAudienceError;
  * keys: PyJWT takes one key. An application rotating keys calls decode() once per key in its
    order and moves on only when the signature fails (InvalidSignatureError; also InvalidKeyError,
    PyJWT's refusal of a PEM/SSH/JWK-looking HMAC secret); the first other outcome is final. That
    loop is what library_load does, in Signet order.

Status mapping (library_result -> status):
  ok -> valid; ExpiredSignatureError -> expired; ImmatureSignatureError (nbf, or iat in the
  future) -> not-yet-valid; InvalidSignatureError / InvalidKeyError -> bad-signature;
  InvalidAlgorithmError -> bad-signature when the token's alg is one of HS256/HS384/HS512 but not
  in the pinned algorithms (a well-formed HMAC token the verifier refuses to check), malformed
  otherwise (alg none, RS256, missing/unknown alg: no secret can make such a token valid here);
  DecodeError, InvalidTokenError (bad kid/crit headers), InvalidIssuedAtError, InvalidSubjectError,
  InvalidJTIError -> malformed.
"""

from __future__ import annotations

import contextlib
import datetime
import warnings
from unittest import mock

import jwt
from jwt import api_jwt
from jwt.api_jws import PyJWS
from jwt.exceptions import InvalidKeyError, InvalidSignatureError
from jwt.warnings import InsecureKeyLengthWarning

FORMATS = ("jwt",)
ALGORITHMS = ["HS256", "HS384", "HS512"]
DECODE_OPTIONS = {"verify_aud": False}

STATUS_OF = {
    "ok": "valid",
    "ExpiredSignatureError": "expired",
    "ImmatureSignatureError": "not-yet-valid",
    "InvalidSignatureError": "bad-signature",
    "InvalidKeyError": "bad-signature",
    "DecodeError": "malformed",
    "InvalidTokenError": "malformed",
    "InvalidIssuedAtError": "malformed",
    "InvalidSubjectError": "malformed",
    "InvalidJTIError": "malformed",
    # InvalidAlgorithmError: see algorithm_status()
}


def key_value(k: dict):
    if "text" in k:
        return k["text"]
    return bytes.fromhex(k["hex"])


def key_bytes(k: dict) -> bytes:
    v = key_value(k)
    return v.encode("utf-8") if isinstance(v, str) else v


@contextlib.contextmanager
def frozen(now):
    """Freeze PyJWT's clock: api_jwt does `now = datetime.now(tz=timezone.utc).timestamp()`."""

    class FrozenDatetime(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime.fromtimestamp(now, tz)

    with mock.patch.object(api_jwt, "datetime", FrozenDatetime):
        yield


@contextlib.contextmanager
def quiet():
    """PyJWT warns (InsecureKeyLengthWarning) for HMAC keys shorter than the digest size (32/48/64
    bytes); it is a warning only (enforce_minimum_key_length defaults to False)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        yield


def short_key(k: dict, alg: str) -> bool:
    return len(key_bytes(k)) < {"HS256": 32, "HS384": 48, "HS512": 64}.get(alg, 0)


def algorithms_of(params: dict) -> list:
    return list((params or {}).get("algorithms", ALGORITHMS))


def exc_name(e: BaseException) -> str:
    return type(e).__name__


def parse(token: str):
    """(header, claims) decoded with PyJWT's own pieces, no verification, each segment on its
    own (so a bad signature segment does not hide the claims): the segment split of
    PyJWS._load, PyJWS._decode_base64url_segment (strict base64url, '=' padding allowed), the
    header must be a JSON object, claims through PyJWT._decode_payload (a JSON object). Each is
    None when it cannot be decoded (claims also when the header says b64=false: detached)."""
    import json

    raw = token.encode("utf-8")
    try:
        signing_input, _ = raw.rsplit(b".", 1)
        header_segment, payload_segment = signing_input.split(b".", 1)
    except ValueError:
        return None, None
    header = None
    try:
        h = json.loads(PyJWS._decode_base64url_segment(header_segment, "header"))
        if isinstance(h, dict):
            header = h
    except Exception:
        pass
    if isinstance(header, dict) and header.get("b64", True) is False:
        return header, None
    try:
        payload = PyJWS._decode_base64url_segment(payload_segment, "payload")
        claims = jwt.PyJWT()._decode_payload({"payload": payload})
    except Exception:
        claims = None
    return header, claims


def decode_one(token: str, key: dict, params: dict, now, leeway):
    with frozen(now), quiet():
        return jwt.decode(token, key_value(key), algorithms=algorithms_of(params),
                          leeway=leeway, options=dict(DECODE_OPTIONS))


def library_load(token: str, keys: list[dict], params: dict, now, leeway=0):
    """Returns ("ok", claims) or (exception class name, exception)."""
    last = None
    for k in keys:
        try:
            return "ok", decode_one(token, k, params, now, leeway)
        except (InvalidSignatureError, InvalidKeyError) as e:
            if last is None or not isinstance(last, InvalidSignatureError):
                last = e
            continue
        except Exception as e:  # noqa: BLE001 - the class name is the result
            return exc_name(e), e
    if last is None:
        raise ValueError("no keys")
    return exc_name(last), last


def find_key_index(token: str, keys: list[dict], params: dict):
    """Each key alone, in Signet order: the first for which PyJWS verifies the signature (with the
    same algorithms pin; no claim checks, claims not even parsed)."""
    for i, k in enumerate(keys):
        try:
            with quiet():
                PyJWS().decode_complete(token, key=key_value(k), algorithms=algorithms_of(params))
            return i
        except Exception:
            pass
    return None


def algorithm_status(header, params: dict) -> str:
    alg = header.get("alg") if isinstance(header, dict) else None
    if alg in ALGORITHMS and alg not in algorithms_of(params):
        return "bad-signature"
    return "malformed"


def evaluate(token: str, keys: list[dict], params: dict, now, leeway=0) -> dict:
    params = params or {}
    result, value = library_load(token, keys, params, now, leeway)
    header, claims = parse(token)
    if result == "InvalidAlgorithmError":
        status = algorithm_status(header, params)
    elif result in STATUS_OF:
        status = STATUS_OF[result]
    else:
        raise RuntimeError(f"unexpected library result {result}: {value!r}")
    iat = claims.get("iat") if isinstance(claims, dict) else None
    signed_at = iat if isinstance(iat, int) and not isinstance(iat, bool) else None
    return {
        "library_result": result,
        "library_value": value,
        "status": status,
        "payload": claims,
        "header": header,
        "signed_at": signed_at,
        "key_index": find_key_index(token, keys, params),
    }


def sign(claims: dict, key: dict, header: dict) -> str:
    """Re-create a token from its header object (member order as encoded), claims and key with
    jwt.encode. PyJWT writes {"typ": "JWT", "alg": ...} updated with headers=, then either sorts
    the members (sort_headers=True, the default) or keeps that order; typ: None drops typ."""
    headers = dict(header)
    if "typ" not in header:
        headers["typ"] = None
    sort = list(header) == sorted(header)
    with quiet():
        return jwt.encode(claims, key_value(key), algorithm=header["alg"], headers=headers,
                          sort_headers=sort)


def json_equal(a, b) -> bool:
    import json

    return json.dumps(a) == json.dumps(b)

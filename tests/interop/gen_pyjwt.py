#!/usr/bin/env python3
"""Generate tests/vectors/pyjwt.json with the REAL PyJWT (2.15.1, see requirements.txt).

    /tmp/signet-py/bin/python tests/interop/gen_pyjwt.py > tests/vectors/pyjwt.json
    /tmp/signet-py/bin/python tests/interop/gen_pyjwt.py --check tests/vectors/pyjwt.json

Format: jwt (Signet format id, shared/contract.md): compact JWS, HS256 / HS384 / HS512.

Rules (see tests/vectors/README.md; JWT extensions below):
  * tokens are produced with jwt.encode(claims, key, algorithm=..., headers=..., sort_headers=...);
    "tampered" tokens are library output edited afterwards; tokens PyJWT refuses to write (alg
    RS256/missing/lowercase, kid not a string, a header with spaces, duplicate claims...) are
    SIGNED-BY-HAND: the segments are built here and signed with PyJWT's own HMACAlgorithm.sign;
  * every expectation comes from jwt.decode at a frozen clock (pyjwt_common.evaluate; see the
    status mapping there): ok->valid, ExpiredSignatureError->expired, ImmatureSignatureError
    (nbf or iat in the future)->not-yet-valid, InvalidSignatureError/InvalidKeyError->
    bad-signature, InvalidAlgorithmError->bad-signature for an HS* alg outside the pinned
    params.algorithms and malformed for anything else (alg none, RS256, missing alg), every
    decode/claim-format error->malformed;
  * JWT extensions of the vector schema: a top-level "leeway" (seconds; always present, 0 by
    default); params.header = the token's header object exactly as encoded (member order kept;
    absent when the header does not decode); params.algorithms only when the verifier pins a
    narrower list than ["HS256", "HS384", "HS512"]; expect.payload = the claims object (null
    when it does not decode); expect.signed_at = the "iat" claim when it is an integer, else
    null; max_age is not used;
  * key_index: each key alone, in Signet order, signature only (PyJWS.decode_complete with the
    same algorithms); first success wins;
  * resign: true only when jwt.encode(expect.payload, keys[key_index], algorithm=header.alg,
    headers=params.header, sort_headers=<header members sorted?>) gives back the token byte for
    byte -- checked here for every such vector;
  * no randomness; output is deterministic.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import jwt  # noqa: E402
from jwt.algorithms import HMACAlgorithm  # noqa: E402
from jwt.utils import base64url_encode  # noqa: E402

import pyjwt_common as J  # noqa: E402

T0 = 1767225000  # 2025-12-31T23:50:00Z, the usual issuing time
NOW = T0 + 600  # 2026-01-01T00:00:00Z, the usual verification time

VECTORS: list[dict] = []
NAMES: set[str] = set()
B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def K(text):
    return {"text": text}


def H(hexstr):
    return {"hex": hexstr}


JK = K("jwt-hs256-secret-key-0123456789abcdef")  # 36 bytes: >= 32 (HS256)
JK48 = K("jwt-hs384-secret-key-0123456789abcdef0123456789ab")  # 49 bytes: >= 48 (HS384)
JK64 = K("jwt-hs512-secret-key-" + "0123456789abcdef" * 3)  # 69 bytes: >= 64 (HS512)
HK = H("8f00ff10fe80817f7e9c" + "a5" * 22)  # 32 bytes, not UTF-8
UK = K("jwt-ключ-🔑-schlüssel-0123456789")  # non-ASCII
SHORT = K("secret")  # the classic tutorial key: InsecureKeyLengthWarning (6 < 32 bytes)
OTHER = K("another-jwt-secret-key-9876543210fedcba")
WRONG = K("not-the-right-jwt-secret-key-000000000")
PEM = K("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEexample\n"
        "-----END PUBLIC KEY-----\n")

BASE = {"sub": "1234567890", "name": "Ada Lovelace", "iat": T0}
ALG_KEY = {"HS256": JK, "HS384": JK48, "HS512": JK64}


# ---------------------------------------------------------------------------------------------
# producing tokens


def encode(claims, key, alg="HS256", headers=None, sort_headers=True):
    """jwt.encode exactly as an application calls it."""
    with J.quiet():
        if alg is None:
            return jwt.encode(claims, key, algorithm=None, headers=headers,
                              sort_headers=sort_headers)
        return jwt.encode(claims, J.key_value(key), algorithm=alg, headers=headers,
                          sort_headers=sort_headers)


def compact(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


def by_hand(header: bytes | dict, payload: bytes | dict, key, alg="HS256", sig=None) -> str:
    """SIGNED-BY-HAND: b64url(header) . b64url(payload) . b64url(HMAC) with PyJWT's own
    base64url_encode and HMACAlgorithm.sign (no prepare_key: any key bytes)."""
    h = header if isinstance(header, bytes) else compact(header)
    p = payload if isinstance(payload, bytes) else compact(payload)
    signing_input = base64url_encode(h) + b"." + base64url_encode(p)
    if sig is None:
        hash_alg = {"HS256": HMACAlgorithm.SHA256, "HS384": HMACAlgorithm.SHA384,
                    "HS512": HMACAlgorithm.SHA512}[alg]
        sig = HMACAlgorithm(hash_alg).sign(signing_input, J.key_bytes(key))
    return (signing_input + b"." + base64url_encode(sig)).decode()


# ---------------------------------------------------------------------------------------------
# input forms


def as_input(form: str, token: str) -> str:
    if form == "bare":
        return token
    if form == "name":
        return f"access_token={token}"
    if form == "cookie-header":
        return f"Cookie: theme=dark; access_token={token}; lang=en"
    if form == "set-cookie":
        return f"Set-Cookie: access_token={token}; HttpOnly; Secure; Path=/; SameSite=Lax"
    raise ValueError(form)


# ---------------------------------------------------------------------------------------------
# the vector recorder


def add(name, token, keys, *, note, algorithms=None, now=NOW, leeway=0, inp="bare",
        signed_by=None, tampered=False, lenient=False, resign=None):
    """Evaluate `token` with PyJWT and record a vector (see the module docstring)."""
    full = f"jwt/{name}"
    assert full not in NAMES, full
    NAMES.add(full)
    keys = list(keys)
    params = {}
    if algorithms is not None:
        params["algorithms"] = list(algorithms)
    ev = J.evaluate(token, keys, params, now, leeway)
    lr = ev["library_result"]
    if ev["header"] is not None:
        params = {"header": ev["header"], **params}
    # Whose rules and JSON spelling these are (Signet's FormatParams::dialect).
    params["dialect"] = "python"
    if lr == "ok":
        assert J.json_equal(ev["library_value"], ev["payload"]), full
    # PyJWT's only base64 leniency: '=' padding on a segment.
    auto_lenient = ev["key_index"] is not None and "=" in token
    assert auto_lenient == lenient, (full, "lenient", auto_lenient)
    header = ev["header"]
    can_resign = (
        not tampered
        and signed_by is not None
        and isinstance(header, dict)
        and isinstance(ev["payload"], dict)
        and ev["key_index"] is not None
        and J.key_bytes(keys[ev["key_index"]]) == J.key_bytes(signed_by)
    )
    if resign is not None:
        assert resign is False and can_resign, (full, "resign override")
        can_resign = False
        assert resign_token(ev["payload"], keys[ev["key_index"]], header) != token, full
    if can_resign:
        got = resign_token(ev["payload"], keys[ev["key_index"]], header)
        assert got == token, (full, "resign", got, token)
    v = {
        "name": full,
        "format": "jwt",
        "input": as_input(inp, token) if inp in ("bare", "name", "cookie-header", "set-cookie")
        else inp,
        "cookie": token,
        "keys": keys,
        "params": params,
        "now": now,
        "leeway": leeway,
        "library_result": lr,
        "expect": {
            "status": ev["status"],
            "payload": ev["payload"],
            "signed_at": ev["signed_at"],
            "key_index": ev["key_index"],
            "compressed": False,
            "lenient_base64": lenient,
        },
        "resign": can_resign,
        "note": note,
    }
    assert token in v["input"], full
    VECTORS.append(v)
    return v


def resign_token(claims, key, header):
    try:
        return J.sign(claims, key, header)
    except Exception as e:  # noqa: BLE001 - PyJWT refuses (e.g. kid not a string)
        return f"<jwt.encode raised {type(e).__name__}>"


# ---------------------------------------------------------------------------------------------
# tampering helpers


def flip_char(s, i):
    j = B64URL.index(s[i]) if s[i] in B64URL else 0
    return s[:i] + B64URL[(j + 1) % 64] + s[i + 1:]


def parts(token):
    return token.split(".")


def tamper_payload_keep_json(token):
    h, p, s = parts(token)
    orig = J.parse(token)[1]
    for i in range(len(p) - 2, 0, -1):
        cand = flip_char(p, i)
        got = J.parse(f"{h}.{cand}.{s}")[1]
        if got is not None and got != orig:
            return f"{h}.{cand}.{s}"
    raise AssertionError("no json-preserving tamper")


def sig_low_bits(token):
    h, p, s = parts(token)
    unused = (len(s) * 6) % 8
    assert unused
    j = B64URL.index(s[-1])
    return f"{h}.{p}.{s[:-1]}{B64URL[j ^ 1]}"


# =============================================================================================


def gen_algorithms():
    n = ("jwt.encode(claims, key, algorithm=ALG): header {\"alg\":ALG,\"typ\":\"JWT\"} (members "
         "sorted: sort_headers=True), claims compact JSON in insertion order, ensure_ascii. ")
    for alg, key in ALG_KEY.items():
        t = encode(BASE, key, alg)
        add(f"algs/{alg.lower()}", t, [key], signed_by=key, note=n + alg)
    with J.quiet():
        t = jwt.encode(BASE, J.key_value(JK))
    add("algs/default-algorithm", t, [JK], signed_by=JK,
        note=n + "no algorithm argument -> HS256")
    t = encode(BASE, JK, "HS512")
    add("algs/hs512-short-key", t, [JK], signed_by=JK,
        note=n + "HS512 with a 36-byte key: InsecureKeyLengthWarning (< 64 bytes) on encode and "
                 "decode, but only a warning (enforce_minimum_key_length=False) -> valid")
    t = encode(BASE, SHORT)
    add("keys/short-secret", t, [SHORT], signed_by=SHORT,
        note="key 'secret' (6 bytes): InsecureKeyLengthWarning, still valid")


def gen_claims():
    n = "claims: compact json.dumps (insertion order, ensure_ascii) -> expect.payload as is. "
    cases = {
        "order": ({"z": 1, "a": 2, "M": 3, "iat": T0}, "insertion order kept (not sorted)"),
        "unicode": ({"name": "Zoë 日本 😀", "iat": T0}, "non-ASCII -> \\u escapes"),
        "numbers": ({"big": 2**70, "neg": -2**64, "f": 0.1, "e": 1e-07, "g": 1e16, "z": -0.0,
                     "w": 100.0}, "big ints / floats as Python's repr; no iat -> signed_at null"),
        "types": ({"n": None, "t": True, "f": False, "l": [1, [2, {}]], "o": {"k": "v"}, "s": ""},
                  "null, bools, nested"),
        "empty": ({}, "empty claims object"),
        "escapes": ({"s": "q\" b\\ </script> \t\n\x00\u2028"}, "JSON escapes"),
        "registered": ({"iss": "https://auth.example.com", "sub": "user-42",
                        "jti": "b6f1c0de-0000-4000-8000-000000000001", "iat": T0,
                        "nbf": T0, "exp": T0 + 3600, "scope": "read write"},
                       "the registered claims, all within their window"),
        "aud": ({"sub": "u", "aud": ["api", "web"], "iat": T0},
                "an 'aud' claim: valid here because decode runs with options={'verify_aud': "
                "False} (Signet has no audience). With PyJWT's defaults and no audience= "
                "argument this raises InvalidAudienceError"),
        "iat-float": ({"iat": T0 + 0.75}, "iat 1767225000.75: PyJWT checks int(iat) -> valid; "
                                          "signed_at null (not an integer)"),
    }
    for name, (claims, why) in cases.items():
        t = encode(claims, JK)
        add(f"claims/{name}", t, [JK], signed_by=JK, note=n + why)


def gen_headers():
    n = "headers=: PyJWT starts from {\"typ\": \"JWT\", \"alg\": ALG}, .update(headers). "
    t = encode(BASE, JK, headers={"kid": "2026-01"})
    add("header/kid", t, [JK], signed_by=JK, note=n + "kid; sorted -> alg, kid, typ")
    t = encode(BASE, JK, headers={"typ": None})
    add("header/typ-absent", t, [JK], signed_by=JK,
        note=n + "typ None -> removed: header {\"alg\":\"HS256\"}")
    t = encode(BASE, JK, headers={"typ": "at+jwt"})
    add("header/typ-custom", t, [JK], signed_by=JK, note=n + "typ 'at+jwt' (not checked)")
    t = encode(BASE, JK, headers={"cty": "JWT", "kid": "k1"})
    add("header/cty", t, [JK], signed_by=JK, note=n + "cty + kid")
    t = encode(BASE, JK, headers={"kid": "k1", "x-tenant": "acme"}, sort_headers=False)
    add("header/unsorted", t, [JK], signed_by=JK,
        note=n + "sort_headers=False: member order typ, alg, kid, x-tenant (as inserted)")
    t = encode(BASE, JK, "HS384", headers={"alg": "HS512"})
    add("header/alg-in-headers-wins", t, [JK64, JK], signed_by=JK,
        note=n + "algorithm='HS384' but headers alg 'HS512': the header wins -> an HS512 token")
    t = encode(BASE, JK, headers={"crit": ["exp"], "exp": T0})
    add("header/crit-unsupported", t, [JK], signed_by=JK,
        note="crit ['exp']: encode does not check crit, decode does -> InvalidTokenError "
             "('Unsupported critical extension') -> malformed")
    t = encode(BASE, JK, headers={"b64": False})
    add("header/b64-false-detached", t, [JK], signed_by=JK,
        note="headers b64=False: RFC 7797 detached payload -> 'HEADER..SIG' with crit ['b64']; "
             "decode without detached_payload -> DecodeError -> malformed; payload null")
    t = by_hand({"alg": "HS256", "kid": 7, "typ": "JWT"}, BASE, JK)
    add("header/kid-not-string", t, [JK],
        note="SIGNED-BY-HAND (encode refuses it): kid 7 -> InvalidTokenError ('Key ID header "
             "parameter must be a string') before the signature -> malformed")
    t = by_hand(b'{"alg": "HS256", "typ": "JWT"}', compact(BASE), JK)
    add("header/spaces-in-json", t, [JK],
        note="SIGNED-BY-HAND: header JSON with spaces (as some other libraries write it) -> "
             "valid; not re-signable by PyJWT (params.header cannot carry whitespace)")


def gen_time():
    n = ("time claims at now=%d (PyJWT: iat > now+leeway -> ImmatureSignatureError, nbf > "
         "now+leeway -> ImmatureSignatureError, exp <= now-leeway -> ExpiredSignatureError, "
         "checked in that order, each on int(claim)). " % NOW)

    def tm(name, claims, *, note, leeway=0, **kw):
        t = encode(claims, JK)
        return add(f"time/{name}", t, [JK], signed_by=JK, leeway=leeway, note=n + note, **kw)

    tm("exp-future", {**BASE, "exp": NOW + 3600}, note="exp in an hour")
    tm("exp-past", {**BASE, "exp": NOW - 3600}, note="exp an hour ago -> expired")
    tm("exp-equal-now", {**BASE, "exp": NOW}, note="exp == now -> EXPIRED (<=)")
    tm("exp-now-plus-one", {**BASE, "exp": NOW + 1}, note="exp == now + 1 -> valid")
    tm("exp-leeway-pass", {**BASE, "exp": NOW - 9}, leeway=10,
       note="exp == now - 9, leeway 10 -> valid")
    tm("exp-leeway-boundary", {**BASE, "exp": NOW - 10}, leeway=10,
       note="exp == now - 10, leeway 10 -> expired (exp <= now - leeway)")
    tm("exp-float-half-second", {**BASE, "exp": NOW + 0.5},
       note="exp now + 0.5: int() truncates to now -> EXPIRED although exp > now")
    tm("exp-float-future", {**BASE, "exp": NOW + 100.5}, note="exp now + 100.5 -> valid")
    tm("exp-numeric-string", {**BASE, "exp": str(NOW + 3600)},
       note="exp is the STRING '1767229200': int('...') succeeds -> valid (PyJWT does not "
            "insist on a JSON number)")
    tm("exp-string-bad", {**BASE, "exp": "tomorrow"},
       note="exp 'tomorrow' -> DecodeError ('must be an integer') -> malformed")
    tm("exp-true", {**BASE, "exp": True}, note="exp true: int(True) == 1 -> expired")
    tm("exp-null", {**BASE, "exp": None}, note="exp null: int(None) TypeError -> DecodeError")
    tm("exp-huge", {**BASE, "exp": 2**70}, note="exp 2**70 -> valid (Python ints)")
    tm("exp-float-exponent", {**BASE, "exp": 1e20}, note="exp 1e+20 (a float) -> valid")
    tm("nbf-future", {**BASE, "nbf": NOW + 60}, note="nbf in a minute -> not-yet-valid")
    tm("nbf-equal-now", {**BASE, "nbf": NOW}, note="nbf == now -> valid")
    tm("nbf-leeway-pass", {**BASE, "nbf": NOW + 1}, leeway=1, note="nbf now+1, leeway 1 -> valid")
    tm("nbf-leeway-fail", {**BASE, "nbf": NOW + 2}, leeway=1,
       note="nbf now+2, leeway 1 -> not-yet-valid")
    tm("iat-future", {"sub": "x", "iat": NOW + 1},
       note="iat == now + 1 -> ImmatureSignatureError ('not yet valid (iat)') -> not-yet-valid")
    tm("iat-equal-now", {"sub": "x", "iat": NOW}, note="iat == now -> valid")
    tm("iat-future-leeway", {"sub": "x", "iat": NOW + 5}, leeway=5,
       note="iat now + 5, leeway 5 -> valid")
    tm("iat-string-bad", {"sub": "x", "iat": "yesterday"},
       note="iat 'yesterday' -> InvalidIssuedAtError -> malformed")
    tm("iat-future-and-expired", {"sub": "x", "iat": NOW + 60, "exp": NOW - 60},
       note="iat in the future AND exp past: iat is checked first -> not-yet-valid")
    tm("nbf-future-and-expired", {"sub": "x", "nbf": NOW + 60, "exp": NOW - 60},
       note="nbf in the future AND exp past: nbf before exp -> not-yet-valid")
    tm("exp-past-ancient-now", {**BASE, "exp": T0 + 3600}, now=T0 + 10**8,
       note="verified years later -> expired")
    t = encode({**BASE, "exp": NOW - 3600}, JK)
    add("time/expired-wrong-key", t, [WRONG], signed_by=JK,
        note=n + "expired AND wrong key: the signature is checked first -> bad-signature")


def gen_keys():
    n = ("keys: PyJWT takes one key; the vectors try Signet's keys in order and move on only on "
         "InvalidSignatureError (as a rotating application does). ")
    t = encode(BASE, JK)
    add("keys/wrong", t, [WRONG], signed_by=JK, note=n + "wrong key; claims still shown")
    add("keys/second", t, [OTHER, JK], signed_by=JK, note=n + "second key verifies -> 1")
    t = encode({**BASE, "exp": NOW - 1}, JK)
    add("keys/second-expired", t, [OTHER, JK], signed_by=JK,
        note=n + "second key verifies, then expired")
    t = encode(BASE, HK)
    add("keys/hex", t, [HK], signed_by=HK, note=n + "32 non-UTF-8 bytes")
    t = encode(BASE, UK)
    add("keys/non-ascii", t, [UK], signed_by=UK, note=n + "non-ASCII key (UTF-8 bytes)")
    t = by_hand({"alg": "HS256", "typ": "JWT"}, BASE, PEM)
    add("keys/pem-looking-secret", t, [PEM],
        note="SIGNED-BY-HAND: HMAC keyed with the text of a PEM public key (the RS/HS confusion "
             "attack). PyJWT refuses a PEM/SSH/JWK-shaped HMAC secret (prepare_key -> "
             "InvalidKeyError) -> bad-signature, key_index null")


def gen_alg():
    n = "algorithm pinning (jwt.decode algorithms=...). "
    t = encode(BASE, JK48, "HS384")
    add("alg/mismatch-pinned", t, [JK48], algorithms=["HS256"], signed_by=JK48,
        note=n + "an HS384 token, the verifier pins ['HS256'] -> InvalidAlgorithmError ('The "
                 "specified alg value is not allowed') before any signature check. Signet: "
                 "bad-signature (a well-formed HMAC token the configured verifier will not "
                 "accept; the key would verify it under HS384); key_index null because the "
                 "signature-only check uses the same pin")
    t = encode(BASE, JK, "HS256")
    add("alg/pinned-match", t, [JK], algorithms=["HS256"], signed_by=JK,
        note=n + "HS256 token, pin ['HS256'] -> valid")
    t = encode(BASE, None, None)
    add("alg/none", t, [JK],
        note=n + "alg none, produced by PyJWT itself (jwt.encode(claims, None, algorithm=None)): "
                 "'HEADER.PAYLOAD.' with an empty signature. Not in algorithms -> "
                 "InvalidAlgorithmError. Signet: malformed -- an unsigned token is never valid "
                 "and is not an HMAC JWT at all, so no key could be 'wrong' (bad-signature would "
                 "suggest trying another secret)")
    h, p, _ = t.split(".")
    add("alg/none-with-signature", f"{h}.{p}.{by_hand(compact({'alg': 'HS256'}), compact(BASE), JK).split('.')[2]}",
        [JK], tampered=True,
        note=n + "alg none with a (HS256) signature appended -> InvalidAlgorithmError -> "
                 "malformed")
    for alg in ("None", "NONE"):
        tok = by_hand({"alg": alg, "typ": "JWT"}, BASE, JK, sig=b"")
        add(f"alg/none-case-{'title' if alg == 'None' else 'upper'}", tok, [JK],
            note=n + f"SIGNED-BY-HAND: alg '{alg}', empty signature -> InvalidAlgorithmError -> "
                     "malformed")
    t = by_hand({"alg": "RS256", "typ": "JWT"}, BASE, JK)
    add("alg/rs256-hmac-signed", t, [JK],
        note=n + "SIGNED-BY-HAND: header alg RS256, signature = HMAC-SHA256 with the secret (the "
                 "alg-confusion shape). RS256 is not in the HS pin -> InvalidAlgorithmError -> "
                 "malformed (not verifiable with a shared secret)")
    t = by_hand({"typ": "JWT"}, BASE, JK)
    add("alg/missing", t, [JK],
        note=n + "SIGNED-BY-HAND: no alg member -> InvalidAlgorithmError ('Algorithm not "
                 "specified') -> malformed")
    t = by_hand({"alg": "hs256", "typ": "JWT"}, BASE, JK)
    add("alg/lowercase", t, [JK],
        note=n + "SIGNED-BY-HAND: alg 'hs256' (case matters) -> malformed")
    t = encode(BASE, JK)
    h, p, s = t.split(".")
    h512 = base64url_encode(compact({"alg": "HS512", "typ": "JWT"})).decode()
    add("alg/header-swapped", f"{h512}.{p}.{s}", [JK], tampered=True,
        note=n + "HS256 token whose header was rewritten to HS512 -> InvalidSignatureError")


def gen_tamper():
    n = "tampered PyJWT output. "
    t = encode({**BASE, "role": "user"}, JK)
    add("tamper/payload", tamper_payload_keep_json(t), [JK], tampered=True,
        note=n + "one payload char changed, still JSON -> bad-signature, changed claims shown")
    h, p, s = t.split(".")
    hj = base64url_encode(compact({"alg": "HS256", "typ": "JWS"})).decode()
    add("tamper/header", f"{hj}.{p}.{s}", [JK], tampered=True, note=n + "typ rewritten")
    add("tamper/sig", f"{h}.{p}.{flip_char(s, 0)}", [JK], tampered=True, note=n + "sig changed")
    add("tamper/sig-truncated", f"{h}.{p}.{s[:-1]}", [JK], tampered=True,
        note=n + "last signature char removed (42 chars)")
    add("tamper/sig-unused-bits", sig_low_bits(t), [JK], tampered=True,
        note=n + "only the unused low bits of the last signature char changed: PyJWT re-encodes "
                 "and compares (non-canonical base64 is refused) -> DecodeError -> malformed "
                 "(itsdangerous would accept it)")
    add("tamper/sig-padded", t + "=", [JK], tampered=True, lenient=True,
        note=n + "'=' appended to the 43-char HS256 signature: PyJWT accepts correct trailing "
                 "padding ('used by some issuers, e.g. AWS ALB') -> valid")
    t512 = encode(BASE, JK64, "HS512")
    add("tamper/sig-padded-hs512", t512 + "==", [JK64], tampered=True, lenient=True,
        note=n + "'==' appended to the 86-char HS512 signature -> valid")
    add("tamper/sig-overpadded", t + "==", [JK], tampered=True,
        note=n + "'==' on a 43-char signature (length not a multiple of 4) -> DecodeError")
    add("tamper/sig-empty", f"{h}.{p}.", [JK], tampered=True,
        note=n + "signature removed (alg HS256 kept) -> InvalidSignatureError")


def gen_malformed():
    n = "malformed: "
    t = encode(BASE, JK)
    h, p, s = t.split(".")
    add("malformed/empty", "", [JK], note=n + "empty -> DecodeError ('Not enough segments')")
    add("malformed/one-part", h, [JK], note=n + "one segment")
    add("malformed/two-parts", f"{h}.{p}", [JK], note=n + "two segments -> DecodeError")
    add("malformed/four-parts", f"{h}.{p}.{s}.{s}", [JK],
        note=n + "four segments: rsplit/split leaves 'PAYLOAD.SIG' as the payload -> "
                 "DecodeError (invalid payload padding)")
    add("malformed/header-not-base64", f"!!!.{p}.{s}", [JK], note=n + "'!!!' header")
    add("malformed/header-not-json", f"{base64url_encode(b'not json').decode()}.{p}.{s}", [JK],
        note=n + "header is base64 of 'not json' -> DecodeError")
    add("malformed/header-json-array", f"{base64url_encode(b'[1]').decode()}.{p}.{s}", [JK],
        note=n + "header is a JSON array -> DecodeError")
    tk = next(x for x in (encode(BASE, JK, headers={"kid": "k" * i}) for i in range(1, 4))
              if len(x.split(".")[0]) % 4)
    hk, pk, sk = tk.split(".")
    add("malformed/header-non-canonical", f"{flip_low_bits(hk)}.{pk}.{sk}", [JK], tampered=True,
        note=n + "header segment (with a kid) whose unused low bits were changed -> "
                 "DecodeError ('Invalid header padding'), before the signature")
    add("malformed/whitespace", f"{h}.{p} .{s}", [JK], note=n + "a space inside -> DecodeError")
    t2 = by_hand({"alg": "HS256", "typ": "JWT"}, b"not json", JK)
    add("malformed/payload-not-json-signed", t2, [JK],
        note=n + "SIGNED-BY-HAND: valid signature, payload 'not json' -> DecodeError AFTER the "
                 "signature (key_index 0) -> malformed")
    t2 = by_hand({"alg": "HS256", "typ": "JWT"}, b"[1,2]", JK)
    add("malformed/payload-array-signed", t2, [JK],
        note=n + "SIGNED-BY-HAND: payload a JSON array -> DecodeError ('must be a json object')")
    t2 = by_hand({"alg": "HS256", "typ": "JWT"}, {"sub": 42}, JK)
    add("malformed/sub-not-string", t2, [JK],
        note=n + "SIGNED-BY-HAND: sub 42 -> InvalidSubjectError -> malformed")
    t2 = encode({"jti": 5}, JK)
    add("malformed/jti-not-string", t2, [JK], signed_by=JK,
        note=n + "jti 5 (encode allows it) -> InvalidJTIError -> malformed")


def flip_low_bits(seg):
    unused = (len(seg) * 6) % 8
    assert unused, seg
    j = B64URL.index(seg[-1])
    return seg[:-1] + B64URL[j ^ 1]


def gen_by_hand():
    n = "SIGNED-BY-HAND: "
    t = by_hand(compact({"alg": "HS256", "typ": "JWT"}) + b"", b'{"a":1,"a":2}', JK)
    add("signed-by-hand/duplicate-claim", t, [JK],
        note=n + "payload {\"a\":1,\"a\":2}: json.loads keeps the LAST -> valid, payload {a: 2}")
    hdr = base64url_encode(compact({"alg": "HS256", "typ": "JWT"})).decode()
    pl = base64url_encode(compact({"sub": "x", "iat": T0})).decode()
    pad_h = hdr + "=" * (-len(hdr) % 4)
    pad_p = pl + "=" * (-len(pl) % 4)
    assert pad_h != hdr or pad_p != pl
    si = f"{pad_h}.{pad_p}".encode()
    sig = HMACAlgorithm(HMACAlgorithm.SHA256).sign(si, J.key_bytes(JK))
    t = f"{pad_h}.{pad_p}.{base64url_encode(sig).decode()}="
    add("signed-by-hand/padded-segments", t, [JK], lenient=True,
        note=n + "every segment padded with '=' and the HMAC computed over the PADDED text -> "
                 "valid (PyJWT accepts correct padding)")
    t = by_hand({"alg": "HS256", "typ": "JWT"}, {"iss": 123, "sub": "x"}, JK)
    add("signed-by-hand/iss-not-string", t, [JK],
        note=n + "iss 123 (encode refuses a non-string iss): decode only checks iss when an "
                 "issuer= is given -> valid")
    t = by_hand({"typ": "JWT", "alg": "HS256", "kid": "a"}, BASE, JK)
    add("signed-by-hand/header-order-typ-first", t, [JK], signed_by=JK,
        note=n + "compact header typ, alg, kid: reproducible by jwt.encode(sort_headers=False)")


def gen_inputs():
    t = encode(BASE, JK)
    for form in ("name", "cookie-header", "set-cookie"):
        add(f"input/{form}", t, [JK], inp=form, signed_by=JK,
            note=f"input form {form} (cookie 'access_token')")


# =============================================================================================


def check(path: Path) -> int:
    """From the file alone: re-decode every vector, resign, and ask accept.py."""
    doc = json.loads(path.read_text())
    bad = 0
    reqs = []
    for v in doc["vectors"]:
        e = v["expect"]
        params = {k: x for k, x in v["params"].items() if k not in ("header", "dialect")}
        ev = J.evaluate(v["cookie"], v["keys"], params, v["now"], v["leeway"])
        if ev["library_result"] != v["library_result"]:
            print(f"RELOAD {v['name']}: {ev['library_result']}")
            bad += 1
        for k in ("status", "payload", "signed_at", "key_index"):
            if json.dumps(ev[k]) != json.dumps(e[k]):
                print(f"RELOAD {v['name']}: {k} {ev[k]!r} != {e[k]!r}")
                bad += 1
        if json.dumps(ev["header"]) != json.dumps(v["params"].get("header")):
            print(f"RELOAD {v['name']}: header")
            bad += 1
        if v["resign"]:
            got = J.sign(e["payload"], v["keys"][e["key_index"]], v["params"]["header"])
            if got != v["cookie"]:
                print(f"RESIGN {v['name']}: {got}")
                bad += 1
        if v["cookie"] not in v["input"]:
            print(f"INPUT {v['name']}")
            bad += 1
        reqs.append(json.dumps({k: v[k] for k in ("format", "cookie", "keys", "params", "now",
                                                   "leeway")}))
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
                       else HERE.parent / "vectors/pyjwt.json"))
    gen_algorithms()
    gen_claims()
    gen_headers()
    gen_time()
    gen_keys()
    gen_alg()
    gen_tamper()
    gen_malformed()
    gen_by_hand()
    gen_inputs()
    doc = {
        "generator": "tests/interop/gen_pyjwt.py",
        "versions": {"pyjwt": version("pyjwt"), "python": "%d.%d" % sys.version_info[:2]},
        "vectors": VECTORS,
    }
    sys.stdout.write(json.dumps(doc, indent=1, sort_keys=False) + "\n")


if __name__ == "__main__":
    main()

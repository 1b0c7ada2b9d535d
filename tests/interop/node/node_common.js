'use strict'
/*
 * Shared helpers for gen_node.js, accept.js and check_vectors.js.
 *
 * Everything that decides an outcome calls the REAL libraries pinned in package.json
 * (cookie-signature, cookie-parser, express-session, cookie, cookies, keygrip, cookie-session,
 * jsonwebtoken/jws). The helpers only translate between Signet's vocabulary (format ids, ordered
 * key lists, params, now/max_age/leeway) and the libraries' calls.
 *
 * Signet key order: keys[0] is the primary (signing) key, keys[1:] the older keys in the order the
 * application lists them. All three Node stacks take the keys as an array with the signing key
 * first and try them IN LIST ORDER (express-session `secret: [...]`, cookie-parser
 * `cookieParser([...])`, keygrip `Keygrip([...])`), so Signet's list IS the library's list.
 * jsonwebtoken takes one secret per jwt.verify() call; a key list means "call jwt.verify with
 * each secret in turn" (what apps rotating JWT secrets do): see jwtLoad().
 *
 * Formats and params (Signet format ids, ../../../../shared/contract.md):
 *   express  params.prefix  "s:" (default: cookie-parser / express-session cookie as it is sent in
 *                            Set-Cookie / Cookie headers, i.e. "s:" + cookie-signature, URL-encoded
 *                            by cookie.serialize -> "s%3A...%2B...") or "" (a bare
 *                            cookie-signature sign() output "value.sig", no prefix, no encoding).
 *   keygrip  params.cookie_name (default "session"), params.digest (keygrip algorithm, default
 *            "sha1"), params.encoding "json-base64" (default: cookie-session body,
 *            base64(JSON.stringify(obj))) or "raw" (a plain `cookies` value, payload is the string).
 *            `cookie` is the Cookie-header fragment "name=value; name.sig=sig".
 *   jwt      params.header (the JOSE header exactly as encoded, member order kept),
 *            params.algorithms (jwt.verify `algorithms` allowlist; default: jsonwebtoken's default
 *            for a secret key, HS256/HS384/HS512). Vector top-level `leeway` = clockTolerance,
 *            `max_age` = jwt.verify maxAge (seconds; missing/"none" = not given).
 */

const crypto = require('crypto')
const cookie = require('cookie')
const cookieParser = require('cookie-parser')
const sig122 = require('cookie-signature') // top level: 1.2.2 (bare sign/unsign)
const esSig = require('express-session/node_modules/cookie-signature') // 1.0.7, express-session's
const Cookies = require('cookies')
const Keygrip = require('keygrip')
const cookieSession = require('cookie-session')
const jwt = require('jsonwebtoken')
const jws = require('jws')

const EXPRESS_SESSION_COOKIE = 'connect.sid'

// ------------------------------------------------------------------------------------------------
// keys, time

function keyValue (k) {
  if (Object.prototype.hasOwnProperty.call(k, 'text')) return k.text
  if (Object.prototype.hasOwnProperty.call(k, 'hex')) return Buffer.from(k.hex, 'hex')
  throw new Error('key must be {"text"} or {"hex"}: ' + JSON.stringify(k))
}

function keyBytes (k) {
  const v = keyValue(k)
  return Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8')
}

const realDateNow = Date.now
/** Run fn with Date.now frozen at `now` (Unix seconds). Every library here reads the clock only
 * through Date.now (jsonwebtoken iat/clockTimestamp, express/cookies Expires, MemoryStore). */
function frozen (now, fn) {
  const saved = Date.now
  Date.now = () => now * 1000
  try {
    return fn()
  } finally {
    Date.now = saved
  }
}

// ------------------------------------------------------------------------------------------------
// minimal req/res plumbing for the middlewares when called synchronously (accept.js)

function fakeReqRes (cookieHeader) {
  const headers = {}
  if (cookieHeader !== undefined && cookieHeader !== null) headers.cookie = cookieHeader
  const req = { headers, url: '/', method: 'GET', socket: { encrypted: false }, connection: {} }
  const outHeaders = {}
  const res = {
    getHeader (n) { return outHeaders[n.toLowerCase()] },
    setHeader (n, v) { outHeaders[n.toLowerCase()] = v },
    writeHead () { return this },
    headersSent: false
  }
  return { req, res, outHeaders }
}

function setCookieList (res) {
  const h = res.getHeader('Set-Cookie')
  if (h === undefined) return []
  return Array.isArray(h) ? h.slice() : [h]
}

// ================================================================================================
// express: cookie-signature values (cookie-parser signedCookie / express-session unsigncookie)
// ================================================================================================

const EXPRESS_STATUS = { ok: 'valid', false: 'bad-signature', unsigned: 'malformed' }

/** The value the app sees for this cookie: cookie.parse (the `cookie` module both cookie-parser and
 * express-session use: strips surrounding quotes, decodeURIComponent when it contains '%', leaves
 * it raw when that throws). For params.prefix "" the value is used as given (no header parsing). */
function expressValue (cookieStr, params) {
  const prefix = params.prefix === undefined ? 's:' : params.prefix
  if (prefix === '') return cookieStr
  const got = cookie.parse(EXPRESS_SESSION_COOKIE + '=' + cookieStr)[EXPRESS_SESSION_COOKIE]
  return got === undefined ? '' : got
}

function expressLoad (cookieStr, keys, params) {
  params = params || {}
  const prefix = params.prefix === undefined ? 's:' : params.prefix
  if (prefix !== 's:' && prefix !== '') throw new Error('express prefix must be "s:" or ""')
  const secrets = keys.map(keyValue)
  const value = expressValue(cookieStr, params)
  let body
  if (prefix === 's:') {
    // cookie-parser signedCookie(): non-"s:" strings are returned unchanged (unsigned);
    // express-session getcookie(): `raw.substr(0, 2) === 's:'` else "cookie unsigned".
    if (value.substr(0, 2) !== 's:') return { result: 'unsigned', value, keyIndex: null }
    body = value.slice(2)
  } else {
    body = value
  }
  // express-session unsigncookie(): for each secret in order, cookie-signature.unsign; first
  // non-false wins (cookie-parser signedCookie does the same loop). For prefix "" the bare
  // cookie-signature 1.2.2 unsign is called the same way.
  const unsign = prefix === 's:' ? esSig.unsign : sig122.unsign
  for (let i = 0; i < secrets.length; i++) {
    const r = unsign(body, secrets[i])
    if (r !== false) return { result: 'ok', value: r, keyIndex: i, body }
  }
  return { result: 'false', value: false, keyIndex: null, body }
}

/** cookie-parser's own signedCookie(str, secrets) (cookie-signature 1.0.6, string secrets only)
 * must agree with expressLoad for "s:" cookies. */
function expressCookieParserCheck (cookieStr, keys, params, load) {
  if ((params.prefix === undefined ? 's:' : params.prefix) !== 's:') return
  if (!keys.every(k => 'text' in k)) return // 1.0.6 throws "Secret string must be provided."
  const value = expressValue(cookieStr, params)
  const r = cookieParser.signedCookie(value, keys.map(keyValue))
  if (load.result === 'ok' && r !== load.value) throw new Error('cookie-parser disagrees (ok)')
  if (load.result === 'false' && r !== false) throw new Error('cookie-parser disagrees (false)')
  if (load.result === 'unsigned' && r !== value) throw new Error('cookie-parser disagrees (unsigned)')
}

function expressStructurallyMalformed (cookieStr, params) {
  const prefix = params.prefix === undefined ? 's:' : params.prefix
  const value = expressValue(cookieStr, params)
  if (prefix === 's:') {
    if (value.substr(0, 2) !== 's:') return true
    return value.slice(2).lastIndexOf('.') === -1
  }
  return value.lastIndexOf('.') === -1
}

function expressEvaluate (cookieStr, keys, params, opts) {
  params = params || {}
  const load = expressLoad(cookieStr, keys, params)
  expressCookieParserCheck(cookieStr, keys, params, load)
  const malformed = opts && opts.malformed !== undefined
    ? opts.malformed : expressStructurallyMalformed(cookieStr, params)
  let status = EXPRESS_STATUS[load.result]
  if (status === 'bad-signature' && malformed) status = 'malformed'
  let payload = null
  if (load.result === 'ok') payload = load.value
  else if (load.result === 'false' && load.body.lastIndexOf('.') !== -1) {
    payload = load.body.slice(0, load.body.lastIndexOf('.'))
  }
  return {
    library_result: load.result,
    library_value: load.value,
    status,
    payload,
    signed_at: null,
    key_index: load.keyIndex,
    compressed: false,
    lenient_base64: false
  }
}

function expressResign (payload, key, params) {
  const prefix = params.prefix === undefined ? 's:' : params.prefix
  if (prefix === '') return sig122.sign(payload, keyValue(key))
  // express-session setcookie(): cookie.serialize(name, 's:' + signature.sign(val, secret), opts)
  // (express res.cookie(name, val, {signed: true}) does the same with the same encoder).
  const header = cookie.serialize(EXPRESS_SESSION_COOKIE, 's:' + esSig.sign(payload, keyValue(key)))
  return header.slice(EXPRESS_SESSION_COOKIE.length + 1)
}

// ================================================================================================
// keygrip: cookies + keygrip (name / name.sig), cookie-session body
// ================================================================================================

const KEYGRIP_STATUS = {
  ok: 'valid',
  'ok:sig-reissued': 'valid',
  'undefined:bad-sig': 'bad-signature',
  'undefined:no-sig': 'malformed',
  'undefined:no-cookie': 'malformed',
  'new-session:undecodable': 'malformed',
  'new-session:empty-value': 'malformed'
}

function kgParams (params) {
  return {
    name: params.cookie_name || 'session',
    digest: params.digest || 'sha1',
    encoding: params.encoding || 'json-base64'
  }
}

/** cookie-session's decode(): JSON.parse(Buffer.from(str, 'base64').toString('utf8')). */
function cookieSessionDecode (str) {
  return JSON.parse(Buffer.from(str, 'base64').toString('utf8'))
}

function cookieSessionEncode (obj) {
  return Buffer.from(JSON.stringify(obj)).toString('base64')
}

function keygripLoad (cookieHeader, keys, params) {
  const p = kgParams(params || {})
  const secrets = keys.map(keyValue)
  const grip = new Keygrip(secrets, p.digest)
  // The raw parts exactly as `cookies` extracts them (first match, quotes stripped).
  const plain = fakeReqRes(cookieHeader)
  const raw = new Cookies(plain.req, plain.res).get(p.name)
  const sig = new Cookies(plain.req, plain.res).get(p.name + '.sig')
  // cookies.get(name, {signed: true}) with Keygrip(keys, digest)
  const a = fakeReqRes(cookieHeader)
  const got = new Cookies(a.req, a.res, { keys: grip }).get(p.name, { signed: true })
  const headers = setCookieList(a.res)
  let result
  let keyIndex = null
  if (raw === undefined) result = 'undefined:no-cookie'
  else if (got !== undefined) {
    keyIndex = grip.index(p.name + '=' + raw, sig)
    result = keyIndex === 0 ? 'ok' : 'ok:sig-reissued'
    if (keyIndex > 0 && !(headers.length === 1 && headers[0].startsWith(p.name + '.sig=' + grip.sign(p.name + '=' + raw) + ';'))) {
      throw new Error('expected the .sig cookie to be re-issued with keys[0]: ' + headers)
    }
    if (keyIndex === 0 && headers.length) throw new Error('unexpected Set-Cookie ' + headers)
  } else if (!sig) result = 'undefined:no-sig'
  else {
    result = 'undefined:bad-sig'
    if (!(headers.length === 1 && headers[0].startsWith(p.name + '.sig=;'))) {
      throw new Error('expected the .sig cookie to be cleared: ' + headers)
    }
  }
  let session
  if (p.encoding === 'json-base64') {
    // The real cookie-session middleware on the same request.
    const b = fakeReqRes(cookieHeader)
    const mw = cookieSession({ name: p.name, keys: new Keygrip(secrets, p.digest) })
    mw(b.req, b.res, () => {})
    const s = b.req.session
    session = JSON.parse(JSON.stringify(s))
    const loaded = !s.isNew
    if (result === 'ok' || result === 'ok:sig-reissued') {
      if (!loaded) {
        if (raw === '') result = 'new-session:empty-value'
        else {
          let threw = false
          try { cookieSessionDecode(raw) } catch (e) { threw = true }
          if (!threw) throw new Error('cookie-session did not load a decodable session')
          result = 'new-session:undecodable'
        }
      }
    } else if (loaded) throw new Error('cookie-session loaded a session cookies.get rejected')
  }
  return { result, value: got, raw, sig, keyIndex, reissued: headers, session, p }
}

/** Signet's payload for the parts present: the raw value (encoding raw) or the cookie-session
 * JSON (null when it does not decode). */
function keygripPayload (raw, p) {
  if (raw === undefined) return null
  if (p.encoding === 'raw') return raw
  try { return cookieSessionDecode(raw) } catch (e) { return null }
}

function keygripNonCanonical (raw, p) {
  if (raw === undefined || p.encoding !== 'json-base64') return false
  return Buffer.from(raw, 'base64').toString('base64') !== raw
}

function keygripKeyIndex (raw, sig, keys, p) {
  if (raw === undefined || !sig) return null
  for (let i = 0; i < keys.length; i++) {
    if (new Keygrip([keyValue(keys[i])], p.digest).verify(p.name + '=' + raw, sig)) return i
  }
  return null
}

function keygripEvaluate (cookieHeader, keys, params) {
  params = params || {}
  const load = keygripLoad(cookieHeader, keys, params)
  const status = KEYGRIP_STATUS[load.result]
  const payload = keygripPayload(load.raw, load.p)
  const keyIndex = keygripKeyIndex(load.raw, load.sig, keys, load.p)
  if ((load.result === 'ok' || load.result === 'ok:sig-reissued') && keyIndex !== load.keyIndex) {
    throw new Error('key index mismatch')
  }
  return {
    library_result: load.result,
    library_value: load.p.encoding === 'json-base64' ? load.session : load.value,
    reissued: load.reissued,
    status,
    payload,
    signed_at: null,
    key_index: keyIndex,
    compressed: false,
    lenient_base64: keyIndex !== null && payload !== null && keygripNonCanonical(load.raw, load.p)
  }
}

/** cookies.set(name, value, {signed: true}) with Keygrip([key], digest): returns
 * {fragment: "name=value; name.sig=sig", headers: [...]} */
function keygripSet (name, value, keys, digest, cookieOpts) {
  const { req, res } = fakeReqRes(undefined)
  const jar = new Cookies(req, res, { keys: new Keygrip(keys.map(keyValue), digest || 'sha1') })
  jar.set(name, value, Object.assign({ signed: true }, cookieOpts || {}))
  const headers = setCookieList(res)
  return { fragment: fragmentFromSetCookies(headers, name), headers }
}

function fragmentFromSetCookies (headers, name) {
  const pair = h => h.split(';', 1)[0]
  const v = headers.map(pair).find(x => x.startsWith(name + '='))
  const s = headers.map(pair).find(x => x.startsWith(name + '.sig='))
  if (v === undefined || s === undefined) throw new Error('no signed pair in ' + headers)
  return v + '; ' + s
}

function keygripResign (payload, key, params) {
  const p = kgParams(params || {})
  const value = p.encoding === 'raw' ? payload : cookieSessionEncode(payload)
  return keygripSet(p.name, value, [key], p.digest).fragment
}

// ================================================================================================
// jwt: jsonwebtoken
// ================================================================================================

function b64urlDecodeJson (part) {
  return JSON.parse(Buffer.from(part, 'base64').toString('utf8'))
}

/** The only algorithms Signet's jwt format verifies with a secret. */
const HMAC_ALGS = ['HS256', 'HS384', 'HS512']

function jwtVerifyOptions (now, params, maxAge, leeway) {
  const o = { clockTimestamp: now }
  if (params.algorithms) o.algorithms = params.algorithms.slice()
  if (leeway) o.clockTolerance = leeway
  if (maxAge !== undefined && maxAge !== null && maxAge !== 'none') o.maxAge = maxAge
  return o
}

function errText (e) {
  // SyntaxError messages differ between Node versions: keep the class name only.
  if (e.name === 'SyntaxError') return 'SyntaxError'
  return e.name + ': ' + e.message
}

/** jwt.verify with each secret in Signet order; the first call that gets past the signature check
 * (ok, or a claim error such as TokenExpiredError) decides; when every secret fails with
 * 'invalid signature' that is the result; other errors (malformed, invalid algorithm, ...) do not
 * depend on the key and come from the first call. */
function jwtLoad (token, keys, params, now, maxAge, leeway) {
  const opts = jwtVerifyOptions(now, params || {}, maxAge, leeway)
  const outcomes = keys.map(k => {
    try {
      return { ok: true, value: frozen(now, () => jwt.verify(token, keyValue(k), Object.assign({}, opts))) }
    } catch (e) {
      return { ok: false, err: e, text: errText(e) }
    }
  })
  const past = outcomes.findIndex(o => o.ok || o.text !== 'JsonWebTokenError: invalid signature')
  const o = past === -1 ? outcomes[0] : outcomes[past]
  return o.ok ? { result: 'ok', value: o.value } : { result: o.text, err: o.err }
}

const JWT_MALFORMED_RESULTS = new Set([
  'JsonWebTokenError: jwt must be provided',
  'JsonWebTokenError: jwt malformed',
  'JsonWebTokenError: invalid token',
  'JsonWebTokenError: jwt signature is required',
  'JsonWebTokenError: invalid exp value',
  'JsonWebTokenError: invalid nbf value',
  'JsonWebTokenError: iat required when maxAge is specified',
  'SyntaxError'
])

function jwtStatusOf (result) {
  if (result === 'ok') return 'valid'
  if (result.startsWith('TokenExpiredError:')) return 'expired'
  if (result.startsWith('NotBeforeError:')) return 'not-yet-valid'
  if (JWT_MALFORMED_RESULTS.has(result)) return 'malformed'
  if (result === 'JsonWebTokenError: invalid signature' ||
      result === 'JsonWebTokenError: invalid algorithm' ||
      result.startsWith('JsonWebTokenError: secretOrPublicKey must be')) return 'bad-signature'
  throw new Error('unmapped jsonwebtoken result ' + result)
}

/** The header as jws decodes it (null when it does not decode). */
function jwtHeader (token) {
  if (typeof token !== 'string') return null
  try {
    const d = jws.decode(token)
    return d ? d.header : null
  } catch (e) {
    // jws.decode parsed the header, then JSON.parse of a typ:JWT payload threw: the header as
    // jws's headerFromJWS reads it (base64 -> 'binary' string -> JSON.parse).
    return JSON.parse(Buffer.from(token.split('.', 1)[0], 'base64').toString('binary'))
  }
}

/** Structurally malformed (status forced to malformed): not three dot-separated parts the jws
 * regex accepts, header not JSON, or a header alg that is not exactly HS256/HS384/HS512 (missing,
 * "none" in any case, "hs256", RS256/ES256/PS256...: not an HMAC JWT, so no secret could verify
 * it -- the same decision as tests/interop/gen_pyjwt.py). An HS* alg outside a pinned
 * params.algorithms is NOT malformed: jsonwebtoken says "invalid algorithm" -> bad-signature. */
function jwtStructurallyMalformed (token) {
  if (!token || token.split('.').length !== 3) return true
  const h = jwtHeader(token)
  if (!h || typeof h !== 'object') return true
  return !HMAC_ALGS.includes(h.alg)
}

function jwtDecodePayload (token) {
  try {
    return jwt.decode(token) // the library's decoder: object when JSON, else the string
  } catch (e) {
    return null
  }
}

/** Signature only, each key alone in Signet order, with the library's own pieces: the header alg
 * must be one jsonwebtoken would accept for a secret (HS256/384/512, and in params.algorithms
 * when pinned), the key must be one jsonwebtoken treats as a secret (a PEM/DER public key becomes
 * an asymmetric KeyObject and is refused for HS*), and jws.verify(token, alg, key) must hold. No
 * claim checks (an expired token still has a key_index) and no payload decoding (a validly signed
 * token whose payload is not JSON still has one). */
function jwtKeyIndex (token, keys, params) {
  const h = jwtHeader(token)
  if (!h || typeof h !== 'object' || !HMAC_ALGS.includes(h.alg)) return null
  const allowed = (params && params.algorithms) || HMAC_ALGS
  if (!allowed.includes(h.alg)) return null
  for (let i = 0; i < keys.length; i++) {
    const kv = keyValue(keys[i])
    let publicKey = true
    try { crypto.createPublicKey(kv) } catch (e) { publicKey = false }
    if (publicKey) continue
    try {
      if (jws.verify(token, h.alg, kv)) return i
    } catch (e) {
      // not verifiable with this key
    }
  }
  return null
}

function jwtNonCanonical (token) {
  const parts = token.split('.')
  return parts.slice(0, 2).some(p => Buffer.from(p, 'base64').toString('base64url') !== p)
}

function jwtEvaluate (token, keys, params, now, maxAge, leeway, opts) {
  params = params || {}
  const load = jwtLoad(token, keys, params, now, maxAge, leeway || 0)
  let status = jwtStatusOf(load.result)
  const malformed = opts && opts.malformed !== undefined
    ? opts.malformed : jwtStructurallyMalformed(token)
  if (malformed) status = 'malformed'
  const payload = malformed && !jwtHeader(token) ? null : jwtDecodePayload(token)
  const signedAt = payload && typeof payload === 'object' && typeof payload.iat === 'number'
    ? payload.iat : null
  const keyIndex = jwtKeyIndex(token, keys, params)
  return {
    library_result: load.result,
    library_value: load.value,
    status,
    payload: payload === undefined ? null : payload,
    signed_at: signedAt,
    key_index: keyIndex,
    compressed: false,
    lenient_base64: keyIndex !== null && jwtNonCanonical(token)
  }
}

/** Re-sign with the library's signing primitive (jsonwebtoken's sign() is jws.sign({header,
 * payload, secret}) after building the header; calling jws.sign keeps params.header's member
 * order exactly). */
function jwtResign (payload, key, params) {
  return jws.sign({ header: params.header, payload, secret: keyValue(key), encoding: 'utf8' })
}

// ================================================================================================
// dispatch

const FORMATS = ['express', 'keygrip', 'jwt']

function evaluate (format, cookieStr, keys, params, now, maxAge, leeway, opts) {
  if (format === 'express') return expressEvaluate(cookieStr, keys, params, opts)
  if (format === 'keygrip') return keygripEvaluate(cookieStr, keys, params)
  if (format === 'jwt') return jwtEvaluate(cookieStr, keys, params, now, maxAge, leeway, opts)
  throw new Error('unsupported format ' + format)
}

function resign (format, payload, key, params, signedAt) {
  if (format === 'express') return expressResign(payload, key, params || {})
  if (format === 'keygrip') return keygripResign(payload, key, params || {})
  if (format === 'jwt') return frozen(signedAt || 0, () => jwtResign(payload, key, params || {}))
  throw new Error('unsupported format ' + format)
}

function versions () {
  const v = p => require(p + '/package.json').version
  return {
    express: v('express'),
    'express-session': v('express-session'),
    'cookie-parser': v('cookie-parser'),
    'cookie-signature': v('cookie-signature'),
    'cookie-signature (cookie-parser)': v('cookie-parser/node_modules/cookie-signature'),
    'cookie-signature (express-session, express)': v('express-session/node_modules/cookie-signature'),
    cookie: v('cookie'),
    cookies: v('cookies'),
    keygrip: v('keygrip'),
    'cookie-session': v('cookie-session'),
    jsonwebtoken: v('jsonwebtoken'),
    jws: v('jws'),
    jwa: v('jwa'),
    node: process.versions.node.split('.')[0]
  }
}

module.exports = {
  FORMATS,
  EXPRESS_SESSION_COOKIE,
  keyValue,
  keyBytes,
  frozen,
  realDateNow,
  fakeReqRes,
  evaluate,
  resign,
  versions,
  expressEvaluate,
  expressLoad,
  expressValue,
  expressStructurallyMalformed,
  keygripEvaluate,
  keygripSet,
  fragmentFromSetCookies,
  cookieSessionEncode,
  cookieSessionDecode,
  jwtEvaluate,
  jwtStructurallyMalformed,
  jwtHeader,
  b64urlDecodeJson,
  libs: { cookie, cookieParser, sig122, esSig, Cookies, Keygrip, cookieSession, jwt, jws, crypto }
}

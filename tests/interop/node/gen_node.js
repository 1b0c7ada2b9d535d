#!/usr/bin/env node
'use strict'
/*
 * Generate tests/vectors/node.json with the REAL Node libraries (pinned in package.json):
 *
 *     (cd tests/interop/node && npm ci)
 *     node tests/interop/node/gen_node.js > tests/vectors/node.json
 *
 * Formats (Signet format ids, shared/contract.md): express, keygrip, jwt.
 *
 * Rules (tests/vectors/README.md, mirrored from tests/interop/gen_itsdangerous.py):
 *   * every cookie comes from the library: express-session / cookie-parser+res.cookie /
 *     cookie-session / cookies apps served by a real Express on 127.0.0.1 (ephemeral port, closed at
 *     the end) and read from the real Set-Cookie headers; bare cookie-signature.sign(); jwt.sign().
 *     "tampered" cookies are library output edited afterwards; a few deliberately odd cookies are
 *     signed by hand with the library's own primitives (cookie-signature.sign, cookies.set,
 *     jws.sign) or, for the RS256-header token, with node:crypto HMAC (marked SIGNED-BY-HAND);
 *   * time is frozen: Date.now is replaced by a fixed clock (the only clock these libraries read);
 *     session ids come from a deterministic `genid`; no randomness anywhere: running it twice
 *     gives the same bytes;
 *   * every expectation comes from calling the library at `now` (node_common.evaluate):
 *     library_result is what the library returned/threw; status is derived from it EXCEPT for the
 *     cases marked `malformed: true` (STRUCTURALLY MALFORMED), which become "malformed" (checked
 *     against node_common's heuristic, which accept.js uses);
 *   * key_index: each key alone, in the framework's order (= Signet's list order for all three);
 *   * express and keygrip vectors are additionally replayed through the real middleware over HTTP
 *     (express-session with a store that knows every id, cookie-parser, cookie-session, cookies)
 *     and must behave as library_result says;
 *   * `resign: true` is only set after re-signing expect.payload with keys[key_index] through the
 *     library gave `cookie` back byte for byte.
 *
 * Extensions of the vector schema (see node_common.js for the exact semantics):
 *   express  cookie  = the value as sent in Set-Cookie (URL-encoded "s%3A..."), or a bare
 *                      cookie-signature output when params.prefix is "";
 *            params.prefix "" = bare cookie-signature sign()/unsign() (no "s:", no URL encoding);
 *                      missing = the cookie-parser / express-session "s:" cookie;
 *            payload = the unsigned string (for "j:" cookies the "j:..." string itself);
 *            library_result: "ok" | "false" (unsign failed for every secret) | "unsigned" (no "s:"
 *                      prefix: cookie-parser passes it through unchanged).
 *   keygrip  cookie  = "name=value; name.sig=sig" (a Cookie header fragment);
 *            params.cookie_name (always given), params.digest (keygrip algorithm; missing = sha1),
 *            params.encoding "raw" (a plain `cookies` value; payload = the string); missing =
 *                      cookie-session's base64(JSON) body (payload = the decoded JSON);
 *            library_result: "ok" | "ok:sig-reissued" (index > 0: cookies re-issues name.sig with
 *                      keys[0]) | "undefined:bad-sig" (name.sig cleared) | "undefined:no-sig" |
 *                      "undefined:no-cookie" | "new-session:undecodable" | "new-session:empty-value"
 *                      (cookie-session started an empty session after a good signature).
 *   jwt      top-level "leeway" (always present) = jwt.verify clockTolerance; "max_age" (only
 *                      where used) = jwt.verify maxAge in seconds;
 *            params.header = the JOSE header exactly as encoded (member order kept);
 *            params.algorithms = a pinned jwt.verify algorithms list (only where pinned);
 *            params.dialect "javascript" (always) = jsonwebtoken's rules and JSON.stringify
 *                      spelling (Signet FormatParams.dialect);
 *            library_result: "ok" | "<ErrorClass>: <message>" | "SyntaxError" (message dropped:
 *                      it differs between Node versions);
 *            signed_at = the iat claim when it is a number, else null.
 *
 * Status decisions (not dictated by the library): express "unsigned" -> malformed; keygrip
 * missing name.sig / missing value / cookie-session body that does not decode / the validly
 * signed empty value of a cleared session -> malformed; jwt alg other than exactly
 * HS256/HS384/HS512 (none in any case, missing, lowercase, RS256...) -> malformed (as
 * gen_pyjwt.py), an HS* alg outside params.algorithms -> bad-signature, a PEM public key used as
 * the HMAC secret -> bad-signature, jsonwebtoken's "invalid token"/"jwt malformed"/claim-type
 * errors/"iat required when maxAge is specified" -> malformed.
 */

const http = require('http')
const crypto = require('crypto')
const assert = require('assert')
const express = require('express')
const session = require('express-session')
const cookieParser = require('cookie-parser')
const cookieSession = require('cookie-session')
const Cookies = require('cookies')
const Keygrip = require('keygrip')
const sig122 = require('cookie-signature')
const jwt = require('jsonwebtoken')
const jws = require('jws')

const C = require('./node_common')

const T0 = 1767225000 // 2025-12-31T23:50:00Z, the usual signing time
const NOW = T0 + 600 // 2026-01-01T00:00:00Z, the usual verification time

// The one clock every library here reads.
let CLOCK = T0
Date.now = () => CLOCK * 1000

const VECTORS = []
const NAMES = new Set()
const PENDING = [] // async request checks

const K = text => ({ text })
const H = hex => ({ hex })
const sameKey = (a, b) => C.keyBytes(a).equals(C.keyBytes(b))

// ------------------------------------------------------------------------------------------------
// the recorder

function add (name, fmt, cookie, keys, o) {
  const full = fmt + '/' + name
  assert(!NAMES.has(full), 'duplicate ' + full)
  NAMES.add(full)
  let params = o.params || {}
  // jsonwebtoken's rules and JSON.stringify spelling (Signet's FormatParams.dialect).
  if (fmt === 'jwt') params = Object.assign({}, params, { dialect: 'javascript' })
  const now = o.now === undefined ? NOW : o.now
  const leeway = fmt === 'jwt' ? (o.leeway || 0) : undefined
  const malformed = !!o.malformed
  const ev = C.evaluate(fmt, cookie, keys, params, now, o.maxAge, leeway, { malformed })
  // explicit marking must agree with the heuristic accept.js uses
  if (fmt === 'express') {
    assert.strictEqual(C.expressStructurallyMalformed(cookie, params), malformed, full + ' heuristic')
  } else if (fmt === 'jwt') {
    assert.strictEqual(C.jwtStructurallyMalformed(cookie), malformed, full + ' heuristic')
  } else {
    assert.strictEqual(ev.status === 'malformed', malformed, full + ' keygrip malformed marking')
  }
  assert.strictEqual(ev.lenient_base64, !!o.lenient, full + ' lenient')
  if (o.expectResult !== undefined) assert.strictEqual(ev.library_result, o.expectResult, full)
  if (o.expectStatus !== undefined) assert.strictEqual(ev.status, o.expectStatus, full)
  let canResign = !o.tampered && o.signedBy !== undefined && ev.payload !== null &&
    ev.key_index !== null && sameKey(keys[ev.key_index], o.signedBy)
  if (canResign) {
    const again = C.resign(fmt, ev.payload, keys[ev.key_index], params, ev.signed_at)
    if (o.resign === false) {
      assert(o.noteResign, full + ': resign override needs a reason in the note')
    } else {
      assert.strictEqual(again, cookie, full + ' resign')
    }
  } else {
    assert(o.resign === undefined, full + ' resign override on a non-resignable vector')
  }
  if (o.resign === false) canResign = false
  const v = {
    name: full,
    format: fmt,
    input: o.input === undefined ? cookie : o.input,
    cookie,
    keys,
    params,
    now
  }
  if (o.maxAge !== undefined) v.max_age = o.maxAge
  if (fmt === 'jwt') v.leeway = leeway
  v.library_result = ev.library_result
  v.expect = {
    status: ev.status,
    payload: ev.payload,
    signed_at: ev.signed_at,
    key_index: ev.key_index,
    compressed: false,
    lenient_base64: ev.lenient_base64
  }
  v.resign = canResign
  v.note = o.note
  VECTORS.push(v)
  if (o.requestCheck !== false) {
    if (fmt === 'express') PENDING.push(() => expressRequestCheck(full, v, ev))
    if (fmt === 'keygrip') PENDING.push(() => keygripRequestCheck(full, v, ev))
  }
  return v
}

// ------------------------------------------------------------------------------------------------
// HTTP plumbing: one server on 127.0.0.1, the app to run is swapped per request

let currentApp = null
const server = http.createServer((req, res) => currentApp(req, res))

function listen () {
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server.address().port)))
}

let PORT = 0
function request (app, path, cookieHeader) {
  currentApp = app
  return new Promise((resolve, reject) => {
    const headers = {}
    if (cookieHeader !== undefined) headers.Cookie = cookieHeader
    const req = http.request({ host: '127.0.0.1', port: PORT, path, headers, agent: false }, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', d => { body += d })
      res.on('end', () => resolve({
        status: res.statusCode,
        setCookies: res.headers['set-cookie'] || [],
        body
      }))
    })
    req.on('error', reject)
    req.end()
  })
}

const headerSafe = s => /^[\t\x20-\x7e\x80-\xff]*$/.test(s)

// ------------------------------------------------------------------------------------------------
// tampering helpers (operate on library output)

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

function flipChar (s, i, alphabet) {
  const j = alphabet.indexOf(s[i])
  return s.slice(0, i) + alphabet[((j < 0 ? 0 : j) + 1) % 64] + s.slice(i + 1)
}

function lowBits (s, alphabet) {
  const j = alphabet.indexOf(s[s.length - 1])
  return s.slice(0, -1) + alphabet[j ^ 1]
}

// ================================================================================================
// EXPRESS
// ================================================================================================

let sidCounter = 0
/** Deterministic stand-in for uid-safe(24): 32 chars of base64url. */
function nextSid () {
  sidCounter += 1
  return crypto.createHash('sha256').update('signet-sid-' + sidCounter).digest('base64url').slice(0, 32)
}

function sessionApp ({ secret, store, rolling = false, genid = nextSid }) {
  const app = express()
  app.use(session({
    secret,
    store: store || new session.MemoryStore(),
    genid: () => genid(),
    resave: false,
    saveUninitialized: false,
    rolling
  }))
  app.get('/login', (req, res) => { req.session.user = 'ada'; res.json({ sid: req.sessionID }) })
  app.get('/whoami', (req, res) => res.json({ sid: req.sessionID, user: req.session.user || null }))
  return app
}

/** A login through express-session: returns the Set-Cookie line, the cookie value as sent and
 * the session id the app saw. */
async function sessionLogin (app) {
  const r = await request(app, '/login')
  assert.strictEqual(r.setCookies.length, 1, r.setCookies)
  const h = r.setCookies[0]
  assert(h.startsWith('connect.sid=s%3A'), h)
  return { line: 'Set-Cookie: ' + h, cookie: h.split(';', 1)[0].slice('connect.sid='.length), sid: JSON.parse(r.body).sid }
}

/** express-session with a store that knows every id: the check replays a cookie and sees whether
 * express-session accepted it (req.sessionID = the unsigned id) or started a new session. */
class ProbeStore extends session.Store {
  get (sid, cb) { cb(null, { cookie: { originalMaxAge: null, path: '/', httpOnly: true }, probe: sid }) }
  set (sid, sess, cb) { if (cb) cb() }
  destroy (sid, cb) { if (cb) cb() }
}

function probeApp (secrets) {
  const app = express()
  app.use(session({ secret: secrets, store: new ProbeStore(), genid: () => 'GENERATED', resave: false, saveUninitialized: false }))
  app.get('/probe', (req, res) => res.json({ sid: req.sessionID, probe: req.session.probe || null }))
  return app
}

function readerApp (secrets) {
  const app = express()
  app.use(cookieParser(secrets))
  app.get('/read', (req, res) => res.json({ signed: req.signedCookies, cookies: req.cookies }))
  app.use((err, req, res, next) => res.status(500).json({ error: err.name + ': ' + err.message })) // eslint-disable-line
  return app
}

async function expressRequestCheck (full, v, ev) {
  const params = v.params
  if ((params.prefix === undefined ? 's:' : params.prefix) !== 's:') return
  if (!headerSafe(v.cookie)) return
  const secrets = v.keys.map(C.keyValue)
  const header = 'connect.sid=' + v.cookie
  // 1. express-session
  const r = JSON.parse((await request(probeApp(secrets), '/probe', header)).body)
  if (ev.library_result === 'ok' && ev.payload !== '') {
    assert.strictEqual(r.sid, ev.payload, full + ' express-session sid')
    assert.strictEqual(r.probe, ev.payload, full + ' express-session store id')
  } else {
    assert.strictEqual(r.sid, 'GENERATED', full + ' express-session should start a new session')
  }
  // 2. cookie-parser
  const rr = await request(readerApp(secrets), '/read', header)
  if (!v.keys.every(k => 'text' in k)) {
    assert.strictEqual(rr.status, 500, full + ' cookie-parser with a Buffer secret')
    return
  }
  const got = JSON.parse(rr.body)
  const asJsonCookie = s => {
    const j = cookieParser.JSONCookie(s)
    return j ? j : s
  }
  if (ev.library_result === 'ok') {
    assert.deepStrictEqual(got.signed['connect.sid'], asJsonCookie(ev.payload), full + ' cookie-parser value')
    assert(!('connect.sid' in got.cookies), full)
  } else if (ev.library_result === 'false') {
    assert.strictEqual(got.signed['connect.sid'], false, full + ' cookie-parser false')
  } else {
    assert(!('connect.sid' in got.signed), full + ' unsigned not in signedCookies')
    if (v.cookie !== '') assert.deepStrictEqual(got.cookies['connect.sid'], asJsonCookie(C.expressValue(v.cookie, params)), full)
  }
}

function exInput (form, cookie, name = 'connect.sid') {
  if (form === 'bare') return cookie
  if (form === 'name') return name + '=' + cookie
  if (form === 'cookie-header') return 'Cookie: _ga=GA1.2.1234567890.1767225000; ' + name + '=' + cookie + '; theme=dark'
  if (form === 'decoded') return decodeURIComponent(cookie)
  throw new Error(form)
}

async function genExpress () {
  const fmt = 'express'
  const EK = K('keyboard cat')
  const NEW = K('new-secret-2026')
  const OLD = K('old-secret-2025')

  // ---- the contract's example (shared/check-contract) -----------------------------------------
  const CONTRACT_EX = 'connect.sid=s%3Aabc123.D7wygo5ZH1W6JLgj6nvEj%2FLJMWaDUGS%2F7079zeVMzXA'
  const ce = await sessionLogin(sessionApp({ secret: 'contract-express', genid: () => 'abc123' }))
  assert.strictEqual('connect.sid=' + ce.cookie, CONTRACT_EX, 'contract example is not what express-session writes')
  add('contract/example', fmt, ce.cookie, [K('contract-express')], {
    signedBy: K('contract-express'),
    input: CONTRACT_EX,
    note: 'the contract example input (shared/check-contract), reproduced by express-session with ' +
      'secret "contract-express" and genid() = "abc123"'
  })

  // ---- (a) express-session ---------------------------------------------------------------------
  let n = 'express-session (secret string), GET /login sets req.session.user; cookie = the ' +
    'Set-Cookie value as sent (cookie.serialize -> encodeURIComponent: "s:" -> "s%3A", "+" -> ' +
    '"%2B", "/" -> "%2F"); payload = the session id. '
  const a = await sessionLogin(sessionApp({ secret: 'keyboard cat' }))
  assert.strictEqual(C.expressLoad(a.cookie, [EK], {}).value, a.sid)
  add('session/set-cookie-line', fmt, a.cookie, [EK], { signedBy: EK, input: a.line, note: n + 'input: the whole Set-Cookie line' })
  add('session/name-value', fmt, a.cookie, [EK], { signedBy: EK, input: exInput('name', a.cookie), note: n + 'input: connect.sid=<value>' })
  add('session/cookie-header', fmt, a.cookie, [EK], { signedBy: EK, input: exInput('cookie-header', a.cookie), note: n + 'input: a Cookie header with other cookies around' })
  add('session/decoded', fmt, a.cookie, [EK], { signedBy: EK, input: exInput('decoded', a.cookie), note: n + 'input: the URL-decoded "s:<sid>.<sig>" value (as devtools may show it)' })
  add('session/bare', fmt, a.cookie, [EK], { signedBy: EK, note: n + 'input: the bare value as sent (URL-encoded)' })

  n = 'express-session secret: [new, old] (Signet keys in the same order; express-session signs ' +
    'with secret[0] and unsigns with each secret in order). '
  const b = await sessionLogin(sessionApp({ secret: ['new-secret-2026', 'old-secret-2025'] }))
  add('session/array-primary', fmt, b.cookie, [NEW, OLD], { signedBy: NEW, input: b.line, note: n + 'cookie issued by the [new, old] app -> key_index 0' })

  // old-key cookie, then the same store read by a [new, old] app
  const store = new session.MemoryStore()
  const c = await sessionLogin(sessionApp({ secret: 'old-secret-2025', store }))
  const after = await request(sessionApp({ secret: ['new-secret-2026', 'old-secret-2025'], store }), '/whoami', 'connect.sid=' + c.cookie)
  const seen = JSON.parse(after.body)
  assert.strictEqual(seen.sid, c.sid)
  assert.strictEqual(seen.user, 'ada')
  assert.strictEqual(after.setCookies.length, 0, 'express-session re-issued an old-key cookie')
  add('session/array-old-key', fmt, c.cookie, [NEW, OLD], {
    signedBy: OLD,
    input: c.line,
    note: n + 'cookie issued while secret was "old-secret-2025"; after rotation to [new, old] ' +
      'express-session loads the session (same id, req.session.user kept) via secret[1] -> ' +
      'key_index 1, and does NOT re-issue the cookie (no Set-Cookie: the id is unchanged and the ' +
      'cookie has no expiry; only rolling:true or a modified session with maxAge re-sign it)'
  })
  const rolled = await request(sessionApp({ secret: ['new-secret-2026', 'old-secret-2025'], store, rolling: true }), '/whoami', 'connect.sid=' + c.cookie)
  assert.strictEqual(rolled.setCookies.length, 1)
  const rolledCookie = rolled.setCookies[0].split(';', 1)[0].slice('connect.sid='.length)
  assert.strictEqual(C.expressLoad(rolledCookie, [NEW], {}).value, c.sid)
  add('session/rolling-reissued', fmt, rolledCookie, [NEW, OLD], {
    signedBy: NEW,
    input: 'Set-Cookie: ' + rolled.setCookies[0],
    note: n + 'the same old-key session read by a rolling:true [new, old] app: the response ' +
      're-issues the SAME session id signed with secret[0] -> key_index 0'
  })
  add('session/keys-reversed', fmt, b.cookie, [OLD, NEW], { signedBy: NEW, note: n + 'cookie signed by "new", app configured [old, new] -> key_index 1' })
  add('session/key-listed-twice', fmt, b.cookie, [NEW, NEW], { signedBy: NEW, note: n + 'the same secret twice: the first wins -> key_index 0' })
  add('session/wrong-key', fmt, a.cookie, [K('not keyboard cat')], {
    signedBy: EK,
    note: 'wrong secret: cookie-signature.unsign -> false (express-session: "cookie signature ' +
      'invalid", new session; cookie-parser: req.signedCookies[name] === false) -> bad-signature, ' +
      'payload = the id before the last "."'
  })
  add('session/wrong-keys-both', fmt, a.cookie, [NEW, OLD], { signedBy: EK, note: 'no secret of [new, old] signed it -> bad-signature' })

  const hexSecret = Buffer.from('00ff10fe8081c3deadbeef', 'hex')
  const d = await sessionLogin(sessionApp({ secret: hexSecret }))
  add('session/buffer-secret', fmt, d.cookie, [H('00ff10fe8081c3deadbeef')], {
    signedBy: H('00ff10fe8081c3deadbeef'),
    note: 'express-session secret given as a Buffer (not UTF-8): express-session 1.19.0 bundles ' +
      'cookie-signature 1.0.7, which accepts Buffers. (cookie-parser 1.4.7 bundles ' +
      'cookie-signature 1.0.6, which THROWS "Secret string must be provided." for a Buffer secret: ' +
      'reading this cookie through cookieParser(buffer) is HTTP 500.)'
  })
  add('session/bytes-key-vs-text', fmt, a.cookie, [H(Buffer.from('keyboard cat').toString('hex'))], {
    signedBy: H(Buffer.from('keyboard cat').toString('hex')),
    note: 'the secret "keyboard cat" given as hex bytes: the same HMAC key (strings are UTF-8)'
  })
  const odd = await sessionLogin(sessionApp({ secret: 'keyboard cat', genid: () => 'user.42:Zoë/日本 100%+ok' }))
  add('session/genid-unusual-id', fmt, odd.cookie, [EK], {
    signedBy: EK,
    input: odd.line,
    note: 'genid returning "user.42:Zoë/日本 100%+ok": dots inside the id are fine (unsign splits ' +
      'at the LAST "."), non-ASCII/%/+/space are percent-encoded by cookie.serialize; payload is ' +
      'the decoded id'
  })

  // tampering
  n = 'library output edited afterwards (URL-decoded, edited, re-encoded with encodeURIComponent ' +
    'as a browser would resend it) -> cookie-signature.unsign false -> bad-signature. '
  const dec = decodeURIComponent(a.cookie)
  const [, sidPart, sigPart] = /^s:(.*)\.([^.]*)$/.exec(dec)
  const enc = s => encodeURIComponent(s)
  add('tamper/session-id-char', fmt, enc('s:' + flipChar(sidPart, 3, URL) + '.' + sigPart), [EK], { tampered: true, note: n + 'one char of the session id changed' })
  add('tamper/signature-char', fmt, enc('s:' + sidPart + '.' + flipChar(sigPart, 0, STD)), [EK], { tampered: true, note: n + 'first signature char changed' })
  add('tamper/signature-truncated', fmt, enc('s:' + sidPart + '.' + sigPart.slice(0, -1)), [EK], { tampered: true, note: n + 'last signature char removed' })
  add('tamper/signature-unused-bits', fmt, enc('s:' + sidPart + '.' + lowBits(sigPart, STD)), [EK], {
    tampered: true,
    note: n + 'only the 2 unused low bits of the last signature char changed (decodes to the same ' +
      'MAC bytes): cookie-signature compares the whole STRING, so this fails (no lenient base64)'
  })
  add('tamper/signature-padding-raw', fmt, a.cookie + '=', [EK], {
    tampered: true,
    note: n + 'a trailing "=" appended to the signature (raw "="): sign() strips "=" padding and ' +
      'unsign compares strings -> false'
  })
  add('tamper/signature-padding-encoded', fmt, a.cookie + '%3D', [EK], { tampered: true, note: n + 'the same "=" appended percent-encoded (%3D)' })
  // a cookie whose signature contains '+' or '/'
  let e = null
  for (let i = 0; i < 50 && !e; i++) {
    const x = await sessionLogin(sessionApp({ secret: 'keyboard cat' }))
    const s = decodeURIComponent(x.cookie).split('.').pop()
    if (/[+/]/.test(s)) e = x
  }
  assert(e, 'no signature with + or /')
  const eDec = decodeURIComponent(e.cookie)
  const eSig = eDec.split('.').pop()
  const eBody = eDec.slice(0, eDec.length - eSig.length)
  add('session/signature-plus-slash', fmt, e.cookie, [EK], { signedBy: EK, input: e.line, note: 'a cookie whose signature contains "+" or "/" (sent as %2B / %2F)' })
  add('tamper/signature-urlsafe-alphabet', fmt, enc(eBody + eSig.replace(/\+/g, '-').replace(/\//g, '_')), [EK], {
    tampered: true,
    note: n + 'the same signature rewritten in the URL-safe alphabet ("-"/"_"): cookie-signature ' +
      'uses STANDARD base64, so it no longer matches'
  })

  // unsigned / odd encodings
  n = 'STRUCTURALLY MALFORMED (status forced to malformed): '
  add('unsigned/prefix-removed', fmt, enc(dec.slice(2)), [EK], {
    malformed: true,
    tampered: true,
    note: n + '"s:" prefix removed ("<sid>.<sig>"): cookie-parser returns non-"s:" values ' +
      'unchanged as UNSIGNED cookies (library_result "unsigned") and express-session ignores them ' +
      '("cookie unsigned", new session). Signet: not a signed express cookie.'
  })
  add('unsigned/double-encoded', fmt, enc(a.cookie), [EK], {
    malformed: true,
    tampered: true,
    note: n + 'the cookie percent-encoded twice ("s%253A..."): one decode gives "s%3A..." which ' +
      'does not start with "s:" -> unsigned'
  })
  const RF = ' (resign false: the library writes the canonical percent-encoded value)'
  add('input/quoted', fmt, '"' + a.cookie + '"', [EK], {
    signedBy: EK,
    resign: false,
    noteResign: true,
    note: 'value in double quotes: cookie.parse strips one pair of surrounding quotes -> valid' + RF
  })
  add('input/lowercase-escapes', fmt, a.cookie.replace(/%[0-9A-F]{2}/g, m => m.toLowerCase()), [EK], {
    signedBy: EK,
    resign: false,
    noteResign: true,
    note: 'percent escapes in lower case ("s%3a", "%2b"): decodeURIComponent accepts them -> valid' + RF
  })
  add('input/not-url-encoded', fmt, dec, [EK], {
    signedBy: EK,
    resign: false,
    noteResign: true,
    note: 'the value sent WITHOUT URL encoding ("s:<sid>.<sig>" with raw "+"/"/"): cookie.parse ' +
      'only decodes values containing "%", so it is used as is -> valid' + RF
  })
  add('malformed/empty', fmt, '', [EK], {
    malformed: true,
    note: n + 'empty value: cookie-parser returns "" unchanged (unsigned); express-session skips it'
  })
  add('malformed/prefix-only', fmt, 's%3A', [EK], { malformed: true, note: n + '"s:" and nothing else -> unsign("") false' })
  add('malformed/no-dot', fmt, enc('s:' + sidPart), [EK], {
    malformed: true,
    tampered: true,
    note: n + '"s:<sid>" without ".<sig>": lastIndexOf(".") is -1 so unsign re-signs ' +
      'input.slice(0, -1) -> false'
  })
  add('unsigned/plain-value', fmt, 'abc123', [EK], {
    malformed: true,
    note: n + 'a plain unsigned value: cookie-parser passes it through unchanged (req.cookies, not ' +
      'req.signedCookies) -> library_result "unsigned"'
  })
  add('unsigned/bad-percent-encoding', fmt, '%E0%A4%A', [EK], {
    malformed: true,
    note: n + 'invalid percent-encoding: decodeURIComponent throws, cookie.parse keeps the raw text ' +
      '-> not "s:" -> unsigned'
  })

  // ---- (b) cookie-parser + res.cookie(name, value, {signed: true}) ----------------------------
  const CPK = K('cookie-parser-secret')
  let cur = null
  function setterApp (secrets) {
    const app = express()
    app.use(cookieParser(secrets))
    app.get('/set', (req, res) => {
      res.cookie(cur.name, cur.value, Object.assign({ signed: true }, cur.opts || {}))
      res.end('ok')
    })
    return app
  }
  async function resCookie (name, value, secrets, opts) {
    cur = { name, value, opts }
    const r = await request(setterApp(secrets), '/set')
    assert.strictEqual(r.setCookies.length, 1)
    const h = r.setCookies[0]
    return { line: 'Set-Cookie: ' + h, cookie: h.split(';', 1)[0].slice(name.length + 1) }
  }
  async function readSigned (secrets, name, cookieVal) {
    const r = await request(readerApp(secrets), '/read', name + '=' + cookieVal)
    return JSON.parse(r.body)
  }
  n = 'cookie-parser 1.4.7 + express 4 res.cookie(name, value, {signed: true}): value = "s:" + ' +
    'cookie-signature.sign(String(value), req.secret) (objects: "j:" + JSON.stringify(value)), ' +
    'URL-encoded; payload = what signedCookie(str, secrets) returns (a string). '
  const cpCases = [
    ['string', 'user', 'ada', 'a plain string'],
    ['dots', 'user', 'user.42.admin', 'dots inside the value (unsign splits at the last ".")'],
    ['unicode', 'name', 'Zoë 日本 😀', 'non-ASCII: HMAC over the UTF-8 bytes, percent-encoded in the header'],
    ['special-chars', 'q', '100% a;b c=d,e "q"', '"%", ";", space, "=", "," and quotes: all percent-encoded'],
    ['number', 'n', 42, 'res.cookie(name, 42): String(42) = "42"'],
    ['empty-string', 'e', '', 'res.cookie(name, ""): sign("") = "." + MAC -> "s:.<sig>"; cookie-parser returns "" (valid; express-session would treat an empty id as no session)']
  ]
  for (const [label, name, value, what] of cpCases) {
    const r = await resCookie(name, value, 'cookie-parser-secret')
    const got = await readSigned('cookie-parser-secret', name, r.cookie)
    assert.strictEqual(got.signed[name], String(value))
    add('cookie-parser/' + label, fmt, r.cookie, [CPK], { signedBy: CPK, input: r.line, note: n + what })
  }
  const jsonCases = [
    ['object', 'prefs', { user: 'ada', roles: ['admin', 'dev'], n: 1 }, 'an object'],
    ['array', 'list', [1, 'two', { three: 3 }], 'an array'],
    ['null', 'nothing', null, 'null: typeof null is "object" -> "j:null"; JSONCookie parses it to null, which is falsy, so req.signedCookies keeps the STRING "j:null"'],
    ['json-string-set-as-string', 'prefs2', 'j:{"a":1}', 'the STRING \'j:{"a":1}\' (not an object): signed identically to the object {a:1}; req.signedCookies parses it to {a:1} all the same'],
    ['json-invalid', 'broken', 'j:{oops', 'the string "j:{oops": JSONCookie fails to parse, req.signedCookies keeps the string']
  ]
  for (const [label, name, value, what] of jsonCases) {
    const r = await resCookie(name, value, 'cookie-parser-secret')
    const got = await readSigned('cookie-parser-secret', name, r.cookie)
    const str = typeof value === 'object' ? 'j:' + JSON.stringify(value) : value
    const parsed = cookieParser.JSONCookie(str)
    assert.deepStrictEqual(got.signed[name], parsed ? parsed : str)
    add('cookie-parser/j-' + label, fmt, r.cookie, [CPK], {
      signedBy: CPK,
      input: r.line,
      note: n + 'j: JSON cookie, ' + what + '. DECISION: payload is the unsigned STRING ' +
        JSON.stringify(str) + ' (what signedCookie returns and what re-signs byte for byte); ' +
        'req.signedCookies[' + JSON.stringify(name) + '] is ' + JSON.stringify(got.signed[name]) +
        ' (cookieParser applies JSONCookies after unsigning: "j:" + JSON.parse, kept as the ' +
        'string when the parse fails or gives a falsy value)'
    })
  }
  const old = await resCookie('user', 'ada', 'old-secret-2025')
  const oldRead = await readSigned(['new-secret-2026', 'old-secret-2025'], 'user', old.cookie)
  assert.strictEqual(oldRead.signed.user, 'ada')
  add('cookie-parser/array-old-key', fmt, old.cookie, [NEW, OLD], {
    signedBy: OLD,
    input: old.line,
    note: n + 'set by cookieParser("old-secret-2025"), read by cookieParser([new, old]) -> ' +
      'key_index 1 (cookie-parser never re-issues cookies)'
  })
  const cpNew = await resCookie('user', 'ada', ['new-secret-2026', 'old-secret-2025'])
  add('cookie-parser/array-primary', fmt, cpNew.cookie, [NEW, OLD], { signedBy: NEW, input: cpNew.line, note: n + 'cookieParser([new, old]) signs with secrets[0] -> key_index 0' })
  const cpString = await resCookie('user', 'ada', 'cookie-parser-secret')
  const wrongRead = await readSigned('some-other-secret', 'user', cpString.cookie)
  assert.strictEqual(wrongRead.signed.user, false)
  assert(!('user' in wrongRead.cookies))
  add('cookie-parser/wrong-key', fmt, cpString.cookie, [K('some-other-secret')], {
    signedBy: CPK,
    note: 'wrong secret: req.signedCookies.user === false (the key is PRESENT with value false) ' +
      'and the cookie is removed from req.cookies -> bad-signature'
  })
  const cpDec = decodeURIComponent(cpString.cookie)
  add('cookie-parser/tamper-value', fmt, enc(cpDec.replace('s:ada.', 's:eve.')), [CPK], {
    tampered: true,
    note: 'value "ada" replaced by "eve", old signature kept -> false -> bad-signature (payload "eve")'
  })
  const unsignedApp = express()
  unsignedApp.get('/set', (req, res) => { res.cookie('user', 'plain'); res.cookie('prefs', { a: 1 }); res.end() })
  const ur = await request(unsignedApp, '/set')
  const plainCookie = ur.setCookies[0].split(';', 1)[0].slice('user='.length)
  const jsonCookie = ur.setCookies[1].split(';', 1)[0].slice('prefs='.length)
  add('unsigned/res-cookie-plain', fmt, plainCookie, [CPK], {
    malformed: true,
    input: 'Set-Cookie: ' + ur.setCookies[0],
    note: 'STRUCTURALLY MALFORMED: res.cookie("user", "plain") without signed: cookie-parser ' +
      'puts it in req.cookies (not req.signedCookies) -> library_result "unsigned"'
  })
  add('unsigned/res-cookie-json', fmt, jsonCookie, [CPK], {
    malformed: true,
    input: 'Set-Cookie: ' + ur.setCookies[1],
    note: 'STRUCTURALLY MALFORMED: res.cookie("prefs", {a: 1}) without signed -> "j%3A%7B%22a%22%3A1%7D"; ' +
      'req.cookies.prefs = {a: 1}, unsigned'
  })

  // ---- (c) bare cookie-signature 1.2.2 -------------------------------------------------------
  const BARE = { prefix: '' }
  const BK = K('tobiiscool')
  n = 'bare cookie-signature 1.2.2 sign(value, secret) = value + "." + base64(HMAC-SHA256) ' +
    'without "=" (params.prefix "": no "s:", no URL encoding); verified with unsign(value, secret) ' +
    'for each secret in order. '
  const bare = (value, key) => sig122.sign(value, C.keyValue(key))
  add('bare/hello', fmt, bare('hello', BK), [BK], { params: BARE, signedBy: BK, note: n + 'the README example' })
  add('bare/empty-value', fmt, bare('', BK), [BK], { params: BARE, signedBy: BK, note: n + 'sign("") = ".<sig>": a valid signature of the empty string' })
  add('bare/dots', fmt, bare('a.b.c', BK), [BK], { params: BARE, signedBy: BK, note: n + 'dots in the value' })
  add('bare/unicode', fmt, bare('héllo wörld ☃ 😀', BK), [BK], { params: BARE, signedBy: BK, note: n + 'non-ASCII value, HMAC over UTF-8, not encoded' })
  add('bare/json-text', fmt, bare('{"user":"ada","n":1}', BK), [BK], { params: BARE, signedBy: BK, note: n + 'JSON text as the value (payload is the string)' })
  add('bare/s-prefixed-value', fmt, bare('s:x', BK), [BK], { params: BARE, signedBy: BK, note: n + 'a value that itself starts with "s:" (with prefix "" it is just data)' })
  add('bare/buffer-secret', fmt, bare('hello', H('00ff7f80')), [H('00ff7f80')], { params: BARE, signedBy: H('00ff7f80'), note: n + 'Buffer secret (1.2.2 accepts string, ArrayBufferView, KeyObject)' })
  add('bare/array-old-key', fmt, bare('hello', OLD), [NEW, OLD], { params: BARE, signedBy: OLD, note: n + 'signed with "old", tried [new, old] -> key_index 1' })
  add('bare/wrong-key', fmt, bare('hello', BK), [K('tobiisnotcool')], { params: BARE, signedBy: BK, note: n + 'wrong secret -> false' })
  const bh = bare('hello', BK)
  add('bare/padding', fmt, bh + '=', [BK], { params: BARE, tampered: true, note: n + 'trailing "=" on the signature -> false (string compare)' })
  add('bare/tamper-value', fmt, 'jello' + bh.slice(5), [BK], { params: BARE, tampered: true, note: n + 'value changed -> false' })
  add('bare/signature-truncated', fmt, bh.slice(0, -2), [BK], { params: BARE, tampered: true, note: n + 'two signature chars removed -> false' })
  add('bare/signature-unused-bits', fmt, lowBits(bh, STD), [BK], { params: BARE, tampered: true, note: n + 'unused low bits of the last char changed -> false (no lenient base64)' })
  add('bare/no-dot', fmt, 'hello', [BK], { params: BARE, malformed: true, note: 'STRUCTURALLY MALFORMED: no "." at all -> unsign false' })
  add('bare/empty', fmt, '', [BK], { params: BARE, malformed: true, note: 'STRUCTURALLY MALFORMED: empty string -> unsign false' })
}

// ================================================================================================
// KEYGRIP
// ================================================================================================

const KA = K('keygrip-key-2026')
const KB = K('keygrip-key-2025')

function kgHeader (form, frag, name = 'session') {
  if (form === 'fragment') return frag
  const [v, s] = frag.split('; ')
  if (form === 'cookie-header') return 'Cookie: _ga=GA1.2.1234567890.1767225000; ' + v + '; lang=en; ' + s
  if (form === 'reversed') return 'Cookie: ' + s + '; ' + v
  if (form === 'between') return 'Cookie: ' + s + '; csrftoken=abc; ' + v + '; theme=dark'
  throw new Error(form)
}

let CS = null
function csApp (opts) {
  const app = express()
  app.use(cookieSession(opts))
  app.get('/set', (req, res) => {
    if (CS === null) req.session = null
    else Object.assign(req.session, CS)
    res.end('ok')
  })
  app.get('/read', (req, res) => res.json({ session: req.session, isNew: req.session.isNew }))
  return app
}

async function csSet (opts, obj, name = 'session') {
  CS = obj
  const r = await request(csApp(opts), '/set')
  assert.strictEqual(r.setCookies.length, 2, r.setCookies)
  return { frag: C.fragmentFromSetCookies(r.setCookies, name), lines: r.setCookies }
}

let CKV = null
function ckApp (secrets, digest) {
  const app = express()
  app.get('/set', (req, res) => {
    new Cookies(req, res, { keys: new Keygrip(secrets, digest) }).set(CKV.name, CKV.value, { signed: true })
    res.end('ok')
  })
  app.get('/read', (req, res) => {
    const jar = new Cookies(req, res, { keys: new Keygrip(secrets, digest) })
    const v = jar.get(req.query.name, { signed: true })
    res.json({ value: v === undefined ? null : v })
  })
  return app
}

async function ckSet (secrets, digest, name, value) {
  CKV = { name, value }
  const r = await request(ckApp(secrets, digest), '/set')
  assert.strictEqual(r.setCookies.length, 2, r.setCookies)
  return { frag: C.fragmentFromSetCookies(r.setCookies, name), lines: r.setCookies }
}

async function keygripRequestCheck (full, v, ev) {
  const p = { name: v.params.cookie_name || 'session', digest: v.params.digest || 'sha1', encoding: v.params.encoding || 'json-base64' }
  if (!headerSafe(v.cookie)) return
  const secrets = v.keys.map(C.keyValue)
  const ok = ev.library_result === 'ok' || ev.library_result === 'ok:sig-reissued'
  if (p.encoding === 'json-base64') {
    const r = await request(csApp({ name: p.name, keys: new Keygrip(secrets, p.digest) }), '/read', v.cookie)
    const got = JSON.parse(r.body)
    if (ok) {
      assert.strictEqual(got.isNew, false, full + ' cookie-session should load it')
      assert.deepStrictEqual(got.session, ev.library_value, full)
    } else {
      assert.strictEqual(got.isNew, true, full + ' cookie-session should start a new session')
      assert.deepStrictEqual(got.session, {}, full)
    }
    checkReissue(full, ev, r.setCookies, p, v.cookie)
  } else {
    const r = await request(ckApp(secrets, p.digest), '/read?name=' + encodeURIComponent(p.name), v.cookie)
    const got = JSON.parse(r.body)
    assert.strictEqual(got.value, ok ? ev.library_value : null, full + ' cookies.get')
    checkReissue(full, ev, r.setCookies, p, v.cookie)
  }
}

function checkReissue (full, ev, setCookies, p, cookieHeader) {
  const { req, res } = C.fakeReqRes(cookieHeader)
  const raw = new Cookies(req, res).get(p.name)
  const ok = ev.library_result === 'ok' || ev.library_result === 'ok:sig-reissued'
  // cookie-session rewrites a loaded session whose canonical serialization differs from the text
  // it came from (Session.isChanged compares JSON+base64 of the loaded object with the raw value).
  const rewrite = ok && p.encoding === 'json-base64' && C.cookieSessionEncode(ev.library_value) !== raw
  const pairs = setCookies.map(h => h.split(';', 1)[0])
  const expected = []
  if (ev.library_result === 'ok:sig-reissued') expected.push(p.name + '.sig=')
  if (ev.library_result === 'undefined:bad-sig') expected.push(p.name + '.sig=;')
  if (rewrite) expected.push(p.name + '=' + C.cookieSessionEncode(ev.library_value), p.name + '.sig=')
  assert.strictEqual(setCookies.length, expected.length, full + ' ' + setCookies)
  expected.forEach((e, i) => {
    if (e.endsWith(';')) assert(setCookies[i].startsWith(e), full + ' ' + setCookies[i])
    else if (e.endsWith('=')) assert(pairs[i].startsWith(e), full + ' ' + setCookies[i])
    else assert.strictEqual(pairs[i], e, full + ' rewritten value')
  })
  if (rewrite) REWRITTEN[full] = setCookies.slice(-2).map(h => h.split(';', 1)[0]).join('; ')
}

const REWRITTEN = {}

async function genKeygrip () {
  const fmt = 'keygrip'
  const P = { cookie_name: 'session' }
  let n = 'cookie-session 2.1.1 (keys: [k1, k2]); the session is written as session=' +
    'base64(JSON.stringify(obj)) (standard base64 WITH padding, raw UTF-8 JSON) plus ' +
    'session.sig=keygrip.sign("session=" + value) (HMAC-SHA1, base64url without "="); cookie = ' +
    '"session=<value>; session.sig=<sig>"; payload = the decoded JSON. '
  const login = await csSet({ keys: ['keygrip-key-2026', 'keygrip-key-2025'] }, { user_id: 42, name: 'ada', admin: false })
  add('cookie-session/login', fmt, login.frag, [KA, KB], { params: P, signedBy: KA, note: n + 'input: the fragment itself (what Signet sign prints). Set-Cookie: ' + login.lines.join(' | ') })
  add('cookie-session/cookie-header', fmt, login.frag, [KA, KB], { params: P, signedBy: KA, input: kgHeader('cookie-header', login.frag), note: n + 'input: a Cookie header with other cookies around' })
  add('cookie-session/reversed', fmt, login.frag, [KA, KB], { params: P, signedBy: KA, input: kgHeader('reversed', login.frag), note: n + 'input: session.sig before session' })
  add('cookie-session/between', fmt, login.frag, [KA, KB], { params: P, signedBy: KA, input: kgHeader('between', login.frag), note: n + 'input: sig first, other cookies in between' })

  const contract = C.keygripSet('session', 'eyJrIjogMX0=', [K('contract-keygrip')], 'sha1')
  assert.strictEqual(contract.fragment, 'session=eyJrIjogMX0=; session.sig=97aoVRURYxen0tQMPOEJ90LL4RY')
  add('contract/example', fmt, contract.fragment, [K('contract-keygrip')], {
    params: P,
    signedBy: K('contract-keygrip'),
    resign: false,
    noteResign: true,
    input: 'Cookie: ' + contract.fragment,
    note: 'the contract example input (shared/check-contract): cookies.set("session", ' +
      '"eyJrIjogMX0=", {signed: true}) with keys ["contract-keygrip"] gives exactly that sig. The ' +
      'body is \'{"k": 1}\' (Python spacing), which cookie-session loads as {k: 1} and then ' +
      'REWRITES canonically (session=eyJrIjoxfQ==) in the response; resign false: cookie-session ' +
      'would never write the spaced JSON'
  })
  const old = await csSet({ keys: ['keygrip-key-2025'] }, { user_id: 7 })
  const reread = await request(csApp({ keys: ['keygrip-key-2026', 'keygrip-key-2025'] }), '/read', old.frag)
  assert.strictEqual(reread.setCookies.length, 1)
  const reissuedSig = reread.setCookies[0].split(';', 1)[0]
  add('cookie-session/old-key', fmt, old.frag, [KA, KB], {
    params: P,
    signedBy: KB,
    note: n + 'written by an app with keys ["keygrip-key-2025"], read with keys [2026, 2025]: ' +
      'keygrip.index -> 1 -> key_index 1; cookies.get accepts it AND re-issues only the .sig cookie ' +
      'signed with keys[0] (response: Set-Cookie: ' + reread.setCookies[0] + '); the session ' +
      'cookie itself is not rewritten (unchanged session)'
  })
  const reFrag = old.frag.split('; ')[0] + '; ' + reissuedSig
  add('cookie-session/old-key-reissued', fmt, reFrag, [KA, KB], {
    params: P,
    signedBy: KA,
    input: 'Cookie: ' + reFrag,
    note: n + 'the same value with the re-issued session.sig from the response above -> key_index 0'
  })
  const sec = await csSet({ secret: 'cookie-session-secret' }, { user: 'ada' })
  add('cookie-session/secret-option', fmt, sec.frag, [K('cookie-session-secret')], { params: P, signedBy: K('cookie-session-secret'), note: n + 'cookieSession({secret}) = keys [secret]' })
  const named = await csSet({ name: 'sess', keys: ['keygrip-key-2026'] }, { user: 'ada' }, 'sess')
  add('cookie-session/custom-name', fmt, named.frag, [KA], { params: { cookie_name: 'sess' }, signedBy: KA, input: 'Cookie: ' + named.frag, note: n + 'cookieSession({name: "sess"}): sess / sess.sig, signed data "sess=<value>"' })

  const kAB = { keys: ['keygrip-key-2026', 'keygrip-key-2025'] }
  const bodies = [
    ['unicode', { name: 'Zoë 日本 😀', city: 'Kraków' }, 'non-ASCII: JSON.stringify writes raw UTF-8 (no \\u escapes) before base64'],
    ['escapes', { s: 'quote" back\\slash </script> \u2028\u2029 \t\n\u0000\u001f\u007f' }, 'JSON.stringify escaping: \\" \\\\ \\t \\n \\u0000 \\u001f; "/", "<", U+2028/2029 and DEL raw'],
    ['numbers', { i: -12, f: 0.1, e: 1e-7, big: 1e21, max: 9007199254740993, neg0: -0, w: 100.0 }, 'JS number formatting: 1e-7, 1e+21, 9007199254740993 -> 9007199254740992, -0 -> 0, 100.0 -> 100'],
    ['nested', { a: { b: { c: [1, [2, [3, {}]], []] } }, t: true, f: false, z: null, empty: '' }, 'nested arrays/objects, literals, empty string'],
    ['key-order', { zeta: 1, alpha: 2, 10: 'ten', 2: 'two', Mid: 3 }, 'insertion order is kept EXCEPT integer-like keys, which JS objects put first in ascending order ("2", "10", then zeta, alpha, Mid)'],
    ['large', { items: Array.from({ length: 100 }, (_, i) => 'item-' + String(i).padStart(3, '0')) }, 'a large session (no compression in cookie-session)'],
    ['padding-plus-slash', { k: '>>>???', pad: 'x' }, 'a body whose base64 contains "+" / "/" / "=" (sent raw in the header)']
  ]
  for (const [label, obj, what] of bodies) {
    const r = await csSet(kAB, obj)
    add('cookie-session/' + label, fmt, r.frag, [KA, KB], { params: P, signedBy: KA, note: n + what })
  }
  for (const digest of ['sha256', 'sha384', 'sha512']) {
    const r = await csSet({ keys: new Keygrip(['keygrip-key-2026', 'keygrip-key-2025'], digest) }, { user: 'ada', digest })
    add('cookie-session/digest-' + digest, fmt, r.frag, [KA, KB], {
      params: { cookie_name: 'session', digest },
      signedBy: KA,
      note: n + 'cookieSession({keys: Keygrip(keys, "' + digest + '")}): cookie-session passes a Keygrip ' +
        'instance through to cookies, so the .sig is HMAC-' + digest.toUpperCase() + ' (params.digest)'
    })
  }
  const hexKey = H('00ff10fe8081c3deadbeef')
  const hx = await csSet({ keys: [Buffer.from('00ff10fe8081c3deadbeef', 'hex')] }, { user: 'ada' })
  add('cookie-session/buffer-key', fmt, hx.frag, [hexKey], { params: P, signedBy: hexKey, note: n + 'a Buffer key (not UTF-8)' })

  // negatives
  n = 'cookie-session / cookies.get(name, {signed: true}): '
  add('cookie-session/wrong-key', fmt, login.frag, [K('not-the-key')], {
    params: P,
    signedBy: KA,
    note: n + 'no key matches -> undefined, the .sig cookie is CLEARED (Set-Cookie: session.sig=; ' +
      'expires=1970) and a new empty session starts -> bad-signature (payload still decodes)'
  })
  const [lv, ls] = login.frag.split('; ')
  const renamed = 'sess=' + lv.slice('session='.length) + '; sess.sig=' + ls.slice('session.sig='.length)
  add('cookie-session/renamed', fmt, renamed, [KA, KB], {
    params: { cookie_name: 'sess' },
    signedBy: KA,
    note: n + 'a "session" cookie presented under the name "sess": the name is part of the signed ' +
      'data ("session=<value>" vs "sess=<value>") -> bad-signature'
  })
  add('cookie-session/missing-sig', fmt, lv, [KA, KB], {
    params: P,
    malformed: true,
    input: 'Cookie: ' + lv + '; lang=en',
    note: n + 'no session.sig cookie: cookies.get returns undefined (nothing is cleared) and ' +
      'cookie-session starts a new session -> library_result "undefined:no-sig"; DECISION: status ' +
      'malformed (not a complete keygrip pair; Signet should say the .sig cookie is missing)'
  })
  add('cookie-session/only-sig', fmt, ls, [KA, KB], {
    params: P,
    malformed: true,
    note: n + 'only session.sig, no session cookie -> "undefined:no-cookie" -> malformed'
  })
  const lvalue = lv.slice('session='.length)
  // tamper keeping JSON decodable: change a char so the decoded JSON differs but still parses
  let tampered = null
  for (let i = lvalue.length - 4; i > 0 && !tampered; i--) {
    const cand = flipChar(lvalue, i, STD)
    try {
      const got = C.cookieSessionDecode(cand)
      if (JSON.stringify(got) !== JSON.stringify(C.cookieSessionDecode(lvalue))) tampered = cand
    } catch (e) { /* next */ }
  }
  add('cookie-session/tamper-value', fmt, 'session=' + tampered + '; ' + ls, [KA, KB], { params: P, tampered: true, note: n + 'one base64 char of the value changed, JSON still decodes -> bad-signature' })
  add('cookie-session/tamper-value-undecodable', fmt, 'session=!' + lvalue.slice(1) + '; ' + ls, [KA, KB], { params: P, tampered: true, note: n + 'value damaged so it no longer decodes -> bad-signature, payload null' })
  const lsig = ls.slice('session.sig='.length)
  add('cookie-session/tamper-sig', fmt, lv + '; session.sig=' + flipChar(lsig, 0, URL), [KA, KB], { params: P, tampered: true, note: n + 'first sig char changed' })
  add('cookie-session/sig-truncated', fmt, lv + '; session.sig=' + lsig.slice(0, -1), [KA, KB], { params: P, tampered: true, note: n + 'last sig char removed' })
  add('cookie-session/sig-unused-bits', fmt, lv + '; session.sig=' + lowBits(lsig, URL), [KA, KB], { params: P, tampered: true, note: n + 'only the unused low bits of the last sig char changed: keygrip compares strings (tsscmp) -> bad-signature' })
  let withDash = null
  for (let i = 0; i < 200 && !withDash; i++) {
    const r = C.keygripSet('session', C.cookieSessionEncode({ n: i }), [KA], 'sha1')
    if (/[-_]/.test(r.fragment.split('.sig=')[1])) withDash = r.fragment
  }
  const [wv, ws] = withDash.split('; ')
  add('cookie-session/sig-std-alphabet', fmt, wv + '; ' + ws.replace(/-/g, '+').replace(/_/g, '/'), [KA], { params: P, tampered: true, note: n + 'sig rewritten in the standard alphabet ("+"/"/" for "-"/"_") -> bad-signature (keygrip writes base64url only)' })
  add('cookie-session/sig-padding', fmt, lv + '; ' + ls + '=', [KA, KB], { params: P, tampered: true, note: n + '"=" appended to the sig -> bad-signature (keygrip strips padding, exact compare)' })
  const s256 = await csSet({ keys: new Keygrip(['keygrip-key-2026'], 'sha256') }, { user: 'ada' })
  add('cookie-session/digest-mismatch', fmt, s256.frag, [KA], {
    params: { cookie_name: 'session', digest: 'sha1' },
    signedBy: KA,
    note: n + 'sig made with sha256, verified with the default Keygrip (sha1, given explicitly) -> bad-signature'
  })
  add('cookie-session/duplicate-session-cookie', fmt, 'session=' + tampered + '; ' + login.frag, [KA, KB], {
    params: P,
    tampered: true,
    note: n + 'two "session" cookies: cookies uses the FIRST match of /(?:^|;) *session=([^;]*)/ ' +
      '(the forged one) -> bad-signature'
  })
  add('cookie-session/quoted-value', fmt, 'session="' + lvalue + '"; ' + ls, [KA, KB], {
    params: P,
    signedBy: KA,
    resign: false,
    noteResign: true,
    note: n + 'value in double quotes: cookies strips one pair of quotes before checking (the ' +
      'signed data is "session=<value>" without quotes) -> valid; resign false (written unquoted)'
  })
  // SIGNED-BY-HAND through cookies.set (the library's signer)
  n = 'SIGNED-BY-HAND with cookies.set(name, value, {signed: true}) (the library signer), value ' +
    'not written by cookie-session: '
  const notJson = C.keygripSet('session', Buffer.from('not json').toString('base64'), [KA], 'sha1')
  add('cookie-session/undecodable-body', fmt, notJson.fragment, [KA], {
    params: P,
    malformed: true,
    note: n + 'base64 of "not json" validly signed: cookies.get returns it, cookie-session\'s ' +
      'JSON.parse throws and it silently starts a NEW EMPTY session -> "new-session:undecodable" -> malformed'
  })
  CS = null
  const cleared = await request(csApp(kAB), '/set')
  const clearedFrag = C.fragmentFromSetCookies(cleared.setCookies, 'session')
  add('cookie-session/cleared', fmt, clearedFrag, [KA, KB], {
    params: P,
    malformed: true,
    input: 'Cookie: ' + clearedFrag,
    note: 'req.session = null writes "session=" and "session.sig=<sig>" (both expires 1970: ' +
      cleared.setCookies.map(h => JSON.stringify(h)).join(', ') + '); the sig is a VALID sig of ' +
      '"session=": cookies.get returns "", cookie-session treats it as no session -> ' +
      '"new-session:empty-value" -> malformed (nothing to decode)'
  })
  const urlsafe = C.keygripSet('session', Buffer.from(JSON.stringify({ k: '>>>???' })).toString('base64url'), [KA], 'sha1')
  add('cookie-session/lenient-urlsafe-body', fmt, urlsafe.fragment, [KA], {
    params: P,
    lenient: true,
    signedBy: KA,
    resign: false,
    noteResign: true,
    note: n + 'body in the URL-safe alphabet without padding, validly signed: Buffer.from(x, ' +
      '"base64") accepts "-"/"_" and missing "=" -> the session loads (lenient_base64); the ' +
      'response then REWRITES both cookies in canonical form (Session.isChanged compares the ' +
      're-serialized session with the raw value). resign false: cookie-session itself writes ' +
      'standard base64 with padding'
  })
  const junk = C.keygripSet('session', 'eyJ1c2Vy!IjoiYWRhIn0=', [KA], 'sha1')
  add('cookie-session/lenient-junk-char', fmt, junk.fragment, [KA], {
    params: P,
    lenient: true,
    note: n + 'a "!" inside the base64 body, validly signed: Node\'s base64 decoder skips it -> ' +
      '{"user":"ada"} loads (lenient_base64); the response rewrites both cookies canonically'
  })
  const reserved = C.keygripSet('session', C.cookieSessionEncode({ isNew: true, user: 'ada', constructor: 'x' }), [KA], 'sha1')
  add('cookie-session/reserved-keys', fmt, reserved.fragment, [KA], {
    params: P,
    signedBy: KA,
    note: n + 'JSON {"isNew":true,"user":"ada","constructor":"x"}: payload is the decoded JSON, but ' +
      'cookie-session\'s Session copies only keys not already `in` the object, so req.session ' +
      'DROPS "isNew" (a Session getter) and "constructor" (Object.prototype) and is {"user":"ada"}; ' +
      'because that differs from the cookie, the response rewrites it as session=' +
      'base64(\'{"user":"ada"}\') with a new sig'
  })

  // ---- cookies + keygrip directly -----------------------------------------------------------
  n = 'cookies 0.9.1 set(name, value, {signed: true}) with Keygrip(keys[, digest]): value sent ' +
    'raw, name.sig = keygrip.sign(name + "=" + value); params.encoding "raw" (payload = the string). '
  const RAW = name => ({ cookie_name: name, encoding: 'raw' })
  const kab = ['keygrip-key-2026', 'keygrip-key-2025']
  const ck = await ckSet(kab, 'sha1', 'user', 'ada')
  add('cookies/plain', fmt, ck.frag, [KA, KB], { params: RAW('user'), signedBy: KA, input: 'Cookie: ' + ck.frag, note: n + 'sha1 (default)' })
  for (const digest of ['sha256', 'sha384', 'sha512']) {
    const r = await ckSet(kab, digest, 'user', 'ada')
    add('cookies/digest-' + digest, fmt, r.frag, [KA, KB], {
      params: Object.assign(RAW('user'), { digest }),
      signedBy: KA,
      note: n + 'Keygrip(keys, "' + digest + '") -> ' + r.frag.split('.sig=')[1].length + '-char sig'
    })
  }
  const ckOld = await ckSet(['keygrip-key-2025'], 'sha1', 'user', 'ada')
  add('cookies/old-key', fmt, ckOld.frag, [KA, KB], {
    params: RAW('user'),
    signedBy: KB,
    input: kgHeader('reversed', ckOld.frag),
    note: n + 'signed with keys[1]: get() returns the value and re-issues user.sig with keys[0] -> key_index 1'
  })
  const ckLatin = C.keygripSet('city', 'café', [KA, KB], 'sha1')
  add('cookies/latin1-value', fmt, ckLatin.fragment, [KA, KB], {
    params: RAW('city'),
    signedBy: KA,
    note: n + 'value "café" (cookies accepts U+0080-U+00FF in values; keygrip HMACs the JS string ' +
      'as UTF-8, "city=caf\\xc3\\xa9"). Taken from cookies.set directly, not over HTTP: Node writes ' +
      'such a header as the byte 0xE9 (latin1) or as UTF-8 C3 A9 when res.end(<string>) flushes ' +
      'headers and body together, and parses incoming headers as latin1, so after a UTF-8 round ' +
      'trip the server sees "cafÃ©" and the signature fails'
  })
  const ckEq = await ckSet(kab, 'sha1', 'token', 'a=b==')
  add('cookies/value-with-equals', fmt, ckEq.frag, [KA, KB], { params: RAW('token'), signedBy: KA, note: n + 'a value containing "=" (only ";" is refused)' })
  const ckDot = await ckSet(kab, 'sha1', 'user.prefs', 'theme:dark|lang:en')
  add('cookies/dotted-name', fmt, ckDot.frag, [KA, KB], { params: RAW('user.prefs'), signedBy: KA, input: kgHeader('between', ckDot.frag), note: n + 'cookie name with a dot: companion "user.prefs.sig"' })
  const ckHex = await ckSet([Buffer.from('00ff10fe8081c3deadbeef', 'hex')], 'sha1', 'user', 'ada')
  add('cookies/buffer-key', fmt, ckHex.frag, [hexKey], { params: RAW('user'), signedBy: hexKey, note: n + 'Buffer key' })
  const [cv, cs] = ck.frag.split('; ')
  add('cookies/renamed', fmt, 'admin=ada; admin.sig=' + cs.slice('user.sig='.length), [KA, KB], {
    params: RAW('admin'),
    tampered: true,
    note: n + '"user" cookie and sig presented as "admin": signed data differs -> bad-signature'
  })
  add('cookies/missing-sig', fmt, cv, [KA, KB], { params: RAW('user'), malformed: true, note: n + 'no user.sig -> get() returns undefined -> malformed' })
  add('cookies/wrong-key', fmt, ck.frag, [K('other')], { params: RAW('user'), signedBy: KA, note: n + 'wrong key -> undefined, user.sig cleared -> bad-signature' })
  add('cookies/tamper-value', fmt, 'user=eve; ' + cs, [KA, KB], { params: RAW('user'), tampered: true, note: n + 'value changed -> bad-signature (payload "eve")' })
  add('cookies/tamper-sig', fmt, cv + '; user.sig=' + flipChar(cs.slice('user.sig='.length), 5, URL), [KA, KB], { params: RAW('user'), tampered: true, note: n + 'sig char changed' })
}

// ================================================================================================
// JWT
// ================================================================================================

const JK = K('jwt-secret-2026')
const JK2 = K('jwt-secret-2025')
// An RSA public key (fixed text; only used as a would-be HMAC secret, never to verify RSA).
const PEM = [
  '-----BEGIN PUBLIC KEY-----',
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA/GDtbQoxlPzUysYFyrOT',
  'wLk3729gLwCJHxrd7kT4w+bLEI20fKuXOHoijxAS09z5SpYg020tiymh6IrSYnYO',
  'X1R8i8Y1AO8HcF0033FIoob7vmL3kIhQP9CitJkypDGvE3rOPrSC3CpguQt7AgVM',
  '8sx8vg/nFeaafBcdoMstNpOFqJFH7Xdt+VbN5OptISbsVTFXd4k1PXS7YLvbLhgO',
  'MvGbmqJ8WmKIHIkVgkxBezRGetoMjI9qRPxkrwYoMKPVUegjlKUPoDL6U9BBe1Ro',
  'NnVe9Ux9sUe7u/0Oj2CS0vFKm8wusyuUlRSiyMbmGn6rSfA0ZdOxmMaBIlhm/Tkd',
  '/wIDAQAB',
  '-----END PUBLIC KEY-----',
  ''
].join('\n')

function jsign (payload, key, options, t = T0) {
  CLOCK = t
  try {
    return jwt.sign(payload, C.keyValue(key), options || {})
  } finally {
    CLOCK = T0
  }
}

/** params.header = the header exactly as encoded (JSON.parse keeps member order; checked to
 * re-encode to the same text). */
function headerOf (token) {
  const part = token.split('.')[0]
  const h = C.b64urlDecodeJson(part)
  assert.strictEqual(Buffer.from(JSON.stringify(h)).toString('base64url'), part, 'header round trip')
  return h
}

const b64u = s => Buffer.from(s).toString('base64url')
function hmacToken (headerJson, payloadJson, key, alg = 'sha256') {
  const input = b64u(headerJson) + '.' + b64u(payloadJson)
  return input + '.' + crypto.createHmac(alg, C.keyValue(key)).update(input).digest('base64url')
}

function genJwt () {
  const fmt = 'jwt'
  const J = (token, extra) => Object.assign({ header: headerOf(token) }, extra || {})
  let n = 'jsonwebtoken 9.0.3 jwt.sign(payload, secret, options) with Date.now frozen at T0 ' +
    '(iat = floor(Date.now()/1000)); verified with jwt.verify(token, secret, {clockTimestamp: now, ' +
    'clockTolerance: leeway, algorithms, maxAge}). params.header = the header as encoded. '
  const claims = { sub: '42', name: 'Ada Lovelace', admin: true }
  for (const alg of ['HS256', 'HS384', 'HS512']) {
    const t = jsign(claims, JK, { algorithm: alg })
    add(alg.toLowerCase() + '/basic', fmt, t, [JK], { params: J(t), signedBy: JK, note: n + alg + ': header {"alg","typ"}, iat appended after the claims' })
  }
  const CONTRACT_JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZGEiLCJpYXQiOjE3NjcyMjUwMDB9.Be2RLWXhetp96hHT_w7n9sU0VP7JZDhf3mJ8MI_URaw'
  const CK = K('contract-jwt-secret-that-is-32-bytes!')
  const ct = jsign({ sub: 'ada' }, CK, {})
  assert.strictEqual(ct, CONTRACT_JWT, 'contract token is not what jsonwebtoken writes')
  add('contract/example', fmt, ct, [CK], { params: J(ct), signedBy: CK, note: 'the contract example input (shared/check-contract), reproduced by jwt.sign({sub: "ada"}, secret) at T0' })
  const t0 = jsign(claims, JK, {})
  add('input/cookie-header', fmt, t0, [JK], { params: J(t0), signedBy: JK, input: 'Cookie: theme=dark; token=' + t0 + '; lang=en', note: n + 'input: a Cookie header holding the token' })
  add('input/set-cookie', fmt, t0, [JK], { params: J(t0), signedBy: JK, input: 'Set-Cookie: access_token=' + t0 + '; Path=/; HttpOnly; SameSite=Lax', note: n + 'input: a Set-Cookie line' })
  add('input/name-value', fmt, t0, [JK], { params: J(t0), signedBy: JK, input: 'jwt=' + t0, note: n + 'input: name=value' })
  const nt = jsign(claims, JK, { noTimestamp: true })
  add('hs256/no-timestamp', fmt, nt, [JK], { params: J(nt), signedBy: JK, note: n + 'noTimestamp: no iat -> signed_at null' })
  const ei = jsign({ sub: '42', iat: T0 - 3600 }, JK, { expiresIn: 7200 })
  add('hs256/explicit-iat', fmt, ei, [JK], { params: J(ei), signedBy: JK, note: n + 'payload.iat given (T0-3600): used as the timestamp, expiresIn is relative to it (exp = T0+3600)' })
  const kid = jsign(claims, JK, { keyid: 'key-2026-01', header: { cty: 'session', typ: 'at+jwt' } })
  add('header/kid-and-extra', fmt, kid, [JK], { params: J(kid), signedBy: JK, note: n + 'keyid + header {cty, typ: "at+jwt"}: Object.assign({alg, typ, kid}, header) -> order alg, typ (overridden in place), kid, cty' })
  const reg = jsign({ scope: 'read' }, JK, { audience: ['web', 'api'], issuer: 'https://id.example', subject: 'u-42', jwtid: 'j-1', expiresIn: '1h', notBefore: '0s' })
  add('claims/registered-options', fmt, reg, [JK], { params: J(reg), signedBy: JK, note: n + 'audience/issuer/subject/jwtid/expiresIn "1h"/notBefore "0s" options: claim order scope, iat, nbf, exp, aud, iss, sub, jti' })
  const uni = jsign({ name: 'Zoë 日本 😀', s: 'quote" back\\slash </script> \u2028 \t\n\u0000' }, JK, { noTimestamp: true })
  add('claims/unicode-escapes', fmt, uni, [JK], { params: J(uni), signedBy: JK, note: n + 'JSON.stringify: raw UTF-8, U+2028 raw, \\" \\\\ \\t \\n \\u0000 escaped, "/" and "<" raw' })
  const num = jsign({ f: 0.1, e: 1e-7, big: 1e21, max: 9007199254740993, neg0: -0, w: 100.0, 2: 'two', a: 1 }, JK, { noTimestamp: true })
  add('claims/numbers-and-order', fmt, num, [JK], { params: J(num), signedBy: JK, note: n + 'JS number formatting (1e-7, 1e+21, 2^53+1 -> 9007199254740992, -0 -> 0, 100.0 -> 100) and integer-like key "2" moved first by JS' })
  const str = jsign('hello world', JK, {})
  add('claims/string-payload', fmt, str, [JK], {
    params: J(str),
    signedBy: JK,
    resign: false,
    noteResign: true,
    note: n + 'a STRING payload: header {"alg":"HS256"} (no typ), the body is the raw bytes ' +
      '"hello world" (not JSON) and no iat; jwt.verify returns the string. resign false: signing ' +
      'the JSON string "hello world" would have to write it unquoted as jsonwebtoken does'
  })
  const hexk = H('00ff10fe8081c3deadbeef00ff10fe8081c3deadbeef')
  const hx = jsign(claims, hexk, {})
  add('keys/buffer-secret', fmt, hx, [hexk], { params: J(hx), signedBy: hexk, note: n + 'a Buffer secret' })

  // keys
  n = 'key list: jwt.verify is called with each secret in turn (Signet order); the first that gets ' +
    'past the signature check decides. '
  const t2 = jsign(claims, JK2, {})
  add('keys/second-key', fmt, t2, [JK, JK2], { params: J(t2), signedBy: JK2, note: n + 'signed by keys[1] -> key_index 1' })
  add('keys/wrong-key', fmt, t0, [JK2], { params: J(t0), signedBy: JK, note: n + 'wrong secret -> JsonWebTokenError invalid signature -> bad-signature' })
  const pemTok = hmacToken(JSON.stringify({ alg: 'HS256', typ: 'JWT' }), JSON.stringify({ sub: '42', admin: true }), K(PEM))
  add('keys/pem-public-key-as-secret', fmt, pemTok, [K(PEM)], {
    params: J(pemTok),
    note: 'SIGNED-BY-HAND (node:crypto HMAC-SHA256 with the PEM text as key): the classic RS256 -> ' +
      'HS256 confusion. jsonwebtoken first tries createPublicKey(secret): the PEM becomes an RSA ' +
      'public KeyObject, the default algorithms become RS256/384/512 + PS256/384/512, so HS256 is ' +
      '"invalid algorithm" -> bad-signature even though HMAC(PEM) matches; key_index null'
  })
  add('keys/pem-public-key-as-secret-hs256-allowed', fmt, pemTok, [K(PEM)], {
    params: J(pemTok, { algorithms: ['HS256'] }),
    note: 'SIGNED-BY-HAND: the same with algorithms ["HS256"]: "secretOrPublicKey must be a ' +
      'symmetric key when using HS256" -> bad-signature'
  })

  // time
  n = 'exp/nbf as jsonwebtoken checks them: expired when clockTimestamp >= exp + clockTolerance; ' +
    'not active when nbf > clockTimestamp + clockTolerance; nbf is checked BEFORE exp. '
  const ex = jsign({ sub: '42' }, JK, { expiresIn: 3600 })
  add('exp/before', fmt, ex, [JK], { params: J(ex), signedBy: JK, now: T0 + 3599, note: n + 'exp = T0+3600, now = exp-1 -> valid' })
  add('exp/at-exp', fmt, ex, [JK], { params: J(ex), signedBy: JK, now: T0 + 3600, note: n + 'now == exp -> expired (>=)' })
  add('exp/after', fmt, ex, [JK], { params: J(ex), signedBy: JK, now: T0 + 86400, note: n + 'a day later -> expired' })
  add('exp/leeway-saves', fmt, ex, [JK], { params: J(ex), signedBy: JK, now: T0 + 3600, leeway: 1, note: n + 'now == exp, leeway 1 -> valid (now < exp + 1)' })
  add('exp/leeway-boundary', fmt, ex, [JK], { params: J(ex), signedBy: JK, now: T0 + 3601, leeway: 1, note: n + 'now == exp + leeway -> expired' })
  add('exp/expired-wrong-key', fmt, ex, [JK2], { params: J(ex), signedBy: JK, now: T0 + 86400, note: n + 'expired AND wrong key: the signature is checked first -> bad-signature' })
  const nb = jsign({ sub: '42' }, JK, { notBefore: 600, expiresIn: 7200 })
  add('nbf/before', fmt, nb, [JK], { params: J(nb), signedBy: JK, now: T0 + 599, note: n + 'nbf = T0+600, now = nbf-1 -> NotBeforeError -> not-yet-valid' })
  add('nbf/at-nbf', fmt, nb, [JK], { params: J(nb), signedBy: JK, now: T0 + 600, note: n + 'now == nbf -> valid (only nbf > now is rejected)' })
  add('nbf/leeway', fmt, nb, [JK], { params: J(nb), signedBy: JK, now: T0 + 599, leeway: 1, note: n + 'now = nbf-1, leeway 1 -> valid' })
  add('nbf/far-future', fmt, nb, [JK], { params: J(nb), signedBy: JK, now: T0, note: n + 'now = iat (nbf 600 s ahead) -> not-yet-valid' })
  const weird = jsign({ sub: '42', nbf: T0 + 100, exp: T0 + 50 }, JK, {})
  add('nbf/checked-before-exp', fmt, weird, [JK], { params: J(weird), signedBy: JK, now: T0 + 75, note: n + 'nbf T0+100 > exp T0+50, now T0+75: both fail, nbf is checked first -> not-yet-valid' })
  const fut = jsign({ sub: '42', iat: T0 + 86400 }, JK, {})
  add('iat/in-future', fmt, fut, [JK], { params: J(fut), signedBy: JK, note: n + 'iat one day in the future: jsonwebtoken does NOT check iat (PyJWT would raise ImmatureSignatureError) -> valid' })
  const fr = jsign({ sub: '42', exp: NOW + 0.5 }, JK, { noTimestamp: true })
  add('exp/fractional', fmt, fr, [JK], { params: J(fr), signedBy: JK, note: n + 'exp = now + 0.5 (a float NumericDate): now >= exp is false -> valid' })
  add('maxage/within', fmt, t0, [JK], { params: J(t0), signedBy: JK, now: T0 + 3599, maxAge: 3600, note: n + 'max_age = jwt.verify maxAge (seconds): now < iat + maxAge -> valid' })
  add('maxage/exceeded', fmt, t0, [JK], { params: J(t0), signedBy: JK, now: T0 + 3600, maxAge: 3600, note: n + 'now >= iat + maxAge -> TokenExpiredError "maxAge exceeded" -> expired' })
  add('maxage/no-iat', fmt, nt, [JK], { params: J(nt), signedBy: JK, maxAge: 3600, note: n + 'maxAge given but the token has no iat -> JsonWebTokenError "iat required when maxAge is specified"; DECISION: malformed' })

  // algorithms
  n = 'algorithms allowlist (params.algorithms = jwt.verify {algorithms}). '
  const h512 = jsign(claims, JK, { algorithm: 'HS512' })
  add('alg/allowlist-mismatch', fmt, h512, [JK], { params: J(h512, { algorithms: ['HS256'] }), signedBy: JK, note: n + 'HS512 token, algorithms ["HS256"] -> "invalid algorithm" -> bad-signature, key_index null (no key verifies under the allowlist)' })
  add('alg/allowlist-match', fmt, h512, [JK], { params: J(h512, { algorithms: ['HS256', 'HS512'] }), signedBy: JK, note: n + 'HS512 token, algorithms ["HS256", "HS512"] -> valid' })
  const noneTok = jws.sign({ header: { alg: 'none', typ: 'JWT' }, payload: { sub: '42', admin: true } })
  add('alg/none', fmt, noneTok, [JK], {
    params: J(noneTok),
    malformed: true,
    note: 'STRUCTURALLY MALFORMED: alg "none" with an empty signature (made with jws.sign, alg none): ' +
      'jwt.verify with a secret -> "jwt signature is required". DECISION: status malformed (an ' +
      'unsigned token can never be valid; Signet should say it is unsigned)'
  })
  add('alg/none-with-allowlist', fmt, noneTok, [JK], { params: J(noneTok, { algorithms: ['none'] }), malformed: true, note: 'STRUCTURALLY MALFORMED: even with algorithms ["none"], a secret makes jsonwebtoken demand a signature -> malformed' })
  const hs = t0.split('.')
  const noneHdr = b64u(JSON.stringify({ alg: 'none', typ: 'JWT' }))
  add('alg/none-keeping-signature', fmt, noneHdr + '.' + hs[1] + '.' + hs[2], [JK], {
    tampered: true,
    malformed: true,
    params: J(noneHdr + '.' + hs[1] + '.' + hs[2]),
    note: 'STRUCTURALLY MALFORMED: header swapped for {"alg":"none"} keeping the HS256 signature -> ' +
      '"invalid algorithm" -> malformed (alg none)'
  })
  const noneCase = b64u(JSON.stringify({ alg: 'NoNe', typ: 'JWT' }))
  add('alg/none-mixed-case', fmt, noneCase + '.' + hs[1] + '.', [JK], { tampered: true, malformed: true, params: J(noneCase + '.' + hs[1] + '.'), note: 'STRUCTURALLY MALFORMED: alg "NoNe", empty signature -> "jwt signature is required"' })
  const rsTok = hmacToken(JSON.stringify({ alg: 'RS256', typ: 'JWT' }), JSON.stringify({ sub: '42', admin: true }), JK)
  add('alg/rs256-header-hmac-signed', fmt, rsTok, [JK], {
    params: J(rsTok),
    malformed: true,
    note: 'STRUCTURALLY MALFORMED. SIGNED-BY-HAND: header {"alg":"RS256"} but HMAC-SHA256 with the ' +
      'secret (the alg-confusion shape): jsonwebtoken only allows HS256/384/512 for a secret -> ' +
      '"invalid algorithm". DECISION (same as gen_pyjwt.py): malformed, an RS256 token is not an ' +
      'HMAC JWT and no secret could verify it; key_index null'
  })
  add('alg/rs256-allowlisted', fmt, rsTok, [JK], {
    params: J(rsTok, { algorithms: ['RS256'] }),
    malformed: true,
    note: 'STRUCTURALLY MALFORMED. SIGNED-BY-HAND: the same with algorithms ["RS256"]: ' +
      '"secretOrPublicKey must be an asymmetric key when using RS256" -> malformed'
  })
  const lower = hmacToken(JSON.stringify({ alg: 'hs256', typ: 'JWT' }), JSON.stringify({ sub: '42' }), JK)
  add('alg/lowercase', fmt, lower, [JK], {
    params: J(lower),
    malformed: true,
    note: 'STRUCTURALLY MALFORMED. SIGNED-BY-HAND (node:crypto HMAC-SHA256): alg "hs256" -> ' +
      '"invalid algorithm" (case matters) -> malformed'
  })
  const cross = hmacToken(Buffer.from(hs[0], 'base64url').toString(), Buffer.from(hs[1], 'base64url').toString(), JK, 'sha512')
  add('alg/header-hs256-signed-hs512', fmt, cross, [JK], { params: J(cross), note: 'SIGNED-BY-HAND: header says HS256 but the signature is HMAC-SHA512 (86 chars) -> invalid signature -> bad-signature' })
  const noTyp = jws.sign({ header: { typ: 'JWT', alg: 'HS256' }, payload: { sub: '42' }, secret: C.keyValue(JK) })
  add('header/member-order', fmt, noTyp, [JK], { params: J(noTyp), signedBy: JK, note: 'SIGNED-BY-HAND with jws.sign (jsonwebtoken\'s signer): header {"typ":"JWT","alg":"HS256"} in THAT order -> valid; params.header keeps the order so a re-sign is byte-identical' })

  // tampering
  n = 'library output edited afterwards -> '
  const tp = b64u(JSON.stringify({ sub: '42', name: 'Ada Lovelace', admin: true, iat: T0 + 1 }))
  add('tamper/payload', fmt, hs[0] + '.' + tp + '.' + hs[2], [JK], { params: J(t0), tampered: true, note: n + 'claims re-encoded with iat+1, old signature -> invalid signature (payload shows the new claims)' })
  const h384 = b64u(JSON.stringify({ alg: 'HS384', typ: 'JWT' }))
  add('tamper/header-alg', fmt, h384 + '.' + hs[1] + '.' + hs[2], [JK], { params: J(h384 + '.' + hs[1] + '.' + hs[2]), tampered: true, note: n + 'alg changed HS256 -> HS384 keeping the signature -> invalid signature' })
  add('tamper/signature-char', fmt, hs[0] + '.' + hs[1] + '.' + flipChar(hs[2], 0, URL), [JK], { params: J(t0), tampered: true, note: n + 'first signature char changed -> invalid signature' })
  add('tamper/signature-truncated', fmt, t0.slice(0, -1), [JK], { params: J(t0), tampered: true, note: n + 'last signature char removed -> invalid signature' })
  add('tamper/signature-unused-bits', fmt, hs[0] + '.' + hs[1] + '.' + lowBits(hs[2], URL), [JK], { params: J(t0), tampered: true, note: n + 'unused low bits of the last signature char changed: jwa compares the base64url STRINGS -> invalid signature' })
  add('tamper/signature-empty', fmt, hs[0] + '.' + hs[1] + '.', [JK], { params: J(t0), tampered: true, note: n + 'signature removed (HS256 header kept): "jwt signature is required" -> malformed by the library result' })
  add('malformed/signature-padding', fmt, t0 + '=', [JK], { params: J(t0), tampered: true, malformed: true, note: 'STRUCTURALLY MALFORMED: "=" appended to the signature: the jws regex allows only [A-Za-z0-9_-] -> jws.decode null -> "invalid token"' })
  add('malformed/signature-std-alphabet', fmt, hs[0] + '.' + hs[1] + '.+' + hs[2].slice(1), [JK], { params: J(t0), tampered: true, malformed: true, note: 'STRUCTURALLY MALFORMED: "+"/"/" in the signature (standard alphabet) -> jws regex fails -> "invalid token"' })
  // lenient payload part, signed by hand with jws's own HMAC over the exact text
  const lenPayload = lowBits(b64u(JSON.stringify({ sub: '4' })), URL)
  assert.notStrictEqual(Buffer.from(lenPayload, 'base64').toString('base64url'), lenPayload)
  const lenInput = hs[0] + '.' + lenPayload
  const lenTok = lenInput + '.' + require('jwa')('HS256').sign(lenInput, C.keyValue(JK))
  add('lenient/payload-unused-bits', fmt, lenTok, [JK], {
    params: J(lenTok),
    lenient: true,
    note: 'SIGNED-BY-HAND (jwa HS256 over the exact text): payload part whose last char has unused ' +
      'low bits set; the MAC covers the text, Buffer.from(.., "base64") decodes it leniently -> ' +
      'valid (lenient_base64)'
  })

  // malformed
  n = 'STRUCTURALLY MALFORMED: '
  add('malformed/empty', fmt, '', [JK], { params: {}, malformed: true, note: n + 'empty -> "jwt must be provided"' })
  add('malformed/one-part', fmt, 'eyJhbGciOiJIUzI1NiJ9', [JK], { params: {}, malformed: true, note: n + 'one part -> "jwt malformed"' })
  add('malformed/two-parts', fmt, hs[0] + '.' + hs[1], [JK], { params: {}, malformed: true, note: n + 'two parts -> "jwt malformed"' })
  add('malformed/four-parts', fmt, t0 + '.x', [JK], { params: {}, malformed: true, note: n + 'four parts -> "jwt malformed"' })
  add('malformed/header-not-json', fmt, b64u('not json') + '.' + hs[1] + '.' + hs[2], [JK], { params: {}, malformed: true, note: n + 'header is base64url of "not json" -> jws.decode null -> "invalid token"' })
  add('malformed/header-no-alg', fmt, b64u('{"typ":"JWT"}') + '.' + hs[1] + '.' + hs[2], [JK], { params: J(b64u('{"typ":"JWT"}') + '.x.y'), malformed: true, tampered: true, note: n + 'header without alg -> "invalid algorithm"; malformed (no algorithm)' })
  const pnj = jws.sign({ header: { alg: 'HS256', typ: 'JWT' }, payload: 'not json', secret: C.keyValue(JK) })
  add('malformed/payload-not-json', fmt, pnj, [JK], { params: J(pnj), note: 'SIGNED-BY-HAND (jws.sign): typ JWT but the payload is "not json": jws.decode JSON.parses it and throws SyntaxError out of jwt.verify -> malformed by the library result' })
  const badExp = jws.sign({ header: { alg: 'HS256', typ: 'JWT' }, payload: { sub: '42', exp: 'tomorrow' }, secret: C.keyValue(JK) })
  add('malformed/exp-not-number', fmt, badExp, [JK], { params: J(badExp), signedBy: JK, note: 'SIGNED-BY-HAND (jws.sign; jwt.sign itself refuses a non-number exp): exp is the string "tomorrow" -> jwt.verify "invalid exp value" -> malformed by the library result' })
  const badNbf = jws.sign({ header: { alg: 'HS256', typ: 'JWT' }, payload: { sub: '42', nbf: null }, secret: C.keyValue(JK) })
  add('malformed/nbf-null', fmt, badNbf, [JK], { params: J(badNbf), signedBy: JK, note: 'SIGNED-BY-HAND (jws.sign): "nbf": null -> jwt.verify "invalid nbf value" -> malformed by the library result' })
}

// ================================================================================================

async function main () {
  PORT = await listen()
  try {
    await genExpress()
    await genKeygrip()
    genJwt()
    for (const check of PENDING) await check()
    assert.deepStrictEqual(Object.keys(REWRITTEN).sort(), [
      'keygrip/contract/example',
      'keygrip/cookie-session/lenient-junk-char',
      'keygrip/cookie-session/lenient-urlsafe-body',
      'keygrip/cookie-session/reserved-keys'
    ], 'cookie-session rewrites')
  } finally {
    server.close()
  }
  const out = JSON.stringify({
    generator: 'tests/interop/node/gen_node.js',
    versions: C.versions(),
    vectors: VECTORS
  }, null, 1) + '\n'
  // serde_json cannot read lone surrogates: JSON.stringify writes them as \udXXX escapes.
  assert(!/\\ud[89a-f]/i.test(out), 'lone surrogate in the output')
  process.stdout.write(out)
}

main().catch(e => {
  console.error(e)
  process.exit(1)
})

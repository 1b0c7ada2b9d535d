#!/usr/bin/env node
'use strict'
/*
 * Ask the real Node libraries whether they accept a cookie (the direction Signet -> framework).
 *
 *     node tests/interop/node/accept.js < requests.jsonl
 *
 * Each input line is a JSON object
 *     {"format", "cookie", "keys", "params", "now", "max_age", "leeway"}
 * format: express | keygrip | jwt; keys: [{"text": ...} | {"hex": ...}] (hex -> Buffer), Signet
 * order (primary first); params missing = {}; now missing = the current clock; max_age (jwt only:
 * jwt.verify maxAge seconds; missing/null/"none" = not given); leeway (jwt clockTolerance, default 0).
 * `cookie` is what gen_node.js records: express -> the cookie value as sent (URL-encoded, "s%3A...")
 * or, with params.prefix "", a bare cookie-signature "value.sig"; keygrip -> the Cookie header
 * fragment "name=value; name.sig=sig"; jwt -> the token.
 *
 * Each output line (written and flushed at once) is
 *     {"status", "payload", "signed_at", "key_index", "library_result"}
 * computed exactly as gen_node.js computes a vector's expectation (node_common.evaluate). Without
 * the generator's explicit marking, "structurally malformed" comes from the same heuristic the
 * generator checks its markings against (express: not "s:"-prefixed / no "."; jwt: not three
 * parts the jws regex accepts, header not JSON, alg missing or "none"). A line that cannot be
 * processed yields {"error": "..."}.
 */

const readline = require('readline')
const C = require('./node_common')

function answer (req) {
  if (!C.FORMATS.includes(req.format)) throw new Error('unsupported format ' + JSON.stringify(req.format))
  if (typeof req.cookie !== 'string') throw new Error('cookie must be a string')
  if (!Array.isArray(req.keys)) throw new Error('keys must be an array')
  const now = req.now === undefined || req.now === null ? Math.floor(C.realDateNow() / 1000) : req.now
  const maxAge = req.max_age === null ? undefined : req.max_age
  const ev = C.evaluate(req.format, req.cookie, req.keys, req.params || {}, now, maxAge, req.leeway || 0)
  return {
    status: ev.status,
    payload: ev.payload,
    signed_at: ev.signed_at,
    key_index: ev.key_index,
    library_result: ev.library_result
  }
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on('line', line => {
  if (!line.trim()) return
  let out
  try {
    out = answer(JSON.parse(line))
  } catch (e) {
    out = { error: (e && e.name ? e.name + ': ' : '') + (e && e.message ? e.message : String(e)) }
  }
  // process.stdout writes to pipes and files synchronously on Linux: each line is flushed at once.
  process.stdout.write(JSON.stringify(out) + '\n')
})

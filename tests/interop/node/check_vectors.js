#!/usr/bin/env node
'use strict'
/*
 * Sanity-check tests/vectors/node.json against the real libraries.
 *
 *     node tests/interop/node/check_vectors.js [tests/vectors/node.json]
 *
 * For every vector, starting from the file alone:
 *   1. the cookie re-loads with the library (at `now`, with max_age/leeway) to its
 *      `library_result`, and status/payload/signed_at/key_index/lenient_base64 match `expect`;
 *   2. accept.js (run as a child process, one JSON line per vector) gives the same answer;
 *   3. when `resign` is true, signing expect.payload with keys[key_index] and params through the
 *      library gives back `cookie` byte for byte;
 *   4. `input` holds the cookie (express: possibly URL-decoded; keygrip: both name=value parts);
 *      names are unique.
 * Exit status 1 on any mismatch.
 */

const fs = require('fs')
const path = require('path')
const { spawnSync } = require('child_process')
const { isDeepStrictEqual } = require('util')
const C = require('./node_common')

const file = process.argv[2] || path.join(__dirname, '..', '..', 'vectors', 'node.json')
const doc = JSON.parse(fs.readFileSync(file, 'utf8'))
let bad = 0
const problem = msg => { console.log(msg); bad += 1 }
const names = new Set()
const reqs = []

function inputHoldsCookie (v) {
  if (v.input.includes(v.cookie)) return true
  if (v.format === 'express') {
    try { return v.input.includes(decodeURIComponent(v.cookie)) } catch (e) { return false }
  }
  if (v.format === 'keygrip') return v.cookie.split('; ').every(p => v.input.includes(p))
  return false
}

for (const v of doc.vectors) {
  if (names.has(v.name)) problem('DUPLICATE ' + v.name)
  names.add(v.name)
  if (!inputHoldsCookie(v)) problem('INPUT ' + v.name + ': cookie not inside input')
  const ev = C.evaluate(v.format, v.cookie, v.keys, v.params, v.now, v.max_age, v.leeway)
  if (ev.library_result !== v.library_result) problem(`RELOAD ${v.name}: ${ev.library_result} != ${v.library_result}`)
  for (const k of ['status', 'payload', 'signed_at', 'key_index', 'lenient_base64']) {
    if (!isDeepStrictEqual(ev[k], v.expect[k])) problem(`RELOAD ${v.name}: ${k}: ${JSON.stringify(ev[k])} != ${JSON.stringify(v.expect[k])}`)
  }
  const req = { format: v.format, cookie: v.cookie, keys: v.keys, params: v.params, now: v.now }
  if ('max_age' in v) req.max_age = v.max_age
  if ('leeway' in v) req.leeway = v.leeway
  reqs.push(JSON.stringify(req))
  if (v.resign) {
    const e = v.expect
    const got = C.resign(v.format, e.payload, v.keys[e.key_index], v.params, e.signed_at)
    if (got !== v.cookie) problem(`RESIGN ${v.name}: ${got} != ${v.cookie}`)
  }
}

const proc = spawnSync(process.execPath, [path.join(__dirname, 'accept.js')], { input: reqs.join('\n') + '\n', encoding: 'utf8' })
if (proc.status !== 0) problem('accept.js failed: ' + proc.stderr)
const answers = proc.stdout.split('\n').filter(Boolean).map(l => JSON.parse(l))
if (answers.length !== doc.vectors.length) problem(`accept.js answered ${answers.length} lines for ${doc.vectors.length}`)
doc.vectors.forEach((v, i) => {
  const a = answers[i] || {}
  for (const k of ['status', 'payload', 'signed_at', 'key_index']) {
    if (!isDeepStrictEqual(a[k], v.expect[k])) problem(`ACCEPT ${v.name}: ${k}: ${JSON.stringify(a[k])} != ${JSON.stringify(v.expect[k])}`)
  }
  if (a.library_result !== v.library_result) problem(`ACCEPT ${v.name}: library_result ${a.library_result}`)
})

const count = {}
for (const v of doc.vectors) {
  const k = v.format + ' ' + v.expect.status
  count[k] = (count[k] || 0) + 1
}
console.error(JSON.stringify(count))
console.error(`${doc.vectors.length} vectors checked, ${bad} problems`)
process.exit(bad ? 1 : 0)

# frozen_string_literal: true

# Vectors for Signet's rails-signed / rails-encrypted formats, written and read by the real
# ActionDispatch cookie jar (Debian bookworm: actionpack / activesupport 6.1.7.10), and the other
# direction (accept): does the jar read cookies Signet made?
#
#   ruby tests/interop/rails/rails_cookies.rb gen > tests/vectors/rails.json
#   ruby tests/interop/rails/rails_cookies.rb accept    # JSON lines in, JSON lines out
#
# What 6.1 lacks is added exactly as Rails 7+ does it, and nothing else is changed:
# * KeyGenerator with hash_digest_class SHA256 (6.1's KeyGenerator is PBKDF2-HMAC-SHA1 only):
#   OpenSSL::PKCS5.pbkdf2_hmac(secret, salt, 1000, len, SHA256), as rails v8.0.2 key_generator.rb.
# * The 7.1 `data` envelope (use_message_serializer_for_metadata): written by serializing
#   {"_rails" => {"data" => value, ["exp" => ...,] "pur" => "cookie.NAME"}} with
#   ActiveSupport::JSON and signing / encrypting it with 6.1's MessageVerifier / MessageEncryptor
#   without metadata; read by a Metadata.verify that applies v8.0.2's
#   extract_from_metadata_envelope (exp, then purpose) to such envelopes.
# Encryption IVs come from a counter (OpenSSL::Cipher#random_iv is replaced) so a run is
# reproducible; time is frozen per vector (Time.now).

require "json"
require "openssl"
require "digest"
require "time"
require "ostruct"
require "active_support"
require "active_support/json"
require "active_support/key_generator"
require "active_support/message_verifier"
require "active_support/message_encryptor"
require "active_support/messages/rotation_configuration"
require "action_dispatch"
require "action_dispatch/middleware/cookies"
require "rack/mock"

NOW = 1_767_225_600

# ---------------------------------------------------------------- determinism
$frozen_now = nil
Time.singleton_class.prepend(Module.new do
  def now
    $frozen_now ? Time.at($frozen_now).utc : super
  end
end)

$iv_counter = 0
OpenSSL::Cipher.prepend(Module.new do
  def random_iv
    $iv_counter += 1
    iv = Digest::SHA256.digest("signet-rails-iv-#{$iv_counter}")[0, iv_len]
    self.iv = iv
    iv
  end
end)

# Rails 7.1+ reading of the `data` envelope (metadata.rb v8.0.2 extract_from_metadata_envelope).
ActiveSupport::Messages::Metadata.singleton_class.prepend(Module.new do
  def verify(message, purpose)
    data = (JSON.parse(message) rescue nil)
    if data.is_a?(Hash) && data["_rails"].is_a?(Hash) && data["_rails"].key?("data")
      hash = data["_rails"]
      return nil if hash["exp"] && Time.now.utc >= Time.iso8601(hash["exp"])
      return nil if hash["pur"].to_s != purpose.to_s
      return ActiveSupport::JSON.encode(hash["data"])
    end
    super
  end
end)

# ---------------------------------------------------------------- key generators
# rails v8.0.2 ActiveSupport::KeyGenerator with hash_digest_class: OpenSSL::Digest::SHA256.
class Sha256KeyGenerator
  def initialize(secret, iterations: 1000)
    @secret = secret
    @iterations = iterations
  end

  def generate_key(salt, key_size = 64)
    OpenSSL::PKCS5.pbkdf2_hmac(@secret, salt, @iterations, key_size, OpenSSL::Digest::SHA256.new)
  end
end

def key_generator(secret, keygen)
  kg = keygen == "sha256" ? Sha256KeyGenerator.new(secret) : ActiveSupport::KeyGenerator.new(secret, iterations: 1000)
  ActiveSupport::CachingKeyGenerator.new(kg)
end

# A request as a Rails app configures it (config.action_dispatch.* defaults).
# `rotations`: the app's config.action_dispatch.cookies_rotations (tests/interop/rails/rails_rotation.rb).
def request(secret, keygen: "sha1", serializer: :json, metadata: true, aead: true, digest: nil,
            cookies: {}, rotations: ActiveSupport::Messages::RotationConfiguration.new)
  env = Rack::MockRequest.env_for("/")
  env.merge!(
    "action_dispatch.key_generator" => key_generator(secret, keygen),
    "action_dispatch.secret_key_base" => secret,
    "action_dispatch.signed_cookie_salt" => "signed cookie",
    "action_dispatch.encrypted_cookie_salt" => "encrypted cookie",
    "action_dispatch.encrypted_signed_cookie_salt" => "signed encrypted cookie",
    "action_dispatch.authenticated_encrypted_cookie_salt" => "authenticated encrypted cookie",
    "action_dispatch.use_authenticated_cookie_encryption" => aead,
    "action_dispatch.use_cookies_with_metadata" => metadata,
    "action_dispatch.cookies_serializer" => serializer,
    "action_dispatch.signed_cookie_digest" => digest,
    "action_dispatch.cookies_rotations" => rotations,
  )
  req = ActionDispatch::Request.new(env)
  req.cookie_jar.update(cookies)
  req
end

# The 7.1 `data` envelope, serialized as metadata.rb v8.0.2 does (data, exp if any, pur).
def data_envelope(value, name, expires_at: nil)
  hash = { "data" => value }
  hash["exp"] = expires_at.utc.iso8601(3) if expires_at
  hash["pur"] = "cookie.#{name}"
  ActiveSupport::JSON.encode({ "_rails" => hash })
end

# Writes a cookie with the real jar (or, for the 7.1 envelope, with MessageVerifier /
# MessageEncryptor) and returns the value as stored (not URL-encoded).
def write(kind, secret, name, value, opts = {})
  keygen = opts.fetch(:keygen, "sha1")
  if opts[:style] == "data"
    kg = key_generator(secret, keygen)
    json = data_envelope(value, name, expires_at: opts[:expires])
    null = ActiveSupport::MessageEncryptor::NullSerializer
    if kind == "signed"
      v = ActiveSupport::MessageVerifier.new(kg.generate_key("signed cookie"), digest: opts[:digest] || "SHA1", serializer: null)
      return v.generate(json)
    end
    e = ActiveSupport::MessageEncryptor.new(kg.generate_key("authenticated encrypted cookie", 32), cipher: "aes-256-gcm", serializer: null)
    return e.encrypt_and_sign(json)
  end
  req = request(secret, keygen: keygen, serializer: opts.fetch(:serializer, :json),
                        metadata: opts.fetch(:style, "message") == "message", aead: !opts[:cbc],
                        digest: opts[:digest])
  jar = kind == "signed" ? req.cookie_jar.signed : req.cookie_jar.encrypted
  jar[name] = opts[:expires] ? { value: value, expires: opts[:expires] } : { value: value }
  req.cookie_jar[name]
end

# Reads a cookie with the real jar: [value, found?].
def read(kind, secret, name, cookie, opts = {})
  req = request(secret, keygen: opts.fetch(:keygen, "sha1"), serializer: opts.fetch(:serializer, :json),
                        aead: !opts[:cbc], digest: opts[:digest], cookies: { name => cookie })
  jar = kind == "signed" ? req.cookie_jar.signed : req.cookie_jar.encrypted
  v = jar[name]
  [v, !v.nil?]
rescue StandardError => e
  [e.class.name, false]
end

# What the app reads with a key list, trying each key (and key generator) in order.
def library(kind, name, cookie, keys, params, now)
  $frozen_now = now
  gens = case params["key_derivation"]
         when "pbkdf2-sha1" then ["sha1"]
         when "pbkdf2-sha256" then ["sha256"]
         else %w[sha256 sha1]
         end
  digest = params["digest"]&.upcase
  keys.each_with_index do |k, i|
    gens.each do |g|
      # Both the AEAD jar and a jar that still writes legacy CBC cookies (reads them too).
      [false, true].each do |cbc|
        next if kind == "signed" && cbc
        # :marshal reads JSON too (MarshalWithJsonFallback) and, unlike :hybrid, never rewrites.
        v, ok = read(kind, k, name, cookie, keygen: g, serializer: :marshal, digest: digest, cbc: cbc)
        return [i, v, g] if ok
      end
    end
  end
  nil
ensure
  $frozen_now = nil
end

def key_bytes(k)
  k["text"] || [k["hex"]].pack("H*")
end

# ---------------------------------------------------------------- generation
SKB = Digest::SHA512.hexdigest("signet rails secret_key_base 1")
SKB2 = Digest::SHA512.hexdigest("signet rails secret_key_base 2")
WRONG = Digest::SHA512.hexdigest("not the secret")
SHORT = "development-secret"

Point = Struct.new(:x, :y)
class User
  def initialize(id, name)
    @id = id
    @name = name
  end
end

# Rack's escaping, as Set-Cookie carries the value and the browser holds it (the vectors' `cookie`).
def escaped(value)
  Rack::Utils.escape(value)
end

# A keyless reading of a signed cookie's message, as Signet shows it before any key is tried.
def keyless(cookie)
  data = cookie.split("--")[0]
  msg = Base64.strict_decode64(data)
  j = JSON.parse(msg)
  if j.is_a?(Hash) && j["_rails"].is_a?(Hash)
    r = j["_rails"]
    return r["data"] if r.key?("data")
    return JSON.parse(Base64.strict_decode64(r["message"]))
  end
  j
rescue StandardError
  nil
end

def json_of(value)
  JSON.parse(ActiveSupport::JSON.encode(value))
end

def tamper(text, index)
  c = text[index]
  text.dup.tap { |t| t[index] = c == "A" ? "B" : "A" }
end

$vectors = []

# One vector: `expect_rejected` is Signet's status when the jar returns nil.
def vec(name, kind, cookie, keys:, params: {}, input: nil, now: NOW, rejected: "bad-signature",
        payload: :library, opened: nil, note:, notes: nil, resign: false, tree: nil, app_digest: nil)
  format = kind == "signed" ? "rails-signed" : "rails-encrypted"
  # The name the app reads the cookie under: the pasted name, else the one given, else session.
  app_name = input.to_s[/\A(?:Set-Cookie: )?([A-Za-z_][A-Za-z0-9_]*)=/, 1] || params["cookie_name"] || "session"
  app_params = app_digest ? params.merge("digest" => app_digest) : params
  got = library(kind, app_name, cookie, keys.map { |k| key_bytes(k) }, app_params, now)
  if got
    index, value, gen = got
    status = "valid"
    shown = tree || json_of(value)
    key_index = index
    library_result = "ok (key generator #{gen})"
  else
    status = rejected
    key_index = opened
    library_result = "nil"
    shown = case payload
            when :library then nil
            when :keyless then keyless(cookie)
            else payload
            end
    shown = nil if status == "malformed"
  end
  raise "#{name}: expected the jar to reject it" if got && rejected != "bad-signature" && payload != :library
  v = {
    "name" => "#{format}/#{name}",
    "format" => format,
    "input" => input || escaped(cookie),
    "cookie" => escaped(cookie),
    "keys" => keys,
    "params" => params,
    "now" => now,
    "library_result" => library_result,
    "expect" => {
      "status" => status, "payload" => shown, "signed_at" => nil, "key_index" => key_index,
      "compressed" => false, "lenient_base64" => false
    },
    "resign" => resign && status == "valid",
    "note" => note,
  }
  v["expect_notes"] = notes if notes
  $vectors << v
end

def k(text)
  { "text" => text }
end

def generate
  value = { "user_id" => 42, "name" => "Ada <admin> & co", "roles" => ["editor", "é"], "flag" => true, "none" => nil }
  later = Time.at(NOW + 3600).utc
  earlier = Time.at(NOW - 60).utc

  # ------------------------------------------------------------ signed
  %w[sha1 sha256].each do |g|
    [["SHA1", "sha1"], ["SHA256", "sha256"], ["SHA512", "sha512"]].each do |digest, d|
      next if digest == "SHA512" && g == "sha1"
      %w[message bare data].each do |style|
        next if style == "data" && digest == "SHA512"
        c = write("signed", SKB, "session", value, keygen: g, digest: digest, style: style)
        gen_note = g == "sha256" ? "Rails 7.0+ defaults" : "Rails <= 6.1 defaults"
        vec("#{g}/#{d}/#{style}", "signed", c, keys: [k(SKB)], input: "session=#{escaped(c)}",
            note: "key generator #{g.upcase}, digest #{digest}, #{style} envelope",
            notes: ["derived with #{g.upcase}: #{gen_note}"],
            app_digest: digest)
      end
    end
  end
  c = write("signed", SKB, "session", value, keygen: "sha256", style: "data")
  vec("sha256/data/resign", "signed", c, keys: [k(SKB)], params: { "cookie_name" => "session" },
      note: "the Rails 7.1 defaults Signet signs with: re-signing gives the same cookie", resign: true)
  c = write("signed", SKB, "session", value, keygen: "sha1", style: "message")
  vec("sha1/message/resign", "signed", c, keys: [k(SKB)], params: { "cookie_name" => "session", "variant" => "rails-6.1" },
      note: "variant rails-6.1: message envelope, SHA1 key generator, byte-identical", resign: true)
  vec("sha1/message/raw-input", "signed", c, keys: [k(SKB)], input: "session=#{c}",
      note: "not URL-encoded (as a Ruby console prints it)")
  vec("sha1/message/set-cookie", "signed", c, keys: [k(SKB)], input: "Set-Cookie: session=#{escaped(c)}; path=/; HttpOnly",
      note: "a Set-Cookie line")
  vec("sha1/message/name-unknown", "signed", c, keys: [k(SKB)], input: escaped(c),
      note: "a bare value: the purpose cannot be checked", notes: ["not checked"])
  vec("sha1/message/forced-sha1", "signed", c, keys: [k(SKB)], input: "session=#{escaped(c)}",
      params: { "key_derivation" => "pbkdf2-sha1" }, note: "--key-derivation pbkdf2-sha1")
  vec("sha1/message/forced-sha256", "signed", c, keys: [k(SKB)], input: "session=#{escaped(c)}",
      params: { "key_derivation" => "pbkdf2-sha256" }, payload: :keyless,
      note: "a SHA1-generated key, but only SHA256 is tried")
  vec("keys/second", "signed", c, keys: [k(WRONG), k(SKB)], input: "session=#{escaped(c)}",
      note: "rotation: the second key verifies")
  vec("keys/wrong", "signed", c, keys: [k(WRONG), k(SHORT)], input: "session=#{escaped(c)}", payload: :keyless,
      note: "no key verifies it: the data is still readable")
  vec("purpose/renamed", "signed", c, keys: [k(SKB)], input: "remember=#{escaped(c)}", payload: value,
      note: "signed for cookie.session, pasted as remember: the jar returns nil (purpose mismatch)")
  d71 = write("signed", SKB, "session", value, keygen: "sha256", style: "data")
  vec("purpose/renamed-data", "signed", d71, keys: [k(SKB)], input: "remember=#{escaped(d71)}", payload: value,
      note: "7.1 envelope, purpose mismatch")
  bare = write("signed", SKB, "session", value, keygen: "sha1", style: "bare")
  vec("purpose/bare-renamed", "signed", bare, keys: [k(SKB)], input: "remember=#{escaped(bare)}",
      note: "no envelope: the jar reads it under any name")
  [["message", "sha1"], ["data", "sha256"]].each do |style, g|
    fut = write("signed", SKB, "session", value, keygen: g, style: style, expires: later)
    vec("exp/#{style}-future", "signed", fut, keys: [k(SKB)], input: "session=#{escaped(fut)}",
        note: "exp an hour after now", notes: ["expires at"])
    past = write("signed", SKB, "session", value, keygen: g, style: style, expires: earlier)
    vec("exp/#{style}-past", "signed", past, keys: [k(SKB)], input: "session=#{escaped(past)}",
        rejected: "expired", payload: value, opened: 0, note: "exp a minute before now: nil")
    vec("exp/#{style}-at-now", "signed", past, keys: [k(SKB)], input: "session=#{escaped(past)}",
        now: NOW - 60, rejected: "expired", payload: value, opened: 0, note: "now == exp: expired (Time.now.utc < exp is fresh)")
    vec("exp/#{style}-just-before", "signed", past, keys: [k(SKB)], input: "session=#{escaped(past)}",
        now: NOW - 61, note: "a second before exp: fresh")
  end
  [["string", "just a string"], ["number", 12345], ["array", [1, "two", [3.5, nil]]],
   ["unicode", { "msg" => "héllo \u2028 😀 \"quoted\" \\ /" }], ["empty-hash", {}]].each do |n, v|
    c2 = write("signed", SKB2, "prefs", v, keygen: "sha256", style: "data")
    vec("values/#{n}", "signed", c2, keys: [k(SKB2)], input: "prefs=#{escaped(c2)}",
        params: { "cookie_name" => "prefs" }, note: "a #{n} value, re-signed byte for byte", resign: true)
  end
  # Tampering and malformed values.
  vec("bad/tampered-data", "signed", tamper(c, 3), keys: [k(SKB)], input: "session=#{escaped(tamper(c, 3))}",
      payload: :keyless, note: "a data character changed")
  dg = c.index("--") + 2
  vec("bad/tampered-digest", "signed", tamper(c, dg + 5), keys: [k(SKB)], input: "session=#{escaped(tamper(c, dg + 5))}",
      payload: :keyless, note: "a digest character changed")
  up = c[0, dg] + c[dg..].upcase
  vec("bad/uppercase-digest", "signed", up, keys: [k(SKB)], input: "session=#{escaped(up)}", payload: :keyless,
      note: "the same HMAC in upper-case hex: secure_compare on the text fails")
  vec("extra-part-ignored", "signed", "#{c}--junk", keys: [k(SKB)], input: "session=#{escaped("#{c}--junk")}",
      note: "a third --part: MessageVerifier destructures data, digest and ignores the rest")
  vec("bad/no-separator", "signed", c.sub("--", ""), keys: [k(SKB)], input: "session=#{escaped(c.sub("--", ""))}",
      rejected: "malformed", note: "no --")
  vec("bad/short-digest", "signed", c[0..-3], keys: [k(SKB)], input: "session=#{escaped(c[0..-3])}",
      rejected: "malformed", note: "38 hex digits fit no digest")
  vec("bad/data-not-base64", "signed", "e30!--#{c[dg..]}", keys: [k(SKB)], input: "session=e30!--#{c[dg..]}",
      rejected: "malformed", note: "'!' in the data: strict base64 fails")
  # Marshal payloads (cookies_serializer :marshal / :hybrid reading old cookies).
  cyclic = [1]
  cyclic << cyclic
  marshal_cases = [
    ["hash", { "user_id" => 7, "csrf" => "abc", "flash" => { "notice" => "Saved" } }, nil],
    ["symbols", { user: :admin, list: [:a, :b, :a] }, { "user" => "admin", "list" => ["a", "b", "a"] }],
    ["numbers", { "big" => 2**70, "neg" => -(2**40), "f" => 1.25, "small" => -3 },
     { "big" => 1180591620717411303424, "neg" => -1099511627776, "f" => 1.25, "small" => -3 }],
    ["cyclic", { "loop" => cyclic }, { "loop" => [1, { "@ref" => 2 }] }],
    ["struct", { "p" => Point.new(1, 2) }, { "p" => { "@struct" => "Point", "@members" => { "x" => 1, "y" => 2 } } }],
    ["object", { "u" => User.new(5, "ann") }, { "u" => { "@class" => "User", "@ivars" => { "@id" => 5, "@name" => "ann" } } }],
    ["shared-string", (s = "same"; { "a" => s, "b" => s }), { "a" => "same", "b" => { "@ref" => 2 } }],
  ]
  marshal_cases.each do |n, v, tree|
    c2 = write("signed", SKB, "session", v, keygen: "sha1", serializer: :marshal, style: "message")
    tree ||= json_of(v)
    vec("marshal/#{n}", "signed", c2, keys: [k(SKB)], input: "session=#{escaped(c2)}", tree: tree,
        note: "Marshal-serialized #{n} (serializer :marshal): read-only tree", notes: ["Marshal"])
  end
  old = write("signed", SKB, "session", { "id" => 1 }, keygen: "sha1", serializer: :marshal, style: "bare")
  vec("marshal/no-envelope", "signed", old, keys: [k(SKB)], input: "_app_session=#{escaped(old)}",
      note: "a Rails 4-era cookie: Marshal without an envelope")

  # ------------------------------------------------------------ encrypted
  %w[sha1 sha256].each do |g|
    %w[message bare data].each do |style|
      c = write("encrypted", SKB, "session", value, keygen: g, style: style)
      gen_note = g == "sha256" ? "Rails 7.0+ defaults" : "Rails <= 6.1 defaults"
      vec("#{g}/#{style}", "encrypted", c, keys: [k(SKB)], input: "session=#{escaped(c)}",
          note: "AES-256-GCM, key generator #{g.upcase}, #{style} envelope",
          notes: ["derived with #{g.upcase}: #{gen_note}"])
    end
  end
  e = write("encrypted", SKB, "session", value, keygen: "sha256", style: "data")
  vec("raw-input", "encrypted", e, keys: [k(SKB)], input: "session=#{e}", note: "not URL-encoded")
  vec("set-cookie", "encrypted", e, keys: [k(SKB)], input: "Set-Cookie: session=#{escaped(e)}; path=/; secure; HttpOnly", note: "a Set-Cookie line")
  vec("name-from-params", "encrypted", e, keys: [k(SKB)], input: escaped(e), params: { "cookie_name" => "session" }, note: "bare value, --cookie-name")
  vec("keys/third", "encrypted", e, keys: [k(WRONG), k(SKB2), k(SKB)], input: "session=#{escaped(e)}", note: "the third key decrypts")
  vec("keys/wrong", "encrypted", e, keys: [k(WRONG)], input: "session=#{escaped(e)}", note: "no key decrypts it")
  vec("forced-sha1", "encrypted", e, keys: [k(SKB)], input: "session=#{escaped(e)}", params: { "key_derivation" => "pbkdf2-sha1" },
      note: "made with SHA256, only SHA1 tried")
  vec("purpose/renamed", "encrypted", e, keys: [k(SKB)], input: "user=#{escaped(e)}", payload: value,
      note: "purpose cookie.session read as user: nil")
  fut = write("encrypted", SKB, "session", value, keygen: "sha1", style: "message", expires: later)
  vec("exp/future", "encrypted", fut, keys: [k(SKB)], input: "session=#{escaped(fut)}", note: "exp an hour ahead")
  past = write("encrypted", SKB, "session", value, keygen: "sha256", style: "data", expires: earlier)
  vec("exp/past", "encrypted", past, keys: [k(SKB)], input: "session=#{escaped(past)}", rejected: "expired",
      payload: value, opened: 0, note: "expired a minute ago")
  ct, iv, tag = e.split("--")
  flip = ->(b64, i) { bytes = Base64.strict_decode64(b64).bytes; bytes[i] ^= 1; Base64.strict_encode64(bytes.pack("C*")) }
  [["tampered-ciphertext", [flip.(ct, 0), iv, tag]], ["tampered-iv", [ct, flip.(iv, 3), tag]],
   ["tampered-tag", [ct, iv, flip.(tag, 15)]]].each do |n, parts|
    t = parts.join("--")
    vec("bad/#{n}", "encrypted", t, keys: [k(SKB)], input: "session=#{escaped(t)}", note: "one bit flipped")
  end
  short_tag = [ct, iv, Base64.strict_encode64(Base64.strict_decode64(tag)[0, 12])].join("--")
  vec("bad/truncated-tag", "encrypted", short_tag, keys: [k(SKB)], input: "session=#{escaped(short_tag)}", rejected: "malformed",
      note: "a 12-byte tag: MessageEncryptor requires 16")
  short_iv = [ct, Base64.strict_encode64(Base64.strict_decode64(iv)[0, 8]), tag].join("--")
  vec("bad/short-iv", "encrypted", short_iv, keys: [k(SKB)], input: "session=#{escaped(short_iv)}", rejected: "malformed",
      note: "an 8-byte IV")
  vec("bad/not-base64", "encrypted", "#{ct}!--#{iv}--#{tag}", keys: [k(SKB)], input: "session=#{escaped("#{ct}!--#{iv}--#{tag}")}",
      rejected: "malformed", note: "'!' in the ciphertext")
  vec("extra-part-ignored", "encrypted", "#{e}--QUJD", keys: [k(SKB)], input: "session=#{escaped("#{e}--QUJD")}",
      note: "a fourth --part: MessageEncryptor destructures the first three and ignores the rest")
  vec("bad/no-tag", "encrypted", "#{ct}--#{iv}", keys: [k(SKB)], input: "session=#{escaped("#{ct}--#{iv}")}", rejected: "malformed",
      note: "the tag missing: not a legacy cookie either")
  # Legacy AES-256-CBC + HMAC (use_authenticated_cookie_encryption = false).
  [["sha1", "message"], ["sha1", "bare"], ["sha256", "message"]].each do |g, style|
    c = write("encrypted", SKB, "session", value, keygen: g, style: style, cbc: true)
    vec("cbc/#{g}/#{style}", "encrypted", c, keys: [k(SKB)], input: "session=#{escaped(c)}",
        note: "legacy AES-256-CBC + HMAC-SHA1, key generator #{g.upcase}, #{style} envelope", notes: ["legacy AES-256-CBC"])
  end
  cbc = write("encrypted", SKB, "session", value, keygen: "sha1", style: "message", cbc: true)
  cdg = cbc.index("--") + 2
  vec("cbc/tampered-hmac", "encrypted", tamper(cbc, cdg + 1), keys: [k(SKB)], input: "session=#{escaped(tamper(cbc, cdg + 1))}",
      note: "the HMAC changed")
  vec("cbc/wrong-key", "encrypted", cbc, keys: [k(SKB2)], input: "session=#{escaped(cbc)}", note: "another secret_key_base")
  vec("cbc/renamed", "encrypted", cbc, keys: [k(SKB)], input: "other=#{escaped(cbc)}", payload: value, note: "purpose mismatch")
  # Marshal inside encrypted cookies.
  marshal_cases.values_at(0, 3).each do |n, v, tree|
    c = write("encrypted", SKB, "session", v, keygen: "sha1", serializer: :marshal, style: "message")
    vec("marshal/#{n}", "encrypted", c, keys: [k(SKB)], input: "session=#{escaped(c)}", tree: tree || json_of(v),
        note: "Marshal-serialized #{n}", notes: ["Marshal"])
  end
  c = write("encrypted", SKB, "session", { "a" => 1 }, keygen: "sha1", serializer: :marshal, style: "bare", cbc: true)
  vec("marshal/cbc-no-envelope", "encrypted", c, keys: [k(SKB)], input: "_app_session=#{escaped(c)}",
      note: "Rails 4-era: CBC, Marshal, no envelope")

  {
    "generator" => "tests/interop/rails/rails_cookies.rb",
    "versions" => { "actionpack" => ActionPack.version.to_s, "activesupport" => ActiveSupport.version.to_s,
                    "ruby" => RUBY_VERSION, "rack" => Rack.release },
    "vectors" => $vectors,
  }
end

# ---------------------------------------------------------------- accept
def accept(req)
  kind = req["format"] == "rails-signed" ? "signed" : "encrypted"
  params = req["params"] || {}
  name = params["cookie_name"] || "session"
  cookie = Rack::Utils.unescape(req["cookie"])
  keys = (req["keys"] || []).map { |kk| key_bytes(kk) }
  got = library(kind, name, cookie, keys, params, req["now"] || NOW)
  if got
    { "status" => "valid", "payload" => json_of(got[1]), "signed_at" => nil, "key_index" => got[0] }
  else
    { "status" => "bad-signature", "payload" => nil, "signed_at" => nil, "key_index" => nil }
  end
end

# rails_rotation.rb loads this file for its helpers (require_relative): run only when it is the script.
if __FILE__ == $PROGRAM_NAME
  case ARGV[0]
  when "gen"
    puts JSON.pretty_generate(generate)
  when "accept"
    $stdout.sync = true
    $stdin.each_line do |line|
      next if line.strip.empty?
      puts JSON.generate(accept(JSON.parse(line)))
    end
  else
    warn "usage: rails_cookies.rb gen | accept"
    exit 2
  end
end

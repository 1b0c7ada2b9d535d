# frozen_string_literal: true

# Rails key rotation, decided by the real ActionDispatch cookie jars (Debian bookworm: actionpack /
# activesupport 6.1.7.10) for tests/rotation.rs. JSON lines in, one JSON line out per request:
#
#   {"op": "batch", "kind": "signed"|"encrypted", "name": "session", "now": UNIX,
#    "signers": [{"secret_key_base": "...", "keygen": "sha1"|"sha256"}, ...]}
#     -> {"cookies": [{"line": "session=...", "what": "..."}, ...]}
#   A batch of cookies written by the real jar for every signer: the 5.2-7.0 `message` envelope,
#   the 7.1 `data` envelope, no envelope (before 5.2), legacy AES-256-CBC (encrypted, before 5.2),
#   a SHA256 signed_cookie_digest (signed); no expiry, `expires: 1.hour` (expires_in) written long
#   enough ago to have expired or not, `expires: Time` in the past; then garbage: a tampered
#   cookie, one written for another cookie name, text that is no cookie.
#
#   {"op": "read", "kind": ..., "line": "session=...", "now": UNIX,
#    "config": {"primary": {"secret_key_base": ..., "keygen": ..., ["digest": "SHA256"]},
#               "rotations": [{"secret_key_base": ..., "keygen": ..., ["digest": ...]}, ...]}}
#     -> {"status": "valid"|"expired"|"bad-signature", "key_index": N|null, "value": ...}
#   What an app configured so reads: secret_key_base with
#   config.active_support.key_generator_hash_digest_class = keygen, and for each rotation the Rails
#   7.0 upgrade guide's recipe, keys derived from that secret_key_base by a KeyGenerator with that
#   hash and given to config.action_dispatch.cookies_rotations:
#     cookies.rotate :signed, key_generator.generate_key(signed_cookie_salt)
#     cookies.rotate :encrypted, key_generator.generate_key(authenticated_encrypted_cookie_salt, 32)
#   A "digest" is the primary's config.action_dispatch.signed_cookie_digest, or that rotation's
#   `digest:` option (cookies.rotate :signed, key, digest: "SHA1"); without one, Rails' defaults.
#   The jar's own rotation machinery (ActiveSupport::Messages::Rotator) does the rest, including
#   the legacy AES-256-CBC reading the encrypted jar appends for the primary
#   (upgrade_legacy_hmac_aes_cbc_cookies). `key_index`: 0 for the primary (and that legacy
#   reading), N for the N-th rotation, as Signet numbers a key set. "expired": the jar returns nil
#   now, but the same app reads it at a time before every exp (the envelope's expiry is the only
#   thing that depends on the time).
#
# The helpers (request, write, key generators, the 7.1 envelope, frozen time, reproducible IVs)
# are rails_cookies.rb's.

require_relative "rails_cookies"
require "active_support/core_ext/integer/time"

# An app derives its keys once (Rails.application.key_generator is a CachingKeyGenerator): one
# key generator per secret_key_base and hash, for the whole run.
KEY_GENERATORS = {}
alias uncached_key_generator key_generator
def key_generator(secret, keygen)
  KEY_GENERATORS[[secret, keygen]] ||= uncached_key_generator(secret, keygen)
end

# Which of the jar's rotations opened the message: the index in its @rotations (the real
# Rotator#run_rotations runs unchanged; the block only notes the rotation that answered).
module RecordRotation
  private

  def run_rotations(on_rotation)
    index = -1
    super(on_rotation) do |rotation|
      index += 1
      message = yield(rotation)
      $rotation_used = index if message
      message
    end
  end
end
ActiveSupport::MessageVerifier.prepend(RecordRotation)
ActiveSupport::MessageEncryptor.prepend(RecordRotation)

# ---------------------------------------------------------------- batch
def batch(req)
  kind = req["kind"]
  name = req["name"] || "session"
  now = req["now"]
  out = []
  add = lambda do |what, written_at, write_name: name, read_name: name, **opts|
    $frozen_now = written_at
    value = { "user_id" => out.size + 1, "name" => "user #{out.size + 1}" }
    cookie = write(kind, opts.delete(:secret), write_name, value, opts)
    out << { "line" => "#{read_name}=#{Rack::Utils.escape(cookie)}", "what" => what }
  ensure
    $frozen_now = nil
  end
  req["signers"].each_with_index do |signer, s|
    skb = signer["secret_key_base"]
    g = signer["keygen"]
    who = "signer #{s} (#{g.upcase} key generator)"
    styles = %w[message data bare]
    styles << "cbc" if kind == "encrypted"
    styles << "sha256-digest" if kind == "signed"
    styles.each do |style|
      opts = { secret: skb, keygen: g }
      case style
      when "cbc" then opts.merge!(style: "bare", cbc: true)
      when "sha256-digest" then opts.merge!(style: "message", digest: "SHA256")
      else opts[:style] = style
      end
      add.("#{who}, #{style}", now - 600, **opts)
      next if %w[bare cbc].include?(style) # no envelope: no exp

      # The 7.1 envelope is written by hand (6.1's jar cannot): its exp is Time.now + expires_in.
      if style == "data"
        add.("#{who}, #{style}, expires_in 1h, written 10 minutes ago", now - 600, **opts,
             expires: Time.at(now - 600 + 3600).utc)
        add.("#{who}, #{style}, expires_in 1h, written 2 hours ago", now - 7200, **opts,
             expires: Time.at(now - 7200 + 3600).utc)
      else
        add.("#{who}, #{style}, expires_in 1h, written 10 minutes ago", now - 600, **opts, expires: 1.hour)
        add.("#{who}, #{style}, expires_in 1h, written 2 hours ago", now - 7200, **opts, expires: 1.hour)
      end
      add.("#{who}, #{style}, expires_at a minute ago", now - 7200, **opts, expires: Time.at(now - 60).utc)
    end
  end
  first = req["signers"][0]
  base = { secret: first["secret_key_base"], keygen: first["keygen"], style: "message" }
  add.("signer 0, written for cookie remember_token, sent as #{name}", now - 600, **base,
       write_name: "remember_token")
  $frozen_now = now - 600
  good = write(kind, first["secret_key_base"], name, { "id" => 1 }, keygen: first["keygen"], style: "message")
  $frozen_now = nil
  bad = good.dup
  at = kind == "signed" ? good.index("--") + 4 : 5 # a signature digit, a ciphertext character
  bad[at] = bad[at] == "a" ? "b" : "a"
  out << { "line" => "#{name}=#{Rack::Utils.escape(bad)}", "what" => "signer 0, one character changed" }
  out << { "line" => "#{name}=#{Rack::Utils.escape(good.split("--")[0])}", "what" => "signer 0, the signature cut off" }
  out << { "line" => "#{name}=not-a-rails-cookie", "what" => "not a cookie" }
  { "cookies" => out }
end

# ---------------------------------------------------------------- read
# A request to an app with `config` (its cookies_rotations built as the Rails 7.0 upgrade guide
# builds them), carrying the Cookie header `line`.
def app_request(config, line)
  rotations = ActiveSupport::Messages::RotationConfiguration.new
  config["rotations"].each do |r|
    kg = key_generator(r["secret_key_base"], r["keygen"])
    # Without its own digest: the primary's, as Rotator merges the jar's options.
    digest = r["digest"] ? { digest: r["digest"] } : {}
    rotations.rotate :signed, kg.generate_key("signed cookie"), **digest
    rotations.rotate :encrypted, kg.generate_key("authenticated encrypted cookie", ActiveSupport::MessageEncryptor.key_len)
  end
  primary = config["primary"]
  request(primary["secret_key_base"], keygen: primary["keygen"], serializer: :json, digest: primary["digest"],
                                      cookies: Rack::Utils.parse_cookies_header(line), rotations: rotations)
end

def read_with(req_json)
  kind = req_json["kind"]
  line = req_json["line"]
  config = req_json["config"]
  name = line[/\A([^=]+)=/, 1]
  now = req_json["now"]
  # Now, then long before any exp.
  [[now, "valid"], [now - 10 * 365 * 86_400, "expired"]].each do |at, status|
    $frozen_now = at
    $rotation_used = nil
    req = app_request(config, line)
    jar = kind == "signed" ? req.cookie_jar.signed : req.cookie_jar.encrypted
    value = begin
      jar[name]
    rescue StandardError
      nil
    end
    next if value.nil?

    used = $rotation_used
    # Past the cookies_rotations entries: the encrypted jar's legacy CBC reading of the primary.
    index = used.nil? || used >= config["rotations"].size ? 0 : used + 1
    return { "status" => status, "key_index" => index, "value" => json_of(value) }
  end
  { "status" => "bad-signature", "key_index" => nil, "value" => nil }
ensure
  $frozen_now = nil
end

$stdout.sync = true
$stdin.each_line do |l|
  next if l.strip.empty?

  r = JSON.parse(l)
  puts JSON.generate(r["op"] == "batch" ? batch(r) : read_with(r))
end

<?php
// Vectors for Signet's `laravel` format, and the other direction (accept): would Laravel's
// EncryptCookies read a cookie Signet encrypted?
//
//   php tests/interop/laravel/laravel_cookies.php gen > tests/vectors/laravel.json
//   php tests/interop/laravel/laravel_cookies.php accept   # JSON lines in, JSON lines out
//
// THE REAL FRAMEWORK: Laravel 8.83.26 as Debian 12 ships it (Packagist is unreachable here):
//
//   apt-get install --no-install-recommends php-cli php-illuminate-encryption php-illuminate-cookie
//
// loaded through Debian's own autoloaders (/usr/share/php/Illuminate/*/autoload.php, which pull in
// illuminate/support, illuminate/contracts and symfony/http-foundation). Every encryption,
// decryption, MAC, cookie prefix and key parse is done by the unmodified framework classes:
//   Illuminate\Cookie\Middleware\EncryptCookies  handle(): the middleware itself, reading a
//                                                Symfony Request's cookie and encrypting the
//                                                cookie a Response sets (its Set-Cookie text is
//                                                what the browser sends back)
//   Illuminate\Encryption\Encrypter              encrypt / decrypt (the DecryptException message
//                                                tells the status layer why a cookie was nulled;
//                                                its protected hash() MACs the bad-padding case)
//   Illuminate\Cookie\CookieValuePrefix          create / remove
//   Illuminate\Encryption\EncryptionServiceProvider::parseKey  ("base64:" APP_KEYs)
//
// What this script adds is harness only:
// * Fixed IVs for `gen`. Encrypter::encrypt calls random_bytes() unqualified from namespace
//   Illuminate\Encryption, so PHP looks for Illuminate\Encryption\random_bytes first: the one
//   defined below hands out the IV queued for the vector being made (derived from its label) and
//   is \random_bytes otherwise. Nothing else is intercepted (the Encrypter calls \openssl_encrypt
//   and \openssl_decrypt fully qualified). So `gen` is reproducible byte for byte.
// * Key lists. LARAVEL 8.83 HAS NO APP_PREVIOUS_KEYS: its Encrypter holds one key, and its
//   EncryptCookies checks the prefix against that key only (Laravel 11 added
//   Encrypter::previousKeys and CookieValuePrefix::validate over every key). Given several keys,
//   the harness runs one real EncryptCookies + Encrypter per key, in order, and reports the first
//   that yields the value. For a cookie Laravel wrote (encrypted and prefixed with one key) that
//   is what Laravel 11's APP_KEY, APP_PREVIOUS_KEYS loop does. Laravel 11's leniency for mixed
//   cookies (a prefix made with another key than the one that encrypts) has no code path in 8.83,
//   so no vector asserts it (Signet keeps Laravel 11's behaviour there: src/core/formats/laravel.rs).
// * variant no-prefix (apps 5.6.30 .. 6.18.26 / 7.22.3, before CookieValuePrefix): their
//   EncryptCookies set the cookie to Encrypter::decrypt($cookie, false), null on a
//   DecryptException; the harness makes exactly that call on the real Encrypter.
// * A status layer mapping Laravel's outcome (the value, or null and the DecryptException message)
//   onto Signet's statuses. Laravel 8.83's validPayload only isset()s iv, value and mac (Laravel
//   11 also requires strings), so an envelope with a non-string field fails 8.83's MAC check
//   ("The MAC is invalid.") where 11 says "The payload is invalid."; the layer calls both
//   malformed, as it calls a MAC failure on a MAC that is not 64 hex digits.
// Cookie values arrive URL-encoded and are rawurldecode()d once, as PHP does for $_COOKIE.

namespace Illuminate\Encryption {
    // The Encrypter's IV source during `gen` (see above); \random_bytes when no IV is queued.
    function random_bytes(int $length): string
    {
        return \SignetIv::take($length);
    }
}

namespace {

use Illuminate\Contracts\Encryption\DecryptException;
use Illuminate\Cookie\CookieValuePrefix;
use Illuminate\Cookie\Middleware\EncryptCookies;
use Illuminate\Encryption\Encrypter;
use Illuminate\Encryption\EncryptionServiceProvider;
use Symfony\Component\HttpFoundation\Cookie;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;

// Debian's php-cli: display_errors is off; any warning goes to stderr, never into the JSON.
// (Laravel 8 on PHP 8.2 raises deprecation notices, e.g. strlen(null) for a GCM cookie without
// a tag: silenced.)
error_reporting(E_ALL & ~E_DEPRECATED & ~E_USER_DEPRECATED);
ini_set('display_errors', 'stderr');

foreach (['Illuminate/Encryption/autoload.php', 'Illuminate/Cookie/autoload.php'] as $autoload) {
    if (! stream_resolve_include_path($autoload)) {
        fwrite(STDERR, "laravel_cookies.php: no $autoload on the include path: apt-get install php-illuminate-encryption php-illuminate-cookie\n");
        exit(2);
    }
    require_once $autoload;
}

const NOW = 1767225600;

final class SignetIv
{
    private static ?string $queued = null;

    public static function queue(string $iv): void
    {
        if (self::$queued !== null) {
            throw new LogicException('an IV is already queued');
        }
        self::$queued = $iv;
    }

    public static function take(int $length): string
    {
        if (self::$queued === null) {
            return \random_bytes($length);
        }
        if (strlen(self::$queued) !== $length) {
            throw new LogicException('queued IV has '.strlen(self::$queued)." bytes, the Encrypter wants $length");
        }
        [$iv, self::$queued] = [self::$queued, null];
        return $iv;
    }

    public static function assertTaken(): void
    {
        if (self::$queued !== null) {
            throw new LogicException('the Encrypter did not take the queued IV');
        }
    }
}

// ------------------------------------------------------------------ the framework, driven
// EncryptionServiceProvider::parseKey (protected; called on a provider instance, it needs no app).
function parse_key(string $key): string
{
    static $provider = null;
    $provider ??= new EncryptionServiceProvider(null);
    return (fn () => $this->parseKey(['key' => $key]))->call($provider);
}

function key_bytes(array $k): string
{
    return isset($k['text']) ? parse_key($k['text']) : hex2bin($k['hex']);
}

// The cookie value of a Set-Cookie header as Symfony writes it (rawurlencode()d).
function sent_value(Cookie $cookie): string
{
    $pair = explode(';', (string) $cookie, 2)[0];
    $prefix = $cookie->getName().'=';
    if (! str_starts_with($pair, $prefix)) {
        throw new LogicException("unexpected Set-Cookie: $pair");
    }
    return substr($pair, strlen($prefix));
}

// A response sets cookie $name to $value; the real EncryptCookies encrypts it (prefix . value,
// not serialized). Returns the value as sent in Set-Cookie.
function middleware_writes(Encrypter $e, string $name, string $value): string
{
    $response = (new EncryptCookies($e))->handle(Request::create('/'), function () use ($name, $value) {
        $response = new Response();
        $response->headers->setCookie(Cookie::create($name, $value));
        return $response;
    });
    $cookies = $response->headers->getCookies();
    if (count($cookies) !== 1) {
        throw new LogicException('EncryptCookies returned '.count($cookies).' cookies');
    }
    return sent_value($cookies[0]);
}

// Apps before CookieValuePrefix: EncryptCookies encrypted the bare value (not serialized).
function legacy_writes(Encrypter $e, string $name, string $value): string
{
    return sent_value(Cookie::create($name, $e->encrypt($value, false)));
}

// What the app behind the real EncryptCookies reads for cookie $name (null: nulled).
function middleware_reads(Encrypter $e, string $name, string $cookie): ?string
{
    $seen = null;
    (new EncryptCookies($e))->handle(
        Request::create('/', 'GET', [], [$name => $cookie]),
        function (Request $request) use ($name, &$seen) {
            $seen = $request->cookies->get($name);
            return new Response();
        }
    );
    return $seen;
}

// What an app before CookieValuePrefix read: Encrypter::decrypt($cookie, false), null on failure.
function legacy_reads(Encrypter $e, string $cookie): ?string
{
    try {
        return $e->decrypt($cookie, false);
    } catch (DecryptException $ex) {
        return null;
    }
}

// ------------------------------------------------------------------ test harness
function options(array $params): array
{
    $cipher = null;
    $prefixed = true;
    foreach (preg_split('/[,+]/', $params['variant'] ?? '', -1, PREG_SPLIT_NO_EMPTY) as $t) {
        $t = strtolower(trim($t));
        if (in_array($t, ['aes-256-cbc', 'aes-128-cbc', 'aes-256-gcm', 'aes-128-gcm', 'cbc', 'gcm'], true)) {
            $cipher = $t;
        } elseif (in_array($t, ['no-prefix', 'laravel-5', 'laravel-5.6', 'legacy'], true)) {
            $prefixed = false;
        }
    }
    return [$cipher, $prefixed];
}

// The app's cipher (config/app.php): given by the variant, else the one whose IV length the
// envelope has, sized by the APP_KEY (a harness choice: an app has exactly one).
function app_cipher(?string $cipher, string $cookie, string $key): string
{
    $size = strlen($key) === 16 ? '128' : '256';
    if ($cipher === 'cbc' || $cipher === 'gcm') {
        return "aes-$size-$cipher";
    }
    if ($cipher !== null) {
        return $cipher;
    }
    $p = json_decode(base64_decode($cookie), true);
    $iv = is_array($p) && is_string($p['iv'] ?? null) ? base64_decode($p['iv'], true) : false;
    return "aes-$size-".($iv !== false && strlen($iv) === 12 ? 'gcm' : 'cbc');
}

// What EncryptCookies makes of one cookie, in Signet's terms. One real Encrypter (and
// EncryptCookies) per key, tried in order: Laravel 8.83 has no APP_PREVIOUS_KEYS.
function judge(string $name, string $rawCookie, array $keys, array $params): array
{
    [$cipher, $prefixed] = options($params);
    $cookie = rawurldecode($rawCookie);
    $cipher = app_cipher($cipher, $cookie, $keys[0]);
    $encrypters = array_map(fn (string $k) => new Encrypter($k, $cipher), $keys);
    $out = ['status' => 'valid', 'payload' => null, 'signed_at' => null, 'key_index' => null,
            'library_result' => 'ok'];
    foreach ($encrypters as $i => $e) {
        $value = $prefixed ? middleware_reads($e, $name, $cookie) : legacy_reads($e, $cookie);
        if ($value !== null) {
            $out['payload'] = $value;
            $out['key_index'] = $i;
            return $out;
        }
    }

    // Nulled by every key. Why: the Encrypter's own answer, key by key.
    $errors = [];
    foreach ($encrypters as $i => $e) {
        try {
            $plain = $e->decrypt($cookie, false);
        } catch (DecryptException $ex) {
            $errors[$i] = $ex->getMessage();
            continue;
        }
        // Decrypted, but EncryptCookies nulled it: no CookieValuePrefix for this name and key
        // (the value never reaches the app; Signet: bad-signature, the decrypted value shown).
        $out['status'] = 'bad-signature';
        $out['payload'] = preg_match('/^[0-9a-f]{40}\|/', $plain) ? CookieValuePrefix::remove($plain) : $plain;
        $out['library_result'] = "null (EncryptCookies: key #$i decrypts it, but it does not start with CookieValuePrefix::create(name, key))";
        return $out;
    }
    $aead = str_ends_with($cipher, 'gcm');
    // A CBC "Could not decrypt the data." comes after that key's MAC matched: prefer it.
    $matched = $aead ? [] : array_keys($errors, 'Could not decrypt the data.', true);
    $at = $matched[0] ?? 0;
    $error = $errors[$at];
    $out['library_result'] = "null (DecryptException: $error)";
    $p = json_decode(base64_decode($cookie), true);
    if ($error === 'The MAC is invalid.') {
        // Signet calls a MAC that is not 64 hex digits, or a field that is not a string (Laravel
        // 11: "The payload is invalid."), malformed, not a wrong key.
        $strings = is_string($p['iv']) && is_string($p['value']) && is_string($p['mac']);
        $out['status'] = $strings && preg_match('/^[0-9a-fA-F]{64}$/', $p['mac']) ? 'bad-signature' : 'malformed';
    } elseif ($error === 'Could not decrypt the data.') {
        if (! $aead) {
            $out['status'] = 'malformed';            // a MAC matched, the padding did not
            $out['key_index'] = $at;
        } else {
            $tag = empty($p['tag']) ? '' : base64_decode($p['tag']);
            $out['status'] = strlen($tag) === 16 ? 'bad-signature' : 'malformed';
        }
    } else {
        $out['status'] = 'malformed';
    }
    return $out;
}

// ------------------------------------------------------------------ gen
$vectors = [];

function b64key(string $label, int $n = 32): string
{
    return 'base64:'.base64_encode(substr(hash('sha256', $label, true), 0, $n));
}

function iv_for(string $label, int $n): string
{
    return substr(hash('sha256', "iv:$label", true), 0, $n);
}

function vec(string $name, string $cookie, array $keys, array $opts = []): void
{
    global $vectors;
    $params = $opts['params'] ?? [];
    // The name the app reads it under: the pasted name, else the one given, else laravel_session.
    $appName = $opts['app_name'] ?? (preg_match('/^([A-Za-z0-9_-]+)=/', $opts['input'] ?? '', $mm)
        ? $mm[1] : ($params['cookie_name'] ?? 'laravel_session'));
    $got = judge($appName, $cookie, array_map('key_bytes', $keys), $params);
    if (isset($opts['want']) && $opts['want'] !== $got['status']) {
        fwrite(STDERR, "$name: expected {$opts['want']}, Laravel says {$got['status']} ({$got['library_result']})\n");
        exit(1);
    }
    $vectors[] = [
        'name' => "laravel/$name",
        'format' => 'laravel',
        'input' => $opts['input'] ?? $cookie,
        'cookie' => $cookie,
        'keys' => $keys,
        'params' => (object) $params,
        'now' => NOW,
        'library_result' => $got['library_result'],
        'expect' => [
            'status' => $got['status'],
            'payload' => $got['status'] === 'malformed' ? null : $got['payload'],
            'signed_at' => null,
            'key_index' => $got['key_index'],
            'compressed' => false,
            'lenient_base64' => false,
        ],
        'resign' => false,
        'note' => $opts['note'] ?? '',
    ];
}

// A cookie as the real EncryptCookies sends it (or, $prefixed false, as an app before
// CookieValuePrefix did), encrypted with the IV derived from $label.
function make(string $label, string $key, string $cipher, string $name, string $value, bool $prefixed = true): string
{
    $e = new Encrypter($key, $cipher);
    SignetIv::queue(iv_for($label, openssl_cipher_iv_length($cipher)));
    $cookie = $prefixed ? middleware_writes($e, $name, $value) : legacy_writes($e, $name, $value);
    SignetIv::assertTaken();
    return $cookie;
}

// An envelope rebuilt from edited fields (hand-made cookies).
function envelope(array $fields, int $flags = JSON_UNESCAPED_SLASHES): string
{
    return rawurlencode(base64_encode(json_encode($fields, $flags)));
}

function fields(string $cookie): array
{
    return json_decode(base64_decode(rawurldecode($cookie)), true);
}

function flip(string $s, int $i): string
{
    $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    $c = $s[$i];
    $s[$i] = $alphabet[(strpos($alphabet, $c) + 1) % 64];
    return $s;
}

function package_versions(array $packages): array
{
    $out = [];
    foreach ($packages as $p) {
        $v = trim((string) shell_exec('dpkg-query -W -f=\'${Version}\' '.escapeshellarg($p).' 2>/dev/null'));
        $out[$p] = $v === '' ? 'unknown' : $v;
    }
    return $out;
}

function generate(): array
{
    $k1 = b64key('app key 1');
    $k2 = b64key('app key 2');
    $k3 = b64key('app key 3');
    $k16 = b64key('app key aes-128', 16);
    $K = fn (string ...$ks) => array_map(fn ($k) => ['text' => $k], $ks);
    $sid = 'q3Yb0mEw1tXgvV8yq0c9m2o5Hk4pQz7aRbLcDdEeFfGg';
    $xsrf = 'Zk1sX0lmR2pDdk9xWnRmbVhkQ1F3a0hyU2N1eE9hV0Q';
    $raw = fn (string $k) => parse_key($k);
    $named = fn (string $n) => ['cookie_name' => $n];
    $perKey = 'Laravel 8.83 has no APP_PREVIOUS_KEYS: one real EncryptCookies + Encrypter per key, in order (as Laravel 11 tries APP_KEY, then APP_PREVIOUS_KEYS)';

    // Valid, AES-256-CBC (the default), prefixed (Laravel >= 6.18.27 / 7.22.4).
    foreach ([
        ['session-id', 'laravel_session', $sid],
        ['xsrf', 'XSRF-TOKEN', $xsrf],
        ['custom-name', 'remember_web_59ba36addc2b2f9401580f014c7f58ea4e30989d', '1|Tq3zvN|$2y$12$abc/def.ghi'],
        ['unicode', 'prefs', 'thème=sombre ✓ 日本'],
        ['empty', 'flag', ''],
        ['long', 'cart', str_repeat('item-42,', 60)],
        ['json-text', 'ui', '{"sidebar":true,"n":3}'],
    ] as [$label, $name, $value]) {
        $c = make("cbc/$label", $raw($k1), 'aes-256-cbc', $name, $value);
        vec("cbc/$label/pair", $c, $K($k1), ['input' => "$name=$c", 'app_name' => $name, 'want' => 'valid',
            'note' => 'AES-256-CBC + HMAC-SHA256, CookieValuePrefix for the name (EncryptCookies, Laravel 8.83)']);
        vec("cbc/$label/param", $c, $K($k1), ['params' => $named($name), 'want' => 'valid',
            'note' => 'bare value, name given as a parameter']);
    }
    $c = make('cbc/header', $raw($k1), 'aes-256-cbc', 'XSRF-TOKEN', $xsrf);
    $s = make('cbc/header-session', $raw($k1), 'aes-256-cbc', 'laravel_session', $sid);
    vec('cbc/cookie-header', $s, $K($k1), ['input' => "Cookie: XSRF-TOKEN=$c; laravel_session=$s", 'want' => 'valid',
        'note' => 'a Cookie: header with both Laravel cookies: each verifies under its own name']);
    vec('cbc/not-url-encoded', $s, $K($k1), ['input' => 'laravel_session='.rawurldecode($s), 'want' => 'valid',
        'note' => 'pasted already URL-decoded (=, + and / raw)']);

    // Valid, AES-256-GCM and AES-128.
    foreach ([['aes-256-gcm', $k1], ['aes-128-cbc', $k16], ['aes-128-gcm', $k16]] as [$cipher, $key]) {
        foreach ([['laravel_session', $sid], ['XSRF-TOKEN', $xsrf]] as [$name, $value]) {
            $c = make("$cipher/$name", $raw($key), $cipher, $name, $value);
            vec("$cipher/$name", $c, $K($key), ['input' => "$name=$c", 'app_name' => $name, 'want' => 'valid',
                'note' => "$cipher (config app.cipher)"]);
        }
    }
    $c = make('gcm/param', $raw($k1), 'aes-256-gcm', 'laravel_session', $sid);
    vec('aes-256-gcm/variant-given', $c, $K($k1), ['params' => ['cookie_name' => 'laravel_session', 'variant' => 'aes-256-gcm'],
        'want' => 'valid', 'note' => 'the cipher given as the variant']);
    vec('aes-256-gcm/variant-says-cbc', $c, $K($k1), ['params' => ['cookie_name' => 'laravel_session', 'variant' => 'aes-256-cbc'],
        'want' => 'malformed', 'note' => 'a CBC app: the 12-byte IV fails validPayload']);

    // Key lists (Laravel 11's APP_PREVIOUS_KEYS; see the header: one real Encrypter per key).
    $c = make('prev/1', $raw($k2), 'aes-256-cbc', 'laravel_session', $sid);
    vec('previous-keys/second', $c, $K($k1, $k2), ['input' => "laravel_session=$c", 'want' => 'valid',
        'note' => "encrypted with the second key. $perKey"]);
    $c = make('prev/2', $raw($k3), 'aes-256-cbc', 'laravel_session', $sid);
    vec('previous-keys/third', $c, $K($k1, $k2, $k3), ['input' => "laravel_session=$c", 'want' => 'valid',
        'note' => "third key of three. $perKey"]);
    $c = make('prev/gcm', $raw($k2), 'aes-256-gcm', 'XSRF-TOKEN', $xsrf);
    vec('previous-keys/gcm', $c, $K($k1, $k2), ['input' => "XSRF-TOKEN=$c", 'want' => 'valid',
        'note' => "GCM: the first key whose Encrypter opens it. $perKey"]);

    // Apps before the prefix (5.6.30 .. 6.18.26 / 7.22.3).
    $c = make('legacy', $raw($k1), 'aes-256-cbc', 'laravel_session', $sid, false);
    vec('no-prefix/legacy-app', $c, $K($k1), ['input' => "laravel_session=$c", 'params' => ['variant' => 'no-prefix'],
        'want' => 'valid', 'note' => 'older Laravel: no CookieValuePrefix (Encrypter::encrypt / decrypt of the bare value)']);
    vec('no-prefix/prefixing-app', $c, $K($k1), ['input' => "laravel_session=$c", 'want' => 'bad-signature',
        'note' => 'a prefix-less cookie in an app with CookieValuePrefix (8.83): decrypts, but EncryptCookies nulls it']);
    $c = make('legacy-reads-new', $raw($k1), 'aes-256-cbc', 'laravel_session', $sid);
    vec('no-prefix/legacy-app-reads-prefixed', $c, $K($k1), ['input' => "laravel_session=$c", 'params' => ['variant' => 'no-prefix'],
        'want' => 'valid', 'note' => 'an old app reads the prefix as part of the value']);

    // Wrong name: decrypts, prefix made for another cookie.
    $c = make('wrong-name', $raw($k1), 'aes-256-cbc', 'XSRF-TOKEN', $xsrf);
    vec('wrong-name/cbc', $c, $K($k1), ['input' => "laravel_session=$c", 'want' => 'bad-signature',
        'note' => 'an XSRF-TOKEN value replayed as laravel_session: Laravel nulls it (Signet: bad-signature, value shown)']);
    $c = make('wrong-name-gcm', $raw($k1), 'aes-256-gcm', 'laravel_session', $sid);
    vec('wrong-name/gcm', $c, $K($k1), ['params' => $named('remember_web'), 'want' => 'bad-signature',
        'note' => 'the prefix binds the name in GCM too']);

    // Wrong key.
    $c = make('wrong-key', $raw($k1), 'aes-256-cbc', 'laravel_session', $sid);
    vec('wrong-key/cbc', $c, $K($k2), ['input' => "laravel_session=$c", 'want' => 'bad-signature', 'note' => 'The MAC is invalid.']);
    vec('wrong-key/cbc-two-keys', $c, $K($k2, $k3), ['input' => "laravel_session=$c", 'want' => 'bad-signature',
        'note' => "no key of the list. $perKey"]);
    $c = make('wrong-key-gcm', $raw($k1), 'aes-256-gcm', 'laravel_session', $sid);
    vec('wrong-key/gcm', $c, $K($k2), ['input' => "laravel_session=$c", 'want' => 'bad-signature', 'note' => 'the tag does not verify']);

    // Tampering.
    $base = make('tamper', $raw($k1), 'aes-256-cbc', 'laravel_session', $sid);
    $f = fields($base);
    vec('tamper/cbc-value', envelope(['iv' => $f['iv'], 'value' => flip($f['value'], 5), 'mac' => $f['mac'], 'tag' => '']), $K($k1),
        ['params' => $named('laravel_session'), 'want' => 'bad-signature', 'note' => 'one ciphertext character changed']);
    vec('tamper/cbc-iv', envelope(['iv' => flip($f['iv'], 3), 'value' => $f['value'], 'mac' => $f['mac'], 'tag' => '']), $K($k1),
        ['params' => $named('laravel_session'), 'want' => 'bad-signature', 'note' => 'the IV changed (MAC covers base64(iv))']);
    $mac = $f['mac'];
    $mac[10] = $mac[10] === 'a' ? 'b' : 'a';
    vec('tamper/cbc-mac', envelope(['iv' => $f['iv'], 'value' => $f['value'], 'mac' => $mac, 'tag' => '']), $K($k1),
        ['params' => $named('laravel_session'), 'want' => 'bad-signature', 'note' => 'one MAC digit changed']);
    vec('tamper/cbc-mac-uppercase', envelope(['iv' => $f['iv'], 'value' => $f['value'], 'mac' => strtoupper($f['mac']), 'tag' => '']), $K($k1),
        ['params' => $named('laravel_session'), 'want' => 'bad-signature', 'note' => 'hash_equals compares the lower-case hex text']);
    $g = fields(make('tamper-gcm', $raw($k1), 'aes-256-gcm', 'laravel_session', $sid));
    vec('tamper/gcm-value', envelope(['iv' => $g['iv'], 'value' => flip($g['value'], 2), 'mac' => '', 'tag' => $g['tag']]), $K($k1),
        ['params' => $named('laravel_session'), 'want' => 'bad-signature', 'note' => 'GCM ciphertext changed']);
    vec('tamper/gcm-iv', envelope(['iv' => flip($g['iv'], 1), 'value' => $g['value'], 'mac' => '', 'tag' => $g['tag']]), $K($k1),
        ['params' => $named('laravel_session'), 'want' => 'bad-signature', 'note' => 'GCM nonce changed']);
    vec('tamper/gcm-tag', envelope(['iv' => $g['iv'], 'value' => $g['value'], 'mac' => '', 'tag' => flip($g['tag'], 0)]), $K($k1),
        ['params' => $named('laravel_session'), 'want' => 'bad-signature', 'note' => 'GCM tag changed']);

    // Malformed.
    $m = fn (string $label, string $cookie, string $note) =>
        vec("malformed/$label", $cookie, $K($k1), ['params' => $named('laravel_session'), 'want' => 'malformed', 'note' => $note]);
    $m('mac-missing', envelope(['iv' => $f['iv'], 'value' => $f['value'], 'tag' => '']), 'no mac: The payload is invalid.');
    $m('mac-null', envelope(['iv' => $f['iv'], 'value' => $f['value'], 'mac' => null, 'tag' => '']), 'mac null: isset() fails');
    $m('value-number', envelope(['iv' => $f['iv'], 'value' => 12345, 'mac' => $f['mac'], 'tag' => '']),
        'value not a string: Laravel 8.83 only isset()s it, so its MAC check fails (Laravel 11: The payload is invalid.)');
    $m('tag-number', envelope(['iv' => $f['iv'], 'value' => $f['value'], 'mac' => $f['mac'], 'tag' => 7]),
        'tag not a string: Laravel 8.83 reads it as a tag on a CBC cookie (Laravel 11: The payload is invalid.)');
    $m('not-json', rawurlencode(base64_encode('{"iv":"'.$f['iv'].'","value":')), 'truncated JSON');
    $m('json-array', rawurlencode(base64_encode('["iv","value","mac"]')), 'a JSON list, not an object');
    $m('not-base64', 'laravel_session_value_%%%', 'no base64 at all');
    $m('iv-short', envelope(['iv' => base64_encode(iv_for('short', 8)), 'value' => $f['value'], 'mac' => $f['mac'], 'tag' => '']), 'an 8-byte IV');
    $m('iv-not-base64', envelope(['iv' => '!!!!', 'value' => $f['value'], 'mac' => $f['mac'], 'tag' => '']), 'the IV is not base64');
    $m('cbc-with-tag', envelope(['iv' => $f['iv'], 'value' => $f['value'], 'mac' => $f['mac'], 'tag' => base64_encode(iv_for('t', 16))]),
        'CBC with a tag: Unable to use tag because the cipher algorithm does not support AEAD');
    $m('mac-not-hex', envelope(['iv' => $f['iv'], 'value' => $f['value'], 'mac' => 'not-a-mac', 'tag' => '']), 'MAC invalid, and not even hex');
    $m('mac-empty', envelope(['iv' => $f['iv'], 'value' => $f['value'], 'mac' => '', 'tag' => '']), 'a CBC cookie with an empty MAC');
    $m('gcm-truncated-tag', envelope(['iv' => $g['iv'], 'value' => $g['value'], 'mac' => '', 'tag' => base64_encode(substr(base64_decode($g['tag']), 0, 8))]),
        'GCM tag cut to 8 bytes: ensureTagIsValid');
    $m('gcm-no-tag', envelope(['iv' => $g['iv'], 'value' => $g['value'], 'mac' => '']), 'GCM without a tag');
    // A valid MAC (the Encrypter's own hash()) over a ciphertext whose padding is wrong: the
    // first candidate the real Encrypter refuses with "Could not decrypt the data.".
    $key = $raw($k1);
    $e = new Encrypter($key, 'aes-256-cbc');
    $hash = fn (string $iv, string $value) => (fn () => $this->hash($iv, $value))->call($e);
    for ($i = 0; ; $i++) {
        $ivb = base64_encode(iv_for("pad$i", 16));
        $ct = base64_encode(substr(hash('sha256', "ct$i", true), 0, 16));
        $fieldsPad = ['iv' => $ivb, 'value' => $ct, 'mac' => $hash($ivb, $ct), 'tag' => ''];
        try {
            $e->decrypt(base64_encode(json_encode($fieldsPad, JSON_UNESCAPED_SLASHES)), false);
        } catch (DecryptException $ex) {
            if ($ex->getMessage() !== 'Could not decrypt the data.') {
                throw $ex;
            }
            break;
        }
    }
    $m('bad-padding', envelope($fieldsPad), 'the MAC matches, the padding does not: Could not decrypt the data.');

    // Envelopes written by older Laravel: no tag key; escaped slashes. The fields of a real
    // EncryptCookies cookie (the first whose iv . value holds a "/"), re-wrapped.
    for ($i = 0; ; $i++) {
        $o = fields(make("old$i", $key, 'aes-256-cbc', 'laravel_session', $sid));
        if (str_contains($o['iv'].$o['value'], '/')) {
            break;
        }
    }
    $old = ['iv' => $o['iv'], 'value' => $o['value'], 'mac' => $o['mac']];
    vec('older/no-tag-key', envelope($old), $K($k1),
        ['params' => $named('laravel_session'), 'want' => 'valid', 'note' => 'written before AES-GCM support (Laravel 8.x, 2021: laravel/framework#38190) added the tag key: {iv, value, mac}']);
    vec('older/escaped-slashes', envelope($old, 0), $K($k1),
        ['params' => $named('laravel_session'), 'want' => 'valid', 'note' => 'json_encode without JSON_UNESCAPED_SLASHES (\\/)']);

    return [
        'generator' => 'tests/interop/laravel/laravel_cookies.php',
        'versions' => ['php' => PHP_VERSION, 'openssl' => OPENSSL_VERSION_TEXT,
                       'laravel' => 'Laravel 8.83 from Debian 12 (real Illuminate Encrypter, CookieValuePrefix, EncryptCookies); no APP_PREVIOUS_KEYS: key lists are tried one Encrypter per key']
                      + package_versions(['php-illuminate-encryption', 'php-illuminate-cookie', 'php-symfony-http-foundation']),
        'vectors' => $GLOBALS['vectors'],
    ];
}

// ------------------------------------------------------------------ accept
function accept(array $req): array
{
    $params = $req['params'] ?? [];
    $name = $params['cookie_name'] ?? 'laravel_session';
    try {
        $keys = array_map('key_bytes', $req['keys'] ?? []);
        return judge($name, $req['cookie'], $keys, $params);
    } catch (Throwable $ex) {
        return ['status' => 'malformed', 'payload' => null, 'signed_at' => null, 'key_index' => null,
                'library_result' => get_class($ex).': '.$ex->getMessage()];
    }
}

switch ($argv[1] ?? '') {
    case 'gen':
        echo json_encode(generate(), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
        break;
    case 'accept':
        while (($line = fgets(STDIN)) !== false) {
            if (trim($line) === '') {
                continue;
            }
            echo json_encode(accept(json_decode($line, true)), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
            fflush(STDOUT);
        }
        break;
    default:
        fwrite(STDERR, "usage: laravel_cookies.php gen | accept\n");
        exit(2);
}

}

<?php
// Vectors for Signet's `laravel` format, and the other direction (accept): would Laravel's
// EncryptCookies read a cookie Signet encrypted?
//
//   php tests/interop/laravel/laravel_cookies.php gen > tests/vectors/laravel.json
//   php tests/interop/laravel/laravel_cookies.php accept   # JSON lines in, JSON lines out
//
// THIS IS A TRANSCRIPTION, NOT THE FRAMEWORK. Laravel cannot be installed here (Packagist is
// unreachable), so the classes below transcribe, from Laravel 11.x's source, the logic of
//   Illuminate\Encryption\Encrypter        (supported, encrypt, decrypt, hash, getJsonPayload,
//                                           validPayload, validMacForKey, ensureTagIsValid,
//                                           shouldValidateMac, getAllKeys, previousKeys)
//   Illuminate\Cookie\CookieValuePrefix    (create, remove, validate over all keys)
//   Illuminate\Cookie\Middleware\EncryptCookies (encrypt: prefix . value, serialize = false;
//                                           decrypt: decrypt(unserialize: false), validate the
//                                           prefix, null on DecryptException or a bad prefix)
//   Illuminate\Encryption\EncryptionServiceProvider::parseKey ("base64:" keys)
// running on PHP's own openssl_encrypt / openssl_decrypt / hash_hmac / hash_equals /
// base64_decode / json_decode. Changes for testing only, marked "TEST:": encrypt() can take a
// fixed IV (so `gen` is reproducible), decrypt() records which key decrypted, and a status layer
// maps Laravel's outcomes onto Signet's statuses. Cookie values arrive URL-encoded and are
// rawurldecode()d once, as PHP does for $_COOKIE.

const NOW = 1767225600;

class DecryptException extends RuntimeException {}
class EncryptException extends RuntimeException {}

// ------------------------------------------------------------------ Illuminate\Encryption\Encrypter
class Encrypter
{
    protected $key;
    protected $previousKeys = [];
    protected $cipher;
    public $decryptedWith = null;   // TEST: index in getAllKeys() of the key that decrypted
    public $macKeyIndex = null;     // TEST: index of the key whose MAC matched

    private static $supportedCiphers = [
        'aes-128-cbc' => ['size' => 16, 'aead' => false],
        'aes-256-cbc' => ['size' => 32, 'aead' => false],
        'aes-128-gcm' => ['size' => 16, 'aead' => true],
        'aes-256-gcm' => ['size' => 32, 'aead' => true],
    ];

    public function __construct($key, $cipher = 'aes-128-cbc')
    {
        $key = (string) $key;
        if (! static::supported($key, $cipher)) {
            $ciphers = implode(', ', array_keys(self::$supportedCiphers));
            throw new RuntimeException("Unsupported cipher or incorrect key length. Supported ciphers are: {$ciphers}.");
        }
        $this->key = $key;
        $this->cipher = $cipher;
    }

    public static function supported($key, $cipher)
    {
        if (! isset(self::$supportedCiphers[strtolower($cipher)])) {
            return false;
        }
        // Laravel: mb_strlen($key, '8bit'), the byte length (php-mbstring is not installed here).
        return strlen($key) === self::$supportedCiphers[strtolower($cipher)]['size'];
    }

    public function encrypt($value, $serialize = true, $testIv = null)
    {
        // TEST: $testIv replaces random_bytes() so that `gen` is reproducible.
        $iv = $testIv ?? random_bytes(openssl_cipher_iv_length(strtolower($this->cipher)));

        $value = \openssl_encrypt(
            $serialize ? serialize($value) : $value,
            strtolower($this->cipher), $this->key, 0, $iv, $tag
        );
        if ($value === false) {
            throw new EncryptException('Could not encrypt the data.');
        }

        $iv = base64_encode($iv);
        $tag = base64_encode($tag ?? '');

        $mac = self::$supportedCiphers[strtolower($this->cipher)]['aead']
            ? ''
            : $this->hash($iv, $value, $this->key);

        $json = json_encode(compact('iv', 'value', 'mac', 'tag'), JSON_UNESCAPED_SLASHES);
        if (json_last_error() !== JSON_ERROR_NONE) {
            throw new EncryptException('Could not encrypt the data.');
        }
        return base64_encode($json);
    }

    public function decrypt($payload, $unserialize = true)
    {
        $payload = $this->getJsonPayload($payload);

        $iv = base64_decode($payload['iv']);

        $this->ensureTagIsValid(
            $tag = empty($payload['tag']) ? null : base64_decode($payload['tag'])
        );

        $foundValidMac = false;
        $this->decryptedWith = $this->macKeyIndex = null;

        foreach ($this->getAllKeys() as $index => $key) {
            if (
                $this->shouldValidateMac() &&
                ! ($foundValidMac = $foundValidMac || $this->validMacForKey($payload, $key))
            ) {
                continue;
            }
            $this->macKeyIndex ??= $index;  // TEST

            $decrypted = \openssl_decrypt(
                $payload['value'], strtolower($this->cipher), $key, 0, $iv, $tag ?? ''
            );

            if ($decrypted !== false) {
                $this->decryptedWith = $index;  // TEST
                break;
            }
        }

        if ($this->shouldValidateMac() && ! $foundValidMac) {
            throw new DecryptException('The MAC is invalid.');
        }

        if (($decrypted ?? false) === false) {
            throw new DecryptException('Could not decrypt the data.');
        }

        return $unserialize ? unserialize($decrypted) : $decrypted;
    }

    public function hash($iv, $value, $key)
    {
        return hash_hmac('sha256', $iv.$value, $key);
    }

    protected function getJsonPayload($payload)
    {
        if (! is_string($payload)) {
            throw new DecryptException('The payload is invalid.');
        }
        $payload = json_decode(base64_decode($payload), true);
        if (! $this->validPayload($payload)) {
            throw new DecryptException('The payload is invalid.');
        }
        return $payload;
    }

    protected function validPayload($payload)
    {
        if (! is_array($payload)) {
            return false;
        }
        foreach (['iv', 'value', 'mac'] as $item) {
            if (! isset($payload[$item]) || ! is_string($payload[$item])) {
                return false;
            }
        }
        if (isset($payload['tag']) && ! is_string($payload['tag'])) {
            return false;
        }
        return strlen(base64_decode($payload['iv'], true)) === openssl_cipher_iv_length(strtolower($this->cipher));
    }

    protected function validMacForKey($payload, $key)
    {
        return hash_equals(
            $this->hash($payload['iv'], $payload['value'], $key), $payload['mac']
        );
    }

    protected function ensureTagIsValid($tag)
    {
        if (self::$supportedCiphers[strtolower($this->cipher)]['aead'] && strlen($tag ?? '') !== 16) {
            throw new DecryptException('Could not decrypt the data.');
        }
        if (! self::$supportedCiphers[strtolower($this->cipher)]['aead'] && is_string($tag)) {
            throw new DecryptException('Unable to use tag because the cipher algorithm does not support AEAD.');
        }
    }

    protected function shouldValidateMac()
    {
        return ! self::$supportedCiphers[strtolower($this->cipher)]['aead'];
    }

    public function getKey()
    {
        return $this->key;
    }

    public function getAllKeys()
    {
        return [$this->key, ...$this->previousKeys];
    }

    public function previousKeys(array $keys)
    {
        foreach ($keys as $key) {
            if (! static::supported($key, $this->cipher)) {
                $ciphers = implode(', ', array_keys(self::$supportedCiphers));
                throw new RuntimeException("Unsupported cipher or incorrect key length. Supported ciphers are: {$ciphers}.");
            }
        }
        $this->previousKeys = $keys;
        return $this;
    }
}

// ------------------------------------------------------------------ Illuminate\Cookie\CookieValuePrefix
class CookieValuePrefix
{
    public static function create($cookieName, $key)
    {
        return hash_hmac('sha1', $cookieName.'v2', $key).'|';
    }

    public static function remove($cookieValue)
    {
        return substr($cookieValue, 41);
    }

    public static function validate($cookieName, $cookieValue, array $keys)
    {
        foreach ($keys as $key) {
            $hasValidPrefix = str_starts_with($cookieValue, static::create($cookieName, $key));
            if ($hasValidPrefix) {
                return static::remove($cookieValue);
            }
        }
    }
}

// ------------------------------------------------------------------ Illuminate\Cookie\Middleware\EncryptCookies
// (serialize = false since Laravel 5.6.30; `$prefixed` false emulates apps before 6.18.27 /
// 7.22.4, whose middleware had no CookieValuePrefix.)
function encrypt_cookie(Encrypter $e, string $name, string $value, bool $prefixed = true, $testIv = null): string
{
    $plain = ($prefixed ? CookieValuePrefix::create($name, $e->getKey()) : '').$value;
    return $e->encrypt($plain, false, $testIv);
}

function decrypt_cookie(Encrypter $e, string $name, string $cookie, bool $prefixed = true, &$error = null)
{
    try {
        $value = $e->decrypt($cookie, false);
        return $prefixed ? CookieValuePrefix::validate($name, $value, $e->getAllKeys()) : $value;
    } catch (DecryptException $ex) {
        $error = $ex->getMessage();
        return null;
    }
}

// ------------------------------------------------------------------ test harness
// EncryptionServiceProvider::parseKey.
function parse_key(string $key): string
{
    if (str_starts_with($key, $prefix = 'base64:')) {
        $key = base64_decode(substr($key, strlen($prefix)));
    }
    return $key;
}

function key_bytes(array $k): string
{
    return isset($k['text']) ? parse_key($k['text']) : hex2bin($k['hex']);
}

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

// What EncryptCookies makes of one cookie, in Signet's terms.
function judge(string $name, string $rawCookie, array $keys, array $params): array
{
    [$cipher, $prefixed] = options($params);
    $cookie = rawurldecode($rawCookie);
    $cipher = app_cipher($cipher, $cookie, $keys[0]);
    $e = (new Encrypter($keys[0], $cipher))->previousKeys(array_slice($keys, 1));
    $error = null;
    $value = decrypt_cookie($e, $name, $cookie, $prefixed, $error);
    $out = ['status' => 'valid', 'payload' => $value, 'signed_at' => null,
            'key_index' => $e->decryptedWith, 'library_result' => 'ok'];
    if ($value !== null) {
        return $out;
    }
    $out['payload'] = null;
    $out['key_index'] = null;
    if ($error === null) {
        // Decrypted, but CookieValuePrefix::validate returned null: the value never reaches
        // the app (Signet: bad-signature, the decrypted value shown).
        $plain = $e->decrypt($cookie, false);
        $out['status'] = 'bad-signature';
        $out['payload'] = preg_match('/^[0-9a-f]{40}\|/', $plain) ? substr($plain, 41) : $plain;
        $out['library_result'] = 'null (CookieValuePrefix::validate)';
        return $out;
    }
    $out['library_result'] = "null (DecryptException: $error)";
    $p = json_decode(base64_decode($cookie), true);
    if ($error === 'The MAC is invalid.') {
        // Signet calls a MAC that is not 64 hex digits malformed, not a wrong key.
        $out['status'] = preg_match('/^[0-9a-fA-F]{64}$/', $p['mac']) ? 'bad-signature' : 'malformed';
    } elseif ($error === 'Could not decrypt the data.') {
        $aead = str_ends_with($cipher, 'gcm');
        if (! $aead) {
            $out['status'] = 'malformed';            // a MAC matched, the padding did not
            $out['key_index'] = $e->macKeyIndex;
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

function make(string $label, string $key, string $cipher, string $name, string $value, bool $prefixed = true, ?string $prefixKey = null): string
{
    $e = new Encrypter($key, $cipher);
    $ivLen = openssl_cipher_iv_length($cipher);
    if ($prefixKey !== null) {
        $plain = CookieValuePrefix::create($name, $prefixKey).$value;
        return rawurlencode($e->encrypt($plain, false, iv_for($label, $ivLen)));
    }
    return rawurlencode(encrypt_cookie($e, $name, $value, $prefixed, iv_for($label, $ivLen)));
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

    // Valid, AES-256-CBC (the default), prefixed (Laravel 11).
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
            'note' => 'AES-256-CBC + HMAC-SHA256, CookieValuePrefix for the name (Laravel 11)']);
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

    // APP_PREVIOUS_KEYS.
    $c = make('prev/1', $raw($k2), 'aes-256-cbc', 'laravel_session', $sid);
    vec('previous-keys/second', $c, $K($k1, $k2), ['input' => "laravel_session=$c", 'want' => 'valid',
        'note' => 'encrypted with the key now listed in APP_PREVIOUS_KEYS']);
    $c = make('prev/2', $raw($k3), 'aes-256-cbc', 'laravel_session', $sid);
    vec('previous-keys/third', $c, $K($k1, $k2, $k3), ['input' => "laravel_session=$c", 'want' => 'valid',
        'note' => 'third key of three']);
    $c = make('prev/gcm', $raw($k2), 'aes-256-gcm', 'XSRF-TOKEN', $xsrf);
    vec('previous-keys/gcm', $c, $K($k1, $k2), ['input' => "XSRF-TOKEN=$c", 'want' => 'valid',
        'note' => 'GCM: keys tried until one opens it']);
    $c = make('prev/prefix-other-key', $raw($k1), 'aes-256-cbc', 'laravel_session', $sid, true, $raw($k2));
    vec('previous-keys/prefix-by-other-key', $c, $K($k1, $k2), ['input' => "laravel_session=$c", 'want' => 'valid',
        'note' => 'CookieValuePrefix::validate tries every key, not only the one that decrypted']);

    // Apps before the prefix (5.6.30 .. 6.18.26 / 7.22.3).
    $c = make('legacy', $raw($k1), 'aes-256-cbc', 'laravel_session', $sid, false);
    vec('no-prefix/legacy-app', $c, $K($k1), ['input' => "laravel_session=$c", 'params' => ['variant' => 'no-prefix'],
        'want' => 'valid', 'note' => 'older Laravel: no CookieValuePrefix']);
    vec('no-prefix/laravel-11-app', $c, $K($k1), ['input' => "laravel_session=$c", 'want' => 'bad-signature',
        'note' => 'a prefix-less cookie in a Laravel 11 app: decrypts, but validate() nulls it']);
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
    vec('wrong-key/cbc-two-keys', $c, $K($k2, $k3), ['input' => "laravel_session=$c", 'want' => 'bad-signature', 'note' => 'no key of the list']);
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
    $m('value-number', envelope(['iv' => $f['iv'], 'value' => 12345, 'mac' => $f['mac'], 'tag' => '']), 'value not a string');
    $m('tag-number', envelope(['iv' => $f['iv'], 'value' => $f['value'], 'mac' => $f['mac'], 'tag' => 7]), 'tag not a string');
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
    // A valid MAC over a ciphertext whose padding is wrong: MAC matches, openssl_decrypt fails.
    $key = $raw($k1);
    for ($i = 0; ; $i++) {
        $iv = iv_for("pad$i", 16);
        $ct = base64_encode(substr(hash('sha256', "ct$i", true), 0, 16));
        if (openssl_decrypt($ct, 'aes-256-cbc', $key, 0, $iv) === false) {
            break;
        }
    }
    $ivb = base64_encode($iv);
    $m('bad-padding', envelope(['iv' => $ivb, 'value' => $ct, 'mac' => hash_hmac('sha256', $ivb.$ct, $key), 'tag' => '']),
        'the MAC matches, the padding does not: Could not decrypt the data.');

    // Envelopes written by older Laravel: no tag key; escaped slashes.
    $ivb = base64_encode(iv_for('old', 16));
    $plain = CookieValuePrefix::create('laravel_session', $key).$sid;
    for ($i = 0; ; $i++) {
        $ivb = base64_encode(iv_for("old$i", 16));
        $ct = openssl_encrypt($plain, 'aes-256-cbc', $key, 0, base64_decode($ivb));
        if (str_contains($ivb.$ct, '/')) {
            break;
        }
    }
    $mac = hash_hmac('sha256', $ivb.$ct, $key);
    vec('older/no-tag-key', envelope(['iv' => $ivb, 'value' => $ct, 'mac' => $mac]), $K($k1),
        ['params' => $named('laravel_session'), 'want' => 'valid', 'note' => 'before Laravel 9: {iv, value, mac}']);
    vec('older/escaped-slashes', envelope(['iv' => $ivb, 'value' => $ct, 'mac' => $mac], 0), $K($k1),
        ['params' => $named('laravel_session'), 'want' => 'valid', 'note' => 'json_encode without JSON_UNESCAPED_SLASHES (\\/)']);

    return [
        'generator' => 'tests/interop/laravel/laravel_cookies.php',
        'versions' => ['php' => PHP_VERSION, 'openssl' => OPENSSL_VERSION_TEXT,
                       'laravel' => 'transcription of Laravel 11.x Encrypter, CookieValuePrefix, EncryptCookies (not the framework)'],
        'vectors' => $GLOBALS['vectors'],
    ];
}

// ------------------------------------------------------------------ accept
function accept(array $req): array
{
    $params = $req['params'] ?? [];
    $name = $params['cookie_name'] ?? 'laravel_session';
    $keys = array_map('key_bytes', $req['keys'] ?? []);
    try {
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

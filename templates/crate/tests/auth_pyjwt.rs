//! Our JWTs (`gr4vy::auth`) checked by a verifier no one here wrote: PyJWT with `cryptography`,
//! run by `tests/support/pyjwt_check.py`.
//!
//! Keys are made by the `openssl` CLI in the three PEM forms a merchant may have: SEC1 with its
//! `EC PARAMETERS` block (`openssl ecparam -genkey`), SEC1 alone (`-noout`) and PKCS#8
//! (`openssl genpkey`). PyJWT verifies each token against the public key that `cryptography` reads
//! from the same PEM and computes the key's RFC 7638 thumbprint itself, which must be our `kid`.
//! Tampered tokens, and tokens checked against another key, must be rejected as bad signatures.
//!
//! Needs `GR4VY_PYTHON`, a python with PyJWT and cryptography, which `cargo xtask test` installs
//! into `.tools/venv` and sets, and `openssl` on the PATH; without either the tests fail and say
//! how to get it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gr4vy::auth::{self, EmbedParams, PrivateKey, TokenOptions};
use serde_json::{Value, json};

const CHECK_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/pyjwt_check.py");

/// The python from `GR4VY_PYTHON`.
fn python() -> PathBuf {
    let how = "run `cargo xtask test`, which installs PyJWT and cryptography into .tools/venv \
               and sets GR4VY_PYTHON";
    let Some(path) = std::env::var_os("GR4VY_PYTHON") else {
        panic!("GR4VY_PYTHON is not set: {how}");
    };
    let path = PathBuf::from(path);
    assert!(
        path.is_file(),
        "GR4VY_PYTHON is {}, which does not exist: {how}",
        path.display()
    );
    path
}

/// A fresh directory under the system's temporary directory, removed when dropped (a failing
/// test included).
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "gr4vy-auth-pyjwt-{}-{}-{nanos}-{test}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `openssl ARGS` in `dir`.
fn openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run openssl ({e}): these tests make their keys with the openssl CLI")
        });
    assert!(
        output.status.success(),
        "`openssl {}` failed ({}): {}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The labels of a PEM file's `-----BEGIN ...-----` lines, in order.
fn pem_labels(pem: &str) -> Vec<&str> {
    pem.lines()
        .filter_map(|line| line.strip_prefix("-----BEGIN ")?.strip_suffix("-----"))
        .collect()
}

/// One P-521 key made by openssl: its PEM file (for PyJWT) and our parse of it.
struct Key {
    path: PathBuf,
    key: PrivateKey,
}

/// The three keys, one per PEM form, in a temporary directory that lives as long as they do.
struct Keys {
    _dir: TempDir,
    sec1_with_params: Key,
    sec1: Key,
    pkcs8: Key,
}

impl Keys {
    fn new(test: &str) -> Keys {
        let dir = TempDir::new(test);
        let make = |file: &str, args: &[&str], labels: &[&str]| {
            openssl(&dir.0, args);
            let path = dir.0.join(file);
            let pem = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            // Each form for real, so the test cannot check one form three times.
            assert_eq!(
                pem_labels(&pem),
                labels,
                "{file} is not the PEM form expected"
            );
            let key = PrivateKey::from_pem(&pem).unwrap_or_else(|e| {
                panic!("PrivateKey::from_pem rejects {file} ({labels:?}): {e}")
            });
            Key { path, key }
        };
        let sec1_with_params = make(
            "k1.pem",
            &["ecparam", "-name", "secp521r1", "-genkey", "-out", "k1.pem"],
            &["EC PARAMETERS", "EC PRIVATE KEY"],
        );
        let sec1 = make(
            "k2.pem",
            &[
                "ecparam",
                "-name",
                "secp521r1",
                "-genkey",
                "-noout",
                "-out",
                "k2.pem",
            ],
            &["EC PRIVATE KEY"],
        );
        let pkcs8 = make(
            "k3.pem",
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-521",
                "-out",
                "k3.pem",
            ],
            &["PRIVATE KEY"],
        );
        Keys {
            _dir: dir,
            sec1_with_params,
            sec1,
            pkcs8,
        }
    }

    fn all(&self) -> [(&'static str, &Key); 3] {
        [
            ("SEC1 with EC PARAMETERS", &self.sec1_with_params),
            ("SEC1", &self.sec1),
            ("PKCS#8", &self.pkcs8),
        ]
    }
}

/// What PyJWT made of a token.
#[derive(Debug)]
enum Verdict {
    Accepted {
        header: Value,
        claims: Value,
        thumbprint: String,
    },
    /// PyJWT refused the token: the exception's class and message.
    Rejected { class: String, message: String },
}

/// Verifies `token` with PyJWT against the public key of the private key in `pem`. Panics when the
/// script itself fails (as opposed to PyJWT rejecting the token).
fn pyjwt(pem: &Path, token: &str) -> Verdict {
    let python = python();
    let mut child = Command::new(&python)
        .arg(CHECK_SCRIPT)
        .arg(pem)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(token.as_bytes())
        .expect("cannot write the token to pyjwt_check.py");
    let output = child.wait_with_output().expect("pyjwt_check.py");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "pyjwt_check.py crashed ({}); stdout:\n{stdout}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let result: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("pyjwt_check.py printed no JSON ({e}): {stdout}"));
    if let Some(class) = result.get("error") {
        return Verdict::Rejected {
            class: class.as_str().unwrap().to_string(),
            message: result["message"].as_str().unwrap_or_default().to_string(),
        };
    }
    Verdict::Accepted {
        header: result["header"].clone(),
        claims: result["claims"].clone(),
        thumbprint: result["thumbprint"]
            .as_str()
            .unwrap_or_else(|| panic!("no thumbprint in {result}"))
            .to_string(),
    }
}

/// The claims of a token PyJWT must accept, after checking its header against `key`.
fn verified(key: &Key, token: &str, what: &str) -> Value {
    match pyjwt(&key.path, token) {
        Verdict::Accepted {
            header,
            claims,
            thumbprint,
        } => {
            assert_eq!(header["alg"], "ES512", "{what}: header {header}");
            assert_eq!(header["typ"], "JWT", "{what}: header {header}");
            assert_eq!(
                thumbprint,
                key.key.kid(),
                "{what}: kid() is not the key's RFC 7638 thumbprint"
            );
            assert_eq!(
                header["kid"], thumbprint,
                "{what}: the header's kid is not the key's RFC 7638 thumbprint"
            );
            claims
        }
        Verdict::Rejected { class, message } => {
            panic!("{what}: PyJWT rejects the token: {class}: {message}\ntoken: {token}")
        }
    }
}

/// Asserts that PyJWT rejects `token` (verified against `key`) for its signature.
fn assert_bad_signature(key: &Key, token: &str, what: &str) {
    match pyjwt(&key.path, token) {
        Verdict::Rejected { class, message } => assert_eq!(
            class, "InvalidSignatureError",
            "{what}: rejected, but not for its signature: {message}"
        ),
        accepted @ Verdict::Accepted { .. } => {
            panic!("{what}: PyJWT accepts a token it must reject: {accepted:?}")
        }
    }
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn int(claims: &Value, name: &str) -> i64 {
    claims[name]
        .as_i64()
        .unwrap_or_else(|| panic!("claim `{name}` is not an integer: {claims}"))
}

/// The checks every token must pass, whatever its options: timestamps, issuer and jti. Returns the
/// lifetime, `exp - iat`.
fn check_common_claims(claims: &Value, what: &str) -> i64 {
    let iat = int(claims, "iat");
    assert_eq!(int(claims, "nbf"), iat, "{what}: nbf is not iat: {claims}");
    assert!(
        (iat - now()).abs() <= 60,
        "{what}: iat {iat} is not within a minute of now ({})",
        now()
    );
    let iss = claims["iss"].as_str().unwrap_or_default();
    assert!(
        iss.starts_with("gr4vy-rust/"),
        "{what}: iss is {:?}, not gr4vy-rust/...",
        claims["iss"]
    );
    let jti = claims["jti"]
        .as_str()
        .unwrap_or_else(|| panic!("{what}: jti is not a string: {claims}"));
    let uuid = uuid::Uuid::parse_str(jti)
        .unwrap_or_else(|e| panic!("{what}: jti {jti:?} is not a UUID: {e}"));
    assert_eq!(
        jti.len(),
        36,
        "{what}: jti {jti:?} is not a hyphenated UUID"
    );
    assert_eq!(
        uuid.get_version_num(),
        4,
        "{what}: jti {jti} is not a UUID v4"
    );
    assert_eq!(
        uuid.get_variant(),
        uuid::Variant::RFC4122,
        "{what}: jti {jti}"
    );
    int(claims, "exp") - iat
}

fn get_token(key: &Key, options: &TokenOptions) -> String {
    auth::get_token(&key.key, options).unwrap_or_else(|e| panic!("get_token({options:?}): {e}"))
}

#[test]
fn default_tokens_from_each_pem_form_verify_with_pyjwt() {
    let keys = Keys::new("default");
    let kids: Vec<&str> = keys.all().iter().map(|(_, key)| key.key.kid()).collect();
    assert!(
        kids[0] != kids[1] && kids[1] != kids[2] && kids[0] != kids[2],
        "three keys, one kid: {kids:?}"
    );
    for (form, key) in keys.all() {
        let what = format!("default token, {form} key");
        let token = get_token(key, &TokenOptions::default());
        let claims = verified(key, &token, &what);
        assert_eq!(claims["scopes"], json!(["*.read", "*.write"]), "{what}");
        assert_eq!(
            check_common_claims(&claims, &what),
            3600,
            "{what}: lifetime"
        );
    }
}

#[test]
fn token_options_set_scopes_and_lifetime() {
    let keys = Keys::new("options");
    let options = TokenOptions::default()
        .scopes(["transactions.read"])
        .expires_in(Duration::from_secs(60));
    for (form, key) in keys.all() {
        let what = format!("token with options, {form} key");
        let claims = verified(key, &get_token(key, &options), &what);
        assert_eq!(claims["scopes"], json!(["transactions.read"]), "{what}");
        assert_eq!(check_common_claims(&claims, &what), 60, "{what}: lifetime");
    }
}

#[test]
fn embed_token_carries_embed_params_and_checkout_session() {
    let keys = Keys::new("embed");
    let key = &keys.pkcs8;
    let params = EmbedParams::new()
        .amount(1299)
        .currency("USD")
        .buyer_id("b1");
    let token = auth::get_embed_token(&key.key, &params, Some("cs-123"))
        .unwrap_or_else(|e| panic!("get_embed_token: {e}"));
    let claims = verified(key, &token, "embed token");
    assert_eq!(claims["scopes"], json!(["embed"]));
    assert_eq!(
        claims["embed"],
        json!({"amount": 1299, "currency": "USD", "buyer_id": "b1"})
    );
    assert_eq!(claims["checkout_session_id"], "cs-123");
    check_common_claims(&claims, "embed token");
}

#[test]
fn update_token_changes_what_is_set_and_keeps_the_rest() {
    let keys = Keys::new("update");
    let key = &keys.sec1_with_params;
    let original = get_token(key, &TokenOptions::default());
    let before = verified(key, &original, "original token");
    let updated = auth::update_token(
        &original,
        &key.key,
        &TokenOptions::default().scopes(["embed"]),
    )
    .unwrap_or_else(|e| panic!("update_token: {e}"));
    let after = verified(key, &updated, "updated token");
    assert_eq!(
        after["scopes"],
        json!(["embed"]),
        "update_token kept the old scopes"
    );
    assert_ne!(after["jti"], before["jti"], "update_token reused the jti");
    assert_eq!(after["iss"], before["iss"]);
    assert_eq!(check_common_claims(&after, "updated token"), 3600);

    // An unset lifetime is the old token's, not the default hour.
    let short = get_token(
        key,
        &TokenOptions::default().expires_in(Duration::from_secs(60)),
    );
    let updated = auth::update_token(&short, &key.key, &TokenOptions::default().scopes(["embed"]))
        .unwrap_or_else(|e| panic!("update_token: {e}"));
    let after = verified(key, &updated, "updated 60-second token");
    assert_eq!(after["scopes"], json!(["embed"]));
    assert_eq!(check_common_claims(&after, "updated 60-second token"), 60);

    // What the options leave unset comes from the token: its embed params and checkout session.
    let params = EmbedParams::new().amount(500).currency("EUR");
    let embed = auth::get_embed_token(&key.key, &params, Some("cs-456"))
        .unwrap_or_else(|e| panic!("get_embed_token: {e}"));
    let options = TokenOptions::default().scopes(["embed", "transactions.read"]);
    let updated = auth::update_token(&embed, &key.key, &options)
        .unwrap_or_else(|e| panic!("update_token: {e}"));
    let after = verified(key, &updated, "updated embed token");
    assert_eq!(after["scopes"], json!(["embed", "transactions.read"]));
    assert_eq!(after["embed"], json!({"amount": 500, "currency": "EUR"}));
    assert_eq!(after["checkout_session_id"], "cs-456");
}

#[test]
fn tampered_tokens_and_other_keys_are_rejected() {
    let keys = Keys::new("tampered");
    let key = &keys.sec1_with_params;
    let token = get_token(key, &TokenOptions::default());
    // Accepted as it is, so each rejection below is the tampering's doing.
    verified(key, &token, "untampered token");
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "not a compact JWS: {token}");
    let (header, payload, signature) = (parts[0], parts[1], parts[2]);

    // The payload changed but still valid base64url JSON, the signature kept.
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("payload base64url"))
            .expect("payload JSON");
    claims["scopes"] = json!(["*.read", "*.write", "*.admin"]);
    let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    assert_ne!(forged_payload, payload);
    assert_bad_signature(
        key,
        &format!("{header}.{forged_payload}.{signature}"),
        "payload changed",
    );

    // One signature byte flipped (in s, the second half of the 132-byte r || s).
    let mut bytes = URL_SAFE_NO_PAD
        .decode(signature)
        .expect("signature base64url");
    assert_eq!(
        bytes.len(),
        132,
        "an ES512 signature is r || s, 66 bytes each"
    );
    bytes[100] ^= 0x01;
    let flipped = URL_SAFE_NO_PAD.encode(&bytes);
    assert_bad_signature(
        key,
        &format!("{header}.{payload}.{flipped}"),
        "signature byte flipped",
    );

    // Signed with key 1, checked against key 2's public key.
    assert_bad_signature(&keys.sec1, &token, "verified against another key");
}

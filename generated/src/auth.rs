//! Tokens signed with your Gr4vy private key: the JWTs the API accepts as bearer tokens, and the
//! embed tokens that Gr4vy Embed and the hosted checkout take.
//!
//! Gr4vy gives each merchant an EC P-521 key pair: the API keeps the public key, you keep the
//! private key and sign a short-lived ES512 JWT with it. Most applications only need
//! [`ClientBuilder::private_key`](crate::ClientBuilder::private_key), after which the client signs
//! a fresh token for every call. The functions here are for the rest: a token for another
//! process ([`get_token`]), an embed token for a browser ([`get_embed_token`]), or a token whose
//! data changes ([`update_token`]).
//!
//! ```
//! # let pem = include_str!("../tests/support/test_key.pem");
//! let key = gr4vy::auth::PrivateKey::from_pem(pem)?;
//! let token = gr4vy::auth::get_token(&key, &gr4vy::auth::TokenOptions::default())?;
//! assert_eq!(token.split('.').count(), 3);
//! # Ok::<(), gr4vy::Error>(())
//! ```
//!
//! What a token holds: the header has `alg` `ES512`, `typ` `JWT` and `kid`, the RFC 7638
//! thumbprint of the public key, which tells the API which of your keys to check against. The
//! claims are `scopes`, `iss` (this SDK's name and version), `iat` and `nbf` (now), `exp` (an hour
//! later unless [`TokenOptions::expires_in`] says otherwise) and `jti` (a random UUID), plus
//! `embed` and `checkout_session_id` when they are set.
//!
//! Key material never reaches `Debug` output or error messages: `Debug` of a [`PrivateKey`] shows
//! only its `kid`, which is derived from the public key.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures::future::BoxFuture;
use p521::ecdsa::signature::{Signer as _, Verifier as _};
use p521::ecdsa::{Signature, SigningKey, VerifyingKey};
use p521::elliptic_curve::sec1::ToSec1Point as _;
use p521::elliptic_curve::zeroize::Zeroizing;
use serde_json::{Map, Value, json};
use sha2::{Digest as _, Sha256};

use crate::Error;

/// The scopes of a token when [`TokenOptions::scopes`] is not set: read and write access to
/// every resource the key's role allows.
pub const DEFAULT_SCOPES: [&str; 2] = ["*.read", "*.write"];

/// How long a token is valid when [`TokenOptions::expires_in`] is not set.
pub const DEFAULT_EXPIRES_IN: Duration = Duration::from_secs(3600);

/// The scope of embed tokens.
pub const EMBED_SCOPE: &str = "embed";

/// A Gr4vy private key: an EC key on the P-521 curve, read from PEM.
///
/// Cheap to clone (the key is shared). The secret scalar is wiped from memory when the last clone
/// is dropped, and `Debug` shows only the key id.
#[derive(Clone)]
pub struct PrivateKey {
    inner: Arc<KeyInner>,
}

struct KeyInner {
    signing: SigningKey,
    kid: String,
}

impl PrivateKey {
    /// Reads a P-521 private key from PEM text, in any of the forms OpenSSL writes:
    ///
    /// - PKCS#8, `-----BEGIN PRIVATE KEY-----` (what the Gr4vy dashboard gives you, and what
    ///   `openssl genpkey` writes);
    /// - SEC1, `-----BEGIN EC PRIVATE KEY-----`, also after the `-----BEGIN EC PARAMETERS-----`
    ///   block that `openssl ecparam -genkey` puts first.
    ///
    /// Text from an environment variable whose line breaks were written as `\n` escapes is
    /// accepted too. Encrypted keys, keys on other curves and other kinds of key are refused with
    /// an [`ErrorKind::Auth`](crate::ErrorKind::Auth) error that says what was found instead.
    pub fn from_pem(pem: &str) -> Result<PrivateKey, Error> {
        let pem = unescape_newlines(pem);
        let block = private_key_block(&pem)?;
        let secret = p521::SecretKey::from_pem(&block.text)
            .map_err(|error| key_error(decode_failure(&block, &error.to_string())))?;
        Ok(PrivateKey::from_signing_key(SigningKey::from(&secret)))
    }

    fn from_signing_key(signing: SigningKey) -> PrivateKey {
        let kid = thumbprint(signing.verifying_key());
        PrivateKey {
            inner: Arc::new(KeyInner { signing, kid }),
        }
    }

    /// The key id: the RFC 7638 SHA-256 thumbprint of the public key, base64url-encoded. It is
    /// the `kid` of every token this key signs, and is safe to log.
    pub fn kid(&self) -> &str {
        &self.inner.kid
    }

    /// Signs `header.claims` and returns the whole compact JWT.
    fn sign(&self, claims: &Map<String, Value>) -> Result<String, Error> {
        let header = json!({ "alg": "ES512", "kid": self.kid(), "typ": "JWT" });
        let mut token = encode_json(&header)?;
        token.push('.');
        token.push_str(&encode_json(&Value::Object(claims.clone()))?);
        let signature: Signature = self.inner.signing.sign(token.as_bytes());
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(signature.to_bytes()));
        Ok(token)
    }

    /// The claims of `token` if this key signed it (whatever its age).
    fn verified_claims(&self, token: &str) -> Result<Map<String, Value>, Error> {
        let invalid = |why: &str| key_error(format!("cannot update the token: {why}"));
        let not_jwt = || invalid("it is not a JWT (three base64url parts separated by `.`)");
        let token = token.trim();
        let (signed, signature) = token.rsplit_once('.').ok_or_else(not_jwt)?;
        let (header, claims) = signed.split_once('.').ok_or_else(not_jwt)?;
        if claims.contains('.') {
            return Err(not_jwt());
        }
        let header = decode_json(header).ok_or_else(|| invalid("its header is not JSON"))?;
        if header.get("alg").and_then(Value::as_str) != Some("ES512") {
            return Err(invalid("it is not an ES512 token"));
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .ok()
            .and_then(|bytes| Signature::from_slice(&bytes).ok())
            .ok_or_else(|| invalid("its signature is malformed"))?;
        self.inner
            .signing
            .verifying_key()
            .verify(signed.as_bytes(), &signature)
            .map_err(|_| invalid("it was not signed by this key"))?;
        match decode_json(claims) {
            Some(Value::Object(claims)) => Ok(claims),
            _ => Err(invalid("its claims are not a JSON object")),
        }
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("kid", &self.kid())
            .finish_non_exhaustive()
    }
}

impl FromStr for PrivateKey {
    type Err = Error;

    /// Same as [`PrivateKey::from_pem`].
    fn from_str(pem: &str) -> Result<Self, Error> {
        PrivateKey::from_pem(pem)
    }
}

/// What a token says, beyond the times and id every token gets.
///
/// Unset fields take their defaults in [`get_token`] and keep the old token's values in
/// [`update_token`].
///
/// ```
/// use std::time::Duration;
/// let options = gr4vy::auth::TokenOptions::default()
///     .scopes(["transactions.read"])
///     .expires_in(Duration::from_secs(60));
/// ```
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct TokenOptions {
    scopes: Option<Vec<String>>,
    expires_in: Option<Duration>,
    embed: Option<EmbedParams>,
    checkout_session_id: Option<String>,
    issuer: Option<String>,
    issued_at: Option<SystemTime>,
}

impl TokenOptions {
    /// The `scopes` claim (default [`DEFAULT_SCOPES`]), such as `transactions.read` or `embed`.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// How long the token is valid from when it is signed (default [`DEFAULT_EXPIRES_IN`], one
    /// hour). Whole seconds, at least one: anything below a second is dropped, and signing a token
    /// that would be expired at once is an error.
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = Some(expires_in);
        self
    }

    /// The `embed` claim: what an embed token allows the browser to do.
    pub fn embed(mut self, embed: EmbedParams) -> Self {
        self.embed = Some(embed);
        self
    }

    /// The `checkout_session_id` claim: pins an embed token to one checkout session.
    pub fn checkout_session_id(mut self, id: impl Into<String>) -> Self {
        self.checkout_session_id = Some(id.into());
        self
    }

    /// The `iss` claim (default `gr4vy-rust/<version>`, the SDK's user agent).
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// Signs as if it were `time` (default: the system clock when the token is signed), for tests
    /// and for applications that keep their own clock.
    pub fn issued_at(mut self, time: SystemTime) -> Self {
        self.issued_at = Some(time);
        self
    }

    /// The claims of a token signed now, on top of `base` (the old token's claims when updating).
    fn claims(&self, mut base: Map<String, Value>) -> Result<Map<String, Value>, Error> {
        let now = unix_seconds(self.issued_at.unwrap_or_else(SystemTime::now));
        let lifetime = match self.expires_in {
            Some(expires_in) => expires_in.as_secs(),
            // An updated token lives as long as the one it replaces.
            None => match (int_claim(&base, "exp"), int_claim(&base, "iat")) {
                (Some(exp), Some(iat)) if exp > iat => exp.abs_diff(iat),
                _ => DEFAULT_EXPIRES_IN.as_secs(),
            },
        };
        if lifetime == 0 {
            return Err(key_error(
                "a token must be valid for at least one second (`TokenOptions::expires_in`)",
            ));
        }
        if let Some(scopes) = &self.scopes {
            base.insert("scopes".into(), json!(scopes));
        }
        base.entry("scopes")
            .or_insert_with(|| json!(DEFAULT_SCOPES));
        if let Some(issuer) = &self.issuer {
            base.insert("iss".into(), json!(issuer));
        }
        base.entry("iss")
            .or_insert_with(|| json!(crate::http::DEFAULT_USER_AGENT));
        base.insert("iat".into(), json!(now));
        base.insert("nbf".into(), json!(now));
        base.insert(
            "exp".into(),
            json!(now.saturating_add(i64::try_from(lifetime).unwrap_or(i64::MAX))),
        );
        base.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));
        if let Some(embed) = &self.embed {
            base.insert("embed".into(), Value::Object(embed.0.clone()));
        }
        if let Some(id) = &self.checkout_session_id {
            base.insert("checkout_session_id".into(), json!(id));
        }
        Ok(base)
    }
}

/// The `embed` claim of an embed token: the amount, currency and buyer that Gr4vy Embed may use,
/// so that a browser holding the token cannot change them.
///
/// The setters cover the fields Gr4vy documents; [`set`](Self::set) adds any other.
///
/// ```
/// let embed = gr4vy::auth::EmbedParams::new()
///     .amount(1299)
///     .currency("USD")
///     .buyer_external_identifier("customer-42");
/// ```
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[must_use]
pub struct EmbedParams(Map<String, Value>);

impl EmbedParams {
    /// No fields yet.
    pub fn new() -> Self {
        EmbedParams::default()
    }

    /// The amount in the currency's smallest unit (cents for USD).
    pub fn amount(self, amount: i64) -> Self {
        self.set("amount", json!(amount))
    }

    /// The ISO 4217 currency code, such as `USD`.
    pub fn currency(self, currency: impl Into<String>) -> Self {
        self.set("currency", json!(currency.into()))
    }

    /// The Gr4vy ID of the buyer.
    pub fn buyer_id(self, id: impl Into<String>) -> Self {
        self.set("buyer_id", json!(id.into()))
    }

    /// Your own identifier of the buyer.
    pub fn buyer_external_identifier(self, id: impl Into<String>) -> Self {
        self.set("buyer_external_identifier", json!(id.into()))
    }

    /// Key-value pairs stored on the transaction.
    pub fn metadata(self, metadata: BTreeMap<String, String>) -> Self {
        self.set("metadata", json!(metadata))
    }

    /// Any other field, replacing an earlier value of the same name.
    pub fn set(mut self, name: impl Into<String>, value: Value) -> Self {
        self.0.insert(name.into(), value);
        self
    }

    /// The fields set so far.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }
}

/// Signs a token with `key`: what the client does before each call when it has a private key.
pub fn get_token(key: &PrivateKey, options: &TokenOptions) -> Result<String, Error> {
    key.sign(&options.claims(Map::new())?)
}

/// Signs an embed token (scope `embed`) for Gr4vy Embed, optionally pinned to a checkout session.
///
/// The token carries `embed` as its `embed` claim, so the browser cannot change the amount,
/// currency or buyer. [`Client::embed_token`](crate::Client::embed_token) does the same with the
/// client's key.
pub fn get_embed_token(
    key: &PrivateKey,
    embed: &EmbedParams,
    checkout_session_id: Option<&str>,
) -> Result<String, Error> {
    let mut options = TokenOptions::default()
        .scopes([EMBED_SCOPE])
        .embed(embed.clone());
    if let Some(id) = checkout_session_id {
        options = options.checkout_session_id(id);
    }
    get_token(key, &options)
}

/// Re-signs a token that `key` signed earlier, with new times and id and with `options` applied:
/// set fields replace the old token's values, unset fields keep them (including its lifetime and
/// any claim this SDK does not know).
///
/// The old token may have expired, but its signature must check out against `key`, so that this
/// never turns a token from elsewhere into one signed by you.
pub fn update_token(
    token: &str,
    key: &PrivateKey,
    options: &TokenOptions,
) -> Result<String, Error> {
    let claims = key.verified_claims(token)?;
    key.sign(&options.claims(claims)?)
}

/// The client's credentials when it was given a private key: signs a fresh token for each call.
pub(crate) struct Signer {
    pub(crate) key: PrivateKey,
    pub(crate) options: TokenOptions,
}

impl crate::TokenProvider for Signer {
    fn token(&self) -> BoxFuture<'_, Result<String, Error>> {
        Box::pin(std::future::ready(get_token(&self.key, &self.options)))
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("key", &self.key)
            .field("options", &self.options)
            .finish()
    }
}

/// RFC 7638: SHA-256 of the public JWK's required members in lexicographic order, no spaces.
fn thumbprint(key: &VerifyingKey) -> String {
    let point = key.as_affine().to_sec1_point(false);
    let coordinate = |bytes: Option<&[u8]>| URL_SAFE_NO_PAD.encode(bytes.unwrap_or_default());
    let jwk = format!(
        r#"{{"crv":"P-521","kty":"EC","x":"{}","y":"{}"}}"#,
        coordinate(point.x().map(|x| x.as_slice())),
        coordinate(point.y().map(|y| y.as_slice())),
    );
    URL_SAFE_NO_PAD.encode(Sha256::digest(jwk.as_bytes()))
}

/// One `-----BEGIN label-----` ... `-----END label-----` block of a PEM file.
struct PemBlock {
    label: String,
    /// The block itself, ready for a PEM decoder; wiped when dropped.
    text: Zeroizing<String>,
}

/// The one private key block in `pem`, skipping `EC PARAMETERS` and refusing what cannot be a
/// Gr4vy key, with an error that names what was found.
fn private_key_block(pem: &str) -> Result<PemBlock, Error> {
    let blocks = pem_blocks(pem);
    let mut keys = blocks
        .into_iter()
        .filter(|block| block.label != "EC PARAMETERS")
        .collect::<Vec<_>>();
    let block = match keys.len() {
        0 => {
            return Err(key_error(
                "no private key found: expected a PEM block such as `-----BEGIN PRIVATE KEY-----`",
            ));
        }
        1 => keys.remove(0),
        n => {
            let labels: Vec<_> = keys.iter().map(|b| b.label.as_str()).collect();
            return Err(key_error(format!(
                "expected one private key, found {n} PEM blocks ({})",
                labels.join(", ")
            )));
        }
    };
    match block.label.as_str() {
        "PRIVATE KEY" | "EC PRIVATE KEY" => Ok(block),
        "ENCRYPTED PRIVATE KEY" => Err(key_error(
            "the private key is encrypted; decrypt it first (`openssl pkcs8 -in key.pem -out plain.pem`)",
        )),
        "RSA PRIVATE KEY" => Err(key_error(
            "this is an RSA key; Gr4vy keys are EC P-521 keys",
        )),
        label if label.contains("PUBLIC KEY") || label == "CERTIFICATE" => Err(key_error(format!(
            "found a `{label}` block, not a private key; sign with the private key"
        ))),
        label => Err(key_error(format!(
            "found a `{label}` block; expected `PRIVATE KEY` or `EC PRIVATE KEY`"
        ))),
    }
}

/// The PEM blocks of `text`, in order. Lines outside blocks are ignored, as OpenSSL does.
fn pem_blocks(text: &str) -> Vec<PemBlock> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, Zeroizing<String>)> = None;
    for line in text.lines().map(str::trim) {
        if let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|rest| rest.strip_suffix("-----"))
        {
            let mut body = Zeroizing::new(String::new());
            body.push_str(line);
            body.push('\n');
            current = Some((label.to_owned(), body));
        } else if let Some((label, mut body)) = current.take() {
            body.push_str(line);
            body.push('\n');
            if line.starts_with("-----END ") {
                blocks.push(PemBlock { label, text: body });
            } else {
                current = Some((label, body));
            }
        }
    }
    blocks
}

/// Why a `PRIVATE KEY`/`EC PRIVATE KEY` block did not decode as a P-521 key. The decoder only says
/// that an OID did not match; the curve (or algorithm) named in the key says more.
fn decode_failure(block: &PemBlock, error: &str) -> String {
    let der = pem_body(&block.text);
    let found = KNOWN_OIDS
        .iter()
        .find(|(oid, _)| contains(&der, oid))
        .map(|(_, name)| *name);
    match found {
        Some(name) if name != "P-521" => {
            format!("the key is {name}; Gr4vy keys are EC keys on the P-521 curve (secp521r1)")
        }
        _ => format!(
            "the `{}` block is not a valid P-521 private key ({error})",
            block.label
        ),
    }
}

/// DER encodings of the OIDs that tell what kind of key a block holds.
const KNOWN_OIDS: [(&[u8], &str); 7] = [
    (&[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23], "P-521"),
    (
        &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
        "on the P-256 curve",
    ),
    (
        &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22],
        "on the P-384 curve",
    ),
    (
        &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a],
        "on the secp256k1 curve",
    ),
    (
        &[
            0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
        ],
        "an RSA key",
    ),
    (&[0x06, 0x03, 0x2b, 0x65, 0x70], "an Ed25519 key"),
    (&[0x06, 0x03, 0x2b, 0x65, 0x71], "an Ed448 key"),
];

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// The base64 body of a PEM block, decoded (empty when it is not base64).
fn pem_body(block: &str) -> Zeroizing<Vec<u8>> {
    let base64: Zeroizing<String> = Zeroizing::new(
        block
            .lines()
            .filter(|line| !line.starts_with("-----") && !line.contains(':'))
            .collect(),
    );
    Zeroizing::new(
        base64::engine::general_purpose::STANDARD
            .decode(base64.as_bytes())
            .unwrap_or_default(),
    )
}

/// PEM text whose line breaks arrived as the two characters `\n` (a common way to put a key in
/// an environment variable) gets real line breaks back.
fn unescape_newlines(pem: &str) -> Zeroizing<String> {
    if !pem.contains('\n') && pem.contains("\\n") {
        Zeroizing::new(pem.replace("\\n", "\n"))
    } else {
        Zeroizing::new(pem.to_owned())
    }
}

fn key_error(message: impl Into<String>) -> Error {
    Error::auth(message.into())
}

fn encode_json(value: &Value) -> Result<String, Error> {
    let bytes = serde_json::to_vec(value)
        .map_err(|error| key_error(format!("cannot encode the token: {error}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

fn decode_json(part: &str) -> Option<Value> {
    let bytes = URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn int_claim(claims: &Map<String, Value>, name: &str) -> Option<i64> {
    claims.get(name).and_then(Value::as_i64)
}

fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

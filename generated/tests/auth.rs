//! `gr4vy::auth`: reading keys in every PEM form OpenSSL writes, refusing the wrong ones clearly,
//! the exact shape of the tokens, updating tokens, and embed tokens from a client (a client that
//! signs a token per call, through the pinned spec's operations, is `auth_calls.rs`).
//!
//! The tokens are checked here with the `p521` crate's verifier; `auth_pyjwt.rs` checks them again
//! with PyJWT, a verifier nobody here wrote.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gr4vy::auth::{
    EmbedParams, PrivateKey, TokenOptions, get_embed_token, get_token, update_token,
};
use gr4vy::{Client, ErrorKind};
use p521::ecdsa::signature::Signer as _;
use p521::ecdsa::{Signature, SigningKey};
use serde_json::{Value, json};

#[path = "support/jwt.rs"]
mod jwt;

use jwt::{FromEitherPem as _, PKCS8, key, parts, signature_holds};

const SEC1: &str = include_str!("support/keys/p521_sec1.pem");
const SEC1_WITH_PARAMS: &str = include_str!("support/keys/p521_sec1_with_params.pem");
const OTHER_P521: &str = include_str!("support/keys/p521_other.pem");

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn the_three_pem_forms_of_one_key_read_as_the_same_key() {
    let kids: Vec<String> = [PKCS8, SEC1, SEC1_WITH_PARAMS]
        .iter()
        .map(|pem| PrivateKey::from_pem(pem).expect("reads").kid().to_owned())
        .collect();
    assert_eq!(kids[0], kids[1]);
    assert_eq!(kids[0], kids[2]);
    // base64url of a SHA-256 digest, no padding.
    assert_eq!(kids[0].len(), 43);
    assert!(
        kids[0]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    let other = PrivateKey::from_pem(OTHER_P521).expect("reads");
    assert_ne!(other.kid(), kids[0]);
    // `FromStr` too.
    let parsed: PrivateKey = SEC1.parse().expect("reads");
    assert_eq!(parsed.kid(), kids[0]);
}

#[test]
fn keys_pasted_with_escaped_or_windows_line_breaks_read() {
    let escaped = PKCS8.trim().replace('\n', "\\n");
    assert!(!escaped.contains('\n'));
    assert_eq!(
        PrivateKey::from_pem(&escaped).expect("reads").kid(),
        key().kid()
    );
    let crlf = SEC1_WITH_PARAMS.replace('\n', "\r\n");
    assert_eq!(
        PrivateKey::from_pem(&crlf).expect("reads").kid(),
        key().kid()
    );
    let indented: String = SEC1.lines().map(|line| format!("    {line}\n")).collect();
    assert_eq!(
        PrivateKey::from_pem(&indented).expect("reads").kid(),
        key().kid()
    );
}

#[test]
fn keys_that_are_not_p521_private_keys_are_refused_with_what_they_are() {
    let two_keys = format!("{PKCS8}\n{OTHER_P521}");
    let cases: [(&str, &str, &str); 10] = [
        (
            "P-256 SEC1",
            include_str!("support/keys/p256_sec1.pem"),
            "P-256",
        ),
        (
            "P-256 PKCS#8",
            include_str!("support/keys/p256_pkcs8.pem"),
            "P-256",
        ),
        (
            "RSA PKCS#8",
            include_str!("support/keys/rsa_pkcs8.pem"),
            "RSA",
        ),
        (
            "Ed25519",
            include_str!("support/keys/ed25519.pem"),
            "Ed25519",
        ),
        (
            "encrypted",
            include_str!("support/keys/encrypted.pem"),
            "encrypted",
        ),
        (
            "public key",
            include_str!("support/keys/public.pem"),
            "`PUBLIC KEY` block",
        ),
        ("empty", "", "no private key found"),
        ("not PEM", "hello", "no private key found"),
        (
            "garbage body",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            "not a valid P-521 private key",
        ),
        ("two keys", &two_keys, "expected one private key, found 2"),
    ];
    for (name, pem, expected) in cases {
        let error = PrivateKey::from_pem(pem).expect_err(name);
        assert_eq!(error.kind(), ErrorKind::Auth, "{name}");
        let message = error.to_string();
        assert!(message.contains(expected), "{name}: {message}");
        // The message names what was found, never the key's bytes.
        for line in pem
            .lines()
            .filter(|line| line.len() > 16 && !line.starts_with("-----"))
        {
            assert!(
                !message.contains(line),
                "{name}: the message quotes the key"
            );
            assert!(
                !format!("{error:?}").contains(line),
                "{name}: Debug quotes the key"
            );
        }
    }
}

#[test]
fn a_default_token_has_exactly_the_documented_header_and_claims() {
    let key = key();
    let before = now();
    let token = get_token(&key, &TokenOptions::default()).expect("signs");
    let (header, claims) = parts(&token);
    assert_eq!(
        header,
        json!({"alg": "ES512", "kid": key.kid(), "typ": "JWT"})
    );
    let mut names: Vec<&str> = claims.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["exp", "iat", "iss", "jti", "nbf", "scopes"]);
    assert_eq!(claims["scopes"], json!(["*.read", "*.write"]));
    assert_eq!(
        claims["iss"],
        json!(concat!("gr4vy-rust/", env!("CARGO_PKG_VERSION")))
    );
    let iat = claims["iat"].as_i64().expect("an integer");
    assert!((before..=now()).contains(&iat));
    assert_eq!(claims["nbf"].as_i64(), Some(iat));
    assert_eq!(claims["exp"].as_i64(), Some(iat + 3600));
    let jti = uuid::Uuid::parse_str(claims["jti"].as_str().expect("a string")).expect("a UUID");
    assert_eq!(jti.get_version_num(), 4);
    assert!(signature_holds(&token, PKCS8));
    assert!(!signature_holds(&token, OTHER_P521));
}

#[test]
fn every_token_gets_its_own_id_and_a_tampered_token_does_not_verify() {
    let key = key();
    let first = get_token(&key, &TokenOptions::default()).expect("signs");
    let second = get_token(&key, &TokenOptions::default()).expect("signs");
    assert_ne!(parts(&first).1["jti"], parts(&second).1["jti"]);

    let (header, mut claims) = parts(&first);
    claims.insert("scopes".into(), json!(["*.admin"]));
    let forged_claims = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    let mut pieces = first.split('.');
    let (head, _, signature) = (
        pieces.next().unwrap(),
        pieces.next(),
        pieces.next().unwrap(),
    );
    let forged = format!("{head}.{forged_claims}.{signature}");
    assert_eq!(parts(&forged).0, header);
    assert!(!signature_holds(&forged, PKCS8));
}

#[test]
fn options_set_scopes_lifetime_issuer_time_embed_and_checkout_session() {
    let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let options = TokenOptions::default()
        .scopes(["transactions.read", "buyers.write"])
        .expires_in(Duration::from_millis(60_999))
        .issuer("acme-checkout")
        .issued_at(issued)
        .embed(EmbedParams::new().amount(1299).currency("USD"))
        .checkout_session_id("cs-1");
    let (_, claims) = parts(&get_token(&key(), &options).expect("signs"));
    assert_eq!(
        claims["scopes"],
        json!(["transactions.read", "buyers.write"])
    );
    assert_eq!(claims["iss"], json!("acme-checkout"));
    assert_eq!(claims["iat"], json!(1_700_000_000));
    assert_eq!(claims["nbf"], json!(1_700_000_000));
    assert_eq!(claims["exp"], json!(1_700_000_060));
    assert_eq!(claims["embed"], json!({"amount": 1299, "currency": "USD"}));
    assert_eq!(claims["checkout_session_id"], json!("cs-1"));
}

#[test]
fn a_lifetime_under_a_second_is_refused_rather_than_signing_an_expired_token() {
    for lifetime in [Duration::ZERO, Duration::from_millis(999)] {
        let error = get_token(&key(), &TokenOptions::default().expires_in(lifetime))
            .expect_err("already expired");
        assert!(error.to_string().contains("at least one second"), "{error}");
    }
}

#[test]
fn embed_tokens_have_the_embed_scope_and_claims_and_an_optional_session() {
    let embed = EmbedParams::new()
        .amount(1299)
        .currency("USD")
        .buyer_id("8f2c")
        .buyer_external_identifier("customer-42")
        .metadata([("order".to_owned(), "A-1".to_owned())].into())
        .set(
            "cart_items",
            json!([{"name": "Tea", "quantity": 1, "unit_amount": 1299}]),
        );
    let token = get_embed_token(&key(), &embed, Some("cs-123")).expect("signs");
    let (_, claims) = parts(&token);
    assert_eq!(claims["scopes"], json!(["embed"]));
    assert_eq!(
        claims["embed"],
        json!({
            "amount": 1299,
            "currency": "USD",
            "buyer_id": "8f2c",
            "buyer_external_identifier": "customer-42",
            "metadata": {"order": "A-1"},
            "cart_items": [{"name": "Tea", "quantity": 1, "unit_amount": 1299}],
        })
    );
    assert_eq!(claims["checkout_session_id"], json!("cs-123"));
    assert!(signature_holds(&token, PKCS8));

    let unpinned = get_embed_token(&key(), &EmbedParams::new().amount(5), None).expect("signs");
    assert!(!parts(&unpinned).1.contains_key("checkout_session_id"));
}

/// A token signed outside `gr4vy::auth`, with a claim the SDK does not know.
fn foreign_token(pem: &str, claims: Value) -> String {
    let signing = SigningKey::from(&p521::SecretKey::from_pkcs8_pem_or_sec1(pem));
    let header = json!({"alg": "ES512", "typ": "JWT", "kid": "x"});
    let signed = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature: Signature = signing.sign(signed.as_bytes());
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

#[test]
fn update_token_re_signs_keeping_what_is_not_replaced() {
    let key = key();
    let old = foreign_token(
        PKCS8,
        json!({
            "scopes": ["embed"], "iss": "elsewhere", "iat": 1_000, "nbf": 1_000, "exp": 1_600,
            "jti": "old", "embed": {"amount": 1}, "custom": {"kept": true},
        }),
    );
    let before = now();
    let updated = update_token(&old, &key, &TokenOptions::default()).expect("updates");
    assert!(signature_holds(&updated, PKCS8));
    let (header, claims) = parts(&updated);
    assert_eq!(header["kid"], json!(key.kid()));
    assert_eq!(claims["custom"], json!({"kept": true}));
    assert_eq!(claims["scopes"], json!(["embed"]));
    assert_eq!(claims["iss"], json!("elsewhere"));
    assert_eq!(claims["embed"], json!({"amount": 1}));
    let iat = claims["iat"].as_i64().unwrap();
    assert!(iat >= before);
    // The old token lived 600 s; so does the new one.
    assert_eq!(claims["exp"].as_i64(), Some(iat + 600));
    assert_ne!(claims["jti"], json!("old"));

    let changed = update_token(
        &updated,
        &key,
        &TokenOptions::default()
            .scopes(["*.read"])
            .expires_in(Duration::from_secs(30))
            .embed(EmbedParams::new().amount(2))
            .checkout_session_id("cs-9"),
    )
    .expect("updates");
    let (_, claims) = parts(&changed);
    assert_eq!(claims["scopes"], json!(["*.read"]));
    assert_eq!(claims["embed"], json!({"amount": 2}));
    assert_eq!(claims["checkout_session_id"], json!("cs-9"));
    assert_eq!(
        claims["exp"].as_i64(),
        Some(claims["iat"].as_i64().unwrap() + 30)
    );
}

#[test]
fn update_token_refuses_tokens_it_cannot_vouch_for() {
    let key = key();
    let by_other = foreign_token(OTHER_P521, json!({"scopes": ["*.write"]}));
    let hs256 = format!(
        "{}.{}.c2ln",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256"}"#),
        URL_SAFE_NO_PAD.encode(r#"{"scopes":[]}"#)
    );
    let cases = [
        (by_other.as_str(), "not signed by this key"),
        ("a.b", "not a JWT"),
        ("a.b.c.d", "not a JWT"),
        ("", "not a JWT"),
        ("!!.e30.AA", "header is not JSON"),
        (hs256.as_str(), "not an ES512 token"),
    ];
    for (token, expected) in cases {
        let error = update_token(token, &key, &TokenOptions::default()).expect_err(expected);
        assert_eq!(error.kind(), ErrorKind::Auth);
        assert!(error.to_string().contains(expected), "{error}");
    }
}

#[test]
fn embed_tokens_from_the_client_need_its_private_key() {
    let embed = EmbedParams::new().amount(100).currency("EUR");
    let with_key = Client::builder()
        .private_key(key())
        .build()
        .expect("builds");
    let token = with_key.embed_token(&embed, Some("cs-1")).expect("signs");
    assert_eq!(parts(&token).1["scopes"], json!(["embed"]));
    assert!(signature_holds(&token, PKCS8));

    let with_token = Client::builder().bearer_token("t").build().expect("builds");
    let error = with_token.embed_token(&embed, None).expect_err("no key");
    assert_eq!(error.kind(), ErrorKind::Auth);
    assert!(error.to_string().contains("private_key"), "{error}");

    // The last credential set wins.
    let replaced = Client::builder()
        .private_key(key())
        .bearer_token("t")
        .build()
        .unwrap();
    assert!(replaced.embed_token(&embed, None).is_err());
}

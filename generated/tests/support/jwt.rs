//! Reading the JWTs `gr4vy::auth` signs, and checking their signatures without it, for the tests
//! of `auth.rs` and `auth_calls.rs`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gr4vy::auth::PrivateKey;
use p521::ecdsa::signature::Verifier as _;
use p521::ecdsa::{Signature, SigningKey};
use serde_json::{Map, Value};

/// The key of `test_key.pem` (PKCS#8).
pub const PKCS8: &str = include_str!("test_key.pem");

/// The key of [`PKCS8`], read.
pub fn key() -> PrivateKey {
    PrivateKey::from_pem(PKCS8).expect("the test key reads")
}

/// The header and claims of a compact JWT, decoded without checking anything.
pub fn parts(token: &str) -> (Value, Map<String, Value>) {
    let mut parts = token.split('.');
    let mut next = || {
        let part = parts.next().expect("three parts");
        serde_json::from_slice::<Value>(&URL_SAFE_NO_PAD.decode(part).expect("base64url"))
            .expect("JSON")
    };
    let header = next();
    let Value::Object(claims) = next() else {
        panic!("claims are an object")
    };
    (header, claims)
}

/// Checks the ES512 signature with the public half of `pem`, independently of `gr4vy::auth`.
pub fn signature_holds(token: &str, pem: &str) -> bool {
    let secret = p521::SecretKey::from_pkcs8_pem_or_sec1(pem);
    let verifying = *SigningKey::from(&secret).verifying_key();
    let (signed, signature) = token.rsplit_once('.').expect("a JWT");
    let bytes = URL_SAFE_NO_PAD.decode(signature).expect("base64url");
    // ES512 signatures are r || s, 66 bytes each, not DER.
    assert_eq!(bytes.len(), 132);
    let signature = Signature::from_slice(&bytes).expect("r || s");
    verifying.verify(signed.as_bytes(), &signature).is_ok()
}

pub trait FromEitherPem {
    fn from_pkcs8_pem_or_sec1(pem: &str) -> p521::SecretKey;
}

impl FromEitherPem for p521::SecretKey {
    fn from_pkcs8_pem_or_sec1(pem: &str) -> p521::SecretKey {
        let start = pem.find("-----BEGIN").expect("a PEM block");
        p521::SecretKey::from_pem(&pem[start..]).expect("a P-521 key")
    }
}

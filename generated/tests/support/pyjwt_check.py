"""Verifies one of our JWTs with PyJWT, for tests/auth_pyjwt.rs: a verifier no one here wrote.

usage: python pyjwt_check.py KEY.pem < TOKEN

KEY.pem is the P-521 private key the token was signed with (SEC1, with or without its
`EC PARAMETERS` block, or PKCS#8); the token is verified against its public key. Prints one JSON
object on stdout and exits 0:

- accepted: {"header": ..., "claims": ..., "thumbprint": ...}, where thumbprint is the RFC 7638
  thumbprint of the public key, computed here (not by the code under test);
- rejected by PyJWT: {"error": "<exception class>", "message": "..."}.

Anything else (bad usage, an unreadable or non-P-521 key, a missing package) is a crash: a message
or traceback on stderr and a non-zero exit, so the test can tell "rejected" from "broken".

Uses PyJWT and cryptography only.
"""

import base64
import hashlib
import json
import sys

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key

# The claims every Gr4vy token must carry; PyJWT rejects a token without one of them.
REQUIRED = ["exp", "iat", "nbf", "jti"]
# Signer and verifier share this machine's clock: the leeway only absorbs whole-second rounding.
LEEWAY_SECONDS = 5


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def thumbprint(public_key: ec.EllipticCurvePublicKey) -> str:
    """RFC 7638: SHA-256 of the JWK's required members, keys sorted, no whitespace."""
    numbers = public_key.public_numbers()
    size = (public_key.curve.key_size + 7) // 8  # 66 bytes for P-521 (RFC 7518 section 6.2.1.2)
    jwk = {
        "crv": "P-521",
        "kty": "EC",
        "x": b64url(numbers.x.to_bytes(size, "big")),
        "y": b64url(numbers.y.to_bytes(size, "big")),
    }
    canonical = json.dumps(jwk, sort_keys=True, separators=(",", ":"))
    return b64url(hashlib.sha256(canonical.encode("ascii")).digest())


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as pem:
        private_key = load_pem_private_key(pem.read(), password=None)
    if not isinstance(private_key, ec.EllipticCurvePrivateKey) or not isinstance(
        private_key.curve, ec.SECP521R1
    ):
        print(f"{sys.argv[1]}: not a P-521 private key", file=sys.stderr)
        return 2
    public_key = private_key.public_key()
    token = sys.stdin.read().strip()

    try:
        claims = jwt.decode(
            token,
            public_key,
            algorithms=["ES512"],
            options={"require": REQUIRED, "verify_aud": False},
            leeway=LEEWAY_SECONDS,
        )
    except jwt.InvalidTokenError as error:
        print(json.dumps({"error": type(error).__name__, "message": str(error)}))
        return 0

    result = {
        "header": jwt.get_unverified_header(token),
        "claims": claims,
        "thumbprint": thumbprint(public_key),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

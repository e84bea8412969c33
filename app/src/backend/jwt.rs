//! Signing JWTs with an RSA key (RS256): client assertions for private_key_jwt and Maskinporten.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Signs `claims` with the RSA private key in `pem` (PKCS#8 or PKCS#1), RS256, with an optional
/// key id in the header.
pub fn sign_rs256(
    claims: &serde_json::Value,
    pem: &str,
    kid: Option<&str>,
) -> Result<String, String> {
    use rsa::pkcs1v15::SigningKey;
    use rsa::signature::{SignatureEncoding, Signer};

    let key = parse_rsa_private_key(pem)?;
    let mut header = serde_json::json!({ "alg": "RS256", "typ": "JWT" });
    if let Some(kid) = kid {
        header["kid"] = kid.into();
    }
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = SigningKey::<sha2::Sha256>::new(key).sign(input.as_bytes());
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes())))
}

/// An RSA private key in PKCS#8 or PKCS#1 PEM.
pub fn parse_rsa_private_key(pem: &str) -> Result<rsa::RsaPrivateKey, String> {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    rsa::RsaPrivateKey::from_pkcs8_pem(pem)
        .or_else(|_| rsa::RsaPrivateKey::from_pkcs1_pem(pem))
        .map_err(|e| format!("not an RSA private key: {e}"))
}

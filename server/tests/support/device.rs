//! A device key as a browser's WebCrypto makes it for quick unlock, and its signatures.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::SigningKey;

/// A new P-256 key: (the key, its public half as SEC1 uncompressed base64url).
pub fn device_key() -> (SigningKey, String) {
    use rand::RngCore;
    loop {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        if let Ok(key) = SigningKey::from_slice(&bytes) {
            let public = key.verifying_key().to_sec1_point(false);
            return (key, URL_SAFE_NO_PAD.encode(public.as_bytes()));
        }
    }
}

/// The challenge signed as WebCrypto's ECDSA P-256/SHA-256 does: raw r‖s, base64url.
pub fn sign(key: &SigningKey, challenge: &str) -> String {
    use p256::ecdsa::signature::Signer;
    let signature: p256::ecdsa::Signature = key.sign(challenge.as_bytes());
    URL_SAFE_NO_PAD.encode(signature.to_bytes())
}

/// Form pairs as the browser helpers take them.
pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

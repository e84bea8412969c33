//! This device's side of quick unlock, in the browser: the key pair WebCrypto made (never
//! extractable: the private half cannot be read out, only used to sign) and the credential's id,
//! kept in IndexedDB; or, for Touch ID / face recognition, the WebAuthn credential the platform
//! authenticator holds. Each function here is a whole flow against the server, so the pages only
//! say what happened. On the server (rendering) there is no device: nothing is stored there.

use crate::api::AppError;
use crate::api::quick_unlock::UnlockAnswer;

/// How this device unlocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "only the browser reads a device's kind")
)]
/// How this device unlocks: a PIN with a device key, or a passkey.
pub enum Kind {
    Pin,
    Passkey,
}

/// What this device keeps about its quick unlock (besides the key itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub credential_id: String,
    pub kind: Kind,
    /// Where an ID-porten login for this guardian's municipality starts.
    pub login_url: String,
}

#[cfg(feature = "hydrate")]
pub use browser::*;

#[cfg(not(feature = "hydrate"))]
pub use rendering::*;

/// While rendering on the server there is no device to ask: the pages render their
/// "not loaded yet" state, and the browser fills in after hydration.
#[cfg(not(feature = "hydrate"))]
mod rendering {
    use super::*;

    pub async fn load() -> Option<Stored> {
        None
    }
    pub async fn forget() {}
    pub async fn passkey_available() -> bool {
        false
    }
    pub async fn set_up_pin(
        _pin: String,
        _again: String,
        _name: String,
        _login_url: String,
    ) -> Result<(), AppError> {
        Err(AppError::invalid("unlock.error.browser"))
    }
    pub async fn set_up_passkey(_name: String, _login_url: String) -> Result<(), AppError> {
        Err(AppError::invalid("unlock.error.browser"))
    }
    pub async fn unlock_with_pin(_pin: String) -> Result<UnlockAnswer, AppError> {
        Err(AppError::invalid("unlock.error.browser"))
    }
    pub async fn unlock_with_passkey() -> Result<UnlockAnswer, AppError> {
        Err(AppError::invalid("unlock.error.browser"))
    }
    pub fn default_name() -> String {
        String::new()
    }
    pub fn go(_url: &str) {}
    pub fn submit_logout(_forget: &str) {}
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::api::quick_unlock::passkey::{
        passkey_register_begin, passkey_register_finish, passkey_unlock_begin,
        passkey_unlock_finish,
    };
    use crate::api::quick_unlock::pin::{register_device, unlock_challenge, unlock_device};
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        CryptoKey, IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode,
    };

    const DB: &str = "ranselpost";
    const STORE: &str = "device";
    const KEY: &str = "this";

    /// A browser that cannot do what is asked (no IndexedDB, no WebCrypto, private mode…).
    fn unsupported(context: &str, error: &JsValue) -> AppError {
        leptos::logging::warn!("quick unlock: {context}: {error:?}");
        AppError::invalid("unlock.error.browser")
    }

    fn field(object: &JsValue, name: &str) -> JsValue {
        Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    }

    /// Resolves when `request` succeeds (with its result) or fails.
    async fn request_done(request: &IdbRequest) -> Result<JsValue, JsValue> {
        let promise = Promise::new(&mut |resolve, reject| {
            request.set_onsuccess(Some(&resolve));
            request.set_onerror(Some(&reject));
        });
        JsFuture::from(promise).await?;
        request.result()
    }

    /// Resolves when `tx` has committed.
    async fn committed(tx: &IdbTransaction) -> Result<(), JsValue> {
        let promise = Promise::new(&mut |resolve, reject| {
            tx.set_oncomplete(Some(&resolve));
            tx.set_onerror(Some(&reject));
            tx.set_onabort(Some(&reject));
        });
        JsFuture::from(promise).await.map(|_| ())
    }

    async fn open() -> Result<IdbDatabase, JsValue> {
        let factory = web_sys::window()
            .ok_or_else(|| JsValue::from_str("no window"))?
            .indexed_db()?
            .ok_or_else(|| JsValue::from_str("no IndexedDB"))?;
        let request: IdbOpenDbRequest = factory.open_with_u32(DB, 1)?;
        // The first open creates the store; the closure lives until the open has finished.
        let upgrade = Closure::<dyn FnMut(JsValue)>::new({
            let request = request.clone();
            move |_| {
                if let Ok(db) = request.result().and_then(|r| r.dyn_into::<IdbDatabase>())
                    && !db.object_store_names().contains(STORE)
                {
                    let _ = db.create_object_store(STORE);
                }
            }
        });
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let db = request_done(&request).await?;
        request.set_onupgradeneeded(None);
        drop(upgrade);
        db.dyn_into::<IdbDatabase>()
    }

    async fn read() -> Result<JsValue, JsValue> {
        let db = open().await?;
        let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readonly)?;
        let value = request_done(&tx.object_store(STORE)?.get(&JsValue::from_str(KEY))?).await;
        db.close();
        value
    }

    async fn write(value: Option<&JsValue>) -> Result<(), JsValue> {
        let db = open().await?;
        let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?;
        let store = tx.object_store(STORE)?;
        match value {
            Some(value) => store.put_with_key(value, &JsValue::from_str(KEY))?,
            None => store.delete(&JsValue::from_str(KEY))?,
        };
        let done = committed(&tx).await;
        db.close();
        done
    }

    async fn save(
        credential_id: &str,
        kind: Kind,
        login_url: &str,
        keys: Option<&JsValue>,
    ) -> Result<(), AppError> {
        let record = Object::new();
        let set =
            |name: &str, value: &JsValue| Reflect::set(&record, &JsValue::from_str(name), value);
        let kind = match kind {
            Kind::Pin => "pin",
            Kind::Passkey => "webauthn",
        };
        set("credentialId", &JsValue::from_str(credential_id))
            .and_then(|_| set("kind", &JsValue::from_str(kind)))
            .and_then(|_| set("loginUrl", &JsValue::from_str(login_url)))
            .and_then(|_| set("keys", keys.unwrap_or(&JsValue::NULL)))
            .map_err(|e| unsupported("building the record", &e))?;
        write(Some(&record)).await.map_err(|e| unsupported("saving the device key", &e))
    }

    /// What this device has stored, if it has quick unlock.
    pub async fn load() -> Option<Stored> {
        let record = read().await.ok()?;
        let text = |name: &str| field(&record, name).as_string();
        Some(Stored {
            credential_id: text("credentialId")?,
            kind: match text("kind")?.as_str() {
                "pin" => Kind::Pin,
                "webauthn" => Kind::Passkey,
                _ => return None,
            },
            login_url: text("loginUrl")?,
        })
    }

    /// Removes this device's key and credential id.
    pub async fn forget() {
        if let Err(e) = write(None).await {
            leptos::logging::warn!("quick unlock: forgetting the device: {e:?}");
        }
    }

    /// A full page load of `url` (a new session's cookie, or the server's login route).
    pub fn go(url: &str) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_href(url);
        }
    }

    /// Submits the page's logout form (a plain post, as without JavaScript), asking the server
    /// to revoke the credential `forget` as well.
    pub fn submit_logout(forget: &str) {
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(field) = document
            .as_ref()
            .and_then(|d| d.query_selector("form.logout input[name=forget_device]").ok().flatten())
        {
            let _ = field.set_attribute("value", forget);
        }
        let form = document
            .and_then(|d| d.query_selector("form.logout").ok().flatten())
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
        match form {
            Some(form) => {
                let _ = form.submit();
            }
            None => go("/"),
        }
    }

    /// A name for this device that its owner recognises in the device list.
    pub fn default_name() -> String {
        let agent =
            web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
        let browser = [
            ("Edg/", "Edge"),
            ("Firefox/", "Firefox"),
            ("Chrome/", "Chrome"),
            ("Safari/", "Safari"),
        ]
        .into_iter()
        .find(|(mark, _)| agent.contains(mark))
        .map_or("Nettleser", |(_, name)| name);
        let system = [
            ("iPhone", "iPhone"),
            ("iPad", "iPad"),
            ("Android", "Android"),
            ("Mac OS", "Mac"),
            ("Windows", "Windows"),
            ("Linux", "Linux"),
        ]
        .into_iter()
        .find(|(mark, _)| agent.contains(mark))
        .map(|(_, name)| name);
        match system {
            Some(system) => format!("{browser}, {system}"),
            None => browser.to_owned(),
        }
    }

    fn subtle() -> Result<web_sys::SubtleCrypto, JsValue> {
        Ok(web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?.crypto()?.subtle())
    }

    /// Makes a new non-extractable ECDSA P-256 key pair: (the pair, its public half as SEC1
    /// base64url).
    async fn new_key_pair() -> Result<(JsValue, String), JsValue> {
        let subtle = subtle()?;
        let usages = Array::of1(&JsValue::from_str("sign"));
        let params = web_sys::EcKeyGenParams::new("ECDSA", "P-256");
        let pair =
            JsFuture::from(subtle.generate_key_with_object(&params, false, &usages)?).await?;
        let public: CryptoKey = field(&pair, "publicKey").dyn_into()?;
        let raw = JsFuture::from(subtle.export_key("raw", &public)?).await?;
        let bytes = Uint8Array::new(&raw).to_vec();
        Ok((pair, URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Sets up PIN unlock: a new device key, registered with the PIN, then kept here.
    pub async fn set_up_pin(
        pin: String,
        again: String,
        name: String,
        login_url: String,
    ) -> Result<(), AppError> {
        let (pair, public_key) =
            new_key_pair().await.map_err(|e| unsupported("making a key", &e))?;
        let id = register_device(public_key, pin, again, Some(name)).await?;
        save(&id, Kind::Pin, &login_url, Some(&pair)).await
    }

    /// Unlocks with the PIN: the stored key signs a fresh challenge from the server.
    pub async fn unlock_with_pin(pin: String) -> Result<UnlockAnswer, AppError> {
        let stored = load().await.ok_or_else(|| AppError::invalid("unlock.error.no_device"))?;
        let record = read().await.map_err(|e| unsupported("reading the device key", &e))?;
        let private: CryptoKey = field(&field(&record, "keys"), "privateKey")
            .dyn_into()
            .map_err(|e| unsupported("reading the device key", &e))?;
        let (challenge_id, challenge) = unlock_challenge(stored.credential_id.clone()).await?;
        let signature = async {
            let params = web_sys::EcdsaParams::new("ECDSA", &JsValue::from_str("SHA-256"));
            let signed = JsFuture::from(subtle()?.sign_with_object_and_u8_array(
                &params,
                &private,
                challenge.as_bytes(),
            )?)
            .await?;
            Ok::<_, JsValue>(URL_SAFE_NO_PAD.encode(Uint8Array::new(&signed).to_vec()))
        }
        .await
        .map_err(|e| unsupported("signing", &e))?;
        unlock_device(stored.credential_id, challenge_id, signature, pin).await
    }

    /// Whether this device has a platform authenticator that verifies its user (Touch ID, face
    /// recognition, Windows Hello).
    pub async fn passkey_available() -> bool {
        let supported = web_sys::window()
            .map(|w| Reflect::has(&w, &JsValue::from_str("PublicKeyCredential")).unwrap_or(false))
            .unwrap_or(false);
        if !supported {
            return false;
        }
        JsFuture::from(
            web_sys::PublicKeyCredential::is_user_verifying_platform_authenticator_available(),
        )
        .await
        .map(|v| v.is_truthy())
        .unwrap_or(false)
    }

    fn credentials() -> Result<web_sys::CredentialsContainer, JsValue> {
        Ok(web_sys::window()
            .ok_or_else(|| JsValue::from_str("no window"))?
            .navigator()
            .credentials())
    }

    // WebAuthn's JSON form carries binary members as base64url text; the browser's API wants
    // them as buffers, and answers with buffers that go back as base64url.

    fn to_buffer(text: &JsValue) -> Result<JsValue, JsValue> {
        let text = text.as_string().ok_or_else(|| JsValue::from_str("not text"))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .map_err(|e| JsValue::from_str(&e.to_string()))?;
        Ok(Uint8Array::from(bytes.as_slice()).buffer().into())
    }

    fn to_text(buffer: &JsValue) -> JsValue {
        JsValue::from_str(&URL_SAFE_NO_PAD.encode(Uint8Array::new(buffer).to_vec()))
    }

    fn set(object: &JsValue, name: &str, value: &JsValue) -> Result<(), JsValue> {
        Reflect::set(object, &JsValue::from_str(name), value).map(|_| ())
    }

    /// The options from the server as the browser's API takes them: `publicKey` with its
    /// challenge, user id and credential ids as buffers.
    fn options(json: &serde_json::Value, descriptors: &str) -> Result<JsValue, JsValue> {
        let options = js_sys::JSON::parse(&json.to_string())?;
        let public_key = field(&options, "publicKey");
        set(&public_key, "challenge", &to_buffer(&field(&public_key, "challenge"))?)?;
        let user = field(&public_key, "user");
        if user.is_object() {
            set(&user, "id", &to_buffer(&field(&user, "id"))?)?;
        }
        let list = field(&public_key, descriptors);
        if Array::is_array(&list) {
            for descriptor in Array::from(&list).iter() {
                set(&descriptor, "id", &to_buffer(&field(&descriptor, "id"))?)?;
            }
        }
        Ok(options)
    }

    /// The authenticator's answer in WebAuthn's JSON form, with `binary` response members as
    /// base64url.
    fn answer(credential: &JsValue, binary: &[&str]) -> Result<serde_json::Value, JsValue> {
        let response = field(credential, "response");
        let encoded = Object::new();
        for name in binary {
            let value = field(&response, name);
            if !value.is_null() && !value.is_undefined() {
                set(&encoded, name, &to_text(&value))?;
            }
        }
        let extensions = field(credential, "getClientExtensionResults")
            .dyn_into::<js_sys::Function>()?
            .call0(credential)?;
        let out = Object::new();
        set(&out, "id", &field(credential, "id"))?;
        set(&out, "rawId", &to_text(&field(credential, "rawId")))?;
        set(&out, "type", &JsValue::from_str("public-key"))?;
        set(&out, "response", &encoded)?;
        set(&out, "extensions", &extensions)?;
        let text: String = js_sys::JSON::stringify(&out)?.into();
        serde_json::from_str(&text).map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// A WebAuthn call the person cancelled, or that timed out, is not a fault.
    fn webauthn_failed(context: &str, error: &JsValue) -> AppError {
        let name = field(error, "name").as_string().unwrap_or_default();
        leptos::logging::warn!("quick unlock: {context}: {error:?}");
        if name == "NotAllowedError" || name == "AbortError" {
            AppError::invalid("unlock.error.cancelled")
        } else {
            AppError::invalid("unlock.error.passkey")
        }
    }

    /// Sets up Touch ID / face recognition: a platform credential that requires user
    /// verification, registered with the server. Lazy (`--split`): the WebAuthn code is fetched
    /// only by a device that uses it.
    #[leptos::prelude::lazy]
    pub async fn set_up_passkey(name: String, login_url: String) -> Result<(), AppError> {
        let (ceremony_id, options) = passkey_register_begin(Some(name)).await?;
        let credential = async {
            let options = self::options(&options, "excludeCredentials")?;
            let promise = credentials()?.create_with_options(options.unchecked_ref())?;
            answer(&JsFuture::from(promise).await?, &["attestationObject", "clientDataJSON"])
        }
        .await
        .map_err(|e| webauthn_failed("creating a credential", &e))?;
        let id = passkey_register_finish(ceremony_id, credential).await?;
        save(&id, Kind::Passkey, &login_url, None).await
    }

    /// Unlocks with Touch ID / face recognition (lazy, as `set_up_passkey`).
    #[leptos::prelude::lazy]
    pub async fn unlock_with_passkey() -> Result<UnlockAnswer, AppError> {
        let stored = load().await.ok_or_else(|| AppError::invalid("unlock.error.no_device"))?;
        let Some((ceremony_id, options)) = passkey_unlock_begin(stored.credential_id).await? else {
            return Ok(UnlockAnswer::Revoked);
        };
        let credential = async {
            let options = self::options(&options, "allowCredentials")?;
            let promise = credentials()?.get_with_options(options.unchecked_ref())?;
            answer(
                &JsFuture::from(promise).await?,
                &["authenticatorData", "clientDataJSON", "signature", "userHandle"],
            )
        }
        .await
        .map_err(|e| webauthn_failed("using the credential", &e))?;
        passkey_unlock_finish(ceremony_id, credential).await
    }
}

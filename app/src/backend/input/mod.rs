//! What comes in at the door. Every request body is bounded, and every form or JSON body is
//! readable, without repeated fields and without control characters before any handler or
//! server function sees it — one place for all of them, so that no endpoint can forget. What
//! is refused here gets a 4xx with a sentence in the person's language (a page for a form
//! posted without JavaScript, an [`AppError`] for the app's own calls), never a 500 and never
//! a decoder's or a framework's own words, on either database engine.

use crate::domain::input::{is_unwanted, strip_unwanted};
use crate::error::AppError;
use crate::i18n::{LANG_COOKIE, Locale, translate, translate_with};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest request body taken, in bytes. The largest legitimate one is a message at its
/// limit of 10,000 characters: at four bytes a character (emoji) and three characters for
/// each byte once form-encoded (`%F0%9F%98%80`) that is 120,000 bytes, and a subject of 200
/// such characters adds 2,400. Twice that leaves room for a text somewhat over the limit, which
/// is then kept as a draft and explained rather than refused here. WebAuthn's JSON and the
/// login forms are a few kilobytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// How much of a body over the limit is still read (and thrown away) so that the sender gets
/// the refusal: a browser still uploading when the server answers and closes sees a broken
/// connection instead of the page. Larger bodies are cut off without an answer.
const DRAIN_BYTES: u64 = 8 * 1024 * 1024;
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(10);

/// Why a request was turned away at the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The body is larger than [`MAX_BODY_BYTES`].
    TooLarge,
    /// The body or address could not be read: not UTF-8, a field given twice, broken JSON, a
    /// control character in the address, or the body broke off.
    Malformed,
}

impl Refusal {
    pub fn status(self) -> StatusCode {
        match self {
            Refusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::Malformed => StatusCode::BAD_REQUEST,
        }
    }

    /// The i18n key of what the person is told.
    pub fn key(self) -> &'static str {
        match self {
            Refusal::TooLarge => "error.too_large",
            Refusal::Malformed => "error.bad_input",
        }
    }
}

/// The middleware: screens the request, then hands it on; and answers the framework's own
/// plain-text refusals (an extractor that could not read a query or form) in the same words.
pub async fn screen_requests(req: Request, next: Next) -> Response {
    let locale = locale_of(req.headers());
    let html = wants_html(req.headers());
    // A plain form post (no JavaScript) to a server function, and the page it came from.
    let form_post = (html && req.method() == Method::POST && req.uri().path().starts_with("/api/"))
        .then(|| back_to(req.headers()));
    let req = match screen(req).await {
        Ok(req) => req,
        Err(refusal) => {
            tracing::info!(?refusal, "request refused at the door");
            return answer(refusal, locale, html);
        }
    };
    let res = next.run(req).await;
    // axum's extractors answer a query or form they cannot read with their own text (e.g.
    // "Failed to deserialize query string: missing field …"); the person gets ours instead.
    let plain_text = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    match res.status() {
        StatusCode::PAYLOAD_TOO_LARGE if plain_text => answer(Refusal::TooLarge, locale, html),
        StatusCode::BAD_REQUEST
        | StatusCode::UNPROCESSABLE_ENTITY
        | StatusCode::UNSUPPORTED_MEDIA_TYPE
            if plain_text =>
        {
            answer(Refusal::Malformed, locale, html)
        }
        // A server function that refused a plain form post answers in JSON for its own client;
        // a person whose browser posted the form gets a page in words instead, with the way back.
        status
            if (status.is_client_error() || status.is_server_error())
                && !is_html(&res)
                && form_post.is_some() =>
        {
            refused_post(res, locale, form_post.flatten().as_deref()).await
        }
        _ => res,
    }
}

/// Whether a response is a page.
fn is_html(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// The path (and query) of the page a form was posted from, if the browser said and it is a
/// path of this site (a cross-site post never gets this far).
fn back_to(headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let after_scheme = referer.split_once("://").map_or(referer, |(_, rest)| rest);
    let path = &after_scheme[after_scheme.find('/')?..];
    let path = path.split('#').next().unwrap_or(path);
    (path.starts_with('/') && !path.starts_with("//") && !path.chars().any(char::is_control))
        .then(|| path.to_owned())
}

/// The page for a plain form post a server function refused with `res`: in words, with the
/// internal error's code (which the log has) for a person who calls the municipality.
async fn refused_post(res: Response, locale: Locale, back: Option<&str>) -> Response {
    let status = res.status();
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        let body = axum::body::to_bytes(res.into_body(), 16 * 1024).await.unwrap_or_default();
        if let Ok(AppError::Internal { correlation_id }) = serde_json::from_slice(&body) {
            let text = translate_with(locale, "error.internal", &[("id", &correlation_id)]);
            return page_with(status, locale, &text, back.map(|path| (path, "error.back")));
        }
    }
    let key = match status {
        StatusCode::BAD_REQUEST => "error.bad_input",
        StatusCode::UNAUTHORIZED => "error.unauthenticated",
        StatusCode::FORBIDDEN => "error.forbidden",
        StatusCode::NOT_FOUND | StatusCode::CONFLICT => "error.gone",
        StatusCode::TOO_MANY_REQUESTS => "error.rate_limited",
        StatusCode::SERVICE_UNAVAILABLE => "error.busy",
        _ => "error.internal_plain",
    };
    page(status, locale, key, back.map(|path| (path, "error.back")))
}

/// The request as it may go in: its body read (within the limit) and cleaned, or why not.
async fn screen(req: Request) -> Result<Request, Refusal> {
    if !clean_uri(req.uri()) {
        return Err(Refusal::Malformed);
    }
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        // Nothing here reads the body of these.
        return Ok(req);
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > DRAIN_BYTES) {
        return Err(Refusal::TooLarge);
    }
    let kind = match BodyKind::of(req.headers()) {
        // Server functions decode their URL-encoded arguments whatever the declared type, so
        // a body sent to one as `text/plain` (or with no type) is cleaned as the form it is.
        BodyKind::Other if req.uri().path().starts_with("/api/") => BodyKind::Form,
        kind => kind,
    };
    let (mut parts, body) = req.into_parts();
    let bytes = read_limited(body, MAX_BODY_BYTES).await?;
    let cleaned = match kind {
        BodyKind::Form => clean_form(&bytes)?,
        BodyKind::Json => clean_json(&bytes)?,
        BodyKind::Other => None,
    };
    let bytes = match cleaned {
        Some(cleaned) => {
            parts.headers.insert(header::CONTENT_LENGTH, cleaned.len().into());
            Bytes::from(cleaned)
        }
        None => bytes,
    };
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Form,
    Json,
    Other,
}

impl BodyKind {
    fn of(headers: &HeaderMap) -> BodyKind {
        let essence = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .unwrap_or_default();
        match essence.as_str() {
            "application/x-www-form-urlencoded" => BodyKind::Form,
            "application/json" => BodyKind::Json,
            _ => BodyKind::Other,
        }
    }
}

/// The whole body, or [`Refusal::TooLarge`] once it grows past `limit` (whatever length it
/// declared; a body sent in chunks declares none). What comes after the limit is read and
/// thrown away, up to [`DRAIN_BYTES`], so that the sender is still listening for the answer.
async fn read_limited(body: Body, limit: usize) -> Result<Bytes, Refusal> {
    use futures::StreamExt;
    let mut stream = body.into_data_stream();
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| Refusal::Malformed)?;
        if out.len() + chunk.len() > limit {
            let mut seen = (out.len() + chunk.len()) as u64;
            let drain = async {
                while seen <= DRAIN_BYTES
                    && let Some(Ok(chunk)) = stream.next().await
                {
                    seen += chunk.len() as u64;
                }
            };
            let _ = tokio::time::timeout(DRAIN_TIME, drain).await;
            return Err(Refusal::TooLarge);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(out))
}

/// Whether the path and query, decoded, are UTF-8 without control characters: an id with a
/// NUL in it would reach the database, where PostgreSQL fails on it and SQLite does not.
fn clean_uri(uri: &axum::http::Uri) -> bool {
    let readable = |part: &str| {
        String::from_utf8(percent_decode(part.as_bytes(), false))
            .is_ok_and(|text| !text.chars().any(is_unwanted))
    };
    readable(uri.path()) && uri.query().is_none_or(readable)
}

/// A form body's `(name, value)` pairs, decoded as browsers encode them (`+` is a space, `%XX`
/// a byte; a `%` without two hex digits stays as it is).
pub fn decode_form(body: &[u8]) -> Result<Vec<(String, String)>, Refusal> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for piece in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match piece.iter().position(|b| *b == b'=') {
            Some(at) => (&piece[..at], &piece[at + 1..]),
            None => (piece, &[][..]),
        };
        let text = |bytes: &[u8]| {
            String::from_utf8(percent_decode(bytes, true)).map_err(|_| Refusal::Malformed)
        };
        let (name, value) = (text(name)?, text(value)?);
        // No form of ours repeats a field; a repeated one would leave it to chance which value
        // counts, and the decoders after this one disagree about it.
        if pairs.iter().any(|(n, _)| *n == name) {
            return Err(Refusal::Malformed);
        }
        pairs.push((name, value));
    }
    Ok(pairs)
}

/// A form body for `pairs`, every byte but the unreserved ones percent-encoded.
pub fn encode_form(pairs: &[(String, String)]) -> String {
    fn encode(text: &str, out: &mut String) {
        for b in text.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode(name, &mut out);
        out.push('=');
        encode(value, &mut out);
    }
    out
}

fn percent_decode(bytes: &[u8], plus_is_space: bool) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%'
            && let (Some(hi), Some(lo)) =
                (bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex))
        {
            out.push(hi << 4 | lo);
            i += 3;
            continue;
        }
        out.push(if plus_is_space && b == b'+' { b' ' } else { b });
        i += 1;
    }
    out
}

/// A cleaned form body, `None` if it was clean already.
fn clean_form(body: &[u8]) -> Result<Option<Vec<u8>>, Refusal> {
    let pairs = decode_form(body)?;
    let dirty = pairs.iter().any(|(n, v)| n.chars().chain(v.chars()).any(is_unwanted));
    if !dirty {
        return Ok(None);
    }
    let cleaned: Vec<(String, String)> = pairs
        .iter()
        .map(|(n, v)| (strip_unwanted(n).into_owned(), strip_unwanted(v).into_owned()))
        .collect();
    Ok(Some(encode_form(&cleaned).into_bytes()))
}

/// A cleaned JSON body, `None` if it was clean already; broken JSON is refused.
fn clean_json(body: &[u8]) -> Result<Option<Vec<u8>>, Refusal> {
    use serde_json::Value;
    fn clean(value: &mut Value) -> bool {
        match value {
            Value::String(s) => match strip_unwanted(s) {
                std::borrow::Cow::Owned(cleaned) => {
                    *s = cleaned;
                    true
                }
                std::borrow::Cow::Borrowed(_) => false,
            },
            Value::Array(items) => {
                let mut dirty = false;
                for item in items {
                    dirty |= clean(item);
                }
                dirty
            }
            Value::Object(map) => {
                let mut dirty = map.keys().any(|k| k.chars().any(is_unwanted));
                if dirty {
                    let entries = std::mem::take(map);
                    for (k, v) in entries {
                        map.insert(strip_unwanted(&k).into_owned(), v);
                    }
                }
                for item in map.values_mut() {
                    dirty |= clean(item);
                }
                dirty
            }
            _ => false,
        }
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let mut value: Value = serde_json::from_slice(body).map_err(|_| Refusal::Malformed)?;
    if !clean(&mut value) {
        return Ok(None);
    }
    serde_json::to_vec(&value).map(Some).map_err(|_| Refusal::Malformed)
}

/// The language to answer in: the person's choice, else the browser's, else bokmål.
fn locale_of(headers: &HeaderMap) -> Locale {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    header(header::COOKIE)
        .and_then(|cookies| {
            cookies.split(';').find_map(|c| {
                let (name, value) = c.trim().split_once('=')?;
                (name == LANG_COOKIE).then(|| Locale::parse(value)).flatten()
            })
        })
        .or_else(|| header(header::ACCEPT_LANGUAGE).and_then(Locale::from_accept_language))
        .unwrap_or_default()
}

/// A form posted by a browser without JavaScript asks for HTML; the app's own calls ask for
/// what the server function answers in.
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// A small page saying what went wrong (`key`), with a link back (`back`: a path and the i18n
/// key of its text) or to the front page. Hand-written: it is sent where the app did not run.
fn page(status: StatusCode, locale: Locale, key: &str, back: Option<(&str, &str)>) -> Response {
    page_with(status, locale, translate(locale, key), back)
}

/// [`page`] with its text given.
fn page_with(
    status: StatusCode,
    locale: Locale,
    text: &str,
    back: Option<(&str, &str)>,
) -> Response {
    use crate::domain::html::escape;
    let (href, link) = back.unwrap_or(("/", "not_found.home"));
    let page = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/ranselpost.css\"></head>\
         <body><main id=\"main\"><h1>{title}</h1><p class=\"error\" role=\"alert\">{text}</p>\
         <p><a class=\"button primary\" href=\"{href}\">{link}</a></p></main></body></html>",
        lang = locale.code(),
        title = escape(translate(locale, "error.generic")),
        text = escape(text),
        href = escape(href),
        link = escape(translate(locale, link)),
    );
    let no_store = (header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    (status, [no_store], axum::response::Html(page)).into_response()
}

/// The answer to a refused request: a small page, or the [`AppError`] a server function call
/// understands (its client reads any 4xx body as the function's error).
pub fn answer(refusal: Refusal, locale: Locale, html: bool) -> Response {
    let status = refusal.status();
    let no_store = (header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if html {
        return page(status, locale, refusal.key(), None);
    }
    let error = AppError::invalid(refusal.key());
    let body = serde_json::to_string(&error).unwrap_or_default();
    (status, [no_store, (header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body)
        .into_response()
}

#[cfg(test)]
mod tests;

//! Folkeregisteret, "offentlig med hjemmel": persons (names, parental responsibility, family
//! relations, address protection) and the event feed.
//!
//! Two adapters: [`HttpFolkeregister`] calls the real API with a Maskinporten token, honours
//! ETag/304 and 429 Retry-After and retries 5xx a few times; [`FixtureFolkeregister`] reads the
//! same JSON documents from a folder (demo and tests).

use super::RegisterError;
use super::maskinporten::Maskinporten;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The parts of a person document Ranselpost asks for (data minimisation: nothing else).
pub const PARTS: [&str; 4] = ["navn", "foreldreansvar", "familierelasjon", "adressebeskyttelse"];

/// A name in Folkeregisteret's wire format.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Navn {
    pub fornavn: String,
    #[serde(default)]
    pub mellomnavn: Option<String>,
    pub etternavn: String,
    #[serde(default)]
    pub er_gjeldende: bool,
}

/// Parental responsibility in Folkeregisteret's wire format.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Foreldreansvar {
    /// felles, mor, far, medmor, andre, ukjent.
    pub ansvar: String,
    /// The responsible adult's identity number.
    #[serde(default)]
    pub ansvarlig: Option<String>,
    /// The child's identity number.
    #[serde(default)]
    pub ansvarssubjekt: Option<String>,
    #[serde(default)]
    pub er_gjeldende: bool,
    #[serde(default)]
    pub gyldighetstidspunkt: Option<String>,
    #[serde(default)]
    pub opphoerstidspunkt: Option<String>,
}

/// A family relation in Folkeregisteret's wire format.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Familierelasjon {
    #[serde(default)]
    pub relatert_person: Option<String>,
    pub relatert_persons_rolle: String,
    #[serde(default)]
    pub min_rolle_for_person: Option<String>,
    #[serde(default)]
    pub er_gjeldende: bool,
}

/// Address protection (confidential or strictly confidential address).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Adressebeskyttelse {
    /// ugradert, klientadresse, fortrolig, strengtFortrolig.
    pub graderingsnivaa: String,
    #[serde(default)]
    pub er_gjeldende: bool,
}

/// A person document, as much of it as Ranselpost reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    #[serde(default)]
    pub navn: Vec<Navn>,
    #[serde(default)]
    pub foreldreansvar: Vec<Foreldreansvar>,
    #[serde(default)]
    pub familierelasjon: Vec<Familierelasjon>,
    #[serde(default)]
    pub adressebeskyttelse: Vec<Adressebeskyttelse>,
}

impl Person {
    pub fn current_name(&self) -> Option<&Navn> {
        self.navn.iter().find(|n| n.er_gjeldende).or(self.navn.first())
    }

    /// The current address protection level; `ugradert` when none is registered.
    pub fn protection(&self) -> &str {
        self.adressebeskyttelse
            .iter()
            .find(|a| a.er_gjeldende)
            .map(|a| a.graderingsnivaa.as_str())
            .unwrap_or("ugradert")
    }

    /// The children this person (`pid`) currently has parental responsibility for.
    pub fn children_in_care<'a>(
        &'a self,
        pid: &'a str,
    ) -> impl Iterator<Item = &'a Foreldreansvar> + 'a {
        self.foreldreansvar.iter().filter(move |f| {
            f.er_gjeldende
                && f.ansvarlig.as_deref() == Some(pid)
                && f.ansvarssubjekt.is_some()
                && f.opphoerstidspunkt.is_none()
        })
    }
}

/// One entry of the event feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedEntry {
    pub sekvensnummer: i64,
    pub hendelse: Hendelse,
}

/// One event of Folkeregisteret's feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hendelse {
    pub folkeregisteridentifikator: String,
    pub hendelsestype: String,
}

impl Hendelse {
    /// Whether this event can change who may see a child or how a person is shown.
    pub fn concerns_ranselpost(&self) -> bool {
        matches!(
            self.hendelsestype.as_str(),
            "endringIForeldreansvar"
                | "endringIFamilierelasjon"
                | "endringINavn"
                | "endringIAdressebeskyttelse"
                | "personErDoed"
        )
    }
}

/// A page of the feed: entries from a sequence number on, or "nothing new" (304).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedPage {
    Entries(Vec<FeedEntry>),
    NotModified,
}

/// The population register port.
#[derive(Clone)]
pub enum Folkeregister {
    Http(Arc<HttpFolkeregister>),
    Fixture(FixtureFolkeregister),
}

impl std::fmt::Debug for Folkeregister {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Folkeregister::Http(h) => write!(f, "Folkeregister::Http({})", h.base_url),
            Folkeregister::Fixture(x) => write!(f, "Folkeregister::Fixture({:?})", x.dir),
        }
    }
}

impl Folkeregister {
    /// The person with this identity number, or `None` if the register does not know it.
    pub async fn person(&self, pid: &str) -> Result<Option<Person>, RegisterError> {
        match self {
            Folkeregister::Http(h) => h.person(pid).await,
            Folkeregister::Fixture(f) => f.person(pid),
        }
    }

    /// Feed entries from sequence number `seq` on.
    pub async fn feed(&self, seq: i64) -> Result<FeedPage, RegisterError> {
        match self {
            Folkeregister::Http(h) => h.feed(seq).await,
            Folkeregister::Fixture(f) => f.feed(seq),
        }
    }
}

/// Reads `<dir>/personer/<pid>.json` and `<dir>/feed.json`, in the API's own shapes; or the
/// same documents built into the binary (the demo's register).
#[derive(Debug, Clone)]
pub struct FixtureFolkeregister {
    pub dir: PathBuf,
    pub embedded: Option<&'static [(String, String)]>,
}

impl FixtureFolkeregister {
    pub fn from_dir(dir: impl Into<PathBuf>) -> Self {
        FixtureFolkeregister { dir: dir.into(), embedded: None }
    }

    /// Documents as (pid, JSON) pairs compiled into the binary.
    pub fn embedded(documents: &'static [(String, String)]) -> Self {
        FixtureFolkeregister { dir: PathBuf::new(), embedded: Some(documents) }
    }

    fn person(&self, pid: &str) -> Result<Option<Person>, RegisterError> {
        if !pid.chars().all(|c| c.is_ascii_digit()) {
            return Ok(None);
        }
        if let Some(documents) = self.embedded {
            return documents
                .iter()
                .find(|(p, _)| *p == pid)
                .map(|(_, json)| {
                    serde_json::from_str(json).map_err(|e| RegisterError::Fixture(e.to_string()))
                })
                .transpose();
        }
        let path = self.dir.join("personer").join(format!("{pid}.json"));
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| RegisterError::Fixture(e.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(RegisterError::Fixture(e.to_string())),
        }
    }

    fn feed(&self, seq: i64) -> Result<FeedPage, RegisterError> {
        if self.embedded.is_some() {
            return Ok(FeedPage::Entries(Vec::new()));
        }
        let entries: Vec<FeedEntry> = match std::fs::read_to_string(self.dir.join("feed.json")) {
            Ok(text) => {
                serde_json::from_str(&text).map_err(|e| RegisterError::Fixture(e.to_string()))?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(RegisterError::Fixture(e.to_string())),
        };
        Ok(FeedPage::Entries(
            entries.into_iter().filter(|e| e.sekvensnummer >= seq).take(1000).collect(),
        ))
    }
}

/// The real API. `base_url` ends before `/folkeregisteret/…`.
pub struct HttpFolkeregister {
    base_url: String,
    http: reqwest::Client,
    tokens: Maskinporten,
    /// The ETag of the last feed page per start sequence, for If-None-Match.
    etags: Mutex<Option<(i64, String)>>,
    /// How many times a 429 or 5xx is retried before giving up.
    retries: u32,
}

const API: &str = "folkeregisteret/offentlig-med-hjemmel/api/v1";
/// The longest wait a Retry-After may impose on one call.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

impl HttpFolkeregister {
    pub fn new(base_url: &str, http: reqwest::Client, tokens: Maskinporten) -> Self {
        HttpFolkeregister {
            base_url: base_url.trim_end_matches('/').to_owned(),
            http,
            tokens,
            etags: Mutex::new(None),
            retries: 3,
        }
    }

    async fn person(&self, pid: &str) -> Result<Option<Person>, RegisterError> {
        if !pid.chars().all(|c| c.is_ascii_digit()) {
            return Ok(None);
        }
        let url = format!("{}/{API}/personer/{pid}", self.base_url);
        let query: Vec<(&str, &str)> = PARTS.iter().map(|p| ("part", *p)).collect();
        let res = self.send(|| self.http.get(&url).query(&query)).await?;
        match res.status().as_u16() {
            200 => res.json().await.map(Some).map_err(|e| RegisterError::Shape(e.to_string())),
            404 => Ok(None),
            status => Err(RegisterError::Refused(status)),
        }
    }

    async fn feed(&self, seq: i64) -> Result<FeedPage, RegisterError> {
        let url = format!("{}/{API}/hendelser/feed", self.base_url);
        let etag = self
            .etags
            .lock()
            .expect("etag lock")
            .clone()
            .filter(|(s, _)| *s == seq)
            .map(|(_, e)| e);
        let res = self
            .send(|| {
                let req = self.http.get(&url).query(&[("seq", seq.to_string())]);
                match &etag {
                    Some(e) => req.header(reqwest::header::IF_NONE_MATCH, e),
                    None => req,
                }
            })
            .await?;
        match res.status().as_u16() {
            304 => Ok(FeedPage::NotModified),
            200 => {
                if let Some(e) =
                    res.headers().get(reqwest::header::ETAG).and_then(|v| v.to_str().ok())
                {
                    *self.etags.lock().expect("etag lock") = Some((seq, e.to_owned()));
                }
                res.json()
                    .await
                    .map(FeedPage::Entries)
                    .map_err(|e| RegisterError::Shape(e.to_string()))
            }
            status => Err(RegisterError::Refused(status)),
        }
    }

    /// Sends with a bearer token, waiting out 429 (Retry-After, in milliseconds as the API
    /// documents) and retrying 5xx with a short backoff, a bounded number of times.
    async fn send(
        &self,
        request: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, RegisterError> {
        let mut attempt = 0;
        loop {
            let token = self.tokens.token().await?;
            let res = request()
                .bearer_auth(token)
                .header(reqwest::header::ACCEPT, "application/json")
                .send()
                .await
                .map_err(|e| RegisterError::Unavailable(e.to_string()))?;
            let status = res.status().as_u16();
            let wait = match status {
                429 => Some(
                    res.headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_millis)
                        .unwrap_or(Duration::from_secs(1))
                        .min(MAX_RETRY_AFTER),
                ),
                500..=599 => Some(Duration::from_millis(200 * 2u64.pow(attempt))),
                _ => None,
            };
            match wait {
                Some(wait) if attempt < self.retries => {
                    tracing::warn!(
                        status,
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        "Folkeregisteret: retrying"
                    );
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Some(_) => {
                    return Err(RegisterError::Unavailable(format!(
                        "status {status} after {attempt} retries"
                    )));
                }
                None => return Ok(res),
            }
        }
    }
}

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

//! Kontakt- og reservasjonsregisteret (KRR): e-mail, mobile, reservation and notification
//! status. `POST …/rest/v2/personer` with up to 1,000 identity numbers a request.

use super::RegisterError;
use super::maskinporten::Maskinporten;
use crate::domain::contact::ContactDetails;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

/// The most identity numbers KRR takes in one request.
pub const MAX_BATCH: usize = 1000;

/// KRR's contact details of a person, in its wire format.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kontaktinformasjon {
    #[serde(default)]
    pub epostadresse: Option<String>,
    #[serde(default)]
    pub epostadresse_oppdatert: Option<String>,
    #[serde(default)]
    pub epostadresse_sist_verifisert: Option<String>,
    #[serde(default)]
    pub mobiltelefonnummer: Option<String>,
    #[serde(default)]
    pub mobiltelefonnummer_oppdatert: Option<String>,
    #[serde(default)]
    pub mobiltelefonnummer_sist_verifisert: Option<String>,
}

/// One person in KRR's answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KrrPerson {
    pub personidentifikator: String,
    /// JA or NEI.
    #[serde(default)]
    pub reservasjon: Option<String>,
    /// AKTIV, SLETTET, IKKE_REGISTRERT.
    #[serde(default)]
    pub status: Option<String>,
    /// KAN_VARSLES or KAN_IKKE_VARSLES.
    #[serde(default)]
    pub varslingsstatus: Option<String>,
    #[serde(default)]
    pub kontaktinformasjon: Option<Kontaktinformasjon>,
    #[serde(default)]
    pub spraak: Option<String>,
}

fn date(value: &Option<String>) -> Option<String> {
    value.as_deref().and_then(|v| v.get(..10)).map(str::to_owned)
}

impl KrrPerson {
    pub fn contact_details(&self) -> ContactDetails {
        let k = self.kontaktinformasjon.clone().unwrap_or_default();
        ContactDetails {
            email: k.epostadresse.clone(),
            email_updated: date(&k.epostadresse_oppdatert),
            email_verified: date(&k.epostadresse_sist_verifisert),
            mobile: k.mobiltelefonnummer.clone(),
            mobile_updated: date(&k.mobiltelefonnummer_oppdatert),
            mobile_verified: date(&k.mobiltelefonnummer_sist_verifisert),
            reserved: self.reservasjon.as_deref() == Some("JA"),
            can_notify: self.status.as_deref() == Some("AKTIV")
                && self.varslingsstatus.as_deref() == Some("KAN_VARSLES"),
            language: self.spraak.clone(),
        }
    }
}

#[derive(Serialize)]
struct Request<'a> {
    personidentifikatorer: &'a [String],
}

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    personer: Vec<KrrPerson>,
}

/// The contact register port.
#[derive(Clone)]
pub enum Krr {
    Http(Arc<HttpKrr>),
    /// `<dir>/personer/<pid>.json` documents, or built-in ones (the demo).
    Fixture {
        dir: PathBuf,
        embedded: Option<&'static [(String, String)]>,
    },
}

impl std::fmt::Debug for Krr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Krr::Http(_) => f.write_str("Krr::Http"),
            Krr::Fixture { dir, .. } => write!(f, "Krr::Fixture({dir:?})"),
        }
    }
}

impl Krr {
    /// The persons KRR knows among `pids`, asked in batches of at most 1,000.
    pub async fn lookup(&self, pids: &[String]) -> Result<Vec<KrrPerson>, RegisterError> {
        let mut found = Vec::new();
        for batch in pids.chunks(MAX_BATCH) {
            found.extend(match self {
                Krr::Http(h) => h.lookup(batch).await?,
                Krr::Fixture { dir, embedded } => fixture_lookup(dir, *embedded, batch)?,
            });
        }
        Ok(found)
    }
}

fn fixture_lookup(
    dir: &std::path::Path,
    embedded: Option<&'static [(String, String)]>,
    pids: &[String],
) -> Result<Vec<KrrPerson>, RegisterError> {
    let mut found = Vec::new();
    for pid in pids.iter().filter(|p| p.chars().all(|c| c.is_ascii_digit())) {
        let text = match embedded {
            Some(docs) => docs.iter().find(|(p, _)| p == pid).map(|(_, j)| j.to_string()),
            None => std::fs::read_to_string(dir.join("personer").join(format!("{pid}.json"))).ok(),
        };
        if let Some(text) = text {
            found.push(
                serde_json::from_str(&text).map_err(|e| RegisterError::Fixture(e.to_string()))?,
            );
        }
    }
    Ok(found)
}

/// KRR's REST API, reached with Maskinporten tokens.
pub struct HttpKrr {
    url: String,
    http: reqwest::Client,
    tokens: Maskinporten,
}

impl HttpKrr {
    /// `url` is the full `…/rest/v2/personer` endpoint.
    pub fn new(url: &str, http: reqwest::Client, tokens: Maskinporten) -> Self {
        HttpKrr { url: url.to_owned(), http, tokens }
    }

    async fn lookup(&self, pids: &[String]) -> Result<Vec<KrrPerson>, RegisterError> {
        let token = self.tokens.token().await?;
        let res = self
            .http
            .post(&self.url)
            .bearer_auth(token)
            .json(&Request { personidentifikatorer: pids })
            .send()
            .await
            .map_err(|e| RegisterError::Unavailable(e.to_string()))?;
        if !res.status().is_success() {
            return Err(RegisterError::Refused(res.status().as_u16()));
        }
        let body: Response = res.json().await.map_err(|e| RegisterError::Shape(e.to_string()))?;
        Ok(body.personer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::post;
    use axum::{Json, Router};
    use std::sync::Mutex;

    #[test]
    fn a_krr_answer_becomes_contact_details_with_reservation_and_status() {
        let person: KrrPerson = serde_json::from_value(serde_json::json!({
            "personidentifikator": "14908615183", "reservasjon": "JA", "status": "AKTIV",
            "varslingsstatus": "KAN_IKKE_VARSLES",
            "kontaktinformasjon": { "epostadresse": "nina@example.no",
                "epostadresse_oppdatert": "2026-02-01T10:00:00+01", "mobiltelefonnummer": "+4791111111" },
            "spraak": "nb"
        }))
        .unwrap();
        let details = person.contact_details();
        assert!(details.reserved && !details.can_notify);
        assert_eq!(details.email_updated.as_deref(), Some("2026-02-01"));
        assert_eq!(details.notice_channels("2026-11-27"), Default::default());
    }

    #[tokio::test]
    async fn lookups_go_in_batches_of_at_most_a_thousand() {
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let seen = sizes.clone();
        let app = Router::new().route(
            "/rest/v2/personer",
            post(move |Json(body): Json<serde_json::Value>| {
                let seen = seen.clone();
                async move {
                    let ids = body["personidentifikatorer"].as_array().unwrap().clone();
                    seen.lock().unwrap().push(ids.len());
                    let personer: Vec<_> = ids
                        .iter()
                        .map(|id| {
                            serde_json::json!({ "personidentifikator": id, "reservasjon": "NEI",
                            "status": "AKTIV", "varslingsstatus": "KAN_VARSLES" })
                        })
                        .collect();
                    Json(serde_json::json!({ "personer": personer }))
                }
            }),
        );
        let token_app = Router::new().route(
            "/token",
            post(|| async { Json(serde_json::json!({ "access_token": "t", "expires_in": 120 })) }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app.merge(token_app)).await.unwrap() });
        let key = {
            use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
            rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)
                .unwrap()
                .to_pkcs1_pem(LineEnding::LF)
                .unwrap()
                .to_string()
        };
        let config = super::super::maskinporten::MaskinportenConfig {
            issuer: "https://maskinporten.example/".into(),
            token_endpoint: format!("{base}/token"),
            client_id: "c".into(),
            key_id: None,
            private_key_pem: key,
        };
        let http = reqwest::Client::new();
        let tokens = Maskinporten::new(config, "krr:global/kontaktinformasjon.read", http.clone());
        let krr =
            Krr::Http(Arc::new(HttpKrr::new(&format!("{base}/rest/v2/personer"), http, tokens)));
        let pids: Vec<String> = (0..2345).map(|n| format!("{n:011}")).collect();
        let found = krr.lookup(&pids).await.unwrap();
        assert_eq!(found.len(), 2345);
        assert_eq!(*sizes.lock().unwrap(), [1000, 1000, 345]);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::backend::testing::arbitrary;
    use proptest::prelude::*;

    const KEYS: &[&str] = &[
        "personer",
        "personidentifikator",
        "reservasjon",
        "status",
        "varslingsstatus",
        "kontaktinformasjon",
        "spraak",
        "epostadresse",
        "epostadresse_oppdatert",
        "epostadresse_sist_verifisert",
        "mobiltelefonnummer",
        "mobiltelefonnummer_oppdatert",
        "mobiltelefonnummer_sist_verifisert",
        "JA",
        "AKTIV",
        "KAN_VARSLES",
    ];

    fn use_person(person: &KrrPerson) {
        let details = person.contact_details();
        for date in [
            &details.email_updated,
            &details.email_verified,
            &details.mobile_updated,
            &details.mobile_verified,
        ]
        .into_iter()
        .flatten()
        {
            assert!(date.len() <= 10, "{date:?}");
        }
        let _ = details.notice_channels("2027-01-04");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn any_answer_from_krr_is_read_or_refused(body in arbitrary::body(KEYS)) {
            if let Ok(answer) = serde_json::from_slice::<Response>(&body) {
                answer.personer.iter().for_each(use_person);
            }
        }

        #[test]
        fn any_json_person_is_read_or_refused(value in arbitrary::json(KEYS)) {
            if let Ok(person) = serde_json::from_value::<KrrPerson>(value.clone()) {
                use_person(&person);
            }
            let answer = serde_json::json!({ "personer": [value] });
            if let Ok(answer) = serde_json::from_value::<Response>(answer) {
                answer.personer.iter().for_each(use_person);
            }
        }

        #[test]
        fn any_text_in_a_person_s_fields_is_used_without_panic(
            fields in prop::collection::vec(any::<String>(), 10),
        ) {
            let person: KrrPerson = serde_json::from_value(serde_json::json!({
                "personidentifikator": fields[0], "reservasjon": fields[1], "status": fields[2],
                "varslingsstatus": fields[3],
                "kontaktinformasjon": {
                    "epostadresse": fields[4], "epostadresse_oppdatert": fields[5],
                    "epostadresse_sist_verifisert": fields[6], "mobiltelefonnummer": fields[7],
                    "mobiltelefonnummer_oppdatert": fields[8],
                    "mobiltelefonnummer_sist_verifisert": fields[9],
                }
            }))
            .unwrap();
            use_person(&person);
        }
    }
}

//! SMS through LINK Mobility's SMS REST API, which many Norwegian municipalities use:
//! `POST {--sms-url}/sms/send` with HTTP basic authentication and a JSON body (`source`,
//! `destination` as an MSISDN with +, `userData` the text, `platformId`, `platformPartnerId`,
//! `refId`). The answer's `resultCode` 1005 ("Queued") means accepted.
//!
//! Configured by `--sms-url` (`RANSELPOST_SMS_URL`, e.g. `https://n-eu.linkmobility.io`) with
//! the credentials from the environment: `RANSELPOST_SMS_USER`, `RANSELPOST_SMS_PASSWORD`,
//! `RANSELPOST_SMS_PLATFORM_PARTNER_ID`, and optionally `RANSELPOST_SMS_PLATFORM_ID`
//! (`COMMON_API`) and `RANSELPOST_SMS_SENDER` (`Ranselpost`, at most 11 letters).

use std::time::Duration;

/// LINK Mobility's code for a message taken for delivery.
const QUEUED: i64 = 1005;

#[derive(Clone)]
pub struct SmsGateway {
    client: reqwest::Client,
    send_url: String,
    user: String,
    password: String,
    sender: String,
    platform_id: String,
    partner_id: String,
}

impl std::fmt::Debug for SmsGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsGateway").field("sender", &self.sender).finish_non_exhaustive()
    }
}

/// What the gateway needs besides its address.
#[derive(Clone, Default)]
pub struct SmsAccount {
    pub user: String,
    pub password: String,
    pub sender: String,
    pub platform_id: String,
    pub partner_id: String,
}

impl std::fmt::Debug for SmsAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsAccount").field("sender", &self.sender).finish_non_exhaustive()
    }
}

impl SmsGateway {
    pub fn new(base_url: &str, account: SmsAccount) -> Result<SmsGateway, String> {
        let base = reqwest::Url::parse(base_url).map_err(|_| "--sms-url is not a URL")?;
        if account.user.is_empty() || account.password.is_empty() || account.partner_id.is_empty() {
            return Err("--sms-url needs RANSELPOST_SMS_USER, RANSELPOST_SMS_PASSWORD and \
                        RANSELPOST_SMS_PLATFORM_PARTNER_ID"
                .to_owned());
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| format!("making an HTTP client: {e}"))?;
        Ok(SmsGateway {
            client,
            send_url: format!("{}/sms/send", base.as_str().trim_end_matches('/')),
            user: account.user,
            password: account.password,
            sender: account.sender,
            platform_id: account.platform_id,
            partner_id: account.partner_id,
        })
    }

    /// Sends `text` to `to` (+47…). `ref_id` is ours, the same for every try of one notice.
    pub async fn send(&self, to: &str, text: &str, ref_id: &str) -> Result<(), Failure> {
        let body = serde_json::json!({
            "source": self.sender,
            "sourceTON": "ALPHANUMERIC",
            "destination": to,
            "userData": text,
            "platformId": self.platform_id,
            "platformPartnerId": self.partner_id,
            "refId": ref_id,
            "useDeliveryReport": false,
        });
        let res = self
            .client
            .post(&self.send_url)
            .basic_auth(&self.user, Some(&self.password))
            .json(&body)
            .send()
            .await
            .map_err(|e| {
                Failure::Transient(format!("reaching the SMS gateway: {}", e.without_url()))
            })?;
        let status = res.status();
        let answer: serde_json::Value = res.json().await.unwrap_or_default();
        let code = answer.get("resultCode").and_then(serde_json::Value::as_i64);
        if status.is_success() && code == Some(QUEUED) {
            return Ok(());
        }
        let why = format!("the SMS gateway answered {status} with result code {code:?}");
        // A message it will never take (a number it rejects): not tried again. Our account
        // refused (401, 403: a password expired or changed) is for the operators to mend, and
        // the notices wait for it, as they do for too many requests and the gateway's own
        // troubles.
        if refused_for_good(status.as_u16()) {
            Err(Failure::Permanent(why))
        } else {
            Err(Failure::Transient(why))
        }
    }
}

/// Whether the gateway's answer means this message will never be taken.
fn refused_for_good(status: u16) -> bool {
    (400..500).contains(&status) && !matches!(status, 401 | 403 | 408 | 429)
}

/// Why an SMS was not sent: for good, or for now.
#[derive(Debug)]
pub enum Failure {
    Permanent(String),
    Transient(String),
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_a_message_the_gateway_rejects_is_given_up_and_a_refused_account_waits_for_mending() {
        assert!(super::refused_for_good(400));
        assert!(super::refused_for_good(422));
        for waits in [401, 403, 408, 429, 500, 503] {
            assert!(!super::refused_for_good(waits), "{waits}");
        }
    }
}

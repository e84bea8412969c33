//! The independent OpenID provider (`end2end/oidc/provider.mjs`, npm `oidc-provider`), started
//! as a child process for one test and stopped when the test ends.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct OidcProvider {
    pub issuer: String,
    pub client_secret: String,
    child: Child,
    http: reqwest::Client,
}

impl OidcProvider {
    /// Starts the provider for an app whose public URL is `public_url`; `pkjwt_public_pem` is
    /// the public key of the private_key_jwt client.
    pub fn start(public_url: &str, local_url: &str, pkjwt_public_pem: &str) -> OidcProvider {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end");
        let client_secret = uuid::Uuid::new_v4().simple().to_string();
        let mut child = Command::new("node")
            .arg("oidc/provider.mjs")
            .current_dir(root)
            .env("REDIRECT_URI", format!("{public_url}/auth/callback"))
            .env("POST_LOGOUT_REDIRECT_URI", format!("{public_url}/"))
            .env("CLIENT_SECRET", &client_secret)
            .env("BACKCHANNEL_LOGOUT_URI", format!("{local_url}/auth/backchannel-logout"))
            .env("PKJWT_PUBLIC_KEY_PEM", pkjwt_public_pem)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs end2end/oidc/provider.mjs (npm ci in end2end/ first)");
        let stdout = child.stdout.take().unwrap();
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        // Keep reading its output so the provider never writes into a closed pipe.
        std::thread::spawn(move || {
            let mut sink = String::new();
            while reader.read_line(&mut sink).is_ok_and(|n| n > 0) {
                sink.clear();
            }
        });
        let issuer = line
            .trim()
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("provider did not start: {line:?}"))
            .to_owned();
        OidcProvider { issuer, client_secret, child, http: reqwest::Client::new() }
    }

    /// Sets who logs in next, at which level, and how the next token response is tampered with.
    /// The next authentication happens now (see [`Self::next_authenticated_ago`]).
    pub async fn next(&self, account: &str, acr: &str, tamper: Option<&str>) {
        let res = self
            .http
            .post(format!("{}/test/next", self.issuer))
            .json(
                &serde_json::json!({ "account": account, "acr": acr, "tamper": tamper, "age": 0 }),
            )
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
    }
}

impl OidcProvider {
    /// The next login answers with an authentication made `secs` seconds ago, as a provider
    /// that answers from its single sign-on session (ignoring `prompt=login`) does.
    pub async fn next_authenticated_ago(&self, secs: i64) {
        let res = self
            .http
            .post(format!("{}/test/next", self.issuer))
            .json(&serde_json::json!({ "age": secs }))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

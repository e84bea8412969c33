//! A minimal browser for HTTP-level login tests: follows nothing by itself, keeps cookies.

use super::TestApp;
use std::collections::BTreeMap;

pub struct Browser {
    pub client: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
}

impl Default for Browser {
    fn default() -> Self {
        Self::new()
    }
}

impl Browser {
    pub fn new() -> Self {
        Browser {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(std::time::Duration::from_secs(30))
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
        }
    }

    /// A second tab of this browser: the same cookies, its own requests (for posts at once).
    pub fn tab(&self) -> Browser {
        Browser { client: self.client.clone(), cookies: self.cookies.clone() }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn remember(&mut self, res: &reqwest::Response) {
        for value in res.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    /// Sends `request` with this browser's cookies and keeps the ones it is given.
    async fn send(&mut self, request: reqwest::RequestBuilder) -> reqwest::Response {
        let res = request.header("cookie", self.cookie_header()).send().await.unwrap();
        self.remember(&res);
        res
    }

    pub async fn get(&mut self, url: &str) -> reqwest::Response {
        let request = self
            .client
            .get(url)
            .header("accept", "text/html")
            .header("sec-fetch-site", "same-origin");
        self.send(request).await
    }

    /// The page at `path` of `app`, as text.
    pub async fn text(&mut self, app: &TestApp, path: &str) -> String {
        self.get(&app.public(path)).await.text().await.unwrap()
    }

    /// Opens the app's live event stream, as an open page does.
    pub async fn events(&self, app: &TestApp) -> reqwest::Response {
        self.client
            .get(app.public("/api/events"))
            .header("cookie", self.cookie_header())
            .header("accept", "text/event-stream")
            .send()
            .await
            .unwrap()
    }

    pub async fn post_form(
        &mut self,
        url: &str,
        form: &[(String, String)],
        site: &str,
    ) -> reqwest::Response {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let request = self
            .client
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", site)
            .body(form_body(&pairs));
        self.send(request).await
    }

    /// A server function called by the app's own client in an island: a URL-encoded post that
    /// asks for JSON.
    pub async fn call(&mut self, url: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let request = self
            .client
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .header("sec-fetch-site", "same-origin")
            .body(form_body(form));
        self.send(request).await
    }

    /// A same-origin JSON post, as the app's JSON server functions are called.
    pub async fn post_json(&mut self, url: &str, body: &serde_json::Value) -> reqwest::Response {
        let request = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header("sec-fetch-site", "same-origin")
            .body(body.to_string());
        self.send(request).await
    }

    /// Submits a form to `path` of `app`, as a browser without JavaScript does.
    pub async fn post(
        &mut self,
        app: &TestApp,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.submit(&app.public(path), form).await
    }

    /// Submits the form on `page` of `app` to `path`, as a browser without JavaScript does (with
    /// the page as its `Referer`).
    pub async fn submit_on(
        &mut self,
        app: &TestApp,
        page: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let request = self
            .client
            .post(app.public(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html,application/xhtml+xml")
            .header("sec-fetch-site", "same-origin")
            .header("origin", app.public(""))
            .header("referer", app.public(page))
            .body(form_body(form));
        self.send(request).await
    }

    /// Submits a form as a browser without JavaScript does: a same-site post that accepts HTML.
    pub async fn submit(&mut self, url: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let origin = url.split('/').take(3).collect::<Vec<_>>().join("/");
        let request = self
            .client
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html,application/xhtml+xml")
            .header("sec-fetch-site", "same-origin")
            .header("origin", origin)
            .body(form_body(form));
        self.send(request).await
    }
}

/// `form` URL-encoded, as a browser posts it.
pub fn form_body(form: &[(&str, &str)]) -> String {
    form.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .unwrap_or_else(|| panic!("no Location on {}", res.status()))
        .to_str()
        .unwrap()
        .to_owned()
}

fn enc(s: &str) -> String {
    let mut url = reqwest::Url::parse("http://x/").unwrap();
    url.query_pairs_mut().append_pair("v", s);
    url.query().unwrap()[2..].to_owned()
}

/// The query parameters of a URL.
pub fn query(url: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Makes a calendar address as the guardian in `browser` does without JavaScript, and returns
/// its secret as the activities page shows it. The secret never appears in a URL the browser
/// is sent to (history, logs and Referer headers keep those).
pub async fn make_calendar_address(app: &TestApp, browser: &mut Browser) -> String {
    let res =
        browser.submit(&app.public("/api/activities/calendar"), &[("action", "create")]).await;
    let to = location(&res);
    assert_eq!(to, "/aktiviteter", "back to the page, with nothing secret in the URL");
    let page = browser.get(&app.public(&to)).await.text().await.unwrap();
    let start =
        page.find("/kalender/").unwrap_or_else(|| panic!("the page shows the new address: {page}"))
            + "/kalender/".len();
    let token = page[start..].split(".ics").next().unwrap().to_owned();
    assert!(
        token.len() >= 40
            && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "{token}"
    );
    token
}

/// Runs the whole guardian login as a browser would, choosing `pid` on the test provider's
/// page; returns where the callback sent the browser.
/// A fresh browser, logged in as `who` through the demo's test identity provider.
pub async fn logged_in(app: &TestApp, audience: &str, who: (&str, &str)) -> Browser {
    let mut browser = Browser::new();
    log_in(app, &mut browser, audience, who).await;
    browser
}

pub async fn log_in(
    app: &TestApp,
    browser: &mut Browser,
    audience: &str,
    choice: (&str, &str),
) -> String {
    let res = browser.get(&app.public(&format!("/auth/login/4601/{audience}"))).await;
    assert_eq!(res.status(), 303);
    let authorize = location(&res);
    assert!(authorize.starts_with(&app.public("/testid/authorize?")), "{authorize}");
    let params = query(&authorize);
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    assert_eq!(get("code_challenge_method").as_deref(), Some("S256"));
    assert!(get("state").is_some() && get("nonce").is_some());
    if audience == "guardian" {
        assert_eq!(get("acr_values").as_deref(), Some("idporten-loa-substantial"));
    }
    assert_eq!(get("ui_locales").as_deref(), Some("nb"));

    let page = browser.get(&authorize).await.text().await.unwrap();
    if audience == "guardian" {
        assert!(page.contains("Fødselsnummer") && page.contains("Logg inn"), "{page}");
    }
    let mut form = params.clone();
    form.push((choice.0.to_owned(), choice.1.to_owned()));
    let res = browser.post_form(&app.public("/testid/authorize"), &form, "same-origin").await;
    assert_eq!(res.status(), 303);
    let callback = location(&res);
    assert!(callback.starts_with(&app.public("/auth/callback?")));
    let res = browser.get(&callback).await;
    assert_eq!(res.status(), 303);
    location(&res)
}

/// Sends a request made by hand (with headers of its own) and reads the page it answers with.
pub async fn read(request: reqwest::RequestBuilder) -> String {
    request.send().await.unwrap().text().await.unwrap()
}

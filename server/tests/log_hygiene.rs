//! No token, code, secret, PIN or national identity number reaches the logs: the real binary
//! runs a whole login and a quick unlock at debug level, and its captured output is searched for
//! every such value.

mod support;

use support::browser::{Browser, location, query};
use support::device::{device_key, pairs, sign};
use support::process::Served;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_and_logout_write_no_token_code_secret_or_pid_to_the_logs() {
    let mut served = Served::demo(&[], "debug").await;
    let base = served.base.clone();
    let dir = served.dir.clone();
    let mut browser = Browser::new();

    let res = browser.get(&format!("{base}/auth/login/4601/guardian")).await;
    let mut form = query(&location(&res));
    let state = form.iter().find(|(k, _)| k == "state").unwrap().1.clone();
    form.push(("pid".into(), "12848510058".into()));
    let res = browser.post_form(&format!("{base}/testid/authorize"), &form, "same-origin").await;
    let callback = location(&res);
    let code = query(&callback).into_iter().find(|(k, _)| k == "code").unwrap().1;
    assert_eq!(location(&browser.get(&callback).await), "/hjem");
    let session = browser.cookies["ranselpost_session"].clone();
    assert!(browser.get(&format!("{base}/hjem")).await.text().await.unwrap().contains("Kari"));

    // Quick unlock: a PIN is set, then typed wrong and right from a browser without a session.
    let (pin, wrong_pin) = ("7396", "8159");
    let (key, public_key) = device_key();
    let registered = browser
        .post_form(
            &format!("{base}/api/device/register"),
            &pairs(&[("public_key", &public_key), ("pin", pin), ("pin_again", pin)]),
            "same-origin",
        )
        .await;
    assert_eq!(registered.status(), 200);
    let credential: String = serde_json::from_str(&registered.text().await.unwrap()).unwrap();
    let mut phone = Browser::new();
    for typed in [wrong_pin, pin] {
        let challenge = phone
            .post_form(
                &format!("{base}/api/device/challenge"),
                &pairs(&[("credential_id", &credential)]),
                "same-origin",
            )
            .await;
        let (challenge_id, challenge): (String, String) =
            serde_json::from_str(&challenge.text().await.unwrap()).unwrap();
        let signature = sign(&key, &challenge);
        phone
            .post_form(
                &format!("{base}/api/device/unlock"),
                &pairs(&[
                    ("credential_id", &credential),
                    ("challenge_id", &challenge_id),
                    ("signature", &signature),
                    ("pin", typed),
                ]),
                "same-origin",
            )
            .await;
    }
    assert!(phone.cookies.contains_key("ranselpost_session"));

    let db = app::backend::Database::connect(&format!("sqlite://{}/ranselpost.db", dir.display()))
        .await
        .unwrap();
    use sqlx::Row;
    let secret: String = sqlx::query("SELECT client_secret FROM identity_provider LIMIT 1")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("client_secret");
    let id_token: String = sqlx::query("SELECT id_token FROM session LIMIT 1")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("id_token");
    browser.post_form(&format!("{base}/auth/logout"), &[], "same-origin").await;
    // A failed login too: its error is logged, its values are not.
    browser.get(&format!("{base}/auth/callback?code={code}&state={state}")).await;

    let output = served.stop();
    assert!(output.contains("login refused"), "the run was logged at all:\n{output}");
    for (what, value) in [
        ("pid", "12848510058"),
        ("authorization code", code.as_str()),
        ("state", state.as_str()),
        ("session token", session.as_str()),
        ("client secret", secret.as_str()),
        ("ID token", id_token.as_str()),
    ] {
        assert!(!output.contains(value), "the {what} is in the logs:\n{output}");
    }
    for (what, value) in [("PIN", pin), ("wrong PIN", wrong_pin)] {
        assert!(!stands_alone(&output, value), "the {what} is in the logs:\n{output}");
    }
}

/// Whether `value` occurs in `text` other than as part of a longer word or number (a
/// timestamp's fraction, an id).
fn stands_alone(text: &str, value: &str) -> bool {
    let part_of_word =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || "-.:_".contains(c));
    text.match_indices(value).any(|(at, _)| {
        !part_of_word(text[..at].chars().next_back())
            && !part_of_word(text[at + value.len()..].chars().next())
    })
}

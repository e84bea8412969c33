//! What the demo's people do over and over in the tests, written once: each step is a form
//! post as a browser without JavaScript makes it.

use super::TestApp;
use super::browser::{Browser, location};

/// Kari starts a conversation about Jonas with his contact teacher Ingrid, sending despite what
/// the guard finds; where she is sent: the conversation, or back to the form with a kept draft.
pub async fn kari_writes_to_ingrid(
    app: &TestApp,
    kari: &mut Browser,
    subject: &str,
    body: &str,
) -> String {
    let res = kari
        .submit(
            &app.public("/api/child/start_thread"),
            &[
                ("child_id", "demo-child-jonas"),
                ("recipient", "demo-unit-fjordvik-skole:demo-staff-ingrid"),
                ("subject", subject),
                ("body", body),
                ("confirmed", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 302);
    location(&res)
}

/// A staff member sends a group message to `target` (`group:<id>` or `unit:<id>`); the answer.
pub async fn group_message(
    app: &TestApp,
    staff: &mut Browser,
    target: &str,
    subject: &str,
    body: &str,
) -> reqwest::Response {
    staff
        .submit(
            &app.public("/api/messages/send_group"),
            &[("target", target), ("subject", subject), ("body", body)],
        )
        .await
}

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

/// Ingrid sends 4B the forest-trip message; the address of the group's conversation.
pub async fn forest_trip_to_4b(app: &TestApp, ingrid: &mut Browser) -> String {
    let subject = "Skogstur fredag";
    let res =
        group_message(app, ingrid, "group:demo-group-4b", subject, "Vi går til skogen på fredag.")
            .await;
    assert_eq!(res.status(), 302, "the group message is sent");
    location(&res)
}

/// A guardian posts the absence form for Jonas; `fields` are named as the form's fields
/// (`when`, `part`, `kind`, `note`, `absence_id`, `confirmed` …). Where the browser is sent:
/// the absence page, or back to the form with what was typed kept.
pub async fn report_for_jonas(
    app: &TestApp,
    browser: &mut Browser,
    fields: &[(&str, &str)],
) -> String {
    let fields = [&[("child_id", "demo-child-jonas")], fields].concat();
    post_form_struct(app, browser, "/api/child/report_absence", &fields).await
}

/// A staff member posts the activity form; `fields` are named as its fields (`target`, `title`,
/// `day`, `starts` …, and `activity_id` for a change). Where the browser is sent.
pub async fn plan_activity(app: &TestApp, staff: &mut Browser, fields: &[(&str, &str)]) -> String {
    post_form_struct(app, staff, "/api/activities/create", fields).await
}

/// Posts a form whose fields arrive as one struct (`form[when]` …) beside a few plain ones;
/// `body` is the note. Expects a redirect and says where to.
async fn post_form_struct(
    app: &TestApp,
    browser: &mut Browser,
    path: &str,
    fields: &[(&str, &str)],
) -> String {
    let named: Vec<(String, &str)> = fields
        .iter()
        .map(|(name, value)| {
            let name = match *name {
                "child_id" | "activity_id" | "absence_id" | "confirmed" | "overlap" => {
                    name.to_string()
                }
                "body" => "form[note]".to_owned(),
                field => format!("form[{field}]"),
            };
            (name, *value)
        })
        .collect();
    let form: Vec<(&str, &str)> = named.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let res = browser.post(app, path, &form).await;
    assert_eq!(res.status(), 302);
    location(&res)
}

/// The day `days` after today by the real clock, as the forms write it ("2027-01-07").
pub fn days_from_today(days: i64) -> String {
    let today = app::backend::clock::Clock::real().today();
    app::domain::days::day_number(&today).map(|n| app::domain::days::date_of(n + days)).unwrap()
}

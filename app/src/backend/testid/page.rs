//! The test provider's pages: plain server-rendered HTML forms, like the real TestID.

use super::PATH;
use super::endpoints::AuthorizeParams;
use crate::domain::Audience;
use crate::i18n::{Locale, translate};

/// A demo person the test provider's page offers.
pub struct Person {
    pub id: String,
    pub pid: Option<String>,
    pub name: String,
}

/// The test provider's login page, written by hand (escaped with `domain::html`).
pub struct LoginPage<'a> {
    pub audience: Audience,
    pub params: &'a AuthorizeParams,
    pub people: Vec<Person>,
    pub error: Option<&'static str>,
}

use crate::domain::html::escape as esc;

fn document(locale: Locale, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/ranselpost.css\"></head>\
         <body><p class=\"demo-banner\" role=\"note\"><strong>{demo}</strong> {demo_text}</p>\
         <main id=\"main\" class=\"testid\">{body}</main></body></html>",
        lang = locale.code(),
        title = esc(title),
        demo = esc(translate(locale, "layout.demo.badge")),
        demo_text = esc(translate(locale, "testid.explanation")),
    )
}

/// The hidden fields that carry the authorization request through the form post.
fn hidden_fields(p: &AuthorizeParams) -> String {
    let fields = [
        ("client_id", &p.client_id),
        ("redirect_uri", &p.redirect_uri),
        ("response_type", &p.response_type),
        ("scope", &p.scope),
        ("state", &p.state),
        ("nonce", &p.nonce),
        ("code_challenge", &p.code_challenge),
        ("code_challenge_method", &p.code_challenge_method),
        ("acr_values", &p.acr_values),
        ("ui_locales", &p.ui_locales),
    ];
    fields
        .iter()
        .filter_map(|(name, value)| {
            value
                .as_ref()
                .map(|v| format!("<input type=\"hidden\" name=\"{name}\" value=\"{}\">", esc(v)))
        })
        .collect()
}

pub fn login_page(locale: Locale, page: &LoginPage<'_>) -> String {
    let t = |key| esc(translate(locale, key));
    let hidden = hidden_fields(page.params);
    let action = format!("{PATH}/authorize");
    let error = page
        .error
        .map(|key| format!("<p class=\"error\" role=\"alert\" id=\"pid-error\">{}</p>", t(key)))
        .unwrap_or_default();
    let mut body = String::new();
    match page.audience {
        Audience::Guardian => {
            let invalid = if page.error.is_some() {
                " aria-invalid=\"true\" aria-describedby=\"pid-error\""
            } else {
                ""
            };
            body.push_str(&format!(
                "<h1>{title}</h1><p class=\"lead\">{lead}</p>{error}\
                 <form method=\"post\" action=\"{action}\" class=\"stack\">{hidden}\
                 <label for=\"pid\">{label}</label>\
                 <input id=\"pid\" name=\"pid\" inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"14\"{invalid}>\
                 <button type=\"submit\" class=\"primary\">{button}</button></form>",
                title = t("testid.title"),
                lead = t("testid.lead"),
                label = t("testid.pid_label"),
                button = t("testid.login"),
            ));
            body.push_str(&format!("<h2>{}</h2><ul class=\"choices\">", t("testid.demo_persons")));
            for person in &page.people {
                let Some(pid) = &person.pid else { continue };
                body.push_str(&format!(
                    "<li><form method=\"post\" action=\"{action}\">{hidden}\
                     <button type=\"submit\" name=\"pid\" value=\"{pid}\">{name} <span class=\"card-meta\">{pid}</span></button></form></li>",
                    pid = esc(pid),
                    name = esc(&person.name),
                ));
            }
            body.push_str("</ul>");
        }
        Audience::Staff => {
            body.push_str(&format!(
                "<h1>{title}</h1><p class=\"lead\">{lead}</p>{error}<ul class=\"choices\">",
                title = t("testid.staff_title"),
                lead = t("testid.staff_lead"),
            ));
            for person in &page.people {
                body.push_str(&format!(
                    "<li><form method=\"post\" action=\"{action}\">{hidden}\
                     <button type=\"submit\" name=\"subject\" value=\"{id}\">{name}</button></form></li>",
                    id = esc(&person.id),
                    name = esc(&person.name),
                ));
            }
            body.push_str("</ul>");
        }
    }
    document(locale, translate(locale, "testid.title"), &body)
}

pub fn error_page(locale: Locale, key: &str) -> String {
    let body = format!(
        "<h1>{}</h1><p class=\"error\" role=\"alert\">{}</p>",
        esc(translate(locale, "testid.title")),
        esc(translate(locale, key))
    );
    document(locale, translate(locale, "testid.title"), &body)
}

pub fn logged_out_page(locale: Locale) -> String {
    let body = format!(
        "<h1>{}</h1><p><a href=\"/\">{}</a></p>",
        esc(translate(locale, "testid.logged_out")),
        esc(translate(locale, "not_found.home"))
    );
    document(locale, translate(locale, "testid.logged_out"), &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_the_request_is_escaped() {
        assert_eq!(esc("\"><script>x</script>"), "&quot;&gt;&lt;script&gt;x&lt;/script&gt;");
        let params = AuthorizeParams { state: Some("\"><img src=x>".into()), ..Default::default() };
        assert!(!hidden_fields(&params).contains("<img"));
    }
}

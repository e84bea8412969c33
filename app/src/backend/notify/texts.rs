//! What a notice says: the kind of event and the unit, and a link into the app; never a
//! message's text or subject, an absence note, or a child's full name. A digest lists what came
//! per child by the child's first name, only to the child's own guardians.

use crate::domain::notify::{Channel, EventKind};
use crate::i18n::{Locale, translate, translate_with};

/// One event in a notice.
#[derive(Debug, Clone)]
pub struct Item {
    pub kind: EventKind,
    pub unit: Option<String>,
    pub path: String,
    /// The child's first given name, when the recipient is the child's guardian.
    pub child: Option<String>,
}

/// A notice ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
    /// Absolute link into the app.
    pub url: String,
}

fn line(locale: Locale, item: &Item) -> String {
    let unit =
        item.unit.clone().unwrap_or_else(|| translate(locale, "notify.unit.none").to_owned());
    translate_with(locale, item.kind.title_key(), &[("unit", &unit)])
}

/// The notice for `items` (one or more events of one person on one channel), in `locale`.
pub fn compose(locale: Locale, items: &[Item], public_url: &str, channel: Channel) -> Notice {
    let Some(first) = items.first() else {
        return Notice { title: String::new(), body: String::new(), url: public_url.to_owned() };
    };
    let same_place = items.iter().all(|i| i.path == first.path);
    let path = if same_place { first.path.as_str() } else { "/hjem" };
    let url = format!("{public_url}{path}");
    // The same kind of event from the same place is one line, with how many there were.
    let mut counted: Vec<(String, usize)> = Vec::new();
    for item in items {
        let text = match &item.child {
            Some(child) => format!("{child}: {}", line(locale, item)),
            None => line(locale, item),
        };
        match counted.iter_mut().find(|(t, _)| *t == text) {
            Some((_, n)) => *n += 1,
            None => counted.push((text, 1)),
        }
    }
    let lines: Vec<String> = counted
        .into_iter()
        .map(|(text, n)| if n == 1 { text } else { format!("{text} ({n})") })
        .collect();
    let title = if items.len() == 1 {
        line(locale, first)
    } else {
        translate_with(locale, "notify.title.several", &[("count", &items.len().to_string())])
    };
    let open = translate(locale, "notify.body.open");
    let body = match channel {
        // An SMS is one short text: what happened and the link.
        Channel::Sms => format!("Ranselpost: {title}. {url}"),
        Channel::Push => lines.join("\n"),
        Channel::Email => format!(
            "{}\n\n{open}\n{url}\n\n{}\n",
            lines.iter().map(|l| format!("• {l}")).collect::<Vec<_>>().join("\n"),
            translate(locale, "notify.body.footer")
        ),
    };
    Notice { title, body, url }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: EventKind, path: &str) -> Item {
        Item { kind, unit: Some("Fjordvik skole".into()), path: path.into(), child: None }
    }

    #[test]
    fn a_notice_names_the_unit_and_the_kind_of_event_and_links_into_the_app() {
        let n = compose(
            Locale::Nb,
            &[item(EventKind::GroupMessage, "/samtale/t1")],
            "https://r.example",
            Channel::Email,
        );
        assert_eq!(n.title, "Ny melding fra Fjordvik skole");
        assert_eq!(n.url, "https://r.example/samtale/t1");
        assert!(n.body.contains("https://r.example/samtale/t1"));
    }

    #[test]
    fn several_events_make_one_notice_that_leads_home() {
        let items = [
            Item { child: Some("Jonas".into()), ..item(EventKind::Message, "/samtale/a") },
            Item { child: Some("Jonas".into()), ..item(EventKind::Message, "/samtale/a") },
            Item { child: Some("Emma".into()), ..item(EventKind::Activity, "/samtale/b") },
        ];
        let n = compose(Locale::En, &items, "https://r.example", Channel::Push);
        assert_eq!(n.url, "https://r.example/hjem");
        assert_eq!(n.body.lines().count(), 2, "the same event twice is one line: {}", n.body);
        assert!(n.body.starts_with("Jonas: ") && n.body.lines().next().unwrap().ends_with("(2)"));
        assert!(n.title.starts_with('3'), "three events: {}", n.title);
        let sms = compose(Locale::Nn, &items[..1], "https://r.example", Channel::Sms);
        assert!(sms.body.starts_with("Ranselpost: ") && sms.body.len() < 160, "{}", sms.body);
    }
}

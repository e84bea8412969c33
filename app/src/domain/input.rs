//! What a text from outside may hold once it is in: no control characters but the line
//! breaks and tabs people type. NUL and its kin are never meant — a browser's text box cannot
//! even produce most of them — and the engines disagree about them (PostgreSQL refuses NUL in
//! text, SQLite stores it), so they are taken out once, where a request is decoded
//! (`backend::input`), and every text field of every form and JSON body is clean on both.

use std::borrow::Cow;

/// A character no stored text keeps: a control character other than tab, line feed and
/// carriage return (browsers send a text area's line breaks as CR LF).
pub fn is_unwanted(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// `text` without its unwanted characters; borrowed when there were none.
pub fn strip_unwanted(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_unwanted) {
        Cow::Owned(text.chars().filter(|c| !is_unwanted(*c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether a checkbox was ticked: browsers send "on" for a box without a value.
pub fn ticked(value: Option<&str>) -> bool {
    matches!(value, Some("on" | "true" | "1" | "yes"))
}

/// Whether `value` can be an id of this app (a UUID or a demo id such as `demo-child-jonas`):
/// what goes from a request into an address or a header is checked with this first.
pub fn is_id(value: &str) -> bool {
    (1..=80).contains(&value.len())
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_letters_digits_and_dashes_and_nothing_that_could_break_an_address() {
        assert!(is_id("demo-group-blabaer") && is_id("2cd2516a-7f3e-4c1b-9d5e-0a1b2c3d4e5f"));
        for bad in ["", "a\r\nb", "ø", "a b", "a?b=c", "../x", &"x".repeat(81)] {
            assert!(!is_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn nul_escape_and_other_control_characters_are_taken_out() {
        assert_eq!(strip_unwanted("Hei\u{0}på\u{1b}[2J deg\u{7f}\u{85}"), "Heipå[2J deg");
    }

    #[test]
    fn line_breaks_tabs_and_ordinary_letters_stay_untouched() {
        let text = "Hei,\r\n\tvi ses – 😀 Æøå\u{a0}";
        assert!(matches!(strip_unwanted(text), Cow::Borrowed(t) if t == text));
    }
}

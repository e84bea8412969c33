use super::*;
use proptest::prelude::*;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
}

#[test]
fn a_form_is_decoded_as_browsers_encode_it() {
    assert_eq!(
        decode_form(b"subject=Hei+p%C3%A5+deg&body=50%25+%2B+1&empty=&flag").unwrap(),
        pairs(&[("subject", "Hei på deg"), ("body", "50% + 1"), ("empty", ""), ("flag", "")])
    );
    // A stray percent sign stays as it is.
    assert_eq!(decode_form(b"body=100%").unwrap(), pairs(&[("body", "100%")]));
}

#[test]
fn invalid_utf8_and_repeated_fields_are_refused() {
    assert_eq!(decode_form(b"body=%FF%FE"), Err(Refusal::Malformed));
    assert_eq!(decode_form(b"body=\xff"), Err(Refusal::Malformed));
    assert_eq!(decode_form(b"body=a&body=b"), Err(Refusal::Malformed));
}

#[test]
fn control_characters_are_taken_out_of_a_form_and_nothing_else_changes() {
    let cleaned = clean_form(b"body=Hei%00+der%1B&note=linje%0D%0Ato").unwrap();
    let cleaned = cleaned.expect("it had a NUL in it");
    assert_eq!(
        decode_form(&cleaned).unwrap(),
        pairs(&[("body", "Hei der"), ("note", "linje\r\nto")])
    );
    assert_eq!(clean_form(b"body=Hei+der").unwrap(), None);
}

#[test]
fn control_characters_are_taken_out_of_json_and_broken_json_is_refused() {
    let cleaned = clean_json(br#"{"name":"Kari\u0000s telefon","list":["a\u0007"]}"#)
        .unwrap()
        .expect("it had a NUL in it");
    let value: serde_json::Value = serde_json::from_slice(&cleaned).unwrap();
    assert_eq!(value, serde_json::json!({"name": "Karis telefon", "list": ["a"]}));
    assert_eq!(clean_json(br#"{"name":"Kari"}"#).unwrap(), None);
    assert_eq!(clean_json(br#"{"name":"#), Err(Refusal::Malformed));
    assert_eq!(clean_json(br#"{"name":"\ud800"}"#), Err(Refusal::Malformed));
}

#[test]
fn an_address_with_a_control_character_or_broken_utf8_is_refused() {
    let uri = |s: &str| s.parse::<axum::http::Uri>().unwrap();
    assert!(clean_uri(&uri("/samtale/abc?utkast=1%20b")));
    assert!(!clean_uri(&uri("/samtale/%00")));
    assert!(!clean_uri(&uri("/barn/x/ny-melding?utkast=%00")));
    assert!(!clean_uri(&uri("/samtale/%FF")));
}

#[test]
fn the_refusal_is_an_app_error_or_a_page_in_the_persons_language() {
    let json = answer(Refusal::TooLarge, Locale::En, false);
    assert_eq!(json.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json.headers()[header::CONTENT_TYPE], HeaderValue::from_static("application/json"));
    let page = answer(Refusal::Malformed, Locale::Nn, true);
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(page.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
}

#[test]
fn the_body_limit_fits_the_longest_message_in_the_widest_characters() {
    use crate::domain::guard::{MAX_MESSAGE_CHARS, MAX_SUBJECT_CHARS};
    let body = "😀".repeat(MAX_MESSAGE_CHARS);
    let subject = "😀".repeat(MAX_SUBJECT_CHARS);
    let form = encode_form(&pairs(&[
        ("thread_id", "0123456789abcdef0123456789abcdef"),
        ("subject", &subject),
        ("body", &body),
        ("confirmed", "on"),
    ]));
    assert!(form.len() < MAX_BODY_BYTES, "{}", form.len());
}

proptest! {
    #[test]
    fn decoding_any_bytes_never_panics(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode_form(&body);
        let _ = clean_form(&body);
        let _ = clean_json(&body);
    }

    #[test]
    fn an_encoded_form_decodes_to_what_was_encoded(
        fields in proptest::collection::btree_map("[a-z_]{1,8}", any::<String>(), 0..6)
    ) {
        let list: Vec<(String, String)> = fields.into_iter().collect();
        prop_assert_eq!(decode_form(encode_form(&list).as_bytes()).unwrap(), list);
    }

    #[test]
    fn a_cleaned_form_holds_no_control_characters(
        fields in proptest::collection::btree_map("[a-z_]{1,8}", any::<String>(), 0..6)
    ) {
        let list: Vec<(String, String)> = fields.into_iter().collect();
        let body = encode_form(&list);
        let cleaned = clean_form(body.as_bytes()).unwrap().unwrap_or_else(|| body.into_bytes());
        for (name, value) in decode_form(&cleaned).unwrap() {
            prop_assert!(!name.chars().chain(value.chars()).any(is_unwanted));
        }
    }
}

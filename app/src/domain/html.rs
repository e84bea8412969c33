//! Escaping text for HTML, for the few places that write HTML by hand rather than through
//! Leptos' views (which escape on their own).

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            escape("\"><script>x</script>&'"),
            "&quot;&gt;&lt;script&gt;x&lt;/script&gt;&amp;&#39;"
        );
        assert_eq!(escape("Foreldremøte 3.B"), "Foreldremøte 3.B");
    }
}

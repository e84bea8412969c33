//! `ranselpost check-text`: the sensitive-text guard on the command line. Reads text on stdin,
//! prints the findings as a JSON array (character offsets), the same the app shows as people
//! type.

use app::domain::guard;
use app::i18n::Locale;
use serde::Serialize;

#[derive(Debug, Clone, clap::Args)]
pub struct CheckTextArgs {
    /// Language of the explanations: nb, nn or en. (Every language's words are looked for.)
    #[arg(long, default_value = "nb", value_parser = parse_lang)]
    pub lang: Locale,
    /// Names of the other children in the child's groups, comma-separated: "Lise Hansen,Noah".
    #[arg(long, default_value = "")]
    pub other_names: String,
}

fn parse_lang(text: &str) -> Result<Locale, String> {
    Locale::parse(text).ok_or_else(|| format!("unknown language {text:?}: use nb, nn or en"))
}

#[derive(Serialize)]
struct Output {
    category: &'static str,
    start: usize,
    end: usize,
    message: &'static str,
}

/// The JSON array of findings in `text`.
pub fn check(args: &CheckTextArgs, text: &str) -> String {
    let names: Vec<String> = args
        .other_names
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect();
    let findings: Vec<Output> = guard::check(text, &names)
        .into_iter()
        .map(|f| Output {
            category: f.category.code(),
            start: f.start,
            end: f.end,
            message: app::i18n::translate(args.lang, f.category.message_key()),
        })
        .collect();
    serde_json::to_string_pretty(&findings).unwrap_or_else(|_| "[]".to_owned())
}

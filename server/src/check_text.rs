//! `ranselpost check-text`: the sensitive-text guard on the command line. Reads text on stdin,
//! prints the findings as a JSON array (character offsets), the same the app shows as people
//! type.

use app::domain::guard;
use app::i18n::Locale;
use serde::Serialize;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, clap::Args)]
pub struct CheckTextArgs {
    /// Language of the explanations: nb, nn or en. (Every language's words are looked for.)
    #[arg(long, default_value = "nb", value_parser = parse_lang)]
    pub lang: Locale,
    /// Names of the other children in the child's groups, comma-separated: "Lise Hansen,Noah".
    #[arg(long, default_value = "")]
    pub other_names: String,
    /// Also check the text this many times and print the time of one check (p50, p99) to
    /// stderr: the guard's speed in the release build. The JSON on stdout is the same.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=100_000))]
    pub repeat: u32,
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

/// The time of one check of `text`, `runs` times: (p50, p99).
pub fn timing(args: &CheckTextArgs, text: &str, runs: u32) -> (Duration, Duration) {
    let names = names(args);
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(guard::check(text, &names));
            started.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    (at(0.5), at(0.99))
}

fn names(args: &CheckTextArgs) -> Vec<String> {
    args.other_names
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The JSON array of findings in `text`.
pub fn check(args: &CheckTextArgs, text: &str) -> String {
    let names = names(args);
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

//! For `scripts/train-guard.py`: the learned component's features of every text of the
//! corpus's development part, as the guard computes them. One line per text:
//! `language <TAB> labels <TAB> feature <TAB> feature …`. The test part is never written out.

use guard_wasm::domain::guard::{self, corpus};

fn main() {
    for sample in corpus::samples().into_iter().filter(|s| s.split == corpus::Split::Dev) {
        let labels: Vec<&str> = sample.expected.iter().map(|c| c.code()).collect();
        let labels = if labels.is_empty() { "-".to_owned() } else { labels.join(",") };
        let features = guard::model_features(sample.text).join("\t");
        println!("{}\t{labels}\t{features}", sample.lang);
    }
}

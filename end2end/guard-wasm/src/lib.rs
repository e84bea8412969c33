//! The guard that runs as people type, on its own: the same source files as the app's
//! `domain::guard` (and the identity-number checks it uses), compiled here without the rest of
//! the app so that a browser can time one check and the build can weigh it.

#![allow(dead_code)]

pub mod domain;

use wasm_bindgen::prelude::wasm_bindgen;

/// How many findings the guard has in `text`: what a keystroke in a message field costs.
#[wasm_bindgen]
pub fn findings(text: &str) -> usize {
    domain::guard::check(text, &[]).len()
}

/// The categories found in `text`, comma-separated, to show that the browser's guard finds
/// what the server's does.
#[wasm_bindgen]
pub fn categories(text: &str) -> String {
    let found = domain::guard::categories(&domain::guard::check(text, &[]));
    found.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")
}

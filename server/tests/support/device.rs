//! A device key as a browser's WebCrypto makes it for quick unlock, and its signatures.

// Not every test binary signs.
#[allow(unused_imports)]
pub use app::backend::testing::device::{device_key, sign};

/// Form pairs as the browser helpers take them.
pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

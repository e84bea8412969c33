//! The guard's lexicon (`public/guard/lexicon.txt`) and learned weights
//! (`public/guard/model.tsv`). The server, the tests and `ranselpost check-text` have them built
//! in. The browser fetches them as static files when a guarded field first wakes, instead of
//! carrying them in the app's WASM: data there would be in the main module every page loads,
//! and only the message forms need it. Until they arrive the browser guard finds identity
//! numbers only (those need no lexicon), and the server checks everything again on sending.

#[cfg(not(feature = "hydrate"))]
mod built_in {
    pub fn lexicon() -> &'static str {
        include_str!("../../../../public/guard/lexicon.txt")
    }

    pub fn model() -> &'static str {
        include_str!("../../../../public/guard/model.tsv")
    }

    pub fn ready() -> bool {
        true
    }
}
#[cfg(not(feature = "hydrate"))]
pub use built_in::*;

#[cfg(feature = "hydrate")]
mod fetched {
    use std::sync::OnceLock;

    static LOADED: OnceLock<(String, String)> = OnceLock::new();

    pub fn lexicon() -> &'static str {
        LOADED.get().map(|(l, _)| l.as_str()).unwrap_or_default()
    }

    pub fn model() -> &'static str {
        LOADED.get().map(|(_, m)| m.as_str()).unwrap_or_default()
    }

    /// Whether the lexicon and weights are here: the guard's indexes must not be built before.
    pub fn ready() -> bool {
        LOADED.get().is_some()
    }

    /// Gives the guard its lexicon and weights (once; a second call changes nothing).
    pub fn load(lexicon: String, model: String) {
        let _ = LOADED.set((lexicon, model));
    }
}
#[cfg(feature = "hydrate")]
pub use fetched::*;

//! The pieces every part of the committee view is made of: a label with its
//! value, a status in word, symbol and colour, and free text in paragraphs.

use serde::Serialize;

use super::{Lang, labels};
use crate::domain::Health;

/// A label and its value.
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    /// The label.
    pub label: &'static str,
    /// The value.
    pub value: String,
}

/// A status as word, symbol and colour (the colour never alone).
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// "grøn".
    pub word: &'static str,
    /// "✔".
    pub symbol: &'static str,
    /// "#1e7b34".
    pub colour: &'static str,
    /// "green", for CSS classes.
    pub key: &'static str,
}

impl Status {
    /// `health` in `lang`.
    pub fn new(lang: Lang, health: Health) -> Self {
        Self {
            word: labels::health(lang, health),
            symbol: labels::health_symbol(health),
            colour: labels::health_colour(health),
            key: health.as_str(),
        }
    }
}

/// Splits free text into paragraphs at blank lines, trimming each.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

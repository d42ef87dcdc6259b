//! Words with their character offsets, shared by the clause splitter and the features.

use std::collections::HashSet;

/// A set of words, for membership tests.
pub(crate) struct WordSet(HashSet<&'static str>);

impl WordSet {
    /// The whitespace-separated words of `words`.
    pub(crate) fn new(words: &'static str) -> WordSet {
        WordSet(words.split_whitespace().collect())
    }

    pub(crate) fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

/// One word: a whitespace-separated piece (also split at dashes and slashes) with the
/// punctuation around it stripped, except a leading currency sign and a trailing `%`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    /// The word as written: `smithereens` in `“blown to smithereens,”`.
    pub text: &'a str,
    /// Character offsets of `text`.
    pub start: usize,
    pub end: usize,
    /// Character offsets of the whole piece, punctuation included.
    pub raw_start: usize,
    pub raw_end: usize,
}

pub(crate) fn is_currency(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥' | '₴' | '₽' | '₹' | '₩' | '₪')
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '—' | '–' | '―' | '/')
}

fn keeps_leading(c: char) -> bool {
    c.is_alphanumeric() || is_currency(c)
}

fn keeps_trailing(c: char) -> bool {
    c.is_alphanumeric() || c == '%'
}

/// The words of `text`, in order.
pub(crate) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    // (byte offset, char offset) of the current piece's start.
    let mut piece: Option<(usize, usize)> = None;
    let mut chars = 0;
    for (byte, c) in text.char_indices() {
        if is_separator(c) {
            if let Some((b, ch)) = piece.take() {
                push_piece(text, b, byte, ch, chars, &mut tokens);
            }
        } else if piece.is_none() {
            piece = Some((byte, chars));
        }
        chars += 1;
    }
    if let Some((b, ch)) = piece {
        push_piece(text, b, text.len(), ch, chars, &mut tokens);
    }
    tokens
}

fn push_piece<'a>(
    text: &'a str,
    byte_start: usize,
    byte_end: usize,
    raw_start: usize,
    raw_end: usize,
    tokens: &mut Vec<Token<'a>>,
) {
    let raw = &text[byte_start..byte_end];
    let mut lead_bytes = 0;
    let mut lead_chars = 0;
    for c in raw.chars() {
        if keeps_leading(c) {
            break;
        }
        lead_bytes += c.len_utf8();
        lead_chars += 1;
    }
    let rest = &raw[lead_bytes..];
    let mut trail_bytes = 0;
    let mut trail_chars = 0;
    for c in rest.chars().rev() {
        if keeps_trailing(c) {
            break;
        }
        trail_bytes += c.len_utf8();
        trail_chars += 1;
    }
    let word = &rest[..rest.len() - trail_bytes];
    if word.chars().any(char::is_alphanumeric) {
        tokens.push(Token {
            text: word,
            start: raw_start + lead_chars,
            end: raw_end - trail_chars,
            raw_start,
            raw_end,
        });
    }
}

/// The form n-grams are built from: lower case, typographic apostrophes made plain,
/// every run of digits one `0` (so "4%" and "61.5%" share "0%" and "0.0%").
pub(crate) fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut in_digits = false;
    for c in word.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('0');
            }
            in_digits = true;
            continue;
        }
        in_digits = false;
        match c {
            '’' | 'ʼ' | '‘' => out.push('\''),
            c if c.is_uppercase() => out.extend(c.to_lowercase()),
            c => out.push(c),
        }
    }
    out
}

/// Lower case with plain apostrophes, digits kept: what the word lists match against.
pub(crate) fn lower(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if matches!(c, '’' | 'ʼ') { '\'' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_punctuation_but_keeps_offsets_in_chars() {
        let text = "Він сказав “blown to smithereens,” — 4% і $4.2 billion/year";
        let tokens = tokenize(text);
        let words: Vec<&str> = tokens.iter().map(|t| t.text).collect();
        assert_eq!(
            words,
            [
                "Він",
                "сказав",
                "blown",
                "to",
                "smithereens",
                "4%",
                "і",
                "$4.2",
                "billion",
                "year"
            ]
        );
        let chars: Vec<char> = text.chars().collect();
        for t in &tokens {
            let from_chars: String = chars[t.start..t.end].iter().collect();
            assert_eq!(from_chars, t.text);
        }
        let smithereens = tokens[4];
        let raw: String = chars[smithereens.raw_start..smithereens.raw_end]
            .iter()
            .collect();
        assert_eq!(raw, "smithereens,”");
    }

    #[test]
    fn normalizes_digits_and_case() {
        assert_eq!(normalize("61.5%"), "0.0%");
        assert_eq!(normalize("Russia’s"), "russia's");
        assert_eq!(normalize("100,000"), "0,0");
        assert_eq!(lower("2020"), "2020");
    }
}

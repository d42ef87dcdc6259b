//! Text offsets counted in Unicode scalar values (Rust `char`s), never bytes: the unit
//! the API, the database and the frontend agree on.

/// Length in characters.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// The byte index of character `char_index`, or `None` past the end.
pub fn byte_index(text: &str, char_index: usize) -> Option<usize> {
    if char_index == 0 {
        return Some(0);
    }
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .nth(char_index)
}

/// The characters `[start, end)`, or `None` when the span does not fit the text.
pub fn slice_chars(text: &str, start: usize, end: usize) -> Option<&str> {
    if start > end {
        return None;
    }
    let from = byte_index(text, start)?;
    let to = from + byte_index(&text[from..], end - start)?;
    Some(&text[from..to])
}

/// Character spans of every occurrence of `needle` (occurrences may overlap).
pub fn find_all(text: &str, needle: &str) -> Vec<(usize, usize)> {
    if needle.is_empty() {
        return Vec::new();
    }
    let needle_chars = char_len(needle);
    let mut spans = Vec::new();
    let mut chars_before = 0;
    let mut last_byte = 0;
    let mut from = 0;
    while let Some(pos) = text[from..].find(needle) {
        let at = from + pos;
        chars_before += char_len(&text[last_byte..at]);
        last_byte = at;
        spans.push((chars_before, chars_before + needle_chars));
        // Step one character forward so overlapping occurrences are found too.
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        let text = "Зеленський 👍🏽 має “4%” рейтингу";
        let spans = find_all(text, "“4%”");
        assert_eq!(spans, vec![(18, 22)]);
        assert_eq!(slice_chars(text, 18, 22), Some("“4%”"));
        assert_eq!(slice_chars(text, 0, 10), Some("Зеленський"));
        assert_eq!(slice_chars(text, 11, 13), Some("👍🏽"));
        assert_eq!(slice_chars(text, 0, char_len(text)), Some(text));
        assert_eq!(slice_chars(text, 0, char_len(text) + 1), None);
        assert_eq!(slice_chars(text, 3, 2), None);
    }

    #[test]
    fn finds_every_occurrence() {
        assert_eq!(find_all("aaa", "aa"), vec![(0, 2), (1, 3)]);
        assert_eq!(find_all("war, war", "war"), vec![(0, 3), (5, 8)]);
        assert!(find_all("abc", "").is_empty());
    }
}

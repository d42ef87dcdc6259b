//! The statement sketch behind "similar earlier claims".
//!
//! Trigram similarity ranks well but its GIN index must read the posting list of every
//! trigram in the query, and the trigrams of common words ("in", "rate", "per cent")
//! match a large part of a newsroom's claims. The sketch is a candidate filter in front
//! of it: the words of a statement (lowercased, three characters or more, stop words
//! out) are hashed with CRC-32, the four smallest hashes are kept (a bottom-k MinHash
//! sample, so two statements keep the same words when they share most of them), and
//! each three of those four become one value. Two claims with a value in common share
//! three words; the GIN index on the array returns those few, and trigram similarity
//! ranks them.
//!
//! `bench/generate.py` computes the same values (`statement_sketch` there); a test runs
//! both on the same text.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::claims;

/// The migration that adds the sketch column (existing claims are sketched after it).
pub const MIGRATION: &str = "20261128001000";

/// How many of a statement's words the sketch keeps.
const WORDS: usize = 4;
/// Bits kept of each word's hash, so that three fit in a positive `bigint`.
const BITS: u32 = 21;

/// Words too common to say what a claim is about (English and Ukrainian).
const STOP_WORDS: &[&str] = &[
    "about",
    "after",
    "all",
    "also",
    "and",
    "any",
    "are",
    "been",
    "before",
    "but",
    "can",
    "could",
    "did",
    "does",
    "for",
    "from",
    "had",
    "has",
    "have",
    "her",
    "his",
    "its",
    "more",
    "not",
    "now",
    "our",
    "over",
    "said",
    "says",
    "she",
    "since",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "was",
    "were",
    "what",
    "when",
    "which",
    "who",
    "will",
    "with",
    "would",
    "you",
    "але",
    "від",
    "для",
    "його",
    "коли",
    "між",
    "над",
    "під",
    "після",
    "при",
    "про",
    "так",
    "також",
    "там",
    "тим",
    "цей",
    "через",
    "що",
    "щодо",
    "який",
    "яка",
    "які",
];

/// The smallest hashes of a text's words (at most [`WORDS`], ascending).
fn word_hashes(text: &str) -> Vec<i64> {
    let mut hashes: Vec<u32> = text
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3 && !STOP_WORDS.contains(&w.as_str()))
        .map(|w| crc32fast::hash(w.as_bytes()) >> (32 - BITS))
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    hashes.truncate(WORDS);
    hashes.into_iter().map(i64::from).collect()
}

fn triples(h: &[i64]) -> impl Iterator<Item = i64> + '_ {
    (0..h.len()).flat_map(move |a| {
        (a + 1..h.len()).flat_map(move |b| {
            (b + 1..h.len()).map(move |c| (h[a] << (2 * BITS)) | (h[b] << BITS) | h[c])
        })
    })
}

fn pairs(h: &[i64]) -> impl Iterator<Item = i64> + '_ {
    (0..h.len()).flat_map(move |a| (a + 1..h.len()).map(move |b| (h[a] << BITS) | h[b]))
}

/// The sketch stored with a claim: one value per three of its four kept words; a
/// statement with two words keeps their pair, with one word that word.
pub fn statement_sketch(text: &str) -> Vec<i64> {
    let h = word_hashes(text);
    match h.len() {
        0 | 1 => h,
        2 => pairs(&h).collect(),
        _ => triples(&h).collect(),
    }
}

/// The values to look up for a search text: its triples, and its pairs and words too,
/// so that claims with shorter statements (stored as a pair or a word) are found when
/// the text contains their words. Empty when the text has fewer than three words to
/// keep: such a search goes to the trigram index instead.
pub fn search_sketch(text: &str) -> Vec<i64> {
    let h = word_hashes(text);
    if h.len() < 3 {
        return Vec::new();
    }
    triples(&h)
        .chain(pairs(&h))
        .chain(h.iter().copied())
        .collect()
}

/// Fills in the sketches left empty (rows written before the column existed), in
/// batches; returns how many claims it updated.
pub async fn backfill(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    let empty: Vec<i64> = Vec::new();
    let mut updated = 0;
    loop {
        let batch: Vec<(Uuid, String)> = claims::table
            .filter(claims::statement_sketch.eq(&empty))
            .select((claims::id, claims::statement))
            .limit(500)
            .load(conn)
            .await?;
        let mut progressed = false;
        for (id, statement) in &batch {
            let sketch = statement_sketch(statement);
            if sketch.is_empty() {
                continue; // nothing to index: such claims are found by trigrams alone
            }
            diesel::update(claims::table.find(id))
                .set(claims::statement_sketch.eq(sketch))
                .execute(conn)
                .await?;
            updated += 1;
            progressed = true;
        }
        if batch.len() < 500 || !progressed {
            return Ok(updated);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_that_share_most_words_share_a_value() {
        let a = statement_sketch("Unemployment in Poland rose 4.2% in 2019");
        let b = statement_sketch("Unemployment in Poland reportedly rose 4.2% in 2019");
        assert!(!a.is_empty());
        assert!(a.iter().any(|v| b.contains(v)), "{a:?} {b:?}");
    }

    #[test]
    fn unrelated_statements_share_nothing() {
        let a = statement_sketch("Unemployment in Poland rose 4.2% in 2019");
        let b = statement_sketch("Zelensky has a 4% approval rating");
        assert!(!a.iter().any(|v| b.contains(v)));
    }

    #[test]
    fn case_punctuation_and_stop_words_do_not_matter() {
        assert_eq!(
            statement_sketch("Ukraine STARTED the war!"),
            statement_sketch("ukraine started war")
        );
    }

    #[test]
    fn four_words_give_four_values_and_short_texts_fewer() {
        assert_eq!(statement_sketch("alpha bravo charlie delta echo").len(), 4);
        assert_eq!(statement_sketch("alpha bravo charlie").len(), 1);
        assert_eq!(statement_sketch("alpha bravo").len(), 1);
        assert_eq!(statement_sketch("alpha").len(), 1);
        assert!(statement_sketch("a to of").is_empty());
    }

    #[test]
    fn cyrillic_words_count() {
        let a = statement_sketch("Зеленський має 4% рейтингу довіри");
        let b = statement_sketch("зеленський має рейтингу довіри");
        assert_eq!(a, b);
        assert_eq!(a.len(), 4);
    }

    #[test]
    fn a_search_finds_claims_with_shorter_statements() {
        let short = statement_sketch("4% of voters agree");
        let search = search_sketch("4% of voters agree with him");
        assert_eq!(short.len(), 1);
        assert!(search.contains(&short[0]));
        assert!(
            search_sketch("voters agree").is_empty(),
            "too short: trigrams instead"
        );
    }

    #[test]
    fn values_are_positive() {
        assert!(
            statement_sketch("zzzz yyyy xxxx wwww")
                .iter()
                .all(|v| *v >= 0)
        );
    }
}

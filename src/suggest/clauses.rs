//! Claims inside a sentence: one sentence often reports several ("He claimed that A,
//! said that B, and claimed that C"). A clause starts after an attribution verb with
//! "that" ("claimed that", "told reporters that", "adding that"), after a coordinated
//! "and that", or after a leading "According to X,"; it ends where the next one is
//! introduced, at a dash or semicolon, or at the end of the sentence. A clause also ends
//! before a trailing attribution ("…, Smith said", "…, according to the NYT").

use std::sync::LazyLock;

use super::sentences::{Span, is_closer, is_opener};
use super::tokens::{Token, WordSet, lower, tokenize};

/// A clause of a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    /// Characters of the clause within the sentence.
    pub span: Span,
    /// The words that attribute it: "claimed that", "according to", "said".
    pub cue: String,
}

/// Verbs that introduce reported speech with "that".
static THAT_VERBS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "said says say saying claimed claims claim claiming stated states stating argued argues \
         argue arguing insisted insists insisting alleged alleges alleging asserted asserts \
         asserting suggested suggests suggesting added adds adding told tells telling noted \
         notes noting warned warns warning announced announces reported reports explained \
         explains maintained maintains contended contends declared declares wrote writes \
         acknowledged admitted admits confirmed confirms revealed boasted boasts denied denies \
         stressed emphasized emphasised assured promised repeated заявил заявила заявили сказал \
         сказала заявив заявила сказав",
    )
});

/// Verbs that attribute what precedes them: "…, Smith said."
static TRAILING_VERBS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "said says reported reports told added adds claimed claims stated wrote writes \
         announced noted warned insisted argued alleged asserted explained tweeted posted",
    )
});

/// Words left dangling before the next attribution: "…, and he claimed that".
static CONNECTORS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "and or but also then he she they we i you it has have had who which later again \
         repeatedly falsely further once previously и і та он она він вона",
    )
});

#[derive(Clone, Debug)]
pub(crate) enum CueKind {
    /// The clause starts at `start` and runs to the next cut.
    Forward { start: usize },
    /// The clause ends at `end` and starts at the previous segment start.
    Backward { end: usize },
}

#[derive(Clone, Debug)]
pub(crate) struct Cue {
    pub kind: CueKind,
    /// Where the text before this cue ends.
    pub cut: usize,
    /// Whether words like "and he" before `cut` belong to the cue rather than the text.
    pub strip_connectors: bool,
    pub phrase: String,
}

/// The clauses of a sentence, in order, other than the sentence itself; each has at least
/// three words.
pub fn split_clauses(sentence: &str) -> Vec<Clause> {
    let cs: Vec<char> = sentence.chars().collect();
    let tokens = tokenize(sentence);
    let lowers: Vec<String> = tokens.iter().map(|t| lower(t.text)).collect();
    let cues = find_cues(&cs, &tokens, &lowers);
    build(&cs, &tokens, &cues)
}

/// Whether the characters between two words hold punctuation that separates phrases.
fn gap_breaks(cs: &[char], from: usize, to: usize) -> bool {
    cs[from..to].iter().any(|&c| c == ',' || breaks_clause(c))
}

fn breaks_clause(c: char) -> bool {
    matches!(c, ';' | ':' | '—' | '–' | '―' | '(' | ')')
}

/// "that", and its Russian and Ukrainian counterparts (which follow a comma).
fn is_that(word: &str) -> bool {
    matches!(word, "that" | "что" | "що")
}

pub(crate) fn find_cues(cs: &[char], tokens: &[Token<'_>], lowers: &[String]) -> Vec<Cue> {
    let mut cues = Vec::new();
    let mut last_phrase: Option<String> = None;
    for t in 0..tokens.len() {
        let word = lowers[t].as_str();
        let next = lowers.get(t + 1).map(String::as_str);
        if is_that(word) && next.is_some() {
            let start = tokens[t + 1].raw_start;
            if let Some(v) = verb_before(cs, tokens, lowers, t) {
                let phrase = format!("{} {word}", lowers[v]);
                cues.push(Cue {
                    kind: CueKind::Forward { start },
                    cut: tokens[v].raw_start,
                    strip_connectors: true,
                    phrase: phrase.clone(),
                });
                last_phrase = Some(phrase);
            } else if t >= 1
                && matches!(lowers[t - 1].as_str(), "and" | "or" | "but")
                && !gap_breaks(cs, tokens[t - 1].end, tokens[t].start)
                && let Some(phrase) = &last_phrase
            {
                cues.push(Cue {
                    kind: CueKind::Forward { start },
                    cut: tokens[t - 1].raw_start,
                    strip_connectors: true,
                    phrase: phrase.clone(),
                });
            }
        } else if word == "according" && next == Some("to") {
            if t == 0 {
                let after = tokens[t + 1].end;
                if let Some(comma) = (after..cs.len()).find(|&i| cs[i] == ',') {
                    cues.push(Cue {
                        kind: CueKind::Forward { start: comma + 1 },
                        cut: 0,
                        strip_connectors: false,
                        phrase: "according to".into(),
                    });
                }
            } else {
                let at = tokens[t].raw_start;
                cues.push(Cue {
                    kind: CueKind::Backward { end: at },
                    cut: at,
                    strip_connectors: false,
                    phrase: "according to".into(),
                });
            }
        } else if TRAILING_VERBS.contains(word)
            && next != Some("that")
            && closes_phrase(cs, tokens, t)
            && let Some(comma) = subject_comma(cs, tokens, lowers, t)
        {
            cues.push(Cue {
                kind: CueKind::Backward { end: comma },
                cut: comma,
                strip_connectors: false,
                phrase: word.to_string(),
            });
        }
    }
    cues
}

/// An attribution verb up to six words before "that" at `t`, with no punctuation between
/// ("said during a briefing on Feb. 13 that").
fn verb_before(cs: &[char], tokens: &[Token<'_>], lowers: &[String], t: usize) -> Option<usize> {
    for v in (t.saturating_sub(7)..t).rev() {
        let (from, to) = (tokens[v].end, tokens[v + 1].start);
        let breaks = if v + 1 == t && lowers[t] != "that" {
            cs[from..to].iter().any(|&c| breaks_clause(c))
        } else {
            gap_breaks(cs, from, to)
        };
        if breaks || is_that(&lowers[v]) {
            return None;
        }
        if THAT_VERBS.contains(lowers[v].as_str()) {
            return Some(v);
        }
    }
    None
}

/// Whether the word at `t` is the last of the sentence or followed by a comma or dash.
fn closes_phrase(cs: &[char], tokens: &[Token<'_>], t: usize) -> bool {
    let to = tokens.get(t + 1).map_or(cs.len(), |n| n.start);
    tokens.get(t + 1).is_none() || gap_breaks(cs, tokens[t].end, to)
}

/// The comma before a short subject ("…, the New York Times reported"): one to five
/// words, not a relative clause.
fn subject_comma(cs: &[char], tokens: &[Token<'_>], lowers: &[String], t: usize) -> Option<usize> {
    for s in (0..t).rev() {
        let (from, to) = (tokens[s].end, tokens[s + 1].start);
        if gap_breaks(cs, from, to) {
            let words = t - s - 1;
            if !(1..=5).contains(&words)
                || matches!(
                    lowers[s + 1].as_str(),
                    "which" | "who" | "that" | "as" | "what" | "where" | "when" | "and" | "but"
                )
            {
                return None;
            }
            return (from..to).find(|&i| cs[i] == ',');
        }
        if t - s > 6 {
            return None;
        }
    }
    None
}

fn build(cs: &[char], tokens: &[Token<'_>], cues: &[Cue]) -> Vec<Clause> {
    let n = cs.len();
    let mut cuts: Vec<(usize, bool)> = cues.iter().map(|c| (c.cut, c.strip_connectors)).collect();
    let mut segment_starts = vec![0];
    for (i, &c) in cs.iter().enumerate() {
        let spaced = |i: usize| {
            i > 0 && cs[i - 1].is_whitespace() && cs.get(i + 1).is_some_and(|c| c.is_whitespace())
        };
        let dash = matches!(c, '—' | '―' | ';')
            || (c == '–' && spaced(i))
            || (c == '-' && cs.get(i + 1) == Some(&'-'));
        if dash {
            cuts.push((i, false));
            segment_starts.push(i + 1);
        }
    }
    for cue in cues {
        if let CueKind::Forward { start } = cue.kind {
            segment_starts.push(start);
        }
    }
    let whole = trim(cs, 0, n, false);
    let mut clauses: Vec<Clause> = Vec::new();
    for cue in cues {
        let span = match cue.kind {
            CueKind::Forward { start } => {
                let (end, strip) = cuts
                    .iter()
                    .filter(|&&(at, _)| at > start)
                    .min_by_key(|&&(at, _)| at)
                    .copied()
                    .unwrap_or((n, false));
                trim(cs, start, end, strip)
            }
            CueKind::Backward { end } => {
                let start = segment_starts
                    .iter()
                    .copied()
                    .filter(|&s| s < end)
                    .max()
                    .unwrap_or(0);
                trim(cs, start, end, false)
            }
        };
        let Some(span) = span else { continue };
        let words = tokens
            .iter()
            .filter(|t| t.start >= span.start && t.end <= span.end)
            .count();
        if words < 3 || Some(span) == whole || clauses.iter().any(|c| c.span == span) {
            continue;
        }
        clauses.push(Clause {
            span,
            cue: cue.phrase.clone(),
        });
    }
    clauses.sort_by_key(|c| (c.span.start, c.span.end));
    clauses
}

/// `start..end` without surrounding spaces, commas and final punctuation, keeping a
/// closing quote whose opening quote is inside; with `strip_connectors`, also without
/// trailing words like "and he".
fn trim(cs: &[char], mut start: usize, mut end: usize, strip_connectors: bool) -> Option<Span> {
    while start < end && (cs[start].is_whitespace() || matches!(cs[start], ',' | ';' | ':')) {
        start += 1;
    }
    loop {
        while end > start && cs[end - 1].is_whitespace() {
            end -= 1;
        }
        if end == start {
            return None;
        }
        let c = cs[end - 1];
        let word_start = (start..end)
            .rev()
            .find(|&i| cs[i].is_whitespace())
            .map_or(start, |i| i + 1);
        if c == '.' && cs[word_start..end - 1].contains(&'.') {
            break; // "U.S."
        }
        if matches!(
            c,
            ',' | ';' | ':' | '.' | '!' | '?' | '…' | '-' | '—' | '–' | '―'
        ) {
            end -= 1;
            continue;
        }
        if is_closer(c) {
            if opened_inside(&cs[start..end - 1], c) {
                break;
            }
            end -= 1;
            continue;
        }
        if strip_connectors {
            let word: String = cs[word_start..end].iter().collect();
            if CONNECTORS.contains(lower(&word).as_str()) {
                end = word_start;
                continue;
            }
        }
        break;
    }
    Some(Span { start, end })
}

/// Whether `text` opens a quote or bracket that `closer` closes.
fn opened_inside(text: &[char], closer: char) -> bool {
    let opener = match closer {
        '”' => '“',
        '’' => '‘',
        '»' => '«',
        '›' => '‹',
        ')' => '(',
        ']' => '[',
        '}' => '{',
        '」' => '「',
        '』' => '『',
        '）' => '（',
        '"' => return text.iter().filter(|&&c| c == '"').count() % 2 == 1,
        _ => {
            // An ASCII apostrophe: a quote only when it follows a space or opens the text.
            return text
                .iter()
                .enumerate()
                .any(|(i, &c)| c == '\'' && (i == 0 || !text[i - 1].is_alphanumeric()));
        }
    };
    debug_assert!(is_opener(opener) || opener == '（');
    let opened = text.iter().filter(|&&c| c == opener).count();
    // A ’ between letters is an apostrophe ("Trump’s"), not a closing quote.
    let closed = text
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            c == closer && !(closer == '’' && text.get(i + 1).is_some_and(|n| n.is_alphabetic()))
        })
        .count();
    opened > closed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::slice_chars;

    fn clauses(sentence: &str) -> Vec<(String, String)> {
        split_clauses(sentence)
            .into_iter()
            .map(|c| {
                let text = slice_chars(sentence, c.span.start, c.span.end).unwrap();
                (text.to_string(), c.cue)
            })
            .collect()
    }

    const SEED: &str = "He claimed that Ukraine was the one who started Russia's war, said that \
                        Ukraine had been “blown to smithereens,” and claimed that Ukrainian \
                        President Volodymyr Zelensky has a 4% approval rating — none of which \
                        has a factual basis.";

    #[test]
    fn the_seed_sentence_holds_three_claims() {
        assert_eq!(
            clauses(SEED),
            [
                (
                    "Ukraine was the one who started Russia's war".into(),
                    "claimed that".into()
                ),
                (
                    "Ukraine had been “blown to smithereens,”".into(),
                    "said that".to_string()
                ),
                (
                    "Ukrainian President Volodymyr Zelensky has a 4% approval rating".into(),
                    "claimed that".into()
                ),
            ]
        );
    }

    #[test]
    fn coordinated_that_clauses_and_words_between_verb_and_that() {
        assert_eq!(
            clauses(
                "Smith said during a briefing on Feb. 13 that sanctions would be eased and \
                 that three prisoners were freed."
            ),
            [
                ("sanctions would be eased".into(), "said that".into()),
                ("three prisoners were freed".into(), "said that".into()),
            ]
        );
    }

    #[test]
    fn trailing_attributions_and_according_to() {
        assert_eq!(
            clauses(
                "The Belarusian leader assured Smith he was ready to decrease repression, \
                 Smith said, adding that the U.S. wants Belarus to be less reliant on Russia."
            ),
            [
                (
                    "The Belarusian leader assured Smith he was ready to decrease repression"
                        .into(),
                    "said".into()
                ),
                (
                    "the U.S. wants Belarus to be less reliant on Russia".into(),
                    "adding that".into()
                ),
            ]
        );
        assert_eq!(
            clauses("According to the NYT, the U.S. is willing to ease sanctions on potash."),
            [(
                "the U.S. is willing to ease sanctions on potash".into(),
                "according to".into()
            )]
        );
        assert_eq!(
            clauses("Inflation fell to 2.1% in May, according to the statistics office."),
            [(
                "Inflation fell to 2.1% in May".into(),
                "according to".into()
            )]
        );
    }

    #[test]
    fn a_sentence_without_attribution_has_no_clauses() {
        assert!(clauses("Belarus is a major producer of potash, a key ingredient.").is_empty());
        assert!(clauses("He said that.").is_empty());
        // The whole sentence is the clause: nothing to add.
        assert!(clauses("That the war started in 2014 is well documented.").is_empty());
    }

    #[test]
    fn russian_and_ukrainian_reported_speech() {
        assert_eq!(
            clauses("Зеленський заявив, що Росія планує розгорнути 15 дивізій у Білорусі."),
            [(
                "Росія планує розгорнути 15 дивізій у Білорусі".into(),
                "заявив що".into()
            )]
        );
    }

    #[test]
    fn a_second_that_after_a_short_clause_is_coordinated() {
        assert_eq!(
            clauses("He said that it rose and that prices fell by half."),
            [("prices fell by half".into(), "said that".into())]
        );
    }

    #[test]
    fn clause_offsets_are_characters() {
        let sentence = "Зеленський 👍🏽 said that Russia plans to deploy 15 divisions.";
        let found = split_clauses(sentence);
        assert_eq!(found.len(), 1);
        assert_eq!(
            slice_chars(sentence, found[0].span.start, found[0].span.end),
            Some("Russia plans to deploy 15 divisions")
        );
        assert_eq!(found[0].span.start, 24);
    }
}

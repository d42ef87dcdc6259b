//! Check-worthy claim suggestions: an article split into sentences and, inside them,
//! attributed clauses ("He claimed that …"), each scored for check-worthiness by a small
//! logistic regression trained on the CLEF-2019 CheckThat! debates, with the reasons in
//! words. Pure: no database, no HTTP.
//!
//! Offsets are characters (Unicode scalar values), as for claim spans, so a suggestion's
//! span can be used as-is to create a claim.

pub mod clauses;
pub mod features;
pub mod model;
pub mod sentences;
mod tokens;
pub mod train;

use serde::Serialize;
use utoipa::ToSchema;

pub use clauses::{Clause, split_clauses};
pub use model::{Model, Scored};
pub use sentences::{Span, split_sentences};
pub use train::{
    DebateAp, TrainReport, save, score_lines, suggest_lines_command, train, train_command,
};

/// Whether a suggestion is a whole sentence or a clause inside one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SuggestionKind {
    Sentence,
    Clause,
}

/// A candidate claim in an article.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Suggestion {
    /// The first character of the candidate (Unicode scalar values, like claim spans).
    pub span_start: usize,
    /// The character after the candidate.
    pub span_end: usize,
    pub text: String,
    /// Check-worthiness, from 0 to 1.
    pub score: f64,
    /// What weighed most, in words: "a percentage ('4%')", "attributed with 'claimed that'".
    pub reasons: Vec<String>,
    /// Whether an existing claim's span overlaps this one.
    pub covered: bool,
    pub kind: SuggestionKind,
    /// The figures the candidate states ("4%", "€250 million"), with spans in the
    /// article (what a claim made from it proposes as its claimed figure).
    pub figures: Vec<crate::domain::figures::Figure>,
}

/// The sentences of `text` and the clauses inside them, scored with the embedded model
/// and ranked by score, highest first. `covered` holds the character spans of existing
/// claims.
pub fn suggest(text: &str, covered: &[(usize, usize)]) -> Vec<Suggestion> {
    suggest_with(Model::load_embedded(), text, covered)
}

/// [`suggest`] with a given model.
pub fn suggest_with(model: &Model, text: &str, covered: &[(usize, usize)]) -> Vec<Suggestion> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut push = |span: Span, text: String, scored: Scored, kind: SuggestionKind| {
        let figures = crate::domain::figures::find(&text)
            .into_iter()
            .map(|f| crate::domain::figures::Figure {
                start: span.start + f.start,
                end: span.start + f.end,
                ..f
            })
            .collect();
        out.push(Suggestion {
            span_start: span.start,
            span_end: span.end,
            figures,
            text,
            score: scored.score,
            reasons: scored.reasons,
            covered: covered.iter().any(|&(s, e)| span.overlaps(s, e)),
            kind,
        });
    };
    for sentence in sentences::split_chars(&chars) {
        let sentence_text: String = chars[sentence.start..sentence.end].iter().collect();
        let (sentence_logit, scored) = model.score_sentence(&sentence_text);
        for clause in split_clauses(&sentence_text) {
            let span = Span {
                start: sentence.start + clause.span.start,
                end: sentence.start + clause.span.end,
            };
            let clause_text: String = chars[span.start..span.end].iter().collect();
            let scored = model.score_clause_in(&clause_text, &clause.cue, sentence_logit);
            push(span, clause_text, scored, SuggestionKind::Clause);
        }
        push(sentence, sentence_text, scored, SuggestionKind::Sentence);
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.span_start.cmp(&b.span_start))
            .then(a.kind.cmp(&b.kind))
            .then(a.span_end.cmp(&b.span_end))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::slice_chars;

    /// The body of the project's seed article: everything after the byline.
    fn seed_body() -> &'static str {
        let article = include_str!("../../demo/seed-article.txt");
        let byline = article
            .match_indices('\n')
            .map(|(i, _)| i + 1)
            .find(|&i| article[i..].starts_with("by "))
            .expect("the seed article has a byline");
        let rest = &article[byline..];
        &rest[rest.find('\n').map_or(rest.len(), |i| i + 1)..]
    }

    #[test]
    fn the_seed_articles_attributed_claims_are_in_the_top_five() {
        let body = seed_body();
        let suggestions = suggest(body, &[]);
        let top: Vec<&str> = suggestions
            .iter()
            .take(5)
            .map(|s| s.text.as_str())
            .collect();
        for claim in [
            "Ukraine was the one who started Russia's war",
            "Ukrainian President Volodymyr Zelensky has a 4% approval rating",
        ] {
            let found = suggestions.iter().position(|s| s.text == claim);
            assert!(
                found.is_some_and(|i| i < 5),
                "{claim:?} at {found:?}; the top five: {top:#?}"
            );
        }
        for s in &suggestions {
            assert_eq!(
                slice_chars(body, s.span_start, s.span_end),
                Some(s.text.as_str())
            );
            assert!((0.0..=1.0).contains(&s.score), "{s:?}");
            assert!(!s.covered);
        }
        assert!(suggestions.windows(2).all(|w| w[0].score >= w[1].score));
        let kinds = |k| suggestions.iter().filter(|s| s.kind == k).count();
        assert!(kinds(SuggestionKind::Sentence) >= 20);
        assert!(kinds(SuggestionKind::Clause) >= 3);
    }

    #[test]
    fn the_four_percent_claim_has_reasons_naming_the_percentage() {
        let body = seed_body();
        let suggestions = suggest(body, &[]);
        let claim = suggestions
            .iter()
            .find(|s| s.text == "Ukrainian President Volodymyr Zelensky has a 4% approval rating")
            .unwrap();
        assert_eq!(claim.kind, SuggestionKind::Clause);
        assert!(!claim.reasons.is_empty());
        assert!(claim.reasons.len() <= model::MAX_REASONS);
        assert!(
            claim.reasons.iter().any(|r| r.contains("percentage")),
            "{:?}",
            claim.reasons
        );
        let scored =
            Model::load_embedded().score("Zelensky has a 4% approval rating, Trump claimed.");
        assert!(
            scored.reasons.iter().any(|r| r.contains("percentage")),
            "{scored:?}"
        );
    }

    #[test]
    fn scoring_is_deterministic_and_within_zero_and_one() {
        let model = Model::load_embedded();
        for text in [
            "",
            "?",
            "Thank you.",
            "Зеленський заявив, що рейтинг 4%.",
            "👍🏽👍🏽👍🏽",
            "The U.S. economy grew 61.5 percent faster than in 2020, the highest ever.",
        ] {
            let a = model.score(text);
            let b = model.score(text);
            assert_eq!(a, b);
            assert!((0.0..=1.0).contains(&a.score), "{text}: {a:?}");
        }
        let body = seed_body();
        assert_eq!(suggest(body, &[]), suggest(body, &[]));
    }

    #[test]
    fn covered_marks_overlapping_candidates() {
        let text = "He claimed that Zelensky has a 4% approval rating. Thank you all.";
        // The existing claim covers "Zelensky has a 4%".
        let claim = (16, 34);
        let suggestions = suggest(text, &[claim]);
        let by_text = |t: &str| suggestions.iter().find(|s| s.text == t).unwrap();
        assert!(
            by_text("He claimed that Zelensky has a 4% approval rating.").covered,
            "{suggestions:?}"
        );
        assert!(by_text("Zelensky has a 4% approval rating").covered);
        assert!(!by_text("Thank you all.").covered);
        // Touching is not overlapping.
        let after = suggest(text, &[(50, 51)]);
        assert!(after.iter().all(|s| !s.covered), "{after:?}");
    }

    #[test]
    fn serializes_for_the_api() {
        let suggestions = suggest("He said that taxes rose 5% in 2024.", &[]);
        let json = serde_json::to_value(&suggestions).unwrap();
        let kinds: Vec<&str> = json
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["kind"].as_str().unwrap())
            .collect();
        assert!(
            kinds.contains(&"sentence") && kinds.contains(&"clause"),
            "{json}"
        );
        for key in [
            "span_start",
            "span_end",
            "text",
            "score",
            "reasons",
            "covered",
        ] {
            assert!(json[0].get(key).is_some(), "{key} in {json}");
        }
    }
}

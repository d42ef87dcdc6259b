//! Where a claim sits in its article: a span of characters (Unicode scalar values,
//! never bytes), resolved from what an editor sent, and kept when the article's text
//! changes ("anchoring").

use crate::domain::text;
use crate::domain::validation::FieldError;

/// What a request may give to place a claim: a span, or a quote (with which
/// occurrence, when it appears more than once).
#[derive(Clone, Debug, Default)]
pub struct SpanRequest<'a> {
    pub span_start: Option<i64>,
    pub span_end: Option<i64>,
    pub quote: Option<&'a str>,
    pub occurrence: Option<i64>,
}

/// A span resolved in a text: start and end (exclusive) in characters, and the quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub quote: String,
}

fn field(name: &str, message: impl Into<String>) -> FieldError {
    FieldError::new(name, message)
}

/// Resolves the span of a new claim in `body`.
pub fn resolve(body: &str, req: &SpanRequest<'_>) -> Result<Span, FieldError> {
    let len = text::char_len(body);
    match (req.span_start, req.span_end) {
        (Some(start), Some(end)) => {
            if start < 0 {
                return Err(field("span_start", "must be 0 or more"));
            }
            if end == start {
                return Err(field(
                    "span_end",
                    "must be greater than span_start: the span is empty",
                ));
            }
            if end < start {
                return Err(field(
                    "span_end",
                    "must be greater than span_start: the span is reversed",
                ));
            }
            if end as usize > len {
                return Err(field(
                    "span_end",
                    format!("is past the end of the article ({len} characters)"),
                ));
            }
            let quote = text::slice_chars(body, start as usize, end as usize)
                .unwrap_or_default()
                .to_string();
            if quote.trim().is_empty() {
                return Err(field("span_end", "the span holds only white space"));
            }
            if let Some(q) = req.quote
                && q != quote
            {
                return Err(field(
                    "quote",
                    "does not match the article's text at the span",
                ));
            }
            Ok(Span {
                start: start as usize,
                end: end as usize,
                quote,
            })
        }
        (Some(_), None) => Err(field("span_end", "is required with span_start")),
        (None, Some(_)) => Err(field("span_start", "is required with span_end")),
        (None, None) => {
            let quote = req.quote.unwrap_or("");
            if quote.trim().is_empty() {
                return Err(field(
                    "quote",
                    "give either span_start and span_end, or the quote",
                ));
            }
            let found = text::find_all(body, quote);
            let at = |(start, end): (usize, usize)| Span {
                start,
                end,
                quote: quote.to_string(),
            };
            match (found.len(), req.occurrence) {
                (0, _) => Err(field("quote", "does not occur in the article")),
                (n, Some(k)) if k < 1 || k as usize > n => Err(field(
                    "occurrence",
                    format!("must be from 1 to {n}: the quote occurs {n} time(s)"),
                )),
                (_, Some(k)) => Ok(at(found[k as usize - 1])),
                (1, None) => Ok(at(found[0])),
                (n, None) => Err(field(
                    "occurrence",
                    format!("is required: the quote occurs {n} times"),
                )),
            }
        }
    }
}

/// Where a claim's quote sits in a new text.
#[derive(Debug, PartialEq, Eq)]
pub enum Anchor {
    Kept,
    Moved(usize, usize),
    Lost,
}

/// A quote still at its span stays; a quote found exactly once elsewhere moves there;
/// any other is lost (the editor places it again).
pub fn anchor(body: &str, quote: &str, start: usize, end: usize) -> Anchor {
    if text::slice_chars(body, start, end) == Some(quote) {
        return Anchor::Kept;
    }
    match text::find_all(body, quote)[..] {
        [(s, e)] => Anchor::Moved(s, e),
        _ => Anchor::Lost,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_the_quote() {
        let body = "Він сказав: 4% — це брехня. А 4% — ні.";
        assert_eq!(anchor(body, "сказав", 4, 10), Anchor::Kept);
        assert_eq!(
            anchor("New start. Він сказав", "сказав", 4, 10),
            Anchor::Moved(15, 21)
        );
        assert_eq!(anchor(body, "4%", 0, 2), Anchor::Lost); // twice in the text
        assert_eq!(anchor(body, "missing", 0, 7), Anchor::Lost);
    }

    #[test]
    fn spans_resolve_by_characters_or_by_quote() {
        let body = "А 4% — ні. А 4% — так.";
        let span = |s, e| SpanRequest {
            span_start: Some(s),
            span_end: Some(e),
            ..Default::default()
        };
        assert_eq!(resolve(body, &span(2, 4)).unwrap().quote, "4%");
        assert_eq!(resolve(body, &span(4, 2)).unwrap_err().field, "span_end");
        assert_eq!(resolve(body, &span(0, 99)).unwrap_err().field, "span_end");
        let quote = |q, o| SpanRequest {
            quote: Some(q),
            occurrence: o,
            ..Default::default()
        };
        assert_eq!(
            resolve(body, &quote("4%", None)).unwrap_err().field,
            "occurrence"
        );
        assert_eq!(resolve(body, &quote("4%", Some(2))).unwrap().start, 13);
        assert_eq!(
            resolve(body, &quote("5%", None)).unwrap_err().field,
            "quote"
        );
    }
}

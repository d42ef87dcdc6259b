//! Sentence splitting for news text, in character offsets.
//!
//! A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes or brackets right
//! after them) when whitespace follows, unless the next word starts in lower case, or the
//! period closes an abbreviation: a title ("Dr.", "Mr."), which never ends a sentence, or
//! an initial, an initialism ("U.S.") or a short form ("Feb.", "Inc."), which ends one
//! only when the next word commonly starts sentences ("The", "He", …). A period inside a
//! word ("61.5", "$4.2") is never an end. A line break ends a sentence too, so a headline
//! without final punctuation is a sentence of its own, unless the next line starts in
//! lower case (text wrapped by hand).

use std::sync::LazyLock;

use serde::Serialize;

use super::tokens::WordSet;

/// A range of characters (Unicode scalar values, not bytes): `start..end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// Whether the two ranges share at least one character.
    pub fn overlaps(self, start: usize, end: usize) -> bool {
        self.start < end && start < self.end
    }
}

/// The sentences of `text`, in order, trimmed of surrounding whitespace; pieces without
/// a letter or digit (a lone dash, a bullet) are left out.
pub fn split_sentences(text: &str) -> Vec<Span> {
    let chars: Vec<char> = text.chars().collect();
    split_chars(&chars)
}

pub(crate) fn split_chars(cs: &[char]) -> Vec<Span> {
    let n = cs.len();
    let mut spans = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < n {
        let c = cs[i];
        if is_line_break(c) {
            if !continues_after_line_break(cs, i) {
                push_trimmed(cs, start, i, &mut spans);
                start = i + 1;
            }
            i += 1;
        } else if is_terminator(c) {
            let mut j = i;
            while j < n && is_terminator(cs[j]) {
                j += 1;
            }
            let run_end = j;
            while j < n && is_closer(cs[j]) {
                j += 1;
            }
            let wide = cs[i..run_end].iter().any(|&c| is_wide_terminator(c));
            if (wide || j == n || cs[j].is_whitespace()) && ends_sentence(cs, start, i, run_end, j)
            {
                push_trimmed(cs, start, j, &mut spans);
                start = j;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    push_trimmed(cs, start, n, &mut spans);
    spans
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\u{2028}' | '\u{2029}' | '\u{85}')
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉') || is_wide_terminator(c)
}

/// Terminators of scripts written without spaces, which end a sentence by themselves.
fn is_wide_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '｡')
}

pub(crate) fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}' | '」' | '』' | '）'
    )
}

pub(crate) fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '„' | '«' | '‹' | '(' | '[' | '{' | '¿' | '¡' | '「' | '『'
    )
}

/// Titles before a name: a period after them never ends a sentence.
static TITLES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "Mr Mrs Ms Mx Dr Prof Rev Gen Col Lt Maj Sgt Capt Cmdr Adm Gov Sen Sens Rep Reps Hon \
         Pres Messrs Mme Mmes Mlle Supt Insp Amb Atty Gens Fr проф акад ген д-р",
    )
});

/// Short forms that usually continue the sentence but may also end it.
static SHORT_FORMS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thur Thurs Fri \
         Sat Sun Inc Ltd Co Corp Bros Jr Sr St Ave Blvd Rd Mt Ft No Nos Vol Vols Fig Figs Dept \
         Univ Assn Est etc vs approx est al cf ca pp no nos vol fig figs dept ft lb lbs oz mln \
         bln bn tr gr г гг ул вул им ім др пр см стр тыс тис млн млрд руб грн коп св обл р",
    )
});

/// Words that commonly start a sentence: after a short form, the sentence ends only
/// when one of these follows.
static STARTERS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "The A An He She It They We I You This That These Those There Here But And Or So Yet In \
         On At As If When While After Before Since Although Though However Meanwhile Then Now \
         His Her Its Their Our My Your What Why How Who Where Which Some Many Most All No Not \
         Yes For From With By To Still Also Even Only Both Each Every Such Other Another Last \
         Next Today Yesterday Tomorrow According Это Он Она Они Мы Я Но И В На По Как Так \
         Однако Также При После Це Він Вона Вони Ми Але І У Та Проте Після",
    )
});

fn ends_sentence(cs: &[char], start: usize, at: usize, run_end: usize, after: usize) -> bool {
    let n = cs.len();
    let mut k = after;
    let mut breaks = 0;
    while k < n && cs[k].is_whitespace() {
        if is_line_break(cs[k]) {
            breaks += 1;
        }
        k += 1;
    }
    if k == n || breaks >= 2 {
        return true;
    }
    while k < n && is_opener(cs[k]) {
        k += 1;
    }
    if k < n && cs[k].is_lowercase() {
        return false;
    }
    if run_end - at != 1 || cs[at] != '.' {
        return true;
    }
    // A single period: look at the word it closes.
    let mut w = at;
    while w > start && !cs[w - 1].is_whitespace() {
        w -= 1;
    }
    while w < at && is_opener(cs[w]) {
        w += 1;
    }
    let word: String = cs[w..at].iter().collect();
    if word.is_empty() {
        return true;
    }
    if TITLES.contains(word.as_str()) {
        return false;
    }
    let short_form = word.contains('.')
        || (word.chars().count() == 1 && word.chars().all(char::is_alphabetic))
        || SHORT_FORMS.contains(word.as_str());
    if !short_form {
        return true;
    }
    let mut e = k;
    while e < n && cs[e].is_alphabetic() {
        e += 1;
    }
    let next: String = cs[k..e].iter().collect();
    STARTERS.contains(next.as_str())
}

/// After a line break the sentence goes on only when the next line follows directly and
/// starts in lower case.
fn continues_after_line_break(cs: &[char], at: usize) -> bool {
    let mut k = at + 1;
    while k < cs.len() && cs[k].is_whitespace() {
        if is_line_break(cs[k]) {
            return false;
        }
        k += 1;
    }
    k < cs.len() && cs[k].is_lowercase()
}

fn push_trimmed(cs: &[char], mut start: usize, mut end: usize, spans: &mut Vec<Span>) {
    while start < end && cs[start].is_whitespace() {
        start += 1;
    }
    while end > start && cs[end - 1].is_whitespace() {
        end -= 1;
    }
    if cs[start..end].iter().any(|c| c.is_alphanumeric()) {
        spans.push(Span { start, end });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::slice_chars;

    fn sentences(text: &str) -> Vec<&str> {
        split_sentences(text)
            .into_iter()
            .map(|s| slice_chars(text, s.start, s.end).unwrap())
            .collect()
    }

    #[test]
    fn abbreviations_initials_and_dates_do_not_end_sentences() {
        let text = "U.S. Deputy Assistant State Secretary Christopher W. Smith visited Belarus \
                    alongside two other U.S. officials in an unannounced meeting on Feb. 12, \
                    the New York Times reported. Dr. Jane Roe and Mr. Poe agreed. \
                    Lukashenko was handed a seventh term on Jan. 26. The vote was a sham.";
        assert_eq!(
            sentences(text),
            [
                "U.S. Deputy Assistant State Secretary Christopher W. Smith visited Belarus \
                 alongside two other U.S. officials in an unannounced meeting on Feb. 12, \
                 the New York Times reported.",
                "Dr. Jane Roe and Mr. Poe agreed.",
                "Lukashenko was handed a seventh term on Jan. 26.",
                "The vote was a sham.",
            ]
        );
    }

    #[test]
    fn an_initialism_ends_a_sentence_before_a_common_starter() {
        let text = "Sanctions were eased by the U.S. The talks went on. It met the U.N. \
                    Security Council.";
        assert_eq!(
            sentences(text),
            [
                "Sanctions were eased by the U.S.",
                "The talks went on.",
                "It met the U.N. Security Council."
            ]
        );
    }

    #[test]
    fn decimals_and_money_do_not_end_sentences() {
        let text = "Turnout was 61.5 percent. The deal is worth $4.2 billion, or €3.9bn! Is it?";
        assert_eq!(
            sentences(text),
            [
                "Turnout was 61.5 percent.",
                "The deal is worth $4.2 billion, or €3.9bn!",
                "Is it?"
            ]
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        let text = "He said that Ukraine had been “blown to smithereens,” and left. \
                    “It is over.” She disagreed. He called it \"a hoax.\" Nobody laughed. \
                    “Why?” he asked.";
        assert_eq!(
            sentences(text),
            [
                "He said that Ukraine had been “blown to smithereens,” and left.",
                "“It is over.”",
                "She disagreed.",
                "He called it \"a hoax.\"",
                "Nobody laughed.",
                "“Why?” he asked."
            ]
        );
    }

    #[test]
    fn line_breaks_end_sentences_and_headlines_stand_alone() {
        let text = "‘Crazy’ Putin could attack NATO in 2026, Zelensky says\n\
                    President Volodymyr Zelensky said that Russia plans to deploy 15 divisions.\n\n\
                    A paragraph without a final stop\n\nAnother one.\nThis line was wrapped\n\
                    by hand.";
        assert_eq!(
            sentences(text),
            [
                "‘Crazy’ Putin could attack NATO in 2026, Zelensky says",
                "President Volodymyr Zelensky said that Russia plans to deploy 15 divisions.",
                "A paragraph without a final stop",
                "Another one.",
                "This line was wrapped\nby hand."
            ]
        );
    }

    #[test]
    fn cyrillic_text_and_emoji_are_counted_in_characters() {
        let text = "Зеленський 👍🏽 заявив, що рейтинг 4%. У 2024 г. ВВП вырос на 3,6%! \
                    Кто виноват? А. С. Пушкин — поэт.";
        let spans = split_sentences(text);
        assert_eq!(
            sentences(text),
            [
                "Зеленський 👍🏽 заявив, що рейтинг 4%.",
                "У 2024 г. ВВП вырос на 3,6%!",
                "Кто виноват?",
                "А. С. Пушкин — поэт."
            ]
        );
        // 👍🏽 is two scalar values (the thumb and the skin tone), eight bytes.
        assert_eq!(spans[0], Span { start: 0, end: 36 });
        assert_eq!(spans[1].start, 37);
    }

    #[test]
    fn empty_and_punctuation_only_text_has_no_sentences() {
        assert!(split_sentences("").is_empty());
        assert!(split_sentences("  \n — \n\n").is_empty());
        assert_eq!(sentences("  One more  "), ["One more"]);
    }

    #[test]
    fn ellipsis_before_lower_case_goes_on() {
        assert_eq!(
            sentences("Well... maybe not. Wait… What?"),
            ["Well... maybe not.", "Wait…", "What?"]
        );
    }
}

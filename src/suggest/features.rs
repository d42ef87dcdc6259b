//! What the check-worthiness model sees in a sentence: hashed word unigrams and bigrams
//! and character 3- and 4-grams (the hashing trick, FNV-1a into 2^18 buckets), and named
//! features a person can read as reasons ("a percentage ('4%')").

use std::sync::LazyLock;

use super::clauses::find_cues;
use super::tokens::{Token, WordSet, is_currency, lower, normalize, tokenize};

pub const HASH_BITS: u32 = 18;
pub const HASH_SIZE: usize = 1 << HASH_BITS;
const HASH_MASK: u64 = (HASH_SIZE as u64) - 1;

/// The named features, each 0 or 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Named {
    Number,
    Percentage,
    Money,
    LargeQuantity,
    Year,
    Date,
    Comparison,
    Superlative,
    Attribution,
    Name,
    SeveralNames,
    Negation,
    PastTense,
    StatisticsWord,
    VeryShort,
    Short,
    Medium,
    Long,
    Question,
    Opinion,
    FirstPerson,
    SecondPerson,
    Future,
}

impl Named {
    pub const COUNT: usize = 23;

    pub const ALL: [Named; Named::COUNT] = [
        Named::Number,
        Named::Percentage,
        Named::Money,
        Named::LargeQuantity,
        Named::Year,
        Named::Date,
        Named::Comparison,
        Named::Superlative,
        Named::Attribution,
        Named::Name,
        Named::SeveralNames,
        Named::Negation,
        Named::PastTense,
        Named::StatisticsWord,
        Named::VeryShort,
        Named::Short,
        Named::Medium,
        Named::Long,
        Named::Question,
        Named::Opinion,
        Named::FirstPerson,
        Named::SecondPerson,
        Named::Future,
    ];

    /// The key in the weights file.
    pub fn id(self) -> &'static str {
        match self {
            Named::Number => "number",
            Named::Percentage => "percentage",
            Named::Money => "money",
            Named::LargeQuantity => "large_quantity",
            Named::Year => "year",
            Named::Date => "date",
            Named::Comparison => "comparison",
            Named::Superlative => "superlative",
            Named::Attribution => "attribution",
            Named::Name => "name",
            Named::SeveralNames => "several_names",
            Named::Negation => "negation",
            Named::PastTense => "past_tense",
            Named::StatisticsWord => "statistics_word",
            Named::VeryShort => "length_up_to_5",
            Named::Short => "length_6_to_12",
            Named::Medium => "length_13_to_25",
            Named::Long => "length_over_25",
            Named::Question => "question",
            Named::Opinion => "opinion",
            Named::FirstPerson => "first_person",
            Named::SecondPerson => "second_person",
            Named::Future => "future",
        }
    }

    pub fn from_id(id: &str) -> Option<Named> {
        Named::ALL.into_iter().find(|n| n.id() == id)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The reason in words, with what was found when there is something to quote.
    pub fn describe(self, found: Option<&str>) -> String {
        let what = match self {
            Named::Number => "a number",
            Named::Percentage => "a percentage",
            Named::Money => "an amount of money",
            Named::LargeQuantity => "a large quantity",
            Named::Year => "a year",
            Named::Date => "a date",
            Named::Comparison => "a comparison",
            Named::Superlative => "a superlative",
            Named::Attribution => {
                return format!("attributed with '{}'", found.unwrap_or("said"));
            }
            Named::Name => "a name",
            Named::SeveralNames => return "several names".into(),
            Named::Negation => "a negation",
            Named::PastTense => "past tense",
            Named::StatisticsWord => "a statistics word",
            Named::VeryShort => return "very short (5 words or fewer)".into(),
            Named::Short => return "short (6 to 12 words)".into(),
            Named::Medium => return "13 to 25 words long".into(),
            Named::Long => return "long (over 25 words)".into(),
            Named::Question => return "a question".into(),
            Named::Opinion => "an opinion",
            Named::FirstPerson => "in the first person",
            Named::SecondPerson => "addressed to 'you'",
            Named::Future => "future tense",
        };
        match found {
            Some(found) if self != Named::SecondPerson => format!("{what} ('{found}')"),
            _ => what.to_string(),
        }
    }
}

/// The features of one sentence or clause.
#[derive(Clone, Debug, PartialEq)]
pub struct Features {
    /// Hashed n-grams, sorted by bucket, each group (words, characters) of unit length.
    pub hashed: Vec<(u32, f32)>,
    /// The named features, by [`Named::index`].
    pub named: [f32; Named::COUNT],
    /// What each named feature found, for the reasons.
    pub found: [Option<String>; Named::COUNT],
}

impl Features {
    fn set(&mut self, feature: Named, found: Option<String>) {
        let i = feature.index();
        if self.named[i] == 0.0 {
            self.named[i] = 1.0;
            self.found[i] = found;
        }
    }

    pub fn has(&self, feature: Named) -> bool {
        self.named[feature.index()] != 0.0
    }

    pub fn reason(&self, feature: Named) -> String {
        feature.describe(self.found[feature.index()].as_deref())
    }
}

/// The features of `text`; `cue` is the attribution of a clause cut out of its sentence
/// ("claimed that"), which the clause's own words no longer show.
pub fn extract(text: &str, cue: Option<&str>) -> Features {
    let cs: Vec<char> = text.chars().collect();
    let tokens = tokenize(text);
    let lowers: Vec<String> = tokens.iter().map(|t| lower(t.text)).collect();
    let mut features = Features {
        hashed: hashed(&tokens),
        named: [0.0; Named::COUNT],
        found: std::array::from_fn(|_| None),
    };
    let cue = match cue {
        Some(cue) => Some(cue.to_string()),
        None => find_cues(&cs, &tokens, &lowers)
            .into_iter()
            .next()
            .map(|c| c.phrase),
    };
    if let Some(cue) = cue {
        features.set(Named::Attribution, Some(cue));
    }
    named(&cs, &tokens, &lowers, &mut features);
    features
}

struct Fnv(u64);

impl Fnv {
    fn new(namespace: u8) -> Fnv {
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        h.byte(namespace);
        h
    }

    fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.byte(b);
        }
    }

    fn bucket(&self) -> u32 {
        let h = self.0 ^ (self.0 >> 32);
        (h & HASH_MASK) as u32
    }
}

fn hashed(tokens: &[Token<'_>]) -> Vec<(u32, f32)> {
    let words: Vec<String> = tokens.iter().map(|t| normalize(t.text)).collect();
    let mut word_buckets = Vec::with_capacity(words.len() * 2 + 1);
    for w in &words {
        let mut h = Fnv::new(b'w');
        h.bytes(w.as_bytes());
        word_buckets.push(h.bucket());
    }
    let edges = std::iter::once("<s>")
        .chain(words.iter().map(String::as_str))
        .chain(std::iter::once("</s>"))
        .collect::<Vec<_>>();
    for pair in edges.windows(2) {
        let mut h = Fnv::new(b'b');
        h.bytes(pair[0].as_bytes());
        h.byte(b' ');
        h.bytes(pair[1].as_bytes());
        word_buckets.push(h.bucket());
    }
    let mut padded: Vec<char> = vec![' '];
    for w in &words {
        padded.extend(w.chars());
        padded.push(' ');
    }
    let mut char_buckets = Vec::with_capacity(padded.len() * 2);
    let mut buf = [0u8; 4];
    for n in 3..=4usize {
        for gram in padded.windows(n) {
            let mut h = Fnv::new(b'0' + n as u8);
            for c in gram {
                h.bytes(c.encode_utf8(&mut buf).as_bytes());
            }
            char_buckets.push(h.bucket());
        }
    }
    let mut out = Vec::with_capacity(word_buckets.len() + char_buckets.len());
    for group in [word_buckets, char_buckets] {
        if group.is_empty() {
            continue;
        }
        let value = 1.0 / (group.len() as f32).sqrt();
        out.extend(group.into_iter().map(|b| (b, value)));
    }
    out.sort_by_key(|&(b, _)| b);
    let mut merged: Vec<(u32, f32)> = Vec::with_capacity(out.len());
    for (b, v) in out {
        match merged.last_mut() {
            Some((last, sum)) if *last == b => *sum += v,
            _ => merged.push((b, v)),
        }
    }
    merged
}

static NUMBER_WORDS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen \
         sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty \
         ninety hundred hundreds thousand thousands million millions billion billions trillion \
         trillions dozen dozens half twice double triple quarter",
    )
});

static LARGE_WORDS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "thousand thousands million millions billion billions trillion trillions bn mln tn тыс \
         тис млн млрд",
    )
});

static MONEY_WORDS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "dollar dollars euro euros cents bucks usd eur gbp pounds sterling yuan rubles roubles \
         hryvnias hryvnia taxpayer taxpayers долларов доларів гривень рублей євро евро",
    )
});

static MONTHS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "january february march april may june july august september october november december \
         jan feb mar apr jun jul aug sep sept oct nov dec",
    )
});

static COMPARATIVE_WORDS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "fewer compared comparison increased decreased doubled tripled quadrupled halved rose \
         fell grew dropped declined surged plunged soared outpaced outnumbered exceeded больше \
         меньше більше менше",
    )
});

static SUPERLATIVE_WORDS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "most least best worst largest biggest highest lowest greatest smallest fastest slowest \
         strongest weakest richest poorest oldest youngest longest shortest deadliest record \
         ever самый найбільший",
    )
});

static EST_EXCEPTIONS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "interest honest modest protest request suggest invest contest forest arrest manifest \
         digest unrest conquest inquest harvest latest earnest behest bequest detest attest \
         pest nest vest",
    )
});

static NEGATIONS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "not no never none nobody nothing neither nor cannot nowhere не ні нет ни ніколи \
         никогда",
    )
});

static IRREGULAR_PAST: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "was were had did said made went got took gave came knew saw became left lost won paid \
         sold bought cut put told thought brought built spent sent met led ran began wrote \
         fought kept held stood fell rose grew drove broke chose caught taught found meant felt \
         hit let set shut struck стал был была было были був була було були",
    )
});

static ED_EXCEPTIONS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "indeed need speed seed feed breed proceed succeed exceed hundred kindred naked wicked \
         sacred beloved bed red greed creed weed deed shed",
    )
});

static STATISTICS_WORDS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "rate rates percent percentage average median poll polls polling approval survey \
         surveys unemployment unemployed jobs deficit debt budget gdp growth inflation tax \
         taxes cost costs spending income incomes wages wage salary population crime murders \
         deaths killed died casualties votes voted statistics data figures number numbers \
         majority minority share total amount premiums insurance economy trade exports imports \
         troops divisions prisoners sanctions рейтинг рейтингу бюджет інфляція инфляция ввп",
    )
});

const OPINION_PHRASES: &[&[&str]] = &[
    &["i", "think"],
    &["i", "believe"],
    &["i", "feel"],
    &["i", "guess"],
    &["i", "hope"],
    &["i", "want"],
    &["i'd", "like"],
    &["i", "would"],
    &["in", "my", "opinion"],
    &["we", "need"],
    &["we", "should"],
    &["we", "must"],
    &["we", "have", "to"],
    &["we've", "got", "to"],
    &["i'm", "going", "to"],
    &["let", "me"],
    &["let's"],
    &["i", "love"],
    &["i", "agree"],
    &["i", "disagree"],
];

static FIRST_PERSON: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new("i me my mine we us our ours i'm i've i'll i'd we're we've we'll я мы ми мені мне")
});

static SECOND_PERSON: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::new("you your yours you're you've you'll you'd"));

static FUTURE: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::new("will won't shall gonna i'll we'll they'll"));

/// Function words that may start a sentence in capitals without naming anything.
static CAPITALISED_FUNCTION_WORDS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "the a an this that these those in on at he she it we they but and or so when if as \
         after before since while for from with by to of there here his her their our my your \
         its what why how who where which now then mr mrs ms dr president senator governor \
         secretary general",
    )
});

/// Lower-case words allowed inside a name ("Organization for Security").
static NAME_JOINERS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new("of the for de la von van"));

fn has_digit(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
}

fn is_year(word: &str) -> bool {
    let digits = word.strip_suffix('s').unwrap_or(word);
    digits.len() == 4
        && digits.chars().all(|c| c.is_ascii_digit())
        && (1900..=2099).contains(&digits.parse::<u32>().unwrap_or(0))
}

fn is_capitalised(word: &str) -> bool {
    word != "I" && word.chars().next().is_some_and(char::is_uppercase)
}

fn slice(cs: &[char], start: usize, end: usize) -> String {
    cs[start..end].iter().collect()
}

fn named(cs: &[char], tokens: &[Token<'_>], lowers: &[String], f: &mut Features) {
    let n = tokens.len();
    for (i, (t, w)) in tokens.iter().zip(lowers).enumerate() {
        let w = w.as_str();
        let next = lowers.get(i + 1).map(String::as_str);
        let prev = if i > 0 {
            Some(lowers[i - 1].as_str())
        } else {
            None
        };
        if has_digit(w) || NUMBER_WORDS.contains(w) {
            f.set(Named::Number, Some(t.text.to_string()));
        }
        if w.contains('%')
            || matches!(w, "percent" | "percentage" | "percentages")
            || (w == "per" && next == Some("cent"))
            || w.starts_with("процент")
            || w.starts_with("відсот")
        {
            f.set(Named::Percentage, Some(t.text.to_string()));
        }
        if t.text.chars().any(is_currency) || MONEY_WORDS.contains(w) {
            f.set(Named::Money, Some(t.text.to_string()));
        }
        let digits = w.chars().filter(char::is_ascii_digit).count();
        let big_number = digits >= 5 || (digits >= 4 && w.contains(','));
        if LARGE_WORDS.contains(w) || big_number || w.starts_with("мільй") || w.starts_with("милли")
        {
            f.set(Named::LargeQuantity, Some(t.text.to_string()));
        }
        if is_year(w) {
            f.set(Named::Year, Some(t.text.to_string()));
        }
        if MONTHS.contains(w) {
            if next.is_some_and(has_digit) {
                f.set(Named::Date, Some(slice(cs, t.start, tokens[i + 1].end)));
            } else if prev.is_some_and(has_digit) {
                f.set(Named::Date, Some(slice(cs, tokens[i - 1].start, t.end)));
            }
        }
        if next == Some("than") && (w.ends_with("er") || matches!(w, "more" | "less")) {
            f.set(
                Named::Comparison,
                Some(slice(cs, t.start, tokens[i + 1].end)),
            );
        } else if COMPARATIVE_WORDS.contains(w)
            || (w == "as" && matches!(next, Some("many" | "much")))
            || (matches!(w, "up" | "down") && next == Some("from"))
        {
            let end = if COMPARATIVE_WORDS.contains(w) {
                t.end
            } else {
                tokens[i + 1].end
            };
            f.set(Named::Comparison, Some(slice(cs, t.start, end)));
        }
        let est = w.len() >= 5
            && w.ends_with("est")
            && w.chars().all(char::is_alphabetic)
            && !EST_EXCEPTIONS.contains(w)
            && matches!(
                prev,
                Some("the" | "our" | "its" | "their" | "his" | "her" | "my")
            );
        if SUPERLATIVE_WORDS.contains(w) || est {
            let start = if prev == Some("the") {
                tokens[i - 1].start
            } else {
                t.start
            };
            f.set(Named::Superlative, Some(slice(cs, start, t.end)));
        }
        if NEGATIONS.contains(w) || w.ends_with("n't") {
            f.set(Named::Negation, Some(t.text.to_string()));
        }
        let regular_past = w.len() >= 5
            && w.ends_with("ed")
            && w.chars().all(char::is_alphabetic)
            && !ED_EXCEPTIONS.contains(w);
        if IRREGULAR_PAST.contains(w) || regular_past {
            f.set(Named::PastTense, Some(t.text.to_string()));
        }
        if STATISTICS_WORDS.contains(w) {
            f.set(Named::StatisticsWord, Some(t.text.to_string()));
        }
        if FIRST_PERSON.contains(w) {
            f.set(Named::FirstPerson, Some(t.text.to_string()));
        }
        if SECOND_PERSON.contains(w) {
            f.set(Named::SecondPerson, Some(t.text.to_string()));
        }
        if FUTURE.contains(w) || w.ends_with("'ll") || (w == "going" && next == Some("to")) {
            let end = if w == "going" {
                tokens[i + 1].end
            } else {
                t.end
            };
            f.set(Named::Future, Some(slice(cs, t.start, end)));
        }
        for phrase in OPINION_PHRASES {
            if i + phrase.len() <= n && lowers[i..i + phrase.len()].iter().eq(phrase.iter()) {
                f.set(
                    Named::Opinion,
                    Some(slice(cs, t.start, tokens[i + phrase.len() - 1].end)),
                );
            }
        }
    }
    names(cs, tokens, lowers, f);
    let length = match n {
        0..=5 => Named::VeryShort,
        6..=12 => Named::Short,
        13..=25 => Named::Medium,
        _ => Named::Long,
    };
    f.set(length, None);
    let end = cs
        .iter()
        .rposition(|&c| !(c.is_whitespace() || super::sentences::is_closer(c)));
    if end.is_some_and(|e| matches!(cs[e], '?' | '？' | '⁇' | '⁈' | '⁉')) {
        f.set(Named::Question, None);
    }
}

/// Runs of capitalised words that are not just the sentence's first word.
fn names(cs: &[char], tokens: &[Token<'_>], lowers: &[String], f: &mut Features) {
    let mut runs: Vec<(usize, usize)> = Vec::new(); // token ranges
    // A capitalised word, but not a month before its day ("Jan. 26").
    let name_word = |k: usize| {
        is_capitalised(tokens[k].text)
            && !(MONTHS.contains(lowers[k].as_str())
                && lowers.get(k + 1).is_some_and(|n| has_digit(n)))
    };
    // A possessive ends a name: "Trump’s latest comments".
    let possessive = |k: usize| lowers[k].ends_with("'s");
    let mut i = 0;
    while i < tokens.len() {
        if !name_word(i) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while !possessive(j - 1) {
            if j < tokens.len() && name_word(j) && !breaks_name(cs, &tokens[j - 1], &tokens[j]) {
                j += 1;
            } else if j + 1 < tokens.len()
                && NAME_JOINERS.contains(lowers[j].as_str())
                && name_word(j + 1)
                && !breaks_name(cs, &tokens[j - 1], &tokens[j])
                && !breaks_name(cs, &tokens[j], &tokens[j + 1])
            {
                j += 2;
            } else {
                break;
            }
        }
        let mut start = i;
        if start == 0 {
            while start < j && CAPITALISED_FUNCTION_WORDS.contains(lowers[start].as_str()) {
                start += 1;
            }
            if j - start < 2 && (start == 0 || start == j) {
                i = j;
                continue;
            }
        }
        if start < j {
            runs.push((start, j));
        }
        i = j;
    }
    if runs.is_empty() {
        return;
    }
    let &(s, e) = runs
        .iter()
        .max_by_key(|&&(s, e)| (tokens[e - 1].end - tokens[s].start, usize::MAX - s))
        .expect("not empty");
    let mut name = slice(cs, tokens[s].start, tokens[e - 1].end);
    for suffix in ["’s", "'s"] {
        if let Some(stripped) = name.strip_suffix(suffix) {
            name = stripped.to_string();
        }
    }
    f.set(Named::Name, Some(name));
    if runs.len() >= 2 {
        f.set(Named::SeveralNames, None);
    }
}

/// Whether punctuation between two words separates them (a comma, a full stop).
fn breaks_name(cs: &[char], a: &Token<'_>, b: &Token<'_>) -> bool {
    cs[a.end..b.start]
        .iter()
        .any(|c| !c.is_whitespace() && *c != '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(text: &str) -> Vec<String> {
        let f = extract(text, None);
        Named::ALL
            .into_iter()
            .filter(|&n| f.has(n))
            .map(|n| f.reason(n))
            .collect()
    }

    #[test]
    fn ids_round_trip_and_are_unique() {
        for (i, n) in Named::ALL.into_iter().enumerate() {
            assert_eq!(n.index(), i);
            assert_eq!(Named::from_id(n.id()), Some(n));
        }
    }

    #[test]
    fn the_seed_claim_has_readable_features() {
        let found = reasons(
            "He claimed that Ukrainian President Volodymyr Zelensky has a 4% approval rating.",
        );
        assert_eq!(
            found,
            [
                "a number ('4%')",
                "a percentage ('4%')",
                "attributed with 'claimed that'",
                "a name ('Ukrainian President Volodymyr Zelensky')",
                "past tense ('claimed')",
                "a statistics word ('approval')",
                "short (6 to 12 words)",
            ]
        );
    }

    #[test]
    fn numbers_money_years_dates_and_comparisons() {
        let found = reasons(
            "Since Feb. 12, 2020 the deficit rose by $4.2 billion, more than in 1990, the \
             highest ever.",
        );
        for expected in [
            "a number ('12')",
            "an amount of money ('$4.2')",
            "a large quantity ('billion')",
            "a year ('2020')",
            "a date ('Feb. 12')",
            "a comparison ('rose')",
            "a superlative ('the highest')",
        ] {
            assert!(
                found.iter().any(|r| r == expected),
                "{expected} in {found:?}"
            );
        }
    }

    #[test]
    fn opinions_questions_and_the_first_word_is_no_name() {
        let found = reasons("I think you will love it, won't you?");
        for expected in [
            "an opinion ('I think')",
            "in the first person ('I')",
            "addressed to 'you'",
            "future tense ('will')",
            "a negation ('won't')",
            "a question",
        ] {
            assert!(
                found.iter().any(|r| r == expected),
                "{expected} in {found:?}"
            );
        }
        assert!(!extract("Belarus is a major producer of potash.", None).has(Named::Name));
        let f = extract(
            "The talks in Minsk were held by Christopher W. Smith and Lukashenko.",
            None,
        );
        assert_eq!(f.reason(Named::Name), "a name ('Christopher W. Smith')");
        assert!(f.has(Named::SeveralNames));
    }

    #[test]
    fn hashed_groups_have_unit_length_and_are_deterministic() {
        let a = extract("Turnout was 61.5 percent in the U.S.", None);
        let b = extract("Turnout was 61.5 percent in the U.S.", None);
        assert_eq!(a, b);
        let norm: f32 = a.hashed.iter().map(|&(_, v)| v * v).sum();
        // Two groups of unit length, give or take a collision.
        assert!((norm - 2.0).abs() < 0.2, "{norm}");
        assert!(a.hashed.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(a.hashed.iter().all(|&(b, _)| (b as usize) < HASH_SIZE));
    }
}

//! The figures a sentence states: percentages ("4%", "12.5 percent", "37,8 відсотка"),
//! sums of money ("€250 million", "5 000 гривень") and counts of people or things
//! ("100,000 to 150,000 troops", as a range), each with its value as a plain decimal
//! (no float rounding: "12.5", "250000000"), the unit, the words as stated and where
//! they stand. A bare number with nothing to say what it counts (a year, a date) is
//! not a figure.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;
use utoipa::ToSchema;

/// A figure found in a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = FoundFigure)]
pub struct Figure {
    /// The words as they stand ("4%", "€250 million").
    pub as_stated: String,
    /// A plain decimal ("4", "12.5", "250000000"); the lower end of a range.
    pub value: String,
    /// The upper end of a range ("100,000 to 150,000 troops").
    pub value_max: Option<String>,
    /// `percent`, a currency code (`EUR`, `USD`, `GBP`, `UAH`), or what is counted
    /// (`troops`, `people`, …).
    pub unit: String,
    /// Where it stands in the text, in characters (like claim spans).
    pub start: usize,
    pub end: usize,
}

const NUM: &str = r"\d{1,3}(?:[ \x{a0}\x{202f}]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*";
const SCALE: &str = r"thousand|million|billion|trillion|bn|тис\.|тисяч[а-яіїє]*|млн\.?|мільйон[а-яіїє]*|млрд\.?|мільярд[а-яіїє]*";
const PERCENT: &str =
    r"%|\bpercentage points?\b|\bper ?cent\b|\bвідсот[а-яіїє]*|\bпроцент[а-яіїє]*";
const RANGE: &str = r"\s*(?:-|–|—|to|до)\s*";
const NOUN: &str = r"people|persons|troops|soldiers|refugees|civilians|children|voters|residents|casualties|deaths|victims|jobs|homes|tanks|drones|missiles|осіб|людей|людини|військових|солдатів|біженців|дітей|виборців";
const MONEY_WORD: &str =
    r"euros?|dollars?|pounds?|hryvnias?|hryvnia|гривень|гривні|гривня|грн\.?|UAH|USD|EUR|GBP";

static PATTERNS: LazyLock<Vec<(Kind, Regex)>> = LazyLock::new(|| {
    let build = |p: String| Regex::new(&format!("(?i){p}")).expect("a valid figure pattern");
    vec![
        (
            Kind::Percent,
            build(format!(
                r"(?P<v>{NUM})(?:{RANGE}(?P<max>{NUM}))?\s*(?:{PERCENT})"
            )),
        ),
        (
            Kind::MoneyBefore,
            build(format!(
                r"(?P<cur>[€$£₴])\s?(?P<v>{NUM})(?:{RANGE}[€$£₴]?\s?(?P<max>{NUM}))?(?:\s*(?P<scale>{SCALE}|m\b|k\b))?"
            )),
        ),
        (
            Kind::MoneyAfter,
            build(format!(
                r"(?P<v>{NUM})(?:{RANGE}(?P<max>{NUM}))?(?:\s*(?P<scale>{SCALE}))?\s*(?P<cur>{MONEY_WORD})\b"
            )),
        ),
        (
            Kind::Count,
            build(format!(
                r"(?P<v>{NUM})(?:{RANGE}(?P<max>{NUM}))?(?:\s*(?P<scale>{SCALE}))?\s+(?P<noun>{NOUN})\b"
            )),
        ),
    ]
});

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Percent,
    MoneyBefore,
    MoneyAfter,
    Count,
}

/// The figures of `text`, in the order they stand.
pub fn find(text: &str) -> Vec<Figure> {
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut found: Vec<(usize, Figure)> = Vec::new();
    for (kind, pattern) in PATTERNS.iter() {
        for caps in pattern.captures_iter(text) {
            let whole = caps.get(0).expect("group 0");
            let (from, to) = (whole.start(), whole.end());
            // A number inside a longer one ("2019" in "12019") or a word is not one.
            let before = text[..from].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == ',')
                && *kind != Kind::MoneyBefore
            {
                continue;
            }
            if taken.iter().any(|&(a, b)| from < b && a < to) {
                continue;
            }
            let scale = caps.name("scale").map_or(0, |m| scale_of(m.as_str()));
            let Some(value) = caps.name("v").and_then(|m| decimal(m.as_str(), scale)) else {
                continue;
            };
            let value_max = caps.name("max").and_then(|m| decimal(m.as_str(), scale));
            let unit = match kind {
                Kind::Percent => "percent".to_string(),
                Kind::MoneyBefore | Kind::MoneyAfter => {
                    currency(caps.name("cur").map_or("", |m| m.as_str())).to_string()
                }
                Kind::Count => caps
                    .name("noun")
                    .map_or(String::new(), |m| m.as_str().to_lowercase()),
            };
            taken.push((from, to));
            found.push((
                from,
                Figure {
                    as_stated: whole.as_str().trim().to_string(),
                    value,
                    value_max,
                    unit,
                    start: text[..from].chars().count(),
                    end: text[..to].chars().count(),
                },
            ));
        }
    }
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, f)| f).collect()
}

/// The power of ten a scale word stands for.
fn scale_of(word: &str) -> u32 {
    let w = word.to_lowercase();
    if w.starts_with("thousand") || w.starts_with("тис") || w == "k" {
        3
    } else if w.starts_with("million")
        || w.starts_with("млн")
        || w.starts_with("мільйон")
        || w == "m"
    {
        6
    } else if w.starts_with("billion")
        || w == "bn"
        || w.starts_with("млрд")
        || w.starts_with("мільярд")
    {
        9
    } else if w.starts_with("trillion") {
        12
    } else {
        0
    }
}

fn currency(word: &str) -> &'static str {
    let w = word.to_lowercase();
    match w.as_str() {
        "€" | "eur" => "EUR",
        "$" | "usd" => "USD",
        "£" | "gbp" => "GBP",
        "₴" | "uah" => "UAH",
        _ if w.starts_with("euro") => "EUR",
        _ if w.starts_with("dollar") => "USD",
        _ if w.starts_with("pound") => "GBP",
        _ => "UAH",
    }
}

/// A number as written ("100,000", "37,8", "5 000", "1.2") as a plain decimal, times
/// 10^`scale`. A comma before exactly three digits groups thousands; otherwise it is
/// the decimal comma of Ukrainian (and most of Europe).
fn decimal(raw: &str, scale: u32) -> Option<String> {
    let compact: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let grouped = |sep: char| {
        let mut parts = compact.split(sep);
        parts.next().is_some_and(|p| (1..=3).contains(&p.len())) && parts.all(|p| p.len() == 3)
    };
    let (int, frac) = match (compact.contains(','), compact.contains('.')) {
        (true, true) => {
            // The later separator is the decimal one.
            let dec = if compact.rfind(',') > compact.rfind('.') {
                ','
            } else {
                '.'
            };
            let group = if dec == ',' { '.' } else { ',' };
            let (i, f) = compact.rsplit_once(dec)?;
            (i.replace(group, ""), f.to_string())
        }
        (true, false) if grouped(',') => (compact.replace(',', ""), String::new()),
        (true, false) => {
            let (i, f) = compact.split_once(',')?;
            (i.to_string(), f.to_string())
        }
        (false, true) if compact.matches('.').count() > 1 && grouped('.') => {
            (compact.replace('.', ""), String::new())
        }
        (false, true) => {
            let (i, f) = compact.split_once('.')?;
            (i.to_string(), f.to_string())
        }
        (false, false) => (compact.clone(), String::new()),
    };
    if int.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    // Shift the decimal point `scale` places to the right.
    let mut digits = format!("{int}{frac}");
    let point = int.len() + scale as usize;
    while digits.len() < point {
        digits.push('0');
    }
    let (i, f) = digits.split_at(point);
    let i = i.trim_start_matches('0');
    let f = f.trim_end_matches('0');
    Some(match (i.is_empty(), f.is_empty()) {
        (true, true) => "0".to_string(),
        (true, false) => format!("0.{f}"),
        (false, true) => i.to_string(),
        (false, false) => format!("{i}.{f}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Figure {
        let found = find(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        found.into_iter().next().unwrap()
    }

    #[test]
    fn percentages_in_english_and_ukrainian() {
        let f = one("Zelensky has a 4% approval rating");
        assert_eq!(
            (f.value.as_str(), f.unit.as_str(), f.as_stated.as_str()),
            ("4", "percent", "4%")
        );
        assert_eq!((f.start, f.end), (15, 17));
        assert_eq!(one("Turnout was 12.5 percent.").value, "12.5");
        let uk = one("Його підтримують 37,8 відсотка українців");
        assert_eq!((uk.value.as_str(), uk.unit.as_str()), ("37.8", "percent"));
        assert_eq!(uk.as_stated, "37,8 відсотка");
        let range = one("between 30–40% of voters");
        assert_eq!(
            (range.value.as_str(), range.value_max.as_deref()),
            ("30", Some("40"))
        );
        assert_eq!(one("up 2 percentage points").value, "2");
    }

    #[test]
    fn money_with_its_scale_and_currency() {
        let eur = one("The EU pledged €250 million in aid.");
        assert_eq!(
            (eur.value.as_str(), eur.unit.as_str()),
            ("250000000", "EUR")
        );
        assert_eq!(eur.as_stated, "€250 million");
        let usd = one("a $1.2 billion package");
        assert_eq!(
            (usd.value.as_str(), usd.unit.as_str()),
            ("1200000000", "USD")
        );
        let uah = one("пенсія становить 5 000 гривень");
        assert_eq!((uah.value.as_str(), uah.unit.as_str()), ("5000", "UAH"));
        assert_eq!(one("20 млн грн на ремонт").value, "20000000");
        assert_eq!(one("it cost 3.5 million euros").unit, "EUR");
    }

    #[test]
    fn counts_and_ranges_of_people() {
        let troops = one("Russia massed 100,000 to 150,000 troops at the border");
        assert_eq!(troops.value, "100000");
        assert_eq!(troops.value_max.as_deref(), Some("150000"));
        assert_eq!(troops.unit, "troops");
        assert_eq!(troops.as_stated, "100,000 to 150,000 troops");
        let refugees = one("6.5 million refugees left the country");
        assert_eq!(
            (refugees.value.as_str(), refugees.unit.as_str()),
            ("6500000", "refugees")
        );
        assert_eq!(one("загинули 12 осіб").unit, "осіб");
    }

    #[test]
    fn bare_numbers_are_no_figures() {
        assert!(find("In 2019 the war entered its sixth year on 24 February.").is_empty());
        assert!(find("Article 5 of the treaty").is_empty());
        let several = find("Prices rose 12% while wages rose 3%, and 40 people protested.");
        let units: Vec<&str> = several.iter().map(|f| f.unit.as_str()).collect();
        assert_eq!(units, ["percent", "percent", "people"]);
    }

    #[test]
    fn numbers_as_written_become_plain_decimals() {
        assert_eq!(decimal("100,000", 0).as_deref(), Some("100000"));
        assert_eq!(decimal("37,8", 0).as_deref(), Some("37.8"));
        assert_eq!(decimal("1.234.567", 0).as_deref(), Some("1234567"));
        assert_eq!(decimal("1,234.50", 0).as_deref(), Some("1234.5"));
        assert_eq!(decimal("1.234,5", 0).as_deref(), Some("1234.5"));
        assert_eq!(decimal("5 000", 0).as_deref(), Some("5000"));
        assert_eq!(decimal("0.25", 6).as_deref(), Some("250000"));
        assert_eq!(decimal("1.2345", 3).as_deref(), Some("1234.5"));
        assert_eq!(decimal("007", 0).as_deref(), Some("7"));
    }
}

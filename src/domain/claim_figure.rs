//! A numeric claim's two figures: what the claimant said ("4%", with what it measures,
//! where and when) and what the reviewer found (57%, from which source, for which
//! period); how each reads ("4%", "€250 million", "100,000–150,000 troops") and how
//! far apart they are (a difference and a ratio, exact in decimal arithmetic).

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::validation::{FieldError, Lines, check_characters};

/// The figure as claimed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimedFigure {
    /// A plain decimal ("4", "12.5", "250000000"); the lower end of a range.
    #[schema(pattern = "^-?[0-9]{1,18}(\\.[0-9]{1,8})?$", example = "4")]
    pub value: String,
    /// The upper end of a range ("100,000 to 150,000 troops").
    #[schema(pattern = "^-?[0-9]{1,18}(\\.[0-9]{1,8})?$")]
    pub value_max: Option<String>,
    /// `percent`, a currency code (`EUR`, `UAH`, …) or what is counted (`troops`).
    #[schema(max_length = 40, example = "percent")]
    pub unit: String,
    /// What the figure measures ("approval rating of Volodymyr Zelensky").
    #[serde(default)]
    #[schema(max_length = 200)]
    pub measure: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub place: Option<String>,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub period: Option<String>,
    /// The words as said ("4%").
    #[schema(max_length = 100, example = "4%")]
    pub as_stated: String,
}

/// The figure as checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckedFigure {
    #[schema(pattern = "^-?[0-9]{1,18}(\\.[0-9]{1,8})?$", example = "57")]
    pub value: String,
    #[schema(pattern = "^-?[0-9]{1,18}(\\.[0-9]{1,8})?$")]
    pub value_max: Option<String>,
    /// When the checked figure holds ("February 2025").
    #[serde(default)]
    #[schema(max_length = 100)]
    pub period: Option<String>,
    /// The claim's source it comes from.
    #[serde(default)]
    pub source_id: Option<Uuid>,
}

/// Both figures of a claim, as stored with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ClaimFigure {
    pub claimed: ClaimedFigure,
    pub checked: Option<CheckedFigure>,
}

/// How far the checked figure is from the claimed one (midpoints of ranges).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Comparison {
    /// Checked minus claimed, in the claim's unit ("53"; percentage points for
    /// percentages).
    pub difference: String,
    /// Checked over claimed, to two decimals ("14.25"); none when the claim is zero.
    pub ratio: Option<String>,
}

/// Both figures with how each reads and how far apart they are: what every answer
/// that shows a numeric claim carries (the claim, the public page, the exports).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FigureSummary {
    pub claimed: ClaimedFigure,
    pub checked: Option<CheckedFigure>,
    /// The claimed figure in words ("4%"): as stated.
    pub claimed_display: String,
    /// The checked figure in words ("57%").
    pub checked_display: Option<String>,
    pub comparison: Option<Comparison>,
}

impl ClaimFigure {
    pub fn summarise(self) -> FigureSummary {
        let checked_display = self
            .checked
            .as_ref()
            .map(|c| display(&c.value, c.value_max.as_deref(), &self.claimed.unit));
        let comparison = self
            .checked
            .as_ref()
            .and_then(|c| compare(&self.claimed, c));
        FigureSummary {
            claimed_display: self.claimed.as_stated.clone(),
            checked_display,
            comparison,
            claimed: self.claimed,
            checked: self.checked,
        }
    }
}

impl FigureSummary {
    /// Where and when the checked figure holds: "KIIS poll, February 2025".
    pub fn about(&self, source: Option<&str>) -> Option<String> {
        let checked = self.checked.as_ref()?;
        let about: Vec<&str> = [source, checked.period.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect();
        (!about.is_empty()).then(|| about.join(", "))
    }

    /// The public page's card: "Claimed: 4% · Actual: 57% (KIIS poll, February
    /// 2025)"; `source` names where the checked figure comes from.
    pub fn public_line(&self, source: Option<&str>) -> String {
        let mut line = format!("Claimed: {}", self.claimed_display);
        if let Some(actual) = &self.checked_display {
            line.push_str(&format!(" · Actual: {actual}"));
            if let Some(about) = self.about(source) {
                line.push_str(&format!(" ({about})"));
            }
        }
        line
    }
}

const MAX_INTEGER_DIGITS: usize = 18;
const MAX_FRACTION_DIGITS: usize = 8;

/// A plain decimal as the API takes it: digits, an optional point and fraction, an
/// optional minus; no exponent, no grouping. Trailing zeros are dropped ("4.50" is
/// "4.5").
pub fn decimal(field: &str, raw: &str) -> Result<String, FieldError> {
    let bad = || {
        FieldError::new(
            field,
            format!(
                "must be a plain decimal such as 4 or 12.5 (at most {MAX_INTEGER_DIGITS} digits before the point and {MAX_FRACTION_DIGITS} after)"
            ),
        )
    };
    let unsigned = raw.strip_prefix('-').unwrap_or(raw);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if int.is_empty()
        || int.len() > MAX_INTEGER_DIGITS
        || frac.len() > MAX_FRACTION_DIGITS
        || (unsigned.contains('.') && frac.is_empty())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let value = Decimal::from_str(raw).map_err(|_| bad())?.normalize();
    Ok(value.to_string())
}

/// A field's name under `prefix` (`figure.claimed.value`), or alone without one.
fn field(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn parse(value: &str) -> Option<Decimal> {
    Decimal::from_str(value).ok()
}

fn line(field: &str, value: &str, max: usize, required: bool) -> Result<String, FieldError> {
    check_characters(field, value, Lines::One)?;
    if value.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    let value = value.trim().to_string();
    if required && value.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    Ok(value)
}

fn optional_line(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    Ok(value
        .map(|v| line(field, v, max, false))
        .transpose()?
        .filter(|v| !v.is_empty()))
}

/// The range's two ends, checked: the upper end is above the lower.
fn range(
    prefix: &str,
    value: &str,
    value_max: Option<&str>,
) -> Result<(String, Option<String>), FieldError> {
    let value = decimal(&field(prefix, "value"), value)?;
    let Some(max) = value_max else {
        return Ok((value, None));
    };
    let max = decimal(&field(prefix, "value_max"), max)?;
    if parse(&max) <= parse(&value) {
        return Err(FieldError::new(
            field(prefix, "value_max"),
            "must be greater than value (the lower end of the range)",
        ));
    }
    Ok((value, Some(max)))
}

impl ClaimedFigure {
    /// The figure as typed, checked and trimmed; `prefix` names it in errors
    /// (`figure.claimed`).
    pub fn validated(self, prefix: &str) -> Result<Self, FieldError> {
        let (value, value_max) = range(prefix, &self.value, self.value_max.as_deref())?;
        Ok(Self {
            value,
            value_max,
            unit: line(&field(prefix, "unit"), &self.unit, 40, true)?,
            measure: line(&field(prefix, "measure"), &self.measure, 200, false)?,
            place: optional_line(&field(prefix, "place"), self.place.as_deref(), 100)?,
            period: optional_line(&field(prefix, "period"), self.period.as_deref(), 100)?,
            as_stated: line(&field(prefix, "as_stated"), &self.as_stated, 100, true)?,
        })
    }

    /// What `figures::find` read in a claim's words, as a claimed figure to confirm.
    pub fn proposed(found: &crate::domain::figures::Figure) -> Self {
        Self {
            value: found.value.clone(),
            value_max: found.value_max.clone(),
            unit: found.unit.chars().take(40).collect(),
            measure: String::new(),
            place: None,
            period: None,
            as_stated: found.as_stated.chars().take(100).collect(),
        }
    }
}

impl CheckedFigure {
    /// The checked figure, validated (which source it names is [`Self::check_source`]).
    pub fn validated(self, prefix: &str) -> Result<Self, FieldError> {
        let (value, value_max) = range(prefix, &self.value, self.value_max.as_deref())?;
        Ok(Self {
            value,
            value_max,
            period: optional_line(&field(prefix, "period"), self.period.as_deref(), 100)?,
            source_id: self.source_id,
        })
    }

    /// The source it names, if any, is one of `sources` (the claim's own).
    pub fn check_source(&self, prefix: &str, sources: &[Uuid]) -> Result<(), FieldError> {
        match self.source_id {
            Some(id) if !sources.contains(&id) => Err(FieldError::new(
                field(prefix, "source_id"),
                "is not one of this claim's sources",
            )),
            _ => Ok(()),
        }
    }
}

/// The claimed figure a claim's words propose (the first figure in them), for the
/// editor to confirm or change.
pub fn propose(quote: &str) -> Option<ClaimFigure> {
    let found = crate::domain::figures::find(quote);
    Some(ClaimFigure {
        claimed: ClaimedFigure::proposed(found.first()?),
        checked: None,
    })
}

fn midpoint(value: &str, value_max: Option<&str>) -> Option<Decimal> {
    let low = parse(value)?;
    match value_max.and_then(parse) {
        Some(high) => Some((low + high) / Decimal::TWO),
        None => Some(low),
    }
}

/// Checked against claimed: the difference and the ratio of their midpoints.
pub fn compare(claimed: &ClaimedFigure, checked: &CheckedFigure) -> Option<Comparison> {
    let a = midpoint(&claimed.value, claimed.value_max.as_deref())?;
    let b = midpoint(&checked.value, checked.value_max.as_deref())?;
    let ratio = (!a.is_zero()).then(|| (b / a).round_dp(2).normalize().to_string());
    Some(Comparison {
        difference: (b - a).normalize().to_string(),
        ratio,
    })
}

/// Thousands grouped with commas: "250,000,000", "12.5".
fn grouped(value: &str) -> String {
    let (sign, unsigned) = match value.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", value),
    };
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}.{frac}")
    }
}

/// A large sum in words: 250000000 is "250 million".
fn scaled(value: &str) -> String {
    let Some(d) = parse(value) else {
        return value.to_string();
    };
    for (power, word) in [(12u32, "trillion"), (9, "billion"), (6, "million")] {
        let unit = Decimal::from(10u64.pow(power));
        if d.abs() >= unit {
            return format!(
                "{} {word}",
                grouped(&(d / unit).round_dp(2).normalize().to_string())
            );
        }
    }
    grouped(value)
}

/// How a value in `unit` reads: "57%", "€250 million", "120,000 troops".
pub fn display(value: &str, value_max: Option<&str>, unit: &str) -> String {
    let symbol = match unit {
        "EUR" => Some("€"),
        "USD" => Some("$"),
        "GBP" => Some("£"),
        "UAH" => Some("₴"),
        _ => None,
    };
    let both = |f: &dyn Fn(&str) -> String| match value_max {
        Some(max) => format!("{}–{}", f(value), f(max)),
        None => f(value),
    };
    if unit == "percent" {
        return format!("{}%", both(&|v| grouped(v)));
    }
    if let Some(symbol) = symbol {
        return format!("{symbol}{}", both(&|v| scaled(v)));
    }
    let currency_code = unit.len() == 3 && unit.bytes().all(|b| b.is_ascii_uppercase());
    if currency_code {
        return format!("{} {unit}", both(&|v| scaled(v)));
    }
    format!("{} {unit}", both(&|v| grouped(v)))
        .trim_end()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claimed(value: &str, value_max: Option<&str>, unit: &str) -> ClaimedFigure {
        ClaimedFigure {
            value: value.into(),
            value_max: value_max.map(Into::into),
            unit: unit.into(),
            measure: String::new(),
            place: None,
            period: None,
            as_stated: "as said".into(),
        }
    }

    fn checked(value: &str, value_max: Option<&str>) -> CheckedFigure {
        CheckedFigure {
            value: value.into(),
            value_max: value_max.map(Into::into),
            period: None,
            source_id: None,
        }
    }

    #[test]
    fn a_claim_with_a_number_proposes_its_figure() {
        let f = propose("Zelensky has a 4% approval rating").unwrap();
        assert_eq!(
            (f.claimed.value.as_str(), f.claimed.unit.as_str()),
            ("4", "percent")
        );
        assert_eq!(f.claimed.as_stated, "4%");
        assert!(f.checked.is_none());
        let troops = propose("Russia massed 100,000 to 150,000 troops").unwrap();
        assert_eq!(troops.claimed.value_max.as_deref(), Some("150000"));
        assert!(propose("Ukraine started the war").is_none());
    }

    #[test]
    fn decimals_are_plain_and_normalised() {
        assert_eq!(decimal("v", "4").unwrap(), "4");
        assert_eq!(decimal("v", "4.50").unwrap(), "4.5");
        assert_eq!(decimal("v", "-0.25").unwrap(), "-0.25");
        assert_eq!(decimal("v", "250000000").unwrap(), "250000000");
        for bad in [
            "",
            "4,5",
            "1e3",
            "4.",
            ".5",
            "12%",
            "1 000",
            "- 4",
            "1234567890123456789",
        ] {
            let e = decimal("figure.claimed.value", bad).unwrap_err();
            assert_eq!(e.field, "figure.claimed.value", "{bad}");
        }
    }

    #[test]
    fn a_range_runs_upwards() {
        let e = claimed("150000", Some("100000"), "troops")
            .validated("figure.claimed")
            .unwrap_err();
        assert_eq!(e.field, "figure.claimed.value_max");
        assert!(
            claimed("100000", Some("150000"), "troops")
                .validated("figure.claimed")
                .is_ok()
        );
        let blank_unit = claimed("4", None, " ")
            .validated("figure.claimed")
            .unwrap_err();
        assert_eq!(blank_unit.field, "figure.claimed.unit");
    }

    #[test]
    fn a_checked_figure_names_only_the_claims_sources() {
        let ours = Uuid::new_v4();
        let mut c = checked("57", None);
        c.source_id = Some(Uuid::new_v4());
        let e = c.check_source("figure.checked", &[ours]).unwrap_err();
        assert_eq!(e.field, "figure.checked.source_id");
        c.source_id = Some(ours);
        assert!(c.check_source("figure.checked", &[ours]).is_ok());
        c.source_id = None;
        assert!(c.check_source("", &[]).is_ok());
    }

    #[test]
    fn comparison_is_exact() {
        let c = compare(&claimed("4", None, "percent"), &checked("57", None)).unwrap();
        assert_eq!(
            (c.difference.as_str(), c.ratio.as_deref()),
            ("53", Some("14.25"))
        );
        // Midpoints of ranges: 125,000 claimed, 60,000 found.
        let c = compare(
            &claimed("100000", Some("150000"), "troops"),
            &checked("50000", Some("70000")),
        )
        .unwrap();
        assert_eq!(
            (c.difference.as_str(), c.ratio.as_deref()),
            ("-65000", Some("0.48"))
        );
        // No float rounding: 0.3 - 0.1 is 0.2.
        let c = compare(&claimed("0.1", None, "percent"), &checked("0.3", None)).unwrap();
        assert_eq!(
            (c.difference.as_str(), c.ratio.as_deref()),
            ("0.2", Some("3"))
        );
        let zero = compare(&claimed("0", None, "people"), &checked("12", None)).unwrap();
        assert_eq!(zero.ratio, None);
    }

    #[test]
    fn the_public_card_puts_claim_and_fact_side_by_side() {
        let mut checked = checked("57", None);
        checked.period = Some("February 2025".into());
        let mut claimed = claimed("4", None, "percent");
        claimed.as_stated = "4%".into();
        let figure = ClaimFigure {
            claimed: claimed.clone(),
            checked: Some(checked),
        }
        .summarise();
        assert_eq!(
            figure.public_line(Some("KIIS poll")),
            "Claimed: 4% · Actual: 57% (KIIS poll, February 2025)"
        );
        let unchecked = ClaimFigure {
            claimed,
            checked: None,
        }
        .summarise();
        assert_eq!(unchecked.public_line(None), "Claimed: 4%");
    }

    #[test]
    fn figures_read_as_people_write_them() {
        assert_eq!(display("57", None, "percent"), "57%");
        assert_eq!(display("30", Some("40"), "percent"), "30–40%");
        assert_eq!(display("250000000", None, "EUR"), "€250 million");
        assert_eq!(display("1200000000", None, "USD"), "$1.2 billion");
        assert_eq!(display("5000", None, "UAH"), "₴5,000");
        assert_eq!(display("3000000", None, "PLN"), "3 million PLN");
        assert_eq!(
            display("100000", Some("150000"), "troops"),
            "100,000–150,000 troops"
        );
        assert_eq!(display("12.5", None, ""), "12.5");
    }
}

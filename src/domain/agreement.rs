//! How far independent reviewers agree: percent agreement, Cohen's kappa for a pair of
//! reviewers, and Krippendorff's alpha for the desk (any number of reviewers per claim,
//! missing ratings allowed), nominal or ordinal. Pure arithmetic over ratings, checked
//! against the published worked examples in the tests.

use std::collections::{BTreeMap, BTreeSet};

/// How differences between two values count for alpha.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Any two different labels differ equally.
    Nominal,
    /// Ranks: the distance between two values grows with how many ratings lie between
    /// them (Krippendorff 2011, the ordinal metric).
    Ordinal,
}

/// The share of `pairs` whose two ratings are the same; none for no pairs.
pub fn percent_agreement<T: PartialEq>(pairs: &[(T, T)]) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let same = pairs.iter().filter(|(a, b)| a == b).count();
    Some(same as f64 / pairs.len() as f64)
}

/// Cohen's kappa of two raters over the same items: observed agreement beyond what
/// their own label frequencies would give by chance. None for no items, or when chance
/// agreement is already perfect (both always gave the one same label).
pub fn cohen_kappa<T: Ord + Clone>(pairs: &[(T, T)]) -> Option<f64> {
    let n = pairs.len() as f64;
    if pairs.is_empty() {
        return None;
    }
    let observed = pairs.iter().filter(|(a, b)| a == b).count() as f64 / n;
    let mut first: BTreeMap<T, f64> = BTreeMap::new();
    let mut second: BTreeMap<T, f64> = BTreeMap::new();
    for (a, b) in pairs {
        *first.entry(a.clone()).or_default() += 1.0;
        *second.entry(b.clone()).or_default() += 1.0;
    }
    let chance: f64 = first
        .iter()
        .map(|(label, count)| count / n * second.get(label).copied().unwrap_or(0.0) / n)
        .sum();
    if (1.0 - chance).abs() < f64::EPSILON {
        return None;
    }
    Some((observed - chance) / (1.0 - chance))
}

/// Krippendorff's alpha over `units` (claims), each the ratings its reviewers gave
/// (`None` where one gave none). Units with fewer than two ratings are not pairable and
/// are left out. Values are ranks for [`Metric::Ordinal`]. None when fewer than two
/// pairable values exist, or when every value is the same (no disagreement is possible).
pub fn krippendorff_alpha(units: &[Vec<Option<i64>>], metric: Metric) -> Option<f64> {
    // The coincidence matrix: o[c][k] sums, over units, the pairs (c, k) of values
    // from different coders, each weighted 1 / (m_u - 1).
    let mut o: BTreeMap<(i64, i64), f64> = BTreeMap::new();
    for unit in units {
        let values: Vec<i64> = unit.iter().flatten().copied().collect();
        let m = values.len();
        if m < 2 {
            continue;
        }
        for (i, &c) in values.iter().enumerate() {
            for (j, &k) in values.iter().enumerate() {
                if i != j {
                    *o.entry((c, k)).or_default() += 1.0 / (m as f64 - 1.0);
                }
            }
        }
    }
    let mut n_c: BTreeMap<i64, f64> = BTreeMap::new();
    for (&(c, _), &w) in &o {
        *n_c.entry(c).or_default() += w;
    }
    let n: f64 = n_c.values().sum();
    if n < 2.0 || n_c.len() < 2 {
        return None;
    }
    let values: Vec<i64> = n_c.keys().copied().collect();
    let delta = |c: i64, k: i64| -> f64 {
        match metric {
            Metric::Nominal => {
                if c == k {
                    0.0
                } else {
                    1.0
                }
            }
            Metric::Ordinal => {
                let (lo, hi) = if c <= k { (c, k) } else { (k, c) };
                let between: f64 = values
                    .iter()
                    .filter(|&&g| g >= lo && g <= hi)
                    .map(|g| n_c[g])
                    .sum();
                let d = between - (n_c[&lo] + n_c[&hi]) / 2.0;
                d * d
            }
        }
    };
    let observed: f64 = o.iter().map(|(&(c, k), &w)| w * delta(c, k)).sum();
    let mut expected = 0.0;
    for &c in &values {
        for &k in &values {
            expected += n_c[&c] * n_c[&k] * delta(c, k);
        }
    }
    if expected == 0.0 {
        return None;
    }
    Some(1.0 - (n - 1.0) * observed / expected)
}

/// Labels as the small integers alpha's nominal metric needs: each distinct label one
/// number, in sorted order.
pub fn label_codes<'a>(labels: impl IntoIterator<Item = &'a str>) -> BTreeMap<&'a str, i64> {
    let distinct: BTreeSet<&str> = labels.into_iter().collect();
    distinct.into_iter().zip(0..).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: Option<f64>, want: f64) {
        let got = got.expect("a value");
        assert!((got - want).abs() < 0.0005, "{got} is not {want}");
    }

    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
    /// four observers, twelve units, missing values; nominal 0.743, ordinal 0.815.
    fn krippendorff_2011() -> Vec<Vec<Option<i64>>> {
        let rows: [[Option<i64>; 12]; 4] = [
            [
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(2),
                Some(1),
                Some(4),
                Some(1),
                Some(2),
                None,
                None,
                None,
            ],
            [
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(2),
                Some(2),
                Some(4),
                Some(1),
                Some(2),
                Some(5),
                None,
                Some(3),
            ],
            [
                None,
                Some(3),
                Some(3),
                Some(3),
                Some(2),
                Some(3),
                Some(4),
                Some(2),
                Some(2),
                Some(5),
                Some(1),
                None,
            ],
            [
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(2),
                Some(4),
                Some(4),
                Some(1),
                Some(2),
                Some(5),
                Some(1),
                None,
            ],
        ];
        (0..12)
            .map(|u| rows.iter().map(|r| r[u]).collect())
            .collect()
    }

    #[test]
    fn alpha_matches_krippendorffs_worked_example() {
        close(
            krippendorff_alpha(&krippendorff_2011(), Metric::Nominal),
            0.743,
        );
        close(
            krippendorff_alpha(&krippendorff_2011(), Metric::Ordinal),
            0.815,
        );
    }

    #[test]
    fn alpha_of_perfect_agreement_is_one_and_of_nothing_is_none() {
        let units = vec![
            vec![Some(1), Some(1)],
            vec![Some(3), Some(3)],
            vec![Some(5), Some(5)],
        ];
        close(krippendorff_alpha(&units, Metric::Ordinal), 1.0);
        assert_eq!(
            krippendorff_alpha(&[vec![Some(1), None]], Metric::Nominal),
            None
        );
        assert_eq!(
            krippendorff_alpha(&[vec![Some(2), Some(2)]], Metric::Nominal),
            None
        );
    }

    /// Wikipedia's "Cohen's kappa" example: 50 proposals, both yes 20, A yes B no 5,
    /// A no B yes 10, both no 15: observed 0.7, chance 0.5, kappa 0.4.
    #[test]
    fn kappa_matches_the_textbook_example() {
        let mut pairs = Vec::new();
        pairs.extend(std::iter::repeat_n(("yes", "yes"), 20));
        pairs.extend(std::iter::repeat_n(("yes", "no"), 5));
        pairs.extend(std::iter::repeat_n(("no", "yes"), 10));
        pairs.extend(std::iter::repeat_n(("no", "no"), 15));
        close(cohen_kappa(&pairs), 0.4);
        close(percent_agreement(&pairs), 0.7);
        assert_eq!(cohen_kappa::<&str>(&[]), None);
        assert_eq!(cohen_kappa(&[("false", "false")]), None);
    }

    #[test]
    fn labels_get_stable_codes() {
        let codes = label_codes(["misleading", "false", "misleading"]);
        assert_eq!(codes["false"], 0);
        assert_eq!(codes["misleading"], 1);
    }
}

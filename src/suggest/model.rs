//! The check-worthiness model: a logistic regression over the features of
//! [`super::features`], its weights kept as integers (ten-thousandths) so that the file
//! written after training is exactly what is loaded.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use super::features::{Features, HASH_BITS, HASH_SIZE, Named, extract};

/// Weights are stored as integers: the weight times `SCALE`.
pub const SCALE: u32 = 10_000;

/// The file format's name, checked on load.
pub const FORMAT: &str = "factdesk-suggester/1";

/// Added to the log-odds of a clause cut out of a sentence: a clause is the claim itself,
/// without the sentence's framing, and is what an editor would rather create.
pub const CLAUSE_BOOST: f64 = 0.5;

/// How many reasons a score comes with at most.
pub const MAX_REASONS: usize = 3;

static EMBEDDED: LazyLock<Model> = LazyLock::new(|| {
    Model::from_json(include_str!("../../models/suggester.json"))
        .expect("models/suggester.json is a valid model")
});

/// What the model was trained on, recorded in the weights file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainedOn {
    pub debates: usize,
    pub sentences: usize,
    pub check_worthy: usize,
    /// SHA-256 over the training files' names and contents, in name order.
    pub sha256: String,
}

/// A score in 0..1 with the reasons that weighed most, in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub score: f64,
    pub reasons: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    trained_on: TrainedOn,
    bias: i32,
    named: [i32; Named::COUNT],
    /// Non-zero hashed weights, sorted by bucket.
    hashed: Vec<(u32, i32)>,
    /// `hashed` spread out for lookups.
    table: Vec<f32>,
}

#[derive(Serialize)]
struct Header<'a> {
    format: &'a str,
    hash_bits: u32,
    scale: u32,
    trained_on: &'a TrainedOn,
    bias: i32,
    named: BTreeMap<&'static str, i32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    hash_bits: u32,
    scale: u32,
    trained_on: TrainedOn,
    bias: i32,
    named: BTreeMap<String, i32>,
    hashed: Vec<(u32, i32)>,
}

fn quantize(w: f64) -> i32 {
    (w * f64::from(SCALE))
        .round()
        .clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32
}

fn unquantize(q: i32) -> f64 {
    f64::from(q) / f64::from(SCALE)
}

/// e^x from additions, multiplications and one division, the same to the last bit on
/// every platform (the system's `exp` need not be), so training is reproducible anywhere.
pub(crate) fn exp(x: f64) -> f64 {
    const LN2_HI: f64 = 6.931_471_803_691_238e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    let x = x.clamp(-700.0, 700.0);
    let k = (x / std::f64::consts::LN_2).round();
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // Taylor series of e^r for |r| <= ln(2)/2: the 14th term is below 1e-17.
    let mut sum = 1.0;
    let mut term = 1.0;
    for i in 1..=13 {
        term = term * r / f64::from(i);
        sum += term;
    }
    let bits = ((k as i64 + 1023) as u64) << 52;
    sum * f64::from_bits(bits)
}

pub(crate) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + exp(-z))
    } else {
        let e = exp(z);
        e / (1.0 + e)
    }
}

impl Model {
    /// The model compiled into the binary (`models/suggester.json`), parsed once.
    pub fn load_embedded() -> &'static Model {
        &EMBEDDED
    }

    /// A model from trained weights: `named` by [`Named::index`], `hashed` one per bucket.
    /// Hashed weights smaller than `min_weight` are dropped, and only the `max_hashed`
    /// largest are kept.
    pub(crate) fn from_weights(
        trained_on: TrainedOn,
        bias: f64,
        named: &[f64],
        hashed: &[f64],
        min_weight: f64,
        max_hashed: usize,
    ) -> Model {
        assert_eq!(named.len(), Named::COUNT);
        assert_eq!(hashed.len(), HASH_SIZE);
        let min_q = quantize(min_weight).max(1);
        let mut kept: Vec<(u32, i32)> = hashed
            .iter()
            .enumerate()
            .map(|(i, &w)| (i as u32, quantize(w)))
            .filter(|&(_, q)| q.unsigned_abs() >= min_q.unsigned_abs())
            .collect();
        if kept.len() > max_hashed {
            kept.sort_by(|a, b| {
                b.1.unsigned_abs()
                    .cmp(&a.1.unsigned_abs())
                    .then(a.0.cmp(&b.0))
            });
            kept.truncate(max_hashed);
            kept.sort_by_key(|&(i, _)| i);
        }
        Model::new(
            trained_on,
            quantize(bias),
            std::array::from_fn(|i| quantize(named[i])),
            kept,
        )
    }

    fn new(
        trained_on: TrainedOn,
        bias: i32,
        named: [i32; Named::COUNT],
        hashed: Vec<(u32, i32)>,
    ) -> Model {
        let mut table = vec![0.0f32; HASH_SIZE];
        for &(i, q) in &hashed {
            table[i as usize] = unquantize(q) as f32;
        }
        Model {
            trained_on,
            bias,
            named,
            hashed,
            table,
        }
    }

    /// Reads a weights file.
    pub fn from_json(json: &str) -> anyhow::Result<Model> {
        let file: File = serde_json::from_str(json).context("reading the suggester weights")?;
        if file.format != FORMAT {
            bail!("the weights file is {:?}, not {FORMAT:?}", file.format);
        }
        if file.hash_bits != HASH_BITS || file.scale != SCALE {
            bail!(
                "the weights file has {} hash bits and scale {}, this build expects {HASH_BITS} and {SCALE}",
                file.hash_bits,
                file.scale
            );
        }
        let mut named = [0; Named::COUNT];
        for (id, w) in &file.named {
            let feature = Named::from_id(id)
                .with_context(|| format!("the weights file names an unknown feature {id:?}"))?;
            named[feature.index()] = *w;
        }
        let mut last = None;
        for &(i, _) in &file.hashed {
            if i as usize >= HASH_SIZE || last.is_some_and(|l| l >= i) {
                bail!("hashed weights must be sorted buckets below {HASH_SIZE}, found {i}");
            }
            last = Some(i);
        }
        Ok(Model::new(file.trained_on, file.bias, named, file.hashed))
    }

    /// The weights file: JSON, the hashed weights as `[bucket, weight]` pairs, twelve to
    /// a line.
    pub fn to_json(&self) -> String {
        let header = Header {
            format: FORMAT,
            hash_bits: HASH_BITS,
            scale: SCALE,
            trained_on: &self.trained_on,
            bias: self.bias,
            named: Named::ALL
                .into_iter()
                .map(|n| (n.id(), self.named[n.index()]))
                .collect(),
        };
        let head = serde_json::to_string_pretty(&header).expect("a header serializes");
        let head = head.strip_suffix("\n}").expect("a JSON object ends with }");
        let mut out = String::with_capacity(head.len() + self.hashed.len() * 16);
        out.push_str(head);
        out.push_str(",\n  \"hashed\": [");
        for (k, (i, q)) in self.hashed.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            out.push_str(if k % 12 == 0 { "\n    " } else { " " });
            out.push_str(&format!("[{i},{q}]"));
        }
        out.push_str("\n  ]\n}\n");
        out
    }

    pub fn trained_on(&self) -> &TrainedOn {
        &self.trained_on
    }

    /// How many hashed weights are not zero.
    pub fn hashed_weights(&self) -> usize {
        self.hashed.len()
    }

    /// The weight of a named feature.
    pub fn named_weight(&self, feature: Named) -> f64 {
        unquantize(self.named[feature.index()])
    }

    /// The log-odds of check-worthiness.
    pub(crate) fn logit(&self, hashed: &[(u32, f32)], named: &[f32; Named::COUNT]) -> f64 {
        let mut z = unquantize(self.bias);
        for (k, &x) in named.iter().enumerate() {
            if x != 0.0 {
                z += unquantize(self.named[k]) * f64::from(x);
            }
        }
        for &(i, v) in hashed {
            z += f64::from(self.table[i as usize]) * f64::from(v);
        }
        z
    }

    /// How check-worthy a sentence is, with the reasons.
    pub fn score(&self, sentence: &str) -> Scored {
        self.score_sentence(sentence).1
    }

    /// The sentence's log-odds, and its score.
    pub(crate) fn score_sentence(&self, sentence: &str) -> (f64, Scored) {
        let f = extract(sentence, None);
        let z = self.logit(&f.hashed, &f.named);
        (z, self.explain(&f, z))
    }

    /// How check-worthy a clause cut out of `sentence` is; `cue` is what attributed it
    /// there ("claimed that").
    ///
    /// The clause is judged in its context: its log-odds are the mean of its own and its
    /// sentence's (the words around a claim say much of how worth checking it is, and a
    /// clause alone has few words), plus [`CLAUSE_BOOST`]. The reasons are the clause's.
    pub fn score_clause(&self, clause: &str, cue: &str, sentence: &str) -> Scored {
        let (sentence_logit, _) = self.score_sentence(sentence);
        self.score_clause_in(clause, cue, sentence_logit)
    }

    /// [`Model::score_clause`] with the sentence's log-odds already known.
    pub(crate) fn score_clause_in(&self, clause: &str, cue: &str, sentence_logit: f64) -> Scored {
        let f = extract(clause, Some(cue));
        let own = self.logit(&f.hashed, &f.named);
        self.explain(&f, (own + sentence_logit) / 2.0 + CLAUSE_BOOST)
    }

    /// The score for log-odds `z`, with the named features of `f` that weighed most.
    fn explain(&self, f: &Features, z: f64) -> Scored {
        let score = sigmoid(z);
        let mut contributions: Vec<(i64, Named)> = Named::ALL
            .into_iter()
            .filter(|&n| f.has(n))
            .map(|n| (i64::from(self.named[n.index()]), n))
            .collect();
        // A number that is also a percentage, money, a year or a large quantity is told
        // as that, with both weights: "a percentage ('4%')" rather than "a number ('4%')".
        let number = f.found[Named::Number.index()].as_deref();
        if let Some(k) = contributions.iter().position(|&(_, n)| {
            matches!(
                n,
                Named::Percentage | Named::Money | Named::Year | Named::LargeQuantity
            ) && number.is_some()
                && f.found[n.index()].as_deref() == number
        }) && let Some(i) = contributions.iter().position(|&(_, n)| n == Named::Number)
        {
            contributions[k].0 += contributions[i].0;
            contributions.remove(i);
        }
        contributions.retain(|&(c, _)| c > 0);
        contributions.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let reasons = contributions
            .into_iter()
            .take(MAX_REASONS)
            .map(|(_, n)| f.reason(n))
            .collect();
        Scored { score, reasons }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_is_accurate() {
        for x in [-30.0, -5.5, -1.0, -1e-9, 0.0, 0.3, 1.0, 2.5, 10.0, 40.0] {
            let (ours, std) = (exp(x), f64::exp(x));
            assert!(((ours - std) / std).abs() < 1e-14, "{x}: {ours} vs {std}");
        }
        assert_eq!(sigmoid(0.0), 0.5);
        assert!(sigmoid(-800.0) >= 0.0 && sigmoid(800.0) <= 1.0);
    }

    #[test]
    fn the_embedded_model_loads_and_round_trips() {
        let model = Model::load_embedded();
        let again = Model::from_json(&model.to_json()).unwrap();
        assert_eq!(&again, model);
        assert_eq!(again.to_json(), model.to_json());
    }

    #[test]
    fn weights_are_quantized_pruned_and_capped() {
        let mut hashed = vec![0.0; HASH_SIZE];
        hashed[7] = 0.5;
        hashed[3] = -0.25;
        hashed[9] = 0.00001; // below the minimum
        hashed[11] = 0.125;
        let named: Vec<f64> = (0..Named::COUNT).map(|i| i as f64 / 100.0).collect();
        let model = Model::from_weights(TrainedOn::default(), -1.5, &named, &hashed, 1e-3, 2);
        assert_eq!(model.hashed, [(3, -2500), (7, 5000)]);
        assert_eq!(model.bias, -15000);
        assert_eq!(model.named_weight(Named::Percentage), 0.01);
        let json = model.to_json();
        assert!(
            json.contains("\"hashed\": [\n    [3,-2500], [7,5000]\n  ]"),
            "{json}"
        );
        assert_eq!(Model::from_json(&json).unwrap(), model);
    }

    #[test]
    fn bad_files_are_refused() {
        assert!(Model::from_json("{}").is_err());
        let model = Model::from_weights(
            TrainedOn::default(),
            0.0,
            &[0.0; Named::COUNT],
            &vec![0.0; HASH_SIZE],
            1e-3,
            10,
        );
        let json = model.to_json().replace("\"number\"", "\"numbr\"");
        assert!(Model::from_json(&json).is_err());
        let json = model.to_json().replace(FORMAT, "other/1");
        assert!(Model::from_json(&json).is_err());
    }
}

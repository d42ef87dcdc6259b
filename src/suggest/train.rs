//! Training on the CLEF-2019 CheckThat! task 1 debates, validation by MAP, the weights
//! file, and the lab's line scorer.
//!
//! The optimiser is FTRL-proximal (per-coordinate learning rates, L1 and L2
//! regularisation) over the examples in an order shuffled by a fixed-seed generator,
//! single-threaded, with the platform-independent `exp` of [`super::model`]: the same
//! folder gives the same weights file, byte for byte.

use std::fmt;
use std::fs;
use std::io::{BufRead, BufWriter, Write};
use std::path::Path;

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

use super::features::{HASH_SIZE, Named, extract};
use super::model::{Model, TrainedOn, sigmoid};
use super::tokens::tokenize;

/// Debates kept out of training for validation: the last ones by file name.
pub const HELD_OUT: usize = 4;

/// The optimiser's settings.
#[derive(Clone, Copy, Debug)]
struct Params {
    epochs: usize,
    alpha: f64,
    beta: f64,
    l1: f64,
    l2: f64,
    /// Positives weigh (negatives / positives) to this power.
    balance: f64,
}

/// Chosen by five-fold cross-validation over the training debates (never the held-out
/// ones): MAP hardly moved between settings (0.16 to 0.18); this one keeps the file small.
const PARAMS: Params = Params {
    epochs: 8,
    alpha: 0.05,
    beta: 1.0,
    l1: 5.0,
    l2: 1.0,
    balance: 1.0,
};
const SEED: u64 = 0x5eed_c1ef_2019;
/// Hashed weights below this are dropped from the file, and at most this many are kept.
const MIN_WEIGHT: f64 = 0.002;
const MAX_HASHED: usize = 16_384;

/// Average precision on one held-out debate.
#[derive(Clone, Debug, PartialEq)]
pub struct DebateAp {
    pub debate: String,
    pub sentences: usize,
    pub check_worthy: usize,
    pub model: f64,
    pub baseline: f64,
}

/// What training measured.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainReport {
    /// Debates the validation model was trained on.
    pub trained_on: Vec<String>,
    /// The held-out debates, by file name.
    pub held_out: Vec<DebateAp>,
    /// Mean over the held-out debates of the model's average precision.
    pub model_map: f64,
    /// The same for the baseline: longer sentences first.
    pub baseline_map: f64,
    /// All debates, sentences and check-worthy sentences (the final model's data).
    pub debates: usize,
    pub sentences: usize,
    pub check_worthy: usize,
    /// Non-zero hashed weights of the final model.
    pub hashed_weights: usize,
}

impl fmt::Display for TrainReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Check-worthiness model: logistic regression (FTRL-proximal, {} epochs) over \
             hashed word 1-2-grams, character 3-4-grams and {} named features.",
            PARAMS.epochs,
            Named::COUNT
        )?;
        writeln!(
            f,
            "Data: {} debates, {} sentences, {} check-worthy.",
            self.debates, self.sentences, self.check_worthy
        )?;
        writeln!(
            f,
            "Validation: trained on the first {} debates by file name, ranked the sentences \
             of the last {}:",
            self.trained_on.len(),
            self.held_out.len()
        )?;
        writeln!(
            f,
            "  {:<28} {:>9} {:>12} {:>9} {:>9}",
            "debate", "sentences", "check-worthy", "AP model", "AP length"
        )?;
        for d in &self.held_out {
            writeln!(
                f,
                "  {:<28} {:>9} {:>12} {:>9.4} {:>9.4}",
                d.debate, d.sentences, d.check_worthy, d.model, d.baseline
            )?;
        }
        writeln!(
            f,
            "  {:<28} {:>9} {:>12} {:>9.4} {:>9.4}",
            "MAP", "", "", self.model_map, self.baseline_map
        )?;
        write!(
            f,
            "Final model: trained on all {} debates, {} non-zero hashed weights.",
            self.debates, self.hashed_weights
        )
    }
}

struct Debate {
    name: String,
    sentences: Vec<Example>,
}

struct Example {
    hashed: Vec<(u32, f32)>,
    named: [f32; Named::COUNT],
    words: usize,
    check_worthy: bool,
}

/// Reads the `*.tsv` debates of `dir` in file-name order (`line_number speaker text
/// label`), and hashes them.
fn read_debates(dir: &Path) -> anyhow::Result<(Vec<Debate>, String)> {
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "tsv") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    let mut digest = Sha256::new();
    let mut debates = Vec::new();
    for path in paths {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let content =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        digest.update(name.as_bytes());
        digest.update([0]);
        digest.update(content.as_bytes());
        digest.update([0]);
        let mut sentences = Vec::new();
        for (i, line) in content.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() < 4 {
                bail!(
                    "{}:{}: expected line_number, speaker, text and label separated by tabs",
                    path.display(),
                    i + 1
                );
            }
            let check_worthy = match fields[fields.len() - 1].trim() {
                "0" => false,
                "1" => true,
                other => bail!(
                    "{}:{}: the label must be 0 or 1, not {other:?}",
                    path.display(),
                    i + 1
                ),
            };
            let text = fields[2..fields.len() - 1].join("\t");
            let f = extract(&text, None);
            sentences.push(Example {
                hashed: f.hashed,
                named: f.named,
                words: tokenize(&text).len(),
                check_worthy,
            });
        }
        debates.push(Debate { name, sentences });
    }
    if debates.len() <= HELD_OUT {
        bail!(
            "{} holds {} debates (*.tsv); training needs more than {HELD_OUT}, the last \
             {HELD_OUT} by name being kept for validation",
            dir.display(),
            debates.len()
        );
    }
    let sha = digest
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((debates, sha))
}

/// SplitMix64: a small generator whose sequence is fixed by its seed.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Coordinates: the hashed buckets, then the named features, then the bias.
const DIM: usize = HASH_SIZE + Named::COUNT + 1;
const BIAS: usize = DIM - 1;

struct Ftrl {
    p: Params,
    z: Vec<f64>,
    n: Vec<f64>,
}

impl Ftrl {
    fn weight(&self, i: usize) -> f64 {
        let l1 = if i < HASH_SIZE { self.p.l1 } else { 0.0 };
        let z = self.z[i];
        if z.abs() <= l1 {
            return 0.0;
        }
        -(z - z.signum() * l1) / ((self.p.beta + self.n[i].sqrt()) / self.p.alpha + self.p.l2)
    }

    fn update(&mut self, i: usize, g: f64, w: f64) {
        let n = self.n[i];
        let sigma = ((n + g * g).sqrt() - n.sqrt()) / self.p.alpha;
        self.z[i] += g - sigma * w;
        self.n[i] = n + g * g;
    }
}

fn fit(examples: &[&Example], trained_on: TrainedOn, p: Params) -> Model {
    let positives = examples.iter().filter(|e| e.check_worthy).count();
    let negatives = examples.len() - positives;
    // Check-worthy sentences are rare (under 3%): each counts as much as all the others
    // together would, one for one.
    let positive_weight = if positives > 0 {
        (negatives as f64 / positives as f64)
            .max(1.0)
            .powf(p.balance)
    } else {
        1.0
    };
    let mut ftrl = Ftrl {
        p,
        z: vec![0.0; DIM],
        n: vec![0.0; DIM],
    };
    let mut rng = SplitMix64(SEED);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut active: Vec<(usize, f64, f64)> = Vec::new(); // (coordinate, value, weight)
    for _ in 0..p.epochs {
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        for &k in &order {
            let e = examples[k];
            active.clear();
            active.extend(
                e.hashed
                    .iter()
                    .map(|&(i, v)| (i as usize, f64::from(v), 0.0)),
            );
            active.extend(
                e.named
                    .iter()
                    .enumerate()
                    .filter(|&(_, &v)| v != 0.0)
                    .map(|(j, &v)| (HASH_SIZE + j, f64::from(v), 0.0)),
            );
            active.push((BIAS, 1.0, 0.0));
            let mut z = 0.0;
            for a in active.iter_mut() {
                a.2 = ftrl.weight(a.0);
                z += a.2 * a.1;
            }
            let p = sigmoid(z);
            let (y, weight) = if e.check_worthy {
                (1.0, positive_weight)
            } else {
                (0.0, 1.0)
            };
            let g = (p - y) * weight;
            for &(i, v, w) in &active {
                ftrl.update(i, g * v, w);
            }
        }
    }
    let weights: Vec<f64> = (0..DIM).map(|i| ftrl.weight(i)).collect();
    Model::from_weights(
        trained_on,
        weights[BIAS],
        &weights[HASH_SIZE..BIAS],
        &weights[..HASH_SIZE],
        MIN_WEIGHT,
        MAX_HASHED,
    )
}

/// Average precision of ranking by `scores` (ties in input order), or `None` without
/// anything relevant.
pub fn average_precision(scores: &[f64], relevant: &[bool]) -> Option<f64> {
    let total = relevant.iter().filter(|&&r| r).count();
    if total == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let mut hits = 0;
    let mut sum = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        if relevant[i] {
            hits += 1;
            sum += f64::from(hits) / (rank + 1) as f64;
        }
    }
    Some(sum / total as f64)
}

/// Trains on the debates of `data_dir` (the CLEF-2019 CheckThat! task 1 `training`
/// folder): first without the last [`HELD_OUT`] debates by file name, to measure MAP on
/// them against the sentence-length baseline, then on all of them for the model returned.
pub fn train(data_dir: &Path) -> anyhow::Result<(Model, TrainReport)> {
    let (debates, sha256) = read_debates(data_dir)?;
    let split = debates.len() - HELD_OUT;
    let (training, held_out) = debates.split_at(split);
    let trained_on = |debates: &[Debate]| TrainedOn {
        debates: debates.len(),
        sentences: debates.iter().map(|d| d.sentences.len()).sum(),
        check_worthy: debates
            .iter()
            .map(|d| d.sentences.iter().filter(|e| e.check_worthy).count())
            .sum(),
        sha256: sha256.clone(),
    };
    let examples: Vec<&Example> = training.iter().flat_map(|d| &d.sentences).collect();
    let validation = fit(&examples, trained_on(training), PARAMS);
    let mut per_debate = Vec::new();
    for debate in held_out {
        let relevant: Vec<bool> = debate.sentences.iter().map(|e| e.check_worthy).collect();
        let scores: Vec<f64> = debate
            .sentences
            .iter()
            .map(|e| validation.logit(&e.hashed, &e.named))
            .collect();
        let lengths: Vec<f64> = debate.sentences.iter().map(|e| e.words as f64).collect();
        let (Some(model), Some(baseline)) = (
            average_precision(&scores, &relevant),
            average_precision(&lengths, &relevant),
        ) else {
            bail!(
                "the held-out debate {} has no check-worthy sentence to rank",
                debate.name
            );
        };
        per_debate.push(DebateAp {
            debate: debate.name.clone(),
            sentences: debate.sentences.len(),
            check_worthy: relevant.iter().filter(|&&r| r).count(),
            model,
            baseline,
        });
    }
    let mean =
        |f: fn(&DebateAp) -> f64| per_debate.iter().map(f).sum::<f64>() / per_debate.len() as f64;
    let (model_map, baseline_map) = (mean(|d| d.model), mean(|d| d.baseline));

    let all: Vec<&Example> = debates.iter().flat_map(|d| &d.sentences).collect();
    let info = trained_on(&debates);
    let model = fit(&all, info.clone(), PARAMS);
    let report = TrainReport {
        trained_on: training.iter().map(|d| d.name.clone()).collect(),
        held_out: per_debate,
        model_map,
        baseline_map,
        debates: info.debates,
        sentences: info.sentences,
        check_worthy: info.check_worthy,
        hashed_weights: model.hashed_weights(),
    };
    Ok((model, report))
}

/// Writes the weights file.
pub fn save(model: &Model, path: &Path) -> anyhow::Result<()> {
    fs::write(path, model.to_json()).with_context(|| format!("writing {}", path.display()))
}

/// The lab's result format: `line_number<TAB>score` for every line of `input`, numbered
/// from 1, each line scored as one sentence.
pub fn score_lines(model: &Model, input: impl BufRead, output: impl Write) -> std::io::Result<()> {
    let mut output = BufWriter::new(output);
    for (i, line) in input.lines().enumerate() {
        let line = line?;
        let score = model.score(line.trim_end_matches('\r')).score;
        writeln!(output, "{}\t{score:.6}", i + 1)?;
    }
    output.flush()
}

/// `factdesk train-suggester --data DIR --out FILE`: trains, writes the weights, and
/// returns the report.
pub fn train_command(data: &Path, out: &Path) -> anyhow::Result<String> {
    let (model, report) = train(data)?;
    save(&model, out)?;
    let bytes = fs::metadata(out)
        .with_context(|| format!("reading {}", out.display()))?
        .len();
    Ok(format!(
        "{report}\nWrote {} ({bytes} bytes).",
        out.display()
    ))
}

/// `factdesk suggest --lines`: scores standard input, one sentence a line, with the
/// embedded model.
pub fn suggest_lines_command() -> anyhow::Result<()> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    score_lines(Model::load_embedded(), stdin.lock(), stdout.lock())
        .context("scoring standard input")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECK_WORTHY: &[&str] = &[
        "Unemployment rose to 9.5 percent in 2009, the highest in 26 years.",
        "We lost 800,000 jobs in the month before he took office.",
        "She voted for the war in Iraq in 2002.",
        "Taxes went up by $2.1 trillion under this administration.",
        "Crime in our cities is up 17% since last year.",
        "He said that the wall would cost $25 billion, more than the whole budget.",
    ];

    /// Longer than the check-worthy ones, so that length is a poor guide here.
    const OTHER: &[&str] = &[
        "Thank you very much, and thank you to everyone who came out here tonight to listen.",
        "Good evening and welcome to the debate, we are so glad to have all of you with us.",
        "I think we need to come together as a country and listen to each other much more.",
        "Let me answer that question, because I think it is a really important one for people.",
        "What would you do about it if you were standing here on this stage tonight, sir?",
        "We are going to make this great again, believe me, it is going to be beautiful.",
        "Please, let him finish his answer, and then you will have your time to respond to it.",
        "I want to thank everyone for being here tonight and for caring about the future.",
        "That is a good point, and I am glad that you raised it with us here this evening.",
        "You know, people are tired of the same old talk from the same old people in Washington.",
    ];

    /// Six small debates, each with two check-worthy sentences.
    fn synthetic_folder() -> tempdir::TempDir {
        let dir = tempdir::TempDir::new();
        for d in 0..6 {
            let mut tsv = String::new();
            for i in 0..12 {
                let text = if i % 6 == 2 {
                    CHECK_WORTHY[(d + i) % CHECK_WORTHY.len()]
                } else {
                    OTHER[(d * 3 + i) % OTHER.len()]
                };
                let label = u8::from(i % 6 == 2);
                tsv.push_str(&format!("{}\tSPEAKER\t{text}\t{label}\n", i + 1));
            }
            fs::write(dir.path().join(format!("2016010{d}_debate.tsv")), tsv).unwrap();
        }
        fs::write(dir.path().join("README.md"), "not a debate").unwrap();
        dir
    }

    /// A folder under the system's temporary directory, removed when dropped.
    mod tempdir {
        use std::path::{Path, PathBuf};
        use std::sync::atomic::{AtomicUsize, Ordering};

        pub struct TempDir(PathBuf);

        impl TempDir {
            pub fn new() -> TempDir {
                static NEXT: AtomicUsize = AtomicUsize::new(0);
                let path = std::env::temp_dir().join(format!(
                    "factdesk-suggest-{}-{}",
                    std::process::id(),
                    NEXT.fetch_add(1, Ordering::SeqCst)
                ));
                std::fs::create_dir_all(&path).unwrap();
                TempDir(path)
            }

            pub fn path(&self) -> &Path {
                &self.0
            }
        }

        impl Drop for TempDir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    #[test]
    fn trains_deterministically_on_a_small_folder() {
        let dir = synthetic_folder();
        let out_a = dir.path().join("a.json");
        let out_b = dir.path().join("b.json");
        let report = train_command(dir.path(), &out_a).unwrap();
        train_command(dir.path(), &out_b).unwrap();
        let (a, b) = (fs::read(&out_a).unwrap(), fs::read(&out_b).unwrap());
        assert_eq!(a, b, "the same folder gives the same weights file");

        let model = Model::from_json(std::str::from_utf8(&a).unwrap()).unwrap();
        assert_eq!(model.trained_on().debates, 6);
        assert_eq!(model.trained_on().sentences, 72);
        assert_eq!(model.trained_on().check_worthy, 12);
        assert!(model.hashed_weights() > 0);
        assert!(report.contains("MAP"), "{report}");
        assert!(report.contains("20160105_debate"), "{report}");

        let (_, report) = train(dir.path()).unwrap();
        assert_eq!(report.trained_on.len(), 2);
        assert_eq!(report.held_out.len(), HELD_OUT);
        assert!(
            report
                .held_out
                .iter()
                .all(|d| (0.0..=1.0).contains(&d.model))
        );
        // Numbers and statistics are easy to tell from thanks and procedure here.
        assert!(report.model_map > report.baseline_map, "{report}");
        let worthy = model
            .score("Unemployment rose to 7.5 percent in 2012.")
            .score;
        let not = model.score("Thank you, and good evening.").score;
        assert!(worthy > not, "{worthy} > {not}");
    }

    #[test]
    fn refuses_folders_without_enough_debates_or_with_bad_labels() {
        let dir = tempdir::TempDir::new();
        fs::write(dir.path().join("a.tsv"), "1\tX\tHello.\t0\n").unwrap();
        let err = train(dir.path()).unwrap_err().to_string();
        assert!(err.contains("holds 1 debates"), "{err}");
        fs::write(dir.path().join("b.tsv"), "1\tX\tHello.\tyes\n").unwrap();
        let err = train(dir.path()).unwrap_err().to_string();
        assert!(err.contains("b.tsv:1: the label must be 0 or 1"), "{err}");
    }

    #[test]
    fn average_precision_matches_hand_computation() {
        // Ranked: r, n, r, n → (1/1 + 2/3) / 2.
        let ap = average_precision(&[0.9, 0.8, 0.7, 0.1], &[true, false, true, false]).unwrap();
        assert!((ap - (1.0 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
        // Ties keep the input order.
        let ap = average_precision(&[1.0, 1.0], &[false, true]).unwrap();
        assert!((ap - 0.5).abs() < 1e-12);
        assert_eq!(average_precision(&[1.0], &[false]), None);
    }

    #[test]
    fn scores_lines_in_the_lab_format() {
        let model = Model::load_embedded();
        let mut out = Vec::new();
        score_lines(
            model,
            "Zelensky has a 4% approval rating.\r\n\nThank you.\n".as_bytes(),
            &mut out,
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        for (i, line) in lines.iter().enumerate() {
            let (number, score) = line.split_once('\t').unwrap();
            assert_eq!(number, (i + 1).to_string());
            let score: f64 = score.parse().unwrap();
            assert!((0.0..=1.0).contains(&score));
        }
    }
}

//! The layers' direction, checked on the source: `http`, `cli` and `jobs` → `app` →
//! `db` → `domain`, with the services (`email`, `publish`, `reports`, `suggest`,
//! `outbound`) between `app` and `db`. One crate rather than a workspace, because the diesel
//! mappings of the domain's enums (`db::enums`) must live in the crate that defines the
//! enums (the orphan rule) while the domain itself stays free of diesel; a test over
//! the files is what keeps the direction. A name in a comment does not count.

use std::path::{Path, PathBuf};

/// What code under each folder of `src/` must never name.
const RULES: &[(&str, &[&str])] = &[
    (
        "domain",
        &[
            "actix",
            "diesel",
            "tokio",
            "reqwest",
            "lettre",
            "std::fs",
            "std::net",
            "crate::db",
            "crate::app",
            "crate::http",
            "crate::startup",
            "crate::cli",
            "crate::jobs",
            "crate::email",
            "crate::publish",
            "crate::reports",
            "crate::suggest",
            "crate::config",
            "crate::metrics",
        ],
    ),
    (
        "db",
        &[
            "actix",
            "crate::app",
            "crate::http",
            "crate::startup",
            "crate::cli",
            "crate::jobs",
            "crate::email",
            "crate::publish",
            "crate::reports",
        ],
    ),
    (
        "app",
        &[
            "actix",
            "crate::http",
            "crate::startup",
            "crate::cli",
            "crate::jobs",
        ],
    ),
    (
        "email",
        &[
            "actix",
            "crate::app",
            "crate::http",
            "crate::startup",
            "crate::cli",
            "crate::jobs",
        ],
    ),
    (
        "publish",
        &[
            "actix",
            "crate::app",
            "crate::http",
            "crate::startup",
            "crate::cli",
            "crate::jobs",
        ],
    ),
    (
        "reports",
        &[
            "actix",
            "crate::app",
            "crate::http",
            "crate::startup",
            "crate::cli",
            "crate::jobs",
        ],
    ),
    (
        "suggest",
        &[
            "actix",
            "crate::app",
            "crate::http",
            "crate::startup",
            "crate::cli",
            "crate::jobs",
        ],
    ),
    (
        "outbound",
        &[
            "actix",
            "diesel",
            "crate::db",
            "crate::app",
            "crate::http",
            "crate::startup",
            "crate::cli",
            "crate::jobs",
        ],
    ),
    (
        "jobs",
        &["actix", "crate::http", "crate::startup", "crate::cli"],
    ),
    ("cli", &["crate::http"]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each line of code with its number, comments left out.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let code = line.split("//").next().unwrap_or("").trim();
        (!code.is_empty()).then_some((i + 1, code))
    })
}

/// `needle` at the start of a name (`actix` matches `actix_web`, not `transactions`);
/// a `crate::` path only as a whole segment (`crate::db` does not match `crate::dbx`).
fn names(code: &str, needle: &str) -> bool {
    code.match_indices(needle).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + needle.len()..].chars().next();
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        let whole_segment = !needle.starts_with("crate::") || !after.is_some_and(ident);
        !before.is_some_and(ident) && whole_segment
    })
}

fn violations() -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for (layer, forbidden) in RULES {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        assert!(!files.is_empty(), "src/{layer} has no files");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (line, code) in code_lines(&text) {
                for needle in *forbidden {
                    if names(code, needle) {
                        found.push(format!(
                            "{}:{line}: `{layer}` must not use `{needle}`: {code}",
                            file.strip_prefix(&src).unwrap().display()
                        ));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn every_layer_uses_only_the_layers_below_it() {
    let found = violations();
    assert!(
        found.is_empty(),
        "imports against the layers:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_a_wrong_import() {
    assert!(names("use actix_web::HttpResponse;", "actix"));
    assert!(names(
        "let x = crate::http::error::problem();",
        "crate::http"
    ));
    assert!(names("use diesel::prelude::*;", "diesel"));
    assert!(!names("conn.transaction(async |c| {})", "actix"));
    assert!(!names("use crate::dbx::thing;", "crate::db"));
    let lines: Vec<_> = code_lines("// use actix_web;\nlet a = 1; // diesel\n").collect();
    assert_eq!(lines, vec![(2, "let a = 1;")]);
}

//! Templates as files: `templates/email/<kind>/{subject.txt, body.txt, body.html}`,
//! compiled into the binary. HTML bodies escape everything a user typed.

use std::sync::LazyLock;

use minijinja::Environment;
use rust_embed::RustEmbed;
use serde::Serialize;

#[derive(RustEmbed)]
#[folder = "templates/email"]
struct Files;

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_loader(|name| {
        Ok(Files::get(name).map(|f| String::from_utf8_lossy(&f.data).into_owned()))
    });
    // HTML-escape in .html templates only (minijinja's default callback).
    env.set_auto_escape_callback(minijinja::default_auto_escape_callback);
    env.set_keep_trailing_newline(true);
    env.add_filter("truncate", truncate);
    env
});

/// `{{ text | truncate(60) }}`: at most that many characters, ending in "…" if cut.
/// The cut falls between words, unless that would leave less than half the text (one
/// very long word), so a subject never ends in half a word.
fn truncate(value: String, max: Option<usize>) -> String {
    let max = max.unwrap_or(80);
    if value.chars().count() <= max {
        return value;
    }
    let cut: String = value.chars().take(max.saturating_sub(1)).collect();
    let next_starts_word = value
        .chars()
        .nth(cut.chars().count())
        .is_some_and(char::is_whitespace);
    let kept = match cut.rfind(char::is_whitespace) {
        _ if next_starts_word => cut.as_str(),
        Some(at) if cut[..at].chars().count() * 2 >= max => &cut[..at],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        kept.trim_end_matches(|c: char| c.is_whitespace() || ",;:".contains(c))
    )
}

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub fn render(kind: &str, context: impl Serialize) -> anyhow::Result<Rendered> {
    let ctx = minijinja::Value::from_serialize(&context);
    let part = |file: &str| -> anyhow::Result<String> {
        Ok(ENV.get_template(&format!("{kind}/{file}"))?.render(&ctx)?)
    };
    Ok(Rendered {
        subject: part("subject.txt")?.trim().replace(['\r', '\n'], " "),
        text: part("body.txt")?,
        html: part("body.html")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_reply_to_a_reader_quotes_both_and_escapes_in_html() {
        let r = render(
            "reader_reply",
            json!({"newsroom": "Desk", "editor": "Erin", "headline": "Fact check: <b>x</b>",
                   "their_message": "You are wrong", "body": "We fixed it", "link": "https://f.example/p/x"}),
        )
        .unwrap();
        assert!(r.subject.starts_with("Your report about"));
        assert!(r.text.contains("We fixed it") && r.text.contains("You are wrong"));
        assert!(r.html.contains("&lt;b&gt;x"), "{}", r.html);
    }

    #[test]
    fn truncate_cuts_between_words() {
        let t = |s: &str, n| truncate(s.to_string(), Some(n));
        assert_eq!(
            t("Zelensky has a 4% approval rating", 80),
            "Zelensky has a 4% approval rating"
        );
        assert_eq!(
            t("Zelensky has a 4% approval rating", 20),
            "Zelensky has a 4%…"
        );
        assert_eq!(
            t("Зеленський має 4% рейтингу, кажуть усі", 28),
            "Зеленський має 4% рейтингу…"
        );
        // One long word is cut inside it rather than left nearly empty.
        assert_eq!(t("Supercalifragilisticexpialidocious", 10), "Supercali…");
        assert!(t("a b c d e f g h i j k l m n o p", 12).chars().count() <= 12);
    }

    #[test]
    fn html_escapes_user_text_and_text_does_not() {
        let r = render(
            "invitation",
            json!({"display_name": "<script>x</script>", "newsroom": "N", "invited_by": "A", "role": "editor",
                   "link": "https://f.example/accept-invite#token=abc", "expires": "1 Jan"}),
        )
        .unwrap();
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(!r.html.contains("<script>"));
        assert!(r.text.contains("<script>x</script>"));
        assert!(r.text.contains("https://f.example/accept-invite#token=abc"));
        assert!(!r.subject.contains('\n'));
    }
}

//! Reviewers write explanations in Markdown; the public sees sanitised HTML.

use pulldown_cmark::{Options, Parser, html};

/// Markdown to HTML with everything unsafe removed (scripts, event handlers, styles,
/// `javascript:` links); links get `rel="noopener noreferrer nofollow"`.
pub fn to_safe_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into())
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn keeps_formatting_and_removes_scripts() {
        let html = to_safe_html(
            "**KIIS** found [57%](https://kiis.com.ua). <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))",
        );
        assert!(html.contains("<strong>KIIS</strong>"));
        assert!(html.contains("href=\"https://kiis.com.ua\""));
        assert!(
            !html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"),
            "{html}"
        );
    }
}

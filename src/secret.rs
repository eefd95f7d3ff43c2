//! Secrets are a type, not a convention.
//!
//! A value read for a secret flag is held as [`Secret`]: it has no `Display`, its `Debug` is
//! redacted, and the only way to the characters is the explicit [`Secret::expose`].

use crate::source::Span;
use std::fmt;

/// A token, password, private key or webhook secret.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret's characters. Call it only to check or send the value, never to print it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret([REDACTED; {} bytes])", self.0.len())
    }
}

/// A string value of the configuration: plain, or secret when its flag is.
#[derive(Clone, PartialEq, Eq)]
pub enum Text {
    Plain(String),
    Secret(Secret),
}

impl Text {
    pub fn new(value: String, secret: bool) -> Text {
        if secret {
            Text::Secret(Secret(value))
        } else {
            Text::Plain(value)
        }
    }

    /// The characters, for checks. Printing them is the caller's responsibility: see [`Text::display`].
    pub fn as_str(&self) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Secret(s) => s.expose(),
        }
    }

    pub fn is_secret(&self) -> bool {
        matches!(self, Text::Secret(_))
    }

    /// What may be shown to a user: the value itself, or a fixed marker for secrets.
    pub fn display(&self) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Secret(_) => "<redacted>",
        }
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Text::Plain(s) => fmt::Debug::fmt(s, f),
            Text::Secret(s) => fmt::Debug::fmt(s, f),
        }
    }
}

/// True for key names that suggest a secret, used for keys that are not Atlantis flags
/// (`gh_token`, `github: {token: ...}`): their values are masked too.
pub fn name_suggests_secret(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "token",
        "secret",
        "password",
        "passwd",
        "key",
        "credential",
        "auth",
        "pat",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// Known token prefixes, with the characters a token may continue with.
const TOKEN_PREFIXES: &[&str] = &[
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "gloas-",
    "glrt-",
    "ATBB",
    "ATATT",
    "ATCTT",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxs-",
];

fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'=')
}

/// Spans of anything in `text` that looks like a credential, wherever it stands (comments
/// included): known token prefixes followed by 16+ token characters, and PEM private-key blocks.
pub fn token_like_spans(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    for prefix in TOKEN_PREFIXES {
        let mut from = 0;
        while let Some(pos) = text[from..].find(prefix) {
            let start = from + pos;
            let mut end = start + prefix.len();
            while end < bytes.len() && is_token_char(bytes[end]) {
                end += 1;
            }
            let preceded_by_word = start > 0 && bytes[start - 1].is_ascii_alphanumeric();
            if end - start - prefix.len() >= 16 && !preceded_by_word {
                spans.push(Span::new(start, end));
            }
            from = end.max(start + 1);
        }
    }
    let mut from = 0;
    while let Some(pos) = text[from..].find("-----BEGIN ") {
        let start = from + pos;
        let header_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        if !text[start..header_end].contains("PRIVATE KEY") {
            from = start + 1;
            continue;
        }
        let end = match text[header_end..].find("-----END ") {
            Some(i) => {
                let e = header_end + i;
                text[e..].find('\n').map_or(text.len(), |j| e + j)
            }
            None => text.len(),
        };
        // Keep the BEGIN line readable; mask the key material and the END line.
        spans.push(Span::new(header_end, end));
        from = end.max(start + 1);
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let t = Text::new("hunter2".into(), true);
        assert!(!format!("{t:?}").contains("hunter2"));
        assert_eq!(t.display(), "<redacted>");
        assert_eq!(t.as_str(), "hunter2");
    }

    #[test]
    fn finds_tokens_in_comments() {
        let text = "# old: ghp_abcdefghijklmnopqrstuvwxyz0123456789\nx: 1";
        let spans = token_like_spans(text);
        assert_eq!(spans.len(), 1);
        assert_eq!(
            &text[spans[0].start..spans[0].end],
            "ghp_abcdefghijklmnopqrstuvwxyz0123456789"
        );
    }
}

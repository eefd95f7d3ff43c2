//! `--to yaml`: a config file for `atlantis server --config`.
//!
//! Values keep their YAML types (bools, ints); a string is written plain only when yaml.v3
//! (YAML 1.2) reads it back as the same string, and YAML 1.1 readers would too (`yes`, `on`);
//! multi-line values such as PEM keys become literal block scalars.

use super::{Model, REDACTED, SecretsMode, Shown, Webhook};
use crate::secret::Text;
use crate::value::{Value, resolve_plain};
use regex::Regex;
use std::sync::OnceLock;

const REDACTED_COMMENT: &str = "# secret redacted; --secrets include writes the value";

pub fn render(model: &Model, secrets: SecretsMode) -> String {
    let mut lines: Vec<(&str, String)> = Vec::new();
    for (entry, shown) in model.shown(secrets) {
        let line = match shown {
            Shown::Value(v) => format!("{}: {}", entry.flag.name, value(v, 2)),
            Shown::Redacted => format!(
                "{}: {}  {REDACTED_COMMENT}",
                entry.flag.name,
                string(REDACTED, 2)
            ),
        };
        lines.push((entry.flag.name, line));
    }
    if !model.webhooks.is_empty() {
        lines.push(("webhooks", webhooks(&model.webhooks, secrets)));
    }
    lines.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = String::new();
    for (_, line) in lines {
        out.push_str(&line);
        out.push('\n');
    }
    if out.is_empty() {
        // An empty mapping, so that the file still parses as one.
        out.push_str("{}\n");
    }
    out
}

fn webhooks(hooks: &[Webhook], secrets: SecretsMode) -> String {
    let mut out = String::from("webhooks:");
    for hook in hooks {
        let mut first = true;
        for (field, text) in &hook.fields {
            if text.is_secret() && secrets == SecretsMode::Omit {
                continue;
            }
            out.push_str(if first { "\n  - " } else { "\n    " });
            first = false;
            out.push_str(field);
            out.push_str(": ");
            out.push_str(&shown_text(text, secrets, 6));
        }
        if first {
            out.push_str("\n  - {}");
        }
    }
    out
}

fn shown_text(text: &Text, secrets: SecretsMode, indent: usize) -> String {
    if text.is_secret() && secrets == SecretsMode::Redact {
        format!("{}  {REDACTED_COMMENT}", string(REDACTED, indent))
    } else {
        string(text.as_str(), indent)
    }
}

/// A decoded value in its YAML type.
pub fn value(v: &Value, indent: usize) -> String {
    match v {
        Value::Str(t) => string(t.as_str(), indent),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        // Never written: `Model::shown` leaves such entries out.
        Value::Unknown(_) => "null".to_string(),
    }
}

/// A string as a YAML value that every YAML reader returns unchanged. Block scalars continue
/// on the following lines, indented by `indent` spaces.
pub fn string(s: &str, indent: usize) -> String {
    if plain_ok(s) {
        s.to_string()
    } else if let Some(block) = literal_block(s, indent) {
        block
    } else if s
        .chars()
        .all(|c| c == '\t' || (printable(c) && c != '\u{FEFF}'))
    {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        double_quoted(s)
    }
}

/// YAML's printable set minus line breaks (c-printable without \n, \r and NEL/LS/PS).
fn printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}')
}

/// True when `s` can be written as a plain scalar and reads back as this very string.
fn plain_ok(s: &str) -> bool {
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().last()) else {
        return false;
    };
    let second = s.chars().nth(1);
    let first_ok = match first {
        // `-x`, `?x` and `:x` are plain; `- x` is a sequence entry.
        '-' | '?' | ':' => second.is_some_and(|c| c != ' '),
        ',' | '[' | ']' | '{' | '}' | '#' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%'
        | '@' | '`' => false,
        c => c != ' ',
    };
    first_ok
        && last != ' '
        && last != ':'
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.starts_with("---")
        && !s.starts_with("...")
        && s.chars().all(|c| printable(c) && c != '\u{FEFF}')
        && resolve_plain(s).is_none()
        && !yaml11_special(s)
}

/// Plain scalars YAML 1.1 readers (PyYAML, go-yaml v2, Helm) would retype: `yes`, `off`, `1:30`.
fn yaml11_special(s: &str) -> bool {
    const WORDS: &[&str] = &["y", "n", "yes", "no", "on", "off", "=", "<<"];
    static SEXAGESIMAL: OnceLock<Regex> = OnceLock::new();
    WORDS.iter().any(|w| s.eq_ignore_ascii_case(w))
        || SEXAGESIMAL
            .get_or_init(|| Regex::new(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$").unwrap())
            .is_match(s)
}

/// A literal block scalar (`|`, `|-`, `|+`) for multi-line text whose lines are all printable,
/// with no trailing whitespace (editors strip it) and a first line that does not start indented.
fn literal_block(s: &str, indent: usize) -> Option<String> {
    if !s.contains('\n') {
        return None;
    }
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    let lines: Vec<&str> = body.split('\n').collect();
    let first_ok = lines
        .first()
        .and_then(|l| l.chars().next())
        .is_some_and(|c| c != ' ' && c != '\t');
    let lines_ok = lines.iter().all(|l| {
        !l.ends_with([' ', '\t'])
            && l.chars()
                .all(|c| c == '\t' || printable(c) && c != '\u{FEFF}')
    });
    if !first_ok || !lines_ok {
        return None;
    }
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let pad = " ".repeat(indent);
    let mut out = format!("|{chomp}");
    for line in lines {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    for _ in 1..trailing {
        out.push('\n');
    }
    Some(out)
}

/// A double-quoted scalar with YAML escapes, for text with control characters.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if (c as u32) < 0x20 || c == '\u{7F}' => {
                out.push_str(&format!("\\x{:02X}", c as u32));
            }
            c if !printable(c) || c == '\u{FEFF}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_yaml_would_retype() {
        for s in [
            "true",
            "1",
            "010",
            "1e3",
            "2024-01-02",
            "null",
            "~",
            "yes",
            "Off",
            "1:30",
            "",
            " a",
            "a ",
            "- a",
            "#x",
            "a: b",
            "a #b",
            "'q'",
            "@bob",
            "*x",
        ] {
            assert_ne!(string(s, 2), s, "{s:?} must be quoted");
        }
        for s in [
            "bob",
            "https://example.com/x?y=1#frag",
            "github.com/acme/*",
            "-chdir,--chdir",
            "café",
            "a'b",
        ] {
            assert_eq!(string(s, 2), s);
        }
        assert_eq!(string("it's true", 2), "it's true");
        assert_eq!(string("true", 2), "'true'");
        assert_eq!(string("a\u{7}b", 2), "\"a\\x07b\"");
    }

    #[test]
    fn literal_blocks_keep_line_breaks() {
        assert_eq!(string("a\nb\n", 2), "|\n  a\n  b");
        assert_eq!(string("a\n\nb", 2), "|-\n  a\n\n  b");
        assert_eq!(string("a\n\n", 2), "|+\n  a\n");
        assert_eq!(string(" a\nb", 2), "\" a\\nb\"");
        assert_eq!(string("a \nb", 2), "\"a \\nb\"");
    }
}

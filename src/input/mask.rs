//! Masking by line shape, for text the readers cannot attribute to a key: comments
//! (`# gh-token: ghp_old...`, `# ATLANTIS_GH_TOKEN=...`), files that do not parse (a YAML
//! syntax error, invalid UTF-8), env-file lines without `=` and stray command-line words.
//!
//! Every `NAME: value` or `NAME=value` whose name is a secret flag (or, for names that are not
//! flags, looks like one) has the rest of its line masked. Masking too much only hides a bit of a
//! snippet; masking too little prints a credential, so the shapes are read generously.

use crate::flags;
use crate::secret::name_suggests_secret;
use crate::source::Span;

/// True when a key, env name or flag name (any spelling) names a secret value.
pub fn name_is_secret(raw: &str) -> bool {
    let name = raw
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .trim_start_matches('-');
    if name.is_empty() {
        return false;
    }
    let flag = flags::lookup_key(name).or_else(|| flags::lookup_env(name));
    match flag {
        Some(f) => f.is_secret_value(),
        None => {
            let bare = name.strip_prefix("ATLANTIS_").unwrap_or(name);
            name_suggests_secret(name) || near_secret_flag(bare)
        }
    }
}

/// True when `name` is within "did you mean" distance of a secret flag (`gh-tokn`, `GH_TOKEN`).
/// Only the secret flags are compared, after a length check, so that scanning every comment
/// of a large file stays cheap.
pub fn near_secret_flag(name: &str) -> bool {
    let wanted = flags::normalise(name);
    let limit = match wanted.len() {
        0..=3 => return false,
        4..=6 => 1,
        7..=12 => 2,
        _ => 3,
    };
    // Each edit changes the multiset of characters by at most 2: a flag whose characters
    // differ by more than twice the limit is farther, without the edit-distance matrix (a
    // values file has a thousand keys to try against every secret flag).
    let bag = char_bag(&wanted);
    secret_flags().iter().any(|(f, fbag)| {
        f.name.len().abs_diff(wanted.len()) <= limit
            && bag_distance(&bag, fbag) <= 2 * limit
            && flags::edit_distance(&wanted, f.name, limit) <= limit
    })
}

/// How many times each character occurs, folded into 64 bins (folding only lowers the
/// distance, so it stays a lower bound of twice the edit distance).
type Bag = [u16; 64];

fn char_bag(s: &str) -> Bag {
    let mut bag = [0u16; 64];
    for c in s.chars() {
        let bin = &mut bag[(c as usize) % 64];
        *bin = bin.saturating_add(1);
    }
    bag
}

fn bag_distance(a: &Bag, b: &Bag) -> usize {
    a.iter()
        .zip(b)
        .map(|(x, y)| usize::from(x.abs_diff(*y)))
        .sum()
}

/// The secret flags with their character bags, computed once.
fn secret_flags() -> &'static [(&'static flags::Flag, Bag)] {
    static SECRET: std::sync::OnceLock<Vec<(&'static flags::Flag, Bag)>> =
        std::sync::OnceLock::new();
    SECRET.get_or_init(|| {
        flags::FLAGS
            .iter()
            .filter(|f| f.is_secret_value())
            .map(|f| (f, char_bag(f.name)))
            .collect()
    })
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Spans (relative to `segment`) to mask in one piece of one line: everything after the first
/// `:` or `=` that follows a secret name, up to the end of the segment (trailing `\r` excluded).
pub fn segment_spans(segment: &str) -> Option<Span> {
    segment_spans_by(segment, &name_is_secret)
}

/// [`segment_spans`] with `secret` judging the names.
fn segment_spans_by(segment: &str, secret: &dyn Fn(&str) -> bool) -> Option<Span> {
    let bytes = segment.as_bytes();
    let end = segment.trim_end_matches(['\r', '\n']).len();
    for (i, &b) in bytes.iter().enumerate().take(end) {
        if b != b':' && b != b'=' {
            continue;
        }
        // The name just before the separator, allowing a closing quote and spaces.
        let mut j = i;
        while j > 0 && matches!(bytes[j - 1], b' ' | b'\t' | b'"' | b'\'') {
            j -= 1;
        }
        let name_end = j;
        while j > 0 && is_name_byte(bytes[j - 1]) {
            j -= 1;
        }
        if j < name_end && secret(&segment[j..name_end]) {
            // Keep the spacing and an opening quote visible: `gh-token: "****`.
            let mut start = i + 1;
            while start < end && matches!(bytes[start], b' ' | b'\t') {
                start += 1;
            }
            if start < end && matches!(bytes[start], b'"' | b'\'') {
                start += 1;
            }
            return (start < end).then(|| Span::new(start, end));
        }
    }
    None
}

/// A key or variable name that glues a value to a secret name (`gh-token=S`, `gh-token:S`,
/// `"gh-token: S"`, `ATLANTIS_GH_TOKEN=S`): the span, in `key`, of the glued value, which is as
/// secret as a value of that name.
pub fn glued_secret(key: &str) -> Option<Span> {
    if !key.contains([':', '=']) {
        return None;
    }
    // A name shown once already (`gh-token=<redacted>`) holds nothing more to hide.
    segment_spans(key).filter(|s| &key[s.start..s.end] != REDACTED)
}

const REDACTED: &str = "<redacted>";

/// A name read at `span` of `text` as it may be shown (see [`shown_key`]), and the span of
/// `text` to mask when a value is glued to it.
pub fn hide_glued(text: &str, span: Span, name: &str) -> (String, Option<Span>) {
    (
        shown_key(name).into_owned(),
        glued_secret_span(text, span, name),
    )
}

/// `key` as it may be shown: a glued secret (see [`glued_secret`]) replaced by `<redacted>`.
pub fn shown_key(key: &str) -> std::borrow::Cow<'_, str> {
    match glued_secret(key) {
        Some(s) => format!("{}{REDACTED}{}", &key[..s.start], &key[s.end..]).into(),
        None => key.into(),
    }
}

/// Where the glued secret of `key` (see [`glued_secret`]), written at `span` of `text`, stands
/// in `text`: at its own bytes when the key is written there as is (plain, or quoted without
/// escapes), else the whole written key.
pub fn glued_secret_span(text: &str, span: Span, key: &str) -> Option<Span> {
    let glued = glued_secret(key)?;
    let written = text.get(span.start..span.end).unwrap_or("");
    Some(match written.find(key) {
        Some(at) => Span::new(span.start + at + glued.start, span.start + at + glued.end),
        None => span,
    })
}

/// Credentials in a command line, wherever they stand in `segment` (spans relative to it): the
/// password of `-u USER:PASSWORD`, `--user USER:PASSWORD` or `--user=USER:PASSWORD` (curl,
/// wget), and the word after a flag whose name names a secret (`--password VALUE`, `--token
/// VALUE`; `--token=VALUE` is a [`segment_spans`] shape).
pub fn command_spans(segment: &str) -> Vec<Span> {
    let body = segment.trim_end_matches(['\r', '\n']);
    let mut words = Vec::new();
    let mut at = 0;
    for word in body.split([' ', '\t', '\n', '\r']) {
        if !word.is_empty() {
            words.push((at, word));
        }
        at += word.len() + 1;
    }
    let mut spans = Vec::new();
    // The password part of `USER:PASSWORD` written at `start`.
    let password = |start: usize, text: &str| -> Option<Span> {
        let colon = text.find(':')?;
        (colon + 1 < text.len()).then(|| Span::new(start + colon + 1, start + text.len()))
    };
    for (i, &(start, word)) in words.iter().enumerate() {
        let bare = word.trim_start_matches(['"', '\'']);
        let next = words.get(i + 1);
        if matches!(bare, "-u" | "--user" | "--proxy-user" | "-U") {
            if let Some(&(s, w)) = next {
                spans.extend(password(s, w));
            }
            continue;
        }
        let glued = ["--user=", "--proxy-user="]
            .iter()
            .find_map(|p| bare.strip_prefix(p))
            .or_else(|| {
                bare.strip_prefix("-u")
                    .filter(|r| !r.is_empty() && !r.contains('='))
            });
        if let Some(rest) = glued {
            spans.extend(password(start + word.len() - rest.len(), rest));
            continue;
        }
        let Some(name) = bare.strip_prefix('-') else {
            continue;
        };
        if name.contains(['=', ':']) || !name_is_secret(name) {
            continue;
        }
        if let Some(&(s, w)) = next.filter(|(_, w)| !w.starts_with('-')) {
            spans.push(Span::new(s, s + w.len()));
        }
    }
    spans
}

/// `NAME value`: the span of `value` when `NAME` (the first word) names a secret.
fn spaced_value(line: &str) -> Option<Span> {
    let body = line.trim_end_matches('\r');
    let lead = body.len() - body.trim_start().len();
    let rest = &body[lead..];
    let word_end = rest.find([' ', '\t'])?;
    let value = rest[word_end..].trim_start();
    let name = &rest[..word_end];
    if value.is_empty() || name.contains([':', '=']) || !name_is_secret(name) {
        return None;
    }
    Some(Span::new(body.len() - value.len(), body.len()))
}

/// Byte offset where a `#` comment starts in a YAML or env line, if any (a `#` at the start or
/// after whitespace, outside simple quotes).
fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            // A quote opens a string only where a value or key starts.
            None if (b == b'"' || b == b'\'')
                && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b':' | b'[' | b'{' | b',')) =>
            {
                quote = Some(b);
            }
            None if b == b'#' && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t')) => {
                return Some(i);
            }
            None => {}
        }
    }
    None
}

/// Spans to mask in `text`. With `whole_lines`, every line is read (a file whose structure is
/// unknown), and a masked value goes on over its continuation lines: the lines indented more
/// than its key (a block scalar, a multi-line plain scalar) and, after an opening quote with no
/// closing one, every line up to the closing quote (to the end of the text if there is none).
/// Otherwise only comments are read.
pub fn line_spans(text: &str, whole_lines: bool) -> Vec<Span> {
    line_spans_by(text, whole_lines, &name_is_secret)
}

/// [`line_spans`] of a repo config (`repos.yaml`, `atlantis.yaml`) that does not parse: an env
/// step's `value` is masked too, whatever its `name` (which may stand on another line, after
/// it, or be lost in the syntax error).
pub fn repo_config_line_spans(text: &str) -> Vec<Span> {
    line_spans_by(text, true, &|n| {
        n.trim_matches(['"', '\'']) == "value" || name_is_secret(n)
    })
}

/// [`line_spans`] with `secret` judging the names.
fn line_spans_by(text: &str, whole_lines: bool, secret: &dyn Fn(&str) -> bool) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut offset = 0;
    // The masked value that may go on: (indentation of its key, open quote if any).
    let mut open: Option<(usize, Option<u8>)> = None;
    for line in text.split('\n') {
        let line_start = offset;
        offset += line.len() + 1;
        let body = line.trim_end_matches('\r');
        let indent = body.len() - body.trim_start_matches([' ', '\t']).len();
        // Where this line's own reading starts (after a quote that closes on it).
        let mut rest_from = 0;
        if let Some((key_indent, quote)) = open {
            let content = Span::new(line_start + indent, line_start + body.len());
            match quote {
                // An unindented `known-flag:` line: the quote was a typo, not a value running on.
                Some(_) if indent == 0 && starts_with_flag_key(body) => open = None,
                Some(q) => match closing_quote(body, q) {
                    Some(at) => {
                        spans.push(Span::new(line_start + indent.min(at), line_start + at));
                        open = None;
                        rest_from = at + 1;
                    }
                    None => {
                        spans.push(content);
                        continue;
                    }
                },
                None if body.trim().is_empty() || indent > key_indent => {
                    spans.push(content);
                    continue;
                }
                None => open = None,
            }
        }
        let from = if whole_lines {
            Some(rest_from)
        } else {
            comment_start(line)
        };
        let Some(from) = from else { continue };
        // `curl -u bot:PASSWORD`, `--password VALUE`: wherever they stand on the line.
        for s in command_spans(&line[from..]) {
            spans.push(Span::new(
                line_start + from + s.start,
                line_start + from + s.end,
            ));
        }
        let found = segment_spans_by(&line[from..], secret).or_else(|| {
            // `gh-token ghp_...` (a forgotten `:` or `=`), in a file whose structure is unknown.
            whole_lines.then(|| spaced_value(&line[from..])).flatten()
        });
        if let Some(s) = found {
            spans.push(Span::new(
                line_start + from + s.start,
                line_start + from + s.end,
            ));
            if whole_lines {
                // An opening quote just before the masked part, not closed on this line.
                let quote = line[..from + s.start]
                    .bytes()
                    .last()
                    .filter(|b| matches!(b, b'"' | b'\''))
                    .filter(|&q| closing_quote(&line[from + s.start..], q).is_none());
                open = Some((indent, quote));
            }
        } else if whole_lines {
            // `gh-token:` with its value on the next lines (`|`, `>`, or plain).
            let key = body[from.min(body.len())..]
                .trim_end()
                .strip_suffix(':')
                .map(str::trim);
            if key.is_some_and(|k| secret(k.trim_start_matches("- "))) {
                open = Some((indent, None));
            }
        }
        // A secret in a comment after a value: `gh-user: bob # token: ...`.
        if whole_lines {
            if let Some(c) = comment_start(&line[from..]).filter(|&c| c > 0) {
                let c = from + c;
                if let Some(s) = segment_spans_by(&line[c..], secret) {
                    spans.push(Span::new(line_start + c + s.start, line_start + c + s.end));
                }
            }
        }
    }
    spans
}

/// True for a line `flag-name: ...` whose name is an Atlantis flag.
fn starts_with_flag_key(line: &str) -> bool {
    line.split_once(':')
        .is_some_and(|(k, _)| flags::lookup_key(k.trim_matches(['"', '\''])).is_some())
}

/// Where a quoted value opened before `line` closes on it: the offset of the closing quote
/// (`''` and `\"` are escapes, not the end).
fn closing_quote(line: &str, quote: u8) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str, whole: bool) -> String {
        let mut b = text.as_bytes().to_vec();
        for s in line_spans(text, whole) {
            for x in &mut b[s.start..s.end] {
                *x = b'*';
            }
        }
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn comments() {
        let t = "gh-user: bob # gh-token: abc\n# ATLANTIS_GH_TOKEN=xyz\n#gh_token: 'q'\nport: 1 # x: y\n";
        assert_eq!(
            masked(t, false),
            "gh-user: bob # gh-token: ***\n# ATLANTIS_GH_TOKEN=***\n#gh_token: '**\nport: 1 # x: y\n"
        );
    }

    #[test]
    fn broken_files() {
        assert_eq!(masked("gh-token abc def\r\n", true), "gh-token *******\r\n");
        let t = "gh-user: bob\r\ngh-token: \"abc\r\n{\"gh-webhook-secret\": \"x\"}\ngh-token-file: /p\n";
        assert_eq!(
            masked(t, true),
            "gh-user: bob\r\ngh-token: \"***\r\n*\"gh-webhook-secret\": \"***\ngh-token-file: /p\n"
        );
    }

    #[test]
    fn the_character_bag_filter_keeps_every_near_name() {
        // Transpositions, substitutions, insertions and deletions within the limit still match.
        for name in [
            "gh-tokn",
            "gh-tokne",
            "GH_TOKEN",
            "gitlab-tokens",
            "gh-webhook-secert",
            "bitbucket-tken",
            "api-secrte",
        ] {
            assert!(near_secret_flag(name), "{name}");
        }
        for name in ["annotation-12", "pathType", "replicaCount", "gh-user"] {
            assert!(!near_secret_flag(name), "{name}");
        }
    }

    #[test]
    fn continuation_lines_of_broken_files() {
        // A block scalar, a multi-line plain scalar and an unclosed quote, each in a file that
        // does not parse: the lines that continue the secret are masked too.
        let t = "gh-token: |\n  abc\n  def\nport: [\n";
        assert_eq!(masked(t, true), "gh-token: *\n  ***\n  ***\nport: [\n");
        let t = "gh-token: abc\n  def\n\n  ghi\nx: ]\n";
        assert_eq!(masked(t, true), "gh-token: ***\n  ***\n\n  ***\nx: ]\n");
        let t = "gh-token: \"abc\ndef\nghi\" x\nport: [\n";
        assert_eq!(masked(t, true), "gh-token: \"***\n***\n***\" x\nport: [\n");
        let t = "gh-token: 'ab''c\nd''e'\ngh-user: x\n";
        assert_eq!(masked(t, true), "gh-token: '*****\n****'\ngh-user: x\n");
    }

    #[test]
    fn credentials_in_commands() {
        let pieces = |t: &str| -> Vec<String> {
            command_spans(t)
                .into_iter()
                .map(|s| t[s.start..s.end].to_string())
                .collect()
        };
        assert_eq!(pieces("curl -u bot:pw1 https://x"), ["pw1"]);
        assert_eq!(pieces("curl --user 'bot:pw2' x"), ["pw2'"]);
        assert_eq!(pieces("curl --user=bot:pw3 -ubot:pw4 x"), ["pw3", "pw4"]);
        assert_eq!(
            pieces("login --password pw5 --token pw6 --user bob"),
            ["pw5", "pw6"]
        );
        assert!(pieces("terraform plan -u x -var region=eu --gh-user bob").is_empty());
        assert!(pieces("cmd --gh-token-file /run/x").is_empty());
    }

    #[test]
    fn values_glued_into_names() {
        for (key, shown) in [
            ("gh-token=abc", "gh-token=<redacted>"),
            ("gh-token:abc", "gh-token:<redacted>"),
            ("gh-token: abc", "gh-token: <redacted>"),
            ("ATLANTIS_GH_TOKEN=abc", "ATLANTIS_GH_TOKEN=<redacted>"),
            ("gh-user=abc", "gh-user=abc"),
            ("gh-tokn", "gh-tokn"),
            ("gh-token=<redacted>", "gh-token=<redacted>"),
        ] {
            assert_eq!(shown_key(key), shown, "{key}");
        }
        let text = "x: 1\n\"gh-token: abc\": 1\n";
        let span = Span::new(5, 20);
        assert_eq!(
            glued_secret_span(text, span, "gh-token: abc"),
            Some(Span::new(16, 19))
        );
    }

    #[test]
    fn env_values_of_broken_repo_configs() {
        // An unclosed quote runs on to the end of the file: it comes last here.
        let t = "steps:\n- env:\n    value: def\n    name: X\n- run: curl -u bot:ghi x\n  bad: [\n- env: {name: TF_TOKEN, value: \"abc}\n";
        let mut b = t.as_bytes().to_vec();
        for s in repo_config_line_spans(t) {
            for x in &mut b[s.start..s.end] {
                *x = b'*';
            }
        }
        assert_eq!(
            String::from_utf8(b).unwrap(),
            "steps:\n- env:\n    value: ***\n    name: X\n- run: curl -u bot:*** x\n  bad: [\n- env: {name: TF_TOKEN, value: \"****\n"
        );
    }

    #[test]
    fn names() {
        assert!(name_is_secret("gh-token"));
        assert!(name_is_secret("GH_TOKEN"));
        assert!(name_is_secret("ATLANTIS_GH_TOKN"));
        assert!(name_is_secret("--gitlab-token"));
        assert!(!name_is_secret("gh-token-file"));
        assert!(!name_is_secret("gh-user"));
        assert!(!name_is_secret("ATLANTIS_GH_USER"));
    }
}

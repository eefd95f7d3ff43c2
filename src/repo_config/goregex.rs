//! Go regular expressions (RE2 syntax, `regexp.Compile`), checked without backtracking.
//!
//! The pattern is parsed with `regex-syntax` (linear time, no compilation), after the two
//! places where Go's syntax differs from Rust's are bridged: a `{` that does not start a
//! counted repetition is a literal in Go (`prod-{env}`), and Go refuses repeat counts above
//! 1000. Errors are worded as Go words them (`error parsing regexp: missing argument to
//! repetition operator: `?``). Known remaining differences: Go refuses nested repetition
//! operators (`a**`), which Rust accepts; a few Unicode class names differ.

use regex_syntax::ast::ErrorKind;

/// `Ok` when Go's `regexp.Compile` accepts `pattern`, else Go's error text.
pub fn check(pattern: &str) -> Result<(), String> {
    if let Some(count) = repeat_over_1000(pattern) {
        return Err(format!(
            "error parsing regexp: invalid repeat count: `{count}`"
        ));
    }
    let bridged = go_literal_braces(pattern);
    let ast = match regex_syntax::ast::parse::Parser::new().parse(&bridged) {
        Ok(ast) => ast,
        Err(e) => return Err(ast_error(&bridged, &e)),
    };
    match regex_syntax::hir::translate::Translator::new().translate(&bridged, &ast) {
        Ok(_) => Ok(()),
        Err(e) => {
            let s = e.span();
            let text = bridged
                .get(s.start.offset..s.end.offset)
                .unwrap_or(&bridged);
            Err(format!(
                "error parsing regexp: invalid character class range: `{text}`"
            ))
        }
    }
}

/// Compiles `pattern` as Go would match it (unanchored), for the checks that need matching.
/// Bounded in size; `None` when it does not compile or is too large to bother.
pub fn compile(pattern: &str) -> Option<regex::Regex> {
    check(pattern).ok()?;
    regex::RegexBuilder::new(&go_literal_braces(pattern))
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .build()
        .ok()
}

fn ast_error(pattern: &str, e: &regex_syntax::ast::Error) -> String {
    let s = e.span();
    let mut at = pattern.get(s.start.offset..s.end.offset).unwrap_or("");
    let rest = pattern.get(s.start.offset..).unwrap_or("");
    if at.is_empty() {
        // An empty span: Go quotes the operator (or `{...}`) found there.
        at = match rest.find('}') {
            Some(end) if rest.starts_with('{') => &rest[..=end],
            _ => rest
                .get(..rest.chars().next().map_or(0, char::len_utf8))
                .unwrap_or(""),
        };
    }
    let _rest = pattern.get(s.start.offset..).unwrap_or("");
    let (code, expr) = match e.kind() {
        ErrorKind::RepetitionMissing => ("missing argument to repetition operator", at),
        ErrorKind::GroupUnclosed => ("missing closing )", pattern),
        ErrorKind::GroupUnopened => ("unexpected )", pattern),
        ErrorKind::ClassUnclosed => ("missing closing ]", rest),
        ErrorKind::ClassRangeInvalid | ErrorKind::ClassRangeLiteral => {
            ("invalid character class range", at)
        }
        ErrorKind::ClassEscapeInvalid
        | ErrorKind::EscapeUnrecognized
        | ErrorKind::EscapeHexEmpty
        | ErrorKind::EscapeHexInvalid
        | ErrorKind::EscapeHexInvalidDigit
        | ErrorKind::UnsupportedBackreference => ("invalid escape sequence", at),
        ErrorKind::EscapeUnexpectedEof => ("trailing backslash at end of expression", ""),
        ErrorKind::RepetitionCountInvalid => ("invalid repeat count", at),
        ErrorKind::GroupNameDuplicate { .. } => ("duplicate capture group name", at),
        ErrorKind::GroupNameInvalid | ErrorKind::GroupNameEmpty => ("invalid named capture", at),
        ErrorKind::NestLimitExceeded(_) => ("expression nests too deeply", ""),
        ErrorKind::UnsupportedLookAround
        | ErrorKind::FlagUnrecognized
        | ErrorKind::FlagDanglingNegation
        | ErrorKind::FlagDuplicate { .. }
        | ErrorKind::FlagRepeatedNegation { .. }
        | ErrorKind::FlagUnexpectedEof
        | ErrorKind::GroupNameUnexpectedEof => {
            let perl = rest.get(..3).unwrap_or(rest);
            ("invalid or unsupported Perl syntax", perl)
        }
        _ => ("invalid regexp", at),
    };
    if expr.is_empty() {
        format!("error parsing regexp: {code}")
    } else {
        format!("error parsing regexp: {code}: `{expr}`")
    }
}

/// A counted repetition whose count is above RE2's limit of 1000, as written.
fn repeat_over_1000(pattern: &str) -> Option<String> {
    let b = pattern.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'{' => {
                let start = i;
                let mut j = i + 1;
                let mut nums = Vec::new();
                let mut cur = String::new();
                while j < b.len() && (b[j].is_ascii_digit() || b[j] == b',') && j - start < 24 {
                    if b[j] == b',' {
                        nums.push(std::mem::take(&mut cur));
                    } else {
                        cur.push(b[j] as char);
                    }
                    j += 1;
                }
                nums.push(cur);
                if j < b.len() && b[j] == b'}' && !nums[0].is_empty() {
                    let big = nums
                        .iter()
                        .any(|n| !n.is_empty() && n.parse::<u64>().map_or(true, |n| n > 1000));
                    if big {
                        return Some(pattern[start..=j].to_string());
                    }
                }
                i = j.max(i + 1);
            }
            _ => i += 1,
        }
    }
    None
}

/// Go's RE2 reads a `{` that does not start a counted repetition as a literal brace; Rust
/// refuses it. Escape those braces.
pub fn go_literal_braces(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 4);
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                out.push(c);
                if let Some(&next) = chars.get(i + 1) {
                    out.push(next);
                    i += 1;
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i + 1) == Some(&']') {
                    out.push(']');
                    i += 1;
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '{' if !in_class && !is_repeat(&chars[i..]) => out.push_str("\\{"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn is_repeat(rest: &[char]) -> bool {
    let mut i = 1;
    let digits = |i: &mut usize| {
        let start = *i;
        while rest.get(*i).is_some_and(|c| c.is_ascii_digit()) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return false;
    }
    if rest.get(i) == Some(&',') {
        i += 1;
        digits(&mut i);
    }
    rest.get(i) == Some(&'}')
}

/// A string as Go's `%q` writes it (close enough for messages).
pub fn quote(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_wording() {
        assert_eq!(
            check("?").unwrap_err(),
            "error parsing regexp: missing argument to repetition operator: `?`"
        );
        assert_eq!(
            check("github.com/myorg/(?!legacy).*").unwrap_err(),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?!`"
        );
        assert_eq!(
            check("(a").unwrap_err(),
            "error parsing regexp: missing closing ): `(a`"
        );
        assert_eq!(
            check("a{1001}").unwrap_err(),
            "error parsing regexp: invalid repeat count: `{1001}`"
        );
        assert!(check("prod-{env}").is_ok());
        assert!(check(".*").is_ok());
        assert!(check("").is_ok());
        assert!(check("^github\\.com/acme/.*$").is_ok());
    }

    #[test]
    fn pathological_patterns_are_linear() {
        let p = format!("{}{}", "(a*)*".repeat(2000), "b");
        let start = std::time::Instant::now();
        let _ = check(&p);
        let _ = compile("(a+)+$").map(|r| r.is_match(&"a".repeat(100_000)));
        assert!(start.elapsed().as_secs() < 5);
    }
}

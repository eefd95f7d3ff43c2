use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "autoplan-file-list-pattern",
    severity: Severity::Error,
    summary: "an autoplan-file-list pattern Atlantis's dockerignore-style matcher rejects",
    suppressible: false,
    docs: r#"## What it checks
`autoplan-file-list` is a comma-separated list of patterns in the `.dockerignore` syntax (moby's
`patternmatcher`, built on Go's `filepath.Match`). Each entry is trimmed and cleaned like a path,
then:
- a lone `!` (an exclusion of nothing) is illegal;
- the pattern must be valid for `filepath.Match`: every `[` character class closed and not empty
  (`[]`, `[^]`), no range without an end (`[a-]`), no `\` at the very end.

## Why it matters
Atlantis refuses to start with
`invalid pattern in --autoplan-file-list, <list>: illegal exclusion pattern: "!"` or
`... : syntax error in pattern`.

## Example
```yaml
autoplan-file-list: "**/*.tf,**/*.tfvars,!,modules/[a-/**"
```

## Fix
Remove the lone `!` and close or escape the `[` classes (`\[` matches a literal bracket).
"#,
};

/// Why moby's `patternmatcher.New` rejects one entry of the list, if it does.
pub(crate) fn pattern_error(entry: &str) -> Option<&'static str> {
    let p = entry.trim();
    if p.is_empty() {
        return None;
    }
    let p = clean(p);
    let p = match p.strip_prefix('!') {
        Some("") => return Some("illegal exclusion pattern: \"!\""),
        Some(rest) => rest.to_string(),
        None => p,
    };
    if match_syntax_ok(&p) {
        None
    } else {
        Some("syntax error in pattern")
    }
}

/// Go's `filepath.Clean` on Unix.
fn clean(p: &str) -> String {
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// True when Go's `filepath.Match` accepts the pattern's syntax: it checks every chunk between
/// stars, even after a mismatch.
fn match_syntax_ok(pattern: &str) -> bool {
    let mut rest = pattern.as_bytes();
    while !rest.is_empty() {
        while let Some((b'*', tail)) = rest.split_first() {
            rest = tail;
        }
        let (chunk, tail) = scan_chunk(rest);
        if !chunk_ok(chunk) {
            return false;
        }
        rest = tail;
    }
    true
}

/// Go's `scanChunk`: the text up to the next `*` outside a character class.
fn scan_chunk(p: &[u8]) -> (&[u8], &[u8]) {
    let mut in_range = false;
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'\\' if i + 1 < p.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (&p[..i], &p[i..])
}

/// Go's `matchChunk` syntax checks.
fn chunk_ok(mut chunk: &[u8]) -> bool {
    while let Some(&c) = chunk.first() {
        match c {
            b'[' => {
                chunk = &chunk[1..];
                if chunk.first() == Some(&b'^') {
                    chunk = &chunk[1..];
                }
                let mut nrange = 0;
                loop {
                    if chunk.first() == Some(&b']') && nrange > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let Some(next) = get_esc(chunk) else {
                        return false;
                    };
                    chunk = next;
                    if chunk[0] == b'-' {
                        let Some(next) = get_esc(&chunk[1..]) else {
                            return false;
                        };
                        chunk = next;
                    }
                    nrange += 1;
                }
            }
            b'\\' => {
                chunk = &chunk[1..];
                if chunk.is_empty() {
                    return false;
                }
                chunk = &chunk[1..];
            }
            _ => chunk = &chunk[1..],
        }
    }
    true
}

/// Go's `getEsc`: one possibly escaped character of a class; what follows must not be empty.
fn get_esc(chunk: &[u8]) -> Option<&[u8]> {
    let mut chunk = chunk;
    match chunk.first() {
        None | Some(b'-') | Some(b']') => return None,
        Some(b'\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return None;
            }
        }
        _ => {}
    }
    // One UTF-8 character (the input is valid UTF-8).
    let n = match chunk[0] {
        b if b < 0x80 => 1,
        b if b >= 0xf0 => 4,
        b if b >= 0xe0 => 3,
        _ => 2,
    };
    let rest = &chunk[n.min(chunk.len())..];
    if rest.is_empty() { None } else { Some(rest) }
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let Some(list) = cfg
        .explicit_text(flags::AUTOPLAN_FILE_LIST)
        .map(|t| t.as_str())
    else {
        return;
    };
    let bad: Vec<(&str, &str)> = list
        .split(',')
        .filter_map(|e| pattern_error(e).map(|err| (e, err)))
        .collect();
    let Some(&(_, first_err)) = bad.first() else {
        return;
    };
    let entries = bad
        .iter()
        .map(|(e, err)| format!("`{e}` ({})", err.trim_end_matches(": \"!\"")))
        .collect::<Vec<_>>()
        .join(", ");
    out.push(
        Finding::new(
            &RULE,
            cfg.value_location(flags::AUTOPLAN_FILE_LIST),
            format!("autoplan-file-list has invalid patterns: {entries}"),
        )
        .key(flags::AUTOPLAN_FILE_LIST)
        .label("rejected by Atlantis's pattern matcher")
        .help(format!(
            "remove lone `!` entries and close or escape `[` classes (`\\[` is a literal bracket); \
             Atlantis refuses to start with: invalid pattern in --autoplan-file-list, {list}: {first_err}"
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::{clean, pattern_error};

    #[test]
    fn moby_patternmatcher() {
        for ok in [
            "**/*.tf",
            "**/*.tfvars.json",
            "!modules/**",
            " **/*.hcl ",
            "",
            "[a-z]*.tf",
            "[^a]",
            "\\[x",
            "a[\\]]",
            "!/..",
        ] {
            assert_eq!(pattern_error(ok), None, "{ok}");
        }
        assert_eq!(pattern_error("!"), Some("illegal exclusion pattern: \"!\""));
        assert_eq!(
            pattern_error(" ! "),
            Some("illegal exclusion pattern: \"!\"")
        );
        assert_eq!(
            pattern_error("!/"),
            Some("illegal exclusion pattern: \"!\"")
        );
        for bad in [
            "[^]", "[]", "[a-", "[a-]", "a[", "abc\\", "[z", "**/[", "x*[-a]",
        ] {
            assert_eq!(pattern_error(bad), Some("syntax error in pattern"), "{bad}");
        }
    }

    #[test]
    fn go_clean() {
        assert_eq!(clean("a//b/./c/.."), "a/b");
        assert_eq!(clean("/../x"), "/x");
        assert_eq!(clean("../x"), "../x");
        assert_eq!(clean("x/.."), ".");
        assert_eq!(clean("!/"), "!");
    }
}

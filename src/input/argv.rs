//! Reads an Atlantis command line with pflag's rules.
//!
//! `--flag=value` and `--flag value` set a non-bool flag; a bool flag takes a value only with
//! `=`, so the `false` in `--write-git-creds false` is a stray positional word (Atlantis sets the
//! flag to true and ignores the word). Flag names are case-sensitive. A leading `atlantis` and/or
//! `server` word is skipped. Unlike pflag, reading goes on after an unknown flag, so every
//! problem is found at once.

use crate::config::{
    ArgvIssue, Channel, KeyMatch, Location, Origin, RawValue, Setting, Spelling, match_flag,
};
use crate::flags::{self, FlagKind, FlagType};
use crate::secret::{Text, name_suggests_secret, value_looks_secret};
use crate::source::{SourceId, SourceKind, SourceText, Span};

/// Renders one argument for the one-line snippet, quoting it like a shell would need.
fn render(arg: &str) -> (String, bool) {
    let one_line = arg.replace(['\n', '\r'], " ");
    let plain = !one_line.is_empty()
        && one_line
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_=.,:/@%+*^~".contains(&b) || b >= 0x80);
    if plain {
        (one_line, false)
    } else {
        (format!("'{}'", one_line.replace('\'', "'\\''")), true)
    }
}

/// True for a word that is shaped like a flag name: `--gh-user`, `--gh-user=x`, `-h`.
fn looks_like_flag(word: &str) -> bool {
    flag_name(word).is_some()
}

/// The flag name of a flag-shaped word (`gh-user` of `--gh-user=x`, `gh-user` of `-gh-user`).
fn flag_name(word: &str) -> Option<&str> {
    let body = word.strip_prefix("--").or_else(|| word.strip_prefix('-'))?;
    let name = body.split('=').next().unwrap_or("");
    let valid = name
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphanumeric)
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    valid.then_some(name)
}

/// Marks the end of the shown name of a flag whose value was glued to it (`--gh-token…` for
/// `--gh-tokenghp_x`): only the flag part is ever shown.
pub const GLUED: char = '…';

/// The flag an unknown name starts with when a value was glued to it without `=`
/// (`gh-tokenghp_x` from `--gh-token$TOKEN`): the longest flag taking a value that is a proper
/// prefix of `name`, followed by something that does not continue a flag name (`-`).
pub fn glued_flag(name: &str) -> Option<&'static flags::Flag> {
    (1..name.len())
        .rev()
        .filter(|&i| name.is_char_boundary(i) && !name[i..].starts_with('-'))
        .filter_map(|i| flags::lookup(&name[..i]))
        .find(|f| f.ty != FlagType::Bool && f.kind != FlagKind::FileOnly)
}

/// A flag name as it may be shown: a glued value cut off (`gh-token…`), a pasted credential
/// hidden.
fn shown_name(name: &str) -> String {
    if flags::lookup(name).is_some() {
        return name.to_string();
    }
    match glued_flag(name) {
        Some(f) => format!("{}{GLUED}", f.name),
        None if value_looks_secret(name) => "<redacted>".into(),
        None => name.to_string(),
    }
}

/// For a word a flag swallowed as its value: the byte offset from which it is secret, when it
/// reads as a secret flag with its value (`--gh-webhook-secret=x`: after the `=`), a secret
/// flag's name glued to a value, or a credential.
fn swallowed_secret(word: &str) -> Option<usize> {
    if let Some(name) = flag_name(word) {
        let body_at = word.len() - word.trim_start_matches('-').len();
        let eq = word.find('=');
        let secret_name = crate::input::mask::name_is_secret(name)
            || glued_flag(name).is_some_and(|f| f.is_secret_value());
        if secret_name {
            return Some(match (eq, glued_flag(name)) {
                (Some(e), _) => e + 1,
                (None, Some(f)) if flags::lookup(name).is_none() => body_at + f.name.len(),
                (None, _) => word.len(),
            });
        }
        if let Some(e) = eq {
            if value_looks_secret(&word[e + 1..]) {
                return Some(e + 1);
            }
        }
    }
    None
}

/// Reads `args` (the words after `--`), returning the rendered command line, settings and issues.
pub fn read(source_id: SourceId, args: &[String]) -> (SourceText, Vec<Setting>, Vec<ArgvIssue>) {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(args.len());
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        let (shown, quoted) = render(a);
        let start = text.len();
        text.push_str(&shown);
        spans.push((Span::new(start, text.len()), quoted));
    }
    let mut source = SourceText::new(SourceKind::Argv, "<command line>", text);
    // Byte offsets inside a word to offsets in the rendered text (quoted: `'` became `'\''`).
    let place = |i: usize, from: usize, to: usize| -> Span {
        let (span, quoted) = spans[i];
        let arg = &args[i];
        let shown = |off: usize| -> usize {
            if quoted {
                1 + off + 3 * arg.get(..off).map_or(0, |a| a.matches('\'').count())
            } else {
                off
            }
        };
        let q = usize::from(quoted);
        Span::new(
            (span.start + shown(from)).min(span.end - q),
            (span.start + shown(to)).min(span.end - q),
        )
    };
    let content = |i: usize| -> Span {
        let (span, quoted) = spans[i];
        let q = usize::from(quoted);
        Span::new(span.start + q, span.end - q)
    };
    let whole = |i: usize| spans[i].0;
    let (settings, issues, secrets) = read_core(source_id, args, &place, &content, &whole);
    for span in secrets {
        source.add_secret(span);
    }
    (source, settings, issues)
}

/// One word of a command line written in a user's file: a manifest's `args` element, a word
/// of an `sh -c` string.
#[derive(Debug, Clone)]
pub struct Word {
    pub text: String,
    /// The whole word in the source (a YAML scalar with its quotes).
    pub span: Span,
    /// Where the word's text starts in the source when it stands there byte for byte (a plain
    /// scalar, a quoted one without escapes); `None` when it does not (escapes, a `$(VAR)`
    /// expanded), and then every part of the word is positioned at the whole word.
    pub exact_at: Option<usize>,
}

/// Reads a command line whose words are written in a source (a manifest), with pflag's rules;
/// a leading `atlantis` and/or `server` word is skipped. Returns the settings, the issues and
/// the spans that hold secrets (for the caller to register on its source).
pub fn read_words(
    source_id: SourceId,
    words: &[Word],
) -> (Vec<Setting>, Vec<ArgvIssue>, Vec<Span>) {
    let args: Vec<String> = words.iter().map(|w| w.text.clone()).collect();
    let place = |i: usize, from: usize, to: usize| -> Span {
        let w = &words[i];
        match w.exact_at {
            Some(at) => Span::new(at + from, at + to.min(w.text.len())),
            None => w.span,
        }
    };
    let content = |i: usize| -> Span {
        let w = &words[i];
        match w.exact_at {
            Some(at) => Span::new(at, at + w.text.len()),
            None => w.span,
        }
    };
    let whole = |i: usize| words[i].span;
    read_core(source_id, &args, &place, &content, &whole)
}

/// pflag's reading of `args`. `place(i, from, to)` is the span of bytes `from..to` of word
/// `i`, `content(i)` the span of its text, `whole(i)` the span of the word as written.
fn read_core(
    source_id: SourceId,
    args: &[String],
    place: &dyn Fn(usize, usize, usize) -> Span,
    content: &dyn Fn(usize) -> Span,
    whole: &dyn Fn(usize) -> Span,
) -> (Vec<Setting>, Vec<ArgvIssue>, Vec<Span>) {
    let mut settings = Vec::new();
    let mut issues = Vec::new();
    let mut secrets = Vec::new();

    let mut i = 0;
    if args.first().is_some_and(|a| a == "atlantis") {
        i += 1;
    }
    if args.get(i).is_some_and(|a| a == "server") {
        i += 1;
    }
    let mut last_bare_bool: Option<(usize, &'static flags::Flag)> = None;
    while i < args.len() {
        let arg = &args[i];
        let span = whole(i);
        let word = i;
        let inner = |from: usize, to: usize| -> Span { place(word, from, to) };
        if arg == "--" {
            break;
        }
        let location = Location::Source {
            source: source_id,
            spelling: Spelling::Flag {
                index: i,
                flag: flag_name(arg).map_or_else(
                    || format!("<argument {i}>"),
                    |n| {
                        format!(
                            "{}{}",
                            if arg.starts_with("--") { "--" } else { "-" },
                            shown_name(n)
                        )
                    },
                ),
            },
            span,
        };
        let body = arg.strip_prefix("--").filter(|_| flag_name(arg).is_some());
        if let Some(body) = body {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            let matched = match_flag(flags::lookup(name));
            // `--gh-token$TOKEN`: a value glued to a flag, or a pasted credential (`--ghp_...`):
            // the name shown stops where the value starts.
            let glued = match matched {
                KeyMatch::Unknown if inline.is_none() => glued_flag(name),
                _ => None,
            };
            let pasted =
                matches!(matched, KeyMatch::Unknown) && glued.is_none() && value_looks_secret(name);
            if let Some(f) = glued {
                secrets.push(inner(2 + f.name.len(), 2 + name.len()));
            } else if pasted {
                secrets.push(inner(2, 2 + name.len()));
            }
            let shown = shown_name(name);
            let key_span = match glued {
                Some(f) => inner(0, 2 + f.name.len()),
                None => inner(0, 2 + name.len()),
            };
            let flag = match matched {
                KeyMatch::Flag(f) if f.kind == FlagKind::FileOnly => None,
                KeyMatch::Flag(f) => Some(f),
                _ => None,
            };
            let matched = if flag.is_none() && matches!(matched, KeyMatch::Flag(_)) {
                KeyMatch::Unknown
            } else {
                matched
            };
            let secret = match matched {
                KeyMatch::Flag(f) | KeyMatch::Removed(f) => f.is_secret_value(),
                KeyMatch::Unknown => {
                    name_suggests_secret(name)
                        || crate::input::mask::near_secret_flag(name)
                        || glued.is_some()
                        || pasted
                }
            };
            let takes_value = match flag {
                Some(f) => f.ty != FlagType::Bool,
                // An unknown flag: take a following word as its value, so it is not reported twice.
                None => inline.is_none() && args.get(i + 1).is_some_and(|n| !looks_like_flag(n)),
            };
            let index = i;
            let (value, value_span) = match inline {
                Some(v) => (
                    RawValue::Text(Text::new(v.to_string(), secret)),
                    inner(3 + name.len(), arg.len()),
                ),
                None if takes_value && i + 1 < args.len() => {
                    i += 1;
                    // pflag takes the next word whatever it is (`--log-level --gh-token=x`):
                    // a swallowed secret flag stays a secret.
                    let swallowed = swallowed_secret(&args[i]);
                    if let Some(from) = swallowed {
                        secrets.push(place(i, from, args[i].len()));
                    }
                    let secret = secret || swallowed.is_some();
                    (
                        RawValue::Text(Text::new(args[i].clone(), secret)),
                        content(i),
                    )
                }
                None if takes_value => (RawValue::Missing, key_span),
                None => (RawValue::BareFlag, key_span),
            };
            if secret && value_span != key_span {
                secrets.push(value_span);
            }
            last_bare_bool = match (&value, flag) {
                (RawValue::BareFlag, Some(f)) => Some((index, f)),
                _ => None,
            };
            settings.push(Setting {
                matched,
                key: format!("--{shown}"),
                value,
                origin: Origin {
                    source: source_id,
                    channel: Channel::Flag,
                    spelling: Spelling::Flag {
                        index,
                        flag: format!("--{shown}"),
                    },
                    key_span,
                    value_span,
                },
                merged: false,
            });
        } else if arg.starts_with('-') && arg.len() > 1 {
            // Show only the flag-shaped part: whatever follows `=` (or a word that is no flag
            // at all, such as a pasted key) may be a secret, and so may whatever follows a
            // flag name a value was glued to (`-gh-token$TOKEN`), or a name that is a pasted
            // credential, as with `--`.
            let name = flag_name(arg);
            let hidden_from = match (name, arg.find('=')) {
                (Some(_), Some(eq)) => Some(eq + 1),
                (Some(n), None) if flags::lookup(n).is_some() => None,
                (Some(n), None) => match glued_flag(n) {
                    Some(f) => Some(1 + f.name.len()),
                    None if value_looks_secret(n) => Some(1),
                    None => None,
                },
                (None, _) => Some(0),
            };
            if let Some(from) = hidden_from {
                secrets.push(inner(from, arg.len()));
            }
            issues.push(ArgvIssue::Malformed {
                index: i,
                name: name.map(shown_name),
                location,
            });
            last_bare_bool = None;
        } else {
            // A stray word is shown only when it reads as a bool or a subcommand; anything else
            // could be a secret that lost its flag.
            let harmless = matches!(
                arg.to_ascii_lowercase().as_str(),
                "true"
                    | "false"
                    | "yes"
                    | "no"
                    | "on"
                    | "off"
                    | "0"
                    | "1"
                    | "t"
                    | "f"
                    | "server"
                    | "atlantis"
            );
            if !harmless {
                secrets.push(content(i));
            }
            issues.push(ArgvIssue::Positional {
                index: i,
                word: Text::new(arg.clone(), !harmless),
                after_bool: last_bare_bool.take(),
                location,
            });
        }
        i += 1;
    }
    (settings, issues, secrets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pflag_rules() {
        let (src, settings, issues) = read(
            0,
            &args(&[
                "atlantis",
                "server",
                "--gh-user",
                "bob",
                "--gh-token=s3cr3t-value",
                "--write-git-creds",
                "false",
                "--automerge=false",
            ]),
        );
        assert_eq!(settings.len(), 4);
        assert!(matches!(&settings[0].value, RawValue::Text(t) if t.as_str() == "bob"));
        assert!(matches!(settings[2].value, RawValue::BareFlag));
        assert!(
            matches!(&issues[0], ArgvIssue::Positional { word, after_bool: Some(_), .. } if word.as_str() == "false")
        );
        assert!(!src.masked().contains("s3cr3t"));
        let o = &settings[1].origin;
        assert_eq!(&src.text[o.key_span.start..o.key_span.end], "--gh-token");
        assert_eq!(
            &src.text[o.value_span.start..o.value_span.end],
            "s3cr3t-value"
        );
    }

    #[test]
    fn spans_inside_quoted_words() {
        let (src, settings, _) = read(
            0,
            &args(&["--repo-allowlist=it's é, x", "--gh-user='x'", "-x'y=a'b"]),
        );
        let o = &settings[0].origin;
        assert_eq!(
            &src.text[o.key_span.start..o.key_span.end],
            "--repo-allowlist"
        );
        assert_eq!(
            &src.text[o.value_span.start..o.value_span.end],
            "it'\\''s é, x"
        );
        let o = &settings[1].origin;
        assert_eq!(
            &src.text[o.value_span.start..o.value_span.end],
            "'\\''x'\\''"
        );
        // A malformed word is masked from its start (no flag name) to its closing quote.
        assert!(
            src.masked().ends_with(" '**************'"),
            "{}",
            src.masked()
        );
    }

    #[test]
    fn stray_secret_words_are_masked() {
        let (src, _, _) = read(
            0,
            &args(&[
                "-gh-token=tok-one",
                "ATLANTIS_GH_WEBHOOK_SECRET=tok-two",
                "--gh-token=",
                "tok-three",
                "--gh-user",
                "bob",
                "-x'y=tok-four",
            ]),
        );
        let m = src.masked();
        assert!(!m.contains("tok-"), "{m}");
        assert!(m.contains("-gh-token=") && m.contains("bob"), "{m}");
    }

    #[test]
    fn a_value_glued_to_a_single_dash_flag_is_cut_off() {
        let (src, _, issues) = read(
            0,
            &args(&[
                "-gh-tokenhunter2hunter2",
                "-gh-user",
                "-aZ3kP9qLmX2vB7nR4tY8wE1c",
            ]),
        );
        assert_eq!(
            src.masked(),
            "-gh-token************** -gh-user -************************"
        );
        let names: Vec<_> = issues
            .iter()
            .filter_map(|i| match i {
                ArgvIssue::Malformed { name, .. } => name.clone(),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["gh-token…", "gh-user", "<redacted>"]);
    }

    #[test]
    fn missing_value_and_quoting() {
        let (src, settings, _) = read(0, &args(&["--repo-allowlist", "a/*, b/*", "--gh-user"]));
        let o = &settings[0].origin;
        assert_eq!(&src.text[o.value_span.start..o.value_span.end], "a/*, b/*");
        assert!(matches!(settings[1].value, RawValue::Missing));
    }
}

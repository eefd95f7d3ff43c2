//! From findings to what a user reads. The rules know nothing of formats; formats know nothing
//! of rules. Every format reads the same [`Report`], built once: positions resolved to lines and
//! columns, snippets taken from masked copies of the sources, findings sorted and de-duplicated.

pub mod concise;
pub mod docs;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod sarif;

use crate::config::{EffectiveConfig, Location, Spelling};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::source::{SourceId, SourceKind, Sources, Span};
use crate::version::AtlantisVersion;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Where a diagnostic points, as the JSON format (version 1) names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind")]
pub enum SourceRef {
    #[serde(rename = "file")]
    File {
        path: String,
        line: usize,
        column: usize,
        end_line: usize,
        end_column: usize,
    },
    #[serde(rename = "env")]
    Env { name: String },
    #[serde(rename = "env-file")]
    EnvFile {
        path: String,
        line: usize,
        column: usize,
        name: String,
    },
    #[serde(rename = "argv")]
    Argv { index: usize, flag: String },
    #[serde(rename = "none")]
    None,
}

impl SourceRef {
    /// The file path, when the diagnostic points into a file.
    pub fn path(&self) -> Option<&str> {
        match self {
            SourceRef::File { path, .. } | SourceRef::EnvFile { path, .. } => Some(path),
            _ => None,
        }
    }

    /// (line, column, end line, end column), 1-based, when known.
    pub fn position(&self) -> Option<(usize, usize, usize, usize)> {
        match self {
            SourceRef::File {
                line,
                column,
                end_line,
                end_column,
                ..
            } => Some((*line, *column, *end_line, *end_column)),
            SourceRef::EnvFile { line, column, .. } => Some((*line, *column, *line, *column)),
            _ => None,
        }
    }

    /// A short human description: `atlantis.yaml:3:1`, `env ATLANTIS_GH_USER`, `argument 2 (--gh-user)`.
    pub fn describe(&self) -> String {
        match self {
            SourceRef::File {
                path, line, column, ..
            } => format!("{path}:{line}:{column}"),
            SourceRef::EnvFile {
                path,
                line,
                column,
                name,
            } => format!("{path}:{line}:{column} ({name})"),
            SourceRef::Env { name } => format!("environment variable {name}"),
            SourceRef::Argv { index, flag } => format!("command-line argument {index} ({flag})"),
            SourceRef::None => "the configuration as a whole".into(),
        }
    }

    fn sort_key(&self) -> (u8, &str, usize, usize) {
        match self {
            SourceRef::File {
                path, line, column, ..
            } => (0, path, *line, *column),
            SourceRef::EnvFile {
                path, line, column, ..
            } => (1, path, *line, *column),
            SourceRef::Env { name } => (2, name, 0, 0),
            SourceRef::Argv { index, .. } => (3, "", *index, 0),
            SourceRef::None => (4, "", 0, 0),
        }
    }
}

/// A labelled span in a masked source text.
#[derive(Debug, Clone)]
pub struct Snippet {
    pub name: String,
    /// The masked text of the whole source (secrets replaced by `*`).
    pub text: Arc<str>,
    pub span: Span,
    pub label: Option<String>,
}

/// A secondary position of a diagnostic.
#[derive(Debug, Clone)]
pub struct Related {
    pub source: SourceRef,
    pub snippet: Option<Snippet>,
}

/// One diagnostic, ready for any output format.
#[derive(Debug, Clone)]
pub struct Diag {
    pub rule: &'static RuleInfo,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub key: Option<String>,
    pub suggestion: Option<String>,
    pub source: SourceRef,
    pub snippet: Option<Snippet>,
    pub related: Vec<Related>,
    /// The config file of the configuration this finding is about (`None` without a file).
    pub config: Option<String>,
    /// Which part of that file the configuration is, when the file holds several (a manifest's
    /// `StatefulSet/atlantis/atlantis`: workload kind, name and container).
    pub part: Option<String>,
}

/// Where a rule's documentation lives (a stable URL: the anchor is the rule id).
pub fn help_uri(rule_id: &str) -> String {
    format!("{DOCS_URL}#{rule_id}")
}

/// The rule reference, rendered from the rules' own docs.
pub const DOCS_URL: &str = "https://github.com/atlantis-lint/atlantis-lint/blob/main/docs/rules.md";

/// The project's home page.
pub const HOME_URL: &str = "https://github.com/atlantis-lint/atlantis-lint";

/// Everything one run found.
#[derive(Debug, Default)]
pub struct Report {
    pub diags: Vec<Diag>,
    /// How many configurations were linted.
    pub configs: usize,
    /// The Atlantis releases the configurations were checked against (each once, in order).
    pub atlantis: Vec<AtlantisVersion>,
    /// Why the run itself failed (an input that could not be read), in the user's words. A run
    /// with failures never reports "no problems found", in any format.
    pub failures: Vec<String>,
    /// (rule, message, source) of every diagnostic, to drop repeats in constant time.
    seen: HashSet<(&'static str, String, SourceRef, Option<String>)>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Report {
    /// Adds the findings about one configuration.
    pub fn add(&mut self, cfg: &EffectiveConfig, findings: Vec<Finding>) {
        if !self.atlantis.contains(cfg.atlantis_version()) {
            self.atlantis.push(cfg.atlantis_version().clone());
        }
        if findings.is_empty() {
            // Nothing to redact: most files of a directory search have no finding.
            self.configs += 1;
            return;
        }
        let whole = Whole {
            sources: &cfg.sources,
            anchor: cfg.anchor.as_ref(),
            config: cfg.path.clone(),
            part: cfg.part.clone(),
        };
        self.add_in(&whole, &Redactor::new(cfg), findings);
    }

    /// Adds the findings about one repo-config or repo-level document, read into `sources`.
    /// These documents hold no credential flag of their own; snippets are masked as every
    /// source is (token-shaped strings).
    pub fn add_document(
        &mut self,
        sources: &Sources,
        config: String,
        release: &AtlantisVersion,
        findings: Vec<Finding>,
    ) {
        if !self.atlantis.contains(release) {
            self.atlantis.push(release.clone());
        }
        let whole = Whole {
            sources,
            anchor: None,
            config: Some(config),
            part: None,
        };
        self.add_in(&whole, &Redactor::from_values(Vec::new()), findings);
    }

    fn add_in(&mut self, cfg: &Whole, redactor: &Redactor, findings: Vec<Finding>) {
        self.configs += 1;
        let mut masked: HashMap<SourceId, Arc<str>> = HashMap::new();
        for f in findings {
            let label = f.label.clone().map(|l| redactor.redact(l));
            let (source, snippet) = resolve(cfg, &f.location, label, &mut masked);
            let related = f
                .related
                .iter()
                .map(|l| {
                    let text = redactor.redact(l.text.clone());
                    let (source, snippet) = resolve(cfg, &l.location, Some(text), &mut masked);
                    Related { source, snippet }
                })
                .collect();
            let diag = Diag {
                rule: f.rule,
                severity: f.severity,
                message: redactor.redact(f.message),
                help: f.help.map(|h| redactor.redact(h)),
                key: f.key.map(|k| redactor.redact(k)),
                suggestion: f.suggestion.map(|s| redactor.redact(s)),
                source,
                snippet,
                related,
                config: cfg.config.clone(),
                part: cfg.part.clone(),
            };
            // With several config files, env and command-line findings repeat per file: keep one.
            // Whole-config findings are about their own file, and never merged.
            let config = (diag.source == SourceRef::None)
                .then(|| {
                    diag.config
                        .clone()
                        .map(|c| format!("{c}#{}", diag.part.as_deref().unwrap_or("")))
                })
                .flatten();
            let key = (
                diag.rule.id,
                diag.message.clone(),
                diag.source.clone(),
                config,
            );
            if self.seen.insert(key) {
                self.diags.push(diag);
            }
        }
    }

    /// Sorts by path, line and column (then env, command line, whole-config findings).
    pub fn finish(&mut self) {
        self.diags.sort_by(|a, b| {
            a.source
                .sort_key()
                .cmp(&b.source.sort_key())
                .then_with(|| a.config.cmp(&b.config))
                .then_with(|| b.severity.cmp(&a.severity))
                .then_with(|| a.rule.id.cmp(b.rule.id))
                .then_with(|| a.message.cmp(&b.message))
        });
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for d in &self.diags {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}

/// What positions of one configuration (or document) resolve against.
struct Whole<'a> {
    sources: &'a Sources,
    anchor: Option<&'a Location>,
    config: Option<String>,
    part: Option<String>,
}

fn resolve(
    cfg: &Whole,
    location: &Location,
    label: Option<String>,
    masked: &mut HashMap<SourceId, Arc<str>>,
) -> (SourceRef, Option<Snippet>) {
    // A whole-config finding points at the configuration's anchor when its reader gave one.
    let location = match (location, cfg.anchor) {
        (Location::None, Some(anchor)) => anchor,
        _ => location,
    };
    let Location::Source {
        source,
        spelling,
        span,
    } = location
    else {
        return (SourceRef::None, None);
    };
    let text = cfg.sources.get(*source);
    let (line, column) = text.line_col(span.start);
    let (end_line, end_column) = text.line_col(span.end);
    // Where a position is comes from the source's kind; env and argv texts are synthetic, so
    // they are named by variable or argument instead. Any user file is a `file` position.
    let source_ref = match (&text.kind, spelling) {
        (_, Spelling::Assumed { .. }) => return (SourceRef::None, None),
        (SourceKind::EnvFile, Spelling::EnvVar { name }) => SourceRef::EnvFile {
            path: text.name.clone(),
            line,
            column,
            name: name.clone(),
        },
        (SourceKind::Env, Spelling::EnvVar { name }) => SourceRef::Env { name: name.clone() },
        (SourceKind::Argv, Spelling::Flag { index, flag }) => SourceRef::Argv {
            index: *index,
            flag: flag.clone(),
        },
        _ => SourceRef::File {
            path: text.name.clone(),
            line,
            column,
            end_line,
            end_column,
        },
    };
    let masked_text = masked
        .entry(*source)
        .or_insert_with(|| Arc::from(printable_same_length(text.masked())))
        .clone();
    let snippet = Snippet {
        name: text.name.clone(),
        text: masked_text,
        span: *span,
        label,
    };
    (source_ref, Some(snippet))
}

/// The last line of defence: whatever a rule or a host answer put into a message (an echoed
/// token, a Basic-auth header), every secret value of the configuration, and its base64 forms,
/// is replaced by `<redacted>` before any format sees it. One Aho-Corasick automaton searches for
/// all of them at once, so the cost stays linear in the report's size.
struct Redactor {
    /// Patterns: the secret values, then the middle of each one's base64 encoding at the three
    /// byte alignments (found inside any encoding that embeds it, such as `user:token`).
    searcher: Option<aho_corasick::AhoCorasick>,
    /// Patterns below this index are plain values; the others are base64 fragments.
    plain_count: usize,
    /// Values longer than [`MAX_AUTOMATON_LEN`] (a 5 MB `repo-config-json`): searched for
    /// directly, as a whole, so that the automaton stays small.
    large: Vec<String>,
}

/// Longer secret values are not put into the automaton (nor their base64 forms): building it
/// over megabytes of patterns costs seconds, and no message quotes such a value's encoding.
const MAX_AUTOMATON_LEN: usize = 4096;

/// Secrets shorter than this are not searched for (they would match ordinary words).
const MIN_REDACTED_LEN: usize = 6;

impl Redactor {
    fn new(cfg: &EffectiveConfig) -> Redactor {
        let mut plain: Vec<String> = Vec::new();
        for setting in &cfg.settings {
            let text = match &setting.value {
                crate::config::RawValue::Text(t)
                | crate::config::RawValue::Scalar { text: t, .. } => t,
                _ => continue,
            };
            if text.is_secret() {
                plain.push(text.as_str().trim().to_string());
            }
        }
        Redactor::from_values(plain)
    }

    fn from_values(mut plain: Vec<String>) -> Redactor {
        use base64::Engine as _;
        // A secret flag's documented default (web-password `atlantis`) is public: rules name it.
        let defaults: Vec<String> = crate::flags::FLAGS
            .iter()
            .filter(|f| f.is_secret_value())
            .filter_map(|f| f.default_text())
            .collect();
        plain.retain(|p| p.len() >= MIN_REDACTED_LEN && !defaults.contains(p));
        plain.sort();
        plain.dedup();
        let (large, plain): (Vec<String>, Vec<String>) =
            plain.into_iter().partition(|p| p.len() > MAX_AUTOMATON_LEN);
        let mut encoded = Vec::new();
        for p in &plain {
            let engines = [
                base64::engine::general_purpose::STANDARD,
                base64::engine::general_purpose::URL_SAFE,
            ];
            for engine in &engines {
                for k in 0..3 {
                    let mut bytes = vec![0u8; k];
                    bytes.extend_from_slice(p.as_bytes());
                    let enc = engine.encode(&bytes);
                    // Drop the characters that depend on the prefix or on what follows.
                    if enc.len() > 8 + MIN_REDACTED_LEN {
                        encoded.push(enc[4..enc.len() - 4].to_string());
                    }
                }
            }
        }
        let plain_count = plain.len();
        let patterns: Vec<String> = plain.into_iter().chain(encoded).collect();
        let searcher = (!patterns.is_empty())
            .then(|| {
                // A DFA over long secrets (a 100 KB repo-config-json and its base64 forms) takes
                // seconds to build; the NFA is built in linear time and searches fast enough.
                let long = patterns.iter().map(String::len).sum::<usize>() > 16 * 1024;
                aho_corasick::AhoCorasick::builder()
                    // A report is searched once: an NFA builds far faster than a DFA and
                    // searches a few KB of messages just as well.
                    .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
                    .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                    .kind(long.then_some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                    .build(&patterns)
                    .ok()
            })
            .flatten();
        Redactor {
            searcher,
            plain_count,
            large,
        }
    }

    fn redact(&self, mut s: String) -> String {
        for value in &self.large {
            if s.len() >= value.len() && s.contains(value.as_str()) {
                s = s.replace(value.as_str(), "<redacted>");
            }
        }
        let Some(searcher) = &self.searcher else {
            return s;
        };
        let is_b64 =
            |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_');
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for m in searcher.find_iter(&s) {
            let (mut start, mut end) = (m.start(), m.end());
            if m.pattern().as_usize() >= self.plain_count {
                // The whole base64 word around a fragment goes.
                start = s[..start].rfind(|c: char| !is_b64(c)).map_or(0, |i| i + 1);
                end = s[end..]
                    .find(|c: char| !is_b64(c))
                    .map_or(s.len(), |i| end + i);
            }
            match ranges.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => ranges.push((start, end)),
            }
        }
        if ranges.is_empty() {
            return s;
        }
        let mut out = String::with_capacity(s.len());
        let mut at = 0;
        for (start, end) in ranges {
            out.push_str(&s[at..start]);
            out.push_str("<redacted>");
            at = end;
        }
        out.push_str(&s[at..]);
        out
    }
}

/// Characters that must never reach a terminal or a CI log raw: control characters (escape
/// sequences, a bare carriage return, a newline that could start a `::workflow-command` line)
/// and the bidirectional overrides that reorder what a reader sees.
fn unsafe_char(c: char, keep_newlines: bool) -> bool {
    (c.is_control() && c != '\t' && !(keep_newlines && c == '\n'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A message, label or help with unsafe characters escaped (`\n`, `\u{1b}`), as the input
/// quoted in it (a key, a flag) may hold any character. Text formats (human, concise) call it;
/// JSON keeps the characters (JSON escapes them) and the github format percent-encodes them.
pub fn printable(s: String, keep_newlines: bool) -> String {
    if !s.chars().any(|c| unsafe_char(c, keep_newlines)) {
        return s;
    }
    s.chars()
        .map(|c| {
            if unsafe_char(c, keep_newlines) {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A snippet text with unsafe characters replaced by `?`s of the same byte length, so that every
/// span stays valid. Line breaks (`\n`, `\r\n`) are kept.
pub fn printable_same_length(text: &str) -> String {
    let bytes = text.as_bytes();
    // Fast path: no control byte, no lone CR, no C1 control (`0xC2 0x80..0x9F`) and no bidi
    // override (`0xE2 0x80|0x81 ...`) can be present.
    let suspicious =
        |b: &u8| (*b < 0x20 && *b != b'\n' && *b != b'\t') || matches!(*b, 0x7f | 0xC2 | 0xE2);
    if !bytes.iter().any(suspicious) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let crlf = c == '\r' && bytes.get(i + 1) == Some(&b'\n');
        if c != '\n' && !crlf && unsafe_char(c, true) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_their_base64_are_redacted() {
        use base64::Engine as _;
        let r = Redactor::from_values(vec![
            "s3cr3t-t0ken".into(),
            "qzKxGh32ZxGe5ufCUMzg3B7Y".into(),
            "atlantis".into(),
        ]);
        assert_eq!(
            r.redact("user `s3cr3t-t0ken` ok".into()),
            "user `<redacted>` ok"
        );
        // The public default of web-password is not a secret.
        assert_eq!(r.redact("default `atlantis`".into()), "default `atlantis`");
        for prefix in ["", "a", "atlantis-bot:", "ab"] {
            let basic = base64::engine::general_purpose::STANDARD
                .encode(format!("{prefix}qzKxGh32ZxGe5ufCUMzg3B7Y"));
            let out = r.redact(format!("authorization=Basic {basic} host=x"));
            assert_eq!(out, "authorization=Basic <redacted> host=x", "{prefix}");
        }
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(
            printable("a\u{1b}[31mb\n::error::x".into(), false),
            "a\\u{1b}[31mb\\n::error::x"
        );
        assert_eq!(printable("line\nnext".into(), true), "line\nnext");
        assert_eq!(printable("k\u{202e}x".into(), false), "k\\u{202e}x");
        let t = "a: \u{1b}]0;x\u{7}\r\nb: \u{202e}c\rd\n";
        let p = printable_same_length(t);
        assert_eq!(p.len(), t.len());
        assert_eq!(p, "a: ?]0;x?\r\nb: ???c?d\n");
    }
}

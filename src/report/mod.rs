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
use crate::secret::KnownSecrets;
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

/// At most this many findings of one rule are listed per source (a config file, an env file,
/// the command line); one more finding says how many were left out. A 10 MiB file of unknown
/// keys then costs a report of a few hundred findings, not millions.
pub const MAX_PER_RULE_AND_SOURCE: usize = 100;

/// Findings of one rule in one source beyond [`MAX_PER_RULE_AND_SOURCE`].
struct LeftOut {
    rule: &'static RuleInfo,
    source: SourceId,
    count: usize,
    severity: Severity,
    first: Location,
}

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
    /// Findings left out past the cap per rule and source (see [`Summary::not_listed`]).
    pub not_listed: usize,
    /// (rule, message, source) of every diagnostic, to drop repeats in constant time.
    seen: HashSet<(&'static str, String, SourceRef, Option<String>)>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings beyond [`MAX_PER_RULE_AND_SOURCE`] of one rule in one source, not listed (each
    /// such group is listed as one more finding that counts them). In JSON only when not 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub not_listed: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Report {
    /// Adds the findings about one configuration.
    pub fn add(&mut self, cfg: &EffectiveConfig, findings: Vec<Finding>) {
        self.add_with(cfg, findings, &KnownSecrets::default());
    }

    /// Adds the findings about one configuration; `known` holds the secrets the run loaded or
    /// built besides the configuration's values (file contents, JWTs, encoded headers).
    pub fn add_with(
        &mut self,
        cfg: &EffectiveConfig,
        findings: Vec<Finding>,
        known: &KnownSecrets,
    ) {
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
        self.add_in(&whole, &Redactor::new(cfg, known), findings);
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
        // Findings listed so far per (rule, source), and what was left out beyond the cap.
        let mut listed: HashMap<(&'static str, SourceId), usize> = HashMap::new();
        let mut left_out: Vec<LeftOut> = Vec::new();
        let mut findings = findings;
        for mut f in findings.drain(..) {
            if let Location::Source { source, .. } = &f.location {
                let n = listed.entry((f.rule.id, *source)).or_default();
                *n += 1;
                // Past the cap, the finding itself is left out too.
                let over = *n > MAX_PER_RULE_AND_SOURCE;
                let count = f.more + usize::from(over);
                if count > 0 {
                    match left_out
                        .iter_mut()
                        .find(|l| l.rule.id == f.rule.id && l.source == *source)
                    {
                        Some(l) => {
                            l.count += count;
                            l.severity = l.severity.max(f.severity);
                        }
                        None => left_out.push(LeftOut {
                            rule: f.rule,
                            source: *source,
                            count,
                            severity: f.severity,
                            first: f.location.clone(),
                        }),
                    }
                    f.more = 0;
                }
                if over {
                    continue;
                }
            }
            let label = f.label.clone().map(|l| redactor.redact(l));
            let (source, snippet) = resolve(cfg, &f.location, label, &mut masked, redactor);
            let related = f
                .related
                .iter()
                .map(|l| {
                    let text = redactor.redact(l.text.clone());
                    let (source, snippet) =
                        resolve(cfg, &l.location, Some(text), &mut masked, redactor);
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
        for l in left_out {
            self.not_listed += l.count;
            let name = printable(cfg.sources.get(l.source).name.clone(), false);
            let label = Some(format!("the first of {} more", l.count));
            let (source, snippet) = resolve(cfg, &l.first, label, &mut masked, redactor);
            self.diags.push(Diag {
                rule: l.rule,
                severity: l.severity,
                message: format!(
                    "{} more {} finding{} in {name} not listed (at most {MAX_PER_RULE_AND_SOURCE} per rule and source are)",
                    l.count,
                    l.rule.id,
                    if l.count == 1 { "" } else { "s" }
                ),
                help: Some(format!(
                    "fix the {MAX_PER_RULE_AND_SOURCE} listed and run again, or check that this is the file you meant to lint"
                )),
                key: None,
                suggestion: None,
                source,
                snippet,
                related: Vec::new(),
                config: cfg.config.clone(),
                part: cfg.part.clone(),
            });
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
        let mut s = Summary {
            not_listed: self.not_listed,
            ..Summary::default()
        };
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
    redactor: &Redactor,
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
        .or_insert_with(|| {
            // A secret written again where no key marks it (`gh-user: <the token>`) is masked
            // too: otherwise the snippet would show what the message redacts.
            Arc::from(redactor.mask_same_length(printable_same_length(text.masked())))
        })
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
/// token, a Basic-auth header), every secret value of the configuration and every secret the run
/// loaded or built ([`KnownSecrets`]), and their base64 forms, is replaced by `<redacted>` before
/// any format sees it; so is anything shaped like a known token or a PEM private key. Snippets
/// get the same search, masking with `*`s: a message never hides what its snippet shows.
///
/// The cost stays linear in the secrets' and the report's size whatever the values: short
/// patterns share one Aho-Corasick automaton; long ones (whose automaton build can be quadratic
/// for periodic values) are searched one by one with a linear substring search.
pub struct Redactor {
    /// Patterns up to [`LONG_PATTERN`] bytes: the secret values, then the middle of each one's
    /// base64 encoding at the three byte alignments (found inside any encoding that embeds it,
    /// such as `user:token`).
    searcher: Option<aho_corasick::AhoCorasick>,
    /// Whether each pattern of `searcher` is a piece (a base64 fragment, a piece of a long
    /// secret), whose whole surrounding word is redacted.
    short_b64: Vec<bool>,
    /// Longer patterns, and whether each is a base64 fragment.
    long: Vec<(memchr::memmem::Finder<'static>, bool)>,
}

/// Longer secret values get no base64 forms (a 5 MB `repo-config-json`): building them costs
/// seconds, and no message quotes such a value's encoding; the value itself is searched for
/// directly (as every pattern longer than [`LONG_PATTERN`] is).
const MAX_AUTOMATON_LEN: usize = 4096;

/// Secrets shorter than this are not searched for (they would match ordinary words).
const MIN_REDACTED_LEN: usize = 6;

/// Patterns longer than this are searched with their own linear substring search.
const LONG_PATTERN: usize = 256;

/// Secrets between these lengths are also searched piece by piece ([`CHUNK`] bytes).
const CHUNKED_FROM: usize = 24;
const CHUNKED_UP_TO: usize = 64 * 1024;
const CHUNK: usize = 16;

impl Redactor {
    /// The redactor of one configuration: its secret values, plus `known`.
    pub fn new(cfg: &EffectiveConfig, known: &KnownSecrets) -> Redactor {
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
        for issue in &cfg.argv_issues {
            if let crate::config::ArgvIssue::Positional { word, .. } = issue {
                if word.is_secret() {
                    plain.push(word.as_str().trim().to_string());
                }
            }
        }
        // Parts of command-line words masked where no setting holds them (a glued or
        // swallowed value, a pasted credential).
        for (_, source) in cfg.sources.iter() {
            if source.kind == crate::source::SourceKind::Argv {
                for span in source.secret_spans() {
                    if let Some(t) = source.text.get(span.start..span.end) {
                        plain.push(t.trim_matches(['\'', ' ']).to_string());
                    }
                }
            }
        }
        plain.extend(known.all().iter().map(|s| s.expose().to_string()));
        Redactor::from_values(plain)
    }

    /// Every copy of a secret made here (the values, their base64 forms and pieces) is wiped
    /// once the searchers are built, or when it is dropped as a duplicate. The searchers' own
    /// copies cannot be: aho-corasick and memchr give no access to their memory.
    pub fn from_values(mut plain: Vec<String>) -> Redactor {
        use base64::Engine as _;
        use zeroize::{Zeroize as _, Zeroizing};
        // A secret flag's documented default (web-password `atlantis`) is public: rules name it.
        let defaults: Vec<String> = crate::flags::FLAGS
            .iter()
            .filter(|f| f.is_secret_value())
            .filter_map(|f| f.default_text())
            .collect();
        plain.retain_mut(|p| {
            let keep = p.len() >= MIN_REDACTED_LEN && !defaults.contains(p);
            if !keep {
                p.zeroize();
            }
            keep
        });
        plain.sort();
        plain.dedup_by(|dropped, kept| {
            let same = dropped == kept;
            if same {
                dropped.zeroize();
            }
            same
        });
        let mut patterns: Vec<(String, bool)> = Vec::new();
        for p in plain {
            let engines = [
                base64::engine::general_purpose::STANDARD,
                base64::engine::general_purpose::URL_SAFE,
            ];
            // A value longer than MAX_AUTOMATON_LEN is searched as a whole only.
            for engine in engines.iter().filter(|_| p.len() <= MAX_AUTOMATON_LEN) {
                for k in 0..3 {
                    let mut bytes = Zeroizing::new(Vec::with_capacity(k + p.len()));
                    bytes.resize(k, 0);
                    bytes.extend_from_slice(p.as_bytes());
                    let enc = Zeroizing::new(engine.encode(&*bytes));
                    // Drop the characters that depend on the prefix or on what follows.
                    if enc.len() > 8 + MIN_REDACTED_LEN {
                        patterns.push((enc[4..enc.len() - 4].to_string(), true));
                    }
                }
            }
            // A long secret may be echoed cut short (a host truncates its message): every
            // 16-byte piece at a stride of 8 is searched too, so any 23 bytes of it are found,
            // and the whole word around a piece goes.
            // Only for one-word values (a token, a JWT, a line of a key): pieces of a JSON
            // value would match ordinary text (`{"Authorization"`).
            let one_word = p
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.+/=~".contains(&b));
            if one_word && p.len() > CHUNKED_FROM && p.len() <= CHUNKED_UP_TO {
                let bytes = p.as_bytes();
                let mut at = 0;
                while at + CHUNK <= bytes.len() {
                    if let Ok(piece) = std::str::from_utf8(&bytes[at..at + CHUNK]) {
                        patterns.push((piece.to_string(), true));
                    }
                    at += CHUNK / 2;
                }
            }
            patterns.push((p, false));
        }
        patterns.sort();
        patterns.dedup_by(|dropped, kept| {
            let same = dropped.0 == kept.0;
            if same {
                dropped.0.zeroize();
            }
            same
        });
        let (mut long, mut short): (Vec<_>, Vec<_>) = patterns
            .into_iter()
            .partition(|(p, _)| p.len() > LONG_PATTERN);
        let searcher = (!short.is_empty())
            .then(|| {
                aho_corasick::AhoCorasick::builder()
                    // A report is searched once: an NFA builds far faster than a DFA and
                    // searches a few KB of messages just as well.
                    .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
                    // Every match, overlapping ones included: a piece of a JWT that overlaps a
                    // whole part of it must still widen the redaction to the whole word.
                    .match_kind(aho_corasick::MatchKind::Standard)
                    .build(short.iter().map(|(p, _)| p))
                    .ok()
            })
            .flatten();
        let short_b64 = short.iter().map(|(_, b)| *b).collect();
        let finders = long
            .iter()
            .map(|(p, b)| (memchr::memmem::Finder::new(p.as_bytes()).into_owned(), *b))
            .collect();
        for (p, _) in short.iter_mut().chain(long.iter_mut()) {
            p.zeroize();
        }
        Redactor {
            searcher,
            short_b64,
            long: finders,
        }
    }

    /// Byte ranges of `s` that hold a secret, sorted and merged.
    fn ranges(&self, s: &str) -> Vec<(usize, usize)> {
        // Base64 (standard and URL-safe) and JWT characters.
        let is_b64 =
            |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_' | '.');
        // Matches fall on character boundaries (every needle is whole UTF-8); should one ever
        // not, the range grows to whole characters rather than slicing inside one.
        let floor = |mut i: usize| {
            while !s.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let ceil = |mut i: usize| {
            while !s.is_char_boundary(i) {
                i += 1;
            }
            i
        };
        // The last word found: overlapping matches inside one long word (a periodic secret
        // matches at every offset) reuse it, so that widening stays linear in `s`.
        let last_word: std::cell::Cell<Option<(usize, usize)>> = std::cell::Cell::new(None);
        let widen = |(start, end): (usize, usize), b64: bool| {
            let (start, end) = (floor(start), ceil(end));
            if !b64 {
                return (start, end);
            }
            if let Some((ws, we)) = last_word.get() {
                if ws <= start && end <= we && s[start..end].chars().all(is_b64) {
                    return (ws, we);
                }
            }
            // The whole base64 word around a fragment goes.
            let word = (
                // After the character that ends the word, which may be multi-byte (`é`, `�`).
                s[..start]
                    .char_indices()
                    .rev()
                    .find(|&(_, c)| !is_b64(c))
                    .map_or(0, |(i, c)| i + c.len_utf8()),
                s[end..]
                    .find(|c: char| !is_b64(c))
                    .map_or(s.len(), |i| end + i),
            );
            last_word.set(Some(word));
            word
        };
        let mut found: Vec<(usize, usize)> = Vec::new();
        if let Some(searcher) = &self.searcher {
            for m in searcher.find_overlapping_iter(s) {
                found.push(widen(
                    (m.start(), m.end()),
                    self.short_b64[m.pattern().as_usize()],
                ));
            }
        }
        for (finder, b64) in &self.long {
            let n = finder.needle().len();
            let mut at = 0;
            while let Some(i) = finder.find(&s.as_bytes()[at..]) {
                found.push(widen((at + i, at + i + n), *b64));
                at += i + n;
            }
        }
        found.extend(
            crate::secret::token_like_spans(s)
                .into_iter()
                .map(|sp| (sp.start, sp.end)),
        );
        found.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(found.len());
        for (start, end) in found {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        merged
    }

    /// True when `s` holds a secret.
    pub fn finds(&self, s: &str) -> bool {
        !self.ranges(s).is_empty()
    }

    /// `s` with every secret replaced by `<redacted>`.
    pub fn redact(&self, s: String) -> String {
        let ranges = self.ranges(&s);
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

    /// `text` with every secret replaced by `*`s of the same byte length (line breaks kept), so
    /// that spans into it stay valid.
    pub fn mask_same_length(&self, text: String) -> String {
        let ranges = self.ranges(&text);
        if ranges.is_empty() {
            return text;
        }
        let mut bytes = text.into_bytes();
        for (start, end) in ranges {
            for b in &mut bytes[start..end] {
                if *b != b'\n' && *b != b'\r' {
                    *b = b'*';
                }
            }
        }
        // Every byte of a multi-byte character in a range is replaced: still valid UTF-8.
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// Characters that must never reach a terminal or a CI log raw: control characters (escape
/// sequences, a bare carriage return, a newline that could start a `::workflow-command` line)
/// the bidirectional overrides that reorder what a reader sees, and invisible characters.
fn unsafe_char(c: char, keep_newlines: bool) -> bool {
    (c.is_control() && c != '\t' && !(keep_newlines && c == '\n'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        // Line and paragraph separators (a new line to some viewers), zero-width characters
        // and direction marks (invisible: `gh-user` and `gh\u{200b}-user` look the same).
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200b}'..='\u{200f}' | '\u{feff}')
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

/// JSON text with the bidirectional overrides (which serde_json leaves raw, and which reorder
/// what a terminal shows) written as `\uXXXX` escapes: the same JSON value. They can only
/// stand inside strings, so a plain replacement is exact.
pub fn escape_bidi_in_json(s: String) -> String {
    // The bidi overrides, and the separators and invisible characters `unsafe_char` escapes.
    let hidden = |c: char| {
        matches!(
            c,
            '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{200b}'..='\u{200f}'
                | '\u{feff}'
        )
    };
    if !s.contains(hidden) {
        return s;
    }
    s.chars()
        .map(|c| {
            if hidden(c) {
                format!("\\u{:04x}", c as u32)
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
    // Fast path: no control byte, no lone CR, no C1 control (`0xC2 0x80..0x9F`), no bidi
    // override, separator or zero-width character (`0xE2 0x80|0x81 ...`) and no BOM
    // (`0xEF 0xBB 0xBF`) can be present.
    let suspicious = |b: &u8| {
        (*b < 0x20 && *b != b'\n' && *b != b'\t') || matches!(*b, 0x7f | 0xC2 | 0xE2 | 0xEF)
    };
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
    fn known_secrets_are_redacted_even_cut_short() {
        // What the online probe registers: a token read from a file (with its newline) and an
        // app JWT, which a host may echo whole, in part, or cut short.
        let known = KnownSecrets::default();
        known.add("qzFileToken0123456789abcdef\n");
        let sig = "Xk3vQ9pL2mN8rT5wY7zA1cE4gH6jK0bD-sF_uI3oP5qR7tV9xZ2";
        let jwt = format!(
            "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3MDAwMDAwMDAsImlzcyI6IjEifQ.{sig}"
        );
        known.add(&jwt);
        let values: Vec<String> = known.all().iter().map(|s| s.expose().to_string()).collect();
        let r = Redactor::from_values(values);
        assert_eq!(
            r.redact("bad login `qzFileToken0123456789abcdef`".into()),
            "bad login `<redacted>`"
        );
        for shown in [jwt.as_str(), sig, &jwt[..90], &sig[10..40]] {
            let out = r.redact(format!("Bearer {shown} refused"));
            assert_eq!(out, "Bearer <redacted> refused", "{shown}");
        }
        // The snippet gets the same search: the secret inside another value is masked there too
        // (with the word around it, as it was found piece by piece).
        let masked =
            r.mask_same_length("vcs-status-name: x-qzFileToken0123456789abcdef-y\n".into());
        assert_eq!(masked, "vcs-status-name: *******************************\n");
    }

    #[test]
    fn a_word_after_a_multi_byte_character_is_redacted_whole() {
        // Found by the pipeline fuzz target: the base64 word around a piece was taken to start
        // one byte after the character before it, inside `�` (a panic slicing the message).
        let r = Redactor::from_values(vec!["qzKxGh32ZxGe5ufCUMzg3B7Y".into()]);
        use base64::Engine as _;
        let basic = base64::engine::general_purpose::STANDARD.encode("u:qzKxGh32ZxGe5ufCUMzg3B7Y");
        for before in ["\u{fffd}", "é", "日本"] {
            let out = r.redact(format!("x{before}{basic} y"));
            assert_eq!(out, format!("x{before}<redacted> y"));
            let masked = r.mask_same_length(format!("x{before}{basic} y"));
            assert!(masked.starts_with(&format!("x{before}*")), "{masked}");
        }
    }

    #[test]
    fn periodic_secrets_cost_linear_time() {
        let secret = "ab".repeat(500_000);
        let started = std::time::Instant::now();
        let r = Redactor::from_values(vec![secret.clone()]);
        let out = r.redact(format!("x{secret}y"));
        assert_eq!(out, "x<redacted>y");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
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

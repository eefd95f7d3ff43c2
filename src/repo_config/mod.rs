//! Atlantis's other two YAML documents: the server-side repo config (`repos.yaml`, given by
//! `--repo-config`, or the JSON of `--repo-config-json`) and a repository's `atlantis.yaml`.
//!
//! Each is read on the project's span-keeping YAML layer (JSON is YAML) into a typed raw model
//! ([`model`]) that keeps every span, decoded as Atlantis's Go decoders do ([`decode`]): the
//! rules in `crate::rules::repo` then check it like Atlantis does at startup (or at the pull
//! request, for `atlantis.yaml`), and for the mistakes Atlantis does not catch.

pub mod decode;
pub mod goregex;
pub mod matching;
pub mod model;
pub mod run;
pub mod schema;
pub mod steps;

use crate::config::{Location, MountedFile, Spelling, Written};
use crate::input::yaml::{self, NodeKind, Style, YamlDoc};
use crate::source::{SourceId, Span};
use crate::version::Version;
use decode::{Issue, View};
use model::{GlobalCfg, RepoCfg};

/// Which of the two documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The server-side repo config (`repos.yaml`, `--repo-config-json`).
    RepoConfig,
    /// A repository's `atlantis.yaml`.
    RepoYaml,
}

/// From offsets in the parsed text to offsets in the source it was written in: the identity
/// for a file, or an alignment for JSON held in a YAML scalar (quotes and escapes shift it).
#[derive(Debug, Clone, Default)]
pub struct SpanMap {
    /// (offset in the parsed text, offset in the source) at each point where the shift changes.
    points: Vec<(usize, usize)>,
    /// Where the scalar ends in the source (mapped spans never pass it).
    limit: Option<usize>,
    /// Every span is this one: the text was decoded from a string whose inside cannot be
    /// positioned (a quoted or folded Helm value).
    whole: Option<Span>,
}

impl SpanMap {
    fn offset(&self, at: usize) -> usize {
        let i = self.points.partition_point(|&(v, _)| v <= at);
        let mapped = match i {
            0 => at,
            _ => {
                let (v, s) = self.points[i - 1];
                s + (at - v)
            }
        };
        self.limit.map_or(mapped, |l| mapped.min(l))
    }

    pub fn span(&self, span: Span) -> Span {
        if let Some(whole) = self.whole {
            return whole;
        }
        Span::new(self.offset(span.start), self.offset(span.end))
    }

    /// Aligns a scalar's decoded value with its raw text (`raw_start..raw_end` in the source).
    fn aligned(value: &str, raw: &str, raw_start: usize, double_quoted: bool) -> SpanMap {
        let rb = raw.as_bytes();
        let mut points = Vec::new();
        let mut j = 0usize;
        let mut last_shift: Option<isize> = None;
        for (i, c) in value.char_indices() {
            if double_quoted && rb.get(j) == Some(&b'\\') {
                let len = match rb.get(j + 1) {
                    Some(b'x') => 4,
                    Some(b'u') => 6,
                    Some(b'U') => 10,
                    _ => 2,
                };
                push_point(&mut points, &mut last_shift, i, raw_start + j);
                j = (j + len).min(rb.len());
                continue;
            }
            let mut buf = [0u8; 4];
            let enc = c.encode_utf8(&mut buf).as_bytes();
            let window = &rb[j.min(rb.len())..(j + 64).min(rb.len())];
            if let Some(k) = window.windows(enc.len()).position(|w| w == enc) {
                j += k;
            }
            push_point(&mut points, &mut last_shift, i, raw_start + j);
            j = (j + enc.len()).min(rb.len());
        }
        push_point(&mut points, &mut last_shift, value.len(), raw_start + j);
        SpanMap {
            points,
            limit: Some(raw_start + raw.len()),
            whole: None,
        }
    }
}

fn push_point(points: &mut Vec<(usize, usize)>, last: &mut Option<isize>, v: usize, s: usize) {
    let shift = s as isize - v as isize;
    if *last != Some(shift) {
        points.push((v, s));
        *last = Some(shift);
    }
}

/// Why a document could not be read at all.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub message: String,
    pub span: Span,
}

/// One repo-config or repo-level document, parsed and decoded.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: Kind,
    /// The source the document's text is in (for findings).
    pub source: SourceId,
    pub origin: Spelling,
    /// The name Atlantis's messages use (`repos.yaml`, `--repo-config-json`).
    pub name: String,
    /// Read as `--repo-config-json` (Go's `encoding/json` rules).
    pub json: bool,
    pub yaml: Option<YamlDoc>,
    pub map: SpanMap,
    pub unreadable: Option<Unreadable>,
    /// A file of 0 bytes (`file <PATH> was empty`).
    pub empty: bool,
    pub issues: Vec<Issue>,
    pub global: Option<GlobalCfg>,
    pub repo: Option<RepoCfg>,
    /// Line starts of the parsed text, for Go's `line N:` prefixes.
    pub text_len: usize,
    /// The Atlantis release the document is decoded for (its keys, its decoder's wording).
    pub release: Version,
}

impl Document {
    /// Where a span of the parsed text is in the source.
    pub fn at(&self, span: Span) -> Location {
        Location::Source {
            source: self.source,
            spelling: self.origin.clone(),
            span: self.map.span(span),
        }
    }

    /// False when the document did not parse (few rules ran: suppressions may look unused).
    pub fn complete(&self) -> bool {
        self.unreadable.is_none()
    }
}

/// Reads a file's text as one document of `kind`, as Atlantis `release` decodes it.
pub fn read(kind: Kind, source: SourceId, name: &str, text: &str, release: Version) -> Document {
    let mut doc = Document {
        kind,
        source,
        origin: Spelling::ConfigKey,
        name: name.to_string(),
        json: false,
        yaml: None,
        map: SpanMap::default(),
        unreadable: None,
        empty: text.is_empty(),
        issues: Vec::new(),
        global: None,
        repo: None,
        text_len: text.len(),
        release,
    };
    parse_into(&mut doc, text);
    doc
}

/// Reads a `repos.yaml` that a deployment mounts from the user's file (the Helm chart's
/// `repoConfig`, a ConfigMap key): positioned byte for byte in a `|` block, else at the value.
pub fn read_mounted(m: &MountedFile, source_text: &str, release: Version) -> Document {
    let text = crate::input::mounted::content(m, source_text);
    let map = match &m.written {
        Written::Block { region } => SpanMap {
            points: vec![(0, region.start)],
            limit: Some(region.end),
            whole: None,
        },
        Written::Decoded { span, .. } => SpanMap {
            whole: Some(*span),
            ..SpanMap::default()
        },
    };
    // Spans are mapped only when findings are placed: the map can follow the parse.
    let mut doc = read(Kind::RepoConfig, m.source, &m.path, text, release);
    doc.map = map;
    doc
}

/// Reads the JSON of `--repo-config-json`, written at `value_span` of a source whose raw text
/// there is `raw` (a YAML scalar of `style`, an env value or an argument). `None` when the
/// value is not a JSON object (the `invalid-value` rule reports that).
pub fn read_json(
    source: SourceId,
    origin: Spelling,
    value: &str,
    raw: &str,
    value_span: Span,
    style: Option<Style>,
    release: Version,
) -> Option<Document> {
    // Valid JSON and an object (checked without building the value: it may be megabytes).
    if !value.trim_start().starts_with('{')
        || serde_json::from_str::<serde::de::IgnoredAny>(value).is_err()
    {
        return None;
    }
    let (raw_start, raw_text) = match style {
        Some(Style::SingleQuoted | Style::DoubleQuoted) => (
            value_span.start + 1,
            raw.get(1..raw.len().saturating_sub(1)).unwrap_or(""),
        ),
        _ => (value_span.start, raw),
    };
    let map = if raw_text == value {
        SpanMap {
            points: vec![(0, raw_start)],
            limit: Some(raw_start + raw_text.len()),
            whole: None,
        }
    } else {
        SpanMap::aligned(
            value,
            raw_text,
            raw_start,
            style == Some(Style::DoubleQuoted),
        )
    };
    let mut doc = Document {
        kind: Kind::RepoConfig,
        source,
        origin,
        name: "--repo-config-json".into(),
        json: true,
        yaml: None,
        map,
        unreadable: None,
        empty: false,
        issues: Vec::new(),
        global: None,
        repo: None,
        text_len: value.len(),
        release,
    };
    parse_into(&mut doc, value);
    Some(doc)
}

fn parse_into(doc: &mut Document, text: &str) {
    if doc.empty {
        return;
    }
    let parsed = match yaml::parse(text) {
        Ok(p) => p,
        Err(e) => {
            doc.unreadable = Some(Unreadable {
                message: e.message,
                span: e.span,
            });
            return;
        }
    };
    let Some(root) = parsed.root else {
        // Only comments: Go decodes nothing and uses the defaults.
        doc.yaml = Some(parsed);
        return;
    };
    if !matches!(parsed.resolve(root).kind, NodeKind::Map(_)) {
        let mut v = View::new(&parsed, text, doc.json);
        v.release = Some(doc.release);
        if !v.is_null(root) {
            let target = match doc.kind {
                Kind::RepoConfig => "raw.GlobalCfg",
                Kind::RepoYaml => "raw.RepoCfg",
            };
            v.type_error(root, target, target);
        }
        doc.issues = v.issues;
        doc.yaml = Some(parsed);
        return;
    }
    let mut v = View::new(&parsed, text, doc.json);
    v.release = Some(doc.release);
    match doc.kind {
        Kind::RepoConfig => doc.global = Some(model::global_cfg(&mut v, root)),
        Kind::RepoYaml => doc.repo = Some(model::repo_cfg(&mut v, root)),
    }
    doc.issues = v.issues;
    doc.yaml = Some(parsed);
}

/// What the server configuration tells about the repo config's use: the allowlist, and the
/// flags that change what the repo config must hold.
#[derive(Debug, Clone, Default)]
pub struct ServerContext {
    /// The server config's name (for messages).
    pub config: String,
    /// `repo-allowlist` entries, as written (comma-separated in Atlantis).
    pub allowlist: Vec<String>,
    /// `--enable-external-stores`, when the server config sets it.
    pub enable_external_stores: bool,
    pub enable_policy_checks: bool,
}

impl ServerContext {
    pub fn from_config(cfg: &crate::config::EffectiveConfig) -> ServerContext {
        ServerContext {
            config: cfg
                .path
                .clone()
                .unwrap_or_else(|| "the server configuration".into()),
            allowlist: cfg
                .str(crate::flags::REPO_ALLOWLIST)
                .map(|s| s.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
            enable_external_stores: cfg.bool(crate::flags::ENABLE_EXTERNAL_STORES),
            enable_policy_checks: cfg.bool(crate::flags::ENABLE_POLICY_CHECKS),
        }
    }
}

/// The `--enable-external-stores` cross-check of `server.NewServer` (v0.47.0): the flag needs
/// `external_stores.plan_store.type`. Issue 12 (the external-stores flag) calls this; it returns
/// Atlantis's message when the repo config does not satisfy the flag.
pub fn external_stores_flag_error(global: Option<&GlobalCfg>) -> Option<&'static str> {
    let has_type = global
        .and_then(|g| g.external_stores.as_ref())
        .and_then(|x| x.plan_store_type.as_ref())
        .is_some_and(|t| !t.v.is_empty());
    (!has_type).then_some(
        "--enable-external-stores is set but no external_stores.plan_store.type is configured in the server-side repo config",
    )
}

/// Atlantis's ozzo-validation error text for one failing field at `path` (`repos`, `0`, `id`):
/// `repos: (0: (id: cannot be blank.).).`
pub fn ozzo(path: &[&str], message: &str) -> String {
    let Some((last, outer)) = path.split_last() else {
        return format!("{message}.");
    };
    let mut s = format!("{last}: {message}.");
    for k in outer.iter().rev() {
        s = format!("{k}: ({s}).");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ozzo_format() {
        assert_eq!(
            ozzo(&["repos", "0", "id"], "cannot be blank"),
            "repos: (0: (id: cannot be blank.).)."
        );
        assert_eq!(
            ozzo(
                &["workflows", "default", "plan", "steps", "0"],
                "\"run\" is not a valid step type"
            ),
            "workflows: (default: (plan: (steps: (0: \"run\" is not a valid step type.).).).)."
        );
    }

    #[test]
    fn json_in_a_quoted_scalar_maps_back() {
        let file = "repo-config-json: '{\"repos\":[{\"id\":\"x\",\"bogus\":1}]}'\n";
        let start = file.find('\'').unwrap();
        let end = file.rfind('\'').unwrap() + 1;
        let value = &file[start + 1..end - 1];
        let doc = read_json(
            0,
            Spelling::ConfigKey,
            value,
            &file[start..end],
            Span::new(start, end),
            Some(Style::SingleQuoted),
            crate::flags::LATEST,
        )
        .unwrap();
        let issue = &doc.issues[0];
        let Location::Source { span, .. } = doc.at(issue.span) else {
            panic!()
        };
        assert_eq!(&file[span.start..span.end], "\"bogus\"");
    }

    #[test]
    fn escaped_json_maps_back() {
        let file = "k: \"{\\\"repos\\\":[{\\\"bogus\\\":1}]}\"\n";
        let start = file.find('"').unwrap();
        let end = file.rfind('"').unwrap() + 1;
        let value = "{\"repos\":[{\"bogus\":1}]}";
        let doc = read_json(
            0,
            Spelling::ConfigKey,
            value,
            &file[start..end],
            Span::new(start, end),
            Some(Style::DoubleQuoted),
            crate::flags::LATEST,
        )
        .unwrap();
        let Location::Source { span, .. } = doc.at(doc.issues[0].span) else {
            panic!()
        };
        assert_eq!(&file[span.start..span.end], "\\\"bogus\\\"");
    }
}

//! Decoding a YAML (or JSON) tree the way Atlantis's Go decoders do, keeping every span.
//!
//! Atlantis decodes `repos.yaml` and `atlantis.yaml` with go.yaml.in/yaml/v4 and `KnownFields(true)`:
//! an unknown key or a value of the wrong shape is a construct error, and all of them are reported
//! together. `--repo-config-json` goes through `encoding/json` instead: keys match without regard
//! to case, unknown keys are silently dropped, and only JSON strings decode into Go strings.
//! [`View`] reads the tree with either set of rules and collects those problems as [`Issue`]s;
//! the typed model (`super::model`) is built from what it returns.

use crate::flags::edit_distance;
use crate::input::yaml::{NodeId, NodeKind, Style, YamlDoc};
use crate::source::Span;
use crate::value::{self, Resolved};
use crate::version::Version;

/// A value with the span of the value and of the key (or list item) that holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    pub v: T,
    pub span: Span,
    pub key: Span,
}

impl<T> Sp<T> {
    /// The key and the value together.
    pub fn entry(&self) -> Span {
        self.key.to(self.span)
    }
}

/// A decoding problem, as Atlantis's decoder reports it.
#[derive(Debug, Clone)]
pub enum IssueKind {
    /// `field X not found in type raw.Repo` (YAML); silently ignored (JSON).
    UnknownKey {
        key: String,
        type_name: &'static str,
        suggestion: Option<&'static str>,
    },
    /// A value that does not decode into the Go type: the decoder's message, without `line N: `.
    InvalidType { message: String },
    /// A key of Atlantis's raw types that the release being checked does not have yet (it was
    /// added in `since`): that release refuses it like any unknown key (YAML) or drops it (JSON).
    NotInRelease {
        key: String,
        type_name: &'static str,
        since: Version,
    },
    /// A key written twice in one mapping (YAML refuses it; JSON keeps the last).
    DuplicateKey {
        key: String,
        first: Span,
        first_line: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Issue {
    pub kind: IssueKind,
    pub span: Span,
    /// 1-based line inside the decoded text (what Go's message says).
    pub line: usize,
    /// 1-based column (in bytes) of the span's start (goccy/go-yaml's `[line:column]`).
    pub column: usize,
}

/// One key/value pair of a mapping, after merge keys were applied.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'k> {
    pub key: &'k str,
    pub key_span: Span,
    pub value: NodeId,
}

/// Deeper chains of merge keys than this are not followed.
const MAX_MERGE_DEPTH: usize = 16;

/// A reader of one parsed document.
pub struct View<'a> {
    pub yaml: &'a YamlDoc,
    /// True for `--repo-config-json` (Go's `encoding/json` rules).
    pub json: bool,
    line_starts: Vec<usize>,
    pub issues: Vec<Issue>,
    /// The Atlantis release the document is decoded for: keys a later release added are
    /// unknown to it (`data/repo-config-keys.json`). `None`: every key the model knows.
    pub release: Option<Version>,
}

/// A scalar as Go sees it.
pub enum Scalar<'a> {
    Null,
    /// Any other scalar: its text, and whether YAML resolved it to a string.
    Text {
        text: &'a str,
        is_str: bool,
        tag: &'static str,
    },
}

impl<'a> View<'a> {
    pub fn new(yaml: &'a YamlDoc, text: &str, json: bool) -> View<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        View {
            yaml,
            json,
            line_starts,
            issues: Vec::new(),
            release: None,
        }
    }

    pub fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    pub fn column(&self, offset: usize) -> usize {
        let line = self.line(offset);
        offset - self.line_starts[line.saturating_sub(1)] + 1
    }

    fn issue(&mut self, kind: IssueKind, span: Span) {
        let (line, column) = (self.line(span.start), self.column(span.start));
        self.issues.push(Issue {
            kind,
            span,
            line,
            column,
        });
    }

    pub fn span(&self, node: NodeId) -> Span {
        self.yaml.node(node).span
    }

    pub fn kind(&self, node: NodeId) -> &'a NodeKind {
        &self.yaml.resolve(node).kind
    }

    pub fn scalar(&self, node: NodeId) -> Option<Scalar<'a>> {
        match self.kind(node) {
            NodeKind::Scalar(s) => {
                let resolved = value::resolve(s, false);
                let tag = match &resolved {
                    Resolved::Null => return Some(Scalar::Null),
                    Resolved::Bool(_) => "!!bool",
                    Resolved::Int(_) | Resolved::Uint(_) => "!!int",
                    Resolved::Float(_) => "!!float",
                    Resolved::Timestamp => "!!timestamp",
                    Resolved::Str(_) => "!!str",
                };
                let is_str =
                    matches!(resolved, Resolved::Str(_)) && !(self.json && s.style == Style::Plain);
                Some(Scalar::Text {
                    text: &s.value,
                    is_str,
                    tag,
                })
            }
            _ => None,
        }
    }

    pub fn is_null(&self, node: NodeId) -> bool {
        matches!(self.scalar(node), Some(Scalar::Null))
    }

    /// The Go decoder's name for what the node is (`!!seq`, `!!str `abc``), for messages.
    fn describe(&self, node: NodeId) -> String {
        match self.kind(node) {
            NodeKind::Seq(_) => "!!seq".into(),
            NodeKind::Map(_) => "!!map".into(),
            _ => match self.scalar(node) {
                Some(Scalar::Text { text, tag, .. }) => {
                    // yaml.v3/v4 shorten long values to 7 characters and `...`.
                    let shown: String = if text.chars().count() > 10 {
                        format!("{}...", text.chars().take(7).collect::<String>())
                    } else {
                        text.to_string()
                    };
                    format!("{tag} `{shown}`")
                }
                _ => "!!null".into(),
            },
        }
    }

    fn json_kind(&self, node: NodeId) -> &'static str {
        match self.kind(node) {
            NodeKind::Seq(_) => "array",
            NodeKind::Map(_) => "object",
            _ => match self.scalar(node) {
                Some(Scalar::Text { is_str: true, .. }) => "string",
                Some(Scalar::Text { tag: "!!bool", .. }) => "bool",
                _ => "number",
            },
        }
    }

    /// Records that `node` does not decode into the Go type `target` (`field` names the
    /// struct field for JSON's wording, e.g. `Repo.repos.id`).
    pub fn type_error(&mut self, node: NodeId, target: &str, field: &str) {
        let message = if self.json {
            format!(
                "json: cannot unmarshal {} into Go struct field {field} of type {target}",
                self.json_kind(node)
            )
        } else {
            format!("cannot construct {} into {target}", self.describe(node))
        };
        let span = self.span(node);
        self.issue(IssueKind::InvalidType { message }, span);
    }

    /// The entries of a mapping decoded into a Go struct with the given keys. Unknown keys and
    /// duplicates are recorded; merge keys (`<<: *anchor`) are applied, explicit keys winning.
    pub fn entries(
        &mut self,
        node: NodeId,
        type_name: &'static str,
        known: &[&'static str],
    ) -> Vec<Entry<'a>> {
        let mut out: Vec<Entry<'a>> = Vec::new();
        match self.kind(node) {
            NodeKind::Map(_) => {}
            _ if self.is_null(node) => return out,
            _ => {
                self.type_error(node, type_name, type_name);
                return out;
            }
        }
        self.collect(node, type_name, known, &mut out, 0, true);
        out
    }

    fn collect(
        &mut self,
        node: NodeId,
        type_name: &'static str,
        known: &[&'static str],
        out: &mut Vec<Entry<'a>>,
        depth: usize,
        explicit: bool,
    ) {
        let NodeKind::Map(pairs) = self.kind(node) else {
            return;
        };
        let mut merges = Vec::new();
        for &(k, v) in pairs {
            let key_node = self.yaml.resolve(k);
            let NodeKind::Scalar(s) = &key_node.kind else {
                if explicit {
                    self.type_error(k, "string", type_name);
                }
                continue;
            };
            let key_span = self.yaml.node(k).span;
            if s.value == "<<" && s.style == Style::Plain && !self.json {
                merges.push(v);
                continue;
            }
            let canonical = known.iter().copied().find(|c| *c == s.value).or_else(|| {
                self.json
                    .then(|| {
                        known
                            .iter()
                            .copied()
                            .find(|c| c.eq_ignore_ascii_case(&s.value))
                    })
                    .flatten()
            });
            let Some(canonical) = canonical else {
                if explicit {
                    let in_release = self.keys_in_release(type_name, known);
                    self.issue(
                        IssueKind::UnknownKey {
                            key: s.value.clone(),
                            type_name,
                            suggestion: suggest(&s.value, &in_release),
                        },
                        key_span,
                    );
                }
                continue;
            };
            // A key of a later release: this one decodes it as unknown (and never uses it).
            if let Some(since) = self.added_after_release(type_name, canonical) {
                if explicit {
                    self.issue(
                        IssueKind::NotInRelease {
                            key: s.value.clone(),
                            type_name,
                            since,
                        },
                        key_span,
                    );
                }
                continue;
            }
            if let Some(i) = out.iter().position(|e| e.key == canonical) {
                if explicit {
                    let first = out[i].key_span;
                    if !self.json && first.start < key_span.start {
                        let first_line = self.line(first.start);
                        self.issue(
                            IssueKind::DuplicateKey {
                                key: s.value.clone(),
                                first,
                                first_line,
                            },
                            key_span,
                        );
                    }
                    out[i] = Entry {
                        key: canonical,
                        key_span,
                        value: v,
                    };
                }
                continue;
            }
            out.push(Entry {
                key: canonical,
                key_span,
                value: v,
            });
        }
        if depth >= MAX_MERGE_DEPTH {
            return;
        }
        for m in merges {
            let targets: Vec<NodeId> = match self.kind(m) {
                NodeKind::Seq(items) => items.clone(),
                _ => vec![m],
            };
            for t in targets {
                self.collect(t, type_name, known, out, depth + 1, false);
            }
        }
    }

    /// The release that added `key` to `type_name`, when that is later than [`View::release`].
    fn added_after_release(&self, type_name: &str, key: &str) -> Option<Version> {
        let release = self.release?;
        let (doc, path) = crate::repo_keys::table_path(type_name)?;
        match crate::repo_keys::key_in_release(doc, path, key, release) {
            crate::repo_keys::KeyInRelease::NotYet { since } => Some(since),
            _ => None,
        }
    }

    /// The keys of `known` that [`View::release`] has (for "did you mean").
    fn keys_in_release(&self, type_name: &str, known: &[&'static str]) -> Vec<&'static str> {
        known
            .iter()
            .copied()
            .filter(|k| self.added_after_release(type_name, k).is_none())
            .collect()
    }

    /// The items of a sequence (`None` for null; a type error for anything else).
    pub fn items(&mut self, node: NodeId, target: &str, field: &str) -> Option<Vec<NodeId>> {
        match self.kind(node) {
            NodeKind::Seq(items) => Some(items.clone()),
            _ if self.is_null(node) => None,
            _ => {
                self.type_error(node, target, field);
                None
            }
        }
    }

    /// A Go string: any non-null YAML scalar (yaml.v3/v4 take numbers and bools as their text),
    /// only a JSON string in JSON. Null is the empty string.
    pub fn string(&mut self, node: NodeId, key: Span, field: &str) -> Option<Sp<String>> {
        let span = self.span(node);
        match self.scalar(node) {
            Some(Scalar::Null) => Some(Sp {
                v: String::new(),
                span,
                key,
            }),
            Some(Scalar::Text { text, is_str, .. }) if is_str || !self.json => Some(Sp {
                v: text.to_string(),
                span,
                key,
            }),
            _ => {
                self.type_error(node, "string", field);
                None
            }
        }
    }

    /// A Go `*string`: absent for null.
    pub fn opt_string(&mut self, node: NodeId, key: Span, field: &str) -> Option<Sp<String>> {
        if self.is_null(node) {
            return None;
        }
        self.string(node, key, field)
    }

    pub fn bool(&mut self, node: NodeId, key: Span, field: &str) -> Option<Sp<bool>> {
        let span = self.span(node);
        let v = match self.scalar(node) {
            Some(Scalar::Null) => return None,
            Some(Scalar::Text { text, is_str, .. }) => match (text, is_str) {
                ("true" | "True" | "TRUE", false) => Some(true),
                ("false" | "False" | "FALSE", false) => Some(false),
                // yaml.v3/v4 still read YAML 1.1 booleans into a Go bool.
                ("y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON", _) if !self.json => {
                    Some(true)
                }
                ("n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF", _) if !self.json => {
                    Some(false)
                }
                _ => None,
            },
            None => None,
        };
        match v {
            Some(v) => Some(Sp { v, span, key }),
            None => {
                self.type_error(node, "bool", field);
                None
            }
        }
    }

    pub fn int(&mut self, node: NodeId, key: Span, field: &str) -> Option<Sp<i64>> {
        let span = self.span(node);
        if let NodeKind::Scalar(s) = self.kind(node) {
            match value::resolve(s, false) {
                Resolved::Null => return None,
                Resolved::Int(i) => return Some(Sp { v: i, span, key }),
                Resolved::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                    return Some(Sp {
                        v: f as i64,
                        span,
                        key,
                    });
                }
                _ => {}
            }
        }
        self.type_error(node, "int", field);
        None
    }

    /// A Go `[]string`.
    pub fn strings(&mut self, node: NodeId, key: Span, field: &str) -> Option<Sp<Vec<Sp<String>>>> {
        let span = self.span(node);
        let items = self.items(node, "[]string", field)?;
        let v = items
            .into_iter()
            .filter_map(|i| {
                let item_span = self.span(i);
                self.string(i, item_span, field)
            })
            .collect();
        Some(Sp { v, span, key })
    }
}

/// The known key closest to an unknown one ("did you mean").
pub fn suggest(key: &str, known: &[&'static str]) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase().replace('-', "_");
    if let Some(k) = known.iter().find(|k| **k == lower) {
        return Some(k);
    }
    let limit = if key.len() <= 4 { 1 } else { 3 };
    known
        .iter()
        .map(|k| (edit_distance(&lower, k, limit), *k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

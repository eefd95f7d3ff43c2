//! docker-compose files: each service of `services` that runs Atlantis (its image is
//! `runatlantis/atlantis`, or its command runs `atlantis server` / starts with `server`) is one
//! configuration, read the way compose (compose-go) builds the container:
//!
//! - `env_file` (a string, a list, or `{path, required, format}`) first, top-down, with
//!   compose's own dotenv rules (quotes stripped, `\n` in double quotes, ` #` comments, `${VAR}`
//!   from the variables above it; `format: raw` takes values verbatim); then `environment`,
//!   which wins. Both go through Atlantis's env channel. A path is relative to the compose file.
//! - `environment` as a list (`KEY=VALUE`, cut at the first `=`: quotes stay in the value) or
//!   as a map; `KEY` alone / `KEY:` passes the deployer's variable through (value unknown).
//! - Interpolation in the compose file: `${VAR}` and `$VAR` are set at deploy time
//!   ([`Unknown::Interpolation`]); `${VAR:-default}` / `${VAR-default}` read as the default;
//!   `$$` is `$`; an unterminated `${` is refused by compose.
//! - `entrypoint` + `command` is the command line: a list is exec form (no shell: quotes reach
//!   Atlantis), a string is split like `go-shellwords` (quotes removed, no `$` expansion).
//! - Merge keys (`<<: *defaults`) and aliases are followed, so `x-` extension blocks work.
//!
//! Facts only compose has are `compose-...` form issues (`src/rules/compose_file.rs`); quotes
//! that reach Atlantis (list-form `environment`, exec-form `command`) are `quoted-value`.

use super::argv::Word;
use super::container::{
    base_name, image_is_atlantis, is_secret_name, lost_value, read_command_words, scalar, span,
    text, unparsed,
};
use super::env::env_setting;
use super::kind::{Kind, Probe, ReadInput, Unit};
use super::yaml::{self, NodeId, NodeKind, Scalar, Style, YamlDoc};
use crate::config::{DeployedImage, FormIssue, ImageRef, Location, RawValue, Spelling, Unknown};
use crate::finding::Severity;
use crate::flags;
use crate::secret::Text;
use crate::source::{SourceId, SourceKind, SourceText, Span};
use std::collections::HashMap;

pub static KIND: Kind = Kind {
    name: "compose",
    what: "a docker-compose file",
    detect,
    holds_atlantis,
    read: Some(read),
    unread: "",
};

fn detect(probe: &Probe) -> bool {
    let name = probe.base_name();
    let yaml_ext = name.ends_with(".yml") || name.ends_with(".yaml");
    let by_name = yaml_ext && name.contains("compose");
    let keys = probe.first_keys();
    by_name || (keys.iter().any(|k| k == "services") && !keys.iter().any(|k| k == "apiVersion"))
}

fn holds_atlantis(probe: &Probe) -> bool {
    probe.text.contains("atlantis")
}

// ---------------------------------------------------------------------------------------------
// YAML helpers (aliases and merge keys resolved)

/// A mapping's entries with `<<` merge keys expanded (merged entries first, so the mapping's
/// own entries, later, win). Depth-bounded.
fn entries(doc: &YamlDoc, id: Option<NodeId>) -> Vec<(NodeId, NodeId)> {
    fn go(doc: &YamlDoc, id: NodeId, depth: usize, out: &mut Vec<(NodeId, NodeId)>) {
        if depth > 16 {
            return;
        }
        let NodeKind::Map(pairs) = &doc.resolve(id).kind else {
            return;
        };
        for &(k, v) in pairs {
            if matches!(&doc.resolve(k).kind, NodeKind::Scalar(s) if s.value == "<<" && s.style == Style::Plain)
            {
                match &doc.resolve(v).kind {
                    NodeKind::Seq(items) => {
                        for &i in items {
                            go(doc, i, depth + 1, out);
                        }
                    }
                    _ => go(doc, v, depth + 1, out),
                }
            } else {
                out.push((k, v));
            }
        }
    }
    let mut out = Vec::new();
    if let Some(id) = id {
        go(doc, id, 0, &mut out);
    }
    // A merged key is overridden by the mapping's own (later) entry of the same name.
    let mut seen = std::collections::HashSet::new();
    let mut kept: Vec<(NodeId, NodeId)> = out
        .into_iter()
        .rev()
        .filter(|&(k, _)| match text(doc, Some(k)) {
            Some(name) => seen.insert(name.to_string()),
            None => true,
        })
        .collect();
    kept.reverse();
    kept
}

fn get(doc: &YamlDoc, id: NodeId, key: &str) -> Option<NodeId> {
    entries(doc, Some(id))
        .into_iter()
        .rev()
        .find(|&(k, _)| text(doc, Some(k)) == Some(key))
        .map(|(_, v)| v)
}

fn is_null(s: &Scalar) -> bool {
    s.style == Style::Plain && matches!(s.value.as_str(), "" | "~" | "null" | "Null" | "NULL")
}

/// Where a scalar's value stands byte for byte in the source (a plain or quoted scalar on one
/// line without escapes): the offset of its first byte.
fn exact_at(source: &str, doc: &YamlDoc, id: NodeId) -> Option<usize> {
    let s = scalar(doc, id)?;
    let sp = span(doc, id);
    let raw = source.get(sp.start..sp.end)?;
    let inner = match s.style {
        Style::Plain => sp.start,
        Style::SingleQuoted | Style::DoubleQuoted => sp.start + 1,
        _ => return None,
    };
    let body = source.get(inner..inner + s.value.len())?;
    (body == s.value && !raw.contains('\n')).then_some(inner)
}

// ---------------------------------------------------------------------------------------------
// Interpolation

/// The result of compose's interpolation of one string.
#[derive(Debug, PartialEq)]
enum Interpolated {
    Known(String),
    /// Depends on a variable set at deploy time (the first one named).
    Unknown(String),
    /// Compose refuses the file: an unterminated `${`, a bad name.
    Invalid(String),
}

/// `${VAR}`, `$VAR`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?e}`, `${VAR?e}`, `${VAR:+r}`, `${VAR+r}`,
/// `$$` (compose-go `template.Substitute`). `lookup` gives the variables the linter knows.
fn interpolate(s: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Interpolated {
    let mut out = String::with_capacity(s.len());
    let mut unknown: Option<String> = None;
    let mut rest = s;
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(r) = after.strip_prefix('$') {
            out.push('$');
            rest = r;
        } else if let Some(r) = after.strip_prefix('{') {
            let Some(close) = r.find('}') else {
                return Interpolated::Invalid("`${` without a closing `}`".to_string());
            };
            let body = &r[..close];
            let name_len = body.find(|c: char| !is_name(c)).unwrap_or(body.len());
            let (name, op) = body.split_at(name_len);
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                return Interpolated::Invalid(format!("`${{{body}}}` is no variable reference"));
            }
            let value = lookup(name);
            let (kind, arg) = if let Some(a) = op.strip_prefix(":-") {
                ("default-empty", a)
            } else if let Some(a) = op.strip_prefix(":?") {
                ("required", a)
            } else if let Some(a) = op.strip_prefix(":+") {
                ("alt-empty", a)
            } else if let Some(a) = op.strip_prefix('-') {
                ("default", a)
            } else if let Some(a) = op.strip_prefix('?') {
                ("required", a)
            } else if let Some(a) = op.strip_prefix('+') {
                ("alt", a)
            } else if op.is_empty() {
                ("plain", "")
            } else {
                return Interpolated::Invalid(format!("`${{{body}}}` is no variable reference"));
            };
            match (kind, value) {
                ("default-empty", Some(v)) if v.is_empty() => out.push_str(arg),
                ("default-empty" | "default", None) => out.push_str(arg),
                ("alt-empty", Some(v)) if !v.is_empty() => out.push_str(arg),
                ("alt-empty", Some(_)) => {}
                ("alt", Some(_)) => out.push_str(arg),
                ("alt" | "alt-empty" | "required" | "plain", None) => {
                    unknown.get_or_insert_with(|| name.to_string());
                }
                (_, Some(v)) => out.push_str(&v),
                _ => {}
            }
            rest = &r[close + 1..];
        } else if after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            let len = after.find(|c: char| !is_name(c)).unwrap_or(after.len());
            let name = &after[..len];
            match lookup(name) {
                Some(v) => out.push_str(&v),
                None => {
                    unknown.get_or_insert_with(|| name.to_string());
                }
            }
            rest = &after[len..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    match unknown {
        Some(v) => Interpolated::Unknown(v),
        None => Interpolated::Known(out),
    }
}

/// Splits a `command` string the way compose does (`go-shellwords`): whitespace separates
/// words, quotes and backslashes are removed, nothing is expanded. Each word with its byte
/// range in `s` and whether it was written without quotes or escapes.
fn shell_split(s: &str) -> Result<Vec<(String, usize, usize, bool)>, &'static str> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start: Option<usize> = None;
    let mut plain = true;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            cur.push(c);
            escaped = false;
            continue;
        }
        match quote {
            Some('\'') if c == '\'' => quote = None,
            Some('"') if c == '"' => quote = None,
            Some('"') if c == '\\' => {
                escaped = true;
                plain = false;
            }
            Some(_) => cur.push(c),
            None => match c {
                ' ' | '\t' | '\n' | '\r' => {
                    if let Some(st) = start.take() {
                        out.push((std::mem::take(&mut cur), st, i, plain));
                        plain = true;
                    }
                }
                '\'' | '"' => {
                    quote = Some(c);
                    plain = false;
                    start.get_or_insert(i);
                }
                '\\' => {
                    escaped = true;
                    plain = false;
                    start.get_or_insert(i);
                }
                _ => {
                    start.get_or_insert(i);
                    cur.push(c);
                }
            },
        }
    }
    if quote.is_some() {
        return Err("an unterminated quote");
    }
    if let Some(st) = start {
        out.push((cur, st, s.len(), plain));
    }
    Ok(out)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The compose-flavoured env file

/// One `KEY=value` of an env file read with compose's rules.
struct EnvEntry {
    name: String,
    key_span: Span,
    value: Interpolated,
    value_span: Span,
}

/// compose-go's `dotenv` parser, reduced to what decides values: `export ` and `KEY: value`
/// allowed, `'...'` literal (may span lines), `"..."` with `\n`, `\t`, `\\`, `\"` (may span
/// lines), unquoted values end at ` #` and are trimmed; unquoted and double-quoted values are
/// interpolated from the variables above. `raw`: values verbatim. Lines that are no `KEY=...`
/// are returned as (span, message).
fn parse_env_file(
    text: &str,
    raw: bool,
    known: &HashMap<String, String>,
) -> (Vec<EnvEntry>, Vec<(Span, String)>) {
    let mut entries: Vec<EnvEntry> = Vec::new();
    let mut bad = Vec::new();
    let mut vars = known.clone();
    let mut pos = 0;
    let bytes = text.as_bytes();
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |o| pos + o);
        let line = &text[pos..line_end];
        let trimmed = line.trim_start();
        let lead = pos + (line.len() - trimmed.len());
        let trimmed = trimmed.trim_end_matches('\r');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            pos = line_end + 1;
            continue;
        }
        let body = trimmed
            .strip_prefix("export ")
            .map_or(trimmed, str::trim_start);
        let key_at = lead + (trimmed.len() - body.len());
        let sep = body.find(['=', ':']);
        let Some(sep) = sep.filter(|&i| {
            body[..i]
                .trim_end()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
                && !body[..i].trim().is_empty()
        }) else {
            let word = body.split_whitespace().next().unwrap_or("");
            bad.push((
                Span::new(key_at, key_at + word.len()),
                format!(
                    "line {} is no `KEY=value` line: `docker compose` refuses the env file",
                    text[..key_at].matches('\n').count() + 1
                ),
            ));
            pos = line_end + 1;
            continue;
        };
        let name = body[..sep].trim_end().to_string();
        let key_span = Span::new(key_at, key_at + name.len());
        let mut v_at = key_at + sep + 1;
        while v_at < line_end && matches!(bytes[v_at], b' ' | b'\t') {
            v_at += 1;
        }
        let lookup = |n: &str| vars.get(n).cloned();
        let (value, value_span, next) = if raw {
            let v = text[v_at..line_end].trim_end_matches('\r');
            (
                Interpolated::Known(v.to_string()),
                Span::new(v_at, v_at + v.len()),
                line_end + 1,
            )
        } else if bytes.get(v_at) == Some(&b'\'') {
            match text[v_at + 1..].find('\'') {
                Some(c) => {
                    let close = v_at + 1 + c;
                    let after = text[close..].find('\n').map_or(text.len(), |o| close + o);
                    (
                        Interpolated::Known(text[v_at + 1..close].to_string()),
                        Span::new(v_at + 1, close),
                        after + 1,
                    )
                }
                None => {
                    bad.push((Span::new(key_at, line_end), format!("the value of `{name}` opens a `'` that is never closed: `docker compose` refuses the env file")));
                    break;
                }
            }
        } else if bytes.get(v_at) == Some(&b'"') {
            let mut out = String::new();
            let mut i = v_at + 1;
            let mut closed = None;
            while i < text.len() {
                let c = text[i..].chars().next().unwrap_or(' ');
                if c == '\\' {
                    let n = text[i + 1..].chars().next();
                    match n {
                        Some('n') => out.push('\n'),
                        Some('t') => out.push('\t'),
                        Some('r') => out.push('\r'),
                        Some('\\') => out.push('\\'),
                        Some('"') => out.push('"'),
                        Some('$') => out.push_str("$$"),
                        Some(o) => {
                            out.push('\\');
                            out.push(o);
                        }
                        None => {}
                    }
                    i += 1 + n.map_or(0, char::len_utf8);
                    continue;
                }
                if c == '"' {
                    closed = Some(i);
                    break;
                }
                out.push(c);
                i += c.len_utf8();
            }
            match closed {
                Some(close) => {
                    let after = text[close..].find('\n').map_or(text.len(), |o| close + o);
                    (
                        interpolate(&out, &lookup),
                        Span::new(v_at + 1, close),
                        after + 1,
                    )
                }
                None => {
                    bad.push((Span::new(key_at, line_end), format!("the value of `{name}` opens a `\"` that is never closed: `docker compose` refuses the env file")));
                    break;
                }
            }
        } else {
            let mut v = text[v_at..line_end].trim_end_matches('\r');
            if let Some(c) = v.find(" #").or_else(|| v.find("\t#")) {
                v = &v[..c];
            }
            let v = v.trim_end();
            (
                interpolate(v, &lookup),
                Span::new(v_at, v_at + v.len()),
                line_end + 1,
            )
        };
        if let Interpolated::Known(v) = &value {
            vars.insert(name.clone(), v.clone());
        } else {
            vars.remove(&name);
        }
        entries.push(EnvEntry {
            name,
            key_span,
            value,
            value_span,
        });
        pos = next;
    }
    (entries, bad)
}

/// The variables Atlantis sets for a custom `run` step (`runtime.RunStepRunner`'s
/// `customEnvVars`) and for workflow hooks, which a repos.yaml's commands use with `$`.
const ATLANTIS_STEP_VARIABLES: &[&str] = &[
    "ATLANTIS_PR_APPROVED",
    "ATLANTIS_PR_MERGEABLE",
    "ATLANTIS_TERRAFORM_DISTRIBUTION",
    "ATLANTIS_TERRAFORM_VERSION",
    "BASE_BRANCH_NAME",
    "BASE_REPO_NAME",
    "BASE_REPO_OWNER",
    "COMMENT_ARGS",
    "DIR",
    "HEAD_BRANCH_NAME",
    "HEAD_COMMIT",
    "HEAD_REPO_NAME",
    "HEAD_REPO_OWNER",
    "OUTPUT_STATUS_FILE",
    "PLANFILE",
    "POLICYCHECKFILE",
    "PROJECT_NAME",
    "PULL_AUTHOR",
    "PULL_NUM",
    "PULL_URL",
    "REPO_REL_DIR",
    "SHOWFILE",
    "USER_NAME",
    "WORKSPACE",
];

/// The variables compose substitutes in `s` (`$VAR`, `${VAR...}`; `$$` is a literal `$`), each
/// with the byte range of its reference (`$` and the name).
fn variable_refs(s: &str) -> Vec<(&str, std::ops::Range<usize>)> {
    let b = s.as_bytes();
    let is_name = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        let start = match b.get(i + 1) {
            Some(b'$') => {
                i += 2;
                continue;
            }
            Some(b'{') => i + 2,
            Some(&c) if c.is_ascii_alphabetic() || c == b'_' => i + 1,
            _ => {
                i += 1;
                continue;
            }
        };
        let mut end = start;
        while end < b.len() && is_name(b[end]) {
            end += 1;
        }
        out.push((&s[start..end], i..end));
        i = end.max(i + 1);
    }
    out
}

/// A path as compose resolves it, without its leading `./` (`deploy/./repos.yaml` reads badly).
fn relative(path: &str) -> &str {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.trim_start_matches('/');
    }
    p
}

// ---------------------------------------------------------------------------------------------
// One service

/// Where a variable was set, to report the value an override loses.
struct Seen {
    location: Location,
    shown: Option<String>,
    line: usize,
    file: String,
}

struct ServiceReader<'a> {
    doc: &'a YamlDoc,
    sources: &'a mut crate::source::Sources,
    id: SourceId,
    unit: Unit,
    secret_spans: Vec<Span>,
    seen: HashMap<String, Seen>,
}

impl ServiceReader<'_> {
    fn text(&self) -> &str {
        &self.sources.get(self.id).text
    }

    fn at(&self, source: SourceId, span: Span, path: &str) -> Location {
        Location::Source {
            source,
            spelling: Spelling::FormKey {
                path: path.to_string(),
            },
            span,
        }
    }

    fn here(&self, span: Span, path: &str) -> Location {
        self.at(self.id, span, path)
    }

    fn issue(&mut self, issue: FormIssue) {
        self.unit.form_issues.push(issue);
    }

    /// Interpolates a value of the compose file (nothing is known about the deploy
    /// environment), reporting what compose refuses.
    fn interpolate_here(&mut self, value: &str, at: Span) -> Interpolated {
        let r = interpolate(value, &|_| None);
        if let Interpolated::Invalid(why) = &r {
            let location = self.here(at, "interpolation");
            self.issue(
                FormIssue::new(
                    "compose-interpolation",
                    location,
                    format!(
                        "{why}: `docker compose` refuses the file (invalid interpolation format)"
                    ),
                )
                .label("invalid interpolation")
                .help("close the `${...}`, or write `$$` for a literal `$`"),
            );
        }
        r
    }

    /// Records one environment variable of the container (`source` is the compose file or
    /// an env file). `ATLANTIS_*` names become settings; a second definition is reported.
    #[allow(clippy::too_many_arguments)]
    fn define(
        &mut self,
        source: SourceId,
        name: &str,
        value: &Interpolated,
        key_span: Span,
        value_span: Span,
        how: &str,
    ) {
        // `"ATLANTIS_GH_TOKEN=…": x`: the glued value is never shown.
        // Names are compared as written, and quoted as shown.
        let raw_name = name;
        let (name, glued) = super::mask::hide_glued(&self.sources.get(source).text, key_span, name);
        let name = name.as_str();
        if let Some(g) = glued {
            if source == self.id {
                self.secret_spans.push(g);
            } else {
                self.sources.get_mut(source).add_secret(g);
            }
        }
        let secret = is_secret_name(name);
        if secret && !value_span.is_empty() {
            if source == self.id {
                self.secret_spans.push(value_span);
            } else {
                self.sources.get_mut(source).add_secret(value_span);
            }
        }
        let (line, _) = self.sources.get(source).line_col(key_span.start);
        let file = self.sources.get(source).name.clone();
        let location = self.at(source, key_span, "environment");
        if let Some(first) = self.seen.get(raw_name) {
            let lost = lost_value(first.shown.as_deref());
            let here = if first.file == file {
                format!("line {}", first.line)
            } else {
                format!("{} line {}", first.file, first.line)
            };
            let issue = FormIssue::new(
                "compose-duplicate-env",
                location.clone(),
                format!("`{name}` is set twice for this service: compose keeps this one ({how}), and {lost} set at {here} is lost"),
            )
            .label("this one wins")
            .related(first.location.clone(), "lost: overridden")
            .help("keep one definition; `environment` overrides `env_file`, and a later entry overrides an earlier one");
            let issue = match flags::lookup_env(name) {
                Some(f) => issue.key(f.name),
                None => issue,
            };
            self.issue(issue);
        }
        let shown = match value {
            Interpolated::Known(v) if !secret => Some(v.clone()),
            _ => None,
        };
        self.seen.insert(
            raw_name.to_string(),
            Seen {
                location,
                shown,
                line,
                file,
            },
        );
        if !name.starts_with("ATLANTIS_") {
            return;
        }
        let raw = match value {
            Interpolated::Known(v) => RawValue::Text(Text::new(v.clone(), secret)),
            Interpolated::Unknown(var) => {
                RawValue::Unknown(Unknown::Interpolation { var: var.clone() })
            }
            Interpolated::Invalid(_) => return,
        };
        self.unit
            .settings
            .push(env_setting(source, name, raw, key_span, value_span));
    }

    /// The folder compose resolves relative paths against: the compose file's.
    fn base_dir(&self) -> std::path::PathBuf {
        let name = &self.sources.get(self.id).name;
        std::path::Path::new(name)
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default()
    }

    /// The files the service mounts, for the repo config Atlantis reads from one of them:
    /// host files or folders bind-mounted through `volumes` (`./repos.yaml:/etc/atlantis/repos.yaml`,
    /// `./config:/etc/atlantis`, or the long form with `type: bind`) or given by a top-level
    /// `configs` entry's `file`, and a `configs` entry's `content` written in this file (`target`
    /// defaults to `/<name>`). What a named volume, a `~` or interpolated path, or content that
    /// uses a variable of the deploy shell holds is not in the input: recorded as unknown.
    fn mounts(&mut self, root: NodeId, volumes: Option<NodeId>, configs: Option<NodeId>) {
        let doc = self.doc;
        let base = self.base_dir();
        let items = |node: Option<NodeId>| match node.map(|n| &doc.resolve(n).kind) {
            Some(NodeKind::Seq(items)) => items.clone(),
            _ => Vec::new(),
        };
        // A relative path is the repository's; an absolute one the deploy host's (see
        // `repo_config::run::named_repo_config`).
        let host_path = |p: &str| {
            (!p.contains('$') && (p.starts_with('.') || p.starts_with('/')))
                .then(|| base.join(relative(p)))
        };
        for item in items(volumes) {
            let (host, container) = match &doc.resolve(item).kind {
                NodeKind::Scalar(s) => {
                    let mut parts = s.value.splitn(3, ':');
                    let (Some(h), Some(c)) = (parts.next(), parts.next()) else {
                        continue;
                    };
                    (h.to_string(), c.to_string())
                }
                NodeKind::Map(_) => {
                    let field = |k| text(doc, get(doc, item, k));
                    match (field("source"), field("target")) {
                        (Some(h), Some(c)) => (
                            if field("type") == Some("bind") {
                                h.to_string()
                            } else {
                                // A volume's name, never a host path.
                                String::new()
                            },
                            c.to_string(),
                        ),
                        _ => continue,
                    }
                }
                _ => continue,
            };
            if !container.contains('$') {
                self.unit.host_mounts.push(crate::config::HostMount {
                    container: container.trim_end_matches('/').to_string(),
                    host: host_path(&host),
                });
            }
        }
        let defined = get(doc, root, "configs");
        for item in items(configs) {
            let (name, target) = match &doc.resolve(item).kind {
                NodeKind::Scalar(s) => (s.value.clone(), None),
                NodeKind::Map(_) => match text(doc, get(doc, item, "source")) {
                    Some(n) => (
                        n.to_string(),
                        text(doc, get(doc, item, "target")).map(str::to_string),
                    ),
                    None => continue,
                },
                _ => continue,
            };
            let target = target.unwrap_or_else(|| format!("/{name}"));
            let def = defined.and_then(|d| get(doc, d, &name));
            let file = def.and_then(|d| text(doc, get(doc, d, "file")));
            let content = def.and_then(|d| get(doc, d, "content"));
            if let Some(file) = file {
                let host = (!file.contains('$') && !file.starts_with('~'))
                    .then(|| base.join(relative(file)));
                self.unit.host_mounts.push(crate::config::HostMount {
                    container: target,
                    host,
                });
            } else if let Some(node) = content {
                if !self.config_content(&name, &target, node) {
                    self.unit.host_mounts.push(crate::config::HostMount {
                        container: target,
                        host: None,
                    });
                }
            } else {
                // `external`, `environment`, or an undefined config: not in the input.
                self.unit.host_mounts.push(crate::config::HostMount {
                    container: target,
                    host: None,
                });
            }
        }
    }

    /// A `configs` entry's `content`, mounted at `target`: read as Atlantis will get it, or
    /// false when that is not known. Compose interpolates the content: Atlantis's own step
    /// variables written with one `$` are a mistake (reported, and read as meant); any other
    /// variable comes from the deploy shell.
    fn config_content(&mut self, name: &str, target: &str, node: NodeId) -> bool {
        let doc = self.doc;
        let Some(s) = scalar(doc, node) else {
            return false;
        };
        let node_span = span(doc, node);
        let lookup = |var: &str| {
            ATLANTIS_STEP_VARIABLES
                .contains(&var)
                .then(|| format!("${var}"))
        };
        let interpolated = interpolate(&s.value, &lookup);
        self.step_variables(node_span, &format!("config `{name}`"));
        let Interpolated::Known(text) = interpolated else {
            return false;
        };
        let source = self.sources.get_mut(self.id);
        // Byte for byte as written (no `$$`): positions stay exact.
        let block = (matches!(s.style, Style::Literal) && text == s.value)
            .then(|| super::helm_values::block_region(&source.text, node_span));
        let value_span = super::kubernetes::content_span(&source.text, node_span);
        let mounted = super::mounted::mounted(target, self.id, source, &text, value_span, block);
        self.unit.mounted.push(mounted);
        true
    }

    /// Reports each of Atlantis's step variables written with one `$` in the text at `at`
    /// (a repo config that `what` holds): compose replaces it from the deploy shell.
    fn step_variables(&mut self, at: Span, what: &str) {
        let raw = self.text().get(at.start..at.end).unwrap_or("");
        let step_refs: Vec<(String, Span)> = variable_refs(raw)
            .into_iter()
            .filter(|(var, _)| ATLANTIS_STEP_VARIABLES.contains(var))
            .map(|(var, r)| {
                (
                    var.to_string(),
                    Span::new(at.start + r.start, at.start + r.end),
                )
            })
            .collect();
        for (var, span) in step_refs {
            self.step_variable(&var, what, span);
        }
    }

    /// A value of `environment` as compose hands it over. `ATLANTIS_REPO_CONFIG_JSON` is a
    /// repo config: Atlantis's step variables in it are reported and kept, so that it is
    /// linted as meant.
    fn interpolate_env(&mut self, name: &str, value: &str, written: Span) -> Interpolated {
        if flags::lookup_env(name).map(|f| f.name) != Some(flags::REPO_CONFIG_JSON.name()) {
            return self.interpolate_here(value, written);
        }
        self.step_variables(written, &format!("`{name}`"));
        let keep = |var: &str| {
            ATLANTIS_STEP_VARIABLES
                .contains(&var)
                .then(|| format!("${var}"))
        };
        match interpolate(value, &keep) {
            Interpolated::Invalid(_) => self.interpolate_here(value, written),
            other => other,
        }
    }

    /// `$VAR` (an Atlantis step variable), written at `span` in a repo config that `what`
    /// holds: compose replaces it from the deploy shell.
    fn step_variable(&mut self, var: &str, what: &str, span: Span) {
        let location = self.here(span, "configs");
        self.issue(
            FormIssue::new(
                "compose-config-variable",
                location,
                format!(
                    "compose replaces `${var}` in {what} with the deploy shell's `{var}` (empty when unset) before Atlantis reads it; Atlantis sets `{var}` itself when it runs the step"
                ),
            )
            .label("interpolated by compose")
            .help(format!("write `$${var}`: compose turns `$$` into `$` and leaves the variable to Atlantis")),
        );
    }

    fn env_files(&mut self, node: Option<NodeId>) {
        let doc = self.doc;
        let Some(node) = node else { return };
        let list: Vec<NodeId> = match &doc.resolve(node).kind {
            NodeKind::Seq(items) => items.clone(),
            _ => vec![node],
        };
        let base = {
            let name = &self.sources.get(self.id).name;
            std::path::Path::new(name)
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default()
        };
        for item in list {
            let (path_node, required, raw) = match &doc.resolve(item).kind {
                NodeKind::Scalar(_) => (Some(item), true, false),
                NodeKind::Map(_) => (
                    get(doc, item, "path"),
                    text(doc, get(doc, item, "required")) != Some("false"),
                    text(doc, get(doc, item, "format")) == Some("raw"),
                ),
                _ => continue,
            };
            let Some(path_node) = path_node else { continue };
            let written = text(doc, Some(path_node)).unwrap_or("").to_string();
            let path_span = span(doc, path_node);
            let rel = match self.interpolate_here(&written, path_span) {
                Interpolated::Known(p) => p,
                Interpolated::Unknown(var) => {
                    let location = self.here(path_span, "env_file");
                    self.unit.opaque.push(crate::config::OpaqueSource {
                        location,
                        what: format!("the env file `{written}` (its path depends on `{var}`)"),
                        prefix: String::new(),
                    });
                    continue;
                }
                Interpolated::Invalid(_) => continue,
            };
            let full = if std::path::Path::new(&rel).is_absolute() {
                std::path::PathBuf::from(&rel)
            } else {
                base.join(&rel)
            };
            let shown = full.to_string_lossy().to_string();
            // Never a FIFO or a device, never more than a linted file may hold (a committed
            // symlink to /dev/zero): such a file is a source the input does not show.
            let content = match super::regular::read_regular_file(&full, super::MAX_FILE_BYTES) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::FileTooLarge
                    ) =>
                {
                    let location = self.here(path_span, "env_file");
                    self.unit.opaque.push(crate::config::OpaqueSource {
                        location,
                        what: format!("the env file `{written}` (not read: {e})"),
                        prefix: String::new(),
                    });
                    continue;
                }
                Err(e) => {
                    if required {
                        let location = self.here(path_span, "env_file");
                        self.issue(
                            FormIssue::new(
                                "compose-env-file",
                                location,
                                format!("the env file `{shown}` cannot be read ({}): `docker compose` refuses to start the service", io_reason(&e)),
                            )
                            .label("not found")
                            .severity(Severity::Error)
                            .help("env_file paths are relative to the compose file; mark it `required: false` (compose 2.24+) if it may be absent"),
                        );
                    }
                    continue;
                }
            };
            let sid = self
                .sources
                .add(SourceText::new(SourceKind::File, shown.clone(), content));
            // Mask the lines that look secret before anything else can show them.
            for s in super::mask::line_spans(&self.sources.get(sid).text, true) {
                self.sources.get_mut(sid).add_secret(s);
            }
            let (entries, bad) = parse_env_file(&self.sources.get(sid).text, raw, &HashMap::new());
            for (sp, msg) in bad {
                // The rest of a line that is no `KEY=value` may be a pasted secret.
                let src = self.sources.get_mut(sid);
                let line_end = src.text[sp.start..]
                    .find('\n')
                    .map_or(src.text.len(), |o| sp.start + o);
                let word_ok = src.text[sp.start..sp.end]
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                let from = if word_ok { sp.end } else { sp.start };
                if from < line_end {
                    src.add_secret(Span::new(from, line_end));
                }
                let location = self.at(sid, sp, "env_file");
                self.issue(
                    FormIssue::new("compose-env-file", location, msg)
                        .label("not KEY=value")
                        .severity(Severity::Error)
                        .related(self.here(path_span, "env_file"), "read as an env file here")
                        .help("write one `KEY=value` per line; `#` starts a comment"),
                );
            }
            for e in entries {
                self.define(
                    sid,
                    &e.name,
                    &e.value,
                    e.key_span,
                    e.value_span,
                    "from the env file",
                );
            }
        }
    }

    fn environment(&mut self, node: Option<NodeId>) {
        let doc = self.doc;
        let Some(node) = node else { return };
        match &doc.resolve(node).kind {
            NodeKind::Seq(items) => {
                for &item in items.clone().iter() {
                    self.list_entry(item);
                }
            }
            NodeKind::Map(_) => {
                for (k, v) in entries(doc, Some(node)) {
                    let Some(name) = text(doc, Some(k)).map(str::to_string) else {
                        continue;
                    };
                    let key_span = span(doc, k);
                    match &doc.resolve(v).kind {
                        NodeKind::Scalar(s) if is_null(s) => {
                            self.pass_through(&name, key_span);
                        }
                        NodeKind::Scalar(s) => {
                            let vspan = span(doc, v);
                            let content = exact_at(self.text(), doc, v)
                                .map_or(vspan, |a| Span::new(a, a + s.value.len()));
                            let value = self.interpolate_env(&name, &s.value.clone(), vspan);
                            self.define(
                                self.id,
                                &name,
                                &value,
                                key_span,
                                content,
                                "from `environment`",
                            );
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    /// `KEY` or `KEY:` alone: the variable of the shell that runs `docker compose`.
    fn pass_through(&mut self, name: &str, key_span: Span) {
        // `ATLANTIS_GH_TOKEN:…` (a `:` for `=`): only the name is quoted (`define` masks the rest).
        let shown = super::mask::shown_key(name);
        let value = Interpolated::Unknown(shown.to_string());
        if name.starts_with("ATLANTIS_") {
            let name = shown.as_ref();
            let location = self.here(key_span, "environment");
            self.issue(
                FormIssue::new(
                    "compose-env-entry",
                    location,
                    format!("`{name}` has no value here: compose passes it through from the shell that runs `docker compose`, and leaves it out when that shell does not set it"),
                )
                .label("value from the deploy environment")
                .severity(Severity::Info)
                .help(format!("write `{name}=value`, or make sure the deploy environment sets it")),
            );
        }
        self.define(
            self.id,
            name,
            &value,
            key_span,
            Span::new(key_span.start, key_span.start),
            "from `environment`",
        );
    }

    fn list_entry(&mut self, item: NodeId) {
        let doc = self.doc;
        let item_span = span(doc, item);
        let Some(s) = scalar(doc, item) else {
            let location = self.here(item_span, "environment");
            self.issue(
                FormIssue::new(
                    "compose-env-entry",
                    location,
                    "an `environment` list item that is not a `KEY=value` string (`- KEY: value` mixes the list and map forms): `docker compose` refuses the file",
                )
                .label("not KEY=value")
                .severity(Severity::Error)
                .help("write `- KEY=value`, or make `environment` a mapping"),
            );
            return;
        };
        let raw = s.value.clone();
        let exact = exact_at(self.text(), doc, item);
        let sub = |from: usize, to: usize| match exact {
            Some(a) => Span::new(a + from, a + to),
            None => item_span,
        };
        let Some(eq) = raw.find('=') else {
            let name = raw.trim().to_string();
            self.pass_through(&name, sub(0, raw.len()));
            return;
        };
        let name = &raw[..eq];
        let value = &raw[eq + 1..];
        let key_span = sub(0, eq);
        let value_span = sub(eq + 1, raw.len());
        if name.ends_with(' ') || name.ends_with('\t') {
            let location = self.here(key_span, "environment");
            self.issue(
                FormIssue::new(
                    "compose-env-entry",
                    location,
                    format!("environment variable `{}` is declared with a trailing space: `docker compose` refuses the file", name.trim_end()),
                )
                .label("space before `=`")
                .severity(Severity::Error)
                .help("write `KEY=value` with no space before `=`"),
            );
            return;
        }
        let interpolated = self.interpolate_env(name, value, value_span);
        self.define(
            self.id,
            name,
            &interpolated,
            key_span,
            value_span,
            "from `environment`",
        );
    }

    /// `entrypoint` + `command` as the container's command line.
    fn command_line(&mut self, entrypoint: Option<NodeId>, command: Option<NodeId>) {
        let mut words: Vec<Word> = Vec::new();
        let mut unknown_words: Vec<(usize, String)> = Vec::new();
        for node in [entrypoint, command].into_iter().flatten() {
            self.words_of(node, &mut words, &mut unknown_words);
        }
        // The image's entrypoint runs `atlantis` for a flag or `server`; a custom one is
        // followed to the `atlantis` / `server` word.
        let start = words.iter().position(|w| {
            base_name(&w.text) == "atlantis" || w.text == "server" || w.text.starts_with('-')
        });
        let Some(start) = start else {
            // `sh -c "atlantis server ..."`: a plain word list in the string.
            if let Some(w) = words.iter().find(|w| w.text.contains("atlantis server")) {
                let w = w.clone();
                if let Ok(split) = shell_split(&w.text) {
                    if !w.text.contains(['$', ';', '|', '&', '`']) {
                        let inner: Vec<Word> = split
                            .into_iter()
                            .map(|(t, a, _, plain)| Word {
                                exact_at: w.exact_at.filter(|_| plain).map(|e| e + a),
                                text: t,
                                span: w.span,
                            })
                            .collect();
                        if let Some(s) = inner.iter().position(|x| base_name(&x.text) == "atlantis")
                        {
                            self.read_words(&inner[s..], &[], 0);
                        }
                    }
                }
            }
            return;
        };
        self.read_words(&words[start..], &unknown_words, start);
    }

    /// `words` start at index `offset` of the command line that `unknown_words` indexes.
    fn read_words(&mut self, words: &[Word], unknown_words: &[(usize, String)], offset: usize) {
        let unknown: Vec<(usize, Unknown)> = unknown_words
            .iter()
            .filter(|(i, _)| *i >= offset)
            .map(|(i, var)| (i - offset, Unknown::Interpolation { var: var.clone() }))
            .collect();
        read_command_words(
            self.id,
            words,
            &unknown,
            &mut self.unit,
            &mut self.secret_spans,
        );
    }

    fn words_of(
        &mut self,
        node: NodeId,
        words: &mut Vec<Word>,
        unknown_words: &mut Vec<(usize, String)>,
    ) {
        let doc = self.doc;
        match &doc.resolve(node).kind {
            NodeKind::Seq(items) => {
                for &i in items {
                    let Some(s) = scalar(doc, i) else { continue };
                    let sp = span(doc, i);
                    let value = s.value.clone();
                    let exact = exact_at(self.text(), doc, i);
                    match self.interpolate_here(&value, sp) {
                        Interpolated::Known(t) => {
                            let exact = exact.filter(|_| t == value);
                            words.push(Word {
                                text: t,
                                span: sp,
                                exact_at: exact,
                            });
                        }
                        Interpolated::Unknown(var) => {
                            unknown_words.push((words.len(), var));
                            words.push(Word {
                                text: value,
                                span: sp,
                                exact_at: None,
                            });
                        }
                        Interpolated::Invalid(_) => words.push(Word {
                            text: value,
                            span: sp,
                            exact_at: None,
                        }),
                    }
                }
            }
            NodeKind::Scalar(s) if !is_null(s) => {
                let sp = span(doc, node);
                let value = s.value.clone();
                let exact = exact_at(self.text(), doc, node);
                let text = match self.interpolate_here(&value, sp) {
                    Interpolated::Known(t) => t,
                    // Unknown parts: the words stay as written; a flag value holding one is
                    // marked unknown below.
                    _ => value.clone(),
                };
                let same = text == value;
                match shell_split(&text) {
                    Ok(split) => {
                        for (t, a, _, plain) in split {
                            if t.contains('$')
                                && interpolate(&t, &|_| None) != Interpolated::Known(t.clone())
                            {
                                if let Interpolated::Unknown(var) = interpolate(&t, &|_| None) {
                                    unknown_words.push((words.len(), var));
                                }
                            }
                            words.push(Word {
                                exact_at: exact.filter(|_| plain && same).map(|e| e + a),
                                text: t,
                                span: sp,
                            });
                        }
                    }
                    Err(why) => {
                        // Unread words may hold secrets: the command is never shown.
                        self.secret_spans.push(sp);
                        let location = self.here(sp, "command");
                        self.issue(
                            FormIssue::new(
                                "compose-command",
                                location,
                                format!("`docker compose` cannot split this command: {why}"),
                            )
                            .label("not split")
                            .severity(Severity::Error)
                            .help("close the quote, or write the command as a list"),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------

fn read(input: &mut ReadInput) -> Result<Vec<Unit>, String> {
    let id = input.id;
    let docs = match yaml::parse_stream(&input.sources.get(id).text) {
        Ok(docs) => docs,
        Err(e) => {
            return Ok(vec![unparsed(
                id,
                input.sources.get_mut(id),
                e,
                Some(
                    "Docker Compose refuses the file (`docker compose up` fails before starting anything)",
                ),
            )]);
        }
    };
    if let Some(err) = input.invalid_utf8.take() {
        return Err(super::not_utf8(&err));
    }
    let Some(doc) = docs.first() else {
        return Err("it is empty".to_string());
    };
    let Some(root) = doc.root else {
        return Err("it is empty".to_string());
    };
    mask_secret_values(doc, input.sources.get_mut(id));
    let services = entries(doc, get(doc, root, "services"));
    let mut units = Vec::new();
    for &(name_node, service) in &services {
        let Some(name) = text(doc, Some(name_node)).map(str::to_string) else {
            continue;
        };
        let image = get(doc, service, "image");
        let image_text = text(doc, image).map(|i| match interpolate(i, &|_| None) {
            Interpolated::Known(t) => t,
            _ => i.to_string(),
        });
        let entrypoint = get(doc, service, "entrypoint");
        let command = get(doc, service, "command");
        let mut words: Vec<String> = Vec::new();
        for n in [entrypoint, command].into_iter().flatten() {
            match &doc.resolve(n).kind {
                NodeKind::Seq(list) => words.extend(
                    list.iter()
                        .filter_map(|&i| text(doc, Some(i)).map(str::to_string)),
                ),
                NodeKind::Scalar(s) => words.extend(s.value.split_whitespace().map(str::to_string)),
                _ => {}
            }
        }
        let runs = image_text.as_deref().is_some_and(image_is_atlantis)
            || words.first().is_some_and(|w| w == "server")
            || words.windows(2).any(|p| {
                base_name(&p[0]) == "atlantis" && p[1].trim_matches(['"', '\'']) == "server"
            });
        if !runs {
            continue;
        }
        let mut reader = ServiceReader {
            doc,
            sources: &mut *input.sources,
            id,
            unit: Unit {
                part: Some(name.clone()),
                ..Unit::default()
            },
            secret_spans: Vec::new(),
            seen: HashMap::new(),
        };
        reader.unit.anchor = Some(reader.here(span(doc, name_node), "services"));
        if let (Some(reference), Some(node)) = (image_text, image) {
            let location = reader.here(span(doc, node), "image");
            // `${TAG}` is the deployer's shell or `.env`: the release is unknown, not guessed.
            reader.unit.image = Some(if reference.contains('$') {
                DeployedImage {
                    image: ImageRef::Computed {
                        what: "interpolated by compose from the deployer's environment".into(),
                    },
                    location,
                }
            } else {
                DeployedImage::written(reference, location)
            });
        }
        reader.mounts(
            root,
            get(doc, service, "volumes"),
            get(doc, service, "configs"),
        );
        reader.env_files(get(doc, service, "env_file"));
        reader.environment(get(doc, service, "environment"));
        reader.command_line(entrypoint, command);
        let spans = std::mem::take(&mut reader.secret_spans);
        let unit = reader.unit;
        for s in spans {
            input.sources.get_mut(id).add_secret(s);
        }
        units.push(unit);
    }
    if units.is_empty() {
        return Err(format!(
            "none of its {} service{} runs Atlantis (image runatlantis/atlantis, or `atlantis server` / `server` as its command)",
            services.len(),
            if services.len() == 1 { "" } else { "s" }
        ));
    }
    Ok(units)
}

/// Values a snippet could show that are secrets in any service: `environment` values whose
/// name says so (list items and map entries), and every line of the file that looks secret.
fn mask_secret_values(doc: &YamlDoc, source: &mut SourceText) {
    let mut spans = super::mask::line_spans(&source.text, false);
    for node in &doc.nodes {
        match &node.kind {
            NodeKind::Map(pairs) => {
                for &(k, v) in pairs {
                    let (Some(name), Some(_)) = (text(doc, Some(k)), scalar(doc, v)) else {
                        continue;
                    };
                    if is_secret_name(name) {
                        let sp = span(doc, v);
                        spans.push(exact_at(&source.text, doc, v).map_or(sp, |a| {
                            Span::new(a, a + text(doc, Some(v)).map_or(0, str::len))
                        }));
                    }
                }
            }
            NodeKind::Scalar(s) => {
                if let Some((name, value)) = s.value.split_once('=') {
                    if is_secret_name(name.trim_start_matches('-')) && !value.is_empty() {
                        spans.push(match source.text.get(node.span.start..node.span.end) {
                            Some(raw) if raw.contains(&s.value) => {
                                let at = node.span.start
                                    + raw.find(&s.value).unwrap_or(0)
                                    + name.len()
                                    + 1;
                                Span::new(at, at + value.len())
                            }
                            _ => node.span,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    for s in spans {
        source.add_secret(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_references() {
        let refs = |s| {
            variable_refs(s)
                .into_iter()
                .map(|(n, r)| (n, r.start))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            refs("plan -out $PLANFILE; apply $$PLANFILE ${DIR}/x $$$WORKSPACE $1 $"),
            vec![("PLANFILE", 10), ("DIR", 38), ("WORKSPACE", 49)]
        );
        assert_eq!(refs("${}é$_x"), vec![("", 0), ("_x", 5)]);
    }

    #[test]
    fn compose_interpolation() {
        let none = |_: &str| None;
        assert_eq!(
            interpolate("a$$b", &none),
            Interpolated::Known("a$b".into())
        );
        assert_eq!(
            interpolate("${X:-d}/x", &none),
            Interpolated::Known("d/x".into())
        );
        assert_eq!(
            interpolate("${X-d}", &none),
            Interpolated::Known("d".into())
        );
        assert_eq!(
            interpolate("${X}", &none),
            Interpolated::Unknown("X".into())
        );
        assert_eq!(
            interpolate("$X y", &none),
            Interpolated::Unknown("X".into())
        );
        assert_eq!(
            interpolate("${X:?need}", &none),
            Interpolated::Unknown("X".into())
        );
        assert!(matches!(
            interpolate("${X", &none),
            Interpolated::Invalid(_)
        ));
        let some = |n: &str| (n == "A").then(|| "v".to_string());
        assert_eq!(
            interpolate("${A}-$A-${A:+r}", &some),
            Interpolated::Known("v-v-r".into())
        );
        assert_eq!(
            interpolate("a $ b", &none),
            Interpolated::Known("a $ b".into())
        );
    }

    #[test]
    fn shellwords_split() {
        let w = shell_split(r#"server --a="x y" --b 'c' d\ e"#).unwrap();
        let t: Vec<&str> = w.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(t, ["server", "--a=x y", "--b", "c", "d e"]);
        assert!(w[0].3 && !w[1].3);
        assert!(shell_split("a 'b").is_err());
    }

    #[test]
    fn dotenv_rules() {
        let text =
            "# c\nexport A=1 # note\nB='x $A'\nC=\"l1\\nl2 $A\"\nD=${A}-${Z}\nE: e\nbad line\n";
        let (e, bad) = parse_env_file(text, false, &HashMap::new());
        let v: Vec<(&str, &Interpolated)> = e.iter().map(|x| (x.name.as_str(), &x.value)).collect();
        assert_eq!(v[0], ("A", &Interpolated::Known("1".into())));
        assert_eq!(v[1], ("B", &Interpolated::Known("x $A".into())));
        assert_eq!(v[2], ("C", &Interpolated::Known("l1\nl2 1".into())));
        assert_eq!(v[3], ("D", &Interpolated::Unknown("Z".into())));
        assert_eq!(v[4], ("E", &Interpolated::Known("e".into())));
        assert_eq!(bad.len(), 1);
        let multi = "K='-----BEGIN\nx\n-----END'\nN=2\n";
        let (e, _) = parse_env_file(multi, false, &HashMap::new());
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].name, "N");
    }
}

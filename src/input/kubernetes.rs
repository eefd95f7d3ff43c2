//! Kubernetes manifests: the container that runs Atlantis in a workload (Pod, Deployment,
//! StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Argo Rollout, and `List`s of them), read the
//! way the kubelet builds its environment and command line, with the Secrets and ConfigMaps of
//! the same input resolved. The output of `helm template` and `kustomize build` is this form.
//!
//! - `envFrom` first (a later source wins), then `env` in order (a later duplicate wins; any
//!   `env` entry beats every `envFrom` source): all through Atlantis's env channel.
//! - `value` and `command`/`args` words get the kubelet's `$(VAR)` expansion from the variables
//!   defined before them; `$$` is `$`; a reference to nothing stays as written.
//! - `valueFrom.secretKeyRef` / `configMapKeyRef` to an object in the input reads its value
//!   (Secret `data` base64-decoded, `stringData` verbatim), positioned at the object's value;
//!   to an object that is not in the input, the value is set but unknown. `envFrom` of an object
//!   that is not in the input may set anything ([`OpaqueSource`]).
//! - `command` + `args` is the command line; the image's entrypoint adds `atlantis` when the
//!   first word is a flag or `server`; `sh -c "atlantis server --flag ..."` is read when the
//!   string is a plain word list.
//! - A ConfigMap key mounted where `--config` / `ATLANTIS_CONFIG` points is read as the server
//!   config file, positioned inside the ConfigMap; one mounted where `--repo-config` /
//!   `ATLANTIS_REPO_CONFIG` points is the server-side repo config ([`repo_config`]).
//! - A bare `env:` list (what `emit --to k8s-env` prints) is read as one container's env.

mod repo_config;

use super::argv::Word;
use super::container::{
    base_name, image_is_atlantis, is_secret_name, lost_value, read_command_words, scalar, span,
    text, unparsed,
};
use super::env::env_setting;
use super::kind::{Kind, Probe, ReadInput, Unit};
use super::yaml::{self, NodeId, NodeKind, Style, YamlDoc};
use crate::config::{
    DeployedImage, FormIssue, KeyMatch, Location, OpaqueSource, RawValue, Spelling, Unknown,
};
use crate::finding::Severity;
use crate::flags;
use crate::secret::Text;
use crate::source::{SourceId, SourceText, Span};
use std::collections::HashMap;

pub static KIND: Kind = Kind {
    name: "kubernetes",
    what: "a Kubernetes manifest",
    detect,
    holds_atlantis,
    read: Some(read),
    unread: "",
};

/// Any document whose root mapping has `apiVersion` and `kind`, or a root list of `env`
/// entries (`name` with `value` or `valueFrom`).
fn detect(probe: &Probe) -> bool {
    if probe
        .top_keys()
        .iter()
        .any(|keys| keys.iter().any(|k| k == "apiVersion") && keys.iter().any(|k| k == "kind"))
    {
        return true;
    }
    let Some(doc) = probe.docs.as_ref().and_then(|d| d.first()) else {
        return false;
    };
    let Some(root) = doc.root else { return false };
    let NodeKind::Seq(items) = &doc.resolve(root).kind else {
        return false;
    };
    !items.is_empty()
        && items.iter().all(|&i| {
            get(doc, i, "name").is_some()
                && (get(doc, i, "value").is_some() || get(doc, i, "valueFrom").is_some())
        })
}

fn holds_atlantis(probe: &Probe) -> bool {
    probe.text.contains("atlantis") || probe.text.contains("ATLANTIS_")
}

// ---------------------------------------------------------------------------------------------
// YAML helpers (aliases resolved everywhere)

fn get(doc: &YamlDoc, id: NodeId, key: &str) -> Option<NodeId> {
    match &doc.resolve(id).kind {
        NodeKind::Map(pairs) => pairs
            .iter()
            .rev()
            .find(|&&(k, _)| matches!(&doc.resolve(k).kind, NodeKind::Scalar(s) if s.value == key))
            .map(|&(_, v)| v),
        _ => None,
    }
}

fn items(doc: &YamlDoc, id: Option<NodeId>) -> &[NodeId] {
    match id.map(|i| &doc.resolve(i).kind) {
        Some(NodeKind::Seq(items)) => items,
        _ => &[],
    }
}

fn pairs(doc: &YamlDoc, id: Option<NodeId>) -> &[(NodeId, NodeId)] {
    match id.map(|i| &doc.resolve(i).kind) {
        Some(NodeKind::Map(p)) => p,
        _ => &[],
    }
}

/// A path of mapping keys.
fn path(doc: &YamlDoc, id: NodeId, keys: &[&str]) -> Option<NodeId> {
    keys.iter().try_fold(id, |at, k| get(doc, at, k))
}

fn optional(doc: &YamlDoc, id: NodeId) -> bool {
    text(doc, get(doc, id, "optional")) == Some("true")
}

/// The span of a scalar's text without its quotes (what snippets mask).
pub(super) fn content_span(source: &str, s: Span) -> Span {
    let t = &source[s.start..s.end.min(source.len())];
    if t.len() >= 2
        && ((t.starts_with('"') && t.ends_with('"')) || (t.starts_with('\'') && t.ends_with('\'')))
    {
        Span::new(s.start + 1, s.end - 1)
    } else {
        s
    }
}

// ---------------------------------------------------------------------------------------------
// Secrets and ConfigMaps of the input

/// One key of a Secret or ConfigMap in the input.
struct DataEntry {
    /// The value, or why it cannot be read (not base64, not UTF-8).
    value: Result<String, &'static str>,
    key_span: Span,
    value_node: NodeId,
    doc: usize,
}

struct Object {
    name_span: Span,
    /// Keys in document order (`envFrom` adds them in this order; `data` before `stringData`).
    entries: Vec<(String, DataEntry)>,
}

impl Object {
    fn entry(&self, key: &str) -> Option<&DataEntry> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, e)| e)
    }
}

#[derive(Default)]
struct Objects {
    secrets: HashMap<String, Object>,
    config_maps: HashMap<String, Object>,
}

impl Objects {
    fn of(&self, secret: bool) -> &HashMap<String, Object> {
        if secret {
            &self.secrets
        } else {
            &self.config_maps
        }
    }
}

/// The root of every object in the input: each document's root, and the `items` of a `List`.
fn objects_of(docs: &[YamlDoc]) -> Vec<(usize, NodeId)> {
    let mut out = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let Some(root) = doc.root else { continue };
        let kind = text(doc, get(doc, root, "kind")).unwrap_or("");
        if kind == "List" || (kind.ends_with("List") && get(doc, root, "items").is_some()) {
            out.extend(
                items(doc, get(doc, root, "items"))
                    .iter()
                    .map(|&it| (i, it)),
            );
        } else {
            out.push((i, root));
        }
    }
    out
}

fn collect_objects(
    docs: &[YamlDoc],
    roots: &[(usize, NodeId)],
    source: &mut SourceText,
    issues: &mut Vec<FormIssue>,
    source_id: SourceId,
) -> Objects {
    use base64::Engine as _;
    let mut objects = Objects::default();
    for &(d, root) in roots {
        let doc = &docs[d];
        let kind = text(doc, get(doc, root, "kind")).unwrap_or("");
        let secret = kind == "Secret";
        if !secret && kind != "ConfigMap" {
            continue;
        }
        let Some(name_node) = path(doc, root, &["metadata", "name"]) else {
            continue;
        };
        let name = text(doc, Some(name_node)).unwrap_or("").to_string();
        let mut object = Object {
            name_span: span(doc, name_node),
            entries: Vec::new(),
        };
        let sections: &[&str] = if secret {
            &["data", "stringData"]
        } else {
            &["data", "binaryData"]
        };
        for &section in sections {
            for &(k, v) in pairs(doc, get(doc, root, section)) {
                let Some(key) = text(doc, Some(k)) else {
                    continue;
                };
                let raw = text(doc, Some(v)).unwrap_or("");
                let value_span = span(doc, v);
                if secret {
                    // Every value of a Secret is a secret, whether or not a flag reads it.
                    source.add_secret(content_span(&source.text, value_span));
                }
                let value = match (secret, section) {
                    (true, "data") | (false, "binaryData") => {
                        match base64::engine::general_purpose::STANDARD.decode(raw.trim()) {
                            Ok(bytes) => String::from_utf8(bytes).map_err(|_| "not UTF-8 text"),
                            Err(_) => {
                                if secret {
                                    issues.push(
                                        FormIssue::new(
                                            "k8s-secret-data",
                                            Location::Source {
                                                source: source_id,
                                                spelling: Spelling::FormKey {
                                                    path: format!("data.{key}"),
                                                },
                                                span: value_span,
                                            },
                                            format!(
                                                "Secret `{name}` key `{key}`: `data` values must be base64; the API server rejects this Secret"
                                            ),
                                        )
                                        .label("not base64")
                                        .help("encode it (`base64 -w0`), or move it to `stringData`, which takes plain text"),
                                    );
                                }
                                Err("not base64")
                            }
                        }
                    }
                    _ => Ok(raw.to_string()),
                };
                object.entries.push((
                    key.to_string(),
                    DataEntry {
                        value,
                        key_span: span(doc, k),
                        value_node: v,
                        doc: d,
                    },
                ));
            }
        }
        let map = if secret {
            &mut objects.secrets
        } else {
            &mut objects.config_maps
        };
        map.insert(name, object);
    }
    objects
}

// ---------------------------------------------------------------------------------------------
// Workloads and containers

/// The pod spec of a workload, and the workload's kind and name.
fn pod_spec(doc: &YamlDoc, root: NodeId) -> Option<(NodeId, String, String)> {
    let kind = text(doc, get(doc, root, "kind"))?.to_string();
    let spec = match kind.as_str() {
        "Pod" => get(doc, root, "spec"),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job"
        | "Rollout" => path(doc, root, &["spec", "template", "spec"]),
        "CronJob" => path(
            doc,
            root,
            &["spec", "jobTemplate", "spec", "template", "spec"],
        ),
        _ => None,
    }?;
    let name = text(doc, path(doc, root, &["metadata", "name"]))
        .unwrap_or("")
        .to_string();
    Some((spec, kind, name))
}

/// Words of an `sh -c` string, each with its offset in the source when found there.
type LocatedWords = Vec<(String, Option<usize>)>;

/// One word of `command` or `args`.
#[derive(Clone)]
struct RawWord {
    text: String,
    node: NodeId,
}

fn words(doc: &YamlDoc, id: Option<NodeId>) -> Vec<RawWord> {
    items(doc, id)
        .iter()
        .filter_map(|&i| {
            scalar(doc, i).map(|s| RawWord {
                text: s.value.clone(),
                node: i,
            })
        })
        .collect()
}

/// True when the container runs Atlantis: its image is Atlantis's, or its command line runs
/// `atlantis` or starts with `server`.
fn runs_atlantis(image: Option<&str>, full: &[RawWord]) -> bool {
    let image_is_atlantis = image.is_some_and(image_is_atlantis);
    let runs = full.iter().enumerate().any(|(i, w)| {
        (base_name(&w.text) == "atlantis" && full.get(i + 1).is_some_and(|n| n.text == "server"))
            || (i == 0 && w.text == "server")
            || shell_words(&w.text).is_some_and(|ws| {
                ws.windows(2)
                    .any(|p| base_name(p[0]) == "atlantis" && p[1] == "server")
            })
    });
    image_is_atlantis || runs
}

/// The words of a shell string that is a plain word list (no quoting, expansion or operators).
fn shell_words(s: &str) -> Option<Vec<&str>> {
    // Glob characters are allowed: a pattern such as `github.com/acme/*` matches no file in
    // the container's working directory, so the shell passes it on as written.
    if s.bytes().any(|b| b"'\"\\$`;|&<>(){}#~".contains(&b)) {
        return None;
    }
    let words: Vec<&str> = s.split_ascii_whitespace().collect();
    (words.len() > 1).then_some(words)
}

/// A value while the container's environment is built.
#[derive(Clone)]
enum Var {
    Known(String),
    Unknown(Unknown),
}

/// The result of the kubelet's `$(VAR)` expansion of one string.
struct Expanded {
    text: String,
    /// A referenced variable whose value is unknown: the whole result is unknown then.
    unknown: Option<Unknown>,
    /// References to variables defined nowhere before: kept as written.
    missing: Vec<String>,
    /// Variables it referred to that were defined.
    used: Vec<String>,
}

/// The kubelet's expansion (`third_party/forked/golang/expansion`): `$(VAR)` from the variables
/// defined so far, `$$` is `$`, anything else (an unknown name, an unclosed `$(`) as written.
fn expand(input: &str, vars: &HashMap<String, Var>) -> Expanded {
    let mut out = String::with_capacity(input.len());
    let mut unknown = None;
    let mut missing = Vec::new();
    let mut used = Vec::new();
    let mut rest = input;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(r) = after.strip_prefix('$') {
            out.push('$');
            rest = r;
        } else if let Some(r) = after.strip_prefix('(') {
            match r.find(')') {
                Some(close) => {
                    let name = &r[..close];
                    if vars.contains_key(name) {
                        used.push(name.to_string());
                    }
                    match vars.get(name) {
                        Some(Var::Known(v)) => out.push_str(v),
                        Some(Var::Unknown(u)) => {
                            unknown.get_or_insert_with(|| u.clone());
                            out.push_str(&format!("$({name})"));
                        }
                        None if super::env::is_service_link(name, "")
                            || name.ends_with("_SERVICE_HOST")
                            || name.ends_with("_SERVICE_PORT") =>
                        {
                            unknown.get_or_insert_with(|| Unknown::Computed {
                                what: format!("the Kubernetes service link `{name}`"),
                            });
                            out.push_str(&format!("$({name})"));
                        }
                        None => {
                            missing.push(name.to_string());
                            out.push_str(&format!("$({name})"));
                        }
                    }
                    rest = &r[close + 1..];
                }
                None => {
                    out.push_str("$(");
                    rest = r;
                }
            }
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    Expanded {
        text: out,
        unknown,
        missing,
        used,
    }
}

/// Reads one Atlantis container (or a bare env list) into a unit.
struct ContainerReader<'a> {
    docs: &'a [YamlDoc],
    d: usize,
    objects: &'a Objects,
    source_id: SourceId,
    source: &'a mut SourceText,
    unit: Unit,
    vars: HashMap<String, Var>,
    secret_spans: Vec<Span>,
    /// Names a `$(VAR)` referred to: helper variables, not meant for Atlantis.
    referenced: std::collections::HashSet<String>,
}

impl ContainerReader<'_> {
    /// The unit, without the settings of helper variables (`ATLANTIS_HOST`, referenced by a
    /// later `$(ATLANTIS_HOST)`) that are no Atlantis flag: they are not typos.
    fn finish(mut self) -> (Unit, Vec<Span>) {
        let referenced = std::mem::take(&mut self.referenced);
        self.unit.settings.retain(|s| {
            !(matches!(s.matched, KeyMatch::Unknown)
                && matches!(&s.origin.spelling, Spelling::EnvVar { name } if referenced.contains(name)))
        });
        (self.unit, self.secret_spans)
    }

    fn doc(&self) -> &YamlDoc {
        &self.docs[self.d]
    }

    fn at(&self, span: Span, path: &str) -> Location {
        Location::Source {
            source: self.source_id,
            spelling: Spelling::FormKey {
                path: path.to_string(),
            },
            span,
        }
    }

    fn issue(&mut self, issue: FormIssue) {
        self.unit.form_issues.push(issue);
    }

    fn setting(&mut self, name: &str, value: RawValue, key_span: Span, value_span: Span) {
        let setting = env_setting(self.source_id, name, value, key_span, value_span);
        self.unit.settings.push(setting);
    }

    /// A variable Atlantis reads (`ATLANTIS_*`) becomes a setting; every variable can be
    /// referenced by a later `$(VAR)`.
    fn define(&mut self, name: &str, var: Var, key_span: Span, value_span: Span) {
        if name.starts_with("ATLANTIS_") {
            let secret = super::mask::name_is_secret(name);
            let value = match &var {
                Var::Known(v) => RawValue::Text(Text::new(v.clone(), secret)),
                Var::Unknown(u) => RawValue::Unknown(u.clone()),
            };
            self.setting(name, value, key_span, value_span);
        }
        self.vars.insert(name.to_string(), var);
    }

    fn env_from(&mut self, list: &[NodeId]) {
        for &entry in list {
            let doc = self.doc();
            let prefix = text(doc, get(doc, entry, "prefix"))
                .unwrap_or("")
                .to_string();
            let (reference, secret) = match (
                get(doc, entry, "secretRef"),
                get(doc, entry, "configMapRef"),
            ) {
                (Some(r), _) => (r, true),
                (None, Some(r)) => (r, false),
                _ => continue,
            };
            let name_node = get(doc, reference, "name");
            let name = text(doc, name_node).unwrap_or("").to_string();
            let what = format!("{} `{name}`", if secret { "Secret" } else { "ConfigMap" });
            let ref_span = name_node.map_or(span(doc, entry), |n| span(doc, n));
            match self.objects.of(secret).get(&name) {
                Some(object) => {
                    for (key, e) in &object.entries {
                        let value_span = span(&self.docs[e.doc], e.value_node);
                        let var = match &e.value {
                            Ok(v) => Var::Known(v.clone()),
                            Err(why) => Var::Unknown(Unknown::Computed {
                                what: format!("{what} key `{key}` ({why})"),
                            }),
                        };
                        self.define(&format!("{prefix}{key}"), var, e.key_span, value_span);
                    }
                }
                None => {
                    let location = self.at(ref_span, "envFrom");
                    self.unit.opaque.push(OpaqueSource {
                        location,
                        what,
                        prefix,
                    });
                }
            }
        }
    }

    fn env(&mut self, list: &[NodeId]) {
        // name -> (name span, the value as a user would recognise it, if it may be shown)
        let mut seen: HashMap<String, (Span, Option<String>)> = HashMap::new();
        let docs = self.docs;
        for &entry in list {
            let doc = &docs[self.d];
            let Some(name_node) = get(doc, entry, "name") else {
                let location = self.at(span(doc, entry), "env");
                self.issue(
                    FormIssue::new(
                        "k8s-env-name",
                        location,
                        "an `env` entry without `name`: the API server rejects the manifest",
                    )
                    .label("no name")
                    .severity(Severity::Error)
                    .help("give every env entry a `name:`"),
                );
                continue;
            };
            let key_span = span(doc, name_node);
            // `name: ATLANTIS_GH_TOKEN=…`: the glued value is never shown.
            // Names are compared as written, and quoted as shown.
            let raw_name = text(doc, Some(name_node)).unwrap_or("").to_string();
            let (name, glued) = super::mask::hide_glued(&self.source.text, key_span, &raw_name);
            self.secret_spans.extend(glued);
            let secret = is_secret_name(&name);
            let value_node = get(doc, entry, "value");
            let value_from = get(doc, entry, "valueFrom");
            let (var, value_span, shown) = match (value_node, value_from) {
                (Some(v), _) => {
                    let raw = text(doc, Some(v)).unwrap_or("").to_string();
                    let vspan = span(doc, v);
                    if secret {
                        self.secret_spans
                            .push(content_span(&self.source.text, vspan));
                    }
                    let expanded = expand(&raw, &self.vars);
                    self.referenced.extend(expanded.used.iter().cloned());
                    self.referenced.extend(expanded.missing.iter().cloned());
                    self.unresolved(&expanded.missing, vspan, &name);
                    let shown =
                        (!secret && expanded.unknown.is_none()).then(|| expanded.text.clone());
                    let var = match expanded.unknown {
                        Some(u) => Var::Unknown(u),
                        None => Var::Known(expanded.text),
                    };
                    (var, vspan, shown)
                }
                (None, Some(from)) => match self.value_from(&name, from) {
                    Some((var, vspan)) => (var, vspan, None),
                    None => continue,
                },
                (None, None) => (Var::Known(String::new()), key_span, Some(String::new())),
            };
            if let Some((first, lost)) = seen.get(&raw_name) {
                let lost = lost_value(lost.as_deref());
                let (line, _) = self.source.line_col(first.start);
                let location = self.at(key_span, "env");
                let first_location = self.at(*first, "env");
                self.issue(
                    FormIssue::new(
                        "k8s-duplicate-env",
                        location,
                        format!("`{name}` is defined twice in this container's env: the kubelet keeps this one, and {lost} set at line {line} is lost"),
                    )
                    .label("this one wins")
                    .related(first_location, "lost: overridden below")
                    .help("keep one entry; `helm upgrade` with server-side apply and `kubectl kustomize` refuse duplicate names"),
                );
            }
            seen.insert(raw_name, (key_span, shown));
            self.name_check(&name, key_span);
            self.define(&name, var, key_span, value_span);
        }
    }

    /// `valueFrom`: the variable and where its value is (`None`: the variable is not set).
    fn value_from(&mut self, name: &str, from: NodeId) -> Option<(Var, Span)> {
        let doc = &self.docs[self.d];
        let (reference, secret) = match (
            get(doc, from, "secretKeyRef"),
            get(doc, from, "configMapKeyRef"),
        ) {
            (Some(r), _) => (r, true),
            (None, Some(r)) => (r, false),
            _ => {
                let field = path(doc, from, &["fieldRef", "fieldPath"])
                    .or_else(|| path(doc, from, &["resourceFieldRef", "resource"]));
                let what = text(doc, field).unwrap_or("a field").to_string();
                return Some((Var::Unknown(Unknown::Field { path: what }), span(doc, from)));
            }
        };
        let obj_name = text(doc, get(doc, reference, "name"))
            .unwrap_or("")
            .to_string();
        let key_node = get(doc, reference, "key");
        let key = text(doc, key_node).unwrap_or("").to_string();
        let key_span = key_node.map_or(span(doc, reference), |k| span(doc, k));
        let optional = optional(doc, reference);
        let kind = if secret { "Secret" } else { "ConfigMap" };
        let Some(object) = self.objects.of(secret).get(&obj_name) else {
            let u = if secret {
                Unknown::SecretKey {
                    name: obj_name,
                    key,
                    optional,
                }
            } else {
                Unknown::ConfigMapKey {
                    name: obj_name,
                    key,
                    optional,
                }
            };
            return Some((Var::Unknown(u), key_span));
        };
        match object.entry(&key) {
            Some(e) => {
                let value_span = span(&self.docs[e.doc], e.value_node);
                let var = match &e.value {
                    Ok(v) => Var::Known(v.clone()),
                    Err(why) => Var::Unknown(Unknown::Computed {
                        what: format!("{kind} `{obj_name}` key `{key}` ({why})"),
                    }),
                };
                Some((var, value_span))
            }
            None if optional => None,
            None => {
                let location = self.at(key_span, "valueFrom");
                let object_location = self.at(object.name_span, "metadata.name");
                let mut keys: Vec<&str> = object.entries.iter().map(|(k, _)| k.as_str()).collect();
                keys.sort_unstable();
                keys.dedup();
                let issue = FormIssue::new(
                    "k8s-missing-key",
                    location,
                    format!("{kind} `{obj_name}` in this input has no key `{key}`: the pod fails with CreateContainerConfigError (couldn't find key {key})"),
                )
                .label("no such key")
                .key(flags::lookup_env(name).map_or(name.to_string(), |f| f.name.to_string()))
                .related(object_location, format!("{kind} `{obj_name}` is here"))
                .help(if keys.is_empty() {
                    format!("add `{key}` to the {kind}, or mark the reference `optional: true`")
                } else {
                    format!("its keys are {}; add `{key}` or refer to one of them", keys.join(", "))
                });
                self.issue(issue);
                let u = if secret {
                    Unknown::SecretKey {
                        name: obj_name,
                        key,
                        optional,
                    }
                } else {
                    Unknown::ConfigMapKey {
                        name: obj_name,
                        key,
                        optional,
                    }
                };
                Some((Var::Unknown(u), key_span))
            }
        }
    }

    fn unresolved(&mut self, missing: &[String], at: Span, context: &str) {
        for var in missing {
            let location = self.at(at, "env");
            self.issue(
                FormIssue::new(
                    "k8s-unresolved-reference",
                    location,
                    format!("`$({var})` in {context} refers to no variable defined before it in this container: the kubelet leaves it as written, so Atlantis gets the literal text `$({var})`"),
                )
                .label("not expanded")
                .help(format!("define `{var}` in `env` before this entry (order matters), or write `$$({var})` if the text is meant literally")),
            );
        }
    }

    /// `GH_TOKEN`, `atlantis_gh_user`: a name Atlantis does not read that names one of its flags.
    fn name_check(&mut self, name: &str, at: Span) {
        if name.starts_with("ATLANTIS_") {
            return;
        }
        let upper = name.to_ascii_uppercase().replace('-', "_");
        let flag = match upper.strip_prefix("ATLANTIS_") {
            Some(_) => flags::lookup_env(&upper),
            None => flags::lookup(flags::normalise(name)).filter(|f| {
                f.is_current() && f.kind != flags::FlagKind::FileOnly && f.name.contains('-')
            }),
        };
        let Some(flag) = flag else { return };
        let location = self.at(at, "env");
        let env = flag.env_name();
        self.issue(
            FormIssue::new(
                "k8s-env-name",
                location,
                format!("`{name}` is not an Atlantis variable: Atlantis reads `{env}` for {}", flag.name),
            )
            .label("Atlantis does not read this name")
            .key(flag.name)
            .help(format!("rename it to `{env}` (env names are case-sensitive), unless another program in the container reads `{name}`")),
        );
    }

    /// `command` + `args`: the Atlantis command line, expanded as the kubelet does.
    fn command_line(&mut self, command: &[RawWord], args: &[RawWord]) {
        let mut full: Vec<RawWord> = command.to_vec();
        full.extend(args.iter().cloned());
        // Where Atlantis's own words start.
        let mut start = None;
        let mut shell: Option<(RawWord, LocatedWords)> = None;
        for (i, w) in full.iter().enumerate() {
            if base_name(&w.text) == "atlantis" {
                start = Some(i + 1);
                break;
            }
            if w.text == "server" || (i == 0 && command.is_empty() && w.text.starts_with('-')) {
                start = Some(i);
                break;
            }
            if let Some(ws) = shell_words(&w.text) {
                if let Some(j) = ws.iter().position(|x| base_name(x) == "atlantis") {
                    // Positions: each word found in order in the scalar's text.
                    let node_span = span(self.doc(), w.node);
                    let mut from = node_span.start;
                    let mut located = Vec::new();
                    for word in &ws[j + 1..] {
                        let hay = &self.source.text[from..node_span.end];
                        let at = hay.find(word).map(|o| from + o);
                        if let Some(a) = at {
                            from = a + word.len();
                        }
                        located.push((word.to_string(), at));
                    }
                    shell = Some((w.clone(), located));
                    break;
                }
            }
        }
        let mut words: Vec<Word> = Vec::new();
        let mut unknown_words: Vec<(usize, Unknown)> = Vec::new();
        if let Some((w, located)) = shell {
            let whole = span(self.doc(), w.node);
            for (text, at) in located {
                words.push(Word {
                    span: at.map_or(whole, |a| Span::new(a, a + text.len())),
                    exact_at: at,
                    text,
                });
            }
        } else if let Some(start) = start {
            for w in &full[start..] {
                let node_span = span(self.doc(), w.node);
                let expanded = expand(&w.text, &self.vars);
                self.referenced.extend(expanded.used.iter().cloned());
                self.unresolved(&expanded.missing, node_span, "this argument");
                let style = scalar(self.doc(), w.node).map(|s| s.style);
                let inner = content_span(&self.source.text, node_span);
                let exact = expanded.text == w.text
                    && matches!(
                        style,
                        Some(Style::Plain | Style::SingleQuoted | Style::DoubleQuoted)
                    )
                    && self.source.text.get(inner.start..inner.end) == Some(w.text.as_str());
                if let Some(u) = expanded.unknown {
                    unknown_words.push((words.len(), u));
                }
                words.push(Word {
                    text: expanded.text,
                    span: node_span,
                    exact_at: exact.then_some(inner.start),
                });
            }
        } else {
            return;
        }
        read_command_words(
            self.source_id,
            &words,
            &unknown_words,
            &mut self.unit,
            &mut self.secret_spans,
        );
    }

    /// The server config file Atlantis is told to load, when a ConfigMap of the input holds it.
    fn config_file(&mut self, spec: Option<NodeId>, container: Option<NodeId>) {
        // The winning `config` value, as Atlantis would see it.
        let config = self
            .unit
            .settings
            .iter()
            .filter(|s| matches!(s.matched, KeyMatch::Flag(f) if f.id() == flags::CONFIG))
            // The highest channel; within it the last (`max_by_key` keeps the last maximum).
            .max_by_key(|s| s.origin.channel);
        let Some(setting) = config else { return };
        let location = setting.origin.value();
        let path = match &setting.value {
            RawValue::Text(t) if !t.as_str().is_empty() => t.as_str().to_string(),
            _ => return,
        };
        let found = spec
            .zip(container)
            .and_then(|(spec, c)| self.mounted(spec, c, &path));
        let Some((d, node)) = found else {
            self.unit.opaque.push(OpaqueSource {
                location,
                what: format!("the config file `{path}`, which is not in the input"),
                prefix: String::new(),
            });
            return;
        };
        let doc = &self.docs[d];
        let node_span = span(doc, node);
        let style = scalar(doc, node).map(|s| s.style);
        let region = match style {
            // `key: |` — the content starts on the line after the indicator.
            Some(Style::Literal) => {
                let text = &self.source.text;
                let from = if matches!(text.as_bytes().get(node_span.start), Some(b'|')) {
                    // The span starts at the indicator: the content is on the next line.
                    text[node_span.start..node_span.end]
                        .find('\n')
                        .map_or(node_span.end, |o| node_span.start + o + 1)
                } else {
                    // The span starts at the content: take its whole first line, indentation
                    // included, so that every line keeps the same indentation.
                    text[..node_span.start].rfind('\n').map_or(0, |o| o + 1)
                };
                Span::new(from, node_span.end)
            }
            Some(Style::Plain) => node_span,
            _ => {
                self.unit.opaque.push(OpaqueSource {
                    location,
                    what: format!(
                        "the config file `{path}` (a quoted or folded string atlantis-lint does not read in place; write it as a `|` block)"
                    ),
                    prefix: String::new(),
                });
                return;
            }
        };
        let (mut input, settings) = super::file::read_region(self.source_id, self.source, region);
        input.path = self.source.name.clone();
        self.unit.file = Some(input);
        self.unit.settings.splice(0..0, settings);
    }

    /// The ConfigMap value mounted at `path` in this container: (document, value node).
    fn mounted(&self, spec: NodeId, container: NodeId, path: &str) -> Option<(usize, NodeId)> {
        let doc = self.doc();
        for &m in items(doc, get(doc, container, "volumeMounts")) {
            let mount_path = text(doc, get(doc, m, "mountPath"))?.trim_end_matches('/');
            let volume = text(doc, get(doc, m, "name"))?;
            let sub_path = text(doc, get(doc, m, "subPath"));
            let rel = match sub_path {
                Some(sp) if path == mount_path => sp.to_string(),
                Some(_) => continue,
                None => match path
                    .strip_prefix(mount_path)
                    .and_then(|r| r.strip_prefix('/'))
                {
                    Some(r) => r.to_string(),
                    None => continue,
                },
            };
            let vol = items(doc, get(doc, spec, "volumes"))
                .iter()
                .copied()
                .find(|&v| text(doc, get(doc, v, "name")) == Some(volume))?;
            let cm = get(doc, vol, "configMap")?;
            let cm_name = text(doc, get(doc, cm, "name"))?;
            let key = match items(doc, get(doc, cm, "items")) {
                [] => rel,
                list => list
                    .iter()
                    .find(|&&it| text(doc, get(doc, it, "path")) == Some(rel.as_str()))
                    .and_then(|&it| text(doc, get(doc, it, "key")))?
                    .to_string(),
            };
            let object = self.objects.config_maps.get(cm_name)?;
            let e = object.entry(&key)?;
            return Some((e.doc, e.value_node));
        }
        None
    }
}

// ---------------------------------------------------------------------------------------------

fn read(input: &mut ReadInput) -> Result<Vec<Unit>, String> {
    let id = input.id;
    let source = input.sources.get_mut(id);
    if let Some(at) = template_placeholder(&source.text) {
        let (line, _) = source.line_col(at);
        return Err(format!(
            "it is a template, not a manifest (`{{{{ ... }}}}` at line {line}); lint what it renders: `helm template ... | atlantis-lint --kind kubernetes -`"
        ));
    }
    let docs = match yaml::parse_stream(&source.text) {
        Ok(docs) => docs,
        Err(e) => {
            return Ok(vec![unparsed(
                id,
                source,
                e,
                Some(
                    "kubectl refuses the manifest (`kubectl apply` fails with \"error converting YAML to JSON\")",
                ),
            )]);
        }
    };
    if let Some(err) = input.invalid_utf8.take() {
        return Err(super::not_utf8(&err));
    }
    let mut object_issues = Vec::new();
    let roots = objects_of(&docs);
    let objects = collect_objects(&docs, &roots, source, &mut object_issues, id);
    mask_everything_else(&docs, source);

    let mut units = Vec::new();
    // A bare env list (what `emit --to k8s-env` prints).
    if let [doc] = docs.as_slice() {
        if let Some(root) = doc
            .root
            .filter(|&r| matches!(doc.resolve(r).kind, NodeKind::Seq(_)))
        {
            let mut reader = ContainerReader {
                docs: &docs,
                d: 0,
                objects: &objects,
                source_id: id,
                source,
                unit: Unit::default(),
                vars: HashMap::new(),
                secret_spans: Vec::new(),
                referenced: Default::default(),
            };
            reader.env(items(doc, Some(root)));
            let (unit, spans) = reader.finish();
            for s in spans {
                source.add_secret(s);
            }
            return Ok(vec![unit]);
        }
    }
    let mut workloads = 0;
    let mut first_issue_unit = true;
    for &(d, root) in &roots {
        let doc = &docs[d];
        let Some((spec, kind, name)) = pod_spec(doc, root) else {
            continue;
        };
        workloads += 1;
        let containers = items(doc, get(doc, spec, "containers"))
            .iter()
            .chain(items(doc, get(doc, spec, "initContainers")));
        for &c in containers {
            let image = text(doc, get(doc, c, "image"));
            let command = words(doc, get(doc, c, "command"));
            let args = words(doc, get(doc, c, "args"));
            let mut full = command.clone();
            full.extend(args.iter().cloned());
            if !runs_atlantis(image, &full) {
                continue;
            }
            let cname_node = get(doc, c, "name");
            let cname = text(doc, cname_node).unwrap_or("").to_string();
            let mut reader = ContainerReader {
                docs: &docs,
                d,
                objects: &objects,
                source_id: id,
                source,
                unit: Unit {
                    part: Some(format!("{kind}/{name}/{cname}")),
                    ..Unit::default()
                },
                vars: HashMap::new(),
                secret_spans: Vec::new(),
                referenced: Default::default(),
            };
            reader.unit.anchor = Some(reader.at(
                cname_node.map_or(span(doc, c), |n| span(doc, n)),
                "containers[].name",
            ));
            // The image tag names the Atlantis release (unless --atlantis-version says otherwise).
            if let (Some(reference), Some(node)) = (image, get(doc, c, "image")) {
                reader.unit.image = Some(DeployedImage::written(
                    reference,
                    reader.at(span(doc, node), "containers[].image"),
                ));
            }
            reader.env_from(items(doc, get(doc, c, "envFrom")));
            reader.env(items(doc, get(doc, c, "env")));
            reader.command_line(&command, &args);
            reader.config_file(Some(spec), Some(c));
            reader.repo_config_file(Some(spec), Some(c));
            let (mut unit, spans) = reader.finish();
            for s in spans {
                source.add_secret(s);
            }
            // Facts about the input's Secrets are reported once, with the first configuration.
            if first_issue_unit {
                unit.form_issues.splice(0..0, object_issues.drain(..));
                first_issue_unit = false;
            }
            units.push(unit);
        }
    }
    if units.is_empty() {
        return Err(if workloads == 0 {
            "no workload (Deployment, StatefulSet, Pod, ...) in it runs Atlantis".to_string()
        } else {
            format!(
                "none of its {workloads} workload{} has a container that runs Atlantis (image runatlantis/atlantis, or `atlantis server` / `server` as its command)",
                if workloads == 1 { "" } else { "s" }
            )
        });
    }
    Ok(units)
}

/// The first `{{` that is followed by `}}` on the same line: a Helm or Go template.
pub(crate) fn template_placeholder(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(open) = line.find("{{") {
            if line[open..].contains("}}") && !line.trim_start().starts_with('#') {
                return Some(offset + open);
            }
        }
        offset += line.len();
    }
    None
}

/// Values a snippet could show that are secrets in any container: env values whose name says
/// so, and the `last-applied-configuration` annotation (it repeats a Secret's data).
fn mask_everything_else(docs: &[YamlDoc], source: &mut SourceText) {
    for doc in docs {
        for node in &doc.nodes {
            let NodeKind::Map(pairs) = &node.kind else {
                continue;
            };
            let name = pairs.iter().find_map(|&(k, v)| {
                (text(doc, Some(k)) == Some("name"))
                    .then(|| text(doc, Some(v)))
                    .flatten()
            });
            for &(k, v) in pairs {
                let key = text(doc, Some(k)).unwrap_or("");
                let secret_value = key == "value" && name.is_some_and(is_secret_name);
                if secret_value || key == "kubectl.kubernetes.io/last-applied-configuration" {
                    if let Some(s) = scalar(doc, v) {
                        let _ = s;
                        let sp = doc.resolve(v).span;
                        let c = content_span(&source.text, sp);
                        source.add_secret(c);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, Var> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Var::Known(v.to_string())))
            .collect()
    }

    #[test]
    fn kubelet_expansion() {
        let v = vars(&[("A", "x"), ("B", "$(A)")]);
        let e = expand("$(A)-$(B)-$$(A)-$(C)-$x-$(", &v);
        assert_eq!(e.text, "x-$(A)-$(A)-$(C)-$x-$(");
        assert_eq!(e.missing, ["C"]);
        assert!(e.unknown.is_none());
        let mut v = vars(&[]);
        v.insert(
            "T".into(),
            Var::Unknown(Unknown::SecretKey {
                name: "s".into(),
                key: "k".into(),
                optional: false,
            }),
        );
        assert!(expand("Bearer $(T)", &v).unknown.is_some());
    }

    #[test]
    fn atlantis_containers() {
        let w = |s: &[&str]| -> Vec<RawWord> {
            s.iter()
                .map(|t| RawWord {
                    text: t.to_string(),
                    node: 0,
                })
                .collect()
        };
        assert!(runs_atlantis(
            Some("ghcr.io/runatlantis/atlantis:v0.47.1"),
            &[]
        ));
        assert!(runs_atlantis(Some("runatlantis/atlantis@sha256:abc"), &[]));
        assert!(!runs_atlantis(Some("redis:7"), &[]));
        assert!(runs_atlantis(
            Some("acme/tools"),
            &w(&["server", "--port=1"])
        ));
        assert!(runs_atlantis(
            Some("acme/tools"),
            &w(&["sh", "-c", "atlantis server --port 1"])
        ));
        assert!(!runs_atlantis(
            Some("acme/tools"),
            &w(&["sh", "-c", "echo atlantis"])
        ));
    }
}

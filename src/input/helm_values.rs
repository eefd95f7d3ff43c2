//! Values for the official Atlantis Helm chart (`runatlantis/atlantis`), read as what the chart
//! renders from them: no Go templates, an emulation driven by the chart's mapping table, kept as
//! data in `data/helm-chart-atlantis.json` (checked against chart 6.9.3; version notes per key).
//!
//! - The container's `env` in the chart's order: `environmentRaw[]`, `environment{}` (sorted),
//!   `environmentSecrets[]`, then the chart-managed `ATLANTIS_*` entries, which come last and win
//!   (`helm-shadowed-setting` says when a user's entry is lost).
//! - `extraArgs[]` is the command line (flags beat every env entry); `config` is the server
//!   config file, positioned inside the values file; `loadEnvFromSecrets` / `ConfigMaps` may set
//!   anything ([`OpaqueSource`]); `vcsSecretName` and `environmentSecrets` are set at runtime.
//! - Chart defaults (`orgAllowlist: <replace-me>`, ingress on) are settings too; a finding about
//!   one points at the nearest key the user would change and says that the chart sets it.
//! - Numbers in a values file are float64 to Helm: `12345678` renders as `1.2345678e+07`.
//! - Several values files merge the way `helm -f a -f b` merges them ([`read_layers`]).
//! - A chart version is read from a `# helm.sh/chart: atlantis-X.Y.Z` comment (or a Terraform
//!   `helm_release`'s `version`); without one, the newest mapping applies.

use super::argv::{self, Word};
use super::kind::{Kind, Probe, ReadInput, Unit};
use super::yaml::{self, NodeId, NodeKind, Style, YamlDoc, YamlError};
use crate::config::{
    Channel, DeployedImage, FormIssue, ImageRef, KeyMatch, Location, OpaqueSource, Origin,
    RawValue, Setting, Spelling, Unknown, match_flag,
};
use crate::finding::Severity;
use crate::flags;
use crate::secret::Text;
use crate::source::{SourceId, SourceText, Span};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub static KIND: Kind = Kind {
    name: "helm-values",
    what: "a values file for the Atlantis Helm chart",
    detect,
    holds_atlantis: super::kind::always,
    read: Some(read),
    unread: "",
};

/// Top-level keys only the chart's values have (deployment-forms.md section 7).
const STRONG_MARKERS: &[&str] = &[
    "orgAllowlist",
    "orgWhitelist",
    "atlantisUrl",
    "vcsSecretName",
    "githubApp",
    "atlantisDataDirectory",
    "repoConfig",
    "environmentSecrets",
    "loadEnvFromSecrets",
    "loadEnvFromConfigMaps",
    "basicAuthSecretName",
];

fn detect(probe: &Probe) -> bool {
    probe
        .first_keys()
        .iter()
        .any(|k| STRONG_MARKERS.contains(&k.as_str()))
}

// ---------------------------------------------------------------------------------------------
// The mapping table (data)

/// The chart's mapping, from `data/helm-chart-atlantis.json`.
#[derive(Debug, Deserialize)]
pub struct Chart {
    /// The chart version the table was checked against (the newest it knows).
    pub checked_against: String,
    /// The oldest chart version the table describes.
    pub oldest: String,
    /// Chart defaults the mapping depends on (`values.yaml`).
    pub defaults: BTreeMap<String, String>,
    /// Every values key the chart reads (top-level keys, and the keys of the sections whose
    /// schema forbids others).
    pub values_keys: Vec<String>,
    /// Sections whose content is free (no schema list of their keys).
    pub open_sections: Vec<String>,
    /// The first chart version that reads a key.
    pub since: BTreeMap<String, String>,
    /// The Atlantis release each chart version runs when `image.tag` is empty (its
    /// `appVersion`).
    #[serde(default)]
    pub app_versions: BTreeMap<String, String>,
    /// The chart-managed env entries, in the order the template renders them.
    pub env: Vec<EnvRule>,
}

/// One chart-managed env entry.
#[derive(Debug, Deserialize)]
pub struct EnvRule {
    pub env: String,
    /// The values key whose value it renders (or that the user would change).
    pub value: String,
    /// `quote` (`| quote`), `plain` (unquoted `{{ }}`), `secret` (`secretKeyRef`), `literal`,
    /// `atlantis-url` (the `atlantisUrl` / ingress logic).
    pub form: String,
    /// Rendered when any of these is truthy (`a+b`: both); empty: always.
    #[serde(default)]
    pub when: Vec<String>,
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    /// Used when `value` is falsy (`orgWhitelist` for `orgAllowlist`).
    #[serde(default)]
    pub fallback: Option<String>,
    #[serde(default)]
    pub literal: Option<String>,
    /// The key of the Secret the entry reads (`github_token`).
    #[serde(default)]
    pub secret_key: Option<String>,
    /// A values key that renames `secret_key` (`redisSecretPasswordKey`).
    #[serde(default)]
    pub secret_key_value: Option<String>,
    /// The values key naming an external Secret (`vcsSecretName`): the value is then unknown.
    #[serde(default)]
    pub secret_name: Option<String>,
}

/// The mapping table. It is checked in and tested (`tests/helm_table.rs`), so it parses.
pub fn chart() -> &'static Chart {
    static CHART: OnceLock<Chart> = OnceLock::new();
    CHART.get_or_init(|| {
        serde_json::from_str(include_str!("../../data/helm-chart-atlantis.json"))
            .expect("data/helm-chart-atlantis.json is valid (tested)")
    })
}

/// A chart version, `6.9.3`.
type Version = (u32, u32, u32);

fn version(s: &str) -> Option<Version> {
    // A constraint (`~> 5.1`, `>=5.0.0`) is read as its lowest version.
    let s = s.trim().trim_start_matches(['~', '>', '=', '^', ' ', 'v']);
    let mut it = s.split(['.', '-', '+']).map(|p| p.parse::<u32>().ok());
    Some((it.next()??, it.next()??, it.next().flatten().unwrap_or(0)))
}

// ---------------------------------------------------------------------------------------------
// Values: one tree merged from one or more files

/// How Helm types a scalar (sigs.k8s.io/yaml: YAML 1.1 through JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    Number,
    Bool,
    Null,
}

/// A value of the merged tree, with where it was written.
#[derive(Clone)]
pub struct Val {
    pub src: SourceId,
    /// The key that holds it (or the item itself in a list).
    pub key_span: Span,
    pub span: Span,
    pub node: VNode,
}

#[derive(Clone)]
pub enum VNode {
    Map(Vec<(String, Val)>),
    Seq(Vec<Val>),
    Scalar {
        text: String,
        ty: Ty,
        /// Where the text stands byte for byte (a plain or escape-free quoted scalar).
        exact_at: Option<usize>,
        /// A `|` block scalar: the span of its content lines, for an embedded file.
        block: Option<Span>,
        /// Quoted in the source (a string whatever it looks like).
        quoted: bool,
    },
    /// A value the deployment tool computes (a Terraform expression).
    Computed(String),
}

impl std::fmt::Debug for Val {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Val({:?})", self.span)
    }
}

impl Val {
    pub fn get(&self, key: &str) -> Option<&Val> {
        match &self.node {
            VNode::Map(kids) => kids.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn path(&self, path: &str) -> Option<&Val> {
        path.split('.').try_fold(self, |v, k| v.get(k))
    }

    fn is_null(&self) -> bool {
        matches!(self.node, VNode::Scalar { ty: Ty::Null, .. })
    }

    /// Go template truthiness: `false`, `0`, `""`, null and empty maps and lists are falsy; a
    /// computed value is taken as truthy (it is set).
    fn truthy(&self) -> bool {
        match &self.node {
            VNode::Map(k) => !k.is_empty(),
            VNode::Seq(s) => !s.is_empty(),
            VNode::Computed(_) => true,
            VNode::Scalar { text, ty, .. } => match ty {
                Ty::Null => false,
                Ty::Bool => {
                    text.eq_ignore_ascii_case("true")
                        || matches!(text.to_ascii_lowercase().as_str(), "yes" | "on" | "y")
                }
                Ty::Number => number(text).is_some_and(|n| n != 0.0),
                Ty::Str => !text.is_empty(),
            },
        }
    }

    /// The text Helm renders for it (`| quote` or `{{ }}`): numbers as Go prints a float64.
    fn rendered(&self) -> Option<String> {
        match &self.node {
            VNode::Scalar { text, ty, .. } => Some(match ty {
                Ty::Null => String::new(),
                Ty::Bool => self.truthy().to_string(),
                Ty::Number => number(text).map_or_else(|| text.clone(), go_float),
                Ty::Str => text.clone(),
            }),
            _ => None,
        }
    }

    fn text(&self) -> Option<&str> {
        match &self.node {
            VNode::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The span of the value's text (without quotes when it stands in the source as written).
    fn content_span(&self) -> Span {
        match &self.node {
            VNode::Scalar {
                text,
                exact_at: Some(at),
                ..
            } => Span::new(*at, at + text.len()),
            _ => self.span,
        }
    }
}

/// Merges `over` into `base` the way Helm merges values files: maps deeply, anything else
/// replaced, `null` deletes the key.
pub fn merge(base: &mut Val, over: Val) {
    match (&mut base.node, over.node) {
        (VNode::Map(bk), VNode::Map(ok)) => {
            for (k, v) in ok {
                if v.is_null() {
                    bk.retain(|(bkey, _)| *bkey != k);
                    continue;
                }
                match bk.iter_mut().rev().find(|(bkey, _)| *bkey == k) {
                    Some((_, existing)) => merge(existing, v),
                    None => bk.push((k, v)),
                }
            }
        }
        (_, node) => {
            *base = Val {
                src: over.src,
                key_span: over.key_span,
                span: over.span,
                node,
            }
        }
    }
}

/// How sigs.k8s.io/yaml (YAML 1.1 to JSON) types a plain scalar.
fn yaml11_type(text: &str) -> Ty {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Ty::Null,
        _ if matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
        ) && (text.chars().all(|c| c.is_ascii_lowercase())
            || text.chars().all(|c| c.is_ascii_uppercase())
            || text[1..].chars().all(|c| c.is_ascii_lowercase())) =>
        {
            Ty::Bool
        }
        _ if number(text).is_some() => Ty::Number,
        _ => Ty::Str,
    }
}

/// A YAML 1.1 number: decimal int or float, `0x` hex, `0o`/leading-zero octal.
fn number(text: &str) -> Option<f64> {
    let t = text.replace('_', "");
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b.to_string()),
        None => (false, t.trim_start_matches('+').to_string()),
    };
    let sign = if neg { -1.0 } else { 1.0 };
    if let Some(hex) = body.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(|n| sign * n as f64);
    }
    if body.is_empty()
        || !body.bytes().all(|b| {
            b.is_ascii_digit() || b == b'.' || b == b'e' || b == b'E' || b == b'-' || b == b'+'
        })
        || !body.as_bytes()[0].is_ascii_digit() && !body.starts_with('.')
    {
        return None;
    }
    body.parse::<f64>().ok().map(|n| sign * n)
}

/// Go's `fmt.Sprint(float64)` (`%v`, shortest `%g`): exponent form from 1e+06 up.
pub fn go_float(f: f64) -> String {
    if f.is_finite() {
        let exp = if f == 0.0 {
            0
        } else {
            f.abs().log10().floor() as i32
        };
        // strconv's shortest `%g`: exponent form when exp < -4 or exp >= 6 (precision 6).
        if !(-4..6).contains(&exp) {
            let s = format!("{f:e}");
            if let Some((m, e)) = s.split_once('e') {
                let n: i32 = e.parse().unwrap_or(0);
                let sign = if n < 0 { '-' } else { '+' };
                return format!("{m}e{sign}{:02}", n.abs());
            }
            return s;
        }
        return format!("{f}");
    }
    f.to_string()
}

/// A YAML document as a values tree.
pub fn from_yaml(src: SourceId, text: &str, doc: &YamlDoc) -> Option<Val> {
    let root = doc.root?;
    Some(build(src, text, doc, root, doc.resolve(root).span, 0))
}

fn build(
    src: SourceId,
    text: &str,
    doc: &YamlDoc,
    id: NodeId,
    key_span: Span,
    depth: usize,
) -> Val {
    let node = doc.resolve(id);
    let span = node.span;
    let node = match &node.kind {
        NodeKind::Map(pairs) if depth < 64 => VNode::Map(
            pairs
                .iter()
                .filter_map(|&(k, v)| match &doc.resolve(k).kind {
                    NodeKind::Scalar(s) => Some((
                        s.value.clone(),
                        build(src, text, doc, v, doc.resolve(k).span, depth + 1),
                    )),
                    _ => None,
                })
                .collect(),
        ),
        NodeKind::Seq(items) if depth < 64 => VNode::Seq(
            items
                .iter()
                .map(|&i| build(src, text, doc, i, doc.resolve(i).span, depth + 1))
                .collect(),
        ),
        NodeKind::Scalar(s) => {
            let raw = &text[span.start.min(text.len())..span.end.min(text.len())];
            let quoted = !matches!(s.style, Style::Plain);
            let exact_at = match s.style {
                Style::Plain if raw == s.value => Some(span.start),
                Style::SingleQuoted | Style::DoubleQuoted
                    if raw.len() == s.value.len() + 2
                        && raw.get(1..raw.len() - 1) == Some(s.value.as_str()) =>
                {
                    Some(span.start + 1)
                }
                _ => None,
            };
            let block = matches!(s.style, Style::Literal).then(|| block_region(text, span));
            let ty = if quoted || s.tag.is_some() {
                Ty::Str
            } else {
                yaml11_type(&s.value)
            };
            VNode::Scalar {
                text: s.value.clone(),
                ty,
                exact_at,
                block,
                quoted,
            }
        }
        _ => VNode::Scalar {
            text: String::new(),
            ty: Ty::Null,
            exact_at: None,
            block: None,
            quoted: false,
        },
    };
    Val {
        src,
        key_span,
        span,
        node,
    }
}

/// The lines of a `|` block scalar's content, indentation included (valid YAML on its own).
pub fn block_region(text: &str, node_span: Span) -> Span {
    let from = if matches!(text.as_bytes().get(node_span.start), Some(b'|')) {
        text[node_span.start..node_span.end]
            .find('\n')
            .map_or(node_span.end, |o| node_span.start + o + 1)
    } else {
        text[..node_span.start].rfind('\n').map_or(0, |o| o + 1)
    };
    Span::new(from, node_span.end)
}

// ---------------------------------------------------------------------------------------------
// The reader

fn read(input: &mut ReadInput) -> Result<Vec<Unit>, String> {
    if let Some(err) = input.invalid_utf8.take() {
        // Helm refuses it as YAML does: a syntax error at the first invalid byte.
        let id = input.id;
        return Ok(vec![syntax_unit(input.sources.get_mut(id), id, err)]);
    }
    let mut ids = vec![input.id];
    ids.extend(input.overlays.iter().copied());
    read_layers(input, &ids, None).map(|u| vec![u])
}

/// A values file that does not parse: its syntax error, every line masked.
fn syntax_unit(source: &mut SourceText, id: SourceId, error: YamlError) -> Unit {
    super::container::unparsed(
        id,
        source,
        error,
        Some(
            "Helm refuses the values file (`helm install` fails with \"failed to parse ...: error converting YAML to JSON\")",
        ),
    )
}

/// The chart version a `# helm.sh/chart: atlantis-6.9.3` comment claims, and where.
fn claimed_version(text: &str) -> Option<(String, Span)> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix('#') {
            let rest = rest.trim();
            if let Some(v) = rest
                .strip_prefix("helm.sh/chart:")
                .map(str::trim)
                .and_then(|v| v.strip_prefix("atlantis-"))
            {
                let start = at + line.find("atlantis-").unwrap_or(0) + "atlantis-".len();
                let v = v.trim().to_string();
                return Some((v.clone(), Span::new(start, start + v.len())));
            }
        }
        at += line.len();
    }
    None
}

/// Reads values files layered as `helm -f a -f b` (later wins, maps deep-merge) into one
/// configuration. `version`: the chart version the caller knows (a `helm_release`'s `version`).
pub fn read_layers(
    input: &mut ReadInput,
    ids: &[SourceId],
    version: Option<(String, Location)>,
) -> Result<Unit, String> {
    let mut merged: Option<Val> = None;
    let mut claimed = version;
    for &id in ids {
        let source = input.sources.get_mut(id);
        if let Some(at) = super::kubernetes::template_placeholder(&source.text) {
            let (line, _) = source.line_col(at);
            return Err(format!(
                "it holds Go template syntax (`{{{{ ... }}}}` at line {line}), so it is a template of a values file (helmfile?), not values; lint what it renders, or the rendered chart: `helm template ... | atlantis-lint --kind kubernetes -`"
            ));
        }
        mask_values(&mut *source);
        let doc = match yaml::parse_stream(&source.text) {
            Ok(mut docs) if !docs.is_empty() => docs.swap_remove(0),
            Ok(_) => continue,
            Err(e) => return Ok(syntax_unit(source, id, e)),
        };
        if claimed.is_none() {
            claimed = claimed_version(&source.text).map(|(v, span)| {
                (
                    v,
                    Location::Source {
                        source: id,
                        spelling: Spelling::FormKey {
                            path: "helm.sh/chart".into(),
                        },
                        span,
                    },
                )
            });
        }
        let Some(val) = from_yaml(id, &source.text, &doc) else {
            continue;
        };
        if !matches!(val.node, VNode::Map(_)) {
            return Err("its root is not a mapping of chart values".into());
        }
        mask_tree(&val, input.sources, false);
        match &mut merged {
            None => merged = Some(val),
            Some(base) => merge(base, val),
        }
    }
    let Some(values) = merged else {
        return Err("it holds no values".into());
    };
    emulate(input, values, claimed)
}

/// What the chart renders from merged values (built from YAML, or from a Terraform
/// `helm_release`'s `values` and `set` blocks).
pub fn emulate(
    input: &mut ReadInput,
    values: Val,
    version: Option<(String, Location)>,
) -> Result<Unit, String> {
    Emulation::run(input, values, version)
}

/// Masks the values of secret-looking keys and commented-out credentials in a values file.
fn mask_values(source: &mut crate::source::SourceText) {
    for span in super::mask::line_spans(&source.text, false) {
        source.add_secret(span);
    }
}

fn secret_key_name(key: &str) -> bool {
    if key.ends_with("SecretName")
        || key.ends_with("SecretPasswordKey")
        || REFERENCE_LISTS.contains(&key)
    {
        return false;
    }
    // `path`, `pathType`, `mountPath` are not a `pat`: `name_suggests_secret` knows.
    matches!(key, "netrc" | "gitconfig" | "credentials" | "config_json")
        || super::container::is_secret_name(key)
}

/// Lists of references to Secrets (names and keys, never values): `environmentSecrets[]`
/// `{name, secretKeyRef: {name, key}}`, `loadEnvFromSecrets[]`, `googleServiceAccountSecrets[]`
/// `{name, secretName}`.
const REFERENCE_LISTS: &[&str] = &[
    "environmentSecrets",
    "loadEnvFromSecrets",
    "googleServiceAccountSecrets",
];

/// An ECS container's `secrets` (terraform-aws-atlantis v3's `custom_environment_secrets`): a
/// list of `{name, valueFrom}` (an SSM parameter or Secrets Manager ARN), or a list Terraform
/// computes (`[for ...]`, `var.x`), which holds references too.
fn ecs_secret_refs(key: &str, v: &Val) -> bool {
    if !matches!(key, "secrets" | "Secrets" | "custom_environment_secrets") {
        return false;
    }
    match &v.node {
        VNode::Computed(_) => true,
        VNode::Seq(items) => items.iter().all(|i| match &i.node {
            VNode::Map(kids) => {
                kids.iter()
                    .all(|(k, _)| matches!(k.as_str(), "name" | "Name" | "valueFrom" | "ValueFrom"))
                    && (i.get("valueFrom").is_some() || i.get("ValueFrom").is_some())
            }
            VNode::Computed(_) => true,
            _ => false,
        }),
        _ => false,
    }
}

/// Keys whose value is a reference to a Secret or ConfigMap key (`{name, key}`), not a value.
const REFERENCES: &[&str] = &[
    "secretKeyRef",
    "configMapKeyRef",
    "secretRef",
    "configMapRef",
];

/// Masks the values under secret-looking keys of a values tree, in whichever source each
/// value was written.
pub fn mask_tree(val: &Val, sources: &mut crate::source::Sources, secret: bool) {
    match &val.node {
        VNode::Map(kids) => {
            for (k, v) in kids {
                if (REFERENCES.contains(&k.as_str()) || ecs_secret_refs(k, v)) && !secret {
                    // `secretKeyRef: {name: atlantis-vcs, key: token}` names, it holds nothing;
                    // so does an ECS `secrets: [{name, valueFrom: "arn:..."}]` list.
                    continue;
                }
                mask_tree(v, sources, secret || secret_key_name(k));
            }
        }
        VNode::Seq(items) => {
            for v in items {
                // `environmentRaw` / `environment` items: `{name: X_TOKEN, value: ...}`: the
                // value is secret, the name and a `valueFrom` reference are not.
                let named = v
                    .get("name")
                    .and_then(Val::text)
                    .is_some_and(super::mask::name_is_secret);
                match &v.node {
                    VNode::Map(kids) if named && !secret => {
                        for (k, c) in kids {
                            let value = matches!(k.as_str(), "value" | "Value");
                            if value || k != "name" {
                                mask_tree(c, sources, value || secret_key_name(k));
                            }
                        }
                    }
                    _ => mask_tree(v, sources, secret || named),
                }
            }
        }
        VNode::Scalar { .. } if secret => {
            sources.get_mut(val.src).add_secret(val.content_span());
        }
        // A secret Terraform computes: a reference (`var.github_token`) names, but a template
        // or a function call may hold a literal piece of it (`"${var.p}ghp_..."`, `trimspace("...")`).
        VNode::Computed(what)
            if secret
                && !what.starts_with("the Terraform value `")
                && what != "a Terraform reference" =>
        {
            sources.get_mut(val.src).add_secret(val.span);
        }
        _ => {}
    }
}

/// Where a value the user did not write is reported: the nearest key they would change.
#[derive(Clone)]
struct Place {
    src: SourceId,
    key_span: Span,
    value_span: Span,
    path: String,
    /// The user wrote the value itself (not a default, not a literal of the chart).
    written: bool,
}

struct Emulation<'a, 'b> {
    input: &'a mut ReadInput<'b>,
    values: Val,
    chart: &'static Chart,
    version: Version,
    unit: Unit,
    /// Env names set by the user's `environment*`, with where.
    user_env: Vec<(String, Location)>,
    /// Env names the chart renders, with where and what sets it.
    chart_env: Vec<(String, Location, String)>,
    base_src: SourceId,
}

impl Emulation<'_, '_> {
    fn run(
        input: &mut ReadInput,
        values: Val,
        claimed: Option<(String, Location)>,
    ) -> Result<Unit, String> {
        let chart = chart();
        let newest = version(&chart.checked_against).unwrap_or((0, 0, 0));
        let oldest = version(&chart.oldest).unwrap_or((0, 0, 0));
        let base_src = values.src;
        let mut e = Emulation {
            input,
            values,
            chart,
            version: newest,
            unit: Unit::default(),
            user_env: Vec::new(),
            chart_env: Vec::new(),
            base_src,
        };
        e.unit.part = Some("helm-values/atlantis".into());
        e.unit.anchor = e.first_key().map(|p| e.at(&p));
        let mut chart_version = None;
        if let Some((v, at)) = claimed {
            match version(&v) {
                Some(parsed) if parsed >= oldest && parsed <= newest => {
                    e.version = parsed;
                }
                _ => e.issue(
                    FormIssue::new(
                        "helm-chart-version",
                        at.clone(),
                        format!(
                            "chart version `{v}` is not one the mapping knows ({} to {}): findings assume chart {}",
                            chart.oldest, chart.checked_against, chart.checked_against
                        ),
                    )
                    .label("unknown chart version")
                    .help("check the findings against the chart's templates, or update atlantis-lint"),
                ),
            }
            chart_version = Some((v, at));
        }
        e.check_keys()?;
        e.image(chart_version);
        e.env_raw();
        e.environment();
        e.environment_secrets();
        e.env_from();
        e.managed();
        e.extra_args();
        e.config();
        e.shadowed();
        e.github_and_app();
        e.vcs_secret_keys();
        Ok(e.unit)
    }

    fn issue(&mut self, issue: FormIssue) {
        self.unit.form_issues.push(issue);
    }

    /// The image the chart runs: `"{{ .Values.image.repository }}:{{ .Values.image.tag |
    /// default .Chart.AppVersion }}"`. Without a tag, the release is the chart version's
    /// `appVersion`, when the chart version is known (a `# helm.sh/chart:` comment, a
    /// `helm_release`'s `version`); otherwise nothing says which release runs.
    fn image(&mut self, chart_version: Option<(String, Location)>) {
        let repository = self
            .get("image.repository")
            .and_then(Val::rendered)
            .filter(|r| !r.is_empty())
            .or_else(|| self.chart.defaults.get("image.repository").cloned())
            .unwrap_or_default();
        // Where an empty `image.tag: ""` is written: the note below belongs there.
        let mut empty_tag = None;
        if let Some(tag) = self.get("image.tag") {
            let place = self.place_of("image.tag", tag, true);
            let location = Location::Source {
                source: place.src,
                spelling: Spelling::FormKey {
                    path: place.path.clone(),
                },
                span: place.value_span,
            };
            match &tag.node {
                VNode::Computed(what) => {
                    self.unit.image = Some(DeployedImage {
                        image: ImageRef::Computed { what: what.clone() },
                        location,
                    });
                    return;
                }
                _ => {
                    if let Some(t) = tag.rendered().filter(|t| !t.is_empty()) {
                        self.unit.image = Some(DeployedImage::written(
                            format!("{repository}:{t}"),
                            location,
                        ));
                        return;
                    }
                    empty_tag = Some(self.at(&place));
                }
            }
        }
        // Only an exact chart version runs a known appVersion (`~> 5.1` may be any 5.x).
        let known = chart_version.as_ref().and_then(|(v, at)| {
            let exact = v.trim_start_matches(['=', 'v']).trim();
            let app = self.chart.app_versions.get(exact)?;
            Some(DeployedImage {
                image: ImageRef::Default {
                    reference: format!("{repository}:{app}"),
                    by: format!("the appVersion of chart {v}"),
                },
                location: at.clone(),
            })
        });
        // Otherwise the chart runs an appVersion nobody named here: say so, never guess.
        self.unit.image = Some(known.unwrap_or_else(|| {
            let by = match &chart_version {
                Some((v, _)) => format!(
                    "no `image.tag`, and chart version `{v}` is not one release whose appVersion atlantis-lint knows"
                ),
                None => "no `image.tag`, and no chart version names the appVersion the chart runs"
                    .to_string(),
            };
            DeployedImage {
                image: ImageRef::Default {
                    reference: repository.clone(),
                    by,
                },
                location: chart_version
                    .map(|(_, at)| at)
                    .or(empty_tag)
                    .unwrap_or(Location::None),
            }
        }));
    }

    fn at(&self, p: &Place) -> Location {
        Location::Source {
            source: p.src,
            spelling: Spelling::FormKey {
                path: p.path.clone(),
            },
            span: p.key_span,
        }
    }

    fn place_of(&self, path: &str, v: &Val, written: bool) -> Place {
        Place {
            src: v.src,
            key_span: v.key_span,
            value_span: v.content_span(),
            path: path.to_string(),
            written,
        }
    }

    fn first_key(&self) -> Option<Place> {
        match &self.values.node {
            VNode::Map(kids) => kids.first().map(|(k, v)| {
                let mut place = self.place_of(k, v, false);
                place.value_span = place.key_span;
                place
            }),
            _ => None,
        }
    }

    /// The written key nearest to `path` (itself, else its closest written ancestor), or the
    /// file's first key.
    fn nearest(&self, paths: &[&str]) -> Option<Place> {
        for path in paths {
            let mut p: &str = path;
            loop {
                if let Some(v) = self.values.path(p) {
                    let mut place = self.place_of(p, v, false);
                    place.value_span = place.key_span;
                    return Some(place);
                }
                match p.rsplit_once('.') {
                    Some((parent, _)) => p = parent,
                    None => break,
                }
            }
        }
        self.first_key()
    }

    fn get(&self, path: &str) -> Option<&Val> {
        self.values.path(path)
    }

    /// The value of `path`, else the chart's default for it.
    fn truthy(&self, path: &str) -> bool {
        match self.get(path) {
            Some(v) => v.truthy(),
            None => self
                .chart
                .defaults
                .get(path)
                .is_some_and(|d| !d.is_empty() && d != "false" && d != "0"),
        }
    }

    fn when(&self, conds: &[String]) -> bool {
        conds.is_empty()
            || conds
                .iter()
                .any(|c| c.split(['+', '&']).all(|p| self.truthy(p.trim())))
    }

    fn since_ok(&self, since: Option<&str>, until: Option<&str>) -> bool {
        since.and_then(version).is_none_or(|s| self.version >= s)
            && until.and_then(version).is_none_or(|u| self.version < u)
    }

    fn setting(&mut self, name: &str, value: RawValue, place: &Place, user: bool) {
        let spelling = if user {
            Spelling::EnvVar {
                name: name.to_string(),
            }
        } else {
            Spelling::FormKey {
                path: place.path.clone(),
            }
        };
        let location = Location::Source {
            source: place.src,
            spelling: spelling.clone(),
            span: place.key_span,
        };
        if user {
            self.user_env.push((name.to_string(), location));
        } else {
            let what = match &value {
                RawValue::Text(t) if !place.written && !t.is_secret() => format!(
                    "the chart sets `{name}={}` here (it is not in your values): it wins",
                    t.as_str()
                ),
                _ => format!("`{}` renders `{name}` after yours: it wins", place.path),
            };
            self.chart_env.push((name.to_string(), location, what));
        }
        if user && !super::env_name_concerns_atlantis(name) {
            // `TF_IN_AUTOMATION`, `TF_VAR_x`: for Terraform, not for Atlantis.
            return;
        }
        self.unit.settings.push(Setting {
            matched: match_flag(flags::lookup_env(name)),
            key: if user {
                name.to_string()
            } else {
                place.path.clone()
            },
            value,
            origin: Origin {
                source: place.src,
                channel: Channel::Env,
                spelling,
                key_span: place.key_span,
                value_span: if place.value_span.is_empty() {
                    place.key_span
                } else {
                    place.value_span
                },
            },
            merged: false,
        });
    }

    /// The text of a number as Helm renders it; an issue when that is not what the user meant.
    fn render(&mut self, path: &str, name: &str, v: &Val) -> Option<String> {
        let text = v.rendered()?;
        if let VNode::Scalar {
            ty: Ty::Number,
            text: written,
            ..
        } = &v.node
        {
            if text != *written
                && written.bytes().all(|b| b.is_ascii_digit())
                && !super::mask::name_is_secret(name)
            {
                self.issue(
                    FormIssue::new(
                        "helm-number-notation",
                        Location::Source {
                            source: v.src,
                            spelling: Spelling::FormKey { path: path.into() },
                            span: v.content_span(),
                        },
                        format!(
                            "Helm reads `{path}: {written}` as a float64 and renders `{name}` as `{text}`, which Atlantis cannot parse as an integer"
                        ),
                    )
                    .label(format!("rendered as {text}"))
                    .help(format!("quote it: `\"{written}\"`"))
                    .key(flags::lookup_env(name).map_or(name.to_string(), |f| f.name.to_string())),
                );
                // The rule above reports the value; the settings keep what the user meant.
                return Some(written.clone());
            }
        }
        Some(text)
    }

    // -- the user's env entries ------------------------------------------------------------

    fn env_raw(&mut self) {
        let Some(VNode::Seq(items)) = self.get("environmentRaw").map(|v| v.node.clone()) else {
            return;
        };
        for item in items {
            let Some(name_v) = item.get("name") else {
                continue;
            };
            let Some(name) = name_v.text().map(str::to_string) else {
                continue;
            };
            let mut place = self.place_of("environmentRaw[].name", name_v, true);
            place.key_span = name_v.content_span();
            if let Some(v) = item.get("value") {
                place.value_span = v.content_span();
                let text = v.text().unwrap_or("").to_string();
                let secret = super::mask::name_is_secret(&name);
                self.setting(&name, RawValue::Text(Text::new(text, secret)), &place, true);
            } else if let Some(r) = item.path("valueFrom.secretKeyRef") {
                let u = Unknown::SecretKey {
                    name: r.get("name").and_then(Val::text).unwrap_or("").into(),
                    key: r.get("key").and_then(Val::text).unwrap_or("").into(),
                    optional: r.get("optional").is_some_and(Val::truthy),
                };
                self.setting(&name, RawValue::Unknown(u), &place, true);
            } else if let Some(r) = item.path("valueFrom.configMapKeyRef") {
                let u = Unknown::ConfigMapKey {
                    name: r.get("name").and_then(Val::text).unwrap_or("").into(),
                    key: r.get("key").and_then(Val::text).unwrap_or("").into(),
                    optional: r.get("optional").is_some_and(Val::truthy),
                };
                self.setting(&name, RawValue::Unknown(u), &place, true);
            } else if item.get("valueFrom").is_some() {
                let u = Unknown::Field {
                    path: "valueFrom".into(),
                };
                self.setting(&name, RawValue::Unknown(u), &place, true);
            }
        }
    }

    fn environment(&mut self) {
        let Some(VNode::Map(kids)) = self.get("environment").map(|v| v.node.clone()) else {
            return;
        };
        // The template ranges over the map: Go sorts map keys.
        let mut kids = kids;
        kids.sort_by(|a, b| a.0.cmp(&b.0));
        kids.dedup_by(|later, earlier| {
            if later.0 == earlier.0 {
                std::mem::swap(later, earlier);
                true
            } else {
                false
            }
        });
        for (name, v) in kids {
            let path = format!("environment.{name}");
            let mut place = self.place_of(&path, &v, true);
            place.path = path.clone();
            let value = match &v.node {
                VNode::Computed(what) => {
                    RawValue::Unknown(Unknown::Computed { what: what.clone() })
                }
                _ => match self.render(&path, &name, &v) {
                    Some(text) => {
                        RawValue::Text(Text::new(text, super::mask::name_is_secret(&name)))
                    }
                    None => continue,
                },
            };
            self.setting(&name, value, &place, true);
        }
    }

    fn environment_secrets(&mut self) {
        let Some(VNode::Seq(items)) = self.get("environmentSecrets").map(|v| v.node.clone()) else {
            return;
        };
        for item in items {
            let Some(name_v) = item.get("name") else {
                continue;
            };
            let Some(name) = name_v.text().map(str::to_string) else {
                continue;
            };
            let r = item.get("secretKeyRef");
            let u = Unknown::SecretKey {
                name: r
                    .and_then(|r| r.get("name"))
                    .and_then(Val::text)
                    .unwrap_or("")
                    .into(),
                key: r
                    .and_then(|r| r.get("key"))
                    .and_then(Val::text)
                    .unwrap_or("")
                    .into(),
                optional: false,
            };
            let mut place = self.place_of("environmentSecrets[].name", name_v, true);
            place.key_span = name_v.content_span();
            self.setting(&name, RawValue::Unknown(u), &place, true);
        }
    }

    fn env_from(&mut self) {
        for (key, what) in [
            ("loadEnvFromSecrets", "Secret"),
            ("loadEnvFromConfigMaps", "ConfigMap"),
        ] {
            let Some(VNode::Seq(items)) = self.get(key).map(|v| v.node.clone()) else {
                continue;
            };
            for item in items {
                let name = item.text().unwrap_or("").to_string();
                let place = self.place_of(key, &item, true);
                self.unit.opaque.push(OpaqueSource {
                    location: Location::Source {
                        source: place.src,
                        spelling: Spelling::FormKey { path: key.into() },
                        span: item.span,
                    },
                    what: format!("{what} `{name}` (`{key}`)"),
                    prefix: String::new(),
                });
            }
        }
    }

    // -- what the chart renders -------------------------------------------------------------

    fn managed(&mut self) {
        let chart = self.chart;
        for rule in &chart.env {
            if !self.since_ok(rule.since.as_deref(), rule.until.as_deref())
                || !self.when(&rule.when)
            {
                continue;
            }
            let name = rule.env.as_str();
            let written = self
                .get(&rule.value)
                .filter(|v| v.truthy())
                .map(|v| (rule.value.clone(), v.clone()))
                .or_else(|| {
                    rule.fallback.as_ref().and_then(|f| {
                        self.get(f)
                            .filter(|v| v.truthy())
                            .map(|v| (f.clone(), v.clone()))
                    })
                });
            let cond_paths: Vec<&str> = std::iter::once(rule.value.as_str())
                .chain(rule.when.iter().flat_map(|w| w.split(['+', '&'])))
                .collect();
            match rule.form.as_str() {
                "quote" | "plain" => {
                    let (text, place) = match &written {
                        Some((path, v)) => {
                            let place = self.place_of(path, v, true);
                            let value = match &v.node {
                                VNode::Computed(what) => {
                                    self.setting(
                                        name,
                                        RawValue::Unknown(Unknown::Computed { what: what.clone() }),
                                        &place,
                                        false,
                                    );
                                    continue;
                                }
                                _ => self.render(path, name, v),
                            };
                            let Some(text) = value else { continue };
                            if rule.form == "plain" {
                                self.unquoted(path, name, v, &text);
                            }
                            (text, place)
                        }
                        None => {
                            let default = chart
                                .defaults
                                .get(&rule.value)
                                .filter(|d| !d.is_empty())
                                .or_else(|| {
                                    rule.fallback.as_ref().and_then(|f| chart.defaults.get(f))
                                });
                            let Some(default) = default else { continue };
                            let Some(place) = self.nearest(&cond_paths) else {
                                continue;
                            };
                            (default.clone(), place)
                        }
                    };
                    let secret = super::mask::name_is_secret(name);
                    self.provided(name, &text, &place, &rule.value);
                    self.setting(name, RawValue::Text(Text::new(text, secret)), &place, false);
                }
                "literal" => {
                    let text = rule.literal.clone().unwrap_or_default();
                    let Some(mut place) = self.nearest(&cond_paths) else {
                        continue;
                    };
                    place.written = false;
                    self.provided(name, &text, &place, &rule.value);
                    self.setting(name, RawValue::Text(Text::new(text, false)), &place, false);
                }
                "secret" => self.secret_entry(rule, written, &cond_paths),
                "atlantis-url" => self.atlantis_url(name, written),
                _ => {}
            }
        }
        if self.truthy("repoConfig") {
            self.repo_config();
        }
    }

    /// A note on a setting whose value the user did not write.
    fn provided(&mut self, name: &str, text: &str, place: &Place, key: &str) {
        if place.written {
            return;
        }
        self.unit.provided.push((
            Location::Source {
                source: place.src,
                spelling: Spelling::FormKey {
                    path: place.path.clone(),
                },
                span: if place.value_span.is_empty() {
                    place.key_span
                } else {
                    place.value_span
                },
            },
            flags::lookup_env(name).map_or(String::new(), |f| f.name.to_string()),
            format!("the chart sets `{name}={text}` (`{key}` is not in the values)"),
        ));
    }

    fn secret_entry(&mut self, rule: &EnvRule, written: Option<(String, Val)>, conds: &[&str]) {
        let name = rule.env.as_str();
        let external = rule
            .secret_name
            .as_deref()
            .and_then(|n| self.get(n).filter(|v| v.truthy()).map(|v| (n, v.clone())));
        if let Some((sn_key, sn)) = external {
            let key = rule
                .secret_key_value
                .as_deref()
                .and_then(|k| self.get(k))
                .and_then(Val::text)
                .map(str::to_string)
                .or_else(|| rule.secret_key.clone())
                .unwrap_or_default();
            let place = self.place_of(sn_key, &sn, true);
            let u = Unknown::SecretKey {
                name: sn.text().unwrap_or("").to_string(),
                key,
                optional: false,
            };
            let value = if rule.literal.is_some() {
                RawValue::Text(Text::new(rule.literal.clone().unwrap_or_default(), false))
            } else {
                RawValue::Unknown(u)
            };
            self.setting(name, value, &place, false);
            return;
        }
        match written {
            Some((path, v)) => {
                let place = self.place_of(&path, &v, true);
                let value = match (&v.node, &rule.literal) {
                    (_, Some(lit)) => RawValue::Text(Text::new(lit.clone(), false)),
                    (VNode::Computed(what), _) => {
                        RawValue::Unknown(Unknown::Computed { what: what.clone() })
                    }
                    _ => RawValue::Text(Text::new(v.rendered().unwrap_or_default(), true)),
                };
                self.setting(name, value, &place, false);
            }
            None => {
                // The chart's `required`: `helm template` fails.
                let Some(place) = self.nearest(conds) else {
                    return;
                };
                if matches!(
                    rule.env.as_str(),
                    "ATLANTIS_WEB_BASIC_AUTH" | "ATLANTIS_API_SECRET"
                ) || rule.value == "api.secret"
                {
                    return;
                }
                self.issue(
                    FormIssue::new(
                        "helm-required-value",
                        self.at(&place),
                        format!(
                            "the chart refuses to render: `{}` is required when `{}` is set (it becomes `{name}`)",
                            rule.value, place.path
                        ),
                    )
                    .label(format!("needs `{}`", rule.value))
                    .help(format!(
                        "set `{}`, or keep the credentials in a Secret you create and name it in `{}`",
                        rule.value,
                        rule.secret_name.as_deref().unwrap_or("vcsSecretName")
                    ))
                    .severity(Severity::Error),
                );
            }
        }
    }

    fn atlantis_url(&mut self, name: &str, written: Option<(String, Val)>) {
        if let Some((path, v)) = written {
            let place = self.place_of(&path, &v, true);
            let value = match &v.node {
                VNode::Computed(what) => {
                    RawValue::Unknown(Unknown::Computed { what: what.clone() })
                }
                _ => RawValue::Text(Text::new(v.rendered().unwrap_or_default(), false)),
            };
            self.setting(name, value, &place, false);
            return;
        }
        // `ingress.enabled` (default true): the ingress host, with https when `ingress.tls`.
        let scheme = if self.truthy("ingress.tls") {
            "https"
        } else {
            "http"
        };
        let host = self
            .get("ingress.host")
            .and_then(Val::rendered)
            .unwrap_or_default();
        let text = format!("{scheme}://{host}");
        let Some(place) = (match self.get("ingress.host").filter(|v| v.truthy()) {
            Some(v) => Some(self.place_of("ingress.host", &v.clone(), false)),
            None => self.nearest(&["ingress.host", "ingress.enabled", "atlantisUrl"]),
        }) else {
            return;
        };
        if host.is_empty() {
            let written_ingress = self.get("ingress").is_some();
            self.issue(
                FormIssue::new(
                    "helm-atlantis-url",
                    self.at(&place),
                    format!(
                        "the chart renders `{name}={text}`: with the ingress on{} and no `ingress.host` nor `atlantisUrl`, every link Atlantis posts (locks, plans) is broken",
                        if written_ingress { "" } else { " (the chart's default)" }
                    ),
                )
                .label(format!("{name}={text}"))
                .help("set `atlantisUrl: https://atlantis.example.com` (or `ingress.host`); `ingress.hosts[]` is not used for the URL"),
            );
        }
        let mut place = place;
        place.written = false;
        self.provided(name, &text, &place, "atlantisUrl");
        self.setting(name, RawValue::Text(Text::new(text, false)), &place, false);
    }

    /// An unquoted `{{ }}` value is parsed again as YAML by Kubernetes: `1.10` is a number.
    fn unquoted(&mut self, path: &str, name: &str, v: &Val, text: &str) {
        if yaml11_type(text) == Ty::Str {
            return;
        }
        self.issue(
            FormIssue::new(
                "helm-unquoted-value",
                Location::Source {
                    source: v.src,
                    spelling: Spelling::FormKey { path: path.into() },
                    span: v.content_span(),
                },
                format!(
                    "the chart writes `{path}` unquoted into the manifest (`value: {text}`), where it is read as a {}: the API server rejects an env value that is not a string",
                    if yaml11_type(text) == Ty::Bool { "boolean" } else { "number" }
                ),
            )
            .label("not a string once rendered")
            .help(format!("set it through `environment` (which the chart quotes): `environment: {{{name}: \"{text}\"}}`"))
            .key(flags::lookup_env(name).map_or(name.to_string(), |f| f.name.to_string())),
        );
    }

    /// `repoConfig`: the chart writes it into the ConfigMap `<fullname>-repo-config` (key
    /// `repos.yaml`, `{{ .Values.repoConfig | nindent 4 }}`, no `tpl`) and mounts it where its
    /// `ATLANTIS_REPO_CONFIG` points; it is linted as that file when that variable wins.
    fn repo_config(&mut self) {
        let Some(v) = self.get("repoConfig").cloned() else {
            return;
        };
        let Some(path) = self
            .chart
            .env
            .iter()
            .find(|r| r.env == "ATLANTIS_REPO_CONFIG")
            .and_then(|r| r.literal.clone())
        else {
            return;
        };
        let (text, block) = match &v.node {
            VNode::Scalar { text, block, .. } => (text.clone(), *block),
            _ => {
                // Not a string: the chart refuses it; the mapping is still linted as the
                // repos.yaml it is meant to be, in place.
                let region = self.not_a_string("repoConfig", &v, "a repos.yaml");
                let Some(region) = region else { return };
                (String::new(), Some(region))
            }
        };
        let source = self.input.sources.get_mut(v.src);
        let mounted = super::mounted::mounted(&path, v.src, source, &text, v.content_span(), block);
        self.unit.mounted.push(mounted);
    }

    /// `config` / `repoConfig` written as a mapping or list, where the chart wants the file as
    /// a string: a `helm-value-type` finding, and the region of a mapping for reading the file
    /// in place (a block mapping's lines, indentation included, or a flow mapping as written:
    /// valid YAML on their own).
    fn not_a_string(&mut self, key: &str, v: &Val, what: &str) -> Option<Span> {
        let written = match &v.node {
            VNode::Map(_) => "a mapping",
            VNode::Seq(_) => "a list",
            _ => "not a string",
        };
        self.unit.form_issues.push(
            FormIssue::new(
                "helm-value-type",
                Location::Source {
                    source: v.src,
                    spelling: Spelling::FormKey { path: key.into() },
                    span: v.key_span,
                },
                format!(
                    "`{key}` is {written}, but the chart wants {what} as a string: `helm install` refuses it (the chart's schema types `{key}` as string, and its template's `nindent` takes only a string)"
                ),
            )
            .label("not a string")
            .help(format!("write `{key}: |` and the same lines under it")),
        );
        let VNode::Map(_) = &v.node else { return None };
        let text = &self.input.sources.get(v.src).text;
        let line_start = text[..v.span.start.min(text.len())]
            .rfind('\n')
            .map_or(0, |o| o + 1);
        // A flow mapping (`repoConfig: {repos: ...}`) shares its line with the key: it is
        // valid YAML on its own as written.
        if text[line_start..v.span.start].chars().all(|c| c == ' ') {
            Some(Span::new(line_start, v.span.end))
        } else {
            Some(v.span)
        }
    }

    fn extra_args(&mut self) {
        let Some(VNode::Seq(items)) = self.get("extraArgs").map(|v| v.node.clone()) else {
            return;
        };
        let src = self.get("extraArgs").map_or(self.base_src, |v| v.src);
        let words: Vec<Word> = items
            .iter()
            .filter_map(|it| {
                it.text().map(|t| Word {
                    text: t.to_string(),
                    span: it.span,
                    exact_at: match &it.node {
                        VNode::Scalar { exact_at, .. } => *exact_at,
                        _ => None,
                    },
                })
            })
            .collect();
        let (settings, issues, secrets) = argv::read_words(src, &words);
        for s in secrets {
            self.input.sources.get_mut(src).add_secret(s);
        }
        // A flag beats every env entry: a user's `environment` entry for it is lost.
        for s in &settings {
            let KeyMatch::Flag(f) = s.matched else {
                continue;
            };
            let env = flags::env_name(f.name);
            if let Some((_, at)) = self.user_env.iter().find(|(n, _)| *n == env) {
                self.unit.form_issues.push(
                    FormIssue::new(
                        "helm-shadowed-setting",
                        at.clone(),
                        format!("`{env}` is lost: `extraArgs` sets `--{}`, and a flag beats every env variable", f.name),
                    )
                    .label("overridden by extraArgs")
                    .related(s.origin.key(), "wins")
                    .key(f.name),
                );
            }
        }
        self.unit.settings.extend(settings);
        self.unit.argv_issues.extend(issues);
    }

    fn config(&mut self) {
        let Some(v) = self.get("config").filter(|v| v.truthy()).cloned() else {
            return;
        };
        match &v.node {
            VNode::Scalar {
                block: Some(region),
                ..
            } => {
                let source = self.input.sources.get_mut(v.src);
                let (mut file, settings) = super::file::read_region(v.src, source, *region);
                file.path = source.name.clone();
                self.unit.file = Some(file);
                self.unit.settings.splice(0..0, settings);
            }
            VNode::Map(_) | VNode::Seq(_) => {
                if let Some(region) = self.not_a_string("config", &v, "the server config file") {
                    let source = self.input.sources.get_mut(v.src);
                    let (mut file, settings) = super::file::read_region(v.src, source, region);
                    file.path = source.name.clone();
                    self.unit.file = Some(file);
                    self.unit.settings.splice(0..0, settings);
                }
            }
            _ => self.unit.opaque.push(OpaqueSource {
                location: Location::Source {
                    source: v.src,
                    spelling: Spelling::FormKey {
                        path: "config".into(),
                    },
                    span: v.key_span,
                },
                what: "the `config` file (a quoted or folded string atlantis-lint does not read in place; write it as a `|` block)".into(),
                prefix: String::new(),
            }),
        }
    }

    /// A user's env entry, or a key of `config`, for a variable the chart renders after it.
    fn shadowed(&mut self) {
        let mut issues = Vec::new();
        for (name, at) in &self.user_env {
            let Some((_, chart_at, what)) = self.chart_env.iter().find(|(n, _, _)| n == name)
            else {
                continue;
            };
            // The values key the chart renders it from (`defaultTFDistribution`), by name.
            let help = match self.chart.env.iter().find(|r| r.env == *name) {
                Some(r) if r.form != "literal" => format!(
                    "set the chart's own value `{}` instead, and remove this entry",
                    r.value
                ),
                _ => "remove this entry: the chart sets it".to_string(),
            };
            issues.push(
                FormIssue::new(
                    "helm-shadowed-setting",
                    at.clone(),
                    format!(
                        "`{name}` is lost: the chart renders its own `{name}` after the `environment*` entries, and the last one wins"
                    ),
                )
                .label("overridden by the chart")
                .related(chart_at.clone(), what.clone())
                .help(help)
                .key(flags::lookup_env(name).map_or(name.clone(), |f| f.name.to_string())),
            );
        }
        // Keys of the `config` file that a chart-managed variable overrides.
        for s in &self.unit.settings {
            if !s.origin.spelling.is_config_key() {
                continue;
            }
            let KeyMatch::Flag(f) = s.matched else {
                continue;
            };
            let env = flags::env_name(f.name);
            let Some((_, chart_at, what)) = self.chart_env.iter().find(|(n, _, _)| *n == env)
            else {
                continue;
            };
            issues.push(
                FormIssue::new(
                    "helm-shadowed-setting",
                    s.origin.key(),
                    format!(
                        "`{}` in `config` is lost: the chart also renders `{env}`, and Atlantis prefers the environment to the config file",
                        f.name
                    ),
                )
                .label("overridden by the chart")
                .related(chart_at.clone(), what.clone())
                .key(f.name),
            );
        }
        self.unit.form_issues.extend(issues);
    }

    fn github_and_app(&mut self) {
        let (Some(user), Some(app)) = (
            self.get("github.user").filter(|v| v.truthy()).cloned(),
            self.get("githubApp").filter(|v| v.truthy()).cloned(),
        ) else {
            return;
        };
        let user_at = self.place_of("github.user", &user, true);
        let app_at = self.place_of("githubApp", &app, true);
        self.issue(
            FormIssue::new(
                "helm-github-and-app",
                self.at(&user_at),
                "both `github.user` and `githubApp` are set: the chart renders `ATLANTIS_GH_WEBHOOK_SECRET` twice and its Secret gets the key `github_secret` twice (Helm 4 and kustomize refuse that), and Atlantis uses the user's token, ignoring the app",
            )
            .label("user token")
            .related(self.at(&app_at), "GitHub App")
            .help("keep one: remove `github.user`/`token`/`secret` for the app (`github.hostname` alone is fine for GitHub Enterprise), or remove `githubApp`"),
        );
    }

    /// With `vcsSecretName`, the Secret must hold the keys the templates read.
    fn vcs_secret_keys(&mut self) {
        let Some(sn) = self.get("vcsSecretName").filter(|v| v.truthy()).cloned() else {
            return;
        };
        let mut keys: Vec<&str> = Vec::new();
        for rule in &self.chart.env {
            if rule.secret_name.as_deref() != Some("vcsSecretName")
                || !self.since_ok(rule.since.as_deref(), rule.until.as_deref())
                || !self.when(&rule.when)
            {
                continue;
            }
            if let Some(k) = rule.secret_key.as_deref() {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        if keys.is_empty() {
            return;
        }
        let place = self.place_of("vcsSecretName", &sn, true);
        let list = keys
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        self.issue(
            FormIssue::new(
                "helm-vcs-secret-keys",
                self.at(&place),
                format!(
                    "the Secret `{}` must hold the keys {list}: the chart's templates read these (not `token` / `secret`, as the chart's schema text says); a missing key stops the pod (`CreateContainerConfigError`)",
                    sn.text().unwrap_or("")
                ),
            )
            .label(format!("needs {list}")),
        );
    }

    /// Keys the chart does not read (Helm's schema rejects them at the top level and in the
    /// credential sections), and keys newer than the claimed chart version.
    fn check_keys(&mut self) -> Result<(), String> {
        let chart = self.chart;
        let VNode::Map(top) = self.values.node.clone() else {
            return Ok(());
        };
        let known = |k: &str| chart.values_keys.iter().any(|x| x == k);
        let unknown_top = top.iter().filter(|(k, _)| !known(k)).count();
        if top.len() >= 4 && unknown_top * 2 > top.len() {
            return Err(format!(
                "{unknown_top} of its {} top-level keys are not values of the Atlantis chart (runatlantis/atlantis {}): it looks like values for a different chart",
                top.len(),
                chart.checked_against
            ));
        }
        let mut issues = Vec::new();
        for (k, v) in &top {
            let mut check = |path: String, v: &Val| {
                if !known(&path) {
                    let near = chart
                        .values_keys
                        .iter()
                        .find(|x| x.eq_ignore_ascii_case(&path))
                        .map(|x| format!(" (did you mean `{x}`?)"))
                        .unwrap_or_default();
                    issues.push(
                        FormIssue::new(
                            "helm-unknown-value",
                            Location::Source {
                                source: v.src,
                                spelling: Spelling::FormKey { path: path.clone() },
                                span: v.key_span,
                            },
                            format!(
                                "`{path}` is not a value of the Atlantis chart{near}: the chart ignores it, and its schema makes `helm install` refuse it"
                            ),
                        )
                        .label("not a chart value"),
                    );
                } else if let Some(since) = chart.since.get(&path).and_then(|s| version(s)) {
                    if self.version < since {
                        issues.push(
                            FormIssue::new(
                                "helm-chart-version",
                                Location::Source {
                                    source: v.src,
                                    spelling: Spelling::FormKey { path: path.clone() },
                                    span: v.key_span,
                                },
                                format!(
                                    "`{path}` needs chart {}.{}.{} or later; the chart version this file names ignores it",
                                    since.0, since.1, since.2
                                ),
                            )
                            .label("too new for this chart version"),
                        );
                    }
                }
            };
            check(k.clone(), v);
            // `config` and `repoConfig` hold files: a mapping there is a helm-value-type
            // finding, its keys are the file's.
            if chart.open_sections.iter().any(|s| s == k)
                || !known(k)
                || k == "config"
                || k == "repoConfig"
            {
                continue;
            }
            if let VNode::Map(kids) = &v.node {
                for (kk, vv) in kids {
                    check(format!("{k}.{kk}"), vv);
                }
            }
        }
        self.unit.form_issues.extend(issues);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_float_rendering() {
        assert_eq!(go_float(12345678.0), "1.2345678e+07");
        assert_eq!(go_float(1000000.0), "1e+06");
        assert_eq!(go_float(999999.0), "999999");
        assert_eq!(go_float(4141.0), "4141");
        assert_eq!(go_float(1.1), "1.1");
    }

    #[test]
    fn yaml11_types() {
        assert_eq!(yaml11_type("on"), Ty::Bool);
        assert_eq!(yaml11_type("12345678"), Ty::Number);
        assert_eq!(yaml11_type("1.10"), Ty::Number);
        assert_eq!(yaml11_type("github.com/acme/*"), Ty::Str);
        assert_eq!(yaml11_type("~"), Ty::Null);
        assert_eq!(yaml11_type("v1.2.3"), Ty::Str);
    }

    #[test]
    fn versions() {
        assert_eq!(version("6.9.3"), Some((6, 9, 3)));
        assert_eq!(version("v5.4"), Some((5, 4, 0)));
        assert_eq!(version("x"), None);
    }
}

//! The JSON Schema (draft 2020-12) of the Atlantis server config file, generated with schemars
//! from the flag table, the same table the linter reads. `atlantis-lint schema` prints it and
//! `schema/atlantis-server-config.schema.json` is the checked-in copy (a test keeps it current).
//!
//! The schema accepts what Atlantis accepts, so that it agrees with the linter:
//! - Values are decoded with mapstructure's weak typing: an int flag takes `4141`, `"4141"`,
//!   `0x1F` or `4141.0`; a bool flag takes `true`, `"true"`, `1` or `"t"`; a string flag takes
//!   numbers and bools (which Atlantis turns into strings). Strings are checked with Go's syntax
//!   (`pattern`), and `null` (an empty value) is the flag's zero value.
//! - Keys are matched case-insensitively by Atlantis (`GH-User` works). `properties` lists the
//!   canonical lower-case names (what editors complete); `patternProperties` accepts every other
//!   spelling of a flag name with the same value schema. Anything else is refused
//!   (`additionalProperties: false`): Atlantis would ignore it silently.
//! - Removed flags are listed with a `false`-like schema (`not: {}`) and a description that names
//!   the replacement, so that editors explain the error.
//! - Values Atlantis refuses at startup are refused: enumerated flags (`enum`; `log-level` in any
//!   case, and `autodiscover-mode`, which Atlantis does not check, only suggested), the command names
//!   of `allow-commands`, the version in `default-tf-version`, http(s) schemes of URLs, `://` in
//!   `repo-allowlist`, `language` (unless `language-config-file` is set), webhook entries.
//! - `x-secret: true` marks values that are secrets (tokens, passwords, keys, webhook secrets).
//!
//! What JSON Schema cannot express is left to the linter: credentials that must come in pairs,
//! JSON inside `repo-config-json`, files that must exist, values from env vars and flags.

use crate::flags::{self, DefaultValue, Flag, FlagKind, FlagType};
use crate::input::yaml::{self, NodeId, NodeKind, YamlDoc};
use crate::value::{Resolved, resolve};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value, json};
use std::borrow::Cow;

/// Where the published schema lives (for `# yaml-language-server: $schema=...`).
pub const SCHEMA_URL: &str = "https://raw.githubusercontent.com/atlantis-lint/atlantis-lint/main/schema/atlantis-server-config.schema.json";

/// Go's `strconv.ParseBool` strings, plus the empty string (false).
const BOOL_PATTERN: &str = "^(|1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$";
/// Go's `strconv.ParseInt(s, 0, 64)` syntax, plus the empty string (0).
const INT_PATTERN: &str =
    "^(|[+-]?(0[xX](_?[0-9a-fA-F])+|0[oO](_?[0-7])+|0[bB](_?[01])+|0(_?[0-7])*|[1-9](_?[0-9])*))$";
/// hashicorp/go-version's `NewVersion` syntax (what `default-tf-version` must parse as).
const VERSION_PATTERN: &str = r"^(|v?[0-9]+(\.[0-9]+)*(-([0-9]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)|(-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)))?(\+([0-9A-Za-z\-~]+(\.[0-9A-Za-z\-~]+)*))?)$";
/// `allow-commands`: comma-separated command names (entries are not trimmed; empty ones skipped).
const ALLOW_COMMANDS_PATTERN: &str = "^(apply|plan|unlock|policy_check|approve_policies|version|import|state|cancel|all)?(,(apply|plan|unlock|policy_check|approve_policies|version|import|state|cancel|all)?)*$";
/// URLs Atlantis requires to have an http or https scheme (Go lower-cases the scheme).
const HTTP_URL_PATTERN: &str = "^(|[hH][tT][tT][pP][sS]?:.*)$";

/// A `pattern` for string values Atlantis checks beyond their type.
fn value_pattern(flag: &Flag) -> Option<&'static str> {
    match flag.id() {
        flags::DEFAULT_TF_VERSION => Some(VERSION_PATTERN),
        flags::ALLOW_COMMANDS => Some(ALLOW_COMMANDS_PATTERN),
        flags::ATLANTIS_URL | flags::BITBUCKET_BASE_URL | flags::GITEA_BASE_URL => {
            Some(HTTP_URL_PATTERN)
        }
        _ => None,
    }
}

/// `language` as Atlantis normalises it (trimmed, lower-cased, cut at the first `-`): en or es.
const LANGUAGE_PATTERN: &str = r"^\s*([eE][nN]|[eE][sS]|)(-.*)?\s*$";

/// One entry of `webhooks:` (Atlantis's `server.WebhookConfig`).
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[schemars(transform = webhook_conditions)]
#[allow(dead_code)]
pub struct WebhookConfig {
    /// The event that triggers the webhook: `apply` (after an apply) or `drift` (drift detection).
    #[schemars(extend("enum" = ["apply", "drift"]))]
    event: String,
    /// Where to send it: `slack` (needs `channel` and `slack-token`) or `http` (needs `url`).
    #[schemars(extend("enum" = ["slack", "http"]))]
    kind: String,
    /// Only for workspaces matching this Go regular expression (apply events).
    workspace_regex: Option<String>,
    /// Only for branches matching this Go regular expression (apply events).
    branch_regex: Option<String>,
    /// The Slack channel (kind `slack`).
    channel: Option<String>,
    /// The URL to POST to (kind `http`). It may embed a credential.
    #[schemars(extend("x-secret" = true))]
    url: Option<String>,
}

fn webhook_conditions(schema: &mut Schema) {
    schema.insert(
        "allOf".into(),
        json!([
            {"if": {"properties": {"kind": {"const": "slack"}}, "required": ["kind"]},
             "then": {"required": ["channel"]}},
            {"if": {"properties": {"kind": {"const": "http"}}, "required": ["kind"]},
             "then": {"required": ["url"]}},
        ]),
    );
}

/// The whole server config file. Its schema is built from [`flags::FLAGS`].
pub struct ServerConfig;

impl JsonSchema for ServerConfig {
    fn schema_name() -> Cow<'static, str> {
        "AtlantisServerConfig".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let webhook = generator.subschema_for::<WebhookConfig>();
        let mut properties = Map::new();
        let mut patterns = Map::new();
        for flag in flags::FLAGS {
            properties.insert(flag.name.into(), flag_schema(flag, &webhook));
            if flag.is_current() {
                patterns.insert(
                    case_insensitive(flag.name),
                    json!({"$ref": format!("#/properties/{}", flag.name)}),
                );
            }
        }
        json_schema!({
            "$id": SCHEMA_URL,
            "title": "Atlantis server configuration",
            "description": "The YAML file given to `atlantis server --config`: top-level keys are the server flag names. Generated by atlantis-lint from Atlantis's flag table.",
            "type": "object",
            "properties": properties,
            "patternProperties": patterns,
            "additionalProperties": false,
            "if": {
                "properties": {"language-config-file": {"type": "string", "pattern": "\\S"}},
                "required": ["language-config-file"]
            },
            "else": {
                "properties": {"language": {"pattern": LANGUAGE_PATTERN}}
            }
        })
    }
}

/// `gh-user` -> `^[gG][hH]-[uU][sS][eE][rR]$`.
fn case_insensitive(name: &str) -> String {
    let mut s = String::from("^");
    for c in name.chars() {
        if c.is_ascii_alphabetic() {
            s.push('[');
            s.push(c.to_ascii_lowercase());
            s.push(c.to_ascii_uppercase());
            s.push(']');
        } else {
            s.push(c);
        }
    }
    s.push('$');
    s
}

fn description(flag: &Flag) -> String {
    let mut d = match flag.kind {
        FlagKind::FileOnly => format!("`{}` (config file only).", flag.name),
        _ => format!(
            "`--{}`, env `{}`; {}.",
            flag.name,
            flag.env_name(),
            match flag.ty {
                FlagType::String => "a string",
                FlagType::Bool => "a bool",
                FlagType::Int | FlagType::Int64 => "an integer",
                FlagType::Webhooks => "a list",
            }
        ),
    };
    if let Some(choices) = flags::choices(flag.name) {
        d.push_str(&format!(" One of: {}.", choices.join(", ")));
    }
    if !flag.notes.is_empty() && flag.kind != FlagKind::Removed {
        d.push(' ');
        d.push_str(flag.notes);
    }
    let history = flags::history(flag);
    match history.and_then(|h| h.deprecated_in(flags::LATEST)) {
        Some(dep) => {
            let since = dep.since.map(|s| format!(" since {s}")).unwrap_or_default();
            match dep.replacement.or(flag.replacement) {
                Some(r) => d.push_str(&format!(" Deprecated{since}: use `{r}`.")),
                None => d.push_str(&format!(" Deprecated{since}.")),
            }
        }
        None if flag.deprecated => d.push_str(" Deprecated."),
        None => {}
    }
    if let Some(since) = flag.since {
        d.push_str(&format!(" Since Atlantis {since}."));
    }
    if let Some(h) = history {
        d.push_str(&release_notes(flag, h));
    }
    d
}

/// What older releases did differently: an earlier name, earlier defaults.
fn release_notes(flag: &Flag, h: &flags::History) -> String {
    let mut out = String::new();
    // An older name that was the only one in some covered releases.
    for (old, oh) in flags::FLAGS
        .iter()
        .filter_map(|f| Some((f, flags::history(f)?)))
    {
        let renamed = oh
            .deprecated
            .is_some_and(|d| d.replacement == Some(flag.name));
        let last_old_only = flags::RELEASES.iter().rev().find(|r| **r < h.added);
        if let (true, Some(last)) = (renamed && oh.added < h.added, last_old_only) {
            out.push_str(&format!(
                " Called `{}` in {}–{last}.",
                old.name,
                oh.added.max(flags::RELEASES[0])
            ));
        }
    }
    // Defaults that changed within the releases covered.
    {
        for w in h.defaults.windows(2) {
            let ((_, before), (since, _)) = (w[0], w[1]);
            if since > flags::RELEASES[0] {
                let before = match before {
                    DefaultValue::Str("") | DefaultValue::None => "empty".to_string(),
                    DefaultValue::Str(s) => format!("`{s}`"),
                    DefaultValue::Int(i) => format!("`{i}`"),
                    DefaultValue::Bool(b) => format!("`{b}`"),
                };
                out.push_str(&format!(" Default before {since}: {before}."));
            }
        }
    }
    out
}

fn flag_schema(flag: &'static Flag, webhook: &Schema) -> Value {
    let history = flags::history(flag);
    if flag.kind == FlagKind::Removed {
        let removed = history
            .and_then(|h| h.removed)
            .map(|r| format!(" in {r}"))
            .unwrap_or_default();
        let mut d = format!(
            "Removed from Atlantis{removed} (last in {}): Atlantis ignores this key.",
            flag.last.unwrap_or("an old release")
        );
        if let Some(r) = flag.replacement {
            d.push_str(&format!(" Use {r} instead."));
        }
        let mut s = json!({"not": {}, "deprecated": true, "description": d});
        if let Some(h) = history {
            s["x-atlantis-since"] = json!(h.added.to_string());
            if let Some(r) = h.removed {
                s["x-atlantis-removed"] = json!(r.to_string());
            }
        }
        return s;
    }
    let mut s = match flag.ty {
        FlagType::String => json!({"type": ["string", "number", "boolean", "null"]}),
        FlagType::Bool => {
            json!({"type": ["boolean", "string", "number", "null"], "pattern": BOOL_PATTERN})
        }
        FlagType::Int | FlagType::Int64 => {
            json!({"type": ["integer", "string", "number", "boolean", "null"], "pattern": INT_PATTERN})
        }
        FlagType::Webhooks => json!({"type": ["array", "null"], "items": webhook}),
    };
    let obj = s.as_object_mut().expect("an object");
    obj.insert("description".into(), json!(description(flag)));
    if let Some(choices) = flags::choices(flag.name) {
        match flag.id() {
            // Accepted in any case (`DEBUG` only earns the log-level-case warning).
            flags::LOG_LEVEL => {
                let any_case: Vec<String> = choices
                    .iter()
                    .map(|c| case_insensitive(c).trim_matches(['^', '$']).to_string())
                    .collect();
                obj.insert(
                    "pattern".into(),
                    json!(format!("^(|{})$", any_case.join("|"))),
                );
                obj.insert("examples".into(), json!(choices));
            }
            // Not validated by Atlantis: another value only earns a warning.
            flags::AUTODISCOVER_MODE => {
                obj.insert("examples".into(), json!(choices));
            }
            _ => {
                obj.insert("type".into(), json!("string"));
                obj.insert("enum".into(), json!(choices));
            }
        }
    }
    if let Some(pattern) = value_pattern(flag) {
        obj.insert("pattern".into(), json!(pattern));
    }
    if flag.id() == flags::REPO_ALLOWLIST {
        // "--repo-allowlist cannot contain ://, should be hostnames only"
        obj.insert("not".into(), json!({"type": "string", "pattern": "://"}));
    }
    match flag.default {
        DefaultValue::Str(v) if !v.is_empty() => {
            obj.insert("default".into(), json!(v));
        }
        DefaultValue::Int(i) => {
            obj.insert("default".into(), json!(i));
        }
        DefaultValue::Bool(b) => {
            obj.insert("default".into(), json!(b));
        }
        _ => {}
    }
    if flag.deprecated {
        obj.insert("deprecated".into(), json!(true));
    }
    // The release facts as annotations (JSON Schema has no keyword for them).
    if let Some(h) = history {
        obj.insert("x-atlantis-since".into(), json!(h.added.to_string()));
        if let Some(since) = h.deprecated_in(flags::LATEST).and_then(|d| d.since) {
            obj.insert(
                "x-atlantis-deprecated-since".into(),
                json!(since.to_string()),
            );
        }
    }
    if flag.is_secret_value() {
        obj.insert("x-secret".into(), json!(true));
    }
    s
}

/// The schema as a JSON value.
pub fn schema() -> Value {
    SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<ServerConfig>()
        .to_value()
}

/// The schema as the checked-in file holds it (pretty JSON and a final newline).
pub fn schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&schema()).expect("the schema serialises");
    s.push('\n');
    s
}

/// Converts a parsed YAML document to JSON the way yaml.v3 decodes it into `interface{}`
/// (scalars resolved by the YAML 1.2 core schema, aliases and `<<` merges expanded). A timestamp
/// (`2024-01-02`), which yaml.v3 turns into a `time.Time`, becomes `{"yaml-timestamp": text}`.
///
/// For validating configs against the schema in tests and tools. The result holds secret values
/// in clear: never print it.
pub fn yaml_to_json(doc: &YamlDoc) -> Value {
    match doc.root {
        Some(root) => node_to_json(doc, root, 0),
        None => Value::Null,
    }
}

fn node_to_json(doc: &YamlDoc, id: NodeId, depth: usize) -> Value {
    if depth > yaml::MAX_DEPTH {
        return Value::Null;
    }
    match &doc.resolve(id).kind {
        NodeKind::Scalar(s) => match resolve(s, false) {
            Resolved::Null => Value::Null,
            Resolved::Bool(b) => json!(b),
            Resolved::Int(i) => json!(i),
            Resolved::Uint(u) => json!(u),
            Resolved::Float(f) if f.is_finite() => json!(f),
            Resolved::Float(_) => json!(s.value),
            // yaml.v3 decodes a timestamp into time.Time, which no flag accepts: an object says so.
            Resolved::Timestamp => json!({ "yaml-timestamp": s.value }),
            Resolved::Str(t) => json!(t.as_str()),
        },
        NodeKind::Seq(items) => Value::Array(
            items
                .iter()
                .map(|&i| node_to_json(doc, i, depth + 1))
                .collect(),
        ),
        NodeKind::Map(pairs) => {
            let mut map = Map::new();
            let mut merges = Vec::new();
            for &(k, v) in pairs {
                let key = match &doc.resolve(k).kind {
                    NodeKind::Scalar(s) => s.value.clone(),
                    _ => "<complex key>".into(),
                };
                if key == "<<"
                    && matches!(&doc.node(k).kind, NodeKind::Scalar(s) if s.style == yaml::Style::Plain)
                {
                    merges.push(v);
                    continue;
                }
                map.insert(key, node_to_json(doc, v, depth + 1));
            }
            for v in merges {
                let targets = match &doc.resolve(v).kind {
                    NodeKind::Seq(items) => items.clone(),
                    _ => vec![v],
                };
                for t in targets {
                    if let Value::Object(inner) = node_to_json(doc, t, depth + 1) {
                        for (k, v) in inner {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
            }
            Value::Object(map)
        }
        NodeKind::Alias(_) => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert_eq!(case_insensitive("gh-user"), "^[gG][hH]-[uU][sS][eE][rR]$");
        let int = regex::Regex::new(INT_PATTERN).unwrap();
        for ok in ["", "4141", "-1", "0x1F", "010", "1_000", "0b101", "0o17"] {
            assert!(int.is_match(ok), "{ok}");
            assert!(
                crate::value::go_parse_int(ok).is_ok() || ok.is_empty(),
                "{ok}"
            );
        }
        for bad in ["08", "abc", "4141 ", "_1", "1_", "1.5"] {
            assert!(!int.is_match(bad), "{bad}");
        }
        let version = regex::Regex::new(VERSION_PATTERN).unwrap();
        for ok in ["1.5.7", "v1.5.7", "1.6.0-beta1", "1.6.0-rc.1+build.5", ""] {
            assert!(version.is_match(ok), "{ok}");
        }
        for bad in [">= 1.5", "latest", "1.5.x", " 1.5.0"] {
            assert!(!version.is_match(bad), "{bad}");
        }
    }

    #[test]
    fn yaml_to_json_resolves_like_yaml_v3() {
        let text = "a: yes\nb: 010\nc: ~\nbase: &b {x: 1}\nd:\n  <<: *b\n  y: 2\ne: 2024-01-02\n";
        let doc = yaml::parse(text).unwrap();
        assert_eq!(
            yaml_to_json(&doc),
            json!({"a": "yes", "b": 8, "c": null, "base": {"x": 1}, "d": {"x": 1, "y": 2},
                   "e": {"yaml-timestamp": "2024-01-02"}})
        );
    }
}

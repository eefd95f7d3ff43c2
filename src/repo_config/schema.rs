//! JSON Schemas (draft 2020-12) for the server-side repo config (`repos.yaml`) and a
//! repository's `atlantis.yaml`, generated with schemars from types that mirror Atlantis's raw
//! types. `atlantis-lint schema --kind repo-config|repo-yaml` prints them; `schema/` holds the
//! checked-in copies (a test keeps them current and in agreement with the linter).
//!
//! They accept what Atlantis's decoder accepts (a number where Go wants a string, YAML 1.1
//! booleans) and refuse what it refuses at decode time or in its simple validations: unknown
//! keys, wrong shapes, the enumerated values (requirements, overrides, modes, step names). What
//! JSON Schema cannot say is left to the linter: regexes that must compile, workflows that must be
//! defined, what the server allows a repository to override.

use super::Kind;
use crate::repo_keys::Document;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::Value;
use std::borrow::Cow;

pub const REPO_CONFIG_URL: &str = "https://raw.githubusercontent.com/atlantis-lint/atlantis-lint/main/schema/atlantis-repo-config.schema.json";
pub const REPO_YAML_URL: &str = "https://raw.githubusercontent.com/atlantis-lint/atlantis-lint/main/schema/atlantis-repo-yaml.schema.json";

/// A Go string: yaml decodes any scalar into one.
pub struct GoString;
impl JsonSchema for GoString {
    fn schema_name() -> Cow<'static, str> {
        "GoString".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": ["string", "number", "boolean", "null"]})
    }
}

/// A Go bool: true/false, or a YAML 1.1 boolean word.
pub struct GoBool;
impl JsonSchema for GoBool {
    fn schema_name() -> Cow<'static, str> {
        "GoBool".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"anyOf": [
            {"type": ["boolean", "null"]},
            {"enum": ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF"]}
        ]})
    }
}

fn list_of(values: &[&str]) -> Schema {
    json_schema!({"type": ["array", "null"], "items": {"enum": values}})
}

/// `plan_requirements`, `apply_requirements`, `import_requirements`.
pub struct Requirements;
impl JsonSchema for Requirements {
    fn schema_name() -> Cow<'static, str> {
        "Requirements".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        list_of(&["approved", "mergeable", "undiverged"])
    }
}

pub struct Overrides;
impl JsonSchema for Overrides {
    fn schema_name() -> Cow<'static, str> {
        "AllowedOverrides".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        list_of(crate::rules::repo::OVERRIDES)
    }
}

pub struct Silence;
impl JsonSchema for Silence {
    fn schema_name() -> Cow<'static, str> {
        "SilencePrComments".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        list_of(&["plan", "apply"])
    }
}

pub struct Strings;
impl JsonSchema for Strings {
    fn schema_name() -> Cow<'static, str> {
        "Strings".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": ["array", "null"], "items": {"type": ["string", "number", "boolean", "null"]}})
    }
}

/// A `repos[].id`: required and not empty.
pub struct RepoId;
impl JsonSchema for RepoId {
    fn schema_name() -> Cow<'static, str> {
        "RepoId".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "`host/owner/name` exactly, or a Go regular expression between slashes (`/.*/`). No globs.",
            "type": ["string", "number", "boolean"],
            "minLength": 1
        })
    }
}

/// A `/regex/` (a Go RE2 regular expression between slashes).
pub struct SlashRegex;
impl JsonSchema for SlashRegex {
    fn schema_name() -> Cow<'static, str> {
        "SlashRegex".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": ["string", "null"], "pattern": "^(|/.*/)$"})
    }
}

/// One workflow step: a built-in name, `run`/`multienv` with a command, a built-in with
/// `extra_args`, or a `run`/`multienv`/`env` map.
pub struct Step;
impl JsonSchema for Step {
    fn schema_name() -> Cow<'static, str> {
        "Step".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        use crate::repo_keys::{StepForm, step_form_since, step_since};
        let builtins = crate::repo_config::steps::BUILTINS;
        let since = |v: crate::version::Version| json!(v.to_string());
        let shell_since = step_form_since(StepForm::Shell);
        let shell = json!({"type": "string", "x-atlantis-since": since(shell_since),
            "description": format!("Since Atlantis {shell_since}.")});
        let shell_args = json!({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            "x-atlantis-since": since(shell_since), "description": format!("Since Atlantis {shell_since}.")});
        let mut extra = serde_json::Map::new();
        let mut named = Vec::new();
        for b in builtins {
            let mut p = json!({"type": ["object", "null"], "additionalProperties": false,
                   "properties": {"extra_args": {"type": ["array", "null"], "items": {"type": ["string", "number", "boolean"]}}}});
            if let Some(v) = step_since(b) {
                p["x-atlantis-since"] = since(v);
                p["description"] = json!(format!("Since Atlantis {v}."));
                named.push((v, format!("`{b}` {v}")));
            }
            extra.insert((*b).into(), p);
        }
        let (run_map, multienv_map) = (
            step_form_since(StepForm::RunMap),
            step_form_since(StepForm::MultienvMap),
        );
        let multienv_command = step_form_since(StepForm::MultienvCommand);
        let (output_list, filter_regex) = (
            step_form_since(StepForm::OutputList),
            step_form_since(StepForm::FilterRegex),
        );
        let description = format!(
            "A workflow step: `init`, `- run: <command>`, `- plan: {{extra_args: [...]}}`, `- run: {{command, output, shell, shellArgs}}`, `- env: {{name, value|command}}`. Since Atlantis: the built-in steps {}; `- multienv: <command>` {multienv_command}; the map form of `run` {run_map} and of `multienv` {multienv_map}; `shell`/`shellArgs` {shell_since}; a list `output` {output_list} (applied, with `filter_regex`, from {filter_regex}).",
            {
                named.sort();
                named
                    .into_iter()
                    .map(|(_, n)| n)
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        json_schema!({
            "description": description,
            "anyOf": [
                {"enum": builtins},
                {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": false,
                 "properties": {"run": {"type": ["string", "number", "boolean", "null"]},
                                "multienv": {"type": ["string", "number", "boolean", "null"], "x-atlantis-since": since(multienv_command)}}},
                {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": false, "properties": Value::Object(extra)},
                {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": false, "properties": {
                    "run": {"type": "object", "required": ["command"], "additionalProperties": false, "x-atlantis-since": since(run_map), "properties": {
                        "command": {"type": "string"},
                        "output": {"anyOf": [{"enum": ["show", "hide", "strip_refreshing"]}, {"type": "array", "x-atlantis-since": since(output_list)}]},
                        "shell": shell.clone(), "shellArgs": shell_args.clone()}},
                    "multienv": {"type": "object", "required": ["command"], "additionalProperties": false, "x-atlantis-since": since(multienv_map), "properties": {
                        "command": {"type": "string"},
                        "output": {"anyOf": [{"enum": ["show", "hide"]}, {"not": {"type": "string"}}]},
                        "shell": shell.clone(), "shellArgs": shell_args.clone()}},
                    "env": {"type": "object", "required": ["name"], "additionalProperties": false,
                        "not": {"required": ["value", "command"]},
                        "properties": {"name": {}, "value": {}, "command": {}, "shell": shell, "shellArgs": shell_args}}
                }}
            ]
        })
    }
}

use serde_json::json;

/// `{steps: [...]}`.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Stage {
    /// The steps, in order. Missing or null: the stage's default steps; `[]`: none at all.
    steps: Option<Vec<Step>>,
}

/// A custom workflow.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Workflow {
    /// Default steps: init, plan.
    plan: Option<Stage>,
    /// Default steps: apply.
    apply: Option<Stage>,
    /// Default steps: show, policy_check.
    policy_check: Option<Stage>,
    /// Default steps: init, import.
    import: Option<Stage>,
    /// Default steps: init, state_rm.
    state_rm: Option<Stage>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct RepoLocks {
    /// `on_plan` (default), `on_apply` or `disabled`.
    #[schemars(extend("enum" = ["disabled", "on_plan", "on_apply", null]))]
    mode: Option<String>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct AutoDiscover {
    /// `auto` (default), `enabled` or `disabled`, in lower case.
    #[schemars(extend("enum" = ["auto", "enabled", "disabled", null]))]
    mode: Option<String>,
    /// Globs (relative, no leading `/`) of directories autodiscovery skips.
    #[schemars(extend("items" = {"type": "string", "pattern": "^[^/]"}))]
    ignore_paths: Option<Vec<String>>,
}

/// A pre/post workflow hook (Atlantis reads these keys and ignores others).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Hook {
    /// The command to run.
    run: GoString,
    description: Option<GoString>,
    /// The shell (default `sh`).
    shell: Option<GoString>,
    /// The shell's arguments, one string (default `-c`).
    #[serde(rename = "shellArgs")]
    shell_args: Option<GoString>,
    /// Comma-separated commands the hook runs for (`plan`, `apply`, ...); default all.
    commands: Option<GoString>,
}

/// One `repos[]` entry.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Repo {
    /// `host/owner/name` exactly, or a Go regular expression between slashes (`/.*/`). No globs.
    id: RepoId,
    /// Base branches (a `/regex/`) this entry's repositories are acted on for.
    branch: Option<SlashRegex>,
    /// The repo-level config file (relative; default `atlantis.yaml`).
    #[schemars(extend("pattern" = "^[^/]"))]
    repo_config_file: Option<String>,
    plan_requirements: Option<Requirements>,
    apply_requirements: Option<Requirements>,
    import_requirements: Option<Requirements>,
    pre_workflow_hooks: Option<Vec<Hook>>,
    post_workflow_hooks: Option<Vec<Hook>>,
    /// The workflow (`default` or a key of `workflows`).
    workflow: Option<GoString>,
    /// Keys a repository's atlantis.yaml may set.
    allowed_overrides: Option<Overrides>,
    /// Workflows a repository may select.
    allowed_workflows: Option<Strings>,
    /// Whether a repository's atlantis.yaml may define workflows.
    allow_custom_workflows: Option<GoBool>,
    delete_source_branch_on_merge: Option<GoBool>,
    repo_locking: Option<GoBool>,
    repo_locks: Option<RepoLocks>,
    policy_check: Option<GoBool>,
    custom_policy_check: Option<GoBool>,
    autodiscover: Option<AutoDiscover>,
    silence_pr_comments: Option<Silence>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Owners {
    users: Option<Strings>,
    teams: Option<Strings>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PolicySet {
    name: String,
    path: String,
    /// `local` or `github`.
    #[schemars(extend("enum" = ["local", "github", "", null]))]
    source: Option<String>,
    owners: Option<Owners>,
    approve_count: Option<i64>,
    sticky_policy_approvals: Option<GoBool>,
    policy_item_regex: Option<GoString>,
    prevent_self_approve: Option<GoBool>,
}

/// Conftest policy checks (used with `--enable-policy-checks`).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Policies {
    conftest_version: Option<GoString>,
    owners: Option<Owners>,
    #[schemars(extend("minItems" = 1))]
    policy_sets: Vec<PolicySet>,
    sticky_policy_approvals: Option<GoBool>,
    policy_item_regex: Option<GoString>,
    approve_count: Option<i64>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Statsd {
    host: GoString,
    port: GoString,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Prometheus {
    endpoint: GoString,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Metrics {
    statsd: Option<Statsd>,
    prometheus: Option<Prometheus>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct TeamAuthz {
    command: Option<GoString>,
    args: Option<Strings>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct S3 {
    bucket: Option<GoString>,
    region: Option<GoString>,
    prefix: Option<GoString>,
    endpoint: Option<GoString>,
    force_path_style: Option<GoBool>,
    profile: Option<GoString>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = s3_needs_bucket_and_region)]
#[allow(dead_code)]
pub struct PlanStore {
    /// Only `s3` (Atlantis v0.47.0).
    #[schemars(extend("enum" = ["s3", "", null]))]
    r#type: Option<String>,
    s3: Option<S3>,
}

fn s3_needs_bucket_and_region(schema: &mut Schema) {
    schema.insert(
        "if".into(),
        json!({"properties": {"type": {"const": "s3"}}, "required": ["type"]}),
    );
    schema.insert(
        "then".into(),
        json!({"required": ["s3"], "properties": {"s3": {"type": "object", "required": ["bucket", "region"],
            "properties": {"bucket": {"type": "string", "minLength": 1}, "region": {"type": "string", "minLength": 1}}}}}),
    );
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ExternalStores {
    plan_store: Option<PlanStore>,
}

/// The server-side repo config (`--repo-config` file or `--repo-config-json`).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Atlantis server-side repo config")]
#[allow(dead_code)]
pub struct RepoConfig {
    /// Per-repository settings; for each key, the last entry whose id matches wins.
    repos: Option<Vec<Repo>>,
    /// Custom workflows by name (`default` replaces the built-in one).
    workflows: Option<std::collections::BTreeMap<String, Workflow>>,
    policies: Option<Policies>,
    metrics: Option<Metrics>,
    team_authz: Option<TeamAuthz>,
    external_stores: Option<ExternalStores>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Autoplan {
    /// Patterns (relative to the project dir) whose change triggers autoplan.
    when_modified: Option<Strings>,
    enabled: Option<GoBool>,
}

/// One `projects[]` entry.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Project {
    /// Unique, URL-safe, no glob characters.
    #[schemars(extend("pattern" = "^[A-Za-z0-9._~/-]+$"))]
    name: Option<String>,
    branch: Option<SlashRegex>,
    /// The project's directory, relative to the repository root (a glob expands to several).
    #[schemars(extend("minLength" = 1))]
    dir: String,
    workspace: Option<GoString>,
    workflow: Option<GoString>,
    #[schemars(extend("enum" = ["terraform", "opentofu", null]))]
    terraform_distribution: Option<String>,
    terraform_version: Option<GoString>,
    autoplan: Option<Autoplan>,
    plan_requirements: Option<Requirements>,
    apply_requirements: Option<Requirements>,
    import_requirements: Option<Requirements>,
    depends_on: Option<Strings>,
    delete_source_branch_on_merge: Option<GoBool>,
    repo_locking: Option<GoBool>,
    repo_locks: Option<RepoLocks>,
    execution_order_group: Option<i64>,
    policy_check: Option<GoBool>,
    custom_policy_check: Option<GoBool>,
    silence_pr_comments: Option<Silence>,
}

/// A repository's `atlantis.yaml`.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Atlantis repo-level atlantis.yaml")]
#[allow(dead_code)]
pub struct RepoYaml {
    /// 2 or 3.
    #[schemars(extend("enum" = [2, 3]))]
    version: i64,
    projects: Option<Vec<Project>>,
    /// Custom workflows (need `allow_custom_workflows: true` on the server).
    workflows: Option<std::collections::BTreeMap<String, Workflow>>,
    /// Read and ignored: policies are server-side.
    policies: Option<serde_json::Value>,
    autodiscover: Option<AutoDiscover>,
    automerge: Option<GoBool>,
    parallel_apply: Option<GoBool>,
    parallel_plan: Option<GoBool>,
    delete_source_branch_on_merge: Option<GoBool>,
    emoji_reaction: Option<GoString>,
    allowed_regexp_prefixes: Option<Strings>,
    abort_on_execution_order_fail: Option<GoBool>,
    repo_locks: Option<RepoLocks>,
    silence_pr_comments: Option<Strings>,
}

fn generate<T: JsonSchema>(url: &str, kind: Kind) -> Value {
    let mut v = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value();
    if let Value::Object(m) = &mut v {
        m.insert("$id".into(), Value::String(url.into()));
    }
    release_facts(&mut v, kind);
    v
}

pub fn repo_config_schema() -> Value {
    generate::<RepoConfig>(REPO_CONFIG_URL, Kind::RepoConfig)
}

pub fn repo_yaml_schema() -> Value {
    generate::<RepoYaml>(REPO_YAML_URL, Kind::RepoYaml)
}

/// Which object of a schema holds the keys of which section of `data/repo-config-keys.json`:
/// (`""` for the root, else a `$defs` name; the document and path of [`crate::repo_keys`]).
pub fn sections(kind: Kind) -> Vec<(&'static str, Document, &'static str)> {
    use Document::*;
    match kind {
        Kind::RepoConfig => vec![
            ("", ServerSide, ""),
            ("Repo", ServerSide, "repos[]"),
            ("AutoDiscover", ServerSide, "repos[].autodiscover"),
            ("Workflow", ServerSide, "workflows.*"),
            ("Policies", ServerSide, "policies"),
            ("PolicySet", ServerSide, "policies.policy_sets[]"),
            ("Metrics", ServerSide, "metrics"),
        ],
        Kind::RepoYaml => vec![
            ("", RepoLevel, ""),
            ("Project", RepoLevel, "projects[]"),
            ("Autoplan", RepoLevel, "projects[].autoplan"),
            ("Workflow", ServerSide, "workflows.*"),
            ("AutoDiscover", ServerSide, "repos[].autodiscover"),
        ],
    }
}

/// Adds to one property the release facts: `x-atlantis-since` and "Since Atlantis vX." for a key
/// added after v0.17.0; `deprecated`, `x-atlantis-deprecated-since` and a note for a key
/// Atlantis's documentation deprecates.
fn annotate(
    prop: &mut Value,
    since: Option<crate::version::Version>,
    deprecated: Option<&crate::repo_keys::Deprecated>,
) {
    let Value::Object(obj) = prop else { return };
    let mut d = obj
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut note = |text: String| {
        if !d.is_empty() {
            d.push(' ');
        }
        d.push_str(&text);
    };
    if let Some(dep) = deprecated {
        note(format!(
            "Deprecated since {}: use `{}`.",
            dep.since, dep.replacement
        ));
    }
    if let Some(since) = since {
        note(format!("Since Atlantis {since}."));
    }
    if d.is_empty() {
        return;
    }
    obj.insert("description".into(), Value::String(d));
    if let Some(since) = since {
        obj.insert("x-atlantis-since".into(), json!(since.to_string()));
    }
    if let Some(dep) = deprecated {
        obj.insert("deprecated".into(), json!(true));
        obj.insert(
            "x-atlantis-deprecated-since".into(),
            json!(dep.since.to_string()),
        );
    }
}

/// The release facts of `data/repo-config-keys.json` on the generated schema: each key of a
/// table section, the keys of a workflow hook.
fn release_facts(schema: &mut Value, kind: Kind) {
    for (def, doc, path) in sections(kind) {
        let object = if def.is_empty() {
            &mut *schema
        } else {
            &mut schema["$defs"][def]
        };
        let Some(props) = object.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        for (key, since) in crate::repo_keys::section_keys(doc, path) {
            if let Some(p) = props.get_mut(key) {
                annotate(p, since, crate::repo_keys::deprecated(doc, path, key));
            }
        }
    }
    if let Some(props) = schema
        .pointer_mut("/$defs/Hook/properties")
        .and_then(Value::as_object_mut)
    {
        for (key, since) in crate::repo_keys::hook_keys() {
            if let Some(p) = props.get_mut(key) {
                annotate(p, since, None);
            }
        }
    }
}

/// A schema as the checked-in file holds it (pretty JSON and a final newline).
pub fn text(schema: &Value) -> String {
    let mut s = serde_json::to_string_pretty(schema).expect("the schema serialises");
    s.push('\n');
    s
}

//! The typed raw documents: Atlantis's `raw.GlobalCfg` (server-side `repos.yaml` or
//! `--repo-config-json`) and `raw.RepoCfg` (a repository's `atlantis.yaml`), every value with
//! its span. Decoding follows `super::decode`; the checks live in the rules.

use super::decode::{Sp, View};
use super::steps::{self, Step};
use crate::input::yaml::NodeId;
use crate::source::Span;

pub type Strings = Option<Sp<Vec<Sp<String>>>>;

/// `raw.GlobalCfg`.
#[derive(Debug, Clone, Default)]
pub struct GlobalCfg {
    pub repos: Vec<Repo>,
    pub workflows: Vec<Workflow>,
    pub policies: Option<Policies>,
    pub metrics: Option<Metrics>,
    pub team_authz: Option<TeamAuthz>,
    pub external_stores: Option<ExternalStores>,
}

/// One `repos[]` entry (`raw.Repo`).
#[derive(Debug, Clone, Default)]
pub struct Repo {
    pub index: usize,
    pub span: Span,
    /// False when the item is not a mapping (a decode error was recorded).
    pub decoded: bool,
    pub id: Option<Sp<String>>,
    pub branch: Option<Sp<String>>,
    pub repo_config_file: Option<Sp<String>>,
    pub plan_requirements: Strings,
    pub apply_requirements: Strings,
    pub import_requirements: Strings,
    pub pre_workflow_hooks: Vec<Hook>,
    pub post_workflow_hooks: Vec<Hook>,
    pub workflow: Option<Sp<String>>,
    pub allowed_workflows: Strings,
    pub allowed_overrides: Strings,
    pub allow_custom_workflows: Option<Sp<bool>>,
    pub delete_source_branch_on_merge: Option<Sp<bool>>,
    pub repo_locking: Option<Sp<bool>>,
    pub repo_locks: Option<RepoLocks>,
    pub policy_check: Option<Sp<bool>>,
    pub custom_policy_check: Option<Sp<bool>>,
    pub autodiscover: Option<AutoDiscover>,
    pub silence_pr_comments: Strings,
}

impl Repo {
    /// True for a `/regex/` id (Atlantis's `HasRegexID`: starts and ends with `/`).
    pub fn regex_id(&self) -> Option<&Sp<String>> {
        self.id
            .as_ref()
            .filter(|id| id.v.starts_with('/') && id.v.ends_with('/'))
    }
}

#[derive(Debug, Clone)]
pub struct RepoLocks {
    pub key: Span,
    pub mode: Option<Sp<String>>,
}

#[derive(Debug, Clone)]
pub struct AutoDiscover {
    pub key: Span,
    pub mode: Option<Sp<String>>,
    pub ignore_paths: Strings,
}

/// A workflow hook: a `map[string]string`, never validated by Atlantis.
#[derive(Debug, Clone)]
pub struct Hook {
    pub index: usize,
    pub span: Span,
    /// False when the item did not decode (a type error was recorded).
    pub decoded: bool,
    pub entries: Vec<(Sp<String>, Sp<String>)>,
}

impl Hook {
    pub fn get(&self, key: &str) -> Option<&Sp<String>> {
        self.entries
            .iter()
            .find(|(k, _)| k.v == key)
            .map(|(_, v)| v)
    }
}

/// `workflows.<name>`.
#[derive(Debug, Clone)]
pub struct Workflow {
    pub name: Sp<String>,
    pub stages: Vec<Stage>,
}

pub const STAGES: &[&str] = &["plan", "apply", "policy_check", "import", "state_rm"];

#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    pub key: Span,
    /// `None` when the stage is null or has no (or a null) `steps`: the default steps run.
    pub steps: Option<Sp<Vec<Step>>>,
}

#[derive(Debug, Clone)]
pub struct Policies {
    pub key: Span,
    pub conftest_version: Option<Sp<String>>,
    pub policy_sets: Option<Sp<Vec<PolicySet>>>,
    pub policy_item_regex: Option<Sp<String>>,
    pub approve_count: Option<Sp<i64>>,
}

#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    pub index: usize,
    pub span: Span,
    pub name: Option<Sp<String>>,
    pub path: Option<Sp<String>>,
    pub source: Option<Sp<String>>,
    pub policy_item_regex: Option<Sp<String>>,
}

#[derive(Debug, Clone)]
pub struct Metrics {
    pub key: Span,
    pub statsd: Option<Statsd>,
    pub prometheus: Option<Prometheus>,
}

#[derive(Debug, Clone)]
pub struct Statsd {
    pub key: Span,
    pub host: Option<Sp<String>>,
    pub port: Option<Sp<String>>,
}

#[derive(Debug, Clone)]
pub struct Prometheus {
    pub key: Span,
    pub endpoint: Option<Sp<String>>,
}

#[derive(Debug, Clone)]
pub struct TeamAuthz {
    pub key: Span,
    pub command: Option<Sp<String>>,
}

#[derive(Debug, Clone)]
pub struct ExternalStores {
    pub key: Span,
    pub plan_store_type: Option<Sp<String>>,
    /// The `plan_store` key, when present.
    pub plan_store: Option<Span>,
    pub s3: Option<S3>,
}

#[derive(Debug, Clone)]
pub struct S3 {
    pub key: Span,
    pub bucket: Option<Sp<String>>,
    pub region: Option<Sp<String>>,
}

/// `raw.RepoCfg`: a repository's `atlantis.yaml`.
#[derive(Debug, Clone, Default)]
pub struct RepoCfg {
    /// The root mapping's span.
    pub span: Span,
    pub version: Option<Sp<i64>>,
    /// The `version` key, also when its value did not decode.
    pub version_key: Option<Span>,
    pub projects: Vec<Project>,
    pub workflows: Vec<Workflow>,
    pub workflows_key: Option<Span>,
    pub policies: Option<Span>,
    pub autodiscover: Option<AutoDiscover>,
    pub delete_source_branch_on_merge: Option<Sp<bool>>,
    pub repo_locks: Option<RepoLocks>,
    pub silence_pr_comments: Strings,
    pub allowed_regexp_prefixes: Strings,
}

/// `raw.Project`.
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub index: usize,
    pub span: Span,
    pub name: Option<Sp<String>>,
    pub branch: Option<Sp<String>>,
    pub dir: Option<Sp<String>>,
    pub workspace: Option<Sp<String>>,
    pub workflow: Option<Sp<String>>,
    pub terraform_distribution: Option<Sp<String>>,
    pub terraform_version: Option<Sp<String>>,
    pub when_modified: Strings,
    pub plan_requirements: Strings,
    pub apply_requirements: Strings,
    pub import_requirements: Strings,
    pub delete_source_branch_on_merge: Option<Sp<bool>>,
    pub repo_locking: Option<Sp<bool>>,
    pub repo_locks: Option<RepoLocks>,
    pub policy_check: Option<Sp<bool>>,
    pub custom_policy_check: Option<Sp<bool>>,
    pub silence_pr_comments: Strings,
}

pub const GLOBAL_KEYS: &[&str] = &[
    "repos",
    "workflows",
    "policies",
    "metrics",
    "team_authz",
    "external_stores",
];

pub const REPO_KEYS: &[&str] = &[
    "id",
    "branch",
    "repo_config_file",
    "plan_requirements",
    "apply_requirements",
    "import_requirements",
    "pre_workflow_hooks",
    "workflow",
    "post_workflow_hooks",
    "allowed_workflows",
    "allowed_overrides",
    "allow_custom_workflows",
    "delete_source_branch_on_merge",
    "repo_locking",
    "repo_locks",
    "policy_check",
    "custom_policy_check",
    "autodiscover",
    "silence_pr_comments",
];

const POLICIES_KEYS: &[&str] = &[
    "conftest_version",
    "owners",
    "policy_sets",
    "sticky_policy_approvals",
    "policy_item_regex",
    "approve_count",
];
const POLICY_SET_KEYS: &[&str] = &[
    "path",
    "source",
    "name",
    "owners",
    "approve_count",
    "sticky_policy_approvals",
    "policy_item_regex",
    "prevent_self_approve",
];
const OWNERS_KEYS: &[&str] = &["users", "teams"];

pub const REPO_CFG_KEYS: &[&str] = &[
    "version",
    "projects",
    "workflows",
    "policies",
    "autodiscover",
    "automerge",
    "parallel_apply",
    "parallel_plan",
    "delete_source_branch_on_merge",
    "emoji_reaction",
    "allowed_regexp_prefixes",
    "abort_on_execution_order_fail",
    "repo_locks",
    "silence_pr_comments",
];

pub const PROJECT_KEYS: &[&str] = &[
    "name",
    "branch",
    "dir",
    "workspace",
    "workflow",
    "terraform_distribution",
    "terraform_version",
    "autoplan",
    "plan_requirements",
    "apply_requirements",
    "import_requirements",
    "depends_on",
    "delete_source_branch_on_merge",
    "repo_locking",
    "repo_locks",
    "execution_order_group",
    "policy_check",
    "custom_policy_check",
    "silence_pr_comments",
];

/// Decodes `raw.GlobalCfg` from the root node.
pub fn global_cfg(v: &mut View, root: NodeId) -> GlobalCfg {
    let mut g = GlobalCfg::default();
    for e in v.entries(root, "raw.GlobalCfg", GLOBAL_KEYS) {
        match e.key {
            "repos" => {
                for (i, item) in v
                    .items(e.value, "[]raw.Repo", "GlobalCfg.repos")
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                {
                    g.repos.push(repo(v, item, i));
                }
            }
            "workflows" => g.workflows = workflows(v, e.value),
            "policies" => g.policies = Some(policies(v, e.value, e.key_span)),
            "metrics" => g.metrics = Some(metrics(v, e.value, e.key_span)),
            "team_authz" => {
                let mut t = TeamAuthz {
                    key: e.key_span,
                    command: None,
                };
                for f in v.entries(e.value, "raw.TeamAuthz", &["command", "args"]) {
                    match f.key {
                        "command" => t.command = v.string(f.value, f.key_span, "TeamAuthz.command"),
                        _ => {
                            v.strings(f.value, f.key_span, "TeamAuthz.args");
                        }
                    }
                }
                g.team_authz = Some(t);
            }
            _ => g.external_stores = Some(external_stores(v, e.value, e.key_span)),
        }
    }
    g
}

fn repo(v: &mut View, node: NodeId, index: usize) -> Repo {
    let mut r = Repo {
        index,
        span: v.span(node),
        decoded: v.is_null(node) || matches!(v.kind(node), crate::input::yaml::NodeKind::Map(_)),
        ..Repo::default()
    };
    for e in v.entries(node, "raw.Repo", REPO_KEYS) {
        let (n, k) = (e.value, e.key_span);
        let field = format!("Repo.repos.{}", e.key);
        match e.key {
            "id" => r.id = v.string(n, k, &field),
            "branch" => r.branch = v.string(n, k, &field),
            "repo_config_file" => r.repo_config_file = v.string(n, k, &field),
            "plan_requirements" => r.plan_requirements = v.strings(n, k, &field),
            "apply_requirements" => r.apply_requirements = v.strings(n, k, &field),
            "import_requirements" => r.import_requirements = v.strings(n, k, &field),
            "pre_workflow_hooks" => r.pre_workflow_hooks = hooks(v, n),
            "post_workflow_hooks" => r.post_workflow_hooks = hooks(v, n),
            "workflow" => r.workflow = v.opt_string(n, k, &field),
            "allowed_workflows" => r.allowed_workflows = v.strings(n, k, &field),
            "allowed_overrides" => r.allowed_overrides = v.strings(n, k, &field),
            "allow_custom_workflows" => r.allow_custom_workflows = v.bool(n, k, &field),
            "delete_source_branch_on_merge" => {
                r.delete_source_branch_on_merge = v.bool(n, k, &field)
            }
            "repo_locking" => r.repo_locking = v.bool(n, k, &field),
            "repo_locks" => r.repo_locks = repo_locks(v, n, k),
            "policy_check" => r.policy_check = v.bool(n, k, &field),
            "custom_policy_check" => r.custom_policy_check = v.bool(n, k, &field),
            "autodiscover" => r.autodiscover = autodiscover(v, n, k),
            _ => r.silence_pr_comments = v.strings(n, k, &field),
        }
    }
    r
}

fn repo_locks(v: &mut View, node: NodeId, key: Span) -> Option<RepoLocks> {
    if v.is_null(node) {
        return None;
    }
    let mut l = RepoLocks { key, mode: None };
    for e in v.entries(node, "raw.RepoLocks", &["mode"]) {
        l.mode = v.opt_string(e.value, e.key_span, "RepoLocks.mode");
    }
    Some(l)
}

fn autodiscover(v: &mut View, node: NodeId, key: Span) -> Option<AutoDiscover> {
    if v.is_null(node) {
        return None;
    }
    let mut a = AutoDiscover {
        key,
        mode: None,
        ignore_paths: None,
    };
    for e in v.entries(node, "raw.AutoDiscover", &["mode", "ignore_paths"]) {
        match e.key {
            "mode" => a.mode = v.opt_string(e.value, e.key_span, "AutoDiscover.mode"),
            _ => a.ignore_paths = v.strings(e.value, e.key_span, "AutoDiscover.ignore_paths"),
        }
    }
    Some(a)
}

fn hooks(v: &mut View, node: NodeId) -> Vec<Hook> {
    let mut out = Vec::new();
    for (index, item) in v
        .items(node, "[]raw.WorkflowHook", "Repo.repos.workflow_hooks")
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let mut h = Hook {
            index,
            span: v.span(item),
            decoded: true,
            entries: Vec::new(),
        };
        match v.kind(item) {
            crate::input::yaml::NodeKind::Map(pairs) => {
                for &(k, val) in pairs {
                    let key_span = v.span(k);
                    let key = v.string(k, key_span, "WorkflowHook");
                    let value = v.string(val, key_span, "WorkflowHook");
                    match (key, value) {
                        (Some(k), Some(val)) => h.entries.push((k, val)),
                        _ => h.decoded = false,
                    }
                }
            }
            _ if v.is_null(item) => {}
            _ => {
                v.type_error(item, "map[string]string", "WorkflowHook");
                h.decoded = false;
            }
        }
        out.push(h);
    }
    out
}

pub fn workflows(v: &mut View, node: NodeId) -> Vec<Workflow> {
    let mut out = Vec::new();
    let pairs = match v.kind(node) {
        crate::input::yaml::NodeKind::Map(pairs) => pairs.clone(),
        _ if v.is_null(node) => return out,
        _ => {
            v.type_error(node, "map[string]raw.Workflow", "GlobalCfg.workflows");
            return out;
        }
    };
    for (k, val) in pairs {
        let key_span = v.span(k);
        let Some(name) = v.string(k, key_span, "workflows") else {
            continue;
        };
        let name = Sp {
            key: name.span,
            ..name
        };
        let mut stages = Vec::new();
        for e in v.entries(val, "raw.Workflow", STAGES) {
            let stage_name = STAGES
                .iter()
                .copied()
                .find(|s| *s == e.key)
                .unwrap_or("plan");
            let mut steps_list = None;
            for s in v.entries(e.value, "raw.Stage", &["steps"]) {
                let span = v.span(s.value);
                steps_list = v
                    .items(s.value, "[]raw.Step", "Stage.steps")
                    .map(|items| Sp {
                        v: items
                            .into_iter()
                            .enumerate()
                            .map(|(i, n)| steps::decode(v, n, i))
                            .collect(),
                        span,
                        key: s.key_span,
                    });
            }
            stages.push(Stage {
                name: stage_name,
                key: e.key_span,
                steps: steps_list,
            });
        }
        out.push(Workflow { name, stages });
    }
    out
}

fn policies(v: &mut View, node: NodeId, key: Span) -> Policies {
    let mut p = Policies {
        key,
        conftest_version: None,
        policy_sets: None,
        policy_item_regex: None,
        approve_count: None,
    };
    for e in v.entries(node, "raw.PolicySets", POLICIES_KEYS) {
        let (n, k) = (e.value, e.key_span);
        match e.key {
            "conftest_version" => {
                p.conftest_version = v.opt_string(n, k, "PolicySets.conftest_version")
            }
            "owners" => owners(v, n),
            "policy_sets" => {
                let span = v.span(n);
                p.policy_sets =
                    v.items(n, "[]raw.PolicySet", "PolicySets.policy_sets")
                        .map(|items| Sp {
                            v: items
                                .into_iter()
                                .enumerate()
                                .map(|(i, item)| policy_set(v, item, i))
                                .collect(),
                            span,
                            key: k,
                        });
            }
            "sticky_policy_approvals" => {
                v.bool(n, k, "PolicySets.sticky_policy_approvals");
            }
            "policy_item_regex" => {
                p.policy_item_regex = v.opt_string(n, k, "PolicySets.policy_item_regex")
            }
            _ => p.approve_count = v.int(n, k, "PolicySets.approve_count"),
        }
    }
    p
}

fn owners(v: &mut View, node: NodeId) {
    for e in v.entries(node, "raw.PolicyOwners", OWNERS_KEYS) {
        v.strings(e.value, e.key_span, "PolicyOwners");
    }
}

fn policy_set(v: &mut View, node: NodeId, index: usize) -> PolicySet {
    let mut p = PolicySet {
        index,
        span: v.span(node),
        ..PolicySet::default()
    };
    for e in v.entries(node, "raw.PolicySet", POLICY_SET_KEYS) {
        let (n, k) = (e.value, e.key_span);
        match e.key {
            "path" => p.path = v.string(n, k, "PolicySet.path"),
            "source" => p.source = v.string(n, k, "PolicySet.source"),
            "name" => p.name = v.string(n, k, "PolicySet.name"),
            "owners" => owners(v, n),
            "approve_count" => {
                v.int(n, k, "PolicySet.approve_count");
            }
            "policy_item_regex" => {
                p.policy_item_regex = v.opt_string(n, k, "PolicySet.policy_item_regex")
            }
            _ => {
                v.bool(n, k, "PolicySet");
            }
        }
    }
    p
}

fn metrics(v: &mut View, node: NodeId, key: Span) -> Metrics {
    let mut m = Metrics {
        key,
        statsd: None,
        prometheus: None,
    };
    for e in v.entries(node, "raw.Metrics", &["statsd", "prometheus"]) {
        if v.is_null(e.value) {
            continue;
        }
        match e.key {
            "statsd" => {
                let mut s = Statsd {
                    key: e.key_span,
                    host: None,
                    port: None,
                };
                for f in v.entries(e.value, "raw.Statsd", &["port", "host"]) {
                    match f.key {
                        "port" => s.port = v.string(f.value, f.key_span, "Statsd.port"),
                        _ => s.host = v.string(f.value, f.key_span, "Statsd.host"),
                    }
                }
                m.statsd = Some(s);
            }
            _ => {
                let mut p = Prometheus {
                    key: e.key_span,
                    endpoint: None,
                };
                for f in v.entries(e.value, "raw.Prometheus", &["endpoint"]) {
                    p.endpoint = v.string(f.value, f.key_span, "Prometheus.endpoint");
                }
                m.prometheus = Some(p);
            }
        }
    }
    m
}

fn external_stores(v: &mut View, node: NodeId, key: Span) -> ExternalStores {
    let mut x = ExternalStores {
        key,
        plan_store_type: None,
        plan_store: None,
        s3: None,
    };
    for e in v.entries(node, "raw.ExternalStores", &["plan_store"]) {
        x.plan_store = Some(e.key_span);
        for f in v.entries(e.value, "raw.PlanStoreConfig", &["type", "s3"]) {
            match f.key {
                "type" => x.plan_store_type = v.string(f.value, f.key_span, "PlanStoreConfig.type"),
                _ => {
                    let mut s3 = S3 {
                        key: f.key_span,
                        bucket: None,
                        region: None,
                    };
                    for g in v.entries(
                        f.value,
                        "raw.S3StoreConfig",
                        &[
                            "bucket",
                            "region",
                            "prefix",
                            "endpoint",
                            "force_path_style",
                            "profile",
                        ],
                    ) {
                        match g.key {
                            "bucket" => {
                                s3.bucket = v.string(g.value, g.key_span, "S3StoreConfig.bucket")
                            }
                            "region" => {
                                s3.region = v.string(g.value, g.key_span, "S3StoreConfig.region")
                            }
                            "force_path_style" => {
                                v.bool(g.value, g.key_span, "S3StoreConfig.force_path_style");
                            }
                            _ => {
                                v.string(g.value, g.key_span, "S3StoreConfig");
                            }
                        }
                    }
                    x.s3 = Some(s3);
                }
            }
        }
    }
    x
}

/// Decodes `raw.RepoCfg` from the root node.
pub fn repo_cfg(v: &mut View, root: NodeId) -> RepoCfg {
    let mut r = RepoCfg {
        span: v.span(root),
        ..RepoCfg::default()
    };
    for e in v.entries(root, "raw.RepoCfg", REPO_CFG_KEYS) {
        let (n, k) = (e.value, e.key_span);
        match e.key {
            "version" => {
                r.version_key = Some(k);
                r.version = v.int(n, k, "RepoCfg.version");
            }
            "projects" => {
                for (i, item) in v
                    .items(n, "[]raw.Project", "RepoCfg.projects")
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                {
                    r.projects.push(project(v, item, i));
                }
            }
            "workflows" => {
                r.workflows_key = Some(k);
                r.workflows = workflows(v, n);
            }
            "policies" => {
                policies(v, n, k);
                r.policies = Some(k);
            }
            "autodiscover" => r.autodiscover = autodiscover(v, n, k),
            "delete_source_branch_on_merge" => {
                r.delete_source_branch_on_merge =
                    v.bool(n, k, "RepoCfg.delete_source_branch_on_merge")
            }
            "emoji_reaction" => {
                v.opt_string(n, k, "RepoCfg.emoji_reaction");
            }
            "allowed_regexp_prefixes" => {
                r.allowed_regexp_prefixes = v.strings(n, k, "RepoCfg.allowed_regexp_prefixes")
            }
            "repo_locks" => r.repo_locks = repo_locks(v, n, k),
            "silence_pr_comments" => {
                r.silence_pr_comments = v.strings(n, k, "RepoCfg.silence_pr_comments")
            }
            _ => {
                v.bool(n, k, "RepoCfg");
            }
        }
    }
    r
}

fn project(v: &mut View, node: NodeId, index: usize) -> Project {
    let mut p = Project {
        index,
        span: v.span(node),
        ..Project::default()
    };
    for e in v.entries(node, "raw.Project", PROJECT_KEYS) {
        let (n, k) = (e.value, e.key_span);
        let field = format!("Project.projects.{}", e.key);
        match e.key {
            "name" => p.name = v.opt_string(n, k, &field),
            "branch" => p.branch = v.opt_string(n, k, &field),
            "dir" => p.dir = v.opt_string(n, k, &field),
            "workspace" => p.workspace = v.opt_string(n, k, &field),
            "workflow" => p.workflow = v.opt_string(n, k, &field),
            "terraform_distribution" => p.terraform_distribution = v.opt_string(n, k, &field),
            "terraform_version" => p.terraform_version = v.opt_string(n, k, &field),
            "autoplan" => {
                for a in v.entries(n, "raw.Autoplan", &["when_modified", "enabled"]) {
                    match a.key {
                        "when_modified" => {
                            p.when_modified =
                                v.strings(a.value, a.key_span, "Autoplan.when_modified")
                        }
                        _ => {
                            v.bool(a.value, a.key_span, "Autoplan.enabled");
                        }
                    }
                }
            }
            "plan_requirements" => p.plan_requirements = v.strings(n, k, &field),
            "apply_requirements" => p.apply_requirements = v.strings(n, k, &field),
            "import_requirements" => p.import_requirements = v.strings(n, k, &field),
            "depends_on" => {
                v.strings(n, k, &field);
            }
            "delete_source_branch_on_merge" => {
                p.delete_source_branch_on_merge = v.bool(n, k, &field)
            }
            "repo_locking" => p.repo_locking = v.bool(n, k, &field),
            "repo_locks" => p.repo_locks = repo_locks(v, n, k),
            "execution_order_group" => {
                v.int(n, k, &field);
            }
            "policy_check" => p.policy_check = v.bool(n, k, &field),
            "custom_policy_check" => p.custom_policy_check = v.bool(n, k, &field),
            _ => p.silence_pr_comments = v.strings(n, k, &field),
        }
    }
    p
}

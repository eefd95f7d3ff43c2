//! The rules over Atlantis's two other documents: the server-side repo config (`repo-config-*`)
//! and a repository's `atlantis.yaml` (`repo-yaml-*`). They share [`RuleInfo`] with the server
//! rules (so `rules`, `explain`, the docs and suppressions list them all), but check a
//! [`Document`] instead of an effective configuration: a second registry, [`ALL`].

use crate::config::Location;
use crate::finding::{Finding, RuleInfo};
use crate::repo_config::decode::Sp;
use crate::repo_config::{Document, Kind, ServerContext};
use crate::source::Span;

mod repo_config_allowed_overrides;
mod repo_config_allowlist;
mod repo_config_autodiscover;
mod repo_config_branch;
mod repo_config_external_stores;
mod repo_config_hook;
mod repo_config_id_glob;
mod repo_config_invalid_type;
mod repo_config_metrics;
mod repo_config_policies;
mod repo_config_repo_config_file;
mod repo_config_repo_id;
mod repo_config_repo_locks;
mod repo_config_requirements;
mod repo_config_silence_pr_comments;
mod repo_config_step_shape;
mod repo_config_syntax;
mod repo_config_undefined_workflow;
mod repo_config_unknown_key;
mod repo_config_workflow_step;
mod repo_yaml_file_name;
mod repo_yaml_ignored_setting;
mod repo_yaml_invalid_type;
mod repo_yaml_invalid_value;
mod repo_yaml_not_allowed;
mod repo_yaml_project;
mod repo_yaml_syntax;
mod repo_yaml_unknown_key;
mod repo_yaml_version;
mod repo_yaml_workflow_step;

/// What a document rule sees.
pub struct DocContext<'a> {
    pub doc: &'a Document,
    /// The server configuration the repo config belongs to, when the run has one.
    pub server: Option<&'a ServerContext>,
    /// For a repo-level `atlantis.yaml`: the server-side repo config it is held against.
    pub repo_config: Option<&'a Document>,
    /// For a repo-level `atlantis.yaml`: the repository's id (`host/owner/name`), when known.
    pub repo_id: Option<&'a str>,
}

impl DocContext<'_> {
    pub fn at(&self, span: Span) -> Location {
        self.doc.at(span)
    }

    /// Atlantis's error as it prints it for this document (the server's startup error, or the
    /// pull-request comment for a repo file).
    pub fn refused(&self, _atlantis: &str) -> String {
        match (self.doc.kind, self.doc.json) {
            (Kind::RepoConfig, true) => "Atlantis refuses to start with this error (after `initializing server: parsing --repo-config-json: `)".to_string(),
            (Kind::RepoConfig, false) => format!(
                "Atlantis refuses to start with this error (after `initializing server: parsing {} file: `)",
                self.doc.name
            ),
            (Kind::RepoYaml, _) => {
                "Atlantis rejects the file with this error on every pull request".to_string()
            }
        }
    }

    pub fn global(&self) -> Option<&crate::repo_config::model::GlobalCfg> {
        self.doc.global.as_ref()
    }

    pub fn repo_cfg(&self) -> Option<&crate::repo_config::model::RepoCfg> {
        self.doc.repo.as_ref()
    }
}

pub type DocCheck = fn(&DocContext, &mut Vec<Finding>);

/// Every document rule, in documentation order: the startup validations, the repo config's
/// other mistakes, then the repo-level file's.
pub static ALL: &[(&RuleInfo, DocCheck)] = &[
    (&repo_config_syntax::RULE, repo_config_syntax::check),
    (
        &repo_config_unknown_key::RULE,
        repo_config_unknown_key::check,
    ),
    (
        &repo_config_invalid_type::RULE,
        repo_config_invalid_type::check,
    ),
    (&repo_config_repo_id::RULE, repo_config_repo_id::check),
    (&repo_config_branch::RULE, repo_config_branch::check),
    (
        &repo_config_repo_config_file::RULE,
        repo_config_repo_config_file::check,
    ),
    (
        &repo_config_allowed_overrides::RULE,
        repo_config_allowed_overrides::check,
    ),
    (
        &repo_config_requirements::RULE,
        repo_config_requirements::check,
    ),
    (
        &repo_config_autodiscover::RULE,
        repo_config_autodiscover::check,
    ),
    (&repo_config_repo_locks::RULE, repo_config_repo_locks::check),
    (
        &repo_config_workflow_step::RULE,
        repo_config_workflow_step::check,
    ),
    (&repo_config_metrics::RULE, repo_config_metrics::check),
    (
        &repo_config_external_stores::RULE,
        repo_config_external_stores::check,
    ),
    (
        &repo_config_undefined_workflow::RULE,
        repo_config_undefined_workflow::check,
    ),
    (
        &repo_config_silence_pr_comments::RULE,
        repo_config_silence_pr_comments::check,
    ),
    (&repo_config_id_glob::RULE, repo_config_id_glob::check),
    (&repo_config_step_shape::RULE, repo_config_step_shape::check),
    (&repo_config_hook::RULE, repo_config_hook::check),
    (&repo_config_policies::RULE, repo_config_policies::check),
    (
        &repo_config_allowlist::UNMATCHABLE,
        repo_config_allowlist::check_regex,
    ),
    (
        &repo_config_allowlist::NOT_ALLOWLISTED,
        repo_config_allowlist::check_exact,
    ),
    (&repo_yaml_syntax::RULE, repo_yaml_syntax::check),
    (&repo_yaml_unknown_key::RULE, repo_yaml_unknown_key::check),
    (&repo_yaml_invalid_type::RULE, repo_yaml_invalid_type::check),
    (&repo_yaml_file_name::RULE, repo_yaml_file_name::check),
    (&repo_yaml_version::RULE, repo_yaml_version::check),
    (&repo_yaml_project::RULE, repo_yaml_project::check),
    (
        &repo_yaml_invalid_value::RULE,
        repo_yaml_invalid_value::check,
    ),
    (
        &repo_yaml_workflow_step::RULE,
        repo_yaml_workflow_step::check,
    ),
    (&repo_yaml_not_allowed::RULE, repo_yaml_not_allowed::check),
    (
        &repo_yaml_ignored_setting::RULE,
        repo_yaml_ignored_setting::check,
    ),
];

/// Runs every document rule over one document.
pub fn run(ctx: &DocContext) -> Vec<Finding> {
    let mut out = Vec::new();
    for (info, check) in ALL {
        let own = match ctx.doc.kind {
            Kind::RepoConfig => info.id.starts_with("repo-config-"),
            Kind::RepoYaml => info.id.starts_with("repo-yaml-"),
        };
        if own {
            check(ctx, &mut out);
        }
    }
    out
}

// ---- Shared checks (both documents hold the same shapes) ----

pub use repo_config_allowed_overrides::OVERRIDES;

pub const REQUIREMENTS: &[&str] = &["approved", "mergeable", "undiverged"];
pub const SILENCE: &[&str] = &["plan", "apply"];

/// The first value of a requirements list outside approved/mergeable/undiverged (R8-R10),
/// with Atlantis's message (`"x" is not a valid apply_requirement, only ...`).
pub fn bad_requirement(
    key: &str,
    list: &Option<Sp<Vec<Sp<String>>>>,
) -> Option<(Sp<String>, String)> {
    let list = list.as_ref()?;
    let singular = key.trim_end_matches('s');
    list.v.iter().find(|r| !REQUIREMENTS.contains(&r.v.as_str())).map(|r| {
        (
            r.clone(),
            format!(
                "{:?} is not a valid {singular}, only \"approved\", \"mergeable\" and \"undiverged\" are supported",
                r.v
            ),
        )
    })
}

/// The closest allowed value, for "did you mean".
pub fn closest(value: &str, allowed: &[&'static str]) -> Option<&'static str> {
    crate::repo_config::decode::suggest(value, allowed)
}

/// A value for a message: short ones as they are, long ones cut.
pub fn shown(s: &str) -> String {
    crate::repo_config::steps::short(s)
}

/// The steps problems of a workflow list, each with Atlantis's message and its ozzo path.
pub fn step_findings(
    ctx: &DocContext,
    rule: &'static RuleInfo,
    workflows: &[crate::repo_config::model::Workflow],
    out: &mut Vec<Finding>,
) {
    for w in workflows {
        for stage in &w.stages {
            let Some(steps) = &stage.steps else { continue };
            for step in &steps.v {
                let idx = step.index.to_string();
                let path = [
                    "workflows",
                    w.name.v.as_str(),
                    stage.name,
                    "steps",
                    idx.as_str(),
                ];
                if let Some(p) = &step.error {
                    let whole = p.later.as_ref().is_some_and(|l| l.whole);
                    let atlantis = if whole {
                        p.message.clone()
                    } else {
                        crate::repo_config::ozzo(&path, &p.message)
                    };
                    let mut f = match &p.later {
                        // The release checked predates the step's shape (as for keys).
                        Some(l) => Finding::new(
                            rule,
                            ctx.at(p.span),
                            format!(
                                "{} is not in Atlantis {}: it was added in {}. {atlantis}",
                                l.what, ctx.doc.release, l.since
                            ),
                        )
                        .label(format!("added in {}", l.since))
                        .help(format!(
                            "upgrade Atlantis to {} or later, or {}. {}",
                            l.since,
                            p.help.as_deref().unwrap_or("remove it"),
                            ctx.refused(&atlantis)
                        )),
                        None => Finding::new(rule, ctx.at(p.span), atlantis.clone())
                            .label("not a valid step")
                            .help(match &p.help {
                                Some(h) => format!("{h}. {}", ctx.refused(&atlantis)),
                                None => ctx.refused(&atlantis),
                            }),
                    };
                    if p.message.starts_with("cannot construct") {
                        f.label = Some("not a step".into());
                    }
                    out.push(f);
                }
                if let Some(p) = &step.ignored {
                    let since = p.later.as_ref().map(|l| l.since);
                    let mut f = Finding::new(rule, ctx.at(p.span), p.message.clone())
                        .severity(crate::finding::Severity::Warning)
                        .label(match since {
                            Some(s) => format!("ignored before {s}"),
                            None => "ignored".into(),
                        });
                    if let Some(h) = &p.help {
                        f = f.help(h.clone());
                    }
                    out.push(f);
                }
                if let Some(p) = &step.panics {
                    out.push(
                        Finding::new(rule, ctx.at(p.span), p.message.clone())
                            .label("does not compile")
                            .help(p.help.clone().unwrap_or_default()),
                    );
                }
            }
        }
    }
}

/// Unknown keys (P4), for both documents: an error in YAML, a warning in JSON (dropped). A key
/// of a later release than the one checked is unknown to it, and the message says which release
/// added it.
pub fn unknown_key_findings(ctx: &DocContext, rule: &'static RuleInfo, out: &mut Vec<Finding>) {
    use crate::repo_config::decode::IssueKind;
    let release = ctx.doc.release;
    for issue in &ctx.doc.issues {
        let (key, type_name, suggestion, since) = match &issue.kind {
            IssueKind::UnknownKey {
                key,
                type_name,
                suggestion,
            } => (key, *type_name, *suggestion, None),
            IssueKind::NotInRelease {
                key,
                type_name,
                since,
            } => (key, *type_name, None, Some(*since)),
            _ => continue,
        };
        let why = match since {
            Some(since) => format!(" (`{key}` was added in Atlantis {since}; this is {release})"),
            None => since_hint(key, release),
        };
        let mut f = if ctx.doc.json {
            let message = match since {
                Some(since) => format!(
                    "`{}` is not in Atlantis {release}: it was added in {since}; --repo-config-json drops it without a word",
                    shown(key)
                ),
                None => format!(
                    "`{}` is not a field of {type_name}: --repo-config-json drops it without a word",
                    shown(key)
                ),
            };
            Finding::new(rule, ctx.at(issue.span), message)
                .severity(crate::finding::Severity::Warning)
                .label(match since {
                    Some(since) => format!("ignored before {since}"),
                    None => "ignored".into(),
                })
                .help(match (suggestion, since) {
                    (_, Some(since)) => format!(
                        "upgrade Atlantis to {since} or later, or remove it: Atlantis's JSON decoder ignores keys it does not know, so this setting has no effect"
                    ),
                    (Some(s), None) => format!("did you mean `{s}`? Atlantis's JSON decoder ignores unknown keys, so this setting has no effect{why}"),
                    (None, None) => format!("remove it: Atlantis's JSON decoder ignores unknown keys, so this setting has no effect{why}"),
                })
        } else {
            let atlantis = unknown_field_error(release, issue, key, type_name);
            let message = match since {
                Some(since) => format!(
                    "`{key}` is not in Atlantis {release}: it was added in {since}. {atlantis}"
                ),
                None => atlantis.clone(),
            };
            Finding::new(rule, ctx.at(issue.span), message)
                .label(match since {
                    Some(since) => format!("added in {since}"),
                    None => "unknown key".into(),
                })
                .help(match (suggestion, since) {
                    (_, Some(since)) => format!(
                        "upgrade Atlantis to {since} or later, or remove the key. {}",
                        ctx.refused(&atlantis)
                    ),
                    (Some(s), None) => {
                        format!("did you mean `{s}`?{why} {}", ctx.refused(&atlantis))
                    }
                    (None, None) => format!(
                        "remove the key or fix its indentation{why}. {}",
                        ctx.refused(&atlantis)
                    ),
                })
        };
        if let Some(s) = suggestion {
            f = f.suggestion(s);
        }
        out.push(f);
    }
}

/// The YAML decoder's unknown-field error as `release` words it (repo-config.md, P4): yaml.v2
/// and yaml.v3 up to v0.44.x (`yaml: unmarshal errors:` and, on the next line, `line N: ...`,
/// joined here), goccy/go-yaml in v0.35.0 only, go.yaml.in/yaml/v4 from v0.45.0.
fn unknown_field_error(
    release: crate::version::Version,
    issue: &crate::repo_config::decode::Issue,
    key: &str,
    type_name: &str,
) -> String {
    use crate::version::Version;
    let line = issue.line;
    if release >= Version::new(0, 45, 0) {
        format!("yaml: construct errors: line {line}: field {key} not found in type {type_name}")
    } else if release == Version::new(0, 35, 0) {
        format!("[{line}:{}] unknown field \"{key}\"", issue.column)
    } else {
        format!("yaml: unmarshal errors: line {line}: field {key} not found in type {type_name}")
    }
}

/// For a key unknown where it is: the release that added it elsewhere, when that is later than
/// the one checked (`data/repo-config-keys.json`). A key every release since then knows is just
/// misplaced, and no release number helps.
fn since_hint(key: &str, release: crate::version::Version) -> String {
    match crate::repo_keys::added_in(key) {
        Some(v) if v > release => format!(" (`{key}` needs Atlantis {v} or later)"),
        _ => String::new(),
    }
}

/// Values of the wrong type (P5) and undecodable roots, for both documents.
pub fn invalid_type_findings(ctx: &DocContext, rule: &'static RuleInfo, out: &mut Vec<Finding>) {
    use crate::repo_config::decode::IssueKind;
    for issue in &ctx.doc.issues {
        let IssueKind::InvalidType { message } = &issue.kind else {
            continue;
        };
        let atlantis = if ctx.doc.json {
            message.clone()
        } else {
            format!("yaml: construct errors: line {}: {message}", issue.line)
        };
        out.push(
            Finding::new(rule, ctx.at(issue.span), atlantis.clone())
                .label("wrong type")
                .help(format!("{} {}", type_fix(message), ctx.refused(&atlantis))),
        );
    }
}

fn type_fix(message: &str) -> &'static str {
    if message.contains("[]string") {
        "write a list: `[a, b]` or one `- item` per line."
    } else if message.contains("into bool") || message.contains("type bool") {
        "write true or false."
    } else if message.contains("into int") || message.contains("type int") {
        "write a whole number, unquoted."
    } else if message.contains("into string") || message.contains("type string") {
        "write one string (quote it if it looks like something else)."
    } else {
        "check the indentation and the shape of this value."
    }
}

/// Syntax errors, empty files and duplicate keys, for both documents.
pub fn syntax_findings(ctx: &DocContext, rule: &'static RuleInfo, out: &mut Vec<Finding>) {
    use crate::repo_config::decode::IssueKind;
    let doc = ctx.doc;
    if doc.empty && doc.kind == Kind::RepoConfig && !doc.json {
        let atlantis = format!("file {} was empty", doc.name);
        out.push(
            Finding::new(rule, Location::None, atlantis.clone())
                .help(format!("write the repo config, or remove --repo-config. Atlantis refuses to start: parsing {} file: {atlantis}", doc.name)),
        );
    }
    if let Some(u) = &doc.unreadable {
        out.push(
            Finding::new(
                rule,
                ctx.at(u.span),
                format!("the file does not parse as YAML: {}", u.message),
            )
            .label("syntax error here")
            .help(ctx.refused("go-yaml load error (a YAML syntax error)")),
        );
    }
    for issue in &doc.issues {
        let IssueKind::DuplicateKey {
            key,
            first,
            first_line,
        } = &issue.kind
        else {
            continue;
        };
        let atlantis = format!(
            "yaml: construct errors: line {}: mapping key {key:?} already defined at line {first_line}",
            issue.line
        );
        out.push(
            Finding::new(rule, ctx.at(issue.span), atlantis.clone())
                .label("defined again here")
                .related(ctx.at(*first), "first defined here")
                .help(format!("keep one of the two. {}", ctx.refused(&atlantis))),
        );
    }
}

/// hashicorp/go-version's `NewVersion` error, as the version Atlantis pins words it
/// (`malformed version: x`).
pub fn go_version(v: &str) -> Result<(), String> {
    crate::rules::invalid_value::go_version(v).map_err(|e| {
        let mut c = e.chars();
        c.next()
            .map(|f| f.to_lowercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    })
}

/// What the server-side repo config decides for one repository (`getMatchingCfg` and
/// `ValidateRepoCfg`): for each key, the last matching entry that sets it wins, after the
/// built-in default entry (`id: /.*/`, nothing allowed).
#[derive(Debug, Default)]
pub struct Matched {
    pub allowed_overrides: Vec<String>,
    /// The entry that set `allowed_overrides` (index, id), `None` for the default.
    pub overrides_from: Option<(usize, String)>,
    pub allowed_workflows: Vec<String>,
    pub allow_custom_workflows: bool,
    pub custom_from: Option<(usize, String)>,
    pub autodiscover_set: bool,
    /// The server's workflow names (`default` always exists).
    pub workflows: Vec<String>,
    /// How the repository was identified, for messages.
    pub subject: String,
}

/// The server's decision for the repository `repo_id`; without an id, only the entries that
/// apply to every repository (`/.*/`) are taken.
pub fn matched(global: &crate::repo_config::model::GlobalCfg, repo_id: Option<&str>) -> Matched {
    use crate::repo_config::{goregex, matching};
    let mut m = Matched {
        workflows: std::iter::once("default".to_string())
            .chain(global.workflows.iter().map(|w| w.name.v.clone()))
            .collect(),
        subject: match repo_id {
            Some(id) => format!("repository {id}"),
            None => "every repository (no --repo-id given, and no Git remote found: only the entries that match all repositories were taken)".into(),
        },
        ..Matched::default()
    };
    for r in &global.repos {
        let Some(id) = &r.id else { continue };
        let applies = match (r.regex_id(), repo_id) {
            (Some(re), Some(rid)) if re.v.len() >= 2 => {
                goregex::compile(&re.v[1..re.v.len() - 1]).is_some_and(|x| x.is_match(rid))
            }
            (Some(re), None) if re.v.len() >= 2 => {
                matching::regex_matches_everything(&re.v[1..re.v.len() - 1])
            }
            (None, Some(rid)) => id.v == rid,
            _ => false,
        };
        if !applies {
            continue;
        }
        if let Some(o) = &r.allowed_overrides {
            m.allowed_overrides = o.v.iter().map(|s| s.v.clone()).collect();
            m.overrides_from = Some((r.index, id.v.clone()));
        }
        if let Some(w) = &r.allowed_workflows {
            m.allowed_workflows = w.v.iter().map(|s| s.v.clone()).collect();
        }
        if let Some(c) = &r.allow_custom_workflows {
            m.allow_custom_workflows = c.v;
            m.custom_from = Some((r.index, id.v.clone()));
        }
        if r.autodiscover.is_some() {
            m.autodiscover_set = true;
        }
    }
    m
}

/// The server config and repository an `atlantis.yaml` is held against, when the run has one.
pub fn server_side<'a>(ctx: &'a DocContext) -> Option<(&'a Document, Matched)> {
    let server = ctx.repo_config?;
    let global = server.global.as_ref()?;
    Some((server, matched(global, ctx.repo_id)))
}

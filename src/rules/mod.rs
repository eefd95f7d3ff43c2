//! The rules. One rule (or one small family for one host) per file, its id, severity, summary
//! and documentation beside its check. Adding a rule means adding a file and a line in [`ALL`].

use crate::config::EffectiveConfig;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::version::Version;

mod allow_commands;
mod ambiguous_scalar;
mod atlantis_version;
mod autoplan_file_list_pattern;
mod azuredevops_webhook_auth;
mod bitbucket;
mod bool_flag_value;
/// Facts of docker-compose files (`compose-...`).
mod compose_file;
mod conflicting_credentials;
/// Shared facts about credential values (not a rule).
mod credential_values;
mod default_web_credentials;
mod deprecated_key;
mod drift_remediation;
mod duplicate_key;
mod env_file_syntax;
mod external_stores;
mod file_not_found;
mod file_permissions;
mod flag_not_in_version;
pub mod git_hosts;
pub mod github_app;
mod github_app_key_invalid;
mod github_app_write_git_creds;
/// Facts of Helm values files for the official chart (`helm-...`).
mod helm_values;
mod hostname_format;
mod incomplete_credentials;
mod ineffective_setting;
mod insecure_url;
mod invalid_type;
mod invalid_value;
/// Facts of Kubernetes manifests (`k8s-...`).
mod k8s_manifest;
mod k8s_service_link;
mod language_config_file;
mod log_level_case;
mod missing_webhook_secret;
mod no_vcs_credentials;
pub mod online;
mod placeholder_value;
mod plaintext_secret;
mod quoted_value;
mod redis_cluster_conflict;
mod removed_key;
pub mod repo;
mod repo_allowlist_entry;
mod repo_allowlist_host;
mod repo_allowlist_missing;
mod repo_allowlist_scheme;
mod repo_config_conflict;
mod secret_on_command_line;
mod secret_whitespace;
mod ssl_pair;
pub mod suppression;
mod team_allowlist_format;
/// Facts of Terraform files and ECS task definitions (`terraform-...`, `ecs-...`).
mod terraform;
mod tfe_token_missing;
mod token_format;
mod unexpanded_variable;
mod unknown_key;
mod unsupported_config_file;
mod unused_credential;
mod url_scheme;
mod user_format;
mod weak_secret;
mod webhook_http_headers;
mod webhooks;
mod whitelist_and_allowlist;
mod write_git_creds_host;
mod yaml_syntax;

/// The finding for a setting written twice in one source where the later one silently wins;
/// readers of other deployment forms (compose, Helm, manifests) report their duplicates with it.
pub use duplicate_key::set_twice;

/// Settings that change what some rules can check.
#[derive(Debug, Clone)]
pub struct Options {
    /// The linter runs where the server runs: files the config names are checked.
    pub check_files: bool,
    /// Today's date (year, month, day), for dated facts such as retired credential types.
    pub today: (i32, u32, u32),
    /// Where a rule that reads a secret from a file (`gh-token-file`) registers it, so that the
    /// report redacts it wherever it shows up.
    pub secrets: crate::secret::KnownSecrets,
    /// `--atlantis-version`: the release to check against (else the deployment's image tag,
    /// else the latest known).
    pub atlantis_version: Option<Version>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            check_files: false,
            today: crate::date::today(),
            secrets: Default::default(),
            atlantis_version: None,
        }
    }
}

/// What a rule sees.
pub struct Context<'a> {
    pub cfg: &'a EffectiveConfig,
    pub options: &'a Options,
}

pub type Check = fn(&Context, &mut Vec<Finding>);

/// Every offline rule, in documentation order.
pub static ALL: &[(&RuleInfo, Check)] = &[
    (&yaml_syntax::RULE, yaml_syntax::check),
    (&duplicate_key::RULE, duplicate_key::check),
    (&env_file_syntax::RULE, env_file_syntax::check),
    (&unknown_key::RULE, unknown_key::check),
    (&atlantis_version::RULE, atlantis_version::check),
    (&removed_key::RULE, removed_key::check),
    (&flag_not_in_version::RULE, flag_not_in_version::check),
    (&deprecated_key::RULE, deprecated_key::check),
    (&invalid_type::RULE, invalid_type::check),
    (
        &unsupported_config_file::RULE,
        unsupported_config_file::check,
    ),
    (&no_vcs_credentials::RULE, no_vcs_credentials::check),
    (&incomplete_credentials::RULE, incomplete_credentials::check),
    (
        &conflicting_credentials::RULE,
        conflicting_credentials::check,
    ),
    (&repo_allowlist_missing::RULE, repo_allowlist_missing::check),
    (
        &whitelist_and_allowlist::RULE,
        whitelist_and_allowlist::check,
    ),
    (&repo_allowlist_scheme::RULE, repo_allowlist_scheme::check),
    (&url_scheme::RULE, url_scheme::check),
    (&invalid_value::RULE, invalid_value::check),
    (&language_config_file::RULE, language_config_file::check),
    (&ssl_pair::RULE, ssl_pair::check),
    (&repo_config_conflict::RULE, repo_config_conflict::check),
    (&tfe_token_missing::RULE, tfe_token_missing::check),
    (&redis_cluster_conflict::RULE, redis_cluster_conflict::check),
    (
        &autoplan_file_list_pattern::RULE,
        autoplan_file_list_pattern::check,
    ),
    (&allow_commands::RULE, allow_commands::check),
    (&webhook_http_headers::RULE, webhook_http_headers::check),
    (
        &github_app_write_git_creds::RULE,
        github_app_write_git_creds::check,
    ),
    (&drift_remediation::RULE, drift_remediation::check),
    (&external_stores::RULE, external_stores::check),
    (&webhooks::RULE, webhooks::check),
    (&missing_webhook_secret::RULE, missing_webhook_secret::check),
    (&token_format::RULE, token_format::check),
    (&placeholder_value::RULE, placeholder_value::check),
    (&weak_secret::RULE, weak_secret::check),
    (&unexpanded_variable::RULE, unexpanded_variable::check),
    (&secret_whitespace::RULE, secret_whitespace::check),
    (&quoted_value::RULE, quoted_value::check),
    (&ambiguous_scalar::RULE, ambiguous_scalar::check),
    (&github_app_key_invalid::RULE, github_app_key_invalid::check),
    (&github_app::USER_AND_APP, github_app::check_user_and_app),
    (&unused_credential::RULE, unused_credential::check),
    (&ineffective_setting::RULE, ineffective_setting::check),
    (&bitbucket::CLOUD_BASE_URL, bitbucket::check_cloud_base_url),
    (&bitbucket::APP_PASSWORD, bitbucket::check_app_password),
    (&bitbucket::API_USER, bitbucket::check_api_user),
    (
        &bitbucket::CLOUD_WEBHOOK_SECRET,
        bitbucket::check_cloud_webhook_secret,
    ),
    (&user_format::RULE, user_format::check),
    (&hostname_format::RULE, hostname_format::check),
    (&insecure_url::RULE, insecure_url::check),
    (&write_git_creds_host::RULE, write_git_creds_host::check),
    (&repo_allowlist_entry::RULE, repo_allowlist_entry::check),
    (&repo_allowlist_host::RULE, repo_allowlist_host::check),
    (&team_allowlist_format::RULE, team_allowlist_format::check),
    (
        &azuredevops_webhook_auth::RULE,
        azuredevops_webhook_auth::check,
    ),
    (&plaintext_secret::RULE, plaintext_secret::check),
    (&secret_on_command_line::RULE, secret_on_command_line::check),
    (&bool_flag_value::RULE, bool_flag_value::check),
    (&log_level_case::RULE, log_level_case::check),
    (&k8s_service_link::RULE, k8s_service_link::check),
    (
        &k8s_manifest::DUPLICATE_ENV,
        k8s_manifest::check_duplicate_env,
    ),
    (&k8s_manifest::MISSING_KEY, k8s_manifest::check_missing_key),
    (&k8s_manifest::ENV_NAME, k8s_manifest::check_env_name),
    (
        &k8s_manifest::UNRESOLVED_REFERENCE,
        k8s_manifest::check_unresolved_reference,
    ),
    (&k8s_manifest::SECRET_DATA, k8s_manifest::check_secret_data),
    (
        &helm_values::SHADOWED_SETTING,
        helm_values::check_shadowed_setting,
    ),
    (
        &helm_values::NUMBER_NOTATION,
        helm_values::check_number_notation,
    ),
    (&helm_values::ATLANTIS_URL, helm_values::check_atlantis_url),
    (
        &helm_values::GITHUB_AND_APP,
        helm_values::check_github_and_app,
    ),
    (
        &helm_values::VCS_SECRET_KEYS,
        helm_values::check_vcs_secret_keys,
    ),
    (
        &helm_values::CHART_VERSION,
        helm_values::check_chart_version,
    ),
    (
        &helm_values::UNKNOWN_VALUE,
        helm_values::check_unknown_value,
    ),
    (
        &helm_values::REQUIRED_VALUE,
        helm_values::check_required_value,
    ),
    (
        &helm_values::UNQUOTED_VALUE,
        helm_values::check_unquoted_value,
    ),
    (&helm_values::VALUE_TYPE, helm_values::check_value_type),
    (&terraform::DUPLICATE_ENV, terraform::check_duplicate_env),
    (
        &terraform::MODULE_INJECTED,
        terraform::check_module_injected,
    ),
    (&terraform::VALUES_FILE, terraform::check_values_file),
    (&terraform::ENV_AND_SECRET, terraform::check_env_and_secret),
    (
        &compose_file::DUPLICATE_ENV,
        compose_file::check_duplicate_env,
    ),
    (&compose_file::ENV_FILE, compose_file::check_env_file),
    (&compose_file::ENV_ENTRY, compose_file::check_env_entry),
    (
        &compose_file::INTERPOLATION,
        compose_file::check_interpolation,
    ),
    (&compose_file::COMMAND, compose_file::check_command),
    (
        &compose_file::CONFIG_VARIABLE,
        compose_file::check_config_variable,
    ),
    (
        &default_web_credentials::RULE,
        default_web_credentials::check,
    ),
    (&file_not_found::RULE, file_not_found::check),
    (&file_permissions::RULE, file_permissions::check),
    // Reported by the suppression stage (`crate::suppress`); listed for `rules` and `explain`.
    (&suppression::WITHOUT_REASON, suppression::check),
    (&suppression::UNUSED, suppression::check),
    // Reported by the online probe (`crate::online`); listed for `rules` and `explain`.
    (&online::REJECTED, online::check),
    (&online::INSUFFICIENT, online::check),
    (&online::EXPIRING, online::check),
    (&online::INDETERMINATE, online::check),
    (&online::UNVERIFIABLE, online::check),
    (&online::VERIFIED, online::check),
];

/// True when the configuration's release has the v0.31.0 GitHub credential rules: exactly one of
/// `gh-token`/`gh-token-file` with `gh-user` and of `gh-app-key`/`gh-app-key-file` with `gh-app-id`,
/// and a stray half is ignored. Earlier releases checked every half pairwise.
pub fn credential_rules_since_v0_31(cfg: &EffectiveConfig) -> bool {
    crate::flags::present_in(crate::flags::GH_TOKEN_FILE, cfg.version())
}

/// The first Atlantis release a rule applies to, and why, for the rules that do not apply to
/// every release covered (v0.17.0 on). A configuration checked for an older release skips them;
/// `explain`, `rules --format json` and docs/rules.md say so.
pub struct Since {
    pub rule: &'static RuleInfo,
    pub version: Version,
    pub why: &'static str,
}

const fn since(rule: &'static RuleInfo, version: Version, why: &'static str) -> Since {
    Since { rule, version, why }
}

/// Rule -> the release its facts start with (the flags from `data/versions.json`; behaviours
/// from `versions.md`'s startup-rule table).
pub static SINCE: &[Since] = &[
    since(
        &allow_commands::RULE,
        Version::new(0, 22, 0),
        "the release that added allow-commands",
    ),
    since(
        &autoplan_file_list_pattern::RULE,
        Version::new(0, 17, 0),
        "the release that added autoplan-file-list",
    ),
    since(
        &conflicting_credentials::RULE,
        Version::new(0, 31, 0),
        "the release that made the GitHub credentials exactly-one (with gh-token-file)",
    ),
    since(
        &drift_remediation::RULE,
        Version::new(0, 45, 0),
        "the release that added enable-drift-detection and enable-drift-remediation",
    ),
    since(
        &k8s_service_link::RULE,
        crate::flags::SERVICE_LINK_RESET_SINCE,
        "the release that resets Kubernetes service links in int flags (sanitizeKubernetesServiceLinks)",
    ),
    since(
        &redis_cluster_conflict::RULE,
        Version::new(0, 44, 0),
        "the release that added redis-cluster-addresses",
    ),
    since(
        &team_allowlist_format::RULE,
        Version::new(0, 18, 0),
        "the release that added gh-team-allowlist",
    ),
    since(
        &unused_credential::RULE,
        Version::new(0, 31, 0),
        "the release that stopped rejecting a stray gh-token or gh-app-key",
    ),
    since(
        &webhook_http_headers::RULE,
        Version::new(0, 33, 0),
        "the release that added webhook-http-headers",
    ),
];

/// The first release a rule applies to, when it does not apply to every release covered.
pub fn applies_since(id: &str) -> Option<&'static Since> {
    SINCE.iter().find(|s| s.rule.id == id)
}

/// Rule -> the first release it no longer applies to: a startup check a later release dropped.
/// The rule checks the release itself; this table is what `explain`, `rules` and the docs say.
pub static UNTIL: &[Since] = &[
    since(
        &whitelist_and_allowlist::RULE,
        Version::new(0, 27, 0),
        "the release that removed repo-whitelist and silence-whitelist-errors",
    ),
    since(
        &bitbucket::CLOUD_WEBHOOK_SECRET,
        crate::hosts::BITBUCKET_CLOUD_WEBHOOK_SECRETS_SINCE,
        "the release that accepts a webhook secret for Bitbucket Cloud",
    ),
];

/// The release a rule stops applying to, when a later release dropped what it checks.
pub fn applies_until(id: &str) -> Option<&'static Since> {
    UNTIL.iter().find(|s| s.rule.id == id)
}

/// "Applies to Atlantis v0.31.0 and later (...)." / "Applies to Atlantis releases before v0.27.0
/// (...)." for a rule that does not apply to every release covered.
pub fn applicability(id: &str) -> Option<String> {
    match (applies_since(id), applies_until(id)) {
        (Some(s), _) => Some(format!(
            "Applies to Atlantis {} and later ({}).",
            s.version, s.why
        )),
        (None, Some(u)) => Some(format!(
            "Applies to Atlantis releases before {} ({}).",
            u.version, u.why
        )),
        (None, None) => None,
    }
}

/// Every rule id the linter knows, offline and online.
pub fn infos() -> impl Iterator<Item = &'static RuleInfo> {
    ALL.iter()
        .map(|(info, _)| *info)
        .chain(repo::ALL.iter().map(|(info, _)| *info))
}

pub fn find(id: &str) -> Option<&'static RuleInfo> {
    infos().find(|r| r.id == id)
}

/// The findings of one form rule: the [`crate::config::FormIssue`]s its reader found with the
/// rule's id. A form rule's `check` is usually just this.
pub fn report_form_issues(ctx: &Context, rule: &'static RuleInfo, out: &mut Vec<Finding>) {
    for issue in ctx.cfg.form_issues.iter().filter(|i| i.rule == rule.id) {
        let mut f = Finding::new(rule, issue.location.clone(), issue.message.clone());
        if let Some(l) = &issue.label {
            f = f.label(l.clone());
        }
        if let Some(h) = &issue.help {
            f = f.help(h.clone());
        }
        if let Some(k) = &issue.key {
            f = f.key(k.clone());
        }
        if let Some(s) = issue.severity {
            f = f.severity(s);
        }
        for (location, text) in &issue.related {
            f = f.related(location.clone(), text.clone());
        }
        out.push(f);
    }
}

/// Rules whose findings say that a setting is missing. When a source the input does not show
/// may set Atlantis variables (a manifest's `envFrom` of a Secret that is not in the input),
/// the setting may well be there: their findings become notes that name that source.
const ABSENCE_RULES: &[&str] = &[
    "no-vcs-credentials",
    "incomplete-credentials",
    "repo-allowlist-missing",
    "ssl-pair",
    "tfe-token-missing",
    "azuredevops-webhook-auth",
    "missing-webhook-secret",
    "github-app-write-git-creds",
    "drift-remediation",
];

/// Runs every rule over one configuration.
pub fn run(cfg: &EffectiveConfig, options: &Options) -> Vec<Finding> {
    let ctx = Context { cfg, options };
    let mut out = Vec::new();
    for (info, check) in ALL {
        if applies_since(info.id).is_some_and(|s| s.version > cfg.version()) {
            continue;
        }
        check(&ctx, &mut out);
    }
    for f in &mut out {
        for (at, flag, note) in &cfg.provided {
            if *at == f.location
                && f.key.as_deref() == Some(flag.as_str())
                && !f.related.iter().any(|l| l.text == *note)
            {
                f.related.push(crate::finding::Label {
                    location: at.clone(),
                    text: note.clone(),
                });
            }
        }
    }
    let opaque: Vec<_> = cfg
        .opaque
        .iter()
        .filter(|o| o.prefix.starts_with("ATLANTIS_") || "ATLANTIS_".starts_with(&o.prefix))
        .collect();
    if !opaque.is_empty() {
        for f in out
            .iter_mut()
            .filter(|f| ABSENCE_RULES.contains(&f.rule.id))
        {
            f.severity = Severity::Info;
            for o in &opaque {
                f.related.push(crate::finding::Label {
                    location: o.location.clone(),
                    text: format!("{} may set it: atlantis-lint cannot see inside", o.what),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_names_real_rules_within_the_covered_releases() {
        for s in SINCE.iter().chain(UNTIL) {
            assert!(find(s.rule.id).is_some(), "{} is not listed", s.rule.id);
            assert!(crate::flags::RELEASES.contains(&s.version), "{}", s.rule.id);
        }
        // A rule applies to a range from one end: both would need a text for the range.
        for u in UNTIL {
            assert!(applies_since(u.rule.id).is_none(), "{}", u.rule.id);
        }
    }
}

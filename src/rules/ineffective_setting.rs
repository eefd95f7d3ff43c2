use super::Context;
use super::git_hosts::github_configured;
use crate::config::EffectiveConfig;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags::{self, FlagId};

pub static RULE: RuleInfo = RuleInfo {
    id: "ineffective-setting",
    severity: Severity::Warning,
    summary: "a setting Atlantis ignores in this configuration: Redis settings without Redis locking, a deprecated flag its replacement overrides, a host setting without that host's credentials",
    suppressible: true,
    docs: r#"## What it checks
Settings that are valid but change nothing, because of another setting:
- `redis-*` settings while `locking-db-type` is not `redis`: `NewServer` opens Redis only for
  `locking-db-type: redis` and otherwise never reads them (a Kubernetes service link in
  `ATLANTIS_REDIS_PORT` is `k8s-service-link`'s);
- `tf-distribution` (deprecated) together with `default-tf-distribution`: Atlantis copies
  `tf-distribution` only into an empty `default-tf-distribution` (`setDefaults`);
- a Git host's server or webhook setting while that host has no user (or, for GitHub, no App):
  `gh-hostname`, `gitlab-hostname`, `gitea-base-url`, `bitbucket-base-url`,
  `azuredevops-hostname`, and the host's webhook secret or webhook user/password. Atlantis builds a
  host's client and accepts its webhooks only when the host is configured. (A token without its
  user is `unused-credential`'s.)

## Why it matters
The setting reads as if it did something. Usually another half is missing (`locking-db-type:
redis`, `gitlab-user`), set under a name Atlantis does not read, or the setting is left over
from an earlier setup and misleads the next reader.

## Example
```yaml
gh-user: atlantis-bot
redis-host: redis.atlantis.svc   # locking-db-type is still boltdb
gitlab-hostname: gitlab.example.com   # no gitlab-user
```

## Fix
Add the missing half (`locking-db-type: redis`, the host's user and token), or remove the
setting.
"#,
};

const REDIS: &[FlagId] = &[
    flags::REDIS_CLUSTER_ADDRESSES,
    flags::REDIS_DB,
    flags::REDIS_HOST,
    flags::REDIS_INSECURE_SKIP_VERIFY,
    flags::REDIS_PASSWORD,
    flags::REDIS_PORT,
    flags::REDIS_TLS_ENABLED,
    flags::REDIS_USERNAME,
];

/// (host family, whether it is configured, its server and webhook settings)
fn hosts(cfg: &EffectiveConfig) -> [(&'static str, bool, &'static [FlagId]); 5] {
    [
        ("GitHub", github_configured(cfg), &[flags::GH_HOSTNAME]),
        (
            "GitLab",
            cfg.is_set(flags::GITLAB_USER),
            &[flags::GITLAB_HOSTNAME, flags::GITLAB_WEBHOOK_SECRET],
        ),
        (
            "Gitea",
            cfg.is_set(flags::GITEA_USER),
            &[flags::GITEA_BASE_URL, flags::GITEA_WEBHOOK_SECRET],
        ),
        (
            "Bitbucket",
            cfg.is_set(flags::BITBUCKET_USER),
            &[flags::BITBUCKET_BASE_URL, flags::BITBUCKET_WEBHOOK_SECRET],
        ),
        (
            "Azure DevOps",
            cfg.is_set(flags::AZUREDEVOPS_USER),
            &[
                flags::AZUREDEVOPS_HOSTNAME,
                flags::AZUREDEVOPS_WEBHOOK_USER,
                flags::AZUREDEVOPS_WEBHOOK_PASSWORD,
            ],
        ),
    ]
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.complete() {
        return;
    }
    let finding = |name: FlagId, message: String, help: &str| {
        Finding::new(&RULE, cfg.location(name), message)
            .key(name)
            .label("has no effect")
            .help(help.to_string())
    };
    if cfg.str(flags::LOCKING_DB_TYPE) != Some("redis") {
        for &name in REDIS {
            let Some(r) = cfg.resolution(name) else {
                continue;
            };
            let link = cfg.explicit_text(name).is_some_and(|t| {
                t.as_str().starts_with("tcp://") || t.as_str().starts_with("udp://")
            });
            if r.service_link || link || !cfg.is_set(name) {
                continue;
            }
            out.push(finding(
                name,
                format!("{name} is set, but locking-db-type is not redis: Atlantis never reads it"),
                "set locking-db-type: redis to lock through Redis, or remove the Redis settings",
            ));
        }
    }
    if cfg.is_set(flags::TF_DISTRIBUTION) && cfg.is_set_itself(flags::DEFAULT_TF_DISTRIBUTION) {
        out.push(finding(
            flags::TF_DISTRIBUTION,
            "tf-distribution (deprecated) is set, but default-tf-distribution is set too and wins: Atlantis ignores tf-distribution".into(),
            "remove tf-distribution",
        ).related(cfg.location(flags::DEFAULT_TF_DISTRIBUTION), "this value is used"));
    }
    // With no host at all, `no-vcs-credentials` says what is missing.
    if !super::git_hosts::any_host_configured(cfg) {
        return;
    }
    for (family, configured, settings) in hosts(cfg) {
        if configured {
            continue;
        }
        for &name in settings {
            if !cfg.is_set(name) {
                continue;
            }
            out.push(finding(
                name,
                format!("{name} is set, but no {family} credentials are: Atlantis never uses it"),
                "configure the host's user and token, or remove the setting",
            ));
        }
    }
}

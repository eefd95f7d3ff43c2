use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "missing-webhook-secret",
    severity: Severity::Warning,
    summary: "a Git host without a webhook secret (Atlantis's own security warnings)",
    suppressible: true,
    docs: r#"## What it checks
The security warnings Atlantis logs at startup, with the same conditions:
- `gh-user` set and `gh-webhook-secret` empty;
- `gitea-user` set and `gitea-webhook-secret` empty;
- `gitlab-user` set and `gitlab-webhook-secret` empty;
- `bitbucket-user` set with a Bitbucket Server `bitbucket-base-url` (anything but
  `https://api.bitbucket.org`) and `bitbucket-webhook-secret` empty;
- beyond Atlantis, which does not warn here: `bitbucket-user` with Bitbucket Cloud and no
  `bitbucket-webhook-secret`, for v0.33.0 and later (PR #4275 added Cloud webhook secrets; before
  it Atlantis refused one, `bitbucket-cloud-webhook-secret`, so older releases are not told);
- `azuredevops-webhook-user` set and `azuredevops-webhook-password` empty;
- beyond Atlantis, which does not warn here: a GitHub App (`gh-app-id` without `gh-user`) and no
  `gh-webhook-secret`.

## Why it matters
Without a secret Atlantis cannot tell a webhook from the Git host from a forged one: anyone who can
reach the server can post a fake pull-request comment such as `atlantis apply`. Atlantis only logs
`no GitHub webhook secret set. This could allow attackers to spoof requests from GitHub` and runs.

## Example
```yaml
gh-user: atlantis-bot
gh-token-file: /var/run/secrets/atlantis/gh-token
# gh-webhook-secret missing
```

## Fix
Generate a random secret, set it on the Git host's webhook and in Atlantis
(`ATLANTIS_GH_WEBHOOK_SECRET`, ...).
"#,
};

/// (the flag that enables the check, the secret flag, the host's name in Atlantis's warning).
const CHECKS: &[(flags::FlagId, flags::FlagId, &str)] = &[
    (flags::GH_USER, flags::GH_WEBHOOK_SECRET, "GitHub"),
    (flags::GITEA_USER, flags::GITEA_WEBHOOK_SECRET, "Gitea"),
    (flags::GITLAB_USER, flags::GITLAB_WEBHOOK_SECRET, "GitLab"),
    (
        flags::BITBUCKET_USER,
        flags::BITBUCKET_WEBHOOK_SECRET,
        "Bitbucket",
    ),
    (
        flags::AZUREDEVOPS_WEBHOOK_USER,
        flags::AZUREDEVOPS_WEBHOOK_PASSWORD,
        "Azure DevOps",
    ),
];

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.complete() {
        return;
    }
    for &(user, secret, host) in CHECKS {
        if !cfg.is_set(user) || cfg.is_set(secret) {
            continue;
        }
        let cloud = user == flags::BITBUCKET_USER && crate::hosts::bitbucket_cloud(cfg);
        // Bitbucket Cloud webhooks carry a secret only from v0.33.0 (before, Atlantis refused one).
        let since = crate::hosts::BITBUCKET_CLOUD_WEBHOOK_SECRETS_SINCE;
        if cloud && cfg.version() < since {
            continue;
        }
        let atlantis = if cloud {
            format!(
                "Atlantis does not warn about Bitbucket Cloud, which takes a webhook secret since {since}"
            )
        } else if user == flags::AZUREDEVOPS_WEBHOOK_USER {
            "no Azure DevOps webhook user and password set. This could allow attackers to spoof requests from Azure DevOps."
                .to_string()
        } else {
            format!(
                "no {host} webhook secret set. This could allow attackers to spoof requests from {host}"
            )
        };
        out.push(
            Finding::new(
                &RULE,
                cfg.location(user),
                format!(
                    "{user} is set but {secret} is not: {} webhooks are not authenticated",
                    if cloud { "Bitbucket Cloud" } else { host }
                ),
            )
            .key(user)
            .label(format!("no {secret}"))
            .help(if cloud {
                format!(
                    "set {secret} (or {}) to a random string and configure the same secret on the webhook; \
                     {atlantis}",
                    crate::flags::env_name(secret)
                )
            } else {
                format!(
                    "set {secret} (or {}) to a random string and configure the same secret on the webhook; \
                     Atlantis warns: \"{atlantis}\"",
                    crate::flags::env_name(secret)
                )
            }),
        );
    }
    super::github_app::check_webhook_secret(ctx, &RULE, out);
}

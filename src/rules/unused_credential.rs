use super::Context;
use super::git_hosts::any_host_configured;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "unused-credential",
    severity: Severity::Warning,
    summary: "a credential Atlantis ignores: a gh-token without gh-user, a gh-app-key without gh-app-id",
    suppressible: true,
    docs: r#"## What it checks
A GitHub credential whose other half is missing while some other Git host (or the other GitHub
identity) is configured, so that Atlantis starts but never uses it:
- `gh-token` or `gh-token-file` without `gh-user`;
- `gh-app-key` or `gh-app-key-file` without `gh-app-id`.

When no host is configured at all, `no-vcs-credentials` reports the configuration instead.

## Why it matters
Atlantis accepts the configuration silently and runs without the credential. Usually the other
half was set under a name Atlantis does not read, or removed by mistake, and GitHub webhooks are
then ignored. A secret that is never used is also one more secret to leak.

## Example
```yaml
gitlab-user: atlantis
gitlab-token: glpat-...
gh-token: ghp_...        # no gh-user: ignored
```

## Fix
Set the missing half (`gh-user`, `gh-app-id`), or remove the unused credential.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    // Before v0.31.0 such a stray half stopped Atlantis: `incomplete-credentials` reports it.
    if !cfg.complete() || !any_host_configured(cfg) || !super::credential_rules_since_v0_31(cfg) {
        return;
    }
    let app = cfg.is_set(flags::GH_APP_ID);
    if !cfg.is_set(flags::GH_USER) {
        for token in [flags::GH_TOKEN, flags::GH_TOKEN_FILE] {
            if !cfg.is_set(token) {
                continue;
            }
            let help = if app {
                format!("the GitHub App authenticates with its key: remove {token}")
            } else {
                format!("set gh-user to the account {token} belongs to, or remove {token}")
            };
            out.push(
                Finding::new(
                    &RULE,
                    cfg.location(token),
                    format!("{token} is set but gh-user is not: Atlantis ignores it"),
                )
                .key(token)
                .label("unused GitHub token")
                .help(help),
            );
        }
    }
    if !app {
        for key in [flags::GH_APP_KEY, flags::GH_APP_KEY_FILE] {
            if !cfg.is_set(key) {
                continue;
            }
            out.push(
                Finding::new(
                    &RULE,
                    cfg.location(key),
                    format!(
                        "{key} is set but gh-app-id is not: Atlantis ignores the GitHub App key"
                    ),
                )
                .key(key)
                .label("unused GitHub App key")
                .help(format!(
                    "set gh-app-id (ATLANTIS_GH_APP_ID) to the app's id, or remove {key}"
                )),
            );
        }
    }
}

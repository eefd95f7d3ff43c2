use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags::{self, FlagId};

pub static RULE: RuleInfo = RuleInfo {
    id: "incomplete-credentials",
    severity: Severity::Error,
    summary: "a Git host user without its token, a token without its user, or gh-app-id without a key",
    suppressible: false,
    docs: r#"## What it checks
Credentials come in pairs, and Atlantis checks them pairwise:
- `gh-user` needs `gh-token` or `gh-token-file`;
- `gh-app-id` needs `gh-app-key` or `gh-app-key-file`;
- `gitlab-user`/`gitlab-token`, `gitea-user`/`gitea-token`, `bitbucket-user`/`bitbucket-token` and
  `azuredevops-user`/`azuredevops-token` must both be set or both be empty.

A value counts as set when it is not empty (whitespace counts as set, as in Atlantis).

## Why it matters
Atlantis refuses to start with one long message listing every accepted pair, without saying which
one is incomplete.

## Example
```yaml
gitlab-user: atlantis-bot
# gitlab-token missing
```

## Fix
Set the missing half, preferably through its environment variable (`ATLANTIS_GITLAB_TOKEN`), or
remove the half that is there.
"#,
};

/// (user, token) pairs that must be both set or both empty.
const PAIRS: &[(FlagId, FlagId)] = &[
    (flags::GITEA_USER, flags::GITEA_TOKEN),
    (flags::GITLAB_USER, flags::GITLAB_TOKEN),
    (flags::BITBUCKET_USER, flags::BITBUCKET_TOKEN),
    (flags::AZUREDEVOPS_USER, flags::AZUREDEVOPS_TOKEN),
];

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let help_set = |k: FlagId| format!("set {k} (or {})", flags::env_name(k));

    // Before v0.31.0 (which added gh-token-file) the GitHub halves were checked pairwise like
    // every other host's: a token or app key without its user or app id stopped Atlantis too.
    let exactly_one = super::credential_rules_since_v0_31(cfg);
    if exactly_one {
        if cfg.is_set(flags::GH_USER)
            && !cfg.is_set(flags::GH_TOKEN)
            && !cfg.is_set(flags::GH_TOKEN_FILE)
        {
            out.push(
                Finding::new(
                    &RULE,
                    cfg.location(flags::GH_USER),
                    "gh-user is set but neither gh-token nor gh-token-file is",
                )
                .key(flags::GH_USER)
                .label("GitHub user without a token")
                .help(format!("{}, or gh-token-file", help_set(flags::GH_TOKEN))),
            );
        }
    } else {
        pair(cfg, out, flags::GH_USER, flags::GH_TOKEN);
        if cfg.int(flags::GH_APP_ID) == 0 {
            for key in [flags::GH_APP_KEY, flags::GH_APP_KEY_FILE] {
                if cfg.is_set(key) {
                    out.push(
                        Finding::new(
                            &RULE,
                            cfg.location(key),
                            format!("{key} is set but gh-app-id is not"),
                        )
                        .key(key)
                        .label("GitHub App key without an app id")
                        .help(format!(
                            "set gh-app-id (or {}) to the app's id; before v0.31.0 Atlantis refuses to start otherwise",
                            flags::env_name(flags::GH_APP_ID)
                        )),
                    );
                }
            }
        }
    }
    if cfg.is_set(flags::GH_APP_ID)
        && !cfg.is_set(flags::GH_APP_KEY)
        && !cfg.is_set(flags::GH_APP_KEY_FILE)
    {
        out.push(
            Finding::new(&RULE, cfg.location(flags::GH_APP_ID), "gh-app-id is set but neither gh-app-key nor gh-app-key-file is")
                .key(flags::GH_APP_ID)
                .label("GitHub App without a private key")
                .help("set gh-app-key-file to the path of the app's private key (.pem), or gh-app-key (ATLANTIS_GH_APP_KEY)"),
        );
    }
    for &(user, token) in PAIRS {
        pair(cfg, out, user, token);
    }
}

/// A user and its token: both set or both empty.
fn pair(cfg: &crate::config::EffectiveConfig, out: &mut Vec<Finding>, user: FlagId, token: FlagId) {
    let help_set = |k: FlagId| format!("set {k} (or {})", flags::env_name(k));
    {
        match (cfg.is_set(user), cfg.is_set(token)) {
            (true, false) => out.push(
                Finding::new(
                    &RULE,
                    cfg.location(user),
                    format!("{user} is set but {token} is not"),
                )
                .key(user)
                .label("user without a token")
                .help(help_set(token)),
            ),
            (false, true) => out.push(
                Finding::new(
                    &RULE,
                    cfg.location(token),
                    format!("{token} is set but {user} is not"),
                )
                .key(token)
                .label("token without a user")
                .help(format!(
                    "set {user} (or {}) to the account the token belongs to",
                    flags::env_name(user)
                )),
            ),
            _ => {}
        }
    }
}

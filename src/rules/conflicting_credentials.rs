use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags::{self, FlagId};

pub static RULE: RuleInfo = RuleInfo {
    id: "conflicting-credentials",
    severity: Severity::Error,
    summary: "both gh-token and gh-token-file, or both gh-app-key and gh-app-key-file",
    suppressible: false,
    docs: r#"## What it checks
Since v0.31.0 Atlantis wants exactly one source for each GitHub secret:
- with `gh-user` set, exactly one of `gh-token` and `gh-token-file`;
- with `gh-app-id` set, exactly one of `gh-app-key` and `gh-app-key-file`.

Without `gh-user` (or `gh-app-id`) Atlantis accepts both and uses neither, so this rule stays quiet.

## Why it matters
Atlantis refuses to start with its long credentials message
(`--gh-user/--gh-token or --gh-user/--gh-token-file or ... must be set`), which does not say that
the problem is having *both*.

## Example
```yaml
gh-user: atlantis-bot
gh-token-file: /var/run/secrets/atlantis/gh-token
# and ATLANTIS_GH_TOKEN set in the deployment
```

## Fix
Remove one of the two. `gh-token-file` lets Atlantis pick up a rotated token without a restart;
`gh-app-key-file` keeps the private key out of the environment.
"#,
};

/// (the flag that makes the pair required, the value, the file).
const PAIRS: &[(FlagId, FlagId, FlagId)] = &[
    (flags::GH_USER, flags::GH_TOKEN, flags::GH_TOKEN_FILE),
    (flags::GH_APP_ID, flags::GH_APP_KEY, flags::GH_APP_KEY_FILE),
];

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    // The "exactly one" rules came with gh-token-file in v0.31.0; before, an app could have both keys.
    if !super::credential_rules_since_v0_31(cfg) {
        return;
    }
    for &(owner, value, file) in PAIRS {
        if !cfg.is_set(owner) || !cfg.is_set(value) || !cfg.is_set(file) {
            continue;
        }
        out.push(
            Finding::new(
                &RULE,
                cfg.location(value),
                format!("{value} and {file} are both set; Atlantis accepts exactly one"),
            )
            .key(value)
            .label(format!("{value} set here"))
            .related(cfg.location(file), format!("{file} set here"))
            .related(cfg.location(owner), format!("{owner} set: exactly one of the two is needed"))
            .help(format!(
                "remove {value} (or {}) or {file}; Atlantis refuses to start with: \
                 --gh-user/--gh-token or --gh-user/--gh-token-file or --gh-app-id/--gh-app-key-file or \
                 --gh-app-id/--gh-app-key or ... must be set",
                flags::env_name(value)
            )),
        );
    }
}

use super::Context;
use crate::config::Location;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-allowlist-missing",
    severity: Severity::Error,
    summary: "repo-allowlist is not set",
    suppressible: false,
    docs: r#"## What it checks
`repo-allowlist` must be set (to a non-empty value) in some source: the config file,
`ATLANTIS_REPO_ALLOWLIST` or `--repo-allowlist`.

## Why it matters
Atlantis refuses to start with `--repo-allowlist must be set for security purposes`: without it,
anyone able to send a webhook could make Atlantis run Terraform on their repository.

## Example
```yaml
gh-user: atlantis-bot
gh-token-file: /var/run/secrets/atlantis/gh-token
# no repo-allowlist
```

## Fix
List the repositories Atlantis may act on, as `host/owner/repo` patterns without a scheme:
`repo-allowlist: github.com/acme/*`.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.complete() || cfg.is_set(flags::REPO_ALLOWLIST) {
        return;
    }
    let location = cfg
        .winner(flags::REPO_ALLOWLIST)
        .map_or(Location::None, |s| s.origin.entry());
    out.push(
        Finding::new(&RULE, location, "repo-allowlist is not set")
            .key(flags::REPO_ALLOWLIST)
            .label("empty repo-allowlist")
            .help(
                "set repo-allowlist (or ATLANTIS_REPO_ALLOWLIST) to the repositories Atlantis may act on, \
                 e.g. `github.com/acme/*`; Atlantis refuses to start with: \
                 --repo-allowlist must be set for security purposes",
            ),
    );
}

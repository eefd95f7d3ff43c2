use super::Context;
use crate::config::Location;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags::{self, FlagId};
use crate::hosts;

pub static RULE: RuleInfo = RuleInfo {
    id: "no-vcs-credentials",
    severity: Severity::Error,
    summary: "no Git host has a credential: no GitHub user or app, GitLab, Gitea, Bitbucket or Azure DevOps user",
    suppressible: false,
    docs: r#"## What it checks
At least one Git host must be configured: `gh-user` (with a token), `gh-app-id` (with a key),
`gitea-user`, `gitlab-user`, `bitbucket-user` or `azuredevops-user` (each with its token).

## Why it matters
Atlantis refuses to start: `--gh-user/--gh-token or --gh-user/--gh-token-file or
--gh-app-id/--gh-app-key-file or ... must be set`. A common cause is a credential set under a name
Atlantis does not read (`ATLANTIS_GITHUB_USER`, `gh_user:`), which `unknown-key` reports too.

## Example
```yaml
repo-allowlist: github.com/acme/*
gh-token: ghp_...        # but no gh-user
```

## Fix
Configure one host completely, for example `gh-user` and `gh-token`.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.complete() {
        return;
    }
    if hosts::any_host_configured(cfg) {
        return;
    }
    // The hosts of the release being checked (Gitea from v0.28.0 on).
    let names: Vec<&str> = hosts::CREDENTIALS
        .iter()
        .filter(|c| flags::present_in(c.selector, cfg.version()))
        .map(|c| c.selector.name())
        .collect();
    let listed = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    };
    let mut f = Finding::new(
        &RULE,
        Location::None,
        format!("no Git host credentials: none of {listed} is set"),
    );
    // A secret set without its user: the likeliest cause, worth naming.
    let orphan = hosts::CREDENTIALS
        .iter()
        .flat_map(|c| c.secrets.iter().map(move |s| (*s, c.selector)))
        .find(|(secret, _)| cfg.is_set(secret));
    f = match orphan {
        Some((token, owner)) => f
            .help(format!("{token} is set, but Atlantis needs {owner} too"))
            .related(cfg.location(token), "this credential is not used without its user"),
        None => f.help("configure one Git host, for example gh-user with gh-token (ATLANTIS_GH_USER, ATLANTIS_GH_TOKEN)"),
    };
    let selectors: Vec<FlagId> = hosts::CREDENTIALS.iter().map(|c| c.selector).collect();
    out.push(super::unknown_key::with_misspelling(f, cfg, &selectors));
}

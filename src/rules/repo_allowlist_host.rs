use super::Context;
use super::git_hosts::{glob_match, repo_hosts};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-allowlist-host",
    severity: Severity::Warning,
    summary: "no repo-allowlist entry covers a configured Git host",
    suppressible: true,
    docs: r#"## What it checks
For every configured Git host, some `repo-allowlist` entry must match the host its repositories
live on: `gh-hostname` (default `github.com`) for GitHub, `gitlab-hostname` for GitLab, the host of
`gitea-base-url` for Gitea, `bitbucket.org` or the host of `bitbucket-base-url` for Bitbucket,
`dev.azure.com` (or `*.visualstudio.com`) or `azuredevops-hostname` for Azure DevOps. Negated
entries (`!...`) do not count; `*` covers every host.

## Why it matters
Atlantis answers every webhook from a repository outside the allowlist with an error comment (or
silently, with `silence-allowlist-errors`). A typical case: a GitHub Enterprise server
(`gh-hostname: github.example.com`) with an allowlist copied from a github.com setup.

## Example
```yaml
gh-user: atlantis-bot
gh-hostname: github.example.com
repo-allowlist: github.com/acme/*
```

## Fix
Add an entry for the host: `repo-allowlist: github.example.com/acme/*`.
"#,
};

fn covers(entry_host: &str, name: &str) -> bool {
    match name.strip_prefix('*') {
        // `*.visualstudio.com`: any organisation's host.
        Some(suffix) => {
            entry_host.ends_with(suffix) || glob_match(entry_host, &format!("org{suffix}"))
        }
        None => glob_match(entry_host, name),
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.complete() {
        return;
    }
    let Some(value) = cfg.explicit_text(flags::REPO_ALLOWLIST) else {
        return;
    };
    let hosts: Vec<String> = value
        .as_str()
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty() && !e.starts_with('!'))
        .map(|e| e.split('/').next().unwrap_or("").to_ascii_lowercase())
        .collect();
    for host in repo_hosts(cfg) {
        if host
            .names
            .iter()
            .any(|name| hosts.iter().any(|h| covers(h, name)))
        {
            continue;
        }
        let name = &host.names[0];
        out.push(
            Finding::new(
                &RULE,
                cfg.value_location(flags::REPO_ALLOWLIST),
                format!(
                    "no repo-allowlist entry covers {name}, where the {} repositories live: Atlantis rejects their webhooks",
                    host.family
                ),
            )
            .key(flags::REPO_ALLOWLIST)
            .label(format!("nothing here matches {name}"))
            .related(cfg.location(host.selector), format!("{} is configured here", host.family))
            .help(format!("add an entry such as `{name}/<owner>/*`")),
        );
    }
}

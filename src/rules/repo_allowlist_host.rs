use super::Context;
use super::git_hosts::{RepoHost, glob_match, repo_hosts};
use super::placeholder_value::placeholder_host;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-allowlist-host",
    severity: Severity::Warning,
    summary: "no repo-allowlist entry covers a configured Git host",
    suppressible: true,
    docs: r#"## What it checks
For every configured Git host, some `repo-allowlist` entry must match the host its repositories
live on: `gh-hostname` (default `github.com`) for GitHub, `gitlab-hostname` for GitLab,
`bitbucket.org` or the host of `bitbucket-base-url` for Bitbucket, `dev.azure.com` (or
`*.visualstudio.com`) or `azuredevops-hostname` for Azure DevOps. Negated entries (`!...`) do not
count; `*` covers every host. Entries without a host part (`acme`) are `repo-allowlist-entry`'s.

Gitea is not checked: Atlantis names a Gitea repository after the host of the webhook's clone URL
(`ParseGiteaRepo` passes the repository's `clone_url` to `models.NewRepo`), which is Gitea's public
`ROOT_URL`, not necessarily the host of `gitea-base-url` (often an internal API address such as
`http://gitea-http.gitea.svc:3000`).

Severity: an error when no configured host is covered at all (Atlantis then accepts no
repository), a warning when only some are.

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
    // Literal quotes around the list are `quoted-value`'s finding.
    if super::secret_whitespace::quoted(value.as_str()) {
        return;
    }
    let hosts: Vec<String> = value
        .as_str()
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty() && !e.starts_with('!'))
        .map(|e| e.split('/').next().unwrap_or("").to_ascii_lowercase())
        // `acme` or `terraform-*` has no host part: `repo-allowlist-entry` reports it.
        .filter(|h| h.contains(['.', ':', '*']) || h == "localhost")
        .collect();
    if hosts.is_empty() {
        return;
    }
    let mut configured = repo_hosts(cfg);
    // A placeholder host is `placeholder-value`'s finding.
    configured.retain(|h| !h.names.iter().any(|n| placeholder_host(n)));
    let covered = |host: &RepoHost| {
        !host.host_known
            || host
                .names
                .iter()
                .any(|name| hosts.iter().any(|h| covers(h, name)))
    };
    let severity = if configured.iter().any(covered) {
        Severity::Warning
    } else {
        Severity::Error
    };
    for host in configured.iter().filter(|h| !covered(h)) {
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
            .help(format!("add an entry such as `{name}/<owner>/*`"))
            .severity(severity),
        );
    }
}

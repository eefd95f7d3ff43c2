use super::Context;
use crate::config::Location;
use crate::finding::{Finding, RuleInfo, Severity};

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

const SELECTORS: &[&str] = &[
    "gh-user",
    "gitea-user",
    "gitlab-user",
    "bitbucket-user",
    "azuredevops-user",
];

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.complete() {
        return;
    }
    if cfg.int("gh-app-id") != 0 || SELECTORS.iter().any(|k| cfg.is_set(k)) {
        return;
    }
    let mut f = Finding::new(
        &RULE,
        Location::None,
        "no Git host credentials: none of gh-user, gh-app-id, gitea-user, gitlab-user, bitbucket-user or azuredevops-user is set",
    );
    let orphan = [
        "gh-token",
        "gh-token-file",
        "gh-app-key",
        "gh-app-key-file",
        "gitlab-token",
        "gitea-token",
        "bitbucket-token",
        "azuredevops-token",
    ]
    .into_iter()
    .find(|k| cfg.is_set(k));
    f = match orphan {
        Some(token) => {
            let owner = match token {
                "gh-app-key" | "gh-app-key-file" => "gh-app-id",
                "gh-token" | "gh-token-file" => "gh-user",
                "gitlab-token" => "gitlab-user",
                "gitea-token" => "gitea-user",
                "bitbucket-token" => "bitbucket-user",
                _ => "azuredevops-user",
            };
            f.help(format!("{token} is set, but Atlantis needs {owner} too"))
                .related(cfg.location(token), "this credential is not used without its user")
        }
        None => f.help("configure one Git host, for example gh-user with gh-token (ATLANTIS_GH_USER, ATLANTIS_GH_TOKEN)"),
    };
    let mut selectors = vec!["gh-app-id"];
    selectors.extend_from_slice(SELECTORS);
    out.push(super::unknown_key::with_misspelling(f, cfg, &selectors));
}

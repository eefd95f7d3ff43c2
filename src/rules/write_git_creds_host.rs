use super::Context;
use super::git_hosts::bitbucket_cloud;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "write-git-creds-host",
    severity: Severity::Warning,
    summary: "write-git-creds with a host setting that produces a broken .git-credentials line",
    suppressible: true,
    docs: r#"## What it checks
With `write-git-creds` on, Atlantis writes one `https://<user>:<token>@<host>` line per
configured host to `~/.git-credentials`, taking `<host>` verbatim from a setting:
- GitHub: `gh-hostname`; GitLab: `gitlab-hostname` (a scheme there is allowed by the API client);
- Gitea: `gitea-base-url`, which always carries a scheme (the default `https://gitea.com` too);
- Bitbucket Server: `bitbucket-base-url`, which always carries a scheme;
- Azure DevOps: always `dev.azure.com`, whatever `azuredevops-hostname` says.

The rule reports a host value containing `://` and an Azure DevOps Server hostname.

## Why it matters
`https://user:token@https://gitea.example.com` matches no clone URL, so git falls back to asking
for a password and clones of private modules fail; for Azure DevOps Server the credentials are
written for the wrong host.

## Example
```yaml
write-git-creds: true
gitea-user: atlantis
gitea-base-url: https://gitea.example.com
```

## Fix
Write the credentials yourself (a git credential helper, or a `.git-credentials` line with the
bare host) and turn `write-git-creds` off; for GitLab, write `gitlab-hostname` without the scheme.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.bool(flags::WRITE_GIT_CREDS) {
        return;
    }
    let related = cfg.location(flags::WRITE_GIT_CREDS);
    let mut hosts: Vec<(flags::FlagId, &str, flags::FlagId)> = Vec::new();
    if cfg.is_set(flags::GITLAB_USER) {
        hosts.push((flags::GITLAB_HOSTNAME, "GitLab", flags::GITLAB_USER));
    }
    if cfg.is_set(flags::GITEA_USER) {
        hosts.push((flags::GITEA_BASE_URL, "Gitea", flags::GITEA_USER));
    }
    if cfg.is_set(flags::BITBUCKET_USER) && !bitbucket_cloud(cfg) {
        hosts.push((
            flags::BITBUCKET_BASE_URL,
            "Bitbucket Server",
            flags::BITBUCKET_USER,
        ));
    }
    for (flag, family, selector) in hosts {
        let Some(value) = cfg.str(flag) else { continue };
        if !value.contains("://") {
            continue;
        }
        let location = match cfg.winner(flag) {
            Some(s) => s.origin.value(),
            None => cfg.location(selector),
        };
        let shown = if cfg.is_set(flag) {
            format!("{flag} `{value}`")
        } else {
            format!("the default {flag} `{value}`")
        };
        out.push(
            Finding::new(
                &RULE,
                location,
                format!(
                    "write-git-creds writes {family} credentials for {shown}, scheme included: the .git-credentials line matches no clone URL"
                ),
            )
            .key(flag)
            .label("written verbatim after `user:token@`")
            .related(related.clone(), "write-git-creds is on")
            .help(if flag == flags::GITLAB_HOSTNAME {
                "write gitlab-hostname without the scheme (Atlantis assumes https://)".to_string()
            } else {
                format!("provide {family} credentials to git yourself (a credential helper) and turn write-git-creds off")
            }),
        );
    }
    if cfg.is_set(flags::AZUREDEVOPS_USER) {
        if let Some(host) = cfg.str(flags::AZUREDEVOPS_HOSTNAME) {
            if !host.eq_ignore_ascii_case("dev.azure.com") {
                out.push(
                    Finding::new(
                        &RULE,
                        cfg.value_location(flags::AZUREDEVOPS_HOSTNAME),
                        format!(
                            "write-git-creds always writes Azure DevOps credentials for dev.azure.com, not for azuredevops-hostname `{host}`: clones from this server get no credentials"
                        ),
                    )
                    .key(flags::AZUREDEVOPS_HOSTNAME)
                    .label("not used by write-git-creds")
                    .related(related, "write-git-creds is on")
                    .help("provide credentials for your Azure DevOps Server to git yourself (a credential helper) and turn write-git-creds off"),
                );
            }
        }
    }
}

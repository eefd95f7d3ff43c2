use super::Context;
use super::git_hosts::{bitbucket_cloud, host_of, is_loopback};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "insecure-url",
    severity: Severity::Warning,
    summary: "an http:// URL to which Atlantis sends a token (Bitbucket Server, Gitea, GitLab)",
    suppressible: true,
    docs: r#"## What it checks
The URL of a configured Git host starts with `http://`:
- `bitbucket-base-url` (Bitbucket Server, with `bitbucket-user` set),
- `gitea-base-url` (with `gitea-user` set),
- `gitlab-hostname` (with `gitlab-user` set).

Loopback hosts (`localhost`, `127.0.0.1`, `[::1]`) are not reported.

## Why it matters
Atlantis sends the host's token with every API call (and, with `write-git-creds`, with every
clone). Over plain HTTP anyone on the network path can read it.

## Example
```yaml
gitlab-user: atlantis
gitlab-hostname: http://gitlab.example.com
```

## Fix
Use `https://`. If the server has no TLS certificate, put it behind a TLS-terminating proxy.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let candidates = [
        (
            flags::BITBUCKET_BASE_URL,
            flags::BITBUCKET_TOKEN,
            cfg.is_set(flags::BITBUCKET_USER) && !bitbucket_cloud(cfg),
        ),
        (
            flags::GITEA_BASE_URL,
            flags::GITEA_TOKEN,
            cfg.is_set(flags::GITEA_USER),
        ),
        (
            flags::GITLAB_HOSTNAME,
            flags::GITLAB_TOKEN,
            cfg.is_set(flags::GITLAB_USER),
        ),
    ];
    for (flag, token, configured) in candidates {
        if !configured {
            continue;
        }
        let Some(text) = cfg.explicit_text(flag) else {
            continue;
        };
        let value = text.as_str().trim();
        if !value
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
        {
            continue;
        }
        if is_loopback(&host_of(value)) {
            continue;
        }
        out.push(
            Finding::new(
                &RULE,
                cfg.value_location(flag),
                format!(
                    "{flag} `{}` uses plain http: Atlantis sends {token} to it unencrypted",
                    text.display()
                ),
            )
            .key(flag)
            .label("plain http")
            .help("use https://")
            .suggestion(format!("https://{}", &value[7..])),
        );
    }
}

use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "hostname-format",
    severity: Severity::Error,
    summary: "gh-hostname or azuredevops-hostname with a scheme, a path or /api/v3; gitlab-hostname ending in /api/v4",
    suppressible: true,
    docs: r#"## What it checks
- `gh-hostname` must be a bare `host[:port]`: no `https://`, no path, no `/api/v3`, and not
  `api.github.com`.
- `azuredevops-hostname` must be a bare host: no scheme, no path.
- `gitlab-hostname` may carry a scheme and a base path, but not the API path `/api/v4`.

The finding is an error when the host is configured (`gh-user` or `gh-app-id`, `gitlab-user`,
`azuredevops-user`), a warning otherwise.

## Why it matters
Atlantis pastes these values into URLs verbatim: `gh-hostname: https://ghe.corp` makes the API
URL `https://https://ghe.corp/api/v3/`, `gh-hostname: ghe.corp/api/v3` makes it
`https://ghe.corp/api/v3/api/v3/`, and `gitlab-hostname: https://gitlab.corp/api/v4` makes
GitLab's `https://gitlab.corp/api/v4/api/v4/`. Every API call then fails (usually at startup).

## Example
```yaml
gh-hostname: https://github.example.com/api/v3
```

## Fix
Write the host only (`gh-hostname: github.example.com`); for GitLab drop `/api/v4`.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let github = cfg.is_set(flags::GH_USER) || cfg.is_set(flags::GH_APP_ID);
    for (flag, configured) in [
        (flags::GH_HOSTNAME, github),
        (
            flags::AZUREDEVOPS_HOSTNAME,
            cfg.is_set(flags::AZUREDEVOPS_USER),
        ),
    ] {
        let Some(text) = cfg.explicit_text(flag) else {
            continue;
        };
        let value = text.as_str().trim();
        let rest = value.split_once("://").map_or(value, |(_, r)| r);
        let host = rest.split('/').next().unwrap_or("");
        let mut problems = Vec::new();
        if value.contains("://") {
            problems.push("a scheme");
        }
        if rest.to_ascii_lowercase().contains("/api/v3") {
            problems.push("the API path /api/v3");
        } else if rest.trim_end_matches('/').contains('/') {
            problems.push("a path");
        }
        if flag == flags::GH_HOSTNAME && host.eq_ignore_ascii_case("api.github.com") {
            problems.push("the API host");
        }
        if problems.is_empty() {
            continue;
        }
        let problem = problems.join(" and ");
        let suggestion = if host.eq_ignore_ascii_case("api.github.com") {
            "github.com".to_string()
        } else {
            host.to_string()
        };
        out.push(
            Finding::new(
                &RULE,
                cfg.value_location(flag),
                format!(
                    "{flag} `{}` contains {problem}: Atlantis expects a bare host name and builds broken API URLs from this one",
                    text.display()
                ),
            )
            .key(flag)
            .label("not a bare host name")
            .severity(if configured { Severity::Error } else { Severity::Warning })
            .help(format!("write the host only: `{flag}: {suggestion}`"))
            .suggestion(suggestion),
        );
    }
    if let Some(text) = cfg.explicit_text(flags::GITLAB_HOSTNAME) {
        let value = text.as_str().trim();
        let trimmed = value.trim_end_matches('/');
        let lower = trimmed.to_ascii_lowercase();
        if lower.ends_with("/api/v4") {
            let suggestion = &trimmed[..trimmed.len() - "/api/v4".len()];
            out.push(
                Finding::new(
                    &RULE,
                    cfg.value_location(flags::GITLAB_HOSTNAME),
                    format!(
                        "gitlab-hostname `{}` ends in /api/v4: Atlantis appends /api/v4/ itself, so every API call goes to .../api/v4/api/v4/",
                        text.display()
                    ),
                )
                .key(flags::GITLAB_HOSTNAME)
                .label("API path in the host name")
                .severity(if cfg.is_set(flags::GITLAB_USER) { Severity::Error } else { Severity::Warning })
                .help(format!("drop the API path: `gitlab-hostname: {suggestion}`"))
                .suggestion(suggestion),
            );
        }
    }
}

use super::Context;
use super::git_hosts::{split_list, value_part};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-allowlist-entry",
    severity: Severity::Warning,
    summary: "repo-allowlist entries that can never match: a space after a comma, a path below owner/repo, an empty entry",
    suppressible: true,
    docs: r#"## What it checks
Each comma-separated entry of `repo-allowlist`:
- must not start or end with whitespace (`github.com/a/*, github.com/b/*`): Atlantis does not
  trim entries, so ` github.com/b/*` never matches;
- must not be empty (`a/*,,b/*`, or a trailing comma);
- must not name a path inside a repository (`github.com/acme/infra/terraform`): repositories on
  GitHub, GitHub Enterprise and Bitbucket Cloud are `host/owner/repo`, on Azure DevOps
  `host/org/project/repo`, and nothing below that is ever matched. (GitLab's nested groups make
  any depth valid there, so GitLab hosts are not checked for this.)

## Why it matters
Webhooks of repositories the entry was meant to allow are silently ignored (or answered with
"not in the allowlist").

## Example
```yaml
repo-allowlist: github.com/acme/infra, github.com/acme/modules/aws
```

## Fix
Remove the spaces, empty entries and paths: `github.com/acme/infra,github.com/acme/modules`.
"#,
};

/// How many `/`-separated parts a repository's full name has on hosts with fixed depth.
fn depth_for(host: &str) -> Option<usize> {
    if host == "dev.azure.com" || host.ends_with(".visualstudio.com") {
        Some(4)
    } else if host == "github.com" || host == "bitbucket.org" {
        Some(3)
    } else {
        None
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let Some(setting) = cfg.winner(flags::REPO_ALLOWLIST) else {
        return;
    };
    let Some(value) = cfg.explicit_text(flags::REPO_ALLOWLIST) else {
        return;
    };
    let value = value.as_str();
    let source = &cfg.sources.get(setting.origin.source).text;
    let gh_host = cfg
        .str(flags::GH_HOSTNAME)
        .unwrap_or("github.com")
        .to_ascii_lowercase();
    let parts = split_list(value);
    let last = parts.len() - 1;
    for (i, (range, entry)) in parts.into_iter().enumerate() {
        let at = value_part(setting, source, range.clone());
        if entry.is_empty() {
            let what = if i == last {
                "a trailing comma"
            } else {
                "an empty entry"
            };
            let at = value_part(setting, source, range.start.saturating_sub(1)..range.end);
            out.push(
                Finding::new(&RULE, at, format!("repo-allowlist has {what}"))
                    .key(flags::REPO_ALLOWLIST)
                    .label("empty entry")
                    .help("remove the extra comma"),
            );
            continue;
        }
        let trimmed = entry.trim();
        if trimmed != entry {
            out.push(
                Finding::new(
                    &RULE,
                    at,
                    format!(
                        "repo-allowlist entry `{entry}` has surrounding whitespace: Atlantis does not trim entries, so it never matches"
                    ),
                )
                .key(flags::REPO_ALLOWLIST)
                .label("whitespace is part of the entry")
                .help("remove the spaces around the commas")
                .suggestion(trimmed),
            );
        }
        let pattern = trimmed.trim_start_matches('!');
        let segments: Vec<&str> = pattern.split('/').collect();
        let host = segments[0].to_ascii_lowercase();
        let depth = if host == gh_host {
            Some(3)
        } else {
            depth_for(&host)
        };
        let Some(depth) = depth else { continue };
        if segments.len() > depth && !segments[..depth].iter().any(|s| s.contains('*')) {
            let lead = entry.len() - entry.trim_start().len();
            let at = value_part(
                setting,
                source,
                range.start + lead..range.start + lead + trimmed.len(),
            );
            let repo = segments[..depth].join("/");
            out.push(
                Finding::new(
                    &RULE,
                    at,
                    format!(
                        "repo-allowlist entry `{trimmed}` names a path inside the repository `{repo}`: Atlantis matches whole repositories, so it never matches"
                    ),
                )
                .key(flags::REPO_ALLOWLIST)
                .label("path below the repository")
                .help(format!("allow the repository itself: `{repo}`"))
                .suggestion(repo),
            );
        }
    }
}

use super::Context;
use super::git_hosts::{split_list, value_part};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "team-allowlist-format",
    severity: Severity::Error,
    summary: "a gh-team-allowlist or gitlab-group-allowlist entry without team:command form (Atlantis panics at startup)",
    suppressible: true,
    docs: r#"## What it checks
Every comma-separated entry of `gh-team-allowlist` and `gitlab-group-allowlist` must have the form
`team:command` (`platform:plan`, `sre:*`). An entry without `:`, and an empty entry (a trailing
comma, `a:plan,,b:apply`), is reported.

Atlantis reads `gitlab-group-allowlist` when `gitlab-user` is set and `gh-team-allowlist`
otherwise. The list Atlantis reads gives an error; the other list a warning (it is not read now).
When a repo config is given (`repo-config`, `repo-config-json`) and may define `team_authz`, which
replaces the list, the finding is a warning too.

## Why it matters
Atlantis splits each entry at `:` and takes the second part without checking that there is one:
the server panics at startup (`index out of range`).

## Example
```yaml
gh-team-allowlist: platform:plan, platform:apply, sre
```

## Fix
Give every entry a command (`sre:*`), and remove empty entries.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let gitlab = cfg.is_set(flags::GITLAB_USER);
    let external_authz = cfg.is_set(flags::REPO_CONFIG) || cfg.is_set(flags::REPO_CONFIG_JSON);
    for (flag, in_use) in [
        (flags::GH_TEAM_ALLOWLIST, !gitlab),
        (flags::GITLAB_GROUP_ALLOWLIST, gitlab),
    ] {
        let (Some(setting), Some(value)) = (cfg.winner(flag), cfg.explicit_text(flag)) else {
            continue;
        };
        let value = value.as_str();
        let source = &cfg.sources.get(setting.origin.source).text;
        let severity = if in_use && !external_authz {
            Severity::Error
        } else {
            Severity::Warning
        };
        let why = if in_use {
            "Atlantis panics at startup"
        } else if gitlab {
            "Atlantis would panic at startup if it read this list (it reads gitlab-group-allowlist while gitlab-user is set)"
        } else {
            "Atlantis would panic at startup if it read this list (it reads it only while gitlab-user is set)"
        };
        let parts = split_list(value);
        let last = parts.len() - 1;
        for (i, (range, entry)) in parts.into_iter().enumerate() {
            if entry.contains(':') {
                continue;
            }
            let label = if entry.trim().is_empty() {
                "empty entry"
            } else {
                "not `team:command`"
            };
            let (message, at, help) = if entry.trim().is_empty() {
                let what = if i == last {
                    "a trailing comma"
                } else {
                    "an empty entry"
                };
                (
                    format!("{flag} has {what}: {why}"),
                    value_part(setting, source, range.start.saturating_sub(1)..range.end),
                    "remove the extra comma".to_string(),
                )
            } else {
                let team = entry.trim();
                (
                    format!("{flag} entry `{team}` has no `:command`: {why}"),
                    value_part(setting, source, range),
                    format!("write `team:command`, for example `{team}:plan` or `{team}:*`"),
                )
            };
            out.push(
                Finding::new(&RULE, at, message)
                    .key(flag)
                    .label(label)
                    .severity(severity)
                    .help(help),
            );
        }
    }
}

use super::Context;
use super::git_hosts::{split_list, value_part};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "team-allowlist-format",
    severity: Severity::Error,
    summary: "a gh-team-allowlist or gitlab-group-allowlist entry without team:command form (Atlantis panics at startup), or a leading comma (the list is ignored)",
    suppressible: true,
    docs: r#"## What it checks
Every comma-separated entry of `gh-team-allowlist` and `gitlab-group-allowlist` must have the form
`team:command` (`platform:plan`, `sre:*`). An entry without `:`, and an empty entry (a trailing
comma, `a:plan,,b:apply`), is reported.

Atlantis reads `gitlab-group-allowlist` when `gitlab-user` is set and `gh-team-allowlist`
otherwise; before v0.33.0, which added `gitlab-group-allowlist`, it reads `gh-team-allowlist`
for every host. The list Atlantis reads gives an error; the other list a warning (it is not read now).
When a repo config is given (`repo-config`, `repo-config-json`) and may define `team_authz`, which
replaces the list, the finding is a warning too.

A list whose first entry is empty (`,platform:plan`) is a different case: Atlantis skips the
whole list, so there are no team rules and every team may run every command. That is reported
with the same severities, as a list that is silently ignored.

## Why it matters
`command.NewTeamAllowlistChecker` splits each entry at `:` and takes the second part without
checking that there is one: the server panics at startup (`index out of range`). It parses the
entries only when the first one is not empty (`if pairs[0] != ""`): a leading comma turns the
allowlist off instead, without a word.

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
    // Before v0.33.0 there is no gitlab-group-allowlist: gh-team-allowlist is read for every
    // host (and a gitlab-group-allowlist is flag-not-in-version's).
    let group_list = flags::present_in(flags::GITLAB_GROUP_ALLOWLIST, cfg.version());
    let gitlab = group_list && cfg.is_set(flags::GITLAB_USER);
    let external_authz = cfg.is_set(flags::REPO_CONFIG) || cfg.is_set(flags::REPO_CONFIG_JSON);
    for (flag, in_use) in [
        (flags::GH_TEAM_ALLOWLIST, !gitlab),
        (flags::GITLAB_GROUP_ALLOWLIST, gitlab),
    ] {
        if flag == flags::GITLAB_GROUP_ALLOWLIST && !group_list {
            continue;
        }
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
        if parts[0].1.is_empty() {
            // `NewTeamAllowlistChecker` skips the whole list: no rules, every team allowed.
            out.push(
                Finding::new(
                    &RULE,
                    value_part(setting, source, 0..1),
                    format!("{flag} starts with a comma: Atlantis skips the whole list, so every team may run every command"),
                )
                .key(flag)
                .label("the list is ignored from here")
                .severity(severity)
                .help("remove the leading comma"),
            );
            continue;
        }
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

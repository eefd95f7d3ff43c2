//! Two rules that need the server config too: ids the repo allowlist never lets through.

use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::repo_config::matching;

pub static UNMATCHABLE: RuleInfo = RuleInfo {
    id: "repo-config-regex-unmatchable",
    severity: Severity::Warning,
    summary: "a /regex/ id that can match no repository the server's repo-allowlist admits",
    suppressible: true,
    docs: r#"## What it checks
With the server config in the same run, each regex id is held against `repo-allowlist`. Atlantis
ignores every event from a repository the allowlist does not admit, so an entry whose regex can
match none of the admitted repositories never applies.

The check only reports what it can prove: an exact allowlist entry is tried against the regex
(without regard to case, as the allowlist compares); a `prefix*` entry is compared with the
literal start of a regex anchored with `^`. An unanchored regex can always match somewhere inside
a name, so it is never reported.

## Example
```yaml
# server config: repo-allowlist: github.com/acme/*
repos:
- id: /^gitlab\.com/acme/.*/
```

## Fix
Fix the regex's host or owner, or widen `repo-allowlist`.
"#,
};

pub static NOT_ALLOWLISTED: RuleInfo = RuleInfo {
    id: "repo-config-id-not-allowlisted",
    severity: Severity::Warning,
    summary: "an exact repos[].id that no repo-allowlist entry of the server config admits",
    suppressible: true,
    docs: r#"## What it checks
With the server config in the same run, each exact id (`github.com/acme/infra`) must be admitted by
`repo-allowlist` (Atlantis's `RepoAllowlistChecker`: case-insensitive, `*` wildcards, `!`
exclusions). Atlantis ignores repositories outside the allowlist, so the entry never applies.

## Example
```yaml
# server config: repo-allowlist: github.com/acme/*
repos:
- id: github.com/acme-corp/infra
```

## Fix
Fix the id, or add the repository to `repo-allowlist`.
"#,
};

fn allowlist<'a>(ctx: &'a DocContext) -> Option<(&'a [String], &'a str)> {
    let s = ctx.server?;
    let list = s.allowlist.as_slice();
    (!list.is_empty()).then_some((list, s.config.as_str()))
}

pub fn check_regex(ctx: &DocContext, out: &mut Vec<Finding>) {
    let (Some(g), Some((list, config))) = (ctx.global(), allowlist(ctx)) else {
        return;
    };
    for r in &g.repos {
        let Some(id) = r.regex_id() else { continue };
        if id.v.len() < 2 {
            continue;
        }
        let pattern = &id.v[1..id.v.len() - 1];
        if matching::regex_misses_allowlist(pattern, list) {
            out.push(
                Finding::new(&UNMATCHABLE, ctx.at(id.span), format!("id {} can match no repository of repo-allowlist `{}`", super::shown(&id.v), super::shown(&list.join(","))))
                    .label("never applies")
                    .help(format!("Atlantis ignores repositories outside repo-allowlist (in {config}), so this entry never applies; fix the regex or widen the allowlist")),
            );
        }
    }
}

pub fn check_exact(ctx: &DocContext, out: &mut Vec<Finding>) {
    let (Some(g), Some((list, config))) = (ctx.global(), allowlist(ctx)) else {
        return;
    };
    for r in &g.repos {
        let Some(id) = &r.id else { continue };
        if id.v.is_empty()
            || r.regex_id().is_some()
            || id.v.contains(['*', '?', '['])
            || id.v.starts_with('/')
            || id.v.ends_with('/')
        {
            continue;
        }
        if !matching::allowlisted(list, &id.v) {
            out.push(
                Finding::new(&NOT_ALLOWLISTED, ctx.at(id.span), format!("repository `{}` is not admitted by repo-allowlist `{}`", super::shown(&id.v), super::shown(&list.join(","))))
                    .label("not allowlisted")
                    .help(format!("Atlantis ignores repositories outside repo-allowlist (in {config}), so this entry never applies; fix the id or add it to the allowlist")),
            );
        }
    }
}

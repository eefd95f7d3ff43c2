use super::Context;
use crate::config::{KeyMatch, Spelling};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "removed-key",
    severity: Severity::Error,
    summary: "a flag Atlantis removed, such as repo-whitelist, gh-installation-id or disable-apply",
    suppressible: true,
    docs: r#"## What it checks
Flags that older Atlantis versions had and today's does not: `repo-whitelist`,
`silence-whitelist-errors`, `allow-repo-config`, `disable-apply`, `require-approval`,
`require-mergeable`, `gh-installation-id`, `bitbucket-hostname`, `aws-region`,
`aws-assume-role-arn`, in any source. With `--atlantis-version`, only the flags that release had
already removed (`repo-whitelist` is still a working alias in v0.26.0).

## Why it matters
On the command line Atlantis refuses to start (`unknown flag: --repo-whitelist`). In the config
file and the environment the setting is silently ignored, so the protection or option you meant to
configure is not there: `ATLANTIS_DISABLE_APPLY=true` (still written by the Helm chart's
`disableApply`) no longer disables anything.

## Example
```yaml
repo-whitelist: github.com/acme/*
```

## Fix
Use the replacement named in the message (`repo-allowlist` here).
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let version = ctx.cfg.version();
    for s in &ctx.cfg.settings {
        let (KeyMatch::Removed(flag) | KeyMatch::Flag(flag)) = s.matched else {
            continue;
        };
        // Removed by the release being checked (a later release may remove more).
        let Some(removed) = flags::history(flag)
            .and_then(|h| h.removed)
            .filter(|r| *r <= version)
        else {
            continue;
        };
        let last = flags::RELEASES
            .iter()
            .rev()
            .find(|r| **r < removed)
            .map_or_else(
                || flag.last.unwrap_or("an earlier version").to_string(),
                |r| r.to_string(),
            );
        let effect = match s.origin.spelling {
            Spelling::Flag { .. } => "Atlantis refuses to start with `unknown flag`",
            _ => "Atlantis ignores it",
        };
        let shown = match &s.origin.spelling {
            Spelling::Flag { flag, .. } => flag.clone(),
            Spelling::EnvVar { name } => name.clone(),
            Spelling::FormKey { path } => path.clone(),
            Spelling::ConfigKey | Spelling::Assumed { .. } => s.key.clone(),
        };
        let mut f = Finding::new(
            &RULE,
            s.origin.key(),
            format!("`{shown}` was removed from Atlantis after {last}; {effect}"),
        )
        .key(flag.name)
        .label("removed flag");
        f = match flag.replacement {
            Some(r) if flags::present_in(r, version) => {
                let written = s.origin.spelling.spell(r);
                f.help(format!("use `{written}` instead"))
                    .suggestion(written)
            }
            Some(r) if flags::lookup(r).is_some() => f.help(format!(
                "use `{}` instead (from Atlantis {} on)",
                s.origin.spelling.spell(r),
                flags::history(r).map_or(version, |h| h.added)
            )),
            Some(r) => f.help(format!("use {r} instead")),
            None => f.help("remove it; it has no replacement"),
        };
        out.push(f);
    }
}

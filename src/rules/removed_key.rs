use super::Context;
use crate::config::{KeyMatch, RawValue, Setting, Spelling};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;
use crate::value::{self, Value};

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

Severity: an error, except in the config file or the environment when the value is the flag's
old default (`false`, an empty string, `0`): `ATLANTIS_DISABLE_APPLY=false`, as a Helm chart
renders it, is ignored by Atlantis and changes nothing, so it is a warning (remove it). On the
command line it is always an error.

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

/// True when a removed flag is set to the value it defaulted to (`false`, empty, `0`): ignoring
/// it changes nothing.
fn old_default(s: &Setting) -> bool {
    let (KeyMatch::Removed(flag) | KeyMatch::Flag(flag)) = s.matched else {
        return false;
    };
    let value = match &s.value {
        RawValue::Text(t) => value::decode_text(t, flag.ty),
        RawValue::Scalar { resolved, .. } => value::decode_resolved(resolved, flag.ty, false),
        RawValue::Null => return true,
        _ => return false,
    };
    match value {
        Ok(Value::Bool(b)) => !b,
        Ok(Value::Int(i)) => i == 0,
        Ok(Value::Str(t)) => t.as_str().is_empty(),
        Ok(Value::Unknown(_)) | Err(_) => false,
    }
}

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
        let harmless = !matches!(s.origin.spelling, Spelling::Flag { .. }) && old_default(s);
        let effect = match s.origin.spelling {
            Spelling::Flag { .. } => "Atlantis refuses to start with `unknown flag`",
            _ if harmless => {
                "Atlantis ignores it, and its value was the old default, so nothing changes"
            }
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
        if harmless {
            f = f.severity(Severity::Warning);
        }
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
        if harmless {
            f = f.help(
                "remove it: Atlantis no longer reads it, and the value it holds was the default",
            );
        }
        out.push(f);
    }
}

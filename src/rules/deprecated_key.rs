use super::Context;
use crate::config::KeyMatch;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "deprecated-key",
    severity: Severity::Warning,
    summary: "a deprecated flag such as tf-distribution, naming its replacement",
    suppressible: true,
    docs: r#"## What it checks
Flags the Atlantis release being checked still accepts but has deprecated: in the latest release
`tf-distribution` (since v0.33.0); with `--atlantis-version`, that release's deprecations, such as
`repo-whitelist` and `silence-whitelist-errors` (v0.15.0 to v0.26.x, still copied into their
replacements) or `disable-apply` (v0.22.0 to v0.26.x).

## Why it matters
Atlantis prints `WARNING: Flag --tf-distribution has been deprecated.` at every start, and a
deprecated flag is removed in a later release, at which point the setting silently stops working.

## Example
```yaml
tf-distribution: opentofu
```

## Fix
Use the replacement: `default-tf-distribution: opentofu`.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let version = cfg.version();
    for s in &cfg.settings {
        let (KeyMatch::Flag(flag) | KeyMatch::Removed(flag)) = s.matched else {
            continue;
        };
        if !cfg.in_version(s) {
            continue;
        }
        let Some(deprecation) = flags::history(flag).and_then(|h| h.deprecated_in(version)) else {
            continue;
        };
        let mut f = Finding::new(
            &RULE,
            s.origin.key(),
            format!("`{}` is deprecated", flag.name),
        )
        .key(flag.name)
        .label("deprecated flag");
        match deprecation.replacement.or(flag.replacement) {
            Some(r) if flags::present_in(r, version) => {
                let written = s.origin.spelling.spell(r);
                f = f
                    .help(format!("use `{written}` instead"))
                    .suggestion(written);
            }
            Some(r) if flags::lookup(r).is_none() => f = f.help(format!("use {r} instead")),
            _ => {}
        }
        out.push(f);
    }
}

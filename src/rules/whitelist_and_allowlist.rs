use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags::{self, FlagId, FlagName};
use crate::value::Value;

pub static RULE: RuleInfo = RuleInfo {
    id: "whitelist-and-allowlist",
    severity: Severity::Error,
    summary: "both repo-whitelist and repo-allowlist (or both silence-*-errors) on an Atlantis before v0.27.0, which refuses to start",
    suppressible: true,
    docs: r#"## What it checks
For the releases that still have the old names (v0.15.0 to v0.26.x): `repo-whitelist` and
`repo-allowlist` both set to a non-empty value, or `silence-whitelist-errors` and
`silence-allowlist-errors` both true. From v0.27.0 the old names are gone (`removed-key`).

## Why it matters
Atlantis's `validate()` (cmd/server.go) refuses to start with `both --repo-allowlist and
--repo-whitelist cannot be set–use --repo-allowlist` (or the same for
`--silence-allowlist-errors`). The old name is a deprecated alias whose value Atlantis copies into
the new one; it may not stand beside it.

## Example
With `--atlantis-version v0.26.0`:
```yaml
repo-whitelist: github.com/acme/*
repo-allowlist: github.com/acme/*
```

## Fix
Keep `repo-allowlist` (`silence-allowlist-errors`) and remove the old name.
"#,
};

/// (the old name, the new name).
const PAIRS: [(FlagId, FlagId); 2] = [
    (flags::REPO_WHITELIST, flags::REPO_ALLOWLIST),
    (
        flags::SILENCE_WHITELIST_ERRORS,
        flags::SILENCE_ALLOWLIST_ERRORS,
    ),
];

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    for (old, new) in PAIRS {
        if !flags::present_in(old, cfg.version()) {
            continue;
        }
        // Strings: both non-empty; bools: both true (Atlantis compares the values).
        let set = |f: FlagId| match cfg.explicit(f) {
            Some(Value::Str(t)) => !t.as_str().is_empty(),
            Some(Value::Bool(b)) => *b,
            _ => false,
        };
        if !(set(old) && set(new)) {
            continue;
        }
        let atlantis = format!("both --{new} and --{old} cannot be set–use --{new}");
        let written = cfg.winner(new).map_or(new.to_string(), |s| {
            s.origin.spelling.spell(new.flag_name())
        });
        out.push(
            Finding::new(
                &RULE,
                cfg.location(old),
                format!(
                    "{old} and {new} are both set: Atlantis {} refuses to start",
                    cfg.version()
                ),
            )
            .key(old)
            .label(format!("the old name of {new}"))
            .related(cfg.location(new), "the new name, set here")
            .help(format!(
                "remove {old} and keep `{written}`; Atlantis refuses to start with: {atlantis}"
            )),
        );
    }
}

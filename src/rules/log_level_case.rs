use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "log-level-case",
    severity: Severity::Warning,
    summary: "log-level in upper case: Atlantis accepts it but runs at info",
    suppressible: true,
    docs: r#"## What it checks
`log-level` is one of `debug`, `info`, `warn`, `error` written with upper-case letters
(`DEBUG`, `Warn`).

## Why it matters
Atlantis validates the level case-insensitively but converts it case-sensitively: `DEBUG` passes
the startup check and the server then logs at `info`, so the debug output you asked for never
appears.

## Example
```yaml
log-level: DEBUG
```

## Fix
Write the level in lower case: `log-level: debug`.
"#,
};

const LEVELS: &[&str] = &["debug", "info", "warn", "error"];

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let Some(text) = cfg.explicit_text(flags::LOG_LEVEL) else {
        return;
    };
    let value = text.as_str();
    let lower = value.to_ascii_lowercase();
    // `INFO` runs at info anyway.
    if value == lower || !LEVELS.contains(&lower.as_str()) || lower == "info" {
        return;
    }
    out.push(
        Finding::new(
            &RULE,
            cfg.value_location(flags::LOG_LEVEL),
            format!("log-level `{value}` is not lower case: Atlantis accepts it but runs at info, not {lower}"),
        )
        .key(flags::LOG_LEVEL)
        .label("runs at info")
        .help(format!("write `{lower}`"))
        .suggestion(lower),
    );
}

use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "drift-remediation",
    severity: Severity::Error,
    summary: "enable-drift-remediation without enable-drift-detection",
    suppressible: false,
    docs: r#"## What it checks
`enable-drift-remediation: true` needs `enable-drift-detection: true`.

## Why it matters
Atlantis refuses to start with
`initializing server: --enable-drift-remediation requires --enable-drift-detection`.

## Example
```yaml
enable-drift-remediation: true
```

## Fix
Also set `enable-drift-detection: true`, or remove `enable-drift-remediation`.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.complete()
        || !cfg.bool("enable-drift-remediation")
        || cfg.bool("enable-drift-detection")
    {
        return;
    }
    out.push(
        Finding::new(
            &RULE,
            cfg.location("enable-drift-remediation"),
            "enable-drift-remediation is true but enable-drift-detection is not",
        )
        .key("enable-drift-remediation")
        .label("needs drift detection")
        .related(
            cfg.value_location("enable-drift-detection"),
            "drift detection is off here",
        )
        .help(
            "set enable-drift-detection: true as well; Atlantis refuses to start with: \
             --enable-drift-remediation requires --enable-drift-detection",
        )
        .map(|f| super::unknown_key::with_misspelling(f, cfg, &["enable-drift-detection"])),
    );
}

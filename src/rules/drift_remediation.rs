use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

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
        || !cfg.bool(flags::ENABLE_DRIFT_REMEDIATION)
        || cfg.bool(flags::ENABLE_DRIFT_DETECTION)
        || cfg.unknown(flags::ENABLE_DRIFT_DETECTION).is_some()
    {
        return;
    }
    out.push(
        Finding::new(
            &RULE,
            cfg.location(flags::ENABLE_DRIFT_REMEDIATION),
            "enable-drift-remediation is true but enable-drift-detection is not",
        )
        .key(flags::ENABLE_DRIFT_REMEDIATION)
        .label("needs drift detection")
        .related(
            cfg.value_location(flags::ENABLE_DRIFT_DETECTION),
            "drift detection is off here",
        )
        .help(
            "set enable-drift-detection: true as well; Atlantis refuses to start with: \
             --enable-drift-remediation requires --enable-drift-detection",
        ),
    );
}

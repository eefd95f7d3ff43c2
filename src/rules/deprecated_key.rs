use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "deprecated-key",
    severity: Severity::Warning,
    summary: "a deprecated flag such as tf-distribution, naming its replacement",
    suppressible: true,
    docs: r#"## What it checks
Flags Atlantis still accepts but has deprecated (today: `tf-distribution`).

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
    for s in &ctx.cfg.settings {
        let Some(flag) = s.flag().filter(|f| f.deprecated) else {
            continue;
        };
        let mut f = Finding::new(
            &RULE,
            s.origin.key(),
            format!("`{}` is deprecated", flag.name),
        )
        .key(flag.name)
        .label("deprecated flag");
        if let Some(r) = flag.replacement {
            let written = s.origin.spelling.spell(r);
            f = f
                .help(format!("use `{written}` instead"))
                .suggestion(written);
        }
        out.push(f);
    }
}

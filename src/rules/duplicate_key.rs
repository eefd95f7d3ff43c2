use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "duplicate-key",
    severity: Severity::Error,
    summary: "a key appears twice in the config file, including twice up to case",
    suppressible: true,
    docs: r#"## What it checks
Each key may appear once in the config file. Keys are compared the way Atlantis compares them:
without regard to case, so `gh-user` and `GH-USER` are the same key.

## Why it matters
An exact duplicate is a YAML error and Atlantis refuses to start. Two keys that differ only in
case are both accepted by YAML, then folded onto one key by viper; which value wins depends on Go's
map iteration order, so it changes from one start to the next.

## Example
```yaml
gh-user: atlantis-bot
GH-USER: other-bot
```

## Fix
Keep one of the two entries.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(file) = &ctx.cfg.file else { return };
    for dup in &file.duplicates {
        let (message, help) = if dup.exact {
            (
                format!("key `{}` is defined twice", dup.key),
                "remove one of the two entries; Atlantis refuses to start on a duplicate key",
            )
        } else {
            (
                format!(
                    "key `{}` is defined twice up to case; Atlantis picks one of them at random",
                    dup.key
                ),
                "keys are case-insensitive in Atlantis: keep one of the two entries",
            )
        };
        let key = crate::flags::lookup_key(&dup.key).map(|f| f.name.to_string());
        let mut f = Finding::new(&RULE, dup.second.key(), message)
            .label("defined again here")
            .related(dup.first.key(), "first defined here")
            .help(help);
        if let Some(k) = key {
            f = f.key(k);
        }
        out.push(f);
    }
}

use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-allowlist-scheme",
    severity: Severity::Error,
    summary: "a repo-allowlist entry contains ://",
    suppressible: false,
    docs: r#"## What it checks
`repo-allowlist` entries are `host/owner/repo` patterns; none may contain `://`.

## Why it matters
Atlantis refuses to start with
`--repo-allowlist cannot contain ://, should be hostnames only`.

## Example
```yaml
repo-allowlist: https://github.com/acme/*
```

## Fix
Drop the scheme: `repo-allowlist: github.com/acme/*`.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let Some(value) = cfg.str(flags::REPO_ALLOWLIST) else {
        return;
    };
    if !value.contains("://") {
        return;
    }
    let fixed: Vec<&str> = value
        .split(',')
        .map(|e| match e.find("://") {
            Some(i) => &e[i + 3..],
            None => e,
        })
        .collect();
    let fixed = fixed.join(",");
    let bad: Vec<&str> = value.split(',').filter(|e| e.contains("://")).collect();
    out.push(
        Finding::new(
            &RULE,
            cfg.value_location(flags::REPO_ALLOWLIST),
            format!(
                "repo-allowlist entries must not contain `://`: {}",
                bad.iter()
                    .map(|e| format!("`{e}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .key(flags::REPO_ALLOWLIST)
        .label("scheme in an allowlist entry")
        .help(format!(
            "write hostnames without a scheme: `{fixed}`; Atlantis refuses to start with: \
             --repo-allowlist cannot contain ://, should be hostnames only"
        ))
        .suggestion(fixed),
    );
}

use super::{DocContext, SILENCE};
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-silence-pr-comments",
    severity: Severity::Error,
    summary: "a silence_pr_comments value other than plan or apply",
    suppressible: false,
    docs: r#"## What it checks
`repos[].silence_pr_comments` takes `plan` and `apply`:
`server-side repo config 'silence_pr_comments' key value of 'policy_check' is not supported,
supported values are [plan, apply]`.

## Why it matters
Atlantis refuses to start.

## Example
```yaml
repos:
- id: /.*/
  silence_pr_comments: [plan, policy_check]
```

## Fix
Keep `plan` and/or `apply`.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(g) = ctx.global() else { return };
    for r in &g.repos {
        let Some(list) = &r.silence_pr_comments else {
            continue;
        };
        for v in &list.v {
            if SILENCE.contains(&v.v.as_str()) {
                continue;
            }
            let atl = format!(
                "server-side repo config 'silence_pr_comments' key value of '{}' is not supported, supported values are [plan, apply]",
                v.v
            );
            out.push(
                Finding::new(&RULE, ctx.at(v.span), atl.clone())
                    .label("not plan or apply")
                    .help(ctx.refused(&atl)),
            );
        }
    }
}

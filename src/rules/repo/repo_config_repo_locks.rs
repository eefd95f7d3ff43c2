use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::repo_config::model::RepoLocks;
use crate::repo_config::ozzo;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-repo-locks",
    severity: Severity::Error,
    summary: "a repo_locks mode other than disabled, on_plan or on_apply",
    suppressible: false,
    docs: r#"## What it checks
`repo_locks.mode` is `disabled`, `on_plan` or `on_apply`:
`repos: (0: (repo_locks: (mode: must be a valid value.).).).`

## Why it matters
Atlantis refuses to start (and rejects the same in a repo's `atlantis.yaml`).

## Example
```yaml
repos:
- id: /.*/
  repo_locks:
    mode: on-plan
```

## Fix
`mode: on_plan`.
"#,
};

pub const MODES: &[&str] = &["disabled", "on_plan", "on_apply"];

pub fn finding(
    ctx: &DocContext,
    rule: &'static RuleInfo,
    l: &RepoLocks,
    path: &[&str],
) -> Option<Finding> {
    let m = l.mode.as_ref()?;
    if MODES.contains(&m.v.as_str()) {
        return None;
    }
    let mut p = path.to_vec();
    p.extend(["repo_locks", "mode"]);
    let atl = ozzo(&p, "must be a valid value");
    let f = Finding::new(rule, ctx.at(m.span), atl.clone()).label("not a lock mode");
    let fixed = m.v.to_lowercase().replace('-', "_");
    Some(if MODES.contains(&fixed.as_str()) {
        f.suggestion(fixed.clone())
            .help(format!("did you mean `{fixed}`? {}", ctx.refused(&atl)))
    } else {
        f.help(format!(
            "use disabled, on_plan or on_apply. {}",
            ctx.refused(&atl)
        ))
    })
}

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(g) = ctx.global() else { return };
    for r in &g.repos {
        if let Some(l) = &r.repo_locks {
            let idx = r.index.to_string();
            out.extend(finding(ctx, &RULE, l, &["repos", &idx]));
        }
    }
}

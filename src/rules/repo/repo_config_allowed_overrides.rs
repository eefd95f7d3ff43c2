use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::repo_config::ozzo;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-allowed-overrides",
    severity: Severity::Error,
    summary: "an allowed_overrides entry that is not a key a repo's atlantis.yaml can override",
    suppressible: false,
    docs: r#"## What it checks
`allowed_overrides` lists the keys a repository's `atlantis.yaml` may set. Atlantis (v0.47)
accepts ten: `plan_requirements`, `apply_requirements`, `import_requirements`, `workflow`,
`delete_source_branch_on_merge`, `repo_locking`, `repo_locks`, `policy_check`,
`custom_policy_check`, `silence_pr_comments` (the docs list six). Anything else:
`repos: (0: (allowed_overrides: "workflows" is not a valid override, only "plan_requirements", ... are supported.).).`

## Why it matters
Atlantis refuses to start.

## Example
```yaml
repos:
- id: /.*/
  allowed_overrides: [workflows]
```

## Fix
`allowed_overrides: [workflow]` (custom workflow definitions need `allow_custom_workflows: true`).
"#,
};

pub const OVERRIDES: &[&str] = &[
    "plan_requirements",
    "apply_requirements",
    "import_requirements",
    "workflow",
    "delete_source_branch_on_merge",
    "repo_locking",
    "repo_locks",
    "policy_check",
    "custom_policy_check",
    "silence_pr_comments",
];

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(g) = ctx.global() else { return };
    for r in &g.repos {
        let Some(list) = &r.allowed_overrides else {
            continue;
        };
        let Some(bad) = list.v.iter().find(|o| !OVERRIDES.contains(&o.v.as_str())) else {
            continue;
        };
        let idx = r.index.to_string();
        let msg = format!(
            "{:?} is not a valid override, only \"plan_requirements\", \"apply_requirements\", \"import_requirements\", \"workflow\", \"delete_source_branch_on_merge\", \"repo_locking\", \"repo_locks\", \"policy_check\", \"custom_policy_check\", and \"silence_pr_comments\" are supported",
            bad.v
        );
        let a = ozzo(&["repos", &idx, "allowed_overrides"], &msg);
        let mut f = Finding::new(&RULE, ctx.at(bad.span), a.clone()).label("not an override");
        let hint = if bad.v == "workflows" || bad.v == "allow_custom_workflows" {
            "custom workflow definitions are allowed with `allow_custom_workflows: true`, not an override; ".to_string()
        } else {
            String::new()
        };
        f = match super::closest(&bad.v, OVERRIDES) {
            Some(s) => f
                .suggestion(s)
                .help(format!("{hint}did you mean `{s}`? {}", ctx.refused(&a))),
            None => f.help(format!("{hint}{}", ctx.refused(&a))),
        };
        out.push(f);
    }
}

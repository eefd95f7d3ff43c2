use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-undefined-workflow",
    severity: Severity::Error,
    summary: "a repos[].workflow or allowed_workflows entry naming a workflow the file does not define",
    suppressible: false,
    docs: r#"## What it checks
`repos[].workflow` and each `repos[].allowed_workflows` entry must be `default` or a key of
`workflows`: `workflow "notdefined" is not defined` (`raw.GlobalCfg.Validate`). Atlantis stops at the
first; every one is reported here.

## Why it matters
Atlantis refuses to start.

## Example
```yaml
repos:
- id: /.*/
  workflow: terragrunt
workflows:
  terragrunt-v2:
    plan:
      steps: [init, plan]
```

## Fix
Name a defined workflow, or define it.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(g) = ctx.global() else { return };
    let defined: Vec<&str> = g.workflows.iter().map(|w| w.name.v.as_str()).collect();
    let lookup: std::collections::HashSet<&str> = defined.iter().copied().collect();
    for r in &g.repos {
        let referenced = r.workflow.iter().map(|w| (w, "workflow")).chain(
            r.allowed_workflows
                .iter()
                .flat_map(|l| l.v.iter().map(|w| (w, "allowed_workflows"))),
        );
        for (w, key) in referenced {
            if w.v == "default" || lookup.contains(w.v.as_str()) {
                continue;
            }
            let atl = format!("workflow {:?} is not defined", w.v);
            let close = defined
                .iter()
                .copied()
                .filter(|d| crate::flags::edit_distance(d, &w.v, 3) <= 3)
                .min_by_key(|d| crate::flags::edit_distance(d, &w.v, 3));
            let mut f = Finding::new(&RULE, ctx.at(w.span), atl.clone())
                .label(format!("not under `workflows:` ({key})"));
            f = match close {
                Some(c) => f
                    .suggestion(c)
                    .help(format!("did you mean `{c}`? {}", ctx.refused(&atl))),
                None => f.help(format!(
                    "define it under `workflows:`, or use `default`. {}",
                    ctx.refused(&atl)
                )),
            };
            out.push(f);
        }
    }
}

use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-step-shape",
    severity: Severity::Warning,
    summary: "a workflow step or stage Atlantis accepts that does nothing: an empty run command, `steps: []`, an output option it ignores",
    suppressible: true,
    docs: r#"## What it checks
Workflow shapes that pass validation but do not do what they look like:
- `- run:` with nothing after it (or `run: ""`): a run step with an empty command;
- `steps: []`: the stage runs no step at all (an `apply` stage that never applies). A stage with
  no `steps` key, or `steps:` left empty (null), is different: it runs the default steps;
- an item of a run step's `output` list other than `show`, `hide`, `strip_refreshing` or
  `{filter_regex: ...}`: kept, and ignored.

The same checks run on the workflows of a repository's `atlantis.yaml`.

## Example
```yaml
workflows:
  custom:
    apply:
      steps: []
```

## Fix
Write the steps, or remove the stage to get the default ones.
"#,
};

pub fn findings(
    ctx: &DocContext,
    rule: &'static RuleInfo,
    workflows: &[crate::repo_config::model::Workflow],
    out: &mut Vec<Finding>,
) {
    for w in workflows {
        for stage in &w.stages {
            let Some(steps) = &stage.steps else { continue };
            if steps.v.is_empty() {
                out.push(
                    Finding::new(
                        rule,
                        ctx.at(steps.entry()),
                        format!(
                            "`steps: []` makes the {} stage of workflow `{}` run nothing",
                            stage.name,
                            super::shown(&w.name.v)
                        ),
                    )
                    .label("no steps")
                    .help(format!(
                        "write the steps, or remove `{}:` to run the default ones",
                        stage.name
                    )),
                );
            }
            for step in &steps.v {
                for n in &step.notes {
                    let mut f =
                        Finding::new(rule, ctx.at(n.span), n.message.clone()).label("does nothing");
                    if let Some(h) = &n.help {
                        f = f.help(h.clone());
                    }
                    out.push(f);
                }
            }
        }
    }
}

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    if let Some(g) = ctx.global() {
        findings(ctx, &RULE, &g.workflows, out);
    }
    if let Some(r) = ctx.repo_cfg() {
        findings(ctx, &RULE, &r.workflows, out);
    }
}

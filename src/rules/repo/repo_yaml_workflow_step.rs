use super::{DocContext, step_findings};
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-yaml-workflow-step",
    severity: Severity::Error,
    summary: "a workflow step in atlantis.yaml that Atlantis refuses (same checks as the server's workflows)",
    suppressible: false,
    docs: r#"## What it checks
The steps of the custom workflows a repository defines, exactly as `repo-config-workflow-step`
checks the server's: built-in names, `run`/`multienv` commands, `extra_args` lists, `env` steps,
and the step shapes the release checked does not have yet (`state_rm` before v0.23.0, a `run:` map
before v0.24.4, `shell` before v0.31.0, ...; see `repo-config-workflow-step`), named with the
release that added them.

## Why it matters
Atlantis rejects the file at every pull request.

## Example
```yaml
version: 3
workflows:
  custom:
    plan:
      steps:
      - policy_check:
          extra_args:["--all-namespaces"]
```

## Fix
A space after the colon: `extra_args: ["--all-namespaces"]`.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(r) = ctx.repo_cfg() else { return };
    step_findings(ctx, &RULE, &r.workflows, out);
}

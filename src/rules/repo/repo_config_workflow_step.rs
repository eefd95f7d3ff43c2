use super::{DocContext, step_findings};
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-workflow-step",
    severity: Severity::Error,
    summary: "a workflow step Atlantis refuses: an unknown step, a bare `run`, several keys, bad extra_args, env/run/multienv options",
    suppressible: false,
    docs: r#"## What it checks
Each step of `workflows.<name>.<stage>.steps` as `raw.Step.Validate` checks it (21 cases):
a bare built-in name (`init`, `plan`, `apply`, `show`, `policy_check`, `import`, `state_rm`, `env`,
`multienv`; a bare `run` is not one), `- run: <command>` or `- multienv: <command>`,
`- <builtin>: {extra_args: [...]}`, and `run`/`multienv`/`env` maps with their keys. The message is
Atlantis's, with its path: `workflows: (default: (plan: (steps: (0: "run" is not a valid step type,
maybe you omitted the 'run' key.).).).).`

Go tries the shapes in order (string, `map[string]string`, `map[string]map[string][]string`,
`map[string]map[string]any`), so a value of the wrong shape gets a misleading message:
`extra_args: "-upgrade"` (not a list) or `extra_args:["--all"]` (no space after the colon: one
string) give `"plan" is not a valid step type`. The help says what happened.

A run step's output list `{filter_regex: ...}` is compiled with `regexp.MustCompile` when the
workflow is loaded: a bad pattern there panics.

## Why it matters
Atlantis refuses to start.

## Example
```yaml
workflows:
  custom:
    plan:
      steps:
      - run
      - init: {extra_args: "-upgrade"}
```

## Fix
`- run: terraform fmt -check`, `- init: {extra_args: ["-upgrade"]}`.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(g) = ctx.global() else { return };
    step_findings(ctx, &RULE, &g.workflows, out);
}

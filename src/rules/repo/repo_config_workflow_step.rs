use super::{DocContext, step_findings};
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-workflow-step",
    severity: Severity::Error,
    summary: "a workflow step Atlantis refuses: an unknown step, a bare `run`, several keys, bad extra_args, env/run/multienv options, a shape the release checked does not have yet",
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

Steps follow the release checked (`--atlantis-version`, the settings file or the image tag;
`data/repo-config-keys.json`, `steps`), as `raw.Step`'s `validStepName`, `unmarshalGeneric` and
`Validate` stand at each tag. A shape that release does not have yet is refused with its message,
and the finding names the release that added it:
- the built-in steps `show` (v0.17.1), `multienv` (v0.19.4), `import` (v0.22.0) and `state_rm`
  (v0.23.0): `"state_rm" is not a valid step type, maybe you omitted the 'run' key`;
- `- multienv: <command>` (v0.19.4);
- `- run: {command, output}` (v0.24.4) and `- multienv: {command, output}` (v0.28.2): an older
  release decodes the map as an env step, `"run" is not a valid step type` (issue #3585);
- `shell`/`shellArgs` in a run, multienv or env step (v0.31.0): `env steps only support keys
  "name", "value" and "command", found key "shell"`, `"run" steps only support keys "command" and
  "output", found extra keys "shell"`;
- before v0.31.0 a step's options were decoded as strings only (`map[string]map[string]string`): a
  list `output` or `shellArgs` fails every shape, and the decoder's error is reported
  (`yaml: unmarshal errors: line N: cannot unmarshal !!map into string`, derived from the code;
  in `--repo-config-json`, `encoding/json`'s wording, which varies with the Go version).

From v0.31.0 to v0.36.x a list `output` is decoded but never read (`Step.ToValid` takes a string
only): the whole output is shown, and a `filter_regex` meant to hide secrets hides nothing. That
is a warning; lists are applied from v0.37.0.

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

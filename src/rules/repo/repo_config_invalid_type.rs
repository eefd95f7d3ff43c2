use super::{DocContext, invalid_type_findings};
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-invalid-type",
    severity: Severity::Error,
    summary: "a repo config value of the wrong shape: a string for a list, a list for a string, a word for a bool",
    suppressible: false,
    docs: r#"## What it checks
Each value must decode into its Go type: requirements and `allowed_overrides` are lists of strings,
`allow_custom_workflows` a bool, `repos` a list, `workflows` a mapping. The message is the
decoder's: `yaml: construct errors: line 3: cannot construct !!str `approved` into []string`
(`json: cannot unmarshal ...` for `--repo-config-json`).

## Why it matters
Atlantis refuses to start.

## Example
```yaml
repos:
- id: /.*/
  apply_requirements: approved
```

## Fix
Write the value in its shape: `apply_requirements: [approved]`.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    invalid_type_findings(ctx, &RULE, out);
}

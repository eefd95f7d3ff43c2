use super::{DocContext, invalid_type_findings};
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-yaml-invalid-type",
    severity: Severity::Error,
    summary: "an atlantis.yaml value of the wrong shape (`version: \"3\"`, `when_modified: \"*.tf\"`)",
    suppressible: false,
    docs: r#"## What it checks
Each value of a repo-level `atlantis.yaml` must decode into its Go type: `version` is an unquoted
number, `when_modified` and the requirements are lists, `automerge` a bool.

## Why it matters
Atlantis rejects the file at every pull request: `yaml: construct errors: line 1: cannot
construct !!str `3` into int`.

## Example
```yaml
version: "3"
projects:
- dir: .
```

## Fix
Write the value in its shape: `version: 3`.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    invalid_type_findings(ctx, &RULE, out);
}

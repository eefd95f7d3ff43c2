use super::{DocContext, syntax_findings};
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-yaml-syntax",
    severity: Severity::Error,
    summary: "a repository's atlantis.yaml does not parse: a YAML syntax error or a key written twice",
    suppressible: false,
    docs: r#"## What it checks
A repo-level `atlantis.yaml` must parse as YAML, with each key once per mapping. Atlantis reads it
at every pull request (`ParserValidator.ParseRepoCfgData`, yaml v4, `KnownFields(true)`).

## Why it matters
Atlantis comments the parse error on the pull request and plans nothing.

## Example
```yaml
version: 3
projects:
- dir: infra
  dir: modules
```

## Fix
Fix the syntax; keep one of two equal keys.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    syntax_findings(ctx, &RULE, out);
}

use super::{DocContext, unknown_key_findings};
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-yaml-unknown-key",
    severity: Severity::Error,
    summary: "a key a repository's atlantis.yaml cannot have (`raw.RepoCfg`, `raw.Project`, ...)",
    suppressible: true,
    docs: r#"## What it checks
Every key of a repo-level `atlantis.yaml` must be a field of `raw.RepoCfg`, `raw.Project`,
`raw.Autoplan`, `raw.Workflow` or `raw.Stage`. Server-only keys (`id`, `allowed_overrides`,
`pre_workflow_hooks`, ...) are unknown here.

A key added in a later Atlantis release than the one checked (`--atlantis-version`, the settings
file, or the server config's image tag) is unknown to that release too: `depends_on` (v0.27.0) or
`terraform_distribution` (v0.33.0) on an older server; the message names the release that added it.

## Why it matters
Atlantis rejects the file at every pull request: `yaml: construct errors: line 4: field
when_modifed not found in type raw.Autoplan`.

## Example
```yaml
version: 3
projects:
- dir: infra
  autoplan:
    when_modifed: ["*.tf"]
```

## Fix
Use the key Atlantis knows.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    unknown_key_findings(ctx, &RULE, out);
}

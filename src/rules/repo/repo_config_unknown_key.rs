use super::{DocContext, unknown_key_findings};
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-unknown-key",
    severity: Severity::Error,
    summary: "a key the server-side repo config does not have (refused in YAML, silently dropped in repo-config-json)",
    suppressible: true,
    docs: r#"## What it checks
Every key of the repo config must be a field of Atlantis's raw types (`raw.GlobalCfg`, `raw.Repo`,
`raw.Workflow`, `raw.Stage`, `raw.PolicySets`, `raw.Metrics`, `raw.ExternalStores`, ...). The
message is Atlantis's: `yaml: construct errors: line 3: field apply_requirement not found in type
raw.Repo`. A key added in a later Atlantis release says which one (`repo_config_file` needs
v0.22.0).

In `--repo-config-json`, Go's `encoding/json` matches keys without regard to case and drops
unknown ones without a word: the finding is a warning there, as the setting silently has no effect
(helm-charts #352).

## Why it matters
With a YAML file Atlantis refuses to start. With JSON the setting is lost.

## Example
```yaml
repos:
- id: /.*/
  apply_requirement: [approved]
```

## Fix
Use the key Atlantis knows (`apply_requirements`), or upgrade Atlantis for a newer key.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    unknown_key_findings(ctx, &RULE, out);
}

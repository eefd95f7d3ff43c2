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
raw.Repo`.

In `--repo-config-json`, Go's `encoding/json` matches keys without regard to case and drops
unknown ones without a word: the finding is a warning there, as the setting silently has no effect
(helm-charts #352).

A key added in a later Atlantis release than the one checked (`--atlantis-version`, the settings
file, or the server config's image tag; `data/repo-config-keys.json`) is unknown to that release:
the message names the release that added it (`silence_pr_comments` on v0.28.1: added in v0.28.2)
and quotes the error in that release's wording (yaml.v2/v3 `yaml: unmarshal errors: line N: ...`
up to v0.44.x, goccy/go-yaml `[L:C] unknown field "x"` in v0.35.0, `yaml: construct errors:` from
v0.45.0).

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

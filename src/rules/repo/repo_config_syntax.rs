use super::{DocContext, syntax_findings};
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-syntax",
    severity: Severity::Error,
    summary: "the server-side repo config does not parse: a YAML syntax error, an empty file or a key written twice",
    suppressible: false,
    docs: r#"## What it checks
The file named by `--repo-config` (or the JSON of `--repo-config-json`) must parse: Atlantis reads
it with go.yaml.in/yaml/v4 in `ParserValidator.ParseGlobalCfg` before anything else, refuses a file
of 0 bytes (`file <PATH> was empty`) and a key written twice in one mapping (`mapping key "id"
already defined at line 2`). A file holding only comments is not empty: it gives the default
config.

## Why it matters
Atlantis refuses to start: `initializing server: parsing repos.yaml file: ...`.

## Example
```yaml
repos:
- id: /.*/
  apply_requirements: [approved
```

## Fix
Close the bracket, quote values holding `: ` or `#`, keep one of two equal keys.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    syntax_findings(ctx, &RULE, out);
}

use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::repo_config::ozzo;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-repo-config-file",
    severity: Severity::Error,
    summary: "a repos[].repo_config_file that is absolute or climbs out of the repository (`../`)",
    suppressible: false,
    docs: r#"## What it checks
`repo_config_file` is a path inside the repository: no leading `/`
(`repos: (0: (repo_config_file: must not starts with a slash '/'.).).`) and no `../` or `..\`
(`must not contains parent directory path like '../'`).

## Why it matters
Atlantis refuses to start.

## Example
```yaml
repos:
- id: /.*/
  repo_config_file: /atlantis.yaml
```

## Fix
A relative path: `repo_config_file: path/to/atlantis.yaml`.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(g) = ctx.global() else { return };
    for r in &g.repos {
        let Some(f) = &r.repo_config_file else {
            continue;
        };
        let msg = if f.v.starts_with('/') {
            "must not starts with a slash '/'"
        } else if f.v.contains("../") || f.v.contains("..\\") {
            "must not contains parent directory path like '../'"
        } else {
            continue;
        };
        let idx = r.index.to_string();
        let a = ozzo(&["repos", &idx, "repo_config_file"], msg);
        let mut finding = Finding::new(&RULE, ctx.at(f.span), a.clone())
            .label("outside the repository")
            .help(format!(
                "write a path relative to the repository root. {}",
                ctx.refused(&a)
            ));
        if let Some(rel) = f.v.strip_prefix('/') {
            finding = finding.suggestion(rel.to_string());
        }
        out.push(finding);
    }
}

use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::repo_config::{goregex, ozzo};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-branch",
    severity: Severity::Error,
    summary: "a repos[].branch that is not a /regex/ or does not compile",
    suppressible: false,
    docs: r#"## What it checks
`repos[].branch` is a Go regular expression between slashes (since v0.21.0; before, a value
without slashes was silently ignored and matched every branch):
`repos: (0: (branch: regex must begin and end with a slash '/'.).).` It must compile (RE2).

Note that `branch` does not select settings: the entries are merged by `id` only, and `branch`
only gates which base branches Atlantis acts on (issues #5928, #5281).

## Why it matters
Atlantis refuses to start.

## Example
```yaml
repos:
- id: /.*/
  branch: main
```

## Fix
`branch: /^main$/`.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(g) = ctx.global() else { return };
    for r in &g.repos {
        let Some(b) = &r.branch else { continue };
        if b.v.is_empty() {
            continue;
        }
        let idx = r.index.to_string();
        if !(b.v.starts_with('/') && b.v.ends_with('/')) {
            let a = ozzo(
                &["repos", &idx, "branch"],
                "regex must begin and end with a slash '/'",
            );
            out.push(
                Finding::new(&RULE, ctx.at(b.span), a.clone())
                    .label("not a /regex/")
                    .help(format!(
                        "write `branch: /^{}$/`. {}",
                        super::shown(&b.v),
                        ctx.refused(&a)
                    ))
                    .suggestion(format!("/^{}$/", b.v)),
            );
            continue;
        }
        if b.v == "/" {
            out.push(
                Finding::new(&RULE, ctx.at(b.span), "branch `/` starts and ends with a slash but holds no pattern: Atlantis panics when it loads the config (slice bounds out of range [1:0])")
                    .label("crashes Atlantis")
                    .help("write `/.*/` for every branch, or remove the key"),
            );
            continue;
        }
        if let Err(e) = goregex::check(&b.v[1..b.v.len() - 1]) {
            let a = ozzo(
                &["repos", &idx, "branch"],
                &format!("parsing: {}: {e}", b.v),
            );
            out.push(
                Finding::new(&RULE, ctx.at(b.span), a.clone())
                    .label("not a Go regular expression")
                    .help(ctx.refused(&a)),
            );
        }
    }
}

use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::repo_config::{goregex, ozzo};
use crate::version::Version;

/// The first release whose `raw.Repo.Validate` (`branchValid`) refuses a branch without slashes.
/// Before it, `HasRegexBranch` is false for such a value, `ToValid` leaves `BranchRegex` nil and
/// `valid.Repo.BranchMatches` answers true for every branch.
const SLASHES_REQUIRED: Version = Version::new(0, 21, 0);

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-branch",
    severity: Severity::Error,
    summary: "a repos[].branch that is not a /regex/ (refused from v0.21.0, ignored before) or does not compile",
    suppressible: false,
    docs: r#"## What it checks
`repos[].branch` is a Go regular expression between slashes:
`repos: (0: (branch: regex must begin and end with a slash '/'.).).` It must compile (RE2).

Atlantis refuses a value without slashes since v0.21.0 (`branchValid` in `raw.Repo.Validate`).
Before, `branchValid` skipped it (`HasRegexBranch` is false), `ToValid` left `BranchRegex` nil,
and `valid.Repo.BranchMatches` answers true for every branch: the entry silently applies to pull
requests against every base branch. Checked against such a release (`--atlantis-version`), the
finding is a warning that says so.

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
            let release = ctx.doc.release;
            if release < SLASHES_REQUIRED {
                out.push(
                    Finding::new(
                        &RULE,
                        ctx.at(b.span),
                        format!(
                            "Atlantis {release} ignores `branch: {}`: without slashes it is no regex, so this entry acts on pull requests against every base branch (Atlantis refuses such a branch from {SLASHES_REQUIRED})",
                            super::shown(&b.v)
                        ),
                    )
                    .severity(Severity::Warning)
                    .label(format!("ignored before {SLASHES_REQUIRED}"))
                    .help(format!(
                        "write `branch: /^{}$/` to act only on that base branch",
                        super::shown(&b.v)
                    ))
                    .suggestion(format!("/^{}$/", b.v)),
                );
                continue;
            }
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

use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::repo_config::{goregex, ozzo};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-repo-id",
    severity: Severity::Error,
    summary: "a repos[] entry without an id, or whose /regex/ id is not a valid Go regular expression",
    suppressible: false,
    docs: r#"## What it checks
Every `repos[]` entry needs an `id` (`repos: (0: (id: cannot be blank.).).`). An id that starts and
ends with `/` is a Go (RE2) regular expression and must compile (`raw.Repo.Validate`):
`repos: (0: (id: parsing: /?/: error parsing regexp: missing argument to repetition operator: `?`.).).`
RE2 has no look-around and no back-references; the check parses the pattern in linear time, so a
pattern that is pathological for a backtracking engine costs nothing.

An id of a single `/` both starts and ends with a slash: Atlantis slices it as `id[1:0]` and
panics at startup.

## Why it matters
Atlantis refuses to start (or crashes, for `/`).

## Example
```yaml
repos:
- id: /github.com/acme/(?!legacy).*/
```

## Fix
Write an RE2 pattern (`/github\.com/acme/.*/`, then exclude with a later, more specific entry).
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(g) = ctx.global() else { return };
    for r in g.repos.iter().filter(|r| r.decoded) {
        let idx = r.index.to_string();
        match &r.id {
            None => {
                let a = ozzo(&["repos", &idx, "id"], "cannot be blank");
                out.push(
                    Finding::new(&RULE, ctx.at(r.span), a.clone())
                        .label("no id")
                        .help(format!(
                            "add `id: github.com/owner/repo` (or `id: /regex/`). {}",
                            ctx.refused(&a)
                        )),
                );
            }
            Some(id) if id.v.is_empty() => {
                let a = ozzo(&["repos", &idx, "id"], "cannot be blank");
                out.push(
                    Finding::new(&RULE, ctx.at(id.entry()), a.clone())
                        .label("empty id")
                        .help(format!(
                            "write the repository (`github.com/owner/repo`) or a `/regex/`. {}",
                            ctx.refused(&a)
                        )),
                );
            }
            Some(id) if id.v == "/" => {
                out.push(
                    Finding::new(&RULE, ctx.at(id.span), "id `/` starts and ends with a slash but holds no pattern: Atlantis panics at startup (slice bounds out of range [1:0])")
                        .label("crashes Atlantis")
                        .help("write `/.*/` to match every repository"),
                );
            }
            Some(id) => {
                let Some(pattern) = r.regex_id().map(|i| &i.v[1..i.v.len() - 1]) else {
                    continue;
                };
                if let Err(e) = goregex::check(pattern) {
                    let a = ozzo(&["repos", &idx, "id"], &format!("parsing: {}: {e}", id.v));
                    out.push(
                        Finding::new(&RULE, ctx.at(id.span), a.clone())
                            .label("not a Go regular expression")
                            .help(format!(
                                "Go's RE2 has no look-around or back-references; match what to include, and list exceptions as later entries. {}",
                                ctx.refused(&a)
                            )),
                    );
                }
            }
        }
    }
}

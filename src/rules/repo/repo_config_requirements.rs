use super::{DocContext, REQUIREMENTS, bad_requirement};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::repo_config::ozzo;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-requirements",
    severity: Severity::Error,
    summary: "a plan/apply/import requirement other than approved, mergeable or undiverged",
    suppressible: false,
    docs: r#"## What it checks
`plan_requirements`, `apply_requirements` and `import_requirements` take `approved`, `mergeable`
and `undiverged` only: `repos: (0: (apply_requirements: "approve" is not a valid
apply_requirement, only "approved", "mergeable" and "undiverged" are supported.).).`
`policies_passed` is not accepted either, although Atlantis adds it internally with
`--enable-policy-checks`.

## Why it matters
Atlantis refuses to start.

## Example
```yaml
repos:
- id: /.*/
  apply_requirements: [approve, mergeable]
```

## Fix
`apply_requirements: [approved, mergeable]`.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(g) = ctx.global() else { return };
    for r in &g.repos {
        let idx = r.index.to_string();
        for (key, list) in [
            ("plan_requirements", &r.plan_requirements),
            ("apply_requirements", &r.apply_requirements),
            ("import_requirements", &r.import_requirements),
        ] {
            let Some((bad, msg)) = bad_requirement(key, list) else {
                continue;
            };
            let a = ozzo(&["repos", &idx, key], &msg);
            let mut f = Finding::new(&RULE, ctx.at(bad.span), a.clone()).label("not a requirement");
            let extra = if bad.v == "policies_passed" {
                "policies_passed is added by --enable-policy-checks, never written here; "
            } else {
                ""
            };
            f = match super::closest(&bad.v, REQUIREMENTS) {
                Some(s) => f
                    .suggestion(s)
                    .help(format!("{extra}did you mean `{s}`? {}", ctx.refused(&a))),
                None => f.help(format!("{extra}{}", ctx.refused(&a))),
            };
            out.push(f);
        }
    }
}

use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-yaml-version",
    severity: Severity::Error,
    summary: "an atlantis.yaml without `version:`, or with a version other than 2 or 3",
    suppressible: false,
    docs: r#"## What it checks
`version` is required and must be 2 or 3 (`raw.RepoCfg.Validate`): `version: is required. If
you've just upgraded Atlantis you need to rewrite your atlantis.yaml for version 3. See
www.runatlantis.io/docs/upgrading-atlantis-yaml.html.` and `version: only versions 2 and 3 are
supported.` The two versions differ only in how custom `run` commands are parsed (2: with legacy
shell parsing).

## Example
```yaml
projects:
- dir: infra
```

## Fix
`version: 3` at the top.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(r) = ctx.repo_cfg() else { return };
    match &r.version {
        None if r.version_key.is_none() => {
            let atl = "version: is required. If you've just upgraded Atlantis you need to rewrite your atlantis.yaml for version 3. See www.runatlantis.io/docs/upgrading-atlantis-yaml.html.";
            out.push(
                Finding::new(
                    &RULE,
                    ctx.at(crate::source::Span::new(r.span.start, r.span.start)),
                    atl,
                )
                .label("no version")
                .help(format!("add `version: 3` at the top. {}", ctx.refused(atl))),
            );
        }
        Some(v) if v.v != 2 && v.v != 3 => {
            let atl = "version: only versions 2 and 3 are supported.";
            out.push(
                Finding::new(&RULE, ctx.at(v.span), atl)
                    .label("not 2 or 3")
                    .help(format!("write `version: 3`. {}", ctx.refused(atl)))
                    .suggestion("3"),
            );
        }
        _ => {}
    }
}

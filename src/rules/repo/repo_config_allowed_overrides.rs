use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::repo_config::ozzo;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-allowed-overrides",
    severity: Severity::Error,
    summary: "an allowed_overrides entry that is not a key a repo's atlantis.yaml can override",
    suppressible: false,
    docs: r#"## What it checks
`allowed_overrides` lists the keys a repository's `atlantis.yaml` may set. The list grew with
the releases (`data/repo-config-keys.json`: `import_requirements` and `repo_locking` v0.22.0,
`plan_requirements` v0.23.0, `policy_check` v0.24.4, `custom_policy_check` v0.26.0, `repo_locks`
v0.28.0, `silence_pr_comments` v0.28.2); the release being checked decides. Atlantis v0.47
accepts ten: `plan_requirements`, `apply_requirements`, `import_requirements`, `workflow`,
`delete_source_branch_on_merge`, `repo_locking`, `repo_locks`, `policy_check`,
`custom_policy_check`, `silence_pr_comments` (the docs list six). Anything else:
`repos: (0: (allowed_overrides: "workflows" is not a valid override, only "plan_requirements", ... are supported.).).`

## Why it matters
Atlantis refuses to start.

## Example
```yaml
repos:
- id: /.*/
  allowed_overrides: [workflows]
```

## Fix
`allowed_overrides: [workflow]` (custom workflow definitions need `allow_custom_workflows: true`).
"#,
};

pub const OVERRIDES: &[&str] = &[
    "plan_requirements",
    "apply_requirements",
    "import_requirements",
    "workflow",
    "delete_source_branch_on_merge",
    "repo_locking",
    "repo_locks",
    "policy_check",
    "custom_policy_check",
    "silence_pr_comments",
];

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(g) = ctx.global() else { return };
    let release = ctx.doc.release;
    // The release's overrides, in the order Atlantis's message lists them.
    let accepted = crate::repo_keys::allowed_overrides(release);
    let valid: Vec<&'static str> = OVERRIDES
        .iter()
        .copied()
        .filter(|o| accepted.contains(o))
        .collect();
    for r in &g.repos {
        let Some(list) = &r.allowed_overrides else {
            continue;
        };
        let Some(bad) = list.v.iter().find(|o| !valid.contains(&o.v.as_str())) else {
            continue;
        };
        let idx = r.index.to_string();
        let msg = format!(
            "{:?} is not a valid override, only {} are supported",
            bad.v,
            go_list(&valid, release)
        );
        let a = ozzo(&["repos", &idx, "allowed_overrides"], &msg);
        let later = crate::repo_keys::override_since(&bad.v).filter(|s| *s > release);
        let mut f = Finding::new(&RULE, ctx.at(bad.span), a.clone()).label(match later {
            Some(since) => format!("an override from {since}"),
            None => "not an override".into(),
        });
        let hint = if let Some(since) = later {
            format!(
                "`{}` is an override from Atlantis {since}; this is {release}: upgrade, or remove it; ",
                bad.v
            )
        } else if bad.v == "workflows" || bad.v == "allow_custom_workflows" {
            "custom workflow definitions are allowed with `allow_custom_workflows: true`, not an override; ".to_string()
        } else {
            String::new()
        };
        f = match super::closest(&bad.v, &valid).filter(|_| later.is_none()) {
            Some(s) => f
                .suggestion(s)
                .help(format!("{hint}did you mean `{s}`? {}", ctx.refused(&a))),
            None => f.help(format!("{hint}{}", ctx.refused(&a))),
        };
        out.push(f);
    }
}

/// Go's `%q, %q and %q` (`%q, %q, and %q` from v0.26.0) over the release's overrides.
fn go_list(values: &[&str], release: crate::version::Version) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    let Some((last, rest)) = quoted.split_last() else {
        return String::new();
    };
    if rest.is_empty() {
        return last.clone();
    }
    let and = if release >= crate::version::Version::new(0, 26, 0) {
        ", and "
    } else {
        " and "
    };
    format!("{}{and}{last}", rest.join(", "))
}

use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::repo_config::{goregex, ozzo};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-policies",
    severity: Severity::Warning,
    summary: "a policies block Atlantis never validates at startup and that breaks at plan time: no policy sets, no name or path, an unknown source",
    suppressible: true,
    docs: r#"## What it checks
`GlobalCfg.Validate` checks `repos`, `workflows` and `metrics`, never `policies`:
`PolicySets.Validate()` exists, with tested messages, but only the tests call it. So Atlantis
starts with a policies block that cannot work, and policy checks fail at the first plan. This rule
applies Atlantis's own rules and wording:
- `policy_sets: cannot be empty; Declare policies that you would like to enforce`;
- `policy_sets: (0: (name: is required; path: is required.).)`;
- `source: only 'local' and 'github' source types are supported` (the docs say local only);
- `conftest_version: version "x" could not be parsed: malformed version: x` (Atlantis drops it and
  uses its default conftest);
- `policy_item_regex "(" is not a valid regular expression: ...`.

An error when the server config enables policy checks (`enable-policy-checks`), a warning
otherwise.

## Example
```yaml
policies:
  policy_sets:
  - name: terraform
    source: git
```

## Fix
Give every set a `name` and a `path`, and `source: local` (or `github`).
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(p) = ctx.global().and_then(|g| g.policies.as_ref()) else {
        return;
    };
    let severity = if ctx.server.is_some_and(|s| s.enable_policy_checks) {
        Severity::Error
    } else {
        Severity::Warning
    };
    let when = if severity == Severity::Error {
        "enable-policy-checks is on: policy checks fail at plan time"
    } else {
        "Atlantis starts, but policy checks (enable-policy-checks) fail at plan time"
    };
    let mut push = |span, atlantis: String, label: &str, fix: &str| {
        out.push(
            Finding::new(&RULE, ctx.at(span), atlantis.clone())
                .severity(severity)
                .label(label)
                .help(format!("{fix}; {when} (never validated at startup)")),
        );
    };
    if let Some(v) = &p.conftest_version {
        if let Err(e) = super::go_version(&v.v) {
            push(
                v.span,
                ozzo(
                    &["conftest_version"],
                    &format!("version {:?} could not be parsed: {e}", v.v),
                ),
                "not a version",
                "write a version such as `0.56.0`; Atlantis drops this one and uses its default conftest",
            );
        }
    }
    match &p.policy_sets {
        Some(sets) if !sets.v.is_empty() => {
            for s in &sets.v {
                let idx = s.index.to_string();
                let mut missing = Vec::new();
                if s.name.as_ref().is_none_or(|n| n.v.is_empty()) {
                    missing.push("name: is required");
                }
                if s.path.as_ref().is_none_or(|n| n.v.is_empty()) {
                    missing.push("path: is required");
                }
                if !missing.is_empty() {
                    let inner = missing.join("; ");
                    push(
                        s.span,
                        format!("policy_sets: ({idx}: ({inner}.).)."),
                        "incomplete policy set",
                        "give the policy set a `name` and a `path`",
                    );
                }
                if let Some(src) = s
                    .source
                    .as_ref()
                    .filter(|x| !x.v.is_empty() && x.v != "local" && x.v != "github")
                {
                    push(
                        src.span,
                        ozzo(
                            &["policy_sets", &idx, "source"],
                            "only 'local' and 'github' source types are supported",
                        ),
                        "not a source",
                        "use `source: local` or `source: github`",
                    );
                }
                if let Some(re) = &s.policy_item_regex {
                    if let Err(e) = goregex::check(&re.v) {
                        push(
                            re.span,
                            ozzo(
                                &["policy_sets", &idx, "policy_item_regex"],
                                &format!(
                                    "policy_item_regex {:?} is not a valid regular expression: {e}",
                                    re.v
                                ),
                            ),
                            "not a Go regular expression",
                            "fix the Go regular expression",
                        );
                    }
                }
            }
        }
        other => push(
            other.as_ref().map_or(p.key, |s| s.entry()),
            ozzo(
                &["policy_sets"],
                "cannot be empty; Declare policies that you would like to enforce",
            ),
            "no policy sets",
            "list at least one policy set (`name`, `path`, `source: local`)",
        ),
    }
    if let Some(re) = &p.policy_item_regex {
        if let Err(e) = goregex::check(&re.v) {
            push(
                re.span,
                ozzo(
                    &["policy_item_regex"],
                    &format!(
                        "policy_item_regex {:?} is not a valid regular expression: {e}",
                        re.v
                    ),
                ),
                "not a Go regular expression",
                "fix the Go regular expression",
            );
        }
    }
}

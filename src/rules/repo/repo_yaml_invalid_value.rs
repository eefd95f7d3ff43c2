use super::{DocContext, REQUIREMENTS, bad_requirement};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::repo_config::ozzo;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-yaml-invalid-value",
    severity: Severity::Error,
    summary: "an atlantis.yaml value Atlantis refuses: terraform_version, terraform_distribution, requirements, repo_locks, autodiscover, when_modified patterns",
    suppressible: false,
    docs: r#"## What it checks
- `terraform_version` must parse as a hashicorp/go-version version (`version "~> 1.5" could not be
  parsed: malformed version: ~> 1.5`): one exact version, no constraint;
- `terraform_distribution` is `terraform` or `opentofu`;
- requirements take `approved`, `mergeable` and `undiverged`;
- `repo_locks.mode` and `autodiscover.mode` take their values, as on the server;
- `autoplan.when_modified` patterns must be accepted by the dockerignore-style matcher Atlantis
  uses to find modified projects (`!` alone, unclosed `[`).

## Example
```yaml
version: 3
projects:
- dir: infra
  terraform_version: ~> 1.5
```

## Fix
`terraform_version: 1.5.7` (or `v1.5.7`).
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(r) = ctx.repo_cfg() else { return };
    for p in &r.projects {
        let idx = p.index.to_string();
        let mut push =
            |span, atlantis: String, label: &str, fix: String, suggestion: Option<String>| {
                let mut f = Finding::new(&RULE, ctx.at(span), atlantis.clone())
                    .label(label)
                    .help(format!("{fix}. {}", ctx.refused(&atlantis)));
                if let Some(s) = suggestion {
                    f = f.suggestion(s);
                }
                out.push(f);
            };
        if let Some(v) = &p.terraform_version {
            if let Err(e) = super::go_version(&v.v) {
                let trimmed =
                    v.v.trim()
                        .trim_start_matches(['~', '>', '<', '=', '^', ' '])
                        .to_string();
                let s = (trimmed != v.v && super::go_version(&trimmed).is_ok()).then_some(trimmed);
                push(
                    v.span,
                    ozzo(
                        &["projects", &idx, "terraform_version"],
                        &format!("version {:?} could not be parsed: {e}", v.v),
                    ),
                    "not a version",
                    "write one exact version such as `1.9.8` (no constraint)".into(),
                    s,
                );
            }
        }
        if let Some(d) = &p.terraform_distribution {
            if d.v != "terraform" && d.v != "opentofu" {
                let lower = d.v.to_lowercase();
                let s = ["terraform", "opentofu"]
                    .contains(&lower.as_str())
                    .then_some(lower);
                push(
                    d.span,
                    ozzo(
                        &["projects", &idx, "terraform_distribution"],
                        &format!(
                            "'{}' is not a valid terraform_distribution, only 'terraform' and 'opentofu' are supported",
                            d.v
                        ),
                    ),
                    "not a distribution",
                    "use terraform or opentofu".into(),
                    s,
                );
            }
        }
        for (key, list) in [
            ("plan_requirements", &p.plan_requirements),
            ("apply_requirements", &p.apply_requirements),
            ("import_requirements", &p.import_requirements),
        ] {
            if let Some((bad, msg)) = bad_requirement(key, list) {
                let s = super::closest(&bad.v, REQUIREMENTS).map(str::to_string);
                push(
                    bad.span,
                    ozzo(&["projects", &idx, key], &msg),
                    "not a requirement",
                    "use approved, mergeable or undiverged".into(),
                    s,
                );
            }
        }
        if let Some(l) = &p.repo_locks {
            out.extend(super::repo_config_repo_locks::finding(
                ctx,
                &RULE,
                l,
                &["projects", &idx],
            ));
        }
        if let Some(list) = &p.when_modified {
            for w in &list.v {
                if let Some(e) = crate::rules::autoplan_file_list_pattern::pattern_error(&w.v) {
                    out.push(
                        Finding::new(&RULE, ctx.at(w.span), format!("when_modified pattern `{}` is refused by Atlantis's file matcher: {e}", super::shown(&w.v)))
                            .label("not a valid pattern")
                            .help("close `[` classes (or escape them as `\\[`), and do not write a lone `!`; Atlantis fails to find the modified projects"),
                    );
                }
            }
        }
    }
    if let Some(l) = &r.repo_locks {
        out.extend(super::repo_config_repo_locks::finding(ctx, &RULE, l, &[]));
    }
    if let Some(a) = &r.autodiscover {
        super::repo_config_autodiscover::findings(ctx, &RULE, a, &[], out);
    }
}

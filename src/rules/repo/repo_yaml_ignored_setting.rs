use super::{DocContext, server_side};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::source::Span;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-yaml-ignored-setting",
    severity: Severity::Warning,
    summary: "an atlantis.yaml setting Atlantis accepts and silently ignores: policies, or a key the server does not allow (policy_check, top-level repo_locks, ...)",
    suppressible: true,
    docs: r#"## What it checks
Settings that raise no error and have no effect:
- top-level `policies:` is parsed and thrown away (`RepoCfg.ToValid` never reads it): policies
  are server-side only;
- with the server's repo config: a project's `policy_check` without `allowed_overrides:
  [policy_check]` (issue #4766); the top-level `delete_source_branch_on_merge`, `repo_locks` and
  `silence_pr_comments` without their key in `allowed_overrides`; a top-level `autodiscover`
  when the server entry sets `autodiscover` (the server's wins).

## Example
```yaml
version: 3
projects:
- dir: infra
  policy_check: false
```

## Fix
Allow the key on the server, or remove it here.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(r) = ctx.repo_cfg() else { return };
    if let Some(k) = r.policies {
        out.push(
            Finding::new(&RULE, ctx.at(k), "`policies` in a repository's atlantis.yaml is read and ignored: policies are configured on the server only")
                .label("ignored")
                .help("move the policy sets to the server-side repo config (`policies:` in repos.yaml)"),
        );
    }
    let Some((server, m)) = server_side(ctx) else {
        return;
    };
    let mut push = |span: Span, key: &str| {
        out.push(
            Finding::new(&RULE, ctx.at(span), format!("`{key}` has no effect: the server's repo config does not list it in allowed_overrides for {}", m.subject))
                .label("silently ignored")
                .help(format!("add `{key}` to allowed_overrides in {}, or remove it here", server.name)),
        );
    };
    let allowed = |k: &str| m.allowed_overrides.iter().any(|o| o == k);
    for p in &r.projects {
        if let Some(pc) = &p.policy_check {
            if !allowed("policy_check") {
                push(pc.key, "policy_check");
            }
        }
    }
    if let Some(d) = &r.delete_source_branch_on_merge {
        if !allowed("delete_source_branch_on_merge") {
            push(d.key, "delete_source_branch_on_merge");
        }
    }
    if let Some(l) = &r.repo_locks {
        if !allowed("repo_locks") {
            push(l.key, "repo_locks");
        }
    }
    if let Some(s) = &r.silence_pr_comments {
        if !allowed("silence_pr_comments") {
            push(s.key, "silence_pr_comments");
        }
    }
    if let Some(a) = &r.autodiscover {
        if m.autodiscover_set {
            out.push(
                Finding::new(&RULE, ctx.at(a.key), format!("`autodiscover` has no effect: the server's repo config sets autodiscover for {}, and the server's wins", m.subject))
                    .label("overridden by the server")
                    .help(format!("change autodiscover in {}, or remove it here", server.name)),
            );
        }
    }
}

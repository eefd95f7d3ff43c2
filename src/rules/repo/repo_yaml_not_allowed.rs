use super::{DocContext, SILENCE, server_side};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::source::Span;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-yaml-not-allowed",
    severity: Severity::Error,
    summary: "an atlantis.yaml setting the server's repo config does not allow for this repository (allowed_overrides, custom workflows, allowed_workflows)",
    suppressible: true,
    docs: r#"## What it checks
Given the server-side repo config (`--repo-config FILE`, or one named in the same run), what
`GlobalCfg.ValidateRepoCfg` refuses for this repository:
- a project key that needs `allowed_overrides` (`workflow`, the three requirements,
  `delete_source_branch_on_merge`, `repo_locking`, `repo_locks`, `custom_policy_check`,
  `silence_pr_comments`): `repo config not allowed to set 'workflow' key: server-side config
  needs 'allowed_overrides: [workflow]'`;
- `workflows:` without `allow_custom_workflows: true`: `repo config not allowed to define custom
  workflows: server-side config needs 'allow_custom_workflows: true'`;
- a project `workflow` defined nowhere (`workflow "x" is not defined anywhere`), or not in a
  non-empty `allowed_workflows` (`workflow 'x' is not allowed for this repo`).

The repository is named with `--repo-id github.com/owner/name`; without it, atlantis-lint reads
the `origin` remote of the Git checkout holding the file, and failing that takes only the entries
that apply to every repository (`/.*/`). For each key, the last matching entry that sets it wins,
so a later entry with its own `allowed_overrides` replaces an earlier one (issue #1743).

## Why it matters
Atlantis refuses the file on every pull request of that repository.

## Example
```yaml
# repos.yaml: - id: /.*/   (no allowed_overrides)
version: 3
projects:
- dir: infra
  workflow: custom
```

## Fix
Allow the key on the server (`allowed_overrides: [workflow]`) or remove it from `atlantis.yaml`.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let (Some(r), Some((server, m))) = (ctx.repo_cfg(), server_side(ctx)) else {
        return;
    };
    let decided = |from: &Option<(usize, String)>| match from {
        Some((i, id)) => format!(
            "in {}, repos[{i}] (id: {}) decides this for {}",
            server.name,
            super::shown(id),
            m.subject
        ),
        None => format!("no entry of {} allows it for {}", server.name, m.subject),
    };
    let mut push = |span: Span, atl: String, label: &str, why: String| {
        out.push(
            Finding::new(&RULE, ctx.at(span), atl.clone())
                .label(label)
                .help(format!("{why}. {}", ctx.refused(&atl))),
        );
    };
    for p in &r.projects {
        let keys: [(&str, Option<Span>); 9] = [
            ("workflow", p.workflow.as_ref().map(|x| x.key)),
            (
                "apply_requirements",
                p.apply_requirements.as_ref().map(|x| x.key),
            ),
            (
                "plan_requirements",
                p.plan_requirements.as_ref().map(|x| x.key),
            ),
            (
                "import_requirements",
                p.import_requirements.as_ref().map(|x| x.key),
            ),
            (
                "delete_source_branch_on_merge",
                p.delete_source_branch_on_merge.as_ref().map(|x| x.key),
            ),
            ("repo_locking", p.repo_locking.as_ref().map(|x| x.key)),
            ("repo_locks", p.repo_locks.as_ref().map(|x| x.key)),
            (
                "custom_policy_check",
                p.custom_policy_check.as_ref().map(|x| x.key),
            ),
            (
                "silence_pr_comments",
                p.silence_pr_comments.as_ref().map(|x| x.key),
            ),
        ];
        for (key, span) in keys {
            let Some(span) = span else { continue };
            if m.allowed_overrides.iter().any(|o| o == key) {
                continue;
            }
            push(
                span,
                format!(
                    "repo config not allowed to set '{key}' key: server-side config needs 'allowed_overrides: [{key}]'"
                ),
                "not allowed by the server",
                format!(
                    "add `{key}` to allowed_overrides on the server, or remove it here ({})",
                    decided(&m.overrides_from)
                ),
            );
        }
        if let Some(list) = &p.silence_pr_comments {
            if m.allowed_overrides
                .iter()
                .any(|o| o == "silence_pr_comments")
            {
                if let Some(bad) = list.v.iter().find(|v| !SILENCE.contains(&v.v.as_str())) {
                    push(
                        bad.span,
                        format!(
                            "repo config 'silence_pr_comments' key value of '{}' is not supported, supported values are [plan, apply]",
                            bad.v
                        ),
                        "not plan or apply",
                        "keep plan and/or apply".into(),
                    );
                }
            }
        }
    }
    if let Some(k) = r
        .workflows_key
        .filter(|_| !r.workflows.is_empty() && !m.allow_custom_workflows)
    {
        push(
            k,
            "repo config not allowed to define custom workflows: server-side config needs 'allow_custom_workflows: true'".into(),
            "custom workflows not allowed",
            format!("set `allow_custom_workflows: true` on the server, or move the workflow there ({})", decided(&m.custom_from)),
        );
    }
    let repo_workflows: Vec<&str> = r.workflows.iter().map(|w| w.name.v.as_str()).collect();
    for p in &r.projects {
        let Some(w) = &p.workflow else { continue };
        if !repo_workflows.contains(&w.v.as_str()) && !m.workflows.contains(&w.v) {
            push(
                w.span,
                format!("workflow {:?} is not defined anywhere", w.v),
                "undefined workflow",
                format!(
                    "define it under `workflows:` here (with allow_custom_workflows) or in {}",
                    server.name
                ),
            );
        }
    }
    if !m.allowed_workflows.is_empty() {
        for p in &r.projects {
            let Some(w) = &p.workflow else { continue };
            // Atlantis stops checking at the first project whose workflow the repo defines
            // itself when custom workflows are allowed (a `break` in ValidateRepoCfg).
            if m.allow_custom_workflows && repo_workflows.contains(&w.v.as_str()) {
                break;
            }
            let defined = repo_workflows.contains(&w.v.as_str()) || m.workflows.contains(&w.v);
            if defined && !m.allowed_workflows.contains(&w.v) {
                push(
                    w.span,
                    format!("workflow '{}' is not allowed for this repo", w.v),
                    "not in allowed_workflows",
                    format!(
                        "use one of {} (allowed_workflows in {} for {})",
                        m.allowed_workflows.join(", "),
                        server.name,
                        m.subject
                    ),
                );
            }
        }
    }
}

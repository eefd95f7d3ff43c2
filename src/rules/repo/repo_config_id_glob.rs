use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-id-glob",
    severity: Severity::Error,
    summary: "a repos[].id with a glob (`github.com/org/*`) or one slash (`/.*`): an exact id that matches no repository",
    suppressible: true,
    docs: r#"## What it checks
An `id` is either an exact repository (`github.com/acme/infra`) or a Go regular expression between
two slashes (`/github\.com/acme/.*/`). There are no globs: `github.com/acme/*` is compared as the
exact string `github.com/acme/*` and matches nothing (issues #1743, #931, #1148, #2585). The same
holds for `/.*` or `.*/`: with one slash, the id is an exact string.

Atlantis starts without a word; the entry's settings (and hooks) never apply, and a repository's
`atlantis.yaml` that relies on its `allowed_overrides` is refused with "repo config not allowed to
set 'workflow' key".

## Example
```yaml
repos:
- id: github.com/acme/*
  allowed_overrides: [workflow]
```

## Fix
A regex: `id: /github\.com/acme/.*/` (the suggestion), or the repository's exact name.
"#,
};

/// The glob (or half-regex) turned into the regex id it most likely meant.
fn as_regex(id: &str) -> String {
    let inner = id.trim_matches('/');
    let mut re = String::new();
    for c in inner.chars() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            '.' if !id.starts_with('/') && !id.ends_with('/') => re.push_str("\\."),
            _ => re.push(c),
        }
    }
    let re = re.replace(".*.*", ".*");
    format!("/{re}/")
}

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(g) = ctx.global() else { return };
    for r in &g.repos {
        let Some(id) = &r.id else { continue };
        if id.v.is_empty() || r.regex_id().is_some() {
            continue;
        }
        let half_regex = id.v.len() > 1 && (id.v.starts_with('/') || id.v.ends_with('/'));
        let glob = id.v.contains(['*', '?', '[']);
        if !(half_regex || glob) {
            continue;
        }
        let suggestion = as_regex(&id.v);
        let message = if half_regex {
            format!(
                "id `{}` has a slash at only one end, so it is an exact repository name, not a regex: it matches no repository",
                super::shown(&id.v)
            )
        } else {
            format!(
                "id `{}` is compared as an exact repository name (ids have no globs): it matches no repository",
                super::shown(&id.v)
            )
        };
        out.push(
            Finding::new(&RULE, ctx.at(id.span), message)
                .label("matches nothing")
                .help(format!("write a regex between two slashes: `id: {suggestion}`; this entry's settings and hooks never apply as written"))
                .suggestion(suggestion),
        );
    }
}

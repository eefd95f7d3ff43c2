use super::DocContext;
use super::repo_config_autodiscover::doublestar_valid;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::repo_config::model::Project;
use crate::repo_config::{goregex, ozzo};
use crate::source::Span;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-yaml-project",
    severity: Severity::Error,
    summary: "a project Atlantis refuses: no dir, `..` in dir, a bad name or workspace, duplicate names, unnamed projects sharing dir and workspace",
    suppressible: false,
    docs: r#"## What it checks
Each `projects[]` entry as `raw.Project.Validate` and `validateProjectNames` check it:
- `dir` is required (`projects: (0: (dir: cannot be blank.).).`), must not contain `..`, and a glob
  in it must be valid;
- `name`, when set, is not empty, holds only URL-safe characters (`"a b" is not allowed: must
  contain only URL safe characters`), no glob characters, and is not combined with a glob `dir`;
  names are unique (`found two or more projects with name "infra"; project names must be unique`);
- two projects with the same `dir` and `workspace` must all be named;
- `workspace` must not contain `/`, `\`, `..`, `$`, whitespace or control characters, be `.`, or
  start with `-` or `~`;
- `branch` is a `/regex/` that compiles.

## Example
```yaml
version: 3
projects:
- dir: infra
- dir: infra/
```

## Fix
Name the projects (`name: infra-default`, `name: infra-other`), or give them different workspaces.
"#,
};

fn url_safe(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '/'))
}

fn workspace_error(w: &str) -> Option<&'static str> {
    if w.is_empty() {
        return None;
    }
    if w.contains(['/', '\\']) {
        Some("cannot contain '/' or '\\'")
    } else if w.contains("..") {
        Some("cannot contain '..'")
    } else if w == "." {
        Some("cannot be '.'")
    } else if w.starts_with('-') {
        Some("cannot start with '-'")
    } else if w.starts_with('~') {
        Some("cannot start with '~'")
    } else if w.contains('$') {
        Some("cannot contain '$'")
    } else if w.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("cannot contain whitespace or control characters")
    } else {
        None
    }
}

/// Go's `filepath.Clean("./" + dir)`.
fn clean_dir(dir: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in dir.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            _ => parts.push(p),
        }
    }
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

fn one(ctx: &DocContext, p: &Project, out: &mut Vec<Finding>) {
    let idx = p.index.to_string();
    let mut push = |span: Span, atlantis: String, label: &str, fix: &str| {
        out.push(
            Finding::new(&RULE, ctx.at(span), atlantis.clone())
                .label(label)
                .help(format!("{fix}. {}", ctx.refused(&atlantis))),
        );
    };
    let glob = |s: &str| s.contains(['*', '?', '[']);
    if let Some(n) = &p.name {
        if glob(&n.v) {
            push(
                n.span,
                ozzo(
                    &["projects", &idx],
                    "name: cannot contain glob pattern characters ('*', '?', '['); glob expansion is only supported in the 'dir' field",
                ),
                "glob in a name",
                "remove the glob characters",
            );
            return;
        }
        if p.dir.as_ref().is_some_and(|d| glob(&d.v)) {
            push(
                n.entry(),
                ozzo(
                    &["projects", &idx],
                    "name: cannot be used with glob patterns in 'dir'; glob patterns expand to multiple projects which cannot share the same name",
                ),
                "name with a glob dir",
                "remove `name`, or list the directories one by one",
            );
            return;
        }
    }
    match &p.dir {
        None => push(
            p.span,
            ozzo(&["projects", &idx, "dir"], "cannot be blank"),
            "no dir",
            "add `dir: .` (the project's directory, relative to the repository root)",
        ),
        Some(d) if d.v.is_empty() => push(
            d.entry(),
            ozzo(&["projects", &idx, "dir"], "cannot be blank"),
            "empty dir",
            "write the directory (`.` for the root)",
        ),
        Some(d) if d.v.contains("..") => push(
            d.span,
            ozzo(&["projects", &idx, "dir"], "cannot contain '..'"),
            "outside the repository",
            "write a directory inside the repository",
        ),
        Some(d) if glob(&d.v) && !doublestar_valid(&d.v) => push(
            d.span,
            ozzo(
                &["projects", &idx, "dir"],
                &format!("invalid glob pattern {:?}", d.v),
            ),
            "not a valid glob",
            "close the `[` or `{` of the pattern",
        ),
        _ => {}
    }
    if let Some(w) = &p.workspace {
        if let Some(e) = workspace_error(&w.v) {
            push(
                w.span,
                ozzo(&["projects", &idx, "workspace"], e),
                "not a workspace name",
                "use letters, digits, `-` and `_`",
            );
        }
    }
    if let Some(n) = &p.name {
        if n.v.is_empty() {
            push(
                n.entry(),
                ozzo(&["projects", &idx, "name"], "if set cannot be empty"),
                "empty name",
                "write a name or remove the key",
            );
        } else if !url_safe(&n.v) {
            push(
                n.span,
                ozzo(
                    &["projects", &idx, "name"],
                    &format!(
                        "{:?} is not allowed: must contain only URL safe characters",
                        n.v
                    ),
                ),
                "not URL-safe",
                "use letters, digits, `-`, `_`, `.`, `~` and `/`",
            );
        }
    }
    if let Some(b) = &p.branch {
        if !(b.v.len() >= 2 && b.v.starts_with('/') && b.v.ends_with('/')) {
            push(
                b.span,
                ozzo(
                    &["projects", &idx, "branch"],
                    "regex must begin and end with a slash '/'",
                ),
                "not a /regex/",
                "write `branch: /^main$/`",
            );
        } else if let Err(e) = goregex::check(&b.v[1..b.v.len() - 1]) {
            push(
                b.span,
                ozzo(
                    &["projects", &idx, "branch"],
                    &format!("parsing: {}: {e}", b.v),
                ),
                "not a Go regular expression",
                "fix the Go regular expression",
            );
        }
    }
}

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(r) = ctx.repo_cfg() else { return };
    for p in &r.projects {
        one(ctx, p, out);
    }
    // validateProjectNames, on the projects as ToValid leaves them (dir cleaned, workspace default).
    let mut seen: std::collections::HashMap<&str, Span> = std::collections::HashMap::new();
    for p in &r.projects {
        let Some(n) = &p.name else { continue };
        if let Some(&first) = seen.get(n.v.as_str()) {
            let atl = format!(
                "found two or more projects with name {:?}; project names must be unique",
                n.v
            );
            out.push(
                Finding::new(&RULE, ctx.at(n.span), atl.clone())
                    .label("second project with this name")
                    .related(ctx.at(first), "first used here")
                    .help(format!(
                        "give each project its own name. {}",
                        ctx.refused(&atl)
                    )),
            );
            continue;
        }
        seen.insert(&n.v, n.span);
    }
    let mut groups: Vec<((String, String), Vec<&Project>)> = Vec::new();
    let mut index: std::collections::HashMap<(String, String), usize> =
        std::collections::HashMap::new();
    for p in &r.projects {
        let Some(d) = p.dir.as_ref().filter(|d| !d.v.is_empty()) else {
            continue;
        };
        let key = (
            clean_dir(&d.v),
            p.workspace
                .as_ref()
                .filter(|w| !w.v.is_empty())
                .map_or("default".to_string(), |w| w.v.clone()),
        );
        match index.get(&key) {
            Some(&i) => groups[i].1.push(p),
            None => {
                index.insert(key.clone(), groups.len());
                groups.push((key, vec![p]));
            }
        }
    }
    for ((dir, ws), ps) in groups {
        if ps.len() < 2 {
            continue;
        }
        // Atlantis fails at the first project after the first one that has no name.
        if let Some(p) = ps.iter().skip(1).find(|p| p.name.is_none()) {
            let atl = format!(
                "there are two or more projects with dir: {dir:?} workspace: {ws:?} that are not all named; they must have a 'name' key so they can be targeted for apply's separately"
            );
            out.push(
                Finding::new(
                    &RULE,
                    ctx.at(p.dir.as_ref().map_or(p.span, |d| d.entry())),
                    atl.clone(),
                )
                .label("same dir and workspace, no name")
                .related(
                    ctx.at(ps[0].dir.as_ref().map_or(ps[0].span, |d| d.entry())),
                    "same dir and workspace here",
                )
                .help(format!(
                    "give every such project a `name`. {}",
                    ctx.refused(&atl)
                )),
            );
        }
    }
}

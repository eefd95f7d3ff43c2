use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::repo_config::model::AutoDiscover;
use crate::repo_config::ozzo;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-autodiscover",
    severity: Severity::Error,
    summary: "an autodiscover mode other than auto, enabled or disabled, or a bad ignore_paths pattern",
    suppressible: false,
    docs: r#"## What it checks
`autodiscover.mode` is `auto`, `enabled` or `disabled`, in lower case
(`repos: (0: (autodiscover: (mode: must be a valid value.).).).`). Each `ignore_paths` entry is a
relative doublestar glob: no leading `/` (`pattern must not begin with a slash '/'`), and it must
be a valid pattern (`invalid pattern: foo[`).

## Why it matters
Atlantis refuses to start (and rejects the same in a repo's `atlantis.yaml`).

## Example
```yaml
repos:
- id: /.*/
  autodiscover:
    mode: Enabled
```

## Fix
`mode: enabled`.
"#,
};

pub const MODES: &[&str] = &["auto", "enabled", "disabled"];

/// doublestar's `ValidatePattern`: classes and alternations closed, no trailing backslash.
pub fn doublestar_valid(p: &str) -> bool {
    let b = p.as_bytes();
    let (mut i, mut braces) = (0, 0usize);
    while i < b.len() {
        match b[i] {
            b'\\' => {
                if i + 1 >= b.len() {
                    return false;
                }
                i += 2;
                continue;
            }
            b'[' => {
                let mut j = i + 1;
                if j < b.len() && (b[j] == b'^' || b[j] == b'!') {
                    j += 1;
                }
                if j < b.len() && b[j] == b']' {
                    j += 1;
                }
                while j < b.len() && b[j] != b']' {
                    if b[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                if j >= b.len() {
                    return false;
                }
                i = j;
            }
            b'{' => braces += 1,
            b'}' if braces > 0 => braces -= 1,
            _ => {}
        }
        i += 1;
    }
    braces == 0
}

/// The autodiscover problems of one block, with the ozzo path before `autodiscover`.
pub fn findings(
    ctx: &DocContext,
    rule: &'static RuleInfo,
    a: &AutoDiscover,
    path: &[&str],
    out: &mut Vec<Finding>,
) {
    let with = |leaf: &str| {
        let mut p: Vec<&str> = path.to_vec();
        p.push("autodiscover");
        p.push(leaf);
        p.into_iter().map(str::to_string).collect::<Vec<String>>()
    };
    if let Some(m) = &a.mode {
        if !MODES.contains(&m.v.as_str()) {
            let p = with("mode");
            let p: Vec<&str> = p.iter().map(String::as_str).collect();
            let atl = ozzo(&p, "must be a valid value");
            let mut f = Finding::new(rule, ctx.at(m.span), atl.clone()).label("not a mode");
            let lower = m.v.to_lowercase();
            f = if MODES.contains(&lower.as_str()) {
                f.suggestion(lower.clone()).help(format!(
                    "modes are lower case: `{lower}`. {}",
                    ctx.refused(&atl)
                ))
            } else {
                f.help(format!(
                    "use auto, enabled or disabled. {}",
                    ctx.refused(&atl)
                ))
            };
            out.push(f);
        }
    }
    if let Some(paths) = &a.ignore_paths {
        for ip in &paths.v {
            let msg = if ip.v.starts_with('/') {
                "pattern must not begin with a slash '/'".to_string()
            } else if !doublestar_valid(&ip.v) {
                format!("invalid pattern: {}", ip.v)
            } else {
                continue;
            };
            let p = with("ignore_paths");
            let p: Vec<&str> = p.iter().map(String::as_str).collect();
            let atl = ozzo(&p, &msg);
            out.push(
                Finding::new(rule, ctx.at(ip.span), atl.clone())
                    .label("not a valid pattern")
                    .help(format!(
                        "write a glob relative to the repository root (`modules/**`). {}",
                        ctx.refused(&atl)
                    )),
            );
            break;
        }
    }
}

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(g) = ctx.global() else { return };
    for r in &g.repos {
        if let Some(a) = &r.autodiscover {
            let idx = r.index.to_string();
            findings(ctx, &RULE, a, &["repos", &idx], out);
        }
    }
}

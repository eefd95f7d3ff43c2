//! The `gitlab` format: a GitLab Code Quality report (the `artifacts:reports:codequality` file of
//! a CI job), which GitLab shows in the merge request.
//!
//! A JSON array with one object per finding, carrying the fields GitLab documents as required:
//! `description`, `check_name` (the rule id), `fingerprint` (unique in the report, stable when
//! lines move), `severity` (`critical` for errors, `major` for warnings, `info` for notes) and
//! `location.path` (relative to the working directory, no `./`) with `location.lines.begin`.
//! Findings without a file position point at line 1 of the config file, or of a synthetic path
//! (`atlantis-environment`, `atlantis-command-line`, `atlantis-configuration`), and name their
//! source in the description, as in SARIF.

use super::{Diag, Report, SourceRef};
use crate::finding::Severity;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

/// The path as GitLab wants it: relative to `cwd` when inside it, never starting with `./`.
pub fn relative_path(path: &str, cwd: &Path) -> String {
    let p = Path::new(path);
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    };
    let mut clean = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    let shown = clean.strip_prefix(cwd).unwrap_or(&clean);
    shown.to_string_lossy().replace('\\', "/")
}

/// (path, line, a prefix naming the source for findings without a file position).
fn location(diag: &Diag, cwd: &Path) -> (String, usize, usize, Option<String>) {
    if let (Some(path), Some((line, _, end_line, _))) = (diag.source.path(), diag.source.position())
    {
        return (relative_path(path, cwd), line, end_line, None);
    }
    let prefix = match &diag.source {
        SourceRef::None => None,
        other => Some(other.describe()),
    };
    let path = match (&diag.config, &diag.source) {
        (Some(config), _) => relative_path(config, cwd),
        (None, SourceRef::Env { .. }) => "atlantis-environment".into(),
        (None, SourceRef::Argv { .. }) => "atlantis-command-line".into(),
        (None, _) => "atlantis-configuration".into(),
    };
    (path, 1, 1, prefix)
}

/// FNV-1a (64 bits) of the parts, as hex.
fn fnv(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

pub fn render(report: &Report, cwd: &Path) -> String {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Value> = report
        .diags
        .iter()
        .map(|d| {
            let (path, begin, end, prefix) = location(d, cwd);
            let mut description = prefix.map(|p| format!("{p}: ")).unwrap_or_default();
            description.push_str(&d.message);
            // Stable when lines move; the occurrence count keeps repeats unique.
            let base = fnv(&[d.rule.id, &path, &d.message, d.key.as_deref().unwrap_or("")]);
            let n = seen.entry(base.clone()).or_default();
            *n += 1;
            let fingerprint = if *n == 1 {
                base
            } else {
                fnv(&[&base, &n.to_string()])
            };
            json!({
                "type": "issue",
                "description": description,
                "check_name": d.rule.id,
                "fingerprint": fingerprint,
                "severity": severity(d.severity),
                "location": {"path": path, "lines": {"begin": begin, "end": end}},
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).expect("the report serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_without_dot_slash() {
        let cwd = Path::new("/repo");
        assert_eq!(
            relative_path("./deploy/atlantis.yaml", cwd),
            "deploy/atlantis.yaml"
        );
        assert_eq!(relative_path("/repo/a.yaml", cwd), "a.yaml");
        assert_eq!(
            relative_path("/etc/atlantis.yaml", cwd),
            "/etc/atlantis.yaml"
        );
    }
}

//! The SARIF 2.1.0 format, for GitHub code scanning and other SARIF viewers.
//!
//! One run; `tool.driver` lists every rule (id, summary, full documentation, default level,
//! `helpUri`). Each result has a physical location: the artifact URI is relative to the working
//! directory (or a `file://` URI outside it), and the region has start and end line and column
//! (columns count Unicode code points, as `columnKind` says). Findings without a file position
//! (an environment variable, a command-line argument, the configuration as a whole) point at
//! line 1 of the config file being linted, or, without one, at a synthetic artifact
//! (`atlantis-environment`, `atlantis-command-line`, `atlantis-configuration`); their message
//! names the source. No result carries a snippet of the source: a line of a config may hold a
//! secret, and SARIF files are uploaded and kept.

use super::{Diag, Report, SourceRef};
use crate::finding::{RuleInfo, Severity};
use crate::rules;
use serde_json::{Value, json};
use std::path::{Component, Path, PathBuf};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `unknown-key` -> `UnknownKey`, SARIF's conventional rule name.
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn rule_descriptor(r: &RuleInfo) -> Value {
    json!({
        "id": r.id,
        "name": pascal(r.id),
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.docs.trim(), "markdown": r.docs.trim()},
        "help": {"text": r.docs.trim(), "markdown": r.docs.trim()},
        "helpUri": super::help_uri(r.id),
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {"tags": ["atlantis", "configuration"]},
    })
}

/// Percent-encodes everything but unreserved characters and `/`.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Removes `.` components and resolves `..` lexically.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The artifact URI of a path as the user gave it: relative to `cwd` when it is inside it.
pub fn artifact_uri(path: &str, cwd: &Path) -> String {
    let p = Path::new(path);
    let abs = if p.is_absolute() {
        normalise(p)
    } else {
        normalise(&cwd.join(p))
    };
    let cwd = normalise(cwd);
    match abs.strip_prefix(&cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => encode(&rel.to_string_lossy().replace('\\', "/")),
        _ => {
            let s = abs.to_string_lossy().replace('\\', "/");
            let s = if s.starts_with('/') {
                s
            } else {
                format!("/{s}")
            };
            format!("file://{}", encode(&s))
        }
    }
}

fn physical(uri: String, region: (usize, usize, usize, usize)) -> Value {
    let (line, col, end_line, end_col) = region;
    json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri},
            "region": {
                "startLine": line,
                "startColumn": col,
                "endLine": end_line,
                "endColumn": end_col,
            }
        }
    })
}

/// The location of a diagnostic's primary position, and the prefix its message needs.
fn location(diag: &Diag, source: &SourceRef, cwd: &Path) -> (Value, Option<String>) {
    if let SourceRef::EnvFile {
        path, line, column, ..
    } = source
    {
        // A `KEY=VALUE` line: the region runs to the end of the line.
        let loc = json!({
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(path, cwd)},
                "region": {"startLine": line, "startColumn": column, "endLine": line},
            }
        });
        return (loc, None);
    }
    if let (Some(path), Some(pos)) = (source.path(), source.position()) {
        return (physical(artifact_uri(path, cwd), pos), None);
    }
    let prefix = match source {
        SourceRef::None => None,
        other => Some(other.describe()),
    };
    let uri = match (&diag.config, source) {
        (Some(config), _) => artifact_uri(config, cwd),
        (None, SourceRef::Env { .. }) => "atlantis-environment".into(),
        (None, SourceRef::Argv { .. }) => "atlantis-command-line".into(),
        (None, _) => "atlantis-configuration".into(),
    };
    // The whole first line: the finding is about the file, or stands for a synthetic artifact.
    let loc = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri},
            "region": {"startLine": 1},
        }
    });
    (loc, prefix)
}

/// A fingerprint that survives lines moving: FNV-1a (64 bits) of rule, artifact and message.
fn fingerprint(rule: &str, uri: &str, message: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [rule, uri, message] {
        for b in part.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn result(diag: &Diag, index: usize, cwd: &Path) -> Value {
    let (loc, prefix) = location(diag, &diag.source, cwd);
    let mut text = String::new();
    if let Some(p) = prefix {
        text.push_str(&p);
        text.push_str(": ");
    }
    text.push_str(&diag.message);
    if let Some(help) = &diag.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let uri = loc["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let related: Vec<Value> = diag
        .related
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let (path, pos) = (r.source.path()?, r.source.position()?);
            let mut v = physical(artifact_uri(path, cwd), pos);
            v["id"] = json!(i + 1);
            if let Some(label) = r.snippet.as_ref().and_then(|s| s.label.clone()) {
                v["message"] = json!({ "text": label });
            }
            Some(v)
        })
        .collect();
    let mut r = json!({
        "ruleId": diag.rule.id,
        "ruleIndex": index,
        "level": level(diag.severity),
        "message": {"text": text},
        "locations": [loc],
        "partialFingerprints": {
            "atlantisLint/v1": fingerprint(diag.rule.id, &uri, &diag.message),
        },
    });
    if !related.is_empty() {
        r["relatedLocations"] = json!(related);
    }
    if let Some(key) = &diag.key {
        r["properties"] = json!({ "key": key });
    }
    r
}

/// Whether the run succeeded; a failed run (an input that could not be read) carries one error
/// notification per failure, so that no viewer takes it for a clean result.
fn invocation(report: &Report) -> Value {
    let mut inv = json!({ "executionSuccessful": report.failures.is_empty() });
    if !report.failures.is_empty() {
        inv["toolExecutionNotifications"] = report
            .failures
            .iter()
            .map(|f| json!({ "level": "error", "message": { "text": f } }))
            .collect();
    }
    inv
}

/// Renders the report as SARIF; `cwd` is the directory artifact URIs are relative to.
pub fn render(report: &Report, cwd: &Path) -> String {
    let rules: Vec<&RuleInfo> = rules::infos().collect();
    let results: Vec<Value> = report
        .diags
        .iter()
        .map(|d| {
            let index = rules.iter().position(|r| r.id == d.rule.id).unwrap_or(0);
            result(d, index, cwd)
        })
        .collect();
    let mut sarif = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "atlantis-lint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": super::HOME_URL,
                "rules": rules.iter().map(|r| rule_descriptor(r)).collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "invocations": [invocation(report)],
            "results": results,
            // The Atlantis releases the run checked against (as the JSON summary says).
            "properties": {
                "atlantisVersions": report.atlantis.iter().map(|a| json!({
                    "version": a.version.to_string(),
                    "from": a.source_name(),
                    "description": a.describe(),
                })).collect::<Vec<_>>(),
            },
        }],
    });
    if report.not_listed > 0 {
        // Findings past the cap per rule and source: one result counts each group.
        sarif["runs"][0]["properties"]["notListed"] = json!(report.not_listed);
    }
    let mut s = serde_json::to_string_pretty(&sarif).expect("SARIF serialises");
    s.push('\n');
    super::escape_bidi_in_json(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_to_the_working_directory() {
        let cwd = Path::new("/repo");
        assert_eq!(artifact_uri("atlantis.yaml", cwd), "atlantis.yaml");
        assert_eq!(artifact_uri("./deploy/a b.yaml", cwd), "deploy/a%20b.yaml");
        assert_eq!(artifact_uri("/repo/x/atlantis.yml", cwd), "x/atlantis.yml");
        assert_eq!(
            artifact_uri("/etc/atlantis.yaml", cwd),
            "file:///etc/atlantis.yaml"
        );
        assert_eq!(artifact_uri("../other/a.yaml", cwd), "file:///other/a.yaml");
        assert_eq!(artifact_uri("<stdin>", cwd), "%3Cstdin%3E");
    }

    #[test]
    fn rule_names() {
        assert_eq!(pascal("unknown-key"), "UnknownKey");
    }
}

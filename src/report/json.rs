//! The JSON format, version 1: `{"version": 1, "diagnostics": [...], "summary": {...}}`.
//! Fields may be added; none is ever renamed or removed. A failed run (an input that could not be
//! read) adds `"failed": true` and `"failures": ["cannot read ...", ...]`.

use super::{Report, SourceRef, Summary};
use serde::Serialize;

#[derive(Serialize)]
struct JsonDiag<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    key: Option<&'a str>,
    source: &'a SourceRef,
    suggestion: Option<&'a str>,
    related: Vec<&'a SourceRef>,
    /// The config file of the configuration the finding is about: the file itself for file
    /// positions and whole-config findings; null for env and command-line findings, which apply
    /// to every config file of the run (and are reported once).
    config: Option<&'a str>,
    /// Which part of `config` the configuration is, when the file holds several: a manifest's
    /// `StatefulSet/atlantis/atlantis` (workload kind, name, container). Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    diagnostics: Vec<JsonDiag<'a>>,
    summary: Summary,
    /// The Atlantis releases checked against: `{"version": "v0.47.1", "from": "latest"}`
    /// (`from`: `option`, `image` or `latest`).
    atlantis_versions: Vec<JsonVersion>,
    /// Present (true) only when the run itself failed: then `failures` says why.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    failed: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    failures: &'a [String],
}

#[derive(Serialize)]
struct JsonVersion {
    version: String,
    from: &'static str,
}

pub fn render(report: &Report) -> String {
    let out = JsonReport {
        version: 1,
        diagnostics: report
            .diags
            .iter()
            .map(|d| JsonDiag {
                rule: d.rule.id,
                severity: d.severity.as_str(),
                message: &d.message,
                help: d.help.as_deref(),
                key: d.key.as_deref(),
                source: &d.source,
                suggestion: d.suggestion.as_deref(),
                related: d.related.iter().map(|r| &r.source).collect(),
                config: match d.source {
                    SourceRef::File { .. } | SourceRef::None => d.config.as_deref(),
                    _ => None,
                },
                part: match d.source {
                    SourceRef::File { .. } | SourceRef::None => d.part.as_deref(),
                    _ => None,
                },
            })
            .collect(),
        summary: report.summary(),
        atlantis_versions: report
            .atlantis
            .iter()
            .map(|a| JsonVersion {
                version: a.version.to_string(),
                from: a.source_name(),
            })
            .collect(),
        failed: !report.failures.is_empty(),
        failures: &report.failures,
    };
    let mut s = serde_json::to_string_pretty(&out).expect("the report serialises");
    s.push('\n');
    super::escape_bidi_in_json(s)
}

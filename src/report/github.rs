//! The `github` format: GitHub Actions workflow commands (`::error file=...::message`).
//!
//! One `::error`, `::warning` or `::notice` command per finding, with `file`, `line`, `col`,
//! `endLine`, `endColumn` and `title` (the rule id) when the finding has a file position. Findings
//! about the environment or the command line have no file: their message names the source.
//! Escaping follows the runner: in the message `%`, `\r`, `\n` become `%25`, `%0D`, `%0A`; in
//! property values `:` and `,` also become `%3A` and `%2C`.
//!
//! GitHub shows at most 10 annotations of each level per step and drops the rest silently. So
//! the first 10 findings of each level become annotations, the others are printed as plain
//! [`super::concise`] lines, and a summary line says how many were not annotated.

use super::{Diag, Report, SourceRef, concise};
use crate::finding::Severity;

/// GitHub's limit of annotations of one level per step.
pub const LIMIT_PER_LEVEL: usize = 10;

/// Escapes a command's message (data). Other control characters (an escape sequence, a bell)
/// and bidirectional overrides, which the runner would pass to the log, are written as `\u{..}`.
pub fn escape_data(s: &str) -> String {
    super::printable(s.replace('%', "%25").replace('\r', "%0D"), true).replace('\n', "%0A")
}

/// Escapes a command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// One finding as one workflow command.
pub fn annotation(diag: &Diag) -> String {
    let mut props: Vec<(&str, String)> = Vec::new();
    let mut message = String::new();
    match &diag.source {
        SourceRef::File { .. } | SourceRef::EnvFile { .. } => {
            let (line, col, end_line, end_col) = diag.source.position().expect("file positions");
            props.push(("file", diag.source.path().unwrap_or_default().to_string()));
            props.push(("line", line.to_string()));
            props.push(("col", col.to_string()));
            props.push(("endLine", end_line.to_string()));
            props.push(("endColumn", end_col.to_string()));
        }
        SourceRef::Env { .. } | SourceRef::Argv { .. } => {
            message.push_str(&diag.source.describe());
            message.push_str(": ");
        }
        SourceRef::None => {
            if let Some(config) = &diag.config {
                props.push(("file", config.clone()));
            }
        }
    }
    props.push(("title", diag.rule.id.to_string()));
    message.push_str(&diag.message);
    if let Some(help) = &diag.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let props: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    format!(
        "::{} {}::{}",
        command(diag.severity),
        props.join(","),
        escape_data(&message)
    )
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let mut shown = [0usize; 3];
    let mut dropped = [0usize; 3];
    for d in &report.diags {
        let level = d.severity as usize;
        if shown[level] < LIMIT_PER_LEVEL {
            shown[level] += 1;
            out.push_str(&annotation(d));
        } else {
            dropped[level] += 1;
            out.push_str(&concise::line(d));
        }
        out.push('\n');
    }
    let [infos, warnings, errors] = dropped;
    if errors + warnings + infos > 0 {
        let mut parts = Vec::new();
        for (n, word) in [(errors, "error"), (warnings, "warning"), (infos, "notice")] {
            if n > 0 {
                parts.push(format!("{n} {word}{}", if n == 1 { "" } else { "s" }));
            }
        }
        out.push_str(&format!(
            "atlantis-lint: {} not annotated (GitHub shows at most {LIMIT_PER_LEVEL} annotations of each level per step); they are listed above without annotation\n",
            parts.join(", ")
        ));
    }
    for failure in &report.failures {
        out.push_str(&format!(
            "::error title=atlantis-lint run failed::{}\n",
            escape_data(failure)
        ));
    }
    out.push_str("atlantis-lint: ");
    out.push_str(&super::human::summary_line(report));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% a\r\nb: c,d"), "50%25 a%0D%0Ab: c,d");
        assert_eq!(escape_property("dir/a:b,c%\n"), "dir/a%3Ab%2Cc%25%0A");
        // Escape sequences, bells and bidi overrides never reach the log raw.
        assert_eq!(
            escape_data("a\u{1b}[31mb\u{7}c\u{202e}d"),
            "a\\u{1b}[31mb\\u{7}c\\u{202e}d"
        );
        assert_eq!(escape_property("x\u{1b}:y"), "x\\u{1b}%3Ay");
    }
}

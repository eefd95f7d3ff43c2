//! The concise format: one line per finding, for editors and problem matchers.
//!
//! `PATH:LINE:COL: SEVERITY[RULE] MESSAGE`, where SEVERITY is `error`, `warning` or `info`.
//! Findings without a file position use a prefix that names their source instead:
//! `<environment>:ATLANTIS_X:` for a variable of the process environment,
//! `<command line>:--flag:` for an Atlantis command-line argument, and `PATH:` (the config file,
//! no line) or `<configuration>:` for a finding about the configuration as a whole.
//! A problem matcher for `^(.+):(\d+):(\d+): (error|warning|info)\[([^\]]+)\] (.*)$` therefore
//! matches exactly the findings that have a file position.

use super::{Diag, Report, SourceRef};

/// The prefix before `SEVERITY[RULE]`, without the trailing `: `.
pub fn position(diag: &Diag) -> String {
    // A path or a name from the input may hold any character: escape it.
    super::printable(raw_position(diag), false)
}

fn raw_position(diag: &Diag) -> String {
    match &diag.source {
        SourceRef::File {
            path, line, column, ..
        }
        | SourceRef::EnvFile {
            path, line, column, ..
        } => format!("{path}:{line}:{column}"),
        SourceRef::Env { name } => format!("<environment>:{name}"),
        SourceRef::Argv { flag, .. } => format!("<command line>:{flag}"),
        SourceRef::None => diag
            .config
            .clone()
            .unwrap_or_else(|| "<configuration>".into()),
    }
}

/// One finding as one line (line breaks inside the message become spaces).
pub fn line(diag: &Diag) -> String {
    format!(
        "{}: {}[{}] {}",
        position(diag),
        diag.severity.as_str(),
        diag.rule.id,
        one_line(&diag.message)
    )
}

fn one_line(s: &str) -> String {
    // Other control characters (an escape sequence in a key) are escaped, never printed raw.
    super::printable(s.replace("\r\n", " ").replace(['\n', '\r'], " "), false)
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diags {
        out.push_str(&line(d));
        out.push('\n');
    }
    for failure in &report.failures {
        out.push_str(&format!(
            "atlantis-lint: run failed: {}\n",
            one_line(failure)
        ));
    }
    out
}

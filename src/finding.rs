//! Findings: what a rule says about a configuration, and where.

use crate::config::Location;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A rule's identity and documentation, declared beside its check.
#[derive(Debug)]
pub struct RuleInfo {
    /// Stable kebab-case id; never renamed once published.
    pub id: &'static str,
    pub severity: Severity,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// Markdown: what it checks, why it matters, a failing example, the fix.
    pub docs: &'static str,
    /// False for rules whose findings are never intended (`placeholder-value`).
    pub suppressible: bool,
}

/// A secondary position with its own label.
#[derive(Debug, Clone)]
pub struct Label {
    pub location: Location,
    pub text: String,
}

/// One problem in one configuration.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleInfo,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// The Atlantis flag the finding is about.
    pub key: Option<String>,
    pub location: Location,
    /// The text under the primary span.
    pub label: Option<String>,
    pub related: Vec<Label>,
    /// A replacement the user most likely meant ("did you mean").
    pub suggestion: Option<String>,
    /// How many more findings like this one (same rule, same source, later) it stands for:
    /// a rule past the report's per-source cap counts them instead of building each.
    pub more: usize,
}

impl Finding {
    pub fn new(rule: &'static RuleInfo, location: Location, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: rule.severity,
            message: message.into(),
            help: None,
            key: None,
            location,
            label: None,
            related: Vec::new(),
            suggestion: None,
            more: 0,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.label = Some(text.into());
        self
    }

    pub fn related(mut self, location: Location, text: impl Into<String>) -> Self {
        if location != Location::None {
            self.related.push(Label {
                location,
                text: text.into(),
            });
        }
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Applies `f` (a helper that adds to a finding) in a builder chain.
    pub fn map(self, f: impl FnOnce(Finding) -> Finding) -> Finding {
        f(self)
    }

    pub fn suggestion(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }
}

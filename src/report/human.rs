//! The human format: miette's graphical report, one block per diagnostic, then a summary line.

use super::{Diag, Report, Snippet};
use crate::finding::Severity;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};
use std::fmt;
use std::sync::Arc;

/// One diagnostic as miette sees it.
struct Rendered<'a> {
    diag: &'a Diag,
    /// The report covers several configs: whole-config findings name their file.
    several: bool,
    source: Option<NamedSource<Arc<str>>>,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedNote>,
}

/// A position in another source, shown as its own block under the diagnostic.
struct RelatedNote {
    text: String,
    source: Option<NamedSource<Arc<str>>>,
    labels: Vec<LabeledSpan>,
}

fn labeled(snippet: &Snippet, primary: bool) -> LabeledSpan {
    let span = (snippet.span.start, snippet.span.len());
    if primary {
        LabeledSpan::new_primary_with_span(snippet.label.clone(), span)
    } else {
        LabeledSpan::new_with_span(snippet.label.clone(), span)
    }
}

fn named(snippet: &Snippet) -> NamedSource<Arc<str>> {
    NamedSource::new(snippet.name.clone(), snippet.text.clone()).with_language("yaml")
}

impl<'a> Rendered<'a> {
    fn new(diag: &'a Diag, several: bool) -> Self {
        let mut labels = Vec::new();
        let mut related = Vec::new();
        if let Some(s) = &diag.snippet {
            labels.push(labeled(s, true));
        }
        for r in &diag.related {
            match (&r.snippet, &diag.snippet) {
                (Some(rs), Some(ps)) if rs.name == ps.name && Arc::ptr_eq(&rs.text, &ps.text) => {
                    labels.push(labeled(rs, false));
                }
                (rs, _) => related.push(RelatedNote {
                    text: format!(
                        "{}: {}",
                        r.source.describe(),
                        rs.as_ref()
                            .and_then(|s| s.label.clone())
                            .unwrap_or_default()
                    ),
                    source: rs.as_ref().map(named),
                    labels: rs.iter().map(|s| labeled(s, true)).collect(),
                }),
            }
        }
        Rendered {
            diag,
            several,
            source: diag.snippet.as_ref().map(named),
            labels,
            related,
        }
    }
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.rule.id))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if let (true, super::SourceRef::None, Some(config)) =
            (self.several, &self.diag.source, &self.diag.config)
        {
            return Some(Box::new(match &self.diag.help {
                Some(help) => format!("{help}\n(in {config})"),
                None => format!("(in {config})"),
            }));
        }
        let help = self.diag.help.as_deref()?;
        match &self.diag.snippet {
            // Findings without a snippet still say where they come from.
            None if self.diag.source != super::SourceRef::None => Some(Box::new(format!(
                "{help}\n(from {})",
                self.diag.source.describe()
            ))),
            _ => Some(Box::new(help)),
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
        }
    }
}

impl fmt::Debug for RelatedNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for RelatedNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for RelatedNote {}

impl Diagnostic for RelatedNote {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// Renders the whole report. `color` decides the theme; `width` the wrapping.
pub fn render(report: &Report, color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false)
        .with_context_lines(1);
    let mut out = String::new();
    for diag in &report.diags {
        let rendered = Rendered::new(diag, report.configs > 1);
        if handler.render_report(&mut out, &rendered).is_err() {
            out.push_str(&format!("{}: {}\n", diag.rule.id, diag.message));
        }
        out.push('\n');
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `2 errors, 1 warning in 1 config` or `no problems in 3 configs`.
pub fn summary_line(report: &Report) -> String {
    let s = report.summary();
    let configs = plural(report.configs, "config");
    if s.errors + s.warnings + s.infos == 0 {
        return format!("no problems found in {configs}");
    }
    let mut parts = vec![plural(s.errors, "error"), plural(s.warnings, "warning")];
    if s.infos > 0 {
        parts.push(plural(s.infos, "note"));
    }
    format!("{} in {configs}", parts.join(", "))
}

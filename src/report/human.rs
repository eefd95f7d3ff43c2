//! The human format: one block per diagnostic, headed `error[rule-id]: message` as rustc and
//! ruff do, with miette's source snippets and help below, then a summary line. Text is wrapped to
//! the terminal's width here, never inside a `code span`; snippets use box-drawing characters
//! only when the terminal can show them ([`Style::unicode`]).

use super::{Diag, Report, Snippet};
use crate::finding::Severity;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// One diagnostic as miette sees it.
struct Rendered<'a> {
    diag: &'a Diag,
    /// The report covers several configs: whole-config findings name their file.
    several: bool,
    source: Option<NamedSource<Windowed>>,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedNote>,
    /// The width help texts are wrapped to.
    width: usize,
}

/// A position in another source, shown as its own block under the diagnostic.
struct RelatedNote {
    text: String,
    source: Option<NamedSource<Windowed>>,
    labels: Vec<LabeledSpan>,
}

/// Lines longer than this (in bytes) are shown as an excerpt around the span: miette cannot draw
/// a label past column 65535 (a minified JSON config, a long command line), and nobody reads
/// a 70,000-character line anyway.
const LONG_LINE: usize = 400;

/// How much of a long line is shown on each side of the span.
const EXCERPT_CONTEXT: usize = 80;

/// Where a snippet's span lies in the text miette is given: the source itself, or an excerpt of
/// one long line (`…` + the bytes `from..to` of the source + `…`).
#[derive(Clone, Copy)]
struct View {
    /// Byte range of the source shown; `None` for the whole source.
    excerpt: Option<(usize, usize)>,
    /// Bytes added before the excerpt (the `…`).
    prefix: usize,
}

impl View {
    fn of(snippet: &Snippet) -> View {
        let text = &*snippet.text;
        let start = snippet.span.start.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        if line_end - line_start <= LONG_LINE {
            return View {
                excerpt: None,
                prefix: 0,
            };
        }
        let end = snippet
            .span
            .end
            .clamp(start, line_end)
            .min(start + LONG_LINE);
        let mut from = start.saturating_sub(EXCERPT_CONTEXT).max(line_start);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (end + EXCERPT_CONTEXT).min(line_end);
        while !text.is_char_boundary(to) {
            to += 1;
        }
        View {
            excerpt: Some((from, to)),
            prefix: if from > line_start { "…".len() } else { 0 },
        }
    }

    /// A span of the source in the text miette is given, or `None` when it is not shown.
    fn span(&self, span: crate::source::Span) -> Option<(usize, usize)> {
        match self.excerpt {
            None => Some((span.start, span.len())),
            Some((from, to)) if span.start >= from && span.start <= to => {
                let end = span.end.clamp(span.start, to);
                Some((span.start - from + self.prefix, end - span.start))
            }
            Some(_) => None,
        }
    }
}

fn labeled(snippet: &Snippet, view: View, primary: bool) -> Option<LabeledSpan> {
    let span = view.span(snippet.span)?;
    let label = snippet.label.clone().map(|l| super::printable(l, false));
    Some(if primary {
        LabeledSpan::new_primary_with_span(label, span)
    } else {
        LabeledSpan::new_with_span(label, span)
    })
}

fn named(snippet: &Snippet, view: View, lines: &mut LineCache) -> NamedSource<Windowed> {
    // The name is a path as given: it may hold any character.
    let name = super::printable(snippet.name.clone(), false);
    if let Some((from, to)) = view.excerpt {
        let text = &*snippet.text;
        let line_start = text[..from].rfind('\n').map_or(0, |i| i + 1);
        let line = text[..from].matches('\n').count();
        let line_end = text[to..].find('\n').map_or(text.len(), |i| to + i);
        let excerpt = format!(
            "{}{}{}",
            if view.prefix > 0 { "…" } else { "" },
            &text[from..to],
            if to < line_end { "…" } else { "" }
        );
        let before = text[line_start..from].chars().count();
        let source = Windowed {
            line_starts: Arc::from(vec![0]),
            text: Arc::from(excerpt),
            line_base: line,
            column_base: before.saturating_sub(usize::from(view.prefix > 0)),
        };
        return NamedSource::new(name, source).with_language("yaml");
    }
    let key = Arc::as_ptr(&snippet.text) as *const u8 as usize;
    let line_starts = lines
        .entry(key)
        .or_insert_with(|| {
            let text = snippet.text.as_bytes();
            let mut starts = vec![0];
            starts.extend((0..text.len()).filter(|&i| text[i] == b'\n').map(|i| i + 1));
            Arc::from(starts)
        })
        .clone();
    let source = Windowed {
        text: snippet.text.clone(),
        line_starts,
        line_base: 0,
        column_base: 0,
    };
    NamedSource::new(name, source).with_language("yaml")
}

/// Line starts of each source text, computed once per report.
type LineCache = HashMap<usize, Arc<[usize]>>;

/// A source text that hands miette only the lines around a span: miette scans the text it is
/// given from the start, which costs O(file size) per diagnostic; a window keeps a report of
/// thousands of findings in a large file fast.
struct Windowed {
    text: Arc<str>,
    line_starts: Arc<[usize]>,
    /// For an excerpt of one long line: its line index and the columns left out before it.
    line_base: usize,
    column_base: usize,
}

impl SourceCode for Windowed {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let line_of = |offset: usize| self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = span.offset().min(self.text.len());
        let end = (start + span.len()).min(self.text.len());
        let first = line_of(start).saturating_sub(context_lines_before + 1);
        let last = line_of(end) + context_lines_after + 2;
        let from = self.line_starts[first];
        let to = self
            .line_starts
            .get(last)
            .copied()
            .unwrap_or(self.text.len());
        let window = &self.text[from..to];
        let local = SourceSpan::new((start - from).into(), end - start);
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        // miette counts the column in bytes; the header (`file:line:column`) must agree with
        // every other format, which counts characters.
        let column = if context_lines_before == 0 {
            let line_start = self.line_starts[line_of(start)];
            self.text
                .get(line_start..start)
                .map_or(start - line_start, |s| s.chars().count())
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            SourceSpan::new((inner.span().offset() + from).into(), inner.span().len()),
            inner.line() + first + self.line_base,
            column + self.column_base,
            inner.line_count(),
        )))
    }
}

impl<'a> Rendered<'a> {
    fn new(diag: &'a Diag, several: bool, width: usize, lines: &mut LineCache) -> Self {
        let mut labels = Vec::new();
        let mut related = Vec::new();
        let view = diag.snippet.as_ref().map(View::of);
        if let (Some(s), Some(view)) = (&diag.snippet, view) {
            labels.extend(labeled(s, view, true));
        }
        for r in &diag.related {
            match (&r.snippet, &diag.snippet, view) {
                (Some(rs), Some(ps), Some(view))
                    if rs.name == ps.name
                        && Arc::ptr_eq(&rs.text, &ps.text)
                        && view.span(rs.span).is_some() =>
                {
                    labels.extend(labeled(rs, view, false));
                }
                (rs, _, _) => related.push(RelatedNote {
                    text: wrap(
                        &super::printable(
                            format!(
                                "{}: {}",
                                r.source.describe(),
                                rs.as_ref()
                                    .and_then(|s| s.label.clone())
                                    .unwrap_or_default()
                            ),
                            false,
                        ),
                        width - RELATED_INDENT,
                    ),
                    source: rs.as_ref().map(|s| named(s, View::of(s), lines)),
                    labels: rs
                        .iter()
                        .filter_map(|s| labeled(s, View::of(s), true))
                        .collect(),
                }),
            }
        }
        Rendered {
            diag,
            several,
            source: diag
                .snippet
                .as_ref()
                .zip(view)
                .map(|(s, view)| named(s, view, lines)),
            labels,
            related,
            width,
        }
    }
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl fmt::Display for Rendered<'_> {
    /// Empty: the header line (severity, rule, message) is written by [`render_with`].
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl std::error::Error for Rendered<'_> {}

impl Diagnostic for Rendered<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let help = if let (true, super::SourceRef::None, Some(config)) =
            (self.several, &self.diag.source, &self.diag.config)
        {
            // The path may hold a line break: escape it on its own.
            let config = super::printable(config.clone(), false);
            match &self.diag.help {
                Some(help) => format!("{help}\n(in {config})"),
                None => format!("(in {config})"),
            }
        } else {
            let help = self.diag.help.as_deref()?;
            match &self.diag.snippet {
                // Findings without a snippet still say where they come from.
                None if self.diag.source != super::SourceRef::None => format!(
                    "{help}\n(from {})",
                    super::printable(self.diag.source.describe(), false)
                ),
                _ => help.to_string(),
            }
        };
        Some(Box::new(wrap(
            &super::printable(help, true),
            self.width - HELP_INDENT,
        )))
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

/// How the human format is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Box-drawing characters; ASCII (`|`, `-`, `^`) otherwise.
    pub unicode: bool,
    /// The width text is wrapped to (source lines are never wrapped).
    pub width: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            unicode: true,
            width: 100,
        }
    }
}

/// `  help: ` before a help text, and the indent of its other lines.
const HELP_INDENT: usize = 8;
/// `  ☞ ` before a related note.
const RELATED_INDENT: usize = 4;
/// The narrowest width text is wrapped to (a narrower terminal gets long lines).
const MIN_WIDTH: usize = 40;

/// Renders the whole report with Unicode snippets. `color` decides the theme; `width` the wrapping.
pub fn render(report: &Report, color: bool, width: usize) -> String {
    render_with(
        report,
        Style {
            color,
            unicode: true,
            width,
        },
    )
}

/// Renders the whole report in the given style.
pub fn render_with(report: &Report, style: Style) -> String {
    let width = style.width.max(MIN_WIDTH);
    let theme = match (style.unicode, style.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, true) => GraphicalTheme::ascii(),
        (false, false) => GraphicalTheme::none(),
    };
    // miette only indents: the wrapping is ours, so that it never splits a code span.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_wrap_lines(false)
        .with_links(false)
        .with_context_lines(1);
    let mut out = String::new();
    let mut lines = LineCache::new();
    for diag in &report.diags {
        out.push_str(&header(diag, style.color, width));
        let rendered = Rendered::new(diag, report.configs > 1, width, &mut lines);
        let mut body = String::new();
        if handler.render_report(&mut body, &rendered).is_ok() {
            // The empty message line miette writes before the snippet.
            out.push_str(body.strip_prefix('\n').unwrap_or(&body));
        }
        out.push('\n');
    }
    for failure in &report.failures {
        let failure = super::printable(failure.clone(), false);
        if style.color {
            out.push_str(&format!("\x1b[1;31merror\x1b[0m: {failure}\n"));
        } else {
            out.push_str(&format!("error: {failure}\n"));
        }
    }
    out.push_str(&wrap(&summary_line(report), width));
    out.push('\n');
    out
}

/// `error[rule-id]: message`, wrapped, the severity in words (coloured like rustc's).
fn header(diag: &Diag, color: bool, width: usize) -> String {
    let (word, ansi) = match diag.severity {
        Severity::Error => ("error", "\x1b[1;31m"),
        Severity::Warning => ("warning", "\x1b[1;33m"),
        Severity::Info => ("note", "\x1b[1;36m"),
    };
    let head = format!("{word}[{}]", diag.rule.id);
    // The message may quote input (a key with an escape sequence): never print it raw.
    let message = super::printable(diag.message.clone(), false);
    let text = wrap_hanging(&format!("{head}: {message}"), width, 2);
    if color {
        format!("{ansi}{head}\x1b[0m\x1b[1m{}\x1b[0m\n", &text[head.len()..])
    } else {
        format!("{text}\n")
    }
}

/// Wraps each line of `text` to `width` columns at spaces, never inside a `code span` (a span
/// longer than the width gets a line of its own). Leading spaces of a line are kept.
pub fn wrap(text: &str, width: usize) -> String {
    wrap_hanging(text, width, 0)
}

/// [`wrap`], the continuation lines of each line indented `hang` more columns.
fn wrap_hanging(text: &str, width: usize, hang: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let body = line.trim_start_matches(' ');
        let lead = &line[..line.len() - body.len()];
        out.push_str(lead);
        let mut column = lead.chars().count();
        let mut first = true;
        for (gap, word) in words(body) {
            let len = word.chars().count();
            if !first && column + 1 + len > width {
                out.push('\n');
                out.push_str(lead);
                out.extend(std::iter::repeat_n(' ', hang));
                column = lead.chars().count() + hang;
            } else if !first {
                out.push_str(gap);
                column += gap.len();
            }
            out.push_str(word);
            column += len;
            first = false;
        }
    }
    out
}

/// The words of a line, each with the spaces before it: runs of non-spaces, where a backtick
/// opens a span that runs to the next backtick, spaces included (an unmatched backtick is an
/// ordinary character).
fn words(line: &str) -> impl Iterator<Item = (&str, &str)> {
    let bytes = line.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let gap_start = at;
        while at < bytes.len() && bytes[at] == b' ' {
            at += 1;
        }
        let gap = &line[gap_start..at];
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() && bytes[at] != b' ' {
            if bytes[at] == b'`' {
                if let Some(close) = line[at + 1..].find('`') {
                    at += close + 2;
                    continue;
                }
            }
            at += 1;
        }
        Some((gap, &line[start..at]))
    })
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `2 errors, 1 warning in 1 config` or `no problems found in 3 configs`; a failed run starts
/// with `run failed: ...` and never says "no problems found".
pub fn summary_line(report: &Report) -> String {
    let s = report.summary();
    let mut configs = plural(report.configs, "config");
    if !report.atlantis.is_empty() {
        let versions: Vec<String> = report.atlantis.iter().map(|a| a.describe()).collect();
        configs.push_str(&format!(" for Atlantis {}", versions.join(", ")));
    }
    if !report.failures.is_empty() {
        let mut parts = vec![plural(s.errors, "error"), plural(s.warnings, "warning")];
        if s.infos > 0 {
            parts.push(plural(s.infos, "note"));
        }
        let n = report.failures.len();
        return format!(
            "run failed: {} not linted; {} in {configs}",
            if n == 1 {
                "1 input was".to_string()
            } else {
                format!("{n} inputs were")
            },
            parts.join(", ")
        );
    }
    if s.errors + s.warnings + s.infos == 0 {
        return format!("no problems found in {configs}");
    }
    let mut parts = vec![plural(s.errors, "error"), plural(s.warnings, "warning")];
    if s.infos > 0 {
        parts.push(plural(s.infos, "note"));
    }
    let more = match s.not_listed {
        0 => String::new(),
        n => format!(" ({n} more not listed)"),
    };
    format!("{}{more} in {configs}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_never_splits_a_code_span() {
        let text = "valid names are `plan, apply, unlock` and `policy_check` only";
        assert_eq!(
            wrap(text, 24),
            "valid names are\n`plan, apply, unlock`\nand `policy_check` only"
        );
        // A span wider than the line gets a line of its own, unbroken.
        assert_eq!(
            wrap("see `a very long code span here` now", 10),
            "see\n`a very long code span here`\nnow"
        );
        // An unmatched backtick is an ordinary character; runs of spaces are kept within a line.
        assert_eq!(wrap("it`s  fine, ok", 40), "it`s  fine, ok");
        assert_eq!(wrap("one two\n  three four", 9), "one two\n  three\n  four");
        assert_eq!(wrap_hanging("aaa bbb ccc", 7, 2), "aaa bbb\n  ccc");
    }
}

//! The texts a configuration was read from, and positions inside them.
//!
//! Every input (a config file, an env file, the process environment, a command line) becomes a
//! [`SourceText`]. Positions are byte ranges into it; line and column are computed only when a
//! report needs them. Secret values are registered as spans so that any snippet shown to a user
//! comes from a masked copy of the same length.

use std::sync::{Arc, OnceLock};

/// A byte range `[start, end)` inside one source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start,
            end: end.max(start),
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Index of a source inside [`Sources`].
pub type SourceId = usize;

/// What a source text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// An Atlantis server config file (YAML or JSON), or standard input named like one.
    File,
    /// A `KEY=VALUE` env file.
    EnvFile,
    /// The process environment, rendered one `NAME=value` per line.
    Env,
    /// The Atlantis command line, rendered as one line.
    Argv,
    /// atlantis-lint's own options that stand for settings (`--assume-set`).
    Options,
}

/// One input text with its display name. Its `Debug` never shows the text (it holds secrets).
pub struct SourceText {
    pub kind: SourceKind,
    /// The path as the user gave it (or `<environment>`, `<command line>`).
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
    secret_spans: Vec<Span>,
    masked: OnceLock<String>,
}

impl SourceText {
    pub fn new(kind: SourceKind, name: impl Into<String>, text: String) -> SourceText {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceText {
            kind,
            name: name.into(),
            text,
            line_starts,
            secret_spans: Vec::new(),
            masked: OnceLock::new(),
        }
    }

    /// 1-based line and 1-based column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, col + 1)
    }

    /// Marks a span as holding a secret: snippets show it as `*`s of the same byte length.
    pub fn add_secret(&mut self, span: Span) {
        if !span.is_empty() {
            self.secret_spans.push(span);
        }
    }

    pub fn secret_spans(&self) -> &[Span] {
        &self.secret_spans
    }

    /// The text with every secret span (and every string shaped like a known token) masked.
    ///
    /// Each masked byte becomes `*` and line breaks are kept, so byte offsets, lines and UTF-8
    /// validity are all preserved.
    pub fn masked(&self) -> &str {
        self.masked.get_or_init(|| {
            let mut bytes = self.text.as_bytes().to_vec();
            let mut mask = |span: Span| {
                for b in &mut bytes[span.start.min(span.end)..span.end.min(self.text.len())] {
                    if *b != b'\n' && *b != b'\r' {
                        *b = b'*';
                    }
                }
            };
            for span in &self.secret_spans {
                mask(*span);
            }
            for span in crate::secret::token_like_spans(&self.text) {
                mask(span);
            }
            // Every byte of a multi-byte character is replaced, so the result is valid UTF-8.
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        })
    }
}

impl std::fmt::Debug for SourceText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceText")
            .field("kind", &self.kind)
            .field("name", &self.name)
            .field("bytes", &self.text.len())
            .field("secret_spans", &self.secret_spans.len())
            .finish_non_exhaustive()
    }
}

/// All the source texts of one lint run. Cloning shares the texts: one manifest read once can
/// back several configurations (one per Atlantis container).
#[derive(Debug, Default, Clone)]
pub struct Sources {
    list: Vec<Arc<SourceText>>,
}

impl Sources {
    pub fn add(&mut self, source: SourceText) -> SourceId {
        self.list.push(Arc::new(source));
        self.list.len() - 1
    }

    pub fn get(&self, id: SourceId) -> &SourceText {
        &self.list[id]
    }

    /// A source being read (to register its secret spans). Readers change a source only before
    /// the configurations built from it share it.
    pub fn get_mut(&mut self, id: SourceId) -> &mut SourceText {
        Arc::get_mut(&mut self.list[id]).expect("a source is changed only before it is shared")
    }

    pub fn iter(&self) -> impl Iterator<Item = (SourceId, &SourceText)> {
        self.list.iter().map(|s| &**s).enumerate()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let s = SourceText::new(SourceKind::File, "a.yaml", "# ünï\ngh-user: x\n".into());
        assert_eq!(s.line_col(0), (1, 1));
        let off = s.text.find("x").unwrap();
        assert_eq!(s.line_col(off), (2, 10));
        assert_eq!(s.line_col(s.text.find("ï").unwrap()), (1, 5));
    }

    #[test]
    fn masking_keeps_length_and_lines() {
        let mut s = SourceText::new(
            SourceKind::File,
            "a.yaml",
            "gh-token: sécret\nx: 1\n".into(),
        );
        let start = s.text.find("sécret").unwrap();
        s.add_secret(Span::new(start, start + "sécret".len()));
        let m = s.masked();
        assert_eq!(m.len(), s.text.len());
        assert_eq!(m, "gh-token: *******\nx: 1\n");
    }
}

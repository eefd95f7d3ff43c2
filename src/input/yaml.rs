//! A small YAML tree with a byte span for every node, built from saphyr-parser's events.
//!
//! Scalars keep their text, quoting style and tag, so that `crate::input::scalar` can resolve
//! them exactly as Go's yaml.v3 (which Atlantis uses) does, rather than as a YAML 1.1 library
//! would. Aliases are kept as references to the anchored node and never expanded, so an alias
//! bomb costs nothing; nesting depth is bounded and the builder is iterative.

use crate::source::Span;
use saphyr_parser::{Event, Parser, ScalarStyle};
use std::fmt;

/// Deeper nesting than this is refused: no real Atlantis config comes close.
pub const MAX_DEPTH: usize = 256;

pub type NodeId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// Its `Debug` shows the shape, not the content: a scalar may be a secret.
#[derive(Clone)]
pub struct Scalar {
    /// The scalar's content after YAML unescaping and folding.
    pub value: String,
    pub style: Style,
    /// An explicit tag such as `tag:yaml.org,2002:str` (`!!str`), when present.
    pub tag: Option<String>,
}

impl fmt::Debug for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scalar")
            .field("bytes", &self.value.len())
            .field("style", &self.style)
            .field("tag", &self.tag)
            .finish()
    }
}

#[derive(Debug, Clone)]
pub enum NodeKind {
    Scalar(Scalar),
    Seq(Vec<NodeId>),
    /// Key/value pairs in document order, duplicates included.
    Map(Vec<(NodeId, NodeId)>),
    /// An alias to the anchored node.
    Alias(NodeId),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

/// The first document of a YAML stream (the only one yaml.v3's `Unmarshal` reads).
#[derive(Debug, Clone, Default)]
pub struct YamlDoc {
    pub nodes: Vec<Node>,
    /// `None` for an empty document (a file holding nothing or only comments).
    pub root: Option<NodeId>,
    /// Where a second document starts, if the stream has more than one.
    pub extra_document: Option<Span>,
}

impl YamlDoc {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// Moves every span by `offset` bytes: for a document parsed from a slice of a larger text
    /// (a config file held in a ConfigMap's block scalar).
    pub fn shift(&mut self, offset: usize) {
        for node in &mut self.nodes {
            node.span = Span::new(node.span.start + offset, node.span.end + offset);
        }
        if let Some(s) = &mut self.extra_document {
            *s = Span::new(s.start + offset, s.end + offset);
        }
    }

    /// The node itself, or the anchored node an alias points to.
    pub fn resolve(&self, id: NodeId) -> &Node {
        match self.nodes[id].kind {
            NodeKind::Alias(target) => &self.nodes[target],
            _ => &self.nodes[id],
        }
    }
}

/// A YAML syntax error with the position the parser stopped at.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub message: String,
    pub span: Span,
}

/// Turns saphyr's character indices into byte offsets, walking from the last position.
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    char_idx: usize,
    byte_idx: usize,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        Offsets {
            text,
            ascii: text.is_ascii(),
            char_idx: 0,
            byte_idx: 0,
        }
    }

    fn byte(&mut self, char_idx: usize) -> usize {
        if self.ascii {
            return char_idx.min(self.text.len());
        }
        let bytes = self.text.as_bytes();
        while self.char_idx < char_idx && self.byte_idx < bytes.len() {
            self.byte_idx += 1;
            while self.byte_idx < bytes.len() && !self.text.is_char_boundary(self.byte_idx) {
                self.byte_idx += 1;
            }
            self.char_idx += 1;
        }
        while self.char_idx > char_idx && self.byte_idx > 0 {
            self.byte_idx -= 1;
            while self.byte_idx > 0 && !self.text.is_char_boundary(self.byte_idx) {
                self.byte_idx -= 1;
            }
            self.char_idx -= 1;
        }
        self.byte_idx
    }

    fn span(&mut self, span: saphyr_parser::Span) -> Span {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        Span::new(start, end)
    }
}

enum Frame {
    Seq {
        start: usize,
        items: Vec<NodeId>,
        anchor: usize,
    },
    Map {
        start: usize,
        items: Vec<NodeId>,
        anchor: usize,
    },
}

/// How many tabs after `:` are patched before giving up (each costs one more parse).
const MAX_TAB_RETRIES: usize = 64;

/// Parses the first document of `text` (what yaml.v3's `Unmarshal`, and so Atlantis, reads);
/// [`YamlDoc::extra_document`] tells whether more follow.
///
/// yaml.v3 (like libyaml) accepts a tab after the `:` of a mapping entry (`gh-user:\tbob`);
/// saphyr does not. Such a tab is read as the space it stands for: the text is patched one byte
/// for one byte, so every offset stays exact.
pub fn parse(text: &str) -> Result<YamlDoc, YamlError> {
    parse_patched(text, false).map(|mut docs| docs.swap_remove(0))
}

/// Every document of a YAML stream (a Kubernetes manifest, `helm template` output), in order;
/// node spans are byte offsets into the whole `text`. Anchors do not cross documents. A stream
/// holding nothing gives one empty document. A syntax error anywhere fails the whole stream,
/// as it fails `kubectl apply`.
pub fn parse_stream(text: &str) -> Result<Vec<YamlDoc>, YamlError> {
    parse_patched(text, true)
}

thread_local! {
    /// The last parse of this thread: (whole stream?, text, result).
    static LAST_PARSE: std::cell::RefCell<Option<Memo>> = const { std::cell::RefCell::new(None) };
}

type Memo = (bool, String, Result<Vec<YamlDoc>, YamlError>);

/// A file is parsed by kind detection (`kind::Probe`, a directory search's checks), by its
/// reader and by the suppression-comment scan, from the same text: every parse after the first
/// is a copy of it (a server config's first-document parse takes the first document of the
/// probe's stream). Parsing is a pure function of the text, so the copy is the same answer,
/// at a fraction of the cost (a 1 MB config: 76 ms with three parses, 45 ms with one). The memo
/// holds one text per thread.
fn parse_patched(text: &str, all: bool) -> Result<Vec<YamlDoc>, YamlError> {
    let hit = LAST_PARSE.with(|memo| match memo.borrow().as_ref() {
        Some((a, t, result)) if *a == all && t == text => Some(result.clone()),
        // The first document of a stream that parsed whole is what the first-document parse
        // reads (yaml.v3 stops there; `extra_document` is set the same way).
        Some((true, t, Ok(docs))) if !all && t == text => docs.first().map(|d| Ok(vec![d.clone()])),
        _ => None,
    });
    if let Some(result) = hit {
        return result;
    }
    let result = parse_uncached(text, all);
    LAST_PARSE.with(|memo| *memo.borrow_mut() = Some((all, text.to_string(), result.clone())));
    result
}

fn parse_uncached(text: &str, all: bool) -> Result<Vec<YamlDoc>, YamlError> {
    let mut patched: Option<String> = None;
    for _ in 0..MAX_TAB_RETRIES {
        let current = patched.as_deref().unwrap_or(text);
        match parse_once(current, all) {
            Err(e) if tab_after_colon(current, &e).is_some() => {
                let at = tab_after_colon(current, &e).unwrap_or_default();
                let mut bytes = current.as_bytes().to_vec();
                bytes[at] = b' ';
                patched = Some(String::from_utf8(bytes).expect("a tab replaced by a space"));
            }
            result => return result,
        }
    }
    parse_once(patched.as_deref().unwrap_or(text), all)
}

/// The offset of the tab saphyr refused right after a `:`, if that is what the error is.
fn tab_after_colon(text: &str, e: &YamlError) -> Option<usize> {
    if !e
        .message
        .contains("must be followed by a valid YAML whitespace")
    {
        return None;
    }
    // saphyr reports the character after the tab; accept the tab itself too.
    let bytes = text.as_bytes();
    let at = e.span.start;
    [at.checked_sub(1), Some(at)]
        .into_iter()
        .flatten()
        .find(|&i| i > 0 && bytes.get(i) == Some(&b'\t') && bytes[i - 1] == b':')
}

/// yaml.v3's guard against alias bombs (`decoder.unmarshal`): once more than 1,000 nodes were
/// decoded and more than 100 of them through aliases, a share of alias-decoded nodes above
/// [`allowed_alias_ratio`] fails with "document contains excessive aliasing". Atlantis decodes
/// the whole document, so it refuses such a file.
///
/// The counts are those of the last decode step (the whole expanded document), computed in one
/// pass without expanding anything: a file this finds excessive is certainly refused by yaml.v3.
fn excessive_aliasing(doc: &YamlDoc) -> Option<Span> {
    let root = doc.root?;
    // decoded[i]: nodes yaml.v3 decodes for node i; via_alias[i]: how many of them through an alias.
    let mut decoded = vec![0u64; doc.nodes.len()];
    let mut via_alias = vec![0u64; doc.nodes.len()];
    let mut first_alias = None;
    // Children and alias targets always have smaller ids than their parent and the alias.
    for (i, node) in doc.nodes.iter().enumerate() {
        let (d, a) = match &node.kind {
            NodeKind::Scalar(_) => (1, 0),
            NodeKind::Alias(t) => {
                first_alias.get_or_insert(node.span);
                (decoded[*t].saturating_add(1), decoded[*t])
            }
            NodeKind::Seq(items) => items.iter().fold((1u64, 0u64), |(d, a), &c| {
                (d.saturating_add(decoded[c]), a.saturating_add(via_alias[c]))
            }),
            NodeKind::Map(pairs) => pairs.iter().fold((1u64, 0u64), |(d, a), &(k, v)| {
                (
                    d.saturating_add(decoded[k]).saturating_add(decoded[v]),
                    a.saturating_add(via_alias[k]).saturating_add(via_alias[v]),
                )
            }),
        };
        decoded[i] = d;
        via_alias[i] = a;
    }
    // The document node itself is decoded too.
    let (d, a) = (decoded[root].saturating_add(1), via_alias[root]);
    (a > 100 && d > 1000 && a as f64 / d as f64 > allowed_alias_ratio(d))
        .then(|| first_alias.unwrap_or_default())
}

/// yaml.v3's `allowedAliasRatio`.
fn allowed_alias_ratio(decode_count: u64) -> f64 {
    const LOW: u64 = 400_000;
    const HIGH: u64 = 4_000_000;
    match decode_count {
        d if d <= LOW => 0.99,
        d if d >= HIGH => 0.10,
        d => 0.99 - 0.89 * ((d - LOW) as f64 / (HIGH - LOW) as f64),
    }
}

fn parse_once(text: &str, all: bool) -> Result<Vec<YamlDoc>, YamlError> {
    let mut offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut docs: Vec<YamlDoc> = Vec::new();
    let mut doc = YamlDoc::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: Vec<(usize, NodeId)> = Vec::new();
    let mut in_document = false;
    let mut documents = 0;

    while let Some(next) = parser.next_event() {
        let (event, raw_span) = match next {
            Ok(ok) => ok,
            Err(e) if documents > 1 && !all => {
                // yaml.v3 never reads past the first document; neither do we.
                let _ = e;
                break;
            }
            Err(e) => {
                let at = offsets.byte(e.marker().index());
                let message = e.info().to_string();
                return Err(YamlError {
                    message,
                    // One character (not one byte: it may be multi-byte).
                    span: Span::new(
                        at,
                        text.get(at..)
                            .and_then(|t| t.chars().next())
                            .map_or(at, |c| at + c.len_utf8()),
                    ),
                });
            }
        };
        let span = offsets.span(raw_span);
        let completed: Option<(NodeId, usize)> = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    doc.extra_document = Some(span);
                    if !all {
                        break;
                    }
                    finish_document(&mut doc)?;
                    docs.push(std::mem::take(&mut doc));
                    anchors.clear();
                }
                in_document = true;
                None
            }
            Event::DocumentEnd => {
                in_document = false;
                None
            }
            Event::Scalar(value, style, anchor, tag) => {
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted => Style::SingleQuoted,
                    ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                    ScalarStyle::Literal => Style::Literal,
                    ScalarStyle::Folded => Style::Folded,
                };
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                let span = match style {
                    Style::SingleQuoted | Style::DoubleQuoted => quoted_span(text, span),
                    _ => span,
                };
                doc.nodes.push(Node {
                    kind: NodeKind::Scalar(Scalar {
                        value: value.into_owned(),
                        style,
                        tag,
                    }),
                    span,
                });
                Some((doc.nodes.len() - 1, anchor))
            }
            Event::Alias(anchor) => {
                let Some(&(_, target)) = anchors.iter().rev().find(|(a, _)| *a == anchor) else {
                    return Err(YamlError {
                        message: "unknown anchor".into(),
                        span,
                    });
                };
                doc.nodes.push(Node {
                    kind: NodeKind::Alias(target),
                    span,
                });
                Some((doc.nodes.len() - 1, 0))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(YamlError {
                        message: format!("nesting is deeper than {MAX_DEPTH} levels"),
                        span,
                    });
                }
                let frame = if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        start: span.start,
                        items: Vec::new(),
                        anchor,
                    }
                } else {
                    Frame::Map {
                        start: span.start,
                        items: Vec::new(),
                        anchor,
                    }
                };
                stack.push(frame);
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = stack
                    .pop()
                    .expect("the parser balances start and end events");
                let (kind, start, anchor) = match frame {
                    Frame::Seq {
                        start,
                        items,
                        anchor,
                    } => (NodeKind::Seq(items), start, anchor),
                    Frame::Map {
                        start,
                        items,
                        anchor,
                    } => {
                        let pairs = items
                            .chunks(2)
                            .filter(|c| c.len() == 2)
                            .map(|c| (c[0], c[1]))
                            .collect();
                        (NodeKind::Map(pairs), start, anchor)
                    }
                };
                let end = span.end.max(start);
                let end = last_content_end(text, start, end);
                doc.nodes.push(Node {
                    kind,
                    span: Span::new(start, end),
                });
                Some((doc.nodes.len() - 1, anchor))
            }
        };
        if let Some((id, anchor)) = completed {
            if anchor != 0 {
                anchors.push((anchor, id));
            }
            match stack.last_mut() {
                Some(Frame::Seq { items, .. }) | Some(Frame::Map { items, .. }) => items.push(id),
                None if in_document || doc.root.is_none() => doc.root = Some(id),
                None => {}
            }
        }
    }
    finish_document(&mut doc)?;
    docs.push(doc);
    Ok(docs)
}

/// Checks a complete document the way yaml.v3 does after parsing it.
fn finish_document(doc: &mut YamlDoc) -> Result<(), YamlError> {
    if let Some(span) = excessive_aliasing(doc) {
        return Err(YamlError {
            message: "document contains excessive aliasing (yaml.v3's guard against alias bombs)"
                .into(),
            span,
        });
    }
    Ok(())
}

/// saphyr ends a quoted scalar's span after the whitespace and comment that follow it: end it
/// at the closing quote instead.
fn quoted_span(text: &str, span: Span) -> Span {
    let bytes = text.as_bytes();
    let Some(&quote) = bytes.get(span.start) else {
        return span;
    };
    if quote != b'"' && quote != b'\'' {
        return span;
    }
    let mut i = span.start + 1;
    while i < span.end.min(bytes.len()) {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Span::new(span.start, i + 1),
            _ => i += 1,
        }
    }
    span
}

/// Block collections end where the next token starts; trim trailing blank lines and comments.
fn last_content_end(text: &str, start: usize, end: usize) -> usize {
    let slice = &text[start..end.min(text.len())];
    let trimmed = slice.trim_end();
    start + trimmed.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(doc: &YamlDoc, id: NodeId) -> &Scalar {
        match &doc.resolve(id).kind {
            NodeKind::Scalar(s) => s,
            other => panic!("not a scalar: {other:?}"),
        }
    }

    #[test]
    fn spans_are_bytes() {
        let text = "# ünï\ngh-user: 'bob'\nport: 4141\n";
        let doc = parse(text).unwrap();
        let NodeKind::Map(pairs) = &doc.node(doc.root.unwrap()).kind else {
            panic!()
        };
        let (k, v) = pairs[0];
        assert_eq!(
            &text[doc.node(k).span.start..doc.node(k).span.end],
            "gh-user"
        );
        assert_eq!(&text[doc.node(v).span.start..doc.node(v).span.end], "'bob'");
        assert_eq!(scalar(&doc, v).style, Style::SingleQuoted);
    }

    #[test]
    fn quoted_spans_end_at_the_quote() {
        let text = "a: \"x \\\" # y\" # c\nb: 'it''s' # d\n";
        let doc = parse(text).unwrap();
        let NodeKind::Map(pairs) = &doc.node(doc.root.unwrap()).kind else {
            panic!()
        };
        let v = |i: usize| {
            let s = doc.node(pairs[i].1).span;
            &text[s.start..s.end]
        };
        assert_eq!(v(0), "\"x \\\" # y\"");
        assert_eq!(v(1), "'it''s'");
    }

    #[test]
    fn alias_bomb_is_not_expanded() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='j' {
            text.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = c;
        }
        // Nothing is expanded, yet the file is refused as yaml.v3 refuses it.
        let err = parse(&text).unwrap_err();
        assert!(
            err.message.contains("excessive aliasing"),
            "{}",
            err.message
        );
        assert_eq!(&text[err.span.start..err.span.end], "*a");
    }

    #[test]
    fn modest_aliasing_is_fine() {
        let mut text = String::from("a: &a [x, x, x]\n");
        for i in 0..50 {
            text.push_str(&format!("k{i}: *a\n"));
        }
        assert!(parse(&text).is_ok());
    }

    #[test]
    fn depth_is_bounded() {
        let text = "[".repeat(100_000);
        let err = parse(&text).unwrap_err();
        assert!(
            err.message.contains("deeper") || err.message.contains("recursion"),
            "{}",
            err.message
        );
    }

    #[test]
    fn tab_after_colon_is_a_space() {
        let text = "gh-user:\tbob\n{a:\tb}: 1\n";
        let doc = parse(text).unwrap();
        let NodeKind::Map(pairs) = &doc.node(doc.root.unwrap()).kind else {
            panic!()
        };
        let v = doc.node(pairs[0].1);
        assert_eq!(&text[v.span.start..v.span.end], "bob");
        assert_eq!(scalar(&doc, pairs[0].1).value, "bob");
        // Tabs as indentation stay an error, as in yaml.v3.
        assert!(parse("a:\n\tb: 1\n").is_err());
    }

    #[test]
    fn every_document_of_a_stream() {
        let text = "a: &x 1\n---\nb: 2\n---\n# only a comment\n";
        let docs = parse_stream(text).unwrap();
        assert_eq!(docs.len(), 3);
        let NodeKind::Map(pairs) = &docs[1].node(docs[1].root.unwrap()).kind else {
            panic!()
        };
        let k = docs[1].node(pairs[0].0).span;
        assert_eq!(&text[k.start..k.end], "b");
        // An explicit empty document holds a null (or nothing).
        assert!(docs[2].root.is_none_or(
            |r| matches!(&docs[2].node(r).kind, NodeKind::Scalar(s) if s.value.is_empty())
        ));
        // Anchors stay in their document; an error in a later document fails the stream.
        assert!(parse_stream("a: &x 1\n---\nb: *x\n").is_err());
        assert!(parse_stream("a: 1\n---\nb: [\n").is_err());
        assert_eq!(parse_stream("").unwrap().len(), 1);
    }

    #[test]
    fn only_first_document() {
        let doc = parse("a: 1\n---\nb: 2\n").unwrap();
        assert!(doc.extra_document.is_some());
    }
}

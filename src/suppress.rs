//! Suppression comments in the config file, applied after every rule has run.
//!
//! `# atlantis-lint: ignore[rule-id, ...] reason` at the end of a line silences those rules on
//! that line; on a line of its own it silences them on the next line that is not itself a
//! comment. `# atlantis-lint: ignore-file[rule-id, ...] reason` silences them anywhere in the
//! file. Only findings located in the config file can be silenced this way (findings about
//! env vars, the command line or the configuration as a whole need `--ignore`), and rules with
//! `suppressible: false` never are. A suppression without a reason still applies, and is itself
//! reported (`suppression-without-reason`); a rule id that silences nothing is reported as
//! `unused-suppression`, as are unknown and unsuppressible ids and malformed directives.
//!
//! Comments are found in the file's text: a `#` at the start of a line or after whitespace,
//! outside every scalar of the YAML tree (so a `#` inside a quoted or block scalar is never one).

use crate::config::{EffectiveConfig, Location, Spelling};
use crate::finding::{Finding, RuleInfo};
use crate::flags::edit_distance;
use crate::input::yaml::{NodeKind, YamlDoc};
use crate::rules::{self, suppression};
use crate::source::{SourceId, SourceText, Sources, Span};

const MARKER: &str = "atlantis-lint:";

/// One rule id named in a suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedRule {
    pub id: String,
    pub span: Span,
}

/// What a comment starting with `atlantis-lint:` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directive {
    Ignore {
        file_wide: bool,
        rules: Vec<NamedRule>,
        reason: Option<String>,
    },
    /// Starts with the marker but is not a suppression this linter understands.
    Malformed,
}

/// A directive with its place in the file.
#[derive(Debug, Clone)]
pub struct Comment {
    /// From the `#` to the end of the line.
    pub span: Span,
    pub directive: Directive,
    /// The 1-based line an inline suppression applies to.
    pub target_line: usize,
}

/// Spans of the YAML comments in `text`, each from its `#` to the end of its line.
///
/// With a parsed document, a `#` inside any scalar's span is skipped; without one (a file that
/// did not parse), quotes are tracked within each line instead.
pub fn comment_spans(text: &str, doc: Option<&YamlDoc>) -> Vec<Span> {
    let mut scalars: Vec<Span> = doc
        .map(|d| {
            d.nodes
                .iter()
                .filter(|n| matches!(n.kind, NodeKind::Scalar(_)))
                .map(|n| n.span)
                .collect()
        })
        .unwrap_or_default();
    scalars.sort();
    let in_scalar = |at: usize| {
        // Spans do not nest, so the last one starting at or before `at` is the only candidate.
        let i = scalars.partition_point(|s| s.start <= at);
        i > 0 && at < scalars[i - 1].end
    };
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut line_start = 0;
    while line_start <= text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let mut quote: Option<u8> = None;
        for i in line_start..line_end {
            let b = bytes[i];
            if doc.is_none() {
                match (quote, b) {
                    (None, b'"' | b'\'')
                        if i == line_start || !bytes[i - 1].is_ascii_alphanumeric() =>
                    {
                        quote = Some(b);
                        continue;
                    }
                    (Some(q), _) if b == q => {
                        quote = None;
                        continue;
                    }
                    (Some(_), _) => continue,
                    _ => {}
                }
            }
            if b == b'#'
                && (i == line_start || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t')
                && !in_scalar(i)
            {
                let end = if line_end > i && bytes[line_end - 1] == b'\r' {
                    line_end - 1
                } else {
                    line_end
                };
                out.push(Span::new(i, end));
                break;
            }
        }
        line_start = line_end + 1;
    }
    out
}

/// Reads the directive in a comment (`span` starts at its `#`), if it has one.
pub fn parse_directive(text: &str, span: Span) -> Option<Directive> {
    let body = &text[span.start + 1..span.end];
    let lead = body.len() - body.trim_start().len();
    let rest = body.trim_start().strip_prefix(MARKER)?;
    let mut offset = span.start + 1 + lead + MARKER.len();
    let trimmed = rest.trim_start();
    offset += rest.len() - trimmed.len();
    let (file_wide, after) = if let Some(a) = trimmed.strip_prefix("ignore-file[") {
        (true, a)
    } else if let Some(a) = trimmed.strip_prefix("ignore[") {
        (false, a)
    } else {
        return Some(Directive::Malformed);
    };
    offset += trimmed.len() - after.len();
    let Some(close) = after.find(']') else {
        return Some(Directive::Malformed);
    };
    let mut rules = Vec::new();
    let mut at = offset;
    for part in after[..close].split(',') {
        let id = part.trim();
        let start = at + (part.len() - part.trim_start().len());
        if !id.is_empty() {
            rules.push(NamedRule {
                id: id.to_string(),
                span: Span::new(start, start + id.len()),
            });
        }
        at += part.len() + 1;
    }
    if rules.is_empty() {
        return Some(Directive::Malformed);
    }
    let reason = after[close + 1..].trim();
    Some(Directive::Ignore {
        file_wide,
        rules,
        reason: (!reason.is_empty()).then(|| reason.to_string()),
    })
}

/// Every `atlantis-lint:` comment of a source, with the line each applies to.
pub fn directives(source: &SourceText, doc: Option<&YamlDoc>) -> Vec<Comment> {
    let text = &source.text;
    let spans = comment_spans(text, doc);
    let comment_only_lines: Vec<usize> = spans
        .iter()
        .filter(|s| {
            let line_start = text[..s.start].rfind('\n').map_or(0, |i| i + 1);
            text[line_start..s.start].trim().is_empty()
        })
        .map(|s| source.line_col(s.start).0)
        .collect();
    let mut out = Vec::new();
    for span in spans {
        let Some(directive) = parse_directive(text, span) else {
            continue;
        };
        let line = source.line_col(span.start).0;
        let own_line = comment_only_lines.contains(&line);
        let mut target_line = line;
        if own_line {
            target_line += 1;
            while comment_only_lines.contains(&target_line) {
                target_line += 1;
            }
        }
        out.push(Comment {
            span,
            directive,
            target_line,
        });
    }
    out
}

/// The rule ids close to `id`, for "did you mean".
fn suggest_rule(id: &str) -> Option<&'static str> {
    let limit = if id.len() <= 6 { 1 } else { 3 };
    rules::infos()
        .map(|r| (edit_distance(id, r.id, limit), r.id))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, id)| id)
}

/// Rules whose findings come from this stage: they cannot be silenced by a comment.
fn is_stage_rule(id: &str) -> bool {
    id == suppression::WITHOUT_REASON.id || id == suppression::UNUSED.id
}

/// Drops the findings that suppression comments in the config file silence, and adds the
/// findings about the comments themselves.
pub fn apply(cfg: &EffectiveConfig, findings: Vec<Finding>) -> Vec<Finding> {
    // The user's file: a server config, or a manifest (whose embedded config, if any, is in
    // the same source).
    let (source_id, doc): (SourceId, _) = match (&cfg.file, cfg.primary) {
        (Some(file), _) => (file.source, file.doc.as_ref()),
        (None, Some(id)) => (id, None),
        (None, None) => return findings,
    };
    apply_in(&cfg.sources, source_id, doc, cfg.complete(), findings)
}

/// [`apply`] for a repo-config or repo-level document: the comments of its own file.
pub fn apply_document(
    sources: &Sources,
    doc: &crate::repo_config::Document,
    findings: Vec<Finding>,
) -> Vec<Finding> {
    apply_in(
        sources,
        doc.source,
        doc.yaml.as_ref(),
        doc.complete(),
        findings,
    )
}

fn apply_in(
    sources: &Sources,
    source_id: SourceId,
    doc: Option<&YamlDoc>,
    complete: bool,
    findings: Vec<Finding>,
) -> Vec<Finding> {
    let source = sources.get(source_id);
    let comments = directives(source, doc);
    if comments.is_empty() {
        return findings;
    }
    // used[c][r]: rule r of comment c silenced at least one finding.
    let mut used: Vec<Vec<bool>> = comments
        .iter()
        .map(|c| match &c.directive {
            Directive::Ignore { rules, .. } => vec![false; rules.len()],
            Directive::Malformed => Vec::new(),
        })
        .collect();
    let mut kept = Vec::with_capacity(findings.len());
    for f in findings {
        let line = match &f.location {
            Location::Source { source, span, .. }
                if *source == source_id && f.rule.suppressible =>
            {
                Some(sources.get(*source).line_col(span.start).0)
            }
            _ => None,
        };
        let mut silenced = false;
        if let Some(line) = line {
            for (ci, c) in comments.iter().enumerate() {
                let Directive::Ignore {
                    file_wide, rules, ..
                } = &c.directive
                else {
                    continue;
                };
                if !file_wide && c.target_line != line {
                    continue;
                }
                for (ri, r) in rules.iter().enumerate() {
                    if r.id == f.rule.id {
                        used[ci][ri] = true;
                        silenced = true;
                    }
                }
            }
        }
        if !silenced {
            kept.push(f);
        }
    }
    // A file that did not parse ran few rules: every suppression would look unused.
    if !complete {
        return kept;
    }
    let at = |span: Span| Location::Source {
        source: source_id,
        spelling: Spelling::ConfigKey,
        span,
    };
    for (ci, c) in comments.iter().enumerate() {
        let Directive::Ignore {
            file_wide,
            rules,
            reason,
        } = &c.directive
        else {
            kept.push(
                Finding::new(
                    &suppression::UNUSED,
                    at(c.span),
                    "this `atlantis-lint:` comment is not a suppression atlantis-lint understands, so it silences nothing",
                )
                .label("not understood")
                .help("write `# atlantis-lint: ignore[rule-id] reason` (this line or the next) or `# atlantis-lint: ignore-file[rule-id] reason` (the whole file)"),
            );
            continue;
        };
        let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        if reason.is_none() {
            let kind = if *file_wide { "ignore-file" } else { "ignore" };
            kept.push(
                Finding::new(
                    &suppression::WITHOUT_REASON,
                    at(c.span),
                    format!("suppression of `{}` has no reason", ids.join("`, `")),
                )
                .label("no reason after `]`")
                .help(format!(
                    "say why after the closing bracket: `# atlantis-lint: {kind}[{}] <reason>`",
                    ids.join(", ")
                )),
            );
        }
        for (ri, r) in rules.iter().enumerate() {
            // Online findings depend on the network and on `--online`: a suppression of one
            // that silenced nothing this run is not stale.
            let online = crate::online::infos().any(|o| o.id == r.id);
            if used[ci][ri] || online {
                continue;
            }
            kept.push(unused_finding(r, *file_wide, at(r.span)));
        }
    }
    kept
}

fn unused_finding(r: &NamedRule, file_wide: bool, location: Location) -> Finding {
    let id = r.id.as_str();
    match rules::find(id) {
        None => {
            let f = Finding::new(
                &suppression::UNUSED,
                location,
                format!(
                    "`{id}` is not an atlantis-lint rule, so this suppression silences nothing"
                ),
            )
            .label("unknown rule");
            match suggest_rule(id) {
                Some(s) => f.help(format!("did you mean `{s}`?")).suggestion(s),
                None => f.help("`atlantis-lint rules` lists the rule ids"),
            }
        }
        Some(info) if !info.suppressible => not_suppressible(info, location),
        Some(info) if is_stage_rule(info.id) => Finding::new(
            &suppression::UNUSED,
            location,
            format!("`{id}` cannot be silenced by a suppression comment"),
        )
        .label("cannot be suppressed here")
        .help(format!(
            "remove it from the comment; use `--ignore {id}` on the command line"
        )),
        Some(_) => {
            let (message, help) = if file_wide {
                (
                    format!(
                        "suppression of `{id}` silences nothing: the rule reports nothing in this file"
                    ),
                    format!("remove `{id}` from the ignore-file comment"),
                )
            } else {
                (
                    format!(
                        "suppression of `{id}` silences nothing: the rule reports nothing on the line it applies to"
                    ),
                    format!(
                        "remove `{id}` from the comment, or move the comment to the end of the reported line (or the line above it)"
                    ),
                )
            };
            Finding::new(&suppression::UNUSED, location, message)
                .label("silences nothing")
                .help(help)
        }
    }
}

fn not_suppressible(info: &'static RuleInfo, location: Location) -> Finding {
    Finding::new(
        &suppression::UNUSED,
        location,
        format!(
            "`{}` cannot be suppressed: its findings are never intended, so this suppression silences nothing",
            info.id
        ),
    )
    .label("not suppressible")
    .help("fix the configuration instead, and remove the suppression")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::yaml;

    fn comments_of(text: &str) -> Vec<&str> {
        let doc = yaml::parse(text).ok();
        comment_spans(text, doc.as_ref())
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn finds_only_real_comments() {
        let text = "# top\na: x # end\nb: \"q # not\" # yes\nc: x#no\nd: |\n  # in block\n  z\ne: 'p # q'\n";
        assert_eq!(comments_of(text), vec!["# top", "# end", "# yes"]);
    }

    #[test]
    fn multi_line_quoted_scalars_hide_hashes() {
        let text = "a: \"one\n  # two\"\nb: 1 # three\n";
        assert_eq!(comments_of(text), vec!["# three"]);
    }

    #[test]
    fn block_scalar_header_comment() {
        let text = "a: | # header\n  body\n";
        assert_eq!(comments_of(text), vec!["# header"]);
    }

    #[test]
    fn falls_back_to_quote_tracking_without_a_tree() {
        let text = "a: \"x # y\" # z\nb: [\n";
        assert_eq!(
            comment_spans(text, None)
                .into_iter()
                .map(|s| &text[s.start..s.end])
                .collect::<Vec<_>>(),
            vec!["# z"]
        );
    }

    #[test]
    fn parses_directives() {
        let text = "# atlantis-lint: ignore[a-rule, b-rule] because";
        let d = parse_directive(text, Span::new(0, text.len())).unwrap();
        let Directive::Ignore {
            file_wide,
            rules,
            reason,
        } = d
        else {
            panic!()
        };
        assert!(!file_wide);
        assert_eq!(reason.as_deref(), Some("because"));
        assert_eq!(rules.len(), 2);
        assert_eq!(&text[rules[1].span.start..rules[1].span.end], "b-rule");
        assert_eq!(&text[rules[0].span.start..rules[0].span.end], "a-rule");

        let text = "#atlantis-lint: ignore-file[x]";
        assert!(matches!(
            parse_directive(text, Span::new(0, text.len())),
            Some(Directive::Ignore {
                file_wide: true,
                reason: None,
                ..
            })
        ));
        let text = "# atlantis-lint: ignore(x) y";
        assert_eq!(
            parse_directive(text, Span::new(0, text.len())),
            Some(Directive::Malformed)
        );
        let text = "# atlantis-lint: ignore[] y";
        assert_eq!(
            parse_directive(text, Span::new(0, text.len())),
            Some(Directive::Malformed)
        );
        let text = "# an ordinary comment";
        assert_eq!(parse_directive(text, Span::new(0, text.len())), None);
    }

    #[test]
    fn target_lines() {
        let text =
            "a: 1 # atlantis-lint: ignore[x] r\n# atlantis-lint: ignore[y] r\n# other\nb: 2\n";
        let source = SourceText::new(crate::source::SourceKind::File, "a.yaml", text.into());
        let doc = yaml::parse(text).ok();
        let d = directives(&source, doc.as_ref());
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].target_line, 1);
        assert_eq!(d[1].target_line, 4);
    }
}

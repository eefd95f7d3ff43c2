//! Reads an Atlantis server config file the way viper and yaml.v3 read it.
//!
//! Keys are flag names, matched case-insensitively; unknown, snake_case and nested keys are kept
//! (as unknown) so that rules can report them; a merge key (`<<`) contributes the entries its
//! aliased mapping holds; every value keeps its span, and secret values are masked in the source.

use crate::config::{
    Channel, DuplicateKey, FileInput, KeyMatch, Origin, RawValue, Setting, Spelling, match_flag,
};
use crate::flags;
use crate::input::mask;
use crate::input::yaml::{self, NodeId, NodeKind, YamlDoc};
use crate::secret::{Text, name_suggests_secret, value_looks_secret};
use crate::source::{SourceId, SourceText, Span};
use crate::value::{Resolved, resolve};
use std::collections::{HashMap, HashSet};

/// Parses `source` and returns what it holds.
pub fn read(source_id: SourceId, source: &mut SourceText) -> (FileInput, Vec<Setting>) {
    let all = Span::new(0, source.text.len());
    read_region(source_id, source, all)
}

/// Reads the server config that `region` of `source` holds: a config file embedded in another
/// file, such as the `|` block of a ConfigMap key (its uniform indentation is valid YAML). Every
/// position stays a position in `source`.
pub fn read_region(
    source_id: SourceId,
    source: &mut SourceText,
    region: Span,
) -> (FileInput, Vec<Setting>) {
    let mut input = FileInput {
        source: source_id,
        path: source.name.clone(),
        doc: None,
        syntax_error: None,
        root_not_mapping: None,
        duplicates: Vec::new(),
        refused_by: None,
    };
    let at = region.start;
    let shifted = |spans: Vec<Span>| {
        spans
            .into_iter()
            .map(move |s| Span::new(s.start + at, s.end + at))
    };
    let slice = source.text[region.start..region.end].to_string();
    let doc = match yaml::parse(&slice) {
        Ok(mut doc) => {
            doc.shift(at);
            doc
        }
        Err(mut e) => {
            e.span = Span::new(e.span.start + at, e.span.end + at);
            input.syntax_error = Some(e);
            // The structure is unknown: mask every line shaped like a secret assignment.
            for span in shifted(mask::line_spans(&slice, true)) {
                source.add_secret(span);
            }
            return (input, Vec::new());
        }
    };
    // Commented-out credentials (`# gh-token: ...`) are never shown either.
    for span in shifted(mask::line_spans(&slice, false)) {
        source.add_secret(span);
    }
    let mut settings = Vec::new();
    if let Some(root) = doc.root {
        let node = doc.resolve(root);
        match &node.kind {
            NodeKind::Map(pairs) => {
                read_mapping(
                    &doc,
                    pairs,
                    source_id,
                    source,
                    &mut input,
                    &mut settings,
                    false,
                    0,
                    &mut HashSet::new(),
                    &mut HashSet::new(),
                );
            }
            NodeKind::Scalar(s) if resolve(s, false) == Resolved::Null => {}
            NodeKind::Scalar(_) => input.root_not_mapping = Some((node.span, "a string")),
            NodeKind::Seq(_) => input.root_not_mapping = Some((node.span, "a list")),
            NodeKind::Alias(_) => {}
        }
        if input.root_not_mapping.is_some() {
            // `- gh-token: ...`: no setting is read, so mask by line shape and by key name.
            for span in shifted(mask::line_spans(&slice, true)) {
                source.add_secret(span);
            }
            mask(&doc, root, false, true, source, 0, &mut HashSet::new());
        }
    }
    if let Some(extra) = doc.extra_document {
        // Documents after the first are never parsed, but their `---` line may be shown.
        for span in mask::line_spans(&source.text[extra.start..region.end], true) {
            source.add_secret(Span::new(extra.start + span.start, extra.start + span.end));
        }
    }
    input.doc = Some(doc);
    (input, settings)
}

#[allow(clippy::too_many_arguments)]
fn read_mapping(
    doc: &YamlDoc,
    pairs: &[(NodeId, NodeId)],
    source_id: SourceId,
    source: &mut SourceText,
    input: &mut FileInput,
    settings: &mut Vec<Setting>,
    merged: bool,
    depth: usize,
    merged_seen: &mut HashSet<NodeId>,
    secret_nodes: &mut HashSet<NodeId>,
) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut merges = Vec::new();
    for &(k, v) in pairs {
        let key_node = doc.node(k);
        let key = match &doc.resolve(k).kind {
            NodeKind::Scalar(s) => s.value.clone(),
            _ => String::from("<complex key>"),
        };
        if key == "<<"
            && matches!(&doc.node(k).kind, NodeKind::Scalar(s) if s.style == yaml::Style::Plain)
        {
            merges.push(v);
            continue;
        }
        // `gh-token=S: 1`: a value glued to a secret name is never shown (the setting's key is
        // replaced once every reader is done, see `input::hide_glued_secrets`).
        if let Some(span) = mask::glued_secret_span(&source.text, key_node.span, &key) {
            source.add_secret(span);
        }
        let matched = match_flag(flags::lookup_key(&key));
        let value_node = doc.node(v);
        let unknown = matches!(matched, KeyMatch::Unknown);
        let mut secret = match matched {
            KeyMatch::Flag(f) | KeyMatch::Removed(f) => f.is_secret_value(),
            KeyMatch::Unknown => {
                let looks = matches!(&doc.resolve(v).kind, NodeKind::Scalar(s) if value_looks_secret(&s.value));
                // `write_git_creds`: another spelling of a flag is as secret as that flag.
                match flags::lookup_key(&flags::normalise(&key)) {
                    Some(f) => f.is_secret_value() || looks,
                    // `gh-webhook-secret-file`: a name for a file holds a path, not the secret.
                    None if names_a_path(&key) => looks,
                    None => {
                        name_suggests_secret(&key)
                            || crate::input::mask::near_secret_flag(&key)
                            || looks
                    }
                }
            }
        };
        // An alias of a secret (`vcs-status-name: *token`) is as secret as its anchor.
        if let NodeKind::Alias(target) = value_node.kind {
            secret |= secret_nodes.contains(&target);
        }
        // A quoted or plain value over several lines that swallowed a secret assignment
        // (`vcs-status-name: "x` + a `gh-token: ...` line + `"`).
        if !secret && matches!(value_node.kind, NodeKind::Scalar(_)) {
            let span = value_node.span;
            if let Some(body) = source
                .text
                .get(span.start..span.end)
                .filter(|b| b.contains('\n'))
            {
                let inner = mask::line_spans(body, true);
                secret = !inner.is_empty();
                for s in inner {
                    source.add_secret(Span::new(span.start + s.start, span.start + s.end));
                }
            }
        }
        let origin = Origin {
            source: source_id,
            channel: Channel::File,
            spelling: Spelling::ConfigKey,
            key_span: key_node.span,
            value_span: if value_node.span.is_empty() {
                key_node.span
            } else {
                value_node.span
            },
        };
        let value = raw_value(doc, v, secret);
        // Under an unknown key (which Atlantis ignores), anything shaped like a credential is
        // masked too, whatever its own key.
        mask(
            doc,
            v,
            secret || key.eq_ignore_ascii_case("webhooks"),
            unknown,
            source,
            depth,
            secret_nodes,
        );

        let folded = key.to_ascii_lowercase();
        if !merged {
            if let Some(&first) = seen.get(&folded) {
                let first: &Setting = &settings[first];
                input.duplicates.push(DuplicateKey {
                    key: mask::shown_key(&key).into_owned(),
                    first: first.origin.clone(),
                    second: origin.clone(),
                    exact: first.key == key,
                });
            }
            seen.insert(folded, settings.len());
        }
        settings.push(Setting {
            matched,
            key,
            value,
            origin,
            merged,
        });
    }
    // `<<: *base` or `<<: [*a, *b]`: the aliased mappings' entries, below the explicit ones.
    for v in merges {
        let targets: Vec<NodeId> = match &doc.resolve(v).kind {
            NodeKind::Seq(items) => items.clone(),
            _ => vec![v],
        };
        for t in targets {
            let target = match doc.node(t).kind {
                NodeKind::Alias(target) => target,
                _ => t,
            };
            // Every merged entry lands in the same flat list, so merging one mapping twice adds
            // nothing: skipping repeats keeps a "merge bomb" (`<<: [*a, *a, ...]`, nested) linear.
            if !merged_seen.insert(target) {
                continue;
            }
            if let NodeKind::Map(inner) = &doc.resolve(t).kind {
                if depth < 8 {
                    read_mapping(
                        doc,
                        inner,
                        source_id,
                        source,
                        input,
                        settings,
                        true,
                        depth + 1,
                        merged_seen,
                        secret_nodes,
                    );
                }
            }
        }
    }
}

fn raw_value(doc: &YamlDoc, id: NodeId, secret: bool) -> RawValue {
    match &doc.resolve(id).kind {
        NodeKind::Scalar(s) => {
            let resolved = resolve(s, secret);
            if resolved == Resolved::Null {
                RawValue::Null
            } else {
                RawValue::Scalar {
                    resolved,
                    text: Text::new(s.value.clone(), secret),
                    style: s.style,
                }
            }
        }
        NodeKind::Seq(_) => RawValue::Collection {
            node: id,
            is_map: false,
        },
        NodeKind::Map(_) => RawValue::Collection {
            node: id,
            is_map: true,
        },
        NodeKind::Alias(_) => RawValue::Null,
    }
}

/// Registers the spans of secret scalars below `id` (all of them when `secret`; with `loose`,
/// also those that look like a credential), and the ids of the secret nodes (for the aliases
/// that point at them).
fn mask(
    doc: &YamlDoc,
    id: NodeId,
    secret: bool,
    loose: bool,
    source: &mut SourceText,
    depth: usize,
    secret_nodes: &mut HashSet<NodeId>,
) {
    if depth > yaml::MAX_DEPTH {
        return;
    }
    let node = doc.node(id);
    let secret = secret
        || (loose && matches!(&node.kind, NodeKind::Scalar(s) if value_looks_secret(&s.value)));
    if secret {
        secret_nodes.insert(id);
    }
    match &node.kind {
        NodeKind::Scalar(_) if secret => source.add_secret(scalar_content(&source.text, node.span)),
        NodeKind::Scalar(_) | NodeKind::Alias(_) => {}
        NodeKind::Seq(items) => {
            for &i in items {
                mask(doc, i, secret, loose, source, depth + 1, secret_nodes);
            }
        }
        NodeKind::Map(pairs) => {
            for &(k, v) in pairs {
                if let NodeKind::Scalar(key) = &doc.node(k).kind {
                    let span = doc.node(k).span;
                    if let Some(glued) = mask::glued_secret_span(&source.text, span, &key.value) {
                        source.add_secret(glued);
                    }
                }
                let inner_secret = secret
                    || match &doc.node(k).kind {
                        NodeKind::Scalar(s) => {
                            name_suggests_secret(&s.value) || s.value.eq_ignore_ascii_case("url")
                        }
                        _ => false,
                    };
                mask(doc, v, inner_secret, loose, source, depth + 1, secret_nodes);
            }
        }
    }
}

/// The span of a scalar without its quotes, so that masked snippets still show the quoting.
fn scalar_content(text: &str, span: Span) -> Span {
    let s = &text[span.start..span.end];
    if s.len() >= 2
        && ((s.starts_with('"') && s.ends_with('"')) || (s.starts_with('\'') && s.ends_with('\'')))
    {
        Span::new(span.start + 1, span.end - 1)
    } else {
        span
    }
}

/// True for a key that names a file or directory (`...-file`, `..._path`, `...Dir`): its value is
/// a path, whatever the rest of the name says.
fn names_a_path(key: &str) -> bool {
    let n = flags::normalise(key);
    ["-file", "-path", "-dir", "-directory"]
        .iter()
        .any(|s| n.ends_with(s))
}

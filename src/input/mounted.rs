//! Files a deployment gives Atlantis whose content the user wrote inside the deployment's own
//! file: a `repos.yaml` held in the Helm chart's `repoConfig` value or in a ConfigMap key
//! mounted where `--repo-config` points ([`MountedFile`]). The readers of those forms find
//! them; `crate::repo_config::run::embedded` lints the one Atlantis reads.
//!
//! The content stays where the user wrote it: a `|` block is the file byte for byte (its
//! uniform indentation is valid YAML), so findings point at the line and column in the user's
//! file; a quoted, plain or folded string is decoded, and findings point at the whole value.

use crate::config::{MountedFile, Written};
use crate::input::mask;
use crate::input::yaml::{self, NodeKind};
use crate::secret::name_suggests_secret;
use crate::source::{SourceId, SourceText, Span};

/// The mounted file at `path` whose content is the string `value` written at `value_span` of
/// `source` (`block`: the content lines of a `|` block scalar). Its secrets are masked in the
/// source at once.
pub fn mounted(
    path: &str,
    source_id: SourceId,
    source: &mut SourceText,
    value: &str,
    value_span: Span,
    block: Option<Span>,
) -> MountedFile {
    let written = match block {
        Some(region) => Written::Block { region },
        None => Written::Decoded {
            text: value.to_string(),
            span: value_span,
        },
    };
    match &written {
        Written::Block { region } => {
            let content = source.text.get(region.start..region.end).unwrap_or("");
            let content = content.to_string();
            mask_secrets(source, &content, *region, true);
        }
        Written::Decoded { span, .. } => mask_secrets(source, value, *span, false),
    }
    MountedFile {
        path: path.to_string(),
        source: source_id,
        written,
    }
}

/// The pieces of `content` (a repos.yaml or an atlantis.yaml) that may be a credential, as spans
/// of `content`: the rest of a line after a secret-looking name (`TF_TOKEN=...` in a command, a
/// comment), a credential in a command (`curl -u bot:PASSWORD`, `--password VALUE`), the value
/// of a key whose name says secret, and an env step's `value` when its `name` does (in a block
/// or a flow mapping).
pub fn secret_pieces(content: &str) -> Vec<Span> {
    // Comments by their shape; values by the tree (checking every `key:` line by its shape
    // would compare each key with every secret flag: slow on a 10,000-entry repos.yaml).
    let mut spans = mask::line_spans(content, false);
    let Ok(doc) = yaml::parse(content) else {
        // The structure is unknown: every line by its shape, and every env step's `value`
        // (its `name` may be on another line, or lost in the error).
        return mask::repo_config_line_spans(content);
    };
    let scalar = |id| match &doc.resolve(id).kind {
        NodeKind::Scalar(s) => Some(s),
        _ => None,
    };
    // Keys repeat (`id`, `apply_requirements` in every entry): each name is judged once.
    let mut judged: std::collections::HashMap<String, bool> = std::collections::HashMap::new();
    let mut secret_name = |n: &str| -> bool {
        if let Some(&secret) = judged.get(n) {
            return secret;
        }
        let secret = mask::name_is_secret(n) || name_suggests_secret(n);
        judged.insert(n.to_string(), secret);
        secret
    };
    let mut keys = std::collections::HashSet::new();
    for node in &doc.nodes {
        let NodeKind::Map(pairs) = &node.kind else {
            continue;
        };
        let named_secret = pairs.iter().any(|&(k, v)| {
            scalar(k).is_some_and(|k| k.value == "name")
                && scalar(v).is_some_and(|v| secret_name(v.value.as_str()))
        });
        for &(k, v) in pairs {
            keys.insert(k);
            let Some(key) = scalar(k) else { continue };
            if (secret_name(key.value.as_str()) || (named_secret && key.value == "value"))
                && scalar(v).is_some()
            {
                spans.push(unquoted(content, doc.resolve(v).span));
            }
        }
    }
    // `NAME=value` / `NAME: value` inside a value (`run: TF_TOKEN=... terraform plan`).
    for (id, node) in doc.nodes.iter().enumerate() {
        let NodeKind::Scalar(s) = &node.kind else {
            continue;
        };
        if keys.contains(&id) || !s.value.contains(['=', ':', ' ']) {
            continue;
        }
        let mut pieces = mask::command_spans(&s.value);
        pieces.extend(mask::segment_spans(&s.value));
        if pieces.is_empty() {
            continue;
        }
        // Placed where they are written (a plain value, a line of a block scalar); a piece
        // written otherwise (escapes, folded over lines) masks the whole value.
        let raw = content.get(node.span.start..node.span.end).unwrap_or("");
        for p in pieces {
            let piece = &s.value[p.start..p.end];
            let mut found = false;
            for (at, _) in raw.match_indices(piece) {
                found = true;
                spans.push(Span::new(
                    node.span.start + at,
                    node.span.start + at + piece.len(),
                ));
            }
            if !found {
                spans.push(node.span);
            }
        }
    }
    spans.retain(|s| !s.is_empty());
    spans
}

/// A scalar's span without its quotes, so that a masked snippet still shows the quoting.
fn unquoted(content: &str, span: Span) -> Span {
    let s = content.get(span.start..span.end).unwrap_or("");
    let quoted = s.len() >= 2
        && ((s.starts_with('"') && s.ends_with('"')) || (s.starts_with('\'') && s.ends_with('\'')));
    if quoted {
        Span::new(span.start + 1, span.end - 1)
    } else {
        span
    }
}

/// The text of a mounted file, as Atlantis reads it (a block's region is that, byte for byte).
pub fn content<'a>(m: &'a MountedFile, source_text: &'a str) -> &'a str {
    match &m.written {
        Written::Block { region } => source_text.get(region.start..region.end).unwrap_or(""),
        Written::Decoded { text, .. } => text,
    }
}

/// Masks the [`secret_pieces`] of `content`: in a block (`content` is the source at `raw`, byte
/// for byte) each where it is; in a decoded string, whose pieces cannot be placed, the whole
/// value.
fn mask_secrets(source: &mut SourceText, content: &str, raw: Span, block: bool) {
    let spans = secret_pieces(content);
    if !block {
        if !spans.is_empty() {
            source.add_secret(raw);
        }
        return;
    }
    for s in spans {
        source.add_secret(Span::new(raw.start + s.start, raw.start + s.end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceKind;

    #[test]
    fn masks_env_values_commands_and_secret_keys() {
        let content = "  workflows:\n    w:\n      plan:\n        steps:\n        - env:\n            name: TF_TOKEN\n            value: s3cr3t-value-1\n        - run: GITHUB_TOKEN=s3cr3t-value-2 terraform plan\n        - env: {name: REGION, value: eu-west-1}\n";
        let text = format!("repoConfig: |\n{content}");
        let mut source = SourceText::new(SourceKind::File, "values.yaml", text.clone());
        let region = Span::new(text.find("  workflows").unwrap(), text.len());
        let m = mounted(
            "/etc/atlantis/repos.yaml",
            0,
            &mut source,
            content,
            region,
            Some(region),
        );
        assert!(matches!(m.written, Written::Block { .. }));
        let masked = source.masked();
        assert!(!masked.contains("s3cr3t"), "{masked}");
        assert!(masked.contains("eu-west-1"));
        assert!(masked.contains("name: TF_TOKEN"));
    }
}

//! What the readers of container definitions (docker-compose services, Kubernetes containers)
//! share: which image or command runs Atlantis, how a duplicate env entry's lost value is named, how the command line's words become settings, and the
//! unit of a manifest that does not parse. Each reader keeps what only its tool does
//! (compose's interpolation and `env_file`, the kubelet's `$(VAR)` and `valueFrom`).

use super::argv::{self, Word};
use super::kind::Unit;
use super::yaml::{NodeId, NodeKind, Scalar, YamlDoc, YamlError};
use crate::config::{FileInput, RawValue, Unknown};
use crate::source::{SourceId, SourceText, Span};

// ---------------------------------------------------------------------------------------------
// YAML helpers (aliases resolved)

pub(super) fn scalar(doc: &YamlDoc, id: NodeId) -> Option<&Scalar> {
    match &doc.resolve(id).kind {
        NodeKind::Scalar(s) => Some(s),
        _ => None,
    }
}

pub(super) fn text(doc: &YamlDoc, id: Option<NodeId>) -> Option<&str> {
    id.and_then(|i| scalar(doc, i)).map(|s| s.value.as_str())
}

pub(super) fn span(doc: &YamlDoc, id: NodeId) -> Span {
    doc.resolve(id).span
}

// ---------------------------------------------------------------------------------------------

/// A file that does not parse (a manifest, a values file, a server config that is not UTF-8):
/// one yaml-syntax finding, nothing else, and every line that looks secret masked (the syntax
/// error's snippet may show it). `refused_by`: what refuses it when that is not Atlantis
/// (kubectl, Compose, Helm), for the finding's help.
pub(crate) fn unparsed(
    id: SourceId,
    source: &mut SourceText,
    error: YamlError,
    refused_by: Option<&'static str>,
) -> Unit {
    for span in super::mask::line_spans(&source.text, true) {
        source.add_secret(span);
    }
    let file = FileInput {
        source: id,
        path: source.name.clone(),
        doc: None,
        syntax_error: Some(error),
        root_not_mapping: None,
        duplicates: Vec::new(),
        refused_by,
    };
    Unit {
        file: Some(file),
        ..Unit::default()
    }
}

/// The program a command word names: `/usr/local/bin/atlantis` is `atlantis`.
pub(super) fn base_name(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// An image of Atlantis: its repository's last part (without tag or digest) says so
/// (`ghcr.io/runatlantis/atlantis:v0.35.0`, `acme/atlantis-custom@sha256:...`).
pub(super) fn image_is_atlantis(image: &str) -> bool {
    let repo = image.split('@').next().unwrap_or(image);
    let last = repo.rsplit('/').next().unwrap_or(repo);
    last.split(':').next().unwrap_or(last).contains("atlantis")
}

/// An env name whose value is a secret: an Atlantis secret flag's variable, or a name that
/// says so (`DB_PASSWORD`). A variable or flag Atlantis reads is as secret as its flag,
/// whatever its name suggests (`ATLANTIS_GH_TOKEN_FILE` holds a path): the name's words judge
/// only the others (`mask::name_is_secret`).
pub(super) fn is_secret_name(name: &str) -> bool {
    super::mask::name_is_secret(name)
}

/// How a message names the value a duplicate env entry loses: the value itself when it may be
/// shown (`shown`: not secret, known) and is short.
pub(super) fn lost_value(shown: Option<&str>) -> String {
    match shown {
        Some("") => "the empty value".to_string(),
        Some(v) if v.len() <= 80 => format!("the value `{v}`"),
        // Too long to quote in a message: named, not shown.
        Some(_) | None => "the value".to_string(),
    }
}

/// Reads Atlantis's own command-line words into `unit`. `unknown` says which words (by index
/// into `words`) hold a value only the deployment knows: a flag whose value is such a word
/// gets that unknown value. The spans of secret values go to `secret_spans`.
pub(super) fn read_command_words(
    source: SourceId,
    words: &[Word],
    unknown: &[(usize, Unknown)],
    unit: &mut Unit,
    secret_spans: &mut Vec<Span>,
) {
    let (mut settings, issues, secrets) = argv::read_words(source, words);
    for s in &mut settings {
        if let Some((_, u)) = unknown
            .iter()
            .find(|(i, _)| words[*i].span == s.origin.value_span && !words[*i].span.is_empty())
        {
            s.value = RawValue::Unknown(u.clone());
        }
    }
    secret_spans.extend(secrets);
    unit.settings.extend(settings);
    unit.argv_issues.extend(issues);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atlantis_images() {
        assert!(image_is_atlantis("ghcr.io/runatlantis/atlantis:v0.35.0"));
        assert!(image_is_atlantis("runatlantis/atlantis@sha256:abc"));
        assert!(image_is_atlantis("registry:5000/acme/atlantis-custom"));
        assert!(!image_is_atlantis("redis:7"));
        // The registry's port and the digest are not the repository.
        assert!(!image_is_atlantis("atlantis.registry:5000/acme/tools"));
        assert_eq!(base_name("/usr/local/bin/atlantis"), "atlantis");
    }

    #[test]
    fn lost_values_are_named_when_they_may_be_shown() {
        assert_eq!(lost_value(Some("info")), "the value `info`");
        assert_eq!(lost_value(Some("")), "the empty value");
        assert_eq!(lost_value(None), "the value");
        assert_eq!(lost_value(Some(&"x".repeat(81))), "the value");
    }
}

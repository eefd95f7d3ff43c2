//! Input kinds: what a file is (an Atlantis server config, a Kubernetes manifest, a compose
//! file, a Helm values file...), how it is recognised, and the reader that turns it into the
//! Atlantis configurations it holds.
//!
//! Adding a kind is one module that declares a `pub static KIND: Kind` (its name for `--kind`,
//! how to recognise it, its reader) and one line in [`KINDS`]. No rule or reporter learns its
//! name: a reader yields [`Setting`]s that point into the user's file, and everything after
//! that is shared. See `docs/input-model.md`.

use crate::config::{ArgvIssue, FileInput, FormIssue, Location, OpaqueSource, Setting};
use crate::input::yaml::{self, NodeKind, YamlDoc, YamlError};
use crate::source::{SourceId, Sources};

/// One kind of input file.
pub struct Kind {
    /// The name `--kind` takes: `server-config`, `kubernetes`, `compose`.
    pub name: &'static str,
    /// What such a file is, for messages: "a Kubernetes manifest".
    pub what: &'static str,
    /// True when a file's content (or name) says it is of this kind. Kinds are tried in
    /// [`KINDS`] order; the first that says yes wins.
    pub detect: fn(&Probe) -> bool,
    /// True when a file of this kind may hold an Atlantis configuration, judged cheaply: a
    /// directory search reads only such files (a compose file whose services run no Atlantis
    /// is skipped). Only asked once `detect` said yes.
    pub holds_atlantis: fn(&Probe) -> bool,
    /// Reads the configurations a file holds. `None`: the kind is recognised (so it is never
    /// mistaken for a server config) but not read; [`Kind::unread`] says why.
    pub read: Option<ReadFn>,
    /// For a kind without a reader: what to do instead ("lint the Atlantis server config it
    /// refers to"). Shown after "atlantis-lint cannot lint <what> yet/...".
    pub unread: &'static str,
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Kind({})", self.name)
    }
}

/// A reader: the file's text is source `id` in `input.sources`; it returns one [`Unit`] per
/// Atlantis configuration the file holds, or a message saying why the file holds none
/// ("it is a Kubernetes manifest without an Atlantis container").
pub type ReadFn = fn(&mut ReadInput) -> Result<Vec<Unit>, String>;

/// What a reader works on.
pub struct ReadInput<'a> {
    /// The run's sources: the file's text is already there (register secret spans with
    /// `sources.get_mut(id).add_secret`); a reader may add more (a decoded Secret value).
    pub sources: &'a mut Sources,
    /// The file's text.
    pub id: SourceId,
    /// Set when the file was not valid UTF-8 (the text holds replacement characters).
    pub invalid_utf8: Option<YamlError>,
    /// Files layered over this one (`--values`: Helm values files, in `helm -f` order).
    pub overlays: Vec<SourceId>,
}

/// One Atlantis configuration found in a file: the settings Atlantis would end up with from
/// it (each pointing into the user's file), and what the reader learnt on the way.
#[derive(Debug, Default)]
pub struct Unit {
    /// Which part of the file, when it can hold several: `StatefulSet/atlantis/atlantis`.
    pub part: Option<String>,
    /// Where findings about the configuration as a whole point (a container's `name:`).
    pub anchor: Option<Location>,
    /// The Atlantis server config YAML read for it (the file itself, or a ConfigMap's key).
    pub file: Option<FileInput>,
    pub settings: Vec<Setting>,
    /// Problems of a command line read from the form (a manifest's `args`).
    pub argv_issues: Vec<ArgvIssue>,
    /// Facts about the form, reported by the form's rules (`k8s-...`, `compose-...`).
    pub form_issues: Vec<FormIssue>,
    /// Sources that may set any variable and that the input does not show (`envFrom`).
    pub opaque: Vec<OpaqueSource>,
    /// Values the deployment tool sets that the user did not write (a Helm chart's default),
    /// each at the nearest key the user would change: (where, the flag, a note saying so).
    pub provided: Vec<(Location, String, String)>,
    /// The image the Atlantis container runs (its tag can name the Atlantis release).
    pub image: Option<crate::config::DeployedImage>,
    /// Files the deployment provides whose content is in the file (an embedded `repos.yaml`).
    pub mounted: Vec<crate::config::MountedFile>,
    /// Files of the deployment's host mounted into the container (compose bind mounts).
    pub host_mounts: Vec<crate::config::HostMount>,
}

/// What detection looks at: the file name and text, and the YAML documents when it parses.
pub struct Probe<'a> {
    /// The file name as given (a path, or `--stdin-filename`).
    pub name: &'a str,
    pub text: &'a str,
    /// Every document, when the text parses as a YAML stream.
    pub docs: Option<Vec<YamlDoc>>,
}

impl<'a> Probe<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Probe<'a> {
        let docs = yaml::parse_stream(text).ok();
        Probe { name, text, docs }
    }

    /// The file name without its directories, lower case.
    pub fn base_name(&self) -> String {
        self.name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(self.name)
            .to_ascii_lowercase()
    }

    /// The top-level keys of each document whose root is a mapping. When the text does not
    /// parse, the unindented `key:` lines, as one document (a broken file is still recognised).
    pub fn top_keys(&self) -> Vec<Vec<String>> {
        match &self.docs {
            Some(docs) => docs
                .iter()
                .filter_map(|doc| {
                    let root = doc.root?;
                    match &doc.resolve(root).kind {
                        NodeKind::Map(pairs) => Some(
                            pairs
                                .iter()
                                .filter_map(|&(k, _)| match &doc.resolve(k).kind {
                                    NodeKind::Scalar(s) => Some(s.value.clone()),
                                    _ => None,
                                })
                                .collect(),
                        ),
                        _ => None,
                    }
                })
                .collect(),
            None => vec![
                self.text
                    .lines()
                    .filter(|l| !l.starts_with([' ', '\t', '#', '-']))
                    .filter_map(|l| {
                        l.split_once(':')
                            .map(|(k, _)| k.trim().trim_matches(['"', '\'']))
                    })
                    .map(str::to_string)
                    .collect(),
            ],
        }
    }

    /// The top-level keys of the first document.
    pub fn first_keys(&self) -> Vec<String> {
        self.top_keys().into_iter().next().unwrap_or_default()
    }
}

/// Every kind, in detection order: the first whose `detect` says yes is the file's kind. The
/// server config comes last and takes whatever no other kind claimed.
pub static KINDS: &[&Kind] = &[
    &super::terraform::KIND,
    &super::terraform::JSON_KIND,
    &super::terraform::VARS_KIND,
    &super::ecs::KIND,
    &super::kubernetes::KIND,
    &super::compose::KIND,
    &super::helm_values::KIND,
    &super::repo_config::REPO_LEVEL,
    &super::repo_config::SERVER_SIDE,
    &super::server_config::KIND,
];

/// The kind `--kind NAME` names.
pub fn find(name: &str) -> Option<&'static Kind> {
    KINDS.iter().copied().find(|k| k.name == name)
}

/// The names `--kind` accepts, for its help and errors.
pub fn names() -> Vec<&'static str> {
    KINDS.iter().map(|k| k.name).collect()
}

/// The kind of a file, from its name and content.
pub fn detect(probe: &Probe) -> &'static Kind {
    KINDS
        .iter()
        .copied()
        .find(|k| (k.detect)(probe))
        .unwrap_or(&super::server_config::KIND)
}

/// A `detect` for kinds recognised by file name only.
pub fn never(_: &Probe) -> bool {
    false
}

/// A `holds_atlantis` for kinds that always may.
pub fn always(_: &Probe) -> bool {
    true
}

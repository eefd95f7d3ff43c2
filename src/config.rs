//! The effective configuration: every setting from every source, and per flag the value Atlantis
//! would run with, remembering where it came from.
//!
//! Precedence is viper's (section 3.2 of the reference): a flag given on the command line beats
//! a non-empty env var, which beats the config file, which beats the default. After decoding,
//! Atlantis's `setDefaults` turns empty strings and zero ints into the flag defaults.

use crate::flags::{self, DefaultValue, Flag, FlagHandle, FlagKind, FlagType};
use crate::input::yaml::{NodeId, Style, YamlDoc, YamlError};
use crate::secret::Text;
use crate::source::{SourceId, Sources, Span};
use crate::value::{self, DecodeError, Resolved, Value};
use crate::version::{AtlantisVersion, Version};
use std::collections::BTreeMap;

/// The Atlantis channel a setting reaches Atlantis through. It alone decides precedence
/// (viper's order, lowest first): the flag default, the config file, the environment, the
/// command line. Within one channel the later setting wins (a repeated flag, a later env file,
/// the last of two duplicate env entries in a manifest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Channel {
    /// Not written anywhere Atlantis reads, only assumed (`--assume-set`): it counts only when
    /// no other channel sets the flag.
    Default,
    /// The `--config` YAML file (a file on disk, standard input, a ConfigMap's key).
    File,
    /// An `ATLANTIS_*` environment variable (process environment, env file, a manifest's `env`,
    /// a compose `environment`, a Terraform `environment` list...).
    Env,
    /// A command-line flag (`--gh-user`), wherever the command line is written.
    Flag,
}

/// How the source spelled the key of a setting, independently of the channel and of the form
/// (file type) it was written in. Rules use it to name the key as the user wrote it and to
/// spell a replacement the same way ([`Spelling::spell`]); reporters use it to name the place.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Spelling {
    /// A key of an Atlantis server config file (`gh-user:`), matched case-insensitively.
    ConfigKey,
    /// An environment variable name (`ATLANTIS_GH_USER`): in the process environment, an env
    /// file line, a manifest `env` entry, a compose `environment` entry...
    EnvVar { name: String },
    /// A word of an Atlantis command line (0-based index into its arguments) and the flag it
    /// names (`--gh-user`): after `--`, in a manifest's `args`, a compose `command`...
    Flag { index: usize, flag: String },
    /// A key of a deployment tool's own format that stands for a flag: a Helm values path
    /// (`github.user`), a Terraform attribute (`atlantis_github_user`).
    FormKey { path: String },
    /// A flag named by `--assume-set`: set at runtime somewhere atlantis-lint cannot see.
    Assumed { flag: String },
}

impl Spelling {
    /// How this spelling writes the flag `name`: `gh-token`, `ATLANTIS_GH_TOKEN`, `--gh-token`.
    pub fn spell(&self, name: &str) -> String {
        match self {
            Spelling::EnvVar { .. } => crate::flags::env_name(name),
            Spelling::Flag { .. } => format!("--{name}"),
            Spelling::ConfigKey | Spelling::FormKey { .. } | Spelling::Assumed { .. } => {
                name.to_string()
            }
        }
    }

    /// True for a key of an Atlantis server config file.
    pub fn is_config_key(&self) -> bool {
        matches!(self, Spelling::ConfigKey)
    }
}

/// The position of one setting: the source, its channel and spelling, and the spans of its key
/// and of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub source: SourceId,
    pub channel: Channel,
    pub spelling: Spelling,
    pub key_span: Span,
    pub value_span: Span,
}

impl Origin {
    pub fn key(&self) -> Location {
        self.at(self.key_span)
    }

    pub fn value(&self) -> Location {
        self.at(self.value_span)
    }

    /// The key and its value together.
    pub fn entry(&self) -> Location {
        self.at(self.key_span.to(self.value_span))
    }

    pub fn at(&self, span: Span) -> Location {
        Location::Source {
            source: self.source,
            spelling: self.spelling.clone(),
            span,
        }
    }
}

/// What a finding points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A span in one of the run's sources, and how the key there is spelled. Whether it is a
    /// position in a user's file, an env var or an argument is the source's kind.
    Source {
        source: SourceId,
        spelling: Spelling,
        span: Span,
    },
    /// The configuration as a whole (for example: no credentials at all). Reported at the
    /// configuration's anchor when its reader gave one (a manifest's container name).
    None,
}

impl Location {
    /// A span of a source, at a key of an Atlantis server config file.
    pub fn file(source: SourceId, span: Span) -> Location {
        Location::Source {
            source,
            spelling: Spelling::ConfigKey,
            span,
        }
    }
}

/// Why a value is set but unknown to the linter: Atlantis gets it at runtime from somewhere
/// the input does not show. Rules about the value skip it; rules about presence count it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Unknown {
    /// `valueFrom.secretKeyRef` to a Secret that is not in the input.
    SecretKey {
        name: String,
        key: String,
        optional: bool,
    },
    /// `valueFrom.configMapKeyRef` to a ConfigMap that is not in the input.
    ConfigMapKey {
        name: String,
        key: String,
        optional: bool,
    },
    /// `valueFrom.fieldRef` / `resourceFieldRef`: filled in by Kubernetes.
    Field { path: String },
    /// An interpolation the deployment tool resolves from its own environment (compose `${VAR}`).
    Interpolation { var: String },
    /// A value computed by the deployment tool (a Helm template, a Terraform expression).
    Computed { what: String },
    /// `--assume-set`: the user says it is set at runtime.
    Assumed,
}

impl Unknown {
    /// Where the value comes from, for messages: "Secret `atlantis-vcs` key `token`".
    pub fn describe(&self) -> String {
        match self {
            Unknown::SecretKey { name, key, .. } => format!("Secret `{name}` key `{key}`"),
            Unknown::ConfigMapKey { name, key, .. } => format!("ConfigMap `{name}` key `{key}`"),
            Unknown::Field { path } => format!("the pod field `{path}`"),
            Unknown::Interpolation { var } => format!("the variable `{var}` at deploy time"),
            Unknown::Computed { what } => what.clone(),
            Unknown::Assumed => "a source named by --assume-set".to_string(),
        }
    }

    /// A reference marked `optional: true`: the value may be absent at runtime.
    pub fn optional(&self) -> bool {
        matches!(
            self,
            Unknown::SecretKey { optional: true, .. }
                | Unknown::ConfigMapKey { optional: true, .. }
        )
    }
}

/// A source that may set any environment variable (whose name starts with `prefix`), and that
/// the input does not show: a manifest's `envFrom` of a Secret not in the input, say. Findings
/// that something is missing become notes while one exists.
#[derive(Debug, Clone)]
pub struct OpaqueSource {
    /// The entry that names it (labelled "may provide it").
    pub location: Location,
    /// "Secret `atlantis-env`".
    pub what: String,
    /// Only variables starting with this are in doubt (`envFrom[].prefix`, or `ATLANTIS_`).
    pub prefix: String,
}

/// A file or folder the deployment mounts into the Atlantis container from outside the user's
/// file (compose `volumes: [./repos.yaml:/etc/atlantis/repos.yaml]` or `[./config:/etc/atlantis]`,
/// a top-level `configs:` entry): Atlantis reads `host` (or the file below it) when it reads
/// `container` (or a path below it).
#[derive(Debug, Clone)]
pub struct HostMount {
    /// Where Atlantis finds it (`/etc/atlantis/repos.yaml`, `/etc/atlantis`).
    pub container: String,
    /// The file or folder on the deployment's host, resolved against the deployment file's
    /// folder; `None` when what it holds is not in the input (a named volume, an interpolated
    /// path, content that uses a variable of the deploy shell).
    pub host: Option<std::path::PathBuf>,
}

/// A file the deployment gives Atlantis at `path` whose content the user wrote inside the
/// deployment's own file: the Helm chart's `repoConfig` (mounted at `/etc/atlantis/repos.yaml`),
/// a ConfigMap key mounted where `--repo-config` points. `crate::repo_config::run::embedded`
/// lints it when Atlantis reads it (the winning `repo-config` names `path`).
#[derive(Debug, Clone)]
pub struct MountedFile {
    /// Where Atlantis finds it (`/etc/atlantis/repos.yaml`).
    pub path: String,
    /// The user's file that holds it.
    pub source: SourceId,
    pub written: Written,
}

/// How a [`MountedFile`]'s content is written.
#[derive(Debug, Clone)]
pub enum Written {
    /// A `|` block: `region` (its content lines, indentation included) is the file, byte for
    /// byte, so every position is exact.
    Block { region: Span },
    /// A quoted, plain or folded string: the content is `text` (as decoded), and positions
    /// inside it cannot be shown: findings point at `span`, the whole value.
    Decoded { text: String, span: Span },
}

/// A fact a reader found about its form (a duplicate env name in a manifest, a Secret lacking
/// a key) that the rule named `rule` reports. The rule's file declares the id and its docs.
/// Build one with [`FormIssue::new`] and the builder methods (fields may be added).
#[derive(Debug, Clone)]
pub struct FormIssue {
    pub rule: &'static str,
    pub location: Location,
    pub message: String,
    pub label: Option<String>,
    pub help: Option<String>,
    /// The Atlantis flag it is about, if any.
    pub key: Option<String>,
    pub related: Vec<(Location, String)>,
    /// A severity other than the rule's default (an error the rule usually reports as a warning).
    pub severity: Option<crate::finding::Severity>,
}

impl FormIssue {
    pub fn new(rule: &'static str, location: Location, message: impl Into<String>) -> FormIssue {
        FormIssue {
            rule,
            location,
            message: message.into(),
            label: None,
            help: None,
            key: None,
            related: Vec::new(),
            severity: None,
        }
    }

    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.label = Some(text.into());
        self
    }

    pub fn help(mut self, text: impl Into<String>) -> Self {
        self.help = Some(text.into());
        self
    }

    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn related(mut self, location: Location, text: impl Into<String>) -> Self {
        self.related.push((location, text.into()));
        self
    }

    pub fn severity(mut self, severity: crate::finding::Severity) -> Self {
        self.severity = Some(severity);
        self
    }
}

/// A value as its source delivered it, before decoding.
#[derive(Debug, Clone)]
pub enum RawValue {
    /// A YAML null (`key:` or `~`): not set.
    Null,
    /// A string from the environment, an env file or the command line.
    Text(Text),
    /// A bool flag given without a value on the command line (`--automerge`).
    BareFlag,
    /// A command-line flag whose value is missing at the end of the line.
    Missing,
    /// A YAML scalar with its resolution, text and style.
    Scalar {
        resolved: Resolved,
        text: Text,
        style: Style,
    },
    /// A YAML sequence or mapping (only `webhooks` takes one).
    Collection { node: NodeId, is_map: bool },
    /// Set, but the linter cannot see the value (see [`Unknown`]).
    Unknown(Unknown),
}

/// How a key was recognised.
#[derive(Debug, Clone, Copy)]
pub enum KeyMatch {
    /// A current flag (or the file-only `webhooks`).
    Flag(&'static Flag),
    /// A flag Atlantis removed.
    Removed(&'static Flag),
    /// Not an Atlantis flag at all.
    Unknown,
}

/// One assignment in one source.
#[derive(Debug, Clone)]
pub struct Setting {
    pub matched: KeyMatch,
    /// The key as written: `GH-User`, `ATLANTIS_GH_USER`, `--gh-user`.
    pub key: String,
    pub value: RawValue,
    pub origin: Origin,
    /// Set for settings a YAML merge key (`<<`) brought in.
    pub merged: bool,
}

impl Setting {
    pub fn flag(&self) -> Option<&'static Flag> {
        match self.matched {
            KeyMatch::Flag(f) => Some(f),
            _ => None,
        }
    }

    /// True when this setting counts as "set" for precedence: YAML null and empty env values do not.
    fn counts(&self) -> bool {
        match (&self.value, self.origin.channel) {
            (RawValue::Null, _) => false,
            (RawValue::Text(t), Channel::Env) => !t.as_str().is_empty(),
            _ => true,
        }
    }
}

/// A problem found while reading the config file, before any rule runs.
#[derive(Debug, Clone)]
pub struct FileInput {
    pub source: SourceId,
    pub path: String,
    pub doc: Option<YamlDoc>,
    pub syntax_error: Option<YamlError>,
    /// The root node when it is not a mapping.
    pub root_not_mapping: Option<(Span, &'static str)>,
    /// Keys written twice (`exact` when identical, otherwise equal up to case): (first, second).
    pub duplicates: Vec<DuplicateKey>,
    /// What refuses the file when it does not parse, when it is not Atlantis (a values file is
    /// refused by Helm): the help of a syntax error says so.
    pub refused_by: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct DuplicateKey {
    pub key: String,
    pub first: Origin,
    pub second: Origin,
    pub exact: bool,
}

/// A line of an env file that docker would read differently than intended.
#[derive(Debug, Clone)]
pub struct EnvFileIssue {
    pub source: SourceId,
    pub span: Span,
    pub line: usize,
    /// The variable the line is about.
    pub name: String,
    /// True when `docker --env-file` refuses the line (it stops before the container starts).
    pub refused: bool,
    pub message: String,
    pub help: String,
}

/// A command-line problem found while tokenising.
#[derive(Debug, Clone)]
pub enum ArgvIssue {
    /// A word that is not a flag (`false` after `--write-git-creds`); `after_bool` names the bool flag before it.
    Positional {
        index: usize,
        /// The word (secret unless it reads as a bool or a subcommand).
        word: Text,
        after_bool: Option<(usize, &'static Flag)>,
        location: Location,
    },
    /// A single-dash or otherwise malformed flag (`-gh-user`); `name` is the flag-shaped part
    /// when there is one (never a value: the word may be a secret).
    Malformed {
        index: usize,
        name: Option<String>,
        location: Location,
    },
}

/// The winning setting of one flag and its decoded value.
#[derive(Debug, Clone)]
pub struct Resolution {
    /// Index into [`EffectiveConfig::settings`].
    pub winner: usize,
    pub value: Result<Value, DecodeError>,
    /// Other settings of the same flag that lost.
    pub shadowed: Vec<usize>,
    /// The winner was a Kubernetes service link (`tcp://…`) that Atlantis resets to the default.
    pub service_link: bool,
}

/// One Atlantis server configuration as Atlantis would see it.
#[derive(Debug, Default)]
pub struct EffectiveConfig {
    pub sources: Sources,
    /// The Atlantis server config file (YAML) read as part of this configuration, if any: the
    /// file itself, or the `--config` YAML a reader found inside its form (a ConfigMap's key).
    pub file: Option<FileInput>,
    /// The user's file this configuration was read from (a server config, a manifest...).
    pub path: Option<String>,
    /// That file's source (suppression comments are read from it).
    pub primary: Option<SourceId>,
    /// Which part of that file, when it holds several configurations: a manifest's
    /// `StatefulSet/atlantis/atlantis` (kind, name, container), a compose service.
    pub part: Option<String>,
    /// Where findings about the configuration as a whole point (a manifest's container name),
    /// instead of nowhere.
    pub anchor: Option<Location>,
    pub env_file_issues: Vec<EnvFileIssue>,
    pub argv_issues: Vec<ArgvIssue>,
    /// Facts the form's reader found, reported by the form's rules.
    pub form_issues: Vec<FormIssue>,
    /// Sources that may set variables the linter cannot see (an `envFrom` Secret).
    pub opaque: Vec<OpaqueSource>,
    /// Values the deployment tool sets that the user did not write, at the key the user would
    /// change, with a note (a Helm chart's default): findings there get the note.
    pub provided: Vec<(Location, String, String)>,
    /// Every setting from every source, in reading order (file, env, env files, command line).
    pub settings: Vec<Setting>,
    resolved: BTreeMap<&'static str, Resolution>,
    /// The image of the Atlantis container, when a deployment file shows it.
    pub image: Option<DeployedImage>,
    /// Files the deployment provides whose content is in the user's file (an embedded
    /// `repos.yaml`).
    pub mounted: Vec<MountedFile>,
    /// Files of the deployment's host mounted into the container.
    pub host_mounts: Vec<HostMount>,
    /// The Atlantis release the configuration is read for: it decides which keys count.
    atlantis: AtlantisVersion,
    /// For each setting, the flag it most likely meant when Atlantis does not read it: worked
    /// out once, on first use (`rules::unknown_key::misspelling_of`, asked by several rules).
    pub meant: std::sync::OnceLock<Vec<Option<&'static str>>>,
}

/// The image the deployment runs Atlantis from (`ghcr.io/runatlantis/atlantis:v0.28.1`), and
/// where it is decided. Deployment readers set it; [`crate::version::resolve`] reads the release
/// from its tag.
#[derive(Debug, Clone)]
pub struct DeployedImage {
    pub image: ImageRef,
    /// Where it is written, or (for a tool's default) the key the user would change.
    pub location: Location,
}

/// How the deployment names the Atlantis image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRef {
    /// Written in the user's file.
    Written(String),
    /// Not written: the deployment tool's own choice (`by`), such as terraform-aws-atlantis's
    /// `ghcr.io/runatlantis/atlantis:latest` or a Helm chart's `appVersion`.
    Default { reference: String, by: String },
    /// Computed by the deployment tool (a Terraform variable): the release is unknown, never
    /// guessed.
    Computed { what: String },
}

impl DeployedImage {
    /// An image reference written in the user's file, at `location`.
    pub fn written(reference: impl Into<String>, location: Location) -> DeployedImage {
        DeployedImage {
            image: ImageRef::Written(reference.into()),
            location,
        }
    }

    /// The reference the container runs, when the linter knows it.
    pub fn reference(&self) -> Option<&str> {
        match &self.image {
            ImageRef::Written(r) | ImageRef::Default { reference: r, .. } => Some(r),
            ImageRef::Computed { .. } => None,
        }
    }
}

impl EffectiveConfig {
    /// Merges the settings read from all sources with Atlantis's precedence.
    pub fn new(
        sources: Sources,
        file: Option<FileInput>,
        settings: Vec<Setting>,
        env_file_issues: Vec<EnvFileIssue>,
        argv_issues: Vec<ArgvIssue>,
    ) -> EffectiveConfig {
        let path = file.as_ref().map(|f| f.path.clone());
        let mut cfg = EffectiveConfig {
            sources,
            file,
            path,
            env_file_issues,
            argv_issues,
            settings,
            ..EffectiveConfig::default()
        };
        cfg.resolve();
        cfg
    }

    /// Merges again after settings were added (a reader's unit, `--assume-set`).
    pub fn refresh(&mut self) {
        self.meant = std::sync::OnceLock::new();
        self.resolved.clear();
        self.resolve();
    }

    /// Reads the configuration as release `version` would: keys it does not have yet are
    /// ignored, keys it still has (even if a later release removed them) count, and defaults
    /// are that release's.
    pub fn set_atlantis_version(&mut self, atlantis: AtlantisVersion) {
        let changed = atlantis.version != self.atlantis.version;
        self.atlantis = atlantis;
        if changed {
            self.refresh();
        }
    }

    /// The Atlantis release the configuration is read for.
    pub fn version(&self) -> Version {
        self.atlantis.version
    }

    /// The release the configuration is read for, and what decided it.
    pub fn atlantis_version(&self) -> &AtlantisVersion {
        &self.atlantis
    }

    /// True when release [`Self::version`] reads this setting's key.
    pub fn in_version(&self, s: &Setting) -> bool {
        let flag = match s.matched {
            KeyMatch::Flag(f) | KeyMatch::Removed(f) => f,
            KeyMatch::Unknown => return false,
        };
        flags::history(flag).is_none_or(|h| match s.origin.channel {
            Channel::File => h.file_key_in(self.atlantis.version),
            _ => h.present_in(self.atlantis.version),
        })
    }

    fn resolve(&mut self) {
        let mut by_flag: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
        for (i, s) in self.settings.iter().enumerate() {
            if let KeyMatch::Flag(f) | KeyMatch::Removed(f) = s.matched {
                if self.in_version(s) {
                    by_flag.entry(f.name).or_default().push(i);
                }
            }
        }
        for (name, idxs) in by_flag {
            let flag = flags::lookup(name).expect("settings only hold table flags");
            // Highest tier wins; within a tier the last one (a repeated flag, a later env file,
            // the second of two case-variant keys); explicit keys beat merged ones.
            let winner = idxs
                .iter()
                .copied()
                .filter(|&i| self.settings[i].counts())
                .max_by_key(|&i| {
                    let s = &self.settings[i];
                    (s.origin.channel, !s.merged, i)
                });
            let Some(winner) = winner else { continue };
            let shadowed = idxs.iter().copied().filter(|&i| i != winner).collect();
            let setting = &self.settings[winner];
            let secret = flag.is_secret_value();
            let mut service_link = false;
            let value = match &setting.value {
                RawValue::Text(t) => {
                    let s = t.as_str();
                    if flag.service_link_reset
                        && self.atlantis.version >= flags::SERVICE_LINK_RESET_SINCE
                        && (s.starts_with("tcp://") || s.starts_with("udp://"))
                    {
                        service_link = true;
                        Ok(default_value(flag))
                    } else {
                        value::decode_text(t, flag.ty)
                    }
                }
                RawValue::BareFlag => Ok(Value::Bool(true)),
                RawValue::Missing => Err(DecodeError::Unconvertible {
                    ty: flag.ty,
                    got: "nothing",
                }),
                RawValue::Scalar { resolved, .. } => {
                    value::decode_resolved(resolved, flag.ty, secret)
                }
                RawValue::Collection { is_map, .. } => {
                    if flag.ty == FlagType::Webhooks && !is_map {
                        Ok(Value::Str(Text::Plain(String::new())))
                    } else {
                        Err(DecodeError::Unconvertible {
                            ty: flag.ty,
                            got: if *is_map {
                                "map[string]interface {}"
                            } else {
                                "[]interface {}"
                            },
                        })
                    }
                }
                RawValue::Unknown(u) => Ok(Value::Unknown(u.clone())),
                RawValue::Null => continue,
            };
            self.resolved.insert(
                name,
                Resolution {
                    winner,
                    value,
                    shadowed,
                    service_link,
                },
            );
        }
    }

    /// False when the config file could not be read as a mapping: rules about settings that are
    /// *missing* must stay quiet then, since the file may well set them.
    pub fn complete(&self) -> bool {
        self.file
            .as_ref()
            .is_none_or(|f| f.syntax_error.is_none() && f.root_not_mapping.is_none())
    }

    /// Every flag that some source sets, with its resolution, in name order.
    pub fn resolutions(&self) -> impl Iterator<Item = (&'static str, &Resolution)> {
        self.resolved.iter().map(|(k, v)| (*k, v))
    }

    pub fn resolution(&self, name: impl FlagHandle) -> Option<&Resolution> {
        self.resolved.get(name.flag_name())
    }

    /// The setting that decides a flag's value, if any source sets it.
    pub fn winner(&self, name: impl FlagHandle) -> Option<&Setting> {
        self.resolved
            .get(name.flag_name())
            .map(|r| &self.settings[r.winner])
    }

    /// Where the deciding value of a flag was written (its key), or [`Location::None`].
    pub fn location(&self, name: impl FlagHandle) -> Location {
        self.winner(name).map_or(Location::None, |s| s.origin.key())
    }

    /// Where the deciding value itself was written, or [`Location::None`].
    pub fn value_location(&self, name: impl FlagHandle) -> Location {
        self.winner(name)
            .map_or(Location::None, |s| s.origin.value())
    }

    /// The explicitly configured value (decoded), ignoring defaults.
    pub fn explicit(&self, name: impl FlagHandle) -> Option<&Value> {
        self.resolved
            .get(name.flag_name())
            .and_then(|r| r.value.as_ref().ok())
    }

    /// True when a source sets the flag to a non-empty string, a non-zero int or a bool, or to
    /// a value the linter cannot see ([`Unknown`]: it counts as set).
    pub fn is_set(&self, name: impl FlagHandle) -> bool {
        let flag = name.table_row();
        self.is_set_itself(flag) || self.aliases(flag).any(|a| self.is_set_itself(a))
    }

    /// [`is_set`](Self::is_set) for the flag's own name only, not the older names it reads as
    /// aliases (`default-tf-distribution` itself, not `tf-distribution` standing in for it).
    pub fn is_set_itself(&self, name: impl FlagHandle) -> bool {
        match self.explicit(name) {
            Some(Value::Str(t)) => !t.as_str().is_empty(),
            Some(Value::Int(i)) => *i != 0,
            Some(Value::Bool(_)) | Some(Value::Unknown(_)) => true,
            None => false,
        }
    }

    /// The older names of a flag that this release still reads as aliases (`repo-whitelist`
    /// until v0.27.0, `tf-distribution` since v0.33.0): Atlantis copies their value over when
    /// the flag itself is empty.
    fn aliases(&self, flag: &'static Flag) -> impl Iterator<Item = &'static Flag> + use<> {
        let version = self.atlantis.version;
        flags::aliases_of(flag.name).filter(move |a| flags::present_in(*a, version))
    }

    /// Why the flag's value is unknown, when it is set to a value the linter cannot see.
    pub fn unknown(&self, name: impl FlagHandle) -> Option<&Unknown> {
        match self.explicit(name) {
            Some(Value::Unknown(u)) => Some(u),
            _ => None,
        }
    }

    /// A source the input does not show that may set the flag through its env variable.
    pub fn may_set(&self, name: impl FlagHandle) -> Option<&OpaqueSource> {
        let env = name.table_row().env_name();
        self.opaque.iter().find(|o| env.starts_with(&o.prefix))
    }

    /// The string Atlantis runs with: the explicit value, else that of a deprecated flag this
    /// one replaces, else the default, then Atlantis's own normalisation (one leading `@`
    /// trimmed from user names, `trimAtSymbolFromUsers`). `None` when empty, or when the value
    /// is set but unknown ([`EffectiveConfig::unknown`]).
    ///
    /// This is the one place that knows how a flag's value becomes what Atlantis uses: rules,
    /// `--online` and `emit` all read values through it (or [`EffectiveConfig::effective`]).
    pub fn str(&self, name: impl FlagHandle) -> Option<&str> {
        let flag = name.table_row();
        let (s, _) = self.effective_text(flag)?;
        if flag.at_trimmed {
            // Trimming happens after validation: a lone `@` stays as it is.
            return Some(s.strip_prefix('@').filter(|r| !r.is_empty()).unwrap_or(s));
        }
        Some(s)
    }

    /// [`EffectiveConfig::str`] before the `@` trimming, and whether it is a secret.
    fn effective_text(&self, flag: &'static Flag) -> Option<(&str, bool)> {
        if self.unknown(flag).is_some() {
            return None;
        }
        let explicit = self
            .explicit_text(flag)
            .or_else(|| self.aliases(flag).find_map(|a| self.explicit_text(a)));
        if let Some(t) = explicit {
            return Some((t.as_str(), t.is_secret()));
        }
        match self.default_of(flag)? {
            DefaultValue::Str(s) if !s.is_empty() => Some((s, false)),
            _ => None,
        }
    }

    /// The value Atlantis runs with for one flag (see [`EffectiveConfig::str`]): a string
    /// (secretness kept), an int after `setDefaults`, a bool; `Value::Unknown` when set to a
    /// value the linter cannot see; `None` for an empty string and for `webhooks`.
    pub fn effective(&self, flag: &'static Flag) -> Option<Value> {
        if let Some(u) = self.unknown(flag) {
            return Some(Value::Unknown(u.clone()));
        }
        match flag.ty {
            FlagType::String => {
                let (_, secret) = self.effective_text(flag)?;
                let s = self.str(flag)?;
                Some(Value::Str(Text::new(s.to_string(), secret)))
            }
            FlagType::Int | FlagType::Int64 => {
                let i = self.int(flag);
                Some(Value::Int(if flag.id() == flags::CHECKOUT_DEPTH {
                    i.max(0)
                } else {
                    i
                }))
            }
            FlagType::Bool => Some(Value::Bool(self.bool(flag))),
            FlagType::Webhooks => None,
        }
    }

    /// The explicitly set, non-empty string of a flag (secret-aware).
    pub fn explicit_text(&self, name: impl FlagHandle) -> Option<&Text> {
        match self.explicit(name) {
            Some(Value::Str(t)) if !t.as_str().is_empty() => Some(t),
            _ => None,
        }
    }

    /// The int Atlantis runs with after `setDefaults`.
    pub fn int(&self, name: impl FlagHandle) -> i64 {
        let flag = name.table_row();
        let explicit = match self.explicit(flag) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        };
        // max-comments-per-command keeps an explicit 0 (it means "no truncation").
        if flag.id() == flags::MAX_COMMENTS_PER_COMMAND && explicit.is_some() {
            return explicit.unwrap_or_default();
        }
        match (explicit, self.default_of(flag)) {
            (Some(i), _) if i != 0 => i,
            (_, Some(DefaultValue::Int(d))) => d,
            _ => 0,
        }
    }

    /// The bool Atlantis runs with.
    pub fn bool(&self, name: impl FlagHandle) -> bool {
        let flag = name.table_row();
        match self.explicit(flag) {
            Some(Value::Bool(b)) => *b,
            _ => {
                self.aliases(flag).any(|a| self.bool(a))
                    || matches!(self.default_of(flag), Some(DefaultValue::Bool(true)))
            }
        }
    }

    /// The value a flag has in this configuration's release when nothing sets it.
    pub fn default_value(&self, flag: &'static Flag) -> Value {
        let default = self.default_of(flag).unwrap_or(flag.default);
        default_value(&Flag { default, ..*flag })
    }

    /// A flag's default in this configuration's release.
    pub fn default_of(&self, name: impl FlagHandle) -> Option<DefaultValue> {
        let flag = name.table_row();
        Some(match flags::history(flag) {
            Some(h) => h.default_in(self.atlantis.version, flag.default),
            None => flag.default,
        })
    }
}

/// The value a flag has when nothing sets it.
pub fn default_value(flag: &Flag) -> Value {
    match flag.default {
        DefaultValue::Bool(b) => Value::Bool(b),
        DefaultValue::Int(i) => Value::Int(i),
        DefaultValue::Str(s) => Value::Str(Text::Plain(s.to_string())),
        DefaultValue::None => match flag.ty {
            FlagType::Bool => Value::Bool(false),
            FlagType::Int | FlagType::Int64 => Value::Int(0),
            _ => Value::Str(Text::Plain(String::new())),
        },
    }
}

/// Recognises a key: current flag, removed flag, or unknown.
pub fn match_flag(flag: Option<&'static Flag>) -> KeyMatch {
    match flag {
        Some(f) if f.kind == FlagKind::Removed => KeyMatch::Removed(f),
        Some(f) => KeyMatch::Flag(f),
        None => KeyMatch::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use crate::flags;
    use crate::input::{Input, NamedBytes, Request, load};

    fn cfg(yaml: &str, assumed: &[&str]) -> super::EffectiveConfig {
        let mut request = Request::for_file(NamedBytes {
            name: "atlantis.yaml".into(),
            bytes: yaml.as_bytes().to_vec(),
        });
        if !assumed.is_empty() {
            request = request.with(Input::AssumeSet(
                assumed.iter().map(|s| s.to_string()).collect(),
            ));
        }
        load(&request)
    }

    #[test]
    fn the_effective_value_is_atlantis_s() {
        let c = cfg(
            "gh-user: '@@bot'\ngitea-user: '@'\nbitbucket-api-user: '@me'\ntf-distribution: opentofu\n",
            &[],
        );
        // One `@` trimmed from user names (not from bitbucket-api-user); a lone `@` stays.
        assert_eq!(c.str(flags::GH_USER), Some("@bot"));
        assert_eq!(c.str(flags::GITEA_USER), Some("@"));
        assert_eq!(c.str(flags::BITBUCKET_API_USER), Some("@me"));
        // The deprecated flag's value, then the default.
        assert_eq!(c.str(flags::DEFAULT_TF_DISTRIBUTION), Some("opentofu"));
        assert_eq!(c.str(flags::GH_HOSTNAME), Some("github.com"));
        let flag = crate::flags::lookup("gh-user").unwrap();
        assert!(
            matches!(c.effective(flag), Some(crate::value::Value::Str(t)) if t.as_str() == "@bot")
        );
    }

    #[test]
    fn a_value_set_at_runtime_counts_as_set_but_has_no_value() {
        let c = cfg(
            "gh-user: bot\ngh-token-file: /t\n",
            &["gh-token", "gh-user"],
        );
        assert!(c.is_set(flags::GH_TOKEN));
        assert_eq!(c.unknown(flags::GH_TOKEN), Some(&super::Unknown::Assumed));
        assert_eq!(c.str(flags::GH_TOKEN), None);
        assert!(c.explicit_text(flags::GH_TOKEN).is_none());
        // The lowest channel: a value the file gives wins over an assumed one.
        assert_eq!(c.str(flags::GH_USER), Some("bot"));
        assert!(c.unknown(flags::GH_USER).is_none());
    }
}

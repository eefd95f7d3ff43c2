//! The effective configuration: every setting from every source, and per flag the value Atlantis
//! would run with, remembering where it came from.
//!
//! Precedence is viper's (section 3.2 of the reference): a flag given on the command line beats
//! a non-empty env var, which beats the config file, which beats the default. After decoding,
//! Atlantis's `setDefaults` turns empty strings and zero ints into the flag defaults.

use crate::flags::{self, DefaultValue, Flag, FlagKind, FlagName, FlagType};
use crate::input::yaml::{NodeId, Style, YamlDoc, YamlError};
use crate::secret::Text;
use crate::source::{SourceId, Sources, Span};
use crate::value::{self, DecodeError, Resolved, Value};
use std::collections::BTreeMap;

/// Where a setting was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginKind {
    /// A config file (or standard input).
    File,
    /// A line of an env file.
    EnvFile { name: String },
    /// A variable of the process environment.
    Env { name: String },
    /// An element of the Atlantis command line (0-based index into the arguments after `--`).
    Argv { index: usize, flag: String },
}

/// The position of one setting: the source, and the spans of its key and of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub source: SourceId,
    pub kind: OriginKind,
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
            kind: self.kind.clone(),
            span,
        }
    }
}

/// What a finding points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A span in one of the run's sources.
    Source {
        source: SourceId,
        kind: OriginKind,
        span: Span,
    },
    /// The configuration as a whole (for example: no credentials at all).
    None,
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
        match (&self.value, &self.origin.kind) {
            (RawValue::Null, _) => false,
            (RawValue::Text(t), OriginKind::Env { .. } | OriginKind::EnvFile { .. }) => {
                !t.as_str().is_empty()
            }
            _ => true,
        }
    }

    fn tier(&self) -> u8 {
        match self.origin.kind {
            OriginKind::File => 0,
            OriginKind::Env { .. } => 1,
            OriginKind::EnvFile { .. } => 2,
            OriginKind::Argv { .. } => 3,
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
    pub file: Option<FileInput>,
    pub env_file_issues: Vec<EnvFileIssue>,
    pub argv_issues: Vec<ArgvIssue>,
    /// Every setting from every source, file first, then env, env files, command line.
    pub settings: Vec<Setting>,
    resolved: BTreeMap<&'static str, Resolution>,
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
        let mut cfg = EffectiveConfig {
            sources,
            file,
            env_file_issues,
            argv_issues,
            settings,
            resolved: BTreeMap::new(),
        };
        cfg.resolve();
        cfg
    }

    fn resolve(&mut self) {
        let mut by_flag: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
        for (i, s) in self.settings.iter().enumerate() {
            if let Some(f) = s.flag() {
                by_flag.entry(f.name).or_default().push(i);
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
                .max_by_key(|&i| (self.settings[i].tier(), !self.settings[i].merged, i));
            let Some(winner) = winner else { continue };
            let shadowed = idxs.iter().copied().filter(|&i| i != winner).collect();
            let setting = &self.settings[winner];
            let secret = flag.is_secret_value();
            let mut service_link = false;
            let value = match &setting.value {
                RawValue::Text(t) => {
                    let s = t.as_str();
                    if flag.service_link_reset
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

    pub fn resolution(&self, name: impl FlagName) -> Option<&Resolution> {
        self.resolved.get(name.flag_name())
    }

    /// The setting that decides a flag's value, if any source sets it.
    pub fn winner(&self, name: impl FlagName) -> Option<&Setting> {
        self.resolved
            .get(name.flag_name())
            .map(|r| &self.settings[r.winner])
    }

    /// Where the deciding value of a flag was written (its key), or [`Location::None`].
    pub fn location(&self, name: impl FlagName) -> Location {
        self.winner(name).map_or(Location::None, |s| s.origin.key())
    }

    /// Where the deciding value itself was written, or [`Location::None`].
    pub fn value_location(&self, name: impl FlagName) -> Location {
        self.winner(name)
            .map_or(Location::None, |s| s.origin.value())
    }

    /// The explicitly configured value (decoded), ignoring defaults.
    pub fn explicit(&self, name: impl FlagName) -> Option<&Value> {
        self.resolved
            .get(name.flag_name())
            .and_then(|r| r.value.as_ref().ok())
    }

    /// True when a source sets the flag to a non-empty string, a non-zero int or a bool.
    pub fn is_set(&self, name: impl FlagName) -> bool {
        match self.explicit(name) {
            Some(Value::Str(t)) => !t.as_str().is_empty(),
            Some(Value::Int(i)) => *i != 0,
            Some(Value::Bool(_)) => true,
            None => false,
        }
    }

    /// The string Atlantis runs with after `setDefaults`; `None` when it is empty.
    pub fn str(&self, name: impl FlagName) -> Option<&str> {
        let name = name.flag_name();
        if let Some(Value::Str(t)) = self.explicit(name) {
            if !t.as_str().is_empty() {
                return Some(t.as_str());
            }
        }
        if name == flags::DEFAULT_TF_DISTRIBUTION {
            if let Some(v) = self.explicit_text(flags::TF_DISTRIBUTION) {
                return Some(v.as_str());
            }
        }
        match flags::lookup(name)?.default {
            DefaultValue::Str(s) if !s.is_empty() => Some(s),
            _ => None,
        }
    }

    /// The explicitly set, non-empty string of a flag (secret-aware).
    pub fn explicit_text(&self, name: impl FlagName) -> Option<&Text> {
        match self.explicit(name) {
            Some(Value::Str(t)) if !t.as_str().is_empty() => Some(t),
            _ => None,
        }
    }

    /// The int Atlantis runs with after `setDefaults`.
    pub fn int(&self, name: impl FlagName) -> i64 {
        let name = name.flag_name();
        let explicit = match self.explicit(name) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        };
        // max-comments-per-command keeps an explicit 0 (it means "no truncation").
        if name == flags::MAX_COMMENTS_PER_COMMAND && explicit.is_some() {
            return explicit.unwrap_or_default();
        }
        match (explicit, flags::lookup(name).map(|f| f.default)) {
            (Some(i), _) if i != 0 => i,
            (_, Some(DefaultValue::Int(d))) => d,
            _ => 0,
        }
    }

    /// The bool Atlantis runs with.
    pub fn bool(&self, name: impl FlagName) -> bool {
        let name = name.flag_name();
        match self.explicit(name) {
            Some(Value::Bool(b)) => *b,
            _ => matches!(
                flags::lookup(name).map(|f| f.default),
                Some(DefaultValue::Bool(true))
            ),
        }
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

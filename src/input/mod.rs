//! Inputs: files of every kind (an Atlantis server config, a Kubernetes manifest...), the
//! process environment, env files, an Atlantis command line and `--assume-set`, read into one
//! [`EffectiveConfig`] per Atlantis configuration they describe.
//!
//! Each input is read by its reader into [`Setting`]s that carry their Atlantis channel (which
//! decides precedence), their spelling and their place in the user's text; the effective
//! configuration merges them. A file's kind ([`kind::Kind`]) names its reader. See
//! `docs/input-model.md` for how to add a kind.

pub mod argv;
pub mod compose;
mod container;
pub mod ecs;
pub mod env;
pub mod file;
pub mod helm_values;
pub mod kind;
pub mod kubernetes;
pub mod mask;
pub mod mounted;
mod regular;
pub mod repo_config;
pub mod server_config;
pub mod terraform;
pub mod yaml;

pub use regular::read_regular_file;

use crate::config::{
    Channel, EffectiveConfig, KeyMatch, Origin, RawValue, Setting, Spelling, Unknown,
};
use crate::input::kind::{Kind, Probe, ReadInput, Unit};
use crate::input::yaml::YamlError;
use crate::source::{SourceKind, SourceText, Sources, Span};

/// The largest config or env file read, in bytes (10 MiB). A real Atlantis config is a few KB;
/// anything this large is a mistake (a wrong path, a log file) and would only cost time and memory.
/// The command line refuses larger inputs with exit status 2, reading no more than this limit.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// A file's name and raw bytes. `Debug` shows the name and size only.
#[derive(Clone)]
pub struct NamedBytes {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// One input of a request.
#[derive(Clone)]
pub enum Input {
    /// A file of some kind; `kind: None` detects it from the name and content.
    File {
        file: NamedBytes,
        kind: Option<&'static Kind>,
    },
    /// The process environment (all of it; only `ATLANTIS_*` is read), for `--env`.
    Env(Vec<(String, String)>),
    /// A `KEY=VALUE` file read as `docker run --env-file` reads it.
    EnvFile(NamedBytes),
    /// An Atlantis command line (the words after `--`).
    Argv(Vec<String>),
    /// Flags set at runtime somewhere the linter cannot see (`--assume-set`): flag names.
    AssumeSet(Vec<String>),
    /// A Helm values file layered over the file (`helm -f file -f overlay`): later wins, maps
    /// merge deeply (`--values`).
    Overlay(NamedBytes),
}

/// Everything one run of the linter reads for one file (or for none): its inputs, in order.
/// Within one Atlantis channel, a later input wins (a later env file over an earlier one).
/// `Debug` shows names and sizes, never values.
#[derive(Clone, Default)]
pub struct Request {
    pub inputs: Vec<Input>,
}

impl Request {
    /// A request for one file (of a detected kind).
    pub fn for_file(file: NamedBytes) -> Request {
        Request::default().with(Input::File { file, kind: None })
    }

    /// Adds an input.
    pub fn with(mut self, input: Input) -> Request {
        self.inputs.push(input);
        self
    }

    /// The file of the request, if any.
    pub fn file(&self) -> Option<&NamedBytes> {
        self.inputs.iter().find_map(|i| match i {
            Input::File { file, .. } => Some(file),
            _ => None,
        })
    }

    /// True when the request reads something besides a file (env, env files, argv).
    pub fn has_settings_besides_file(&self) -> bool {
        self.inputs
            .iter()
            .any(|i| matches!(i, Input::Env(_) | Input::EnvFile(_) | Input::Argv(_)))
    }
}

impl std::fmt::Debug for NamedBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NamedBytes({:?}, {} bytes)", self.name, self.bytes.len())
    }
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Input::File { file, kind } => f
                .debug_struct("File")
                .field("file", file)
                .field("kind", &kind.map(|k| k.name))
                .finish(),
            Input::Env(vars) => f
                .debug_tuple("Env")
                .field(&vars.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>())
                .finish(),
            Input::EnvFile(file) => f.debug_tuple("EnvFile").field(file).finish(),
            Input::Argv(words) => write!(f, "Argv({} words)", words.len()),
            Input::AssumeSet(names) => f.debug_tuple("AssumeSet").field(names).finish(),
            Input::Overlay(file) => f.debug_tuple("Overlay").field(file).finish(),
        }
    }
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("inputs", &self.inputs)
            .finish()
    }
}

/// A file that holds no Atlantis configuration atlantis-lint can read, with one message that
/// says what it looks like ("deploy/values.yaml is a values file for the Atlantis Helm chart:
/// ...").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotLintable {
    pub message: String,
}

/// Text of a file; invalid UTF-8 is replaced, and reported as a syntax error at its first byte.
fn decode(bytes: &[u8]) -> (String, Option<YamlError>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(e) => {
            let at = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            let err = YamlError {
                message: format!("the file is not valid UTF-8 (invalid byte at offset {at})"),
                // The replacement character stands for the invalid byte(s): span all of it.
                span: Span::new(
                    at,
                    text[at..].chars().next().map_or(at, |c| at + c.len_utf8()),
                ),
            };
            (text, Some(err))
        }
    }
}

/// Why a form whose tool refuses invalid UTF-8 (kubectl, Compose, Terraform, AWS) holds no
/// configuration.
fn not_utf8(err: &YamlError) -> String {
    format!(
        "it is not valid UTF-8 text (invalid byte at offset {})",
        err.span.start
    )
}

/// The kind of a file, from its name and content.
pub fn detect(file: &NamedBytes) -> &'static Kind {
    let (text, _) = decode(strip_bom(&file.bytes));
    kind::detect(&Probe::new(&file.name, &text))
}

/// True when a file of its detected kind may hold an Atlantis configuration (the test a
/// directory search applies), and the kind.
pub fn holds_atlantis(file: &NamedBytes) -> (bool, &'static Kind) {
    let (text, _) = decode(strip_bom(&file.bytes));
    let probe = Probe::new(&file.name, &text);
    let kind = kind::detect(&probe);
    (kind.read.is_some() && (kind.holds_atlantis)(&probe), kind)
}

/// True when an env entry of a deployment form (Helm `environment`, an ECS container) is one
/// atlantis-lint reads as a setting: a variable Atlantis reads (`ATLANTIS_*`), or a name that
/// looks like one of its flags (`GH_TOKEN`, `atlantis_gh_user`), reported as unknown with the
/// right name. Other variables (`TF_IN_AUTOMATION`, `AWS_REGION`, `TF_VAR_x`) are for the other
/// programs of the container (Terraform, providers, hooks) and are not Atlantis's concern.
pub fn env_name_concerns_atlantis(name: &str) -> bool {
    let upper = name.to_ascii_uppercase().replace('-', "_");
    upper.starts_with("ATLANTIS_")
        || crate::flags::lookup(crate::flags::normalise(name)).is_some_and(|f| {
            f.is_current() && f.kind != crate::flags::FlagKind::FileOnly && f.name.contains('-')
        })
}

/// yaml.v3 skips a UTF-8 byte order mark; so do we, so that columns are what editors show.
fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Reads every input and merges them with Atlantis's precedence: one configuration per Atlantis
/// configuration the file holds (one per Atlantis container of a manifest), or one for a
/// request without a file. A file that holds none is a [`NotLintable`].
pub fn load_all(request: &Request) -> Result<Vec<EffectiveConfig>, NotLintable> {
    let mut sources = Sources::default();
    let mut path = None;
    let mut primary = None;
    let mut units = Vec::new();
    // The file first: its units are what the other inputs apply to.
    for input in &request.inputs {
        let Input::File { file, kind } = input else {
            continue;
        };
        let (text, invalid_utf8) = decode(strip_bom(&file.bytes));
        let (kind, named) = match kind {
            Some(k) => (*k, format!("{} (--kind {})", file.name, k.name)),
            None => {
                let k = kind::detect(&Probe::new(&file.name, &text));
                (k, format!("{} looks like {}", file.name, k.what))
            }
        };
        let Some(read) = kind.read else {
            return Err(NotLintable {
                message: format!("{named}: {}", kind.unread),
            });
        };
        let id = sources.add(SourceText::new(SourceKind::File, file.name.clone(), text));
        let mut overlays = Vec::new();
        for input in &request.inputs {
            let Input::Overlay(o) = input else { continue };
            if !std::ptr::eq(kind, &helm_values::KIND) {
                return Err(NotLintable {
                    message: format!("--values {} layers Helm values files, and {named}", o.name),
                });
            }
            let (text, invalid) = decode(strip_bom(&o.bytes));
            if let Some(err) = invalid {
                return Err(NotLintable {
                    message: format!("--values {}: {}", o.name, not_utf8(&err)),
                });
            }
            overlays.push(sources.add(SourceText::new(SourceKind::File, o.name.clone(), text)));
        }
        let mut reading = ReadInput {
            sources: &mut sources,
            id,
            invalid_utf8,
            overlays,
        };
        let found = read(&mut reading).map_err(|why| NotLintable {
            message: format!("{} holds no Atlantis configuration: {why}", file.name),
        })?;
        if found.is_empty() {
            return Err(NotLintable {
                message: format!(
                    "{} holds no Atlantis configuration ({})",
                    file.name, kind.what
                ),
            });
        }
        path = Some(file.name.clone());
        primary = Some(id);
        units.extend(found);
    }
    if units.is_empty() {
        units.push(Unit::default());
    }

    // The inputs every configuration shares, in order.
    let mut shared = Vec::new();
    let mut argv_issues = Vec::new();
    let mut env_file_issues = Vec::new();
    for input in &request.inputs {
        match input {
            Input::File { .. } | Input::Overlay(_) => {}
            Input::Env(vars) => {
                let id = sources.len();
                let (source, settings) = env::read_process(id, vars);
                sources.add(source);
                shared.extend(settings);
            }
            Input::EnvFile(f) => {
                let (text, _) = decode(&f.bytes);
                let id = sources.add(SourceText::new(SourceKind::EnvFile, f.name.clone(), text));
                let (settings, issues) = env::read_file(id, sources.get_mut(id));
                shared.extend(settings);
                env_file_issues.extend(issues);
            }
            Input::Argv(args) => {
                let id = sources.len();
                let (source, settings, issues) = argv::read(id, args);
                sources.add(source);
                shared.extend(settings);
                argv_issues.extend(issues);
            }
            Input::AssumeSet(names) => {
                let text = names.join(",");
                let id = sources.add(SourceText::new(SourceKind::Options, "<--assume-set>", text));
                shared.extend(assumed(id, names));
            }
        }
    }

    for s in units
        .iter_mut()
        .flat_map(|u| u.settings.iter_mut())
        .chain(shared.iter_mut())
    {
        hide_glued_secret(&mut sources, s);
    }

    Ok(units
        .into_iter()
        .map(|unit| {
            let mut settings = unit.settings;
            settings.extend(shared.iter().cloned());
            let mut issues = unit.argv_issues;
            issues.extend(argv_issues.iter().cloned());
            let mut cfg = EffectiveConfig::new(
                sources.clone(),
                unit.file,
                settings,
                env_file_issues.clone(),
                issues,
            );
            cfg.path.clone_from(&path);
            cfg.primary = primary;
            cfg.part = unit.part;
            cfg.anchor = unit.anchor;
            cfg.form_issues = unit.form_issues;
            cfg.opaque = unit.opaque;
            cfg.provided = unit.provided;
            cfg.image = unit.image;
            cfg.mounted = unit.mounted;
            cfg.host_mounts = unit.host_mounts;
            cfg
        })
        .collect())
}

/// An unknown name that glues a value to a secret name (a key `gh-token=S`, a manifest's env
/// `name: ATLANTIS_GH_TOKEN=S`): the glued part is masked in the source, and replaced by
/// `<redacted>` in the name every message quotes. Done here once for every reader.
fn hide_glued_secret(sources: &mut Sources, s: &mut Setting) {
    if !matches!(s.matched, KeyMatch::Unknown) || mask::glued_secret(&s.key).is_none() {
        return;
    }
    let source = sources.get_mut(s.origin.source);
    if let Some(span) = mask::glued_secret_span(&source.text, s.origin.key_span, &s.key) {
        source.add_secret(span);
    }
    s.key = mask::shown_key(&s.key).into_owned();
    if let Spelling::EnvVar { name } = &mut s.origin.spelling {
        *name = mask::shown_key(name).into_owned();
    }
}

/// Reads every input into one configuration: the first the file holds (a server config holds
/// exactly one), or, when the file holds none, the other inputs alone.
pub fn load(request: &Request) -> EffectiveConfig {
    match load_all(request) {
        Ok(mut configs) => configs.swap_remove(0),
        Err(_) => {
            let rest = Request {
                inputs: request
                    .inputs
                    .iter()
                    .filter(|i| !matches!(i, Input::File { .. }))
                    .cloned()
                    .collect(),
            };
            load_all(&rest)
                .map(|mut c| c.swap_remove(0))
                .unwrap_or_default()
        }
    }
}

/// `--assume-set gh-token,gh-webhook-secret`: each flag set to a value the linter cannot see,
/// through the lowest channel (it counts only when nothing else sets the flag).
fn assumed(id: crate::source::SourceId, names: &[String]) -> Vec<Setting> {
    let mut at = 0;
    let mut out = Vec::new();
    for name in names {
        let span = Span::new(at, at + name.len());
        at += name.len() + 1;
        let Some(flag) = crate::flags::lookup(name) else {
            continue;
        };
        out.push(Setting {
            matched: KeyMatch::Flag(flag),
            key: name.clone(),
            value: RawValue::Unknown(Unknown::Assumed),
            origin: Origin {
                source: id,
                channel: Channel::Default,
                spelling: Spelling::Assumed {
                    flag: flag.name.to_string(),
                },
                key_span: span,
                value_span: span,
            },
            merged: false,
        });
    }
    out
}

#[cfg(test)]
mod debug_tests {
    use super::*;

    /// `Debug` of everything a run holds (request, effective config, findings) never shows a
    /// secret, wherever it was written: so a stray `{:?}` in a log or a panic cannot leak one.
    #[test]
    fn debug_output_holds_no_secret() {
        let secret = "s3cr3t-Qm9vdHN0cmFwLXdlYmhvb2s";
        let request = Request::for_file(NamedBytes {
            name: "a.yaml".into(),
            bytes: format!("gh-user: bot\ngh-token: {secret}1\ngh_tokn: {secret}2\n").into_bytes(),
        })
        .with(Input::Env(vec![(
            "ATLANTIS_GITLAB_TOKEN".into(),
            format!("{secret}3"),
        )]))
        .with(Input::EnvFile(NamedBytes {
            name: "x.env".into(),
            bytes: format!("ATLANTIS_GITEA_TOKEN={secret}4\n").into_bytes(),
        }))
        .with(Input::Argv(vec![
            "--bitbucket-token".into(),
            format!("{secret}5"),
            "--automerge".into(),
            format!("{secret}6"),
        ]));
        let cfg = load(&request);
        let findings = crate::rules::run(&cfg, &crate::rules::Options::default());
        for shown in [
            format!("{request:?}"),
            format!("{cfg:?}"),
            format!("{findings:?}"),
        ] {
            assert!(
                !shown.contains(secret),
                "a secret in Debug output:\n{shown}"
            );
        }
    }
}

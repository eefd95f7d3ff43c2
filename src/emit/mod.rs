//! `atlantis-lint emit`: the effective configuration, normalised, in the form the user asks for.
//!
//! One model is built from the [`EffectiveConfig`] exactly as Atlantis would see it (winning
//! source, decoded and coerced value, `setDefaults`, `@` trimmed from user names, deprecated
//! keys under their replacement); each form (one file each) only writes that model.

pub mod dotenv;
pub mod flags;
pub mod json;
pub mod k8s;
pub mod shell;
pub mod yaml;

use crate::config::{EffectiveConfig, RawValue, Unknown};
use crate::flags::{Flag, FlagKind, FlagType};
use crate::input::yaml::NodeKind;
use crate::secret::Text;
use crate::value::{self, Value};
use crate::version::Version;
use clap::ValueEnum;

/// What `--secrets redact` writes in place of a secret value.
pub const REDACTED: &str = "<redacted>";

/// The forms `emit --to` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Form {
    /// A config file for `atlantis server --config`.
    Yaml,
    /// The same as a JSON object (also readable with `--config file.json`).
    Json,
    /// `ATLANTIS_*=value` lines for `docker run --env-file`.
    Dotenv,
    /// `export ATLANTIS_*='...'` lines to `source`.
    Shell,
    /// The `atlantis server --flag=value ...` command line.
    Flags,
    /// A Kubernetes container `env:` list; secrets as `secretKeyRef`.
    K8sEnv,
}

/// What happens to secret values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SecretsMode {
    /// Write a fake marker (`<redacted>`) and say so in a comment where the form has comments.
    Redact,
    /// Write the real values (refused on a terminal without `--force`).
    Include,
    /// Leave secret settings out.
    Omit,
}

/// How to write the model.
#[derive(Debug, Clone)]
pub struct Options {
    pub form: Form,
    pub secrets: SecretsMode,
    /// `--to flags`: one argument per line, as a YAML list for a container's `args:`.
    pub one_per_line: bool,
    /// `--to k8s-env`: the name of the Secret holding the secret values.
    pub k8s_secret: String,
}

/// One flag of the normalised configuration.
#[derive(Debug, Clone)]
pub struct Entry {
    pub flag: &'static Flag,
    /// The value Atlantis runs with: decoded, coerced, defaults applied.
    pub value: Value,
    /// True when the value is the flag's default (written only with `--with-defaults`).
    pub is_default: bool,
    /// A value of a flag that is not secret, yet holds a secret: an alias of a secret value, a
    /// secret flag swallowed as its value, a token pasted into the wrong key.
    pub holds_secret: bool,
}

impl Entry {
    /// True when the value is a secret (a default, such as `web-password`'s, is none).
    pub fn is_secret(&self) -> bool {
        (self.flag.is_secret_value() && !self.is_default) || self.holds_secret
    }
}

/// The fields of one `webhooks` entry Atlantis reads (`server.WebhookConfig`), in key order.
pub const WEBHOOK_FIELDS: &[&str] = &[
    "branch-regex",
    "channel",
    "event",
    "kind",
    "url",
    "workspace-regex",
];

/// One entry of the file-only `webhooks` list: (field, value) in [`WEBHOOK_FIELDS`] order.
#[derive(Debug, Clone, Default)]
pub struct Webhook {
    pub fields: Vec<(&'static str, Text)>,
}

/// The normalised configuration.
#[derive(Debug, Clone)]
pub struct Model {
    /// Current flags in name order.
    pub entries: Vec<Entry>,
    pub webhooks: Vec<Webhook>,
    /// Things left out, for stderr (never holding a value).
    pub notes: Vec<String>,
    /// The Atlantis release the model is written for.
    pub version: Version,
}

impl Default for Model {
    fn default() -> Model {
        Model {
            entries: Vec::new(),
            webhooks: Vec::new(),
            notes: Vec::new(),
            version: crate::flags::LATEST,
        }
    }
}

/// A value one form cannot carry (nothing is written then).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmitError {
    pub message: String,
    pub help: String,
}

/// A value as a form writes it: the value itself, or the redaction marker.
pub enum Shown<'a> {
    Value(&'a Value),
    Redacted,
}

impl Model {
    /// The entries a form writes under `mode`: secrets omitted, redacted or included.
    pub fn shown(&self, mode: SecretsMode) -> impl Iterator<Item = (&Entry, Shown<'_>)> {
        self.entries
            .iter()
            .filter_map(move |e| match (e.is_secret(), mode) {
                (true, SecretsMode::Omit) => None,
                // A value set at runtime has no text to write (see the notes).
                _ if matches!(e.value, Value::Unknown(_)) => None,
                (true, SecretsMode::Redact) => Some((e, Shown::Redacted)),
                _ => Some((e, Shown::Value(&e.value))),
            })
    }

    /// Error for the forms that have no way to write the file-only `webhooks` list.
    pub fn refuse_webhooks(&self, form: &str) -> Result<(), EmitError> {
        if self.webhooks.is_empty() {
            return Ok(());
        }
        Err(EmitError {
            message: format!(
                "`webhooks` cannot be written {form}: Atlantis reads this list only from a config file"
            ),
            help: "emit `--to yaml` (or `--to json`) for a config file, or keep `webhooks` in a config file passed with `--config` and emit the other settings without it".into(),
        })
    }

    /// Error for a NUL character, which no environment variable or command-line argument can hold.
    pub fn refuse_nul(&self, secrets: SecretsMode, form: &str) -> Result<(), EmitError> {
        let bad = self
            .entries
            .iter()
            .filter(|e| !(e.is_secret() && secrets == SecretsMode::Omit))
            .find(|e| matches!(&e.value, Value::Str(t) if t.as_str().contains('\0')));
        match bad {
            None => Ok(()),
            Some(e) => Err(EmitError {
                message: format!(
                    "`{}` cannot be written {form}: its value holds a NUL character, which no environment variable or argument can carry",
                    e.flag.name
                ),
                help: "remove the NUL character (a `\\0` escape in a double-quoted YAML string); `--to yaml` and `--to json` can still write it".into(),
            }),
        }
    }
}

/// Builds the normalised model; `with_defaults` keeps values equal to the defaults.
pub fn build(cfg: &EffectiveConfig, with_defaults: bool) -> Model {
    let mut model = Model::default();
    let redactor = crate::report::Redactor::new(cfg, &crate::secret::KnownSecrets::default());
    let version = cfg.version();
    model.version = version;
    // The flags of the release being written for (the latest unless --atlantis-version).
    for (flag, history) in crate::flags::FLAGS
        .iter()
        .filter(|f| f.kind != FlagKind::FileOnly)
        .filter_map(|f| Some((f, crate::flags::history(f)?)))
        .filter(|(_, h)| h.present_in(version))
    {
        // `config` names the file this output replaces; aliases go under the flag they feed.
        let alias = history
            .deprecated_in(version)
            .is_some_and(|d| d.alias && d.replacement.is_some());
        if flag.name == crate::flags::CONFIG || alias {
            continue;
        }
        if let Some(r) = cfg.resolution(flag) {
            if r.value.is_err() {
                model.notes.push(format!(
                    "`{}` is left out: its value does not decode (see the invalid-type finding)",
                    flag.name
                ));
                continue;
            }
        }
        let Some(value) = cfg.effective(flag) else {
            continue;
        };
        if let Value::Unknown(u) = &value {
            model.notes.push(format!(
                "`{}` is set at runtime from {}, which atlantis-lint cannot read: {}",
                flag.name,
                u.describe(),
                if matches!(u, Unknown::SecretKey { .. } | Unknown::ConfigMapKey { .. }) {
                    "only --to k8s-env writes it (as the same reference)"
                } else {
                    "it is left out"
                }
            ));
        }
        let is_default = match (&value, &cfg.default_value(flag)) {
            (Value::Str(a), Value::Str(b)) => a.as_str() == b.as_str(),
            (a, b) => a == b,
        };
        if is_default && !with_defaults {
            continue;
        }
        let holds_secret = match &value {
            Value::Str(t) => t.is_secret() || redactor.finds(t.as_str()),
            _ => false,
        };
        model.entries.push(Entry {
            flag,
            value,
            is_default,
            holds_secret,
        });
    }
    model.webhooks = webhooks(cfg, &mut model.notes);
    for hook in &mut model.webhooks {
        for (_, text) in &mut hook.fields {
            if !text.is_secret() && redactor.finds(text.as_str()) {
                *text = Text::new(text.as_str().to_string(), true);
            }
        }
    }
    model
}

/// The `webhooks` list as Atlantis decodes it: known fields (keys case-insensitive), strings.
fn webhooks(cfg: &EffectiveConfig, notes: &mut Vec<String>) -> Vec<Webhook> {
    let Some(setting) = cfg.winner(crate::flags::WEBHOOKS) else {
        return Vec::new();
    };
    let (RawValue::Collection { node, is_map }, Some(doc)) = (
        &setting.value,
        cfg.file.as_ref().and_then(|f| f.doc.as_ref()),
    ) else {
        notes.push("`webhooks` is left out: it is not a list".into());
        return Vec::new();
    };
    if *is_map {
        notes.push("`webhooks` is left out: it is a mapping, not a list".into());
        return Vec::new();
    }
    let NodeKind::Seq(items) = &doc.resolve(*node).kind else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, &item) in items.iter().enumerate() {
        let NodeKind::Map(pairs) = &doc.resolve(item).kind else {
            notes.push(format!(
                "`webhooks` entry {} is left out: it is not a mapping",
                i + 1
            ));
            continue;
        };
        let mut hook = Webhook::default();
        for &(k, v) in pairs {
            let NodeKind::Scalar(key) = &doc.resolve(k).kind else {
                continue;
            };
            let key = key.value.to_ascii_lowercase();
            let Some(field) = WEBHOOK_FIELDS.iter().copied().find(|f| *f == key) else {
                continue;
            };
            // A Slack or HTTP webhook URL carries its credential in the path.
            let secret = field == "url";
            let text = match &doc.resolve(v).kind {
                NodeKind::Scalar(s) => {
                    match value::decode_resolved(
                        &value::resolve(s, secret),
                        FlagType::String,
                        secret,
                    ) {
                        Ok(Value::Str(t)) => t,
                        _ => continue,
                    }
                }
                _ => {
                    notes.push(format!(
                        "`webhooks` entry {} field `{field}` is left out: it is not a string",
                        i + 1
                    ));
                    continue;
                }
            };
            if text.as_str().is_empty() {
                continue;
            }
            hook.fields.retain(|(f, _)| *f != field);
            hook.fields.push((field, text));
        }
        hook.fields.sort_by_key(|(f, _)| *f);
        out.push(hook);
    }
    out
}

/// Writes the model in the asked form.
pub fn render(model: &Model, options: &Options) -> Result<String, EmitError> {
    match options.form {
        Form::Yaml => Ok(yaml::render(model, options.secrets)),
        Form::Json => Ok(json::render(model, options.secrets)),
        Form::Dotenv => dotenv::render(model, options.secrets),
        Form::Shell => shell::render(model, options.secrets),
        Form::Flags => flags::render(model, options.secrets, options.one_per_line),
        Form::K8sEnv => k8s::render(model, options.secrets, &options.k8s_secret),
    }
}

/// A scalar value as text (bools `true`/`false`, ints in decimal).
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Str(t) => t.as_str().to_string(),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        // Never written: [`Model::shown`] leaves such entries out.
        Value::Unknown(_) => String::new(),
    }
}

/// POSIX shell quoting: bare when every character is safe, otherwise single quotes.
pub fn shell_quote(s: &str) -> String {
    let bare = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_=.,:/@%+".contains(&b));
    if bare {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The `-file` flag that can carry a value from a file instead (`gh-app-key` -> `gh-app-key-file`),
/// when Atlantis `version` has it.
pub fn file_alternative(flag: &Flag, version: Version) -> Option<&'static Flag> {
    crate::flags::lookup(format!("{}-file", flag.name))
        .filter(|f| f.is_current() && crate::flags::present_in(f.name, version))
}

/// True for values a line-based form cannot carry.
pub fn is_multiline(s: &str) -> bool {
    s.contains(['\n', '\r'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(yaml: &str, with_defaults: bool) -> Model {
        let request = crate::input::Request::for_file(crate::input::NamedBytes {
            name: "atlantis.yaml".into(),
            bytes: yaml.as_bytes().to_vec(),
        });
        build(&crate::input::load(&request), with_defaults)
    }

    #[test]
    fn a_file_alternative_exists_only_from_the_release_that_added_it() {
        let token = crate::flags::GH_TOKEN.flag();
        let before = crate::version::Version::new(0, 30, 0);
        let since = crate::version::Version::new(0, 31, 0);
        assert!(file_alternative(token, before).is_none());
        assert_eq!(
            file_alternative(token, since).map(|f| f.name),
            Some(crate::flags::GH_TOKEN_FILE.name())
        );
    }

    fn get<'a>(m: &'a Model, name: &str) -> Option<&'a Value> {
        m.entries
            .iter()
            .find(|e| e.flag.name == name)
            .map(|e| &e.value)
    }

    fn text(m: &Model, name: &str) -> Option<String> {
        get(m, name).map(value_text)
    }

    #[test]
    fn normalises_like_atlantis() {
        let m = model(
            "GH-User: '@bot'\ngitea-user: '@'\nbitbucket-api-user: '@me@example.com'\n\
             emoji-reaction: true\ntf-distribution: opentofu\ncheckout-depth: -3\n\
             port: 4141\nconfig: other.yaml\nrepo-whitelist: x\nnot-a-flag: 1\n",
            false,
        );
        assert_eq!(text(&m, "gh-user").as_deref(), Some("bot"));
        // A lone `@` would trim to nothing, which is not what Atlantis validated.
        assert_eq!(text(&m, "gitea-user").as_deref(), Some("@"));
        assert_eq!(
            text(&m, "bitbucket-api-user").as_deref(),
            Some("@me@example.com")
        );
        assert_eq!(text(&m, "emoji-reaction").as_deref(), Some("1"));
        assert_eq!(
            text(&m, "default-tf-distribution").as_deref(),
            Some("opentofu")
        );
        for gone in ["tf-distribution", "checkout-depth", "port", "config"] {
            assert!(get(&m, gone).is_none(), "{gone}");
        }
        assert_eq!(m.entries.len(), 5);
    }

    #[test]
    fn defaults_only_when_asked() {
        let m = model("max-comments-per-command: 0\n", false);
        assert_eq!(get(&m, "max-comments-per-command"), Some(&Value::Int(0)));
        assert_eq!(m.entries.len(), 1);
        let m = model("", true);
        assert_eq!(get(&m, "port"), Some(&Value::Int(4141)));
        assert_eq!(get(&m, "tf-download"), Some(&Value::Bool(true)));
        assert_eq!(get(&m, "automerge"), Some(&Value::Bool(false)));
        assert_eq!(
            text(&m, "gitea-base-url").as_deref(),
            Some("https://gitea.com")
        );
        assert!(
            get(&m, "gh-user").is_none(),
            "empty strings are never written"
        );
        assert!(m.entries.iter().all(|e| e.is_default && !e.is_secret()));
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("abc-1.2:/x"), "abc-1.2:/x");
        assert_eq!(shell_quote("it's $HOME"), r"'it'\''s $HOME'");
        assert_eq!(shell_quote(""), "''");
    }
}

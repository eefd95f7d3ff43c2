//! Facts about credential values shared by the secret rules (not a rule itself): which flags
//! hold users and tokens, and the text a setting was written with.

use crate::config::{RawValue, Setting};
use crate::flags::{self, Secrecy};
use crate::secret::Text;

/// Flags that name the account a token belongs to.
pub const USER_FLAGS: &[&str] = &[
    "azuredevops-user",
    "azuredevops-webhook-user",
    "bitbucket-api-user",
    "bitbucket-user",
    "gh-user",
    "gitea-user",
    "gitlab-user",
];

/// The text a setting was written with (before any YAML retyping), if it is a single value.
pub fn written_text(s: &Setting) -> Option<&Text> {
    match &s.value {
        RawValue::Text(t) | RawValue::Scalar { text: t, .. } => Some(t),
        _ => None,
    }
}

/// True for flags whose value is itself a secret (a token, password, key or webhook secret).
pub fn is_secret_flag(name: &str) -> bool {
    flags::lookup(name).is_some_and(|f| f.secrecy == Secrecy::Value)
}

/// The `*-file` flag that can hold this secret instead, when Atlantis has one.
pub fn file_variant(name: &str) -> Option<&'static str> {
    flags::lookup(&format!("{name}-file"))
        .filter(|f| f.is_current())
        .map(|f| f.name)
}

/// How to pass a secret without writing it where it shows: its env var, or its `*-file` flag.
pub fn safer_channel(name: &str) -> String {
    match file_variant(name) {
        Some(file) => format!(
            "set {} from a secret store, or use {file}",
            flags::env_name(name)
        ),
        None => format!("set {} from a secret store", flags::env_name(name)),
    }
}

//! `--to k8s-env`: a Kubernetes container `env:` list. Secret values are never written inline:
//! each becomes a `valueFrom.secretKeyRef` to the key named after the flag in one Secret.
//!
//! Kubernetes expands `$(VAR)` in env values (and in `command`/`args`) and reads `$$` as one `$`,
//! so every `$` is written `$$`: the container then sees the value as written.

use super::yaml::{double_quoted, string};
use super::{EmitError, Model, SecretsMode, value_text};
use crate::config::Unknown;
use crate::value::Value;

pub fn render(model: &Model, secrets: SecretsMode, secret_name: &str) -> Result<String, EmitError> {
    model.refuse_webhooks("as container environment variables")?;
    model.refuse_nul(secrets, "as container environment variables")?;
    let mut items: Vec<(String, String)> = Vec::new();
    for entry in &model.entries {
        let name = entry.flag.env_name();
        let item = if let Value::Unknown(u) = &entry.value {
            // Set at runtime from a reference: written as the same reference, never as a value.
            let (source, ref_name, key) = match u {
                Unknown::SecretKey { name, key, .. } => ("secretKeyRef", name, key),
                Unknown::ConfigMapKey { name, key, .. } => ("configMapKeyRef", name, key),
                _ => continue,
            };
            format!(
                "- name: {name}\n  valueFrom:\n    {source}:\n      name: {}\n      key: {}\n",
                string(ref_name, 6),
                string(key, 6)
            )
        } else if entry.is_secret() {
            if secrets == SecretsMode::Omit {
                continue;
            }
            format!(
                "- name: {name}\n  valueFrom:\n    secretKeyRef:\n      name: {}\n      key: {}\n",
                string(secret_name, 6),
                entry.flag.name
            )
        } else {
            let text = escape_dollars(&value_text(&entry.value));
            // Always quoted: `value` must be a string, and kubectl reads YAML 1.1 (`on` is a bool).
            let v = if text.contains('\n') {
                string(&text, 4)
            } else {
                double_quoted(&text)
            };
            format!("- name: {name}\n  value: {v}\n")
        };
        items.push((name, item));
    }
    items.sort();
    let out: String = items.into_iter().map(|(_, i)| i).collect();
    Ok(if out.is_empty() { "[]\n".into() } else { out })
}

/// `$` as `$$`, which Kubernetes `$(VAR)` expansion (and docker compose interpolation) turn
/// back into one `$`.
pub fn escape_dollars(s: &str) -> String {
    s.replace('$', "$$")
}

/// The keys the Secret must hold, for a note on stderr.
pub fn secret_keys(model: &Model, secrets: SecretsMode) -> Vec<&'static str> {
    if secrets == SecretsMode::Omit {
        return Vec::new();
    }
    model
        .entries
        .iter()
        .filter(|e| e.is_secret() && !matches!(e.value, Value::Unknown(_)))
        .map(|e| e.flag.name)
        .collect()
}

/// A Secret name Kubernetes accepts (a DNS-1123 subdomain).
pub fn valid_secret_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric())
}

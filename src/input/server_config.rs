//! The Atlantis server config file (`atlantis server --config`): YAML or JSON whose top-level
//! keys are flag names. The kind every file is when no other kind claims it; the reader is
//! [`crate::input::file`].

use super::kind::{Kind, Probe, ReadInput, Unit, always};
use crate::config::FileInput;
use crate::flags;

pub static KIND: Kind = Kind {
    name: "server-config",
    what: "an Atlantis server config file",
    detect: always,
    holds_atlantis: looks_like_server_config,
    read: Some(read),
    unread: "",
};

/// Top-level keys of Atlantis's repo-level (`atlantis.yaml`) and server-side (`repos.yaml`) configs.
pub const OTHER_CONFIG_KEYS: &[&str] = &[
    "version",
    "projects",
    "workflows",
    "repos",
    "policies",
    "metrics",
    "team_authz",
    "allowed_regexp_prefixes",
];

/// True when the file looks like an Atlantis server config: its first document is a mapping
/// with at least one key that names an Atlantis flag (current, removed or `webhooks`), and none
/// of the keys that mark Atlantis's *other* YAML files. A file that does not parse is judged by
/// its unindented `key:` lines, so that a server config with a syntax error is still found.
pub fn looks_like_server_config(probe: &Probe) -> bool {
    let keys = probe.first_keys();
    let known = keys.iter().any(|k| flags::lookup_key(k).is_some());
    let other = keys.iter().any(|k| OTHER_CONFIG_KEYS.contains(&k.as_str()));
    known && !other
}

fn read(input: &mut ReadInput) -> Result<Vec<Unit>, String> {
    let id = input.id;
    let (file, settings) = match input.invalid_utf8.take() {
        Some(err) => {
            let source = input.sources.get_mut(id);
            for span in super::mask::line_spans(&source.text, true) {
                source.add_secret(span);
            }
            let file = FileInput {
                source: id,
                path: source.name.clone(),
                doc: None,
                syntax_error: Some(err),
                root_not_mapping: None,
                duplicates: Vec::new(),
                refused_by: None,
            };
            (file, Vec::new())
        }
        None => super::file::read(id, input.sources.get_mut(id)),
    };
    Ok(vec![Unit {
        file: Some(file),
        settings,
        ..Unit::default()
    }])
}

//! The Atlantis server config file (`atlantis server --config`): YAML or JSON whose top-level
//! keys are flag names. The kind every file is when no other kind claims it; the reader is
//! [`crate::input::file`].

use super::kind::{Kind, Probe, ReadInput, Unit, always};
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
    if let Some(err) = input.invalid_utf8.take() {
        // yaml.v3 refuses it: a syntax error at the first invalid byte.
        let source = input.sources.get_mut(id);
        return Ok(vec![super::container::unparsed(id, source, err, None)]);
    }
    let (file, settings) = super::file::read(id, input.sources.get_mut(id));
    Ok(vec![Unit {
        file: Some(file),
        settings,
        ..Unit::default()
    }])
}

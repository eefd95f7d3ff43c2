//! Atlantis's other YAML files: the server-side repo config (`repos.yaml`: `repos`,
//! `workflows`, `policies`; kind `repo-config`) and a repository's `atlantis.yaml` (`version`,
//! `projects`; kind `repo-yaml`). They are never linted as a server config: they are documents
//! of their own, read and checked by `crate::repo_config` (the CLI routes them there, see
//! `crate::repo_config::run::detect`), so these kinds have no settings reader.

use super::kind::{Kind, Probe};

pub static REPO_LEVEL: Kind = Kind {
    name: "repo-yaml",
    what: "a repo-level Atlantis config (atlantis.yaml with `version`/`projects`)",
    detect: is_repo_level,
    holds_atlantis: no_server_config,
    read: None,
    unread: "it is a repository's atlantis.yaml, linted as one (--kind repo-yaml)",
};

pub static SERVER_SIDE: Kind = Kind {
    name: "repo-config",
    what: "a server-side repo config (repos.yaml with `repos`/`workflows`/`policies`)",
    detect: is_server_side,
    holds_atlantis: no_server_config,
    read: None,
    unread: "it is a server-side repo config, linted as one (--kind repo-config)",
};

fn no_server_config(_: &Probe) -> bool {
    false
}

fn is_repo_level(probe: &Probe) -> bool {
    let keys = probe.first_keys();
    !keys.iter().any(|k| k == "repos") && keys.iter().any(|k| k == "version" || k == "projects")
}

/// Top-level keys of a repo config and no Atlantis flag (a server config with a stray `repos:`
/// stays a server config, where `unknown-key` reports it).
fn is_server_side(probe: &Probe) -> bool {
    let keys = probe.first_keys();
    let repo_config = keys.iter().any(|k| {
        matches!(
            k.as_str(),
            "repos" | "workflows" | "policies" | "metrics" | "team_authz" | "external_stores"
        )
    });
    repo_config && !keys.iter().any(|k| crate::flags::lookup_key(k).is_some())
}

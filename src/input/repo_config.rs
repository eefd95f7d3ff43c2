//! Atlantis's other YAML files: the repo-level `atlantis.yaml` (`version`, `projects`) and the
//! server-side repo config (`repos.yaml`: `repos`, `workflows`, `policies`). They are never
//! linted as a server config; atlantis-lint does not lint them (yet).

use super::kind::{Kind, Probe};

pub static REPO_LEVEL: Kind = Kind {
    name: "repo-config",
    what: "a repo-level Atlantis config (atlantis.yaml with `version`/`projects`)",
    detect: is_repo_level,
    holds_atlantis: no_server_config,
    read: None,
    unread: "it is not a server config; atlantis-lint lints the server's configuration (its config file, env vars and flags)",
};

pub static SERVER_SIDE: Kind = Kind {
    name: "repos-yaml",
    what: "a server-side repo config (repos.yaml with `repos`/`workflows`/`policies`)",
    detect: is_server_side,
    holds_atlantis: no_server_config,
    read: None,
    unread: "it is not a server config (it is what --repo-config names); atlantis-lint does not lint it yet",
};

fn no_server_config(_: &Probe) -> bool {
    false
}

fn is_repo_level(probe: &Probe) -> bool {
    let keys = probe.first_keys();
    !keys.iter().any(|k| k == "repos") && keys.iter().any(|k| k == "version" || k == "projects")
}

fn is_server_side(probe: &Probe) -> bool {
    let keys = probe.first_keys();
    keys.iter().any(|k| {
        matches!(
            k.as_str(),
            "repos"
                | "workflows"
                | "policies"
                | "metrics"
                | "team_authz"
                | "allowed_regexp_prefixes"
        )
    })
}

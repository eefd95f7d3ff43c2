//! docker-compose files (`services.<name>` running Atlantis): recognised, not read yet.
//!
//! The reader to add here: `services.*` whose image is `runatlantis/atlantis` (or whose
//! command runs `atlantis server`), `environment` as list and map, `env_file` with compose's
//! rules, `command` as list and string, `${VAR}` as `Unknown::Interpolation`.

use super::kind::{Kind, Probe};

pub static KIND: Kind = Kind {
    name: "compose",
    what: "a docker-compose file",
    detect,
    holds_atlantis,
    read: None,
    unread: "atlantis-lint cannot read docker-compose files yet; lint the service's settings with --env-file and -- ATLANTIS_ARGS",
};

fn detect(probe: &Probe) -> bool {
    let name = probe.base_name();
    let by_name = name == "compose.yaml"
        || name == "compose.yml"
        || (name.starts_with("docker-compose")
            && (name.ends_with(".yml") || name.ends_with(".yaml")))
        || name.ends_with(".compose.yaml")
        || name.ends_with(".compose.yml");
    let keys = probe.first_keys();
    by_name || (keys.iter().any(|k| k == "services") && !keys.iter().any(|k| k == "apiVersion"))
}

fn holds_atlantis(probe: &Probe) -> bool {
    probe.text.contains("atlantis")
}

use super::Context;
use super::credential_values::written_text;
use crate::config::Spelling;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags::{self, FlagType};

pub static RULE: RuleInfo = RuleInfo {
    id: "k8s-service-link",
    severity: Severity::Info,
    summary: "an `ATLANTIS_*` env var holding a `tcp://`/`udp://` Kubernetes service link",
    suppressible: true,
    docs: r#"## What it checks
`ATLANTIS_*` variables whose value is a Kubernetes service link (`tcp://10.0.0.7:4141`).
Kubernetes injects `<SERVICE>_PORT=tcp://…` for every Service in the namespace: a Service named
`atlantis` produces `ATLANTIS_PORT`, one named `atlantis-redis` produces `ATLANTIS_REDIS_PORT`.

Since v0.44.0 Atlantis resets seven int flags holding such a value to their default (`port`,
`redis-port`, `redis-db`, `checkout-depth`, `gitea-page-size`, `max-comments-per-command`,
`parallel-pool-size`), above every other source, so a value for the same flag in the config
file is lost too. Any other flag keeps the `tcp://…` text as its value.

## Why it matters
The server runs on the default port (or Redis port) no matter what the config file says, and
nothing in the logs explains why. Before v0.44.0 the same variable stopped Atlantis at startup.

## Example
```sh
ATLANTIS_PORT=tcp://10.96.0.12:4141   # injected for a Service named "atlantis"
```

## Fix
Set `enableServiceLinks: false` in the pod spec, or rename the Service so that its name does
not start with `atlantis`.
"#,
};

const HELP: &str = "set `enableServiceLinks: false` in the pod spec, or rename the Kubernetes Service so that its name does not start with `atlantis`";

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    for (name, res) in cfg.resolutions() {
        let setting = &cfg.settings[res.winner];
        let Spelling::EnvVar { name: var } = &setting.origin.spelling else {
            continue;
        };
        let Some(flag) = flags::lookup(name) else {
            continue;
        };
        if res.service_link {
            let default = flag.default_text().unwrap_or_default();
            let mut f = Finding::new(
                &RULE,
                setting.origin.value(),
                format!("{var} holds a Kubernetes service link, not a number: Atlantis resets {name} to its default {default}"),
            )
            .key(name)
            .label("Kubernetes service link")
            .help(HELP);
            for &i in &res.shadowed {
                let s = &cfg.settings[i];
                if s.origin.spelling.is_config_key() {
                    f = f.related(
                        s.origin.value(),
                        format!("lost too: Atlantis resets {name} above every source"),
                    );
                }
            }
            out.push(f);
            continue;
        }
        if flag.service_link_reset {
            continue;
        }
        let Some(text) = written_text(setting) else {
            continue;
        };
        let v = text.as_str();
        if !(v.starts_with("tcp://") || v.starts_with("udp://")) {
            continue;
        }
        let consequence = match flag.ty {
            FlagType::Int | FlagType::Int64 => {
                "Atlantis does not reset this flag and cannot read the value as a number"
            }
            _ => "Atlantis does not reset this flag and uses the link as its value",
        };
        out.push(
            Finding::new(
                &RULE,
                setting.origin.value(),
                format!("{var} holds a Kubernetes service link (tcp:// or udp://): {consequence}"),
            )
            .key(name)
            .label("Kubernetes service link")
            .help(HELP),
        );
    }
}

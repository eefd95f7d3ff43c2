use super::Context;
use super::credential_values::{safer_channel, written_text};
use crate::config::Spelling;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags::Secrecy;

pub static RULE: RuleInfo = RuleInfo {
    id: "secret-on-command-line",
    severity: Severity::Warning,
    summary: "a secret passed as a command-line flag (visible in `ps` and shell history)",
    suppressible: true,
    docs: r#"## What it checks
Tokens, passwords, webhook secrets and the GitHub App key given as flags on the Atlantis command
line (`--gh-token=…`, `--gitlab-webhook-secret …`), including a Helm `extraArgs` list or a
docker-compose `command:`.

## Why it matters
A process's arguments are readable by every user on the host (`ps aux`, `/proc/<pid>/cmdline`),
end up in shell history, and are shown by `docker inspect`, `kubectl get pod -o yaml` and most
process monitors.

## Example
```sh
atlantis server --gh-user atlantis-bot --gh-token "$GH_TOKEN"
```

## Fix
Pass the secret through the environment (`ATLANTIS_GH_TOKEN`, from a secret store) or the
flag's `*-file` variant where there is one (`--gh-token-file`, `--gh-app-key-file`).
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    for s in &ctx.cfg.settings {
        let Spelling::Flag { flag: written, .. } = &s.origin.spelling else {
            continue;
        };
        let Some(flag) = s.flag() else { continue };
        if flag.secrecy != Secrecy::Value {
            continue;
        }
        if written_text(s).is_none_or(|t| t.as_str().trim().is_empty()) {
            continue;
        }
        out.push(
            Finding::new(
                &RULE,
                s.origin.key(),
                format!("{written} passes a secret on the command line, where `ps` and shell history show it"),
            )
            .key(flag.name)
            .label("secret in the process arguments")
            .help(format!("drop {written} and {}", safer_channel(flag.name, ctx.cfg.version()))),
        );
    }
}

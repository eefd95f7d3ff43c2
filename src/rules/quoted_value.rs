use super::Context;
use super::credential_values::{is_secret_flag, written_text};
use super::secret_whitespace::{quote_help, quoted};
use crate::config::Spelling;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags::FlagType;
use crate::source::SourceKind;

pub static RULE: RuleInfo = RuleInfo {
    id: "quoted-value",
    severity: Severity::Error,
    summary: "literal quotes that reach Atlantis as part of a value that is not a secret (`--ssl-cert-file=\"/etc/x.pem\"`, `KEY=\"x\"` in an env file)",
    suppressible: true,
    docs: r#"## What it checks
A string value that is not a secret (a user, a path, a URL, an allowlist) whose first and last
characters are the same quote (`"` or `'`), where nothing removes them before Atlantis reads
the value:
- an exec-form command (a docker-compose `command:` list, a Kubernetes `args:` list, Helm
  `extraArgs`): `--ssl-cert-file="/etc/atlantis/tls.crt"` passes the quotes through, because no
  shell runs;
- a `docker run --env-file` file: `ATLANTIS_GH_USER="atlantis-bot"` keeps them;
- a YAML value quoted twice (`gh-user: '"atlantis-bot"'`).

Secrets in quotes are `secret-whitespace`'s finding; bool and int values in quotes fail to
decode and are `invalid-type`'s.

## Why it matters
The quotes become part of the value: the certificate file `"/etc/atlantis/tls.crt"` (with its
quotes) does not exist and Atlantis stops at startup; a user `"atlantis-bot"` matches no
account; a quoted allowlist entry matches no repository. The value looks right in every review
(issue runatlantis/atlantis#5747 is one such docker-compose file).

## Example
```yaml
# docker-compose.yml
command:
  - server
  - --gitlab-user="atlantis"
  - --ssl-cert-file="/etc/atlantis/tls.crt"
```

## Fix
Drop the quotes: `--gitlab-user=atlantis`. In an env file write `NAME=value`.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    for (name, resolution) in cfg.resolutions() {
        let setting = &cfg.settings[resolution.winner];
        let Some(flag) = setting.flag() else { continue };
        if flag.ty != FlagType::String || is_secret_flag(name) {
            continue;
        }
        let Some(text) = written_text(setting) else {
            continue;
        };
        if text.is_secret() || !quoted(text.as_str()) {
            continue;
        }
        let env_file = cfg.sources.get(setting.origin.source).kind == SourceKind::EnvFile;
        let channel = match setting.origin.spelling {
            Spelling::EnvVar { .. } if env_file => "docker --env-file does not remove quotes",
            Spelling::Flag { .. } => "no shell removes quotes from an exec-form command",
            Spelling::EnvVar { .. } => "the variable holds them",
            Spelling::ConfigKey => "YAML removes only one pair of quotes",
            Spelling::FormKey { .. } | Spelling::Assumed { .. } => "nothing removes them",
        };
        out.push(
            Finding::new(
                &RULE,
                setting.origin.value(),
                format!(
                    "{name} is wrapped in literal quotes that become part of the value: {channel}"
                ),
            )
            .key(name)
            .label("the quotes reach Atlantis")
            .help(quote_help(cfg, setting)),
        );
    }
}

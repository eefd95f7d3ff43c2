use super::Context;
use super::credential_values::{safer_channel, written_text};
use super::placeholder_value::is_placeholder;
use super::unexpanded_variable::variable_in;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags::Secrecy;

pub static RULE: RuleInfo = RuleInfo {
    id: "plaintext-secret",
    severity: Severity::Warning,
    summary: "a secret written inline in a config file: prefer the env var or the `*-file` flag",
    suppressible: true,
    docs: r#"## What it checks
Tokens, passwords, webhook secrets and the GitHub App key written as values in the config file
(placeholders and `${VAR}` references are reported by their own rules instead).

## Why it matters
Config files get committed, baked into images, shown in `kubectl describe configmap` and
copied into tickets. A secret in one is readable by everyone who can read the file, and
rotating it means editing the file everywhere it was copied.

## Example
```yaml
gh-user: atlantis-bot
gh-token: ghp_…   # inline
```

## Fix
Keep the file free of secrets: set the flag's environment variable (`ATLANTIS_GH_TOKEN`) from a
secret store (a Kubernetes Secret, Vault, your CI's secrets), or use the `*-file` flag where there
is one (`gh-token-file`, `gh-app-key-file`). If the file itself is a secret (a Kubernetes Secret
mounted as the config), suppress this rule for it with a reason.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    for s in &ctx.cfg.settings {
        if !s.origin.spelling.is_config_key() {
            continue;
        }
        let Some(flag) = s.flag() else { continue };
        if flag.secrecy != Secrecy::Value {
            continue;
        }
        let Some(text) = written_text(s) else {
            continue;
        };
        let v = text.as_str();
        if v.trim().is_empty() || is_placeholder(v) || variable_in(v, true).is_some() {
            continue;
        }
        out.push(
            Finding::new(
                &RULE,
                s.origin.value(),
                format!("{} is written in plain text in the config file", flag.name),
            )
            .key(flag.name)
            .label("secret in the file")
            .help(format!(
                "remove it from the file and {}",
                safer_channel(flag.name, ctx.cfg.version())
            )),
        );
    }
}

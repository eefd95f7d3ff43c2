use super::Context;
use super::credential_values::{is_secret_flag, written_text};
use crate::config::{EffectiveConfig, Setting, Spelling};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;
use crate::source::SourceKind;

pub static RULE: RuleInfo = RuleInfo {
    id: "secret-whitespace",
    severity: Severity::Error,
    summary: "leading or trailing whitespace, a newline or literal surrounding quotes in a secret (error where Atlantis does not trim)",
    suppressible: true,
    docs: r#"## What it checks
- Secrets (tokens, passwords, webhook secrets) with leading or trailing whitespace or a line
  break. This is an **error** for `gitlab-token`, `gitea-token` and `bitbucket-token`, which
  Atlantis sends exactly as written; a **warning** for `gh-token` and `azuredevops-token`, which
  Atlantis trims, and for the other secrets, which Atlantis keeps as written but which are
  compared, not sent (webhook secrets, passwords).
- Secrets wrapped in literal quotes (`"\"abc\""` in YAML,
  `ATLANTIS_GH_TOKEN="abc"` in a `docker --env-file` file, `--gitlab-user="bot"` in a
  docker-compose exec-form `command:`): the quotes become part of the value. Always an error.
  (Quotes around a value that is not a secret, a user say, are `quoted-value`'s.)

The GitHub App key (`gh-app-key`) is not checked here: whitespace around a PEM block is
harmless, and `github-app-key-invalid` checks the key itself.

## Why it matters
A token created with `echo` (trailing newline) or pasted with a space works in `curl` scripts
that trim, and fails in Atlantis with an authentication error at the first pull request. A
webhook secret with a trailing newline makes every webhook signature check fail.

## Example
```yaml
gitlab-user: atlantis
gitlab-token: |
  glpat-Xk3vB9mQ2rT7wY5zL1nP
```

## Fix
Remove the whitespace or quotes: in YAML use a plain or quoted scalar, not a `|` block; create
Kubernetes secrets with `printf '%s'` or `kubectl create secret --from-literal`; write env files
as `NAME=value` without quotes.
"#,
};

/// Tokens that Atlantis sends exactly as written.
const UNTRIMMED_TOKENS: &[flags::FlagId] = &[
    flags::GITLAB_TOKEN,
    flags::GITEA_TOKEN,
    flags::BITBUCKET_TOKEN,
];
/// Tokens that Atlantis trims before use.
const TRIMMED_TOKENS: &[flags::FlagId] = &[flags::GH_TOKEN, flags::AZUREDEVOPS_TOKEN];

fn whitespace_problem(v: &str) -> Option<&'static str> {
    let inner = v.trim();
    if inner.is_empty() {
        return None;
    }
    if inner.contains(['\n', '\r']) {
        Some("contains a line break")
    } else if v.ends_with(['\n', '\r']) {
        Some("ends with a newline")
    } else if v.len() != v.trim_start().len() && v.len() != v.trim_end().len() {
        Some("starts and ends with whitespace")
    } else if v.len() != v.trim_start().len() {
        Some("starts with whitespace")
    } else if v.len() != v.trim_end().len() {
        Some("ends with whitespace")
    } else {
        None
    }
}

pub(crate) fn quoted(v: &str) -> bool {
    let b = v.trim().as_bytes();
    b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0]
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    for (name, _) in cfg.resolutions() {
        let secret = is_secret_flag(name);
        if !secret || name == flags::GH_APP_KEY {
            continue;
        }
        let Some(setting) = flags::lookup(name).and_then(|f| cfg.winner(f)) else {
            continue;
        };
        let Some(text) = written_text(setting) else {
            continue;
        };
        let v = text.as_str();
        if quoted(v) {
            let help = quote_help(cfg, setting);
            out.push(
                Finding::new(
                    &RULE,
                    setting.origin.value(),
                    format!("{name} is wrapped in literal quotes, which become part of the secret"),
                )
                .key(name)
                .label("quotes are part of the value")
                .help(help),
            );
            continue;
        }
        let Some(problem) = whitespace_problem(v) else {
            continue;
        };
        let (severity, consequence) = if UNTRIMMED_TOKENS.iter().any(|t| *t == name) {
            (
                Severity::Error,
                "Atlantis sends the token as written, so the host rejects it",
            )
        } else if TRIMMED_TOKENS.iter().any(|t| *t == name) {
            (
                Severity::Warning,
                "Atlantis trims this token, but other tools reading the same secret may not",
            )
        } else {
            (
                Severity::Warning,
                "Atlantis keeps it as written, so it will not match the value entered elsewhere",
            )
        };
        out.push(
            Finding::new(
                &RULE,
                setting.origin.value(),
                format!("{name} {problem}: {consequence}"),
            )
            .severity(severity)
            .key(name)
            .label("whitespace in the secret")
            .help("remove the whitespace (create secrets with `printf '%s'`, not `echo`; in YAML do not use a `|` block)"),
        );
    }
}

/// How to write the value without its quotes, for the channel it came through.
pub(crate) fn quote_help(cfg: &EffectiveConfig, setting: &Setting) -> &'static str {
    let env_file = cfg.sources.get(setting.origin.source).kind == SourceKind::EnvFile;
    match setting.origin.spelling {
        Spelling::EnvVar { .. } if env_file => {
            "docker --env-file keeps quotes: write NAME=value without them"
        }
        Spelling::Flag { .. } => {
            "an exec-form command (a YAML list) passes quotes through: write --flag=value without them"
        }
        Spelling::EnvVar { .. } => "set the variable without the quotes",
        Spelling::ConfigKey | Spelling::FormKey { .. } | Spelling::Assumed { .. } => {
            "remove the inner quotes"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems() {
        assert_eq!(whitespace_problem("abc\n"), Some("ends with a newline"));
        assert_eq!(whitespace_problem(" abc"), Some("starts with whitespace"));
        assert_eq!(whitespace_problem("ab\ncd"), Some("contains a line break"));
        assert_eq!(whitespace_problem("abc"), None);
        assert!(quoted("\"abc\""));
        assert!(quoted("'abc'"));
        assert!(!quoted("\"abc'"));
        assert!(!quoted("\""));
    }
}

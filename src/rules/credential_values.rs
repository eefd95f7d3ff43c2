//! Facts about credential values shared by the secret rules (not a rule itself): which flags
//! hold users and tokens, and the text a setting was written with.

use crate::config::{RawValue, Setting};
use crate::flags::{self, Secrecy};
use crate::secret::Text;
use crate::version::Version;

/// True for flags that name the account a token belongs to.
pub fn is_account_flag(name: &str) -> bool {
    flags::lookup(name).is_some_and(|f| f.names_account)
}

/// The text a setting was written with (before any YAML retyping), if it is a single value.
pub fn written_text(s: &Setting) -> Option<&Text> {
    match &s.value {
        RawValue::Text(t) | RawValue::Scalar { text: t, .. } => Some(t),
        _ => None,
    }
}

/// True for flags whose value is itself a secret (a token, password, key or webhook secret).
pub fn is_secret_flag(name: &str) -> bool {
    flags::lookup(name).is_some_and(|f| f.secrecy == Secrecy::Value)
}

/// The `*-file` flag that can hold this secret instead, when Atlantis `version` has one
/// (`gh-token-file` from v0.31.0 on).
pub fn file_variant(name: &str, version: Version) -> Option<&'static str> {
    flags::lookup(format!("{name}-file"))
        .filter(|f| f.is_current() && flags::present_in(f.name, version))
        .map(|f| f.name)
}

/// How to pass a secret without writing it where it shows: its env var, or its `*-file` flag
/// when Atlantis `version` has one.
pub fn safer_channel(name: &str, version: Version) -> String {
    match file_variant(name, version) {
        Some(file) => format!(
            "set {} from a secret store, or use {file}",
            flags::env_name(name)
        ),
        None => format!("set {} from a secret store", flags::env_name(name)),
    }
}

#[cfg(test)]
mod tests {
    use crate::input::{Input, NamedBytes, Request, load};
    use crate::rules::{Options, run};

    /// Every secret below holds the marker; no rule may put it in a message, label or help.
    const MARK: &str = "Qz7Vx";

    fn secrets() -> Vec<String> {
        vec![
            format!("ghp_{MARK}AtlantisLintFakeFixture0001"),
            format!("ghp_{MARK}AtlantisLintFakeFixture000001ABCDEF"),
            format!("glpat-{MARK}k3vB9mQ2rT7wY5z"),
            format!("\"{MARK}quoted\""),
            format!(" {MARK}spaced\n"),
            format!("${MARK}Var"),
            format!("${{{MARK}}}"),
            format!("-----BEGIN RSA PRIVATE KEY-----\\n{MARK}\\n-----END RSA PRIVATE KEY-----"),
            format!("-----BEGIN PRIVATE KEY-----\n{MARK}AAAA\n-----END PRIVATE KEY-----\n"),
            format!("1e3{MARK}"),
        ]
    }

    fn assert_quiet(request: &Request) {
        let cfg = load(request);
        for f in run(&cfg, &Options::default()) {
            let texts = [
                Some(f.message.clone()),
                f.help.clone(),
                f.label.clone(),
                f.suggestion.clone(),
            ];
            for t in texts
                .into_iter()
                .flatten()
                .chain(f.related.iter().map(|r| r.text.clone()))
            {
                assert!(!t.contains(MARK), "{} leaked a secret: {t}", f.rule.id);
            }
        }
    }

    #[test]
    fn no_rule_prints_a_secret() {
        let flags = [
            "gh-token",
            "gitlab-token",
            "bitbucket-token",
            "gh-app-key",
            "gh-webhook-secret",
            "azuredevops-token",
            "gitea-token",
        ];
        for secret in secrets() {
            for flag in flags {
                let env_name = crate::flags::env_name(flag);
                let yaml = format!("{flag}: {}\n", serde_json::to_string(&secret).unwrap());
                let unquoted = format!("{flag}: {}\n", secret.replace('\n', " "));
                for text in [yaml, unquoted] {
                    assert_quiet(&Request::for_file(NamedBytes {
                        name: "atlantis.yaml".into(),
                        bytes: text.into_bytes(),
                    }));
                }
                assert_quiet(
                    &Request::default().with(Input::Env(vec![(env_name.clone(), secret.clone())])),
                );
                assert_quiet(&Request::default().with(Input::EnvFile(NamedBytes {
                    name: "x.env".into(),
                    bytes: format!("{env_name}={}\n", secret.replace('\n', "")).into_bytes(),
                })));
                // (A stray word starting with `--` is read as a flag: unknown-key's business.)
                let stray = if secret.starts_with('-') {
                    "false".to_string()
                } else {
                    secret.clone()
                };
                assert_quiet(&Request::default().with(Input::Argv(vec![
                    "server".into(),
                    format!("--{flag}"),
                    secret.clone(),
                    "--write-git-creds".into(),
                    stray,
                ])));
            }
        }
    }
}

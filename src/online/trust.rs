//! The exfiltration guard: which hosts may receive a credential.
//!
//! A CI job that runs `--online` on a pull request's configuration must not send the CI's own
//! token to a host the pull request chose (`gh-hostname: evil.example` next to a token from the
//! environment). A credential goes only to:
//! - a public Git host (github.com, gitlab.com, bitbucket.org, dev.azure.com, their API hosts),
//!   or Atlantis's default host when nothing names one;
//! - a host allowed explicitly (`--online-host HOST`, or [`Options::allowed_hosts`] filled from
//!   the settings file);
//! - a host named by the same source that holds the credential: whoever wrote the token there
//!   already has it. A credential read from a file (`gh-token-file`) is the file's, not the
//!   naming source's: only the process environment (the CI job's own) is trusted to name both
//!   the file and the host.
//!
//! Pure: no network. [`Options::allowed_hosts`]: super::Options::allowed_hosts

use super::target::{Target, strip_port};
use crate::config::{EffectiveConfig, Spelling};
use crate::source::SourceKind;

/// Hosts that only ever belong to their Git product: sending a credential there cannot leak it
/// to a third party.
pub const PUBLIC_HOSTS: &[&str] = &[
    "github.com",
    "api.github.com",
    "gitlab.com",
    "bitbucket.org",
    "api.bitbucket.org",
    "dev.azure.com",
    "vsaex.dev.azure.com",
];

/// Why a target's credential is not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untrusted {
    /// `host[:port]` that would have received the credential.
    pub host: String,
    /// Where the host name and the credential come from, in the user's words.
    pub reason: String,
}

/// `host[:port]` of a URL, lower-cased, the port only when not the scheme's default.
pub fn authority(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let a = rest[..end]
        .rsplit_once('@')
        .map_or(&rest[..end], |(_, h)| h);
    let a = a.to_ascii_lowercase();
    let https = url.starts_with("https://");
    match a.rsplit_once(':') {
        Some((h, "443")) if https => h.to_string(),
        Some((h, "80")) if !https => h.to_string(),
        _ => a,
    }
}

/// True when `host[:port]` matches an `--online-host` entry: `HOST` allows every port,
/// `HOST:PORT` that port only.
pub fn allowed(host: &str, allowed: &[String]) -> bool {
    allowed.iter().any(|a| {
        let a = a.trim().trim_end_matches('/').to_ascii_lowercase();
        let a = a.split_once("://").map_or(a.as_str(), |(_, r)| r);
        a == host || (!a.contains(':') && a == strip_port(host))
    })
}

fn public(host: &str) -> bool {
    PUBLIC_HOSTS.contains(&host)
}

/// How a setting's source is named in messages.
fn source_words(cfg: &EffectiveConfig, flag: crate::flags::FlagId) -> String {
    let Some(s) = cfg.winner(flag) else {
        return "Atlantis's default".into();
    };
    let source = cfg.sources.get(s.origin.source);
    if source.kind == SourceKind::Env {
        return format!("the environment ({})", s.origin.spelling.spell(flag.name()));
    }
    let name = &source.name;
    match &s.origin.spelling {
        Spelling::ConfigKey => format!("the file {name}"),
        Spelling::EnvVar { name: var } => format!("{var} in {name}"),
        Spelling::Flag { flag, .. } => format!("{flag} in {name}"),
        Spelling::FormKey { path } => format!("{path} in {name}"),
        Spelling::Assumed { .. } => "--assume-set".into(),
    }
}

/// True for the process environment: the CI job's own, which a pull request cannot change.
fn from_environment(cfg: &EffectiveConfig, flag: crate::flags::FlagId) -> bool {
    cfg.winner(flag)
        .is_some_and(|s| cfg.sources.get(s.origin.source).kind == SourceKind::Env)
}

/// Whether `target`'s credential may go to every host its probe would contact.
pub fn check(cfg: &EffectiveConfig, target: &Target, allow: &[String]) -> Result<(), Untrusted> {
    let host_flag = super::target::host_flag(target.kind);
    for url in target.hosts() {
        let host = authority(url);
        if public(&host) || allowed(&host, allow) {
            continue;
        }
        let Some(named) = cfg.winner(host_flag) else {
            // Atlantis's own default (gitea.com): nobody chose it.
            continue;
        };
        let Some(cred) = cfg.winner(target.key) else {
            continue;
        };
        let same_source = named.origin.source == cred.origin.source;
        let from_file = target.key.name().ends_with("-file");
        let trusted = if from_file {
            same_source && from_environment(cfg, target.key)
        } else {
            same_source
        };
        if trusted {
            continue;
        }
        let credential = if from_file {
            format!(
                "the credential from the file that {} names in {} (only the environment is trusted to name both a credential file and its host)",
                target.key,
                source_words(cfg, target.key)
            )
        } else {
            format!("the credential from {}", source_words(cfg, target.key))
        };
        return Err(Untrusted {
            reason: format!(
                "{host_flag} comes from {}, {credential}; a configuration under review (a pull request) could have chosen the host to collect the credential",
                source_words(cfg, host_flag)
            ),
            host,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_and_allowlist() {
        assert_eq!(authority("https://API.github.com/user"), "api.github.com");
        assert_eq!(authority("https://ghe.corp:443/api/v3/"), "ghe.corp");
        assert_eq!(authority("https://ado.corp:8080/"), "ado.corp:8080");
        assert_eq!(authority("http://x:80/"), "x");
        let allow = vec!["ghe.corp".to_string(), "ado.corp:8443".to_string()];
        assert!(allowed("ghe.corp", &allow));
        assert!(allowed("ghe.corp:8443", &allow));
        assert!(allowed("ado.corp:8443", &allow));
        assert!(!allowed("ado.corp:8080", &allow));
        assert!(!allowed("evil.example", &allow));
        assert!(!allowed("ghe.corp.evil.example", &allow));
    }
}

//! What several host rules need to know about a configuration: which Git hosts it configures,
//! where their repositories live, and where one entry of a comma-separated list was written.
//! Not a rule itself.

use crate::config::{EffectiveConfig, Location, RawValue, Setting};
use crate::flags;
use crate::source::Span;
use std::ops::Range;

pub use crate::hosts::{
    BITBUCKET_CLOUD_API, any_host_configured, bitbucket_cloud, github_configured,
};

/// The host name of a URL or `host[:port][/path]` value, lower-cased, without scheme, user,
/// port or path.
pub fn host_of(value: &str) -> String {
    let rest = value.trim();
    let rest = rest.split_once("://").map_or(rest, |(_, r)| r);
    let rest = rest.split(['/', '?', '#']).next().unwrap_or("");
    let rest = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let host = if rest.starts_with('[') {
        rest.split_once(']')
            .map_or(rest, |(h, _)| h)
            .trim_start_matches('[')
    } else {
        rest.split(':').next().unwrap_or("")
    };
    host.to_ascii_lowercase()
}

/// True for loopback hosts, where a token over plain HTTP never leaves the machine.
pub fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.starts_with("127.") || host == "::1"
}

/// Where repositories of a configured host live, as `repo-allowlist` entries name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoHost {
    /// The host family, as users call it (`GitLab`).
    pub family: &'static str,
    /// The setting that configures it (`gitlab-user`).
    pub selector: flags::FlagId,
    /// Host names of repository URLs; an allowlist entry matching any of them covers the host.
    pub names: Vec<String>,
}

/// Every configured Git host with the host names its repositories have.
pub fn repo_hosts(cfg: &EffectiveConfig) -> Vec<RepoHost> {
    let mut out = Vec::new();
    let str_host = |flag: flags::FlagId| cfg.str(flag).map(host_of).unwrap_or_default();
    if cfg.is_set(flags::GH_USER) || cfg.is_set(flags::GH_APP_ID) {
        let selector = if cfg.is_set(flags::GH_USER) {
            flags::GH_USER
        } else {
            flags::GH_APP_ID
        };
        out.push(RepoHost {
            family: "GitHub",
            selector,
            names: vec![str_host(flags::GH_HOSTNAME)],
        });
    }
    if cfg.is_set(flags::GITLAB_USER) {
        out.push(RepoHost {
            family: "GitLab",
            selector: flags::GITLAB_USER,
            names: vec![str_host(flags::GITLAB_HOSTNAME)],
        });
    }
    if cfg.is_set(flags::GITEA_USER) {
        out.push(RepoHost {
            family: "Gitea",
            selector: flags::GITEA_USER,
            names: vec![str_host(flags::GITEA_BASE_URL)],
        });
    }
    if cfg.is_set(flags::BITBUCKET_USER) {
        let base = str_host(flags::BITBUCKET_BASE_URL);
        // A bitbucket.org base URL other than the API URL is `bitbucket-cloud-base-url`'s finding;
        // the repositories still live on bitbucket.org.
        let name = if bitbucket_cloud(cfg)
            || base == "bitbucket.org"
            || base.ends_with(".bitbucket.org")
        {
            "bitbucket.org".to_string()
        } else {
            base
        };
        out.push(RepoHost {
            family: if bitbucket_cloud(cfg) {
                "Bitbucket Cloud"
            } else {
                "Bitbucket Server"
            },
            selector: flags::BITBUCKET_USER,
            names: vec![name],
        });
    }
    if cfg.is_set(flags::AZUREDEVOPS_USER) {
        let host = str_host(flags::AZUREDEVOPS_HOSTNAME);
        let mut names = vec![host.clone()];
        if host == "dev.azure.com" {
            // Older organisations' repositories are reached as {org}.visualstudio.com.
            names.push("*.visualstudio.com".to_string());
        }
        out.push(RepoHost {
            family: "Azure DevOps",
            selector: flags::AZUREDEVOPS_USER,
            names,
        });
    }
    out.retain(|h| h.names.iter().any(|n| !n.is_empty()));
    out
}

/// Glob matching with `*` for any run of characters (Atlantis's allowlist wildcard).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == t[ti]) && p[pi] != '*' {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The entries of a comma-separated list with their byte ranges in the value, untrimmed.
pub fn split_list(value: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for part in value.split(',') {
        out.push((start..start + part.len(), part));
        start += part.len() + 1;
    }
    out
}

/// The location of `range` (bytes of the decoded value) inside a setting's written value, when
/// the value was written verbatim (plain or simply quoted); otherwise the whole value.
pub fn value_part(setting: &Setting, text: &str, range: Range<usize>) -> Location {
    let whole = setting.origin.value();
    let Some(value) = (match &setting.value {
        RawValue::Scalar { text, .. } | RawValue::Text(text) => Some(text.as_str()),
        _ => None,
    }) else {
        return whole;
    };
    let span = setting.origin.value_span;
    let Some(written) = text.get(span.start..span.end) else {
        return whole;
    };
    let offset = if written == value {
        0
    } else if written.len() == value.len() + 2 && &written[1..written.len() - 1] == value {
        1
    } else {
        return whole;
    };
    let start = span.start + offset + range.start;
    let end = span.start + offset + range.end.max(range.start);
    setting.origin.at(Span::new(start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(host_of("https://Bitbucket.org/"), "bitbucket.org");
        assert_eq!(
            host_of("https://user@git.example.com:7990/bb"),
            "git.example.com"
        );
        assert_eq!(host_of("gitlab.example.com"), "gitlab.example.com");
        assert_eq!(host_of("[::1]:8080"), "::1");
    }

    #[test]
    fn globs() {
        assert!(glob_match("github.com", "github.com"));
        assert!(glob_match("*", "github.com"));
        assert!(glob_match("*.visualstudio.com", "acme.visualstudio.com"));
        assert!(glob_match("gitlab.*", "gitlab.example.com"));
        assert!(!glob_match("github.com", "gitlab.com"));
    }

    #[test]
    fn lists() {
        let parts = split_list("a/*, b/*,");
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[1], (4..8, " b/*"));
        assert_eq!(parts[2], (9..9, ""));
    }
}

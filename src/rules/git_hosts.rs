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
    /// False when the repositories' host cannot be known from the configuration: Gitea names
    /// repositories after the host of the webhook's clone URL (its `ROOT_URL`), which need not
    /// be the host of `gitea-base-url` (an internal API address, say).
    pub host_known: bool,
    /// How many `/`-separated parts a repository's full name has (`owner/repo`: 2).
    pub depth: Depth,
}

/// The number of parts of a repository's full name on a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    Exactly(usize),
    /// GitLab's nested groups.
    AtLeast(usize),
}

impl RepoHost {
    /// True when a repository of this host can be named `name` (no wildcard).
    fn host_matches(&self, host: &str) -> bool {
        !self.host_known
            || self.names.iter().any(|n| match n.strip_prefix('*') {
                Some(suffix) => host.ends_with(suffix),
                None => n == host,
            })
    }

    /// True when some host name of this host starts with `prefix`.
    fn host_starts_with(&self, prefix: &str) -> bool {
        !self.host_known
            || self
                .names
                .iter()
                .any(|n| n.starts_with('*') || n.starts_with(prefix))
    }
}

/// Why a `repo-allowlist` entry can never match a repository of the configured hosts, as
/// `RepoAllowlistChecker.matchesRule` compares: lower-cased, the first `*` matching any run of
/// characters (across `/` too), everything after it compared literally with the end of
/// `host/owner/repo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NeverMatches {
    /// No host part at all (`acme`, `terraform-infra`).
    NoHost,
    /// A host alone (`github.com`).
    HostOnly,
    /// `host/owner` without the repository (`github.com/acme`).
    OwnerOnly { host: String },
    /// A second `*`, which Atlantis compares literally.
    SecondWildcard,
    /// Names a host none of the configured Git hosts has.
    OtherHost,
}

/// `None` when `entry` (not negated, as written) may match a repository of one of `hosts`.
pub fn never_matches(entry: &str, hosts: &[RepoHost]) -> Option<NeverMatches> {
    let rule = entry.to_lowercase();
    if let Some(star) = rule.find('*') {
        if rule[star + 1..].contains('*') {
            return Some(NeverMatches::SecondWildcard);
        }
        let prefix = &rule[..star];
        let ok = match prefix.split_once('/') {
            Some((host, _)) => hosts.iter().any(|h| h.host_matches(host)),
            None => hosts.iter().any(|h| h.host_starts_with(prefix)),
        };
        return (!ok).then(|| {
            if prefix.contains('/') || prefix.contains('.') {
                NeverMatches::OtherHost
            } else {
                NeverMatches::NoHost
            }
        });
    }
    let parts: Vec<&str> = rule.split('/').collect();
    if parts.len() == 1 {
        return Some(
            if hosts
                .iter()
                .any(|h| h.host_known && h.host_matches(parts[0]))
            {
                NeverMatches::HostOnly
            } else {
                NeverMatches::NoHost
            },
        );
    }
    let mut host_seen = false;
    for h in hosts.iter().filter(|h| h.host_matches(parts[0])) {
        host_seen = true;
        let fits = match h.depth {
            Depth::Exactly(n) => parts.len() == n + 1,
            Depth::AtLeast(n) => parts.len() > n,
        };
        if fits || parts.len() > 3 {
            // Deeper paths are `repo-allowlist-entry`'s "path inside a repository".
            return None;
        }
    }
    Some(match (host_seen, parts.len()) {
        (true, 2) => NeverMatches::OwnerOnly {
            host: parts[0].to_string(),
        },
        (false, _)
            if !parts[0].contains('.') && !parts[0].contains(':') && parts[0] != "localhost" =>
        {
            NeverMatches::NoHost
        }
        _ => NeverMatches::OtherHost,
    })
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
            host_known: true,
            depth: Depth::Exactly(2),
        });
    }
    if cfg.is_set(flags::GITLAB_USER) {
        out.push(RepoHost {
            family: "GitLab",
            selector: flags::GITLAB_USER,
            names: vec![str_host(flags::GITLAB_HOSTNAME)],
            host_known: true,
            depth: Depth::AtLeast(2),
        });
    }
    if cfg.is_set(flags::GITEA_USER) {
        out.push(RepoHost {
            family: "Gitea",
            selector: flags::GITEA_USER,
            names: vec![str_host(flags::GITEA_BASE_URL)],
            // `ParseGiteaRepo`: the host comes from the webhook's clone URL.
            host_known: false,
            depth: Depth::Exactly(2),
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
            host_known: true,
            depth: Depth::Exactly(2),
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
            host_known: true,
            depth: Depth::Exactly(3),
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
    value_parts(setting, text)(range)
}

/// [`value_part`] for many ranges of one value: the written value is compared once, so a list
/// of thousands of entries stays linear.
pub fn value_parts<'a>(setting: &'a Setting, text: &str) -> impl Fn(Range<usize>) -> Location + 'a {
    let span = setting.origin.value_span;
    let value = match &setting.value {
        RawValue::Scalar { text, .. } | RawValue::Text(text) => Some(text.as_str()),
        _ => None,
    };
    let offset = value.and_then(|value| {
        let written = text.get(span.start..span.end)?;
        if written == value {
            Some(0)
        } else if written.len() == value.len() + 2
            && written.get(1..written.len() - 1) == Some(value)
        {
            Some(1)
        } else {
            None
        }
    });
    move |range: Range<usize>| match offset {
        None => setting.origin.value(),
        Some(offset) => {
            let start = span.start + offset + range.start;
            let end = span.start + offset + range.end.max(range.start);
            setting.origin.at(Span::new(start, end))
        }
    }
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

    fn github() -> RepoHost {
        RepoHost {
            family: "GitHub",
            selector: flags::GH_USER,
            names: vec!["github.com".into()],
            host_known: true,
            depth: Depth::Exactly(2),
        }
    }

    #[test]
    fn entries_that_never_match() {
        let hosts = [github()];
        for ok in [
            "github.com/acme/*",
            "github.com/acme/infra",
            "*",
            "github.com/*",
            "git*",
            "GitHub.com/Acme/Infra",
            "*/infra",
            "github.com/acme/infra/modules",
        ] {
            assert_eq!(never_matches(ok, &hosts), None, "{ok}");
        }
        assert_eq!(never_matches("acme", &hosts), Some(NeverMatches::NoHost));
        assert_eq!(
            never_matches("terraform-*", &hosts),
            Some(NeverMatches::NoHost)
        );
        assert_eq!(
            never_matches("acme/infra", &hosts),
            Some(NeverMatches::NoHost)
        );
        assert_eq!(
            never_matches("github.com/acme", &hosts),
            Some(NeverMatches::OwnerOnly {
                host: "github.com".into()
            })
        );
        assert_eq!(
            never_matches("github.com/*/*", &hosts),
            Some(NeverMatches::SecondWildcard)
        );
        assert_eq!(
            never_matches("gitlab.com/acme/*", &hosts),
            Some(NeverMatches::OtherHost)
        );
        let gitea = RepoHost {
            family: "Gitea",
            selector: flags::GITEA_USER,
            names: vec!["gitea-http.gitea.svc".into()],
            host_known: false,
            depth: Depth::Exactly(2),
        };
        assert_eq!(
            never_matches("git.example.com/infra/*", std::slice::from_ref(&gitea)),
            None
        );
        assert_eq!(never_matches("infra", &[gitea]), Some(NeverMatches::NoHost));
        let gitlab = RepoHost {
            family: "GitLab",
            selector: flags::GITLAB_USER,
            names: vec!["gitlab.com".into()],
            host_known: true,
            depth: Depth::AtLeast(2),
        };
        assert_eq!(
            never_matches("gitlab.com/a/b/c", std::slice::from_ref(&gitlab)),
            None
        );
        assert!(never_matches("gitlab.com/a", &[gitlab]).is_some());
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

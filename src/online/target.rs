//! Which hosts a configuration makes Atlantis talk to, and the API base URL Atlantis derives for
//! each (host-apis.md 1.1, server-config.md 2.6). Pure functions: no network.

use crate::config::EffectiveConfig;
use crate::flags;
use crate::hosts::{self, BITBUCKET_CLOUD_API};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    GitHubUser,
    GitHubApp,
    GitLab,
    Gitea,
    BitbucketCloud,
    BitbucketServer,
    AzureDevOps,
}

/// One credential to probe on one host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: Kind,
    /// The API base URL Atlantis uses, ending in `/`.
    pub api: String,
    /// The flag holding the credential: findings point at its key.
    pub key: flags::FlagId,
    /// A flag this target depends on whose value is set at runtime and unknown to the linter
    /// (a Secret not in the input, `--assume-set`): the host is then not probed.
    pub unknown: Option<flags::FlagId>,
}

impl Target {
    /// The base URLs this target's probe may request: its API, plus Azure DevOps's fixed
    /// entitlement host when the API is `dev.azure.com`.
    pub fn hosts(&self) -> Vec<&str> {
        let mut out = vec![self.api.as_str()];
        if self.kind == Kind::AzureDevOps && self.api == ADO_CLOUD {
            out.push(ADO_ENTITLEMENTS);
        }
        out
    }

    /// A short name for messages: `GitHub (api.github.com)`.
    pub fn name(&self) -> String {
        let product = match self.kind {
            Kind::GitHubUser => "GitHub",
            Kind::GitHubApp => "GitHub (App)",
            Kind::GitLab => "GitLab",
            Kind::Gitea => "Gitea",
            Kind::BitbucketCloud => "Bitbucket Cloud",
            Kind::BitbucketServer => "Bitbucket Server",
            Kind::AzureDevOps => "Azure DevOps",
        };
        format!("{product} at {}", origin(&self.api))
    }
}

/// `scheme://host[:port]` of a URL (no path, no query).
pub fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    // Never show userinfo.
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    format!("{scheme}://{authority}")
}

/// `host` without a trailing `:port`.
pub fn strip_port(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    }
}

fn ghe_cloud_host(hostname: &str) -> Option<String> {
    let h = strip_port(hostname).to_ascii_lowercase();
    let h = h.strip_prefix("api.").unwrap_or(&h).to_string();
    h.ends_with(".ghe.com").then_some(h)
}

/// Atlantis's `resolveGithubAPIURL`.
pub fn github_api(hostname: &str) -> String {
    if strip_port(hostname) == "github.com" {
        "https://api.github.com/".into()
    } else if let Some(tenant) = ghe_cloud_host(hostname) {
        format!("https://api.{tenant}/")
    } else {
        format!("https://{hostname}/api/v3/")
    }
}

/// The web UI of a GitHub host (for "grant it at ..." help).
pub fn github_web(hostname: &str) -> String {
    if strip_port(hostname) == "github.com" {
        "https://github.com".into()
    } else if let Some(tenant) = ghe_cloud_host(hostname) {
        format!("https://{tenant}")
    } else {
        format!("https://{hostname}")
    }
}

/// Atlantis's GitLab client base: `gitlab.com` is go-gitlab's default; anything else gets
/// `https://` when it has no scheme, keeps a path prefix, and gets `/api/v4/`.
pub fn gitlab_api(hostname: &str) -> String {
    if hostname == "gitlab.com" {
        return "https://gitlab.com/api/v4/".into();
    }
    let url = if hostname.starts_with("http://") || hostname.starts_with("https://") {
        hostname.to_string()
    } else {
        format!("https://{hostname}")
    };
    let url = url.trim_end_matches('/');
    if url.ends_with("/api/v4") {
        format!("{url}/")
    } else {
        format!("{url}/api/v4/")
    }
}

/// The GitLab web UI (for "grant it at ..." help).
pub fn gitlab_web(api: &str) -> String {
    api.trim_end_matches('/')
        .trim_end_matches("/api/v4")
        .to_string()
}

/// The Gitea SDK's base: `gitea-base-url` verbatim (trailing `/` trimmed) plus `/api/v1/`.
pub fn gitea_api(base: &str) -> String {
    format!("{}/api/v1/", base.trim_end_matches('/'))
}

/// The Azure DevOps Services API.
pub const ADO_CLOUD: &str = "https://dev.azure.com/";
/// Where Azure DevOps Services answers user-entitlement queries (Atlantis's merge looks the
/// user up there).
pub const ADO_ENTITLEMENTS: &str = "https://vsaex.dev.azure.com/";

/// Azure DevOps: `dev.azure.com` or `https://<hostname>/`.
pub fn ado_base(hostname: &str) -> String {
    format!("https://{hostname}/")
}

/// Repositories the repo-allowlist names on `host` without wildcards (`owner/repo` or
/// `group/sub/project`), in order, at most `max`. Negated entries are skipped.
pub fn concrete_repos(cfg: &EffectiveConfig, host: &str, max: usize) -> Vec<String> {
    let Some(allow) = cfg.str(flags::REPO_ALLOWLIST) else {
        return Vec::new();
    };
    let host = strip_port(host).to_ascii_lowercase();
    let mut out = Vec::new();
    for entry in allow.split(',') {
        if entry.starts_with('!') || entry.contains(['*', '?']) {
            continue;
        }
        let Some((h, path)) = entry.split_once('/') else {
            continue;
        };
        if strip_port(h).to_ascii_lowercase() != host || path.split('/').count() < 2 {
            continue;
        }
        if path.split('/').any(str::is_empty) || out.iter().any(|p| p == path) {
            continue;
        }
        out.push(path.to_string());
        if out.len() == max {
            break;
        }
    }
    out
}

/// Percent-encodes everything but unreserved characters (RFC 3986), `/` included.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn set(cfg: &EffectiveConfig, flag: flags::FlagId) -> bool {
    cfg.is_set(flag)
}

/// The credential (in [`hosts::CREDENTIALS`]) a target probes.
fn credential(kind: Kind) -> &'static hosts::Credential {
    let selector = match kind {
        Kind::GitHubUser => flags::GH_USER,
        Kind::GitHubApp => flags::GH_APP_ID,
        Kind::GitLab => flags::GITLAB_USER,
        Kind::Gitea => flags::GITEA_USER,
        Kind::BitbucketCloud | Kind::BitbucketServer => flags::BITBUCKET_USER,
        Kind::AzureDevOps => flags::AZUREDEVOPS_USER,
    };
    hosts::CREDENTIALS
        .iter()
        .find(|c| c.selector == selector)
        .expect("every kind of target is a credential of the host table")
}

/// The flag that names the host a target's credential goes to (its default is Atlantis's).
pub fn host_flag(kind: Kind) -> flags::FlagId {
    credential(kind).address
}

/// The credentials the configuration makes Atlantis use, one per host, in a fixed order.
/// Incomplete pairs are left out: the offline rules report them.
pub fn targets(cfg: &EffectiveConfig) -> Vec<Target> {
    let mut out = Vec::new();
    let gh_host = cfg
        .str(flags::GH_HOSTNAME)
        .unwrap_or(hosts::GITHUB_HOSTNAME);
    if set(cfg, flags::GH_USER) {
        // A non-empty gh-user selects token auth, even when gh-app-id is set too.
        let key = if set(cfg, flags::GH_TOKEN) {
            Some(flags::GH_TOKEN)
        } else if set(cfg, flags::GH_TOKEN_FILE) {
            Some(flags::GH_TOKEN_FILE)
        } else {
            None
        };
        if let Some(key) = key {
            out.push(Target {
                kind: Kind::GitHubUser,
                api: github_api(gh_host),
                key,
                unknown: None,
            });
        }
    } else if cfg.is_set(flags::GH_APP_ID) {
        let key = if set(cfg, flags::GH_APP_KEY) {
            Some(flags::GH_APP_KEY)
        } else if set(cfg, flags::GH_APP_KEY_FILE) {
            Some(flags::GH_APP_KEY_FILE)
        } else {
            None
        };
        if let Some(key) = key {
            out.push(Target {
                kind: Kind::GitHubApp,
                api: github_api(gh_host),
                key,
                unknown: None,
            });
        }
    }
    if set(cfg, flags::GITLAB_USER) && set(cfg, flags::GITLAB_TOKEN) {
        out.push(Target {
            kind: Kind::GitLab,
            api: gitlab_api(
                cfg.str(flags::GITLAB_HOSTNAME)
                    .unwrap_or(hosts::GITLAB_HOSTNAME),
            ),
            key: flags::GITLAB_TOKEN,
            unknown: None,
        });
    }
    if set(cfg, flags::GITEA_TOKEN) && set(cfg, flags::GITEA_USER) {
        out.push(Target {
            kind: Kind::Gitea,
            api: gitea_api(
                cfg.str(flags::GITEA_BASE_URL)
                    .unwrap_or(hosts::GITEA_BASE_URL),
            ),
            key: flags::GITEA_TOKEN,
            unknown: None,
        });
    }
    if set(cfg, flags::BITBUCKET_USER) && set(cfg, flags::BITBUCKET_TOKEN) {
        let base = cfg
            .str(flags::BITBUCKET_BASE_URL)
            .unwrap_or(BITBUCKET_CLOUD_API);
        if base == BITBUCKET_CLOUD_API {
            out.push(Target {
                kind: Kind::BitbucketCloud,
                api: hosts::BITBUCKET_CLOUD_REST.into(),
                key: flags::BITBUCKET_TOKEN,
                unknown: None,
            });
        } else if base.starts_with("http://") || base.starts_with("https://") {
            out.push(Target {
                kind: Kind::BitbucketServer,
                api: format!("{}/rest/api/1.0/", base.trim_end_matches('/')),
                key: flags::BITBUCKET_TOKEN,
                unknown: None,
            });
        }
    }
    if set(cfg, flags::AZUREDEVOPS_USER) && set(cfg, flags::AZUREDEVOPS_TOKEN) {
        out.push(Target {
            kind: Kind::AzureDevOps,
            api: ado_base(
                cfg.str(flags::AZUREDEVOPS_HOSTNAME)
                    .unwrap_or(hosts::AZUREDEVOPS_HOSTNAME),
            ),
            key: flags::AZUREDEVOPS_TOKEN,
            unknown: None,
        });
    }
    for t in &mut out {
        t.unknown = dependencies(t)
            .into_iter()
            .find(|f| cfg.unknown(*f).is_some());
    }
    out
}

/// The flags whose values a target's probe uses: its credential, its user, its host.
fn dependencies(t: &Target) -> Vec<flags::FlagId> {
    let c = credential(t.kind);
    [t.key, c.selector, c.address]
        .into_iter()
        .chain(c.reads.iter().copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_depends_on_its_credential_user_and_host() {
        let deps = |kind, key| {
            dependencies(&Target {
                kind,
                api: String::new(),
                key,
                unknown: None,
            })
        };
        assert_eq!(
            deps(Kind::GitHubApp, flags::GH_APP_KEY_FILE),
            [
                flags::GH_APP_KEY_FILE,
                flags::GH_APP_ID,
                flags::GH_HOSTNAME,
                flags::GH_APP_INSTALLATION_ID
            ]
        );
        assert_eq!(
            deps(Kind::BitbucketServer, flags::BITBUCKET_TOKEN),
            [
                flags::BITBUCKET_TOKEN,
                flags::BITBUCKET_USER,
                flags::BITBUCKET_BASE_URL,
                flags::BITBUCKET_API_USER
            ]
        );
        for kind in [
            Kind::GitHubUser,
            Kind::GitHubApp,
            Kind::GitLab,
            Kind::Gitea,
            Kind::BitbucketCloud,
            Kind::BitbucketServer,
            Kind::AzureDevOps,
        ] {
            let c = credential(kind);
            assert_eq!(host_flag(kind), c.address);
        }
        assert_eq!(host_flag(Kind::Gitea), flags::GITEA_BASE_URL);
    }

    #[test]
    fn github_urls_are_atlantis_s() {
        assert_eq!(github_api("github.com"), "https://api.github.com/");
        assert_eq!(github_api("github.com:443"), "https://api.github.com/");
        assert_eq!(github_api("acme.ghe.com"), "https://api.acme.ghe.com/");
        assert_eq!(
            github_api("API.Acme.GHE.com:443"),
            "https://api.acme.ghe.com/"
        );
        assert_eq!(github_api("ghe.corp"), "https://ghe.corp/api/v3/");
        assert_eq!(github_api("ghe.corp:8443"), "https://ghe.corp:8443/api/v3/");
        // Pasted verbatim, as Atlantis does: the offline rules flag it.
        assert_eq!(
            github_api("https://ghe.corp"),
            "https://https://ghe.corp/api/v3/"
        );
        assert_eq!(github_web("acme.ghe.com"), "https://acme.ghe.com");
    }

    #[test]
    fn gitlab_urls_are_atlantis_s() {
        assert_eq!(gitlab_api("gitlab.com"), "https://gitlab.com/api/v4/");
        assert_eq!(gitlab_api("gitlab.corp"), "https://gitlab.corp/api/v4/");
        assert_eq!(
            gitlab_api("https://corp.example/gitlab/"),
            "https://corp.example/gitlab/api/v4/"
        );
        assert_eq!(
            gitlab_api("http://gitlab.corp"),
            "http://gitlab.corp/api/v4/"
        );
        assert_eq!(
            gitlab_web("https://corp.example/gitlab/api/v4/"),
            "https://corp.example/gitlab"
        );
    }

    fn targets_of(yaml: &str, argv: &[&str]) -> Vec<Target> {
        let request = crate::input::Request::for_file(crate::input::NamedBytes {
            name: "atlantis.yaml".into(),
            bytes: yaml.as_bytes().to_vec(),
        })
        .with(crate::input::Input::Argv(
            argv.iter().map(|s| s.to_string()).collect(),
        ));
        targets(&crate::input::load(&request))
    }

    #[test]
    fn which_hosts_atlantis_would_use() {
        // gh-user wins over gh-app-id; a command-line token beats the file.
        let t = targets_of(
            "gh-user: bot\ngh-app-id: 12\ngh-app-key-file: k.pem\ngh-hostname: ghe.corp\n",
            &["--gh-token-file", "/run/token"],
        );
        assert_eq!(
            t,
            [Target {
                kind: Kind::GitHubUser,
                api: "https://ghe.corp/api/v3/".into(),
                key: flags::GH_TOKEN_FILE,
                unknown: None,
            }]
        );
        // Only exactly https://api.bitbucket.org is Cloud; a trailing slash makes it Server.
        let t = targets_of(
            "bitbucket-user: bot\nbitbucket-token: t0k3n\nbitbucket-base-url: https://api.bitbucket.org/\n",
            &[],
        );
        assert_eq!(t[0].kind, Kind::BitbucketServer);
        assert_eq!(t[0].api, "https://api.bitbucket.org/rest/api/1.0/");
        let t = targets_of("bitbucket-user: bot\nbitbucket-token: t0k3n\n", &[]);
        assert_eq!(t[0].kind, Kind::BitbucketCloud);
        // Incomplete pairs are not probed; defaults fill in the hosts.
        let t = targets_of(
            "gitlab-user: bot\ngitea-user: bot\ngitea-token: abc\nazuredevops-user: u\nazuredevops-token: p\ngh-app-id: 7\ngh-app-key: x\n",
            &[],
        );
        let kinds: Vec<_> = t.iter().map(|t| (t.kind, t.api.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (Kind::GitHubApp, "https://api.github.com/"),
                (Kind::Gitea, "https://gitea.com/api/v1/"),
                (Kind::AzureDevOps, "https://dev.azure.com/"),
            ]
        );
    }

    #[test]
    fn concrete_repositories_of_the_allowlist() {
        let request = crate::input::Request::for_file(crate::input::NamedBytes {
            name: "atlantis.yaml".into(),
            bytes: b"repo-allowlist: github.com/acme/*,!github.com/acme/old,github.com/acme/infra,gitlab.com/g/sub/p,GitHub.com/acme/infra,github.com/x\n".to_vec(),
        });
        let cfg = crate::input::load(&request);
        assert_eq!(concrete_repos(&cfg, "github.com", 3), ["acme/infra"]);
        assert_eq!(concrete_repos(&cfg, "gitlab.com", 3), ["g/sub/p"]);
        assert_eq!(encode("g/sub p"), "g%2Fsub%20p");
    }

    #[test]
    fn origins_never_show_paths_queries_or_userinfo() {
        assert_eq!(
            origin("https://evil.test:8443/login?token=x"),
            "https://evil.test:8443"
        );
        assert_eq!(origin("https://u:p@h.example/x"), "https://h.example");
        assert_eq!(
            gitea_api("https://git.example/"),
            "https://git.example/api/v1/"
        );
    }
}

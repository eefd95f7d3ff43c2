//! The Git hosts Atlantis talks to, in one place: their well-known URLs, the setting that selects
//! each one and the credentials each needs (cmd/server.go `validate()`, server/server.go
//! `NewServer`). Rules, emitters and online probes ask here instead of repeating the facts.

use crate::config::EffectiveConfig;
use crate::flags::{self, FlagId, Host};
use crate::version::Version;

/// The Bitbucket Cloud API URL: the default of `bitbucket-base-url`, and the one value that
/// selects Cloud mode (Atlantis compares the exact string; a trailing `/` means Server).
pub const BITBUCKET_CLOUD_API: &str = "https://api.bitbucket.org";
/// The Bitbucket Cloud REST API root Atlantis's client calls.
pub const BITBUCKET_CLOUD_REST: &str = "https://api.bitbucket.org/2.0/";
/// `gh-hostname`'s default.
pub const GITHUB_HOSTNAME: &str = "github.com";
/// `gitlab-hostname`'s default.
pub const GITLAB_HOSTNAME: &str = "gitlab.com";
/// `gitea-base-url`'s default (applied by `setDefaults`, not shown in `--help`).
pub const GITEA_BASE_URL: &str = "https://gitea.com";
/// `azuredevops-hostname`'s default.
pub const AZUREDEVOPS_HOSTNAME: &str = "dev.azure.com";

/// The release from which Atlantis accepts `bitbucket-webhook-secret` with Bitbucket Cloud
/// (PR #4275); before, `validate()` refused it.
pub const BITBUCKET_CLOUD_WEBHOOK_SECRETS_SINCE: Version = Version::new(0, 33, 0);

/// One way of giving Atlantis a Git host credential: the setting that selects it and the
/// secrets that complete it (any one of them, in Atlantis's order of preference).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credential {
    pub host: Host,
    /// The host family as users call it (`GitHub`, `Bitbucket`).
    pub family: &'static str,
    /// The user (or app id) whose presence selects this host.
    pub selector: FlagId,
    /// The secrets that complete the selector.
    pub secrets: &'static [FlagId],
    /// The flag that names the host the credential goes to (its default is Atlantis's).
    pub address: FlagId,
    /// The other settings Atlantis sends or checks with the credential (an installation id, an
    /// API user): a probe of the credential depends on them too.
    pub reads: &'static [FlagId],
}

/// Every credential pair, in the order of Atlantis's "must be set" error message.
pub const CREDENTIALS: &[Credential] = &[
    Credential {
        host: Host::GitHub,
        family: "GitHub",
        selector: flags::GH_USER,
        secrets: &[flags::GH_TOKEN, flags::GH_TOKEN_FILE],
        address: flags::GH_HOSTNAME,
        reads: &[],
    },
    Credential {
        host: Host::GitHubApp,
        family: "GitHub App",
        selector: flags::GH_APP_ID,
        secrets: &[flags::GH_APP_KEY, flags::GH_APP_KEY_FILE],
        address: flags::GH_HOSTNAME,
        reads: &[flags::GH_APP_INSTALLATION_ID],
    },
    Credential {
        host: Host::Gitea,
        family: "Gitea",
        selector: flags::GITEA_USER,
        secrets: &[flags::GITEA_TOKEN],
        address: flags::GITEA_BASE_URL,
        reads: &[],
    },
    Credential {
        host: Host::GitLab,
        family: "GitLab",
        selector: flags::GITLAB_USER,
        secrets: &[flags::GITLAB_TOKEN],
        address: flags::GITLAB_HOSTNAME,
        reads: &[],
    },
    Credential {
        host: Host::BitbucketCloud,
        family: "Bitbucket",
        selector: flags::BITBUCKET_USER,
        secrets: &[flags::BITBUCKET_TOKEN],
        address: flags::BITBUCKET_BASE_URL,
        reads: &[flags::BITBUCKET_API_USER],
    },
    Credential {
        host: Host::AzureDevOps,
        family: "Azure DevOps",
        selector: flags::AZUREDEVOPS_USER,
        secrets: &[flags::AZUREDEVOPS_TOKEN],
        address: flags::AZUREDEVOPS_HOSTNAME,
        reads: &[],
    },
];

/// The credential pair a secret belongs to (`gh-token-file` -> the GitHub user pair).
pub fn credential_of(secret: FlagId) -> Option<&'static Credential> {
    CREDENTIALS.iter().find(|c| c.secrets.contains(&secret))
}

/// True when the setting that selects this host is set (`gh-app-id` as a non-zero number).
pub fn selected(cfg: &EffectiveConfig, c: &Credential) -> bool {
    if c.selector == flags::GH_APP_ID {
        // A value set at runtime that the linter cannot see counts as set.
        cfg.int(c.selector) != 0 || cfg.unknown(c.selector).is_some()
    } else {
        cfg.is_set(c.selector)
    }
}

/// True when Atlantis runs its Bitbucket client in Cloud mode (the base URL is exactly the default).
pub fn bitbucket_cloud(cfg: &EffectiveConfig) -> bool {
    cfg.str(flags::BITBUCKET_BASE_URL) == Some(BITBUCKET_CLOUD_API)
}

/// True when a GitHub user (PAT) or a GitHub App is configured.
pub fn github_configured(cfg: &EffectiveConfig) -> bool {
    cfg.is_set(flags::GH_USER) || cfg.is_set(flags::GH_APP_ID)
}

/// True when any Git host has its selecting setting (the user, or the GitHub App id).
pub fn any_host_configured(cfg: &EffectiveConfig) -> bool {
    CREDENTIALS.iter().any(|c| selected(cfg, c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_agree_with_the_flag_table() {
        let default = |f: FlagId| f.flag().default_text();
        assert_eq!(
            default(flags::BITBUCKET_BASE_URL).as_deref(),
            Some(BITBUCKET_CLOUD_API)
        );
        assert_eq!(
            default(flags::GH_HOSTNAME).as_deref(),
            Some(GITHUB_HOSTNAME)
        );
        assert_eq!(
            default(flags::GITLAB_HOSTNAME).as_deref(),
            Some(GITLAB_HOSTNAME)
        );
        assert_eq!(
            default(flags::GITEA_BASE_URL).as_deref(),
            Some(GITEA_BASE_URL)
        );
        assert_eq!(
            default(flags::AZUREDEVOPS_HOSTNAME).as_deref(),
            Some(AZUREDEVOPS_HOSTNAME)
        );
        assert!(BITBUCKET_CLOUD_REST.starts_with(BITBUCKET_CLOUD_API));
    }

    #[test]
    fn every_secret_has_one_pair() {
        assert_eq!(
            credential_of(flags::GH_TOKEN_FILE).unwrap().selector,
            flags::GH_USER
        );
        assert_eq!(
            credential_of(flags::GH_APP_KEY).unwrap().selector,
            flags::GH_APP_ID
        );
        assert!(credential_of(flags::GH_USER).is_none());
    }
}

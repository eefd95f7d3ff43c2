//! The online probe (`--online`): ask each configured Git host whether the credential Atlantis
//! would send works and carries what Atlantis needs.
//!
//! Data flows one way, as for the offline rules: the effective configuration -> a list of probe
//! targets (URL derivation and authentication scheme exactly Atlantis's) -> one thread per host,
//! its requests in order, stopping at the first failure -> findings.
//!
//! Safety, by construction: only GET requests (except the opt-in GitHub App deep check, which
//! mints a `metadata: read` installation token and revokes it);
//! every URL is the configured base plus a fixed path; redirects are never followed (reported
//! with the target's origin only); a credential never goes over plain `http://` unless
//! `--online-allow-http`; no credential, JWT or header ever reaches a message: errors of the HTTP
//! library are mapped to our own words, host messages are taken from allowlisted JSON fields and
//! scrubbed.

/// The online rules live in the one rule registry (`crate::rules::online`).
pub use crate::rules::online as rules;
pub mod target;
pub mod trust;

#[cfg(feature = "online")]
mod azuredevops;
#[cfg(feature = "online")]
mod bitbucket_cloud;
#[cfg(feature = "online")]
mod bitbucket_server;
#[cfg(feature = "online")]
mod gitea;
#[cfg(feature = "online")]
mod github;
#[cfg(feature = "online")]
mod github_app;
#[cfg(feature = "online")]
mod gitlab;
#[cfg(feature = "online")]
mod http;
#[cfg(feature = "online")]
mod probe;
#[cfg(feature = "online")]
pub mod progress;
#[cfg(feature = "online")]
mod secrets;
#[cfg(feature = "online")]
mod tls;

use crate::config::EffectiveConfig;
use crate::finding::{Finding, RuleInfo};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

pub use target::{Target, targets};

/// The online rules, for `rules`, `explain` and `--ignore`.
pub fn infos() -> impl Iterator<Item = &'static RuleInfo> {
    rules::ALL.iter().copied()
}

/// Default per-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How the probe reaches the hosts.
#[derive(Debug, Clone)]
pub struct Options {
    /// Per-request timeout; the whole run is bounded by [`Options::budget`].
    pub timeout: Duration,
    /// `probe-indeterminate` becomes an error.
    pub require_online: bool,
    /// Send credentials over plain `http://` too.
    pub allow_http: bool,
    /// Extra trusted roots (PEM), besides the system store.
    pub ca_pem: Vec<Vec<u8>>,
    /// `--connect-to` overrides.
    pub connect_to: Vec<ConnectTo>,
    /// Every secret the probe loads (a `*-file` credential) or builds (a GitHub App JWT) goes
    /// here, so that the report redacts it when a host echoes it back.
    pub secrets: crate::secret::KnownSecrets,
    /// Hosts that may receive a credential whatever source names them (`--online-host`).
    /// Hook: the settings file's list of allowed hosts is appended here by the CLI.
    pub allowed_hosts: Vec<String>,
    /// `--dry-run`: print the requests that would be sent, send nothing.
    pub dry_run: bool,
    /// Show one live progress line per host on standard error (a terminal).
    pub progress: bool,
    /// `--online-app-deep`: also mint a down-scoped GitHub App installation token, list the
    /// repositories it covers, and revoke it (the only non-GET requests).
    pub app_deep: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: DEFAULT_TIMEOUT,
            require_online: false,
            allow_http: false,
            ca_pem: Vec::new(),
            connect_to: Vec::new(),
            secrets: Default::default(),
            allowed_hosts: Vec::new(),
            dry_run: false,
            progress: false,
            app_deep: false,
        }
    }
}

impl Options {
    /// The overall deadline of a run: six request timeouts (60 s by default). A host makes at
    /// most four requests, so a host that answers slowly but within the timeout still finishes.
    pub fn budget(&self) -> Duration {
        self.timeout * 6
    }
}

/// `--connect-to HOST:PORT:ADDR:PORT`: connections to HOST (on PORT, or any port when empty)
/// go to ADDR:PORT instead. TLS and the `Host` header still name HOST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectTo {
    pub host: String,
    pub port: Option<u16>,
    pub to: SocketAddr,
}

impl ConnectTo {
    pub fn parse(s: &str) -> Result<ConnectTo, String> {
        let bad = || {
            format!(
                "--connect-to takes HOST:PORT:ADDR:PORT (ADDR an IP address, [..] for IPv6), not `{s}`"
            )
        };
        let (host, rest) = s.split_once(':').ok_or_else(bad)?;
        let (port, rest) = rest.split_once(':').ok_or_else(bad)?;
        let (addr, to_port) = rest.rsplit_once(':').ok_or_else(bad)?;
        let addr = addr.trim_start_matches('[').trim_end_matches(']');
        let ip: IpAddr = addr.parse().map_err(|_| bad())?;
        let to_port: u16 = to_port.parse().map_err(|_| bad())?;
        let port = if port.is_empty() {
            None
        } else {
            Some(port.parse().map_err(|_| bad())?)
        };
        if host.is_empty() {
            return Err(bad());
        }
        Ok(ConnectTo {
            host: host.to_ascii_lowercase(),
            port,
            to: SocketAddr::new(ip, to_port),
        })
    }
}

/// The hosts that will receive a credential, for the notice printed before probing:
/// `GitHub at https://api.github.com`, plus Azure DevOps's entitlement host when used.
pub fn recipients(cfg: &EffectiveConfig, options: &Options) -> Vec<String> {
    let mut out = Vec::new();
    for t in targets(cfg) {
        if t.unknown.is_some() || trust::check(cfg, &t, &options.allowed_hosts).is_err() {
            continue;
        }
        out.push(t.name());
        for extra in t.hosts().into_iter().skip(1) {
            out.push(format!("{} (entitlements)", target::origin(extra)));
        }
    }
    out
}

/// Probes every configured host. Hosts run concurrently; the result is in target order.
#[cfg(feature = "online")]
pub fn probe(cfg: &EffectiveConfig, options: &Options) -> Vec<Finding> {
    probe::run(cfg, options)
}

/// Built without the `online` feature: nothing can be probed.
#[cfg(not(feature = "online"))]
pub fn probe(_cfg: &EffectiveConfig, _options: &Options) -> Vec<Finding> {
    Vec::new()
}

/// True when this build can probe (the `online` cargo feature).
pub const AVAILABLE: bool = cfg!(feature = "online");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_to_forms() {
        let c = ConnectTo::parse("ghe.test.local:443:127.0.0.1:8443").unwrap();
        assert_eq!(c.host, "ghe.test.local");
        assert_eq!(c.port, Some(443));
        assert_eq!(c.to, "127.0.0.1:8443".parse().unwrap());
        let c = ConnectTo::parse("api.github.com::[::1]:9000").unwrap();
        assert_eq!(c.port, None);
        assert_eq!(c.to, "[::1]:9000".parse().unwrap());
        assert!(ConnectTo::parse("host:443:not-an-ip:1").is_err());
        assert!(ConnectTo::parse("host:443").is_err());
    }
}

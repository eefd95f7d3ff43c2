//! Runs the probes: one thread per host, each host's requests in order, findings in target order.

use super::http::{Http, Indeterminate, unix_now};
use super::rules;
use super::target::{Kind, Target, targets};
use super::{
    Options, azuredevops, bitbucket_cloud, bitbucket_server, gitea, github, github_app, gitlab,
};
use crate::config::EffectiveConfig;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;
use std::time::Instant;
use zeroize::Zeroizing;

/// Probes every configured host concurrently and returns their findings in target order.
pub fn run(cfg: &EffectiveConfig, options: &Options) -> Vec<Finding> {
    // reqwest is built with `rustls-no-provider`: choose ring once for the process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let targets = targets(cfg);
    let deadline = Instant::now() + options.budget();
    std::thread::scope(|s| {
        let handles: Vec<_> = targets
            .iter()
            .map(|t| s.spawn(move || run_one(cfg, options, t, deadline)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

fn run_one(
    cfg: &EffectiveConfig,
    options: &Options,
    target: &Target,
    deadline: Instant,
) -> Vec<Finding> {
    let progress = (options.progress && !options.dry_run)
        .then(|| super::progress::Line::start(&target.name()));
    let http = Http::new(
        options,
        deadline,
        &target.hosts(),
        target.key.name(),
        progress,
    );
    let mut p = Probe {
        cfg,
        target,
        http,
        out: Vec::new(),
        require_online: options.require_online && !options.dry_run,
    };
    if let Some(flag) = target.unknown {
        // Nothing is sent: the value the probe would need is not in the input.
        let what = cfg.unknown(flag).map_or_else(
            || "a source atlantis-lint cannot read".into(),
            |u| u.describe(),
        );
        p.skip(
            format!(
                "{} is not probed: {flag} is set at runtime from {what}, which atlantis-lint cannot read",
                target.name()
            ),
            "run atlantis-lint --online where the value is visible (with --env in the running container, say)",
        );
        return p.out;
    }
    // Host-written text is scrubbed against this host's secrets (see `http::scrub`).
    let _scope = super::secrets::Scope::enter(p.http.secrets.clone());
    if let Err(untrusted) = super::trust::check(cfg, target, &options.allowed_hosts) {
        let f = p
            .not_probed(
                format!(
                    "{} was not sent to {}: {}",
                    if p.key().ends_with("-file") {
                        format!("the credential of {}", p.key())
                    } else {
                        p.key().to_string()
                    },
                    untrusted.host,
                    untrusted.reason
                ),
                format!(
                    "if {host} is yours, allow it with --online-host {host}; the credential is then sent there",
                    host = untrusted.host
                ),
            )
            .related(
                cfg.location(super::target::host_flag(target.kind)),
                "the host is named here",
            );
        p.push(f);
        return p.out;
    }
    let result = match target.kind {
        Kind::GitHubUser => github::probe(&mut p),
        Kind::GitHubApp => github_app::probe(&mut p, options.app_deep),
        Kind::GitLab => gitlab::probe(&mut p),
        Kind::Gitea => gitea::probe(&mut p),
        Kind::BitbucketCloud => bitbucket_cloud::probe(&mut p),
        Kind::BitbucketServer => bitbucket_server::probe(&mut p),
        Kind::AzureDevOps => azuredevops::probe(&mut p),
    };
    match result {
        Err(ind) if ind.planned => {}
        Err(ind) => p.indeterminate(ind),
        Ok(()) => {}
    }
    if options.dry_run {
        print_plan(&p);
    }
    let secrets = p.http.secrets.clone();
    let mut out = std::mem::take(&mut p.out);
    for f in &mut out {
        secrets.redact_finding(f);
    }
    out
}

/// `--dry-run`: the first request of a host (later ones depend on the answers).
fn print_plan(p: &Probe) {
    let planned = p.http.planned.borrow();
    let mut lines = vec![format!(
        "atlantis-lint: --dry-run: {} would be probed with {}:",
        p.name(),
        p.key()
    )];
    for r in planned.iter() {
        lines.push(format!("atlantis-lint: --dry-run:   {r}"));
    }
    if planned.is_empty() {
        lines.push("atlantis-lint: --dry-run:   (no request: see the findings)".into());
    } else {
        lines.push(
            "atlantis-lint: --dry-run:   (then the requests that depend on the answers)".into(),
        );
    }
    eprintln!("{}", lines.join("\n"));
}

/// What a judge step concludes from a host's typed answers. Judges are pure functions of the
/// answers (unit-tested with recorded JSON); [`Probe::apply`] turns verdicts into findings at
/// the credential's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Verified(String),
    Rejected {
        message: String,
        help: String,
    },
    /// Something Atlantis needs is missing (an error).
    Insufficient {
        message: String,
        help: String,
    },
    /// Something only an optional feature needs, or that may be a typo (a warning).
    Doubtful {
        message: String,
        help: String,
    },
    /// A repository the repo-allowlist names that the credential cannot see.
    NotVisible {
        what: &'static str,
        message: String,
        help: String,
    },
    Unverifiable {
        message: String,
        help: String,
    },
    /// A configured value the host does not know (a user name, an installation id): a warning
    /// that also points at the flag.
    UnknownValue {
        flag: crate::flags::FlagId,
        /// The label at the credential (`user not found`).
        label: &'static str,
        /// The label at the flag (`the configured user`).
        what: &'static str,
        message: String,
        help: String,
    },
    /// A configured value that does not work with this credential (an error that also points
    /// at the flag).
    Misconfigured {
        flag: crate::flags::FlagId,
        label: &'static str,
        what: &'static str,
        message: String,
        help: String,
    },
    /// The host said the credential has expired (`detail`: its words, in parentheses).
    Expired {
        detail: String,
        rotate_at: String,
    },
    /// An expiry time the host reported: a warning within 14 days, an error once past.
    Expiry {
        at: i64,
        server_now: Option<i64>,
        rotate_at: String,
    },
}

/// One host's probe: the config, the client, and the findings so far.
pub struct Probe<'a> {
    pub cfg: &'a EffectiveConfig,
    pub target: &'a Target,
    pub http: Http,
    pub out: Vec<Finding>,
    require_online: bool,
}

/// The largest credential file read (a token or a PEM key is a few KB).
const MAX_CREDENTIAL_FILE: u64 = 1 << 20;

/// Values people put in token fields while bootstrapping; probing them only produces a 401.
fn is_placeholder(s: &str) -> bool {
    let l = s.trim().to_ascii_lowercase();
    l.is_empty()
        || [
            "fake",
            "changeme",
            "change-me",
            "redacted",
            "todo",
            "placeholder",
            "dummy",
            "secret",
            "token",
            "xxx",
            "test",
        ]
        .contains(&l.as_str())
        || l.chars().all(|c| c == 'x' || c == '*')
        || (l.starts_with('<') && l.ends_with('>'))
        || l.starts_with("${")
        || l.starts_with("{{")
}

impl Probe<'_> {
    /// The host's name for messages: `GitHub at https://api.github.com`.
    pub fn name(&self) -> String {
        self.target.name()
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}{path}", self.target.api)
    }

    pub fn key(&self) -> &'static str {
        self.target.key.name()
    }

    /// Up to `max` repositories the repo-allowlist names exactly on the host of the API
    /// (`owner/repo`, `PROJECT/slug`, `group/sub/project`).
    pub fn allowlisted_repos(&self, max: usize) -> Vec<String> {
        let host = super::http::host_port(&self.target.api)
            .map(|(h, _)| h)
            .unwrap_or_default();
        super::target::concrete_repos(self.cfg, &host, max)
    }

    /// The first repository the repo-allowlist names exactly on the host of the API, as its
    /// two parts (`owner`, `repo`) and whole.
    pub fn first_allowlisted_pair(&self) -> Option<(String, String, String)> {
        let full = self.allowlisted_repos(1).into_iter().next()?;
        let (owner, repo) = full.split_once('/')?;
        Some((owner.to_string(), repo.to_string(), full))
    }

    pub fn finding(&self, rule: &'static RuleInfo, message: impl Into<String>) -> Finding {
        Finding::new(rule, self.cfg.location(self.target.key), message).key(self.target.key)
    }

    pub fn push(&mut self, f: Finding) {
        self.out.push(f);
    }

    pub fn rejected(&mut self, message: impl Into<String>, help: impl Into<String>) {
        let f = self
            .finding(&rules::REJECTED, message)
            .label("refused by the host")
            .help(help);
        self.push(f);
    }

    pub fn insufficient(&mut self, message: impl Into<String>, help: impl Into<String>) {
        let f = self
            .finding(&rules::INSUFFICIENT, message)
            .label("lacks what Atlantis needs")
            .help(help);
        self.push(f);
    }

    /// A repository the repo-allowlist names exactly that the credential cannot see (a warning:
    /// the name may be wrong rather than the credential).
    /// `what` is the host's word for it ("repository", "project").
    pub fn allowlisted_not_visible(&mut self, what: &str, message: String, help: &str) {
        let f = self
            .finding(&rules::INSUFFICIENT, message)
            .severity(Severity::Warning)
            .label(format!("cannot see an allowlisted {what}"))
            .help(help)
            .related(
                self.cfg.location(flags::REPO_ALLOWLIST),
                format!("the {what} is named here"),
            );
        self.push(f);
    }

    /// Reports what a judge concluded.
    pub fn apply(&mut self, verdicts: impl IntoIterator<Item = Verdict>) {
        for v in verdicts {
            match v {
                Verdict::Verified(m) => self.verified(m),
                Verdict::Rejected { message, help } => self.rejected(message, help),
                Verdict::Insufficient { message, help } => self.insufficient(message, help),
                Verdict::Doubtful { message, help } => {
                    let f = self
                        .finding(&rules::INSUFFICIENT, message)
                        .severity(Severity::Warning)
                        .label("lacks what an enabled feature needs")
                        .help(help);
                    self.push(f);
                }
                Verdict::NotVisible {
                    what,
                    message,
                    help,
                } => self.allowlisted_not_visible(what, message, &help),
                Verdict::Unverifiable { message, help } => self.unverifiable(message, help),
                Verdict::Expiry {
                    at,
                    server_now,
                    rotate_at,
                } => self.expiry(at, server_now, &rotate_at),
                Verdict::Expired { detail, rotate_at } => self.expired(&detail, &rotate_at),
                Verdict::UnknownValue {
                    flag,
                    label,
                    what,
                    message,
                    help,
                } => {
                    let f = self
                        .finding(&rules::INSUFFICIENT, message)
                        .severity(Severity::Warning)
                        .label(label)
                        .help(help)
                        .related(self.cfg.location(flag), what);
                    self.push(f);
                }
                Verdict::Misconfigured {
                    flag,
                    label,
                    what,
                    message,
                    help,
                } => {
                    let f = self
                        .finding(&rules::INSUFFICIENT, message)
                        .label(label)
                        .help(help)
                        .related(self.cfg.location(flag), what);
                    self.push(f);
                }
            }
        }
    }

    pub fn verified(&mut self, message: impl Into<String>) {
        let f = self
            .finding(&rules::VERIFIED, message)
            .label("accepted by the host");
        self.push(f);
    }

    pub fn unverifiable(&mut self, message: impl Into<String>, help: impl Into<String>) {
        let f = self.finding(&rules::UNVERIFIABLE, message).help(help);
        self.push(f);
    }

    /// A host that was not probed at all (untrusted host, unreadable file, placeholder, unknown
    /// organisation): information, or an error under `--require-online`, which must not pass
    /// without an answer.
    pub fn not_probed(&self, message: impl Into<String>, help: impl Into<String>) -> Finding {
        let f = self
            .finding(&rules::UNVERIFIABLE, message)
            .label("not probed")
            .help(help);
        if self.require_online {
            f.severity(Severity::Error)
        } else {
            f
        }
    }

    /// [`Probe::not_probed`], pushed.
    pub fn skip(&mut self, message: impl Into<String>, help: impl Into<String>) {
        let f = self.not_probed(message, help);
        self.push(f);
    }

    pub fn indeterminate(&mut self, ind: Indeterminate) {
        let mut f = self
            .finding(
                &rules::INDETERMINATE,
                format!("{}: {}", self.name(), ind.reason),
            )
            .label("could not be checked");
        if let Some(h) = ind.help {
            f = f.help(h);
        }
        if self.require_online {
            f = f.severity(Severity::Error);
        }
        self.push(f);
    }

    /// Reports an expiry time: warning within 14 days, error once past, nothing otherwise.
    /// Judged against the host's clock (its `Date` header) when it sent one.
    pub fn expiry(&mut self, at: i64, server_now: Option<i64>, rotate_at: &str) {
        let now = server_now.unwrap_or_else(unix_now);
        let left = at - now;
        let when = super::http::format_time(at);
        if left <= 0 {
            let message = format!("{} expired on {when} ({})", self.key(), self.name());
            self.push_expired(message, rotate_at);
        } else if left <= 14 * 86_400 {
            let f = self
                .finding(
                    &rules::EXPIRING,
                    format!(
                        "{} expires on {when}, in {} ({})",
                        self.key(),
                        super::http::format_duration(left),
                        self.name()
                    ),
                )
                .label("expires soon")
                .help(format!(
                    "rotate it now at {rotate_at}, and update the secret Atlantis reads it from"
                ));
            self.push(f);
        }
    }

    /// An expiry the host announced as past (401 "token expired").
    pub fn expired(&mut self, detail: &str, rotate_at: &str) {
        let message = format!("{} says {} has expired{detail}", self.name(), self.key());
        self.push_expired(message, rotate_at);
    }

    fn push_expired(&mut self, message: String, rotate_at: &str) {
        let f = self
            .finding(&rules::EXPIRING, message)
            .severity(Severity::Error)
            .label("expired")
            .help(format!(
                "create a new token at {rotate_at} and replace {}",
                self.key()
            ));
        self.push(f);
    }

    /// The credential's characters: the flag's value, or the file a `*-file` flag names (at
    /// most 1 MiB, never a FIFO). Registered as a secret of this probe. `None` (with a finding)
    /// when it cannot be read or is a placeholder.
    pub fn credential(&mut self) -> Option<Zeroizing<String>> {
        let (flag, key) = (self.target.key, self.key());
        let value = if key.ends_with("-file") {
            let path = self.cfg.str(flag)?.to_string();
            match read_secret_file(&path) {
                Ok(v) => v,
                Err(why) => {
                    self.skip(
                        format!("{key} `{path}` {why}; {} not probed", self.name()),
                        "run the linter where Atlantis runs (with the file mounted), or probe with the value in the flag that holds it inline",
                    );
                    return None;
                }
            }
        } else {
            Zeroizing::new(self.cfg.explicit_text(flag)?.as_str().to_string())
        };
        if [crate::flags::GH_APP_KEY, crate::flags::GH_APP_KEY_FILE].contains(&flag) {
            self.http.secrets.add_pem(&value);
        } else {
            self.http.secrets.add(&value);
        }
        if is_placeholder(&value) {
            self.skip(
                format!("{key} holds a placeholder; {} not probed", self.name()),
                format!("set {key} to the real credential to probe it"),
            );
            return None;
        }
        Some(value)
    }
}

/// Reads a credential file: a regular file of at most 1 MiB (a FIFO would block, `/dev/zero`
/// never ends), into a buffer wiped after use.
fn read_secret_file(path: &str) -> Result<Zeroizing<String>, &'static str> {
    // Never a FIFO, socket or device, not even one swapped in after the check (no blocking open).
    match crate::input::read_regular_file(std::path::Path::new(path), MAX_CREDENTIAL_FILE) {
        Ok(bytes) => {
            let bytes = Zeroizing::new(bytes);
            Ok(Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => Err("is not a regular file"),
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => {
            Err("is larger than 1 MiB, which no credential is")
        }
        Err(_) => Err("cannot be read from here"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders() {
        for p in [
            "fake",
            "CHANGEME",
            "<your token>",
            "${GH_TOKEN}",
            "{{ token }}",
            "xxxxxxxx",
        ] {
            assert!(super::is_placeholder(p), "{p}");
        }
        assert!(!super::is_placeholder("ghp_abc"));
    }
}

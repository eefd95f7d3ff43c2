//! Gitea / Forgejo: `GET /api/v1/version` without credentials (the SDK's own first call; it
//! confirms the product before the token goes out), then `GET /api/v1/user` with
//! `Authorization: token <token>`, untrimmed, as the Gitea SDK sends it.

use super::http::{Auth, Indeterminate, scrub};
use super::probe::{Probe, Verdict};
use super::target::encode;
use crate::flags;
use serde::Deserialize;

/// `GET /api/v1/repos/{owner}/{repo}`, the part the probe reads.
#[derive(Debug, Deserialize)]
pub struct Repo {
    #[serde(default)]
    pub permissions: Option<Permissions>,
}

#[derive(Debug, Deserialize)]
pub struct Permissions {
    #[serde(default)]
    pub push: bool,
}

/// The scopes a Gitea 403 names: `token does not have at least one of required scope(s): [read:issue]`.
fn required_scopes(message: &str) -> Option<String> {
    message
        .split_once('[')
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(inside, _)| inside.to_string())
}

/// Judges the repository of the repo-allowlist (`repo`) and its pull-request list (`pulls`):
/// visible, writable by the account, readable with the token's scopes. Pure.
pub fn judge_repo(
    key: &str,
    name: &str,
    full: &str,
    tokens_page: &str,
    repo: (u16, Option<&Repo>, Option<&str>),
    pulls: Option<(u16, Option<&str>)>,
) -> Option<Verdict> {
    let scope = |status: u16, message: Option<&str>, default: &str| Verdict::Insufficient {
        message: format!(
            "{key} may not read `{full}` ({status}; Gitea requires: {}) ({name})",
            message
                .and_then(required_scopes)
                .unwrap_or_else(|| default.into())
        ),
        help: format!(
            "Gitea tokens cannot gain scopes: create a new one at {tokens_page} with issue read and write, repository read and write, user read"
        ),
    };
    match repo {
        (404, _, _) => {
            return Some(Verdict::NotVisible {
                what: "repository",
                message: format!(
                    "`{full}` from the repo-allowlist is not visible to {key} (404: it does not exist, or the account cannot see it) ({name})"
                ),
                help: "check the name in repo-allowlist and the account's access to it".into(),
            });
        }
        (403, _, msg) => return Some(scope(403, msg, "read:repository")),
        (200, Some(r), _) if r.permissions.as_ref().is_some_and(|p| !p.push) => {
            return Some(Verdict::Insufficient {
                message: format!(
                    "the account of {key} has no write access to `{full}` (repo-allowlist): Atlantis cannot set commit statuses or merge there ({name})"
                ),
                help: "give the account write access to the repository (collaborator or team)"
                    .into(),
            });
        }
        _ => {}
    }
    match pulls {
        Some((403, msg)) => Some(scope(403, msg, "read:issue")),
        _ => None,
    }
}

pub fn probe(p: &mut Probe) -> Result<(), Indeterminate> {
    let Some(token) = p.credential() else {
        return Ok(());
    };
    let web = p
        .target
        .api
        .trim_end_matches('/')
        .trim_end_matches("/api/v1")
        .to_string();
    let tokens_page = format!("{web}/user/settings/applications");

    let r = p.http.api(&p.api("version"), Auth::None, &[])?;
    let version = judge_version(&r.what, r.status, r.body().as_ref())?;

    let r = p.http.api(&p.api("user"), Auth::Token(&token), &[])?;
    if !matches!(r.status, 200 | 401 | 403) {
        let msg = r.message().unwrap_or_else(|| r.status.to_string());
        return Err(Indeterminate::new(format!(
            "{} answered {} ({msg})",
            r.what, r.status
        )));
    }
    let facts = Facts {
        name: &p.name(),
        key: p.key(),
        tokens_page: &tokens_page,
        version: &version,
        configured_user: p.cfg.str(flags::GITEA_USER).unwrap_or(""),
    };
    let user: Option<User> = r.body();
    let verdicts = judge_user(&facts, r.status, user.as_ref(), r.message().as_deref());
    let accepted = matches!(verdicts.first(), Some(Verdict::Verified(_)));
    p.apply(verdicts);
    if accepted {
        repo_access(p, &token, &tokens_page)?;
    }
    Ok(())
}

/// `GET /api/v1/version` (sent without credentials), the part the probe reads.
#[derive(Debug, Deserialize)]
pub struct Version {
    #[serde(default)]
    pub version: Option<String>,
}

/// Judges the unauthenticated pre-flight (`what`: the request, for messages): a 200 with a
/// version is a Gitea or Forgejo server, whose version (scrubbed) is returned; anything else
/// means gitea-base-url points elsewhere, and the token is not sent. Pure.
pub fn judge_version(
    what: &str,
    status: u16,
    body: Option<&Version>,
) -> Result<String, Indeterminate> {
    match body.and_then(|b| b.version.as_deref()) {
        Some(version) if status == 200 => Ok(scrub(version)),
        _ => Err(Indeterminate::new(format!(
            "{what} answered {status} without a Gitea version: gitea-base-url does not point at a Gitea or Forgejo server"
        ))
        .help("set gitea-base-url to the server's root URL (scheme included, without /api/v1)")),
    }
}

/// `GET /api/v1/user`, the part the probe reads.
#[derive(Debug, Deserialize)]
pub struct User {
    #[serde(default)]
    pub login: Option<String>,
}

/// Who and where, for the judges' messages.
pub struct Facts<'a> {
    pub name: &'a str,
    pub key: &'a str,
    pub tokens_page: &'a str,
    /// The server's version, from the unauthenticated pre-flight.
    pub version: &'a str,
    /// `gitea-user` as Atlantis runs with it.
    pub configured_user: &'a str,
}

/// Judges `GET /api/v1/user` (status, typed body, the host's scrubbed message). Pure.
pub fn judge_user(
    f: &Facts,
    status: u16,
    user: Option<&User>,
    message: Option<&str>,
) -> Vec<Verdict> {
    let (name, key, tokens_page) = (f.name, f.key, f.tokens_page);
    let msg = message.map_or_else(|| status.to_string(), str::to_string);
    match status {
        200 => {}
        401 => {
            return vec![Verdict::Rejected {
                message: format!("{name} rejected {key} ({msg})"),
                help: format!(
                    "create a token at {tokens_page} (scopes: issue read and write, repository read and write, user read) and replace {key}"
                ),
            }];
        }
        _ => {
            // "token does not have at least one of required scope(s): [read:user]"
            let needed = required_scopes(&msg)
                .map(|inside| format!(" (Gitea requires: {inside})"))
                .unwrap_or_default();
            return vec![Verdict::Insufficient {
                message: format!(
                    "{key} lacks a scope for GET /api/v1/user{needed}: {msg} ({name})"
                ),
                help: format!(
                    "Gitea tokens cannot gain scopes: create a new one at {tokens_page} with issue read and write, repository read and write, user read"
                ),
            }];
        }
    }
    let login = user
        .and_then(|u| u.login.as_deref())
        .map_or("?".into(), scrub);
    let mut text = format!("{name} accepted {key}: user `{login}`, Gitea {}", f.version);
    if !login.eq_ignore_ascii_case(f.configured_user) && login != "?" {
        text.push_str(&format!(
            " (gitea-user is `{}`: Atlantis acts as `{login}`)",
            f.configured_user
        ));
    }
    vec![
        Verdict::Verified(text),
        Verdict::Unverifiable {
            message: format!(
                "a Gitea token cannot report its own scopes, and write scopes cannot be checked without writing ({name})"
            ),
            help: format!(
                "check at {tokens_page} that {key} has issue: read and write, repository: read and write, user: read"
            ),
        },
    ]
}

/// The first repository the repo-allowlist names exactly: `GET repos/{owner}/{repo}`, then its
/// pull requests (`issues?type=pulls`, scope read:issue).
fn repo_access(p: &mut Probe, token: &str, tokens_page: &str) -> Result<(), Indeterminate> {
    let Some((owner, repo, full)) = p.first_allowlisted_pair() else {
        return Ok(());
    };
    let base = p.api(&format!("repos/{}/{}", encode(&owner), encode(&repo)));
    let auth = Auth::Token(token);
    let r = p.http.api(&base, auth, &[])?;
    if !matches!(r.status, 200 | 403 | 404) {
        return Err(Indeterminate::new(format!(
            "{} answered {}",
            r.what, r.status
        )));
    }
    let body: Option<Repo> = r.body();
    let message = r.message();
    let repo_answer = (r.status, body.as_ref(), message.as_deref());
    let (name, key) = (p.name(), p.key());
    if let Some(v) = judge_repo(key, &name, &full, tokens_page, repo_answer, None) {
        p.apply([v]);
        return Ok(());
    }
    let r = p
        .http
        .api(&format!("{base}/issues?limit=1&type=pulls"), auth, &[])?;
    let message = r.message().map(|m| scrub(&m));
    let pulls = Some((r.status, message.as_deref()));
    if let Some(v) = judge_repo(key, &name, &full, tokens_page, repo_answer, pulls) {
        p.apply([v]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(repo: (u16, &str), pulls: Option<(u16, &str)>) -> Option<Verdict> {
        let body: Option<Repo> = serde_json::from_str(repo.1).ok();
        #[derive(Deserialize)]
        struct Refused {
            message: Option<String>,
        }
        let msg = serde_json::from_str::<Refused>(repo.1)
            .ok()
            .and_then(|b| b.message);
        judge_repo(
            "gitea-token",
            "Gitea at https://gitea.test.local",
            "acme/infra",
            "https://gitea.test.local/user/settings/applications",
            (repo.0, body.as_ref(), msg.as_deref()),
            pulls.map(|(s, m)| (s, Some(m))),
        )
    }

    #[test]
    fn version_answers_are_judged() {
        let judge = |status, body: &str| {
            let body: Option<Version> = serde_json::from_str(body).ok();
            judge_version(
                "GET https://gitea.test.local/api/v1/version",
                status,
                body.as_ref(),
            )
        };
        // Recorded: host-apis.md 2.5, Gitea and Forgejo.
        assert_eq!(judge(200, r#"{"version":"1.25.4"}"#).unwrap(), "1.25.4");
        assert_eq!(
            judge(200, r#"{"version":"11.0.1+gitea-1.22.0"}"#).unwrap(),
            "11.0.1+gitea-1.22.0"
        );
        // Another product's JSON at the same path, and a 404: the token is not sent.
        for (status, body) in [
            (200, r#"{"name":"acme","id":1}"#),
            (404, r#"{"message":"404 page not found"}"#),
            (404, r#"{"version":"1.25.4"}"#),
            (200, r#"{"version":12}"#),
        ] {
            let e = judge(status, body).unwrap_err();
            assert_eq!(
                e.reason,
                format!(
                    "GET https://gitea.test.local/api/v1/version answered {status} without a Gitea version: gitea-base-url does not point at a Gitea or Forgejo server"
                )
            );
            assert!(e.help.is_some_and(|h| h.contains("without /api/v1")));
        }
    }

    #[test]
    fn user_answers_are_judged() {
        let f = Facts {
            name: "Gitea at https://gitea.test.local",
            key: "gitea-token",
            tokens_page: "https://gitea.test.local/user/settings/applications",
            version: "1.25.4",
            configured_user: "atlantis-bot",
        };
        let user: User =
            serde_json::from_str(r#"{"id":1,"login":"atlantis-bot","full_name":""}"#).unwrap();
        let v = judge_user(&f, 200, Some(&user), None);
        assert!(
            matches!(&v[..], [Verdict::Verified(m), Verdict::Unverifiable { .. }] if m == "Gitea at https://gitea.test.local accepted gitea-token: user `atlantis-bot`, Gitea 1.25.4"),
            "{v:?}"
        );
        let other: User = serde_json::from_str(r#"{"login":"someone"}"#).unwrap();
        let v = judge_user(&f, 200, Some(&other), None);
        assert!(
            matches!(&v[0], Verdict::Verified(m) if m.ends_with("(gitea-user is `atlantis-bot`: Atlantis acts as `someone`)"))
        );
        let v = judge_user(&f, 401, None, Some("token is required"));
        assert!(
            matches!(&v[..], [Verdict::Rejected { message, .. }] if message.contains("rejected gitea-token (token is required)"))
        );
        let v = judge_user(
            &f,
            403,
            None,
            Some("token does not have at least one of required scope(s): [read:user]"),
        );
        assert!(
            matches!(&v[..], [Verdict::Insufficient { message, .. }] if message.contains("(Gitea requires: read:user)"))
        );
    }

    #[test]
    fn repository_answers_are_judged() {
        let ok =
            r#"{"full_name":"acme/infra","permissions":{"admin":false,"push":true,"pull":true}}"#;
        assert_eq!(judge((200, ok), None), None);
        assert_eq!(judge((200, ok), Some((200, "[]"))), None);
        let v = judge((200, r#"{"permissions":{"push":false,"pull":true}}"#), None).unwrap();
        assert!(
            matches!(&v, Verdict::Insufficient { message, .. } if message.contains("no write access to `acme/infra`"))
        );
        let v = judge(
            (404, r#"{"message":"The target couldn't be found."}"#),
            None,
        )
        .unwrap();
        assert!(matches!(v, Verdict::NotVisible { .. }));
        // Recorded: host-apis.md 2.5.
        let v = judge(
            (200, ok),
            Some((
                403,
                "token does not have at least one of required scope(s): [read:issue]",
            )),
        )
        .unwrap();
        assert!(
            matches!(&v, Verdict::Insufficient { message, .. } if message.contains("(403; Gitea requires: read:issue)")),
            "{v:?}"
        );
    }
}

//! Bitbucket Server / Data Center: `GET /rest/api/1.0/application-properties` without
//! credentials (confirms the product before the token goes out), then
//! `GET /rest/api/1.0/projects?limit=1` with `Authorization: Bearer <token>` (untrimmed) and
//! `X-Atlassian-Token: no-check`, as Atlantis sends it. `X-AUSERNAME` names the account.

use super::http::{Auth, Indeterminate, scrub};
use super::probe::{Probe, Verdict};
use super::target::encode;
use crate::flags;
use serde::Deserialize;
use serde::de::IgnoredAny;

/// `GET /rest/api/1.0/repos?...&permission=REPO_WRITE`: a page of repositories.
#[derive(Debug, Deserialize)]
pub struct Page {
    /// Only whether there is one is read.
    #[serde(default)]
    pub values: Vec<IgnoredAny>,
}

/// Judges the allowlisted repository `full` (`PROJECT/slug`): `repo` is the answer to
/// `projects/{KEY}/repos/{slug}` (status, whether `X-AUSERNAME` came back), `writable` the page
/// of `repos?...&permission=REPO_WRITE` when asked. Pure.
pub fn judge_repo(
    key: &str,
    name: &str,
    full: &str,
    user: &str,
    repo: (u16, bool),
    writable: Option<&Page>,
) -> Option<Verdict> {
    match repo {
        (404, _) => {
            return Some(Verdict::NotVisible {
                what: "repository",
                message: format!(
                    "`{full}` from the repo-allowlist is not visible to {key} (404: it does not exist, or the token cannot see it) ({name})"
                ),
                help: "check the project key and repository slug in repo-allowlist".into(),
            });
        }
        // Bitbucket Data Center answers 401 with the account named for a permission problem.
        (401, true) | (403, _) => {
            return Some(Verdict::Insufficient {
                message: format!(
                    "`{user}` may not read `{full}` (repo-allowlist) with {key} ({name})"
                ),
                help: "give the token Project read and Repository write, and the account access to the repository".into(),
            });
        }
        _ => {}
    }
    match writable {
        Some(page) if page.values.is_empty() => Some(Verdict::Insufficient {
            message: format!(
                "`{user}` has no write permission on `{full}` (repo-allowlist): Atlantis cannot comment, set build statuses or merge there ({name})"
            ),
            help: "give the account Repository write (directly or through a group); a token's own permission cap cannot be read".into(),
        }),
        _ => None,
    }
}

/// `GET /rest/api/1.0/application-properties` (sent without credentials), the part the probe
/// reads.
#[derive(Debug, Deserialize)]
pub struct ApplicationProperties {
    #[serde(default)]
    pub version: Option<String>,
}

/// Judges the unauthenticated pre-flight (`what`: the request, for messages): a 200 with a
/// version is Bitbucket Data Center, whose version (scrubbed) is returned; anything else means
/// bitbucket-base-url points elsewhere, and the token is not sent. Pure.
pub fn judge_properties(
    what: &str,
    status: u16,
    body: Option<&ApplicationProperties>,
) -> Result<String, Indeterminate> {
    match body.and_then(|b| b.version.as_deref()) {
        Some(version) if status == 200 => Ok(scrub(version)),
        _ => Err(Indeterminate::new(format!(
            "{what} answered {status} without a Bitbucket version: bitbucket-base-url does not point at Bitbucket Data Center"
        ))
        .help("set bitbucket-base-url to the server's root URL including its context path (without /rest)")),
    }
}

pub fn probe(p: &mut Probe) -> Result<(), Indeterminate> {
    let Some(token) = p.credential() else {
        return Ok(());
    };
    let base = p
        .target
        .api
        .trim_end_matches("rest/api/1.0/")
        .trim_end_matches('/')
        .to_string();
    let tokens_page = format!("{base}/plugins/servlet/access-tokens/users/manage");

    let r = p
        .http
        .api(&p.api("application-properties"), Auth::None, &[])?;
    let version = judge_properties(&r.what, r.status, r.body().as_ref())?;

    let r = p.http.api(
        &p.api("projects?limit=1"),
        Auth::Bearer(&token),
        &[("x-atlassian-token", "no-check")],
    )?;
    if !matches!(r.status, 200 | 401) {
        let msg = r.message().unwrap_or_else(|| r.status.to_string());
        return Err(Indeterminate::new(format!(
            "{} answered {} ({msg})",
            r.what, r.status
        )));
    }
    let answer = IdentityAnswer {
        status: r.status,
        account: r.header("x-ausername").map(scrub),
        message: r.message(),
    };
    let facts = Facts {
        name: &p.name(),
        key: p.key(),
        tokens_page: &tokens_page,
        version: &version,
        configured_user: p.cfg.str(flags::BITBUCKET_USER).unwrap_or(""),
    };
    let verdicts = judge_identity(&facts, &answer);
    let accepted = matches!(verdicts.first(), Some(Verdict::Verified(_)));
    p.apply(verdicts);
    if accepted {
        let user = answer.account.unwrap_or_default();
        repo_access(p, &token, &user)?;
    }
    Ok(())
}

/// What the probe reads from `GET /rest/api/1.0/projects?limit=1` sent with the token:
/// `X-AUSERNAME` names the account the token authenticated as.
#[derive(Debug, Default)]
pub struct IdentityAnswer {
    pub status: u16,
    pub account: Option<String>,
    pub message: Option<String>,
}

/// Who and where, for the identity judge.
pub struct Facts<'a> {
    pub name: &'a str,
    pub key: &'a str,
    pub tokens_page: &'a str,
    /// From the unauthenticated pre-flight.
    pub version: &'a str,
    /// `bitbucket-user` as Atlantis runs with it.
    pub configured_user: &'a str,
}

/// Judges the identity step. Bitbucket Data Center answers 401 for authorisation failures
/// too: with `X-AUSERNAME` the token authenticated. A 200 without it is anonymous access. Pure.
pub fn judge_identity(f: &Facts, a: &IdentityAnswer) -> Vec<Verdict> {
    let (name, key, tokens_page) = (f.name, f.key, f.tokens_page);
    let msg = a.message.clone().unwrap_or_else(|| a.status.to_string());
    let user = match (a.status, &a.account) {
        (200, Some(user)) => user,
        (200, None) => {
            return vec![Verdict::Rejected {
                message: format!(
                    "{name} answered without an authenticated user: {key} was not accepted (anonymous access answered instead)"
                ),
                help: format!("create an HTTP access token at {tokens_page} and replace {key}"),
            }];
        }
        (_, Some(user)) => {
            return vec![Verdict::Insufficient {
                message: format!(
                    "{name} authenticated {key} as `{user}` but refused to list projects ({msg})"
                ),
                help: format!(
                    "give the token Project read and Repository write permissions at {tokens_page}"
                ),
            }];
        }
        (_, None) => {
            return vec![Verdict::Rejected {
                message: format!("{name} rejected {key} ({msg})"),
                help: format!(
                    "create an HTTP access token (Project read, Repository write) at {tokens_page} and replace {key}"
                ),
            }];
        }
    };
    let mut text = format!(
        "{name} accepted {key}: user `{user}`, Bitbucket {}",
        f.version
    );
    if !user.eq_ignore_ascii_case(f.configured_user) {
        text.push_str(&format!(
            " (bitbucket-user is `{}`: git clones use bitbucket-user with this token, which belongs to `{user}`)",
            f.configured_user
        ));
    }
    vec![
        Verdict::Verified(text),
        Verdict::Unverifiable {
            message: format!(
                "a Bitbucket Data Center token cannot report its permissions, and pull-request write cannot be checked without writing ({name})"
            ),
            help: format!(
                "check at {tokens_page} that {key} has Project read and Repository write"
            ),
        },
    ]
}

/// The first repository the repo-allowlist names exactly (`host/PROJECT/slug`).
fn repo_access(p: &mut Probe, token: &str, user: &str) -> Result<(), Indeterminate> {
    let Some((project, slug, full)) = p.first_allowlisted_pair() else {
        return Ok(());
    };
    let auth = Auth::Bearer(token);
    let extra = [("x-atlassian-token", "no-check")];
    let (name, key) = (p.name(), p.key());
    let url = p.api(&format!(
        "projects/{}/repos/{}",
        encode(&project),
        encode(&slug)
    ));
    let r = p.http.api(&url, auth, &extra)?;
    if !matches!(r.status, 200 | 401 | 403 | 404) {
        return Err(Indeterminate::new(format!(
            "{} answered {}",
            r.what, r.status
        )));
    }
    let repo = (r.status, r.header("x-ausername").is_some());
    if let Some(v) = judge_repo(key, &name, &full, user, repo, None) {
        p.apply([v]);
        return Ok(());
    }
    let url = p.api(&format!(
        "repos?projectkey={}&name={}&permission=REPO_WRITE",
        encode(&project),
        encode(&slug)
    ));
    let r = p.http.api(&url, auth, &extra)?;
    let page: Option<Page> = r.body();
    if r.status == 200 {
        if let Some(v) = judge_repo(key, &name, &full, user, repo, page.as_ref()) {
            p.apply([v]);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_answers_are_judged() {
        let what = "GET https://bb/rest/api/1.0/application-properties";
        let judge = |status, body: &str| {
            let body: Option<ApplicationProperties> = serde_json::from_str(body).ok();
            judge_properties(what, status, body.as_ref())
        };
        // Recorded: host-apis.md 2.7.
        let ok = r#"{"version":"9.4.3","buildNumber":"9004003","buildDate":"1721200000000","displayName":"Bitbucket"}"#;
        assert_eq!(judge(200, ok).unwrap(), "9.4.3");
        // A base URL without the context path (404 from the servlet), an application that is
        // not Bitbucket, an authenticated-only instance: the token is not sent.
        for (status, body) in [
            (404, r#"{"errors":[{"message":"Not Found"}]}"#),
            (200, r#"{"displayName":"Something else"}"#),
            (401, r#"{"errors":[{"message":"Authentication required"}]}"#),
            (404, ok),
        ] {
            let e = judge(status, body).unwrap_err();
            assert_eq!(
                e.reason,
                format!(
                    "{what} answered {status} without a Bitbucket version: bitbucket-base-url does not point at Bitbucket Data Center"
                )
            );
            assert!(
                e.help
                    .is_some_and(|h| h.contains("including its context path"))
            );
        }
    }

    #[test]
    fn identity_answers_are_judged() {
        let f = Facts {
            name: "Bitbucket Server at https://bb",
            key: "bitbucket-token",
            tokens_page: "https://bb/plugins/servlet/access-tokens/users/manage",
            version: "9.4.3",
            configured_user: "atlantis",
        };
        let a = |status, account: Option<&str>| IdentityAnswer {
            status,
            account: account.map(str::to_string),
            message: Some(
                "Authentication failed. Please check your credentials and try again.".into(),
            ),
        };
        let v = judge_identity(&f, &a(200, Some("atlantis")));
        assert!(
            matches!(&v[..], [Verdict::Verified(m), Verdict::Unverifiable { .. }] if m.ends_with("user `atlantis`, Bitbucket 9.4.3"))
        );
        let v = judge_identity(&f, &a(200, Some("bot")));
        assert!(matches!(&v[0], Verdict::Verified(m) if m.contains("which belongs to `bot`")));
        assert!(
            matches!(&judge_identity(&f, &a(200, None))[..], [Verdict::Rejected { message, .. }] if message.contains("anonymous"))
        );
        assert!(matches!(
            &judge_identity(&f, &a(401, Some("atlantis")))[..],
            [Verdict::Insufficient { .. }]
        ));
        assert!(
            matches!(&judge_identity(&f, &a(401, None))[..], [Verdict::Rejected { message, .. }] if message.contains("Authentication failed"))
        );
    }

    #[test]
    fn repository_answers_are_judged() {
        let judge = |repo, page: Option<&str>| {
            let page: Option<Page> = page.and_then(|p| serde_json::from_str(p).ok());
            judge_repo(
                "bitbucket-token",
                "Bitbucket Server at https://bb",
                "INFRA/terraform",
                "atlantis",
                repo,
                page.as_ref(),
            )
        };
        assert_eq!(
            judge(
                (200, true),
                Some(r#"{"size":1,"values":[{"slug":"terraform"}]}"#)
            ),
            None
        );
        assert!(matches!(
            judge((404, true), None),
            Some(Verdict::NotVisible { .. })
        ));
        assert!(matches!(
            judge((401, true), None),
            Some(Verdict::Insufficient { .. })
        ));
        // 401 without the account is not about the repository: the identity step reports it.
        assert_eq!(judge((401, false), None), None);
        let v = judge((200, true), Some(r#"{"size":0,"values":[]}"#)).unwrap();
        assert!(
            matches!(&v, Verdict::Insufficient { message, .. } if message.contains("`atlantis` has no write permission on `INFRA/terraform`"))
        );
    }
}

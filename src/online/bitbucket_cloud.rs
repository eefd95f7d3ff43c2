//! Bitbucket Cloud: `GET https://api.bitbucket.org/2.0/user` with Atlantis's Basic auth
//! (`bitbucket-api-user`, else `bitbucket-user`, and the token, untrimmed) and
//! `X-Atlassian-Token: no-check`. The answer's `x-credential-type` and `x-oauth-scopes` headers
//! say what kind of credential it is and what it may do.

use super::http::{Auth, Indeterminate, Resp, scrub};
use super::probe::{Probe, Verdict};
use super::target::{concrete_repos, encode};
use crate::flags;
use serde::Deserialize;

/// A Bitbucket Cloud error body: `{"type":"error","error":{"message":...,"detail":{"required":[...]}}}`.
#[derive(Debug, Default, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub error: ErrorInner,
}

#[derive(Debug, Default, Deserialize)]
pub struct ErrorInner {
    #[serde(default)]
    pub detail: Option<ErrorDetail>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ErrorDetail {
    #[serde(default)]
    pub required: Vec<String>,
}

/// Judges one answer about the allowlisted repository `full` (`what`: "the repository" or "its
/// pull requests"): 404 not visible, 403 a missing scope (named from `detail.required`). Pure.
pub fn judge_repo(
    key: &str,
    name: &str,
    full: &str,
    what: &str,
    status: u16,
    error: Option<&ErrorBody>,
) -> Option<Verdict> {
    match status {
        404 => Some(Verdict::NotVisible {
            what: "repository",
            message: format!(
                "`{full}` from the repo-allowlist is not visible to {key} (404: it does not exist, or the account cannot see it) ({name})"
            ),
            help: "check the workspace and repository slug in repo-allowlist, and the account's access".into(),
        }),
        403 => {
            let required = error
                .and_then(|e| e.error.detail.as_ref())
                .map(|d| d.required.iter().map(|s| scrub(s)).collect::<Vec<_>>().join(", "))
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| "read:repository:bitbucket, read:pullrequest:bitbucket".into());
            Some(Verdict::Insufficient {
                message: format!(
                    "{key} may not read {what} of `{full}` (403; Bitbucket requires: {required}) ({name})"
                ),
                help: format!(
                    "scopes cannot be added to a token: create a new API token at {TOKENS_PAGE} with {}",
                    NEEDED.join(", ")
                ),
            })
        }
        _ => None,
    }
}

/// The first repository the repo-allowlist names exactly: the repository, then its pull requests.
fn repo_access(p: &mut Probe, user: &str, token: &str) -> Result<(), Indeterminate> {
    let Some(full) = concrete_repos(p.cfg, "bitbucket.org", 1).into_iter().next() else {
        return Ok(());
    };
    let Some((ws, slug)) = full.split_once('/') else {
        return Ok(());
    };
    let base = p.api(&format!("repositories/{}/{}", encode(ws), encode(slug)));
    let auth = Auth::Basic(user, token);
    let extra = [("x-atlassian-token", "no-check")];
    let (name, key) = (p.name(), p.key());
    for (url, what) in [
        (base.clone(), "the repository"),
        (
            format!("{base}/pullrequests?pagelen=1"),
            "the pull requests",
        ),
    ] {
        let r = p.http.api(&url, auth, &extra)?;
        if !matches!(r.status, 200 | 403 | 404) {
            return Err(Indeterminate::new(format!(
                "{} answered {}",
                r.what, r.status
            )));
        }
        let body: Option<ErrorBody> = r.body();
        if let Some(v) = judge_repo(key, &name, &full, what, r.status, body.as_ref()) {
            p.apply([v]);
            return Ok(());
        }
    }
    Ok(())
}

const TOKENS_PAGE: &str = "https://id.atlassian.com/manage-profile/security/api-tokens";

/// API-token scopes Atlantis needs (they do not imply each other).
const NEEDED: &[&str] = &[
    "read:repository:bitbucket",
    "read:pullrequest:bitbucket",
    "write:pullrequest:bitbucket",
];

pub fn probe(p: &mut Probe) -> Result<(), Indeterminate> {
    let Some(token) = p.credential() else {
        return Ok(());
    };
    // Atlantis trims one `@` from bitbucket-user, not from bitbucket-api-user.
    let (user_key, user) = match p.cfg.str(flags::BITBUCKET_API_USER) {
        Some(u) => (flags::BITBUCKET_API_USER, u.to_string()),
        None => (
            flags::BITBUCKET_USER,
            p.cfg.str(flags::BITBUCKET_USER).unwrap_or("").to_string(),
        ),
    };
    let r = p.http.api(
        &p.api("user"),
        Auth::Basic(&user, &token),
        &[("x-atlassian-token", "no-check")],
    )?;
    if !matches!(r.status, 200 | 401 | 403) {
        return Err(Indeterminate::new(format!(
            "{} answered {}",
            r.what, r.status
        )));
    }
    let answer = UserAnswer::read(&r);
    let facts = Facts {
        name: &p.name(),
        key: p.key(),
        user_key: user_key.flag().name,
        user: &user,
        token_prefix: token_prefix(&token),
        hide_prev_plan_comments: p.cfg.bool(flags::HIDE_PREV_PLAN_COMMENTS),
    };
    let verdicts = judge_user(&facts, &answer);
    let accepted = verdicts.iter().any(|v| matches!(v, Verdict::Verified(_)));
    p.apply(verdicts);
    if !accepted {
        return Ok(());
    }
    let scopes = answer.scopes;
    repo_access(p, &user, &token)?;
    if scopes.is_none() {
        p.unverifiable(
            format!(
                "{} did not report the credential's scopes ({})",
                p.key(),
                p.name()
            ),
            "check that it may read repositories and read and write pull requests",
        );
    }
    Ok(())
}

/// The public prefix of a Bitbucket credential, which tells its kind (never more of it).
fn token_prefix(token: &str) -> &'static str {
    ["ATBB", "ATCTT", "ATATT"]
        .into_iter()
        .find(|p| token.starts_with(p))
        .unwrap_or("")
}

/// What the probe reads from `GET /2.0/user`.
#[derive(Debug, Default)]
pub struct UserAnswer {
    pub status: u16,
    pub username: Option<String>,
    /// `x-credential-type`.
    pub kind: Option<String>,
    /// `x-oauth-scopes`, split; `None` when absent.
    pub scopes: Option<Vec<String>>,
    pub message: Option<String>,
    pub error: Option<ErrorBody>,
}

#[derive(Deserialize)]
struct UserBody {
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
}

impl UserAnswer {
    pub fn read(r: &Resp) -> UserAnswer {
        let body: Option<UserBody> = r.body();
        UserAnswer {
            status: r.status,
            username: body.and_then(|b| b.username.or(b.display_name)),
            kind: r.header("x-credential-type").map(scrub),
            scopes: r.header("x-oauth-scopes").map(|v| {
                v.split(',')
                    .map(|s| scrub(s.trim()))
                    .filter(|s| !s.is_empty())
                    .collect()
            }),
            message: r.message(),
            error: r.body(),
        }
    }
}

/// Who and where, for the identity judge.
pub struct Facts<'a> {
    pub name: &'a str,
    pub key: &'a str,
    /// `bitbucket-api-user`, else `bitbucket-user`: the Basic user Atlantis sends.
    pub user_key: &'a str,
    pub user: &'a str,
    /// `ATBB`, `ATCTT`, `ATATT` or empty.
    pub token_prefix: &'a str,
    pub hide_prev_plan_comments: bool,
}

/// Judges `GET /2.0/user` with Atlantis's Basic auth. A 403 there still proves the credential
/// authenticated (it lacks the account scope only). Pure.
pub fn judge_user(f: &Facts, a: &UserAnswer) -> Vec<Verdict> {
    let (name, key, user_key, user) = (f.name, f.key, f.user_key, f.user);
    if a.status == 401 {
        let hint = match f.token_prefix {
            "ATBB" => {
                "; it is an app password, and Bitbucket removed app passwords on 2026-07-28: create an API token"
            }
            "ATCTT" => {
                "; it is a workspace/project/repository access token, which only works as Bearer, and Atlantis sends Basic auth: use an API token"
            }
            "ATATT" if !user.contains('@') => {
                "; API tokens authenticate with the Atlassian account e-mail: set bitbucket-api-user to it"
            }
            _ => "",
        };
        let msg = a
            .message
            .as_ref()
            .map(|m| format!(" ({m})"))
            .unwrap_or_default();
        return vec![Verdict::Rejected {
            message: format!("{name} rejected {key} with {user_key} `{user}`{msg}{hint}"),
            help: format!(
                "create an API token with scopes {} at {TOKENS_PAGE}; set bitbucket-api-user to your Atlassian account e-mail and bitbucket-token to the token",
                NEEDED.join(", ")
            ),
        }];
    }
    let mut out = Vec::new();
    let identity = if a.status == 200 {
        format!("user `{}`", a.username.as_deref().map_or("?".into(), scrub))
    } else {
        "an account whose details the token may not read".to_string()
    };
    let mut facts = vec![identity];
    if let Some(k) = &a.kind {
        facts.push(format!("credential type {k}"));
    }
    if let Some(s) = &a.scopes {
        facts.push(format!(
            "scopes: {}",
            if s.is_empty() {
                "none".into()
            } else {
                s.join(", ")
            }
        ));
    }
    if a.status == 403 && f.hide_prev_plan_comments {
        let required = a
            .error
            .as_ref()
            .and_then(|e| e.error.detail.as_ref())
            .map(|d| {
                d.required
                    .iter()
                    .map(|s| scrub(s))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "read:user:bitbucket".into());
        out.push(Verdict::Insufficient {
            message: format!(
                "{key} may not read its own account ({required}), which hide-prev-plan-comments needs ({name})"
            ),
            help: format!("create a new API token at {TOKENS_PAGE} that also has read:user:bitbucket"),
        });
    }
    if let Some(scopes) = &a.scopes {
        let has = |s: &str| scopes.iter().any(|x| x == s);
        let granular = scopes.iter().any(|s| s.ends_with(":bitbucket"));
        let missing: Vec<&str> = if granular {
            NEEDED.iter().copied().filter(|s| !has(s)).collect()
        } else if has("pullrequest:write") {
            Vec::new()
        } else {
            vec!["pullrequest:write"]
        };
        if !missing.is_empty() {
            out.push(Verdict::Insufficient {
                message: format!(
                    "{key} lacks the scopes {} that Atlantis needs to comment on pull requests and set build statuses ({name})",
                    missing.join(", ")
                ),
                help: format!("scopes cannot be added to a token: create a new API token at {TOKENS_PAGE} with {}", NEEDED.join(", ")),
            });
        }
    }
    out.push(Verdict::Verified(format!(
        "{name} accepted {key}: {}",
        facts.join("; ")
    )));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_answers_are_judged() {
        let f = |prefix, user| Facts {
            name: "Bitbucket Cloud at https://api.bitbucket.org",
            key: "bitbucket-token",
            user_key: "bitbucket-api-user",
            user,
            token_prefix: prefix,
            hide_prev_plan_comments: true,
        };
        // Recorded: host-apis.md 2.6.
        let ok = UserAnswer {
            status: 200,
            username: Some("bb-bot".into()),
            kind: Some("api_token".into()),
            scopes: Some(NEEDED.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        };
        let v = judge_user(&f("ATATT", "bot@acme.example"), &ok);
        assert!(
            matches!(&v[..], [Verdict::Verified(m)] if m.ends_with("user `bb-bot`; credential type api_token; scopes: read:repository:bitbucket, read:pullrequest:bitbucket, write:pullrequest:bitbucket")),
            "{v:?}"
        );
        let bad = UserAnswer {
            status: 401,
            ..Default::default()
        };
        let v = judge_user(&f("ATBB", "bb-bot"), &bad);
        assert!(
            matches!(&v[..], [Verdict::Rejected { message, .. }] if message.contains("removed app passwords"))
        );
        let v = judge_user(&f("ATATT", "bb-bot"), &bad);
        assert!(
            matches!(&v[..], [Verdict::Rejected { message, .. }] if message.contains("set bitbucket-api-user to it"))
        );
        let no_account = UserAnswer {
            status: 403,
            scopes: Some(vec!["pullrequest:write".into()]),
            error: serde_json::from_str(r#"{"type":"error","error":{"message":"Your credentials lack one or more required privilege scopes.","detail":{"required":["read:user:bitbucket"]}}}"#).ok(),
            ..Default::default()
        };
        let v = judge_user(&f("ATATT", "bot@acme.example"), &no_account);
        assert!(
            matches!(&v[0], Verdict::Insufficient { message, .. } if message.contains("may not read its own account (read:user:bitbucket)"))
        );
        assert!(
            matches!(&v[1], Verdict::Verified(m) if m.contains("an account whose details the token may not read"))
        );
    }

    #[test]
    fn repository_answers_are_judged() {
        let judge = |status, body: &str, what| {
            let e: Option<ErrorBody> = serde_json::from_str(body).ok();
            judge_repo(
                "bitbucket-token",
                "Bitbucket Cloud at https://api.bitbucket.org",
                "acme/infra",
                what,
                status,
                e.as_ref(),
            )
        };
        assert_eq!(
            judge(200, r#"{"full_name":"acme/infra"}"#, "the repository"),
            None
        );
        assert!(matches!(
            judge(
                404,
                r#"{"type":"error","error":{"message":"Not found"}}"#,
                "the repository"
            ),
            Some(Verdict::NotVisible { .. })
        ));
        // Recorded: host-apis.md 2.6.
        let v = judge(
            403,
            r#"{"type":"error","error":{"message":"Your credentials lack one or more required privilege scopes.","detail":{"granted":["read:user:bitbucket"],"required":["read:pullrequest:bitbucket"]}}}"#,
            "the pull requests",
        )
        .unwrap();
        assert!(
            matches!(&v, Verdict::Insufficient { message, .. } if message.contains("may not read the pull requests of `acme/infra` (403; Bitbucket requires: read:pullrequest:bitbucket)")),
            "{v:?}"
        );
    }
}

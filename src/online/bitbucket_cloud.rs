//! Bitbucket Cloud: `GET https://api.bitbucket.org/2.0/user` with Atlantis's Basic auth
//! (`bitbucket-api-user`, else `bitbucket-user`, and the token, untrimmed) and
//! `X-Atlassian-Token: no-check`. The answer's `x-credential-type` and `x-oauth-scopes` headers
//! say what kind of credential it is and what it may do.

use super::http::{Auth, Indeterminate, Resp, scrub};
use super::probe::{Probe, Verdict};
use super::target::{concrete_repos, encode, user};
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
    let (user_key, user) = match p.cfg.str("bitbucket-api-user") {
        Some(_) => ("bitbucket-api-user", user(p.cfg, "bitbucket-api-user")),
        None => ("bitbucket-user", user(p.cfg, "bitbucket-user")),
    };
    let r = p.http.api(
        &p.api("user"),
        Auth::Basic(&user, &token),
        &[("x-atlassian-token", "no-check")],
    )?;
    let kind = r.header("x-credential-type").map(scrub);
    let scopes: Option<Vec<String>> = r.header("x-oauth-scopes").map(|v| {
        v.split(',')
            .map(|s| scrub(s.trim()))
            .filter(|s| !s.is_empty())
            .collect()
    });
    match r.status {
        200 | 403 => {}
        401 => {
            let hint = if token.starts_with("ATBB") {
                "; it is an app password, and Bitbucket removed app passwords on 2026-07-28: create an API token"
            } else if token.starts_with("ATCTT") {
                "; it is a workspace/project/repository access token, which only works as Bearer, and Atlantis sends Basic auth: use an API token"
            } else if token.starts_with("ATATT") && !user.contains('@') {
                "; API tokens authenticate with the Atlassian account e-mail: set bitbucket-api-user to it"
            } else {
                ""
            };
            let msg = r.message().map(|m| format!(" ({m})")).unwrap_or_default();
            p.rejected(
                format!(
                    "{} rejected {} with {user_key} `{user}`{msg}{hint}",
                    p.name(),
                    p.key()
                ),
                format!("create an API token with scopes {} at {TOKENS_PAGE}; set bitbucket-api-user to your Atlassian account e-mail and bitbucket-token to the token", NEEDED.join(", ")),
            );
            return Ok(());
        }
        s => return Err(Indeterminate::new(format!("{} answered {s}", r.what))),
    }
    let identity = if r.status == 200 {
        let name = r
            .str_field(&["username"])
            .or_else(|| r.str_field(&["display_name"]))
            .unwrap_or("?");
        format!("user `{}`", scrub(name))
    } else {
        // 403 on /user: authenticated, but without the account scope.
        "an account whose details the token may not read".to_string()
    };
    let mut facts = vec![identity];
    if let Some(k) = &kind {
        facts.push(format!("credential type {k}"));
    }
    if let Some(s) = &scopes {
        facts.push(format!(
            "scopes: {}",
            if s.is_empty() {
                "none".into()
            } else {
                s.join(", ")
            }
        ));
    }
    check_scopes(p, &r, scopes.as_deref());
    p.verified(format!(
        "{} accepted {}: {}",
        p.name(),
        p.key(),
        facts.join("; ")
    ));
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

fn check_scopes(p: &mut Probe, r: &Resp, scopes: Option<&[String]>) {
    let needs_user = p.cfg.bool("hide-prev-plan-comments");
    if r.status == 403 && needs_user {
        let required = r
            .json
            .as_ref()
            .and_then(|j| j.pointer("/error/detail/required"))
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str())
                    .map(scrub)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_else(|| "read:user:bitbucket".into());
        p.insufficient(
            format!(
                "{} may not read its own account ({required}), which hide-prev-plan-comments needs ({})",
                p.key(),
                p.name()
            ),
            format!("create a new API token at {TOKENS_PAGE} that also has read:user:bitbucket"),
        );
    }
    let Some(scopes) = scopes else { return };
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
        p.insufficient(
            format!(
                "{} lacks the scopes {} that Atlantis needs to comment on pull requests and set build statuses ({})",
                p.key(),
                missing.join(", "),
                p.name()
            ),
            format!("scopes cannot be added to a token: create a new API token at {TOKENS_PAGE} with {}", NEEDED.join(", ")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

//! Bitbucket Cloud: `GET https://api.bitbucket.org/2.0/user` with Atlantis's Basic auth
//! (`bitbucket-api-user`, else `bitbucket-user`, and the token, untrimmed) and
//! `X-Atlassian-Token: no-check`. The answer's `x-credential-type` and `x-oauth-scopes` headers
//! say what kind of credential it is and what it may do.

use super::http::{Auth, Indeterminate, Resp, scrub};
use super::probe::Probe;
use crate::flags;

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
    let (user_key, user) = match p.cfg.str(flags::BITBUCKET_API_USER) {
        Some(u) => ("bitbucket-api-user", u.to_string()),
        None => (
            "bitbucket-user",
            p.cfg.str(flags::BITBUCKET_USER).unwrap_or("").to_string(),
        ),
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
    let needs_user = p.cfg.bool(flags::HIDE_PREV_PLAN_COMMENTS);
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

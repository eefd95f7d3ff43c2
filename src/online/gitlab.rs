//! GitLab (gitlab.com and self-managed): `PRIVATE-TOKEN` as go-gitlab sends it, untrimmed.
//! `GET /version` (what Atlantis calls at startup), then the token's self-introspection
//! (`/personal_access_tokens/self`: scopes, expiry, active) and the user.

use super::http::{Auth, Indeterminate, Resp, format_time, parse_time};
use super::probe::Probe;
use super::target::{concrete_repos, encode, gitlab_web};
use crate::flags;

pub fn probe(p: &mut Probe) -> Result<(), Indeterminate> {
    let Some(token) = p.credential() else {
        return Ok(());
    };
    let web = gitlab_web(&p.target.api);
    let tokens_page = format!("{web}/-/user_settings/personal_access_tokens");
    let auth = Auth::PrivateToken(&token);

    // 1. What Atlantis does at startup: any failure here stops Atlantis.
    let r = p.http.api(&p.api("version"), auth, &[])?;
    if r.status != 200 {
        return refused(p, &r, &tokens_page);
    }
    let version = r.str_field(&["version"]).map(str::to_string);

    // 2. The token describes itself.
    let r = p
        .http
        .api(&p.api("personal_access_tokens/self"), auth, &[])?;
    let mut facts = Vec::new();
    match r.status {
        200 => {
            let scopes: Vec<String> = r
                .json
                .as_ref()
                .and_then(|j| j.get("scopes"))
                .and_then(|s| s.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let active = r
                .json
                .as_ref()
                .and_then(|j| j.get("active"))
                .and_then(|v| v.as_bool());
            let revoked = r
                .json
                .as_ref()
                .and_then(|j| j.get("revoked"))
                .and_then(|v| v.as_bool());
            if revoked == Some(true) {
                p.rejected(
                    format!("{} says {} has been revoked", p.name(), p.key()),
                    format!(
                        "create a new token with the `api` scope at {tokens_page} and replace {}",
                        p.key()
                    ),
                );
                return Ok(());
            }
            let expires = r.str_field(&["expires_at"]).and_then(parse_time);
            if active == Some(false) {
                p.expired("", &tokens_page);
                return Ok(());
            }
            facts.push(format!(
                "scopes: {}",
                if scopes.is_empty() {
                    "none".into()
                } else {
                    scopes.join(", ")
                }
            ));
            if !scopes.iter().any(|s| s == "api") {
                p.insufficient(
                    format!(
                        "{} has scopes {} but Atlantis needs `api` (it comments, sets commit statuses and merges; `read_api` is not enough) ({})",
                        p.key(),
                        if scopes.is_empty() { "none".into() } else { scopes.join(", ") },
                        p.name()
                    ),
                    format!(
                        "GitLab cannot add scopes to a token: create a new one with `api` at {tokens_page} (or the project's or group's Access Tokens page for a project or group token) and replace {}",
                        p.key()
                    ),
                );
            }
            match expires {
                Some(at) => {
                    facts.push(format!("expires {}", format_time(at)));
                    p.expiry(at, r.server_now(), &tokens_page);
                }
                None => facts.push("no expiry".into()),
            }
        }
        404 => {
            p.unverifiable(
                format!(
                    "{} has no token self-introspection (GitLab before 15.x): the scopes and expiry of {} cannot be read",
                    p.name(),
                    p.key()
                ),
                format!("check at {tokens_page} that the token has the `api` scope and when it expires"),
            );
        }
        _ => return refused(p, &r, &tokens_page),
    }

    // 3. Who the token acts as.
    let r = p.http.api(&p.api("user"), auth, &[])?;
    if r.status != 200 {
        return refused(p, &r, &tokens_page);
    }
    let username = r.str_field(&["username"]).unwrap_or("?").to_string();
    if let Some(state) = r.str_field(&["state"]).filter(|s| *s != "active") {
        p.rejected(
            format!(
                "{} account `{username}` of {} is {state}",
                p.name(),
                p.key()
            ),
            "ask a GitLab administrator to unblock the account, or use another account's token",
        );
        return Ok(());
    }
    let mut msg = format!("{} accepted {}: user `{username}`", p.name(), p.key());
    if let Some(v) = version {
        msg.push_str(&format!(", GitLab {}", super::http::scrub(&v)));
    }
    if !facts.is_empty() {
        msg.push_str(&format!("; {}", facts.join("; ")));
    }
    let configured = p.cfg.str(flags::GITLAB_USER).unwrap_or("").to_string();
    if !username.eq_ignore_ascii_case(&configured) && username != "?" {
        msg.push_str(&format!(
            " (gitlab-user is `{configured}`: Atlantis acts as `{username}`)"
        ));
    }
    p.verified(msg);

    // 4. Projects the repo-allowlist names exactly: visible, and at least Developer.
    let host = super::http::host_port(&p.target.api)
        .map(|(h, _)| h)
        .unwrap_or_default();
    for path in concrete_repos(p.cfg, &host, 2) {
        let r = p
            .http
            .api(&p.api(&format!("projects/{}", encode(&path))), auth, &[])?;
        match r.status {
            200 => {
                let level = |k: &str| {
                    r.json
                        .as_ref()
                        .and_then(|j| j.pointer(&format!("/permissions/{k}/access_level")))
                        .and_then(|v| v.as_i64())
                        .unwrap_or(0)
                };
                let best = level("project_access").max(level("group_access"));
                if best < 30 {
                    p.insufficient(
                        format!(
                            "`{username}` has the role {} in `{path}` (repo-allowlist); Atlantis needs at least Developer (30) to set commit statuses ({})",
                            role(best),
                            p.name()
                        ),
                        format!("give `{username}` the Developer or Maintainer role at {web}/{path}/-/project_members"),
                    );
                    return Ok(());
                }
            }
            404 => {
                let message = format!(
                    "`{path}` from the repo-allowlist is not visible to {} (404: it does not exist, or the account is not a member) ({})",
                    p.key(),
                    p.name()
                );
                p.allowlisted_not_visible(
                    "project",
                    message,
                    "check the project path in repo-allowlist and the account's membership",
                );
                return Ok(());
            }
            _ => return refused(p, &r, &tokens_page),
        }
    }
    Ok(())
}

fn role(level: i64) -> String {
    let name = match level {
        0 => "none",
        5 => "Minimal access",
        10 => "Guest",
        15 => "Planner",
        20 => "Reporter",
        30 => "Developer",
        40 => "Maintainer",
        50 => "Owner",
        _ => "unknown",
    };
    format!("{name} ({level})")
}

/// A 401 or 403 (or anything unexpected) from GitLab.
fn refused(p: &mut Probe, r: &Resp, tokens_page: &str) -> Result<(), Indeterminate> {
    let msg = r.message().unwrap_or_else(|| r.status.to_string());
    let lower = msg.to_ascii_lowercase();
    match r.status {
        401 if lower.contains("expired") => p.expired(&format!(" ({msg})"), tokens_page),
        401 if lower.contains("revoked") => p.rejected(
            format!("{} says {} has been revoked ({msg})", p.name(), p.key()),
            format!("create a new token with the `api` scope at {tokens_page}"),
        ),
        401 => p.rejected(
            format!("{} rejected {} ({msg}); Atlantis would not start: its startup check `GET /version` fails", p.name(), p.key()),
            format!(
                "create a token with the `api` scope at {tokens_page} and replace {}; check gitlab-hostname if the token belongs to another GitLab",
                p.key()
            ),
        ),
        403 if r.str_field(&["error"]) == Some("insufficient_scope") => {
            let accepted = r.str_field(&["scope"]).unwrap_or("api");
            p.insufficient(
                format!(
                    "{} lacks the scope for {} (GitLab accepts: {accepted}); Atlantis needs `api` ({})",
                    p.key(),
                    r.what,
                    p.name()
                ),
                format!("create a new token with the `api` scope at {tokens_page} and replace {}", p.key()),
            )
        }
        403 if lower.contains("blocked") => p.rejected(
            format!("{} says the account of {} is blocked ({msg})", p.name(), p.key()),
            "ask a GitLab administrator to unblock the account, or use another account's token",
        ),
        403 => p.insufficient(
            format!("{} answered 403 for {} ({msg})", p.name(), r.what),
            format!("check the token's scopes at {tokens_page}: Atlantis needs `api`"),
        ),
        s => {
            return Err(Indeterminate::new(format!("{} answered {s} ({msg})", r.what)));
        }
    }
    Ok(())
}

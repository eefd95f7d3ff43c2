//! GitHub personal access token (classic and fine-grained) on github.com, GHE.com and GitHub
//! Enterprise Server: `GET {api}/user` with Atlantis's Basic `gh-user:token`.

use super::http::{Auth, Indeterminate, Resp, parse_time, scrub};
use super::probe::Probe;
use super::target::{concrete_repos, encode, github_web, origin};
use crate::flags;

/// The headers GitHub asks API clients to send.
pub const HEADERS: &[(&str, &str)] = &[
    ("accept", "application/vnd.github+json"),
    ("x-github-api-version", "2022-11-28"),
];

/// The kind of token, from its public prefix (never more of the token than that).
pub fn token_kind(token: &str) -> &'static str {
    if token.starts_with("github_pat_") {
        "fine-grained personal access token"
    } else if token.starts_with("ghp_") {
        "classic personal access token"
    } else if token.starts_with("gho_") {
        "OAuth app token"
    } else if token.starts_with("ghu_") {
        "GitHub App user-to-server token"
    } else if token.starts_with("ghs_") {
        "GitHub App installation token"
    } else {
        "token"
    }
}

/// Classic scopes with the implications gh CLI applies.
pub fn expand_scopes(header: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in header.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        out.push(s.to_string());
        if s == "repo" {
            for i in [
                "repo:status",
                "repo_deployment",
                "public_repo",
                "repo:invite",
                "security_events",
            ] {
                out.push(i.into());
            }
        }
        if let Some(x) = s.strip_prefix("admin:") {
            out.push(format!("write:{x}"));
            out.push(format!("read:{x}"));
        }
        if let Some(x) = s.strip_prefix("write:") {
            out.push(format!("read:{x}"));
        }
    }
    out
}

pub fn probe(p: &mut Probe) -> Result<(), Indeterminate> {
    let Some(token) = p.credential() else {
        return Ok(());
    };
    // Atlantis trims both (UserTransport) and re-reads the token file per request.
    let token = token.trim().to_string();
    let user = p.cfg.str(flags::GH_USER).unwrap_or("").trim().to_string();
    let hostname = p
        .cfg
        .str(flags::GH_HOSTNAME)
        .unwrap_or("github.com")
        .to_string();
    let web = github_web(&hostname);
    let r = p
        .http
        .api(&p.api("user"), Auth::Basic(&user, &token), HEADERS)?;
    match r.status {
        200 => {}
        401 => {
            let msg = r.message().unwrap_or_else(|| "401".into());
            p.rejected(
                format!(
                    "{} rejected {} for gh-user `{user}` ({msg})",
                    p.name(),
                    p.key()
                ),
                format!(
                    "GitHub answers `Bad credentials` for revoked, expired and mistyped tokens alike: create a new token at {web}/settings/tokens (classic, scope `repo`) or {web}/settings/personal-access-tokens (fine-grained) and replace {}; check gh-hostname if the token belongs to another GitHub",
                    p.key()
                ),
            );
            return Ok(());
        }
        403 => {
            forbidden(p, &r, &web);
            return Ok(());
        }
        s => {
            return Err(Indeterminate::new(format!("{} answered {s}", r.what)));
        }
    }
    let login = r.str_field(&["login"]).unwrap_or("?").to_string();
    let mut facts = vec![format!("user `{login}`")];
    if let Some(v) = r.header("x-github-enterprise-version") {
        facts.push(format!("GitHub Enterprise Server {}", scrub(v)));
    }
    let kind = token_kind(&token);
    match r.headers.get("x-oauth-scopes") {
        Some(v) => {
            // Present (even empty): a classic token or an OAuth token, with declared scopes.
            let raw = v.to_str().unwrap_or("").to_string();
            let scopes = expand_scopes(&raw);
            let shown = if raw.trim().is_empty() {
                "none".to_string()
            } else {
                raw.split(',').map(str::trim).collect::<Vec<_>>().join(", ")
            };
            facts.push(format!(
                "{}, scopes: {shown}",
                if kind == "token" {
                    "classic token"
                } else {
                    kind
                }
            ));
            let has = |s: &str| scopes.iter().any(|x| x == s);
            if !has("repo") {
                let only_public = if has("public_repo") {
                    " (it has only `public_repo`: private repositories are out of reach)"
                } else {
                    ""
                };
                p.insufficient(
                    format!(
                        "{} for gh-user `{user}` lacks the scope `repo` that Atlantis needs{only_public} ({})",
                        p.key(),
                        p.name()
                    ),
                    format!(
                        "edit the token at {web}/settings/tokens and tick `repo` (no new token needed), or use a fine-grained token"
                    ),
                );
            }
            if p.cfg.is_set(flags::GH_TEAM_ALLOWLIST) && !has("read:org") {
                let f = p
                    .finding(
                        &super::rules::INSUFFICIENT,
                        format!(
                            "{} lacks `read:org`, which gh-team-allowlist needs to read team membership ({})",
                            p.key(),
                            p.name()
                        ),
                    )
                    .severity(crate::finding::Severity::Warning)
                    .label("lacks what gh-team-allowlist needs")
                    .help(format!("edit the token at {web}/settings/tokens and tick `read:org`"));
                p.push(f);
            }
        }
        None => {
            facts.push(format!(
                "{} (no declared scopes)",
                if kind == "token" {
                    "fine-grained or app token"
                } else {
                    kind
                }
            ));
            let team = if p.cfg.is_set(flags::GH_TEAM_ALLOWLIST) {
                ", and the organisation permission Members: read (gh-team-allowlist)"
            } else {
                ""
            };
            p.unverifiable(
                format!(
                    "{} is a {} whose permissions a read-only probe cannot see ({})",
                    p.key(),
                    if kind == "token" { "fine-grained token" } else { kind },
                    p.name()
                ),
                format!(
                    "check at {web}/settings/personal-access-tokens that it has repository permissions Contents: read, Metadata: read, Commit statuses: read and write, Pull requests: read and write{team}, and that its repository access covers the repo-allowlist"
                ),
            );
        }
    }
    if let Some(exp) = r.header("github-authentication-token-expiration") {
        if let Some(at) = parse_time(exp) {
            facts.push(format!("expires {}", super::http::format_time(at)));
            let rotate = format!("{web}/settings/tokens");
            p.expiry(at, r.server_now(), &rotate);
        }
    } else {
        facts.push("no expiry".into());
    }
    let mut msg = format!("{} accepted {}: {}", p.name(), p.key(), facts.join("; "));
    if !login.eq_ignore_ascii_case(&user) && login != "?" {
        msg.push_str(&format!(
            " (gh-user is `{user}`: Atlantis acts as `{login}`, and hide-prev-plan-comments looks for comments by `{user}`)"
        ));
    }
    p.verified(msg);
    repo_access(p, &hostname, &login, &token, &user, &web)
}

/// Repositories the repo-allowlist names exactly: visible, and writable by the account
/// (Atlantis sets commit statuses and merges). Read-only: `GET /repos/{owner}/{repo}`.
fn repo_access(
    p: &mut Probe,
    hostname: &str,
    login: &str,
    token: &str,
    user: &str,
    web: &str,
) -> Result<(), Indeterminate> {
    for full in concrete_repos(p.cfg, hostname, 2) {
        let Some((owner, repo)) = full.split_once('/') else {
            continue;
        };
        let url = p.api(&format!("repos/{}/{}", encode(owner), encode(repo)));
        let r = p.http.api(&url, Auth::Basic(user, token), HEADERS)?;
        match r.status {
            200 => {
                let push = r
                    .json
                    .as_ref()
                    .and_then(|j| j.pointer("/permissions/push"))
                    .and_then(|v| v.as_bool());
                if push == Some(false) {
                    p.insufficient(
                        format!(
                            "`{login}` has no write access to `{full}` (repo-allowlist): Atlantis cannot set commit statuses or merge there ({})",
                            p.name()
                        ),
                        format!("give `{login}` the Write role on the repository (directly or through a team) at {web}/{owner}/{repo}/settings/access"),
                    );
                    return Ok(());
                }
            }
            404 => {
                let message = format!(
                    "`{full}` from the repo-allowlist is not visible to {} (404: it does not exist, or the token cannot see it) ({})",
                    p.key(),
                    p.name()
                );
                p.allowlisted_not_visible("repository", message, "check the name in repo-allowlist; a fine-grained token must list the repository in its repository access, and the account needs access to it");
                return Ok(());
            }
            403 => {
                forbidden(p, &r, web);
                return Ok(());
            }
            s => return Err(Indeterminate::new(format!("{} answered {s}", r.what))),
        }
    }
    Ok(())
}

/// A 403 from GitHub: SAML SSO, organisation policy, or a missing permission.
pub fn forbidden(p: &mut Probe, r: &Resp, web: &str) {
    let msg = r.message().unwrap_or_default();
    if let Some(sso) = r.header("x-github-sso") {
        // `required; url=https://github.com/orgs/acme/sso?authorization_request=...`
        let url = sso.split("url=").nth(1).unwrap_or("").trim();
        let org = url
            .split("/orgs/")
            .nth(1)
            .and_then(|rest| rest.split(['/', '?']).next())
            .filter(|o| !o.is_empty())
            .map(|o| format!(" `{}`", scrub(o)))
            .unwrap_or_default();
        let at = if url.is_empty() {
            web.to_string()
        } else {
            origin(url)
        };
        p.insufficient(
            format!(
                "{} is not authorized for the SAML single sign-on of organisation{org} ({})",
                p.key(),
                p.name()
            ),
            format!(
                "at {web}/settings/tokens, open the token's `Configure SSO` menu and authorize it for the organisation (sign-in at {at})"
            ),
        );
        return;
    }
    let lower = msg.to_ascii_lowercase();
    if lower.contains("forbids access via") {
        p.insufficient(
            format!("{} is refused by an organisation policy: {msg} ({})", p.key(), p.name()),
            "use the kind of token the organisation allows (fine-grained with a short lifetime, or a GitHub App)",
        );
        return;
    }
    let accepted = r
        .header("x-accepted-github-permissions")
        .map(|v| format!("; GitHub accepts: {}", scrub(v)))
        .unwrap_or_default();
    p.insufficient(
        format!(
            "{} answered 403 for {}: {}{accepted}",
            p.name(),
            p.key(),
            if msg.is_empty() { "forbidden".into() } else { msg }
        ),
        format!("grant the token the permissions named, at {web}/settings/tokens or {web}/settings/personal-access-tokens"),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn scope_implications() {
        let s = super::expand_scopes("repo, admin:org");
        assert!(s.contains(&"public_repo".to_string()));
        assert!(s.contains(&"read:org".to_string()));
        assert!(super::expand_scopes("").is_empty());
    }
}

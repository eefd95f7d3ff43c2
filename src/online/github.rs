//! GitHub personal access token (classic and fine-grained) on github.com, GHE.com and GitHub
//! Enterprise Server: `GET {api}/user` with Atlantis's Basic `gh-user:token`.

use super::http::{Auth, Indeterminate, Resp, parse_time, scrub};
use super::probe::{Probe, Verdict};
use super::target::{concrete_repos, encode, github_web, origin, strip_port, user};
use serde::Deserialize;

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
    let token = zeroize::Zeroizing::new(token.trim().to_string());
    let user = user(p.cfg, "gh-user").trim().to_string();
    let hostname = p.cfg.str("gh-hostname").unwrap_or("github.com").to_string();
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
    let login = r.str_field(&["login"]).map_or("?".into(), scrub);
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
            if p.cfg.is_set("gh-team-allowlist") && !has("read:org") {
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
            let team = if p.cfg.is_set("gh-team-allowlist") {
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
    let scopes = r
        .headers
        .get("x-oauth-scopes")
        .map(|v| expand_scopes(v.to_str().unwrap_or("")));
    let fine_grained = scopes.is_none();
    // A classic token without read:org was reported above; its team request would only fail.
    let teams = scopes.is_none_or(|s| s.iter().any(|x| x == "read:org"));
    let auth = Auth::Basic(&user, &token);
    repo_access(p, &hostname, &login, auth, &web, fine_grained, teams)
}

/// `GET /repos/{owner}/{repo}`, the part the probe reads.
#[derive(Debug, Deserialize)]
pub struct Repo {
    #[serde(default)]
    pub default_branch: Option<String>,
    #[serde(default)]
    pub permissions: Option<RepoPermissions>,
}

#[derive(Debug, Deserialize)]
pub struct RepoPermissions {
    #[serde(default)]
    pub push: bool,
}

/// `GET /orgs/{org}/teams`: one team.
#[derive(Debug, Deserialize)]
pub struct Team {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub slug: String,
}

/// Who and where, for the judges' messages.
pub struct Facts<'a> {
    /// `GitHub at https://api.github.com`.
    pub name: &'a str,
    /// The credential's flag.
    pub key: &'a str,
    /// The GitHub web UI (`https://github.com`).
    pub web: &'a str,
    /// The account the token acts as.
    pub login: &'a str,
}

/// Judges `GET /repos/{owner}/{repo}` for a repository of the repo-allowlist: visible, and
/// writable by the account (Atlantis sets commit statuses and merges). `None`: go on.
pub fn judge_repo(f: &Facts, full: &str, status: u16, repo: Option<&Repo>) -> Option<Verdict> {
    match status {
        200 if repo.and_then(|r| r.permissions.as_ref()).is_some_and(|p| !p.push) => {
            Some(Verdict::Insufficient {
                message: format!(
                    "`{}` has no write access to `{full}` (repo-allowlist): Atlantis cannot set commit statuses or merge there ({})",
                    f.login, f.name
                ),
                help: format!(
                    "give `{}` the Write role on the repository (directly or through a team) at {}/{full}/settings/access",
                    f.login, f.web
                ),
            })
        }
        404 => Some(Verdict::NotVisible {
            what: "repository",
            message: format!(
                "`{full}` from the repo-allowlist is not visible to {} (404: it does not exist, or the token cannot see it) ({})",
                f.key, f.name
            ),
            help: "check the name in repo-allowlist; a fine-grained token must list the repository in its repository access, and the account needs access to it".into(),
        }),
        _ => None,
    }
}

/// The read-side requests that show a fine-grained token's repository permissions
/// (host-apis.md 2.1, request 3): path below the repository, and the permission it needs.
fn fine_grained_reads(default_branch: &str) -> [(String, &'static str); 3] {
    [
        ("commits?per_page=1".into(), "Contents: read"),
        ("pulls?per_page=1&state=all".into(), "Pull requests: read"),
        (
            format!("commits/{}/status", encode(default_branch)),
            "Commit statuses: read",
        ),
    ]
}

/// Judges one fine-grained read: 200 (409 for an empty repository) is fine; 403 and 404 mean
/// the token lacks the permission (GitHub hides what a token may not read behind 404).
pub fn judge_read(
    f: &Facts,
    full: &str,
    permission: &str,
    status: u16,
    accepted: Option<&str>,
) -> Option<Verdict> {
    if matches!(status, 200 | 409) || !matches!(status, 403 | 404) {
        return None;
    }
    let accepted = accepted
        .map(|a| format!("; GitHub accepts: {}", scrub(a)))
        .unwrap_or_default();
    Some(Verdict::Insufficient {
        message: format!(
            "{} cannot read `{full}` with the repository permission {permission} ({status}{accepted}): Atlantis reads it for every pull request ({})",
            f.key, f.name
        ),
        help: format!(
            "edit the fine-grained token at {}/settings/personal-access-tokens: give it {permission} (with Commit statuses and Pull requests: read and write) on the repositories of the repo-allowlist",
            f.web
        ),
    })
}

/// The team names `gh-team-allowlist` names (`team:command` entries; `*` is any team).
pub fn allowlisted_teams(value: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for entry in value.split(',') {
        let team = entry.split(':').next().unwrap_or("").trim();
        if !team.is_empty() && team != "*" && !out.iter().any(|t| t.eq_ignore_ascii_case(team)) {
            out.push(team.to_string());
        }
    }
    out
}

/// Judges `GET /orgs/{org}/teams` for `gh-team-allowlist`: Atlantis reads the commenter's teams
/// in the repository's organisation, which needs `read:org` (classic) or the organisation
/// permission Members: read (fine-grained); and every team it names should exist there.
pub fn judge_teams(
    f: &Facts,
    org: &str,
    status: u16,
    teams: Option<&[Team]>,
    wanted: &[String],
) -> Vec<Verdict> {
    match (status, teams) {
        (200, Some(teams)) => {
            let missing: Vec<String> = wanted
                .iter()
                .filter(|w| {
                    !teams
                        .iter()
                        .any(|t| t.name.eq_ignore_ascii_case(w) || t.slug.eq_ignore_ascii_case(w))
                })
                .map(|w| format!("`{w}`"))
                .collect();
            if missing.is_empty() {
                return Vec::new();
            }
            vec![Verdict::Doubtful {
                message: format!(
                    "gh-team-allowlist names {} that organisation `{org}` does not have (or that {} cannot see) ({})",
                    missing.join(", "),
                    f.key,
                    f.name
                ),
                help: format!("compare with the teams at {}/orgs/{org}/teams", f.web),
            }]
        }
        (403 | 404, _) => vec![Verdict::Doubtful {
            message: format!(
                "{} cannot read the teams of organisation `{org}` ({status}), which gh-team-allowlist needs ({})",
                f.key, f.name
            ),
            help: format!(
                "a classic token needs `read:org`; a fine-grained token needs the organisation permission Members: read ({}/settings/personal-access-tokens)",
                f.web
            ),
        }],
        _ => Vec::new(),
    }
}

/// The organisation of the repo-allowlist on this host: the owner of its first entry whose
/// owner has no wildcard (`github.com/acme/*`).
fn allowlist_org(p: &Probe, hostname: &str) -> Option<String> {
    let allow = p.cfg.str("repo-allowlist")?;
    let host = strip_port(hostname).to_ascii_lowercase();
    allow.split(',').find_map(|e| {
        let mut parts = e.trim().split('/');
        let h = strip_port(parts.next()?).to_ascii_lowercase();
        let org = parts.next()?;
        (h == host && !org.is_empty() && !org.contains(['*', '?']) && !e.starts_with('!'))
            .then(|| org.to_string())
    })
}

/// Repositories the repo-allowlist names exactly: visible and writable; for a fine-grained
/// token, also readable as Atlantis reads them (the first one). Then the teams of
/// `gh-team-allowlist`.
fn repo_access(
    p: &mut Probe,
    hostname: &str,
    login: &str,
    auth: Auth,
    web: &str,
    fine_grained: bool,
    teams: bool,
) -> Result<(), Indeterminate> {
    let name = p.name();
    let key = p.key();
    let facts = Facts {
        name: &name,
        key,
        web,
        login,
    };
    for (i, full) in concrete_repos(p.cfg, hostname, 2).into_iter().enumerate() {
        let Some((owner, repo)) = full.split_once('/') else {
            continue;
        };
        let base = p.api(&format!("repos/{}/{}", encode(owner), encode(repo)));
        let r = p.http.api(&base, auth, HEADERS)?;
        if r.status == 403 {
            forbidden(p, &r, web);
            return Ok(());
        }
        if !matches!(r.status, 200 | 404) {
            return Err(Indeterminate::new(format!(
                "{} answered {}",
                r.what, r.status
            )));
        }
        let body: Option<Repo> = r.body();
        if let Some(v) = judge_repo(&facts, &full, r.status, body.as_ref()) {
            p.apply([v]);
            return Ok(());
        }
        if fine_grained && i == 0 {
            let branch = body
                .and_then(|b| b.default_branch)
                .unwrap_or_else(|| "main".into());
            for (path, permission) in fine_grained_reads(&branch) {
                let r = p.http.api(&format!("{base}/{path}"), auth, HEADERS)?;
                let accepted = r.header("x-accepted-github-permissions");
                if let Some(v) = judge_read(&facts, &full, permission, r.status, accepted) {
                    p.apply([v]);
                    return Ok(());
                }
            }
        }
    }
    let wanted = allowlisted_teams(p.cfg.str("gh-team-allowlist").unwrap_or(""));
    if teams && !wanted.is_empty() {
        if let Some(org) = allowlist_org(p, hostname) {
            let url = p.api(&format!("orgs/{}/teams?per_page=100", encode(&org)));
            let r = p.http.api(&url, auth, HEADERS)?;
            let teams: Option<Vec<Team>> = r.body();
            let verdicts = judge_teams(&facts, &org, r.status, teams.as_deref(), &wanted);
            p.apply(verdicts);
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
    use super::*;

    const FACTS: Facts = Facts {
        name: "GitHub at https://api.github.com",
        key: "gh-token",
        web: "https://github.com",
        login: "atlantis-bot",
    };

    fn repo(json: &str) -> Repo {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn repo_answers_are_judged() {
        // Recorded: host-apis.md 2.1.
        let ok = repo(
            r#"{"full_name":"acme/infra","private":true,"default_branch":"main","permissions":{"admin":false,"maintain":false,"push":true,"triage":true,"pull":true}}"#,
        );
        assert_eq!(judge_repo(&FACTS, "acme/infra", 200, Some(&ok)), None);
        let read_only = repo(r#"{"permissions":{"push":false,"pull":true}}"#);
        let v = judge_repo(&FACTS, "acme/infra", 200, Some(&read_only)).unwrap();
        assert!(
            matches!(&v, Verdict::Insufficient { message, .. } if message.contains("has no write access to `acme/infra`"))
        );
        let v = judge_repo(&FACTS, "acme/infra", 404, None).unwrap();
        assert!(matches!(
            v,
            Verdict::NotVisible {
                what: "repository",
                ..
            }
        ));
    }

    #[test]
    fn fine_grained_reads_are_judged() {
        assert_eq!(
            judge_read(&FACTS, "acme/infra", "Contents: read", 200, None),
            None
        );
        // An empty repository answers 409 to the commit list.
        assert_eq!(
            judge_read(&FACTS, "acme/infra", "Contents: read", 409, None),
            None
        );
        let v = judge_read(
            &FACTS,
            "acme/infra",
            "Pull requests: read",
            403,
            Some("pull_requests=read"),
        )
        .unwrap();
        let Verdict::Insufficient { message, .. } = v else {
            panic!()
        };
        assert!(message.contains("cannot read `acme/infra` with the repository permission Pull requests: read (403; GitHub accepts: pull_requests=read)"), "{message}");
        assert_eq!(
            judge_read(&FACTS, "acme/infra", "Contents: read", 500, None),
            None
        );
    }

    #[test]
    fn teams_are_judged() {
        assert_eq!(
            allowlisted_teams("devops:plan, *:apply, DevOps:apply,sre"),
            ["devops", "sre"]
        );
        let teams: Vec<Team> = serde_json::from_str(
            r#"[{"id":1,"name":"DevOps","slug":"devops"},{"id":2,"name":"Platform","slug":"platform"}]"#,
        )
        .unwrap();
        let wanted = vec!["devops".to_string(), "sre".to_string()];
        let v = judge_teams(&FACTS, "acme", 200, Some(&teams), &wanted);
        let [Verdict::Doubtful { message, .. }] = v.as_slice() else {
            panic!("{v:?}")
        };
        assert!(
            message.starts_with(
                "gh-team-allowlist names `sre` that organisation `acme` does not have"
            ),
            "{message}"
        );
        assert!(judge_teams(&FACTS, "acme", 200, Some(&teams), &wanted[..1]).is_empty());
        let v = judge_teams(&FACTS, "acme", 403, None, &wanted);
        assert!(
            matches!(&v[..], [Verdict::Doubtful { message, .. }] if message.contains("cannot read the teams of organisation `acme` (403)"))
        );
    }

    #[test]
    fn scope_implications() {
        let s = super::expand_scopes("repo, admin:org");
        assert!(s.contains(&"public_repo".to_string()));
        assert!(s.contains(&"read:org".to_string()));
        assert!(super::expand_scopes("").is_empty());
    }
}

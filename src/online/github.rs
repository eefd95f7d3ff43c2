//! GitHub personal access token (classic and fine-grained) on github.com, GHE.com and GitHub
//! Enterprise Server: `GET {api}/user` with Atlantis's Basic `gh-user:token`.

use super::http::{Auth, Indeterminate, Resp, parse_time, scrub};
use super::probe::{Probe, Verdict};
use super::target::{concrete_repos, encode, github_web, origin, strip_port};
use crate::flags;
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
    let user = p
        .cfg
        .str(flags::GH_USER)
        .unwrap_or("")
        .to_string()
        .trim()
        .to_string();
    let hostname = p
        .cfg
        .str(flags::GH_HOSTNAME)
        .unwrap_or("github.com")
        .to_string();
    let web = github_web(&hostname);
    let r = p
        .http
        .api(&p.api("user"), Auth::Basic(&user, &token), HEADERS)?;
    if !matches!(r.status, 200 | 401 | 403) {
        return Err(Indeterminate::new(format!(
            "{} answered {}",
            r.what, r.status
        )));
    }
    let answer = UserAnswer::read(&r);
    let name = p.name();
    let facts = UserFacts {
        name: &name,
        key: p.key(),
        web: &web,
        user: &user,
        kind: token_kind(&token),
        team_allowlist: p.cfg.is_set(flags::GH_TEAM_ALLOWLIST),
    };
    let verdicts = judge_user(&facts, &answer);
    let accepted = verdicts.iter().any(|v| matches!(v, Verdict::Verified(_)));
    p.apply(verdicts);
    if !accepted {
        return Ok(());
    }
    let login = answer.login.as_deref().map_or("?".into(), scrub);
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

/// What the probe reads from `GET /user`: the typed body, the headers that describe the token,
/// and the host's own (scrubbed) explanation.
#[derive(Debug, Default, Clone)]
pub struct UserAnswer {
    pub status: u16,
    pub login: Option<String>,
    /// `X-OAuth-Scopes`: `None` when absent (fine-grained or app token), `Some("")` when empty.
    pub scopes: Option<String>,
    pub expiration: Option<String>,
    pub enterprise_version: Option<String>,
    /// The host's clock (`Date`).
    pub server_now: Option<i64>,
    pub forbidden: Forbidden,
}

/// What a 403 from GitHub says.
#[derive(Debug, Default, Clone)]
pub struct Forbidden {
    pub message: Option<String>,
    /// `X-GitHub-SSO`.
    pub sso: Option<String>,
    /// `X-Accepted-GitHub-Permissions`.
    pub accepted: Option<String>,
}

#[derive(Deserialize)]
struct UserBody {
    #[serde(default)]
    login: Option<String>,
}

impl Forbidden {
    pub fn read(r: &Resp) -> Forbidden {
        Forbidden {
            message: r.message(),
            sso: r.header("x-github-sso").map(str::to_string),
            accepted: r.header("x-accepted-github-permissions").map(scrub),
        }
    }
}

impl UserAnswer {
    /// The fetch step's typed view of an answer.
    pub fn read(r: &Resp) -> UserAnswer {
        UserAnswer {
            status: r.status,
            login: r.body::<UserBody>().and_then(|b| b.login),
            scopes: r
                .headers
                .get("x-oauth-scopes")
                .map(|v| v.to_str().unwrap_or("").to_string()),
            expiration: r
                .header("github-authentication-token-expiration")
                .map(str::to_string),
            enterprise_version: r.header("x-github-enterprise-version").map(scrub),
            server_now: r.server_now(),
            forbidden: Forbidden::read(r),
        }
    }
}

/// Who and where, for the identity judge.
pub struct UserFacts<'a> {
    pub name: &'a str,
    pub key: &'a str,
    pub web: &'a str,
    /// `gh-user` as Atlantis sends it.
    pub user: &'a str,
    /// From the token's public prefix ([`token_kind`]).
    pub kind: &'static str,
    pub team_allowlist: bool,
}

/// Judges `GET /user` sent with Atlantis's Basic `gh-user:token` (host-apis.md 2.1). Pure.
pub fn judge_user(f: &UserFacts, a: &UserAnswer) -> Vec<Verdict> {
    let (name, key, web, user, kind) = (f.name, f.key, f.web, f.user, f.kind);
    match a.status {
        200 => {}
        401 => {
            let msg = a.forbidden.message.clone().unwrap_or_else(|| "401".into());
            return vec![Verdict::Rejected {
                message: format!("{name} rejected {key} for gh-user `{user}` ({msg})"),
                help: format!(
                    "GitHub answers `Bad credentials` for revoked, expired and mistyped tokens alike: create a new token at {web}/settings/tokens (classic, scope `repo`) or {web}/settings/personal-access-tokens (fine-grained) and replace {key}; check gh-hostname if the token belongs to another GitHub"
                ),
            }];
        }
        _ => return vec![judge_forbidden(name, key, web, &a.forbidden)],
    }
    let mut out = Vec::new();
    let login = a.login.as_deref().map_or("?".into(), scrub);
    let mut facts = vec![format!("user `{login}`")];
    if let Some(v) = &a.enterprise_version {
        facts.push(format!("GitHub Enterprise Server {v}"));
    }
    match &a.scopes {
        Some(raw) => {
            // Present (even empty): a classic token or an OAuth token, with declared scopes.
            let scopes = expand_scopes(raw);
            let shown = if raw.trim().is_empty() {
                "none".to_string()
            } else {
                raw.split(',').map(str::trim).collect::<Vec<_>>().join(", ")
            };
            let kind = if kind == "token" {
                "classic token"
            } else {
                kind
            };
            facts.push(format!("{kind}, scopes: {}", scrub(&shown)));
            let has = |s: &str| scopes.iter().any(|x| x == s);
            if !has("repo") {
                let only_public = if has("public_repo") {
                    " (it has only `public_repo`: private repositories are out of reach)"
                } else {
                    ""
                };
                out.push(Verdict::Insufficient {
                    message: format!(
                        "{key} for gh-user `{user}` lacks the scope `repo` that Atlantis needs{only_public} ({name})"
                    ),
                    help: format!(
                        "edit the token at {web}/settings/tokens and tick `repo` (no new token needed), or use a fine-grained token"
                    ),
                });
            }
            if f.team_allowlist && !has("read:org") {
                out.push(Verdict::Doubtful {
                    message: format!(
                        "{key} lacks `read:org`, which gh-team-allowlist needs to read team membership ({name})"
                    ),
                    help: format!("edit the token at {web}/settings/tokens and tick `read:org`"),
                });
            }
        }
        None => {
            let shown = if kind == "token" {
                "fine-grained or app token"
            } else {
                kind
            };
            facts.push(format!("{shown} (no declared scopes)"));
            let team = if f.team_allowlist {
                ", and the organisation permission Members: read (gh-team-allowlist)"
            } else {
                ""
            };
            let shown = if kind == "token" {
                "fine-grained token"
            } else {
                kind
            };
            out.push(Verdict::Unverifiable {
                message: format!(
                    "{key} is a {shown} whose permissions a read-only probe cannot see ({name})"
                ),
                help: format!(
                    "check at {web}/settings/personal-access-tokens that it has repository permissions Contents: read, Metadata: read, Commit statuses: read and write, Pull requests: read and write{team}, and that its repository access covers the repo-allowlist"
                ),
            });
        }
    }
    match a.expiration.as_deref().map(parse_time) {
        Some(Some(at)) => {
            facts.push(format!("expires {}", super::http::format_time(at)));
            out.push(Verdict::Expiry {
                at,
                server_now: a.server_now,
                rotate_at: format!("{web}/settings/tokens"),
            });
        }
        Some(None) => {}
        None => facts.push("no expiry".into()),
    }
    let mut msg = format!("{name} accepted {key}: {}", facts.join("; "));
    if !login.eq_ignore_ascii_case(user) && login != "?" {
        msg.push_str(&format!(
            " (gh-user is `{user}`: Atlantis acts as `{login}`, and hide-prev-plan-comments looks for comments by `{user}`)"
        ));
    }
    out.push(Verdict::Verified(msg));
    out
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
    let allow = p.cfg.str(flags::REPO_ALLOWLIST)?;
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
    let wanted = allowlisted_teams(p.cfg.str(flags::GH_TEAM_ALLOWLIST).unwrap_or(""));
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
    let v = judge_forbidden(&p.name(), p.key(), web, &Forbidden::read(r));
    p.apply([v]);
}

/// Judges a 403 from GitHub. Pure.
pub fn judge_forbidden(name: &str, key: &str, web: &str, f: &Forbidden) -> Verdict {
    let msg = f.message.clone().unwrap_or_default();
    if let Some(sso) = &f.sso {
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
        return Verdict::Insufficient {
            message: format!(
                "{key} is not authorized for the SAML single sign-on of organisation{org} ({name})"
            ),
            help: format!(
                "at {web}/settings/tokens, open the token's `Configure SSO` menu and authorize it for the organisation (sign-in at {at})"
            ),
        };
    }
    if msg.to_ascii_lowercase().contains("forbids access via") {
        return Verdict::Insufficient {
            message: format!("{key} is refused by an organisation policy: {msg} ({name})"),
            help: "use the kind of token the organisation allows (fine-grained with a short lifetime, or a GitHub App)".into(),
        };
    }
    let accepted = f
        .accepted
        .as_ref()
        .map(|v| format!("; GitHub accepts: {v}"))
        .unwrap_or_default();
    Verdict::Insufficient {
        message: format!(
            "{name} answered 403 for {key}: {}{accepted}",
            if msg.is_empty() { "forbidden" } else { &msg }
        ),
        help: format!(
            "grant the token the permissions named, at {web}/settings/tokens or {web}/settings/personal-access-tokens"
        ),
    }
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

    fn user_facts(team_allowlist: bool) -> UserFacts<'static> {
        UserFacts {
            name: "GitHub at https://api.github.com",
            key: "gh-token",
            web: "https://github.com",
            user: "atlantis-bot",
            kind: "classic personal access token",
            team_allowlist,
        }
    }

    #[test]
    fn user_answers_are_judged() {
        // Recorded: host-apis.md 2.1 (classic token, `repo, read:org`, expiring).
        let ok = UserAnswer {
            status: 200,
            login: Some("atlantis-bot".into()),
            scopes: Some("repo, read:org".into()),
            expiration: Some("2026-11-30 12:00:00 UTC".into()),
            ..Default::default()
        };
        let v = judge_user(&user_facts(true), &ok);
        let [Verdict::Expiry { at, .. }, Verdict::Verified(msg)] = v.as_slice() else {
            panic!("{v:?}")
        };
        assert_eq!(super::super::http::format_time(*at), "2026-11-30 12:00 UTC");
        assert_eq!(
            msg,
            "GitHub at https://api.github.com accepted gh-token: user `atlantis-bot`; classic personal access token, scopes: repo, read:org; expires 2026-11-30 12:00 UTC"
        );
        // `public_repo` only, no read:org although gh-team-allowlist is set, another login.
        let weak = UserAnswer {
            status: 200,
            login: Some("someone".into()),
            scopes: Some("public_repo".into()),
            ..Default::default()
        };
        let v = judge_user(&user_facts(true), &weak);
        assert!(
            matches!(&v[0], Verdict::Insufficient { message, .. } if message.contains("lacks the scope `repo` that Atlantis needs (it has only `public_repo`"))
        );
        assert!(
            matches!(&v[1], Verdict::Doubtful { message, .. } if message.contains("lacks `read:org`"))
        );
        assert!(
            matches!(&v[2], Verdict::Verified(m) if m.contains("no expiry (gh-user is `atlantis-bot`: Atlantis acts as `someone`"))
        );
        // No scopes header: fine-grained, a note.
        let fine = UserAnswer {
            status: 200,
            login: Some("atlantis-bot".into()),
            ..Default::default()
        };
        let v = judge_user(&user_facts(false), &fine);
        assert!(matches!(&v[0], Verdict::Unverifiable { .. }), "{v:?}");
        // 401 and 403 with SSO.
        let bad = UserAnswer {
            status: 401,
            forbidden: Forbidden {
                message: Some("Bad credentials".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(
            matches!(&judge_user(&user_facts(false), &bad)[..], [Verdict::Rejected { message, .. }] if message.ends_with("for gh-user `atlantis-bot` (Bad credentials)"))
        );
        let sso = UserAnswer {
            status: 403,
            forbidden: Forbidden {
                sso: Some("required; url=https://github.com/orgs/acme/sso?authorization_request=SECRETISH".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let v = judge_user(&user_facts(false), &sso);
        let [Verdict::Insufficient { message, help }] = v.as_slice() else {
            panic!()
        };
        assert!(message.contains("SAML single sign-on of organisation `acme`"));
        assert!(help.ends_with("(sign-in at https://github.com)") && !help.contains("SECRETISH"));
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

//! GitLab (gitlab.com and self-managed): `PRIVATE-TOKEN` as go-gitlab sends it, untrimmed.
//! `GET /version` (what Atlantis calls at startup), then the token's self-introspection
//! (`/personal_access_tokens/self`: scopes, expiry, active) and the user.

use super::http::{Auth, Indeterminate, Resp, format_time, parse_time, scrub};
use super::probe::{Probe, Verdict};
use super::target::{encode, gitlab_web};
use crate::flags;
use serde::Deserialize;

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
    if !matches!(r.status, 200 | 404) {
        return refused(p, &r, &tokens_page);
    }
    let (name, key) = (p.name(), p.key());
    let token_self: Option<TokenSelf> = r.body();
    let judged = judge_token_self(
        &name,
        key,
        &tokens_page,
        r.status,
        token_self.as_ref(),
        r.server_now(),
    );
    let stop = judged
        .verdicts
        .iter()
        .any(|v| matches!(v, Verdict::Rejected { .. }));
    p.apply(judged.verdicts);
    if stop || judged.expired {
        if judged.expired {
            p.expired("", &tokens_page);
        }
        return Ok(());
    }
    let facts = judged.facts;

    // 3. Who the token acts as.
    let r = p.http.api(&p.api("user"), auth, &[])?;
    if r.status != 200 {
        return refused(p, &r, &tokens_page);
    }
    let account: Option<User> = r.body();
    let configured = p.cfg.str(flags::GITLAB_USER).unwrap_or("").to_string();
    let name = p.name();
    let verdict = judge_user(
        &name,
        p.key(),
        version.as_deref(),
        &facts,
        &configured,
        account.as_ref(),
    );
    let accepted = matches!(verdict, Verdict::Verified(_));
    p.apply([verdict]);
    if !accepted {
        return Ok(());
    }
    let username = account
        .and_then(|a| a.username)
        .map_or("?".into(), |u| scrub(&u));

    // 4. Projects the repo-allowlist names exactly: visible, and at least Developer.
    for path in p.allowlisted_repos(2) {
        let r = p
            .http
            .api(&p.api(&format!("projects/{}", encode(&path))), auth, &[])?;
        if !matches!(r.status, 200 | 404) {
            return refused(p, &r, &tokens_page);
        }
        let project: Option<Project> = r.body();
        let (name, key) = (p.name(), p.key());
        if let Some(v) = judge_project(
            &name,
            key,
            &web,
            &username,
            &path,
            r.status,
            project.as_ref(),
        ) {
            p.apply([v]);
            return Ok(());
        }
    }
    Ok(())
}

/// `GET /personal_access_tokens/self`, the part the probe reads.
#[derive(Debug, Deserialize)]
pub struct TokenSelf {
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub revoked: Option<bool>,
    #[serde(default)]
    pub expires_at: Option<String>,
}

/// What the token's self-introspection says.
#[derive(Debug, Default)]
pub struct TokenJudgement {
    pub verdicts: Vec<Verdict>,
    /// For the verified message: scopes and expiry.
    pub facts: Vec<String>,
    /// GitLab says the token is no longer active.
    pub expired: bool,
}

/// Judges `GET /personal_access_tokens/self` (404: a GitLab too old to have it). Pure.
pub fn judge_token_self(
    name: &str,
    key: &str,
    tokens_page: &str,
    status: u16,
    t: Option<&TokenSelf>,
    server_now: Option<i64>,
) -> TokenJudgement {
    let mut out = TokenJudgement::default();
    let Some(t) = t.filter(|_| status == 200) else {
        out.verdicts.push(Verdict::Unverifiable {
            message: format!(
                "{name} has no token self-introspection (GitLab before 15.x): the scopes and expiry of {key} cannot be read"
            ),
            help: format!("check at {tokens_page} that the token has the `api` scope and when it expires"),
        });
        return out;
    };
    if t.revoked == Some(true) {
        out.verdicts.push(Verdict::Rejected {
            message: format!("{name} says {key} has been revoked"),
            help: format!(
                "create a new token with the `api` scope at {tokens_page} and replace {key}"
            ),
        });
        return out;
    }
    if t.active == Some(false) {
        out.expired = true;
        return out;
    }
    let scopes: Vec<String> = t.scopes.iter().map(|s| scrub(s)).collect();
    let shown = if scopes.is_empty() {
        "none".to_string()
    } else {
        scopes.join(", ")
    };
    out.facts.push(format!("scopes: {shown}"));
    if !scopes.iter().any(|s| s == "api") {
        out.verdicts.push(Verdict::Insufficient {
            message: format!(
                "{key} has scopes {shown} but Atlantis needs `api` (it comments, sets commit statuses and merges; `read_api` is not enough) ({name})"
            ),
            help: format!(
                "GitLab cannot add scopes to a token: create a new one with `api` at {tokens_page} (or the project's or group's Access Tokens page for a project or group token) and replace {key}"
            ),
        });
    }
    match t.expires_at.as_deref().and_then(parse_time) {
        Some(at) => {
            out.facts.push(format!("expires {}", format_time(at)));
            out.verdicts.push(Verdict::Expiry {
                at,
                server_now,
                rotate_at: tokens_page.to_string(),
            });
        }
        None => out.facts.push("no expiry".into()),
    }
    out
}

/// `GET /user`, the part the probe reads.
#[derive(Debug, Deserialize)]
pub struct User {
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
}

/// Judges `GET /user` (a 200): a blocked or deactivated account refuses everything; otherwise
/// the verified message with the version and the token's facts. Pure.
pub fn judge_user(
    name: &str,
    key: &str,
    version: Option<&str>,
    facts: &[String],
    configured: &str,
    user: Option<&User>,
) -> Verdict {
    let username = user
        .and_then(|u| u.username.as_deref())
        .map_or("?".into(), scrub);
    if let Some(state) = user
        .and_then(|u| u.state.as_deref())
        .filter(|s| *s != "active")
    {
        return Verdict::Rejected {
            message: format!("{name} account `{username}` of {key} is {}", scrub(state)),
            help:
                "ask a GitLab administrator to unblock the account, or use another account's token"
                    .into(),
        };
    }
    let mut msg = format!("{name} accepted {key}: user `{username}`");
    if let Some(v) = version {
        msg.push_str(&format!(", GitLab {}", scrub(v)));
    }
    if !facts.is_empty() {
        msg.push_str(&format!("; {}", facts.join("; ")));
    }
    if !username.eq_ignore_ascii_case(configured) && username != "?" {
        msg.push_str(&format!(
            " (gitlab-user is `{configured}`: Atlantis acts as `{username}`)"
        ));
    }
    Verdict::Verified(msg)
}

/// `GET /projects/{path}`, the part the probe reads.
#[derive(Debug, Deserialize)]
pub struct Project {
    #[serde(default)]
    pub permissions: Option<ProjectPermissions>,
}

#[derive(Debug, Deserialize)]
pub struct ProjectPermissions {
    #[serde(default)]
    pub project_access: Option<Access>,
    #[serde(default)]
    pub group_access: Option<Access>,
}

#[derive(Debug, Deserialize)]
pub struct Access {
    #[serde(default)]
    pub access_level: i64,
}

/// Judges a project of the repo-allowlist: visible, and at least Developer (the best of the
/// project and group roles; either may be null). Pure.
pub fn judge_project(
    name: &str,
    key: &str,
    web: &str,
    username: &str,
    path: &str,
    status: u16,
    project: Option<&Project>,
) -> Option<Verdict> {
    if status == 404 {
        return Some(Verdict::NotVisible {
            what: "project",
            message: format!(
                "`{path}` from the repo-allowlist is not visible to {key} (404: it does not exist, or the account is not a member) ({name})"
            ),
            help: "check the project path in repo-allowlist and the account's membership".into(),
        });
    }
    let perms = project?.permissions.as_ref();
    let level = |a: Option<&Access>| a.map_or(0, |a| a.access_level);
    let best = level(perms.and_then(|p| p.project_access.as_ref()))
        .max(level(perms.and_then(|p| p.group_access.as_ref())));
    (best < 30).then(|| Verdict::Insufficient {
        message: format!(
            "`{username}` has the role {} in `{path}` (repo-allowlist); Atlantis needs at least Developer (30) to set commit statuses ({name})",
            role(best)
        ),
        help: format!("give `{username}` the Developer or Maintainer role at {web}/{path}/-/project_members"),
    })
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
    let refusal = Refusal {
        status: r.status,
        message: r.message(),
        error: r.str_field(&["error"]).map(scrub),
        scope: r.str_field(&["scope"]).map(scrub),
    };
    let v = judge_refusal(&p.name(), p.key(), tokens_page, &r.what, &refusal)?;
    p.apply([v]);
    Ok(())
}

/// What GitLab says when it refuses (bodies from `lib/api/api_guard.rb`).
#[derive(Debug, Default)]
pub struct Refusal {
    pub status: u16,
    /// The scrubbed explanation (`message` or `error_description`).
    pub message: Option<String>,
    /// `error`: `invalid_token`, `insufficient_scope`.
    pub error: Option<String>,
    /// `scope`: the scopes that would have been accepted.
    pub scope: Option<String>,
}

/// Judges a refusal of `what` (host-apis.md 2.4's error matrix); anything but 401 or 403 is
/// indeterminate. Pure.
pub fn judge_refusal(
    name: &str,
    key: &str,
    tokens_page: &str,
    what: &str,
    r: &Refusal,
) -> Result<Verdict, Indeterminate> {
    let msg = r.message.clone().unwrap_or_else(|| r.status.to_string());
    let lower = msg.to_ascii_lowercase();
    Ok(match r.status {
        401 if lower.contains("expired") => Verdict::Expired {
            detail: format!(" ({msg})"),
            rotate_at: tokens_page.to_string(),
        },
        401 if lower.contains("revoked") => Verdict::Rejected {
            message: format!("{name} says {key} has been revoked ({msg})"),
            help: format!("create a new token with the `api` scope at {tokens_page}"),
        },
        401 => Verdict::Rejected {
            message: format!(
                "{name} rejected {key} ({msg}); Atlantis would not start: its startup check `GET /version` fails"
            ),
            help: format!(
                "create a token with the `api` scope at {tokens_page} and replace {key}; check gitlab-hostname if the token belongs to another GitLab"
            ),
        },
        403 if r.error.as_deref() == Some("insufficient_scope") => {
            let accepted = r.scope.as_deref().unwrap_or("api");
            Verdict::Insufficient {
                message: format!(
                    "{key} lacks the scope for {what} (GitLab accepts: {accepted}); Atlantis needs `api` ({name})"
                ),
                help: format!(
                    "create a new token with the `api` scope at {tokens_page} and replace {key}"
                ),
            }
        }
        403 if lower.contains("blocked") => Verdict::Rejected {
            message: format!("{name} says the account of {key} is blocked ({msg})"),
            help:
                "ask a GitLab administrator to unblock the account, or use another account's token"
                    .into(),
        },
        403 => Verdict::Insufficient {
            message: format!("{name} answered 403 for {what} ({msg})"),
            help: format!("check the token's scopes at {tokens_page}: Atlantis needs `api`"),
        },
        s => return Err(Indeterminate::new(format!("{what} answered {s} ({msg})"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: &str = "GitLab at https://gitlab.example.com";
    const PAGE: &str = "https://gitlab.example.com/-/user_settings/personal_access_tokens";

    #[test]
    fn token_self_answers_are_judged() {
        // Recorded: host-apis.md 2.4.
        let t: TokenSelf = serde_json::from_str(
            r#"{"id":4711,"name":"atlantis","revoked":false,"created_at":"2026-02-01T10:00:00.000Z","scopes":["api"],"user_id":42,"active":true,"expires_at":"2027-01-31"}"#,
        )
        .unwrap();
        let j = judge_token_self(NAME, "gitlab-token", PAGE, 200, Some(&t), None);
        assert_eq!(j.facts, ["scopes: api", "expires 2027-01-31 00:00 UTC"]);
        assert!(matches!(&j.verdicts[..], [Verdict::Expiry { .. }]));
        let t: TokenSelf =
            serde_json::from_str(r#"{"scopes":["read_api"],"active":true}"#).unwrap();
        let j = judge_token_self(NAME, "gitlab-token", PAGE, 200, Some(&t), None);
        assert!(
            matches!(&j.verdicts[0], Verdict::Insufficient { message, .. } if message.contains("has scopes read_api but Atlantis needs `api`"))
        );
        let t: TokenSelf = serde_json::from_str(r#"{"scopes":["api"],"revoked":true}"#).unwrap();
        let j = judge_token_self(NAME, "gitlab-token", PAGE, 200, Some(&t), None);
        assert!(matches!(&j.verdicts[..], [Verdict::Rejected { .. }]));
        let t: TokenSelf = serde_json::from_str(r#"{"scopes":["api"],"active":false}"#).unwrap();
        assert!(judge_token_self(NAME, "gitlab-token", PAGE, 200, Some(&t), None).expired);
        let j = judge_token_self(NAME, "gitlab-token", PAGE, 404, None, None);
        assert!(matches!(&j.verdicts[..], [Verdict::Unverifiable { .. }]));
    }

    #[test]
    fn user_answers_are_judged() {
        let user = |json: &str| serde_json::from_str::<User>(json).unwrap();
        // Recorded: host-apis.md 2.4.
        let ok = user(
            r#"{"id":42,"username":"atlantis-bot","name":"Atlantis Bot","state":"active","locked":false,"bot":false}"#,
        );
        let facts = vec!["scopes: api".to_string()];
        let v = judge_user(
            NAME,
            "gitlab-token",
            Some("17.11.2-ee"),
            &facts,
            "atlantis-bot",
            Some(&ok),
        );
        assert_eq!(v, Verdict::Verified("GitLab at https://gitlab.example.com accepted gitlab-token: user `atlantis-bot`, GitLab 17.11.2-ee; scopes: api".into()));
        let v = judge_user(NAME, "gitlab-token", None, &[], "someone", Some(&ok));
        assert!(
            matches!(v, Verdict::Verified(m) if m.ends_with("(gitlab-user is `someone`: Atlantis acts as `atlantis-bot`)"))
        );
        let blocked = user(r#"{"username":"atlantis-bot","state":"blocked"}"#);
        let v = judge_user(
            NAME,
            "gitlab-token",
            None,
            &[],
            "atlantis-bot",
            Some(&blocked),
        );
        assert!(matches!(v, Verdict::Rejected { message, .. } if message.ends_with("is blocked")));
    }

    #[test]
    fn refusals_are_judged() {
        let judge = |status, message: &str, error: Option<&str>, scope: Option<&str>| {
            let r = Refusal {
                status,
                message: Some(message.into()),
                error: error.map(str::to_string),
                scope: scope.map(str::to_string),
            };
            judge_refusal(
                NAME,
                "gitlab-token",
                PAGE,
                "GET https://gitlab.example.com/api/v4/version",
                &r,
            )
        };
        // Recorded: host-apis.md 2.4.
        assert!(matches!(
            judge(
                401,
                "Token is expired. You can either do re-authorization or token refresh.",
                Some("invalid_token"),
                None
            ),
            Ok(Verdict::Expired { .. })
        ));
        assert!(
            matches!(judge(401, "Token was revoked. You have to re-authorize from the user.", Some("invalid_token"), None), Ok(Verdict::Rejected { message, .. }) if message.contains("has been revoked"))
        );
        assert!(
            matches!(judge(401, "401 Unauthorized", None, None), Ok(Verdict::Rejected { message, .. }) if message.contains("Atlantis would not start"))
        );
        assert!(
            matches!(judge(403, "The request requires higher privileges than provided by the access token.", Some("insufficient_scope"), Some("api read_api")), Ok(Verdict::Insufficient { message, .. }) if message.contains("(GitLab accepts: api read_api)"))
        );
        assert!(
            matches!(judge(403, "403 Forbidden - Your account has been blocked.", None, None), Ok(Verdict::Rejected { message, .. }) if message.contains("is blocked"))
        );
        assert!(judge(500, "boom", None, None).is_err());
    }

    #[test]
    fn project_answers_are_judged() {
        let judge = |status, json: &str| {
            let p: Option<Project> = serde_json::from_str(json).ok();
            judge_project(
                NAME,
                "gitlab-token",
                "https://gitlab.example.com",
                "atlantis-bot",
                "acme/infra",
                status,
                p.as_ref(),
            )
        };
        // Atlantis's testdata shape: project_access null, group_access 50.
        assert_eq!(
            judge(
                200,
                r#"{"permissions":{"project_access":null,"group_access":{"access_level":50}}}"#
            ),
            None
        );
        let v = judge(
            200,
            r#"{"permissions":{"project_access":{"access_level":20},"group_access":null}}"#,
        )
        .unwrap();
        assert!(
            matches!(&v, Verdict::Insufficient { message, .. } if message.contains("has the role Reporter (20) in `acme/infra`"))
        );
        assert!(matches!(
            judge(404, r#"{"message":"404 Project Not Found"}"#),
            Some(Verdict::NotVisible {
                what: "project",
                ..
            })
        ));
    }
}

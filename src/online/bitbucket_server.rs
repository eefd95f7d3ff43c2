//! Bitbucket Server / Data Center: `GET /rest/api/1.0/application-properties` without
//! credentials (confirms the product before the token goes out), then
//! `GET /rest/api/1.0/projects?limit=1` with `Authorization: Bearer <token>` (untrimmed) and
//! `X-Atlassian-Token: no-check`, as Atlantis sends it. `X-AUSERNAME` names the account.

use super::http::{Auth, Indeterminate, scrub};
use super::probe::Probe;
use crate::flags;

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
    let version = r.str_field(&["version"]).map(scrub);
    let Some(version) = version.filter(|_| r.status == 200) else {
        return Err(Indeterminate::new(format!(
            "{} answered {} without a Bitbucket version: bitbucket-base-url does not point at Bitbucket Data Center",
            r.what, r.status
        ))
        .help("set bitbucket-base-url to the server's root URL including its context path (without /rest)"));
    };

    let r = p.http.api(
        &p.api("projects?limit=1"),
        Auth::Bearer(&token),
        &[("x-atlassian-token", "no-check")],
    )?;
    let account = r.header("x-ausername").map(scrub);
    let msg = r.message().unwrap_or_else(|| r.status.to_string());
    match (r.status, &account) {
        (200, Some(_)) => {}
        (200, None) => {
            p.rejected(
                format!("{} answered without an authenticated user: {} was not accepted (anonymous access answered instead)", p.name(), p.key()),
                format!("create an HTTP access token at {tokens_page} and replace {}", p.key()),
            );
            return Ok(());
        }
        (401, Some(user)) => {
            p.insufficient(
                format!(
                    "{} authenticated {} as `{user}` but refused to list projects ({msg})",
                    p.name(),
                    p.key()
                ),
                format!(
                    "give the token Project read and Repository write permissions at {tokens_page}"
                ),
            );
            return Ok(());
        }
        (401, None) => {
            p.rejected(
                format!("{} rejected {} ({msg})", p.name(), p.key()),
                format!("create an HTTP access token (Project read, Repository write) at {tokens_page} and replace {}", p.key()),
            );
            return Ok(());
        }
        (s, _) => {
            return Err(Indeterminate::new(format!(
                "{} answered {s} ({msg})",
                r.what
            )));
        }
    }
    let user = account.unwrap_or_default();
    let mut text = format!(
        "{} accepted {}: user `{user}`, Bitbucket {version}",
        p.name(),
        p.key()
    );
    let configured = p.cfg.str(flags::BITBUCKET_USER).unwrap_or("").to_string();
    if !user.eq_ignore_ascii_case(&configured) {
        text.push_str(&format!(
            " (bitbucket-user is `{configured}`: git clones use bitbucket-user with this token, which belongs to `{user}`)"
        ));
    }
    p.verified(text);
    p.unverifiable(
        format!(
            "a Bitbucket Data Center token cannot report its permissions, and pull-request write cannot be checked without writing ({})",
            p.name()
        ),
        format!("check at {tokens_page} that {} has Project read and Repository write", p.key()),
    );
    Ok(())
}

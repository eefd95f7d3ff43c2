//! Gitea / Forgejo: `GET /api/v1/version` without credentials (the SDK's own first call; it
//! confirms the product before the token goes out), then `GET /api/v1/user` with
//! `Authorization: token <token>`, untrimmed, as the Gitea SDK sends it.

use super::http::{Auth, Indeterminate};
use super::probe::Probe;
use crate::flags;

pub fn probe(p: &mut Probe) -> Result<(), Indeterminate> {
    let Some(token) = p.credential() else {
        return Ok(());
    };
    let web = p
        .target
        .api
        .trim_end_matches('/')
        .trim_end_matches("/api/v1")
        .to_string();
    let tokens_page = format!("{web}/user/settings/applications");

    let r = p.http.api(&p.api("version"), Auth::None, &[])?;
    let Some(version) = r.str_field(&["version"]).filter(|_| r.status == 200) else {
        return Err(Indeterminate::new(format!(
            "{} answered {} without a Gitea version: gitea-base-url does not point at a Gitea or Forgejo server",
            r.what, r.status
        ))
        .help("set gitea-base-url to the server's root URL (scheme included, without /api/v1)"));
    };
    let version = super::http::scrub(version);

    let r = p.http.api(&p.api("user"), Auth::Token(&token), &[])?;
    let msg = r.message().unwrap_or_else(|| r.status.to_string());
    match r.status {
        200 => {}
        401 => {
            p.rejected(
                format!("{} rejected {} ({msg})", p.name(), p.key()),
                format!("create a token at {tokens_page} (scopes: issue read and write, repository read and write, user read) and replace {}", p.key()),
            );
            return Ok(());
        }
        403 => {
            // "token does not have at least one of required scope(s): [read:user]"
            let needed = msg
                .split_once('[')
                .and_then(|(_, rest)| rest.split_once(']'))
                .map(|(inside, _)| format!(" (Gitea requires: {inside})"))
                .unwrap_or_default();
            p.insufficient(
                format!("{} lacks a scope for {}{needed}: {msg} ({})", p.key(), r.what, p.name()),
                format!("Gitea tokens cannot gain scopes: create a new one at {tokens_page} with issue read and write, repository read and write, user read"),
            );
            return Ok(());
        }
        s => {
            return Err(Indeterminate::new(format!(
                "{} answered {s} ({msg})",
                r.what
            )));
        }
    }
    let login = r.str_field(&["login"]).unwrap_or("?").to_string();
    let mut text = format!(
        "{} accepted {}: user `{login}`, Gitea {version}",
        p.name(),
        p.key()
    );
    let configured = p.cfg.str(flags::GITEA_USER).unwrap_or("").to_string();
    if !login.eq_ignore_ascii_case(&configured) && login != "?" {
        text.push_str(&format!(
            " (gitea-user is `{configured}`: Atlantis acts as `{login}`)"
        ));
    }
    p.verified(text);
    p.unverifiable(
        format!(
            "a Gitea token cannot report its own scopes, and write scopes cannot be checked without writing ({})",
            p.name()
        ),
        format!("check at {tokens_page} that {} has issue: read and write, repository: read and write, user: read", p.key()),
    );
    Ok(())
}

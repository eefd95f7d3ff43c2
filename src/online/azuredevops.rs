//! Azure DevOps: `GET https://<hostname>/<org>/_apis/connectionData` with Basic auth and an
//! empty user name, the PAT trimmed, as Atlantis's client sends it. The organisation comes
//! from the repo-allowlist (`dev.azure.com/<org>/<project>/<repo>`).

use super::http::{Auth, Indeterminate, check_api, scrub};
use super::probe::Probe;
use super::target::{ADO_CLOUD, ADO_ENTITLEMENTS, encode};
use crate::flags;

/// The first organisation the repo-allowlist names without wildcards on the Azure DevOps host.
fn organisation(p: &Probe) -> Option<String> {
    let host = p
        .cfg
        .str(flags::AZUREDEVOPS_HOSTNAME)
        .unwrap_or("dev.azure.com")
        .to_ascii_lowercase();
    let allow = p.cfg.str(flags::REPO_ALLOWLIST)?;
    allow.split(',').find_map(|entry| {
        let entry = entry.trim();
        if entry.starts_with('!') {
            return None;
        }
        let mut parts = entry.split('/');
        let h = parts.next()?.to_ascii_lowercase();
        let org = parts.next()?;
        let ok = (h == host || (host == "dev.azure.com" && h.ends_with(".visualstudio.com")))
            && !org.is_empty()
            && !org.contains(['*', '?']);
        ok.then(|| org.to_string())
    })
}

pub fn probe(p: &mut Probe) -> Result<(), Indeterminate> {
    let Some(token) = p.credential() else {
        return Ok(());
    };
    let token = token.trim().to_string();
    let Some(org) = organisation(p) else {
        p.unverifiable(
            format!("the Azure DevOps organisation is unknown: the repo-allowlist names no `<host>/<org>/...` entry without wildcards; {} not probed", p.name()),
            "add the organisation to the repo-allowlist (`dev.azure.com/<org>/*`) to probe the token",
        );
        return Ok(());
    };
    let tokens_page = format!("{}{org}/_usersSettings/tokens", p.target.api);
    let url = p.api(&format!(
        "{org}/_apis/connectionData?connectOptions=none&lastChangeId=-1&lastChangeId64=-1"
    ));
    let r = p.http.get(&url, Auth::Basic("", &token), &[])?;
    if r.status == 203 {
        p.rejected(
            format!("{} answered with a sign-in page instead of the API: {} was not accepted", p.name(), p.key()),
            format!("create a personal access token at {tokens_page} (Code: read & write, Code: status, Member Entitlement Management: read) and replace {}", p.key()),
        );
        return Ok(());
    }
    let r = check_api(r)?;
    let msg = r.message().unwrap_or_else(|| r.status.to_string());
    match r.status {
        200 => {}
        401 if msg.to_ascii_lowercase().contains("expired") => {
            p.expired(&format!(" ({msg})"), &tokens_page);
            return Ok(());
        }
        401 | 403 => {
            p.rejected(
                format!(
                    "{} rejected {} for organisation `{org}` ({msg})",
                    p.name(),
                    p.key()
                ),
                format!(
                    "create a personal access token for `{org}` at {tokens_page} and replace {}",
                    p.key()
                ),
            );
            return Ok(());
        }
        404 => {
            return Err(Indeterminate::new(format!(
                "{} answered 404: is `{org}` an organisation of {}?",
                r.what,
                p.name()
            )));
        }
        s => {
            return Err(Indeterminate::new(format!(
                "{} answered {s} ({msg})",
                r.what
            )));
        }
    }
    let who = r
        .str_field(&["authenticatedUser", "providerDisplayName"])
        .map(scrub)
        .unwrap_or_else(|| "?".into());
    if who.eq_ignore_ascii_case("anonymous") {
        p.rejected(
            format!(
                "{} answered anonymously: {} was not accepted",
                p.name(),
                p.key()
            ),
            format!(
                "create a personal access token at {tokens_page} and replace {}",
                p.key()
            ),
        );
        return Ok(());
    }
    let account = r
        .json
        .as_ref()
        .and_then(|j| j.pointer("/authenticatedUser/properties/Account/$value"))
        .and_then(|v| v.as_str())
        .map(|a| format!(" ({})", scrub(a)))
        .unwrap_or_default();
    p.verified(format!(
        "{} accepted {} in organisation `{org}`: user `{who}`{account}",
        p.name(),
        p.key()
    ));
    let checked_entitlements = p.target.api == ADO_CLOUD;
    if checked_entitlements {
        entitlements(p, &org, &token, &tokens_page)?;
    }
    p.unverifiable(
        format!(
            "an Azure DevOps personal access token cannot report its scopes or expiry, and write scopes cannot be checked without writing ({})",
            p.name()
        ),
        format!(
            "check at {tokens_page} that it has Code: read & write, Code: status{}, and when it expires",
            if checked_entitlements { "" } else { " and Member Entitlement Management: read" }
        ),
    );
    Ok(())
}

/// Atlantis's merge resolves `azuredevops-user` through the user-entitlements API: the token
/// needs Member Entitlement Management (Read), and the user must exist there.
fn entitlements(
    p: &mut Probe,
    org: &str,
    token: &str,
    tokens_page: &str,
) -> Result<(), Indeterminate> {
    let user = p.cfg.str(flags::AZUREDEVOPS_USER).unwrap_or("").to_string();
    let url = format!(
        "{ADO_ENTITLEMENTS}{org}/_apis/userentitlements?$filter=name%20eq%20%27{}%27&api-version=7.1",
        encode(&user)
    );
    let r = p.http.api(&url, Auth::Basic("", token), &[])?;
    match r.status {
        200 => {
            let count = r
                .json
                .as_ref()
                .and_then(|j| j.get("members"))
                .and_then(|m| m.as_array())
                .map_or(0, Vec::len);
            if count == 0 {
                let f = p
                    .finding(
                        &super::rules::INSUFFICIENT,
                        format!(
                            "azuredevops-user `{user}` is not a user of organisation `{org}`: Atlantis looks it up to merge pull requests, so automerge and apply-merge fail ({})",
                            p.name()
                        ),
                    )
                    .severity(crate::finding::Severity::Warning)
                    .label("user not found")
                    .help("set azuredevops-user to the account's principal name (the e-mail it signs in with)")
                    .related(p.cfg.location(flags::AZUREDEVOPS_USER), "the configured user");
                p.push(f);
            }
        }
        401 | 403 => {
            p.insufficient(
                format!(
                    "{} lacks Member Entitlement Management (Read): Atlantis cannot look up azuredevops-user to merge pull requests ({})",
                    p.key(),
                    p.name()
                ),
                format!("edit the token at {tokens_page} and add the scope Member Entitlement Management: Read"),
            );
        }
        s => return Err(Indeterminate::new(format!("{} answered {s}", r.what))),
    }
    Ok(())
}

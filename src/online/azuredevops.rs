//! Azure DevOps: `GET https://<hostname>/<org>/_apis/connectionData` with Basic auth and an
//! empty user name, the PAT trimmed, as Atlantis's client sends it. The organisation comes
//! from the repo-allowlist (`dev.azure.com/<org>/<project>/<repo>`).

use super::http::{Auth, Indeterminate, check_api, scrub};
use super::probe::{Probe, Verdict};
use super::target::{ADO_CLOUD, ADO_ENTITLEMENTS, concrete_repos, encode, strip_port};
use crate::flags;
use serde::Deserialize;

/// `GET {org}/_apis/connectionData`, the part the probe reads.
#[derive(Debug, Deserialize)]
pub struct ConnectionData {
    #[serde(rename = "authenticatedUser", default)]
    pub authenticated_user: Option<Identity>,
}

#[derive(Debug, Deserialize)]
pub struct Identity {
    #[serde(rename = "providerDisplayName", default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub properties: Option<serde_json::Value>,
}

/// Judges connectionData (after the sign-in-page and non-JSON cases): 401/403 refuse the token
/// (or say it expired); an anonymous identity means the token was not used. Pure.
pub fn judge_connection(
    name: &str,
    key: &str,
    org: &str,
    tokens_page: &str,
    status: u16,
    message: &str,
    data: Option<&ConnectionData>,
) -> Verdict {
    if status != 200 {
        if status == 401 && message.to_ascii_lowercase().contains("expired") {
            return Verdict::Expired {
                detail: format!(" ({message})"),
                rotate_at: tokens_page.to_string(),
            };
        }
        return Verdict::Rejected {
            message: format!("{name} rejected {key} for organisation `{org}` ({message})"),
            help: format!(
                "create a personal access token for `{org}` at {tokens_page} and replace {key}"
            ),
        };
    }
    let user = data.and_then(|d| d.authenticated_user.as_ref());
    let who = user
        .and_then(|u| u.display_name.as_deref())
        .map_or_else(|| "?".into(), scrub);
    if who.eq_ignore_ascii_case("anonymous") {
        return Verdict::Rejected {
            message: format!("{name} answered anonymously: {key} was not accepted"),
            help: format!("create a personal access token at {tokens_page} and replace {key}"),
        };
    }
    let account = user
        .and_then(|u| u.properties.as_ref())
        .and_then(|p| p.pointer("/Account/$value"))
        .and_then(|v| v.as_str())
        .map(|a| format!(" ({})", scrub(a)))
        .unwrap_or_default();
    Verdict::Verified(format!(
        "{name} accepted {key} in organisation `{org}`: user `{who}`{account}"
    ))
}

/// Judges `GET {org}/{project}/_apis/git/repositories/{repo}` for the allowlisted repository
/// `full` (`org/project/repo`), after connectionData accepted the token: 404 not visible, 401
/// or 403 the scope Code (Read) missing (Azure DevOps answers 401 for a missing scope). Pure.
pub fn judge_repo(
    key: &str,
    name: &str,
    full: &str,
    tokens_page: &str,
    status: u16,
) -> Option<Verdict> {
    match status {
        404 => Some(Verdict::NotVisible {
            what: "repository",
            message: format!(
                "`{full}` from the repo-allowlist is not visible to {key} (404: the project or repository does not exist, or the token cannot see it) ({name})"
            ),
            help: "check the organisation, project and repository names in repo-allowlist".into(),
        }),
        401 | 403 => Some(Verdict::Insufficient {
            message: format!(
                "{key} may not read the repository `{full}` ({status}): it lacks the scope Code (Read), which Atlantis needs to clone and comment ({name})"
            ),
            help: format!(
                "edit the token at {tokens_page} and add Code: Read & write and Code: Status"
            ),
        }),
        _ => None,
    }
}

/// The first repository the repo-allowlist names exactly (`host/org/project/repo`).
fn repo_access(p: &mut Probe, token: &str, tokens_page: &str) -> Result<(), Indeterminate> {
    let host = p
        .cfg
        .str(flags::AZUREDEVOPS_HOSTNAME)
        .unwrap_or("dev.azure.com")
        .to_string();
    let Some(full) = concrete_repos(p.cfg, &host, 4)
        .into_iter()
        .find(|r| r.split('/').count() == 3)
    else {
        return Ok(());
    };
    let parts: Vec<&str> = full.split('/').collect();
    let url = p.api(&format!(
        "{}/{}/_apis/git/repositories/{}?api-version=7.1",
        encode(parts[0]),
        encode(parts[1]),
        encode(parts[2])
    ));
    let r = p.http.get(&url, Auth::Basic("", token), &[])?;
    let r = check_api(r)?;
    let (name, key) = (p.name(), p.key());
    if let Some(v) = judge_repo(key, &name, &full, tokens_page, r.status) {
        p.apply([v]);
    }
    Ok(())
}

/// The first organisation the repo-allowlist names without wildcards on the Azure DevOps host.
fn organisation(p: &Probe) -> Option<String> {
    // Azure DevOps Server may carry a port (`ado.corp:8080`); allowlist entries name the host.
    let host = strip_port(
        p.cfg
            .str(flags::AZUREDEVOPS_HOSTNAME)
            .unwrap_or("dev.azure.com"),
    )
    .to_ascii_lowercase();
    let allow = p.cfg.str(flags::REPO_ALLOWLIST)?;
    allow.split(',').find_map(|entry| {
        let entry = entry.trim();
        if entry.starts_with('!') {
            return None;
        }
        let mut parts = entry.split('/');
        let h = strip_port(parts.next()?).to_ascii_lowercase();
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
    let token = zeroize::Zeroizing::new(token.trim().to_string());
    let Some(org) = organisation(p) else {
        p.skip(
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
        200 | 401 | 403 => {}
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
    let data: Option<ConnectionData> = r.body();
    let name = p.name();
    let judged = judge_connection(
        &name,
        p.key(),
        &org,
        &tokens_page,
        r.status,
        &msg,
        data.as_ref(),
    );
    let accepted = matches!(judged, Verdict::Verified(_));
    p.apply([judged]);
    if !accepted {
        return Ok(());
    }
    repo_access(p, &token, &tokens_page)?;
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
    if !matches!(r.status, 200 | 401 | 403) {
        return Err(Indeterminate::new(format!(
            "{} answered {}",
            r.what, r.status
        )));
    }
    let page: Option<Entitlements> = r.body();
    let name = p.name();
    let v = judge_entitlements(
        &name,
        p.key(),
        org,
        &user,
        tokens_page,
        r.status,
        page.as_ref(),
    );
    p.apply(v);
    Ok(())
}

/// `GET vsaex.dev.azure.com/{org}/_apis/userentitlements?$filter=...`, the part the probe reads.
#[derive(Debug, Deserialize)]
pub struct Entitlements {
    #[serde(default)]
    pub members: Vec<serde_json::Value>,
}

/// Judges the user lookup Atlantis's merge does: the token needs Member Entitlement Management
/// (Read), and `azuredevops-user` must be a user of the organisation. Pure.
pub fn judge_entitlements(
    name: &str,
    key: &str,
    org: &str,
    user: &str,
    tokens_page: &str,
    status: u16,
    page: Option<&Entitlements>,
) -> Option<Verdict> {
    match status {
        200 if page.is_none_or(|p| p.members.is_empty()) => Some(Verdict::UnknownValue {
            flag: crate::flags::AZUREDEVOPS_USER,
            label: "user not found",
            what: "the configured user",
            message: format!(
                "azuredevops-user `{user}` is not a user of organisation `{org}`: Atlantis looks it up to merge pull requests, so automerge and apply-merge fail ({name})"
            ),
            help:
                "set azuredevops-user to the account's principal name (the e-mail it signs in with)"
                    .into(),
        }),
        401 | 403 => Some(Verdict::Insufficient {
            message: format!(
                "{key} lacks Member Entitlement Management (Read): Atlantis cannot look up azuredevops-user to merge pull requests ({name})"
            ),
            help: format!(
                "edit the token at {tokens_page} and add the scope Member Entitlement Management: Read"
            ),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_answers_are_judged() {
        let judge = |status, message: &str, json: &str| {
            let d: Option<ConnectionData> = serde_json::from_str(json).ok();
            judge_connection(
                "Azure DevOps at https://dev.azure.com",
                "azuredevops-token",
                "acme",
                "https://dev.azure.com/acme/_usersSettings/tokens",
                status,
                message,
                d.as_ref(),
            )
        };
        // Recorded: host-apis.md 2.8.
        let ok = r#"{"authenticatedUser":{"id":"ad7ddcd2-0562-665d-84ce-f024d9266741","providerDisplayName":"Atlantis Bot","isActive":true,"properties":{"Account":{"$type":"System.String","$value":"atlantis@acme.example"}}},"deploymentType":"hosted"}"#;
        assert_eq!(
            judge(200, "", ok),
            Verdict::Verified(
                "Azure DevOps at https://dev.azure.com accepted azuredevops-token in organisation `acme`: user `Atlantis Bot` (atlantis@acme.example)".into()
            )
        );
        let anonymous = r#"{"authenticatedUser":{"providerDisplayName":"Anonymous"}}"#;
        assert!(matches!(
            judge(200, "", anonymous),
            Verdict::Rejected { .. }
        ));
        let expired = "Access Denied: The Personal Access Token used has expired.";
        assert!(matches!(judge(401, expired, "{}"), Verdict::Expired { .. }));
        let refused = "TF400813: Resource not available for anonymous access.";
        assert!(
            matches!(judge(401, refused, "{}"), Verdict::Rejected { message, .. } if message.contains("TF400813"))
        );
    }

    #[test]
    fn entitlement_answers_are_judged() {
        let judge = |status, json: &str| {
            let page: Option<Entitlements> = serde_json::from_str(json).ok();
            judge_entitlements(
                "ADO",
                "azuredevops-token",
                "acme",
                "atlantis@acme.example",
                "https://dev.azure.com/acme/_usersSettings/tokens",
                status,
                page.as_ref(),
            )
        };
        // Recorded: host-apis.md 2.8.
        assert_eq!(
            judge(
                200,
                r#"{"members":[{"id":"ad7ddcd2","user":{"principalName":"atlantis@acme.example"}}],"totalCount":1}"#
            ),
            None
        );
        assert!(matches!(
            judge(200, r#"{"members":[],"totalCount":0}"#),
            Some(Verdict::UnknownValue {
                flag: crate::flags::AZUREDEVOPS_USER,
                ..
            })
        ));
        assert!(
            matches!(judge(401, "{}"), Some(Verdict::Insufficient { message, .. }) if message.contains("Member Entitlement Management (Read)"))
        );
    }

    #[test]
    fn repository_answers_are_judged() {
        let judge = |s| {
            judge_repo(
                "azuredevops-token",
                "Azure DevOps at https://dev.azure.com",
                "acme/infra/terraform",
                "https://dev.azure.com/acme/_usersSettings/tokens",
                s,
            )
        };
        assert_eq!(judge(200), None);
        assert!(matches!(judge(404), Some(Verdict::NotVisible { .. })));
        let v = judge(401).unwrap();
        assert!(
            matches!(&v, Verdict::Insufficient { message, .. } if message.contains("lacks the scope Code (Read)"))
        );
    }
}

//! GitHub App: an RS256 JWT signed with the app's key (claims `iat = now-60`, `exp = now+540`,
//! `iss = app id`, as ghinstallation does), `GET /app`, then the installation(s), whose granted
//! permissions are compared with the table Atlantis documents. Read-only by default: no
//! installation token is minted (the permissions are readable with the JWT). The opt-in deep
//! check (`--online-app-deep`) mints one limited to `metadata: read`, lists the repositories it
//! covers and revokes it.

use super::github::{HEADERS, forbidden};
use super::http::{Auth, Indeterminate, Resp, format_duration, scrub, unix_now};
use super::probe::{Probe, Verdict};
use super::target::github_web;
use crate::flags;
use base64::Engine as _;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject;
use serde::Deserialize;
use serde_json::Value;
use zeroize::Zeroizing;

/// When a permission is needed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum When {
    /// Every Atlantis installation.
    Always,
    /// Listed by the Atlantis docs, not needed by the core flow: a warning when missing.
    Documented,
    /// `gh-team-allowlist` is set.
    TeamAllowlist,
    /// `gh-allow-mergeable-bypass-apply` is on.
    MergeableBypass,
}

/// The permissions Atlantis documents for its GitHub App (host-apis.md 2.2).
const NEEDS: &[(&str, &str, &str, When)] = &[
    ("checks", "Checks", "write", When::Always),
    ("contents", "Contents", "write", When::Always),
    ("issues", "Issues", "write", When::Always),
    ("metadata", "Metadata", "read", When::Always),
    ("pull_requests", "Pull requests", "write", When::Always),
    ("statuses", "Commit statuses", "write", When::Always),
    ("administration", "Administration", "read", When::Documented),
    ("repository_hooks", "Webhooks", "write", When::Documented),
    (
        "members",
        "Members (organisation)",
        "read",
        When::TeamAllowlist,
    ),
    ("actions", "Actions", "read", When::MergeableBypass),
];

/// The optional features that need more permissions.
#[derive(Debug, Clone, Copy, Default)]
pub struct Features {
    pub team_allowlist: bool,
    pub mergeable_bypass: bool,
}

/// The installation being judged, for messages.
pub struct Installation<'a> {
    pub name: &'a str,
    pub id: i64,
    pub slug: &'a str,
    pub account: &'a str,
    pub app_settings: &'a str,
    pub inst_settings: &'a str,
}

/// Judges an installation's granted permissions (`granted`, the installation's `permissions`
/// object) against Atlantis's table, telling what the app must request from what it requests
/// but the owner has not accepted (`requested`, the app's `permissions`). Missing permissions
/// Atlantis needs are an error; those only the docs list, a warning. Pure.
pub fn judge_permissions(
    i: &Installation,
    features: Features,
    granted: &Value,
    requested: &Value,
) -> Vec<Verdict> {
    // Per severity: (what is missing, labels the app must request, labels it already requests
    // but the installation has not accepted).
    let mut groups: [(Vec<String>, Vec<&str>, Vec<&str>); 2] = Default::default();
    for (key, label, level, when) in NEEDS {
        let needed = match when {
            When::Always | When::Documented => true,
            When::TeamAllowlist => features.team_allowlist,
            When::MergeableBypass => features.mergeable_bypass,
        };
        let has = granted[key].as_str();
        if !needed || rank(has) >= rank(Some(level)) {
            continue;
        }
        let why = match when {
            When::TeamAllowlist => " (for gh-team-allowlist)",
            When::MergeableBypass => " (for gh-allow-mergeable-bypass-apply)",
            _ => "",
        };
        let shown = has.map_or("none".to_string(), scrub);
        let g = &mut groups[usize::from(*when == When::Documented)];
        g.0.push(format!("{label}: {level}{why} (has {shown})"));
        if rank(requested[key].as_str()) >= rank(Some(level)) {
            g.2.push(label);
        } else {
            g.1.push(label);
        }
    }
    let mut out = Vec::new();
    for (n, (items, to_request, to_accept)) in groups.iter().enumerate() {
        if items.is_empty() {
            continue;
        }
        let mut help = Vec::new();
        if !to_request.is_empty() {
            help.push(format!(
                "add {} to the app's permissions at {}/permissions, then the installation owner accepts the change at {}",
                to_request.join(", "),
                i.app_settings,
                i.inst_settings
            ));
        }
        if !to_accept.is_empty() {
            help.push(format!(
                "the app already requests {}, but the installation owner has not accepted the change yet: accept it at {}",
                to_accept.join(", "),
                i.inst_settings
            ));
        }
        let what = if n == 0 {
            "permissions Atlantis needs"
        } else {
            "permissions the Atlantis docs list"
        };
        let message = format!(
            "installation {} of the app `{}` on `{}` lacks {what}: {} ({})",
            i.id,
            i.slug,
            i.account,
            items.join(", "),
            i.name
        );
        let help = help.join("; ");
        out.push(if n == 0 {
            Verdict::Insufficient { message, help }
        } else {
            Verdict::Doubtful { message, help }
        });
    }
    out
}

fn rank(level: Option<&str>) -> u8 {
    match level {
        Some("read") => 1,
        Some("write") => 2,
        Some("admin") => 3,
        _ => 0,
    }
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The app key as ring reads it: PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`).
/// The decoded DER is wiped once ring has read it (ring's own copy is not: it offers no way).
fn parse_key(pem: &str) -> Option<RsaKeyPair> {
    use zeroize::Zeroize as _;
    let mut der = PrivateKeyDer::from_pem_slice(pem.trim().as_bytes()).ok()?;
    let key = match &der {
        PrivateKeyDer::Pkcs1(k) => RsaKeyPair::from_der(k.secret_pkcs1_der()).ok(),
        PrivateKeyDer::Pkcs8(k) => RsaKeyPair::from_pkcs8(k.secret_pkcs8_der()).ok(),
        _ => None,
    };
    der.zeroize();
    key
}

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend([0x81, n as u8]);
    } else {
        out.extend([0x82, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(content);
    out
}

/// `SHA256:<base64>` of the public key (SubjectPublicKeyInfo DER), as GitHub shows it on the
/// App's settings page. A public-key hash: safe to print.
pub fn fingerprint(key: &RsaKeyPair) -> String {
    let oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    let mut alg = der(0x06, &oid);
    alg.extend([0x05, 0x00]);
    let alg = der(0x30, &alg);
    let mut bits = vec![0u8];
    bits.extend_from_slice(key.public().as_ref());
    let mut spki = alg;
    spki.extend(der(0x03, &bits));
    let spki = der(0x30, &spki);
    let digest = ring::digest::digest(&ring::digest::SHA256, &spki);
    format!(
        "SHA256:{}",
        base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
    )
}

/// The app JWT. It is a credential: it only ever goes into the Authorization header. The
/// signature and the token are built in buffers of their final size, wiped when dropped.
fn jwt(key: &RsaKeyPair, app_id: i64, now: i64) -> Option<Zeroizing<String>> {
    let header = b64url(br#"{"alg":"RS256","typ":"JWT"}"#);
    let claims = serde_json::json!({"iat": now - 60, "exp": now + 540, "iss": app_id.to_string()});
    let claims = b64url(claims.to_string().as_bytes());
    let signing_input = format!("{header}.{claims}");
    let mut sig = Zeroizing::new(vec![0u8; key.public().modulus_len()]);
    key.sign(
        &RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        signing_input.as_bytes(),
        &mut sig,
    )
    .ok()?;
    let sig = Zeroizing::new(b64url(&sig));
    let mut token = Zeroizing::new(String::with_capacity(signing_input.len() + 1 + sig.len()));
    token.push_str(&signing_input);
    token.push('.');
    token.push_str(&sig);
    Some(token)
}

pub fn probe(p: &mut Probe, deep: bool) -> Result<(), Indeterminate> {
    let Some(pem) = p.credential() else {
        return Ok(());
    };
    let Some(key) = parse_key(&pem) else {
        p.skip(
            format!(
                "{} is not an RSA private key in PEM form that can be read; {} not probed",
                p.key(),
                p.name()
            ),
            "Atlantis cannot read it either: download a new key (.pem) from the App's settings page (see the offline findings)",
        );
        return Ok(());
    };
    let app_id = p.cfg.int(flags::GH_APP_ID);
    let hostname = p
        .cfg
        .str(flags::GH_HOSTNAME)
        .unwrap_or("github.com")
        .to_string();
    let web = github_web(&hostname);
    let print = fingerprint(&key);
    let Some(token) = jwt(&key, app_id, unix_now()) else {
        p.skip(
            format!("{} could not sign a JWT; {} not probed", p.key(), p.name()),
            "check that the key is a 2048-bit (or larger) RSA key",
        );
        return Ok(());
    };
    register_jwt(p, &token);
    let auth = Auth::Bearer(&token);
    let name = p.name();
    let signer = Signer {
        name: &name,
        key: p.key(),
        app_id,
        print: &print,
        web: &web,
    };

    // 1. The app itself.
    let mut r = p.http.api(&p.api("app"), auth, HEADERS)?;
    match r.status {
        200 => {}
        401 => {
            p.apply([judge_jwt_refused(
                &signer,
                &JwtRefusal::read(&r),
                unix_now(),
            )]);
            return Ok(());
        }
        403 => {
            forbidden(p, &r, &web);
            return Ok(());
        }
        s => return Err(Indeterminate::new(format!("{} answered {s}", r.what))),
    }
    let app = r.json.take().unwrap_or(Value::Null);
    let slug = app["slug"].as_str().map_or("?".into(), scrub);
    let owner = app["owner"]["login"].as_str().map_or(String::new(), scrub);
    let owner_is_org = app["owner"]["type"].as_str() == Some("Organization");
    let app_settings = if owner_is_org {
        format!("{web}/organizations/{owner}/settings/apps/{slug}")
    } else {
        format!("{web}/settings/apps/{slug}")
    };
    if let Some(v) = judge_slug(&name, p.cfg.str(flags::GH_APP_SLUG), &slug) {
        p.apply([v]);
    }

    // 2. The installation Atlantis will use.
    let configured_id = p.cfg.int(flags::GH_APP_INSTALLATION_ID);
    let inst = if configured_id != 0 {
        let mut r = p.http.api(
            &p.api(&format!("app/installations/{configured_id}")),
            auth,
            HEADERS,
        )?;
        match r.status {
            200 => r.json.take().unwrap_or(Value::Null),
            404 => {
                p.apply([judge_missing_installation(
                    &name,
                    configured_id,
                    &slug,
                    &app_settings,
                )]);
                return Ok(());
            }
            401 => {
                p.apply([judge_jwt_refused(
                    &signer,
                    &JwtRefusal::read(&r),
                    unix_now(),
                )]);
                return Ok(());
            }
            s => return Err(Indeterminate::new(format!("{} answered {s}", r.what))),
        }
    } else {
        let r = p
            .http
            .api(&p.api("app/installations?per_page=100"), auth, HEADERS)?;
        if r.status != 200 {
            return Err(Indeterminate::new(format!(
                "{} answered {}",
                r.what, r.status
            )));
        }
        let list: Vec<Value> = r.body().unwrap_or_default();
        if let Some(v) = judge_installations(&name, &slug, &web, &list) {
            p.apply([v]);
            return Ok(());
        }
        list.into_iter().next().unwrap_or(Value::Null)
    };
    let inst_id = inst["id"].as_i64().unwrap_or(0);
    let account = scrub(inst["account"]["login"].as_str().unwrap_or("?"));
    let account_is_org = inst["account"]["type"].as_str() == Some("Organization")
        || inst["target_type"].as_str() == Some("Organization");
    let inst_settings = if account_is_org {
        format!("{web}/organizations/{account}/settings/installations/{inst_id}")
    } else {
        format!("{web}/settings/installations/{inst_id}")
    };
    let suspended = !inst["suspended_at"].is_null();
    if let Some(v) = judge_suspended(&name, inst_id, &slug, &account, &inst_settings, suspended) {
        p.apply([v]);
        return Ok(());
    }

    // 3. Granted permissions against Atlantis's table.
    let features = Features {
        team_allowlist: p.cfg.is_set(flags::GH_TEAM_ALLOWLIST),
        mergeable_bypass: p.cfg.bool(flags::GH_ALLOW_MERGEABLE_BYPASS_APPLY),
    };
    let about = Installation {
        name: &name,
        id: inst_id,
        slug: &slug,
        account: &account,
        app_settings: &app_settings,
        inst_settings: &inst_settings,
    };
    let verdicts = judge_permissions(&about, features, &inst["permissions"], &app["permissions"]);
    p.apply(verdicts);
    let selection = inst["repository_selection"].as_str().unwrap_or("?");
    if deep {
        deep_check(p, auth, inst_id, &account, &hostname, &inst_settings)?;
    } else if selection == "selected" {
        p.unverifiable(
            format!(
                "installation {inst_id} on `{account}` covers selected repositories only; which ones cannot be listed without minting an installation token, which this read-only probe does not do ({})",
                p.name()
            ),
            format!("check at {inst_settings} that the repositories of the repo-allowlist are selected, or run with --online-app-deep to list them"),
        );
    }
    let mut granted: Vec<String> = inst["permissions"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{}: {}", scrub(k), scrub(v.as_str().unwrap_or("?"))))
                .collect()
        })
        .unwrap_or_default();
    granted.sort();
    p.verified(format!(
        "{} accepted the JWT signed with {} (key {print}): app `{slug}` (id {app_id}), installation {inst_id} on `{account}`, repositories: {selection}; permissions: {}",
        p.name(),
        p.key(),
        if granted.is_empty() { "none".into() } else { granted.join(", ") }
    ));
    Ok(())
}

/// Judges `gh-app-slug` against the app the key and id belong to. Pure.
pub fn judge_slug(name: &str, configured: Option<&str>, slug: &str) -> Option<Verdict> {
    let configured = configured.filter(|c| *c != slug)?;
    Some(Verdict::Misconfigured {
        flag: crate::flags::GH_APP_SLUG,
        label: "another app",
        what: "the configured slug",
        message: format!(
            "gh-app-slug is `{configured}` but the key and gh-app-id belong to the app `{slug}` ({name})"
        ),
        help: format!(
            "set gh-app-slug to `{slug}` (Atlantis looks itself up by slug at startup and recognises its comments as `{slug}[bot]`)"
        ),
    })
}

/// Judges `GET /app/installations` when `gh-app-installation-id` is not set: Atlantis needs
/// exactly one installation ("wrong number of installations, expected 1, found N"). Pure.
pub fn judge_installations(name: &str, slug: &str, web: &str, list: &[Value]) -> Option<Verdict> {
    if list.len() == 1 {
        return None;
    }
    let (message, help) = if list.is_empty() {
        (
            format!(
                "the app `{slug}` is not installed on any account; Atlantis fails with \"wrong number of installations, expected 1, found 0\" ({name})"
            ),
            format!(
                "install it on the organisation that owns the repositories: {web}/apps/{slug}/installations/new"
            ),
        )
    } else {
        let accounts: Vec<String> = list
            .iter()
            .map(|i| {
                format!(
                    "`{}` (id {})",
                    scrub(i["account"]["login"].as_str().unwrap_or("?")),
                    i["id"].as_i64().unwrap_or(0)
                )
            })
            .collect();
        (
            format!(
                "the app `{slug}` has {} installations ({}) and gh-app-installation-id is not set; Atlantis fails with \"wrong number of installations, expected 1, found {}\" ({name})",
                list.len(),
                accounts.join(", "),
                list.len(),
            ),
            "set gh-app-installation-id to the id of the installation Atlantis should use"
                .to_string(),
        )
    };
    Some(Verdict::Misconfigured {
        flag: crate::flags::GH_APP_ID,
        label: "installation ambiguous",
        what: "the app",
        message,
        help,
    })
}

/// `POST /app/installations/{id}/access_tokens`: the minted token (a secret, wiped when
/// dropped, whether it is used or not).
#[derive(Deserialize)]
struct Minted {
    token: String,
}

impl Drop for Minted {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.token);
    }
}

/// `GET /installation/repositories`, the part the probe reads.
#[derive(Debug, Deserialize)]
pub struct InstallationRepos {
    #[serde(default)]
    pub total_count: usize,
    #[serde(default)]
    pub repositories: Vec<NamedRepo>,
}

#[derive(Debug, Deserialize)]
pub struct NamedRepo {
    #[serde(default)]
    pub full_name: String,
}

/// Judges which repositories of the repo-allowlist (`wanted`, `owner/repo`) the installation
/// covers. A list cut short (more than one page) proves nothing missing. Pure.
pub fn judge_coverage(
    name: &str,
    inst_id: i64,
    account: &str,
    inst_settings: &str,
    wanted: &[String],
    listed: &InstallationRepos,
) -> Option<Verdict> {
    if listed.total_count > listed.repositories.len() {
        return None;
    }
    let missing: Vec<String> = wanted
        .iter()
        .filter(|w| {
            !listed
                .repositories
                .iter()
                .any(|r| r.full_name.eq_ignore_ascii_case(w))
        })
        .map(|w| format!("`{w}`"))
        .collect();
    if missing.is_empty() {
        return None;
    }
    Some(Verdict::Insufficient {
        message: format!(
            "installation {inst_id} on `{account}` does not cover {} from the repo-allowlist: Atlantis cannot act there ({name})",
            missing.join(", ")
        ),
        help: format!("add the repositories to the installation at {inst_settings}"),
    })
}

/// The opt-in deep check (`--online-app-deep`, host-apis.md 2.2 requests 3-5): mint an
/// installation token limited to `metadata: read`, list the repositories it covers, revoke it.
/// The only requests of the probe that are not GET.
fn deep_check(
    p: &mut Probe,
    jwt: Auth,
    inst_id: i64,
    account: &str,
    hostname: &str,
    inst_settings: &str,
) -> Result<(), Indeterminate> {
    let url = p.api(&format!("app/installations/{inst_id}/access_tokens"));
    let r = p.http.send(
        reqwest::Method::POST,
        &url,
        jwt,
        HEADERS,
        Some(r#"{"permissions":{"metadata":"read"}}"#),
    )?;
    let r = super::http::check_api(r)?;
    let minted: Option<Minted> = r.body();
    let Some(mut minted) = minted.filter(|_| r.status == 201) else {
        let msg = r.message().unwrap_or_else(|| r.status.to_string());
        p.unverifiable(
            format!(
                "the deep check could not mint an installation token for installation {inst_id} ({msg}) ({})",
                p.name()
            ),
            format!("check the installation at {inst_settings}"),
        );
        return Ok(());
    };
    let token = Zeroizing::new(std::mem::take(&mut minted.token));
    p.http.secrets.add(&token);
    let auth = Auth::Token(&token);
    let listed = p.http.api(
        &p.api("installation/repositories?per_page=100"),
        auth,
        HEADERS,
    );
    // Revoke whatever happened to the listing: the token must not outlive the probe.
    let revoked = p
        .http
        .send(
            reqwest::Method::DELETE,
            &p.api("installation/token"),
            auth,
            HEADERS,
            None,
        )
        .is_ok_and(|r| r.status == 204);
    if !revoked {
        p.unverifiable(
            format!(
                "the installation token minted for the deep check could not be revoked; it expires within an hour and can only read metadata ({})",
                p.name()
            ),
            "nothing to do; it was never printed or stored",
        );
    }
    let listed = listed?;
    let repos: Option<InstallationRepos> = listed.body();
    let wanted = super::target::concrete_repos(p.cfg, hostname, 100);
    if let (200, Some(repos)) = (listed.status, repos) {
        let name = p.name();
        if let Some(v) = judge_coverage(&name, inst_id, account, inst_settings, &wanted, &repos) {
            p.apply([v]);
        }
    }
    Ok(())
}

/// The JWT is a credential: its whole text and its claims and signature parts (a host may echo
/// one of them) are secrets of this probe.
fn register_jwt(p: &Probe, jwt: &str) {
    p.http.secrets.add_raw(jwt);
    for part in jwt.split('.').skip(1) {
        p.http.secrets.add_raw(part);
    }
}

/// What signed the JWT, for the judges of a refusal.
pub struct Signer<'a> {
    pub name: &'a str,
    pub key: &'a str,
    pub app_id: i64,
    /// The key's public fingerprint ([`fingerprint`]).
    pub print: &'a str,
    pub web: &'a str,
}

/// What a 401 to the app JWT says: the host's (scrubbed) words and its clock (`Date`).
#[derive(Debug, Default, Clone)]
pub struct JwtRefusal {
    pub message: Option<String>,
    pub server_now: Option<i64>,
}

impl JwtRefusal {
    /// The fetch step's typed view of a 401.
    pub fn read(r: &Resp) -> JwtRefusal {
        JwtRefusal {
            message: r.message(),
            server_now: r.server_now(),
        }
    }
}

/// Judges a 401 to the JWT (host-apis.md 2.2): a clock GitHub does not agree with (its
/// message names the `exp` or `iat` claim; the skew from its `Date` against `now`, this
/// machine's clock), or else a key that is not this app's. Pure.
pub fn judge_jwt_refused(f: &Signer, a: &JwtRefusal, now: i64) -> Verdict {
    let name = f.name;
    let msg = a.message.clone().unwrap_or_else(|| "401".into());
    let lower = msg.to_ascii_lowercase();
    if lower.contains("'exp'")
        || lower.contains("'iat'")
        || lower.contains("expiration time")
        || lower.contains("issued at")
    {
        let skew = a
            .server_now
            .map(|server| now - server)
            .filter(|s| s.abs() > 30)
            .map(|s| {
                format!(
                    "; this machine's clock is {} {} the host's",
                    format_duration(s.abs()),
                    if s > 0 { "ahead of" } else { "behind" }
                )
            })
            .unwrap_or_default();
        return Verdict::Rejected {
            message: format!("{name} refused the app JWT's time claims ({msg}){skew}"),
            help: "synchronise the clock (NTP) of the machine that signs the JWT: here, and where Atlantis runs".into(),
        };
    }
    Verdict::Rejected {
        message: format!(
            "{name} rejected the JWT signed with {} for gh-app-id {} ({msg}): the key does not belong to this app, or the app id is wrong",
            f.key, f.app_id
        ),
        help: format!(
            "compare the key's fingerprint {} with the private keys listed on the App's settings page ({}/settings/apps), and gh-app-id with the App ID shown there",
            f.print, f.web
        ),
    }
}

/// Judges a 404 to `GET /app/installations/{gh-app-installation-id}`. Pure.
pub fn judge_missing_installation(
    name: &str,
    configured_id: i64,
    slug: &str,
    app_settings: &str,
) -> Verdict {
    Verdict::Misconfigured {
        flag: crate::flags::GH_APP_INSTALLATION_ID,
        label: "installation not found",
        what: "the configured installation",
        message: format!(
            "gh-app-installation-id {configured_id} is not an installation of the app `{slug}` ({name})"
        ),
        help: format!(
            "the id is the number at the end of the installation's settings URL; the app's installations are listed at {app_settings}/installations"
        ),
    }
}

/// Judges the installation's `suspended_at` (`suspended`: not null). Pure.
pub fn judge_suspended(
    name: &str,
    inst_id: i64,
    slug: &str,
    account: &str,
    inst_settings: &str,
    suspended: bool,
) -> Option<Verdict> {
    suspended.then(|| Verdict::Rejected {
        message: format!(
            "installation {inst_id} of the app `{slug}` on `{account}` is suspended ({name})"
        ),
        help: format!("an owner of `{account}` can unsuspend it at {inst_settings}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_are_judged() {
        let i = Installation {
            name: "GitHub (App) at https://ghe",
            id: 45678901,
            slug: "atlantis-acme",
            account: "acme",
            app_settings: "https://ghe/organizations/acme/settings/apps/atlantis-acme",
            inst_settings: "https://ghe/organizations/acme/settings/installations/45678901",
        };
        // Recorded: host-apis.md 2.2 (the app requests everything; the installation lacks
        // administration, members, actions and repository_hooks).
        let app: Value = serde_json::from_str(r#"{"administration":"read","checks":"write","contents":"write","issues":"write","members":"read","metadata":"read","pull_requests":"write","repository_hooks":"write","statuses":"write","actions":"read"}"#).unwrap();
        let inst: Value = serde_json::from_str(r#"{"checks":"write","contents":"write","issues":"write","metadata":"read","pull_requests":"write","statuses":"write"}"#).unwrap();
        let v = judge_permissions(&i, Features::default(), &inst, &app);
        let [Verdict::Doubtful { message, help }] = v.as_slice() else {
            panic!("{v:?}")
        };
        assert!(message.contains("lacks permissions the Atlantis docs list: Administration: read (has none), Webhooks: write (has none)"), "{message}");
        assert!(help.starts_with("the app already requests Administration, Webhooks, but the installation owner has not accepted"), "{help}");
        let v = judge_permissions(
            &i,
            Features {
                team_allowlist: true,
                mergeable_bypass: false,
            },
            &inst,
            &serde_json::json!({}),
        );
        assert!(
            matches!(&v[0], Verdict::Insufficient { message, help } if message.contains("Members (organisation): read (for gh-team-allowlist) (has none)") && help.starts_with("add Members (organisation) to the app's permissions"))
        );
        assert!(judge_permissions(&i, Features::default(), &app, &app).is_empty());
    }

    #[test]
    fn slug_and_installation_count_are_judged() {
        assert_eq!(judge_slug("GH", None, "atlantis-acme"), None);
        assert_eq!(
            judge_slug("GH", Some("atlantis-acme"), "atlantis-acme"),
            None
        );
        assert!(matches!(
            judge_slug("GH", Some("other"), "atlantis-acme"),
            Some(Verdict::Misconfigured {
                flag: crate::flags::GH_APP_SLUG,
                ..
            })
        ));
        // Recorded: host-apis.md 2.2.
        let one: Vec<Value> = serde_json::from_str(r#"[{"id":45678901,"app_id":123456,"account":{"login":"acme","id":1,"type":"Organization"},"repository_selection":"selected"}]"#).unwrap();
        assert_eq!(
            judge_installations("GH", "atlantis-acme", "https://github.com", &one),
            None
        );
        let v = judge_installations("GH", "atlantis-acme", "https://github.com", &[]).unwrap();
        assert!(
            matches!(&v, Verdict::Misconfigured { message, .. } if message.contains("found 0"))
        );
        let two: Vec<Value> = serde_json::from_str(
            r#"[{"id":1,"account":{"login":"acme"}},{"id":2,"account":{"login":"acme-labs"}}]"#,
        )
        .unwrap();
        let v = judge_installations("GH", "atlantis-acme", "https://github.com", &two).unwrap();
        assert!(
            matches!(&v, Verdict::Misconfigured { message, .. } if message.contains("has 2 installations (`acme` (id 1), `acme-labs` (id 2))"))
        );
    }

    /// The fetch step's view of a recorded 401 body and `Date` header.
    fn refusal(body: &str, date: Option<&str>) -> JwtRefusal {
        let json: Value = serde_json::from_str(body).unwrap();
        JwtRefusal {
            message: json["message"].as_str().map(str::to_string),
            server_now: date.and_then(crate::online::http::parse_http_date),
        }
    }

    const SIGNER: Signer = Signer {
        name: "GitHub (App) at https://api.github.com",
        key: "gh-app-key-file",
        app_id: 123456,
        print: "SHA256:abc",
        web: "https://github.com",
    };

    #[test]
    fn jwt_refusals_are_judged() {
        // Recorded: host-apis.md 2.2, a key that is not this app's.
        let a = refusal(
            r#"{"message":"A JSON web token could not be decoded","documentation_url":"https://docs.github.com/rest"}"#,
            None,
        );
        let Verdict::Rejected { message, help } = judge_jwt_refused(&SIGNER, &a, 0) else {
            panic!()
        };
        assert_eq!(
            message,
            "GitHub (App) at https://api.github.com rejected the JWT signed with gh-app-key-file for gh-app-id 123456 (A JSON web token could not be decoded): the key does not belong to this app, or the app id is wrong"
        );
        assert!(help.starts_with("compare the key's fingerprint SHA256:abc with the private keys listed on the App's settings page (https://github.com/settings/apps)"), "{help}");
        // An empty 401 says nothing more than its status.
        let v = judge_jwt_refused(&SIGNER, &JwtRefusal::default(), 0);
        assert!(
            matches!(&v, Verdict::Rejected { message, .. } if message.contains("gh-app-id 123456 (401)"))
        );

        // Recorded: a clock ahead of GitHub's; the skew comes from the answer's Date.
        let date = "Sun, 29 Nov 2026 11:24:38 GMT";
        let server = crate::online::http::parse_http_date(date).unwrap();
        let a = refusal(
            r#"{"message":"'Expiration time' claim ('exp') is too far in the future"}"#,
            Some(date),
        );
        let Verdict::Rejected { message, help } = judge_jwt_refused(&SIGNER, &a, server + 600)
        else {
            panic!()
        };
        assert_eq!(
            message,
            "GitHub (App) at https://api.github.com refused the app JWT's time claims ('Expiration time' claim ('exp') is too far in the future); this machine's clock is 10 min ahead of the host's"
        );
        assert!(help.starts_with("synchronise the clock (NTP)"));
        // Behind, by the `iat` claim.
        let a = refusal(
            r#"{"message":"'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"}"#,
            Some(date),
        );
        let v = judge_jwt_refused(&SIGNER, &a, server - 7200);
        assert!(
            matches!(&v, Verdict::Rejected { message, .. } if message.ends_with("this machine's clock is 2 h 0 min behind the host's")),
            "{v:?}"
        );
        // Within 30 s, or without a Date, no skew is claimed.
        let v = judge_jwt_refused(&SIGNER, &a, server + 20);
        assert!(
            matches!(&v, Verdict::Rejected { message, .. } if message.ends_with("was issued)")),
            "{v:?}"
        );
        let a = refusal(
            r#"{"message":"'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"}"#,
            None,
        );
        let v = judge_jwt_refused(&SIGNER, &a, server);
        assert!(
            matches!(&v, Verdict::Rejected { message, .. } if message.contains("refused the app JWT's time claims") && message.ends_with("expires)")),
            "{v:?}"
        );
    }

    #[test]
    fn installation_answers_are_judged() {
        // Recorded: host-apis.md 2.2, `404 {"message":"Not Found"}` to the configured id.
        let v = judge_missing_installation(
            "GH",
            999,
            "atlantis-acme",
            "https://github.com/organizations/acme/settings/apps/atlantis-acme",
        );
        assert!(
            matches!(&v, Verdict::Misconfigured { flag: crate::flags::GH_APP_INSTALLATION_ID, label: "installation not found", message, help, .. }
            if message == "gh-app-installation-id 999 is not an installation of the app `atlantis-acme` (GH)"
            && help.ends_with("listed at https://github.com/organizations/acme/settings/apps/atlantis-acme/installations"))
        );
        let inst: Value = serde_json::from_str(r#"{"id":45678901,"account":{"login":"acme"},"suspended_at":"2026-11-01T10:00:00Z","suspended_by":{"login":"owner"}}"#).unwrap();
        let settings = "https://github.com/organizations/acme/settings/installations/45678901";
        let judge = |inst: &Value| {
            judge_suspended(
                "GH",
                45678901,
                "atlantis-acme",
                "acme",
                settings,
                !inst["suspended_at"].is_null(),
            )
        };
        assert!(
            matches!(judge(&inst), Some(Verdict::Rejected { message, .. })
            if message == "installation 45678901 of the app `atlantis-acme` on `acme` is suspended (GH)")
        );
        let active: Value = serde_json::from_str(r#"{"id":45678901,"suspended_at":null}"#).unwrap();
        assert_eq!(judge(&active), None);
    }

    #[test]
    fn coverage_is_judged() {
        let listed: InstallationRepos = serde_json::from_str(
            r#"{"total_count":2,"repositories":[{"full_name":"acme/infra"},{"full_name":"acme/docs"}]}"#,
        )
        .unwrap();
        let judge = |wanted: &[&str], listed: &InstallationRepos| {
            let wanted: Vec<String> = wanted.iter().map(|s| s.to_string()).collect();
            judge_coverage(
                "GitHub (App) at https://ghe",
                111,
                "acme",
                "https://ghe/settings",
                &wanted,
                listed,
            )
        };
        assert_eq!(judge(&["acme/infra", "ACME/Docs"], &listed), None);
        let v = judge(&["acme/infra", "acme/secret"], &listed).unwrap();
        assert!(
            matches!(&v, Verdict::Insufficient { message, .. } if message.contains("does not cover `acme/secret` from the repo-allowlist"))
        );
        // A partial page proves nothing.
        let partial: InstallationRepos = serde_json::from_str(
            r#"{"total_count":250,"repositories":[{"full_name":"acme/infra"}]}"#,
        )
        .unwrap();
        assert_eq!(judge(&["acme/secret"], &partial), None);
    }
}

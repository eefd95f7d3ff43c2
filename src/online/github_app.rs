//! GitHub App: an RS256 JWT signed with the app's key (claims `iat = now-60`, `exp = now+540`,
//! `iss = app id`, as ghinstallation does), `GET /app`, then the installation(s), whose granted
//! permissions are compared with the table Atlantis documents. Read-only: no installation
//! token is minted (Atlantis's own startup check does not need one without `gh-app-slug`, and
//! the permissions are readable with the JWT).

use super::github::{HEADERS, forbidden};
use super::http::{Auth, Indeterminate, Resp, format_duration, parse_http_date, scrub, unix_now};
use super::probe::Probe;
use super::target::github_web;
use crate::finding::Severity;
use crate::flags;
use base64::Engine as _;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject;
use serde_json::Value;

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
fn parse_key(pem: &str) -> Option<RsaKeyPair> {
    match PrivateKeyDer::from_pem_slice(pem.trim().as_bytes()).ok()? {
        PrivateKeyDer::Pkcs1(k) => RsaKeyPair::from_der(k.secret_pkcs1_der()).ok(),
        PrivateKeyDer::Pkcs8(k) => RsaKeyPair::from_pkcs8(k.secret_pkcs8_der()).ok(),
        _ => None,
    }
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

/// The app JWT. It is a credential: it only ever goes into the Authorization header.
fn jwt(key: &RsaKeyPair, app_id: i64, now: i64) -> Option<String> {
    let header = b64url(br#"{"alg":"RS256","typ":"JWT"}"#);
    let claims = serde_json::json!({"iat": now - 60, "exp": now + 540, "iss": app_id.to_string()});
    let claims = b64url(claims.to_string().as_bytes());
    let signing_input = format!("{header}.{claims}");
    let mut sig = vec![0u8; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        signing_input.as_bytes(),
        &mut sig,
    )
    .ok()?;
    Some(format!("{signing_input}.{}", b64url(&sig)))
}

pub fn probe(p: &mut Probe) -> Result<(), Indeterminate> {
    let Some(pem) = p.credential() else {
        return Ok(());
    };
    let Some(key) = parse_key(&pem) else {
        p.unverifiable(
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
        p.unverifiable(
            format!("{} could not sign a JWT; {} not probed", p.key(), p.name()),
            "check that the key is a 2048-bit (or larger) RSA key",
        );
        return Ok(());
    };
    p.secrets.add(&token);
    let auth = Auth::Bearer(&token);

    // 1. The app itself.
    let r = p.http.api(&p.api("app"), auth, HEADERS)?;
    match r.status {
        200 => {}
        401 => {
            jwt_refused(p, &r, app_id, &print, &web);
            return Ok(());
        }
        403 => {
            forbidden(p, &r, &web);
            return Ok(());
        }
        s => return Err(Indeterminate::new(format!("{} answered {s}", r.what))),
    }
    let app = r.json.clone().unwrap_or(Value::Null);
    let slug = app["slug"].as_str().unwrap_or("?").to_string();
    let owner = app["owner"]["login"].as_str().unwrap_or("").to_string();
    let owner_is_org = app["owner"]["type"].as_str() == Some("Organization");
    let app_settings = if owner_is_org {
        format!("{web}/organizations/{owner}/settings/apps/{slug}")
    } else {
        format!("{web}/settings/apps/{slug}")
    };
    if let Some(configured) = p.cfg.str(flags::GH_APP_SLUG) {
        if configured != slug {
            let f = p
                .finding(
                    &super::rules::INSUFFICIENT,
                    format!(
                        "gh-app-slug is `{configured}` but the key and gh-app-id belong to the app `{slug}` ({})",
                        p.name()
                    ),
                )
                .label("another app")
                .help(format!("set gh-app-slug to `{slug}` (Atlantis looks itself up by slug at startup and recognises its comments as `{slug}[bot]`)"));
            let f = f.related(p.cfg.location(flags::GH_APP_SLUG), "the configured slug");
            p.push(f);
        }
    }

    // 2. The installation Atlantis will use.
    let configured_id = p.cfg.int(flags::GH_APP_INSTALLATION_ID);
    let inst = if configured_id != 0 {
        let r = p.http.api(
            &p.api(&format!("app/installations/{configured_id}")),
            auth,
            HEADERS,
        )?;
        match r.status {
            200 => r.json.unwrap_or(Value::Null),
            404 => {
                let f = p
                    .finding(
                        &super::rules::INSUFFICIENT,
                        format!(
                            "gh-app-installation-id {configured_id} is not an installation of the app `{slug}` ({})",
                            p.name()
                        ),
                    )
                    .label("installation not found")
                    .help(format!("the id is the number at the end of the installation's settings URL; the app's installations are listed at {app_settings}/installations"))
                    .related(p.cfg.location(flags::GH_APP_INSTALLATION_ID), "the configured installation");
                p.push(f);
                return Ok(());
            }
            401 => {
                jwt_refused(p, &r, app_id, &print, &web);
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
        let list = r
            .json
            .as_ref()
            .and_then(|j| j.as_array())
            .cloned()
            .unwrap_or_default();
        if list.len() != 1 {
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
            let (msg, help) = if list.is_empty() {
                (
                    format!(
                        "the app `{slug}` is not installed on any account; Atlantis fails with \"wrong number of installations, expected 1, found 0\" ({})",
                        p.name()
                    ),
                    format!(
                        "install it on the organisation that owns the repositories: {web}/apps/{slug}/installations/new"
                    ),
                )
            } else {
                (
                    format!(
                        "the app `{slug}` has {} installations ({}) and gh-app-installation-id is not set; Atlantis fails with \"wrong number of installations, expected 1, found {}\" ({})",
                        list.len(),
                        accounts.join(", "),
                        list.len(),
                        p.name()
                    ),
                    "set gh-app-installation-id to the id of the installation Atlantis should use"
                        .to_string(),
                )
            };
            let f = p
                .finding(&super::rules::INSUFFICIENT, msg)
                .label("installation ambiguous")
                .help(help)
                .related(p.cfg.location(flags::GH_APP_ID), "the app");
            p.push(f);
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
    if !inst["suspended_at"].is_null() {
        p.rejected(
            format!(
                "installation {inst_id} of the app `{slug}` on `{account}` is suspended ({})",
                p.name()
            ),
            format!("an owner of `{account}` can unsuspend it at {inst_settings}"),
        );
        return Ok(());
    }

    // 3. Granted permissions against Atlantis's table.
    let team = p.cfg.is_set(flags::GH_TEAM_ALLOWLIST);
    let bypass = p.cfg.bool(flags::GH_ALLOW_MERGEABLE_BYPASS_APPLY);
    // Per severity: (what is missing, labels the app must request, labels it already requests
    // but the installation has not accepted).
    let mut groups: [(Vec<String>, Vec<&str>, Vec<&str>); 2] = Default::default();
    for (key, label, level, when) in NEEDS {
        let needed = match when {
            When::Always | When::Documented => true,
            When::TeamAllowlist => team,
            When::MergeableBypass => bypass,
        };
        if !needed {
            continue;
        }
        let granted = inst["permissions"][key].as_str();
        if rank(granted) >= rank(Some(level)) {
            continue;
        }
        let why = match when {
            When::TeamAllowlist => " (for gh-team-allowlist)",
            When::MergeableBypass => " (for gh-allow-mergeable-bypass-apply)",
            _ => "",
        };
        let has = granted.map_or("none".to_string(), scrub);
        let g = &mut groups[usize::from(*when == When::Documented)];
        g.0.push(format!("{label}: {level}{why} (has {has})"));
        if rank(app["permissions"][key].as_str()) >= rank(Some(level)) {
            g.2.push(label);
        } else {
            g.1.push(label);
        }
    }
    for (i, (items, to_request, to_accept)) in groups.iter().enumerate() {
        if items.is_empty() {
            continue;
        }
        let mut help = Vec::new();
        if !to_request.is_empty() {
            help.push(format!(
                "add {} to the app's permissions at {app_settings}/permissions, then the installation owner accepts the change at {inst_settings}",
                to_request.join(", ")
            ));
        }
        if !to_accept.is_empty() {
            help.push(format!(
                "the app already requests {}, but the installation owner has not accepted the change yet: accept it at {inst_settings}",
                to_accept.join(", ")
            ));
        }
        let (severity, what) = if i == 0 {
            (Severity::Error, "permissions Atlantis needs")
        } else {
            (Severity::Warning, "permissions the Atlantis docs list")
        };
        let f = p
            .finding(
                &super::rules::INSUFFICIENT,
                format!(
                    "installation {inst_id} of the app `{slug}` on `{account}` lacks {what}: {} ({})",
                    items.join(", "),
                    p.name()
                ),
            )
            .severity(severity)
            .label("lacks what Atlantis needs")
            .help(help.join("; "));
        p.push(f);
    }
    let selection = inst["repository_selection"].as_str().unwrap_or("?");
    if selection == "selected" {
        p.unverifiable(
            format!(
                "installation {inst_id} on `{account}` covers selected repositories only; which ones cannot be listed without minting an installation token, which this read-only probe does not do ({})",
                p.name()
            ),
            format!("check at {inst_settings} that the repositories of the repo-allowlist are selected"),
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

/// A 401 to the JWT: a key that is not this app's, or a clock GitHub does not agree with.
fn jwt_refused(p: &mut Probe, r: &Resp, app_id: i64, print: &str, web: &str) {
    let msg = r.message().unwrap_or_else(|| "401".into());
    let lower = msg.to_ascii_lowercase();
    if lower.contains("'exp'")
        || lower.contains("'iat'")
        || lower.contains("expiration time")
        || lower.contains("issued at")
    {
        let skew = r
            .header("date")
            .and_then(parse_http_date)
            .map(|server| unix_now() - server)
            .filter(|s| s.abs() > 30)
            .map(|s| {
                format!(
                    "; this machine's clock is {} {} the host's",
                    format_duration(s.abs()),
                    if s > 0 { "ahead of" } else { "behind" }
                )
            })
            .unwrap_or_default();
        p.rejected(
            format!("{} refused the app JWT's time claims ({msg}){skew}", p.name()),
            "synchronise the clock (NTP) of the machine that signs the JWT: here, and where Atlantis runs",
        );
        return;
    }
    p.rejected(
        format!(
            "{} rejected the JWT signed with {} for gh-app-id {app_id} ({msg}): the key does not belong to this app, or the app id is wrong",
            p.name(),
            p.key()
        ),
        format!(
            "compare the key's fingerprint {print} with the private keys listed on the App's settings page ({web}/settings/apps), and gh-app-id with the App ID shown there"
        ),
    );
}

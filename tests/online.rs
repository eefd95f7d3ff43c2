//! `--online` against fake Git hosts: HTTPS servers on 127.0.0.1 with a certificate the tests
//! generate, trusted through `--ca-cert`, reached through `--connect-to`, so that the real URL
//! derivation, TLS and SNI are exercised.

#![cfg(feature = "online")]

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};
use support::{Reply, Req, basic, lint, start};

const GH_USER: &str = "atlantis-bot";

/// Fake tokens are built at run time (no token-shaped literal in the repository).
fn gh_token() -> String {
    support::github_token("AtlantisLintOnlineFakeToken000")
}

fn gl_token() -> String {
    format!("glpat-{}", "AtlantisLintFake000x")
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// `YYYY-MM-DD HH:MM:SS UTC` for `now + secs`.
fn gh_time(secs_from_now: i64) -> String {
    let t = now() + secs_from_now;
    let (y, m, d) = atlantis_lint::date::civil_from_days(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        s / 3600,
        (s % 3600) / 60,
        s % 60
    )
}

fn date(days_from_now: i64) -> String {
    gh_time(days_from_now * 86_400)[..10].to_string()
}

fn gh_config(hostname: Option<&str>) -> String {
    let mut s = format!(
        "repo-allowlist: {}/acme/*\ngh-user: {GH_USER}\ngh-token: {}\ngh-webhook-secret: not-a-real-secret-0123\n",
        hostname.unwrap_or("github.com"),
        gh_token()
    );
    if let Some(h) = hostname {
        s.push_str(&format!("gh-hostname: {h}\n"));
    }
    s
}

fn gh_user_ok(r: &Req) -> Reply {
    if r.header("authorization") != Some(&format!("Basic {}", basic(GH_USER, &gh_token()))) {
        return Reply::json(401, r#"{"message":"Bad credentials","status":"401"}"#);
    }
    Reply::json(
        200,
        r#"{"login":"atlantis-bot","id":1234567,"type":"User","site_admin":false}"#,
    )
    .header("x-oauth-scopes", "repo, read:org")
    .header(
        "github-authentication-token-expiration",
        &gh_time(90 * 86_400),
    )
}

fn secrets() -> Vec<String> {
    vec![gh_token(), basic(GH_USER, &gh_token()), gl_token()]
}

fn assert_no_leak(run: &support::Run) {
    let s = secrets();
    run.assert_no_leak(&s.iter().map(String::as_str).collect::<Vec<_>>());
}

// ---------------------------------------------------------------- GitHub user token

#[test]
fn github_enterprise_server_valid_classic_token() {
    let server = start(|r| {
        if r.route() == "/api/v3/user" {
            gh_user_ok(r).header("x-github-enterprise-version", "3.17.2")
        } else {
            Reply::not_found()
        }
    });
    let run = lint(&gh_config(Some("ghe.test.local")), Some(&server), &[]);
    assert_no_leak(&run);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let msg = run.message("credential-verified");
    assert!(msg.contains("user `atlantis-bot`"), "{msg}");
    assert!(
        msg.contains("classic personal access token, scopes: repo, read:org"),
        "{msg}"
    );
    assert!(msg.contains("GitHub Enterprise Server 3.17.2"), "{msg}");
    assert!(msg.contains("https://ghe.test.local"), "{msg}");
    assert_eq!(run.one("credential-verified")["key"], "gh-token");
    assert_eq!(run.online_rules(), vec!["credential-verified"]);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "GET");
    assert_eq!(r.path, "/api/v3/user");
    assert_eq!(r.host(), "ghe.test.local");
    assert_eq!(r.sni.as_deref(), Some("ghe.test.local"));
    assert_eq!(
        r.header("user-agent"),
        Some(concat!("atlantis-lint/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(r.header("accept"), Some("application/vnd.github+json"));
}

#[test]
fn github_com_and_ghe_com_urls() {
    let server = start(|r| {
        if r.route() == "/user" {
            gh_user_ok(r)
        } else {
            Reply::not_found()
        }
    });
    let run = lint(&gh_config(None), Some(&server), &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    run.one("credential-verified");
    let run = lint(&gh_config(Some("acme.ghe.com")), Some(&server), &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let hosts: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.host().to_string())
        .collect();
    assert_eq!(hosts, ["api.github.com", "api.acme.ghe.com"]);
    assert!(server.requests().iter().all(|r| r.path == "/user"));
}

#[test]
fn github_rejected_token() {
    let server = start(|_| {
        Reply::json(
            401,
            r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}"#,
        )
    });
    let run = lint(&gh_config(Some("ghe.test.local")), Some(&server), &[]);
    assert_no_leak(&run);
    assert_eq!(run.code, 1);
    let d = run.one("credential-rejected");
    assert_eq!(d["severity"], "error");
    assert!(d["message"].as_str().unwrap().contains("Bad credentials"));
    assert_eq!(run.online_rules(), vec!["credential-rejected"]);
}

#[test]
fn github_missing_repo_scope() {
    let server = start(|_| {
        Reply::json(200, r#"{"login":"atlantis-bot"}"#)
            .header("x-oauth-scopes", "public_repo, gist")
    });
    let run = lint(&gh_config(Some("ghe.test.local")), Some(&server), &[]);
    assert_eq!(run.code, 1);
    let msg = run.message("credential-insufficient");
    assert!(msg.contains("lacks the scope `repo`"), "{msg}");
    assert!(msg.contains("only `public_repo`"), "{msg}");
    let help = run.one("credential-insufficient")["help"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        help.contains("https://ghe.test.local/settings/tokens"),
        "{help}"
    );
}

#[test]
fn github_team_allowlist_needs_read_org() {
    let server =
        start(|_| Reply::json(200, r#"{"login":"atlantis-bot"}"#).header("x-oauth-scopes", "repo"));
    let cfg = gh_config(Some("ghe.test.local")) + "gh-team-allowlist: \"devops:plan\"\n";
    let run = lint(&cfg, Some(&server), &[]);
    let d = run.one("credential-insufficient");
    assert_eq!(d["severity"], "warning");
    assert!(d["message"].as_str().unwrap().contains("read:org"));
}

#[test]
fn github_token_expiring_soon() {
    let server = start(|_| {
        Reply::json(200, r#"{"login":"atlantis-bot"}"#)
            .header("x-oauth-scopes", "repo")
            .header(
                "github-authentication-token-expiration",
                &gh_time(5 * 86_400),
            )
    });
    let run = lint(&gh_config(Some("ghe.test.local")), Some(&server), &[]);
    assert_eq!(run.code, 0);
    let d = run.one("credential-expiring");
    assert_eq!(d["severity"], "warning");
    let msg = d["message"].as_str().unwrap();
    assert!(
        msg.contains("gh-token expires on") && msg.contains("in 4 days")
            || msg.contains("in 5 days"),
        "{msg}"
    );
}

#[test]
fn github_fine_grained_token_is_verified_with_a_note() {
    let server = start(|_| {
        Reply::json(200, r#"{"login":"atlantis-bot"}"#).header(
            "github-authentication-token-expiration",
            "2099-12-01 00:00:00 -0800",
        )
    });
    let cfg = gh_config(Some("ghe.test.local")).replace(
        &gh_token(),
        &format!("github_pat_{}", "AtlantisLintFake0".repeat(5)),
    );
    let run = lint(&cfg, Some(&server), &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.message("credential-verified")
            .contains("fine-grained personal access token")
    );
    let note = run.one("probe-unverifiable");
    assert!(
        note["help"]
            .as_str()
            .unwrap()
            .contains("Pull requests: read and write")
    );
    assert!(
        run.message("credential-verified")
            .contains("expires 2099-12-01 08:00 UTC")
    );
}

#[test]
fn github_sso_required() {
    let server = start(|_| {
        Reply::json(403, r#"{"message":"Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization."}"#)
            .header("x-github-sso", "required; url=https://github.com/orgs/acme/sso?authorization_request=SECRETREQUESTID")
    });
    let run = lint(&gh_config(None), Some(&server), &[]);
    assert_eq!(run.code, 1);
    let d = run.one("credential-insufficient");
    let msg = d["message"].as_str().unwrap();
    assert!(
        msg.contains("SAML single sign-on of organisation `acme`"),
        "{msg}"
    );
    assert!(!run.stdout.contains("SECRETREQUESTID"), "{}", run.stdout);
    assert!(d["help"].as_str().unwrap().contains("Configure SSO"));
}

#[test]
fn github_rate_limited_403_and_require_online() {
    let reset = now() + 600;
    let server = start(move |_| {
        Reply::json(
            403,
            r#"{"message":"API rate limit exceeded for user ID 1."}"#,
        )
        .header("x-ratelimit-remaining", "0")
        .header("x-ratelimit-reset", &reset.to_string())
    });
    let run = lint(&gh_config(None), Some(&server), &[]);
    assert_eq!(run.code, 0, "indeterminate is a warning: {}", run.stdout);
    let d = run.one("probe-indeterminate");
    assert_eq!(d["severity"], "warning");
    let msg = d["message"].as_str().unwrap();
    assert!(
        msg.contains("rate limited; retry after") && msg.contains("(in 10 min)"),
        "{msg}"
    );
    let run = lint(&gh_config(None), Some(&server), &["--require-online"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.one("probe-indeterminate")["severity"], "error");
}

#[test]
fn github_rate_limited_429_retry_after() {
    let server = start(|_| {
        Reply::json(
            429,
            r#"{"message":"You have exceeded a secondary rate limit."}"#,
        )
        .header("retry-after", "120")
    });
    let run = lint(&gh_config(None), Some(&server), &[]);
    let msg = run.message("probe-indeterminate");
    assert!(
        msg.contains("answered 429: rate limited; retry after"),
        "{msg}"
    );
    assert!(msg.contains("(in 2 min)"), "{msg}");
}

#[test]
fn github_server_error() {
    let server = start(|_| Reply::json(502, r#"{"message":"Server Error"}"#));
    let run = lint(&gh_config(None), Some(&server), &[]);
    let msg = run.message("probe-indeterminate");
    assert!(msg.contains("answered 502 (a server error)"), "{msg}");
    assert_eq!(run.code, 0);
}

#[test]
fn github_html_sign_in_page() {
    let server = start(|_| {
        Reply::html(
            200,
            "<!DOCTYPE html><html><body>Sign in to your company</body></html>",
        )
    });
    let run = lint(&gh_config(Some("ghe.test.local")), Some(&server), &[]);
    let msg = run.message("probe-indeterminate");
    assert!(
        msg.contains("with an HTML page, not the API's JSON"),
        "{msg}"
    );
}

// ---------------------------------------------------------------- safety

#[test]
fn redirect_is_not_followed_and_names_only_the_origin() {
    let server = start(|r| {
        if r.host().starts_with("evil.test.local") {
            Reply::json(200, r#"{"login":"stolen"}"#)
        } else {
            Reply::json(302, "{}").header(
                "location",
                "https://evil.test.local/login?return_to=%2Fuser&token=LEAKYQUERY",
            )
        }
    });
    let run = lint(&gh_config(Some("ghe.test.local")), Some(&server), &[]);
    assert_no_leak(&run);
    let msg = run.message("probe-indeterminate");
    assert!(
        msg.contains("a redirect to https://evil.test.local;"),
        "{msg}"
    );
    assert!(!run.stdout.contains("LEAKYQUERY") && !run.stdout.contains("/login"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1, "the redirect was followed: {reqs:?}");
    assert!(reqs.iter().all(|r| !r.host().starts_with("evil")));
}

#[test]
fn gitlab_token_is_not_sent_over_plain_http() {
    let server = support::start_plain(|_| Reply::json(200, r#"{"version":"17.0.0"}"#));
    let cfg = format!(
        "repo-allowlist: gitlab.test.local/acme/*\ngitlab-user: atlantis-bot\ngitlab-token: {}\ngitlab-hostname: http://gitlab.test.local\ngitlab-webhook-secret: not-a-real-secret-0123\n",
        gl_token()
    );
    let run = lint(&cfg, Some(&server), &[]);
    assert_no_leak(&run);
    let d = run.one("probe-indeterminate");
    assert!(
        d["message"].as_str().unwrap().contains("not sent"),
        "{}",
        run.stdout
    );
    assert!(d["help"].as_str().unwrap().contains("--online-allow-http"));
    assert!(server.requests().is_empty(), "something was sent");
    // Allowed explicitly: the request goes out (to the configured host only).
    let run = lint(&cfg, Some(&server), &["--online-allow-http"]);
    assert_no_leak(&run);
    let reqs = server.requests();
    assert!(!reqs.is_empty());
    assert!(reqs.iter().all(|r| r.host() == "gitlab.test.local"));
}

#[test]
fn timeout_is_bounded() {
    let server = start(|_| Reply::json(200, "{}").delay(Duration::from_secs(8)));
    let run = lint(
        &gh_config(Some("ghe.test.local")),
        Some(&server),
        &["--online-timeout", "1"],
    );
    let msg = run.message("probe-indeterminate");
    assert!(msg.contains("no answer within 1 s"), "{msg}");
    assert!(
        run.elapsed < Duration::from_secs(5),
        "took {:?}",
        run.elapsed
    );
}

#[test]
fn untrusted_certificate_is_a_tls_failure() {
    let server = start(gh_user_ok);
    let dir = support::temp_dir("other-ca");
    // A valid PEM certificate that did not sign the server's.
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let other = params.self_signed(&key).unwrap();
    let other_path = dir.join("other.pem");
    std::fs::write(&other_path, other.pem()).unwrap();
    let cfg = gh_config(Some("ghe.test.local"));
    let dir2 = support::temp_dir("cfg");
    let cfg_path = dir2.join("atlantis.yaml");
    std::fs::write(&cfg_path, cfg).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atlantis-lint"))
        .arg(&cfg_path)
        .args(["--format", "json", "--online", "--ca-cert"])
        .arg(&other_path)
        .args(server.connect_to())
        .env("SSL_CERT_FILE", &other_path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("TLS failed"),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("unknown authority"),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(server.requests().is_empty());
}

#[test]
fn offline_findings_survive_online_failure() {
    // Nothing listens on port 1: connection refused.
    let cfg = gh_config(Some("ghe.test.local")) + "gh-usr: typo\n";
    let run = lint(&cfg, None, &["--connect-to", "ghe.test.local::127.0.0.1:1"]);
    run.one("unknown-key");
    let msg = run.message("probe-indeterminate");
    assert!(msg.contains("refused"), "{msg}");
}

#[test]
fn unresolvable_host_name() {
    // `.invalid` never resolves (RFC 6761).
    let run = lint(&gh_config(Some("ghe.nonexistent.invalid")), None, &[]);
    let msg = run.message("probe-indeterminate");
    assert!(
        msg.contains("the host name does not resolve from this machine"),
        "{msg}"
    );
}

#[test]
fn online_is_off_by_default() {
    let server = start(gh_user_ok);
    let dir = support::temp_dir("cfg");
    let path = dir.join("atlantis.yaml");
    std::fs::write(&path, gh_config(Some("ghe.test.local"))).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atlantis-lint"))
        .arg(&path)
        .args(["--format", "json"])
        .args(["--connect-to", "x::127.0.0.1:1"])
        .output()
        .unwrap();
    // --connect-to needs --online.
    assert_eq!(out.status.code(), Some(2));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atlantis-lint"))
        .arg(&path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(server.requests().is_empty());
}

// ---------------------------------------------------------------- GitLab

fn gl_config(hostname: &str) -> String {
    format!(
        "repo-allowlist: gitlab.test.local/acme/*\ngitlab-user: atlantis-bot\ngitlab-token: {}\ngitlab-hostname: {hostname}\ngitlab-webhook-secret: not-a-real-secret-0123\n",
        gl_token()
    )
}

fn gitlab(prefix: &'static str, scopes: &'static str, expires: String) -> impl Fn(&Req) -> Reply {
    move |r: &Req| {
        if r.header("private-token") != Some(gl_token().as_str()) {
            return Reply::json(401, r#"{"message":"401 Unauthorized"}"#);
        }
        let route = r.route().strip_prefix(prefix).unwrap_or("");
        match route {
            "/api/v4/version" => {
                Reply::json(200, r#"{"version":"17.11.2-ee","revision":"3f2a1b0c"}"#)
            }
            "/api/v4/personal_access_tokens/self" => Reply::json(
                200,
                format!(
                    r#"{{"id":4711,"name":"atlantis","revoked":false,"scopes":{scopes},"user_id":42,"active":true,"expires_at":"{expires}"}}"#
                ),
            ),
            "/api/v4/user" => Reply::json(
                200,
                r#"{"id":42,"username":"atlantis-bot","state":"active","bot":false}"#,
            ),
            _ => Reply::json(404, r#"{"message":"404 Not Found"}"#),
        }
    }
}

#[test]
fn gitlab_self_managed_valid_token() {
    let server = start(gitlab("/gitlab", r#"["api"]"#, date(200)));
    let run = lint(
        &gl_config("https://gitlab.test.local/gitlab"),
        Some(&server),
        &[],
    );
    assert_no_leak(&run);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let msg = run.message("credential-verified");
    assert!(
        msg.contains("user `atlantis-bot`, GitLab 17.11.2-ee; scopes: api; expires"),
        "{msg}"
    );
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "/gitlab/api/v4/version",
            "/gitlab/api/v4/personal_access_tokens/self",
            "/gitlab/api/v4/user"
        ]
    );
    assert!(server.requests().iter().all(|r| r.method == "GET"
        && r.sni.as_deref() == Some("gitlab.test.local")
        && r.header("authorization").is_none()));
}

#[test]
fn gitlab_rejected_token() {
    let server = start(|_| Reply::json(401, r#"{"message":"401 Unauthorized"}"#));
    let run = lint(&gl_config("gitlab.test.local"), Some(&server), &[]);
    assert_no_leak(&run);
    assert_eq!(run.code, 1);
    assert!(
        run.message("credential-rejected")
            .contains("Atlantis would not start")
    );
    assert_eq!(server.requests().len(), 1, "stops at the first failure");
}

#[test]
fn gitlab_missing_api_scope() {
    let server = start(gitlab("", r#"["read_api","read_user"]"#, date(200)));
    let run = lint(&gl_config("gitlab.test.local"), Some(&server), &[]);
    assert_eq!(run.code, 1);
    let msg = run.message("credential-insufficient");
    assert!(
        msg.contains("has scopes read_api, read_user but Atlantis needs `api`"),
        "{msg}"
    );
    let help = run.one("credential-insufficient")["help"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        help.contains("https://gitlab.test.local/-/user_settings/personal_access_tokens"),
        "{help}"
    );
}

#[test]
fn gitlab_expired_token() {
    let server = start(|_| {
        Reply::json(
            401,
            r#"{"error":"invalid_token","error_description":"Token is expired. You can either do re-authorization or token refresh."}"#,
        )
    });
    let run = lint(&gl_config("gitlab.test.local"), Some(&server), &[]);
    assert_eq!(run.code, 1);
    let d = run.one("credential-expiring");
    assert_eq!(d["severity"], "error");
    assert!(d["message"].as_str().unwrap().contains("has expired"));
}

#[test]
fn gitlab_token_expiring_soon() {
    let server = start(gitlab("", r#"["api"]"#, date(3)));
    let run = lint(&gl_config("gitlab.test.local"), Some(&server), &[]);
    assert_eq!(run.code, 0);
    assert_eq!(run.one("credential-expiring")["severity"], "warning");
    run.one("credential-verified");
}

#[test]
fn gitlab_rate_limited_and_html() {
    let server = start(|_| Reply::json(429, "Retry later").header("retry-after", "30"));
    let run = lint(&gl_config("gitlab.test.local"), Some(&server), &[]);
    assert!(
        run.message("probe-indeterminate")
            .contains("rate limited; retry after")
    );
    let server = start(|_| Reply::html(200, "<html>GitLab sign in</html>"));
    let run = lint(&gl_config("gitlab.test.local"), Some(&server), &[]);
    assert!(run.message("probe-indeterminate").contains("HTML page"));
}

// ---------------------------------------------------------------- GitHub App

const APP_ID: i64 = 123456;

struct AppKey {
    pkcs1_pem: String,
    pkcs8_pem: String,
    public_pkcs1_der: Vec<u8>,
    /// `SHA256:<base64>` of the SubjectPublicKeyInfo, computed independently of the linter.
    fingerprint: String,
}

/// Two RSA keys generated once per test run: the app's, and one that belongs to no app.
fn app_keys() -> &'static (AppKey, AppKey) {
    static KEYS: std::sync::OnceLock<(AppKey, AppKey)> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        use base64::Engine as _;
        use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
        use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey};
        let make = || {
            let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).unwrap();
            AppKey {
                pkcs1_pem: key
                    .to_pkcs1_pem(rsa::pkcs8::LineEnding::LF)
                    .unwrap()
                    .to_string(),
                pkcs8_pem: key
                    .to_pkcs8_pem(rsa::pkcs8::LineEnding::LF)
                    .unwrap()
                    .to_string(),
                public_pkcs1_der: rsa::RsaPublicKey::from(&key)
                    .to_pkcs1_der()
                    .unwrap()
                    .as_bytes()
                    .to_vec(),
                fingerprint: format!(
                    "SHA256:{}",
                    base64::engine::general_purpose::STANDARD.encode(ring::digest::digest(
                        &ring::digest::SHA256,
                        rsa::RsaPublicKey::from(&key)
                            .to_public_key_der()
                            .unwrap()
                            .as_bytes()
                    ))
                ),
            }
        };
        (make(), make())
    })
}

/// Checks the app JWT the way GitHub does: RS256 signature with the app's public key, `iss`,
/// `iat` in the past, `exp` in the future and at most 10 minutes away.
fn jwt_ok(r: &Req) -> Result<(), String> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let auth = r.header("authorization").ok_or("no authorization")?;
    let token = auth.strip_prefix("Bearer ").ok_or("not Bearer")?;
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err("not a JWT".into());
    }
    let header: serde_json::Value =
        serde_json::from_slice(&b64.decode(parts[0]).map_err(|e| e.to_string())?).unwrap();
    if header["alg"] != "RS256" || header["typ"] != "JWT" {
        return Err("bad header".into());
    }
    let claims: serde_json::Value =
        serde_json::from_slice(&b64.decode(parts[1]).map_err(|e| e.to_string())?).unwrap();
    let sig = b64.decode(parts[2]).map_err(|e| e.to_string())?;
    let public = ring::signature::UnparsedPublicKey::new(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        &app_keys().0.public_pkcs1_der,
    );
    public
        .verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig)
        .map_err(|_| "signature".to_string())?;
    if claims["iss"].as_str() != Some(APP_ID.to_string().as_str()) {
        return Err(format!("iss {}", claims["iss"]));
    }
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    let n = now();
    if !(iat <= n - 50 && iat >= n - 120) {
        return Err(format!("iat {}", iat - n));
    }
    if !(exp > n && exp - n <= 600) {
        return Err(format!("exp {}", exp - n));
    }
    Ok(())
}

const FULL_PERMISSIONS: &str = r#"{"administration":"read","checks":"write","contents":"write","issues":"write","members":"read","metadata":"read","pull_requests":"write","repository_hooks":"write","statuses":"write","actions":"read"}"#;

fn installation(id: i64, account: &str, permissions: &str, suspended: bool) -> String {
    format!(
        r#"{{"id":{id},"app_id":{APP_ID},"app_slug":"atlantis-acme","account":{{"login":"{account}","id":1,"type":"Organization"}},"target_type":"Organization","repository_selection":"all","permissions":{permissions},"suspended_at":{}}}"#,
        if suspended {
            r#""2026-11-01T00:00:00Z""#
        } else {
            "null"
        }
    )
}

fn github_app(installations: String) -> impl Fn(&Req) -> Reply {
    move |r: &Req| {
        if let Err(why) = jwt_ok(r) {
            eprintln!("fake GitHub: JWT refused: {why}");
            return Reply::json(
                401,
                r#"{"message":"A JSON web token could not be decoded","documentation_url":"https://docs.github.com/rest"}"#,
            );
        }
        match r.route() {
            "/api/v3/app" => Reply::json(
                200,
                format!(
                    r#"{{"id":{APP_ID},"slug":"atlantis-acme","name":"Atlantis (acme)","owner":{{"login":"acme","type":"Organization"}},"permissions":{FULL_PERMISSIONS},"events":["pull_request"]}}"#
                ),
            ),
            "/api/v3/app/installations" => Reply::json(200, installations.clone()),
            "/api/v3/app/installations/222" => {
                Reply::json(200, installation(222, "acme-labs", FULL_PERMISSIONS, false))
            }
            _ => Reply::not_found(),
        }
    }
}

fn app_config(key_line: &str) -> String {
    format!(
        "repo-allowlist: ghe.test.local/acme/*\ngh-hostname: ghe.test.local\ngh-app-id: {APP_ID}\nwrite-git-creds: true\ngh-webhook-secret: not-a-real-secret-0123\n{key_line}\n"
    )
}

/// The GitHub App tests read their key from a file the config names, next to `gh-hostname`:
/// only an explicit `--online-host` lets that credential go to a non-public host.
const TRUST_GHE: &[&str] = &["--online-host", "ghe.test.local"];

fn key_file(pem: &str) -> String {
    let dir = support::temp_dir("key");
    let path = dir.join("app.pem");
    std::fs::write(&path, pem).unwrap();
    format!("gh-app-key-file: {}", path.display())
}

fn assert_no_key_leak(run: &support::Run) {
    let keys = app_keys();
    let body: String = keys.0.pkcs1_pem.lines().nth(2).unwrap().to_string();
    let body8: String = keys.0.pkcs8_pem.lines().nth(2).unwrap().to_string();
    run.assert_no_leak(&[&body, &body8]);
}

#[test]
fn github_app_valid_key_file_pkcs1() {
    let server = start(github_app(format!(
        "[{}]",
        installation(111, "acme", FULL_PERMISSIONS, false)
    )));
    let run = lint(
        &app_config(&key_file(&app_keys().0.pkcs1_pem)),
        Some(&server),
        TRUST_GHE,
    );
    assert_no_key_leak(&run);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let msg = run.message("credential-verified");
    assert!(
        msg.contains(
            "app `atlantis-acme` (id 123456), installation 111 on `acme`, repositories: all"
        ),
        "{msg}"
    );
    assert!(msg.contains("(key SHA256:"), "{msg}");
    assert_eq!(run.one("credential-verified")["key"], "gh-app-key-file");
    let reqs = server.requests();
    let paths: Vec<&str> = reqs.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/api/v3/app", "/api/v3/app/installations?per_page=100"]
    );
    assert!(reqs.iter().all(|r| r.method == "GET"), "read-only");
}

#[test]
fn github_app_valid_inline_pkcs8_key() {
    let server = start(github_app(format!(
        "[{}]",
        installation(111, "acme", FULL_PERMISSIONS, false)
    )));
    let pem = app_keys().0.pkcs8_pem.replace('\n', "\n  ");
    let run = lint(
        &app_config(&format!("gh-app-key: |\n  {pem}")),
        Some(&server),
        &[],
    );
    assert_no_key_leak(&run);
    assert_eq!(run.code, 0, "{}", run.stdout);
    run.one("credential-verified");
}

#[test]
fn github_app_key_of_another_app_is_rejected() {
    let server = start(github_app("[]".into()));
    let run = lint(
        &app_config(&key_file(&app_keys().1.pkcs1_pem)),
        Some(&server),
        TRUST_GHE,
    );
    assert_eq!(run.code, 1);
    let msg = run.message("credential-rejected");
    assert!(msg.contains("the key does not belong to this app"), "{msg}");
    let help = run.one("credential-rejected")["help"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        help.contains(&format!("fingerprint {} ", app_keys().1.fingerprint)),
        "{help}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn github_app_needs_exactly_one_installation() {
    let two = format!(
        "[{},{}]",
        installation(111, "acme", FULL_PERMISSIONS, false),
        installation(222, "acme-labs", FULL_PERMISSIONS, false)
    );
    let server = start(github_app(two));
    let cfg = app_config(&key_file(&app_keys().0.pkcs1_pem));
    let run = lint(&cfg, Some(&server), TRUST_GHE);
    assert_eq!(run.code, 1);
    let msg = run.message("credential-insufficient");
    assert!(
        msg.contains("has 2 installations (`acme` (id 111), `acme-labs` (id 222))"),
        "{msg}"
    );
    assert!(msg.contains("expected 1, found 2"), "{msg}");
    // With the id set, that installation is read directly.
    let run = lint(
        &(cfg + "gh-app-installation-id: 222\n"),
        Some(&server),
        TRUST_GHE,
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.message("credential-verified")
            .contains("installation 222 on `acme-labs`")
    );
    assert_eq!(
        server.requests().last().unwrap().path,
        "/api/v3/app/installations/222"
    );
}

#[test]
fn github_app_installation_missing_permissions() {
    let partial = r#"{"checks":"read","contents":"write","issues":"write","metadata":"read","pull_requests":"write","statuses":"write"}"#;
    let server = start(github_app(format!(
        "[{}]",
        installation(111, "acme", partial, false)
    )));
    let cfg =
        app_config(&key_file(&app_keys().0.pkcs1_pem)) + "gh-team-allowlist: \"devops:plan\"\n";
    let run = lint(&cfg, Some(&server), TRUST_GHE);
    assert_eq!(run.code, 1);
    let found = run.rule("credential-insufficient");
    assert_eq!(found.len(), 2, "{}", run.stdout);
    let err = found.iter().find(|d| d["severity"] == "error").unwrap();
    let msg = err["message"].as_str().unwrap();
    assert!(msg.contains("Checks: write (has read)"), "{msg}");
    assert!(
        msg.contains("Members (organisation): read (for gh-team-allowlist) (has none)"),
        "{msg}"
    );
    assert!(!msg.contains("Actions"), "{msg}");
    assert!(
        err["help"]
            .as_str()
            .unwrap()
            .contains("has not accepted the change")
    );
    let warn = found.iter().find(|d| d["severity"] == "warning").unwrap();
    assert!(
        warn["message"]
            .as_str()
            .unwrap()
            .contains("Administration: read (has none), Webhooks: write (has none)")
    );
}

#[test]
fn github_app_suspended_installation() {
    let server = start(github_app(format!(
        "[{}]",
        installation(111, "acme", FULL_PERMISSIONS, true)
    )));
    let run = lint(
        &app_config(&key_file(&app_keys().0.pkcs1_pem)),
        Some(&server),
        TRUST_GHE,
    );
    assert_eq!(run.code, 1);
    assert!(run.message("credential-rejected").contains("is suspended"));
}

#[test]
fn github_app_clock_skew() {
    let server = start(|_| {
        Reply::json(
            401,
            r#"{"message":"'Expiration time' claim ('exp') is too far in the future"}"#,
        )
        .header("date", "Mon, 01 Jan 2001 00:00:00 GMT")
    });
    let run = lint(
        &app_config(&key_file(&app_keys().0.pkcs1_pem)),
        Some(&server),
        TRUST_GHE,
    );
    let msg = run.message("credential-rejected");
    assert!(
        msg.contains("time claims") && msg.contains("ahead of the host's"),
        "{msg}"
    );
}

#[test]
fn github_app_answer_of_another_shape_is_indeterminate() {
    // A 200 whose JSON is not an installation list (a proxy's, say): nothing is claimed about
    // the installations, and nothing panics.
    let server = start(github_app(r#"{"installations":[]}"#.into()));
    let run = lint(
        &app_config(&key_file(&app_keys().0.pkcs1_pem)),
        Some(&server),
        TRUST_GHE,
    );
    assert_no_key_leak(&run);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let msg = run.message("probe-indeterminate");
    assert!(
        msg.contains(
            "/api/v3/app/installations answered 200 with JSON that is not a list of installations"
        ),
        "{msg}"
    );
    assert!(run.rule("credential-insufficient").is_empty());
}

// ---------------------------------------------------------------- Gitea, Bitbucket, Azure DevOps

fn gitea_token() -> String {
    "0123456789abcdef".repeat(3)[..40].to_string()
}

fn bbc_token() -> String {
    format!("ATATT3xFfGF0{}", "AtlantisLintFake".repeat(4))
}

fn bbs_token() -> String {
    format!("BBDC-{}", "AtlantisLintFake0".repeat(3))
}

fn ado_token() -> String {
    "k3x9qvz7m2wr8tbn5jpd4hcy6fgs".repeat(2)[..52].to_string()
}

fn gitea_config() -> String {
    format!(
        "repo-allowlist: gitea.test.local/acme/*\ngitea-base-url: https://gitea.test.local\ngitea-user: atlantis-bot\ngitea-token: {}\ngitea-webhook-secret: not-a-real-secret-0123\n",
        gitea_token()
    )
}

fn bbc_config() -> String {
    format!(
        "repo-allowlist: bitbucket.org/acme/*\nbitbucket-user: bb-bot\nbitbucket-api-user: bot@acme.example\nbitbucket-token: {}\n",
        bbc_token()
    )
}

fn bbs_config() -> String {
    format!(
        "repo-allowlist: bitbucket.test.local/INFRA/*\nbitbucket-base-url: https://bitbucket.test.local/bitbucket\nbitbucket-user: atlantis\nbitbucket-token: {}\nbitbucket-webhook-secret: not-a-real-secret-0123\n",
        bbs_token()
    )
}

fn ado_config() -> String {
    format!(
        "repo-allowlist: dev.azure.com/acme/*\nazuredevops-user: atlantis@acme.example\nazuredevops-token: {}\nazuredevops-webhook-user: hook\nazuredevops-webhook-password: not-a-real-secret-0123\n",
        ado_token()
    )
}

/// Valid answers of every host (GitHub user token, GitLab, Gitea, both Bitbucket, Azure DevOps,
/// GitHub App on ghe.test.local), each checking the credential exactly as Atlantis sends it.
fn every_host(r: &Req) -> Reply {
    let auth = r.header("authorization").unwrap_or("");
    let route = r.route();
    let host = r.host().split(':').next().unwrap_or("");
    match (host, route) {
        ("api.github.com", "/user") => gh_user_ok(r),
        ("ghe.test.local", _) => github_app(format!(
            "[{}]",
            installation(111, "acme", FULL_PERMISSIONS, false)
        ))(r),
        ("gitlab.test.local", _) => gitlab("", r#"["api"]"#, date(200))(r),
        ("gitea.test.local", "/api/v1/version") => {
            if r.header("authorization").is_some() {
                return Reply::json(
                    500,
                    r#"{"message":"credential sent to the unauthenticated pre-flight"}"#,
                );
            }
            Reply::json(200, r#"{"version":"1.25.4"}"#)
        }
        ("gitea.test.local", "/api/v1/user") => {
            if auth != format!("token {}", gitea_token()) {
                return Reply::json(
                    401,
                    r#"{"message":"user does not exist [uid: 0, name: ]","url":"https://gitea.test.local/api/swagger"}"#,
                );
            }
            Reply::json(200, r#"{"id":1,"login":"atlantis-bot"}"#)
        }
        ("api.bitbucket.org", "/2.0/user") => {
            if auth != format!("Basic {}", basic("bot@acme.example", &bbc_token()))
                || r.header("x-atlassian-token") != Some("no-check")
            {
                return Reply::json(401, "")
                    .header("www-authenticate", "Basic realm=\"Bitbucket.org HTTP\"");
            }
            Reply::json(200, r#"{"type":"user","username":"bb-bot","display_name":"bb bot","account_status":"active"}"#)
                .header("x-credential-type", "api_token")
                .header("x-oauth-scopes", "read:user:bitbucket, read:repository:bitbucket, read:pullrequest:bitbucket, write:pullrequest:bitbucket")
        }
        ("bitbucket.test.local", "/bitbucket/rest/api/1.0/application-properties") => {
            if r.header("authorization").is_some() {
                return Reply::json(
                    500,
                    r#"{"errors":[{"message":"credential sent to the pre-flight"}]}"#,
                );
            }
            Reply::json(
                200,
                r#"{"version":"9.4.3","buildNumber":"9004003","displayName":"Bitbucket"}"#,
            )
        }
        ("bitbucket.test.local", "/bitbucket/rest/api/1.0/projects") => {
            if auth != format!("Bearer {}", bbs_token()) {
                return Reply::json(
                    401,
                    r#"{"errors":[{"context":null,"message":"Authentication failed. Please check your credentials and try again.","exceptionName":"com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException"}]}"#,
                );
            }
            Reply::json(
                200,
                r#"{"size":1,"limit":1,"isLastPage":false,"values":[{"key":"INFRA"}]}"#,
            )
            .header("x-ausername", "atlantis")
            .header("x-auserid", "53")
        }
        ("dev.azure.com", "/acme/_apis/connectionData") => {
            if auth != format!("Basic {}", basic("", &ado_token())) {
                return Reply::json(
                    401,
                    r#"{"$id":"1","message":"TF400813: Resource not available for anonymous access. Client authentication required.","typeKey":"UnauthorizedRequestException"}"#,
                );
            }
            Reply::json(
                200,
                r#"{"authenticatedUser":{"id":"ad7ddcd2","providerDisplayName":"Atlantis Bot","isActive":true,"properties":{"Account":{"$type":"System.String","$value":"atlantis@acme.example"}}},"authorizedUser":{"id":"ad7ddcd2"},"deploymentType":"hosted"}"#,
            )
        }
        ("vsaex.dev.azure.com", "/acme/_apis/userentitlements") => {
            if auth != format!("Basic {}", basic("", &ado_token())) {
                return Reply::json(
                    401,
                    r#"{"message":"TF400813: The user is not authorized to access this resource."}"#,
                );
            }
            if r.path
                != "/acme/_apis/userentitlements?$filter=name%20eq%20%27atlantis%40acme.example%27&api-version=7.1"
            {
                return Reply::json(200, r#"{"members":[],"totalCount":0}"#);
            }
            Reply::json(
                200,
                r#"{"members":[{"id":"ad7ddcd2","user":{"principalName":"atlantis@acme.example"},"accessLevel":{"status":"active"}}],"totalCount":1}"#,
            )
        }
        _ => Reply::not_found(),
    }
}

fn all_secrets() -> Vec<String> {
    let mut s = secrets();
    s.extend([
        gitea_token(),
        bbc_token(),
        basic("bot@acme.example", &bbc_token()),
        bbs_token(),
        ado_token(),
        basic("", &ado_token()),
    ]);
    s
}

fn assert_no_leak_all(run: &support::Run) {
    let s = all_secrets();
    run.assert_no_leak(&s.iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn gitea_bitbucket_and_azure_devops_valid() {
    let server = start(every_host);
    for (cfg, expect) in [
        (gitea_config(), "user `atlantis-bot`, Gitea 1.25.4"),
        (
            bbc_config(),
            "user `bb-bot`; credential type api_token; scopes: read:user:bitbucket",
        ),
        (bbs_config(), "user `atlantis`, Bitbucket 9.4.3"),
        (
            ado_config(),
            "in organisation `acme`: user `Atlantis Bot` (atlantis@acme.example)",
        ),
    ] {
        let run = lint(&cfg, Some(&server), &[]);
        assert_no_leak_all(&run);
        assert_eq!(run.code, 0, "{}", run.stdout);
        let msg = run.message("credential-verified");
        assert!(msg.contains(expect), "{msg}");
    }
    let reqs = server.requests();
    assert!(reqs.iter().all(|r| r.method == "GET"));
    let seen: Vec<String> = reqs
        .iter()
        .map(|r| format!("{} {}", r.host(), r.route()))
        .collect();
    assert_eq!(
        seen,
        [
            "gitea.test.local /api/v1/version",
            "gitea.test.local /api/v1/user",
            "api.bitbucket.org /2.0/user",
            "bitbucket.test.local /bitbucket/rest/api/1.0/application-properties",
            "bitbucket.test.local /bitbucket/rest/api/1.0/projects",
            "dev.azure.com /acme/_apis/connectionData",
            "vsaex.dev.azure.com /acme/_apis/userentitlements",
        ]
    );
}

#[test]
fn gitea_bitbucket_and_azure_devops_rejected() {
    let server = start(every_host);
    let wrong = "wrongwrongwrongwrongwrongwrongwrongwrong";
    for (cfg, token, expect) in [
        (
            gitea_config(),
            gitea_token(),
            "rejected gitea-token (user does not exist",
        ),
        (
            bbc_config(),
            bbc_token(),
            "rejected bitbucket-token with bitbucket-api-user `bot@acme.example`",
        ),
        (
            bbs_config(),
            bbs_token(),
            "rejected bitbucket-token (Authentication failed.",
        ),
        (
            ado_config(),
            ado_token(),
            "rejected azuredevops-token for organisation `acme` (TF400813",
        ),
    ] {
        let run = lint(&cfg.replace(&token, wrong), Some(&server), &[]);
        assert_no_leak_all(&run);
        run.assert_no_leak(&[wrong]);
        assert_eq!(run.code, 1, "{}", run.stdout);
        let msg = run.message("credential-rejected");
        assert!(msg.contains(expect), "{msg}");
    }
}

#[test]
fn bitbucket_cloud_hints_for_removed_and_misused_credentials() {
    let server = start(every_host);
    let cfg = bbc_config().replace(
        &bbc_token(),
        &format!("ATBB{}", "AtlantisLintFake".repeat(2)),
    );
    let run = lint(&cfg, Some(&server), &[]);
    assert!(
        run.message("credential-rejected")
            .contains("removed app passwords on 2026-07-28")
    );
    let cfg = bbc_config().replace("bitbucket-api-user: bot@acme.example\n", "");
    let run = lint(&cfg, Some(&server), &[]);
    let msg = run.message("credential-rejected");
    assert!(
        msg.contains("with bitbucket-user `bb-bot`") && msg.contains("set bitbucket-api-user"),
        "{msg}"
    );
}

#[test]
fn missing_scopes_on_gitea_bitbucket_cloud_and_server() {
    let server = start(|r| {
        match r.route() {
        "/api/v1/version" => Reply::json(200, r#"{"version":"1.25.4"}"#),
        "/api/v1/user" => Reply::json(403, r#"{"message":"token does not have at least one of required scope(s): [read:user]","url":"https://gitea.test.local/api/swagger"}"#),
        "/2.0/user" => Reply::json(200, r#"{"username":"bb-bot"}"#)
            .header("x-credential-type", "api_token")
            .header("x-oauth-scopes", "read:user:bitbucket, read:repository:bitbucket"),
        "/bitbucket/rest/api/1.0/application-properties" => Reply::json(200, r#"{"version":"9.4.3"}"#),
        "/bitbucket/rest/api/1.0/projects" => Reply::json(401, r#"{"errors":[{"context":null,"message":"You are not permitted to access this resource","exceptionName":"com.atlassian.bitbucket.AuthorisationException"}]}"#)
            .header("x-ausername", "atlantis"),
        _ => Reply::not_found(),
    }
    });
    for (cfg, expect) in [
        (gitea_config(), "(Gitea requires: read:user)"),
        (
            bbc_config(),
            "lacks the scopes read:pullrequest:bitbucket, write:pullrequest:bitbucket",
        ),
        (
            bbs_config(),
            "authenticated bitbucket-token as `atlantis` but refused to list projects",
        ),
    ] {
        let run = lint(&cfg, Some(&server), &[]);
        assert_no_leak_all(&run);
        assert_eq!(run.code, 1, "{}", run.stdout);
        let msg = run.message("credential-insufficient");
        assert!(msg.contains(expect), "{msg}");
    }
}

#[test]
fn azure_devops_expired_sign_in_page_and_unknown_org() {
    let server = start(|_| {
        Reply::json(
            401,
            r#"{"$id":"1","innerException":null,"message":"Access Denied: The Personal Access Token used has expired.","typeKey":"AccessCheckException","errorCode":0,"eventId":3000}"#,
        )
    });
    let run = lint(&ado_config(), Some(&server), &[]);
    let d = run.one("credential-expiring");
    assert_eq!(d["severity"], "error");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("has expired (Access Denied")
    );
    let server = start(|_| {
        Reply::html(
            203,
            "<html><title>Azure DevOps Services | Sign In</title></html>",
        )
    });
    let run = lint(&ado_config(), Some(&server), &[]);
    assert!(run.message("credential-rejected").contains("sign-in page"));
    let cfg = ado_config().replace("dev.azure.com/acme/*", "dev.azure.com/*");
    let run = lint(&cfg, Some(&server), &[]);
    assert!(
        run.message("probe-unverifiable")
            .contains("organisation is unknown")
    );
    assert_eq!(
        server.requests().len(),
        1,
        "no request without an organisation"
    );
}

#[test]
fn wrong_product_is_indeterminate_and_gets_no_credential() {
    // A GitHub-like JSON 404 at the Gitea / Bitbucket Server pre-flight: the token never goes out.
    let server = start(|_| Reply::not_found());
    for cfg in [gitea_config(), bbs_config()] {
        let run = lint(&cfg, Some(&server), &[]);
        let msg = run.message("probe-indeterminate");
        assert!(msg.contains("does not point at"), "{msg}");
    }
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("authorization").is_none())
    );
}

/// Joins configs into one, with a single repo-allowlist naming all their entries.
fn combine(configs: &[String]) -> String {
    let mut allow = Vec::new();
    let mut rest = String::new();
    for c in configs {
        for line in c.lines() {
            match line.strip_prefix("repo-allowlist: ") {
                Some(a) => allow.push(a.to_string()),
                None => {
                    rest.push_str(line);
                    rest.push('\n');
                }
            }
        }
    }
    format!("repo-allowlist: {}\n{rest}", allow.join(","))
}

/// Two configs that together name all seven hosts (GitHub token and GitHub App exclude each
/// other, as do Bitbucket Cloud and Server).
fn seven_hosts() -> (String, String) {
    (
        combine(&[
            gh_config(None),
            gl_config("gitlab.test.local"),
            gitea_config(),
            bbc_config(),
            ado_config(),
        ]),
        combine(&[app_config(&key_file(&app_keys().0.pkcs1_pem)), bbs_config()]),
    )
}

/// The generic states, for every host: rate limit, 5xx, HTML, redirect, timeout.
#[test]
fn every_host_every_indeterminate_state() {
    let configs = [
        ("github", gh_config(None)),
        ("github-app", app_config(&key_file(&app_keys().0.pkcs1_pem))),
        ("gitlab", gl_config("gitlab.test.local")),
        ("gitea", gitea_config()),
        ("bitbucket-cloud", bbc_config()),
        ("bitbucket-server", bbs_config()),
        ("azure-devops", ado_config()),
    ];
    type State = (&'static str, fn(&Req) -> Reply, &'static str);
    let states: [State; 4] = [
        (
            "rate limit",
            |_| Reply::json(429, r#"{"message":"slow down"}"#).header("retry-after", "90"),
            "rate limited; retry after",
        ),
        (
            "5xx",
            |_| Reply::json(503, r#"{"message":"maintenance"}"#),
            "answered 503 (a server error)",
        ),
        (
            "html",
            |_| Reply::html(200, "<!doctype html><title>Sign in</title>"),
            "with an HTML page, not the API's JSON",
        ),
        (
            "redirect",
            |_| {
                Reply::json(302, "{}").header(
                    "location",
                    "https://evil.test.local:8443/sso?SAMLRequest=LEAKYQUERY",
                )
            },
            "a redirect to https://evil.test.local:8443;",
        ),
    ];
    for (state, reply, expect) in states {
        let server = start(move |r| {
            // Unauthenticated pre-flights answer normally, so the credential-bearing step is reached.
            match r.route() {
                "/api/v1/version" => Reply::json(200, r#"{"version":"1.25.4"}"#),
                "/bitbucket/rest/api/1.0/application-properties" => {
                    Reply::json(200, r#"{"version":"9.4.3"}"#)
                }
                _ => reply(r),
            }
        });
        for (host, cfg) in &configs {
            let run = lint(cfg, Some(&server), TRUST_GHE);
            assert_no_leak_all(&run);
            assert_no_key_leak(&run);
            assert!(!run.stdout.contains("LEAKYQUERY"));
            let msg = run.message("probe-indeterminate");
            assert!(msg.contains(expect), "{host}, {state}: {msg}");
            assert_eq!(run.code, 0, "{host}, {state}: indeterminate is a warning");
        }
        let reqs = server.requests();
        assert!(
            reqs.iter().all(|r| !r.host().starts_with("evil")),
            "followed a redirect"
        );
        assert!(reqs.iter().all(|r| r.method == "GET"));
    }
}

#[test]
fn every_host_times_out_within_the_deadline() {
    let server = start(|r| match r.route() {
        "/api/v1/version" => Reply::json(200, r#"{"version":"1.25.4"}"#),
        "/bitbucket/rest/api/1.0/application-properties" => {
            Reply::json(200, r#"{"version":"9.4.3"}"#)
        }
        _ => Reply::json(200, "{}").delay(Duration::from_secs(10)),
    });
    let (a, b) = seven_hosts();
    let run = support::lint_many(
        &[&a, &b],
        Some(&server),
        &["--online-timeout", "1", "--online-host", "ghe.test.local"],
    );
    let found = run.rule("probe-indeterminate");
    assert_eq!(found.len(), 7, "{}", run.stdout);
    assert!(found.iter().all(|d| {
        d["message"]
            .as_str()
            .unwrap()
            .contains("no answer within 1 s")
    }));
    // Seven hosts, each stuck for the full timeout, in parallel: about one timeout in all.
    assert!(
        run.elapsed < Duration::from_secs(4),
        "took {:?}",
        run.elapsed
    );
}

/// All seven hosts answering after 200 ms each: hosts are probed in parallel. Proven by the
/// fake server seeing several requests in flight at once, not by wall-clock time (which a loaded
/// CI machine stretches); the elapsed time is printed for the reader.
#[test]
fn seven_hosts_in_parallel_timing() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (now, peak) = (in_flight.clone(), most.clone());
    let server = start(move |r| {
        let n = now.fetch_add(1, Ordering::SeqCst) + 1;
        peak.fetch_max(n, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(200));
        now.fetch_sub(1, Ordering::SeqCst);
        every_host(r)
    });
    let (a, b) = seven_hosts();
    let run = support::lint_many(&[&a, &b], Some(&server), TRUST_GHE);
    assert_no_leak_all(&run);
    assert_eq!(run.rule("credential-verified").len(), 7, "{}", run.stdout);
    assert_eq!(run.json["summary"]["errors"], 0, "{}", run.stdout);
    let requests = server.requests().len();
    eprintln!(
        "seven hosts, {requests} requests at 200 ms each: {:?} in all (sequential would be {} ms)",
        run.elapsed,
        requests * 200
    );
    assert_eq!(requests, 13);
    let peak = most.load(Ordering::SeqCst);
    assert!(
        peak >= 4,
        "hosts were not probed in parallel: at most {peak} request(s) in flight"
    );
}

// ---------------------------------------------------------------- corporate networks

fn run_with_env(yaml: &str, args: &[String], env: &[(&str, String)]) -> (String, String) {
    let dir = support::temp_dir("cfg");
    let path = dir.join("atlantis.yaml");
    std::fs::write(&path, yaml).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_atlantis-lint"));
    for (k, _) in std::env::vars() {
        if k.to_ascii_uppercase().ends_with("_PROXY") || k.starts_with("ATLANTIS_") {
            cmd.env_remove(&k);
        }
    }
    cmd.arg(&path)
        .args(["--online", "--ca-cert"])
        .arg(support::ca_path())
        .args(args)
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn https_proxy_is_honoured_and_never_sees_the_credential() {
    let server = start(gh_user_ok);
    let proxy = support::start_proxy(server.port);
    let cfg = gh_config(Some("ghe.test.local"));
    let (out, _) = run_with_env(
        &cfg,
        &["--format".into(), "json".into()],
        &[("HTTPS_PROXY", format!("http://127.0.0.1:{}", proxy.port))],
    );
    assert!(out.contains("credential-verified"), "{out}");
    let connects = proxy.connects.lock().unwrap().clone();
    assert_eq!(connects.len(), 1, "{connects:?}");
    assert!(
        connects[0].starts_with("CONNECT ghe.test.local:443 "),
        "{connects:?}"
    );
    assert!(!connects[0].to_ascii_lowercase().contains("authorization"));
    assert!(!connects[0].contains(&basic(GH_USER, &gh_token())));
    // NO_PROXY: straight to the host (here through --connect-to).
    let (out, _) = run_with_env(
        &cfg,
        &[
            "--format".into(),
            "json".into(),
            "--connect-to".into(),
            format!("ghe.test.local:443:127.0.0.1:{}", server.port),
        ],
        &[
            ("HTTPS_PROXY", format!("http://127.0.0.1:{}", proxy.port)),
            ("NO_PROXY", "ghe.test.local".into()),
        ],
    );
    assert!(out.contains("credential-verified"), "{out}");
    assert_eq!(proxy.connects.lock().unwrap().len(), 1, "NO_PROXY ignored");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn human_output_never_shows_a_credential() {
    let server = start(|_| Reply::json(401, r#"{"message":"Bad credentials"}"#));
    let mut args = server.connect_to();
    args.extend(["--format".into(), "human".into()]);
    let (out, err) = run_with_env(&gh_config(Some("ghe.test.local")), &args, &[]);
    assert!(out.contains("credential-rejected"), "{out}");
    for s in all_secrets() {
        assert!(!out.contains(&s) && !err.contains(&s), "{out}");
    }
    assert!(!out.contains("Basic ") && !out.contains("Authorization"));
}

#[test]
fn ssl_cert_file_is_honoured_like_go() {
    let server = start(gh_user_ok);
    let dir = support::temp_dir("cfg");
    let path = dir.join("atlantis.yaml");
    std::fs::write(&path, gh_config(Some("ghe.test.local"))).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atlantis-lint"))
        .arg(&path)
        .args(["--format", "json", "--online"])
        .args(server.connect_to())
        .env("SSL_CERT_FILE", support::ca_path())
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("credential-verified"), "{stdout}");
}

#[test]
fn the_hosts_contacted_are_named_first() {
    let server = start(gh_user_ok);
    let run = lint(&gh_config(Some("ghe.test.local")), Some(&server), &[]);
    assert_eq!(
        run.stderr,
        "atlantis-lint: --online: read-only requests to GitHub at https://ghe.test.local\n"
    );
}

#[test]
fn github_fine_grained_permission_missing_names_what_github_accepts() {
    let server = start(|_| {
        Reply::json(
            403,
            r#"{"message":"Resource not accessible by personal access token"}"#,
        )
        .header(
            "x-accepted-github-permissions",
            "pull_requests=write; issues=write",
        )
    });
    let run = lint(&gh_config(None), Some(&server), &[]);
    let msg = run.message("credential-insufficient");
    assert!(msg.contains("Resource not accessible by personal access token; GitHub accepts: pull_requests=write; issues=write"), "{msg}");
}

#[test]
fn github_login_differs_from_gh_user() {
    let server =
        start(|_| Reply::json(200, r#"{"login":"someone-else"}"#).header("x-oauth-scopes", "repo"));
    let run = lint(&gh_config(None), Some(&server), &[]);
    let msg = run.message("credential-verified");
    assert!(
        msg.contains("gh-user is `atlantis-bot`: Atlantis acts as `someone-else`"),
        "{msg}"
    );
}

#[test]
fn gitlab_blocked_account() {
    let server = start(|_| {
        Reply::json(
            403,
            r#"{"message":"403 Forbidden - Your account has been blocked."}"#,
        )
    });
    let run = lint(&gl_config("gitlab.test.local"), Some(&server), &[]);
    assert_eq!(run.code, 1);
    assert!(run.message("credential-rejected").contains("blocked"));
}

#[test]
fn bitbucket_cloud_403_without_account_scope() {
    let server = start(|_| {
        Reply::json(403, r#"{"type":"error","error":{"message":"Your credentials lack one or more required privilege scopes.","detail":{"granted":["read:repository:bitbucket"],"required":["read:user:bitbucket"]}}}"#)
            .header("x-credential-type", "api_token")
            .header("x-oauth-scopes", "read:repository:bitbucket, read:pullrequest:bitbucket, write:pullrequest:bitbucket")
    });
    // Authenticated; only hide-prev-plan-comments needs the account scope.
    let run = lint(&bbc_config(), Some(&server), &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    run.one("credential-verified");
    let run = lint(
        &(bbc_config() + "hide-prev-plan-comments: true\n"),
        Some(&server),
        &[],
    );
    assert_eq!(run.code, 1);
    assert!(run.message("credential-insufficient").contains(
        "may not read its own account (read:user:bitbucket), which hide-prev-plan-comments needs"
    ));
}

#[test]
fn github_app_slug_and_installation_id_mismatches() {
    let server = start(github_app(format!(
        "[{}]",
        installation(111, "acme", FULL_PERMISSIONS, false)
    )));
    let cfg = app_config(&key_file(&app_keys().0.pkcs1_pem));
    let run = lint(
        &(cfg.clone() + "gh-app-slug: atlantis-other\n"),
        Some(&server),
        TRUST_GHE,
    );
    assert_eq!(run.code, 1);
    let d = run.one("credential-insufficient");
    assert!(d["message"].as_str().unwrap().contains("gh-app-slug is `atlantis-other` but the key and gh-app-id belong to the app `atlantis-acme`"));
    assert_eq!(d["related"].as_array().unwrap().len(), 1);
    let run = lint(
        &(cfg + "gh-app-installation-id: 999\n"),
        Some(&server),
        TRUST_GHE,
    );
    assert_eq!(run.code, 1);
    assert!(
        run.message("credential-insufficient").contains(
            "gh-app-installation-id 999 is not an installation of the app `atlantis-acme`"
        )
    );
    assert_eq!(
        server.requests().last().unwrap().path,
        "/api/v3/app/installations/999"
    );
}

#[test]
fn expiry_is_judged_against_the_host_clock() {
    let server = start(|_| {
        Reply::json(200, r#"{"login":"atlantis-bot"}"#)
            .header("x-oauth-scopes", "repo")
            .header("date", "Wed, 07 Jan 2099 12:00:00 GMT")
            .header(
                "github-authentication-token-expiration",
                "2099-01-10 12:00:00 UTC",
            )
    });
    let run = lint(&gh_config(None), Some(&server), &[]);
    let msg = run.message("credential-expiring");
    assert!(
        msg.contains("expires on 2099-01-10 12:00 UTC, in 3 days"),
        "{msg}"
    );
}

#[test]
fn github_allowlisted_repository_must_be_writable_and_visible() {
    let server = start(|r| match r.route() {
        "/api/v3/user" => gh_user_ok(r),
        "/api/v3/repos/acme/infra" => Reply::json(
            200,
            r#"{"full_name":"acme/infra","private":true,"default_branch":"main","permissions":{"admin":false,"maintain":false,"push":true,"triage":true,"pull":true}}"#,
        ),
        "/api/v3/repos/acme/docs" => Reply::json(
            200,
            r#"{"full_name":"acme/docs","permissions":{"admin":false,"push":false,"pull":true}}"#,
        ),
        _ => Reply::not_found(),
    });
    let cfg =
        |allow: &str| gh_config(Some("ghe.test.local")).replace("ghe.test.local/acme/*", allow);
    let run = lint(
        &cfg("ghe.test.local/acme/infra,ghe.test.local/acme/*"),
        Some(&server),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.online_rules(), ["credential-verified"]);
    let run = lint(
        &cfg("ghe.test.local/acme/infra,ghe.test.local/acme/docs"),
        Some(&server),
        &[],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.message("credential-insufficient")
            .contains("`atlantis-bot` has no write access to `acme/docs`")
    );
    let run = lint(&cfg("ghe.test.local/acme/typo"), Some(&server), &[]);
    let d = run.one("credential-insufficient");
    assert_eq!(d["severity"], "warning");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("`acme/typo` from the repo-allowlist is not visible")
    );
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert!(
        paths.contains(&"/api/v3/repos/acme/typo".to_string()),
        "{paths:?}"
    );
}

#[test]
fn gitlab_allowlisted_project_needs_developer() {
    let server = start(|r| {
        if r.route() == "/api/v4/projects/acme%2Fsub%2Finfra" {
            return Reply::json(
                200,
                r#"{"id":123,"path_with_namespace":"acme/sub/infra","permissions":{"project_access":null,"group_access":{"access_level":20}}}"#,
            );
        }
        gitlab("", r#"["api"]"#, date(200))(r)
    });
    let cfg = gl_config("gitlab.test.local").replace(
        "gitlab.test.local/acme/*",
        "gitlab.test.local/acme/sub/infra",
    );
    let run = lint(&cfg, Some(&server), &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let msg = run.message("credential-insufficient");
    assert!(
        msg.contains("has the role Reporter (20) in `acme/sub/infra`"),
        "{msg}"
    );
}

#[test]
fn suppression_comments_apply_to_online_findings() {
    let server = start(|_| Reply::json(401, r#"{"message":"Bad credentials"}"#));
    let cfg = gh_config(Some("ghe.test.local")).replace(
        "gh-token:",
        "# atlantis-lint: ignore[credential-rejected] rotated by the bootstrap job\ngh-token:",
    );
    let run = lint(&cfg, Some(&server), &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.rule("credential-rejected").is_empty());
    assert!(run.rule("unused-suppression").is_empty(), "{}", run.stdout);
    // Offline, the suppression of an online rule is not reported as unused.
    let dir = support::temp_dir("cfg");
    let path = dir.join("atlantis.yaml");
    std::fs::write(&path, &cfg).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atlantis-lint"))
        .arg(&path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("unused-suppression"), "{stdout}");
}

#[test]
fn azure_devops_entitlement_scope_and_unknown_user() {
    let server = start(|r| {
        if r.host().starts_with("vsaex") {
            return Reply::json(
                401,
                r#"{"message":"TF400813: The user 'ad7ddcd2' is not authorized to access this resource."}"#,
            );
        }
        every_host(r)
    });
    let run = lint(&ado_config(), Some(&server), &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.message("credential-insufficient")
            .contains("lacks Member Entitlement Management (Read)")
    );
    let server = start(every_host);
    let cfg = ado_config().replace(
        "azuredevops-user: atlantis@acme.example",
        "azuredevops-user: nobody@acme.example",
    );
    let run = lint(&cfg, Some(&server), &[]);
    let d = run.one("credential-insufficient");
    assert_eq!(d["severity"], "warning");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("`nobody@acme.example` is not a user of organisation `acme`")
    );
}

#[test]
fn small_states_expired_header_anonymous_answer_secondary_limit() {
    // An expiry the host reports as past is an error.
    let server = start(|_| {
        Reply::json(200, r#"{"login":"atlantis-bot"}"#)
            .header("x-oauth-scopes", "repo")
            .header(
                "github-authentication-token-expiration",
                "2001-01-01 00:00:00 UTC",
            )
    });
    let run = lint(&gh_config(None), Some(&server), &[]);
    let d = run.one("credential-expiring");
    assert_eq!(d["severity"], "error");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("gh-token expired on 2001-01-01 00:00 UTC")
    );
    // Bitbucket Data Center answering anonymously: the token was not used.
    let server = start(|r| match r.route() {
        "/bitbucket/rest/api/1.0/application-properties" => {
            Reply::json(200, r#"{"version":"9.4.3"}"#)
        }
        _ => Reply::json(200, r#"{"size":0,"values":[]}"#),
    });
    let run = lint(&bbs_config(), Some(&server), &[]);
    assert!(
        run.message("credential-rejected")
            .contains("anonymous access answered instead")
    );
    // A secondary rate limit named only in the body.
    let server = start(|_| {
        Reply::json(
            403,
            r#"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}"#,
        )
    });
    let run = lint(&gh_config(None), Some(&server), &[]);
    assert!(
        run.message("probe-indeterminate")
            .contains("answered 403: rate limited")
    );
}

// ---------------------------------------------------------------- issue 14: --online as Atlantis's client

/// Runs the linter with `--online --format json` and these env vars, on a config file.
fn run_env(
    yaml: &str,
    server: &support::Server,
    args: &[&str],
    env: &[(&str, String)],
) -> support::Run {
    let mut all: Vec<String> = server.connect_to();
    all.extend(["--format".into(), "json".into()]);
    all.extend(args.iter().map(|s| s.to_string()));
    let started = std::time::Instant::now();
    let (stdout, stderr) = run_with_env(yaml, &all, env);
    support::Run {
        json: serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null),
        stdout,
        stderr,
        code: 0,
        elapsed: started.elapsed(),
    }
}

#[test]
fn a_token_from_the_environment_is_not_sent_to_a_host_the_config_names() {
    let server = start(gh_user_ok);
    // The pull request's config chooses the host; the CI's environment holds the token.
    let cfg = "repo-allowlist: evil.test.local/acme/*\ngh-user: atlantis-bot\ngh-hostname: evil.test.local\n";
    let env = [("ATLANTIS_GH_TOKEN", gh_token())];
    let run = run_env(cfg, &server, &["--env"], &env);
    assert!(
        server.requests().is_empty(),
        "the credential went to the host"
    );
    assert_no_leak(&run);
    let d = run.one("probe-unverifiable");
    let msg = d["message"].as_str().unwrap();
    assert!(
        msg.starts_with(
            "gh-token was not sent to evil.test.local: gh-hostname comes from the file "
        ),
        "{msg}"
    );
    assert!(
        msg.contains("the credential from the environment (ATLANTIS_GH_TOKEN)"),
        "{msg}"
    );
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("--online-host evil.test.local")
    );
    // The related location is the line naming the host.
    assert_eq!(d["related"][0]["line"], 3);
    assert_eq!(d["source"]["name"], "ATLANTIS_GH_TOKEN");
    // Nothing is announced for it either.
    assert!(!run.stderr.contains("evil.test.local"), "{}", run.stderr);
    // Allowed explicitly: probed.
    let run = run_env(
        cfg,
        &server,
        &["--env", "--online-host", "evil.test.local"],
        &env,
    );
    run.one("credential-verified");
    assert_eq!(server.requests().len(), 1);
    // Host and token from the same trusted source (the environment): probed.
    let env = [
        ("ATLANTIS_GH_TOKEN", gh_token()),
        ("ATLANTIS_GH_HOSTNAME", "evil.test.local".to_string()),
    ];
    let run = run_env(
        "repo-allowlist: evil.test.local/acme/*\ngh-user: atlantis-bot\n",
        &server,
        &["--env"],
        &env,
    );
    run.one("credential-verified");
    // A public host needs no permission: api.github.com.
    let env = [("ATLANTIS_GH_TOKEN", gh_token())];
    let run = run_env(
        "repo-allowlist: github.com/acme/*\ngh-user: atlantis-bot\ngh-hostname: github.com\n",
        &server,
        &["--env"],
        &env,
    );
    run.one("credential-verified");
    assert_eq!(server.requests().last().unwrap().host(), "api.github.com");
}

#[test]
fn a_token_file_named_by_the_config_is_not_sent_to_a_host_the_config_names() {
    let server = start(gh_user_ok);
    let dir = support::temp_dir("tok");
    let file = dir.join("token");
    std::fs::write(&file, gh_token() + "\n").unwrap();
    let cfg = format!(
        "repo-allowlist: evil.test.local/acme/*\ngh-user: atlantis-bot\ngh-hostname: evil.test.local\ngh-token-file: {}\n",
        file.display()
    );
    let run = lint(&cfg, Some(&server), &[]);
    assert!(server.requests().is_empty());
    assert_no_leak(&run);
    let msg = run.message("probe-unverifiable");
    assert!(
        msg.contains("the credential of gh-token-file was not sent to evil.test.local"),
        "{msg}"
    );
    // --require-online: a host that could not be probed fails the run.
    let run = lint(&cfg, Some(&server), &["--require-online"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.one("probe-unverifiable")["severity"], "error");
}

#[test]
fn require_online_fails_when_the_token_file_cannot_be_read() {
    let server = start(gh_user_ok);
    let cfg = "repo-allowlist: github.com/acme/*\ngh-user: atlantis-bot\ngh-token-file: /nonexistent/atlantis-lint/token\n";
    let run = lint(cfg, Some(&server), &[]);
    assert_eq!(run.one("probe-unverifiable")["severity"], "info");
    let run = lint(cfg, Some(&server), &["--require-online"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let d = run.one("probe-unverifiable");
    assert_eq!(d["severity"], "error");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("cannot be read from here")
    );
    assert!(server.requests().is_empty());
}

#[test]
fn one_leading_at_sign_is_trimmed_from_host_users() {
    let server = start(every_host);
    // Bitbucket Cloud without an API user: Atlantis sends `bb-bot`, not `@bb-bot`.
    let cfg = format!(
        "repo-allowlist: bitbucket.org/acme/*\nbitbucket-user: \"@bb-bot\"\nbitbucket-token: {}\n",
        bbc_token()
    );
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let s2 = seen.clone();
    let server2 = start(move |r| {
        s2.lock()
            .unwrap()
            .push(r.header("authorization").unwrap_or("").to_string());
        if r.header("authorization") == Some(&format!("Basic {}", basic("bb-bot", &bbc_token()))) {
            Reply::json(200, r#"{"username":"bb-bot"}"#)
                .header("x-oauth-scopes", "read:repository:bitbucket, read:pullrequest:bitbucket, write:pullrequest:bitbucket")
        } else {
            Reply::json(401, "{}")
        }
    });
    let run = lint(&cfg, Some(&server2), &[]);
    assert_eq!(run.rule("credential-rejected").len(), 0, "{}", run.stdout);
    run.one("credential-verified");
    assert_eq!(seen.lock().unwrap().len(), 1);
    // GitHub: `@atlantis-bot` is `atlantis-bot` in the Basic header and in the comparison.
    let cfg = gh_config(None).replace("gh-user: atlantis-bot", "gh-user: \"@atlantis-bot\"");
    let run = lint(&cfg, Some(&server), &[]);
    let msg = run.message("credential-verified");
    assert!(!msg.contains("gh-user is"), "{msg}");
}

/// A self-signed server certificate with CA:TRUE, as `openssl req -x509` makes it.
fn self_signed_ca_leaf(host: &str) -> (String, std::sync::Arc<rustls::ServerConfig>) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec![host.to_string()]).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap();
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    (cert.pem(), std::sync::Arc::new(config))
}

#[test]
fn ca_cert_accepts_a_self_signed_ca_leaf_as_go_does() {
    let (pem, config) = self_signed_ca_leaf("ghe.test.local");
    let server = support::start_with_config(config, gh_user_ok);
    let dir = support::temp_dir("selfsigned");
    let ca = dir.join("server.pem");
    std::fs::write(&ca, &pem).unwrap();
    let ca = ca.display().to_string();
    let connect = format!("ghe.test.local:443:127.0.0.1:{}", server.port);
    let run = lint(
        &gh_config(Some("ghe.test.local")),
        None,
        &["--ca-cert", &ca, "--connect-to", &connect],
    );
    assert_no_leak(&run);
    run.one("credential-verified");
    // The name is still checked: the same certificate for another host name is refused, in
    // our words, without the TLS library's debug text.
    let connect = format!("gitlab.test.local:443:127.0.0.1:{}", server.port);
    let run = lint(
        &gl_config("gitlab.test.local"),
        None,
        &["--ca-cert", &ca, "--connect-to", &connect],
    );
    let msg = run.message("probe-indeterminate");
    assert!(
        msg.contains("TLS failed: the server's certificate is not valid for this host name"),
        "{msg}"
    );
    // Not given to --ca-cert: refused as an unknown authority.
    let run = lint(
        &gh_config(Some("ghe.test.local")),
        None,
        &[
            "--connect-to",
            &format!("ghe.test.local:443:127.0.0.1:{}", server.port),
        ],
    );
    let msg = run.message("probe-indeterminate");
    assert!(msg.contains("TLS failed: "), "{msg}");
    for debug in [
        "CaUsedAsEndEntity",
        "Other(",
        "InvalidCertificate",
        "webpki",
    ] {
        assert!(!run.stdout.contains(debug), "{}", run.stdout);
    }
}

#[test]
fn connect_to_honours_the_mapped_port_as_curl_does() {
    let server = start(gh_user_ok);
    // The configured host has its own port; the mapping sends it to the fake server's.
    let connect = format!("ghe.test.local:8443:127.0.0.1:{}", server.port);
    let run = lint(
        &gh_config(Some("ghe.test.local:8443")),
        None,
        &["--connect-to", &connect],
    );
    assert_no_leak(&run);
    run.one("credential-verified");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    // Host header and TLS name still say what the config says.
    assert_eq!(reqs[0].host(), "ghe.test.local:8443");
    assert_eq!(reqs[0].sni.as_deref(), Some("ghe.test.local"));
    assert_eq!(reqs[0].path, "/api/v3/user");
}

#[test]
fn azure_devops_server_with_a_port_is_probed() {
    let server = start(every_host);
    let cfg = format!(
        "repo-allowlist: ado.test.local/acme/*\nazuredevops-hostname: ado.test.local:8080\nazuredevops-user: atlantis@acme.example\nazuredevops-token: {}\n",
        ado_token()
    );
    let connect = format!("ado.test.local:8080:127.0.0.1:{}", server.port);
    let run = lint(&cfg, None, &["--connect-to", &connect]);
    assert_no_leak_all(&run);
    assert!(
        run.rule("probe-unverifiable").iter().all(|d| !d["message"]
            .as_str()
            .unwrap()
            .contains("organisation is unknown")),
        "{}",
        run.stdout
    );
    let reqs = server.requests();
    assert!(!reqs.is_empty(), "{}", run.stdout);
    assert_eq!(reqs[0].host(), "ado.test.local:8080");
    assert!(reqs[0].path.starts_with("/acme/_apis/connectionData"));
}

#[test]
fn the_entitlement_host_is_named_among_the_recipients() {
    let server = start(every_host);
    let run = lint(&ado_config(), Some(&server), &[]);
    assert_eq!(
        run.stderr,
        "atlantis-lint: --online: read-only requests to Azure DevOps at https://dev.azure.com, https://vsaex.dev.azure.com (entitlements)\n"
    );
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.host() == "vsaex.dev.azure.com")
    );
}

#[test]
fn connection_setup_follows_online_timeout() {
    // A listener that accepts and never answers the TLS handshake.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming() {
            held.push(s);
        }
    });
    let connect = format!("ghe.test.local:443:127.0.0.1:{port}");
    let run = lint(
        &gh_config(Some("ghe.test.local")),
        None,
        &["--connect-to", &connect, "--online-timeout", "6.5"],
    );
    let msg = run.message("probe-indeterminate");
    assert!(msg.contains("no answer within 6.5 s"), "{msg}");
    assert!(
        run.elapsed >= Duration::from_millis(6400),
        "gave up after {:?}",
        run.elapsed
    );
}

#[test]
fn one_retry_after_a_server_error() {
    let n = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let n2 = n.clone();
    let server = start(move |r| {
        if n2.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            Reply::json(502, r#"{"message":"bad gateway"}"#)
        } else {
            gh_user_ok(r)
        }
    });
    let run = lint(&gh_config(None), Some(&server), &[]);
    run.one("credential-verified");
    assert_eq!(server.requests().len(), 2);
    // Never more than one.
    let server = start(|_| Reply::json(500, r#"{"message":"down"}"#));
    let run = lint(&gh_config(None), Some(&server), &[]);
    assert!(run.message("probe-indeterminate").contains("answered 500"));
    assert_eq!(server.requests().len(), 2);
    // Never after a 401.
    let server = start(|_| Reply::json(401, r#"{"message":"Bad credentials"}"#));
    lint(&gh_config(None), Some(&server), &[]);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn probing_stops_when_the_rate_limit_quota_is_low() {
    let server = start(|r| match r.route() {
        "/user" => gh_user_ok(r)
            .header("x-ratelimit-remaining", "3")
            .header("x-ratelimit-reset", &(now() + 600).to_string()),
        _ => Reply::json(200, r#"{"permissions":{"push":true}}"#),
    });
    let cfg = gh_config(None).replace("github.com/acme/*", "github.com/acme/infra");
    let run = lint(&cfg, Some(&server), &[]);
    assert_eq!(
        server.requests().len(),
        1,
        "the repository was still asked for"
    );
    let msg = run.message("probe-indeterminate");
    assert!(
        msg.contains("rate-limit quota is nearly spent (3 requests left"),
        "{msg}"
    );
    run.one("credential-verified");
}

#[test]
fn dry_run_prints_the_requests_and_sends_nothing() {
    let server = start(every_host);
    let (a, _) = seven_hosts();
    let run = lint(&a, Some(&server), &["--dry-run"]);
    assert!(server.requests().is_empty());
    for s in all_secrets() {
        assert!(!run.stdout.contains(&s) && !run.stderr.contains(&s));
    }
    assert!(run.online_rules().is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("--dry-run: nothing is sent; the credentials would go to GitHub at https://api.github.com"), "{}", run.stderr);
    assert!(
        run.stderr.contains("GET https://api.github.com/user (Authorization: Basic base64(\"atlantis-bot:\" + <gh-token>))"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "GET https://gitlab.test.local/api/v4/version (PRIVATE-TOKEN: <gitlab-token>)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("GET https://dev.azure.com/acme/_apis/connectionData (Authorization: Basic base64(\":\" + <azuredevops-token>))"), "{}", run.stderr);
}

#[test]
fn a_secret_read_from_a_file_and_echoed_by_the_host_is_never_printed() {
    use support::basic;
    let dir = support::temp_dir("tok");
    let file = dir.join("token");
    // Not token-shaped: only knowing it as a secret can hide it.
    let secret = "qzFileSecret7Hk2Lm9Np4Rs";
    std::fs::write(&file, format!("{secret}\n")).unwrap();
    let cfg = format!(
        "repo-allowlist: github.com/acme/*\ngh-user: atlantis-bot\ngh-token-file: {}\n",
        file.display()
    );
    let b64 = basic(GH_USER, secret);
    for kind in 0..3 {
        let server = start(move |r| {
            let auth = r.header("authorization").unwrap_or("").to_string();
            let piece = &secret[3..14];
            match kind {
                0 => Reply::json(
                    401,
                    format!(r#"{{"message":"Bad credentials: {auth} ({piece})"}}"#),
                ),
                1 => Reply::json(200, format!(r#"{{"login":"{secret}"}}"#))
                    .header("x-oauth-scopes", "repo"),
                _ => Reply::json(
                    403,
                    format!(r#"{{"message":"token {piece}... is not allowed"}}"#),
                ),
            }
        });
        let run = lint(&cfg, Some(&server), &[]);
        assert!(!server.requests().is_empty(), "{}", run.stdout);
        for s in [secret, &b64, &secret[3..14], &b64[4..20]] {
            assert!(
                !run.stdout.contains(s) && !run.stderr.contains(s),
                "reply {kind}: {}",
                run.stdout
            );
        }
        for w in secret.as_bytes().windows(8) {
            let w = std::str::from_utf8(w).unwrap();
            assert!(
                !run.stdout.contains(w),
                "reply {kind}: piece {w} in {}",
                run.stdout
            );
        }
    }
}

#[test]
fn a_github_app_jwt_echoed_by_the_host_is_never_printed() {
    let server = start(|r| {
        let auth = r.header("authorization").unwrap_or("").to_string();
        let jwt = auth.trim_start_matches("Bearer ").to_string();
        let parts: Vec<&str> = jwt.split('.').collect();
        Reply::json(
            401,
            format!(
                r#"{{"message":"A JSON web token could not be decoded: claims {} signature {}"}}"#,
                parts.get(1).unwrap_or(&""),
                &parts.get(2).unwrap_or(&"")[..20.min(parts.get(2).map_or(0, |p| p.len()))]
            ),
        )
    });
    let run = lint(
        &app_config(&key_file(&app_keys().0.pkcs1_pem)),
        Some(&server),
        TRUST_GHE,
    );
    assert_no_key_leak(&run);
    let msg = run.message("credential-rejected");
    assert!(
        msg.contains("claims <redacted> signature <redacted>"),
        "{msg}"
    );
}

#[test]
fn progress_shows_one_live_line_per_host_on_a_terminal_only() {
    let server = start(|r| {
        let mut reply = gh_user_ok(r);
        reply.delay = Duration::from_millis(700);
        reply
    });
    let dir = support::temp_dir("progress");
    let path = dir.join("atlantis.yaml");
    std::fs::write(&path, gh_config(None)).unwrap();
    let mut args: Vec<String> = vec![
        env!("CARGO_BIN_EXE_atlantis-lint").into(),
        path.display().to_string(),
        "--online".into(),
        "--format".into(),
        "concise".into(),
        "--ca-cert".into(),
        support::ca_path().display().to_string(),
    ];
    args.extend(server.connect_to());
    // Not a terminal: nothing but the notice.
    let out = std::process::Command::new(&args[0])
        .args(&args[1..])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr,
        "atlantis-lint: --online: read-only requests to GitHub at https://api.github.com\n"
    );
    // A terminal (util-linux `script` gives the run a pseudo-terminal).
    if !std::path::Path::new("/usr/bin/script").exists() {
        return;
    }
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let out = std::process::Command::new("/usr/bin/script")
        .args([
            "-qec",
            &format!("{} 2>&1 >/dev/null", quoted.join(" ")),
            "/dev/null",
        ])
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(
        screen.contains(
            "atlantis-lint: GitHub at https://api.github.com: GET https://api.github.com/user ("
        ),
        "{screen:?}"
    );
    // Erased when done: the last thing written is the clear.
    assert!(screen.trim_end().ends_with("\x1b[J"), "{screen:?}");
    assert_no_leak(&support::Run {
        json: serde_json::Value::Null,
        stdout: screen.into_owned(),
        stderr: String::new(),
        code: 0,
        elapsed: Duration::ZERO,
    });
}

fn fine_grained_token() -> String {
    format!("github_pat_{}", "AtlantisLintFake0".repeat(5))
}

#[test]
fn github_fine_grained_token_reads_the_allowlisted_repository() {
    let server = start(|r| {
        let ok = |body: &str| Reply::json(200, body.to_string());
        match r.path.as_str() {
            "/user" => ok(r#"{"login":"atlantis-bot"}"#),
            "/repos/acme/infra" => ok(r#"{"default_branch":"trunk","permissions":{"push":true}}"#),
            "/repos/acme/infra/commits?per_page=1" => {
                Reply::json(409, r#"{"message":"Git Repository is empty."}"#)
            }
            "/repos/acme/infra/pulls?per_page=1&state=all" => Reply::json(
                403,
                r#"{"message":"Resource not accessible by personal access token"}"#,
            )
            .header("x-accepted-github-permissions", "pull_requests=read"),
            _ => Reply::not_found(),
        }
    });
    let cfg = gh_config(None)
        .replace(&gh_token(), &fine_grained_token())
        .replace("github.com/acme/*", "github.com/acme/infra");
    let run = lint(&cfg, Some(&server), &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let msg = run.message("credential-insufficient");
    assert!(
        msg.contains("gh-token cannot read `acme/infra` with the repository permission Pull requests: read (403; GitHub accepts: pull_requests=read)"),
        "{msg}"
    );
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "/user",
            "/repos/acme/infra",
            "/repos/acme/infra/commits?per_page=1",
            "/repos/acme/infra/pulls?per_page=1&state=all"
        ]
    );
    // All three readable (the status of the default branch too): no finding but the note.
    let server = start(|r| match r.route() {
        "/user" => Reply::json(200, r#"{"login":"atlantis-bot"}"#),
        "/repos/acme/infra" => Reply::json(
            200,
            r#"{"default_branch":"trunk","permissions":{"push":true}}"#,
        ),
        "/repos/acme/infra/commits" | "/repos/acme/infra/pulls" => Reply::json(200, "[]"),
        "/repos/acme/infra/commits/trunk/status" => Reply::json(200, r#"{"state":"pending"}"#),
        _ => Reply::not_found(),
    });
    let run = lint(&cfg, Some(&server), &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(server.requests().len(), 5);
    // A classic token is not asked for them (its scopes say it all).
    let server = start(|r| match r.route() {
        "/user" => gh_user_ok(r),
        _ => Reply::json(200, r#"{"permissions":{"push":true}}"#),
    });
    lint(
        &gh_config(None).replace("github.com/acme/*", "github.com/acme/infra"),
        Some(&server),
        &[],
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn github_team_allowlist_teams_are_read_from_the_organisation() {
    let server = start(|r| match r.path.as_str() {
        "/user" => gh_user_ok(r),
        "/orgs/acme/teams?per_page=100" => {
            Reply::json(200, r#"[{"id":1,"name":"DevOps","slug":"devops"}]"#)
        }
        _ => Reply::not_found(),
    });
    let cfg = gh_config(None) + "gh-team-allowlist: \"devops:plan, sre:apply\"\n";
    let run = lint(&cfg, Some(&server), &[]);
    let d = run.one("credential-insufficient");
    assert_eq!(d["severity"], "warning");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .starts_with("gh-team-allowlist names `sre` that organisation `acme` does not have"),
        "{}",
        run.stdout
    );
    // A fine-grained token without Members: read.
    let server = start(|r| match r.path.as_str() {
        "/user" => Reply::json(200, r#"{"login":"atlantis-bot"}"#),
        _ => Reply::json(
            403,
            r#"{"message":"Resource not accessible by personal access token"}"#,
        ),
    });
    let run = lint(
        &cfg.replace(&gh_token(), &fine_grained_token()),
        Some(&server),
        &[],
    );
    let d = run.one("credential-insufficient");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("cannot read the teams of organisation `acme` (403)"),
        "{}",
        run.stdout
    );
    assert!(d["help"].as_str().unwrap().contains("Members: read"));
}

/// `every_host`, plus the repositories `acme/infra` (Gitea, Bitbucket Cloud),
/// `INFRA/terraform` (Bitbucket Data Center) and `acme/infra/terraform` (Azure DevOps), each
/// answering as `state` says: "ok", "read-only" (no write access), "scope" (a scope missing).
fn repo_host(state: &'static str) -> impl Fn(&Req) -> Reply {
    move |r: &Req| {
        let host = r.host().split(':').next().unwrap_or("").to_string();
        let scope = state == "scope";
        match (host.as_str(), r.path.as_str()) {
            ("gitea.test.local", "/api/v1/repos/acme/infra") => Reply::json(
                200,
                format!(
                    r#"{{"full_name":"acme/infra","permissions":{{"admin":false,"push":{},"pull":true}}}}"#,
                    state != "read-only"
                ),
            ),
            ("gitea.test.local", "/api/v1/repos/acme/infra/issues?limit=1&type=pulls") if scope => {
                Reply::json(
                    403,
                    r#"{"message":"token does not have at least one of required scope(s): [read:issue]","url":"https://gitea.test.local/api/swagger"}"#,
                )
            }
            ("gitea.test.local", "/api/v1/repos/acme/infra/issues?limit=1&type=pulls") => {
                Reply::json(200, "[]")
            }
            ("api.bitbucket.org", "/2.0/repositories/acme/infra") => {
                Reply::json(200, r#"{"full_name":"acme/infra"}"#)
            }
            ("api.bitbucket.org", "/2.0/repositories/acme/infra/pullrequests?pagelen=1")
                if scope =>
            {
                Reply::json(
                    403,
                    r#"{"type":"error","error":{"message":"Your credentials lack one or more required privilege scopes.","detail":{"granted":["read:user:bitbucket"],"required":["read:pullrequest:bitbucket"]}}}"#,
                )
            }
            ("api.bitbucket.org", "/2.0/repositories/acme/infra/pullrequests?pagelen=1") => {
                Reply::json(200, r#"{"values":[]}"#)
            }
            ("bitbucket.test.local", "/bitbucket/rest/api/1.0/projects/INFRA/repos/terraform") => {
                Reply::json(200, r#"{"slug":"terraform"}"#).header("x-ausername", "atlantis")
            }
            (
                "bitbucket.test.local",
                "/bitbucket/rest/api/1.0/repos?projectkey=INFRA&name=terraform&permission=REPO_WRITE",
            ) => {
                let values = if state == "read-only" {
                    "[]"
                } else {
                    r#"[{"slug":"terraform"}]"#
                };
                Reply::json(200, format!(r#"{{"size":1,"values":{values}}}"#))
                    .header("x-ausername", "atlantis")
            }
            ("dev.azure.com", "/acme/infra/_apis/git/repositories/terraform?api-version=7.1")
                if scope =>
            {
                Reply::json(
                    401,
                    r#"{"message":"TF400813: The user 'ad7ddcd2' is not authorized to access this resource."}"#,
                )
            }
            ("dev.azure.com", "/acme/infra/_apis/git/repositories/terraform?api-version=7.1") => {
                Reply::json(200, r#"{"id":"1","name":"terraform"}"#)
            }
            _ => every_host(r),
        }
    }
}

#[test]
fn gitea_bitbucket_and_azure_devops_allowlisted_repositories_are_probed() {
    let configs = [
        gitea_config().replace("gitea.test.local/acme/*", "gitea.test.local/acme/infra"),
        bbc_config().replace("bitbucket.org/acme/*", "bitbucket.org/acme/infra"),
        bbs_config().replace(
            "bitbucket.test.local/INFRA/*",
            "bitbucket.test.local/INFRA/terraform",
        ),
        ado_config().replace("dev.azure.com/acme/*", "dev.azure.com/acme/infra/terraform"),
    ];
    let server = start(repo_host("ok"));
    for cfg in &configs {
        let run = lint(cfg, Some(&server), &[]);
        assert_no_leak_all(&run);
        assert_eq!(run.code, 0, "{}", run.stdout);
        run.one("credential-verified");
    }
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    for p in [
        "/api/v1/repos/acme/infra",
        "/api/v1/repos/acme/infra/issues?limit=1&type=pulls",
        "/2.0/repositories/acme/infra/pullrequests?pagelen=1",
        "/bitbucket/rest/api/1.0/repos?projectkey=INFRA&name=terraform&permission=REPO_WRITE",
        "/acme/infra/_apis/git/repositories/terraform?api-version=7.1",
    ] {
        assert!(paths.iter().any(|x| x == p), "{p} not requested: {paths:?}");
    }
    let expect_scope = [
        "may not read `acme/infra` (403; Gitea requires: read:issue)",
        "may not read the pull requests of `acme/infra` (403; Bitbucket requires: read:pullrequest:bitbucket)",
        "",
        "may not read the repository `acme/infra/terraform` (401): it lacks the scope Code (Read)",
    ];
    let server = start(repo_host("scope"));
    for (cfg, expect) in configs.iter().zip(expect_scope) {
        if expect.is_empty() {
            continue;
        }
        let run = lint(cfg, Some(&server), &[]);
        assert_eq!(run.code, 1, "{}", run.stdout);
        let msg = run.message("credential-insufficient");
        assert!(msg.contains(expect), "{msg}");
    }
    let server = start(repo_host("read-only"));
    for (cfg, expect) in configs.iter().zip([
        "the account of gitea-token has no write access to `acme/infra`",
        "",
        "`atlantis` has no write permission on `INFRA/terraform`",
        "",
    ]) {
        if expect.is_empty() {
            continue;
        }
        let run = lint(cfg, Some(&server), &[]);
        let msg = run.message("credential-insufficient");
        assert!(msg.contains(expect), "{msg}");
    }
    // Not visible: a warning (a typo in the allowlist looks the same).
    let server = start(every_host);
    for cfg in &configs {
        let run = lint(cfg, Some(&server), &[]);
        let d = run.one("credential-insufficient");
        assert_eq!(d["severity"], "warning", "{}", run.stdout);
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .contains("from the repo-allowlist is not visible")
        );
    }
}

#[test]
fn github_app_deep_check_mints_lists_and_revokes() {
    // Built at run time: the token a host mints.
    let minted = format!("ghs_{}", "MintedByTheFakeHost0".repeat(2));
    let m = minted.clone();
    let app = github_app(format!(
        "[{}]",
        installation(111, "acme", FULL_PERMISSIONS, false)
    ));
    let server = start(move |r| {
        let with_minted = r.header("authorization") == Some(&format!("token {m}"));
        match (r.method.as_str(), r.route()) {
            ("POST", "/api/v3/app/installations/111/access_tokens") => {
                if jwt_ok(r).is_err() || r.body != r#"{"permissions":{"metadata":"read"}}"# {
                    return Reply::json(422, r#"{"message":"unexpected"}"#);
                }
                Reply::json(
                    201,
                    format!(
                        r#"{{"token":"{m}","expires_at":"2099-01-01T00:00:00Z","permissions":{{"metadata":"read"}}}}"#
                    ),
                )
            }
            ("GET", "/api/v3/installation/repositories") if with_minted => Reply::json(
                200,
                // A host echoing the token it minted: never printed.
                format!(
                    r#"{{"total_count":1,"repositories":[{{"full_name":"acme/infra"}}],"message":"{m}"}}"#
                ),
            ),
            ("DELETE", "/api/v3/installation/token") if with_minted => Reply::json(204, ""),
            _ => app(r),
        }
    });
    let cfg = app_config(&key_file(&app_keys().0.pkcs1_pem)).replace(
        "ghe.test.local/acme/*",
        "ghe.test.local/acme/infra,ghe.test.local/acme/secret",
    );
    let mut args = TRUST_GHE.to_vec();
    args.push("--online-app-deep");
    let run = lint(&cfg, Some(&server), &args);
    assert_no_key_leak(&run);
    run.assert_no_leak(&[&minted]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let msg = run.message("credential-insufficient");
    assert!(
        msg.contains(
            "installation 111 on `acme` does not cover `acme/secret` from the repo-allowlist"
        ),
        "{msg}"
    );
    let methods: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.route()))
        .collect();
    assert_eq!(
        &methods[methods.len() - 3..],
        [
            "POST /api/v3/app/installations/111/access_tokens",
            "GET /api/v3/installation/repositories",
            "DELETE /api/v3/installation/token"
        ]
    );
    // Without the flag: GET only, and a note instead.
    let server = start(github_app(format!(
        "[{}]",
        installation(111, "acme", FULL_PERMISSIONS, false)
    )));
    let run = lint(&cfg, Some(&server), TRUST_GHE);
    assert!(server.requests().iter().all(|r| r.method == "GET"));
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn a_credential_set_at_runtime_is_not_probed() {
    let server = support::start(gh_user_ok);
    let cfg = "repo-allowlist: gitlab.test.local/acme/*\ngitlab-user: atlantis-bot\ngitlab-hostname: gitlab.test.local\ngitlab-webhook-secret: not-a-real-secret-0123\n";
    let run = lint(cfg, Some(&server), &["--assume-set", "gitlab-token"]);
    let d = run.one("probe-unverifiable");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("is not probed: gitlab-token is set at runtime"),
        "{}",
        run.stdout
    );
    assert!(server.requests().is_empty(), "something was sent");
    // --require-online: a host that could not be probed fails the run.
    let run = lint(
        cfg,
        Some(&server),
        &["--assume-set", "gitlab-token", "--require-online"],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.one("probe-unverifiable")["severity"], "error");
}

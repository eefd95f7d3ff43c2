//! Edge cases of the host rules that the fixtures do not show: what must stay quiet, and how
//! severities change with the rest of the configuration.

use std::io::Write;
use std::process::{Command, Stdio};

/// (rule, severity) of every diagnostic for a config file given on standard input.
fn lint(config: &str, args: &[&str]) -> Vec<(String, String)> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_atlantis-lint"));
    for (k, _) in std::env::vars() {
        if k.starts_with("ATLANTIS_") {
            cmd.env_remove(k);
        }
    }
    // The configs here write secrets inline on purpose; plaintext-secret has its own fixtures.
    cmd.args(["--format", "json", "--ignore", "plaintext-secret"])
        .args(args)
        .args(["--stdin-filename", "atlantis.yaml", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    // The linter may exit (a usage error) before reading standard input: ignore a broken pipe.
    let _ = child.stdin.take().unwrap().write_all(config.as_bytes());
    let out = child.wait_with_output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

const GITHUB: &str = "\
atlantis-url: https://atlantis.example.com
gh-user: atlantis-bot
gh-token-file: /var/run/secrets/atlantis/gh-token
gh-webhook-secret: \"Zb6Xq2mN8vL4tR1yK9wP3sD7fH5jC0aE\"
";

const BITBUCKET: &str = "\
atlantis-url: https://atlantis.example.com
repo-allowlist: bitbucket.org/acme/*
bitbucket-user: atlantis-bot
bitbucket-webhook-secret: \"Qm9vdHN0cmFwLXdlYmhvb2stc2VjcmV0\"
";

#[test]
fn app_password_depends_on_the_date() {
    let cfg = format!("{BITBUCKET}bitbucket-token: \"ATBB3xR8tY2uI5oP7aS1dF4gH6jK9lZ0xC3vBnWq\"\n");
    assert_eq!(
        lint(&cfg, &["--today", "2025-10-01"]),
        pairs(&[("bitbucket-app-password", "warning")])
    );
    assert_eq!(
        lint(&cfg, &["--today", "2026-06-09"]),
        pairs(&[("bitbucket-app-password", "error")])
    );
}

#[test]
fn api_user_may_be_the_bitbucket_user_when_it_is_an_email() {
    let cfg = BITBUCKET.replace("atlantis-bot", "ops@example.com")
        + "bitbucket-token: \"ATATT3xFfGF0AtlantisLintFakeFixtureODjfcRNL2EDLbdDZ1c5jAU2rjTbrNLwMtshF6PwKluYIFdlKdMwj6uUvtaiJVfU7wicpHdEoziIbob-y6ShRfh2zucR-LGOTU2Ixw7gBOirOl3U6AhWNmZTvUAp_COuneHeKK_IQQ8Vh2bZnzv45=08131835\"\n";
    assert!(lint(&cfg, &[]).is_empty());
}

#[test]
fn bitbucket_server_urls_are_not_cloud_urls() {
    let cfg = BITBUCKET.replace("bitbucket.org/acme/*", "bitbucket.example.com/ACME/*")
        + "bitbucket-token: \"NjM4MTY1NzQ4OTk2OkV4YW1wbGVUb2tlbg==\"\nbitbucket-base-url: https://bitbucket.example.com/bitbucket\n";
    assert!(lint(&cfg, &[]).is_empty());
}

#[test]
fn cloud_base_url_without_a_bitbucket_user_only_warns() {
    let cfg = format!(
        "{GITHUB}repo-allowlist: github.com/acme/*\nbitbucket-base-url: https://bitbucket.org\n"
    );
    assert_eq!(
        lint(&cfg, &[]),
        pairs(&[
            ("ineffective-setting", "warning"),
            ("bitbucket-cloud-base-url", "warning")
        ])
    );
}

#[test]
fn hostname_format_cases() {
    let with = |host: &str| {
        lint(
            &format!("{GITHUB}repo-allowlist: '*'\ngh-hostname: {host}\n"),
            &[],
        )
    };
    assert!(with("github.example.com:8443").is_empty());
    assert!(with("acme.ghe.com").is_empty());
    assert_eq!(
        with("api.github.com"),
        pairs(&[("hostname-format", "error")])
    );
    assert_eq!(
        with("github.example.com/api/v3"),
        pairs(&[("hostname-format", "error")])
    );
    // Not configured: the broken value does no harm yet.
    let unused = lint(
        "atlantis-url: https://atlantis.example.com\nrepo-allowlist: '*'\ngitlab-user: a\ngitlab-token: \"glpat-Xk3vB9mQ2rT7wY5zL1nP\"\ngitlab-webhook-secret: \"c2VjcmV0LXdlYmhvb2stdmFsdWUtMTIzNDU2\"\nazuredevops-hostname: https://devops.example.com\n",
        &[],
    );
    assert_eq!(
        unused,
        pairs(&[
            ("ineffective-setting", "warning"),
            ("hostname-format", "warning")
        ])
    );
}

#[test]
fn insecure_url_spares_loopback() {
    let cfg = "atlantis-url: https://atlantis.example.com\nrepo-allowlist: '*'\ngitea-user: a\ngitea-token: \"3f9a1c7e5b2d8f4a6c0e9b1d3f5a7c9e2b4d6f8a\"\ngitea-webhook-secret: \"Yw7Lk2Qp9Rt4Xz6Mb1Nc8Vd3\"\ngitea-base-url: http://127.0.0.1:3000\n";
    assert!(lint(cfg, &[]).is_empty());
}

#[test]
fn repo_allowlist_wildcards_cover_hosts() {
    for allowlist in ["'*'", "github.com/*", "'*/infra'", "github.com/acme/infra"] {
        let cfg = format!("{GITHUB}repo-allowlist: {allowlist}\n");
        assert!(lint(&cfg, &[]).is_empty(), "{allowlist}");
    }
    // `RepoAllowlistChecker.matchesRule` honours only the first `*`: the rest of `*/acme/*` is
    // compared literally with the end of the name, so it matches nothing.
    let cfg = format!("{GITHUB}repo-allowlist: '*/acme/*'\n");
    assert_eq!(lint(&cfg, &[]), pairs(&[("repo-allowlist-entry", "error")]));
    // A negated entry alone covers nothing: no repository of the one configured host can match.
    let cfg = format!("{GITHUB}repo-allowlist: '!github.com/acme/sandbox,gitlab.com/*'\n");
    assert_eq!(lint(&cfg, &[]), pairs(&[("repo-allowlist-host", "error")]));
}

#[test]
fn repo_allowlist_paths_are_fine_where_depth_is_open() {
    let cfg = "atlantis-url: https://atlantis.example.com\nrepo-allowlist: gitlab.com/acme/platform/infra\ngitlab-user: a\ngitlab-token: \"glpat-Xk3vB9mQ2rT7wY5zL1nP\"\ngitlab-webhook-secret: \"c2VjcmV0LXdlYmhvb2stdmFsdWUtMTIzNDU2\"\n";
    assert!(lint(cfg, &[]).is_empty());
}

#[test]
fn team_allowlist_with_a_repo_config_only_warns() {
    let cfg = format!(
        "{GITHUB}repo-allowlist: github.com/acme/*\nrepo-config: /etc/atlantis/repos.yaml\ngh-team-allowlist: admins\n"
    );
    assert_eq!(
        lint(&cfg, &[]),
        pairs(&[("team-allowlist-format", "warning")])
    );
}

#[test]
fn log_level_info_in_upper_case_is_harmless() {
    let cfg = format!("{GITHUB}repo-allowlist: github.com/acme/*\nlog-level: INFO\n");
    assert!(lint(&cfg, &[]).is_empty());
}

#[test]
fn unused_credential_with_a_github_app() {
    let cfg = format!(
        "{GITHUB}repo-allowlist: github.com/acme/*\ngh-app-id: 1\ngh-app-key-file: /k.pem\nwrite-git-creds: true\n"
    )
    .replace("gh-user: atlantis-bot\n", "");
    assert_eq!(lint(&cfg, &[]), pairs(&[("unused-credential", "warning")]));
}

#[test]
fn write_git_creds_for_gitlab_without_a_scheme_is_fine() {
    let cfg = "atlantis-url: https://atlantis.example.com\nrepo-allowlist: gitlab.example.com/*\ngitlab-user: a\ngitlab-token: \"glpat-Xk3vB9mQ2rT7wY5zL1nP\"\ngitlab-webhook-secret: \"c2VjcmV0LXdlYmhvb2stdmFsdWUtMTIzNDU2\"\ngitlab-hostname: gitlab.example.com\nwrite-git-creds: true\n";
    assert!(lint(cfg, &[]).is_empty());
    let with_scheme = cfg.replace(
        "gitlab-hostname: gitlab.example.com",
        "gitlab-hostname: https://gitlab.example.com",
    );
    assert_eq!(
        lint(&with_scheme, &[]),
        pairs(&[("write-git-creds-host", "warning")])
    );
}

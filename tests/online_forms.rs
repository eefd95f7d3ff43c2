//! `--online` for the deployment forms that hold credentials: a Helm values file and a
//! terraform-aws-atlantis module call. A token written in the file is probed (against a fake
//! GitHub on 127.0.0.1, reached through `--connect-to`); a token set at runtime (a Secret named
//! by `vcsSecretName` / `environmentSecrets`, a Terraform variable) is reported as not
//! verifiable, and nothing is sent.

#![cfg(feature = "online")]

mod support;

use support::{Reply, Req, Run, Server, basic, ca_path, start, temp_dir};

const GH_USER: &str = "atlantis-bot";

/// A GitHub classic token with a valid checksum, built at run time (no token-shaped literal in
/// the repository).
fn gh_token() -> String {
    support::github_token("AtlantisLintFormsFakeToken0000")
}

fn gh_user_ok(r: &Req) -> Reply {
    if r.route() != "/user" {
        return Reply::not_found();
    }
    if r.header("authorization") != Some(&format!("Basic {}", basic(GH_USER, &gh_token()))) {
        return Reply::json(401, r#"{"message":"Bad credentials","status":"401"}"#);
    }
    Reply::json(
        200,
        r#"{"login":"atlantis-bot","id":1234567,"type":"User"}"#,
    )
    .header("x-oauth-scopes", "repo, read:org")
}

/// Lints one file of the given name, online, against `server`.
fn lint_file(name: &str, text: &str, server: &Server) -> Run {
    let dir = temp_dir("forms");
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_atlantis-lint"));
    for (k, _) in std::env::vars() {
        let upper = k.to_ascii_uppercase();
        if upper.starts_with("ATLANTIS_") || upper.ends_with("_PROXY") {
            cmd.env_remove(&k);
        }
    }
    cmd.env("NO_COLOR", "1")
        .arg(&path)
        .args(["--format", "json", "--online", "--ca-cert"])
        .arg(ca_path())
        .args(server.connect_to());
    let started = std::time::Instant::now();
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let run = Run {
        json: serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null),
        stdout,
        stderr,
        code: out.status.code().unwrap_or(-1),
        elapsed: started.elapsed(),
    };
    let _ = std::fs::remove_dir_all(&dir);
    run.assert_no_leak(&[&gh_token(), &basic(GH_USER, &gh_token())]);
    run
}

#[test]
fn a_helm_values_token_is_probed() {
    let server = start(gh_user_ok);
    let values = format!(
        "orgAllowlist: github.com/acme/*\natlantisUrl: https://atlantis.acme.example\ngithub:\n  user: {GH_USER}\n  token: {}\n  secret: not-a-real-secret-0123\n",
        gh_token()
    );
    let run = lint_file("values.yaml", &values, &server);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let d = run.one("credential-verified");
    assert_eq!(d["key"], "gh-token", "{}", run.stdout);
    // Positioned on the token in the values file.
    assert_eq!(d["source"]["line"], 5, "{}", run.stdout);
    assert!(
        run.message("credential-verified")
            .contains("user `atlantis-bot`")
    );
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].path, "/user");
}

#[test]
fn a_helm_token_from_a_secret_is_not_verifiable() {
    for values in [
        // The chart reads `github_token` from the Secret vcsSecretName names.
        "orgAllowlist: github.com/acme/*\natlantisUrl: https://atlantis.acme.example\nvcsSecretName: atlantis-vcs\ngithub:\n  user: atlantis-bot\n",
        // A token from environmentSecrets.
        "orgAllowlist: github.com/acme/*\natlantisUrl: https://atlantis.acme.example\nenvironment:\n  ATLANTIS_GH_USER: atlantis-bot\n  ATLANTIS_GH_WEBHOOK_SECRET: not-a-real-secret-0123\nenvironmentSecrets:\n  - name: ATLANTIS_GH_TOKEN\n    secretKeyRef:\n      name: atlantis-github\n      key: token\n",
    ] {
        let server = start(gh_user_ok);
        let run = lint_file("values.yaml", values, &server);
        assert!(server.requests().is_empty(), "something was sent");
        let msg = run.message("probe-unverifiable");
        assert!(msg.contains("gh-token is set at runtime"), "{msg}");
        assert!(run.rule("credential-verified").is_empty());
    }
}

#[test]
fn a_terraform_module_token_is_probed_and_a_variable_is_not() {
    let module = |token: &str| {
        format!(
            r#"module "atlantis" {{
  source  = "terraform-aws-modules/atlantis/aws"
  version = "~> 5.1"

  atlantis = {{
    fqdn = "atlantis.acme.example"
    environment = [
      {{ name = "ATLANTIS_GH_USER", value = "{GH_USER}" }},
      {{ name = "ATLANTIS_REPO_ALLOWLIST", value = "github.com/acme/*" }},
      {{ name = "ATLANTIS_GH_WEBHOOK_SECRET", value = "not-a-real-secret-0123" }},
      {{ name = "ATLANTIS_GH_TOKEN", value = {token} }},
    ]
  }}
}}
"#
        )
    };
    let server = start(gh_user_ok);
    let run = lint_file("main.tf", &module(&format!("\"{}\"", gh_token())), &server);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let d = run.one("credential-verified");
    assert_eq!(d["source"]["line"], 11, "{}", run.stdout);
    assert_eq!(server.requests().len(), 1);

    // `var.github_token` (and an SSM parameter's value) is set at runtime: not probed.
    for computed in ["var.github_token", "data.aws_ssm_parameter.gh.value"] {
        let server = start(gh_user_ok);
        let run = lint_file("main.tf", &module(computed), &server);
        assert!(server.requests().is_empty(), "something was sent");
        let msg = run.message("probe-unverifiable");
        assert!(msg.contains("gh-token is set at runtime"), "{msg}");
        assert!(run.rule("credential-verified").is_empty(), "{}", run.stdout);
    }
}

//! docker-compose files through the real binary: each service that runs Atlantis is its own
//! configuration, files without Atlantis, and the bad inputs of issue 10 (anchors shared
//! between services, `x-` blocks with merge keys, an unterminated `${`, an env entry without
//! `=`, 1,000 services): a clear finding or exit 2, never a panic.

mod common;

use common::forms::{assert_clean, run, text};

use std::time::{Duration, Instant};

/// Two Atlantis services sharing their credentials through an `x-` block and merge keys.
const SHARED: &str = "\
x-atlantis: &atlantis
  image: ghcr.io/runatlantis/atlantis:v0.30.0
  environment: &env
    ATLANTIS_GH_USER: atlantis-bot
    ATLANTIS_GH_TOKEN: ${GH_TOKEN}
    ATLANTIS_GH_WEBHOOK_SECRET: ${GH_WEBHOOK_SECRET}
    ATLANTIS_REPO_ALLOWLIST: github.com/acme/*
services:
  atlantis-prod:
    <<: *atlantis
  atlantis-staging:
    <<: *atlantis
    environment:
      <<: *env
      ATLANTIS_REPO_ALLOWLIST: github.com/acme/staging-*
      ATLANTIS_PORT: http
  redis:
    image: redis:7
";

#[test]
fn each_atlantis_service_is_its_own_configuration() {
    let dir = common::scratch("compose-shared");
    std::fs::write(dir.join("docker-compose.yml"), SHARED).unwrap();
    let out = run(&dir, &["--format", "json", "docker-compose.yml"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = json["diagnostics"].as_array().unwrap();
    // Only the staging service has the bad port, positioned in its own block.
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["rule"], "invalid-type");
    assert_eq!(diags[0]["part"], "atlantis-staging");
    assert_eq!(diags[0]["source"]["line"], 16);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn files_without_atlantis_say_what_they_are() {
    let dir = common::scratch("compose-none");
    std::fs::write(
        dir.join("compose.yaml"),
        "services:\n  web:\n    image: nginx\n  db:\n    image: postgres:16\n",
    )
    .unwrap();
    let out = run(&dir, &["compose.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "atlantis-lint: compose.yaml holds no Atlantis configuration: none of its 2 services runs Atlantis (image runatlantis/atlantis, or `atlantis server` / `server` as its command)\n"
    );
    // A directory search skips it, and lints the compose file that runs Atlantis.
    std::fs::create_dir_all(dir.join("ops")).unwrap();
    std::fs::write(
        dir.join("ops/atlantis-compose.yml"),
        SHARED.replace("      ATLANTIS_PORT: http\n", ""),
    )
    .unwrap();
    let out = run(&dir, &["--format", "concise", "."]);
    assert_clean(&out);
}

#[test]
fn bad_input_gets_a_finding_never_a_panic() {
    let dir = common::scratch("compose-bad");
    let cases: &[(&str, &str, &str)] = &[
        (
            "unterminated",
            "services:\n  atlantis:\n    image: ghcr.io/runatlantis/atlantis\n    environment:\n      ATLANTIS_ATLANTIS_URL: https://${HOST\n",
            "compose-interpolation",
        ),
        (
            "no-equals",
            "services:\n  atlantis:\n    image: ghcr.io/runatlantis/atlantis\n    environment:\n      - ATLANTIS_GH_TOKEN\n      - ATLANTIS_GH_USER=bot\n",
            "compose-env-entry",
        ),
        (
            "trailing-space",
            "services:\n  atlantis:\n    image: ghcr.io/runatlantis/atlantis\n    environment:\n      - 'ATLANTIS_GH_USER =bot'\n",
            "compose-env-entry",
        ),
        (
            "merge-loop",
            "x-a: &a\n  environment: {ATLANTIS_PORT: '1'}\nx-b: &b\n  <<: [*a, *a]\nx-c: &c\n  <<: [*b, *b, *b]\nservices:\n  atlantis:\n    <<: [*c, *c]\n    image: ghcr.io/runatlantis/atlantis\n    command: ['server', '--port', '${PORT', --gh-user]\n",
            "compose-interpolation",
        ),
        (
            "broken-yaml",
            "services:\n  atlantis:\n    image: ghcr.io/runatlantis/atlantis\n    environment: [ATLANTIS_GH_USER=bot\n",
            "yaml-syntax",
        ),
    ];
    for (name, body, rule) in cases {
        let file = format!("{name}.compose.yaml");
        std::fs::write(dir.join(&file), body).unwrap();
        let out = run(&dir, &["--format", "json", &file]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: {e}: {}", text(&out.stderr)));
        let rules: Vec<&str> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap())
            .collect();
        assert!(rules.contains(rule), "{name}: {rules:?}");
    }
}

#[test]
fn a_thousand_services() {
    let dir = common::scratch("compose-many");
    let mut body = String::from("services:\n");
    for i in 0..1000 {
        body.push_str(&format!(
            "  svc-{i}:\n    image: ghcr.io/runatlantis/atlantis:v0.30.0\n    environment:\n      - ATLANTIS_GH_USER=bot-{i}\n      - ATLANTIS_GH_TOKEN=${{GH_TOKEN}}\n      - ATLANTIS_GH_WEBHOOK_SECRET=${{SECRET}}\n      - ATLANTIS_REPO_ALLOWLIST=github.com/acme/*\n"
        ));
    }
    std::fs::write(dir.join("compose.yaml"), &body).unwrap();
    let started = Instant::now();
    let out = run(&dir, &["--format", "concise", "compose.yaml"]);
    assert_clean(&out);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

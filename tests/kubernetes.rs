//! Kubernetes manifests through the real binary: detection, standard input (`helm template |
//! atlantis-lint --kind kubernetes -`), several Atlantis containers, files that hold no Atlantis
//! configuration, and the bad inputs of issue 10 (a template placeholder, an anchor shared
//! between containers, a 10,000-document stream): a clear finding or exit 2, never a panic.

mod common;

use common::forms::{assert_clean, run, run_stdin, text};

use std::time::{Duration, Instant};

/// A Deployment whose Atlantis container is complete (no finding expected).
const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: atlantis
spec:
  template:
    spec:
      containers:
        - name: atlantis
          image: ghcr.io/runatlantis/atlantis:v0.47.1
          env:
            - name: ATLANTIS_REPO_ALLOWLIST
              value: github.com/acme/*
            - name: ATLANTIS_GH_USER
              value: atlantis-bot
            - name: ATLANTIS_GH_TOKEN
              valueFrom: {secretKeyRef: {name: atlantis-vcs, key: token}}
            - name: ATLANTIS_GH_WEBHOOK_SECRET
              valueFrom: {secretKeyRef: {name: atlantis-vcs, key: webhook-secret}}
";

#[test]
fn helm_template_output_from_standard_input() {
    let dir = common::scratch("k8s-stdin");
    for kind in [&["--kind", "kubernetes"][..], &[]] {
        let bad = DEPLOYMENT.replace("atlantis-bot", "<YOUR_GITHUB_USER>");
        let args: Vec<&str> = kind
            .iter()
            .copied()
            .chain(["--format", "concise", "-"])
            .collect();
        let stdin = format!("---\n# Source: atlantis/templates/deployment.yaml\n{bad}");
        let out = run_stdin(&dir, &args, stdin.as_bytes());
        assert_eq!(
            text(&out.stdout),
            "<stdin>:17:22: error[placeholder-value] gh-user is the placeholder `<YOUR_GITHUB_USER>`, not an account name\n",
            "{}",
            text(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(1));
    }
}

#[test]
fn each_atlantis_container_is_its_own_configuration() {
    let dir = common::scratch("k8s-two");
    // Two workloads; the first runs two Atlantis containers sharing one env list (an anchor).
    let text_in = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: blue}
spec:
  template:
    spec:
      containers:
        - name: atlantis
          image: ghcr.io/runatlantis/atlantis:v0.47.1
          env: &env
            - name: ATLANTIS_GH_USER
              value: atlantis-bot
            - name: ATLANTIS_GH_TOKEN_FILE
              value: /run/token
        - name: canary
          image: ghcr.io/runatlantis/atlantis:v0.48.0-pre
          env: *env
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: green}
spec:
  template:
    spec:
      containers:
        - name: atlantis
          args: [server, --gh-user=atlantis-bot, --gh-token-file=/run/token]
          image: acme/atlantis-with-tools
";
    std::fs::write(dir.join("two.yaml"), text_in).unwrap();
    let out = run(
        &dir,
        &[
            "--format",
            "json",
            "--ignore",
            "missing-webhook-secret",
            // The images have no release tag: that note is not what this test is about.
            "--ignore",
            "atlantis-version",
            "two.yaml",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let parts: Vec<(&str, &str, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap(),
                d["part"].as_str().unwrap(),
                d["source"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        parts,
        [
            ("repo-allowlist-missing", "Deployment/blue/atlantis", 8),
            ("repo-allowlist-missing", "Deployment/blue/canary", 15),
            ("repo-allowlist-missing", "Deployment/green/atlantis", 26),
        ]
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn files_without_atlantis_say_what_they_are() {
    let dir = common::scratch("k8s-none");
    std::fs::write(
        dir.join("redis.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: redis}\nspec:\n  template:\n    spec:\n      containers:\n        - {name: redis, image: redis:7}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("chart.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-atlantis\nstringData:\n  token: {{ .Values.github.token | quote }}\n",
    )
    .unwrap();
    let out = run(&dir, &["redis.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "atlantis-lint: redis.yaml holds no Atlantis configuration: none of its 1 workload has a container that runs Atlantis (image runatlantis/atlantis, or `atlantis server` / `server` as its command)\n"
    );
    let out = run(&dir, &["chart.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "atlantis-lint: chart.yaml holds no Atlantis configuration: it is a template, not a manifest (`{{ ... }}` at line 4); lint what it renders: `helm template ... | atlantis-lint --kind kubernetes -`\n"
    );
    // A directory search skips both, and lints the manifest that runs Atlantis.
    std::fs::write(dir.join("atlantis.yaml"), DEPLOYMENT).unwrap();
    let out = run(&dir, &["--format", "concise", "."]);
    assert_clean(&out);
}

#[test]
fn a_manifest_that_does_not_parse_is_one_syntax_error() {
    let dir = common::scratch("k8s-broken");
    std::fs::write(
        dir.join("broken.yaml"),
        format!("{DEPLOYMENT}---\napiVersion: v1\nkind: Secret\nstringData:\n  token: \"open\n"),
    )
    .unwrap();
    let out = run(&dir, &["--format", "concise", "broken.yaml"]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(
            "broken.yaml:24:10: error[yaml-syntax] broken.yaml does not parse as YAML"
        ),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn ten_thousand_documents() {
    let dir = common::scratch("k8s-many");
    let mut stream = String::from(DEPLOYMENT);
    for i in 0..10_000 {
        stream.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  key: value-{i}\n"
        ));
    }
    std::fs::write(dir.join("stream.yaml"), &stream).unwrap();
    let started = Instant::now();
    let out = run(&dir, &["--format", "concise", "stream.yaml"]);
    assert_clean(&out);
    // Linear: a debug build on a loaded machine still takes seconds, not minutes.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

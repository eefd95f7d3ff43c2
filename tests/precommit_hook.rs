//! The pre-commit hook definition: its fields, and which file names its `files` pattern takes
//! (pre-commit matches it with Python's `re.search` against the path from the repository root).

use atlantis_lint::input::yaml;
use atlantis_lint::schema::yaml_to_json;
use regex::Regex;

#[test]
fn hook_definition() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .unwrap();
    let hooks = yaml_to_json(&yaml::parse(&text).unwrap());
    let hooks = hooks.as_array().expect("a list of hooks");
    assert_eq!(hooks.len(), 1);
    let hook = &hooks[0];
    assert_eq!(hook["id"], "atlantis-lint");
    // Built from source with the lock file: pre-commit's `language: rust` cannot pass --locked.
    assert_eq!(hook["language"], "script");
    assert_eq!(hook["require_serial"], true);
    assert_eq!(hook["pass_filenames"], true);
    let entry = hook["entry"].as_str().unwrap();
    assert!(entry.starts_with("tools/pre-commit-cargo.sh "));
    let script = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tools/pre-commit-cargo.sh"
    ))
    .unwrap();
    assert!(script.contains("cargo install --locked"));
    assert!(entry.contains("--only-server-configs"));
    assert!(!entry.contains("--online"), "the hook runs offline");

    // The prebuilt hook (published as its own repository) behaves the same, from the wheel.
    let prebuilt = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/packaging/pre-commit/.pre-commit-hooks.yaml"
    ))
    .unwrap();
    let prebuilt = yaml_to_json(&yaml::parse(&prebuilt).unwrap());
    let py = &prebuilt[0];
    assert_eq!(py["id"], hook["id"]);
    assert_eq!(py["language"], "python");
    assert_eq!(py["files"], hook["files"]);
    assert_eq!(py["entry"], "atlantis-lint --only-server-configs");

    let files = Regex::new(hook["files"].as_str().unwrap()).unwrap();
    for path in [
        "atlantis.yaml",
        "atlantis.yml",
        "atlantis-server.yaml",
        "atlantis_prod.yml",
        "deploy/atlantis.yaml",
        "deploy/atlantis-staging.yml",
        "atlantis/server.yaml",
        "infra/k8s/atlantis/config.yaml",
        "infra/atlantis/values.yml",
        "repos.yaml",
        "deploy/repos.yml",
        "config/repo-config.yaml",
        "repo_config_prod.yaml",
        "k8s/deployment.yaml",
        "infra/kubernetes/atlantis.yml",
        "manifests/statefulset.yaml",
        "docker-compose.yml",
        "docker-compose.prod.yaml",
        "deploy/compose.yaml",
        "deploy/values.yaml",
        "helm/atlantis-values.yml",
        "main.tf",
        "infra/atlantis/atlantis.tf",
        "ecs/atlantis-task-definition.json",
        "ops/atlantis.compose.yml",
        "deploy/prod-compose.yaml",
    ] {
        assert!(files.is_match(path), "{path} should be linted");
    }
    for path in [
        "server.yaml",
        "myatlantis.yaml",
        "atlantis.yaml.bak",
        "atlantis.json",
        "atlantis/sub/config.yaml",
        "deploy/not-atlantis/server.yaml",
        "docs/atlantis.md",
        "k8s/base/deployment.yaml",
        "charts/atlantis/templates/statefulset.yaml",
        "main.tf.json",
        "terraform.tfvars",
        "package.json",
    ] {
        assert!(!files.is_match(path), "{path} should not be linted");
    }
}

/// The version in Cargo.toml is the one the wheel gets (maturin reads it) and the one the
/// prebuilt hook's package pins.
#[test]
fn packaging_versions_agree() {
    let version = env!("CARGO_PKG_VERSION");
    let stub = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/packaging/pre-commit/pyproject.toml"
    ))
    .unwrap();
    assert!(stub.contains(&format!("version = \"{version}\"")), "{stub}");
    assert!(
        stub.contains(&format!("\"atlantis-lint=={version}\"")),
        "{stub}"
    );
    let wheel =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/pyproject.toml")).unwrap();
    assert!(wheel.contains("bindings = \"bin\""));
    assert!(wheel.contains("dynamic = [\"version\"]"));
}

/// The hook over a repository holding every kind of file it may meet: it runs its `entry` on
/// the files its `files` pattern selects (as pre-commit does; `tests/precommit.sh` runs the real
/// framework), lints the manifest and the server config each in its own form, and skips the
/// chart values file, the compose file without Atlantis and the repo-level atlantis.yaml.
#[test]
fn mixed_repository_reports_only_what_is_wrong() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .unwrap();
    let hooks = yaml_to_json(&yaml::parse(&text).unwrap());
    let hook = &hooks[0];
    let files = Regex::new(hook["files"].as_str().unwrap()).unwrap();
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();

    let repo = std::env::temp_dir().join(format!("atlantis-lint-hook-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&repo);
    let put = |rel: &str, body: &str| {
        let p = repo.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    };
    // The chart's values (`config` is a flag name, yet this is no server config).
    put(
        "deploy/atlantis/values.yaml",
        "orgAllowlist: github.com/acme/*\natlantisUrl: https://atlantis.acme.example\nconfig: \"\"\nvcsSecretName: atlantis-vcs\ngithub:\n  user: atlantis-bot\n",
    );
    // Terraform: a v3 module call (the module adds a removed variable), and a file without Atlantis.
    put(
        "infra/atlantis.tf",
        "module \"atlantis\" {\n  source = \"terraform-aws-modules/atlantis/aws\"\n  atlantis_github_user = \"atlantis-bot\"\n  atlantis_github_user_token = var.github_token\n  atlantis_github_webhook_secret = var.webhook_secret\n  atlantis_repo_allowlist = [\"github.com/acme/*\"]\n}\n",
    );
    put(
        "infra/network.tf",
        "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n",
    );
    put(
        "docker-compose.yml",
        "services:\n  redis:\n    image: redis:7\n  db:\n    image: postgres:16\n",
    );
    put(
        "atlantis.yaml",
        "version: 3\nautomerge: true\nprojects:\n- dir: infra\n",
    );
    put(
        "k8s/atlantis.yaml",
        "\
apiVersion: v1
kind: Secret
metadata:
  name: atlantis-vcs
stringData:
  token: github_pat_11AAAAAAA0kq7vB2mX9rT4_wY8zL3nP6sD1fH5jC0aE4dG7hJ1kM3nQ6rS9tV2wX5yZ8bC0aE4dG7hJ1k
---
apiVersion: apps/v1
kind: StatefulSet
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
",
    );
    put(
        "config/atlantis-server.yaml",
        "repo-allowlist: github.com/acme/*\ngh-user: atlantis-bot\ngh-token-file: /secrets/gh-token\ngh_webhook_secret: whatever\n",
    );
    // A compose file that runs Atlantis, next to its env file (not selected: `.env`).
    put(
        "ops/prod-compose.yml",
        "services:\n  atlantis:\n    image: ghcr.io/runatlantis/atlantis:v0.30.0\n    env_file: atlantis.env\n    environment:\n      - ATLANTIS_REPO_ALLOWLIST=\"github.com/acme/*\"\n",
    );
    put(
        "ops/atlantis.env",
        "ATLANTIS_GH_USER=atlantis-bot\nATLANTIS_GH_TOKEN=${GH_TOKEN}\nATLANTIS_GH_WEBHOOK_SECRET=${GH_WEBHOOK_SECRET}\n",
    );
    // Not selected by the pattern: a chart template.
    put(
        "charts/atlantis/templates/statefulset.yaml",
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {{ .Release.Name }}\n",
    );

    let mut selected = Vec::new();
    let mut stack = vec![repo.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(&repo).unwrap().to_string_lossy().to_string();
                if files.is_match(&rel) {
                    selected.push(rel);
                }
            }
        }
    }
    selected.sort();
    assert_eq!(
        selected,
        [
            "atlantis.yaml",
            "config/atlantis-server.yaml",
            "deploy/atlantis/values.yaml",
            "docker-compose.yml",
            "infra/atlantis.tf",
            "infra/network.tf",
            "k8s/atlantis.yaml",
            "ops/prod-compose.yml",
        ]
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atlantis-lint"))
        .current_dir(&repo)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .args(&entry[1..])
        .args(["--format", "concise"])
        .args(&selected)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout,
        "\
config/atlantis-server.yaml:2:1: warning[missing-webhook-secret] gh-user is set but gh-webhook-secret is not: GitHub webhooks are not authenticated
config/atlantis-server.yaml:4:1: error[unknown-key] `gh_webhook_secret` is not an Atlantis flag; Atlantis ignores it
deploy/atlantis/values.yaml:1:1: info[atlantis-version] no `image.tag`, and no chart version names the appVersion the chart runs: checking against Atlantis v0.47.1, the latest known
deploy/atlantis/values.yaml:4:1: info[helm-vcs-secret-keys] the Secret `atlantis-vcs` must hold the keys `github_token`, `github_secret`: the chart's templates read these (not `token` / `secret`, as the chart's schema text says); a missing key stops the pod (`CreateContainerConfigError`)
infra/atlantis.tf:2:12: warning[terraform-module-injected] terraform-aws-atlantis v3 sets `ATLANTIS_ALLOW_REPO_CONFIG` on its own (from `allow_repo_config`, default \"false\"): Atlantis removed that flag after v0.26.0 and ignores it
infra/atlantis.tf:2:12: info[atlantis-version] terraform-aws-atlantis runs its default image when neither `atlantis_image` nor `atlantis_version` is set (`ghcr.io/runatlantis/atlantis:latest`), which does not name a release: checking against Atlantis v0.47.1, the latest known
k8s/atlantis.yaml:26:67: error[k8s-missing-key] Secret `atlantis-vcs` in this input has no key `webhook-secret`: the pod fails with CreateContainerConfigError (couldn't find key webhook-secret)
ops/prod-compose.yml:6:33: error[quoted-value] repo-allowlist is wrapped in literal quotes that become part of the value: the variable holds them
",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&repo);
}

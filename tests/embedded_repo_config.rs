//! The server-side repo config held in a deployment form (the Helm chart's `repoConfig`, a
//! ConfigMap key mounted where `--repo-config` points, a Terraform `helm_release`), through the
//! real binary: findings positioned in the user's file, layered values files, the flag that
//! makes Atlantis read another file, a repo-level `atlantis.yaml` held against it, bad input
//! (Go template syntax, YAML that does not parse, a folded string), and the directory search
//! that lints `repos.yaml` and `atlantis.yaml` files it finds.

use std::path::{Path, PathBuf};
use std::process::Output;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "atlantis-lint-embedded-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn put(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn run(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_atlantis-lint"));
    cmd.current_dir(dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("ATLANTIS_") || k == "GITHUB_ACTIONS" {
            cmd.env_remove(k);
        }
    }
    let out = cmd
        .env("NO_COLOR", "1")
        .args(["--color", "never", "--today", "2026-11-29"])
        .args(args)
        .output()
        .unwrap();
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!all.contains("panicked"), "{all}");
    assert_ne!(out.status.code(), Some(101), "{all}");
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The lines of a concise report that name a rule, without the chart's Secret-key note and the
/// note that no image tag names the release.
fn findings(out: &Output) -> Vec<String> {
    text(&out.stdout)
        .lines()
        .filter(|l| l.contains(": error[") || l.contains(": warning[") || l.contains(": info["))
        .filter(|l| !l.contains("helm-vcs-secret-keys") && !l.contains("info[atlantis-version]"))
        .map(str::to_string)
        .collect()
}

const VALUES: &str = "orgAllowlist: github.com/acme/*\natlantisUrl: https://atlantis.acme.example\nvcsSecretName: atlantis-vcs\ngithub:\n  user: atlantis-bot\n";

/// `helm -f values.yaml -f prod.yaml`: the later file's `repoConfig` replaces the first one's
/// (a string is not merged), and its findings point into the later file.
#[test]
fn layered_values_lint_the_repo_config_that_wins() {
    let d = tmp("layers");
    put(
        &d,
        "values.yaml",
        &format!(
            "{VALUES}repoConfig: |\n  repos:\n  - id: /.*/\n    apply_requirements: [approve]\n"
        ),
    );
    put(
        &d,
        "prod.yaml",
        "repoConfig: |\n  repos:\n  - id: /.*/\n    import_requirements: [mergable]\n",
    );
    let out = run(
        &d,
        &["-f", "concise", "values.yaml", "--values", "prod.yaml"],
    );
    let got = findings(&out);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with("prod.yaml:4:27: error[repo-config-requirements]"),
        "{got:#?}"
    );
    // Alone, the first file's own repoConfig is the one.
    let out = run(&d, &["-f", "concise", "values.yaml"]);
    let got = findings(&out);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with("values.yaml:9:26: error[repo-config-requirements]"),
        "{got:#?}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// `extraArgs: [--repo-config=...]` beats the chart's `ATLANTIS_REPO_CONFIG`: Atlantis reads
/// that other file, so the mounted `repoConfig` is not judged.
#[test]
fn a_flag_that_names_another_file_wins() {
    let d = tmp("flag");
    put(
        &d,
        "values.yaml",
        &format!(
            "{VALUES}extraArgs:\n  - --repo-config=/config/repos.yaml\nrepoConfig: |\n  repos:\n  - id: /.*/\n    apply_requirements: [approve]\n"
        ),
    );
    let out = run(&d, &["-f", "concise", "values.yaml"]);
    assert!(
        !text(&out.stdout).contains("repo-config-requirements"),
        "{}",
        text(&out.stdout)
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// A repository's atlantis.yaml is held against the repoConfig of the values file of the same
/// run, as against a repos.yaml file.
#[test]
fn atlantis_yaml_is_held_against_the_values_repo_config() {
    let d = tmp("trio");
    put(
        &d,
        "values.yaml",
        &format!(
            "{VALUES}repoConfig: |\n  repos:\n  - id: /.*/\n    allowed_overrides: [workflow]\n    allowed_workflows: [default, terragrunt]\n  workflows:\n    terragrunt:\n      plan:\n        steps: [init, plan]\n"
        ),
    );
    put(
        &d,
        "atlantis.yaml",
        "version: 3\nprojects:\n- dir: infra\n  workflow: custom\n  apply_requirements: [approved]\n",
    );
    let out = run(
        &d,
        &[
            "-f",
            "concise",
            "values.yaml",
            "atlantis.yaml",
            "--repo-id",
            "github.com/acme/infra",
        ],
    );
    let got = findings(&out);
    assert_eq!(
        got,
        [
            "atlantis.yaml:4:13: error[repo-yaml-not-allowed] workflow \"custom\" is not defined anywhere",
            "atlantis.yaml:5:3: error[repo-yaml-not-allowed] repo config not allowed to set 'apply_requirements' key: server-side config needs 'allowed_overrides: [apply_requirements]'",
        ],
        "{}",
        text(&out.stdout)
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// Bad input: Go template syntax in repoConfig refuses the values file with one clear message
/// (exit 2); a repoConfig that does not parse, or that a folded string (`>`) makes one line, is
/// a `repo-config-syntax` finding positioned in the values file.
#[test]
fn bad_repo_configs_get_clear_findings() {
    let d = tmp("bad");
    put(
        &d,
        "template.yaml",
        &format!("{VALUES}repoConfig: |\n  repos:\n  - id: {{{{ .Values.repoId }}}}\n"),
    );
    let out = run(&d, &["-f", "concise", "template.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("Go template syntax (`{{ ... }}` at line 8)"),
        "{}",
        text(&out.stderr)
    );

    put(
        &d,
        "broken.yaml",
        &format!(
            "{VALUES}repoConfig: |\n  repos:\n  - id: /.*/\n    apply_requirements: [approved\n"
        ),
    );
    let out = run(&d, &["-f", "concise", "broken.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let got = findings(&out);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with("broken.yaml:") && got[0].contains("error[repo-config-syntax]"),
        "{got:#?}"
    );

    put(
        &d,
        "folded.yaml",
        &format!("{VALUES}repoConfig: >\n  repos:\n  - id: /.*/\n"),
    );
    let out = run(&d, &["-f", "concise", "folded.yaml"]);
    let got = findings(&out);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with("folded.yaml:7:3: error[repo-config-syntax]"),
        "{got:#?}"
    );

    // A quoted string is linted as decoded; its findings point at the whole value.
    put(
        &d,
        "quoted.yaml",
        &format!(
            "{VALUES}repoConfig: \"repos:\\n- id: /.*/\\n  apply_requirements: [approve]\\n\"\n"
        ),
    );
    let out = run(&d, &["-f", "concise", "quoted.yaml"]);
    let got = findings(&out);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with("quoted.yaml:6:13: error[repo-config-requirements]"),
        "{got:#?}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// A manifest whose args name the repo config, mounted as a whole ConfigMap directory with
/// `items` renaming the key: the key that lands at that path is the one linted, positioned in
/// the ConfigMap; a `repos.yaml` key mounted nowhere Atlantis reads is not.
#[test]
fn a_manifest_mounts_the_repo_config_through_items() {
    let d = tmp("k8s");
    put(
        &d,
        "atlantis.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: atlantis-files\ndata:\n  server-side.yaml: |\n    repos:\n    - id: /.*/\n      apply_requirements: [approve]\n  repos.yaml: |\n    repos:\n    - id: /.*/\n      plan_requirements: [bogus]\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: atlantis\nspec:\n  template:\n    spec:\n      containers:\n        - name: atlantis\n          image: ghcr.io/runatlantis/atlantis:v0.47.1\n          args: [server, --repo-config=/etc/atlantis/repos.yaml, --gh-user=atlantis-bot, --repo-allowlist=github.com/acme/*]\n          volumeMounts:\n            - {name: files, mountPath: /etc/atlantis}\n      volumes:\n        - name: files\n          configMap:\n            name: atlantis-files\n            items:\n              - {key: server-side.yaml, path: repos.yaml}\n",
    );
    let out = run(&d, &["-f", "concise", "atlantis.yaml"]);
    let got: Vec<String> = findings(&out)
        .into_iter()
        .filter(|l| l.contains("[repo-config-"))
        .collect();
    assert_eq!(got.len(), 1, "{}", text(&out.stdout));
    assert!(
        got[0].starts_with("atlantis.yaml:9:28: error[repo-config-requirements]"),
        "{got:#?}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// A directory search lints the repos.yaml and atlantis.yaml files it finds (by content, in
/// detection order), and skips a Helm Chart.yaml and a compose file that have a `version:` too.
#[test]
fn directory_search_lints_repo_configs_and_repo_files() {
    let d = tmp("walk");
    put(
        &d,
        "server/repos.yaml",
        "repos:\n- id: /.*/\n  apply_requirements: [approve]\n",
    );
    put(
        &d,
        "infra/atlantis.yaml",
        "version: 3\nprojects:\n- dir: .\n  autoplan:\n    when_modified: \"*.tf\"\n",
    );
    // Oddly named, but only an atlantis.yaml's keys: linted too.
    put(
        &d,
        "infra/projects.yml",
        "version: 3\nprojects:\n- dir: x\n  name: [a]\n",
    );
    put(
        &d,
        "chart/Chart.yaml",
        "apiVersion: v2\nname: atlantis-wrapper\nversion: 0.1.0\ndependencies:\n- name: atlantis\n  version: 5.0.0\n",
    );
    put(
        &d,
        "docker-compose.yml",
        "version: \"3.8\"\nservices:\n  redis:\n    image: redis:7\n",
    );
    put(&d, "buf.yaml", "version: v1\nbreaking:\n  use: [FILE]\n");
    let out = run(&d, &["-f", "concise", "."]);
    let got = findings(&out);
    assert_eq!(
        got,
        [
            "./infra/atlantis.yaml:5:20: error[repo-yaml-invalid-type] yaml: construct errors: line 5: cannot construct !!str `*.tf` into []string",
            "./infra/projects.yml:4:9: error[repo-yaml-invalid-type] yaml: construct errors: line 4: cannot construct !!seq into string",
            "./server/repos.yaml:3:24: error[repo-config-requirements] repos: (0: (apply_requirements: \"approve\" is not a valid apply_requirement, only \"approved\", \"mergeable\" and \"undiverged\" are supported.).).",
        ],
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    // The pre-commit hook's mode skips the same files.
    let out = run(
        &d,
        &[
            "-f",
            "concise",
            "--only-server-configs",
            "chart/Chart.yaml",
            "docker-compose.yml",
            "server/repos.yaml",
        ],
    );
    let got = findings(&out);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(got[0].starts_with("server/repos.yaml:3:24:"), "{got:#?}");
    let _ = std::fs::remove_dir_all(&d);
}

/// A repoConfig of 10,000 entries, each hook with a `TF_TOKEN=...` to mask, is linted in
/// seconds (no check is quadratic in the entries), with its one mistake found.
#[test]
fn a_large_repo_config_is_linted_quickly() {
    let d = tmp("large");
    let mut v = format!("{VALUES}repoConfig: |\n  repos:\n");
    for i in 0..10_000 {
        v.push_str(&format!(
            "  - id: github.com/acme/repo{i}\n    apply_requirements: [approved]\n    pre_workflow_hooks:\n    - run: TF_TOKEN=abcdefgh{i} ./x\n"
        ));
    }
    v.push_str("  - id: github.com/acme/last\n    apply_requirements: [approve]\n");
    put(&d, "values.yaml", &v);
    let start = std::time::Instant::now();
    let out = run(&d, &["-f", "concise", "values.yaml"]);
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
    let got = findings(&out);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(got[0].contains("repo-config-requirements"), "{got:#?}");
    let _ = std::fs::remove_dir_all(&d);
}

/// A suppression comment inside the `|` block is a comment of the repos.yaml it holds: it
/// silences the finding on the next line there, and only that one.
#[test]
fn suppression_comments_inside_the_block() {
    let d = tmp("suppress");
    let block = "repoConfig: |\n  repos:\n  # atlantis-lint: ignore[repo-config-id-glob] kept until the migration\n  - id: github.com/acme/*\n  - id: github.com/acme/web*\n";
    put(&d, "values.yaml", &format!("{VALUES}{block}"));
    let out = run(&d, &["-f", "concise", "values.yaml"]);
    let got = findings(&out);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with("values.yaml:10:9: error[repo-config-id-glob]"),
        "{got:#?}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// `repoConfig` written as a mapping: the chart refuses it (helm-value-type), the mapping is
/// still linted as the repos.yaml it means, in place, and a repos.yaml lying beside the values
/// file is not taken for the one the chart mounts.
#[test]
fn a_mapping_repo_config_is_refused_and_still_linted() {
    let d = tmp("mapping");
    put(
        &d,
        "values.yaml",
        &format!(
            "{VALUES}repoConfig:\n  repos:\n  - id: /.*/\n    apply_requirements: [aproved]\n"
        ),
    );
    put(&d, "repos.yaml", "repos:\n- id: /\n");
    let out = run(&d, &["-f", "concise", "values.yaml"]);
    let got = findings(&out);
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(
        got[0].starts_with("values.yaml:6:1: error[helm-value-type]"),
        "{got:#?}"
    );
    assert!(
        got[1].starts_with("values.yaml:9:26: error[repo-config-requirements]"),
        "{got:#?}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// compose bind mounts: a relative host file is the repository's and is linted where it is; an
/// absolute one is the deploy host's, read only with --check-files; neither lets a repos.yaml
/// lying beside the compose file stand in for it.
#[test]
fn compose_bind_mounts_name_the_repo_config() {
    let d = tmp("compose-binds");
    let service = |host: &str| {
        format!(
            "services:\n  atlantis:\n    image: ghcr.io/runatlantis/atlantis:v0.35.0\n    environment:\n      ATLANTIS_REPO_ALLOWLIST: github.com/acme/*\n      ATLANTIS_GH_USER: atlantis-bot\n      ATLANTIS_GH_TOKEN_FILE: /run/secrets/gh-token\n      ATLANTIS_GH_WEBHOOK_SECRET: ${{GH_WEBHOOK_SECRET}}\n      ATLANTIS_REPO_CONFIG: /etc/atlantis/repos.yaml\n    volumes:\n      - {host}:/etc/atlantis/repos.yaml:ro\n"
        )
    };
    put(
        &d,
        "config/repos.yaml",
        "repos:\n- id: /.*/\n  apply_requirements: [aproved]\n",
    );
    put(&d, "repos.yaml", "repos:\n- id: /\n");
    put(&d, "compose.yaml", &service("./config/repos.yaml"));
    let out = run(&d, &["-f", "concise", "compose.yaml"]);
    let got = findings(&out);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with("config/repos.yaml:3:24: error[repo-config-requirements]"),
        "{got:#?}"
    );
    // A folder mounted above it: the file below the folder.
    put(
        &d,
        "compose.yaml",
        &service("./config").replace(":/etc/atlantis/repos.yaml:ro", ":/etc/atlantis/"),
    );
    let got = findings(&run(&d, &["-f", "concise", "compose.yaml"]));
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(got[0].starts_with("config/repos.yaml:3:24:"), "{got:#?}");
    // A named volume: what it holds is not in the input, and repos.yaml beside is not it.
    put(
        &d,
        "compose.yaml",
        &service("atlantis-config").replace(":/etc/atlantis/repos.yaml:ro", ":/etc/atlantis"),
    );
    assert_eq!(
        findings(&run(&d, &["-f", "concise", "compose.yaml"])),
        Vec::<String>::new()
    );
    let abs = d.join("config/repos.yaml");
    put(&d, "compose.yaml", &service(&abs.display().to_string()));
    let out = run(&d, &["-f", "concise", "compose.yaml"]);
    assert_eq!(findings(&out), Vec::<String>::new());
    let out = run(&d, &["-f", "concise", "--check-files", "compose.yaml"]);
    let got = findings(&out);
    assert!(
        got.iter()
            .any(|l| l.contains("error[repo-config-requirements]")),
        "{got:#?}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

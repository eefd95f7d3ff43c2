//! The linter's settings file, `.atlantis-lint.yaml`: found by walking up from each linted file,
//! named with `--settings`, ignored with `--no-settings`; the command line wins over it and it
//! wins over the defaults; per-path overrides, excluded paths, and exit status 2 with the line
//! and a "did you mean" for a bad key or value.

mod common;

use common::{command, run_with, scratch, write};
use std::path::Path;
use std::time::Duration;

/// A config with a plain-text token (`plaintext-secret`, a warning by default) and no webhook
/// secret (`missing-webhook-secret`, a warning).
const CONFIG: &str =
    "repo-allowlist: github.com/acme/*\ngh-user: atlantis-bot\ngh-token: s3cr3t-t0ken-value-1234\n";

fn repo(name: &str, settings: &str) -> std::path::PathBuf {
    let dir = scratch(name);
    for sub in ["prod", "staging", "vendor/x", "team/nested"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        write(&dir.join(sub), "atlantis.yaml", CONFIG);
    }
    write(&dir, ".atlantis-lint.yaml", settings);
    dir
}

fn lint(dir: &Path, args: &[&str]) -> common::Run {
    let mut cmd = command();
    cmd.current_dir(dir).args(["--format", "json"]).args(args);
    run_with(cmd, None, Duration::from_secs(20))
}

/// (rule, severity) of the two rules the tests set, about `file`.
fn levels(run: &common::Run, file: &str) -> Vec<(String, String)> {
    run.diags()
        .iter()
        .filter(|d| {
            d["source"]["path"]
                .as_str()
                .is_some_and(|p| p.ends_with(file))
        })
        .filter(|d| d["rule"] == "plaintext-secret" || d["rule"] == "missing-webhook-secret")
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const SETTINGS: &str = "\
rules:
  plaintext-secret: deny
  missing-webhook-secret: ignore
exclude:
  - vendor/**
overrides:
  - files: [staging/**]
    rules:
      plaintext-secret: warn
";

#[test]
fn discovery_precedence_overrides_and_exclusion() {
    let dir = repo("settings-main", SETTINGS);
    let r = lint(
        &dir,
        &[
            "prod/atlantis.yaml",
            "staging/atlantis.yaml",
            "vendor/x/atlantis.yaml",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    // Settings over defaults: deny, and ignore.
    assert_eq!(
        levels(&r, "prod/atlantis.yaml"),
        [("plaintext-secret".into(), "error".into())]
    );
    // The override for staging/**.
    assert_eq!(
        levels(&r, "staging/atlantis.yaml"),
        [("plaintext-secret".into(), "warning".into())]
    );
    // Excluded: not linted at all.
    assert!(levels(&r, "vendor/x/atlantis.yaml").is_empty());
    assert_eq!(r.json()["summary"]["errors"], 1);

    // The command line over the settings file.
    let r = lint(&dir, &["--warn", "plaintext-secret", "prod/atlantis.yaml"]);
    assert_eq!(
        levels(&r, "prod/atlantis.yaml"),
        [("plaintext-secret".into(), "warning".into())]
    );
    assert_eq!(r.code, 0);

    // Found by walking up from the file, whatever the working directory.
    let r = lint(&dir.join("team/nested"), &["atlantis.yaml"]);
    assert_eq!(
        levels(&r, "atlantis.yaml"),
        [("plaintext-secret".into(), "error".into())]
    );
    let r = lint(
        Path::new("/"),
        &[dir.join("prod/atlantis.yaml").to_str().unwrap()],
    );
    assert_eq!(
        levels(&r, "prod/atlantis.yaml"),
        [("plaintext-secret".into(), "error".into())]
    );

    // A nearer settings file wins (no merging, as in ruff).
    write(
        &dir.join("team"),
        ".atlantis-lint.yml",
        "rules: {plaintext-secret: ignore}\n",
    );
    let r = lint(&dir, &["team/nested/atlantis.yaml"]);
    assert_eq!(
        levels(&r, "atlantis.yaml"),
        [("missing-webhook-secret".into(), "warning".into())]
    );

    // --no-settings: the defaults.
    let r = lint(
        &dir,
        &[
            "--no-settings",
            "prod/atlantis.yaml",
            "vendor/x/atlantis.yaml",
        ],
    );
    assert_eq!(levels(&r, "prod/atlantis.yaml").len(), 2);
    assert_eq!(levels(&r, "vendor/x/atlantis.yaml").len(), 2);

    // --settings FILE: that one, for every input.
    let other = write(
        &dir,
        "strict.yaml",
        "rules: {missing-webhook-secret: deny}\n",
    );
    let r = lint(&dir, &["--settings", &other, "prod/atlantis.yaml"]);
    assert_eq!(
        levels(&r, "prod/atlantis.yaml"),
        [
            ("missing-webhook-secret".into(), "error".into()),
            ("plaintext-secret".into(), "warning".into())
        ]
    );
}

#[test]
fn show_settings_says_what_applies_and_where_it_comes_from() {
    let dir = repo("settings-show", SETTINGS);
    let mut cmd = command();
    cmd.current_dir(&dir).args([
        "--show-settings",
        "--deny",
        "missing-webhook-secret",
        "staging/atlantis.yaml",
        "vendor/x/atlantis.yaml",
    ]);
    let r = run_with(cmd, None, Duration::from_secs(20));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = dir.join(".atlantis-lint.yaml").display().to_string();
    assert_eq!(
        r.stdout,
        format!(
            "staging/atlantis.yaml:\n  settings file: {s}\n  rules:\n    missing-webhook-secret: deny (command line)\n    plaintext-secret: warn ({s})\n\
             vendor/x/atlantis.yaml:\n  settings file: {s}\n  excluded: yes, by `vendor/**` (not linted)\n  rules:\n    missing-webhook-secret: deny (command line)\n    plaintext-secret: deny ({s})\n"
        )
    );
}

#[test]
fn a_bad_settings_file_is_a_usage_error_with_its_line() {
    let cases = [
        (
            "rules:\n  plaintext-secret: deny\nexlude: [a]\n",
            ".atlantis-lint.yaml:3:1: unknown key `exlude`; did you mean `exclude`?",
        ),
        (
            "rules:\n  plaintext-secret: warning\n",
            ".atlantis-lint.yaml:2:21: `warning` is not a rule level; did you mean `warn`?",
        ),
        (
            "rules:\n  plain-secret: deny\n",
            ".atlantis-lint.yaml:2:3: no rule named `plain-secret`",
        ),
        (
            "overrides:\n  - file: [a]\n",
            ".atlantis-lint.yaml:2:5: unknown key `file`; did you mean `files`?",
        ),
        (
            "assume-set: [gh-webhok-secret]\n",
            "did you mean `gh-webhook-secret`?",
        ),
        (
            "atlantis-version: latest\n",
            ".atlantis-lint.yaml:1:19: atlantis-version: `latest` is not a release number; expected an Atlantis release from v0.17.0 to v0.47.1 (the newest known)",
        ),
        ("rules: {a: [\n", "invalid YAML"),
    ];
    for (i, (text, want)) in cases.iter().enumerate() {
        let dir = repo(&format!("settings-bad-{i}"), text);
        let r = lint(&dir, &["prod/atlantis.yaml"]);
        assert_eq!(r.code, 2, "{text}: {}", r.stderr);
        assert!(r.stderr.contains(want), "{text}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{}", r.stdout);
    }
    let dir = scratch("settings-missing");
    write(&dir, "atlantis.yaml", CONFIG);
    let r = lint(&dir, &["--settings", "nothere.yaml", "atlantis.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("cannot read settings file nothere.yaml: no such file"),
        "{}",
        r.stderr
    );
}

/// `assume-set` and `kind` in the settings file act as `--assume-set` and `--kind` do; the
/// command line's own option replaces them.
#[test]
fn assume_set_and_kind_map_to_their_options() {
    let dir = scratch("settings-hooks");
    write(
        &dir,
        "atlantis.yaml",
        "repo-allowlist: github.com/acme/*\ngh-user: atlantis-bot\n",
    );
    let rules = |r: &common::Run| r.rules();
    // Without settings: the token is missing.
    let r = lint(&dir, &["--no-settings", "atlantis.yaml"]);
    assert!(
        rules(&r).contains(&"incomplete-credentials".to_string()),
        "{:?}",
        rules(&r)
    );
    // assume-set: the token (and the webhook secret) are set at runtime.
    write(
        &dir,
        ".atlantis-lint.yaml",
        "assume-set: [gh-token, gh-webhook-secret]\n",
    );
    let r = lint(&dir, &["atlantis.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(rules(&r).is_empty(), "{:?}", rules(&r));
    // The command line's --assume-set replaces the file's.
    let r = lint(
        &dir,
        &["--assume-set", "gh-webhook-secret", "atlantis.yaml"],
    );
    assert_eq!(rules(&r), ["incomplete-credentials"], "{}", r.stderr);

    // kind: read as a Kubernetes manifest, the server config holds no Atlantis container.
    write(
        &dir,
        ".atlantis-lint.yaml",
        "kind:\n  '*.yaml': kubernetes\n",
    );
    let r = lint(&dir, &["atlantis.yaml"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    let r = lint(&dir, &["--kind", "server-config", "atlantis.yaml"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(rules(&r).contains(&"incomplete-credentials".to_string()));
}

/// `atlantis-version` acts as `--atlantis-version`: v0.27.0 has no gh-token-file (v0.31.0).
#[test]
fn atlantis_version_maps_to_its_option() {
    let dir = scratch("settings-version");
    write(
        &dir,
        "atlantis.yaml",
        "repo-allowlist: github.com/acme/*\ngh-user: atlantis-bot\ngh-token-file: /run/t\n",
    );
    write(&dir, ".atlantis-lint.yaml", "atlantis-version: v0.27.0\n");
    let r = lint(&dir, &["atlantis.yaml"]);
    assert!(
        r.rules().contains(&"flag-not-in-version".to_string()),
        "{:?} {}",
        r.rules(),
        r.stderr
    );
    let r = lint(&dir, &["--atlantis-version", "v0.31.0", "atlantis.yaml"]);
    assert!(
        !r.rules().contains(&"flag-not-in-version".to_string()),
        "{:?}",
        r.rules()
    );
}

/// `atlantis-version` decides how a repos.yaml and an atlantis.yaml are read too: a key of a
/// later release is refused, naming that release; `--atlantis-version` wins over it.
#[test]
fn atlantis_version_reads_repo_configs_for_that_release() {
    let dir = scratch("settings-version-repo");
    write(
        &dir,
        "repos.yaml",
        "repos:\n- id: /.*/\n  silence_pr_comments: [plan]\n",
    );
    write(
        &dir,
        "atlantis.yaml",
        "version: 3\nprojects:\n- dir: app\n  depends_on: [network]\n- dir: network\n",
    );
    write(&dir, ".atlantis-lint.yaml", "atlantis-version: v0.22.0\n");
    let r = lint(&dir, &["repos.yaml", "atlantis.yaml"]);
    let messages: Vec<String> = r
        .diags()
        .iter()
        .map(|d| format!("{} {}", d["rule"], d["message"]))
        .collect();
    assert_eq!(
        messages,
        [
            "\"repo-yaml-unknown-key\" \"`depends_on` is not in Atlantis v0.22.0: it was added in v0.27.0. yaml: unmarshal errors: line 4: field depends_on not found in type raw.Project\"",
            "\"repo-config-unknown-key\" \"`silence_pr_comments` is not in Atlantis v0.22.0: it was added in v0.28.2. yaml: unmarshal errors: line 3: field silence_pr_comments not found in type raw.Repo\"",
        ],
        "{}",
        r.stderr
    );
    assert_eq!(r.json()["atlantis_versions"][0]["version"], "v0.22.0");
    let r = lint(
        &dir,
        &[
            "--atlantis-version",
            "v0.47.1",
            "repos.yaml",
            "atlantis.yaml",
        ],
    );
    assert!(r.diags().is_empty(), "{:?}", r.rules());
}

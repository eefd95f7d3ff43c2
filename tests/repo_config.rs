//! The server-side repo config and repo-level atlantis.yaml, end to end through the binary:
//! the server config, its repos.yaml and a repository's atlantis.yaml are checked together when
//! all three are given (and each alone otherwise), suppressions work in these files, and every
//! output format carries their findings.

mod common;

use common::*;
use std::path::Path;

const SERVER: &str = "atlantis-url: https://atlantis.example.com
repo-allowlist: github.com/acme/*
gh-user: atlantis-bot
gh-token-file: /run/secrets/gh-token
repo-config: repos.yaml
";

/// An exact id outside the allowlist (needs the server config), an entry for acme/infra that
/// does not allow `workflow` (decides the atlantis.yaml's fate).
const REPOS: &str = "repos:
- id: /.*/
  allowed_overrides: [workflow]
- id: github.com/acme/infra
  allowed_overrides: [apply_requirements]
- id: github.com/other/infra
";

const ATLANTIS: &str = "version: 3
projects:
- dir: infra
  workflow: default
";

fn trio_dir(name: &str, with_repos: bool) -> std::path::PathBuf {
    let dir = scratch(name);
    write(&dir, "server.yaml", SERVER);
    if with_repos {
        write(&dir, "repos.yaml", REPOS);
    }
    write(&dir, "atlantis.yaml", ATLANTIS);
    dir
}

fn lint_in(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = command();
    cmd.current_dir(dir).args(["--format", "json"]).args(args);
    let r = run_with(cmd, None, std::time::Duration::from_secs(20));
    assert_sane(&r, &format!("{args:?}"));
    r
}

fn has(r: &Run, rule: &str) -> bool {
    r.rules().iter().any(|x| x == rule)
}

#[test]
fn the_trio_is_checked_together() {
    let dir = trio_dir("trio-all", true);
    // repos.yaml is found beside server.yaml (its `repo-config`); atlantis.yaml is held against it.
    let r = lint_in(
        &dir,
        &[
            "server.yaml",
            "atlantis.yaml",
            "--repo-id",
            "github.com/acme/infra",
        ],
    );
    assert!(has(&r, "repo-config-id-not-allowlisted"), "{:?}", r.rules());
    assert!(has(&r, "repo-yaml-not-allowed"), "{:?}", r.rules());
    let d = r.diags();
    let not_allowed = d
        .iter()
        .find(|x| x["rule"] == "repo-yaml-not-allowed")
        .unwrap();
    assert_eq!(not_allowed["source"]["path"], "atlantis.yaml");
    assert_eq!(not_allowed["source"]["line"], 4);
    assert!(
        not_allowed["help"]
            .as_str()
            .unwrap()
            .contains("repos[1] (id: github.com/acme/infra)"),
        "{not_allowed}"
    );
    let allowlist = d
        .iter()
        .find(|x| x["rule"] == "repo-config-id-not-allowlisted")
        .unwrap();
    assert_eq!(allowlist["source"]["path"], "repos.yaml");
    assert_eq!(allowlist["config"], "repos.yaml");
    // The same with every file named: repos.yaml is linted once.
    let r2 = lint_in(
        &dir,
        &[
            "server.yaml",
            "repos.yaml",
            "atlantis.yaml",
            "--repo-id",
            "github.com/acme/infra",
        ],
    );
    let count = r2
        .rules()
        .iter()
        .filter(|x| *x == "repo-config-id-not-allowlisted")
        .count();
    assert_eq!(count, 1, "{:?}", r2.rules());
    assert!(has(&r2, "repo-yaml-not-allowed"));
}

#[test]
fn each_file_alone() {
    let dir = trio_dir("trio-alone", true);
    // repos.yaml alone: no allowlist to hold it against.
    let r = lint_in(&dir, &["repos.yaml"]);
    assert!(r.rules().is_empty(), "{:?}", r.rules());
    assert_eq!(r.code, 0);
    // atlantis.yaml alone: its own checks only.
    let r = lint_in(
        &dir,
        &["atlantis.yaml", "--repo-id", "github.com/acme/infra"],
    );
    assert!(r.rules().is_empty(), "{:?}", r.rules());
    // atlantis.yaml with --repo-config: held against it, without the server's allowlist.
    let r = lint_in(
        &dir,
        &[
            "--repo-config",
            "repos.yaml",
            "atlantis.yaml",
            "--repo-id",
            "github.com/acme/infra",
        ],
    );
    assert!(has(&r, "repo-yaml-not-allowed"), "{:?}", r.rules());
    assert!(
        !has(&r, "repo-config-id-not-allowlisted"),
        "{:?}",
        r.rules()
    );
    // For another repository the first entry allows `workflow`.
    let r = lint_in(
        &dir,
        &[
            "--repo-config",
            "repos.yaml",
            "atlantis.yaml",
            "--repo-id",
            "github.com/acme/web",
        ],
    );
    assert!(!has(&r, "repo-yaml-not-allowed"), "{:?}", r.rules());
    // The server config alone, with no repos.yaml beside it: no repo-config finding.
    let lone = trio_dir("trio-server-only", false);
    let r = lint_in(&lone, &["server.yaml"]);
    assert!(
        r.rules().iter().all(|x| !x.starts_with("repo-config-")),
        "{:?}",
        r.rules()
    );
}

#[test]
fn repo_config_json_is_checked_inside_the_server_config() {
    let dir = scratch("repo-config-json");
    let cfg = "atlantis-url: https://atlantis.example.com
repo-allowlist: github.com/acme/*
gh-user: atlantis-bot
gh-token-file: /run/secrets/gh-token
repo-config-json: |
  {\"repos\": [{\"id\": \"/.*/\", \"apply_requirements\": [\"approve\"]}]}
";
    write(&dir, "server.yaml", cfg);
    let r = lint_in(&dir, &["server.yaml"]);
    let d = r.diags();
    let f = d
        .iter()
        .find(|x| x["rule"] == "repo-config-requirements")
        .expect("a finding inside the JSON");
    assert_eq!(f["source"]["line"], 6);
    // The column is that of "approve" inside the JSON string.
    let col = f["source"]["column"].as_u64().unwrap() as usize;
    let line = cfg.lines().nth(5).unwrap();
    assert_eq!(&line[col - 1..col - 1 + "\"approve\"".len()], "\"approve\"");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("repos: (0: (apply_requirements:")
    );
}

#[test]
fn suppressions_work_in_repo_configs() {
    let dir = scratch("repo-config-suppress");
    write(
        &dir,
        "repos.yaml",
        "repos:\n- id: github.com/acme/*  # atlantis-lint: ignore[repo-config-id-glob] kept for the migration\n- id: github.com/acme/web*\n  branch: /main/ # atlantis-lint: ignore[repo-config-branch] not needed\n",
    );
    let r = lint_in(&dir, &["repos.yaml"]);
    let rules = r.rules();
    assert_eq!(
        rules.iter().filter(|x| *x == "repo-config-id-glob").count(),
        1,
        "{rules:?}"
    );
    assert!(rules.iter().any(|x| x == "unused-suppression"), "{rules:?}");
    // The startup errors cannot be silenced.
    write(
        &dir,
        "bad.yaml",
        "repos:\n- id: /(/  # atlantis-lint: ignore[repo-config-repo-id] no\n",
    );
    let r = lint_in(&dir, &["bad.yaml"]);
    assert!(has(&r, "repo-config-repo-id"), "{:?}", r.rules());
    assert_eq!(r.code, 1);
}

#[test]
fn every_format_carries_document_findings() {
    let dir = scratch("repo-config-formats");
    write(
        &dir,
        "repos.yaml",
        "repos:\n- id: /.*/\n  apply_requirements: [approve]\n",
    );
    for (format, needle) in [
        (
            "concise",
            "repos.yaml:3:24: error[repo-config-requirements] repos: (0: (apply_requirements:",
        ),
        ("github", "::error file=repos.yaml,line=3,"),
        ("sarif", "\"ruleId\": \"repo-config-requirements\""),
        ("human", "repo-config-requirements"),
    ] {
        let mut cmd = command();
        cmd.current_dir(&dir)
            .args(["--format", format, "repos.yaml"]);
        let r = run_with(cmd, None, std::time::Duration::from_secs(20));
        assert_sane(&r, format);
        assert_eq!(r.code, 1);
        assert!(r.stdout.contains(needle), "{format}:\n{}", r.stdout);
    }
}

#[test]
fn rules_and_explain_list_the_document_rules() {
    let r = run(&["rules"]);
    assert!(r.stdout.contains("repo-config-workflow-step"));
    assert!(r.stdout.contains("repo-yaml-not-allowed"));
    let r = run(&["explain", "repo-config-id-glob"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("github.com/acme/*"));
}

#[test]
fn only_server_configs_still_lints_the_other_kinds() {
    let dir = trio_dir("trio-hook", true);
    write(&dir, "notes.yaml", "title: not an Atlantis file\n");
    let r = lint_in(
        &dir,
        &[
            "--only-server-configs",
            "repos.yaml",
            "atlantis.yaml",
            "notes.yaml",
        ],
    );
    let j = r.json();
    assert_eq!(
        j["diagnostics"].as_array().unwrap().len(),
        0,
        "{}",
        r.stdout
    );
    let human = {
        let mut cmd = command();
        cmd.current_dir(&dir).args([
            "--only-server-configs",
            "repos.yaml",
            "atlantis.yaml",
            "notes.yaml",
        ]);
        run_with(cmd, None, std::time::Duration::from_secs(20))
    };
    assert!(human.stdout.contains("in 2 configs"), "{}", human.stdout);
}

#[test]
fn kind_names_the_document_without_detection() {
    let dir = scratch("repo-config-kind");
    // JSON with nothing to detect it by is read as a repo config when --kind says so.
    write(&dir, "rc.json", "{\"repos\": [{\"id\": \"/(/\"}]}\n");
    let r = lint_in(&dir, &["--kind", "repo-config", "rc.json"]);
    assert!(has(&r, "repo-config-repo-id"), "{:?}", r.rules());
    write(&dir, "x.yaml", "projects:\n- dir: .\n");
    let r = lint_in(&dir, &["--kind", "repo-yaml", "x.yaml"]);
    assert!(has(&r, "repo-yaml-version"), "{:?}", r.rules());
}

//! Fixture tests: every config under `fixtures/` is linted by the real binary, and its output
//! (JSON and human) must equal the expected files beside it.
//!
//! A case is a stem in a fixture folder: `<stem>.yaml` (or `.yml`, `.json`, any other extension
//! for `unsupported-config-file`), with optional `<stem>.env` (passed as `--env-file`),
//! `<stem>.argv` (one Atlantis argument per line, passed after `--`) and `<stem>.opts` (extra
//! linter options, one per line). Expected output: `<stem>.expected.json`, `<stem>.expected.txt`.
//! `fixtures/ok/` cases must have no error; `fixtures/err/<rule-id>/` cases must report that rule.
//! Regenerate the expected files with `UPDATE_EXPECTED=1 cargo test --test fixtures`.

mod common;

use common::cases::{Case, cases};
use std::path::Path;
use std::process::Command;

fn run(case: &Case, format: &str) -> (String, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_atlantis-lint"));
    cmd.current_dir(&case.dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("ATLANTIS_")
            || k == "GITHUB_ACTIONS"
            || k == "FORCE_COLOR"
            || k == "CLICOLOR_FORCE"
        {
            cmd.env_remove(k);
        }
    }
    cmd.env("NO_COLOR", "1");
    // Unicode snippets, wrapped at 100 columns, whatever the caller's locale and terminal.
    cmd.env_remove("LC_ALL")
        .env_remove("LC_CTYPE")
        .env("LANG", "C.UTF-8");
    cmd.env_remove("COLUMNS");
    cmd.args([
        "--format",
        format,
        "--color",
        "never",
        "--today",
        "2026-11-29",
    ]);
    case.add_args(&mut cmd);
    let out = cmd.output().unwrap();
    let mut text = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    if !stderr.is_empty() {
        text.push_str("--- stderr ---\n");
        text.push_str(&stderr);
    }
    (text, out.status.code().unwrap_or(-1))
}

#[test]
fn fixtures_match_expected_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let mut failures = Vec::new();
    let all = cases(&root);
    assert!(all.len() > 10, "fixtures not found");
    for case in &all {
        let rel = case
            .dir
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let id = format!("{rel}/{}", case.stem);
        let (json, code) = run(case, "json");
        let (human, human_code) = run(case, "human");
        assert_eq!(
            code, human_code,
            "{id}: exit status differs between formats"
        );
        let human = format!("{human}--- exit status: {code} ---\n");

        let parsed: serde_json::Value =
            serde_json::from_str(json.split("--- stderr ---").next().unwrap())
                .unwrap_or_else(|e| panic!("{id}: output is not JSON: {e}\n{json}"));
        let rules: Vec<&str> = parsed["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap())
            .collect();
        if let Some(rule) = rel.strip_prefix("err/") {
            if !rules.contains(&rule) {
                failures.push(format!(
                    "{id}: expected rule `{rule}` to fire, got {rules:?}"
                ));
            }
        } else if rel.starts_with("ok") && parsed["summary"]["errors"] != 0 {
            failures.push(format!("{id}: an ok fixture has errors: {rules:?}"));
        }

        for (ext, actual) in [("json", &json), ("txt", &human)] {
            let path = case.dir.join(format!("{}.expected.{ext}", case.stem));
            if update {
                std::fs::write(&path, actual).unwrap();
                continue;
            }
            match std::fs::read_to_string(&path) {
                Ok(expected) if &expected == actual => {}
                Ok(expected) => failures.push(format!(
                    "{id}: {ext} output differs\n--- expected ({})\n{expected}\n--- actual\n{actual}",
                    path.display()
                )),
                Err(_) => failures.push(format!("{id}: missing {}", path.display())),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture failures:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Every rule has at least one fixture folder, and every fixture folder names a rule.
#[test]
fn every_rule_has_a_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/err");
    let out = Command::new(env!("CARGO_BIN_EXE_atlantis-lint"))
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut missing = Vec::new();
    for id in &ids {
        if !root.join(id).is_dir() && !ONLINE_RULES.contains(id) {
            missing.push(*id);
        }
    }
    assert!(
        missing.is_empty(),
        "rules without fixtures/err/<rule>/: {missing:?}"
    );
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        assert!(
            ids.contains(&name.as_str()),
            "fixtures/err/{name} names no rule"
        );
    }
}

/// Rules that only the online probe reports; their tests run against fake servers.
const ONLINE_RULES: &[&str] = &[
    "credential-rejected",
    "credential-insufficient",
    "credential-expiring",
    "probe-indeterminate",
    "credential-verified",
    "probe-unverifiable",
];

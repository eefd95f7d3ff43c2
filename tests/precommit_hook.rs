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
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], true);
    let entry = hook["entry"].as_str().unwrap();
    assert!(entry.starts_with("atlantis-lint "));
    assert!(entry.contains("--only-server-configs"));
    assert!(!entry.contains("--online"), "the hook runs offline");

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
    ] {
        assert!(!files.is_match(path), "{path} should not be linted");
    }
}

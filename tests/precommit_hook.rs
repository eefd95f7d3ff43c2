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

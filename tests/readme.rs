//! The README cannot drift: its rule table is the rules' own list, and its first commands are
//! the ones CI runs. `UPDATE_README=1 cargo test --test readme` refreshes the table.

use std::path::Path;

const BEGIN: &str = "<!-- rules:begin";
const END: &str = "<!-- rules:end -->";

#[test]
fn readme_rule_table_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme.find(BEGIN).expect("README has a rules:begin marker");
    let body_start = start + readme[start..].find('\n').unwrap() + 1;
    let end = readme.find(END).expect("README has a rules:end marker");
    let table = atlantis_lint::report::docs::rules_table("docs/rules.md#");
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{}{}", &readme[..body_start], table, &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[body_start..end],
        table,
        "the README's rule table is stale: run UPDATE_README=1 cargo test --test readme"
    );
}

#[test]
fn readme_starts_with_the_two_commands() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let first_block = readme
        .split("```sh")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    assert!(
        first_block.contains("cargo run --quiet -- fixtures/"),
        "{first_block}"
    );
    assert!(first_block.contains("cargo test"), "{first_block}");
    let example = first_block
        .split_whitespace()
        .find(|w| w.starts_with("fixtures/"))
        .unwrap();
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(example)
            .is_file(),
        "{example} is missing"
    );
    let ci =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim() == "cargo test"),
        ".ci/run must run the README's test command"
    );
}

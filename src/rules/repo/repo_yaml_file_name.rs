use super::DocContext;
use crate::config::Location;
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-yaml-file-name",
    severity: Severity::Error,
    summary: "a repo-level config named atlantis.yml: Atlantis wants atlantis.yaml",
    suppressible: false,
    docs: r#"## What it checks
Atlantis looks for `atlantis.yaml` (or the server's `repo_config_file`) at the repository root.
When it finds `atlantis.yml` instead, it refuses: `found "atlantis.yml" as config file; rename
using the .yaml extension`.

## Example
A file `atlantis.yml` at the root of the repository.

## Fix
Rename it to `atlantis.yaml`.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let base = std::path::Path::new(&ctx.doc.name)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if base == "atlantis.yml" {
        let atl = "found \"atlantis.yml\" as config file; rename using the .yaml extension";
        out.push(
            Finding::new(&RULE, Location::None, atl)
                .help(format!(
                    "rename the file to atlantis.yaml. {}",
                    ctx.refused(atl)
                ))
                .suggestion("atlantis.yaml"),
        );
    }
}

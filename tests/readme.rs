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

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The fenced blocks of the README as (info string, body, first line number).
fn blocks(readme: &str) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(String, String, usize)> = None;
    for (i, line) in readme.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => open = Some((info.trim().to_string(), String::new(), i + 1)),
            (Some(_), Some(_)) => out.push(open.take().unwrap()),
            (Some((_, body, _)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

#[test]
fn readme_starts_with_the_two_commands() {
    let readme = readme();
    // The operators' first screen comes first; the contributors' two commands stay near the top.
    let (_, first_block, line) = blocks(&readme)
        .into_iter()
        .find(|(info, body, _)| info == "sh" && body.contains("cargo run --quiet -- fixtures/"))
        .expect("a sh block with the fresh-checkout commands");
    assert!(
        line < 70,
        "the fresh-checkout commands start at line {line}"
    );
    let first_block = first_block.as_str();
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

/// The two recipes for a running server, run verbatim with stand-ins for kubectl, jq and docker,
/// with the exit statuses the README states.
#[test]
fn readme_recipes_run_with_the_stated_exit_status() {
    let readme = readme();
    let (_, recipes, _) = blocks(&readme)
        .into_iter()
        .find(|(_, body, _)| body.contains("| xargs -d '\\n' atlantis-lint --"))
        .expect("the recipes block");
    let kubectl_line: String = {
        let start = recipes.find("kubectl get deploy").unwrap();
        let end = recipes[start..].find("atlantis-lint --\n").unwrap() + start;
        recipes[start..end + "atlantis-lint --".len()].to_string()
    };
    let docker_line = recipes
        .lines()
        .find(|l| l.starts_with("docker exec"))
        .unwrap()
        .to_string();
    assert_eq!(
        docker_line,
        "docker exec atlantis env | atlantis-lint --env-file -"
    );

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("readme-recipes");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let tool = |name: &str, script: &str| {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_atlantis-lint"))
        .parent()
        .unwrap();
    let run = |line: &str, kubectl_args: &str, env_lines: &str| {
        tool("kubectl", &format!("printf '%s' '{kubectl_args}'"));
        // `jq -r '.[]'` for a flat array of plain strings (no Python: `cargo test` needs only Rust).
        tool(
            "jq",
            "sed -e 's/^\\[//' -e 's/\\]$//' | tr ',' '\\n' | sed -e 's/^\"//' -e 's/\"$//'",
        );
        tool("docker", &format!("printf '{env_lines}'"));
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(line)
            .env_clear()
            .env(
                "PATH",
                format!("{}:{}:/usr/bin:/bin", dir.display(), bin_dir.display()),
            )
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let good = r#"["server","--repo-allowlist=github.com/acme/*","--gh-user=atlantis-bot","--gh-token-file=/run/t","--gh-webhook-secret=x9Kf3mQ7pL2vR8sT"]"#;
    let (code, out) = run(&kubectl_line, good, "");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 errors"), "{out}");
    // xargs turns atlantis-lint's 1 (and 2) into 123, as the README says.
    let (code, out) = run(&kubectl_line, r#"["server","--gh-user=atlantis-bot"]"#, "");
    assert_eq!(code, 123, "{out}");
    assert!(out.contains("error[incomplete-credentials]"), "{out}");

    let env = "PATH=/usr/bin\\nHOME=/home/atlantis\\nATLANTIS_REPO_ALLOWLIST=github.com/acme/*\\nATLANTIS_GH_USER=atlantis-bot\\n";
    let (code, out) = run(&docker_line, "", env);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[incomplete-credentials]"), "{out}");
}

/// The settings file example is a valid settings file; the action and pre-commit examples use
/// the inputs and hook ids that exist.
#[test]
fn readme_config_examples_are_valid() {
    let readme = readme();
    let all = blocks(&readme);
    let (_, settings, _) = all
        .iter()
        .find(|(_, body, _)| body.starts_with("# .atlantis-lint.yaml"))
        .expect("the settings example");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("readme-settings");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(".atlantis-lint.yaml"), settings).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atlantis-lint"))
        .current_dir(&dir)
        .args(["--show-settings", "staging/atlantis.yaml", "vendor/x.yaml"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("plaintext-secret: warn"), "{text}");
    assert!(text.contains("excluded: yes, by `vendor/**`"), "{text}");

    let action =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    let mut checked = 0;
    for (_, body, _) in all
        .iter()
        .filter(|(_, b, _)| b.contains("atlantis-lint/atlantis-lint@"))
    {
        let (mut ours, mut in_with) = (false, false);
        for line in body.lines() {
            let t = line.trim();
            if t.starts_with("- ") {
                ours = t.starts_with("- uses: atlantis-lint/atlantis-lint@");
                in_with = false;
                continue;
            }
            if t == "with:" {
                in_with = ours;
                continue;
            }
            if in_with {
                if let Some((key, _)) = t.split_once(':') {
                    if !key.starts_with('#') {
                        assert!(
                            action.contains(&format!("\n  {key}:\n")),
                            "action.yml has no input `{key}`"
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked >= 3, "only {checked} action inputs checked");
    for (_, body, _) in all
        .iter()
        .filter(|(_, b, _)| b.contains("atlantis-lint-pre-commit"))
    {
        assert!(body.contains("- id: atlantis-lint"), "{body}");
    }
}

/// The GitLab CI example's command writes a Code Quality report while printing the human one.
#[test]
fn readme_gitlab_ci_command_writes_the_report() {
    let readme = readme();
    let line = readme
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("- atlantis-lint --format human --format gitlab"))
        .map(|rest| format!("--format human --format gitlab{rest}"))
        .expect("the GitLab CI example");
    let args: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(args.last(), Some(&"deploy/"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("readme-gitlab");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("deploy")).unwrap();
    std::fs::write(
        dir.join("deploy/atlantis.yaml"),
        "repo-allowlist: github.com/acme/*\ngh-user: atlantis-bot\ngh_token: x\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atlantis-lint"))
        .current_dir(&dir)
        .args(&args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error[unknown-key]"));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("gl-code-quality.json")).unwrap()).unwrap();
    assert!(report.as_array().unwrap().iter().any(
        |i| i["check_name"] == "unknown-key" && i["location"]["path"] == "deploy/atlantis.yaml"
    ));
}

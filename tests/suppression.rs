//! Suppression comments in the config file, and the `--ignore` / `--warn` / `--deny` policy,
//! through the real binary.

use std::io::Write;
use std::process::{Command, Stdio};

/// A config that is clean apart from what a test adds.
const BASE: &str = "\
atlantis-url: https://atlantis.example.com
repo-allowlist: github.com/acme/*
gh-user: atlantis-bot
gh-token-file: /var/run/secrets/atlantis/gh-token
gh-webhook-secret: \"Zb6Xq2mN8vL4tR1yK9wP3sD7fH5jC0aE\"
";

struct Run {
    json: serde_json::Value,
    code: i32,
    stderr: String,
}

impl Run {
    /// (rule, severity, line) of every diagnostic.
    fn diags(&self) -> Vec<(String, String, i64)> {
        self.json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().unwrap().to_string(),
                    d["severity"].as_str().unwrap().to_string(),
                    d["source"]["line"].as_i64().unwrap_or(0),
                )
            })
            .collect()
    }

    fn rules(&self) -> Vec<String> {
        self.diags().into_iter().map(|(r, _, _)| r).collect()
    }

    fn find(&self, rule: &str) -> Vec<serde_json::Value> {
        self.json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == rule)
            .cloned()
            .collect()
    }
}

fn lint(config: &str, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_atlantis-lint"));
    for (k, _) in std::env::vars() {
        if k.starts_with("ATLANTIS_") {
            cmd.env_remove(k);
        }
    }
    // The configs here write secrets inline on purpose; plaintext-secret has its own fixtures.
    cmd.args([
        "--format",
        "json",
        "--today",
        "2026-11-29",
        "--ignore",
        "plaintext-secret",
    ])
    .args(args)
    .args(["--stdin-filename", "atlantis.yaml", "-"])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    // The linter may exit (a usage error) before reading standard input: ignore a broken pipe.
    let _ = child.stdin.take().unwrap().write_all(config.as_bytes());
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    Run {
        json: serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null),
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn config(extra: &str) -> String {
    format!("{BASE}{extra}")
}

#[test]
fn unsuppressed_finding_is_reported() {
    let run = lint(&config("log-level: DEBUG\n"), &[]);
    assert_eq!(run.rules(), vec!["log-level-case"]);
}

#[test]
fn inline_at_end_of_line() {
    let run = lint(
        &config(
            "log-level: DEBUG  # atlantis-lint: ignore[log-level-case] dashboards filter on it\n",
        ),
        &[],
    );
    assert!(run.rules().is_empty(), "{:?}", run.diags());
}

#[test]
fn on_the_line_above_skipping_other_comments() {
    let run = lint(
        &config(
            "# atlantis-lint: ignore[log-level-case] dashboards filter on it\n# an ordinary comment\nlog-level: DEBUG\n",
        ),
        &[],
    );
    assert!(run.rules().is_empty(), "{:?}", run.diags());
}

#[test]
fn on_the_line_above_applies_to_that_line_only() {
    let run = lint(
        &config(
            "# atlantis-lint: ignore[log-level-case] dashboards filter on it\n\nlog-level: DEBUG\n",
        ),
        &[],
    );
    // The blank line is the target: the finding stays and the suppression is unused.
    assert_eq!(run.rules(), vec!["unused-suppression", "log-level-case"]);
}

#[test]
fn ignore_file_anywhere_with_several_ids() {
    let run = lint(
        &config(
            "log-level: DEBUG\nweb-basic-auth: true\n# atlantis-lint: ignore-file[default-web-credentials, log-level-case] lab server behind the VPN\n",
        ),
        &[],
    );
    assert!(run.rules().is_empty(), "{:?}", run.diags());
}

#[test]
fn several_ids_inline_silence_several_rules_on_one_line() {
    let yaml = "\
atlantis-url: https://atlantis.example.com
repo-allowlist: gitlab.example.com/platform/*
gitlab-user: atlantis
gitlab-token: \"glpat-Xk3vB9mQ2rT7wY5zL1nP\"
gitlab-webhook-secret: \"c2VjcmV0LXdlYmhvb2stdmFsdWUtMTIzNDU2\"
write-git-creds: true
gitlab-hostname: http://gitlab.example.com  # atlantis-lint: ignore[insecure-url,write-git-creds-host] lab network
";
    let run = lint(yaml, &[]);
    assert!(run.rules().is_empty(), "{:?}", run.diags());
    let unsuppressed = lint(&yaml.replace("  # atlantis-lint", "  # was"), &[]);
    assert_eq!(
        unsuppressed.rules(),
        vec!["insecure-url", "write-git-creds-host"]
    );
}

#[test]
fn suppression_without_reason_still_applies_and_warns() {
    let run = lint(
        &config("log-level: DEBUG  # atlantis-lint: ignore[log-level-case]\n"),
        &[],
    );
    assert_eq!(run.rules(), vec!["suppression-without-reason"]);
    assert_eq!(run.diags()[0].2, 6);
}

#[test]
fn unused_suppression_is_reported_at_its_id() {
    let run = lint(
        &config("log-level: debug  # atlantis-lint: ignore[log-level-case] it used to be DEBUG\n"),
        &[],
    );
    let unused = run.find("unused-suppression");
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0]["source"]["line"], 6);
    assert_eq!(unused[0]["source"]["column"], 43);
    assert_eq!(run.code, 0);
}

#[test]
fn unknown_rule_id_gets_a_suggestion() {
    let run = lint(
        &config("log-level: DEBUG  # atlantis-lint: ignore[log-levle-case] typo\n"),
        &[],
    );
    let unused = run.find("unused-suppression");
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0]["suggestion"], "log-level-case");
    assert!(run.rules().contains(&"log-level-case".to_string()));
}

#[test]
fn unsuppressible_rules_stay_and_the_suppression_is_reported() {
    let yaml = "\
atlantis-url: https://atlantis.example.com
repo-allowlist: gitlab.com/acme/*
gitlab-user: atlantis  # atlantis-lint: ignore[incomplete-credentials] token comes later
";
    let run = lint(yaml, &[]);
    assert!(run.rules().contains(&"incomplete-credentials".to_string()));
    let unused = run.find("unused-suppression");
    assert_eq!(unused.len(), 1);
    assert!(
        unused[0]["message"]
            .as_str()
            .unwrap()
            .contains("cannot be suppressed")
    );
    assert_eq!(run.code, 1);
}

#[test]
fn hash_inside_a_quoted_scalar_is_not_a_comment() {
    let yaml = config(
        "atlantis-url: \"https://atlantis.example.com\n  # atlantis-lint: ignore[log-level-case] not a comment\"\nlog-level: DEBUG\n",
    );
    let run = lint(&yaml, &[]);
    assert!(run.rules().contains(&"log-level-case".to_string()));
    assert!(run.find("unused-suppression").is_empty());
}

#[test]
fn env_findings_cannot_be_suppressed_inline() {
    let dir = std::env::temp_dir().join(format!("atlantis-lint-suppress-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let env = dir.join("atlantis.env");
    std::fs::write(&env, "ATLANTIS_LOG_LEVEL=DEBUG\n").unwrap();
    let run = lint(
        &config("# atlantis-lint: ignore-file[log-level-case] set in the environment\n"),
        &["--env-file", env.to_str().unwrap()],
    );
    std::fs::remove_dir_all(&dir).ok();
    assert!(run.rules().contains(&"log-level-case".to_string()));
    assert!(run.rules().contains(&"unused-suppression".to_string()));
}

#[test]
fn suppressions_in_json_config_files_are_not_comments() {
    // JSON has no comments; a `#` inside a JSON string is part of the value.
    let json = r##"{"atlantis-url": "https://atlantis.example.com", "repo-allowlist": "github.com/acme/*", "gh-user": "atlantis-bot", "gh-token-file": "/t # atlantis-lint: ignore-file[log-level-case] x", "gh-webhook-secret": "Zb6Xq2mN8vL4tR1yK9wP3sD7fH5jC0aE", "log-level": "DEBUG"}"##;
    let run = lint(json, &[]);
    assert_eq!(run.rules(), vec!["log-level-case"]);
}

#[test]
fn no_unused_suppressions_in_a_file_that_does_not_parse() {
    let run = lint(
        &config(
            "log-level: DEBUG  # atlantis-lint: ignore[log-level-case] dashboards
broken: [\n",
        ),
        &[],
    );
    assert!(
        run.find("unused-suppression").is_empty(),
        "{:?}",
        run.diags()
    );
    assert!(run.rules().contains(&"yaml-syntax".to_string()));
}

// --ignore / --warn / --deny

#[test]
fn ignore_drops_a_rule() {
    let run = lint(
        &config("log-level: DEBUG\n"),
        &["--ignore", "log-level-case"],
    );
    assert!(run.rules().is_empty(), "{:?}", run.diags());
}

#[test]
fn ignore_silences_suppression_findings_too() {
    let run = lint(
        &config("log-level: DEBUG  # atlantis-lint: ignore[log-level-case]\n"),
        &["--ignore", "suppression-without-reason"],
    );
    assert!(run.rules().is_empty(), "{:?}", run.diags());
}

#[test]
fn warn_turns_an_error_into_a_warning() {
    let yaml = config("gh-team-allowlist: platform:plan,sre\n");
    let before = lint(&yaml, &[]);
    assert_eq!(
        before.diags(),
        vec![("team-allowlist-format".into(), "error".into(), 6)]
    );
    assert_eq!(before.code, 1);
    let after = lint(&yaml, &["--warn", "team-allowlist-format"]);
    assert_eq!(
        after.diags(),
        vec![("team-allowlist-format".into(), "warning".into(), 6)]
    );
    assert_eq!(after.code, 0);
}

#[test]
fn deny_turns_a_warning_into_an_error() {
    let yaml = config("log-level: DEBUG\n");
    let run = lint(&yaml, &["--deny", "log-level-case"]);
    assert_eq!(
        run.diags(),
        vec![("log-level-case".into(), "error".into(), 6)]
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.json["summary"]["errors"], 1);
}

#[test]
fn ignore_does_not_drop_unsuppressible_rules() {
    let yaml = "atlantis-url: https://atlantis.example.com\nrepo-allowlist: gitlab.com/acme/*\ngitlab-user: atlantis\ngitlab-webhook-secret: \"dfOB1rcavXiOqkVCJTBJahe84S5jIc1x\"\n";
    let run = lint(yaml, &["--ignore", "incomplete-credentials"]);
    assert_eq!(run.rules(), vec!["incomplete-credentials"]);
    assert_eq!(run.code, 1);
}

#[test]
fn unknown_rule_on_the_command_line_is_a_usage_error() {
    let run = lint(&config(""), &["--ignore", "log-level-cas"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no rule named `log-level-cas`"));
}

//! The edges a new user hits first: a failed run never looks clean in any format, mistyped
//! subcommands, options and rules get a "did you mean", `ATLANTIS_*` variables left unread get one
//! hint, and `--ignore a,b`, `--statistics`, `--quiet`, `--exit-zero` and `--format gitlab` work.

mod common;

use common::{cases::cases, command, run, run_with, scratch, write};
use std::path::Path;
use std::time::Duration;

const BROKEN: &str = "fixtures/err/allow-commands/spaces.yaml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run_in_root(args: &[&str], env: &[(&str, &str)]) -> common::Run {
    let mut cmd = command();
    cmd.current_dir(root()).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_with(cmd, None, Duration::from_secs(20))
}

#[test]
fn a_missing_file_never_reads_as_no_problems_in_any_format() {
    let dir = scratch("sharp-missing");
    let missing = dir.join("nothere.yaml").display().to_string();
    for format in ["human", "json", "sarif", "github", "concise", "gitlab"] {
        let r = run(&["--format", format, &missing]);
        assert_eq!(r.code, 2, "{format}: {}", r.stderr);
        assert!(!r.stdout.contains("no problems"), "{format}:\n{}", r.stdout);
        assert!(r.stderr.contains("cannot read"), "{format}: {}", r.stderr);
        match format {
            "human" => {
                assert!(r.stdout.contains("error: cannot read "), "{}", r.stdout);
                assert!(
                    r.stdout.contains("run failed: 1 input was not linted"),
                    "{}",
                    r.stdout
                );
            }
            "json" => {
                let v = r.json();
                assert_eq!(v["failed"], true);
                assert!(v["failures"][0].as_str().unwrap().contains("no such file"));
            }
            "sarif" => {
                let v = r.json();
                let inv = &v["runs"][0]["invocations"][0];
                assert_eq!(inv["executionSuccessful"], false, "{v}");
                assert_eq!(inv["toolExecutionNotifications"][0]["level"], "error");
                assert!(
                    inv["toolExecutionNotifications"][0]["message"]["text"]
                        .as_str()
                        .unwrap()
                        .contains("cannot read")
                );
            }
            "github" => {
                assert!(
                    r.stdout
                        .contains("::error title=atlantis-lint run failed::cannot read "),
                    "{}",
                    r.stdout
                );
                assert!(r.stdout.contains("atlantis-lint: run failed: "));
            }
            "concise" => assert!(
                r.stdout.contains("atlantis-lint: run failed: cannot read "),
                "{}",
                r.stdout
            ),
            _ => {}
        }
    }
    // A clean SARIF run says so.
    let ok = cases(&root().join("fixtures/ok"))
        .into_iter()
        .find(|c| c.config.is_some() && c.env.is_none() && c.argv.is_none() && c.opts.is_none())
        .expect("an ok fixture with only a config file");
    let path = ok.dir.join(ok.config.as_ref().unwrap());
    let r = run(&["--format", "sarif", path.to_str().unwrap()]);
    assert_eq!(
        r.json()["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn mistyped_subcommands_options_and_rules_get_a_did_you_mean() {
    let cases: &[(&[&str], &str)] = &[
        (&["version"], "did you mean `atlantis-lint --version`?"),
        (&["rule"], "did you mean the command `atlantis-lint rules`?"),
        (
            &["explian", "unknown-key"],
            "did you mean the command `atlantis-lint explain`?",
        ),
        (
            &["--formt", "json", "x.yaml"],
            "unknown option `--formt`; did you mean `--format`?",
        ),
        (
            &["--deny-warning", "x.yaml"],
            "did you mean `--deny-warnings`?",
        ),
        (
            &["emit", "--tx", "yaml"],
            "unknown option `--tx`; did you mean `--to`?",
        ),
        (
            &["--gh-user", "alice"],
            "`--gh-user` is an Atlantis flag: an Atlantis command line goes after `--`",
        ),
        (&["--zzzzzz"], "`atlantis-lint --help` lists the options"),
        (
            &["--ignore", "unknwn-key", "x.yaml"],
            "did you mean `unknown-key`?",
        ),
        (
            &["--deny", "plaintext-secrets", "x.yaml"],
            "did you mean `plaintext-secret`?",
        ),
        (&["explain", "unknwn-key"], "did you mean `unknown-key`?"),
    ];
    for (args, want) in cases {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(want), "{args:?}: {}", r.stderr);
        // clap's advice to pass an unknown option after `--` would make it an Atlantis flag.
        assert!(!r.stderr.contains("to pass '"), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn ignore_takes_a_comma_separated_list() {
    let r = run_in_root(
        &[
            "--format",
            "json",
            "--ignore",
            "allow-commands,missing-webhook-secret",
            BROKEN,
        ],
        &[],
    );
    // allow-commands cannot be ignored (Atlantis refuses to start), and the user is told so.
    assert_eq!(r.rules(), ["allow-commands"]);
    assert!(
        r.stderr.contains("`allow-commands` cannot be ignored"),
        "{}",
        r.stderr
    );
    let r = run_in_root(
        &[
            "--format",
            "json",
            "--ignore=missing-webhook-secret,plaintext-secret",
            "--deny",
            "allow-commands",
            BROKEN,
        ],
        &[],
    );
    assert_eq!(r.rules(), ["allow-commands"]);
}

#[test]
fn unread_atlantis_variables_get_one_hint_line() {
    let env = [
        ("ATLANTIS_GH_USER", "alice"),
        ("ATLANTIS_CONFIG", "/etc/atlantis.yaml"),
    ];
    // Nothing else to lint: the hint replaces the generic help text.
    let r = run_in_root(&[], &env);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "atlantis-lint: nothing to lint: the environment has 2 ATLANTIS_* variables (ATLANTIS_CONFIG, ATLANTIS_GH_USER), not read without --env; add --env to lint them (with --env, the file ATLANTIS_CONFIG names is linted too)\n"
    );
    // Beside a file: one note line on standard error; none with --env or --quiet.
    let r = run_in_root(&["--format", "json", BROKEN], &env[..1]);
    assert_eq!(
        r.stderr
            .lines()
            .filter(|l| l.contains("ATLANTIS_*"))
            .count(),
        1,
        "{}",
        r.stderr
    );
    assert!(r.stderr.starts_with(
        "atlantis-lint: note: the environment has 1 ATLANTIS_* variable (ATLANTIS_GH_USER)"
    ));
    let r = run_in_root(&["--format", "json", "--env", BROKEN], &env[..1]);
    assert!(!r.stderr.contains("ATLANTIS_*"), "{}", r.stderr);
    let r = run_in_root(&["--format", "json", "-q", BROKEN], &env[..1]);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn statistics_quiet_and_exit_zero() {
    let r = run_in_root(&["--statistics", BROKEN], &[]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        "    1  allow-commands          error\n    1  missing-webhook-secret  warning\n1 error, 1 warning in 1 config for Atlantis v0.47.1 (the latest known)\n"
    );
    // Beside a machine format on standard output: on standard error.
    let r = run_in_root(&["--statistics", "--format", "json", BROKEN], &[]);
    r.json();
    assert!(r.stderr.contains("    1  allow-commands"), "{}", r.stderr);

    let r = run_in_root(&["--quiet", BROKEN], &[]);
    assert!(r.stdout.contains("error[allow-commands]"));
    assert!(!r.stdout.contains("1 error, 1 warning"), "{}", r.stdout);
    let dir = scratch("sharp-quiet");
    write(
        &dir,
        "atlantis.yaml",
        "repo-allowlist: github.com/acme/*\ngh-user: atlantis-bot\ngh-token-file: /run/t\ngh-webhook-secret-file: /run/w\n",
    );
    let mut cmd = command();
    cmd.current_dir(&dir).args([
        "-q",
        "--ignore",
        "missing-webhook-secret,unknown-key",
        "atlantis.yaml",
    ]);
    let r = run_with(cmd, None, Duration::from_secs(20));
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);

    let r = run_in_root(&["--exit-zero", "--deny-warnings", BROKEN], &[]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("error[allow-commands]"));
    // A failed run is still a failed run.
    let r = run_in_root(&["--exit-zero", "nothere.yaml"], &[]);
    assert_eq!(r.code, 2);
}

#[test]
fn gitlab_code_quality_matches_the_documented_format_for_every_fixture() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/gitlab-codequality.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    assert!(!validator.is_valid(&serde_json::json!([{"description": "d", "check_name": "c",
        "fingerprint": "f", "severity": "error", "location": {"path": "./a", "lines": {"begin": 1}}}])));
    let mut issues = 0;
    for case in cases(&root().join("fixtures")) {
        let mut cmd = command();
        cmd.current_dir(&case.dir)
            .args(["--format", "gitlab", "--today", "2026-11-29"]);
        case.add_args(&mut cmd);
        let r = run_with(cmd, None, Duration::from_secs(20));
        let v: serde_json::Value = serde_json::from_str(&r.stdout)
            .unwrap_or_else(|e| panic!("{:?}: not JSON ({e}): {}", case.config, r.stdout));
        let errors: Vec<String> = validator
            .iter_errors(&v)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{:?}: {errors:#?}", case.config);
        let list = v.as_array().unwrap();
        let mut prints: Vec<&str> = list
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        prints.sort();
        prints.dedup();
        assert_eq!(
            prints.len(),
            list.len(),
            "{:?}: fingerprints are not unique",
            case.config
        );
        issues += list.len();
    }
    assert!(issues > 50, "only {issues} issues checked");
}

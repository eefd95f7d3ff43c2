//! The human format as a user's terminal shows it: the severity in words (`error[rule-id]`),
//! ASCII when the locale cannot show Unicode, wrapping to `COLUMNS` without splitting a code span.

mod common;

use common::{command, run_with, scratch, write};
use std::time::Duration;

const CONFIG: &str = "\
repo-allowlist: github.com/acme/*
gh-user: atlantis-bot
gh-token-file: /var/run/secrets/atlantis/gh-token
allow-commands: plan, apply, unlock
";

fn human(env: &[(&str, &str)]) -> String {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = scratch(&format!("human-format-{n}"));
    write(&dir, "atlantis.yaml", CONFIG);
    let mut cmd = command();
    cmd.current_dir(&dir)
        .args(["--format", "human", "atlantis.yaml"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let run = run_with(cmd, None, Duration::from_secs(20));
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.stdout
}

#[test]
fn severity_in_words_and_rule_id_head_each_diagnostic() {
    let out = human(&[("LANG", "C.UTF-8")]);
    assert!(
        out.contains(
            "\nerror[allow-commands]: allow-commands entries must not contain spaces: ` apply`, ` unlock`\n"
        ),
        "{out}"
    );
    assert!(
        out.starts_with("warning[missing-webhook-secret]: "),
        "{out}"
    );
    assert!(out.contains("╭─["), "{out}");
}

#[test]
fn a_locale_without_utf8_gets_ascii() {
    for locale in [
        ("LC_ALL", "C"),
        ("LANG", "POSIX"),
        ("LC_CTYPE", "en_US.ISO-8859-1"),
    ] {
        let out = human(&[locale]);
        assert!(out.is_ascii(), "{locale:?}:\n{out}");
        assert!(out.contains(",-[") && out.contains("^^^"), "{out}");
    }
    // LC_ALL wins over LANG, as in POSIX.
    assert!(human(&[("LANG", "C"), ("LC_ALL", "en_US.UTF-8")]).contains("╭─["));
    // No locale at all (a bare container): Unicode.
    assert!(human(&[]).contains("╭─["));
}

#[test]
fn columns_sets_the_width_and_code_spans_stay_whole() {
    let out = human(&[("COLUMNS", "50")]);
    assert!(
        out.contains("\nerror[allow-commands]: allow-commands entries must\n  not contain spaces: ` apply`, ` unlock`\n"),
        "{out}"
    );
    for line in out.lines() {
        // Source lines are never wrapped; text lines are.
        if !line.contains('│') && !line.contains('·') {
            assert!(line.chars().count() <= 50, "too long: {line}");
        }
        assert_eq!(
            line.matches('`').count() % 2,
            0,
            "a code span split: {line}"
        );
    }
}

/// The header's `file:line:column` counts characters, as the JSON, SARIF and every editor do:
/// miette alone counts bytes, so a line with `—` or `é` before the finding was off.
#[test]
fn the_header_column_counts_characters() {
    let dir = scratch("human-format-columns");
    write(&dir, "atlantis.yaml", "gh-user: \"——é\" x\n");
    let mut cmd = command();
    cmd.current_dir(&dir)
        .args(["--format", "human", "atlantis.yaml"]);
    let human = run_with(cmd, None, Duration::from_secs(20));
    let mut cmd = command();
    cmd.current_dir(&dir)
        .args(["--format", "json", "atlantis.yaml"]);
    let json = run_with(cmd, None, Duration::from_secs(20));
    let d = &json.diags()[0];
    assert_eq!(
        (d["source"]["line"].as_u64(), d["source"]["column"].as_u64()),
        (Some(1), Some(16)),
        "{d}"
    );
    assert!(
        human.stdout.contains("atlantis.yaml:1:16]"),
        "{}",
        human.stdout
    );
}

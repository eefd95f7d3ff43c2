//! Hostile and odd input, fed to the real binary: every case ends in bounded time and memory
//! with a clear finding or error and a documented exit status, never a panic.

mod common;

use common::*;
use std::time::Duration;

/// An otherwise valid config (no secret needed: the token comes from a file).
const BASE: &str = "atlantis-url: https://atlantis.example.com
repo-allowlist: github.com/acme/*
gh-user: atlantis-bot
gh-token-file: /var/run/secrets/atlantis/gh-token
gh-webhook-secret: \"Zb6Xq2mN8vL4tR1yK9wP3sD7fH5jC0aE\"
";

fn lint_file(dir: &str, name: &str, bytes: impl AsRef<[u8]>) -> Run {
    let dir = scratch(dir);
    let path = write(&dir, name, bytes);
    run(&["--format", "json", "--today", "2026-11-29", &path])
}

/// The first diagnostic of `rule`, or a panic listing what was found.
fn find(diags: &[serde_json::Value], rule: &str) -> serde_json::Value {
    diags
        .iter()
        .find(|d| d["rule"] == rule)
        .cloned()
        .unwrap_or_else(|| panic!("no {rule} finding in {diags:#?}"))
}

fn pos(d: &serde_json::Value) -> (u64, u64, u64, u64) {
    let s = &d["source"];
    (
        s["line"].as_u64().unwrap(),
        s["column"].as_u64().unwrap(),
        s["end_line"].as_u64().unwrap_or(0),
        s["end_column"].as_u64().unwrap_or(0),
    )
}

/// Every diagnostic about a file points inside it: 1 <= line <= lines, 1 <= column <= width + 1.
fn assert_positions_inside(run: &Run, text: &str) {
    let lines: Vec<&str> = text.split('\n').collect();
    for d in run.diags() {
        let s = &d["source"];
        if s["kind"] != "file" {
            continue;
        }
        for (l, c) in [("line", "column"), ("end_line", "end_column")] {
            let line = s[l].as_u64().unwrap() as usize;
            let col = s[c].as_u64().unwrap() as usize;
            assert!(line >= 1 && line <= lines.len(), "{l} {line} outside: {d}");
            let width = lines[line - 1].chars().count();
            assert!(
                col >= 1 && col <= width + 1,
                "{c} {col} outside line {line}: {d}"
            );
        }
    }
}

#[test]
fn billion_laughs_is_refused_like_yaml_v3_does() {
    let mut text = String::from(BASE);
    text.push_str(
        "lol0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        text.push_str(&format!(
            "lol{i}: &a{i} [{}]\n",
            [prev.as_str(); 9].join(",")
        ));
    }
    let r = lint_file("bomb", "bomb.yaml", &text);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let d = find(&r.diags(), "yaml-syntax");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("excessive aliasing"),
        "{d}"
    );
    assert_eq!(pos(&d).0, 7, "points at the first alias: {d}");
    assert!(r.elapsed < Duration::from_secs(5), "{:?}", r.elapsed);
}

#[test]
fn merge_key_bomb_stays_linear() {
    let mut text = String::from(BASE);
    text.push_str("m0: &m0 {gh-user: x}\n");
    for i in 1..12 {
        let prev = format!("*m{}", i - 1);
        text.push_str(&format!(
            "m{i}: &m{i} {{<<: [{}]}}\n",
            [prev.as_str(); 9].join(",")
        ));
    }
    text.push_str("<<: *m11\n");
    let r = lint_file("mergebomb", "m.yaml", &text);
    assert_eq!(r.code, 1);
    assert!(r.rules().contains(&"yaml-syntax".to_string()));
    assert!(r.elapsed < Duration::from_secs(5), "{:?}", r.elapsed);

    // Below yaml.v3's aliasing guard, repeated merges are still read once each.
    let mut text = String::from("base: &b {gh-user: atlantis-bot}\n");
    text.push_str(&format!("<<: [{}]\n", ["*b"; 50].join(", ")));
    let r = lint_file("mergebomb2", "m.yaml", &text);
    assert!(
        !r.rules().contains(&"yaml-syntax".to_string()),
        "{}",
        r.stdout
    );
}

#[test]
fn deep_nesting_is_a_syntax_error() {
    for (name, text) in [
        ("flow.yaml", format!("{BASE}x: {}\n", "[".repeat(100_000))),
        (
            "flowmap.yaml",
            format!("{BASE}x: {}\n", "{a: ".repeat(50_000)),
        ),
        (
            "block.yaml",
            (0..3000)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect(),
        ),
    ] {
        let r = lint_file("deep", name, &text);
        assert_eq!(r.code, 1, "{name}");
        let d = find(&r.diags(), "yaml-syntax");
        assert_eq!(d["severity"], "error");
        assert!(
            r.elapsed < Duration::from_secs(10),
            "{name}: {:?}",
            r.elapsed
        );
        assert_positions_inside(&r, &text);
    }
}

#[test]
fn oversized_input_is_refused_with_exit_2() {
    // 50 MB: Atlantis would read it; the linter refuses anything over 10 MiB, quickly.
    let dir = scratch("big");
    let line = "# padding padding padding padding padding padding padding padding padding\n";
    let big = line.repeat(50_000_000 / line.len());
    let path = write(&dir, "big.yaml", format!("{BASE}{big}"));
    let ok = write(&dir, "ok.yaml", BASE);
    let r = run(&["--format", "json", &path, &ok]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("larger than 10 MiB"), "{}", r.stderr);
    // The other file is still linted.
    assert_eq!(r.json()["summary"]["errors"], 0);
    assert!(r.elapsed < Duration::from_secs(5));

    let mut cmd = command();
    cmd.args(["--format", "json", "-"]);
    let r = run_with(cmd, Some(big.as_bytes()), Duration::from_secs(20));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("<stdin> is larger than 10 MiB"),
        "{}",
        r.stderr
    );

    let env = write(&dir, "big.env", big.as_bytes());
    let r = run(&["--env-file", &env]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("larger than 10 MiB"), "{}", r.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn one_megabyte_config_is_linted() {
    let mut text = String::from(BASE);
    let mut i = 0;
    while text.len() < 1_000_000 {
        text.push_str(&format!(
            "# note {i}: a long comment line to fill the file up\n"
        ));
        i += 1;
    }
    text.push_str("gh-tokn: x\n");
    let r = lint_file("onemb", "big.yaml", &text);
    assert_eq!(r.code, 1);
    let d = find(&r.diags(), "unknown-key");
    assert_eq!(pos(&d).0 as usize, text.lines().count());
}

#[test]
fn binary_and_invalid_utf8() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let r = lint_file("binary", "bin.yaml", &bytes);
    assert_eq!(r.code, 1);
    let d = find(&r.diags(), "yaml-syntax");
    assert!(
        d["message"].as_str().unwrap().contains("not valid UTF-8"),
        "{d}"
    );

    // Valid UTF-8 full of control characters.
    let bytes: Vec<u8> = (0..128u8).cycle().take(4096).collect();
    let r = lint_file("binary2", "ctl.yaml", &bytes);
    assert_eq!(r.code, 1);
    find(&r.diags(), "yaml-syntax");

    // Invalid UTF-8 on line 3, after 4 valid characters (one of them two bytes long).
    let mut bytes =
        b"gh-user: atlantis-bot\nrepo-allowlist: github.com/acme/*\nx: \xc3\xa9".to_vec();
    bytes.extend_from_slice(b"\xff\xfe\n");
    let r = lint_file("utf8", "bad.yaml", &bytes);
    assert_eq!(r.code, 1);
    let d = find(&r.diags(), "yaml-syntax");
    assert_eq!((pos(&d).0, pos(&d).1), (3, 5), "{d}");
}

#[test]
fn byte_order_mark_does_not_shift_columns() {
    let text = format!("\u{feff}gh-tokn: x\n{BASE}");
    let r = lint_file("bom", "bom.yaml", &text);
    assert_eq!(r.code, 1);
    let d = find(&r.diags(), "unknown-key");
    assert_eq!(pos(&d), (1, 1, 1, 8), "{d}");
}

#[test]
fn crlf_positions_are_exact() {
    let text = format!("{BASE}port: abc\ngh-tokn: x\n").replace('\n', "\r\n");
    let r = lint_file("crlf", "crlf.yaml", &text);
    assert_eq!(r.code, 1);
    let diags = r.diags();
    // `port: abc`: the value is columns 7..10 on line 6, without the `\r`.
    assert_eq!(pos(&find(&diags, "invalid-type")), (6, 7, 6, 10));
    assert_eq!(pos(&find(&diags, "unknown-key")), (7, 1, 7, 8));
    assert_positions_inside(&r, &text.replace('\r', ""));

    // A CRLF env file.
    let dir = scratch("crlf-env");
    let env = write(
        &dir,
        "a.env",
        "ATLANTIS_GH_USER=atlantis-bot\r\nATLANTIS_PORT=abc\r\n",
    );
    let r = run(&["--format", "json", "--env-file", &env]);
    let d = find(&r.diags(), "invalid-type");
    assert_eq!(d["source"]["line"], 2);
    assert_eq!(d["source"]["column"], 15, "{d}");
}

#[test]
fn tabs() {
    // yaml.v3 accepts a tab after `:`, so this is clean.
    let text = BASE.replace("gh-user: ", "gh-user:\t");
    let r = lint_file("tabs", "a.yaml", &text);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        !r.rules().contains(&"yaml-syntax".to_string()),
        "{}",
        r.stdout
    );
    // A tab as indentation is an error (in yaml.v3 too).
    let text = format!("{BASE}webhooks:\n\t- event: apply\n");
    let r = lint_file("tabs2", "a.yaml", &text);
    assert_eq!(r.code, 1);
    let d = find(&r.diags(), "yaml-syntax");
    assert_eq!(pos(&d).0, 7, "{d}");
}

#[test]
fn empty_comment_only_and_multi_document() {
    for (name, text) in [("empty.yaml", ""), ("comments.yaml", "# a\n# b\n\n")] {
        let r = lint_file("empty", name, text);
        // Nothing to parse wrongly: no syntax finding, only what is missing (errors Atlantis
        // reports too).
        let rules = r.rules();
        assert!(
            rules.contains(&"no-vcs-credentials".to_string()),
            "{name}: {rules:?}"
        );
        assert!(
            !rules.contains(&"yaml-syntax".to_string()),
            "{name}: {rules:?}"
        );
        assert_eq!(r.code, 1);
    }
    let text = format!("{BASE}---\ngh-tokn: x\n");
    let r = lint_file("multi", "multi.yaml", &text);
    let d = find(&r.diags(), "yaml-syntax");
    assert_eq!(d["severity"], "warning");
    assert_eq!(pos(&d).0, 6);
    // The second document is not read.
    assert!(!r.rules().contains(&"unknown-key".to_string()));
    assert_eq!(r.code, 0);
}

#[test]
fn env_file_oddities() {
    let dir = scratch("envfile");
    let long = "x".repeat(200_000);
    let text = format!(
        "export ATLANTIS_GH_USER=atlantis-bot\n\
         ATLANTIS_REPO_ALLOWLIST=\"github.com/acme/*\"\n\
         ATLANTIS_ATLANTIS_URL=https://atlantis.example.com/?a=b=c\n\
         ATLANTIS_GH_TOKEN_FILE=/run/gh-token\n\
         ATLANTIS_GH_WEBHOOK_SECRET\n\
         OTHER_TOOL_SETTING={long}\n\
         ATLANTIS_GH_ORG={long}\n"
    );
    let env = write(&dir, "a.env", &text);
    let r = run(&["--format", "json", "--env-file", &env]);
    assert!(r.code <= 1);
    assert!(r.elapsed < Duration::from_secs(10));
    for d in r.diags() {
        let s = &d["source"];
        if s["kind"] == "env-file" {
            let line = s["line"].as_u64().unwrap();
            assert!((1..=7).contains(&line), "{d}");
        }
        // The long value is never echoed whole.
        assert!(!d.to_string().contains(&long[..1000]), "{d}");
    }
    let human = run(&["--env-file", &env]);
    assert!(human.code <= 1);
}

#[test]
fn command_line_oddities() {
    let cases: &[&[&str]] = &[
        // Repeated flags: the last one wins, as in pflag.
        &["--gh-user", "a", "--gh-user", "atlantis-bot"],
        // `--` inside values and as a value.
        &["--gh-user=--", "--repo-allowlist", "--", "--port", "4141"],
        &[
            "--atlantis-url",
            "https://a.example.com/--x",
            "--gh-user",
            "-",
        ],
        // Unknown flags, single-dash flags, stray words.
        &[
            "--no-such-flag",
            "--gh-usr",
            "bob",
            "-gh-user",
            "stray",
            "-",
        ],
        // Missing values at the end.
        &["--gh-user"],
        &["--gh-user="],
        &["server", "server", "--port"],
        // Empty and odd words.
        &["", " ", "--", "--=x", "---", "--\u{202e}evil"],
    ];
    for args in cases {
        let mut all = vec!["--format", "json", "--"];
        all.extend_from_slice(args);
        let r = run(&all);
        assert!(r.code <= 1, "{args:?}: {}", r.stderr);
        for d in r.diags() {
            if d["source"]["kind"] == "argv" {
                let index = d["source"]["index"].as_u64().unwrap() as usize;
                assert!(index < args.len(), "{args:?}: {d}");
            }
        }
        let human = {
            let mut all = vec!["--"];
            all.extend_from_slice(args);
            run(&all)
        };
        assert_eq!(human.code, r.code, "{args:?}");
    }
    let r = run(&[
        "--format",
        "json",
        "--",
        "--gh-user",
        "a",
        "--gh-user",
        "b",
        "--gh-tokn",
    ]);
    let d = find(&r.diags(), "unknown-key");
    assert_eq!(d["source"]["index"], 4);
}

#[test]
fn a_panic_prints_one_clean_line_and_exits_3() {
    for backtrace in ["0", "1", "full"] {
        let mut cmd = command();
        cmd.env("__ATLINT_TEST_PANIC", "payload-Zq8vK2mX9pL4")
            .env("RUST_BACKTRACE", backtrace)
            .env(
                "ATLANTIS_GH_TOKEN",
                "ghp_secretSecretSecret0123456789abcdef",
            )
            .args(["--env", "--format", "json"]);
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{stderr}");
        assert!(out.stdout.is_empty());
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with("atlantis-lint: internal error"),
            "{stderr}"
        );
        assert!(stderr.contains("exit status 3"), "{stderr}");
        for leak in ["payload", "Zq8vK2mX9pL4", "ghp_", "backtrace", "panicked"] {
            assert!(!stderr.contains(leak), "{leak} in {stderr}");
        }
    }
    let help = command().arg("--help").output().unwrap();
    assert!(
        String::from_utf8_lossy(&help.stdout).contains("3  internal error"),
        "exit status 3 is documented in --help"
    );
}

#[test]
fn directories_missing_files_and_stdin() {
    let dir = scratch("misc");
    let r = run(&[dir.to_str().unwrap()]);
    assert!(r.code == 2 || r.code == 0 || r.code == 1, "{}", r.stderr);
    let r = run(&["/nonexistent/atlantis.yaml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no such file"), "{}", r.stderr);
    let mut cmd = command();
    cmd.args(["--format", "json", "--stdin-filename", "in.yaml", "-"]);
    let r = run_with(cmd, Some(b"gh-tokn: x\n"), Duration::from_secs(20));
    assert_eq!(find(&r.diags(), "unknown-key")["source"]["path"], "in.yaml");
}

#[test]
fn control_characters_never_reach_the_terminal() {
    // A key with an escape sequence, a bare CR and a newline that would start a GitHub
    // workflow command; a bidi override in a value.
    let text = format!(
        "{BASE}\"x\\e]0;pwned\\a\\r::error::injected\\n::warning::injected\": 1\nport: \"41\u{202e}41\"\n"
    );
    let dir = scratch("ctl");
    let path = write(&dir, "ctl.yaml", &text);
    for format in ["human", "json"] {
        let r = run(&["--format", format, "--color", "never", &path]);
        assert_eq!(r.code, 1, "{}", r.stdout);
        for (stream, out) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
            assert!(
                !out.chars().any(|c| (c.is_control() && c != '\n')
                    || matches!(c, '\u{202e}' | '\u{2028}' | '\u{200b}')),
                "{format} {stream}: {out:?}"
            );
            assert!(
                !out.lines().any(|l| l.trim_start().starts_with("::")),
                "{format} {stream}: {out}"
            );
        }
    }
    // Command-line words and env values too.
    let r = run(&["--", "--gh-user", "a\u{1b}[2J", "--x\u{1b}]0;t\u{7}"]);
    assert!(!r.stdout.contains('\u{1b}'), "{:?}", r.stdout);
}

#[test]
fn thousands_of_findings_stay_fast() {
    // 5,000 unknown keys: the first 100 are listed with a snippet, one more finding counts the
    // rest. Rendering used to rescan the whole file for every snippet (quadratic); the 20 s
    // limit of `run` guards against that.
    let mut text = String::from(BASE);
    for i in 0..5_000 {
        text.push_str(&format!("custom-setting-{i}: \"value {i}\"\n"));
    }
    let dir = scratch("many");
    let path = write(&dir, "many.yaml", &text);
    let r = run(&["--format", "json", &path]);
    assert_eq!(r.code, 1);
    let unknown: Vec<_> = r
        .diags()
        .into_iter()
        .filter(|d| d["rule"] == "unknown-key")
        .collect();
    assert_eq!(unknown.len(), 101);
    let more = unknown.last().unwrap();
    assert!(
        more["message"]
            .as_str()
            .unwrap()
            .starts_with("4900 more unknown-key findings in"),
        "{more}"
    );
    assert_eq!(pos(more).0, 106, "points at the first one left out: {more}");
    assert_eq!(more["severity"], "error");
    assert_positions_inside(&r, &text);
    let human = run(&["--color", "never", &path]);
    let tail: String = human
        .stdout
        .chars()
        .skip(human.stdout.chars().count().saturating_sub(400))
        .collect();
    assert!(human.stdout.contains("105 │ custom-setting-99:"), "{tail}");
    assert!(
        human.stdout.contains("4900 more unknown-key findings"),
        "{tail}"
    );
}

#[test]
fn a_closed_standard_output_is_no_internal_error() {
    // `atlantis-lint rules | head -1`: the reader goes away before the output is written.
    for args in [&["rules"][..], &["rules", "--format", "json"], &["--help"]] {
        let mut child = command()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("internal error"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(3), "{args:?}: {stderr}");
    }
}

// ---- The accuracy checks of issue 12: huge lists, odd Unicode, empty values. ----

/// A huge repo-allowlist of every kind of entry: bounded time, every finding inside the file.
#[test]
fn huge_and_odd_repo_allowlists() {
    let mut entries = Vec::new();
    for i in 0..20_000 {
        entries.push(match i % 8 {
            0 => format!("github.com/acme/repo-{i}"),
            1 => format!("acme-{i}"),
            2 => format!("github.com/owner-{i}"),
            3 => "github.com/*/*".to_string(),
            4 => String::new(),
            5 => format!("ğıthüb.çom/ağ/{i}"),
            6 => format!("!github.com/acme/{i}"),
            _ => format!("*{i}*"),
        });
    }
    let text = format!(
        "atlantis-url: https://atlantis.example.com\nrepo-allowlist: \"{}\"\ngh-user: atlantis-bot\ngh-token-file: /run/gh-token\n",
        entries.join(",")
    );
    let r = lint_file("allowlist-huge", "a.yaml", &text);
    assert_sane(&r, "a huge allowlist");
    assert!(r.elapsed < Duration::from_secs(15), "{:?}", r.elapsed);
    assert!(r.rules().iter().any(|x| x == "repo-allowlist-entry"));
    assert_positions_inside(&r, &text);
    // Only odd entries: no entry can match, every finding is an error.
    for list in [
        "\u{202e}acme",
        "🦀",
        " ",
        ",,,",
        "*\u{0}*",
        "ａｃｍｅ/ｒｅｐｏ",
    ] {
        let text = format!(
            "repo-allowlist: {list:?}\ngh-user: atlantis-bot\ngh-token-file: /run/gh-token\n"
        );
        let r = lint_file("allowlist-odd", "a.yaml", &text);
        assert_sane(&r, list);
        assert_positions_inside(&r, &text);
    }
}

/// Env files with thousands of repeated variables and odd names: one duplicate finding per
/// repetition, a bounded message (the lost value is cut, never echoed whole), no panic.
#[test]
fn env_file_repetitions_and_odd_lines() {
    let dir = scratch("envfile-dups");
    let long = "v".repeat(100_000);
    let mut text =
        String::from("ATLANTIS_REPO_ALLOWLIST=github.com/acme/*\nATLANTIS_GH_USER=bot\n");
    for i in 0..3_000 {
        text.push_str(&format!("ATLANTIS_GH_ORG=org-{i}\n"));
    }
    text.push_str(&format!("ATLANTIS_GH_ORG={long}\nATLANTIS_GH_ORG=\n"));
    text.push_str("export ATLANTIS_ÜBER=1\nATLANTIS_😀 =x\n =\n=\nexport\nATLANTIS_\n");
    let env = write(&dir, "a.env", &text);
    let r = run(&["--format", "json", "--env-file", &env]);
    assert_sane(&r, "repeated env vars");
    assert!(r.elapsed < Duration::from_secs(15));
    // 100 listed, and one more that counts the rest (3,001 repetitions in all).
    let dups = r.rules().iter().filter(|x| *x == "duplicate-key").count();
    assert_eq!(dups, 101, "{dups}");
    assert!(
        r.stdout.contains("2901 more duplicate-key findings"),
        "{}",
        r.stdout
    );
    // The summary counts them too, so that a consumer of the JSON is not told 101.
    assert_eq!(
        r.json()["summary"]["not_listed"],
        2901,
        "{}",
        r.json()["summary"]
    );
    assert!(!r.stdout.contains(&long[..100]));
    let human = run(&["--color", "never", "--env-file", &env]);
    assert_sane(&human, "repeated env vars (human)");
    assert!(
        human.stdout.contains("(2901 more not listed) in 1 config"),
        "{}",
        &human.stdout[human.stdout.len().saturating_sub(300)..]
    );
    let sarif = run(&["--format", "sarif", "--env-file", &env]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["properties"]["notListed"], 2901);
}

/// A language catalog beside the config that is huge, binary, empty or full of odd keys.
#[test]
fn odd_language_catalogs() {
    let many: String = (0..20_000).map(|i| format!("ключ_{i}: x\n")).collect();
    for (name, catalog) in [
        ("empty", Vec::new()),
        ("binary", vec![0u8, 159, 146, 150, 255, 0, 10]),
        ("many", many.into_bytes()),
        (
            "deep",
            format!("{}x{}", "[".repeat(5_000), "]".repeat(5_000)).into_bytes(),
        ),
        (
            "odd",
            "\u{feff}command_titles:\n  \u{202e}plan: \"\u{0}\"\n\u{1F980}: 1\n"
                .as_bytes()
                .to_vec(),
        ),
        (
            "huge-scalar",
            format!("pull_request_label: {}\n", "x".repeat(2_000_000)).into_bytes(),
        ),
    ] {
        let dir = scratch(&format!("catalog-{name}"));
        write(&dir, "messages.yaml", &catalog);
        let text = format!("{BASE}language-config-file: messages.yaml\n");
        let path = write(&dir, "atlantis.yaml", &text);
        let r = run(&["--format", "json", &path]);
        assert_sane(&r, name);
        assert!(
            r.elapsed < Duration::from_secs(15),
            "{name}: {:?}",
            r.elapsed
        );
        assert_positions_inside(&r, &text);
    }
}

/// Repo configs for enable-external-stores: broken, odd, huge; the store type is never echoed
/// unless it is a plain word.
#[test]
fn odd_repo_configs_for_external_stores() {
    let secretish = "qzT0pS3cr3tV4lu3Xw9Kd2Lm";
    for (name, json) in [
        ("empty", String::new()),
        ("broken", "{\"external_stores\":".to_string()),
        ("list", "[1,2,3]".to_string()),
        (
            "odd-type",
            format!("{{\"external_stores\":{{\"plan_store\":{{\"type\":\"{secretish}/ü\"}}}}}}"),
        ),
        ("null", "{\"external_stores\":null}".to_string()),
        (
            "huge",
            format!(
                "{{\"repos\":[{}]}}",
                vec!["{\"id\":\"/.*/\"}"; 10_000].join(",")
            ),
        ),
    ] {
        let text = format!(
            "{BASE}enable-external-stores: true\nrepo-config-json: {}\n",
            serde_json::to_string(&json).unwrap()
        );
        let r = lint_file(&format!("stores-{name}"), "a.yaml", &text);
        assert_sane(&r, name);
        assert!(
            r.elapsed < Duration::from_secs(15),
            "{name}: {:?}",
            r.elapsed
        );
        assert!(!r.stdout.contains(secretish), "{name}");
        assert_positions_inside(&r, &text);
    }
}

/// Many drift webhooks, and empty or odd values in every new value check.
#[test]
fn drift_webhooks_and_odd_values() {
    let mut text = format!("{BASE}enable-drift-detection: true\nwebhooks:\n");
    for i in 0..5_000 {
        text.push_str(&format!(
            "  - event: drift\n    kind: {}\n    branch-regex: \"((\"\n",
            if i % 2 == 0 { "http" } else { "sláck" }
        ));
    }
    let r = lint_file("drift-many", "a.yaml", &text);
    assert_sane(&r, "5,000 drift webhooks");
    assert!(r.elapsed < Duration::from_secs(15));
    // 100 listed, and one more that counts the other 4,900.
    assert_eq!(r.rules().iter().filter(|x| *x == "webhooks").count(), 101);
    assert!(r.stdout.contains("4900 more webhooks findings"));

    for value in [
        "",
        "\"\"",
        "'\"\"'",
        "\"\u{202e}\"",
        "🦀@🦀.🦀",
        "@",
        "a@b",
        "0000",
        "\"'\"",
        "''''",
    ] {
        let text = format!(
            "atlantis-url: {value}\nrepo-allowlist: github.com/acme/*\ngh-user: {value}\ngh-token-file: {value}\n\
             gh-webhook-secret: {value}\ngh-hostname: {value}\nlanguage-config-file: {value}\nredis-host: {value}\n"
        );
        let r = lint_file("odd-values", "a.yaml", &text);
        assert_sane(&r, value);
        assert_positions_inside(&r, &text);
    }
}

#[test]
fn megabytes_of_unknown_keys_stay_bounded() {
    // 2 MiB of one unknown key per line: the report lists 100 and
    // counts the rest, in every format, within the 1 GiB memory limit of `command`.
    let mut text = String::from(BASE);
    let mut i = 0;
    while text.len() < 2 * 1024 * 1024 {
        text.push_str(&format!("k{i}: 1\n"));
        i += 1;
    }
    let dir = scratch("huge-unknown");
    let path = write(&dir, "many.yaml", &text);
    for format in ["json", "sarif", "human", "github"] {
        let mut cmd = command();
        cmd.args(["--format", format, &path]);
        let r = run_with(cmd, None, Duration::from_secs(120));
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(
            r.stdout.len() < 1_000_000,
            "{format}: {} bytes",
            r.stdout.len()
        );
        assert!(
            r.stdout
                .contains(&format!("{} more unknown-key findings", i - 100)),
            "{format}"
        );
    }
}

#[test]
fn periodic_secret_values_are_redacted_in_linear_time() {
    // A periodic secret made the redactor's automaton build quadratic (20 KB of `ab`: 20 s);
    // up to 64 KB (where a secret is also searched piece by piece) every overlapping piece then
    // widened to its whole word again (64 KB: 55 s). Both sizes, each twice in the file.
    let dir = scratch("periodic");
    for size in [32_000, 100_000] {
        let secret = "ab".repeat(size);
        let text = format!("{BASE}gh-token: {secret}\nvcs-status-name: x{secret}\n");
        let path = write(&dir, &format!("periodic-{size}.yaml"), &text);
        let mut cmd = command();
        cmd.args(["--format", "json", &path]);
        let r = run_with(cmd, None, Duration::from_secs(30));
        assert_eq!(r.code, 1, "{}", r.stderr); // gh-token and gh-token-file conflict
        assert!(
            !r.stdout.contains("abababab"),
            "{}",
            &r.stdout[..2000.min(r.stdout.len())]
        );
    }
}

#[test]
fn a_label_past_column_65535_is_shown() {
    // A minified JSON config: miette panicked drawing a label past column 65535 (exit 3).
    let text = format!(
        "{{\"gh-user\": \"bot\", \"repo-allowlist\": \"github.com/a/*\", \"x\": \"{}\", \"gh-tokn\": 1}}",
        "a".repeat(70_000)
    );
    let dir = scratch("wide");
    let path = write(&dir, "wide.json", &text);
    let r = run(&["--color", "never", &path]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // The column the JSON gives too (it read 70067 while the header counted the `…` of the
    // excerpt as its three bytes).
    assert!(r.stdout.contains("wide.json:1:70065]"), "{}", r.stdout);
    assert!(r.stdout.contains("…aaaa"), "an excerpt of the line");
    assert!(r.stdout.lines().all(|l| l.chars().count() < 400));
    // A long command line too.
    let long = format!("--repo-allowlist={}", "x".repeat(70_000));
    let r = run(&["--color", "never", "--", "server", &long, "--gh-tokn=1"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("unknown flag: --gh-tokn"), "{}", r.stdout);
}

fn mkfifo(path: &std::path::Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "mkfifo {}", path.display());
}

#[test]
fn fifos_never_block() {
    let dir = scratch("fifo");
    let fifo = dir.join("pipe.yaml");
    mkfifo(&fifo);
    write(&dir, "atlantis.yaml", BASE);
    // A directory search skips it.
    let mut cmd = command();
    cmd.args(["--format", "json", dir.to_str().unwrap()]);
    let r = run_with(cmd, None, Duration::from_secs(10));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A token or key file that is a FIFO is not read, with or without --check-files.
    let token = dir.join("token");
    mkfifo(&token);
    let cfg = write(
        &dir,
        "fifo-token.yml",
        format!(
            "{}gh-app-id: 1\ngh-app-key-file: {}\n",
            BASE.replace(
                "/var/run/secrets/atlantis/gh-token",
                token.to_str().unwrap()
            ),
            token.display()
        ),
    );
    for extra in [&[][..], &["--check-files"]] {
        let mut cmd = command();
        cmd.args(["--format", "json"]).args(extra).arg(&cfg);
        let r = run_with(cmd, None, Duration::from_secs(10));
        assert!(r.code <= 1, "{}", r.stderr);
    }
    // Files a configuration or a deployment names and the linter reads: a language file,
    // an external-stores repo config, a compose env file (a FIFO, or /dev/zero, which never
    // ends), and a discovered settings file that is a symlink to /dev/zero.
    let lang = write(
        &dir,
        "fifo-lang.yaml",
        format!(
            "{BASE}language-config-file: {}\nrepo-config: {}\nenable-external-stores: true\n",
            token.display(),
            token.display()
        ),
    );
    for endless in [token.to_str().unwrap(), "/dev/zero"] {
        let compose = write(
            &dir,
            "docker-compose.yml",
            format!(
                "services:\n  atlantis:\n    image: ghcr.io/runatlantis/atlantis:v0.28.1\n    env_file: [{endless}]\n    environment:\n      ATLANTIS_GH_USER: bot\n"
            ),
        );
        for file in [&lang, &compose] {
            let mut cmd = command();
            cmd.args(["--format", "json", "--check-files", file]);
            let r = run_with(cmd, None, Duration::from_secs(10));
            assert!(r.code <= 1, "{file} with {endless}: {}", r.stderr);
        }
    }
    #[cfg(unix)]
    {
        let sub = dir.join("settings-zero");
        std::fs::create_dir_all(&sub).unwrap();
        let _ = std::fs::remove_file(sub.join(".atlantis-lint.yaml"));
        std::os::unix::fs::symlink("/dev/zero", sub.join(".atlantis-lint.yaml")).unwrap();
        let cfg = write(&sub, "atlantis.yaml", BASE);
        // Discovery passes over it (it is no regular file); named, it is refused unread.
        let mut cmd = command();
        cmd.current_dir(&sub).args(["--format", "json", &cfg]);
        let r = run_with(cmd, None, Duration::from_secs(10));
        assert!(r.code <= 1, "{}", r.stderr);
        let mut cmd = command();
        cmd.current_dir(&sub).args([
            "--format",
            "json",
            "--settings",
            ".atlantis-lint.yaml",
            &cfg,
        ]);
        let r = run_with(cmd, None, Duration::from_secs(10));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
    }
}

#[test]
fn online_never_reads_an_endless_token_file() {
    if !command_supports_online() {
        return;
    }
    // `/dev/zero` as gh-token-file: never read (it is no regular file), no request sent.
    let text = BASE.replace("/var/run/secrets/atlantis/gh-token", "/dev/zero");
    let dir = scratch("devzero");
    let path = write(&dir, "zero.yaml", text);
    let mut cmd = command();
    cmd.args([
        "--format",
        "json",
        "--online",
        "--online-timeout",
        "2",
        &path,
    ]);
    let r = run_with(cmd, None, Duration::from_secs(30));
    assert!(r.code <= 1, "{}", r.stderr);
    let d = find(&r.diags(), "probe-unverifiable");
    assert!(
        d["message"].as_str().unwrap().contains("gh-token-file"),
        "{d}"
    );
}

fn command_supports_online() -> bool {
    options(&[]).iter().any(|(n, _)| n == "online")
}

#[test]
fn a_failed_write_to_standard_output_exits_2() {
    // A full disk: the output is lost, so the run fails (a clean exit would pass CI).
    let dir = scratch("full");
    let path = write(&dir, "a.yaml", BASE);
    for args in [
        vec!["rules"],
        vec!["rules", "--format", "json"],
        vec!["schema"],
        vec!["explain", "unknown-key"],
        vec!["--format", "json", &path],
        vec![&path],
        vec!["emit", "--to", "yaml", &path],
        vec!["--show-settings", &path],
        vec!["--help"],
        vec!["--version"],
        vec!["emit", "--help"],
    ] {
        let out = command()
            .args(&args)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn output_never_overwrites_an_input_or_follows_a_symlink() {
    let dir = scratch("output-guard");
    let cfg = write(&dir, "atlantis.yaml", BASE);
    let env = write(&dir, "a.env", "ATLANTIS_PORT=4141\n");
    for (target, args) in [
        (cfg.clone(), vec![cfg.clone()]),
        (
            env.clone(),
            vec!["--env-file".to_string(), env.clone(), cfg.clone()],
        ),
        (
            dir.to_str().unwrap().to_string() + "/./atlantis.yaml",
            vec![dir.to_str().unwrap().to_string()],
        ),
    ] {
        let before = std::fs::read(&target).unwrap();
        let mut cmd = command();
        cmd.args(["--format", "sarif", "--output", &target])
            .args(&args);
        let r = run_with(cmd, None, Duration::from_secs(20));
        assert_eq!(r.code, 2, "{target}: {}", r.stderr);
        assert!(r.stderr.contains("refusing to overwrite"), "{}", r.stderr);
        assert_eq!(
            std::fs::read(&target).unwrap(),
            before,
            "{target} untouched"
        );
    }
    // Files the run reads besides the named ones: the repos.yaml and the token file the config
    // names (beside it), and the settings file that applies.
    let sub = dir.join("named");
    std::fs::create_dir_all(&sub).unwrap();
    let repos = write(
        &sub,
        "repos.yaml",
        "repos:\n- id: /.*/\n  apply_requirements: [mergable]\n",
    );
    let token = write(&sub, "token", "qzNotARealTokenJustBytes\n");
    let settings = write(&sub, ".atlantis-lint.yaml", "rules: {}\n");
    let named = write(
        &sub,
        "server.yaml",
        "repo-allowlist: github.com/acme/*\nrepo-config: repos.yaml\ngh-user: bot\ngh-token-file: token\n",
    );
    for target in [&repos, &token, &settings] {
        let before = std::fs::read(target).unwrap();
        let mut cmd = command();
        cmd.current_dir(&sub)
            .args(["--format", "json", "--output", target, &named]);
        let r = run_with(cmd, None, Duration::from_secs(20));
        assert_eq!(r.code, 2, "{target}: {}", r.stderr);
        assert!(r.stderr.contains("refusing to overwrite"), "{}", r.stderr);
        assert_eq!(std::fs::read(target).unwrap(), before, "{target} untouched");
    }
    let link = dir.join("report.sarif");
    let victim = dir.join("victim");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let r = run(&[
        "--format",
        "sarif",
        "--output",
        link.to_str().unwrap(),
        &cfg,
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert!(!victim.exists());
}

#[test]
fn file_names_never_inject_workflow_commands_or_escapes() {
    // A committed file name with a newline starting a workflow command, an escape sequence
    // and a bidi override; with more than 10 findings, so that the github format also prints
    // plain lines past its annotation limit.
    let dir = scratch("names");
    let name = "x\n::error file=a::injected\u{1b}]0;t\u{7}\u{202e}\u{2028}\u{200b}.yaml";
    let mut text = String::from(BASE);
    for i in 0..12 {
        text.push_str(&format!("unknown-{i}: 1\n"));
    }
    write(&dir, name, &text);
    // An unreadable one too, for the stderr message.
    let bad = dir.join("y\n::error::injected\u{1b}[2J.yaml");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(bad.join("z.yaml"), "gh-user: [\n").unwrap();
    for format in ["human", "concise", "github", "json", "sarif"] {
        let r = run(&[
            "--format",
            format,
            "--color",
            "never",
            dir.to_str().unwrap(),
        ]);
        assert!(r.code <= 2, "{format}: {}", r.stderr);
        for (stream, out) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
            assert!(
                !out.chars().any(|c| (c.is_control() && c != '\n')
                    || matches!(c, '\u{202e}' | '\u{2028}' | '\u{200b}')),
                "{format} {stream}: {out:?}"
            );
            assert!(
                !out.lines()
                    .any(|l| l.trim_start().starts_with("::error file=a")
                        || l.trim_start().starts_with("::error::injected")),
                "{format} {stream}: {out}"
            );
        }
    }
    // An explicit path that cannot be read: the error on stderr is escaped too.
    let missing = dir.join("m\n::error::injected\u{1b}.yaml");
    let r = run(&[missing.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        !r.stderr.contains('\u{1b}') && !r.stderr.contains("\n::error"),
        "{:?}",
        r.stderr
    );
}

// ---- The server-side repo config and repo-level atlantis.yaml ----

/// Regexes that are pathological for a backtracking engine, in ids, branches, policy and output
/// filters, checked with the server's allowlist (so they are also matched): RE2 semantics, no
/// catastrophic backtracking.
#[test]
fn pathological_regexes_in_a_repo_config_are_linear() {
    let dir = scratch("repo-config-regex");
    write(&dir, "server.yaml", BASE);
    let nested = format!("/{}b/", "(a*)*".repeat(500));
    let long = format!("/{}/", "(a|aa)+".repeat(2000));
    let text = format!(
        "repos:\n- id: /(a+)+$/\n- id: /^(a|a?)+$/\n- id: '{nested}'\n- id: '{long}'\n- id: /^(([a-z])+.)+[A-Z]([a-z])+$/\n  branch: /(x+x+)+y/\n- id: /a{{1001}}/\npolicies:\n  policy_item_regex: '(a+)+$'\n  policy_sets:\n  - {{name: p, path: /p, policy_item_regex: '(.*a){{20}}'}}\nworkflows:\n  w:\n    plan:\n      steps:\n      - run: {{command: plan, output: [{{filter_regex: '(a|aa)*c'}}]}}\n"
    );
    let path = write(&dir, "repos.yaml", &text);
    let server = dir.join("server.yaml").to_string_lossy().into_owned();
    let start = std::time::Instant::now();
    let r = run(&["--format", "json", &server, &path]);
    assert_sane(&r, "pathological regexes");
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
    // RE2 refuses a repeat count above 1000, as Go does.
    let d = find(&r.diags(), "repo-config-repo-id");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("invalid repeat count"),
        "{d}"
    );
    assert_positions_inside(&r, &text);
}

/// A repos.yaml of 10,000 entries (and as many workflows and hooks): linted in bounded time,
/// every problem found.
#[test]
fn ten_thousand_repo_entries() {
    let mut text = String::from("repos:\n");
    for i in 0..10_000 {
        text.push_str(&format!(
            "- id: github.com/acme/repo-{i}\n  apply_requirements: [approved{}]\n  workflow: w{}\n  pre_workflow_hooks:\n  - run: ./hook.sh {i}\n",
            if i % 1000 == 0 { "x" } else { "" },
            i % 100
        ));
    }
    text.push_str("workflows:\n");
    for i in 0..100 {
        text.push_str(&format!("  w{i}:\n    plan:\n      steps: [init, plan]\n"));
    }
    let dir = scratch("repo-config-10k");
    write(&dir, "server.yaml", BASE);
    let path = write(&dir, "repos.yaml", &text);
    let server = dir.join("server.yaml").to_string_lossy().into_owned();
    let start = std::time::Instant::now();
    let r = run(&["--format", "json", &server, &path]);
    assert_sane(&r, "10,000 entries");
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    let n = r
        .rules()
        .iter()
        .filter(|x| *x == "repo-config-requirements")
        .count();
    assert_eq!(n, 10);
}

/// Anchors and merge keys shared across workflows and repos: read as yaml.v3 reads them (no
/// expansion cost); an alias bomb is refused as yaml.v3 refuses it.
#[test]
fn anchors_across_workflows() {
    let dir = scratch("repo-config-anchors");
    let text = "workflows:\n  base: &base\n    plan:\n      steps: &steps [init, plan, run]\n  a: *base\n  b:\n    <<: *base\n    apply:\n      steps: *steps\nrepos:\n- &repo {id: /.*/, workflow: a}\n- <<: *repo\n  id: github.com/acme/infra\n  workflow: missing\n";
    let path = write(&dir, "repos.yaml", text);
    let r = run(&["--format", "json", &path]);
    assert_sane(&r, "anchors");
    assert_eq!(r.code, 1);
    let steps: Vec<_> = r
        .diags()
        .into_iter()
        .filter(|d| d["rule"] == "repo-config-workflow-step")
        .collect();
    // The bare `run` of the shared list is reported where it is written.
    assert!(!steps.is_empty());
    assert!(steps.iter().all(|d| d["source"]["line"] == 4), "{steps:?}");
    let d = find(&r.diags(), "repo-config-undefined-workflow");
    assert_eq!(d["source"]["line"], 14);

    let mut bomb = String::from(
        "workflows:\n  w0: &a0 {plan: {steps: [init, plan, init, plan, init, plan, init, plan, init]}}\n",
    );
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        bomb.push_str(&format!(
            "  w{i}: &a{i} [{}]\n",
            [prev.as_str(); 9].join(",")
        ));
    }
    let path = write(&dir, "bomb.yaml", &bomb);
    let start = std::time::Instant::now();
    let r = run(&["--format", "json", &path]);
    assert_sane(&r, "alias bomb");
    assert!(start.elapsed().as_secs() < 10);
    let d = find(&r.diags(), "repo-config-syntax");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("excessive aliasing"),
        "{d}"
    );
}

/// A 5 MB repo-config-json: checked inside the server config in bounded time and memory,
/// positions inside the string.
#[test]
fn five_megabyte_repo_config_json() {
    let mut json = String::from("{\"repos\":[");
    let mut i = 0;
    while json.len() < 5 * 1024 * 1024 {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&format!(
            "{{\"id\":\"github.com/acme/repo-{i}\",\"apply_requirements\":[\"approved\",\"mergeable\"],\"allowed_overrides\":[\"workflow\"]}}"
        ));
        i += 1;
    }
    json.push_str(",{\"id\":\"/.*/\",\"apply_requirements\":[\"approve\"]}]}");
    let text = format!("{BASE}repo-config-json: '{json}'\n");
    let dir = scratch("repo-config-json-5mb");
    let path = write(&dir, "atlantis.yaml", &text);
    let mut cmd = command();
    cmd.args(["--format", "json", "--today", "2026-11-29", &path]);
    // A debug build on a shared machine takes several seconds; a release build well under one.
    let r = run_with(cmd, None, Duration::from_secs(120));
    assert_sane(&r, "5 MB repo-config-json");
    let d = find(&r.diags(), "repo-config-requirements");
    assert_eq!(d["source"]["line"], 6);
    assert_positions_inside(&r, &text);
}

/// Found by the `pipeline` fuzz target: a finding about a chart default points at the nearest
/// key the user wrote; when that key's text was two bytes longer than the value and began with
/// a multi-byte character, placing the finding sliced inside the character (exit 3). And the
/// fuzzer's own input, a values file that is not UTF-8, passed silently: Helm refuses it.
#[test]
fn fuzz_found_multibyte_key_and_invalid_utf8_values() {
    // `€rgAllowlist` is 14 bytes, `<replace-me>` (the chart's default) 12.
    let text = "€rgAllowlist: github.com/acme/*\natlantisUrl: https://atlantis.acme.example\nvcsSecretName: atlantis-vcs\ngithub:\n  user: atlantis-bot\n";
    let r = lint_file("fuzz-multibyte", "values.yaml", text);
    assert_sane(&r, "a multi-byte key");
    assert_eq!(r.code, 1, "{}", r.stdout);
    let d = find(&r.diags(), "placeholder-value");
    assert_eq!(pos(&d), (1, 1, 1, 13), "{d}");
    find(&r.diags(), "helm-unknown-value");
    assert_positions_inside(&r, text);

    // The fuzzer's input itself: invalid UTF-8 at the first byte.
    let mut bytes = b"\xfc".to_vec();
    bytes.extend_from_slice(&text.as_bytes()[3..]);
    let r = lint_file("fuzz-not-utf8", "values.yaml", &bytes);
    assert_sane(&r, "a values file that is not UTF-8");
    assert_eq!(r.code, 1, "{}", r.stdout);
    let d = find(&r.diags(), "yaml-syntax");
    assert_eq!((pos(&d).0, pos(&d).1), (1, 1), "{d}");
    assert!(d["help"].as_str().unwrap().contains("Helm refuses"), "{d}");
    assert_eq!(r.diags().len(), 1, "{}", r.stdout);
}

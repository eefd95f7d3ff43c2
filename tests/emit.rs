//! `atlantis-lint emit`: exact output of every form on representative configs, round trips
//! through every form Atlantis (and the linter) can read back, and no secret in any output
//! unless `--secrets include`.
//!
//! Expected outputs live beside the configs in `tests/data/emit/` (outside `fixtures/`, whose
//! harness lints every config it finds). Regenerate them with
//! `UPDATE_EXPECTED=1 cargo test --test emit`, then review the diff: the files are the spec.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn data() -> PathBuf {
    root().join("tests/data/emit")
}

/// The linter with a clean environment: no ATLANTIS_* of the test runner, no colour.
fn linter(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_atlantis-lint"));
    cmd.current_dir(dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("ATLANTIS_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("NO_COLOR", "1");
    cmd
}

fn emit(dir: &Path, args: &[&str]) -> Output {
    linter(dir)
        .arg("emit")
        .args(["--today", "2026-11-29"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Compares with `<name>.expected`, or writes it under UPDATE_EXPECTED.
fn expect(name: &str, actual: &str, failures: &mut Vec<String>) {
    let path = data().join(format!("{name}.expected"));
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        failures.push(format!(
            "{name}: output differs from {}\n--- expected\n{expected}--- actual\n{actual}",
            path.display()
        ));
    }
}

#[test]
fn representative_config_in_every_form() {
    let cases: &[(&str, &[&str])] = &[
        ("yaml", &["--to", "yaml"]),
        ("yaml-include", &["--to", "yaml", "--secrets", "include"]),
        ("json", &["--to", "json"]),
        ("dotenv-omit", &["--to", "dotenv", "--secrets", "omit"]),
        ("shell", &["--to", "shell"]),
        ("shell-include", &["--to", "shell", "--secrets", "include"]),
        ("flags", &["--to", "flags"]),
        ("flags-include", &["--to", "flags", "--secrets", "include"]),
        ("flags-lines", &["--to", "flags", "--one-per-line"]),
        (
            "flags-lines-include",
            &["--to", "flags", "--one-per-line", "--secrets", "include"],
        ),
        (
            "k8s-env",
            &["--to", "k8s-env", "--k8s-secret", "atlantis-vcs"],
        ),
    ];
    let mut failures = Vec::new();
    for (name, args) in cases {
        let out = emit(&data(), &[args, &["representative.yaml"][..]].concat());
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        // The deprecated key is reported on stderr, never mixed into the output.
        assert!(stderr(&out).contains("deprecated-key"), "{name}");
        expect(
            &format!("representative.{name}"),
            &stdout(&out),
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn layered_sources_resolve_like_atlantis() {
    // argv beats env beats file; an empty env var is unset; a service link falls back to the
    // default; `@` is trimmed from gh-user; an explicit `max-comments-per-command: 0` is kept.
    let case = cases_in(&data(), "emit")
        .into_iter()
        .find(|c| c.id == "emit/layered")
        .unwrap();
    let mut args = vec!["--to", "yaml"];
    args.extend(case.args.iter().map(String::as_str));
    let out = emit(&data(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut failures = Vec::new();
    expect("layered.yaml", &stdout(&out), &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dotenv_refuses_a_multi_line_key_and_names_the_file_flag() {
    for secrets in ["redact", "include"] {
        let out = emit(
            &data(),
            &[
                "--to",
                "dotenv",
                "--secrets",
                secrets,
                "representative.yaml",
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(stdout(&out), "");
        let err = stderr(&out);
        assert!(
            err.contains("`gh-app-key` cannot be written to an env file"),
            "{err}"
        );
        assert!(
            err.contains("`gh-app-key-file` (ATLANTIS_GH_APP_KEY_FILE)"),
            "{err}"
        );
    }
}

#[test]
fn webhooks_only_in_config_file_forms() {
    let mut failures = Vec::new();
    for (name, form) in [("yaml", "yaml"), ("json", "json")] {
        let out = emit(&data(), &["--to", form, "webhooks.yaml"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        expect(&format!("webhooks.{name}"), &stdout(&out), &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for form in ["dotenv", "shell", "flags", "k8s-env"] {
        let out = emit(&data(), &["--to", form, "webhooks.yaml"]);
        assert_eq!(out.status.code(), Some(1), "{form}");
        assert_eq!(stdout(&out), "", "{form}");
        assert!(
            stderr(&out).contains("`webhooks` cannot be written"),
            "{form}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn errors_stop_the_output_unless_allowed() {
    let dir = root().join("fixtures/err/invalid-type");
    let out = emit(&dir, &["--to", "yaml", "yaml-types.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("invalid-type"));
    assert!(stderr(&out).contains("nothing emitted"));

    let out = emit(&dir, &["--to", "yaml", "--allow-errors", "yaml-types.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stdout(&out).contains("write-git-creds"));
    assert!(stderr(&out).contains("`write-git-creds` is left out"));
}

#[test]
fn usage_errors() {
    let out = emit(
        &data(),
        &["--to", "yaml", "--one-per-line", "webhooks.yaml"],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = emit(
        &data(),
        &[
            "--to",
            "k8s-env",
            "--k8s-secret",
            "Bad_Name",
            "webhooks.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}

/// One config to emit: a file and/or env file and/or command line, as the fixture harness reads them.
struct Case {
    dir: PathBuf,
    id: String,
    args: Vec<String>,
}

/// The cases of one folder: `<stem>.yaml|.yml|.json` with optional `<stem>.env` and `<stem>.argv`.
fn cases_in(dir: &Path, prefix: &str) -> Vec<Case> {
    let mut stems: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.contains(".expected") || name.starts_with('.') || name == "README.md" {
            continue;
        }
        // The inputs other cases name, and repo configs / atlantis.yaml files: not for emit.
        let path = entry.path();
        if path.is_dir()
            || std::fs::read(&path)
                .is_ok_and(|b| atlantis_lint::repo_config::run::detect(&b).is_some())
        {
            continue;
        }
        let (stem, _) = name.split_once('.').unwrap_or((&name, ""));
        stems.entry(stem.to_string()).or_default().push(name);
    }
    let mut out = Vec::new();
    for (stem, files) in stems {
        let mut args = Vec::new();
        let mut argv = None;
        for f in &files {
            match f.rsplit_once('.').map(|(_, e)| e) {
                Some("env") => args.extend(["--env-file".to_string(), f.clone()]),
                Some("argv") => argv = Some(std::fs::read_to_string(dir.join(f)).unwrap()),
                Some("opts") => {}
                _ => args.push(f.clone()),
            }
        }
        if let Some(a) = argv {
            args.push("--".into());
            args.extend(a.lines().map(str::to_string));
        }
        // Only options left (the case's file was a repo document): nothing to emit.
        if args.is_empty() {
            continue;
        }
        out.push(Case {
            dir: dir.to_path_buf(),
            id: format!("{prefix}/{stem}"),
            args,
        });
    }
    out
}

/// Every fixtures/ok config (they grow with the linter) and the emit test configs.
fn ok_cases() -> Vec<Case> {
    let mut out = cases_in(&root().join("fixtures/ok"), "ok");
    out.extend(cases_in(&data(), "emit"));
    out
}

/// `--atlantis-version` of the release a case's deployment names (an image tag, a chart's
/// appVersion): the emitted forms do not carry the image, so they are read back for it.
fn release_args(case: &Case) -> Vec<String> {
    let out = linter(&case.dir)
        .args(["--format", "json", "--exit-zero"])
        .args(&case.args)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    match &report["atlantis_versions"][0] {
        v if v["from"] == "image" => vec![
            "--atlantis-version".into(),
            v["version"].as_str().unwrap().to_string(),
        ],
        _ => Vec::new(),
    }
}

fn with(first: &[String], then: &[String]) -> Vec<String> {
    first.iter().chain(then).cloned().collect()
}

/// The effective configuration, as the reference for comparisons.
fn effective(dir: &Path, args: &[String], env: Option<&[(String, String)]>) -> String {
    let mut cmd = linter(dir);
    if let Some(vars) = env {
        cmd.env_clear()
            .envs(vars.iter().cloned())
            .env("NO_COLOR", "1");
    }
    let out = cmd
        .args([
            "emit",
            "--to",
            "json",
            "--with-defaults",
            "--secrets",
            "include",
            "--allow-errors",
        ])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

fn sh(script: &str, file: &Path) -> Vec<u8> {
    let out = Command::new("env")
        .args(["-i", "PATH=/usr/bin:/bin", "sh", "-c", script, "sh"])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "sh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn nul_split(bytes: &[u8]) -> Vec<String> {
    bytes
        .split(|b| *b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8(s.to_vec()).unwrap())
        .collect()
}

/// What a container sees of an env value or argument after Kubernetes's `$(VAR)` expansion
/// (no variable defined: a reference stays as written; `$$` is one `$`).
fn k8s_expand(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek() == Some(&'$') {
            chars.next();
        }
        out.push(c);
    }
    out
}

/// The arguments of a `--one-per-line` YAML list, read with the linter's own YAML reader.
fn yaml_list(text: &str) -> Vec<String> {
    use atlantis_lint::input::yaml::{NodeKind, parse};
    let doc = parse(text).unwrap();
    let NodeKind::Seq(items) = &doc.node(doc.root.unwrap()).kind else {
        panic!("not a list: {text}");
    };
    items
        .iter()
        .map(|&i| match &doc.node(i).kind {
            NodeKind::Scalar(s) => k8s_expand(&s.value),
            other => panic!("not a scalar: {other:?}"),
        })
        .collect()
}

#[test]
fn every_readable_form_round_trips() {
    let tmp = std::env::temp_dir().join(format!("atlantis-lint-emit-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut done: BTreeMap<&str, usize> = BTreeMap::new();
    for case in ok_cases() {
        let reference = effective(&case.dir, &case.args, None);
        let release = release_args(&case);
        for form in ["yaml", "json", "dotenv", "shell", "flags", "flags-lines"] {
            let mut args = vec!["--secrets", "include", "--allow-errors", "--to"];
            args.push(if form == "flags-lines" { "flags" } else { form });
            if form == "flags-lines" {
                args.push("--one-per-line");
            }
            let args: Vec<String> = args
                .into_iter()
                .map(str::to_string)
                .chain(case.args.iter().cloned())
                .collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = emit(&case.dir, &args);
            if out.status.code() == Some(1) && stderr(&out).contains("cannot be written") {
                continue; // the form cannot carry this config (webhooks, a PEM key in an env file)
            }
            assert_eq!(
                out.status.code(),
                Some(0),
                "{} {form}: {}",
                case.id,
                stderr(&out)
            );
            let text = stdout(&out);
            let ext = if form == "json" { "json" } else { "yaml" };
            let file = tmp.join(format!("out.{ext}"));
            std::fs::write(&file, &text).unwrap();
            let back = match form {
                "yaml" | "json" => {
                    effective(&tmp, &with(&release, &[file.display().to_string()]), None)
                }
                "dotenv" => effective(
                    &tmp,
                    &with(&release, &["--env-file".into(), file.display().to_string()]),
                    None,
                ),
                "shell" => {
                    let vars: Vec<(String, String)> = nul_split(&sh(". \"$1\" && env -0", &file))
                        .into_iter()
                        .filter_map(|kv| kv.split_once('=').map(|(k, v)| (k.into(), v.into())))
                        .filter(|(k, _): &(String, String)| k.starts_with("ATLANTIS_"))
                        .collect();
                    effective(&tmp, &with(&release, &["--env".into()]), Some(&vars))
                }
                "flags" => {
                    let words = nul_split(&sh(
                        "atlantis() { printf '%s\\0' \"$@\"; }; . \"$1\"",
                        &file,
                    ));
                    let mut args = release.clone();
                    args.push("--".to_string());
                    args.extend(words);
                    effective(&tmp, &args, None)
                }
                _ => {
                    let mut args = release.clone();
                    args.push("--".to_string());
                    args.extend(yaml_list(&text));
                    effective(&tmp, &args, None)
                }
            };
            assert_eq!(
                back, reference,
                "{} did not survive --to {form}:\n{text}",
                case.id
            );
            *done.entry(form).or_default() += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    for form in ["yaml", "json", "dotenv", "shell", "flags", "flags-lines"] {
        assert!(
            done.get(form).copied().unwrap_or(0) >= 3,
            "too few round trips through {form}: {done:?}"
        );
    }
}

/// The secret values of a config: explicit values of secret flags, and webhook URLs.
fn secrets_of(case: &Case) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(&effective(&case.dir, &case.args, None)).unwrap();
    let mut out = Vec::new();
    for (key, value) in json.as_object().unwrap() {
        if key == "webhooks" {
            for hook in value.as_array().unwrap() {
                if let Some(url) = hook.get("url").and_then(|u| u.as_str()) {
                    out.push(url.to_string());
                }
            }
            continue;
        }
        let flag = atlantis_lint::flags::lookup(key).unwrap();
        let Some(s) = value.as_str() else { continue };
        if flag.is_secret_value() && flag.default_text().as_deref() != Some(s) {
            // A PEM key: every line of key material counts.
            out.extend(
                s.lines()
                    .filter(|l| l.len() >= 16 && !l.starts_with("-----"))
                    .map(str::to_string),
            );
            out.push(s.to_string());
        }
    }
    out
}

#[test]
fn no_secret_in_any_output_unless_included() {
    let mut checked = 0;
    for case in ok_cases() {
        let secrets = secrets_of(&case);
        for form in ["yaml", "json", "dotenv", "shell", "flags", "k8s-env"] {
            for mode in ["redact", "omit"] {
                let mut args: Vec<&str> = vec!["--to", form, "--secrets", mode];
                args.extend(case.args.iter().map(String::as_str));
                let out = emit(&case.dir, &args);
                let all = format!("{}{}", stdout(&out), stderr(&out));
                for s in &secrets {
                    assert!(
                        !all.contains(s.as_str()),
                        "{} --to {form} --secrets {mode} shows a secret",
                        case.id
                    );
                }
                checked += 1;
            }
            // k8s-env never inlines a secret, even when asked to include them.
            if form == "k8s-env" {
                let mut args: Vec<&str> = vec!["--to", form, "--secrets", "include"];
                args.extend(case.args.iter().map(String::as_str));
                let all = stdout(&emit(&case.dir, &args));
                for s in &secrets {
                    assert!(
                        !all.contains(s.as_str()),
                        "{} k8s-env inlines a secret",
                        case.id
                    );
                }
            }
        }
        assert!(
            !secrets.is_empty() || case.id.starts_with("ok/"),
            "{}",
            case.id
        );
    }
    assert!(checked > 20);
}

/// The env vars a `--to k8s-env` list sets (inline values only), read with the linter's YAML reader.
fn k8s_vars(text: &str) -> Vec<(String, String)> {
    use atlantis_lint::input::yaml::{NodeKind, parse};
    let doc = parse(text).unwrap();
    let NodeKind::Seq(items) = &doc.node(doc.root.unwrap()).kind else {
        panic!("not a list: {text}");
    };
    let mut out = Vec::new();
    for &item in items {
        let NodeKind::Map(pairs) = &doc.node(item).kind else {
            panic!("not a mapping: {text}");
        };
        let field = |name: &str| {
            pairs
                .iter()
                .find_map(|&(k, v)| match (&doc.node(k).kind, &doc.node(v).kind) {
                    (NodeKind::Scalar(k), NodeKind::Scalar(v)) if k.value == name => {
                        // Kubernetes wants a string: a quoted or block scalar, never a plain number or bool.
                        assert!(
                            v.style != atlantis_lint::input::yaml::Style::Plain || name == "name",
                            "unquoted value in {text}"
                        );
                        Some(v.value.clone())
                    }
                    _ => None,
                })
        };
        if let (Some(n), Some(v)) = (field("name"), field("value")) {
            out.push((n, k8s_expand(&v)));
        }
    }
    out
}

/// Strings that trip up YAML, shells, env files and argument parsers.
const AWKWARD: &[&str] = &[
    "yes",
    "on",
    "Off",
    "y",
    "true",
    "1",
    "0x10",
    "010",
    "1e3",
    "1.10",
    "2024-01-02",
    "null",
    "~",
    " lead",
    "trail ",
    "\ttab",
    "a: b",
    "a #b",
    "#x",
    "- x",
    "-x",
    "--x",
    "?x",
    ":x",
    "'",
    "\"",
    "\\",
    "$HOME",
    "${HOME}",
    "`id`",
    "$(id)",
    "a'b\"c",
    "=",
    "<<",
    "*",
    "&a",
    "!x",
    "%x",
    "@x",
    "|",
    ">",
    "{a: 1}",
    "[1]",
    "---",
    "...",
    "1:30",
    "x\\ny",
    "é",
    "日本語",
    "🚀 go",
    "\u{85}",
    "\u{2028}",
    "\u{FEFF}x",
    "a\u{7}b",
    "a\u{7f}",
    "a\nb",
    "a\n",
    "\nb",
    "a\n\n",
    "a\r\nb",
    "  two\n lines",
    "pem-like\n  indented\n",
    "nul\0byte",
];

#[test]
fn awkward_values_survive_every_form() {
    use atlantis_lint::emit::yaml::double_quoted;
    let tmp = std::env::temp_dir().join(format!("atlantis-lint-awkward-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut failures = Vec::new();
    for s in AWKWARD {
        let config = format!(
            "repo-allowlist: github.com/acme/*\ngh-user: atlantis-bot\ngh-token-file: /run/gh-token\ndisable-autoplan-label: {}\ngh-webhook-secret: {}\n",
            double_quoted(s),
            double_quoted(&format!("s3cr3t-{s}")),
        );
        std::fs::write(tmp.join("in.yaml"), &config).unwrap();
        let reference = effective(&tmp, &["in.yaml".into()], None);
        let parsed: serde_json::Value = serde_json::from_str(&reference).unwrap();
        assert_eq!(
            parsed["disable-autoplan-label"], *s,
            "the test's own YAML for {s:?}"
        );
        for form in [
            "yaml",
            "json",
            "dotenv",
            "shell",
            "flags",
            "flags-lines",
            "k8s-env",
        ] {
            // Other rules may object to these values (`$HOME` in a config file): not the point here.
            let mut args = vec!["--secrets", "include", "--allow-errors", "--to"];
            args.push(match form {
                "flags-lines" => "flags",
                f => f,
            });
            if form == "flags-lines" {
                args.push("--one-per-line");
            }
            args.push("in.yaml");
            let out = emit(&tmp, &args);
            let text = stdout(&out);
            if s.contains('\0') && !matches!(form, "yaml" | "json") {
                if out.status.code() != Some(1) || !stderr(&out).contains("NUL character") {
                    failures.push(format!("{s:?}: --to {form} should refuse a NUL"));
                }
                continue;
            }
            if form == "dotenv" && s.contains(['\n', '\r']) {
                if out.status.code() != Some(1) || !stderr(&out).contains("disable-autoplan-label")
                {
                    failures.push(format!("{s:?}: dotenv should refuse a line break"));
                }
                continue;
            }
            if out.status.code() != Some(0) {
                failures.push(format!("{s:?} --to {form}: {}", stderr(&out)));
                continue;
            }
            let file = tmp.join(if form == "json" {
                "out.json"
            } else {
                "out.yaml"
            });
            std::fs::write(&file, &text).unwrap();
            let path = file.display().to_string();
            let back = match form {
                "yaml" | "json" => effective(&tmp, &[path], None),
                "dotenv" => effective(&tmp, &["--env-file".into(), path], None),
                "shell" => {
                    let vars: Vec<(String, String)> = nul_split(&sh(". \"$1\" && env -0", &file))
                        .into_iter()
                        .filter_map(|kv| kv.split_once('=').map(|(k, v)| (k.into(), v.into())))
                        .filter(|(k, _): &(String, String)| k.starts_with("ATLANTIS_"))
                        .collect();
                    effective(&tmp, &["--env".into()], Some(&vars))
                }
                "flags" => {
                    let mut args = vec!["--".to_string()];
                    args.extend(nul_split(&sh(
                        "atlantis() { printf '%s\\0' \"$@\"; }; . \"$1\"",
                        &file,
                    )));
                    effective(&tmp, &args, None)
                }
                "flags-lines" => {
                    let mut args = vec!["--".to_string()];
                    args.extend(yaml_list(&text));
                    effective(&tmp, &args, None)
                }
                _ => {
                    // The secret is a secretKeyRef: compare the inline values only.
                    let vars = k8s_vars(&text);
                    let label = vars
                        .iter()
                        .find(|(k, _)| k == "ATLANTIS_DISABLE_AUTOPLAN_LABEL")
                        .map(|(_, v)| v.as_str());
                    if label != Some(s) {
                        failures.push(format!("{s:?} --to k8s-env gave {label:?}:\n{text}"));
                    }
                    continue;
                }
            };
            if back != reference {
                failures.push(format!(
                    "{s:?} did not survive --to {form}:\n{text}\n{back}"
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn include_refuses_a_terminal_without_force() {
    // `script` runs the command on a pseudo-terminal; skip where it is missing.
    let bin = env!("CARGO_BIN_EXE_atlantis-lint");
    let run = |extra: &str| {
        Command::new("script")
            .current_dir(data())
            .args(["-qec"])
            .arg(format!(
                "{bin} emit --to yaml --secrets include {extra} webhooks.yaml"
            ))
            .arg("/dev/null")
            .env_remove("ATLANTIS_GH_TOKEN")
            .output()
    };
    let Ok(refused) = run("") else { return };
    let text = String::from_utf8_lossy(&refused.stdout).to_string();
    assert_eq!(refused.status.code(), Some(2), "{text}");
    assert!(
        text.contains("--secrets include writes secret values"),
        "{text}"
    );
    assert!(!text.contains("ghp_"), "{text}");
    let forced = run("--force").unwrap();
    assert_eq!(forced.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&forced.stdout).contains("gh-token: ghp_"));
}

/// `--atlantis-version` writes that release's flags with that release's defaults: the default
/// changes of `data/versions.json` (emoji-reaction `eyes` until v0.28.0, allow-commands without
/// `cancel` until v0.39.0, autoplan-file-list without the OpenTofu patterns until v0.46.0), and
/// no flag the release did not have yet.
#[test]
fn defaults_follow_the_release() {
    let mut failures = Vec::new();
    for release in ["v0.22.0", "v0.27.0", "v0.28.1", "v0.31.0", "v0.37.1"] {
        let out = emit(
            &data(),
            &[
                "--to",
                "yaml",
                "--with-defaults",
                "--atlantis-version",
                release,
                "release.yaml",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{release}: {}", stderr(&out));
        expect(
            &format!("release.{release}.yaml"),
            &stdout(&out),
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `--to k8s-env` read back by the manifest reader: the same configuration, except that each
/// secret is now a `secretKeyRef` to a Secret that is not in the input (set, value unknown), so
/// it drops out of the effective values.
#[test]
fn k8s_env_round_trips_through_the_manifest_reader() {
    let tmp = std::env::temp_dir().join(format!("atlantis-lint-emit-k8s-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let secret_flags: Vec<&str> = atlantis_lint::flags::FLAGS
        .iter()
        .filter(|f| f.is_secret_value())
        .map(|f| f.name)
        .collect();
    let mut done = 0;
    for case in ok_cases() {
        let mut args = vec![
            "--allow-errors".to_string(),
            "--to".into(),
            "k8s-env".into(),
        ];
        args.extend(case.args.iter().cloned());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = emit(&case.dir, &args);
        if out.status.code() == Some(1) && stderr(&out).contains("cannot be written") {
            continue;
        }
        assert_eq!(out.status.code(), Some(0), "{}: {}", case.id, stderr(&out));
        let file = tmp.join("env.yaml");
        std::fs::write(&file, stdout(&out)).unwrap();
        let mut reference: serde_json::Value =
            serde_json::from_str(&effective(&case.dir, &case.args, None)).unwrap();
        for name in &secret_flags {
            reference.as_object_mut().unwrap().remove(*name);
        }
        let mut back: serde_json::Value = serde_json::from_str(&effective(
            &tmp,
            &with(
                &release_args(&case),
                &[
                    "--kind".into(),
                    "kubernetes".into(),
                    file.display().to_string(),
                ],
            ),
            None,
        ))
        .unwrap();
        for name in &secret_flags {
            back.as_object_mut().unwrap().remove(*name);
        }
        assert_eq!(back, reference, "{} did not survive --to k8s-env", case.id);
        done += 1;
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(done >= 10, "too few k8s-env round trips: {done}");
}

/// A manifest in, a server config out: the ConfigMap's config, the env and the args merged.
#[test]
fn a_manifest_emits_its_atlantis_configuration() {
    let dir = root().join("fixtures/ok");
    let out = emit(&dir, &["--to", "yaml", "k8s-statefulset.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "\
atlantis-url: https://atlantis.acme.example/
automerge: true
checkout-strategy: merge
data-dir: /atlantis
gh-token: <redacted>  # secret redacted; --secrets include writes the value
gh-user: atlantis-bot
gh-webhook-secret: <redacted>  # secret redacted; --secrets include writes the value
repo-allowlist: github.com/acme/*
write-git-creds: true
"
    );
    // Credentials in a Secret that is not in the input keep their reference in k8s-env form.
    let out = emit(&dir, &["--to", "k8s-env", "k8s-external-secrets.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "- name: ATLANTIS_GITLAB_TOKEN\n  valueFrom:\n    secretKeyRef:\n      name: atlantis-gitlab\n      key: token\n"
        ),
        "{}",
        stdout(&out)
    );
}

/// A compose file in, a server config out: env_file, environment and command merged.
#[test]
fn a_compose_file_emits_its_atlantis_configuration() {
    let dir = root().join("fixtures/err/compose-duplicate-env");
    let out = emit(
        &dir,
        &["--to", "yaml", "env-file-and-environment.compose.yaml"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "\
gh-user: atlantis-bot
gh-webhook-secret: <redacted>  # secret redacted; --secrets include writes the value
repo-allowlist: github.com/acme/infra
"
    );
    // Round trip: the emitted env list reads back as the same configuration.
    let out = emit(
        &dir,
        &["--to", "dotenv", "env-file-and-environment.compose.yaml"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("ATLANTIS_REPO_ALLOWLIST=github.com/acme/infra"),
        "{}",
        stdout(&out)
    );
}

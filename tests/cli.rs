//! The command-line contract, through the real binary: precedence of the sources (flag over env
//! over file, empty env ignored, empty string = default), case-insensitive keys, exit statuses,
//! and that no fixture's secret ever reaches the output.

mod common;

use atlantis_lint::flags;
use common::cases::cases;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A config that is valid apart from what each test adds.
const BASE: &str = "atlantis-url: https://atlantis.example.com
repo-allowlist: github.com/acme/*
gh-user: atlantis-bot
gh-token-file: /var/run/secrets/atlantis/gh-token
gh-webhook-secret: \"AFEn3z5dkyayq7YYDsBS9UYJQTFjmsn9\"
";

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir =
            std::env::temp_dir().join(format!("atlantis-lint-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    fn write(&self, name: &str, text: &str) -> &Dir {
        std::fs::write(self.0.join(name), text).unwrap();
        self
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The binary with a clean environment (no inherited ATLANTIS_* or colour settings).
fn lint(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_atlantis-lint"));
    cmd.current_dir(dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("ATLANTIS_") || k == "FORCE_COLOR" || k == "CLICOLOR_FORCE" {
            cmd.env_remove(k);
        }
    }
    cmd.env("NO_COLOR", "1")
        .args(["--color", "never", "--today", "2026-11-29"]);
    cmd
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The diagnostics of one rule.
fn diags<'a>(report: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == rule)
        .collect()
}

/// Lints `atlantis.yaml` (BASE + `extra`) with an env file and an Atlantis command line, and
/// returns the log-level finding's message and source kind, if any.
fn log_level_finding(
    name: &str,
    file_extra: &str,
    env_file: Option<&str>,
    argv: &[&str],
) -> Option<(String, String)> {
    let dir = Dir::new(name);
    dir.write("atlantis.yaml", &format!("{BASE}{file_extra}"));
    let mut cmd = lint(&dir.0);
    cmd.args(["--format", "json"]);
    if let Some(env) = env_file {
        dir.write("atlantis.env", env);
        cmd.args(["--env-file", "atlantis.env"]);
    }
    cmd.arg("atlantis.yaml");
    if !argv.is_empty() {
        cmd.arg("--").args(argv);
    }
    let report = json(&cmd.output().unwrap());
    diags(&report, "invalid-value")
        .into_iter()
        .find(|d| d["key"] == "log-level")
        .map(|d| {
            (
                d["message"].as_str().unwrap().to_string(),
                d["source"]["kind"].as_str().unwrap().to_string(),
            )
        })
}

#[test]
fn flag_beats_env_beats_file() {
    let file = "log-level: from-file\n";
    let env = "ATLANTIS_LOG_LEVEL=from-env\n";
    let (msg, kind) = log_level_finding(
        "flag",
        file,
        Some(env),
        &["server", "--log-level=from-flag"],
    )
    .unwrap();
    assert!(msg.contains("from-flag"), "{msg}");
    assert_eq!(kind, "argv");

    let (msg, kind) = log_level_finding("env", file, Some(env), &[]).unwrap();
    assert!(msg.contains("from-env"), "{msg}");
    assert_eq!(kind, "env-file");

    let (msg, kind) = log_level_finding("file", file, None, &[]).unwrap();
    assert!(msg.contains("from-file"), "{msg}");
    assert_eq!(kind, "file");
}

#[test]
fn process_environment_beats_file() {
    let dir = Dir::new("process-env");
    dir.write("atlantis.yaml", &format!("{BASE}log-level: from-file\n"));
    let out = lint(&dir.0)
        .env("ATLANTIS_LOG_LEVEL", "from-process")
        .args(["--format", "json", "--env", "atlantis.yaml"])
        .output()
        .unwrap();
    let report = json(&out);
    let found = diags(&report, "invalid-value");
    assert_eq!(found.len(), 1, "{report}");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("from-process")
    );
    assert_eq!(found[0]["source"]["kind"], "env");
    assert_eq!(found[0]["source"]["name"], "ATLANTIS_LOG_LEVEL");
}

#[test]
fn empty_env_value_is_ignored() {
    let (msg, kind) = log_level_finding(
        "empty-env",
        "log-level: from-file\n",
        Some("ATLANTIS_LOG_LEVEL=\n"),
        &[],
    )
    .unwrap();
    assert!(msg.contains("from-file"), "{msg}");
    assert_eq!(kind, "file");
}

#[test]
fn empty_string_means_default() {
    // An explicit empty value in the file: Atlantis uses the default `info`.
    assert_eq!(
        log_level_finding("empty-file", "log-level: \"\"\n", None, &[]),
        None
    );
    // An explicit empty flag wins over the env var, then becomes the default.
    assert_eq!(
        log_level_finding(
            "empty-flag",
            "",
            Some("ATLANTIS_LOG_LEVEL=from-env\n"),
            &["server", "--log-level="]
        ),
        None
    );
    // An empty repo-allowlist is not set at all.
    let dir = Dir::new("empty-allowlist");
    dir.write("atlantis.yaml", &BASE.replace("github.com/acme/*", "\"\""));
    let report = json(
        &lint(&dir.0)
            .args(["--format", "json", "atlantis.yaml"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        diags(&report, "repo-allowlist-missing").len(),
        1,
        "{report}"
    );
}

#[test]
fn keys_are_case_insensitive() {
    let (msg, kind) = log_level_finding("case", "Log-Level: LOUD\n", None, &[]).unwrap();
    assert!(msg.contains("LOUD"), "{msg}");
    assert_eq!(kind, "file");

    let dir = Dir::new("case-allowlist");
    dir.write(
        "atlantis.yaml",
        &BASE.replace("repo-allowlist", "REPO-ALLOWLIST"),
    );
    let out = lint(&dir.0)
        .args(["--format", "json", "atlantis.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", json(&out));
}

#[test]
fn exit_statuses() {
    let dir = Dir::new("exit");
    dir.write("ok.yaml", BASE)
        .write("error.yaml", &format!("{BASE}checkout-strategy: rebase\n"))
        .write(
            "warning.yaml",
            &BASE.replace(
                "gh-webhook-secret: \"AFEn3z5dkyayq7YYDsBS9UYJQTFjmsn9\"\n",
                "",
            ),
        );
    let status = |args: &[&str]| lint(&dir.0).args(args).output().unwrap().status.code();
    assert_eq!(status(&["ok.yaml"]), Some(0));
    assert_eq!(status(&["warning.yaml"]), Some(0));
    assert_eq!(status(&["--deny-warnings", "warning.yaml"]), Some(1));
    assert_eq!(status(&["error.yaml"]), Some(1));
    assert_eq!(status(&["ok.yaml", "error.yaml"]), Some(1));
    assert_eq!(status(&["--format", "json", "error.yaml"]), Some(1));
    // The run itself failed: a file that cannot be read, or nothing to lint.
    assert_eq!(status(&["missing.yaml"]), Some(2));
    assert_eq!(status(&[]), Some(2));
    assert_eq!(status(&["--format", "xml", "ok.yaml"]), Some(2));
}

/// `--atlantis-version` takes a known release only: anything else is a failed run (exit 2)
/// that lists the accepted forms and the newest known release, for `lint` and `emit` alike.
#[test]
fn atlantis_version_must_be_a_known_release() {
    let dir = Dir::new("atlantis-version");
    dir.write("ok.yaml", BASE);
    let newest = flags::LATEST.to_string();
    for bad in [
        "latest",
        "0.x",
        "v9.9.9",
        "4f3c2a1e9b",
        "v0.28",
        "v0.17.0-beta",
    ] {
        for emit in [false, true] {
            let mut cmd = if emit {
                let mut cmd = Command::new(env!("CARGO_BIN_EXE_atlantis-lint"));
                cmd.current_dir(&dir.0).args(["emit", "--to", "yaml"]);
                cmd
            } else {
                lint(&dir.0)
            };
            let out = cmd
                .args(["--atlantis-version", bad, "ok.yaml"])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
            assert!(stderr.contains("--atlantis-version:"), "{bad}: {stderr}");
            assert!(
                stderr.contains(&format!(
                    "{newest} (the newest known), written v0.28.1 or 0.28.1"
                )),
                "{bad}: {stderr}"
            );
            assert!(out.stdout.is_empty(), "{bad}");
        }
    }
    let out = lint(&dir.0)
        .args(["--atlantis-version", "v9.9.9", "ok.yaml"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "atlantis-lint: --atlantis-version: `v9.9.9` is newer than the newest release atlantis-lint knows ({newest}); expected an Atlantis release from v0.17.0 to {newest} (the newest known), written v0.28.1 or 0.28.1\n"
        )
    );
    // Both spellings of a release work, and the summary names it.
    for good in ["v0.31.0", "0.31.0"] {
        let out = lint(&dir.0)
            .args(["--atlantis-version", good, "ok.yaml"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(
            String::from_utf8_lossy(&out.stdout)
                .ends_with("0 errors, 1 warning in 1 config for Atlantis v0.31.0\n")
        );
    }
}

/// Atlantis also loads TOML and dotenv config files; atlantis-lint says it cannot read them
/// (exit 2) instead of reporting them as broken YAML, and still lints the other files.
#[test]
fn toml_and_dotenv_config_files_are_refused_clearly() {
    let dir = Dir::new("formats");
    dir.write("ok.yaml", BASE)
        .write("server.toml", "gh-user = \"atlantis-bot\"\n")
        .write("server.env", "gh-user=atlantis-bot\n");
    for file in ["server.toml", "server.env"] {
        let out = lint(&dir.0)
            .args(["--format", "json", file, "ok.yaml"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{file}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("reads YAML and JSON config files"),
            "{stderr}"
        );
        let report = json(&out);
        assert!(diags(&report, "yaml-syntax").is_empty(), "{report}");
        assert_eq!(
            report["summary"]["errors"], 0,
            "ok.yaml is still linted: {report}"
        );
    }
}

/// Values of secret flags written in a fixture: config-file lines, env-file lines and argv.
fn secrets_in(case_files: &[PathBuf]) -> Vec<String> {
    let mut found: Vec<(Option<&'static flags::Flag>, String)> = Vec::new();
    let unquote = |v: &str| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string();
    for path in case_files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".env") {
            for line in text.lines() {
                let line = line.trim().trim_start_matches("export ");
                let Some((k, v)) = line.split_once('=') else {
                    continue;
                };
                if let Some(f) = flags::lookup_env(k.trim()).filter(|f| f.is_secret_value()) {
                    found.push((Some(f), unquote(v)));
                }
            }
        } else if name.ends_with(".argv") {
            let words: Vec<&str> = text.lines().collect();
            for (i, w) in words.iter().enumerate() {
                let Some(flag) = w.strip_prefix("--") else {
                    continue;
                };
                let (name, value) = match flag.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (flag, words.get(i + 1).map(|v| v.to_string())),
                };
                if let Some(f) = flags::lookup(name).filter(|f| f.is_secret_value()) {
                    if let Some(v) = value {
                        found.push((Some(f), v));
                    }
                }
            }
        } else if !name.contains(".expected.") {
            for line in text.lines() {
                let Some((k, v)) = line.split_once(':') else {
                    continue;
                };
                let v = unquote(v);
                if v.starts_with('|') || v.starts_with('>') {
                    continue;
                }
                let key = k.trim().trim_start_matches("- ");
                // A Kubernetes reference names where a secret is, not the secret itself; a
                // mount's path (`mountPath`, `subPath`: "pat") is a path.
                if matches!(
                    key,
                    "secretKeyRef" | "secretRef" | "key" | "secretName" | "mountPath" | "subPath"
                ) {
                    continue;
                }
                // Flags by the table; other keys (snake_case, nested) by their name.
                match flags::lookup_key(key) {
                    Some(f) if f.is_secret_value() => found.push((Some(f), v)),
                    Some(_) => {}
                    // A Helm chart's `vcsSecretName`, `redisSecretPasswordKey`: the name of a
                    // Kubernetes Secret (or of its key), not a secret.
                    None if atlantis_lint::secret::name_suggests_secret(key)
                        && !key.ends_with("SecretName")
                        && !key.ends_with("SecretPasswordKey")
                        // `gh-webhook-secret-file`: a key for a file holds a path.
                        && !["-file", "-path", "-dir"]
                            .iter()
                            .any(|s| flags::normalise(key).ends_with(s)) =>
                    {
                        found.push((None, v))
                    }
                    None => {}
                }
            }
        }
    }
    // Short values ("1", "true") would match by accident; real secrets are long. A flag's
    // documented default (web-password `atlantis`) is public and may be named.
    found
        .into_iter()
        .filter(|(f, v)| v.len() >= 8 && f.is_none_or(|f| f.default_text().as_deref() != Some(v)))
        .map(|(_, v)| v)
        .collect()
}

#[test]
fn no_fixture_secret_appears_in_any_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut checked = 0;
    let mut leaks = Vec::new();
    for case in cases(&root) {
        let files = case.files();
        let secrets = secrets_in(&files);
        if secrets.is_empty() {
            continue;
        }
        for format in ["human", "json"] {
            let mut cmd = lint(&case.dir);
            cmd.args(["--format", format]);
            case.add_args(&mut cmd);
            let out = cmd.output().unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            for s in &secrets {
                if text.contains(s.as_str()) {
                    leaks.push(format!(
                        "{} ({format}): a secret of {} chars",
                        files[0].display(),
                        s.len()
                    ));
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 10, "too few fixtures with secrets: {checked}");
    assert!(
        leaks.is_empty(),
        "secrets in the output:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn standard_input_is_named_by_stdin_filename() {
    use std::io::Write;
    let dir = Dir::new("stdin");
    let run = |extra: &[&str]| {
        let mut child = lint(&dir.0)
            .args(["--format", "json"])
            .args(extra)
            .arg("-")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let _ = child.stdin.take().unwrap().write_all(BASE.as_bytes());
        let out = child.wait_with_output().unwrap();
        diags(&json(&out), "unsupported-config-file").len()
    };
    // `<stdin>` has no extension, but Atlantis never sees that name.
    assert_eq!(run(&[]), 0);
    assert_eq!(run(&["--stdin-filename", "atlantis.yaml"]), 0);
    assert_eq!(run(&["--stdin-filename", "server.conf"]), 1);
}

/// A repos.yaml linted in the same run as a deployment is read for the release its image tag
/// names (v0.27.0 has no `repo_locks`, v0.28.0 does); `--atlantis-version` wins over the tag.
#[test]
fn repo_config_follows_the_deployment_image_tag() {
    let dir = Dir::new("repo-config-image-tag");
    dir.write(
        "deploy.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: atlantis\nspec:\n  template:\n    spec:\n      containers:\n        - name: atlantis\n          image: ghcr.io/runatlantis/atlantis:v0.27.0\n          env:\n            - name: ATLANTIS_REPO_ALLOWLIST\n              value: github.com/acme/*\n            - name: ATLANTIS_GH_USER\n              value: atlantis-bot\n            - name: ATLANTIS_GH_TOKEN\n              valueFrom: {secretKeyRef: {name: atlantis-vcs, key: token}}\n            - name: ATLANTIS_GH_WEBHOOK_SECRET\n              valueFrom: {secretKeyRef: {name: atlantis-vcs, key: webhook-secret}}\n",
    );
    dir.write(
        "repos.yaml",
        "repos:\n- id: /.*/\n  repo_locks:\n    mode: on_apply\n",
    );
    let run = |extra: &[&str]| {
        let out = lint(&dir.0)
            .args(["--format", "json"])
            .args(extra)
            .args(["deploy.yaml", "repos.yaml"])
            .output()
            .unwrap();
        json(&out)
    };
    let report = run(&[]);
    let found = diags(&report, "repo-config-unknown-key");
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(
        found[0]["message"],
        "`repo_locks` is not in Atlantis v0.27.0: it was added in v0.28.0. yaml: unmarshal errors: line 3: field repo_locks not found in type raw.Repo"
    );
    assert_eq!(
        report["atlantis_versions"],
        serde_json::json!([{"version": "v0.27.0", "from": "image"}])
    );
    let report = run(&["--atlantis-version", "v0.28.0"]);
    assert!(
        diags(&report, "repo-config-unknown-key").is_empty(),
        "{report:#}"
    );
}

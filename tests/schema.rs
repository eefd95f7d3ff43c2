//! The JSON Schema of the server config: the checked-in file is current, it is a valid draft
//! 2020-12 schema, and it agrees with the linter on the fixtures.
//!
//! Regenerate the checked-in file with `UPDATE_SCHEMA=1 cargo test --test schema`.

use atlantis_lint::config::{Location, Spelling};
use atlantis_lint::input::{NamedBytes, Request, yaml};
use atlantis_lint::lint::{self, Policy};
use atlantis_lint::rules::Options;
use atlantis_lint::schema::{schema, schema_text, yaml_to_json};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// Rules whose file findings the schema must reproduce.
const SCHEMA_RULES: &[&str] = &["unknown-key", "invalid-type", "invalid-value"];

/// Keys whose values JSON Schema cannot judge (JSON inside a string): findings about them are
/// the linter's alone.
const BEYOND_SCHEMA: &[&str] = &["repo-config-json", "webhook-http-headers"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).expect("the schema compiles")
}

fn config_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.is_dir() {
            config_files(&p, out);
        } else if !name.contains(".expected.")
            && (name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json"))
        {
            out.push(p);
        }
    }
}

/// The file as a server-config instance; `None` for files that are no server config (a
/// Kubernetes manifest: the schema describes the `--config` file, not the forms holding it).
fn instance(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    let doc = yaml::parse(&text).ok()?;
    let json = yaml_to_json(&doc);
    if json.get("apiVersion").is_some() && json.get("kind").is_some() {
        return None;
    }
    Some(json)
}

#[test]
fn checked_in_schema_is_current() {
    let path = root().join("schema/atlantis-server-config.schema.json");
    let generated = schema_text();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "{} is out of date: run `UPDATE_SCHEMA=1 cargo test --test schema` (or `atlantis-lint schema > {}`)",
        path.display(),
        path.display()
    );
}

#[test]
fn schema_is_valid_draft_2020_12() {
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    jsonschema::draft202012::meta::validate(&s).expect("a valid draft 2020-12 schema");
}

#[test]
fn every_ok_fixture_validates() {
    let v = validator();
    let mut files = Vec::new();
    config_files(&root().join("fixtures/ok"), &mut files);
    let mut checked = 0;
    for f in files {
        // The schema is the server config's: Kubernetes manifests, repo configs and repo-level
        // atlantis.yaml files are other kinds of file (those two have tests/repo_schema.rs).
        let file = NamedBytes {
            name: f.display().to_string(),
            bytes: std::fs::read(&f).unwrap(),
        };
        if atlantis_lint::input::detect(&file).name != "server-config" {
            continue;
        }
        let Some(inst) = instance(&f) else { continue };
        // The schema is the server config's: Kubernetes manifests among the fixtures are not.
        if inst.get("apiVersion").is_some() && inst.get("kind").is_some() {
            continue;
        }
        let errors: Vec<String> = v
            .iter_errors(&inst)
            .map(|e| format!("{} at {}", e.masked(), e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", f.display());
        checked += 1;
    }
    assert!(checked >= 2, "no ok fixture was checked");
}

/// Each config file in the unknown-key, invalid-type and invalid-value folders on which the
/// linter (given the file alone) reports that rule inside the file fails schema validation.
#[test]
fn schema_rejects_what_the_linter_rejects() {
    let v = validator();
    let mut checked = 0;
    for rule in SCHEMA_RULES {
        let mut files = Vec::new();
        config_files(&root().join("fixtures/err").join(rule), &mut files);
        for f in files {
            let request = Request::for_file(NamedBytes {
                name: f.display().to_string(),
                bytes: std::fs::read(&f).unwrap(),
            });
            let (_, findings) = lint::lint(&request, &Options::default(), &Policy::default());
            let in_file: Vec<_> = findings
                .iter()
                .filter(|x| x.rule.id == *rule)
                .filter(|x| {
                    matches!(
                        &x.location,
                        Location::Source {
                            spelling: Spelling::ConfigKey,
                            ..
                        }
                    )
                })
                .collect();
            let judged = in_file
                .iter()
                .any(|x| !x.key.as_deref().is_some_and(|k| BEYOND_SCHEMA.contains(&k)));
            if !judged {
                continue;
            }
            let inst = instance(&f).expect("a fixture the linter read parses");
            assert!(
                !v.is_valid(&inst),
                "{}: the linter reports {rule} but the schema accepts the file",
                f.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 2, "no err fixture was checked");
}

/// Hand-written cases for Atlantis's lenient decoding and case-insensitive keys.
#[test]
fn schema_accepts_what_atlantis_accepts() {
    let v = validator();
    let base =
        || json!({"repo-allowlist": "github.com/acme/*", "gh-user": "bot", "gh-token-file": "/t"});
    let with = |k: &str, val: Value| {
        let mut m = base();
        m[k] = val;
        m
    };
    for (k, val) in [
        ("port", json!(4141)),
        ("port", json!("4141")),
        ("port", json!("0x1F")),
        ("port", json!(4141.5)),
        ("port", json!(null)),
        ("automerge", json!(true)),
        ("automerge", json!("TRUE")),
        ("automerge", json!(1)),
        ("gh-user", json!(12345)),
        ("GH-User", json!("bot")),
        ("log-level", json!("debug")),
        ("log-level", json!("DEBUG")),
        ("autodiscover-mode", json!("sometimes")),
        ("default-tf-version", json!("v1.5.7")),
        ("language", json!("es-ES")),
        ("allow-commands", json!("plan,apply,,unlock")),
        ("atlantis-url", json!("HTTPS://atlantis.example.com")),
        (
            "repo-allowlist",
            json!("github.com/acme/*,!github.com/acme/secret"),
        ),
        (
            "webhooks",
            json!([{"event": "apply", "kind": "slack", "channel": "ops"}]),
        ),
    ] {
        assert!(
            v.is_valid(&with(k, val.clone())),
            "{k}: {val} should be valid"
        );
    }
    for (k, val) in [
        ("port", json!("08")),
        ("port", json!("4141 ")),
        ("automerge", json!("yes")),
        ("gh-user", json!(["a", "b"])),
        ("gh_user", json!("bot")),
        ("repo-whitelist", json!("x")),
        ("log-level", json!("verbose")),
        ("checkout-strategy", json!("squash")),
        ("default-tf-version", json!(">= 1.5")),
        ("language", json!("fr")),
        ("allow-commands", json!("plan, apply")),
        ("allow-commands", json!("plan,destroy")),
        ("atlantis-url", json!("atlantis.example.com")),
        ("gitea-base-url", json!("ftp://gitea.example.com")),
        ("repo-allowlist", json!("https://github.com/acme/*")),
        ("webhooks", json!([{"event": "apply", "kind": "http"}])),
        (
            "webhooks",
            json!([{"event": "merge", "kind": "slack", "channel": "x"}]),
        ),
        (
            "webhooks",
            json!([{"kind": "slack", "channel": "x", "chanel": "y"}]),
        ),
    ] {
        assert!(
            !v.is_valid(&with(k, val.clone())),
            "{k}: {val} should be invalid"
        );
    }
    // language is free when a language config file is given.
    let mut m = with("language", json!("fr"));
    m["language-config-file"] = json!("/etc/atlantis/fr.yaml");
    assert!(v.is_valid(&m));
}

#[test]
fn schema_subcommand_prints_the_schema() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atlantis-lint"))
        .arg("schema")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), schema_text());
}

/// Every flag the linter knows is described, secrets are marked, enums are listed.
#[test]
fn schema_covers_the_flag_table() {
    let s = schema();
    for f in atlantis_lint::flags::FLAGS {
        let p = &s["properties"][f.name];
        assert!(p.is_object(), "{} missing", f.name);
        assert!(p["description"].as_str().is_some_and(|d| !d.is_empty()));
        assert_eq!(
            p["x-secret"] == json!(true),
            f.is_current() && f.is_secret_value(),
            "{}",
            f.name
        );
        if let Some(choices) = atlantis_lint::flags::choices(f.name) {
            match f.name {
                "log-level" | "autodiscover-mode" => assert_eq!(p["examples"], json!(choices)),
                _ => assert_eq!(p["enum"], json!(choices)),
            }
        }
    }
    assert_eq!(s["additionalProperties"], json!(false));
}

/// docs/rules.md (where SARIF's helpUri points) is current and has a section per rule.
/// Regenerate with `UPDATE_DOCS=1 cargo test --test schema` or
/// `atlantis-lint rules --format markdown > docs/rules.md`.
#[test]
fn rule_reference_is_current() {
    let path = root().join("docs/rules.md");
    let generated = atlantis_lint::report::docs::rules_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "{} is out of date: run `UPDATE_DOCS=1 cargo test --test schema`",
        path.display()
    );
    for r in atlantis_lint::rules::infos() {
        assert!(checked_in.contains(&format!("\n## {}\n", r.id)), "{}", r.id);
        assert!(
            atlantis_lint::report::help_uri(r.id).ends_with(&format!("docs/rules.md#{}", r.id))
        );
    }
}

/// The schema states the release facts of `data/versions.json`: since when a key exists, when
/// it was deprecated or removed.
#[test]
fn schema_agrees_with_the_release_history() {
    use atlantis_lint::flags::{self, FLAGS, LATEST};
    let schema: Value = serde_json::from_str(&atlantis_lint::schema::schema_text()).unwrap();
    let props = schema["properties"].as_object().unwrap();
    for f in FLAGS {
        let h = flags::history(f).unwrap();
        let p = &props[f.name];
        assert_eq!(
            p["x-atlantis-since"],
            json!(h.added.to_string()),
            "{}",
            f.name
        );
        let removed = h.removed.map(|r| r.to_string());
        assert_eq!(
            p.get("x-atlantis-removed").cloned(),
            removed.map(Value::from),
            "{}",
            f.name
        );
        let deprecated = h.removed.is_some() || h.deprecated_in(LATEST).is_some();
        assert_eq!(p["deprecated"] == json!(true), deprecated, "{}", f.name);
        if let Some(since) = h.deprecated_in(LATEST).and_then(|d| d.since) {
            assert_eq!(
                p["x-atlantis-deprecated-since"],
                json!(since.to_string()),
                "{}",
                f.name
            );
        }
    }
}

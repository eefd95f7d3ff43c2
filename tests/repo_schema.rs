//! The JSON Schemas of the server-side repo config and of a repo-level atlantis.yaml: the
//! checked-in files are current, valid draft 2020-12 schemas, and they agree with the linter on
//! the fixtures (the ok ones validate; a file on which the linter reports a decode-level or
//! enumerated-value rule does not).
//!
//! Regenerate the checked-in files with `UPDATE_SCHEMA=1 cargo test --test repo_schema`.

use atlantis_lint::input::{NamedBytes, yaml};
use atlantis_lint::repo_config::run::{DocInput, detect, read};
use atlantis_lint::repo_config::schema::{repo_config_schema, repo_yaml_schema, text};
use atlantis_lint::repo_config::{Document, Kind};
use atlantis_lint::rules::repo::{DocContext, run};
use atlantis_lint::schema::yaml_to_json;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Rules whose findings the schemas must reproduce (each failing file has at least one finding
/// JSON Schema can express).
const SCHEMA_RULES: &[&str] = &[
    "repo-config-unknown-key",
    "repo-config-invalid-type",
    "repo-config-allowed-overrides",
    "repo-config-requirements",
    "repo-config-repo-locks",
    "repo-config-autodiscover",
    "repo-config-silence-pr-comments",
    "repo-config-external-stores",
    "repo-yaml-unknown-key",
    "repo-yaml-invalid-type",
    "repo-yaml-version",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn schema_for(kind: Kind) -> Value {
    match kind {
        Kind::RepoConfig => repo_config_schema(),
        Kind::RepoYaml => repo_yaml_schema(),
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.is_dir() {
            files(&p, out);
        } else if !name.contains(".expected.")
            && (name.ends_with(".yaml") || name.ends_with(".yml"))
        {
            out.push(p);
        }
    }
}

fn lint(path: &Path, kind: Kind) -> (Document, Vec<String>) {
    let input = DocInput {
        kind,
        file: NamedBytes {
            name: path.display().to_string(),
            bytes: std::fs::read(path).unwrap(),
        },
        path: Some(path.to_path_buf()),
    };
    let (_, doc) = read(&input, atlantis_lint::flags::LATEST);
    let findings = run(&DocContext {
        doc: &doc,
        server: None,
        repo_config: None,
        repo_id: None,
    });
    let ids = findings.iter().map(|f| f.rule.id.to_string()).collect();
    (doc, ids)
}

fn instance(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(yaml_to_json(&yaml::parse(&text).ok()?))
}

#[test]
fn checked_in_schemas_are_current() {
    for (file, schema) in [
        ("atlantis-repo-config.schema.json", repo_config_schema()),
        ("atlantis-repo-yaml.schema.json", repo_yaml_schema()),
    ] {
        let path = root().join("schema").join(file);
        let generated = text(&schema);
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            checked_in == generated,
            "{} is out of date: run `UPDATE_SCHEMA=1 cargo test --test repo_schema`",
            path.display()
        );
    }
}

#[test]
fn schemas_are_valid_draft_2020_12() {
    for s in [repo_config_schema(), repo_yaml_schema()] {
        assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
        jsonschema::draft202012::meta::validate(&s).expect("a valid draft 2020-12 schema");
    }
}

#[test]
fn every_ok_fixture_validates() {
    let mut all = Vec::new();
    files(&root().join("fixtures/ok"), &mut all);
    let mut checked = [0, 0];
    for f in all {
        let Some(kind) = detect(&std::fs::read(&f).unwrap()) else {
            continue;
        };
        let v = jsonschema::draft202012::new(&schema_for(kind)).unwrap();
        let inst = instance(&f).expect("an ok fixture parses");
        let errors: Vec<String> = v
            .iter_errors(&inst)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", f.display());
        checked[(kind == Kind::RepoYaml) as usize] += 1;
    }
    assert!(
        checked[0] >= 2 && checked[1] >= 2,
        "too few ok fixtures: {checked:?}"
    );
}

#[test]
fn schemas_reject_what_the_linter_rejects() {
    let mut checked = 0;
    for rule in SCHEMA_RULES {
        let mut all = Vec::new();
        files(&root().join("fixtures/err").join(rule), &mut all);
        for f in all {
            let Some(kind) = detect(&std::fs::read(&f).unwrap()) else {
                continue;
            };
            let (_, ids) = lint(&f, kind);
            if !ids.iter().any(|i| i == rule) {
                continue;
            }
            let Some(inst) = instance(&f) else { continue };
            let v = jsonschema::draft202012::new(&schema_for(kind)).unwrap();
            assert!(
                !v.is_valid(&inst),
                "{}: the linter reports {rule} but the schema accepts the file",
                f.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} err fixtures were checked");
}

/// Hand-written cases around Go's lenient decoding.
#[test]
fn schemas_accept_what_atlantis_accepts() {
    let rc = jsonschema::draft202012::new(&repo_config_schema()).unwrap();
    let ok = |t: &str| yaml_to_json(&yaml::parse(t).unwrap());
    for good in [
        "repos:\n- id: /.*/\n  allow_custom_workflows: yes\n",
        "metrics:\n  statsd: {host: localhost, port: 8125}\n",
        "workflows:\n  w:\n    plan:\n      steps:\n      - init\n      - run: echo\n      - plan: {extra_args: [-lock=false]}\n      - env: {name: A, command: echo}\n",
        "repos:\n- id: 12345\n",
    ] {
        assert!(rc.is_valid(&ok(good)), "{good}");
    }
    for bad in [
        "repos:\n- id: /.*/\n  apply_requirements: approved\n",
        "workflows:\n  w:\n    plan:\n      steps:\n      - run\n",
        "workflows:\n  w:\n    plan:\n      steps:\n      - init: {extra_args: \"-upgrade\"}\n",
        "workflows:\n  w:\n    plan:\n      steps:\n      - env: {name: A, value: b, command: c}\n",
        "repos:\n- id: /.*/\n  branch: main\n",
    ] {
        assert!(!rc.is_valid(&ok(bad)), "{bad}");
    }
    let ry = jsonschema::draft202012::new(&repo_yaml_schema()).unwrap();
    assert!(ry.is_valid(&ok("version: 3\nprojects:\n- dir: .\n")));
    assert!(!ry.is_valid(&ok("version: 3\nprojects:\n- name: x\n")));
    assert!(!ry.is_valid(&ok("projects:\n- dir: .\n")));
}

#[test]
fn schema_subcommand_prints_each_kind() {
    for (kind, schema) in [
        ("repo-config", repo_config_schema()),
        ("repo-yaml", repo_yaml_schema()),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_atlantis-lint"))
            .args(["schema", "--kind", kind])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(String::from_utf8(out.stdout).unwrap(), text(&schema));
    }
    // Without --kind: today's server-config schema.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atlantis-lint"))
        .arg("schema")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        atlantis_lint::schema::schema_text()
    );
}

/// The schemas state the release facts of `data/repo-config-keys.json`: every key of a table
/// section is a property of the object the section maps to (and the other way round), with
/// `x-atlantis-since` and "Since Atlantis vX." for a key added after v0.17.0, and `deprecated`
/// for a key Atlantis's documentation deprecates.
#[test]
fn schemas_agree_with_the_key_tables() {
    use atlantis_lint::repo_config::schema::sections;
    use atlantis_lint::repo_keys;
    let mut checked = 0;
    for kind in [Kind::RepoConfig, Kind::RepoYaml] {
        let schema = schema_for(kind);
        for (def, doc, path) in sections(kind) {
            let object = if def.is_empty() {
                &schema
            } else {
                &schema["$defs"][def]
            };
            let props = object["properties"]
                .as_object()
                .unwrap_or_else(|| panic!("{kind:?} {def}: no properties"));
            let keys = repo_keys::section_keys(doc, path);
            let mut in_table: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
            let mut in_schema: Vec<&str> = props.keys().map(String::as_str).collect();
            in_table.sort();
            in_schema.sort();
            assert_eq!(in_schema, in_table, "{kind:?} {def} vs {path}");
            for (key, since) in keys {
                let p = &props[key];
                let at = format!("{kind:?} {def}.{key}");
                let description = p["description"].as_str().unwrap_or_default();
                match since {
                    Some(v) => {
                        assert_eq!(p["x-atlantis-since"], v.to_string(), "{at}");
                        assert!(
                            description.contains(&format!("Since Atlantis {v}.")),
                            "{at}: {description}"
                        );
                    }
                    None => assert!(p.get("x-atlantis-since").is_none(), "{at}"),
                }
                let deprecated = repo_keys::deprecated(doc, path, key);
                assert_eq!(p["deprecated"] == true, deprecated.is_some(), "{at}");
                if let Some(d) = deprecated {
                    assert_eq!(
                        p["x-atlantis-deprecated-since"],
                        d.since.to_string(),
                        "{at}"
                    );
                    assert!(description.contains(&format!("use `{}`", d.replacement)));
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 60, "only {checked} keys");
    // Hooks and steps.
    let rc = repo_config_schema();
    for (key, since) in repo_keys::hook_keys() {
        let p = &rc["$defs"]["Hook"]["properties"][key];
        assert!(p.is_object(), "Hook.{key}");
        assert_eq!(
            p.get("x-atlantis-since").cloned(),
            since.map(|v| Value::from(v.to_string())),
            "Hook.{key}"
        );
    }
    let forms = &rc["$defs"]["Step"]["anyOf"];
    for name in repo_keys::step_names() {
        assert_eq!(
            forms[2]["properties"][name]
                .get("x-atlantis-since")
                .cloned(),
            repo_keys::step_since(name).map(|v| Value::from(v.to_string())),
            "step {name}"
        );
    }
    use repo_keys::{StepForm, step_form_since};
    assert_eq!(
        forms[3]["properties"]["run"]["x-atlantis-since"],
        step_form_since(StepForm::RunMap).to_string()
    );
    assert_eq!(
        forms[3]["properties"]["multienv"]["x-atlantis-since"],
        step_form_since(StepForm::MultienvMap).to_string()
    );
    assert_eq!(
        forms[3]["properties"]["env"]["properties"]["shell"]["x-atlantis-since"],
        step_form_since(StepForm::Shell).to_string()
    );
}

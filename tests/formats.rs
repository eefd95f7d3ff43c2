//! Output formats (SARIF, GitHub workflow commands, concise), `--format`/`--output` pairs, the
//! GitHub Actions default, directory discovery, colour, completions and the man page.

mod common;

use common::cases::{Case, cases};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Out {
    stdout: String,
    stderr: String,
    code: i32,
}

/// The binary with a clean environment: no ATLANTIS_*, GitHub or colour variables.
fn bin(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_atlantis-lint"));
    c.current_dir(dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("ATLANTIS_")
            || matches!(
                k.as_str(),
                "GITHUB_ACTIONS" | "NO_COLOR" | "FORCE_COLOR" | "CLICOLOR_FORCE" | "TERM"
            )
        {
            c.env_remove(k);
        }
    }
    c
}

/// The binary, ready to lint (dated rules decide as of a fixed day).
fn cmd(dir: &Path) -> Command {
    let mut c = bin(dir);
    c.args(["--today", "2026-11-29"]);
    c
}

/// `--ignore` options for every rule but `keep`, so that a test sees only the rules it is about
/// (rules added later do not change its exact output).
fn only(keep: &[&str]) -> Vec<String> {
    let out = bin(&root())
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    rules
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .filter(|id| !keep.contains(&id.as_str()))
        .flat_map(|id| ["--ignore".to_string(), id])
        .collect()
}

fn run(c: &mut Command) -> Out {
    let o = c.output().unwrap();
    Out {
        stdout: String::from_utf8(o.stdout).unwrap(),
        stderr: String::from_utf8(o.stderr).unwrap(),
        code: o.status.code().unwrap_or(-1),
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// A fresh empty directory under the system temp dir.
fn temp_dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "atlantis-lint-test-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn case_cmd(case: &Case, format: &str) -> Command {
    let mut c = cmd(&case.dir);
    c.args(["--format", format]);
    case.add_args(&mut c);
    c
}

fn find_key(v: &serde_json::Value, key: &str, path: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if k == key {
                    out.push(format!("{path}/{k}"));
                }
                find_key(x, key, &format!("{path}/{k}"), out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                find_key(x, key, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// SARIF

#[test]
fn sarif_validates_against_the_official_schema_for_every_fixture() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    // The validator does reject broken SARIF.
    let broken = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
        "results": [{"message": {"text": "m"}, "level": "fatal"}]}]});
    assert!(!validator.is_valid(&broken));
    let all = cases(&root().join("fixtures"));
    assert!(all.len() > 10);
    let mut results_seen = 0;
    for case in &all {
        let id = format!("{}/{:?}", case.dir.display(), case.config);
        let out = run(&mut case_cmd(case, "sarif"));
        let sarif: serde_json::Value = serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("{id}: not JSON: {e}\n{}", out.stdout));
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{id}: invalid SARIF: {errors:#?}");

        let run0 = &sarif["runs"][0];
        // The release checked against, as in the JSON summary.
        let versions = run0["properties"]["atlantisVersions"].as_array().unwrap();
        assert!(!versions.is_empty(), "{id}");
        for v in versions {
            let release = v["version"].as_str().unwrap();
            assert!(
                atlantis_lint::version::Version::parse(release).is_some(),
                "{id}: {release}"
            );
            assert!(
                ["option", "image", "latest"].contains(&v["from"].as_str().unwrap()),
                "{id}"
            );
        }
        let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
        for r in run0["results"].as_array().unwrap() {
            results_seen += 1;
            let index = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], r["ruleId"], "{id}");
            let loc = &r["locations"][0]["physicalLocation"];
            let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
            assert!(!uri.is_empty() && !uri.starts_with('/'), "{id}: {uri}");
            assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1, "{id}");
        }
        // No snippet of any kind: a config line may hold a secret.
        let mut snippets = Vec::new();
        find_key(&sarif, "snippet", "", &mut snippets);
        find_key(&sarif, "contextRegion", "", &mut snippets);
        assert!(snippets.is_empty(), "{id}: {snippets:?}");
        let errors = run0["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["level"] == "error")
            .count();
        assert_eq!(out.code == 0, errors == 0, "{id}");
    }
    assert!(results_seen > 10);
}

#[test]
fn sarif_driver_describes_every_rule() {
    let out = run(cmd(&root()).args(["--format", "sarif", "fixtures/ok"]));
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "atlantis-lint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let listed = run(bin(&root()).args(["rules", "--format", "json"]));
    let ids: Vec<serde_json::Value> = serde_json::from_str(&listed.stdout).unwrap();
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), ids.len());
    for r in rules {
        let id = r["id"].as_str().unwrap();
        assert!(
            r["helpUri"]
                .as_str()
                .unwrap()
                .ends_with(&format!("docs/rules.md#{id}"))
        );
        assert!(
            r["fullDescription"]["text"]
                .as_str()
                .unwrap()
                .contains("## ")
        );
        assert!(r["shortDescription"]["text"].as_str().unwrap().len() > 10);
        assert!(
            ["error", "warning", "note"]
                .contains(&r["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
}

#[test]
fn sarif_locations_of_env_argv_and_whole_config_findings() {
    let dir = temp_dir("sarif-loc");
    write(
        &dir,
        "conf/atlantis.yaml",
        "repo-allowlist: github.com/acme/*\n",
    );
    let out = run(cmd(&dir)
        .args(["--format", "sarif", "--env", "conf/atlantis.yaml"])
        .env("ATLANTIS_GH_TOKN", "x")
        .args(["--", "--gh-usr", "bob"]));
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let by_msg = |needle: &str| {
        results
            .iter()
            .find(|r| r["message"]["text"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no result mentions {needle}: {results:#?}"))
    };
    for needle in [
        "environment variable ATLANTIS_GH_TOKN",
        "command-line argument 0 (--gh-usr)",
    ] {
        let r = by_msg(needle);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "conf/atlantis.yaml");
        assert_eq!(loc["region"], serde_json::json!({"startLine": 1}));
    }
    // Without a config file: a synthetic artifact.
    let out = run(cmd(&dir)
        .args(["--format", "sarif", "--env"])
        .env("ATLANTIS_GH_TOKN", "x"));
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"atlantis-environment"), "{uris:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// GitHub workflow commands

#[test]
fn github_output_is_exact() {
    let dir = root().join("fixtures/err/unknown-key");
    let out = run(cmd(&dir).args(only(&["unknown-key"])).args([
        "--format",
        "github",
        "--env-file",
        "env-names.env",
        "typos.yaml",
    ]));
    let expected = "\
::error file=typos.yaml,line=4,col=1,endLine=4,endColumn=18,title=unknown-key::`gh_webhook_secret` is not an Atlantis flag; Atlantis ignores it%0Ahelp: config-file keys are kebab-case flag names: write `gh-webhook-secret`
::error file=typos.yaml,line=5,col=1,endLine=5,endColumn=15,title=unknown-key::`allow-draft-pr` is not an Atlantis flag; Atlantis ignores it%0Ahelp: did you mean `allow-draft-prs`?
::error file=typos.yaml,line=6,col=1,endLine=6,endColumn=7,title=unknown-key::`github` is a nested mapping; Atlantis reads only top-level flag names and ignores it%0Ahelp: write each setting as a top-level `flag-name: value` pair
::warning file=env-names.env,line=1,col=1,endLine=1,endColumn=1,title=unknown-key::`ATLANTIS_URL` is not an Atlantis variable; Atlantis ignores it%0Ahelp: did you mean `ATLANTIS_ATLANTIS_URL`? (flag `atlantis-url`)
atlantis-lint: 3 errors, 1 warning in 1 config for Atlantis v0.47.1 (the latest known)
";
    assert_eq!(out.stdout, expected);
    assert_eq!(out.code, 1);
}

#[test]
fn github_escapes_data_and_properties() {
    let dir = temp_dir("gh-escape");
    // A path with `,`, `:` and `%`; keys with `%` and a line break (a quoted YAML key).
    write(
        &dir,
        "a,b:c%d.yaml",
        "repo-allowlist: github.com/acme/*\ngh-user: bot\ngh-token-file: /t\n\"50%\\r\\nx\": 1\n",
    );
    let out =
        run(cmd(&dir)
            .args(only(&["unknown-key"]))
            .args(["--format", "github", "a,b:c%d.yaml"]));
    let expected = "\
::error file=a%2Cb%3Ac%25d.yaml,line=4,col=1,endLine=4,endColumn=11,title=unknown-key::`50%25%0D%0Ax` is not an Atlantis flag; Atlantis ignores it%0Ahelp: remove it, or use the name of an Atlantis server flag (see `atlantis server --help`)
atlantis-lint: 1 error, 0 warnings in 1 config for Atlantis v0.47.1 (the latest known)
";
    assert_eq!(out.stdout, expected);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn github_annotates_at_most_ten_per_level() {
    let dir = temp_dir("gh-limit");
    let mut text =
        String::from("repo-allowlist: github.com/acme/*\ngh-user: bot\ngh-token-file: /t\n");
    for i in 0..12 {
        text.push_str(&format!("unknown-{i:02}: x\n"));
    }
    write(&dir, "atlantis.yaml", &text);
    let out = run(cmd(&dir)
        .args(only(&["unknown-key"]))
        .args(["--format", "github", "--env", "atlantis.yaml"])
        .env("ATLANTIS_GH_TOKN", "x"));
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 12 + 1 + 1 + 1, "{}", out.stdout);
    assert!(
        lines[..10]
            .iter()
            .all(|l| l.starts_with("::error file=atlantis.yaml,"))
    );
    assert_eq!(
        lines[10],
        "atlantis.yaml:14:1: error[unknown-key] `unknown-10` is not an Atlantis flag; Atlantis ignores it"
    );
    assert_eq!(
        lines[11],
        "atlantis.yaml:15:1: error[unknown-key] `unknown-11` is not an Atlantis flag; Atlantis ignores it"
    );
    assert_eq!(
        lines[12],
        "::warning title=unknown-key::environment variable ATLANTIS_GH_TOKN: `ATLANTIS_GH_TOKN` is not an Atlantis variable; Atlantis ignores it%0Ahelp: did you mean `ATLANTIS_GH_TOKEN`? (flag `gh-token`)"
    );
    assert_eq!(
        lines[13],
        "atlantis-lint: 2 errors not annotated (GitHub shows at most 10 annotations of each level per step); they are listed above without annotation"
    );
    assert_eq!(
        lines[14],
        "atlantis-lint: 12 errors, 1 warning in 1 config for Atlantis v0.47.1 (the latest known)"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn github_is_the_default_on_github_actions() {
    let dir = root().join("fixtures/err/unknown-key");
    let out = run(cmd(&dir)
        .args(only(&["unknown-key"]))
        .arg("typos.yaml")
        .env("GITHUB_ACTIONS", "true"));
    assert!(
        out.stdout.starts_with("::error file=typos.yaml,"),
        "{}",
        out.stdout
    );
    let out = run(cmd(&dir)
        .args(only(&["unknown-key"]))
        .args(["--format", "human", "typos.yaml"])
        .env("GITHUB_ACTIONS", "true"));
    assert!(out.stdout.contains("unknown key"), "{}", out.stdout);
    let out = run(cmd(&dir)
        .args(only(&["unknown-key"]))
        .arg("typos.yaml")
        .env("GITHUB_ACTIONS", "false"));
    assert!(!out.stdout.contains("::error"));
}

// ---------------------------------------------------------------------------------------------
// concise

#[test]
fn concise_output_is_exact() {
    let dir = temp_dir("concise");
    write(
        &dir,
        "deploy/atlantis.yaml",
        "repo-allowlist: github.com/acme/*\ngh-user: bot\ngh-token-file: /t\nallow-draft-pr: true\n",
    );
    write(&dir, "no-creds.yaml", "repo-allowlist: github.com/acme/*\n");
    let out = run(cmd(&dir)
        .args(only(&["unknown-key", "no-vcs-credentials"]))
        .args([
            "--format",
            "concise",
            "--env",
            "deploy/atlantis.yaml",
            "no-creds.yaml",
        ])
        .env("ATLANTIS_GH_TOKN", "x")
        .args(["--", "--gh-usr", "bob"]));
    let expected = "\
deploy/atlantis.yaml:4:1: error[unknown-key] `allow-draft-pr` is not an Atlantis flag; Atlantis ignores it
<environment>:ATLANTIS_GH_TOKN: warning[unknown-key] `ATLANTIS_GH_TOKN` is not an Atlantis variable; Atlantis ignores it
<command line>:--gh-usr: error[unknown-key] unknown flag: --gh-usr
no-creds.yaml: error[no-vcs-credentials] no Git host credentials: none of gh-user, gh-app-id, gitea-user, gitlab-user, bitbucket-user or azuredevops-user is set; `--gh-usr` is set, but Atlantis does not read that name (did you mean gh-user?)
";
    assert_eq!(out.stdout, expected);
    assert_eq!(out.code, 1);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// --format / --output pairs

#[test]
fn each_output_takes_the_format_before_it() {
    let dir = temp_dir("pairs");
    let src = root().join("fixtures/err/unknown-key/typos.yaml");
    std::fs::copy(&src, dir.join("atlantis.yaml")).unwrap();
    let out = run(cmd(&dir).args(only(&["unknown-key"])).args([
        "--format",
        "human",
        "--format",
        "sarif",
        "--output",
        "out.sarif",
        "-f",
        "json",
        "-o",
        "out.json",
        "atlantis.yaml",
    ]));
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("3 errors, 0 warnings in 1 config"),
        "{}",
        out.stdout
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 3);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["errors"], 3);

    // All formats to files: nothing on standard output. The order of pairs does not matter.
    let out = run(cmd(&dir).args(only(&["unknown-key"])).args([
        "-f",
        "concise",
        "-o",
        "a.txt",
        "-f",
        "github",
        "-o",
        "b.txt",
        "atlantis.yaml",
    ]));
    assert_eq!(out.stdout, "");
    assert!(
        std::fs::read_to_string(dir.join("a.txt"))
            .unwrap()
            .starts_with("atlantis.yaml:4:1: error[unknown-key]")
    );
    assert!(
        std::fs::read_to_string(dir.join("b.txt"))
            .unwrap()
            .starts_with("::error file=atlantis.yaml,")
    );

    // `--output FILE` without any --format: the human report, without colour, even on Actions.
    let out = run(cmd(&dir)
        .args(only(&["unknown-key"]))
        .args(["--color", "always", "-o", "report.txt", "atlantis.yaml"])
        .env("GITHUB_ACTIONS", "true"));
    assert_eq!((out.stdout.as_str(), out.code), ("", 1));
    let report = std::fs::read_to_string(dir.join("report.txt")).unwrap();
    assert!(
        report.ends_with(
            "3 errors, 0 warnings in 1 config for Atlantis v0.47.1 (the latest known)\n"
        ),
        "{report}"
    );
    assert!(!report.contains('\x1b'));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_format_output_pairs_are_usage_errors() {
    let dir = root().join("fixtures/err/unknown-key");
    for (args, needle) in [
        (
            vec!["--output", "x.sarif", "--format", "sarif"],
            "--output x.sarif must follow the --format it writes",
        ),
        (
            vec!["--format", "json", "--format", "concise"],
            "only one --format can go to standard output",
        ),
        (
            vec!["--format", "sarif", "--output", "a", "--output", "b"],
            "two --output options follow one --format",
        ),
        (
            vec!["--output", "a", "--output", "b"],
            "--output a must follow the --format it writes",
        ),
    ] {
        let out = run(cmd(&dir).args(&args).arg("typos.yaml"));
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stderr.contains(needle), "{args:?}: {}", out.stderr);
        assert_eq!(out.stdout, "");
    }
    let out = run(cmd(&dir).args([
        "-f",
        "sarif",
        "-o",
        "/nonexistent/dir/x.sarif",
        "typos.yaml",
    ]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("cannot write /nonexistent/dir/x.sarif"),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// Many files, directories, standard input

#[test]
fn directories_are_searched_for_server_configs() {
    let dir = temp_dir("discover");
    let good = "repo-allowlist: github.com/acme/*\ngh-user: bot\ngh-token-file: /t\n";
    write(
        &dir,
        "atlantis.yaml",
        &format!("{good}allow-draft-pr: true\n"),
    );
    write(&dir, "deploy/atlantis/server.yml", good);
    write(
        &dir,
        "deploy/broken.yaml",
        "gh-user: bot\ngh-token: \"unclosed\n",
    );
    // Linted in their own kinds (clean here): a repo-level atlantis.yaml, a repos.yaml.
    write(
        &dir,
        "repo/atlantis.yaml",
        "version: 3\nautomerge: true\nprojects:\n- dir: .\n",
    );
    write(&dir, "repos.yaml", "repos:\n- id: /.*/\n");
    // Not Atlantis configurations, or not searched:
    write(&dir, "k8s.yaml", "apiVersion: v1\nkind: ConfigMap\n");
    write(&dir, ".hidden/atlantis.yaml", "gh_user: x\n");
    write(&dir, "node_modules/x/atlantis.yaml", "gh_user: x\n");
    write(&dir, "target/atlantis.yaml", "gh_user: x\n");
    write(&dir, "notes.txt", "gh_user: x\n");
    let out = run(cmd(&dir)
        .args(only(&["unknown-key", "yaml-syntax"]))
        .args(["--format", "concise", "."]));
    assert_eq!(
        out.stdout,
        "\
atlantis.yaml:4:1: error[unknown-key] `allow-draft-pr` is not an Atlantis flag; Atlantis ignores it
deploy/broken.yaml:2:11: error[yaml-syntax] deploy/broken.yaml does not parse as YAML: while scanning a quoted scalar, found unexpected end of stream
"
        .replace("deploy/", "./deploy/")
        .replace("atlantis.yaml:4", "./atlantis.yaml:4"),
        "{}",
        out.stderr
    );
    assert_eq!(out.code, 1);
    let human = run(cmd(&dir)
        .args(only(&["unknown-key", "yaml-syntax"]))
        .args(["--color", "never", "."]));
    assert!(
        human.stdout.ends_with(
            "2 errors, 0 warnings in 5 configs for Atlantis v0.47.1 (the latest known)\n"
        ),
        "{}",
        human.stdout
    );

    // A file named explicitly that is not an Atlantis server config is never linted as one:
    // a repos.yaml is linted as a server-side repo config (here: clean); --only-server-configs
    // lints repos.yaml and atlantis.yaml in their own kinds too (the pre-commit hook).
    let out = run(cmd(&dir).args(only(&["unknown-key", "yaml-syntax"])).args([
        "--format",
        "concise",
        "repos.yaml",
    ]));
    assert_eq!((out.stdout.as_str(), out.code), ("", 0), "{}", out.stderr);
    assert_eq!(out.stderr, "");
    let out = run(cmd(&dir).args(only(&["unknown-key", "yaml-syntax"])).args([
        "--format",
        "concise",
        "--only-server-configs",
        "repos.yaml",
        "repo/atlantis.yaml",
    ]));
    assert_eq!((out.stdout.as_str(), out.code), ("", 0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn whole_config_findings_name_their_file_when_there_are_several() {
    let dir = temp_dir("several");
    write(&dir, "a.yaml", "repo-allowlist: github.com/acme/*\n");
    write(&dir, "b.yaml", "repo-allowlist: github.com/acme/*\n");
    let out = run(cmd(&dir)
        .args(only(&["no-vcs-credentials"]))
        .args(["--color", "never", "a.yaml", "b.yaml"]));
    assert!(out.stdout.contains("(in a.yaml)"), "{}", out.stdout);
    assert!(out.stdout.contains("(in b.yaml)"), "{}", out.stdout);
    assert!(
        out.stdout.ends_with(
            "2 errors, 0 warnings in 2 configs for Atlantis v0.47.1 (the latest known)\n"
        )
    );
    let out = run(cmd(&dir)
        .args(only(&["no-vcs-credentials"]))
        .args(["--color", "never", "a.yaml"]));
    assert!(!out.stdout.contains("(in a.yaml)"), "{}", out.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unreadable_file_does_not_stop_the_others() {
    let dir = temp_dir("unreadable");
    let good = "repo-allowlist: github.com/acme/*\ngh-user: bot\ngh-token-file: /t\n";
    write(&dir, "a.yaml", &format!("{good}allow-draft-pr: true\n"));
    write(&dir, "c.yaml", "gh-user: [\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("missing.yaml"), dir.join("b.yaml")).unwrap();
    let out = run(cmd(&dir).args(only(&["unknown-key", "yaml-syntax"])).args([
        "--format",
        "concise",
        "a.yaml",
        "b.yaml",
        "c.yaml",
        "nope.yaml",
    ]));
    assert_eq!(out.code, 2, "unreadable files make the run fail");
    assert!(
        out.stdout.contains("a.yaml:4:1: error[unknown-key]"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("c.yaml:2:1: error[yaml-syntax]"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("cannot read nope.yaml: no such file"),
        "{}",
        out.stderr
    );
    #[cfg(unix)]
    assert!(out.stderr.contains("cannot read b.yaml"), "{}", out.stderr);
    // The same in a directory search.
    let out = run(cmd(&dir)
        .args(only(&["unknown-key", "yaml-syntax"]))
        .args(["--format", "concise", "."]));
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains("./a.yaml:4:1: error[unknown-key]"),
        "{}",
        out.stdout
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn standard_input_with_a_name() {
    use std::io::Write;
    let mut child = cmd(&root())
        .args(only(&["unknown-key"]))
        .args([
            "--format",
            "concise",
            "--stdin-filename",
            "atlantis.yaml",
            "-",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"repo-allowlist: x\ngh-user: bot\ngh-token-file: /t\ngh-usr: y\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("atlantis.yaml:4:1: error[unknown-key] `gh-usr`"),
        "{stdout}"
    );
}

// ---------------------------------------------------------------------------------------------
// Terminal conventions

#[test]
fn colour_follows_flags_and_environment() {
    use atlantis_lint::cli::{Color, color_enabled};
    use std::ffi::OsString;
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| OsString::from(v))
        }
    };
    assert!(color_enabled(
        Color::Always,
        env(&[("NO_COLOR", "1")]),
        false
    ));
    assert!(!color_enabled(
        Color::Never,
        env(&[("FORCE_COLOR", "1")]),
        true
    ));
    assert!(color_enabled(Color::Auto, env(&[]), true));
    assert!(!color_enabled(Color::Auto, env(&[]), false));
    assert!(!color_enabled(Color::Auto, env(&[("NO_COLOR", "1")]), true));
    assert!(color_enabled(Color::Auto, env(&[("NO_COLOR", "")]), true));
    assert!(color_enabled(
        Color::Auto,
        env(&[("FORCE_COLOR", "1")]),
        false
    ));
    assert!(color_enabled(
        Color::Auto,
        env(&[("CLICOLOR_FORCE", "1")]),
        false
    ));
    assert!(!color_enabled(
        Color::Auto,
        env(&[("FORCE_COLOR", "0")]),
        false
    ));
    assert!(!color_enabled(
        Color::Auto,
        env(&[("NO_COLOR", "1"), ("FORCE_COLOR", "1")]),
        true
    ));
    assert!(!color_enabled(Color::Auto, env(&[("TERM", "dumb")]), true));
    assert!(color_enabled(
        Color::Auto,
        env(&[("TERM", "dumb"), ("FORCE_COLOR", "1")]),
        false
    ));

    // And end to end (standard output is a pipe here).
    let dir = root().join("fixtures/err/unknown-key");
    let esc = |o: &Out| o.stdout.contains('\x1b');
    assert!(esc(&run(cmd(&dir).args([
        "--color",
        "always",
        "typos.yaml"
    ]))));
    assert!(!esc(&run(cmd(&dir).arg("typos.yaml"))));
    assert!(esc(&run(cmd(&dir)
        .arg("typos.yaml")
        .env("FORCE_COLOR", "1"))));
    assert!(esc(&run(cmd(&dir)
        .arg("typos.yaml")
        .env("CLICOLOR_FORCE", "1"))));
    assert!(!esc(&run(cmd(&dir)
        .arg("typos.yaml")
        .env("FORCE_COLOR", "1")
        .env("NO_COLOR", "1"))));
    // Files never get colour.
    let tmp = temp_dir("colour");
    let out_file = tmp.join("out.txt");
    run(cmd(&dir)
        .args(["--color", "always", "-f", "human", "-o"])
        .arg(&out_file)
        .arg("typos.yaml"));
    assert!(!std::fs::read_to_string(&out_file).unwrap().contains('\x1b'));
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn completions_and_man_page_generate() {
    for (shell, needle) in [
        ("bash", "_atlantis__lint()"),
        ("zsh", "#compdef atlantis-lint"),
        ("fish", "complete -c atlantis-lint"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = run(bin(&root()).args(["completions", shell]));
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains(needle), "{shell}");
        assert!(out.stdout.contains("--format"), "{shell}");
        // PowerShell's script completes option names only.
        if shell != "powershell" {
            assert!(
                out.stdout.contains("sarif"),
                "{shell}: format values are completed"
            );
        }
    }
    let out = run(bin(&root()).args(["completions", "tcsh"]));
    assert_eq!(out.code, 2);
    let out = run(bin(&root()).arg("man"));
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.starts_with(".ie \\n(.g .ds Aq \\(aq")
            || out.stdout.contains(".TH atlantis-lint")
    );
    assert!(out.stdout.contains(".TH atlantis-lint"));
    assert!(out.stdout.contains("Exit status"));
}

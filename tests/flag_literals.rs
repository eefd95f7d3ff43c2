//! Code names flags by their typed handles (`flags::GH_USER`), never by string literals: a
//! misspelled handle does not compile (the configuration's accessors take only handles, see
//! `flags::FlagHandle`), a misspelled string silently matches nothing.
//!
//! Scans every file under `src/` (but the generated flag table in `src/flags/`) for string
//! literals that are exactly a flag name, outside documentation (raw strings), comments, unit
//! tests and rule ids (`id: "webhooks"` names a rule, not a flag). The few literals that are
//! something else spelled like a flag are listed below, each with what it is.

use atlantis_lint::flags::FLAGS;
use std::path::{Path, PathBuf};

/// (file, literal): words that are spelled like a flag but name something else.
const NOT_FLAGS: &[(&str, &str, &str)] = &[
    ("src/discover.rs", "repo-config", "a file-name stem"),
    (
        "src/schema.rs",
        "language-config-file",
        "a JSON Schema property",
    ),
    ("src/schema.rs", "language", "a JSON Schema property"),
    (
        "src/emit/json.rs",
        "webhooks",
        "the config-file key of the emitted list",
    ),
    (
        "src/emit/yaml.rs",
        "webhooks",
        "the config-file key of the emitted list",
    ),
    (
        "src/input/file.rs",
        "webhooks",
        "the config-file key, compared as written",
    ),
    ("src/repo_config/model.rs", "automerge", "a repos.yaml key"),
    (
        "src/repo_config/model.rs",
        "port",
        "a repos.yaml statsd key",
    ),
    (
        "src/repo_config/matching.rs",
        "config",
        "the file .git/config",
    ),
    (
        "src/report/human.rs",
        "config",
        "a word of the summary line",
    ),
    (
        "src/input/helm_values.rs",
        "atlantis-url",
        "a rule kind of the chart table",
    ),
    (
        "src/input/helm_values.rs",
        "config",
        "the chart's `config` value",
    ),
    ("src/input/terraform.rs", "port", "a port mapping's key"),
    (
        "src/input/repo_config.rs",
        "repo-config",
        "an input kind's name",
    ),
    (
        "src/online/http.rs",
        "gh-app-key",
        "a prefix of the credential's label",
    ),
    (
        "src/rules/repo/repo_config_metrics.rs",
        "port",
        "a repos.yaml statsd key",
    ),
];

/// Removes raw strings (`r#"..."#`: the rule docs), line comments and the `#[cfg(test)]` tail.
fn code_only(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("r#\"") {
        out.push_str(&rest[..start]);
        match rest[start + 3..].find("\"#") {
            Some(end) => {
                // Keep the line count, so that reported lines stay right.
                let skipped = &rest[start..start + 3 + end + 2];
                out.extend(std::iter::repeat_n('\n', skipped.matches('\n').count()));
                rest = &rest[start + 3 + end + 2..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string (`https://`) is not a comment.
            Some(i) if l[..i].matches('"').count() % 2 == 0 => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn code_names_flags_by_handle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.retain(|p| !p.starts_with(root.join("src/flags")));
    files.sort();
    assert!(files.len() > 100, "only {} files", files.len());
    let mut hits = Vec::new();
    let mut allowed_used = Vec::new();
    for path in files {
        let rel = path.strip_prefix(root).unwrap().display().to_string();
        let code = code_only(&std::fs::read_to_string(&path).unwrap());
        for (n, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("id: \"") {
                continue;
            }
            let mut parts = line.split('"');
            // Every second piece is inside a string literal (good enough here: no escaped
            // quotes around flag names).
            parts.next();
            for (i, piece) in parts.enumerate() {
                if i % 2 != 0 || !FLAGS.iter().any(|f| f.name == piece) {
                    continue;
                }
                if let Some(a) = NOT_FLAGS.iter().find(|(f, l, _)| *f == rel && *l == piece) {
                    allowed_used.push(*a);
                    continue;
                }
                hits.push(format!(
                    "{rel}:{}: \"{piece}\": use flags::{}",
                    n + 1,
                    piece.replace('-', "_").to_ascii_uppercase()
                ));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "flag names as string literals in src ({}):\n{}",
        hits.len(),
        hits.join("\n")
    );
    // The list stays exact: an entry that no longer matches goes.
    for entry in NOT_FLAGS {
        assert!(allowed_used.contains(entry), "stale entry {entry:?}");
    }
}

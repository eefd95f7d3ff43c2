//! Finding Atlantis server configs: directory search, and the test for "looks like one".
//!
//! A directory is searched recursively for `*.yaml` / `*.yml` and Terraform `*.tf` files, in
//! sorted order; hidden directories (`.git`, `.github`, `.terraform` with its downloaded modules,
//! ...), `target` and `node_modules` are skipped. A file found this
//! way is linted only when it holds an Atlantis configuration in its kind (`crate::input::kind`);
//! for a server config: its top level is a mapping
//! with at least one key that names an Atlantis flag (current, removed or `webhooks`), and none
//! of the keys that mark Atlantis's *other* YAML files (a repo-level `atlantis.yaml` has
//! `version` and `projects`, a server-side `repos.yaml` has `repos` and `workflows`). Those two
//! are linted as the documents they are ([`repo_document`]) when they clearly are one. Files
//! given explicitly are always linted, unless `--only-server-configs` asks for the same test.

use std::path::{Path, PathBuf};

/// Directory names never searched.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

/// One entry of a directory search.
#[derive(Debug)]
pub enum Found {
    File(PathBuf),
    /// A directory that could not be listed, with the reason.
    Unreadable(PathBuf, std::io::Error),
}

/// Every `*.yaml` / `*.yml` / `*.tf` file below `dir`, sorted, skipping hidden and build
/// directories (`.terraform` among them).
pub fn yaml_files(dir: &Path) -> Vec<Found> {
    let mut out = Vec::new();
    walk(dir, &mut out, 0);
    out
}

fn walk(dir: &Path, out: &mut Vec<Found>, depth: usize) {
    if depth > 64 {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Found::Unreadable(dir.to_path_buf(), e));
            return;
        }
    };
    let mut paths: Vec<(PathBuf, bool)> = entries
        .filter_map(Result::ok)
        .map(|e| {
            // Follow symlinks to files, but never into directories (no cycles).
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            (e.path(), is_dir)
        })
        // A FIFO, socket or device named `*.yaml` is never opened: opening a FIFO waits for
        // a writer that may never come. (A dangling symlink stays, to be reported unreadable.)
        .filter(|(p, is_dir)| {
            *is_dir
                || std::fs::metadata(p).is_ok_and(|m| m.is_file())
                || std::fs::metadata(p).is_err()
        })
        .collect();
    paths.sort();
    for (path, is_dir) in paths {
        let name = path.file_name().map(|n| n.to_string_lossy().to_string());
        let name = name.as_deref().unwrap_or("");
        if is_dir {
            if !name.starts_with('.') && !SKIPPED_DIRS.contains(&name) {
                walk(&path, out, depth + 1);
            }
        } else if is_yaml_name(name) && !name.starts_with('.') {
            out.push(Found::File(path));
        }
    }
}

fn is_yaml_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".tf")
}

/// The kind of a server-side `repos.yaml` or a repo-level `atlantis.yaml` found by a directory
/// search or passed by the pre-commit hook, when it clearly is one: its content says so, in
/// detection order (so a compose file's `version:` is a compose file's), and either its name is
/// one Atlantis files go by (`atlantis*.yaml`, `repos.yaml`, `repo-config*.yaml`, `.yml` too) or
/// every top-level key is one of that file's keys. A Helm `Chart.yaml` or a `buf.yaml` has a
/// `version:` too, and keys an `atlantis.yaml` does not: it is skipped, not linted as one.
pub fn repo_document(file: &crate::input::NamedBytes) -> Option<&'static crate::input::kind::Kind> {
    use crate::input::kind::Probe;
    use crate::repo_config::{Kind, model};
    let kind = crate::input::detect(file);
    let doc = crate::repo_config::run::from_kind(kind)?;
    let base = Path::new(&file.name)
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let stem = base
        .strip_suffix(".yaml")
        .or_else(|| base.strip_suffix(".yml"))
        .unwrap_or("");
    let named = stem.starts_with("atlantis")
        || stem == "repos"
        || stem.starts_with("repo-config")
        || stem.starts_with("repo_config");
    if named {
        return Some(kind);
    }
    let known: &[&str] = match doc {
        Kind::RepoConfig => model::GLOBAL_KEYS,
        Kind::RepoYaml => model::REPO_CFG_KEYS,
    };
    let text = String::from_utf8_lossy(&file.bytes);
    let keys = Probe::new(&file.name, &text).first_keys();
    (!keys.is_empty() && keys.iter().all(|k| known.contains(&k.as_str()))).then_some(kind)
}

/// True when `bytes` look like an Atlantis server config (see the module docs) and no other
/// kind of file (a manifest, a Helm values file...).
pub fn looks_like_server_config(bytes: &[u8]) -> bool {
    let file = crate::input::NamedBytes {
        name: "config.yaml".into(),
        bytes: bytes.to_vec(),
    };
    matches!(crate::input::holds_atlantis(&file), (true, k) if k.name == "server-config")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_server_configs_only() {
        assert!(looks_like_server_config(
            b"gh-user: bot\nrepo-allowlist: x\n"
        ));
        assert!(looks_like_server_config(b"GH-User: bot\n"));
        assert!(looks_like_server_config(b"repo-whitelist: x\n"));
        // A syntax error does not hide a server config.
        assert!(looks_like_server_config(
            b"gh-user: bot\ngh-token: \"unclosed\n"
        ));
        // Repo-level atlantis.yaml: `automerge` is a flag name too, but `version`/`projects` tell.
        assert!(!looks_like_server_config(
            b"version: 3\nautomerge: true\nprojects:\n- dir: .\n"
        ));
        assert!(!looks_like_server_config(
            b"repos:\n- id: /.*/\nworkflows: {}\n"
        ));
        assert!(!looks_like_server_config(
            b"apiVersion: v1\nkind: ConfigMap\n"
        ));
        assert!(!looks_like_server_config(b"- gh-user\n"));
        // The Helm chart's values: `config` is a flag name, but `orgAllowlist` says what it is.
        assert!(!looks_like_server_config(
            b"fullnameOverride: \"\"\nconfig: \"\"\norgAllowlist: \"<replace-me>\"\n"
        ));
        assert!(!looks_like_server_config(b""));
    }

    #[test]
    fn repo_documents_only_when_clearly_one() {
        let kind = |name: &str, text: &str| {
            repo_document(&crate::input::NamedBytes {
                name: name.into(),
                bytes: text.as_bytes().to_vec(),
            })
            .map(|k| k.name)
        };
        let (repo_yaml, repo_config) = (Some("repo-yaml"), Some("repo-config"));
        assert_eq!(
            kind("atlantis.yaml", "version: 3\nprojects: []\n"),
            repo_yaml
        );
        // A typo in a file named like one is still linted (and reported).
        assert_eq!(
            kind("a/atlantis.yml", "version: 3\nprojekts: []\n"),
            repo_yaml
        );
        assert_eq!(
            kind("x/projects.yaml", "version: 3\nprojects: []\n"),
            repo_yaml
        );
        assert_eq!(kind("repos.yaml", "repos: []\nworkflow: {}\n"), repo_config);
        assert_eq!(kind("repo-config-prod.yml", "repos: []\n"), repo_config);
        assert_eq!(
            kind("server/side.yaml", "repos:\n- id: /.*/\n"),
            repo_config
        );
        assert_eq!(kind("server/side.yaml", "repos: []\nbogus: 1\n"), None);
        let chart = "apiVersion: v2\nname: x\nversion: 0.1.0\n";
        assert_eq!(kind("Chart.yaml", chart), None);
        assert_eq!(kind("buf.yaml", "version: v1\nbreaking: {}\n"), None);
        let compose = "version: \"3\"\nservices:\n  a: {image: x}\n";
        assert_eq!(kind("docker-compose.yml", compose), None);
        assert_eq!(kind("atlantis.yaml", "gh-user: bot\n"), None);
    }
}

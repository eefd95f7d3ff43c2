//! The fixture convention, in one place: a case is a stem in a folder under `fixtures/`, with
//! `<stem>.yaml` (or any other config extension), and optional `<stem>.env` (passed as
//! `--env-file`), `<stem>.argv` (one Atlantis argument per line, after `--`) and `<stem>.opts`
//! (extra linter options, one per line). `*.expected.*`, dotfiles and Markdown are not inputs.
//! A folder named `inputs` holds the other files a case's options name (the server config or
//! `repos.yaml` a repo-level `atlantis.yaml` is checked with): its files are not cases.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Default, Debug)]
pub struct Case {
    pub dir: PathBuf,
    pub stem: String,
    pub config: Option<String>,
    pub env: Option<String>,
    pub argv: Option<String>,
    pub opts: Option<String>,
}

impl Case {
    /// Adds the case's inputs to a command run in `self.dir`: options, env file, config, argv.
    pub fn add_args(&self, cmd: &mut Command) {
        if let Some(opts) = &self.opts {
            let text = std::fs::read_to_string(self.dir.join(opts)).unwrap();
            cmd.args(text.lines().filter(|l| !l.trim().is_empty()));
        }
        if let Some(env) = &self.env {
            cmd.args(["--env-file", env]);
        }
        if let Some(config) = &self.config {
            cmd.arg(config);
        }
        if let Some(argv) = &self.argv {
            let text = std::fs::read_to_string(self.dir.join(argv)).unwrap();
            cmd.arg("--");
            cmd.args(text.lines());
        }
    }

    /// The case's input files.
    pub fn files(&self) -> Vec<PathBuf> {
        [&self.config, &self.env, &self.argv, &self.opts]
            .into_iter()
            .flatten()
            .map(|name| self.dir.join(name))
            .collect()
    }
}

/// Every case below `root`, sorted by folder and stem.
pub fn cases(root: &Path) -> Vec<Case> {
    let mut dirs = vec![root.to_path_buf()];
    let mut out = Vec::new();
    while let Some(dir) = dirs.pop() {
        let mut by_stem: BTreeMap<String, Case> = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "inputs") {
                    dirs.push(path);
                }
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.contains(".expected.") || name.starts_with('.') || name.ends_with(".md") {
                continue;
            }
            let (stem, ext) = name.split_once('.').unwrap_or((&name, ""));
            let case = by_stem.entry(stem.to_string()).or_insert_with(|| Case {
                dir: dir.clone(),
                stem: stem.to_string(),
                ..Case::default()
            });
            match ext {
                "env" => case.env = Some(name.clone()),
                "argv" => case.argv = Some(name.clone()),
                "opts" => case.opts = Some(name.clone()),
                _ => case.config = Some(name.clone()),
            }
        }
        out.extend(by_stem.into_values());
    }
    out.sort_by(|a, b| (&a.dir, &a.stem).cmp(&(&b.dir, &b.stem)));
    out
}

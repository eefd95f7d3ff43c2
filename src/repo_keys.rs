//! Which keys each Atlantis release accepts in the server-side repo config (`--repo-config`) and
//! in a repository's `atlantis.yaml`, from `data/repo-config-keys.json`.
//!
//! Both files are decoded strictly: a key the running release does not know yet fails the
//! server's start (server side) or the pull request's plan (repo level). This is the most
//! common repo-config report in Atlantis's issue tracker. The readers of those documents ask
//! [`key_in_release`] per key.

use crate::version::Version;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Which document a key is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// The server-side repo config (`--repo-config` file, `--repo-config-json`).
    ServerSide,
    /// A repository's `atlantis.yaml`.
    RepoLevel,
}

/// What a release says about a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyInRelease {
    /// The release accepts it.
    Known,
    /// A later release added it: this one rejects it as unknown.
    NotYet { since: Version },
    /// No release accepts it in that place.
    Unknown,
}

type Section = BTreeMap<String, Option<Version>>;

struct Tables {
    server_side: BTreeMap<String, Section>,
    repo_level: BTreeMap<String, Section>,
    allowed_overrides: Vec<(Version, Vec<String>)>,
    /// Built-in step names and the release that added each.
    step_names: Section,
    /// Step shapes and options ([`StepForm`]) and the release that added each.
    step_forms: BTreeMap<String, Version>,
    /// The keys of a pre/post workflow hook and the release that started reading each.
    hook_keys: Section,
    /// Deprecated keys: (document, path, key) -> (since, replacement).
    deprecated: BTreeMap<(&'static str, String, String), Deprecated>,
}

/// A key Atlantis's documentation marks deprecated (it still reads it, without a warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecated {
    /// The first release whose documentation says so.
    pub since: Version,
    /// The key to use instead.
    pub replacement: String,
}

/// A workflow step shape or option that a release added (`data/repo-config-keys.json`, `steps.forms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepForm {
    /// `- multienv: <command>`.
    MultienvCommand,
    /// `- run: {command: ..., output: ...}`.
    RunMap,
    /// `- multienv: {command: ..., output: ...}`.
    MultienvMap,
    /// `shell` / `shellArgs` in a run, multienv or env map.
    Shell,
    /// A list `output` (and any value of a step map that is not a string) is decoded.
    OutputList,
    /// A list `output` is applied: `strip_refreshing`, `{filter_regex: ...}`.
    FilterRegex,
}

impl StepForm {
    fn key(self) -> &'static str {
        match self {
            StepForm::MultienvCommand => "multienv_command",
            StepForm::RunMap => "run_map",
            StepForm::MultienvMap => "multienv_map",
            StepForm::Shell => "shell",
            StepForm::OutputList => "output_list",
            StepForm::FilterRegex => "filter_regex",
        }
    }
}

fn release(v: &serde_json::Value) -> Option<Version> {
    v.as_str().map(|s| {
        Version::parse(s)
            .unwrap_or_else(|| panic!("data/repo-config-keys.json: `{s}` is no release"))
    })
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let data: serde_json::Value =
            serde_json::from_str(include_str!("../data/repo-config-keys.json"))
                .expect("data/repo-config-keys.json is JSON");
        let sections = |doc: &str| -> BTreeMap<String, Section> {
            data[doc]
                .as_object()
                .expect("a section map")
                .iter()
                .map(|(path, keys)| {
                    let keys = keys
                        .as_object()
                        .expect("a key map")
                        .iter()
                        .map(|(k, since)| (k.clone(), release(since)))
                        .collect();
                    (path.clone(), keys)
                })
                .collect()
        };
        let allowed_overrides = data["allowed_overrides"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|e| {
                let values = e["values"]
                    .as_array()
                    .expect("values")
                    .iter()
                    .map(|v| v.as_str().expect("a string").to_string())
                    .collect();
                (release(&e["since"]).expect("a since"), values)
            })
            .collect();
        let steps = &data["steps"];
        let step_names = steps["builtin"]
            .as_object()
            .expect("steps.builtin")
            .iter()
            .map(|(k, since)| (k.clone(), release(since)))
            .collect();
        let step_forms = steps["forms"]
            .as_object()
            .expect("steps.forms")
            .iter()
            .map(|(k, since)| (k.clone(), release(since).expect("a since")))
            .collect();
        let hook_keys = data["hooks"]["keys"]
            .as_object()
            .expect("hooks.keys")
            .iter()
            .map(|(k, since)| (k.clone(), release(since)))
            .collect();
        let mut deprecated = BTreeMap::new();
        for doc in ["server_side", "repo_level"] {
            for (path, keys) in data["deprecated"][doc].as_object().expect("deprecated") {
                for (key, d) in keys.as_object().expect("a key map") {
                    let entry = Deprecated {
                        since: release(&d["since"]).expect("a since"),
                        replacement: d["use"].as_str().expect("use").to_string(),
                    };
                    deprecated.insert((doc, path.clone(), key.clone()), entry);
                }
            }
        }
        Tables {
            server_side: sections("server_side"),
            repo_level: sections("repo_level"),
            allowed_overrides,
            step_names,
            step_forms,
            hook_keys,
            deprecated,
        }
    })
}

fn section(doc: Document, path: &str) -> Option<&'static Section> {
    let t = tables();
    match doc {
        Document::ServerSide => t.server_side.get(path),
        Document::RepoLevel => t.repo_level.get(path),
    }
}

/// Where the keys of one of Atlantis's raw types are in the table. The types are shared by both
/// documents (a repo-level `atlantis.yaml`'s `workflows` and `autodiscover` decode into the same
/// `raw.Workflow` and `raw.AutoDiscover`), so each has one place.
pub fn table_path(type_name: &str) -> Option<(Document, &'static str)> {
    Some(match type_name {
        "raw.GlobalCfg" => (Document::ServerSide, ""),
        "raw.Repo" => (Document::ServerSide, "repos[]"),
        "raw.AutoDiscover" => (Document::ServerSide, "repos[].autodiscover"),
        "raw.Workflow" => (Document::ServerSide, "workflows.*"),
        "raw.PolicySets" => (Document::ServerSide, "policies"),
        "raw.PolicySet" => (Document::ServerSide, "policies.policy_sets[]"),
        "raw.Metrics" => (Document::ServerSide, "metrics"),
        "raw.RepoCfg" => (Document::RepoLevel, ""),
        "raw.Project" => (Document::RepoLevel, "projects[]"),
        "raw.Autoplan" => (Document::RepoLevel, "projects[].autoplan"),
        _ => return None,
    })
}

/// The release that added `key` anywhere in the table, the latest when it is in several places
/// (`policy_check`: a workflow stage in every release, a repo key from v0.24.4).
pub fn added_in(key: &str) -> Option<Version> {
    let t = tables();
    t.server_side
        .values()
        .chain(t.repo_level.values())
        .filter_map(|keys| keys.get(key).copied().flatten())
        .max()
}

/// Whether release `v` accepts `key` at `path` of a document. `path` names the mapping the key
/// is in: `""` (top level), `"repos[]"`, `"repos[].autodiscover"`, `"workflows.*"`, `"policies"`,
/// `"policies.policy_sets[]"`, `"metrics"` (server side); `""`, `"projects[]"`,
/// `"projects[].autoplan"` (repo level). Mappings the table does not list (a step's keys, hook
/// entries) answer [`KeyInRelease::Known`].
pub fn key_in_release(doc: Document, path: &str, key: &str, v: Version) -> KeyInRelease {
    let Some(keys) = section(doc, path) else {
        return KeyInRelease::Known;
    };
    match keys.get(key) {
        None => KeyInRelease::Unknown,
        Some(Some(since)) if *since > v => KeyInRelease::NotYet { since: *since },
        Some(_) => KeyInRelease::Known,
    }
}

/// The keys release `v` accepts at `path` (for "did you mean").
pub fn keys_in_release(doc: Document, path: &str, v: Version) -> Vec<&'static str> {
    section(doc, path)
        .into_iter()
        .flatten()
        .filter(|(_, since)| since.is_none_or(|s| s <= v))
        .map(|(k, _)| k.as_str())
        .collect()
}

/// The release that added a built-in step name (`None`: every release, or not a built-in).
pub fn step_since(name: &str) -> Option<Version> {
    tables().step_names.get(name).copied().flatten()
}

/// The built-in step names, in the table's order.
pub fn step_names() -> Vec<&'static str> {
    tables().step_names.keys().map(String::as_str).collect()
}

/// The release that added a step shape or option.
pub fn step_form_since(form: StepForm) -> Version {
    *tables()
        .step_forms
        .get(form.key())
        .unwrap_or_else(|| panic!("data/repo-config-keys.json: no steps.forms.{}", form.key()))
}

/// The keys a workflow hook has (in some release), and the release that started reading each
/// (`None`: every release).
pub fn hook_keys() -> Vec<(&'static str, Option<Version>)> {
    tables()
        .hook_keys
        .iter()
        .map(|(k, since)| (k.as_str(), *since))
        .collect()
}

/// Every key of a section with the release that added it (`None`: every release), for the
/// schemas. `path` as for [`key_in_release`].
pub fn section_keys(doc: Document, path: &str) -> Vec<(&'static str, Option<Version>)> {
    section(doc, path)
        .into_iter()
        .flatten()
        .map(|(k, since)| (k.as_str(), *since))
        .collect()
}

/// Whether Atlantis's documentation marks `key` at `path` deprecated, since when, and for what.
pub fn deprecated(doc: Document, path: &str, key: &str) -> Option<&'static Deprecated> {
    let d = match doc {
        Document::ServerSide => "server_side",
        Document::RepoLevel => "repo_level",
    };
    tables()
        .deprecated
        .get(&(d, path.to_string(), key.to_string()))
}

/// The values `allowed_overrides` accepts in release `v`.
pub fn allowed_overrides(v: Version) -> Vec<&'static str> {
    tables()
        .allowed_overrides
        .iter()
        .rev()
        .find(|(since, _)| *since <= v)
        .map(|(_, values)| values.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The first release whose `allowed_overrides` accepts `value`.
pub fn override_since(value: &str) -> Option<Version> {
    tables()
        .allowed_overrides
        .iter()
        .find(|(_, values)| values.iter().any(|v| v == value))
        .map(|(since, _)| *since)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Document::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn keys_per_release() {
        assert_eq!(
            key_in_release(ServerSide, "repos[]", "silence_pr_comments", v("v0.28.1")),
            KeyInRelease::NotYet {
                since: v("v0.28.2")
            }
        );
        assert_eq!(
            key_in_release(ServerSide, "repos[]", "silence_pr_comments", v("v0.28.2")),
            KeyInRelease::Known
        );
        assert_eq!(
            key_in_release(ServerSide, "", "external_stores", v("v0.46.0")),
            KeyInRelease::NotYet {
                since: v("v0.47.0")
            }
        );
        assert_eq!(
            key_in_release(RepoLevel, "projects[]", "depends_on", v("v0.22.0")),
            KeyInRelease::NotYet {
                since: v("v0.27.0")
            }
        );
        assert_eq!(
            key_in_release(RepoLevel, "projects[]", "dir", v("v0.17.0")),
            KeyInRelease::Known
        );
        assert_eq!(
            key_in_release(RepoLevel, "projects[]", "direcotry", v("v0.47.1")),
            KeyInRelease::Unknown
        );
        assert!(!keys_in_release(RepoLevel, "", v("v0.27.0")).contains(&"repo_locks"));
        assert!(keys_in_release(RepoLevel, "", v("v0.28.0")).contains(&"repo_locks"));
    }

    #[test]
    fn allowed_overrides_grow() {
        assert_eq!(allowed_overrides(v("v0.17.0")).len(), 3);
        assert!(!allowed_overrides(v("v0.28.1")).contains(&"silence_pr_comments"));
        assert!(allowed_overrides(v("v0.47.1")).contains(&"silence_pr_comments"));
    }

    /// Every since is a release the flag history covers, so both tables speak of the same releases.
    #[test]
    fn releases_are_known() {
        let t = tables();
        for sections in [&t.server_side, &t.repo_level] {
            for (path, keys) in sections {
                for (k, since) in keys {
                    if let Some(s) = since {
                        assert!(crate::flags::RELEASES.contains(s), "{path}.{k}: {s}");
                    }
                }
            }
        }
        for (since, _) in &t.allowed_overrides {
            assert!(crate::flags::RELEASES.contains(since));
        }
        for since in t
            .step_names
            .values()
            .flatten()
            .chain(t.step_forms.values())
            .chain(t.hook_keys.values().flatten())
        {
            assert!(crate::flags::RELEASES.contains(since), "{since}");
        }
        for ((doc, path, key), d) in &t.deprecated {
            assert!(crate::flags::RELEASES.contains(&d.since));
            let doc = if *doc == "server_side" {
                ServerSide
            } else {
                RepoLevel
            };
            assert!(
                section(doc, path).is_some_and(|s| s.contains_key(key)),
                "{path}.{key}"
            );
            assert!(section(doc, path).is_some_and(|s| s.contains_key(&d.replacement)));
        }
    }
}

//! Linting the repo-config and repo-level documents of one run, together with the server
//! configs of the same run: a server config's `repo-config-json` is checked inside it, the file
//! its `repo-config` names is linted when it exists beside it, every repo config learns the
//! server's allowlist, and every `atlantis.yaml` is held against the run's repo config.

use super::{Document, Kind, ServerContext, matching};
use crate::config::{EffectiveConfig, MountedFile, RawValue};
use crate::finding::Finding;
use crate::flags;
use crate::input::NamedBytes;
use crate::rules::repo::{self, DocContext};
use crate::source::{SourceKind, SourceText, Sources};
use crate::version::{AtlantisVersion, Version};
use std::path::{Path, PathBuf};

/// A document named in the run.
#[derive(Debug, Clone)]
pub struct DocInput {
    pub kind: Kind,
    pub file: NamedBytes,
    /// The path on disk (for the Git remote of an `atlantis.yaml`), when it is a file.
    pub path: Option<PathBuf>,
}

/// One linted document: its own source texts, the document, and its findings (before
/// suppressions and policy).
#[derive(Debug)]
pub struct Linted {
    pub sources: Sources,
    pub doc: Document,
    pub findings: Vec<Finding>,
    /// The Atlantis release it was checked against, and what decided it.
    pub release: AtlantisVersion,
}

/// The server-side repo config a server configuration holds inside the user's own file: the
/// JSON of `--repo-config-json`, else the `repos.yaml` the deployment mounts where the winning
/// `repo-config` points (the Helm chart's `repoConfig`, a ConfigMap key).
pub fn embedded(cfg: &EffectiveConfig) -> Option<Document> {
    if cfg.winner(flags::REPO_CONFIG_JSON).is_some() {
        return embedded_json(cfg);
    }
    let mounted = mounted_repo_config(cfg)?;
    Some(super::read_mounted(
        mounted,
        &cfg.sources.get(mounted.source).text,
        cfg.version(),
    ))
}

/// The file the deployment mounts where the winning `repo-config` points, when the user's file
/// holds its content.
pub fn mounted_repo_config(cfg: &EffectiveConfig) -> Option<&MountedFile> {
    let path = cfg.str(flags::REPO_CONFIG)?;
    cfg.mounted.iter().find(|m| m.path == path)
}

/// The document of `--repo-config-json` inside a server config, if it holds a JSON object.
fn embedded_json(cfg: &EffectiveConfig) -> Option<Document> {
    let setting = cfg.winner(flags::REPO_CONFIG_JSON)?;
    let RawValue::Scalar { text, style, .. } = &setting.value else {
        if let RawValue::Text(t) = &setting.value {
            let source = cfg.sources.get(setting.origin.source);
            let span = setting.origin.value_span;
            let raw = source.text.get(span.start..span.end).unwrap_or("");
            return super::read_json(
                setting.origin.source,
                setting.origin.spelling.clone(),
                t.as_str(),
                raw,
                span,
                None,
                cfg.version(),
            );
        }
        return None;
    };
    let source = cfg.sources.get(setting.origin.source);
    let span = setting.origin.value_span;
    let raw = source.text.get(span.start..span.end).unwrap_or("");
    super::read_json(
        setting.origin.source,
        setting.origin.spelling.clone(),
        text.as_str(),
        raw,
        span,
        Some(*style),
        cfg.version(),
    )
}

/// The findings about the repo config a server configuration holds (see [`embedded`]),
/// located in the user's file.
///
/// `repo-config-json` is a secret flag (it may embed credentials in commands): no 8-character
/// piece of its string values may reach a message, so the pieces findings quote are masked
/// (Atlantis's vocabulary, such as `mergeable`, excepted). In a mounted `repos.yaml`, the
/// values its reader masked (an env step's `TF_TOKEN` value, `NAME=value` in a command) are.
pub fn embedded_findings(cfg: &EffectiveConfig) -> Vec<Finding> {
    let Some(doc) = embedded(cfg) else {
        return Vec::new();
    };
    let server = ServerContext::from_config(cfg);
    let mut findings = repo::run(&DocContext {
        doc: &doc,
        server: Some(&server),
        repo_config: None,
        repo_id: None,
    });
    if doc.json {
        mask_quoted_values(&doc, &mut findings);
    } else if let Some(mounted) = mounted_repo_config(cfg) {
        let content =
            crate::input::mounted::content(mounted, &cfg.sources.get(mounted.source).text);
        let pieces = crate::input::mounted::secret_pieces(content);
        mask_windows(
            pieces.iter().filter_map(|s| content.get(s.start..s.end)),
            &mut findings,
        );
    }
    findings
}

/// Masks, in the findings about a document of its own (a `repos.yaml`, an `atlantis.yaml`),
/// every 8-byte window of the credentials its snippets mask (see `mounted::secret_pieces`).
fn mask_credentials(sources: &Sources, doc: &Document, findings: &mut [Finding]) {
    let text = &sources.get(doc.source).text;
    let pieces = crate::input::mounted::secret_pieces(text);
    mask_windows(
        pieces.iter().filter_map(|s| text.get(s.start..s.end)),
        findings,
    );
}

const WINDOW: usize = 8;

/// Atlantis's own words (field names, enumerated values), never secrets.
fn vocabulary(v: &str) -> bool {
    use super::model;
    repo::REQUIREMENTS.contains(&v)
        || repo::OVERRIDES.contains(&v)
        || super::steps::BUILTINS.contains(&v)
        || model::REPO_KEYS.contains(&v)
        || model::REPO_CFG_KEYS.contains(&v)
        || model::PROJECT_KEYS.contains(&v)
        || model::STAGES.contains(&v)
        || matches!(
            v,
            "on_plan"
                | "on_apply"
                | "disabled"
                | "enabled"
                | "strip_refreshing"
                | "default"
                | "repos"
                | "workflows"
                | "policies"
                | "metrics"
                | "team_authz"
                | "external_stores"
                | "steps"
                | "extra_args"
                | "command"
                | "commands"
                | "output"
                | "shellArgs"
                | "description"
                | "ignore_paths"
                | "policy_sets"
                | "conftest_version"
                | "policy_item_regex"
                | "approve_count"
                | "sticky_policy_approvals"
                | "prevent_self_approve"
                | "prometheus"
                | "endpoint"
                | "plan_store"
                | "force_path_style"
                | "filter_regex"
        )
}

/// Masks, in every text of the findings, each 8-byte window that occurs inside a string value
/// of the document (one pass over the values, whatever their size).
fn mask_quoted_values(doc: &Document, findings: &mut [Finding]) {
    use crate::input::yaml::NodeKind;
    let Some(yaml) = &doc.yaml else { return };
    // Every scalar, but the mapping keys that read as a field name: lower-case words with `_`
    // or `-` (a misspelled field is what `repo-config-unknown-key` quotes). No credential has
    // that shape; a key with capitals or digits (a pasted value) stays masked.
    let field_like = |id: usize| match &yaml.nodes[id].kind {
        NodeKind::Scalar(s) => {
            !s.value.is_empty()
                && s.value.len() <= 40
                && s.value
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'-')
        }
        _ => false,
    };
    let keys: std::collections::HashSet<usize> = yaml
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::Map(pairs) => Some(pairs.iter().map(|&(k, _)| k)),
            _ => None,
        })
        .flatten()
        .filter(|&k| field_like(k))
        .collect();
    let values = yaml
        .nodes
        .iter()
        .enumerate()
        .filter(|(id, _)| !keys.contains(id))
        .filter_map(|(_, n)| match &n.kind {
            NodeKind::Scalar(s) if !vocabulary(&s.value) => Some(s.value.as_str()),
            _ => None,
        });
    mask_windows(values, findings);
}

/// Masks, in every text of the findings, each 8-byte window that occurs inside one of `values`
/// (Atlantis's own words stay readable).
fn mask_windows<'a>(values: impl Iterator<Item = &'a str>, findings: &mut [Finding]) {
    use std::collections::HashSet;
    let texts = |f: &Finding| -> Vec<String> {
        let mut t = vec![f.message.clone()];
        t.extend(f.help.clone());
        t.extend(f.label.clone());
        t.extend(f.suggestion.clone());
        t.extend(f.related.iter().map(|l| l.text.clone()));
        t
    };
    let mut wanted: HashSet<Vec<u8>> = HashSet::new();
    for f in findings.iter() {
        for t in texts(f) {
            for w in t.as_bytes().windows(WINDOW) {
                wanted.insert(w.to_vec());
            }
        }
    }
    if wanted.is_empty() {
        return;
    }
    let mut found: HashSet<Vec<u8>> = HashSet::new();
    for value in values {
        for w in value.as_bytes().windows(WINDOW) {
            if wanted.contains(w) {
                found.insert(w.to_vec());
            }
        }
    }
    if found.is_empty() {
        return;
    }
    let mask = |t: &str| -> String {
        let b = t.as_bytes();
        let mut hide = vec![false; b.len()];
        for i in 0..b.len().saturating_sub(WINDOW - 1) {
            if found.contains(&b[i..i + WINDOW]) {
                hide[i..i + WINDOW].iter_mut().for_each(|h| *h = true);
            }
        }
        // Atlantis's own words stay readable (`did you mean `repo_config_file`?`).
        let mut start = None;
        for (i, c) in t.char_indices().chain(std::iter::once((t.len(), ' '))) {
            let word = c.is_ascii_alphanumeric() || c == '_';
            match (word, start) {
                (true, None) => start = Some(i),
                (false, Some(st)) => {
                    if vocabulary(&t[st..i]) {
                        hide[st..i].iter_mut().for_each(|h| *h = false);
                    }
                    start = None;
                }
                _ => {}
            }
        }
        t.char_indices()
            .map(|(i, c)| {
                if hide[i..i + c.len_utf8()].iter().any(|h| *h) {
                    '*'
                } else {
                    c
                }
            })
            .collect()
    };
    for f in findings.iter_mut() {
        f.message = mask(&f.message);
        f.help = f.help.as_deref().map(mask);
        f.label = f.label.as_deref().map(mask);
        f.suggestion = f.suggestion.as_deref().map(mask);
        for l in &mut f.related {
            l.text = mask(&l.text);
        }
    }
}

/// Reads one document into its own sources, as Atlantis `release` decodes it.
pub fn read(input: &DocInput, release: Version) -> (Sources, Document) {
    let mut sources = Sources::default();
    let bytes = input
        .file
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&input.file.bytes);
    let text = String::from_utf8_lossy(bytes).into_owned();
    let mut source = SourceText::new(SourceKind::File, input.file.name.clone(), text);
    // Its credentials (an env step's value, `NAME=value` or `curl -u user:PASSWORD` in a
    // command, a commented-out token) are never shown in a snippet.
    for span in crate::input::mounted::secret_pieces(&source.text) {
        source.add_secret(span);
    }
    let id = sources.add(source);
    let doc = super::read(
        input.kind,
        id,
        &input.file.name,
        &sources.get(id).text,
        release,
    );
    (sources, doc)
}

/// The repo config file a server config names: the host file a deployment mounts where it
/// points, else resolved as Atlantis would from the directory of the server config (`beside`),
/// or as written (`check_files`: the linter runs where the server runs).
pub fn named_repo_config(cfg: &EffectiveConfig, check_files: bool) -> Option<PathBuf> {
    // The deployment mounts the content written in the user's file there: that is the one.
    if mounted_repo_config(cfg).is_some() {
        return None;
    }
    let named = cfg.str(flags::REPO_CONFIG)?;
    // What the deployment mounts there (a compose bind mount of the file or of a folder above
    // it; the most specific mount wins, as in the container): that file, or nothing to lint
    // when it is missing or not in the input (a repos.yaml beside is not the one). An absolute
    // host path is the deploy host's: read only with --check-files (the linter runs there).
    let mount = cfg
        .host_mounts
        .iter()
        .filter_map(|m| {
            let rest = named.strip_prefix(m.container.as_str())?;
            (rest.is_empty() || rest.starts_with('/')).then_some((m, rest.trim_start_matches('/')))
        })
        .max_by_key(|(m, _)| m.container.len());
    if let Some((m, rest)) = mount {
        let host = m.host.as_ref()?;
        let file = if rest.is_empty() {
            host.clone()
        } else {
            host.join(rest)
        };
        let here = check_files || !file.is_absolute();
        return (here && file.is_file()).then_some(file);
    }
    let named = Path::new(named);
    if check_files && named.is_file() {
        return Some(named.to_path_buf());
    }
    let server_file = cfg.path.as_ref()?;
    let dir = Path::new(server_file).parent()?;
    let beside = dir.join(named.file_name()?);
    beside.is_file().then_some(beside)
}

/// Lints every document of the run. `servers` are the run's server configs (already linted);
/// the first one's allowlist applies to every repo config, and the first repo config (or the
/// first server's `repo-config-json`) is what every `atlantis.yaml` is held against.
///
/// `given[i]` is the release `--atlantis-version` (or the settings file) names for `inputs[i]`;
/// without one, a document is read for the first server config's release (its image tag), else
/// for the latest known.
pub fn lint(
    inputs: &[DocInput],
    given: &[Option<Version>],
    servers: &[&EffectiveConfig],
    repo_id: Option<&str>,
) -> Vec<Linted> {
    let server = servers.first().map(|c| ServerContext::from_config(c));
    let release_of = |i: usize| -> AtlantisVersion {
        match given.get(i).copied().flatten() {
            Some(v) => AtlantisVersion::given(v),
            None => servers
                .first()
                .map(|c| c.atlantis_version().clone())
                .unwrap_or_default(),
        }
    };
    let mut out: Vec<Linted> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        if input.kind != Kind::RepoConfig {
            continue;
        }
        let release = release_of(i);
        let (sources, doc) = read(input, release.version);
        let mut findings = repo::run(&DocContext {
            doc: &doc,
            server: server.as_ref(),
            repo_config: None,
            repo_id: None,
        });
        mask_credentials(&sources, &doc, &mut findings);
        out.push(Linted {
            sources,
            doc,
            findings,
            release,
        });
    }
    let json_repo_config = servers.first().and_then(|c| embedded(c));
    for (i, input) in inputs.iter().enumerate() {
        if input.kind != Kind::RepoYaml {
            continue;
        }
        let release = release_of(i);
        let (sources, doc) = read(input, release.version);
        let git_id = match repo_id {
            Some(_) => None,
            None => input.path.as_deref().and_then(matching::repo_id_from_git),
        };
        let repo_config = out
            .iter()
            .map(|l| &l.doc)
            .find(|d| d.kind == Kind::RepoConfig && d.global.is_some())
            .or(json_repo_config.as_ref());
        let mut findings = repo::run(&DocContext {
            doc: &doc,
            server: server.as_ref(),
            repo_config,
            repo_id: repo_id.or(git_id.as_deref()),
        });
        mask_credentials(&sources, &doc, &mut findings);
        out.push(Linted {
            sources,
            doc,
            findings,
            release,
        });
    }
    out
}

/// What a file is, as the input kinds say (`crate::input::repo_config`): a repo-level
/// `atlantis.yaml` has `version` or `projects`; a server-side repo config has `repos`,
/// `workflows`, `policies`, `metrics`, `team_authz` or `external_stores` and no Atlantis flag.
///
/// Block-style files are judged by their unindented `key:` lines, without parsing; only a file
/// with none (JSON, a flow mapping) is probed by parsing.
pub fn detect(bytes: &[u8]) -> Option<Kind> {
    let text = String::from_utf8_lossy(bytes);
    let scanned: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with([' ', '\t', '#', '-', '{', '[', '"', '\'']) && !l.is_empty())
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim()))
        .collect();
    if scanned.is_empty() {
        let probe = crate::input::kind::Probe::new("", &text);
        return from_kind(crate::input::kind::detect(&probe));
    }
    let keys: Vec<String> = scanned.into_iter().map(str::to_string).collect();
    let has = |k: &str| keys.iter().any(|x| x == k);
    if has("version") || has("projects") {
        return Some(Kind::RepoYaml);
    }
    let flags = keys.iter().any(|k| crate::flags::lookup_key(k).is_some());
    let repo_config = [
        "repos",
        "workflows",
        "policies",
        "metrics",
        "team_authz",
        "external_stores",
    ]
    .iter()
    .any(|k| has(k));
    (repo_config && !flags).then_some(Kind::RepoConfig)
}

/// The document kind an input kind stands for (`--kind repo-config|repo-yaml`).
pub fn from_kind(kind: &crate::input::kind::Kind) -> Option<Kind> {
    match kind.name {
        n if n == crate::input::repo_config::SERVER_SIDE.name => Some(Kind::RepoConfig),
        n if n == crate::input::repo_config::REPO_LEVEL.name => Some(Kind::RepoYaml),
        _ => None,
    }
}

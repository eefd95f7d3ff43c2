//! The linter's own settings file, `.atlantis-lint.yaml`: what a team says once for everybody
//! (rule severities, paths to skip, values set at runtime), found by walking up from each linted
//! file as ruff and yamllint do. Command-line options win over it; it wins over the defaults.
//!
//! ```yaml
//! rules:                        # ignore | warn | deny
//!   plaintext-secret: deny
//! exclude: ["vendor/**"]        # globs, relative to this file's directory
//! assume-set: [gh-webhook-secret]   # set at runtime (a Secret, Vault): counts as set
//! atlantis-version: v0.30.0
//! kind:                         # input kind per glob
//!   "deploy/k8s/*.yaml": kubernetes
//! overrides:                    # later entries win
//!   - files: ["staging/**"]
//!     rules: {missing-webhook-secret: ignore}
//! ```
//!
//! An unknown key or a bad value is a usage error (exit status 2) naming its line and column,
//! with a "did you mean" when a known name is close.

use crate::input::yaml::{self, NodeId, NodeKind, YamlDoc};
use crate::source::{SourceKind, SourceText};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The names looked for in each directory, in this order.
pub const FILE_NAMES: [&str; 2] = [".atlantis-lint.yaml", ".atlantis-lint.yml"];

const TOP_KEYS: [&str; 6] = [
    "rules",
    "exclude",
    "assume-set",
    "atlantis-version",
    "kind",
    "overrides",
];
const OVERRIDE_KEYS: [&str; 4] = ["files", "rules", "assume-set", "atlantis-version"];

/// What the settings (or the command line) make of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Ignore,
    Warn,
    Deny,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ignore => "ignore",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    fn parse(s: &str) -> Option<Level> {
        match s {
            "ignore" => Some(Level::Ignore),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }
}

/// A glob of the settings file: `*` within a path segment, `**` across segments, `?` one
/// character. A pattern without `/` matches a file name at any depth.
#[derive(Debug, Clone)]
pub struct Glob {
    pub text: String,
    regex: regex::Regex,
}

impl Glob {
    pub fn new(text: &str) -> Result<Glob, String> {
        if text.trim().is_empty() {
            return Err("an empty glob".into());
        }
        let pattern = text.trim_start_matches("./");
        let anchored = pattern.contains('/');
        let mut re = String::from(if anchored { "^" } else { "^(?:.*/)?" });
        let mut chars = pattern.trim_start_matches('/').chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '*' if chars.peek() == Some(&'*') => {
                    chars.next();
                    if chars.peek() == Some(&'/') {
                        chars.next();
                        re.push_str("(?:.*/)?");
                    } else {
                        re.push_str(".*");
                    }
                }
                '*' => re.push_str("[^/]*"),
                '?' => re.push_str("[^/]"),
                c => re.push_str(&regex::escape(&c.to_string())),
            }
        }
        // A directory pattern covers what is below it.
        re.push_str("(?:/.*)?$");
        let regex = regex::Regex::new(&re).map_err(|e| format!("not a usable glob: {e}"))?;
        Ok(Glob {
            text: text.to_string(),
            regex,
        })
    }

    /// `path` is relative to the settings file's directory, with `/` separators.
    pub fn matches(&self, path: &str) -> bool {
        self.regex.is_match(path)
    }
}

#[derive(Debug, Clone)]
struct Override {
    files: Vec<Glob>,
    rules: Vec<(String, Level)>,
    assume_set: Vec<String>,
    atlantis_version: Option<String>,
}

/// One parsed settings file.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The settings file, as found or named.
    pub path: PathBuf,
    /// Its directory: the globs are relative to it.
    pub dir: PathBuf,
    rules: Vec<(String, Level)>,
    exclude: Vec<Glob>,
    assume_set: Vec<String>,
    atlantis_version: Option<String>,
    kind: Vec<(Glob, String)>,
    overrides: Vec<Override>,
}

/// What applies to one linted file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// The settings file, when one applies.
    pub file: Option<PathBuf>,
    /// The `exclude` glob that matched: the file is not linted.
    pub excluded_by: Option<String>,
    /// Rule id -> level, from `rules` and the matching `overrides`.
    pub rules: BTreeMap<String, Level>,
    pub assume_set: Vec<String>,
    pub atlantis_version: Option<String>,
    pub kind: Option<String>,
}

/// A settings file that cannot be used: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError(pub String);

impl Settings {
    /// Reads and checks a settings file.
    pub fn load(path: &Path) -> Result<Settings, SettingsError> {
        // A settings file is found in the repository being linted: never a FIFO or a device
        // (a committed symlink to /dev/zero), never more than 1 MiB.
        let text = crate::input::read_regular_file(path, 1 << 20)
            .and_then(|bytes| {
                String::from_utf8(bytes)
                    .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidData))
            })
            .map_err(|e| {
                SettingsError(format!(
                    "cannot read settings file {}: {}",
                    path.display(),
                    match e.kind() {
                        std::io::ErrorKind::NotFound => "no such file".to_string(),
                        std::io::ErrorKind::InvalidData => "not UTF-8 text".to_string(),
                        _ => e.to_string(),
                    }
                ))
            })?;
        Settings::parse(path, &text)
    }

    /// Parses a settings file's text; `path` names it in messages and anchors its globs.
    pub fn parse(path: &Path, text: &str) -> Result<Settings, SettingsError> {
        let source = SourceText::new(
            SourceKind::File,
            path.display().to_string(),
            text.to_string(),
        );
        let p = Parser {
            source: &source,
            doc: yaml::parse(text).map_err(|e| {
                let (line, col) = source.line_col(e.span.start);
                SettingsError(format!(
                    "{}:{line}:{col}: invalid YAML: {}",
                    path.display(),
                    e.message
                ))
            })?,
        };
        let dir = absolute(path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut s = Settings {
            path: path.to_path_buf(),
            dir,
            rules: Vec::new(),
            exclude: Vec::new(),
            assume_set: Vec::new(),
            atlantis_version: None,
            kind: Vec::new(),
            overrides: Vec::new(),
        };
        let Some(root) = p.doc.root else {
            return Ok(s); // An empty file: the defaults.
        };
        for (key, value) in p.map(root, "the settings file")? {
            match p.known_key(key, &TOP_KEYS)? {
                "rules" => s.rules = p.rules(value)?,
                "exclude" => s.exclude = p.globs(value)?,
                "assume-set" => s.assume_set = p.flag_names(value)?,
                "atlantis-version" => s.atlantis_version = Some(p.version(value)?),
                "kind" => {
                    for (glob, kind) in p.map(value, "`kind`")? {
                        let g = p.glob(glob)?;
                        let k = p.one_of(kind, &crate::input::kind::names(), "an input kind")?;
                        s.kind.push((g, k));
                    }
                }
                "overrides" => {
                    for item in p.seq(value, "`overrides`")? {
                        s.overrides.push(p.override_entry(item)?);
                    }
                }
                _ => unreachable!("known_key returns one of TOP_KEYS"),
            }
        }
        Ok(s)
    }

    /// What applies to `file` (a path as the user gave it, relative to `cwd`).
    pub fn applied(&self, file: &Path, cwd: &Path) -> Applied {
        let abs = normalise(&cwd.join(file));
        let rel = abs
            .strip_prefix(&self.dir)
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| file.to_string_lossy().replace('\\', "/"));
        let mut a = Applied {
            file: Some(self.path.clone()),
            ..Applied::default()
        };
        a.excluded_by = self
            .exclude
            .iter()
            .find(|g| g.matches(&rel))
            .map(|g| g.text.clone());
        for (id, level) in &self.rules {
            a.rules.insert(id.clone(), *level);
        }
        a.assume_set = self.assume_set.clone();
        a.atlantis_version = self.atlantis_version.clone();
        a.kind = self
            .kind
            .iter()
            .find(|(g, _)| g.matches(&rel))
            .map(|(_, k)| k.clone());
        for o in &self.overrides {
            if o.files.iter().any(|g| g.matches(&rel)) {
                for (id, level) in &o.rules {
                    a.rules.insert(id.clone(), *level);
                }
                for flag in &o.assume_set {
                    if !a.assume_set.contains(flag) {
                        a.assume_set.push(flag.clone());
                    }
                }
                if o.atlantis_version.is_some() {
                    a.atlantis_version = o.atlantis_version.clone();
                }
            }
        }
        a
    }
}

/// The settings file for a file in `dir`: the nearest `.atlantis-lint.yaml` (or `.yml`) in
/// `dir` or a parent of it.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    let mut at = Some(normalise(dir));
    while let Some(d) = at {
        for name in FILE_NAMES {
            let candidate = d.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        at = d.parent().map(Path::to_path_buf);
    }
    None
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        normalise(p)
    } else {
        normalise(&std::env::current_dir().unwrap_or_default().join(p))
    }
}

/// Removes `.` and resolves `..` lexically.
pub fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A value of the settings file as an error message may quote it: names and levels are short
/// lower-case words, so anything else (a token pasted into the wrong file) is described, never
/// printed.
fn quoted(value: &str) -> String {
    let plain = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_./*?".contains(&b))
        && crate::secret::token_like_spans(value).is_empty();
    if plain {
        format!("`{value}`")
    } else {
        format!("a value of {} characters", value.chars().count())
    }
}

/// A glob as `--show-settings` prints it: as written, unless it looks like a credential.
pub fn shown_glob(glob: &str) -> String {
    if crate::secret::token_like_spans(glob).is_empty() {
        format!("`{glob}`")
    } else {
        format!("a glob of {} characters", glob.chars().count())
    }
}

struct Parser<'a> {
    source: &'a SourceText,
    doc: YamlDoc,
}

impl Parser<'_> {
    fn error(&self, node: NodeId, message: String) -> SettingsError {
        let (line, col) = self.source.line_col(self.doc.node(node).span.start);
        SettingsError(format!("{}:{line}:{col}: {message}", self.source.name))
    }

    fn map(&self, node: NodeId, what: &str) -> Result<Vec<(NodeId, NodeId)>, SettingsError> {
        match &self.doc.resolve(node).kind {
            NodeKind::Map(pairs) => Ok(pairs.clone()),
            _ => Err(self.error(node, format!("{what} must be a mapping"))),
        }
    }

    fn seq(&self, node: NodeId, what: &str) -> Result<Vec<NodeId>, SettingsError> {
        match &self.doc.resolve(node).kind {
            NodeKind::Seq(items) => Ok(items.clone()),
            _ => Err(self.error(node, format!("{what} must be a list"))),
        }
    }

    fn string(&self, node: NodeId) -> Result<String, SettingsError> {
        match &self.doc.resolve(node).kind {
            NodeKind::Scalar(s) => Ok(s.value.clone()),
            _ => Err(self.error(node, "expected a string".into())),
        }
    }

    /// A string or a list of strings.
    fn strings(&self, node: NodeId) -> Result<Vec<(NodeId, String)>, SettingsError> {
        match &self.doc.resolve(node).kind {
            NodeKind::Scalar(s) => Ok(vec![(node, s.value.clone())]),
            NodeKind::Seq(items) => items.iter().map(|&i| Ok((i, self.string(i)?))).collect(),
            _ => Err(self.error(node, "expected a string or a list of strings".into())),
        }
    }

    fn known_key<'k>(&self, key: NodeId, known: &[&'k str]) -> Result<&'k str, SettingsError> {
        let name = self.string(key)?;
        if let Some(k) = known.iter().find(|k| **k == name) {
            return Ok(k);
        }
        let hint = crate::suggest::closest(&name, known.iter().copied())
            .map(|k| format!("did you mean `{k}`? "))
            .unwrap_or_default();
        Err(self.error(
            key,
            format!(
                "unknown key {}; {hint}(known keys: {})",
                quoted(&name),
                known.join(", ")
            ),
        ))
    }

    fn one_of(&self, node: NodeId, allowed: &[&str], what: &str) -> Result<String, SettingsError> {
        let value = self.string(node)?;
        if allowed.contains(&value.as_str()) {
            return Ok(value);
        }
        let hint = crate::suggest::closest(&value, allowed.iter().copied())
            .map(|k| format!("did you mean `{k}`? "))
            .unwrap_or_default();
        Err(self.error(
            node,
            format!(
                "{} is not {what}; {hint}(one of: {})",
                quoted(&value),
                allowed.join(", ")
            ),
        ))
    }

    fn rules(&self, node: NodeId) -> Result<Vec<(String, Level)>, SettingsError> {
        let mut out = Vec::new();
        for (key, value) in self.map(node, "`rules`")? {
            let id = self.string(key)?;
            if crate::rules::find(&id).is_none() {
                let hint = crate::suggest::closest(&id, crate::rules::infos().map(|r| r.id))
                    .map(|r| format!("; did you mean `{r}`?"))
                    .unwrap_or_default();
                return Err(self.error(
                    key,
                    format!(
                        "no rule named {}{hint} (`atlantis-lint rules` lists them)",
                        quoted(&id)
                    ),
                ));
            }
            // The words other linters use for the same levels.
            let alias = match self.string(value)?.as_str() {
                "error" | "err" | "fail" => Some("deny"),
                "warning" | "warnings" => Some("warn"),
                "off" | "none" | "disable" | "disabled" | "allow" => Some("ignore"),
                _ => None,
            };
            if let Some(level) = alias {
                return Err(self.error(
                    value,
                    format!(
                        "{} is not a rule level; did you mean `{level}`? (one of: ignore, warn, deny)",
                        quoted(&self.string(value)?)
                    ),
                ));
            }
            let level = self.one_of(value, &["ignore", "warn", "deny"], "a rule level")?;
            out.push((id, Level::parse(&level).expect("checked")));
        }
        Ok(out)
    }

    fn glob(&self, node: NodeId) -> Result<Glob, SettingsError> {
        Glob::new(&self.string(node)?).map_err(|e| self.error(node, e))
    }

    fn globs(&self, node: NodeId) -> Result<Vec<Glob>, SettingsError> {
        self.strings(node)?
            .into_iter()
            .map(|(n, g)| Glob::new(&g).map_err(|e| self.error(n, e)))
            .collect()
    }

    fn flag_names(&self, node: NodeId) -> Result<Vec<String>, SettingsError> {
        let mut out = Vec::new();
        for (n, name) in self.strings(node)? {
            let known = crate::flags::lookup(&name)
                .filter(|f| f.is_current())
                .is_some();
            if !known {
                let hint = crate::flags::suggest(&name)
                    .map(|f| format!("; did you mean `{}`?", f.name))
                    .unwrap_or_default();
                return Err(self.error(
                    n,
                    format!(
                        "{} is not an Atlantis flag{hint} (assume-set takes flag names such as gh-webhook-secret)",
                        quoted(&name)
                    ),
                ));
            }
            out.push(name);
        }
        Ok(out)
    }

    fn version(&self, node: NodeId) -> Result<String, SettingsError> {
        let v = self.string(node)?;
        // The same check and words as `--atlantis-version`'s; a pasted credential is described.
        crate::version::parse_release(&v)
            .map(|version| version.to_string())
            .map_err(|why| {
                let why = why.replace(&format!("`{}`", v.trim()), &quoted(v.trim()));
                self.error(node, format!("atlantis-version: {why}"))
            })
    }

    fn override_entry(&self, node: NodeId) -> Result<Override, SettingsError> {
        let mut o = Override {
            files: Vec::new(),
            rules: Vec::new(),
            assume_set: Vec::new(),
            atlantis_version: None,
        };
        let mut has_files = false;
        for (key, value) in self.map(node, "an `overrides` entry")? {
            match self.known_key(key, &OVERRIDE_KEYS)? {
                "files" => {
                    o.files = self.globs(value)?;
                    has_files = true;
                }
                "rules" => o.rules = self.rules(value)?,
                "assume-set" => o.assume_set = self.flag_names(value)?,
                "atlantis-version" => o.atlantis_version = Some(self.version(value)?),
                _ => unreachable!("known_key returns one of OVERRIDE_KEYS"),
            }
        }
        if !has_files {
            return Err(self.error(
                node,
                "an `overrides` entry needs `files:` (the globs it applies to)".into(),
            ));
        }
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_tokens_are_described_not_quoted() {
        let e = |t: &str| Settings::parse(Path::new("s.yaml"), t).unwrap_err().0;
        let token = "ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c";
        for text in [
            format!("{token}: x\n"),
            format!("assume-set: [{token}]\n"),
            format!("rules: {{{token}: deny}}\n"),
            format!("rules: {{plaintext-secret: {token}}}\n"),
            format!("atlantis-version: {token}\n"),
            "rules: {plaintext-secret: qzR8mKp2XvT9wLs4}\n".to_string(),
        ] {
            let msg = e(&text);
            assert!(
                !msg.contains(&token[4..12]) && !msg.contains("qzR8mKp2"),
                "{msg}"
            );
            assert!(msg.contains("a value of "), "{msg}");
        }
    }

    #[test]
    fn globs() {
        let g = |p: &str| Glob::new(p).unwrap();
        assert!(g("vendor/**").matches("vendor/a/b.yaml"));
        assert!(!g("vendor/**").matches("src/vendor.yaml"));
        assert!(g("*.env").matches("deploy/prod.env"));
        assert!(g("deploy/*.yaml").matches("deploy/a.yaml"));
        assert!(!g("deploy/*.yaml").matches("deploy/x/a.yaml"));
        assert!(g("**/staging/*.yaml").matches("a/b/staging/x.yaml"));
        assert!(g("**/staging/*.yaml").matches("staging/x.yaml"));
        assert!(g("legacy").matches("legacy/atlantis.yaml"));
        assert!(g("./deploy/a?.yaml").matches("deploy/ab.yaml"));
    }

    #[test]
    fn bad_settings_name_their_line_and_a_near_name() {
        let e = |t: &str| Settings::parse(Path::new("s.yaml"), t).unwrap_err().0;
        assert_eq!(
            e("rules:\n  plaintext-secret: deny\nexlude: [a]\n"),
            "s.yaml:3:1: unknown key `exlude`; did you mean `exclude`? (known keys: rules, exclude, assume-set, atlantis-version, kind, overrides)"
        );
        assert!(
            e("rules:\n  plaintext-secret: warning\n")
                .starts_with("s.yaml:2:21: `warning` is not a rule level; did you mean `warn`?")
        );
        assert!(
            e("rules:\n  plaintxt-secret: deny\n").contains("did you mean `plaintext-secret`?")
        );
        assert!(
            e("assume-set: [gh-webhook-secrt]\n").contains("did you mean `gh-webhook-secret`?")
        );
        assert_eq!(
            e("atlantis-version: latest\n"),
            "s.yaml:1:19: atlantis-version: `latest` is not a release number; expected an Atlantis release from v0.17.0 to v0.47.1 (the newest known), written v0.28.1 or 0.28.1"
        );
        assert!(e("atlantis-version: v9.9.9\n").contains("newer than the newest release"));
        assert!(e("kind:\n  '*.yaml': kubernetis\n").contains("did you mean `kubernetes`?"));
        assert!(e("overrides:\n  - rules: {}\n").contains("needs `files:`"));
        assert!(e("rules: [a]\n").contains("`rules` must be a mapping"));
        assert!(e("rules: {a: [\n").contains("invalid YAML"));
    }

    #[test]
    fn overrides_apply_in_order() {
        let s = Settings::parse(
            Path::new("/repo/.atlantis-lint.yaml"),
            "rules: {plaintext-secret: deny}\nexclude: [vendor/**]\nassume-set: gh-webhook-secret\nkind: {'k8s/*.yaml': kubernetes}\noverrides:\n  - files: [staging/**]\n    rules: {plaintext-secret: ignore}\n    atlantis-version: 0.27.0\n",
        )
        .unwrap();
        let cwd = Path::new("/repo");
        let a = s.applied(Path::new("staging/atlantis.yaml"), cwd);
        assert_eq!(a.rules["plaintext-secret"], Level::Ignore);
        assert_eq!(a.atlantis_version.as_deref(), Some("v0.27.0"));
        assert_eq!(a.assume_set, ["gh-webhook-secret"]);
        let a = s.applied(Path::new("prod/atlantis.yaml"), cwd);
        assert_eq!(a.rules["plaintext-secret"], Level::Deny);
        assert_eq!(a.excluded_by, None);
        assert_eq!(
            s.applied(Path::new("vendor/x/atlantis.yaml"), cwd)
                .excluded_by
                .as_deref(),
            Some("vendor/**")
        );
        assert_eq!(
            s.applied(Path::new("k8s/a.yaml"), cwd).kind.as_deref(),
            Some("kubernetes")
        );
    }
}

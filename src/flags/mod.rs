//! The Atlantis server flags: one table, and the lookups every other stage derives from it.
//!
//! Env names, config-file keys, the JSON Schema, "did you mean" suggestions and the emitters are
//! all computed from [`FLAGS`]; nobody types a flag name twice.

mod history;
mod table;

pub use history::{LATEST, RELEASES};
pub use table::*;

use crate::version::Version;

/// What kind of entry a flag-table row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    /// A flag of `atlantis server` (also a config-file key and an env var).
    Flag,
    /// A key only the config file can set (`webhooks`).
    FileOnly,
    /// A flag Atlantis removed: fatal on the command line, silently ignored elsewhere.
    Removed,
}

/// The Go type of the `UserConfig` field, which decides how values are coerced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagType {
    String,
    Bool,
    Int,
    /// Decoded into an int64 field, though registered with pflag as `Int`.
    Int64,
    /// The config-file-only `webhooks` list.
    Webhooks,
}

impl FlagType {
    /// The type name mapstructure uses in its decode errors.
    pub fn go_name(self) -> &'static str {
        match self {
            FlagType::String => "string",
            FlagType::Bool => "bool",
            FlagType::Int => "int",
            FlagType::Int64 => "int64",
            FlagType::Webhooks => "[]WebhookConfig",
        }
    }
}

/// The flag-map default (for bool flags the real default; strings and ints get theirs in `setDefaults`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultValue {
    None,
    Str(&'static str),
    Int(i64),
    Bool(bool),
}

/// Whether a flag's value is a secret, names a file holding one, or may embed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secrecy {
    None,
    /// The value is a token, password, private key or webhook secret.
    Value,
    /// The value is the path of a file holding a secret.
    Path,
    /// Free-form values that commonly embed credentials (`webhook-http-headers`, `repo-config-json`).
    MayContain,
}

/// The Git host (credential family) a flag belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Host {
    General,
    GitHub,
    GitHubApp,
    GitLab,
    Gitea,
    BitbucketCloud,
    BitbucketServer,
    AzureDevOps,
}

/// One row of the flag table.
#[derive(Debug)]
pub struct Flag {
    pub name: &'static str,
    pub kind: FlagKind,
    pub ty: FlagType,
    pub default: DefaultValue,
    pub secrecy: Secrecy,
    pub deprecated: bool,
    pub hidden: bool,
    pub hosts: &'static [Host],
    /// The first stable release with the flag (see [`History`] for the whole story).
    pub since: Option<&'static str>,
    /// The last stable release with a removed flag.
    pub last: Option<&'static str>,
    pub replacement: Option<&'static str>,
    /// The values Atlantis accepts for an enumerated string flag (its `validate()` / `NewServer`
    /// checks, in Atlantis's spelling), or `None` for a free-form flag.
    pub choices: Option<&'static [&'static str]>,
    /// An int flag whose Kubernetes service-link value (`tcp://…`) Atlantis resets to the default
    /// (`sanitizeKubernetesServiceLinks`, v0.44.0).
    pub service_link_reset: bool,
    /// A user flag whose single leading `@` Atlantis trims (`trimAtSymbolFromUsers`).
    pub at_trimmed: bool,
    /// The flag names the account a token belongs to.
    pub names_account: bool,
    pub notes: &'static str,
}

/// What happened to one flag across Atlantis releases (from `data/versions.json`).
#[derive(Debug)]
pub struct History {
    /// The first stable release that has the flag.
    pub added: Version,
    /// A config-file key that worked before it became a flag (`silence-vcs-status-no-projects`).
    pub file_key_since: Option<Version>,
    /// The first stable release without it.
    pub removed: Option<Version>,
    pub deprecated: Option<Deprecation>,
    /// The effective default from each release on (`setDefaults`); empty when it never changed
    /// in a way the data records. The flag table's `default` is the latest release's.
    pub defaults: &'static [(Version, DefaultValue)],
    /// The accepted values from each release on, for enumerated flags.
    pub accepted: &'static [(Version, &'static [&'static str])],
}

/// A flag's deprecation: since when, and what replaces it.
#[derive(Debug, Clone, Copy)]
pub struct Deprecation {
    /// `None` when the flag was renamed without a deprecation period (`gh-installation-id`).
    pub since: Option<Version>,
    /// The flag that replaces it, when one does.
    pub replacement: Option<&'static str>,
    /// The old name keeps working (its value is copied to the replacement) while it exists.
    pub alias: bool,
}

impl History {
    /// True when release `v` declares the flag.
    pub fn present_in(&self, v: Version) -> bool {
        self.added <= v && self.removed.is_none_or(|r| v < r)
    }

    /// True when release `v` reads the key from its config file (a flag, or an older file-only key).
    pub fn file_key_in(&self, v: Version) -> bool {
        self.present_in(v)
            || (self.file_key_since.is_some_and(|s| s <= v) && self.removed.is_none_or(|r| v < r))
    }

    /// The deprecation in force in release `v`, if the flag is deprecated there.
    pub fn deprecated_in(&self, v: Version) -> Option<Deprecation> {
        self.deprecated
            .filter(|d| d.since.is_some_and(|s| s <= v) && self.present_in(v))
    }

    /// The effective default in release `v`, given the latest release's.
    pub fn default_in(&self, v: Version, latest: DefaultValue) -> DefaultValue {
        match self.defaults.iter().rposition(|(since, _)| *since <= v) {
            Some(i) if i + 1 < self.defaults.len() => self.defaults[i].1,
            _ => latest,
        }
    }

    /// The values release `v` accepts, when the flag is enumerated there.
    pub fn accepted_in(&self, v: Version) -> Option<&'static [&'static str]> {
        self.accepted
            .iter()
            .rev()
            .find(|(since, _)| *since <= v)
            .map(|(_, values)| *values)
    }
}

/// The release from which Atlantis resets a Kubernetes service link (`tcp://…`) in an int flag
/// to the default (`sanitizeKubernetesServiceLinks`, v0.44.0); before, the value fails to decode.
pub const SERVICE_LINK_RESET_SINCE: Version = Version::new(0, 44, 0);

/// The release history of a flag-table row.
pub fn history(name: impl FlagName) -> Option<&'static History> {
    let name = name.flag_name();
    let i = FLAGS.binary_search_by(|f| f.name.cmp(name)).ok()?;
    history::HISTORY.get(i)
}

/// True when release `v` has the flag (false for names that are no flag at all).
pub fn present_in(name: impl FlagName, v: Version) -> bool {
    history(name).is_some_and(|h| h.present_in(v))
}

/// The flag `v` uses for what `name` does under another name: the old name of a renamed flag
/// (`gh-installation-id` for `gh-app-installation-id` in v0.28.1), or the new one.
pub fn name_in(name: impl FlagName, v: Version) -> Option<&'static Flag> {
    let name = name.flag_name();
    let older = FLAGS
        .iter()
        .zip(history::HISTORY)
        .find(|(_, h)| h.deprecated.and_then(|d| d.replacement) == Some(name) && h.present_in(v));
    let newer = history(name)
        .and_then(|h| h.deprecated)
        .and_then(|d| d.replacement)
        .and_then(lookup)
        .filter(|f| present_in(f.name, v));
    older.map(|(f, _)| f).or(newer)
}

/// The older names a flag accepts as aliases in some release (their value is copied over).
pub fn aliases_of(name: &str) -> impl Iterator<Item = &'static Flag> + use<'_> {
    FLAGS
        .iter()
        .zip(history::HISTORY)
        .filter(move |(_, h)| {
            h.deprecated
                .is_some_and(|d| d.alias && d.replacement == Some(name))
        })
        .map(|(f, _)| f)
}

/// A release the history knows, from its tag (`v0.28.1` or `0.28.1`).
pub fn release(text: &str) -> Option<Version> {
    Version::parse(text).filter(|v| RELEASES.contains(v))
}

/// A typed handle of one flag-table row: `flags::GH_USER`. A misspelled handle does not compile,
/// and the row is found without a search.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlagId(u16);

impl FlagId {
    pub fn flag(self) -> &'static Flag {
        &FLAGS[usize::from(self.0)]
    }

    pub fn name(self) -> &'static str {
        self.flag().name
    }
}

impl std::fmt::Debug for FlagId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::fmt::Display for FlagId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl From<FlagId> for String {
    fn from(id: FlagId) -> String {
        id.name().to_string()
    }
}

impl PartialEq<&str> for FlagId {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl PartialEq<FlagId> for &str {
    fn eq(&self, other: &FlagId) -> bool {
        *self == other.name()
    }
}

/// Anything that names a flag: a typed handle (preferred) or its kebab-case name as a string.
///
/// The lookups of the table (`flags::lookup`, `history`, `env_name`, ...) take this, as they
/// translate names the user wrote; the configuration's accessors take a [`FlagHandle`].
pub trait FlagName {
    fn flag_name(&self) -> &str;

    /// The table row, if the name is one.
    fn row(&self) -> Option<&'static Flag> {
        lookup_name(self.flag_name())
    }
}

impl FlagName for FlagId {
    fn flag_name(&self) -> &str {
        self.name()
    }
    fn row(&self) -> Option<&'static Flag> {
        Some(self.flag())
    }
}

impl FlagName for &FlagId {
    fn flag_name(&self) -> &str {
        self.name()
    }
    fn row(&self) -> Option<&'static Flag> {
        Some(self.flag())
    }
}

impl FlagName for &Flag {
    fn flag_name(&self) -> &str {
        self.name
    }
}

/// A flag named by the table itself: a typed handle or a row, never a string. The accessors of
/// [`crate::config::EffectiveConfig`] take this, so that `cfg.str("gh-usr")` does not compile;
/// a name the user wrote goes through [`lookup`] first.
///
/// ```
/// let cfg = atlantis_lint::config::EffectiveConfig::default();
/// assert_eq!(cfg.str(atlantis_lint::flags::GH_USER), None);
/// ```
///
/// ```compile_fail
/// let cfg = atlantis_lint::config::EffectiveConfig::default();
/// assert_eq!(cfg.str("gh-user"), None);
/// ```
pub trait FlagHandle: FlagName {
    /// The table row.
    fn table_row(&self) -> &'static Flag;
}

impl FlagHandle for FlagId {
    fn table_row(&self) -> &'static Flag {
        self.flag()
    }
}
impl FlagHandle for &FlagId {
    fn table_row(&self) -> &'static Flag {
        self.flag()
    }
}
impl FlagHandle for &'static Flag {
    fn table_row(&self) -> &'static Flag {
        self
    }
}
impl FlagHandle for &&'static Flag {
    fn table_row(&self) -> &'static Flag {
        self
    }
}

impl FlagName for &&Flag {
    fn flag_name(&self) -> &str {
        self.name
    }
}

impl FlagName for &str {
    fn flag_name(&self) -> &str {
        self
    }
}

impl FlagName for &&str {
    fn flag_name(&self) -> &str {
        self
    }
}

impl FlagName for &String {
    fn flag_name(&self) -> &str {
        self
    }
}

impl FlagName for String {
    fn flag_name(&self) -> &str {
        self
    }
}

impl Flag {
    /// This row's typed handle.
    pub fn id(&self) -> FlagId {
        id(self.name).expect("every row has a handle")
    }

    /// `ATLANTIS_` + the upper-cased name with `-` replaced by `_` (viper's env key replacer).
    pub fn env_name(&self) -> String {
        env_name(self.name)
    }

    /// True when the value itself must never be printed.
    pub fn is_secret_value(&self) -> bool {
        matches!(self.secrecy, Secrecy::Value | Secrecy::MayContain)
    }

    /// True for flags that exist in today's Atlantis (not removed).
    pub fn is_current(&self) -> bool {
        self.kind != FlagKind::Removed
    }

    /// The default as the string Atlantis would use after `setDefaults`, if there is one.
    pub fn default_text(&self) -> Option<String> {
        match self.default {
            DefaultValue::None => None,
            DefaultValue::Str("") => None,
            DefaultValue::Str(s) => Some(s.to_string()),
            DefaultValue::Int(i) => Some(i.to_string()),
            DefaultValue::Bool(b) => Some(b.to_string()),
        }
    }
}

/// The env var name viper consults for a flag name.
pub fn env_name(flag: impl FlagName) -> String {
    let flag = flag.flag_name();
    let mut s = String::with_capacity(9 + flag.len());
    s.push_str("ATLANTIS_");
    for c in flag.chars() {
        s.push(if c == '-' {
            '_'
        } else {
            c.to_ascii_uppercase()
        });
    }
    s
}

/// The typed handle of a flag name, when it is one (for code that matches a name read from a
/// source against handles).
pub fn id(name: impl FlagName) -> Option<FlagId> {
    let name = name.flag_name();
    FLAGS
        .binary_search_by(|f| f.name.cmp(name))
        .ok()
        .map(|i| FlagId(i as u16))
}

/// Looks up a table row by its exact kebab-case name (current and removed flags alike).
pub fn lookup(name: impl FlagName) -> Option<&'static Flag> {
    name.row()
}

/// The accepted values of an enumerated flag, or `None` for a free-form flag.
pub fn choices(name: impl FlagName) -> Option<&'static [&'static str]> {
    name.row().and_then(|f| f.choices)
}

fn lookup_name(name: &str) -> Option<&'static Flag> {
    FLAGS
        .binary_search_by(|f| f.name.cmp(name))
        .ok()
        .map(|i| &FLAGS[i])
}

/// Looks up a config-file key the way viper does: case-insensitively.
pub fn lookup_key(key: &str) -> Option<&'static Flag> {
    if key.bytes().any(|b| b.is_ascii_uppercase()) {
        lookup(key.to_ascii_lowercase())
    } else {
        lookup(key)
    }
}

/// Looks up an `ATLANTIS_*` env var name (case-sensitive, like the process environment).
pub fn lookup_env(name: &str) -> Option<&'static Flag> {
    let rest = name.strip_prefix("ATLANTIS_")?;
    if rest.bytes().any(|b| b.is_ascii_lowercase() || b == b'-') {
        return None;
    }
    let key: String = rest
        .chars()
        .map(|c| {
            if c == '_' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    lookup(&key).filter(|f| f.kind != FlagKind::FileOnly)
}

/// Current flags (what a user may set today).
pub fn current() -> impl Iterator<Item = &'static Flag> {
    FLAGS.iter().filter(|f| f.is_current())
}

/// The closest current flag to `name` within a small edit distance, for "did you mean".
///
/// `name` is compared in kebab form, so `gh_user`, `GH-USER` and `ghUser` all find `gh-user`.
pub fn suggest(name: &str) -> Option<&'static Flag> {
    let wanted = normalise(name);
    if wanted.is_empty() {
        return None;
    }
    if let Some(f) = lookup(&wanted).filter(|f| f.is_current()) {
        return Some(f);
    }
    // Atlantis's own abbreviations first: `github-user` means `gh-user`, not `gitlab-user`,
    // which is closer by edit distance.
    let atlantis = in_atlantis_words(&wanted);
    if atlantis != wanted {
        if let Some(f) = lookup(&atlantis).filter(|f| f.is_current()) {
            return Some(f);
        }
        if let Some(f) = closest(&atlantis) {
            return Some(f);
        }
    }
    closest(&wanted)
}

/// The words users write for what Atlantis abbreviates (or spells as one word) in flag names.
const ATLANTIS_WORDS: &[(&str, &str)] = &[
    ("github", "gh"),
    ("git-hub", "gh"),
    ("gl", "gitlab"),
    ("git-lab", "gitlab"),
    ("bb", "bitbucket"),
    ("bit-bucket", "bitbucket"),
    ("azure-devops", "azuredevops"),
    ("azure-dev-ops", "azuredevops"),
    ("ado", "azuredevops"),
    ("azdo", "azuredevops"),
    ("whitelist", "allowlist"),
];

/// `name` (kebab form) with Atlantis's words for hosts: `github-app-id` -> `gh-app-id`.
fn in_atlantis_words(name: &str) -> String {
    let mut out = format!("-{name}-");
    for (theirs, atlantis) in ATLANTIS_WORDS {
        out = out.replace(&format!("-{theirs}-"), &format!("-{atlantis}-"));
    }
    out.trim_matches('-').to_string()
}

/// The current flag within a small, length-aware edit distance of `wanted`.
fn closest(wanted: &str) -> Option<&'static Flag> {
    // A small, length-aware bound, so that absurd suggestions are never made.
    let limit = match wanted.chars().count() {
        0..=3 => 0,
        4..=6 => 1,
        7..=12 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &'static Flag)> = None;
    for f in current().filter(|f| f.kind == FlagKind::Flag || f.kind == FlagKind::FileOnly) {
        let d = edit_distance(wanted, f.name, limit);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, f));
        }
    }
    best.map(|(_, f)| f)
}

/// Lower-cases and turns `_`, `.` and camelCase humps into `-`.
pub fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.trim().trim_start_matches('-').chars() {
        if c == '_' || c == '.' || c == ' ' {
            out.push('-');
            prev_lower = false;
        } else if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

/// Optimal-string-alignment distance, giving up early once it exceeds `limit`.
///
/// Names of up to 64 characters (every flag name, nearly every key) are compared on the stack
/// with three rolling rows: this runs for every unknown key of a file against the secret flags.
pub fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    const N: usize = 64;
    let (la, lb) = (a.chars().count(), b.chars().count());
    // Most candidates differ in length by more than the limit: decide before anything else.
    if la.abs_diff(lb) > limit {
        return limit + 1;
    }
    if la > N || lb > N {
        return edit_distance_matrix(a, b, limit);
    }
    let mut ac = ['\0'; N];
    let mut bc = ['\0'; N];
    for (slot, c) in ac.iter_mut().zip(a.chars()) {
        *slot = c;
    }
    for (slot, c) in bc.iter_mut().zip(b.chars()) {
        *slot = c;
    }
    let (mut before, mut prev, mut cur) = ([0usize; N + 1], [0usize; N + 1], [0usize; N + 1]);
    for (j, cell) in prev.iter_mut().take(lb + 1).enumerate() {
        *cell = j;
    }
    for i in 1..=la {
        cur[0] = i;
        let mut row_min = usize::MAX;
        for j in 1..=lb {
            let cost = usize::from(ac[i - 1] != bc[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && ac[i - 1] == bc[j - 2] && ac[i - 2] == bc[j - 1] {
                v = v.min(before[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return limit + 1;
        }
        before = prev;
        prev = cur;
    }
    prev[lb]
}

/// [`edit_distance`] for longer strings, with the whole matrix on the heap.
fn edit_distance_matrix(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().take(b.len() + 1).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        let mut row_min = usize::MAX;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return limit + 1;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stack_edit_distance_agrees_with_the_matrix() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "gh-token",
            "gh-tokne",
            "gh-tkn",
            "hg-token",
            "gh-user",
            "ghuser",
            "atlantis-url",
            "atlantsi-url",
            "repo-allowlist",
            "repo-alowlist",
            "répo-allowlist",
            "unknown-key-123456",
            "gitlab-webhook-secret",
            "gitlab-webhok-secret",
            "abcdefgh",
        ];
        for a in words {
            for b in words {
                for limit in 0..4 {
                    assert_eq!(
                        edit_distance(a, b, limit),
                        edit_distance_matrix(a, b, limit),
                        "{a} {b} {limit}"
                    );
                }
            }
        }
        let long = "x".repeat(70);
        assert_eq!(edit_distance(&long, &format!("{long}y"), 2), 1);
    }

    #[test]
    fn suggestions_know_atlantis_words() {
        let s = |n: &str| suggest(n).map(|f| f.name);
        assert_eq!(s("GITHUB_USER"), Some("gh-user"));
        assert_eq!(s("github-token"), Some("gh-token"));
        assert_eq!(s("github_app_id"), Some("gh-app-id"));
        assert_eq!(s("githubWebhookSecret"), Some("gh-webhook-secret"));
        assert_eq!(s("GITLAB_USER"), Some("gitlab-user"));
        assert_eq!(s("gitlab-usr"), Some("gitlab-user"));
        assert_eq!(s("azure-devops-token"), Some("azuredevops-token"));
        assert_eq!(s("bb-user"), Some("bitbucket-user"));
        assert_eq!(s("github"), None);
    }

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(FLAGS.windows(2).all(|w| w[0].name < w[1].name));
    }

    #[test]
    fn counts_match_atlantis() {
        let n = |k| FLAGS.iter().filter(|f| f.kind == k).count();
        assert_eq!(n(FlagKind::Flag), 125);
        assert_eq!(n(FlagKind::FileOnly), 1);
        assert_eq!(n(FlagKind::Removed), 10);
    }

    #[test]
    fn handles_name_their_rows() {
        assert_eq!(GH_USER.name(), "gh-user");
        assert_eq!(lookup(GH_USER).unwrap().name, "gh-user");
        assert_eq!(lookup("gh-user").unwrap().name, "gh-user");
        assert_eq!(REPO_WHITELIST.flag().kind, FlagKind::Removed);
        assert_eq!(WEBHOOKS.flag().kind, FlagKind::FileOnly);
        assert!(FLAGS.iter().all(|f| lookup(f.name).is_some()));
        assert_eq!(
            choices(LOG_LEVEL).unwrap(),
            ["debug", "info", "warn", "error"]
        );
        assert_eq!(format!("{GH_USER}"), "gh-user");
    }

    #[test]
    fn env_names_round_trip() {
        assert_eq!(env_name("atlantis-url"), "ATLANTIS_ATLANTIS_URL");
        assert_eq!(lookup_env("ATLANTIS_GH_USER").unwrap().name, "gh-user");
        assert!(lookup_env("ATLANTIS_URL").is_none());
        assert!(lookup_env("ATLANTIS_WEBHOOKS").is_none());
        assert_eq!(lookup_key("GH-User").unwrap().name, "gh-user");
    }

    #[test]
    fn suggestions_are_close_or_absent() {
        assert_eq!(suggest("gh_user").unwrap().name, "gh-user");
        assert_eq!(suggest("ghUser").unwrap().name, "gh-user");
        assert_eq!(suggest("gh-hostnme").unwrap().name, "gh-hostname");
        assert_eq!(suggest("allow-draft-pr").unwrap().name, "allow-draft-prs");
        assert!(suggest("completely-unrelated-thing").is_none());
        assert!(suggest("x").is_none());
    }

    /// The table is generated from the checked-in inventory (tests/generated.rs); keep it honest.
    #[test]
    fn table_matches_inventory_when_available() {
        let text = include_str!("../../data/flags.json");
        let inv: Vec<serde_json::Value> = serde_json::from_str(text).unwrap();
        assert_eq!(inv.len(), FLAGS.len());
        for row in inv {
            let name = row["name"].as_str().unwrap();
            let f = lookup(name).unwrap_or_else(|| panic!("{name} missing from the table"));
            let secret = matches!(f.secrecy, Secrecy::Value | Secrecy::Path);
            assert_eq!(row["secret"].as_bool().unwrap(), secret, "{name}");
            assert_eq!(row["type"].as_str().unwrap(), f.ty.go_name(), "{name}");
        }
    }
}

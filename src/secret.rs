//! Secrets are a type, not a convention.
//!
//! A value read for a secret flag is held as [`Secret`]: it has no `Display`, its `Debug` is
//! redacted, and the only way to the characters is the explicit [`Secret::expose`].

use crate::source::Span;
use aho_corasick::AhoCorasick;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

/// A token, password, private key or webhook secret.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret's characters. Call it only to check or send the value, never to print it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret([REDACTED; {} bytes])", self.0.len())
    }
}

/// Wiped when dropped: the copies the run makes of a credential it loaded or built (a token
/// file's contents, a GitHub App JWT) are held as `Secret`s too. What the value was read from
/// (the source text kept for snippets, the parser's buffers) is not wiped by this.
impl Drop for Secret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

/// A string value of the configuration: plain, or secret when its flag is.
#[derive(Clone, PartialEq, Eq)]
pub enum Text {
    Plain(String),
    Secret(Secret),
}

impl Text {
    pub fn new(value: String, secret: bool) -> Text {
        if secret {
            Text::Secret(Secret(value))
        } else {
            Text::Plain(value)
        }
    }

    /// The characters, for checks. Printing them is the caller's responsibility: see [`Text::display`].
    pub fn as_str(&self) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Secret(s) => s.expose(),
        }
    }

    pub fn is_secret(&self) -> bool {
        matches!(self, Text::Secret(_))
    }

    /// What may be shown to a user: the value itself, or a fixed marker for secrets.
    pub fn display(&self) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Secret(_) => "<redacted>",
        }
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Text::Plain(s) => fmt::Debug::fmt(s, f),
            Text::Secret(s) => fmt::Debug::fmt(s, f),
        }
    }
}

/// Every secret a run loaded or built beyond the configuration's own values: the contents of a
/// `*-file` secret, a GitHub App JWT, an encoded header. The report redactor searches for all of
/// them (and their base64 forms), so a host that echoes one back cannot get it printed.
///
/// Cheap to clone (one shared list), and safe to fill from the probe threads. `Debug` shows the
/// count only.
#[derive(Clone, Default)]
pub struct KnownSecrets(Arc<Mutex<Vec<Secret>>>);

impl KnownSecrets {
    /// Registers a secret as it was loaded or sent. A value with `.`-separated parts (a JWT) or
    /// several lines (a PEM key) also registers each long part, so an echo of the signature or
    /// of one line alone is redacted too; a value read from a file is registered trimmed as
    /// well, as Atlantis trims it.
    pub fn add(&self, value: &str) {
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut push = |v: &str| {
            if !v.is_empty() && !list.iter().any(|s| s.expose() == v) {
                list.push(Secret::new(v));
            }
        };
        push(value);
        push(value.trim());
        if value.trim().contains(['.', '\n']) {
            // PEM armor lines (`-----BEGIN PUBLIC KEY-----`) are no secret.
            for part in value
                .trim()
                .split(['.', '\n'])
                .map(str::trim)
                .filter(|p| p.len() >= 16 && !p.starts_with("-----"))
            {
                push(part);
            }
        }
    }

    /// A copy of every registered secret.
    pub fn all(&self) -> Vec<Secret> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl fmt::Debug for KnownSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.lock().map_or(0, |l| l.len());
        write!(f, "KnownSecrets([REDACTED; {n} values])")
    }
}

/// True for key names that suggest a secret, used for keys that are not Atlantis flags
/// (`gh_token`, `github: {token: ...}`): their values are masked too.
///
/// A name suggests a secret when it contains one of [`SECRET_WORDS`] anywhere (`gh-token`,
/// `redisPassword`), or when one of its words is one of [`SECRET_ABBREVIATIONS`] (`gh-pw`,
/// `ATLANTIS_GH_TOK`, `webhookSig`): those are too short to be searched inside other words
/// (`tok` in `stoke`, `sig` in `design`, `pw` in `upward`).
pub fn name_suggests_secret(name: &str) -> bool {
    contains_secret_word(name) || name_words(name).any(is_secret_abbreviation)
}

/// Short words that name a secret only as a whole word of a name.
const SECRET_ABBREVIATIONS: &[&str] = &["pw", "tok", "hmac", "salt", "sig"];

fn is_secret_abbreviation(word: &[u8]) -> bool {
    SECRET_ABBREVIATIONS
        .iter()
        .any(|a| a.as_bytes().eq_ignore_ascii_case(word))
}

/// The words of a name (as bytes): runs of ASCII letters, split where the case changes (`ghPw`:
/// `gh`, `Pw`; `HMACKey`: `HMAC`, `Key`; `GH_TOK`: `GH`, `TOK`).
fn name_words(name: &str) -> impl Iterator<Item = &[u8]> {
    let b = name.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < b.len() && !b[at].is_ascii_alphabetic() {
            at += 1;
        }
        if at == b.len() {
            return None;
        }
        let start = at;
        at += 1;
        while at < b.len() && b[at].is_ascii_alphabetic() {
            let upper = b[at].is_ascii_uppercase();
            // `hC` starts a word at `C`; `HMACk` starts one at `C` (the last capital).
            let new_word = upper
                && (b[at - 1].is_ascii_lowercase()
                    || b.get(at + 1).is_some_and(u8::is_ascii_lowercase));
            if new_word {
                break;
            }
            at += 1;
        }
        Some(&b[start..at])
    })
}

fn contains_secret_word(name: &str) -> bool {
    // One pass, case-insensitive (this runs on every key of a values file).
    static WORDS: OnceLock<AhoCorasick> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                // Names are short: a contiguous NFA searches them as fast as a DFA, and builds
                // in a fraction of the time (this is paid once per process).
                .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .build(SECRET_WORDS)
                .expect("the secret words form a valid automaton")
        })
        .find_overlapping_iter(name)
        .any(|m| {
            // `pat` (a personal access token) is a word of its own (`gh_pat`, `ghPat`, `PAT`),
            // not the start of `path`, `pathType` or `pattern`.
            let bytes = name.as_bytes();
            let upper = bytes[m.end() - 1].is_ascii_uppercase();
            SECRET_WORDS[m.pattern().as_usize()] != "pat"
                || !bytes
                    .get(m.end())
                    .is_some_and(|b| b.is_ascii_lowercase() || (upper && b.is_ascii_uppercase()))
        })
}

/// Words that make a key, env or flag name look like it names a secret.
const SECRET_WORDS: &[&str] = &[
    "token",
    "tokn",
    "tkn",
    "secret",
    "scrt",
    "pass",
    "pwd",
    "key",
    "cred",
    "auth",
    "pat",
    "header",
    "cookie",
    "session",
    "bearer",
    "private",
    "pem",
    "cert",
    "jwt",
    "signature",
];

/// True for a value that looks like a credential whatever its key: a known token shape, a PEM
/// private key, or a long random-looking word (letters and digits mixed, no spaces, not a URL or
/// a path). Used for values nobody reads (unknown keys), where masking too much costs nothing.
pub fn value_looks_secret(value: &str) -> bool {
    let v = value.trim();
    if !token_like_spans(v).is_empty() {
        return true;
    }
    if v.len() < 20 || v.contains(char::is_whitespace) || v.contains("://") || v.starts_with('/') {
        return false;
    }
    let upper = v.bytes().any(|b| b.is_ascii_uppercase());
    let lower = v.bytes().any(|b| b.is_ascii_lowercase());
    let digit = v.bytes().any(|b| b.is_ascii_digit());
    let word = v
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+' | b'/' | b'=' | b'.'));
    word && !is_identifier(v) && ((upper && lower) || (digit && (upper || lower) && v.len() >= 32))
}

/// A CamelCase or camelCase name (`ImplementationSpecific`, `RollingUpdate`): letters only, no
/// two capitals in a row. Kubernetes and Helm enum values look like this; random credentials
/// almost never do.
fn is_identifier(v: &str) -> bool {
    v.bytes().all(|b| b.is_ascii_alphabetic())
        && !v
            .as_bytes()
            .windows(2)
            .any(|w| w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase())
}

/// Known token prefixes, with the characters a token may continue with.
const TOKEN_PREFIXES: &[&str] = &[
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "gloas-",
    "glrt-",
    "ATBB",
    "ATATT",
    "ATCTT",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxs-",
];

fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'=')
}

/// Spans of anything in `text` that looks like a credential, wherever it stands (comments
/// included): known token prefixes followed by 16+ token characters, PEM private-key blocks,
/// and the password of a URL (`https://bot:PASSWORD@host`, `redis://:PASSWORD@redis`). Sorted,
/// not overlapping.
pub fn token_like_spans(text: &str) -> Vec<Span> {
    let mut spans = prefixed_token_spans(text);
    let urls = url_password_spans(text);
    if urls.is_empty() {
        return spans;
    }
    spans.extend(urls);
    spans.sort_unstable_by_key(|s| (s.start, s.end));
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// Bytes that end a URL written in a text (a YAML or JSON string's quote, a space).
fn ends_url(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'`' | b'<' | b'>')
}

/// The userinfo credentials of every `scheme://user:password@` in `text`: the password, and the
/// user too when it looks like a credential itself (`https://TOKEN@host`). A password that is
/// only a variable reference (`$(TOKEN)`, `${TOKEN}`, `$TOKEN`) is no secret and stays readable.
///
/// The userinfo is read up to the first `@` before the URL ends (whatever `/` it holds: an
/// unescaped `/` in a password is a mistake, and its characters are as secret as the others).
/// Linear: a URL without `@` is not searched again from a later `://` inside it.
fn url_password_spans(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut skip_to = 0;
    for at in memchr::memmem::find_iter(bytes, b"://") {
        if at < skip_to || at == 0 || !bytes[at - 1].is_ascii_alphanumeric() {
            continue;
        }
        let from = at + 3;
        let end = bytes[from..]
            .iter()
            .position(|&b| ends_url(b) || b == b'@')
            .map_or(bytes.len(), |i| from + i);
        skip_to = end;
        if bytes.get(end) != Some(&b'@') {
            continue;
        }
        let userinfo = &text[from..end];
        match userinfo.find(':') {
            Some(colon) => {
                let password = &userinfo[colon + 1..];
                if !password.is_empty() && !is_variable_reference(password) {
                    spans.push(Span::new(from + colon + 1, end));
                }
                if value_looks_secret(&userinfo[..colon]) {
                    spans.push(Span::new(from, from + colon));
                }
            }
            None if value_looks_secret(userinfo) => spans.push(Span::new(from, end)),
            None => {}
        }
    }
    spans
}

/// `$(NAME)`, `${NAME}` or `$NAME`: a reference a deployment expands, not a value.
fn is_variable_reference(s: &str) -> bool {
    let name = s
        .strip_prefix("$(")
        .and_then(|r| r.strip_suffix(')'))
        .or_else(|| s.strip_prefix("${").and_then(|r| r.strip_suffix('}')))
        .or_else(|| s.strip_prefix('$'));
    name.is_some_and(|n| {
        n.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

/// Known token prefixes and PEM private keys (see [`token_like_spans`]).
fn prefixed_token_spans(text: &str) -> Vec<Span> {
    // One pass over the text for every prefix and the PEM marker (this runs on whole files).
    static SEARCH: OnceLock<AhoCorasick> = OnceLock::new();
    let search = SEARCH.get_or_init(|| {
        AhoCorasick::new(TOKEN_PREFIXES.iter().copied().chain([PEM_BEGIN]))
            .expect("the token prefixes form a valid automaton")
    });
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut skip_to = 0;
    for m in search.find_iter(text) {
        let start = m.start();
        if start < skip_to {
            continue;
        }
        if m.pattern().as_usize() == TOKEN_PREFIXES.len() {
            if let Some(span) = pem_key_material(text, start) {
                skip_to = span.end;
                spans.push(span);
            }
            continue;
        }
        let mut end = m.end();
        while end < bytes.len() && is_token_char(bytes[end]) {
            end += 1;
        }
        let preceded_by_word = start > 0 && bytes[start - 1].is_ascii_alphanumeric();
        if end - m.end() >= 16 && !preceded_by_word {
            spans.push(Span::new(start, end));
            skip_to = end;
        }
    }
    spans
}

/// `text` with everything [`token_like_spans`] finds replaced by `*`s: for messages about the
/// linter's own command line and inputs (a token pasted as a file name or an option value),
/// which no redactor knows.
pub fn mask_token_shapes(text: String) -> String {
    let spans = token_like_spans(&text);
    if spans.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        out.push_str(&text[at..span.start]);
        out.extend(text[span.start..span.end].chars().map(|c| match c {
            '\n' | '\r' => c,
            _ => '*',
        }));
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

const PEM_BEGIN: &str = "-----BEGIN ";

/// The key material of a PEM private key starting at `start`: from the end of its `-----BEGIN
/// ... PRIVATE KEY-----` marker up to its `-----END ` marker, which may stand on the same line
/// when the key was pasted with literal `\n`s; to the end of the text when there is no END
/// marker (better too much masked than a key shown). Both markers stay readable: they are no
/// secret, and a text masked once must not lose its END marker, or masking it again (a snippet
/// of an already masked source) would hide everything after the key.
fn pem_key_material(text: &str, start: usize) -> Option<Span> {
    let label_start = start + PEM_BEGIN.len();
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let label_end = label_start + text[label_start..line_end].find("-----")?;
    if !text[label_start..label_end].contains("PRIVATE KEY") {
        return None;
    }
    let material = label_end + 5;
    let end = text[material..]
        .find("-----END ")
        .map_or(text.len(), |i| material + i);
    Some(Span::new(material, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let t = Text::new("hunter2".into(), true);
        assert!(!format!("{t:?}").contains("hunter2"));
        assert_eq!(t.display(), "<redacted>");
        assert_eq!(t.as_str(), "hunter2");
    }

    #[test]
    fn pem_keys_are_masked_to_their_end_marker() {
        let one_line = "gh-app-key: \"-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQ\\n-----END RSA PRIVATE KEY-----\"\nport: 4141\n";
        let spans = token_like_spans(one_line);
        assert_eq!(spans.len(), 1);
        let masked = &one_line[spans[0].start..spans[0].end];
        assert!(
            masked.starts_with("\\nMIIE") && masked.ends_with("AKCAQ\\n"),
            "{masked}"
        );
        let block =
            "k: |\n  -----BEGIN PRIVATE KEY-----\n  MIIEvQ\n  -----END PRIVATE KEY-----\nport: 1\n";
        let spans = token_like_spans(block);
        assert!(block[spans[0].end..].starts_with("-----END PRIVATE KEY-----\nport"));
        let public = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n";
        assert!(token_like_spans(public).is_empty());
    }

    #[test]
    fn masking_a_masked_text_again_masks_nothing_more() {
        // A commented-out key in a file, then settings: a snippet of the masked source is
        // searched again by the report's redactor, and must keep the lines after the key.
        let text = "a: 1\n# -----BEGIN PRIVATE KEY-----\n# MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw\n# -----END PRIVATE KEY-----\nlog-level: verbose\n";
        let mut bytes = text.as_bytes().to_vec();
        for s in token_like_spans(text) {
            for b in &mut bytes[s.start..s.end] {
                if *b != b'\n' {
                    *b = b'*';
                }
            }
        }
        let once = String::from_utf8(bytes).unwrap();
        assert!(
            once.ends_with("-----END PRIVATE KEY-----\nlog-level: verbose\n"),
            "{once}"
        );
        assert!(!once.contains("MIIE"));
        for s in token_like_spans(&once) {
            assert!(
                once[s.start..s.end]
                    .bytes()
                    .all(|b| b == b'*' || b == b'\n' || b == b' ' || b == b'#'),
                "{:?}",
                &once[s.start..s.end]
            );
        }
    }

    #[test]
    fn pat_is_a_word_of_its_own() {
        for name in [
            "gh_pat",
            "ghPat",
            "AZURE_PAT",
            "pat",
            "pat-token",
            "PATH_TOKEN",
        ] {
            assert!(name_suggests_secret(name), "{name}");
        }
        for name in ["path", "pathType", "paths", "filePattern", "PATH"] {
            assert!(!name_suggests_secret(name), "{name}");
        }
    }

    #[test]
    fn short_secret_words_count_as_whole_words_only() {
        for name in [
            "pw",
            "gh-pw",
            "bitbucket-pw",
            "gh-tok",
            "gh_tok",
            "hmac",
            "salt",
            "webhook-sig",
            "ATLANTIS_GH_PW",
            "ATLANTIS_REDIS_PW",
            "ATLANTIS_GH_HMAC",
            "ghPw",
            "HMACKey",
            "redis-pwd",
        ] {
            assert!(name_suggests_secret(name), "{name}");
        }
        for name in [
            "upward",
            "stoke",
            "tokenizer-mode",
            "design",
            "signal",
            "saltstack-version",
            "hmacs",
            "gh-user",
            "path",
            "pattern",
        ] {
            // `tokenizer` holds `token`: a substring word, as before.
            assert_eq!(name_suggests_secret(name), name.contains("token"), "{name}");
        }
    }

    #[test]
    fn url_passwords_are_masked_and_the_rest_of_the_url_is_not() {
        let masked = |t: &str| mask_token_shapes(t.to_string());
        assert_eq!(
            masked("atlantis-url: https://bot:hunter2hunter2@host/x"),
            "atlantis-url: https://bot:**************@host/x"
        );
        assert_eq!(
            masked("redis-host: redis://:hunter2@redis:6379"),
            "redis-host: redis://:*******@redis:6379"
        );
        assert_eq!(
            masked("\"url\": \"https://aZ3kP9qLmX2vB7nR4tY8wE1c@github.com\""),
            "\"url\": \"https://************************@github.com\""
        );
        for plain in [
            "https://git@github.com/acme/x",
            "https://host:8080/path",
            "ssh://git@host:22/x",
            "https://x:$(ATLANTIS_GH_TOKEN)@$(HOST)/",
            "https://x:${TOKEN}@host",
            "mailto:bob@example.com",
        ] {
            assert_eq!(masked(plain), plain);
        }
        // Masking a masked text again changes nothing, and a long run of `://` stays linear.
        let once = masked("a https://u:p@h b");
        assert_eq!(masked(&once), once);
        assert!(token_like_spans(&"a://".repeat(100_000)).is_empty());
    }

    #[test]
    fn enum_names_are_no_secrets() {
        assert!(!value_looks_secret("ImplementationSpecific"));
        assert!(!value_looks_secret("PreferDualStackNetworking"));
        assert!(value_looks_secret("aZ3kP9qLmX2vB7nR4tY8wE1c"));
        assert!(value_looks_secret("hQzXWkTrpLmNvBcDaEfGyUiO"));
    }

    #[test]
    fn finds_tokens_in_comments() {
        let text = "# old: ghp_abcdefghijklmnopqrstuvwxyz0123456789\nx: 1";
        let spans = token_like_spans(text);
        assert_eq!(spans.len(), 1);
        assert_eq!(
            &text[spans[0].start..spans[0].end],
            "ghp_abcdefghijklmnopqrstuvwxyz0123456789"
        );
    }
}

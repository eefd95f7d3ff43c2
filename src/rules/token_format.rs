use super::Context;
use super::credential_values::written_text;
use super::placeholder_value::is_placeholder;
use super::unexpanded_variable::variable_in;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "token-format",
    severity: Severity::Warning,
    summary: "a token that matches none of its host's formats or matches another host's; a GitHub token whose checksum fails is an error",
    suppressible: true,
    docs: r#"## What it checks
Each Git host token is classified by the host it is configured for, then by its shape
(checked offline; the token is never printed or sent anywhere):
- `gh-token`: `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` tokens carry a CRC32 checksum in their last six
  characters. A token with one of these prefixes whose checksum does not match was mistyped or
  altered: **error**. `gho_` (OAuth), `ghu_` (expires in 8 hours), `ghs_` (expires in 1 hour) and
  `ghr_` (a refresh token, which cannot call the API) are warnings. `github_pat_…` and the
  legacy 40 hex characters are accepted.
- `gitlab-token`: `glpat-` tokens (also behind an instance prefix, and routable tokens, whose
  CRC32 is checked), or any token without a known prefix (GitLab allows custom prefixes). Other
  GitLab token types (`gldt-` deploy, `glrt-` runner, `glptt-` trigger, `glcbt-` CI job, `glft-`
  feed, `gloas-` OAuth secret) cannot call the API as a user.
- `gitea-token`: 40 lowercase hex characters.
- `bitbucket-token`: for Bitbucket Cloud (`bitbucket-base-url` left at
  `https://api.bitbucket.org`) an app password (`ATBB…` or 20 characters) or an API token
  (`ATATT…`, whose CRC32 is checked); an access token (`ATCTT…`) only works as a Bearer token, and
  Atlantis sends Basic auth. For Bitbucket Server/Data Center an HTTP access token (`BBDC-…`, or
  the older base64 form).
- `azuredevops-token`: a 52-character PAT (its checksum is checked) or an 84/88-character one.
- Any token with another host's prefix (a `glpat-` token in `gh-token`).
- The token in the file `gh-token-file` names, when that file can be read (as for `gh-token`).

Lengths are only hints: the rule never rejects a token for being a few characters longer.

## Why it matters
Atlantis starts with any token and fails only at the first pull request. A token from another
host, a short-lived token or a mistyped one costs a round of deploy-and-wait.

## Example
```yaml
gh-user: atlantis-bot
gh-token: glpat-Xk3vB9mQ2rT7wY5zL1nP   # a GitLab token for GitHub
```

## Fix
Create the right kind of token for the host Atlantis talks to (for GitHub a fine-grained or
classic personal access token of the machine user) and paste it whole.
"#,
};

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn encode(mut n: u32, alphabet: &[u8], width: usize) -> String {
    let base = alphabet.len() as u32;
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(alphabet[(n % base) as usize]);
        n /= base;
    }
    while digits.len() < width {
        digits.push(alphabet[0]);
    }
    digits.reverse();
    String::from_utf8(digits).expect("ascii alphabet")
}

/// The six base62 checksum characters GitHub appends to a 30-character token payload.
pub fn github_checksum(payload: &str) -> String {
    encode(crc32fast::hash(payload.as_bytes()), BASE62, 6)
}

/// For `ghp_`-style tokens with a 36-character body: does the checksum match?
fn github_checksum_ok(body: &str) -> bool {
    body.len() == 36 && github_checksum(&body[..30]) == body[30..]
}

/// GitLab routable tokens: base36 CRC32 of everything before the last seven characters.
fn gitlab_routable_ok(token: &str) -> bool {
    if token.len() <= 7 || !token.is_ascii() {
        return false;
    }
    let (head, sum) = token.split_at(token.len() - 7);
    encode(
        crc32fast::hash(head.as_bytes()),
        b"0123456789abcdefghijklmnopqrstuvwxyz",
        7,
    ) == sum
}

/// Older Bitbucket Data Center HTTP access tokens: base64 of `<digits>:<random bytes>`.
fn dc_legacy_token(token: &str) -> bool {
    use base64::Engine;
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(token) else {
        return false;
    };
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && bytes.get(digits) == Some(&b':') && bytes.len() > digits + 1
}

/// Atlassian API tokens end with `=` and eight upper-case hex digits.
fn atlassian_shape(token: &str) -> bool {
    let b = token.as_bytes();
    b.len() > 9
        && b[b.len() - 9] == b'='
        && b[b.len() - 8..]
            .iter()
            .all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(c))
}

/// Atlassian API tokens: the last eight characters are `%08X` of the CRC32 of the rest.
fn atlassian_ok(token: &str) -> bool {
    if token.len() <= 8 || !token.is_ascii() {
        return false;
    }
    let (head, sum) = token.split_at(token.len() - 8);
    format!("{:08X}", crc32fast::hash(head.as_bytes())) == sum
}

/// Azure DevOps 52-character PATs embed a CRC32 of their other bytes.
fn ado_legacy_ok(token: &str) -> bool {
    let mut bits: u64 = 0;
    let mut nbits = 0;
    let mut b = Vec::with_capacity(33);
    for c in token.bytes() {
        let v = match c {
            b'a'..=b'z' => c - b'a',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return false,
        };
        bits = (bits << 5) | u64::from(v);
        nbits += 5;
        if nbits >= 8 {
            nbits -= 8;
            b.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    if b.len() < 32 {
        return false;
    }
    let mut data = Vec::with_capacity(28);
    data.extend_from_slice(&b[0..2]);
    data.extend_from_slice(&b[3..7]);
    data.extend_from_slice(&b[9..22]);
    data.extend_from_slice(&b[23..32]);
    let embedded = u32::from_le_bytes([b[22], b[8], b[7], b[2]]);
    let crc = crc32fast::hash(&data);
    crc ^ 0xE0B9_692D == embedded || crc ^ 0x1019_F92E == embedded
}

fn all(s: &str, f: impl Fn(u8) -> bool) -> bool {
    !s.is_empty() && s.bytes().all(f)
}

fn is_hex40(s: &str) -> bool {
    s.len() == 40 && all(s, |b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A prefix that names a token kind, and the kind.
struct Known {
    prefix: &'static str,
    host: &'static str,
    kind: &'static str,
}

const KNOWN: &[Known] = &[
    Known {
        prefix: "github_pat_",
        host: "GitHub",
        kind: "fine-grained personal access token",
    },
    Known {
        prefix: "ghp_",
        host: "GitHub",
        kind: "classic personal access token",
    },
    Known {
        prefix: "gho_",
        host: "GitHub",
        kind: "OAuth token",
    },
    Known {
        prefix: "ghu_",
        host: "GitHub",
        kind: "GitHub App user-to-server token",
    },
    Known {
        prefix: "ghs_",
        host: "GitHub",
        kind: "GitHub App installation token",
    },
    Known {
        prefix: "ghr_",
        host: "GitHub",
        kind: "refresh token",
    },
    Known {
        prefix: "glpat-",
        host: "GitLab",
        kind: "personal access token",
    },
    Known {
        prefix: "gldt-",
        host: "GitLab",
        kind: "deploy token",
    },
    Known {
        prefix: "glptt-",
        host: "GitLab",
        kind: "pipeline trigger token",
    },
    Known {
        prefix: "glrt-",
        host: "GitLab",
        kind: "runner token",
    },
    Known {
        prefix: "GR1348941",
        host: "GitLab",
        kind: "runner registration token",
    },
    Known {
        prefix: "glcbt-",
        host: "GitLab",
        kind: "CI job token",
    },
    Known {
        prefix: "glft-",
        host: "GitLab",
        kind: "feed token",
    },
    Known {
        prefix: "gloas-",
        host: "GitLab",
        kind: "OAuth application secret",
    },
    Known {
        prefix: "glimt-",
        host: "GitLab",
        kind: "incoming mail token",
    },
    Known {
        prefix: "glagent-",
        host: "GitLab",
        kind: "agent token",
    },
    Known {
        prefix: "ATBB",
        host: "Bitbucket Cloud",
        kind: "app password",
    },
    Known {
        prefix: "ATATT",
        host: "Bitbucket Cloud",
        kind: "Atlassian API token",
    },
    Known {
        prefix: "ATCTT",
        host: "Bitbucket Cloud",
        kind: "access token",
    },
    Known {
        prefix: "BBDC-",
        host: "Bitbucket Data Center",
        kind: "HTTP access token",
    },
    Known {
        prefix: "xoxb-",
        host: "Slack",
        kind: "bot token",
    },
    Known {
        prefix: "xoxp-",
        host: "Slack",
        kind: "user token",
    },
];

fn known(token: &str) -> Option<&'static Known> {
    KNOWN.iter().find(|k| token.starts_with(k.prefix))
}

/// What the rule says about one token.
struct Verdict {
    severity: Severity,
    message: String,
    label: &'static str,
    help: String,
}

fn warn(message: String, label: &'static str, help: impl Into<String>) -> Option<Verdict> {
    Some(Verdict {
        severity: Severity::Warning,
        message,
        label,
        help: help.into(),
    })
}

fn foreign(flag: impl std::fmt::Display, k: &Known, host: &str, help: &str) -> Option<Verdict> {
    warn(
        format!(
            "{flag} looks like a {} {} (`{}`), not a {host} token",
            k.host, k.kind, k.prefix
        ),
        "token from another host",
        help,
    )
}

const GH_HELP: &str = "create a personal access token for the GitHub machine user (fine-grained `github_pat_…` or classic `ghp_…`) and paste it whole";

/// `subject` names the token in messages: `gh-token`, or the file it was read from.
fn github(token: &str, subject: &str) -> Option<Verdict> {
    if is_hex40(token) {
        return None;
    }
    let Some(k) = known(token) else {
        return warn(
            format!(
                "{subject} matches none of GitHub's token formats (`ghp_…`, `github_pat_…`, or 40 hex characters)"
            ),
            "not a GitHub token",
            GH_HELP,
        );
    };
    if k.host != "GitHub" {
        return foreign(subject, k, "GitHub", GH_HELP);
    }
    let body = &token[k.prefix.len()..];
    let underscore_ok = k.prefix == "github_pat_";
    if !all(body, |b| {
        b.is_ascii_alphanumeric() || (underscore_ok && b == b'_')
    }) {
        return warn(
            format!(
                "{subject} starts with `{}` but holds characters a GitHub token never has",
                k.prefix
            ),
            "malformed token",
            "copy the token again from GitHub, whole",
        );
    }
    if k.prefix == "github_pat_" {
        return None;
    }
    if body.len() == 36 {
        if !github_checksum_ok(body) {
            return Some(Verdict {
                severity: Severity::Error,
                message: format!(
                    "{subject} has the `{}` prefix of a GitHub {}, but its checksum does not match: it was mistyped or altered",
                    k.prefix, k.kind
                ),
                label: "checksum mismatch",
                help: "copy the token again from GitHub (or create a new one); GitHub rejects this one".into(),
            });
        }
    } else if k.prefix == "ghp_" {
        return warn(
            format!(
                "{subject} has the `ghp_` prefix but {} characters after it instead of 36: it looks truncated or padded",
                body.len()
            ),
            "unexpected length",
            "copy the token again from GitHub, whole",
        );
    }
    match k.prefix {
        "gho_" => warn(
            format!(
                "{subject} is a GitHub OAuth token (`gho_`): it works, but belongs to an OAuth app's authorization, which the user can revoke without noticing Atlantis"
            ),
            "OAuth token",
            GH_HELP,
        ),
        "ghu_" => warn(
            format!(
                "{subject} is a GitHub App user-to-server token (`ghu_`), which usually expires after 8 hours"
            ),
            "short-lived token",
            "use a personal access token, or configure Atlantis as a GitHub App (gh-app-id, gh-app-key-file)",
        ),
        "ghs_" => warn(
            format!(
                "{subject} is a GitHub App installation token (`ghs_`), which expires after 1 hour"
            ),
            "short-lived token",
            "configure Atlantis as the GitHub App itself (gh-app-id, gh-app-key-file): it mints installation tokens as it needs them",
        ),
        "ghr_" => warn(
            format!(
                "{subject} is a GitHub refresh token (`ghr_`), which cannot authenticate API calls"
            ),
            "refresh token",
            GH_HELP,
        ),
        _ => None,
    }
}

const GL_HELP: &str = "create a personal, group or project access token with the `api` scope";

fn gitlab(token: &str) -> Option<Verdict> {
    // A GitLab instance may put its own prefix before `glpat-`.
    let glpat = token
        .find("glpat-")
        .filter(|&i| i == 0 || token.as_bytes()[i - 1] == b'-');
    if let Some(i) = glpat {
        let body = &token[i + 6..];
        if body.contains(".01.") {
            if !gitlab_routable_ok(token) {
                return warn(
                    "gitlab-token has the shape of a GitLab routable token, but its checksum does not match: it was mistyped or altered".into(),
                    "checksum mismatch",
                    "copy the token again from GitLab, whole",
                );
            }
        } else if body.len() < 20 {
            return warn(
                format!(
                    "gitlab-token has the `glpat-` prefix but only {} characters after it (GitLab tokens have at least 20): it looks truncated",
                    body.chars().count()
                ),
                "truncated token",
                "copy the token again from GitLab, whole",
            );
        }
        return None;
    }
    let k = known(token)?;
    if k.host == "GitLab" {
        return warn(
            format!(
                "gitlab-token is a GitLab {} (`{}`), which cannot call the GitLab API as a user",
                k.kind, k.prefix
            ),
            "wrong kind of token",
            GL_HELP,
        );
    }
    foreign(flags::GITLAB_TOKEN, k, "GitLab", GL_HELP)
}

const GITEA_HELP: &str =
    "create an access token in Gitea (Settings > Applications) and paste it whole";

fn gitea(token: &str) -> Option<Verdict> {
    if is_hex40(token) {
        return None;
    }
    if let Some(k) = known(token) {
        return foreign(flags::GITEA_TOKEN, k, "Gitea", GITEA_HELP);
    }
    warn(
        "gitea-token is not 40 lowercase hex characters, the shape of a Gitea access token".into(),
        "not a Gitea token",
        GITEA_HELP,
    )
}

fn bitbucket(token: &str, cloud: bool) -> Option<Verdict> {
    let k = known(token);
    if cloud {
        const HELP: &str = "create an Atlassian API token with Bitbucket scopes and set bitbucket-api-user to the account's e-mail address";
        match k {
            Some(k) if k.prefix == "ATBB" => None,
            Some(k) if k.prefix == "ATATT" && !atlassian_shape(token) => warn(
                "bitbucket-token has the `ATATT` prefix of an Atlassian API token, but not its ending (`=` and 8 hex digits): it looks truncated".into(),
                "truncated token",
                "copy the token again from Atlassian, whole",
            ),
            Some(k) if k.prefix == "ATATT" => (!atlassian_ok(token)).then(|| Verdict {
                severity: Severity::Warning,
                message: "bitbucket-token has the shape of an Atlassian API token, but its checksum does not match: it was mistyped or altered".into(),
                label: "checksum mismatch",
                help: "copy the token again from Atlassian, whole".into(),
            }),
            Some(k) if k.prefix == "ATCTT" => warn(
                "bitbucket-token is a Bitbucket Cloud access token (`ATCTT`), which works only as a Bearer token; Atlantis sends Basic auth".into(),
                "access token",
                HELP,
            ),
            Some(k) if k.prefix == "BBDC-" => warn(
                "bitbucket-token is a Bitbucket Data Center token, but bitbucket-base-url selects Bitbucket Cloud".into(),
                "Data Center token",
                "set bitbucket-base-url to your Bitbucket Server's URL, or use a Bitbucket Cloud credential",
            ),
            Some(k) => foreign(flags::BITBUCKET_TOKEN, k, "Bitbucket", HELP),
            None if token.len() == 20 && all(token, |b| b.is_ascii_alphanumeric()) => None,
            None => warn(
                "bitbucket-token matches none of Bitbucket Cloud's credential formats (an `ATATT…` API token or an app password)".into(),
                "not a Bitbucket Cloud credential",
                HELP,
            ),
        }
    } else {
        const HELP: &str = "create an HTTP access token in Bitbucket Data Center (Manage account > HTTP access tokens)";
        match k {
            Some(k) if k.prefix == "BBDC-" => None,
            Some(k) if k.host == "Bitbucket Cloud" => warn(
                format!("bitbucket-token is a Bitbucket Cloud {} (`{}`), but bitbucket-base-url selects Bitbucket Server", k.kind, k.prefix),
                "Cloud credential",
                "for Bitbucket Cloud leave bitbucket-base-url at https://api.bitbucket.org; for Server use an HTTP access token",
            ),
            Some(k) => foreign(flags::BITBUCKET_TOKEN, k, "Bitbucket Server", HELP),
            None if dc_legacy_token(token) => None,
            None => warn(
                "bitbucket-token matches none of Bitbucket Data Center's HTTP access token formats (`BBDC-…`, or base64 of an id and random bytes)".into(),
                "not an HTTP access token",
                HELP,
            ),
        }
    }
}

fn azure_devops(token: &str) -> Option<Verdict> {
    const HELP: &str = "create a personal access token in Azure DevOps (User settings > Personal access tokens) and paste it whole";
    if token.len() == 52
        && all(token, |b| {
            b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b)
        })
    {
        if ado_legacy_ok(token) {
            return None;
        }
        return warn(
            "azuredevops-token has the shape of an Azure DevOps PAT, but its checksum does not match: it was probably mistyped".into(),
            "checksum mismatch",
            "copy the token again from Azure DevOps, whole",
        );
    }
    let b = token.as_bytes();
    let identifiable = (token.len() == 84 || token.len() == 88)
        && all(&token[..84], |c| c.is_ascii_alphanumeric())
        && &token[52..58] == "JQQJ99"
        && &token[76..80] == "AZDO"
        && (b'A'..=b'L').contains(&b[59]);
    if identifiable {
        return None;
    }
    if let Some(k) = known(token) {
        return foreign(flags::AZUREDEVOPS_TOKEN, k, "Azure DevOps", HELP);
    }
    warn(
        "azuredevops-token matches neither Azure DevOps PAT format (52 characters of `a-z` and `2-7`, or 84 characters)".into(),
        "not an Azure DevOps PAT",
        HELP,
    )
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let cloud = crate::hosts::bitbucket_cloud(cfg);
    for flag in [
        flags::GH_TOKEN,
        flags::GITLAB_TOKEN,
        flags::GITEA_TOKEN,
        flags::BITBUCKET_TOKEN,
        flags::AZUREDEVOPS_TOKEN,
    ] {
        let Some(setting) = cfg.winner(flag) else {
            continue;
        };
        let Some(text) = written_text(setting) else {
            continue;
        };
        // Whitespace and quotes are secret-whitespace's; placeholders and variables have their rules.
        let token = text
            .as_str()
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .trim();
        if token.is_empty() || is_placeholder(token) || variable_in(token, true).is_some() {
            continue;
        }
        let verdict = match flag {
            flags::GH_TOKEN => github(token, flags::GH_TOKEN.name()),
            flags::GITLAB_TOKEN => gitlab(token),
            flags::GITEA_TOKEN => gitea(token),
            flags::BITBUCKET_TOKEN => bitbucket(token, cloud),
            _ => azure_devops(token),
        };
        if let Some(v) = verdict {
            out.push(
                Finding::new(&RULE, setting.origin.value(), v.message)
                    .severity(v.severity)
                    .key(flag)
                    .label(v.label)
                    .help(v.help),
            );
        }
    }
    // Atlantis reads (and trims) gh-token-file itself; check the token in it when it can be read.
    if let Some(path) = cfg.explicit_text(flags::GH_TOKEN_FILE) {
        let path = path.as_str();
        let Some(token) = read_token_file(path) else {
            return;
        };
        ctx.options.secrets.add(&token);
        let token = token.trim();
        if token.is_empty() || is_placeholder(token) {
            return;
        }
        let subject = format!("the token in {path} (gh-token-file)");
        if let Some(v) = github(token, &subject) {
            out.push(
                Finding::new(&RULE, cfg.value_location(flags::GH_TOKEN_FILE), v.message)
                    .severity(v.severity)
                    .key(flags::GH_TOKEN_FILE)
                    .label(v.label)
                    .help(v.help),
            );
        }
    }
}

/// A small text file's contents, wiped when dropped; `None` when it cannot be read
/// (file-not-found's business).
fn read_token_file(path: &str) -> Option<zeroize::Zeroizing<String>> {
    let bytes = crate::input::read_regular_file(std::path::Path::new(path), 64 * 1024).ok()?;
    match String::from_utf8(bytes) {
        Ok(text) => Some(zeroize::Zeroizing::new(text)),
        Err(e) => {
            zeroize::Zeroize::zeroize(&mut e.into_bytes());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An obviously fake payload; valid-checksum literals are never committed (secret scanners).
    const PAYLOAD: &str = "AtlantisLintFakeFixture0000001";

    fn github_t(token: &str) -> Option<Verdict> {
        github(token, "gh-token")
    }

    #[test]
    fn github_checksums() {
        let good = format!("ghp_{PAYLOAD}{}", github_checksum(PAYLOAD));
        assert_eq!(good.len(), 40);
        assert!(github_t(&good).is_none());
        let mut bad = good.clone().into_bytes();
        bad[10] = if bad[10] == b'a' { b'b' } else { b'a' };
        let bad = String::from_utf8(bad).unwrap();
        let v = github_t(&bad).unwrap();
        assert_eq!(v.severity, Severity::Error);
        assert!(!v.message.contains(PAYLOAD));
        let ghs = format!("ghs_{PAYLOAD}{}", github_checksum(PAYLOAD));
        assert_eq!(github_t(&ghs).unwrap().severity, Severity::Warning);
        assert!(github_t(&"a".repeat(40)).is_none());
        assert!(github_t("glpat-Xk3vB9mQ2rT7wY5zL1nP").is_some());
    }

    #[test]
    fn base62_padding() {
        assert_eq!(encode(0, BASE62, 6), "000000");
        assert_eq!(encode(61, BASE62, 6), "00000z");
        assert_eq!(encode(62, BASE62, 6), "000010");
    }

    #[test]
    fn gitlab_tokens() {
        assert!(gitlab("glpat-Xk3vB9mQ2rT7wY5zL1nP").is_none());
        assert!(gitlab("corp-glpat-Xk3vB9mQ2rT7wY5zL1nP").is_none());
        assert!(gitlab("my-custom-prefix-abcdefghijklmnopqrst").is_none());
        assert!(gitlab("gldt-Xk3vB9mQ2rT7wY5zL1nP").is_some());
        let head = "glpat-QXRsYW50aXNMaW50RmFrZUZpeHR1cmU.01.12";
        let sum = encode(
            crc32fast::hash(head.as_bytes()),
            b"0123456789abcdefghijklmnopqrstuvwxyz",
            7,
        );
        assert!(gitlab(&format!("{head}{sum}")).is_none());
        assert!(gitlab(&format!("{head}0000000")).is_some());
    }

    #[test]
    fn atlassian_and_ado() {
        let head = format!("ATATT3xFfGF0{}=", "A".repeat(60));
        let good = format!("{head}{:08X}", crc32fast::hash(head.as_bytes()));
        assert!(bitbucket(&good, true).is_none());
        assert!(bitbucket(&format!("{head}00000000"), true).is_some());
        let short = bitbucket("ATATT3xFfGF0T4bX9kLmN2pQ7rS5vW8yZ1cD3eG6hJ0", true).unwrap();
        assert!(short.message.contains("truncated"));
        assert!(bitbucket(&good, false).is_some());
        assert!(bitbucket("NjM4MTY1NzQ4OTk2OkV4YW1wbGVUb2tlbg==", false).is_none());
        assert!(bitbucket("hunter2hunter2", false).is_some());

        // Build a 52-character PAT with a valid embedded checksum from fake bytes.
        let mut b = [0u8; 32];
        for (i, x) in b.iter_mut().enumerate() {
            *x = (i as u8).wrapping_mul(37).wrapping_add(11);
        }
        let mut data = Vec::new();
        data.extend_from_slice(&b[0..2]);
        data.extend_from_slice(&b[3..7]);
        data.extend_from_slice(&b[9..22]);
        data.extend_from_slice(&b[23..32]);
        let e = (crc32fast::hash(&data) ^ 0xE0B9_692D).to_le_bytes();
        (b[22], b[8], b[7], b[2]) = (e[0], e[1], e[2], e[3]);
        let alphabet = b"abcdefghijklmnopqrstuvwxyz234567";
        let mut bits: u64 = 0;
        let mut n = 0;
        let mut pat = String::new();
        for byte in b {
            bits = (bits << 8) | u64::from(byte);
            n += 8;
            while n >= 5 {
                n -= 5;
                pat.push(alphabet[((bits >> n) & 31) as usize] as char);
            }
        }
        pat.push(alphabet[((bits << (5 - n)) & 31) as usize] as char);
        assert_eq!(pat.len(), 52);
        assert!(azure_devops(&pat).is_none(), "{pat}");
        let mut bad = pat.into_bytes();
        bad[5] = if bad[5] == b'a' { b'b' } else { b'a' };
        assert!(azure_devops(std::str::from_utf8(&bad).unwrap()).is_some());
    }
}

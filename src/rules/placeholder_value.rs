use super::Context;
use super::credential_values::{is_account_flag, is_secret_flag, written_text};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags::{self, FlagId};

pub static RULE: RuleInfo = RuleInfo {
    id: "placeholder-value",
    severity: Severity::Error,
    summary: "a secret, user or allowlist left as a placeholder (`changeme`, `<replace-me>`, `xxx`, `your-token`, `TODO`)",
    suppressible: false,
    docs: r#"## What it checks
Secrets (tokens, passwords, webhook secrets, the GitHub App key), Git host users and
`repo-allowlist` entries whose value is a placeholder rather than a real value:
- words such as `changeme`, `replace-me`, `TODO`, `TBD`, `FIXME`, `placeholder`, `redacted`, `dummy`;
- the name of the thing instead of a value (`token`, `secret`, `password`, `user`, `username`,
  `from-secret`) and example names (`foo`, `bar`, `baz`);
- `your-token`, `YOUR_GITHUB_TOKEN`, `YourUserName`, `token-here`, `insert-token`;
- an all-zero id (`00000000-0000-0000-0000-000000000000`);
- runs of `x` (`xxx`, `xxxx-xxxx`) or `*` (a masked value copied from a UI);
- a value in angle brackets (`<replace-me>`, the Helm chart's default allowlist) or an unrendered
  template (`{{ .Values.token }}`);
- a Git host's server (`gh-hostname`, `gitlab-hostname`, `gitea-base-url`, `bitbucket-base-url`,
  `azuredevops-hostname`, `tfe-hostname`) whose host is a placeholder (`<gitlab-host>`,
  `https://your-gitea.com`); `gitlab.example.com` is a real name and not reported;
- in `repo-allowlist`, an entry like the above, or one with a placeholder owner or name
  (`github.com/<org>/*`, `github.com/your-org/*`, `github.com/xxx/*`).

`web-password` is checked only with `web-basic-auth`, `redis-password` only with Redis locking.

`fake` is not reported: Atlantis's own GitHub App setup flow starts with `--gh-user fake`.

## Why it matters
Atlantis accepts a placeholder at startup and fails at the first pull request, with an
authentication error that reads like a wrong token. A placeholder allowlist never matches, so
every webhook is ignored. This rule cannot be suppressed: a placeholder is never intended.

## Example
```yaml
repo-allowlist: <replace-me>
gh-user: atlantis-bot
gh-token: changeme
```

## Fix
Put the real value in place, preferably through the environment (`ATLANTIS_GH_TOKEN`) or a
`*-file` flag fed from your secret store.
"#,
};

/// Whole-value placeholder words, compared after lower-casing and turning `_`, `.` and spaces into `-`.
const WORDS: &[&str] = &[
    "changeme",
    "change-me",
    "changeit",
    "change-it",
    "change-this",
    "replaceme",
    "replace-me",
    "replace-this",
    "todo",
    "tbd",
    "fixme",
    "placeholder",
    "redacted",
    "dummy",
    "none",
    "null",
    // The name of the thing, not a value of it.
    "token",
    "secret",
    "password",
    "passwd",
    "user",
    "username",
    "from-secret",
    "fromsecret",
    // Metasyntactic names from examples.
    "foo",
    "bar",
    "baz",
    "foobar",
];

/// What follows `your` in a run-together placeholder (`YourUserName`, `yourtoken`).
const YOUR_NOUNS: &[&str] = &[
    "user",
    "username",
    "name",
    "login",
    "token",
    "secret",
    "password",
    "org",
    "organization",
    "repo",
    "domain",
    "company",
    "key",
    "email",
    "id",
    "host",
    "hostname",
    "url",
];

/// True when `value` is a placeholder rather than a real value.
pub fn is_placeholder(value: &str) -> bool {
    let t = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if t.is_empty() {
        return false;
    }
    if t.len() >= 3 && t.starts_with('<') && t.ends_with('>') {
        return true;
    }
    if t.starts_with("{{") && t.ends_with("}}") {
        return true;
    }
    let xs = t.bytes().filter(|b| matches!(b, b'x' | b'X')).count();
    if xs >= 3 && t.bytes().all(|b| matches!(b, b'x' | b'X' | b'-' | b'_')) {
        return true;
    }
    if t.len() >= 3 && t.bytes().all(|b| b == b'*' || b == b'.') {
        return true;
    }
    let norm: String = t
        .chars()
        .map(|c| match c {
            '_' | '.' | ' ' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    if WORDS.contains(&norm.as_str()) {
        return true;
    }
    if norm
        .strip_prefix("your")
        .is_some_and(|rest| YOUR_NOUNS.contains(&rest))
    {
        return true;
    }
    // An all-zero id or GUID (`00000000-0000-0000-0000-000000000000`).
    if t.len() >= 4 && t.contains('0') && t.bytes().all(|b| b == b'0' || b == b'-') {
        return true;
    }
    let starts = |p: &str| norm.starts_with(p) && norm.len() > p.len();
    starts("your-")
        || starts("insert-")
        || starts("replace-with-")
        || starts("changeme-")
        || starts("change-me-")
        || (norm.ends_with("-here") && norm.len() > 5)
        || norm.starts_with("todo-")
}

/// A path segment of an allowlist entry that is a placeholder. Plain words (`todo`, `dummy`)
/// are not: a repository may well be called that.
fn placeholder_segment(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase().replace('_', "-");
    (s.starts_with('<') && s.ends_with('>') && s.len() >= 3)
        || (s.starts_with("your-") && s.len() > 5)
        || ["changeme", "change-me", "replace-me", "replaceme"].contains(&s.as_str())
        || (s.len() >= 3 && s.bytes().all(|b| b == b'x'))
}

/// The first `repo-allowlist` entry that is, or contains, a placeholder.
fn placeholder_entry(list: &str) -> Option<&str> {
    list.split(',').map(str::trim).find(|entry| {
        is_placeholder(entry)
            || entry.contains('<') && entry.contains('>')
            || entry.contains("{{")
            || entry.split('/').any(placeholder_segment)
    })
}

/// Settings that name a Git host's server (`atlantis-url` is `url-scheme`'s).
const HOST_FLAGS: &[FlagId] = &[
    flags::GH_HOSTNAME,
    flags::GITLAB_HOSTNAME,
    flags::GITEA_BASE_URL,
    flags::BITBUCKET_BASE_URL,
    flags::AZUREDEVOPS_HOSTNAME,
    flags::TFE_HOSTNAME,
];

/// `<gitlab-host>`, `{{ .Values.host }}`, `your-gitlab.com`; not `gitlab.example.com`, a name
/// that reads like a placeholder but is a real (reserved) domain people do test with.
pub fn placeholder_host(host: &str) -> bool {
    host.contains(['<', '>', '{', '}']) || is_placeholder(host.split('.').next().unwrap_or(""))
}

/// Secrets Atlantis ignores in this configuration: a placeholder there does no harm.
fn ignored(ctx: &Context, name: &str) -> bool {
    match flags::id(name) {
        Some(flags::WEB_PASSWORD) => !ctx.cfg.bool(flags::WEB_BASIC_AUTH),
        Some(flags::REDIS_PASSWORD) => ctx.cfg.str(flags::LOCKING_DB_TYPE) != Some("redis"),
        _ => false,
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    for (name, _) in cfg.resolutions() {
        let Some(setting) = flags::lookup(name).and_then(|f| cfg.winner(f)) else {
            continue;
        };
        let Some(text) = written_text(setting) else {
            continue;
        };
        let secret = is_secret_flag(name);
        let finding = if secret {
            if !is_placeholder(text.as_str()) || ignored(ctx, name) {
                continue;
            }
            Finding::new(
                &RULE,
                setting.origin.value(),
                format!("{name} is a placeholder, not a real secret"),
            )
            .label("placeholder")
            .help(format!(
                "put the real value in place, preferably through {} or a secret store",
                flags::env_name(name)
            ))
        } else if is_account_flag(name) {
            if !is_placeholder(text.as_str()) {
                continue;
            }
            Finding::new(
                &RULE,
                setting.origin.value(),
                format!(
                    "{name} is the placeholder `{}`, not an account name",
                    text.display().trim()
                ),
            )
            .label("placeholder")
            .help("set it to the user the token belongs to")
        } else if HOST_FLAGS.iter().any(|f| *f == name) {
            let host = super::git_hosts::host_of(text.as_str());
            if !placeholder_host(&host) {
                continue;
            }
            Finding::new(
                &RULE,
                setting.origin.value(),
                format!("{name} has the placeholder host `{host}`, not a real server"),
            )
            .label("placeholder host")
            .help("set it to your server's host name")
        } else if name == flags::REPO_ALLOWLIST {
            let Some(entry) = placeholder_entry(text.as_str()) else {
                continue;
            };
            Finding::new(
                &RULE,
                setting.origin.value(),
                format!("repo-allowlist entry `{entry}` is a placeholder: it matches no repository, so Atlantis ignores every webhook"),
            )
            .label("placeholder")
            .help("list the repositories Atlantis serves, e.g. `github.com/acme/*` or `github.com/acme/infra`")
        } else {
            continue;
        };
        out.push(finding.key(name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for p in [
            "changeme",
            "CHANGE_ME",
            "<replace-me>",
            "xxx",
            "xxxx-xxxx",
            "your-token",
            "YOUR_GITHUB_TOKEN",
            "TODO",
            "{{ .Values.token }}",
            "********",
            "put-token-here",
            "\"changeme\"",
            "token",
            "SECRET",
            "User",
            "foo",
            "YourUserName",
            "your_token",
            "from-secret",
            "00000000-0000-0000-0000-000000000000",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for real in [
            "fake",
            "atlantis-bot",
            "ghp_Wq3xR8tY2uI5oP7aS1dF4gH6jK9lZ0xC3vBn",
            "xoxb-1234",
            "x",
            "hunter2",
            "here",
            "atlantis",
            "tokenizer-bot",
            "foo-bar-deploy",
            "yourik",
            "userbot",
            "barbara",
            "0",
            "100",
            "Zb6Xq2mN8vL4tR1yK9wP3sD7fH5jC0aE",
            "68b329da9893e34099c7",
            "a0b0c0d0",
        ] {
            assert!(!is_placeholder(real), "{real}");
        }
    }

    #[test]
    fn allowlist_entries() {
        assert_eq!(
            placeholder_entry("github.com/acme/*,github.com/<org>/*"),
            Some("github.com/<org>/*")
        );
        assert_eq!(
            placeholder_entry("github.com/your-org/*"),
            Some("github.com/your-org/*")
        );
        assert_eq!(placeholder_entry("github.com/acme/*"), None);
        assert_eq!(placeholder_entry("github.com/acme/todo"), None);
        assert_eq!(
            placeholder_entry("github.com/xxx/*"),
            Some("github.com/xxx/*")
        );
    }
}

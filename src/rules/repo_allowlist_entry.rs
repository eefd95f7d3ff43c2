use super::Context;
use super::git_hosts::{NeverMatches, never_matches, repo_hosts, split_list, value_parts};
use super::placeholder_value::is_placeholder;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-allowlist-entry",
    severity: Severity::Warning,
    summary: "repo-allowlist entries that can never match: no host, an owner without `/*`, a space after a comma, a path below owner/repo, an empty entry (error when no entry can match)",
    suppressible: true,
    docs: r#"## What it checks
Each comma-separated entry of `repo-allowlist`:
- must not start or end with whitespace (`github.com/a/*, github.com/b/*`): Atlantis does not
  trim entries, so ` github.com/b/*` never matches;
- must not be empty (`a/*,,b/*`, or a trailing comma);
- must not name a path inside a repository (`github.com/acme/infra/terraform`): repositories on
  GitHub, GitHub Enterprise and Bitbucket Cloud are `host/owner/repo`, on Azure DevOps
  `host/org/project/repo`, and nothing below that is ever matched. (GitLab's nested groups make
  any depth valid there, so GitLab hosts are not checked for this.)
- must be able to match a repository of some configured Git host, compared the way
  `RepoAllowlistChecker.matchesRule` compares (`host/owner/repo`, lower-cased; the first `*`
  matches any run of characters, `/` included, and whatever follows it is compared literally
  with the end of the name). Never matching: an entry without a host (`acme`, as the Helm
  chart's `orgAllowlist: acme` renders; `terraform-infra`), an owner without `/*`
  (`github.com/acme` on a host whose repositories are `owner/repo`), and a second `*`
  (`github.com/*/*`: the second one is compared as a literal `*`).

Severity: a warning while some entry can still match; an **error** when no entry of the list
can match a repository of any configured host, since Atlantis then ignores every webhook.

## Why it matters
Webhooks of repositories the entry was meant to allow are silently ignored (or answered with
"not in the allowlist").

## Example
```yaml
repo-allowlist: github.com/acme/infra, github.com/acme/modules/aws, acme
```

## Fix
Remove the spaces, empty entries and paths, and give every entry its host and owner:
`github.com/acme/infra,github.com/acme/modules,github.com/acme/*`.
"#,
};

/// How many `/`-separated parts a repository's full name has on hosts with fixed depth.
fn depth_for(host: &str) -> Option<usize> {
    if host == "dev.azure.com" || host.ends_with(".visualstudio.com") {
        Some(4)
    } else if host == "github.com" || host == "bitbucket.org" {
        Some(3)
    } else {
        None
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let Some(setting) = cfg.winner(flags::REPO_ALLOWLIST) else {
        return;
    };
    let Some(value) = cfg.explicit_text(flags::REPO_ALLOWLIST) else {
        return;
    };
    // Literal quotes around the list are `quoted-value`'s finding.
    if super::secret_whitespace::quoted(value.as_str()) {
        return;
    }
    let value = value.as_str();
    let source = &cfg.sources.get(setting.origin.source).text;
    let gh_host = cfg
        .str(flags::GH_HOSTNAME)
        .unwrap_or("github.com")
        .to_ascii_lowercase();
    let hosts = if cfg.complete() {
        repo_hosts(cfg)
    } else {
        Vec::new()
    };
    let part = value_parts(setting, source);
    let parts = split_list(value);
    let last = parts.len() - 1;
    let start = out.len();
    let mut matchable = false;
    for (i, (range, entry)) in parts.into_iter().enumerate() {
        let at = part(range.clone());
        if entry.is_empty() {
            let what = if i == last {
                "a trailing comma"
            } else {
                "an empty entry"
            };
            let at = part(range.start.saturating_sub(1)..range.end);
            out.push(
                Finding::new(&RULE, at, format!("repo-allowlist has {what}"))
                    .key(flags::REPO_ALLOWLIST)
                    .label("empty entry")
                    .help("remove the extra comma"),
            );
            continue;
        }
        let trimmed = entry.trim();
        if trimmed != entry {
            out.push(
                Finding::new(
                    &RULE,
                    at,
                    format!(
                        "repo-allowlist entry `{entry}` has surrounding whitespace: Atlantis does not trim entries, so it never matches"
                    ),
                )
                .key(flags::REPO_ALLOWLIST)
                .label("whitespace is part of the entry")
                .help("remove the spaces around the commas")
                .suggestion(trimmed),
            );
        }
        let negated = entry.starts_with('!') && entry.len() > 1;
        let pattern = trimmed.trim_start_matches('!');
        let never = (!negated && !pattern.contains("://") && !hosts.is_empty())
            .then(|| never_matches(pattern, &hosts))
            .flatten();
        let segments: Vec<&str> = pattern.split('/').collect();
        let host = segments[0].to_ascii_lowercase();
        let depth = if host == gh_host {
            Some(3)
        } else {
            depth_for(&host)
        };
        let lead = entry.len() - entry.trim_start().len();
        let entry_at = part(range.start + lead..range.start + lead + trimmed.len());
        if let Some(depth) = depth {
            if segments.len() > depth && !segments[..depth].iter().any(|s| s.contains('*')) {
                let repo = segments[..depth].join("/");
                out.push(
                    Finding::new(
                        &RULE,
                        entry_at,
                        format!(
                            "repo-allowlist entry `{trimmed}` names a path inside the repository `{repo}`: Atlantis matches whole repositories, so it never matches"
                        ),
                    )
                    .key(flags::REPO_ALLOWLIST)
                    .label("path below the repository")
                    .help(format!("allow the repository itself: `{repo}`"))
                    .suggestion(repo),
                );
                continue;
            }
        }
        let placeholder =
            is_placeholder(pattern) || pattern.contains('<') || pattern.contains("{{");
        match never {
            None => matchable |= !negated && trimmed == entry && !placeholder,
            // Reported by `placeholder-value` and `repo-allowlist-host`.
            Some(_) if placeholder => {}
            Some(NeverMatches::OtherHost) => {}
            Some(reason) => {
                let host = hosts
                    .iter()
                    .find(|h| h.host_known)
                    .map_or("github.com", |h| h.names[0].as_str());
                out.push(never_finding(trimmed, reason, host, entry_at));
            }
        }
    }
    if !matchable && !hosts.is_empty() {
        for f in &mut out[start..] {
            f.severity = Severity::Error;
        }
    }
}

fn never_finding(
    entry: &str,
    reason: NeverMatches,
    host: &str,
    at: crate::config::Location,
) -> Finding {
    let (message, label, help, suggestion) = match reason {
        NeverMatches::NoHost => (
            format!(
                "repo-allowlist entry `{entry}` has no host: Atlantis matches `host/owner/repo`, so it never matches"
            ),
            "no host",
            format!(
                "write `{host}/<owner>/<repo>`, or `{host}/<owner>/*` for every repository of an owner"
            ),
            None,
        ),
        NeverMatches::HostOnly => (
            format!(
                "repo-allowlist entry `{entry}` names a host alone: Atlantis matches whole `{entry}/owner/repo` names, so it never matches"
            ),
            "host without owner and repository",
            format!(
                "allow every repository on the host with `{entry}/*`, or name the owners: `{entry}/<owner>/*`"
            ),
            Some(format!("{entry}/*")),
        ),
        NeverMatches::OwnerOnly { host } => (
            format!(
                "repo-allowlist entry `{entry}` names an owner, not a repository: Atlantis matches whole `{host}/owner/repo` names, so it never matches"
            ),
            "owner without `/*`",
            format!("allow every repository of the owner with `{entry}/*`"),
            Some(format!("{entry}/*")),
        ),
        NeverMatches::SecondWildcard => (
            format!(
                "repo-allowlist entry `{entry}` has a second `*`: Atlantis honours only the first one and compares the rest literally, so it never matches"
            ),
            "the second `*` is literal",
            "use one `*`, at the end: `github.com/acme/*` (a `*` matches across `/` too)"
                .to_string(),
            None,
        ),
        NeverMatches::OtherHost => unreachable!("left to repo-allowlist-host"),
    };
    let f = Finding::new(&RULE, at, message)
        .key(flags::REPO_ALLOWLIST)
        .label(label)
        .help(help);
    match suggestion {
        Some(s) => f.suggestion(s),
        None => f,
    }
}

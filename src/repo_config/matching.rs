//! Which repositories a `repos[]` entry applies to, and what the repo allowlist admits.
//!
//! An `id` without slashes is compared exactly (`IDMatches`); `/re/` is a Go regular expression,
//! matched unanchored. The allowlist (`RepoAllowlistChecker`) compares without regard to case;
//! an entry holds at most one `*`: last, it is a prefix match; elsewhere, Atlantis compares only
//! what follows it (a suffix match); `!entry` excludes.

use super::goregex;
use regex_syntax::hir::Look;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use std::path::Path;

/// Atlantis's `matchesRule` (case-insensitive).
pub fn allowlist_rule_matches(rule: &str, candidate: &str) -> bool {
    let rule = rule.to_lowercase();
    let candidate = candidate.to_lowercase();
    let Some(idx) = rule.find('*') else {
        return candidate == rule;
    };
    if candidate.len() < idx {
        return false;
    }
    if idx != rule.len() - 1 {
        let suffix = &rule[idx + 1..];
        return candidate
            .rfind(suffix)
            .is_some_and(|i| &candidate[i..] == suffix);
    }
    candidate.get(..idx) == Some(&rule[..idx])
}

/// Atlantis's `IsAllowlisted` for a full id (`host/owner/name`).
pub fn allowlisted(allowlist: &[String], id: &str) -> bool {
    let (omit, include): (Vec<&String>, Vec<&String>) = allowlist
        .iter()
        .partition(|r| r.len() > 1 && r.starts_with('!'));
    include.iter().any(|r| allowlist_rule_matches(r, id))
        && !omit.iter().any(|r| allowlist_rule_matches(&r[1..], id))
}

/// True when the id regex (without its slashes) certainly matches no repository the allowlist
/// admits. Only decided when it can be proved: exact allowlist entries are tried directly; a
/// `prefix*` entry only against a regex anchored with `^` whose possible starts are a finite set
/// of literals; a `*suffix` entry is assumed to match.
pub fn regex_misses_allowlist(pattern: &str, allowlist: &[String]) -> bool {
    let include: Vec<&String> = allowlist
        .iter()
        .filter(|r| !(r.is_empty() || r.len() > 1 && r.starts_with('!')))
        .collect();
    if include.is_empty() || goregex::check(pattern).is_err() {
        return false;
    }
    let folded = format!("(?i:{})", goregex::go_literal_braces(pattern));
    // Each is built only when an entry needs it: the usual allowlist (`github.com/acme/*`)
    // needs the prefixes, never the compiled regex (a regex build costs ~50 µs).
    let re = std::cell::OnceCell::new();
    let prefixes = std::cell::OnceCell::new();
    for rule in include {
        let lower = rule.to_lowercase();
        match lower.find('*') {
            None => {
                let Some(re) = re.get_or_init(|| goregex::compile(&folded)) else {
                    return false;
                };
                if re.is_match(&lower) {
                    return false;
                }
            }
            Some(i) if i == lower.len() - 1 => {
                let p = &lower[..i];
                let Some(prefixes) = prefixes.get_or_init(|| anchored_prefixes(&folded)) else {
                    return false;
                };
                let compatible = prefixes
                    .iter()
                    .any(|l| l.starts_with(p) || p.starts_with(l.as_str()));
                if compatible {
                    return false;
                }
            }
            Some(_) => return false,
        }
    }
    true
}

/// For a regex anchored at the start (`^`, `\A`), the lower-cased literals every match starts
/// with, when that set is finite.
fn anchored_prefixes(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    if !hir.properties().look_set_prefix().contains(Look::Start) {
        return None;
    }
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let lits = seq.literals()?;
    Some(
        lits.iter()
            .map(|l| String::from_utf8_lossy(l.as_bytes()).to_lowercase())
            .collect(),
    )
}

/// True when an (unanchored) id regex matches every repository: it matches the empty string
/// and has no assertion (`^`, `$`, `\b`) that could stop it.
pub fn regex_matches_everything(pattern: &str) -> bool {
    let Ok(hir) = regex_syntax::Parser::new().parse(&goregex::go_literal_braces(pattern)) else {
        return false;
    };
    let p = hir.properties();
    p.minimum_len() == Some(0) && p.look_set().is_empty()
}

/// The repository id (`host/owner/name`) of the Git checkout holding `file`, from the `origin`
/// remote in `.git/config`. `None` outside a checkout or for an unusual remote.
pub fn repo_id_from_git(file: &Path) -> Option<String> {
    let mut dir = std::fs::canonicalize(file).ok()?.parent()?.to_path_buf();
    for _ in 0..32 {
        let config = dir.join(".git").join("config");
        if let Ok(bytes) = crate::input::read_regular_file(&config, 1 << 20) {
            let text = String::from_utf8_lossy(&bytes);
            return origin_url(&text).and_then(|u| id_from_url(&u));
        }
        if !dir.pop() {
            break;
        }
    }
    None
}

fn origin_url(config: &str) -> Option<String> {
    let mut in_origin = false;
    for line in config.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_origin = t.replace(' ', "") == "[remote\"origin\"]";
            continue;
        }
        if in_origin {
            if let Some((k, v)) = t.split_once('=') {
                if k.trim() == "url" {
                    return Some(v.trim().to_string());
                }
            }
        }
    }
    None
}

/// `git@github.com:acme/infra.git`, `https://github.com/acme/infra`, `ssh://git@host:22/a/b.git`
/// -> `github.com/acme/infra`.
pub fn id_from_url(url: &str) -> Option<String> {
    let (host, path) = if let Some((_, rest)) = url.split_once("://") {
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
        let (host, path) = rest.split_once('/')?;
        (host.split(':').next()?.to_string(), path.to_string())
    } else {
        let rest = url.rsplit_once('@').map_or(url, |(_, r)| r);
        let (host, path) = rest.split_once(':')?;
        (host.to_string(), path.to_string())
    };
    let path = path.trim_matches('/').trim_end_matches(".git");
    if host.is_empty() || path.split('/').count() < 2 {
        return None;
    }
    Some(format!("{host}/{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowlist_like_atlantis() {
        let al = vec![
            "github.com/acme/*".to_string(),
            "!github.com/acme/secret".to_string(),
        ];
        assert!(allowlisted(&al, "github.com/Acme/infra"));
        assert!(!allowlisted(&al, "github.com/acme/secret"));
        assert!(!allowlisted(&al, "gitlab.com/acme/infra"));
        assert!(allowlist_rule_matches(
            "github.com/*/infra",
            "github.com/x/infra"
        ));
    }

    #[test]
    fn regexes_against_the_allowlist() {
        let al = vec!["github.com/acme/*".to_string()];
        assert!(regex_misses_allowlist("^gitlab\\.com/acme/.*", &al));
        assert!(!regex_misses_allowlist("^github\\.com/acme/.*", &al));
        assert!(!regex_misses_allowlist("^github\\.com/.*", &al));
        // Unanchored: some allowlisted name could contain it.
        assert!(!regex_misses_allowlist("gitlab\\.com/", &al));
        let exact = vec!["github.com/acme/infra".to_string()];
        assert!(regex_misses_allowlist("acme/web", &exact));
        assert!(!regex_misses_allowlist("ACME/infra", &exact));
    }

    #[test]
    fn universal_regexes() {
        assert!(regex_matches_everything(".*"));
        assert!(regex_matches_everything(""));
        assert!(!regex_matches_everything("^$"));
        assert!(!regex_matches_everything("acme"));
    }

    #[test]
    fn remote_urls() {
        assert_eq!(
            id_from_url("git@github.com:acme/infra.git").unwrap(),
            "github.com/acme/infra"
        );
        assert_eq!(
            id_from_url("https://github.com/acme/infra").unwrap(),
            "github.com/acme/infra"
        );
        assert_eq!(
            id_from_url("ssh://git@gitlab.example.com:2222/group/sub/proj.git").unwrap(),
            "gitlab.example.com/group/sub/proj"
        );
        assert_eq!(
            origin_url(
                "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:a/b.git\n"
            )
            .unwrap(),
            "git@github.com:a/b.git"
        );
    }
}

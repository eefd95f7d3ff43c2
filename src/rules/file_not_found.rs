use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;
use std::io::ErrorKind;

pub static RULE: RuleInfo = RuleInfo {
    id: "file-not-found",
    severity: Severity::Error,
    summary: "with --check-files: a file the config names (token, key, certificate, repo config) is missing or unreadable",
    suppressible: true,
    docs: r#"## What it checks
Only with `--check-files` (run the linter where the server runs, as the server's user): the
files named by `gh-token-file`, `gh-app-key-file`, `ssl-cert-file`, `ssl-key-file`,
`repo-config` and `language-config-file` must exist, be regular files and be readable. Relative
paths are resolved against the linter's working directory, as Atlantis resolves them against
its own.

## Why it matters
Atlantis reads these files at startup and stops when one is missing (`gh-token-file` and
`gh-app-key-file` are read again later, so a file that disappears breaks a running server too).
A secret volume mounted at another path, or a file name typo, is the usual cause.

## Example
```yaml
gh-user: atlantis-bot
gh-token-file: /var/run/secrets/atlantis/gh-tokn
```

## Fix
Correct the path, or mount the file there (in Kubernetes: the secret volume's `mountPath` and
`items[].path`). Make it readable by the user Atlantis runs as.
"#,
};

pub const FILE_FLAGS: &[flags::FlagId] = &[
    flags::GH_TOKEN_FILE,
    flags::GH_APP_KEY_FILE,
    flags::SSL_CERT_FILE,
    flags::SSL_KEY_FILE,
    flags::REPO_CONFIG,
    flags::LANGUAGE_CONFIG_FILE,
];

/// Why a path cannot be read, or `None` when it can.
fn unreadable(path: &str) -> Option<String> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Some("does not exist".into()),
        Err(e) if e.kind() == ErrorKind::PermissionDenied => {
            return Some("cannot be reached (permission denied)".into());
        }
        Err(e) => return Some(format!("cannot be read ({e})")),
        Ok(m) if m.is_dir() => return Some("is a directory, not a file".into()),
        // A FIFO or a device: opening it could wait forever; Atlantis reads it as it comes.
        Ok(m) if !m.is_file() => return None,
        Ok(_) => {}
    }
    match std::fs::File::open(path) {
        Ok(_) => None,
        Err(e) if e.kind() == ErrorKind::PermissionDenied => {
            Some("cannot be read (permission denied)".into())
        }
        Err(e) => Some(format!("cannot be read ({e})")),
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    if !ctx.options.check_files {
        return;
    }
    let cfg = ctx.cfg;
    for &name in FILE_FLAGS {
        let Some(path) = cfg.explicit_text(name) else {
            continue;
        };
        let Some(reason) = unreadable(path.as_str()) else {
            continue;
        };
        out.push(
            Finding::new(
                &RULE,
                cfg.value_location(name),
                format!("{name} names {}, which {reason}", path.display()),
            )
            .key(name)
            .label(format!("file {reason}"))
            .help(
                "correct the path, or mount the file there, readable by the user Atlantis runs as",
            ),
        );
    }
}

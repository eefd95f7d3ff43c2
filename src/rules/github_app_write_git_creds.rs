use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "github-app-write-git-creds",
    severity: Severity::Error,
    summary: "a GitHub App without write-git-creds",
    suppressible: false,
    docs: r#"## What it checks
When Atlantis authenticates as a GitHub App (`gh-app-id` set and `gh-user` not set),
`write-git-creds` must be true.

## Why it matters
A GitHub App's installation token expires after an hour, so Atlantis clones through a
`~/.git-credentials` file it keeps rotating. Without `write-git-creds` Atlantis refuses to start
with `initializing server: github App requires --write-git-creds to support cloning`.

## Example
```yaml
gh-app-id: 123456
gh-app-key-file: /var/run/secrets/atlantis/github-app.pem
# write-git-creds missing
```

## Fix
Add `write-git-creds: true` (or `ATLANTIS_WRITE_GIT_CREDS=true`).
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.complete()
        || !cfg.is_set(flags::GH_APP_ID)
        || cfg.is_set(flags::GH_USER)
        || cfg.bool(flags::WRITE_GIT_CREDS)
        || cfg.unknown(flags::WRITE_GIT_CREDS).is_some()
    {
        return;
    }
    let explicit_false = cfg.winner(flags::WRITE_GIT_CREDS).is_some();
    let (location, label) = if explicit_false {
        (
            cfg.value_location(flags::WRITE_GIT_CREDS),
            "turned off here, but the GitHub App needs it",
        )
    } else {
        (
            cfg.location(flags::GH_APP_ID),
            "GitHub App without write-git-creds",
        )
    };
    out.push(
        Finding::new(
            &RULE,
            location,
            "a GitHub App (gh-app-id) needs write-git-creds: true",
        )
        .key(if explicit_false { flags::WRITE_GIT_CREDS } else { flags::GH_APP_ID })
        .label(label)
        .related(
            if explicit_false { cfg.location(flags::GH_APP_ID) } else { crate::config::Location::None },
            "GitHub App configured here",
        )
        .help(
            "set write-git-creds: true (or ATLANTIS_WRITE_GIT_CREDS=true); Atlantis refuses to start with: \
             github App requires --write-git-creds to support cloning",
        ),
    );
}

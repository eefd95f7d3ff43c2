use super::Context;
use crate::config::{KeyMatch, Setting, Spelling};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;
use crate::hosts;

pub static RULE: RuleInfo = RuleInfo {
    id: "flag-not-in-version",
    severity: Severity::Error,
    summary: "a flag the Atlantis release being checked does not have yet (see --atlantis-version)",
    suppressible: true,
    docs: r#"## What it checks
Every setting against the Atlantis release the configuration is for: `--atlantis-version`, else
the image tag of the Atlantis container, else the latest release atlantis-lint knows. A flag
added in a later release (`gh-token-file` in v0.31.0, the Gitea flags in v0.28.0,
`bitbucket-api-user` in v0.37.1) is reported with the release that added it. A flag that release
knows under another name (`gh-app-installation-id` was `gh-installation-id` in v0.28.0 and
v0.28.1) points at that name.

## Why it matters
On the command line Atlantis refuses to start (`unknown flag: --gh-token-file`). In the config
file and the environment the key is silently ignored (viper only reads the keys it knows), so the
credential or option is simply not there, and Atlantis fails later or behaves differently.
The release history comes from Atlantis's `cmd/server.go` at every tag, not from the docs, whose
version badges are often wrong.

## Example
With `--atlantis-version v0.27.0`:
```yaml
gh-user: atlantis-bot
gh-token-file: /secrets/gh-token
```

## Fix
Upgrade Atlantis to the release named in the message, or use what your release has
(`gh-token` here).
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let version = cfg.version();
    for s in &cfg.settings {
        let (KeyMatch::Flag(flag) | KeyMatch::Removed(flag)) = s.matched else {
            continue;
        };
        let Some(h) = flags::history(flag) else {
            continue;
        };
        if cfg.in_version(s) || h.added <= version {
            continue;
        }
        // A value the deployment tool sets on its own (a newer chart's default
        // `ATLANTIS_DEFAULT_TF_DISTRIBUTION`) is not the user's to remove, and the older
        // release ignores it.
        let provided = cfg.provided.iter().any(|(at, name, _)| {
            name == flag.name && (*at == s.origin.key() || *at == s.origin.value())
        });
        if provided {
            continue;
        }
        let effect = match s.origin.spelling {
            Spelling::Flag { .. } => "Atlantis refuses to start with `unknown flag`",
            _ => "Atlantis ignores it",
        };
        let mut f = Finding::new(
            &RULE,
            s.origin.key(),
            format!(
                "`{}` is not in Atlantis {version}: it was added in {}; {effect}",
                shown(s),
                h.added
            ),
        )
        .key(flag.name)
        .label(format!("added in {}", h.added));
        if let Some(other) = flags::name_in(flag, version) {
            let written = written(s, other.name);
            f = f
                .help(format!("Atlantis {version} calls it `{written}`"))
                .suggestion(written);
        } else if let Some(alternative) =
            flags::lookup(flag).and_then(|f| alternative(f.name, version))
        {
            f = f.help(format!(
                "upgrade Atlantis to {} or later, or use `{}` instead",
                h.added,
                written(s, alternative)
            ));
        } else {
            f = f.help(format!(
                "upgrade Atlantis to {} or later, or remove it",
                h.added
            ));
        }
        out.push(f);
    }
}

/// Another secret of the same credential pair that `version` has (`gh-token` for `gh-token-file`).
fn alternative(name: &str, version: crate::version::Version) -> Option<&'static str> {
    let id = hosts::CREDENTIALS
        .iter()
        .flat_map(|c| c.secrets.iter())
        .find(|s| s.name() == name)?;
    hosts::credential_of(*id)?
        .secrets
        .iter()
        .find(|s| **s != *id && flags::present_in(**s, version))
        .map(|s| s.name())
}

/// The key as the user wrote it.
fn shown(s: &Setting) -> String {
    match &s.origin.spelling {
        Spelling::Flag { flag, .. } => flag.clone(),
        Spelling::EnvVar { name } => name.clone(),
        Spelling::FormKey { path } => path.clone(),
        Spelling::ConfigKey | Spelling::Assumed { .. } => s.key.clone(),
    }
}

/// A flag name in the form of the setting's source: `--x`, `ATLANTIS_X` or `x`.
fn written(s: &Setting, name: &str) -> String {
    s.origin.spelling.spell(name)
}

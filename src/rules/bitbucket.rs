//! Bitbucket: the Cloud base URL that silently selects Server mode, retired app passwords, and
//! the e-mail an Atlassian API token needs.

use super::Context;
use super::git_hosts::{BITBUCKET_CLOUD_API, bitbucket_cloud, host_of};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static CLOUD_BASE_URL: RuleInfo = RuleInfo {
    id: "bitbucket-cloud-base-url",
    severity: Severity::Error,
    summary: "a bitbucket-base-url on bitbucket.org that is not exactly https://api.bitbucket.org: Atlantis switches to Bitbucket Server mode",
    suppressible: true,
    docs: r#"## What it checks
`bitbucket-base-url` names a `bitbucket.org` host (`https://bitbucket.org`,
`https://api.bitbucket.org/`, `http://api.bitbucket.org`) but is not exactly
`https://api.bitbucket.org`.

## Why it matters
Atlantis compares the value with the exact string `https://api.bitbucket.org`. Anything else,
a trailing slash included, selects the **Bitbucket Server** client: every Bitbucket Cloud webhook
is then ignored with `Ignoring request since not configured to support Bitbucket Cloud`, and
API calls go to `/rest/api/1.0/...`, which bitbucket.org does not serve.

## Example
```yaml
bitbucket-user: atlantis-bot
bitbucket-base-url: https://bitbucket.org
```

## Fix
For Bitbucket Cloud remove `bitbucket-base-url` (the default is right), or write exactly
`https://api.bitbucket.org`.
"#,
};

pub static APP_PASSWORD: RuleInfo = RuleInfo {
    id: "bitbucket-app-password",
    severity: Severity::Warning,
    summary: "a Bitbucket Cloud app password (ATBB...): Atlassian retired them; use an API token",
    suppressible: true,
    docs: r#"## What it checks
`bitbucket-token` holds a Bitbucket Cloud **app password** (it starts with `ATBB`) while Atlantis
talks to Bitbucket Cloud.

The answer depends on the date the linter runs (not the date it was built): Atlassian stopped the
creation of new app passwords on 2025-09-09 and disabled all of them on 2026-06-09. Before
2026-06-09 this is a warning; from that day on an app password no longer authenticates, and the
finding is an error.

## Why it matters
Once app passwords are disabled, every Bitbucket API call and clone fails with 401, although
Atlantis starts normally.

## Example
```yaml
bitbucket-user: atlantis-bot
bitbucket-token: ATBB...
```

## Fix
Create an Atlassian API token with Bitbucket scopes (it starts with `ATATT`), put it in
`bitbucket-token`, and set `bitbucket-api-user` to the Atlassian account's e-mail address;
`bitbucket-user` stays the Bitbucket username used for git.
"#,
};

pub static API_USER: RuleInfo = RuleInfo {
    id: "bitbucket-api-user",
    severity: Severity::Warning,
    summary: "an Atlassian API token (ATATT...) without bitbucket-api-user, or with one that is not an e-mail address",
    suppressible: true,
    docs: r#"## What it checks
With Bitbucket Cloud and an Atlassian API token in `bitbucket-token` (it starts with `ATATT`):
- `bitbucket-api-user` is not set (Atlantis then uses `bitbucket-user` for API calls), and
  `bitbucket-user` is not an e-mail address either; or
- `bitbucket-api-user` is set but is not an e-mail address.

## Why it matters
Bitbucket Cloud accepts an API token only together with the Atlassian account's **e-mail
address** as the Basic-auth user. With the Bitbucket username every API call fails with 401,
although Atlantis starts normally.

## Example
```yaml
bitbucket-user: atlantis-bot
bitbucket-token: ATATT...
```

## Fix
Set `bitbucket-api-user` to the e-mail address of the Atlassian account that owns the token; keep
`bitbucket-user` as the Bitbucket username (it is used for git).
"#,
};

pub static CLOUD_WEBHOOK_SECRET: RuleInfo = RuleInfo {
    id: "bitbucket-cloud-webhook-secret",
    severity: Severity::Error,
    summary: "bitbucket-webhook-secret with Bitbucket Cloud on an Atlantis before v0.33.0, which refuses to start",
    suppressible: true,
    docs: r#"## What it checks
`bitbucket-webhook-secret` is set while `bitbucket-base-url` selects Bitbucket Cloud (it is
unset or exactly `https://api.bitbucket.org`), and the release being checked
(`--atlantis-version`) is older than v0.33.0.

## Why it matters
Before v0.33.0 Atlantis's `validate()` refuses to start with `--bitbucket-webhook-secret cannot
be specified for Bitbucket Cloud because it is not supported by Bitbucket`. v0.33.0 (PR #4275)
added webhook secrets for Bitbucket Cloud.

## Example
With `--atlantis-version v0.31.0`:
```yaml
bitbucket-user: atlantis-bot
bitbucket-webhook-secret: ...
```

## Fix
Remove `bitbucket-webhook-secret` (and restrict who can reach Atlantis instead), or upgrade
Atlantis to v0.33.0 or later.
"#,
};

pub fn check_cloud_webhook_secret(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let since = crate::hosts::BITBUCKET_CLOUD_WEBHOOK_SECRETS_SINCE;
    if cfg.version() >= since
        || !bitbucket_cloud(cfg)
        || !cfg.is_set(flags::BITBUCKET_WEBHOOK_SECRET)
    {
        return;
    }
    out.push(
        Finding::new(
            &CLOUD_WEBHOOK_SECRET,
            cfg.location(flags::BITBUCKET_WEBHOOK_SECRET),
            format!(
                "Atlantis {} refuses bitbucket-webhook-secret with Bitbucket Cloud: it does not start",
                cfg.version()
            ),
        )
        .key(flags::BITBUCKET_WEBHOOK_SECRET)
        .label("not accepted for Bitbucket Cloud before v0.33.0")
        .help(format!(
            "remove it, or upgrade Atlantis to {since} or later; Atlantis refuses to start with: \
             --bitbucket-webhook-secret cannot be specified for Bitbucket Cloud because it is not supported by Bitbucket"
        )),
    );
}

/// Dates of the app-password retirement (per Atlassian, quoted in the Atlantis issues).
const NO_NEW_APP_PASSWORDS: (i32, u32, u32) = (2025, 9, 9);
const APP_PASSWORDS_DISABLED: (i32, u32, u32) = (2026, 6, 9);

pub fn check_cloud_base_url(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let Some(text) = cfg.explicit_text(flags::BITBUCKET_BASE_URL) else {
        return;
    };
    let value = text.as_str();
    let host = host_of(value);
    if value == BITBUCKET_CLOUD_API
        || !(host == "bitbucket.org" || host.ends_with(".bitbucket.org"))
    {
        return;
    }
    // Without a Bitbucket user the setting does nothing: a warning, not an error.
    let severity = if cfg.is_set(flags::BITBUCKET_USER) {
        Severity::Error
    } else {
        Severity::Warning
    };
    out.push(
        Finding::new(
            &CLOUD_BASE_URL,
            cfg.value_location(flags::BITBUCKET_BASE_URL),
            format!(
                "bitbucket-base-url `{}` is on bitbucket.org but is not exactly {BITBUCKET_CLOUD_API}: Atlantis runs in Bitbucket Server mode and ignores Bitbucket Cloud webhooks",
                text.display()
            ),
        )
        .key(flags::BITBUCKET_BASE_URL)
        .label("selects Bitbucket Server mode")
        .severity(severity)
        .help(format!(
            "for Bitbucket Cloud remove bitbucket-base-url (the default is right) or write exactly {BITBUCKET_CLOUD_API}"
        ))
        .suggestion(BITBUCKET_CLOUD_API),
    );
}

fn bitbucket_token<'a>(ctx: &'a Context) -> Option<&'a str> {
    let cfg = ctx.cfg;
    if !bitbucket_cloud(cfg) || !cfg.is_set(flags::BITBUCKET_USER) {
        return None;
    }
    cfg.explicit_text(flags::BITBUCKET_TOKEN)
        .map(|t| t.as_str().trim())
}

pub fn check_app_password(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(token) = bitbucket_token(ctx) else {
        return;
    };
    if !token.starts_with("ATBB") {
        return;
    }
    let today = ctx.options.today;
    let (message, severity) = if today >= APP_PASSWORDS_DISABLED {
        (
            "bitbucket-token is a Bitbucket Cloud app password: Atlassian disabled app passwords on 2026-06-09, so Bitbucket rejects it",
            Severity::Error,
        )
    } else if today >= NO_NEW_APP_PASSWORDS {
        (
            "bitbucket-token is a Bitbucket Cloud app password: Atlassian retired app passwords, and they stop working on 2026-06-09",
            Severity::Warning,
        )
    } else {
        (
            "bitbucket-token is a Bitbucket Cloud app password: Atlassian is retiring app passwords (no new ones from 2025-09-09, all disabled on 2026-06-09)",
            Severity::Warning,
        )
    };
    // API tokens need bitbucket-api-user (v0.37.1): an older Atlantis has no way to use them.
    let help = match flags::history(flags::BITBUCKET_API_USER)
        .map(|h| h.added)
        .filter(|added| *added > ctx.cfg.version())
    {
        Some(added) => format!(
            "upgrade Atlantis to {added} or later, which authenticates with an Atlassian API token (ATATT...) and bitbucket-api-user; Atlantis {} cannot use API tokens",
            ctx.cfg.version()
        ),
        None => "create an Atlassian API token (ATATT...) with Bitbucket scopes, put it in bitbucket-token, and set bitbucket-api-user to the account's e-mail address".to_string(),
    };
    out.push(
        Finding::new(
            &APP_PASSWORD,
            ctx.cfg.value_location(flags::BITBUCKET_TOKEN),
            message,
        )
        .key(flags::BITBUCKET_TOKEN)
        .label("app password (ATBB...)")
        .severity(severity)
        .help(help),
    );
}

/// A deliberately loose check: something@something.tld.
fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

pub fn check_api_user(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let Some(token) = bitbucket_token(ctx) else {
        return;
    };
    if !token.starts_with("ATATT") {
        return;
    }
    match cfg.explicit_text(flags::BITBUCKET_API_USER) {
        Some(api_user) if !looks_like_email(api_user.as_str()) => out.push(
            Finding::new(
                &API_USER,
                cfg.value_location(flags::BITBUCKET_API_USER),
                format!(
                    "bitbucket-api-user `{}` is not an e-mail address: Bitbucket Cloud accepts an Atlassian API token only with the account's e-mail",
                    api_user.display()
                ),
            )
            .key(flags::BITBUCKET_API_USER)
            .label("not an e-mail address")
            .related(cfg.location(flags::BITBUCKET_TOKEN), "Atlassian API token")
            .help("set bitbucket-api-user to the e-mail address of the Atlassian account that owns the token"),
        ),
        Some(_) => {}
        None => {
            if cfg.str(flags::BITBUCKET_USER).is_some_and(looks_like_email) {
                return;
            }
            out.push(
                Finding::new(
                    &API_USER,
                    cfg.location(flags::BITBUCKET_TOKEN),
                    "bitbucket-token is an Atlassian API token but bitbucket-api-user is not set: Atlantis sends bitbucket-user, and Bitbucket Cloud rejects the token without the account's e-mail",
                )
                .key(flags::BITBUCKET_API_USER)
                .label("Atlassian API token (ATATT...)")
                .help(match flags::history(flags::BITBUCKET_API_USER).map(|h| h.added) {
                    // Before v0.37.1 there is no separate API user: bitbucket-user does both.
                    Some(added) if added > cfg.version() => format!(
                        "upgrade Atlantis to {added} or later and set bitbucket-api-user to the Atlassian account's e-mail address; Atlantis {} has no bitbucket-api-user",
                        cfg.version()
                    ),
                    _ => "set bitbucket-api-user (ATLANTIS_BITBUCKET_API_USER) to the Atlassian account's e-mail address; keep bitbucket-user as the Bitbucket username".to_string(),
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{NamedBytes, Request, load};
    use crate::rules::Options;

    fn run(yaml: &str, today: (i32, u32, u32)) -> Vec<Finding> {
        let cfg = load(&Request::for_file(NamedBytes {
            name: "a.yaml".into(),
            bytes: yaml.as_bytes().to_vec(),
        }));
        let options = Options {
            check_files: false,
            today,
            ..Options::default()
        };
        let ctx = Context {
            cfg: &cfg,
            options: &options,
        };
        let mut out = Vec::new();
        check_app_password(&ctx, &mut out);
        out
    }

    const APP: &str = "bitbucket-user: bot\nbitbucket-token: ATBB3xR8tY2uI5oP7aS1dF4gH6jK9lZ0\n";

    #[test]
    fn app_password_depends_on_the_date() {
        let before = run(APP, (2025, 1, 1));
        assert_eq!(before[0].severity, Severity::Warning);
        assert!(before[0].message.contains("is retiring"));
        let between = run(APP, (2025, 9, 9));
        assert_eq!(between[0].severity, Severity::Warning);
        assert!(between[0].message.contains("stop working on 2026-06-09"));
        let after = run(APP, (2026, 6, 9));
        assert_eq!(after[0].severity, Severity::Error);
    }

    #[test]
    fn server_tokens_are_not_app_passwords() {
        let yaml = format!("{APP}bitbucket-base-url: https://bitbucket.example.com\n");
        assert!(run(&yaml, (2026, 11, 29)).is_empty());
    }

    #[test]
    fn emails() {
        assert!(looks_like_email("ops@example.com"));
        assert!(!looks_like_email("atlantis-bot"));
        assert!(!looks_like_email("ops@localhost"));
    }
}

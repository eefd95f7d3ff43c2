//! The GitHub App family: a user token configured beside an app, and an app without a webhook
//! secret (which Atlantis itself does not warn about).

use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static USER_AND_APP: RuleInfo = RuleInfo {
    id: "github-user-and-app",
    severity: Severity::Warning,
    summary: "both a GitHub user token and a GitHub App are configured: Atlantis uses the user and ignores the app",
    suppressible: true,
    docs: r#"## What it checks
`gh-user` (with `gh-token` or `gh-token-file`) and `gh-app-id` (with `gh-app-key` or
`gh-app-key-file`) are both set.

## Why it matters
Atlantis picks one GitHub identity: a non-empty `gh-user` selects token authentication and the
GitHub App settings (`gh-app-id`, its key, `gh-app-installation-id`, `gh-app-slug`) are silently
ignored. Comments then come from the machine user, not the app, and the app's permissions do not
apply.

## Example
```yaml
gh-user: atlantis-bot
gh-token-file: /run/secrets/gh-token
gh-app-id: 123456
gh-app-key-file: /run/secrets/app.pem
```

## Fix
Keep one identity: remove `gh-user` and its token to run as the GitHub App (recommended), or
remove `gh-app-id` and its key to run as the user.
"#,
};

pub fn check_user_and_app(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let user = cfg.is_set(flags::GH_USER)
        && (cfg.is_set(flags::GH_TOKEN) || cfg.is_set(flags::GH_TOKEN_FILE));
    let app = cfg.is_set(flags::GH_APP_ID)
        && (cfg.is_set(flags::GH_APP_KEY) || cfg.is_set(flags::GH_APP_KEY_FILE));
    // Half-configured identities are `incomplete-credentials`' business.
    if !user || !app {
        return;
    }
    out.push(
        Finding::new(
            &USER_AND_APP,
            cfg.location(flags::GH_APP_ID),
            "gh-user and gh-app-id are both set: Atlantis authenticates as the user gh-user and ignores the GitHub App",
        )
        .key(flags::GH_APP_ID)
        .label("ignored: gh-user wins")
        .related(cfg.location(flags::GH_USER), "Atlantis uses this user and its token")
        .help("keep one GitHub identity: remove gh-user and its token to run as the app, or remove gh-app-id and its key"),
    );
}

/// A GitHub App without `gh-webhook-secret`: Atlantis warns about a missing secret only for
/// `gh-user`, never for an app.
///
/// Reported under `missing-webhook-secret` (called from that rule's check), which otherwise
/// mirrors Atlantis's own warnings; Atlantis has none for apps.
pub fn check_webhook_secret(ctx: &Context, rule: &'static RuleInfo, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.is_set(flags::GH_APP_ID)
        || cfg.is_set(flags::GH_USER)
        || cfg.is_set(flags::GH_WEBHOOK_SECRET)
    {
        return;
    }
    out.push(
        Finding::new(
            rule,
            cfg.location(flags::GH_APP_ID),
            "no GitHub webhook secret set for the GitHub App: anyone who can reach Atlantis can spoof GitHub events (Atlantis does not warn about this for apps)",
        )
        .key(flags::GH_WEBHOOK_SECRET)
        .label("GitHub App without gh-webhook-secret")
        .severity(Severity::Warning)
        .help("set gh-webhook-secret (ATLANTIS_GH_WEBHOOK_SECRET) to the webhook secret configured in the app's settings"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{NamedBytes, Request, load};
    use crate::rules::Options;

    static TEST_RULE: RuleInfo = RuleInfo {
        id: "missing-webhook-secret",
        severity: Severity::Warning,
        summary: "",
        docs: "",
        suppressible: true,
    };

    fn webhook_findings(yaml: &str) -> Vec<Finding> {
        let cfg = load(&Request::for_file(NamedBytes {
            name: "a.yaml".into(),
            bytes: yaml.as_bytes().to_vec(),
        }));
        let options = Options::default();
        let ctx = Context {
            cfg: &cfg,
            options: &options,
        };
        let mut out = Vec::new();
        check_webhook_secret(&ctx, &TEST_RULE, &mut out);
        out
    }

    #[test]
    fn app_without_secret_is_reported() {
        let f = webhook_findings("gh-app-id: 12\ngh-app-key-file: /k.pem\n");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].key.as_deref(), Some("gh-webhook-secret"));
    }

    #[test]
    fn app_with_secret_or_user_is_not() {
        assert!(
            webhook_findings(
                "gh-app-id: 12\ngh-app-key-file: /k.pem\ngh-webhook-secret: abcdefgh\n"
            )
            .is_empty()
        );
        // With gh-user the app is ignored and Atlantis warns itself.
        assert!(webhook_findings("gh-app-id: 12\ngh-user: bot\ngh-token-file: /t\n").is_empty());
    }
}

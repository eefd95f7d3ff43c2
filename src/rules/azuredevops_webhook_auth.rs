use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "azuredevops-webhook-auth",
    severity: Severity::Warning,
    summary: "Azure DevOps without both webhook user and password: webhooks are unauthenticated",
    suppressible: true,
    docs: r#"## What it checks
With `azuredevops-user` set, both `azuredevops-webhook-user` and `azuredevops-webhook-password`
must be set. A webhook user without a password is Atlantis's own security warning, reported by
`missing-webhook-secret`; this rule covers the gaps Atlantis does not warn about (neither set, or a
password without a user).

## Why it matters
Atlantis checks the Basic-auth credentials of Azure DevOps service hooks only when **both** are
set. With one or neither, anyone who can reach `/events` can send fake pull-request events and
comments (`atlantis apply`). Atlantis warns only when the user is set without the password.

## Example
```yaml
azuredevops-user: atlantis
azuredevops-token: ...
# no azuredevops-webhook-user / azuredevops-webhook-password
```

## Fix
Set both, and give the same user and password to the service hooks in Azure DevOps (which
requires an https `atlantis-url` for Basic auth).
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.is_set(flags::AZUREDEVOPS_USER) {
        return;
    }
    let user = cfg.is_set(flags::AZUREDEVOPS_WEBHOOK_USER);
    let password = cfg.is_set(flags::AZUREDEVOPS_WEBHOOK_PASSWORD);
    let help = "set azuredevops-webhook-user and azuredevops-webhook-password (ATLANTIS_AZUREDEVOPS_WEBHOOK_PASSWORD), and the same pair in the Azure DevOps service hooks";
    let finding = match (user, password) {
        (true, true) => return,
        (false, false) => Finding::new(
            &RULE,
            cfg.location(flags::AZUREDEVOPS_USER),
            "Azure DevOps is configured without azuredevops-webhook-user and azuredevops-webhook-password: Atlantis accepts unauthenticated webhooks",
        )
        .key(flags::AZUREDEVOPS_WEBHOOK_USER)
        .label("Azure DevOps without webhook authentication"),
        // Atlantis's own warning case: missing-webhook-secret reports it.
        (true, false) => return,
        (false, true) => Finding::new(
            &RULE,
            cfg.location(flags::AZUREDEVOPS_WEBHOOK_PASSWORD),
            "azuredevops-webhook-password is set but azuredevops-webhook-user is not: Atlantis checks webhook credentials only when both are set",
        )
        .key(flags::AZUREDEVOPS_WEBHOOK_USER)
        .label("password without a user"),
    };
    out.push(finding.help(help));
}

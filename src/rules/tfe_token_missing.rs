use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "tfe-token-missing",
    severity: Severity::Error,
    summary: "tfe-hostname is changed from app.terraform.io but tfe-token is not set",
    suppressible: false,
    docs: r#"## What it checks
When `tfe-hostname` names a Terraform Enterprise host (anything but the default
`app.terraform.io`), `tfe-token` must be set.

## Why it matters
Atlantis refuses to start with `if setting --tfe-hostname, must set --tfe-token`.

## Example
```yaml
tfe-hostname: tfe.example.com
# tfe-token missing
```

## Fix
Set `tfe-token` (preferably as `ATLANTIS_TFE_TOKEN`), or remove `tfe-hostname` if you do not use
Terraform Enterprise.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.complete() || cfg.is_set(flags::TFE_TOKEN) {
        return;
    }
    let Some(host) = cfg.str(flags::TFE_HOSTNAME) else {
        return;
    };
    if host == "app.terraform.io" {
        return;
    }
    out.push(
        Finding::new(
            &RULE,
            cfg.location(flags::TFE_HOSTNAME),
            format!("tfe-hostname is `{host}` but tfe-token is not set"),
        )
        .key(flags::TFE_HOSTNAME)
        .label("Terraform Enterprise host without a token")
        .help(
            "set tfe-token (or ATLANTIS_TFE_TOKEN) to a team or user API token of that host; \
             Atlantis refuses to start with: if setting --tfe-hostname, must set --tfe-token",
        ),
    );
}

use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "default-web-credentials",
    severity: Severity::Warning,
    summary: "web-basic-auth on with the default atlantis/atlantis user or password",
    suppressible: true,
    docs: r#"## What it checks
With `web-basic-auth: true`, `web-username` and `web-password` must not be the defaults
(`atlantis`), whether left unset or written out.

## Why it matters
The defaults are public. Anyone who can reach the web UI can log in, see plans and locks, and
discard locks or take the global apply lock.

## Example
```yaml
web-basic-auth: true
# web-username and web-password left at their default, atlantis
```

## Fix
Set `web-password` (preferably through `ATLANTIS_WEB_PASSWORD`) to a long random value, and
`web-username` to something other than `atlantis`.
"#,
};

const DEFAULT: &str = "atlantis";

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.bool("web-basic-auth") {
        return;
    }
    let basic_auth = cfg.location("web-basic-auth");
    for (flag, what, env) in [
        ("web-password", "password", "ATLANTIS_WEB_PASSWORD"),
        ("web-username", "user name", "ATLANTIS_WEB_USERNAME"),
    ] {
        if cfg.str(flag) != Some(DEFAULT) {
            continue;
        }
        let (location, message) = if cfg.is_set(flag) {
            (
                cfg.value_location(flag),
                format!("{flag} is the default {what} `atlantis` while web-basic-auth is on"),
            )
        } else {
            (
                basic_auth.clone(),
                format!(
                    "web-basic-auth is on but {flag} is not set: the {what} is the default `atlantis`"
                ),
            )
        };
        let mut f = Finding::new(&RULE, location, message)
            .key(flag)
            .label(format!("default {what}"))
            .help(if flag == "web-password" {
                format!("set {flag} ({env}) to a long random value")
            } else {
                format!("set {flag} ({env}) to a name other than `atlantis`")
            });
        if cfg.is_set(flag) {
            f = f.related(basic_auth.clone(), "web-basic-auth is on");
        }
        out.push(f);
    }
}

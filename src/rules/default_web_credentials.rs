use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

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
    if !cfg.bool(flags::WEB_BASIC_AUTH) {
        return;
    }
    let user = cfg.str(flags::WEB_USERNAME) == Some(DEFAULT);
    let password = cfg.str(flags::WEB_PASSWORD) == Some(DEFAULT);
    let what = match (user, password) {
        (true, true) => "the default user name and password (`atlantis`/`atlantis`)",
        (false, true) => "the default password `atlantis`",
        (true, false) => "the default user name `atlantis`",
        (false, false) => return,
    };
    // Point at a default written out (the password first), else at web-basic-auth itself.
    let written = [(flags::WEB_PASSWORD, password), (flags::WEB_USERNAME, user)]
        .into_iter()
        .find(|(flag, default)| *default && cfg.is_set(flag))
        .map(|(flag, _)| flag);
    let basic_auth = cfg.location(flags::WEB_BASIC_AUTH);
    let mut f = match written {
        Some(flag) => Finding::new(
            &RULE,
            cfg.value_location(flag),
            format!("web-basic-auth is on with {what}"),
        )
        .key(flag)
        .label("default value")
        .related(basic_auth, "web-basic-auth is on"),
        None => Finding::new(
            &RULE,
            basic_auth,
            format!("web-basic-auth is on with {what}"),
        )
        .key(if password {
            flags::WEB_PASSWORD
        } else {
            flags::WEB_USERNAME
        })
        .label("web UI protected by public credentials"),
    };
    f = f.help(match (user, password) {
        (true, true) => "set web-password (ATLANTIS_WEB_PASSWORD) to a long random value, and web-username to a name other than `atlantis`",
        (false, true) => "set web-password (ATLANTIS_WEB_PASSWORD) to a long random value",
        _ => "set web-username (ATLANTIS_WEB_USERNAME) to a name other than `atlantis`",
    });
    out.push(f);
}

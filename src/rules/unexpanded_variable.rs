use super::Context;
use super::credential_values::{is_secret_flag, written_text};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;
use regex::Regex;
use std::sync::OnceLock;

pub static RULE: RuleInfo = RuleInfo {
    id: "unexpanded-variable",
    severity: Severity::Error,
    summary: "a config-file value holding `${VAR}` or `$VAR`: Atlantis does not expand variables",
    suppressible: false,
    docs: r#"## What it checks
Values in the config file that are, or clearly contain, a shell-style variable reference:
`${NAME}` anywhere in the value, or `$NAME` as the whole value (`NAME` being a letter or `_`
followed by letters, digits and `_`). In a value that is not a secret, an upper-case `$NAME`
inside the value is reported too (`github.com/$ORG/*`).

In secrets a `$` is an ordinary character, so `$NAME` there is reported only when it is the
whole value and upper case (`$GH_TOKEN`), and `${NAME}` only with its braces.

## Why it matters
Atlantis reads its config file with viper, which does not expand environment variables: the
token is literally the eight characters `${TOKEN}`. Atlantis starts, and the first API call fails
with an authentication error. This rule cannot be suppressed: such a value is never intended.

## Example
```yaml
gh-user: atlantis-bot
gh-token: ${GH_TOKEN}
```

## Fix
Drop the key from the file and set the environment variable Atlantis reads itself
(`ATLANTIS_GH_TOKEN`), or render the file with your deployment tool (`envsubst`, Helm) before
Atlantis reads it.
"#,
};

fn braced() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}").unwrap())
}

fn whole_plain() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^\$([A-Za-z_][A-Za-z0-9_]*)$").unwrap())
}

fn embedded_upper() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:^|[^A-Za-z0-9_$\\])\$([A-Z_][A-Z0-9_]*)(?:$|[^A-Za-z0-9_])").unwrap()
    })
}

/// The variable reference (`${NAME}` or `$NAME`, as written) `value` holds, if any.
pub fn variable_in(value: &str, secret: bool) -> Option<String> {
    let t = value.trim();
    if let Some(m) = braced().find(t) {
        return Some(m.as_str().to_string());
    }
    if let Some(c) = whole_plain().captures(t) {
        let upper = c[1]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if !secret || upper {
            return Some(c[0].to_string());
        }
        return None;
    }
    if secret {
        return None;
    }
    embedded_upper().captures(t).map(|c| format!("${}", &c[1]))
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    for (name, _) in cfg.resolutions() {
        let Some(setting) = flags::lookup(name).and_then(|f| cfg.winner(f)) else {
            continue;
        };
        if !setting.origin.spelling.is_config_key() {
            continue;
        }
        let Some(text) = written_text(setting) else {
            continue;
        };
        let secret = is_secret_flag(name) || text.is_secret();
        let Some(var) = variable_in(text.as_str(), secret) else {
            continue;
        };
        let env = flags::env_name(name);
        // In a secret the "variable" might be part of a real value: do not print it.
        let message = if secret {
            format!(
                "{name} holds a variable reference, but Atlantis does not expand variables in its config file"
            )
        } else {
            format!(
                "{name} holds `{var}`, but Atlantis does not expand variables in its config file"
            )
        };
        let help = if secret {
            format!(
                "remove {name} from the file and set {env} in Atlantis's environment instead, or render the file (envsubst, Helm) before Atlantis reads it"
            )
        } else {
            format!(
                "write the value itself, set {env} in Atlantis's environment instead, or render the file (envsubst, Helm) before Atlantis reads it"
            )
        };
        out.push(
            Finding::new(&RULE, setting.origin.value(), message)
                .key(name)
                .label("used literally, not expanded")
                .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::variable_in;

    #[test]
    fn references() {
        assert_eq!(
            variable_in("${GH_TOKEN}", true).as_deref(),
            Some("${GH_TOKEN}")
        );
        assert_eq!(variable_in("$GH_TOKEN", true).as_deref(), Some("$GH_TOKEN"));
        assert_eq!(
            variable_in("$gh_token", false).as_deref(),
            Some("$gh_token")
        );
        assert_eq!(variable_in("$ecretPass", true), None);
        assert_eq!(variable_in("abc$DEF123", true), None);
        assert_eq!(
            variable_in("github.com/$ORG/*", false).as_deref(),
            Some("$ORG")
        );
        assert_eq!(
            variable_in("https://${HOST}/x", false).as_deref(),
            Some("${HOST}")
        );
        assert_eq!(variable_in("a$Bc", false), None);
        assert_eq!(variable_in("price $5", false), None);
        assert_eq!(variable_in("$$ESCAPED", false), None);
    }
}

use super::Context;
use crate::config::RawValue;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags::FlagType;
use crate::input::yaml::Style;
use crate::value::{self, Resolved, Value};

pub static RULE: RuleInfo = RuleInfo {
    id: "ambiguous-scalar",
    severity: Severity::Warning,
    summary: "an unquoted YAML scalar that YAML turns into a number or bool for a string key, changing its value",
    suppressible: true,
    docs: r#"## What it checks
Unquoted values of string flags in the config file that YAML 1.2 reads as a bool or a number,
when the string Atlantis ends up with differs from what is written: `true` becomes `"1"`,
`1e3` becomes `"1000"`, `0x1F` becomes `"31"`, `010` becomes `"8"`, `1_000` becomes `"1000"`.
(A plain `12345` stays `"12345"` and is not reported.)

## Why it matters
Atlantis decodes its config with yaml.v3 and mapstructure's weak typing: the value is retyped
first and turned back into a string second, silently. A numeric-looking token, password or
user changes, and authentication fails with a value that looks right in the file.

## Example
```yaml
gh-user: true
gh-webhook-secret: 1e3
```

## Fix
Quote the value: `gh-user: "true"`. Quote every secret.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    for s in &ctx.cfg.settings {
        if !s.origin.spelling.is_config_key() {
            continue;
        }
        let Some(flag) = s.flag() else { continue };
        if flag.ty != FlagType::String {
            continue;
        }
        let RawValue::Scalar {
            resolved,
            text,
            style: Style::Plain,
        } = &s.value
        else {
            continue;
        };
        let (kind, a_kind) = match resolved {
            Resolved::Bool(_) => ("bool", "a bool"),
            Resolved::Int(_) | Resolved::Uint(_) => ("integer", "an integer"),
            Resolved::Float(_) => ("float", "a float"),
            _ => continue,
        };
        let secret = text.is_secret();
        let Ok(Value::Str(got)) = value::decode_resolved(resolved, flag.ty, secret) else {
            continue;
        };
        if got.as_str() == text.as_str() {
            continue;
        }
        let name = flag.name;
        let mut f = if secret {
            Finding::new(
                &RULE,
                s.origin.value(),
                format!("{name} is written as an unquoted YAML {kind}: Atlantis receives a different string than the one written"),
            )
            .label(format!("read as {a_kind}"))
            .help(format!("quote the value: {name}: \"…\""))
        } else {
            Finding::new(
                &RULE,
                s.origin.value(),
                format!(
                    "{name}: `{}` is {a_kind} in YAML: Atlantis receives \"{}\"",
                    text.as_str(),
                    got.as_str()
                ),
            )
            .label(format!("read as {a_kind}"))
            .help(format!("quote the value: {name}: \"{}\"", text.as_str()))
            .suggestion(format!("\"{}\"", text.as_str()))
        };
        f = f.key(name);
        out.push(f);
    }
}

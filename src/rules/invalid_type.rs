use super::Context;
use crate::config::{RawValue, Spelling};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags::FlagType;

pub static RULE: RuleInfo = RuleInfo {
    id: "invalid-type",
    severity: Severity::Error,
    summary: "a value Atlantis cannot decode into the flag's type",
    suppressible: true,
    docs: r#"## What it checks
Each value must decode into its flag's Go type the way Atlantis decodes it (mapstructure with weak
typing): bool flags take `true`/`false` (also `1`, `t`, `TRUE`, ...), not `yes` or `on`; int
flags take Go integer syntax (`4141`, `0x1F`; a leading `0` means octal, so `08` fails); string
flags take no lists or maps. A command-line flag needs its value.

## Why it matters
Atlantis refuses to start: `decoding failed due to the following error(s): 'write-git-creds'
cannot parse value as 'bool': strconv.ParseBool: invalid syntax`, without naming the source.

## Example
```yaml
write-git-creds: yes   # YAML 1.2: a string, not a bool
gh-app-id: abc
```

## Fix
Write the value in the flag's type: `write-git-creds: true`, `gh-app-id: 123456`.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    for (name, res) in ctx.cfg.resolutions() {
        let Err(err) = &res.value else { continue };
        let setting = &ctx.cfg.settings[res.winner];
        let flag = setting.flag().expect("resolutions are for flags");
        if flag.ty == FlagType::Webhooks {
            continue; // the webhooks rule explains its own shape
        }
        if matches!(setting.value, RawValue::Missing) {
            out.push(
                Finding::new(
                    &RULE,
                    setting.origin.key(),
                    format!("flag needs an argument: --{name}"),
                )
                .key(name)
                .label("no value follows")
                .help(format!("give a value: `--{name}=VALUE`")),
            );
            continue;
        }
        let expected = match flag.ty {
            FlagType::Bool => "write `true` or `false`".to_string(),
            FlagType::Int | FlagType::Int64 => {
                "write a whole number such as `4141` (a leading 0 means octal)".to_string()
            }
            FlagType::String => match setting.origin.spelling {
                Spelling::ConfigKey => format!(
                    "write `{name}` as a single string; for several entries use one comma-separated string"
                ),
                _ => "write a string".to_string(),
            },
            FlagType::Webhooks => unreachable!(),
        };
        out.push(
            Finding::new(&RULE, setting.origin.value(), err.atlantis_message(name))
                .key(name)
                .label(format!("not a valid {}", flag.ty.go_name()))
                .help(format!(
                    "{expected}; Atlantis refuses to start with this value"
                )),
        );
    }
}

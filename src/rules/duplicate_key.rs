use super::Context;
use crate::config::{EffectiveConfig, RawValue, Setting, Spelling};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::source::SourceKind;
use std::collections::HashMap;

pub static RULE: RuleInfo = RuleInfo {
    id: "duplicate-key",
    severity: Severity::Error,
    summary: "a key appears twice in the config file (also up to case), or a variable or flag twice in one env file or command line",
    suppressible: true,
    docs: r#"## What it checks
Each key may appear once in the config file. Keys are compared the way Atlantis compares them:
without regard to case, so `gh-user` and `GH-USER` are the same key.

The same variable twice in one env file, or the same flag twice on one command line, is a
**warning**: docker and pflag take the later value without a word, and the finding names the
value that is lost (unless it is a secret). Repeating the same value is not reported.

## Why it matters
An exact duplicate is a YAML error and Atlantis refuses to start. Two keys that differ only in
case are both accepted by YAML, then folded onto one key by viper; which value wins depends on Go's
map iteration order, so it changes from one start to the next.

## Example
```yaml
gh-user: atlantis-bot
GH-USER: other-bot
```

## Fix
Keep one of the two entries.
"#,
};

/// The finding for one setting written twice in one source, where the later one silently wins
/// (an env file, a command line, a deployment form's env list): names the value that is lost.
pub fn set_twice(first: &Setting, second: &Setting) -> Finding {
    let lost = match super::credential_values::written_text(first) {
        Some(t) if !t.is_secret() && !first.flag().is_some_and(|f| f.is_secret_value()) => {
            let v = t.display();
            if v.chars().count() <= 80 && !v.contains(['\n', '\r']) {
                format!("`{v}`")
            } else {
                "the earlier value".to_string()
            }
        }
        _ => "the earlier value (not shown: a secret)".to_string(),
    };
    let mut f = Finding::new(
        &RULE,
        second.origin.key(),
        format!(
            "`{}` is set twice; the later value wins and {lost} is lost",
            second.key
        ),
    )
    .severity(Severity::Warning)
    .label("set again here: this value wins")
    .related(first.origin.key(), "first set here: ignored")
    .help("keep one of the two; if the first is the one you meant, remove the second");
    if let Some(flag) = second.flag() {
        f = f.key(flag.name);
    }
    f
}

/// Two settings of the same name in one env file, or of one flag on one command line. (Other
/// forms report their own duplicates through their readers, with [`set_twice`].)
/// What makes two settings "the same name" for this rule: the same env var in one env file, or
/// the same flag on the command line. Other settings are never repetitions here.
fn repetition_key<'a>(cfg: &EffectiveConfig, s: &'a Setting) -> Option<(usize, &'a str)> {
    let kind = &cfg.sources.get(s.origin.source).kind;
    match &s.origin.spelling {
        Spelling::EnvVar { name } if *kind == SourceKind::EnvFile => {
            Some((s.origin.source, name.as_str()))
        }
        Spelling::Flag { .. } if *kind == SourceKind::Argv => {
            s.flag().map(|f| (s.origin.source, f.name))
        }
        _ => None,
    }
}

fn same_value(a: &Setting, b: &Setting) -> bool {
    use super::credential_values::written_text;
    match (written_text(a), written_text(b)) {
        (Some(x), Some(y)) => x.as_str() == y.as_str(),
        _ => matches!(
            (&a.value, &b.value),
            (RawValue::BareFlag, RawValue::BareFlag)
        ),
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    // The nearest earlier setting of the same name: one finding per repetition. A map from
    // name to the last index keeps this linear (an env file of 100,000 lines).
    let mut last: HashMap<(usize, &str), usize> = HashMap::new();
    let settings = &ctx.cfg.settings;
    for (i, second) in settings.iter().enumerate() {
        let Some(key) = repetition_key(ctx.cfg, second) else {
            continue;
        };
        if let Some(j) = last.insert(key, i) {
            let first = &settings[j];
            if !same_value(first, second) {
                out.push(set_twice(first, second));
            }
        }
    }
    let Some(file) = &ctx.cfg.file else { return };
    for dup in &file.duplicates {
        let (message, help) = if dup.exact {
            (
                format!("key `{}` is defined twice", dup.key),
                "remove one of the two entries; Atlantis refuses to start on a duplicate key",
            )
        } else {
            (
                format!(
                    "key `{}` is defined twice up to case; Atlantis picks one of them at random",
                    dup.key
                ),
                "keys are case-insensitive in Atlantis: keep one of the two entries",
            )
        };
        let key = crate::flags::lookup_key(&dup.key).map(|f| f.name.to_string());
        let mut f = Finding::new(&RULE, dup.second.key(), message)
            .label("defined again here")
            .related(dup.first.key(), "first defined here")
            .help(help);
        if let Some(k) = key {
            f = f.key(k);
        }
        out.push(f);
    }
}

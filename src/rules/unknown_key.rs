use super::Context;
use crate::config::{ArgvIssue, EffectiveConfig, KeyMatch, RawValue, Setting, Spelling};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags::{self, Flag, FlagId, FlagKind};
use crate::input::env::is_service_link;

pub static RULE: RuleInfo = RuleInfo {
    id: "unknown-key",
    severity: Severity::Error,
    summary: "a key, env var or command-line flag that is not an Atlantis flag",
    suppressible: true,
    docs: r#"## What it checks
Every config-file key, `ATLANTIS_*` environment variable and command-line flag must name an
Atlantis server flag. Keys are flag names in kebab-case (`gh-user`); snake_case (`gh_user`),
camelCase and nested maps (`gh: {user: x}`) match nothing. A close flag name is suggested.
Variables Kubernetes injects for Services named `atlantis…` (`ATLANTIS_SERVICE_HOST`,
`ATLANTIS_PORT_4141_TCP_ADDR`) are not reported.

Severity: error in the config file and on the command line; warning for environment variables
(the environment of a container often carries unrelated `ATLANTIS_*` variables).

## Why it matters
Atlantis silently ignores unknown keys in the config file and unknown environment variables: the
setting simply does not happen. On the command line an unknown flag stops Atlantis at startup
(`unknown flag: --x`).

## Example
```yaml
gh_user: atlantis-bot      # snake_case: ignored
allow-draft-pr: true       # typo of allow-draft-prs: ignored
```
`ATLANTIS_URL=https://atlantis.example.com` is ignored too: the flag is `atlantis-url`, so the
variable is `ATLANTIS_ATLANTIS_URL`.

## Fix
Use the flag name shown in the suggestion.
"#,
};

/// The flag a mistyped name most likely meant.
fn suggestion_for(name: &str) -> Option<&'static Flag> {
    flags::suggest(name).or_else(|| flags::lookup(format!("atlantis-{}", flags::normalise(name))))
}

/// A setting Atlantis does not read that most likely meant `flag`: an unknown key whose
/// suggestion is `flag`, or a removed flag `flag` replaces (`ATLANTIS_REPO_WHITELIST`).
pub fn misspelling_of(cfg: &EffectiveConfig, flag: FlagId) -> Option<&Setting> {
    let flag = flag.name();
    let meant = cfg
        .meant
        .get_or_init(|| cfg.settings.iter().map(meant_by).collect());
    cfg.settings
        .iter()
        .zip(meant)
        .find(|(_, meant)| **meant == Some(flag))
        .map(|(s, _)| s)
}

/// The flag a setting Atlantis does not read most likely meant, when it has a value.
fn meant_by(s: &Setting) -> Option<&'static str> {
    let has_value = match &s.value {
        RawValue::Null => false,
        RawValue::Text(t) | RawValue::Scalar { text: t, .. } => !t.as_str().is_empty(),
        _ => true,
    };
    if !has_value {
        return None;
    }
    match s.matched {
        KeyMatch::Unknown => {
            let name = match &s.origin.spelling {
                Spelling::EnvVar { name } => env_flag_part(s, name)?,
                _ => s.key.as_str(),
            };
            suggestion_for(name).map(|f| f.name)
        }
        KeyMatch::Removed(f) => f.replacement,
        KeyMatch::Flag(_) => None,
    }
}

/// The flag-name part of an env variable Atlantis does not read (`ATLANTIS_GH_TOKN` ->
/// `GH_TOKN`), or `None` for a Kubernetes service link (`ATLANTIS_PORT=tcp://...`), which
/// Kubernetes sets, not the user.
fn env_flag_part<'a>(s: &Setting, name: &'a str) -> Option<&'a str> {
    let value = match &s.value {
        RawValue::Text(t) => t.as_str(),
        _ => "",
    };
    (!is_service_link(name, value)).then(|| name.strip_prefix("ATLANTIS_").unwrap_or(name))
}

/// Adds to a "`flag` is missing" finding the setting that most likely meant it, if any: one
/// finding that names the cause instead of two that look unrelated.
pub fn with_misspelling(f: Finding, cfg: &EffectiveConfig, flags: &[FlagId]) -> Finding {
    let Some((flag, s)) = flags
        .iter()
        .find_map(|flag| misspelling_of(cfg, *flag).map(|s| (flag.name(), s)))
    else {
        return f;
    };
    let written = match &s.origin.spelling {
        Spelling::Flag { flag, .. } => flag.clone(),
        _ => s.key.clone(),
    };
    let mut f = f.related(
        s.origin.key(),
        format!("meant as {flag}? Atlantis does not read `{written}`"),
    );
    f.message = format!(
        "{}; `{written}` is set, but Atlantis does not read that name (did you mean {flag}?)",
        f.message
    );
    f
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    // Beyond what the report lists per source, the findings are only counted: skip the costly
    // suggestion search for them (a file of a million unknown keys).
    let cap = crate::report::MAX_PER_RULE_AND_SOURCE;
    let mut per_source: std::collections::HashMap<_, (usize, Option<usize>)> =
        std::collections::HashMap::new();
    for s in &ctx.cfg.settings {
        if !matches!(s.matched, KeyMatch::Unknown) {
            continue;
        }
        let (n, counter) = per_source.entry(s.origin.source).or_default();
        if *n >= cap {
            if let Some(i) = *counter {
                out[i].more += 1;
                out[i].severity = out[i].severity.max(finding_severity(s));
                continue;
            }
        }
        let Some(f) = finding(s, *n < cap) else {
            continue;
        };
        *n += 1;
        if *n > cap {
            // The first finding past the cap counts the others.
            *counter = Some(out.len());
        }
        out.push(f);
    }
    for issue in &ctx.cfg.argv_issues {
        let ArgvIssue::Malformed {
            index,
            name,
            location,
        } = issue
        else {
            continue;
        };
        // Only the flag-shaped part of the word is ever shown: the rest may be a secret.
        let f = match name {
            Some(name) => {
                let f = Finding::new(&RULE, location.clone(), format!("`-{name}` is not an Atlantis flag: Atlantis flags start with `--`"))
                    .label("Atlantis stops here at startup");
                // `-gh-token…`: a value glued to the name is cut off (see `argv::shown_name`).
                let bare = name.trim_end_matches(crate::input::argv::GLUED);
                match suggestion_for(bare).filter(|_| name != "<redacted>") {
                    Some(flag) => f.help(format!("write `--{}`", flag.name)).suggestion(format!("--{}", flag.name)),
                    None => f.help("remove it; `atlantis server --help` lists the flags"),
                }
            }
            None => Finding::new(&RULE, location.clone(), format!("bad flag syntax in command-line argument {index}"))
                .label("not a flag Atlantis can read")
                .help("a flag is `--name` or `--name=value`; a value that starts with `-` must follow `=`"),
        };
        out.push(f);
    }
}

/// The severity of an unknown-key finding about `s`.
fn finding_severity(s: &Setting) -> Severity {
    match s.origin.spelling {
        Spelling::EnvVar { .. } => Severity::Warning,
        _ => RULE.severity,
    }
}

fn finding(s: &Setting, suggest: bool) -> Option<Finding> {
    let suggestion_for = |name: &str| suggest.then(|| suggestion_for(name)).flatten();
    match &s.origin.spelling {
        Spelling::ConfigKey => {
            let nested = matches!(s.value, RawValue::Collection { is_map: true, .. });
            let suggestion = suggestion_for(&s.key);
            let mut message = format!("`{}` is not an Atlantis flag; Atlantis ignores it", s.key);
            if nested {
                message = format!(
                    "`{}` is a nested mapping; Atlantis reads only top-level flag names and ignores it",
                    s.key
                );
            }
            let mut f = Finding::new(&RULE, s.origin.key(), message).label("unknown key");
            f = match suggestion {
                Some(flag) if flags::normalise(&s.key) == flag.name => f
                    .help(format!("config-file keys are kebab-case flag names: write `{}`", flag.name))
                    .suggestion(flag.name),
                Some(flag) => f.help(format!("did you mean `{}`?", flag.name)).suggestion(flag.name),
                None if nested => f.help("write each setting as a top-level `flag-name: value` pair"),
                None => f.help("remove it, or use the name of an Atlantis server flag (see `atlantis server --help`)"),
            };
            Some(f)
        }
        Spelling::EnvVar { name } => {
            let rest = env_flag_part(s, name)?;
            let mut f = Finding::new(
                &RULE,
                s.origin.key(),
                format!("`{name}` is not an Atlantis variable; Atlantis ignores it"),
            )
            .severity(Severity::Warning)
            .label("unknown variable");
            f = match suggestion_for(rest) {
                Some(flag) if flag.kind == FlagKind::FileOnly => f.help(format!(
                    "`{}` can only be set in the config file",
                    flag.name
                )),
                Some(flag) => {
                    let env = flag.env_name();
                    f.help(format!("did you mean `{env}`? (flag `{}`)", flag.name))
                        .suggestion(env)
                }
                None => {
                    f.help("Atlantis reads ATLANTIS_ + the flag name in upper case with `-` as `_`")
                }
            };
            Some(f)
        }
        Spelling::Flag { flag, .. } if flag.ends_with(crate::input::argv::GLUED) => {
            // `--gh-token$TOKEN`: only the flag part is ever shown, the rest may be the token.
            let name = flag.trim_end_matches(crate::input::argv::GLUED);
            Some(
                Finding::new(
                    &RULE,
                    s.origin.key(),
                    format!("unknown flag: `{name}` followed by more characters (a value glued to it without `=`?)"),
                )
                .label("Atlantis stops here at startup")
                .help(format!("write `{name}=VALUE` or `{name} VALUE`; Atlantis reads the whole word as one flag name and stops with `unknown flag`"))
                .suggestion(format!("{name}=")),
            )
        }
        Spelling::Flag { flag, .. } => {
            let name = flag.trim_start_matches('-');
            let mut f = Finding::new(&RULE, s.origin.key(), format!("unknown flag: {flag}"))
                .label("Atlantis stops here at startup");
            f = match suggestion_for(name) {
                Some(sugg) if sugg.name != name => f
                    .help(format!("did you mean `--{}`?", sugg.name))
                    .suggestion(format!("--{}", sugg.name)),
                Some(_) => f.help("this key can only be set in the config file"),
                None => f.help("remove it; `atlantis server --help` lists the flags"),
            };
            Some(f)
        }
        // A form's own keys are checked by the form's reader; `--assume-set` takes flag names only.
        Spelling::FormKey { .. } | Spelling::Assumed { .. } => None,
    }
}

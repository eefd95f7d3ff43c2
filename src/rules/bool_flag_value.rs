use super::Context;
use crate::config::{ArgvIssue, Location, Spelling};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::source::Span;

pub static RULE: RuleInfo = RuleInfo {
    id: "bool-flag-value",
    severity: Severity::Error,
    summary: "a bool flag followed by a separate `true`/`false` word on the command line (`--write-git-creds false`)",
    suppressible: true,
    docs: r#"## What it checks
A bool flag on the Atlantis command line followed by a separate word that reads as a bool
(`false`, `0`, `no`, `off`, `true`, ...). Error when the word means false (the flag ends up
true, the opposite of what is written); warning when it means true (the result is right, but
only by accident).

## Why it matters
Atlantis parses its flags with pflag, where a bool flag takes a value only with `=`:
`--write-git-creds false` sets `write-git-creds` to **true** and ignores `false` as an extra
argument, without any message. This is common in Helm `extraArgs` and docker-compose
`command:` lists, where each word is its own list item.

## Example
```yaml
# docker-compose.yml
command: ["server", "--write-git-creds", "false"]
```

## Fix
Join the flag and its value with `=`: `--write-git-creds=false`, or drop the flag to get its
default.
"#,
};

/// Words pflag would not take as the value, and what the user meant by them.
fn meant(word: &str) -> Option<bool> {
    match word.to_ascii_lowercase().as_str() {
        "false" | "f" | "0" | "no" | "off" => Some(false),
        "true" | "t" | "1" | "yes" | "on" => Some(true),
        _ => None,
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    for issue in &cfg.argv_issues {
        let ArgvIssue::Positional {
            index,
            word,
            after_bool: Some((flag_index, flag)),
            ..
        } = issue
        else {
            continue;
        };
        let word = word.as_str();
        let Some(wanted) = meant(word) else { continue };
        let Some(setting) = cfg.settings.iter().find(
            |s| matches!(&s.origin.spelling, Spelling::Flag { index: i, .. } if i == flag_index),
        ) else {
            continue;
        };
        let written = format!("--{}", flag.name);
        // The command line is rendered one argument after another, separated by a space.
        let text = &cfg.sources.get(setting.origin.source).text;
        let from = setting.origin.key_span.end.min(text.len());
        let location = match text[from..].find(word) {
            Some(i) => setting
                .origin
                .at(Span::new(from + i, from + i + word.len())),
            None => setting.origin.key(),
        };
        let location = match location {
            Location::Source { source, span, .. } => Location::Source {
                source,
                spelling: Spelling::Flag {
                    index: *index,
                    flag: written.clone(),
                },
                span,
            },
            other => other,
        };
        let mut f = if wanted {
            Finding::new(
                &RULE,
                location,
                format!("`{written} {word}`: a bool flag takes a value only with `=`; Atlantis ignores `{word}` (the flag is true anyway)"),
            )
            .severity(Severity::Warning)
            .help(format!("write `{written}` alone, or `{written}=true`"))
            .suggestion(format!("{written}=true"))
        } else {
            Finding::new(
                &RULE,
                location,
                format!("`{written} {word}` sets {} to true: a bool flag takes a value only with `=`, and Atlantis ignores `{word}`", flag.name),
            )
            .help(format!("write `{written}=false`, or drop the flag"))
            .suggestion(format!("{written}=false"))
        };
        f = f
            .key(flag.name)
            .label("ignored by Atlantis")
            .related(setting.origin.key(), "this sets the flag to true");
        out.push(f);
    }
}

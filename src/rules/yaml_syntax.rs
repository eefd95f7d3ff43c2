use super::Context;
use crate::config::{Location, Spelling};
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "yaml-syntax",
    severity: Severity::Error,
    summary: "the config file does not parse as YAML, or its root is not a mapping",
    suppressible: false,
    docs: r#"## What it checks
The config file must be valid YAML (JSON is YAML too) whose top level is a mapping of flag names
to values. Invalid UTF-8, tabs used as indentation, unclosed quotes and a top-level list are all
syntax errors. A file with more than one YAML document (`---`) is reported as a warning: Atlantis
reads only the first.

## Why it matters
Atlantis refuses to start: `invalid config: reading atlantis.yaml: While parsing config: yaml: ...`,
without saying which line to look at. A values file, manifest or compose
file that does not parse is refused by Helm, kubectl or Docker Compose before anything is
deployed; the help says which.

## Example
```yaml
gh-user: atlantis-bot
gh-token: "ghp_...
```

## Fix
Correct the YAML at the position shown; quote values that contain `: ` or start with `*`, `&`, `!`, `%` or `@`.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(file) = &ctx.cfg.file else { return };
    let at = |span| Location::Source {
        source: file.source,
        spelling: Spelling::ConfigKey,
        span,
    };
    if let Some(err) = &file.syntax_error {
        out.push(
            Finding::new(&RULE, at(err.span), format!("{} does not parse as YAML: {}", file.path, err.message))
                .label("the parser stopped here")
                .help(format!(
                    "fix the YAML syntax here; {}",
                    file.refused_by.unwrap_or(
                        "Atlantis refuses to start with \"invalid config: ... While parsing config: yaml: ...\""
                    )
                )),
        );
    }
    if let Some((span, what)) = file.root_not_mapping {
        out.push(
            Finding::new(
                &RULE,
                at(span),
                format!(
                    "the top level of {} is {what}, not a mapping of flag names to values",
                    file.path
                ),
            )
            .label("expected `flag-name: value` pairs")
            .help(
                "write one `flag-name: value` pair per line, for example `gh-user: atlantis-bot`",
            ),
        );
    }
    if let Some(doc) = &file.doc {
        if let Some(span) = doc.extra_document {
            out.push(
                Finding::new(
                    &RULE,
                    at(span),
                    format!(
                        "{} holds more than one YAML document; Atlantis reads only the first",
                        file.path
                    ),
                )
                .severity(Severity::Warning)
                .label("everything from here on is ignored")
                .help("merge the documents into one mapping, or remove the `---` separator"),
            );
        }
    }
}

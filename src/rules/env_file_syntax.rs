use super::Context;
use crate::config::{Location, Spelling};
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "env-file-syntax",
    severity: Severity::Error,
    summary: "an env-file line docker reads differently than written: `export ATLANTIS_...`, `NAME =value`, a name without `=`",
    suppressible: true,
    docs: r#"## What it checks
Lines of an `--env-file` (read as `docker run --env-file` reads it) that look like an
`ATLANTIS_*` setting but are not one:
- `export ATLANTIS_GH_USER=bot`: env files are not shell scripts. docker refuses a variable name
  with whitespace (`variable 'export ATLANTIS_GH_USER' contains whitespaces`) and the container
  does not start: an error.
- `ATLANTIS_GH_USER =bot`: whitespace before `=` is part of the name, refused the same way: an
  error.
- `ATLANTIS_GH_USER` (or `ATLANTIS_GH_TOKEN ghp_...`) with no `=`: docker copies the variable from
  the environment of the `docker run` command instead, usually an empty one: a warning.

For the first two the linter still reads the setting as meant, so that the other rules see it.

## Why it matters
The line looks like a setting in review, and either stops the deployment or silently sets
nothing.

## Example
```sh
export ATLANTIS_GH_USER=atlantis-bot
ATLANTIS_REPO_ALLOWLIST = github.com/acme/*
ATLANTIS_GH_WEBHOOK_SECRET
```

## Fix
Write `NAME=value`, one per line, with no `export` and no spaces around `=`.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    for issue in &ctx.cfg.env_file_issues {
        let at = Location::Source {
            source: issue.source,
            spelling: Spelling::EnvVar {
                name: issue.name.clone(),
            },
            span: issue.span,
        };
        let severity = if issue.refused {
            Severity::Error
        } else {
            Severity::Warning
        };
        let mut f = Finding::new(&RULE, at, issue.message.clone())
            .severity(severity)
            .label(if issue.refused {
                "docker refuses this line"
            } else {
                "no value set here"
            })
            .help(issue.help.clone());
        if let Some(flag) = crate::flags::lookup_env(&issue.name) {
            f = f.key(flag.name);
        }
        out.push(f);
    }
}

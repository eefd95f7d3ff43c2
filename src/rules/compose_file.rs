//! Facts only a docker-compose file has, found by its reader (`crate::input::compose`).

use super::{Context, report_form_issues};
use crate::finding::{Finding, RuleInfo, Severity};

pub static DUPLICATE_ENV: RuleInfo = RuleInfo {
    id: "compose-duplicate-env",
    severity: Severity::Warning,
    summary: "(compose) a service sets a variable twice (environment over env_file, or twice in one place): one value is lost",
    suppressible: true,
    docs: r#"## What it checks
In a docker-compose file, a variable of the Atlantis service set twice: in an `env_file` and in
`environment` (compose applies the env files top-down, then `environment`, which wins), in two
env files, or twice in one of them. The finding says which value is lost.

## Why it matters
The lost value is often the one meant: a token rotated in the `.env` file while an old value
still sits in `environment`, or an allowlist widened in one place only.

## Example
```yaml
services:
  atlantis:
    env_file: atlantis.env              # ATLANTIS_REPO_ALLOWLIST=github.com/acme/*
    environment:
      ATLANTIS_REPO_ALLOWLIST: github.com/acme/infra   # wins
```

## Fix
Keep one definition per variable.
"#,
};

pub static ENV_FILE: RuleInfo = RuleInfo {
    id: "compose-env-file",
    severity: Severity::Error,
    summary: "(compose) an env_file that does not exist, or a line compose cannot read in one",
    suppressible: true,
    docs: r#"## What it checks
In a docker-compose file, an `env_file` of the Atlantis service that cannot be read (its path is
relative to the compose file) unless it is marked `required: false`, and lines of an env file
that are no `KEY=value` (or `KEY: value`), or a quote that is never closed.

## Why it matters
`docker compose up` refuses to start the service ("env file ... not found") or to parse the
file. The linter then cannot see the settings the file was meant to hold.

## Example
```yaml
services:
  atlantis:
    image: ghcr.io/runatlantis/atlantis:v0.30.0
    env_file: ./secrets/atlantis.env     # no such file next to the compose file
```

## Fix
Fix the path, or mark an optional file `{path: ..., required: false}` (compose 2.24+).
"#,
};

pub static ENV_ENTRY: RuleInfo = RuleInfo {
    id: "compose-env-entry",
    severity: Severity::Warning,
    summary: "(compose) an environment entry compose refuses or passes through from the deploy shell",
    suppressible: true,
    docs: r#"## What it checks
In a docker-compose file, entries of the Atlantis service's `environment`:

- an `ATLANTIS_*` name with no value (`- ATLANTIS_GH_TOKEN` or `ATLANTIS_GH_TOKEN:`): compose
  passes the variable through from the shell that runs `docker compose` and leaves it out when
  that shell does not set it (a note: the value is set at deploy time);
- a list item that is a mapping (`- KEY: value`, the two forms mixed) or a name with a trailing
  space (`- KEY =value`): compose refuses the file (an error).

## Why it matters
A refused file never starts; a passed-through variable depends on the deploy environment, which
the linter cannot see.

## Example
```yaml
    environment:
      - ATLANTIS_GH_TOKEN            # from the shell running docker compose
      - ATLANTIS_GH_USER: bot        # refused: a mapping in the list form
```

## Fix
Write `KEY=value` items, or make `environment` a mapping.
"#,
};

pub static INTERPOLATION: RuleInfo = RuleInfo {
    id: "compose-interpolation",
    severity: Severity::Error,
    summary: "(compose) a `${` without its `}` or a malformed `${...}`: compose refuses the file",
    suppressible: true,
    docs: r#"## What it checks
In a docker-compose file, a value of the Atlantis service with an interpolation compose cannot
read: `${` without a closing `}`, or `${...}` that does not start with a variable name.

## Why it matters
Compose interpolates every value of the file (`${VAR}`, `${VAR:-default}`, `$VAR`; `$$` is a
literal `$`) and stops with "invalid interpolation format" on a malformed one, so nothing starts.
A secret that contains `$` must be written with `$$`.

## Example
```yaml
    environment:
      ATLANTIS_ATLANTIS_URL: https://${DOMAIN/atlantis
```

## Fix
Close the `${...}`, or write `$$` for a literal `$`.
"#,
};

pub static COMMAND: RuleInfo = RuleInfo {
    id: "compose-command",
    severity: Severity::Error,
    summary: "(compose) a string command compose cannot split into words (an unterminated quote)",
    suppressible: true,
    docs: r#"## What it checks
In a docker-compose file, a `command` or `entrypoint` of the Atlantis service written as a string
that compose cannot split into words: a quote that is never closed.

## Why it matters
Compose splits a string command like a shell (`go-shellwords`) and refuses one with an open
quote, so the service never starts.

## Example
```yaml
    command: server --repo-allowlist='github.com/acme/*
```

## Fix
Close the quote, or write the command as a list (`["server", "--repo-allowlist=github.com/acme/*"]`).
"#,
};

pub static CONFIG_VARIABLE: RuleInfo = RuleInfo {
    id: "compose-config-variable",
    severity: Severity::Warning,
    summary: "(compose) `$PLANFILE`, `$DIR`, ... in a config's content or `ATLANTIS_REPO_CONFIG_JSON`: compose replaces Atlantis's own step variables before Atlantis reads them",
    suppressible: true,
    docs: r#"## What it checks
A server-side repo config written inline in a docker-compose `configs:` entry (`content: |`)
whose workflow steps use a variable Atlantis sets when it runs a step (`$PLANFILE`, `$DIR`,
`$WORKSPACE`, `$SHOWFILE`, `$PROJECT_NAME`, `$PULL_NUM`, ...; the list of
`runtime.RunStepRunner`) written with one `$`; the same in an `ATLANTIS_REPO_CONFIG_JSON`
value under the service's `environment`.

## Why it matters
Compose interpolates a config's `content` and an `environment` value like every other value of
the file, from the shell that runs `docker compose up`: `$PLANFILE` becomes the deploy shell's
`PLANFILE`, empty when it is unset (compose only warns "The PLANFILE variable is not set"). Atlantis then runs
`terraform plan -out ` with no file, and the plan step fails at the first pull request.

## Example
```yaml
configs:
  repos:
    content: |
      workflows:
        default:
          plan:
            steps:
              - run: terraform plan -out $PLANFILE
```

## Fix
Write `$$PLANFILE`: compose turns `$$` into `$` and leaves the variable for Atlantis.
"#,
};

pub fn check_config_variable(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &CONFIG_VARIABLE, out);
}

pub fn check_duplicate_env(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &DUPLICATE_ENV, out);
}

pub fn check_env_file(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &ENV_FILE, out);
}

pub fn check_env_entry(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &ENV_ENTRY, out);
}

pub fn check_interpolation(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &INTERPOLATION, out);
}

pub fn check_command(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &COMMAND, out);
}

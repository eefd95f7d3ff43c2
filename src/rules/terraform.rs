//! Facts only Terraform and ECS task definitions have, found by their readers
//! (`crate::input::terraform`, `crate::input::ecs`).

use super::{Context, report_form_issues};
use crate::finding::{Finding, RuleInfo, Severity};

pub static DUPLICATE_ENV: RuleInfo = RuleInfo {
    id: "terraform-duplicate-env",
    severity: Severity::Warning,
    summary: "(Terraform) an environment entry for a variable terraform-aws-atlantis already sets (ATLANTIS_PORT, ATLANTIS_ATLANTIS_URL)",
    suppressible: true,
    docs: r#"## What it checks
In a terraform-aws-atlantis module call, an `atlantis.environment` entry (v4/v5) or a
`custom_environment_variables` entry (v2/v3) named `ATLANTIS_PORT` or `ATLANTIS_ATLANTIS_URL`:
the module puts its own entries for these before the user's.

## Why it matters
The container definition then holds the name twice; which one Atlantis sees depends on ECS, and
Terraform shows a change on every plan (terraform-aws-atlantis PR #98).

## Example
```hcl
module "atlantis" {
  source   = "terraform-aws-modules/atlantis/aws"
  atlantis = {
    environment = [{ name = "ATLANTIS_PORT", value = "8080" }]
  }
}
```

## Fix
Use the module's inputs: `atlantis.port`, `atlantis.fqdn`.
"#,
};

pub static MODULE_INJECTED: RuleInfo = RuleInfo {
    id: "terraform-module-injected",
    severity: Severity::Warning,
    summary: "(Terraform) terraform-aws-atlantis v2/v3 sets ATLANTIS_ALLOW_REPO_CONFIG, a removed flag, on its own",
    suppressible: true,
    docs: r#"## What it checks
A call of terraform-aws-atlantis in its v2/v3 interface (`atlantis_github_user`, ...): the module
always adds `ATLANTIS_ALLOW_REPO_CONFIG` (from `allow_repo_config`) to the container.

## Why it matters
Atlantis removed `--allow-repo-config` after v0.26.0 and ignores the variable: a setting that
does nothing, which the call cannot remove. It is reported here, at the module's `source`, and
not as the user's `removed-key`; only for the Atlantis releases that removed the flag. A call
that sets `allow_repo_config` itself gets `removed-key` at that line instead.

## Example
```hcl
module "atlantis" {
  source  = "terraform-aws-modules/atlantis/aws"
  version = "~> 3.0"
  atlantis_github_user = "atlantis-bot"
}
```

## Fix
Move to terraform-aws-atlantis v4 or later (`atlantis = { environment = [...] }`), or suppress.
"#,
};

pub static VALUES_FILE: RuleInfo = RuleInfo {
    id: "terraform-values-file",
    severity: Severity::Error,
    summary: "(Terraform) file(...) names a values or container-definitions file that is not there",
    suppressible: true,
    docs: r#"## What it checks
A `helm_release`'s `values = [file("...")]`, or an `aws_ecs_task_definition`'s
`container_definitions = file("...")`, naming a file that does not exist relative to the `.tf`
file (`${path.module}/` is understood).

## Why it matters
`terraform plan` fails (`Invalid value for "path" parameter: no file exists`), and atlantis-lint
cannot read the settings the file would hold.

## Example
```hcl
resource "helm_release" "atlantis" {
  chart  = "atlantis"
  values = [file("${path.module}/atlantis-values.yaml")]   # not there
}
```

## Fix
Fix the path.
"#,
};

pub static ENV_AND_SECRET: RuleInfo = RuleInfo {
    id: "ecs-env-and-secret",
    severity: Severity::Error,
    summary: "(ECS) a name in both a container's environment and its secrets: ECS refuses the task definition",
    suppressible: true,
    docs: r#"## What it checks
In an ECS container definition (JSON, Terraform's `container_definitions`, or
terraform-aws-atlantis's `atlantis = {...}`), a variable named in both `environment` and
`secrets`.

## Why it matters
`RegisterTaskDefinition` fails: "The secret name must be unique and not shared with any new or
existing environment variables set on the container".

## Example
```json
"environment": [{"name": "ATLANTIS_GH_TOKEN", "value": "..."}],
"secrets": [{"name": "ATLANTIS_GH_TOKEN", "valueFrom": "arn:aws:ssm:..."}]
```

## Fix
Keep the secret, remove the environment entry.
"#,
};

pub fn check_duplicate_env(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &DUPLICATE_ENV, out);
}
pub fn check_module_injected(ctx: &Context, out: &mut Vec<Finding>) {
    // Before v0.27.0 Atlantis still reads `ATLANTIS_ALLOW_REPO_CONFIG` (the module's default
    // "false" is Atlantis's): nothing to say.
    let removed = crate::flags::history(crate::flags::ALLOW_REPO_CONFIG).and_then(|h| h.removed);
    if removed.is_none_or(|r| r > ctx.cfg.version()) {
        return;
    }
    report_form_issues(ctx, &MODULE_INJECTED, out);
}
pub fn check_values_file(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &VALUES_FILE, out);
}
pub fn check_env_and_secret(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &ENV_AND_SECRET, out);
}

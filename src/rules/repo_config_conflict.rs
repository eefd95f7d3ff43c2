use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-conflict",
    severity: Severity::Error,
    summary: "both repo-config and repo-config-json are set",
    suppressible: false,
    docs: r#"## What it checks
The server-side repo config comes from a file (`repo-config`) or inline JSON
(`repo-config-json`), never both.

## Why it matters
Atlantis refuses to start with `cannot use --repo-config and --repo-config-json at the same time`.

## Example
```yaml
repo-config: /etc/atlantis/repos.yaml
repo-config-json: '{"repos":[{"id":"/.*/","apply_requirements":["approved"]}]}'
```

## Fix
Keep one of them; move the JSON's content into the YAML file if you need both parts.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !(cfg.is_set(flags::REPO_CONFIG) && cfg.is_set(flags::REPO_CONFIG_JSON)) {
        return;
    }
    out.push(
        Finding::new(
            &RULE,
            cfg.location(flags::REPO_CONFIG_JSON),
            "repo-config and repo-config-json are both set",
        )
        .key(flags::REPO_CONFIG_JSON)
        .label("second server-side repo config")
        .related(cfg.location(flags::REPO_CONFIG), "repo-config set here")
        .help(
            "keep only one of them; Atlantis refuses to start with: \
             cannot use --repo-config and --repo-config-json at the same time",
        ),
    );
}

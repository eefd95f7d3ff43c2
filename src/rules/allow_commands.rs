use super::Context;
use super::invalid_value::did_you_mean;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "allow-commands",
    severity: Severity::Error,
    summary: "an allow-commands entry that is not an Atlantis command (entries are not trimmed)",
    suppressible: false,
    docs: r#"## What it checks
`allow-commands` is a comma-separated list of the comment commands Atlantis accepts. Each entry
must be exactly one of `apply`, `plan`, `unlock`, `policy_check`, `approve_policies`, `version`,
`import`, `state`, `cancel` or `all`. Atlantis splits on `,` and does **not** trim the entries:
`plan, apply` contains the entry ` apply`, with a leading space. Empty entries are skipped.

## Why it matters
Atlantis refuses to start with `invalid --allow-commands: unknown command name: <entry>`; with a
space after a comma, the message shows the entry with its leading space, which is easy to misread.

## Example
```yaml
allow-commands: plan, apply, unlock
```

## Fix
Remove the spaces and fix the names: `allow-commands: plan,apply,unlock`.
"#,
};

/// The names the latest release accepts, in the order the help lists them.
const COMMANDS: &[&str] = &[
    "apply",
    "plan",
    "unlock",
    "policy_check",
    "approve_policies",
    "version",
    "import",
    "state",
    "cancel",
    "all",
];

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    // `state` came in v0.23.0 and `cancel` in v0.39.0: an older release refuses them.
    let accepted = flags::history(flags::ALLOW_COMMANDS)
        .and_then(|h| h.accepted_in(cfg.version()))
        .unwrap_or(COMMANDS);
    let owned: Vec<&str> = COMMANDS
        .iter()
        .copied()
        .filter(|c| accepted.contains(c))
        .collect();
    let commands = owned.as_slice();
    let Some(value) = cfg.explicit_text(flags::ALLOW_COMMANDS).map(|t| t.as_str()) else {
        return;
    };
    let bad: Vec<&str> = value
        .split(',')
        .filter(|e| !e.is_empty() && !commands.contains(e))
        .collect();
    if bad.is_empty() {
        return;
    }
    // A name a later release accepts: say which one.
    let later: Vec<String> = bad
        .iter()
        .filter(|e| COMMANDS.contains(&e.trim()) && !commands.contains(&e.trim()))
        .map(|e| {
            let since = flags::history(flags::ALLOW_COMMANDS)
                .and_then(|h| h.accepted.iter().find(|(_, v)| v.contains(&e.trim())))
                .map(|(since, _)| since.to_string())
                .unwrap_or_default();
            format!("`{}` needs Atlantis {since} or later", e.trim())
        })
        .collect();
    // What the user most likely meant: every entry trimmed, misspellings corrected.
    let mut fixable = true;
    let fixed: Vec<String> = value
        .split(',')
        .filter(|e| !e.trim().is_empty())
        .map(|e| {
            let t = e.trim();
            if commands.contains(&t) {
                t.to_string()
            } else if let Some(s) = did_you_mean(&t.replace('-', "_"), commands) {
                s.to_string()
            } else {
                fixable = false;
                t.to_string()
            }
        })
        .collect();
    let fixed = fixed.join(",");
    let only_spaces = bad.iter().all(|e| commands.contains(&e.trim()));
    let names = bad
        .iter()
        .map(|e| format!("`{e}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let message = if !later.is_empty() {
        format!(
            "allow-commands has command names Atlantis {} does not know: {}",
            cfg.version(),
            later.join(", ")
        )
    } else if only_spaces {
        format!("allow-commands entries must not contain spaces: {names}")
    } else {
        format!("allow-commands has unknown command names: {names}")
    };
    let mut f = Finding::new(&RULE, cfg.value_location(flags::ALLOW_COMMANDS), message)
        .key(flags::ALLOW_COMMANDS)
        .label(if later.is_empty() {
            "unknown command name".to_string()
        } else {
            format!("not in Atlantis {}", cfg.version())
        })
        .help(format!(
            "separate the commands with `,` and no spaces; valid names are {}; Atlantis refuses to start with: \
             invalid --allow-commands: unknown command name: {}",
            commands.join(", "),
            bad[0]
        ));
    if fixable {
        f = f.suggestion(fixed);
    }
    out.push(f);
}

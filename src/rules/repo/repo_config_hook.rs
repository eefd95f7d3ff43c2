use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::repo_config::model::Hook;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-hook",
    severity: Severity::Warning,
    summary: "a pre/post workflow hook that never runs or runs something else: `command:` for `commands:`, unknown keys, no `run`, no matching command",
    suppressible: true,
    docs: r#"## What it checks
Atlantis never validates `pre_workflow_hooks` and `post_workflow_hooks`: each is a
`map[string]string` whose keys `run`, `description`, `shell`, `shellArgs` and `commands` are read,
and anything else is ignored. So:
- `command: plan` (for `commands: plan`), `shell_args:` and other misspelt keys are dropped, and
  the hook runs for every command;
- a `commands:` text that contains none of Atlantis's command names (`plan`, `apply`, `unlock`,
  `policy_check`, `approve_policies`, `version`, `import`, `state`, `cancel`; Atlantis tests with
  a substring match) means the hook never runs;
- a hook without `run` runs an empty command;
- `commands: plan` written inside the `run` text (issue #4647) is passed to the shell;
- an empty hook (`- {}` or a bare `-`) makes Atlantis panic at startup
  (`step was not valid. This is a bug!`): that one is an error.

What a hook reads depends on the release checked (`WorkflowHook.ToValid` at each tag;
`data/repo-config-keys.json`, `hooks`): `description` from v0.22.0, `shell` and `shellArgs` from
v0.24.4, `commands` from v0.26.0; an older release ignores them (a hook with `commands` runs for
every command). Before v0.22.0 `ToValid` took the value of the first key of the hook's Go map,
whose order is random: a hook with a `description` ran, now and then, its description as the
command.

## Example
```yaml
repos:
- id: /.*/
  pre_workflow_hooks:
  - run: ./setup.sh
    command: plan
```

## Fix
`commands: plan` (comma-separated for several).
"#,
};

const KEYS: &[&str] = &["run", "description", "shell", "shellArgs", "commands"];
const COMMANDS: &[&str] = &[
    "plan",
    "apply",
    "unlock",
    "policy_check",
    "approve_policies",
    "version",
    "import",
    "state",
    "cancel",
];

fn hook_findings(ctx: &DocContext, kind: &str, idx: usize, hooks: &[Hook], out: &mut Vec<Finding>) {
    for h in hooks {
        let what = format!("repos[{idx}].{kind}[{}]", h.index);
        if !h.decoded {
            continue;
        }
        if h.entries.is_empty() {
            out.push(
                Finding::new(&RULE, ctx.at(h.span), format!("{what} is empty: Atlantis panics at startup (step was not valid. This is a bug!)"))
                    .severity(Severity::Error)
                    .label("empty hook")
                    .help("give the hook a `run:` command, or remove the item"),
            );
            continue;
        }
        for (k, _) in &h.entries {
            if KEYS.contains(&k.v.as_str()) {
                continue;
            }
            let s = super::closest(&k.v, KEYS).or(match k.v.as_str() {
                "command" | "cmd" => Some("commands"),
                _ => None,
            });
            let mut f = Finding::new(
                &RULE,
                ctx.at(k.span),
                format!(
                    "`{}` is not a hook key: Atlantis ignores it",
                    super::shown(&k.v)
                ),
            )
            .label("ignored");
            f = match s {
                Some(s) => f.suggestion(s).help(format!("did you mean `{s}`? Hooks read only run, description, shell, shellArgs and commands")),
                None => f.help("hooks read only run, description, shell, shellArgs and commands"),
            };
            out.push(f);
        }
        let ignored = release_findings(ctx, &what, h, out);
        match h.get("run") {
            None => out.push(
                Finding::new(
                    &RULE,
                    ctx.at(h.span),
                    format!("{what} has no `run`: it runs an empty command"),
                )
                .label("nothing to run")
                .help("add `run: <command>`"),
            ),
            Some(run) => {
                if run.v.trim().is_empty() {
                    out.push(
                        Finding::new(
                            &RULE,
                            ctx.at(run.entry()),
                            format!("{what} runs an empty command"),
                        )
                        .label("empty")
                        .help("write the command after `run: `"),
                    );
                }
                let option = ["commands:", "command:", "description:", "shell:"]
                    .into_iter()
                    .find(|o| run.v.lines().skip(1).any(|l| l.trim_start().starts_with(o)));
                if let Some(option) = option {
                    out.push(
                        Finding::new(&RULE, ctx.at(run.span), format!("the `run` text of {what} holds a `{option}` line: the shell runs it as a command"))
                            .label("hook option inside the command")
                            .help("move it out of `run`, as a sibling key at the hook's indentation (`commands: plan`)"),
                    );
                }
            }
        }
        if let Some(c) = h.get("commands").filter(|_| !ignored.contains(&"commands")) {
            if !c.v.is_empty() && !COMMANDS.iter().any(|name| c.v.contains(name)) {
                out.push(
                    Finding::new(
                        &RULE,
                        ctx.at(c.span),
                        format!(
                            "`commands: {}` names no Atlantis command: {what} never runs",
                            super::shown(&c.v)
                        ),
                    )
                    .label("matches no command")
                    .help(format!(
                        "list commands from {} (comma-separated, lower case)",
                        COMMANDS.join(", ")
                    )),
                );
            }
        }
    }
}

/// What the release checked reads of a hook (`WorkflowHook.ToValid` at each tag,
/// `data/repo-config-keys.json`, `hooks`): before v0.22.0 the value of whichever key Go's map
/// iteration gives first is the command; later releases read the keys by name, each from the
/// release that added it. Returns the keys that release ignores.
fn release_findings(
    ctx: &DocContext,
    what: &str,
    h: &Hook,
    out: &mut Vec<Finding>,
) -> Vec<&'static str> {
    let release = ctx.doc.release;
    let keys = crate::repo_keys::hook_keys();
    let Some(by_name) = keys.iter().filter_map(|(_, s)| *s).min() else {
        return Vec::new();
    };
    if release < by_name {
        if h.entries.len() > 1 {
            out.push(
                Finding::new(
                    &RULE,
                    ctx.at(h.span),
                    format!(
                        "Atlantis {release} runs the value of one of the {} keys of {what}, whichever Go's map order gives first, as its command: it reads `run` by name from {by_name}",
                        h.entries.len()
                    ),
                )
                .label(format!("random command before {by_name}"))
                .help(format!(
                    "keep only `run` in the hook, or upgrade Atlantis to {by_name} or later"
                )),
            );
        }
        return keys
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| *k != "run")
            .collect();
    }
    let mut ignored = Vec::new();
    for (k, _) in &h.entries {
        let Some((key, Some(since))) = keys.iter().find(|(name, _)| *name == k.v) else {
            continue;
        };
        if *since <= release {
            continue;
        }
        ignored.push(*key);
        let effect = match *key {
            "commands" => ", so the hook runs for every command",
            "shell" | "shellArgs" => ", so the command runs with `sh -c`",
            _ => "",
        };
        out.push(
            Finding::new(
                &RULE,
                ctx.at(k.span),
                format!(
                    "Atlantis {release} ignores `{key}` in a hook{effect}: it is read from {since}"
                ),
            )
            .label(format!("ignored before {since}"))
            .help(format!(
                "upgrade Atlantis to {since} or later, or remove `{key}`"
            )),
        );
    }
    ignored
}

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(g) = ctx.global() else { return };
    for r in &g.repos {
        hook_findings(
            ctx,
            "pre_workflow_hooks",
            r.index,
            &r.pre_workflow_hooks,
            out,
        );
        hook_findings(
            ctx,
            "post_workflow_hooks",
            r.index,
            &r.post_workflow_hooks,
            out,
        );
    }
}

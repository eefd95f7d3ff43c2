//! Workflow steps, decoded and validated as `raw.Step` does (`server/core/config/raw/step.go`).
//!
//! Go tries four shapes in order and keeps the first that decodes: a string (`- init`), a
//! `map[string]string` (`- run: cmd`), a `map[string]map[string][]string` (`- plan: {extra_args:
//! [...]}`) and a `map[string]map[string]any` (`- run: {command: ..., output: ...}`). The shape
//! decides which validation runs, so a value of the wrong shape gets a misleading message (an
//! `extra_args` string makes `"plan" is not a valid step type`); the help says what happened.

use super::decode::{Scalar, View};
use super::goregex;
use crate::input::yaml::{NodeId, NodeKind};
use crate::repo_keys::{StepForm, step_form_since, step_since};
use crate::source::Span;
use crate::version::Version;

/// A problem in one step: Atlantis's own message, where it is, and the fix.
#[derive(Debug, Clone)]
pub struct Problem {
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
    /// Set when the problem is that the release checked predates the step's shape.
    pub later: Option<Later>,
}

/// A step shape a later release added than the one checked (`data/repo-config-keys.json`, `steps`).
#[derive(Debug, Clone)]
pub struct Later {
    /// What the step uses (`the \`state_rm\` step`, `the map form of \`run\``).
    pub what: String,
    /// The release that added it.
    pub since: Version,
    /// The message is the decoder's whole error, not a validation message under the ozzo path.
    pub whole: bool,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub index: usize,
    pub span: Span,
    /// What Atlantis refuses (at startup for the server, at the pull request for a repo file).
    pub error: Option<Problem>,
    /// `- run:` with an empty command, unknown output options, ...: accepted, but not meant.
    pub notes: Vec<Problem>,
    /// An output `filter_regex` that does not compile: `regexp.MustCompile` panics on it.
    pub panics: Option<Problem>,
    /// A shape the release checked accepts but ignores (a list `output` before v0.37.0).
    pub ignored: Option<Problem>,
}

pub const BUILTINS: &[&str] = &[
    "init",
    "plan",
    "apply",
    "env",
    "multienv",
    "show",
    "policy_check",
    "import",
    "state_rm",
];

fn problem(message: String, span: Span, help: Option<String>) -> Problem {
    Problem {
        message,
        span,
        help,
        later: None,
    }
}

fn later(message: String, span: Span, help: &str, what: String, since: Version) -> Problem {
    Problem {
        message,
        span,
        help: Some(help.to_string()),
        later: Some(Later {
            what,
            since,
            whole: false,
        }),
    }
}

/// What an older release makes of a step whose shape a later one added.
enum Verdict {
    /// The release refuses the step with this message.
    Refused(Problem),
    /// The release accepts the step and ignores part of it.
    Ignored(Problem),
}

/// The step as `release` decodes and validates it, when its shape is younger than the release:
/// `validStepName` and the shapes of `raw.Step.unmarshalGeneric`/`Validate` at each tag.
/// - before v0.31.0 a step map was a `map[string]map[string]string`: a value that is not a
///   string (a list `output`, a list `shellArgs`) fails every shape, and the decoder's error
///   of the last one (`map[string]string`) is reported;
/// - `run: {...}` before v0.24.4 and `multienv: {...}` before v0.28.2 decode as an env step:
///   `"run" is not a valid step type`;
/// - `shell`/`shellArgs` before v0.31.0 are keys env, run and multienv steps do not support;
/// - a list `output` from v0.31.0 to v0.36.x is decoded and never read (`ToValid` takes a
///   string only): the whole output is shown.
fn in_release(v: &View, node: NodeId, release: Version) -> Option<Verdict> {
    let span = v.span(node);
    let newer = |since: Version| (since > release).then_some(since);
    if let Some(name) = string_scalar(v, node) {
        let since = step_since(name).and_then(newer)?;
        return Some(Verdict::Refused(later(
            format!("\"{name}\" is not a valid step type, maybe you omitted the 'run' key"),
            span,
            "remove the step",
            format!("the `{name}` step"),
            since,
        )));
    }
    let p = pairs(v, node)?;
    let [(key, key_span, val)] = p[..] else {
        return None;
    };
    let not_valid = |what: String, since: Version, help: &str| {
        Some(Verdict::Refused(later(
            format!("{key:?} is not a valid step type"),
            key_span,
            help,
            what,
            since,
        )))
    };
    if !v.is_null(val) && string_scalar(v, val).is_some() {
        if key == "multienv" {
            if let Some(since) = newer(step_form_since(StepForm::MultienvCommand)) {
                return not_valid(
                    "the `multienv` step".into(),
                    since,
                    "use `run` and `env` steps instead",
                );
            }
        }
        return None;
    }
    if let Some(since) = step_since(key).and_then(newer) {
        return not_valid(format!("the `{key}` step"), since, "remove the step");
    }
    let args = pairs(v, val)?;
    let is_string = |n: NodeId| string_scalar(v, n).is_some();
    let extra_args = args
        .iter()
        .all(|(_, _, a)| v.is_null(*a) || matches!(v.kind(*a), NodeKind::Seq(_)));
    if extra_args || !["run", "multienv", "env"].contains(&key) {
        return None;
    }
    // Not a string: no shape of the release decodes the step.
    let output_list = step_form_since(StepForm::OutputList);
    if release < output_list {
        if let Some((k, ks, _)) = args.iter().find(|(_, _, a)| !is_string(*a)) {
            let message = if v.json {
                "json: cannot unmarshal object into Go value of type string".to_string()
            } else {
                format!(
                    "yaml: unmarshal errors: line {}: cannot unmarshal !!map into string",
                    v.line(v.span(val).start)
                )
            };
            let what = if *k == "output" {
                "a list `output`".to_string()
            } else {
                format!("a `{}` that is not a string", short(k))
            };
            return Some(Verdict::Refused(Problem {
                message,
                span: *ks,
                help: Some(format!(
                    "give `{}` a string: this release decodes a step's options as strings only",
                    short(k)
                )),
                later: Some(Later {
                    what,
                    since: output_list,
                    whole: true,
                }),
            }));
        }
    }
    let form = match key {
        "run" => Some((
            StepForm::RunMap,
            "the map form of `run` (`command`, `output`)",
        )),
        "multienv" => Some((StepForm::MultienvMap, "the map form of `multienv`")),
        _ => None,
    };
    if let Some((form, what)) = form {
        if let Some(since) = newer(step_form_since(form)) {
            return not_valid(what.into(), since, &format!("write `- {key}: <command>`"));
        }
    }
    let has = |k: &str| args.iter().any(|(a, _, _)| *a == k);
    if let Some(since) = newer(step_form_since(StepForm::Shell)) {
        let shell = args
            .iter()
            .filter(|(a, _, _)| *a == "shell" || *a == "shellArgs")
            .min_by_key(|(a, _, _)| *a);
        if let Some((first, at, _)) = shell {
            let message = if key == "env" {
                format!(
                    "env steps only support keys \"name\", \"value\" and \"command\", found key {first:?}"
                )
            } else if !has("command") {
                return None;
            } else {
                let mut extra: Vec<&str> = args
                    .iter()
                    .map(|(a, _, _)| *a)
                    .filter(|a| *a != "command" && *a != "output")
                    .collect();
                extra.sort();
                let extra = extra.join(",");
                if release < step_form_since(StepForm::MultienvMap) {
                    format!(
                        "run steps only support keys \"run\", \"command\" and \"output\", found extra keys {extra:?}"
                    )
                } else {
                    format!(
                        "{key:?} steps only support keys \"command\" and \"output\", found extra keys {extra:?}"
                    )
                }
            };
            return Some(Verdict::Refused(later(
                message,
                *at,
                "remove it: the command runs with `sh -c`",
                format!("the `{first}` option"),
                since,
            )));
        }
    }
    if key == "run" {
        if let Some(since) = newer(step_form_since(StepForm::FilterRegex)) {
            let output = args.iter().find(|(a, _, _)| *a == "output");
            if let Some((_, at, n)) = output {
                if let NodeKind::Seq(items) = v.kind(*n) {
                    let filters = items.iter().any(|i| {
                        pairs(v, *i).is_some_and(|p| p.iter().any(|(k, _, _)| *k == "filter_regex"))
                    });
                    let effect = if filters {
                        " (so `filter_regex` hides nothing)"
                    } else {
                        ""
                    };
                    return Some(Verdict::Ignored(later(
                        format!(
                            "Atlantis {release} reads a run step's `output` only as a string: it ignores this list{effect} and shows the whole output (lists and `filter_regex` were added in {since})"
                        ),
                        *at,
                        &format!(
                            "upgrade Atlantis to {since} or later, or write one option as a string (`output: strip_refreshing`)"
                        ),
                        "a list `output`".into(),
                        since,
                    )));
                }
            }
        }
    }
    None
}

/// A scalar Go decodes into a string (YAML: any scalar, null as ""; JSON: strings and null).
fn string_scalar<'a>(v: &View<'a>, node: NodeId) -> Option<&'a str> {
    match v.scalar(node)? {
        Scalar::Null => Some(""),
        Scalar::Text { text, is_str, .. } if is_str || !v.json => Some(text),
        _ => None,
    }
}

/// Map pairs with scalar keys, or `None` when the node is not a mapping.
fn pairs<'a>(v: &View<'a>, node: NodeId) -> Option<Vec<(&'a str, Span, NodeId)>> {
    let NodeKind::Map(pairs) = v.kind(node) else {
        return None;
    };
    let mut out = Vec::new();
    for &(k, val) in pairs {
        let key = string_scalar(v, k)?;
        out.push((key, v.span(k), val));
    }
    // Go maps keep one value per key: the last.
    let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut dedup: Vec<(&str, Span, NodeId)> = Vec::new();
    for p in out {
        match at.get(p.0) {
            Some(&i) => dedup[i] = p,
            None => {
                at.insert(p.0, dedup.len());
                dedup.push(p);
            }
        }
    }
    Some(dedup)
}

fn sorted_keys(p: &[(&str, Span, NodeId)]) -> String {
    let mut keys: Vec<&str> = p.iter().map(|(k, _, _)| *k).collect();
    keys.sort();
    keys.join(",")
}

/// Go's check, in each map shape, that a step element has one key (the step's name).
fn more_than_one_key(p: &[(&str, Span, NodeId)], span: Span) -> Option<Problem> {
    (p.len() > 1).then(|| {
        problem(
            format!(
                "step element can only contain a single key, found {}: {}",
                p.len(),
                sorted_keys(p)
            ),
            span,
            Some("write each step as its own list item (`- `)".into()),
        )
    })
}

/// Decodes and validates one step.
pub fn decode(v: &mut View, node: NodeId, index: usize) -> Step {
    let span = v.span(node);
    let mut step = Step {
        index,
        span,
        error: None,
        notes: Vec::new(),
        panics: None,
        ignored: None,
    };
    if let Some(release) = v.release {
        match in_release(v, node, release) {
            Some(Verdict::Refused(p)) => {
                step.error = Some(p);
                return step;
            }
            Some(Verdict::Ignored(p)) => step.ignored = Some(p),
            None => {}
        }
    }
    // 1. A string.
    if let Some(name) = string_scalar(v, node) {
        if !BUILTINS.contains(&name) {
            let help = if name.starts_with("run:") {
                "`run:` without a space after the colon is one string: write `- run: <command>` (a space after the colon) for a custom command".to_string()
            } else if name == "run" {
                "a run step needs its command: `- run: terraform fmt -check`".to_string()
            } else {
                format!(
                    "use a built-in step ({}) or `- run: <command>`",
                    BUILTINS.join(", ")
                )
            };
            step.error = Some(problem(
                format!(
                    "\"{}\" is not a valid step type, maybe you omitted the 'run' key",
                    shown_text(name)
                ),
                span,
                Some(help),
            ));
        }
        return step;
    }
    let Some(p) = pairs(v, node) else {
        step.error = Some(undecodable(v, node));
        return step;
    };
    // 2. map[string]string.
    if p.iter().all(|(_, _, val)| string_scalar(v, *val).is_some()) {
        if p.is_empty() {
            step.error = Some(problem("step element is empty".into(), span, None));
            return step;
        }
        if let Some(e) = more_than_one_key(&p, span) {
            step.error = Some(e);
            return step;
        }
        let (key, key_span, val) = p[0];
        let text = string_scalar(v, val).unwrap_or_default();
        if key != "run" && key != "multienv" {
            let help = if let Some(rest) = text.strip_prefix("extra_args:") {
                format!(
                    "`extra_args:{}` has no space after the colon, so YAML reads it as one string, not a key: write `extra_args: {}`",
                    short(rest),
                    short(rest.trim())
                )
            } else if BUILTINS.contains(&key) {
                format!(
                    "a built-in step takes only `extra_args`, as a list: `- {key}:` then `    extra_args: [...]`"
                )
            } else {
                "only `run` and `multienv` take a command string".into()
            };
            step.error = Some(problem(
                format!("{key:?} is not a valid step type"),
                key_span,
                Some(help),
            ));
        } else if text.trim().is_empty() {
            step.notes.push(problem(
                format!("this `{key}` step has no command: it runs nothing"),
                key_span,
                Some(format!(
                    "write the command after `{key}: `, or remove the step"
                )),
            ));
        }
        return step;
    }
    // 3. map[string]map[string][]string.
    let extra_args_shape = p.iter().all(|(_, _, val)| {
        v.is_null(*val)
            || pairs(v, *val).is_some_and(|args| {
                args.iter().all(|(_, _, a)| {
                    v.is_null(*a)
                        || matches!(v.kind(*a), NodeKind::Seq(items) if items.iter().all(|i| string_scalar(v, *i).is_some()))
                })
            })
    });
    if extra_args_shape {
        if let Some(e) = more_than_one_key(&p, span) {
            step.error = Some(e);
            return step;
        }
        let (key, key_span, val) = p[0];
        if !BUILTINS.contains(&key) {
            step.error = Some(problem(
                format!("{key:?} is not a valid step type"),
                key_span,
                Some(format!(
                    "use a built-in step ({}); a run step takes `command`, not a list",
                    BUILTINS.join(", ")
                )),
            ));
            return step;
        }
        let args = pairs(v, val).unwrap_or_default();
        if args.len() > 1 {
            step.error = Some(problem(
                format!(
                    "built-in steps only support a single extra_args key, found {}: {}",
                    args.len(),
                    sorted_keys(&args)
                ),
                v.span(val),
                Some("keep only `extra_args`".into()),
            ));
        } else if let Some((arg, arg_span, _)) = args.iter().find(|(k, _, _)| *k != "extra_args") {
            step.error = Some(problem(
                format!(
                    "built-in steps only support a single extra_args key, found {arg:?} in step {key}"
                ),
                *arg_span,
                Some("the only option of a built-in step is `extra_args`".into()),
            ));
        }
        return step;
    }
    // 4. map[string]map[string]any.
    if !p
        .iter()
        .all(|(_, _, val)| v.is_null(*val) || pairs(v, *val).is_some())
    {
        step.error = Some(undecodable(v, node));
        return step;
    }
    if let Some(e) = more_than_one_key(&p, span) {
        step.error = Some(e);
        return step;
    }
    let (name, name_span, val) = p[0];
    let args = pairs(v, val).unwrap_or_default();
    let arg = |k: &str| {
        args.iter()
            .find(|(a, _, _)| *a == k)
            .map(|(_, s, n)| (*s, *n))
    };
    let has = |k: &str| arg(k).is_some();
    let is_string = |n: NodeId| matches!(v.scalar(n), Some(Scalar::Text { is_str: true, .. }));
    let fail =
        |message: String, at: Span, help: &str| Some(problem(message, at, Some(help.to_string())));
    if has("shell") && !has("command") {
        step.error = fail(
            "workflow steps only support \"shell\" key in combination with \"command\" key".into(),
            arg("shell").map_or(name_span, |a| a.0),
            "add `command:`, or remove `shell:`",
        );
        return step;
    }
    if has("shellArgs") && !has("shell") {
        step.error = fail(
            "workflow steps only support \"shellArgs\" key in combination with \"shell\" key"
                .into(),
            arg("shellArgs").map_or(name_span, |a| a.0),
            "add `shell:` (e.g. `shell: bash`), or remove `shellArgs:`",
        );
        return step;
    }
    if let Some((at, n)) = arg("shellArgs") {
        match v.kind(n) {
            NodeKind::Seq(items) => {
                if let Some(bad) = items.iter().find(|i| !is_string(**i)) {
                    step.error = fail(
                        format!(
                            "{name:?} step \"shellArgs\" option must contain only strings, found {}",
                            go_value(v, *bad)
                        ),
                        v.span(*bad),
                        "quote the argument",
                    );
                    return step;
                }
            }
            _ if v.is_null(n) || is_string(n) => {}
            _ => {
                step.error = fail(
                    format!(
                        "{name:?} step \"shellArgs\" option must be a string or a list of strings, found {}",
                        go_value(v, n)
                    ),
                    at,
                    "write `shellArgs: -c` or `shellArgs: [\"-e\", \"-c\"]`",
                );
                return step;
            }
        }
    }
    match name {
        "env" => {
            if let Some((k, at, _)) = args
                .iter()
                .find(|(k, _, _)| !["name", "command", "value", "shell", "shellArgs"].contains(k))
            {
                step.error = fail(
                    format!(
                        "env steps only support keys \"name\", \"value\", \"command\", \"shell\" and \"shellArgs\", found key {k:?}"
                    ),
                    *at,
                    "remove the key",
                );
            } else if !has("name") {
                step.error = fail(
                    "env steps must have a \"name\" key set".into(),
                    name_span,
                    "add `name: VARIABLE_NAME`",
                );
            } else if has("value") && has("command") {
                step.error = fail(
                    "env steps only support one of the \"value\" or \"command\" keys, found both"
                        .into(),
                    arg("command").map_or(name_span, |a| a.0),
                    "keep `value` (a fixed string) or `command` (its output)",
                );
            }
        }
        "multienv" | "run" => {
            if !arg("command").is_some_and(|(_, n)| is_string(n)) {
                step.error = fail(
                    format!("{name:?} step must have a \"command\" key set"),
                    arg("command").map_or(name_span, |a| a.0),
                    "set `command:` to the command to run (a string)",
                );
                return step;
            }
            if let Some((_, n)) = arg("output") {
                if is_string(n) {
                    let text = string_scalar(v, n).unwrap_or_default();
                    let ok: &[&str] = if name == "run" {
                        &["show", "hide", "strip_refreshing"]
                    } else {
                        &["show", "hide"]
                    };
                    if !ok.contains(&text) {
                        // The list of options was one shorter before filter_regex (v0.37.0).
                        let before_filters = v
                            .release
                            .is_some_and(|r| r < step_form_since(StepForm::FilterRegex));
                        step.error = if name == "run" {
                            fail(
                                if before_filters {
                                    "run step \"output\" option must be one of \"show\", \"hide\", or \"strip_refreshing\"".into()
                                } else {
                                    "run step \"output\" option must be one of \"show\", \"hide\", \"strip_refreshing\", or \"filter_regex\"".into()
                                },
                                v.span(n),
                                if before_filters {
                                    "use show, hide or strip_refreshing"
                                } else {
                                    "use show, hide or strip_refreshing, or a list with `{filter_regex: ...}`"
                                },
                            )
                        } else {
                            fail(
                                "multienv step \"output\" option must be \"show\" or \"hide\""
                                    .into(),
                                v.span(n),
                                "use show or hide",
                            )
                        };
                        return step;
                    }
                } else if let NodeKind::Seq(items) = v.kind(n) {
                    output_list(v, &mut step, items);
                }
            }
            let extra: Vec<&str> = {
                let mut e: Vec<&str> = args
                    .iter()
                    .map(|(k, _, _)| *k)
                    .filter(|k| !["command", "output", "shell", "shellArgs"].contains(k))
                    .collect();
                e.sort();
                e
            };
            if !extra.is_empty() {
                let at = arg(extra[0]).map_or(name_span, |a| a.0);
                step.error = fail(
                    format!(
                        "{name:?} steps only support keys \"command\", \"output\", \"shell\" and \"shellArgs\", found extra keys {:?}",
                        extra.join(",")
                    ),
                    at,
                    "remove the key",
                );
            }
        }
        _ => {
            let help = if BUILTINS.contains(&name) && has("extra_args") {
                "`extra_args` must be a list: `extra_args: [\"-upgrade\"]`".to_string()
            } else {
                "use `run`, `multienv` or `env` with options, or a built-in step with `extra_args: [...]`".to_string()
            };
            step.error = Some(problem(
                format!("{name:?} is not a valid step type"),
                name_span,
                Some(help),
            ));
        }
    }
    step
}

/// Items of a run step's `output` list: strings are taken as they are, `{filter_regex: re}`
/// compiled with `regexp.MustCompile` (a panic on a bad pattern).
fn output_list(v: &View, step: &mut Step, items: &[NodeId]) {
    let known = ["show", "hide", "strip_refreshing"];
    let ignored = |option: &str, at: Span, help: &str| {
        problem(
            format!(
                "output option {:?} means nothing to Atlantis: it is kept and ignored",
                short(option)
            ),
            at,
            Some(help.into()),
        )
    };
    for &item in items {
        if let Some(text) = string_scalar(v, item) {
            if !known.contains(&text) {
                step.notes.push(ignored(
                    text,
                    v.span(item),
                    "use show, hide, strip_refreshing or `{filter_regex: ...}`",
                ));
            }
            continue;
        }
        let Some(p) = pairs(v, item) else { continue };
        for (k, ks, val) in p {
            if k != "filter_regex" {
                step.notes
                    .push(ignored(k, ks, "the only map option is `filter_regex`"));
                continue;
            }
            let patterns: Vec<NodeId> = match v.kind(val) {
                NodeKind::Seq(items) => items.clone(),
                _ => vec![val],
            };
            for pnode in patterns {
                let Some(pattern) = string_scalar(v, pnode) else {
                    continue;
                };
                if let Err(e) = goregex::check(pattern) {
                    step.panics = Some(problem(
                        format!("regexp: Compile({}): {e}", goregex::quote(pattern)),
                        v.span(pnode),
                        Some("Atlantis compiles this with regexp.MustCompile when it loads the workflow and panics (the server stops); fix the Go regular expression".into()),
                    ));
                }
            }
        }
    }
}

/// The Go error of the last shape tried (`map[string]map[string]any`).
fn undecodable(v: &View, node: NodeId) -> Problem {
    let what = match v.kind(node) {
        NodeKind::Seq(_) => "!!seq",
        NodeKind::Map(_) => "!!map",
        _ => "!!scalar",
    };
    problem(
        format!("cannot construct {what} into map[string]map[string]interface {{}}"),
        v.span(node),
        Some("a step is a built-in name (`- init`), `- run: <command>`, `- <builtin>: {extra_args: [...]}` or `- run|multienv|env: {...}`".into()),
    )
}

/// A value as Go's `%v` prints it, for the shellArgs messages.
fn go_value(v: &View, node: NodeId) -> String {
    match v.kind(node) {
        NodeKind::Seq(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| go_value(v, *i))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        NodeKind::Map(pairs) => format!(
            "map[{}]",
            pairs
                .iter()
                .map(|(k, val)| format!("{}:{}", go_value(v, *k), go_value(v, *val)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        _ => match v.scalar(node) {
            Some(Scalar::Text { text, .. }) => short(text),
            _ => "<nil>".into(),
        },
    }
}

/// At most 40 characters of a value, for messages.
pub fn short(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(37).collect::<String>())
    } else {
        s.to_string()
    }
}

/// A value quoted in a message: a short word as it is; free text (a command, which may hold a
/// credential) is not shown, only a `run:` prefix when there is one.
pub fn shown_text(s: &str) -> String {
    let word = !s.is_empty()
        && s.len() <= 40
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'));
    if word || s.is_empty() {
        s.to_string()
    } else if s.starts_with("run:") {
        "run:...".to_string()
    } else {
        "(value not shown)".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::yaml;

    /// The step written as YAML, decoded for `release`: (error, ignored) messages.
    fn at(step: &str, release: &str) -> (Option<String>, Option<String>) {
        let doc = yaml::parse(step).unwrap();
        let mut v = View::new(&doc, step, false);
        v.release = Version::parse(release);
        let s = decode(&mut v, doc.root.unwrap(), 0);
        (s.error.map(|p| p.message), s.ignored.map(|p| p.message))
    }

    fn refused(step: &str, release: &str) -> String {
        at(step, release).0.unwrap_or_default()
    }

    /// Each shape is refused by the release before the one that added it, accepted from it.
    #[test]
    fn shapes_follow_the_release() {
        for (step, before, since, message) in [
            (
                "show",
                "v0.17.0",
                "v0.17.1",
                "\"show\" is not a valid step type, maybe you omitted the 'run' key",
            ),
            (
                "multienv",
                "v0.19.3",
                "v0.19.4",
                "\"multienv\" is not a valid step type, maybe you omitted the 'run' key",
            ),
            (
                "multienv: ./env.sh",
                "v0.19.3",
                "v0.19.4",
                "\"multienv\" is not a valid step type",
            ),
            (
                "import: {extra_args: [-x]}",
                "v0.21.0",
                "v0.22.0",
                "\"import\" is not a valid step type",
            ),
            (
                "state_rm",
                "v0.22.3",
                "v0.23.0",
                "\"state_rm\" is not a valid step type, maybe you omitted the 'run' key",
            ),
            (
                "run: {command: x, output: hide}",
                "v0.24.3",
                "v0.24.4",
                "\"run\" is not a valid step type",
            ),
            (
                "multienv: {command: x, output: hide}",
                "v0.28.1",
                "v0.28.2",
                "\"multienv\" is not a valid step type",
            ),
            (
                "env: {name: A, command: x, shell: bash}",
                "v0.30.0",
                "v0.31.0",
                "env steps only support keys \"name\", \"value\" and \"command\", found key \"shell\"",
            ),
            (
                "run: {command: x, shell: bash}",
                "v0.28.1",
                "v0.31.0",
                "run steps only support keys \"run\", \"command\" and \"output\", found extra keys \"shell\"",
            ),
            (
                "multienv: {command: x, shell: bash, shellArgs: -c}",
                "v0.30.0",
                "v0.31.0",
                "\"multienv\" steps only support keys \"command\" and \"output\", found extra keys \"shell,shellArgs\"",
            ),
            (
                "run: {command: x, output: [hide]}",
                "v0.30.0",
                "v0.31.0",
                "yaml: unmarshal errors: line 1: cannot unmarshal !!map into string",
            ),
        ] {
            assert_eq!(refused(step, before), message, "{step} at {before}");
            assert_eq!(at(step, since).0, None, "{step} at {since}");
        }
    }

    #[test]
    fn a_list_output_is_ignored_before_filter_regex() {
        let step = "run: {command: x, output: [strip_refreshing, {filter_regex: s}]}";
        let (error, ignored) = at(step, "v0.36.0");
        assert_eq!(error, None);
        assert!(ignored.unwrap().contains("`filter_regex` hides nothing"));
        assert_eq!(at(step, "v0.37.0"), (None, None));
        assert!(
            refused("run: {command: x, output: bogus}", "v0.36.0")
                .ends_with("\"show\", \"hide\", or \"strip_refreshing\"")
        );
    }

    #[test]
    fn builtins_are_the_tables() {
        let mut table = crate::repo_keys::step_names();
        let mut here = BUILTINS.to_vec();
        table.sort();
        here.sort();
        assert_eq!(table, here);
    }
}

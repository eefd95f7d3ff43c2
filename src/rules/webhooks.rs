use super::Context;
use super::invalid_value::did_you_mean;
use crate::config::{Location, RawValue, Spelling};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags::{self, FlagType};
use crate::input::yaml::{NodeId, NodeKind, YamlDoc};
use crate::source::Span;
use crate::value::{self, Resolved, Value};

pub static RULE: RuleInfo = RuleInfo {
    id: "webhooks",
    severity: Severity::Error,
    summary: "a webhooks entry Atlantis rejects (missing kind or event, unsupported values, no channel, url or slack-token, a bad regex)",
    suppressible: false,
    docs: r#"## What it checks
The config-file-only `webhooks:` list, entry by entry, as Atlantis checks it at startup.
Every entry (`webhooks.NewMultiWebhookSender`):
- `kind` and `event` are both required;
- `event` is `apply` or `drift`.

`event: apply` entries (`NewMultiWebhookSender`):
- `workspace-regex` and `branch-regex` must compile as Go regular expressions (RE2 syntax);
- `kind` is `slack` or `http`;
- `kind: slack` needs `channel`, and a top-level `slack-token`;
- `kind: http` needs `url`.

`event: drift` entries are skipped there and checked by `webhooks.NewDriftWebhookSender`, which
`NewServer` calls only with `enable-drift-detection`: then `kind` must be `slack` (with `channel`
and `slack-token`) or `http` (with `url`). Their regexes are never compiled, and with drift
detection off nothing but `kind` and `event` is checked.

`webhooks` itself must be a list (a single mapping is read as a one-entry list); a single string
such as a Slack URL cannot be decoded. Keys inside an entry are case-insensitive; unknown keys are
ignored by Atlantis. Values under
`webhooks` (URLs often carry tokens) are masked in snippets.

## Why it matters
Atlantis refuses to start with `initializing server: initializing webhooks: <err>`, for example
`must specify "kind" and "event" keys for webhooks` or
`"event: plan" not supported. Only "event: apply" and "event: drift" are supported`.

## Example
```yaml
webhooks:
  - event: apply
    kind: slack          # no channel, and no slack-token
  - event: plan
    kind: http
    url: https://hooks.example.com/atlantis
```

## Fix
Add the missing keys, use a supported `event`/`kind`, and set `slack-token` (preferably as
`ATLANTIS_SLACK_TOKEN`) when any entry is `kind: slack`.
"#,
};

const EVENTS: &[&str] = &["apply", "drift"];
const KINDS: &[&str] = &["slack", "http"];
const FIELDS: &[&str] = &[
    "event",
    "workspace-regex",
    "branch-regex",
    "kind",
    "channel",
    "url",
];

/// One decoded field of an entry.
struct Field {
    value: String,
    key: Span,
    span: Span,
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let Some(setting) = cfg.winner(flags::WEBHOOKS) else {
        return;
    };
    let node = match &setting.value {
        RawValue::Collection { node, .. } => *node,
        RawValue::Scalar { resolved, .. } => {
            // viper splits a string on `,` and mapstructure lifts any other scalar into a
            // one-element list; either way the element is not a mapping. An empty string is no list.
            let got = match resolved {
                Resolved::Str(t) if t.as_str().is_empty() => return,
                Resolved::Str(_) => "string",
                Resolved::Bool(_) => "bool",
                Resolved::Int(_) | Resolved::Uint(_) => "int",
                Resolved::Float(_) => "float64",
                Resolved::Null | Resolved::Timestamp => return,
            };
            out.push(
                Finding::new(
                    &RULE,
                    setting.origin.value(),
                    "webhooks must be a list of entries, not a single value",
                )
                .key(flags::WEBHOOKS)
                .label("not a list")
                .help(format!(
                    "write `webhooks:` as a list of mappings: `- event: apply`, `kind: http`, `url: ...`; \
                     Atlantis refuses to start with a decode error ('webhooks[0]' expected a map, got '{got}')"
                )),
            );
            return;
        }
        _ => return,
    };
    let Some(file) = &cfg.file else { return };
    let Some(doc) = &file.doc else { return };
    // mapstructure lifts a single mapping into a one-entry list.
    let single = [node];
    let items: &[NodeId] = match &doc.resolve(node).kind {
        NodeKind::Seq(items) => items,
        NodeKind::Map(pairs) if !pairs.is_empty() => &single,
        _ => return,
    };
    let slack_token = cfg.is_set(flags::SLACK_TOKEN);
    let drift_detection = cfg.bool(flags::ENABLE_DRIFT_DETECTION);
    for (index, &item) in items.iter().enumerate() {
        let at = |span: Span| Location::Source {
            source: file.source,
            spelling: Spelling::ConfigKey,
            span,
        };
        let entry = doc.resolve(item);
        let pairs: &[(NodeId, NodeId)] = match &entry.kind {
            NodeKind::Map(pairs) => pairs,
            NodeKind::Scalar(s) if s.value.is_empty() || s.value == "~" || s.value == "null" => &[],
            _ => {
                out.push(
                    Finding::new(
                        &RULE,
                        at(doc.node(item).span),
                        format!("webhooks entry {} is not a mapping", index + 1),
                    )
                    .key(flags::WEBHOOKS)
                    .label("expected `event:`, `kind:` ... keys")
                    .help("write each entry as a mapping: `- event: apply` / `  kind: slack` / `  channel: infra`"),
                );
                continue;
            }
        };
        let mut fields: Vec<(&str, Field)> = Vec::new();
        // Fields that are lists or mappings: Atlantis stops at decoding them, reported once.
        let mut undecodable: Vec<&str> = Vec::new();
        for &(k, v) in pairs {
            let NodeKind::Scalar(key) = &doc.resolve(k).kind else {
                continue;
            };
            let lower = key.value.to_ascii_lowercase();
            let Some(name) = FIELDS.iter().find(|f| **f == lower) else {
                continue;
            };
            match decode(doc, v) {
                Some(value) => fields.push((
                    name,
                    Field {
                        value,
                        key: doc.node(k).span,
                        span: doc.node(v).span,
                    },
                )),
                None => {
                    undecodable.push(name);
                    out.push(
                    Finding::new(
                        &RULE,
                        at(doc.node(v).span),
                        format!("webhooks entry {}: `{name}` must be a string", index + 1),
                    )
                    .key(flags::WEBHOOKS)
                    .label("a list or mapping")
                    .help(format!(
                        "write `{name}` as a single string; Atlantis refuses to start with a decode error \
                         ('webhooks[{index}].{name}' expected type 'string')"
                    )),
                    );
                }
            }
        }
        let get = |name: &str| {
            fields
                .iter()
                .rev()
                .find(|(n, _)| *n == name)
                .map(|(_, f)| f)
        };
        let entry_span = if pairs.is_empty() {
            doc.node(item).span
        } else {
            doc.node(pairs[0].0).span
        };
        let n = index + 1;

        let kind = get("kind").filter(|f| !f.value.is_empty());
        let event = get("event").filter(|f| !f.value.is_empty());
        if undecodable.contains(&"kind") || undecodable.contains(&"event") {
            continue;
        }
        let (Some(kind), Some(event)) = (kind, event) else {
            let missing = match (kind.is_none(), event.is_none()) {
                (true, true) => "`kind` and `event`",
                (true, false) => "`kind`",
                _ => "`event`",
            };
            out.push(
                Finding::new(&RULE, at(entry_span), format!("webhooks entry {n} has no {missing}"))
                    .key(flags::WEBHOOKS)
                    .label(format!("missing {missing}"))
                    .help("give every entry `kind: slack|http` and `event: apply|drift`; Atlantis refuses to start with: must specify \"kind\" and \"event\" keys for webhooks"),
            );
            continue;
        };

        // `NewMultiWebhookSender` skips drift entries; `NewDriftWebhookSender` checks them, and
        // only when drift detection is on. Their regexes are never compiled.
        if event.value == "drift" {
            if drift_detection {
                check_drift_entry(
                    n,
                    kind,
                    (get("channel"), get("url")),
                    &undecodable,
                    slack_token,
                    &at,
                    out,
                );
            }
            continue;
        }

        for regex_key in ["workspace-regex", "branch-regex"] {
            let Some(f) = get(regex_key) else { continue };
            // Only syntax errors: Go has no compiled-size limit like Rust's, so "too big" is no finding.
            if let Some(e) = regex_syntax_error(&go_literal_braces(&f.value)) {
                out.push(
                    Finding::new(
                        &RULE,
                        at(f.span),
                        format!(
                            "webhooks entry {n}: {regex_key} is not a valid regular expression: {}",
                            regex_reason(&e)
                        ),
                    )
                    .key(flags::WEBHOOKS)
                    .label("does not compile")
                    .help("fix the regular expression (Go RE2 syntax); Atlantis refuses to start with: initializing webhooks: error parsing regexp: ..."),
                );
            }
        }

        if !EVENTS.contains(&event.value.as_str()) {
            let mut f = Finding::new(
                &RULE,
                at(event.span),
                format!("webhooks entry {n}: event {} is not supported", shown(&event.value)),
            )
            .key(flags::WEBHOOKS)
            .label("unsupported event")
            .help(format!(
                "use `event: apply` or `event: drift`; Atlantis refuses to start with: \
                 \"event: {}\" not supported. Only \"event: apply\" and \"event: drift\" are supported",
                if is_word(&event.value) { event.value.as_str() } else { "..." }
            ));
            if let Some(s) = did_you_mean(&event.value, EVENTS) {
                f = f.suggestion(s);
            }
            out.push(f);
        }

        match kind.value.as_str() {
            "slack" => {
                if !slack_token {
                    out.push(
                        Finding::new(
                            &RULE,
                            at(kind.key.to(kind.span)),
                            format!("webhooks entry {n} is `kind: slack` but slack-token is not set"),
                        )
                        .key(flags::SLACK_TOKEN)
                        .label("needs a top-level slack-token")
                        .help("set slack-token (or ATLANTIS_SLACK_TOKEN) to a Slack bot token; Atlantis refuses to start with: must specify top-level \"slack-token\" if using a webhook of \"kind: slack\""),
                    );
                }
                if !undecodable.contains(&"channel")
                    && get("channel").is_none_or(|c| c.value.is_empty())
                {
                    out.push(
                        Finding::new(
                            &RULE,
                            at(kind.key.to(kind.span)),
                            format!("webhooks entry {n} is `kind: slack` but has no `channel`"),
                        )
                        .key(flags::WEBHOOKS)
                        .label("needs `channel`")
                        .help("add `channel: <slack channel name>` to the entry; Atlantis refuses to start with: must specify \"channel\" if using a webhook of \"kind: slack\""),
                    );
                }
            }
            "http" => {
                if !undecodable.contains(&"url") && get("url").is_none_or(|u| u.value.is_empty()) {
                    out.push(
                        Finding::new(
                            &RULE,
                            at(kind.key.to(kind.span)),
                            format!("webhooks entry {n} is `kind: http` but has no `url`"),
                        )
                        .key(flags::WEBHOOKS)
                        .label("needs `url`")
                        .help("add `url: https://...` to the entry; Atlantis refuses to start with: must specify \"url\" if using a webhook of \"kind: http\""),
                    );
                }
            }
            other => {
                let mut f = Finding::new(
                    &RULE,
                    at(kind.span),
                    format!("webhooks entry {n}: kind {} is not supported", shown(other)),
                )
                .key(flags::WEBHOOKS)
                .label("unsupported kind")
                .help(format!(
                    "use `kind: slack` or `kind: http`; Atlantis refuses to start with: \"kind: {}\" not supported. \
                     Only \"kind: slack\" and \"kind: http\" are supported right now",
                    if is_word(other) { other } else { "..." }
                ));
                if let Some(s) = did_you_mean(other, KINDS) {
                    f = f.suggestion(s);
                }
                out.push(f);
            }
        }
    }
}

/// An `event: drift` entry as `NewDriftWebhookSender` checks it (with drift detection on).
fn check_drift_entry(
    n: usize,
    kind: &Field,
    (channel, url): (Option<&Field>, Option<&Field>),
    undecodable: &[&str],
    slack_token: bool,
    at: &dyn Fn(Span) -> Location,
    out: &mut Vec<Finding>,
) {
    let whole = at(kind.key.to(kind.span));
    match kind.value.as_str() {
        "slack" => {
            if !slack_token {
                out.push(
                    Finding::new(&RULE, whole.clone(), format!("drift webhooks entry {n} is `kind: slack` but slack-token is not set"))
                        .key(flags::SLACK_TOKEN)
                        .label("needs a top-level slack-token")
                        .help("set slack-token (or ATLANTIS_SLACK_TOKEN); with enable-drift-detection Atlantis refuses to start with: must specify top-level \"slack-token\" if using a drift webhook of \"kind: slack\""),
                );
            }
            if !undecodable.contains(&"channel") && channel.is_none_or(|c| c.value.is_empty()) {
                out.push(
                    Finding::new(&RULE, whole, format!("drift webhooks entry {n} is `kind: slack` but has no `channel`"))
                        .key(flags::WEBHOOKS)
                        .label("needs `channel`")
                        .help("add `channel: <slack channel name>`; with enable-drift-detection Atlantis refuses to start with: must specify \"channel\" for drift webhook of \"kind: slack\""),
                );
            }
        }
        "http" => {
            if !undecodable.contains(&"url") && url.is_none_or(|u| u.value.is_empty()) {
                out.push(
                    Finding::new(&RULE, whole, format!("drift webhooks entry {n} is `kind: http` but has no `url`"))
                        .key(flags::WEBHOOKS)
                        .label("needs `url`")
                        .help("add `url: https://...`; with enable-drift-detection Atlantis refuses to start with: must specify \"url\" for drift webhook of \"kind: http\""),
                );
            }
        }
        other => {
            let mut f = Finding::new(&RULE, at(kind.span), format!("drift webhooks entry {n}: kind {} is not supported", shown(other)))
                .key(flags::WEBHOOKS)
                .label("unsupported kind")
                .help(format!(
                    "use `kind: slack` or `kind: http`; with enable-drift-detection Atlantis refuses to start with: \"kind: {}\" not supported for drift webhooks",
                    if is_word(other) { other } else { "..." }
                ));
            if let Some(s) = did_you_mean(other, KINDS) {
                f = f.suggestion(s);
            }
            out.push(f);
        }
    }
}

/// A field value as mapstructure decodes it into a string (`None` for lists and mappings).
fn decode(doc: &YamlDoc, id: NodeId) -> Option<String> {
    match &doc.resolve(id).kind {
        NodeKind::Scalar(s) => {
            let resolved = value::resolve(s, true);
            match value::decode_resolved(&resolved, FlagType::String, true) {
                Ok(Value::Str(t)) => Some(t.as_str().to_string()),
                _ => Some(String::new()),
            }
        }
        NodeKind::Seq(_) | NodeKind::Map(_) => None,
        NodeKind::Alias(_) => Some(String::new()),
    }
}

fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 24
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Enumerated values are quoted; anything else (it could be a misplaced secret) is not.
fn shown(s: &str) -> String {
    if is_word(s) {
        format!("`{s}`")
    } else {
        "(value not shown)".to_string()
    }
}

use crate::repo_config::goregex::go_literal_braces;

/// The syntax error `regex::Regex::new` would report (parse and Unicode classes), without
/// compiling the pattern: a config with thousands of webhook regexes stays fast.
fn regex_syntax_error(pattern: &str) -> Option<regex::Error> {
    if plainly_valid(pattern) {
        return None;
    }
    regex_syntax::Parser::new()
        .parse(pattern)
        .err()
        .map(|e| regex::Error::Syntax(e.to_string()))
}

/// Literal text, `.`, a `*` after a literal or `.`, `^` first and `$` last: valid in RE2 and in
/// Rust's engine alike, without parsing. Most webhook regexes look like this (`team-1-.*`,
/// `^prod$`); a config with thousands of them skips thousands of parses.
fn plainly_valid(pattern: &str) -> bool {
    let b = pattern.as_bytes();
    let literal = |c: u8| c.is_ascii_alphanumeric() || b"-_./:@=, ".contains(&c);
    b.iter().enumerate().all(|(i, &c)| match c {
        b'*' => i > 0 && literal(b[i - 1]),
        b'^' => i == 0,
        b'$' => i + 1 == b.len(),
        _ => literal(c),
    })
}

/// The last line of a regex syntax error (`unclosed group`), without the pattern.
fn regex_reason(e: &regex::Error) -> String {
    match e {
        regex::Error::Syntax(text) => text
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix("error: "))
            .unwrap_or("syntax error")
            .to_string(),
        _ => "syntax error".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::go_literal_braces;

    fn compiles_like_go(p: &str) -> bool {
        let ok = regex::Regex::new(&go_literal_braces(p)).is_ok();
        // The syntax-only check agrees with a full compile.
        assert_eq!(
            super::regex_syntax_error(&go_literal_braces(p)).is_none(),
            ok,
            "{p}"
        );
        ok
    }

    #[test]
    fn go_regexp_braces_and_errors() {
        for ok in [
            "prod-{env}",
            "a{",
            "{",
            "a{,3}",
            "x{2}",
            "x{2,}",
            "x{2,5}",
            "[{]",
            "\\{",
            "^(main|release/.*)$",
            "",
        ] {
            assert!(compiles_like_go(ok), "{ok}");
        }
        for bad in ["(", "prod-(eu|us", "[a-", "x{3,2}", "\\C", "*a"] {
            assert!(!compiles_like_go(bad), "{bad}");
        }
    }

    #[test]
    fn the_plain_fast_path_agrees_with_the_parser() {
        for p in [
            "team-1-.*",
            "^prod$",
            "",
            ".*",
            "a*",
            "^",
            "$",
            "^$",
            "*",
            "**",
            "a**",
            "^*",
            "$*",
            "a$b",
            "a^b",
            ".*-.*",
            "x.*$",
            "^.*",
            "-*",
            "/*",
            "a b*",
        ] {
            let full = regex_syntax::Parser::new().parse(p).is_ok();
            if super::plainly_valid(p) {
                assert!(full, "{p} was taken as valid");
            }
            assert_eq!(super::regex_syntax_error(p).is_none(), full, "{p}");
        }
    }
}

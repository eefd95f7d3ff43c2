use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;
use serde_json::Value;

pub static RULE: RuleInfo = RuleInfo {
    id: "webhook-http-headers",
    severity: Severity::Error,
    summary: "webhook-http-headers is not a JSON object of strings or string arrays",
    suppressible: false,
    docs: r#"## What it checks
`webhook-http-headers` (extra headers for `kind: http` webhooks) must be a JSON object whose
values are strings or arrays of strings:
`{"Authorization": "Bearer …", "X-Team": ["infra", "platform"]}`.

The value often holds a credential, so the linter never quotes it.

## Why it matters
Atlantis refuses to start with `invalid --webhook-http-headers: <err>`, where `<err>` is a Go
JSON error, `expected string array element, got <type>` or `expected string or array, got <type>`.

## Example
```yaml
webhook-http-headers: "Authorization: Bearer 3f9c..."
```

## Fix
Write a JSON object, quoted as a YAML string:
`webhook-http-headers: '{"Authorization": "Bearer …"}'`.
"#,
};

/// The name Go's `%T` prints for a decoded JSON value.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// Atlantis's `ToWebhookHttpHeaders` error, without any part of the value.
fn problem(text: &str) -> Option<String> {
    let parsed: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Some(format!("it is not valid JSON ({e})")),
    };
    let map = match parsed {
        Value::Null => return None,
        Value::Object(map) => map,
        other => {
            return Some(format!(
                "it is a JSON {} but must be an object (json: cannot unmarshal {} into Go value of type map[string]interface {{}})",
                json_kind(&other),
                json_kind(&other)
            ));
        }
    };
    for v in map.values() {
        match v {
            Value::String(_) => {}
            Value::Array(items) => {
                if let Some(bad) = items.iter().find(|i| !i.is_string()) {
                    return Some(format!(
                        "a header's list holds a {} (expected string array element, got {})",
                        json_kind(bad),
                        go_type(bad)
                    ));
                }
            }
            other => {
                return Some(format!(
                    "a header's value is a {} (expected string or array, got {})",
                    json_kind(other),
                    go_type(other)
                ));
            }
        }
    }
    None
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let Some(text) = cfg.explicit_text(flags::WEBHOOK_HTTP_HEADERS) else {
        return;
    };
    let Some(problem) = problem(text.as_str()) else {
        return;
    };
    out.push(
        Finding::new(
            &RULE,
            cfg.value_location(flags::WEBHOOK_HTTP_HEADERS),
            format!("webhook-http-headers cannot be used: {problem}"),
        )
        .key(flags::WEBHOOK_HTTP_HEADERS)
        .label("not a JSON object of strings")
        .help(
            "write a JSON object of header names to a string or a list of strings, e.g. \
             '{\"Authorization\": \"Bearer <token>\", \"X-Team\": [\"infra\"]}'; \
             Atlantis refuses to start with: invalid --webhook-http-headers: ...",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn atlantis_shapes() {
        assert!(problem(r#"{"A": "b", "C": ["d", "e"]}"#).is_none());
        assert!(problem("null").is_none());
        assert!(problem("{}").is_none());
        assert!(
            problem("Authorization: Bearer x")
                .unwrap()
                .contains("not valid JSON")
        );
        assert!(
            problem(r#"["a"]"#)
                .unwrap()
                .contains("cannot unmarshal array")
        );
        assert!(problem(r#"{"A": 1}"#).unwrap().contains("got float64"));
        assert!(
            problem(r#"{"A": [true]}"#)
                .unwrap()
                .contains("element, got bool")
        );
        assert!(problem(r#"{"A": null}"#).unwrap().contains("got <nil>"));
    }
}

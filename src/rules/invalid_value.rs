use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;
use std::sync::OnceLock;

pub static RULE: RuleInfo = RuleInfo {
    id: "invalid-value",
    severity: Severity::Error,
    summary: "a value Atlantis rejects or cannot use (log-level, checkout-strategy, default-tf-version, repo-config-json, ...)",
    suppressible: false,
    docs: r#"## What it checks
Values Atlantis checks at startup, with its exact conditions:

| flag | accepted | Atlantis's message |
|---|---|---|
| `log-level` | `debug`, `info`, `warn`, `error` (any case) | `invalid log level: must be one of [debug info warn error]` |
| `language` (unless `language-config-file` is set) | `en`, `es` (lower-cased, cut at the first `-`: `es-MX` is `es`) | `unsupported language "<l>": supported languages are en, es` |
| `default-tf-distribution` (or the deprecated `tf-distribution` it is copied from) | `terraform`, `opentofu` (exact case) | `invalid tf distribution: expected one of terraform or opentofu` |
| `checkout-strategy` | `branch`, `merge` | `invalid checkout strategy: not one of branch or merge` |
| `automerge-method` | empty, `merge`, `rebase`, `squash` | `invalid --automerge-method: must be one of [merge rebase squash]` |
| `default-tf-version` | a version (`1.9.8`, `v1.9.8`, `1.10.0-rc1`) | `Malformed version: <v>` |
| `repo-config-json` | JSON (an object) | `parsing --repo-config-json: <json error>` |

Two values Atlantis does not validate, reported with an honest severity:
- `locking-db-type` other than `boltdb` or `redis` (error): Atlantis v0.47 creates its locking
  backend only for those two values, so with any other value locking cannot work (Atlantis's
  development branch already refuses it at startup: `unsupported --locking-db-type "<t>"`).
- `autodiscover-mode` other than `auto`, `enabled` or `disabled` (warning): Atlantis runs, but the
  value matches none of the modes, so autodiscovery is never turned on, whatever was meant.

A `log-level` that is valid only up to case (`DEBUG`) is left to `log-level-case`: Atlantis
accepts it.

## Why it matters
Each error stops Atlantis at startup, one at a time, without pointing at the file.

## Example
```yaml
log-level: verbose
checkout-strategy: rebase
default-tf-version: "~> 1.9"
```

## Fix
Use one of the listed values; the linter suggests the closest one.
"#,
};

/// The closest allowed value within a small edit distance (or a prefix: `warning` → `warn`).
pub(super) fn did_you_mean<'a>(value: &str, options: &[&'a str]) -> Option<&'a str> {
    let v = value.trim().to_ascii_lowercase();
    if v.is_empty() {
        return None;
    }
    if let Some(exact) = options.iter().find(|o| **o == v) {
        return Some(exact);
    }
    let limit = if v.chars().count() <= 4 { 1 } else { 2 };
    let mut best: Option<(usize, &'a str)> = None;
    for &o in options {
        let d = flags::edit_distance(&v, o, limit);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, o));
        }
    }
    best.map(|(_, o)| o).or_else(|| {
        options.iter().copied().find(|o| {
            o.len() >= 3 && (v.starts_with(o) || o.starts_with(v.as_str())) && v.len() >= 3
        })
    })
}

/// An enumerated flag and Atlantis's message for it; the accepted values come from the flag
/// table's [`flags::choices`], the one list the schema uses too.
struct Enum {
    flag: flags::FlagId,
    atlantis: &'static str,
}

const ENUMS: &[Enum] = &[
    Enum {
        flag: flags::CHECKOUT_STRATEGY,
        atlantis: "invalid checkout strategy: not one of branch or merge",
    },
    Enum {
        flag: flags::AUTOMERGE_METHOD,
        atlantis: "invalid --automerge-method: must be one of [merge rebase squash]",
    },
    Enum {
        flag: flags::LOCKING_DB_TYPE,
        atlantis: "",
    },
    Enum {
        flag: flags::AUTODISCOVER_MODE,
        atlantis: "",
    },
];

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    log_level(ctx, out);
    language(ctx, out);
    distribution(ctx, out);
    for e in ENUMS {
        enumerated(ctx, e, out);
    }
    tf_version(ctx, out);
    repo_config_json(ctx, out);
}

fn list(allowed: &[&str]) -> String {
    allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn with_suggestion(f: Finding, value: &str, allowed: &[&str]) -> Finding {
    match did_you_mean(value, allowed) {
        Some(s) => f.suggestion(s),
        None => f,
    }
}

fn log_level(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let levels = flags::choices(flags::LOG_LEVEL).expect("log-level is enumerated");
    let Some(level) = cfg.explicit_text(flags::LOG_LEVEL).map(|t| t.as_str()) else {
        return;
    };
    let lower = level.to_ascii_lowercase();
    if levels.contains(&level) {
        return;
    }
    // Valid up to case (`DEBUG`): Atlantis starts; log-level-case explains what happens then.
    if levels.contains(&lower.as_str()) {
        return;
    }
    let f = with_suggestion(
        Finding::new(
            &RULE,
            cfg.value_location(flags::LOG_LEVEL),
            format!("log-level `{level}` is not one of {}", list(levels)),
        )
        .label("unknown log level")
        .help(
            "use debug, info, warn or error; Atlantis refuses to start with: \
             invalid log level: must be one of [debug info warn error]",
        ),
        level,
        levels,
    );
    out.push(f.key(flags::LOG_LEVEL));
}

fn language(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if cfg
        .explicit_text(flags::LANGUAGE_CONFIG_FILE)
        .is_some_and(|t| !t.as_str().trim().is_empty())
    {
        return;
    }
    let Some(raw) = cfg.explicit_text(flags::LANGUAGE).map(|t| t.as_str()) else {
        return;
    };
    let lower = raw.trim().to_lowercase();
    let mut normalised = lower.split('-').next().unwrap_or("").to_string();
    if normalised.is_empty() {
        normalised = "en".into();
    }
    if normalised == "en" || normalised == "es" {
        return;
    }
    out.push(with_suggestion(
        Finding::new(
            &RULE,
            cfg.value_location(flags::LANGUAGE),
            format!("language `{raw}` is not supported (Atlantis reads it as `{normalised}`; supported: en, es)"),
        )
        .key(flags::LANGUAGE)
        .label("unsupported language")
        .help(format!(
            "use `en` or `es`, or set language-config-file to your own catalog; Atlantis refuses to start with: \
             unsupported language \"{normalised}\": supported languages are en, es"
        )),
        &normalised,
        &["en", "es"],
    ));
}

fn distribution(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let allowed_values = flags::choices(flags::DEFAULT_TF_DISTRIBUTION).expect("enumerated");
    // Atlantis copies the deprecated tf-distribution into default-tf-distribution when that is empty.
    let flag = if cfg.explicit_text(flags::DEFAULT_TF_DISTRIBUTION).is_some() {
        flags::DEFAULT_TF_DISTRIBUTION
    } else if cfg.explicit_text(flags::TF_DISTRIBUTION).is_some() {
        flags::TF_DISTRIBUTION
    } else {
        return;
    };
    let Some(value) = cfg.explicit_text(flag).map(|t| t.as_str()) else {
        return;
    };
    if allowed_values.contains(&value) {
        return;
    }
    out.push(with_suggestion(
        Finding::new(
            &RULE,
            cfg.value_location(flag),
            format!("{flag} `{value}` is not `terraform` or `opentofu`"),
        )
        .key(flag)
        .label("unknown distribution")
        .help(
            "use terraform or opentofu (lower case); Atlantis refuses to start with: \
             invalid tf distribution: expected one of terraform or opentofu",
        ),
        value,
        allowed_values,
    ));
}

fn enumerated(ctx: &Context, e: &Enum, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let Some(value) = cfg.explicit_text(e.flag).map(|t| t.as_str()) else {
        return;
    };
    let choices = flags::choices(e.flag).expect("ENUMS lists enumerated flags");
    if choices.contains(&value) {
        return;
    }
    let allowed = list(choices);
    let mut f = Finding::new(
        &RULE,
        cfg.value_location(e.flag),
        format!("{} `{value}` is not one of {allowed}", e.flag),
    )
    .key(e.flag);
    f = match e.flag {
        flags::LOCKING_DB_TYPE => f.label("no locking backend").help(
            "use boltdb (the default, one replica) or redis (several replicas); Atlantis does not \
             validate this value and sets up no locking backend for it",
        ),
        flags::AUTODISCOVER_MODE => f.severity(Severity::Warning).label("matches no mode").help(
            "use auto, enabled or disabled; Atlantis does not validate this value, and a value \
                 matching no mode never turns autodiscovery on",
        ),
        _ => f.label("unsupported value").help(format!(
            "use one of {allowed}; Atlantis refuses to start with: {}",
            e.atlantis
        )),
    };
    out.push(with_suggestion(f, value, choices));
}

/// hashicorp/go-version's `versionRegexp` (`NewVersion`).
fn version_regex() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(concat!(
            r"^v?([0-9]+(\.[0-9]+)*?)",
            r"(-([0-9]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)|(-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)))?",
            r"(\+([0-9A-Za-z\-~]+(\.[0-9A-Za-z\-~]+)*))?$",
        ))
        .expect("the go-version pattern compiles")
    })
}

/// `Err(message)` as hashicorp/go-version's `NewVersion` would fail.
pub(crate) fn go_version(v: &str) -> Result<(), String> {
    let Some(caps) = version_regex().captures(v) else {
        return Err(format!("Malformed version: {v}"));
    };
    let segments = caps.get(1).map_or("", |m| m.as_str());
    for s in segments.split('.') {
        if s.parse::<i64>().is_err() {
            return Err(format!(
                "Error parsing version: strconv.ParseInt: parsing {s:?}: value out of range"
            ));
        }
    }
    Ok(())
}

fn tf_version(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let Some(v) = cfg
        .explicit_text(flags::DEFAULT_TF_VERSION)
        .map(|t| t.as_str())
    else {
        return;
    };
    let Err(err) = go_version(v) else { return };
    let mut f = Finding::new(
        &RULE,
        cfg.value_location(flags::DEFAULT_TF_VERSION),
        format!("default-tf-version `{v}` is not a version"),
    )
    .key(flags::DEFAULT_TF_VERSION)
    .label("not a version")
    .help(format!(
        "write one exact version such as `1.9.8` (constraints like `~> 1.9` are not allowed here); \
         Atlantis refuses to start with: {err}"
    ));
    let trimmed = v.trim().trim_start_matches(['~', '>', '<', '=', '^', ' ']);
    if trimmed != v && go_version(trimmed).is_ok() {
        f = f.suggestion(trimmed);
    }
    out.push(f);
}

fn repo_config_json(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    // The value may embed credentials: never quote it.
    let Some(text) = cfg.explicit_text(flags::REPO_CONFIG_JSON) else {
        return;
    };
    let problem = match serde_json::from_str::<serde_json::Value>(text.as_str()) {
        Err(e) => format!("it is not valid JSON ({e})"),
        Ok(serde_json::Value::Object(_) | serde_json::Value::Null) => return,
        Ok(other) => format!(
            "it is JSON but not an object (a {})",
            match other {
                serde_json::Value::Array(_) => "list",
                serde_json::Value::String(_) => "string",
                serde_json::Value::Number(_) => "number",
                _ => "bool",
            }
        ),
    };
    out.push(
        Finding::new(
            &RULE,
            cfg.value_location(flags::REPO_CONFIG_JSON),
            format!("repo-config-json cannot be parsed: {problem}"),
        )
        .key(flags::REPO_CONFIG_JSON)
        .label("not a JSON object")
        .help(
            "write the server-side repo config as one JSON object, e.g. \
             '{\"repos\":[{\"id\":\"/.*/\",\"apply_requirements\":[\"approved\"]}]}', or move it to a YAML \
             file named by repo-config; Atlantis refuses to start with: parsing --repo-config-json: ...",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_version_syntax() {
        for ok in [
            "1.9.8",
            "v1.9.8",
            "1.10.0-rc1",
            "1.5.0-beta2",
            "1",
            "1.2.3+meta",
            "1.2.3.4",
        ] {
            assert!(go_version(ok).is_ok(), "{ok}");
        }
        for bad in ["~> 1.9", "latest", "", "1.9.x", ">=1.0", "1..2", " 1.9.8"] {
            assert!(go_version(bad).is_err(), "{bad}");
        }
        assert!(
            go_version("99999999999999999999.0")
                .unwrap_err()
                .starts_with("Error parsing")
        );
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("verbose", &["debug", "info", "warn", "error"]),
            None
        );
        assert_eq!(
            did_you_mean("warning", &["debug", "info", "warn", "error"]),
            Some("warn")
        );
        assert_eq!(did_you_mean("Branch", &["branch", "merge"]), Some("branch"));
        assert_eq!(
            did_you_mean("squahs", &["merge", "rebase", "squash"]),
            Some("squash")
        );
        assert_eq!(
            did_you_mean("open-tofu", &["terraform", "opentofu"]),
            Some("opentofu")
        );
        assert_eq!(
            did_you_mean("enable", &["auto", "enabled", "disabled"]),
            Some("enabled")
        );
    }
}
